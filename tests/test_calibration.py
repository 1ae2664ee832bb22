"""Issue 23 item 5: measured pairs recover a known factor; a study sets a server's capacity."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from colonykit import calibration, plan, sizing
from colonykit.errors import InputError
from colonykit.ingest import read_inventory


def _pairs(factor: float, noise: np.ndarray, cls: str = "mixed") -> pd.DataFrame:
    n = len(noise)
    cap = np.linspace(2000, 3400, n)  # MHz per core
    cores = np.arange(1, n + 1) % 8 + 1
    util = np.linspace(5, 80, n)
    rule = cap * cores * 0.25 * util / 100  # Barton: 4 MHz = 1 MIPS, at util (mixed = reference)
    return pd.DataFrame(
        {
            "workload_class": cls,
            "capacity": cap,
            "capacity_unit": "mhz_per_core",
            "cores": cores,
            "util_pct": util,
            "measured_mips": rule * factor * np.exp(noise),
        }
    )


def test_recovers_a_known_factor_exactly_without_noise() -> None:
    fit = calibration.fit_pairs(_pairs(0.37, np.zeros(6)))["mixed"]
    assert fit.factor == pytest.approx(0.37) and fit.gsd == pytest.approx(1.0)
    assert fit.factor_low == pytest.approx(0.37) == fit.factor_high and fit.n == 6


def test_fit_and_spread_by_hand_with_noise() -> None:
    noise = np.array([0.1, -0.1, 0.2, -0.2, 0.0])
    fit = calibration.fit_pairs(_pairs(2.5, noise))["mixed"]
    sd = np.std(noise, ddof=1)  # mean of the noise is 0: the geometric mean is the factor
    assert fit.factor == pytest.approx(2.5)
    assert fit.gsd == pytest.approx(math.exp(sd))
    assert fit.factor_low == pytest.approx(2.5 * math.exp(-2 * sd))
    assert fit.ratio_max == pytest.approx(2.5 * math.exp(0.2))
    assert fit.spread_pct == pytest.approx(100 * (math.exp(sd) - 1))


@settings(max_examples=30, deadline=None)
@given(st.floats(0.05, 20.0), st.integers(1, 12))
def test_property_any_factor_is_recovered(factor, n) -> None:
    fit = calibration.fit_pairs(_pairs(factor, np.zeros(n)))["mixed"]
    assert fit.factor == pytest.approx(factor, rel=1e-9)


def test_ifl_share_pairs() -> None:
    p = _pairs(1.0, np.zeros(3))
    p["measured_ifl_share"] = p.pop("measured_mips") * 3 / 2000.0  # 3x the rule on 2000-MIPS IFLs
    p["engine_mips"] = 2000.0
    assert calibration.fit_pairs(p)["mixed"].factor == pytest.approx(3.0)


def test_applied_calibration_scales_the_sizing_by_the_factor() -> None:
    inv, _ = read_inventory("data/examples/bitbrains_50vm_inventory.csv")
    fit = calibration.fit_pairs(_pairs(0.4, np.array([0.1, -0.1, 0.0])))
    cal = calibration.apply(inv, fit)
    a = sizing.size_inventory(inv, "z15").servers.set_index("server")
    b = sizing.size_inventory(cal, "z15").servers.set_index("server")
    np.testing.assert_allclose(b["mips_typical"], 0.4 * a["mips_typical"], rtol=1e-9)
    f = fit["mixed"]
    # bounds: MIPS low/high come from the fit's range, not from the WLF range any more
    np.testing.assert_allclose(b["mips_high"], f.factor_high * a["mips_typical"], rtol=1e-9)
    np.testing.assert_allclose(b["mips_low"], f.factor_low * a["mips_typical"], rtol=1e-9)
    assert set(cal["conversion"]) == {
        "measured pairs (measured pairs): class mixed x0.4 (n=3, spread 11 %)"
    }


def test_study_sets_the_server_capacity(tmp_path) -> None:
    inv, _ = read_inventory("data/examples/bitbrains_50vm_inventory.csv")
    st_path = tmp_path / "study.csv"
    st_path.write_text("server,mips,source\n1,1234.5,zPCR run 2026-11\n2,10,zPCR run 2026-11\n")
    cal = calibration.apply(inv, study=calibration.read_study(st_path))
    s = sizing.size_inventory(cal, "z15").servers.set_index("server")
    # MIPS needed = peak util x the study's full-capacity MIPS, the same at every bound
    u = inv.set_index("server").loc["1", "util_peak_pct"]
    for b in ("low", "typical", "high"):
        assert s.loc["1", f"mips_{b}"] == pytest.approx(u / 100 * 1234.5)
    assert cal.set_index("server").loc["1", "conversion"] == "study zPCR run 2026-11"
    assert calibration.conversion_summary(cal)["rule of thumb"] == 48  # 2 of 50 studied
    bad = tmp_path / "bad.csv"
    bad.write_text("server,mips\nnope,10\n")
    with pytest.raises(InputError, match="not in the inventory"):
        calibration.apply(inv, study=calibration.read_study(bad))


def test_bad_pairs_are_refused_with_line_numbers() -> None:
    p = _pairs(1.0, np.zeros(2))
    p.loc[1, "util_pct"] = 0
    with pytest.raises(InputError, match="line 3"):
        calibration.fit_pairs(p)
    with pytest.raises(InputError, match="missing column"):
        calibration.fit_pairs(p.drop(columns=["measured_mips"]))


def test_plan_with_calibration_names_the_conversion(tmp_path) -> None:
    pairs = tmp_path / "pairs.csv"
    _pairs(0.5, np.array([0.05, -0.05, 0.0])).to_csv(pairs, index=False)
    scen = plan.load_scenario("data/examples/bitbrains_colony.yaml")
    data = scen.model_dump()
    data["target"]["calibration"] = str(pairs)
    s = plan.parse_scenario(data, "bitbrains_colony.yaml", "data/examples")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = plan.build_plan(s, stagger_traces=False)
    v = r.plan.evidence.confidence.values
    assert "measured pairs (pairs.csv): class mixed x0.5" in str(v["conversion_servers"])
    assert str(v["cpu_conversion"]).startswith("high")  # every row is class mixed: all calibrated
