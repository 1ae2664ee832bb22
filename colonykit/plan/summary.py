"""The plan's headline numbers, read from the plan result (shared by the report and the explorer)."""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from colonykit import storage
from colonykit._dicts import DictMixin
from colonykit.plan.document import ColonyPlan, plan_guest_count
from colonykit.units import MIB_PER_GIB

#: Role of application-disk (data) minidisks in the plan (colonykit.plan.layout.DATA_ROLE).
_DATA_ROLE = "appdata"


@dataclass(frozen=True)
class DiskVolumes(DictMixin):
    """Data disks and paging of a plan with the volumes they need, per volume model.

    Attributes
    ----------
    data_gib : float
        Application-disk (data) minidisks of every guest [GiB allocated].
    data_minidisks : int
        How many data minidisks.
    data_minidisks_by_model : dict of str to int
        Data minidisks per volume model (``3390-9`` … ``3390-A``, ``EDEV``).
    volumes_by_model : dict of str to int
        Volumes holding the guests' private minidisks (design and data) per model.
    paging_gib : float
        Paging space of all hosts [GiB].
    paging_volumes_by_model : dict of str to int
        Paging volumes of all hosts per model.
    """

    data_gib: float
    data_minidisks: int
    data_minidisks_by_model: dict[str, int] = field(default_factory=dict)
    volumes_by_model: dict[str, int] = field(default_factory=dict)
    paging_gib: float = 0.0
    paging_volumes_by_model: dict[str, int] = field(default_factory=dict)

    def text(self) -> str:
        """One line: data disks and paging with the volume count per model."""
        data = " + ".join(f"{n:,} × {m}" for m, n in self.volumes_by_model.items()) or "none"
        paging = " + ".join(f"{n:,} × {m}" for m, n in self.paging_volumes_by_model.items())
        return (
            f"data disks {self.data_gib:,.0f} GiB in {self.data_minidisks:,} minidisk(s); "
            f"guest minidisk volumes {data}; paging {self.paging_gib:,.0f} GiB"
            + (f" on {paging}" if paging else "")
        )


def disk_volumes(plan: ColonyPlan) -> DiskVolumes:
    """Data disks and paging of a plan, with the volumes per model (issue 20 item 6).

    Parameters
    ----------
    plan : ColonyPlan
        The plan document.

    Examples
    --------
    >>> from colonykit.plan import build_plan
    >>> d = disk_volumes(build_plan("data/examples/scenario.yaml").plan)
    >>> d.data_minidisks_by_model, d.paging_volumes_by_model
    ({'3390-9': 184}, {'3390-9': 12})
    >>> d.text()
    'data disks 1,152 GiB in 184 minidisk(s); guest minidisk volumes 169 × 3390-9; paging 77 GiB on 12 × 3390-9'
    """
    base = plan.metadata.volume_model
    data_mib = 0
    by_model: Counter[str] = Counter()
    vol_model: dict[str, str] = {}
    for _h, g in plan.guests():
        for s in g.storage:
            if s.kind != "mdisk" or s.volser is None:
                continue
            model = s.volume_model or base
            vol_model.setdefault(s.volser, model)
            if s.role == _DATA_ROLE:
                by_model[model] += 1
                data_mib += int(s.size_mib or 0)
    paging: Counter[str] = Counter()
    for h in plan.hosts:
        if h.capacity.paging_volumes:
            paging[h.capacity.paging_volume_model] += h.capacity.paging_volumes
    return DiskVolumes(
        data_gib=data_mib / MIB_PER_GIB,
        data_minidisks=sum(by_model.values()),
        data_minidisks_by_model=_by_size(by_model),
        volumes_by_model=_by_size(Counter(vol_model.values())),
        paging_gib=float(sum(h.capacity.paging_gib for h in plan.hosts)),
        paging_volumes_by_model=_by_size(paging),
    )


def _by_size(counts: Counter[str]) -> dict[str, int]:
    """Counts per model, smallest model first (3390 by cylinders, then EDEV)."""

    def size(model: str) -> float:
        return float("inf") if model == "EDEV" else float(storage.geometry(model).cylinders)

    return {m: counts[m] for m in sorted(counts, key=lambda m: (size(m), m))}


#: While :func:`reusing_headlines` is active: id of a result -> (the result, its headline).
_HEADLINES: ContextVar[dict[int, tuple[Any, dict[str, Any]]] | None] = ContextVar(
    "colonykit_headlines", default=None
)


@contextmanager
def reusing_headlines() -> Iterator[None]:
    """Within the block, :func:`headline` is computed once per plan result (then reused).

    The explorer reads the headline of one result many times per update (its tiles, the
    answer, the waterfall, the ordered findings): at 1,000 guests each read walks every guest's
    disks (:func:`disk_volumes`, ~20 ms).  Inside the block the results must not be changed in
    place (a result is a frozen dataclass; its plan document is shared, not edited); each
    headline returned is a copy, so a caller may change it.  Nested blocks share the outer one.

    Examples
    --------
    >>> from colonykit.plan import build_plan
    >>> r = build_plan("data/examples/scenario.yaml")
    >>> with reusing_headlines():
    ...     a = headline(r)
    ...     a["guests"] = -1  # a copy: the kept headline is not changed
    ...     headline(r)["guests"] == headline(r)["guests"] == 26
    True
    """
    if _HEADLINES.get() is not None:
        yield
        return
    token = _HEADLINES.set({})
    try:
        yield
    finally:
        _HEADLINES.reset(token)


def headline(result: Any) -> dict[str, Any]:
    """Headline numbers of a plan result, each read from a result field.

    Inside :func:`reusing_headlines` computed once per result (a deep copy is returned).

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
    memo = _HEADLINES.get()
    if memo is None:
        return _headline(result)
    kept = memo.get(id(result))
    if kept is None or kept[0] is not result:  # the result is kept too: its id is not reused
        kept = (result, _headline(result))
        memo[id(result)] = kept
    return copy.deepcopy(kept[1])


def _headline(result: Any) -> dict[str, Any]:
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
        # issue 20 item 6: data disks and paging with the volumes per model
        "disk_volumes": disk_volumes(p).to_dict(),
    }


__all__ = ["DiskVolumes", "disk_volumes", "headline", "reusing_headlines"]
