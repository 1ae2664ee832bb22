"""Catalogue, root cause 8: outputs never replace an input or a hand-edited output.

``report --out/--pdf/--xlsx`` and ``stagger --output`` that name (or link to) the scenario, the
inventory, a trace or the windows file are refused (exit 2, nothing changed); ``plan``, ``run``
and ``render`` refuse to replace a file of their output tree that changed since colonykit wrote
it (the tree's manifest keeps each file's SHA-256) unless ``--replace-edited``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from catalogue_helpers import cli, inventory, row, scenario, tree

TRACE = "server,step,cpu_pct\n" + "".join(
    f"{s},{i},{v}\n" for s in ("a", "b") for i, v in enumerate([5, 90, 5, 5, 90, 5])
)


def _study(tmp: Path) -> tuple[Path, Path]:
    inv = inventory(tmp, row("web", count=2), row("db"))
    return scenario(tmp, inv, **{"target.memory_gib_per_host": None}), inv


REPORT_CASES = [
    ("rc8-report-out-is-scenario-error", "--out", "scenario"),
    ("rc8-report-out-is-inventory-error", "--out", "inventory"),
    ("rc8-report-xlsx-is-inventory-error", "--xlsx", "inventory"),
    ("rc8-report-xlsx-is-scenario-error", "--xlsx", "scenario"),
    ("rc8-report-pdf-is-scenario-error", "--pdf", "scenario"),
    ("rc8-report-out-hardlink-to-inventory-error", "--out", "hardlink"),
    ("rc8-report-out-dotdot-spelling-error", "--out", "dotdot"),
]


@pytest.mark.catalogue
@pytest.mark.parametrize(
    ("flag", "target"), [(f, t) for _, f, t in REPORT_CASES], ids=[i for i, _, _ in REPORT_CASES]
)
def test_report_never_overwrites_an_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], flag: str, target: str
) -> None:
    scen, inv = _study(tmp_path)
    if target == "hardlink":
        dest = tmp_path / "link.html"
        os.link(inv, dest)
    elif target == "dotdot":
        (tmp_path / "sub").mkdir()
        dest = tmp_path / "sub" / ".." / "s.yaml"
    else:
        dest = scen if target == "scenario" else inv
    before = tree(tmp_path)
    argv = ["report", scen, "--out", tmp_path / "r.html"]
    argv += [flag, dest] if flag != "--out" else []
    if flag == "--out":
        argv[3] = dest
    code, _out, err = cli(argv, capsys)
    assert code == 2
    assert "refusing to overwrite an input" in err
    assert tree(tmp_path) == before


STAGGER_CASES = [
    ("rc8-stagger-output-is-trace-error", "trace"),
    ("rc8-stagger-output-in-trace-folder-error", "folder"),
    ("rc8-stagger-output-is-windows-error", "windows"),
]


@pytest.mark.catalogue
@pytest.mark.parametrize("target", [t for _, t in STAGGER_CASES], ids=[i for i, _ in STAGGER_CASES])
def test_stagger_never_overwrites_an_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], target: str
) -> None:
    folder = tmp_path / "traces"
    folder.mkdir()
    trace = folder / "t.csv"
    trace.write_text(TRACE)
    windows = tmp_path / "w.csv"
    windows.write_text("server,earliest,latest,duration\na,0,5,1\n")
    source = folder if target == "folder" else trace
    dest = {"trace": trace, "folder": folder / "shifted.csv", "windows": windows}[target]
    argv = ["stagger", source, "--output", dest]
    if target == "windows":
        argv += ["--windows", windows]
    before = tree(tmp_path)
    code, _out, err = cli(argv, capsys)
    assert code == 2
    assert "input" in err and "refusing" in err
    assert tree(tmp_path) == before


def _edit(path: Path) -> None:
    path.write_text(path.read_text() + "# my hand edit\n")


EDITED = [
    ("rc8-plan-hand-edited-plan-yaml-error", "plan", "plan.yaml"),
    ("rc8-plan-hand-edited-rendered-file-error", "plan", "render/zvm/lpar1/USER.DIRECT"),
    ("rc8-run-hand-edited-plan-yaml-error", "run", "plan.yaml"),
    ("rc8-run-hand-edited-findings-error", "run", "findings.csv"),
]


@pytest.mark.catalogue
@pytest.mark.parametrize(
    ("command", "edited"), [(c, e) for _, c, e in EDITED], ids=[i for i, _, _ in EDITED]
)
def test_hand_edits_are_not_replaced_silently(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str, edited: str
) -> None:
    scen, _inv = _study(tmp_path)
    out = tmp_path / "o"
    extra = ["--no-report"] if command == "run" else []
    code, _o, err = cli([command, scen, "--out", out, *extra], capsys)
    assert code in (0, 1), err
    _edit(out / edited)
    before = tree(out)
    code, _o, err = cli([command, scen, "--out", out, *extra], capsys)
    assert code == 2
    assert "changed since colonykit wrote" in err and edited in err
    assert tree(out) == before


@pytest.mark.catalogue
@pytest.mark.parametrize("ids", [None], ids=["rc8-render-hand-edited-error"])
def test_render_keeps_hand_edits(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], ids: None
) -> None:
    scen, _inv = _study(tmp_path)
    cli(["plan", scen, "--out", tmp_path / "o"], capsys)
    out = tmp_path / "r"
    cli(["render", tmp_path / "o" / "plan.yaml", "--target", "zvm", "--out", out], capsys)
    _edit(out / "zvm" / "lpar1" / "USER.DIRECT")
    code, _o, err = cli(
        ["render", tmp_path / "o" / "plan.yaml", "--target", "zvm", "--out", out], capsys
    )
    assert code == 2 and "USER.DIRECT" in err


@pytest.mark.catalogue
@pytest.mark.parametrize("ids", [None], ids=["rc8-plan-replace-edited-on-purpose-correct"])
def test_replace_edited_replaces(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], ids: None
) -> None:
    scen, _inv = _study(tmp_path)
    out = tmp_path / "o"
    cli(["plan", scen, "--out", out], capsys)
    original = (out / "plan.yaml").read_text()
    _edit(out / "plan.yaml")
    code, _o, err = cli(["plan", scen, "--out", out, "--replace-edited"], capsys)
    assert code in (0, 1), err
    assert (out / "plan.yaml").read_text() == original


@pytest.mark.catalogue
@pytest.mark.parametrize("ids", [None], ids=["rc8-plan-rerun-unchanged-correct"])
def test_rerun_over_own_tree(tmp_path: Path, capsys: pytest.CaptureFixture[str], ids: None) -> None:
    scen, _inv = _study(tmp_path)
    out = tmp_path / "o"
    cli(["plan", scen, "--out", out], capsys)
    code, _o, err = cli(["plan", scen, "--out", out], capsys)
    assert code in (0, 1), err
    manifest = json.loads((out / ".colonykit-tree").read_text())
    assert set(manifest["sha256"]) == set(manifest["files"])


@pytest.mark.catalogue
@pytest.mark.parametrize("ids", [None], ids=["rc8-old-manifest-without-hashes-correct"])
def test_old_manifest_still_replaced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], ids: None
) -> None:
    scen, _inv = _study(tmp_path)
    out = tmp_path / "o"
    cli(["plan", scen, "--out", out], capsys)
    m = json.loads((out / ".colonykit-tree").read_text())
    (out / ".colonykit-tree").write_text(
        json.dumps({"written_by": "colonykit", "files": m["files"]})
    )
    _edit(out / "plan.yaml")  # an older colonykit could not tell: replaced as before
    code, _o, err = cli(["plan", scen, "--out", out], capsys)
    assert code in (0, 1), err
    assert "# my hand edit" not in (out / "plan.yaml").read_text()


@pytest.mark.catalogue
@pytest.mark.parametrize("ids", [None], ids=["rc8-plan-out-holds-inventory-error"])
def test_plan_out_folder_holding_the_inventory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], ids: None
) -> None:
    scen, inv = _study(tmp_path)
    before = tree(tmp_path)
    code, _o, err = cli(["plan", scen, "--out", tmp_path], capsys)
    assert code == 2
    assert tree(tmp_path) == before
