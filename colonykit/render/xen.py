"""Xen ``xl.cfg`` files, one per domU (``<host>/<name>.cfg``), as xl.cfg(5) reads them.

Keyed disk specs ``format=raw, vdev=xvda, access=ro, target=…`` (``target`` last,
xl-disk-configuration(5)), NFS root through ``root="/dev/nfs"`` and ``extra="nfsroot=… ip=…"``,
``vif`` with ``mac``/``bridge`` (xl-network-configuration(5)). Strings are double-quoted and may
hold neither ``"`` nor ``\\`` nor a line break; spec values hold no blank, ``,``, ``=`` or quote
(``target`` may hold ``,``, being last, but no quote): anything else is refused.
"""

from __future__ import annotations

from colonykit.errors import InputError
from colonykit.plan import ColonyPlan
from colonykit.render._common import file_name, header, line_text, refuse, spec_value

#: Xen ``cpu_weight`` of a domain with the default share (xl.cfg(5): default 256); the z/VM
#: default relative share is 100, so ``cpu_weight = share_relative × 256 / 100``.
XEN_DEFAULT_CPU_WEIGHT = 256
ZVM_DEFAULT_SHARE = 100


def _q(text: str, field: str, where: str) -> str:
    return '"' + line_text(text, field, where, forbid='"\\') + '"'


def _target(text: str, field: str, where: str) -> str:
    value = line_text(text, field, where, forbid="'\"\\,")
    if not value or value != value.strip():
        raise refuse(field, "a path without leading or trailing blanks", value, where)
    return value


def render_xen(plan: ColonyPlan) -> dict[str, str]:
    """Xen ``xl.cfg`` files, one per domU.

    Parameters
    ----------
    plan : ColonyPlan
        The plan (:func:`colonykit.plan.build_plan` or :func:`colonykit.export.load_plan`).

    Examples
    --------
    >>> from colonykit import plan
    >>> s = plan.load_scenario("data/examples/scenario.yaml")
    >>> s.design.name, s.design.overrides = "xen-shared-root-image", {}
    >>> files = render_xen(plan.build_plan(s).plan)
    >>> [ln for ln in files["xen1/file-01.cfg"].splitlines() if "access=ro" in ln][0].strip()
    "disk = [ 'format=raw, vdev=xvda, access=ro, target=/srv/xen/images/xen-shared-root-image-root.img',"
    """
    from colonykit.render import require

    require(plan, "xen")
    images = {im.id: im for im in plan.images}
    bridges = {n.id: n.xen.bridge for n in plan.networks if n.xen is not None}
    out: dict[str, str] = {}
    for host in plan.hosts:
        for g in host.guests:
            x = g.xen
            where = f"render xen, host {host.id}, guest {g.name}"
            if x is None:
                msg = f"guest {g.name} has no 'xen' section; the Xen renderer needs kernel/root"
                raise InputError(msg)
            weight = max(
                1, min(65535, round(g.share_relative * XEN_DEFAULT_CPU_WEIGHT / ZVM_DEFAULT_SHARE))
            )
            lines = header(plan, host, "#", "xen") + [
                f"name = {_q(g.name, 'name', where)}",
                f"type = {_q(x.type, 'xen.type', where)}",
                f"vcpus = {int(g.vcpus)}",
                f"maxvcpus = {int(g.max_vcpus)}",
                f"memory = {int(g.memory_mib)}",
                f"maxmem = {int(g.max_memory_mib)}",
                f"cpu_weight = {weight}",
            ]
            for key in ("kernel", "ramdisk", "root", "extra"):
                value = getattr(x, key)
                if value is not None:
                    lines.append(f"{key} = {_q(value, f'xen.{key}', where)}")
            specs = []
            for s in g.storage:
                vdev = spec_value(s.vdev, "storage.vdev", where)
                if s.kind == "shared":
                    im = images.get(s.image or "")
                    if im is None or im.xen is None:
                        msg = f"guest {g.name}: disk {s.vdev} names unknown Xen image {s.image!r}"
                        raise InputError(msg)
                    specs.append(
                        f"format={spec_value(im.xen.format, 'images.xen.format', where)}, "
                        f"vdev={vdev}, access=ro, "
                        f"target={_target(im.xen.target, 'images.xen.target', where)}"
                    )
                elif s.kind == "image":
                    specs.append(
                        f"format=raw, vdev={vdev}, access={spec_value(s.access, 'storage.access', where)}, "
                        f"target={_target(s.target or '', 'storage.target', where)}"
                    )
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
                if n.mac is not None:
                    parts.append(f"mac={spec_value(n.mac, 'network.mac', where)}")
                parts.append(
                    f"bridge={spec_value(bridges.get(n.network, n.network), 'networks.xen.bridge', where)}"
                )
                vifs.append("'" + ",".join(parts) + "'")
            if vifs:
                lines.append(f"vif = [ {', '.join(vifs)} ]")
            out[f"{host.id}/{file_name(g.name, 'name', where)}.cfg"] = "\n".join(lines) + "\n"
    return out


__all__ = [
    "XEN_DEFAULT_CPU_WEIGHT",
    "ZVM_DEFAULT_SHARE",
    "render_xen",
]
