"""Array checks on top of :mod:`colonykit.errors` (which itself imports nothing but the stdlib)."""

from __future__ import annotations

from typing import SupportsFloat, SupportsIndex, SupportsInt

import numpy as np
import numpy.typing as npt

from colonykit.errors import InputError, Location, must_be


def nonneg_array(
    field: str, value: npt.ArrayLike, where: Location | str | None = None
) -> np.ndarray:
    """``value`` as a float array, or :class:`InputError` naming the first value not finite and >= 0.

    Examples
    --------
    >>> nonneg_array("io_rate_per_s", [1, 2]).tolist()
    [1.0, 2.0]
    >>> try:
    ...     nonneg_array("io_rate_per_s", [1, -2])
    ... except ValueError as e:
    ...     print(e)
    'io_rate_per_s' must be >= 0 and finite (got -2.0)
    """
    arr = np.asarray(value, dtype=float)
    bad = ~np.isfinite(arr) | (arr < 0)
    if np.any(bad):
        raise InputError(must_be(field, ">= 0 and finite", float(arr[bad].ravel()[0]), where))
    return arr


def to_float(value: object) -> float:
    """``float(value)`` for one table or frame cell (a number, a numpy scalar or a numeric string).

    pandas types a cell as any scalar (dates, intervals, …); this says which ones are numbers
    and refuses the rest with a ``TypeError``, as ``float()`` itself does.

    Parameters
    ----------
    value : object
        The cell.

    Examples
    --------
    >>> to_float(np.int64(3)), to_float("2.5")
    (3.0, 2.5)
    """
    if isinstance(value, str | SupportsFloat | SupportsIndex):
        return float(value)
    msg = f"not a number: {value!r}"
    raise TypeError(msg)


def to_int(value: object) -> int:
    """``int(value)`` for one table or frame cell (see :func:`to_float`).

    Parameters
    ----------
    value : object
        The cell.

    Examples
    --------
    >>> to_int(np.float64(4.0)), to_int("7")
    (4, 7)
    """
    if isinstance(value, str | SupportsInt | SupportsIndex):
        return int(value)
    msg = f"not a whole number: {value!r}"
    raise TypeError(msg)
