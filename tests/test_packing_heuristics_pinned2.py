"""Packing's pool repair checked by hand and by enumeration (issue 27 §2, heuristics, part 2).

Every expected value below is worked out by hand from the method described in
:mod:`colonykit.packing.pool` (the two least-loaded hosts go to a pool, the exchange that takes
the most demand out of the pool is applied, the pool becomes a host once its total fits) or
by plain enumeration of subsets; whole-number sizes keep the sums exact in float64.
"""

from __future__ import annotations

import random
from itertools import combinations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from colonykit.packing.pool import (
    _pack_set,
    _pair_index,
    _pairs,
    _subsets,
    _without,
    pool_iterations,
    pool_search,
)


def _loads(sizes: np.ndarray, host_of: np.ndarray) -> list[float]:
    return np.bincount(host_of, weights=sizes, minlength=int(host_of.max()) + 1).tolist()


def _hosts(sizes: np.ndarray, host_of: np.ndarray) -> list[list[float]]:
    """The packing as a sorted multiset of sorted hosts (labels do not matter)."""
    m = int(host_of.max()) + 1
    return sorted(sorted(sizes[host_of == k].tolist()) for k in range(m))


# --------------------------------------------------------------------------- helpers
def test_pool_iterations_clip_by_hand() -> None:
    # 20 per server, clipped to 8,000 … 10,000
    assert pool_iterations(0) == 8_000
    assert pool_iterations(400) == 8_000  # 20 × 400 = 8,000 exactly
    assert pool_iterations(450) == 9_000
    assert pool_iterations(500) == 10_000
    assert pool_iterations(501) == 10_000
    assert isinstance(pool_iterations(450), int)


def test_pair_index_is_read_only_and_the_pairs_of_k() -> None:
    a, b = _pair_index(4)
    assert list(zip(a.tolist(), b.tolist(), strict=True)) == list(combinations(range(4), 2))
    assert not a.flags.writeable and not b.flags.writeable


def test_without_keeps_order() -> None:
    v = np.array([5, 3, 9, 3, 7])
    assert _without(v, [3, 7]).tolist() == [5, 9]
    assert _without(v, []).tolist() == [5, 3, 9, 3, 7]


def test_pairs_and_subsets_by_hand() -> None:
    sizes = np.array([10.0, 20.0, 40.0, 80.0])
    items = np.array([3, 1, 2])
    w, f, s = _pairs(items, sizes)
    # singles 80, 20, 40 (second −1), then the pairs (3,1) 100, (3,2) 120, (1,2) 60
    assert w.tolist() == [80, 20, 40, 100, 120, 60]
    assert f.tolist() == [3, 1, 2, 3, 3, 1]
    assert s.tolist() == [-1, -1, -1, 1, 2, 2]
    rows = _subsets(items, sizes, 5)
    assert rows.dtype == np.float64 and rows.shape == (4, 6)
    assert rows[3].tolist() == [5.0] * 6
    assert rows[0].tolist() == [80, 20, 40, 100, 120, 60]
    one_w, one_f, one_s = _pairs(np.array([2]), sizes)  # one server: the single only
    assert (one_w.tolist(), one_f.tolist(), one_s.tolist()) == ([40], [2], [-1])


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(1, 9), min_size=0, max_size=7), st.integers(0, 25))
def test_pack_set_total_and_members_by_enumeration(sizes: list[int], limit: int) -> None:
    items = list(range(len(sizes)))[::-1]  # any order of the items
    chosen = _pack_set(items, sizes, limit)
    best = max(
        sum(c) for r in range(len(sizes) + 1) for c in combinations(sizes, r) if sum(c) <= limit
    )
    assert len(set(chosen)) == len(chosen) and set(chosen) <= set(items)
    assert sum(sizes[i] for i in chosen) == best


def test_pack_set_by_hand() -> None:
    # sizes 5, 4, 3 under 7: 4 + 3 = 7 exactly (5 alone leaves 2)
    assert sorted(_pack_set([0, 1, 2], [5, 4, 3], 7)) == [1, 2]
    assert _pack_set([0, 1], [5, 4], 3) == []  # nothing fits
    assert sorted(_pack_set([0, 1], [5, 4], 9)) == [0, 1]  # everything fits exactly


# --------------------------------------------------------------------------- pool_search
# The docstring's instance: 60 | 40+50 | 50 | 30+70 on 4 hosts of 100.  The two least-loaded
# hosts (50 and 60) form the pool {60, 50} = 110 > 100; the kept hosts are 40+50 (room 10)
# and 30+70 (full).  Exchanges (Q out of a host, heaviest pool subset R that fits in):
#   40+50: Q = {} room 10 → none; Q = {40} room 50 → R = 50, gain +10; Q = {50} room 60 →
#   R = 60, gain +10; Q = {40, 50} room 100 → R = 60 (60 + 50 = 110 does not fit), gain −30;
#   30+70: Q = {} none; {30} room 30 none; {70} room 70 → 60, gain −10; both → 60, gain −40.
# The best gain +10 leaves the pool at 100, which fits: one exchange, three hosts.
DOC_SIZES = np.array([60.0, 40.0, 50.0, 50.0, 30.0, 70.0])
DOC_START = np.array([0, 1, 1, 2, 3, 3])


def test_doctest_instance_in_exactly_one_exchange() -> None:
    for seed in range(6):  # the tie between the two +10 exchanges is seeded: same hosts
        best, iterations = pool_search(DOC_SIZES, DOC_START, 100, lower_bound=3, seed=seed)
        assert iterations == 1
        assert _hosts(DOC_SIZES, best) == [[30, 70], [40, 60], [50, 50]]
        assert sorted(set(best.tolist())) == [0, 1, 2]


def test_stops_at_the_lower_bound_or_budget_with_the_start_renumbered() -> None:
    labels = np.array([7, 3, 3, 9, 5, 5])  # any labels: renumbered by first appearance
    for kw in ({"lower_bound": 4}, {"lower_bound": 3, "max_iters": 0}):
        best, iterations = pool_search(DOC_SIZES, labels, 100, **kw)
        assert (best.tolist(), iterations) == ([0, 1, 1, 2, 3, 3], 0)
    best, iterations = pool_search(DOC_SIZES, labels, 100, lower_bound=5)
    assert (best.tolist(), iterations) == ([0, 1, 1, 2, 3, 3], 0)  # already below the bound
    # lower_bound 0 counts as 1: the search runs and closes the docstring instance as above
    best, iterations = pool_search(DOC_SIZES, labels, 100, lower_bound=0, max_iters=40)
    assert int(best.max()) + 1 == 3 and iterations >= 1


def test_two_hosts_apply_no_exchange() -> None:
    # two hosts of 60 and 50 under 100: no host stays beside the pool, so no exchange exists
    sizes = np.array([60.0, 50.0])
    best, iterations = pool_search(sizes, np.array([4, 2]), 100, max_iters=5)
    assert (best.tolist(), iterations) == ([0, 1], 0)


def test_three_hosts_closing_to_two() -> None:
    # 50+40 | 30 | 25 under 100: pool {30, 25} = 55 fits at once: two hosts, no exchange
    sizes = np.array([50.0, 40.0, 30.0, 25.0])
    best, iterations = pool_search(sizes, np.array([0, 0, 1, 2]), 100)
    assert iterations == 0 and _hosts(sizes, best) == [[25, 30], [40, 50]]
    assert best.tolist() == [0, 0, 1, 1]  # the kept host first, the pool the next host


def test_capacity_tolerance_counts_as_fitting() -> None:
    # the pool {60, 40 + 1e-8} exceeds 100 by 1e-8 < 100 × 1e-9 × … no: 1e-8 ≤ 1e-7 (the
    # relative tolerance 1e-9 of 100): it fits as it is, no exchange
    sizes = np.array([90.0, 60.0, 40.0 + 1e-8])
    best, iterations = pool_search(sizes, np.array([0, 1, 2]), 100)
    assert iterations == 0 and int(best.max()) + 1 == 2
    # 1e-6 over does not fit: 90 | 60 | 40.000001 stays on three hosts (no exchange helps:
    # the kept host 90 has room 10 for nothing in the pool, Q={90} room 100 takes 60)
    sizes = np.array([90.0, 60.0, 40.0 + 1e-6])
    best, _ = pool_search(sizes, np.array([0, 1, 2]), 100, max_iters=30)
    assert int(best.max()) + 1 == 3


# --------------------------------------------------------------------------- by enumeration
# A second method for the first two iterations of one attempt: every exchange the module's
# docstring describes (a subset Q of at most two free servers of a kept host, the heaviest
# subset R of one or two free pool servers that fits beside the host's rest — on equal weight
# the one with more servers, as the code's comment says — gain w(R) − w(Q); the best gain,
# then the most servers left in the pool, any of the rest) and, for whole numbers when no
# exchange lightens the pool, every host's best refill from its own and the pool's free
# servers (enumerated subsets).  Each tie is followed on every branch; pool_search's packing
# must be one of the outcomes.  A server that moved is frozen for at least three iterations,
# so in the second iteration every moved server is fixed.

LIMIT_RTOL = 1e-9


def _subsets_upto(items: list[int], most: int, least: int = 0) -> list[tuple[int, ...]]:
    return [c for r in range(least, most + 1) for c in combinations(items, r)]


def _step(
    w: list[float],
    cap: float,
    whole: bool,
    bins: tuple[frozenset[int], ...],
    pool: frozenset[int],
    fixed: frozenset[int],
) -> list[tuple[tuple[frozenset[int], ...], frozenset[int], frozenset[int]]]:
    """Every outcome (bins, pool, moved servers) of one iteration, by enumeration."""
    limit = cap * (1 + LIMIT_RTOL)
    tol = 1e-9 * limit
    free = sorted(x for x in pool if x not in fixed)
    if not free:  # every pool server frozen: the pool's servers are freed, no exchange
        return [(bins, pool, frozenset(-1 - x for x in pool))]
    rs = _subsets_upto(free, 2, 1)
    moves = []  # (gain, more, k, Q, R)
    for k, b in enumerate(bins):
        load = sum(w[x] for x in b)
        for q in _subsets_upto(sorted(x for x in b if x not in fixed), 2):
            room = limit - load + sum(w[x] for x in q)
            fit = [r for r in rs if sum(w[x] for x in r) <= room]
            if not fit:
                continue
            top = max(sum(w[x] for x in r) for r in fit)
            heavy = [r for r in fit if sum(w[x] for x in r) == top]
            most = max(len(r) for r in heavy)
            for r in heavy:
                if len(r) == most:
                    moves.append((top - sum(w[x] for x in q), len(q) - len(r), k, q, r))
    if not moves:
        return [(bins, pool, frozenset())]
    gmax = max(m[0] for m in moves)
    out = []
    if whole and gmax <= 0:
        c = int(cap)
        refills = []
        for k, b in enumerate(bins):
            load = sum(w[x] for x in b)
            mine = [x for x in b if x not in fixed]
            base = load - sum(w[x] for x in mine)
            for s in _subsets_upto(mine + free, len(mine) + len(free)):
                total = base + sum(w[x] for x in s)
                if total <= c and total - load > 0:
                    refills.append((total - load, k, frozenset(s), frozenset(mine)))
        if refills:
            g = max(r[0] for r in refills)
            for _, k, chosen, own in (r for r in refills if r[0] == g):
                into, away = chosen - bins[k], own - chosen
                nb = list(bins)
                nb[k] = (bins[k] - away) | into
                out.append((tuple(nb), (pool - into) | away, into | away))
            return out
    best = [m for m in moves if m[0] >= gmax - tol]
    more = max(m[1] for m in best)
    for _, _, k, q, r in (m for m in best if m[1] == more):
        nb = list(bins)
        nb[k] = (bins[k] - set(q)) | set(r)
        out.append((tuple(nb), (pool - set(r)) | set(q), frozenset(q) | frozenset(r)))
    return out


def _expected(
    w: list[float], start: list[int], cap: float, iters: int, whole: bool
) -> set[tuple[tuple[tuple[float, ...], ...], int]]:
    """(hosts as a sorted multiset, iterations) of every outcome of ``iters`` iterations."""
    limit = cap * (1 + LIMIT_RTOL)
    m = max(start) + 1
    loads = [sum(w[i] for i in range(len(w)) if start[i] == k) for k in range(m)]
    order = sorted(range(m), key=lambda k: loads[k])
    drop = set(order[:2])
    bins0 = tuple(frozenset(i for i in range(len(w)) if start[i] == k) for k in order[2:])
    pool0 = frozenset(i for i in range(len(w)) if start[i] in drop)

    def hosts(groups: list[frozenset[int]]) -> tuple[tuple[float, ...], ...]:
        return tuple(sorted(tuple(sorted(w[x] for x in g)) for g in groups if g))

    if sum(w[x] for x in pool0) <= limit:
        return {(hosts([*bins0, pool0]), 0)}
    results = set()
    frontier = [(bins0, pool0, frozenset[int]())]
    for it in range(1, iters + 1):
        nxt = []
        for bins, pool, moved in frontier:
            for nb, npool, nm in _step(w, cap, whole, bins, pool, moved):
                if sum(w[x] for x in npool) <= limit:
                    results.add((hosts([*nb, npool]), it))
                else:
                    freed = {-1 - x for x in nm if x < 0}
                    nxt.append((nb, npool, (moved - freed) | {x for x in nm if x >= 0}))
        frontier = nxt
    if frontier:  # some branch still open after the budget: the start comes back
        results.add(
            (hosts([frozenset(i for i in range(len(w)) if start[i] == k) for k in range(m)]), iters)
        )
    return results


def _instance(rnd: random.Random, kind: str) -> tuple[list[float], list[int], float]:
    """Two to four hosts filled to the capacity or near it, split into 1–3 servers each,
    then packed first fit in a shuffled order (often one host more than needed)."""
    cap_int = rnd.randint(12, 20)
    ints: list[int] = []
    for _ in range(rnd.randint(2, 4)):
        left = cap_int - rnd.choice([0, 0, 1, 2])
        for _ in range(rnd.randint(1, 3) - 1):
            if left > 1:
                x = rnd.randint(1, left - 1)
                ints.append(x)
                left -= x
        ints.append(left)
    # "half": sizes and capacity not whole (no refill); "large": whole but the capacity above
    # POOL_PACK_SET_MAX_CAPACITY = 20,000 (no refill either)
    scale = {"whole": 1.0, "half": 0.5, "large": 2_000.0}[kind]
    off = 0.25 if kind == "half" else 0.0
    w = [x * scale + off for x in ints]
    cap = cap_int * scale + off * 3
    order = list(range(len(w)))
    rnd.shuffle(order)
    loads: list[float] = []
    start = [0] * len(w)
    for i in order:
        for k, load in enumerate(loads):
            if load + w[i] <= cap:
                loads[k] += w[i]
                start[i] = k
                break
        else:
            loads.append(w[i])
            start[i] = len(loads) - 1
    return w, start, cap


def _check_trial(trial: int) -> bool:
    """pool_search on the trial's instance is one of the enumerated outcomes (False: skipped)."""
    rnd = random.Random(trial)
    kind = ("whole", "half", "large")[trial % 3]
    iters = 1 + (trial // 3) % 3
    w, start, cap = _instance(rnd, kind)
    m = max(start) + 1
    loads = sorted(sum(w[i] for i in range(len(w)) if start[i] == k) for k in range(m))
    if m < 3 or loads[1] == loads[2]:  # pool_search needs 3 hosts; the two lightest unique
        return False
    expected = _expected(w, start, cap, iters, kind == "whole")
    sizes = np.array(w)
    best, iterations = pool_search(
        sizes, np.array(start), cap, lower_bound=m - 1, seed=trial % 7, max_iters=iters
    )
    got = tuple(tuple(h) for h in _hosts(sizes, best))
    assert (got, iterations) in expected, (trial, w, start, cap)
    return True


def test_first_iterations_are_exchanges_found_by_enumeration() -> None:
    # a sweep of 1,500 small instances (deterministic): about 700 have three hosts or more and
    # two unique lightest hosts; the ties that decide a packing are rare, hence the many
    assert sum(_check_trial(trial) for trial in range(1_500)) > 500
    # and instances further on where a rule decides the packing within three iterations: the
    # refill only when no exchange lightens the pool (4359, 6354), the tie towards more
    # servers left in the pool (4682, 7188), a refill followed by a further iteration (3777),
    # a subset Q whose second server is frozen (1518)
    for trial in (1518, 3777, 4359, 4682, 6354, 7188):
        assert _check_trial(trial)


# Two kept hosts 22+22+22+22+2 (load 90, room 10) and a pool {55} + {56} = 111 > 100: every
# exchange's room is at most 10 + 22 + 22 = 54 < 55, so no exchange fits and the attempt
# stalls for POOL_STALL = 1,500 iterations.  A restart drops two of the four hosts (the
# least-loaded quarter is at least 4 hosts); every other pair closes: dropping the two 90s
# puts 22 + 22 beside each of 55 and 56 (rooms 45, 44) and the pool 180 − 88 = 92 fits;
# dropping a 90 and a 5x puts 22 + 22 beside the other 5x and 2 beside the other 90.  Three
# hosts (e.g. 55+22+22 | 56+22+22 | 22+22+22+22+2+2) are the optimum (291 > 200).
STALL_SIZES = np.array([22.0, 22, 22, 22, 2, 22, 22, 22, 22, 2, 55, 56])
STALL_START = np.array([0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 3])


def test_a_stalled_attempt_restarts_with_two_other_hosts() -> None:
    # (a host drawn twice would make a "pool" of one host: one more stalled attempt)
    for seed in range(12):
        best, iterations = pool_search(STALL_SIZES, STALL_START, 100, lower_bound=3, seed=seed)
        assert int(best.max()) + 1 == 3
        assert max(_loads(STALL_SIZES, best)) <= 100
        # the first attempt stalls for exactly 1,500 iterations; a restart that draws the same
        # two hosts stalls 1,500 more; any other pair closes in two iterations (its two best
        # exchanges take 44 and then 44 or 2 out of the pool, by hand as above)
        assert iterations > 1_500 and iterations % 1_500 == 2
    # the budget ends with the first attempt: the start comes back, renumbered
    best, iterations = pool_search(STALL_SIZES, STALL_START, 100, lower_bound=3, max_iters=1_500)
    assert (best.tolist(), iterations) == (STALL_START.tolist(), 1_500)


def test_float32_sizes_are_summed_in_float64() -> None:
    # float32 sizes 2**24 | 2**23 + 1 | 2**23 under 2**24 + 0.5: the pool {2**23 + 1, 2**23}
    # sums to 16,777,217 > 16,777,216.5 (in float32 it would round to 16,777,216 and "fit");
    # no two of the three fit one host, so the three hosts stay
    sizes = np.array([2.0**24, 2.0**23 + 1, 2.0**23], dtype=np.float32)
    best, _ = pool_search(sizes, np.array([0, 1, 2]), 2.0**24 + 0.5, max_iters=5)
    assert best.tolist() == [0, 1, 2]


def test_default_seed_is_2011() -> None:
    import inspect

    params = inspect.signature(pool_search).parameters
    assert params["seed"].default == 2011 and params["lower_bound"].default == 1


# 13+1+1 | 3+4+6 | 6 | 14 under 16 (total 48 = 3 × 16).  The pool is the two lightest,
# 6 and 3+4+6: {6, 3, 4, 6} = 19 > 16; kept 13+1+1 (room 1) and 14 (room 2).
# Iteration 1: the best exchange is Q = {1, 1} (room 3) for R = {3}, gain +1 (Q = {13} takes
# 6+6 = 12, gain −1; 14 takes 12, gain −2): pool {6, 4, 6, 1, 1} = 18, host 13+3 full.
# Iteration 2: 1, 1 and 3 are frozen; the free pool {6, 4, 6}: Q = {13} (room 13) takes 12,
# gain −1; Q = {14} takes 12, gain −2 — nothing lightens the pool, so with whole numbers one
# host is refilled: 14's best subset of {14, 6, 4, 6} under 16 is 6+4+6 = 16 (gain 2; 13's
# best under 16 − 3 is 13 itself, gain 0), the pool becomes {1, 1, 14} = 16: three hosts.
# Without the refill (capacity above POOL_PACK_SET_MAX_CAPACITY = 20,000) iteration 2 takes
# the −1 exchange (pool 4+1+1+13 = 19) and two iterations end on the start.
REFILL_SIZES = np.array([13.0, 3, 6, 4, 6, 14, 1, 1])
REFILL_START = np.array([0, 1, 2, 1, 1, 3, 0, 0])
REFILL_HOSTS = [[1.0, 1.0, 14.0], [3.0, 13.0], [4.0, 6.0, 6.0]]


def test_refill_from_the_pool_by_hand() -> None:
    best, iterations = pool_search(REFILL_SIZES, REFILL_START, 16, lower_bound=3, max_iters=2)
    assert (_hosts(REFILL_SIZES, best), iterations) == (REFILL_HOSTS, 2)
    # the same with the hosts labelled the other way round (14 is now the first kept host)
    relabelled = np.array([3, 1, 2, 1, 1, 0, 3, 3])
    best, iterations = pool_search(REFILL_SIZES, relabelled, 16, lower_bound=3, max_iters=2)
    assert (_hosts(REFILL_SIZES, best), iterations) == (REFILL_HOSTS, 2)
    # the same at capacity 20,000 exactly (× 1,250: the refill is still allowed)
    big = REFILL_SIZES * 1_250
    best, iterations = pool_search(big, REFILL_START, 20_000, lower_bound=3, max_iters=2)
    assert (_hosts(REFILL_SIZES, best), iterations) == (REFILL_HOSTS, 2)
    # × 1,251: capacity 20,016 > 20,000, no refill: the start after two iterations
    big = REFILL_SIZES * 1_251
    best, iterations = pool_search(big, REFILL_START, 20_016, lower_bound=3, max_iters=2)
    assert (best.tolist(), iterations) == ([0, 1, 2, 1, 1, 3, 0, 0], 2)
    # not whole (a capacity of 16.5 or a size of 13.5): no refill either
    best, _ = pool_search(REFILL_SIZES, REFILL_START, 16.5, lower_bound=3, max_iters=2)
    assert int(best.max()) + 1 == 4
    half = REFILL_SIZES.copy()
    half[0] = 12.5  # 12.5+1+1 | … : the pool and iteration 1 as above (Q = {1, 1} for {3})
    best, _ = pool_search(half, REFILL_START, 16, lower_bound=3, max_iters=2)
    assert int(best.max()) + 1 == 4


def test_a_pool_exactly_at_the_tolerant_capacity_fits() -> None:
    # 70 | 50 | limit − 50 with limit = 100 × (1 + 1e-9): the pool's total is the limit itself,
    # which fits: two hosts without an exchange
    limit = 100 * (1 + 1e-9)
    assert 50.0 + (limit - 50.0) == limit  # exact in float64
    sizes = np.array([70.0, 50.0, limit - 50.0])
    best, iterations = pool_search(sizes, np.array([0, 1, 2]), 100)
    assert (best.tolist(), iterations) == ([0, 1, 1], 0)


def test_more_than_sixty_free_pool_servers() -> None:
    # a kept host 70 and a pool of 62 servers of 2 (two hosts of 31): pool 124.  Each
    # iteration the best exchange puts two servers (4) beside 70 (Q = {70} would take 100 and
    # lose 66): after 6 iterations the host holds 94 and the pool 100 fits — two hosts.  Only
    # the 60 heaviest free servers form pairs (POOL_PAIR_ITEMS), which changes nothing here.
    sizes = np.array([70.0] + [2.0] * 62)
    start = np.array([0] + [1] * 31 + [2] * 31)
    best, iterations = pool_search(sizes, start, 100, lower_bound=2)
    assert iterations == 6
    assert sorted(_loads(sizes, best)) == [94.0, 100.0]


def test_the_default_seed_is_2011_in_effect() -> None:
    # the same packing without a seed as with seed=2011 (an instance where the seeded ties
    # and tabu tenures matter within 50 iterations)
    sizes = np.array([19.0, 7, 3, 8, 15, 3, 5, 1, 13])
    start = np.array([3, 2, 0, 4, 1, 0, 2, 1, 0])
    default, _ = pool_search(sizes, start, 19, max_iters=50)
    seeded, _ = pool_search(sizes, start, 19, max_iters=50, seed=2011)
    assert default.tolist() == seeded.tolist()
