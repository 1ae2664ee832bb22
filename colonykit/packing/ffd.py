"""First-fit-decreasing on one size per item (peak-based sizing; also used by storage)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from colonykit.packing.problem import CAPACITY_RTOL


def first_fit_decreasing(
    sizes: npt.ArrayLike,
    capacity: float,
    *,
    memory: npt.ArrayLike | None = None,
    host_memory: float | None = None,
    conflicts: list[np.ndarray] | None = None,
    rtol: float = CAPACITY_RTOL,
) -> np.ndarray:
    """First-fit-decreasing: items largest first, each into the first bin with room.

    The one first-fit-decreasing of colonykit: :func:`ffd_peak` (servers by peak, hosts)
    and :func:`colonykit.storage.allocate_minidisks` (minidisks, volumes) both call it.
    Ties keep the input order (stable sort).  Bins are checked all at once (numpy), one
    step per item.

    Parameters
    ----------
    sizes : array_like
        One size per item (e.g. peak demand per server, cylinders per minidisk).
    capacity : float
        Capacity of one bin (same unit).
    memory : array_like, optional
        A second size per item (e.g. memory per server); needs ``host_memory``.
    host_memory : float, optional
        Capacity of one bin in the second size.
    conflicts : list of numpy.ndarray, optional
        For each item, the items it may not share a bin with.
    rtol : float
        Relative tolerance of the capacity check (``CAPACITY_RTOL``; 0 for whole numbers
        compared exactly).

    Returns
    -------
    numpy.ndarray
        Bin number (0-based, in order of opening) of each item.

    Examples
    --------
    >>> first_fit_decreasing([3000, 8000, 3000], 10_016, rtol=0.0).tolist()
    [1, 0, 1]
    """
    p = np.asarray(sizes, dtype=np.float64).ravel()
    n = p.size
    mem = np.zeros(n) if memory is None else np.asarray(memory, dtype=np.float64)
    hmem = np.inf if host_memory is None else float(host_memory)
    tol = capacity * rtol
    free = np.full(n, float(capacity))
    free_mem = np.full(n, hmem)
    host_of = np.full(n, -1, dtype=np.int64)
    used = 0
    for i in np.argsort(-p, kind="stable"):
        ok = free[:used] + tol >= p[i]
        if memory is not None:  # one size only (minidisks): no second comparison per item
            ok &= free_mem[:used] + tol >= mem[i]
        if conflicts is not None and conflicts[i].size:
            placed = host_of[conflicts[i]]
            ok[placed[placed >= 0]] = False
        k = int(np.argmax(ok)) if used else 0  # the first bin with room, if one has room
        if k < used and not ok[k]:
            k = used
        used = max(used, k + 1)
        free[k] -= p[i]
        free_mem[k] -= mem[i]
        host_of[i] = k
    return host_of


def ffd_peak(
    peaks: npt.ArrayLike,
    capacity: float,
    *,
    memory: npt.ArrayLike | None = None,
    host_memory: float | None = None,
    conflicts: list[np.ndarray] | None = None,
) -> np.ndarray:
    """Classic first-fit-decreasing on individual peaks (what peak-based sizing does).

    Parameters
    ----------
    peaks : array_like
        Peak demand per server.
    capacity : float
        Usable capacity per host.
    memory : array_like, optional
        Memory per server (second dimension); needs ``host_memory``.
    host_memory : float, optional
        Memory per host.
    conflicts : list of numpy.ndarray, optional
        For each server, the servers it may not share a host with.

    Returns
    -------
    numpy.ndarray
        Host number (0-based) of each server.

    Examples
    --------
    >>> ffd_peak([60, 60, 40, 30], 100).tolist()
    [0, 1, 0, 1]
    """
    return first_fit_decreasing(
        peaks, capacity, memory=memory, host_memory=host_memory, conflicts=conflicts
    )


__all__ = [
    "first_fit_decreasing",
    "ffd_peak",
]
