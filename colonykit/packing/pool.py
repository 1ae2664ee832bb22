"""Drop a host and repair through a pool of unplaced servers (one-step instances).

The improvement loop after construction for one-dimensional bin packing (a demand matrix with
one time step, no memory, no anti-affinity): the consistent-neighbourhood search of Buljubašić &
Vasquez (2016, *Computers & Operations Research*) in a simple form.  From a feasible
packing on m hosts, the servers of the two least-loaded hosts go to a *pool* and the other
m − 2 hosts stay feasible throughout.  Each iteration exchanges a subset Q of one host (none,
one or two servers) with a subset R of the pool (one or two servers) such that the host still
fits: for every Q the heaviest R that fits beside the host's rest is taken, and the exchange
that takes the most demand out of the pool is applied — even when it puts demand back (tabu
search: a server that moved may not move again for a seeded number of iterations).  When no
such exchange lightens the pool and sizes and capacity are whole numbers (capacity up to
``POOL_PACK_SET_MAX_CAPACITY``), one host is instead refilled with the subset of its own and
the pool's free servers with the largest total that fits (a subset-sum by dynamic programming;
their *pack set* move).  When the pool's total fits one host, the pool becomes a host: a
feasible packing on m − 1 hosts.  After ``POOL_STALL`` iterations without a lighter pool the
attempt restarts from the best packing with two other light hosts dropped.  The loop stops at
the lower bound or after ``max_iters`` iterations; the same seed gives the same packings.

Every packing returned is feasible: the hosts only ever take exchanges that fit, and the pool is
a host only when its total fits.

Ties and seeded draws, as the loop makes them (hosts are numbered by first appearance in
``host_of``; "fits" means a total at most ``capacity × (1 + CAPACITY_RTOL)``, the limit):

* the two least-loaded hosts are dropped, on equal load the lower-numbered first; after a pool
  has become a host the next attempt again drops the two least-loaded hosts;
* a restart drops two distinct hosts drawn uniformly (without replacement) from the
  ``max(4, m // 4)`` least-loaded of the best packing's m hosts (in the same order);
* for a subset Q the heaviest R that fits beside the host's rest is taken (a total exactly at
  the room fits), on equal weight the R of two servers; only the ``POOL_PAIR_ITEMS``
  heaviest free pool servers form subsets R;
* exchanges whose gains are within ``1e-9 × limit`` of the best count as equally good; among
  them the one that leaves the most servers in the pool is applied, on a further tie one drawn
  uniformly;
* the refill tries up to ``POOL_PACK_SET_HOSTS`` hosts in a seeded random order and refills the
  first with the largest gain (only a gain > 0 counts);
* every moved server is frozen for a tenure drawn uniformly from ``POOL_TABU_MIN`` to
  ``POOL_TABU_MAX`` iterations (both included): moved in iteration i, it may move again from
  iteration i + tenure on;
* an iteration counts towards ``POOL_STALL`` unless it leaves the pool lighter than the
  lightest so far by more than ``1e-9 × limit``; iterations without an exchange count too.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from colonykit.packing.problem import CAPACITY_RTOL, _renumber

#: Iterations of :func:`pool_search` per server at the default (tuning only; an iteration
#: costs about 0.1–0.3 ms on one-step instances of 100–1,000 servers).
POOL_ITERS_PER_ITEM = 20
#: Iterations of :func:`pool_search` at least and at most by default (tuning only).
POOL_MIN_ITERS = 8_000
POOL_MAX_ITERS = 10_000
#: Share of the local search's default iterations (:func:`colonykit.packing.default_iterations`)
#: that :func:`colonykit.packing.pack` runs after the pool repair on one-step instances (tuning
#: only: measured on all 1,427 BPPLIB instances, the search after the pool closed 3, each within
#: 739 iterations, below 15 % of the default; a full search budget on an instance whose bound is
#: below its optimum costs several seconds).
POOL_THEN_SEARCH_FRAC = 0.15
#: Tabu tenure of a moved server: drawn from ``POOL_TABU_MIN`` to ``POOL_TABU_MAX`` iterations
#: (seeded; tuning only).
POOL_TABU_MIN = 3
POOL_TABU_MAX = 12
#: Iterations without a lighter pool after which the attempt restarts from the best packing with
#: two other hosts dropped (seeded choice among the least-loaded quarter; tuning only).
POOL_STALL = 1_500
#: Largest capacity (whole units) for the subset-sum exchange with the pool (tuning only: its
#: cost grows with the capacity).
POOL_PACK_SET_MAX_CAPACITY = 20_000
#: Hosts (seeded sample) tried by the subset-sum exchange per iteration at most (tuning only).
POOL_PACK_SET_HOSTS = 40
#: Pool servers whose pairs are formed at most (the heaviest; tuning only).
POOL_PAIR_ITEMS = 60


def pool_iterations(items: int) -> int:
    """Default iteration limit of :func:`pool_search` for ``items`` servers.

    Parameters
    ----------
    items : int
        Servers.

    Returns
    -------
    int
        ``POOL_ITERS_PER_ITEM × items`` clipped to ``POOL_MIN_ITERS … POOL_MAX_ITERS``.

    Examples
    --------
    >>> pool_iterations(120), pool_iterations(1000)
    (8000, 10000)
    """
    return int(np.clip(POOL_ITERS_PER_ITEM * int(items), POOL_MIN_ITERS, POOL_MAX_ITERS))


@lru_cache(maxsize=256)
def _pair_index(k: int) -> tuple[np.ndarray, np.ndarray]:
    """``numpy.triu_indices(k, 1)``, cached (the pairs of k servers; read-only)."""
    a, b = np.triu_indices(k, 1)
    a.flags.writeable = False
    b.flags.writeable = False
    return a, b


def _without(values: np.ndarray, drop: list[int]) -> np.ndarray:
    """``values`` without the (few) entries in ``drop``, order kept."""
    keep = np.ones(values.size, dtype=bool)
    for x in drop:
        keep &= values != x
    return values[keep]


def _pairs(items: np.ndarray, sizes: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Subsets of one or two of ``items``: (weight, first item, second item or −1)."""
    k = items.size
    a, b = _pair_index(k)
    first = np.concatenate([items, items[a]])
    second = np.concatenate([np.full(k, -1, dtype=np.int64), items[b]])
    weight = np.concatenate([sizes[items], sizes[items[a]] + sizes[items[b]]])
    return weight, first, second


def _subsets(items: np.ndarray, sizes: np.ndarray, host: int) -> np.ndarray:
    """:func:`_pairs` of one host's ``items`` as rows (weight, first, second, host) of one array."""
    weight, first, second = _pairs(items, sizes)
    return np.stack([weight, first, second, np.full(weight.size, host)]).astype(np.float64)


def _pack_set(items: list[int], sizes: list[int], limit: int) -> list[int]:
    """The subset of ``items`` with the largest total ≤ ``limit`` (a subset-sum DP on bits)."""
    full = (1 << (limit + 1)) - 1
    reach = [1]
    for i in items:
        reach.append((reach[-1] | (reach[-1] << sizes[i])) & full)
    total = reach[-1].bit_length() - 1
    chosen = []
    for pos in range(len(items) - 1, -1, -1):
        if not (reach[pos] >> total) & 1:  # not reachable without this item: it is taken
            chosen.append(items[pos])
            total -= sizes[items[pos]]
    return chosen


def pool_search(
    sizes: np.ndarray,
    host_of: np.ndarray,
    capacity: float,
    *,
    lower_bound: int = 1,
    seed: int = 2011,
    max_iters: int | None = None,
) -> tuple[np.ndarray, int]:
    """Improve a one-step packing by dropping hosts and repairing through a pool.

    Parameters
    ----------
    sizes : numpy.ndarray
        Demand per server (one time step), shape (servers,).
    host_of : numpy.ndarray
        A feasible packing: host per server (any integer labels).
    capacity : float
        Usable capacity per host.
    lower_bound : int
        Stop when the packing reaches this many hosts.
    seed : int
        Seed of the tie-breaking and of the tabu tenures.
    max_iters : int, optional
        Iterations at most; default :func:`pool_iterations`.

    Returns
    -------
    host_of : numpy.ndarray
        Host per server (0-based, consecutive), feasible, never more hosts than the input.
    iterations : int
        Iterations run (exchanges and refills applied, and iterations in which none fitted).

    Examples
    --------
    >>> sizes = np.array([60., 40., 50., 50., 30., 70.])
    >>> start = np.array([0, 1, 1, 2, 3, 3])  # 4 hosts: 60 / 40+50 / 50 / 30+70
    >>> best, _ = pool_search(sizes, start, 100, lower_bound=3)
    >>> int(best.max()) + 1
    3
    """
    w = np.asarray(sizes, dtype=np.float64).ravel()
    n = w.size
    limit = float(capacity) * (1 + CAPACITY_RTOL)
    rng = np.random.default_rng(seed)
    budget = pool_iterations(n) if max_iters is None else int(max_iters)
    best = _renumber(np.asarray(host_of, dtype=np.int64))
    it = 0
    frozen = np.zeros(n, dtype=np.int64)  # iteration until which a server may not move
    # whole-unit sizes and capacity: the subset-sum exchange of one host with the pool
    whole = bool(np.all(w == np.round(w))) and float(capacity) == round(float(capacity))
    whole = whole and float(capacity) <= POOL_PACK_SET_MAX_CAPACITY
    wint = [int(x) for x in w] if whole else []
    attempt = 0
    while int(best.max()) + 1 > max(int(lower_bound), 1) and it < budget:
        m = int(best.max()) + 1
        if m < 3:
            break
        loads = np.bincount(best, weights=w, minlength=m)
        drop = np.argsort(loads, kind="stable")[:2]
        if attempt:  # a restart: two of the least-loaded quarter, seeded
            drop = rng.choice(np.argsort(loads, kind="stable")[: max(4, m // 4)], 2, replace=False)
        keep = np.setdiff1d(np.arange(m), drop)
        bins = [np.flatnonzero(best == k) for k in keep]
        pool = np.flatnonzero(np.isin(best, drop))
        load = np.array([w[b].sum() for b in bins])
        subsets = [_subsets(b, w, k) for k, b in enumerate(bins)]
        none_q = np.stack(  # the empty subset Q of every host
            [np.zeros(len(bins)), np.full(len(bins), -1.0), np.full(len(bins), -1.0)]
            + [np.arange(len(bins), dtype=np.float64)]
        )
        pool_w = float(w[pool].sum())
        frozen[:] = 0
        lightest, stall = pool_w, 0
        while pool_w > limit and it < budget and stall < POOL_STALL:
            it += 1
            stall += 1
            # the pool's subsets of free servers, lightest first (on ties: more servers last)
            free = pool[frozen[pool] <= it]
            if free.size == 0:
                frozen[pool] = 0
                continue
            if free.size > POOL_PAIR_ITEMS:
                free = free[np.argsort(-w[free], kind="stable")[:POOL_PAIR_ITEMS]]
            rw, r1, r2 = _pairs(free, w)
            order = np.lexsort((r2 >= 0, rw))
            rw, r1, r2 = rw[order], r1[order], r2[order]
            # every host's subsets Q (the empty one too) and the heaviest R beside its rest
            q_all = np.concatenate([none_q, *subsets], axis=1)
            qw = q_all[0]
            q1, q2, qb = q_all[1:].astype(np.int64)
            ok = ((q1 < 0) | (frozen[q1] <= it)) & ((q2 < 0) | (frozen[q2] <= it))
            room = limit - load[qb] + qw
            pick = np.searchsorted(rw, room, side="right") - 1
            ok &= pick >= 0
            if not ok.any():
                continue
            gain = np.where(ok, rw[np.maximum(pick, 0)] - qw, -np.inf)
            if whole and gain.max() <= 0:
                # no exchange of up to two servers lightens the pool: fill one host best from
                # its own and the pool's free servers (a subset-sum over both)
                cap_int = int(capacity)
                pl = free.tolist()
                best_gain, best_k, best_set = 0, -1, []
                for k in rng.permutation(len(bins))[:POOL_PACK_SET_HOSTS].tolist():
                    mine = bins[k][frozen[bins[k]] <= it].tolist()
                    fixed = int(load[k]) - sum(wint[x] for x in mine)
                    chosen = _pack_set(mine + pl, wint, cap_int - fixed)
                    g = fixed + sum(wint[x] for x in chosen) - int(load[k])
                    if g > best_gain:
                        best_gain, best_k, best_set = g, k, chosen
                if best_k >= 0:
                    k = best_k
                    mine_set = set(int(x) for x in bins[k])
                    into = [x for x in best_set if x not in mine_set]
                    out = [int(x) for x in bins[k] if frozen[x] <= it and int(x) not in best_set]
                    members = bins[k][~np.isin(bins[k], out)] if out else bins[k]
                    bins[k] = np.sort(np.concatenate([members, np.asarray(into, dtype=np.int64)]))
                    load[k] = float(w[bins[k]].sum())
                    subsets[k] = _subsets(bins[k], w, k)
                    pool = np.concatenate(
                        [pool[~np.isin(pool, into)], np.asarray(out, dtype=np.int64)]
                    )
                    pool_w = float(w[pool].sum())
                    if pool_w < lightest - 1e-9 * limit:
                        lightest, stall = pool_w, 0
                    for x in into + out:
                        frozen[x] = it + int(rng.integers(POOL_TABU_MIN, POOL_TABU_MAX + 1))
                    continue
            # most demand out of the pool; ties: more servers left in the pool, then seeded
            more = (q1 >= 0).astype(int) + (q2 >= 0) - 1 - (r2[np.maximum(pick, 0)] >= 0)
            top = np.flatnonzero(gain >= gain.max() - 1e-9 * limit)
            top = top[more[top] == more[top].max()]
            j = int(top[rng.integers(top.size)])
            k, r = int(qb[j]), int(pick[j])
            into = [int(x) for x in (r1[r], r2[r]) if x >= 0]
            out = [int(x) for x in (q1[j], q2[j]) if x >= 0]
            members = bins[k]
            if out:
                members = _without(members, out)
            bins[k] = np.sort(np.concatenate([members, np.asarray(into, dtype=np.int64)]))
            load[k] = float(w[bins[k]].sum())
            subsets[k] = _subsets(bins[k], w, k)
            pool = np.concatenate([_without(pool, into), np.asarray(out, dtype=np.int64)])
            pool_w = float(w[pool].sum())
            if pool_w < lightest - 1e-9 * limit:
                lightest, stall = pool_w, 0
            for x in into + out:
                frozen[x] = it + int(rng.integers(POOL_TABU_MIN, POOL_TABU_MAX + 1))
        if pool_w > limit:
            attempt += 1
            continue
        attempt = 0
        found = np.empty(n, dtype=np.int64)
        for k, b in enumerate(bins):
            found[b] = k
        found[pool] = len(bins)
        best = _renumber(found)
    return best, it


__all__ = [
    "POOL_ITERS_PER_ITEM",
    "POOL_MIN_ITERS",
    "POOL_MAX_ITERS",
    "POOL_TABU_MIN",
    "POOL_TABU_MAX",
    "POOL_STALL",
    "POOL_THEN_SEARCH_FRAC",
    "POOL_PAIR_ITEMS",
    "POOL_PACK_SET_MAX_CAPACITY",
    "POOL_PACK_SET_HOSTS",
    "pool_iterations",
    "pool_search",
]
