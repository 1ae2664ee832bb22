"""The dashboard's panels for capacity over time (#21), the business case (#22) and the plan's
confidence (#23): each control moved gives what the library computes on its own."""

from __future__ import annotations

import html
from pathlib import Path

import pytest

from colonykit import confidence, plan, plots, widgets
from colonykit.errors import InputError
from colonykit.plan.scenario import GrowthModel, GrowthRate

GROWING = "data/examples/bitbrains_colony.yaml"  # growth: 10/25/40 %/year, costs: example prices
PLAIN = "data/examples/scenario.yaml"  # no growth:, no costs:


@pytest.fixture(scope="module")
def grown() -> widgets.ExplorerModel:
    return widgets.ExplorerModel(GROWING)


def _library_plan(path: str, typical_pct: float, spread_pct: float) -> plan.ColonyPlanResult:
    """Second path: the scenario file with the rate set by hand, built by build_plan alone."""
    scen = plan.load_scenario(path)
    if scen.growth is None:
        scen.growth = GrowthModel()
    scen.growth.annual_pct = GrowthRate(
        low=typical_pct - spread_pct, typical=typical_pct, high=typical_pct + spread_pct
    )
    return plan.build_plan(scen)


def _same_projection(a, b) -> None:
    assert a.steps == b.steps
    assert a.upgrades == b.upgrades
    assert a.exhaustion == b.exhaustion


@pytest.mark.parametrize("rate", [0.0, 40.0])
def test_growth_rate_control_gives_the_library_capacity_plan(
    grown: widgets.ExplorerModel, rate: float
) -> None:
    state = grown.update(extra=(("growth.annual_pct", rate),))
    # the YAML's 10 / 25 / 40: low and high keep their 15 %/year distance to the typical rate
    direct = _library_plan(GROWING, rate, 15.0)
    cap = state.result.capacity_plan
    assert cap.growth.annual_pct == GrowthRate(low=rate - 15, typical=rate, high=rate + 15)
    _same_projection(cap, direct.capacity_plan)
    fig = plots.capacity_plan(direct.capacity_plan)
    assert [list(t.y) for t in state.figures["capacity_plan"].data] == [list(t.y) for t in fig.data]
    k = widgets.key_figures(state)
    ex = direct.capacity_plan.exhaustion
    assert k["exhaustion_month"] == (None if ex is None else float(ex.month))
    assert k["upgrades"] == float(len(direct.capacity_plan.upgrades))
    # the business case buys that plan's upgrades: its NPV is the library's
    assert k["npv"] == pytest.approx(direct.business_case.npv)
    assert k["npv"] == state.result.business_case.npv
    assert k["payback_months"] == (
        None
        if direct.business_case.payback_months is None
        else float(direct.business_case.payback_months)
    )
    assert state.result.plan.capacity_plan is not None  # the document carries the same section


def test_growth_rates_differ_and_only_the_projection_is_recomputed(
    grown: widgets.ExplorerModel,
) -> None:
    base = grown.update(extra=())
    slow = grown.update(extra=(("growth.annual_pct", 0.0),))
    fast = grown.update(extra=(("growth.annual_pct", 60.0),))
    ks, kf = widgets.key_figures(slow), widgets.key_figures(fast)
    assert kf["upgrades"] > ks["upgrades"]
    assert kf["npv"] != ks["npv"]
    # the plan's own figures are reused (no rebuild), the growth charts are new
    assert fast.figures["sizing_engines"] is base.figures["sizing_engines"]
    assert fast.figures["capacity_plan"] is not slow.figures["capacity_plan"]
    assert fast.result.plan.hosts == base.result.plan.hosts


def test_horizon_control_sets_the_projection_and_the_business_case_horizon(
    grown: widgets.ExplorerModel,
) -> None:
    state = grown.update(extra=(("growth.horizon_months", 12),))
    cap = state.result.capacity_plan
    assert cap.horizon_months == 12 and cap.steps[-1].month == 12
    scen = plan.load_scenario(GROWING)
    scen.growth.horizon_months = 12
    _same_projection(cap, plan.build_plan(scen).capacity_plan)
    # costs.horizon_years (5) of costs_example.yaml wins over the growth horizon
    assert state.result.business_case.horizon_years == 5


def test_a_bad_growth_value_is_an_input_error_and_keeps_the_plan(
    grown: widgets.ExplorerModel,
) -> None:
    before = grown.update(extra=())
    with pytest.raises(
        InputError, match="horizon_months.*at least 1|horizon_months.*greater than or equal to 1"
    ):
        grown.update(extra=(("growth.horizon_months", 0),))
    assert grown.state is before


def test_business_case_figures_and_first_line(grown: widgets.ExplorerModel) -> None:
    state = grown.update(extra=())
    bc = state.result.business_case
    k = widgets.key_figures(state)
    assert k["npv"] == bc.npv
    assert (k["licence_cores_today"], k["licence_cores_colony"]) == (
        bc.today.licence_cores[0],
        bc.colony.licence_cores[0],
    )
    assert [t.name for t in state.figures["cash_flow"].data] == [
        t.name for t in plots.cash_flow(bc).data
    ]
    assert list(state.figures["cash_flow"].data[0].y) == list(bc.today.per_year)
    assert [list(t.x) for t in state.figures["tornado"].data] == [
        list(t.x) for t in plots.tornado(bc).data
    ]
    first = widgets.business_case_html(state)
    assert bc.example_prices_used and "ck-example-prices" in first
    assert bc.headline.startswith("EXAMPLE PRICES") and bc.headline in first
    head = widgets.headline_html(state)
    assert f"{bc.npv:,.0f}" in head and "ck-exhaustion" in head
    flag = f"title='{html.escape(bc.headline, quote=True)}'"
    assert "ck-example-prices" in head and flag in head  # the whole first line on hover


def test_confidence_rating_range_and_reasons_in_the_headline(
    grown: widgets.ExplorerModel,
) -> None:
    state = grown.update(extra=())
    v = state.result.plan.evidence.confidence.values
    assert v["rating"] == "low" and v["show_range"]  # rule-of-thumb MHz conversion
    html_ = widgets.headline_html(state)
    assert "ck-confidence-low" in html_
    rng = f"{v['engines_low']} / {v['engines_typical']} / {v['engines_high']}"
    assert f"<span class='ck-confidence-range'>{rng}</span>" in html_
    assert "ck-reason-cpu_conversion" in html_ and "ck-reason-memory" not in html_  # high: left out
    assert widgets.key_figures(state)["confidence_level"] == confidence.LEVELS.index("low") + 1
    assert list(widgets.CONFIDENCE_LEVELS) == list(confidence.LEVELS)
    assert list(widgets.CONFIDENCE_LEVELS.values()) == [1, 2, 3]
    _ = grown.pin()
    grown.update(extra=(("growth.annual_pct", 40.0),))
    c = grown.comparison()
    assert c.loc["npv", "current"] == grown.state.result.business_case.npv
    assert c.loc["npv", "baseline"] == state.result.business_case.npv
    grown.baseline = None


def test_no_growth_section_controls_create_one(tmp_path: Path) -> None:
    ui = widgets.dashboard(PLAIN, export_dir=tmp_path)
    m = ui.model
    assert m.state.result.capacity_plan is None
    assert widgets.key_figures(m.state)["upgrades"] is None
    # every chart has its place; the capacity plan's says why it is empty
    assert set(ui.charts) == set(widgets.FIGURES)
    assert ui.controls["growth_pct"].value == 0.0 and ui.controls["horizon_months"].value == 36
    ui.controls["growth_pct"].value = 30.0
    assert "ck-error" not in ui.status.value, ui.status.value
    assert m.state.controls.extra == (("growth.annual_pct", 30.0),)
    cap = m.state.result.capacity_plan
    _same_projection(cap, _library_plan(PLAIN, 30.0, 0.0).capacity_plan)  # defaults: no spread
    assert "capacity_plan" in m.state.figures
    assert "ck-upgrades" in ui.headline.value
    ui.controls["growth_pct"].value = 0.0  # back to the start: the scenario's own (no growth:)
    assert m.state.controls.extra == () and m.state.result.capacity_plan is None
    assert "capacity_plan" not in m.state.figures
    # the scenario has no costs: the business-case tab says so
    assert "ck-bc-none" in ui.business_case.value


def test_a_xen_design_leaves_the_growth_section_out(grown: widgets.ExplorerModel) -> None:
    """forecast.project needs a z/VM plan: choosing a Xen design must not fail the page."""
    state = grown.update(extra=(), design="xen-nfs-root")
    assert state.result.plan.metadata.platform == "xen"
    assert state.result.capacity_plan is None and "capacity_plan" not in state.figures
    assert grown.scenario_for(state.controls).growth is None
    assert widgets.key_figures(state)["upgrades"] is None
    back = grown.update(design=grown.defaults.design)
    assert back.result.capacity_plan is not None


def test_placeholder_names_what_is_missing() -> None:
    text = widgets.placeholder_figure("capacity_plan").layout.annotations[0].text
    assert "growth:" in text
    assert "costs:" in widgets.placeholder_figure("cash_flow").layout.annotations[0].text


def test_save_named_and_compare_round_trip(tmp_path: Path) -> None:
    ui = widgets.dashboard(PLAIN, export_dir=tmp_path)
    ui.scenario_name.value = "as-is"
    ui.save_named_button.click()
    ui.controls["target_util_pct"].value = 50
    ui.scenario_name.value = "util50"
    ui.save_named_button.click()
    assert "ck-error" not in ui.status.value, ui.status.value
    assert ui.saved_named == tmp_path.resolve() / "scenarios" / "util50.yaml"
    assert list(ui.saved_select.options) == ["as-is", "util50"]
    assert plan.load_scenario(ui.saved_named).target.target_util_pct == 50
    ui.compare_saved_button.click()
    assert "ck-error" not in ui.status.value, ui.status.value
    f = ui.saved_comparison.frame()
    assert list(f.columns) == ["as-is", "util50"]
    # each column is the library's plan of the saved file: 2 and 4 engines (headroom 10 % vs 50 %)
    direct = [plan.build_plan(tmp_path / "scenarios" / f"{n}.yaml") for n in f.columns]
    assert f.loc["lpars"].tolist() == [len(r.plan.hosts) for r in direct]
    assert [sum(h.capacity.cpus for h in r.plan.hosts) for r in direct] == [2, 4]
    assert "ck-saved-compare" in ui.saved_compare.value
    ui.saved_select.value = ("util50",)
    ui.compare_saved_button.click()
    assert list(ui.saved_comparison.frame().columns) == ["util50"]


def test_save_named_refuses_bad_names_and_edited_servers(tmp_path: Path) -> None:
    m = widgets.ExplorerModel(PLAIN)
    with pytest.raises(InputError, match="name"):
        m.save_named("../escape", tmp_path)
    m.edit_server("web", count=20)
    with pytest.raises(InputError, match="Save scenario"):
        m.save_named("edited", tmp_path)
    assert not list(tmp_path.iterdir())


def test_compare_without_saved_scenarios_says_so(tmp_path: Path) -> None:
    ui = widgets.dashboard(PLAIN, export_dir=tmp_path)
    ui.compare_saved_button.click()
    assert "ck-error" in ui.status.value and "save one first" in ui.status.value
