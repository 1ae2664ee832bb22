"""Packing's minimum-slack fill and MILP checked against brute force (issue 27 §2, heuristics).

The second method throughout is plain enumeration on instances of at most eight servers with
whole-number demands (sums exact in float64): every subset of the remaining servers for one
host of the fill, every assignment of servers to hosts for the optimum.
"""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from colonykit.packing.fill import min_slack_fill
from colonykit.packing.milp import _nondominated_steps, pack_milp


def _fits(
    m: np.ndarray,
    members: list[int],
    cap: float,
    mem: np.ndarray | None,
    hmem: float | None,
    pairs: set[frozenset[int]],
) -> bool:
    if not (m[members].sum(axis=0) <= cap).all():
        return False
    if mem is not None and hmem is not None and mem[members].sum() > hmem:
        return False
    return not any(frozenset(p) in pairs for p in combinations(members, 2))


def _optimum(
    m: np.ndarray,
    cap: float,
    mem: np.ndarray | None = None,
    hmem: float | None = None,
    pairs: set[frozenset[int]] | None = None,
) -> int:
    """Fewest hosts by enumerating every assignment (server i on one of hosts 0..i)."""
    n = m.shape[0]
    pairs = pairs or set()
    best = n
    hosts: list[list[int]] = []

    def place(i: int) -> None:
        nonlocal best
        if len(hosts) >= best:
            return
        if i == n:
            best = len(hosts)
            return
        for h in hosts:
            h.append(i)
            if _fits(m, h, cap, mem, hmem, pairs):
                place(i + 1)
            h.pop()
        hosts.append([i])
        place(i + 1)
        hosts.pop()

    place(0)
    return best


def _solved(got: tuple[np.ndarray | None, bool]) -> tuple[np.ndarray, bool]:
    """pack_milp's answer when HiGHS found a packing."""
    host_of, proved = got
    assert host_of is not None
    return host_of, proved


def _conflicts(n: int, pairs: set[frozenset[int]]) -> list[np.ndarray]:
    return [
        np.array(sorted(j for p in pairs if i in p for j in p if j != i), int) for i in range(n)
    ]


@st.composite
def _instances(
    draw: st.DrawFn, max_n: int = 7, low: int = 0
) -> tuple[np.ndarray, np.ndarray | None, set]:
    n = draw(st.integers(1, max_n))
    t = draw(st.integers(1, 3))
    m = np.array(
        draw(
            st.lists(
                st.lists(st.integers(low, 100), min_size=t, max_size=t), min_size=n, max_size=n
            )
        ),
        dtype=np.float64,
    )
    mem = None
    if draw(st.booleans()):
        mem = np.array(draw(st.lists(st.integers(0, 10), min_size=n, max_size=n)), dtype=np.float64)
    pairs: set[frozenset[int]] = set()
    if n > 1 and draw(st.booleans()):
        for a, b in draw(
            st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=3)
        ):
            if a != b:
                pairs.add(frozenset((a, b)))
    return m, mem, pairs


# --------------------------------------------------------------------------- minimum-slack fill
@given(_instances(max_n=8))
def test_min_slack_fill_fills_each_host_best_by_enumeration(
    inst: tuple[np.ndarray, np.ndarray | None, set],
) -> None:
    m, mem, pairs = inst
    n = m.shape[0]
    hmem = None if mem is None else 10.0
    host_of = min_slack_fill(
        m, 100, memory=mem, host_memory=hmem, conflicts=_conflicts(n, pairs) if pairs else None
    )
    energy = m.sum(axis=1)
    # the largest remaining server (summed demand, then peak, then input order) opens each host
    order = sorted(range(n), key=lambda i: (-energy[i], -m[i].max(), i))
    assert host_of.min() == 0 and sorted(set(host_of.tolist())) == list(range(host_of.max() + 1))
    left = list(order)
    for k in range(int(host_of.max()) + 1):
        members = [i for i in range(n) if host_of[i] == k]
        assert left[0] in members  # opened by the largest remaining
        assert all(i in left for i in members)
        assert _fits(m, members, 100, mem, hmem, pairs)
        # no feasible subset of what remained (with the opener) leaves less slack
        rest = left[1:]
        best = energy[left[0]]
        for r in range(1, len(rest) + 1):
            for sub in combinations(rest, r):
                cand = [left[0], *sub]
                if energy[cand].sum() > best and _fits(m, cand, 100, mem, hmem, pairs):
                    best = energy[cand].sum()
        assert energy[members].sum() == best
        left = [i for i in left if i not in members]
    assert not left


def test_min_slack_fill_by_hand() -> None:
    # two steps: a 60/20, b 30/70, c 40/30, d 20/20, e 10/10 (sums 80, 100, 70, 40, 20; the
    # order b, a, c, d, e).  b opens host 0; a fits (90/90: 180), then c (130) and d (110) do
    # not, e does (100/100: 200 = no slack, the search stops) -> {b, a, e}; c opens host 1 and
    # d fits (60/50) -> {c, d}
    m = np.array([[60.0, 20.0], [30.0, 70.0], [40.0, 30.0], [20.0, 20.0], [10.0, 10.0]])
    assert min_slack_fill(m, 100).tolist() == [0, 0, 1, 1, 0]
    # one subset tried per host: the first server that fits beside the opener is taken:
    # b + a, then c + d, then e alone
    assert min_slack_fill(m, 100, max_nodes=1).tolist() == [0, 0, 1, 1, 2]
    # an explicit order c, d, e, a, b: c opens; beside it fit d (60/50), e (50/40), a (100/50)
    # and b (70/100); the fills: c+b 170, c+a 150, c+d+e 130 (c+b+d 120 at step 1, c+b+e 110,
    # c+a+d 120, c+a+e 110: no) -> {c, b}; d opens, e and a fit (90/50) -> {d, e, a}
    assert min_slack_fill(m, 100, order=np.array([2, 3, 4, 0, 1])).tolist() == [1, 0, 0, 1, 1]
    # memory: a and b may not share (50 + 60 > 100 MiB): b opens; c fits (70/100: 170), d+e
    # (60/100: 160) -> {b, c}; a opens, d and e fit (90/50) -> {a, d, e}
    mem = np.array([50.0, 60.0, 10.0, 10.0, 10.0])
    assert min_slack_fill(m, 100, memory=mem, host_memory=100).tolist() == [1, 0, 0, 1, 1]
    # anti-affinity a-b: the same
    conf = [np.array([1]), np.array([0]), np.array([], int), np.array([], int), np.array([], int)]
    assert min_slack_fill(m, 100, conflicts=conf).tolist() == [1, 0, 0, 1, 1]


def test_min_slack_fill_stops_at_a_full_host_and_counts_the_tolerance() -> None:
    # one step: 50 opens, 50 fills it exactly (no slack: the search stops), 30 + 30 + 30 next
    m = np.array([[50.0], [30.0], [50.0], [30.0], [30.0]])
    assert min_slack_fill(m, 100).tolist() == [0, 1, 0, 1, 1]
    # a pair a hair (1e-10 relative) above the capacity still fits (CAPACITY_RTOL 1e-9)
    m = np.array([[60.0], [40.0 + 1e-8]])
    assert min_slack_fill(m, 100).tolist() == [0, 0]
    m = np.array([[60.0], [40.0 + 1e-6]])
    assert min_slack_fill(m, 100).tolist() == [0, 1]


# --------------------------------------------------------------------------- MILP
# demands from 0: a server of zero demand (and memory) must not sit on a host the objective does
# not count (before round 9 pack_milp([[50], [0], [0]], 100) answered three hosts)
@given(_instances(max_n=6))
def test_milp_is_the_optimum_by_enumeration(
    inst: tuple[np.ndarray, np.ndarray | None, set],
) -> None:
    m, mem, pairs = inst
    n = m.shape[0]
    hmem = None if mem is None else 10.0
    conf = _conflicts(n, pairs) if pairs else None
    host_of, proved = pack_milp(m, 100, memory=mem, host_memory=hmem, conflicts=conf)
    assert host_of is not None and proved
    best = _optimum(m, 100, mem, hmem, pairs)
    assert int(host_of.max()) + 1 == best
    assert sorted(set(host_of.tolist())) == list(range(best))
    for k in range(best):
        assert _fits(m, [i for i in range(n) if host_of[i] == k], 100, mem, hmem, pairs)
    # with exactly the optimum's hosts allowed it still finds it; one fewer: no solution
    host_of, proved = pack_milp(
        m, 100, memory=mem, host_memory=hmem, conflicts=conf, max_hosts=best
    )
    assert host_of is not None and int(host_of.max()) + 1 == best and proved
    if best > 1:
        assert pack_milp(
            m, 100, memory=mem, host_memory=hmem, conflicts=conf, max_hosts=best - 1
        ) == (None, False)


def test_milp_zero_demand_servers_share_the_used_host() -> None:
    # 50 + 0 + 0 <= 100: one host, and all-zero servers still need one
    host_of, proved = _solved(pack_milp(np.array([[50.0], [0.0], [0.0]]), 100))
    assert host_of.tolist() == [0, 0, 0] and proved
    host_of, proved = _solved(pack_milp(np.zeros((3, 2)), 100))
    assert host_of.tolist() == [0, 0, 0] and proved
    # a zero server anti-affine to the only other one: two hosts, not three
    host_of, proved = _solved(
        pack_milp(np.array([[50.0], [0.0]]), 100, conflicts=[np.array([1]), np.array([0])])
    )
    assert host_of.tolist() == [0, 1] and proved


@pytest.mark.parametrize(
    "case", ["demand at the tolerance", "host memory only", "memory at the tolerance"]
)
def test_milp_servers_within_the_tolerance_share_the_used_host(case: str) -> None:
    # a demand (or memory) of exactly C x CAPACITY_RTOL fits an unused host's capacity row
    # (0 + tolerance), so such a server, too, must be kept off hosts the objective does not
    # count; likewise when a host memory is given without memory per server.  Capacity 10,000
    # (tolerance 1e-5): at capacity 100 the 1e-7 coefficients are below what scipy 1.11's HiGHS
    # resolves (it answers two hosts there)
    from colonykit.packing.problem import CAPACITY_RTOL

    cap = 1e4
    d = cap * CAPACITY_RTOL if case == "demand at the tolerance" else 0.0
    m = np.array([[cap / 2], [d], [d]])
    tol_mem = 10 * CAPACITY_RTOL  # host memory 10
    mem = None if case != "memory at the tolerance" else np.array([1.0, tol_mem, tol_mem])
    hmem = None if case == "demand at the tolerance" else 10.0
    host_of, proved = _solved(pack_milp(m, cap, memory=mem, host_memory=hmem))
    assert host_of.tolist() == [0, 0, 0] and proved


def test_milp_ignores_a_server_listed_as_its_own_partner() -> None:
    # anti-affinity is between two servers: a server naming itself puts no constraint on it
    # (a row y_ak + y_ak <= 1 would forbid every host); 50 + 40 <= 100: one host
    conf = [np.array([0]), np.array([], dtype=int)]
    host_of, proved = _solved(pack_milp(np.array([[50.0], [40.0]]), 100, conflicts=conf))
    assert host_of.tolist() == [0, 0] and proved


def test_milp_by_hand() -> None:
    # a 60/10, b 10/60, c 50/50, d 30/30: Σ 150/150 > 100, and a+b+d = 100/100 with c alone
    # (or a+b, c+d) -> 2
    m = np.array([[60.0, 10.0], [10.0, 60.0], [50.0, 50.0], [30.0, 30.0]])
    host_of, proved = _solved(pack_milp(m, 100))
    assert proved and int(host_of.max()) + 1 == 2
    # exactly full and within the tolerance: one host (60 + 40 + 1e-8 = 100.00000001)
    host_of, proved = _solved(pack_milp(np.array([[60.0], [40.0 + 1e-8]]), 100))
    assert host_of.tolist() == [0, 0] and proved
    host_of, proved = _solved(pack_milp(np.array([[60.0], [40.0 + 1e-3]]), 100))
    assert host_of.tolist() == [0, 1] and proved
    # memory: 6 + 6 > 10 MiB keeps a and b apart although 20 + 20 fits
    host_of, _ = _solved(
        pack_milp(np.array([[20.0], [20.0]]), 100, memory=np.array([6.0, 6.0]), host_memory=10)
    )
    assert host_of.tolist() == [0, 1]
    # memory exactly full fits
    host_of, _ = _solved(
        pack_milp(np.array([[20.0], [20.0]]), 100, memory=np.array([5.0, 5.0]), host_memory=10)
    )
    assert host_of.tolist() == [0, 0]


def test_nondominated_steps_by_hand() -> None:
    # steps (columns): s0 = (1, 1), s1 = (2, 1), s2 = (1, 2), s3 = (2, 1) (= s1), s4 = (0, 0)
    # s0 and s4 are dominated by s1; s1 and s2 are not dominated; s3 is s1 again
    m = np.array([[1.0, 2.0, 1.0, 2.0, 0.0], [1.0, 1.0, 2.0, 1.0, 0.0]])
    got = _nondominated_steps(m)
    assert sorted(map(tuple, got.T.tolist())) == [(1.0, 2.0), (2.0, 1.0)]
    # one step: kept
    assert _nondominated_steps(np.array([[3.0], [4.0]])).tolist() == [[3.0], [4.0]]


@pytest.mark.parametrize("copies", [1, 4])
def test_milp_reads_every_step(copies: int) -> None:
    # a 60/20, b 20/60, c 45/45: a+b fits (80/80), c fits beside neither (105 at step 0 with
    # a, at step 1 with b) -> {a, b}, {c}; a model reading one step only would pair c wrongly
    m = np.tile(np.array([[60.0, 20.0], [20.0, 60.0], [45.0, 45.0]]), (1, copies))
    host_of, proved = _solved(pack_milp(m, 100))
    assert proved and host_of.tolist() == [0, 0, 1]


def test_min_slack_fill_node_limit_by_hand() -> None:
    # one step, 40 33 21 19 9 7 on hosts of 100.  Two subsets per host: 40 opens, 33 (73), then
    # 33+21 (94) -> {40, 33, 21}; 19 opens, 9 (28), 9+7 (35) -> {19, 9, 7}.  Unlimited: the
    # best beside 40 is 33+19+7 (99) -> {40, 33, 19, 7}, {21, 9}
    m = np.array([[40.0], [33.0], [21.0], [19.0], [9.0], [7.0]])
    assert min_slack_fill(m, 100, max_nodes=2).tolist() == [0, 0, 0, 1, 1, 1]
    assert min_slack_fill(m, 100).tolist() == [0, 0, 1, 0, 1, 0]
    # 54 41 33 22 20 8, four subsets: 54 opens; 41 (95, nothing more fits); 33 (87; +8 = 95
    # cannot beat 95: not searched); 22 (76); 22+20 (96) -> {54, 22, 20}; then 41 opens and
    # takes 33 and 8 (82)
    m = np.array([[54.0], [41.0], [33.0], [22.0], [20.0], [8.0]])
    assert min_slack_fill(m, 100, max_nodes=4).tolist() == [0, 1, 1, 0, 0, 1]


def test_min_slack_fill_order_ties_and_types() -> None:
    # two steps: s0 30/30 and s1 10/50 both sum 60; s1's peak is higher, so the order is s2
    # (70/10, 80), s1, s0.  s2 opens: s1 (80/60) and s0 (100/40) both fill 140, all three do
    # not fit (110): the first found, s1, stays -> {s2, s1}, {s0}
    m = np.array([[30.0, 30.0], [10.0, 50.0], [70.0, 10.0]])
    got = min_slack_fill(m, 100)
    assert got.tolist() == [1, 0, 0] and got.dtype == np.int64


def test_min_slack_fill_memory_and_pairs_beyond_the_opener() -> None:
    # CPU 40, 30, 20, 10 (all four fit: 100), memory 4, 3, 3, 3 MiB on 10 MiB hosts: 40 opens,
    # 30 and 20 join (10 MiB, exactly full), 10 would make 13 -> {40, 30, 20}, {10}
    m = np.array([[40.0], [30.0], [20.0], [10.0]])
    mem = np.array([4.0, 3.0, 3.0, 3.0])
    assert min_slack_fill(m, 100, memory=mem, host_memory=10).tolist() == [0, 0, 0, 1]
    # 30 and 20 may not share (the opener 40 has no partner): {40, 30, 10}, {20}
    conf = [np.array([], int), np.array([2]), np.array([1]), np.array([], int)]
    assert min_slack_fill(m, 100, conflicts=conf).tolist() == [0, 0, 1, 0]


def test_min_slack_fill_exactly_at_the_tolerant_capacity() -> None:
    from colonykit.packing.problem import CAPACITY_RTOL

    cap = 100.0 * (1 + CAPACITY_RTOL)  # the usable limit, reached exactly below
    # 60 and cap - 60 (exact in floating point) fill the limit exactly: one host
    assert min_slack_fill(np.array([[60.0], [cap - 60.0]]), 100).tolist() == [0, 0]
    # 50, 30 and cap - 80: the third reaches the limit exactly beside the other two
    m = np.array([[50.0], [30.0], [cap - 80.0]])
    assert min_slack_fill(m, 100).tolist() == [0, 0, 0]
    # memory the same way: 6 + (10.00000001 - 6) MiB, and 3 + 3 + (10.00000001 - 6) MiB
    hmem = 10.0 * (1 + CAPACITY_RTOL)
    m = np.array([[30.0], [20.0]])
    got = min_slack_fill(m, 100, memory=np.array([6.0, hmem - 6.0]), host_memory=10)
    assert got.tolist() == [0, 0]
    m = np.array([[30.0], [20.0], [10.0]])
    got = min_slack_fill(m, 100, memory=np.array([3.0, 3.0, hmem - 6.0]), host_memory=10)
    assert got.tolist() == [0, 0, 0]


def test_min_slack_fill_node_limit_ends_the_whole_search() -> None:
    # one step, the order given: o 5, a 10, b 30, x 80, c 5, d 5; four subsets: o opens; a
    # (15); a+b (45; x no longer fits); a+b+c (50); a+b+c+d (55) -> the limit: {o, a, b, c, d},
    # then x alone — though a+x (95) would have been next
    m = np.array([[5.0], [10.0], [30.0], [80.0], [5.0], [5.0]])
    got = min_slack_fill(m, 100, order=np.arange(6), max_nodes=4)
    assert got.tolist() == [0, 0, 0, 1, 0, 0]
    # the order as floats (positions): read as integers
    got = min_slack_fill(m, 100, order=np.arange(6, dtype=np.float64), max_nodes=4)
    assert got.tolist() == [0, 0, 0, 1, 0, 0]


def test_min_slack_fill_compares_float32_input_in_float64() -> None:
    # float32 0.6 + 0.4 = 1.0000000298 (exact) > 1 × (1 + 1e-9): two hosts (summed in float32
    # the pair would round to 1.0)
    m = np.array([[0.6], [0.4]], dtype=np.float32)
    assert min_slack_fill(m, 1.0).tolist() == [0, 1]
    mem = np.array([0.6, 0.4], dtype=np.float32)
    got = min_slack_fill(np.array([[0.1], [0.1]]), 1.0, memory=mem, host_memory=1.0)
    assert got.tolist() == [0, 1]


def test_milp_pairs_memory_option_and_time_limit() -> None:
    ten = np.array([[10.0], [10.0], [10.0]])
    # a and b apart, c with either: 2 hosts
    conf = [np.array([1]), np.array([0]), np.array([], int)]
    host_of, proved = _solved(pack_milp(ten, 100, conflicts=conf))
    assert proved and int(host_of.max()) + 1 == 2 and host_of[0] != host_of[1]
    # memory without host_memory is not a constraint (it needs host_memory): one host
    host_of, proved = _solved(pack_milp(ten, 100, memory=np.array([60.0, 60.0, 60.0])))
    assert proved and host_of.tolist() == [0, 0, 0]
    # nine servers of 32..51, two per host (see tests/test_packing_pinned.py): 5 hosts, proved
    # within the default limit; with no time at all HiGHS has no packing yet
    m = np.array([[41.0], [32.0], [44.0], [40.0], [43.0], [41.0], [51.0], [40.0], [49.0]])
    host_of, proved = _solved(pack_milp(m, 100))
    assert proved and int(host_of.max()) + 1 == 5
    assert pack_milp(m, 100, time_limit_s=0.0) == (None, False)


def test_min_slack_fill_stops_at_the_first_full_host() -> None:
    from colonykit.packing.problem import CAPACITY_RTOL

    # one step on hosts of 1.0 (usable L = 1 + 1e-9), the order given: o 0.5, a 0.25,
    # b = L - 0.75 - 5e-13, c = L - 0.5.  o+a+b is full to within 1e-12 of L (no slack left:
    # the search stops there), although o+c would fill L exactly: {o, a, b}, {c}
    cap = 1.0 * (1 + CAPACITY_RTOL)
    m = np.array([[0.5], [0.25], [cap - 0.75 - 5e-13], [cap - 0.5]])
    got = min_slack_fill(m, 1.0, order=np.arange(4))
    assert got.tolist() == [0, 0, 0, 1]


def test_sparse_milp_without_a_solution_is_not_proved() -> None:
    from scipy.sparse import coo_array

    from colonykit.packing.milp import solve_sparse_milp

    # one binary x with the row x >= 2: infeasible, no solution, nothing proved
    rows = coo_array(np.array([[1.0]]))
    got = solve_sparse_milp(
        np.ones(1),
        [(rows, np.array([2.0]), np.array([np.inf]))],
        integrality=np.ones(1),
        lower=0,
        upper=1,
        time_limit_s=5,
    )
    assert got == (None, False)
