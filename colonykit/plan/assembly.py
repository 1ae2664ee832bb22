"""Plan assembly: a scenario → a sized, placed and checked :class:`ColonyPlan`.

:func:`build_plan` is the orchestrator; each step is a small function here or in
:mod:`colonykit.plan.layout` (design layout), :mod:`colonykit.plan.evidence` and
:mod:`colonykit.plan.checks`.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pydantic import ValidationError

from colonykit import __version__, designs, paging, reference, sizing, storage, whitespace
from colonykit.errors import InputError, must_be, raise_problems
from colonykit.plan import evidence as ev
from colonykit.plan import layout
from colonykit.plan._validation import validation_problems
from colonykit.plan.checks import channel_busy, check_plan
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
from colonykit.plan.scenario import Scenario, load_scenario
from colonykit.units import BYTES_PER_GIB, MIB_PER_GIB


@dataclass(frozen=True)
class ColonyPlanResult:
    """Result of :func:`build_plan`.

    Attributes
    ----------
    plan : ColonyPlan
        The checked plan (``plan.findings`` holds the findings).
    design : colonykit.designs.Design
    comparison : pandas.DataFrame
        :func:`colonykit.designs.compare` for this colony's guest count.
    sizing : object or None
        The :class:`colonykit.sizing.SizingResult` (None without an inventory).
    scenario : Scenario
    extras : dict
        With traces: ``"whitespace"`` (:class:`colonykit.whitespace.WhiteSpaceResult`),
        ``"demand"`` (the wide demand frame), ``"staggering"`` and ``"packing"`` results when
        they could be evaluated, and ``"trace_notes"`` (one sentence each).
    """

    plan: ColonyPlan
    design: designs.Design
    comparison: pd.DataFrame
    sizing: Any
    scenario: Scenario
    extras: dict[str, Any] = field(default_factory=dict)

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
        return pd.DataFrame([f.model_dump() for f in self.plan.findings],
                            columns=["code", "severity", "message", "path"])

    def guests_frame(self) -> pd.DataFrame:
        """One row per guest: host, name, userid, vCPUs, memory, disks."""
        rows = []
        for h, g in self.plan.guests():
            rows.append({"host": h.id, "guest": g.name, "userid": g.zvm.userid if g.zvm else "",
                         "source_server": g.source_server, "vcpus": g.vcpus, "memory_mib": g.memory_mib,
                         "mips_sized": g.mips_sized, "peak_mips": g.peak_mips,
                         "disks": ", ".join(f"{s.vdev}:{s.kind}" for s in g.storage)})
        return pd.DataFrame(rows)

    def summary(self) -> str:
        """A few lines for the terminal."""
        p = self.plan
        n = sum(len(h.guests) for h in p.hosts)
        lines = [f"plan {p.metadata.name}: design {p.metadata.design} ({p.metadata.platform}), "
                 f"{len(p.hosts)} host(s), {n} guests, {len(p.images)} shared image(s)"]
        for h in p.hosts:
            virt = sum(g.memory_mib for g in h.guests)
            mips = ""
            if h.capacity.mips_usable is not None and h.capacity.composite_peak_mips is not None:
                mips = (f", composite peak {h.capacity.composite_peak_mips:,.0f} of "
                        f"{h.capacity.mips_usable:,.0f} usable MIPS")
            lines.append(f"  {h.id}: {h.capacity.cpus} {h.capacity.cpu_type}, "
                         f"{h.capacity.memory_gib:g} GiB real, {virt / MIB_PER_GIB:.1f} GiB guest virtual, "
                         f"paging {h.capacity.paging_gib:g} GiB on {h.capacity.paging_volumes} volume(s), "
                         f"{len(h.guests)} guests{mips}")
        errs = sum(f.severity == "error" for f in p.findings)
        warns = len(p.findings) - errs
        lines.append(f"findings: {errs} error(s), {warns} warning(s)")
        lines.extend(f"  {f.severity.upper():7s} {f.code} {f.message}" for f in p.findings)
        return "\n".join(lines)


def inputs_sha256(scen: Scenario) -> str:
    """SHA-256 of the scenario (as validated) and the files it names."""
    h = hashlib.sha256()
    h.update(json.dumps(scen.model_dump(mode="json"), sort_keys=True).encode())
    for rel in [scen.inventory, scen.traces.path if scen.traces else None, scen.design.file]:
        if rel:
            p = scen.resolve(rel)
            if p.is_file():
                h.update(p.read_bytes())
    return h.hexdigest()


def guest_rows(scen: Scenario, inv: pd.DataFrame, sizing_res: Any) -> pd.DataFrame:
    """One row per guest (inventory rows expanded by ``count``), with memory, vCPUs and MIPS."""
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
        problems.append(must_be(f"guests.per_server.{name}", f"a server of the inventory "
                                f"({sorted(inv['server'].astype(str))})", name, scen.source))
    rep = inv.loc[inv.index.repeat(inv["count"].astype(int))].reset_index(drop=True)
    rep["k"] = rep.groupby("server").cumcount() + 1
    mem = np.ceil(rep["memory_mib"].to_numpy(dtype=float) * frac)
    mips = servers.loc[rep["server"], f"mips_{bound}"].to_numpy(dtype=float)
    vcpus = np.maximum(1, np.ceil(np.round(mips / engine, 9)))
    if "cores" in rep:
        cores = rep["cores"].to_numpy(dtype=float)
        vcpus = np.where(np.isfinite(cores), np.minimum(vcpus, np.maximum(cores, 1)), vcpus)
    out = pd.DataFrame({
        "server": rep["server"].astype(str), "k": rep["k"], "role": rep["role"].astype(str),
        "workload_class": rep["workload_class"].astype(str), "memory_mib": mem, "vcpus": vcpus,
        "mips": mips,
    })
    out["max_memory_mib"] = np.ceil(out["memory_mib"] * max_ratio)
    out["max_vcpus"] = out["vcpus"] + scen.guests.extra_vcpus
    out["share_relative"] = share
    _apply_overrides(out, scen, max_ratio)
    for server in sorted(set(out.loc[out["memory_mib"].isna(), "server"])):
        problems.append(must_be(f"memory_mib of server {server}", "given in the inventory or in "
                                f"guests.per_server.{server}.memory_mib", None, scen.source))
    raise_problems(problems, f"invalid scenario {scen.source}")
    return out


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


def balance_place(mips: np.ndarray, memory: np.ndarray, hosts: int) -> np.ndarray:
    """Greedy placement without traces: largest first onto the least-loaded host (MIPS, then memory)."""
    order = np.lexsort((-memory, -mips))
    load = np.zeros((hosts, 2))
    where = np.empty(len(mips), dtype=np.int64)
    for i in order:  # one step per guest, vector argmin over hosts
        h = int(np.lexsort((load[:, 1], load[:, 0]))[0])
        where[i] = h
        load[h] += (mips[i], memory[i])
    return where


def build_plan(scenario: Scenario | str | Path, *, inventory: pd.DataFrame | None = None,
               demand: pd.DataFrame | None = None, stagger_traces: bool = True) -> ColonyPlanResult:
    """Assemble, size and check a colony plan.

    Parameters
    ----------
    scenario : Scenario or path
        A validated scenario (:func:`load_scenario`) or the path of its YAML.
    inventory : DataFrame, optional
        A canonical inventory frame instead of reading ``scenario.inventory``.
    demand : DataFrame, optional
        A wide demand frame instead of reading ``scenario.traces``.
    stagger_traces : bool
        With traces, also detect and stagger recurring spikes (``extras["staggering"]``).
        It depends on the traces only, so interactive callers compute it once and pass False.

    Returns
    -------
    ColonyPlanResult

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
        return _build(scen, inventory, demand, stagger_traces)
    except ValidationError as exc:  # a value that passed the scenario but not the plan schema
        where = scen.source or "scenario"
        raise_problems(validation_problems(exc, f"{where} (plan assembly)", ColonyPlan),
                       f"invalid scenario {where}")
        raise  # pragma: no cover - raise_problems always raises here


def _design(scen: Scenario) -> designs.Design:
    where = scen.source or "scenario"
    try:
        return designs.get_design(scen.design.name, scen.design.overrides,
                                  scen.resolve(scen.design.file) if scen.design.file else None)
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


def _size(scen: Scenario, inv: pd.DataFrame) -> Any:
    overrides: dict[str, Any] = {"basis": scen.target.basis, "smt": scen.target.smt}
    if scen.target.target_util_pct is not None:
        overrides["target_util_pct"] = scen.target.target_util_pct
    return sizing.size_inventory(inv, scen.target.processor, **overrides)


def _white_space(scen: Scenario, demand: pd.DataFrame | None) -> tuple[Any, pd.DataFrame | None, EvidenceItem]:
    if scen.traces is None and demand is None:
        return None, None, ev.not_evaluated("no traces in the scenario (inventory-only sizing)")
    if demand is None:
        from colonykit.ingest import read_traces

        assert scen.traces is not None
        demand, _m = read_traces(scen.resolve(scen.traces.path), unit=scen.traces.unit)
    kw = {}
    if scen.traces is not None and scen.traces.headroom_pct is not None:
        kw["headroom_pct"] = scen.traces.headroom_pct
    ws = whitespace.analyze(demand, **kw)
    item = EvidenceItem(
        evaluated=True, method="composite vs individual peaks, seed 003 §2.3",
        source="colonykit.whitespace.analyze",
        note="evidence only: guests are sized from the inventory (WLF); the traces show "
             "how much of the sum of peaks the composite never uses",
        values={"white_space_pct": ev.clean(float(ws.white_space_pct)),
                "sum_of_peaks": ev.clean(float(ws.sum_of_peaks)),
                "composite_peak": ev.clean(float(ws.composite_peak)),
                "composite_mean": ev.clean(float(ws.composite_mean)),
                "unit": str(ws.unit), "servers": int(demand.shape[1])})
    return ws, demand, item


def _limits(scen: Scenario) -> tuple[float, float, list[Assumption]]:
    """Overcommit limit and channel busy target, with their assumptions."""
    consts = reference.constants()
    max_ratio = scen.rules.max_memory_overcommit_ratio or reference.constant("overcommit_limit_ratio")
    busy_max = scen.rules.channel_max_busy_pct or reference.constant("channel_max_busy_pct")
    out = [
        Assumption(name="max_memory_overcommit_ratio", value=float(max_ratio), unit="ratio",
                   source="input" if scen.rules.max_memory_overcommit_ratio else
                   str(consts.loc["overcommit_limit_ratio", "source"])),
        Assumption(name="channel_max_busy_pct", value=float(busy_max), unit="pct",
                   source="input" if scen.rules.channel_max_busy_pct else
                   str(consts.loc["channel_max_busy_pct", "source"])),
    ]
    for cname in ("plan_memory_from_source_frac", "plan_max_memory_ratio", "plan_share_relative"):
        out.append(Assumption(name=cname, value=float(consts.loc[cname, "value"]),
                              unit=str(consts.loc[cname, "unit"]), source=str(consts.loc[cname, "source"])))
    return float(max_ratio), float(busy_max), out


def _guests(scen: Scenario, design: designs.Design, rows: pd.DataFrame) -> tuple[list[Guest], Any, Any]:
    """Every guest of the colony, in inventory order; also the network and minidisk layout."""
    where = scen.source or "scenario"
    n_guests = len(rows)
    net = layout.network_plan(scen, n_guests, design.platform)
    images, image_of = layout.shared_images(design, scen)
    md = layout.minidisk_layout(design, scen, n_guests)
    width = 8 - len(scen.guests.userid_prefix)
    if design.platform == "zvm" and n_guests > 10**width - 1:
        raise InputError(must_be("guests.userid_prefix", f"at most {7 - len(str(n_guests))} characters "
                                 f"for {n_guests} guests (userids have 8 characters)",
                                 scen.guests.userid_prefix, where))
    guests: list[Guest] = []
    for gi, r in enumerate(rows.itertuples(index=False)):
        name = layout.guest_name(r.server, r.k)
        stor = layout.guest_storage(design, scen, gi, name, image_of, md)
        zvm, xen, nic = layout.guest_platform(design, scen, gi, stor, net, width)
        peak = getattr(r, "peak_mips", None)
        guests.append(Guest(
            name=name, source_server=r.server, vcpus=int(r.vcpus), max_vcpus=int(r.max_vcpus),
            memory_mib=int(r.memory_mib), max_memory_mib=int(r.max_memory_mib),
            share_relative=int(r.share_relative), mips_sized=float(round(r.mips, 6)),
            peak_mips=None if peak is None or not math.isfinite(peak) else float(round(peak, 6)),
            zvm=zvm, xen=xen, storage=stor, network=[nic],
            tags={"role": r.server, "workload_class": r.workload_class}))
    return guests, (net, images, image_of), md


def _paging(scen: Scenario, gs: list[Guest], mem_gib: float) -> tuple[float, int, float, int, str]:
    """Paging space [GiB] and volumes of one z/VM LPAR: planned, volumes, rule's figure, VDISK, rule."""
    vdisk = sum(s.size_mib or 0 for g in gs for s in g.storage if s.kind == "vdisk")
    pres = paging.paging_space([g.memory_mib for g in gs] or [0], mem_gib * MIB_PER_GIB,
                               vdisk_mib=vdisk, rule=scen.rules.paging_rule)
    rule_gib = float(pres.paging_gib)
    paging_gib = float(scen.target.paging_gib_per_host) \
        if scen.target.paging_gib_per_host is not None else float(math.ceil(rule_gib))
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


def _host(scen: Scenario, design: designs.Design, hi: int, gs: list[Guest], n_guests: int,
          capacity: dict[str, Any], limits: tuple[float, float], image_of: dict[str, str],
          network_id: str, notes: _HostEvidence) -> Host:
    """One LPAR/host with its guests: real storage, paging, I/O, the directory profile."""
    platform = design.platform
    max_ratio, busy_max = limits
    virt_mib = sum(g.memory_mib for g in gs)
    mem_gib = scen.target.memory_gib_per_host or max(1.0, math.ceil(virt_mib / MIB_PER_GIB))
    hid = f"lpar{hi + 1}" if platform == "zvm" else f"xen{hi + 1}"
    rules = Rules(max_memory_overcommit_ratio=max_ratio, paging_rule=scen.rules.paging_rule,
                  channel_max_busy_pct=busy_max)
    io = None
    if scen.io is not None:
        share_frac = len(gs) / n_guests if n_guests else 0.0
        io = HostIO(io_rate_per_s=float(scen.io.io_rate_per_s * share_frac),
                    connect_ms=scen.io.connect_ms, paths=scen.io.paths_per_host)
        busy = channel_busy(io, busy_max)
        notes.channels.update({f"{hid}.{k}": ev.clean(v) for k, v in busy.items()})
        notes.channels[f"{hid}.io_rate_per_s"] = ev.clean(io.io_rate_per_s)
    paging_gib, paging_vols = 0.0, 0
    profiles: list[Profile] = []
    if platform == "zvm":
        paging_gib, paging_vols, rule_gib, vdisk, notes.paging_rule = _paging(scen, gs, mem_gib)
        notes.paging[f"{hid}.rule_paging_gib"] = ev.clean(rule_gib)
        notes.paging[f"{hid}.vdisk_mib"] = vdisk
        shared = [c for c in design.components if c.shared and c.counted]
        profiles.append(Profile(
            name=scen.guests.profile,
            links=[Link(image=image_of[c.id], vdev=c.vdev.upper(), mode="RR") for c in shared],
            nics=[NicRef(network=network_id, vdev=scen.network.nic_vdev)]))
    return Host(
        id=hid, platform=platform,
        capacity=Capacity(cpu_type="IFL" if platform == "zvm" else "core", memory_gib=float(mem_gib),
                          paging_gib=float(paging_gib), paging_volumes=int(paging_vols),
                          paging_volume_model=scen.target.paging_volume_model, **capacity),
        rules=rules, io=io, profiles=profiles, guests=gs)


def _build(scen: Scenario, inventory: pd.DataFrame | None,
           demand: pd.DataFrame | None, stagger_traces: bool = True) -> ColonyPlanResult:
    design = _design(scen)
    platform = design.platform
    inv = _inventory(scen, inventory)
    sizing_res = _size(scen, inv)
    bound = scen.target.sizing_bound
    engines = sizing_res.engines
    assumptions = ev.sizing_assumptions(sizing_res)
    ws, demand, ws_ev = _white_space(scen, demand)

    rows = guest_rows(scen, inv, sizing_res)
    n_hosts = scen.target.hosts
    n_guests = len(rows)
    place = balance_place(rows["mips"].to_numpy(float), rows["memory_mib"].to_numpy(float), n_hosts)
    cpus = scen.target.cpus_per_host or max(1, math.ceil(engines[bound] / n_hosts))
    max_ratio, busy_max, lim_assumptions = _limits(scen)
    assumptions += lim_assumptions
    assumptions.append(Assumption(name="cpus_per_host", value=int(cpus), unit="engines",
                                  source="input" if scen.target.cpus_per_host else
                                  f"sizing: {engines[bound]} engines ({bound}) ÷ {n_hosts} host(s), "
                                  "rounded up"))

    guests, (net, images, image_of), md = _guests(scen, design, rows)
    notes = _HostEvidence()
    hosts = [_host(scen, design, hi, [g for g, p in zip(guests, place, strict=True) if p == hi],
                   n_guests, {"cpus": int(cpus)}, (max_ratio, busy_max), image_of, net.network.id, notes)
             for hi in range(n_hosts)]

    if platform == "xen":
        paging_ev = EvidenceItem(evaluated=False, applicable=False,
                                 note="not applicable: Xen hosts have no z/VM paging space")
    else:
        paging_ev = EvidenceItem(evaluated=True, method=f"paging rule {notes.paging_rule}",
                                 source="colonykit.paging.paging_space", values=notes.paging)
    chan_ev = EvidenceItem(evaluated=True, method="channel busy = connect time × I/O rate "
                           "(seed 003 §8.10.3)", source="colonykit.channels.channel_load",
                           values=notes.channels) if scen.io is not None else \
        ev.not_evaluated("no 'io' section in the scenario (I/O rate and connect time)")
    comparison = designs.compare(max(n_guests, 1), overrides={design.name: dict(scen.design.overrides)},
                                 path=scen.resolve(scen.design.file) if scen.design.file else None)
    design_ev = ev.design_evidence(design, comparison.loc[design.name], len(md.volsers),
                                   scen.storage.volume_model)
    assumptions += ev.design_assumptions(design)

    plan_doc = ColonyPlan(
        metadata=Metadata(name=scen.name, generated_by=f"colonykit {__version__}", design=design.name,
                          platform=platform, volume_model=scen.storage.volume_model,
                          scenario=scen.source, inputs_sha256=inputs_sha256(scen)),
        images=images, networks=[net.network], hosts=hosts,
        evidence=Evidence(sizing=ev.sizing_evidence(sizing_res, bound), white_space=ws_ev,
                          paging=paging_ev, channels=chan_ev, design=design_ev,
                          memory=ev.memory_evidence(hosts, max_ratio), assumptions=assumptions),
    )
    plan_doc.findings = check_plan(plan_doc)
    extras: dict[str, Any] = {}
    if ws is not None and demand is not None:
        extras["whitespace"] = ws
        extras["demand"] = demand
        extras.update(ev.trace_extras(demand, ws, sizing_res, cpus, stagger=stagger_traces))
    return ColonyPlanResult(plan=plan_doc, design=design, comparison=comparison, sizing=sizing_res,
                            scenario=scen, extras=extras)
