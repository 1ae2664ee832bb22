"""Time-series-aware packing of guests onto hosts/LPARs (seed 003 §2.3, white space).

Distributed servers are sized for their individual peaks, but a host only has to
carry the *composite* of the guests placed on it (SG24-6299 §2.3: "distributed
servers are designed for the individual peaks … an overdesign for the composite
peak").  :func:`pack` therefore assigns servers to hosts of a given capacity so
that, **at every time step**, each host's summed demand stays within
``host_capacity × max_util_pct / 100``.  It reports

* ``hosts_used`` — hosts the time-series packing needs,
* ``lower_bound`` — the best of the composite, Martello–Toth L2 (per step), memory and
  clique bounds (no placement can do better; ``bound`` names it, ``gap_hosts`` the gap),
* ``ffd_peak_hosts`` — classic first-fit-decreasing on individual peaks, for comparison,
* ``assignment`` and ``host_series`` (time × host demand).

Methods (see ``docs/packing.md``):

``"heuristic"``
    Vectorized over time: every item is checked against all open hosts with one
    matrix operation.  Two constructions are run — time-series first-fit-decreasing
    (by peak) and a *balanced* fill in order of a time-aware size (mean + standard
    deviation of the series; also in peak order for small instances) that starts with ``lower_bound`` hosts and puts each item
    on the feasible host whose peak after adding it is lowest (min-max over time,
    so peaks land in other guests' troughs), opening a host only when an item fits
    nowhere (retried with one more starting host while that happens, then with
    fewer hosts than the best packing found) — the best is kept, after an
    improvement pass that tries to empty the lightest hosts into the others; then
    :func:`local_search` (moves, 1-1 and 2-1 swaps; time- and iteration-limited).
    First fit and the peak order run only up to ``SMALL_INSTANCE_CELLS``.
``"milp"``
    Exact bin packing with one knapsack row per (host, non-dominated time step),
    solved by :func:`scipy.optimize.milp` (HiGHS).  Only for small instances.
``"auto"``
    ``"milp"`` up to ``milp_max_items`` servers (and never worse than the
    heuristic), ``"heuristic"`` beyond.

Examples
--------
>>> import pandas as pd
>>> from colonykit.packing import pack
>>> demand = pd.DataFrame({"web": [60, 10, 10], "batch": [10, 60, 10], "db": [10, 10, 60]})
>>> r = pack(demand, host_capacity=100)
>>> r.hosts_used, r.lower_bound, r.ffd_peak_hosts
(1, 1, 3)
"""

from __future__ import annotations

import math
import time
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from colonykit._dicts import DictMixin
from colonykit.errors import CapacityError, InputError, must_be, raise_problems, unknown_name
from colonykit.frames import demand_problems

Method = Literal["auto", "milp", "heuristic"]
METHODS: tuple[str, ...] = ("auto", "milp", "heuristic")

#: Default maximum utilization target of a host [%] (the CLI contract's default: no headroom).
#: Planners usually pass less, e.g. ``reference.constant("target_util_pct")`` = 90.
DEFAULT_MAX_UTIL_PCT = 100.0
#: ``method="auto"`` uses the exact MILP up to this many servers (binaries grow as n²).
MILP_MAX_ITEMS = 16
#: Wall-clock limit handed to HiGHS [s]; the best solution found so far is used after it.
MILP_TIME_LIMIT_S = 20.0
#: Hosts the improvement pass tries to empty (lightest first) before it stops.
IMPROVE_MAX_TRIES = 40
#: The same above ``SMALL_INSTANCE_CELLS`` servers × steps (each try reads long series).
IMPROVE_MAX_TRIES_LARGE = 4
#: Balanced constructions the heuristic tries (``lower_bound``, ``lower_bound + 1``, … open hosts).
BALANCE_TRIES = 4
#: Wall-clock limit of the local search after construction [s]; it also stops at the lower bound
#: and after ``LOCAL_SEARCH_MAX_ITERS`` iterations (colonykit default, tuning only).
LOCAL_SEARCH_TIME_S = 3.0
#: Default time limit of the local search on instances above ``SMALL_INSTANCE_CELLS`` [s]
#: (colonykit default, tuning only).
LOCAL_SEARCH_LARGE_S = 0.0
#: Iterations (moves or swaps) of the local search at most.
LOCAL_SEARCH_MAX_ITERS = 20_000
#: Seed of the local search's random choice among overloaded hosts (reproducible results).
LOCAL_SEARCH_SEED = 2011
#: Items of an overloaded host tried per iteration (largest at its overloaded steps); they are
#: moved alone or in pairs (1-0, 2-0 moves; 1-1, 2-1 swaps).
LOCAL_SEARCH_ITEMS = 6
#: Iterations without a lower overload after which the search gives up on emptying this host
#: and tries the next least-loaded one.
LOCAL_SEARCH_STALL = 2000
#: Iterations a moved item may not return to the host it left (tabu tenure: drawn from
#: ``LOCAL_SEARCH_TABU`` to ``3 × LOCAL_SEARCH_TABU`` per move, seeded).
LOCAL_SEARCH_TABU = 5
#: Swap partners × steps evaluated per item group and iteration at most (sampled beyond it).
SWAP_MAX_CELLS = 90_000
#: Steps per block of the capacity screen (block minima/maxima of slack and demand decide most
#: checks without looking at single steps; tuning only, decisions are exact).
SCREEN_BLOCK_STEPS = 32
#: Hosts checked step by step at once by first fit (in host order; the search stops early).
SCREEN_BATCH = 8
#: Blocks of least slack tracked per host: slack − demand at their steps is a cheap upper
#: bound of a host's headroom (tuning only, decisions are exact).
SCREEN_TIGHT_BLOCKS = 8
#: Above this share of the blocks to read, whole rows are compared instead of gathered blocks.
SCREEN_GATHER_FRAC = 0.25
#: Balanced fills below the best packing tried without improving before that search stops.
BALANCE_DOWN_MISSES = 2
#: Up to this many cells (servers × steps) the balanced fill is also tried in peak order.
SMALL_INSTANCE_CELLS = 2_000_000
#: ``jit=None`` runs the compiled placement loop (numba, the ``fast`` extra) from this many
#: servers × steps on: below it numba's import (about 0.5 s) costs more than it saves.
JIT_MIN_CELLS = 2_000_000
#: Relative tolerance of the capacity check (float rounding of summed series).
CAPACITY_RTOL = 1e-9


# --------------------------------------------------------------------------- validation
def demand_matrix(
    demand: pd.DataFrame | npt.ArrayLike, where: str = "demand"
) -> tuple[np.ndarray, list[str], pd.Index]:
    """Validate a wide demand frame and return it item-major.

    Parameters
    ----------
    demand : pandas.DataFrame or array_like
        Time × server demand (index = time or step, columns = servers).  A 2-D
        array is read the same way (rows = steps) with servers named ``s0, s1, …``.
    where : str
        Name of the input used in error messages.

    Returns
    -------
    matrix : numpy.ndarray
        Shape (servers, steps), C-contiguous, float32 or float64 as given.
    names : list of str
        Server names.
    index : pandas.Index
        The time index.

    Raises
    ------
    InputError
        Empty input, duplicate server names, NaN/inf or negative demand (naming
        server and step).

    Examples
    --------
    >>> m, names, _ = demand_matrix(pd.DataFrame({"a": [1.0, 2.0], "b": [3.0, 4.0]}))
    >>> m.tolist(), names
    ([[1.0, 2.0], [3.0, 4.0]], ['a', 'b'])
    """
    if isinstance(demand, pd.DataFrame):
        frame = demand
    else:
        arr = np.asarray(demand)
        if arr.ndim != 2:
            msg = must_be(where, "a 2-D time × server table", f"{arr.ndim}-D array")
            raise InputError(msg)
        frame = pd.DataFrame(arr, columns=[f"s{i}" for i in range(arr.shape[1])], copy=False)
    if frame.shape[0] == 0 or frame.shape[1] == 0:
        msg = must_be(where, "a non-empty time × server table", f"shape {frame.shape}")
        raise InputError(msg)
    names = [str(c) for c in frame.columns]
    if len(set(names)) != len(names):
        dup = sorted({n for n in names if names.count(n) > 1})
        msg = f"{where}: duplicate server column(s) {dup}"
        raise InputError(msg)
    try:
        values = frame.to_numpy()
        if values.dtype not in (np.float32, np.float64):
            values = values.astype(np.float64)
    except (TypeError, ValueError) as exc:
        msg = f"{where}: demand must be numeric ({exc})"
        raise InputError(msg) from exc
    matrix = np.ascontiguousarray(values.T)
    raise_problems(demand_problems(matrix, names, frame.index, where), f"invalid {where}")
    return matrix, names, frame.index


def _positive(value: float, field_name: str) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        v = float("nan")
    if not (math.isfinite(v) and v > 0):
        msg = must_be(field_name, "a number > 0", value)
        raise InputError(msg)
    return v


def effective_capacity(host_capacity: float, max_util_pct: float = DEFAULT_MAX_UTIL_PCT) -> float:
    """Usable capacity of one host: ``host_capacity × max_util_pct / 100``.

    Parameters
    ----------
    host_capacity : float
        Capacity of one host in the demand's unit, > 0.
    max_util_pct : float
        Maximum utilization target of a host [%], 0 < x ≤ 100.

    Returns
    -------
    float
        Usable capacity per host.

    Raises
    ------
    InputError
        Non-positive capacity or a utilization target outside 0..100.

    Examples
    --------
    >>> effective_capacity(5320, 90)
    4788.0
    """
    cap = _positive(host_capacity, "host_capacity")
    try:
        util = float(max_util_pct)
    except (TypeError, ValueError):
        util = float("nan")
    if not (math.isfinite(util) and 0 < util <= 100):
        msg = must_be("max_util_pct", "in 0..100 (exclusive of 0)", max_util_pct)
        raise InputError(msg)
    return cap * util / 100.0


# --------------------------------------------------------------------------- pure functions
#: Steps at which the Martello–Toth L2 bound is evaluated exactly at most (steps are tried in
#: order of a cheap upper bound on L2 and the search stops once no step can beat the best
#: bound, so this cap only matters for instances with many large items at many steps).
L2_MAX_STEPS = 4096
#: Servers considered for the pairwise-conflict (clique) bound at most (largest first).
CLIQUE_MAX_ITEMS = 400
#: Names of the bounds :func:`lower_bound` compares, in tie-break order.
BOUND_NAMES: tuple[str, ...] = ("composite", "l2", "memory", "clique")


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
        (Martello–Toth L2 at the best time step), ``"memory"`` (L2 on static memory)
        or ``"clique"`` (servers that pairwise cannot share a host).
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

    For every α in {0} ∪ {w_j ≤ C/2}: J1 = {w > C − α}, J2 = {C/2 < w ≤ C − α},
    J3 = {α ≤ w ≤ C/2}; L(α) = |J1| + |J2| + max(0, ⌈(Σ_{J3} w − (|J2| C − Σ_{J2} w)) / C⌉)
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
) -> LowerBound:
    """Fewest hosts any packing can use: the best of several valid lower bounds.

    * ``composite``: ⌈max_t Σ_i d_i(t) / C⌉;
    * ``l2``: max over time steps of the Martello–Toth L2 bound (:func:`l2_bound`) — at any
      one step the servers form a one-dimensional bin-packing instance, and a packing
      feasible at every step is feasible at that step;
    * ``memory``: L2 on static memory per server (when ``memory`` and ``host_memory`` are given);
    * ``clique``: servers that pairwise cannot share a host (:func:`clique_bound`).

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
        A packing's host count; sets ``gap_hosts``.

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
    return LowerBound(
        value,
        name,
        bounds,
        step if name == "l2" else None,
        None if hosts_used is None else int(hosts_used) - value,
        exhaustive,
    )


def _conflict_lists(pairs: Iterable[Sequence[str]] | None, names: list[str]) -> list[np.ndarray]:
    pos = {n: i for i, n in enumerate(names)}
    lists: list[list[int]] = [[] for _ in names]
    problems: list[str] = []
    for k, pair in enumerate(pairs or ()):
        if len(pair) != 2:
            problems.append(
                must_be("anti_affinity", "pairs of two server names", pair, f"pair {k + 1}")
            )
            continue
        a, b = (str(p) for p in pair)
        for s in (a, b):
            if s not in pos:
                problems.append(
                    str(
                        unknown_name(
                            "server",
                            s,
                            names[:20] + (["…"] if len(names) > 20 else []),
                            hint=f"anti_affinity pair {k + 1}",
                        )
                    )
                )
        if a in pos and b in pos:
            if a == b:
                problems.append(
                    must_be("anti_affinity", "two different servers", pair, f"pair {k + 1}")
                )
                continue
            lists[pos[a]].append(pos[b])
            lists[pos[b]].append(pos[a])
    raise_problems(problems, "invalid anti_affinity")
    return [np.asarray(sorted(set(x)), dtype=np.int64) for x in lists]


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
    p = np.asarray(peaks, dtype=np.float64)
    n = p.size
    mem = np.zeros(n) if memory is None else np.asarray(memory, dtype=np.float64)
    hmem = np.inf if host_memory is None else float(host_memory)
    tol = capacity * CAPACITY_RTOL
    free = np.full(n, capacity)
    free_mem = np.full(n, hmem)
    host_of = np.full(n, -1, dtype=np.int64)
    used = 0
    for i in np.argsort(-p, kind="stable"):
        ok = (free[:used] + tol >= p[i]) & (free_mem[:used] + tol >= mem[i])
        if conflicts is not None and conflicts[i].size:
            placed = host_of[conflicts[i]]
            ok[placed[placed >= 0]] = False
        k = int(np.argmax(ok)) if ok.any() else used
        used = max(used, k + 1)
        free[k] -= p[i]
        free_mem[k] -= mem[i]
        host_of[i] = k
    return host_of


class _Screen:
    """Each item's series as blocks of ``SCREEN_BLOCK_STEPS`` steps, with its block maxima.

    ``blocks(i)`` is item i's series as (blocks, width), zero past the last step (a view
    when the steps fill whole blocks, so the matrix is never copied).
    """

    def __init__(self, matrix: np.ndarray) -> None:
        n_t = matrix.shape[1]
        self.matrix = matrix
        self.width = SCREEN_BLOCK_STEPS
        self.steps = n_t
        self.nb = -(-n_t // self.width)
        starts = np.arange(0, n_t, self.width)
        self.xmax = np.maximum.reduceat(matrix, starts, axis=1)

    def blocks(self, i: int) -> np.ndarray:
        x = self.matrix[i]
        if x.size == self.nb * self.width:
            return x.reshape(self.nb, self.width)
        out = np.zeros(self.nb * self.width, dtype=x.dtype)
        out[: x.size] = x
        return out.reshape(self.nb, self.width)


class _Hosts:
    """Open hosts' slack as (hosts, blocks, width) plus memory slack; grows on demand.

    Capacity checks read only what can change a decision, and compute it exactly:

    * per host and block the least slack and its step are kept, and per host the
      ``SCREEN_TIGHT_BLOCKS`` blocks of least slack: slack − demand at those steps is an
      upper bound of the host's headroom (the ``min`` over time of slack − demand),
      first over the tight blocks (a few numbers per host), then over every block;
    * a block whose least slack minus the item's block maximum is at least a bound already
      known cannot hold a smaller value and is not read; the others are read step by step.

    The decisions are those of checking every step (tested against that).  Steps past
    the last one hold ``+inf`` slack.
    """

    def __init__(
        self, steps: int, capacity: float, host_memory: float, reserve: int, screen: _Screen
    ) -> None:
        self.capacity = capacity
        self.tol = capacity * CAPACITY_RTOL
        self.screen = screen
        self.steps = steps
        nb, width = screen.nb, screen.width
        rows = max(reserve, 1)
        self.slack = np.empty((rows, nb, width), dtype=np.float64)
        self.smin = np.empty((rows, nb), dtype=np.float64)
        self.at = np.empty((rows, nb), dtype=np.intp)  # flat step of each block's least slack
        self.tight_n = min(SCREEN_TIGHT_BLOCKS, nb)
        self.tight_at = np.empty((rows, self.tight_n), dtype=np.intp)
        self.tight_slack = np.empty((rows, self.tight_n), dtype=np.float64)
        self.mem = np.empty(rows)
        self.first_step = np.arange(nb, dtype=np.intp) * width
        self.block_ids = np.arange(nb, dtype=np.intp)
        self.host_memory = host_memory
        self.memory_binds = bool(np.isfinite(host_memory))
        self.count = 0

    def _arrays(self) -> tuple[str, ...]:
        return ("slack", "smin", "at", "tight_at", "tight_slack", "mem")

    def open(self) -> int:
        if self.count == self.slack.shape[0]:
            extra = max(self.count, 1)
            for name in self._arrays():
                a = getattr(self, name)
                setattr(self, name, np.concatenate([a, np.empty((extra, *a.shape[1:]), a.dtype)]))
        k = self.count
        full = self.capacity + self.tol
        self.slack[k] = full
        self.slack[k].reshape(-1)[self.steps :] = np.inf
        self.smin[k] = full
        self.at[k] = self.first_step
        self.tight_at[k] = self.first_step[: self.tight_n]
        self.tight_slack[k] = full
        self.mem[k] = self.host_memory + self.tol
        self.count += 1
        return k

    def add(self, k: int, x3: np.ndarray, mem: float, sign: float = 1.0) -> None:
        """Place (sign 1) or remove (sign -1) an item's blocked series ``x3`` on host k."""
        if sign > 0:
            self.slack[k] -= x3
        else:
            self.slack[k] += x3
        self.mem[k] -= sign * mem
        offset = self.slack[k].argmin(axis=1)
        smin = self.slack[k][self.block_ids, offset]
        self.smin[k] = smin
        at = np.add(self.first_step, offset, out=self.at[k])
        if self.tight_n < smin.size:
            sel = np.argpartition(smin, self.tight_n - 1)[: self.tight_n]
        else:
            sel = np.arange(smin.size)
        self.tight_at[k] = at[sel]
        self.tight_slack[k] = smin[sel]

    def loads(self) -> np.ndarray:
        """Summed demand over all steps per open host."""
        c = self.count
        used = self.slack[:c].reshape(c, -1)[:, : self.steps]
        return (self.capacity + self.tol - used).sum(axis=1)

    def restore(self, saved: tuple[np.ndarray, ...]) -> None:
        for name, a in zip(self._arrays(), saved, strict=True):
            setattr(self, name, a)

    def save(self) -> tuple[np.ndarray, ...]:
        return tuple(getattr(self, name).copy() for name in self._arrays())

    def _candidates(self, mem: float, allowed: np.ndarray | None) -> np.ndarray | None:
        """Hosts with the memory and allowed for the item; None when every host is."""
        if not self.memory_binds:
            return allowed
        ok = self.mem[: self.count] >= mem
        if allowed is not None:
            ok &= allowed
        return ok

    def _headroom_one(self, k: int, i: int, x3: np.ndarray, x: np.ndarray) -> float:
        """Exact min_t(slack − x_i) of host k (:meth:`headroom` for one host)."""
        high = float((self.smin[k] - np.take(x, self.at[k])).min())
        blocks = np.flatnonzero(self.smin[k] - self.screen.xmax[i] < high)
        if not blocks.size:
            return high
        if blocks.size > SCREEN_GATHER_FRAC * self.block_ids.size:
            return float((self.slack[k].reshape(-1) - x).min())
        return min(
            high, float((self.slack[k].take(blocks, axis=0) - x3.take(blocks, axis=0)).min())
        )

    def _high_tight(self, x: np.ndarray) -> np.ndarray:
        """Upper bound of every open host's headroom from its tight blocks (cheap)."""
        c = self.count
        return (self.tight_slack[:c] - np.take(x, self.tight_at[:c])).min(axis=1)

    def _high(self, idx: np.ndarray, x: np.ndarray) -> np.ndarray:
        """Upper bound of hosts ``idx``'s headroom from every block's step of least slack."""
        return (self.smin[idx] - np.take(x, self.at[idx])).min(axis=1)

    def headroom(self, idx: np.ndarray, i: int, x3: np.ndarray, high: np.ndarray) -> np.ndarray:
        """Exact min_t(slack − x_i) of hosts ``idx``, reading only blocks that can be the minimum.

        ``high`` is an upper bound of each one's headroom that is itself a value of
        slack − x: a block whose lower bound (least slack − block maximum of x) is at least
        ``high`` cannot hold anything smaller.
        """
        lowb = self.smin[idx] - self.screen.xmax[i]
        rows, blocks = np.nonzero(lowb < high[:, None])
        if rows.size > SCREEN_GATHER_FRAC * lowb.size:  # most blocks needed: read whole rows
            return (self.slack[idx].reshape(idx.size, -1) - x3.reshape(-1)).min(axis=1)
        head = high.astype(np.float64)
        if rows.size:
            nb = self.smin.shape[1]
            cells = self.slack.reshape(-1, self.screen.width)  # (host, block) rows
            vals = (cells.take(idx[rows] * nb + blocks, axis=0) - x3.take(blocks, axis=0)).min(
                axis=1
            )
            change = np.ones(rows.size, dtype=bool)  # rows come sorted (np.nonzero)
            np.not_equal(rows[1:], rows[:-1], out=change[1:])
            starts = np.flatnonzero(change)
            at = rows[starts]
            head[at] = np.minimum(head[at], np.minimum.reduceat(vals, starts))
        return head

    def first_feasible(self, i: int, x3: np.ndarray, mem: float, allowed: np.ndarray | None) -> int:
        """Lowest open host where item i fits at every step (and in memory), or -1."""
        if self.count == 0:
            return -1
        x = x3.reshape(-1)
        ok = self._high_tight(x) >= 0
        cand = self._candidates(mem, allowed)
        if cand is not None:
            ok &= cand
        check = np.flatnonzero(ok)
        xmax = self.screen.xmax[i]
        for b0 in range(0, check.size, SCREEN_BATCH):  # in host order: stop at the first fit
            idx = check[b0 : b0 + SCREEN_BATCH]
            idx = idx[self._high(idx, x) >= 0]  # else it overflows at a known step
            if not idx.size:
                continue
            rows, blocks = np.nonzero(self.smin[idx] < xmax)  # only these blocks can overflow
            if rows.size > SCREEN_GATHER_FRAC * idx.size * xmax.size:
                fits = (self.slack[idx] >= x3).all(axis=(1, 2))
            else:
                nb = self.smin.shape[1]
                cells = self.slack.reshape(-1, self.screen.width)
                viol = (cells.take(idx[rows] * nb + blocks, axis=0) < x3.take(blocks, axis=0)).any(
                    axis=1
                )
                fits = np.ones(idx.size, dtype=bool)
                fits[rows[viol]] = False
            if fits.any():
                return int(idx[int(np.argmax(fits))])
        return -1

    def best_headroom(self, i: int, x3: np.ndarray, mem: float, allowed: np.ndarray | None) -> int:
        """Open host with the largest min_t(slack − x_i) ≥ 0 (lowest index on ties), or -1.

        Branch and bound, vectorized: the host with the largest tight-block bound is
        evaluated exactly first; the hosts whose tight-block bound can still match it get
        the every-block bound, and those that still can are evaluated exactly, at once.
        Exact values come from the same ``slack − x`` differences as a full check, so the
        decision is the full check's.
        """
        c = self.count
        if c == 0:
            return -1
        x = x3.reshape(-1)
        high = self._high_tight(x)
        ok = self._candidates(mem, allowed)
        if ok is not None:
            high = np.where(ok, high, -np.inf)
        first = int(np.argmax(high))  # lowest index among the largest bounds
        if high[first] < 0:
            return -1
        best_k, best_h = first, self._headroom_one(first, i, x3, x)

        def can_match(idx: np.ndarray, bound: np.ndarray) -> np.ndarray:
            return (bound > best_h) | ((bound == best_h) & (idx < best_k))

        rest = np.flatnonzero(can_match(np.arange(c), high))
        if rest.size:
            bound = self._high(rest, x)
            keep = can_match(rest, bound)
            rest, bound = rest[keep], bound[keep]
        if rest.size > 1:  # the best of the finer bounds next: it usually prunes the rest
            j = int(np.argmax(bound))
            head = self.headroom(rest[j : j + 1], i, x3, bound[j : j + 1])
            if head[0] > best_h or (head[0] == best_h and rest[j] < best_k):
                best_k, best_h = int(rest[j]), float(head[0])
            keep = can_match(rest, bound)
            keep[j] = False
            rest, bound = rest[keep], bound[keep]
        if rest.size:
            head = self.headroom(rest, i, x3, bound)
            j = int(np.argmax(head))  # lowest index among the best (rest is ascending)
            if head[j] > best_h or (head[j] == best_h and rest[j] < best_k):
                best_k, best_h = int(rest[j]), float(head[j])
        return best_k if best_h >= 0 else -1


def _construct(
    matrix: np.ndarray,
    order: np.ndarray,
    capacity: float,
    *,
    start_hosts: int,
    rule: Literal["first", "balance"],
    memory: np.ndarray,
    host_memory: float,
    conflicts: list[np.ndarray] | None,
    screen: _Screen | None = None,
    jit: bool = False,
) -> tuple[np.ndarray, _Hosts]:
    """Place items in ``order`` onto ``start_hosts`` open hosts, opening more when nothing fits.

    ``first``: the first feasible host.  ``balance``: the feasible host whose peak after
    adding the item is lowest (min-max over time, so peaks land in other guests' troughs).
    ``jit``: the compiled loop of :mod:`colonykit._packing_jit` (same decisions, same state).
    """
    screen = _Screen(matrix) if screen is None else screen
    hosts = _Hosts(
        matrix.shape[1], capacity, host_memory, reserve=max(start_hosts, 8), screen=screen
    )
    for _ in range(start_hosts):
        hosts.open()
    host_of = np.full(matrix.shape[0], -1, dtype=np.int64)
    if jit:
        _construct_jit(matrix, order, rule, memory, conflicts, screen, hosts, host_of)
        return host_of, hosts
    pick = hosts.first_feasible if rule == "first" else hosts.best_headroom
    for i in order:
        x3 = screen.blocks(int(i))
        allowed = None
        if conflicts is not None and conflicts[i].size:
            allowed = np.ones(hosts.count, dtype=bool)
            placed = host_of[conflicts[i]]
            allowed[placed[placed >= 0]] = False
        k = pick(int(i), x3, memory[i], allowed)
        if k < 0:
            k = hosts.open()
        hosts.add(k, x3, memory[i])
        host_of[i] = k
    return host_of, hosts


def jit_available() -> bool:
    """Whether the compiled placement loop can run (numba, ``pip install 'colonykit[fast]'``).

    Examples
    --------
    >>> isinstance(jit_available(), bool)
    True
    """
    try:
        import colonykit._packing_jit  # noqa: F401
    except ImportError:
        return False
    return True


def _use_jit(jit: bool | None, cells: int) -> bool:
    """``jit`` resolved: None = numba when installed and the instance has ``JIT_MIN_CELLS``."""
    if jit is None:
        return cells >= JIT_MIN_CELLS and jit_available()
    if jit:
        import colonykit._packing_jit  # noqa: F401  (without numba: the error names the extra)
    return bool(jit)


def _conflict_csr(conflicts: list[np.ndarray] | None, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Anti-affinity partners as CSR (pointer per item, partner indices)."""
    if conflicts is None:
        return np.zeros(n + 1, dtype=np.intp), np.zeros(0, dtype=np.intp)
    ptr = np.zeros(n + 1, dtype=np.intp)
    np.cumsum([c.size for c in conflicts], out=ptr[1:])
    return ptr, np.concatenate([np.zeros(0, dtype=np.intp), *conflicts]).astype(np.intp)


def _construct_jit(
    matrix: np.ndarray,
    order: np.ndarray,
    rule: Literal["first", "balance"],
    memory: np.ndarray,
    conflicts: list[np.ndarray] | None,
    screen: _Screen,
    hosts: _Hosts,
    host_of: np.ndarray,
) -> None:
    """:func:`_construct`'s loop, compiled; a host is opened here whenever none holds an item."""
    from colonykit import _packing_jit

    def ro(a: np.ndarray, dtype: npt.DTypeLike | None = None) -> np.ndarray:
        # inputs read-only, always: one compiled signature per demand dtype, cached once
        v = np.ascontiguousarray(a, dtype=dtype).view()
        v.flags.writeable = False
        return v

    data = ro(matrix)
    xmax = ro(screen.xmax)
    order = ro(order, np.intp)
    mem = ro(memory, np.float64)
    ptr, idx = (ro(a, np.intp) for a in _conflict_csr(conflicts, matrix.shape[0]))
    pos = 0
    while pos < order.size:
        rows = hosts.slack.shape[0]
        pos = _packing_jit.fill(
            data,
            xmax,
            order,
            pos,
            rule == "balance",
            hosts.slack.reshape(rows, -1),
            hosts.smin,
            hosts.at,
            hosts.tight_at,
            hosts.tight_slack,
            hosts.mem,
            hosts.count,
            mem,
            hosts.memory_binds,
            ptr,
            idx,
            host_of,
            screen.width,
        )
        if pos < order.size:
            i = int(order[pos])
            k = hosts.open()
            hosts.add(k, screen.blocks(i), mem[i])
            host_of[i] = k
            pos += 1


def _improve(
    matrix: np.ndarray,
    host_of: np.ndarray,
    hosts: _Hosts,
    memory: np.ndarray,
    conflicts: list[np.ndarray] | None,
    max_tries: int,
) -> np.ndarray:
    """Try to empty the lightest hosts into the others (first feasible host); keep what works."""
    tries = 0
    failed: set[int] = set()
    while tries < max_tries:
        used = np.bincount(host_of, minlength=hosts.count)
        load = hosts.loads()
        candidates = [int(h) for h in np.argsort(load) if used[h] > 0 and int(h) not in failed]
        if len(candidates) == 0 or int((used > 0).sum()) <= 1:
            break
        h = candidates[0]
        tries += 1
        saved, saved_of = hosts.save(), host_of.copy()
        items = np.flatnonzero(host_of == h)
        items = items[np.argsort(-matrix[items].max(axis=1), kind="stable")]
        moved = True
        for i in items:
            allowed = used > 0
            allowed[h] = False
            if conflicts is not None and conflicts[i].size:
                placed = host_of[conflicts[i]]
                allowed[placed[placed >= 0]] = False
            x3 = hosts.screen.blocks(int(i))
            k = hosts.first_feasible(int(i), x3, memory[i], allowed)
            if k < 0:
                moved = False
                break
            hosts.add(k, x3, memory[i])
            hosts.add(h, x3, memory[i], sign=-1.0)
            host_of[i] = k
        if not moved:
            hosts.restore(saved)
            host_of = saved_of
            failed.add(h)
    return host_of


def _host_loads(matrix: np.ndarray, host_of: np.ndarray, m: int) -> np.ndarray:
    """(m, steps) float64 summed demand per host."""
    loads = np.zeros((m, matrix.shape[1]))
    for k in range(m):
        members = np.flatnonzero(host_of == k)
        if members.size:
            loads[k] = matrix[members].sum(axis=0, dtype=np.float64)
    return loads


def _overload(rows: np.ndarray, limit: float) -> np.ndarray:
    """Linear overload penalty Σ_t max(0, load(t) − limit) of each row (summed in float64)."""
    return np.maximum(rows - limit, 0).sum(axis=-1, dtype=np.float64)


@dataclass(frozen=True)
class SearchStats:
    """What :func:`local_search` did: hosts before and after, iterations, seconds, why it stopped.

    Attributes
    ----------
    hosts_before : int
        Hosts of the packing the search started from.
    hosts_after : int
        Hosts of the best feasible packing found.
    iterations : int
        Moves and swaps applied.
    seconds : float
        Wall time of the search.
    stopped : str
        Why it stopped (lower bound reached, every host tried, iteration or time limit).
    overload_left : float
        The smallest total overload (demand unit × steps) reached while trying to drop one
        more host (0 when the last attempt succeeded).
    """

    hosts_before: int
    hosts_after: int
    iterations: int
    seconds: float
    stopped: str
    overload_left: float = 0.0


def local_search(
    matrix: np.ndarray,
    host_of: np.ndarray,
    capacity: float,
    *,
    memory: np.ndarray | None = None,
    host_memory: float | None = None,
    conflicts: list[np.ndarray] | None = None,
    lower_bound: int = 1,
    time_limit_s: float = LOCAL_SEARCH_TIME_S,
    seed: int = LOCAL_SEARCH_SEED,
    max_iters: int = LOCAL_SEARCH_MAX_ITERS,
    on_feasible: Callable[[np.ndarray], None] | None = None,
) -> tuple[np.ndarray, SearchStats]:
    """Empty the least-loaded host by moves and swaps under a linear overload penalty.

    Starting from a feasible packing on m hosts, the host with the least summed load is
    emptied onto the others (each item, largest peak first, where it adds the least
    overload; capacity may be exceeded).  Then, one iteration at a time, an overloaded host
    h is chosen (seeded random choice) and its ``LOCAL_SEARCH_ITEMS`` largest items (at its
    overloaded steps) are tried alone and in pairs: moved to another host (1-0, 2-0) or
    swapped with one item of another host (1-1, 2-1).  The best of these by the change in
    the penalty Σ_k Σ_t max(0, load_k(t) − C) is applied even when it does not lower the
    penalty (tabu search: an item may not return to the host it left for a seeded tenure,
    unless that reaches a penalty below the best so far).  When the penalty is 0 the packing
    on m − 1 hosts is feasible at every step (checked on exactly summed loads), is kept, and
    the next host is emptied.  Memory and anti-affinity are hard constraints throughout.

    Only feasible packings are ever returned (and handed to ``on_feasible``), so the result
    never uses more hosts than ``host_of``.  The search stops at ``lower_bound`` hosts,
    after ``max_iters`` iterations or after ``time_limit_s`` seconds; for a given ``seed``
    the sequence of packings is the same on every run (the time limit only decides how far
    along it the search gets; ``max_iters`` alone makes the result reproducible).

    Parameters
    ----------
    matrix : numpy.ndarray
        Demand, shape (servers, steps).
    host_of : numpy.ndarray
        A feasible packing: host per server (any integer labels).
    capacity : float
        Usable capacity per host (same unit as ``matrix``).
    memory : numpy.ndarray, optional
        Memory per server (static); needs ``host_memory``.
    host_memory : float, optional
        Memory per host.
    conflicts : list of numpy.ndarray, optional
        For each server, the servers it may not share a host with.
    lower_bound : int
        Stop when the packing reaches this many hosts.
    time_limit_s : float
        Wall-clock limit [s].
    seed : int
        Seed of the random choices (overloaded host, sampled swap partners, tabu tenure).
    max_iters : int
        Iterations (applied moves or swaps) at most.
    on_feasible : callable, optional
        Called with every feasible packing found (host per server, 0-based).

    Returns
    -------
    host_of : numpy.ndarray
        Host per server (0-based, consecutive), feasible.
    stats : SearchStats
        Hosts before and after, iterations, seconds and why the search stopped.

    Examples
    --------
    >>> m = np.array([[60., 10.], [10., 60.], [40., 40.], [40., 40.]])
    >>> start = np.array([0, 1, 2, 2])  # 3 hosts; 60+40 / 10+40 and 10+40 / 60+40 fit on 2
    >>> best, stats = local_search(m, start, 100)
    >>> int(best.max()) + 1, stats.hosts_before
    (2, 3)
    """
    t0 = time.perf_counter()
    deadline = t0 + max(float(time_limit_s), 0.0)
    n, n_t = matrix.shape
    mem = np.zeros(n) if memory is None else np.asarray(memory, dtype=np.float64)
    hmem = np.inf if host_memory is None else float(host_memory)
    limit = capacity * (1 + CAPACITY_RTOL)
    mlimit = hmem * (1 + CAPACITY_RTOL)
    fdt = np.float32 if matrix.dtype == np.float32 else np.float64
    rng = np.random.default_rng(seed)
    best = _renumber(np.asarray(host_of, dtype=np.int64))
    before = int(best.max()) + 1
    partners = max(1, int(SWAP_MAX_CELLS // max(n_t, 1)))
    it = 0
    least = np.inf
    attempt = 0

    def stats(why: str) -> SearchStats:
        left = 0.0 if not np.isfinite(least) else round(float(least), 3)
        return SearchStats(
            before, int(best.max()) + 1, it, round(time.perf_counter() - t0, 3), why, left
        )

    def partner_hosts(i: int, where: np.ndarray, hosts: int) -> np.ndarray:
        """Hosts holding an anti-affinity partner of item i."""
        bad = np.zeros(hosts, dtype=bool)
        if conflicts is not None and conflicts[i].size:
            placed = where[conflicts[i]]
            bad[placed[placed >= 0]] = True
        return bad

    while True:
        m = int(best.max()) + 1
        if m <= max(int(lower_bound), 1):
            return best, stats("lower bound reached")
        if attempt >= m:
            return best, stats("every host tried")
        if it >= max_iters:
            return best, stats("iteration limit")
        if time.perf_counter() > deadline:
            return best, stats("time limit")
        cur = best.copy()
        loads = _host_loads(matrix, cur, m)
        memu = np.bincount(cur, weights=mem, minlength=m)
        drop = int(np.argsort(loads.sum(axis=1), kind="stable")[attempt])  # least-loaded first
        keep = np.arange(m) != drop
        remap = np.cumsum(keep) - 1
        moving = np.flatnonzero(cur == drop)
        cur = np.where(cur == drop, -1, remap[cur])
        loads, memu = loads[keep], memu[keep]
        m -= 1
        over = _overload(loads, limit)
        placed_all = True
        for i in moving[np.argsort(-matrix[moving].max(axis=1), kind="stable")]:
            ok = (memu + mem[i] <= mlimit) & ~partner_hosts(int(i), cur, m)
            if not ok.any():
                placed_all = False  # memory or anti-affinity leave no host: try the next host
                break
            after = loads + matrix[i]
            delta = np.where(ok, _overload(after, limit) - over, np.inf)
            k = int(np.lexsort((after.max(axis=1), delta))[0])  # least overload, then lowest peak
            loads[k] += matrix[i]
            memu[k] += mem[i]
            over[k] = _overload(loads[k], limit)
            cur[i] = k
        tabu = np.zeros((n, m), dtype=np.int64)  # iteration until which item i may not go to k
        least, stall = np.inf, 0
        while placed_all:
            total = float(over.sum())
            if total <= 0:
                exact = _host_loads(matrix, cur, m)  # no drift from incremental updates
                if (exact <= limit).all():
                    break
                loads = exact
                over = _overload(loads, limit)
                total = float(over.sum())
            stall = 0 if total < least else stall + 1
            least = min(least, total)
            if stall > LOCAL_SEARCH_STALL:
                break
            if it >= max_iters:
                return best, stats("iteration limit")
            if time.perf_counter() > deadline:
                return best, stats("time limit")
            it += 1
            h = int(rng.choice(np.flatnonzero(over > 0)))
            members = np.flatnonzero(cur == h)
            hot = loads[h] > limit
            group_items = members[
                np.argsort(-matrix[members][:, hot].sum(axis=1), kind="stable")[:LOCAL_SEARCH_ITEMS]
            ]
            na = group_items.size
            groups = [[a] for a in range(na)] + [
                [a, c] for a in range(na) for c in range(a + 1, na)
            ]
            lh = (loads[h] - limit).astype(fdt)
            lm = (loads - limit).astype(fdt)
            others = np.flatnonzero(cur != h)
            if others.size > partners:
                others = np.sort(rng.choice(others, partners, replace=False))
            hb = cur[others]
            if others.size:
                h_plus_b = lh + matrix[others]  # h without its limit plus b
                k_minus_b = lm[hb] - matrix[others]  # b's host without b
                base_swap = over[h] + over[hb]
                # b may not join h when a partner of b is on h
                hard_b0 = (
                    ~np.array([partner_hosts(int(b), cur, m)[h] for b in others])
                    if conflicts is not None
                    else np.ones(others.size, dtype=bool)
                )
                soft_b0 = tabu[others, h] <= it
            bad = [partner_hosts(int(a), cur, m) for a in group_items]
            # (delta, group, host, swap partner or -1); first strictly best wins (deterministic)
            choice: tuple[float, list[int], int, int] | None = None
            for g in groups:
                items = group_items[g]
                xg = matrix[items].sum(axis=0, dtype=np.float64).astype(fdt)
                mg = float(mem[items].sum())
                gain_h = _overload(lh - xg, 0.0) - over[h]
                hard = memu + mg <= mlimit
                for a in g:
                    hard &= ~bad[a]
                hard[h] = False
                soft = (tabu[items] <= it).all(axis=0)
                d_move = _overload(lm + xg, 0.0) - over + gain_h
                d_move = np.where(hard & (soft | (total + d_move < least)), d_move, np.inf)
                k = int(np.argmin(d_move))
                if np.isfinite(d_move[k]) and (choice is None or d_move[k] < choice[0]):
                    choice = (float(d_move[k]), [int(i) for i in items], k, -1)
                if others.size == 0:
                    continue
                d_swap = _overload(h_plus_b - xg, 0.0) + _overload(k_minus_b + xg, 0.0) - base_swap
                hard_b = (
                    (memu[h] - mg + mem[others] <= mlimit)
                    & (memu[hb] - mem[others] + mg <= mlimit)
                    & hard_b0
                )
                soft_b = soft_b0.copy()
                for a, i in zip(g, items, strict=True):
                    hard_b &= ~bad[a][hb]
                    soft_b &= tabu[i, hb] <= it
                    if conflicts is not None and conflicts[i].size:
                        hard_b &= ~np.isin(others, conflicts[i])
                d_swap = np.where(hard_b & (soft_b | (total + d_swap < least)), d_swap, np.inf)
                j = int(np.argmin(d_swap))
                if np.isfinite(d_swap[j]) and (choice is None or d_swap[j] < choice[0]):
                    choice = (float(d_swap[j]), [int(i) for i in items], int(hb[j]), int(others[j]))
            if choice is None:
                continue
            _, moved, k, b = choice
            for a in moved:
                loads[h] -= matrix[a]
                loads[k] += matrix[a]
                memu[h] -= mem[a]
                memu[k] += mem[a]
                cur[a] = k
                tabu[a, h] = it + int(rng.integers(LOCAL_SEARCH_TABU, 3 * LOCAL_SEARCH_TABU + 1))
            if b >= 0:
                loads[k] -= matrix[b]
                loads[h] += matrix[b]
                memu[k] -= mem[b]
                memu[h] += mem[b]
                cur[b] = h
                tabu[b, k] = it + int(rng.integers(LOCAL_SEARCH_TABU, 3 * LOCAL_SEARCH_TABU + 1))
            over[h], over[k] = _overload(loads[h], limit), _overload(loads[k], limit)
        if not placed_all or float(over.sum()) > 0:
            attempt += 1  # this host could not be emptied: try the next least-loaded one
            continue
        attempt = 0
        best = _renumber(cur)
        least = 0.0
        if on_feasible is not None:
            on_feasible(best)


def _mean_plus_std(matrix: np.ndarray) -> np.ndarray:
    """Mean + standard deviation of each row (float64 sums of values and squares)."""
    n_t = max(matrix.shape[1], 1)
    s1 = np.einsum("ij->i", matrix, dtype=np.float64)  # one pass each, no float64 copy
    s2 = np.einsum("ij,ij->i", matrix, matrix, dtype=np.float64)
    mean = s1 / n_t
    return mean + np.sqrt(np.maximum(s2 / n_t - mean * mean, 0.0))


def _renumber(host_of: np.ndarray) -> np.ndarray:
    """Host ids 0..m-1 in order of first appearance."""
    _, first, inverse = np.unique(host_of, return_index=True, return_inverse=True)
    rank = np.argsort(np.argsort(first))
    return rank[inverse].astype(np.int64)


def pack_heuristic(
    matrix: np.ndarray,
    capacity: float,
    *,
    memory: np.ndarray | None = None,
    host_memory: float | None = None,
    conflicts: list[np.ndarray] | None = None,
    improve: bool = True,
    max_tries: int = IMPROVE_MAX_TRIES,
    balance_tries: int = BALANCE_TRIES,
    repair_moves: int = 0,
    lower_bound_hosts: int | None = None,
    jit: bool | None = None,
) -> np.ndarray:
    """Time-series packing heuristic on an item-major matrix; returns the host of each item.

    Parameters
    ----------
    matrix : numpy.ndarray
        Demand, shape (servers, steps); no item may exceed ``capacity`` at any step.
    capacity : float
        Usable capacity per host.
    memory : numpy.ndarray, optional
        Memory per server; needs ``host_memory``.
    host_memory : float, optional
        Memory per host.
    conflicts : list of numpy.ndarray, optional
        Anti-affinity partners per server.
    improve : bool
        Run the host-emptying improvement pass.
    max_tries : int
        Hosts the improvement pass tries to empty.
    balance_tries : int
        Balanced constructions tried, starting with ``lower_bound`` hosts and one
        more each time while the construction still had to open hosts.
    repair_moves : int
        Deprecated (the min-conflicts repair gained no host on any instance tried): a
        value > 0 runs :func:`local_search` with ``max_iters=repair_moves`` instead.
    lower_bound_hosts : int, optional
        A known lower bound (e.g. from :func:`lower_bound`); the balanced fill starts
        with this many hosts.  Default: the composite bound.
    jit : bool, optional
        Run the constructions' placement loop compiled (numba, the ``fast`` extra): the
        same decisions, several times faster on large instances.  Default: compiled when
        numba is installed and the matrix has at least ``JIT_MIN_CELLS`` cells.

    Returns
    -------
    numpy.ndarray
        Host id per server (0-based, consecutive).

    Examples
    --------
    >>> m = np.array([[60., 10.], [10., 60.], [50., 50.], [30., 30.]])
    >>> pack_heuristic(m, 100).tolist()  # host 0: [60+10+30, 10+60+30]
    [0, 0, 1, 0]
    """
    n = matrix.shape[0]
    mem = np.zeros(n) if memory is None else np.asarray(memory, dtype=np.float64)
    hmem = np.inf if host_memory is None else float(host_memory)
    peak_order = np.argsort(-matrix.max(axis=1), kind="stable")
    if lower_bound_hosts is None:
        peak = float(matrix.sum(axis=0, dtype=np.float64).max())
        lb = max(int(_ceil_div(peak, capacity)), 1 if peak > 0 else 0)
        if hmem < np.inf:
            lb = max(lb, int(_ceil_div(mem.sum(), hmem)))
    else:
        lb = int(lower_bound_hosts)
    best: tuple[np.ndarray, _Hosts] | None = None
    screen = _Screen(matrix)
    large = matrix.size > SMALL_INSTANCE_CELLS
    compiled = _use_jit(jit, matrix.size)

    def run(rule: Literal["first", "balance"], order: np.ndarray, start: int) -> int:
        nonlocal best
        host_of, hosts = _construct(
            matrix,
            order,
            capacity,
            start_hosts=start,
            rule=rule,
            memory=mem,
            host_memory=hmem,
            conflicts=conflicts,
            screen=screen,
            jit=compiled,
        )
        if improve:
            tries = min(max_tries, IMPROVE_MAX_TRIES_LARGE) if large else max_tries
            host_of = _improve(matrix, host_of, hosts, mem, conflicts, tries)
        used = int(np.unique(host_of).size)
        if best is None or used < np.unique(best[0]).size:
            best = (host_of, hosts)
        return used

    # time-aware size for the balanced fill: mean + standard deviation of the series
    size = _mean_plus_std(matrix)
    orders = [np.argsort(-size, kind="stable")]
    found = n + 1
    if not large:  # first fit by peak: a cheap start for small instances, never the best on large
        found = run("first", peak_order, 0)
        orders.append(peak_order)
    tried: set[tuple[int, int]] = set()

    def balance(o: int, start: int) -> int:
        tried.add((o, start))
        return run("balance", orders[o], start)

    for o in range(len(orders)):
        # upwards from the bound while the fill has to open hosts (cheap when the bound is tight)
        start = lb
        for _ in range(max(balance_tries, 0)):
            if start >= found:
                break
            used = balance(o, start)
            found = min(found, used)
            if used <= start:  # no host had to be opened: more start hosts cannot help
                break
            start += 1
        # downwards from the best packing (a weak bound leaves the fill far below the answer):
        # starting one or two hosts short of it often closes them (PlanetLab: 47 -> 46)
        start, misses = found - 1, 0
        while start >= lb and misses < BALANCE_DOWN_MISSES and balance_tries > 0:
            if (o, start) in tried:
                start -= 1
                continue
            used = balance(o, start)
            if used < found:
                found, misses, start = used, 0, used - 1
            else:
                misses += 1
                start -= 1
    assert best is not None
    host_of = _renumber(best[0])
    if repair_moves > 0:
        warnings.warn(
            "repair_moves is deprecated: pack() runs local_search (time_limit_s, seed) "
            "after construction",
            DeprecationWarning,
            stacklevel=2,
        )
        host_of, _ = local_search(
            matrix,
            host_of,
            capacity,
            memory=memory,
            host_memory=host_memory,
            conflicts=conflicts,
            lower_bound=lb,
            max_iters=repair_moves,
        )
    return host_of


def _nondominated_steps(matrix: np.ndarray) -> np.ndarray:
    """Steps whose demand vector is not dominated by another step's (exact for the MILP)."""
    cols = np.unique(matrix, axis=1)  # drop duplicate steps
    n, t = cols.shape
    keep = np.ones(t, dtype=bool)
    block = max(1, int(2e7 // max(n * t, 1)))  # bound the (n, block, t) comparison's memory
    for a0 in range(0, t, block):
        a = np.arange(a0, min(a0 + block, t))
        # ge[j, b]: step b >= step a[j] everywhere (distinct columns, so b > a[j] somewhere)
        ge = (cols[:, None, :] >= cols[:, a, None]).all(axis=0)
        ge[np.arange(a.size), a] = False
        keep[a] = ~ge.any(axis=1)
    return cols[:, keep]


def pack_milp(
    matrix: np.ndarray,
    capacity: float,
    *,
    memory: np.ndarray | None = None,
    host_memory: float | None = None,
    conflicts: list[np.ndarray] | None = None,
    max_hosts: int | None = None,
    time_limit_s: float = MILP_TIME_LIMIT_S,
) -> tuple[np.ndarray | None, bool]:
    """Exact time-series bin packing with :func:`scipy.optimize.milp` (HiGHS).

    Variables: ``y[i, k]`` (server i on host k, binary), ``u[k]`` (host k used).
    Minimize Σ u[k] subject to Σ_k y[i,k] = 1; Σ_i d_i(t) y[i,k] ≤ C u[k] for every
    host k and every non-dominated step t; y[i,k] = 0 for k > i and u[k] ≥ u[k+1]
    (symmetry breaking); optionally Σ_i mem_i y[i,k] ≤ M u[k] and
    y[a,k] + y[b,k] ≤ 1 for anti-affine pairs.

    Parameters
    ----------
    matrix : numpy.ndarray
        Demand, shape (servers, steps).
    capacity : float
        Usable capacity per host.
    memory : numpy.ndarray, optional
        Memory per server; needs ``host_memory``.
    host_memory : float, optional
        Memory per host.
    conflicts : list of numpy.ndarray, optional
        Anti-affinity partners per server.
    max_hosts : int, optional
        Hosts the model may open (default: one per server); e.g. a heuristic's count.
    time_limit_s : float
        HiGHS wall-clock limit [s].

    Returns
    -------
    host_of : numpy.ndarray or None
        Host per server, or None if HiGHS found no solution within the limit.
    optimal : bool
        HiGHS proved optimality.

    Examples
    --------
    >>> m = np.array([[60., 10.], [10., 60.], [50., 50.], [30., 30.]])
    >>> host_of, optimal = pack_milp(m, 100)
    >>> len(set(host_of.tolist())), optimal
    (2, True)
    """
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import coo_array, vstack

    n = matrix.shape[0]
    m = n if max_hosts is None else min(max_hosts, n)
    steps = _nondominated_steps(np.asarray(matrix, dtype=np.float64))
    n_t = steps.shape[1]
    ny = n * m
    nvar = ny + m
    yidx = np.arange(ny).reshape(n, m)
    rows: list[Any] = []
    lo: list[np.ndarray] = []
    hi: list[np.ndarray] = []
    # assignment: each server on exactly one host
    r = np.repeat(np.arange(n), m)
    rows.append(coo_array((np.ones(ny), (r, yidx.ravel())), shape=(n, nvar)))
    lo.append(np.ones(n))
    hi.append(np.ones(n))
    # capacity per host and step: sum_i d_i(t) y_ik - C u_k <= 0
    kk, tt, ii = np.meshgrid(np.arange(m), np.arange(n_t), np.arange(n), indexing="ij")
    row = (kk * n_t + tt).ravel()
    data = steps[ii.ravel(), tt.ravel()]
    col = yidx[ii.ravel(), kk.ravel()]
    urow = (np.arange(m)[:, None] * n_t + np.arange(n_t)[None, :]).ravel()
    ucol = ny + np.repeat(np.arange(m), n_t)
    cap_rows = coo_array(
        (
            np.concatenate([data, np.full(m * n_t, -capacity)]),
            (np.concatenate([row, urow]), np.concatenate([col, ucol])),
        ),
        shape=(m * n_t, nvar),
    )
    rows.append(cap_rows)
    lo.append(np.full(m * n_t, -np.inf))
    hi.append(np.full(m * n_t, capacity * CAPACITY_RTOL))
    if memory is not None and host_memory is not None:
        mem = np.asarray(memory, dtype=np.float64)
        mr = np.concatenate([np.tile(np.arange(m), n), np.arange(m)])
        mc = np.concatenate([yidx.ravel(), ny + np.arange(m)])
        md = np.concatenate([np.repeat(mem, m), np.full(m, -float(host_memory))])
        rows.append(coo_array((md, (mr, mc)), shape=(m, nvar)))
        lo.append(np.full(m, -np.inf))
        hi.append(np.full(m, float(host_memory) * CAPACITY_RTOL))
    if m > 1:  # u_k - u_{k+1} >= 0
        k = np.arange(m - 1)
        rows.append(
            coo_array(
                (
                    np.concatenate([np.ones(m - 1), -np.ones(m - 1)]),
                    (np.concatenate([k, k]), np.concatenate([ny + k, ny + k + 1])),
                ),
                shape=(m - 1, nvar),
            )
        )
        lo.append(np.zeros(m - 1))
        hi.append(np.full(m - 1, np.inf))
    if conflicts is not None:
        pairs = sorted({(a, int(b)) for a, lst in enumerate(conflicts) for b in lst if a < b})
        if pairs:
            pa = np.array(pairs)
            npairs = len(pairs)
            prow = np.repeat(np.arange(npairs * m), 2)
            pcol = np.stack([yidx[pa[:, 0]].ravel(), yidx[pa[:, 1]].ravel()], axis=1).ravel()
            rows.append(coo_array((np.ones(prow.size), (prow, pcol)), shape=(npairs * m, nvar)))
            lo.append(np.full(npairs * m, -np.inf))
            hi.append(np.ones(npairs * m))
    upper = np.ones(nvar)
    upper[:ny] = (np.arange(m)[None, :] <= np.arange(n)[:, None]).ravel()  # y_ik = 0 for k > i
    cons = LinearConstraint(vstack(rows).tocsr(), np.concatenate(lo), np.concatenate(hi))
    cost = np.concatenate([np.zeros(ny), np.ones(m)])
    res = milp(
        cost,
        constraints=cons,
        integrality=np.ones(nvar),
        bounds=Bounds(0, upper),
        options={"time_limit": float(time_limit_s)},
    )
    if res.x is None:
        return None, False
    y = res.x[:ny].reshape(n, m)
    return _renumber(np.argmax(y, axis=1)), res.status == 0


# --------------------------------------------------------------------------- result
@dataclass(frozen=True)
class PackingResult(DictMixin):
    """Outcome of :func:`pack`.

    Attributes
    ----------
    hosts_used : int
        Hosts of the time-series packing.
    lower_bound : int
        The best lower bound of :func:`lower_bound` (no packing can use fewer hosts).
    ffd_peak_hosts : int
        Hosts of first-fit-decreasing on individual peaks (same constraints).
    assignment : dict
        Server → host name (``"host0"``, ``"host1"``, …: the ``host_series`` columns and the
        ``hosts`` index).  :attr:`host_index` gives the 0-based host number instead.
    host_series : pandas.DataFrame
        Time × host summed demand.
    method : str
        ``"milp"`` or ``"heuristic"``.
    optimal : bool
        True when the MILP proved optimality or the heuristic met the lower bound.
    capacity : float
        Usable capacity per host (host capacity × max_util_pct / 100).
    host_capacity : float
        Host capacity before the utilization target.
    unit : str
        Demand unit (``demand.attrs["unit"]`` or ``""``).
    hosts : pandas.DataFrame
        Per host: servers, peak, mean, peak_pct_of_capacity.
    bound : str
        Which bound gave ``lower_bound`` (``composite``, ``l2``, ``memory``, ``clique``).
    bounds : dict
        Every bound's value.
    gap_hosts : int
        ``hosts_used - lower_bound`` (0 = proved optimal).
    search : SearchStats or None
        What the local search after construction did (None when it did not run).
    """

    hosts_used: int
    lower_bound: int
    ffd_peak_hosts: int
    assignment: dict[str, str]
    host_series: pd.DataFrame
    method: str
    optimal: bool
    capacity: float
    host_capacity: float
    unit: str = ""
    hosts: pd.DataFrame = field(default_factory=pd.DataFrame)
    bound: str = "composite"
    bounds: dict[str, int] = field(default_factory=dict)
    gap_hosts: int = 0
    search: SearchStats | None = None

    @property
    def host_index(self) -> dict[str, int]:
        """Server → 0-based host number (the position of its host in ``hosts``).

        Returns
        -------
        dict
            Server name → host number.

        Examples
        --------
        >>> r = pack(pd.DataFrame({"a": [60.0], "b": [60.0]}), 100)
        >>> r.host_index
        {'a': 0, 'b': 1}
        """
        pos = (
            {name: k for k, name in enumerate(self.hosts.index)}
            if len(self.hosts)
            else {name: k for k, name in enumerate(self.host_series.columns)}
        )
        return {s: pos[h] for s, h in self.assignment.items()}

    @property
    def gap_to_lower_bound(self) -> float:
        """hosts_used / lower_bound (1.0 = provably optimal).

        Returns
        -------
        float
            The ratio (1.0 when the bound is 0).

        Examples
        --------
        >>> pack(pd.DataFrame({"a": [60.0], "b": [60.0]}), 100).gap_to_lower_bound
        1.0
        """
        return self.hosts_used / self.lower_bound if self.lower_bound else 1.0

    #: to_dict() keys (the ``colonykit pack --format json`` object)
    _dict_keys = (
        "hosts_used",
        "lower_bound",
        "bound",
        "bounds",
        "gap_hosts",
        "ffd_peak_hosts",
        "assignment",
        "method",
        "optimal",
        "capacity",
        "host_capacity",
        "unit",
        "host_peak",
    )

    def _dict_computed(self) -> dict[str, Any]:
        return {"host_peak": {str(k): float(v) for k, v in self.host_series.max().items()}}


def pack(
    demand: pd.DataFrame | npt.ArrayLike,
    host_capacity: float,
    max_util_pct: float = DEFAULT_MAX_UTIL_PCT,
    *,
    method: Method = "auto",
    memory_mib: Mapping[str, float] | pd.Series | None = None,
    host_memory_mib: float | None = None,
    anti_affinity: Iterable[Sequence[str]] | None = None,
    milp_max_items: int = MILP_MAX_ITEMS,
    time_limit_s: float = MILP_TIME_LIMIT_S,
    improve: bool = True,
    repair_moves: int = 0,
    local_search_s: float | None = None,
    seed: int = LOCAL_SEARCH_SEED,
    local_search_iters: int = LOCAL_SEARCH_MAX_ITERS,
    jit: bool | None = None,
) -> PackingResult:
    """Assign servers to hosts so every host stays within capacity at every time step.

    Parameters
    ----------
    demand : pandas.DataFrame
        Wide demand frame (time × server), in one unit (``attrs["unit"]``).
    host_capacity : float
        Capacity of one host/LPAR in the demand's unit (for ``cpu_pct`` traces,
        percentage points of one source server), > 0.
    max_util_pct : float
        Maximum utilization target of a host [%], 0 < x ≤ 100 (default 100).
    method : {"auto", "milp", "heuristic"}
        See the module docstring.
    memory_mib : mapping or Series, optional
        Memory per server [MiB] (static); needs ``host_memory_mib``.
    host_memory_mib : float, optional
        Memory per host [MiB].
    anti_affinity : iterable of (server, server), optional
        Pairs that must be on different hosts (e.g. redundant nodes).
    milp_max_items : int
        ``"auto"`` runs the MILP up to this many servers.
    time_limit_s : float
        HiGHS time limit [s].
    improve : bool
        Run the heuristic's improvement pass.
    repair_moves : int
        Deprecated alias: a value > 0 warns and caps the local search at that many iterations.
    local_search_s : float, optional
        Time limit of :func:`local_search` after construction [s] (0 = off); it runs only
        while the packing is above the lower bound.  Default ``LOCAL_SEARCH_TIME_S`` up to
        ``SMALL_INSTANCE_CELLS`` servers × steps, ``LOCAL_SEARCH_LARGE_S`` beyond (each
        search step there reads whole long series; the construction is what counts).
    seed : int
        Seed of the local search (same seed, same packings).
    local_search_iters : int
        Iterations of the local search at most (with a generous ``local_search_s`` this
        alone bounds it, so the result is the same on every machine).
    jit : bool, optional
        Compiled construction loop (numba, ``pip install 'colonykit[fast]'``): the same
        packing, faster on large instances.  Default: when numba is installed and the
        instance has at least ``JIT_MIN_CELLS`` servers × steps.  ``True`` without numba
        raises an error naming the extra.

    Returns
    -------
    PackingResult
        Hosts used, best lower bound and gap, assignment, per-host series and summary.

    Raises
    ------
    InputError
        Bad demand (NaN, negative, empty), non-positive capacity, bad utilization, bad pairs.
    CapacityError
        A server's own peak (or memory) exceeds one host.

    Examples
    --------
    >>> demand = pd.DataFrame({"a": [50, 50], "b": [50, 10], "c": [10, 50], "d": [40, 40]})
    >>> r = pack(demand, host_capacity=100, method="milp")
    >>> r.hosts_used, r.lower_bound, r.ffd_peak_hosts, r.optimal
    (2, 2, 2, True)
    >>> sorted(r.host_series.max().tolist())
    [60.0, 90.0]
    """
    if method not in METHODS:
        err = unknown_name("packing method", method, METHODS)
        raise err
    cap = effective_capacity(host_capacity, max_util_pct)
    matrix, names, index = demand_matrix(demand)
    n = len(names)
    conflicts = _conflict_lists(anti_affinity, names) if anti_affinity is not None else None
    mem: np.ndarray | None = None
    hmem: float | None = None
    if memory_mib is not None or host_memory_mib is not None:
        if memory_mib is None or host_memory_mib is None:
            msg = "memory packing needs both memory_mib (per server) and host_memory_mib"
            raise InputError(msg)
        hmem = _positive(host_memory_mib, "host_memory_mib")
        ms = pd.Series(memory_mib, dtype="float64")
        ms.index = ms.index.astype(str)
        missing = [s for s in names if s not in ms.index]
        problems = [f"memory_mib: no value for server {s!r}" for s in missing[:50]]
        mem = ms.reindex(names).to_numpy(dtype=np.float64)
        problems += [
            must_be("memory_mib", "a finite number >= 0", v, f"server {s!r}")
            for s, v in zip(names, mem, strict=True)
            if s not in missing and not (np.isfinite(v) and v >= 0)
        ]
        raise_problems(problems, "invalid memory_mib")
    peaks = matrix.max(axis=1).astype(np.float64)
    too_big = np.flatnonzero(peaks > cap * (1 + CAPACITY_RTOL))
    if too_big.size:
        shown = ", ".join(f"{names[i]!r} peaks at {peaks[i]:g}" for i in too_big[:10])
        msg = (
            f"{too_big.size} server(s) exceed one host's usable capacity {cap:g} "
            f"(host capacity {float(host_capacity):g} × max_util_pct {float(max_util_pct):g} %): "
            f"{shown}; use larger hosts or split these servers"
        )
        raise CapacityError(msg)
    if mem is not None and hmem is not None and (mem > hmem * (1 + CAPACITY_RTOL)).any():
        i = int(np.argmax(mem))
        msg = f"server {names[i]!r} needs {mem[i]:g} MiB, more than one host's {hmem:g} MiB"
        raise CapacityError(msg)
    lb = lower_bound(matrix, cap, memory=mem, host_memory=hmem, conflicts=conflicts)
    ffd_hosts = (
        int(ffd_peak(peaks, cap, memory=mem, host_memory=hmem, conflicts=conflicts).max()) + 1
    )
    host_of = pack_heuristic(
        matrix,
        cap,
        memory=mem,
        host_memory=hmem,
        conflicts=conflicts,
        improve=improve,
        lower_bound_hosts=int(lb),
        jit=jit,
    )
    used_method, optimal = "heuristic", False
    search: SearchStats | None = None
    max_iters = int(local_search_iters)
    if local_search_s is None:
        local_search_s = (
            LOCAL_SEARCH_TIME_S if matrix.size <= SMALL_INSTANCE_CELLS else LOCAL_SEARCH_LARGE_S
        )
    if repair_moves > 0:
        warnings.warn(
            "repair_moves is deprecated: pack() runs local_search after construction "
            "(local_search_s, seed); repair_moves now caps its iterations",
            DeprecationWarning,
            stacklevel=2,
        )
        max_iters = int(repair_moves)
    if int(host_of.max()) + 1 > lb and local_search_s > 0:
        host_of, search = local_search(
            matrix,
            host_of,
            cap,
            memory=mem,
            host_memory=hmem,
            conflicts=conflicts,
            lower_bound=int(lb),
            time_limit_s=local_search_s,
            seed=seed,
            max_iters=max_iters,
        )
    heur_hosts = int(host_of.max()) + 1
    if method == "milp" or (method == "auto" and n <= milp_max_items and heur_hosts > lb):
        exact, proved = pack_milp(
            matrix,
            cap,
            memory=mem,
            host_memory=hmem,
            conflicts=conflicts,
            max_hosts=heur_hosts,
            time_limit_s=time_limit_s,
        )
        if exact is not None and int(exact.max()) + 1 <= heur_hosts:
            host_of, used_method, optimal = exact, "milp", proved
    hosts_used = int(host_of.max()) + 1
    bounds = dict(lb.bounds)
    best_bound, bound_name = int(lb), lb.bound
    if used_method == "milp" and optimal and hosts_used > best_bound:
        bounds["milp"] = best_bound = hosts_used  # HiGHS proved no packing uses fewer hosts
        bound_name = "milp"
    optimal = optimal or hosts_used == best_bound
    series = _host_loads(matrix, host_of, hosts_used)
    host_ids = [f"host{k:0{len(str(max(hosts_used - 1, 1)))}d}" for k in range(hosts_used)]
    host_series = pd.DataFrame(series.T, index=index, columns=host_ids)
    hosts = pd.DataFrame(
        {
            "servers": np.bincount(host_of, minlength=hosts_used),
            "peak": series.max(axis=1),
            "mean": series.mean(axis=1),
            "peak_pct_of_capacity": series.max(axis=1) / float(host_capacity) * 100.0,
        },
        index=pd.Index(host_ids, name="host"),
    )
    unit = str(demand.attrs.get("unit", "")) if isinstance(demand, pd.DataFrame) else ""
    return PackingResult(
        hosts_used=hosts_used,
        lower_bound=best_bound,
        ffd_peak_hosts=ffd_hosts,
        assignment={s: host_ids[int(h)] for s, h in zip(names, host_of, strict=True)},
        host_series=host_series,
        method=used_method,
        optimal=bool(optimal),
        capacity=cap,
        host_capacity=float(host_capacity),
        unit=unit,
        hosts=hosts,
        bound=bound_name,
        bounds=bounds,
        gap_hosts=hosts_used - best_bound,
        search=search,
    )


__all__ = [
    "DEFAULT_MAX_UTIL_PCT",
    "METHODS",
    "MILP_MAX_ITEMS",
    "MILP_TIME_LIMIT_S",
    "BOUND_NAMES",
    "LowerBound",
    "PackingResult",
    "SearchStats",
    "clique_bound",
    "demand_matrix",
    "effective_capacity",
    "ffd_peak",
    "l2_bound",
    "local_search",
    "lower_bound",
    "pack",
    "pack_heuristic",
    "pack_milp",
]
