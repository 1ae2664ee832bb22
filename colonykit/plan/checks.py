"""Checks of a plan (built or hand-edited): coded findings.

Finding codes
-------------
======  ========  ==========================================================
code    severity  meaning
======  ========  ==========================================================
CK001   error     a guest has more vCPUs than its host has real engines
CK002   error     memory overcommit of a host over the limit
CK003   error     paging space below the chosen paging rule (other rules: information in the paging evidence only)
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
CK017   error     platform limits (platform_limits.csv): IFLs, memory or LPARs above the machine model's maximum; logical cores or real storage above the z/VM level's per-LPAR limit
CK018   error     Xen domUs plus dom0 exceed the host's memory (RHEL 5 Xen: no memory overcommit)
CK019   warning   a provisioning target cannot carry part of the plan (:mod:`colonykit.plan.carry`)
CK020   error     the LPAR's VDISKs exceed the installation's SET VDISK SYSLIM (``target.vdisk_syslim_blocks``)
CK021   error     the LPAR's T-disks exceed its TDISK space (``target.tdisk_space_cyl``)
CK030   error     two NICs have the same MAC address
CK031   error     two NICs have the same IP address
CK032   error     a NIC's IP address is outside its network, or is the network's own or broadcast address
CK033   error     a NIC (of a guest or a directory profile) is on a network the plan does not have
CK034   error     two shared images or two networks have the same id
CK035   error     two hosts have the same id, or ids that collide as Ansible groups or as file
                  names on a case-insensitive file system
CK036   error     an ``anti_affinity`` pair of the scenario has guests on the same host
CK037   warning   guests whose provisioned memory is far above their measured working set (right-sizing)
CK050   warning   an input looked implausible while the plan was built (a plausibility warning)
======  ========  ==========================================================
"""

from __future__ import annotations

import ipaddress
import math
import re
from collections import Counter
from collections.abc import Container, Hashable, Mapping
from functools import lru_cache

import numpy as np
import pandas as pd

from colonykit import channels, paging, reference, storage
from colonykit import machine_limits as limits
from colonykit.patterns import ansible_group
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
from colonykit.plan.stages import StageCache
from colonykit.units import FBA_BLOCKS_PER_MIB, MIB_PER_GIB

#: Evidence sections checked for "not evaluated" (CK012): the one list, in colonykit.plan.evidence.
EVIDENCE_SECTIONS = _evidence.EVIDENCE_SECTIONS

Extents = dict[str, list[tuple[int, int, str]]]


def _finding(code: str, severity: Severity, message: str, path: str) -> Finding:
    return Finding(code=code, severity=severity, message=message, path=path)


def _profile_link_checks(host: Host, hp: str, images: Container[str]) -> list[Finding]:
    """CK009 of a host's profiles: each LINK names an image of the plan (``hp``: the host's path)."""
    return [
        _finding(
            "CK009",
            "error",
            f"profile {pr.name}: LINK to unknown image {lk.image!r}",
            f"{hp}.profiles[{pr_i}].links[{lk_i}]",
        )
        for pr_i, pr in enumerate(host.profiles)
        for lk_i, lk in enumerate(pr.links)
        if lk.image not in images
    ]


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
    # the busiest path runs above the even share (seed 003 §8.10.3 Example 8-6), issue 23
    skew = float(reference.constant("channel_busiest_path_ratio")) if io.paths > 1 else 1.0
    busiest = min(float(r.per_path_busy_pct) * skew, float(r.busy_pct))
    return {
        "busy_pct": float(r.busy_pct),
        "per_path_busy_pct": float(r.per_path_busy_pct),
        "busiest_path_busy_pct": busiest,
        "paths_needed": float(r.paths_needed),
        "paths_needed_busiest": float(
            max(r.paths_needed, math.ceil(float(r.busy_pct) * skew / max_busy_pct - 1e-9))
        ),
    }


def _host_checks(host: Host, hp: str, cache: StageCache | None = None) -> list[Finding]:
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
        out += _fidelity_checks(host, hp, cache)
    if host.io is not None:
        busy = channel_busy(host.io, host.rules.channel_max_busy_pct)
        if busy["busiest_path_busy_pct"] > host.rules.channel_max_busy_pct + 1e-9:
            out.append(
                _finding(
                    "CK004",
                    "warning",
                    f"host {host.id}: busiest channel path {busy['busiest_path_busy_pct']:.1f}% "
                    f"busy (mean {busy['per_path_busy_pct']:.1f}% per path) over the "
                    f"{host.rules.channel_max_busy_pct:g}% target "
                    f"({int(busy['paths_needed_busiest'])} paths needed, {host.io.paths} planned)",
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


def _fidelity_checks(host: Host, hp: str, cache: StageCache | None = None) -> list[Finding]:
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
    pg_args = (cap.paging_gib, tuple(virt), real_mib, sum(vd), host.rules.paging_rule)

    def pg() -> pd.DataFrame:
        # the rules compared as the plan's paging evidence did (colonykit.plan.assembly._host)
        compared = None
        if cache is not None:
            compared = cache.get(
                "paging_rules",
                (tuple(virt), float(real_mib), int(sum(vd))),
                lambda: paging.compare_rules(virt, real_mib, vdisk_mib=sum(vd)),
            )
        return paging.check_paging(
            cap.paging_gib, virt, real_mib, sum(vd), host.rules.paging_rule, compared=compared
        )

    chk = pg() if cache is None else cache.get("check_paging", pg_args, pg)
    bad = chk[chk["severity"] == "error"]  # only the chosen rule judges (issue 23)
    if len(bad):
        others = "; ".join(
            f"{r} {row.required_gib:.2f} GiB" for r, row in chk[~chk["chosen"]].iterrows()
        )
        asks = "; ".join(f"{r} asks {row.required_gib:.2f} GiB" for r, row in bad.iterrows())
        out.append(
            _finding(
                "CK003",
                "error",
                f"host {host.id}: paging space {cap.paging_gib:g} GiB is below "
                f"{asks} (chosen rule {paging.canonical_rule(host.rules.paging_rule)}; "
                f"for information, the other rules: {others})",
                f"{hp}.capacity.paging_gib",
            )
        )
    mem = _evidence.host_memory_of(
        virt, real_mib, vd, host.rules.max_memory_overcommit_ratio, cache
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
    lp_args = (cap.cpus, host.rules.smt, host.rules.zvm_level)
    rs_args = (cap.memory_gib, host.rules.zvm_level)

    def lp() -> list[str]:
        return limits.zvm_logical_processor_problems(
            cap.cpus, smt=host.rules.smt, zvm_level=host.rules.zvm_level
        )

    def rs() -> list[str]:
        return limits.zvm_real_storage_problems(cap.memory_gib, host.rules.zvm_level)

    out += [
        _finding("CK017", "error", f"host {host.id}: {m}", f"{hp}.capacity.cpus")
        for m in (lp() if cache is None else cache.get("zvm_cpu_limits", lp_args, lp))
    ]
    out += [
        _finding("CK017", "error", f"host {host.id}: {m}", f"{hp}.capacity.memory_gib")
        for m in (rs() if cache is None else cache.get("zvm_storage_limits", rs_args, rs))
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


def _machine_checks(plan: ColonyPlan, cache: StageCache | None = None) -> list[Finding]:
    """CK017: IFLs of all z/VM LPARs above the machine's maximum (processors.csv max_ifls)."""
    values = plan.evidence.sizing.values if plan.evidence.sizing.evaluated else {}
    proc = values.get("machine") or values.get("processor")
    zvm = [h for h in plan.hosts if h.platform == "zvm"]
    ifls = sum(h.capacity.cpus for h in zvm)
    if not proc or not ifls:
        return []
    mem_gib = sum(h.capacity.memory_gib for h in zvm)

    def make() -> list[str]:
        return limits.ifl_problems(str(proc), ifls) + limits.machine_problems(
            str(proc), mem_gib, len(zvm)
        )

    key = (str(proc), ifls, mem_gib, len(zvm))
    probs = make() if cache is None else cache.get("machine_limits", key, make)
    return [_finding("CK017", "error", f"machine: {m}", "hosts") for m in probs]


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
    return _guest_size_checks(g, host, gp) + _guest_disk_checks(
        g, gp, images, max_blocks, rw_owner, extents
    )


def _guest_size_checks(g: Guest, host: Host, gp: str) -> list[Finding]:
    """CK001, CK005, CK011 of one guest (its vCPUs and memory against its host and maximum)."""
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
    return out


def _guest_disk_checks(
    g: Guest,
    gp: str,
    images: Mapping[str, Image],
    max_blocks: int,
    rw_owner: dict[tuple[str, ...], str],
    extents: Extents,
) -> list[Finding]:
    """CK007, CK008, CK009, CK010 of one guest (its disks and devices); collects its extents."""
    out: list[Finding] = []
    # a plain dict, not Counter: this runs once per guest (Counter's ABC checks cost ~50 µs each)
    vdevs: dict[str, int] = {}
    for v in [s.vdev.upper() for s in g.storage] + [n.vdev.upper() for n in g.network if n.vdev]:
        vdevs[v] = vdevs.get(v, 0) + 1
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
        elif s.kind == "mdisk" and s.volser and s.start_block and s.size_blocks:  # on an EDEV
            extents.setdefault(s.volser, []).append(
                (s.start_block, s.start_block + s.size_blocks - 1, sp)
            )
    return out


def _volume_models(plan: ColonyPlan) -> dict[str, str]:
    """Volser -> model of the volumes whose minidisks name their own model (issue 20 item 6)."""
    return {
        s.volser: s.volume_model
        for h in plan.hosts
        for g in h.guests
        for s in g.storage
        if s.volume_model is not None and s.volser is not None
    }


def _extent_checks(
    extents: Extents, model: str, models: dict[str, str] | None = None
) -> list[Finding]:
    """CK013: minidisk extents inside the volume, no overlaps (sorted per volume, vectorised).

    ``models`` gives the model of volumes not of the plan's ``model`` (EDEV extents in blocks).
    """
    out: list[Finding] = []
    items = sorted(extents.items())
    # all volumes at once: extents ordered by (volume, start), ties in collection order
    counts = np.fromiter((len(ext) for _, ext in items), dtype=np.int64, count=len(items))
    flat = [e for _, ext in items for e in ext]
    vol = np.repeat(np.arange(len(items), dtype=np.int64), counts)
    starts = np.fromiter((e[0] for e in flat), dtype=np.int64, count=len(flat))
    ends = np.fromiter((e[1] for e in flat), dtype=np.int64, count=len(flat))
    order = np.lexsort((starts, vol))  # stable: equal keys keep their order
    vol_o = vol[order]
    clash = np.flatnonzero((vol_o[1:] == vol_o[:-1]) & (starts[order][1:] <= ends[order][:-1]))
    offset = np.concatenate(([0], np.cumsum(counts)))
    seen: set[int] = set()
    for c in clash.tolist():  # the first overlap of each volume, volumes in order
        v = int(vol_o[c + 1])
        if v in seen:
            continue
        seen.add(v)
        volser, ext = items[v]
        i = int(order[c + 1]) - int(offset[v])
        out.append(
            _finding(
                "CK013",
                "error",
                f"volume {volser}: extents overlap ({ext[i][2]} starts at cylinder {ext[i][0]})",
                ext[i][2],
            )
        )
    last_of = {model: storage.geometry(model).cylinders - 1}
    for volser, ext in sorted(extents.items()):
        vm = (models or {}).get(volser, model)
        if vm not in last_of:
            last_of[vm] = (
                storage.edev_blocks() - 1 if vm == "EDEV" else storage.geometry(vm).cylinders - 1
            )
        last, unit = last_of[vm], "block" if vm == "EDEV" else "cylinder"
        too_far = [e for e in ext if e[1] > last]
        for e in too_far[:1]:
            out.append(
                _finding(
                    "CK013",
                    "error",
                    f"volume {volser}: extent {e[0]}-{e[1]} runs past {unit} {last} of a {vm}",
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


def _repeated(items: list[tuple[str, str]]) -> dict[str, list[str]]:
    """Keys given more than once, each with the paths that give it (in plan order)."""
    where: dict[str, list[str]] = {}
    for key, path in items:
        where.setdefault(key, []).append(path)
    return {k: v for k, v in where.items() if len(v) > 1}


@lru_cache(maxsize=1 << 16)
def _ip_interface(text: str) -> ipaddress.IPv4Interface | ipaddress.IPv6Interface:
    """:func:`ipaddress.ip_interface`, kept per address text (the objects are immutable; a
    plan rebuilt with a new layout parses the same addresses again)."""
    return ipaddress.ip_interface(text)


def _network_checks(plan: ColonyPlan, guests: bool = True) -> list[Finding]:
    """CK030 duplicate MACs, CK031 duplicate IPs, CK032 IPs outside/at the edge of their network,
    CK033 NICs on unknown networks (``guests=False``: the profiles' NICs only)."""
    out: list[Finding] = []
    nets: dict[str, ipaddress.IPv4Network | ipaddress.IPv6Network | None] = {}
    for n in plan.networks:
        try:
            nets.setdefault(n.id, ipaddress.ip_network(n.cidr, strict=False) if n.cidr else None)
        except ValueError:
            nets.setdefault(n.id, None)
    macs: list[tuple[str, str]] = []
    ips: list[tuple[str, str]] = []
    for hi, host in enumerate(plan.hosts):
        for pi, pr in enumerate(host.profiles):
            for ni, nic in enumerate(pr.nics):
                if nic.network not in nets:
                    out.append(
                        _finding(
                            "CK033",
                            "error",
                            f"profile {pr.name}: NICDEF {nic.vdev} on unknown network "
                            f"{nic.network!r} (networks: {sorted(nets)})",
                            f"hosts[{hi}].profiles[{pi}].nics[{ni}]",
                        )
                    )
        for gi, g in enumerate(host.guests if guests else ()):
            for ni, gnic in enumerate(g.network):
                np_ = f"hosts[{hi}].guests[{gi}].network[{ni}]"
                if gnic.network not in nets:
                    out.append(
                        _finding(
                            "CK033",
                            "error",
                            f"guest {g.name}: NIC on unknown network {gnic.network!r} "
                            f"(networks: {sorted(nets)})",
                            np_,
                        )
                    )
                if gnic.mac:
                    macs.append((gnic.mac.lower().replace("-", ":"), np_))
                if not gnic.ip:
                    continue
                try:
                    itf = _ip_interface(gnic.ip)
                except ValueError:
                    continue  # the pattern check reports it
                ips.append((str(itf.ip), np_))
                net = nets.get(gnic.network)
                if net is None or net.version != itf.version:
                    continue
                edge = net.prefixlen < net.max_prefixlen - 1 and itf.ip in (
                    net.network_address,
                    net.broadcast_address,
                )
                if itf.ip not in net or edge:
                    what = (
                        "outside network"
                        if itf.ip not in net
                        else (
                            "the network address of"
                            if itf.ip == net.network_address
                            else "the broadcast address of"
                        )
                    )
                    out.append(
                        _finding(
                            "CK032",
                            "error",
                            f"guest {g.name}: IP address {itf.ip} is {what} {gnic.network} ({net})",
                            f"{np_}.ip",
                        )
                    )
    for code, kind, items in (("CK030", "MAC address", macs), ("CK031", "IP address", ips)):
        for key, paths in sorted(_repeated(items).items()):
            out.append(
                _finding(
                    code,
                    "error",
                    f"{kind} {key} is given to {len(paths)} NICs ({', '.join(paths[:5])}"
                    f"{' …' if len(paths) > 5 else ''})",
                    paths[1],
                )
            )
    return out


def _identity_checks(plan: ColonyPlan) -> list[Finding]:
    """CK034 duplicate image / network ids; CK035 host ids equal or colliding as Ansible groups
    or as file names on a case-insensitive file system."""
    out: list[Finding] = []
    for kind, items in (
        ("image", [(im.id, f"images[{i}]") for i, im in enumerate(plan.images)]),
        ("network", [(n.id, f"networks[{i}]") for i, n in enumerate(plan.networks)]),
    ):
        for key, paths in sorted(_repeated(items).items()):
            out.append(
                _finding(
                    "CK034",
                    "error",
                    f"{kind} id {key} is given {len(paths)} times ({', '.join(paths)})",
                    paths[1],
                )
            )
    ids = [(h.id, f"hosts[{i}]") for i, h in enumerate(plan.hosts)]
    roles = {f"role_{ansible_group(g.tags['role'])}" for _h, g in plan.guests() if "role" in g.tags}
    reported: set[str] = set()
    for how, key_of in (
        ("the same host id", lambda t: t),
        ("the same file name on a case-insensitive file system", str.lower),
        ("the same Ansible group", ansible_group),
    ):
        for key, paths in sorted(_repeated([(key_of(i), p) for i, p in ids]).items()):
            if paths[1] in reported:
                continue
            reported.add(paths[1])
            names = [plan.hosts[int(p[6:-1])].id for p in paths]
            out.append(
                _finding(
                    "CK035",
                    "error",
                    f"hosts {names} have {how} ({key!r}); give each host an id of its own",
                    paths[1],
                )
            )
    for i, h in enumerate(plan.hosts):
        if ansible_group(h.id) in roles:
            out.append(
                _finding(
                    "CK035",
                    "error",
                    f"host {h.id} has the Ansible group name {ansible_group(h.id)!r} of a guest role",
                    f"hosts[{i}]",
                )
            )
    return out


def anti_affinity_findings(
    plan: ColonyPlan, pairs: list[tuple[str, str]], source: str = "guests.anti_affinity"
) -> list[Finding]:
    """CK036: ``anti_affinity`` pairs (inventory servers) with guests on the same host.

    Parameters
    ----------
    plan : ColonyPlan
        The plan.
    pairs : list of (str, str)
        Server pairs whose guests must be on different hosts (the scenario's
        ``guests.anti_affinity``); a server paired with itself spreads its own instances.
    source : str, default 'guests.anti_affinity'
        Where the pairs come from, for the message.

    Examples
    --------
    >>> from colonykit.plan import build_plan
    >>> p = build_plan("data/examples/scenario.yaml").plan
    >>> [f.code for f in anti_affinity_findings(p, [("file", "dns")])]
    ['CK036']
    """
    hosts_of: dict[str, list[tuple[str, str]]] = {}
    for h in plan.hosts:
        for g in h.guests:
            hosts_of.setdefault(g.source_server, []).append((h.id, g.name))
    out: list[Finding] = []
    for i, (a, b) in enumerate(pairs):
        ga, gb = hosts_of.get(a, []), hosts_of.get(b, [])
        clash = sorted({(ha, na, nb) for ha, na in ga for hb, nb in gb if ha == hb and na != nb})
        if clash:
            hid, na, nb = clash[0]
            out.append(
                _finding(
                    "CK036",
                    "error",
                    f"anti-affinity pair [{a}, {b}]: guests {na} and {nb} are both on host {hid}"
                    f"{f' ({len(clash)} such pairs)' if len(clash) > 1 else ''}",
                    f"{source}[{i}]",
                )
            )
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


def right_size_problems(host: Host, ratio: float | None = None) -> list[str]:
    """Guests of a host whose provisioned memory is over ``ratio`` × their measured working set.

    One sentence per guest, largest ratio first (provisioned, working set, ratio, suggested size).

    Parameters
    ----------
    host : Host
        A plan host (guests with ``memory_working_set_mib``).
    ratio : float, optional
        Threshold; default constant ``memory_right_size_ratio`` (Velocity storage planning).
    """
    thr = float(reference.constant("memory_right_size_ratio") if ratio is None else ratio)
    floor = float(reference.constant("memory_right_size_min_mib"))
    rows = []
    for g in host.guests:
        ws = g.memory_working_set_mib
        prov = g.memory_provisioned_mib or g.memory_mib
        if ws is None or prov <= thr * max(ws, floor):
            continue
        sugg = max(math.ceil(ws), floor)
        planned = "right-sized" if g.memory_provisioned_mib else "NOT right-sized"
        rows.append(
            (
                prov / max(ws, floor),
                f"{g.name} {prov / MIB_PER_GIB:,.1f} GiB -> suggested {sugg / MIB_PER_GIB:,.2f} GiB "
                f"({prov / max(ws, floor):,.1f}x, {planned})",
            )
        )
    return [m for _r, m in sorted(rows, key=lambda t: -t[0])]


def _right_size_checks(host: Host, hp: str) -> list[Finding]:
    """CK037: over-provisioned guests of one host (measured memory), one finding per host."""
    probs = right_size_problems(host)
    if not probs:
        return []
    thr = reference.constant("memory_right_size_ratio")
    return [
        _finding(
            "CK037",
            "warning",
            f"host {host.id}: {len(probs)} guest(s) provisioned with more than {thr:g}x their "
            f"measured working set (Velocity Software: shrink a Linux guest until it starts to "
            f"swap): {'; '.join(probs[:5])}{' …' if len(probs) > 5 else ''} "
            "(every guest in evidence.memory_measured)",
            f"{hp}.guests",
        )
    ]


#: Device numbers, volsers, cylinders in what a target cannot carry: one kind of loss each.
_NUMBERED = re.compile(r"\b[A-Z]*[0-9][0-9A-F]*\b")


def _numbered_to_n(stems: set[str]) -> set[str]:
    """Each stem with its numbers as ``n`` (:data:`_NUMBERED`), in one pass over all of them.

    A line break is no word character, so joined by line breaks each stem is rewritten as on
    its own; stems holding a line break are rewritten one by one.

    Examples
    --------
    >>> sorted(_numbered_to_n({"T-disk 0200", "placement of 0100 on LX0001 at cylinder 1"}))
    ['T-disk n', 'placement of n on n at cylinder n']
    """
    if any("\n" in stem for stem in stems):
        return {_NUMBERED.sub("n", stem) for stem in stems}
    return set(_NUMBERED.sub("n", "\n".join(stems)).split("\n")) if stems else set()


def _carry_checks(plan: ColonyPlan) -> list[Finding]:
    """CK016: one warning per target that cannot carry something, with counts and examples."""
    targets = ["feilong", "libvirt"] if plan.metadata.platform == "zvm" else []
    by_target: dict[str, list[carry.Loss]] = {}
    for ls in carry.losses(plan, targets):
        by_target.setdefault(ls.target, []).append(ls)
    out = []
    for t, items in by_target.items():
        stems = {ls.what.split(" (")[0].split(":")[0] for ls in items}
        kinds = sorted(_numbered_to_n(stems))
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


def check_plan(
    plan: ColonyPlan,
    *,
    vdisk_max_blocks: int | None = None,
    cache: StageCache | None = None,
    layout_key: tuple[Hashable, Hashable] | None = None,
) -> list[Finding]:
    """Check a plan (built or hand-edited) and return coded findings.

    Parameters
    ----------
    plan : ColonyPlan
        The plan to check.
    vdisk_max_blocks : int, optional
        Largest VDISK [512-byte blocks] (default ``plan_vdisk_max_blocks`` = 4,194,296).
    cache : colonykit.plan.stages.StageCache, optional
        Keeps results by their inputs: each host's storage planning, and with ``layout_key``
        the :func:`layout_checks`.
    layout_key : (hashable, hashable), optional
        Value keys of everything :func:`layout_checks` reads: what the guests are (names, disks,
        entries, NICs, vCPUs, shares, images, networks, design) and where they are (hosts, which
        host holds each guest).  The caller that built the plan knows them
        (:func:`colonykit.plan.build_plan`); without them the layout is checked.  What a target
        cannot carry (CK019) is kept by the first alone: it does not depend on the placement.

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
    out = size_checks(plan, cache)
    if cache is not None and layout_key is not None:
        out += cache.get(
            "layout_checks",
            (layout_key, max_blocks),
            lambda: layout_checks(plan, max_blocks, cache, layout_key[0]),
        )
    else:
        out += layout_checks(plan, max_blocks)
    return sorted(out, key=lambda f: (f.code, f.path, f.message))


def size_checks(plan: ColonyPlan, cache: StageCache | None = None) -> list[Finding]:
    """The findings of :func:`check_plan` that read the plan's sizes: engines, memory, paging,
    channels, MIPS, limits, evidence (CK001-CK005, CK011, CK012, CK014-CK018, CK020, CK021,
    CK037), unsorted.

    Parameters
    ----------
    plan : ColonyPlan
        The plan to check.
    cache : StageCache, optional
        Keeps each host's storage planning (:func:`colonykit.memory.host_memory`) by its inputs.
    """
    out: list[Finding] = []
    for hi, host in enumerate(plan.hosts):
        hp = f"hosts[{hi}]"
        out += _host_checks(host, hp, cache)
        out += _right_size_checks(host, hp)
        for gi, g in enumerate(host.guests):
            out += _guest_size_checks(g, host, f"{hp}.guests[{gi}]")
    out += _evidence_checks(plan)
    out += _machine_checks(plan, cache)
    return out


def layout_checks(
    plan: ColonyPlan,
    max_blocks: int,
    cache: StageCache | None = None,
    guests_key: Hashable | None = None,
) -> list[Finding]:
    """The findings of :func:`check_plan` that read only the plan's layout: the guests' names,
    disks, devices and NICs, the images, networks, host ids and profiles, the guests' vCPUs and
    shares (what a target cannot carry) and which host holds which guest (CK006-CK010, CK013,
    CK019, CK030-CK035), unsorted.

    Parameters
    ----------
    plan : ColonyPlan
        The plan to check.
    max_blocks : int
        Largest VDISK [512-byte blocks].
    cache : StageCache, optional
        With ``guests_key``: keeps what a target cannot carry (CK019), which reads the guests
        and networks only, not the placement.
    guests_key : hashable, optional
        Value key of what the guests are (see :func:`check_plan`'s ``layout_key``).
    """
    if cache is not None and guests_key is not None:
        placed = _placed_layout_checks(plan, max_blocks, cache, guests_key)
        if placed is not None:
            return placed
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
        out += _profile_link_checks(host, hp, images)
        for gi, g in enumerate(host.guests):
            names[g.name] += 1
            if g.zvm is not None:
                userids[g.zvm.userid] += 1
            out += _guest_disk_checks(
                g, f"{hp}.guests[{gi}]", images, max_blocks, rw_owner, extents
            )
    out += _duplicate_checks(userids, names)
    out += _extent_checks(extents, plan.metadata.volume_model, _volume_models(plan))
    if cache is not None and guests_key is not None:
        out += cache.get("carry_checks", guests_key, lambda: _carry_checks(plan))
    else:
        out += _carry_checks(plan)
    out += _network_checks(plan)
    out += _identity_checks(plan)
    return out


#: Stands for a guest's path (``hosts[h].guests[g]``) in the findings kept by guest name.
_GUEST = "\x00"


def _guest_layout(plan: ColonyPlan, max_blocks: int) -> dict[str, list[Finding]] | None:
    """The layout findings of each guest by name, its path left as :data:`_GUEST`; None when
    a finding reads more than one guest (shared read-write disks, overlapping extents, equal
    names, userids, MACs or IPs) or reads a guest's place (paths in messages)."""
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
    local: dict[str, list[Finding]] = {}
    for _h, g in plan.guests():
        names[g.name] += 1
        if g.zvm is not None:
            userids[g.zvm.userid] += 1
        found = _guest_disk_checks(g, _GUEST, images, max_blocks, rw_owner, extents)
        if any(f.code == "CK010" and f.message.startswith("guests ") for f in found):
            return None  # two guests hold one read-write disk: the message names who came first
        if found:
            local[g.name] = found
    if _duplicate_checks(userids, names):
        return None
    if _extent_checks(extents, plan.metadata.volume_model, _volume_models(plan)):
        return None  # CK013 names the minidisk by its path
    if any(".guests[" in f.path for f in _network_checks(plan)):
        return None  # CK030-CK033 of guests' NICs name their paths
    return local


def _placed_layout_checks(
    plan: ColonyPlan, max_blocks: int, cache: StageCache, guests_key: Hashable
) -> list[Finding] | None:
    """:func:`layout_checks` from the findings kept by guest (:func:`_guest_layout`, by what
    the guests are): only the placement is walked (each guest's path, the profiles, the host
    ids); None when the guests' findings cannot be kept so."""
    local = cache.get(
        "guest_layout_checks", (guests_key, max_blocks), lambda: _guest_layout(plan, max_blocks)
    )
    if local is None:
        return None
    out: list[Finding] = []
    images = {im.id for im in plan.images}
    for hi, host in enumerate(plan.hosts):
        hp = f"hosts[{hi}]"
        out += _profile_link_checks(host, hp, images)
        if local:
            for gi, g in enumerate(host.guests):
                for f in local.get(g.name, ()):
                    out.append(f.model_copy(update={"path": f"{hp}.guests[{gi}]{f.path[1:]}"}))
    out += cache.get("carry_checks", guests_key, lambda: _carry_checks(plan))
    out += _network_checks(plan, guests=False)
    out += _identity_checks(plan)
    return out


__all__ = [
    "EVIDENCE_SECTIONS",
    "Extents",
    "paging_required_gib",
    "channel_busy",
    "check_plan",
    "layout_checks",
    "size_checks",
]
