"""Catalogue, root cause 6 (inventory side): unique guest names by construction.

Distinct inventory names that normalise to the same guest name (lower case, ``[a-z0-9-]``) are
refused naming both lines; names that stay distinct give one guest, one file each.
(#25 owns the trace-name side: tests/test_catalogue_rc6_traces.py or similar.)
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from catalogue_helpers import cli, inventory, row, scenario, tree

COLLIDING = [
    ("rc6-case-error", "Web", "web"),
    ("rc6-underscore-vs-dash-error", "web_1", "web-1"),
    ("rc6-dot-vs-dash-error", "web.1", "web-1"),
    ("rc6-space-vs-dash-error", '"web 1"', "web-1"),
    ("rc6-leading-dash-error", "-web", "web"),
    ("rc6-trailing-symbol-error", "web!", "web-"),
    ("rc6-unicode-error", "wéb", "w-b"),
]


@pytest.mark.catalogue
@pytest.mark.parametrize(
    ("a", "b"), [(a, b) for _, a, b in COLLIDING], ids=[i for i, _, _ in COLLIDING]
)
def test_colliding_names_refused_naming_both_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], a: str, b: str
) -> None:
    inv = inventory(tmp_path, row(a), row("db"), row(b))
    scen = scenario(tmp_path, inv, **{"target.memory_gib_per_host": None})
    code, _out, err = cli(["plan", scen, "--out", tmp_path / "o"], capsys)
    assert code == 2
    assert "line 2" in err and "line 4" in err
    assert "both become guest name" in err
    assert not (tmp_path / "o").exists()


@pytest.mark.catalogue
@pytest.mark.parametrize("ids", [None], ids=["rc6-three-way-collision-error"])
def test_three_names_one_guest_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], ids: None
) -> None:
    inv = inventory(tmp_path, row("App_1"), row("app.1"), row("APP-1"))
    scen = scenario(tmp_path, inv, **{"target.memory_gib_per_host": None})
    code, _out, err = cli(["plan", scen, "--out", tmp_path / "o"], capsys)
    assert code == 2
    assert all(f"line {n}" in err for n in (2, 3, 4))


DISTINCT = [
    ("rc6-count-suffix-correct", [row("a", count=12), row("a-1")]),
    ("rc6-similar-names-correct", [row("web1"), row("web-1"), row("web--1")]),
    ("rc6-mixed-case-unique-correct", [row("WebA"), row("webB")]),
]


@pytest.mark.catalogue
@pytest.mark.parametrize("rows", [r for _, r in DISTINCT], ids=[i for i, _ in DISTINCT])
def test_distinct_names_give_one_file_per_guest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], rows: list[str]
) -> None:
    inv = inventory(tmp_path, *rows)
    scen = scenario(tmp_path, inv, **{"target.memory_gib_per_host": None})
    code, _out, err = cli(["plan", scen, "--out", tmp_path / "o"], capsys)
    assert code in (0, 1), err
    doc = yaml.safe_load((tmp_path / "o" / "plan.yaml").read_text())
    names = [g["name"] for h in doc["hosts"] for g in h["guests"]]
    expected = sum(int(r.rsplit(",", 1)[1]) for r in rows)
    assert len(names) == len(set(names)) == expected
    xml = [
        f for f in tree(tmp_path / "o") if f.startswith("render/libvirt/") and f.endswith(".xml")
    ]
    assert len(xml) == expected  # one file per guest, none overwritten


@pytest.mark.catalogue
@pytest.mark.parametrize("ids", [None], ids=["rc6-name-too-long-error"])
def test_too_long_name_refused_with_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], ids: None
) -> None:
    inv = inventory(tmp_path, row("db"), row("a" * 70))
    scen = scenario(tmp_path, inv, **{"target.memory_gib_per_host": None})
    code, _out, err = cli(["plan", scen, "--out", tmp_path / "o"], capsys)
    assert code == 2
    assert "line 3" in err and "at most 63" in err
