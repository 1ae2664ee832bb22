"""Checks of a plan (built or hand-edited): coded findings.

Finding codes
-------------
======  ========  ==========================================================
code    severity  meaning
======  ========  ==========================================================
CK001   error     a guest has more vCPUs than its host has real engines
CK002   error     memory overcommit of a host over the limit
CK003   error     paging space below the chosen paging rule (warning: below another rule only)
CK004   warning   channel busy over the target
CK005   error     a guest's memory exceeds its host's real storage
CK006   error     duplicate userid (or guest name) in the plan
CK007   error     duplicate virtual device number within a guest
CK008   error     a VDISK larger than 4,194,296 blocks
CK009   error     a link/shared disk names an image that does not exist
CK010   error     two guests hold the same read-write disk
CK011   error     vcpus > max_vcpus or memory_mib > max_memory_mib
CK012   warning   part of the evidence could not be evaluated
CK013   error     a minidisk extent runs past the end of its volume or overlaps another
CK014   error     a host's guest demand (MIPS, summed per time step) exceeds its usable MIPS
CK015   warning   an inventory server has no trace of its own (sized as a flat series)
CK016   warning   real storage below what the overcommit target needs (Σ virtual ÷ ratio + z/VM's 2 GiB)
CK017   error     IFLs above the machine's maximum, or logical processors above z/VM's per-LPAR limit
CK018   error     Xen domUs plus dom0 exceed the host's memory (RHEL 5 Xen: no memory overcommit)
CK019   warning   a provisioning target cannot carry part of the plan (:mod:`colonykit.plan.carry`)
CK020   error     the LPAR's VDISKs exceed the installation's SET VDISK SYSLIM (``target.vdisk_syslim_blocks``)
CK021   error     the LPAR's T-disks exceed its TDISK space (``target.tdisk_space_cyl``)
CK050   warning   an input looked implausible while the plan was built (a plausibility warning)
======  ========  ==========================================================
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping

import numpy as np

from colonykit import channels, memory, paging, reference, storage
from colonykit import machine_limits as limits
from colonykit.plan import carry
from colonykit.plan import evidence as _evidence
from colonykit.plan.document import (
    ColonyPlan,
    Finding,
    Guest,
    Host,
    HostIO,
    Image,
    Severity,
)
from colonykit.units import FBA_BLOCKS_PER_MIB, MIB_PER_GIB

#: Evidence sections checked for "not evaluated" (CK012): the one list, in colonykit.plan.evidence.
EVIDENCE_SECTIONS = _evidence.EVIDENCE_SECTIONS

Extents = dict[str, list[tuple[int, int, str]]]


def _finding(code: str, severity: Severity, message: str, path: str) -> Finding:
    return Finding(code=code, severity=severity, message=message, path=path)


def plausibility_findings(messages: list[str]) -> list[Finding]:
    """CK050: one warning finding per plausibility warning raised while the plan was built.

    The one warn-or-raise path (:func:`colonykit.errors.log_or_raise`, which warns with a
    :class:`~colonykit.errors.ColonykitWarning`) ends here in the plan: each distinct message
    once, in the order raised.

    Parameters
    ----------
    messages : list of str
        The warnings' texts.

    Examples
    --------
    >>> [f.code for f in plausibility_findings(["a", "b", "a"])]
    ['CK050', 'CK050']
    """
    return [_finding("CK050", "warning", m, "") for m in dict.fromkeys(messages)]


def paging_required_gib(host: Host) -> tuple[float, str]:
    """Paging space [GiB] the host's paging rule asks for, and the rule's name.

    Parameters
    ----------
    host : Host
        The plan host (z/VM LPAR).
    """
    virt = [g.memory_mib for g in host.guests]
    vdisk = sum(s.size_mib or 0 for g in host.guests for s in g.storage if s.kind == "vdisk")
    res = paging.paging_space(
        virt, host.capacity.memory_gib * MIB_PER_GIB, vdisk_mib=vdisk, rule=host.rules.paging_rule
    )
    return float(res.paging_gib), str(res.rule)


def channel_busy(io: HostIO, max_busy_pct: float) -> dict[str, float]:
    """Channel busy of a host's DASD I/O (:func:`colonykit.channels.channel_load`).

    Parameters
    ----------
    io : HostIO
        The host's DASD I/O.
    max_busy_pct : float
        Target maximum busy per path [%].
    """
    r = channels.channel_load(
        io.io_rate_per_s, io.connect_ms, paths=io.paths, max_busy_pct=max_busy_pct
    )
    return {
        "busy_pct": float(r.busy_pct),
        "per_path_busy_pct": float(r.per_path_busy_pct),
        "paths_needed": float(r.paths_needed),
    }


def _host_checks(host: Host, hp: str) -> list[Finding]:
    """CK002 (overcommit), CK003 (paging), CK004 (channels), CK014 (usable MIPS) of one host."""
    out: list[Finding] = []
    cap = host.capacity
    virt_mib = sum(g.memory_mib for g in host.guests)
    real_mib = cap.memory_gib * MIB_PER_GIB
    ratio = virt_mib / real_mib if real_mib > 0 else math.inf
    limit = host.rules.max_memory_overcommit_ratio
    if ratio > limit + 1e-12:
        out.append(
            _finding(
                "CK002",
                "error",
                f"host {host.id}: memory overcommit {ratio:.2f}:1 (Σ guest virtual "
                f"{virt_mib} MiB ÷ real {real_mib:.0f} MiB) is over the limit {limit:g}:1",
                f"{hp}.capacity.memory_gib",
            )
        )
    if host.guests:
        out += _fidelity_checks(host, hp)
    if host.io is not None:
        busy = channel_busy(host.io, host.rules.channel_max_busy_pct)
        if busy["per_path_busy_pct"] > host.rules.channel_max_busy_pct + 1e-9:
            out.append(
                _finding(
                    "CK004",
                    "warning",
                    f"host {host.id}: channel busy {busy['per_path_busy_pct']:.1f}% per "
                    f"path over the {host.rules.channel_max_busy_pct:g}% target "
                    f"({int(busy['paths_needed'])} paths needed, {host.io.paths} planned)",
                    f"{hp}.io",
                )
            )
    usable = cap.mips_usable
    peak = cap.composite_peak_mips
    if usable is not None and peak is not None and peak > usable * (1 + 1e-9) + 1e-9:
        out.append(
            _finding(
                "CK014",
                "error",
                f"host {host.id}: guest demand peaks at {peak:,.1f} MIPS, over the "
                f"{usable:,.1f} MIPS usable at the target utilization",
                f"{hp}.capacity.mips_usable",
            )
        )
    return out


def _fidelity_checks(host: Host, hp: str) -> list[Finding]:
    """CK003 (every paging rule, severity by rule), CK016 (memory), CK017 (LPAR limits), CK018 (Xen)."""
    out: list[Finding] = []
    cap = host.capacity
    real_mib = cap.memory_gib * MIB_PER_GIB
    virt = [g.memory_mib for g in host.guests]
    if host.platform == "xen":
        out += [
            _finding("CK018", "error", f"host {host.id}: {m}", f"{hp}.capacity.memory_gib")
            for m in limits.xen_memory_problems(virt, real_mib)
        ]
        return out
    vd = [sum(s.size_mib or 0 for s in g.storage if s.kind == "vdisk") for g in host.guests]
    chk = paging.check_paging(cap.paging_gib, virt, real_mib, sum(vd), host.rules.paging_rule)
    bad = chk[chk["severity"].isin(["warning", "error"])]
    if len(bad):
        sev: Severity = "error" if (bad["severity"] == "error").any() else "warning"
        asks = "; ".join(f"{r} asks {row.required_gib:.2f} GiB" for r, row in bad.iterrows())
        out.append(
            _finding(
                "CK003",
                sev,
                f"host {host.id}: paging space {cap.paging_gib:g} GiB is below "
                f"{asks} (chosen rule {paging.canonical_rule(host.rules.paging_rule)})",
                f"{hp}.capacity.paging_gib",
            )
        )
    mem = memory.host_memory(
        virt,
        real_mib,
        guest_vdisk_mib=vd,
        target_overcommit_ratio=host.rules.max_memory_overcommit_ratio,
    )
    if real_mib + 1e-9 < mem.real_for_target_mib:
        out.append(
            _finding(
                "CK016",
                "warning",
                f"host {host.id}: real storage {real_mib:,.0f} MiB is below the "
                f"{mem.real_for_target_mib:,.0f} MiB needed for a {mem.target_overcommit_ratio:g}:1 "
                f"overcommit (Σ guest virtual ÷ ratio + {mem.zvm_kept_mib:,.0f} MiB z/VM keeps, "
                f"Velocity storage planning); expected resident storage "
                f"{mem.resident_total_mib:,.0f} MiB",
                f"{hp}.capacity.memory_gib",
            )
        )
    out += [
        _finding("CK017", "error", f"host {host.id}: {m}", f"{hp}.capacity.cpus")
        for m in limits.zvm_logical_processor_problems(cap.cpus)
    ]
    return out + _space_checks(host, hp)


def _space_checks(host: Host, hp: str) -> list[Finding]:
    """CK020 (VDISKs over SYSLIM) and CK021 (T-disks over the TDISK space), when the limits are given."""
    out: list[Finding] = []
    disks = [s for g in host.guests for s in g.storage]
    if host.rules.vdisk_syslim_blocks is not None:
        # the per-VDISK maximum is CK008; here only the system total (huge max_blocks)
        vd = [s.size_mib or 0 for s in disks if s.kind == "vdisk"]
        out += [
            _finding("CK020", "error", f"host {host.id}: {m}", f"{hp}.rules.vdisk_syslim_blocks")
            for m in limits.vdisk_problems(
                vd, syslim_blocks=host.rules.vdisk_syslim_blocks, max_blocks=float("inf")
            )
        ]
    if host.rules.tdisk_space_cyl is not None:
        td = sum(s.size_cyl or 0 for s in disks if s.kind == "tdisk")
        out += [
            _finding("CK021", "error", f"host {host.id}: {m}", f"{hp}.rules.tdisk_space_cyl")
            for m in limits.tdisk_problems(td, host.rules.tdisk_space_cyl)
        ]
    return out


def _machine_checks(plan: ColonyPlan) -> list[Finding]:
    """CK017: IFLs of all z/VM LPARs above the machine's maximum (processors.csv max_ifls)."""
    proc = plan.evidence.sizing.values.get("processor") if plan.evidence.sizing.evaluated else None
    ifls = sum(h.capacity.cpus for h in plan.hosts if h.platform == "zvm")
    if not proc or not ifls:
        return []
    return [
        _finding("CK017", "error", f"machine: {m}", "hosts")
        for m in limits.ifl_problems(str(proc), ifls)
    ]


def _guest_checks(
    g: Guest,
    host: Host,
    gp: str,
    images: Mapping[str, Image],
    max_blocks: int,
    rw_owner: dict[tuple[str, ...], str],
    extents: Extents,
) -> list[Finding]:
    """CK001, CK005, CK007, CK008, CK009, CK010, CK011 of one guest; collects its extents."""
    out: list[Finding] = []
    cap = host.capacity
    real_mib = cap.memory_gib * MIB_PER_GIB
    if g.vcpus > cap.cpus:
        out.append(
            _finding(
                "CK001",
                "error",
                f"guest {g.name}: {g.vcpus} vCPUs > {cap.cpus} real engines of host {host.id}",
                f"{gp}.vcpus",
            )
        )
    if g.vcpus > g.max_vcpus or g.memory_mib > g.max_memory_mib:
        out.append(
            _finding(
                "CK011",
                "error",
                f"guest {g.name}: vcpus/memory above its maximum "
                f"({g.vcpus}/{g.max_vcpus} vCPUs, {g.memory_mib}/{g.max_memory_mib} MiB)",
                gp,
            )
        )
    if g.memory_mib > real_mib:
        out.append(
            _finding(
                "CK005",
                "error",
                f"guest {g.name}: {g.memory_mib} MiB is more than "
                f"the {real_mib:.0f} MiB real storage of host {host.id}",
                f"{gp}.memory_mib",
            )
        )
    vdevs = Counter(s.vdev.upper() for s in g.storage) + Counter(
        (n.vdev or "").upper() for n in g.network if n.vdev
    )
    dup = sorted(v for v, n in vdevs.items() if n > 1)
    if dup:
        out.append(
            _finding(
                "CK007",
                "error",
                f"guest {g.name}: duplicate virtual device(s) {dup}",
                f"{gp}.storage",
            )
        )
    for si, s in enumerate(g.storage):
        sp = f"{gp}.storage[{si}]"
        if s.kind == "vdisk":
            blocks = (s.size_mib or 0) * FBA_BLOCKS_PER_MIB
            if blocks > max_blocks:
                out.append(
                    _finding(
                        "CK008",
                        "error",
                        f"guest {g.name}: VDISK {s.vdev} of "
                        f"{s.size_mib} MiB = {blocks:,} blocks is over the "
                        f"{max_blocks:,}-block maximum",
                        sp,
                    )
                )
        if s.kind == "shared":
            if s.image not in images:
                out.append(
                    _finding(
                        "CK009",
                        "error",
                        f"guest {g.name}: disk {s.vdev} names unknown image {s.image!r}",
                        sp,
                    )
                )
            if s.access == "rw":
                out.append(
                    _finding(
                        "CK010",
                        "error",
                        f"guest {g.name}: shared image {s.image!r} linked read-write",
                        sp,
                    )
                )
        if s.access == "rw" and s.kind in ("mdisk", "image", "nfs"):
            key = (
                (s.kind, s.volser or "", str(s.start_cyl or ""), s.target or "")
                if s.kind == "mdisk"
                else (s.kind, s.target or f"{g.name}:{s.id}")
            )
            other = rw_owner.get(key)
            if other is not None and other != g.name:
                out.append(
                    _finding(
                        "CK010",
                        "error",
                        f"guests {other} and {g.name} both hold "
                        f"read-write disk {'/'.join(k for k in key if k)}",
                        sp,
                    )
                )
            rw_owner[key] = g.name
        if s.kind == "mdisk" and s.volser and s.start_cyl and s.size_cyl:
            extents.setdefault(s.volser, []).append((s.start_cyl, s.start_cyl + s.size_cyl - 1, sp))
    return out


def _extent_checks(extents: Extents, model: str) -> list[Finding]:
    """CK013: minidisk extents inside the volume, no overlaps (sorted per volume, vectorised)."""
    out: list[Finding] = []
    for volser, ext in sorted(extents.items()):
        arr = np.array([(a, b) for a, b, _ in ext], dtype=np.int64)
        order = np.argsort(arr[:, 0], kind="stable")
        s = arr[order]
        overlap = np.flatnonzero(s[1:, 0] <= s[:-1, 1])
        if overlap.size:
            i = int(order[overlap[0] + 1])
            out.append(
                _finding(
                    "CK013",
                    "error",
                    f"volume {volser}: extents overlap "
                    f"({ext[i][2]} starts at cylinder {ext[i][0]})",
                    ext[i][2],
                )
            )
    last = storage.geometry(model).cylinders - 1
    for volser, ext in sorted(extents.items()):
        too_far = [e for e in ext if e[1] > last]
        for e in too_far[:1]:
            out.append(
                _finding(
                    "CK013",
                    "error",
                    f"volume {volser}: extent {e[0]}-{e[1]} runs past cylinder {last} of a {model}",
                    e[2],
                )
            )
    return out


def _duplicate_checks(userids: Counter[str], names: Counter[str]) -> list[Finding]:
    """CK006: duplicate userids and guest names."""
    out = [
        _finding("CK006", "error", f"userid {uid} is used by {n} guests", "hosts")
        for uid, n in sorted(userids.items())
        if n > 1
    ]
    out += [
        _finding("CK006", "error", f"guest name {name} is used {n} times", "hosts")
        for name, n in sorted(names.items())
        if n > 1
    ]
    return out


def _evidence_checks(plan: ColonyPlan) -> list[Finding]:
    """CK012 for evidence not evaluated; CK015 for servers sized without a trace of their own."""
    out: list[Finding] = []
    for section, item in _evidence.sections(plan.evidence):
        if item.applicable and not item.evaluated:
            out.append(
                _finding(
                    "CK012",
                    "warning",
                    f"{section} not evaluated: {item.note}",
                    f"evidence.{section}",
                )
            )
    unmatched = plan.evidence.white_space.values.get("servers_unmatched_list")
    if isinstance(unmatched, str) and unmatched:
        out.append(
            _finding(
                "CK015",
                "warning",
                f"no trace of their own for server(s) {unmatched}: sized from util_peak_pct "
                "as a flat series (perfectly correlated with nothing, peak every step)",
                "evidence.white_space",
            )
        )
    return out


def _carry_checks(plan: ColonyPlan) -> list[Finding]:
    """CK016: one warning per target that cannot carry something, with counts and examples."""
    targets = ["feilong", "libvirt"] if plan.metadata.platform == "zvm" else []
    by_target: dict[str, list[carry.Loss]] = {}
    for ls in carry.losses(plan, targets):
        by_target.setdefault(ls.target, []).append(ls)
    out = []
    for t, items in by_target.items():
        kinds = sorted(
            {
                re.sub(r"\b[A-Z]*[0-9][0-9A-F]*\b", "n", ls.what.split(" (")[0].split(":")[0])
                for ls in items
            }
        )
        subjects = {ls.subject for ls in items}
        out.append(
            _finding(
                "CK019",
                "warning",
                f"target {t} cannot carry {len(items)} item(s) for "
                f"{len(subjects)} guest(s)/host(s): {'; '.join(kinds[:6])}"
                f"{' …' if len(kinds) > 6 else ''} (each is a comment in render/{t}/)",
                f"render.{t}",
            )
        )
    return out


def check_plan(plan: ColonyPlan, *, vdisk_max_blocks: int | None = None) -> list[Finding]:
    """Check a plan (built or hand-edited) and return coded findings.

    Parameters
    ----------
    plan : ColonyPlan
        The plan to check.
    vdisk_max_blocks : int, optional
        Largest VDISK [512-byte blocks] (default ``plan_vdisk_max_blocks`` = 4,194,296).

    Returns
    -------
    list of Finding
        Sorted by code, then path.

    Examples
    --------
    >>> from colonykit.plan import build_plan, load_scenario
    >>> res = build_plan(load_scenario("data/examples/scenario.yaml"))
    >>> p = res.plan.model_copy(deep=True)
    >>> p.hosts[0].guests[1].zvm.userid = p.hosts[0].guests[0].zvm.userid
    >>> [f.code for f in check_plan(p) if f.code == "CK006"]
    ['CK006']
    """
    max_blocks = int(
        vdisk_max_blocks
        if vdisk_max_blocks is not None
        else reference.constant("plan_vdisk_max_blocks")
    )
    out: list[Finding] = []
    images = {im.id: im for im in plan.images}
    userids: Counter[str] = Counter()
    names: Counter[str] = Counter()
    rw_owner: dict[tuple[str, ...], str] = {}
    extents: Extents = {}
    for im in plan.images:
        if im.zvm is not None:
            extents.setdefault(im.zvm.volser, []).append(
                (im.zvm.start_cyl, im.zvm.start_cyl + im.zvm.count_cyl - 1, f"images[{im.id}]")
            )
    for hi, host in enumerate(plan.hosts):
        hp = f"hosts[{hi}]"
        out += _host_checks(host, hp)
        for pr_i, pr in enumerate(host.profiles):
            for lk_i, lk in enumerate(pr.links):
                if lk.image not in images:
                    out.append(
                        _finding(
                            "CK009",
                            "error",
                            f"profile {pr.name}: LINK to unknown image {lk.image!r}",
                            f"{hp}.profiles[{pr_i}].links[{lk_i}]",
                        )
                    )
        for gi, g in enumerate(host.guests):
            names[g.name] += 1
            if g.zvm is not None:
                userids[g.zvm.userid] += 1
            out += _guest_checks(
                g, host, f"{hp}.guests[{gi}]", images, max_blocks, rw_owner, extents
            )
    out += _duplicate_checks(userids, names)
    out += _extent_checks(extents, plan.metadata.volume_model)
    out += _evidence_checks(plan)
    out += _machine_checks(plan)
    out += _carry_checks(plan)
    return sorted(out, key=lambda f: (f.code, f.path, f.message))


__all__ = [
    "EVIDENCE_SECTIONS",
    "Extents",
    "paging_required_gib",
    "channel_busy",
    "check_plan",
]
