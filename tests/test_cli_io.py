"""Tests of ``colonykit paging`` and ``colonykit channels`` (the CLI contract)."""

from __future__ import annotations

import json

import pytest

from colonykit.cli import main


def _json(capsys, argv):
    code = main(argv)
    out = capsys.readouterr()
    assert code == 0, out.err
    return json.loads(out.out)


def test_paging_json_contract(capsys):
    d = _json(
        capsys,
        [
            "paging",
            "--guests",
            "10",
            "--guest-mib",
            "512",
            "--real-mib",
            "2048",
            "--rule",
            "sg24-6299",
            "--format",
            "json",
        ],
    )
    assert {"rule", "paging_gib", "pages", "volume_model", "volumes"} <= set(d)
    assert d["rule"] == "sg24-6299"
    assert d["paging_gib"] == 14.0  # seed 003 §9.1.1
    assert d["pages"] == 3_670_016
    assert d["volume_model"] == "3390-9"
    assert d["volumes"] == 3


def test_paging_default_rule_is_velocity(capsys):
    d = _json(
        capsys,
        [
            "paging",
            "--guests",
            "10",
            "--guest-mib",
            "512",
            "--real-mib",
            "2048",
            "--format",
            "json",
        ],
    )
    assert d["rule"] == "velocity"
    assert d["paging_gib"] == 10.0  # 2 × 10 × 512 MiB; 75 % cap gives 6.7 GiB, smaller


def test_paging_options(capsys):
    d = _json(
        capsys,
        [
            "paging",
            "--guests",
            "10",
            "--guest-mib",
            "512",
            "--real-mib",
            "2048",
            "--vdisk-mib",
            "100",
            "--rule",
            "redbook-2003",
            "--volume-model",
            "3390-27",
            "--format",
            "json",
        ],
    )
    assert d["paging_gib"] == pytest.approx((5120 + 1000) * 4 / 1024)
    assert d["volume_model"] == "3390-27"
    # 23.9 GiB = 6,266,880 pages; one 3390-27 extent holds 32,759 × 180 = 5,896,620 -> 2 volumes
    assert d["pages"] == 6_266_880
    assert d["volumes"] == 2


def test_paging_all_rules(capsys):
    d = _json(
        capsys,
        [
            "paging",
            "--guests",
            "10",
            "--guest-mib",
            "512",
            "--real-mib",
            "2048",
            "--rule",
            "all",
            "--format",
            "json",
        ],
    )
    by_rule = {r["rule"]: r["paging_gib"] for r in d["rules"]}
    assert by_rule["sg24-6299"] == 14.0 and by_rule["redbook-2003"] == 20.0


def test_paging_table_output(capsys):
    assert (
        main(
            [
                "paging",
                "--guests",
                "10",
                "--guest-mib",
                "512",
                "--real-mib",
                "2048",
                "--rule",
                "sg24-6299",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "sg24-6299" in out and "14.00" in out


def test_channels_json_contract(capsys):
    d = _json(
        capsys,
        [
            "channels",
            "--io-rate",
            "1200",
            "--connect-ms",
            "4.5",
            "--paths",
            "6",
            "--format",
            "json",
        ],
    )
    assert {"busy_pct", "per_path_busy_pct", "paths_needed", "response_ms"} <= set(d)
    assert d["busy_pct"] == pytest.approx(540.0)
    assert d["per_path_busy_pct"] == pytest.approx(90.0)
    assert d["paths_needed"] == 11
    assert d["response_ms"] > 4.5


def test_channels_seed_example(capsys):
    d = _json(
        capsys,
        [
            "channels",
            "--io-rate",
            "54",
            "--connect-ms",
            "14",
            "--max-busy-pct",
            "100",
            "--format",
            "json",
        ],
    )
    assert d["busy_pct"] == pytest.approx(75.6)
    assert d["paths_needed"] == 1


def test_channels_saturated_prints_warning_and_null(capsys):
    d = _json(capsys, ["channels", "--io-rate", "1200", "--connect-ms", "4.5", "--format", "json"])
    assert d["response_ms"] is None and d["saturated"] is True


@pytest.mark.parametrize(
    "argv",
    [
        ["paging", "--guests", "0", "--guest-mib", "512", "--real-mib", "2048"],
        ["paging", "--guests", "10", "--guest-mib", "-512", "--real-mib", "2048"],
        ["paging", "--guests", "10", "--guest-mib", "512", "--real-mib", "abc"],
        ["paging", "--guests", "10", "--guest-mib", "512"],
        [
            "paging",
            "--guests",
            "10",
            "--guest-mib",
            "512",
            "--real-mib",
            "2048",
            "--rule",
            "thrice",
        ],
        [
            "paging",
            "--guests",
            "10",
            "--guest-mib",
            "512",
            "--real-mib",
            "2048",
            "--volume-model",
            "3380-k",
        ],
        [
            "paging",
            "--guests",
            "10",
            "--guest-mib",
            "512",
            "--real-mib",
            "2048",
            "--vdisk-mib",
            "-1",
        ],
        ["paging", "--guests", "1000000", "--guest-mib", "1e300", "--real-mib", "2048"],
        ["channels", "--io-rate", "-1", "--connect-ms", "4"],
        ["channels", "--io-rate", "10", "--connect-ms", "nan"],
        ["channels", "--io-rate", "10", "--connect-ms", "4", "--paths", "0"],
        ["channels", "--io-rate", "10", "--connect-ms", "4", "--max-busy-pct", "150"],
        ["channels", "--io-rate", "10"],
    ],
)
def test_bad_input_exit_2(capsys, argv):
    with pytest.raises(SystemExit) as exc:
        code = main(argv)
        raise SystemExit(code)
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "error:" in err
    assert "Traceback" not in err
