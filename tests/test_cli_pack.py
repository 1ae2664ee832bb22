"""``colonykit pack`` / ``colonykit stagger`` CLI contract."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from colonykit.cli import main

KEYS = {"hosts_used", "lower_bound", "ffd_peak_hosts", "assignment"}


@pytest.fixture()
def complementary(tmp_path: Path) -> Path:
    path = tmp_path / "wide.csv"
    path.write_text("step,web,batch,db\n0,60,10,10\n1,10,60,10\n2,10,10,60\n", encoding="utf-8")
    return path


@pytest.fixture()
def backups(tmp_path: Path) -> Path:
    """Two servers at 5 % with a 50 % backup 02:00-03:00 on two days, 30-minute steps."""
    idx = pd.date_range("2024-03-04", periods=96, freq="30min", tz="UTC", name="timestamp")
    day = np.full(48, 5.0)
    day[4:6] = 50.0
    path = tmp_path / "backups.csv"
    pd.DataFrame({"db0": np.tile(day, 2), "db1": np.tile(day, 2)}, index=idx).to_csv(path)
    return path


def _json(capsys: pytest.CaptureFixture[str], argv: list[str]) -> dict:
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


def test_pack_json_contract(capsys: pytest.CaptureFixture[str], complementary: Path) -> None:
    out = _json(capsys, ["pack", str(complementary), "--host-capacity", "100", "--format", "json"])
    assert KEYS <= set(out)
    # composite is 80 at every step -> 1 host; peaks 60 + 60 > 100 -> FFD needs 3
    assert (out["hosts_used"], out["lower_bound"], out["ffd_peak_hosts"]) == (1, 1, 3)
    assert out["assignment"] == {"web": "host0", "batch": "host0", "db": "host0"}


def test_pack_max_util(capsys: pytest.CaptureFixture[str], complementary: Path) -> None:
    out = _json(
        capsys,
        [
            "pack",
            str(complementary),
            "--host-capacity",
            "100",
            "--max-util-pct",
            "70",
            "--format",
            "json",
        ],
    )
    assert (out["hosts_used"], out["lower_bound"], out["capacity"]) == (2, 2, 70.0)
    assert len(set(out["assignment"].values())) == 2


def test_pack_anti_affinity_and_table(
    capsys: pytest.CaptureFixture[str], complementary: Path
) -> None:
    out = _json(
        capsys,
        [
            "pack",
            str(complementary),
            "--host-capacity",
            "100",
            "--anti-affinity",
            "web,db",
            "--format",
            "json",
        ],
    )
    assert out["assignment"]["web"] != out["assignment"]["db"] and out["hosts_used"] == 2
    # the anti-affine pair cannot share a host: the clique bound proves 2 is optimal
    assert (out["lower_bound"], out["bound"], out["gap_hosts"]) == (2, "clique", 0)
    assert main(["pack", str(complementary), "--host-capacity", "100"]) == 0
    text = capsys.readouterr().out
    assert "hosts used: 1" in text and "peak-based FFD: 3" in text
    assert "lower bound: 1 (composite bound)   gap: 0 host(s)" in text


def test_pack_planetlab_directory(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    out = _json(
        capsys,
        [
            "pack",
            str(data_dir / "traces" / "planetlab_20110303"),
            "--host-capacity",
            "1000",
            "--format",
            "json",
        ],
    )
    # composite peak 14,326 cpu % -> at least 15 hosts of 1000 points
    assert out["lower_bound"] == 15 and out["hosts_used"] >= 15
    assert len(out["assignment"]) == 1052 and out["ffd_peak_hosts"] > out["hosts_used"]


def test_pack_shared_planetlab_as_is(capsys: pytest.CaptureFixture[str], shared_data: Path) -> None:
    out = _json(
        capsys,
        [
            "pack",
            str(shared_data / "planetlab" / "20110303"),
            "--host-capacity",
            "1000",
            "--max-util-pct",
            "90",
            "--format",
            "json",
        ],
    )
    assert out["lower_bound"] == 16  # ceil(14,326 / 900)
    assert out["lower_bound"] <= out["hosts_used"] < out["ffd_peak_hosts"]


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["--host-capacity", "0"], "must be > 0"),
        (["--host-capacity", "-3"], "must be > 0"),
        (["--host-capacity", "abc"], "must be a number"),
        (["--host-capacity", "100", "--max-util-pct", "0"], "must be in 0..100"),
        (["--host-capacity", "100", "--max-util-pct", "120"], "must be in 0..100"),
        (
            ["--host-capacity", "100", "--anti-affinity", "web"],
            "'--anti-affinity' must be two server names",
        ),
        (["--host-capacity", "100", "--anti-affinity", "web,nope"], "unknown server 'nope'"),
        (["--host-capacity", "50"], "exceed one host's usable capacity 50"),
    ],
)
def test_pack_bad_input(
    capsys: pytest.CaptureFixture[str], complementary: Path, argv: list[str], needle: str
) -> None:
    assert _code(["pack", str(complementary), *argv]) == 2
    err = capsys.readouterr().err
    assert "error:" in err and needle in err and "Traceback" not in err


def _code(argv: list[str]) -> int:
    """Exit code of the CLI, whether argparse exits or the handler returns."""
    try:
        return main(argv)
    except SystemExit as exc:
        return int(exc.code or 0)


def test_pack_missing_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["pack", str(tmp_path / "nope.csv"), "--host-capacity", "10"]) == 2
    assert "error:" in capsys.readouterr().err


def test_stagger_windows_csv(
    capsys: pytest.CaptureFixture[str], backups: Path, tmp_path: Path
) -> None:
    windows = tmp_path / "windows.csv"
    windows.write_text(
        "server,earliest,latest,duration,start\n"
        "db0,00:00,06:00,1h,02:00\ndb1,00:00,06:00,1h,02:00\n",
        encoding="utf-8",
    )
    shifted = tmp_path / "out" / "shifted.csv"
    out = _json(
        capsys,
        [
            "stagger",
            str(backups),
            "--windows",
            str(windows),
            "--method",
            "milp",
            "--output",
            str(shifted),
            "--format",
            "json",
        ],
    )
    # 2 x 50 = 100 before; 2 x 5 + one 45-point backup at a time = 55 after
    assert (out["peak_before"], out["peak_after"], out["method"]) == (100.0, 55.0, "milp")
    assert len(out["shifts"]) == 2
    written = pd.read_csv(shifted, index_col=0)
    assert written.sum(axis=1).max() == pytest.approx(55.0)


def test_stagger_detects_spikes(capsys: pytest.CaptureFixture[str], backups: Path) -> None:
    out = _json(
        capsys,
        ["stagger", str(backups), "--earliest", "00:00", "--latest", "06:00", "--format", "json"],
    )
    assert out["peak_after"] == 55.0 and [s["server"] for s in out["shifts"]] == ["db0", "db1"]
    assert main(["stagger", str(backups)]) == 0
    assert "composite peak: 100.0 -> 55.0" in capsys.readouterr().out


def test_stagger_detect_with_step_positions(
    capsys: pytest.CaptureFixture[str], backups: Path
) -> None:
    # period and window as step numbers (30-minute steps: 0..12 = 00:00..06:00)
    out = _json(
        capsys,
        [
            "stagger",
            str(backups),
            "--period",
            "48",
            "--earliest",
            "0",
            "--latest",
            "12",
            "--method",
            "milp",
            "--format",
            "json",
        ],
    )
    assert (out["peak_before"], out["peak_after"], out["optimal"]) == (100.0, 55.0, True)
    assert all(0 <= s["new_start"] <= 12 for s in out["shifts"])


def test_stagger_bad_windows(
    capsys: pytest.CaptureFixture[str], backups: Path, tmp_path: Path
) -> None:
    windows = tmp_path / "w.csv"
    windows.write_text("server,earliest,latest,duration\nzz,00:00,06:00,1h\n", encoding="utf-8")
    assert main(["stagger", str(backups), "--windows", str(windows)]) == 2
    err = capsys.readouterr().err
    assert "error:" in err and "unknown server 'zz'" in err
    windows.write_text("server,earliest\ndb0,00:00\n", encoding="utf-8")
    assert main(["stagger", str(backups), "--windows", str(windows)]) == 2
    assert "missing column(s)" in capsys.readouterr().err
