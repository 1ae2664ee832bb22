"""Reference catalogs: every row sourced, loaders validate, user tables replace bundled ones."""

from __future__ import annotations

import pandas as pd
import pytest

from colonykit import reference
from colonykit.errors import InputError, UnknownNameError

REQUIRED_MODELS = [
    "g5",
    "g6",
    "z900",
    "z990",
    "z9ec",
    "z10ec",
    "z196",
    "zec12",
    "z13",
    "z14",
    "z15",
    "z16",
    "z17",
]


@pytest.mark.parametrize("name", reference.bundled_tables())
def test_every_bundled_row_has_a_source_and_confidence(name: str) -> None:
    raw = pd.read_csv(reference.DATA_DIR / f"{name}.csv")
    assert "source" in raw.columns
    assert raw["source"].map(lambda s: isinstance(s, str) and len(s.strip()) > 3).all()
    assert "confidence" in raw.columns, f"{name}.csv needs a confidence column"


def test_processor_catalog_covers_the_generations() -> None:
    procs = reference.processors()
    assert set(REQUIRED_MODELS) <= set(procs.index)
    assert (procs["engine_mips_1way"] > 0).all()
    assert procs.loc["z990", "engine_mips_1way"] == 450.0  # facts.md §1.4: 2084-301 = 450 zMIPS
    # SMT exists on IFLs from z13 on (facts.md §1.3)
    assert not procs.loc[
        ["g5", "g6", "z900", "z990", "z9ec", "z10ec", "z196", "zec12"], "smt_available"
    ].any()
    assert procs.loc[["z13", "z14", "z15", "z16", "z17"], "smt_available"].all()
    # derived rows say how they were derived
    derived = procs[procs["method"] != "lspr_published"]
    assert derived["derivation"].map(lambda s: isinstance(s, str) and len(s) > 10).all()


def test_mp_effect_matches_facts_table() -> None:
    mp = reference.mp_effect()
    # facts.md §1.4 (z990 LSPR): per-engine ÷ 1-way
    expected = {1: 1.000, 2: 0.950, 4: 0.908, 8: 0.845, 12: 0.784, 16: 0.731, 24: 0.641}
    for n, frac in expected.items():
        assert mp.loc[n, "per_engine_frac"] == pytest.approx(frac, abs=1e-3)
    assert mp["per_engine_frac"].is_monotonic_decreasing


def test_dasd_geometry_matches_facts() -> None:
    d = reference.dasd_models()
    assert d.loc["3390-9", "cylinders"] == 10017
    assert d.loc["3390-3", "cylinders"] * 15 * 56664 == 3339 * 849960  # bytes/cyl = 849,960


def test_workload_ranges_inside_seed_range() -> None:
    wc = reference.workload_classes()
    assert (wc["tpm_per_mips_low"] <= wc["tpm_per_mips_typical"]).all()
    assert (wc["tpm_per_mips_typical"] <= wc["tpm_per_mips_high"]).all()
    # seed 003 §2.4: 20..200 ("well over 200" for Samba: file-print may exceed)
    assert wc["tpm_per_mips_low"].min() >= 20


def test_constants_have_sources() -> None:
    c = reference.constants()
    assert reference.constant("cp_overhead_pct") == 5.0
    assert reference.constant("idle_guest_g5_engine_pct", "low") == 0.2
    assert c["source"].str.len().min() > 3


def test_user_table_replaces_bundled(tmp_path) -> None:
    p = tmp_path / "my_zpcr.csv"
    p.write_text(
        "model,engine_mips_1way,max_engines,smt_available,smt_uplift_frac_typical,source\n"
        "myz,1000,10,true,0.2,my zPCR study 2026-11\n"
    )
    procs = reference.processors(p)
    assert procs.loc["myz", "engine_mips_1way"] == 1000
    assert bool(procs.loc["myz", "smt_available"]) is True


def test_user_table_missing_column_is_a_clear_error(tmp_path) -> None:
    p = tmp_path / "bad.csv"
    p.write_text("model,engine_mips_1way,source\nx,1,y\n")
    with pytest.raises(InputError, match=r"missing column\(s\) \['max_engines'"):
        reference.processors(p)


def test_user_table_without_source_is_rejected(tmp_path) -> None:
    p = tmp_path / "nosrc.csv"
    p.write_text(
        "model,engine_mips_1way,max_engines,smt_available,smt_uplift_frac_typical,source\n"
        "x,1,1,false,0,\n"
    )
    with pytest.raises(InputError, match="'source' must be a non-empty citation"):
        reference.processors(p)


def test_unknown_names_list_the_valid_ones() -> None:
    with pytest.raises(
        UnknownNameError, match=r"unknown processor model 'z99'; expected one of \[.*'z15'"
    ):
        reference.lookup(reference.processors(), "z99", "processor model")
    with pytest.raises(KeyError):
        reference.constant("no_such_constant")
