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

    assert evidence.EVIDENCE_SECTIONS == (
        "sizing",
        "white_space",
        "paging",
        "channels",
        "design",
        "memory",
        "memory_measured",
        "confidence",
    )
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
    assert any(
        "queueing not evaluated: planted for the test" in r
        for r in report.executive_summary(result)["information"]  # not a risk: the appendix
    )


# --------------------------------------------------------------------------- one to_dict
def test_every_result_class_shares_one_to_dict():
    import ast
    from pathlib import Path

    from colonykit import (
        channels,
        mdc,
        measured,
        memory,
        packing,
        paging,
        sizing,
        staggering,
        storage,
    )
    from colonykit._dicts import DictMixin
    from colonykit.ingest import join

    pkg = Path(__file__).resolve().parents[1] / "colonykit"
    own = [
        f"{p.relative_to(pkg)}:{n.lineno}"
        for p in sorted(pkg.rglob("*.py"))
        if p.name != "_dicts.py"
        for n in ast.walk(ast.parse(p.read_text()))
        if isinstance(n, ast.FunctionDef) and n.name == "to_dict"
    ]
    assert own == [], (
        f"a result class writes its own to_dict (use colonykit._dicts.DictMixin): {own}"
    )
    classes = [
        storage.StorageTotals,
        mdc.MdcResult,
        sizing.SizingResult,
        sizing.XenHostSizing,
        packing.PackingResult,
        staggering.StaggerResult,
        join.TraceJoin,
        channels.ChannelResult,
        paging.PagingResult,
        memory.MemoryResult,
        whitespace.WhiteSpaceResult,
        measured.MeasuredSizing,
    ]
    assert all(c.to_dict is DictMixin.to_dict for c in classes)


def test_the_shared_to_dict_keeps_field_names_and_plain_values():
    import json

    import numpy as np

    from colonykit import channels, paging

    r = paging.paging_space([512] * 10, real_mib=2048)
    d = r.to_dict()
    assert list(d) == [
        f.name for f in __import__("dataclasses").fields(r)
    ]  # every field, units in the names
    c = channels.channel_load(54, 14, paths=2).to_dict()
    assert list(c)[:6] == [
        "busy_pct",
        "per_path_busy_pct",
        "paths_needed",
        "response_ms",
        "wait_ms",
        "saturated",
    ]
    assert c["busy_pct"] == 54 * 14 / 10  # 54 I/O/s × 14 ms connect = 75.6 % of one path
    assert not any(isinstance(v, np.generic) for v in {**d, **c}.values())
    json.dumps(d), json.dumps(c)


# --------------------------------------------------------------------------- one demand validation
def test_the_same_bad_demand_gets_the_same_message_everywhere():
    import numpy as np
    import pandas as pd
    import pytest

    from colonykit import packing, staggering
    from colonykit.errors import InputError

    for bad, text in (
        (np.nan, "'demand' must be a finite number (got nan) at demand server 'b' step 2"),
        (-4.0, "'demand' must be >= 0 (got -4.0) at demand server 'b' step 2"),
    ):
        f = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [1.0, 2.0, 3.0]})
        f.iloc[2, 1] = bad
        messages = []
        for run, args in (
            (whitespace.analyze, (f,)),
            (packing.pack, (f, 10.0)),
            (staggering.stagger, (f, [])),
        ):
            with pytest.raises(InputError) as info:
                run(*args)
            messages.append(info.value.problems)
        assert messages[0] == messages[1] == messages[2]  # was two texts for the same NaN
        assert messages[0][0].startswith(text)
