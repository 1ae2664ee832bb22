"""Renamed names keep working for a while, with a ``FutureWarning`` naming the new one.

One implementation for every rename (issue 15 §5): keyword arguments
(:func:`renamed_kwargs`), attributes (:class:`renamed_attribute`) and mapping keys
(:func:`renamed_keys`, for constants, scenario keys and table columns).  ``FutureWarning``
rather than ``DeprecationWarning`` because the callers are notebooks and scripts, where
Python hides the latter.

Examples
--------
>>> import warnings
>>> @renamed_kwargs(old_pct="new_pct")
... def f(*, new_pct=1.0):
...     return new_pct
>>> with warnings.catch_warnings(record=True) as w:
...     warnings.simplefilter("always")
...     f(old_pct=5.0), str(w[0].message)
(5.0, "argument of f(): 'old_pct' is renamed 'new_pct'; the old name will be removed")
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


def warn_renamed(old: str, new: str, what: str = "name", stacklevel: int = 3) -> None:
    """Warn (``FutureWarning``) that ``old`` is now called ``new``."""
    warnings.warn(
        f"{what} {old!r} is renamed {new!r}; the old name will be removed",
        FutureWarning,
        stacklevel=stacklevel,
    )


def renamed_kwargs(**renames: str) -> Callable[[F], F]:
    """Decorator: accept each old keyword (``old="new"``) with a ``FutureWarning``; both at once is a TypeError."""

    def deco(func: F) -> F:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            for old, new in renames.items():
                if old in kwargs:
                    if new in kwargs:
                        msg = f"{func.__name__}() got both {old!r} and its new name {new!r}"
                        raise TypeError(msg)
                    warn_renamed(old, new, f"argument of {func.__name__}():")
                    kwargs[new] = kwargs.pop(old)
            return func(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return deco


class renamed_attribute:
    """Class attribute: reading the old name returns the new one, with a ``FutureWarning``."""

    def __init__(self, new: str) -> None:
        self.new = new
        self.old = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.old = name

    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        if obj is None:
            return self
        warn_renamed(self.old, self.new, f"attribute of {type(obj).__name__}:", stacklevel=3)
        return getattr(obj, self.new)


def renamed_keys(
    data: Mapping[str, Any], renames: Mapping[str, str], where: str = ""
) -> dict[str, Any]:
    """``data`` with each old key (``renames``: old -> new) replaced by its new name, with a ``FutureWarning``.

    Both names at once is refused (``ValueError``: which one is meant is unknown).
    """
    out = dict(data)
    for old, new in renames.items():
        if old in out:
            if new in out:
                msg = f"{where + ': ' if where else ''}both {old!r} and its new name {new!r} are given"
                raise ValueError(msg)
            warn_renamed(old, new, f"{where + ': ' if where else ''}key", stacklevel=4)
            out[new] = out.pop(old)
    return out
