"""Packing figures pinned by hand (issue 27 §2: the bounds, FFD and the result's printed figures).

Every expected value below is worked out in the comment beside it from the definitions in the
docstrings of colonykit/packing (composite ⌈max_t Σ_i d_i(t) / C⌉; Martello–Toth L2 per step;
L2 on static memory; servers that pairwise cannot share a host; first-fit-decreasing, ties in
input order), not copied from the code's output.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from colonykit.errors import CapacityError, InputError
from colonykit.packing import (
    PackingProblem,
    PackingResult,
    _kernel,
    bounds,
    clique_bound,
    construct,
    effective_capacity,
    ffd_peak,
    l2_bound,
    lower_bound,
    pack,
)
from colonykit.packing.bounds import (
    LowerBound,
    _greedy_clique,
    _knapsack,
    _l2_over_steps,
    lp_bound,
    with_lp_bound,
)
from colonykit.packing.ffd import first_fit_decreasing
from colonykit.packing.problem import CAPACITY_RTOL, _renumber, demand_matrix

# one step: three 60s and three 45s on hosts of 100.  Σ = 315 -> composite ⌈3.15⌉ = 4.
# L2 at α = 45: J1 = {w > 55} = three 60s, J2 = {50 < w ≤ 55} = none, J3 = {45 ≤ w ≤ 50} =
# 135 -> 3 + ⌈135 / 100⌉ = 5 (a 60 and a 45 make 105: the 45s pair up, two per host).
L2_SIZES = [60.0, 60.0, 60.0, 45.0, 45.0, 45.0]
# one step: 60, 50, 40 and five 30s on hosts of 100.  Σ = 300 -> composite 3, L2 3 (one item
# above 50).  Three hosts would have to be exactly full, but no subset of {60, 40, 30, …} adds
# to the 50's missing 50: every pattern holding the 50 wastes ≥ 10, so the LP relaxation is
# ≥ (300 + 10) / 100 = 3.1 -> 4 (and 4 hosts do it: 60+40, 50+30, 30+30+30, 30).
LP_SIZES = [60.0, 50.0, 40.0, 30.0, 30.0, 30.0, 30.0, 30.0]


# --------------------------------------------------------------------------- composite bound
def test_composite_is_the_peak_of_the_summed_series_over_capacity() -> None:
    # step sums 55+20+40 = 115, 10+70+40 = 120, 5+5+5 = 15 -> peak 120 -> ⌈1.2⌉ = 2
    m = [[55.0, 10.0, 5.0], [20.0, 70.0, 5.0], [40.0, 40.0, 5.0]]
    lb = lower_bound(m, 100)
    assert int(lb) == 2 and lb.bounds["composite"] == 2
    # every pair fits at every step (largest pair 110 at step 1? 70 + 40 = 110 > 100: no)
    assert lb.bound == "composite"  # ties go to composite (first in BOUND_NAMES)


def test_an_exactly_full_host_is_one_host() -> None:
    # 30 + 70 = 100 = C at step 0: one host, not two (the capacity tolerance)
    lb = lower_bound([[30.0, 1.0], [70.0, 2.0]], 100)
    assert lb.bounds["composite"] == 1 and int(lb) == 1
    # 100.5 / 100 -> 2
    assert lower_bound([[30.5], [70.0]], 100).bounds["composite"] == 2


def test_all_zero_demand_needs_no_host_and_a_one_d_input_is_one_step() -> None:
    assert lower_bound([[0.0, 0.0], [0.0, 0.0]], 100).bounds["composite"] == 0
    assert int(lower_bound([[0.0, 0.0], [0.0, 0.0]], 100)) == 0
    # a 1-D input is servers at one step: 60 + 60 + 60 = 180 -> 2; L2: three > 50 -> 3
    lb = lower_bound(np.array([60.0, 60.0, 60.0]), 100)
    assert (lb.bounds["composite"], lb.bounds["l2"], int(lb)) == (2, 3, 3)
    empty = lower_bound(np.zeros((0, 3)), 100)
    assert int(empty) == 0 and empty.bound == "composite" and empty.bounds == {"composite": 0}


# --------------------------------------------------------------------------- L2
def test_l2_by_hand_at_alpha_above_zero() -> None:
    assert l2_bound(L2_SIZES, 100) == 5
    # α = 0 alone: J2 = three 60s (room 3 × 100 − 180 = 120), J3 = 135 -> 3 + ⌈15 / 100⌉ = 4
    # order, zeros and shape do not matter
    assert l2_bound(np.array([[45.0, 0.0, 60.0], [60.0, 45.0, 0.0], [45.0, 60.0, 0.0]]), 100) == 5
    assert l2_bound([0.0, 0.0], 100) == 0


def test_l2_counts_items_of_exactly_half_as_small() -> None:
    # four items of 50: each ≤ C/2 (J3 at α = 50): ⌈200 / 100⌉ = 2 hosts (two per host)
    assert l2_bound([50.0, 50.0, 50.0, 50.0], 100) == 2
    # 51 + 49: α = 49: J1 = {w > 51} = none, J2 = {50 < w ≤ 51} = {51} (room 49),
    # J3 = {49} -> 1 + max(0, ⌈(49 − 49) / 100⌉) = 1
    assert l2_bound([51.0, 49.0], 100) == 1
    # 51 + 50: J2 = {51} (room 49), J3 (α = 50) = {50}: 1 + ⌈1 / 100⌉ = 2
    assert l2_bound([51.0, 50.0], 100) == 2
    # J1 only: 90 and 80 at α = 20 (20 ≤ 50): J1 = {w > 80} = {90}, J2 = {50 < w ≤ 80} = {80}
    # (room 20), J3 = {20}: 1 + 1 + ⌈(20 − 20) / 100⌉ = 2; at α = 0: J2 = both (room 30) -> 2
    assert l2_bound([90.0, 80.0, 20.0], 100) == 2
    # 90, 80, 25: α = 25: J1 = {w > 75} = {90, 80}, J3 = {25} -> 2 + ⌈25 / 100⌉ = 3
    assert l2_bound([90.0, 80.0, 25.0], 100) == 3


def test_l2_per_step_names_the_step() -> None:
    # step 0 is easy (six 10s: 60 -> 1); step 1 carries the L2 instance above
    m = np.array([[10.0, s] for s in L2_SIZES])
    lb = lower_bound(m, 100, hosts_used=6)
    # composite: sums 60 and 315 -> 4; L2 at step 1 = 5
    assert (lb.bounds["composite"], lb.bounds["l2"]) == (4, 5)
    assert (int(lb), lb.bound, lb.step, lb.gap_hosts, lb.exhaustive) == (5, "l2", 1, 1, True)
    # without a packing no gap
    assert lower_bound(m, 100).gap_hosts is None


def test_l2_not_reached_leaves_no_step() -> None:
    # no item above C/2 at any step: L2 = composite, no L2 step
    lb = lower_bound([[40.0, 10.0], [40.0, 10.0], [40.0, 45.0]], 100)
    assert (lb.bounds["composite"], lb.bounds["l2"], lb.bound, lb.step) == (2, 2, "composite", None)


# --------------------------------------------------------------------------- memory, clique
def test_memory_bound_by_hand() -> None:
    # CPU: 3 × 10 = 30 -> 1 host; memory 600 MiB each on 1,000 MiB hosts: no two share -> 3
    lb = lower_bound([[10.0], [10.0], [10.0]], 100, memory=[600, 600, 600], host_memory=1000)
    assert (lb.bounds["memory"], int(lb), lb.bound, lb.step) == (3, 3, "memory", None)
    # 500 + 500 = 1,000 fits exactly: ⌈1,500 / 1,000⌉ = 2
    lb = lower_bound([[10.0], [10.0], [10.0]], 100, memory=[500, 500, 500], host_memory=1000)
    assert lb.bounds["memory"] == 2
    assert "memory" not in lower_bound([[10.0]], 100, memory=[5.0]).bounds


def test_clique_of_anti_affinity_pairs() -> None:
    # a-b, b-c, a-c pairwise apart: three hosts although 3 × 10 fits one
    conflicts = [np.array([1, 2]), np.array([0, 2]), np.array([0, 1]), np.array([], dtype=int)]
    lb = lower_bound([[10.0], [10.0], [10.0], [10.0]], 100, conflicts=conflicts, hosts_used=3)
    assert (lb.bounds["clique"], int(lb), lb.bound, lb.gap_hosts) == (3, 3, "clique", 0)


def test_clique_by_demand_and_memory() -> None:
    # rows 0-1 meet at step 0 (60 + 50 = 110), 0-2 at step 1 (60 + 45 = 105), 1-2 at step 2
    # (55 + 50 = 105): a triangle -> 3; the composite of the three is ⌈(110 + 5) / 100⌉ = 2 at most
    m = np.array([[60.0, 60.0, 0.0], [50.0, 0.0, 55.0], [0.0, 45.0, 50.0]])
    assert clique_bound(m, 100) == 3
    assert lower_bound(m, 100).bound == "clique"
    # 1-2 no longer meet (55 + 40 = 95): the largest clique is a pair
    m2 = np.array([[60.0, 60.0, 0.0], [50.0, 0.0, 55.0], [0.0, 45.0, 40.0]])
    assert clique_bound(m2, 100) == 2
    # exactly full (60 + 40 = 100) is no conflict: one host holds both
    assert clique_bound(np.array([[60.0], [40.0]]), 100) == 1
    # memory: 700 + 400 > 1,000 for 0-1 and 0-2, 400 + 400 fits: a pair
    small = np.array([[1.0], [1.0], [1.0]])
    mem = np.array([700.0, 400.0, 400.0])
    assert clique_bound(small, 100, memory=mem, host_memory=1000) == 2
    # 400 + 600 = 1,000 fits exactly; 400 + 650 does not: a triangle
    assert clique_bound(small, 100, memory=np.array([700.0, 400.0, 600.0]), host_memory=1000) == 2
    assert clique_bound(small, 100, memory=np.array([700.0, 400.0, 650.0]), host_memory=1000) == 3
    # no demand at all and no memory: no host; some demand: one
    assert clique_bound(np.zeros((2, 2)), 100) == 0
    assert clique_bound(np.array([[0.0], [1.0]]), 100) == 1
    assert clique_bound(np.zeros((0, 1)), 100) == 0


# --------------------------------------------------------------------------- LP bound
def test_lp_bound_added_only_while_it_can_prove_something() -> None:
    # one step: 60, 50, 40 and five 30s on hosts of 100.  Σ = 300 -> composite 3, L2 3 (one
    # item above 50).  Three hosts would have to be exactly full, but no subset of
    # {60, 40, 30, …} adds to the 50's missing 50: every pattern holding the 50 wastes ≥ 10, so
    # the LP relaxation is ≥ (300 + 10) / 100 = 3.1 -> 4 (and 4 hosts do it).
    sizes = [60.0, 50.0, 40.0, 30.0, 30.0, 30.0, 30.0, 30.0]
    m = np.array(sizes)[:, None]
    lb = lower_bound(m, 100)
    assert (lb.bounds["composite"], lb.bounds["l2"], int(lb)) == (3, 3, 3)
    # a packing of 3 needs no proof: the LP is not computed
    done = with_lp_bound(lb, m, 100, hosts_used=3)
    assert int(done) == 3 and done.bound == "composite" and done.gap_hosts == 0
    assert "lp" not in done.bounds
    lp = with_lp_bound(lb, m, 100, hosts_used=4)
    assert (int(lp), lp.bound, lp.bounds["lp"], lp.gap_hosts, lp.step) == (4, "lp", 4, 0, 0)
    # without a packing the LP runs to its end: the same 4
    assert int(with_lp_bound(lb, m, 100)) == 4
    # pack() reports it: 4 hosts, bound lp, gap 0
    r = pack(pd.DataFrame(m.T, columns=[f"s{i}" for i in range(8)]), 100, method="heuristic")
    assert (r.hosts_used, r.lower_bound, r.bound, r.gap_hosts, r.optimal) == (4, 4, "lp", 0, True)
    assert r.bounds["lp"] == 4 and r.bounds["composite"] == 3


# --------------------------------------------------------------------------- FFD
def test_ffd_by_hand() -> None:
    # largest first: 70 -> bin 0 (room 30); 50 -> bin 1 (room 50); 40 -> bin 1 (room 10);
    # 30 -> bin 0 (exactly full); 20 -> bin 2
    assert first_fit_decreasing([50, 70, 30, 20, 40], 100).tolist() == [1, 0, 0, 2, 1]
    assert ffd_peak([50, 70, 30, 20, 40], 100).tolist() == [1, 0, 0, 2, 1]
    # ties keep the input order: 40 (0) -> 0, 40 (1) -> 0, 40 (2) -> 1
    assert ffd_peak([40.0, 40.0, 40.0], 100).tolist() == [0, 0, 1]


def test_ffd_tolerance() -> None:
    # 60 + 40.00000001 overshoots by 1e-8 < 100 × 1e-9: same bin; exactly (rtol 0): two bins
    assert first_fit_decreasing([60.0, 40.00000001], 100).tolist() == [0, 0]
    assert first_fit_decreasing([60.0, 40.00000001], 100, rtol=0.0).tolist() == [0, 1]
    assert first_fit_decreasing([60.0, 40.001], 100).tolist() == [0, 1]


def test_ffd_memory_and_conflicts() -> None:
    # CPU fits all three (150 of 200), memory 60 each on hosts of 100: one per host
    got = ffd_peak([50, 50, 50], 200, memory=[60, 60, 60], host_memory=100)
    assert got.tolist() == [0, 1, 2]
    # memory 50 each: two per host (exactly full)
    assert ffd_peak([50, 50, 50], 200, memory=[50, 50, 50], host_memory=100).tolist() == [0, 0, 1]
    # 0 and 1 apart: 0 -> 0, 1 -> 1 (banned from 0), 2 -> 0
    conf = [np.array([1]), np.array([0]), np.array([], dtype=int)]
    assert ffd_peak([30, 30, 30], 100, conflicts=conf).tolist() == [0, 1, 0]
    # a partner not yet placed bans nothing: 0 (20) is placed after 1 (30)
    conf = [np.array([1]), np.array([0]), np.array([], dtype=int)]
    assert ffd_peak([20, 30, 10], 100, conflicts=conf).tolist() == [1, 0, 0]


# --------------------------------------------------------------------------- problem
def test_effective_capacity_and_problem() -> None:
    assert effective_capacity(200, 50) == 100.0
    assert effective_capacity(200) == 200.0
    assert effective_capacity(200, 100) == 200.0
    for util in (0, -5, 100.5, float("nan"), "x"):
        with pytest.raises(InputError, match="max_util_pct"):
            effective_capacity(200, util)  # type: ignore[arg-type]
    for cap in (0, -1, float("inf"), "x"):
        with pytest.raises(InputError, match="host_capacity"):
            effective_capacity(cap)  # type: ignore[arg-type]
    p = PackingProblem.from_demand(pd.DataFrame({"a": [1.0, 2.0], "b": [3.0, 4.0]}), 10, 80)
    assert (p.capacity, p.host_capacity, p.names) == (8.0, 10.0, ["a", "b"])
    assert p.matrix.tolist() == [[1.0, 2.0], [3.0, 4.0]] and p.matrix.flags.c_contiguous
    assert p.memory is None and p.host_memory is None and p.conflicts is None


def test_problem_server_exactly_at_capacity_fits() -> None:
    # usable 80: a peak of exactly 80 fits; 80.01 does not
    PackingProblem.from_demand(pd.DataFrame({"a": [80.0]}), 100, 80)
    with pytest.raises(CapacityError, match=r"1 server\(s\) exceed .* usable capacity 80 "):
        PackingProblem.from_demand(pd.DataFrame({"a": [80.01], "b": [1.0]}), 100, 80)
    PackingProblem.from_demand(
        pd.DataFrame({"a": [1.0]}), 100, memory_mib={"a": 512}, host_memory_mib=512
    )
    with pytest.raises(CapacityError, match="'b' needs 513 MiB"):
        PackingProblem.from_demand(
            pd.DataFrame({"a": [1.0], "b": [1.0]}),
            100,
            memory_mib={"a": 5, "b": 513},
            host_memory_mib=512,
        )


def test_problem_memory_and_pairs() -> None:
    demand = pd.DataFrame({"a": [1.0], "b": [2.0], "c": [3.0]})
    p = PackingProblem.from_demand(
        demand,
        10,
        memory_mib={"c": 30, "a": 10, "b": 20},
        host_memory_mib=100,
        anti_affinity=[("a", "c"), ("c", "a"), ("b", "c")],
    )
    assert p.memory is not None and p.memory.tolist() == [10.0, 20.0, 30.0]
    assert p.host_memory == 100.0
    assert p.conflicts is not None
    assert [c.tolist() for c in p.conflicts] == [[2], [2], [0, 1]]
    with pytest.raises(InputError, match="needs both"):
        PackingProblem.from_demand(demand, 10, memory_mib={"a": 1, "b": 1, "c": 1})
    with pytest.raises(InputError, match="no value for server 'b'"):
        PackingProblem.from_demand(demand, 10, memory_mib={"a": 1, "c": 1}, host_memory_mib=9)
    with pytest.raises(InputError, match="memory_mib"):
        PackingProblem.from_demand(
            demand, 10, memory_mib={"a": 1, "b": -1, "c": 1}, host_memory_mib=9
        )
    with pytest.raises(InputError, match="two different servers"):
        PackingProblem.from_demand(demand, 10, anti_affinity=[("a", "a")])
    with pytest.raises(InputError, match="pairs of two"):
        PackingProblem.from_demand(demand, 10, anti_affinity=[("a", "b", "c")])


def test_demand_matrix_from_an_array() -> None:
    m, names, index = demand_matrix(np.array([[1, 2, 3], [4, 5, 6]]))
    # rows = steps, columns = servers: item-major is the transpose
    assert m.tolist() == [[1.0, 4.0], [2.0, 5.0], [3.0, 6.0]] and m.dtype == np.float64
    assert names == ["s0", "s1", "s2"] and list(index) == [0, 1]
    m32, _, _ = demand_matrix(np.ones((2, 2), dtype=np.float32))
    assert m32.dtype == np.float32


# --------------------------------------------------------------------------- the result
def test_result_figures_of_one_full_host() -> None:
    # usable 200 × 50 % = 100; a + b + c = 100 at both steps: one host, exactly full
    demand = pd.DataFrame({"a": [50.0, 10.0], "b": [10.0, 50.0], "c": [40.0, 40.0]})
    demand.attrs["unit"] = "mips"
    r = pack(demand, 200, 50)
    assert (r.hosts_used, r.lower_bound, r.gap_hosts, r.bound) == (1, 1, 0, "composite")
    assert r.optimal and r.method == "heuristic" and r.gap_to_lower_bound == 1.0
    # peak-based FFD: 50 -> 0, 50 -> 0 (full), 40 -> 1: two hosts
    assert r.ffd_peak_hosts == 2
    assert (r.capacity, r.host_capacity, r.unit) == (100.0, 200.0, "mips")
    row = r.hosts.loc["host0"]
    assert (row["servers"], row["peak"], row["mean"]) == (3, 100.0, 100.0)
    assert row["peak_pct_of_capacity"] == pytest.approx(100.0 / 200.0 * 100.0)  # 50 %
    d = r.to_dict()
    assert d["host_peak"] == {"host0": 100.0} and d["search_iterations"] == 0
    assert d["assignment"] == {"a": "host0", "b": "host0", "c": "host0"}


def test_result_figures_of_two_hosts() -> None:
    # usable 100: a (60, 60) and b (70, 10) cannot share (130 at step 0); c (30, 30) fits beside
    # either.  Composite: 60 + 70 + 30 = 160 -> 2 = hosts: optimal.
    demand = pd.DataFrame({"a": [60.0, 60.0], "b": [70.0, 10.0], "c": [30.0, 30.0]})
    r = pack(demand, 100)
    assert (r.hosts_used, r.lower_bound, r.gap_hosts, r.optimal) == (2, 2, 0, True)
    assert r.unit == "" and list(r.hosts.index) == ["host0", "host1"]
    assert r.hosts.index.name == "host"
    assert r.hosts["servers"].sum() == 3
    hosts = r.hosts
    # second method: group the columns by host
    loads = demand.T.groupby(pd.Series(r.assignment)).sum().T
    for h in ("host0", "host1"):
        assert hosts.loc[h, "peak"] == loads[h].max()
        assert hosts.loc[h, "mean"] == pytest.approx(loads[h].mean())
        assert hosts.loc[h, "peak_pct_of_capacity"] == pytest.approx(loads[h].max())  # of 100
        assert r.host_series[h].tolist() == loads[h].tolist()
    assert r.assignment["a"] != r.assignment["b"]
    assert r.host_index == {s: int(h[-1]) for s, h in r.assignment.items()}


def test_host_names_are_zero_padded_to_the_widest() -> None:
    # eleven servers of 60 on hosts of 100: eleven hosts, host00 … host10
    demand = pd.DataFrame({f"s{i}": [60.0] for i in range(11)})
    r = pack(demand, 100)
    assert r.hosts_used == 11 == r.lower_bound
    assert list(r.hosts.index) == [f"host{k:02d}" for k in range(11)]
    assert r.hosts["servers"].tolist() == [1] * 11
    assert r.hosts["peak_pct_of_capacity"].tolist() == pytest.approx([60.0] * 11)


def test_result_properties_by_hand() -> None:
    series = pd.DataFrame({"host0": [1.0, 3.0], "host1": [2.0, 2.0], "host2": [0.5, 0.0]})
    r = PackingResult(
        hosts_used=3,
        lower_bound=2,
        ffd_peak_hosts=3,
        assignment={"a": "host1", "b": "host0", "c": "host2"},
        host_series=series,
        method="heuristic",
        optimal=False,
        capacity=4.0,
        host_capacity=4.0,
    )
    assert r.gap_to_lower_bound == 1.5
    assert r.host_index == {"a": 1, "b": 0, "c": 2}  # from host_series's columns (no hosts)
    assert r.to_dict()["host_peak"] == {"host0": 3.0, "host1": 2.0, "host2": 0.5}
    zero = PackingResult(0, 0, 0, {}, pd.DataFrame(), "heuristic", True, 1.0, 1.0)
    assert zero.gap_to_lower_bound == 1.0
    with_hosts = PackingResult(
        2,
        2,
        2,
        {"a": "hB", "b": "hA"},
        pd.DataFrame({"hA": [1.0], "hB": [2.0]}),
        "milp",
        True,
        4.0,
        4.0,
        hosts=pd.DataFrame({"peak": [2.0, 1.0]}, index=["hB", "hA"]),
    )
    # the position in hosts, not in host_series
    assert with_hosts.host_index == {"a": 0, "b": 1}


def test_lowerbound_is_an_int_with_its_attributes() -> None:
    lb = LowerBound(3, "l2", {"composite": 2, "l2": 3}, step=4, gap_hosts=1, exhaustive=False)
    assert lb == 3 and lb + 1 == 4
    assert (lb.bound, lb.bounds, lb.step, lb.gap_hosts, lb.exhaustive) == (
        "l2",
        {"composite": 2, "l2": 3},
        4,
        1,
        False,
    )


# --------------------------------------------------------------------------- placement kernel
def test_kernel_reductions_by_hand() -> None:
    # values − x[at]: row 0: 5 − 1 = 4, 3 − 4 = −1 -> −1; row 1: 2 − 2 = 0, 9 − 2 = 7 -> 0
    got = _kernel.min_at(
        np.array([[5.0, 3.0], [2.0, 9.0]]), np.array([1.0, 2.0, 4.0]), np.array([[0, 2], [1, 1]])
    )
    assert got.tolist() == [-1.0, 0.0]
    slack = np.array([[4.0, 6.0], [9.0, 3.0]])
    x3 = np.array([[1.0, 2.0], [3.0, 1.0]])
    # blocks 0 and 1: 3, 4, 6, 2 -> 2; block 0 alone: 3, 4 -> 3
    assert _kernel.min_in_blocks(slack, x3, np.array([0, 1])) == 2.0
    assert _kernel.min_in_blocks(slack, x3, np.array([0])) == 3.0
    # cells of two hosts × two blocks: cell 2 = host 1 block 0: [1, 8] − [1, 2] -> 0;
    # cell 1 = host 0 block 1: [9, 3] − [3, 1] -> 2
    hosts = np.array([[[4.0, 6.0], [9.0, 3.0]], [[1.0, 8.0], [7.0, 7.0]]])
    assert _kernel.cell_min(hosts, np.array([2, 1]), x3, np.array([0, 1])).tolist() == [0.0, 2.0]
    # the least of each block and its first position
    lo, off = _kernel.block_min(np.array([[4.0, 2.0, 2.0], [1.0, 5.0, 0.5], [7.0, 8.0, 9.0]]))
    assert lo.tolist() == [2.0, 0.5, 7.0] and off.tolist() == [1, 2, 0]
    # the n least, earlier first on ties
    assert _kernel.least(np.array([3.0, 1.0, 2.0, 1.0, 0.5]), 3).tolist() == [4, 1, 3]
    assert _kernel.least(np.array([3.0, 1.0]), 5).tolist() == [1, 0]


def test_kernel_add_by_hand() -> None:
    # one host, two blocks of two steps, slack 5 everywhere, memory 10; place [[1, 2], [4, 0]]
    slack, mem = np.full((1, 2, 2), 5.0), np.array([10.0])
    smin, at = np.zeros((1, 2)), np.zeros((1, 2), dtype=np.intp)
    t_at, t_slack = np.zeros((1, 2), dtype=np.intp), np.zeros((1, 2))
    x3 = np.array([[1.0, 2.0], [4.0, 0.0]])
    _kernel.add(0, x3, 3.0, slack, smin, at, t_at, t_slack, mem, np.array([0, 2]))
    # slack [[4, 3], [1, 5]]: block minima 3 (step 1) and 1 (step 2); tight: block 1 then 0
    assert slack.tolist() == [[[4.0, 3.0], [1.0, 5.0]]] and mem.tolist() == [7.0]
    assert smin.tolist() == [[3.0, 1.0]] and at.tolist() == [[1, 2]]
    assert t_at.tolist() == [[2, 1]] and t_slack.tolist() == [[1.0, 3.0]]


def _decide(
    slack: np.ndarray,
    x: np.ndarray,
    *,
    balance: bool,
    mem: np.ndarray | None = None,
    mem_i: float = 0.0,
    banned: np.ndarray | None = None,
    batch: int = 8,
) -> int:
    """decide() on hosts of one block (the tight block = the block: its least slack)."""
    h = slack.shape[0]
    smin = slack.min(axis=2)
    at = slack.argmin(axis=2)
    return _kernel.decide(
        x,
        x.reshape(1, -1),
        x.reshape(1, -1).max(axis=1),
        mem_i,
        slack,
        smin,
        at,
        smin,
        np.zeros(h) if mem is None else mem,
        h,
        mem is not None,
        np.zeros(h, dtype=bool) if banned is None else banned,
        balance,
        batch,
    )


def test_kernel_decide_by_hand() -> None:
    # three hosts' slack over two steps; item [2, 1]
    slack = np.array([[[1.0, 9.0]], [[3.0, 1.0]], [[6.0, 5.0]]])
    x = np.array([2.0, 1.0])
    # host 0: 1 − 2 < 0 (no); host 1: 3 − 2 = 1, 1 − 1 = 0 -> headroom 0 (fits exactly);
    # host 2: 4, 4 -> headroom 4
    assert _decide(slack, x, balance=False) == 1  # the first that fits
    assert _decide(slack, x, balance=True) == 2  # the largest headroom
    assert _decide(slack, x, balance=False, batch=1) == 1
    banned = np.array([False, True, False])
    assert _decide(slack, x, balance=False, banned=banned) == 2
    # memory: host 1 has 5 left, host 2 has 3; the item needs 4
    mem = np.array([9.0, 5.0, 3.0])
    assert _decide(slack, x, balance=True, mem=mem, mem_i=4.0) == 1
    assert _decide(slack, x, balance=False, mem=mem, mem_i=4.0) == 1
    assert _decide(slack, x, balance=True, mem=mem, mem_i=5.0) == 1  # exactly enough
    assert _decide(slack, x, balance=True, mem=mem, mem_i=5.5) == -1
    # nothing fits: −1
    assert _decide(slack, np.array([7.0, 7.0]), balance=True) == -1
    assert _decide(slack, np.array([7.0, 7.0]), balance=False) == -1
    # ties in headroom: the lowest host
    same = np.array([[[1.0, 1.0]], [[5.0, 5.0]], [[5.0, 5.0]]])
    assert _decide(same, np.array([1.0, 1.0]), balance=True) == 1
    assert _decide(same, np.array([1.0, 1.0]), balance=False) == 0


def test_construct_first_and_balance_by_hand() -> None:
    # items over two steps on hosts of 100 (two open at the start, both empty)
    m = np.array([[60.0, 20.0], [20.0, 60.0], [30.0, 10.0]])
    order = np.array([0, 1, 2])
    kw = {"memory": np.zeros(3), "host_memory": np.inf, "conflicts": None}
    # first: 0 -> host 0; 1 fits beside it (80, 80) -> host 0; 2: 110 at step 0 -> host 1
    first, _ = construct._construct(m, order, 100.0, start_hosts=2, rule="first", **kw)
    assert first.tolist() == [0, 0, 1]
    # balance: 0 -> host 0 (tie: the lowest); 1: host 0 leaves min(80, 20) = 20, host 1
    # min(80, 40) = 40 -> host 1; 2: host 0 leaves min(10, 70) = 10, host 1 min(50, 30) = 30
    bal, hosts = construct._construct(m, order, 100.0, start_hosts=2, rule="balance", **kw)
    assert bal.tolist() == [0, 1, 1]
    assert hosts.count == 2
    # none open: the first item opens host 0; item 2 after 0 and 1 (each 80 or 90 beside 0)
    got, hosts = construct._construct(
        m, np.array([0, 2, 1]), 100.0, start_hosts=0, rule="first", **kw
    )
    # 0 -> host 0 (opened); 2 beside 0: 90, 30 -> host 0; 1 beside both: 110 -> host 1 (opened)
    assert got.tolist() == [0, 1, 0] and hosts.count == 2
    # anti-affinity 0-2: 2 may not join 0
    conf = [np.array([2]), np.array([], dtype=int), np.array([0])]
    got, _ = construct._construct(
        m,
        order,
        100.0,
        start_hosts=0,
        rule="first",
        memory=np.zeros(3),
        host_memory=np.inf,
        conflicts=conf,
    )
    assert got.tolist() == [0, 0, 1]
    # memory: 0 and 1 need 600 MiB each on hosts of 1,000: 1 goes to a second host, 2 (300)
    # fits beside 0 in memory and CPU (90, 30)
    got, _ = construct._construct(
        m,
        order,
        100.0,
        start_hosts=0,
        rule="first",
        memory=np.array([600.0, 600.0, 300.0]),
        host_memory=1000.0,
        conflicts=None,
    )
    assert got.tolist() == [0, 1, 0]


# --------------------------------------------------------------------------- pack() above the bounds
#: a conflicts with everyone (a+b 130 at step 1, a+c 110 at step 1, a+d 130 at step 0); b, c, d
#: pairwise fit (b+c 40/100, b+d 80/80, c+d 100/60) but not all three (110 at step 0): a alone,
#: b, c, d on two hosts -> 3.  Bounds: composite ⌈190 / 100⌉ = 2; L2 at step 0 (60, 10, 30, 70)
#: and step 1 (70, 60, 40, 20) = 2 (two items above 50, the rest fits in their room); clique 2
#: (b, c, d pairwise compatible); the one-step LP 2 (each step alone fits 2 hosts).
ABOVE_BOUNDS = pd.DataFrame(
    {"a": [60.0, 70.0], "b": [10.0, 60.0], "c": [30.0, 40.0], "d": [70.0, 20.0]}
)


def test_heuristic_above_every_bound() -> None:
    # usable 200 × 50 % = 100: the instance above
    r = pack(ABOVE_BOUNDS, 200, 50, method="heuristic", local_search_iters=30)
    assert (r.hosts_used, r.lower_bound, r.gap_hosts, r.optimal) == (3, 2, 1, False)
    assert r.bound == "composite" and r.gap_to_lower_bound == 1.5
    assert {k: r.bounds[k] for k in ("composite", "l2", "clique", "lp")} == dict.fromkeys(
        ("composite", "l2", "clique", "lp"), 2
    )
    # peak FFD: a 70, d 70, b 60 -> a new host each; c 40 beside b (exactly 100): 3
    assert r.ffd_peak_hosts == 3
    assert r.method == "heuristic" and "milp" not in r.bounds
    # the search ran (3 hosts > bound 2) and could not drop a host
    assert r.search is not None
    assert (r.search.hosts_before, r.search.hosts_after) == (3, 3)
    # 30 iterations from each start packing in turn (none reaches the bound): the total
    assert r.search.iterations >= 30 and r.search.iterations % 30 == 0
    assert r.to_dict()["search_iterations"] == r.search.iterations
    assert r.search.pool_iterations == 0  # two steps: no pool repair
    # a alone on its host; its peak 70 is 35 % of the 200 host
    host_a = r.assignment["a"]
    assert [s for s, h in r.assignment.items() if h == host_a] == ["a"]
    assert r.hosts.loc[host_a, "peak_pct_of_capacity"] == pytest.approx(35.0)
    assert r.hosts.loc[host_a, "mean"] == pytest.approx(65.0)
    loads = ABOVE_BOUNDS.T.groupby(pd.Series(r.assignment)).sum().T
    assert r.hosts["peak"].to_dict() == loads.max().to_dict()
    assert r.hosts["peak_pct_of_capacity"].tolist() == pytest.approx(
        (loads.max() / 200 * 100).tolist()
    )
    assert r.hosts["servers"].tolist() == [
        sum(h == name for h in r.assignment.values()) for name in r.hosts.index
    ]


def test_milp_proves_the_optimum_above_the_bounds() -> None:
    for method in ("auto", "milp"):
        r = pack(ABOVE_BOUNDS, 100, method=method, local_search_s=0)  # type: ignore[arg-type]
        # HiGHS proves 3: the bound becomes "milp", the gap 0
        assert (r.hosts_used, r.lower_bound, r.gap_hosts, r.optimal) == (3, 3, 0, True)
        assert (r.method, r.bound, r.bounds["milp"], r.bounds["composite"]) == (
            "milp",
            "milp",
            3,
            2,
        )
    # auto with the MILP off (fewer items allowed than servers): the heuristic's answer
    r = pack(ABOVE_BOUNDS, 100, milp_max_items=3, local_search_s=0)
    assert (r.method, r.lower_bound, r.optimal, r.bound) == ("heuristic", 2, False, "composite")
    # no local search: still 3 hosts, no search stats
    r = pack(ABOVE_BOUNDS, 100, method="heuristic", local_search_s=0)
    assert r.hosts_used == 3 and r.search is None and r.to_dict()["search_iterations"] == 0


def test_at_the_bound_no_search_no_milp() -> None:
    # a + b fit (90, 90), c alone would too: composite ⌈(50+40+30) / 100⌉ = 2 ... every step
    # sums 120 -> 2 hosts, reached by the construction: no search, method heuristic
    demand = pd.DataFrame({"a": [50.0, 40.0], "b": [40.0, 50.0], "c": [30.0, 30.0]})
    r = pack(demand, 100)
    assert (r.hosts_used, r.lower_bound, r.optimal, r.method, r.search) == (
        2,
        2,
        True,
        "heuristic",
        None,
    )
    assert "lp" not in r.bounds  # proved without it


# --------------------------------------------------------------------------- more by hand
def test_lp_bound_by_hand_exact_and_on_the_grid() -> None:
    # the instance of test_lp_bound_added_only_while_it_can_prove_something: 4
    assert lp_bound(LP_SIZES, 100) == 4
    # the same on a grid (fractional sizes; capacity above LP_GRID_MAX): sizes rounded down to
    # 10,000 units per capacity keep the 50's missing half unreachable -> 4
    assert lp_bound([s / 100 for s in LP_SIZES], 1.0) == 4
    assert lp_bound([s * 300 for s in LP_SIZES], 30_000) == 4
    # a known bound is never undercut; nothing to pack: the floor
    assert lp_bound(LP_SIZES, 100, floor=6) == 6
    assert lp_bound([], 100, floor=2) == 2 and lp_bound([0.0, 0.0], 100) == 0
    # sizes below one grid unit round to nothing: the floor
    assert lp_bound([1e-6, 2e-6], 1.0, floor=1) == 1
    # the target stops the generation once reached
    assert lp_bound(LP_SIZES, 100, target=4) == 4
    # two items of 60: each alone -> 2; three 40s: two per host -> 2 (1.2 -> 2)
    assert lp_bound([60.0, 60.0], 100) == 2
    assert lp_bound([40.0, 40.0, 40.0], 100) == 2


def test_knapsack_by_hand() -> None:
    # values 3 and 2, weights 5 and 3, one of the first and two of the second, capacity 8:
    # (1, 1) weighs 8 and is worth 5; (0, 2) weighs 6, worth 4 -> (1, 1), 5
    pattern, best = _knapsack(np.array([3.0, 2.0]), np.array([5, 3]), np.array([1, 2]), 8)
    assert pattern.tolist() == [1.0, 1.0] and best == 5.0
    # three of the second allowed, capacity 9: (0, 3) weighs 9, worth 6 -> better
    pattern, best = _knapsack(np.array([3.0, 2.0]), np.array([5, 3]), np.array([1, 3]), 9)
    assert pattern.tolist() == [0.0, 3.0] and best == 6.0
    # an item heavier than the capacity is never taken; a zero value neither
    pattern, best = _knapsack(
        np.array([9.0, 0.0, 1.0]), np.array([10, 1, 4]), np.array([1, 5, 2]), 8
    )
    assert pattern.tolist() == [0.0, 0.0, 2.0] and best == 2.0


def test_l2_over_steps_stops_where_no_step_can_beat_the_bound() -> None:
    # [51, 51, 49, 49]: upper bound 2 big + ⌈98 / 100⌉ = 3, but L2 = 2 (α = 49: J2 = the two
    # 51s, room 98, J3 = 98 -> 2 + 0)
    step = [51.0, 51.0, 49.0, 49.0]
    m = np.array([step, step]).T
    assert _l2_over_steps(m, 100, 1) == (2, 0, True)
    # one step allowed: the second could still beat 2 (its upper bound 3): not exhaustive
    assert _l2_over_steps(m, 100, 1, max_steps=1) == (2, 0, False)
    # the start already at the upper bound: nothing evaluated
    assert _l2_over_steps(m, 100, 3) == (3, None, True)
    # no item above C/2 (exactly 50 included): the start, no step
    assert _l2_over_steps(np.array([[50.0, 10.0], [50.0, 10.0]]), 100, 1) == (1, None, True)
    # the L2 step is the later one when it is the larger
    m2 = np.array([[10.0, s] for s in L2_SIZES])
    assert _l2_over_steps(m2, 100, 4) == (5, 1, True)


def test_clique_bound_limits_and_order() -> None:
    # the triangle of test_clique_by_demand_and_memory: with two servers considered, a pair
    m = np.array([[60.0, 60.0, 0.0], [50.0, 0.0, 55.0], [0.0, 45.0, 50.0]])
    assert clique_bound(m, 100, max_items=2) == 2
    assert clique_bound(m, 100, max_items=3) == 3
    # a server too small to conflict with anyone is left out: 60 + 45 = 105 conflict, 5 fits
    assert clique_bound(np.array([[60.0], [45.0], [5.0]]), 100) == 2
    # anti-affinity between servers that fit together: a pair
    conf = [np.array([1]), np.array([0]), np.array([], dtype=int)]
    assert clique_bound(np.array([[10.0], [10.0], [10.0]]), 100, conflicts=conf) == 2
    # one candidate only: 1 host (it has demand) — or memory alone
    assert clique_bound(np.array([[60.0], [0.0]]), 100) == 1
    assert clique_bound(np.zeros((2, 1)), 100, memory=np.array([0.0, 5.0]), host_memory=10) == 1
    assert clique_bound(np.zeros((2, 1)), 100, memory=np.zeros(2), host_memory=10) == 0
    # greedy clique on a path 0-1-2 (no triangle): 2
    adj = np.array([[0, 1, 0], [1, 0, 1], [0, 1, 0]], dtype=bool)
    assert _greedy_clique(adj) == 2 and _greedy_clique(np.zeros((0, 0), dtype=bool)) == 0
    assert _greedy_clique(np.zeros((3, 3), dtype=bool)) == 1
    # K4 plus a pendant vertex: 4; from the highest degree only (starts=1) too
    k4 = np.ones((5, 5), dtype=bool)
    k4[4, :] = k4[:, 4] = False
    k4[4, 0] = k4[0, 4] = True
    np.fill_diagonal(k4, False)
    assert _greedy_clique(k4) == 4 and _greedy_clique(k4, starts=1) == 4


def test_lp_bound_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    # LP instance at step 1 (step 0 small): the LP step is the peak step 1
    m = np.array([[1.0, s] for s in LP_SIZES])
    lb = lower_bound(m, 100)
    lp = with_lp_bound(lb, m, 100, hosts_used=4)
    assert (int(lp), lp.bound, lp.step) == (4, "lp", 1)
    # four distinct sizes at step 1: computed while LP_MAX_ITEMS ≥ 4, skipped below
    monkeypatch.setattr(bounds, "LP_MAX_ITEMS", 4)
    assert int(with_lp_bound(lb, m, 100, hosts_used=4)) == 4
    monkeypatch.setattr(bounds, "LP_MAX_ITEMS", 3)
    skipped = with_lp_bound(lb, m, 100, hosts_used=4)
    assert (int(skipped), skipped.bound, skipped.bounds["lp"], skipped.step) == (
        3,
        "composite",
        0,
        None,
    )


def test_problem_inputs_by_hand() -> None:
    # integer columns: names as text, memory keyed by the same integers
    demand = pd.DataFrame({0: [1, 2], 1: [3, 4]})
    p = PackingProblem.from_demand(demand, 10, memory_mib={0: 5, 1: 6}, host_memory_mib=8)
    assert p.names == ["0", "1"] and p.matrix.dtype == np.float64
    assert p.memory is not None and p.memory.tolist() == [5.0, 6.0]
    with pytest.raises(InputError, match="non-empty"):
        demand_matrix(pd.DataFrame({"a": []}))
    with pytest.raises(InputError, match="non-empty"):
        demand_matrix(pd.DataFrame(index=[0, 1]))
    with pytest.raises(InputError, match="duplicate server column"):
        demand_matrix(pd.DataFrame([[1.0, 2.0]], columns=["a", "a"]))
    with pytest.raises(InputError, match="numeric"):
        demand_matrix(pd.DataFrame({"a": ["x", "y"]}))
    with pytest.raises(InputError, match="2-D"):
        demand_matrix(np.ones(3))
    with pytest.raises(InputError, match="host_memory_mib"):
        PackingProblem.from_demand(demand, 10, memory_mib={0: 5, 1: 6}, host_memory_mib=0)
    # the error lists the first 20 names and an ellipsis
    many = pd.DataFrame({f"s{i}": [1.0] for i in range(25)})
    with pytest.raises(InputError, match="unknown server 'zz'") as info:
        PackingProblem.from_demand(many, 10, anti_affinity=[("s0", "zz")])
    assert "'s19'" in str(info.value) and "…" in str(info.value) and "'s20'" not in str(info.value)
    assert "anti_affinity pair 1" in str(info.value)
    few = pd.DataFrame({f"s{i}": [1.0] for i in range(3)})
    with pytest.raises(InputError, match="unknown server 'zz'") as info:
        PackingProblem.from_demand(few, 10, anti_affinity=[("s0", "s1"), ("zz", "s1")])
    assert "…" not in str(info.value) and "anti_affinity pair 2" in str(info.value)


def test_capacity_errors_name_the_servers() -> None:
    demand = pd.DataFrame({"a": [80.5], "b": [1.0], "c": [90.0]})
    with pytest.raises(CapacityError) as info:
        PackingProblem.from_demand(demand, 100, 80)
    text = str(info.value)
    assert text.startswith("2 server(s) exceed one host's usable capacity 80 ")
    assert "(host capacity 100 × max_util_pct 80 %)" in text
    assert "'a' peaks at 80.5, 'c' peaks at 90;" in text and "'b'" not in text
    # memory: the largest named
    with pytest.raises(CapacityError, match="server 'c' needs 700 MiB, more than one host's 512"):
        PackingProblem.from_demand(
            demand, 1000, memory_mib={"a": 600, "b": 1, "c": 700}, host_memory_mib=512
        )


def test_renumber_in_order_of_first_appearance() -> None:
    assert _renumber(np.array([5, 2, 5, 9, 2])).tolist() == [0, 1, 0, 2, 1]
    assert _renumber(np.array([0, 0])).tolist() == [0, 0]


#: one step, nine servers between 32 and 51 on hosts of 100: the three smallest already make
#: 32 + 40 + 40 = 112, so no host holds three -> ⌈9 / 2⌉ = 5 hosts.  Composite ⌈381 / 100⌉ = 4;
#: L2 at α = 32: J2 = {51} (room 49), J3 = the other eight (330) -> 1 + ⌈281 / 100⌉ = 4.
TWO_PER_HOST = [41.0, 32.0, 44.0, 40.0, 43.0, 41.0, 51.0, 40.0, 49.0]


def test_one_step_pool_repair_then_search() -> None:
    demand = pd.DataFrame([TWO_PER_HOST], columns=[f"s{i}" for i in range(9)])
    kw = {"method": "heuristic", "pool_max_iters": 7, "local_search_iters": 5}
    # without the LP bound the bound is 4: the pool repair runs its 7 exchanges in vain, then
    # the search its 5 iterations from the pool's packing only
    r = pack(demand, 100, lp=False, **kw)  # type: ignore[arg-type]
    assert (r.hosts_used, r.lower_bound, r.gap_hosts, r.bound, r.optimal) == (
        5,
        4,
        1,
        "composite",
        False,
    )
    assert {k: r.bounds[k] for k in ("composite", "l2")} == {"composite": 4, "l2": 4}
    assert r.search is not None
    assert (r.search.pool_iterations, r.search.iterations) == (7, 5)
    assert (r.search.hosts_before, r.search.hosts_after, r.search.stopped) == (
        5,
        5,
        "iteration limit",
    )
    assert sorted(r.hosts["servers"].tolist()) == [1, 2, 2, 2, 2]  # two per host, one alone
    # with the LP bound (default) 5 is proved: no pool, no search
    r = pack(demand, 100, **kw)  # type: ignore[arg-type]
    assert (r.hosts_used, r.lower_bound, r.bound, r.bounds["lp"], r.search) == (5, 5, "lp", 5, None)
    # no pool without the improvement pass, with memory, or with the search off
    r = pack(demand, 100, lp=False, improve=False, **kw)  # type: ignore[arg-type]
    assert r.search is not None and r.search.pool_iterations == 0
    mem = dict.fromkeys(demand.columns, 1.0)
    r = pack(demand, 100, lp=False, memory_mib=mem, host_memory_mib=10, **kw)  # type: ignore[arg-type]
    assert r.search is not None and r.search.pool_iterations == 0
    assert r.search.iterations % 5 == 0
    r = pack(demand, 100, lp=False, local_search_s=0, **kw)  # type: ignore[arg-type]
    assert r.search is None and r.hosts_used == 5


def test_ffd_more_by_hand() -> None:
    # an item larger than a bin gets a bin of its own (storage: an oversize minidisk)
    assert first_fit_decreasing([150.0, 120.0, 10.0], 100).tolist() == [0, 1, 2]
    # exactly full, compared exactly (rtol 0): one bin; memory too
    assert first_fit_decreasing([70, 30], 100, rtol=0.0).tolist() == [0, 0]
    got = first_fit_decreasing([1, 1], 100, memory=[60, 40], host_memory=100, rtol=0.0)
    assert got.tolist() == [0, 0]
    assert first_fit_decreasing([150.0, 50.0], 100).tolist() == [0, 1]
    assert first_fit_decreasing([50.0, 150.0, 30.0], 100).tolist() == [1, 0, 1]
    # memory fits, CPU does not: two hosts
    assert ffd_peak([60, 60], 100, memory=[1, 1], host_memory=100).tolist() == [0, 1]
    # thirty 40s and thirty 30s, alternating: the 40s two per bin in input order (bins 0..14,
    # room 20 each), then the 30s three per new bin (15..24)
    sizes = [40.0, 30.0] * 30
    want = [j // 2 if i % 2 == 0 else 15 + j // 3 for i in range(60) for j in [i // 2]]
    got = first_fit_decreasing(sizes, 100)
    assert got.tolist() == want and got.dtype == np.int64


def _decide_blocks(
    slack: np.ndarray, x3: np.ndarray, *, balance: bool, banned: np.ndarray | None = None
) -> int:
    """decide() on hosts of several blocks, every block tight (bound = min over block minima)."""
    h, nb, width = slack.shape
    smin = slack.min(axis=2)
    at = slack.argmin(axis=2) + np.arange(nb) * width
    return _kernel.decide(
        x3.reshape(-1),
        x3,
        x3.max(axis=1),
        0.0,
        slack,
        smin,
        at,
        smin,
        np.zeros(h),
        h,
        False,
        np.zeros(h, dtype=bool) if banned is None else banned,
        balance,
        8,
    )


def test_kernel_decide_reads_the_right_cells() -> None:
    # host 0's second block [4, 3] holds its least slack 3 where the item needs 0, but the item
    # needs 5 where host 0 has 4: it overflows (its bound 3 said it might fit); host 1 fits
    slack = np.array([[[9.0, 9.0], [4.0, 3.0]], [[9.0, 9.0], [9.0, 9.0]]])
    x3 = np.array([[0.0, 0.0], [5.0, 0.0]])
    assert _decide_blocks(slack, x3, balance=False) == 1
    assert _decide_blocks(slack, x3, balance=True) == 1


def test_kernel_balance_is_the_largest_true_headroom() -> None:
    # one block of two steps, item [0, 3]; a host's bound is its least slack minus the item
    # there.  Host 0: slack [4, 5]: bound 4 − 0 = 4, headroom min(4, 5 − 3) = 2; host 1:
    # slack [3, 9]: bound 3, headroom min(3, 6) = 3 -> balance takes host 1, first host 0
    x = np.array([0.0, 3.0])
    slack = np.array([[[4.0, 5.0]], [[3.0, 9.0]]])
    assert _decide(slack, x, balance=True) == 1
    assert _decide(slack, x, balance=False) == 0
    # host 0: bound 7, headroom min(7, 6) = 6; hosts 1 and 2: bound 3 = headroom 3 -> host 0
    slack = np.array([[[7.0, 9.0]], [[3.0, 9.0]], [[3.0, 9.0]]])
    assert _decide(slack, x, balance=True) == 0
    # equal headroom 3: host 0 (bound 3) and host 1 (slack [5, 6]: bound 5, headroom 3): the
    # lower host, although host 1 is read first (larger bound)
    slack = np.array([[[3.0, 9.0]], [[5.0, 6.0]]])
    assert _decide(slack, x, balance=True) == 0
    # host 0: bound 6, headroom 4 (slack [6, 7]); host 1: bound 5, headroom 2 (slack [5, 5]):
    # host 1 is read (its bound beats 4) and rejected
    slack = np.array([[[6.0, 7.0]], [[5.0, 5.0]]])
    assert _decide(slack, x, balance=True) == 0
    # item [0, 10]: host 0 (slack [8, 9]: bound 8) overflows at step 1; host 1 (slack [7, 12]:
    # bound 7, headroom 2) holds it; host 0 alone: none
    x10 = np.array([0.0, 10.0])
    assert _decide(np.array([[[8.0, 9.0]], [[7.0, 12.0]]]), x10, balance=True) == 1
    assert _decide(np.array([[[8.0, 9.0]]]), x10, balance=True) == -1
    # the first rule checks every candidate (bound ≥ 0) until one fits, ``batch`` at a time:
    # hosts 0 and 1 (slack [4, 5]: bound 4) overflow at step 1 (5 − 6 < 0), host 2 fits
    slack = np.array([[[4.0, 5.0]], [[4.0, 5.0]], [[9.0, 9.0]]])
    x6 = np.array([0.0, 6.0])
    assert _decide(slack, x6, balance=False, batch=1) == 2
    assert _decide(slack, x6, balance=False, batch=2) == 2
    assert _decide(slack, x6, balance=True) == 2
    # memory binds and host 0 is banned: host 1, although host 0 has memory and room
    both = np.array([[[9.0, 9.0]], [[9.0, 9.0]]])
    got = _decide(
        both,
        np.array([1.0, 1.0]),
        balance=False,
        mem=np.array([9.0, 9.0]),
        mem_i=1.0,
        banned=np.array([True, False]),
    )
    assert got == 1


def test_kernel_add_keeps_only_the_tightest_blocks() -> None:
    # three blocks of one step, slack 5, 4, 6; one tight block kept: block 1 (slack 4 − 1 = 3)
    slack, mem = np.array([[[5.0], [4.0], [6.0]]]), np.zeros(1)
    smin, at = np.zeros((1, 3)), np.zeros((1, 3), dtype=np.intp)
    t_at, t_slack = np.zeros((1, 1), dtype=np.intp), np.zeros((1, 1))
    x3 = np.array([[1.0], [1.0], [1.0]])
    _kernel.add(0, x3, 0.0, slack, smin, at, t_at, t_slack, mem, np.array([0, 1, 2]))
    assert smin.tolist() == [[4.0, 3.0, 5.0]] and at.tolist() == [[0, 1, 2]]
    assert t_at.tolist() == [[1]] and t_slack.tolist() == [[3.0]]
    # the n least among many ties: earlier first
    assert _kernel.least(np.array([1.0, 2.0] * 20), 5).tolist() == [0, 2, 4, 6, 8]


def test_construct_anti_affinity_alone_by_hand() -> None:
    # six servers of 10 (one host would hold all); pairs 0-2, 1-3, 2-5
    m = np.full((6, 1), 10.0)
    conf = [np.array([2]), np.array([3]), np.array([0, 5]), np.array([1]), np.array([], int)]
    conf.append(np.array([2]))
    got, hosts = construct._construct(
        m,
        np.arange(6),
        100.0,
        start_hosts=0,
        rule="first",
        memory=np.zeros(6),
        host_memory=np.inf,
        conflicts=conf,
    )
    # 0 -> host 0 (opened); 1 -> 0; 2 (0 on host 0) -> host 1 (opened); 3 (1 on host 0) -> 1;
    # 4 (no pair) -> 0; 5 (2 on host 1) -> 0
    assert got.tolist() == [0, 0, 1, 1, 0, 0] and hosts.count == 2


def test_anti_affinity_lists_and_every_bad_pair_reported() -> None:
    demand = pd.DataFrame({"a": [1.0], "b": [2.0], "c": [3.0]})
    p = PackingProblem.from_demand(demand, 10, anti_affinity=[("b", "c")])
    assert p.conflicts is not None
    assert [c.tolist() for c in p.conflicts] == [[], [2], [1]]
    assert all(c.dtype == np.int64 for c in p.conflicts)  # the empty one too (an index)
    # every bad pair is reported, under one heading
    with pytest.raises(InputError) as info:
        PackingProblem.from_demand(demand, 10, anti_affinity=[("a", "b", "c"), ("a", "zz")])
    text = str(info.value)
    assert "invalid anti_affinity" in text and "pair 1" in text and "'zz'" in text
    with pytest.raises(InputError) as info:
        PackingProblem.from_demand(demand, 10, anti_affinity=[("a", "a"), ("yy", "b")])
    assert "two different servers" in str(info.value) and "'yy'" in str(info.value)
    # one name unknown: an error, not a pair with the known one
    with pytest.raises(InputError, match="unknown server 'zz'"):
        PackingProblem.from_demand(demand, 10, anti_affinity=[("zz", "a")])


def test_demand_messages_name_the_input_server_and_step() -> None:
    with pytest.raises(InputError) as info:
        demand_matrix(pd.DataFrame([[1.0, 2.0, 3.0]], columns=["a", "a", "b"]))
    assert str(info.value) == "demand: duplicate server column(s) ['a']"
    with pytest.raises(InputError) as info:
        demand_matrix(pd.DataFrame([[1.0, 2.0]], columns=["x", "x"]), where="traces.csv")
    assert str(info.value) == "traces.csv: duplicate server column(s) ['x']"
    nan = pd.DataFrame({"a": [1.0, 2.0], "b": [1.0, np.nan]}, index=pd.Index([10, 20]))
    with pytest.raises(InputError) as info:
        demand_matrix(nan)
    text = str(info.value)
    assert text.startswith("invalid demand: 1 problem(s)")
    assert "server 'b'" in text and "20" in text and "'demand' must be a finite" in text
    with pytest.raises(InputError, match="server 'a' step 1"):
        demand_matrix(pd.DataFrame({"a": [1.0, -2.0]}))
    with pytest.raises(InputError, match=r"^'host_capacity' must be a number > 0 \(got 0\)$"):
        effective_capacity(0)
    # any positive capacity, however small
    assert effective_capacity(0.5, 100) == 0.5
    assert PackingProblem.from_demand(pd.DataFrame({"a": [0.25]}), 0.5).capacity == 0.5


def test_bounds_internals_more_by_hand() -> None:
    # knapsack: 7 of one item (value 1, weight 5) on capacity 10: two fit -> 2 (chunks 1, 2, 4:
    # the 2 is one chunk)
    pattern, best = _knapsack(np.array([1.0]), np.array([5]), np.array([7]), 10)
    assert pattern.tolist() == [2.0] and best == 2.0
    # equal values: the first item's chunk is kept (only a strictly better value replaces it)
    pattern, best = _knapsack(np.array([1.0, 1.0]), np.array([5, 5]), np.array([1, 1]), 5)
    assert pattern.tolist() == [1.0, 0.0] and best == 1.0
    # two identical L2 steps (upper bound 5 = L2 5): the second cannot beat the first, the
    # search is exhaustive although only one step may be evaluated
    m = np.array([L2_SIZES, L2_SIZES]).T
    assert _l2_over_steps(m, 100, 4, max_steps=1) == (5, 0, True)
    # greedy clique from the highest degree only: 0 meets 1, 2, 3; 2-3 meet; 1 meets only 0.
    # From 0 the next vertex is the candidate of highest degree (2), then 3: {0, 2, 3}
    adj = np.zeros((4, 4), dtype=bool)
    for a, b in ((0, 1), (0, 2), (0, 3), (2, 3)):
        adj[a, b] = adj[b, a] = True
    assert _greedy_clique(adj, starts=1) == 3


def test_l2_and_lp_edges_by_hand() -> None:
    c = 100 * (1 + CAPACITY_RTOL)  # the capacity with the check's tolerance
    # one item: one bin; items of at most 1 count too (300 × 0.5 = 150 -> 2)
    assert l2_bound([30.0], 100) == 1
    assert l2_bound([0.5] * 300, 100) == 2
    # 50 + 50 + 1 = 101: two bins (α = 0: J3 = all three, ⌈101 / 100⌉ = 2)
    assert l2_bound([50.0, 50.0, 1.0], 100) == 2
    # 52 + 30 + 30 = 112: J2 = {52} (room 48), J3 = 60 -> 1 + ⌈12 / 100⌉ = 2
    assert l2_bound([52.0, 30.0, 30.0], 100) == 2
    # a pair that fills the tolerant capacity exactly fits one bin: 60 + (c − 60); two halves
    assert l2_bound([60.0, c - 60.0], 100) == 1
    assert l2_bound([c / 2, c / 2], 100) == 1
    # LP: whole numbers up to LP_GRID_MAX are priced exactly: 3 × 6,667 = 20,001 > 20,000 -> 2;
    # on the grid (rounded down to 3,333 units of 10,000) three would fit one bin
    assert lp_bound([6667.0] * 3, 20_000) == 2
    # the grid rounds down: 1.0 (9,999 units) and 0.0001 (0 units: dropped) -> 1 (a valid, weak bound)
    assert lp_bound([1.0, 0.0001], 1.0) == 1
    # 10,001 items of one grid unit (0.00015 -> 1): more than one bin's 10,000 -> 2
    assert lp_bound([0.00015] * 10_001, 1.0) == 2
    # items that round to nothing: no bin
    assert lp_bound([1e-6, 2e-6], 1.0) == 0


TRIANGLE = np.array([[60.0, 60.0, 0.0], [50.0, 0.0, 55.0], [0.0, 45.0, 50.0]])


def test_lower_bound_options_by_hand(monkeypatch: pytest.MonkeyPatch) -> None:
    m = np.array(LP_SIZES)[:, None]
    # lp=True adds the LP bound (4 > 3) and the gap to a packing of 4
    lb = lower_bound(m, 100, hosts_used=4, lp=True)
    assert (int(lb), lb.bound, lb.bounds["lp"], lb.gap_hosts) == (4, "lp", 4, 0)
    assert int(lower_bound(m, 100, lp=True)) == 4 and lower_bound(m, 100, lp=True).gap_hosts is None
    # 1-D input to with_lp_bound: one step
    one_d = np.array(LP_SIZES)
    assert int(with_lp_bound(lower_bound(one_d, 100), one_d, 100, hosts_used=4)) == 4
    # integer demand
    assert int(lower_bound(np.array([[60, 10], [10, 60], [50, 50]]), 100)) == 2
    # a tiny positive peak still needs a host
    assert lower_bound([[1e-13]], 100).bounds["composite"] == 1
    assert lower_bound([[0.5]], 100).bounds["composite"] == 1
    # memory binds the clique too: three servers that no two share in memory
    lb = lower_bound([[10.0], [10.0], [10.0]], 100, memory=[600, 600, 600], host_memory=1000)
    assert lb.bounds["clique"] == 3
    # the L2 step is reported only when L2 is the bound: memory wins here (six 600s on 1,000)
    m2 = np.array([[10.0, s] for s in L2_SIZES])
    lb = lower_bound(m2, 100, memory=[600] * 6, host_memory=1000)
    assert (int(lb), lb.bound, lb.step, lb.bounds["l2"]) == (6, "memory", None, 5)
    # with_lp_bound keeps the L2 step when L2 stays the bound (LP 5 ties it)
    lb = with_lp_bound(lower_bound(m2, 100), m2, 100, hosts_used=6)
    assert (int(lb), lb.bound, lb.step) == (5, "l2", 1)
    # the LP's floor is the best other bound: memory 8 on LP_SIZES -> the LP reports 8, not 4
    lb = lower_bound(m, 100, memory=[600] * 8, host_memory=1000)
    assert int(lb) == 8
    assert with_lp_bound(lb, m, 100, hosts_used=9).bounds["lp"] == 8
    # distinct nonzero sizes counted for LP_MAX_ITEMS: a zero does not count, a 0.5 does
    monkeypatch.setattr(bounds, "LP_MAX_ITEMS", 4)
    zero = np.array([*LP_SIZES, 0.0])[:, None]
    assert int(with_lp_bound(lower_bound(zero, 100), zero, 100, hosts_used=4)) == 4
    # 60, 50, 40, four 30s, 29.5 and 0.5 (Σ 300): six distinct sizes > 5 -> not computed, 3
    monkeypatch.setattr(bounds, "LP_MAX_ITEMS", 5)
    half = np.array([*LP_SIZES[:-1], 29.5, 0.5])[:, None]
    assert int(with_lp_bound(lower_bound(half, 100), half, 100, hosts_used=5)) == 3


def test_l2_step_cap_makes_the_bound_not_exhaustive() -> None:
    # 4,098 steps of [51, 51, 49, 49]: upper bound 3 at each, L2 2: more steps could beat the
    # best than L2_MAX_STEPS (4,096) allows -> not exhaustive, passed on by with_lp_bound
    m = np.tile(np.array([[51.0], [51.0], [49.0], [49.0]]), (1, bounds.L2_MAX_STEPS + 2))
    lb = lower_bound(m, 100)
    assert (int(lb), lb.bounds["l2"], lb.exhaustive) == (2, 2, False)
    assert with_lp_bound(lb, m, 100, hosts_used=2).exhaustive is False


def test_clique_bound_more_by_hand() -> None:
    # memory given (small) keeps the CPU triangle; so do empty anti-affinity lists
    assert clique_bound(TRIANGLE, 100, memory=np.ones(3), host_memory=1000) == 3
    assert clique_bound(TRIANGLE, 100, conflicts=[np.array([], int)] * 3) == 3
    assert clique_bound(TRIANGLE, 100, memory=np.ones(3)) == 3  # memory without host memory
    # a server with memory only (0.5 MiB) needs a host
    assert clique_bound(np.zeros((2, 1)), 100, memory=np.array([0.0, 0.5]), host_memory=10) == 1
    # two halves of the tolerant host memory fit together
    cm = 1000 * (1 + CAPACITY_RTOL)
    assert (
        clique_bound(np.ones((2, 1)), 100, memory=np.array([cm / 2, cm / 2]), host_memory=1000) == 1
    )
    # a-b meet at step 0 (110), c-d at step 1 (110); a-c, a-d, b-c could by their peaks but never
    # meet: two pairs, no triangle
    m = np.array([[60.0, 0.0, 0.0], [50.0, 0.0, 0.0], [0.0, 60.0, 0.0], [0.0, 50.0, 0.0]])
    assert clique_bound(m, 100) == 2
    # candidates by peak / capacity + memory / host memory, largest first: C (0.1 + 0.6) then A
    # (0.6): no conflict between them -> 1; with three considered A-B (105) -> 2
    m = np.array([[60.0], [45.0], [10.0], [10.0]])
    mem = np.array([0.0, 0.0, 600.0, 400.0])
    assert clique_bound(m, 100, memory=mem, host_memory=1000, max_items=2) == 1
    assert clique_bound(m, 100, memory=mem, host_memory=1000, max_items=3) == 2
    # anti-affinity with a partner left out by max_items: 0-1, 0-2, 2-3, peaks 40, 30, 20, 10;
    # three considered (0, 1, 2): edges 0-1, 0-2 -> 2 (3 is not one of them)
    conf = [np.array([1, 2]), np.array([0]), np.array([0, 3]), np.array([2])]
    small = np.array([[40.0], [30.0], [20.0], [10.0]])
    assert clique_bound(small, 100, conflicts=conf, max_items=3) == 2


def test_problem_boundaries_and_messages() -> None:
    # exactly at the tolerant capacity (80 × (1 + rtol)) and host memory: accepted
    edge = 80 * (1 + CAPACITY_RTOL)
    PackingProblem.from_demand(pd.DataFrame({"a": [edge]}), 100, 80)
    medge = 512 * (1 + CAPACITY_RTOL)
    PackingProblem.from_demand(
        pd.DataFrame({"a": [1.0]}), 100, memory_mib={"a": medge}, host_memory_mib=512
    )
    # memory 0 and 0.5 MiB are valid; a target of 0.5 % too
    p = PackingProblem.from_demand(
        pd.DataFrame({"a": [1.0], "b": [1.0]}),
        100,
        memory_mib={"a": 0, "b": 0.5},
        host_memory_mib=8,
    )
    assert p.memory is not None and p.memory.tolist() == [0.0, 0.5]
    assert effective_capacity(200, 0.5) == 1.0
    # headings and field names of the messages
    with pytest.raises(InputError) as info:
        PackingProblem.from_demand(
            pd.DataFrame({"a": [1.0]}), 100, memory_mib={"a": -1}, host_memory_mib=8
        )
    assert str(info.value).startswith("invalid memory_mib: 1 problem(s)")
    with pytest.raises(InputError, match=r"^'host_memory_mib' must be a number > 0"):
        PackingProblem.from_demand(
            pd.DataFrame({"a": [1.0]}), 100, memory_mib={"a": 1}, host_memory_mib=-1
        )
    with pytest.raises(InputError) as info:
        PackingProblem.from_demand(pd.DataFrame({"a": [1.0]}), 100, anti_affinity=[("a", "a")])
    assert str(info.value).startswith("invalid anti_affinity: 1 problem(s)")
    nan = pd.DataFrame({"a": [1.0, np.nan]})
    with pytest.raises(InputError, match="at demand server 'a' step 1"):
        demand_matrix(nan)
    # at most 50 missing memory values and 10 oversize servers are listed
    many = pd.DataFrame({f"s{i:02d}": [90.0] for i in range(51)})
    with pytest.raises(InputError, match=r"^invalid memory_mib: 50 problem\(s\)"):
        PackingProblem.from_demand(many, 100, memory_mib={"x": 1}, host_memory_mib=8)
    with pytest.raises(CapacityError) as cinfo:
        PackingProblem.from_demand(many, 100, 80)
    text = str(cinfo.value)
    assert text.startswith("51 server(s) exceed") and "'s09'" in text and "'s10'" not in text


def test_result_keeps_the_time_index_and_stale_bans_are_lifted() -> None:
    when = pd.date_range("2026-01-01", periods=2, freq="h")
    demand = pd.DataFrame({"a": [50.0, 10.0], "b": [10.0, 50.0]}, index=when)
    r = pack(demand, 100)
    assert r.host_series.index.equals(when) and r.hosts_used == 1
    # two open hosts; 2 may not join its partner 1 (host 0) -> host 1; 3 has no partner -> 0
    m = np.full((4, 1), 10.0)
    conf = [np.array([], int), np.array([2]), np.array([1]), np.array([], int)]
    got, _ = construct._construct(
        m,
        np.arange(4),
        100.0,
        start_hosts=2,
        rule="first",
        memory=np.zeros(4),
        host_memory=np.inf,
        conflicts=conf,
    )
    assert got.tolist() == [0, 0, 1, 0]


def test_pack_passes_memory_pairs_and_names_bad_methods() -> None:
    from colonykit.errors import UnknownNameError

    with pytest.raises(UnknownNameError) as info:
        pack(pd.DataFrame({"a": [1.0]}), 100, method="fast")  # type: ignore[arg-type]
    assert str(info.value).startswith(
        "unknown packing method 'fast'; expected one of ['auto', 'heuristic', 'milp']"
    )
    demand = pd.DataFrame({"a": [10.0], "b": [10.0], "c": [10.0]})
    # memory: 600 MiB each on 1,000 MiB hosts -> no two share: bound, FFD and packing 3
    r = pack(demand, 100, memory_mib=dict.fromkeys("abc", 600.0), host_memory_mib=1000)
    assert (r.hosts_used, r.lower_bound, r.ffd_peak_hosts, r.bound) == (3, 3, 3, "memory")
    # three pairwise-apart servers: clique bound 3, FFD 3, packing 3
    pairs = [("a", "b"), ("b", "c"), ("a", "c")]
    r = pack(demand, 100, anti_affinity=pairs)
    assert (r.hosts_used, r.lower_bound, r.ffd_peak_hosts, r.bound) == (3, 3, 3, "clique")
    # one pair apart: two hosts, bound 2 (clique), the pair on different hosts
    r = pack(demand, 100, anti_affinity=[("a", "b")])
    assert (r.hosts_used, r.lower_bound) == (2, 2) and r.assignment["a"] != r.assignment["b"]
    # an array: no unit; servers per host counted
    r = pack(np.array([[60.0, 60.0, 30.0]]), 100)
    assert r.unit == "" and sorted(r.hosts["servers"].tolist()) == [1, 2]
    # the search's wall time is a duration in seconds (a float, not a clock reading)
    r = pack(ABOVE_BOUNDS, 100, method="heuristic", local_search_iters=5)
    assert r.search is not None and isinstance(r.search.seconds, float)
    assert 0.0 <= r.search.seconds < 600.0
