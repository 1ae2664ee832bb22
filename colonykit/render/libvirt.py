"""libvirt domain XML for KVM on IBM Z (``<host>/<name>.xml``), one domain per guest.

``<os><type arch='s390x' machine='s390-ccw-virtio'>hvm</type></os>``; ``<memory>`` the plan's
maximum and ``<currentMemory>`` its start storage; ``<vcpu current='n'>max</vcpu>``;
``<cputune><shares>`` = z/VM relative share × 1024 / 100; every disk a virtio disk at the CCW
device number of its z/VM virtual address (``cssid 0xfe``, the virtio-ccw channel subsystem),
the IPL device with ``<boot order='1'/>``; the network a virtio interface on the host bridge named
after the planned network, at the NIC's CCW number; an SCLP console (libvirt "Domain XML format",
s390 guests).

What a z/VM design shares maps to the nearest KVM construct, and the file says so:

* minidisk LINK (R/O shared disk) → one image file attached ``<readonly/>`` + ``<shareable/>``
  to every domain;
* private minidisk → a per-guest raw image file;
* T-disk (contents gone at logoff) → a per-guest ``<transient/>`` swap image (changes discarded
  when the domain stops);
* V-DISK (swap in host storage) → a per-guest ``<transient/>`` swap image on disk: libvirt has no
  in-memory block device, so the V-DISK's memory-speed swap is lost;
* NSS IPL, NAMESAVE (DCSS), OPTION, privilege class → no libvirt equivalent.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from colonykit.errors import InputError
from colonykit.plan import ColonyPlan, Guest, Image, StorageItem
from colonykit.plan.carry import Loss, by_subject, libvirt_losses
from colonykit.render._common import file_name, header, line_text, matching, refuse

#: Folder of the image files on the KVM host (libvirt's default storage pool path).
KVM_IMAGE_DIR = "/var/lib/libvirt/images"
#: Default cgroup CPU shares of a libvirt domain (libvirt "CPU Tuning": shares default 1024);
#: z/VM's default relative share is 100.
LIBVIRT_DEFAULT_SHARES = 1024
ZVM_DEFAULT_SHARE = 100
#: The channel subsystem id of virtio-ccw devices (libvirt "Device Addresses": ccw cssid 0xfe).
VIRTIO_CCW_CSSID = "0xfe"


def _devno(vdev: str, field: str, where: str) -> str:
    return (
        "0x"
        + matching(vdev, field, r"[0-9A-Fa-f]{4}", "a 4-digit hex device number", where).lower()
    )


def _disk_letters(i: int) -> str:
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(ord("a") + r) + s
    return s


def _disk(dev: ET.Element, s: StorageItem, i: int, path: str, boot: bool, where: str) -> None:
    d = ET.SubElement(dev, "disk", type="file", device="disk")
    ET.SubElement(d, "driver", name="qemu", type="raw", cache="none")
    ET.SubElement(d, "source", file=line_text(path, "storage.target", where))
    ET.SubElement(d, "target", dev=f"vd{_disk_letters(i)}", bus="virtio")
    if s.kind == "shared":
        ET.SubElement(d, "readonly")
        ET.SubElement(d, "shareable")
    if s.kind in ("tdisk", "vdisk"):
        ET.SubElement(d, "transient")
    if boot:
        ET.SubElement(d, "boot", order="1")
    ET.SubElement(
        d,
        "address",
        type="ccw",
        cssid=VIRTIO_CCW_CSSID,
        ssid="0x0",
        devno=_devno(s.vdev, "storage.vdev", where),
    )


def _xml_comment(text: str, where: str) -> str:
    field = "metadata.design"
    line_text(text, field, where)
    if "--" in text or text.endswith("-"):
        raise refuse(field, "text without '--' (XML comments cannot hold it)", text, where)
    return text


def _domain(
    plan: ColonyPlan, host_id: str, g: Guest, lost: list[Loss], images: dict[str, Image]
) -> str:
    where = f"render libvirt, host {host_id}, guest {g.name}"
    dom = ET.Element("domain", type="kvm")
    ET.SubElement(dom, "name").text = line_text(g.name, "name", where)
    ET.SubElement(dom, "memory", unit="MiB").text = str(int(g.max_memory_mib))
    ET.SubElement(dom, "currentMemory", unit="MiB").text = str(int(g.memory_mib))
    ET.SubElement(dom, "vcpu", placement="static", current=str(int(g.vcpus))).text = str(
        int(g.max_vcpus)
    )
    tune = ET.SubElement(dom, "cputune")
    ET.SubElement(tune, "shares").text = str(
        round(g.share_relative * LIBVIRT_DEFAULT_SHARES / ZVM_DEFAULT_SHARE)
    )
    os_ = ET.SubElement(dom, "os")
    ET.SubElement(os_, "type", arch="s390x", machine="s390-ccw-virtio").text = "hvm"
    ET.SubElement(dom, "on_poweroff").text = "destroy"
    ET.SubElement(dom, "on_reboot").text = "restart"
    ET.SubElement(dom, "on_crash").text = "destroy"
    dev = ET.SubElement(dom, "devices")
    ET.SubElement(dev, "emulator").text = "/usr/bin/qemu-system-s390x"
    ipl = g.zvm.ipl if g.zvm is not None else ""
    root = next((s.vdev for s in g.storage if s.role == "root"), None)
    boot_vdev = ipl if any(s.vdev == ipl for s in g.storage) else root
    i = 0
    for s in g.storage:
        if s.kind == "shared":
            im = images.get(s.image or "")
            if im is None:
                msg = f"guest {g.name}: disk {s.vdev} names unknown image {s.image!r}"
                raise InputError(msg)
            path = f"{KVM_IMAGE_DIR}/{im.id}.img"
        elif s.kind in ("mdisk", "tdisk", "vdisk"):
            path = f"{KVM_IMAGE_DIR}/{g.name}-{s.id}.img"
        else:
            msg = f"guest {g.name}: storage kind {s.kind!r} has no libvirt disk (z/VM plans only)"
            raise InputError(msg)
        _disk(dev, s, i, path, s.vdev == boot_vdev, where)
        i += 1
    for n in g.network:
        itf = ET.SubElement(dev, "interface", type="bridge")
        if n.mac is not None:
            ET.SubElement(
                itf,
                "mac",
                address=matching(
                    n.mac,
                    "network.mac",
                    r"[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}",
                    "a MAC address",
                    where,
                ),
            )
        ET.SubElement(itf, "source", bridge=line_text(n.network, "network.network", where))
        ET.SubElement(itf, "model", type="virtio")
        if n.vdev:
            ET.SubElement(
                itf,
                "address",
                type="ccw",
                cssid=VIRTIO_CCW_CSSID,
                ssid="0x0",
                devno=_devno(n.vdev, "network.vdev", where),
            )
    con = ET.SubElement(dev, "console", type="pty")
    ET.SubElement(con, "target", type="sclp", port="0")
    ET.SubElement(dev, "memballoon", model="virtio")
    ET.indent(dom, space="  ")
    comments = header(plan, None, "", "libvirt") + [f"cannot carry: {ls.what}" for ls in lost]
    text = "".join(f"<!-- {_xml_comment(c.strip(), where)} -->\n" for c in comments)
    return text + ET.tostring(dom, encoding="unicode") + "\n"


def render_libvirt(plan: ColonyPlan) -> dict[str, str]:
    """libvirt domain XML (KVM on IBM Z, s390x), one file per guest.

    Parameters
    ----------
    plan : ColonyPlan
        The plan (:func:`colonykit.plan.build_plan` or :func:`colonykit.export.load_plan`).

    Examples
    --------
    >>> from colonykit import plan
    >>> files = render_libvirt(plan.build_plan("data/examples/scenario.yaml").plan)
    >>> "<type arch=\\"s390x\\" machine=\\"s390-ccw-virtio\\">hvm</type>" in files["lpar1/file-01.xml"]
    True
    """
    from colonykit.render import require

    require(plan, "libvirt")
    lost = by_subject(libvirt_losses(plan))  # grouped once: no scan of the list per guest
    star = lost.get("*", [])
    images = {im.id: im for im in plan.images}
    return {
        f"{h.id}/{file_name(g.name, 'name', f'render libvirt, host {h.id}')}.xml": _domain(
            plan, h.id, g, lost.get(g.name, star), images
        )
        for h in plan.hosts
        for g in h.guests
    }


__all__ = [
    "KVM_IMAGE_DIR",
    "LIBVIRT_DEFAULT_SHARES",
    "ZVM_DEFAULT_SHARE",
    "VIRTIO_CCW_CSSID",
    "render_libvirt",
]
