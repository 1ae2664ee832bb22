"""One list per concept (issue 15 §4): every copy that cannot import the list is checked against it."""

from __future__ import annotations

import typing

from colonykit import plan, reference, whitespace
from colonykit.cli import build_parser
from colonykit.ingest import traces
from colonykit.plan import document
from colonykit.units import DEMAND_UNITS


def _literal_values(annotation: object) -> set[str]:
    out: set[str] = set()
    for arg in typing.get_args(annotation) or (annotation,):
        if typing.get_origin(arg) is typing.Literal:
            out |= set(typing.get_args(arg))
    return out


def test_demand_units_are_one_list():
    assert traces.UNITS is DEMAND_UNITS and whitespace.UNITS is DEMAND_UNITS
    # the plan schema spells them as a Literal (pydantic needs it): it must match
    assert _literal_values(plan.ScenarioTraces.model_fields["unit"].annotation) == set(DEMAND_UNITS)
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    unit = next(a for a in sub.choices["pack"]._actions if a.dest == "unit")
    assert tuple(unit.choices) == DEMAND_UNITS


def test_dasd_models_of_the_plan_are_the_table():
    table = reference.load_table("dasd_models", index="model")
    assert set(typing.get_args(document.DasdModel)) == set(table.index)
