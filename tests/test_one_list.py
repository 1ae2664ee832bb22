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


# --------------------------------------------------------------------------- one evidence list
def _evidence_headings(html: str) -> list[str]:
    import re

    part = html.split('<h2 id="evidence">', 1)[1]
    return re.findall(r"<h3>([a-z ]+): (?:evaluated|not applicable|NOT evaluated)</h3>", part)


def test_report_and_checks_read_the_one_evidence_list():
    from colonykit import report
    from colonykit.plan import evidence

    assert evidence.EVIDENCE_SECTIONS == ("sizing", "white_space", "paging", "channels", "design", "memory")
    from colonykit.plan import checks

    assert checks.EVIDENCE_SECTIONS is evidence.EVIDENCE_SECTIONS
    result = plan.build_plan("data/examples/scenario.yaml")
    headings = _evidence_headings(report.build_report(result))
    # the report listed five sections and dropped the memory evidence
    assert headings == [s.replace("_", " ") for s in evidence.EVIDENCE_SECTIONS]


def test_a_section_added_to_the_list_reaches_the_checks_and_the_report(monkeypatch):
    from colonykit import report
    from colonykit.plan import check_plan, evidence

    result = plan.build_plan("data/examples/scenario.yaml")
    planted = plan.EvidenceItem(evaluated=False, note="planted for the test")
    object.__setattr__(result.plan.evidence, "queueing", planted)
    monkeypatch.setattr(evidence, "EVIDENCE_SECTIONS", (*evidence.EVIDENCE_SECTIONS, "queueing"))
    assert "queueing" in _evidence_headings(report.build_report(result))
    found = [f for f in check_plan(result.plan) if f.path == "evidence.queueing"]
    assert [f.code for f in found] == ["CK012"] and "planted for the test" in found[0].message
    assert any("queueing not evaluated: planted for the test" in r
               for r in report.executive_summary(result)["risks"])
