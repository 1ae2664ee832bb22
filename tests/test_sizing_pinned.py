"""Sizing figures pinned by hand (issue 27 §2: the mutants the sizing tests left alive).

Each value is worked out here from the formula in the function's docstring, the bundled tables
(workload_classes.csv: web 40 / 80 / 150 tpm/MIPS, mixed typical 77; capacity_units.csv: Barton's
0.25 MIPS per MHz; xen_host_cores.csv; mp_effect.csv: 2-way 0.950, 3-way 0.927) and the inputs,
at points where a changed operator, constant or argument gives a different number.
"""

from __future__ import annotations

import csv
import dataclasses
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from colonykit import reference, sizing
from colonykit.errors import InputError, UnknownNameError
from colonykit.ingest import read_inventory, validate_inventory

#: z990: 450 MIPS 1-way; bundled mp_effect.csv: 2-way 0.950, 3-way 0.927
Z990_2WAY = 2 * 450.0 * 0.950  # 855
Z990_3WAY = 3 * 450.0 * 0.927  # 1251.45


def _z990(max_ifls: int = 0) -> sizing.TargetProcessor:
    return sizing.TargetProcessor(
        model="z990",
        engine_mips_1way=450.0,
        max_engines=32,
        smt_available=False,
        smt_uplift_frac=0.0,
        source="test",
        max_ifls=max_ifls,
    )


def _row(**kw: object) -> dict[str, object]:
    base: dict[str, object] = {
        "role": "x",
        "capacity_unit": "tpm",
        "util_avg_pct": 10.0,
        "memory_mib": 512.0,
        "disk_gib": 10.0,
        "workload_class": "web",
    }
    return {**base, **kw}


def _inv(*rows: dict[str, object]) -> pd.DataFrame:
    return validate_inventory(pd.DataFrame(list(rows)), source="test")


# --------------------------------------------------------------------------- capacity_to_mips
def test_capacity_to_mips_bounds_use_the_opposite_end_of_the_class_range() -> None:
    # web 40 / 80 / 150 tpm/MIPS: low MIPS uses the HIGH tpm/MIPS
    got = {
        b: float(sizing.capacity_to_mips(12_000, "tpm", workload_class="web", bound=b))
        for b in sizing.BOUNDS
    }
    assert got == pytest.approx({"low": 12_000 / 150, "typical": 12_000 / 80, "high": 12_000 / 40})


def test_capacity_to_mips_of_clock_units_goes_through_the_reference_class() -> None:
    # 4,000 MHz × 0.25 = 1,000 MIPS at mixed (77 tpm/MIPS) = 77,000 tpm-equivalent; web typical 80
    assert float(sizing.capacity_to_mips(4000, "mhz", workload_class="web")) == pytest.approx(
        77_000 / 80
    )
    # 2 cores of 1.5 GHz = 3,000 MHz -> 750 MIPS at mixed; web high end: 750 × 77 / 40
    got = sizing.capacity_to_mips(
        [1.5, 2.0], "ghz_per_core", workload_class="web", cores=[2, 1], bound="high"
    )
    assert np.shape(got) == (2,)
    assert got.tolist() == pytest.approx([750 * 77 / 40, 500 * 77 / 40])
    # MIPS is not converted by a class: the same at every bound
    for b in sizing.BOUNDS:
        assert float(sizing.capacity_to_mips(500, "mips", workload_class="database", bound=b)) == (
            pytest.approx(500.0)
        )


def test_capacity_to_mips_keeps_the_shape_of_its_input() -> None:
    assert np.ndim(sizing.capacity_to_mips(4000.0, "mhz")) == 0
    assert np.shape(sizing.capacity_to_mips([4000.0], "mhz")) == (1,)


def test_capacity_to_mips_refuses_bad_names_and_missing_cores() -> None:
    with pytest.raises(InputError, match="bound"):
        sizing.capacity_to_mips(1.0, "mhz", bound="middle")
    with pytest.raises(
        UnknownNameError, match=r"capacity unit 'furlongs'; expected one of \['ghz', "
    ):
        sizing.capacity_to_mips(1.0, "furlongs")
    with pytest.raises(
        UnknownNameError, match=r"workload class 'nosuch'; expected one of \['cpu-bound', "
    ):
        sizing.capacity_to_mips(1.0, "mhz", workload_class="nosuch")
    with pytest.raises(InputError, match="cores"):
        sizing.capacity_to_mips(1.0, "mhz_per_core")


def test_capacity_to_mips_with_a_user_unit_table_and_reference_class() -> None:
    from colonykit import reference

    units = reference.capacity_units().copy()
    units.loc["mhz", "mips_per_unit"] = 0.5  # a user's calibration: 2 MHz ~ 1 MIPS
    got = sizing.capacity_to_mips(
        1000, "mhz", workload_class="web", units_table=units, reference_class="web"
    )
    # 1,000 MHz × 0.5 = 500 MIPS at web typical (80) = 40,000 tpm-eq; / web typical 80 = 500
    assert float(got) == pytest.approx(500.0)
    classes = reference.workload_classes().copy()
    classes.loc["web", "tpm_per_mips_typical"] = 100.0
    got = sizing.capacity_to_mips(12_000, "tpm", workload_class="web", workload_table=classes)
    assert float(got) == pytest.approx(120.0)


def test_nway_uplift_is_zero_at_one_engine_and_below() -> None:
    # log2(1) = 0: a 1-way gets no uplift; below 1 engine n is taken as 1
    assert float(sizing.nway_uplift_frac(1)) == 0.0
    assert float(sizing.nway_uplift_frac(0.5)) == 0.0
    assert float(sizing.nway_uplift_frac(8, 0.2, 64.0)) == pytest.approx(0.2 * 3 / 6)


# --------------------------------------------------------------------------- server_mhz, Xen
def _clock_inv() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "server": ["a", "b", "c", "d", "e", "f"],
            "capacity": [1400.0, 2.5, 3000.0, 1.5, 12_000.0, 500.0],
            "capacity_unit": ["mhz_per_core", "ghz", "MHz", "ghz_per_core", "tpm", "mips"],
            "cores": [2, 1, 1, 4, 1, 1],
            "workload_class": ["web"] * 6,
        }
    )


def test_server_mhz_of_every_unit_by_hand() -> None:
    got = sizing.server_mhz(_clock_inv())
    # a 2 × 1,400; b 2.5 GHz; c 3,000 MHz (case-insensitive); d 4 × 1.5 GHz;
    # e 12,000 tpm at web typical 80 = 150 MIPS -> / 0.25 MIPS per MHz = 600 MHz;
    # f 500 MIPS -> 2,000 MHz
    assert got.tolist() == pytest.approx([2800.0, 2500.0, 3000.0, 6000.0, 600.0, 2000.0])


def test_server_mhz_without_a_cores_column_counts_one_core() -> None:
    inv = _clock_inv().drop(columns="cores").iloc[[0, 4]]
    assert sizing.server_mhz(inv).tolist() == pytest.approx([1400.0, 600.0])


def test_server_mhz_refuses_a_whole_server_clock_with_cores() -> None:
    inv = _clock_inv().iloc[[1]].assign(cores=8)
    with pytest.raises(InputError, match="ghz_per_core"):
        sizing.server_mhz(inv)


def _xen_table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "host_model": ["mine"],
            "cores": [4],
            "core_mhz": [2000.0],
            "relative_speed": [1.5],
            "memory_gib": [64.0],
            "source": ["my benchmark"],
        }
    ).set_index("host_model")


def _xen_inv() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "server": ["a", "b"],
            "capacity": [1500.0, 12_000.0],
            "capacity_unit": ["mhz_per_core", "tpm"],
            "cores": [4, 1],
            "workload_class": ["web", "web"],
            "util_peak_pct": [50.0, 40.0],
            "util_avg_pct": [20.0, 10.0],
            "count": [5, 3],
        }
    )


def test_size_xen_hosts_by_hand() -> None:
    r = sizing.size_xen_hosts(_xen_inv(), "MINE", table=_xen_table(), target_util_pct=80)
    # peak: 5 × 50 % × 6,000 MHz + 3 × 40 % × 600 MHz (12,000 tpm / 80 / 0.25) = 15,720 MHz
    demand = 5 * 0.50 * 6000 + 3 * 0.40 * 600
    assert r.demand_mhz == pytest.approx(demand)
    assert r.host_core_mhz == pytest.approx(3000.0)  # 2,000 MHz × 1.5
    assert r.cores_needed == math.ceil(demand / (3000 * 0.80)) == 7  # 6.55
    assert r.cores_per_host == 4
    assert r.hosts_needed == 2  # ceil(7 / 4)
    assert r.memory_gib_per_host == 64.0
    assert r.target_util_pct == 80.0
    assert r.host_model == "mine"
    assert r.source == "my benchmark"
    assert any("Barton" in a for a in r.assumptions)  # the tpm row went through MIPS
    assert any("80% of the host cores" in a for a in r.assumptions)


def test_size_xen_hosts_on_the_average_and_without_a_count() -> None:
    avg = sizing.size_xen_hosts(
        _xen_inv(), "mine", table=_xen_table(), basis="avg", target_util_pct=50
    )
    demand = 5 * 0.20 * 6000 + 3 * 0.10 * 600  # 6,180 MHz
    assert avg.demand_mhz == pytest.approx(demand)
    assert avg.cores_needed == math.ceil(demand / (3000 * 0.5)) == 5  # 4.12
    one_each = sizing.size_xen_hosts(
        _xen_inv().drop(columns="count"), "mine", table=_xen_table(), target_util_pct=50
    )
    assert one_each.demand_mhz == pytest.approx(0.5 * 6000 + 0.4 * 600)


def test_size_xen_hosts_exact_multiple_and_zero_demand() -> None:
    inv = _xen_inv().iloc[[0]].assign(count=1, util_peak_pct=7.0)  # 0.07 × 6,000 = 420 MHz
    r = sizing.size_xen_hosts(inv, "mine", table=_xen_table(), target_util_pct=7)
    # 420 / (3,000 × 0.07) = 2.0000000000000004 in floating point: exactly 2 cores, not 3
    assert r.cores_needed == 2
    assert r.hosts_needed == 1
    assert not any("Barton" in a for a in r.assumptions)  # clock units only
    idle = sizing.size_xen_hosts(
        inv.assign(util_peak_pct=0.0), "mine", table=_xen_table(), target_util_pct=7
    )
    assert idle.demand_mhz == 0.0 and idle.cores_needed == 1 and idle.hosts_needed == 1


def test_size_xen_hosts_default_target_and_bad_parameters() -> None:
    from colonykit import reference

    r = sizing.size_xen_hosts(_xen_inv(), "mine", table=_xen_table())
    assert r.target_util_pct == reference.constant("target_util_pct") == 90.0
    assert r.cores_needed == math.ceil(15_720 / (3000 * 0.9))  # 5.82 -> 6
    for bad in (0.0, 120.0):
        with pytest.raises(InputError, match="target_util_pct"):
            sizing.size_xen_hosts(_xen_inv(), "mine", table=_xen_table(), target_util_pct=bad)
    assert sizing.size_xen_hosts(
        _xen_inv(), "mine", table=_xen_table(), target_util_pct=100
    ).cores_needed == math.ceil(15_720 / 3000)
    with pytest.raises(InputError, match="basis"):
        sizing.size_xen_hosts(_xen_inv(), "mine", table=_xen_table(), basis="p95")  # type: ignore[arg-type]


# --------------------------------------------------------------------------- result as printed
def _two_servers() -> sizing.SizingResult:
    # a: 30 % of 60,000 tpm = 18,000 tpm at web -> 120 / 225 / 450 MIPS, ×2 servers;
    # b: 45 % of 1,000 MIPS (no class conversion) = 450 MIPS, ×1
    inv = _inv(
        _row(server="a", capacity=60_000, util_peak_pct=30.0, count=2),
        _row(server="b", capacity=1000, capacity_unit="mips", util_peak_pct=45.0, count=1),
    )
    return sizing.size_inventory(
        inv, _z990(), target_util_pct=90, cp_overhead_pct=10, nway_uplift=False
    )


def test_to_dict_prints_every_server_figure_and_the_engines() -> None:
    res = _two_servers()
    d = res.to_dict()
    a, b = d["servers"]
    assert (a["server"], a["count"], a["workload_class"]) == ("a", 2, "web")
    assert [a["mips_low"], a["mips_typical"], a["mips_high"]] == pytest.approx([120, 225, 450])
    assert [a["mips_low_total"], a["mips_typical_total"], a["mips_high_total"]] == (
        pytest.approx([240, 450, 900])
    )
    assert [b["mips_low"], b["mips_typical"], b["mips_high"]] == pytest.approx([450, 450, 450])
    assert b["mips_high_total"] == pytest.approx(450) and b["count"] == 1
    assert d["total"] == pytest.approx(
        {"mips_low": 690.0, "mips_typical": 900.0, "mips_high": 1350.0}
    )
    # required = total / (1 − 10 %) / 90 %: low 851.9 -> 2-way (855); typical 1,111.1 -> 3-way
    # (1,251.45); high 1,666.7 -> 4-way (4 × 450 × 0.908 = 1,634.4 < 1,666.7) -> 5-way (2,002.5)
    t = d["target"]
    assert (t["engines_low"], t["engines_typical"], t["engines_high"]) == (2, 3, 5)
    assert res.engines == {"low": 2, "typical": 3, "high": 5}
    assert t["model"] == "z990"
    assert t["max_engines"] == 32
    assert t["max_ifls"] == 32  # no IFL limit given: the machine's engines
    assert t["fits_machine"] is True
    assert t["low_confidence_units"] == {}
    assert t["assumptions"] == res.assumptions


def test_to_dict_max_ifls_and_fits_machine_of_the_whole_range() -> None:
    inv = _inv(
        _row(server="a", capacity=60_000, util_peak_pct=30.0, count=2),
        _row(server="b", capacity=1000, capacity_unit="mips", util_peak_pct=45.0),
    )
    res = sizing.size_inventory(
        inv, _z990(max_ifls=3), target_util_pct=90, cp_overhead_pct=10, nway_uplift=False
    )
    t = res.to_dict()["target"]
    assert t["max_ifls"] == 3
    # low 2 and typical 3 fit on 3 IFLs, high 5 does not: the machine does not fit the range
    assert res.target["fits_machine"].tolist() == [True, True, False]
    assert t["fits_machine"] is False


def test_result_frame_has_the_total_mips_per_bound() -> None:
    f = sizing.result_frame(_two_servers())
    assert f["bound"].tolist() == ["low", "typical", "high"]
    assert f["mips"].tolist() == pytest.approx([690.0, 900.0, 1350.0])
    assert f["engines"].tolist() == [2, 3, 5]


def test_target_table_by_hand() -> None:
    res = _two_servers()
    t = res.target
    assert t["guest_mips"].tolist() == pytest.approx([690.0, 900.0, 1350.0])
    assert t["required_mips"].tolist() == pytest.approx(
        [690 / 0.9 / 0.9, 900 / 0.9 / 0.9, 1350 / 0.9 / 0.9]
    )
    assert t["capacity_mips"].tolist() == pytest.approx(
        [Z990_2WAY, Z990_3WAY, 5 * 450 * 0.890], rel=1e-12
    )
    assert t["util_at_engines_pct"].tolist() == pytest.approx(
        [690 / 0.9 / 855 * 100, 900 / 0.9 / Z990_3WAY * 100, 1350 / 0.9 / 2002.5 * 100]
    )
    assert t["mp_per_engine_frac"].tolist() == pytest.approx([0.950, 0.927, 0.890])
    assert t["nway_uplift_frac_class_max"].tolist() == [0.0, 0.0, 0.0]  # uplift off
    assert t["idle_guest_mips"].tolist() == [0.0, 0.0, 0.0]


def test_uplift_per_class_divides_each_class_separately() -> None:
    # web and database both have a 30 % uplift at 16-way; a class table with a 0 % uplift for
    # one class shows that each class's MIPS is divided by its own (1 + uplift × g(n))
    from colonykit import reference

    classes = reference.workload_classes().copy()
    classes.loc["database", "nway16_uplift_frac"] = 0.0
    inv = validate_inventory(
        pd.DataFrame(
            [
                _row(server="w", capacity=400, capacity_unit="mips", util_peak_pct=100.0),
                _row(
                    server="d",
                    capacity=400,
                    capacity_unit="mips",
                    util_peak_pct=100.0,
                    workload_class="database",
                ),
            ]
        ),
        source="test",
        workload_table=classes,
    )
    res = sizing.size_inventory(
        inv, _z990(), workload_table=classes, target_util_pct=100, cp_overhead_pct=0
    )
    t = res.target.loc["typical"]
    # 800 MIPS: 2-way 855 holds 400 / (1 + 0.3 × log2(2)/4) + 400 = 772.1
    g2 = 1 / 4  # log2(2) / log2(16)
    assert t["engines"] == 2
    assert t["guest_mips"] == pytest.approx(400 / (1 + 0.30 * g2) + 400)
    assert t["nway_uplift_frac_class_max"] == pytest.approx(0.30 * g2)


def test_server_mhz_with_a_user_unit_table() -> None:
    from colonykit import reference

    units = reference.capacity_units().copy()
    units.loc["mhz", "mips_per_unit"] = 0.5  # a user's calibration: 2 MHz ~ 1 MIPS
    inv = _clock_inv().iloc[[0, 4]]
    # a per-core clock stays a clock; 12,000 tpm at web = 150 MIPS -> / 0.5 = 300 MHz
    assert sizing.server_mhz(inv, units).tolist() == pytest.approx([2800.0, 300.0])


def test_size_xen_hosts_default_host_and_unknown_host() -> None:
    # generic-per-core: one 3,000 MHz core per "host" (xen_host_cores.csv)
    r = sizing.size_xen_hosts(_xen_inv(), target_util_pct=80)
    assert r.host_model == "generic-per-core"
    assert r.cores_needed == math.ceil(15_720 / (3000 * 0.8)) == 7
    assert r.hosts_needed == 7 and r.cores_per_host == 1
    with pytest.raises(UnknownNameError, match="Xen host model 'nosuch'"):
        sizing.size_xen_hosts(_xen_inv(), "nosuch")


def test_size_xen_hosts_target_bounds() -> None:
    one = sizing.size_xen_hosts(_xen_inv(), "mine", table=_xen_table(), target_util_pct=1)
    assert one.cores_needed == math.ceil(15_720 / 30)  # 524
    with pytest.raises(InputError, match="target_util_pct"):
        sizing.size_xen_hosts(_xen_inv(), "mine", table=_xen_table(), target_util_pct=100.5)


def test_size_xen_hosts_rounds_the_core_count_at_nine_digits() -> None:
    table = _xen_table().assign(core_mhz=1000.0, relative_speed=1.0)
    inv = (
        _xen_inv()
        .iloc[[0]]
        .assign(capacity=2000.0000003, capacity_unit="mhz", cores=1, count=1, util_peak_pct=100.0)
    )
    # 2,000.0000003 MHz / 1,000 MHz = 2.0000000003: 2 cores at the 9-digit tolerance
    assert sizing.size_xen_hosts(inv, "mine", table=table, target_util_pct=100).cores_needed == 2


def test_server_mhz_of_non_clock_units_only_and_without_a_class_column() -> None:
    inv = _clock_inv().iloc[[4, 5]]  # 12,000 tpm at web, 500 MIPS
    assert sizing.server_mhz(inv).tolist() == pytest.approx([600.0, 2000.0])
    no_class = inv.drop(columns="workload_class")
    # the reference class (mixed, typical 77): 12,000 / 77 MIPS -> × 4 MHz per MIPS
    assert sizing.server_mhz(no_class).tolist() == pytest.approx([12_000 / 77 * 4, 2000.0])


def test_server_mhz_converts_through_the_given_unit_table() -> None:
    from colonykit import reference

    units = reference.capacity_units().copy()
    units.loc["specint_rate2006", "mips_per_unit"] = 16.0  # a user's own estimate (bundled 8)
    inv = pd.DataFrame(
        {
            "capacity": [100.0],
            "capacity_unit": ["specint_rate2006"],
            "cores": [1],
            "workload_class": ["web"],
        }
    )
    # 100 × 16 = 1,600 MIPS at mixed (77 tpm/MIPS) -> web typical 80: 1,540 MIPS -> / 0.25
    assert sizing.server_mhz(inv, units).tolist() == pytest.approx([1600 * 77 / 80 * 4])
    # a table without the per-core column does not check whole-server clocks against cores
    lax = reference.capacity_units().drop(columns="per_core_unit")
    ghz = _clock_inv().iloc[[1]].assign(cores=8)
    assert sizing.server_mhz(ghz, lax).tolist() == pytest.approx([2500.0])


def test_server_mhz_reads_an_unparsed_cores_cell_as_one_core() -> None:
    inv = _clock_inv().iloc[[0, 2]].assign(cores=["2", "n/a"])  # as read from a raw CSV
    assert sizing.server_mhz(inv).tolist() == pytest.approx([2800.0, 3000.0])


def test_mp_extrapolation_never_above_the_last_table_value() -> None:
    # a user's MP table ending low: beyond 3-way the curve a + b·ln(n) (0.8840 − 0.07675·ln 4
    # = 0.778 at 4-way) is capped at the last value 0.5
    table = pd.DataFrame({"per_engine_frac": [1.0, 0.9, 0.5]}, index=pd.Index([1, 2, 3]))
    assert float(sizing.mp_per_engine_frac(4, table)) == 0.5
    assert float(sizing.mp_per_engine_frac(2.5, table)) == pytest.approx(0.7)  # interpolated
    assert float(sizing.mp_per_engine_frac(0.5, table)) == 1.0  # below the first point
    assert float(sizing.engine_capacity_mips(4, 100.0, table, 0.1)) == pytest.approx(
        4 * 100 * 0.5 * 1.1
    )


# --------------------------------------------------------------------------- size_inventory inputs
def _raw(**kw: object) -> pd.DataFrame:
    """An inventory as read from a file (not yet validated)."""
    row = _row(server="a", capacity=1000, capacity_unit="mips", util_peak_pct=45.0)
    return pd.DataFrame([{**row, **kw}])


def test_a_raw_inventory_is_validated_with_the_user_tables_and_its_source() -> None:
    from colonykit import reference

    classes = reference.workload_classes().copy()
    classes.loc["batch"] = classes.loc["web"]
    units = reference.capacity_units().copy()
    units.loc["bogomips"] = units.loc["mips"]
    units.loc["bogomips", "mips_per_unit"] = 1.0
    raw = _raw(workload_class="batch", capacity_unit="bogomips")
    res = sizing.size_inventory(
        raw, _z990(), workload_table=classes, units_table=units, nway_uplift=False
    )
    assert res.servers["util_pct"].tolist() == [45.0]
    assert res.total["mips_typical"] == pytest.approx(450.0)
    bad = _raw(util_peak_pct=140.0)
    bad.attrs["source"] = "mine.csv"
    with pytest.raises(InputError, match="at mine.csv line 2"):
        sizing.size_inventory(bad, _z990())
    with pytest.raises(InputError, match="at inventory line 2"):
        sizing.size_inventory(_raw(util_peak_pct=140.0), _z990())


def test_size_inventory_with_a_user_processor_table() -> None:
    from colonykit import reference

    procs = reference.processors().copy()
    procs.loc["mybox"] = procs.loc["z990"]
    procs.loc["g5", "engine_mips_1way"] = 200.0  # the idle cost is in G5 engines
    inv = _inv(_row(server="a", capacity=1000, capacity_unit="mips", util_peak_pct=45.0, count=4))
    res = sizing.size_inventory(
        inv, "mybox", processor_table=procs, nway_uplift=False, on_demand_timer=False
    )
    assert res.processor.model == "mybox"
    # 4 guests × 0.25 % of a 200-MIPS G5 engine = 2 MIPS (typical)
    assert res.target.loc["typical", "idle_guest_mips"] == pytest.approx(4 * 0.0025 * 200)
    no_g5 = procs.drop(index="g5")
    with pytest.raises(InputError, match="needs a 'g5' row"):
        sizing.size_inventory(inv, "mybox", processor_table=no_g5, on_demand_timer=False)
    with pytest.raises(
        InputError, match=r"has no SMT for IFLs; use --no-smt or a model with SMT \(z13, z14"
    ):
        sizing.size_inventory(inv, "mybox", processor_table=procs, smt=True)


def test_smt_uplift_only_when_asked() -> None:
    proc = sizing.TargetProcessor(
        model="x",
        engine_mips_1way=400.0,
        max_engines=8,
        smt_available=True,
        smt_uplift_frac=0.25,
        source="test",
    )
    inv = _inv(_row(server="a", capacity=1000, capacity_unit="mips", util_peak_pct=30.0))
    kw = {"target_util_pct": 100, "cp_overhead_pct": 0, "nway_uplift": False}
    off = sizing.size_inventory(inv, proc, **kw)
    on = sizing.size_inventory(inv, proc, smt=True, **kw)
    assert off.target.loc["typical", "capacity_mips"] == pytest.approx(400.0)
    assert on.target.loc["typical", "capacity_mips"] == pytest.approx(500.0)


def _flat(n_mips: float, **kw: object) -> sizing.SizingResult:
    """``n_mips`` guest MIPS on 1-MIPS engines with a flat MP table (capacity of n = n)."""
    proc = sizing.TargetProcessor(
        model="unit",
        engine_mips_1way=1.0,
        max_engines=4096,
        smt_available=False,
        smt_uplift_frac=0.0,
        source="test",
    )
    mp = pd.DataFrame(
        {"per_engine_frac": [1.0, 1.0], "source": ["test"] * 2}, index=pd.Index([1, 4096])
    )
    inv = _inv(_row(server="a", capacity=n_mips, capacity_unit="mips", util_peak_pct=100.0))
    return sizing.size_inventory(
        inv, proc, mp_table=mp, target_util_pct=100, cp_overhead_pct=0, nway_uplift=False, **kw
    )


def test_engine_search_at_exact_capacity_and_at_its_limit() -> None:
    assert _flat(100.0).engines["typical"] == 100  # capacity 100 = requirement 100: it fits
    assert _flat(100.5).engines["typical"] == 101
    assert _flat(1023.5).engines["typical"] == 1024  # the last engine count searched
    with pytest.raises(
        InputError, match="more than 1024 unit engines; split the inventory over several machines"
    ):
        _flat(1024.5)


def test_capacity_to_mips_refuses_a_whole_server_clock_with_cores() -> None:
    from colonykit import reference

    with pytest.raises(InputError, match="use ghz_per_core"):
        sizing.capacity_to_mips(2.5, "ghz", cores=8)
    # a unit table without the per-core column does not check it: 2,500 MHz × 0.25 = 625 MIPS
    lax = reference.capacity_units().drop(columns="per_core_unit")
    assert float(sizing.capacity_to_mips(2.5, "ghz", cores=8, units_table=lax)) == (
        pytest.approx(625.0)
    )


@pytest.mark.parametrize("applies", [None, "yes", "1", "TRUE"])
def test_a_unit_table_saying_the_class_applies(applies: str | None) -> None:
    from colonykit import reference

    units = reference.capacity_units().copy()
    if applies is None:  # no column: every unit applies the class
        units = units.drop(columns="applies_class")
    else:
        units["applies_class"] = units["applies_class"].astype(object)
        units.loc["mips", "applies_class"] = applies
    # 500 MIPS at the reference class (77 tpm/MIPS) = 38,500 tpm-eq; web typical 80
    got = sizing.capacity_to_mips(500, "mips", workload_class="web", units_table=units)
    assert float(got) == pytest.approx(500 * 77 / 80)


def test_servers_table_and_assumptions_of_the_idle_cost() -> None:
    inv = _inv(_row(server="a", capacity=1000, capacity_unit="mips", util_peak_pct=45.0, count=4))
    res = sizing.size_inventory(inv, _z990(), on_demand_timer=False)
    assert res.servers.columns[0] == "server" and "index" not in res.servers.columns
    assert res.servers.index.tolist() == [0]
    idle = [a for a in res.assumptions if a["name"] == "idle_guest_mips"]
    g5 = 136.9  # processors.csv g5 1-way MIPS
    assert idle and idle[0]["value"] == pytest.approx(
        {"low": 0.002 * g5, "typical": 0.0025 * g5, "high": 0.003 * g5}
    )


def test_per_server_wlf_range_and_where_each_wlf_came_from() -> None:
    inv = _inv(
        _row(
            server="lo",
            capacity=60_000,
            util_peak_pct=30.0,
            tpm_per_mips=100.0,
            tpm_per_mips_low=80.0,
        ),
        _row(
            server="hi",
            capacity=60_000,
            util_peak_pct=30.0,
            tpm_per_mips=100.0,
            tpm_per_mips_high=120.0,
        ),
        _row(server="w", capacity=60_000, util_peak_pct=30.0),
        _row(server="m", capacity=1000, capacity_unit="mips", util_peak_pct=30.0),
    )
    s = sizing.size_inventory(inv, _z990(), nway_uplift=False).servers.set_index("server")
    # 30 % of 60,000 tpm = 18,000 tpm; a missing end of the range is the typical value;
    # mips_low uses the HIGH tpm/MIPS
    assert s.loc[
        "lo", ["tpm_per_mips_low", "tpm_per_mips_typical", "tpm_per_mips_high"]
    ].tolist() == [80.0, 100.0, 100.0]
    assert s.loc["lo", ["mips_low", "mips_typical", "mips_high"]].tolist() == pytest.approx(
        [180.0, 180.0, 225.0]
    )
    assert s.loc["hi", ["mips_low", "mips_typical", "mips_high"]].tolist() == pytest.approx(
        [150.0, 180.0, 180.0]
    )
    assert s["wlf_source"].tolist() == [
        "per-server tpm_per_mips",
        "per-server tpm_per_mips",
        "workload_class",
        "capacity_unit (no class conversion)",
    ]


def test_required_capacity_adds_the_idle_guests_cost() -> None:
    # busy = (guest + idle) ÷ (1 − CP), at the target: (855 + 45) ÷ 0.9 ÷ 0.9
    assert sizing.required_capacity_mips(855.0, 45.0, 10.0, 90.0) == pytest.approx(900 / 0.81)
    inv = _inv(_row(server="a", capacity=1000, capacity_unit="mips", util_peak_pct=45.0, count=4))
    res = sizing.size_inventory(
        inv,
        _z990(),
        target_util_pct=90,
        cp_overhead_pct=10,
        nway_uplift=False,
        on_demand_timer=False,
    )
    t = res.target.loc["typical"]
    idle = 4 * 0.0025 * 136.9  # 4 guests × 0.25 % of a G5 engine
    assert t["required_mips"] == pytest.approx((4 * 450 + idle) / 0.9 / 0.9)


def test_defaults_user_mp_table_and_revalidation_of_a_raw_frame() -> None:
    inv = _inv(_row(server="a", capacity=1000, capacity_unit="mips", util_peak_pct=45.0))
    assert sizing.size_inventory(inv).processor.model == "z15"  # the default target
    # the MP fraction printed per bound comes from the user's table (flat 1.0 here)
    assert _flat(100.0).target.loc["typical", "mp_per_engine_frac"] == 1.0
    # a table starting below 1-way: 1.0 below its first point, as documented
    table = pd.DataFrame({"per_engine_frac": [0.9, 0.8]}, index=pd.Index([2, 3]))
    assert float(sizing.mp_per_engine_frac(1, table)) == 1.0
    # a raw frame with a count column and a source is still validated
    bad = _raw(util_peak_pct=140.0, count=1.0)
    bad.attrs["source"] = "mine.csv"
    with pytest.raises(InputError, match="at mine.csv line 2"):
        sizing.size_inventory(bad, _z990())
    bad_int = _raw(util_peak_pct=140.0, count=1)  # int64 count, no source
    with pytest.raises(InputError, match="at inventory line 2"):
        sizing.size_inventory(bad_int, _z990())


# =========================================================================== round 9: the whole module
# The functions behind the printed figures that round 8 added or moved (``size_columns``,
# ``SizingTables``, ``_engine_rows``, ``_idle_rows``, ``_g5_mips``, ``resize``,
# ``engines_for_counts``, ``TargetProcessor.from_bundled``), the assumptions list, the summary
# line and the trace-unit converters.  Every expected value is worked out here from the bundled
# CSV tables (read with the csv module below, not through colonykit) and the inputs, or is the
# same sizing done a second way (``size_inventory`` afresh for ``resize`` and
# ``engines_for_counts``; the pandas catalog for the csv-module one).
DATA = Path(sizing.__file__).parent / "_data"


def _csv(name: str, key: str) -> dict[str, dict[str, str]]:
    """A bundled table read here with the csv module: key (lower case) -> row."""
    with (DATA / f"{name}.csv").open(newline="", encoding="utf-8") as fh:
        return {r[key].strip().lower(): r for r in csv.DictReader(fh)}


CONST = _csv("constants", "name")
UNITS = _csv("capacity_units", "capacity_unit")
CLASSES = _csv("workload_classes", "workload_class")
PROCS = _csv("processors", "model")
MP = _csv("mp_effect", "n_engines")
G5 = float(PROCS["g5"]["engine_mips_1way"])  # 136.9


def _unit_proc(**kw: object) -> sizing.TargetProcessor:
    """1-MIPS engines (with a flat MP table the capacity of n engines is n MIPS)."""
    base: dict[str, object] = {
        "model": "unit",
        "engine_mips_1way": 1.0,
        "max_engines": 4096,
        "smt_available": True,
        "smt_uplift_frac": 0.5,
        "source": "test",
    }
    return sizing.TargetProcessor(**{**base, **kw})  # type: ignore[arg-type]


FLAT = pd.DataFrame(
    {"per_engine_frac": [1.0, 1.0], "source": ["flat"] * 2}, index=pd.Index([1, 4096])
)


def _minv(*rows: dict[str, object]) -> pd.DataFrame:
    base: dict[str, object] = {
        "role": "x",
        "capacity_unit": "mips",
        "util_avg_pct": 5.0,
        "memory_mib": 512.0,
        "disk_gib": 10.0,
        "workload_class": "web",
    }
    return validate_inventory(pd.DataFrame([{**base, **r} for r in rows]), source="test")


def _mips_inv() -> pd.DataFrame:
    # a: 10 MIPS at peak (avg 5), b: 20 MIPS at peak (avg 10), one server each
    return _minv(
        {"server": "a", "capacity": 20.0, "util_peak_pct": 50.0, "util_avg_pct": 25.0},
        {"server": "b", "capacity": 40.0, "util_peak_pct": 50.0, "util_avg_pct": 25.0},
    )


FLAT_KW: dict[str, object] = {
    "target_util_pct": 100,
    "cp_overhead_pct": 0,
    "nway_uplift": False,
    "mp_table": FLAT,
}


# --------------------------------------------------------------------------- SizingTables
def _expected_tables() -> dict[str, object]:
    def num(t: str) -> float:
        return float(t) if t.strip() else math.nan

    mp_rows = sorted(MP.values(), key=lambda r: float(r["n_engines"]))
    return {
        "class_names": tuple(CLASSES),
        "class_tpm": np.array(
            [
                [num(r[c]) for c in ("tpm_per_mips_low", "tpm_per_mips_typical")]
                + [num(r["tpm_per_mips_high"]), num(r["nway16_uplift_frac"])]
                for r in CLASSES.values()
            ]
        ),
        "class_source": tuple(r["source"] for r in CLASSES.values()),
        "unit_names": tuple(UNITS),
        "unit_mips": np.array([num(r["mips_per_unit"]) for r in UNITS.values()]),
        "unit_needs_cores": np.array([r["needs_cores"] == "true" for r in UNITS.values()]),
        "unit_applies": np.array([r["applies_class"] == "true" for r in UNITS.values()]),
        "unit_per_core": tuple(r["per_core_unit"] for r in UNITS.values()),
        "unit_confidence": tuple(r["confidence"] for r in UNITS.values()),
        "unit_source": tuple(r["source"] for r in UNITS.values()),
        "mp_n": np.array([float(r["n_engines"]) for r in mp_rows]),
        "mp_frac": np.array([float(r["per_engine_frac"]) for r in mp_rows]),
        "mp_source": mp_rows[0]["source"],
    }


@pytest.mark.parametrize("how", ["bundled", "frames"])
def test_sizing_tables_are_the_csv_tables(how: str) -> None:
    tables = (
        sizing.SizingTables.bundled()
        if how == "bundled"
        else sizing.SizingTables.from_frames(
            reference.workload_classes(), reference.capacity_units()
        )
    )
    expected = _expected_tables()
    assert [f.name for f in dataclasses.fields(tables)] == list(expected)
    for name, want in expected.items():
        got = getattr(tables, name)
        if isinstance(want, np.ndarray):
            assert isinstance(got, np.ndarray), name
            assert got.dtype == want.dtype, name
            np.testing.assert_array_equal(got, want, err_msg=name)
        else:
            assert got == want, name
    assert tables.class_tpm.shape == (len(CLASSES), 4)
    assert tables.class_tpm[tables.class_names.index("web")].tolist() == [40, 80, 150, 0.30]
    assert math.isnan(tables.unit_mips[tables.unit_names.index("tpm")])
    assert tables.unit_mips[tables.unit_names.index("ghz")] == 250.0


def test_sizing_tables_from_frames_of_a_planner_s_own_tables() -> None:
    units = reference.capacity_units().drop(
        columns=["applies_class", "per_core_unit", "confidence"]
    )
    mp = pd.DataFrame(
        {"per_engine_frac": [1.0, 0.5], "source": ["mine", "other"]}, index=pd.Index([1, 8])
    )
    t = sizing.SizingTables.from_frames(reference.workload_classes(), units, mp)
    assert t.unit_applies is None and t.unit_per_core is None and t.unit_confidence is None
    assert t.mp_n.tolist() == [1.0, 8.0] and t.mp_frac.tolist() == [1.0, 0.5]
    assert t.mp_source == "mine"
    assert t.low_confidence(["mhz"]) == {}  # no confidence column: nothing flagged
    # an applies_class column in other spellings; a blank per-core unit is ''
    units = reference.capacity_units().copy()
    units["applies_class"] = ["TRUE", "1", "yes", "no", "0", "False", "Yes", "true"]
    units.loc["mhz", "per_core_unit"] = np.nan
    t = sizing.SizingTables.from_frames(reference.workload_classes(), units)
    assert t.unit_applies is not None
    assert t.unit_applies.tolist() == [True, True, True, False, False, False, True, True]
    assert t.unit_per_core is not None and t.unit_per_core[2] == ""


def test_low_confidence_of_the_tables() -> None:
    t = sizing.SizingTables.bundled()
    used = ["mhz", "tpm", "specint_rate2006", "mhz", "mips", "furlongs"]
    want = {u: UNITS[u]["confidence"] for u in ("mhz", "specint_rate2006")}
    assert t.low_confidence(used) == want
    assert list(t.low_confidence(used)) == ["mhz", "specint_rate2006"]  # sorted
    assert sizing.low_confidence_units(used) == want
    # 'Low' in any case counts; 'lower' as well (startswith)
    mine = dataclasses.replace(t, unit_confidence=("LOW: x",) + t.unit_confidence[1:])  # type: ignore[operator]
    assert mine.low_confidence(["tpm"]) == {"tpm": "LOW: x"}


# --------------------------------------------------------------------------- TargetProcessor
def test_from_bundled_reads_the_csv_rows() -> None:
    row = PROCS["z15"]
    p = sizing.TargetProcessor.from_bundled("z15")
    assert p == sizing.TargetProcessor(
        model="z15",
        engine_mips_1way=2004.2,
        max_engines=190,
        smt_available=True,
        smt_uplift_frac=0.25,
        source=row["source"],
        method="derived_machine_max",
        derivation=row["derivation"],
        max_ifls=190,
    )
    assert p == sizing.TargetProcessor.from_catalog("Z15")
    z990 = sizing.TargetProcessor.from_bundled("z990")
    assert (z990.smt_available, z990.smt_uplift_frac, z990.derivation) == (False, 0.0, "")
    assert z990.method == "lspr_published"
    # an alias with its own IFL limit and note; one without (the model's limit)
    a = sizing.TargetProcessor.from_bundled("LinuxONE Rockhopper II")
    aliases = _csv("processor_aliases", "alias")
    assert (a.model, a.max_ifls, a.max_engines) == ("z14", 30, 170)
    assert (a.alias, a.alias_note) == (
        "linuxone-rockhopper-ii",
        aliases["linuxone-rockhopper-ii"]["note"],
    )
    b = sizing.TargetProcessor.from_bundled("z17 ME2")
    assert (b.model, b.max_ifls, b.alias) == ("z17", 208, "z17-me2")
    # a machine type of an alias, and of a model only
    assert sizing.TargetProcessor.from_bundled("3907").alias == "linuxone-rockhopper-ii"
    assert sizing.TargetProcessor.from_bundled("2064").model == "z900"
    assert sizing.TargetProcessor.from_bundled("2064").max_ifls == 15  # the z900 row's IFLs
    with pytest.raises(UnknownNameError, match="unknown processor model 'zz9'"):
        sizing.TargetProcessor.from_bundled("zz9")


def test_from_bundled_is_from_catalog_for_every_name() -> None:
    aliases = _csv("processor_aliases", "alias")
    names = [*PROCS, *aliases, *{r["machine_type"] for r in aliases.values()}]
    names += [r["machine_type"] for r in PROCS.values()]
    for name in names:
        assert sizing.TargetProcessor.from_bundled(name) == sizing.TargetProcessor.from_catalog(
            name
        ), name


def test_from_catalog_of_a_user_table() -> None:
    procs = reference.processors().copy()
    procs.loc["mybox"] = procs.loc["z15"]
    procs.loc["mybox", "max_ifls"] = np.nan
    procs.loc["mybox", "derivation"] = np.nan
    p = sizing.TargetProcessor.from_catalog("MyBox", procs)
    assert (p.model, p.max_ifls, p.derivation, p.alias, p.alias_note) == (
        "mybox",
        190,
        "",
        "",
        "",
    )
    no_col = procs.drop(columns=["max_ifls", "method", "derivation"])
    q = sizing.TargetProcessor.from_catalog("z16", no_col)
    assert (q.max_ifls, q.method, q.derivation) == (200, "", "")
    # a model name that is also an alias key is the model itself
    procs.loc["linuxone-iii"] = procs.loc["z16"]
    r = sizing.TargetProcessor.from_catalog("linuxone-iii", procs)
    assert (r.model, r.alias, r.engine_mips_1way) == ("linuxone-iii", "", 2253.0)


# --------------------------------------------------------------------------- summary line
def test_summary_text_by_hand() -> None:
    opts = sizing.SizingOptions(target_util_pct=87.5)
    total = {"mips_low": 1234.4, "mips_typical": 5678.5, "mips_high": 1_234_567.0}
    engines = {"low": 2, "typical": 3, "high": 17}
    head = (
        "7 servers, peak basis: 1,234 / 5,678 / 1,234,567 MIPS (low/typical/high) "
        "-> 2 / 3 / 17 z16 engines at 87.5% target"
    )
    assert sizing.summary_text(7, opts, total, engines, "z16", {}) == head
    tail = "; calibrate with zPCR or a measured pair"
    barton = "Barton's number (4 MHz of 2003-era x86 ~ 1 MIPS)"
    for low, what in (
        ({"specint_rate2006": "low", "specrate2017_int": "low"}, "an estimated conversion"),
        ({"specint_rate2006": "low", "ghz": "low"}, barton),
        ({"mhz_per_core": "low"}, barton),
        ({"my_barton_unit": "low"}, barton),
    ):
        got = sizing.summary_text(7, opts, total, engines, "z16", low)
        units = ", ".join(sorted(low))
        assert (
            got == f"{head}; LOW CONFIDENCE: capacities in {units} are converted with {what}{tail}"
        )


def test_summary_of_a_sizing() -> None:
    inv, _ = read_inventory("data/examples/xyz_inventory.csv")
    res = sizing.size_inventory(inv, "z15", basis="avg")
    t = res.total
    e = res.engines
    want = (
        f"26 servers, avg basis: {t['mips_low']:,.0f} / {t['mips_typical']:,.0f} / "
        f"{t['mips_high']:,.0f} MIPS (low/typical/high) -> {e['low']} / {e['typical']} / "
        f"{e['high']} z15 engines at 90% target; LOW CONFIDENCE: capacities in mhz_per_core are "
        "converted with Barton's number (4 MHz of 2003-era x86 ~ 1 MIPS); calibrate with zPCR "
        "or a measured pair"
    )
    assert res.summary() == want
    assert res.low_confidence == {"mhz_per_core": UNITS["mhz_per_core"]["confidence"]}


# --------------------------------------------------------------------------- assumptions
def _src(name: str) -> str:
    return CONST[name]["source"]


def test_assumptions_list_by_hand() -> None:
    inv = _minv(
        {"server": "a", "capacity": 1000.0, "util_peak_pct": 45.0, "workload_class": "database"},
        {
            "server": "b",
            "capacity": 2000.0,
            "capacity_unit": "mhz_per_core",
            "cores": 2,
            "util_peak_pct": 10.0,
        },
        {"server": "c", "capacity": 60_000.0, "capacity_unit": "tpm", "util_peak_pct": 10.0},
        {
            "server": "d",
            "capacity": 100.0,
            "util_peak_pct": 10.0,
            "workload_class": "",
            "tpm_per_mips": 50.0,
        },
    )
    res = sizing.size_inventory(inv, "z15", smt=True, on_demand_timer=False)
    z15 = PROCS["z15"]
    want = [
        {"name": "basis", "value": "peak", "unit": "", "source": "input (utilization column used)"},
        {
            "name": "target_util_pct",
            "value": 90.0,
            "unit": "pct",
            "source": _src("target_util_pct"),
        },
        {"name": "cp_overhead_pct", "value": 5.0, "unit": "pct", "source": _src("cp_overhead_pct")},
        {
            "name": "engine_mips_1way",
            "value": 2004.2,
            "unit": "MIPS",
            "source": f"processors.csv row z15: {z15['source']} "
            f"(derived_machine_max: {z15['derivation']})",
        },
        {
            "name": "max_engines",
            "value": 190,
            "unit": "engines",
            "source": "processors.csv row z15",
        },
        {"name": "smt", "value": True, "unit": "", "source": "input"},
        {
            "name": "smt_uplift_frac",
            "value": 0.25,
            "unit": "frac",
            "source": "processors.csv row z15",
        },
        {
            "name": "mp_effect",
            "value": "per-engine fraction interpolated in the MP table; beyond 24-way "
            "a + b*ln(n) with a=0.884, b=-0.07675",
            "unit": "frac",
            "source": MP["1"]["source"] + "; extrapolation: " + _src("mp_extrapolation_a"),
        },
        {
            "name": "nway_uplift",
            "value": True,
            "unit": "",
            "source": _src("nway_uplift_reference_engines") + "; interpolated in log2(n)",
        },
        {
            "name": "on_demand_timer",
            "value": False,
            "unit": "",
            "source": "input; idle guests cost nothing extra with the on-demand timer",
        },
        {
            "name": "idle_guest_mips",
            "value": {"low": 0.002 * G5, "typical": 0.0025 * G5, "high": 0.003 * G5},
            "unit": "MIPS per guest",
            "source": _src("idle_guest_g5_engine_pct") + " × G5 1-way MIPS (processors.csv)",
        },
        *(
            {
                "name": f"capacity_unit:{u}",
                "value": v,
                "unit": "MIPS per unit",
                "source": UNITS[u]["source"],
            }
            for u, v in (("mhz_per_core", 0.25), ("mips", 1.0), ("tpm", None))
        ),
        {
            "name": "reference_class",
            "value": "mixed (77 tpm/MIPS)",
            "unit": "tpm/MIPS",
            "source": CLASSES["mixed"]["source"],
        },
        *(
            {
                "name": f"workload_class:{c}",
                "value": dict(zip(("low", "typical", "high"), v, strict=True)),
                "unit": "tpm/MIPS",
                "source": CLASSES[c]["source"],
            }
            for c, v in (("database", (100.0, 150.0, 200.0)), ("web", (40.0, 80.0, 150.0)))
        ),
    ]
    assert res.assumptions == want
    assert [type(a["value"]) for a in res.assumptions[-2:]] == [dict, dict]
    # resize records the same list (the second way to the same sizing)
    assert sizing.resize(res, inv, "z15", smt=True, on_demand_timer=False).assumptions == want


def test_assumptions_of_given_options_and_a_target_without_a_derivation() -> None:
    inv = _minv(
        {"server": "c", "capacity": 60_000.0, "capacity_unit": "tpm", "util_peak_pct": 10.0}
    )
    res = sizing.size_inventory(inv, "z990", basis="avg", target_util_pct=80, cp_overhead_pct=3)
    by = {a["name"]: a for a in res.assumptions}
    assert [a["name"] for a in res.assumptions] == [
        "basis",
        "target_util_pct",
        "cp_overhead_pct",
        "engine_mips_1way",
        "max_engines",
        "smt",
        "smt_uplift_frac",
        "mp_effect",
        "nway_uplift",
        "on_demand_timer",
        "capacity_unit:tpm",
        "workload_class:web",
    ]  # tpm only: no reference class; the timer on: no idle cost
    assert by["basis"]["value"] == "avg"
    assert by["target_util_pct"] == {
        "name": "target_util_pct",
        "value": 80.0,
        "unit": "pct",
        "source": "input",
    }
    assert by["cp_overhead_pct"] == {
        "name": "cp_overhead_pct",
        "value": 3.0,
        "unit": "pct",
        "source": "input",
    }
    assert by["engine_mips_1way"]["source"] == f"processors.csv row z990: {PROCS['z990']['source']}"
    assert by["smt_uplift_frac"] == {
        "name": "smt_uplift_frac",
        "value": 0.0,
        "unit": "frac",
        "source": "SMT off",
    }
    assert by["smt"]["value"] is False
    assert by["on_demand_timer"]["value"] is True
    # a user MP table: its first row's source and its last n
    mp = pd.DataFrame(
        {"per_engine_frac": [1.0, 0.9, 0.8], "source": ["a", "b", "c"]}, index=pd.Index([1, 2, 6])
    )
    got = sizing.size_inventory(inv, "z990", mp_table=mp)
    mp_item = next(a for a in got.assumptions if a["name"] == "mp_effect")
    assert mp_item["value"].startswith(
        "per-engine fraction interpolated in the MP table; beyond 6-way"
    )
    assert mp_item["source"].startswith("a; extrapolation: ")


# --------------------------------------------------------------------------- idle cost, G5
def test_idle_cost_uses_the_g5_row_of_the_processor_table() -> None:
    procs = reference.processors().copy()
    procs.loc["g5", "engine_mips_1way"] = 1000.0
    inv = _mips_inv()  # 2 guests, 30 MIPS at peak
    res = sizing.size_inventory(
        inv, _unit_proc(), processor_table=procs, on_demand_timer=False, **FLAT_KW
    )
    # idle: 2 guests × 0.2 / 0.25 / 0.3 % × 1,000 MIPS = 4 / 5 / 6 MIPS -> 34 / 35 / 36 engines
    assert res.target["idle_guest_mips"].tolist() == pytest.approx([4.0, 5.0, 6.0])
    assert res.engines == {"low": 34, "typical": 35, "high": 36}
    assert res.target["required_mips"].tolist() == pytest.approx([34.0, 35.0, 36.0])
    with_timer = sizing.size_inventory(inv, _unit_proc(), processor_table=procs, **FLAT_KW)
    assert with_timer.engines == {"low": 30, "typical": 30, "high": 30}
    # no processor table given: the bundled G5 (136.9 MIPS): 30 + 2 × 0.25 % × 136.9 = 30.68
    bundled = sizing.size_inventory(inv, _unit_proc(), on_demand_timer=False, **FLAT_KW)
    assert bundled.target.loc["typical", "idle_guest_mips"] == pytest.approx(2 * 0.0025 * G5)


# --------------------------------------------------------------------------- engines_for_counts
def test_engines_for_counts_by_hand() -> None:
    res = sizing.size_inventory(_mips_inv(), _unit_proc(), **FLAT_KW)
    assert res.engines == {"low": 30, "typical": 30, "high": 30}
    # rows b ×3 and a ×2: 3 × 20 + 2 × 10 = 80 MIPS on 1-MIPS engines
    got = sizing.engines_for_counts(res, [1, 0], [3, 2], mp_table=FLAT)
    assert got == {"low": 80, "typical": 80, "high": 80}
    assert sizing.engines_for_counts(res, [0], [1], mp_table=FLAT) == {
        "low": 10,
        "typical": 10,
        "high": 10,
    }
    # without the on-demand timer: 5 guests × 0.2 / 0.25 / 0.3 % of a 1,000-MIPS G5
    procs = reference.processors().copy()
    procs.loc["g5", "engine_mips_1way"] = 1000.0
    idle = sizing.size_inventory(
        _mips_inv(), _unit_proc(), processor_table=procs, on_demand_timer=False, **FLAT_KW
    )
    assert sizing.engines_for_counts(
        idle, [1, 0], [3, 2], processor_table=procs, mp_table=FLAT
    ) == {
        "low": 90,
        "typical": 93,  # 80 + 12.5
        "high": 95,
    }
    # the bundled G5 (136.9): 80 + 5 × 0.3 % × 136.9 = 82.05 -> 83 at the high end
    assert sizing.engines_for_counts(idle, [1, 0], [3, 2], mp_table=FLAT) == {
        "low": 82,  # 80 + 1.369
        "typical": 82,  # 80 + 1.71
        "high": 83,
    }


def test_engines_for_counts_with_the_bundled_mp_table_and_the_uplift() -> None:
    inv = _minv({"server": "a", "capacity": 2000.0, "util_peak_pct": 50.0})  # 1,000 MIPS each
    res = sizing.size_inventory(inv, "z990", target_util_pct=100, cp_overhead_pct=0)
    # 2 servers: 2,000 MIPS; z990 4-way 1,634.4, 5-way 2,002.5 (mp_effect.csv 0.890) holds
    # 2,000 / (1 + 0.3 × log2(5) / 4) = 1,702.0
    assert sizing.engines_for_counts(res, [0], [2]) == {"low": 5, "typical": 5, "high": 5}
    share = inv.assign(count=2)
    assert sizing.size_inventory(share, "z990", target_util_pct=100, cp_overhead_pct=0).engines == {
        "low": 5,
        "typical": 5,
        "high": 5,
    }
    # 3 servers: 6-way 2,362.5 < 3,000 / (1 + 0.3 × log2(6) / 4) = 2,512.8; 7-way 2,709 (0.860)
    # holds 3,000 / (1 + 0.3 × log2(7) / 4) = 2,478.3: 7 engines
    assert sizing.engines_for_counts(res, [0], [3])["typical"] == 7


# --------------------------------------------------------------------------- resize
def test_resize_by_hand_and_as_a_fresh_sizing() -> None:
    inv = _mips_inv()
    res = sizing.size_inventory(inv, _unit_proc(), **FLAT_KW)
    half = sizing.resize(res, inv, _unit_proc(), **{**FLAT_KW, "target_util_pct": 50})
    # 30 MIPS at 50 %: 60 engines; the servers and totals are res's
    assert half.engines == {"low": 60, "typical": 60, "high": 60}
    assert half.total == res.total and half.total is not res.total
    pd.testing.assert_frame_equal(half.servers, res.servers)
    assert half.servers is not res.servers
    assert half.options.target_util_pct == 50.0
    smt = sizing.resize(res, inv, _unit_proc(), smt=True, **FLAT_KW)
    assert smt.engines["typical"] == 20  # 1.5 MIPS per engine with SMT
    assert smt.processor == _unit_proc()
    cp = sizing.resize(res, inv, _unit_proc(), **{**FLAT_KW, "cp_overhead_pct": 25})
    assert cp.engines["typical"] == 40  # 30 / 0.75
    # an options object, then overrides on top of it
    opts = sizing.SizingOptions(target_util_pct=100, cp_overhead_pct=0, nway_uplift=False)
    got = sizing.resize(res, inv, _unit_proc(), opts, mp_table=FLAT, target_util_pct=75)
    assert got.engines["typical"] == 40 and got.options.nway_uplift is False


def _same(a: sizing.SizingResult, b: sizing.SizingResult) -> None:
    pd.testing.assert_frame_equal(a.servers, b.servers)
    pd.testing.assert_frame_equal(a.target, b.target)
    assert a.total == b.total
    assert a.processor == b.processor and a.options == b.options
    assert a.assumptions == b.assumptions


@pytest.mark.parametrize(
    "opts",
    [
        {"target_util_pct": 60.0, "cp_overhead_pct": 2.0},
        {"smt": True, "nway_uplift": False},
        {"on_demand_timer": False},
        {"basis": "avg", "on_demand_timer": False, "smt": True},
    ],
)
def test_resize_is_size_inventory_afresh(opts: dict[str, object]) -> None:
    inv, _ = read_inventory("data/examples/xyz_inventory.csv")
    inv = inv.assign(count=[40, 30, 20, 120])
    res = sizing.size_inventory(inv, "z990", basis=opts.get("basis", "peak"))
    _same(sizing.resize(res, inv, "z16", **opts), sizing.size_inventory(inv, "z16", **opts))


def test_resize_with_the_planner_s_tables() -> None:
    procs = reference.processors().copy()
    procs.loc["mybox"] = procs.loc["z990"]
    procs.loc["mybox", "engine_mips_1way"] = 100.0
    procs.loc["g5", "engine_mips_1way"] = 1000.0
    classes = reference.workload_classes().copy()
    classes.loc["web", "nway16_uplift_frac"] = 0.6
    units = reference.capacity_units().copy()
    units.loc["mhz_per_core", "mips_per_unit"] = 0.5
    mp = pd.DataFrame(
        {"per_engine_frac": [1.0, 0.5], "source": ["mine"] * 2}, index=pd.Index([1, 64])
    )
    inv, _ = read_inventory("data/examples/xyz_inventory.csv")
    kw = {
        "processor_table": procs,
        "workload_table": classes,
        "units_table": units,
        "mp_table": mp,
        "on_demand_timer": False,
    }
    res = sizing.size_inventory(inv, "z15", **kw)
    _same(sizing.resize(res, inv, "mybox", **kw), sizing.size_inventory(inv, "mybox", **kw))


def test_resize_refuses_another_server_option() -> None:
    inv = _mips_inv()
    res = sizing.size_inventory(inv, _unit_proc(), **FLAT_KW)
    with pytest.raises(
        ValueError,
        match=r"^resize keeps the servers' MIPS: 'reference_class' must stay 'mixed' \(got 'web'\)"
        r"; use size_inventory$",
    ):
        sizing.resize(res, inv, _unit_proc(), reference_class="web")
    with pytest.raises(ValueError, match=r"'basis' must stay 'peak' \(got 'avg'\)"):
        sizing.resize(res, inv, _unit_proc(), sizing.SizingOptions(basis="avg"))
    assert sizing.SERVER_OPTIONS == ("basis", "reference_class")


# --------------------------------------------------------------------------- size_columns
def test_size_columns_without_pandas_by_hand() -> None:
    tables = sizing.SizingTables.bundled()
    cols = {
        "server": ["a", "b"],
        "role": ["x", "y"],
        "count": np.array([2, 3]),
        "workload_class": ["web", ""],
        "capacity": np.array([60_000.0, 1000.0]),
        "capacity_unit": ["tpm", "mhz"],
        "cores": np.array([np.nan, 1.0]),
        "util_peak_pct": np.array([30.0, 40.0]),
        "util_avg_pct": np.array([10.0, 20.0]),
    }
    out = sizing.size_columns(
        cols, _unit_proc(engine_mips_1way=100.0), sizing.SizingOptions(basis="avg"), tables
    )
    s = out.servers
    assert list(s)[:7] == [
        "server",
        "role",
        "count",
        "workload_class",
        "capacity",
        "capacity_unit",
        "util_pct",
    ]
    assert s["util_pct"].tolist() == [10.0, 20.0]
    # a: 10 % of 60,000 tpm = 6,000 tpm at web 150 / 80 / 40; b: 20 % of 1,000 MHz = 50 MIPS at
    # mixed (77 tpm/MIPS) -> the empty class is the reference class: 3,850 tpm-eq / 200 / 77 / 30
    assert s["mips_low"].tolist() == pytest.approx([40.0, 3850 / 200])
    assert s["mips_typical"].tolist() == pytest.approx([75.0, 50.0])
    assert s["mips_high"].tolist() == pytest.approx([150.0, 3850 / 30])
    assert s["mips_high_total"].tolist() == pytest.approx([300.0, 3 * 3850 / 30])
    assert out.total == pytest.approx(
        {"mips_low": 80 + 3 * 3850 / 200, "mips_typical": 300.0, "mips_high": 300 + 3 * 3850 / 30}
    )
    assert [r["bound"] for r in out.target_rows] == ["low", "typical", "high"]
    assert out.assumptions[0] == {
        "name": "basis",
        "value": "avg",
        "unit": "",
        "source": "input (utilization column used)",
    }


# --------------------------------------------------------------------------- demand units
def test_mhz_to_mips_factor_by_hand() -> None:
    # Barton's 0.25 MIPS per MHz at the reference class (mixed, typical 77 tpm/MIPS), then the
    # class's tpm/MIPS at the bound's opposite end
    assert sizing.mhz_to_mips_factor() == pytest.approx(0.25)
    assert sizing.mhz_to_mips_factor("web") == pytest.approx(0.25 * 77 / 80)
    assert sizing.mhz_to_mips_factor("web", "low") == pytest.approx(0.25 * 77 / 150)
    assert sizing.mhz_to_mips_factor(bound="high") == pytest.approx(0.25 * 77 / 30)


def test_capacity_mips_of_mappings_and_series() -> None:
    got = sizing.capacity_mips({"a": 100, 2: 50})
    assert got.to_dict() == {"a": 100.0, "2": 50.0} and got.dtype == float
    s = sizing.capacity_mips(pd.Series([1, 2], index=[7, "b"]))
    assert s.to_dict() == {"7": 1.0, "b": 2.0} and s.dtype == float
    with pytest.raises(
        InputError,
        match=r"^capacity must be a server->MIPS mapping, a Series or a table \(got list\); "
        r"read a file with colonykit.ingest.traces.read_capacity_table$",
    ):
        sizing.capacity_mips([1.0, 2.0])  # type: ignore[arg-type]


def test_capacity_mips_of_tables_by_hand() -> None:
    inv = pd.DataFrame(
        {
            "VM": ["a", "b", 3],
            "Capacity": [12_000.0, 4000.0, 1.5],
            "capacity_unit": ["tpm", "mhz", "ghz_per_core"],
            "cores": [1, 1, 2],
            "workload_class": ["web", "database", "web"],
        }
    )
    # a: 12,000 / web 80; b: 1,000 MIPS at mixed 77 -> database 150; c: 3,000 MHz = 750 MIPS
    got = sizing.capacity_mips(inv)
    assert got.index.tolist() == ["a", "b", "3"]
    assert got.tolist() == pytest.approx([150.0, 1000 * 77 / 150, 750 * 77 / 80])
    # the class given overrides the table's; the bound picks the other end of the range
    low = sizing.capacity_mips(inv, workload_class="infrastructure", bound="low")
    assert low.tolist() == pytest.approx([12_000 / 170, 1000 * 77 / 170, 750 * 77 / 170])
    no_class = sizing.capacity_mips(inv.drop(columns="workload_class"), bound="high")
    assert no_class.tolist() == pytest.approx([12_000 / 30, 1000 * 77 / 30, 750 * 77 / 30])
    with pytest.raises(InputError, match="'cores' must be given"):
        sizing.capacity_mips(inv.drop(columns="cores"))
    for col in ("cpu_capacity_mhz", "CPU MHz"):
        vms = pd.DataFrame({"server": ["x", "y"], col: [5852.0, 400.0]})
        assert sizing.capacity_mips(vms).tolist() == pytest.approx([1463.0, 100.0])
        web = sizing.capacity_mips(vms, workload_class="web", bound="high")
        assert web.tolist() == pytest.approx([1463 * 77 / 40, 100 * 77 / 40])
    both = pd.DataFrame({"server": ["x"], "cpu_capacity_mhz": [400.0], "cpu_mhz": [800.0]})
    assert sizing.capacity_mips(both).tolist() == pytest.approx([100.0])
    with pytest.raises(InputError, match=r"needs a 'server' \(or 'vm'\) column \(got \['label'"):
        sizing.capacity_mips(pd.DataFrame({"label": ["x"], "cpu_mhz": [1.0]}))
    with pytest.raises(
        InputError,
        match=r"needs columns capacity\+capacity_unit, cpu_capacity_mhz or cpu_mhz "
        r"\(got \['server', 'capacity'\]\)",
    ):
        sizing.capacity_mips(pd.DataFrame({"server": ["x"], "capacity": [1.0]}))


def _frame(unit: str | None, **cols: list[float]) -> pd.DataFrame:
    f = pd.DataFrame(cols, index=pd.RangeIndex(len(next(iter(cols.values())))))
    if unit is not None:
        f.attrs["unit"] = unit
    f.attrs["interval_s"] = 60.0
    return f


def _close(frame: pd.DataFrame, want: dict[str, list[float]]) -> None:
    assert list(frame.columns) == list(want)
    for c, v in want.items():
        assert frame[c].tolist() == pytest.approx(v), c
    assert frame.index.equals(pd.RangeIndex(len(next(iter(want.values())))))


def test_convert_unit_between_every_pair_by_hand() -> None:
    cap = pd.Series({"a": 200.0, "b": 50.0})
    pct = _frame("cpu_pct", a=[10.0, 50.0], b=[100.0, 0.0])
    mips = {"a": [20.0, 100.0], "b": [50.0, 0.0]}
    mhz = {"a": [80.0, 400.0], "b": [200.0, 0.0]}  # 4 MHz per MIPS (Barton, mixed)
    got = sizing.convert_unit(pct, "mips", cap)
    _close(got, mips)
    assert got.attrs == {"unit": "mips", "interval_s": 60.0}
    _close(sizing.convert_unit(pct, "cpu_mhz", cap), mhz)
    m = _frame("mips", **mips)
    _close(sizing.convert_unit(m, "cpu_pct", cap), {"a": [10.0, 50.0], "b": [100.0, 0.0]})
    _close(sizing.convert_unit(m, "cpu_mhz"), mhz)
    z = _frame("cpu_mhz", **mhz)
    _close(sizing.convert_unit(z, "mips"), mips)
    _close(sizing.convert_unit(z, "cpu_pct", cap), {"a": [10.0, 50.0], "b": [100.0, 0.0]})
    assert sizing.convert_unit(z, "cpu_pct", cap).attrs["unit"] == "cpu_pct"
    # the class and bound of the MHz conversion: web high end, 0.25 × 77 / 40 MIPS per MHz
    w = sizing.convert_unit(z, "mips", workload_class="web", bound="high")
    assert w["a"].tolist() == pytest.approx([80 * 0.25 * 77 / 40, 400 * 0.25 * 77 / 40])
    w = sizing.convert_unit(m, "cpu_mhz", workload_class="web", bound="high")
    assert w["a"].tolist() == pytest.approx([20 / (0.25 * 77 / 40), 100 / (0.25 * 77 / 40)])
    w = sizing.convert_unit(z, "cpu_pct", cap, workload_class="web", bound="high")
    assert w["a"].tolist() == pytest.approx([80 * 0.25 * 77 / 40 / 2, 400 * 0.25 * 77 / 40 / 2])
    # a frame in its own unit is returned as it is; no unit attribute means cpu_pct
    assert sizing.convert_unit(pct, "cpu_pct") is pct
    bare = _frame(None, a=[10.0])
    assert sizing.convert_unit(bare, "mips", pd.Series({"a": 300.0}))["a"].tolist() == [30.0]


def test_convert_unit_refusals() -> None:
    pct = _frame("cpu_pct", a=[10.0], b=[20.0], c=[1.0])
    with pytest.raises(UnknownNameError, match="trace unit 'bogus'"):
        sizing.convert_unit(pct, "bogus")
    with pytest.raises(
        InputError,
        match=r"^cannot convert traces from cpu_pct to mips without each server's capacity "
        r"\(pass capacity=…: a server->MIPS mapping, an inventory or a _vms.csv table\)$",
    ):
        sizing.convert_unit(pct, "mips")
    cap = pd.Series({"a": 0.0, "b": np.nan, "c": 5.0})
    with pytest.raises(
        InputError,
        match=r"^no positive capacity for 2 server\(s\) \['a', 'b'\] — needed to convert "
        r"cpu_pct to cpu_mhz$",
    ):
        sizing.convert_unit(pct, "cpu_mhz", cap)
    with pytest.raises(InputError, match=r"for 1 server\(s\) \['c'\]"):
        sizing.convert_unit(pct, "mips", pd.Series({"a": 1.0, "b": 1.0, "c": -1.0}))
    with pytest.raises(InputError, match=r"for 1 server\(s\) \['b'\]"):
        sizing.convert_unit(pct, "mips", pd.Series({"a": 1.0, "c": 1.0}))  # b missing
    many = _frame("mips", **{f"s{i}": [1.0] for i in range(7)})
    with pytest.raises(InputError, match=r"for 7 server\(s\) \['s0', 's1', 's2', 's3', 's4'\] —"):
        sizing.convert_unit(many, "cpu_pct", pd.Series(dtype=float))


def test_options_dict_is_every_option() -> None:
    opts = sizing.SizingOptions(basis="avg", target_util_pct=70.0, smt=True)
    assert sizing.options_dict(opts) == {
        "basis": "avg",
        "target_util_pct": 70.0,
        "smt": True,
        "cp_overhead_pct": 5.0,
        "on_demand_timer": True,
        "nway_uplift": True,
        "reference_class": "mixed",
    }


# --------------------------------------------------------------------------- unit checks
def test_unit_problems_names_the_file_and_line() -> None:
    inv = pd.DataFrame(
        {
            "capacity_unit": ["GHz", "mhz", "ghz_per_core", "mhz", "ghz"],
            "cores": [16, 1, 8, "2.5", 2],
        }
    )
    want = [
        "'capacity_unit' ghz is the whole server's clock, so 'cores' must be 1 or empty (got 16) "
        "at inventory line 2; use ghz_per_core for a per-core clock (× cores)",
        "'capacity_unit' mhz is the whole server's clock, so 'cores' must be 1 or empty "
        "(got 2.5) at inventory line 5; use mhz_per_core for a per-core clock (× cores)",
        "'capacity_unit' ghz is the whole server's clock, so 'cores' must be 1 or empty "
        "(got 2) at inventory line 6; use ghz_per_core for a per-core clock (× cores)",
    ]
    assert sizing.unit_problems(inv) == want
    inv.attrs["source"] = "mine.csv"
    assert [p.replace("mine.csv", "inventory") for p in sizing.unit_problems(inv)] == want
    assert "at mine.csv line 2" in sizing.unit_problems(inv)[0]
    # a planner's unit table: its per-core units; without that column or without cores: none
    units = reference.capacity_units().copy()
    units.loc["mhz", "per_core_unit"] = np.nan
    units.loc["mhz_per_core", "per_core_unit"] = "mhz_each"
    got = sizing.unit_problems(
        inv.assign(capacity_unit=["ghz", "mhz", "mhz_per_core", "x", "mhz"]), units
    )
    assert [p.split(" at ")[1] for p in got] == [
        "mine.csv line 2; use ghz_per_core for a per-core clock (× cores)",
        "mine.csv line 4; use mhz_each for a per-core clock (× cores)",
    ]
    assert sizing.unit_problems(inv, units.drop(columns="per_core_unit")) == []
    assert sizing.unit_problems(inv.drop(columns="cores")) == []


def test_low_confidence_units_of_a_planner_s_table() -> None:
    units = reference.capacity_units().copy()
    units.loc["tpm", "confidence"] = "Low: my own"
    units.loc["mhz", "confidence"] = "measured"
    got = sizing.low_confidence_units(["mhz", "tpm", "ghz", "furlongs"], units)
    assert got == {"ghz": UNITS["ghz"]["confidence"], "tpm": "Low: my own"}
    assert sizing.low_confidence_units(["mhz"], units.drop(columns="confidence")) == {}
    assert sizing.low_confidence_units(["mhz", "tpm"]) == {"mhz": UNITS["mhz"]["confidence"]}


def test_server_mhz_of_a_planner_s_per_core_unit_that_is_not_a_clock() -> None:
    units = reference.capacity_units().copy()
    units.loc["bogo_per_core"] = units.loc["specint_rate2006"]
    units.loc["bogo_per_core", ["mips_per_unit", "needs_cores", "applies_class"]] = [
        10.0,
        True,
        False,
    ]
    inv = pd.DataFrame(
        {
            "capacity": [3.0, 1000.0],
            "capacity_unit": ["bogo_per_core", "mhz"],
            "cores": [4, 1],
            "workload_class": ["web", "web"],
        }
    )
    # 4 cores × 3 × 10 = 120 MIPS (no class conversion) -> / 0.25 MIPS per MHz = 480 MHz
    assert sizing.server_mhz(inv, units).tolist() == pytest.approx([480.0, 1000.0])
    no_cores = inv.drop(columns="cores")
    with pytest.raises(InputError, match="'cores' must be given for per-core capacity units"):
        sizing.server_mhz(no_cores, units)


def test_mp_table_read_as_text() -> None:
    # a planner's MP table read from a CSV as text: n and the fraction are numbers all the same
    table = pd.DataFrame(
        {"per_engine_frac": ["1.0", "0.9", "0.5"]}, index=pd.Index(["1", "2", "3"])
    )
    assert float(sizing.mp_per_engine_frac(2.5, table)) == pytest.approx(0.7)
    assert float(sizing.mp_per_engine_frac(4, table)) == 0.5
    assert float(sizing.engine_capacity_mips(2, 100.0, table)) == pytest.approx(180.0)
    assert float(sizing.engine_capacity_mips(4, 100.0, table)) == pytest.approx(200.0)


def test_capacity_to_mips_names_the_line_of_an_ambiguous_clock() -> None:
    with pytest.raises(
        InputError,
        match=r"^ambiguous capacity units: 'capacity_unit' ghz is the whole server's clock, so "
        r"'cores' must be 1 or empty \(got 8\) at inventory line 3; use ghz_per_core",
    ):
        sizing.capacity_to_mips([1.0, 2.5], ["mhz", "ghz"], cores=[1, 8])


def test_sizing_with_an_mp_table_read_as_text() -> None:
    text = pd.DataFrame(
        {"per_engine_frac": ["1.0", "0.5"], "source": ["mine", "mine"]}, index=pd.Index(["1", "64"])
    )
    inv = _mips_inv()  # 30 MIPS on 1-MIPS engines
    # n engines: n × (1 - 0.5 (n - 1) / 63); 36-way 36 × 0.7222 = 26.0, 44-way 44 × 0.6587 = 28.98,
    # 46-way 46 × 0.6429 = 29.57, 47-way 47 × 0.6349 = 29.84, 48-way 48 × 0.6270 = 30.10
    res = sizing.size_inventory(inv, _unit_proc(), **{**FLAT_KW, "mp_table": text})
    assert res.engines == {"low": 48, "typical": 48, "high": 48}
    assert res.target.loc["typical", "capacity_mips"] == pytest.approx(48 * (1 - 0.5 * 47 / 63))
    flat = sizing.size_inventory(inv, _unit_proc(), **FLAT_KW)
    assert sizing.engines_for_counts(flat, [0], [3], mp_table=text) == {
        "low": 48,
        "typical": 48,
        "high": 48,
    }


def test_odd_shapes_of_valid_arguments() -> None:
    # positions given as floats are positions all the same
    res = sizing.size_inventory(_mips_inv(), _unit_proc(), **FLAT_KW)
    got = sizing.engines_for_counts(res, np.array([1.0, 0.0]), [3, 2], mp_table=FLAT)
    assert got == {"low": 80, "typical": 80, "high": 80}
    # an empty capacity mapping is an empty float Series
    assert sizing.capacity_mips({}).dtype == float
    # tables whose unit names and confidences differ in length are refused, not cut short
    t = sizing.SizingTables.bundled()
    bad = dataclasses.replace(t, unit_confidence=t.unit_confidence[:-1])  # type: ignore[index]
    with pytest.raises(ValueError, match="zip"):
        bad.low_confidence(["tpm"])


def test_resize_defaults_and_a_raw_inventory_with_the_planner_s_tables() -> None:
    inv, _ = read_inventory("data/examples/xyz_inventory.csv")
    res = sizing.size_inventory(inv, "z16")
    _same(sizing.resize(res, inv), sizing.size_inventory(inv))  # the default target z15
    classes = reference.workload_classes().copy()
    classes.loc["batch"] = classes.loc["web"]
    classes.loc["batch", ["tpm_per_mips_low", "tpm_per_mips_typical", "tpm_per_mips_high"]] = [
        60.0,
        90.0,
        120.0,
    ]
    units = reference.capacity_units().copy()
    units.loc["bogomips"] = units.loc["mips"]
    raw = pd.DataFrame(
        [
            {
                "server": "a",
                "role": "x",
                "capacity": 1000.0,
                "capacity_unit": "bogomips",
                "util_avg_pct": 5.0,
                "util_peak_pct": 45.0,
                "memory_mib": 512.0,
                "disk_gib": 10.0,
                "workload_class": "batch",
            }
        ]
    )
    kw = {"workload_table": classes, "units_table": units}
    res = sizing.size_inventory(raw, "z15", **kw)
    again = sizing.resize(res, raw, "z16", **kw)
    _same(again, sizing.size_inventory(raw, "z16", **kw))
    by = {a["name"]: a["value"] for a in again.assumptions}
    assert by["workload_class:batch"] == {"low": 60.0, "typical": 90.0, "high": 120.0}
    assert "capacity_unit:bogomips" in by


def test_engines_and_columns_of_nothing() -> None:
    # no rows: no guests, one engine (the smallest n searched); no class uplift
    res = sizing.size_inventory(_mips_inv(), _unit_proc(), **FLAT_KW)
    assert sizing.engines_for_counts(res, [], [], mp_table=FLAT) == {
        "low": 1,
        "typical": 1,
        "high": 1,
    }
    cols = {
        "server": [],
        "role": [],
        "count": np.array([], dtype=np.int64),
        "workload_class": [],
        "capacity": np.array([]),
        "capacity_unit": [],
        "cores": np.array([]),
        "util_peak_pct": np.array([]),
        "util_avg_pct": np.array([]),
    }
    out = sizing.size_columns(
        cols, _unit_proc(), sizing.SizingOptions(), sizing.SizingTables.bundled()
    )
    assert out.total == {"mips_low": 0.0, "mips_typical": 0.0, "mips_high": 0.0}
    assert [r["engines"] for r in out.target_rows] == [1, 1, 1]
    assert [r["nway_uplift_frac_class_max"] for r in out.target_rows] == [0.0, 0.0, 0.0]
    assert [r["guest_mips"] for r in out.target_rows] == [0.0, 0.0, 0.0]


def test_size_columns_names_the_file_of_an_ambiguous_clock() -> None:
    cols = {
        "server": ["a", "b"],
        "role": ["x", "y"],
        "count": np.array([1, 1]),
        "workload_class": ["web", "web"],
        "capacity": np.array([1.0, 2.5]),
        "capacity_unit": ["mhz", "ghz"],
        "cores": np.array([1.0, 8.0]),
        "util_peak_pct": np.array([30.0, 40.0]),
        "util_avg_pct": np.array([10.0, 20.0]),
    }
    args = (cols, _unit_proc(), sizing.SizingOptions(), sizing.SizingTables.bundled())
    with pytest.raises(InputError, match=r"\(got 8\) at inventory line 3; use ghz_per_core"):
        sizing.size_columns(*args)
    with pytest.raises(InputError, match=r"\(got 8\) at mine.csv line 3; use ghz_per_core"):
        sizing.size_columns(*args, source="mine.csv")


def test_convert_unit_keeps_the_time_index() -> None:
    idx = pd.date_range("2026-01-01", periods=2, freq="5min", tz="UTC")
    f = pd.DataFrame({"a": [10.0, 50.0]}, index=idx)
    f.attrs.update(unit="cpu_pct", interval_s=300.0)
    got = sizing.convert_unit(f, "mips", pd.Series({"a": 200.0}))
    assert got.index.equals(idx)
    assert got["a"].tolist() == pytest.approx([20.0, 100.0])


def test_assumptions_without_smt_on_a_model_with_smt() -> None:
    inv = _minv({"server": "a", "capacity": 1000.0, "util_peak_pct": 45.0})
    got = sizing.size_inventory(inv, "z15").assumptions
    assert next(a for a in got if a["name"] == "smt_uplift_frac") == {
        "name": "smt_uplift_frac",
        "value": 0.0,
        "unit": "frac",
        "source": "SMT off",
    }


def test_size_inventory_names_the_file_of_an_ambiguous_clock_in_a_canonical_frame() -> None:
    inv = _minv(
        {"server": "a", "capacity": 1000.0, "util_peak_pct": 45.0},
        {"server": "b", "capacity": 2.0, "capacity_unit": "ghz", "util_peak_pct": 45.0},
    )
    assert inv["count"].dtype == "int64"  # canonical: not validated again
    inv.loc[1, "cores"] = 8
    inv.attrs["source"] = "mine.csv"
    with pytest.raises(InputError, match=r"\(got 8\) at mine.csv line 3; use ghz_per_core"):
        sizing.size_inventory(inv, _unit_proc())


def test_options_bounds_are_inclusive_where_documented() -> None:
    assert sizing.SizingOptions(target_util_pct=0.5).target_util_pct == 0.5
    assert sizing.SizingOptions(target_util_pct=100).target_util_pct == 100
    assert sizing.SizingOptions(cp_overhead_pct=99.5).cp_overhead_pct == 99.5
    for bad in ({"target_util_pct": 100.5}, {"cp_overhead_pct": 100}, {"cp_overhead_pct": 100.5}):
        with pytest.raises(InputError):
            sizing.SizingOptions(**bad)  # type: ignore[arg-type]


def test_mp_table_of_one_point_extrapolates_from_it() -> None:
    table = pd.DataFrame({"per_engine_frac": [1.0]}, index=pd.Index([1]))
    # beyond 1-way: 0.8840 − 0.07675 · ln(n), never above the last value 1.0
    assert float(sizing.mp_per_engine_frac(1.5, table)) == pytest.approx(
        0.8840 - 0.07675 * math.log(1.5)
    )
    assert float(sizing.mp_per_engine_frac(1, table)) == 1.0


def test_size_columns_without_a_cores_column() -> None:
    cols = {
        "server": ["a", "b"],
        "role": ["x", "y"],
        "count": np.array([1, 1]),
        "workload_class": ["web", "web"],
        "capacity": np.array([12_000.0, 4000.0]),
        "capacity_unit": ["tpm", "mhz"],
        "util_peak_pct": np.array([50.0, 50.0]),
        "util_avg_pct": np.array([10.0, 20.0]),
    }
    out = sizing.size_columns(
        cols,
        _unit_proc(engine_mips_1way=100.0),
        sizing.SizingOptions(),
        sizing.SizingTables.bundled(),
    )
    # a: 6,000 tpm / web 80; b: 2,000 MHz = 500 MIPS at mixed (77) -> web 80
    assert out.servers["mips_typical"].tolist() == pytest.approx([75.0, 500 * 77 / 80])


def test_a_canonical_inventory_is_not_validated_again(monkeypatch: pytest.MonkeyPatch) -> None:
    inv, _ = read_inventory("data/examples/xyz_inventory.csv")
    want = sizing.size_inventory(inv, "z15").total

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("validated again")

    monkeypatch.setattr(sizing, "validate_inventory", refuse)
    assert sizing.size_inventory(inv, "z15").total == want
    for raw in (inv.drop(columns="count"), inv.assign(count=inv["count"].astype(float))):
        with pytest.raises(AssertionError, match="validated again"):
            sizing.size_inventory(raw, "z15")
    bare = inv.copy()
    bare.attrs = {}
    with pytest.raises(AssertionError, match="validated again"):
        sizing.size_inventory(bare, "z15")


def test_size_columns_with_a_point_wlf_and_a_unit_without_a_conversion() -> None:
    units = reference.capacity_units().copy()
    units.loc["mymips"] = units.loc["mips"]
    units.loc["mymips", "mips_per_unit"] = np.nan  # blank: the capacity is taken as MIPS
    tables = sizing.SizingTables.from_frames(reference.workload_classes(), units)
    cols = {
        "server": ["a", "b"],
        "role": ["x", "y"],
        "count": np.array([1, 1]),
        "workload_class": ["web", "web"],
        "capacity": np.array([12_000.0, 500.0]),
        "capacity_unit": ["tpm", "mymips"],
        "util_peak_pct": np.array([50.0, 50.0]),
        "util_avg_pct": np.array([10.0, 20.0]),
        "tpm_per_mips": np.array([100.0, np.nan]),  # no _low / _high columns: a point
    }
    out = sizing.size_columns(
        cols, _unit_proc(engine_mips_1way=100.0), sizing.SizingOptions(), tables
    )
    s = out.servers
    # a: 6,000 tpm / 100 at every bound; b: 250 MIPS, no class conversion
    assert s["mips_low"].tolist() == pytest.approx([60.0, 250.0])
    assert s["mips_typical"].tolist() == pytest.approx([60.0, 250.0])
    assert s["mips_high"].tolist() == pytest.approx([60.0, 250.0])
    assert s["wlf_source"] == ["per-server tpm_per_mips", "capacity_unit (no class conversion)"]
    # tables whose unit names and per-core units differ in length are refused
    bad = dataclasses.replace(tables, unit_per_core=tables.unit_per_core[:-1])  # type: ignore[index]
    with pytest.raises(ValueError, match="zip"):
        sizing.size_columns(cols, _unit_proc(), sizing.SizingOptions(), bad)


def test_whole_number_class_table_and_a_fractional_point_wlf() -> None:
    classes = reference.workload_classes().copy()
    classes["nway16_uplift_frac"] = 0  # every tpm/MIPS column a whole number
    inv = validate_inventory(
        pd.DataFrame(
            [
                {
                    "server": "a",
                    "role": "x",
                    "capacity": 37_500.0,
                    "capacity_unit": "tpm",
                    "util_avg_pct": 10.0,
                    "util_peak_pct": 37.0,
                    "memory_mib": 512.0,
                    "disk_gib": 10.0,
                    "workload_class": "web",
                    "tpm_per_mips": 37.5,
                }
            ]
        ),
        source="test",
        workload_table=classes,
    )
    res = sizing.size_inventory(inv, _unit_proc(), workload_table=classes, **FLAT_KW)
    # 37 % of 37,500 tpm = 13,875 tpm at 37.5 tpm/MIPS = 370 MIPS
    assert res.servers["mips_typical"].tolist() == pytest.approx([370.0])
    assert res.servers["tpm_per_mips_typical"].tolist() == [37.5]


def test_cores_of_another_length_than_the_units_are_refused() -> None:
    cols = {
        "server": ["a", "b"],
        "role": ["x", "y"],
        "count": np.array([1, 1]),
        "workload_class": ["web", "web"],
        "capacity": np.array([1.0, 2.0]),
        "capacity_unit": ["mhz_per_core", "mhz_per_core"],
        "cores": np.array([2.0]),
        "util_peak_pct": np.array([30.0, 40.0]),
        "util_avg_pct": np.array([10.0, 20.0]),
    }
    with pytest.raises(ValueError, match="zip"):
        sizing.size_columns(
            cols, _unit_proc(), sizing.SizingOptions(), sizing.SizingTables.bundled()
        )
