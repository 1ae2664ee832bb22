"""Evidence of a plan: why it has the size it has (sizing, white space, memory, design, traces)."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from colonykit import channels, memory, sizing, staggering, whitespace
from colonykit.plan.document import Assumption, Evidence, EvidenceItem, Host, Scalar
from colonykit.plan.stages import StageCache
from colonykit.staggering import StaggerResult
from colonykit.units import MIB_PER_GIB

#: The evidence sections, in report order: every :class:`EvidenceItem` field of :class:`Evidence`.
#: The one list the checks (CK012) and the report read (issue 15 §4).
EVIDENCE_SECTIONS: tuple[str, ...] = tuple(
    name for name, f in Evidence.model_fields.items() if f.annotation is EvidenceItem
)


def sections(evidence: Evidence) -> list[tuple[str, EvidenceItem]]:
    """``(name, item)`` of every section in :data:`EVIDENCE_SECTIONS` (read when called).

    Parameters
    ----------
    evidence : Evidence
        The plan's evidence.

    Examples
    --------
    >>> from colonykit.plan import build_plan
    >>> [name for name, _item in sections(build_plan("data/examples/scenario.yaml").plan.evidence)]
    ['sizing', 'white_space', 'paging', 'channels', 'design', 'memory', 'memory_measured', 'confidence']
    """
    return [(name, getattr(evidence, name)) for name in EVIDENCE_SECTIONS]


def not_evaluated(note: str, method: str = "") -> EvidenceItem:
    """An evidence item that says it was not computed, and why.

    Parameters
    ----------
    note : str
        Why it was not computed.
    method : str, optional
        The method that would have computed it.
    """
    return EvidenceItem(evaluated=False, method=method, note=note)


def clean(v: Any) -> Scalar:
    """A value as a plan scalar: numpy scalars unwrapped, non-finite floats as None.

    Parameters
    ----------
    v : object
        A value computed by the library.
    """
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float) and not math.isfinite(v):
        return None
    if isinstance(v, bool | int | float | str) or v is None:
        return v
    return json.dumps(v, sort_keys=True, default=str)


def sizing_evidence(
    sizing_res: sizing.SizingResult, bound: str, extra: dict[str, Scalar] | None = None
) -> EvidenceItem:
    """The WLF sizing as evidence: MIPS and engines per bound, processor, target utilization.

    Parameters
    ----------
    sizing_res : SizingResult
        The inventory's sizing.
    bound : {'low', 'typical', 'high'}
        The bound the plan is sized at.
    extra : dict of str to scalar, optional
        More values for the item.
    """
    engines = sizing_res.engines
    return EvidenceItem(
        evaluated=True,
        method="workload factor (tpm/MIPS) sizing, seed 003 §2.4",
        source="colonykit.sizing.size_inventory",
        values={
            **{f"mips_{b}": float(sizing_res.total[f"mips_{b}"]) for b in sizing.BOUNDS},
            **{f"engines_{b}": int(engines[b]) for b in sizing.BOUNDS},
            "bound_used": bound,
            "processor": sizing_res.processor.model,
            "engine_mips_1way": float(sizing_res.processor.engine_mips_1way),
            "target_util_pct": float(sizing_res.options.target_util_pct),
            "basis": sizing_res.options.basis,
            **(extra or {}),
        },
    )


def sizing_assumptions(sizing_res: sizing.SizingResult) -> list[Assumption]:
    """Every constant the sizing used, as plan assumptions.

    Parameters
    ----------
    sizing_res : SizingResult
        The inventory's sizing.
    """
    return [
        Assumption(
            name=f"sizing.{a['name']}",
            value=clean(a["value"]),
            unit=str(a.get("unit", "")),
            source=str(a.get("source", "")),
        )
        for a in sizing_res.assumptions
    ]


def host_memory_of(
    virt_mib: list[int],
    real_mib: float,
    vdisk_mib: list[int],
    ratio: float,
    cache: StageCache | None = None,
) -> memory.MemoryResult:
    """:func:`colonykit.memory.host_memory` of one host's guests, kept by its inputs in ``cache``.

    Parameters
    ----------
    virt_mib : list of int
        The guests' virtual memory [MiB].
    real_mib : float
        The host's real storage [MiB].
    vdisk_mib : list of int
        The guests' VDISKs [MiB].
    ratio : float
        Target overcommit ratio.
    cache : StageCache, optional
        Where the result is kept.
    """

    def make() -> memory.MemoryResult:
        return memory.host_memory(
            virt_mib, real_mib, guest_vdisk_mib=vdisk_mib, target_overcommit_ratio=ratio
        )

    if cache is None:
        return make()
    key = (tuple(virt_mib), float(real_mib), tuple(vdisk_mib), float(ratio))
    return cache.get("host_memory", key, make)


def memory_evidence(
    hosts: list[Host], max_ratio: float, cache: StageCache | None = None
) -> EvidenceItem:
    """Overcommit per host: Σ guest virtual ÷ real storage.

    Parameters
    ----------
    hosts : list of Host
        The plan's hosts.
    max_ratio : float
        The overcommit limit (Σ virtual ÷ real).
    cache : StageCache, optional
        Keeps each host's storage planning by its inputs (:func:`host_memory_of`).
    """
    values: dict[str, Scalar] = {}
    for h in hosts:
        virt = sum(g.memory_mib for g in h.guests)
        values[f"{h.id}.guest_virtual_mib"] = int(virt)
        values[f"{h.id}.real_mib"] = clean(h.capacity.memory_gib * MIB_PER_GIB)
        values[f"{h.id}.overcommit_ratio"] = clean(
            float(memory.overcommit_ratio(virt, h.capacity.memory_gib * MIB_PER_GIB))
        )
        if h.guests and h.platform == "zvm":
            hm = host_memory_of(
                [g.memory_mib for g in h.guests],
                h.capacity.memory_gib * MIB_PER_GIB,
                [sum(s.size_mib or 0 for s in g.storage if s.kind == "vdisk") for g in h.guests],
                float(max_ratio),
                cache,
            )
            values[f"{h.id}.expected_resident_mib"] = clean(hm.resident_total_mib)
            values[f"{h.id}.real_for_target_mib"] = clean(hm.real_for_target_mib)
            values[f"{h.id}.zvm_kept_mib"] = clean(hm.zvm_kept_mib)
    values["max_memory_overcommit_ratio"] = float(max_ratio)
    return EvidenceItem(
        evaluated=True,
        method="overcommit = Σ guest virtual ÷ real storage (facts.md §5.2); "
        "expected resident storage and real storage for the target overcommit (Velocity: "
        "Σ virtual ÷ ratio + 2 GB)",
        source="colonykit.memory.overcommit_ratio, colonykit.memory.host_memory",
        values=values,
    )


@dataclass(frozen=True)
class ChannelEvidence:
    """The channel load and response curve of one host (the report's channel figure).

    Parameters
    ----------
    host : str
        The plan host id.
    load : colonykit.channels.ChannelResult
        :func:`colonykit.channels.channel_load` at the host's I/O rate and paths.
    curve : pandas.DataFrame
        :func:`colonykit.channels.response_curve` for 1, 2, 4 and the planned number of paths.
    """

    host: str
    load: channels.ChannelResult
    curve: pd.DataFrame


@dataclass(frozen=True)
class TraceExtras:
    """What :func:`trace_extras` adds beside a measured plan.

    Parameters
    ----------
    notes : list of str
        One sentence on the staggering (or why it was not evaluated).
    staggering : colonykit.staggering.StaggerResult or None
        The recurring spikes moved (None when none were found or not asked).
    """

    notes: list[str] = field(default_factory=list)
    staggering: StaggerResult | None = None


def channel_extras(hosts: list[Host]) -> ChannelEvidence | None:
    """The channel load and response curve of the first host with DASD I/O (the report's figure).

    A :class:`ChannelEvidence` from :func:`colonykit.channels.channel_load` and
    :func:`colonykit.channels.response_curve` (1, 2, 4 and the planned number of paths); None
    when no host has an ``io`` section.

    Parameters
    ----------
    hosts : list of Host
        The plan's hosts.
    """
    host = next((h for h in hosts if h.io is not None), None)
    if host is None or host.io is None:
        return None
    load = channels.channel_load(
        host.io.io_rate_per_s,
        host.io.connect_ms,
        paths=host.io.paths,
        max_busy_pct=host.rules.channel_max_busy_pct,
    )
    curve = channels.response_curve(host.io.connect_ms, paths=sorted({1, 2, 4, int(host.io.paths)}))
    return ChannelEvidence(host=host.id, load=load, curve=curve)


def design_evidence(
    design: Any, row: pd.Series, minidisk_volumes: int, volume_model: str
) -> EvidenceItem:
    """The chosen design's disk figures (from :func:`colonykit.designs.compare`).

    Parameters
    ----------
    design : Design
        The chosen design.
    row : pandas.Series
        Its row of :func:`colonykit.designs.compare`.
    minidisk_volumes : int
        Volumes the private minidisks need.
    volume_model : str
        3390 model of those volumes.
    """
    skipped = [c for c in design.components if not c.counted]
    return EvidenceItem(
        evaluated=True,
        method=f"design {design.name} ({design.seed})",
        source=design.source,
        note="; ".join(
            [
                f"component {c.id} ({c.mount}) has no size in {design.seed}: not in the plan"
                for c in skipped
            ]
        ),
        values={
            "shared_gib": clean(float(row["shared_gib"])),
            "per_guest_gib": clean(float(row["per_guest_gib"])),
            "total_gib": clean(float(row["total_gib"])),
            "saving_vs_dedicated_pct": clean(float(row["saving_vs_dedicated_pct"])),
            "minidisk_volumes": int(minidisk_volumes),
            "volume_model": volume_model,
            "vdisk_mib_per_guest": int(design.vdisk_mib_per_guest),
        },
    )


def design_assumptions(design: Any) -> list[Assumption]:
    """The design's parameters as plan assumptions.

    Parameters
    ----------
    design : Design
        The chosen design (:func:`colonykit.designs.get_design`).
    """
    return [
        Assumption(name=f"design.{p.name}", value=p.value, unit=p.unit, source=p.source)
        for p in design.parameters.values()
    ]


def trace_extras(
    demand: pd.DataFrame, ws: whitespace.WhiteSpaceResult | None, *, stagger: bool = True
) -> TraceExtras:
    """Staggering of the measured guests' MIPS series (evidence beside the plan).

    Recurring daily spikes inside 00:00-06:00 detected with
    :func:`colonykit.staggering.detect_spikes` (its documented defaults) and moved by
    :func:`colonykit.staggering.stagger`; needs a time index.

    Parameters
    ----------
    demand : pandas.DataFrame
        The measured guests' MIPS series (time × guest).
    ws : WhiteSpaceResult or None
        Their white-space analysis (for the unit in the note).
    stagger : bool, default True
        Detect and move the spikes (False: no staggering).
    """
    notes: list[str] = []
    if not stagger:
        return TraceExtras(notes)
    st = None
    try:
        windows = staggering.detect_spikes(demand, "1D", earliest="00:00", latest="06:00")
        if windows:
            st = staggering.stagger(demand, windows)
            notes.append(
                f"Staggering: {len(windows)} recurring spike(s) detected in 00:00-06:00 and "
                f"moved; composite peak {st.peak_before:,.1f} -> {st.peak_after:,.1f} "
                f"{ws.unit if ws is not None else 'MIPS'} ({st.method})."
            )
        else:
            notes.append(
                "Staggering: no recurring spikes detected in 00:00-06:00 (nothing to move)."
            )
    except (ValueError, KeyError) as exc:
        notes.append(f"Staggering not evaluated: {exc}")
    return TraceExtras(notes, st)


__all__ = [
    "EVIDENCE_SECTIONS",
    "sections",
    "not_evaluated",
    "clean",
    "sizing_evidence",
    "sizing_assumptions",
    "memory_evidence",
    "host_memory_of",
    "ChannelEvidence",
    "TraceExtras",
    "channel_extras",
    "design_evidence",
    "design_assumptions",
    "trace_extras",
]
