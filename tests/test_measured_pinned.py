"""Measured-sizing figures pinned by hand (issue 27 §2: every number the composite prints).

A small colony whose MIPS series, composite, sums and engines are worked out here from the
formulas in colonykit/measured.py's docstrings: MIPS = util % × MIPS per % of the server
(web: 40 / 80 / 150 tpm/MIPS; ``mips`` capacities are not converted), usable MIPS of n engines
= n × 450 × MP(n) × 90 % × (1 − 10 % CP) on a z990 without the n-way uplift.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from colonykit import measured, sizing
from colonykit.errors import InputError
from colonykit.ingest import validate_inventory

#: usable guest MIPS of n z990 engines at 90 % target and 10 % CP (mp_effect.csv 1..5-way)
USABLE = {
    n: n * 450 * f * 0.9 * 0.9 for n, f in ((1, 1.0), (2, 0.95), (3, 0.927), (4, 0.908), (5, 0.89))
}


def _z990() -> sizing.TargetProcessor:
    return sizing.TargetProcessor(
        model="z990",
        engine_mips_1way=450.0,
        max_engines=32,
        smt_available=False,
        smt_uplift_frac=0.0,
        source="test",
    )


def _inventory() -> pd.DataFrame:
    base = {"role": "x", "util_avg_pct": 10.0, "memory_mib": 512.0, "disk_gib": 10.0}
    rows = [
        # 80,000 tpm at web: 1 % = 800 tpm -> 800/150, 800/80, 800/40 = 5.33 / 10 / 20 MIPS
        {
            "server": "a",
            "capacity": 80_000,
            "capacity_unit": "tpm",
            "workload_class": "web",
            "util_peak_pct": 50.0,
            "count": 1,
        },
        # 1,000 MIPS: 10 MIPS per % at every bound; two instances
        {
            "server": "b",
            "capacity": 1000,
            "capacity_unit": "mips",
            "workload_class": "web",
            "util_peak_pct": 40.0,
            "count": 2,
        },
        # 500 MIPS, no trace: flat at its util_peak_pct 30 % = 150 MIPS
        {
            "server": "c",
            "capacity": 500,
            "capacity_unit": "mips",
            "workload_class": "web",
            "util_peak_pct": 30.0,
            "count": 1,
        },
    ]
    return validate_inventory(pd.DataFrame([{**base, **r} for r in rows]), source="test")


def _join(unit: str = "cpu_pct") -> SimpleNamespace:
    frame = pd.DataFrame({"sa": [10.0, 50, 20, 30], "sb": [40.0, 10, 20, 10]})
    frame.index = pd.date_range("2026-01-05", periods=4, freq="15min")
    frame.attrs = {"unit": unit, "interval_s": 900.0}
    assignment = pd.DataFrame(
        {
            "server": ["a", "b", "b", "c"],
            "k": [0, 0, 1, 0],
            "series": ["sa", "sb", "sb", ""],
            "how": ["mapping", "mapping", "mapping", "unmatched"],
        }
    )
    return SimpleNamespace(
        frame=frame,
        assignment=assignment,
        servers_matched=["a", "b"],
        servers_unmatched=["c"],
        notes=["test join"],
    )


def _sizing(inv: pd.DataFrame) -> sizing.SizingResult:
    return sizing.size_inventory(
        inv, _z990(), target_util_pct=90, cp_overhead_pct=10, nway_uplift=False
    )


def test_mips_per_pct_by_hand() -> None:
    f = measured.mips_per_pct(_sizing(_inventory()))
    assert f.index.tolist() == ["a", "b", "c"]
    assert f.loc["a"].tolist() == pytest.approx([800 / 150, 800 / 80, 800 / 40])
    assert f.loc["b"].tolist() == pytest.approx([10.0, 10.0, 10.0])
    assert f.loc["c"].tolist() == pytest.approx([5.0, 5.0, 5.0])


def test_measured_sizing_by_hand() -> None:
    inv = _inventory()
    m = measured.measured_sizing(inv, _sizing(inv), _join())
    # typical: a 10 × [10 50 20 30]; b#0, b#1 10 × [40 10 20 10]; c flat 150
    comp = np.array([100 + 800 + 150, 500 + 200 + 150, 200 + 400 + 150, 300 + 200 + 150])
    assert m.guest_mips.columns.tolist() == ["a", "b#0", "b#1", "c"]
    assert m.guest_mips["a"].tolist() == pytest.approx([100.0, 500.0, 200.0, 300.0])
    assert m.guest_mips["c"].tolist() == pytest.approx([150.0] * 4)
    assert m.guest_mips.sum(axis=1).tolist() == pytest.approx(comp.tolist())
    assert m.guest_mips.attrs == {"unit": "mips", "interval_s": 900.0}
    assert m.instances["peak_mips"].tolist() == pytest.approx([500.0, 400.0, 400.0, 150.0])
    assert m.instances.attrs["bound"] == "typical"
    assert m.composite_peak_mips["typical"] == pytest.approx(1050.0)
    assert m.composite_mean_mips["typical"] == pytest.approx(comp.mean())  # 825
    assert m.composite_p95_mips["typical"] == pytest.approx(1050.0)  # "higher" of 4 steps
    assert m.sum_of_peaks_mips["typical"] == pytest.approx(500 + 400 + 400 + 150)
    # low: a at 800/150 per % -> peak 266.7, composite max over steps
    low_a = np.array([10.0, 50, 20, 30]) * 800 / 150
    low_comp = low_a + np.array([800.0, 200, 400, 200]) + 150
    assert m.sum_of_peaks_mips["low"] == pytest.approx(50 * 800 / 150 + 950)
    assert m.composite_peak_mips["low"] == pytest.approx(low_comp.max())
    high_comp = np.array([10.0, 50, 20, 30]) * 20 + np.array([800.0, 200, 400, 200]) + 150
    assert m.sum_of_peaks_mips["high"] == pytest.approx(1000 + 950)
    assert m.composite_peak_mips["high"] == pytest.approx(high_comp.max())  # 1350 at step 1
    # engines: smallest n with usable(n) >= demand (usable 364.5, 692.6, 1013.7, 1323.9, 1622.0)
    assert m.engines_peak["typical"] == 5  # 1,450
    assert m.engines_composite["typical"] == 4  # 1,050
    assert m.engines_composite["high"] == 5  # 1,350
    assert m.engines_peak["high"] == 7  # 1,950 > 6 × 450 × 0.875 × 0.81 = 1,913.6
    assert m.uplift_frac == pytest.approx(0.30)  # the smallest class uplift (web 0.30)
    assert m.non_coincidence_saving_pct == pytest.approx(100 * (1 - 1050 / 1450))
    assert m.white_space_pct == pytest.approx(100 * (1 - 825 / 1050))
    assert (m.servers_matched, m.servers_unmatched, m.notes) == (["a", "b"], ["c"], ["test join"])


def test_measured_sizing_other_series_bound_and_p95() -> None:
    inv = _inventory()
    m = measured.measured_sizing(inv, _sizing(inv), _join(), statistic="p95", series_bound="high")
    assert m.statistic == "p95"
    assert m.guest_mips["a"].tolist() == pytest.approx([200.0, 1000.0, 400.0, 600.0])
    assert m.instances["peak_mips"].iloc[0] == pytest.approx(1000.0)
    assert m.instances.attrs["bound"] == "high"
    with pytest.raises(InputError, match="series_bound"):
        measured.measured_sizing(inv, _sizing(inv), _join(), series_bound="middle")


def test_to_dict_and_summary_print_the_typical_figures() -> None:
    inv = _inventory()
    m = measured.measured_sizing(inv, _sizing(inv), _join())
    d = m.to_dict()
    assert d["servers_matched"] == 2 and d["servers_unmatched"] == 1 and d["unmatched"] == ["c"]
    assert d["statistic"] == "peak"
    assert d["sum_of_peaks_mips"] == pytest.approx(1450.0)
    assert d["composite_peak_mips"] == pytest.approx(1050.0)
    assert d["composite_p95_mips"] == pytest.approx(1050.0)
    assert (d["engines_peak"], d["engines_composite"]) == (5, 4)
    assert d["non_coincidence_saving_pct"] == pytest.approx(100 * (1 - 1050 / 1450))
    assert d["white_space_pct"] == pytest.approx(100 * (1 - 825 / 1050))
    assert d["range"]["high"] == {
        "sum_of_peaks_mips": pytest.approx(1950.0),
        "composite_peak_mips": pytest.approx(1350.0),
        "engines_peak": 7,
        "engines_composite": 5,
    }
    assert d["notes"] == ["test join"]
    text = m.summary()
    assert "measured: 2 servers matched, 1 unmatched; sum of peaks 1,450 MIPS" in text
    assert "composite peak 1,050 MIPS (non-coincidence saving 27.6%)" in text
    assert "engines by sum of peaks 5 -> by composite 4 (1 engine) saved" in text
    assert m.engines_saved == "(1 engine)"


def test_saving_and_white_space_are_zero_without_demand() -> None:
    empty = measured.MeasuredSizing(
        guest_mips=pd.DataFrame(),
        instances=pd.DataFrame(),
        statistic="peak",
        sum_of_peaks_mips={"typical": 0.0},
        composite_peak_mips={"typical": 0.0},
        composite_p95_mips={"typical": 0.0},
        composite_mean_mips={"typical": 0.0},
        engines_peak={"typical": 3},
        engines_composite={"typical": 1},
        uplift_frac=0.0,
    )
    assert empty.non_coincidence_saving_pct == 0.0 and empty.white_space_pct == 0.0
    assert empty.engines_saved == "(2 engines)"


def test_cpu_mhz_traces_are_divided_by_the_server_clock() -> None:
    base = {
        "role": "x",
        "util_avg_pct": 10.0,
        "memory_mib": 512.0,
        "disk_gib": 10.0,
        "workload_class": "web",
        "count": 1,
    }
    inv = validate_inventory(
        pd.DataFrame(
            [
                {
                    **base,
                    "server": "a",
                    "capacity": 1500,
                    "capacity_unit": "mhz_per_core",
                    "cores": 4,
                    "util_peak_pct": 50.0,
                },
                {
                    **base,
                    "server": "b",
                    "capacity": 2.0,
                    "capacity_unit": "ghz",
                    "util_peak_pct": 40.0,
                },
            ]
        ),
        source="test",
    )
    assert measured.capacity_mhz(inv).tolist() == pytest.approx([6000.0, 2000.0])
    frame = pd.DataFrame({"sa": [600.0, 3000.0], "sb": [1000.0, 500.0]})
    frame.attrs = {"unit": "cpu_mhz"}
    assignment = pd.DataFrame({"server": ["a", "b"], "k": [0, 0], "series": ["sa", "sb"]})
    got = measured.util_pct_matrix(frame, assignment, inv)
    assert got.ravel().tolist() == pytest.approx([10.0, 50.0, 50.0, 25.0])
    frame.attrs = {"unit": "mips"}
    with pytest.raises(InputError, match="cpu_pct or cpu_mhz"):
        measured.util_pct_matrix(frame, assignment, inv)
    tpm = _inventory()
    frame.attrs = {"unit": "cpu_mhz"}
    with pytest.raises(
        InputError,
        match=r"server 'a' has no clock capacity \(capacity_unit mhz, ghz, mhz_per_core or "
        r"ghz_per_core with cores\)",
    ):
        measured.util_pct_matrix(frame, assignment.assign(server=["a", "b"]), tpm)


def test_usable_mips_and_engines_for_with_the_uplift_and_idle_guests() -> None:
    inv = _inventory()
    res = sizing.size_inventory(
        inv, _z990(), target_util_pct=80, cp_overhead_pct=5, on_demand_timer=False
    )
    g5_idle = float(res.target.loc["typical", "idle_guest_mips"]) / 4  # per guest (4 instances)
    n = np.array([1, 4])
    got = measured.usable_mips(n, res, guests=2, uplift_frac=0.1)
    # (n × 450 × MP × 80 % × 95 % − 2 idle guests) × (1 + 0.1 × log2(n) / 4)
    by_hand = [
        (450 * 0.8 * 0.95 - 2 * g5_idle) * 1.0,
        (4 * 450 * 0.908 * 0.8 * 0.95 - 2 * g5_idle) * (1 + 0.1 * 2 / 4),
    ]
    assert got.tolist() == pytest.approx(by_hand, rel=1e-12)
    assert measured.usable_mips(1, res, guests=10**6, uplift_frac=0.0).tolist() == [0.0]
    # the engines rule at its edge: exactly the usable MIPS of 2 engines needs 2, a bit more 3
    two = float(measured.usable_mips(2, res, 2, 0.1)[0])
    assert measured.engines_for(two, res, 2, 0.1) == 2
    assert measured.engines_for(two * 1.001, res, 2, 0.1) == 3
    assert measured.engines_for(0.0, res, 2, 0.1) == 1
    with pytest.raises(
        InputError, match="more than 3 z990 engines; split the colony over more LPARs or machines"
    ):
        measured.engines_for(1e6, res, 2, 0.1, max_engines=3)
    three = float(measured.usable_mips(3, res, 2, 0.1)[0])
    assert measured.engines_for(three, res, 2, 0.1, max_engines=3) == 3  # the last one tried
    with pytest.raises(InputError):
        measured.engines_for(three * 1.01, res, 2, 0.1, max_engines=3)
    # no demand fits on one engine even when the idle guests eat all of it
    assert measured.engines_for(0.0, res, guests=10**6, uplift_frac=0.0) == 1


def test_engines_per_bound_use_that_bounds_idle_cost() -> None:
    inv = _inventory()
    res = sizing.size_inventory(
        inv, _z990(), target_util_pct=80, cp_overhead_pct=5, on_demand_timer=False
    )
    # with the timer off the idle cost per guest is 0.2 / 0.25 / 0.3 % of a G5 engine, so
    # two engines carry a little more at the low bound than at the typical one
    low2 = float(measured.usable_mips(2, res, 50, 0.0, "low")[0])
    assert low2 > float(measured.usable_mips(2, res, 50, 0.0)[0])
    assert measured.engines_for(low2, res, 50, 0.0, "low") == 2
    assert measured.engines_for(low2, res, 50, 0.0) == 3
    out = measured.bound_figures(
        {b: np.array([low2]) for b in sizing.BOUNDS},
        {b: np.array([low2]) for b in sizing.BOUNDS},
        res,
        guests=50,
        uplift_frac=0.0,
    )
    assert (out["engines_peak"]["low"], out["engines_composite"]["low"]) == (2, 2)
    assert (out["engines_peak"]["typical"], out["engines_composite"]["typical"]) == (3, 3)


def test_bound_figures_with_the_p95_statistic() -> None:
    inv = _inventory()
    res = _sizing(inv)
    # 39 steps at 600 and one spike of 2,000: p95 "higher" is rank ceil(0.95 × 39) = 38 -> 600
    comp = np.concatenate([np.full(39, 600.0), [2000.0]])
    out = measured.bound_figures(
        {b: comp for b in sizing.BOUNDS},
        {b: np.array([700.0, 800.0]) for b in sizing.BOUNDS},
        res,
        guests=2,
        uplift_frac=0.0,
        statistic="p95",
    )
    assert out["composite_p95_mips"]["typical"] == 600.0
    assert out["composite_peak_mips"]["typical"] == 2000.0
    assert out["composite_mean_mips"]["typical"] == pytest.approx((39 * 600 + 2000) / 40)
    assert out["sum_of_peaks_mips"]["low"] == 1500.0
    assert out["engines_composite"]["typical"] == 2  # 600 <= 692.6
    assert out["engines_peak"]["typical"] == 5  # 1,500 > 1,323.9 (4-way) -> 5-way 1,622.0


def _spiky_join() -> SimpleNamespace:
    # one instance of b (10 MIPS per %): 39 steps at 10 % and one at 90 %
    frame = pd.DataFrame({"sb": [10.0] * 39 + [90.0]})
    frame.index = pd.date_range("2026-01-05", periods=40, freq="h")
    frame.attrs = {"unit": "cpu_pct", "interval_s": 3600.0}
    assignment = pd.DataFrame({"server": ["b"], "k": [0], "series": ["sb"], "how": ["mapping"]})
    return SimpleNamespace(
        frame=frame, assignment=assignment, servers_matched=["b"], servers_unmatched=[], notes=[]
    )


def test_the_composite_statistic_sizes_the_engines() -> None:
    inv = _inventory().iloc[[1]].assign(count=1)
    res = _sizing(inv)
    peak = measured.measured_sizing(inv, res, _spiky_join())
    p95 = measured.measured_sizing(inv, res, _spiky_join(), statistic="p95")
    # composite 100 × 39 and 900: peak 900 -> 3 engines (1,013.7); p95 "higher" rank
    # ceil(0.95 × 39) = 38 -> 100 -> 1 engine (364.5)
    assert peak.composite_peak_mips["typical"] == 900.0
    assert peak.composite_p95_mips["typical"] == 100.0
    assert peak.engines_composite["typical"] == 3
    assert p95.engines_composite["typical"] == 1
    assert "composite p95 100 MIPS" in p95.summary()
    assert "composite peak 900 MIPS" in peak.summary()
    by_default = measured.bound_figures(
        {b: np.array([100.0] * 39 + [900.0]) for b in sizing.BOUNDS},
        {b: np.array([900.0]) for b in sizing.BOUNDS},
        res,
        guests=1,
        uplift_frac=0.0,
    )
    assert by_default["engines_composite"]["typical"] == 3  # the peak unless told otherwise


def test_series_labels_and_axes() -> None:
    inv = _inventory()
    m = measured.measured_sizing(inv, _sizing(inv), _join())
    assert m.instances["column"].tolist() == ["a", "b#0", "b#1", "c"]
    assert m.guest_mips.columns.name == "guest"
    assert m.guest_mips.index.equals(_join().frame.index)


def test_util_pct_matrix_defaults_and_clock_limits() -> None:
    raw = pd.DataFrame(
        {
            "server": ["a", "b"],
            "capacity": [0.5, 0.0],
            "capacity_unit": ["mhz", "mhz"],
            "util_peak_pct": [50.0, 50.0],
        }
    )
    assert measured.capacity_mhz(raw).tolist() == [0.5, 0.0]  # no cores column needed for mhz
    per_core = raw.assign(capacity_unit=["mhz_per_core", "mhz"])
    assert np.isnan(measured.capacity_mhz(per_core).iloc[0])  # per core without cores
    frame = pd.DataFrame({"sa": [0.25], "sb": [0.0]})
    frame.attrs = {"unit": "cpu_mhz"}
    one = pd.DataFrame({"server": ["a"], "k": [0], "series": ["sa"]})
    assert measured.util_pct_matrix(frame, one, raw).tolist() == [[50.0]]  # 0.25 of 0.5 MHz
    both = pd.DataFrame({"server": ["a", "b"], "k": [0, 0], "series": ["sa", "sb"]})
    with pytest.raises(InputError, match="server 'b' has no clock capacity"):
        measured.util_pct_matrix(frame, both, raw)  # a 0 MHz clock
    plain = pd.DataFrame({"sa": [20.0]})  # no unit attribute: percent of the server
    assert measured.util_pct_matrix(plain, one, raw).tolist() == [[20.0]]


def test_usable_mips_with_smt_and_a_single_guest() -> None:
    proc = sizing.TargetProcessor(
        model="s",
        engine_mips_1way=400.0,
        max_engines=8,
        smt_available=True,
        smt_uplift_frac=0.25,
        source="test",
    )
    inv = _inventory().iloc[[2]]  # one guest (c)
    kw = {"target_util_pct": 100, "cp_overhead_pct": 0, "nway_uplift": False}
    off = sizing.size_inventory(inv, proc, on_demand_timer=False, **kw)
    on = sizing.size_inventory(inv, proc, smt=True, **kw)
    idle = float(off.target.loc["typical", "idle_guest_mips"])  # the one guest's idle cost
    assert idle == pytest.approx(0.0025 * 136.9)
    assert measured.usable_mips(1, off, 1, 0.0).tolist() == pytest.approx([400.0 - idle])
    assert measured.usable_mips(1, on, 1, 0.0).tolist() == pytest.approx([500.0])  # SMT +25 %
