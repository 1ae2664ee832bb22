"""Packing's local search checked by hand and against a second method (issue 27 §2, search.py).

The second method, :func:`_reference`, follows the method described in
:func:`colonykit.packing.search.local_search`'s docstring step by step in plain Python: host
loads are lists of integers, every overload penalty Σ_t max(0, load(t) − limit) is recomputed
from scratch for every candidate (exact :class:`fractions.Fraction` arithmetic, the limit being
the float ``capacity × (1 + CAPACITY_RTOL)``), every move and swap is enumerated one by one, and
the documented tie rules and seeded draws are applied as the docstring states them.  The
library computes the changes in the penalty incrementally with numpy; on the instances below
(capacity 520, so the limit lies in [512, 1024) and every value the search forms is a multiple
of 2⁻⁴³ below 1024 in size) its float64 sums are exact, so its choices must equal the
reference's exactly, ties included.  The reference checks that bound and skips an instance
that could leave it.
"""

from __future__ import annotations

import importlib
from fractions import Fraction
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

from colonykit.packing.problem import CAPACITY_RTOL
from colonykit.packing.search import (
    LOCAL_SEARCH_ITEMS,
    LOCAL_SEARCH_SEED,
    LOCAL_SEARCH_STALL,
    LOCAL_SEARCH_TABU,
    SWAP_MAX_CELLS,
    SearchStats,
    _host_loads,
    _overload,
    default_iterations,
    local_search,
)

CAP = 520.0  # limit 520.00000052 in [512, 1024): float64 sums of whole numbers < 1024 are exact


# --------------------------------------------------------------------------- second method
class _Inexact(Exception):
    """The instance could leave the range where the library's float sums are exact."""


def _renumber(labels: list[int]) -> list[int]:
    """Host ids 0.. in order of first appearance (the docstring's 0-based, consecutive)."""
    seen: dict[int, int] = {}
    return [seen.setdefault(x, len(seen)) for x in labels]


def _reference(
    matrix: np.ndarray,
    start: np.ndarray,
    capacity: float,
    *,
    memory: np.ndarray | None = None,
    host_memory: float | None = None,
    conflicts: list[np.ndarray] | None = None,
    lower_bound: int = 1,
    seed: int = LOCAL_SEARCH_SEED,
    max_iters: int = 20_000,
    snapshots: dict[int, Any] | None = None,
) -> tuple[list[int], tuple[int, int, int, str, float], list[list[int]]]:
    """The local search as its docstring describes it: (host_of, stats, feasible packings).

    ``snapshots`` (optional) receives, for every k reached, what a search with
    ``max_iters=k`` returns: the state at the first check of the iteration limit with k
    iterations done (everything before it is the same as in this longer search).

    Demands and the capacity are whole numbers, so a load is over the limit C(1 + 1e-9)
    exactly when it is above C, and a host's penalty is exactly S − c·δ (S the sum of
    load − C over its c loads above C, δ = limit − C): kept as a Fraction.
    """
    x = matrix.astype(np.int64)
    assert np.array_equal(x, matrix) and float(capacity).is_integer()  # whole numbers only
    n, steps = x.shape
    cap = int(capacity)
    lim = Fraction(capacity * (1 + CAPACITY_RTOL))  # the float the library compares with
    delta = lim - cap
    assert 0 < delta < 1
    mem = [Fraction(0)] * n if memory is None else [Fraction(float(v)) for v in memory]
    mlim = None if host_memory is None else Fraction(host_memory * (1 + CAPACITY_RTOL))
    conf: list[set[int]] = [set() for _ in range(n)]
    if conflicts is not None:
        conf = [{int(j) for j in c} for c in conflicts]
    rng = np.random.default_rng(seed)
    partners = max(1, SWAP_MAX_CELLS // max(steps, 1))
    top = 1024 if 512 <= lim < 1024 else 0  # the library's sums are exact below it

    def pen(load: np.ndarray) -> Fraction:
        above = load[load > cap] - cap
        return int(above.sum()) - above.size * delta

    def big(*loads: np.ndarray) -> bool:
        """Could the library's float64 for this candidate be rounded?"""
        return any(int(row.max()) - lim >= top or pen(row) >= top for row in loads)

    def better(d: Fraction, flag: bool, item: Any, best: list[Any] | None) -> list[Any] | None:
        """The new best [d, item, flag, open] when d is strictly lower; an exact tie with a
        value the library may have rounded leaves its choice open (unless beaten later)."""
        if best is None or d < best[0]:
            return [d, item, flag, False]
        if d == best[0] and (flag or best[2]):
            best[3] = True
        return best

    def settled(best: list[Any] | None) -> list[Any] | None:
        if best is not None and best[3]:
            raise _Inexact
        return best

    def fits_memory(used: Fraction, extra: Fraction) -> bool:
        return mlim is None or used + extra <= mlim

    def on(k: int, servers: set[int], cur: list[int]) -> bool:
        """Is one of ``servers`` on host k?"""
        return any(cur[j] == k for j in servers)

    best = _renumber([int(v) for v in start])
    before = max(best) + 1
    feasible: list[list[int]] = []
    it, attempt = 0, 0
    least: Fraction | None = None  # None: infinite

    def out(why: str) -> tuple[list[int], tuple[int, int, int, str, float], list[list[int]]]:
        left = 0.0 if least is None else round(float(least), 3)
        return best, (before, max(best) + 1, it, why, left), list(feasible)

    def limit_reached() -> bool:
        if snapshots is not None and it not in snapshots:
            snapshots[it] = out("iteration limit")
        return it >= max_iters

    while True:
        m = max(best) + 1
        if m <= max(lower_bound, 1):
            return out("lower bound reached")
        if attempt >= m:
            return out("every host tried")
        if limit_reached():
            return out("iteration limit")
        sums = [int(x[[i for i in range(n) if best[i] == k]].sum()) for k in range(m)]
        drop = sorted(range(m), key=lambda k: (sums[k], k))[attempt]
        kept = [k for k in range(m) if k != drop]
        cur = [-1 if best[i] == drop else kept.index(best[i]) for i in range(n)]
        m -= 1
        load = [x[[i for i in range(n) if cur[i] == k]].sum(axis=0) for k in range(m)]
        memu = [sum((mem[i] for i in range(n) if cur[i] == k), Fraction(0)) for k in range(m)]
        placed_all = True
        moving = [i for i in range(n) if best[i] == drop]
        for i in sorted(moving, key=lambda i: (-int(x[i].max()), i)):  # largest peak first
            ok = [k for k in range(m) if fits_memory(memu[k], mem[i]) and not on(k, conf[i], cur)]
            if not ok:
                placed_all = False
                break
            # least added overload, then lowest peak after adding, then lowest host
            cand: list[Any] | None = None
            for k in ok:
                after = load[k] + x[i]
                cand = better(pen(after) - pen(load[k]), big(after), (int(after.max()), k), cand)
            assert cand is not None
            # equal changes (exactly, not rounded): the lowest peak, then the lowest host
            settled(cand)
            k = min(
                (int((load[k] + x[i]).max()), k)
                for k in ok
                if pen(load[k] + x[i]) - pen(load[k]) == cand[0]
            )[1]
            load[k] = load[k] + x[i]
            memu[k] += mem[i]
            cur[i] = k
        tabu: dict[tuple[int, int], int] = {}
        least, stall = None, 0
        total = Fraction(0)
        while placed_all:
            pens = [pen(row) for row in load]
            total = sum(pens, Fraction(0))
            if total == 0:
                break
            if total >= top and least is not None and total == least:
                raise _Inexact  # the library's sum of the hosts' penalties may be rounded
            stall = 0 if least is None or total < least else stall + 1
            least = total if least is None else min(least, total)
            if stall > LOCAL_SEARCH_STALL:
                break
            if limit_reached():
                return out("iteration limit")
            it += 1
            h = int(rng.choice(np.array([k for k in range(m) if pens[k] > 0])))
            members = [i for i in range(n) if cur[i] == h]
            hot = load[h] > cap
            ranked = sorted(members, key=lambda i: (-int(x[i][hot].sum()), i))
            group_items = ranked[:LOCAL_SEARCH_ITEMS]
            na = len(group_items)
            groups = [[a] for a in range(na)] + [
                [a, c] for a in range(na) for c in range(a + 1, na)
            ]
            others = [i for i in range(n) if cur[i] != h]
            if len(others) > partners:
                others = sorted(
                    int(v) for v in rng.choice(np.array(others), partners, replace=False)
                )

            def free(
                i: int, k: int, now: int = it, tabu: dict[tuple[int, int], int] = tabu
            ) -> bool:
                return tabu.get((i, k), 0) <= now

            choice: list[Any] | None = None  # [change, (servers, host, partner), flag, open]
            for g in groups:
                items = [group_items[a] for a in g]
                xg = x[items].sum(axis=0)
                mg = sum((mem[i] for i in items), Fraction(0))
                partners_of_g = set().union(*(conf[i] for i in items))
                new_h = load[h] - xg
                best_move: list[Any] | None = None
                for k in range(m):  # 1-0 and 2-0 moves: the lowest host of the least change
                    if k == h or not fits_memory(memu[k], mg) or on(k, partners_of_g, cur):
                        continue
                    d = pen(new_h) - pens[h] + pen(load[k] + xg) - pens[k]
                    flag = big(new_h, load[k] + xg)
                    if not all(free(i, k) for i in items):
                        if total + d == least and (flag or total >= top):
                            raise _Inexact
                        if not total + d < least:
                            continue  # tabu and no aspiration
                    best_move = better(d, flag, k, best_move)
                if best_move is not None:
                    d, k, flag, unsure = best_move
                    choice = better(d, flag or unsure, (items, k, -1), choice)
                best_swap: list[Any] | None = None
                for b in others:  # 1-1 and 2-1 swaps: the lowest server of the least change
                    kb = cur[b]
                    if not (
                        fits_memory(memu[h] - mg, mem[b]) and fits_memory(memu[kb] - mem[b], mg)
                    ):
                        continue
                    # anti-affinity on the packing before the swap (a leaving partner counts)
                    if on(h, conf[b], cur) or on(kb, partners_of_g, cur):
                        continue
                    d = pen(new_h + x[b]) - pens[h] + pen(load[kb] + xg - x[b]) - pens[kb]
                    flag = big(new_h + x[b], load[kb] + xg - x[b])
                    if not (free(b, h) and all(free(i, kb) for i in items)):
                        if total + d == least and (flag or total >= top):
                            raise _Inexact
                        if not total + d < least:
                            continue
                    best_swap = better(d, flag, b, best_swap)
                if best_swap is not None:
                    d, b, flag, unsure = best_swap
                    choice = better(d, flag or unsure, (items, cur[b], b), choice)
            if choice is None:
                continue  # nothing allowed: the iteration counts all the same
            moved, k, b = settled(choice)[1]  # type: ignore[index]
            for a in moved:
                load[h], load[k] = load[h] - x[a], load[k] + x[a]
                memu[h], memu[k] = memu[h] - mem[a], memu[k] + mem[a]
                cur[a] = k
                tabu[(a, h)] = it + int(rng.integers(LOCAL_SEARCH_TABU, 3 * LOCAL_SEARCH_TABU + 1))
            if b >= 0:
                load[k], load[h] = load[k] - x[b], load[h] + x[b]
                memu[k], memu[h] = memu[k] - mem[b], memu[h] + mem[b]
                cur[b] = h
                tabu[(b, k)] = it + int(rng.integers(LOCAL_SEARCH_TABU, 3 * LOCAL_SEARCH_TABU + 1))
        if not placed_all or total > 0:
            attempt += 1  # this host could not be emptied: the next least-loaded one
            continue
        attempt = 0
        best = _renumber(cur)
        least = Fraction(0)
        feasible.append(best)


def _library(
    matrix: np.ndarray, start: np.ndarray, capacity: float, **kw: Any
) -> tuple[list[int], tuple[int, int, int, str, float], list[list[int]]]:
    seen: list[list[int]] = []
    host_of, s = local_search(
        matrix, start, capacity, on_feasible=lambda h: seen.append(h.tolist()), **kw
    )
    assert host_of.dtype == np.int64
    stats = (s.hosts_before, s.hosts_after, s.iterations, s.stopped, s.overload_left)
    return host_of.tolist(), stats, seen


def _instance(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, dict[str, Any]]:
    """Whole-number demands, first fit in a random order (a feasible start), maybe memory
    and anti-affinity pairs (the start then one server per host)."""
    n = int(rng.integers(3, 10))
    steps = int(rng.integers(1, 4))
    scale = int(rng.choice([150, 260, 400]))
    matrix = rng.integers(0, scale + 1, (n, steps)).astype(np.float64)
    kw: dict[str, Any] = {}
    if rng.random() < 0.3:
        kw["memory"] = rng.integers(0, 5, n).astype(np.float64)
        kw["host_memory"] = float(rng.integers(4, 9))
    if rng.random() < 0.3:
        pairs = [rng.choice(n, 2, replace=False) for _ in range(int(rng.integers(1, 4)))]
        kw["conflicts"] = [
            np.array(
                sorted({int(b) for a, b in pairs if a == i} | {int(a) for a, b in pairs if b == i}),
                dtype=np.int64,
            )
            for i in range(n)
        ]
    if kw or rng.random() < 0.2:
        return matrix, rng.permutation(n), kw  # one server per host: feasible, the worst start
    loads: list[np.ndarray] = []
    host_of = np.zeros(n, dtype=np.int64)
    for i in rng.permutation(n):
        for k, row in enumerate(loads):
            if (row + matrix[i] <= CAP).all():
                row += matrix[i]
                host_of[i] = k
                break
        else:
            loads.append(matrix[i].copy())
            host_of[i] = len(loads) - 1
    return matrix, host_of, kw


def _compare(matrix: np.ndarray, start: np.ndarray, **kw: Any) -> bool:
    try:
        want = _reference(matrix, start, CAP, **kw)
    except _Inexact:
        return False
    got = _library(matrix, start, CAP, **kw)
    assert got == want, (matrix.tolist(), start.tolist(), kw)
    return True


def _compare_prefixes(matrix: np.ndarray, start: np.ndarray, ks: list[int], **kw: Any) -> bool:
    """The library with ``max_iters=k`` for each k against one longer run of the reference."""
    snapshots: dict[int, Any] = {}
    try:
        final = _reference(matrix, start, CAP, max_iters=max(ks), snapshots=snapshots, **kw)
    except _Inexact:
        return False
    for k in ks:
        got = _library(matrix, start, CAP, max_iters=k, **kw)
        assert got == snapshots.get(k, final), (matrix.tolist(), start.tolist(), k, kw)
    return True


def test_local_search_equals_the_second_method_on_a_sweep() -> None:
    rng = np.random.default_rng(20261207)
    checked = 0
    for case in range(120):
        matrix, start, kw = _instance(rng)
        if rng.random() < 0.5:
            kw["lower_bound"] = int(np.ceil(matrix.sum(axis=0).max() / CAP))
        for max_iters in (1, 2, 3, int(rng.integers(4, 30))):
            checked += _compare(matrix, start, seed=case, max_iters=max_iters, **kw)
    assert checked >= 400


# --------------------------------------------------------------------------- helpers by hand
def test_default_iterations_by_hand() -> None:
    # 20,000,000 // (items × steps + 2,000), clipped to 50 … 20,000; items and steps ≥ 1
    assert default_iterations(0, 0) == 9_995  # 1 × 1 + 2,000 = 2,001; 2,001 × 9,995 = 19,999,995
    assert default_iterations(-5, 3) == 9_985  # 1 × 3 + 2,000 = 2,003; × 9,985 = 19,999,955
    assert default_iterations(0, 5) == 9_975  # 2,005 × 9,975 = 19,999,875
    assert default_iterations(3.7, 2.9) == 9_970  # type: ignore[arg-type]  # int(): 3 × 2 + 2,000
    assert default_iterations(100, 100) == 1_666  # 12,000 × 1,666 = 19,992,000
    assert default_iterations(1052, 288) == 65  # 304,976 × 65 = 19,823,440
    assert default_iterations(398, 1000) == 50  # 400,000 × 50 exactly
    assert default_iterations(399, 1000) == 50  # 401,000: 49, clipped up to 50
    assert default_iterations(10**6, 10**3) == 50
    assert isinstance(default_iterations(5, 5), int)


def test_host_loads_and_overload_by_hand() -> None:
    m = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    loads = _host_loads(m, np.array([2, 0, 2]), 3)
    assert loads.dtype == np.float64 and loads.tolist() == [[3, 4], [0, 0], [6, 8]]
    # float32 demand summed in float64: 2^24 + 1 is not a float32
    big = np.array([[16_777_216.0], [1.0]], dtype=np.float32)
    assert _host_loads(big, np.array([0, 0]), 1).tolist() == [[16_777_217.0]]
    assert _overload(np.array([[110.0, 90.0], [130.0, 140.0]]), 100.0).tolist() == [10, 70]
    assert float(_overload(np.array([120.0, 80.0, 105.0]), 100.0)) == 25.0
    over = _overload(np.array([16_777_216.0, 1.0], dtype=np.float32), 0.0)
    assert over.dtype == np.float64 and float(over) == 16_777_217.0


def test_search_stats_defaults() -> None:
    s = SearchStats(3, 2, 5, 1.5, "iteration limit")
    assert (s.overload_left, s.pool_iterations) == (0.0, 0)


# --------------------------------------------------------------------------- local_search by hand
def test_two_servers_merge_onto_one_host_with_the_default_bound() -> None:
    # 10 and 20 on hosts of 100: the lighter host (10) is emptied onto the other, penalty 0
    seen: list[list[int]] = []
    best, s = local_search(
        np.array([[10.0], [20.0]]),
        np.array([5, 9]),
        100,
        on_feasible=lambda h: seen.append(h.tolist()),
    )
    assert best.tolist() == [0, 0] and seen == [[0, 0]]
    assert (s.hosts_before, s.hosts_after, s.iterations, s.stopped, s.overload_left) == (
        2,
        1,
        0,
        "lower bound reached",
        0.0,
    )


def test_a_stalled_search_tries_every_host() -> None:
    # 261 + 260 > 520: emptying either host leaves one host at 521, overload 0.99999948; no
    # other host to move to and no server elsewhere to swap with, so every iteration applies
    # nothing and the penalty never falls: 2,001 iterations per host (stall 0, 1, …, 2,000 run,
    # 2,001 > LOCAL_SEARCH_STALL stops), two hosts tried, none emptied (a penalty below 1 is
    # still an overload)
    m = np.array([[261.0], [260.0]])
    best, s = local_search(m, np.array([0, 1]), CAP)
    assert best.tolist() == [0, 1]
    assert (s.hosts_after, s.iterations, s.stopped, s.overload_left) == (
        2,
        2 * (LOCAL_SEARCH_STALL + 1),
        "every host tried",
        1.0,
    )


def test_seconds_and_the_time_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    search = importlib.import_module("colonykit.packing.search")
    two = (np.array([[10.0], [20.0]]), np.array([4, 1]), 100)
    with monkeypatch.context() as patch:  # the search's clock: 1,000 s at the start, then later
        clock = iter([1000.0] + [1002.12345] * 50)
        patch.setattr(search, "time", SimpleNamespace(perf_counter=lambda: next(clock)))
        _, s = local_search(*two)
        assert s.seconds == 2.123 and s.stopped == "lower bound reached"  # 3 decimals
    with monkeypatch.context() as patch:  # a clock that stands still: never MORE than 0 s
        patch.setattr(search, "time", SimpleNamespace(perf_counter=lambda: 1000.0))
        best, s = local_search(*two, time_limit_s=0.0)
        assert best.tolist() == [0, 0] and (s.seconds, s.stopped) == (0.0, "lower bound reached")
    # a limit of 0 (or below) on a running clock stops before the first host is emptied
    for limit in (0.0, -3.0):
        best, s = local_search(*two, time_limit_s=limit)
        assert best.tolist() == [0, 1] and (s.iterations, s.stopped) == (0, "time limit")


def test_swap_partners_are_sampled_beyond_swap_max_cells() -> None:
    # 10,000 steps: SWAP_MAX_CELLS // 10,000 = 9 partners at most, so with more than 9 servers
    # on the other hosts a seeded sample of 9 (sorted) is evaluated; demand at two steps only
    rng = np.random.default_rng(11)
    steps = 10_000
    assert SWAP_MAX_CELLS // steps == 9
    checked = 0
    for case in range(3):
        n = 14
        matrix = np.zeros((n, steps))
        matrix[:, :2] = rng.integers(40, 200, (n, 2))
        start = np.arange(n) // 3  # 3 servers per host, 5 hosts, when that fits
        loads = np.zeros((5, 2))
        np.add.at(loads, start, matrix[:, :2])
        if (loads > CAP).any():
            start = np.arange(n) // 2  # 2 per host: at most 400
        for max_iters in (2, 7):
            checked += _compare(matrix, start, seed=case, max_iters=max_iters, lower_bound=3)
    assert checked == 6


def test_overload_left_is_rounded_to_three_decimals() -> None:
    # two servers of 300 at 1,000 steps: emptying one host leaves 600 at every step, overload
    # (600 − 520.00000052) × 1,000 = 79,999.99948 → 79,999.999 (4 decimals: 79,999.9995)
    m = np.full((2, 1000), 300.0)
    _, s = local_search(m, np.array([0, 1]), CAP, max_iters=1)
    assert (s.iterations, s.stopped, s.overload_left) == (1, "iteration limit", 79_999.999)


def test_the_lowest_numbered_of_equal_hosts_is_emptied_first() -> None:
    # 20 hosts: 0-9 hold [420, 420] (sum 840), 10-19 hold [a, 100 − a] (sum 100 each, a =
    # 10 … 19).  Host 10 is emptied first (the lowest-numbered of the least-loaded): its
    # server [10, 90] adds no overload anywhere and goes where the peak after adding is lowest,
    # host 19: max(10 + 19, 90 + 81) = 171 (host 11: max(21, 179) = 179, …).  One feasible
    # packing on 19 hosts, the lower bound
    matrix = np.array([[420.0, 420.0]] * 10 + [[a, 100.0 - a] for a in range(10, 20)])
    best, s = local_search(matrix, np.arange(20), CAP, lower_bound=19, max_iters=1)
    want = list(range(11)) + list(range(11, 19)) + [10]  # renumbered by first appearance
    assert best.tolist() == want and (s.hosts_after, s.stopped) == (19, "lower bound reached")
    assert _compare(matrix, np.arange(20), lower_bound=19, max_iters=1)


def test_one_swap_partner_beyond_45000_steps() -> None:
    # 50,000 steps: SWAP_MAX_CELLS // 50,000 = 1 partner (the floor of one) drawn per iteration
    steps = 50_000
    matrix = np.zeros((5, steps))
    matrix[:, :2] = [[200, 300], [260, 100], [250, 250], [100, 260], [300, 200]]
    start = np.array([0, 0, 1, 2, 2])  # 460 400 | 250 250 | 400 460
    for max_iters in (3, 6):
        assert _compare(matrix, start, seed=3, max_iters=max_iters)


def test_host_labels_are_cast_to_int64() -> None:
    # host_of is read as int64 (numpy's cast: 1.5 and 1.7 are both host 1), then renumbered
    m = np.array([[10.0], [20.0], [400.0]])
    best, s = local_search(m, np.array([1.5, 1.7, 0.2]), CAP, lower_bound=2)
    assert best.tolist() == [0, 0, 1] and (s.hosts_before, s.stopped) == (2, "lower bound reached")


def test_memory_exactly_at_the_tolerance_fits() -> None:
    # a server whose memory equals host_memory × (1 + 1e-9) exactly still fits a host alone
    mem_max = 1000 * (1 + CAPACITY_RTOL)
    best, s = local_search(
        np.array([[10.0], [20.0]]),
        np.array([0, 1]),
        100,
        memory=np.array([mem_max, 0.0]),
        host_memory=1000,
    )
    assert best.tolist() == [0, 0] and s.stopped == "lower bound reached"


def test_servers_of_equal_peak_are_placed_in_index_order() -> None:
    # 18 servers of peak 20 or 30 (ties) on the host emptied first, three fuller hosts beside
    # it: placed one by one in order of peak, equal peaks by index (numpy's unstable sort
    # orders more than 16 equal keys differently)
    rng = np.random.default_rng(1)
    big = [[500, 300], [300, 500], [420, 420]]  # sums 800, 800, 840: the 18 servers sum less
    for case in range(8):
        peaks = rng.choice([20, 30], 18)
        low = [int(rng.integers(0, p + 1)) for p in peaks]
        items = [
            [int(p), a] if rng.random() < 0.5 else [a, int(p)]
            for p, a in zip(peaks, low, strict=True)
        ]
        matrix = np.array(items + big, dtype=np.float64)
        assert matrix[:18].sum() < 800
        start = np.array([0] * 18 + [1, 2, 3])
        for max_iters in (1, 3):
            assert _compare(matrix, start, seed=case, max_iters=max_iters, lower_bound=3)


def test_a_load_exactly_at_the_limit_is_feasible() -> None:
    # 70.0000001 + 30 = 100 × (1 + 1e-9) exactly in float64: within the tolerance
    top = 100 * (1 + CAPACITY_RTOL)
    m = np.array([[top - 30.0], [30.0]])
    assert m.sum() == top
    best, s = local_search(m, np.array([0, 1]), 100)
    assert best.tolist() == [0, 0] and (s.iterations, s.stopped) == (0, "lower bound reached")


def test_feasibility_is_checked_on_exactly_summed_loads() -> None:
    # host 0 holds a = 39.6 and b = 34.0 (servers 0 and 2), host 1 holds c = 100.0000001 − 73.6
    # (server 1).  Emptying host 1 adds c to a + b: (a + b) + c is exactly the limit (penalty 0),
    # but the exact sum of the host's servers, (a + c) + b, is one ulp above it: not feasible, so
    # the search goes on (nothing to move on one host) and keeps the two hosts
    a, b = 39.6, 34.0
    top = 100 * (1 + CAPACITY_RTOL)
    c = top - (a + b)
    assert (a + b) + c == top and (a + c) + b > top
    m = np.array([[a], [c], [b]])
    best, s = local_search(m, np.array([0, 1, 0]), 100, max_iters=1)
    assert best.tolist() == [0, 1, 0]
    assert (s.hosts_after, s.iterations, s.stopped, s.overload_left) == (
        2,
        1,
        "iteration limit",
        0.0,
    )


def test_the_time_limit_is_checked_before_each_iteration(monkeypatch: pytest.MonkeyPatch) -> None:
    search = importlib.import_module("colonykit.packing.search")
    m = np.array([[300.0], [300.0]])  # emptying either host overloads the other: no move exists
    with monkeypatch.context() as patch:  # a clock that stands still: never more than 0 s
        patch.setattr(search, "time", SimpleNamespace(perf_counter=lambda: 1000.0))
        _, s = local_search(m, np.array([0, 1]), CAP, time_limit_s=0.0, max_iters=3)
        assert (s.iterations, s.stopped) == (3, "iteration limit")
    with monkeypatch.context() as patch:
        # readings: the start, the check before emptying host 0, before iteration 1 (all at 0 s),
        # before iteration 2 (100 s > 60 s), the seconds reported
        clock = iter([0.0, 0.0, 0.0, 100.0, 100.0])
        patch.setattr(search, "time", SimpleNamespace(perf_counter=lambda: next(clock)))
        best, s = local_search(m, np.array([0, 1]), CAP, time_limit_s=60.0)
        assert best.tolist() == [0, 1]
        assert (s.iterations, s.stopped, s.seconds, s.overload_left) == (
            1,
            "time limit",
            100.0,
            80.0,
        )


def test_emptying_adds_the_least_overload_to_an_overloaded_host() -> None:
    # hosts X [495, 100], Y [500, 500] and the emptied host's [40, 0], [0, 30].  [40, 0] (the
    # larger peak) overloads X by 15 − δ and Y by 20 − δ: X.  [0, 30] then adds nothing to X
    # (its step 1 fits) but 10 − δ to Y: X again (the change in X's overload counts, not X's
    # overload).  Penalty 15 − δ, which one move of [40, 0] to Y cannot lower (20 − δ).
    m = np.array([[495.0, 100.0], [500.0, 500.0], [40.0, 0.0], [0.0, 30.0]])
    start = np.array([0, 1, 2, 2])
    _, s = local_search(m, start, CAP, max_iters=1)
    assert (s.hosts_after, s.iterations, s.overload_left) == (3, 1, 15.0)
    for max_iters in (1, 2, 3):
        assert _compare(m, start, max_iters=max_iters)


def test_items_of_equal_weight_at_the_overloaded_steps_rank_by_index() -> None:
    # host A: 17 servers of 25 or 30 at step 0 (460 < sum < 480), B: [480, 300], and the
    # emptied host's [60, 10], which overloads A less (by < 20) than B (by 20).  A's servers
    # rank by their demand at the overloaded step 0, equal ones by index (numpy's unstable sort
    # orders more than 16 equal keys differently).  Every single 25 or 30 moved to B makes the
    # packing feasible (the same change) except the first 30, whose 230 at step 1 would
    # overload B: so the second 30 by index moves
    rng = np.random.default_rng(4)
    checked = 0
    while checked < 4:
        peaks = rng.choice([25, 30], 17)
        if not 460 < peaks.sum() < 480:
            continue
        thirty = np.flatnonzero(peaks == 30)
        small = [[int(p), int(rng.integers(0, 16))] for p in peaks]
        small[thirty[0]][1] = 230
        matrix = np.array(small + [[480.0, 300.0], [60.0, 10.0]], dtype=np.float64)
        start = np.array([0] * 17 + [1, 2])
        best, s = local_search(matrix, start, CAP, seed=checked, max_iters=1, lower_bound=2)
        assert best[thirty[1]] == best[17] != best[thirty[0]] and s.iterations == 1
        assert _compare(matrix, start, seed=checked, max_iters=1, lower_bound=2)
        checked += 1


def _tight(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """3 to 5 hosts filled to 60-95 % at 1-3 steps, split into 1-4 servers each."""
    steps = int(rng.integers(1, 4))
    rows: list[np.ndarray] = []
    start: list[int] = []
    for k in range(int(rng.integers(3, 6))):
        fill = rng.integers(int(0.6 * CAP), int(0.95 * CAP) + 1, steps)
        parts = int(rng.integers(1, 5))
        cuts = np.sort(rng.integers(0, fill + 1, (parts - 1, steps)), axis=0)
        edges = np.vstack([np.zeros(steps, dtype=np.int64), cuts, fill])
        rows.extend(np.diff(edges, axis=0))
        start.extend([k] * parts)
    return np.array(rows, dtype=np.float64), np.array(start)


def test_longer_searches_equal_the_second_method_at_every_stop() -> None:
    # tight instances keep the search going: the library stopped after k iterations (several
    # k up to 40) against the reference's state after k iterations of one run
    rng = np.random.default_rng(21)
    checked = 0
    for case in range(14):
        matrix, start = _tight(rng)
        ks = sorted({int(k) for k in rng.integers(1, 41, 6)})
        checked += _compare_prefixes(matrix, start, ks, seed=case)
    assert checked >= 11


def test_memory_at_the_tolerance_equals_the_second_method() -> None:
    # memory per server 0, 0.5, M − 0.5 or M with M = 1000 × (1 + 1e-9), host memory 1000:
    # sums land exactly on the limit M (exact in float64 below 1024)
    top = 1000 * (1 + CAPACITY_RTOL)
    rng = np.random.default_rng(22)
    checked = 0
    for case in range(14):
        matrix, start = _tight(rng)
        memory = np.zeros(matrix.shape[0])
        for k in range(int(start.max()) + 1):  # each host within its memory
            on_k = np.flatnonzero(start == k)
            memory[on_k] = 0.5
            memory[rng.choice(on_k)] = rng.choice([0.0, top - 0.5, top])
            if memory[on_k].sum() > top:
                memory[on_k] = np.where(memory[on_k] == 0.5, 0.0, memory[on_k])
        ks = sorted({int(k) for k in rng.integers(1, 41, 6)})
        checked += _compare_prefixes(
            matrix, start, ks, seed=case, memory=memory, host_memory=1000.0
        )
    assert checked >= 6


def test_anti_affinity_in_longer_searches_equals_the_second_method() -> None:
    # pairs of servers on different hosts of the start that may not share a host
    rng = np.random.default_rng(23)
    checked = 0
    for case in range(10):
        matrix, start = _tight(rng)
        n = matrix.shape[0]
        pairs = [(i, j) for i in range(n) for j in range(i + 1, n) if start[i] != start[j]]
        chosen = [pairs[int(p)] for p in rng.choice(len(pairs), min(3, len(pairs)), replace=False)]
        conflicts = [
            np.array(
                sorted({b for a, b in chosen if a == i} | {a for a, b in chosen if b == i}),
                dtype=np.int64,
            )
            for i in range(n)
        ]
        ks = sorted({int(k) for k in rng.integers(1, 41, 6)})
        checked += _compare_prefixes(matrix, start, ks, seed=case, conflicts=conflicts)
    assert checked >= 8


#: instances of the tight kind where the exact penalty decides (a host 1 − δ over
#: the limit after a move; two moves equal but for δ): (demand, start, seed, stops)
DECISIVE = [
    (
        [14, 274, 90, 56, 407, 58, 95, 288, 0, 347, 114, 325],
        [0, 0, 0, 1, 1, 2, 2, 2, 3, 3, 4, 4],
        34,
        [2, 10, 20, 28],
    ),
    (
        [83, 83, 241, 23, 440, 73, 308, 177, 32, 29, 214, 199, 160],
        [0, 0, 0, 0, 1, 2, 2, 3, 3, 3, 3, 4, 4],
        52,
        [3, 10, 20, 29],
    ),
]


DECISIVE.append(
    (
        [21, 271, 240, 171, 168, 53, 154, 39, 64, 23, 101, 13, 185, 35, 1, 44, 149, 173]
        + [137, 38, 164, 487, 338, 432, 53, 9, 213, 246, 442, 4, 110, 24, 122],
        [0, 0, 0, 1, 1, 1, 1, 2, 3, 3, 3],  # three steps per server
        22,
        [2, 14, 16, 20, 23, 26],
    )
)


@pytest.mark.parametrize(("demand", "start", "seed", "stops"), DECISIVE)
def test_decisive_instances_equal_the_second_method(
    demand: list[int], start: list[int], seed: int, stops: list[int]
) -> None:
    matrix = np.array(demand, dtype=np.float64).reshape(len(start), -1)
    assert _compare_prefixes(matrix, np.array(start), stops, seed=seed)


@pytest.mark.parametrize(
    ("steps", "servers", "per_host", "seed", "cases"),
    [(10_000, (12, 15), 3, 31, {2, 10}), (50_000, (4, 8), 2, 32, {2})],
)
def test_swap_partner_samples_equal_the_second_method(
    steps: int, servers: tuple[int, int], per_host: int, seed: int, cases: set[int]
) -> None:
    # 9 partners at most at 10,000 steps (a sample only when MORE servers are elsewhere: with
    # exactly 9 none is drawn), 1 at 50,000 steps; demand at two steps only
    rng = np.random.default_rng(seed)
    for case in range(max(cases) + 1):
        n = int(rng.integers(*servers))
        matrix = np.zeros((n, steps))
        matrix[:, :2] = rng.integers(40, 260, (n, 2))
        start = np.arange(n) // per_host
        ks = sorted({int(k) for k in rng.integers(1, 16, 4)})
        if case in cases:
            assert _compare_prefixes(matrix, start, ks, seed=case)
