"""Renderers: a :class:`~colonykit.plan.ColonyPlan` → files for real provisioning tools.

Each renderer is a pure function ``plan -> {relative path: text}`` (no I/O; paths are
relative to the target's folder, ``render/<target>/`` in a plan output); write the
result with :func:`colonykit.export.write_plan` or :func:`colonykit._atomic.atomic_write_tree`.
Every target's files are accepted by that tool's own validator in ``make test``
(``docs/render.md``):

``zvm`` (:mod:`colonykit.render.zvm`)
    z/VM source directory: ``owners/USER.DIRECT`` (owner of the shared minidisks, once),
    ``<lpar>/USER.DIRECT`` (profile + one USER entry per guest) and ``<lpar>/SYSTEM.CONFIG``
    (``MODIFY VSWITCH … GRANT``); checked by :mod:`colonykit.render.zvm_check`.
``feilong`` (:mod:`colonykit.render.feilong`)
    Feilong ``POST /guests`` bodies (``<host>/<userid>.json``), valid for
    ``zvmsdk.sdkwsgi.schemas.guest.create``.
``libvirt`` (:mod:`colonykit.render.libvirt`)
    KVM on IBM Z domain XML (``<host>/<name>.xml``), valid for ``virt-xml-validate``.
``xen`` (:mod:`colonykit.render.xen`)
    One ``xl.cfg`` per domU (``<host>/<name>.cfg``), read by Xen's own libxlutil parser.
``cloud-init`` (:mod:`colonykit.render.cloudinit`)
    ``<host>/<name>/user-data`` and ``network-config`` (v2), valid for ``cloud-init schema``.
``ansible`` (:mod:`colonykit.render.ansible`)
    A YAML inventory (``inventory.yml``), parsed by ``ansible-inventory --list``.

What a target cannot carry is listed by :func:`losses`, written as a comment into the
rendered file, and reported as a plan finding.

Examples
--------
>>> from colonykit import plan, render
>>> p = plan.build_plan("data/examples/scenario.yaml").plan
>>> files = render.render(p, "zvm")
>>> sum(line.startswith("USER LNX") for line in files["lpar1/USER.DIRECT"].splitlines())
26
"""

from __future__ import annotations

from collections.abc import Callable

from colonykit.errors import InputError, unknown_name
from colonykit.plan import ColonyPlan
from colonykit.plan.carry import Loss
from colonykit.plan.carry import losses as _losses
from colonykit.render.ansible import render_ansible
from colonykit.render.cloudinit import render_cloud_init
from colonykit.render.feilong import (
    FEILONG_FORMATS,
    feilong_losses,
    feilong_max_mem,
    render_feilong,
)
from colonykit.render.libvirt import libvirt_losses, render_libvirt
from colonykit.render.xen import XEN_DEFAULT_CPU_WEIGHT, ZVM_DEFAULT_SHARE, render_xen
from colonykit.render.zvm import render_zvm, vdisk_blocks

#: Renderer targets and the platform each needs (None: any). ``libvirt`` renders a plan for
#: IBM Z (platform ``zvm``) as KVM on IBM Z domains.
TARGETS: dict[str, str | None] = {
    "zvm": "zvm",
    "feilong": "zvm",
    "libvirt": "zvm",
    "xen": "xen",
    "cloud-init": None,
    "ansible": None,
}
_feilong_max_mem = feilong_max_mem  # kept for callers of the single-module renderer


def require(plan: ColonyPlan, target: str) -> None:
    """Raise :class:`InputError` unless ``target`` applies to the plan's platform.

    Parameters
    ----------
    plan : ColonyPlan
        The plan (:func:`colonykit.plan.build_plan` or :func:`colonykit.export.load_plan`).
    target : str
        One of :data:`TARGETS`.
    """
    need = TARGETS[target]
    if need is not None and plan.metadata.platform != need:
        msg = (
            f"target {target!r} needs a {need} plan; this plan is for {plan.metadata.platform} "
            f"(targets for it: {targets_for(plan)})"
        )
        raise InputError(msg)


_require = require


def losses(plan: ColonyPlan, target: str | None = None) -> list[Loss]:
    """What each target that applies to the plan cannot carry: ``(target, guest or host, what)``.

    Parameters
    ----------
    plan : ColonyPlan
        The plan.
    target : str, optional
        One target (default: every target that applies to the plan's platform).

    Examples
    --------
    >>> from colonykit import plan
    >>> p = plan.build_plan("data/examples/scenario.yaml").plan
    >>> sorted({ls.target for ls in losses(p)})
    ['feilong', 'libvirt']
    >>> losses(p, "zvm")
    []
    """
    return _losses(plan, [target] if target is not None else targets_for(plan))


RENDERERS: dict[str, Callable[[ColonyPlan], dict[str, str]]] = {
    "zvm": render_zvm,
    "feilong": render_feilong,
    "libvirt": render_libvirt,
    "xen": render_xen,
    "cloud-init": render_cloud_init,
    "ansible": render_ansible,
}


def targets_for(plan: ColonyPlan) -> list[str]:
    """Renderer targets that apply to the plan's platform.

    Parameters
    ----------
    plan : ColonyPlan
        The plan (:func:`colonykit.plan.build_plan` or :func:`colonykit.export.load_plan`).

    Examples
    --------
    >>> from colonykit import plan
    >>> targets_for(plan.build_plan("data/examples/scenario.yaml").plan)
    ['zvm', 'feilong', 'libvirt', 'cloud-init', 'ansible']
    """
    return [t for t, need in TARGETS.items() if need in (None, plan.metadata.platform)]


def render(plan: ColonyPlan, target: str) -> dict[str, str]:
    """Render a plan for one target (see :data:`TARGETS`).

    Parameters
    ----------
    plan : ColonyPlan
        The plan (:func:`colonykit.plan.build_plan` or :func:`colonykit.export.load_plan`).
    target : str
        One of :data:`TARGETS`.

    Raises
    ------
    UnknownNameError
        Unknown target.
    InputError
        The target does not apply to the plan's platform, the plan lacks what it needs, or a
        value would change the structure of the file (a line break, quote or separator).
    """
    if target not in RENDERERS:
        err = unknown_name("render target", target, RENDERERS)
        raise err
    return RENDERERS[target](plan)


__all__ = [
    "FEILONG_FORMATS",
    "RENDERERS",
    "TARGETS",
    "XEN_DEFAULT_CPU_WEIGHT",
    "ZVM_DEFAULT_SHARE",
    "Loss",
    "feilong_losses",
    "libvirt_losses",
    "losses",
    "render",
    "render_ansible",
    "render_cloud_init",
    "render_feilong",
    "render_libvirt",
    "render_xen",
    "render_zvm",
    "require",
    "targets_for",
    "vdisk_blocks",
]
