"""Catalogue, root cause 10: the smaller ones.

Hidden Excel sheets/rows/columns are read with a warning and ``size --sheet`` chooses a sheet;
an Excel ``TRUE`` is not 1 core; Ctrl-C ends with exit 130 and no traceback; a FIFO or device
as input is refused instead of hanging; a rejected password is never echoed; ``--out ''`` is
refused; options that do not apply are warned about; a corrupt gzip is a clear error.
"""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import pytest
from catalogue_helpers import EXAMPLE, HEADER, cli, inventory, row, scenario, tree

openpyxl = pytest.importorskip("openpyxl")

ROWS = [r.split(",") for r in (row("web", count=2), row("db"), row("app"))]


def _book(tmp: Path, build: object = None, name: str = "inv.xlsx") -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "servers"
    ws.append(HEADER.split(","))
    for r in ROWS:
        ws.append([_cell(v) for v in r])
    if build is not None:
        build(wb)  # type: ignore[operator]
    p = tmp / name
    wb.save(p)
    return p


def _cell(v: str) -> object:
    try:
        return float(v) if "." in v else int(v)
    except ValueError:
        return v


def _hide_sheet(wb: object) -> None:
    ws = wb.active  # type: ignore[attr-defined]
    wb.create_sheet("notes").append(["just", "notes"])  # type: ignore[attr-defined]
    ws.sheet_state = "hidden"
    wb.active = 1  # type: ignore[attr-defined]


def _hide_row(wb: object) -> None:
    wb.active.row_dimensions[3].hidden = True  # type: ignore[attr-defined]


def _hide_column(wb: object) -> None:
    wb.active.column_dimensions["K"].hidden = True  # type: ignore[attr-defined]


def _hidden_other(wb: object) -> None:
    ws = wb.create_sheet("old")  # type: ignore[attr-defined]
    ws.append(["x"])
    ws.sheet_state = "hidden"


HIDDEN = [
    ("rc10-hidden-inventory-sheet-correct", _hide_sheet, "sheet 'servers' is hidden"),
    ("rc10-hidden-rows-correct", _hide_row, "row(s) of sheet 'servers' are hidden"),
    ("rc10-hidden-columns-correct", _hide_column, "column(s) ['K']"),
    ("rc10-hidden-other-sheet-correct", _hidden_other, "hidden sheet(s) ['old'] not read"),
]


@pytest.mark.catalogue
@pytest.mark.parametrize(
    ("build", "note"), [(b, n) for _, b, n in HIDDEN], ids=[i for i, *_ in HIDDEN]
)
def test_hidden_parts_are_noted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], build: object, note: str
) -> None:
    code, out, err = cli(["size", _book(tmp_path, build), "--target", "z15"], capsys)
    assert code == 0, err
    assert note in err and "warning:" in err
    assert "db" in out  # read all the same


def _two_sheets(wb: object) -> None:
    ws = wb.create_sheet("lab")  # type: ignore[attr-defined]
    ws.append(HEADER.split(","))
    ws.append([_cell(v) for v in row("labbox").split(",")])


SHEETS = [
    ("rc10-sheet-by-name-correct", "lab", "labbox", 0),
    ("rc10-sheet-by-index-correct", "1", "labbox", 0),
    ("rc10-sheet-unknown-error", "nope", "'sheet' must be one of", 2),
]


@pytest.mark.catalogue
@pytest.mark.parametrize(
    ("sheet", "expect", "code"), [(s, e, c) for _, s, e, c in SHEETS], ids=[i for i, *_ in SHEETS]
)
def test_sheet_option(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], sheet: str, expect: str, code: int
) -> None:
    rc, out, err = cli(
        ["size", _book(tmp_path, _two_sheets), "--target", "z15", "--sheet", sheet], capsys
    )
    assert rc == code
    assert expect in (out if code == 0 else err)


@pytest.mark.catalogue
@pytest.mark.parametrize("ids", [None], ids=["rc10-two-candidate-sheets-error"])
def test_two_candidate_sheets_need_the_option(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], ids: None
) -> None:
    rc, _out, err = cli(["size", _book(tmp_path, _two_sheets), "--target", "z15"], capsys)
    assert rc == 2 and "sheet" in err


def _bool_cores(value: bool) -> object:
    def build(wb: object) -> None:
        wb.active["E2"] = value  # type: ignore[attr-defined]

    return build


BOOLS = [
    ("rc10-excel-true-cores-error", _bool_cores(True), "TRUE"),
    ("rc10-excel-false-cores-error", _bool_cores(False), "FALSE"),
]


@pytest.mark.catalogue
@pytest.mark.parametrize(
    ("build", "shown"), [(b, s) for _, b, s in BOOLS], ids=[i for i, *_ in BOOLS]
)
def test_excel_boolean_is_not_a_number(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], build: object, shown: str
) -> None:
    rc, _out, err = cli(["size", _book(tmp_path, build), "--target", "z15"], capsys)
    assert rc == 2
    assert "'cores' must be a number" in err and "row 2" in err


@pytest.mark.catalogue
@pytest.mark.parametrize("ids", [None], ids=["rc10-csv-true-cores-error"])
def test_csv_true_is_not_a_number(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], ids: None
) -> None:
    inv = inventory(tmp_path, row("web", cores="TRUE"), row("db"))
    rc, _out, err = cli(["size", inv, "--target", "z15"], capsys)
    assert rc == 2 and "'cores' must be a number" in err and "line 2" in err


@pytest.mark.catalogue
@pytest.mark.parametrize(
    "where",
    ["build", "write"],
    ids=["rc10-ctrl-c-while-planning-correct", "rc10-ctrl-c-while-writing-correct"],
)
def test_ctrl_c_exit_130_no_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    from colonykit import _atomic, plan

    def interrupt(*_a: object, **_k: object) -> None:
        raise KeyboardInterrupt

    if where == "build":
        monkeypatch.setattr(plan, "build_plan", interrupt)
    else:
        monkeypatch.setattr(_atomic.os, "rename", interrupt)
    rc, _out, err = cli(["plan", EXAMPLE, "--out", tmp_path / "o"], capsys)
    assert rc == 130
    assert "interrupted" in err
    assert not list(tmp_path.iterdir())  # nothing half-written, no staging folder left


def _fifo(tmp: Path, name: str) -> Path:
    p = tmp / name
    os.mkfifo(p)
    return p


FIFOS = [
    (
        "rc10-fifo-inventory-error",
        lambda t: ["size", _fifo(t, "i.csv"), "--target", "z15"],
        "inventory",
    ),
    (
        "rc10-fifo-scenario-error",
        lambda t: ["plan", _fifo(t, "s.yaml"), "--out", t / "o"],
        "scenario",
    ),
    ("rc10-fifo-plan-error", lambda t: ["validate", _fifo(t, "p.yaml")], "plan"),
    (
        "rc10-fifo-render-plan-error",
        lambda t: ["render", _fifo(t, "p.yaml"), "--target", "zvm", "--out", t / "o"],
        "plan",
    ),
    ("rc10-fifo-traces-error", lambda t: ["whitespace", _fifo(t, "t.csv")], "traces"),
    ("rc10-fifo-stagger-traces-error", lambda t: ["stagger", _fifo(t, "t.csv")], "traces"),
    (
        "rc10-char-device-inventory-error",
        lambda t: ["size", "/dev/zero", "--target", "z15"],
        "inventory",
    ),
]


@pytest.mark.catalogue
@pytest.mark.parametrize(
    ("argv", "what"), [(a, w) for _, a, w in FIFOS], ids=[i for i, *_ in FIFOS]
)
def test_special_files_refused_not_hanging(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: object, what: str
) -> None:
    rc, _out, err = cli(argv(tmp_path), capsys)  # type: ignore[operator]
    assert rc == 2
    assert f"error: {what} " in err and "not a regular file" in err


@pytest.mark.catalogue
@pytest.mark.parametrize("ids", [None], ids=["rc10-scenario-password-not-echoed-error"])
def test_rejected_scenario_password_not_echoed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], ids: None
) -> None:
    scen = scenario(tmp_path, **{"guests.password": "Tr0ub4dor&3-horse"})
    rc, _out, err = cli(["plan", scen, "--out", tmp_path / "o"], capsys)
    assert rc == 2 and "guests.password" in err
    assert "Tr0ub4dor" not in err


@pytest.mark.catalogue
@pytest.mark.parametrize("ids", [None], ids=["rc10-plan-password-not-echoed-error"])
def test_rejected_plan_password_not_echoed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], ids: None
) -> None:
    from colonykit import export, plan

    text = export.plan_to_yaml(plan.build_plan(str(EXAMPLE)).plan)
    p = tmp_path / "p.yaml"
    p.write_text(text.replace("password: XXXXXXXX", "password: hunter2 secret", 1))
    rc, _out, err = cli(["validate", p], capsys)
    assert rc == 2 and "password" in err
    assert "hunter2" not in err


EMPTY = [
    ("rc10-plan-out-empty-error", ["plan", EXAMPLE, "--out", ""]),
    ("rc10-run-out-empty-error", ["run", EXAMPLE, "--out", "", "--no-report"]),
    ("rc10-report-out-empty-error", ["report", EXAMPLE, "--out", ""]),
    ("rc10-report-xlsx-empty-error", ["report", EXAMPLE, "--out", "{t}/r.html", "--xlsx", ""]),
    ("rc10-render-out-empty-error", ["render", "{p}", "--target", "zvm", "--out", ""]),
    ("rc10-stagger-output-empty-error", ["stagger", "{tr}", "--output", ""]),
]


@pytest.mark.catalogue
@pytest.mark.parametrize("argv", [a for _, a in EMPTY], ids=[i for i, _ in EMPTY])
def test_empty_output_path_refused(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    argv: list[object],
) -> None:
    from colonykit import export, plan

    p = tmp_path / "p.yaml"
    p.write_text(export.plan_to_yaml(plan.build_plan(str(EXAMPLE)).plan))
    tr = tmp_path / "t.csv"
    tr.write_text("server,step,cpu_pct\na,0,1\na,1,2\nb,0,1\nb,1,3\n")
    work = tmp_path / "cwd"
    work.mkdir()
    argv = [str(a).format(t=tmp_path, p=p, tr=tr) if isinstance(a, str) else a for a in argv]
    argv = [str(Path(a).resolve()) if a == str(EXAMPLE) else a for a in argv]
    monkeypatch.chdir(work)
    rc, _out, err = cli(argv, capsys)
    assert rc == 2
    assert "empty string" in err
    assert not list(work.iterdir())


NOT_APPLYING = [
    (
        "rc10-size-trace-options-without-traces-correct",
        lambda t: [
            "size",
            "data/examples/xyz_inventory.csv",
            "--target",
            "z15",
            "--statistic",
            "p95",
        ],
        "--statistic",
    ),
    (
        "rc10-size-sheet-with-csv-correct",
        lambda t: ["size", "data/examples/xyz_inventory.csv", "--target", "z15", "--sheet", "x"],
        "--sheet applies to Excel",
    ),
    (
        "rc10-stagger-period-with-windows-correct",
        lambda t: [
            "stagger",
            _write(t / "t.csv", "server,step,cpu_pct\na,0,1\na,1,9\na,2,1\nb,0,1\nb,1,2\nb,2,1\n"),
            "--windows",
            _write(t / "w.csv", "server,earliest,latest,duration\na,0,2,1\n"),
            "--period",
            "2",
        ],
        "--period",
    ),
    (
        "rc10-report-image-format-without-images-correct",
        lambda t: ["report", EXAMPLE, "--out", t / "r.html", "--image-format", "svg"],
        "--image-format applies to --images only",
    ),
]


def _write(p: Path, text: str) -> Path:
    p.write_text(text)
    return p


@pytest.mark.catalogue
@pytest.mark.parametrize(
    ("argv", "warned"), [(a, w) for _, a, w in NOT_APPLYING], ids=[i for i, *_ in NOT_APPLYING]
)
def test_options_that_do_not_apply_are_warned(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: object, warned: str
) -> None:
    rc, _out, err = cli(argv(tmp_path), capsys)  # type: ignore[operator]
    assert rc == 0, err
    assert "warning:" in err and warned in err


def _truncated_gzip(p: Path, text: str) -> Path:
    data = gzip.compress(text.encode())
    p.write_bytes(data[: len(data) // 2])
    return p


def _garbage_gzip(p: Path, text: str) -> Path:
    data = bytearray(gzip.compress(text.encode()))
    data[12:40] = b"\xff" * 28
    p.write_bytes(bytes(data))
    return p


GZ = [
    ("rc10-truncated-gzip-inventory-error", "size", _truncated_gzip, "i.csv.gz"),
    ("rc10-corrupt-gzip-inventory-error", "size", _garbage_gzip, "i.csv.gz"),
    ("rc10-truncated-gzip-traces-error", "whitespace", _truncated_gzip, "t.csv.gz"),
    ("rc10-corrupt-gzip-traces-error", "whitespace", _garbage_gzip, "t.csv.gz"),
]


@pytest.mark.catalogue
@pytest.mark.parametrize(
    ("command", "make", "name"), [(c, m, n) for _, c, m, n in GZ], ids=[i for i, *_ in GZ]
)
def test_corrupt_gzip_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str, make: object, name: str
) -> None:
    if command == "size":
        text = Path("data/examples/xyz_inventory.csv").read_text() * 40
        argv = ["size", make(tmp_path / name, text), "--target", "z15"]  # type: ignore[operator]
    else:
        text = "server,step,cpu_pct\n" + "".join(
            f"s{i % 50},{i // 50},{i % 97}\n" for i in range(20000)
        )
        argv = ["whitespace", make(tmp_path / name, text)]  # type: ignore[operator]
    before = tree(tmp_path)
    rc, _out, err = cli(argv, capsys)
    assert rc == 2
    assert name in err or "compressed" in err
    assert tree(tmp_path) == before
