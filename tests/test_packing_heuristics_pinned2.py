"""Packing's pool repair checked by hand and by enumeration (issue 27 §2, heuristics, part 2).

Every expected value below is worked out by hand from the method described in
:mod:`colonykit.packing.pool` (the two least-loaded hosts go to a pool, the exchange that takes
the most demand out of the pool is applied, the pool becomes a host once its total fits) or
by plain enumeration of subsets; whole-number sizes keep the sums exact in float64.
"""

from __future__ import annotations

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
        best, iterations = pool_search(DOC_SIZES, labels, 100, **kw)  # type: ignore[arg-type]
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
