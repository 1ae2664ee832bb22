"""Catalogue, root cause 9: YAML 1.1 typing explained, with how to quote; unquoted dates accepted.

PyYAML reads YAML 1.1: ``0600`` is the octal number 384, ``NO``/``off`` are booleans, ``1:30`` is
90 (base 60), ``2026-12-07`` is a date.  A value that then fails validation is reported with how
YAML read it and how to quote it; a number that validates but is not what its digits say is
warned about; a date where a date is meant is accepted, an impossible date is a clear error.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
import yaml
from catalogue_helpers import EXAMPLE, cli

from colonykit import export, plan


def _scenario_text(tmp: Path, *replace: tuple[str, str], append: str = "") -> Path:
    text = EXAMPLE.read_text().replace(
        "inventory: xyz_inventory.csv",
        f"inventory: {Path('data/examples/xyz_inventory.csv').resolve()}",
    )
    for old, new in replace:
        assert old in text, old
        text = text.replace(old, new)
    p = tmp / "s.yaml"
    p.write_text(text + append)
    return p


HINTS = [
    ("rc9-octal-vdev-error", ('nic_vdev: "0600"', "nic_vdev: 0600"), "", "0600", "384"),
    ("rc9-no-as-false-error", ("userid_prefix: LNX", "userid_prefix: NO"), "", "NO", "False"),
    ("rc9-on-as-true-error", ("vswitch: VSW1", "vswitch: ON"), "", "ON", "True"),
    ("rc9-off-option-error", ("options: [APPLMON]", "options: [OFF]"), "", "OFF", "False"),
    ("rc9-number-name-error", ("name: xyz-colony", "name: 2026"), "", "2026", "2026"),
    ("rc9-hex-profile-error", ("profile: LNXDFLT", "profile: 0x1F"), "", "0x1F", "31"),
    (
        "rc9-sexagesimal-interval-error",
        ("name: xyz-colony", "name: xyz-colony"),
        "traces:\n  path: t.csv\n  interval: 1:30\n",
        "1:30",
        "90",
    ),
    (
        "rc9-null-design-name-error",
        ("name: zvm-basevol-guestvol", "name: ~"),
        "",
        "~",
        "null",
    ),
]


@pytest.mark.catalogue
@pytest.mark.parametrize(
    ("replace", "append", "written", "became"),
    [(r, a, w, b) for _, r, a, w, b in HINTS],
    ids=[i for i, *_ in HINTS],
)
def test_scenario_message_says_how_yaml_read_it(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    replace: tuple[str, str],
    append: str,
    written: str,
    became: str,
) -> None:
    scen = _scenario_text(tmp_path, replace, append=append)
    code, _out, err = cli(["plan", scen, "--out", tmp_path / "o"], capsys)
    assert code == 2
    assert f"YAML 1.1 read the unquoted {written} as" in err
    assert became in err
    assert f"'{written}'" in err  # how to quote it


@pytest.mark.catalogue
@pytest.mark.parametrize("ids", [None], ids=["rc9-numeric-password-not-echoed-error"])
def test_numeric_password_hint_without_the_secret(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], ids: None
) -> None:
    scen = _scenario_text(tmp_path, ("profile: LNXDFLT", "profile: LNXDFLT\n  password: 73914286"))
    code, _out, err = cli(["plan", scen, "--out", tmp_path / "o"], capsys)
    assert code == 2
    assert "73914286" not in err and "quotes" in err and "guests.password" in err


PLAN_HINTS = [
    ("rc9-plan-octal-vdev-error", "vdev: '0201'", "vdev: 0201", "0201"),
    ("rc9-plan-no-userid-error", "userid: LNX00001", "userid: NO", "NO"),
    ("rc9-plan-yes-volser-error", "volser: LX0001", "volser: yes", "yes"),
]


@pytest.mark.catalogue
@pytest.mark.parametrize(
    ("old", "new", "written"),
    [(o, n, w) for _, o, n, w in PLAN_HINTS],
    ids=[i for i, *_ in PLAN_HINTS],
)
def test_plan_validate_says_how_yaml_read_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], old: str, new: str, written: str
) -> None:
    text = export.plan_to_yaml(plan.build_plan(str(EXAMPLE)).plan)
    assert old in text
    p = tmp_path / "p.yaml"
    p.write_text(text.replace(old, new, 1))
    code, _out, err = cli(["validate", p], capsys)
    assert code == 2
    assert f"YAML 1.1 read the unquoted {written} as" in err


DATES = [
    ("rc9-unquoted-metadata-date-correct", "metadata:\n  date: 2026-12-07\n", "2026-12-07"),
    ("rc9-quoted-metadata-date-correct", "metadata:\n  date: '2026-12-07'\n", "2026-12-07"),
]


@pytest.mark.catalogue
@pytest.mark.parametrize(
    ("append", "expected"), [(a, e) for _, a, e in DATES], ids=[i for i, *_ in DATES]
)
def test_unquoted_date_accepted(tmp_path: Path, append: str, expected: str) -> None:
    scen = plan.load_scenario(_scenario_text(tmp_path, append=append))
    assert scen.metadata.date == expected


@pytest.mark.catalogue
@pytest.mark.parametrize(
    ("start", "expected"),
    [("2013-09-02", "2013-09-02"), ("2013-09-02 06:00:00", "2013-09-02T06:00:00")],
    ids=["rc9-unquoted-traces-start-date-correct", "rc9-unquoted-traces-start-time-correct"],
)
def test_unquoted_start_accepted(tmp_path: Path, start: str, expected: str) -> None:
    scen = plan.load_scenario(
        _scenario_text(tmp_path, append=f"traces:\n  path: t.csv\n  start: {start}\n")
    )
    assert scen.traces is not None and scen.traces.start == expected


@pytest.mark.catalogue
@pytest.mark.parametrize("ids", [None], ids=["rc9-impossible-date-error"])
def test_impossible_date_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], ids: None
) -> None:
    scen = _scenario_text(tmp_path, append="metadata:\n  date: 2026-13-45\n")
    code, _out, err = cli(["plan", scen, "--out", tmp_path / "o"], capsys)
    assert code == 2
    assert "2026-13-45" in err and "not a valid date" in err and "line" in err


SILENT = [
    (
        "rc9-octal-first-host-warned-correct",
        "  vswitch: VSW1",
        "  vswitch: VSW1\n  first_host: 010",
        "010",
        8,
    ),
    ("rc9-octal-paths-warned-correct", "paths_per_host: 2", "paths_per_host: 010", "010", 8),
    (
        "rc9-octal-extra-vcpus-warned-correct",
        "profile: LNXDFLT",
        "profile: LNXDFLT\n  extra_vcpus: 01_0",
        "01_0",
        8,
    ),
]


@pytest.mark.catalogue
@pytest.mark.parametrize(
    ("old", "new", "written", "value"),
    [(o, n, w, v) for _, o, n, w, v in SILENT],
    ids=[i for i, *_ in SILENT],
)
def test_surprising_number_is_warned(
    tmp_path: Path, old: str, new: str, written: str, value: int
) -> None:
    if old:
        path = _scenario_text(tmp_path, (old, new))
    else:
        path = _scenario_text(tmp_path, append=new)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        plan.load_scenario(path)
    texts = [str(w.message) for w in caught]
    assert any(f"unquoted {written} as the number {value}" in t for t in texts), texts


@pytest.mark.catalogue
@pytest.mark.parametrize("ids", [None], ids=["rc9-quoted-values-no-warning-correct"])
def test_quoted_values_read_as_written(tmp_path: Path, ids: None) -> None:
    path = _scenario_text(tmp_path, ("userid_prefix: LNX", "userid_prefix: 'NO'"))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        scen = plan.load_scenario(path)
    assert scen.guests.userid_prefix == "NO"
    assert not [w for w in caught if "YAML 1.1" in str(w.message)]
    assert yaml.safe_load("a: '0600'")["a"] == "0600"
