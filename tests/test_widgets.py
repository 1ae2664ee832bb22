"""The explorer without a browser: the model, the control wiring, in-place figures and the export."""

from __future__ import annotations

import json
from dataclasses import fields
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import pytest

from colonykit import designs, export, plan, report, sizing, widgets
from colonykit.errors import InputError, UnknownNameError
from colonykit.ingest import read_inventory

SCENARIO = "data/examples/scenario.yaml"


@pytest.fixture(scope="module")
def inv() -> pd.DataFrame:
    return read_inventory("data/examples/xyz_inventory.csv")[0]


@pytest.fixture()
def model() -> widgets.ExplorerModel:
    return widgets.ExplorerModel(SCENARIO)


@pytest.fixture()
def ui(tmp_path: Path):
    return widgets.explorer(SCENARIO, export_dir=tmp_path / "export")


def test_defaults_are_the_scenario(model: widgets.ExplorerModel) -> None:
    c = model.controls
    assert (c.processor, c.sizing_bound, c.basis, c.smt, c.hosts) == (
        "z15",
        "typical",
        "peak",
        False,
        1,
    )
    assert c.design == "zvm-basevol-guestvol"
    assert c.max_memory_overcommit_ratio == 1.5 and c.memory_gib_per_host == 24
    assert c.target_util_pct == 90.0  # constants.csv default (the scenario gives none)
    assert c.workload_class == widgets.AS_INVENTORY
    assert list(model.state.figures)[:4] == list(widgets.FIGURES)[:4]
    assert "capacity_plan" not in model.state.figures  # no growth: section in this scenario


def test_headroom_changes_engines_like_the_library(
    model: widgets.ExplorerModel, inv: pd.DataFrame
) -> None:
    assert model.state.headline["engines_per_host"] == [2]
    state = model.update(target_util_pct=50)
    direct = sizing.size_inventory(inv, "z15", target_util_pct=50)  # second path: the library alone
    assert state.headline["engines"] == direct.engines == {"low": 2, "typical": 4, "high": 6}
    assert state.headline["engines_per_host"] == [direct.engines["typical"]]
    assert state.result.plan.hosts[0].capacity.cpus == 4
    fig = state.figures["sizing_engines"]
    assert list(fig.data[0].y) == [2, 4, 6]
    assert "50 % target" in fig.layout.title.text
    assert model.state is state


def test_generation_and_workload_class(model: widgets.ExplorerModel, inv: pd.DataFrame) -> None:
    s = model.update(processor="z13", workload_class="database")
    other = inv.copy()
    other["workload_class"] = "database"
    direct = sizing.size_inventory(other, "z13")
    assert s.headline["processor"] == "z13"
    assert s.headline["mips"] == pytest.approx(direct.total)
    assert s.headline["engines"] == direct.engines
    assert list(s.figures["sizing_range"].data[1].x)[0] == pytest.approx(
        direct.total["mips_typical"]
    )


def test_hosts_split_the_guests(model: widgets.ExplorerModel) -> None:
    s = model.update(hosts=2)
    assert s.headline["hosts"] == ["lpar1", "lpar2"]
    assert sum(s.headline["guests_per_host"]) == 26
    real = next(t for t in s.figures["plan_hosts"].data if t.name == "real storage")
    assert list(real.x) == ["lpar1", "lpar2"]


def test_design_and_overcommit(model: widgets.ExplorerModel) -> None:
    s = model.update(design="zvm-ro-root")
    assert s.headline["design"] == "zvm-ro-root"
    assert s.headline["disk_total_gib"] == pytest.approx(
        designs.compare(26).loc["zvm-ro-root", "total_gib"]
    )
    widths = dict(
        zip(
            s.figures["design_comparison"].data[0].x,
            s.figures["design_comparison"].data[0].marker.line.width,
            strict=True,
        )
    )
    assert widths["zvm-ro-root"] == 3
    # 33 GiB of guest virtual on 24 GiB real = 1.375:1, over a 1.2 limit -> CK002
    s = model.update(max_memory_overcommit_ratio=1.2)
    assert "CK002" in set(s.findings["code"])
    assert s.headline["errors"] >= 1
    assert "CK002" in widgets.headline_html(s)


def test_bad_controls_leave_the_state(model: widgets.ExplorerModel) -> None:
    before = model.state
    with pytest.raises(UnknownNameError, match="explorer control"):
        model.update(headroom=10)
    with pytest.raises(InputError, match="hosts"):
        model.update(hosts=-1)
    with pytest.raises(InputError, match="SMT"):
        model.update(processor="z10ec", smt=True)
    with pytest.raises(UnknownNameError, match="workload class"):
        model.update(workload_class="gaming")
    assert model.state is before


def _fig(ui, name: str) -> dict:
    """The figure a chart widget last sent to the page (its JSON)."""
    return json.loads(ui.charts[name].figure)


def test_slider_updates_figures_in_place(ui) -> None:
    chart = ui.charts["sizing_engines"]
    assert type(chart).__name__ == "PlotlyChart" and chart.name == "sizing_engines"
    assert _fig(ui, "sizing_engines")["data"][0]["y"] == [2, 2, 4]
    assert "class='ck-engines'>2<" in ui.headline.value
    rev = chart.rev
    ui.controls["target_util_pct"].value = 50
    assert ui.charts["sizing_engines"] is chart and chart.rev == rev + 1  # same widget, new data
    assert _fig(ui, "sizing_engines")["data"][0]["y"] == [2, 4, 6]
    assert "50 % target" in _fig(ui, "sizing_engines")["layout"]["title"]["text"]
    assert "class='ck-engines'>4<" in ui.headline.value
    assert "updated" in ui.status.value and "ck-busy" not in ui._dom_classes
    ui.controls["hosts"].value = 3
    real = next(t for t in _fig(ui, "plan_hosts")["data"] if t["name"] == "real storage")
    assert list(real["x"]) == ["lpar1", "lpar2", "lpar3"]


def test_bad_control_shows_an_error_and_keeps_figures(ui) -> None:
    y = _fig(ui, "sizing_engines")["data"][0]["y"]
    ui.controls["processor"].value = "z10ec"
    ui.controls["smt"].value = True
    assert "ck-error" in ui.status.value and "SMT" in ui.status.value
    assert "ck-busy" not in ui._dom_classes
    assert "z10ec engines" in _fig(ui, "sizing_engines")["layout"]["title"]["text"]  # last good
    ui.controls["smt"].value = False
    assert "ck-error" not in ui.status.value
    assert _fig(ui, "sizing_engines")["data"][0]["y"] != y  # z10ec needs more engines than z15


def test_export_button_writes_the_current_plan(ui, tmp_path: Path) -> None:
    ui.controls["target_util_pct"].value = 60
    ui.export_button.click()
    out = tmp_path / "export"
    assert ui.exported and ui.exported[0] == out / "plan" / "plan.yaml"
    assert "exported" in ui.status.value
    loaded = export.load_plan(out / "plan" / "plan.yaml")
    assert loaded.hosts[0].capacity.cpus == ui.model.state.headline["engines_per_host"][0] == 3
    assert loaded.evidence.sizing.values["target_util_pct"] == 60.0
    rendered = [p for p in ui.exported[1:] if "render" in p.relative_to(out).parts]
    assert rendered and all(p.is_file() for p in rendered)
    assert (out / "plan" / "render" / "zvm").is_dir()
    # a second export after another change overwrites with the new plan
    ui.controls["hosts"].value = 2
    ui.export_button.click()
    assert len(export.load_plan(out / "plan" / "plan.yaml").hosts) == 2


def test_export_of_a_plan_with_errors_says_so(
    ui, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 10 item 9: exporting a plan whose findings include errors is not a plain success."""
    ui.export_button.click()
    assert "ck-plan-errors" not in ui.status.value and "exported" in ui.status.value
    # 26 guests, 33 GiB virtual on 24 GiB real = 1.375:1 (by hand from xyz_inventory.csv), over 1.2 -> CK002
    inv = read_inventory("data/examples/xyz_inventory.csv")[0]
    virtual_gib = float((inv["memory_mib"] * inv["count"]).sum()) / 1024
    assert virtual_gib / 24 == pytest.approx(1.375)
    ui.controls["max_memory_overcommit_ratio"].value = 1.2
    assert ui.model.error_findings() == ["CK002"]
    ui.export_button.click()
    status = ui.status.value
    assert "ck-plan-errors" in status
    assert "Plan exported with 1 error finding: CK002 " in status
    assert "1.38:1" in status and "over the limit 1.2:1" in status  # the finding's own message
    out = tmp_path / "export" / "plan"
    assert f"exported {len(ui.exported)} files to {out}" in status  # written all the same
    assert [
        f.code for f in export.load_plan(out / "plan.yaml").findings if f.severity == "error"
    ] == ["CK002"]
    # the report button says it too (no Chromium: html + xlsx only)
    monkeypatch.setattr(report, "chromium_path", lambda: None)
    ui.report_button.click()
    assert "Report written with 1 error finding: CK002" in ui.status.value
    assert (tmp_path / "export" / "report.html").is_file()
    # back under the limit: a plain success again
    ui.controls["max_memory_overcommit_ratio"].value = 1.5
    ui.export_button.click()
    assert "ck-plan-errors" not in ui.status.value and "exported" in ui.status.value
    assert ui.model.error_findings() == []


def test_export_to_a_file_path_is_an_error(ui, tmp_path: Path) -> None:
    blocker = tmp_path / "file.txt"
    blocker.write_text("x")
    ui.export_dir.value = str(blocker)
    ui.export_button.click()
    assert "ck-error" in ui.status.value


def test_chart_sends_plotly_js_once_and_unchanged_figures_not_at_all() -> None:
    """Issue 20: an update sends figure JSON (only when changed) and a revision; plotly.js goes
    once per page, gzip-compressed, when the page's first chart asks for it."""
    import gzip

    import plotly

    from colonykit.widgets import chart as ck_chart

    c = ck_chart.plotly_chart("x", go.Figure(go.Bar(x=["a"], y=[1])))
    sent: list[tuple[dict, list]] = []
    c.send = lambda content, buffers=None: sent.append((content, buffers))  # type: ignore[method-assign]
    c._ck_on_msg(c, {"type": "plotly.js?"}, [])
    ((msg, buffers),) = sent
    shipped = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    assert msg == {"type": "plotly.js"} and gzip.decompress(buffers[0]) == shipped.read_bytes()
    assert len(buffers[0]) < shipped.stat().st_size / 2
    changes: list[str] = []
    c.observe(lambda ch: changes.append(ch["name"]), names=["figure", "rev"])
    c.show(go.Figure(go.Bar(x=["a"], y=[1])))
    assert changes == ["rev"]  # same figure: only the revision
    c.show(go.Figure(go.Bar(x=["a"], y=[2])))
    assert changes == ["rev", "figure", "rev"] and json.loads(c.figure)["data"][0]["y"] == [2]


def test_controls_carry_their_scenario_keys(ui) -> None:
    helper = next(c for c in ui.children if type(c).__name__ == "PageHelper")
    assert helper.control_keys == widgets.CONTROL_KEYS
    assert set(widgets.CONTROL_KEYS) == set(ui.controls)
    for name, wid in ui.controls.items():
        assert f"ck-control-{name}" in wid._dom_classes
    scen = plan.load_scenario(SCENARIO).model_dump()
    # sections this scenario leaves out (growth:) are read from one that has them
    full = plan.load_scenario("data/examples/bitbrains_colony.yaml").model_dump()
    for key in widgets.CONTROL_KEYS.values():
        section, field = key.split(".")
        assert section == "inventory" or field in (scen[section] or full[section]), key


def test_export_folder_stays_below_the_root(tmp_path: Path) -> None:
    root = tmp_path / "out"
    assert widgets.export_folder(root, "") == root.resolve()
    assert widgets.export_folder(root, "a/b") == (root / "a" / "b").resolve()
    for bad in ("..", "../x", str(tmp_path), "/etc", "a/../../x"):
        with pytest.raises(InputError, match="must be below"):
            widgets.export_folder(root, bad)
    root.mkdir()
    (root / "link").symlink_to(tmp_path)
    with pytest.raises(InputError, match="must be below"):
        widgets.export_folder(root, "link/x")
    assert widgets.export_folder(None, "/anywhere") == Path("/anywhere")


def test_model_from_a_scenario_object_and_inventory(inv: pd.DataFrame) -> None:
    scen = plan.load_scenario(SCENARIO)
    m = widgets.ExplorerModel(scen, inventory=inv)
    assert m.state.headline["guests"] == 26
    no_inv = scen.model_copy(update={"inventory": None})
    with pytest.raises(InputError, match="inventory"):
        widgets.ExplorerModel(no_inv)


def test_traces_are_read_once_and_white_space_is_shown(tmp_path: Path) -> None:
    from colonykit import whitespace

    traces = Path("data/traces/bitbrains_rnd_50vm_7d.csv.gz")
    assert traces.is_file(), f"bundled example traces missing: {traces}"  # fail, never skip
    ui = widgets.explorer("data/examples/bitbrains_colony.yaml", export_dir=tmp_path)
    traces = ui.model.traces
    demand = ui.model.state.result.demand
    assert traces is not None and demand.shape[1] == 50
    ws = ui.model.state.result.whitespace
    assert ws.sum_of_peaks == pytest.approx(whitespace.analyze(demand).sum_of_peaks)
    fig = ui.model.state.figures["white_space"]
    assert fig.data[0].y[0] == pytest.approx(ws.sum_of_peaks)
    ui.controls["target_util_pct"].value = 50
    assert ui.model.traces is traces  # not read again
    assert ui.model.state.result.plan.evidence.white_space.evaluated


def test_too_big_for_the_machine_is_shown(model: widgets.ExplorerModel) -> None:
    s = model.update(processor="g5")  # 10 engines at most (processors.csv)
    assert s.headline["max_engines"] == 10
    assert s.headline["fits_machine"] == {
        b: s.headline["engines"][b] <= 10 for b in ("low", "typical", "high")
    }
    assert not s.headline["fits_machine"]["high"]
    assert "more engines than the largest g5 has (10)" in widgets.headline_html(s)
    assert "more engines than" not in widgets.headline_html(model.update(processor="z15"))


# --------------------------------------------------------------------------- workshop dashboard (issue 13)
def _plan_core(p: plan.ColonyPlan) -> list[tuple]:
    """What a plan decides: hosts (engines, memory, paging) and guests (name, vCPUs, memory, MIPS)."""
    return [
        (
            h.id,
            h.capacity.cpus,
            h.capacity.memory_gib,
            h.capacity.paging_gib,
            tuple((g.name, g.vcpus, g.memory_mib, round(g.mips_sized, 6)) for g in h.guests),
        )
        for h in p.hosts
    ]


def test_every_control_has_a_tooltip_with_unit_and_source(ui) -> None:
    from colonykit.widgets import specs

    extra = {c.name for c in specs.CONTROLS if c.extra}  # the panels' own (growth, issue 21)
    assert set(ui.controls) == ({f.name for f in fields(widgets.Controls)} - {"extra"}) | extra
    for name, wid in ui.controls.items():
        tip = wid.tooltip
        assert tip and "[" in tip and "]" in tip, name  # a unit in brackets
        assert "facts.md" not in tip and "seed 0" not in tip, (
            name
        )  # public sources, not internal keys
    assert (
        "IBM AIX tip" in ui.controls["target_util_pct"].tooltip
    )  # constants.csv source of the 90 %
    assert "SG24-6299-00" in ui.controls["basis"].tooltip


def test_baseline_vs_current(model: widgets.ExplorerModel) -> None:
    assert "Pin a baseline" in widgets.comparison_html(model)
    model.pin()
    model.update(target_util_pct=50, design="dedicated")
    c = model.comparison()
    # engines: 2 at 90 % and 4 at 50 % (test_headroom_changes_engines_like_the_library)
    assert c.loc["engines", ["baseline", "current", "difference"]].tolist() == [2.0, 4.0, 2.0]
    base = plan.build_plan(SCENARIO).comparison.loc["zvm-basevol-guestvol", "total_gib"]
    assert c.loc["disk_gib", "baseline"] == pytest.approx(base)
    assert c.loc["disk_gib", "current"] == pytest.approx(
        designs.compare(26).loc["dedicated", "total_gib"]
    )
    assert c.loc["memory_gib", "difference"] == 0.0
    text = widgets.comparison_html(model)
    assert "ck-row-baseline" in text and "ck-row-current" in text and "+2" in text


def test_pin_button_shows_both(ui) -> None:
    ui.pin_button.click()
    ui.controls["target_util_pct"].value = 50
    assert "ck-row-baseline" in ui.compare.value and "ck-row-difference" in ui.compare.value
    assert "baseline" in ui.model.comparison().columns


def test_edit_a_server(model: widgets.ExplorerModel, inv: pd.DataFrame) -> None:
    s = model.edit_server("web", count=20, util_peak_pct=90)
    assert s.headline["guests"] == 26 + 10
    edited = inv.copy()
    edited.loc[edited["server"] == "web", ["count", "util_peak_pct"]] = [20, 90.0]
    want = sizing.size_inventory(edited, "z15", target_util_pct=90).total["mips_typical"]
    assert s.headline["mips"]["mips_typical"] == pytest.approx(want)
    with pytest.raises(InputError, match=r"'util_peak_pct' must be in 0\.\.100 \(got 140"):
        model.edit_server("web", util_peak_pct=140)
    with pytest.raises(UnknownNameError):
        model.edit_server("nope", count=2)
    assert model.state is s  # unchanged by the bad edits


def test_saved_scenario_rebuilds_the_same_plan(
    model: widgets.ExplorerModel, tmp_path: Path
) -> None:
    model.update(target_util_pct=60, hosts=2, processor="z16", design="zvm-ro-root")
    model.edit_server("dns", workload_class="web", count=6)
    written = model.save_scenario(tmp_path / "sub" / "changed.yaml")
    assert [p.name for p in written] == ["changed.yaml", "changed_inventory.csv"]
    again = plan.build_plan(plan.load_scenario(written[0]))
    assert _plan_core(again.plan) == _plan_core(model.state.result.plan)
    # unchanged inventory: the saved file points at the original (relative path)
    m2 = widgets.ExplorerModel(SCENARIO)
    out = m2.save_scenario(tmp_path / "plain.yaml")
    assert len(out) == 1
    assert _plan_core(plan.build_plan(plan.load_scenario(out[0])).plan) == _plan_core(
        m2.state.result.plan
    )


def test_save_and_report_buttons(ui, tmp_path: Path) -> None:
    ui.controls["target_util_pct"].value = 50
    ui.save_button.click()
    assert ui.saved and plan.load_scenario(ui.saved[0]).target.target_util_pct == 50
    files = ui.model.export_report(tmp_path / "export", pdf=False)
    assert [p.name for p in files] == ["report.html", "tables.xlsx"]
    assert "50 % target" in files[0].read_text(encoding="utf-8")


def test_server_table_apply(ui) -> None:
    ed = ui.server_editor
    ed["server"].value = "web"
    assert ed["count"].value == 10
    ed["count"].value = 12
    ui.apply_button.click()
    assert ui.model.state.headline["guests"] == 28
    assert "server web changed" in ui.status.value
    ed["util_avg_pct"].value = 80
    ed["util_peak_pct"].value = 50  # below the average: refused, shown, state kept
    ui.apply_button.click()
    assert "ck-error" in ui.status.value
    assert ui.model.state.headline["guests"] == 28


def test_dashboard_updates_charts_in_place_and_confines_exports(tmp_path: Path) -> None:
    ui = widgets.dashboard(SCENARIO, export_dir=tmp_path / "out")
    chart = ui.charts["sizing_engines"]
    ui.controls["target_util_pct"].value = 50
    assert ui.charts["sizing_engines"] is chart and _fig(ui, "sizing_engines")["data"][0]["y"] == [
        2,
        4,
        6,
    ]
    assert _fig(ui, "sizing_engines")["layout"]["height"] == widgets.FIGURE_HEIGHT_PX
    assert ui.tabs.children[0].children[0].children == (chart,)  # the same widget on screen
    ui.export_dir.value = "../elsewhere"
    ui.save_button.click()
    assert "ck-error" in ui.status.value and "must be below" in ui.status.value
    assert not (tmp_path / "elsewhere").exists()
    ui.export_dir.value = "day2"
    ui.save_button.click()
    assert (tmp_path / "out" / "day2" / "scenario.yaml").is_file()


def test_basis_control_peaks_vs_composite() -> None:
    """Issue 9: the explorer's basis control switches between the WLF sum of peaks and the composite."""
    m = widgets.ExplorerModel("data/examples/bitbrains_colony.yaml")
    assert m.controls.basis == "composite"
    comp = m.state.result
    assert comp.plan.evidence.sizing.values["sizing_basis"] == "composite"
    peaks = m.update(basis="peak").result
    assert peaks.plan.evidence.sizing.values["sizing_basis"] == "peaks"
    assert not peaks.plan.evidence.white_space.evaluated
    # the composite needs fewer engines than the WLF sum of peaks on this colony
    assert sum(h.capacity.cpus for h in comp.plan.hosts) < sum(
        h.capacity.cpus for h in peaks.plan.hosts
    )
    assert (
        m.update(basis="composite").result.plan.evidence.sizing.values["sizing_basis"]
        == "composite"
    )
    with pytest.raises(InputError, match="needs traces"):
        widgets.ExplorerModel(SCENARIO).update(basis="composite")


def test_dashboard_charts_take_their_cells_width(tmp_path: Path) -> None:
    """1366 x 768: no chart has a fixed width (a 700 px one overlapped the next cell); the charts
    are responsive and the panel wraps the right column under the controls when narrow."""
    ui = widgets.dashboard(SCENARIO, export_dir=tmp_path)
    for name, chart in ui.charts.items():
        lay = _fig(ui, name)["layout"]
        assert "width" not in lay and lay["height"] == widgets.FIGURE_HEIGHT_PX
        assert chart.config["responsive"] is True
        assert len(lay["title"]["text"].split("<br>")[0]) <= widgets.TITLE_ONE_LINE_CHARS
    assert ui.layout.flex_flow == "row wrap"
    ui.controls["target_util_pct"].value = 50
    assert all("width" not in _fig(ui, n)["layout"] for n in ui.charts)
    title = _fig(ui, "plan_hosts")["layout"]["title"]["text"]
    assert title.startswith("Memory and paging per host<br><sup>(") and title.count("<br>") == 1


def test_a_control_moved_back_shows_the_same_plan_without_a_rebuild() -> None:
    m = widgets.ExplorerModel(SCENARIO)
    first = m.state
    at50 = m.update(target_util_pct=50)
    assert m.update(target_util_pct=first.controls.target_util_pct) is first
    assert m.update(target_util_pct=50) is at50
    m.edit_server("web", count=20)  # a new inventory: earlier plans no longer hold
    assert m.update(target_util_pct=first.controls.target_util_pct) is not first
    assert m.state.headline["guests"] == 36


def test_a_panel_is_one_control_spec_and_one_chart_spec(monkeypatch, tmp_path: Path) -> None:
    """Issue 27 item 5: a new control (any scenario key) and a new chart are one entry each."""
    from colonykit import plots
    from colonykit.widgets import specs

    extra = specs.ControlSpec(
        "channel_busy",
        "rules.channel_max_busy_pct",
        "int_slider",
        "channel busy [%]",
        10,
        90,
        5,
        extra=True,
        default=50,
        help="Largest channel busy [%] (demo panel)",
    )
    chart = specs.ChartSpec("channels_demo", lambda res: plots.sizing_engines(res.sizing))
    monkeypatch.setattr(specs, "CONTROLS", (*specs.CONTROLS, extra))
    monkeypatch.setattr(specs, "CHARTS", (*specs.CHARTS, chart))
    monkeypatch.setattr(widgets, "FIGURES", (*widgets.FIGURES, "channels_demo"))
    ui = widgets.dashboard(SCENARIO, export_dir=tmp_path)
    assert "channels_demo" in ui.charts and ui.charts["channels_demo"].name == "channels_demo"
    ui.controls["channel_busy"].value = 40
    assert "ck-error" not in ui.status.value, ui.status.value
    assert ui.model.state.controls.extra == (("rules.channel_max_busy_pct", 40),)
    assert ui.model.state.result.scenario.rules.channel_max_busy_pct == 40
    assert "ck-control-channel_busy" in ui.controls["channel_busy"]._dom_classes
    helper = next(c for c in ui.children if type(c).__name__ == "PageHelper")
    assert helper.control_keys["channel_busy"] == "rules.channel_max_busy_pct"
