"""Composite / white-space analysis: hand-worked values, real traces, properties, bad input."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from colonykit.errors import InputError
from colonykit.ingest import read_traces
from colonykit.whitespace import (
    analyze,
    capacity_for_headroom,
    non_coincidence_saving_pct,
    white_space_pct,
)


def _small() -> pd.DataFrame:
    f = pd.DataFrame({"a": [10.0, 20, 30, 40], "b": [30.0, 10, 20, 10], "c": [0.0, 0, 20, 0]})
    f.attrs = {"unit": "cpu_pct", "interval_s": 300.0}
    return f


def test_hand_worked_example() -> None:
    r = analyze(_small(), headroom_pct=10, percentile=50)
    # composite 40 30 70 50 -> peak 70 at step 2, mean 47.5; peaks 40 + 30 + 20 = 90
    assert r.composite.tolist() == [40.0, 30.0, 70.0, 50.0]
    assert (r.sum_of_peaks, r.composite_peak, r.composite_mean) == (90.0, 70.0, 47.5)
    assert r.composite_peak_at == 2
    assert r.non_coincidence_saving_pct == pytest.approx(100 * (1 - 70 / 90))  # 22.22 %
    assert r.white_space_pct == pytest.approx(100 * (1 - 47.5 / 70))  # seed: 1 - utilization
    # configured: 3 servers x 100 % = 300
    assert r.configured_total == 300.0
    assert r.mean_white_space_pct == pytest.approx(100 * (1 - 47.5 / 300))
    assert r.peak_white_space_pct == pytest.approx(100 * (1 - 70 / 300))
    assert r.configured_headroom_pct == pytest.approx(100 * 210 / 300)
    assert r.capacity_needed == pytest.approx(70 / 0.9)
    assert r.saving_pct == pytest.approx(100 * (1 - (70 / 0.9) / 300))
    per = r.per_server
    assert per["avg"].tolist() == [25.0, 17.5, 5.0]
    assert per["peak"].tolist() == [40.0, 30.0, 20.0]
    # median (p50, linear): a 25, b 15, c 0 -> spikes 15, 15, 20
    assert per["p50"].tolist() == [25.0, 15.0, 0.0]
    assert per["spikes"].tolist() == [15.0, 15.0, 20.0]
    assert per["headroom"].tolist() == [60.0, 70.0, 80.0]
    assert r.sources.loc["non_coincident_peaks", "capacity"] == 20.0
    assert r.sources.loc["spikes", "capacity"] == 50.0
    assert r.idle_servers == []


def test_idle_threshold_and_configured() -> None:
    f = _small()
    r = analyze(f, idle_util_peak_pct=25)  # c peaks at 20 % of its 100 %
    assert r.idle_servers == ["c"] and r.sources.loc["idle_servers", "capacity"] == 100.0
    f.attrs["unit"] = "mips"
    r2 = analyze(f)  # no configured capacity: each server's own peak; headroom 0
    assert r2.configured_total == 90.0 and r2.configured_headroom_pct == 0.0
    assert r2.idle_servers == []
    r3 = analyze(f, configured={"a": 50.0, "b": 50.0, "c": 400.0})
    assert r3.configured_total == 500.0 and r3.idle_servers == ["c"]  # 20/400 = 5 %


def test_defaults_from_constants() -> None:
    r = analyze(_small())
    assert r.headroom_pct == 10.0 and r.parameters["percentile"] == 95.0
    assert "p95" in r.per_server
    # linear p95 of a = 10 20 30 40: 37 + 0.85 * ... = 38.5
    assert r.per_server.loc["a", "p95"] == pytest.approx(np.percentile([10, 20, 30, 40], 95))


def test_spikes_off_and_to_dict() -> None:
    r = analyze(_small(), spikes=False)
    assert "spikes" not in r.per_server and np.isnan(r.sources.loc["spikes", "capacity"])
    d = r.to_dict()
    for key in (
        "servers",
        "sum_of_peaks",
        "composite_peak",
        "composite_mean",
        "white_space_pct",
        "unit",
    ):
        assert key in d
    assert d["servers"] == 3 and d["unit"] == "cpu_pct"
    assert "White space" in r.summary()


def test_numpy_input_float32() -> None:
    arr = _small().to_numpy(dtype=np.float32)
    r = analyze(arr)
    assert r.sum_of_peaks == 90.0 and r.composite_peak == 70.0 and r.servers == 3


def test_planetlab_figures(data_dir: Path) -> None:
    frame, _ = read_traces(data_dir / "traces" / "planetlab_20110303")
    r = analyze(frame)
    # figures recomputed independently in ../shared/data/planetlab/PROVENANCE.md
    assert r.sum_of_peaks == 49_807 and r.composite_peak == 14_326 and r.composite_peak_at == 162
    assert r.composite_mean == pytest.approx(0.1231 * 1052 * 100, rel=1e-3)  # mean 12.31 %
    assert r.non_coincidence_saving_pct == pytest.approx(71.24, abs=0.01)
    assert r.white_space_pct == pytest.approx(100 * (1 - r.composite_mean / 14_326))


@pytest.mark.shared_data
def test_shared_traces(shared_data: Path) -> None:
    bb, _ = read_traces(shared_data / "bitbrains_rnd" / "bitbrains_rnd_20130902_7d.csv.gz")
    r = analyze(bb)
    assert (r.sum_of_peaks, r.composite_peak) == (1_620_864, 1_085_201)
    az, _ = read_traces(shared_data / "azure_v1_sample" / "azure_v1_100vm_cpu.csv.gz")
    r = analyze(az)
    assert round(r.sum_of_peaks) == 7_257 and round(r.composite_peak) == 1_555
    assert r.peak_ratio == pytest.approx(4.67, abs=0.005)


def test_pure_helpers() -> None:
    assert non_coincidence_saving_pct(0, 0) == 0.0
    assert white_space_pct(composite_mean=0, composite_peak=0) == 0.0
    with pytest.raises(TypeError):
        white_space_pct(90, 70)  # type: ignore[misc]  # keyword-only: not the saving's arguments
    assert capacity_for_headroom(70, 30) == pytest.approx(100.0)
    with pytest.raises(InputError, match="headroom_pct"):
        capacity_for_headroom(1, 100)


# ------------------------------------------------------------------ properties

demand_arrays = arrays(
    np.float64,
    st.tuples(st.integers(1, 30), st.integers(1, 12)),
    elements=st.floats(0, 1000, allow_nan=False, width=32),
)


@given(demand_arrays)
def test_invariants(arr: np.ndarray) -> None:
    r = analyze(arr, unit="mips")
    tol = 1e-9 * max(1.0, float(arr.sum()))
    assert r.composite_peak <= r.sum_of_peaks + tol
    assert r.composite_mean <= r.composite_peak + tol
    assert -1e-9 <= r.non_coincidence_saving_pct < 100 or r.sum_of_peaks == 0
    assert -1e-9 <= r.white_space_pct <= 100 + 1e-9
    assert r.composite_peak >= arr.max(axis=0).max() - tol  # at least the biggest single peak
    # second method: pandas
    f = pd.DataFrame(arr)
    assert r.sum_of_peaks == pytest.approx(f.max().sum())
    assert r.composite_peak == pytest.approx(f.sum(axis=1).max())
    assert r.per_server["avg"].to_numpy() == pytest.approx(f.mean().to_numpy())


@given(demand_arrays, st.randoms(use_true_random=False))
def test_permutation_and_scale_invariance(arr: np.ndarray, rnd) -> None:
    order = list(range(arr.shape[1]))
    rnd.shuffle(order)
    r1 = analyze(arr, unit="mips")
    r2 = analyze(arr[:, order] * 2.0, unit="mips")
    assert r2.composite_peak == pytest.approx(2 * r1.composite_peak)
    assert r2.white_space_pct == pytest.approx(r1.white_space_pct, abs=1e-9)
    assert r2.non_coincidence_saving_pct == pytest.approx(r1.non_coincidence_saving_pct, abs=1e-9)


@given(demand_arrays)
def test_merging_servers_never_adds_white_space(arr: np.ndarray) -> None:
    """Pre-consolidating servers 0 and 1 into one can only lower the sum of peaks."""
    if arr.shape[1] < 2:
        return
    merged = np.column_stack([arr[:, 0] + arr[:, 1], arr[:, 2:]])
    r, m = analyze(arr, unit="mips"), analyze(merged, unit="mips")
    assert m.sum_of_peaks <= r.sum_of_peaks + 1e-6
    assert m.composite_peak == pytest.approx(r.composite_peak)


# ------------------------------------------------------------------ bad input


def test_bad_input() -> None:
    f = _small()
    f.iloc[1, 1] = np.nan
    with pytest.raises(
        InputError,
        match=r"'demand' must be a finite number \(got nan\) at demand server 'b' "
        r"step 1 \(fill gaps first",
    ):
        analyze(f)
    g = _small()
    g.iloc[0, 2] = -1.0
    with pytest.raises(
        InputError, match=r"'demand' must be >= 0 \(got -1.0\) at demand server 'c' step 0"
    ):
        analyze(g)
    with pytest.raises(InputError, match="non-empty"):
        analyze(pd.DataFrame())
    with pytest.raises(InputError, match="headroom_pct"):
        analyze(_small(), headroom_pct=100)
    with pytest.raises(InputError, match="percentile"):
        analyze(_small(), percentile=0)
    with pytest.raises(InputError, match="unit"):
        analyze(_small(), unit="watts")
    with pytest.raises(InputError, match="2-D"):
        analyze(np.zeros(3))
    with pytest.raises(InputError, match="no capacity"):
        analyze(_small(), configured={"a": 1.0})
    with pytest.raises(InputError, match="configured"):
        analyze(_small(), configured=-1.0)


@given(demand_arrays, st.sampled_from([8, 64, 1 << 20]), st.floats(1, 100))
def test_blocked_kernels_match_numpy(arr: np.ndarray, block: int, q: float) -> None:
    """The blocked one-pass kernels equal plain numpy (second method) in both memory orders."""
    from colonykit.whitespace import fused_stats, percentile_per_server

    for v in (np.ascontiguousarray(arr), np.asfortranarray(arr)):
        sums, peaks, comp, mins = fused_stats(v, block_bytes=block, with_min=True)
        np.testing.assert_allclose(sums, arr.sum(axis=0), rtol=1e-12, atol=1e-9)
        np.testing.assert_array_equal(peaks, arr.max(axis=0))
        np.testing.assert_array_equal(mins, arr.min(axis=0))
        np.testing.assert_allclose(comp, arr.sum(axis=1), rtol=1e-12, atol=1e-9)
        np.testing.assert_allclose(
            percentile_per_server(v, q, block_bytes=block),
            np.percentile(arr, q, axis=0),
            rtol=1e-12,
            atol=1e-9,
        )


def test_float32_frame_layout_matches_float64() -> None:
    rng = np.random.default_rng(1)
    arr = rng.uniform(0, 100, size=(300, 50))
    f32 = pd.DataFrame(arr.astype(np.float32))  # F-ordered block, like read_traces output
    r32, r64 = analyze(f32, unit="cpu_pct"), analyze(arr.astype(np.float32).astype(np.float64))
    assert r32.composite_peak == pytest.approx(r64.composite_peak, rel=1e-6)
    np.testing.assert_allclose(r32.per_server["p95"], r64.per_server["p95"], rtol=1e-6)
