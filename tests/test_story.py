"""One story per screen (issue 20 items 2 and 4): every number the dashboard headline and the
report's executive summary show is one of the plan's, read here from the plan result directly
(not through :mod:`colonykit.plan.story`), and the findings come in the customer's order."""

from __future__ import annotations

import re

import pytest
from story_numbers import numbers_in as _numbers
from story_numbers import plan_numbers as _plan_numbers

from colonykit import plan, report, widgets
from colonykit.plan import story

EXAMPLES = ["data/examples/scenario.yaml", "data/examples/bitbrains_colony.yaml"]


@pytest.fixture(scope="module", params=EXAMPLES, ids=["xyz", "bitbrains"])
def model(request: pytest.FixtureRequest) -> widgets.ExplorerModel:
    return widgets.ExplorerModel(request.param)


def test_every_number_of_the_headline_is_the_plans(model: widgets.ExplorerModel) -> None:
    res = model.state.result
    allowed = _plan_numbers(res)
    shown = _numbers(widgets.headline_html(model.state))
    assert shown, "no numbers on the headline"
    stray = [n for n in shown if n not in allowed and n not in {"1", "2"}]  # "1 −", "SMT-2"
    assert not stray, stray
    # the headline is the plan's count, not the inventory's nor the composite's
    total = sum(h.capacity.cpus for h in res.plan.hosts)
    assert f"<span class='ck-engines-total'>{total}</span>" in widgets.headline_html(model.state)


def test_every_number_of_the_executive_summary_rows_is_the_plans(
    model: widgets.ExplorerModel,
) -> None:
    res = model.state.result
    allowed = _plan_numbers(res)
    text = report.build_report(res)
    summary = text[text.index('id="executive-summary"') :]
    rows = re.findall(
        r"<tr><th>(Engines|Path to the engine count|White space)</th><td>(.*?)</td></tr>(?=<tr><th>|</table>)",
        summary,
        re.S,
    )
    assert [r[0] for r in rows][:2] == ["Engines", "Path to the engine count"]
    for name, body in rows:
        stray = [n for n in _numbers(body) if n not in allowed and n not in {"1", "2", "3"}]
        assert not stray, (name, stray)


def test_the_waterfall_ends_at_the_plan_and_labels_the_inventory_sizing() -> None:
    res = plan.build_plan("data/examples/bitbrains_colony.yaml")
    v = res.plan.evidence.sizing.values
    steps = {s.key: s for s in story.waterfall(res)}
    assert list(steps) == ["inventory", "sum_of_peaks", "composite", "lpars", "plan"]
    assert steps["inventory"].engines == res.sizing.engines["typical"]  # 61 before measurement
    assert "before measurement" in steps["inventory"].label
    assert (steps["sum_of_peaks"].engines, steps["composite"].engines) == (
        v["engines_peak"],
        v["engines_composite"],
    )
    assert steps["plan"].engines == sum(h.capacity.cpus for h in res.plan.hosts)
    a = story.answer(res)
    assert a.engines == steps["plan"].engines and a.mips == pytest.approx(v["composite_peak_mips"])
    assert (a.low, a.typical, a.high) == tuple(
        v[f"engines_composite_{b}"] for b in ("low", "typical", "high")
    )


def test_findings_in_the_customers_order() -> None:
    res = plan.build_plan("data/examples/bitbrains_colony.yaml")
    items = story.ordered_findings(res)
    tiers = [i.tier for i in items]
    assert tiers == sorted(tiers, key=story.TIERS.index)
    # the real risk (the high end of the range) first; CK003/CK012/CK019 never in "Main risks"
    assert items[0].code == "RANGE" and "147 engines" in items[0].message
    info = {"CK003", "CK012", "CK019"}
    assert {i.code for i in story.main_risks(res)}.isdisjoint(info)
    present = {i.code for i in items} & info  # CK003 only judges the chosen rule (issue 23)
    assert present and present <= {i.code for i in items if i.tier == "appendix"}
    # an error finding comes before every risk
    m = widgets.ExplorerModel("data/examples/scenario.yaml")
    bad = m.update(max_memory_overcommit_ratio=1.2).result
    first = story.ordered_findings(bad)[0]
    assert (first.tier, first.code) == ("error", "CK002")
    assert story.main_risks(bad)[0].code == "CK002"
