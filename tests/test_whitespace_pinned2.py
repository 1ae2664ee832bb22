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
    unsampled = np.setdiff1d(np.arange(n_t), cols)
    low[unsampled[:3]] = -5.0  # the minimum is not sampled: the lowest pivot is the row's minimum
    out.append(low)
    steps = (np.arange(n_t) * 8 // n_t).astype(np.float64)  # eight levels: ties in the bracket
    out.append(steps)
    return np.column_stack(out)


def _check_against_reference(st: object, v: np.ndarray, qs: tuple[float, ...]) -> set[str]:
    cols = _sample_steps(v.shape[0])
    branches = set()
    for q in qs:
        want = [_reference(v[:, j], q, cols) for j in range(v.shape[1])]
        branches |= {w[3] for w in want}
        values = st.quantiles[q]  # type: ignore[attr-defined]
        errors = st.errors[q]  # type: ignore[attr-defined]
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
