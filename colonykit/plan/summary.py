"""The plan's headline numbers, read from the plan result (shared by the report and the explorer)."""

from __future__ import annotations

from typing import Any

from colonykit.plan.document import plan_guest_count


def headline(result: Any) -> dict[str, Any]:
    """Headline numbers of a plan result, each read from a result field.

    Parameters
    ----------
    result : ColonyPlanResult
        The result of :func:`colonykit.plan.build_plan`.

    Examples
    --------
    >>> from colonykit.plan import build_plan
    >>> h = headline(build_plan("data/examples/scenario.yaml"))
    >>> h["engines_per_host"], h["engines"], h["guests"]
    ([2], {'low': 2, 'typical': 2, 'high': 4}, 26)
    """
    p = result.plan
    sz = result.sizing
    comp = result.comparison.loc[p.metadata.design]
    return {
        "processor": sz.processor.model if sz is not None else "",
        "target_util_pct": float(sz.options.target_util_pct) if sz is not None else float("nan"),
        "engines": dict(sz.engines) if sz is not None else {},
        "fits_machine": (
            {b: bool(sz.target.loc[b, "fits_machine"]) for b in sz.engines}
            if sz is not None
            else {}
        ),
        "max_engines": int(sz.processor.max_engines) if sz is not None else 0,
        "mips": dict(sz.total) if sz is not None else {},
        "bound": result.scenario.target.sizing_bound,
        "hosts": [h.id for h in p.hosts],
        "engines_per_host": [h.capacity.cpus for h in p.hosts],
        "guests_per_host": [len(h.guests) for h in p.hosts],
        "guests": plan_guest_count(p),
        "memory_gib_per_host": [h.capacity.memory_gib for h in p.hosts],
        "paging_gib_per_host": [h.capacity.paging_gib for h in p.hosts],
        "paging_volumes_per_host": [h.capacity.paging_volumes for h in p.hosts],
        "design": p.metadata.design,
        "platform": p.metadata.platform,
        "disk_total_gib": float(comp["total_gib"]),
        "disk_saving_vs_dedicated_pct": float(comp["saving_vs_dedicated_pct"]),
        "errors": sum(f.severity == "error" for f in p.findings),
        "warnings": sum(f.severity == "warning" for f in p.findings),
        # issue 23: the plan's confidence rating and its reasons (evidence.confidence)
        "confidence": p.evidence.confidence.values.get("rating")
        if p.evidence.confidence.evaluated
        else None,
        "confidence_note": p.evidence.confidence.note,
    }


__all__ = ["headline"]
