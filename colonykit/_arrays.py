"""Array checks on top of :mod:`colonykit.errors` (which itself imports nothing but the stdlib)."""

from __future__ import annotations

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
