"""``colonykit whitespace`` CLI contract."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from colonykit.cli import main

KEYS = {
    "servers",
    "sum_of_peaks",
    "composite_peak",
    "composite_mean",
    "white_space_pct",
    "non_coincidence_saving_pct",
    "unit",
}


def _json(capsys: pytest.CaptureFixture[str], argv: list[str]) -> dict:
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


def test_json_contract_small(capsys: pytest.CaptureFixture[str]) -> None:
    out = _json(capsys, ["whitespace", "tests/data/traces/long_small.csv", "--format", "json"])
    assert KEYS <= set(out)
    assert out["servers"] == 3 and out["unit"] == "cpu_pct"
    assert (out["sum_of_peaks"], out["composite_peak"], out["composite_mean"]) == (90.0, 70.0, 47.5)
    assert out["non_coincidence_saving_pct"] == pytest.approx(100 * (1 - 70 / 90))
    assert out["white_space_pct"] == pytest.approx(100 * (1 - 47.5 / 70))  # as size --format json


def test_interval_option(capsys: pytest.CaptureFixture[str]) -> None:
    out = _json(
        capsys,
        [
            "whitespace",
            "tests/data/traces/long_small.csv",
            "--interval",
            "10min",
            "--format",
            "json",
        ],
    )
    # 10-min means: composite 35, 60; peaks 35 + 20 + 10
    assert (
        out["composite_peak"] == 60.0 and out["sum_of_peaks"] == 65.0 and out["interval_s"] == 600
    )


def test_planetlab_directory(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    out = _json(
        capsys, ["whitespace", str(data_dir / "traces" / "planetlab_20110303"), "--format", "json"]
    )
    assert (
        out["servers"] == 1052 and out["sum_of_peaks"] == 49_807 and out["composite_peak"] == 14_326
    )


@pytest.mark.shared_data
def test_shared_planetlab_as_is(capsys: pytest.CaptureFixture[str], shared_data: Path) -> None:
    out = _json(
        capsys, ["whitespace", str(shared_data / "planetlab" / "20110303"), "--format", "json"]
    )
    assert out["sum_of_peaks"] == 49_807 and out["composite_peak"] == 14_326


def test_start_option(capsys: pytest.CaptureFixture[str]) -> None:
    out = _json(
        capsys,
        [
            "whitespace",
            "tests/data/traces/planetlab_style",
            "--start",
            "2011-03-03T00:00Z",
            "--format",
            "json",
        ],
    )
    assert out["composite_peak_at"] == "2011-03-03T00:10:00+00:00"  # step 2 of 5 min


def test_table_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["whitespace", "tests/data/traces/planetlab_style"]) == 0
    text = capsys.readouterr().out
    assert "Sum of individual peaks 90.0" in text and "non_coincident_peaks" in text


def test_capacity_option_mhz(capsys: pytest.CaptureFixture[str]) -> None:
    out = _json(
        capsys,
        [
            "whitespace",
            "tests/data/traces/mhz_small.csv",
            "--unit",
            "mips",
            "--capacity",
            "tests/data/traces/mhz_small_vms.csv",
            "--format",
            "json",
        ],
    )
    # 4000 + 2000 MHz provisioned = 1000 + 500 MIPS; peaks 500 + 125
    assert out["configured_total"] == 1500.0 and out["sum_of_peaks"] == 625.0


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["whitespace", "tests/data/traces/long_bad.csv"], "line 3"),
        (["whitespace", "tests/data/traces/empty.csv"], "is empty"),
        (["whitespace", "tests/data/traces/unknown.txt"], "unknown trace format"),
        (["whitespace", "tests/data/traces/long_missing_col.csv"], "missing value column"),
        (["whitespace", "no/such/dir"], "not found"),
        (["whitespace", "tests/data/traces/long_small.csv", "--interval", "soon"], "--interval"),
        (["whitespace", "tests/data/traces/long_small.csv", "--headroom-pct", "100"], "headroom"),
        (["whitespace", "tests/data/traces/long_small.csv", "--unit", "mips"], "capacity"),
    ],
)
def test_bad_input_exit_2(capsys: pytest.CaptureFixture[str], argv: list[str], needle: str) -> None:
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse rejects bad option values itself (also exit 2)
        code = exc.code
    err = capsys.readouterr().err
    assert code == 2
    assert "error:" in err and needle in err and "Traceback" not in err
