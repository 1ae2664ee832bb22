"""What the report says, as data: the title page facts and the one-page executive summary.

Each value is read from the plan result (:mod:`colonykit.plan.story` for the answer, the
path to it and the risks); the writers (:mod:`colonykit.report.html`, the workbook) only lay
them out.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from colonykit.plan import evidence as _evidence
from colonykit.plan import story
from colonykit.plan.summary import disk_volumes, headline
from colonykit.units import MIB_PER_GIB

if TYPE_CHECKING:
    from colonykit.plan import ColonyPlanResult


@dataclass(frozen=True)
class DocumentInfo:
    """What the title page says: who the plan is for, by whom, when, which revision.

    Read from the scenario's ``metadata`` section when it has one (``customer``, ``project``,
    ``author``, ``date``), each overridable (``colonykit report --customer …``); the revision
    is the plan's ``metadata.revision``.

    Parameters
    ----------
    customer : str, optional
        Who the plan is for.
    project : str, optional
        The project's name.
    author : str, optional
        Who wrote the plan.
    date : str, optional
        The document's date.
    revision : int, default 1
        The plan's ``metadata.revision``.
    """

    customer: str = ""
    project: str = ""
    author: str = ""
    date: str = ""
    revision: int = 1


def document_info(result: ColonyPlanResult, **overrides: Any) -> DocumentInfo:
    """The :class:`DocumentInfo` of a plan result (scenario metadata, then ``overrides``).

    Parameters
    ----------
    result : ColonyPlanResult
        The result of :func:`colonykit.plan.build_plan`.
    **overrides
        ``customer``, ``project``, ``author``, ``date`` or ``revision``, replacing the scenario's.

    Examples
    --------
    >>> from colonykit import plan
    >>> info = document_info(plan.build_plan("data/examples/scenario.yaml"), customer="XYZ")
    >>> info.customer, info.revision
    ('XYZ', 1)
    """
    meta = getattr(result.scenario, "metadata", None)
    found: dict[str, Any] = {}
    for name in ("customer", "project", "author", "date"):
        value = getattr(meta, name, None) if meta is not None else None
        if value not in (None, ""):
            found[name] = str(value)
    found.setdefault("project", str(result.plan.metadata.name))
    found.setdefault("date", _dt.datetime.now(_dt.UTC).date().isoformat())
    found["revision"] = int(result.plan.metadata.revision)
    found.update({k: v for k, v in overrides.items() if v not in (None, "")})
    return DocumentInfo(**found)


def _overcommit(result: ColonyPlanResult) -> list[dict[str, Any]]:
    """Per host: guest virtual and real memory [GiB], the overcommit ratio and its limit."""
    p = result.plan
    return [
        {
            "host": x.id,
            "virtual_gib": sum(g.memory_mib for g in x.guests) / MIB_PER_GIB,
            "real_gib": float(x.capacity.memory_gib),
            "ratio": p.evidence.memory.values.get(f"{x.id}.overcommit_ratio"),
            "limit": float(x.rules.max_memory_overcommit_ratio),
        }
        for x in p.hosts
    ]


def _risks_and_information(result: ColonyPlanResult) -> tuple[list[str], list[str]]:
    """The findings that are risks (errors, risks, warnings), and the appendix (information)."""
    ordered = story.ordered_findings(result)
    risks = [
        f"{i.code} ({'risk' if i.tier == 'risk' else i.tier}): {i.message}"
        for i in ordered
        if i.tier != "appendix"
    ]
    information = [f"{i.code}: {i.message}" for i in ordered if i.tier == "appendix"]
    for name, item in _evidence.sections(result.plan.evidence):
        if item.applicable and not item.evaluated:
            information.append(f"{name.replace('_', ' ')} not evaluated: {item.note or 'no data'}")
    return risks, information


def executive_summary(result: ColonyPlanResult) -> dict[str, Any]:
    """The answer on one page, each value read from the result.

    Keys: ``configuration`` (processor, hosts, engines per host, memory and paging per host,
    design), ``engines_peak`` and ``engines_composite`` (None until the plan sizes on the
    composite), ``white_space_pct``, ``servers`` / ``engines_total`` / ``consolidation_ratio``
    (servers per engine), ``overcommit`` (per host: ratio and limit), ``disk_saving_pct``,
    ``answer`` and ``waterfall`` (:mod:`colonykit.plan.story`: the plan's engine count with its
    range, and the path to it), ``risks`` (errors, risks that change the answer, warnings:
    :func:`colonykit.plan.story.main_risks`), ``information`` (the appendix: rules not chosen,
    what a target cannot carry, evidence not evaluated).

    Parameters
    ----------
    result : ColonyPlanResult
        The result of :func:`colonykit.plan.build_plan`.

    Examples
    --------
    >>> from colonykit import plan
    >>> s = executive_summary(plan.build_plan("data/examples/scenario.yaml"))
    >>> s["servers"], s["engines_total"], s["consolidation_ratio"]
    (26, 2, 13.0)
    """
    p = result.plan
    h = headline(result)
    sz = result.sizing
    sizing_values = p.evidence.sizing.values
    engines_peak = sizing_values.get("engines_peak")
    if engines_peak is None and sz is not None:
        engines_peak = h["engines"].get(h["bound"])
    engines_composite = sizing_values.get("engines_composite")
    composite = [
        (x.capacity.composite_peak_mips, x.capacity.mips_usable)
        for x in p.hosts
        if x.capacity.composite_peak_mips is not None and x.capacity.mips_usable is not None
    ]
    composite_peak_mips = sum(c for c, _u in composite) if composite else None
    mips_usable = sum(u for _c, u in composite) if composite else None
    servers = int(sz.servers["count"].sum()) if sz is not None else h["guests"]
    engines_total = int(sum(h["engines_per_host"]))
    ws = p.evidence.white_space
    risks, information = _risks_and_information(result)
    design_values = p.evidence.design.values
    return {
        "configuration": {
            "processor": h["processor"],
            "hosts": len(p.hosts),
            "engines_per_host": h["engines_per_host"],
            "cpu_type": p.hosts[0].capacity.cpu_type if p.hosts else "",
            "memory_gib_per_host": h["memory_gib_per_host"],
            "paging_gib_per_host": h["paging_gib_per_host"],
            "design": h["design"],
            "platform": h["platform"],
            "guests": h["guests"],
            "target_util_pct": h["target_util_pct"],
            "bound": h["bound"],
        },
        "engines_range": h["engines"],
        "engines_peak": engines_peak,
        "engines_composite": engines_composite,
        "composite_peak_mips": composite_peak_mips,
        "mips_usable": mips_usable,
        "white_space_pct": ws.values.get("white_space_pct") if ws.evaluated else None,
        "non_coincidence_saving_pct": ws.values.get(
            "non_coincidence_saving_pct", ws.values.get("white_space_pct")
        )
        if ws.evaluated
        else None,
        "white_space_servers": ws.values.get("servers") if ws.evaluated else None,
        "white_space_traced": (
            len(result.join.servers_matched)
            if result.join is not None
            else ws.values.get("servers")
        )
        if ws.evaluated
        else None,
        "white_space_note": ws.note,
        "servers": servers,
        "engines_total": engines_total,
        "consolidation_ratio": servers / engines_total if engines_total else float("nan"),
        "overcommit": _overcommit(result),
        "disk_total_gib": h["disk_total_gib"],
        "disk_saving_pct": h["disk_saving_vs_dedicated_pct"],
        "data_disk_gib": float(design_values.get("application_disk_gib") or 0.0),
        "disk_volumes": disk_volumes(p).text() if p.metadata.platform == "zvm" else "",
        "answer": story.answer(result),
        "waterfall": story.waterfall(result),
        "risks": risks,
        "confidence": p.evidence.confidence.note if p.evidence.confidence.evaluated else None,
        "information": information,
    }


__all__ = ["DocumentInfo", "document_info", "executive_summary", "headline"]
