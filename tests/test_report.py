"""The workshop report: self-contained HTML with the plan's numbers, and ``colonykit report``."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pandas as pd
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
    assert ("white_space" in names) == (result.whitespace is not None)
    for section in (
        "title",
        "executive-summary",
        "findings",
        "sizing",
        "hosts",
        "design",
        "channels",
        "evidence",
        "assumptions",
        "references",
        "appendix",
    ):
        assert f'id="{section}"' in text


def test_numbers_come_from_the_plan(result: plan.ColonyPlanResult, text: str) -> None:
    h = report.headline(result)
    assert h["engines"] == {"low": 2, "typical": 2, "high": 4}
    assert (
        "<b class='answer-engines'>2</b> (range <span class='answer-range'>2 / 2 / 4</span>" in text
    )
    assert f"{h['mips']['mips_typical']:,.0f}" in text  # 3,194
    assert "design <b>zvm-basevol-guestvol</b>" in text
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
    bad.write_text(
        "apiVersion: colonykit/v1\nkind: ColonyScenario\nname: x\ndesign: {name: nope}\n"
        "inventory: nowhere.csv\n"
    )
    assert main(["report", str(bad), "--out", str(tmp_path / "r.html")]) == 2
    assert capsys.readouterr().err.startswith("error: ")
    assert not (tmp_path / "r.html").exists()


def test_with_traces_the_white_space_is_reported(result: plan.ColonyPlanResult) -> None:
    bundled = Path("data/traces/bitbrains_rnd_50vm_7d.csv.gz")
    assert bundled.is_file(), f"bundled example traces missing: {bundled}"  # fail, never skip
    res = plan.build_plan("data/examples/bitbrains_colony.yaml")
    ws = res.whitespace
    text = report.build_report(res)
    assert "data-figure='white_space'" in text
    assert (
        f"non-coincidence saving: {ws.non_coincidence_saving_pct:.1f} % of the sum of the individual peaks"
        in text
    )
    assert (
        f"white space (1 − utilization of capacity sized at the composite peak, seed 003 §2.3): "
        f"{res.plan.evidence.white_space.values['white_space_pct']:.1f} %" in text
    )
    assert f"<td class='num'>{ws.non_coincidence_saving_pct:,.2f}</td>" in text
    # one white space: the trace analysis and the plan evidence agree
    assert ws.white_space_pct == pytest.approx(
        res.plan.evidence.white_space.values["white_space_pct"], abs=0.05
    )
    assert f"<td class='num'>{ws.white_space_pct:,.2f}</td>" in text
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


# --------------------------------------------------------------------------- the customer handout (issue 13)
def test_title_page_and_executive_summary_come_first(result: plan.ColonyPlanResult) -> None:
    info = report.DocumentInfo(
        customer="XYZ Corp",
        project="Penguin colony",
        author="A. Planner",
        date="2026-01-31",
        revision=3,
    )
    text = report.build_report(result, info=info)
    body = text[text.index("<body>") :]
    order = [
        body.index(x)
        for x in (
            'id="title"',
            'id="executive-summary"',
            'id="findings"',
            'id="sizing"',
            'id="references"',
            'id="appendix"',
        )
    ]
    assert order == sorted(order)
    title = body[: body.index('id="executive-summary"')]
    for value in (
        "XYZ Corp",
        "Penguin colony",
        "A. Planner",
        "2026-01-31",
        "<td class='ck-plan-revision'>3</td>",
    ):
        assert value in title
    assert "<pre" not in text  # no text dumps


def test_document_info_defaults(result: plan.ColonyPlanResult) -> None:
    info = report.document_info(result)
    assert (
        info.project == result.plan.metadata.name and info.revision == result.plan.metadata.revision
    )
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", info.date)
    assert report.document_info(result, author="B", customer=None).author == "B"


def test_executive_summary_values_by_hand(result: plan.ColonyPlanResult) -> None:
    s = report.executive_summary(result)
    # data/examples/xyz_inventory.csv: 10 file + 4 DNS + 2 firewall + 10 web = 26 servers; 2 IFLs planned
    assert s["servers"] == 26 and s["engines_total"] == 2 and s["consolidation_ratio"] == 13.0
    # Σ guest virtual 10×1024 + 4×256 + 2×1024 + 10×2048 MiB = 33 GiB on 24 GiB real: 1.375:1, limit 1.5
    oc = s["overcommit"][0]
    assert (
        oc["virtual_gib"] == 33.0
        and oc["real_gib"] == 24.0
        and oc["ratio"] == 1.375
        and oc["limit"] == 1.5
    )
    assert s["engines_peak"] == 2  # typical bound, peak basis
    assert s["disk_saving_pct"] == pytest.approx(
        result.comparison.loc["zvm-basevol-guestvol", "saving_vs_dedicated_pct"]
    )
    assert s["white_space_pct"] is None  # no traces in scenario.yaml
    assert any("high end" in r for r in s["risks"])  # high bound 4 engines > 2 planned
    # issue 20 item 4: the range's high end heads "Main risks"; CK012/CK019 are information only
    assert s["risks"][0].startswith("RANGE (risk): the high end")
    assert not any(r.startswith(("CK012", "CK019", "CK003")) for r in s["risks"])
    assert any(i.startswith("CK019") for i in s["information"])
    # issue 20 item 2: the path to the plan's count, the inventory sizing labelled as before measurement
    assert [st.key for st in s["waterfall"]] == ["inventory", "lpars", "plan"]
    assert s["waterfall"][0].label.startswith("sizing before measurement")
    assert s["waterfall"][-1].engines == s["answer"].engines == 2
    text = report.build_report(result)
    assert "26 servers on 2 engines</b> = 13.0 servers per engine" in text
    assert "33.0 GiB guest virtual on 24 GiB real = 1.38:1 (limit 1.5:1)" in text


def test_references_cite_publications_and_keys_stay_in_the_appendix(text: str) -> None:
    body, appendix = text.split('id="appendix"')
    refs = body[body.index('id="references"') :]
    assert (
        "SG24-6299-00, “Linux on IBM eServer zSeries and S/390: ISP/ASP Solutions”, IBM Redbooks, 2001"
        in refs
    )
    assert "§2.4" in refs and "§9.1.1" in refs
    main = body[: body.index('id="references"')]
    for key in ("facts.md", "seed 003", "provisioning-formats.md"):
        assert key not in main, key
    assert "seed 003" in appendix and "facts.md" in appendix


def test_citation_parsing() -> None:
    refs = report.References()
    assert (
        refs.cite("seed 003 §9.1.1; facts.md §2.2 Domino 6.5 Redbook §11.10 https://flylib.com/x")
        == "[1] §9.1.1; [2]"
    )
    assert refs.cite("seed 003 §2.3") == "[1] §2.3"
    assert refs.cite("derived: from the table") == "colonykit derivation"
    entries = refs.entries
    assert [e.number for e in entries] == [1, 2]
    assert entries[0].publication == "SG24-6299-00" and entries[0].sections == ("§9.1.1", "§2.3")
    assert entries[1].url == "https://flylib.com/x" and "Domino 6.5 Redbook" in entries[1].title
    assert (
        report.public_source("seed 000")
        == "Using BIND Mounts to Create A Simplified BaseVol/GuestVol Linux "
        "Server for SUSE Linux Enterprise Server 9"
    )


def test_print_css(text: str) -> None:
    assert "@page{size:A4" in text and "@media print" in text and "break-after:page" in text


def test_time_axis_is_real_time(result: plan.ColonyPlanResult) -> None:
    bundled = Path("data/traces/bitbrains_rnd_50vm_7d.csv.gz")
    assert bundled.is_file(), f"bundled example traces missing: {bundled}"  # fail, never skip
    from colonykit import plots

    res = plan.build_plan("data/examples/bitbrains_colony.yaml")
    ws = res.whitespace
    fig = plots.white_space(ws)
    assert "step" not in fig.layout.xaxis.title.text
    x = list(fig.data[0].x)
    if isinstance(ws.composite.index, pd.DatetimeIndex):
        assert fig.layout.xaxis.title.text == "time [UTC]"
    else:  # samples of interval_s seconds -> elapsed hours
        assert x[1] - x[0] == pytest.approx(ws.interval_s / 3600)
        assert x[-1] == pytest.approx((len(x) - 1) * ws.interval_s / 3600)
        assert "elapsed time" in fig.layout.xaxis.title.text
    for name, fig2 in plots.plan_figures(res, ["staggering", "packing"]).items():
        titles = [ax.title.text for ax in fig2.select_xaxes() if ax.title.text]
        assert titles and all("step" not in t for t in titles), name


def test_workbook_tables(result: plan.ColonyPlanResult, tmp_path: Path) -> None:
    import openpyxl

    out = report.write_xlsx(result, tmp_path / "t.xlsx")
    wb = openpyxl.load_workbook(out, read_only=True)
    assert wb.sheetnames == ["sizing", "hosts", "guests", "storage", "findings", "assumptions"]
    rows = {n: list(wb[n].iter_rows(values_only=True)) for n in wb.sheetnames}
    assert len(rows["sizing"]) - 1 == 4  # four inventory lines
    assert len(rows["guests"]) - 1 == 26
    assert len(rows["assumptions"]) - 1 == len(result.plan.evidence.assumptions)
    disks = sum(len(g.storage) for _h, g in result.plan.guests()) + len(result.plan.images)
    assert len(rows["storage"]) - 1 == disks
    head = rows["hosts"][0]
    assert rows["hosts"][1][head.index("engines")] == 2
    assert rows["hosts"][1][head.index("guest_virtual_gib")] == 33.0


def test_cli_report_xlsx_and_metadata(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "report",
            SCENARIO,
            "--out",
            str(tmp_path / "r.html"),
            "--xlsx",
            str(tmp_path / "t.xlsx"),
            "--customer",
            "ACME",
            "--author",
            "Me",
        ]
    )
    assert code == 0
    assert (tmp_path / "t.xlsx").is_file()
    text = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "ACME" in text and "<td class='ck-author'>Me</td>" in text
    assert (
        main(["report", SCENARIO, "--out", str(tmp_path / "r2.html"), "--pdf", str(tmp_path)]) == 2
    )
    assert "--pdf must be a file name" in capsys.readouterr().err


def test_title_page_from_scenario_metadata(result: plan.ColonyPlanResult) -> None:
    scen = result.scenario.model_copy(deep=True)
    scen.metadata = plan.ScenarioMetadata(
        customer="XYZ Corp", project="Colony", author="A. P.", date="2026-02-01"
    )
    info = report.document_info(plan.build_plan(scen))
    assert (info.customer, info.project, info.author, info.date) == (
        "XYZ Corp",
        "Colony",
        "A. P.",
        "2026-02-01",
    )
    with pytest.raises(ValueError, match="metadata.date"):
        plan.parse_scenario(
            {"name": "x", "design": {"name": "dedicated"}, "metadata": {"date": "1 Feb"}}
        )
