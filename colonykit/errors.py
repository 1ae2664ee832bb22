"""Exception types and the one message shape colonykit uses for bad input.

Every exception subclasses the builtin a caller would catch (``ValueError``,
``KeyError``), so ``except ValueError`` keeps working.  Messages read::

    'util_peak_pct' must be in 0..100 (got 140) at inventory.csv line 7
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from dataclasses import dataclass


class ColonykitError(Exception):
    """Base class of every error colonykit raises on purpose."""


class InputError(ColonykitError, ValueError):
    """Input (a file, an argument, a table row) is invalid.

    ``problems`` holds every individual problem found, so a file with five bad rows
    is reported in one error rather than one row at a time.

    Parameters
    ----------
    message : str
        The error text.
    problems : iterable of str, optional
        Every individual problem; default [message].
    """

    def __init__(self, message: str, problems: Iterable[str] | None = None) -> None:
        self.problems: list[str] = list(problems) if problems is not None else [message]
        super().__init__(message)


class UnknownNameError(ColonykitError, KeyError):
    """A named item (processor model, workload class, rule, design …) does not exist."""

    def __str__(self) -> str:  # KeyError would repr() the message; show it plainly
        return str(self.args[0]) if self.args else ""


class CapacityError(ColonykitError, ValueError):
    """A plan is infeasible (e.g. one guest is larger than any host)."""


class ColonykitWarning(UserWarning):
    """A plausibility finding that the planner chose not to treat as an error."""


@dataclass(frozen=True)
class Location:
    """Where a value came from: a file and, optionally, a 1-based line and a column.

    Parameters
    ----------
    source : str
        The file (or other source) name.
    line : int, optional
        1-based line.
    column : str, optional
        The column (field) name.
    """

    source: str
    line: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        text = self.source
        if self.line is not None:
            text += f" line {self.line}"
        return text


#: Longest ``repr`` of a bad value shown in a message (hostile inputs can be huge).
MAX_REPR_CHARS: int = 120


def short_repr(value: object, limit: int = MAX_REPR_CHARS) -> str:
    """``repr(value)``, cut to ``limit`` characters (containers are not expanded first).

    Parameters
    ----------
    value : object
        Any value.
    limit : int, default MAX_REPR_CHARS
        Maximum length of the text.

    Examples
    --------
    >>> short_repr("x" * 500, 12)
    "'xxx...xxxx'"
    >>> short_repr([list(range(10))] * 3, 20)
    '[[0, 1, 2, 3, 4, 5,…'
    """
    if isinstance(value, list | tuple | dict | set) and len(value) > limit:
        text = f"<{type(value).__name__} of {len(value)} items>"
    else:
        text = reprlib_repr(value, limit)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def reprlib_repr(value: object, limit: int) -> str:
    """repr with nested containers shortened (bounded work even for alias bombs).

    Parameters
    ----------
    value : object
        Any value.
    limit : int
        Maximum length of the text.
    """
    import reprlib

    r = reprlib.Repr()
    r.maxstring = r.maxother = max(limit, 8)
    r.maxlist = r.maxtuple = r.maxdict = r.maxset = 12
    r.maxlevel = 3
    return r.repr(value)


def must_be(field: str, rule: str, got: object, where: Location | str | None = None) -> str:
    """Build the canonical problem text.

    Parameters
    ----------
    field : str
        The field name.
    rule : str
        What the value must be, e.g. "in 0..100".
    got : object
        The value found (shortened with :func:`short_repr`).
    where : Location or str, optional
        Where the value came from (file and line).

    Examples
    --------
    >>> must_be("util_peak_pct", "in 0..100", 140, "inventory.csv line 7")
    "'util_peak_pct' must be in 0..100 (got 140) at inventory.csv line 7"
    """
    text = f"'{field}' must be {rule} (got {short_repr(got)})"
    if where is not None and str(where):
        text += f" at {where}"
    return text


def check_limit(
    field: str, value: float, limit: float, name: str, where: Location | str | None = None
) -> None:
    """Raise :class:`InputError` when ``value`` is not finite or exceeds the named ``limit``.

    Parameters
    ----------
    field : str
        The field checked, for the message.
    value : float
        The value.
    limit : float
        The largest value allowed.
    name : str
        The limit's name (a constant of :mod:`colonykit.limits`), for the message.
    where : Location or str, optional
        Where the value came from.

    Examples
    --------
    >>> try:
    ...     check_limit("count", 1e9, 1_000_000, "MAX_SERVERS")
    ... except ValueError as e:
    ...     print(e)
    'count' must be finite and <= 1,000,000 (limit MAX_SERVERS) (got 1000000000.0)
    """
    import math

    if not (isinstance(value, int) or math.isfinite(value)) or value > limit:
        raise InputError(must_be(field, f"finite and <= {limit:,} (limit {name})", value, where))


def unknown_name(kind: str, name: object, valid: Iterable[str], hint: str = "") -> UnknownNameError:
    """Return (not raise) an :class:`UnknownNameError` listing the valid names.

    Parameters
    ----------
    kind : str
        What the name names, e.g. "workload class".
    name : object
        The name given.
    valid : iterable of str
        The valid names.
    hint : str, optional
        Extra text for the message.

    Examples
    --------
    >>> str(unknown_name("workload class", "dbx", ["database", "web"]))
    "unknown workload class 'dbx'; expected one of ['database', 'web']"
    """
    msg = f"unknown {kind} {name!r}; expected one of {sorted(valid)}"
    if hint:
        msg += f" ({hint})"
    return UnknownNameError(msg)


def raise_problems(problems: list[str], header: str) -> None:
    """Raise one :class:`InputError` carrying every problem, if there are any.

    Parameters
    ----------
    problems : list of str
        The problems found (nothing is raised when empty).
    header : str
        First line of the error message.
    """
    if problems:
        shown = problems[:50]
        more = f"\n  … and {len(problems) - 50} more" if len(problems) > 50 else ""
        msg = f"{header}: {len(problems)} problem(s)\n  " + "\n  ".join(shown) + more
        raise InputError(msg, problems)


def log_or_raise(strict: bool, message: str) -> None:
    """Plausibility check outcome: raise :class:`InputError` if ``strict``, else warn.

    The one warn-or-raise path of the package: the warning is a :class:`ColonykitWarning`
    (the CLI prints it as ``warning: …``; :func:`colonykit.plan.build_plan` also makes it a
    CK050 finding of the plan).

    Parameters
    ----------
    strict : bool
        Raise instead of warning.
    message : str
        The problem text.
    """
    if strict:
        raise InputError(message)
    warnings.warn(message, ColonykitWarning, stacklevel=3)


__all__ = [
    "ColonykitError",
    "InputError",
    "UnknownNameError",
    "CapacityError",
    "ColonykitWarning",
    "Location",
    "MAX_REPR_CHARS",
    "short_repr",
    "reprlib_repr",
    "must_be",
    "check_limit",
    "unknown_name",
    "raise_problems",
    "log_or_raise",
]
