"""What each provisioning target cannot carry of a plan (issue 12): pure functions of the document.

The renderers (:mod:`colonykit.render`) write these as comments into their files, and
:func:`colonykit.plan.checks.check_plan` reports them as finding CK019, so nothing a target
cannot express is dropped silently.
"""

from __future__ import annotations

from dataclasses import dataclass

from colonykit.plan.document import ColonyPlan

#: Feilong ``[zvm] user_default_share_unit`` default (zvmsdk/config.py): SHARE RELATIVE = unit × vCPUs.
FEILONG_SHARE_UNIT = 100


@dataclass(frozen=True)
class Loss:
    """Something in the plan that a target's files cannot carry.

    Attributes
    ----------
    target : str
        Renderer target (``feilong``, ``libvirt``, …).
    subject : str
        Guest name or host id the loss applies to (``*`` for every guest of the plan).
    what : str
        What is lost and what the renderer writes instead.
    """

    target: str
    subject: str
    what: str


def feilong_losses(plan: ColonyPlan) -> list[Loss]:
    """What a Feilong body cannot carry, per guest.

    Parameters
    ----------
    plan : ColonyPlan
        The plan.
    """
    out: list[Loss] = []
    for host in plan.hosts:
        for g in host.guests:
            z = g.zvm
            if z is None:
                continue
            if g.share_relative != FEILONG_SHARE_UNIT * g.vcpus:
                out.append(
                    Loss(
                        "feilong",
                        g.name,
                        f"SHARE RELATIVE {g.share_relative} (Feilong's "
                        f"schema refuses a blank in cshare; it writes SHARE RELATIVE "
                        f"{FEILONG_SHARE_UNIT} x {g.vcpus} vCPU = {FEILONG_SHARE_UNIT * g.vcpus})",
                    )
                )
            kinds = [s.kind for s in g.storage]
            for s in g.storage:
                if s.kind == "tdisk":
                    out.append(
                        Loss(
                            "feilong",
                            g.name,
                            f"T-disk {s.vdev} ({s.size_cyl} cyl): Feilong "
                            "has no T-DISK; a swap minidisk of that size comes from the disk pool",
                        )
                    )
                elif (
                    s.kind == "vdisk"
                    and kinds.count("vdisk") + kinds.count("mdisk") + kinds.count("tdisk") > 1
                ):
                    out.append(
                        Loss(
                            "feilong",
                            g.name,
                            f"V-DISK {s.vdev} ({s.size_mib} MiB): Feilong "
                            "makes a VDISK only when the swap disk is the guest's only disk; "
                            "here it becomes a swap minidisk from the disk pool",
                        )
                    )
                elif s.kind == "mdisk":
                    out.append(
                        Loss(
                            "feilong",
                            g.name,
                            f"placement of {s.vdev} on {s.volser} at "
                            + (
                                f"block {s.start_block}"
                                if s.start_block is not None
                                else f"cylinder {s.start_cyl}"
                            )
                            + f": Feilong allocates from disk pool {s.pool}",
                        )
                    )
            if z.options:
                out.append(
                    Loss(
                        "feilong",
                        g.name,
                        f"OPTION {' '.join(z.options)} (no field; put it in the user profile)",
                    )
                )
            if z.namesave:
                out.append(Loss("feilong", g.name, f"NAMESAVE {' '.join(z.namesave)} (no field)"))
            if z.privclass != "G":
                out.append(
                    Loss("feilong", g.name, f"privilege class {z.privclass} (Feilong writes G)")
                )
            if z.machine != "ESA":
                out.append(Loss("feilong", g.name, f"MACHINE {z.machine} (no field)"))
            if any(n.ip for n in g.network):
                out.append(
                    Loss(
                        "feilong",
                        g.name,
                        "static IP address (Feilong's interface API needs an "
                        "os_version it supports; the cloud-init network-config carries it)",
                    )
                )
    return out


def libvirt_losses(plan: ColonyPlan) -> list[Loss]:
    """What the libvirt domain XML cannot carry, per guest.

    Parameters
    ----------
    plan : ColonyPlan
        The plan.
    """
    out: list[Loss] = []
    for host in plan.hosts:
        for g in host.guests:
            for s in g.storage:
                if s.kind == "vdisk":
                    out.append(
                        Loss(
                            "libvirt",
                            g.name,
                            f"V-DISK {s.vdev} ({s.size_mib} MiB swap in host "
                            "storage): libvirt has no in-memory disk; a transient swap image "
                            "file instead",
                        )
                    )
                elif s.kind == "tdisk":
                    out.append(
                        Loss(
                            "libvirt",
                            g.name,
                            f"T-disk {s.vdev}: a transient swap image file "
                            "(changes discarded when the domain stops)",
                        )
                    )
                elif s.kind == "shared":
                    out.append(
                        Loss(
                            "libvirt",
                            g.name,
                            f"minidisk LINK {s.vdev} RR: a read-only shareable image file instead",
                        )
                    )
            if g.zvm is not None:
                z = g.zvm
                if z.ipl and not any(s.vdev == z.ipl for s in g.storage):
                    out.append(
                        Loss("libvirt", g.name, f"IPL of NSS {z.ipl}: boots the root disk instead")
                    )
                if z.namesave:
                    out.append(Loss("libvirt", g.name, f"NAMESAVE {' '.join(z.namesave)} (DCSS)"))
                if z.options:
                    out.append(Loss("libvirt", g.name, f"OPTION {' '.join(z.options)}"))
    for n in plan.networks:
        if n.zvm is not None:
            out.append(
                Loss(
                    "libvirt",
                    "*",
                    f"VSWITCH {n.zvm.vswitch}: a host bridge named {n.id} "
                    "(create it on the KVM host)",
                )
            )
    return out


def by_subject(items: list[Loss]) -> dict[str, list[Loss]]:
    """The losses of each subject, each list with the plan-wide (``*``) ones, in the given order.

    Grouped once, so a renderer looks its guest up instead of scanning every loss for every
    guest (linear plans, issue 25).  A subject without losses of its own is not a key: use
    ``grouped.get(name, grouped.get("*", []))``.

    Parameters
    ----------
    items : list of Loss
        Losses of one target (:func:`feilong_losses`, :func:`libvirt_losses`).

    Examples
    --------
    >>> g = by_subject([Loss("t", "a", "1"), Loss("t", "*", "2"), Loss("t", "a", "3")])
    >>> [ls.what for ls in g["a"]], [ls.what for ls in g.get("b", g.get("*", []))]
    (['1', '2', '3'], ['2'])
    """
    index: dict[str, list[int]] = {}
    for i, ls in enumerate(items):
        index.setdefault(ls.subject, []).append(i)
    star = index.get("*", [])
    return {
        subject: [items[i] for i in (sorted(ix + star) if subject != "*" and star else ix)]
        for subject, ix in index.items()
    }


def losses(plan: ColonyPlan, targets: list[str]) -> list[Loss]:
    """What each of ``targets`` cannot carry: ``Loss(target, guest or host, what)``.

    Parameters
    ----------
    plan : ColonyPlan
        The plan.
    targets : list of str
        Render targets (:data:`colonykit.render.TARGETS`).

    Examples
    --------
    >>> from colonykit.plan import build_plan
    >>> p = build_plan("data/examples/scenario.yaml").plan
    >>> sorted({ls.target for ls in losses(p, ["zvm", "feilong", "libvirt"])})
    ['feilong', 'libvirt']
    """
    out: list[Loss] = []
    for t in targets:
        if t == "feilong":
            out += feilong_losses(plan)
        elif t == "libvirt":
            out += libvirt_losses(plan)
    return out


__all__ = [
    "FEILONG_SHARE_UNIT",
    "Loss",
    "feilong_losses",
    "libvirt_losses",
    "losses",
]
