"""Per-server quantiles: exact equals numpy.percentile; the approximate one stays within its bound."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from colonykit.errors import InputError
from colonykit.whitespace import QUANTILE_SAMPLE, analyze, quantile_per_server


def _traces(seed: int, n_t: int, n_s: int, ties: bool) -> np.ndarray:
    rng = np.random.default_rng(seed)
    v = rng.gamma(2.0, 10.0, (n_t, n_s)).astype(np.float32)
    if ties:  # integer percents and idle servers, like PlanetLab
        v = np.round(v)
        v[:, ::3] = 0.0
    return np.asfortranarray(v)


@pytest.mark.parametrize("q", [0, 5, 50, 95, 99.5, 100])
@pytest.mark.parametrize("ties", [False, True])
def test_exact_equals_numpy_percentile(q: float, ties: bool) -> None:
    v = _traces(1, 6 * QUANTILE_SAMPLE, 37, ties)  # long enough for the pivot path
    got, err = quantile_per_server(v, q)
    # the same order statistics, interpolated in float64 (numpy interpolates in the input dtype)
    np.testing.assert_allclose(got, np.percentile(v.astype(np.float64), q, axis=0), rtol=1e-12)
    assert not err.any()


def test_short_series_and_c_order() -> None:
    v = np.ascontiguousarray(_traces(2, 100, 5, False))
    np.testing.assert_allclose(quantile_per_server(v, 95)[0],
                               np.percentile(v.astype(np.float64), 95, axis=0), rtol=1e-12)


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000), st.floats(0, 100), st.booleans())
def test_approx_within_its_stated_bound(seed: int, q: float, ties: bool) -> None:
    v = _traces(seed, 5 * QUANTILE_SAMPLE, 11, ties)
    exact = np.percentile(v.astype(np.float64), q, axis=0)
    approx, err = quantile_per_server(v, q, method="approx")
    assert (err >= 0).all()
    assert (np.abs(approx - exact) <= err + 1e-6 * np.maximum(1, np.abs(exact))).all()


def test_analyze_reports_the_method_and_bound() -> None:
    v = _traces(3, 5 * QUANTILE_SAMPLE, 8, False)
    exact = analyze(v, unit="cpu_pct")
    approx = analyze(v, unit="cpu_pct", percentile_method="approx")
    np.testing.assert_allclose(exact.per_server["p95"],
                               np.percentile(v.astype(np.float64), 95, axis=0), rtol=1e-12)
    bound = approx.parameters["percentile_error_max"]
    assert np.abs(approx.per_server["p95"] - exact.per_server["p95"]).max() <= bound + 1e-9
    with pytest.raises(InputError, match="method"):
        quantile_per_server(v, 95, method="sketch")
