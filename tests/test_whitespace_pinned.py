"""White-space figures pinned by hand (issue 27 §2: every number the result prints).

Only the public functions are called (``analyze``, ``from_stats``, ``resolve_parameters`` and the
result's properties), so these tests do not depend on how the percentile kernel is written.
Each value is worked out here from the formulas in the result's docstring and the inputs.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from colonykit.errors import InputError
from colonykit.whitespace import analyze, from_stats, resolve_parameters


def _frame(unit: str = "mips") -> pd.DataFrame:
    # composite 40 30 70 50: peak 70 at step 2, mean 47.5; own peaks a 40, b 30, c 20 (sum 90)
    f = pd.DataFrame({"a": [10.0, 20, 30, 40], "b": [30.0, 10, 20, 10], "c": [0.0, 0, 20, 0]})
    f.index = pd.date_range("2026-01-05", periods=4, freq="5min")
    f.attrs = {"unit": unit, "interval_s": 300.0}
    return f


def test_sources_and_shares_of_a_given_configured_capacity() -> None:
    r = analyze(_frame(), headroom_pct=20, configured={"a": 100.0, "b": 60.0, "c": 40.0})
    conf = 200.0
    needed = 70 / 0.8  # 87.5
    assert r.configured_total == conf and r.configured_source == "given per server"
    assert r.capacity_needed == pytest.approx(needed)
    assert r.saving_pct == pytest.approx(100 * (conf - needed) / conf)  # 56.25
    assert r.saving_vs_peaks_pct == pytest.approx(100 * (1 - needed / 90))  # 2.78
    assert r.mean_white_space_pct == pytest.approx(100 * (conf - 47.5) / conf)
    assert r.peak_white_space_pct == pytest.approx(100 * (conf - 70) / conf)
    assert r.configured_headroom_pct == pytest.approx(100 * (conf - 90) / conf)
    per = r.per_server
    assert per["configured"].tolist() == [100.0, 60.0, 40.0]
    assert per["headroom"].tolist() == [60.0, 30.0, 20.0]
    assert per["util_peak_pct"].tolist() == pytest.approx([40.0, 50.0, 50.0])
    # idle at <= 5 % of configured: none; the sources, each by hand
    expected = {
        "headroom": 110.0,
        "non_coincident_peaks": 20.0,  # 90 − 70
        "idle_servers": 0.0,
        "unused_at_composite_peak": 130.0,  # 200 − 70
        "unused_on_average": 152.5,  # 200 − 47.5
    }
    for name, cap in expected.items():
        assert r.sources.loc[name, "capacity"] == pytest.approx(cap)
        assert r.sources.loc[name, "pct_of_configured"] == pytest.approx(100 * cap / conf)
    # spikes: peak − p95 (linear) per server
    p95 = [np.percentile(r_, 95) for r_ in ([10, 20, 30, 40], [30, 10, 20, 10], [0, 0, 20, 0])]
    spikes = sum(p - q for p, q in zip([40, 30, 20], p95, strict=True))
    assert r.sources.loc["spikes", "capacity"] == pytest.approx(spikes)
    assert r.sources.index.tolist() == [
        "headroom",
        "spikes",
        "non_coincident_peaks",
        "idle_servers",
        "unused_at_composite_peak",
        "unused_on_average",
    ]


def test_a_scalar_configured_capacity_and_the_idle_threshold_inclusive() -> None:
    # every server configured at 400: c peaks at 20 / 400 = 5 % -> idle at the default 5 %
    r = analyze(_frame(), configured=400)
    assert r.configured_total == 1200.0 and r.configured_source == "configured"
    assert r.per_server["util_peak_pct"].tolist() == pytest.approx([10.0, 7.5, 5.0])
    assert r.idle_servers == ["c"]
    assert r.per_server["idle"].tolist() == [False, False, True]
    assert r.sources.loc["idle_servers", "capacity"] == 400.0
    below = analyze(_frame(), configured=400, idle_util_peak_pct=4.9)
    assert below.idle_servers == []
    series = analyze(_frame(), configured=pd.Series({"c": 10.0, "b": 30.0, "a": 40.0}))
    assert series.per_server["configured"].tolist() == [40.0, 30.0, 10.0]  # by name, not order
    assert series.configured_headroom_pct == pytest.approx(100 * (80 - 90) / 80)  # negative


def test_without_configured_capacity_only_zero_peaks_are_idle() -> None:
    f = _frame().assign(d=0.0)
    r = analyze(f)
    assert r.configured_source == "each server's own peak (no capacity given)"
    assert r.per_server["configured"].tolist() == [40.0, 30.0, 20.0, 0.0]
    assert r.idle_servers == ["d"]
    # util_peak_pct of a zero configured capacity is NaN, not a division by zero
    assert math.isnan(r.per_server.loc["d", "util_peak_pct"])
    assert r.per_server["util_peak_pct"].iloc[:3].tolist() == [100.0, 100.0, 100.0]
    pct = analyze(_frame("cpu_pct"))
    assert pct.configured_total == 300.0
    assert pct.configured_source == "100 % per server (cpu_pct traces)"


def test_zero_configured_total_prints_nan_shares() -> None:
    r = analyze(_frame() * 0.0)
    assert r.configured_total == 0.0
    assert math.isnan(r.mean_white_space_pct) and math.isnan(r.saving_pct)
    assert r.sources["pct_of_configured"].isna().all()
    assert r.sources["pct_of_configured"].dtype == np.float64
    assert r.saving_vs_peaks_pct == 0.0
    assert r.white_space_pct == 0.0 and r.non_coincidence_saving_pct == 0.0
    assert r.peak_ratio == math.inf


def test_peak_ratio_composite_peak_time_and_parameters() -> None:
    r = analyze(_frame(), headroom_pct=0, percentile=50, idle_util_peak_pct=0)
    assert r.peak_ratio == pytest.approx(90 / 70)
    assert r.composite_peak_at == pd.Timestamp("2026-01-05 00:10")
    assert (r.servers, r.steps, r.interval_s, r.unit) == (3, 4, 300.0, "mips")
    assert r.capacity_needed == 70.0 and r.headroom_pct == 0.0
    assert r.parameters["headroom_pct"] == 0.0
    assert r.parameters["percentile"] == 50.0
    assert r.parameters["idle_util_peak_pct"] == 0.0
    assert r.parameters["spikes"] is True
    assert r.parameters["percentile_method"] == "exact"
    assert r.parameters["percentile_error_max"] == 0.0
    assert r.parameters["percentile_fallback_servers"] == 0
    assert "p50" in r.per_server and "p95" not in r.per_server
    odd = analyze(_frame(), percentile=99.5)
    assert "p99.5" in odd.per_server.columns
    off = analyze(_frame(), spikes=False)
    assert off.parameters["spikes"] is False and "percentile_method" not in off.parameters


def test_to_dict_and_summary_print_the_figures() -> None:
    r = analyze(_frame(), headroom_pct=20, configured=400)
    d = r.to_dict()
    assert (
        isinstance(d["composite_peak_at"], str) and d["composite_peak_at"] == "2026-01-05T00:10:00"
    )
    assert d["idle_servers"] == 1
    from colonykit.whitespace import WhiteSpaceResult

    assert list(d) == list(WhiteSpaceResult._dict_keys)  # the CLI's JSON keys, in order
    assert d["sources"]["unused_at_composite_peak"] == pytest.approx(1200 - 70)
    assert d["peak_ratio"] == pytest.approx(90 / 70)
    assert d["capacity_needed"] == pytest.approx(87.5)
    text = r.summary()
    assert "3 servers, 4 steps of 300 s (mips)." in text
    assert "Sum of individual peaks 90.0; composite peak 70.0" in text
    assert "composite mean 47.5." in text
    assert "Non-coincidence saving of peak-sized servers: 22.2 %" in text  # 100 × (1 − 70/90)
    assert "(peaks over-provision 1.29x)" in text
    assert "(1 − mean ÷ peak): 32.1 %." in text  # 100 × (1 − 47.5/70)
    assert "Configured 1,200.0 (configured): 96.0 % white space on average" in text
    assert "92.5 % headroom." in text  # (1200 − 90) / 1200
    assert "Capacity needed with 20 % headroom: 87.5 (92.7 % less than configured)" in text
    assert "1 idle server(s)." in text
    arr = analyze(np.array([[1.0, 0.0], [3.0, 0.0]]), unit="mips").to_dict()
    assert arr["composite_peak_at"] == 1  # a RangeIndex label, not a time


def test_from_stats_equals_analyze_and_counts_its_steps() -> None:
    f = _frame()
    r = from_stats(
        ["a", "b", "c"],
        f.mean().to_numpy(),
        f.max().to_numpy(),
        f.sum(axis=1).to_numpy(),
        f.index,
        unit="mips",
        interval_s=300.0,
        headroom_pct=20,
        configured=400,
    )
    a = analyze(f, headroom_pct=20, configured=400, spikes=False)
    for name in ("sum_of_peaks", "composite_peak", "composite_mean", "saving_pct", "steps"):
        assert getattr(r, name) == getattr(a, name)
    assert r.steps == 4
    assert from_stats(["a"], [1.0], [2.0], [2.0, 1.0], pd.RangeIndex(2), steps=7).steps == 7
    with pytest.raises(InputError, match="unit"):
        from_stats(["a"], [1.0], [2.0], [2.0], pd.RangeIndex(1), unit="furlongs")


def test_resolve_parameters_bounds() -> None:
    assert resolve_parameters(0, 100, 0) == (0.0, 100.0, 0.0)
    assert resolve_parameters(99.9, 0.1, 100) == (99.9, 0.1, 100.0)
    for bad in (
        {"headroom_pct": 100},
        {"headroom_pct": -1},
        {"percentile": 0},
        {"percentile": 100.5},
        {"idle_util_peak_pct": -0.1},
        {"idle_util_peak_pct": 100.1},
    ):
        with pytest.raises(InputError, match=next(iter(bad))):
            resolve_parameters(**bad)


def test_analyze_refuses_bad_demand() -> None:
    with pytest.raises(InputError, match="2-D"):
        analyze(np.array([1.0, 2.0]))
    with pytest.raises(InputError, match="non-empty"):
        analyze(np.zeros((0, 3)))
    with pytest.raises(InputError, match="numeric"):
        analyze(np.array([["a", "b"]], dtype=object))
    with pytest.raises(InputError, match="unit"):
        analyze(_frame(), unit="furlongs")
    with pytest.raises(InputError):
        analyze(_frame() - 50.0)  # negative demand
    assert analyze(_frame() - 50.0, validate=False).composite_peak == 70.0 - 150.0
    with pytest.raises(InputError, match="configured"):
        analyze(_frame(), configured={"a": 1.0})
    with pytest.raises(InputError, match="configured"):
        analyze(_frame(), configured=-1.0)
    ints = analyze(np.array([[1, 2], [3, 4]]), unit="mips")
    assert ints.composite.tolist() == [3.0, 7.0] and ints.unit == "mips"
    assert analyze(np.array([[1.0]])).unit == "cpu_pct"


def test_shares_of_a_zero_or_small_configured_capacity() -> None:
    zero = analyze(_frame(), configured=0.0)  # peaks above a zero capacity: no share, not −inf
    assert zero.configured_total == 0.0
    assert math.isnan(zero.mean_white_space_pct) and math.isnan(zero.peak_white_space_pct)
    assert math.isnan(zero.per_server.loc["a", "util_peak_pct"])
    small = analyze(_frame(), configured=0.25)  # 0.75 in all, below 1
    assert small.per_server["util_peak_pct"].tolist() == pytest.approx([16_000, 12_000, 8_000])
    assert small.mean_white_space_pct == pytest.approx(100 * (0.75 - 47.5) / 0.75)
    assert small.sources.loc["headroom", "pct_of_configured"] == pytest.approx(
        100 * (0.75 - 90) / 0.75
    )


def test_savings_below_one_unit_of_demand() -> None:
    from colonykit.whitespace import non_coincidence_saving_pct, white_space_pct

    assert non_coincidence_saving_pct(0.5, 0.25) == 50.0
    assert white_space_pct(composite_mean=0.25, composite_peak=0.5) == 50.0


def test_an_array_input_gets_step_and_server_names() -> None:
    r = analyze(np.array([[1.0, 0.0], [3.0, 0.0]]), unit="mips")
    assert r.per_server.index.tolist() == ["s0", "s1"]
    assert r.composite.index.name == "step"
    assert math.isnan(r.interval_s)
    assert r.per_server.index.name == "server"
    # without a configured capacity only a zero peak is idle, not a small one
    tiny = analyze(np.array([[0.5, 0.0, 2.0], [0.0, 0.0, 1.0]]), unit="mips")
    assert tiny.idle_servers == ["s1"]


def test_the_percentile_method_reaches_the_kernel() -> None:
    with pytest.raises(InputError, match="method"):
        analyze(_frame(), percentile_method="fast")
    rng = np.random.default_rng(1)
    big = rng.random((4000, 3)) * 100
    exact = analyze(big)
    approx = analyze(big, percentile_method="approx")
    assert exact.parameters["percentile_error_max"] == 0.0
    assert approx.parameters["percentile_method"] == "approx"
    assert approx.parameters["percentile_error_max"] > 0.0  # a bound is reported


def test_negative_demand_is_invalid_demand() -> None:
    with pytest.raises(InputError, match=r"^invalid demand: \d+ problem"):
        analyze(_frame() - 50.0)


def test_composite_and_sources_are_labelled() -> None:
    f = _frame()
    r = analyze(f)
    assert r.composite.name == "composite"
    assert r.composite.index.equals(f.index)  # the time axis of the demand
    assert r.sources.index.name == "source"
    # below one unit of demand the saving against the peaks is still computed
    small = analyze(np.array([[0.5, 0.0], [0.0, 0.25]]), unit="mips", headroom_pct=0)
    assert small.saving_vs_peaks_pct == pytest.approx(100 * (1 - 0.5 / 0.75))
