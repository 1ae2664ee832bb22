"""Hot-path cuts of round 7 (r7-20speed4): the same answers as the plain computation."""

from __future__ import annotations

import pytest

from colonykit import designs, forecast, plan
from colonykit.ingest import read_inventory
from colonykit.plan import business


@pytest.mark.parametrize("name", designs.design_names())
def test_bundled_design_is_the_design_read_from_the_file_by_path(name: str) -> None:
    # second method: the same file read through the user-file path (parsed afresh)
    by_path = designs.get_design(name, path=str(designs.DESIGNS_FILE))
    assert designs.get_design(name) == by_path


def test_a_bundled_design_can_be_changed_without_changing_the_next_one() -> None:
    raw = designs.load_designs_file()
    name = next(iter(raw))
    raw[name]["components"].clear()  # the caller's copy
    first = designs.get_design(name)
    assert first.components
    assert designs.get_design(name) == first


def test_a_growing_plan_is_costed_once_with_its_upgrades() -> None:
    scen = plan.load_scenario("data/examples/bitbrains_colony.yaml")
    assert scen.growth is not None and business.costs_section(scen) is not None
    res = plan.build_plan(scen)
    # by hand: the business case of the built plan over its forecast
    cap = forecast.project(res)
    assert scen.inventory is not None
    inv, _ = read_inventory(scen.resolve(scen.inventory))
    expected = business.plan_business_case(scen, inv, res.plan, cap)
    assert expected is not None and res.business_case is not None
    assert res.plan.business_case == business.business_case_document(expected)


def test_a_plan_without_growth_is_costed_as_built() -> None:
    scen = plan.load_scenario("data/examples/bitbrains_colony.yaml")
    scen.growth = None
    res = plan.build_plan(scen)
    assert scen.inventory is not None
    inv, _ = read_inventory(scen.resolve(scen.inventory))
    expected = business.plan_business_case(scen, inv, res.plan)
    assert expected is not None
    assert res.plan.business_case == business.business_case_document(expected)


def test_measured_memory_is_kept_while_its_inputs_stay() -> None:
    from colonykit import measured_memory as mm
    from colonykit.plan import memory_plan

    scen = plan.load_scenario("data/examples/bitbrains_colony.yaml")
    assert scen.traces is not None and scen.inventory is not None
    inv, _ = read_inventory(scen.resolve(scen.inventory))
    first, why = memory_plan.measure_memory(scen, inv)
    assert first is not None and why == ""
    again, _ = memory_plan.measure_memory(scen, inv.copy())
    assert again is first  # equal inventory, same traces: kept
    # second method: the computation itself on the same join
    join = next(iter(memory_plan._JOINS.values()))
    fresh = mm.measured_memory(
        inv, join, statistic=scen.traces.memory_statistic, margin_pct=scen.traces.memory_margin_pct
    )
    assert first.instances.equals(fresh.instances)
    # a changed inventory or statistic is measured afresh
    bigger = inv.copy()
    bigger["memory_mib"] = bigger["memory_mib"] * 2
    other, _ = memory_plan.measure_memory(scen, bigger)
    assert other is not None and other is not first
    assert not other.instances["provisioned_mib"].equals(first.instances["provisioned_mib"])
    scen.traces.memory_margin_pct = (scen.traces.memory_margin_pct or 0) + 25
    wider, _ = memory_plan.measure_memory(scen, inv)
    assert wider is not None
    assert not wider.instances["working_set_mib"].equals(first.instances["working_set_mib"])


def test_measured_memory_of_reordered_rows_is_measured_afresh() -> None:
    from colonykit.plan import memory_plan

    scen = plan.load_scenario("data/examples/bitbrains_colony.yaml")
    assert scen.inventory is not None
    inv, _ = read_inventory(scen.resolve(scen.inventory))
    first, _ = memory_plan.measure_memory(scen, inv)
    flipped, _ = memory_plan.measure_memory(scen, inv.iloc[::-1])
    assert first is not None and flipped is not None and flipped is not first
    assert sorted(flipped.instances["server"]) == sorted(first.instances["server"])
