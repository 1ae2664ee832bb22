"""cloud-init NoCloud seed per guest: ``<host>/<name>/user-data`` and ``<host>/<name>/network-config``.

``user-data`` (``#cloud-config``): ``hostname``, one ``users`` entry whose SSH key is a
placeholder the site replaces at provisioning (never a real key or password in a plan),
``mounts`` for the design's own disks other than root (read-write areas ``defaults``, shared
read-only disks ``ro``) and for swap; a V-DISK or T-disk is empty at every logon, so
``bootcmd`` runs ``mkswap`` on it before the mounts are activated (seed 000/001 swap devices).

``network-config`` (version 2): one ethernet per planned NIC with the planned static address;
on z/VM the qeth device is matched by its predictable name ``enc<vdev>`` (systemd naming of CCW
devices, e.g. ``enc600`` for 0600), on Xen by the planned MAC.

Device names: ``/dev/disk/by-path/ccw-0.0.<vdev>-part1`` on z/VM (one partition per minidisk),
``/dev/<vdev>`` on Xen.
"""

from __future__ import annotations

from typing import Any

import yaml

from colonykit.plan import ColonyPlan, Guest, StorageItem
from colonykit.render._common import file_name, header, ip_interface, line_text

#: SSH key placeholder written into user-data; the site replaces it at provisioning time.
SSH_KEY_PLACEHOLDER = "ssh-ed25519 AAAA-REPLACE-AT-PROVISIONING colony-admin"
#: Login user created in every guest.
ADMIN_USER = "colony"


def _device(s: StorageItem, platform: str) -> str:
    if platform == "zvm":
        return f"/dev/disk/by-path/ccw-0.0.{s.vdev.lower()}-part1"
    return f"/dev/{s.vdev}"


def _user_data(plan: ColonyPlan, host_id: str, platform: str, g: Guest) -> str:
    where = f"render cloud-init, host {host_id}, guest {g.name}"
    mounts: list[list[str]] = []
    bootcmd: list[str] = []
    for s in g.storage:
        if s.kind == "nfs" or s.role == "root":
            continue
        dev = line_text(_device(s, platform), "storage.vdev", where)
        if s.role == "swap":
            if s.kind == "tdisk":  # an unformatted ECKD T-disk at every logon
                base = dev.removesuffix("-part1")
                bootcmd.append(f"dasdfmt -b 4096 -y -f {base} && fdasd -a {base} && mkswap {dev}")
            elif s.kind == "vdisk":  # an empty FBA V-DISK at every logon
                bootcmd.append(f"mkswap {dev}")
            mounts.append([dev, "none", "swap", "sw", "0", "0"])
        elif s.mount.startswith("/"):
            opts = "ro" if s.access == "ro" else "defaults"
            mounts.append(
                [
                    dev,
                    line_text(s.mount, "storage.mount", where),
                    line_text(s.fs or "auto", "storage.fs", where),
                    opts,
                    "0",
                    "0" if s.access == "ro" else "2",
                ]
            )
    doc: dict[str, Any] = {
        "hostname": line_text(g.name, "name", where),
        "users": [
            {
                "name": ADMIN_USER,
                "lock_passwd": True,
                "sudo": "ALL=(ALL) NOPASSWD:ALL",
                "ssh_authorized_keys": [SSH_KEY_PLACEHOLDER],
            }
        ],
    }
    if bootcmd:
        doc["bootcmd"] = bootcmd
    if mounts:
        doc["mounts"] = mounts
    text = "#cloud-config\n" + "\n".join(header(plan, None, "#", "cloud-init")) + "\n"
    return text + yaml.safe_dump(doc, sort_keys=False, default_flow_style=False, width=100)


def _network_config(plan: ColonyPlan, host_id: str, platform: str, g: Guest) -> str:
    where = f"render cloud-init, host {host_id}, guest {g.name}"
    eths: dict[str, Any] = {}
    for i, n in enumerate(g.network):
        eth: dict[str, Any] = {}
        if platform == "zvm" and n.vdev:
            name = f"enc{n.vdev.lower().lstrip('0') or '0'}"
            eth["match"] = {"name": name}
        elif n.mac is not None:
            name = f"eth{i}"
            eth["match"] = {"macaddress": n.mac}
        else:
            name = f"eth{i}"
            eth["match"] = {"name": name}
        eth["set-name"] = name
        if n.ip is not None:
            eth["addresses"] = [ip_interface(n.ip, "network.ip", where)]
        else:
            eth["dhcp4"] = True
        eths[name] = eth
    doc = {"version": 2, "ethernets": eths}
    text = "\n".join(header(plan, None, "#", "cloud-init")) + "\n"
    return text + yaml.safe_dump(doc, sort_keys=False, default_flow_style=False, width=100)


def render_cloud_init(plan: ColonyPlan) -> dict[str, str]:
    """cloud-init ``user-data`` and ``network-config`` (v2) per guest.

    Parameters
    ----------
    plan : ColonyPlan
        The plan (:func:`colonykit.plan.build_plan` or :func:`colonykit.export.load_plan`).

    Examples
    --------
    >>> import yaml
    >>> from colonykit import plan
    >>> files = render_cloud_init(plan.build_plan("data/examples/scenario.yaml").plan)
    >>> yaml.safe_load(files["lpar1/file-01/network-config"])["ethernets"]["enc600"]["addresses"]
    ['10.1.0.11/16']
    """
    out: dict[str, str] = {}
    for h in plan.hosts:
        for g in h.guests:
            name = file_name(g.name, "name", f"render cloud-init, host {h.id}")
            out[f"{h.id}/{name}/user-data"] = _user_data(plan, h.id, h.platform, g)
            out[f"{h.id}/{name}/network-config"] = _network_config(plan, h.id, h.platform, g)
    return out


__all__ = [
    "SSH_KEY_PLACEHOLDER",
    "ADMIN_USER",
    "render_cloud_init",
]
