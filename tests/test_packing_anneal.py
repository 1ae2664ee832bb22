"""The anneal at a fixed host count (:mod:`colonykit.packing.anneal`, issue 26)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from helpers import diurnal_demand
from hypothesis import given, settings
from hypothesis import strategies as st

from colonykit import packing
from colonykit.packing import _anneal_kernel, anneal
from colonykit.packing.problem import CAPACITY_RTOL


def _instance(seed: int, n: int, steps: int) -> tuple[np.ndarray, float]:
    rng = np.random.default_rng(seed)
    m = np.round(rng.gamma(1.5, 10.0, (n, steps)), int(rng.integers(0, 2)))  # ties included
    cap = float(max(m.max(), 1.0) * rng.uniform(1.2, 3.0))
    return m, cap


def _objective(m: np.ndarray, host_of: np.ndarray, hosts: int, cap: float) -> float:
    """Σ_k Σ_t max(0, load_k(t) − C), loads summed from scratch (a second method)."""
    loads = np.zeros((hosts, m.shape[1]))
    for i, k in enumerate(host_of):
        loads[k] += m[i]
    return float(np.clip(loads - cap, 0, None).sum())


def test_xorshift32_gives_marsaglias_published_first_number() -> None:
    # Marsaglia (2003), "Xorshift RNGs", J. Stat. Softw. 8(14), p. 4: xor32 from
    # y = 2463534242 returns 723471715 first (shifts 13, 17, 5).
    assert _anneal_kernel.xorshift32(2463534242) == 723471715
    # by hand: 1 ^ (1 << 13) = 8193; 8193 >> 17 = 0; 8193 ^ (8193 << 5) = 270369
    assert _anneal_kernel.xorshift32(1) == 270369


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10_000), st.integers(3, 14), st.integers(1, 12), st.integers(2, 4))
def test_every_move_keeps_the_objective_equal_to_a_plain_recomputation(
    seed: int, n: int, steps: int, hosts: int
) -> None:
    # the kernel's least overload after k moves (its incremental per-host deltas, re-summed)
    # equals the least of the objective recomputed from scratch on the states after 0 … k
    # moves (the kernel with k moves is the prefix of the one with k + 1: same draws)
    m, cap = _instance(seed, n, steps)
    cap *= 0.6  # overloaded starts
    start = np.arange(n) % hosts
    seen = [_objective(m, start, hosts, cap)]
    for k in range(1, 25):
        state = start.copy()
        _, least, used = _anneal_kernel.anneal_hosts(
            m, state, hosts, cap, k, 10, 0.5 * cap, 0.01 * cap, seed, 0.8, 0.5
        )
        seen.append(_objective(m, state, hosts, cap))
        assert least == pytest.approx(min(seen[: used + 1]), rel=1e-9, abs=1e-9)
        if used < k:  # stopped: no host overloaded
            assert seen[-1] == 0.0 and least == 0.0
            break


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10_000), st.integers(2, 30), st.integers(1, 20), st.integers(2, 6))
def test_compiled_and_plain_kernels_make_the_same_moves(
    seed: int, n: int, steps: int, hosts: int
) -> None:
    jit = pytest.importorskip("colonykit.packing._anneal_jit")
    m, cap = _instance(seed, n, steps)
    start = np.random.default_rng(seed).integers(0, hosts, n)
    args = (hosts, cap * 0.7, 400, 60, 0.3 * cap, 0.001 * cap, seed, 0.8, 0.5)
    plain_state, compiled_state = start.copy(), start.copy()
    plain = _anneal_kernel.anneal_hosts(m, plain_state, *args)
    compiled = jit.anneal_hosts(m, compiled_state, *args)
    assert plain[0].tolist() == compiled[0].tolist()
    assert float(plain[1]) == float(compiled[1]) and plain[2] == compiled[2]
    assert plain_state.tolist() == compiled_state.tolist()


def test_spread_puts_each_item_where_it_adds_least_overload() -> None:
    # host loads: h0 = [5, 5] (item 0), h1 = [9, 1] (item 1), h2 = [1, 1] (items 2, 3: the
    # least summed load, emptied).  Item 2 ([1, 0], peak 1) first (stable on equal peaks),
    # then item 3 ([0, 1]).  Capacity 9.5: item 2 on h0 adds 0 (6 ≤ 9.5), on h1 0.5 → h0;
    # item 3 on h0 ([6, 6]) adds 0, on h1 ([9, 2]) 0 → h0 (lowest index on ties).
    m = np.array([[5.0, 5.0], [9.0, 1.0], [1.0, 0.0], [0.0, 1.0]])
    out = anneal._spread(m, np.array([0, 1, 2, 2]), 9.5, 3)
    assert out.tolist() == [0, 1, 0, 0]
    # capacity 5.5: item 2 on h0 → [6, 5] adds 0.5, on h1 → [10, 1] adds 0.5 + 0 … h1 is
    # already 3.5 over at step 0: adding 1 there adds 1.0 → h0 (0.5); item 3 on h0 ([6, 6])
    # adds 0.5, on h1 ([9, 2]) 0 → h1
    out = anneal._spread(m, np.array([0, 1, 2, 2]), 5.5, 3)
    assert out.tolist() == [0, 1, 0, 1]


def test_default_moves_are_a_fixed_work_per_instance_shape() -> None:
    per_item, work = anneal.ANNEAL_MOVES_PER_ITEM, anneal.ANNEAL_WORK_CELLS
    assert anneal.default_anneal_moves(10, 1) == 10 * per_item  # below the work cap
    assert anneal.default_anneal_moves(10**6, 2016) == work // 2016  # the work cap
    assert anneal.default_anneal_moves(1052, 288) == min(1052 * per_item, work // 288)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10_000), st.integers(2, 24), st.integers(1, 10), st.integers(0, 3))
def test_anneal_search_returns_a_feasible_packing_never_larger(
    seed: int, n: int, steps: int, bound: int
) -> None:
    m, cap = _instance(seed, n, steps)
    start = np.arange(n)  # one host per item: feasible (each peak fits)
    best, stats = anneal.anneal_search(
        m, start, cap, lower_bound=bound, seed=seed, max_moves=2_000, jit=False
    )
    hosts = int(best.max()) + 1
    assert sorted(set(best.tolist())) == list(range(hosts))  # consecutive, every item placed
    loads = np.zeros((hosts, steps))
    np.add.at(loads, best, m)
    assert (loads <= cap * (1 + CAPACITY_RTOL)).all()
    assert stats.hosts_before == n and stats.hosts_after == hosts
    assert min(max(bound, 1), n) <= hosts <= n  # stops at the bound, never above the start
    assert hosts >= int(np.ceil(m.sum(axis=0).max() / cap - 1e-9))  # composite bound
    assert 0 <= stats.moves <= 2_000


def test_anneal_search_is_deterministic_for_a_seed() -> None:
    m, cap = _instance(5, 40, 12)
    start = np.arange(40)
    a = anneal.anneal_search(m, start, cap, seed=3, max_moves=3_000, jit=False)
    b = anneal.anneal_search(m, start, cap, seed=3, max_moves=3_000, jit=False)
    assert a[0].tolist() == b[0].tolist() and a[1] == b[1]


def _loads_from(result: packing.PackingResult, demand: pd.DataFrame) -> np.ndarray:
    hosts = sorted(set(result.assignment.values()))
    loads = np.zeros((len(hosts), len(demand)))
    for server, host in result.assignment.items():
        loads[hosts.index(host)] += demand[server].to_numpy()
    return loads


def test_pack_anneals_a_time_series_packing_down_to_the_composite_bound() -> None:
    pytest.importorskip("numba")
    demand = diurnal_demand(31, 40, 12)  # a short local search leaves it one host above the bound
    composite = int(np.ceil(demand.sum(axis=1).max() / 100.0))  # by hand: the summed peak
    off = packing.pack(demand, 100.0, method="heuristic", local_search_iters=5, anneal_moves=0)
    on = packing.pack(demand, 100.0, method="heuristic", local_search_iters=5)
    assert off.anneal is None and off.hosts_used == composite + 1
    assert on.anneal is not None and on.anneal.hosts_before == off.hosts_used
    assert on.hosts_used == on.anneal.hosts_after == on.lower_bound == composite
    assert (_loads_from(on, demand) <= 100.0 * (1 + CAPACITY_RTOL)).all()
    again = packing.pack(demand, 100.0, method="heuristic", local_search_iters=5)
    assert again.assignment == on.assignment  # same seed, same packing


@settings(max_examples=8, deadline=None)
@given(st.integers(0, 10_000))
def test_pack_with_the_anneal_is_feasible_and_never_worse(seed: int) -> None:
    pytest.importorskip("numba")
    demand = diurnal_demand(seed, 30, 8)
    kw: dict[str, Any] = {"method": "heuristic", "local_search_iters": 3}
    off = packing.pack(demand, 100.0, anneal_moves=0, **kw)
    on = packing.pack(demand, 100.0, anneal_moves=50_000, **kw)
    assert on.lower_bound <= on.hosts_used <= off.hosts_used
    assert (_loads_from(on, demand) <= 100.0 * (1 + CAPACITY_RTOL)).all()
    assert (on.anneal is None) == (off.hosts_used == off.lower_bound)


def test_pack_skips_the_anneal_on_one_step_and_memory_instances_and_without_jit() -> None:
    demand = diurnal_demand(31, 40, 12)
    kw: dict[str, Any] = {"method": "heuristic", "local_search_iters": 5}
    assert packing.pack(demand, 100.0, jit=False, **kw).anneal is None
    one_step = demand.iloc[[3]]
    assert packing.pack(one_step, 100.0, **kw).anneal is None
    memory = dict.fromkeys(demand.columns, 1.0)
    assert packing.pack(demand, 100.0, memory_mib=memory, host_memory_mib=1e6, **kw).anneal is None


def test_pack_skips_the_anneal_above_the_small_instance_size(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # the 10,000 × 8,640 benchmark (8.6·10⁷ cells) is above SMALL_INSTANCE_CELLS: no anneal
    pytest.importorskip("numba")
    from colonykit.packing import solve

    demand = diurnal_demand(31, 40, 12)
    kw: dict[str, Any] = {"method": "heuristic", "local_search_iters": 5}
    assert packing.pack(demand, 100.0, **kw).anneal is not None
    monkeypatch.setattr(solve, "SMALL_INSTANCE_CELLS", demand.size - 1)
    assert packing.pack(demand, 100.0, **kw).anneal is None


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 10_000), st.integers(4, 20), st.integers(2, 10))
def test_anneal_search_does_not_depend_on_the_order_of_the_steps(
    seed: int, n: int, steps: int
) -> None:
    # whole-number demand: every sum is exact, and the search reads the steps in decreasing
    # order of summed demand (stable), so shuffled columns give the same packing
    m, cap = _instance(seed, n, steps)
    m = np.round(m)
    shuffled = m[:, np.random.default_rng(seed).permutation(steps)]
    total = m.sum(axis=0)
    if len(set(total.tolist())) < steps:  # equal sums: the stable order may differ
        return
    a = anneal.anneal_search(m, np.arange(n), cap, seed=seed, max_moves=1_500, jit=False)
    b = anneal.anneal_search(shuffled, np.arange(n), cap, seed=seed, max_moves=1_500, jit=False)
    assert a[0].tolist() == b[0].tolist() and a[1] == b[1]


@pytest.mark.parametrize("moves", [-1, 2.5, "many", True])
def test_pack_refuses_a_bad_anneal_budget(moves: object) -> None:
    demand = pd.DataFrame({"a": [50.0, 50.0], "b": [50.0, 10.0]})
    with pytest.raises(ValueError, match=r"'anneal_moves' must be an integer >= 0 \(0 = off\)"):
        packing.pack(demand, 100.0, anneal_moves=moves)  # type: ignore[arg-type]
