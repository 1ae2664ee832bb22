"""Sizing pinned by hand, part 2 (issue 27 §2: the whole module mutated).

The functions behind the printed figures that round 8 added or moved (``size_columns``,
``SizingTables``, ``_engine_rows``, ``_idle_rows``, ``_g5_mips``, ``resize``,
``engines_for_counts``, ``TargetProcessor.from_bundled``), the assumptions list, the summary
line and the trace-unit converters.  Every expected value is worked out here from the bundled
CSV tables (read with the csv module in this file, not through colonykit) and the inputs, or
is the same sizing done a second way (``size_inventory`` afresh for ``resize`` and
``engines_for_counts``; the pandas catalog for the csv-module one).
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


def _inv(*rows: dict[str, object]) -> pd.DataFrame:
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
    return _inv(
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
    inv = _inv(
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
    inv = _inv({"server": "c", "capacity": 60_000.0, "capacity_unit": "tpm", "util_peak_pct": 10.0})
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
    inv = _inv({"server": "a", "capacity": 2000.0, "util_peak_pct": 50.0})  # 1,000 MIPS each
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
        match=r"^cannot convert traces from cpu_pct to mips without each server's capacity ",
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
