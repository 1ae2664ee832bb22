"""Inventory reader: canonical columns, aliases, Excel, and every bad row reported at once."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from colonykit.errors import InputError
from colonykit.ingest import read_inventory

HEADER = "server,role,capacity,capacity_unit,util_avg_pct,util_peak_pct,workload_class,memory_mib,disk_gib"


def write(tmp_path: Path, text: str, name: str = "inv.csv") -> Path:
    p = tmp_path / name
    p.write_text(text)
    return p


def test_reads_the_xyz_example() -> None:
    inv, meta = read_inventory("data/examples/xyz_inventory.csv")
    assert list(inv["server"]) == ["file", "dns", "firewall", "web"]
    assert meta["servers"] == 26  # seed 003 Table 2-1: 10 + 4 + 2 + 10
    assert inv["count"].tolist() == [10, 4, 2, 10]
    assert inv["util_avg_pct"].tolist() == [10, 15, 15, 15]


def test_aliases_and_defaults(tmp_path: Path) -> None:
    p = write(
        tmp_path,
        "Hostname,Function,capacity,unit,util_avg,util_peak,class,memory_mb,disk_gb\n"
        "a,web,1000,tpm,10,20,web,512,10\n",
    )
    inv, _ = read_inventory(p)
    assert inv.loc[0, "server"] == "a" and inv.loc[0, "count"] == 1
    assert pd.isna(inv.loc[0, "tpm_per_mips"])


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (
            "a,web,1000,tpm,-5,20,web,512,10",
            "'util_avg_pct' must be in 0..100 (got -5.0) at inv.csv line 2",
        ),
        (
            "a,web,1000,tpm,10,140,web,512,10",
            "'util_peak_pct' must be in 0..100 (got 140.0) at inv.csv line 2",
        ),
        ("a,web,1000,tpm,10,20,dbx,512,10", "'workload_class' must be one of"),
        ("a,web,1000,furlongs,10,20,web,512,10", "'capacity_unit' must be one of"),
        (
            "a,web,abc,tpm,10,20,web,512,10",
            "'capacity' must be a number > 0 (got 'abc') at inv.csv line 2",
        ),
        ("a,web,1000,tpm,30,20,web,512,10", "'util_peak_pct' must be >= 'util_avg_pct'"),
        ("a,web,1000,tpm,10,20,web,0,10", "'memory_mib' must be > 0 (got 0.0)"),
        (",web,1000,tpm,10,20,web,512,10", "'server' must be a non-empty name"),
    ],
)
def test_bad_values_name_file_line_field_and_range(tmp_path: Path, row: str, expected: str) -> None:
    p = write(tmp_path, f"{HEADER}\n{row}\n")
    with pytest.raises(InputError) as exc:
        read_inventory(p)
    assert any(expected in prob for prob in exc.value.problems), exc.value.problems


def test_all_problems_reported_together(tmp_path: Path) -> None:
    p = write(
        tmp_path,
        f"{HEADER}\n"
        "a,web,1000,tpm,10,20,web,512,10\n"
        "b,web,1000,tpm,10,140,web,512,10\n"
        "c,web,1000,tpm,10,20,nope,512,10\n"
        "a,web,1000,tpm,10,20,web,512,10\n",
    )
    with pytest.raises(InputError) as exc:
        read_inventory(p)
    probs = exc.value.problems
    assert len(probs) == 3
    assert "line 3" in probs[0] and "line 4" in probs[1] and "line 5" in probs[2]
    assert "3 problem(s)" in str(exc.value)


def test_missing_column(tmp_path: Path) -> None:
    p = write(tmp_path, "server,capacity\na,1\n")
    with pytest.raises(InputError, match=r"missing required column\(s\) \['role', 'capacity_unit'"):
        read_inventory(p)


def test_empty_file_and_header_only(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="the file is empty"):
        read_inventory(write(tmp_path, ""))
    with pytest.raises(InputError, match="no data rows"):
        read_inventory(write(tmp_path, HEADER + "\n", "h.csv"))


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not found"):
        read_inventory(tmp_path / "nope.csv")
    with pytest.raises(InputError, match="directory"):
        read_inventory(tmp_path)


def test_per_core_unit_needs_cores(tmp_path: Path) -> None:
    p = write(tmp_path, f"{HEADER}\na,web,1000,mhz_per_core,10,20,web,512,10\n")
    with pytest.raises(InputError, match="'cores' must be given"):
        read_inventory(p)


def test_count_must_be_whole(tmp_path: Path) -> None:
    p = write(tmp_path, f"{HEADER},count\na,web,1000,tpm,10,20,web,512,10,2.5\n")
    with pytest.raises(InputError, match="'count' must be a whole number >= 1"):
        read_inventory(p)


def test_excel_inventory(tmp_path: Path) -> None:
    inv, _ = read_inventory("data/examples/xyz_inventory.csv")
    p = tmp_path / "inv.xlsx"
    inv.drop(columns=["tpm_per_mips_low", "tpm_per_mips_high"]).to_excel(p, index=False)
    back, meta = read_inventory(p)
    assert meta["format"] == "excel"
    pd.testing.assert_series_equal(back["util_peak_pct"], inv["util_peak_pct"])
    bad = inv.copy()
    bad.loc[2, "util_avg_pct"] = 101
    bad.to_excel(p, index=False)
    with pytest.raises(InputError, match="at inv.xlsx row 4"):
        read_inventory(p)
