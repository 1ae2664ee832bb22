"""Issue 26: the LP bound, the minimum-slack fill, deterministic search, BPPLIB's optima."""

from __future__ import annotations

import csv
import itertools
import os
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from colonykit import packing
from colonykit.packing.bounds import l2_bound, lower_bound, lp_bound, with_lp_bound
from colonykit.packing.ffd import first_fit_decreasing
from colonykit.packing.fill import min_slack_fill
from colonykit.packing.milp import pack_milp

BPPLIB = Path(__file__).resolve().parent / "data" / "bpplib"


def _brute_force_bins(sizes: list[int], capacity: int) -> int:
    """Fewest bins by trying every assignment (tiny instances only): an independent optimum."""
    n = len(sizes)
    for m in range(1, n + 1):
        for assign in itertools.product(range(m), repeat=n):
            if assign[0] != 0:
                continue
            loads = [0] * m
            for s, b in zip(sizes, assign, strict=True):
                loads[b] += s
            if max(loads) <= capacity:
                return m
    return n


def test_lp_bound_by_hand() -> None:
    # 60 + 50 + 40 + 5 × 30 = 300 = 3 full bins by volume, and L2 says 3; but the 50 can only
    # be beside 40 (90) or 30 (80) — never a full bin — so 3 bins are impossible: optimum 4
    sizes = [60, 50, 40, 30, 30, 30, 30, 30]
    assert l2_bound(sizes, 100) == 3
    assert _brute_force_bins(sizes, 100) == 4
    assert lp_bound(sizes, 100) == 4
    r = packing.pack(np.array(sizes, float)[None, :], 100)
    assert (r.hosts_used, r.lower_bound, r.bound, r.gap_hosts) == (4, 4, "lp", 0)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(1, 100), min_size=1, max_size=7), st.integers(100, 160))
def test_lp_bound_never_above_the_optimum_1d(sizes: list[int], capacity: int) -> None:
    opt = _brute_force_bins(sizes, capacity)
    assert l2_bound(sizes, capacity) <= lp_bound(sizes, capacity) <= opt


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000), st.integers(1, 3))
def test_bound_never_above_the_milp_optimum(seed: int, steps: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 8))
    m = np.round(rng.uniform(5, 70, (n, steps)), 1)
    cap = 100.0
    host_of, proved = pack_milp(m, cap)
    assert host_of is not None and proved
    opt = int(host_of.max()) + 1
    lb = with_lp_bound(lower_bound(m, cap), m, cap)
    assert int(lb) <= opt
    assert lb.bounds.get("lp", 0) <= opt


@settings(max_examples=60, deadline=None)
@given(
    st.integers(0, 10_000),
    st.integers(1, 12),
    st.booleans(),
    st.booleans(),
    st.sampled_from([np.float32, np.float64]),
)
def test_min_slack_fill_is_feasible_at_every_step(
    seed: int, steps: int, with_memory: bool, with_conflicts: bool, dtype: type
) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 40))
    m = np.round(rng.gamma(1.5, 10.0, (n, steps)), int(rng.integers(0, 2))).astype(dtype)
    cap = float(max(m.max(), 1.0) * rng.uniform(1.0, 3.0))
    memory = np.round(rng.uniform(0, 8, n)) if with_memory else None
    host_memory = float(max(memory.max(), 1.0) * 2.5) if memory is not None else None
    conflicts = None
    if with_conflicts:
        pairs = rng.integers(0, n, (n // 2, 2))
        pairs = pairs[pairs[:, 0] != pairs[:, 1]]
        conflicts = [
            np.unique(np.concatenate([pairs[pairs[:, 0] == i, 1], pairs[pairs[:, 1] == i, 0]]))
            for i in range(n)
        ]
    host_of = min_slack_fill(
        m, cap, memory=memory, host_memory=host_memory, conflicts=conflicts, max_nodes=50
    )
    assert (host_of >= 0).all()
    hosts = int(host_of.max()) + 1
    assert sorted(set(host_of.tolist())) == list(range(hosts))
    tol = 1 + packing.CAPACITY_RTOL
    for k in range(hosts):
        members = np.flatnonzero(host_of == k)
        assert (m[members].sum(axis=0, dtype=np.float64) <= cap * tol).all()
        if memory is not None and host_memory is not None:
            assert memory[members].sum() <= host_memory * tol
        if conflicts is not None:
            for i in members:
                assert not np.isin(conflicts[i], members).any()
    # not asserted: "never more hosts than first-fit-decreasing" — hypothesis found a one-step
    # case (seed 1885) where the fill, its subset search cut at max_nodes, takes 7 hosts to
    # FFD's 6; pack() starts its search from both constructions and keeps the better one


def test_min_slack_fill_one_step_is_mbs_prime() -> None:
    # MBS' by hand: 70 opens host 0, the best subset of {60, 30, 20, 20, 10} beside it is
    # 30 (slack 0); 60 opens host 1 with 20 + 20 (slack 0); 10 is left for host 2
    m = np.array([[70.0], [60.0], [30.0], [20.0], [20.0], [10.0]])
    assert min_slack_fill(m, 100).tolist() == [0, 1, 0, 1, 1, 2]


def test_first_fit_decreasing_is_storages() -> None:
    from colonykit import storage

    sizes = [3000, 8000, 3000, 10_016, 1, 5000, 5016]
    cap = storage.usable_cyl("3390-9")
    expected = first_fit_decreasing(sizes, float(cap), rtol=0.0)
    assert storage.allocate_minidisks(sizes, "3390-9").tolist() == expected.tolist()
    # by hand (10,016 usable): 10,016 fills volume 0; 8,000 opens 1 (2,016 left); 5,016 opens 2
    # and 5,000 fills it; both 3,000s open 3 (2,016 too small on 1); 1 goes to 1
    assert expected.tolist() == [3, 1, 3, 0, 1, 2, 2]


def test_search_is_deterministic_and_limited_by_iterations() -> None:
    rng = np.random.default_rng(5)
    sizes = np.round(rng.uniform(20, 100, 120))[None, :]
    a = packing.pack(sizes, 150, lp=False)
    b = packing.pack(sizes, 150, lp=False, local_search_s=3600.0)
    assert a.assignment == b.assignment
    if a.search is not None:
        assert a.search.iterations == b.search.iterations
        assert a.search.iterations <= packing.default_iterations(120, 1) * 2  # two starts at most
        assert a.search.stopped != "time limit"


def _best_known() -> dict[str, int]:
    with (BPPLIB / "best_known.csv").open(newline="") as fh:
        return {row["name"]: int(row["best_ub"]) for row in csv.DictReader(fh)}


@pytest.mark.parametrize(
    "path",
    [
        "Scholl_1/N1C1W1_A.txt",
        "Scholl_1/N2C1W1_A.txt",
        "Scholl_1/N3C3W2_E.txt",
        "Scholl_2/N1W1B1R0.txt",
        "Scholl_2/N2W3B1R0.txt",
        "Scholl_2/N4W1B1R0.txt",  # 3 servers a host, sizes within ±20 %: the pool repair closes it
        "Scholl_2/N4W2B1R6.txt",
        "Schwerin_1/Schwerin1_BPP39.txt",
        "Schwerin_2/Schwerin2_BPP13.txt",
    ],
)
def test_bpplib_sample_reaches_the_published_optimum(path: str) -> None:
    file = Path(os.environ.get("COLONYKIT_BPPLIB_DIR", BPPLIB)) / path
    if not file.is_file():  # the instances are CC BY-NC-ND: not redistributed in this repository
        pytest.skip("BPPLIB instances are outside the repository (set COLONYKIT_BPPLIB_DIR)")
    values = [int(v) for v in file.read_text().split()]
    sizes = np.asarray(values[2 : 2 + values[0]], dtype=float)
    r = packing.pack(sizes[None, :], float(values[1]))
    best = _best_known()[file.stem]
    assert r.hosts_used == best
    assert r.lower_bound == best  # and colonykit's own bound proves it
