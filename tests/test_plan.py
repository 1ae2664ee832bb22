"""Plan assembly: the XYZ example by hand, every finding code, scenario bad input."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from helpers import write_scenario
from hypothesis import given, settings
from hypothesis import strategies as st

from colonykit import plan, storage
from colonykit.errors import InputError
from colonykit.ingest import validate_inventory

EXAMPLE = "data/examples/scenario.yaml"
GIB = 2**30


@pytest.fixture(scope="module")
def result() -> plan.ColonyPlanResult:
    return plan.build_plan(EXAMPLE)


def test_example_guests_and_memory_by_hand(result) -> None:
    p = result.plan
    guests = [g for _, g in p.guests()]
    assert len(guests) == 26  # SG24-6299 Table 2-1: 10 + 4 + 2 + 10
    # memory like-for-like: 10×1024 + 4×256 + 2×1024 + 10×2048 MiB
    assert sum(g.memory_mib for g in guests) == 10 * 1024 + 4 * 256 + 2 * 1024 + 10 * 2048 == 33792
    assert len({g.zvm.userid for g in guests}) == 26
    assert guests[0].zvm.userid == "LNX00001" and guests[-1].zvm.userid == "LNX00026"
    host = p.hosts[0]
    assert host.capacity.memory_gib == 24
    assert host.capacity.cpus == result.sizing.engines["typical"]
    # velocity rule (the project's default, issue 23): 2 × (Σ virtual + VDISK)
    # = 2 × (33 + 26 × 200 MiB) GiB = 76.16 -> 77 GiB (basevol swap is seed 000's 200 MB V-DISK)
    assert host.capacity.paging_gib == pytest.approx(math.ceil(2 * (33 + 26 * 200 / 1024))) == 77
    vol_gib = 10_016 * 180 * 4096 / GIB  # usable 3390-9 page slots
    assert host.capacity.paging_volumes == math.ceil(77 / vol_gib) == 12
    assert p.evidence.paging.evaluated and p.evidence.channels.evaluated
    assert not p.evidence.white_space.evaluated and "no traces" in p.evidence.white_space.note
    # 54 I/O/s × 14 ms = 75.6 % busy over 2 paths (seed 003 §8.10.3)
    assert p.evidence.channels.values["lpar1.busy_pct"] == pytest.approx(54 * 14 / 10)
    assert p.evidence.memory.values["lpar1.overcommit_ratio"] == pytest.approx(33792 / (24 * 1024))
    assert [f.code for f in p.findings] == [
        "CK012",
        "CK019",
        "CK019",
    ]  # CK019: Feilong, libvirt losses
    assert not result.has_errors


def test_example_design_layout(result) -> None:
    p = result.plan
    assert [im.zvm.count_cyl for im in p.images] == [3338]
    assert p.images[0].zvm.owner == "LINXBASE" and p.images[0].zvm.vdev == "0201"
    for _, g in p.guests():
        kinds = {s.vdev: s.kind for s in g.storage if s.role != "appdata"}  # the design's disks
        assert kinds == {"0201": "shared", "0202": "mdisk", "0200": "vdisk"}
        assert g.zvm.ipl == "0201"
        md = next(s for s in g.storage if s.kind == "mdisk")
        assert md.size_cyl == 300  # scenario override of guestvol_cyl
    # the design's 26 × 300 cyl and the application-disk minidisks, on as many 3390-9s as
    # storage.volumes_needed; full-volume data disks: 10 × 10 (72 GiB) + 4 × 1 (9 GiB) + 2 × 2 (18 GiB)
    # + 10 × 5 (36 GiB) = 158
    sizes = [s.size_cyl for _, g in p.guests() for s in g.storage if s.kind == "mdisk"]
    vols = {s.volser for _, g in p.guests() for s in g.storage if s.kind == "mdisk"}
    assert len(vols) == storage.volumes_needed(sizes)
    assert sizes.count(10_016) == 158 and len(vols) > 158


def test_minidisk_extents_never_overlap(tmp_path) -> None:
    r = plan.build_plan(
        write_scenario(tmp_path, **{"design.name": "zvm-ro-root", "design.overrides": {}})
    )
    ext: dict[str, list[tuple[int, int]]] = {}
    for _, g in r.plan.guests():
        for s in g.storage:
            if s.kind == "mdisk":
                ext.setdefault(s.volser, []).append((s.start_cyl, s.start_cyl + s.size_cyl - 1))
    sizes = [s.size_cyl for _, g in r.plan.guests() for s in g.storage if s.kind == "mdisk"]
    assert len(ext) == storage.volumes_needed(sizes)
    for spans in ext.values():
        spans.sort()
        assert spans[0][0] >= 1 and spans[-1][1] <= 10_016
        assert all(b[0] > a[1] for a, b in zip(spans, spans[1:], strict=False))
    assert r.plan.hosts[0].guests[0].zvm.ipl == "01B0"  # zipl on the R/O /boot disk (seed 001)


@settings(max_examples=30)
@given(sizes=st.lists(st.integers(1, 10_016), min_size=1, max_size=40))
def test_starts_pack_volumes(sizes) -> None:
    arr = np.array(sizes)
    vol, start = storage.layout_minidisks(arr)
    assert vol.tolist() == storage.allocate_minidisks(arr).tolist()
    for v in np.unique(vol):
        sel = np.flatnonzero(vol == v)
        spans = sorted((int(start[i]), int(start[i] + arr[i] - 1)) for i in sel)
        assert spans[0][0] == 1 and spans[-1][1] <= 10_016
        assert all(b[0] == a[1] + 1 for a, b in zip(spans, spans[1:], strict=False))


def _codes(p: plan.ColonyPlan) -> set[str]:
    return {f.code for f in plan.check_plan(p)}


def test_every_finding_code(result) -> None:
    base = result.plan
    cases = {}
    p = base.model_copy(deep=True)
    p.hosts[0].guests[0].vcpus = p.hosts[0].guests[0].max_vcpus = 64
    cases["CK001"] = p
    p = base.model_copy(deep=True)
    p.hosts[0].capacity.memory_gib = 16  # 33 GiB / 16 GiB = 2.06 > 1.5
    cases["CK002"] = p
    p = base.model_copy(deep=True)
    p.hosts[0].capacity.paging_gib = 70  # rule (velocity): 77
    cases["CK003"] = p
    p = base.model_copy(deep=True)
    p.hosts[0].io.paths = 1  # 75.6 % on one path > 50 %
    cases["CK004"] = p
    p = base.model_copy(deep=True)
    g = p.hosts[0].guests[0]
    g.memory_mib = g.max_memory_mib = 30 * 1024
    cases["CK005"] = p
    p = base.model_copy(deep=True)
    p.hosts[0].guests[1].zvm.userid = "LNX00001"
    cases["CK006"] = p
    p = base.model_copy(deep=True)
    p.hosts[0].guests[0].storage[2].vdev = "0202"
    cases["CK007"] = p
    p = base.model_copy(deep=True)
    p.hosts[0].guests[0].storage.append(
        plan.StorageItem(
            id="big", role="swap", kind="vdisk", access="rw", vdev="0300", size_mib=2048
        )
    )
    cases["CK008"] = p
    p = base.model_copy(deep=True)
    p.hosts[0].guests[0].storage[0].image = "nope"
    cases["CK009"] = p
    p = base.model_copy(deep=True)
    a, b = p.hosts[0].guests[0].storage[1], p.hosts[0].guests[1].storage[1]
    b.start_cyl = a.start_cyl
    cases["CK010"] = p
    p = base.model_copy(deep=True)
    p.hosts[0].guests[0].max_memory_mib = 512
    cases["CK011"] = p
    p = base.model_copy(deep=True)
    p.hosts[0].guests[0].storage[1].start_cyl = 10_000
    cases["CK013"] = p
    for code, doc in cases.items():
        assert code in _codes(doc), code
        assert code not in _codes(base) or code == "CK012"


def test_vdisk_limit_boundary(result) -> None:
    # 4,194,296 blocks = 2047.996 MiB: 2047 MiB fits, 2048 MiB (4,194,304 blocks) does not
    for mib, bad in ((2047, False), (2048, True)):
        p = result.plan.model_copy(deep=True)
        p.hosts[0].guests[0].storage.append(
            plan.StorageItem(
                id="v", role="swap", kind="vdisk", access="rw", vdev="0300", size_mib=mib
            )
        )
        assert ("CK008" in _codes(p)) is bad
        assert "CK008" in {f.code for f in plan.check_plan(p, vdisk_max_blocks=mib * 2048 - 1)}


def test_errors_exit_flag(tmp_path) -> None:
    r = plan.build_plan(write_scenario(tmp_path, **{"target.memory_gib_per_host": 8}))
    assert r.has_errors and "CK002" in {f.code for f in r.findings}
    assert set(r.findings_frame().columns) == {"code", "severity", "message", "path"}


def test_two_hosts_and_xen(tmp_path) -> None:
    r = plan.build_plan(
        write_scenario(tmp_path, **{"target.hosts": 2, "target.memory_gib_per_host": None})
    )
    assert [h.id for h in r.plan.hosts] == ["lpar1", "lpar2"]
    assert sum(len(h.guests) for h in r.plan.hosts) == 26
    assert all(h.guests for h in r.plan.hosts)
    x = plan.build_plan(
        write_scenario(tmp_path, **{"design.name": "xen-shared-root-image", "design.overrides": {}})
    )
    assert x.plan.metadata.platform == "xen" and x.plan.hosts[0].platform == "xen"
    assert x.plan.evidence.paging.applicable is False
    assert "CK012" not in {f.code for f in x.findings if f.path == "evidence.paging"}
    g = x.plan.hosts[0].guests[0]
    assert g.zvm is None and g.xen.root == "xbd0a" and g.xen.type == "pv"  # seed 004: NetBSD domU
    n = plan.build_plan(
        write_scenario(tmp_path, **{"design.name": "xen-nfs-root", "design.overrides": {}})
    )
    g = n.plan.hosts[0].guests[0]
    assert g.xen.root == "/dev/nfs" and g.xen.extra.startswith(
        "nfsroot=10.0.0.5:/export/roots/file-01"
    )


def test_per_server_overrides(tmp_path) -> None:
    r = plan.build_plan(
        write_scenario(
            tmp_path,
            **{
                "guests.per_server": {"web": {"memory_mib": 512, "vcpus": 2}},
                "guests.extra_vcpus": 1,
            },
        )
    )
    web = [g for _, g in r.plan.guests() if g.source_server == "web"]
    assert {(g.memory_mib, g.vcpus, g.max_vcpus) for g in web} == {(512, 2, 3)}


# ---------------------------------------------------------------- bad scenario input
@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        ({"target.memory_gb_per_host": 24}, "did you mean 'memory_gib_per_host'"),
        ({"colour": "blue"}, "'colour' must be a known key"),
        ({"target.hosts": 0}, "'target.hosts' must be a whole number in 1..1000 or 'auto'"),
        (
            {"rules.channel_max_busy_pct": 140},
            "'rules.channel_max_busy_pct' must be less than or equal to 100",
        ),
        ({"guests.userid_prefix": "lnx"}, "'guests.userid_prefix'"),
        ({"design": None}, "'design' must be given"),
        ({"guests.per_server": {"mainframe": {"vcpus": 1}}}, "'guests.per_server.mainframe'"),
        ({"network.cidr": "10.1.0.0/30"}, "'network.cidr'"),
        ({"design.overrides": {"guestvol_gib": 1}}, "design.overrides.guestvol_gib"),
    ],
)
def test_bad_scenarios(tmp_path, changes, fragment) -> None:
    with pytest.raises(InputError) as exc:
        plan.build_plan(write_scenario(tmp_path, **changes))
    assert fragment in str(exc.value)


def test_unknown_design(tmp_path) -> None:
    with pytest.raises(InputError, match="unknown design 'zvm-magic'.*zvm-ro-root"):
        plan.build_plan(write_scenario(tmp_path, **{"design.name": "zvm-magic"}))


def test_malformed_and_missing(tmp_path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\ntarget: {hosts: 1\n")
    with pytest.raises(InputError, match="line 3: not valid YAML"):
        plan.load_scenario(bad)
    lst = tmp_path / "list.yaml"
    lst.write_text("- 1\n")
    with pytest.raises(InputError, match="mapping"):
        plan.load_scenario(lst)
    with pytest.raises(InputError, match="not found"):
        plan.load_scenario(tmp_path / "nope.yaml")
    with pytest.raises(InputError, match="inventory file not found"):
        plan.build_plan(write_scenario(tmp_path, inventory="missing.csv"))


def test_all_problems_listed_at_once(tmp_path) -> None:
    with pytest.raises(InputError) as exc:
        plan.build_plan(
            write_scenario(tmp_path, **{"target.hosts": -1, "target.smt": "maybe", "extra": 1})
        )
    assert len(exc.value.problems) == 3


def test_traces_of_other_servers_are_refused(tmp_path) -> None:
    """Traces must be the inventory's own servers: unrelated VMs give a clear error, not evidence."""
    trace = Path("data/traces/azure_v1_20vm_7d_cpu.csv.gz").resolve()
    with pytest.raises(InputError, match="no trace matches an inventory server"):
        plan.build_plan(write_scenario(tmp_path, traces={"path": str(trace)}))


def test_user_designs_file_in_scenario(tmp_path) -> None:
    d = tmp_path / "designs.yaml"
    d.write_text(
        "designs:\n  dedicated:\n    platform: zvm\n    parameters:\n"
        "      a_cyl: {value: 1000, unit: cyl, source: me}\n    components:\n"
        "      - {id: root, role: root, kind: mdisk, shared: false, access: rw, vdev: '0100', "
        "size: {param: a_cyl}}\n  tiny:\n    platform: zvm\n    owner: TINYBASE\n    parameters:\n"
        "      r_cyl: {value: 500, unit: cyl, source: me}\n      d_cyl: {value: 20, unit: cyl, source: me}\n"
        "    components:\n"
        "      - {id: root, role: root, kind: mdisk, shared: true, access: ro, vdev: '0100', "
        "size: {param: r_cyl}}\n"
        "      - {id: data, role: data, kind: mdisk, shared: false, access: rw, vdev: '0101', "
        "size: {param: d_cyl}}\n"
    )
    r = plan.build_plan(write_scenario(tmp_path, design={"name": "tiny", "file": str(d)}))
    assert r.plan.images[0].zvm.owner == "TINYBASE" and r.plan.images[0].zvm.count_cyl == 500
    # 26 guests: (500 + 26 × 20) vs 26 × 1000 cylinders
    assert r.plan.evidence.design.values["saving_vs_dedicated_pct"] == pytest.approx(
        100 * (1 - (500 + 26 * 20) / (26 * 1000))
    )


def test_too_many_guests_for_prefix(tmp_path) -> None:
    inv = pd.read_csv("data/examples/xyz_inventory.csv").head(1).assign(count=1000)
    s = plan.load_scenario(write_scenario(tmp_path, **{"guests.userid_prefix": "LNXAB"}))
    with pytest.raises(InputError, match="'guests.userid_prefix' must be at most 3 characters"):
        plan.build_plan(s, inventory=validate_inventory(inv, source="gen"))


def test_plan_schema_errors_become_input_errors(tmp_path) -> None:
    d = tmp_path / "designs.yaml"
    d.write_text(
        "designs:\n  dedicated:\n    platform: zvm\n    parameters:\n"
        "      a_cyl: {value: 10, unit: cyl, source: me}\n    components:\n"
        "      - {id: root, role: root, kind: mdisk, shared: false, access: rw, vdev: '0100', "
        "size: {param: a_cyl}}\n  'bad name':\n    platform: zvm\n    owner: base\n    parameters:\n"
        "      r_cyl: {value: 5, unit: cyl, source: me}\n    components:\n"
        "      - {id: root, role: root, kind: mdisk, shared: true, access: ro, vdev: '0100', "
        "size: {param: r_cyl}}\n"
    )
    with pytest.raises(InputError, match="plan assembly"):
        plan.build_plan(write_scenario(tmp_path, design={"name": "bad name", "file": str(d)}))
