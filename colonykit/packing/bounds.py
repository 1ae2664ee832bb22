"""Lower bounds on the hosts any packing needs (composite, L2 per step, memory, clique)."""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from colonykit.packing.problem import CAPACITY_RTOL

#: Steps at which the Martello–Toth L2 bound is evaluated exactly at most (steps are tried in
#: order of a cheap upper bound on L2 and the search stops once no step can beat the best
#: bound, so this cap only matters for instances with many large items at many steps).
L2_MAX_STEPS = 4096
#: Servers considered for the pairwise-conflict (clique) bound at most (largest first).
CLIQUE_MAX_ITEMS = 400
#: Names of the bounds :func:`lower_bound` compares, in tie-break order.
BOUND_NAMES: tuple[str, ...] = ("composite", "l2", "memory", "clique", "lp")
#: Column-generation iterations of the LP bound at most (each one LP and one knapsack, HiGHS);
#: Farley's bound keeps the value valid when the cap stops it early (colonykit default).
LP_MAX_ITERS = 300
#: The LP bound is computed only at steps with at most this many distinct nonzero demands
#: (each is a row of the LP and a variable of the knapsack; colonykit default).
LP_MAX_ITEMS = 600
#: Steps at which the LP bound is computed at most (the L2 step and the composite peak step).
LP_MAX_STEPS = 2
#: Whole-number sizes are priced exactly up to this capacity; else on a grid of ``LP_GRID``
#: (colonykit default, measured: at capacity 100,000 — Scholl's set 3 — exact pricing took 8–10 s
#: of CPU and stopped at ``LP_MAX_ITERS`` with a weaker bound, the grid 3 s, converged).
LP_GRID_MAX = 20_000
#: Grid units per host capacity when sizes are rounded down for the LP bound's knapsack.
LP_GRID = 10_000
#: Tolerance when rounding an LP value up to whole hosts (HiGHS's feasibility tolerance is 1e-7).
LP_ROUND_TOL = 1e-6


class LowerBound(int):
    """A host count no packing can beat, with the bound that gave it.

    Behaves as the ``int`` it is (``lower_bound(...) == 2``); also carries the attributes below.

    Parameters
    ----------
    value : int
        The best bound's host count (the ``int`` value).

    Attributes
    ----------
    bound : str
        Which bound is the best: ``"composite"`` (⌈max_t Σ_i d_i(t) / C⌉), ``"l2"``
        (Martello–Toth L2 at the best time step), ``"memory"`` (L2 on static memory),
        ``"clique"`` (servers that pairwise cannot share a host) or ``"lp"`` (the LP relaxation
        of the pattern formulation at one step: :func:`lp_bound`).
    bounds : dict
        Every bound's value.
    step : int or None
        Step position where the L2 bound was reached (None for other bounds).
    gap_hosts : int or None
        ``hosts_used - bound`` when a packing was given.
    exhaustive : bool
        L2 was evaluated at every step that could beat the best bound.
    """

    bound: str
    bounds: dict[str, int]
    step: int | None
    gap_hosts: int | None
    exhaustive: bool

    def __new__(
        cls,
        value: int,
        bound: str,
        bounds: dict[str, int],
        step: int | None = None,
        gap_hosts: int | None = None,
        exhaustive: bool = True,
    ) -> LowerBound:
        obj = super().__new__(cls, int(value))
        obj.bound, obj.bounds, obj.step = bound, dict(bounds), step
        obj.gap_hosts, obj.exhaustive = gap_hosts, exhaustive
        return obj


def _ceil_div(total: npt.ArrayLike, capacity: float) -> np.ndarray:
    """⌈total / capacity⌉ with the capacity tolerance (an exactly full host is one host)."""
    return np.ceil(np.asarray(total, dtype=np.float64) / capacity * (1 - CAPACITY_RTOL) - 1e-12)


def l2_bound(sizes: npt.ArrayLike, capacity: float) -> int:
    """Martello–Toth L2 lower bound of one-dimensional bin packing.

    For every α in {0} ∪ {w_j ≤ C/2}: ``J1 = {w > C − α}``, ``J2 = {C/2 < w ≤ C − α}``,
    ``J3 = {α ≤ w ≤ C/2}``; ``L(α) = |J1| + |J2| + max(0, ⌈(Σ_{J3} w − (|J2| C − Σ_{J2} w)) / C⌉)``
    and L2 = max_α L(α) (S. Martello, P. Toth, *Knapsack Problems*, Wiley 1990, §8.3.1).
    L2 ≥ ⌈Σ w / C⌉.  O(n log n), vectorized over α.

    Parameters
    ----------
    sizes : array_like
        Item sizes (any shape; flattened; zeros ignored).
    capacity : float
        Bin capacity (same unit).

    Returns
    -------
    int
        Bins any packing needs at least.

    Examples
    --------
    >>> l2_bound([60, 60, 60, 30, 30], 100)  # sum 240 gives 3; three items > 50 each need a host
    3
    >>> l2_bound([70, 70, 70, 40, 40, 40], 100)  # L1 = 4, but every 40 only fits beside nothing >60
    5
    """
    s = np.sort(np.asarray(sizes, dtype=np.float64).ravel())
    s = s[s > 0]
    n = s.size
    if n == 0:
        return 0
    c = float(capacity) * (1 + CAPACITY_RTOL)  # the capacity check's tolerance
    prefix = np.concatenate([[0.0], np.cumsum(s)])
    alpha = np.concatenate([[0.0], np.unique(s[s <= c / 2])])
    hi = np.searchsorted(s, c - alpha, side="right")  # w <= C - α
    half = int(np.searchsorted(s, c / 2, side="right"))  # w <= C/2
    lo3 = np.searchsorted(s, alpha, side="left")  # w >= α
    n1 = n - hi
    n2 = np.maximum(hi - half, 0)
    sum2 = np.where(n2 > 0, prefix[np.maximum(hi, half)] - prefix[half], 0.0)
    sum3 = prefix[half] - prefix[np.minimum(lo3, half)]
    extra = np.maximum(np.ceil((sum3 - (n2 * c - sum2)) / c - 1e-12), 0)
    return int((n1 + n2 + extra).max())


def _knapsack(
    values: np.ndarray, weights: np.ndarray, counts: np.ndarray, capacity: int
) -> tuple[np.ndarray, float]:
    """Bounded knapsack max Σ v·a s.t. Σ w·a ≤ C, 0 ≤ a ≤ counts, integer: exact dynamic program.

    Whole-number weights and capacity; each count is split into chunks 1, 2, 4, … (binary
    splitting), each a 0-1 item, and the table over capacities 0…C is updated one chunk at a
    time (one vectorized pass each).  Returns the best pattern and its value.
    """
    cap = int(capacity)
    dp = np.zeros(cap + 1)
    chunks: list[tuple[int, int]] = []  # (size index, multiplicity)
    for size_j in np.flatnonzero(values > 0).tolist():
        left, mult = int(counts[size_j]), 1
        while left > 0:
            take = min(mult, left)
            if int(weights[size_j]) * take <= cap:
                chunks.append((size_j, take))
            left -= take
            mult *= 2
    taken = np.zeros((len(chunks), cap + 1), dtype=bool)
    for r, (j, mult) in enumerate(chunks):
        wt = int(weights[j]) * mult
        cand = dp[: cap + 1 - wt] + float(values[j]) * mult
        better = cand > dp[wt:]
        taken[r, wt:] = better
        np.maximum(dp[wt:], cand, out=dp[wt:])  # = where(better, cand, dp)
    pattern = np.zeros(values.size)
    c = int(np.argmax(dp))
    best = float(dp[c])
    for r in range(len(chunks) - 1, -1, -1):
        if taken[r, c]:
            j, mult = chunks[r]
            pattern[j] += mult
            c -= int(weights[j]) * mult
    return pattern, best


def lp_bound(
    sizes: npt.ArrayLike,
    capacity: float,
    *,
    floor: int = 0,
    target: int | None = None,
    max_iters: int = LP_MAX_ITERS,
) -> int:
    """Bins any packing needs by the LP relaxation of the pattern formulation (Gilmore–Gomory).

    min Σ_p x_p subject to Σ_p a_jp x_p ≥ d_j for every distinct size j, x ≥ 0, over all
    patterns a (Σ_j w_j a_j ≤ C), solved by column generation: the restricted LP over the
    patterns found so far gives duals π, and a bounded knapsack (HiGHS) prices the best
    pattern max π·a.  With z the restricted LP's value and v ≥ 1 the knapsack's optimum,
    z / v ≤ z_LP (Farley 1990), so ⌈z / v⌉ is a valid bound at every iteration; at v = 1
    the LP is solved and the bound is ⌈z_LP⌉ (Gilmore & Gomory 1961; on the classic
    one-dimensional sets it equals the optimum almost always: Delorme, Iori & Martello 2016).

    The knapsack is an exact dynamic program over whole numbers: sizes and capacity are used
    as they are when they are whole numbers and the capacity is at most ``LP_GRID_MAX``;
    otherwise each size is rounded *down* to a grid of ``LP_GRID`` units per capacity.  Smaller
    items only allow more patterns, so the bound of the rounded instance is a valid bound of
    the original one.

    Parameters
    ----------
    sizes : array_like
        Item sizes (flattened; zeros ignored).
    capacity : float
        Bin capacity.
    floor : int
        A bound already known: the generation stops once ⌈z⌉ ≤ ``floor`` (the LP cannot beat it)
        and the result is never below it.
    target : int, optional
        A packing's bin count: the generation stops once the bound reaches it (optimal).
    max_iters : int
        Column-generation iterations at most.

    Returns
    -------
    int
        Bins any packing needs at least.

    Examples
    --------
    >>> l2_bound([60, 50, 40, 30, 30, 30, 30, 30], 100)  # L2 = the sum bound
    3
    >>> lp_bound([60, 50, 40, 30, 30, 30, 30, 30], 100)  # no bin beside the 50 can be full
    4
    """
    from scipy.optimize import linprog

    s = np.asarray(sizes, dtype=np.float64).ravel()
    s = s[s > 0]
    if s.size == 0:
        return int(floor)
    if np.all(s == np.round(s)) and float(capacity) == round(capacity) and capacity <= LP_GRID_MAX:
        s, c = s.copy(), int(capacity)
    else:  # a valid relaxation: sizes rounded down to LP_GRID units per capacity
        s, c = np.floor(s / (float(capacity) * (1 + CAPACITY_RTOL)) * LP_GRID), LP_GRID
        s = s[s > 0]
        if s.size == 0:
            return int(floor)
    w, d = np.unique(s, return_counts=True)
    w, d = w[::-1], d[::-1].astype(np.float64)  # largest first
    m = w.size
    # first columns: first-fit-decreasing's bins as patterns (a feasible start), and each size alone
    free: list[float] = []
    pats: list[np.ndarray] = []
    for j in range(m):
        for _ in range(int(d[j])):
            k = next((b for b, f in enumerate(free) if f >= w[j]), -1)
            if k < 0:
                free.append(c)
                pats.append(np.zeros(m))
                k = len(free) - 1
            free[k] -= w[j]
            pats[k][j] += 1
    for j in range(m):
        col = np.zeros(m)
        col[j] = min(d[j], np.floor(c / w[j]))
        pats.append(col)
    cols = np.unique(np.array(pats), axis=0).T  # (sizes, patterns)
    best = int(floor)
    for _ in range(max(int(max_iters), 1)):
        res = linprog(np.ones(cols.shape[1]), A_ub=-cols, b_ub=-d, bounds=(0, None), method="highs")
        if res.status != 0:  # pragma: no cover - the start columns are always feasible
            return best
        z = float(res.fun)
        if math.ceil(z - LP_ROUND_TOL) <= best:
            return best  # the restricted LP already is at most the known bound
        duals = np.maximum(-np.asarray(res.ineqlin.marginals, dtype=np.float64), 0.0)
        pattern, v_upper = _knapsack(duals, w, d, c)
        v_upper += 1e-9 * max(v_upper, 1.0)  # float sums of the duals
        if v_upper <= 1 + 1e-9:  # no pattern prices out: z is the LP optimum
            return max(best, math.ceil(z - LP_ROUND_TOL))
        best = max(best, math.ceil(z / v_upper - LP_ROUND_TOL))
        if target is not None and best >= target:
            return best
        if float(duals @ pattern) <= 1 + 1e-9:  # pragma: no cover - HiGHS gap: nothing to add
            return best
        cols = np.concatenate([cols, pattern[:, None]], axis=1)
    return best


def _l2_over_steps(
    matrix: np.ndarray, capacity: float, start: int, max_steps: int = L2_MAX_STEPS
) -> tuple[int, int | None, bool]:
    """Max over time steps of L2, evaluated only where a cheap upper bound can beat ``start``.

    ``UB(t) = |{w(t) > C/2}| + ⌈Σ_{w(t) ≤ C/2} w / C⌉ ≥ L2(t)``; steps run in descending UB order.
    """
    half = capacity / 2 * (1 + CAPACITY_RTOL)
    if matrix.size and float(matrix.max()) <= half:
        # no item above C/2 at any step: L2(t) <= ceil(sum_t / C) <= the composite bound
        return start, None, True
    big = np.zeros(matrix.shape[1], dtype=np.int64)
    small = np.zeros(matrix.shape[1], dtype=np.float64)
    block = max(1, int(4e6 // max(matrix.shape[1], 1)))
    for i0 in range(0, matrix.shape[0], block):  # blocks of servers (bounded temporaries)
        rows = matrix[i0 : i0 + block]
        is_big = rows > half
        big += is_big.sum(axis=0)
        small += np.where(is_big, 0, rows).sum(axis=0, dtype=np.float64)
    ub = big + _ceil_div(small, capacity).astype(np.int64)
    order = np.argsort(-ub, kind="stable")
    best, at = start, None
    for k, t in enumerate(order):
        if ub[t] <= best:
            return best, at, True
        if k >= max_steps:
            return best, at, False
        v = l2_bound(matrix[:, t], capacity)
        if v > best:
            best, at = v, int(t)
    return best, at, True


def _greedy_clique(adj: np.ndarray, starts: int = 16) -> int:
    """Size of a large clique of a boolean adjacency matrix (greedy from the highest degrees)."""
    m = adj.shape[0]
    if m == 0:
        return 0
    deg = adj.sum(axis=1)
    best = 1
    for v in np.argsort(-deg, kind="stable")[:starts]:
        cand = adj[v].copy()
        size = 1
        while cand.any():
            idx = np.flatnonzero(cand)
            u = idx[int(np.argmax(deg[idx]))]
            size += 1
            cand &= adj[u]
        best = max(best, size)
    return best


def clique_bound(
    matrix: np.ndarray,
    capacity: float,
    *,
    memory: np.ndarray | None = None,
    host_memory: float | None = None,
    conflicts: list[np.ndarray] | None = None,
    max_items: int = CLIQUE_MAX_ITEMS,
) -> int:
    """Size of a set of servers that pairwise cannot share a host (each needs its own host).

    Two servers conflict when their summed demand exceeds ``capacity`` at some step, their
    memory exceeds ``host_memory``, or they are an anti-affinity pair.  Only servers that can
    conflict with some other one are considered (at most ``max_items``, largest first); the
    clique is found greedily, so the value is a valid (not necessarily the largest) bound.

    Parameters
    ----------
    matrix : numpy.ndarray
        Demand, shape (servers, steps).
    capacity : float
        Usable capacity of one host.
    memory : numpy.ndarray, optional
        Memory per server; needs ``host_memory``.
    host_memory : float, optional
        Memory per host.
    conflicts : list of numpy.ndarray, optional
        Anti-affinity partners per server.
    max_items : int
        Servers considered at most (largest first).

    Returns
    -------
    int
        Hosts any packing needs at least.

    Examples
    --------
    >>> m = np.array([[60., 60.], [60., 10.], [10., 60.]])
    >>> clique_bound(m, 100)  # 0-1 and 0-2 conflict; 1-2 do not
    2
    """
    n = matrix.shape[0]
    if n == 0:
        return 0
    tol = capacity * CAPACITY_RTOL
    peaks = matrix.max(axis=1).astype(np.float64)
    score = peaks / capacity
    cand_mask = peaks + peaks.max() > capacity + tol
    if memory is not None and host_memory is not None:
        cand_mask |= memory + memory.max() > host_memory * (1 + CAPACITY_RTOL)
        score = score + memory / host_memory
    if conflicts is not None:
        cand_mask |= np.array([c.size > 0 for c in conflicts])
    cand = np.flatnonzero(cand_mask)
    if cand.size < 2:
        return int(peaks.max() > 0 or (memory is not None and float(np.max(memory)) > 0))
    cand = cand[np.argsort(-score[cand], kind="stable")[:max_items]]
    m = cand.size
    adj = np.zeros((m, m), dtype=bool)
    rows = matrix[cand]
    for a in range(m - 1):  # loop over candidate servers; each row test is vectorized over steps
        others = np.arange(a + 1, m)
        maybe = others[peaks[cand[others]] + peaks[cand[a]] > capacity + tol]
        if maybe.size:
            over = ((rows[maybe] + rows[a]) > capacity + tol).any(axis=1)
            adj[a, maybe[over]] = True
    if memory is not None and host_memory is not None:
        mm = memory[cand]
        adj |= np.triu(mm[:, None] + mm[None, :] > host_memory * (1 + CAPACITY_RTOL), 1)
    if conflicts is not None:
        pos = np.full(n, -1)
        pos[cand] = np.arange(m)
        for a, i in enumerate(cand):
            j = pos[conflicts[i]]
            adj[a, j[j >= 0]] = True
    adj |= adj.T
    np.fill_diagonal(adj, False)
    return _greedy_clique(adj)


def lower_bound(
    matrix: npt.ArrayLike,
    capacity: float,
    *,
    memory: npt.ArrayLike | None = None,
    host_memory: float | None = None,
    conflicts: list[np.ndarray] | None = None,
    hosts_used: int | None = None,
    lp: bool = False,
) -> LowerBound:
    """Fewest hosts any packing can use: the best of several valid lower bounds.

    * ``composite``: ⌈max_t Σ_i d_i(t) / C⌉;
    * ``l2``: max over time steps of the Martello–Toth L2 bound (:func:`l2_bound`) — at any
      one step the servers form a one-dimensional bin-packing instance, and a packing
      feasible at every step is feasible at that step;
    * ``memory``: L2 on static memory per server (when ``memory`` and ``host_memory`` are given);
    * ``clique``: servers that pairwise cannot share a host (:func:`clique_bound`);
    * ``lp`` (with ``lp=True``): the LP relaxation of the pattern formulation
      (:func:`lp_bound`, column generation) at the L2 step and the composite peak step, only
      while the other bounds are below ``hosts_used``.

    Parameters
    ----------
    matrix : array_like
        Demand, shape (servers, steps).
    capacity : float
        Usable capacity of one host (same unit).
    memory : array_like, optional
        Memory per server (second dimension); needs ``host_memory``.
    host_memory : float, optional
        Memory per host.
    conflicts : list of numpy.ndarray, optional
        Anti-affinity partners per server.
    hosts_used : int, optional
        A packing's host count; sets ``gap_hosts`` (and stops the LP bound once it proves it).
    lp : bool
        Also compute the LP bound (seconds on a thousand distinct sizes; at steps with at
        most ``LP_MAX_ITEMS`` distinct nonzero demands).

    Returns
    -------
    LowerBound
        An ``int`` with ``bound``, ``bounds``, ``step``, ``gap_hosts``, ``exhaustive``.

    Examples
    --------
    >>> lower_bound([[60, 10], [10, 60], [50, 50]], 100)  # composite peak 120
    2
    >>> lb = lower_bound([[70.0], [70.0], [70.0], [40.0], [40.0], [40.0]], 100, hosts_used=5)
    >>> int(lb), lb.bound, lb.bounds["composite"], lb.gap_hosts
    (5, 'l2', 4, 0)
    """
    m = np.asarray(matrix)
    if m.ndim == 1:
        m = m[:, None]
    if m.size == 0:
        return LowerBound(0, "composite", dict.fromkeys(BOUND_NAMES[:1], 0))
    if m.dtype not in (np.float32, np.float64):
        m = m.astype(np.float64)
    peak = float(m.sum(axis=0, dtype=np.float64).max())
    bounds = {"composite": max(int(_ceil_div(peak, capacity)), 1 if peak > 0 else 0)}
    l2, step, exhaustive = _l2_over_steps(m, capacity, bounds["composite"])
    bounds["l2"] = l2
    mem = None if memory is None else np.asarray(memory, dtype=np.float64)
    if mem is not None and host_memory is not None:
        bounds["memory"] = l2_bound(mem, float(host_memory))
    bounds["clique"] = clique_bound(
        m, capacity, memory=mem, host_memory=host_memory, conflicts=conflicts
    )
    name = max(bounds, key=lambda k: (bounds[k], -BOUND_NAMES.index(k)))
    value = bounds[name]
    out = LowerBound(
        value,
        name,
        bounds,
        step if name == "l2" else None,
        None if hosts_used is None else int(hosts_used) - value,
        exhaustive,
    )
    return with_lp_bound(out, m, capacity, hosts_used=hosts_used) if lp else out


def with_lp_bound(
    lb: LowerBound, matrix: np.ndarray, capacity: float, *, hosts_used: int | None = None
) -> LowerBound:
    """``lb`` with the LP bound (:func:`lp_bound`) added at the L2 step and the composite peak step.

    Runs only while the best bound is below ``hosts_used`` (nothing to prove otherwise), at
    steps with at most ``LP_MAX_ITEMS`` distinct nonzero demands.  ``bounds["lp"]`` is at
    least the other bounds' best (the column generation stops once it cannot beat it).

    Parameters
    ----------
    lb : LowerBound
        The other bounds (from :func:`lower_bound`).
    matrix : numpy.ndarray
        Demand, shape (servers, steps).
    capacity : float
        Usable capacity of one host.
    hosts_used : int, optional
        A packing's host count: the LP stops once it proves it optimal; sets ``gap_hosts``.

    Returns
    -------
    LowerBound
        The best of ``lb``'s bounds and the LP bound.

    Examples
    --------
    >>> m = np.array([[60.0], [50.0], [40.0], [30.0], [30.0], [30.0], [30.0], [30.0]])
    >>> lb = with_lp_bound(lower_bound(m, 100), m, 100, hosts_used=4)
    >>> int(lb), lb.bound, lb.bounds["l2"], lb.gap_hosts
    (4, 'lp', 3, 0)
    """
    m = np.asarray(matrix)
    if m.ndim == 1:
        m = m[:, None]
    bounds = dict(lb.bounds)
    best = int(lb)
    lp_step = None
    if m.size and (hosts_used is None or best < hosts_used):
        peak_step = int(np.argmax(m.sum(axis=0, dtype=np.float64)))
        l2_step = lb.step if lb.bound == "l2" else None
        steps = list(dict.fromkeys([t for t in (l2_step, peak_step) if t is not None]))
        bounds["lp"] = 0
        for t in steps[:LP_MAX_STEPS]:
            if hosts_used is not None and best >= hosts_used:
                break
            col = m[:, t]
            if np.unique(col[col > 0]).size > LP_MAX_ITEMS:
                continue
            v = lp_bound(col, capacity, floor=best, target=hosts_used)
            if v > bounds["lp"]:
                bounds["lp"], lp_step = v, t
            best = max(best, v)
    name = max(bounds, key=lambda k: (bounds[k], -BOUND_NAMES.index(k)))
    value = bounds[name]
    return LowerBound(
        value,
        name,
        bounds,
        lb.step if name == lb.bound else lp_step if name == "lp" else None,
        None if hosts_used is None else int(hosts_used) - value,
        lb.exhaustive,
    )


__all__ = [
    "L2_MAX_STEPS",
    "CLIQUE_MAX_ITEMS",
    "BOUND_NAMES",
    "LP_MAX_ITERS",
    "LP_MAX_ITEMS",
    "LP_MAX_STEPS",
    "LP_GRID_MAX",
    "LP_GRID",
    "LP_ROUND_TOL",
    "LowerBound",
    "l2_bound",
    "lp_bound",
    "clique_bound",
    "lower_bound",
    "with_lp_bound",
]
