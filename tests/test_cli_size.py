"""`colonykit size`: the fixed JSON contract, exit codes and error messages."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from colonykit.cli import main

XYZ = "data/examples/xyz_inventory.csv"


def run_cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_json_contract(capsys) -> None:
    code, out, err = run_cli(capsys, "size", XYZ, "--target", "z15", "--format", "json")
    assert code == 0, err
    doc = json.loads(out)
    assert set(doc) == {"servers", "total", "target"}
    assert {"server", "mips_low", "mips_typical", "mips_high"} <= set(doc["servers"][0])
    assert set(doc["total"]) == {"mips_low", "mips_typical", "mips_high"}
    t = doc["target"]
    assert {"model", "engines_low", "engines_typical", "engines_high", "assumptions"} <= set(t)
    assert t["model"] == "z15"
    # totals are the count-weighted sum of the per-server figures
    total = sum(s["mips_typical"] * s["count"] for s in doc["servers"])
    assert doc["total"]["mips_typical"] == pytest.approx(total)


def test_tpm_override_exact_through_cli(capsys, tmp_path: Path) -> None:
    p = tmp_path / "inv.csv"
    p.write_text(
        "server,role,capacity,capacity_unit,util_avg_pct,util_peak_pct,workload_class,"
        "memory_mib,disk_gib,tpm_per_mips\n"
        "db1,db,123456,tpm,17,33,database,4096,100,87\n"
    )
    for basis, util in (("avg", 17), ("peak", 33)):
        code, out, _ = run_cli(
            capsys, "size", str(p), "--target", "z16", "--basis", basis, "--format", "json"
        )
        assert code == 0
        s = json.loads(out)["servers"][0]
        assert s["mips_typical"] == util / 100 * 123456 / 87


def test_options_change_the_answer(capsys) -> None:
    _, a, _ = run_cli(
        capsys, "size", XYZ, "--target", "z990", "--target-util-pct", "90", "--format", "json"
    )
    _, b, _ = run_cli(
        capsys, "size", XYZ, "--target", "z990", "--target-util-pct", "50", "--format", "json"
    )
    assert json.loads(b)["target"]["engines_high"] > json.loads(a)["target"]["engines_high"]
    _, c, _ = run_cli(capsys, "size", XYZ, "--target", "z15", "--smt", "--format", "json")
    names = {x["name"]: x for x in json.loads(c)["target"]["assumptions"]}
    assert names["smt"]["value"] is True and names["smt_uplift_frac"]["value"] == 0.25


def test_table_output(capsys) -> None:
    code, out, _ = run_cli(capsys, "size", XYZ, "--target", "z15")
    assert code == 0 and "z15 engines" in out and "mips_typical" in out


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["size", "nope.csv", "--target", "z15"], "inventory file not found"),
        (["size", XYZ, "--target", "z99"], "unknown processor model 'z99'"),
        (["size", XYZ, "--target", "z990", "--smt"], "has no SMT"),
        (["size", XYZ, "--target", "z15", "--target-util-pct", "140"], "must be in 0..100"),
        (["size", XYZ, "--target", "z15", "--basis", "p99"], "invalid choice"),
        (["size", XYZ], "--target"),
    ],
)
def test_bad_input_exit_2_with_error(capsys, args: list[str], needle: str) -> None:
    with pytest.raises(SystemExit) as ex:
        code = main(args)
        raise SystemExit(code)
    assert ex.value.code == 2
    err = capsys.readouterr().err
    assert "error:" in err and needle in err
    assert "Traceback" not in err


def test_bad_rows_listed(capsys, tmp_path: Path) -> None:
    p = tmp_path / "inv.csv"
    p.write_text(
        "server,role,capacity,capacity_unit,util_avg_pct,util_peak_pct,workload_class,memory_mib,disk_gib\n"
        "a,web,1000,tpm,10,140,web,512,10\n"
        "b,web,1000,tpm,10,20,dbx,512,10\n"
    )
    code, _, err = run_cli(capsys, "size", str(p), "--target", "z15")
    assert code == 2
    assert "'util_peak_pct' must be in 0..100 (got 140.0) at inv.csv line 2" in err
    assert "'workload_class' must be one of" in err and "line 3" in err


def test_console_script_subprocess() -> None:
    exe = Path(sys.executable).with_name("colonykit")
    r = subprocess.run(
        [str(exe), "size", XYZ, "--target", "z15", "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["target"]["model"] == "z15"
    r = subprocess.run(
        [str(exe), "size", "missing.csv", "--target", "z15"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert r.returncode == 2 and r.stderr.startswith("error:")


def test_own_workload_class_table(capsys, tmp_path: Path) -> None:
    classes = tmp_path / "classes.csv"
    classes.write_text(
        "workload_class,tpm_per_mips_low,tpm_per_mips_typical,tpm_per_mips_high,"
        "nway16_uplift_frac,source\n"
        "sap,60,90,120,0.3,our benchmark 2026-10\n"
        "mixed,30,77,200,0.3,seed 003 §2.5\n"
    )
    inv = tmp_path / "inv.csv"
    inv.write_text(
        "server,role,capacity,capacity_unit,util_avg_pct,util_peak_pct,workload_class,"
        "memory_mib,disk_gib\n"
        "erp,app,90000,tpm,20,40,sap,8192,200\n"
    )
    code, out, err = run_cli(
        capsys,
        "size",
        str(inv),
        "--target",
        "z16",
        "--workload-classes",
        str(classes),
        "--format",
        "json",
    )
    assert code == 0, err
    s = json.loads(out)["servers"][0]
    assert (s["mips_low"], s["mips_typical"], s["mips_high"]) == pytest.approx(
        (0.4 * 90000 / 120, 0.4 * 90000 / 90, 0.4 * 90000 / 60)
    )
    # the bundled table does not know 'sap'
    code, _, err = run_cli(capsys, "size", str(inv), "--target", "z16")
    assert code == 2 and "'workload_class' must be one of" in err
