"""Packing's constructions (construct.py) by hand and against a plain re-implementation.

The second method is written plainly here from the docstrings: :func:`naive_construct`
(tests/helpers.py: every step of every host checked), :func:`_ref_improve` (the
host-emptying pass: lightest host first, its servers by decreasing peak to the first
used host where they fit at every step) and :func:`_ref_starts` (which constructions the
heuristic tries, in which order and with how many open hosts, and which packing it keeps).
Instances of the sweeps have continuous random demands (no two hosts' loads or headrooms
tie); ties and exact fits are worked by hand.  Small instances only: every test runs in
well under a second.
"""

from __future__ import annotations

import sys
import types
from typing import Any, Literal

import numpy as np
import pytest
from helpers import naive_construct

from colonykit.packing import _kernel, construct
from colonykit.packing.construct import (
    _conflict_csr,
    _construct,
    _Hosts,
    _improve,
    _mean_plus_std,
    _Screen,
    _starts,
    _use_jit,
    jit_available,
    pack_heuristic,
)
from colonykit.packing.fill import min_slack_fill
from colonykit.packing.problem import CAPACITY_RTOL

JIT = "colonykit.packing._jit"


def test_docstring_example_by_hand() -> None:
    # 0 (60, 10), 1 (10, 60), 3 (30, 30) share a host: (100, 100) at capacity 100; 2 alone
    m = np.array([[60.0, 10.0], [10.0, 60.0], [50.0, 50.0], [30.0, 30.0]])
    assert pack_heuristic(m, 100).tolist() == [0, 0, 1, 0]


# --------------------------------------------------------------------------- the screen
def test_screen_blocks_and_block_maxima_by_hand(monkeypatch: pytest.MonkeyPatch) -> None:
    # 70 steps in blocks of 32: blocks [0, 32), [32, 64), [64, 70) -> 3 blocks
    m = np.zeros((2, 70))
    m[0, 5], m[0, 40], m[0, 69] = 7.0, 9.0, 3.0
    m[1, 31], m[1, 32] = 4.0, 6.0
    s = _Screen(m)
    assert (s.width, s.steps, s.nb) == (32, 70, 3)
    assert s.xmax.tolist() == [[7.0, 9.0, 3.0], [4.0, 6.0, 0.0]]
    b = s.blocks(0)
    assert b.shape == (3, 32)
    assert b[0, 5] == 7.0 and b[1, 8] == 9.0 and b[2, 5] == 3.0
    # zero past the last step (steps 70..95)
    assert b.reshape(-1)[70:].tolist() == [0.0] * 26 and b.sum() == 19.0
    # whole blocks: a view of the matrix (never copied)
    whole = np.arange(128.0).reshape(2, 64)
    s2 = _Screen(whole)
    assert s2.nb == 2 and np.shares_memory(s2.blocks(1), whole)
    assert s2.blocks(1).tolist() == [list(range(64, 96)), list(range(96, 128))]
    assert s2.xmax.tolist() == [[31.0, 63.0], [95.0, 127.0]]
    # another block width: 5 steps in blocks of 2 -> 3 blocks, the last one step wide
    monkeypatch.setattr(construct, "SCREEN_BLOCK_STEPS", 2)
    s3 = _Screen(np.array([[1.0, 5.0, 2.0, 2.0, 4.0]]))
    assert (s3.width, s3.nb) == (2, 3)
    assert s3.xmax.tolist() == [[5.0, 2.0, 4.0]]
    assert s3.blocks(0).tolist() == [[1.0, 5.0], [2.0, 2.0], [4.0, 0.0]]


def _hosts(
    m: np.ndarray,
    cap: float,
    host_of: list[int],
    memory: np.ndarray | None = None,
    host_memory: float = np.inf,
    reserve: int = 1,
    n_hosts: int | None = None,
) -> _Hosts:
    """Hosts with the servers of ``host_of`` placed (in server order)."""
    screen = _Screen(m)
    hosts = _Hosts(m.shape[1], cap, host_memory, reserve=reserve, screen=screen)
    for _ in range(max(host_of) + 1 if n_hosts is None else n_hosts):
        hosts.open()
    memory = np.zeros(m.shape[0]) if memory is None else memory
    for i, k in enumerate(host_of):
        if k >= 0:
            hosts.add(k, screen.blocks(i), float(memory[i]))
    return hosts


def test_hosts_open_state_by_hand() -> None:
    # capacity 100 (tolerance 100e-9), memory 1,000; 70 steps in 3 blocks of 32
    m = np.zeros((1, 70))
    hosts = _Hosts(70, 100.0, 1000.0, reserve=2, screen=_Screen(m))
    assert hosts.count == 0 and hosts.memory_binds
    assert hosts.tol == 100.0 * CAPACITY_RTOL and hosts.tight_n == 3
    assert hosts.first_step.tolist() == [0, 32, 64]
    assert hosts.open() == 0 and hosts.open() == 1 and hosts.count == 2
    full = 100.0 + 100.0 * CAPACITY_RTOL
    for k in (0, 1):
        flat = hosts.slack[k].reshape(-1)
        assert flat[:70].tolist() == [full] * 70
        assert np.isposinf(flat[70:]).all() and flat.size == 96  # past the last step: +inf
        assert hosts.smin[k].tolist() == [full] * 3
        assert hosts.at[k].tolist() == [0, 32, 64]
        assert hosts.tight_at[k].tolist() == [0, 32, 64]
        assert hosts.tight_slack[k].tolist() == [full] * 3
        assert hosts.mem[k] == 1000.0 + 100.0 * CAPACITY_RTOL
    assert hosts.loads().tolist() == [0.0, 0.0]
    # more blocks than tight blocks: the first SCREEN_TIGHT_BLOCKS blocks
    big = _Hosts(320, 10.0, np.inf, reserve=1, screen=_Screen(np.zeros((1, 320))))
    big.open()
    assert big.tight_n == 8 and big.tight_at[0].tolist() == [0, 32, 64, 96, 128, 160, 192, 224]
    assert not big.memory_binds


def test_hosts_grow_beyond_the_reserve_and_keep_their_state() -> None:
    # reserve 1: the second, third and fourth hosts grow every array
    m = np.array([[10.0, 20.0], [30.0, 5.0], [1.0, 2.0], [4.0, 4.0]])
    mem = np.array([100.0, 200.0, 300.0, 400.0])
    hosts = _hosts(m, 100.0, [0, 1, 2, 3], mem, 1000.0, reserve=1)
    assert hosts.count == 4 and hosts.slack.shape[0] >= 4
    for name in ("at", "tight_at"):
        assert getattr(hosts, name).dtype == np.intp
    assert hosts.loads().tolist() == pytest.approx([30.0, 35.0, 3.0, 8.0], abs=1e-9)
    tol = 100.0 * CAPACITY_RTOL
    assert hosts.mem[:4].tolist() == [1000.0 + tol - v for v in mem]
    assert hosts.slack[1, 0, :2].tolist() == [100.0 + tol - 30.0, 100.0 + tol - 5.0]
    # least slack of host 0's block at step 1 (20 used), host 1's at step 0 (30 used)
    assert hosts.at[:4, 0].tolist() == [1, 0, 1, 0]
    assert hosts.smin[:2, 0].tolist() == [100.0 + tol - 20.0, 100.0 + tol - 30.0]
    # the grown hosts still decide: server 1 (30, 5) fits beside 0 (10, 20) on host 0
    x3 = hosts.screen.blocks(1)
    assert hosts.first_feasible(1, x3, 0.0, None) == 0


def test_hosts_loads_save_and_restore() -> None:
    m = np.array([[10.0, 20.0, 30.0], [5.0, 5.0, 5.0], [50.0, 0.0, 1.0]])
    hosts = _hosts(m, 100.0, [0, 0, 1], np.array([1.0, 2.0, 3.0]), 10.0, reserve=4)
    assert hosts.loads().tolist() == pytest.approx([75.0, 51.0], abs=1e-9)
    saved = hosts.save()
    before = [a.copy() for a in saved]
    hosts.add(1, hosts.screen.blocks(1), 2.0)  # server 1 also on host 1
    hosts.add(0, hosts.screen.blocks(1), 2.0, sign=-1.0)  # and off host 0
    assert hosts.loads().tolist() == pytest.approx([60.0, 66.0], abs=1e-9)
    assert hosts.mem[:2].tolist() == pytest.approx([10.0 - 1.0, 10.0 - 5.0], abs=1e-6)
    # the saved copies did not follow the changes; restoring brings every array back
    assert all(np.array_equal(a, b) for a, b in zip(saved, before, strict=True))
    hosts.restore(saved)
    assert hosts.loads().tolist() == pytest.approx([75.0, 51.0], abs=1e-9)
    for name, b in zip(hosts._arrays(), before, strict=True):
        assert np.array_equal(getattr(hosts, name), b)


def _naive_first(
    m: np.ndarray,
    cap: float,
    host_of: list[int],
    n_hosts: int,
    i: int,
    x: np.ndarray,
    mem_i: float,
    memory: np.ndarray,
    host_memory: float,
    allowed: np.ndarray | None,
) -> int:
    """Lowest host where x fits at every step and in memory (placements summed in order)."""
    tol = cap * CAPACITY_RTOL
    for k in range(n_hosts):
        if allowed is not None and not allowed[k]:
            continue
        slack = np.full(m.shape[1], cap + tol)
        mslack = host_memory + tol
        for j, h in enumerate(host_of):
            if h == k:
                slack = slack - m[j]
                mslack -= memory[j]
        if (slack - x >= 0).all() and (mslack >= mem_i or not np.isfinite(host_memory)):
            return k
    return -1


@pytest.mark.parametrize(
    ("width", "gather", "batch", "tight"),
    [(32, 0.25, 8, 8), (1, 0.0, 1, 1), (3, 1.0, 3, 3), (2, 0.25, 2, 1), (4, 0.0, 8, 2)],
)
def test_first_feasible_is_the_lowest_host_checked_at_every_step(
    monkeypatch: pytest.MonkeyPatch, width: int, gather: float, batch: int, tight: int
) -> None:
    # every tuning of the screen (block width, gather share, batch, tight blocks) gives the
    # host found by checking every step of every host in order
    for name, v in (
        ("SCREEN_BLOCK_STEPS", width),
        ("SCREEN_GATHER_FRAC", gather),
        ("SCREEN_BATCH", batch),
        ("SCREEN_TIGHT_BLOCKS", tight),
    ):
        monkeypatch.setattr(construct, name, v)
    rng = np.random.default_rng(width * 100 + batch)
    checked = found = 0
    for _ in range(25):
        n, steps = int(rng.integers(4, 14)), int(rng.integers(1, 11))
        n_hosts = int(rng.integers(1, 7))
        m = rng.uniform(0.0, 45.0, (n, steps)) * (rng.random((n, steps)) < 0.8)
        placed = [int(rng.integers(-1, n_hosts)) for _ in range(n)]
        use_mem = bool(rng.integers(0, 2))
        memory = rng.uniform(0.0, 400.0, n) if use_mem else np.zeros(n)
        hmem = 1000.0 if use_mem else np.inf
        # placements beyond capacity are skipped (only feasible states are built)
        host_of: list[int] = []
        for k in placed:
            trial = [*host_of, k]
            members = [j for j, h in enumerate(trial) if h == k]
            ok = k >= 0 and (m[members].sum(axis=0) <= 100.0).all()
            ok = ok and memory[members].sum() <= hmem
            host_of.append(k if ok else -1)
        hosts = _hosts(m, 100.0, host_of, memory, hmem, reserve=1, n_hosts=n_hosts)
        for i in range(n):
            if host_of[i] >= 0:
                continue
            for allowed in (None, rng.random(n_hosts) < 0.7):
                x3 = hosts.screen.blocks(i)
                got = hosts.first_feasible(i, x3, float(memory[i]), allowed)
                want = _naive_first(
                    m, 100.0, host_of, n_hosts, i, m[i], memory[i], memory, hmem, allowed
                )
                assert got == want, (width, gather, batch, tight, n, steps)
                checked += 1
                found += want >= 0
    assert checked > 40 and 0 < found < checked  # both outcomes occur


@pytest.mark.parametrize(("gather", "batch"), [(0.0, 8), (1.0, 8), (0.25, 1)])
def test_first_feasible_exact_fits(
    monkeypatch: pytest.MonkeyPatch, gather: float, batch: int
) -> None:
    # a headroom of exactly zero fits (at every step and in memory); one ulp more does not
    monkeypatch.setattr(construct, "SCREEN_GATHER_FRAC", gather)
    monkeypatch.setattr(construct, "SCREEN_BATCH", batch)
    cap = 100.0
    full = cap + cap * CAPACITY_RTOL
    m = np.array([[30.0, 10.0, 20.0], [60.0, 70.0, 40.0], [0.0, 0.0, 0.0]])
    hosts = _hosts(m, cap, [0, 1, -1], np.array([200.0, 500.0, 0.0]), 1000.0, n_hosts=2)
    x = np.array([full - 30.0, 5.0, 1.0])  # exactly host 0's slack at step 0
    mfull = 1000.0 + cap * CAPACITY_RTOL
    hosts.screen.matrix = np.vstack([m[:2], x])
    hosts.screen.xmax = np.vstack([hosts.screen.xmax[:2], [x.max()]])
    x3 = hosts.screen.blocks(2)
    assert hosts.first_feasible(2, x3, mfull - 200.0, None) == 0
    assert hosts.first_feasible(2, x3, np.nextafter(mfull - 200.0, 2e3), None) == -1
    over = x.copy()
    over[0] = np.nextafter(over[0], 1e3)
    hosts.screen.matrix[2] = over
    hosts.screen.xmax[2] = over.max()
    assert hosts.first_feasible(2, hosts.screen.blocks(2), 0.0, None) == -1
    # on host 1 (60, 70, 40 used) the exact fit at step 1 and the host 0 not allowed
    y = np.array([1.0, full - 70.0, 3.0])
    hosts.screen.matrix[2] = y
    hosts.screen.xmax[2] = y.max()
    allowed = np.array([False, True])
    assert hosts.first_feasible(2, hosts.screen.blocks(2), 500.0, allowed) == 1
    assert hosts.first_feasible(2, hosts.screen.blocks(2), 0.0, ~allowed) == 0
    # no open host: -1
    empty = _Hosts(3, cap, np.inf, reserve=1, screen=_Screen(m))
    assert empty.first_feasible(0, empty.screen.blocks(0), 0.0, None) == -1


def test_candidates_and_headroom_bounds_by_hand() -> None:
    m = np.array([[10.0, 80.0], [50.0, 20.0], [30.0, 30.0]])
    hosts = _hosts(m, 100.0, [0, 1], np.array([600.0, 300.0, 0.0]), 1000.0)
    tol = 100.0 * CAPACITY_RTOL
    ok = hosts._candidates(500.0, None)
    assert ok is not None and ok.tolist() == [False, True]  # 400 + tol left on host 0
    ok = hosts._candidates(400.0, np.array([True, False]))
    assert ok is not None and ok.tolist() == [True, False]
    ok = hosts._candidates(400.0 + 2 * tol, np.array([True, True]))
    assert ok is not None and ok.tolist() == [False, True]
    free = _hosts(m, 100.0, [0, 1])
    assert free._candidates(1e9, None) is None
    allowed = np.array([False, True])
    assert free._candidates(1e9, allowed) is allowed
    # headroom bounds for server 2 (30, 30): host 0 min(90 - 30, 20 - 30) = -10, host 1 20
    x = hosts.screen.blocks(2).reshape(-1)
    assert hosts._high_tight(x).tolist() == pytest.approx([-10.0 + tol, 20.0 + tol], abs=1e-6)
    assert hosts._high(np.array([1, 0]), x).tolist() == pytest.approx(
        [20.0 + tol, -10.0 + tol], abs=1e-6
    )


# --------------------------------------------------------------------------- the construction
def _sweep_instance(rng: np.random.Generator) -> dict[str, Any]:
    n, steps = int(rng.integers(4, 11)), int(rng.integers(1, 5))
    m = rng.uniform(3.0, 60.0, (n, steps))
    kind = int(rng.integers(0, 3))
    memory = rng.uniform(50.0, 450.0, n) if kind == 1 else None
    host_memory = 1000.0 if kind == 1 else None
    conflicts = None
    if kind == 2:
        pairs = {tuple(sorted(rng.choice(n, 2, replace=False).tolist())) for _ in range(n // 2)}
        conflicts = [
            np.array(sorted({b for a, b in pairs if a == i} | {a for a, b in pairs if b == i}), int)
            for i in range(n)
        ]
    return {"m": m, "memory": memory, "host_memory": host_memory, "conflicts": conflicts}


def test_construction_is_the_plain_one_with_memory_and_pairs() -> None:
    rng = np.random.default_rng(11)
    for t in range(40):
        inst = _sweep_instance(rng)
        m = inst["m"]
        n = m.shape[0]
        order = rng.permutation(n)
        start = int(rng.integers(0, 4))
        rule: Literal["first", "balance"] = "balance" if t % 2 else "first"
        mem = np.zeros(n) if inst["memory"] is None else inst["memory"]
        hmem = np.inf if inst["host_memory"] is None else inst["host_memory"]
        got, hosts = _construct(
            m,
            order,
            100.0,
            start_hosts=start,
            rule=rule,
            memory=mem,
            host_memory=hmem,
            conflicts=inst["conflicts"],
        )
        want = naive_construct(m, order, 100.0, start, rule, mem, hmem, inst["conflicts"])
        assert got.tolist() == want.tolist()
        # the hosts' state is the packing's: summed demand and memory per host
        assert hosts.count == max(start, int(want.max()) + 1)
        loads = [m[want == k].sum() for k in range(hosts.count)]
        assert hosts.loads() == pytest.approx(loads, abs=1e-6)
        if np.isfinite(hmem):
            used_mem = [mem[want == k].sum() for k in range(hosts.count)]
            assert hosts.mem[: hosts.count] == pytest.approx(
                [hmem + 100e-9 - u for u in used_mem], abs=1e-6
            )


def test_construct_leaves_servers_outside_the_order_unplaced() -> None:
    m = np.array([[40.0], [70.0], [50.0], [20.0]])
    kw: dict[str, Any] = {"memory": np.zeros(4), "host_memory": np.inf, "conflicts": None}
    # order 1, 3 only: 1 -> host 0 (opened), 3 beside it (90) -> host 0; 0 and 2 keep -1
    got, hosts = _construct(m, np.array([1, 3]), 100.0, start_hosts=0, rule="first", **kw)
    assert got.tolist() == [-1, 0, -1, 0] and got.dtype == np.int64 and hosts.count == 1
    # ten hosts open at the start (more than the reserve of 8): 0 -> 0; 1 (70) beside 40 is
    # 110 -> 1; 2 (50) beside 40 -> 0 (90); 3 (20): host 0 110, host 1 90 -> 1
    got, hosts = _construct(m, np.arange(4), 100.0, start_hosts=10, rule="first", **kw)
    assert got.tolist() == [0, 1, 0, 1] and hosts.count == 10
    assert hosts.loads().tolist() == pytest.approx([90.0, 90.0] + [0.0] * 8, abs=1e-6)


def test_the_kernel_gets_read_only_inputs_of_one_signature(monkeypatch: pytest.MonkeyPatch) -> None:
    # the comment in _construct_kernel: inputs read-only, contiguous, order and partners as
    # intp and memory as float64 (one compiled signature per demand dtype)
    calls: list[tuple[Any, ...]] = []
    real = _kernel.fill

    def spy(*args: Any) -> int:
        calls.append(args)
        return int(real(*args))

    monkeypatch.setattr(_kernel, "fill", spy)
    m = np.array([[40.0, 10.0], [70.0, 20.0], [50.0, 90.0]], dtype=np.float32)[:, ::1]
    conf = [np.array([2], np.int32), np.array([], np.int32), np.array([0], np.int32)]
    got, _ = _construct(
        m,
        np.array([2, 1, 0], dtype=np.int32),
        100.0,
        start_hosts=1,
        rule="balance",
        memory=np.array([1, 2, 3], dtype=np.int32),
        host_memory=np.inf,
        conflicts=conf,
    )
    # 2 -> host 0 (open); 1 beside 2 is 120 at step 0 -> host 1 (opened); 0 not beside its
    # partner 2, beside 1 (110) no -> host 2 (opened)
    assert got.tolist() == [2, 1, 0]
    # fill from 0 stops at 1 (opened, placed), from 2 stops at 0 (opened, placed): two calls
    assert len(calls) == 2
    data, xmax, order, pos, balance = calls[0][:5]
    mem, binds, ptr, idx = calls[0][12:16]
    assert np.array_equal(data, m) and data.dtype == np.float32
    assert xmax.tolist() == [[40.0], [70.0], [90.0]]
    assert order.tolist() == [2, 1, 0] and order.dtype == np.intp
    assert mem.tolist() == [1.0, 2.0, 3.0] and mem.dtype == np.float64
    assert ptr.tolist() == [0, 1, 1, 2] and idx.tolist() == [2, 0]
    assert ptr.dtype == np.intp and idx.dtype == np.intp
    for a in (data, xmax, order, mem, ptr, idx):
        assert not a.flags.writeable and a.flags.c_contiguous
    assert (pos, balance, binds) == (0, True, False)
    assert [c[3] for c in calls] == [0, 2] and [c[11] for c in calls] == [1, 2]
    assert calls[0][18] == construct.SCREEN_BATCH
    # "first" hands balance False
    calls.clear()
    _construct(
        m.astype(np.float64),
        np.arange(3),
        100.0,
        start_hosts=3,
        rule="first",
        memory=np.zeros(3),
        host_memory=5.0,
        conflicts=None,
    )
    assert len(calls) == 1 and calls[0][4] is False and calls[0][13] is True
    assert calls[0][14].tolist() == [0, 0, 0, 0] and calls[0][15].size == 0


def test_compiled_and_plain_kernels_are_chosen_by_jit(monkeypatch: pytest.MonkeyPatch) -> None:
    m = np.array([[40.0], [70.0], [50.0]])
    kw: dict[str, Any] = {"memory": np.zeros(3), "host_memory": np.inf, "conflicts": None}
    # plain: _jit is never imported (here it cannot be)
    monkeypatch.setitem(sys.modules, JIT, None)
    got, _ = _construct(m, np.arange(3), 100.0, start_hosts=0, rule="first", jit=False, **kw)
    assert got.tolist() == [0, 1, 0]
    with pytest.raises(ImportError):
        _construct(m, np.arange(3), 100.0, start_hosts=0, rule="first", jit=True, **kw)
    # compiled: the fill of _jit (a stand-in here that counts its calls)
    fake = types.ModuleType(JIT)
    used: list[int] = []

    def fill(*args: Any) -> int:
        used.append(1)
        return int(_kernel.fill(*args))

    fake.fill = fill  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, JIT, fake)
    got, _ = _construct(m, np.arange(3), 100.0, start_hosts=0, rule="first", jit=True, **kw)
    assert got.tolist() == [0, 1, 0] and len(used) == 3
    used.clear()
    _construct(m, np.arange(3), 100.0, start_hosts=0, rule="first", jit=False, **kw)
    assert used == []


def test_jit_available_and_use_jit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, JIT, None)  # as without numba
    assert jit_available() is False
    assert _use_jit(None, 10**9) is False and _use_jit(False, 10**9) is False
    with pytest.raises(ImportError):
        _use_jit(True, 1)
    monkeypatch.setitem(sys.modules, JIT, types.ModuleType(JIT))  # as with numba
    assert jit_available() is True
    cells = construct.JIT_MIN_CELLS
    assert _use_jit(None, cells) is True and _use_jit(None, cells - 1) is False
    assert _use_jit(True, 1) is True and _use_jit(False, cells) is False


def test_conflict_csr_by_hand() -> None:
    ptr, idx = _conflict_csr(None, 3)
    assert ptr.tolist() == [0, 0, 0, 0] and idx.size == 0
    assert ptr.dtype == np.intp and idx.dtype == np.intp
    conf = [np.array([2, 3]), np.array([], int), np.array([0]), np.array([0])]
    ptr, idx = _conflict_csr(conf, 4)
    assert ptr.tolist() == [0, 2, 2, 3, 4] and idx.tolist() == [2, 3, 0, 0]
    assert ptr.dtype == np.intp and idx.dtype == np.intp
    ptr, idx = _conflict_csr([np.array([], int)] * 2, 2)
    assert ptr.tolist() == [0, 0, 0] and idx.size == 0 and idx.dtype == np.intp


def test_mean_plus_std_is_numpys_mean_and_population_std() -> None:
    rng = np.random.default_rng(3)
    m = rng.uniform(0.0, 50.0, (6, 9))
    assert _mean_plus_std(m) == pytest.approx(m.mean(axis=1) + m.std(axis=1), rel=1e-12)
    m32 = m.astype(np.float32)
    want = m32.astype(np.float64).mean(axis=1) + m32.astype(np.float64).std(axis=1)
    assert _mean_plus_std(m32) == pytest.approx(want, rel=1e-12)
    # by hand: (2, 4) -> 3 + 1; one step -> the value itself
    assert _mean_plus_std(np.array([[2.0, 4.0], [5.0, 5.0]])).tolist() == [4.0, 5.0]
    assert _mean_plus_std(np.array([[7.0], [0.5], [1e-160]])).tolist() == [7.0, 0.5, 1e-160]
    # constant rows whose sums of squares round below mean²: no NaN, the mean
    for v in (0.1, 0.3, 1.1, 2.2, 3.3, 7.7):
        row = np.full((1, 3), v)
        got = _mean_plus_std(row)
        assert np.isfinite(got).all() and got[0] == pytest.approx(v, abs=1e-6)


# --------------------------------------------------------------------------- the improvement pass
def _improve_by_hand_setup(
    rows: list[float],
    host_of: list[int],
    memory: list[float] | None = None,
    host_memory: float = np.inf,
) -> tuple[np.ndarray, np.ndarray, _Hosts, np.ndarray]:
    m = np.array(rows, dtype=np.float64).reshape(len(rows), -1)
    mem = np.zeros(len(rows)) if memory is None else np.array(memory)
    hosts = _hosts(m, 100.0, host_of, mem, host_memory)
    return m, np.array(host_of, dtype=np.int64), hosts, mem


def _state_is_the_packing(
    m: np.ndarray, host_of: np.ndarray, hosts: _Hosts, mem: np.ndarray, hmem: float
) -> None:
    """The hosts' slack and memory are those of the returned packing."""
    loads = [m[host_of == k].sum() for k in range(hosts.count)]
    assert hosts.loads() == pytest.approx(loads, abs=1e-6)
    for k in range(hosts.count):
        used = m[host_of == k].sum(axis=0)
        slack = hosts.slack[k].reshape(-1)[: m.shape[1]]
        assert slack == pytest.approx(100.0 + 100e-9 - used, abs=1e-6)
        if np.isfinite(hmem):
            assert hosts.mem[k] == pytest.approx(hmem + 100e-9 - mem[host_of == k].sum())


def test_improve_moves_the_lightest_hosts_servers_by_decreasing_peak() -> None:
    # hosts (one step, capacity 100): 0 holds 75, 1 holds 70, 2 holds a = 10 and b = 20 (30,
    # the lightest).  b first (the larger peak): host 0 (95); then a: host 0 would be 105 ->
    # host 1 (80).  Host 1 (80, now lighter than 0's 95): 70 fits on no other host -> kept,
    # not tried again; host 0: 75 beside host 1's 80 no -> kept.  (a first would give a -> 0,
    # b -> 1.)
    m, host_of, hosts, mem = _improve_by_hand_setup([75.0, 70.0, 10.0, 20.0], [0, 1, 2, 2])
    got = _improve(m, host_of, hosts, mem, None, 40)
    assert got.tolist() == [0, 1, 1, 0]
    _state_is_the_packing(m, got, hosts, mem, np.inf)


def test_improve_skips_a_host_it_could_not_empty_and_counts_its_tries() -> None:
    # 0: 69 (host 0), 1: 35 (host 1), 2: 38 and 3: 30 (host 2, 68).  Host 1 (35) is the
    # lightest but fits beside neither (104, 103): restored, not tried again.  Host 2 (68):
    # 38 -> host 0 107 no, host 1 73 -> 1; 30 -> host 0 99 -> 0.  Then host 0 (99; host 1
    # failed before): 69 beside 73 no -> kept.
    rows, start = [69.0, 35.0, 38.0, 30.0], [0, 1, 2, 2]
    for tries, want in ((0, start), (1, start), (2, [0, 1, 1, 0]), (40, [0, 1, 1, 0])):
        m, host_of, hosts, mem = _improve_by_hand_setup(rows, start)
        got = _improve(m, host_of, hosts, mem, None, tries)
        assert got.tolist() == want, tries
        _state_is_the_packing(m, got, hosts, mem, np.inf)
    # a host half emptied is restored: loads 60, 69, 74 (35 + 39 on host 2).  Host 0 (60):
    # beside 69 or 74 no -> kept; host 1 (69): no -> kept; host 2 (74): 39 first -> host 0
    # (99), then 35 -> host 0 134, host 1 104: no -> 39 back on host 2, kept
    m, host_of, hosts, mem = _improve_by_hand_setup([60.0, 69.0, 35.0, 39.0], [0, 1, 2, 2])
    got = _improve(m, host_of, hosts, mem, None, 40)
    assert got.tolist() == [0, 1, 2, 2]
    _state_is_the_packing(m, got, hosts, mem, np.inf)


def test_improve_stops_at_one_host_and_leaves_empty_hosts_alone() -> None:
    # two hosts merge into one (30 beside 40); then one host is left: stop
    m, host_of, hosts, mem = _improve_by_hand_setup([30.0, 40.0], [0, 1])
    got = _improve(m, host_of, hosts, mem, None, 40)
    assert got.tolist() == [1, 1]
    _state_is_the_packing(m, got, hosts, mem, np.inf)
    # empty open hosts (1 and 3, the last) are no targets and no candidates: host 2 (45, the
    # lightest used one) joins host 0 (95)
    m = np.array([[50.0], [45.0]])
    hosts = _hosts(m, 100.0, [0, 2], n_hosts=4)
    got = _improve(m, np.array([0, 2]), hosts, np.zeros(2), None, 40)
    assert got.tolist() == [0, 0] and hosts.count == 4
    _state_is_the_packing(m, got, hosts, np.zeros(2), np.inf)
    # one used host: nothing to do
    m, host_of, hosts, mem = _improve_by_hand_setup([30.0, 40.0], [0, 0])
    assert _improve(m, host_of, hosts, mem, None, 40).tolist() == [0, 0]


def test_improve_respects_partners_and_memory() -> None:
    # 0: 10 (host 0), 1: 20 (host 1), 2: 5 (host 2), pair 0-2.  Host 2 (5): host 0 holds its
    # partner -> host 1 (25).  Host 0 (10): host 1 now holds 2, 0's partner -> kept.  Host 1
    # (25): 1 (20) -> host 0 (30); 2 -> host 0 holds its partner -> undone, kept.
    conf = [np.array([2]), np.array([], int), np.array([0])]
    m, host_of, hosts, mem = _improve_by_hand_setup([10.0, 20.0, 5.0], [0, 1, 2])
    got = _improve(m, host_of, hosts, mem, conf, 40)
    assert got.tolist() == [0, 1, 1]
    _state_is_the_packing(m, got, hosts, mem, np.inf)
    # memory (hosts of 1,000): 0 (10 CPU, 700 MiB) host 0, 1 (20, 200) host 1, 2 (5, 400)
    # host 2.  Host 2 (5): host 0 1,100 MiB no -> host 1 (600 MiB) -> emptied.  Host 0 (10):
    # beside host 1's 600 MiB no -> kept.  Host 1 (25): 1 -> host 0 (900 MiB), 2 -> host 0
    # 1,300 no -> undone.
    m, host_of, hosts, mem = _improve_by_hand_setup(
        [10.0, 20.0, 5.0], [0, 1, 2], [700.0, 200.0, 400.0], 1000.0
    )
    got = _improve(m, host_of, hosts, mem, None, 40)
    assert got.tolist() == [0, 1, 1]
    _state_is_the_packing(m, got, hosts, mem, 1000.0)
    # without the pair, 2 goes to host 0 (15), which is then lighter than host 1 (20): 0 and
    # 2 join host 1 (35)
    m, host_of, hosts, mem = _improve_by_hand_setup([10.0, 20.0, 5.0], [0, 1, 2])
    got = _improve(m, host_of, hosts, mem, [np.array([], int)] * 3, 40)
    assert got.tolist() == [1, 1, 1]
    _state_is_the_packing(m, got, hosts, mem, np.inf)


def _ref_improve(
    m: np.ndarray,
    host_of: np.ndarray,
    n_hosts: int,
    cap: float,
    memory: np.ndarray,
    host_memory: float,
    conflicts: list[np.ndarray] | None,
    max_tries: int,
) -> np.ndarray:
    """The improvement pass as its docstring describes it, every step checked."""
    tol = cap * CAPACITY_RTOL
    host_of = host_of.copy()
    failed: set[int] = set()
    tries = 0
    while tries < max_tries:
        used = [k for k in range(n_hosts) if (host_of == k).any()]
        if len(used) <= 1:
            break
        load = {k: float(m[host_of == k].sum()) for k in used}
        cands = sorted((k for k in used if k not in failed), key=lambda k: (load[k], k))
        if not cands:
            break
        h = cands[0]
        tries += 1
        trial = host_of.copy()
        items = sorted(np.flatnonzero(host_of == h), key=lambda i: -m[i].max())
        ok = True
        for i in items:
            banned = set() if conflicts is None else {int(trial[j]) for j in conflicts[i]}
            target = -1
            for k in used:
                if k == h or k in banned:
                    continue
                members = trial == k
                fits = (m[members].sum(axis=0) + m[i] <= cap + tol).all()
                if fits and memory[members].sum() + memory[i] <= host_memory + tol:
                    target = k
                    break
            if target < 0:
                ok = False
                break
            trial[i] = target
        if ok:
            host_of = trial
        else:
            failed.add(h)
    return host_of


@pytest.mark.parametrize(("width", "batch", "gather"), [(32, 8, 0.25), (1, 1, 0.0), (2, 3, 1.0)])
def test_improve_is_the_plain_pass(
    monkeypatch: pytest.MonkeyPatch, width: int, batch: int, gather: float
) -> None:
    monkeypatch.setattr(construct, "SCREEN_BLOCK_STEPS", width)
    monkeypatch.setattr(construct, "SCREEN_BATCH", batch)
    monkeypatch.setattr(construct, "SCREEN_GATHER_FRAC", gather)
    rng = np.random.default_rng(width + 7 * batch)
    moved = 0
    for _ in range(30):
        inst = _sweep_instance(rng)
        m = inst["m"]
        n = m.shape[0]
        mem = np.zeros(n) if inst["memory"] is None else inst["memory"]
        hmem = np.inf if inst["host_memory"] is None else inst["host_memory"]
        order = rng.permutation(n)
        # balance over several open hosts spreads the servers: work for the pass
        start = int(rng.integers(0, 6))
        rule: Literal["first", "balance"] = "balance" if rng.random() < 0.8 else "first"
        tries = int(rng.choice([1, 2, 3, 40]))
        kw: dict[str, Any] = {"memory": mem, "host_memory": hmem, "conflicts": inst["conflicts"]}
        host_of, hosts = _construct(m, order, 100.0, start_hosts=start, rule=rule, **kw)
        before = host_of.copy()
        got = _improve(m, host_of, hosts, mem, inst["conflicts"], tries)
        want = _ref_improve(m, before, hosts.count, 100.0, mem, hmem, inst["conflicts"], tries)
        assert got.tolist() == want.tolist()
        _state_is_the_packing(m, got, hosts, mem, hmem)
        moved += int((got != before).any())
    assert moved >= 5  # the pass moved servers in several instances


# --------------------------------------------------------------------------- the starts
def _renumber(host_of: np.ndarray) -> list[int]:
    """Host ids in order of first appearance."""
    ids: dict[int, int] = {}
    return [ids.setdefault(int(h), len(ids)) for h in host_of]


def _ref_starts(
    m: np.ndarray,
    cap: float,
    *,
    memory: np.ndarray | None = None,
    host_memory: float | None = None,
    conflicts: list[np.ndarray] | None = None,
    improve: bool = True,
    max_tries: int = construct.IMPROVE_MAX_TRIES,
    balance_tries: int = construct.BALANCE_TRIES,
    lower_bound_hosts: int | None = None,
    min_slack: bool = True,
    events: list[str] | None = None,
) -> tuple[list[tuple[str, tuple[int, ...], int]], list[list[int]]]:
    """The constructions tried (rule, order, open hosts) and every start, as documented.

    ``events`` collects what happened: "up-open" (a balanced fill upwards had to open hosts),
    "down-hit" / "down-miss" (downwards: fewer hosts than found, or not).

    Whole-number peaks and memory only when the bound is left to the function (the
    composite bound is then an exact ceiling).
    """
    n = m.shape[0]
    mem = np.zeros(n) if memory is None else np.asarray(memory, dtype=np.float64)
    hmem = np.inf if host_memory is None else float(host_memory)
    large = m.size > construct.SMALL_INSTANCE_CELLS
    calls: list[tuple[str, tuple[int, ...], int]] = []
    best: list[np.ndarray] = []

    def run(rule: str, order: list[int], start: int) -> int:
        calls.append((rule, tuple(order), start))
        h = naive_construct(m, np.array(order), cap, start, rule, mem, hmem, conflicts)
        if improve:
            tries = min(max_tries, construct.IMPROVE_MAX_TRIES_LARGE) if large else max_tries
            opened = max(start, int(h.max()) + 1)
            h = _ref_improve(m, h, opened, cap, mem, hmem, conflicts, tries)
        used = len(set(h.tolist()))
        if not best or used < len(set(best[0].tolist())):  # the first on ties
            best[:] = [h]
        return used

    if lower_bound_hosts is None:
        peak = float(m.sum(axis=0).max())
        lb = int(-(-peak // cap)) if peak > 0 else 0
        if np.isfinite(hmem):
            lb = max(lb, int(-(-mem.sum() // hmem)))
    else:
        lb = lower_bound_hosts
    peak_order = sorted(range(n), key=lambda i: (-m[i].max(), i))
    size = m.mean(axis=1) + m.std(axis=1)
    orders = [sorted(range(n), key=lambda i: (-size[i], i))]
    found = n + 1
    fill = None
    if not large:
        found = run("first", peak_order, 0)
        orders.append(peak_order)
        if min_slack and n <= construct.FILL_MAX_ITEMS:
            fill = min_slack_fill(m, cap, memory=mem, host_memory=hmem, conflicts=conflicts)
            found = min(found, int(fill.max()) + 1)
    tried: set[tuple[int, int]] = set()
    for o, order in enumerate(orders):
        # up from the bound while the balanced fill has to open hosts, below the best found
        start = lb
        for _ in range(balance_tries):
            if start >= found:
                break
            tried.add((o, start))
            used = run("balance", order, start)
            found = min(found, used)
            if used <= start:
                break
            if events is not None:
                events.append("up-open")
            start += 1
        # down from one below the best, skipping what was tried, until two misses in a row
        start, misses = found - 1, 0
        while balance_tries > 0 and start >= lb and misses < construct.BALANCE_DOWN_MISSES:
            if (o, start) not in tried:
                tried.add((o, start))
                used = run("balance", order, start)
                if events is not None:
                    events.append("down-hit" if used < found else "down-miss")
                if used < found:
                    found, misses, start = used, 0, used
                else:
                    misses += 1
            start -= 1
    starts = [_renumber(best[0])]
    if fill is not None:
        starts.append(_renumber(fill))
    return calls, starts


def _spy_constructions(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, tuple[int, ...], int]]:
    calls: list[tuple[str, tuple[int, ...], int]] = []
    real = construct._construct

    def spy(matrix: np.ndarray, order: np.ndarray, capacity: float, **kw: Any) -> Any:
        calls.append((kw["rule"], tuple(int(i) for i in order), kw["start_hosts"]))
        return real(matrix, order, capacity, **kw)

    monkeypatch.setattr(construct, "_construct", spy)
    return calls


def _check_starts(monkeypatch: pytest.MonkeyPatch, m: np.ndarray, **kw: Any) -> list[list[int]]:
    calls = _spy_constructions(monkeypatch)
    want_calls, want = _ref_starts(m, 100.0, **kw)
    got = _starts(
        m,
        100.0,
        memory=kw.get("memory"),
        host_memory=kw.get("host_memory"),
        conflicts=kw.get("conflicts"),
        improve=kw.get("improve", True),
        max_tries=kw.get("max_tries", construct.IMPROVE_MAX_TRIES),
        balance_tries=kw.get("balance_tries", construct.BALANCE_TRIES),
        lower_bound_hosts=kw.get("lower_bound_hosts"),
        jit=None,
        min_slack=kw.get("min_slack", True),
        all_starts=True,
    )
    assert calls == want_calls
    assert [g.tolist() for g in got] == want
    assert all(g.dtype == np.int64 for g in got)
    # the best one alone: the fewest hosts, the first on ties
    calls.clear()
    one = _starts(
        m,
        100.0,
        memory=kw.get("memory"),
        host_memory=kw.get("host_memory"),
        conflicts=kw.get("conflicts"),
        improve=kw.get("improve", True),
        max_tries=kw.get("max_tries", construct.IMPROVE_MAX_TRIES),
        balance_tries=kw.get("balance_tries", construct.BALANCE_TRIES),
        lower_bound_hosts=kw.get("lower_bound_hosts"),
        jit=None,
        min_slack=kw.get("min_slack", True),
        all_starts=False,
    )
    fewest = min(max(s) for s in want)
    assert [o.tolist() for o in one] == [next(s for s in want if max(s) == fewest)]
    monkeypatch.undo()
    return want


def _peaky_instance(rng: np.random.Generator) -> np.ndarray:
    """Whole-number demand: a base of 2-15 plus one or two spikes of 20-60 per server."""
    n, steps = int(rng.integers(6, 13)), int(rng.integers(2, 7))
    m = np.round(rng.uniform(2.0, 15.0, (n, steps)))
    for i in range(n):
        for _ in range(int(rng.integers(1, 3))):
            m[i, rng.integers(0, steps)] += np.round(rng.uniform(20.0, 60.0))
    return m


def test_starts_try_the_documented_constructions(monkeypatch: pytest.MonkeyPatch) -> None:
    # spiky series: first fit by peak is weak, the balanced fills search up and down
    rng = np.random.default_rng(5)
    kinds: set[bool] = set()
    for t in range(60):
        m = _peaky_instance(rng)
        n = m.shape[0]
        kw: dict[str, Any] = {}
        if t % 3 == 1:
            kw["memory"] = np.round(rng.uniform(50.0, 450.0, n))
            kw["host_memory"] = float(rng.choice([1000.0, 1500.0]))
        if t % 3 == 2:
            kw["conflicts"] = _sweep_instance(np.random.default_rng(t))["conflicts"]
            if kw["conflicts"] is None or len(kw["conflicts"]) != n:
                kw["conflicts"] = [np.array([(i + 1) % n, (i - 1) % n]) for i in range(n)]
        if t % 4 == 1:
            kw["lower_bound_hosts"] = int(rng.integers(0, 3))
        if t % 4 == 2:
            kw["balance_tries"] = int(rng.choice([-1, 0, 1, 2, 6]))
        if t % 5 == 3:
            kw["improve"] = False
        if t % 5 == 4:
            kw["max_tries"] = int(rng.integers(0, 3))
        if t % 7 == 5:
            kw["min_slack"] = False
        if t % 6 == 0:  # "large" (no first fit, no minimum-slack fill): balanced fills only
            kw["balance_tries"] = max(kw.get("balance_tries", 4), 1)
            monkeypatch.setattr(construct, "SMALL_INSTANCE_CELLS", m.size - 1)
            monkeypatch.setattr(construct, "IMPROVE_MAX_TRIES_LARGE", int(rng.integers(0, 3)))
        if t % 9 == 4:
            monkeypatch.setattr(construct, "FILL_MAX_ITEMS", n - int(rng.integers(0, 2)))
        if t % 8 == 6:
            monkeypatch.setattr(construct, "BALANCE_DOWN_MISSES", int(rng.integers(1, 4)))
        want = _check_starts(monkeypatch, m, **kw)
        kinds.add(len(want) == 2 and max(want[1]) < max(want[0]))  # the fill has fewer hosts
    assert kinds == {True, False}


def test_starts_lower_bound_by_hand(monkeypatch: pytest.MonkeyPatch) -> None:
    # demand far below a host: the bound is still one host, so no balanced fill starts with
    # none open; first fit (peak order 0, 1) needs one host -> nothing else is tried
    tiny = np.array([[1e-13], [2e-13]])
    calls = _spy_constructions(monkeypatch)
    got = _starts(tiny, 100.0, **_DEFAULTS)
    assert calls == [("first", (1, 0), 0)] and [g.tolist() for g in got] == [[0, 0], [0, 0]]
    # no demand at all: bound 0; the balanced fills start with none open in both orders
    calls.clear()
    got = _starts(np.zeros((2, 1)), 100.0, **_DEFAULTS)
    assert calls == [("first", (0, 1), 0), ("balance", (0, 1), 0), ("balance", (0, 1), 0)]
    # an exactly full step (60 + 40 = 100): bound 1 (tolerance), the construction has 1
    calls.clear()
    _starts(np.array([[60.0, 10.0], [40.0, 50.0]]), 100.0, **_DEFAULTS)
    assert calls == [("first", (0, 1), 0)]
    # memory: 3 × 600 MiB on hosts of 1,000 -> bound 2 (CPU 30 -> 1); every construction
    # needs 3 (no two fit in memory).  Balanced fills from 2 open hosts (3 > 2: one more is
    # 3, not below the 3 found: stop; downwards 2 was tried), in both orders (sizes all 10:
    # the lower index first)
    calls.clear()
    kw = {**_DEFAULTS, "memory": np.full(3, 600.0), "host_memory": 1000.0}
    got = _starts(np.full((3, 1), 10.0), 100.0, **kw)
    order = (0, 1, 2)
    assert calls == [("first", order, 0), ("balance", order, 2), ("balance", order, 2)]
    assert [g.tolist() for g in got] == [[0, 1, 2], [0, 1, 2]]
    # a bound given (1) is taken as it is: per order balanced fills from 1 (3 hosts) and 2 (3
    # hosts); 3 is not below the 3 found; downwards 2 and 1 were tried
    calls.clear()
    _starts(np.full((3, 1), 10.0), 100.0, **{**kw, "lower_bound_hosts": 1})
    assert calls == [("first", order, 0)] + [("balance", order, 1), ("balance", order, 2)] * 2


#: _starts' keywords with pack_heuristic's defaults, every start returned
_DEFAULTS: dict[str, Any] = {
    "memory": None,
    "host_memory": None,
    "conflicts": None,
    "improve": True,
    "max_tries": construct.IMPROVE_MAX_TRIES,
    "balance_tries": construct.BALANCE_TRIES,
    "lower_bound_hosts": None,
    "jit": None,
    "min_slack": True,
    "all_starts": True,
}


def test_pack_heuristic_hands_its_arguments_to_the_starts(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[dict[str, Any]] = []

    def spy(matrix: np.ndarray, capacity: float, **kw: Any) -> list[np.ndarray]:
        seen.append({"matrix": matrix, "capacity": capacity, **kw})
        return [np.array([7, 7]), np.array([0, 1])]

    monkeypatch.setattr(construct, "_starts", spy)
    m = np.ones((2, 3))
    mem, conf = np.array([1.0, 2.0]), [np.array([1]), np.array([0])]
    got = pack_heuristic(
        m,
        55.0,
        memory=mem,
        host_memory=9.0,
        conflicts=conf,
        improve=False,
        max_tries=3,
        balance_tries=2,
        lower_bound_hosts=5,
        jit=False,
        min_slack=False,
    )
    assert got.tolist() == [7, 7]  # the first (and only) start of all_starts=False
    want = {
        "matrix": m,
        "capacity": 55.0,
        "memory": mem,
        "host_memory": 9.0,
        "conflicts": conf,
        "improve": False,
        "max_tries": 3,
        "balance_tries": 2,
        "lower_bound_hosts": 5,
        "jit": False,
        "min_slack": False,
        "all_starts": False,
    }
    assert seen[0].keys() == want.keys()
    assert all(seen[0][k] is v for k, v in want.items())
    seen.clear()
    pack_heuristic(m, 55.0)
    defaults = {**_DEFAULTS, "all_starts": False}
    assert {k: seen[0][k] for k in defaults} == defaults


def test_starts_resolve_jit_once_for_every_construction(monkeypatch: pytest.MonkeyPatch) -> None:
    flags: list[bool] = []
    real = construct._construct

    def spy(matrix: np.ndarray, order: np.ndarray, capacity: float, **kw: Any) -> Any:
        flags.append(kw["jit"])
        return real(matrix, order, capacity, **{**kw, "jit": False})

    monkeypatch.setattr(construct, "_construct", spy)
    monkeypatch.setitem(sys.modules, JIT, types.ModuleType(JIT))  # numba "installed"
    m = np.array([[60.0, 10.0], [10.0, 60.0], [50.0, 50.0], [30.0, 30.0]])
    for jit, cells, want in ((True, 10**9, True), (None, 8, True), (None, 9, False)):
        monkeypatch.setattr(construct, "JIT_MIN_CELLS", cells)
        flags.clear()
        assert pack_heuristic(m, 100.0, jit=jit).tolist() == [0, 0, 1, 0]
        assert flags and set(flags) == {want}


@pytest.mark.parametrize("seed", [54, 84, 86, 133, 176])
def test_starts_downward_balanced_fills_that_close_hosts(
    monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    # instances (found by running the plain version above) where a balanced fill started below
    # the best found closes hosts: weak bounds given, few upward tries, 1-3 misses allowed
    m = _peaky_instance(np.random.default_rng(seed))
    hits = 0
    for lbh, tries, misses in ((0, 1, 2), (1, 1, 2), (0, 2, 2), (1, 2, 1), (0, 1, 3)):
        monkeypatch.setattr(construct, "BALANCE_DOWN_MISSES", misses)
        events: list[str] = []
        _ref_starts(m, 100.0, lower_bound_hosts=lbh, balance_tries=tries, events=events)
        hits += events.count("down-hit")
        _check_starts(monkeypatch, m, lower_bound_hosts=lbh, balance_tries=tries)
    assert hits > 0


def test_screen_blocks_keep_the_dtype() -> None:
    # float32 series: the padded blocks are float32 like the view of whole blocks
    m = np.arange(10, dtype=np.float32).reshape(2, 5)
    s = _Screen(m)
    assert s.blocks(1).dtype == np.float32 and s.blocks(1).reshape(-1)[:5].tolist() == [
        5.0,
        6.0,
        7.0,
        8.0,
        9.0,
    ]
    whole = np.ones((1, 64), dtype=np.float32)
    assert _Screen(whole).blocks(0).dtype == np.float32


def test_restore_refuses_a_state_of_another_shape() -> None:
    m = np.array([[10.0], [20.0]])
    hosts = _hosts(m, 100.0, [0, 1])
    saved = hosts.save()
    with pytest.raises(ValueError, match="zip"):
        hosts.restore(saved[:-1])
    with pytest.raises(ValueError, match="zip"):
        hosts.restore((*saved, saved[0]))


def test_first_feasible_beyond_two_batches() -> None:
    # 20 hosts of 100, each holding 95 except host 18 (40): a server of 30 fits only there
    # (the batches of 8 hosts: 0-7, 8-15, 16-19)
    n_hosts = 20
    m = np.array([[95.0]] * n_hosts + [[30.0]])
    m[18, 0] = 40.0
    hosts = _hosts(m, 100.0, [*range(n_hosts), -1])
    x3 = hosts.screen.blocks(n_hosts)
    assert hosts.first_feasible(n_hosts, x3, 0.0, None) == 18
    allowed = np.ones(n_hosts, dtype=bool)
    assert hosts.first_feasible(n_hosts, x3, 0.0, allowed) == 18
    allowed[18] = False
    assert hosts.first_feasible(n_hosts, x3, 0.0, allowed) == -1
    # the same where every host passes the screens (their least slack, 55 at step 0, leaves
    # 45 for the server's 10) and only the step-by-step check rejects them (60 > 55 at step 1)
    m = np.array([[45.0, 45.0]] * n_hosts + [[10.0, 60.0]])
    m[18] = 5.0
    hosts = _hosts(m, 100.0, [*range(n_hosts), -1])
    x3 = hosts.screen.blocks(n_hosts)
    assert (hosts._high_tight(x3.reshape(-1)) >= 0).all()
    assert hosts.first_feasible(n_hosts, x3, 0.0, None) == 18
    assert hosts.first_feasible(n_hosts, x3, 0.0, np.ones(n_hosts, dtype=bool)) == 18


@pytest.mark.parametrize("gather", [0.0, 1.0])
def test_first_feasible_exact_fit_inside_a_read_block(
    monkeypatch: pytest.MonkeyPatch, gather: float
) -> None:
    # one block of 3 steps, host 0 with 30, 10, 20 used: a server of exactly the slack at
    # steps 0 and 1 (its block maximum is above the block's least slack, so the block is read
    # step by step, as whole rows (gather 0) or gathered cells (gather 1)) fits
    monkeypatch.setattr(construct, "SCREEN_GATHER_FRAC", gather)
    full = 100.0 + 100.0 * CAPACITY_RTOL
    m = np.array([[30.0, 10.0, 20.0], [full - 30.0, full - 10.0, 0.0]])
    hosts = _hosts(m, 100.0, [0, -1])
    assert hosts.first_feasible(1, hosts.screen.blocks(1), 0.0, None) == 0
    assert hosts.first_feasible(1, hosts.screen.blocks(1), 0.0, np.array([True])) == 0
    over = m.copy()
    over[1, 1] = np.nextafter(over[1, 1], 1e3)
    hosts = _hosts(over, 100.0, [0, -1])
    assert hosts.first_feasible(1, hosts.screen.blocks(1), 0.0, None) == -1


def test_improve_moves_servers_of_equal_peak_in_index_order() -> None:
    # 17 servers of peaks 1-3 on host 2 (33, the lightest), hosts 0 and 1 hold 80 and 70:
    # moved by decreasing peak, equal peaks in index order, each to the first host with room
    peaks = [3, 2, 2, 1, 1, 1, 1, 1, 1, 3, 2, 3, 2, 2, 3, 3, 2]
    rows = [float(p) for p in peaks] + [80.0, 70.0]
    m, host_of, hosts, mem = _improve_by_hand_setup(rows, [2] * 17 + [0, 1])
    got = _improve(m, host_of, hosts, mem, None, 40)
    # by hand (host 0 has room 20, host 1 room 30): peak 3 (servers 0, 9, 11, 14, 15) -> host
    # 0 (15); peak 2: 1, 2 -> host 0 (19), 10, 12, 13, 16 -> host 1 (8); peak 1: 3 -> host 0
    # (20: exactly full), 4-8 -> host 1 (13).  Then host 1 (83): 70 beside 100 no; host 0
    # (100): 80 beside 83 no.  (numpy's default sort orders these 17 ties otherwise.)
    on0 = [0, 1, 2, 3, 9, 11, 14, 15]
    assert got.tolist() == [0 if i in on0 else 1 for i in range(17)] + [0, 1]
    assert got.tolist() == _ref_improve(m, host_of, 3, 100.0, mem, np.inf, None, 40).tolist()
    _state_is_the_packing(m, got, hosts, mem, np.inf)


def test_starts_bounds_from_float32_demand_and_memory_are_summed_in_float64(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # 1e8 + 3 + 3: in float32 the 3s vanish (spacing 8 at 1e8), in float64 the sum is 1e8 + 6,
    # above one host of 1e8 + 3 -> bound 2 = the 2 hosts first fit needs: nothing else tried
    cap = 1e8 + 3.0
    m = np.array([[1e8], [3.0], [3.0]], dtype=np.float32)
    calls = _spy_constructions(monkeypatch)
    got = _starts(m, cap, **_DEFAULTS)
    assert calls == [("first", (0, 1, 2), 0)]
    assert got[0].tolist() == [0, 0, 1]
    # the same in memory (CPU 1 each on hosts of 100)
    calls.clear()
    mem = np.array([1e8, 3.0, 3.0], dtype=np.float32)
    kw = {**_DEFAULTS, "memory": mem, "host_memory": 1e8 + 3.0}
    got = _starts(np.ones((3, 1)), 100.0, **kw)
    assert calls == [("first", (0, 1, 2), 0)]
    assert got[0].tolist() == [0, 0, 1]


def test_starts_bound_of_one_host_with_every_server_apart(monkeypatch: pytest.MonkeyPatch) -> None:
    # three servers of 10, pairwise apart: composite bound 1 (30 of 100), every construction
    # needs 3.  Balanced fills upwards from 1 and 2 open hosts (both open more), per order
    conf = [np.array([1, 2]), np.array([0, 2]), np.array([0, 1])]
    calls = _spy_constructions(monkeypatch)
    got = _starts(np.full((3, 1), 10.0), 100.0, **{**_DEFAULTS, "conflicts": conf})
    order = (0, 1, 2)
    assert calls == [("first", order, 0)] + [("balance", order, 1), ("balance", order, 2)] * 2
    assert [g.tolist() for g in got] == [[0, 1, 2], [0, 1, 2]]


def test_memory_without_host_memory_is_not_read() -> None:
    m = np.array([[60.0, 10.0], [10.0, 60.0], [50.0, 50.0], [30.0, 30.0]])
    # (the hosts' unbounded memory minus an infinite one is NaN: never compared)
    with np.errstate(invalid="ignore"):
        for memory in (np.full(4, np.inf), np.array([1.0, np.nan, 1e300, 0.0])):
            assert pack_heuristic(m, 100.0, memory=memory).tolist() == [0, 0, 1, 0]


def test_large_instances_only_above_the_cells(monkeypatch: pytest.MonkeyPatch) -> None:
    m = np.array([[60.0, 10.0], [10.0, 60.0], [50.0, 50.0], [30.0, 30.0]])
    calls = _spy_constructions(monkeypatch)
    monkeypatch.setattr(construct, "SMALL_INSTANCE_CELLS", m.size)  # exactly: still small
    _starts(m, 100.0, **_DEFAULTS)
    assert calls[0][0] == "first"
    calls.clear()
    monkeypatch.setattr(construct, "SMALL_INSTANCE_CELLS", m.size - 1)  # large: no first fit
    got = _starts(m, 100.0, **_DEFAULTS)
    assert {c[0] for c in calls} == {"balance"} and len(got) == 1


@pytest.mark.parametrize(
    ("small_cells", "max_tries", "large_tries", "want"),
    [(100, 40, 4, 40), (7, 40, 4, 4), (7, 2, 4, 2), (8, 3, 1, 3), (7, 3, 1, 1)],
)
def test_improvement_tries_on_large_instances(
    monkeypatch: pytest.MonkeyPatch, small_cells: int, max_tries: int, large_tries: int, want: int
) -> None:
    # the improvement pass gets max_tries, at most IMPROVE_MAX_TRIES_LARGE on large instances
    tries: list[int] = []
    real = construct._improve

    def spy(*args: Any) -> np.ndarray:
        tries.append(args[-1])
        return real(*args)

    monkeypatch.setattr(construct, "_improve", spy)
    monkeypatch.setattr(construct, "SMALL_INSTANCE_CELLS", small_cells)
    monkeypatch.setattr(construct, "IMPROVE_MAX_TRIES_LARGE", large_tries)
    m = np.array([[60.0, 10.0], [10.0, 60.0], [50.0, 50.0], [30.0, 30.0]])  # 8 cells
    _starts(m, 100.0, **{**_DEFAULTS, "max_tries": max_tries})
    assert tries and set(tries) == {want}


def test_the_screen_is_built_once_and_reused(monkeypatch: pytest.MonkeyPatch) -> None:
    # _construct uses the screen it is given (a cache of the matrix's blocks)
    m = np.array([[40.0], [70.0], [50.0]])
    screen = _Screen(m)
    kw: dict[str, Any] = {"memory": np.zeros(3), "host_memory": np.inf, "conflicts": None}
    got, hosts = _construct(
        m, np.arange(3), 100.0, start_hosts=0, rule="first", screen=screen, **kw
    )
    assert got.tolist() == [0, 1, 0] and hosts.screen is screen
    _, hosts = _construct(m, np.arange(3), 100.0, start_hosts=0, rule="first", **kw)
    assert hosts.screen is not screen and hosts.screen.xmax.tolist() == [[40.0], [70.0], [50.0]]
    # _starts builds one screen of the matrix and hands it to every construction
    screens: list[Any] = []
    real = construct._construct

    def spy(matrix: np.ndarray, order: np.ndarray, capacity: float, **kw: Any) -> Any:
        screens.append(kw.get("screen"))
        return real(matrix, order, capacity, **kw)

    monkeypatch.setattr(construct, "_construct", spy)
    _starts(
        np.full((3, 1), 10.0),
        100.0,
        **{**_DEFAULTS, "lower_bound_hosts": 1, "memory": np.full(3, 600.0), "host_memory": 1000.0},
    )
    assert len(screens) == 5 and isinstance(screens[0], _Screen)
    assert all(sc is screens[0] for sc in screens)
    assert screens[0].matrix.tolist() == [[10.0]] * 3


def test_large_instance_without_balance_tries_still_packs(monkeypatch: pytest.MonkeyPatch) -> None:
    # Large instance (no first fit) with balance_tries=0: one balanced fill from the bound.
    # Loads [60, 10], [10, 60], [50, 50], [30, 30] on hosts of 100: the composite peak is
    # 150 -> bound 2; mean + std orders the servers 2 (50+0), 0 and 1 (35+25), 3 (30): with
    # two open hosts the balanced fill puts 2 and 0 apart, 1 with 0 ([70, 70]), 3 with 2
    # ([80, 80]): 2 hosts, feasible at both steps.
    m = np.array([[60.0, 10.0], [10.0, 60.0], [50.0, 50.0], [30.0, 30.0]])
    monkeypatch.setattr(construct, "SMALL_INSTANCE_CELLS", m.size - 1)
    for tries in (0, -1):
        host_of = pack_heuristic(m, 100.0, balance_tries=tries)
        assert np.unique(host_of).size == 2
        for h in np.unique(host_of):
            assert (m[host_of == h].sum(axis=0) <= 100.0).all()


@pytest.mark.parametrize("bound", [-1, 5])
def test_lower_bound_outside_zero_to_servers_is_refused(bound: int) -> None:
    m = np.array([[60.0, 10.0], [10.0, 60.0], [50.0, 50.0], [30.0, 30.0]])
    with pytest.raises(ValueError, match=r"'lower_bound_hosts' must be in 0\.\.4 \(the servers\)"):
        pack_heuristic(m, 100.0, lower_bound_hosts=bound)
