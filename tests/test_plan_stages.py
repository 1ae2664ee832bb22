"""The plan's stage cache (colonykit.plan.stages): the explorer's fast path gives the full path's plan.

Every plan the explorer builds with its :class:`StageCache` is compared with a plan built
without one (``build_plan(..., cache=None)``, every stage recomputed) from the same scenario
and inventory: the documents (findings included) and the charts' figures must be equal, for
moves of every control, back and forth (so that cached stages are reused), on one and on
several LPARs.
"""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

from colonykit import plan, widgets
from colonykit.ingest import read_inventory
from colonykit.plan import checks, story
from colonykit.plan.document import ColonyPlan
from colonykit.plan.stages import StageCache, frame_key
from colonykit.plan.summary import headline, reusing_headlines
from colonykit.widgets import specs
from colonykit.widgets.chart import figure_json


def test_cache_answers_a_key_once_and_drops_the_oldest() -> None:
    c = StageCache(entries=2)
    calls: list[int] = []

    def make(v: int) -> int:
        calls.append(v)
        return v * 10

    assert [c.get("s", k, lambda k=k: make(k)) for k in (1, 2, 1, 3, 2)] == [10, 20, 10, 30, 20]
    # 1, 2 computed; 1 a hit; 3 drops 2 (1 was used after 2); 2 computed again
    assert calls == [1, 2, 3, 2]
    assert (c.hits, c.misses) == (1, 4)
    assert c.get("other stage", 1, lambda: -1) == -1  # stages do not share keys


def test_cache_raises_a_stage_warning_again_on_every_hit() -> None:
    c = StageCache()

    def noisy() -> int:
        warnings.warn("implausible input", UserWarning, stacklevel=1)
        return 1

    for _ in range(2):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            assert c.get("s", "k", noisy) == 1
        assert [str(w.message) for w in caught] == ["implausible input"]


def test_frame_key_follows_values_not_identity() -> None:
    a = pd.DataFrame({"server": ["x", "y"], "count": [1, 2]})
    assert frame_key(a) == frame_key(a.copy())
    assert frame_key(a) != frame_key(a.assign(count=[1, 3]))
    assert frame_key(a) != frame_key(a.astype({"count": "float64"}))
    b = a.copy()
    b.attrs["source"] = "other.csv"
    assert frame_key(a) != frame_key(b)


def _full(model: widgets.ExplorerModel, controls: widgets.Controls) -> plan.ColonyPlanResult:
    """The plan of ``controls`` with every stage recomputed (no cache)."""
    return plan.build_plan(
        model.scenario_for(controls),
        inventory=model.inventory_for(controls),
        traces=model.traces if controls.basis == "composite" else None,
        stagger_traces=False,
    )


def _same_as_full_path(model: widgets.ExplorerModel) -> None:
    state = model.state
    full = _full(model, state.controls)
    assert state.result.plan.model_dump() == full.plan.model_dump()
    assert [f.model_dump() for f in state.result.plan.findings] == [
        f.model_dump() for f in full.plan.findings
    ]
    for chart in specs.CHARTS:
        fast, slow = chart.build(state.result), chart.build(full)
        assert (fast is None) == (slow is None), chart.name
        if fast is not None and slow is not None:
            assert figure_json(fast) == figure_json(slow), chart.name
        # the state's figure (reused from an earlier plan when the chart read the same
        # inputs, ChartSpec.reads) is the full path's
        kept = state.figures.get(chart.name)
        assert (kept is None) == (slow is None), chart.name
        if kept is not None and slow is not None:
            assert figure_json(kept) == figure_json(slow), chart.name
    # the headline (and what the page reads from it) is the same when kept per result
    with reusing_headlines():
        kept_h = [headline(state.result) for _ in range(2)]
        kept_story = (story.answer(state.result), story.ordered_findings(state.result))
    assert kept_h[0] == kept_h[1] == headline(full) == state.headline
    assert kept_story == (story.answer(full), story.ordered_findings(full))


MOVES: list[tuple[str, object]] = [
    ("target_util_pct", 60.0),
    ("processor", "z16"),
    ("sizing_bound", "high"),
    ("max_memory_overcommit_ratio", 1.2),
    ("hosts", 2),
    ("design", "dedicated"),
    ("smt", False),
    ("memory_gib_per_host", 512.0),
    ("target_util_pct", 90.0),
    ("design", "zvm-ro-root"),
    ("hosts", 3),
    ("memory_gib_per_host", None),
    ("target_util_pct", 60.0),  # values seen before: stages answered from the cache
    ("design", "dedicated"),
    ("hosts", 2),
]


@pytest.fixture(scope="module")
def inventory_120() -> pd.DataFrame:
    inv, _ = read_inventory("data/examples/xyz_inventory.csv")
    inv["count"] = inv["server"].map({"file": 46, "dns": 19, "firewall": 9, "web": 46})
    inv["count"] = inv["count"].astype("int64")
    return inv


def test_every_control_move_gives_the_full_paths_plan(inventory_120: pd.DataFrame) -> None:
    model = widgets.ExplorerModel("data/examples/scenario.yaml", inventory=inventory_120)
    _same_as_full_path(model)
    for name, value in MOVES:
        model._recent.clear()  # every move builds (the recent plans are a cache of their own)
        model.update(**{name: value})
        _same_as_full_path(model)
    assert model.stages.hits > 0  # the fast path was taken


def test_an_edited_server_is_not_answered_from_the_cache(inventory_120: pd.DataFrame) -> None:
    model = widgets.ExplorerModel("data/examples/scenario.yaml", inventory=inventory_120)
    model.update(hosts=2)
    model.edit_server("web", count=30, util_peak_pct=80.0)
    _same_as_full_path(model)
    model.update(target_util_pct=70.0)
    _same_as_full_path(model)


def test_the_bundled_traced_colony_fast_path(tmp_path) -> None:
    model = widgets.ExplorerModel("data/examples/bitbrains_colony.yaml")
    for name, value in (("target_util_pct", 60.0), ("processor", "z16"), ("target_util_pct", 80.0)):
        model.update(**{name: value})
        _same_as_full_path(model)


def test_size_and_layout_checks_are_check_plan(inventory_120: pd.DataFrame) -> None:
    res = plan.build_plan("data/examples/scenario.yaml", inventory=inventory_120)
    p = res.plan.model_copy(deep=True)
    p.hosts[0].guests[1].zvm.userid = p.hosts[0].guests[0].zvm.userid  # CK006 (layout)
    p.hosts[0].guests[0].vcpus = 99  # CK001 and CK011 (size)
    both = sorted(
        checks.size_checks(p) + checks.layout_checks(p, 4_194_296),
        key=lambda f: (f.code, f.path, f.message),
    )
    assert both == checks.check_plan(p)
    assert {"CK001", "CK006", "CK011"} <= {f.code for f in both}
    # a cache without a layout key checks the layout (a hand-edited plan is never answered
    # from a cache)
    assert checks.check_plan(p, cache=StageCache()) == checks.check_plan(p)


def test_the_fast_paths_document_still_validates(inventory_120: pd.DataFrame) -> None:
    model = widgets.ExplorerModel("data/examples/scenario.yaml", inventory=inventory_120)
    model.update(hosts=2, target_util_pct=70.0)
    doc = model.state.result.plan
    again = ColonyPlan.model_validate(doc.model_dump())
    assert again == doc


def test_figures_are_reused_only_while_their_inputs_stay(inventory_120: pd.DataFrame) -> None:
    model = widgets.ExplorerModel("data/examples/scenario.yaml", inventory=inventory_120)
    first = model.state.figures
    model.update(max_memory_overcommit_ratio=1.2)  # the sizing stays: its charts too
    assert model.state.figures["sizing_engines"] is first["sizing_engines"]
    assert model.state.figures["sizing_range"] is first["sizing_range"]
    assert model.state.figures["plan_hosts"] is not first["plan_hosts"]
    model.update(target_util_pct=55.0)  # a new sizing: new figures
    assert model.state.figures["sizing_engines"] is not first["sizing_engines"]
    _same_as_full_path(model)


def test_same_inputs_compares_objects_frames_and_scalars() -> None:
    f = pd.DataFrame({"total_gib": [1.0, 2.0]}, index=["a", "b"])
    assert specs.same_inputs((f, "a"), (f.copy(), "a"))
    assert not specs.same_inputs((f, "a"), (f, "b"))
    assert not specs.same_inputs((f,), (f.astype("float32"),))
    assert not specs.same_inputs((f,), (f.rename(index={"b": "c"}),))
    assert not specs.same_inputs((1,), (1.0,))  # another type: not the same input
    assert not specs.same_inputs((object(),), (object(),))
    assert not specs.same_inputs((f,), (f, f))


def test_a_revisited_plan_sends_the_figures_it_had(inventory_120: pd.DataFrame, tmp_path) -> None:
    ui = widgets.explorer(
        "data/examples/scenario.yaml", inventory=inventory_120, export_dir=tmp_path
    )
    ui.controls["target_util_pct"].value = 60
    sent = {name: c.figure for name, c in ui.charts.items()}
    ui.controls["target_util_pct"].value = 80
    assert ui.charts["sizing_engines"].figure != sent["sizing_engines"]
    ui.controls["target_util_pct"].value = 60  # a recent state: its kept JSON
    again = {name: c.figure for name, c in ui.charts.items()}
    assert again == sent
    # what a fresh build of that plan gives, laid out for the page
    full = _full(ui.model, ui.model.state.controls)
    for chart in specs.CHARTS:
        fig = chart.build(full)
        if fig is not None:
            assert figure_json(widgets.dashboard_layout(fig)) == again[chart.name], chart.name
