"""Per-server quantiles: exact equals numpy (bit for bit); the approximate one stays within its bound."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from colonykit.errors import InputError
from colonykit.whitespace import (
    QUANTILE_SAMPLE,
    analyze,
    fused_pass,
    percentile_per_server,
    quantile_per_server,
)

#: Long enough for the sampled (approximate) path, which starts at 4 × QUANTILE_SAMPLE steps.
LONG = 5 * QUANTILE_SAMPLE


#: numpy >= 2 interpolates percentiles in the input dtype, as colonykit does (bit for bit); numpy
#: 1.26 (the declared minimum) interpolates float32 in float64, which differs by about one float32 ulp.
NUMPY_2 = int(np.__version__.split(".")[0]) >= 2


def _assert_numpy_equal(got: np.ndarray, want: np.ndarray) -> None:
    if NUMPY_2:
        np.testing.assert_array_equal(got, want)
    else:
        # within one float32 ulp; at zero that ulp is float32's smallest subnormal (numpy 1.26
        # interpolates a float32 column in float64, e.g. 0 + 5 * 1e-247 at q = 2.5e-246)
        tiny = float(np.finfo(np.float32).smallest_subnormal)
        np.testing.assert_allclose(got, want, rtol=2.0**-22, atol=tiny)


def _traces(
    seed: int, n_t: int, n_s: int, ties: bool, dtype: type = np.float32, order: str = "F"
) -> np.ndarray:
    rng = np.random.default_rng(seed)
    v = rng.gamma(2.0, 10.0, (n_t, n_s))
    if ties:  # integer percents and idle servers, like PlanetLab
        v = np.round(v)
        v[:, ::3] = 0.0
    return np.asarray(v, dtype=dtype, order=order)  # type: ignore[call-overload]


@pytest.mark.parametrize("q", [0, 5, 50, 95, 99.5, 100])
@pytest.mark.parametrize("ties", [False, True])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_exact_is_numpy_percentile_bit_for_bit(q: float, ties: bool, dtype: type) -> None:
    v = _traces(1, LONG + 7, 37, ties, dtype)
    got, err = quantile_per_server(v, q)
    # numpy's own values, in the input dtype (second method: numpy itself)
    _assert_numpy_equal(got, np.percentile(v, q, axis=0).astype(np.float64))
    _assert_numpy_equal(got, np.quantile(v, q / 100, axis=0).astype(np.float64))
    assert not err.any()


@settings(max_examples=40, deadline=None)
@given(
    st.integers(1, 60),
    st.integers(1, 9),
    st.floats(0, 100),
    st.booleans(),
    st.sampled_from([np.float32, np.float64]),
    st.sampled_from(["C", "F"]),
    st.sampled_from([64, 4096, 1 << 21]),
)
def test_exact_equals_numpy_for_any_shape_order_and_block(
    n_t: int, n_s: int, q: float, ties: bool, dtype: type, order: str, block: int
) -> None:
    v = _traces(n_t * 31 + n_s, n_t, n_s, ties, dtype, order)
    got = percentile_per_server(v, q, block_bytes=block)
    _assert_numpy_equal(got, np.percentile(v, q, axis=0).astype(np.float64))


def test_several_quantiles_in_one_pass_and_nan_rows() -> None:
    v = _traces(4, 300, 6, False, np.float64)
    v[17, 2] = np.nan
    st_ = fused_pass(v, (5.0, 50.0, 95.0), with_min=True)
    for q in (5.0, 50.0, 95.0):
        _assert_numpy_equal(st_.quantiles[q], np.percentile(v, q, axis=0))
    assert np.isnan(st_.quantiles[95.0][2])
    np.testing.assert_array_equal(st_.peaks[[0, 1, 3]], v.max(axis=0)[[0, 1, 3]])
    with pytest.raises(InputError, match="percentile"):
        fused_pass(v, (101.0,))
    with pytest.raises(InputError, match="2-D"):
        fused_pass(np.zeros(3))


@settings(max_examples=25, deadline=None)
@given(
    st.integers(0, 10_000),
    st.floats(0, 100),
    st.booleans(),
    st.sampled_from([np.float32, np.float64]),
)
def test_approx_within_its_stated_bound(seed: int, q: float, ties: bool, dtype: type) -> None:
    v = _traces(seed, LONG, 11, ties, dtype)
    exact = np.percentile(v.astype(np.float64), q, axis=0)
    approx, err = quantile_per_server(v, q, method="approx")
    assert (err >= 0).all()
    # exact interpolation in float64 vs the float32 order statistics: 1 ulp of slack
    assert (np.abs(approx - exact) <= err + 1e-6 * np.maximum(1, np.abs(exact))).all()


def test_approx_bracket_misses_are_computed_exactly() -> None:
    """A step change after the sample's reach of the bracket: the counts catch every miss."""
    rng = np.random.default_rng(5)
    v = rng.uniform(0, 1, (LONG, 4))
    v[: LONG // 2, 1] += 100.0  # bimodal: the p50 falls in the gap between the two modes
    approx, err = quantile_per_server(v, 50, method="approx")
    exact = np.percentile(v, 50, axis=0)
    assert (np.abs(approx - exact) <= err + 1e-12).all()


def test_analyze_reports_the_method_bound_and_fallback() -> None:
    v = _traces(3, LONG, 8, False)
    exact = analyze(v, unit="cpu_pct")
    approx = analyze(v, unit="cpu_pct", percentile_method="approx")
    _assert_numpy_equal(exact.per_server["p95"], np.percentile(v, 95, axis=0).astype(np.float64))
    assert exact.parameters["percentile_error_max"] == 0.0
    assert exact.parameters["percentile_fallback_servers"] == 0
    bound = approx.parameters["percentile_error_max"]
    # gamma(2, 10): p95 ≈ 47 in a thin tail; 512 samples at ±(3 sd + 1) sample ranks bracket
    # about p92..p98 (≈ 39..61), so the half-width is well under the p95 itself
    assert 0 < bound < 47
    assert float(np.median(quantile_per_server(v, 95, method="approx")[1])) < 25
    assert np.abs(approx.per_server["p95"] - exact.per_server["p95"]).max() <= bound + 1e-6
    assert 0 <= approx.parameters["percentile_fallback_servers"] <= 8
    with pytest.raises(InputError, match="method"):
        quantile_per_server(v, 95, method="sketch")


@settings(max_examples=40, deadline=None)
@given(
    st.integers(0, 10_000),
    st.integers(1, 40),
    st.integers(8, 80),
    st.sampled_from([(), (95.0,), (5.0, 50.0, 99.0)]),
    st.sampled_from(["exact", "approx"]),
    st.booleans(),
    st.sampled_from(["C", "F"]),
    st.sampled_from([np.float32, np.float64]),
    st.sampled_from([2, 3]),
)
def test_threads_change_nothing(
    seed: int,
    n_t: int,
    n_s: int,
    qs: tuple[float, ...],
    method: str,
    with_min: bool,
    order: str,
    dtype: type,
    threads: int,
) -> None:
    # blocks of one or two servers, so the pool gets many blocks; NaN series included
    v = _traces(seed, n_t, n_s, seed % 2 == 0, dtype, order)
    if seed % 3 == 0:
        v[np.random.default_rng(seed).integers(0, n_t), :: max(1, n_s // 3)] = np.nan
    block = n_t * np.dtype(dtype).itemsize * (1 + seed % 2)
    one = fused_pass(v, qs, method=method, with_min=with_min, block_bytes=block, threads=1)
    many = fused_pass(v, qs, method=method, with_min=with_min, block_bytes=block, threads=threads)
    for name in ("sums", "peaks", "composite", "mins"):
        a, b = getattr(one, name), getattr(many, name)
        assert (a is None) == (b is None)
        if a is not None:
            np.testing.assert_array_equal(a, b, err_msg=name)  # NaN == NaN here, bit for bit
    for q in qs:
        np.testing.assert_array_equal(one.quantiles[q], many.quantiles[q])
        np.testing.assert_array_equal(one.errors[q], many.errors[q])
    assert one.fallback_rows == many.fallback_rows
    if qs and method == "exact":
        want = np.percentile(v, qs[0], axis=0).astype(np.float64)
        _assert_numpy_equal(many.quantiles[qs[0]], want)
