"""The workshop report: self-contained HTML with the plan's numbers, and ``colonykit report``."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

from colonykit import channels, plan, report
from colonykit.cli import main

SCENARIO = "data/examples/scenario.yaml"


@pytest.fixture(scope="module")
def result() -> plan.ColonyPlanResult:
    return plan.build_plan(SCENARIO)


@pytest.fixture(scope="module")
def text(result: plan.ColonyPlanResult) -> str:
    return report.build_report(result)


def test_self_contained(text: str) -> None:
    assert text.startswith("<!DOCTYPE html>")
    assert "<script src=" not in text and "<link " not in text  # nothing fetched
    assert text.count("<script type='text/javascript'>") == 1  # plotly.js inlined once
    assert "Plotly.newPlot" in text
    assert len(text) > 3_000_000  # plotly.min.js is ~4.6 MB


def test_figures_and_sections(result: plan.ColonyPlanResult, text: str) -> None:
    names = re.findall(r"data-figure='([a-z_]+)'", text)
    core = ["sizing_range", "sizing_engines", "plan_hosts", "design_comparison"]
    assert names[:4] == core and names[-1] == "channel_curve"
    assert sorted(names) == sorted(report.report_figures(result))
    # white space appears exactly when the plan carries a white-space result
    assert ("white_space" in names) == (result.extras.get("whitespace") is not None)
    for section in ("summary", "findings", "sizing", "hosts", "design", "channels", "evidence", "assumptions"):
        assert f'id="{section}"' in text


def test_numbers_come_from_the_plan(result: plan.ColonyPlanResult, text: str) -> None:
    h = report.headline(result)
    assert h["engines"] == {"low": 2, "typical": 2, "high": 4}
    assert "2 / 2 / 4 (plan uses typical)" in text
    assert f"{h['mips']['mips_typical']:,.0f}" in text  # 3,194
    assert "zvm-basevol-guestvol (zvm)" in text
    for f in result.plan.findings:
        assert f"<td>{f.code}</td>" in text
    ws = result.plan.evidence.white_space
    assert ("white space: evaluated" if ws.evaluated else "white space: NOT evaluated") in text
    # every assumption with its source
    for a in result.plan.evidence.assumptions:
        assert f"<td class=''>{a.name}</td>" in text
    # the channel evidence: 54 I/O/s × 14 ms = 75.6 % busy (seed 003 §8.10.3)
    assert "lpar1.busy_pct" in text and "75.60" in text


def test_channel_curve_is_the_library_load(result: plan.ColonyPlanResult) -> None:
    figs = report.report_figures(result)
    load = channels.channel_load(54, 14, paths=2)
    marker = figs["channel_curve"].data[-1]
    assert marker.x[0] == pytest.approx(load.per_path_busy_pct) == pytest.approx(37.8)
    assert marker.y[0] == pytest.approx(load.response_ms)


def test_without_io_no_channel_figure(result: plan.ColonyPlanResult) -> None:
    scen = result.scenario.model_copy(update={"io": None})
    text = report.build_report(plan.build_plan(scen), title="no io")
    assert "data-figure='channel_curve'" not in text
    assert "channels not evaluated" in text
    assert "<title>no io</title>" in text


def test_write_report_is_atomic(result: plan.ColonyPlanResult, tmp_path: Path) -> None:
    out = report.write_report(result, tmp_path / "sub" / "report.html")
    assert out.read_text(encoding="utf-8") == report.build_report(result)
    assert sorted(p.name for p in out.parent.iterdir()) == ["report.html"]  # no temp file left


def test_cli_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "report.html"
    assert main(["report", SCENARIO, "--out", str(out)]) == 0
    assert out.is_file()
    assert "wrote" in capsys.readouterr().out
    assert "data-figure='sizing_range'" in out.read_text(encoding="utf-8")


def test_cli_report_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", str(tmp_path / "missing.yaml"), "--out", str(tmp_path / "r.html")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "Traceback" not in err
    assert main(["report", SCENARIO, "--out", str(tmp_path)]) == 2
    assert "is a folder" in capsys.readouterr().err
    bad = tmp_path / "bad.yaml"
    bad.write_text("apiVersion: colonykit/v1\nkind: ColonyScenario\nname: x\ndesign: {name: nope}\n"
                   "inventory: nowhere.csv\n")
    assert main(["report", str(bad), "--out", str(tmp_path / "r.html")]) == 2
    assert capsys.readouterr().err.startswith("error: ")
    assert not (tmp_path / "r.html").exists()


def test_with_traces_the_white_space_is_reported(result: plan.ColonyPlanResult) -> None:
    bundled = Path("data/traces/bitbrains_rnd_50vm_7d.csv.gz")
    assert bundled.is_file(), f"bundled example traces missing: {bundled}"  # fail, never skip
    scen = result.scenario.model_copy(deep=True)
    scen.traces = plan.ScenarioTraces(path="../traces/bitbrains_rnd_50vm_7d.csv.gz", unit="mips")
    res = plan.build_plan(scen)
    ws = res.extras["whitespace"]
    text = report.build_report(res)
    assert "data-figure='white_space'" in text
    assert f"White space of peak-sized servers: {ws.white_space_pct:.1f} %" in text
    assert "white space: evaluated" in text


def test_static_images_with_kaleido(result: plan.ColonyPlanResult, tmp_path: Path) -> None:
    pytest.importorskip("kaleido")
    if not Path(report.CHROMIUM_PATH).exists():
        pytest.skip("no /usr/bin/chromium for kaleido")
    (png,) = report.write_images(result, tmp_path, names=["sizing_engines"])
    assert png == tmp_path / "sizing_engines.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_static_images_bad_input(result: plan.ColonyPlanResult, tmp_path: Path) -> None:
    from colonykit.errors import InputError, UnknownNameError

    with pytest.raises(InputError, match="fmt"):
        report.write_images(result, tmp_path, fmt="bmp")
    if importlib.util.find_spec("kaleido") is not None:
        with pytest.raises(UnknownNameError, match="figure"):
            report.write_images(result, tmp_path, names=["nope"])
