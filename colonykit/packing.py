"""Time-series-aware packing of guests onto hosts/LPARs (seed 003 §2.3, white space).

Distributed servers are sized for their individual peaks, but a host only has to
carry the *composite* of the guests placed on it (SG24-6824 §2.3: "distributed
servers are designed for the individual peaks … an overdesign for the composite
peak").  :func:`pack` therefore assigns servers to hosts of a given capacity so
that, **at every time step**, each host's summed demand stays within
``host_capacity × max_util_pct / 100``.  It reports

* ``hosts_used`` — hosts the time-series packing needs,
* ``lower_bound`` — ⌈max_t Σ_i demand_i(t) / capacity⌉ (no placement can do better),
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
    nowhere (retried with one more starting host while that happens) — the best
    is kept, after an improvement pass that tries to empty the lightest hosts
    into the others.
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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from colonykit.errors import CapacityError, InputError, must_be, raise_problems, unknown_name

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
#: Balanced constructions the heuristic tries (``lower_bound``, ``lower_bound + 1``, … open hosts).
BALANCE_TRIES = 4
#: Moves of the min-conflicts repair per attempt to drop one more host (0 = off, the default:
#: with the constructions above it found no further host on PlanetLab 20110303/CloudSim
#: (5,000 moves, 2.6 s) or on the 10,000-server benchmark; pass ``repair_moves`` to try it).
REPAIR_MAX_MOVES = 0
#: Items of an overloaded host considered per repair move (largest at its worst step).
REPAIR_ITEMS_PER_MOVE = 30
#: Seed of the repair's random choice among overloaded hosts (reproducible results).
REPAIR_SEED = 2011
#: Up to this many cells (servers × steps) the balanced fill is also tried in peak order.
SMALL_INSTANCE_CELLS = 2_000_000
#: Relative tolerance of the capacity check (float rounding of summed series).
CAPACITY_RTOL = 1e-9


# --------------------------------------------------------------------------- validation
def demand_matrix(demand: pd.DataFrame | npt.ArrayLike, where: str = "demand"
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
    finite = np.isfinite(matrix)
    problems: list[str] = []
    if not finite.all():
        bad_rows = np.flatnonzero(~finite.all(axis=1))
        for i in bad_rows[:50]:
            j = int(np.argmin(finite[i]))
            problems.append(must_be("demand", "a finite number", float(matrix[i, j]),
                                    f"{where} server {names[i]!r} step {frame.index[j]!r}"))
    negative = np.where(finite, matrix, 0.0) < 0
    if negative.any():
        for i in np.flatnonzero(negative.any(axis=1))[:50]:
            j = int(np.argmax(negative[i]))
            problems.append(must_be("demand", ">= 0", float(matrix[i, j]),
                                    f"{where} server {names[i]!r} step {frame.index[j]!r}"))
    raise_problems(problems, f"invalid {where}")
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
def lower_bound(matrix: npt.ArrayLike, capacity: float) -> int:
    """⌈max_t Σ_i demand_i(t) / capacity⌉: no placement uses fewer hosts.

    Parameters
    ----------
    matrix : array_like
        Demand, shape (servers, steps).
    capacity : float
        Usable capacity of one host (same unit).

    Examples
    --------
    >>> lower_bound([[60, 10], [10, 60], [50, 50]], 100)  # composite peak 120
    2
    """
    m = np.asarray(matrix)
    peak = float(m.sum(axis=0, dtype=np.float64).max()) if m.size else 0.0
    return max(int(math.ceil(peak / capacity * (1 - CAPACITY_RTOL))), 1 if peak > 0 else 0)


def _conflict_lists(pairs: Iterable[Sequence[str]] | None, names: list[str]) -> list[np.ndarray]:
    pos = {n: i for i, n in enumerate(names)}
    lists: list[list[int]] = [[] for _ in names]
    problems: list[str] = []
    for k, pair in enumerate(pairs or ()):
        if len(pair) != 2:
            problems.append(must_be("anti_affinity", "pairs of two server names", pair, f"pair {k + 1}"))
            continue
        a, b = (str(p) for p in pair)
        for s in (a, b):
            if s not in pos:
                problems.append(str(unknown_name("server", s, names[:20] + (["…"] if len(names) > 20 else []),
                                                 hint=f"anti_affinity pair {k + 1}")))
        if a in pos and b in pos:
            if a == b:
                problems.append(must_be("anti_affinity", "two different servers", pair, f"pair {k + 1}"))
                continue
            lists[pos[a]].append(pos[b])
            lists[pos[b]].append(pos[a])
    raise_problems(problems, "invalid anti_affinity")
    return [np.asarray(sorted(set(x)), dtype=np.int64) for x in lists]


def ffd_peak(peaks: npt.ArrayLike, capacity: float, *, memory: npt.ArrayLike | None = None,
             host_memory: float | None = None,
             conflicts: list[np.ndarray] | None = None) -> np.ndarray:
    """Classic first-fit-decreasing on individual peaks (what peak-based sizing does).

    Parameters
    ----------
    peaks : array_like
        Peak demand per server.
    capacity : float
        Usable capacity per host.
    memory, host_memory : optional
        Memory per server and per host (second dimension).
    conflicts : list of arrays, optional
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


class _Hosts:
    """Open hosts as a (hosts × steps) slack matrix plus memory slack; grows on demand."""

    def __init__(self, steps: int, capacity: float, host_memory: float, reserve: int) -> None:
        self.capacity = capacity
        self.tol = capacity * CAPACITY_RTOL
        self.slack = np.empty((max(reserve, 1), steps), dtype=np.float64)
        self.mem = np.empty(max(reserve, 1))
        self.host_memory = host_memory
        self.count = 0

    def open(self) -> int:
        if self.count == self.slack.shape[0]:
            extra = max(self.count, 1)
            self.slack = np.vstack([self.slack, np.empty((extra, self.slack.shape[1]))])
            self.mem = np.concatenate([self.mem, np.empty(extra)])
        self.slack[self.count] = self.capacity + self.tol
        self.mem[self.count] = self.host_memory + self.tol
        self.count += 1
        return self.count - 1

    def feasible(self, x: np.ndarray, mem: float, exclude: int = -1) -> np.ndarray:
        s = self.slack[: self.count]
        ok = self.mem[: self.count] >= mem
        if ok.all():
            ok = (s >= x).all(axis=1)
        elif ok.any():
            idx = np.flatnonzero(ok)
            ok[idx] = (s[idx] >= x).all(axis=1)
        if 0 <= exclude < self.count:
            ok[exclude] = False
        return ok


def _construct(matrix: np.ndarray, order: np.ndarray, capacity: float, *, start_hosts: int,
               rule: Literal["first", "balance"], memory: np.ndarray, host_memory: float,
               conflicts: list[np.ndarray] | None) -> tuple[np.ndarray, _Hosts]:
    """Place items in ``order`` onto ``start_hosts`` open hosts, opening more when nothing fits.

    ``first``: the first feasible host.  ``balance``: the feasible host whose peak after
    adding the item is lowest (min-max over time, so peaks land in other guests' troughs).
    """
    hosts = _Hosts(matrix.shape[1], capacity, host_memory, reserve=max(start_hosts, 8))
    for _ in range(start_hosts):
        hosts.open()
    host_of = np.full(matrix.shape[0], -1, dtype=np.int64)
    for i in order:
        x = matrix[i]
        if rule == "first":
            ok = hosts.feasible(x, memory[i])
            headroom = None
        else:
            headroom = (hosts.slack[: hosts.count] - x).min(axis=1) if hosts.count else np.empty(0)
            ok = (headroom >= 0) & (hosts.mem[: hosts.count] >= memory[i])
        if conflicts is not None and conflicts[i].size:
            placed = host_of[conflicts[i]]
            ok[placed[placed >= 0]] = False
        if not ok.any():
            k = hosts.open()
        elif headroom is None:
            k = int(np.argmax(ok))
        else:
            k = int(np.argmax(np.where(ok, headroom, -np.inf)))
        hosts.slack[k] -= x
        hosts.mem[k] -= memory[i]
        host_of[i] = k
    return host_of, hosts


def _improve(matrix: np.ndarray, host_of: np.ndarray, hosts: _Hosts, memory: np.ndarray,
             conflicts: list[np.ndarray] | None, max_tries: int) -> np.ndarray:
    """Try to empty the lightest hosts into the others (first feasible host); keep what works."""
    tries = 0
    failed: set[int] = set()
    while tries < max_tries:
        used = np.bincount(host_of, minlength=hosts.count)
        load = (hosts.capacity + hosts.tol - hosts.slack[: hosts.count]).sum(axis=1)
        candidates = [int(h) for h in np.argsort(load) if used[h] > 0 and int(h) not in failed]
        if len(candidates) == 0 or int((used > 0).sum()) <= 1:
            break
        h = candidates[0]
        tries += 1
        saved_slack, saved_mem, saved_of = hosts.slack.copy(), hosts.mem.copy(), host_of.copy()
        items = np.flatnonzero(host_of == h)
        items = items[np.argsort(-matrix[items].max(axis=1), kind="stable")]
        moved = True
        for i in items:
            ok = hosts.feasible(matrix[i], memory[i], exclude=h)
            ok &= used > 0
            if conflicts is not None and conflicts[i].size:
                placed = host_of[conflicts[i]]
                ok[placed[placed >= 0]] = False
            if not ok.any():
                moved = False
                break
            k = int(np.argmax(ok))
            hosts.slack[k] -= matrix[i]
            hosts.mem[k] -= memory[i]
            hosts.slack[h] += matrix[i]
            hosts.mem[h] += memory[i]
            host_of[i] = k
        if not moved:
            hosts.slack, hosts.mem, host_of = saved_slack, saved_mem, saved_of
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


def _repair(matrix: np.ndarray, host_of: np.ndarray, capacity: float, memory: np.ndarray,
            host_memory: float, conflicts: list[np.ndarray] | None, max_moves: int,
            items_per_move: int = REPAIR_ITEMS_PER_MOVE) -> np.ndarray:
    """Min-conflicts local search: drop the lightest host, then move items to remove overload.

    Starting from a feasible packing on m hosts, the lightest host is emptied onto
    the others by least added overload (capacity may be exceeded), then, up to
    ``max_moves`` times, one of ``items_per_move`` items of an overloaded host
    (chosen at random, seeded; items largest at its worst step) moves to the host
    where the overload Σ_k Σ_t max(0, load_k(t) − C)² falls most (or rises least;
    a moved item may not return for a few moves).  Memory and anti-affinity stay hard constraints.  On
    success (no overload) the next host is dropped; the last feasible packing is
    returned.
    """
    tol = capacity * CAPACITY_RTOL
    best = _renumber(host_of)
    tenure = 7
    rng = np.random.default_rng(REPAIR_SEED)
    while True:
        m = int(best.max()) + 1
        if m <= 1:
            return best
        cur = best.copy()
        loads = _host_loads(matrix, cur, m)
        mem_used = np.bincount(cur, weights=memory, minlength=m)
        drop = int(np.argmin(loads.sum(axis=1)))
        keep = np.arange(m) != drop
        remap = np.cumsum(keep) - 1
        moving = np.flatnonzero(cur == drop)
        cur = np.where(cur == drop, -1, remap[cur])
        loads, mem_used = loads[keep], mem_used[keep]
        m -= 1

        def allowed(i: int, host: np.ndarray = cur, used: np.ndarray = mem_used) -> np.ndarray:
            ok = used + memory[i] <= host_memory + tol
            if conflicts is not None and conflicts[i].size:
                placed = host[conflicts[i]]
                ok[placed[placed >= 0]] = False
            return ok

        def overload(rows: np.ndarray) -> np.ndarray:
            return np.square(np.maximum(rows - capacity - tol, 0.0)).sum(axis=-1)

        over = overload(loads)
        failed = False
        for i in moving[np.argsort(-matrix[moving].max(axis=1), kind="stable")]:
            ok = allowed(int(i))
            if not ok.any():
                failed = True
                break
            delta = np.where(ok, overload(loads + matrix[i]) - over, np.inf)
            k = int(np.argmin(delta))
            loads[k] += matrix[i]
            mem_used[k] += memory[i]
            over[k] = overload(loads[k])
            cur[i] = k
        if failed:
            return best
        tabu_host = np.full(matrix.shape[0], -1)
        tabu_until = np.zeros(matrix.shape[0], dtype=np.int64)
        for move in range(max_moves):
            if over.sum() <= 0:
                break
            h = int(rng.choice(np.flatnonzero(over > 0)))
            members = np.flatnonzero(cur == h)
            worst = int(np.argmax(loads[h]))
            members = members[np.argsort(-matrix[members, worst], kind="stable")[:items_per_move]]
            best_move: tuple[float, int, int] | None = None
            for i in members:
                x = matrix[i]
                ok = allowed(int(i))
                ok[h] = False
                if tabu_until[i] > move and 0 <= tabu_host[i] < m:
                    ok[tabu_host[i]] = False
                if not ok.any():
                    continue
                gain = overload(loads[h] - x) - over[h]
                delta = np.where(ok, overload(loads + x) - over, np.inf) + gain
                k = int(np.argmin(delta))
                if best_move is None or delta[k] < best_move[0]:
                    best_move = (float(delta[k]), int(i), k)
            if best_move is None:
                break
            _, i, k = best_move
            loads[h] -= matrix[i]
            loads[k] += matrix[i]
            mem_used[h] -= memory[i]
            mem_used[k] += memory[i]
            over[h], over[k] = overload(loads[h]), overload(loads[k])
            cur[i] = k
            tabu_host[i], tabu_until[i] = h, move + tenure
        if over.sum() > 0:
            return best
        best = _renumber(cur)


def _renumber(host_of: np.ndarray) -> np.ndarray:
    """Host ids 0..m-1 in order of first appearance."""
    _, first, inverse = np.unique(host_of, return_index=True, return_inverse=True)
    rank = np.argsort(np.argsort(first))
    return rank[inverse].astype(np.int64)


def pack_heuristic(matrix: np.ndarray, capacity: float, *, memory: np.ndarray | None = None,
                   host_memory: float | None = None, conflicts: list[np.ndarray] | None = None,
                   improve: bool = True, max_tries: int = IMPROVE_MAX_TRIES,
                   balance_tries: int = BALANCE_TRIES,
                   repair_moves: int = REPAIR_MAX_MOVES) -> np.ndarray:
    """Time-series packing heuristic on an item-major matrix; returns the host of each item.

    Parameters
    ----------
    matrix : numpy.ndarray
        Demand, shape (servers, steps); no item may exceed ``capacity`` at any step.
    capacity : float
        Usable capacity per host.
    memory, host_memory : optional
        Memory per server and per host.
    conflicts : list of arrays, optional
        Anti-affinity partners per server.
    improve : bool
        Run the host-emptying improvement pass.
    max_tries : int
        Hosts the improvement pass tries to empty.
    balance_tries : int
        Balanced constructions tried, starting with ``lower_bound`` hosts and one
        more each time while the construction still had to open hosts.
    repair_moves : int
        Moves of the min-conflicts repair per attempt to drop one more host.

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
    lb = lower_bound(matrix, capacity)
    if hmem < np.inf:
        lb = max(lb, int(math.ceil(mem.sum() / hmem * (1 - CAPACITY_RTOL))))
    best: tuple[np.ndarray, _Hosts] | None = None

    def run(rule: Literal["first", "balance"], order: np.ndarray, start: int) -> int:
        nonlocal best
        host_of, hosts = _construct(matrix, order, capacity, start_hosts=start, rule=rule,
                                    memory=mem, host_memory=hmem, conflicts=conflicts)
        if improve:
            host_of = _improve(matrix, host_of, hosts, mem, conflicts, max_tries)
        used = int(np.unique(host_of).size)
        if best is None or used < np.unique(best[0]).size:
            best = (host_of, hosts)
        return used

    found = run("first", peak_order, 0)
    # time-aware size for the balanced fill: mean + standard deviation of the series
    size = matrix.mean(axis=1, dtype=np.float64) + matrix.std(axis=1, dtype=np.float64)
    orders = [np.argsort(-size, kind="stable")]
    if matrix.size <= SMALL_INSTANCE_CELLS:
        orders.append(peak_order)
    for order in orders:
        start = lb
        for _ in range(max(balance_tries, 0)):
            if start >= found:
                break
            used = run("balance", order, start)
            found = min(found, used)
            if used <= start:  # no host had to be opened: more start hosts cannot help
                break
            start += 1
    assert best is not None
    host_of = _renumber(best[0])
    if repair_moves > 0 and int(host_of.max()) + 1 > lb:
        host_of = _repair(matrix, host_of, capacity, mem, hmem, conflicts, repair_moves)
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


def pack_milp(matrix: np.ndarray, capacity: float, *, memory: np.ndarray | None = None,
              host_memory: float | None = None, conflicts: list[np.ndarray] | None = None,
              max_hosts: int | None = None, time_limit_s: float = MILP_TIME_LIMIT_S
              ) -> tuple[np.ndarray | None, bool]:
    """Exact time-series bin packing with :func:`scipy.optimize.milp` (HiGHS).

    Variables: ``y[i, k]`` (server i on host k, binary), ``u[k]`` (host k used).
    Minimize Σ u[k] subject to Σ_k y[i,k] = 1; Σ_i d_i(t) y[i,k] ≤ C u[k] for every
    host k and every non-dominated step t; y[i,k] = 0 for k > i and u[k] ≥ u[k+1]
    (symmetry breaking); optionally Σ_i mem_i y[i,k] ≤ M u[k] and
    y[a,k] + y[b,k] ≤ 1 for anti-affine pairs.

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
    cap_rows = coo_array((np.concatenate([data, np.full(m * n_t, -capacity)]),
                          (np.concatenate([row, urow]), np.concatenate([col, ucol]))),
                         shape=(m * n_t, nvar))
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
        rows.append(coo_array((np.concatenate([np.ones(m - 1), -np.ones(m - 1)]),
                               (np.concatenate([k, k]), np.concatenate([ny + k, ny + k + 1]))),
                              shape=(m - 1, nvar)))
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
    res = milp(cost, constraints=cons, integrality=np.ones(nvar), bounds=Bounds(0, upper),
               options={"time_limit": float(time_limit_s)})
    if res.x is None:
        return None, False
    y = res.x[:ny].reshape(n, m)
    return _renumber(np.argmax(y, axis=1)), res.status == 0


# --------------------------------------------------------------------------- result
@dataclass(frozen=True)
class PackingResult:
    """Outcome of :func:`pack`.

    Attributes
    ----------
    hosts_used : int
        Hosts of the time-series packing.
    lower_bound : int
        ⌈max_t Σ demand(t) / usable capacity⌉ (and ⌈Σ memory / host memory⌉ if given).
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

    @property
    def host_index(self) -> dict[str, int]:
        """Server → 0-based host number (the position of its host in ``hosts``)."""
        pos = {name: k for k, name in enumerate(self.hosts.index)} if len(self.hosts) else \
            {name: k for k, name in enumerate(self.host_series.columns)}
        return {s: pos[h] for s, h in self.assignment.items()}

    @property
    def gap_to_lower_bound(self) -> float:
        """hosts_used / lower_bound (1.0 = provably optimal)."""
        return self.hosts_used / self.lower_bound if self.lower_bound else 1.0

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary (the ``colonykit pack --format json`` object)."""
        return {
            "hosts_used": self.hosts_used,
            "lower_bound": self.lower_bound,
            "ffd_peak_hosts": self.ffd_peak_hosts,
            "assignment": dict(self.assignment),
            "method": self.method,
            "optimal": self.optimal,
            "capacity": self.capacity,
            "host_capacity": self.host_capacity,
            "unit": self.unit,
            "host_peak": {str(k): float(v) for k, v in self.host_series.max().items()},
        }


def pack(demand: pd.DataFrame | npt.ArrayLike, host_capacity: float,
         max_util_pct: float = DEFAULT_MAX_UTIL_PCT, *, method: Method = "auto",
         memory_mib: Mapping[str, float] | pd.Series | None = None,
         host_memory_mib: float | None = None,
         anti_affinity: Iterable[Sequence[str]] | None = None,
         milp_max_items: int = MILP_MAX_ITEMS, time_limit_s: float = MILP_TIME_LIMIT_S,
         improve: bool = True, repair_moves: int = REPAIR_MAX_MOVES) -> PackingResult:
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
        Moves of the optional min-conflicts repair per dropped host (0 = off).

    Returns
    -------
    PackingResult

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
        problems += [must_be("memory_mib", "a finite number >= 0", v, f"server {s!r}")
                     for s, v in zip(names, mem, strict=True)
                     if s not in missing and not (np.isfinite(v) and v >= 0)]
        raise_problems(problems, "invalid memory_mib")
    peaks = matrix.max(axis=1).astype(np.float64)
    too_big = np.flatnonzero(peaks > cap * (1 + CAPACITY_RTOL))
    if too_big.size:
        shown = ", ".join(f"{names[i]!r} peaks at {peaks[i]:g}" for i in too_big[:10])
        msg = (f"{too_big.size} server(s) exceed one host's usable capacity {cap:g} "
               f"(host capacity {float(host_capacity):g} × max_util_pct {float(max_util_pct):g} %): "
               f"{shown}; use larger hosts or split these servers")
        raise CapacityError(msg)
    if mem is not None and hmem is not None and (mem > hmem * (1 + CAPACITY_RTOL)).any():
        i = int(np.argmax(mem))
        msg = f"server {names[i]!r} needs {mem[i]:g} MiB, more than one host's {hmem:g} MiB"
        raise CapacityError(msg)
    lb = lower_bound(matrix, cap)
    if mem is not None and hmem is not None:
        lb = max(lb, int(math.ceil(mem.sum() / hmem * (1 - CAPACITY_RTOL))))
    ffd_hosts = int(ffd_peak(peaks, cap, memory=mem, host_memory=hmem, conflicts=conflicts).max()) + 1
    host_of = pack_heuristic(matrix, cap, memory=mem, host_memory=hmem, conflicts=conflicts,
                             improve=improve, repair_moves=repair_moves)
    used_method, optimal = "heuristic", False
    heur_hosts = int(host_of.max()) + 1
    if method == "milp" or (method == "auto" and n <= milp_max_items and heur_hosts > lb):
        exact, proved = pack_milp(matrix, cap, memory=mem, host_memory=hmem, conflicts=conflicts,
                                  max_hosts=heur_hosts, time_limit_s=time_limit_s)
        if exact is not None and int(exact.max()) + 1 <= heur_hosts:
            host_of, used_method, optimal = exact, "milp", proved
    hosts_used = int(host_of.max()) + 1
    optimal = optimal or hosts_used == lb
    series = _host_loads(matrix, host_of, hosts_used)
    host_ids = [f"host{k:0{len(str(max(hosts_used - 1, 1)))}d}" for k in range(hosts_used)]
    host_series = pd.DataFrame(series.T, index=index, columns=host_ids)
    hosts = pd.DataFrame({
        "servers": np.bincount(host_of, minlength=hosts_used),
        "peak": series.max(axis=1),
        "mean": series.mean(axis=1),
        "peak_pct_of_capacity": series.max(axis=1) / float(host_capacity) * 100.0,
    }, index=pd.Index(host_ids, name="host"))
    unit = str(demand.attrs.get("unit", "")) if isinstance(demand, pd.DataFrame) else ""
    return PackingResult(
        hosts_used=hosts_used, lower_bound=lb, ffd_peak_hosts=ffd_hosts,
        assignment={s: host_ids[int(h)] for s, h in zip(names, host_of, strict=True)},
        host_series=host_series, method=used_method, optimal=bool(optimal), capacity=cap,
        host_capacity=float(host_capacity), unit=unit, hosts=hosts,
    )


__all__ = [
    "DEFAULT_MAX_UTIL_PCT",
    "METHODS",
    "MILP_MAX_ITEMS",
    "MILP_TIME_LIMIT_S",
    "PackingResult",
    "demand_matrix",
    "effective_capacity",
    "ffd_peak",
    "lower_bound",
    "pack",
    "pack_heuristic",
    "pack_milp",
]
