"""Feilong (z/VM Cloud Connector) REST bodies, checked against Feilong's own request schemas.

Per guest ``<host>/<userid>.json`` is the body of ``POST /guests``
(``zvmsdk.sdkwsgi.schemas.guest.create``), with Feilong's semantics (zvmsdk ``api.guest_create``
and ``smtclient.create_vm``, zVMCloudConnector 1.6.3):

* ``memory`` in MB, ``max_mem`` as ``^[1-9][0-9]{0,3}[mMgG]$``, ``max_cpu`` 1..64;
* ``user_profile`` names the directory PROFILE that holds the R/O ``LINK`` and the ``NICDEF``
  (Feilong has no LINK field);
* ``disk_list`` holds the guest's own R/W disks, ``size`` in cylinders for the ECKD pool and in
  512-byte blocks for a data disk on an EDEV (an ``FBA:`` pool) (Feilong: "Megabytes (M),
  Gigabytes (G), or number of cylinders/blocks"), the boot disk first with
  ``is_boot_disk`` (Feilong IPLs ``disk_list[0]`` when it is the boot disk), ``disk_pool`` as
  ``TYPE:NAME`` (``^\\w+:\\w+$``);
* ``ipl_from`` the IPL device (the R/O linked disk or an NSS name);
* ``cshare`` is **not** sent: Feilong's schema allows one word (``^(\\w{,64})$``), so
  ``"RELATIVE 100"`` is refused; Feilong then writes ``SHARE RELATIVE user_default_share_unit ×
  vCPUs`` (default 100 × vCPUs). A plan share that differs is listed as lost.

A NIC not defined by the profile gets ``<host>/<userid>.nic-<vdev>.json``
(``POST /guests/{userid}/nic``, schema ``create_nic``) and ``<host>/<userid>.nic-<vdev>.couple.json``
(``PUT /guests/{userid}/nic/{vdev}``, schema ``nic_couple_uncouple``).
"""

from __future__ import annotations

import json
import math
from typing import Any

from colonykit.errors import InputError
from colonykit.plan import ColonyPlan, Guest, Profile
from colonykit.plan.carry import Loss, by_subject, feilong_losses
from colonykit.render._common import line_text, matching, refuse

#: Feilong ``disk_list[].format`` values (zvmsdk/sdkwsgi/validation/parameter_types.py).
FEILONG_FORMATS: tuple[str, ...] = ("ext2", "ext3", "ext4", "xfs", "swap", "none")
_USERID = r"\w{1,8}"
_VDEV = r"[0-9a-fA-F]{1,4}"


def feilong_max_mem(mib: int) -> str:
    """``max_mem`` matching ``^[1-9][0-9]{0,3}[mMgG]$``.

    Parameters
    ----------
    mib : int
        Guest maximum memory [MiB].

    Examples
    --------
    >>> feilong_max_mem(8192), feilong_max_mem(20480)
    ('8192M', '20G')
    """
    return f"{mib}M" if mib <= 9999 else f"{math.ceil(mib / 1024)}G"


def _disk(s: Any, boot: bool, where: str) -> dict[str, Any]:
    vdev = matching(s.vdev, "storage.vdev", _VDEV, "a 1-4 digit hex device number", where)
    if s.kind == "mdisk":
        fmt = s.fs if s.fs in FEILONG_FORMATS else ("swap" if s.role == "swap" else "none")
        d: dict[str, Any] = {
            # on an EDEV (FBA pool) in 512-byte blocks, on ECKD in cylinders: both exact
            "size": str(
                int(s.size_blocks if s.size_cyl is None and s.size_blocks else s.size_cyl or 0)
            ),
            "format": fmt,
            "is_boot_disk": boot,
            "vdev": vdev,
        }
        if s.pool is not None:
            d["disk_pool"] = matching(
                s.pool,
                "storage.pool",
                r"\w+:\w+",
                "a Feilong disk pool TYPE:NAME (ECKD:POOL1)",
                where,
            )
        return d
    if s.kind == "tdisk":
        return {
            "size": str(int(s.size_cyl or 0)),
            "format": "swap",
            "is_boot_disk": False,
            "vdev": vdev,
        }
    return {
        "size": f"{int(s.size_mib or 0)}M",
        "format": "swap",
        "is_boot_disk": False,
        "vdev": vdev,
    }


def _bodies(
    plan: ColonyPlan,
    host_id: str,
    g: Guest,
    lost: list[Loss],
    profiles: dict[tuple[str, str], Profile],
    vswitch: dict[str, str],
) -> dict[str, str]:
    z = g.zvm
    if z is None:
        msg = f"guest {g.name} has no 'zvm' section; Feilong needs a userid"
        raise InputError(msg)
    where = f"render feilong, host {host_id}, guest {g.name}"
    userid = matching(
        z.userid, "zvm.userid", _USERID, "a Feilong userid (1-8 word characters)", where
    )
    ipl = z.ipl
    own = [s for s in g.storage if s.kind in ("mdisk", "tdisk", "vdisk")]
    own.sort(key=lambda s: s.vdev != ipl)  # the boot disk first (Feilong IPLs disk_list[0])
    disks = [_disk(s, s.kind == "mdisk" and s.vdev == ipl, where) for s in own]
    comments = [
        line_text(
            f"colonykit plan {plan.metadata.name} revision {plan.metadata.revision}, "
            f"design {plan.metadata.design}",
            "metadata.design",
            where,
        )
    ]
    for s in g.storage:
        if s.kind == "shared":
            comments.append(
                f"{s.vdev}: read-only link to {s.image} comes from user_profile {z.profile}"
            )
    comments += [f"cannot carry: {ls.what}" for ls in lost]
    guest: dict[str, Any] = {
        "userid": userid,
        "vcpus": int(g.vcpus),
        "memory": int(g.memory_mib),
        "disk_list": disks,
        "max_cpu": int(g.max_vcpus),
        "max_mem": feilong_max_mem(int(g.max_memory_mib)),
        "ipl_from": line_text(ipl, "zvm.ipl", where),
        "comments": comments,
    }
    if z.profile is not None:
        guest["user_profile"] = matching(
            z.profile, "zvm.profile", _USERID, "a Feilong profile name", where
        )
    out = {f"{host_id}/{userid}.json": json.dumps({"guest": guest}, indent=2) + "\n"}
    prof = profiles.get((host_id, z.profile)) if z.profile is not None else None
    if z.profile is not None and prof is None:
        field = "zvm.profile"
        raise refuse(field, f"a profile of host {host_id}", z.profile, where)
    in_profile: set[tuple[str, str]] = {(n.network, n.vdev) for n in prof.nics} if prof else set()
    for n in g.network:
        if not n.vdev or (n.network, n.vdev) in in_profile:
            continue
        vdev = matching(n.vdev, "network.vdev", _VDEV, "a 1-4 digit hex device number", where)
        nic: dict[str, Any] = {"vdev": vdev, "active": False}
        if n.mac:
            nic["mac_addr"] = matching(
                n.mac,
                "network.mac",
                r"[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}",
                "a MAC address like 02:00:00:00:00:01",
                where,
            )
        out[f"{host_id}/{userid}.nic-{vdev}.json"] = json.dumps({"nic": nic}, indent=2) + "\n"
        if n.network in vswitch:
            info = {"couple": True, "active": False, "vswitch": vswitch[n.network]}
            out[f"{host_id}/{userid}.nic-{vdev}.couple.json"] = (
                json.dumps({"info": info}, indent=2) + "\n"
            )
    return out


def render_feilong(plan: ColonyPlan) -> dict[str, str]:
    """Feilong ``POST /guests`` bodies (one JSON file per guest, plus NIC bodies when needed).

    Parameters
    ----------
    plan : ColonyPlan
        The plan (:func:`colonykit.plan.build_plan` or :func:`colonykit.export.load_plan`).

    Examples
    --------
    >>> import json
    >>> from colonykit import plan
    >>> files = render_feilong(plan.build_plan("data/examples/scenario.yaml").plan)
    >>> body = json.loads(files["lpar1/LNX00001.json"])
    >>> body["guest"]["user_profile"], body["guest"]["ipl_from"], "cshare" in body["guest"]
    ('LNXDFLT', '0201', False)
    """
    from colonykit.render import require

    require(plan, "feilong")
    lost = by_subject(feilong_losses(plan))  # grouped once: no scan of the list per guest
    star = lost.get("*", [])
    profiles: dict[tuple[str, str], Profile] = {}
    for h in plan.hosts:
        for p in h.profiles:
            profiles.setdefault((h.id, p.name), p)  # the first, as before
    vswitch = {n.id: n.zvm.vswitch for n in plan.networks if n.zvm is not None}
    out: dict[str, str] = {}
    for host in plan.hosts:
        for g in host.guests:
            out.update(_bodies(plan, host.id, g, lost.get(g.name, star), profiles, vswitch))
    return out


__all__ = [
    "FEILONG_FORMATS",
    "feilong_max_mem",
    "render_feilong",
]
