"""colonykit.costs: the business case against a hand calculation, invariants, and a published ratio."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from colonykit import costs, sizing
from colonykit.costs import (
    ColonyEstate,
    ColonyHost,
    CostInputs,
    SoftwareProduct,
    TodayEstate,
    business_case,
    licence_units,
    npv,
    payback_month,
)
from colonykit.errors import InputError
from colonykit.ingest import read_inventory

# --------------------------------------------------------------------------- the small case
TODAY = TodayEstate(servers=("a", "b", "c"), cores=(8.0, 8.0, 4.0))
COLONY = ColonyEstate(hosts=(ColonyHost("lpar1", 2, 64.0, ("a", "b", "c")),), guests=3)
DB = SoftwareProduct("db", "per_core", 0.5, 1.0, licence_price=1000.0, support_pct=20.0)
INPUTS = CostInputs(
    horizon_years=5,
    discount_pct=10.0,
    kwh_price=0.10,
    pue=1.5,
    admin_year_cost=60_000.0,
    today_refresh_years=4.0,
    today_server_price=8_000.0,
    today_maintenance_pct=10.0,
    today_power_w_per_server=200.0,
    today_servers_per_admin=3.0,
    colony_machine_price=100_000.0,
    colony_ifl_price=20_000.0,
    colony_memory_gib_price=100.0,
    colony_maintenance_pct=10.0,
    colony_zvm_engine_price=10_000.0,
    colony_frame_power_kw=5.0,
    colony_guests_per_admin=30.0,
    colony_migration_server_cost=1_000.0,
)


def test_small_case_matches_the_hand_calculation():
    r = business_case(TODAY, COLONY, INPUTS, [DB])
    # today, per year: refresh 3/4 x 8000; maintenance 10 % of 3 x 8000; energy
    # 3 x 0.2 kW x 8760 h x 1.5 = 7884 kWh at 0.10; one admin (3 servers / 3); Oracle-style
    # support on ceil(8x0.5)+ceil(8x0.5)+ceil(4x0.5) = 10 licences x 20 % of 1000
    today_year = 6_000 + 2_400 + 788.4 + 60_000 + 2_000
    assert r.today.per_year == pytest.approx((today_year,) * 5)
    # colony, year 1: machine 100000 + 2 IFL x 20000 + 64 GiB x 100 = 146400; z/VM 2 x 10000;
    # maintenance 10 % of 146400; 5 kW x 8760 h x 1.5 = 65700 kWh at 0.10; 3/30 admin;
    # support on 2 licences (the 10 owned are re-used, none bought); migration 3 x 1000
    recurring = 14_640 + 6_570 + 6_000 + 400
    assert r.colony.per_year[0] == pytest.approx(146_400 + 20_000 + 3_000 + recurring)
    assert r.colony.per_year[1:] == pytest.approx((recurring,) * 4)
    savings = [today_year - 197_010] + [today_year - recurring] * 4
    expected_npv = sum(s / 1.1**y for y, s in enumerate(savings, start=1))
    assert r.npv == pytest.approx(expected_npv)
    # payback: 169400 paid in month 1, then (71188.4 - 27610) / 12 = 3631.53 a month:
    # -169400 + 3631.53 m >= 0 first at m = 47
    assert r.payback_months == 47
    assert r.roi_pct == pytest.approx(sum(savings) / 169_400 * 100)
    assert r.today.licence_units["db"][0] == 10
    assert r.colony.licence_units["db"][0] == 2
    assert r.today.licence_cores[0] == 20 and r.colony.licence_cores[0] == 2
    assert r.today.energy_kwh[0] == pytest.approx(7_884.0)
    assert r.colony.energy_kwh[0] == pytest.approx(65_700.0)


def test_npv_discounts_year_one_once():
    assert npv([100.0], 10.0) == pytest.approx(100 / 1.1)
    assert npv([0.0, 121.0], 10.0) == pytest.approx(100.0)


@pytest.mark.parametrize(
    ("monthly", "expected"),
    [
        ([10.0, 10.0], 0),  # never below zero
        ([-30.0, 10.0, 10.0, 10.0], 4),  # back at zero at the end of month 4
        ([-30.0, 10.0, 10.0], None),  # still negative at the horizon
        ([-5.0, 10.0, -10.0, 10.0], 4),  # dips again: the last crossing counts
    ],
)
def test_payback_month(monthly, expected):
    assert payback_month(monthly) == expected


@pytest.mark.parametrize(
    ("cores", "metric", "factor", "expected"),
    [
        ([5, 8, 1], "per_core", 0.5, 3 + 4 + 1),  # rounded up per server
        ([3, 3], "per_core", 0.75, 3 + 3),  # 2.25 -> 3 each
        ([3], "per_capacity_unit", 120, 360),  # PVU: 3 IFLs x 120
        ([16, 16, 2], "per_server", 0.5, 3),
        ([16, 16], "per_socket", 1.0, 2),
    ],
)
def test_licence_units_round_as_the_metric_requires(cores, metric, factor, expected):
    assert licence_units(cores, metric, factor) == expected


def test_core_factors_are_the_published_ones():
    assert costs.core_factor("oracle", "x86") == 0.5
    assert costs.core_factor("oracle", "ibm-z") == 1.0
    assert costs.core_factor("ibm-pvu", "ibm-z") == 120
    with pytest.raises(KeyError, match="oracle"):
        costs.core_factor("nope", "x86")


def test_every_cost_input_row_is_a_field_and_every_example_has_a_source():
    table = costs.cost_table()
    fields = {f.name for f in dataclasses.fields(CostInputs)}
    for name, row in table.items():
        assert name in fields or name.startswith("software."), name
        assert row["kind"] in {"default", "example", "planner"}
        if row["kind"] == "planner":
            assert row["value"] is None, f"{name}: a planner input has no value"
        if row["kind"] == "example":
            assert row["confidence"] in {"low", "medium"}
            assert "http" in str(row["source"]), f"{name}: an example value needs a public source"


# --------------------------------------------------------------------------- invariants
_estates = st.lists(st.integers(1, 64), min_size=1, max_size=12).map(
    lambda cs: TodayEstate(tuple(f"s{i}" for i in range(len(cs))), tuple(float(c) for c in cs))
)
_engines = st.integers(1, 40)
_price = st.floats(1.0, 1e6, allow_nan=False, allow_infinity=False)


def _colony(today: TodayEstate, engines: int) -> ColonyEstate:
    return ColonyEstate((ColonyHost("lpar1", engines, 256.0, today.servers),), len(today.servers))


def _priced(p: float) -> CostInputs:
    return CostInputs(
        horizon_years=4,
        discount_pct=7.0,
        kwh_price=p / 1e5,
        pue=1.6,
        admin_year_cost=p,
        port_year_cost=p / 100,
        today_refresh_years=4.0,
        today_server_price=p / 10,
        today_maintenance_pct=8.0,
        today_power_w_per_server=300.0,
        today_servers_per_rack=20.0,
        today_rack_year_cost=p / 5,
        today_servers_per_admin=25.0,
        today_ports_per_server=2.0,
        colony_machine_price=p,
        colony_ifl_price=p / 4,
        colony_memory_gib_price=p / 1000,
        colony_maintenance_pct=9.0,
        colony_zvm_engine_price=p / 20,
        colony_frame_power_kw=6.0,
        colony_frame_floor_year_cost=p / 5,
        colony_guests_per_admin=100.0,
        colony_migration_server_cost=p / 50,
        colony_dual_running_months=3.0,
    )


def _product(p: float) -> SoftwareProduct:
    return SoftwareProduct("db", "per_core", 0.5, 1.0, licence_price=p, support_pct=22.0)


@settings(max_examples=40, deadline=None)
@given(today=_estates, engines=_engines, p=_price)
def test_all_prices_zero_cost_nothing(today, engines, p):
    zero = dataclasses.replace(_priced(p), **dict.fromkeys(costs.PRICE_FIELDS, 0.0))
    r = business_case(today, _colony(today, engines), zero, [_product(0.0)])
    assert r.total_today == 0.0 and r.total_colony == 0.0 and r.npv == 0.0


#: price -> (the one component it drives, the sides it is on); other prices that would feed
#: maintenance or dual running stay as they are, so those components must stay unchanged
_DRIVES = {
    "kwh_price": ("energy", ("today", "colony")),
    "admin_year_cost": ("staff", ("today", "colony")),
    "port_year_cost": ("network", ("today",)),
    "today_rack_year_cost": ("floor_space", ("today",)),
    "colony_frame_floor_year_cost": ("floor_space", ("colony",)),
    "colony_migration_server_cost": ("migration", ("colony",)),
}


@settings(max_examples=30, deadline=None)
@given(today=_estates, engines=_engines, p=_price, name=st.sampled_from(sorted(_DRIVES)))
def test_doubling_one_price_doubles_that_component_only(today, engines, p, name):
    base = dataclasses.replace(_priced(p), colony_dual_running_months=0.0)
    doubled = dataclasses.replace(base, **{name: 2 * getattr(base, name)})
    col = _colony(today, engines)
    a = business_case(today, col, base, [_product(p)])
    b = business_case(today, col, doubled, [_product(p)])
    comp, sides = _DRIVES[name]
    for side in ("today", "colony"):
        side_a, side_b = getattr(a, side), getattr(b, side)
        for c in costs.COMPONENTS:
            twice = c == comp and side in sides
            want = [2 * x for x in side_a.by_component[c]] if twice else side_a.by_component[c]
            assert side_b.by_component[c] == pytest.approx(want, rel=1e-12), (name, side, c)
    # and it does move something (the test could fail)
    assert a.total_today + a.total_colony != b.total_today + b.total_colony


@settings(max_examples=40, deadline=None)
@given(today=_estates, engines=_engines, p=_price)
def test_discount_zero_npv_is_the_sum_of_savings(today, engines, p):
    inp = dataclasses.replace(_priced(p), discount_pct=0.0)
    r = business_case(today, _colony(today, engines), inp, [_product(p)])
    assert r.npv == pytest.approx(sum(r.savings_per_year), rel=1e-9, abs=1e-6)
    assert r.npv == pytest.approx(r.total_today - r.total_colony, rel=1e-9, abs=1e-6)


# --------------------------------------------------------------------------- the #21 protocol
@dataclasses.dataclass(frozen=True)
class Upgrade:  # the names of colonykit.forecast.Upgrade (CONTRACTS.md)
    month: int
    need_by: dt.date
    order_by: dt.date
    host: str
    add_engines: int
    add_memory_gib: float
    reason: str = "growth"


@dataclasses.dataclass(frozen=True)
class Step:
    month: int
    date: dt.date
    guests: int
    engines_needed: int = 0
    engines_installed: int = 0
    memory_needed_gib: float = 0.0
    fits: bool = True


@dataclasses.dataclass(frozen=True)
class Exhaustion:
    month: int
    date: dt.date
    reason: str


@dataclasses.dataclass(frozen=True)
class CapacityPlan:
    start: dt.date
    horizon_months: int
    step_months: int
    steps: tuple[Step, ...]
    exhaustion: Exhaustion | None
    upgrades: tuple[Upgrade, ...]
    upgrades_by_bound: dict[str, tuple[Upgrade, ...]]


def _month(m: int) -> dt.date:
    return dt.date(2027 + m // 12, 1 + m % 12, 1)


def _plan(adds: list[tuple[int, int]], guests: list[int], lead: int = 0) -> CapacityPlan:
    d = dt.date(2027, 1, 1)
    ups = tuple(
        Upgrade(m, _month(m), _month(max(0, m - lead)), "lpar1", e, 16.0 * e) for m, e in adds
    )
    steps = tuple(Step(12 * (i + 1), d, g) for i, g in enumerate(guests))
    return CapacityPlan(d, 48, 12, steps, None, ups, {"typical": ups, "low": (), "high": ups})


@settings(max_examples=40, deadline=None)
@given(
    today=_estates,
    engines=_engines,
    p=_price,
    adds=st.lists(st.tuples(st.integers(0, 47), st.integers(1, 8)), max_size=4),
    extra=st.tuples(st.integers(0, 47), st.integers(1, 8)),
    policy=st.sampled_from(["upgrade", "replace", "add"]),
)
def test_more_growth_never_lowers_the_colony_cost(today, engines, p, adds, extra, policy):
    inp = dataclasses.replace(_priced(p), colony_purchase_policy=policy)
    col = _colony(today, engines)
    n = len(today.servers)
    less = business_case(today, col, inp, [_product(p)], capacity_plan=_plan(adds, [n] * 4))
    more_adds = [(m, e + 1) for m, e in adds] + [extra]
    more = business_case(today, col, inp, [_product(p)], capacity_plan=_plan(more_adds, [n] * 4))
    assert more.total_colony >= less.total_colony - 1e-6
    assert more.upgrades_used >= less.upgrades_used


def test_an_upgrade_is_bought_in_its_year_by_policy():
    inp = dataclasses.replace(INPUTS, colony_zvm_engine_price=0.0)
    cp = _plan([(14, 2)], [3, 3, 3, 3])  # month 14 -> year 2
    costs_by = {}
    for policy in ("upgrade", "add", "replace"):
        r = business_case(
            TODAY,
            COLONY,
            dataclasses.replace(inp, colony_purchase_policy=policy),
            capacity_plan=cp,
        )
        costs_by[policy] = r.colony.by_component["hardware"][1]
        assert r.upgrades_used == 1
    assert costs_by["upgrade"] == pytest.approx(2 * 20_000 + 32 * 100)
    assert costs_by["add"] == pytest.approx(100_000 + 2 * 20_000 + 32 * 100)
    assert costs_by["replace"] == pytest.approx(100_000 + 4 * 20_000 + 96 * 100)


def test_an_upgrade_is_paid_at_its_order_date():
    inp = dataclasses.replace(INPUTS, colony_zvm_engine_price=0.0)
    # needed in month 14 (year 2) but ordered 3 months ahead, in month 11 (year 1)
    r = business_case(TODAY, COLONY, inp, capacity_plan=_plan([(14, 2)], [3] * 4, lead=3))
    assert r.colony.by_component["hardware"][0] == pytest.approx(146_400 + 2 * 20_000 + 32 * 100)
    assert r.colony.by_component["hardware"][1] == 0


def test_today_grows_with_the_forecast_guests():
    cp = _plan([], [3, 6, 6, 6])
    r = business_case(TODAY, COLONY, INPUTS, capacity_plan=cp)
    assert r.today.energy_kwh[1] == pytest.approx(2 * r.today.energy_kwh[0])


def test_without_a_capacity_plan_the_plan_is_costed_as_built():
    r = business_case(TODAY, COLONY, INPUTS)
    assert r.upgrades_used == 0
    assert r.colony.by_component["hardware"][1:] == (0.0,) * 4


# --------------------------------------------------------------------------- range, tornado, inputs
def test_wlf_range_and_tornado():
    r = business_case(
        TODAY,
        COLONY,
        INPUTS,
        [DB],
        engine_ratios={"low": 0.5, "typical": 1.0, "high": 3.0},
        uncertain={"kwh_price": (0.05, 0.30), "colony_ifl_price": (10_000.0, 40_000.0)},
    )
    assert r.npv_range["typical"] == r.npv
    assert r.npv_range["low"] > r.npv > r.npv_range["high"]  # fewer engines, lower colony cost
    cr = r.colony_cost_range
    assert cr["low"] < cr["typical"] == r.total_colony < cr["high"]
    # 1 engine at the low bound (ceil 2 x 0.5): one IFL of 20000 and its z/VM licence of 10000
    # less, 10 % maintenance on the IFL for 5 years, and one database licence's support (200/yr)
    assert r.total_colony - cr["low"] == pytest.approx(20_000 + 10_000 + 5 * 2_000 + 5 * 200)
    assert [s.input for s in r.sensitivity] == ["colony_ifl_price", "kwh_price"]  # largest first
    ifl = r.sensitivity[0]
    # 2 IFLs x 10000 cheaper in year 1 and 10 % maintenance on it each year
    assert ifl.npv_at_low - r.npv == pytest.approx(
        20_000 / 1.1 + sum(2_000 / 1.1**y for y in range(1, 6))
    )
    with pytest.raises(InputError, match="uncertain.nope"):
        business_case(TODAY, COLONY, INPUTS, uncertain={"nope": (0, 1)})


def test_resolve_inputs_marks_where_each_value_came_from():
    sec = costs.CostsSection(example_prices=True, colony=costs.CostsColony(ifl_price=1.0))
    inp, _p, sources, _u = costs.resolve_inputs(sec)
    origin = {s.name: s.origin for s in sources}
    assert inp.colony_ifl_price == 1.0 and origin["colony_ifl_price"] == "scenario"
    assert origin["kwh_price"] == "example" and origin["discount_pct"] == "default"
    assert origin["colony_machine_price"] == "unpriced" and inp.colony_machine_price is None
    plain, _p, sources2, _u = costs.resolve_inputs(costs.CostsSection())
    assert plain.kwh_price is None and plain.colony_ifl_price is None
    assert not [s for s in sources2 if s.origin == "example"]
    assert costs.resolve_inputs(costs.CostsSection(), growth_horizon_years=8)[0].horizon_years == 8


def test_headline_says_example_prices_first():
    sec = costs.CostsSection(example_prices=True)
    inp, prods, src, _u = costs.resolve_inputs(sec)
    r = business_case(TODAY, COLONY, inp, prods, sources=src)
    assert r.headline.startswith("EXAMPLE PRICES")
    assert "colony_ifl_price" in r.headline and "NOT PRICED" in r.headline
    assert r.to_dict()["first_line"] == r.headline


# --------------------------------------------------------------------------- a published ratio
def test_ibm_2021_ratio_falls_inside_the_wlf_range():
    """Sanity check, not a calibration: IBM's 2021 claim (448 x86 cores at 3-20 % matched by
    20 LinuxONE cores) against colonykit's WLF sizing of such an inventory.

    Assumptions of this check (data/examples/README.md): 28 servers x 16 cores at 2.6 GHz,
    utilizations spread evenly over 3..20 %, workload class 'mixed', sized on the average,
    target z15 (LinuxONE III generation).  colonykit gives 8 / 24 / 70 IFLs (low / typical / high): IBM's 20 lies
    inside the range, below the typical bound.
    """
    inv, _meta = read_inventory("data/examples/ibm2021_448core_inventory.csv")
    assert inv["util_avg_pct"].min() == 3 and inv["util_avg_pct"].max() == 20
    assert int(inv["cores"].sum()) == 448
    eng = sizing.size_inventory(inv, "z15", basis="avg").engines
    assert eng["low"] <= 20 <= eng["high"]
    assert (eng["low"], eng["typical"], eng["high"]) == (8, 24, 70)
    assert math.isclose(448 / eng["typical"], 18.67, rel_tol=1e-3)


def test_a_full_machine_is_replaced_under_the_upgrade_policy():
    d = dt.date(2027, 1, 1)
    up = Upgrade(14, _month(14), _month(14), "machine", 2, 32.0)
    cp = CapacityPlan(d, 48, 12, (), None, (up,), {"typical": (up,)})
    inp = dataclasses.replace(INPUTS, colony_zvm_engine_price=0.0)
    r = business_case(TODAY, COLONY, inp, capacity_plan=cp)
    assert r.colony.by_component["hardware"][1] == pytest.approx(100_000 + 4 * 20_000 + 96 * 100)
