"""Plan assembly: a scenario → a sized, placed and checked :class:`ColonyPlan`.

:func:`build_plan` is the orchestrator; each step is a small function here or in
:mod:`colonykit.plan.layout` (design layout), :mod:`colonykit.plan.evidence` and
:mod:`colonykit.plan.checks`.
"""

from __future__ import annotations

import hashlib
import json
import math
import warnings
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from pydantic import ValidationError

from colonykit import (
    __version__,
    costs,
    designs,
    measured,
    paging,
    reference,
    sizing,
    storage,
    whitespace,
)
from colonykit import confidence as _confidence
from colonykit._arrays import to_float
from colonykit._inputs import refuse_special
from colonykit.errors import ColonykitWarning, InputError, must_be, raise_problems
from colonykit.measured import MeasuredSizing
from colonykit.packing import PackingResult
from colonykit.plan import business, layout, memory_plan, placement
from colonykit.plan import evidence as ev
from colonykit.plan._validation import validation_problems
from colonykit.plan.checks import (
    anti_affinity_findings,
    channel_busy,
    check_plan,
    plausibility_findings,
)
from colonykit.plan.document import (
    Assumption,
    Capacity,
    ColonyPlan,
    Evidence,
    EvidenceItem,
    Finding,
    Guest,
    Host,
    HostIO,
    Link,
    Metadata,
    NicRef,
    Profile,
    Rules,
    Scalar,
)
from colonykit.plan.evidence import ChannelEvidence
from colonykit.plan.placement import Placement
from colonykit.plan.scenario import Scenario, load_scenario
from colonykit.plan.stages import StageCache, frame_key
from colonykit.plan.summary import disk_volumes
from colonykit.sizing import SizingResult, XenHostSizing
from colonykit.staggering import StaggerResult
from colonykit.units import BYTES_PER_GIB, MIB_PER_GIB
from colonykit.whitespace import WhiteSpaceResult

if TYPE_CHECKING:
    from colonykit.ingest.join import TraceJoin

if TYPE_CHECKING:
    from colonykit.forecast import CapacityPlanResult


@dataclass(frozen=True)
class ColonyPlanResult:
    """Result of :func:`build_plan`.

    Attributes
    ----------
    plan : ColonyPlan
        The checked plan (``plan.findings`` holds the findings).
    design : colonykit.designs.Design
        The chosen design, sized.
    comparison : pandas.DataFrame
        :func:`colonykit.designs.compare` for this colony's guest count.
    sizing : colonykit.sizing.SizingResult or None
        The inventory's WLF sizing (None without an inventory).
    scenario : Scenario
        The scenario the plan was built from.
    channels : ChannelEvidence or None
        The channel load and response curve of the first host with DASD I/O
        (:func:`colonykit.plan.evidence.channel_extras`); None without an ``io`` section.
    whitespace : colonykit.whitespace.WhiteSpaceResult or None
        The white-space analysis of the measured guests (None without traces).
    demand : pandas.DataFrame or None
        The wide demand frame: time × guest MIPS (None without traces).
    staggering : colonykit.staggering.StaggerResult or None
        The recurring spikes moved (None without traces, without spikes or when not asked).
    packing : colonykit.packing.PackingResult or None
        The time-series packing of the measured guests (None without traces).
    trace_notes : tuple of str
        One sentence each on what the measured sizing, placement and staggering did.
    join : colonykit.ingest.join.TraceJoin or None
        The traces joined to the inventory (pass it back as ``build_plan(traces=...)``).
    measured : colonykit.measured.MeasuredSizing or None
        The composite (measured) sizing (None without traces).
    placement : colonykit.plan.placement.Placement or None
        Where each guest went and what each host got.
    business_case : colonykit.costs.CostResult or None
        The business case when the scenario has a ``costs:`` section (the plan as built;
        :func:`colonykit.plan.compare.business_case_of` adds a capacity plan over time).
    capacity_plan : CapacityPlanResult or None
        The plan over time (:func:`colonykit.forecast.project`) when the scenario has a
        ``growth:`` section; the document's ``capacity_plan`` section holds the same figures.
    """

    plan: ColonyPlan
    design: designs.Design
    comparison: pd.DataFrame
    sizing: SizingResult | None
    scenario: Scenario
    channels: ChannelEvidence | None = None
    whitespace: WhiteSpaceResult | None = None
    demand: pd.DataFrame | None = None
    staggering: StaggerResult | None = None
    packing: PackingResult | None = None
    trace_notes: tuple[str, ...] = ()
    join: TraceJoin | None = None
    measured: MeasuredSizing | None = None
    placement: Placement | None = None
    business_case: costs.CostResult | None = None
    capacity_plan: CapacityPlanResult | None = None

    @property
    def findings(self) -> list[Finding]:
        """The plan's findings."""
        return list(self.plan.findings)

    @property
    def has_errors(self) -> bool:
        """True when a finding has severity ``error``."""
        return any(f.severity == "error" for f in self.plan.findings)

    def findings_frame(self) -> pd.DataFrame:
        """Findings as a frame (code, severity, message, path)."""
        return pd.DataFrame(
            [f.model_dump() for f in self.plan.findings],
            columns=["code", "severity", "message", "path"],
        )

    def guests_frame(self) -> pd.DataFrame:
        """One row per guest: host, name, userid, vCPUs, memory, disks."""
        rows = []
        for h, g in self.plan.guests():
            rows.append(
                {
                    "host": h.id,
                    "guest": g.name,
                    "userid": g.zvm.userid if g.zvm else "",
                    "source_server": g.source_server,
                    "vcpus": g.vcpus,
                    "memory_mib": g.memory_mib,
                    "mips_sized": g.mips_sized,
                    "peak_mips": g.peak_mips,
                    "disks": ", ".join(f"{s.vdev}:{s.kind}" for s in g.storage),
                }
            )
        return pd.DataFrame(rows)

    def summary(self) -> str:
        """A few lines for the terminal."""
        p = self.plan
        n = sum(len(h.guests) for h in p.hosts)
        lines = [
            f"plan {p.metadata.name}: design {p.metadata.design} ({p.metadata.platform}), "
            f"{len(p.hosts)} host(s), {n} guests, {len(p.images)} shared image(s)"
        ]
        for h in p.hosts:
            virt = sum(g.memory_mib for g in h.guests)
            mips = ""
            if h.capacity.mips_usable is not None and h.capacity.composite_peak_mips is not None:
                mips = (
                    f", composite peak {h.capacity.composite_peak_mips:,.0f} of "
                    f"{h.capacity.mips_usable:,.0f} usable MIPS"
                )
            lines.append(
                f"  {h.id}: {h.capacity.cpus} {h.capacity.cpu_type}, "
                f"{h.capacity.memory_gib:g} GiB real, {virt / MIB_PER_GIB:.1f} GiB guest virtual, "
                f"paging {h.capacity.paging_gib:g} GiB on {h.capacity.paging_volumes} volume(s), "
                f"{len(h.guests)} guests{mips}"
            )
        if p.metadata.platform == "zvm":  # issue 20 item 6: volumes per model
            lines.append(f"  {disk_volumes(p).text()}")
        cap = self.capacity_plan
        if cap is not None:
            ex = cap.exhaustion
            lines.append(
                f"capacity plan ({cap.horizon_months} months, {cap.method} growth): "
                + (f"runs out {ex.date.isoformat()} (month {ex.month})" if ex else "holds")
                + f"; {len(cap.upgrades)} upgrade(s) (colonykit forecast for the schedule)"
            )
        if p.evidence.confidence.evaluated:
            lines.append(p.evidence.confidence.note)
        errs = sum(f.severity == "error" for f in p.findings)
        warns = len(p.findings) - errs
        lines.append(f"findings: {errs} error(s), {warns} warning(s)")
        lines.extend(f"  {f.severity.upper():7s} {f.code} {f.message}" for f in p.findings)
        return "\n".join(lines)


def inputs_sha256(scen: Scenario) -> str:
    """SHA-256 of the scenario (as validated) and the files it names.

    Parameters
    ----------
    scen : Scenario
        The scenario.
    """
    h = hashlib.sha256()
    h.update(json.dumps(scen.model_dump(mode="json"), sort_keys=True).encode())
    for rel in [
        scen.inventory,
        scen.traces.path if scen.traces else None,
        scen.design.file,
        scen.target.calibration,
        scen.target.study,
    ]:
        if rel:
            p = scen.resolve(rel)
            if p.is_file():
                h.update(p.read_bytes())
    return h.hexdigest()


def guest_rows(scen: Scenario, inv: pd.DataFrame, sizing_res: SizingResult) -> pd.DataFrame:
    """One row per guest (inventory rows expanded by ``count``), with memory, vCPUs and MIPS.

    Parameters
    ----------
    scen : Scenario
        The scenario.
    inv : pandas.DataFrame
        Its validated inventory.
    sizing_res : SizingResult
        The inventory's sizing.
    """
    problems: list[str] = []
    frac = scen.guests.memory_from_source_frac
    if frac is None:
        frac = reference.constant("plan_memory_from_source_frac")
    max_ratio = scen.guests.max_memory_ratio or reference.constant("plan_max_memory_ratio")
    share = scen.guests.share_relative or int(reference.constant("plan_share_relative"))
    servers = sizing_res.servers.set_index("server")
    bound = scen.target.sizing_bound
    engine = sizing_res.processor.engine_mips_1way
    for name in sorted(set(scen.guests.per_server) - set(inv["server"].astype(str))):
        problems.append(
            must_be(
                f"guests.per_server.{name}",
                f"a server of the inventory ({sorted(inv['server'].astype(str))})",
                name,
                scen.source,
            )
        )
    rep = inv.loc[inv.index.repeat(inv["count"].astype(int))].reset_index(drop=True)
    rep["k"] = rep.groupby("server").cumcount() + 1
    line = np.arange(2, len(inv) + 2).repeat(inv["count"].astype(int).to_numpy())  # header: line 1
    mem = np.ceil(rep["memory_mib"].to_numpy(dtype=float) * frac)
    mips = servers.loc[rep["server"], f"mips_{bound}"].to_numpy(dtype=float)
    vcpus = np.maximum(1, np.ceil(np.round(mips / engine, 9)))
    if "cores" in rep:
        cores = rep["cores"].to_numpy(dtype=float)
        vcpus = np.where(np.isfinite(cores), np.minimum(vcpus, np.maximum(cores, 1)), vcpus)
    out = pd.DataFrame(
        {
            "server": rep["server"].astype(str),
            "k": rep["k"],
            "line": line,
            "role": rep["role"].astype(str),
            "workload_class": rep["workload_class"].astype(str),
            "memory_mib": mem,
            "vcpus": vcpus,
            "mips": mips,
        }
    )
    out["io_rate_per_s"] = (
        rep["io_rate_per_s"].to_numpy(float) if "io_rate_per_s" in rep else np.nan
    )
    out["max_memory_mib"] = np.ceil(out["memory_mib"] * max_ratio)
    out["max_vcpus"] = out["vcpus"] + scen.guests.extra_vcpus
    out["share_relative"] = share
    _apply_overrides(out, scen, max_ratio)
    for server in sorted(set(out.loc[out["memory_mib"].isna(), "server"])):
        problems.append(
            must_be(
                f"memory_mib of server {server}",
                f"given in the inventory or in guests.per_server.{server}.memory_mib",
                None,
                scen.source,
            )
        )
    raise_problems(problems, f"invalid scenario {scen.source}")
    return out


def _guest_rows(
    scen: Scenario, inv: pd.DataFrame, sizing_res: SizingResult, cache: StageCache | None
) -> pd.DataFrame:
    """:func:`guest_rows`, with a cache kept by everything it reads (a copy: callers add columns)."""
    if cache is None:
        return guest_rows(scen, inv, sizing_res)
    bound = scen.target.sizing_bound
    servers = sizing_res.servers
    key = (
        scen.model_dump_json(include={"guests"}),
        scen.source,
        bound,
        frame_key(inv),
        tuple(servers["server"].astype(str)),
        servers[f"mips_{bound}"].to_numpy(dtype=float).tobytes(),
        float(sizing_res.processor.engine_mips_1way),
    )
    return cache.get("guest_rows", key, lambda: guest_rows(scen, inv, sizing_res)).copy()


def _apply_overrides(rows: pd.DataFrame, scen: Scenario, max_ratio: float) -> None:
    """``guests.per_server`` overrides, in place."""
    for name, ov in scen.guests.per_server.items():
        sel = rows["server"] == name
        for col in ("memory_mib", "max_memory_mib", "vcpus", "max_vcpus", "share_relative"):
            val = getattr(ov, col)
            if val is not None:
                rows.loc[sel, col] = val
        if ov.memory_mib is not None and ov.max_memory_mib is None:
            rows.loc[sel, "max_memory_mib"] = np.ceil(ov.memory_mib * max_ratio)
        if ov.vcpus is not None and ov.max_vcpus is None:
            rows.loc[sel, "max_vcpus"] = ov.vcpus + scen.guests.extra_vcpus


def build_plan(
    scenario: Scenario | str | Path,
    *,
    inventory: pd.DataFrame | None = None,
    traces: TraceJoin | None = None,
    stagger_traces: bool = True,
    cache: StageCache | None = None,
) -> ColonyPlanResult:
    """Assemble, size and check a colony plan.

    Parameters
    ----------
    scenario : Scenario or path
        A validated scenario (:func:`load_scenario`) or the path of its YAML.
    inventory : DataFrame, optional
        A canonical inventory frame instead of reading ``scenario.inventory``.
    traces : colonykit.ingest.join.TraceJoin, optional
        Traces already joined to the inventory (``join`` of an earlier plan result) instead
        of reading ``scenario.traces``; the composite is recomputed from them.
    stagger_traces : bool
        With traces, also detect and stagger recurring spikes (``staggering``).
        It depends on the traces only, so interactive callers compute it once and pass False.
    cache : colonykit.plan.stages.StageCache, optional
        Keep the results of the stages that do not depend on what changed between builds
        (each looked up by everything it reads): for callers that rebuild often (the explorer).
        The plans built with one cache share parts: do not change them in place.

    Returns
    -------
    ColonyPlanResult
        The plan; a plausibility warning raised while building it (a
        :class:`~colonykit.errors.ColonykitWarning`) is also a CK050 finding of the plan.

    Raises
    ------
    InputError
        Invalid scenario or inputs (unknown design, design/platform mismatch, …).

    Examples
    --------
    >>> r = build_plan("data/examples/scenario.yaml")
    >>> r.plan.hosts[0].guests[0].zvm.userid
    'LNX00001'
    """
    scen = load_scenario(scenario) if isinstance(scenario, str | Path) else scenario
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", ColonykitWarning)
            result = _build(scen, inventory, traces, stagger_traces, cache)
            if scen.growth is not None:  # the plan over time (issue 21)
                from colonykit import forecast

                cap = forecast.project(result)
                result = forecast.attach(result, cap)
                if business.costs_section(scen) is not None:  # it buys the upgrades (issue 22)
                    bcase = business.plan_business_case(
                        scen, _scenario_inventory(scen, cache), result.plan, cap
                    )
                    if bcase is not None:
                        doc = result.plan.model_copy(
                            update={"business_case": business.business_case_document(bcase)}
                        )
                        result = replace(result, plan=doc, business_case=bcase)
    except ValidationError as exc:  # a value that passed the scenario but not the plan schema
        where = scen.source or "scenario"
        raise_problems(
            validation_problems(exc, f"{where} (plan assembly)", ColonyPlan),
            f"invalid scenario {where}",
        )
        raise  # pragma: no cover - raise_problems always raises here
    for w in caught:  # passed on: the caller's filters decide, as without the plan
        warnings.warn_explicit(w.message, w.category, w.filename, w.lineno, source=w.source)
    noted = [str(w.message) for w in caught if issubclass(w.category, ColonykitWarning)]
    if noted:  # the plausibility warnings become plan findings (CK050)
        result.plan.findings = [*result.plan.findings, *plausibility_findings(noted)]
    return result


def _design(scen: Scenario) -> designs.Design:
    where = scen.source or "scenario"
    try:
        return designs.get_design(
            scen.design.name,
            scen.design.overrides,
            scen.resolve(scen.design.file) if scen.design.file else None,
        )
    except KeyError as exc:
        msg = f"{where}: 'design.name': {exc}"
        raise InputError(msg) from exc


def _inventory(scen: Scenario, inventory: pd.DataFrame | None) -> pd.DataFrame:
    if inventory is not None:
        return inventory
    if not scen.inventory:
        msg = f"{scen.source or 'scenario'}: 'inventory' must be given (a server inventory CSV/Excel file)"
        raise InputError(msg)
    from colonykit.ingest import read_inventory

    inv, _meta = read_inventory(scen.resolve(scen.inventory))
    return inv


def _scenario_inventory(scen: Scenario, cache: StageCache | None) -> pd.DataFrame:
    """The scenario's own inventory file, read (with a cache: once per file version)."""
    if cache is None or not scen.inventory:
        return _inventory(scen, None)
    path = scen.resolve(scen.inventory)
    try:
        st = path.stat()
    except OSError:
        return _inventory(scen, None)  # reports the missing file as before
    return cache.get(
        "inventory_file",
        (str(path), st.st_mtime_ns, st.st_size),
        lambda: _inventory(scen, None),
    )


def _calibrate(scen: Scenario, inv: pd.DataFrame) -> pd.DataFrame:
    """The inventory with the scenario's measured pairs and study applied (colonykit.calibration)."""
    if not scen.target.calibration and not scen.target.study:
        return inv
    from colonykit import calibration

    fits = (
        calibration.read_pairs(scen.resolve(scen.target.calibration))
        if scen.target.calibration
        else None
    )
    study = None
    if scen.target.study:
        engine = sizing.size_inventory(inv, scen.target.processor).processor.engine_mips_1way
        study = calibration.read_study(scen.resolve(scen.target.study), engine_mips=engine)
    return calibration.apply(inv, fits, study)


def _size(scen: Scenario, inv: pd.DataFrame, cache: StageCache | None = None) -> SizingResult:
    overrides: dict[str, Any] = {"basis": scen.target.basis, "smt": scen.target.smt}
    if scen.target.target_util_pct is not None:
        overrides["target_util_pct"] = scen.target.target_util_pct
    if cache is None:
        return sizing.size_inventory(inv, scen.target.processor, **overrides)
    inv_key = frame_key(inv)
    key = (str(scen.target.processor), tuple(sorted(overrides.items())), inv_key)
    canonical = "count" in inv and inv["count"].dtype == "int64" and inv.attrs.get("source")

    def make() -> SizingResult:
        if not canonical:  # validated on each sizing (its warnings once per sizing)
            return sizing.size_inventory(inv, scen.target.processor, **overrides)
        made: list[SizingResult] = []

        def first() -> SizingResult:
            made.append(sizing.size_inventory(inv, scen.target.processor, **overrides))
            return made[0]

        # the servers' MIPS read the inventory and the basis only: another target processor,
        # utilization or SMT runs only the engine search on them (sizing.resize)
        base = cache.get("size_servers", (inv_key, scen.target.basis), first)
        return made[0] if made else sizing.resize(base, inv, scen.target.processor, **overrides)

    return cache.get("size", key, make)


def _measure(
    scen: Scenario, inv: pd.DataFrame, sizing_res: SizingResult, traces: TraceJoin | None
) -> tuple[TraceJoin | None, MeasuredSizing | None]:
    """Join the inventory with its traces and size on the composite (None, None without traces)."""
    if scen.traces is None and traces is None:
        return None, None
    if traces is None:
        from colonykit.ingest.join import join_traces

        t = scen.traces
        assert t is not None
        refuse_special(scen.resolve(t.path), "traces")
        traces = join_traces(
            inv,
            scen.resolve(t.path),
            mapping=scen.resolve(t.mapping) if t.mapping else None,
            unit=t.unit,
            interval=t.interval,
            align=t.align,
            fold_statistic=t.fold_statistic,
            min_overlap_h=t.min_overlap_h,
            tz=t.tz,
            start=t.start,
            dayfirst=t.dayfirst,
            date_format=t.date_format,
        )
    meas = measured.measured_sizing(
        inv, sizing_res, traces, scen.target.composite_statistic, scen.target.sizing_bound
    )
    return traces, meas


def _white_space_evidence(meas: MeasuredSizing | None, ws: WhiteSpaceResult | None) -> EvidenceItem:
    if meas is None:
        return ev.not_evaluated("no traces in the scenario (inventory-only sizing)")
    b = "typical"
    return EvidenceItem(
        evaluated=True,
        method="composite vs individual peaks of the servers' own MIPS series, seed 003 §2.3",
        source="colonykit.measured.measured_sizing",
        note=" ".join(meas.notes),
        values={
            "sum_of_peaks_mips": ev.clean(meas.sum_of_peaks_mips[b]),
            "composite_peak_mips": ev.clean(meas.composite_peak_mips[b]),
            "composite_p95_mips": ev.clean(meas.composite_p95_mips[b]),
            "composite_mean_mips": ev.clean(meas.composite_mean_mips[b]),
            "non_coincidence_saving_pct": ev.clean(meas.non_coincidence_saving_pct),
            "white_space_pct": ev.clean(meas.white_space_pct),
            "white_space_definition": "100 x (1 - composite mean / composite peak): 1 - utilization "
            "of capacity sized at the composite peak (seed 003 §2.3)",
            "unit": "mips",
            "servers": len(meas.instances),
            "servers_matched": len(meas.servers_matched),
            "servers_unmatched": len(meas.servers_unmatched),
            "servers_unmatched_list": ", ".join(meas.servers_unmatched[:20]),
            "spikes_headroom_capacity_mips": ev.clean(float(ws.capacity_needed))
            if ws is not None and hasattr(ws, "capacity_needed")
            else None,
        },
    )


def _sizing_extra(meas: MeasuredSizing | None, placement: Placement) -> dict[str, Scalar]:
    if meas is None:
        return {"sizing_basis": "peaks", "placement": placement.method}
    out: dict[str, Scalar] = {
        "sizing_basis": "composite",
        "statistic": meas.statistic,
        "placement": placement.method,
    }
    for b in sizing.BOUNDS:
        out[f"engines_peak_{b}"] = int(meas.engines_peak[b])
        out[f"engines_composite_{b}"] = int(meas.engines_composite[b])
        out[f"sum_of_peaks_mips_{b}"] = ev.clean(meas.sum_of_peaks_mips[b])
        out[f"composite_peak_mips_{b}"] = ev.clean(meas.composite_peak_mips[b])
    out["engines_saved_typical"] = int(
        meas.engines_peak["typical"] - meas.engines_composite["typical"]
    )
    b = meas.instances.attrs.get("bound", "typical")
    out["engines_peak"] = int(meas.engines_peak[b])  # at the plan's bound (report, CLI)
    out["engines_composite"] = int(meas.engines_composite[b])
    out["sum_of_peaks_mips"] = ev.clean(meas.sum_of_peaks_mips[b])
    out["composite_peak_mips"] = ev.clean(meas.composite_peak_mips[b])
    out["engines_lpars"] = int(sum(placement.cpus))
    return out


def _limits(scen: Scenario) -> tuple[float, float, list[Assumption]]:
    """Overcommit limit and channel busy target, with their assumptions."""
    consts = reference.constants()
    max_ratio = scen.rules.max_memory_overcommit_ratio or reference.constant(
        "max_memory_overcommit_ratio"
    )
    busy_max = scen.rules.channel_max_busy_pct or reference.constant("channel_max_busy_pct")
    out = [
        Assumption(
            name="max_memory_overcommit_ratio",
            value=float(max_ratio),
            unit="ratio",
            source="input"
            if scen.rules.max_memory_overcommit_ratio
            else str(consts.loc["max_memory_overcommit_ratio", "source"]),
        ),
        Assumption(
            name="channel_max_busy_pct",
            value=float(busy_max),
            unit="pct",
            source="input"
            if scen.rules.channel_max_busy_pct
            else str(consts.loc["channel_max_busy_pct", "source"]),
        ),
    ]
    for cname in ("plan_memory_from_source_frac", "plan_max_memory_ratio", "plan_share_relative"):
        out.append(
            Assumption(
                name=cname,
                value=to_float(consts.loc[cname, "value"]),
                unit=str(consts.loc[cname, "unit"]),
                source=str(consts.loc[cname, "source"]),
            )
        )
    return float(max_ratio), float(busy_max), out


def _application_disk(scen: Scenario, design: designs.Design, inv: pd.DataFrame) -> pd.DataFrame:
    """Each guest's application disk from the inventory's ``disk_gib`` (issue 10 item 2)."""
    return storage.application_disk(
        inv.loc[inv.index.repeat(inv["count"].astype(int)), "disk_gib"].fillna(0.0).to_numpy(float),
        design.platform,
        scen.storage.volume_model,
        rule=scen.storage.data_volumes,
        max_volumes_per_disk=scen.storage.max_volumes_per_disk,
        lun_gib=scen.storage.lun_gib,
    )


def _guests(
    scen: Scenario,
    design: designs.Design,
    rows: pd.DataFrame,
    app: pd.DataFrame,
    cache: StageCache | None = None,
) -> tuple[list[Guest], Any, Any, Any]:
    """Every guest of the colony, in inventory order; also the network and minidisk layout.

    ``app`` is :func:`_application_disk`: each guest's data minidisks or data image.  The
    guests' names, disks, directory entries and NICs (:func:`_guest_parts`) do not depend on
    the sizing: with a ``cache`` they are kept by what they read (the key, returned last;
    None without a cache).
    """
    server = rows["server"].astype(str).tolist()
    ks = rows["k"].astype(int).tolist()
    lines = rows["line"].astype(int).tolist() if "line" in rows else list(range(2, len(rows) + 2))
    image_mib = app["image_mib"].to_numpy(np.int64)
    data_cyl = list(app["minidisks"])
    data_model = list(app["volume_model"]) if design.platform == "zvm" else None

    def make() -> tuple[list[str], list[tuple[Any, ...]], Any, Any]:
        return _guest_parts(scen, design, server, ks, lines, image_mib, data_cyl, data_model)

    key: Any = None
    if cache is None:
        names, parts, layouts, md = make()
    else:
        key = (
            repr(design),
            scen.model_dump_json(include={"guests", "network", "storage", "inventory"}),
            scen.source,
            tuple(server),
            tuple(ks),
            tuple(lines),
            image_mib.tobytes(),
            tuple(tuple(int(c) for c in d) for d in data_cyl),
            tuple(tuple(str(m) for m in d) for d in data_model) if data_model else None,
        )
        names, parts, layouts, md = cache.get("guest_parts", key, make)
    if cache is None:
        return _guest_list(names, parts, rows), layouts, md, key
    # the guests themselves read their parts and their rows only: kept by both (a move that
    # changes neither, e.g. the host count or the target utilization, reuses them)
    cols = [c for c in _GUEST_COLUMNS if c in rows]
    rows_key = (
        tuple(cols),
        tuple(map(str, rows[cols].dtypes)),
        pd.util.hash_pandas_object(rows[cols], index=False).to_numpy().tobytes(),
    )
    guests = cache.get("guests", (key, rows_key), lambda: _guest_list(names, parts, rows))
    return guests, layouts, md, key


#: The columns of a guest row a plan's Guest reads (:func:`_guest_list`).
_GUEST_COLUMNS = (
    "server",
    "workload_class",
    "vcpus",
    "max_vcpus",
    "memory_mib",
    "max_memory_mib",
    "share_relative",
    "mips",
    "peak_mips",
    "memory_provisioned_mib",
    "working_set_mib",
)


def _guest_list(names: list[str], parts: list[tuple[Any, ...]], rows: pd.DataFrame) -> list[Guest]:
    """Every guest of the colony from its name, parts (disks, entry, NIC) and guest row."""
    guests: list[Guest] = []
    r: Any  # one row of mixed columns (a namedtuple)
    for gi, r in enumerate(rows.itertuples(index=False)):
        stor, zvm, xen, nic = parts[gi]
        peak = getattr(r, "peak_mips", None)
        guests.append(
            Guest(
                name=names[gi],
                source_server=r.server,
                vcpus=int(r.vcpus),
                max_vcpus=int(r.max_vcpus),
                memory_mib=int(r.memory_mib),
                max_memory_mib=int(r.max_memory_mib),
                share_relative=int(r.share_relative),
                mips_sized=float(round(r.mips, 6)),
                peak_mips=None
                if peak is None or not math.isfinite(peak)
                else float(round(peak, 6)),
                memory_provisioned_mib=_opt_int(getattr(r, "memory_provisioned_mib", None)),
                memory_working_set_mib=_opt_float(getattr(r, "working_set_mib", None)),
                zvm=zvm,
                xen=xen,
                storage=stor,
                network=[nic],
                tags={"role": r.server, "workload_class": r.workload_class},
            )
        )
    return guests


def _guest_parts(
    scen: Scenario,
    design: designs.Design,
    server: list[str],
    ks: list[int],
    lines: list[int],
    image_mib: np.ndarray,
    data_cyl: list[Any],
    data_model: list[Any] | None = None,
) -> tuple[list[str], list[tuple[Any, ...]], Any, Any]:
    """Each guest's name and (disks, z/VM entry, Xen domU, NIC); the network and disk layouts."""
    where = scen.source or "scenario"
    n_guests = len(server)
    net = layout.network_plan(scen, n_guests, design.platform)
    images, image_of = layout.shared_images(design, scen)
    md = layout.minidisk_layout(design, scen, n_guests, data_cyl=data_cyl, data_model=data_model)
    width = 8 - len(scen.guests.userid_prefix)
    if design.platform == "zvm" and n_guests > 10**width - 1:
        raise InputError(
            must_be(
                "guests.userid_prefix",
                f"at most {7 - len(str(n_guests))} characters "
                f"for {n_guests} guests (userids have 8 characters)",
                scen.guests.userid_prefix,
                where,
            )
        )
    names = layout.guest_names(
        server, ks, lines, Path(scen.inventory).name if scen.inventory else "inventory"
    )
    parts: list[tuple[Any, ...]] = []
    every = layout.colony_storage(design, scen, names, image_of, md, image_mib)
    for stor, (zvm, xen, nic) in zip(
        every, layout.colony_platform(design, scen, every, net, width), strict=True
    ):
        parts.append((stor, zvm, xen, nic))
    return names, parts, (net, images, image_of), md


def _opt_int(v: Any) -> int | None:
    return None if v is None or not math.isfinite(float(v)) else int(v)


def _opt_float(v: Any) -> float | None:
    return None if v is None or not math.isfinite(float(v)) else float(round(float(v), 3))


def _paging(scen: Scenario, gs: list[Guest], mem_gib: float) -> tuple[float, int, float, int, str]:
    """Paging space [GiB] and volumes of one z/VM LPAR: planned, volumes, rule's figure, VDISK, rule."""
    vdisk = sum(s.size_mib or 0 for g in gs for s in g.storage if s.kind == "vdisk")
    pres = paging.paging_space(
        [g.memory_mib for g in gs] or [0],
        mem_gib * MIB_PER_GIB,
        vdisk_mib=vdisk,
        rule=scen.rules.paging_rule,
    )
    rule_gib = float(pres.paging_gib)
    paging_gib = (
        float(scen.target.paging_gib_per_host)
        if scen.target.paging_gib_per_host is not None
        else float(math.ceil(rule_gib))
    )
    vols = 0
    if paging_gib > 0:
        pages_per_vol = storage.page_slots_per_volume(scen.target.paging_volume_model)
        vol_gib = pages_per_vol * storage.page_bytes() / BYTES_PER_GIB
        vols = math.ceil(round(paging_gib / vol_gib, 9))
    return paging_gib, vols, rule_gib, int(vdisk), str(pres.rule)


@dataclass
class _HostEvidence:
    paging: dict[str, Scalar] = field(default_factory=dict)
    paging_rule: str = ""
    channels: dict[str, Scalar] = field(default_factory=dict)
    io_split: str = ""


def _host(
    scen: Scenario,
    design: designs.Design,
    hi: int,
    gs: list[Guest],
    n_guests: int,
    capacity: dict[str, Any],
    limits: tuple[float, float],
    image_of: dict[str, str],
    network_id: str,
    notes: _HostEvidence,
    real_gib: float | None = None,
    io_rates: dict[str, float] | None = None,
    cache: StageCache | None = None,
) -> Host:
    """One LPAR/host with its guests: real storage, paging, I/O, the directory profile."""
    platform = design.platform
    max_ratio, busy_max = limits
    virt_mib = sum(g.memory_mib for g in gs)
    dom0_mib = (
        reference.constant("xen_dom0_mib") if platform == "xen" else 0.0
    )  # dom0 memory counts
    mem_gib = (
        scen.target.memory_gib_per_host
        or real_gib
        or max(1.0, math.ceil((virt_mib + dom0_mib) / MIB_PER_GIB))
    )
    hid = f"lpar{hi + 1}" if platform == "zvm" else f"xen{hi + 1}"
    rules = Rules(
        max_memory_overcommit_ratio=max_ratio,
        paging_rule=scen.rules.paging_rule,
        channel_max_busy_pct=busy_max,
        vdisk_syslim_blocks=scen.target.vdisk_syslim_blocks if platform == "zvm" else None,
        tdisk_space_cyl=scen.target.tdisk_space_cyl if platform == "zvm" else None,
        zvm_level=scen.target.zvm_level if platform == "zvm" else None,
        smt=bool(scen.target.smt) if platform == "zvm" else False,
    )
    io = None
    if scen.io is not None:
        share_frac, notes.io_split = io_share(gs, n_guests, io_rates)
        io = HostIO(
            io_rate_per_s=float(scen.io.io_rate_per_s * share_frac),
            connect_ms=scen.io.connect_ms,
            paths=scen.io.paths_per_host,
        )
        busy = channel_busy(io, busy_max)
        notes.channels.update({f"{hid}.{k}": ev.clean(v) for k, v in busy.items()})
        notes.channels[f"{hid}.io_rate_per_s"] = ev.clean(io.io_rate_per_s)
    paging_gib, paging_vols = 0.0, 0
    profiles: list[Profile] = []
    if platform == "zvm":
        paging_gib, paging_vols, rule_gib, vdisk, notes.paging_rule = _paging(scen, gs, mem_gib)
        notes.paging[f"{hid}.rule_paging_gib"] = ev.clean(rule_gib)
        virt = [g.memory_mib for g in gs] or [0]

        def rules_table() -> pd.DataFrame:
            return paging.compare_rules(virt, mem_gib * MIB_PER_GIB, vdisk_mib=vdisk)

        other = (
            rules_table()
            if cache is None
            else cache.get(
                "paging_rules", (tuple(virt), float(mem_gib * MIB_PER_GIB), vdisk), rules_table
            )
        )["paging_gib"]
        notes.paging[f"{hid}.other_rules_gib"] = "; ".join(  # information only (issue 23)
            f"{r} {v:,.1f}" for r, v in other.items() if r != notes.paging_rule
        )
        notes.paging[f"{hid}.vdisk_mib"] = vdisk
        shared = [c for c in design.components if c.shared and c.counted]
        profiles.append(
            Profile(
                name=scen.guests.profile,
                links=[Link(image=image_of[c.id], vdev=c.vdev.upper(), mode="RR") for c in shared],
                nics=[NicRef(network=network_id, vdev=scen.network.nic_vdev)],
            )
        )
    return Host(
        id=hid,
        platform=platform,
        capacity=Capacity(
            cpu_type="IFL" if platform == "zvm" else "core",
            memory_gib=float(mem_gib),
            paging_gib=float(paging_gib),
            paging_volumes=int(paging_vols),
            paging_volume_model=scen.target.paging_volume_model,
            **capacity,
        ),
        rules=rules,
        io=io,
        profiles=profiles,
        guests=gs,
    )


def _build(
    scen: Scenario,
    inventory: pd.DataFrame | None,
    traces: TraceJoin | None,
    stagger_traces: bool = True,
    cache: StageCache | None = None,
) -> ColonyPlanResult:
    design = _design(scen)
    inv = _calibrate(scen, _inventory(scen, inventory))
    sizing_res = _size(scen, inv, cache)
    bound = scen.target.sizing_bound
    assumptions = ev.sizing_assumptions(sizing_res)
    join, meas = _measure(scen, inv, sizing_res, traces)
    rows = _guest_rows(scen, inv, sizing_res, cache)
    max_ratio, busy_max, lim_assumptions = _limits(scen)
    assumptions += lim_assumptions
    # Xen hosts are sized in x86 cores from the inventory's own capacity, not in z IFLs
    xen = sizing.size_xen_hosts(inv, basis=scen.target.basis) if design.platform == "xen" else None
    if meas is not None:
        rows["peak_mips"] = meas.instances["peak_mips"].to_numpy(float)
    mem_meas, mem_why = (
        memory_plan.measure_memory(scen, inv) if xen is None else (None, "Xen: not applicable")
    )
    if mem_meas is not None:
        memory_plan.right_size_rows(scen, rows, mem_meas)
    io_measured = _measured_io(scen, inv, rows)
    if meas is not None and xen is None:
        place = placement.place_measured(
            scen,
            rows,
            sizing_res,
            meas,
            max_ratio,
            memory_series=mem_meas.working_set_series if mem_meas is not None else None,
        )
    else:
        place = placement.place_balanced(
            scen,
            rows,
            sizing_res,
            engines=xen.cores_needed if xen is not None else None,
            max_ratio=max_ratio,
            size_lpar=None if xen is not None else _lpar_sizer(scen, inv, rows, cache, sizing_res),
        )
    assumptions.append(_cpus_assumption(scen, sizing_res, place, meas, xen))
    if meas is not None and xen is None:
        assumptions.append(
            Assumption(
                name="max_engines_per_host",
                value=placement.max_engines_per_host(scen, sizing_res),
                unit="engines",
                source="input"
                if scen.target.max_engines_per_host
                else str(reference.constants().loc["measured_max_engines_per_host", "source"]),
            )
        )

    app = _application_disk(scen, design, inv)
    guests, (net, images, image_of), md, parts_key = _guests(scen, design, rows, app, cache)
    notes = _HostEvidence()
    members: list[list[Guest]] = [[] for _ in range(place.hosts)]
    for g, p in zip(guests, place.host_of, strict=True):  # grouped once, in guest order
        members[int(p)].append(g)
    lpar_mem = (
        memory_plan.lpar_memory(
            mem_meas,
            rows,
            place.host_of,
            max_ratio,
            scen.traces.memory_statistic if scen.traces else "peak",
        )
        if mem_meas is not None
        else []
    )
    hosts = [
        _host(
            scen,
            design,
            hi,
            members[hi],
            len(guests),
            {
                "cpus": place.cpus[hi],
                "mips_usable": place.mips_usable[hi],
                "composite_peak_mips": place.composite_peak_mips[hi],
                "composite_p95_mips": place.composite_p95_mips[hi],
            },
            (max_ratio, busy_max),
            image_of,
            net.network.id,
            notes,
            lpar_mem[hi].real_mib / MIB_PER_GIB if lpar_mem else None,
            _io_rates(guests, rows),
            cache,
        )
        for hi in range(place.hosts)
    ]
    if io_measured and notes.io_split.startswith("by the servers' own"):
        notes.io_split = io_measured
    comparison = designs.compare(
        max(len(guests), 1),
        overrides={design.name: dict(scen.design.overrides)},
        path=scen.resolve(scen.design.file) if scen.design.file else None,
    )
    assumptions += ev.design_assumptions(design)
    headroom = scen.traces.headroom_pct if scen.traces is not None else None  # None: the constant
    ws = whitespace.analyze(meas.guest_mips, headroom_pct=headroom) if meas is not None else None
    plan_doc = ColonyPlan(
        metadata=Metadata(
            name=scen.name,
            generated_by=f"colonykit {__version__}",
            design=design.name,
            platform=design.platform,
            volume_model=scen.storage.volume_model,
            scenario=scen.source,
            inputs_sha256=inputs_sha256(scen),
        ),
        images=images,
        networks=[net.network],
        hosts=hosts,
        evidence=Evidence(
            sizing=ev.sizing_evidence(
                sizing_res,
                bound,
                {**_sizing_extra(meas, place), "machine": str(scen.target.processor)},
            ),
            white_space=_white_space_evidence(meas, ws),
            paging=_paging_evidence(design, notes),
            channels=_channel_evidence(scen, notes),
            design=_design_evidence(
                design, app, comparison, len(md.volsers), scen.storage.volume_model
            ),
            memory=ev.memory_evidence(hosts, max_ratio, cache),
            memory_measured=memory_plan.memory_measured_evidence(
                mem_meas,
                mem_why,
                lpar_mem,
                [h.id for h in hosts],
                rows if mem_meas is not None else None,
                scen.traces is not None,
            ),
            assumptions=assumptions,
            confidence=_confidence_evidence(scen, inv, sizing_res, join, meas, mem_meas),
        ),
    )
    # the layout checks read the guests' parts, which host holds each guest, their vCPUs and
    # shares (what a target cannot carry) and the hosts: kept by these with a cache
    layout_key = (
        None
        if parts_key is None
        else (
            (  # what the guests are
                parts_key,
                rows["vcpus"].to_numpy(np.int64).tobytes(),
                rows["share_relative"].to_numpy(np.int64).tobytes(),
            ),
            # where they are
            (place.hosts, np.asarray(place.host_of, np.int64).tobytes()),
        )
    )
    plan_doc.findings = sorted(
        check_plan(plan_doc, cache=cache, layout_key=layout_key)
        + anti_affinity_findings(plan_doc, [(p[0], p[1]) for p in scen.guests.anti_affinity]),
        key=lambda f: (f.code, f.path, f.message),
    )
    # with a growth section build_plan costs the plan with its upgrades (the forecast); the
    # plan as built is not costed first only to be replaced
    bcase = None if scen.growth is not None else business.plan_business_case(scen, inv, plan_doc)
    if bcase is not None:
        plan_doc.business_case = business.business_case_document(bcase)
    trace_notes = list(place.notes)
    stagger = None
    if meas is not None:
        more = ev.trace_extras(meas.guest_mips, ws, stagger=stagger_traces)
        trace_notes = list(meas.notes) + trace_notes + more.notes
        stagger = more.staggering
    return ColonyPlanResult(
        plan=plan_doc,
        design=design,
        comparison=comparison,
        sizing=sizing_res,
        scenario=scen,
        channels=ev.channel_extras(hosts),
        whitespace=ws,
        demand=meas.guest_mips if meas is not None else None,
        staggering=stagger,
        packing=place.packing if meas is not None else None,
        trace_notes=tuple(trace_notes),
        join=join,
        measured=meas,
        placement=place,
        business_case=bcase,
    )


def plan_confidence(
    scen: Scenario, inv: pd.DataFrame, sizing_res: Any, join: Any, meas: Any, mem_meas: Any
) -> _confidence.Confidence:
    """The plan's confidence rating from what it was built on (:mod:`colonykit.confidence`).

    Parameters
    ----------
    scen : Scenario
        The scenario.
    inv : pandas.DataFrame
        Its validated inventory.
    sizing_res : SizingResult
        The inventory's sizing.
    join : TraceJoin or None
        The CPU traces joined to the inventory.
    meas : MeasuredSizing or None
        The measured colony.
    mem_meas : MeasuredMemory or None
        The measured memory.
    """
    canonical, _alias = reference.resolve_processor(scen.target.processor)
    catalog = str(reference.processors().loc[canonical, "confidence"])
    span_h = filled = matched = None
    if join is not None:
        interval = float(join.frame.attrs.get("interval_s") or 0.0)
        span_h = len(join.frame) * interval / 3600.0
        spans = getattr(join, "spans", None)
        filled = float(spans["filled_frac"].max()) if spans is not None and len(spans) else 0.0
        matched = (
            len(getattr(join, "servers_matched", [])) if meas is None else len(meas.servers_matched)
        )
    engines = dict(meas.engines_composite) if meas is not None else dict(sizing_res.engines)
    calibrated = (
        inv["conversion"].astype(str).str.startswith(("measured pairs", "study")).to_numpy()
        if "conversion" in inv
        else np.zeros(len(inv), bool)
    )
    return _confidence.rate(
        servers_total=int(inv["server"].nunique()),
        servers_matched=matched,
        filled_frac_max=filled,
        capture_span_h=span_h,
        conversion=sizing.low_confidence_units(
            inv.loc[~calibrated, "capacity_unit"].astype(str).tolist()
        ),
        calibrated_servers=int(calibrated.sum()),
        catalog_confidence=catalog,
        memory_measured=mem_meas is not None,
        engines_range={k: int(v) for k, v in engines.items()},
    )


def _confidence_evidence(
    scen: Scenario, inv: pd.DataFrame, sizing_res: Any, join: Any, meas: Any, mem_meas: Any
) -> EvidenceItem:
    conf = plan_confidence(scen, inv, sizing_res, join, meas, mem_meas)
    values = {k: ev.clean(v) for k, v in _confidence.to_plan_values(conf).items()}
    from colonykit import calibration

    values["conversion_servers"] = "; ".join(
        f"{k}: {v}" for k, v in calibration.conversion_summary(inv).items()
    )
    low = sizing.low_confidence_units(inv["capacity_unit"].astype(str).tolist())
    values["conversion_units"] = "; ".join(
        f"{u} ({'low' if u in low else 'not low'})"
        for u in sorted(set(inv["capacity_unit"].astype(str)))
    )
    if "conversion" in inv:
        values["conversion_by_server"] = "; ".join(
            f"{s}: {c}" for s, c in zip(inv["server"].astype(str), inv["conversion"], strict=True)
        )[:4000]
    return EvidenceItem(
        evaluated=True,
        method="lowest level of the reasons (traces matched, filled share, capture span, CPU "
        "conversion, catalog row, memory measured, engine spread)",
        source="colonykit.confidence.rate; thresholds in constants_confidence.csv (colonykit policy)",
        note=conf.summary(),
        values=values,
    )


def _lpar_sizer(
    scen: Scenario,
    inv: pd.DataFrame,
    rows: pd.DataFrame,
    cache: StageCache | None = None,
    sizing_res: SizingResult | None = None,
) -> Any:
    """``size(host_of, h)``: engines of LPAR h = the sizing of its own share of the inventory.

    With ``sizing_res`` (the sizing of ``inv`` itself, which :func:`colonykit.sizing.size_inventory`
    took as it is: a canonical inventory) only the engine search runs for each share
    (:func:`colonykit.sizing.engines_for_counts`: a server's MIPS do not depend on the other
    rows); otherwise each share is sized in full.
    """
    bound = scen.target.sizing_bound
    servers = rows["server"].astype(str).to_numpy()
    by_server = inv.drop_duplicates("server").set_index(
        inv.drop_duplicates("server")["server"].astype(str)
    )
    canonical = (
        sizing_res is not None
        and "count" in inv
        and inv["count"].dtype == "int64"
        and inv.attrs.get("source") is not None
        and len(sizing_res.servers) == len(inv)
    )
    first: dict[str, int] = {}
    for i, name in enumerate(inv["server"].astype(str)):
        first.setdefault(name, i)  # the row drop_duplicates keeps

    def size(host_of: np.ndarray, h: int) -> int:
        counts = pd.Series(servers[host_of == h]).value_counts()
        if counts.empty:
            return 1
        if canonical and sizing_res is not None:
            pos = [first[str(s)] for s in counts.index]
            return sizing.engines_for_counts(sizing_res, pos, counts.to_numpy())[bound]
        sub = by_server.loc[counts.index].reset_index(drop=True)
        sub["count"] = counts.to_numpy()
        return int(_size(scen, sub, cache).engines[bound])

    return size


def _cpus_assumption(
    scen: Scenario,
    sizing_res: SizingResult,
    place: Placement,
    meas: MeasuredSizing | None,
    xen: XenHostSizing | None,
) -> Assumption:
    bound = scen.target.sizing_bound
    if scen.target.cpus_per_host:
        source = "input"
    elif xen is not None:
        source = (
            f"colonykit.sizing.size_xen_hosts: {xen.cores_needed} x86 cores ({xen.host_model}; "
            f"{'; '.join(xen.assumptions)}) ÷ {place.hosts} host(s)"
        )
    elif meas is not None:
        source = (
            "fewest engines whose usable MIPS hold the LPAR's composite peak (colonykit.measured)"
        )
    else:
        source = (
            f"sizing of each LPAR's own guests at its own n ({bound}): "
            f"{' + '.join(str(c) for c in place.cpus)} engines (the colony as one: "
            f"{sizing_res.engines[bound]})"
        )
    return Assumption(
        name="cpus_per_host",
        value=int(max(place.cpus)),
        unit="x86 cores" if xen is not None else "engines",
        source=source,
    )


def _design_evidence(
    design: designs.Design,
    app: pd.DataFrame,
    comparison: pd.DataFrame,
    minidisk_volumes: int,
    volume_model: str,
) -> EvidenceItem:
    """The design's disk figures plus the inventory's application disk (``disk_gib``)."""
    item = ev.design_evidence(
        design, reference.row_of(comparison, design.name), minidisk_volumes, volume_model
    )
    item.values.update(
        {
            "application_disk_gib": ev.clean(float(app["disk_gib"].sum())),
            "application_data_cyl": int(app["data_cyl"].sum()),
            "application_image_mib": int(app["image_mib"].sum()),
            "total_with_application_gib": ev.clean(
                to_float(comparison.loc[design.name, "total_gib"])
                + float(app["capacity_gib"].sum())
            ),
        }
    )
    return item


def _paging_evidence(design: designs.Design, notes: _HostEvidence) -> EvidenceItem:
    if design.platform == "xen":
        return EvidenceItem(
            evaluated=False,
            applicable=False,
            note="not applicable: Xen hosts have no z/VM paging space",
        )
    return EvidenceItem(
        evaluated=True,
        method=f"paging rule {notes.paging_rule}",
        source="colonykit.paging.paging_space",
        values=notes.paging,
    )


def _measured_io(scen: Scenario, inv: pd.DataFrame, rows: pd.DataFrame) -> str:
    """Each guest's mean measured disk I/O rate into ``rows["io_rate_per_s"]`` (in place).

    Only with an ``io`` section, traces, and no ``io_rate_per_s`` in the inventory; returns how
    the split was made ('' when the traces carry no I/O series).
    """
    t = scen.traces
    have = "io_rate_per_s" in rows and np.isfinite(rows["io_rate_per_s"].to_numpy(float)).any()
    if scen.io is None or t is None or have:
        return ""
    from colonykit.ingest.join import join_traces

    try:
        join = join_traces(
            inv,
            scen.resolve(t.path),
            mapping=scen.resolve(t.mapping) if t.mapping else None,
            interval=t.interval,
            align=t.align,
            fold_statistic=t.fold_statistic,
            min_overlap_h=t.min_overlap_h,
            tz=t.tz,
            start=t.start,
            metric="io",
        )
    except InputError:
        return ""
    mean = join.frame.mean(axis=0)
    series = join.assignment["series"].astype(str)
    rows["io_rate_per_s"] = mean.reindex(series).fillna(0.0).to_numpy(float)
    return "by the servers' measured disk I/O rates (mean of each trace's I/O series)"


def _io_rates(guests: list[Guest], rows: pd.DataFrame) -> dict[str, float] | None:
    """Guest name -> its server's I/O rate (the inventory's io_rate_per_s), or None without one."""
    rates = rows["io_rate_per_s"].to_numpy(float) if "io_rate_per_s" in rows else None
    if rates is None or not np.isfinite(rates).any():
        return None
    return {
        g.name: float(r) if math.isfinite(r) else 0.0 for g, r in zip(guests, rates, strict=True)
    }


def io_share(
    gs: list[Guest], n_guests: int, io_rates: dict[str, float] | None
) -> tuple[float, str]:
    """An LPAR's share of the colony's I/O rate, and how it was split.

    By the guests' own I/O rates (inventory ``io_rate_per_s``) when given; otherwise by guest
    count, and the plan says so.

    Parameters
    ----------
    gs : list of Guest
        The LPAR's guests.
    n_guests : int
        Guests of the colony.
    io_rates : dict of str to float or None
        Every guest's I/O rate by name (None: not given).

    Examples
    --------
    >>> io_share([], 10, None)
    (0.0, 'by guest count (no per-server io_rate_per_s in the inventory)')
    """
    if io_rates:
        total = sum(io_rates.values())
        if total > 0:
            return (
                sum(io_rates.get(g.name, 0.0) for g in gs) / total,
                "by the servers' own I/O rates (inventory io_rate_per_s)",
            )
    return (
        len(gs) / n_guests if n_guests else 0.0,
        "by guest count (no per-server io_rate_per_s in the inventory)",
    )


def _channel_evidence(scen: Scenario, notes: _HostEvidence) -> EvidenceItem:
    if scen.io is None:
        return ev.not_evaluated("no 'io' section in the scenario (I/O rate and connect time)")
    notes.channels["io_split"] = notes.io_split
    return EvidenceItem(
        evaluated=True,
        method="channel busy = connect time × I/O rate (seed 003 §8.10.3); the busiest path "
        "= mean per path × channel_busiest_path_ratio (seed 003 Example 8-6)",
        source="colonykit.channels.channel_load",
        values=notes.channels,
    )


__all__ = [
    "ColonyPlanResult",
    "inputs_sha256",
    "guest_rows",
    "build_plan",
]
