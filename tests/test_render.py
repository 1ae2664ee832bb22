"""Renderers: golden files on the example, z/VM directory properties, Feilong/Xen/Ansible field rules.

Refresh the golden files after an intended change with
``.venv/bin/python -m pytest tests/test_render.py --update-golden`` and review ``git diff``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from colonykit import plan, render
from colonykit.errors import InputError, UnknownNameError
from colonykit.ingest import validate_inventory

EXAMPLE = "data/examples/scenario.yaml"
EXPECTED = Path(__file__).parent / "data" / "expected"
FEILONG_KEYS = {
    "userid",
    "vcpus",
    "memory",
    "user_profile",
    "disk_list",
    "max_cpu",
    "max_mem",
    "ipl_from",
    "ipl_param",
    "ipl_loadparam",
    "dedicate_vdevs",
    "loaddev",
    "account",
    "comments",
    "cschedule",
    "cshare",
    "rdomain",
    "pcif",
}
FEILONG_DISK_KEYS = {"size", "format", "is_boot_disk", "vdev", "disk_pool"}


def _example(design: str | None = None) -> plan.ColonyPlan:
    s = plan.load_scenario(EXAMPLE)
    if design is not None:
        s.design.name, s.design.overrides = design, {}
    return plan.build_plan(s).plan


@pytest.fixture(scope="module")
def zvm_plan() -> plan.ColonyPlan:
    return _example()


def _bundle(files: dict[str, str]) -> str:
    return "".join(f"==> {k} <==\n{v}" for k, v in sorted(files.items()))


@pytest.mark.parametrize(
    ("golden", "design", "target"),
    [
        ("zvm_basevol.txt", None, "zvm"),
        ("zvm_ro_root.txt", "zvm-ro-root", "zvm"),
        ("feilong_basevol.txt", None, "feilong"),
        ("xen_shared_root_image.txt", "xen-shared-root-image", "xen"),
        ("xen_nfs_root.txt", "xen-nfs-root", "xen"),
        ("ansible_basevol.txt", None, "ansible"),
        ("libvirt_ro_root.txt", "zvm-ro-root", "libvirt"),
        ("cloudinit_ro_root.txt", "zvm-ro-root", "cloud-init"),
    ],
)
def test_golden(golden: str, design: str | None, target: str, check_golden) -> None:
    check_golden(EXPECTED / golden, _bundle(render.render(_example(design), target)))


def _entries(text: str) -> dict[str, list[str]]:
    """USER/PROFILE name -> its statements."""
    out: dict[str, list[str]] = {}
    cur = None
    for line in text.splitlines():
        if line.startswith(("USER ", "PROFILE ")):
            cur = line.split()[1]
            out[cur] = [line]
        elif line.startswith("*"):
            cur = None
        elif cur is not None:
            out[cur].append(line.strip())
    return out


def _check_directory(p: plan.ColonyPlan) -> None:
    files = render.render_zvm(p)
    owners = {im.zvm.owner for im in p.images if im.zvm}
    owner_text = files.get("owners/USER.DIRECT", "")
    # the owner entry once (owners/USER.DIRECT), not in every LPAR's file
    assert sorted(
        ln.split()[1] for ln in owner_text.splitlines() if ln.startswith("USER ")
    ) == sorted(owners)
    for host in p.hosts:
        text = owner_text + files[f"{host.id}/USER.DIRECT"]
        users = [ln.split()[1] for ln in text.splitlines() if ln.startswith("USER ")]
        # one USER entry per guest (plus the owner of the shared disks)
        assert sorted(u for u in users if u not in owners) == sorted(
            g.zvm.userid for g in host.guests
        )
        assert len(users) == len(set(users))
        ent = _entries(text)
        mdisks = {
            (name, st.split()[1])
            for name, sts in ent.items()
            for st in sts
            if st.startswith("MDISK")
        }
        rw_extents = []
        for name, sts in ent.items():
            general_done = False
            for st_ in sts[1:]:
                word = st_.split()[0]
                if word in ("MDISK", "LINK", "NICDEF", "SPOOL", "CONSOLE"):
                    general_done = True
                elif word in ("INCLUDE", "IPL", "MACHINE", "OPTION", "SHARE", "CPU", "NAMESAVE"):
                    assert not general_done, f"{name}: {word} after a device statement"
                if word == "LINK":
                    _, owner, ovdev, _vdev, mode = st_.split()
                    if owner == "MAINT":  # CMS system disks (190/19E/19D) exist on every z/VM
                        assert mode == "RR"
                        continue
                    assert (owner, ovdev) in mdisks, f"LINK to missing {owner} {ovdev}"
                    assert mode in ("RR", "R")  # guests never write the shared disks
                if word == "MDISK" and "V-DISK" in st_:
                    vdev, blocks = st_.split()[1], int(st_.split()[4])
                    g = next(g for g in host.guests if g.zvm.userid == name)
                    s = next(s for s in g.storage if s.vdev == vdev)
                    assert blocks == s.size_mib * 2048
                    # z/VM's largest V-DISK (APAR VM65491); was `... or size_mib > 2047`, vacuous
                    assert blocks <= 4_194_296, f"{name}: VDISK {vdev} of {blocks} blocks"
                if (
                    word == "MDISK"
                    and st_.endswith(" MR")
                    and "T-DISK" not in st_
                    and "V-DISK" not in st_
                ):
                    _, _v, _t, start, count, volser, _m = st_.split()
                    rw_extents.append((volser, int(start), int(start) + int(count) - 1, name))
        # no two guests share a R/W disk: R/W extents on a volume never overlap
        rw_extents.sort()
        for a, b in zip(rw_extents, rw_extents[1:], strict=False):
            assert a[0] != b[0] or b[1] > a[2], (a, b)


def test_directory_properties_example(zvm_plan) -> None:
    _check_directory(zvm_plan)
    _check_directory(_example("zvm-ro-root"))
    _check_directory(_example("zvm-shared-usr"))
    _check_directory(_example("dedicated"))


def test_directory_check_fails_on_a_vdisk_over_the_maximum() -> None:
    s = plan.load_scenario(EXAMPLE)
    s.design.name, s.design.overrides = "zvm-ro-root", {"vdisk_swap1_mib": 4096}
    with pytest.raises(AssertionError, match="VDISK 01B2 of 8388608 blocks"):
        _check_directory(plan.build_plan(s).plan)


@settings(max_examples=15)
@given(
    n=st.integers(1, 12),
    vdisk_mib=st.integers(1, 2047),
    mem=st.integers(64, 8192),
    vcpus=st.integers(1, 4),
    guestvol=st.integers(1, 5000),
    hosts=st.integers(1, 3),
)
def test_directory_properties_generated(n, vdisk_mib, mem, vcpus, guestvol, hosts) -> None:
    s = plan.load_scenario(EXAMPLE)
    s.design.name, s.design.overrides = (
        "zvm-ro-root",
        {"vdisk_swap1_mib": vdisk_mib, "local_cyl": guestvol},
    )
    s.target.hosts = hosts
    s.target.memory_gib_per_host = None
    inv = pd.read_csv("data/examples/xyz_inventory.csv").head(1).assign(count=n, memory_mib=mem)
    s.guests.per_server = {"file": plan.GuestOverride(vcpus=vcpus)}
    p = plan.build_plan(s, inventory=validate_inventory(inv, source="gen")).plan
    _check_directory(p)
    text = "".join(render.render_zvm(p).values())
    # the first VDISK (01B2) carries the override; the design's second VDISK (01B3) stays 128 MiB
    assert text.count(f"MDISK 01B2 FB-512 V-DISK {vdisk_mib * 2048} MR") == n
    assert sum(ln.startswith("USER LNX0") for ln in text.splitlines()) == n  # not the owner LNXGOLD


def test_feilong_fields(zvm_plan) -> None:
    files = render.render_feilong(zvm_plan)
    assert len(files) == 26
    for body in map(json.loads, files.values()):
        g = body["guest"]
        assert set(g) <= FEILONG_KEYS and {"userid", "vcpus", "memory"} <= set(g)
        assert re.fullmatch(r"[a-zA-Z0-9]{1,8}", g["userid"])
        assert re.fullmatch(r"[1-9][0-9]{0,3}[mMgG]", g["max_mem"])
        assert 1 <= g["max_cpu"] <= 64
        assert "cshare" not in g  # Feilong's schema refuses "RELATIVE n" (one word only)
        for d in g["disk_list"]:
            assert set(d) <= FEILONG_DISK_KEYS and "size" in d
            assert d["format"] in render.FEILONG_FORMATS
        # the R/O base is not a disk_list item (Feilong has no LINK): it comes from user_profile
        assert all(d["vdev"] != "0201" for d in g["disk_list"]) and g["user_profile"] == "LNXDFLT"


def test_feilong_vdisk_and_max_mem() -> None:
    files = render.render_feilong(_example("zvm-ro-root"))
    g = json.loads(files["lpar1/LNX00001.json"])["guest"]
    assert {"size": "64M", "format": "swap", "is_boot_disk": False, "vdev": "01B2"} in g[
        "disk_list"
    ]
    assert render._feilong_max_mem(10_240) == "10G"


def test_xen_rules() -> None:
    p = _example("xen-shared-root-image")
    files = render.render_xen(p)
    assert len(files) == 26
    shared = {im.xen.target for im in p.images}
    for text in files.values():
        disk = re.search(r"disk = \[(.*?)\]", text, re.S).group(1)
        specs = re.findall(r"'([^']*)'", disk)
        for spec in specs:
            keys = [kv.split("=")[0].strip() for kv in spec.split(",")]
            assert keys[-1] == "target"  # target= must come last
            target = spec.split("target=")[1]
            assert ("access=ro" in spec) == (target in shared)  # only the shared root is R/O
        assert re.search(r"^memory = \d+$", text, re.M) and re.search(r"^maxmem = \d+$", text, re.M)
    for text in files.values():  # seed 004: NetBSD PV domU, XEN3_DOMU kernel, root on xbd0
        assert 'type = "pv"' in text and 'root = "xbd0a"' in text and "netbsd-XEN3_DOMU" in text
    nfs = render.render_xen(_example("xen-nfs-root"))
    for text in nfs.values():
        assert 'root = "/dev/nfs"' in text and 'extra = "nfsroot=10.0.0.5:/export/roots/' in text
        assert "nfs_server" not in text
        # the root is on NFS; the only disk is the domU's application-disk image (disk_gib)
        disk = re.search(r"disk = \[(.*?)\]", text, re.S).group(1)
        assert [
            t.rsplit("/", 1)[1].endswith("-appdata.img")
            for t in re.findall(r"target=([^']+)'", disk)
        ] == [True]
    # seed 002 / kernel nfsroot: the planned static address, so the inventory reaches the domU
    assert 'ip=10.1.0.11:::255.255.0.0:file-01:eth0:off"' in nfs["xen1/file-01.cfg"]


def test_no_two_domus_share_a_rw_image() -> None:
    files = render.render_xen(_example("xen-shared-root-image"))
    rw = [
        re.search(r"target=(\S+?)'", spec).group(1)
        for text in files.values()
        for spec in re.findall(r"'format=[^']*access=rw[^']*'", text)
    ]
    assert (
        len(rw) == len(set(rw)) == 26 * (3 + 1)
    )  # swap, local, pkg (seed 004) + the application disk


def test_ansible_inventory(zvm_plan) -> None:
    inv = yaml.safe_load(render.render_ansible(zvm_plan)["inventory.yml"])
    children = inv["all"]["children"]
    assert set(children) == {"lpar1", "role_file", "role_dns", "role_firewall", "role_web"}
    assert len(children["lpar1"]["hosts"]) == 26 and len(children["role_web"]["hosts"]) == 10
    assert inv["all"]["vars"]["colony_plan"] == "xyz-colony"


def test_targets_and_bad_target(zvm_plan) -> None:
    assert render.targets_for(zvm_plan) == ["zvm", "feilong", "libvirt", "cloud-init", "ansible"]
    with pytest.raises(InputError, match="needs a xen plan"):
        render.render(zvm_plan, "xen")
    with pytest.raises(UnknownNameError, match="vmware"):
        render.render(zvm_plan, "vmware")
    with pytest.raises(InputError, match="needs a zvm plan"):
        render.render(_example("xen-nfs-root"), "libvirt")
    with pytest.raises(InputError, match="needs a zvm plan"):
        render.render(_example("xen-nfs-root"), "feilong")


def test_renderers_are_pure(zvm_plan) -> None:
    before = zvm_plan.model_dump()
    a = render.render(zvm_plan, "zvm")
    assert render.render(zvm_plan, "zvm") == a and zvm_plan.model_dump() == before


def test_unknown_image_link_rejected(zvm_plan) -> None:
    p = zvm_plan.model_copy(deep=True)
    p.hosts[0].profiles[0].links[0].image = "ghost"
    with pytest.raises(InputError, match="ghost"):
        render.render_zvm(p)


def test_nss_ipl_and_namesave() -> None:
    s = plan.load_scenario(EXAMPLE)
    s.design.name, s.design.overrides = "zvm-ro-root", {}
    s.guests.ipl_nss, s.guests.namesave = "LNXNSS", ["LNXNSS", "XIPDCSS"]
    p = plan.build_plan(s).plan
    text = render.render_zvm(p)["lpar1/USER.DIRECT"]
    ent = _entries(text)["LNX00001"]
    assert "IPL LNXNSS" in ent and "NAMESAVE LNXNSS" in ent and "NAMESAVE XIPDCSS" in ent
    assert ent.index("NAMESAVE XIPDCSS") < min(
        i for i, st_ in enumerate(ent) if st_.startswith("MDISK")
    )
    _check_directory(p)


def test_what_targets_cannot_carry_is_written_and_found(zvm_plan) -> None:
    """Issue 12 item 4: each loss is a comment in the target's file and a CK016 finding."""
    lost = render.losses(zvm_plan)
    assert {ls.target for ls in lost} == {"feilong", "libvirt"}
    feilong = render.render_feilong(zvm_plan)
    libvirt = render.render_libvirt(zvm_plan)
    for ls in lost:
        files = feilong if ls.target == "feilong" else libvirt
        subjects = [g for h in zvm_plan.hosts for g in h.guests if ls.subject in (g.name, "*")]
        for g in subjects:
            key = f"lpar1/{g.zvm.userid}.json" if ls.target == "feilong" else f"lpar1/{g.name}.xml"
            assert f"cannot carry: {ls.what}" in files[key]
    # V-DISK swap next to other disks: Feilong makes a pool minidisk of it; libvirt a transient image
    assert any("V-DISK 0200" in ls.what and ls.target == "feilong" for ls in lost)
    found = {f.path: f for f in plan.check_plan(zvm_plan) if f.code == "CK019"}
    assert set(found) == {"render.feilong", "render.libvirt"}
    assert (
        f"{sum(ls.target == 'feilong' for ls in lost)} item(s)" in found["render.feilong"].message
    )
    assert not [f for f in plan.check_plan(_example("xen-nfs-root")) if f.code == "CK019"]
