"""The report as Jinja2 templates plus one writer per format (issue 27 §6).

The HTML itself is checked by tests/test_report.py (sections, figures, numbers); here: the
templates escape what they show, ship with the package, the writers stay small, and the
optional packages are named through ``require`` on the core install.
"""

from __future__ import annotations

import ast
import fnmatch
import sys
import tomllib
from pathlib import Path

import pytest

from colonykit import plan, report
from colonykit._optional import MissingOptionalDependency
from colonykit.cli import main
from colonykit.report import html as report_html

ROOT = Path(__file__).resolve().parents[1]
#: The report package under test (the source tree's, or the installed wheel's: make test-wheel).
REPORT_DIR = Path(report.__file__).resolve().parent
SCENARIO = "data/examples/scenario.yaml"


@pytest.fixture(scope="module")
def result() -> plan.ColonyPlanResult:
    return plan.build_plan(SCENARIO)


def test_table_macro_by_hand() -> None:
    table = report_html.environment().get_template("macros.html.j2").module.table
    rows = [{"a": 1234, "b": "x<y", "c": 2.5, "d": True}]
    assert str(table(rows)) == (
        "<table class=''><tr><th>a</th><th>b</th><th>c</th><th>d</th></tr>"
        "<tr><td class='num'>1,234</td><td class=''>x&lt;y</td><td class='num'>2.50</td>"
        "<td class=''>True</td></tr></table>"
    )
    assert str(table(rows, ["b"], cls="keys")) == (
        "<table class='keys'><tr><th>b</th></tr><tr><td class=''>x&lt;y</td></tr></table>"
    )
    assert str(table([])) == "<p class='note'>(none)</p>"


def test_values_from_the_user_are_escaped(result: plan.ColonyPlanResult) -> None:
    hostile = "<script>alert(1)</script>"
    info = report.DocumentInfo(customer=hostile, project="P & Q", author="a'b", date="d")
    text = report.build_report(result, title=hostile, info=info)
    body = text.split("<body>", 1)[1]
    assert hostile not in body
    assert "<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>" in body
    assert "<td class='ck-customer'>&lt;script&gt;alert(1)&lt;/script&gt;</td>" in body
    assert "<td class='ck-project'>P &amp; Q</td>" in body
    assert "<td class='ck-author'>a&#39;b</td>" in body


def test_undefined_template_names_are_errors() -> None:
    import jinja2

    with pytest.raises(jinja2.UndefinedError):
        report_html.render("whitespace.html.j2", ws_rows=[], figures={})


def test_the_templates_are_there_and_parse() -> None:
    """Against the installed wheel (make test-wheel) this checks the wheel carries them."""
    templates = sorted((REPORT_DIR / "templates").iterdir())
    assert {p.name for p in templates} >= {"report.html.j2", "macros.html.j2", "report.css"}
    for name in (p.name for p in templates if p.suffix == ".j2"):
        report_html.environment().get_template(name)  # parses


@pytest.mark.source_tree
def test_every_template_is_package_data() -> None:
    """The wheel carries the templates: each file matches pyproject's package-data globs."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    globs = pyproject["tool"]["setuptools"]["package-data"]["colonykit"]
    for path in sorted((ROOT / "colonykit" / "report" / "templates").iterdir()):
        rel = path.relative_to(ROOT / "colonykit").as_posix()
        assert any(fnmatch.fnmatch(rel, g) for g in globs), rel


def test_no_function_in_report_over_100_lines() -> None:
    long = []
    for path in sorted(REPORT_DIR.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                n = (node.end_lineno or node.lineno) - node.lineno + 1
                if n > 100:
                    long.append(f"{path.name}:{node.lineno} {node.name} ({n} lines)")
    assert long == []


def test_one_writer_per_format() -> None:
    assert report.write_report.__module__ == "colonykit.report.html"
    assert report.write_pdf.__module__ == "colonykit.report.pdf"
    assert report.write_xlsx.__module__ == "colonykit.report.xlsx"
    assert report.write_images.__module__ == "colonykit.report.images"
    assert report.References.__module__ == "colonykit.report.citations"


def test_images_without_kaleido_name_the_extra(
    result: plan.ColonyPlanResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "kaleido", None)
    with pytest.raises(MissingOptionalDependency, match=r"pip install 'colonykit\[browser\]'"):
        report.write_images(result, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_cli_images_without_kaleido_exit_2_before_any_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "kaleido", None)
    out = tmp_path / "r.html"
    rc = main(["report", SCENARIO, "--out", str(out), "--images", str(tmp_path / "img")])
    err = capsys.readouterr().err
    assert rc == 2
    assert "error: report --images needs the optional package 'kaleido'" in err
    assert "colonykit[browser]" in err and "Traceback" not in err
    assert not out.exists()  # named before the plan was built or anything written


def test_references_numbered_in_citation_order(result: plan.ColonyPlanResult) -> None:
    """Sizing cites §2.4 then §2.5 first: they are [1] (one publication) in the sizing text."""
    text = report.build_report(result)
    sizing = text.split('<h2 id="sizing">', 1)[1].split("<h2 ", 1)[0]
    assert "workload factor [1] §2.4; the workload factor is a range [1] §2.5," in sizing
    refs = text.split('<h2 id="references">', 1)[1].split("</ol>", 1)[0]
    assert refs.startswith(
        'References</h2><ol class="refs" style="list-style:none;padding-left:0">'
    )
    assert "<li id='ref-1'>[1] SG24-6299-00," in refs
