"""z/VM source directory: ``owners/USER.DIRECT``, ``<lpar>/USER.DIRECT``, ``<lpar>/SYSTEM.CONFIG``.

* ``owners/USER.DIRECT`` — the owner of the shared minidisks, **once** for all LPARs (seed 000:
  ``USER LINXBASE password 64M 512M G`` owns the golden base volume; it can be logged on for
  service and holds its disks ``MR``; guests only ever ``LINK … RR``).
* ``<lpar>/USER.DIRECT`` — one ``PROFILE`` (console/spool, ``NICDEF … TYPE QDIO LAN SYSTEM``,
  ``LINK owner vdev vdev RR``), then one ``USER`` entry per guest: ``INCLUDE``, ``CPU``,
  ``MACHINE ESA n``, ``IPL``, ``OPTION``, ``SHARE RELATIVE``, ``NAMESAVE`` before the device
  statements ``MDISK vdev 3390 start count volser MR``, ``MDISK vdev 3390 T-DISK cyl MR`` and
  ``MDISK vdev FB-512 V-DISK blocks MR`` (blocks = MiB × 2048; seed 000 ``MDISK 200 FB-512
  V-DISK 409600 MR`` = 200 MB).
* ``<lpar>/SYSTEM.CONFIG`` — a SYSTEM CONFIG snippet ``MODIFY VSWITCH name GRANT userid`` for
  every guest coupled to a VSWITCH: a ``NICDEF … LAN SYSTEM vswitch`` couples only when the
  userid is authorized (z/VM CP Planning and Administration, "MODIFY VSWITCH statement").
"""

from __future__ import annotations

from colonykit import storage
from colonykit.errors import InputError
from colonykit.plan import ColonyPlan, Guest, Host, StorageItem
from colonykit.render._common import dir_token, header, line_text, refuse
from colonykit.units import FBA_BLOCKS_PER_MIB

#: Storage of the owner of the shared minidisks: seed 000 ``USER LINXBASE password 64M 512M G``
#: ("you may need up to 512M to install SLES 9 although SLES 9 will run in 64M").
OWNER_STORAGE = "64M"
OWNER_MAX_STORAGE = "512M"
#: Seed 000's base server entry (``USER LINXBASE``): it IPLs CMS (its PROFILE EXEC on the 191
#: A-disk IPLs the Linux 201 disk), links CMS from MAINT, has a 1-cylinder 191 A-disk, a T-disk
#: at 200 for swap ("you may want to start at 40 cylinders") and the model 202 guest volume the
#: guests copy with DDR (its size must match the guests' 202).
SEED000_OWNER_LINKS: tuple[str, ...] = ("0190", "019E", "019D")
SEED000_ADISK_CYL = 1
SEED000_TDISK_CYL = 40
#: Folder of the owner entries (written once, whatever the number of LPARs).
OWNERS_DIR = "owners"


def storage_size(mib: int) -> str:
    """z/VM storage operand: whole GiB as ``nG``, else ``nM``.

    Parameters
    ----------
    mib : int
        Storage [MiB].

    Examples
    --------
    >>> storage_size(2048), storage_size(1536)
    ('2G', '1536M')
    """
    return f"{mib // 1024}G" if mib % 1024 == 0 else f"{mib}M"


def vdisk_blocks(size_mib: int) -> int:
    """512-byte blocks of a VDISK of ``size_mib`` MiB (× 2048).

    Parameters
    ----------
    size_mib : int
        VDISK size [MiB].

    Examples
    --------
    >>> vdisk_blocks(200)  # seed 000: MDISK 200 FB-512 V-DISK 409600 MR
    409600
    """
    return int(size_mib) * FBA_BLOCKS_PER_MIB


def owners(plan: ColonyPlan) -> dict[str, list]:
    """Owner userid → the shared images it owns (z/VM plans).

    Parameters
    ----------
    plan : ColonyPlan
        The plan (:func:`colonykit.plan.build_plan` or :func:`colonykit.export.load_plan`).
    """
    out: dict[str, list] = {}
    for im in plan.images:
        if im.zvm is not None and im.zvm.owner:
            out.setdefault(im.zvm.owner, []).append(im)
    return out


def _mdisk_line(s: StorageItem, where: str) -> str:
    vdev = dir_token(s.vdev, "storage.vdev", where)
    if s.kind == "mdisk" and s.volume_model == "EDEV":  # FB-512 minidisk on an EDEV (FCP LUN)
        volser = dir_token(s.volser, "storage.volser", where)
        return (
            f" MDISK {vdev} FB-512 {int(s.start_block or 0)} {int(s.size_blocks or 0)} {volser} MR"
        )
    if s.kind == "mdisk":
        volser = dir_token(s.volser, "storage.volser", where)
        return f" MDISK {vdev} 3390 {int(s.start_cyl or 0):04d} {int(s.size_cyl or 0)} {volser} MR"
    if s.kind == "tdisk":
        return f" MDISK {vdev} 3390 T-DISK {int(s.size_cyl or 0)} MR"
    if s.kind == "vdisk":
        return f" MDISK {vdev} FB-512 V-DISK {vdisk_blocks(s.size_mib or 0)} MR"
    msg = f"storage kind {s.kind!r} has no MDISK form"
    raise InputError(msg)


def volume_sizes(plan: ColonyPlan) -> dict[str, int]:
    """Size of every volume the plan's minidisks are on: cylinders (3390) or 512-byte blocks (EDEV).

    What :func:`colonykit.render.zvm_check.check_directory` takes as ``volume_cyl`` when a plan
    mixes volume models (``storage.data_volumes``); an EDEV counts as the largest one.

    Parameters
    ----------
    plan : ColonyPlan
        The plan.
    """
    base = plan.metadata.volume_model
    out = {im.zvm.volser: int(storage.geometry(base).cylinders) for im in plan.images if im.zvm}
    for _h, g in plan.guests():
        for s in g.storage:
            if s.kind == "mdisk" and s.volser and s.volser not in out:
                vm = s.volume_model or base
                out[s.volser] = (
                    storage.edev_blocks() if vm == "EDEV" else int(storage.geometry(vm).cylinders)
                )
    return out


def _nicdef(
    vdev: str, network: str, nic_type: dict[str, str], vswitch: dict[str, str], where: str
) -> str:
    return (
        f" NICDEF {dir_token(vdev, 'network.vdev', where)} TYPE "
        f"{dir_token(nic_type.get(network, 'QDIO'), 'networks.zvm.nic_type', where)} LAN SYSTEM "
        f"{dir_token(vswitch.get(network, network.upper()), 'networks.zvm.vswitch', where)}"
    )


def _user_entry(
    g: Guest,
    host: Host,
    image_owner: dict[str, tuple[str, str]],
    vswitch: dict[str, str],
    nic_type: dict[str, str],
) -> list[str]:
    z = g.zvm
    assert z is not None
    where = f"render zvm, host {host.id}, guest {g.name}"
    tok = lambda value, field: dir_token(value, f"zvm.{field}", where)  # noqa: E731
    lines = [
        f"USER {tok(z.userid, 'userid')} {tok(z.password, 'password')} "
        f"{storage_size(g.memory_mib)} {storage_size(g.max_memory_mib)} {tok(z.privclass, 'privclass')}"
    ]
    profile = next((p for p in host.profiles if p.name == z.profile), None)
    if z.profile is not None and profile is None:
        field = "zvm.profile"
        raise refuse(
            field,
            f"a profile of host {host.id} ({[p.name for p in host.profiles]})",
            z.profile,
            where,
        )
    if z.profile is not None:
        lines.append(f" INCLUDE {tok(z.profile, 'profile')}")
    lines.append(" CPU 00 BASE")
    lines.extend(f" CPU {i:02X}" for i in range(1, g.vcpus))
    lines.append(f" MACHINE {tok(z.machine, 'machine')} {int(g.max_vcpus)}")
    lines.append(f" IPL {tok(z.ipl, 'ipl')}")
    if z.options:
        lines.append(f" OPTION {' '.join(tok(o, 'options') for o in z.options)}")
    lines.append(f" SHARE RELATIVE {int(g.share_relative)}")
    lines.extend(f" NAMESAVE {tok(n, 'namesave')}" for n in z.namesave)
    in_profile = {(lk.image, lk.vdev) for lk in profile.links} if profile else set()
    nics_in_profile = {(n.network, n.vdev) for n in profile.nics} if profile else set()
    for s in g.storage:
        if s.kind == "shared":
            if (s.image, s.vdev) not in in_profile:
                if (s.image or "") not in image_owner:
                    msg = f"guest {g.name}: disk {s.vdev} links unknown image {s.image!r}"
                    raise InputError(msg)
                owner, owner_vdev = image_owner[s.image or ""]
                lines.append(
                    f" LINK {dir_token(owner, 'images.zvm.owner', where)} "
                    f"{dir_token(owner_vdev, 'images.zvm.vdev', where)} "
                    f"{dir_token(s.vdev, 'storage.vdev', where)} RR"
                )
        elif s.kind in ("mdisk", "tdisk", "vdisk"):
            lines.append(_mdisk_line(s, where))
    for n in g.network:
        if n.vdev and (n.network, n.vdev) not in nics_in_profile:
            lines.append(_nicdef(n.vdev, n.network, nic_type, vswitch, where))
    return lines


def _owner_entries(plan: ColonyPlan) -> list[str]:
    where = "render zvm, owners"
    password = next(
        (g.zvm.password for h in plan.hosts for g in h.guests if g.zvm is not None), "XXXXXXXX"
    )
    lines: list[str] = []
    seed000 = _is_seed000(plan)
    for owner, ims in owners(plan).items():
        ipl = "CMS" if seed000 else ims[0].zvm.vdev
        lines += [
            "*",
            f"* {owner}: owner of the shared minidisks, logged on only for service (seed 000",
            "* base server): its disks are MR; guests link them RR and re-IPL after service",
            *(
                ["* IPL CMS: the PROFILE EXEC on its 191 A-disk IPLs the Linux 201 disk (seed 000)"]
                if seed000
                else []
            ),
            f"USER {dir_token(owner, 'images.zvm.owner', where)} "
            f"{dir_token(password, 'zvm.password', where)} {OWNER_STORAGE} {OWNER_MAX_STORAGE} G",
            " MACHINE ESA",
            f" IPL {dir_token(ipl, 'images.zvm.vdev', where)}",
            " CONSOLE 0009 3215 T",
            " SPOOL 000C 2540 READER *",
            " SPOOL 000D 2540 PUNCH A",
            " SPOOL 000E 1403 A",
        ]
        lines += [
            f" MDISK {dir_token(im.zvm.vdev, 'images.zvm.vdev', where)} 3390 "
            f"{int(im.zvm.start_cyl):04d} {int(im.zvm.count_cyl)} "
            f"{dir_token(im.zvm.volser, 'images.zvm.volser', where)} MR"
            for im in ims
        ]
        if seed000:
            lines[-len(ims) : -len(ims)] = [
                f" LINK MAINT {v} {v} RR" for v in SEED000_OWNER_LINKS
            ]  # CMS system disks, before the MDISKs as seed 000 lists them
            lines += _seed000_disks(plan, ims, where)
    return lines


def _is_seed000(plan: ColonyPlan) -> bool:
    """True for seed 000's design (its base server IPLs CMS and owns the model 202)."""
    from colonykit import designs

    try:
        return designs.get_design(plan.metadata.design).seed == "seed 000"
    except (KeyError, ValueError):  # a design from the scenario's own file
        return False


def _seed000_disks(plan: ColonyPlan, ims: list, where: str) -> list[str]:
    """Seed 000's 191 A-disk, 200 T-disk and model 202, after the last extent on the base volume."""
    from colonykit import storage

    vol = ims[0].zvm.volser
    used = [
        im.zvm.start_cyl + im.zvm.count_cyl for im in plan.images if im.zvm and im.zvm.volser == vol
    ]
    used += [
        (s.start_cyl or 0) + (s.size_cyl or 0)
        for _h, g in plan.guests()
        for s in g.storage
        if s.volser == vol
    ]
    model = next(
        (s for _h, g in plan.guests() for s in g.storage if s.kind == "mdisk" and s.vdev == "0202"),
        None,
    )
    model_cyl = int(model.size_cyl or 0) if model is not None else 0
    first = max(used, default=1)
    last = int(storage.geometry(plan.metadata.volume_model).cylinders) - 1
    tdisk = f" MDISK 0200 3390 T-DISK {SEED000_TDISK_CYL} MR"
    if first + SEED000_ADISK_CYL + model_cyl - 1 > last:
        return [
            tdisk,
            f"* MDISK 0191 ({SEED000_ADISK_CYL} cyl) and the model 0202 ({model_cyl} cyl): no room "
            f"left on {vol}; place them on another volume",
        ]
    out = [
        f" MDISK 0191 3390 {first:04d} {SEED000_ADISK_CYL} {dir_token(vol, 'images.zvm.volser', where)} MR",
        tdisk,
    ]
    if model_cyl:
        out += [
            "* 0202: the model guest volume each new guest copies with DDR (seed 000)",
            f" MDISK 0202 3390 {first + SEED000_ADISK_CYL:04d} {model_cyl} "
            f"{dir_token(vol, 'images.zvm.volser', where)} MR",
        ]
    return out


def _system_config(plan: ColonyPlan, host: Host, vswitch: dict[str, str]) -> str:
    where = f"render zvm, host {host.id}"
    lines = [f"/* {ln[2:]} */" for ln in header(plan, host, "#", "zvm")]
    lines.append("/* authorize every guest of this LPAR on its VSWITCH (NICDEF ... LAN SYSTEM) */")
    for g in host.guests:
        if g.zvm is None:
            continue
        for n in g.network:
            if n.network in vswitch:
                lines.append(
                    f"MODIFY VSWITCH {dir_token(vswitch[n.network], 'networks.zvm.vswitch', where)} "
                    f"GRANT {dir_token(g.zvm.userid, 'zvm.userid', where)}"
                )
    return "\n".join(lines) + "\n"


def render_zvm(plan: ColonyPlan) -> dict[str, str]:
    """z/VM directory: the owner entry once, one ``USER.DIRECT`` and ``SYSTEM.CONFIG`` per LPAR.

    Parameters
    ----------
    plan : ColonyPlan
        The plan (:func:`colonykit.plan.build_plan` or :func:`colonykit.export.load_plan`).

    Examples
    --------
    >>> from colonykit import plan
    >>> files = render_zvm(plan.build_plan("data/examples/scenario.yaml").plan)
    >>> sorted(files)
    ['lpar1/SYSTEM.CONFIG', 'lpar1/USER.DIRECT', 'owners/USER.DIRECT']
    >>> [ln for ln in files["lpar1/USER.DIRECT"].splitlines() if ln.startswith(" LINK")]
    [' LINK LINXBASE 0201 0201 RR']
    """
    from colonykit.render import losses, require

    require(plan, "zvm")
    lost = losses(plan, "zvm")
    vswitch = {n.id: n.zvm.vswitch for n in plan.networks if n.zvm is not None}
    nic_type = {n.id: n.zvm.nic_type for n in plan.networks if n.zvm is not None}
    images = {im.id: im for im in plan.images}
    image_owner = {
        im.id: (im.zvm.owner or "", im.zvm.vdev) for im in plan.images if im.zvm is not None
    }
    star = lambda lines: [f"* {ln[2:]}" if ln.startswith("# ") else ln for ln in lines]  # noqa: E731
    out: dict[str, str] = {}
    own = _owner_entries(plan)
    if own:
        out[f"{OWNERS_DIR}/USER.DIRECT"] = (
            "\n".join(star(header(plan, None, "#", "zvm")) + own) + "\n"
        )
    for host in plan.hosts:
        lines = star(header(plan, host, "#", "zvm"))
        lines += [f"* cannot carry: {ls.what}" for ls in lost if ls.subject in ("*", host.id)]
        lines += [
            f"* LINK targets owned by {o}: defined once in {OWNERS_DIR}/USER.DIRECT"
            for o in owners(plan)
        ]
        for prof in host.profiles:
            where = f"render zvm, host {host.id}, profile {prof.name}"
            lines += [
                "*",
                f"PROFILE {dir_token(prof.name, 'profiles.name', where)}",
                " CONSOLE 0009 3215 T",
                " SPOOL 000C 2540 READER *",
                " SPOOL 000D 2540 PUNCH A",
                " SPOOL 000E 1403 A",
            ]
            lines += [_nicdef(n.vdev, n.network, nic_type, vswitch, where) for n in prof.nics]  # type: ignore[arg-type]
            for lk in prof.links:
                im = images.get(lk.image)
                if im is None or im.zvm is None:
                    msg = f"profile {prof.name}: LINK to unknown image {lk.image!r}"
                    raise InputError(msg)
                lines.append(
                    f" LINK {dir_token(im.zvm.owner, 'images.zvm.owner', where)} "
                    f"{dir_token(im.zvm.vdev, 'images.zvm.vdev', where)} "
                    f"{dir_token(lk.vdev, 'profiles.links.vdev', where)} "
                    f"{dir_token(lk.mode, 'profiles.links.mode', where)}"
                )
        for g in host.guests:
            if g.zvm is None:
                msg = f"guest {g.name} has no 'zvm' section; the z/VM renderer needs a userid"
                raise InputError(msg)
            lines.append("*")
            lines += _user_entry(g, host, image_owner, vswitch, nic_type)  # type: ignore[arg-type]
        out[f"{host.id}/USER.DIRECT"] = (
            "\n".join(line_text(ln, "directory line", "render zvm") for ln in lines) + "\n"
        )
        out[f"{host.id}/SYSTEM.CONFIG"] = _system_config(plan, host, vswitch)
    return out


__all__ = [
    "OWNER_STORAGE",
    "OWNER_MAX_STORAGE",
    "OWNERS_DIR",
    "storage_size",
    "vdisk_blocks",
    "owners",
    "render_zvm",
    "volume_sizes",
]
