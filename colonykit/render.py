"""Renderers: a :class:`~colonykit.plan.ColonyPlan` → files for real provisioning tools.

Each renderer is a pure function ``plan -> {relative path: text}`` (no I/O; paths are
relative to the target's folder, ``render/<target>/`` in a plan output); write the
result with :func:`colonykit.export.write_plan` or :func:`colonykit._atomic.atomic_write_tree`.
Field names follow ``provisioning-formats.md`` (§1a–§1e):

``zvm``
    z/VM source directory per LPAR (``<host>/USER.DIRECT``): the owner of the shared
    minidisks (``USER … NOLOG``), one ``PROFILE`` holding the console/spool, ``NICDEF … TYPE
    QDIO LAN SYSTEM`` and ``LINK owner vdev vdev RR`` lines, then one ``USER`` entry per guest
    with ``INCLUDE``, ``CPU``, ``MACHINE ESA n``, ``IPL``, ``OPTION``, ``SHARE RELATIVE``,
    ``NAMESAVE`` (restricted NSS/DCSS) before the device statements ``MDISK vdev 3390 start
    count volser MR``, ``MDISK vdev 3390 T-DISK cyl MR`` and ``MDISK vdev FB-512 V-DISK
    blocks MR`` (blocks = MiB × 2048).
``feilong``
    One ``POST /guests`` body per guest (``<host>/<userid>.json``): ``userid``,
    ``vcpus``, ``memory`` (MB), ``user_profile`` (which holds the R/O LINK: Feilong has no
    LINK field), ``ipl_from``, ``disk_list`` of the R/W disks and swap, ``max_cpu``,
    ``max_mem``, ``cshare``, ``comments``.
``xen``
    One ``xl.cfg`` per domU (``<host>/<name>.cfg``): keyed disk specs
    ``format=raw, vdev=xvda, access=ro, target=…`` (``target`` last), NFS root through
    ``root="/dev/nfs"`` and ``extra="nfsroot=… ip=dhcp"``, ``vif`` with ``mac``/``bridge``.
``ansible``
    A YAML inventory (``inventory.yml``): ``all`` → ``vars`` and ``children``, one
    group per host/LPAR and one per guest role.

Examples
--------
>>> from colonykit import plan, render
>>> p = plan.build_plan("data/examples/scenario.yaml").plan
>>> files = render.render(p, "zvm")
>>> list(files)
['lpar1/USER.DIRECT']
>>> sum(line.startswith("USER LNX") for line in files["lpar1/USER.DIRECT"].splitlines())
26
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from typing import Any

import yaml

from colonykit.errors import InputError, unknown_name
from colonykit.plan import ColonyPlan, Guest, Host, StorageItem
from colonykit.units import FBA_BLOCKS_PER_MIB

#: Renderer targets and the platform each needs (None: any).
TARGETS: dict[str, str | None] = {"zvm": "zvm", "feilong": "zvm", "xen": "xen", "ansible": None}
#: Feilong ``disk_list[].format`` values (zvmsdk/sdkwsgi/validation/parameter_types.py).
FEILONG_FORMATS: tuple[str, ...] = ("ext2", "ext3", "ext4", "xfs", "swap", "none")
#: Xen ``cpu_weight`` of a domain with the default share (xl.cfg(5): default 256); the z/VM
#: default relative share is 100, so ``cpu_weight = share_relative × 256 / 100``.
XEN_DEFAULT_CPU_WEIGHT = 256
ZVM_DEFAULT_SHARE = 100
#: Storage and privilege class of the owner of shared minidisks (never logs on), as in the
#: provisioning-formats.md §1a example ``USER LNXBASE NOLOG 64M 64M G``.
OWNER_STORAGE = "64M"


def _storage_size(mib: int) -> str:
    """z/VM storage operand: whole GiB as ``nG``, else ``nM``.

    Examples
    --------
    >>> _storage_size(2048), _storage_size(1536)
    ('2G', '1536M')
    """
    return f"{mib // 1024}G" if mib % 1024 == 0 else f"{mib}M"


def vdisk_blocks(size_mib: int) -> int:
    """512-byte blocks of a VDISK of ``size_mib`` MiB (× 2048).

    Examples
    --------
    >>> vdisk_blocks(512)
    1048576
    """
    return int(size_mib) * FBA_BLOCKS_PER_MIB


def _header(plan: ColonyPlan, host: Host | None, comment: str) -> list[str]:
    m = plan.metadata
    text = f"{comment} colonykit plan {m.name} revision {m.revision}, design {m.design}"
    if host is not None:
        text += f", host {host.id}"
    return [text, f"{comment} generated from a plan: edit the plan and re-render, not this file"]


def _owners(plan: ColonyPlan) -> dict[str, list[Any]]:
    owners: dict[str, list[Any]] = {}
    for im in plan.images:
        if im.zvm is not None and im.zvm.owner:
            owners.setdefault(im.zvm.owner, []).append(im)
    return owners


# --------------------------------------------------------------------------- z/VM directory
def _mdisk_line(s: StorageItem) -> str:
    if s.kind == "mdisk":
        return f" MDISK {s.vdev} 3390 {s.start_cyl:04d} {s.size_cyl} {s.volser} MR"
    if s.kind == "tdisk":
        return f" MDISK {s.vdev} 3390 T-DISK {s.size_cyl} MR"
    if s.kind == "vdisk":
        return f" MDISK {s.vdev} FB-512 V-DISK {vdisk_blocks(s.size_mib or 0)} MR"
    msg = f"storage kind {s.kind!r} has no MDISK form"
    raise InputError(msg)


def _user_entry(g: Guest, host: Host, image_owner: dict[str, tuple[str, str]],
                vswitch: dict[str, str], nic_type: dict[str, str]) -> list[str]:
    z = g.zvm
    assert z is not None
    lines = [f"USER {z.userid} {z.password} {_storage_size(g.memory_mib)} "
             f"{_storage_size(g.max_memory_mib)} {z.privclass}"]
    profile = next((p for p in host.profiles if p.name == z.profile), None)
    if z.profile:
        lines.append(f" INCLUDE {z.profile}")
    lines.append(" CPU 00 BASE")
    lines.extend(f" CPU {i:02X}" for i in range(1, g.vcpus))
    lines.append(f" MACHINE {z.machine} {g.max_vcpus}")
    lines.append(f" IPL {z.ipl}")
    if z.options:
        lines.append(f" OPTION {' '.join(z.options)}")
    lines.append(f" SHARE RELATIVE {g.share_relative}")
    lines.extend(f" NAMESAVE {n}" for n in z.namesave)
    in_profile = {(lk.image, lk.vdev) for lk in profile.links} if profile else set()
    nics_in_profile = {(n.network, n.vdev) for n in profile.nics} if profile else set()
    for s in g.storage:
        if s.kind == "shared":
            if (s.image, s.vdev) not in in_profile:
                owner, owner_vdev = image_owner[s.image or ""]
                lines.append(f" LINK {owner} {owner_vdev} {s.vdev} RR")
        elif s.kind in ("mdisk", "tdisk", "vdisk"):
            lines.append(_mdisk_line(s))
    for n in g.network:
        if n.vdev and (n.network, n.vdev) not in nics_in_profile:
            lines.append(f" NICDEF {n.vdev} TYPE {nic_type.get(n.network, 'QDIO')} LAN SYSTEM "
                         f"{vswitch.get(n.network, n.network.upper())}")
    return lines


def render_zvm(plan: ColonyPlan) -> dict[str, str]:
    """z/VM user directory entries, one ``USER.DIRECT`` per LPAR.

    Examples
    --------
    >>> from colonykit import plan
    >>> text = render_zvm(plan.build_plan("data/examples/scenario.yaml").plan)["lpar1/USER.DIRECT"]
    >>> [ln for ln in text.splitlines() if "LINK" in ln]
    [' LINK LINXBASE 0201 0201 RR']
    """
    _require(plan, "zvm")
    vswitch = {n.id: n.zvm.vswitch for n in plan.networks if n.zvm is not None}
    nic_type = {n.id: n.zvm.nic_type for n in plan.networks if n.zvm is not None}
    images = {im.id: im for im in plan.images}
    image_owner = {im.id: (im.zvm.owner or "", im.zvm.vdev) for im in plan.images
                   if im.zvm is not None}
    out: dict[str, str] = {}
    for host in plan.hosts:
        lines = [f"* {ln[2:]}" if ln.startswith("# ") else ln for ln in _header(plan, host, "#")]
        for owner, ims in _owners(plan).items():
            lines += ["*", "* Owner of the shared read-only minidisks: never logs on",
                      f"USER {owner} NOLOG {OWNER_STORAGE} {OWNER_STORAGE} G"]
            lines += [f" MDISK {im.zvm.vdev} 3390 {im.zvm.start_cyl:04d} {im.zvm.count_cyl} "
                      f"{im.zvm.volser} RR" for im in ims]
        for prof in host.profiles:
            lines += ["*", f"PROFILE {prof.name}", " CONSOLE 0009 3215 T", " SPOOL 000C 2540 READER *",
                      " SPOOL 000D 2540 PUNCH A", " SPOOL 000E 1403 A"]
            for n in prof.nics:
                lines.append(f" NICDEF {n.vdev} TYPE {nic_type.get(n.network, 'QDIO')} LAN SYSTEM "
                             f"{vswitch.get(n.network, n.network.upper())}")
            for lk in prof.links:
                im = images.get(lk.image)
                if im is None or im.zvm is None:
                    msg = f"profile {prof.name}: LINK to unknown image {lk.image!r}"
                    raise InputError(msg)
                lines.append(f" LINK {im.zvm.owner} {im.zvm.vdev} {lk.vdev} {lk.mode}")
        for g in host.guests:
            if g.zvm is None:
                msg = f"guest {g.name} has no 'zvm' section; the z/VM renderer needs a userid"
                raise InputError(msg)
            lines.append("*")
            lines += _user_entry(g, host, image_owner, vswitch, nic_type)
        out[f"{host.id}/USER.DIRECT"] = "\n".join(lines) + "\n"
    return out


# --------------------------------------------------------------------------- Feilong
def _feilong_max_mem(mib: int) -> str:
    """``max_mem`` matching ``^[1-9][0-9]{0,3}[mMgG]$``.

    Examples
    --------
    >>> _feilong_max_mem(8192), _feilong_max_mem(20480)
    ('8192M', '20G')
    """
    return f"{mib}M" if mib <= 9999 else f"{math.ceil(mib / 1024)}G"


def render_feilong(plan: ColonyPlan) -> dict[str, str]:
    """Feilong (z/VM Cloud Connector) ``POST /guests`` bodies, one JSON file per guest.

    Examples
    --------
    >>> import json
    >>> from colonykit import plan
    >>> files = render_feilong(plan.build_plan("data/examples/scenario.yaml").plan)
    >>> body = json.loads(files["lpar1/LNX00001.json"])
    >>> body["guest"]["user_profile"], body["guest"]["ipl_from"]
    ('LNXDFLT', '0201')
    """
    _require(plan, "feilong")
    out: dict[str, str] = {}
    for host in plan.hosts:
        for g in host.guests:
            z = g.zvm
            if z is None:
                msg = f"guest {g.name} has no 'zvm' section; Feilong needs a userid"
                raise InputError(msg)
            disks: list[dict[str, Any]] = []
            comments: list[str] = [f"colonykit plan {plan.metadata.name} revision "
                                   f"{plan.metadata.revision}, design {plan.metadata.design}"]
            for s in g.storage:
                if s.kind == "shared":
                    comments.append(f"{s.vdev}: read-only link to {s.image} comes from user_profile "
                                    f"{z.profile} (Feilong has no LINK field)")
                elif s.kind == "mdisk":
                    fmt = s.fs if s.fs in FEILONG_FORMATS else ("swap" if s.role == "swap" else "none")
                    d = {"size": str(s.size_cyl), "format": fmt,
                         "is_boot_disk": s.vdev == z.ipl, "vdev": s.vdev}
                    if s.pool:
                        d["disk_pool"] = s.pool
                    disks.append(d)
                elif s.kind == "tdisk":
                    d = {"size": str(s.size_cyl), "format": "swap", "is_boot_disk": False, "vdev": s.vdev}
                    disks.append(d)
                    comments.append(f"{s.vdev}: T-disk swap of {s.size_cyl} cyl in the plan; Feilong "
                                    "creates a swap minidisk instead (no T-DISK support)")
                elif s.kind == "vdisk":
                    disks.append({"size": f"{s.size_mib}M", "format": "swap", "is_boot_disk": False,
                                  "vdev": s.vdev})
                    comments.append(f"{s.vdev}: VDISK swap ({vdisk_blocks(s.size_mib or 0)} blocks) "
                                    "needs [zvm] swap_default_with_mdisk=False in Feilong")
            body = {"guest": {
                "userid": z.userid, "vcpus": g.vcpus, "memory": g.memory_mib,
                "user_profile": z.profile or "", "disk_list": disks, "max_cpu": g.max_vcpus,
                "max_mem": _feilong_max_mem(g.max_memory_mib), "ipl_from": z.ipl,
                "cshare": f"RELATIVE {g.share_relative}", "comments": comments,
            }}
            out[f"{host.id}/{z.userid}.json"] = json.dumps(body, indent=2) + "\n"
    return out


# --------------------------------------------------------------------------- Xen xl.cfg
def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render_xen(plan: ColonyPlan) -> dict[str, str]:
    """Xen ``xl.cfg`` files, one per domU.

    Examples
    --------
    >>> from colonykit import plan
    >>> s = plan.load_scenario("data/examples/scenario.yaml")
    >>> s.design.name, s.design.overrides = "xen-shared-root-image", {}
    >>> files = render_xen(plan.build_plan(s).plan)
    >>> [ln for ln in files["xen1/file-01.cfg"].splitlines() if "access=ro" in ln][0].strip()
    "disk = [ 'format=raw, vdev=xvda, access=ro, target=/srv/xen/images/xen-shared-root-image-root.img',"
    """
    _require(plan, "xen")
    images = {im.id: im for im in plan.images}
    bridges = {n.id: n.xen.bridge for n in plan.networks if n.xen is not None}
    out: dict[str, str] = {}
    for host in plan.hosts:
        for g in host.guests:
            x = g.xen
            if x is None:
                msg = f"guest {g.name} has no 'xen' section; the Xen renderer needs kernel/root"
                raise InputError(msg)
            weight = max(1, min(65535, round(g.share_relative * XEN_DEFAULT_CPU_WEIGHT / ZVM_DEFAULT_SHARE)))
            lines = _header(plan, host, "#") + [
                f"name = {_q(g.name)}", f"type = {_q(x.type)}", f"vcpus = {g.vcpus}",
                f"maxvcpus = {g.max_vcpus}", f"memory = {g.memory_mib}", f"maxmem = {g.max_memory_mib}",
                f"cpu_weight = {weight}"]
            if x.kernel:
                lines.append(f"kernel = {_q(x.kernel)}")
            if x.ramdisk:
                lines.append(f"ramdisk = {_q(x.ramdisk)}")
            if x.root:
                lines.append(f"root = {_q(x.root)}")
            if x.extra:
                lines.append(f"extra = {_q(x.extra)}")
            specs = []
            for s in g.storage:
                if s.kind == "shared":
                    im = images.get(s.image or "")
                    if im is None or im.xen is None:
                        msg = f"guest {g.name}: disk {s.vdev} names unknown Xen image {s.image!r}"
                        raise InputError(msg)
                    specs.append(f"format={im.xen.format}, vdev={s.vdev}, access=ro, target={im.xen.target}")
                elif s.kind == "image":
                    specs.append(f"format=raw, vdev={s.vdev}, access={s.access}, target={s.target}")
                elif s.kind == "nfs":
                    continue  # NFS root: root/extra above
                else:
                    msg = f"guest {g.name}: storage kind {s.kind!r} cannot be rendered for Xen"
                    raise InputError(msg)
            if specs:
                body = ",\n         ".join(f"'{sp}'" for sp in specs)
                lines.append(f"disk = [ {body} ]")
            vifs = []
            for n in g.network:
                parts = []
                if n.mac:
                    parts.append(f"mac={n.mac}")
                parts.append(f"bridge={bridges.get(n.network, n.network)}")
                vifs.append("'" + ",".join(parts) + "'")
            if vifs:
                lines.append(f"vif = [ {', '.join(vifs)} ]")
            out[f"{host.id}/{g.name}.cfg"] = "\n".join(lines) + "\n"
    return out


# --------------------------------------------------------------------------- Ansible
def _group(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]", "_", text).lower()


def render_ansible(plan: ColonyPlan) -> dict[str, str]:
    """Ansible YAML inventory: one group per host/LPAR and one per guest role.

    Examples
    --------
    >>> import yaml
    >>> from colonykit import plan
    >>> inv = yaml.safe_load(render_ansible(plan.build_plan("data/examples/scenario.yaml").plan)
    ...                      ["inventory.yml"])
    >>> inv["all"]["children"]["lpar1"]["hosts"]["file-01"]["ansible_host"]
    '10.1.0.11'
    """
    children: dict[str, Any] = {}
    roles: dict[str, dict[str, None]] = {}
    for host in plan.hosts:
        hosts: dict[str, Any] = {}
        for g in host.guests:
            hv: dict[str, Any] = {}
            ip = next((n.ip for n in g.network if n.ip), None)
            if ip:
                hv["ansible_host"] = ip.split("/")[0]
            if g.zvm is not None:
                hv["colony_userid"] = g.zvm.userid
            hv.update({"colony_vcpus": g.vcpus, "colony_memory_mib": g.memory_mib,
                       "colony_host": host.id, "colony_platform": host.platform})
            hosts[g.name] = hv
            role = g.tags.get("role")
            if role:
                roles.setdefault(f"role_{_group(role)}", {})[g.name] = None
        children[_group(host.id)] = {"hosts": hosts}
    for name in sorted(roles):
        children[name] = {"hosts": roles[name]}
    doc = {"all": {"vars": {"colony_plan": plan.metadata.name,
                            "colony_plan_revision": plan.metadata.revision,
                            "colony_design": plan.metadata.design},
                   "children": children}}
    text = "\n".join(_header(plan, None, "#")) + "\n"
    text += yaml.safe_dump(doc, sort_keys=False, default_flow_style=False, width=100)
    return {"inventory.yml": text}


# --------------------------------------------------------------------------- dispatch
RENDERERS: dict[str, Callable[[ColonyPlan], dict[str, str]]] = {
    "zvm": render_zvm, "feilong": render_feilong, "xen": render_xen, "ansible": render_ansible,
}


def _require(plan: ColonyPlan, target: str) -> None:
    need = TARGETS[target]
    if need is not None and plan.metadata.platform != need:
        msg = (f"target {target!r} needs a {need} plan; this plan is for {plan.metadata.platform} "
               f"(targets for it: {targets_for(plan)})")
        raise InputError(msg)


def targets_for(plan: ColonyPlan) -> list[str]:
    """Renderer targets that apply to the plan's platform.

    Examples
    --------
    >>> from colonykit import plan
    >>> targets_for(plan.build_plan("data/examples/scenario.yaml").plan)
    ['zvm', 'feilong', 'ansible']
    """
    return [t for t, need in TARGETS.items() if need in (None, plan.metadata.platform)]


def render(plan: ColonyPlan, target: str) -> dict[str, str]:
    """Render a plan for one target (``zvm``, ``feilong``, ``xen``, ``ansible``).

    Raises
    ------
    UnknownNameError
        Unknown target.
    InputError
        The target does not apply to the plan's platform, or the plan lacks what it needs.
    """
    if target not in RENDERERS:
        err = unknown_name("render target", target, RENDERERS)
        raise err
    return RENDERERS[target](plan)


__all__ = [
    "RENDERERS",
    "TARGETS",
    "render",
    "render_ansible",
    "render_feilong",
    "render_xen",
    "render_zvm",
    "targets_for",
    "vdisk_blocks",
]
