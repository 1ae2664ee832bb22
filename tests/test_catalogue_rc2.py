"""Catalogue, root cause 2: spreadsheet cells from user text stay text (OWASP CSV injection).

A server name or role starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return must
not become a live formula in ``tables.xlsx`` (``report --xlsx``, the explorer's export) nor in
a CSV colonykit writes (``stagger --output``, ``run``'s ``findings.csv``).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from catalogue_helpers import cli, inventory, row, scenario

openpyxl = pytest.importorskip("openpyxl")

#: (id, text put in the inventory's role column)
ROLES = [
    ("rc2-xlsx-role-equals-correct", '=HYPERLINK("http://evil.invalid","click")'),
    ("rc2-xlsx-role-plus-correct", "+1+cmd|' /C calc'!A0"),
    ("rc2-xlsx-role-minus-correct", "-2+3"),
    ("rc2-xlsx-role-at-correct", "@SUM(1+1)*cmd|' /C calc'!A0"),
    ("rc2-xlsx-role-tab-correct", "\t=1+1"),
    ("rc2-xlsx-role-cr-correct", "\r=1+1"),
    ("rc2-xlsx-role-dde-correct", "=cmd|' /C calc'!A0"),
]


def _workbook(tmp_path: Path, capsys: pytest.CaptureFixture[str], *rows: str) -> object:
    inv = inventory(tmp_path, *rows, row("db", "database"))
    scen = scenario(tmp_path, inv, **{"target.memory_gib_per_host": None})
    code, _out, err = cli(
        ["report", scen, "--out", tmp_path / "r.html", "--xlsx", tmp_path / "t.xlsx"], capsys
    )
    assert code == 0, err
    return openpyxl.load_workbook(tmp_path / "t.xlsx")


def _cells(book: object) -> list[object]:
    return [c for ws in book.worksheets for r in ws.iter_rows() for c in r]  # type: ignore[attr-defined]


@pytest.mark.catalogue
@pytest.mark.parametrize("role", [r for _, r in ROLES], ids=[i for i, _ in ROLES])
def test_role_is_text_in_workbook(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], role: str
) -> None:
    quoted = '"' + role.replace('"', '""') + '"'
    book = _workbook(tmp_path, capsys, row("web", quoted))
    cells = _cells(book)
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert role.replace("\r", "\n") in {str(c.value).replace("\r", "\n") for c in cells} or any(
        str(c.value).strip() == role.strip() for c in cells
    )


@pytest.mark.catalogue
@pytest.mark.parametrize(
    "server",
    ["=1+1", '=HYPERLINK("http://evil.invalid")', "+cmd", "-cmd", "@cmd"],
    ids=[
        "rc2-xlsx-server-equals-correct",
        "rc2-xlsx-server-hyperlink-correct",
        "rc2-xlsx-server-plus-correct",
        "rc2-xlsx-server-minus-correct",
        "rc2-xlsx-server-at-correct",
    ],
)
def test_server_name_is_text_in_workbook(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], server: str
) -> None:
    quoted = '"' + server.replace('"', '""') + '"'
    book = _workbook(tmp_path, capsys, row(quoted))
    cells = _cells(book)
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    sizing = book["sizing"]  # type: ignore[index]
    names = [c.value for c in sizing["A"]]
    assert server in names  # the name as written, stored as text


@pytest.mark.catalogue
@pytest.mark.parametrize(
    "text",
    ["=1+1", "+1", "-1+1", "@A1", "\t=1", "\r=1"],
    ids=[
        "rc2-csv-equals-correct",
        "rc2-csv-plus-correct",
        "rc2-csv-minus-correct",
        "rc2-csv-at-correct",
        "rc2-csv-tab-correct",
        "rc2-csv-cr-correct",
    ],
)
def test_csv_cells_get_the_owasp_quote(text: str) -> None:
    from colonykit._cells import csv_safe, csv_safe_frame

    frame = pd.DataFrame({"server": [text, "web"], "cpu_pct": [-1.5, 2.0]})
    out = csv_safe_frame(frame)
    assert out["server"].tolist() == ["'" + text, "web"]
    assert out["cpu_pct"].tolist() == [-1.5, 2.0]  # numbers stay numbers
    assert csv_safe(text) == "'" + text


@pytest.mark.catalogue
@pytest.mark.parametrize("ids", [None], ids=["rc2-stagger-output-header-correct"])
def test_stagger_output_header_is_inert(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], ids: None
) -> None:
    lines = ["server,step,cpu_pct"] + [
        f"{s},{i},{v}" for s in ("=1+2", "web") for i, v in enumerate([5, 90, 5, 5, 90, 5, 5, 90])
    ]
    trace = tmp_path / "t.csv"
    trace.write_text("\n".join(lines) + "\n")
    code, _out, err = cli(
        ["stagger", trace, "--period", "3", "--output", tmp_path / "o.csv"], capsys
    )
    assert code == 0, err
    header = (tmp_path / "o.csv").read_text().splitlines()[0].split(",")
    assert "'=1+2" in header and "=1+2" not in header


@pytest.mark.catalogue
@pytest.mark.parametrize("ids", [None], ids=["rc2-run-findings-csv-correct"])
def test_run_findings_csv_has_no_formula(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], ids: None
) -> None:
    inv = inventory(tmp_path, row('"=HYPERLINK(""x"")"', "=1+1", count=2), row("db"))
    scen = scenario(tmp_path, inv)  # 24 GiB real: findings with the guest names
    code, _out, err = cli(["run", scen, "--out", tmp_path / "o", "--no-report"], capsys)
    assert code in (0, 1), err
    cells = pd.read_csv(tmp_path / "o" / "findings.csv", dtype=str).fillna("")
    assert not any(v.startswith(("=", "+", "-", "@", "\t", "\r")) for v in cells.to_numpy().ravel())
