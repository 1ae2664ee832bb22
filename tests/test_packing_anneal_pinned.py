"""The anneal (packing.anneal, packing._anneal_kernel) checked against values worked out
independently: by hand from the docstrings, and against a plain re-implementation of the
documented annealing loop written here (issue 27 item 2: mutation tests of the anneal)."""

from __future__ import annotations

import math
import sys
from typing import Any

import numpy as np
import pandas as pd
import pytest
from helpers import diurnal_demand

from colonykit import packing
from colonykit.packing import _anneal_kernel, anneal
from colonykit.packing.problem import CAPACITY_RTOL


def test_default_anneal_moves_from_its_constants_by_hand() -> None:
    # 40,000 per server, at most 12,500,000,000 // steps
    assert anneal.ANNEAL_MOVES_PER_ITEM == 40_000
    assert anneal.ANNEAL_WORK_CELLS == 12_500_000_000
    assert anneal.default_anneal_moves(3, 1) == 120_000
    assert anneal.default_anneal_moves(1052, 288) == 42_080_000  # 1052 × 40,000 < 43,402,777
    assert anneal.default_anneal_moves(500, 8640) == 1_446_759  # 12.5e9 // 8640
    assert _anneal_kernel.MASK32 == 2**32 - 1


# ---------------------------------------------------------------------------------------------
# A second method: the documented annealing loop re-implemented plainly (lists, from-scratch
# overloads, the acceptance rule as Δ ≤ −T·ln u) and compared with the kernel draw by draw.


def _xs(x: int) -> int:
    """xorshift32 (13, 17, 5) written with modular arithmetic (Marsaglia 2003, p. 4)."""
    x = (x ^ (x * 8192)) % 4294967296
    x = x ^ (x // 131072)
    return (x ^ (x * 32)) % 4294967296


def _xs_inverse(y: int) -> int:
    """The state before ``y``: undo the three xor-shifts (each is invertible)."""

    def undo_left(v: int, s: int) -> int:
        x = v
        for _ in range(32 // s + 1):
            x = v ^ ((x << s) & 0xFFFFFFFF)
        return x

    def undo_right(v: int, s: int) -> int:
        x = v
        for _ in range(32 // s + 1):
            x = v ^ (x >> s)
        return x

    return undo_left(undo_right(undo_left(y, 5), 17), 13)


def _host_over(m: list[list[float]], host_of: list[int], k: int, cap: float) -> float:
    """Overload of host ``k`` summed from scratch: Σ_t max(0, Σ_{i on k} m[i][t] − C)."""
    steps = len(m[0])
    total = 0.0
    for t in range(steps):
        load = sum(m[i][t] for i in range(len(m)) if host_of[i] == k)
        total += max(0.0, load - cap)
    return total


def _reference(
    m: list[list[float]],
    start: list[int],
    hosts: int,
    cap: float,
    moves: int,
    cycle: int,
    t_start: float,
    t_end: float,
    seed: int,
    bias: float,
    swap_frac: float,
) -> tuple[list[int], float, int, list[int]]:
    """The kernel's documented rules, plainly: (best, least, moves drawn, last state)."""
    n = len(m)
    host_of = list(start)
    over = [_host_over(m, host_of, k, cap) for k in range(hosts)]
    best, least = list(host_of), sum(over)
    state = seed % 2**32 or 1
    r = (t_end / t_start) ** (1.0 / cycle)
    used = 0
    while used < moves and any(o > 0 for o in over):
        temp = t_start * r ** (used % cycle)
        used += 1
        state = _xs(_xs(state))
        i = state % n
        if (state >> 8) / 2**24 < bias:
            for _ in range(4 * hosts):
                if over[host_of[i]] > 0:
                    break
                state = _xs(state)
                i = state % n
        a = host_of[i]
        state = _xs(state)
        j = None
        if state / 2**32 < swap_frac:
            state = _xs(state)
            j = state % n if host_of[state % n] != a else None
        if j is not None:
            b = host_of[j]
        else:
            state = _xs(state)
            b = state % (hosts - 1)
            b = b + 1 if b >= a else b
        state = _xs(state)
        u = (state + 0.5) / 2**32
        trial = list(host_of)
        trial[i] = b
        if j is not None:
            trial[j] = a
        new_a, new_b = _host_over(m, trial, a, cap), _host_over(m, trial, b, cap)
        if new_a + new_b - over[a] - over[b] <= -temp * math.log(u):
            host_of, over[a], over[b] = trial, new_a, new_b
            total = sum(_host_over(m, host_of, k, cap) for k in range(hosts))
            if total < least:
                best, least = list(host_of), total
    return best, least, used, host_of


def _small(seed: int, n: int, steps: int, hosts: int) -> tuple[np.ndarray, float, np.ndarray]:
    """Whole-number demand (every sum exact), a capacity that leaves some host overloaded."""
    rng = np.random.default_rng(seed)
    m = rng.integers(0, 10, (n, steps)).astype(float)
    cap = float(max(m.sum(axis=0).max() / hosts * rng.uniform(0.9, 1.3), m.max()))
    return m, np.floor(cap), rng.integers(0, hosts, n)


def _both(m: np.ndarray, start: np.ndarray, *args: float) -> tuple[object, object]:
    state = start.copy()
    best, least, used = _anneal_kernel.anneal_hosts(m, state, *args)  # type: ignore[arg-type]
    ref = _reference(m.tolist(), start.tolist(), *args)  # type: ignore[arg-type]
    return (best.tolist(), float(least), int(used), state.tolist()), ref


@pytest.mark.parametrize(
    ("bias", "swap_frac"), [(0.8, 0.5), (0.0, 0.0), (1.0, 1.0), (0.3, 0.9), (1.0, 0.0)]
)
@pytest.mark.parametrize("seed", range(12))
def test_kernel_follows_the_documented_loop_draw_by_draw(
    seed: int, bias: float, swap_frac: float
) -> None:
    n, steps, hosts = 3 + seed % 6, 1 + seed % 4, 2 + seed % 3
    m, cap, start = _small(seed, n, steps, hosts)
    for moves in (1, 2, 3, 5, 8, 13, 40, 200):  # prefixes: the same draws, one more move each
        cycle = 1 + (seed * 7 + moves) % 9
        args = (hosts, cap, moves, cycle, 0.6 * cap, 0.02 * cap, seed * 977 + 3, bias, swap_frac)
        got, want = _both(m, start, *args)
        assert got == want, (moves, cycle)


def test_the_plain_xorshift_matches_marsaglias_number_and_inverts() -> None:
    # Marsaglia (2003), "Xorshift RNGs", J. Stat. Softw. 8(14), p. 4: from 2463534242 the
    # first number is 723471715; the kernel's generator and the one written here agree on a
    # run of states, and the inverse written here undoes both
    assert _xs(2463534242) == _anneal_kernel.xorshift32(2463534242) == 723471715
    x = y = 2463534242
    for _ in range(200):
        x, y = _anneal_kernel.xorshift32(x), _xs(y)
        assert x == y and _xs_inverse(x) != x
    assert _xs_inverse(723471715) == 2463534242
    top = 2**32 - 1  # every bit set: the masks (low 32 bits) matter
    assert _anneal_kernel.xorshift32(top) == _xs(top) < 2**32


@pytest.mark.parametrize("seed", [0, 1, 2**32, 2**32 + 5, 5, 2**33 + 1])
def test_kernel_seed_is_its_low_32_bits_and_0_is_1(seed: int) -> None:
    m, cap, start = _small(4, 6, 3, 2)
    args = (2, cap, 30, 7, 0.6 * cap, 0.02 * cap, seed, 0.8, 0.5)
    got, want = _both(m, start, *args)
    assert got == want
    low = _both(m, start, 2, cap, 30, 7, 0.6 * cap, 0.02 * cap, seed % 2**32 or 1, 0.8, 0.5)
    assert got == low[0]


def _states(seed: int, count: int) -> list[int]:
    out, x = [], seed
    for _ in range(count):
        x = _xs(x)
        out.append(x)
    return out


def test_bias_draw_is_strictly_below_the_bias() -> None:
    # two hosts: host 0 = items 0, 1 (6 + 6 > 10, overloaded), host 1 = items 2, 3 (1 + 1).
    # A seed whose first item is on host 1, and bias set to exactly that draw's
    # (state >> 8) / 2**24: not below it, so no redraw (a redraw would look for host 0's items)
    m = np.array([[6.0], [6.0], [1.0], [1.0]])
    start = np.array([0, 0, 1, 1])
    seed = next(s for s in range(1, 500) if _states(s, 2)[1] % 4 >= 2)
    edge = (_states(seed, 2)[1] >> 8) / 2**24
    for bias in (edge, np.nextafter(edge, 2.0), np.nextafter(edge, -1.0)):
        args = (2, 10.0, 1, 5, 1e-9, 1e-10, seed, float(bias), 0.0)
        got, want = _both(m, start, *args)
        assert got == want, bias
    # the edge matters: at it, the drawn item (host 1) moves onto the overloaded host and is
    # rejected at a near-zero temperature; just above it, a host-0 item moves and is taken
    at = _reference(m.tolist(), start.tolist(), 2, 10.0, 1, 5, 1e-9, 1e-10, seed, edge, 0.0)
    above = float(np.nextafter(edge, 2.0))
    up = _reference(m.tolist(), start.tolist(), 2, 10.0, 1, 5, 1e-9, 1e-10, seed, above, 0.0)
    assert at[3] == [0, 0, 1, 1] and at[3] != up[3]


def test_swap_draw_is_strictly_below_the_swap_fraction() -> None:
    # bias 0: the third state decides swap or relocation; swap_frac set exactly to it
    m = np.array([[6.0, 0.0], [6.0, 1.0], [1.0, 6.0], [2.0, 0.0], [0.0, 3.0]])
    start = np.array([0, 0, 1, 1, 2])
    for seed in range(1, 40):
        edge = _states(seed, 3)[2] / 2**32
        for frac in (edge, float(np.nextafter(edge, 2.0)), float(np.nextafter(edge, -1.0))):
            for moves in (1, 6):
                args = (3, 8.0, moves, 5, 3.0, 0.1, seed, 0.0, frac)
                got, want = _both(m, start, *args)
                assert got == want, (seed, frac, moves)
    # the edge matters for some seed (relocation at it, swap just above)
    differs = 0
    for seed in range(1, 40):
        edge = _states(seed, 3)[2] / 2**32
        a = _reference(m.tolist(), start.tolist(), 3, 8.0, 1, 5, 3.0, 0.1, seed, 0.0, edge)
        b = _reference(
            m.tolist(), start.tolist(), 3, 8.0, 1, 5, 3.0, 0.1, seed, 0.0, np.nextafter(edge, 2)
        )
        differs += a[3] != b[3]
    assert differs > 0


def _tie_temperature(threshold: float, log_u: float) -> float | None:
    """A temperature T with −T·ln u exactly ``threshold`` in float64 (searched over ulps;
    None when the products step over it)."""
    t = threshold / -log_u
    for _ in range(64):
        v = -t * log_u
        if v == threshold:
            return t
        t = float(np.nextafter(t, np.inf if v < threshold else -np.inf))
    return None


def test_acceptance_at_the_threshold_and_its_draw() -> None:
    # three hosts, capacity 5: items 0, 1 (6 each, 1 over) alone on hosts 0 and 1, item 2
    # (9, 4 over) on host 2.  A relocation between hosts 0 and 1 makes one host 12 (7 over)
    # and empties the other: Δ = 7 − 2 = 5 > 0, taken when 5 ≤ −T·ln u.  bias 0, swap 0.
    m = np.array([[6.0], [6.0], [9.0]])
    start = np.array([0, 1, 2])
    found = 0
    for seed in range(1, 200):
        x = _states(seed, 5)
        i, b = x[1] % 3, x[3] % 2
        b = b + 1 if b >= i else b
        if i == 2 or b == 2:
            continue
        found += 1
        u = (x[4] + 0.5) / 2**32
        t_tie = _tie_temperature(5.0, math.log(u))
        if t_tie is None:
            continue
        for t in (t_tie, t_tie * (1 - 1e-12), t_tie * (1 + 1e-11), t_tie * 0.99):
            got, want = _both(m, start, 3, 5.0, 1, 4, t, t / 10, seed, 0.0, 0.0)
            assert got == want, (seed, t)
        taken = _reference(m.tolist(), start.tolist(), 3, 5.0, 1, 4, t_tie, 1.0, seed, 0.0, 0.0)
        lower = t_tie * (1 - 1e-12)
        left = _reference(m.tolist(), start.tolist(), 3, 5.0, 1, 4, lower, 1.0, seed, 0.0, 0.0)
        assert taken[3] != start.tolist() and left[3] == start.tolist()  # the tie is taken
    assert found >= 10


@pytest.mark.parametrize("u_state", [1, 2, 3, 7, 2**32 - 1, 2**31])
def test_acceptance_draw_u_is_state_plus_half_over_two_to_the_32(u_state: int) -> None:
    # a seed whose fifth state (the u draw of the first move, bias 0 and swap 0) is u_state:
    # u = (u_state + 0.5) / 2**32, −ln u from 0 (u_state 2**32 − 1) to 22.2 (u_state 1); two
    # hosts of one 6 each (capacity 5): every relocation has Δ = 7 − 2 = 5
    seed = u_state
    for _ in range(5):
        seed = _xs_inverse(seed)
    assert _states(seed, 5)[4] == u_state
    m, start = np.array([[6.0], [6.0]]), np.array([0, 1])
    log_u = math.log((u_state + 0.5) / 2**32)
    t_tie = (_tie_temperature(5.0, log_u) if log_u < -1e-6 else None) or 5.0 / -log_u
    for rel in (1 - 1e-9, 1 - 1e-12, 1.0, 1 + 1e-12, 1 + 1e-9):
        got, want = _both(m, start, 2, 5.0, 1, 3, t_tie * rel, t_tie * rel / 9, seed, 0.0, 0.0)
        assert got == want, rel


# ---------------------------------------------------------------------------------------------
# anneal_search and _spread, against their documented rules written plainly here (the kernel
# replaced by the plain loop above)


def _first_appearance(labels: list[int]) -> list[int]:
    seen: dict[int, int] = {}
    return [seen.setdefault(h, len(seen)) for h in labels]


def _plain_spread(m: list[list[float]], host_of: list[int], cap: float, hosts: int) -> list[int]:
    """The least summed load's host (lowest on ties) emptied: its items by decreasing peak
    (stable), each where it adds the least overload (lowest host on ties)."""
    steps = len(m[0])
    loads = [[0.0] * steps for _ in range(hosts)]
    for i, k in enumerate(host_of):
        for t in range(steps):
            loads[k][t] += m[i][t]
    sums = [sum(row) for row in loads]
    drop = sums.index(min(sums))
    keep = [k for k in range(hosts) if k != drop]
    rest = [loads[k][:] for k in keep]
    out = [keep.index(k) if k != drop else -1 for k in host_of]
    moved = sorted((i for i in range(len(m)) if host_of[i] == drop), key=lambda i: -max(m[i]))
    for i in moved:
        added = []
        for row in rest:
            before = sum(max(0.0, v - cap) for v in row)
            after = sum(max(0.0, v + m[i][t] - cap) for t, v in enumerate(row))
            added.append(after - before)
        k = added.index(min(added))
        out[i] = k
        rest[k] = [v + m[i][t] for t, v in enumerate(rest[k])]
    return out


def _plain_search(
    m: np.ndarray, host_of: np.ndarray, cap: float, lower_bound: int, seed: int, max_moves: int
) -> tuple[list[int], tuple[int, int, int, float]]:
    """anneal_search's documented rules (its docstring), with the plain kernel above."""
    steps = m.shape[1]
    sums = [sum(float(v) for v in m[:, t]) for t in range(steps)]
    order = sorted(range(steps), key=lambda t: -sums[t])  # decreasing, stable
    rows = [[float(m[i, t]) for t in order] for i in range(m.shape[0])]
    current = _first_appearance([int(h) for h in host_of])
    hosts = before = max(current) + 1
    used, left = 0, 0.0
    cycle = max(max_moves // 8, 1)
    while hosts > max(lower_bound, 1) and used < max_moves:
        start = _plain_spread(rows, current, cap, hosts)
        k = hosts - 1
        if k == 1:
            best, left = start, _host_over(rows, start, 0, cap)
        else:
            best, left, done, _ = _reference(
                rows, start, k, cap, max_moves - used, cycle, 0.2 * cap, 0.0002 * cap,
                (seed * 2654435761 + k) % 2**32, 0.8, 0.5,
            )  # fmt: skip
            used += done
        peak = max(sum(rows[i][t] for i in range(len(rows)) if best[i] == h)
                   for h in range(k) for t in range(steps))  # fmt: skip
        if left > 0 or peak > cap * (1 + 1e-9):
            break
        current, hosts = _first_appearance(best), k
    return current, (before, hosts, used, round(left, 6))


def _search(m: np.ndarray, start: np.ndarray, cap: float, bound: int, seed: int, moves: int) -> tuple[list[int], tuple[int, int, int, float]]:  # fmt: skip
    best, stats = anneal.anneal_search(
        m, start, cap, lower_bound=bound, seed=seed, max_moves=moves, jit=False
    )
    return best.tolist(), (stats.hosts_before, stats.hosts_after, stats.moves, stats.overload_left)


def test_documented_constants() -> None:
    assert anneal.ANNEAL_CYCLES == 8
    assert anneal.ANNEAL_T_START_FRAC == 0.2 and anneal.ANNEAL_T_END_FRAC == 0.0002
    assert anneal.ANNEAL_BIAS == 0.8 and anneal.ANNEAL_SWAP_FRAC == 0.5
    assert anneal.LOCAL_SEARCH_SEED == 2011  # the default seed (search.py's)


@pytest.mark.parametrize("seed", range(16))
def test_anneal_search_follows_its_documented_rules(seed: int) -> None:
    rng = np.random.default_rng(100 + seed)
    n, steps = 4 + seed % 7, 1 + seed % 5
    m = rng.integers(0, 10, (n, steps)).astype(float)
    cap = float(max(m.max(), np.floor(m.sum(axis=0).max() / rng.uniform(1.5, 3.5))))
    start = rng.permutation(np.arange(n) + 10 * (seed % 3))  # any labels, one item per host
    bound = seed % 3
    for moves in (0, 1, 7, 60, 400):
        got = _search(m, start, cap, bound, 31 * seed + 1, moves)
        want = _plain_search(m, start, cap, bound, 31 * seed + 1, moves)
        assert got == want, moves
    assert _search(m, start, cap, bound, 2011, 300) == _plain_search(
        m, start, cap, bound, 2011, 300
    )
    best, stats = anneal.anneal_search(m, start, cap, lower_bound=bound, max_moves=300, jit=False)
    want = _plain_search(m, start, cap, bound, 2011, 300)  # the default seed
    assert (best.tolist(), stats.moves) == (want[0], want[1][2])


def test_spread_by_hand_on_ties_and_peaks() -> None:
    # hosts (labels 0, 1, 2): h0 = item 0 [4, 4] (sum 8), h1 = item 1 [2, 2] (sum 4),
    # h2 = items 2, 3 [3, 1] + [0, 1] (sum 5).  h1 is emptied; hosts 0, 2 become 0, 1.
    # Capacity 6: item 1 [2, 2] on new 0 ([6, 6]) adds 0, on new 1 ([5, 4]) adds 0 → 0.
    m = np.array([[4.0, 4.0], [2.0, 2.0], [3.0, 1.0], [0.0, 1.0]])
    assert anneal._spread(m, np.array([0, 1, 2, 2]), 6.0, 3).tolist() == [0, 0, 1, 1]
    # capacity 5: on 0 → [6, 6] adds 2; on 1 → [5, 4] adds 0 → 1
    assert anneal._spread(m, np.array([0, 1, 2, 2]), 5.0, 3).tolist() == [0, 1, 1, 1]
    # equal sums (h0 = [4, 0] + [0, 5] and h1 = [4, 5]: 9 each; h2 = [5, 6]): the lower
    # index, h0, is emptied, largest peak first: [0, 5] on new 0 ([4, 10]) adds 1, on new 1
    # ([5, 11]) adds 2 → new 0; then [4, 0] on new 0 ([8, 10]) adds 0, on new 1 ([9, 6])
    # adds 0 → new 0 (lowest on ties)
    m2 = np.array([[4.0, 0.0], [0.0, 5.0], [4.0, 5.0], [5.0, 6.0]])
    assert anneal._spread(m2, np.array([0, 0, 1, 2]), 9.0, 3).tolist() == [0, 0, 0, 1]
    # capacity 8.5: [0, 5] on new 0 ([4, 10]) adds 1.5, on new 1 ([5, 11]) adds 2.5 → new 0;
    # then [4, 0]: on new 0 ([8, 10]) adds 0, on new 1 ([9, 6]) adds 0.5 → new 0
    assert anneal._spread(m2, np.array([0, 0, 1, 2]), 8.5, 3).tolist() == [0, 0, 0, 1]
    for cap in (8.0, 4.5, 10.0, 3.0):
        plain = _plain_spread(m2.tolist(), [0, 0, 1, 2], cap, 3)
        assert anneal._spread(m2, np.array([0, 0, 1, 2]), cap, 3).tolist() == plain, cap


@pytest.mark.parametrize("seed", range(30))
def test_spread_against_its_plain_rules(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n, steps, hosts = 3 + seed % 8, 1 + seed % 4, 2 + seed % 4
    m = rng.integers(0, 8, (n, steps)).astype(float)
    host_of = np.arange(n) % hosts
    rng.shuffle(host_of)
    if len(set(host_of.tolist())) < hosts:
        return
    for cap in (float(m.max()), float(m.sum(axis=0).max() / (hosts - 1)), 4.0):
        plain = _plain_spread(m.tolist(), host_of.tolist(), cap, hosts)
        assert anneal._spread(m, host_of, cap, hosts).tolist() == plain


def test_anneal_search_reads_the_steps_in_decreasing_summed_demand() -> None:
    # one host left: its overload summed along the steps in float64.  Overloads 2**53, 1, 1:
    # in the documented order (step 0 has the largest summed demand) 2**53 + 1 rounds to
    # 2**53 and so does + 1 again; read the other way, 1 + 1 + 2**53 = 2**53 + 2 exactly
    big = 2.0**53
    m = np.array([[big, 6.0, 6.0], [10.0, 5.0, 5.0]])
    best, stats = anneal.anneal_search(m, np.array([0, 1]), 10.0, max_moves=5, jit=False)
    assert stats.overload_left == big and best.tolist() == [0, 1]
    assert (stats.hosts_before, stats.hosts_after, stats.moves) == (2, 2, 0)
    assert _plain_search(m, np.array([0, 1]), 10.0, 1, 2011, 5)[1] == (2, 2, 0, big)


def test_default_anneal_moves_edges_by_hand() -> None:
    # one server: 40,000 moves (not 80,000); one step: the cap is 12,500,000,000 // 1, which
    # binds only above 312,500 servers; no servers / no steps count as one
    assert anneal.default_anneal_moves(1, 1) == 40_000
    assert anneal.default_anneal_moves(0, 0) == 40_000
    assert anneal.default_anneal_moves(200_000, 1) == 8_000_000_000  # under 12.5e9
    assert anneal.default_anneal_moves(400_000, 1) == 12_500_000_000
    assert anneal.default_anneal_moves(400_000, 0) == 12_500_000_000
    assert anneal.default_anneal_moves(400_000, 2) == 6_250_000_000
    assert isinstance(anneal.default_anneal_moves(500, 8640), int)


def test_anneal_compiled_is_false_without_numba(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "colonykit.packing._anneal_jit", None)  # import fails
    assert anneal.anneal_compiled() is False


def test_jit_chooses_the_kernel(monkeypatch: pytest.MonkeyPatch) -> None:
    # jit=False: the plain kernel; jit=True, and None with numba installed: the compiled one
    # (both spied: the same packings either way, so the call is what tells them apart)
    # the compiled module first: it compiles _anneal_kernel.anneal_hosts as found at import
    jit = pytest.importorskip("colonykit.packing._anneal_jit")
    calls: list[str] = []
    plain = _anneal_kernel.anneal_hosts

    def spy(name: str) -> object:
        def run(*args: object) -> object:
            calls.append(name)
            return plain(*args)  # type: ignore[arg-type]

        return run

    m = np.array([[6.0, 1.0], [1.0, 6.0], [6.0, 1.0], [1.0, 6.0]])
    monkeypatch.setattr(_anneal_kernel, "anneal_hosts", spy("plain"))
    anneal.anneal_search(m, np.arange(4), 8.0, max_moves=50, jit=False)
    assert calls and set(calls) == {"plain"}
    monkeypatch.setattr(jit, "anneal_hosts", spy("compiled"))
    for flag in (True, None):
        calls.clear()
        anneal.anneal_search(m, np.arange(4), 8.0, max_moves=50, jit=flag)
        assert calls and set(calls) == {"compiled"}, flag
    monkeypatch.setattr(anneal, "anneal_compiled", lambda: False)
    calls.clear()
    anneal.anneal_search(m, np.arange(4), 8.0, max_moves=50)
    assert calls and set(calls) == {"plain"}


def test_one_host_left_within_the_tolerance_is_not_taken() -> None:
    # two hosts, spread onto one: its overload is summed exactly; any overload > 0 stops the
    # search (even one within the capacity's tolerance), and overload_left is rounded to 6
    # decimals: 50 + 50.00000001 on 100 → 1e-8 over → 2 hosts kept, overload_left 0.0
    m = np.array([[50.0], [50.00000001]])
    best, stats = anneal.anneal_search(m, np.array([0, 1]), 100.0, max_moves=10, jit=False)
    assert (stats.hosts_after, best.tolist(), stats.overload_left) == (2, [0, 1], 0.0)
    # 1.23456789 over at one step, 0.5 at the other: 1.73456789 → 1.734568 (6 decimals)
    m = np.array([[60.0, 50.0], [41.23456789, 50.5]])
    best, stats = anneal.anneal_search(m, np.array([0, 1]), 100.0, max_moves=10, jit=False)
    assert stats.overload_left == 1.734568 and stats.hosts_after == 2
    m = np.array([[60.0], [40.25]])  # 0.25 over: not rounded to a whole number
    assert anneal.anneal_search(m, np.array([0, 1]), 100.0, max_moves=3)[1].overload_left == 0.25
    m = np.array([[60.0], [40.0]])  # exactly full: one host
    best, stats = anneal.anneal_search(m, np.array([5, 3]), 100.0, max_moves=3, jit=False)
    assert best.tolist() == [0, 0] and (stats.hosts_after, stats.overload_left) == (1, 0.0)


def test_anneal_search_default_budget_is_default_anneal_moves() -> None:
    # the default budget (max_moves None) sets the cooling cycle: budget // 8
    # capacity 10: {[6, 1], [1, 6], [3, 3]} and {[6, 1], [1, 6]} fit; one host (17) does not
    m = np.array([[6.0, 1.0], [1.0, 6.0], [6.0, 1.0], [1.0, 6.0], [3.0, 3.0]])
    budget = anneal.default_anneal_moves(5, 2)
    assert budget == 200_000
    for seed in (1, 2, 3):
        best, stats = anneal.anneal_search(m, np.arange(5), 10.0, seed=seed, jit=False)
        want = _plain_search(m, np.arange(5), 10.0, 1, seed, budget)
        assert stats.hosts_after == 2
        assert (best.tolist(), stats.hosts_after, stats.moves) == (want[0], *want[1][1:3])


@pytest.mark.parametrize("seed", range(40))
def test_anneal_search_short_budgets_cool_every_move(seed: int) -> None:
    # budgets under 8 moves × 2: the cycle is max(budget // 8, 1) moves
    rng = np.random.default_rng(700 + seed)
    n, steps = 5 + seed % 5, 1 + seed % 3
    m = rng.integers(0, 10, (n, steps)).astype(float)
    cap = float(max(m.max(), np.floor(m.sum(axis=0).max() / 2.2)))
    for moves in (3, 9, 12, 15, 17, 24):
        got = _search(m, np.arange(n), cap, 1, seed, moves)
        assert got == _plain_search(m, np.arange(n), cap, 1, seed, moves), moves


@pytest.mark.parametrize("seed", range(8))
def test_spread_orders_many_equal_peaks_stably(seed: int) -> None:
    # 20 to 27 items of peaks 3 to 5 (at different steps) on the least-loaded host: the
    # order among equal peaks is the stable one (numpy's default sort is not stable above
    # 16 elements), and the order decides where each item lands once the hosts fill up
    rng = np.random.default_rng(seed)
    k = 20 + seed
    small = np.zeros((k, 3))
    small[np.arange(k), rng.integers(0, 3, k)] = rng.integers(3, 6, k)  # peaks 3, 4, 5
    small += rng.integers(0, 2, (k, 3)) * (small == 0)  # 0 or 1 at the other steps
    big = np.array([[40.0, 38.0, 41.0], [39.0, 42.0, 40.0]]) * 3
    m = np.vstack([big, small])
    host_of = np.array([0, 1] + [2] * k)
    for cap in (150.0, 160.0, 170.0):
        plain = _plain_spread(m.tolist(), host_of.tolist(), cap, 3)
        assert anneal._spread(m, host_of, cap, 3).tolist() == plain, cap


@pytest.mark.parametrize("seed", range(1, 61))
def test_kernel_redraws_at_most_four_times_the_hosts(seed: int) -> None:
    # one overloaded host holding one item of 12, bias 1: 8 redraws (4 × 2 hosts) miss it
    # with probability (11/12)**8 ≈ 0.5; the item drawn last is then moved
    m = np.array([[10.0]] + [[0.5 + 0.01 * i] for i in range(11)])
    start = np.array([0] + [1] * 11)
    for moves in (1, 2, 4):
        got, want = _both(m, start, 2, 9.0, moves, 3, 50.0, 5.0, seed, 1.0, 0.0)
        assert got == want, moves


def test_steps_are_ordered_by_float64_sums_of_float32_demand() -> None:
    # float32 demand, one host left (capacity 2**30).  Column sums in float64: step 0
    # 2**60 + 2**30, step 1 2**30 + 128, step 2 2**30 + 160 → order 0, 2, 1 (in float32 steps
    # 1 and 2 both round to 2**30 + 128: the stable order would be 0, 1, 2).  Overloads
    # 2**60, 160, 128 summed in that order: 2**60 + 160 rounds to 2**60 + 256 (the float64
    # spacing there is 256), + 128 = 2**60 + 384 is halfway and rounds to the even
    # 2**60 + 512; in the order 0, 1, 2: 2**60 + 128 is halfway → 2**60, + 160 → 2**60 + 256
    m = np.array([[2.0**60, 2.0**30, 2.0**30], [2.0**30, 128.0, 160.0]], dtype=np.float32)
    best, stats = anneal.anneal_search(m, np.array([0, 1]), 2.0**30, max_moves=3, jit=False)
    assert stats.overload_left == 2.0**60 + 512 and stats.hosts_after == 2
    assert _plain_search(m, np.array([0, 1]), 2.0**30, 1, 2011, 3)[1][3] == 2.0**60 + 512


@pytest.mark.parametrize(
    ("demand", "start", "hosts_after"),
    [
        # 2 + (−1e17) rounds to −1e17 in the kernel's running loads; after the moves the
        # kernel reports no overload, but the exactly summed loads of its packing reach
        # 6.000000002 > 4 × (1 + 1e-9) (and ≤ 8): the start (3 hosts) is kept
        ([1e17, 2.000000002, -1e17, 2.0, 2.0, 2.000000002], [2, 2, 2, 1, 0, 0], 3),
        # the same drift, a packing whose exact loads reach 8.000000004: kept at 3 hosts
        ([2.0, 2.000000002, -1e17, 2.0, 2.0, 2.000000002], [0, 2, 0, 0, 1, 1], 3),
        # exact loads at most exactly 4 × (1 + 1e-9) = 4.000000004: within the tolerance,
        # the 2-host packing is taken
        ([2.000000002, 1.0, 1e17, 3.0, -1e17, 4.000000004], [0, 1, 1, 1, 1, 2], 2),
    ],
)
def test_packings_are_rechecked_on_exactly_summed_loads(
    demand: list[float], start: list[int], hosts_after: int
) -> None:
    # huge demands of both signs cancel: the kernel's incremental loads drift by rounding,
    # so anneal_search keeps a packing only when its loads summed afresh fit
    m, cap = np.array(demand)[:, None], 4.0
    limit = cap * (1 + CAPACITY_RTOL)
    spread = anneal._spread(m, np.array(_first_appearance(start)), cap, 3)  # hosts renumbered
    seed = (2011 * 2654435761 + 2) % 2**32  # the documented seed of the 2-host attempt
    found, over, _ = _anneal_kernel.anneal_hosts(
        m, spread.copy(), 2, cap, 200, 25, 0.2 * cap, 0.0002 * cap, seed, 0.8, 0.5
    )
    loads = [sum(d for d, h in zip(demand, found.tolist(), strict=True) if h == k) for k in (0, 1)]
    assert over == 0.0  # the kernel sees no overload …
    assert (max(loads) > limit) == (hosts_after == 3)  # … the exact sums may
    best, stats = anneal.anneal_search(m, np.array(start), cap, max_moves=200, jit=False)
    assert stats.hosts_after == hosts_after == int(best.max()) + 1
    exact = np.zeros((hosts_after, 1))
    np.add.at(exact, best, m)
    assert exact.max() <= limit


# ---------------------------------------------------------------------------------------------
# pack()'s anneal stage (solve.py): when it runs, with which arguments, and what it keeps


class _Stub:
    """Stands in for solve.anneal_search: records its call, returns a chosen packing."""

    def __init__(self, answer: str) -> None:
        self.answer = answer
        self.calls: list[dict[str, Any]] = []

    def __call__(self, matrix: np.ndarray, host_of: np.ndarray, cap: float, **kw: Any) -> Any:
        self.calls.append({"matrix": matrix.copy(), "host_of": host_of.copy(), "cap": cap, **kw})
        hosts = int(host_of.max()) + 1
        if self.answer == "fewer":  # the last host merged into host 0 (pack trusts the stage)
            out = np.where(host_of == hosts - 1, 0, host_of)
        else:  # the same host count, labels reversed
            out = hosts - 1 - host_of
        stats = anneal.AnnealStats(hosts, int(out.max()) + 1, 123, 4.5)
        return out, stats


def _stubbed(monkeypatch: pytest.MonkeyPatch, answer: str) -> _Stub:
    pytest.importorskip("numba")
    from colonykit.packing import solve

    stub = _Stub(answer)
    monkeypatch.setattr(solve, "anneal_search", stub)
    return stub


_KW: dict[str, Any] = {"method": "heuristic", "local_search_iters": 5}


def test_pack_hands_the_stage_its_packing_bound_seed_and_budget(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    demand = diurnal_demand(31, 40, 12)  # 40 servers × 12 steps, one host above its bound
    off = packing.pack(demand, 200.0, max_util_pct=50.0, anneal_moves=0, **_KW)
    assert off.anneal is None and off.hosts_used == off.lower_bound + 1
    stub = _stubbed(monkeypatch, "same")
    on = packing.pack(demand, 200.0, max_util_pct=50.0, seed=77, **_KW)
    (call,) = stub.calls
    assert call["cap"] == 100.0  # 200 × 50 %
    assert np.array_equal(call["matrix"], demand.to_numpy().T)
    assert call["lower_bound"] == on.lower_bound and call["seed"] == 77
    assert call["max_moves"] == anneal.default_anneal_moves(40, 12) == 1_600_000
    assert call["jit"] is True
    assert int(call["host_of"].max()) + 1 == off.hosts_used
    # the stage's answer has as many hosts: pack keeps its own packing, and reports the stage
    assert on.assignment == off.assignment and on.hosts_used == off.hosts_used
    assert on.anneal == anneal.AnnealStats(off.hosts_used, off.hosts_used, 123, 4.5)
    packing.pack(demand, 200.0, max_util_pct=50.0, anneal_moves=7, **_KW)
    assert stub.calls[-1]["max_moves"] == 7 and stub.calls[-1]["seed"] == 2011


def test_pack_takes_the_stage_answer_with_fewer_hosts(monkeypatch: pytest.MonkeyPatch) -> None:
    demand = diurnal_demand(31, 40, 12)
    off = packing.pack(demand, 100.0, anneal_moves=0, **_KW)
    stub = _stubbed(monkeypatch, "fewer")
    on = packing.pack(demand, 100.0, **_KW)
    given = stub.calls[0]["host_of"]
    merged = np.where(given == given.max(), 0, given)
    assert on.hosts_used == off.hosts_used - 1 == int(merged.max()) + 1
    names = list(demand.columns)
    hosts = sorted(set(on.assignment.values()))
    got = [hosts.index(on.assignment[s]) for s in names]
    assert got == merged.tolist()


@pytest.mark.parametrize(
    "case",
    ["off", "one_step", "memory", "anti_affinity", "no_improve", "no_search", "plain", "bound",
     "no_numba", "large"],
)  # fmt: skip
def test_pack_skips_the_stage(monkeypatch: pytest.MonkeyPatch, case: str) -> None:
    from colonykit.packing import solve

    demand = diurnal_demand(31, 40, 12)
    kw: dict[str, Any] = dict(_KW)
    stub = _stubbed(monkeypatch, "fewer")
    packing.pack(demand, 100.0, **kw)
    assert len(stub.calls) == 1  # runs on this instance as given
    if case == "off":
        kw["anneal_moves"] = 0
    elif case == "one_step":
        demand = demand.iloc[[3]]
    elif case == "memory":
        kw.update(memory_mib=dict.fromkeys(demand.columns, 1.0), host_memory_mib=1e6)
    elif case == "anti_affinity":
        kw["anti_affinity"] = [("s0", "s1")]
    elif case == "no_improve":
        kw["improve"] = False
    elif case == "no_search":
        kw["local_search_s"] = 0.0
    elif case == "plain":
        kw["jit"] = False
    elif case == "bound":
        demand = demand * 0.5  # packs at its bound
    elif case == "no_numba":
        monkeypatch.setattr(solve, "anneal_compiled", lambda: False)
    else:
        monkeypatch.setattr(solve, "SMALL_INSTANCE_CELLS", demand.size - 1)
    assert packing.pack(demand, 100.0, **kw).anneal is None
    assert len(stub.calls) == 1


def test_pack_runs_the_stage_at_the_edges(monkeypatch: pytest.MonkeyPatch) -> None:
    from colonykit.packing import solve

    demand = diurnal_demand(31, 40, 12)
    stub = _stubbed(monkeypatch, "same")
    monkeypatch.setattr(solve, "SMALL_INSTANCE_CELLS", demand.size)  # at the size: runs
    assert packing.pack(demand, 100.0, anneal_moves=1, **_KW).anneal is not None
    two = demand.iloc[[2, 9]]  # two steps: a time series
    r = packing.pack(two, 100.0, **_KW)
    assert (r.anneal is not None) == (r.hosts_used > r.lower_bound)
    assert len(stub.calls) == 1 + (r.hosts_used > r.lower_bound)


def test_pack_accepts_every_integer_budget_from_zero_and_refuses_the_rest() -> None:
    # anneal_moves: None or an integer >= 0 (numpy integers too); bool, float, negative refused
    demand = pd.DataFrame({"a": [50.0, 50.0], "b": [50.0, 10.0]})
    kw: dict[str, Any] = {"method": "heuristic", "jit": False}
    for ok in (None, 0, 1, 5, np.int64(0), np.int32(3)):
        assert packing.pack(demand, 100.0, anneal_moves=ok, **kw).hosts_used == 1  # type: ignore[arg-type]
    for bad in (-1, np.int64(-2), True, False, 1.0, 0.0, "3"):
        with pytest.raises(ValueError, match="'anneal_moves' must be an integer >= 0"):
            packing.pack(demand, 100.0, anneal_moves=bad, **kw)  # type: ignore[arg-type]


def test_pack_runs_the_stage_on_two_steps_and_short_searches_not_on_one_step(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    stub = _stubbed(monkeypatch, "same")
    # one step, five servers of 34 on hosts of 100: two per host, 3 hosts; without the LP the
    # bound is ⌈170 / 100⌉ = 2, so the packing is above its bound, yet one step: no anneal
    one = pd.DataFrame([[34.0] * 5], columns=[f"s{i}" for i in range(5)])
    r = packing.pack(one, 100.0, lp=False, **_KW)
    assert (r.hosts_used, r.lower_bound, r.anneal, stub.calls) == (3, 2, None, [])
    # two steps, 13 servers: the heuristic ends one host above the bound → annealed
    two = pd.DataFrame(
        [
            [41.0, 52.0, 52.0, 46.0, 29.0, 57.0, 31.0, 56.0, 36.0, 38.0, 34.0, 45.0, 57.0],
            [21.0, 45.0, 28.0, 43.0, 47.0, 57.0, 40.0, 36.0, 53.0, 47.0, 58.0, 26.0, 45.0],
        ],
        columns=[f"s{i}" for i in range(13)],
    )
    r = packing.pack(two, 100.0, **_KW)
    assert r.anneal is not None and len(stub.calls) == 1
    assert stub.calls[0]["lower_bound"] == r.lower_bound < r.hosts_used
    # a local search of half a second still leads to the stage (any time > 0)
    r = packing.pack(diurnal_demand(31, 40, 12), 100.0, local_search_s=0.5, **_KW)
    assert r.anneal is not None and len(stub.calls) == 2
