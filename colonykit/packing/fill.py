"""Minimum-slack fill: one host at a time, the subset of the remaining servers that fills it most.

The time-series form of the minimum-bin-slack heuristic (Gupta & Ho 1999; its variant MBS' with
the largest remaining item placed first: Fleszar & Hindi 2002).  A host is opened with the
largest remaining server; a depth-first search over the other remaining servers (largest
first) then looks for the subset that leaves the least slack — the least unused capacity
summed over time, Σ_t (C − load(t)) — while the host stays within capacity at every step
(and in memory, and without two anti-affine servers).  The search stops at a subset with no
slack, or after ``FILL_MAX_NODES`` subsets; the best subset found goes on the host, and the
next host is filled from what remains.  With one time step this is MBS' exactly (the slack
is the bin's free capacity).

Every subset tried is feasible by construction (each server is added only where it fits at
every step), so the result is a feasible packing.
"""

from __future__ import annotations

import numpy as np

from colonykit.packing.problem import CAPACITY_RTOL

#: Subsets the search of one host tries at most (tuning only; each is a feasible subset).
FILL_MAX_NODES = 400


def min_slack_fill(
    matrix: np.ndarray,
    capacity: float,
    *,
    memory: np.ndarray | None = None,
    host_memory: float | None = None,
    conflicts: list[np.ndarray] | None = None,
    order: np.ndarray | None = None,
    max_nodes: int = FILL_MAX_NODES,
) -> np.ndarray:
    """Pack by filling one host at a time with the subset that leaves the least slack.

    Parameters
    ----------
    matrix : numpy.ndarray
        Demand, shape (servers, steps); no server may exceed ``capacity`` at any step.
    capacity : float
        Usable capacity per host.
    memory : numpy.ndarray, optional
        Memory per server; needs ``host_memory``.
    host_memory : float, optional
        Memory per host.
    conflicts : list of numpy.ndarray, optional
        Anti-affinity partners per server.
    order : numpy.ndarray, optional
        Servers from largest to smallest (default: by summed demand over time, then peak,
        decreasing; ties in input order).  The first remaining one opens each host and the
        search tries the others in this order.
    max_nodes : int
        Subsets tried per host at most.

    Returns
    -------
    numpy.ndarray
        Host id per server (0-based, in order of filling).

    Examples
    --------
    >>> m = np.array([[50.0], [40.0], [30.0], [30.0], [20.0], [20.0], [10.0]])
    >>> min_slack_fill(m, 100).tolist()  # 50 + 40 + 10 and 30 + 30 + 20 + 20: two full hosts
    [0, 0, 1, 1, 1, 1, 0]
    """
    n, n_t = matrix.shape
    limit = float(capacity) * (1 + CAPACITY_RTOL)
    mem = np.zeros(n) if memory is None else np.asarray(memory, dtype=np.float64)
    mlimit = np.inf if host_memory is None else float(host_memory) * (1 + CAPACITY_RTOL)
    data = np.asarray(matrix, dtype=np.float64)
    energy = data.sum(axis=1)
    if order is None:
        order = np.lexsort((-data.max(axis=1), -energy))
    full = limit * n_t
    host_of = np.full(n, -1, dtype=np.int64)
    left = np.asarray(order, dtype=np.int64)
    k = 0
    while left.size:
        first = int(left[0])
        rest = left[1:]
        banned0 = np.zeros(n, dtype=bool)
        if conflicts is not None:
            banned0[conflicts[first]] = True
        best: list[int] = []
        best_fill = float(energy[first])
        nodes = 0

        def search(
            load: np.ndarray, used_mem: float, fill: float, cand: np.ndarray, chosen: list[int]
        ) -> bool:
            """Depth-first over ``cand`` (each fits beside ``chosen``); True stops everything."""
            nonlocal best, best_fill, nodes
            for pos in range(cand.size):
                j = int(cand[pos])
                nodes += 1
                new_load = load + data[j]
                new_fill = fill + float(energy[j])
                picked = [*chosen, j]
                if new_fill > best_fill:
                    best, best_fill = picked, new_fill
                    if best_fill >= full * (1 - 1e-12):
                        return True  # no slack left
                if nodes >= max_nodes:
                    return True
                nxt = cand[pos + 1 :]
                if nxt.size:
                    fits = (new_load + data[nxt] <= limit).all(axis=1)
                    fits &= used_mem + mem[j] + mem[nxt] <= mlimit
                    if conflicts is not None:
                        bad = np.zeros(n, dtype=bool)
                        for a in picked:
                            bad[conflicts[a]] = True
                        fits &= ~bad[nxt]
                    nxt = nxt[fits]
                # the rest cannot beat the best even if all fitting servers came along
                if nxt.size and new_fill + float(energy[nxt].sum()) > best_fill:
                    if search(new_load, used_mem + mem[j], new_fill, nxt, picked):
                        return True
                if fill + float(energy[cand[pos:]].sum()) <= best_fill:
                    return False  # nothing after this one can beat the best either
            return False

        if rest.size:
            load0 = data[first]
            fits = (load0 + data[rest] <= limit).all(axis=1) & (mem[first] + mem[rest] <= mlimit)
            fits &= ~banned0[rest]
            search(load0, float(mem[first]), float(energy[first]), rest[fits], [])
        members = [first, *best]
        host_of[members] = k
        k += 1
        left = left[host_of[left] < 0]
    return host_of


__all__ = [
    "FILL_MAX_NODES",
    "min_slack_fill",
]
