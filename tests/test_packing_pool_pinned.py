"""Packing's pool repair: its documented ties, draws and tenures checked by hand (issue 27 §2).

The rules are the ones :mod:`colonykit.packing.pool`'s docstring states (which host is dropped on
equal load, the tenure range, what counts towards a stall, the tie tolerance, the restart's
candidates).  Every expected value is worked out by hand in the comments; where a seeded draw
decides, the test checks the documented property over many seeds (every tenure from 3 to 12
occurs, and no other), never one seed's output.
"""

from __future__ import annotations

import numpy as np
from test_packing_heuristics_pinned2 import _expected

from colonykit.packing.pool import (
    POOL_STALL,
    POOL_TABU_MAX,
    POOL_TABU_MIN,
    pool_search,
)
from colonykit.packing.problem import CAPACITY_RTOL

LIMIT = 100.0 * (1 + CAPACITY_RTOL)  # the tolerant capacity of a host of 100
TOL = 1e-9 * LIMIT  # gains and pool weights closer than this count as equal


def _hosts(sizes: np.ndarray, host_of: np.ndarray) -> list[list[float]]:
    """The packing as a sorted multiset of sorted hosts (labels do not matter)."""
    m = int(host_of.max()) + 1
    return sorted(sorted(sizes[host_of == k].tolist()) for k in range(m))


def _feasible(sizes: np.ndarray, host_of: np.ndarray, capacity: float) -> bool:
    loads = np.bincount(host_of, weights=sizes)
    return bool(np.all(loads <= capacity * (1 + CAPACITY_RTOL)))


# --------------------------------------------------------------------------- tabu tenure
# 25 | 23+49+3+3+5+5 | 87 under 100 (servers 0 … 7 = 25, 23, 49, 3, 87, 3, 5, 5).  The pool is
# the two lightest hosts {25} and {87} = 112; the kept host 88 has room 12.  Iteration 1, every
# subset Q of the kept host and the heaviest R of {25, 87, 112} beside its rest: Q = {} (room 12),
# {3}, {5}, {3, 3}, {3, 5}, {5, 5} (rooms 15–22): nothing fits; Q = {23} (room 35): R = 25,
# gain +2; {23, 3} −1, {23, 5} −3, {49} −24, {49, x} and {23, 49} (room 84 < 87) lose more.
# So 23 and 25 swap: host 25+49+3+3+5+5 = 90 (room 10), pool {87, 23} = 110, 23 and 25 frozen.
# While 23 is frozen the only free pool server is 87 and the largest room is 10 + 25 + 49 = 84:
# nothing fits, no exchange (and no refill: that needs an exchange that fits).  In the iteration
# in which 23 is free again every exchange loses (23 beside the host's rest needs Q ∋ 25 or 49:
# gains −2 and less), so the whole numbers refill the host: its free servers and {23, 87} fill
# it to exactly 100 (49 + 23 + 3 beside a frozen 25, or e.g. 87 + 5 + 5 + 3 when 25 is free),
# gain 10, and the pool of 200 − 100 = 100 fits.  So iterations = 1 + the tenure of server 1.
TENURE_SIZES = np.array([25.0, 23, 49, 3, 87, 3, 5, 5])
TENURE_START = np.array([1, 0, 0, 0, 2, 0, 0, 0])


def test_tenures_drawn_from_three_to_twelve_iterations() -> None:
    counts = []
    for seed in range(120):
        best, iterations = pool_search(
            TENURE_SIZES, TENURE_START, 100, lower_bound=2, seed=seed, max_iters=20
        )
        assert int(best.max()) + 1 == 2 and _feasible(TENURE_SIZES, best, 100)
        counts.append(iterations - 1)
    # every tenure from POOL_TABU_MIN to POOL_TABU_MAX occurs, and no other (120 uniform draws
    # of 10 values: each is missed with probability 0.9**120 ≈ 3e-6)
    assert set(counts) == set(range(POOL_TABU_MIN, POOL_TABU_MAX + 1)) == set(range(3, 13))


# --------------------------------------------------------------------------- stall bookkeeping
# Two hosts 22+22+22+22+2 (90, room 10), and 55 | 56+1 under 100.  The pool {55} + {56, 1} = 112.
# Iteration 1: the 1 goes beside a 90 (Q = {}, gain +1; Q = {2} room 12 takes 1, gain −1; the
# room 10 + 22 + 22 = 54 is below 55): the pool {55, 56} = 111 is lighter, the stall count
# restarts.  From then on no exchange fits (rooms at most 54 < 55, also when the 1 is free
# again), so the attempt ends after 1,500 further iterations without a lighter pool: iteration
# 1 + 1,500 = 1,501.  A restart drops two of the four hosts (the least-loaded quarter has at
# least four); {55, 56+1} again costs another 1,501; every other pair closes in exactly two
# iterations (by hand: dropping both 90s, 55 and 56+1 each take 22 + 22, the pool 180 − 88 =
# 92 fits; dropping a 90 and 55, 56+1 takes 22 + 22 with Q = {1} (gain 43) or Q = {} (44), then
# the other 90 takes 2 + 1 or 2 and the pool fits; likewise for the other pairs).
STALL_SIZES = np.array([22.0, 22, 22, 22, 2, 22, 22, 22, 22, 2, 55, 56, 1])
STALL_START = np.array([0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 3, 3])


def test_an_attempt_stalls_1500_iterations_after_its_last_lighter_pool() -> None:
    assert POOL_STALL == 1_500
    for seed in range(6):
        best, iterations = pool_search(
            STALL_SIZES, STALL_START, 100, lower_bound=3, seed=seed, max_iters=6_100
        )
        assert int(best.max()) + 1 == 3 and _feasible(STALL_SIZES, best, 100)
        assert iterations > 1_501 and iterations % 1_501 == 2
    # the budget ends inside the first attempt: the start comes back, renumbered
    best, iterations = pool_search(STALL_SIZES, STALL_START, 100, lower_bound=3, max_iters=1_501)
    assert (best.tolist(), iterations) == (STALL_START.tolist(), 1_501)


def test_a_pool_lighter_by_exactly_the_tolerance_is_not_lighter() -> None:
    # The instance above with the 1 replaced by e = TOL = 1e-9 × LIMIT: the pool starts at
    # 55 + 56 + e (summed in this order), iteration 1 puts e beside a 90 (gain e; Q = {2} and
    # Q = {22} take e for less than 0) and leaves the pool 111, which is exactly the lightest so
    # far minus TOL (checked below): not lighter, so the stall count runs on from iteration 1
    # and the attempt ends at iteration 1,500 (not 1,501).  The restarts close in two
    # iterations as above (e for 1: the 90 that takes 2 + 1 takes 2 + e).
    e = TOL
    assert (55.0 + 56.0) + e - TOL == 111.0
    sizes = STALL_SIZES.copy()
    sizes[-1] = e
    for seed in range(6):
        best, iterations = pool_search(
            sizes, STALL_START, 100, lower_bound=3, seed=seed, max_iters=6_100
        )
        assert int(best.max()) + 1 == 3 and _feasible(sizes, best, 100)
        assert iterations > 1_500 and iterations % 1_500 == 2


# --------------------------------------------------------------------------- which hosts drop
def test_equal_loads_drop_the_lower_numbered_hosts_first() -> None:
    # 17 hosts of one server each; six of 10 (hosts 3–8), the rest 20 and 30.  The two
    # least-loaded, on equal load the lower-numbered first: hosts 3 and 4; their pool 20 fits at
    # once, so servers 3 and 4 share a host and every other server keeps its own.
    sizes = np.array([30.0, 20, 20, 10, 10, 10, 10, 10, 10, 30, 20, 30, 20, 20, 30, 30, 20])
    best, iterations = pool_search(sizes, np.arange(17), 100, lower_bound=16)
    assert iterations == 0
    assert best.tolist() == [0, 1, 2, 3, 3, *range(4, 16)]


def test_after_a_pool_closes_the_two_least_loaded_are_dropped_again() -> None:
    # 10 | 20 | 35 | 95 | 95 | 95 | 95 under 100: the pool {10, 20} = 30 fits (a host of 30);
    # then the two least-loaded are 30 and 35: the pool 65 fits — five hosts (the bound: 440 /
    # 100), no exchange, whatever the seed.  (A seeded restart draw among the four lightest
    # would drop a 95 most of the time.)
    sizes = np.array([10.0, 20, 35, 95, 95, 95, 95])
    for seed in range(8):
        best, iterations = pool_search(sizes, np.arange(7), 100, lower_bound=5, seed=seed)
        assert iterations == 0
        assert _hosts(sizes, best) == [[10, 20, 35], [95], [95], [95], [95]]


# 22+22+22+22+2 twice (90), 55 | 56 and 15 hosts 20+20+20+20+20 (100): 19 hosts.  The first
# attempt (pool {55, 56} = 111) stalls: every room is at most 10 + 44 = 54 (the 90s) or
# 0 + 40 (the 100s) < 55.  A restart draws two of the max(4, 19 // 4) = 4 least-loaded hosts
# (55, 56, 90, 90): as in test_packing_heuristics_pinned2's stall test every pair but {55, 56}
# closes in two exchanges of +44 and +44 or +2 among these four, which beat any exchange with a
# 100 (its best: Q = {20, 20} for 22 + 2, gain −16) — so the fifteen 20+20+20+20+20 hosts stay.
FILLER_SIZES = np.array([22.0, 22, 22, 22, 2, 22, 22, 22, 22, 2, 55, 56] + [20.0] * 75)
FILLER_START = np.array([0] * 5 + [1] * 5 + [2, 3] + [4 + k // 5 for k in range(75)])


def test_a_restart_among_nineteen_hosts_draws_from_the_four_least_loaded() -> None:
    for seed in range(6):
        best, iterations = pool_search(
            FILLER_SIZES, FILLER_START, 100, lower_bound=18, seed=seed, max_iters=3_100
        )
        hosts = _hosts(FILLER_SIZES, best)
        assert len(hosts) == 18 and _feasible(FILLER_SIZES, best, 100)
        assert hosts.count([20.0] * 5) == 15
        assert iterations % 1_500 == 2


def test_a_restart_among_twenty_hosts_draws_from_the_five_least_loaded() -> None:
    # one more 20+20+20+20+20 host: 20 hosts, so the restart's candidates are the
    # max(4, 20 // 4) = 5 least-loaded — 55, 56, 90, 90 and a 100.  Were they the four
    # lightest, every restart would close in exactly two iterations or stall again (above), so
    # iterations ≡ 2 (mod 1,500) for every seed; a drawn 100 takes a different number of
    # iterations.  Each restart draws a 100 with probability 4 / 10: some of 12 seeds must.
    sizes = np.append(FILLER_SIZES, [20.0] * 5)
    start = np.append(FILLER_START, [19] * 5)
    counts = []
    for seed in range(12):
        best, iterations = pool_search(
            sizes, start, 100, lower_bound=19, seed=seed, max_iters=3_100
        )
        assert int(best.max()) + 1 == 19 and _feasible(sizes, best, 100)
        counts.append(iterations % 1_500)
    assert 2 in counts and any(c != 2 for c in counts)


# --------------------------------------------------------------------------- R and its ties
def test_only_the_sixty_heaviest_free_pool_servers_form_subsets() -> None:
    # capacity 200: a kept host 160 (room 40) and the pool 40 + 30×3 | 31×3 (130 | 93) = 223.
    # The 60 heaviest free pool servers are the 40 and 59 threes: subsets 3, 6, 40, 43.  Q = {}
    # takes the 40 (gain 40; Q = {160} would take 43 for −117), the pool 61 × 3 = 183 fits:
    # one exchange, two hosts 160+40 and the sixty-one threes.
    sizes = np.array([160.0, 40.0] + [3.0] * 61)
    start = np.array([0, 1] + [1] * 30 + [2] * 31)
    best, iterations = pool_search(sizes, start, 200, lower_bound=2)
    assert iterations == 1
    assert _hosts(sizes, best) == [[3.0] * 61, [40.0, 160.0]]


def test_an_r_exactly_at_the_room_fits() -> None:
    # 34+18+18 (70) | r+35 | 60 with r = LIMIT − 70 exactly (≈ 30.0000001): the room beside the
    # 70 with Q = {} is LIMIT − 70 = r, so R = {r} fits, gain r; the next best are Q = {18, 18}
    # (room r + 36) for r + 35, gain 29, and Q = {34} (room r + 34) for 60, gain 26.  The pool
    # {35, 60} = 95 fits: one exchange, 34+18+18+r | 35+60.
    r = LIMIT - 70.0
    assert 100.0 * (1 + 1e-9) - 70.0 == r
    sizes = np.array([34.0, 18, 18, r, 35, 60])
    for seed in range(3):
        best, iterations = pool_search(sizes, np.array([0, 0, 0, 1, 1, 2]), 100, seed=seed)
        assert iterations == 1
        assert _hosts(sizes, best) == [[18.0, 18.0, r, 34.0], [35.0, 60.0]]


def test_gains_within_the_tolerance_tie_and_more_servers_stay_in_the_pool() -> None:
    # kept 65 (room ≈ 35) and k2 (room in [s, 30)), pool 10+45 | 20+s = 105 − TOL with
    # s = 30 − TOL (TOL = 1e-9 × LIMIT, exact as the loop computes it).  Beside 65 the heaviest
    # R is 10 + 20 = 30 (s + 10 > 35): gain 30, two servers out of the pool; beside k2 it is s:
    # gain 30 − TOL, one server out.  The two gains count as equal (30 − TOL ≥ 30 − TOL), so
    # the exchange leaving more servers in the pool is applied: s goes beside k2 and the pool
    # 10 + 45 + 20 = 75 fits: three hosts, the bound (240 / 100).  (Q = {65} takes 45 + s for
    # 10 − TOL, Q = {k2} 45 + s for ≈ 5.)
    s = 30.0 - TOL
    k2 = 70.00000015
    assert s <= LIMIT - k2 < 30.0 and 30.0 - 1e-9 * LIMIT == s
    sizes = np.array([65.0, k2, 10, 45, 20, s])
    for seed in range(6):
        start = np.array([0, 1, 2, 2, 3, 3])
        best, iterations = pool_search(sizes, start, 100, lower_bound=3, seed=seed)
        assert iterations == 1
        assert _hosts(sizes, best) == [[10.0, 20.0, 45.0], [s, k2], [65.0]]


# --------------------------------------------------------------------------- the refill's host
def test_the_refill_may_fill_the_first_kept_host() -> None:
    # test_packing_heuristics_pinned2's refill instance with the servers reordered so that the
    # refilled host 14 is the first kept host: 14 | 3+4+6 | 6 | 13+1+1 under 16.  The pool is
    # 6 and 3+4+6 (19); iteration 1 puts 3 beside 13 for 1 + 1 (gain +1); iteration 2 finds no
    # exchange that lightens the pool and refills 14's host with 6 + 4 + 6 = 16 (gain 2; 13's
    # host gains nothing: 3 is frozen and 13 is its best under 13): the pool 1 + 1 + 14 fits.
    sizes = np.array([14.0, 3, 6, 4, 6, 13, 1, 1])
    start = np.array([0, 1, 2, 1, 1, 3, 3, 3])
    best, iterations = pool_search(sizes, start, 16, lower_bound=3, max_iters=2)
    assert iterations == 2
    assert _hosts(sizes, best) == [[1.0, 1.0, 14.0], [3.0, 13.0], [4.0, 6.0, 6.0]]


# --------------------------------------------------------------------------- by enumeration
# Further instances for test_packing_heuristics_pinned2's second method (every exchange and
# refill its docstring describes, for the first three iterations, every tie followed; a moved
# server is frozen for at least three iterations): found by a sweep of small instances (2–4
# hosts filled near 100 and split into 1–4 servers, first fit in a shuffled order), kept where
# one rule decides the packing.  Every seed's packing must be one of the enumerated outcomes.
ENUMERATED = (
    # a server moved into a host is frozen there: no Q may take it out again (also as a single)
    ([52.0, 28, 12, 8, 42, 44, 7, 7], [1, 2, 0, 0, 1, 0, 0, 0]),
    # the same with the frozen server the first of a pair Q, server 0 among the frozen
    ([47.0, 21, 14, 18, 98, 33, 62, 2, 2, 100], [4, 0, 0, 0, 3, 0, 1, 0, 0, 2]),
    # the best exchange gains exactly 0, so the whole numbers refill a host instead
    ([21.0, 51, 21, 5, 82, 7, 6, 5, 98, 1, 1, 47, 48], [0, 4, 2, 0, 3, 0, 0, 0, 1, 0, 0, 2, 0]),
    ([92.0, 6, 1, 4, 94, 18, 82, 15, 67, 13], [3, 0, 0, 0, 2, 1, 0, 1, 4, 1]),
    # a server a refill moved is frozen too (at least three iterations, like an exchange's)
    ([41.0, 2, 29, 28, 83, 15, 2, 19, 80, 63, 4, 33], [0, 0, 0, 2, 3, 0, 0, 1, 1, 2, 0, 4]),
    ([26.0, 12, 62, 46, 42, 6, 4, 94, 6, 79, 2, 4, 10], [1, 0, 4, 1, 3, 0, 1, 2, 1, 0, 0, 1, 1]),
    # a refill that gains exactly 1
    ([47.0, 41, 10, 2, 14, 86, 89, 11], [1, 1, 0, 1, 3, 2, 0, 2]),
    ([45.0, 52, 3, 10, 47, 9, 33, 56, 2, 42], [1, 1, 0, 0, 3, 0, 0, 2, 0, 0]),
)


def test_three_iterations_are_among_the_enumerated_outcomes() -> None:
    for w, start in ENUMERATED:
        m = max(start) + 1
        expected = _expected(w, start, 100.0, 3, True)
        sizes = np.array(w)
        for seed in range(5):
            best, iterations = pool_search(
                sizes, np.array(start), 100, lower_bound=m - 1, seed=seed, max_iters=3
            )
            got = tuple(tuple(h) for h in _hosts(sizes, best))
            assert (got, iterations) in expected, (w, seed)
