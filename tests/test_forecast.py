"""The plan over time (issue 21): growth, projection, exhaustion, upgrade schedule, surfaces."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from colonykit import export, forecast, measured, plan
from colonykit.cli import main
from colonykit.errors import InputError
from colonykit.forecast import GrowthModel
from colonykit.plan.scenario import parse_scenario

ROOT = Path(__file__).resolve().parents[1]
BITBRAINS = ROOT / "data" / "examples" / "bitbrains_colony.yaml"

#: Two servers with capacities in MIPS (no workload-class conversion): a's series is
#: 10/50/20/40 % of 1000 MIPS = 100/500/200/400 MIPS, b's 40/10/30/20 % of 2000 = 800/200/600/400.
INVENTORY = """server,role,capacity,capacity_unit,cores,util_avg_pct,util_peak_pct,workload_class,memory_mib,disk_gib,count
a,web,1000,mips,1,30,50,web,2048,10,{count_a}
b,db,2000,mips,1,25,40,database,4096,10,1
"""
TRACES = """timestamp,a,b
2024-01-01T00:00Z,10,40
2024-01-01T01:00Z,50,10
2024-01-01T02:00Z,20,30
2024-01-01T03:00Z,40,20
"""
A = np.array([100.0, 500.0, 200.0, 400.0])
B = np.array([800.0, 200.0, 600.0, 400.0])


def _two(
    tmp: Path, growth: dict | None = None, count_a: int = 1, hosts: int = 1
) -> plan.ColonyPlanResult:
    (tmp / "inv.csv").write_text(INVENTORY.format(count_a=count_a))
    (tmp / "t.csv").write_text(TRACES)
    data = {
        "apiVersion": "colonykit/v1",
        "kind": "ColonyScenario",
        "name": "two",
        "inventory": "inv.csv",
        "traces": {"path": "t.csv", "unit": "cpu_pct", "min_overlap_h": 1},
        "target": {"processor": "z15", "hosts": hosts, "memory_gib_per_host": 64},
        "design": {"name": "zvm-basevol-guestvol"},
    }
    if growth is not None:
        data["growth"] = growth
    return plan.build_plan(parse_scenario(data, "two.yaml", tmp))


@pytest.fixture(scope="module")
def two(tmp_path_factory: pytest.TempPathFactory) -> plan.ColonyPlanResult:
    return _two(tmp_path_factory.mktemp("two"))


@pytest.fixture(scope="module")
def bitbrains() -> plan.ColonyPlanResult:
    return plan.build_plan(BITBRAINS)


# --------------------------------------------------------------------------- growth by hand
def test_compound_growth_by_hand_on_two_servers(two) -> None:
    g = GrowthModel(annual_pct=20, by_server={"b": 50}, horizon_months=24, step_months=12)
    cap = forecast.project(two, g)
    assert [s.month for s in cap.steps] == [0, 12, 24]
    # month 12: a × 1.2, b × 1.5 -> 120+1200, 600+300, 240+900, 480+600: peak 1320
    assert cap.steps[1].composite_peak_mips.typical == pytest.approx(1320.0)
    # month 24: a × 1.44, b × 2.25 -> 144+1800 = 1944 at the first hour
    assert cap.steps[2].composite_peak_mips.typical == pytest.approx(1944.0)
    assert cap.steps[0].composite_peak_mips.typical == pytest.approx(900.0)


def test_linear_growth_by_hand_on_two_servers(two) -> None:
    g = GrowthModel(
        annual_pct=20, by_server={"b": 50}, model="linear", horizon_months=18, step_months=6
    )
    cap = forecast.project(two, g)
    # month 6: a × 1.1, b × 1.25 -> 110+1000 = 1110 (first hour), 550+250, 220+750, 440+500
    assert cap.steps[1].composite_peak_mips.typical == pytest.approx(1110.0)
    # month 18: a × 1.3, b × 1.75 -> 130+1400 = 1530
    assert cap.steps[3].composite_peak_mips.typical == pytest.approx(1530.0)


def test_engines_needed_is_the_smallest_n_whose_usable_mips_hold_the_peak(two) -> None:
    cap = forecast.project(
        two, GrowthModel(annual_pct=20, by_server={"b": 50}, horizon_months=24, step_months=12)
    )
    sz = two.sizing
    uplift = two.measured.uplift_frac
    for s in cap.steps:
        peak = s.composite_peak_mips.typical
        usable = [float(measured.usable_mips(n, sz, 2, uplift)[0]) for n in range(1, 20)]
        expected = next(n for n, u in enumerate(usable, start=1) if u >= peak)
        assert s.engines_needed == expected


def test_guest_rates_most_specific_wins() -> None:
    g = GrowthModel(annual_pct=5, by_role={"web": 10}, by_class={"db": 20}, by_server={"x": 30})
    r = forecast.guest_rates(
        g, ["x", "y", "z", "w"], ["web", "web", "app", "app"], ["db", "db", "db", "m"]
    )
    assert r["typical"].tolist() == [30.0, 20.0, 20.0, 5.0]


def test_growth_factor_formulas() -> None:
    assert forecast.growth_factor(10, 18).item() == pytest.approx(1.1**1.5)
    assert forecast.growth_factor(10, 18, "linear").item() == pytest.approx(1.15)
    assert forecast.growth_factor(-200, 12, "linear").item() == 0.0


# --------------------------------------------------------------------------- zero growth, the plan itself
def test_zero_growth_gives_no_upgrades_and_no_exhaustion(bitbrains) -> None:
    cap = forecast.project(bitbrains, GrowthModel(annual_pct=0))
    assert cap.exhaustion is None
    assert cap.upgrades == () and cap.upgrades_by_bound["typical"] == ()
    assert all(s.fits for s in cap.steps)
    # month 0 is the plan: the same engines per LPAR
    assert cap.details["typical"].engines_needed[0].tolist() == [
        h.capacity.cpus for h in bitbrains.plan.hosts
    ]


def test_zero_growth_on_the_wlf_only_example() -> None:
    r = plan.build_plan(ROOT / "data" / "examples" / "scenario.yaml")
    cap = forecast.project(r, GrowthModel(annual_pct=0, start="2027-01-01"))
    assert cap.exhaustion is None and cap.upgrades == ()
    assert cap.start == dt.date(2027, 1, 1)


@settings(max_examples=15, deadline=None)
@given(
    r1=st.floats(min_value=-50, max_value=100),
    r2=st.floats(min_value=-50, max_value=100),
    model=st.sampled_from(["compound", "linear"]),
)
def test_engines_needed_never_fall_as_growth_rises(two, r1, r2, model) -> None:
    lo, hi = sorted((r1, r2))
    caps = [
        forecast.project(
            two, GrowthModel(annual_pct=r, model=model, horizon_months=36, step_months=6)
        )
        for r in (lo, hi)
    ]
    for a, b in zip(caps[0].steps, caps[1].steps, strict=True):
        assert b.engines_needed >= a.engines_needed
        assert b.composite_peak_mips.typical >= a.composite_peak_mips.typical - 1e-9


# --------------------------------------------------------------------------- events
@pytest.mark.parametrize("rate", [0.0, 20.0])
def test_add_event_equals_planning_with_those_servers_in_the_inventory(tmp_path, rate) -> None:
    growth = {"annual_pct": rate, "horizon_months": 12, "step_months": 6}
    (tmp_path / "e").mkdir()
    (tmp_path / "r").mkdir()
    with_event = _two(
        tmp_path / "e",
        {**growth, "events": [{"name": "three more", "month": 6, "add": 3, "like": "a"}]},
    )
    planned = _two(tmp_path / "r", growth, count_a=4)
    cap_e, cap_r = with_event.capacity_plan, planned.capacity_plan
    assert cap_e.steps[0].guests == 2 and cap_e.steps[1].guests == 5 == cap_r.steps[1].guests
    assert cap_e.steps[1].events == ("three more",)
    for s in (1, 2):
        e, r = cap_e.steps[s], cap_r.steps[s]
        assert e.composite_peak_mips.typical == pytest.approx(r.composite_peak_mips.typical)
        assert e.engines_needed == r.engines_needed
        assert e.memory_needed_gib == pytest.approx(r.memory_needed_gib)
    if rate == 0.0:  # and planning those servers today gives the same engines
        assert cap_e.steps[1].engines_needed == planned.plan.hosts[0].capacity.cpus
        # by hand: 4 copies of a plus b
        assert cap_e.steps[1].composite_peak_mips.typical == pytest.approx(float((4 * A + B).max()))


def test_retire_and_scale_events(two) -> None:
    g = GrowthModel(
        horizon_months=12,
        step_months=6,
        events=[
            {"name": "merger", "month": 6, "scale": 2.0, "role": "db"},
            {"name": "retire a", "month": 12, "retire": ["a"]},
        ],
    )
    cap = forecast.project(two, g)
    assert cap.steps[1].composite_peak_mips.typical == pytest.approx(float((A + 2 * B).max()))
    assert cap.steps[2].composite_peak_mips.typical == pytest.approx(float((2 * B).max()))
    assert cap.steps[2].guests == 1


def test_new_guests_go_where_they_fit(tmp_path) -> None:
    r = _two(tmp_path, hosts=2)
    cap = forecast.project(
        r,
        GrowthModel(
            horizon_months=6,
            step_months=6,
            events=[{"name": "n", "month": 6, "add": 1, "like": "a"}],
        ),
    )
    assert cap.steps[1].guests == 3
    assert cap.details["typical"].guests[1].sum() == 3


@pytest.mark.parametrize(
    ("event", "path"),
    [
        ({"name": "x", "month": 1, "add": 2, "like": "nope"}, "growth.events[0].like"),
        ({"name": "x", "month": 1, "retire": ["nope"]}, "growth.events[0].retire"),
        ({"name": "x", "month": 1, "scale": 2, "role": "nope"}, "growth.events[0].role"),
    ],
)
def test_events_naming_unknown_servers_are_clear_errors(two, event, path) -> None:
    with pytest.raises(InputError, match=path.replace("[", r"\[").replace("]", r"\]")):
        forecast.project(two, GrowthModel(events=[event]))


@pytest.mark.parametrize(
    ("growth", "text"),
    [
        ({"model": "exponential"}, "growth.model"),
        ({"annual_pct": {"low": 30, "typical": 20, "high": 40}}, "low <= typical <= high"),
        (
            {"events": [{"name": "x", "month": 1, "add": 2, "retire": ["a"]}]},
            "exactly one of add, retire, scale",
        ),
        ({"events": [{"name": "x", "month": 1, "add": 2}]}, "'add' needs 'like'"),
        ({"horizon_months": 0}, "growth.horizon_months"),
        ({"step_months": "fortnight"}, "growth.step_months"),
        ({"annual_pct": -100}, "growth.annual_pct"),
        ({"forecast": "guess"}, "growth.forecast"),
    ],
)
def test_growth_section_errors_name_the_key(growth, text) -> None:
    data = {
        "apiVersion": "colonykit/v1",
        "kind": "ColonyScenario",
        "name": "x",
        "design": {"name": "zvm-basevol-guestvol"},
        "growth": growth,
    }
    with pytest.raises(InputError) as info:
        parse_scenario(data, "s.yaml")
    assert text in str(info.value)


# --------------------------------------------------------------------------- the schedule
def test_the_schedule_covers_the_need_at_every_step(bitbrains) -> None:
    cap = bitbrains.capacity_plan
    assert cap is not None and cap.upgrades
    for b in forecast.BANDS:
        d = cap.details[b]
        assert (d.engines_scheduled >= d.engines_needed).all(), b
        assert (d.memory_scheduled_gib >= d.memory_needed_gib - 1e-9).all(), b
        ups = cap.upgrades_by_bound[b]
        assert all(u.order_by == forecast.add_months(u.need_by, -cap.lead_time_months) for u in ups)
        # whole increments
        assert all(u.add_engines % cap.increment_engines == 0 for u in ups if u.host != "machine")
    # the installed engines plus the typical upgrades are the scheduled engines at the end
    added = sum(u.add_engines for u in cap.upgrades if u.host != "machine")
    assert cap.steps[-1].engines_scheduled == cap.steps[0].engines_installed + added


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 80), st.integers(0, 80)), min_size=1, max_size=8),
    st.integers(1, 4),
)
def test_upgrade_schedule_property(needs, inc) -> None:
    need = np.array(needs)
    months = list(range(len(needs)))
    dates = [forecast.add_months(dt.date(2030, 1, 1), m) for m in months]
    ups, e, m = forecast.upgrade_schedule(
        need,
        np.zeros_like(need, dtype=float),
        [4, 4],
        [1.0, 1.0],
        months,
        dates,
        ["l1", "l2"],
        increment_engines=inc,
        lpar_max_engines=64,
        machine_max_engines=100,
    )
    assert (e >= need).all()
    assert (np.diff(e, axis=0) >= 0).all()  # installed capacity never shrinks
    assert all(u.add_engines > 0 for u in ups)


def test_exhaustion_names_the_lpar_and_the_reason(bitbrains) -> None:
    cap = bitbrains.capacity_plan
    assert cap.exhaustion is not None
    s = next(x for x in cap.steps if not x.fits)
    assert (cap.exhaustion.month, cap.exhaustion.date) == (s.month, s.date)
    assert "lpar1 needs" in cap.exhaustion.reason and "engines" in cap.exhaustion.reason


def test_machine_maximum_is_reported(two) -> None:
    cap = forecast.project(two, GrowthModel(annual_pct=1000, horizon_months=60, step_months=12))
    assert cap.machine_max is not None
    assert "at most 190 IFLs" in cap.machine_max.reason
    assert any(u.host == "machine" for u in cap.upgrades)


# --------------------------------------------------------------------------- plan document
def test_capacity_plan_section_round_trips_and_is_deterministic(bitbrains) -> None:
    doc = bitbrains.plan
    assert doc.capacity_plan is not None and doc.capacity_plan.growth_model_version == 1
    text = export.plan_to_yaml(doc)
    assert export.load_plan_text(text) == doc
    assert export.plan_to_yaml(plan.build_plan(BITBRAINS).plan) == text
    cp = doc.capacity_plan
    assert (
        cp.exhaustion is not None and cp.exhaustion.date == bitbrains.capacity_plan.exhaustion.date
    )
    assert len(cp.upgrades) == len(bitbrains.capacity_plan.upgrades)


def test_shipped_schema_has_the_capacity_plan() -> None:
    schema = export.shipped_schema()
    assert "capacity_plan" in schema["properties"]
    assert export.plan_schema() == schema


def test_plans_without_growth_have_no_capacity_plan() -> None:
    r = plan.build_plan(ROOT / "data" / "examples" / "scenario.yaml")
    assert r.capacity_plan is None and r.plan.capacity_plan is None


# --------------------------------------------------------------------------- CLI
def test_cli_forecast_prints_the_exhaustion_date_and_the_schedule(capsys) -> None:
    assert main(["forecast", str(BITBRAINS)]) == 0
    out = capsys.readouterr().out
    assert "EXHAUSTION: 2014-01-01" in out
    assert "order by" in out and "need by" in out and "lpar1" in out


def test_cli_forecast_json_has_the_fixed_keys(capsys) -> None:
    assert main(["forecast", str(BITBRAINS), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["horizon_months"] == 36
    step = data["steps"][0]
    for key in (
        "month",
        "date",
        "composite_peak_mips",
        "engines_needed",
        "engines_installed",
        "memory_needed_gib",
        "fits",
    ):
        assert key in step
    assert set(step["composite_peak_mips"]) == {"low", "typical", "high"}
    assert set(data["exhaustion"]) == {"month", "date", "reason"}
    for key in ("order_by", "need_by", "host", "add_engines", "add_memory_gib", "reason"):
        assert key in data["upgrades"][0]
    assert "backtest" not in data  # planned rates: nothing fitted


def test_cli_forecast_overrides_and_errors(capsys) -> None:
    assert main(["forecast", str(BITBRAINS), "--annual-pct", "0", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    # no growth: nothing changes before the example's first event (10 servers added in month 12)
    first_event = 12
    assert data["exhaustion"] is None or data["exhaustion"]["month"] >= first_event
    assert all(s["fits"] for s in data["steps"] if s["month"] < first_event)
    assert main(["forecast", str(BITBRAINS), "--forecast", "fitted"]) == 2
    err = capsys.readouterr().err
    assert "error: refusing to extrapolate" in err and "needs at least 4 weeks" in err
    assert "Traceback" not in err


def test_cli_forecast_fitted_on_the_90_day_subset(capsys) -> None:
    pytest.importorskip("statsmodels")
    scen = ROOT / "data" / "examples" / "bitbrains_90d_colony.yaml"
    assert main(["forecast", str(scen), "--format", "json", "--horizon-months", "6"]) == 0
    data = json.loads(capsys.readouterr().out)
    bt = data["backtest"]
    assert bt["error_pct"] >= 0 and bt["naive_error_pct"] >= 0 and bt["holdout_weeks"] == 2


def test_add_from_an_inventory_file_is_a_flat_series_at_its_peak(two, tmp_path) -> None:
    (tmp_path / "new.csv").write_text(
        "server,role,capacity,capacity_unit,cores,util_avg_pct,util_peak_pct,workload_class,"
        "memory_mib,disk_gib,count\nn,app,1000,mips,1,10,30,web,1024,10,2\n"
    )
    g = GrowthModel(
        horizon_months=6,
        step_months=6,
        events=[{"name": "new app", "month": 6, "inventory": str(tmp_path / "new.csv")}],
    )
    cap = forecast.project(two, g)
    # two servers at 30 % of 1000 MIPS, flat: 600 MIPS on top of max(A + B) = 900
    assert cap.steps[1].composite_peak_mips.typical == pytest.approx(900.0 + 600.0)
    assert cap.steps[1].guests == 4
    assert cap.steps[1].memory_needed_gib > cap.steps[0].memory_needed_gib


@settings(max_examples=40, deadline=None)
@given(demand=st.floats(min_value=0, max_value=2e6), guests=st.integers(1, 60))
def test_cached_engine_curve_equals_measured_engines_for(bitbrains, demand, guests) -> None:
    """The projection's cached curve gives exactly colonykit.measured.engines_for / usable_mips."""
    from colonykit.forecast import _engines, _Setup, _usable

    sz = bitbrains.sizing
    uplift = bitbrains.measured.uplift_frac
    setup = _Setup(
        scen=bitbrains.scenario,
        growth=GrowthModel(),
        months=np.array([0]),
        dates=[dt.date(2020, 1, 1)],
        hosts=["lpar1"],
        wlf={"typical": "typical"},
        statistic="peak",
        uplift=uplift,
        ratio=[1.5],
        installed_e=[1],
        installed_m=[1.0],
        installed_p=[0.0],
        platform="zvm",
    )
    try:
        want = measured.engines_for(demand, sz, guests, uplift, "high")
    except InputError:
        want = forecast.BEYOND
    assert _engines(setup, sz, demand, guests, "high") == want
    n = min(want, 1024)
    assert _usable(setup, sz, n, guests, "high") == pytest.approx(
        float(measured.usable_mips(n, sz, guests, uplift, "high")[0])
    )


def test_xen_plans_are_refused_clearly() -> None:
    s = plan.load_scenario(ROOT / "data" / "examples" / "scenario.yaml")
    s = s.model_copy(
        update={"design": s.design.model_copy(update={"name": "xen-nfs-root", "overrides": {}})}
    )
    with pytest.raises(InputError, match="needs a z/VM plan sized in MIPS"):
        forecast.project(plan.build_plan(s))


def test_no_growth_section_means_zero_growth_with_a_note() -> None:
    r = plan.build_plan(ROOT / "data" / "examples" / "scenario.yaml")
    cap = forecast.project(r)
    assert any("0 %/year assumed" in n for n in cap.notes)
    assert cap.steps[-1].composite_peak_mips == cap.steps[0].composite_peak_mips


def test_plan_summary_names_the_exhaustion(bitbrains) -> None:
    assert (
        "capacity plan (36 months, planned growth): runs out 2014-01-01 (month 3)"
        in bitbrains.summary()
    )


def test_report_carries_the_chart_the_upgrade_table_and_the_exhaustion_date(bitbrains) -> None:
    from colonykit import report

    html = report.build_report(bitbrains)
    summary = html[html.index('id="executive-summary"') : html.index('id="findings"')]
    assert "the installed plan runs out on 2014-01-01" in summary
    assert "data-figure='capacity_plan'" in html
    first = bitbrains.capacity_plan.upgrades[0]
    assert f"<td class=''>{first.order_by.isoformat()}</td>" in html


def test_cli_forecast_bad_override_is_a_clear_error(capsys) -> None:
    assert main(["forecast", str(BITBRAINS), "--horizon-months", "0"]) == 2
    err = capsys.readouterr().err
    assert "horizon_months" in err and "Traceback" not in err


def test_the_handout_workbook_carries_the_capacity_plan() -> None:
    from colonykit import report

    result = plan.build_plan(BITBRAINS)
    cap = result.capacity_plan
    tables = report.report_tables(result)
    typical = tables["upgrades"][tables["upgrades"]["bound"] == "typical"]
    assert len(typical) == len(cap.upgrades)
    assert typical["add_engines"].sum() == sum(u.add_engines for u in cap.upgrades)
    assert list(typical["order_by"]) == [u.order_by.isoformat() for u in cap.upgrades]
    assert len(tables["capacity_steps"]) == len(cap.steps)
