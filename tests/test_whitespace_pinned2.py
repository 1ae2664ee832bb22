"""The percentile kernel of :mod:`colonykit.whitespace` pinned by hand and by a second method.

Issue 27 §2: ``fused_pass`` and its helpers (blocks of servers, threads, the sampled bracket of
the approximate percentile, the selection of the exact one) are mutated with the rest of the
module; each test here checks values worked out by hand from numpy's ``linear`` percentile
definition or computed by a second method (``numpy.percentile``, a sorted copy of the column).
"""

from __future__ import annotations

import numpy as np
import pytest

from colonykit.whitespace import fused_pass


def test_hand_worked_sums_peaks_composite_and_percentiles() -> None:
    # columns a = 1 3 2 6, b = 0 2 4 4 (4 steps, 2 servers)
    v = np.asfortranarray([[1.0, 0.0], [3.0, 2.0], [2.0, 4.0], [6.0, 4.0]])
    st = fused_pass(v, (0.0, 50.0, 90.0, 100.0), with_min=True)
    assert st.sums.tolist() == [12.0, 10.0]
    assert st.peaks.tolist() == [6.0, 4.0]
    assert st.mins is not None and st.mins.tolist() == [1.0, 0.0]
    assert st.composite.tolist() == [1.0, 5.0, 6.0, 10.0]
    # linear: position (n - 1) q / 100 in the sorted column; a sorted 1 2 3 6, b sorted 0 2 4 4
    assert st.quantiles[0.0].tolist() == [1.0, 0.0]
    assert st.quantiles[50.0].tolist() == [2.5, 3.0]  # position 1.5
    assert st.quantiles[90.0].tolist() == pytest.approx([3.0 + 0.7 * 3.0, 4.0], rel=1e-15)  # 2.7
    assert st.quantiles[100.0].tolist() == [6.0, 4.0]
    assert st.fallback_rows == {0.0: 0, 50.0: 0, 90.0: 0, 100.0: 0}


# --- the approximate percentile: a sampled bracket, checked against a reference written here ---

#: The pivots' sample ranks, worked by hand from the docstring of ``_pivot_ranks`` for a sample
#: of s = 256 steps: half = sd · sqrt(s · max(p (1 − p), 1/s)) + 1, ranks floor(p (s − 1) − half)
#: and ceil(p (s − 1) + half), clamped to 0..255.  q = 50: sqrt(256 · 0.25) = 8, so half = 25
#: (sd 3) or 65 (sd 8) around 127.5; q = 10: sqrt(256 · 0.09) = 4.8, half 15.4 or 39.4 around
#: 25.5; q = 95: sqrt(256 · 0.0475) = 3.487, half 11.46 or 28.90 around 242.25; q = 0 and 100:
#: p (1 − p) = 0 < 1/256, so sqrt(1) = 1 and half = 4 or 9 around 0 or 255.
PIVOTS = {
    (0.0, 3.0): (0, 4),
    (0.0, 8.0): (0, 9),
    (10.0, 3.0): (10, 41),
    (10.0, 8.0): (0, 65),
    (50.0, 3.0): (102, 153),
    (50.0, 8.0): (62, 193),
    (95.0, 3.0): (230, 254),
    (95.0, 8.0): (213, 255),
    (100.0, 3.0): (251, 255),
    (100.0, 8.0): (246, 255),
}
QS = tuple(sorted({q for q, _ in PIVOTS}))
N_T = 1280  # 5 × 256 steps: the sampled path (it starts at 4 × 256)


def test_pivot_ranks_worked_by_hand() -> None:
    from colonykit.whitespace import QUANTILE_BRACKET_SD, QUANTILE_RETRY_SD, _pivot_ranks

    assert (QUANTILE_BRACKET_SD, QUANTILE_RETRY_SD) == (3.0, 8.0)
    for (q, sd), ranks in PIVOTS.items():
        assert _pivot_ranks(q, 256, sd) == ranks, (q, sd)
    # a small sample: s = 16, q = 50, sd 1: half = sqrt(16 · 0.25) + 1 = 3 around 7.5
    assert _pivot_ranks(50.0, 16, 1.0) == (4, 11)


def _sample_steps(n_t: int) -> np.ndarray:
    """The fixed, seeded steps the approximate path samples (``fused_pass``'s docstring)."""
    return np.sort(np.random.default_rng(0).choice(n_t, 256, replace=False))


def _reference(row: np.ndarray, q: float, cols: np.ndarray) -> tuple[float, float, int, str]:
    """The approximate percentile of one row as documented: value, bound, exact-fallback count.

    Sort the sampled values; the pivots are the sampled values at the ranks of ``PIVOTS`` (the
    row's own minimum at rank 0, its maximum at rank 255); when both order statistics of numpy's
    linear method lie in [lo, hi] the midpoint and the half-width are returned (lo itself with
    bound 0 when lo = hi); else once more at 8 sd; else numpy's exact value (one fallback row).
    """
    srt = np.sort(row.astype(np.float64))
    n = srt.size
    pos = (n - 1) * q / 100
    k = int(np.floor(pos))
    k2 = min(k + 1, n - 1)
    smp = np.sort(row[cols].astype(np.float64))
    for sd, how in ((3.0, "first"), (8.0, "retry")):
        i_lo, i_hi = PIVOTS[(q, sd)]
        lo = srt[0] if i_lo == 0 else smp[i_lo]
        hi = srt[-1] if i_hi == 255 else smp[i_hi]
        if lo <= srt[k] and srt[k2] <= hi:
            if lo == hi:
                return float(lo), 0.0, 0, how + " tie"
            return (lo + hi) / 2, (hi - lo) / 2, 0, how
    return float(np.percentile(row, q)), 0.0, 1, "exact"


def _designed_rows(n_t: int = N_T) -> np.ndarray:
    """Columns that reach every branch of the bracket: hits, ties, retries, exact fallbacks.

    Unsampled steps uniform in 0..1; sampled steps shifted by ``delta`` (a sample that is not
    representative makes the brackets miss, more or less); plus ties at 0, at 1e308 (whose
    midpoint overflows) and at infinity, and a row whose minimum is not in the sample.
    """
    cols = _sample_steps(n_t)
    unsampled = np.setdiff1d(np.arange(n_t), cols)
    rng = np.random.default_rng(11)
    out = []
    for delta in (0.0, 0.01, 0.03, 0.06, 0.1, 0.2, 0.4, 1.0, 5.0, -0.01, -0.03, -0.06, -0.1, -1.0):
        row = rng.random(n_t)
        row[cols] += delta
        out.append(row)
    idle = np.zeros(n_t)
    idle[::97] = 3.0  # mostly 0: the bracket is [0, 0] for the low percentiles
    out.append(idle)
    big = np.full(n_t, 1e308)
    big[::50] = 1.0
    out.append(big)  # lo = hi = 1e308: (lo + hi) / 2 would overflow to inf
    inf = np.full(n_t, np.inf)
    inf[::50] = 1.0
    out.append(inf)  # lo = hi = inf: (hi − lo) / 2 would be NaN
    low = rng.random(n_t) + 1.0
    low[unsampled[:3]] = -5.0  # the minimum is not sampled: the lowest pivot is the row's minimum
    out.append(low)
    steps = (np.arange(n_t) * 8 // n_t).astype(np.float64)  # eight levels: ties in the bracket
    out.append(steps)
    # the counts exactly at the ranks of p50 (k = 639, k2 = 640 at 1280 steps): sampled steps
    # valued 0..255 in sample order, so the pivots of the first bracket are 102 and 153
    k = (n_t - 1) // 2
    for below, value in ((k + 1 - 154, 100.5), (k - 102, 50.5)):
        # k + 1 values <= 153 (k2 is then just above the bracket: a miss), or k values < 102
        # (the k-th order statistic is the pivot itself: a hit)
        row = np.full(n_t, 1000.0)
        row[cols] = np.arange(256.0)
        row[unsampled[:below] if n_t == N_T else []] = value
        out.append(row)
    return np.column_stack(out)


#: numpy >= 2 interpolates a float32 percentile in float32 (NEP 50), as ``fused_pass`` does
NUMPY2 = int(np.__version__.split(".")[0]) >= 2


def _same_within_one_float32_ulp(got: object, want: object) -> None:
    np.testing.assert_array_max_ulp(
        np.asarray(got, dtype=np.float32), np.asarray(want, dtype=np.float32), maxulp=1
    )


def _check_against_reference(st: object, v: np.ndarray, qs: tuple[float, ...]) -> set[str]:
    cols = _sample_steps(v.shape[0])
    branches = set()
    for q in qs:
        want = [_reference(v[:, j], q, cols) for j in range(v.shape[1])]
        branches |= {w[3] for w in want}
        values = st.quantiles[q]  # type: ignore[attr-defined]
        errors = st.errors[q]  # type: ignore[attr-defined]
        if v.dtype == np.float32 and not NUMPY2:
            # the exact fallback is numpy's own percentile, which numpy < 2 interpolates for a
            # float32 row with other promotion rules (NEP 50): the same value within one ulp
            _same_within_one_float32_ulp(values, [w[0] for w in want])
        else:
            np.testing.assert_array_equal(values, [w[0] for w in want], err_msg=f"q={q}")
        np.testing.assert_array_equal(errors, [w[1] for w in want], err_msg=f"q={q}")
        assert st.fallback_rows[q] == sum(w[2] for w in want), q  # type: ignore[attr-defined]
    return branches


@pytest.mark.filterwarnings("ignore:overflow:RuntimeWarning", "ignore:invalid:RuntimeWarning")
def test_approx_equals_the_documented_bracket_on_designed_rows() -> None:
    v = np.asfortranarray(_designed_rows())
    st = fused_pass(v, QS, method="approx")
    branches = _check_against_reference(st, v, QS)
    # the designed rows reach every branch (or this test would not test them); a tie at the
    # retry is impossible: its bracket holds the first one, which is then the same tie
    assert branches == {"first", "first tie", "retry", "exact"}, branches
    assert st.mins is not None  # q = 0 and 10 need the minimum as a pivot
    np.testing.assert_array_equal(st.peaks, v.max(axis=0))


@pytest.mark.filterwarnings("ignore:overflow:RuntimeWarning", "ignore:invalid:RuntimeWarning")
@pytest.mark.parametrize("q", QS)
def test_approx_one_percentile_at_a_time(q: float) -> None:
    """Each percentile alone (the minimum is computed only when a pivot can fall below the
    sample), C-ordered, in blocks of two servers, in the caller's thread and in two threads."""
    v = np.ascontiguousarray(_designed_rows())
    for threads in (1, 2):
        st = fused_pass(v, (q,), method="approx", block_bytes=2 * N_T * 8, threads=threads)
        _check_against_reference(st, v, (q,))
        assert st.mins is None if q >= 50 else st.mins is not None
    st = fused_pass(v, (q,), method="approx", with_min=True)
    assert st.mins is not None
    np.testing.assert_array_equal(st.mins, v.min(axis=0))


@pytest.mark.filterwarnings("ignore:overflow:RuntimeWarning", "ignore:invalid:RuntimeWarning")
def test_approx_starts_at_four_samples_of_steps() -> None:
    v = _designed_rows(1024)  # 4 × 256: sampled
    st = fused_pass(v, (50.0,), method="approx")
    _check_against_reference(st, v, (50.0,))
    assert st.errors[50.0].max() > 0
    short = _designed_rows(1023)[:, :14]  # one step fewer: exact (numpy's values, bound 0)
    st = fused_pass(short, (50.0, 95.0), method="approx")
    for q in (50.0, 95.0):
        np.testing.assert_array_equal(st.quantiles[q], np.percentile(short, q, axis=0))
        assert not st.errors[q].any() and st.fallback_rows[q] == 0
    assert st.mins is None


def test_approx_float32_brackets_in_float64() -> None:
    v = np.asfortranarray(_designed_rows()[:, :14].astype(np.float32))
    st = fused_pass(v, (50.0, 95.0), method="approx")
    _check_against_reference(st, v, (50.0, 95.0))


def test_analyze_reports_the_largest_bound_and_the_fallback_servers() -> None:
    from colonykit.whitespace import analyze

    v = _designed_rows()[:, :14] * 10  # the shifted uniform rows (non-negative demand)
    v[:, 9:] = np.abs(v[:, 9:])
    r = analyze(v, unit="mips", percentile=50, percentile_method="approx")
    cols = _sample_steps(N_T)
    want = [_reference(v[:, j], 50.0, cols) for j in range(v.shape[1])]
    assert r.parameters["percentile_error_max"] == max(w[1] for w in want)
    assert r.parameters["percentile_fallback_servers"] == sum(w[2] for w in want) > 0
    np.testing.assert_array_equal(r.per_server["p50"], [w[0] for w in want])
    np.testing.assert_array_equal(r.per_server["spikes"], v.max(axis=0) - [w[0] for w in want])


def test_approx_nan_series_are_nan_with_a_zero_bound() -> None:
    v = _designed_rows()[:, :3].copy()
    unsampled = np.setdiff1d(np.arange(N_T), _sample_steps(N_T))
    v[unsampled[5], 1] = np.nan  # not in the sample: its bracket would count as a hit
    st = fused_pass(np.asfortranarray(v), (50.0, 95.0), method="approx", with_min=True)
    for q in (50.0, 95.0):
        assert np.isnan(st.quantiles[q][1]) and st.errors[q][1] == 0.0
        assert not np.isnan(st.quantiles[q][[0, 2]]).any()
    assert np.isnan(st.peaks[1]) and st.mins is not None and np.isnan(st.mins[1])
    assert np.isnan(st.sums[1]) and np.isnan(st.composite[unsampled[5]])


# --- blocks, the composite's summation order, the small wrappers ---


def test_fused_stats_returns_three_arrays_or_four_with_the_minimum() -> None:
    from colonykit.whitespace import fused_stats

    v = np.array([[1.0, 0.0], [3.0, 2.0]])
    out = fused_stats(v)
    assert len(out) == 3
    assert [x.tolist() for x in out] == [[4.0, 2.0], [3.0, 2.0], [1.0, 5.0]]
    out = fused_stats(v, with_min=True)
    assert len(out) == 4 and out[3].tolist() == [1.0, 0.0]


def test_the_composite_is_summed_block_by_block() -> None:
    """One step of 4 servers 1, 1e16, −1e16, 1 (the float64 ulp at 1e16 is 2): summed in one
    block left to right ((1 + 1e16) − 1e16) + 1 = 0 + 1 = 1; in blocks of two servers
    (1 + 1e16) + (−1e16 + 1) = 1e16 − 1e16 = 0.  So ``block_bytes`` reaches the pass."""
    from colonykit.whitespace import fused_stats

    v = np.array([[1.0, 1e16, -1e16, 1.0]])
    for order in ("C", "F"):
        w = np.asarray(v, order=order)  # type: ignore[call-overload]
        assert fused_stats(w)[2].tolist() == [1.0]
        assert fused_stats(w, block_bytes=16)[2].tolist() == [0.0]  # 2 servers × 1 step × 8 B
        assert fused_pass(w, (50.0,), block_bytes=16).composite.tolist() == [0.0]
        assert fused_pass(w, (50.0,)).composite.tolist() == [1.0]


def test_blocks_of_servers_cover_every_server_once() -> None:
    from colonykit.whitespace import _server_blocks, _servers_per_block

    v = np.arange(3 * 7, dtype=np.float64).reshape(3, 7)  # 3 steps × 7 servers, 24 B a server
    assert _servers_per_block(v, 72) == 3
    assert _servers_per_block(v, 71) == 2
    assert _servers_per_block(v, 5) == 1  # at least one
    assert _servers_per_block(np.zeros((0, 2)), 8) == 8  # no steps: the divisor is 1 byte
    for arr in (v, np.asfortranarray(v)):
        blocks = list(_server_blocks(arr, 72))
        assert [j for j, _ in blocks] == [0, 3, 6]
        assert [rows.shape for _, rows in blocks] == [(3, 3), (3, 3), (1, 3)]
        np.testing.assert_array_equal(np.vstack([rows for _, rows in blocks]), v.T)
        assert all(rows.flags.c_contiguous for _, rows in blocks)


def test_wrappers_give_the_same_values_whatever_the_block_size() -> None:
    from colonykit.whitespace import percentile_per_server, quantile_per_server

    # sorted a 1 2 3 4, b 1 2 3 9: p100 = the maxima, p50 = position 1.5 = 2.5 in both
    v = np.asfortranarray([[1.0, 2.0], [4.0, 3.0], [2.0, 9.0], [3.0, 1.0]])
    for block in (1, 8, 1 << 20):
        assert percentile_per_server(v, 100, block_bytes=block).tolist() == [4.0, 9.0]
        got, err = quantile_per_server(v, 50, block_bytes=block)
        assert got.tolist() == [2.5, 2.5] and err.tolist() == [0.0, 0.0]
        got, err = quantile_per_server(v, 50, method="approx", block_bytes=block)
        assert got.tolist() == [2.5, 2.5]  # 4 steps: exact whatever the method


# --- counting, interpolation, the exact rows ---


@pytest.mark.parametrize("numpy_has_bitwise_count", [True, False])
def test_popcount_rows_counts_every_width(
    numpy_has_bitwise_count: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    from colonykit.whitespace import _popcount_rows

    if not numpy_has_bitwise_count:  # numpy < 2.0: the plain sum
        monkeypatch.delattr(np, "bitwise_count", raising=False)
    rng = np.random.default_rng(3)
    for width in (1, 7, 8, 9, 63, 64, 65, 100, 129, 1030, 1283):
        mask = rng.random((5, width)) < 0.37
        mask[0] = True
        mask[1] = False
        got = _popcount_rows(mask)
        want = [int(sum(bool(b) for b in row)) for row in mask]  # counted one by one
        assert got.tolist() == want, width
        assert got[0] == width and got[1] == 0


def test_interpolation_is_numpys_bit_for_bit() -> None:
    """numpy's linear percentile interpolates ``a + (b − a) γ`` below γ = 0.5 and
    ``b − (b − a)(1 − γ)`` from 0.5 on; the two differ in the last bit for some pairs,
    e.g. 0.000383677554261883 and 0.000997209935789211 at γ = 0.5."""
    a, b = 0.0003836775542618834, 0.000997209935789211
    assert a + (b - a) * 0.5 != b - (b - a) * 0.5  # the pair tells the two formulas apart
    v = np.array([[a], [b]])
    assert fused_pass(v, (50.0,)).quantiles[50.0].tolist() == [b - (b - a) * 0.5]
    rng = np.random.default_rng(8)
    pairs = np.sort(rng.random((2, 400)) * rng.choice([1e-3, 1.0, 1e3], 400), axis=0)
    for q in (10.0, 25.0, 49.0, 50.0, 51.0, 75.0, 90.0):
        want = np.percentile(pairs, q, axis=0)
        np.testing.assert_array_equal(fused_pass(pairs, (q,)).quantiles[q], want)
    f32 = pairs.astype(np.float32)
    for q in (25.0, 50.0, 75.0):  # in float32, as numpy >= 2 does, returned as float64
        st = fused_pass(f32, (q,))
        assert st.quantiles[q].dtype == np.float64
        if NUMPY2:
            np.testing.assert_array_equal(st.quantiles[q], np.percentile(f32, q, axis=0))
        else:  # numpy < 2 interpolates float32 with other promotion rules (NEP 50)
            _same_within_one_float32_ulp(st.quantiles[q], np.percentile(f32, q, axis=0))


def test_exact_rows_one_sort_serves_every_percentile() -> None:
    from colonykit.whitespace import _exact_rows

    rows = np.array([[4.0, 1.0, 3.0, 2.0, 5.0], [0.0, 0.0, 10.0, 0.0, 0.0]])
    out = _exact_rows(rows, (0.0, 30.0, 50.0, 100.0))
    # sorted 1 2 3 4 5 and 0 0 0 0 10; position 4 q / 100: 0, 1.2, 2, 4
    assert [o.tolist() for o in out] == [[1.0, 0.0], [2.2, 0.0], [3.0, 0.0], [5.0, 10.0]]
    # float32 rows: interpolated in float32 (as numpy >= 2 does), returned as float64
    (p30,) = _exact_rows(rows.astype(np.float32), (30.0,))
    assert p30.dtype == np.float64
    assert p30.tolist() == [float(np.float32(2.0) + np.float32(1.0) * np.float32(0.2)), 0.0]
    assert p30[0] != 2.2  # the float32 rounding of 2.2, not float64's


# --- from_stats, to_dict of the result and of the figures ---


def test_from_stats_uses_every_statistic_given() -> None:
    import pandas as pd

    from colonykit.whitespace import from_stats

    r = from_stats(
        ["a", "b"],
        [2.0, 3.0],
        [8.0, 4.0],
        [9.0, 6.0, 7.0],
        pd.RangeIndex(3, name="step"),
        p=[6.0, 1.0],
        unit="mips",
        interval_s=60.0,
        headroom_pct=25.0,
        configured={"a": 10.0, "b": 100.0},
        percentile=80.0,
        idle_util_peak_pct=4.0,
    )
    per = r.per_server
    assert per["avg"].tolist() == [2.0, 3.0]
    assert per["p80"].tolist() == [6.0, 1.0] and "p95" not in per
    assert per["spikes"].tolist() == [2.0, 3.0]  # 8 − 6, 4 − 1
    assert per["util_peak_pct"].tolist() == [80.0, 4.0]
    assert per["idle"].tolist() == [False, True]  # 4 % <= 4 %
    assert r.idle_servers == ["b"]
    assert r.interval_s == 60.0 and r.steps == 3
    assert r.capacity_needed == 12.0  # 9 / (1 − 0.25)
    assert r.parameters == {
        "headroom_pct": 25.0,
        "percentile": 80.0,
        "idle_util_peak_pct": 4.0,
        "spikes": True,
    }
    assert r.sources.loc["spikes", "capacity"] == 5.0
    assert r.sources.loc["idle_servers", "capacity"] == 100.0


def test_to_dict_writes_a_time_label_as_iso_text() -> None:
    """A composite peak at an elapsed time (a Timedelta index: not a date, so only
    ``isoformat`` makes it text) is written as ISO 8601 duration text."""
    import pandas as pd

    from colonykit.whitespace import analyze, analyze_values

    v = np.array([[1.0, 2.0], [5.0, 4.0], [2.0, 2.0]])  # composite 3 9 4: peak at step 1
    index = pd.timedelta_range(0, periods=3, freq="10min")
    frame = pd.DataFrame(v, columns=["a", "b"], index=index)
    frame.attrs = {"unit": "mips", "interval_s": 600.0}
    r = analyze(frame)
    assert r.composite_peak_at == pd.Timedelta(minutes=10)
    d = r.to_dict()
    assert d["composite_peak_at"] == "P0DT0H10M0S"
    f = analyze_values(v, ["a", "b"], index, unit="mips", interval_s=600.0)
    fd = f.to_dict()
    assert fd["composite_peak_at"] == "P0DT0H10M0S"
    assert repr(fd) == repr(d)
    # the sources as plain floats, the idle servers as a count
    assert fd["sources"] == {
        "headroom": 0.0,  # configured at the own peaks 5 and 4
        "spikes": pytest.approx(0.3 + 0.2),  # p95 at position 1.9: 2 + 0.9 × 3, 2 + 0.9 × 2
        "non_coincident_peaks": 0.0,  # 5 + 4 − 9
        "idle_servers": 0.0,
        "unused_at_composite_peak": 0.0,
        "unused_on_average": 9.0 - 16.0 / 3,
    }
    assert all(type(x) is float for x in fd["sources"].values())
    assert fd["idle_servers"] == 0 and d["idle_servers"] == 0
    plain = analyze_values(v, ["a", "b"], [10, 20, 30], unit="mips").to_dict()
    assert plain["composite_peak_at"] == 20  # a label without isoformat is kept
    idle = analyze_values(np.zeros((2, 3)), ["a", "b", "c"], [0, 1], unit="mips").to_dict()
    assert idle["idle_servers"] == 3


def test_interpolating_towards_infinity_is_numpys_nan_without_a_warning() -> None:
    """Steps 1 and inf at q = 0: γ = 0, so 1 + (inf − 1) · 0 = 1 + inf · 0 = NaN, as numpy's
    own formula gives (numpy.percentile is NaN here too), with numpy's warning kept quiet."""
    import warnings

    v = np.array([[1.0, 1.0], [np.inf, 2.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = fused_pass(v, (0.0,)).quantiles[0.0]
    assert np.isnan(got[0]) and got[1] == 1.0
    with np.errstate(invalid="ignore"):
        assert np.isnan(np.percentile(v[:, 0], 0.0))


@pytest.mark.parametrize("min_cells", [1, 10**12])
@pytest.mark.parametrize("select_jit", [None, True, False])
def test_without_numba_every_setting_selects_with_numpy(
    select_jit: bool | None, min_cells: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """numba missing (neither imported nor importable): every SELECT_JIT setting falls back to
    ``np.partition`` (no ImportError), below and above the import threshold."""
    import sys

    from colonykit import whitespace

    monkeypatch.setitem(sys.modules, "colonykit._select_jit", None)  # import raises ImportError
    monkeypatch.delitem(sys.modules, "numba", raising=False)
    monkeypatch.setattr(whitespace, "SELECT_JIT", select_jit)
    monkeypatch.setattr(whitespace, "SELECT_JIT_MIN_CELLS", min_cells)
    assert whitespace.select_jit_available() is False
    v = np.random.default_rng(4).random((50, 3))
    st = fused_pass(v, (95.0, 50.0), threads=1)
    for q in (95.0, 50.0):
        np.testing.assert_array_equal(st.quantiles[q], np.percentile(v, q, axis=0))


def test_the_compiled_selection_is_available_when_numba_is() -> None:
    import importlib.util

    from colonykit.whitespace import select_jit_available

    assert select_jit_available() is (importlib.util.find_spec("numba") is not None)


def test_the_exact_path_computes_the_minimum_only_when_asked() -> None:
    v = _designed_rows()[:, :14]
    for q in (0.0, 10.0, 50.0):
        assert fused_pass(v, (q,)).mins is None
    for q in (0.0, 10.0):  # the approximate path's lowest pivot is the minimum here
        assert fused_pass(v, (q,), method="approx").mins is not None
    st = fused_pass(v, (10.0,), with_min=True)
    assert st.mins is not None
    np.testing.assert_array_equal(st.mins, v.min(axis=0))


# --- analyze, analyze_values, the tables' types ---


def test_analyze_refuses_bad_parameters_before_looking_at_the_data() -> None:
    from colonykit.errors import InputError
    from colonykit.whitespace import analyze

    one_d = np.array([1.0, 2.0])  # not 2-D either: the parameter is named first
    for bad, name in (
        ({"headroom_pct": 100.0}, "headroom_pct"),
        ({"percentile": 0.0}, "percentile"),
        ({"idle_util_peak_pct": 101.0}, "idle_util_peak_pct"),
    ):
        with pytest.raises(InputError, match=f"^'{name}'"):
            analyze(one_d, **bad)  # type: ignore[arg-type]


def test_analyze_values_defaults() -> None:
    from colonykit.errors import InputError
    from colonykit.whitespace import analyze_values

    v = np.array([[10.0, 40.0], [30.0, 30.0], [20.0, 0.0]])  # composite 50 60 20
    f = analyze_values(v, ["a", "b"], [0, 1, 2])
    assert f.unit == "cpu_pct" and f.configured_total == 200.0  # 100 per cpu_pct server
    # spikes on, exact p95: a sorted 10 20 30, b 0 30 40, position 1.9
    assert f.columns["p95"].tolist() == pytest.approx([29.0, 39.0], rel=1e-15)
    assert f.parameters["percentile_method"] == "exact"
    assert f.parameters["percentile_error_max"] == 0.0
    assert f.parameters["percentile_fallback_servers"] == 0
    assert f.steps == 3 and f.peak_step == 1 and f.composite_peak_at == 1
    with pytest.raises(InputError, match="invalid demand"):  # validated by default
        analyze_values(v - 5.0, ["a", "b"], [0, 1, 2])


def test_analyze_values_names_the_server_of_a_negative_value_on_any_index() -> None:
    from colonykit.errors import InputError
    from colonykit.whitespace import analyze_values

    v = np.array([[1.0, 2.0], [3.0, -1.0]])
    with pytest.raises(InputError, match="server 'b' step"):
        analyze_values(v, ["a", "b"], [10, 20], unit="mips")
    with pytest.raises(InputError, match="server 'b' step 't1'"):
        analyze_values(v, ["a", "b"], ["t0", "t1"], unit="mips")


def test_an_integer_step_label_is_printed_as_a_number() -> None:
    from colonykit.errors import InputError
    from colonykit.whitespace import analyze_values

    v = np.array([[1.0, 2.0], [3.0, -1.0]])
    with pytest.raises(InputError, match=r"server 'b' step 20$"):
        analyze_values(v, ["a", "b"], [10, 20], unit="mips")


def test_the_tables_are_float_with_object_labels() -> None:
    """Integer statistics or capacities still give float64 columns; the server and source
    labels are an object index (as pandas < 3 made them), whatever pandas infers for text."""
    import pandas as pd

    from colonykit.whitespace import analyze, from_stats

    r = from_stats(["a", "b"], [1, 2], [3, 4], [3, 5], pd.RangeIndex(2), p=[2, 3], unit="mips")
    for name in ("avg", "peak", "p95", "configured", "headroom", "spikes"):
        assert r.per_server[name].dtype == np.float64, name
    assert r.per_server["spikes"].tolist() == [1.0, 1.0]
    assert r.composite.dtype == np.float64 and r.composite.tolist() == [3.0, 5.0]
    assert r.per_server.index.dtype == object and r.sources.index.dtype == object
    conf = pd.Series({"s0": 100, "s1": 60})  # an integer Series of capacities
    r = analyze(np.array([[10.0, 20.0], [30.0, 0.0]]), unit="mips", configured=conf)
    assert r.per_server["configured"].dtype == np.float64
    assert r.per_server["configured"].tolist() == [100.0, 60.0]
    assert r.per_server.index.tolist() == ["s0", "s1"]
