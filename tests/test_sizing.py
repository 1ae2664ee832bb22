"""WLF sizing: values computed by hand from the seed's formula, properties, and bad input."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from colonykit import reference, sizing
from colonykit.errors import InputError, UnknownNameError
from colonykit.ingest import read_inventory, validate_inventory

COLS = dict(role="x", capacity_unit="tpm", util_avg_pct=10.0, memory_mib=512.0, disk_gib=10.0)


def inv_of(rows: list[dict]) -> pd.DataFrame:
    return validate_inventory(pd.DataFrame([{**COLS, **r} for r in rows]), source="test")


def test_formula_by_hand() -> None:
    # seed 003 §2.4: MIPS = util × capacity × WLF, WLF = 1 / (tpm/MIPS)
    assert float(sizing.mips_needed(25, 40_000, 100)) == 100.0
    assert np.allclose(sizing.mips_needed([0, 50, 100], 8_000, 80), [0, 50, 100])


def test_tpm_override_is_exact() -> None:
    inv = inv_of(
        [
            {
                "server": "a",
                "capacity": 37_500,
                "util_peak_pct": 37.0,
                "workload_class": "web",
                "tpm_per_mips": 123.0,
            }
        ]
    )
    res = sizing.size_inventory(inv, "z15")
    row = res.servers.iloc[0]
    assert row["mips_typical"] == 37.0 / 100 * 37_500 / 123.0
    # a point override collapses the range
    assert row["mips_low"] == row["mips_typical"] == row["mips_high"]


def test_class_range_by_hand() -> None:
    # web: 40 / 80 / 150 tpm/MIPS (workload_classes.csv); 30 % of 60,000 tpm = 18,000 tpm
    inv = inv_of(
        [{"server": "w", "capacity": 60_000, "util_peak_pct": 30.0, "workload_class": "web"}]
    )
    res = sizing.size_inventory(inv, "z15")
    r = res.servers.iloc[0]
    assert r["mips_low"] == pytest.approx(18_000 / 150)
    assert r["mips_typical"] == pytest.approx(18_000 / 80)
    assert r["mips_high"] == pytest.approx(18_000 / 40)


def test_mhz_units_via_barton_and_reference_class() -> None:
    # 2 cores × 1400 MHz = 2800 MHz -> 700 MIPS at the reference class (Barton: 4 MHz ~ 1 MIPS).
    # file-print typical 200 tpm/MIPS vs mixed typical 77 -> 700 × 77 / 200 = 269.5 MIPS at 100 %
    inv, _ = read_inventory("data/examples/xyz_inventory.csv")
    res = sizing.size_inventory(inv, "z15", basis="avg")
    file_row = res.servers.set_index("server").loc["file"]
    assert file_row["mips_typical"] == pytest.approx(0.10 * 2800 / 4 * 77 / 200)
    assert file_row["mips_typical_total"] == pytest.approx(10 * 0.10 * 2800 / 4 * 77 / 200)
    assert float(sizing.capacity_to_mips(2800, "mhz")) == pytest.approx(700.0)


def test_mips_unit_is_not_converted_by_class() -> None:
    inv = inv_of(
        [
            {
                "server": "m",
                "capacity": 500,
                "capacity_unit": "mips",
                "util_peak_pct": 40.0,
                "workload_class": "database",
            }
        ]
    )
    r = sizing.size_inventory(inv, "z15").servers.iloc[0]
    assert r["mips_low"] == r["mips_typical"] == r["mips_high"] == pytest.approx(200.0)


def test_engines_by_hand_z990() -> None:
    # 900 MIPS on z990 (450 MIPS 1-way), 90 % target, 5 % CP, no uplift:
    # required = 900 / 0.95 / 0.90 = 1052.6; 2-way = 855 < 1052.6; 3-way = 3 × 450 × 0.927 = 1251.5
    inv = inv_of(
        [
            {
                "server": "a",
                "capacity": 90_000,
                "util_peak_pct": 100.0,
                "workload_class": "",
                "tpm_per_mips": 100.0,
            }
        ]
    )
    res = sizing.size_inventory(
        inv, "z990", nway_uplift=False, target_util_pct=90, cp_overhead_pct=5
    )
    t = res.target.loc["typical"]
    assert t["required_mips"] == pytest.approx(900 / 0.95 / 0.90)
    assert t["engines"] == 3
    assert t["capacity_mips"] == pytest.approx(3 * 450 * 0.927)


def test_nway_uplift_by_hand() -> None:
    # uplift(n) = 0.30 × log2(n)/log2(16): 2-way 7.5 %, 16-way 30 % (seed 003 §2.5)
    assert float(sizing.nway_uplift_frac(2)) == pytest.approx(0.075)
    assert float(sizing.nway_uplift_frac(16)) == pytest.approx(0.30)
    assert float(sizing.nway_uplift_frac(64)) == pytest.approx(0.30)
    inv = inv_of(
        [
            {
                "server": "a",
                "capacity": 90_000,
                "util_peak_pct": 100.0,
                "workload_class": "",
                "tpm_per_mips": 100.0,
            }
        ]
    )
    res = sizing.size_inventory(inv, "z990", target_util_pct=90, cp_overhead_pct=5)
    t = res.target.loc["typical"]
    g3 = 0.30 * math.log2(3) / 4
    assert t["engines"] == 3
    assert t["guest_mips"] == pytest.approx(900 / (1 + g3))


def test_mp_interpolation_and_extrapolation() -> None:
    assert float(sizing.mp_per_engine_frac(24)) == pytest.approx(0.641)
    assert float(sizing.mp_per_engine_frac(100)) == pytest.approx(0.8840 - 0.07675 * math.log(100))
    assert float(sizing.mp_per_engine_frac(25)) <= 0.641
    # z990 LSPR: 4-way 1634 zMIPS
    assert float(sizing.engine_capacity_mips(4, 450.0)) == pytest.approx(1634, abs=1)


def test_smt_raises_capacity_and_is_refused_without_support() -> None:
    inv, _ = read_inventory("data/examples/xyz_inventory.csv")
    with pytest.raises(InputError, match="has no SMT"):
        sizing.size_inventory(inv, "z990", smt=True)
    off = sizing.size_inventory(inv, "z13", smt=False)
    on = sizing.size_inventory(inv, "z13", smt=True)
    uplift = reference.processors().loc["z13", "smt_uplift_frac_typical"]
    n = int(on.target.loc["typical", "engines"])
    assert on.target.loc["typical", "capacity_mips"] == pytest.approx(
        float(sizing.engine_capacity_mips(n, on.processor.engine_mips_1way)) * (1 + uplift)
    )
    assert on.engines["high"] <= off.engines["high"]


def test_idle_guest_overhead_by_hand() -> None:
    inv, _ = read_inventory("data/examples/xyz_inventory.csv")
    with_timer = sizing.size_inventory(inv, "z15", on_demand_timer=True)
    no_timer = sizing.size_inventory(inv, "z15", on_demand_timer=False)
    g5 = reference.processors().loc["g5", "engine_mips_1way"]
    # seed 003 §8.17.7: 0.2 / 0.25 / 0.3 % of a G5 engine per guest; 26 guests
    for b, pct in (("low", 0.2), ("typical", 0.25), ("high", 0.3)):
        assert no_timer.target.loc[b, "idle_guest_mips"] == pytest.approx(26 * pct / 100 * g5)
        assert with_timer.target.loc[b, "idle_guest_mips"] == 0.0


def test_assumptions_are_recorded_with_sources() -> None:
    inv, _ = read_inventory("data/examples/xyz_inventory.csv")
    res = sizing.size_inventory(inv, "z16")
    names = {a["name"] for a in res.assumptions}
    assert {
        "target_util_pct",
        "cp_overhead_pct",
        "engine_mips_1way",
        "mp_effect",
        "nway_uplift",
        "capacity_unit:mhz_per_core",
        "workload_class:web",
        "reference_class",
    } <= names
    assert all(a["source"] for a in res.assumptions)
    d = res.to_dict()
    assert set(d) == {"servers", "total", "target"}
    assert (
        d["target"]["engines_low"] <= d["target"]["engines_typical"] <= d["target"]["engines_high"]
    )


def test_unknown_target_and_bad_options() -> None:
    inv, _ = read_inventory("data/examples/xyz_inventory.csv")
    with pytest.raises(UnknownNameError, match="unknown processor model 'z99'"):
        sizing.size_inventory(inv, "z99")
    with pytest.raises(InputError, match="'target_util_pct' must be in 0..100"):
        sizing.size_inventory(inv, "z15", target_util_pct=0)
    with pytest.raises(InputError, match="'basis' must be one of"):
        sizing.size_inventory(inv, "z15", basis="p95")


# ----------------------------------------------------------------------------- properties
utils = st.floats(0, 100, allow_nan=False)
caps = st.floats(1, 1e7, allow_nan=False)
wlfs = st.floats(1, 1000, allow_nan=False)


@given(utils, utils, caps, wlfs)
def test_mips_monotone_in_utilization(u1: float, u2: float, cap: float, w: float) -> None:
    lo, hi = sorted((u1, u2))
    assert sizing.mips_needed(lo, cap, w) <= sizing.mips_needed(hi, cap, w)


@given(utils, caps, caps, wlfs)
def test_mips_monotone_in_capacity(u: float, c1: float, c2: float, w: float) -> None:
    lo, hi = sorted((c1, c2))
    assert sizing.mips_needed(u, lo, w) <= sizing.mips_needed(u, hi, w)


@given(
    st.lists(
        st.tuples(
            utils,
            st.floats(100, 1e6),
            st.sampled_from(
                ["cpu-bound", "mixed", "web", "infrastructure", "database", "file-print"]
            ),
        ),
        min_size=1,
        max_size=8,
    ),
    st.sampled_from(["z990", "z196", "z15", "z17"]),
)
def test_low_le_typical_le_high(rows, model) -> None:
    inv = inv_of(
        [
            {
                "server": f"s{i}",
                "capacity": c,
                "util_peak_pct": u,
                "util_avg_pct": min(u, 10.0),
                "workload_class": wc,
            }
            for i, (u, c, wc) in enumerate(rows)
        ]
    )
    res = sizing.size_inventory(inv, model)
    s = res.servers
    assert (s["mips_low"] <= s["mips_typical"] + 1e-9).all()
    assert (s["mips_typical"] <= s["mips_high"] + 1e-9).all()
    e = res.engines
    assert e["low"] <= e["typical"] <= e["high"]


@given(st.floats(1, 50_000), st.floats(1, 50_000), st.sampled_from(["z990", "z14", "z17"]))
def test_engines_monotone_in_mips(m1: float, m2: float, model: str) -> None:
    lo, hi = sorted((m1, m2))

    def engines(m: float) -> int:
        inv = inv_of(
            [
                {
                    "server": "a",
                    "capacity": m,
                    "capacity_unit": "mips",
                    "util_peak_pct": 100.0,
                    "workload_class": "mixed",
                }
            ]
        )
        return sizing.size_inventory(inv, model).engines["typical"]

    assert engines(lo) <= engines(hi)


@given(st.integers(1, 300))
def test_capacity_increases_with_engines(n: int) -> None:
    c = sizing.engine_capacity_mips(np.array([n, n + 1]), 1000.0)
    assert c[1] > c[0]
