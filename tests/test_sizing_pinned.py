"""Sizing figures pinned by hand (issue 27 §2: the mutants the sizing tests left alive).

Each value is worked out here from the formula in the function's docstring, the bundled tables
(workload_classes.csv: web 40 / 80 / 150 tpm/MIPS, mixed typical 77; capacity_units.csv: Barton's
0.25 MIPS per MHz; xen_host_cores.csv; mp_effect.csv: 2-way 0.950, 3-way 0.927) and the inputs,
at points where a changed operator, constant or argument gives a different number.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from colonykit import sizing
from colonykit.errors import InputError, UnknownNameError
from colonykit.ingest import validate_inventory

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
