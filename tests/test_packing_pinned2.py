"""pack()'s decisions pinned by hand (issue 27 §2: colonykit/packing/solve.py under mutation).

Every instance below is small enough to be worked out in the comment beside it: the bound from
the step sums, the optimum from which servers can share a host, first fit by peak step by step.
Where a test replaces a stage of :func:`pack` (construction, pool repair, local search, MILP)
by a recording wrapper, it checks what ``pack`` hands to that stage (the user's options, the
problem's arrays, the bound and host counts worked out by hand) or how it combines what the
stage reports — the stages' own figures are pinned in tests/test_packing_pinned.py.
"""

from __future__ import annotations

import importlib
from dataclasses import replace
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd
import pytest

from colonykit.packing import pack
from colonykit.packing.search import SearchStats

solve = importlib.import_module("colonykit.packing.solve")

#: see tests/test_packing_pinned.py: a conflicts with b, c, d at some step; b, c, d need two
#: hosts -> 3 hosts; composite, L2, clique and LP bounds 2.
ABOVE_BOUNDS = pd.DataFrame(
    {"a": [60.0, 70.0], "b": [10.0, 60.0], "c": [30.0, 40.0], "d": [70.0, 20.0]}
)
#: one step, 9 servers of 32..51 on hosts of 100: no host holds three (32+40+40 = 112) -> 5
#: hosts; composite ⌈381/100⌉ = 4 = L2 (tests/test_packing_pinned.py).
TWO_PER_HOST = [41.0, 32.0, 44.0, 40.0, 43.0, 41.0, 51.0, 40.0, 49.0]
#: one step, 13 servers, Σ = 495 -> composite 5.  First-fit-decreasing by hand (59 52 51 48
#: 46 46 44 37 30 23 21 20 18): 59+37 | 52+48 | 51+46 | 46+44 | 30+23+21+20 | 18 -> 6 hosts.
#: Five are enough: 59+21+20 = 100 | 52+48 = 100 | 51+46 = 97 | 46+30+23 = 99 | 44+37+18 = 99.
POOL_13 = [18.0, 30.0, 21.0, 59.0, 48.0, 37.0, 46.0, 20.0, 23.0, 44.0, 52.0, 46.0, 51.0]


def _frame(rows: list[list[float]]) -> pd.DataFrame:
    """Servers as rows (hand notation) -> pack()'s wide frame (time × server), s0, s1, …."""
    m = np.asarray(rows, dtype=np.float64)
    return pd.DataFrame(m.T, columns=[f"s{i}" for i in range(m.shape[0])])


def _one_step(sizes: list[float]) -> pd.DataFrame:
    return pd.DataFrame([sizes], columns=[f"s{i}" for i in range(len(sizes))])


def _groups(assignment: dict[str, str]) -> set[frozenset[str]]:
    """The packing as a set of server groups (host names left out)."""
    hosts: dict[str, set[str]] = {}
    for server, host in assignment.items():
        hosts.setdefault(host, set()).add(server)
    return {frozenset(g) for g in hosts.values()}


def _fits(demand: pd.DataFrame, assignment: dict[str, str], capacity: float) -> bool:
    loads = demand.T.groupby(pd.Series(assignment)).sum().T
    return bool((loads.to_numpy() <= capacity + 1e-9).all())


class _Recorder:
    """Wraps a stage of pack(): records its keyword arguments, then calls it (or ``reply``)."""

    def __init__(self, real: Any, reply: Any = None) -> None:
        self.real, self.reply, self.calls = real, reply, []  # type: ignore[var-annotated]

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.calls.append(kwargs)
        if self.reply is not None:
            return self.reply(len(self.calls) - 1, *args, **kwargs)
        return self.real(*args, **kwargs)


def _record(monkeypatch: pytest.MonkeyPatch, name: str, reply: Any = None) -> _Recorder:
    rec = _Recorder(getattr(solve, name), reply)
    monkeypatch.setattr(solve, name, rec)
    return rec


# --------------------------------------------------------------------------- options handed on
def test_pack_hands_the_problem_and_options_to_every_stage(monkeypatch: pytest.MonkeyPatch) -> None:
    # ABOVE_BOUNDS with 100 MiB per server on 1,000 MiB hosts (memory bound ⌈400/1000⌉ = 1) and
    # a, b apart (a shares no host anyway): lower bound 2, the constructions need 3 (a alone)
    starts = _record(monkeypatch, "_starts")
    search = _record(monkeypatch, "local_search")
    milp = _record(monkeypatch, "pack_milp")
    r = pack(
        ABOVE_BOUNDS,
        100,
        method="milp",
        memory_mib=dict.fromkeys("abcd", 100.0),
        host_memory_mib=1000,
        anti_affinity=[("a", "b")],
        seed=7,
        time_limit_s=5.0,
        local_search_s=30.0,
        local_search_iters=3,
        jit=False,
    )
    assert (r.hosts_used, r.method, r.optimal) == (3, "milp", True)
    conflicts = [[1], [0], [], []]  # a <-> b, by position
    (kw,) = starts.calls
    assert kw["memory"].tolist() == [100.0] * 4 and kw["host_memory"] == 1000.0
    assert [c.tolist() for c in kw["conflicts"]] == conflicts
    assert kw["lower_bound_hosts"] == 2 and kw["improve"] is True and kw["jit"] is False
    assert len(search.calls) >= 1
    for kw in search.calls:  # each start's search
        assert kw["memory"].tolist() == [100.0] * 4 and kw["host_memory"] == 1000.0
        assert [c.tolist() for c in kw["conflicts"]] == conflicts
        assert (kw["lower_bound"], kw["time_limit_s"], kw["seed"], kw["max_iters"]) == (
            2,
            30.0,
            7,
            3,
        )
    (kw,) = milp.calls
    assert kw["memory"].tolist() == [100.0] * 4 and kw["host_memory"] == 1000.0
    assert [c.tolist() for c in kw["conflicts"]] == conflicts
    assert (kw["max_hosts"], kw["time_limit_s"]) == (3, 5.0)  # the heuristic's 3 hosts
    # without memory and pairs the stages get none
    starts.calls.clear()
    pack(ABOVE_BOUNDS, 100, method="heuristic", local_search_s=0, improve=False, jit=False)
    (kw,) = starts.calls
    assert kw["host_memory"] is None and kw["conflicts"] is None and kw["improve"] is False


def test_pool_repair_gets_the_bound_seed_and_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    # TWO_PER_HOST without the LP: bound 4, packing 5; the pool repair runs its 7 exchanges
    pool = _record(monkeypatch, "pool_search")
    r = pack(_one_step(TWO_PER_HOST), 100, lp=False, seed=7, pool_max_iters=7, local_search_iters=5)
    (kw,) = pool.calls
    assert (kw["lower_bound"], kw["seed"], kw["max_iters"]) == (4, 7, 7)
    assert r.search is not None and r.search.pool_iterations == 7


def test_default_search_iterations_after_the_pool(monkeypatch: pytest.MonkeyPatch) -> None:
    # default_iterations(9, 1) = 20,000,000 // (9 + 2,000) = 9,955 (2,009 × 9,955 = 19,999,595);
    # after the pool repair the search gets 15 % of it: int(1,493.25) = 1,493 (≥ 50)
    def no_search(_: int, matrix: np.ndarray, start: np.ndarray, cap: float, **kw: Any) -> Any:
        hosts = int(start.max()) + 1
        return start, SearchStats(hosts, hosts, int(kw["max_iters"]), 0.0, "iteration limit")

    search = _record(monkeypatch, "local_search", no_search)
    r = pack(_one_step(TWO_PER_HOST), 100, lp=False, pool_max_iters=7)
    assert [kw["max_iters"] for kw in search.calls] == [1493]
    assert r.search is not None and (r.search.iterations, r.search.pool_iterations) == (1493, 7)
    # two steps, no pool: the full default, 20,000,000 // (8 + 2,000) = 9,960 for each start
    search.calls.clear()
    pack(ABOVE_BOUNDS, 100, method="heuristic")
    assert {kw["max_iters"] for kw in search.calls} == {9960}


# --------------------------------------------------------------------------- the pool repair
def test_pool_repair_reaching_the_bound_is_the_search_record(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    demand = _one_step(POOL_13)
    # the constructions alone (no search, no pool): 6 hosts, as first-fit-decreasing by hand
    r0 = pack(demand, 100, method="heuristic", lp=False, local_search_s=0)
    assert (r0.hosts_used, r0.ffd_peak_hosts, r0.lower_bound, r0.search) == (6, 6, 5, None)
    # the pool repair closes the gap to the composite bound 5 (so no local search follows);
    # its wall time is read from the clock twice: 10 s, then 11.23456 s -> 1.235 s
    clock = iter([10.0, 11.23456])
    monkeypatch.setattr(solve, "time", SimpleNamespace(perf_counter=lambda: next(clock)))
    r = pack(demand, 100, method="heuristic", lp=False, pool_max_iters=50, local_search_iters=5)
    assert (r.hosts_used, r.lower_bound, r.gap_hosts, r.optimal) == (5, 5, 0, True)
    assert _fits(demand, r.assignment, 100)
    s = r.search
    assert s is not None
    assert (s.hosts_before, s.hosts_after, s.iterations, s.stopped) == (
        6,
        5,
        0,
        "lower bound reached",
    )
    assert s.seconds == 1.235 and isinstance(s.seconds, float)
    # it stopped at the bound, before its limit of 50 exchanges
    assert 1 <= s.pool_iterations < 50
    assert r.to_dict()["search_iterations"] == 0


def test_pool_runs_with_a_search_limit_below_one_second() -> None:
    # any positive local_search_s lets the pool and the search run (0 turns both off)
    r = pack(
        _one_step(TWO_PER_HOST),
        100,
        lp=False,
        pool_max_iters=7,
        local_search_iters=5,
        local_search_s=0.5,
    )
    assert r.search is not None and r.search.pool_iterations == 7
    r = pack(ABOVE_BOUNDS, 100, method="heuristic", local_search_iters=5, local_search_s=0.5)
    assert r.search is not None and r.search.hosts_before == 3


# --------------------------------------------------------------------------- starts and search
#: two steps; step sums 176 and 180 -> composite 2.  Two hosts: 41/52 + 44/37 = 85/89 and
#: 25/16 + 40/12 + 26/63 = 91/91.
TWO_HOSTS = [[25.0, 16.0], [40.0, 12.0], [41.0, 52.0], [44.0, 37.0], [26.0, 63.0]]
#: two steps; step sums 283 and 220 -> composite 3, reached by the heuristic only after its
#: improvement pass (the constructions alone need 4).
NEEDS_IMPROVE = [
    [36.0, 69.0],
    [16.0, 52.0],
    [35.0, 19.0],
    [64.0, 25.0],
    [56.0, 20.0],
    [36.0, 23.0],
    [40.0, 12.0],
]
#: two steps; step sums 262 and 261 -> composite 3, reached by the minimum-slack fill (the
#: classic constructions need 4).
NEEDS_MIN_SLACK = [
    [20.0, 69.0],
    [25.0, 10.0],
    [24.0, 38.0],
    [19.0, 54.0],
    [60.0, 23.0],
    [30.0, 14.0],
    [49.0, 40.0],
    [35.0, 13.0],
]


@pytest.mark.parametrize("rows", [TWO_HOSTS, NEEDS_IMPROVE, NEEDS_MIN_SLACK])
def test_the_best_start_is_kept_without_search(rows: list[list[float]]) -> None:
    demand = _frame(rows)
    composite = int(np.ceil(max(sum(r[0] for r in rows), sum(r[1] for r in rows)) / 100))
    r = pack(demand, 100, method="heuristic", local_search_s=0)
    assert r.hosts_used == r.lower_bound == composite and r.optimal
    assert _fits(demand, r.assignment, 100)


#: two steps: a 10/30, b 30/24, c 56/68, d 51/21, e 43/37.  Step sums 190, 180 -> bound 2.
#: c shares a host with neither d (107 at step 0) nor e (105 at step 1), and with a or b but not
#: both (122 at step 1); d+e (94/58) takes neither a (104) nor b (124): 3 hosts.  First fit by
#: peak (c 68, d 51, e 43, a 30, b 30): c; d new; e beside d; a beside c (66/98); b new ->
#: {a, c}, {b}, {d, e}.  The minimum-slack fill: {a}, {b, c}, {d, e} (3 hosts as well).
TIE = {
    "a": [10.0, 30.0],
    "b": [30.0, 24.0],
    "c": [56.0, 68.0],
    "d": [51.0, 21.0],
    "e": [43.0, 37.0],
}


def test_ties_keep_the_first_construction() -> None:
    demand = pd.DataFrame(TIE)
    # the search from each start cannot reach the bound 2: first fit by peak's packing is kept
    r = pack(demand, 100, method="heuristic", local_search_iters=10)
    assert (r.hosts_used, r.lower_bound, r.optimal) == (3, 2, False)
    assert _groups(r.assignment) == {frozenset("ac"), frozenset("b"), frozenset("de")}
    assert r.assignment == {"a": "host0", "c": "host0", "b": "host1", "d": "host2", "e": "host2"}
    assert r.search is not None and (r.search.hosts_before, r.search.hosts_after) == (3, 3)
    # without the search: the same packing
    r = pack(demand, 100, method="heuristic", local_search_s=0)
    assert _groups(r.assignment) == {frozenset("ac"), frozenset("b"), frozenset("de")}


#: two steps; step sums 286 and 259 -> composite 3; the constructions need 4, one search
#: move empties a host.
SEARCH_DROPS_ONE = [
    [35.0, 19.0],
    [31.0, 52.0],
    [21.0, 68.0],
    [58.0, 56.0],
    [40.0, 22.0],
    [62.0, 30.0],
    [39.0, 12.0],
]


def test_a_search_that_drops_a_host_is_kept() -> None:
    demand = _frame(SEARCH_DROPS_ONE)
    r0 = pack(demand, 100, method="heuristic", local_search_s=0)
    assert (r0.hosts_used, r0.lower_bound) == (4, 3)
    r = pack(demand, 100, method="heuristic", local_search_iters=20)
    assert (r.hosts_used, r.lower_bound, r.optimal) == (3, 3, True)
    assert _fits(demand, r.assignment, 100)
    assert r.search is not None and (r.search.hosts_before, r.search.hosts_after) == (4, 3)
    assert r.search.stopped == "lower bound reached"


def test_search_totals_over_the_starts(monkeypatch: pytest.MonkeyPatch) -> None:
    # ABOVE_BOUNDS: two starts (the classic construction, then the minimum-slack fill), neither
    # search can reach the bound 2.  The second search is made to report a 4-host packing in
    # 0.5 s (the first: its own 3-host result in 0.25 s): pack reports the first search's
    # hosts before, the iterations and seconds summed, the hosts of the packing kept (3)
    def reply(k: int, *args: Any, **kw: Any) -> Any:
        found, stats = solve_search(*args, **kw)
        if k == 0:
            return found, replace(stats, seconds=0.25)
        return np.arange(4), SearchStats(4, 4, stats.iterations, 0.5, "iteration limit")

    solve_search = solve.local_search
    search = _record(monkeypatch, "local_search", reply)
    r = pack(ABOVE_BOUNDS, 100, method="heuristic", local_search_iters=30)
    assert len(search.calls) == 2
    assert r.hosts_used == 3 and r.search is not None
    assert (r.search.hosts_before, r.search.hosts_after) == (3, 3)
    assert (r.search.iterations, r.search.seconds) == (60, 0.75)  # 30 + 30, 0.25 + 0.5
    assert r.search.pool_iterations == 0


# --------------------------------------------------------------------------- thresholds
def test_search_and_lp_up_to_the_small_instance_cells(monkeypatch: pytest.MonkeyPatch) -> None:
    # ABOVE_BOUNDS has 4 servers × 2 steps = 8 cells: at the limit the search and the LP bound
    # run, one cell below it neither does (LOCAL_SEARCH_LARGE_S = 0: off)
    monkeypatch.setattr(solve, "SMALL_INSTANCE_CELLS", 8)
    r = pack(ABOVE_BOUNDS, 100, method="heuristic", local_search_iters=5)
    assert r.search is not None and r.bounds["lp"] == 2
    monkeypatch.setattr(solve, "SMALL_INSTANCE_CELLS", 7)
    r = pack(ABOVE_BOUNDS, 100, method="heuristic", local_search_iters=5)
    assert r.search is None and "lp" not in r.bounds and r.hosts_used == 3


def test_auto_runs_the_milp_up_to_milp_max_items() -> None:
    # 4 servers, milp_max_items = 4: the MILP runs and proves 3 (3 items: heuristic only)
    r = pack(ABOVE_BOUNDS, 100, milp_max_items=4, local_search_s=0)
    assert (r.method, r.bound, r.lower_bound, r.optimal) == ("milp", "milp", 3, True)
    r = pack(ABOVE_BOUNDS, 100, milp_max_items=3, local_search_s=0)
    assert (r.method, r.bound, r.lower_bound, r.optimal) == ("heuristic", "composite", 2, False)


def test_milp_at_the_bound_adds_no_milp_bound() -> None:
    # every step sums 120 -> composite 2, and 2 hosts fit (a+c 80/70, b 40/50 ...): the MILP,
    # forced, finds 2 = the composite bound, which stays the named bound
    demand = pd.DataFrame({"a": [50.0, 40.0], "b": [40.0, 50.0], "c": [30.0, 30.0]})
    r = pack(demand, 100, method="milp")
    assert (r.hosts_used, r.method, r.optimal, r.bound, r.lower_bound) == (
        2,
        "milp",
        True,
        "composite",
        2,
    )
    assert "milp" not in r.bounds


def test_milp_without_a_solution_keeps_the_heuristic(monkeypatch: pytest.MonkeyPatch) -> None:
    # HiGHS found nothing within its limit (pack_milp returns None): the heuristic's 3 hosts
    milp = _record(monkeypatch, "pack_milp", lambda *a, **k: (None, False))
    r = pack(ABOVE_BOUNDS, 100, method="milp", local_search_s=0)
    assert len(milp.calls) == 1
    assert (r.hosts_used, r.method, r.optimal, r.bound, r.lower_bound) == (
        3,
        "heuristic",
        False,
        "composite",
        2,
    )


# --------------------------------------------------------------------------- bounds (issue 27 §2 b)
#: step 0: three bigs 67, 73, 69 (no small fits beside one: 67 + 37 = 104) and nine smalls of
#: 37..47 (no three fit: 37 + 41 + 42 = 120) -> 3 + ⌈9 / 2⌉ = 8 hosts.  Σ = 595 -> composite 6;
#: L2 at α = 37: J1 = the three bigs, J3 = the nine smalls (386) -> 3 + ⌈3.86⌉ = 7; the LP:
#: 3 + 9/2 = 7.5 -> 8.  Step 1: twelve 50s (Σ 600, the peak step): composite, L2 and LP 6.
#: Clique: the bigs and one small (every small pair fits: ≤ 94, and 50 + 50 = 100) -> 4.
LP_AT_THE_L2_STEP = np.array(
    [
        [67.0, 73.0, 69.0, 42.0, 44.0, 42.0, 45.0, 45.0, 43.0, 41.0, 37.0, 47.0],
        [50.0] * 12,
    ]
).T


def test_lp_bound_at_the_l2_step_not_the_peak_step() -> None:
    from colonykit.packing.bounds import lower_bound, lp_bound, with_lp_bound

    m = LP_AT_THE_L2_STEP
    lb = lower_bound(m, 100)
    assert (int(lb), lb.bound, lb.step) == (7, "l2", 0)
    assert (lb.bounds["composite"], lb.bounds["clique"]) == (6, 4)
    assert (lp_bound(m[:, 0], 100), lp_bound(m[:, 1], 100)) == (8, 6)
    for used in (None, 8, 9):
        got = with_lp_bound(lb, m, 100, hosts_used=used)
        assert (int(got), got.bound, got.step, got.bounds["lp"], got.bounds["l2"]) == (
            8,
            "lp",
            0,
            8,
            7,
        )
        assert got.gap_hosts == (None if used is None else used - 8)


def test_lp_bound_skips_a_step_with_too_many_sizes(monkeypatch: pytest.MonkeyPatch) -> None:
    from colonykit.packing import bounds
    from colonykit.packing.bounds import lower_bound, with_lp_bound

    # at most 5 distinct sizes per LP: the L2 step (10 distinct sizes) is skipped, the peak step
    # (one size, 50) still runs: its LP, 6 (two 50s per host), cannot beat the L2 bound 7 it
    # is given as its floor, so bounds["lp"] = 7 (0 if no step ran)
    monkeypatch.setattr(bounds, "LP_MAX_ITEMS", 5)
    m = LP_AT_THE_L2_STEP
    got = with_lp_bound(lower_bound(m, 100), m, 100)
    assert (int(got), got.bound, got.step, got.bounds["lp"]) == (7, "l2", 0, 7)


#: float32 demand on hosts of 1.0: three 0.7s (no small fits beside one: room 0.3 < 0.31)
#: and 27 smalls of 0.31..0.5 whose exact (float64, math.fsum) sum is 11.00000003 — above
#: 11 by more than the capacity tolerance (11 × 1e-9) -> the smalls need 12 hosts: L2 = 3 + 12 = 15;
#: composite ⌈13.10000000 / 1⌉ = 14.  (Summed in float32 the smalls make exactly 11.0.)
F32_SMALLS = [
    0.3612595, 0.31778497, 0.31314024, 0.46452135, 0.48342356, 0.4252608, 0.44860435,
    0.41328874, 0.48766375, 0.46501216, 0.31052032, 0.4729068, 0.31638125, 0.44863454,
    0.34337458, 0.474004, 0.41287762, 0.36694527, 0.3903106, 0.31538075, 0.3336138,
    0.43741864, 0.432966, 0.4269232, 0.38289875, 0.49946988, 0.45541465,
]  # fmt: skip


def test_bounds_of_float32_demand_are_summed_in_float64() -> None:
    import math

    from colonykit.packing.bounds import lower_bound

    smalls = np.array(F32_SMALLS, dtype=np.float32)
    assert math.fsum(smalls.astype(np.float64)) > 11 * (1 + 2e-9)
    m = np.concatenate([np.full(3, 0.7, dtype=np.float32), smalls])[:, None]
    lb = lower_bound(m, 1.0)
    assert (lb.bounds["composite"], lb.bounds["l2"], int(lb), lb.bound) == (14, 15, 15, "l2")
    # one host of 1.0 and fifty 1e-9s: Σ = 1.00000005 (float64) -> 2 hosts; float32 gives 1.0
    m = np.array([[1.0]] + [[1e-9]] * 50, dtype=np.float32)
    assert lower_bound(m, 1.0).bounds["composite"] == 2


#: one step of the LP instance of tests/test_packing_pinned.py (LP_SIZES)
LP_SIZES_STEP = [60.0, 50.0, 40.0, 30.0, 30.0, 30.0, 30.0, 30.0]


def test_lp_bound_runs_at_the_exact_peak_step_of_float32_demand() -> None:
    from colonykit.packing.bounds import lower_bound, with_lp_bound

    # float32, 8 servers.  Step 1: 60, 50, 40 and five 30s (Σ 300; the LP needs 4 hosts, see
    # tests/test_packing_pinned.py).  Step 0: five 50s and float32(49.99999) = 49.9999886
    # (Σ 299.9999886 < 300; two per host: LP 3).  Composite ⌈300 / 100⌉ = 3 = L2 (one item
    # above 50): the LP runs at the peak step only, step 1 -> 4.  (Summed in float32 both
    # steps make 300.0 and the first, step 0, would be taken.)
    m = np.array(
        [[50.0, 50.0, 50.0, 50.0, 50.0, 49.99999, 0.0, 0.0], LP_SIZES_STEP], dtype=np.float32
    ).T
    lb = lower_bound(m, 100)
    assert (int(lb), lb.bound) == (3, "composite")
    got = with_lp_bound(lb, m, 100)
    assert (int(got), got.bound, got.step, got.bounds["lp"]) == (4, "lp", 1, 4)
