"""Exact percentiles by selection (issue 25 item 4): the compiled histogram selection and the
``np.partition`` fallback give ``numpy.percentile``'s values, whatever the data (hypothesis)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from colonykit import whitespace
from colonykit.whitespace import fused_pass, select_jit_available

PATHS = [
    pytest.param(
        True, id="jit", marks=pytest.mark.skipif(not select_jit_available(), reason="numba")
    ),
    pytest.param(False, id="partition"),
]

#: numpy >= 2 interpolates percentiles in the input dtype, as colonykit does (bit for bit); numpy
#: 1.26 (the declared minimum) interpolates float32 in float64: about one float32 ulp apart.
NUMPY_2 = int(np.__version__.split(".")[0]) >= 2


def _assert_numpy_equal(got: np.ndarray, want: np.ndarray) -> None:
    if NUMPY_2:
        np.testing.assert_array_equal(got, want)
    else:
        # and an absolute 1e-9 on these data (values 0..~500): at a percentile next to 0 numpy
        # 1.26 interpolates by a weight like 4e-273 and returns 7.7e-275 where the order statistic is 0
        np.testing.assert_allclose(got, want, rtol=2.0**-22, atol=1e-9)


@pytest.mark.parametrize("jit", PATHS)
@settings(max_examples=60, deadline=None)
@given(
    n_t=st.integers(1, 3000),
    n_s=st.integers(1, 6),
    q=st.floats(0, 100),
    levels=st.sampled_from([0, 3, 101]),
    seed=st.integers(0, 2**16),
    f32=st.booleans(),
)
def test_selection_equals_numpy_percentile(
    jit: bool, n_t: int, n_s: int, q: float, levels: int, seed: int, f32: bool
) -> None:
    rng = np.random.default_rng(seed)
    v = rng.gamma(2.0, 10.0, (n_t, n_s))
    if levels:  # ties: a few distinct values (idle servers, integer percents)
        v = np.floor(v) % levels
    v = np.asfortranarray(v.astype(np.float32 if f32 else np.float64))
    old = whitespace.SELECT_JIT
    whitespace.SELECT_JIT = jit
    try:
        got = fused_pass(v, (q, 95.0), threads=1).quantiles
    finally:
        whitespace.SELECT_JIT = old
    _assert_numpy_equal(got[q], np.percentile(v, q, axis=0))
    _assert_numpy_equal(got[95.0], np.percentile(v, 95.0, axis=0))


@pytest.mark.parametrize("jit", PATHS)
def test_selection_threads_deterministic_and_bracket_misses(jit: bool) -> None:
    """A row whose sampled bracket misses (a burst between the sampled steps) is still exact,
    and two threads give the values of one, bit for bit."""
    rng = np.random.default_rng(7)
    v = rng.random((8640, 400)).astype(np.float32)
    v[1::2, :50] = 100.0  # every other step at 100: the strided sample sees only one half
    v[:, 60] = np.nan  # numpy: NaN for a series with a missing value
    v = np.asfortranarray(v)
    old = whitespace.SELECT_JIT
    whitespace.SELECT_JIT = jit
    try:
        one = fused_pass(v, (95.0, 50.0), threads=1, block_bytes=1 << 16)
        two = fused_pass(v, (95.0, 50.0), threads=2, block_bytes=1 << 16)
    finally:
        whitespace.SELECT_JIT = old
    for q in (95.0, 50.0):
        _assert_numpy_equal(one.quantiles[q], np.percentile(v, q, axis=0))
        np.testing.assert_array_equal(two.quantiles[q], one.quantiles[q])
    np.testing.assert_array_equal(two.composite, one.composite)


def _hostile(kind: str, n_t: int, rng: np.random.Generator) -> np.ndarray:
    """Columns that stress the histogram selection: every rank must still be exact."""
    if kind == "outlier":  # one huge spike: the wanted ranks all in the first bucket, again
        v = rng.random(n_t)
        v[rng.integers(n_t)] = 1e30
        return v
    if kind == "lognormal":  # heavy tail over many decades: several histogram steps
        return rng.lognormal(0.0, 12.0, n_t)
    if kind == "extremes":  # the dtype's whole range: float64 cannot scale it in float32
        return rng.choice([-3e38, -1.0, -0.0, 0.0, 1e-40, 2.5, 3e38], n_t)
    if kind == "infinite":  # an infinity: the row is sorted whole
        v = rng.random(n_t)
        v[0] = np.inf
        return v
    if kind == "two_values":  # neighbouring ranks in the first and the last bucket
        return np.where(rng.random(n_t) < 0.5, -7.0, 11.0)
    return np.round(rng.normal(50.0, 20.0, n_t), 1)  # "ticks": decimal ties


@pytest.mark.parametrize("jit", PATHS)
@settings(max_examples=60, deadline=None)
@given(
    n_t=st.integers(1, 5000),
    kind=st.sampled_from(["outlier", "lognormal", "extremes", "infinite", "two_values", "ticks"]),
    q=st.floats(0, 100),
    seed=st.integers(0, 2**16),
    f32=st.booleans(),
)
def test_selection_exact_on_hostile_columns(
    jit: bool, n_t: int, kind: str, q: float, seed: int, f32: bool
) -> None:
    """Every rank numpy's percentile interpolates is the order statistic itself (compared with a
    full sort), whatever the spread of the values: many histogram steps, a range the dtype cannot
    scale, infinities, two values only."""
    import threading

    rng = np.random.default_rng(seed)
    rows = np.stack([_hostile(kind, n_t, rng) for _ in range(3)])
    rows = rows.astype(np.float32 if f32 else np.float64)
    ranks = np.unique([r for p in (q, 95.0, 100.0) for r in whitespace._ranks(n_t, p)[:2]])
    use_jit = jit and whitespace.select_jit_available()
    got = whitespace._select_rows(
        rows, ranks, threading.local(), use_jit, (rows.max(axis=1), rows.min(axis=1))
    )
    np.testing.assert_array_equal(got, np.sort(rows, axis=1)[:, ranks])
