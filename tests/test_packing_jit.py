"""The compiled placement loop (numba, the ``fast`` extra) makes the numpy loop's decisions."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Literal

import numpy as np
import pytest
from helpers import naive_construct
from hypothesis import given, settings
from hypothesis import strategies as st

from colonykit import packing
from colonykit._optional import MissingOptionalDependency
from colonykit.packing import construct

pytest.importorskip("numba")  # the test extra installs it; a core-only venv skips cleanly


def _instance(seed: int, steps: int, dtype: type) -> tuple[np.ndarray, float]:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 40))
    m = np.round(rng.gamma(1.5, 10.0, (n, steps)), int(rng.integers(0, 2)))  # ties included
    cap = float(max(m.max(), 1.0) * rng.uniform(1.0, 3.0))
    return m.astype(dtype), cap


@settings(max_examples=120, deadline=None)
@given(
    st.integers(0, 10_000),
    st.sampled_from(["first", "balance"]),
    st.integers(1, 90),
    st.integers(0, 3),
    st.sampled_from([1, 3, 8, 32]),
    st.sampled_from([1, 3, 8]),
    st.booleans(),
    st.booleans(),
    st.sampled_from([np.float32, np.float64]),
)
def test_compiled_construction_makes_the_same_decisions_and_state(
    seed: int,
    rule: Literal["first", "balance"],
    steps: int,
    start: int,
    width: int,
    tight_blocks: int,
    with_memory: bool,
    with_conflicts: bool,
    dtype: type,
) -> None:
    m, cap = _instance(seed, steps, dtype)
    n = m.shape[0]
    rng = np.random.default_rng(seed + 1)
    memory = np.round(rng.uniform(0, 8, n)) if with_memory else np.zeros(n)
    host_memory = float(max(memory.max(), 1.0) * 2.5) if with_memory else np.inf
    conflicts = None
    if with_conflicts:
        pairs = rng.integers(0, n, (n // 2, 2))
        pairs = pairs[pairs[:, 0] != pairs[:, 1]]
        conflicts = [
            np.unique(np.concatenate([pairs[pairs[:, 0] == i, 1], pairs[pairs[:, 1] == i, 0]]))
            for i in range(n)
        ]
    order = np.argsort(-m.max(axis=1), kind="stable")
    saved = (construct.SCREEN_BLOCK_STEPS, construct.SCREEN_TIGHT_BLOCKS)
    try:
        construct.SCREEN_BLOCK_STEPS, construct.SCREEN_TIGHT_BLOCKS = width, tight_blocks
        runs = {
            jit: construct._construct(
                m,
                order,
                cap,
                start_hosts=start,
                rule=rule,
                memory=memory,
                host_memory=host_memory,
                conflicts=conflicts,
                jit=jit,
            )
            for jit in (False, True)
        }
    finally:
        construct.SCREEN_BLOCK_STEPS, construct.SCREEN_TIGHT_BLOCKS = saved
    (plain, h0), (compiled, h1) = runs[False], runs[True]
    expected = naive_construct(m, order, cap, start, rule, memory, host_memory, conflicts)
    assert plain.tolist() == expected.tolist()
    assert compiled.tolist() == expected.tolist()
    c = h0.count
    assert h1.count == c
    # the state the improvement pass reads next is the numpy loop's (bit for bit)
    for name in ("slack", "smin", "at", "mem"):
        np.testing.assert_array_equal(getattr(h1, name)[:c], getattr(h0, name)[:c], err_msg=name)
    # tight blocks: a set of the least-slack blocks (ties may pick other blocks of equal slack)
    np.testing.assert_array_equal(
        np.sort(h1.tight_slack[:c], axis=1), np.sort(h0.tight_slack[:c], axis=1)
    )
    rows = np.arange(c)[:, None]
    flat = h1.slack[:c].reshape(c, -1)
    np.testing.assert_array_equal(flat[rows, h1.tight_at[:c]], h1.tight_slack[:c])


def test_pack_is_the_same_compiled_on_the_bundled_bitbrains_traces(data_dir: Path) -> None:
    from colonykit.ingest import read_traces

    wide, _ = read_traces(data_dir / "traces" / "bitbrains_rnd_50vm_7d.csv.gz")
    cap = float(wide.sum(axis=1).max() / 3.2)  # a bound of 4 hosts: several hosts to choose from
    cap = max(cap, float(wide.max().max()))
    a = packing.pack(wide, cap, method="heuristic", jit=False, local_search_s=0)
    b = packing.pack(wide, cap, method="heuristic", jit=True, local_search_s=0)
    assert a.assignment == b.assignment
    assert b.hosts_used >= b.lower_bound


def test_auto_uses_the_compiled_loop_only_on_large_instances(monkeypatch) -> None:
    calls: list[tuple[int, bool]] = []
    real = construct._construct_kernel

    def spy(matrix, *args):  # type: ignore[no-untyped-def]
        calls.append((matrix.size, args[-1]))
        return real(matrix, *args)

    monkeypatch.setattr(construct, "_construct_kernel", spy)
    rng = np.random.default_rng(3)
    small = rng.gamma(2.0, 5.0, (20, 50))
    packing.pack_heuristic(small, 100.0)
    assert calls and {c for _, c in calls} == {False}
    calls.clear()
    monkeypatch.setattr(construct, "JIT_MIN_CELLS", small.size)
    packing.pack_heuristic(small, 100.0)
    assert calls and set(calls) == {(small.size, True)}


def test_compiled_and_plain_paths_run_one_kernel_source(monkeypatch) -> None:
    # issue 27 §4: numba compiles the plain kernel itself (no second copy of the decisions),
    # and the plain path calls that same kernel, its per-item decision and state update
    from colonykit.packing import _jit, _kernel

    assert _jit.fill.py_func is _kernel.fill
    seen: dict[str, int] = {"decide": 0, "add": 0}
    for name in seen:
        real = getattr(_kernel, name)

        def spy(*args, _real=real, _name=name):  # type: ignore[no-untyped-def]
            seen[_name] += 1
            return _real(*args)

        monkeypatch.setattr(_kernel, name, spy)
    m = np.array([[3.0, 1.0], [1.0, 3.0], [2.0, 2.0]])
    host_of, hosts = construct._construct(
        m,
        np.arange(3),
        4.0,
        start_hosts=1,
        rule="balance",
        memory=np.zeros(3),
        host_memory=np.inf,
        conflicts=None,
    )
    # by hand: 0 and 1 share host 0 (4, 4); 2 does not fit there and opens host 1
    assert host_of.tolist() == [0, 0, 1]
    assert hosts.count == 2
    assert seen == {"decide": 3, "add": 3}  # every item decided, every placement through add


@settings(max_examples=60, deadline=None)
@given(
    st.integers(0, 10_000),
    st.integers(1, 12),
    st.integers(1, 9),
    st.sampled_from([np.float32, np.float64]),
)
def test_kernel_reductions_agree_plain_and_compiled(
    seed: int, rows: int, width: int, dtype: type
) -> None:
    # the five reductions with a loop form for numba: same values (and first positions)
    import numba

    from colonykit.packing import _jit, _kernel

    rng = np.random.default_rng(seed)
    slack = np.round(rng.uniform(-5, 5, (rows, width)), 1)  # ties included
    x = np.round(rng.uniform(0, 3, rows * width), 1).astype(dtype)
    at = rng.integers(0, x.size, (rows, min(width, 3)))
    blocks = np.unique(rng.integers(0, rows, rng.integers(1, rows + 1)))
    x3 = x.reshape(rows, width)
    assert _jit is not None  # registers the loop forms

    s3 = slack.reshape(1, rows, width)  # one host: cell index = block index

    def calls(s, xx, a, x33, b):  # type: ignore[no-untyped-def]
        return (
            _kernel.min_at(s[:, : a.shape[1]].copy(), xx, a),
            _kernel.min_in_blocks(s, x33, b),
            _kernel.block_min(s),
            _kernel.least(s[0].copy(), 3),
            _kernel.cell_min(s3, b, x33, b),
        )

    plain = calls(slack, x, at, x3, blocks)
    compiled = numba.njit(calls)(slack, x, at, x3, blocks)
    np.testing.assert_array_equal(compiled[0], plain[0])
    assert compiled[1] == plain[1]
    np.testing.assert_array_equal(compiled[2][0], plain[2][0])
    np.testing.assert_array_equal(compiled[2][1], plain[2][1])
    np.testing.assert_array_equal(compiled[3], plain[3])
    np.testing.assert_array_equal(compiled[4], plain[4])
    assert plain[4].tolist() == [
        min(float(slack[b, t]) - float(x3[b, t]) for t in range(width)) for b in blocks
    ]
    # independently: the stable order of the first row's values, by Python's sort
    assert plain[3].tolist() == sorted(range(width), key=lambda j: float(slack[0, j]))[:3]
    # independently: the minima of the differences, by hand over Python floats
    assert plain[0].tolist() == [
        min(float(slack[r, j]) - float(x[at[r, j]]) for j in range(at.shape[1]))
        for r in range(rows)
    ]
    assert plain[1] == min(
        float(slack[b, t]) - float(x3[b, t]) for b in blocks for t in range(width)
    )


def test_jit_true_without_numba_names_the_extra(monkeypatch) -> None:
    monkeypatch.delitem(sys.modules, "colonykit.packing._jit", raising=False)
    monkeypatch.setitem(sys.modules, "numba", None)
    assert not packing.jit_available()
    with pytest.raises(MissingOptionalDependency, match=r"colonykit\[fast\]"):
        packing.pack_heuristic(np.ones((3, 4)), 10.0, jit=True)
