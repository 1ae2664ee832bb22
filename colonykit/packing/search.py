"""Local search after construction: empty the least-loaded host under an overload penalty."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from colonykit.packing.problem import CAPACITY_RTOL, _renumber

#: Wall-clock safety net of the local search after construction [s].  The search's default limit
#: is an iteration count (:func:`default_iterations`), so the same input gives the same packing
#: on every machine; this limit only stops a search far slower than expected (colonykit
#: default, well above the few seconds the default iterations take; tuning only).
LOCAL_SEARCH_TIME_S = 60.0
#: Default work of the local search in matrix cells (servers × steps read per iteration, plus
#: ``LOCAL_SEARCH_ITER_CELLS`` of fixed cost per iteration): about 3 s of CPU on the 2-core
#: development machine, the former time budget (colonykit default, tuning only).
LOCAL_SEARCH_WORK_CELLS = 20_000_000
#: Fixed cost of one local-search iteration in matrix cells (its Python overhead, measured:
#: about 0.3 ms per iteration on one-step instances vs 50 ms on 1,052 × 288 cells).
LOCAL_SEARCH_ITER_CELLS = 2_000
#: Default iterations of the local search at least.
LOCAL_SEARCH_MIN_ITERS = 50
#: Default time limit of the local search on instances above ``SMALL_INSTANCE_CELLS`` [s]
#: (colonykit default, tuning only).
LOCAL_SEARCH_LARGE_S = 0.0
#: Iterations (moves or swaps) of the local search at most (also the default's ceiling).
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


def default_iterations(items: int, steps: int) -> int:
    """Default iteration limit of :func:`local_search`: a fixed amount of work per instance.

    ``LOCAL_SEARCH_WORK_CELLS // (items × steps + LOCAL_SEARCH_ITER_CELLS)``, clipped to
    ``LOCAL_SEARCH_MIN_ITERS … LOCAL_SEARCH_MAX_ITERS``: it depends on the instance's shape
    only, never on the machine's speed.

    Parameters
    ----------
    items : int
        Servers (rows of the demand matrix).
    steps : int
        Time steps (columns).

    Returns
    -------
    int
        Iterations.

    Examples
    --------
    >>> default_iterations(1052, 288)  # PlanetLab 2011-03-03, 5-minute steps
    65
    >>> default_iterations(120, 1)  # one-step (classic bin packing) instance
    9433
    """
    cost = max(int(items), 1) * max(int(steps), 1) + LOCAL_SEARCH_ITER_CELLS
    return int(
        np.clip(LOCAL_SEARCH_WORK_CELLS // cost, LOCAL_SEARCH_MIN_ITERS, LOCAL_SEARCH_MAX_ITERS)
    )


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
        Iterations used: moves and swaps applied, and iterations that found no allowed move
        or swap (they apply nothing but count).
    seconds : float
        Wall time of the search.
    stopped : str
        Why it stopped (lower bound reached, every host tried, iteration or time limit).
    overload_left : float
        The smallest total overload (demand unit × steps) reached while trying to drop one
        more host (0 when the last attempt succeeded).
    pool_iterations : int
        Exchanges of the pool repair before the search (one-step instances,
        :func:`colonykit.packing.pool.pool_search`); 0 when it did not run.
    """

    hosts_before: int
    hosts_after: int
    iterations: int
    seconds: float
    stopped: str
    overload_left: float = 0.0
    pool_iterations: int = 0


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

    The rules in detail (ties and seeded draws included):

    * Hosts are numbered by first appearance in ``host_of``.  The host emptied is the one with
      the least load summed over all steps (equal sums: the lowest-numbered); when it cannot
      be emptied (an item finds no host within memory and anti-affinity, or the penalty has
      not fallen below its lowest value of this attempt for more than ``LOCAL_SEARCH_STALL``
      iterations) the next in that order is tried, and after a success the first again.
    * Emptying: the items in order of their peak, largest first (equal peaks: lower index
      first), each to the host where it adds the least overload (equal: the lowest peak
      after adding it, then the lowest-numbered host).
    * Each iteration draws from ``numpy.random.default_rng(seed)``, in this order: h with
      ``choice`` over the overloaded hosts in ascending order; when more servers than
      ``SWAP_MAX_CELLS // steps`` sit on other hosts, that many swap partners with
      ``choice(…, replace=False)``, sorted; after the choice, one tenure per server moved
      (the group's servers in rank order, then the swap partner), each
      ``integers(LOCAL_SEARCH_TABU, 3 × LOCAL_SEARCH_TABU + 1)``: the server may not return
      to the host it left while the iteration count is below the iteration of the move plus
      its tenure.
    * h's items are ranked by their demand summed over h's overloaded steps (largest first,
      equal: lower index first).  The groups are the single items in rank order, then the
      pairs (a, c), a before c in rank, in lexicographic order.  For each group in turn, the
      move to the lowest-numbered host of least change, then the swap with the
      lowest-numbered server of least change are compared with the best so far: the first
      strictly best candidate is applied.  Anti-affinity is checked on the packing before
      the change: a swap is refused when the partner b has an anti-affinity partner on h or
      a moved item has one on b's host, even one that would leave.
    * An iteration that finds no allowed move or swap applies nothing; it counts as an
      iteration all the same.

    Only feasible packings are ever returned (and handed to ``on_feasible``), so the result
    never uses more hosts than ``host_of``.  The search stops at ``lower_bound`` hosts,
    after ``max_iters`` iterations or once more than ``time_limit_s`` seconds have passed
    (checked before each host is emptied and before each iteration); for a given ``seed``
    the sequence of packings is the same on every run (the time limit only decides how far
    along it the search gets; ``max_iters`` alone makes the result reproducible).

    Parameters
    ----------
    matrix : numpy.ndarray
        Demand, shape (servers, steps).
    host_of : numpy.ndarray
        A feasible packing: host per server (any integer labels; read with numpy's int64
        cast, so 1.7 is host 1).
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


__all__ = [
    "LOCAL_SEARCH_TIME_S",
    "LOCAL_SEARCH_WORK_CELLS",
    "LOCAL_SEARCH_ITER_CELLS",
    "LOCAL_SEARCH_MIN_ITERS",
    "LOCAL_SEARCH_LARGE_S",
    "LOCAL_SEARCH_MAX_ITERS",
    "LOCAL_SEARCH_SEED",
    "LOCAL_SEARCH_ITEMS",
    "LOCAL_SEARCH_STALL",
    "LOCAL_SEARCH_TABU",
    "SWAP_MAX_CELLS",
    "default_iterations",
    "SearchStats",
    "local_search",
]
