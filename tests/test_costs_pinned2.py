"""The business case pinned by hand (issue 27 §2): both sides, the orchestrator, the inputs.

Small typed inputs built here (two or three servers, one or two LPARs, two or three years);
every expected value is worked out in the comments from the formulas of ``colonykit.costs``
and the sourced rows of ``colonykit/_data/cost_inputs.csv`` / ``core_factors.csv``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

from colonykit import costs, forecast
from colonykit.costs import (
    ColonyEstate,
    ColonyHost,
    CostInputs,
    CostsColony,
    CostsSection,
    CostsSoftware,
    CostsToday,
    InputSource,
    SoftwareProduct,
    TodayEstate,
)
from colonykit.errors import InputError

D = dt.date(2027, 1, 1)


def _up(month: int, host: str, add_e: int, add_m: float = 0.0, order_by: dt.date = D) -> Any:
    return SimpleNamespace(
        month=month, order_by=order_by, host=host, add_engines=add_e, add_memory_gib=add_m
    )


# --------------------------------------------------------------------------- estates, results
def test_estates_and_side_totals() -> None:
    with pytest.raises(InputError):
        TodayEstate(("a", "b"), (1.0,))
    TodayEstate(("a",), (1.0,))  # equal lengths: no error
    col = ColonyEstate((ColonyHost("l1", 2, 64.0, ()), ColonyHost("l2", 3, 32.5, ())), 4)
    assert col.engines == 5 and col.memory_gib == 96.5
    side = costs.SideCost(
        by_component={"hardware": (1.0, 2.0), "staff": (10.0, 20.0)},
        one_time=(1.0, 0.0),
        energy_kwh=(0.0, 0.0),
        co2e_t=(0.0, 0.0),
        licence_units={},
        licence_cores=(0.0, 0.0),
    )
    assert side.per_year == (11.0, 22.0) and side.total == 33.0
    assert costs._recurring(side) == (10.0, 22.0)
    assert costs.SensitivityRow("x", 1.0, 2.0, 10.0, 4.0).swing == 6.0
    assert costs.SensitivityRow("x", 1.0, 2.0, 4.0, 10.0).swing == 6.0
    assert costs._r(1.23456) == 1.23 and costs._ro(None) is None
    assert costs._ro(1.23456) == 1.23 and costs._ro(1.23456, 4) == 1.2346
    assert costs._z(None) == 0.0 and costs._z(2) == 2.0
    assert costs._ceil_div(7.0, 3.0) == 3.0 and costs._ceil_div(6.0, 3.0) == 2.0
    assert costs._ceil_div(7.0, None) == 0.0 and costs._ceil_div(7.0, 0.0) == 0.0
    assert costs._ceil_div(7.0, -1.0) == 0.0
    # 0.3 / 0.1 = 2.9999999999999996 in floating point: 3 racks, within 1e-9
    assert costs._ceil_div(0.3, 0.1) == 3.0
    assert costs._ceil_div(0.7, 0.1) == 7.0  # 6.999999999999999


def test_scaled_colony_rounds_up_per_lpar() -> None:
    col = ColonyEstate((ColonyHost("l1", 4, 8.0, ("a",)), ColonyHost("l2", 3, 8.0, ())), 2, 5.0)
    s = costs.scaled_colony(col, 0.3)  # 1.2 -> 2, 0.9 -> 1
    assert [h.engines for h in s.hosts] == [2, 1]
    assert s.hosts[0].id == "l1" and s.hosts[0].servers == ("a",) and s.guests == 2
    assert [h.engines for h in costs.scaled_colony(col, 0.1).hosts] == [1, 1]  # at least 1
    assert [h.engines for h in costs.scaled_colony(col, 0.01).hosts] == [1, 1]
    # 3 × (0.7 / 0.7 × 1.0) within 1e-9 of whole numbers: 4 × 1.75 = 7, 3 × 1.75 = 5.25 -> 6
    assert [h.engines for h in costs.scaled_colony(col, 1.75).hosts] == [7, 6]
    # 3 × 1.1 = 3.3000000000000003 -> 4; 10 × 1.1 = 11.000000000000002 -> 11, not 12
    ten = ColonyEstate((ColonyHost("l", 10, 8.0, ()),), 1)
    assert costs.scaled_colony(ten, 1.1).engines == 11


# --------------------------------------------------------------------------- today
TODAY_INP = CostInputs(
    horizon_years=2,
    today_refresh_years=4.0,
    today_server_price=1000.0,
    today_core_price=100.0,
    today_maintenance_pct=10.0,
    today_power_w_per_server=500.0,
    pue=2.0,
    kwh_price=0.1,
    today_servers_per_rack=3.0,
    today_rack_year_cost=1000.0,
    today_servers_per_admin=4.0,
    admin_year_cost=80000.0,
    today_ports_per_server=2.0,
    port_year_cost=50.0,
    today_disk_gib_year_cost=2.0,
    co2e_kg_per_kwh=0.5,
)
DB = SoftwareProduct(
    "db", "per_core", factor_today=0.5, licence_price=1000.0, support_pct=20.0, year_price=10.0,
    servers=("b",),
)  # fmt: skip
OS = SoftwareProduct("os", "per_server", year_price=100.0)


def test_today_side_by_hand_with_growth() -> None:
    est = TodayEstate(("a", "b"), (4.0, 8.0), disk_gib=100.0)
    s = costs.today_side(est, TODAY_INP, [DB, OS], servers_by_year=(2.0, 5.0))
    c = s.by_component
    # unit price 1000 + 100 × mean(4, 8) = 1600; year 1: 2 servers, 2/4 refreshed; year 2:
    # 5 servers, 3 new + 5/4 refreshed
    assert c["hardware"] == pytest.approx((0.5 * 1600, (1.25 + 3) * 1600))
    assert c["maintenance"] == pytest.approx((0.1 * 2 * 1600, 0.1 * 5 * 1600))
    # 2 × 500 W = 1 kW × 8760 h × PUE 2 = 17,520 kWh; 5 servers: 43,800 kWh
    assert s.energy_kwh == pytest.approx((17520.0, 43800.0))
    assert c["energy"] == pytest.approx((1752.0, 4380.0))
    assert s.co2e_t == pytest.approx((8.76, 21.9))
    assert c["floor_space"] == (1000.0, 2000.0)  # ceil(2/3) = 1 rack, ceil(5/3) = 2
    assert c["staff"] == pytest.approx((0.5 * 80000, 1.25 * 80000))
    assert c["network"] == pytest.approx((2 * 2 * 50.0, 5 * 2 * 50.0))
    assert c["storage"] == pytest.approx((100 * 2.0, 100 * 2.5 * 2.0))  # disk scales 5/2
    # db on b only: ceil(8 × 0.5) = 4 units, year 2 ceil(4 × 2.5) = 10; each 10 + 20 % of 1000
    # os: 2 servers, 5 in year 2, 100 each
    assert s.licence_units == {"db": (4.0, 10.0), "os": (2.0, 5.0)}
    assert c["software"] == pytest.approx((4 * 210 + 200.0, 10 * 210 + 500.0))
    assert s.licence_cores == pytest.approx((12.0, 30.0))  # a and b in scope of os
    assert s.one_time == (0.0, 0.0)
    for k in ("hypervisor", "migration", "dual_running"):
        assert c[k] == (0.0, 0.0)
    assert list(c) == list(costs.COMPONENTS)


def test_today_side_scope_defaults_and_shrinking() -> None:
    est = TodayEstate(("a", "b"), (4.0, 8.0), disk_gib=10.0)
    only_db = costs.today_side(est, TODAY_INP, [DB], servers_by_year=(2.0, 5.0))
    assert only_db.licence_cores == pytest.approx((8.0, 20.0))  # b's cores only
    none = costs.today_side(est, TODAY_INP)  # no products: every server; 2 a year
    assert none.licence_cores == (12.0, 12.0) and none.licence_units == {}
    assert none.by_component["hardware"] == (800.0, 800.0)  # no new servers
    assert none.by_component["software"] == (0.0, 0.0)
    # fewer servers in year 2: nothing new is bought, the refresh share shrinks
    fewer = costs.today_side(est, TODAY_INP, servers_by_year=(2.0, 1.0))
    assert fewer.by_component["hardware"] == (800.0, 400.0)
    assert fewer.by_component["storage"] == (20.0, 10.0)
    # no refresh cycle, no servers per admin or rack given: those cost nothing
    bare = CostInputs(horizon_years=1, today_server_price=1000.0, admin_year_cost=5.0)
    b = costs.today_side(est, bare, servers_by_year=(3.0,))
    assert b.by_component["hardware"] == (1000.0,)  # the one new server only
    assert b.by_component["staff"] == (0.0,) and b.by_component["floor_space"] == (0.0,)
    assert b.energy_kwh == (0.0,)
    # an empty estate: no cores, no scale
    empty = costs.today_side(TodayEstate((), ()), TODAY_INP, [OS], servers_by_year=(0.0, 0.0))
    assert empty.licence_units == {"os": (0.0, 0.0)} and empty.licence_cores == (0.0, 0.0)
    grown = costs.today_side(
        TodayEstate((), (), disk_gib=5.0), TODAY_INP, servers_by_year=(1.0, 1.0)
    )
    assert grown.by_component["storage"] == (0.0, 0.0)  # scale 0 without servers
    assert grown.by_component["hardware"] == (1.25 * 1000.0, 0.25 * 1000.0)  # core price × 0


def test_today_side_licences_scale_with_the_estate_rounding_within_1e_9() -> None:
    est = TodayEstate(("a", "b", "c"), (1.0, 1.0, 1.0))
    inp = CostInputs(horizon_years=1)
    p = SoftwareProduct("x", "per_server", year_price=1.0)
    # 3 servers grown to 3.3 (scale 1.1): 3 × 1.1 = 3.3000000000000003 -> 4 units
    s = costs.today_side(est, inp, [p], servers_by_year=(3.3,))
    assert s.licence_units["x"] == (4.0,)
    # 10 servers × 0.7 = 7.000000000000001 units: 7, not 8
    ten = TodayEstate(tuple("abcdefghij"), (1.0,) * 10)
    s = costs.today_side(ten, inp, [p], servers_by_year=(7.0,))
    assert s.licence_units["x"] == (7.0,)
    assert s.by_component["software"] == (7.0,)


def test_today_growth_follows_the_forecast_guests() -> None:
    est = TodayEstate(("a", "b"), (2.0, 2.0))
    assert costs.today_growth(est, 2, None, 3) == (2.0, 2.0, 2.0)
    steps = [SimpleNamespace(month=m, guests=g) for m, g in ((0, 2), (12, 3), (24, 5))]
    cap = SimpleNamespace(steps=steps)
    # year 1: the step at month 12 (3 guests, 1 more), year 2: 5 guests, year 3: still 5
    assert costs.today_growth(est, 2, cap, 3) == (3.0, 5.0, 5.0)
    assert costs.today_growth(est, 2, SimpleNamespace(steps=[]), 2) == (2.0, 2.0)
    late = SimpleNamespace(steps=[SimpleNamespace(month=13, guests=9)])
    assert costs.today_growth(est, 2, late, 2) == (2.0, 9.0)  # none by month 12: as built
    # fewer guests than the plan's: never fewer servers than today's
    shrink = SimpleNamespace(steps=[SimpleNamespace(month=12, guests=1)])
    assert costs.today_growth(est, 2, shrink, 1) == (2.0,)


# --------------------------------------------------------------------------- the colony
COL_INP = CostInputs(
    horizon_years=3,
    colony_machine_price=1e6,
    colony_ifl_price=1e5,
    colony_memory_gib_price=1000.0,
    colony_maintenance_pct=10.0,
    colony_zvm_engine_price=20000.0,
    colony_zvm_support_pct=25.0,
    colony_frame_power_kw=5.0,
    pue=1.5,
    kwh_price=0.2,
    colony_frame_floor_year_cost=3000.0,
    colony_dasd_gib_year_cost=1.0,
    colony_guests_per_admin=5.0,
    admin_year_cost=80000.0,
    colony_migration_server_cost=500.0,
    colony_dual_running_months=18.0,
    co2e_kg_per_kwh=0.4,
)
COLONY = ColonyEstate(
    (ColonyHost("l1", 2, 64.0, ("a",)), ColonyHost("l2", 3, 32.0, ("b",))), 10, disk_gib=500.0
)
DBZ = SoftwareProduct("db", "per_core", factor_colony=1.0, licence_price=1000.0, support_pct=20.0,
                      servers=("b",))  # fmt: skip
OSZ = SoftwareProduct("os", "per_server", year_price=100.0)


def test_colony_side_by_hand_with_upgrades() -> None:
    ups = [_up(12, "l1", 1, 16.0), _up(30, "new", 2)]
    s = costs.colony_side(
        COLONY, ("a", "b"), COL_INP, [DBZ, OSZ], ups, today_running=(1200.0, 2400.0, 3600.0),
        owned_licences={"db": 1.0},
    )  # fmt: skip
    c = s.by_component
    # year 1: machine 1e6 + 5 IFLs × 1e5 + 96 GiB × 1000 = 1,596,000; year 2 (month 12): l1
    # +1 IFL +16 GiB = 116,000; year 3 (month 30): a new LPAR with 2 IFLs = 200,000
    assert c["hardware"] == (1_596_000.0, 116_000.0, 200_000.0)
    # z/VM 20,000 per engine: 5 -> 100,000 (+ 25 % support of 100,000), +1 (support of 120,000),
    # +2 (support of 160,000)
    assert c["hypervisor"] == pytest.approx((125_000.0, 50_000.0, 80_000.0))
    assert c["maintenance"] == pytest.approx((159_600.0, 171_200.0, 191_200.0))
    assert s.energy_kwh == pytest.approx((65700.0,) * 3)  # 5 kW × 8760 h × 1.5
    assert c["energy"] == pytest.approx((13140.0,) * 3)
    assert s.co2e_t == pytest.approx((26.28,) * 3)
    assert c["floor_space"] == (3000.0,) * 3 and c["storage"] == (500.0,) * 3
    assert c["staff"] == (160000.0,) * 3  # 10 guests / 5 per admin × 80,000
    # db on l2 (b's LPAR): 3 engines = 3 licences, 1 owned: buy 2 × 1000 in year 1; support
    # 20 % of 1000 per licence; os per guest: 10 × 100
    assert s.licence_units == {"db": (3.0, 3.0, 3.0), "os": (10.0, 10.0, 10.0)}
    assert c["software"] == pytest.approx((2000 + 600 + 1000.0, 1600.0, 1600.0))
    # os (on every LPAR) follows the new LPAR: 2 + 3 -> 3 + 3 -> 3 + 3 + 2 engines in scope
    assert s.licence_cores == (5.0, 6.0, 8.0)
    assert c["migration"] == (1000.0, 0.0, 0.0)  # 2 servers × 500
    assert c["dual_running"] == (1200.0, 1200.0, 0.0)  # 18 months: 12 of year 1, 6 of year 2
    # one-time: hardware + z/VM licences + bought software + migration
    assert s.one_time == (1_596_000 + 100_000 + 2000 + 1000.0, 136_000.0, 240_000.0)


def test_colony_side_purchase_policies() -> None:
    u = [_up(12, "l1", 1, 16.0)]
    inp = CostInputs(
        horizon_years=2, colony_machine_price=1e6, colony_ifl_price=1e5,
        colony_memory_gib_price=1000.0, colony_maintenance_pct=10.0, colony_frame_power_kw=1.0,
        colony_frame_floor_year_cost=10.0, colony_zvm_engine_price=7.0,
    )  # fmt: skip
    add = costs.colony_side(
        COLONY, ("a", "b"), dataclasses_replace(inp, colony_purchase_policy="add"), (), u
    )
    # add: a second machine with the added IFL and memory; 2 frames from year 2
    assert add.by_component["hardware"] == (1_596_000.0, 1_116_000.0)
    assert add.by_component["maintenance"] == pytest.approx((159_600.0, 271_200.0))
    assert add.by_component["floor_space"] == (10.0, 20.0)
    assert add.energy_kwh == (8760.0, 2 * 8760.0)
    assert add.by_component["hypervisor"] == (35.0, 7.0)
    # replace with 2 frames as built: a new machine with all 6 IFLs and 112 GiB replaces one
    two = dataclasses_replace(inp, colony_frames=2, colony_purchase_policy="replace")
    rep = costs.colony_side(COLONY, ("a", "b"), two, (), u)
    assert rep.by_component["hardware"] == (2_596_000.0, 1_712_000.0)
    assert rep.by_component["maintenance"] == pytest.approx((259_600.0, 271_200.0))
    assert rep.by_component["floor_space"] == (20.0, 20.0)
    assert rep.by_component["hypervisor"] == (35.0, 7.0)  # z/VM for the added engine only
    # the next model ("machine") under the upgrade policy is bought as replace: 6 IFLs, 96 GiB
    nxt = costs.colony_side(COLONY, ("a", "b"), inp, (), [_up(12, "machine", 1)])
    assert nxt.by_component["hardware"] == (1_596_000.0, 1_696_000.0)
    assert nxt.by_component["maintenance"] == pytest.approx((159_600.0, 169_600.0))
    assert nxt.licence_cores == (5.0, 6.0)  # the engine goes to a new LPAR
    up = costs.colony_side(COLONY, ("a", "b"), inp, (), u)
    assert up.by_component["hardware"] == (1_596_000.0, 116_000.0)
    # "machine" under add stays add
    a2 = costs.colony_side(
        COLONY, ("a", "b"), dataclasses_replace(inp, colony_purchase_policy="add"), (),
        [_up(12, "machine", 1)],
    )  # fmt: skip
    assert a2.by_component["hardware"] == (1_596_000.0, 1_100_000.0)


def test_colony_side_upgrades_paid_at_order_date_and_beyond_horizon() -> None:
    inp = CostInputs(horizon_years=2, colony_ifl_price=10.0)
    # needed in month 14, ordered in month 11 of the study: paid in year 1
    u = _up(14, "l1", 1, order_by=dt.date(2027, 12, 1))
    s = costs.colony_side(COLONY, ("a", "b"), inp, (), [u], start=dt.date(2027, 1, 1))
    assert s.by_component["hardware"] == (60.0, 0.0)
    assert costs.colony_side(COLONY, ("a", "b"), inp, (), [u]).by_component["hardware"] == (
        50.0,
        10.0,
    )
    beyond = costs.colony_side(COLONY, ("a", "b"), inp, (), [_up(24, "l1", 3)])
    assert beyond.by_component["hardware"] == (50.0, 0.0)


def test_colony_side_software_scope_and_dual_running() -> None:
    inp = CostInputs(horizon_years=3, colony_dual_running_months=30.0)
    some = SoftwareProduct("s", "per_server", year_price=1.0, servers=("a", "x"))
    pvu = SoftwareProduct("p", "per_capacity_unit", factor_colony=120.0, licence_price=1.0,
                          servers=("a",))  # fmt: skip
    s = costs.colony_side(
        COLONY, ("a", "b"), inp, [some, pvu], [_up(12, "new", 2)], today_running=(12.0, 24.0, 36.0)
    )
    # per_server on named servers: the inventory servers of the list (a; x is not one)
    assert s.licence_units["s"] == (1.0, 1.0, 1.0)
    # PVU on l1 (a's LPAR): 2 engines × 120; the new LPAR does not carry it (not on every LPAR)
    assert s.licence_units["p"] == (240.0, 240.0, 240.0)
    assert s.licence_cores == (2.0, 2.0, 2.0)
    assert s.one_time == (240.0, 0.0, 0.0)  # licences bought once
    # 30 months: 12 + 12 + 6
    assert s.by_component["dual_running"] == (12.0, 24.0, 18.0)
    assert costs.colony_side(COLONY, ("a", "b"), inp).by_component["dual_running"] == (0.0,) * 3
    off = CostInputs(horizon_years=1, colony_dual_running_months=0.0)
    assert costs.colony_side(COLONY, ("a",), off, today_running=(5.0,)).by_component[
        "dual_running"
    ] == (0.0,)
    # no products: every LPAR's engines in scope, the new one too
    bare = costs.colony_side(COLONY, ("a", "b"), inp, (), [_up(12, "new", 2)])
    assert bare.licence_cores == (5.0, 7.0, 7.0)
    assert costs._sel(some, ["a", "b"]) == ["a"] and costs._sel(OSZ, ["a", "b"]) == ["a", "b"]
    assert costs._product_servers(some, ["b", "a"]) == [1]
    assert costs._product_servers(OSZ, ["b", "a"]) == [0, 1]


# --------------------------------------------------------------------------- the orchestrator
TODAY2 = TodayEstate(("a", "b"), (8.0, 8.0))
COL1 = ColonyEstate((ColonyHost("l1", 2, 64.0, ("a", "b")),), 2)
INP = CostInputs(
    horizon_years=2, discount_pct=10.0, colony_ifl_price=100.0, today_servers_per_admin=1.0,
    admin_year_cost=300.0,
)  # fmt: skip


def test_business_case_by_hand() -> None:
    src = (
        InputSource("kwh_price", None, "currency/kWh", "unpriced", "s", "none"),
        InputSource("colony_ifl_price", 95000.0, "currency/engine", "example", "s", "low"),
        InputSource("discount_pct", 7.0, "%", "default", "s", "high"),
    )
    r = costs.business_case(
        TODAY2, COL1, INP, engine_ratios={"low": 0.5, "high": 1.6},
        uncertain={"colony_ifl_price": (50.0, 150.0), "horizon_years": (1.0, 3.0)},
        currency="EUR", sources=src, notes=("n1",), products=[OSZ],
    )  # fmt: skip
    # today: 2 admins × 300 a year (+ os 2 × 100); colony: 2 IFLs × 100 in year 1 (+ os 200)
    assert r.today.per_year == (800.0, 800.0) and r.colony.per_year == (400.0, 200.0)
    assert r.savings_per_year == (400.0, 600.0)
    assert r.npv == pytest.approx(400 / 1.1 + 600 / 1.21)
    # months: 50 − 200 in month 1, then 50 a month: cumulative −150, −100, −50, 0
    assert r.payback_months == 4
    assert r.roi_pct == pytest.approx(1000 / 200 * 100)
    assert r.npv_range["low"] == pytest.approx(500 / 1.1 + 600 / 1.21)  # ceil(2 × 0.5) = 1 IFL
    assert r.npv_range["high"] == pytest.approx(200 / 1.1 + 600 / 1.21)  # ceil(3.2) = 4 IFLs
    assert list(r.npv_range) == ["low", "typical", "high"]
    assert r.colony_cost_range == {"low": 500.0, "typical": 600.0, "high": 800.0}
    assert list(r.colony_cost_range) == ["low", "typical", "high"]
    # tornado: 1 year -> 400/1.1; 3 years adds 600/1.331 (swing 600/1.21 + 600/1.331) before
    # the IFL price (50 -> 500/1.1 + …, 150 -> 300/1.1 + …: swing 200/1.1)
    h, i = r.sensitivity
    assert (h.input, h.low, h.high) == ("horizon_years", 1.0, 3.0)
    assert h.npv_at_low == pytest.approx(400 / 1.1)
    assert h.npv_at_high == pytest.approx(400 / 1.1 + 600 / 1.21 + 600 / 1.331)
    assert (i.input, i.low, i.high) == ("colony_ifl_price", 50.0, 150.0)
    assert i.npv_at_low == pytest.approx(500 / 1.1 + 600 / 1.21)
    assert i.npv_at_high == pytest.approx(300 / 1.1 + 600 / 1.21)
    assert r.unpriced == ("kwh_price",) and r.example_prices_used == ("colony_ifl_price",)
    assert r.sources == src and r.notes == ("n1",) and r.products == ("os",)
    assert r.currency == "EUR" and r.upgrades_used == 0 and r.inputs is INP
    assert r.horizon_years == 2 and r.total_today == 1600.0 and r.total_colony == 600.0
    assert r.cumulative_savings() == (400.0, 1000.0)
    assert r.headline == (
        "EXAMPLE PRICES: this business case rests on illustrative example prices "
        "(colony_ifl_price); replace them with your own; NOT PRICED (counted as 0): kwh_price"
    )


def test_business_case_defaults_and_bad_tornado_input() -> None:
    r = costs.business_case(TODAY2, COL1, INP)
    assert r.npv_range == {"low": r.npv, "typical": r.npv, "high": r.npv}
    assert r.sensitivity == () and r.headline == "business case on the planner's own prices"
    assert r.energy_kwh_today is None and r.energy_kwh_colony is None
    assert r.co2e_t_today is None and r.co2e_t_colony is None
    # no capital (the colony costs nothing once): no ROI; never negative savings: payback 0
    cheap = costs.business_case(TODAY2, COL1, dataclasses_replace(INP, colony_ifl_price=0.0))
    assert cheap.roi_pct is None and cheap.payback_months == 0
    with pytest.raises(InputError, match="uncertain.bogus"):
        costs.business_case(TODAY2, COL1, INP, uncertain={"bogus": (1.0, 2.0)})
    with pytest.raises(InputError):
        costs.business_case(TODAY2, COL1, INP, uncertain={"colony_purchase_policy": (1.0, 2.0)})
    # colony_frames is varied as a whole number of frames
    f = costs.business_case(
        TODAY2, COL1, dataclasses_replace(INP, colony_machine_price=10.0),
        uncertain={"colony_frames": (1.0, 2.0)},
    )  # fmt: skip
    assert f.sensitivity[0].npv_at_high == pytest.approx(f.npv - 10 / 1.1)


def dataclasses_replace(inp: CostInputs, **kw: Any) -> CostInputs:
    return dataclasses.replace(inp, **kw)  # type: ignore[arg-type]


def test_business_case_energy_co2_and_to_dict() -> None:
    inp = dataclasses_replace(
        INP, today_power_w_per_server=250.0, colony_frame_power_kw=1.0, kwh_price=0.1,
        co2e_kg_per_kwh=0.123456, discount_pct=3.0,
    )  # fmt: skip
    r = costs.business_case(TODAY2, COL1, inp, products=[DB])
    # today 0.5 kW × 8760 = 4380 kWh; colony 1 kW: 8760 kWh
    assert r.energy_kwh_today == 4380.0 and r.energy_kwh_colony == 8760.0
    assert r.co2e_t_today == pytest.approx(4380 * 0.123456 / 1000)
    assert r.co2e_t_colony == pytest.approx(8760 * 0.123456 / 1000)
    no_grid = costs.business_case(TODAY2, COL1, dataclasses_replace(inp, co2e_kg_per_kwh=None))
    assert no_grid.co2e_t_today is None and no_grid.co2e_t_colony is None
    assert no_grid.energy_kwh_today == 4380.0
    d = r.to_dict()
    assert list(d) == list(costs.CostResult._dict_keys)
    assert d["first_line"] == r.headline and d["horizon_years"] == 2 and d["currency"] == "USD"
    assert d["discount_pct"] == 3.0
    # year 1: today staff 600, energy 438, db on b: ceil(8 × 0.5) = 4 × (10 + 20 % of 1000) = 840
    y1 = d["years"][0]
    assert y1["year"] == 1 and d["years"][1]["year"] == 2 and len(d["years"]) == 2
    assert y1["today"]["staff"] == 600.0 and y1["today"]["energy"] == 438.0
    assert y1["colony"]["hardware"] == 200.0 and y1["colony"]["energy"] == 876.0
    assert y1["savings"]["energy"] == -438.0 and y1["savings"]["staff"] == 600.0
    assert list(y1["today"]) == list(costs.COMPONENTS)
    # colony: db on l1 (2 engines × factor 1 = 2 licences), 4 owned: none bought; 2 × 210
    assert d["licences_today"] == {"db": 4.0} and d["licences_colony"] == {"db": 2.0}
    assert d["licence_cores_today"] == 8.0 and d["licence_cores_colony"] == 2.0
    savings = (600 + 438 + 840 - 200 - 876 - 420, 600 + 438 + 840 - 876 - 420)
    npv = savings[0] / 1.03 + savings[1] / 1.03**2
    assert d["npv"] == round(npv, 2) and d["npv"] != round(npv, 3)
    assert d["total_today"] == 2 * (600 + 438 + 840.0)
    assert d["total_colony"] == 200 + 2 * (876 + 420.0)
    assert d["roi_pct"] == round(sum(savings) / 200 * 100, 2)
    assert d["payback_months"] == r.payback_months
    assert d["energy_kwh_today"] == 4380.0 and d["energy_kwh_colony"] == 8760.0
    assert d["co2e_t_today"] == round(4380 * 0.123456 / 1000, 4)
    assert d["co2e_t_colony"] == round(8760 * 0.123456 / 1000, 4)
    assert d["range"] == {k: round(npv, 2) for k in ("low", "typical", "high")}
    assert d["colony_cost_range"]["typical"] == d["total_colony"]
    assert d["sensitivity"] == [] and d["unpriced"] == [] and d["example_prices_used"] == []
    assert d["upgrades_used"] == 0 and d["notes"] == [] and d["inputs"] == []
    t = costs.business_case(
        TODAY2, COL1, inp, uncertain={"kwh_price": (0.0, 0.2)},
        sources=[InputSource("pue", 1.9, "ratio", "example", "src", "low")],
    )  # fmt: skip
    dt_ = t.to_dict()
    # without db: savings 400 − 438 + … ; kwh price 0: (400, 600); 0.2: the colony's 1752 kWh
    # cost less today's 876: 876 less savings a year
    assert dt_["sensitivity"] == [
        {
            "input": "kwh_price",
            "low": 0.0,
            "high": 0.2,
            "npv_at_low": round(400 / 1.03 + 600 / 1.03**2, 2),
            "npv_at_high": round((400 - 876) / 1.03 + (600 - 876) / 1.03**2, 2),
        }
    ]
    assert dt_["inputs"] == [
        {"name": "pue", "value": 1.9, "unit": "ratio", "origin": "example", "source": "src",
         "confidence": "low"}
    ]  # fmt: skip
    assert dt_["example_prices_used"] == ["pue"]
    neg = costs.business_case(TODAY2, COL1, dataclasses_replace(inp, colony_ifl_price=0.001))
    assert neg.to_dict()["roi_pct"] == round(neg.roi_pct or 0.0, 2)
    assert (
        costs.business_case(TODAY2, COL1, dataclasses_replace(inp, colony_ifl_price=0.0)).to_dict()[
            "roi_pct"
        ]
        is None
    )


def _cap(
    upgrades_by_bound: dict, upgrades: tuple = (), steps: tuple = ()
) -> forecast.CapacityPlanResult:
    return forecast.CapacityPlanResult(
        start=D,
        horizon_months=24,
        step_months=12,
        steps=steps,
        exhaustion=None,
        upgrades=upgrades,
        upgrades_by_bound=upgrades_by_bound,
    )


def _fu(month: int, host: str, add_e: int, order_by: dt.date) -> forecast.Upgrade:
    return forecast.Upgrade(month, order_by, order_by, host, add_e, 0.0, "r")


def _step(month: int, guests: int) -> forecast.ForecastStep:
    r = forecast.Range(0.0, 0.0, 0.0)
    return forecast.ForecastStep(month, D, guests, r, 0, 0, 0.0, True)


def test_business_case_with_a_capacity_plan() -> None:
    u1 = _fu(12, "l1", 1, dt.date(2027, 10, 1))  # ordered in month 9: year 1
    u2 = _fu(24, "l1", 2, dt.date(2028, 9, 1))  # ordered in month 20: year 2
    steps = (_step(0, 2), _step(12, 3), _step(24, 4))
    cap = _cap({"low": (), "typical": (u1,), "high": (u1, u2)}, (u1,), steps)
    r = costs.business_case(TODAY2, COL1, INP, capacity_plan=cap)
    # colony: 2 IFLs + the typical upgrade's 1 in year 1: 300; today: 3 then 4 admins (the
    # forecast's guests above the plan's 2 are servers today too)
    assert r.colony.per_year == (300.0, 0.0) and r.today.per_year == (900.0, 1200.0)
    assert r.upgrades_used == 1
    assert r.colony_cost_range == {"low": 200.0, "typical": 300.0, "high": 500.0}
    # a plan without schedules per bound: the typical schedule for typical, nothing else
    cap2 = _cap({}, (u1, u2), steps)
    r2 = costs.business_case(TODAY2, COL1, INP, capacity_plan=cap2)
    assert r2.colony_cost_range == {"low": 200.0, "typical": 500.0, "high": 200.0}
    assert r2.upgrades_used == 2
    # schedules for some bounds only: a missing bound falls back to the typical schedule
    cap3 = _cap({"high": (u2,)}, (u1,), steps)
    r3 = costs.business_case(TODAY2, COL1, INP, capacity_plan=cap3)
    assert r3.colony_cost_range == {"low": 300.0, "typical": 300.0, "high": 400.0}
    # an empty typical schedule falls back to the plan's upgrades
    cap4 = _cap({"typical": (), "low": ()}, (u2,), steps)
    r4 = costs.business_case(TODAY2, COL1, INP, capacity_plan=cap4)
    assert r4.colony_cost_range == {"low": 200.0, "typical": 400.0, "high": 400.0}
    # an upgrade ordered beyond the horizon is not counted
    cap5 = _cap({"typical": (_fu(36, "l1", 1, dt.date(2029, 6, 1)),)}, (), steps)
    assert costs.business_case(TODAY2, COL1, INP, capacity_plan=cap5).upgrades_used == 0


# --------------------------------------------------------------------------- inputs
def test_cost_table_reads_the_sourced_rows() -> None:
    t = costs.cost_table()
    assert t["discount_pct"]["value"] == 7.0 and t["discount_pct"]["low"] == 3.0
    assert t["horizon_years"]["kind"] == "default" and t["horizon_years"]["unit"] == "years"
    assert t["today_server_price"]["value"] is None  # a planner input: no public source
    assert t["colony_ifl_price"]["value"] == 95000.0 and t["colony_ifl_price"]["low"] is None


def test_resolve_inputs_defaults_examples_and_scenario_values() -> None:
    inp, prods, src, unc = costs.resolve_inputs(CostsSection())
    # sourced defaults only (cost_inputs.csv kind=default): horizon 5, 7 %, 1 frame, 0 months
    assert (inp.horizon_years, inp.discount_pct, inp.colony_frames) == (5, 7.0, 1)
    assert inp.colony_dual_running_months == 0.0 and inp.colony_purchase_policy == "upgrade"
    assert inp.colony_ifl_price is None and inp.kwh_price is None  # examples not asked for
    assert prods == [] and unc == {}
    by = {s.name: s for s in src}
    assert by["discount_pct"].origin == "default" and by["discount_pct"].value == 7.0
    assert by["discount_pct"].unit == "%" and by["discount_pct"].confidence != "input"
    assert by["kwh_price"].origin == "unpriced" and by["kwh_price"].value is None
    assert by["kwh_price"].unit == "currency/kWh" and by["kwh_price"].source.startswith("US EIA")
    assert by["today_server_price"].origin == "unpriced"
    assert by["today_server_price"].confidence == "none"
    assert "colony_purchase_policy" not in by
    ex, _p, src2, _u = costs.resolve_inputs(CostsSection(example_prices=True), 3)
    assert ex.colony_ifl_price == 95000.0 and ex.kwh_price == 0.0895 and ex.pue == 1.9
    assert ex.horizon_years == 3  # the growth horizon when the section sets none
    by2 = {s.name: s for s in src2}
    assert by2["colony_ifl_price"].origin == "example" and by2["horizon_years"].origin == "scenario"
    assert by2["horizon_years"].source == "input" and by2["horizon_years"].confidence == "input"
    assert by2["colony_ifl_price"].source.startswith("IBM web page")
    sec = CostsSection(
        horizon_years=2, discount_pct=0.0, kwh_price=0.3,
        today=CostsToday(server_price=5000.0),
        colony=CostsColony(purchase_policy="add", frames=2, dual_running_months=6.0, ifl_price=1.0),
    )  # fmt: skip
    own, _p, src3, _u = costs.resolve_inputs(sec, 4)
    assert (own.horizon_years, own.discount_pct, own.kwh_price) == (2, 0.0, 0.3)
    assert own.today_server_price == 5000.0 and own.colony_ifl_price == 1.0
    assert (own.colony_frames, own.colony_dual_running_months) == (2, 6.0)
    assert own.colony_purchase_policy == "add"
    by3 = {s.name: s for s in src3}
    assert by3["kwh_price"] == InputSource("kwh_price", 0.3, "currency/kWh", "scenario", "input",
                                           "input")  # fmt: skip
    assert by3["discount_pct"].value == 0.0 and by3["discount_pct"].origin == "scenario"


def test_resolve_inputs_software_and_tornado_ranges() -> None:
    sec = CostsSection(
        software=[
            CostsSoftware(name="oracle-database-ee", vendor="oracle", metric="per_core"),
            CostsSoftware(name="mq", vendor="ibm-pvu", metric="per_capacity_unit",
                          factor_colony=100.0, licence_price=2.0, year_price=3.0,
                          sockets_per_server=2.0, servers=["a"]),
            CostsSoftware(name="x", factor_today=0.25),
        ],
        example_prices=True,
        uncertain={"discount_pct": None, "colony_ifl_price": [1.0, 2.0], "kwh_price": None,
                   "colony_dual_running_months": None},
    )  # fmt: skip
    _inp, prods, src, unc = costs.resolve_inputs(sec)
    ora, mq, x = prods
    # oracle: core factor 0.5 on x86, 1.0 on IBM Z; the example list price 47,500 and 22 %
    assert (ora.factor_today, ora.factor_colony) == (0.5, 1.0)
    assert (ora.licence_price, ora.support_pct, ora.year_price) == (47500.0, 22.0, None)
    assert ora.servers is None and ora.metric == "per_core" and ora.name == "oracle-database-ee"
    # ibm-pvu: 70 PVU per x86 core from the table, the given 100 per engine
    assert (mq.factor_today, mq.factor_colony) == (70.0, 100.0)
    assert (mq.licence_price, mq.year_price, mq.support_pct) == (2.0, 3.0, None)
    assert mq.sockets_per_server == 2.0 and mq.servers == ("a",)
    assert mq.metric == "per_capacity_unit"
    assert (x.factor_today, x.factor_colony) == (0.25, 1.0)  # per-core vendor on IBM Z
    by = {s.name: s for s in src}
    assert by["software.oracle-database-ee.licence_price"].origin == "example"
    assert by["software.mq.licence_price"].origin == "scenario"
    assert "software.mq.support_pct" not in by  # no table row, not given: nothing to trace
    # null: the table's low / high (OMB 3 and 7 %; EIA 0.0738 and 0.2391; 0 and 0 months)
    assert unc == {
        "discount_pct": (3.0, 7.0),
        "colony_ifl_price": (1.0, 2.0),
        "kwh_price": (0.0738, 0.2391),
        "colony_dual_running_months": (0.0, 0.0),
    }
    assert list(unc) == ["discount_pct", "colony_ifl_price", "kwh_price",
                         "colony_dual_running_months"]  # fmt: skip


@pytest.mark.parametrize(
    ("uncertain", "match"),
    [
        ({"bogus": [1.0, 2.0]}, "costs.uncertain.bogus"),
        ({"colony_purchase_policy": [1.0, 2.0]}, "costs.uncertain.colony_purchase_policy"),
        ({"pue": [2.0, 1.0]}, r"\[low, high\]"),
        ({"pue": [1.0, 2.0, 3.0]}, r"\[low, high\]"),
        ({"co2e_kg_per_kwh": None}, "no low/high"),  # the table has no range for it
        ({"today_server_price": None}, "no low/high"),  # no row values at all
    ],
)
def test_resolve_inputs_rejects_bad_tornado_ranges(uncertain: dict, match: str) -> None:
    with pytest.raises(InputError, match=match):
        costs.resolve_inputs(CostsSection(uncertain=uncertain))


def test_resolve_inputs_accepts_a_point_range_and_collects_every_problem() -> None:
    _i, _p, _s, unc = costs.resolve_inputs(CostsSection(uncertain={"pue": [1.5, 1.5]}))
    assert unc == {"pue": (1.5, 1.5)}
    with pytest.raises(InputError) as e:
        costs.resolve_inputs(CostsSection(uncertain={"bogus": [1.0], "pue": [2.0, 1.0]}))
    assert "bogus" in str(e.value) and "pue" in str(e.value)


def test_opt_and_scalar() -> None:
    assert costs._opt(None) is None
    for v in (3, 3.0, np.int64(3), np.float32(3.0), "3"):
        got = costs._opt(v)
        assert got == 3.0 and type(got) is float
    assert costs._scalar(None) is None and costs._scalar("upgrade") == "upgrade"
    assert costs._scalar(2) == 2.0 and type(costs._scalar(2)) is float
    assert math.isnan(costs._opt(float("nan")) or 0.0)


# --------------------------------------------------------------------------- edges found by mutation
def test_rounding_within_1e_9_not_1e_10() -> None:
    # 3e-10 above a whole number is that number (round to 9 digits), not the next one
    assert costs._ceil_div(1.0000000003, 1.0) == 1.0
    one = ColonyEstate((ColonyHost("l", 1, 8.0, ()),), 1)
    assert costs.scaled_colony(one, 2.0000000003).engines == 2
    p = SoftwareProduct("x", "per_server", year_price=1.0)
    s = costs.today_side(
        TodayEstate(("a",), (1.0,)), CostInputs(horizon_years=1), [p], (1.0000000003,)
    )
    assert s.licence_units["x"] == (1.0,)


def test_per_socket_licences_on_both_sides() -> None:
    # today: 2 servers × ceil(2 sockets × 0.75) = 4; the colony: one licensed LPAR set,
    # ceil(1 × 3.0) = 3 (the engines do not count per socket)
    p = SoftwareProduct("s", "per_socket", factor_today=0.75, factor_colony=3.0, year_price=1.0,
                        sockets_per_server=2.0)  # fmt: skip
    t = costs.today_side(TodayEstate(("a", "b"), (4.0, 4.0)), CostInputs(horizon_years=1), [p])
    assert t.licence_units["s"] == (4.0,)
    c = costs.colony_side(COLONY, ("a", "b"), CostInputs(horizon_years=1), [p])
    assert c.licence_units["s"] == (3.0,)


def test_colony_side_several_upgrades_a_year_and_their_hosts() -> None:
    inp = CostInputs(horizon_years=2, colony_machine_price=1000.0, colony_ifl_price=100.0,
                     colony_memory_gib_price=1.0, colony_zvm_engine_price=10.0,
                     colony_purchase_policy="replace")  # fmt: skip
    ups = [_up(0, "l1", 1, 8.0), _up(12, "l2", 1, 4.0), _up(13, "l2", 2, 16.0)]
    s = costs.colony_side(COLONY, ("a", "b"), inp, (), ups)
    # year 1: 1000 + 5 × 100 + 96 then a replacement with 6 IFLs, 104 GiB; z/VM for 5 + 1
    # year 2: replacements with 7 IFLs / 108 GiB and 9 IFLs / 124 GiB; z/VM for 1 + 2
    assert s.by_component["hardware"] == (1596.0 + 1704.0, 1808.0 + 2024.0)
    assert s.by_component["hypervisor"] == (60.0, 30.0)
    # an upgrade on l1 goes to l1 (a product on a's LPAR counts it), "machine" to a new LPAR
    # that products on every LPAR follow
    on_a = SoftwareProduct("pa", "per_core", factor_colony=1.0, servers=("a",))
    s = costs.colony_side(COLONY, ("a", "b"), CostInputs(horizon_years=2), [on_a, OSZ],
                          [_up(12, "l1", 2)])  # fmt: skip
    assert s.licence_units["pa"] == (2.0, 4.0)
    m = costs.colony_side(COLONY, ("a", "b"), CostInputs(horizon_years=2), [on_a, OSZ],
                          [_up(12, "machine", 3)])  # fmt: skip
    assert m.licence_units["pa"] == (2.0, 2.0) and m.licence_cores == (5.0, 8.0)
    # the scope of several products is their union, in any order
    two = costs.colony_side(COLONY, ("a", "b"), CostInputs(horizon_years=1), [OSZ, DBZ])
    assert two.licence_cores == (5.0,)
    # one month of dual running: 1/12 of today's running cost
    d = costs.colony_side(COLONY, ("a",), CostInputs(horizon_years=1, colony_dual_running_months=1.0),
                          today_running=(120.0,))  # fmt: skip
    assert d.by_component["dual_running"] == (10.0,)


def test_business_case_dual_running_tornado_with_a_plan_and_licences_of_year_1() -> None:
    u1 = _fu(12, "l1", 1, dt.date(2027, 10, 1))
    u2 = _fu(24, "l1", 2, dt.date(2028, 9, 1))
    steps = (_step(0, 2), _step(12, 3), _step(24, 4))
    cap = _cap({"typical": (u1, u2)}, (), steps)
    p = SoftwareProduct("p", "per_core", factor_today=0.5, factor_colony=1.0, year_price=1.0)
    inp = dataclasses_replace(INP, colony_dual_running_months=6.0)
    r = costs.business_case(TODAY2, COL1, inp, [p], capacity_plan=cap,
                            uncertain={"colony_ifl_price": (0.0, 200.0)})  # fmt: skip
    # today: 3 then 4 servers (scale 1.5, 2): 24 / 32 cores, ceil(8 × 1.5) = 12 / 16 licences
    assert r.today.licence_cores == (24.0, 32.0) and r.today.licence_units["p"] == (12.0, 16.0)
    # the colony: 2 + 1 engines in year 1, + 2 in year 2
    assert r.colony.licence_cores == (3.0, 5.0) and r.colony.licence_units["p"] == (3.0, 5.0)
    d = r.to_dict()
    assert (d["licence_cores_today"], d["licence_cores_colony"]) == (24.0, 3.0)
    assert (d["licences_today"], d["licences_colony"]) == ({"p": 12.0}, {"p": 3.0})
    # 6 months of dual running: half of today's year-1 running cost (900 staff + 12 licences)
    assert r.colony.by_component["dual_running"] == (0.5 * (900.0 + 12.0), 0.0)
    # the tornado keeps the plan's upgrades: IFL price 200 -> 3 × 200 in year 1, 2 × 200 in 2
    (row,) = r.sensitivity
    t_y = (900.0 + 12.0, 1200.0 + 16.0)
    c_hi = (600.0 + 456.0 + 3.0, 400.0 + 5.0)
    c_lo = (456.0 + 3.0, 5.0)
    assert row.npv_at_high == pytest.approx((t_y[0] - c_hi[0]) / 1.1 + (t_y[1] - c_hi[1]) / 1.21)
    assert row.npv_at_low == pytest.approx((t_y[0] - c_lo[0]) / 1.1 + (t_y[1] - c_lo[1]) / 1.21)


def test_tornado_varies_frames_as_whole_frames() -> None:
    inp = dataclasses_replace(INP, colony_machine_price=10.0)
    r = costs.business_case(TODAY2, COL1, inp, uncertain={"colony_frames": (1.5, 2.5)})
    # 1.5 -> 1 frame, 2.5 -> 2 frames of 10
    assert r.sensitivity[0].npv_at_low == pytest.approx(r.npv)
    assert r.sensitivity[0].npv_at_high == pytest.approx(r.npv - 10 / 1.1)


def test_business_case_names_its_problems() -> None:
    with pytest.raises(InputError, match="^invalid business case"):
        costs.business_case(TODAY2, COL1, INP, uncertain={"bogus": (1.0, 2.0)})


def test_resolve_inputs_traces_the_table_confidence_and_a_zero_horizon() -> None:
    _inp, _p, src, _u = costs.resolve_inputs(CostsSection(example_prices=True))
    by = {s.name: s for s in src}
    # cost_inputs.csv: OMB's 7 % is 'medium', the historic IFL price an example of 'low'
    assert by["discount_pct"].confidence == "medium"
    assert by["colony_ifl_price"].confidence == "low"
    # a growth horizon of 0 years falls back to the study's 5
    assert costs.resolve_inputs(CostsSection(), 0)[0].horizon_years == 5


def test_resolve_inputs_software_prices_given_and_every_tornado_problem() -> None:
    sec = CostsSection(
        software=[CostsSoftware(name="q", support_pct=10.0, year_price=3.0, licence_price=1.0)]
    )
    _inp, (q,), src, _u = costs.resolve_inputs(sec)
    assert (q.licence_price, q.support_pct, q.year_price) == (1.0, 10.0, 3.0)
    by = {s.name: s for s in src}
    for k in ("licence_price", "support_pct", "year_price"):
        assert by[f"software.q.{k}"].origin == "scenario"
        assert by[f"software.q.{k}"].unit == ""  # q has no row in cost_inputs.csv: no unit
    # every problem is reported, whatever comes before it
    for unc in (
        {"bogus": [1.0, 2.0], "pue": [2.0, 1.0]},
        {"pue": [2.0, 1.0], "co2e_kg_per_kwh": None, "bogus": [1.0, 2.0]},
        {"co2e_kg_per_kwh": None, "pue": [2.0, 1.0]},
    ):
        with pytest.raises(InputError, match="^invalid costs section") as e:
            costs.resolve_inputs(CostsSection(uncertain=unc))
        for name in unc:
            assert f"costs.uncertain.{name}" in str(e.value)
