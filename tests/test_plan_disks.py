"""Issue 10, the disks a plan writes: application-disk minidisks and images from the inventory's
``disk_gib``, ro-root's R/O ``/var/lib/rpm`` disk 0186, VDISK SYSLIM (CK020) and TDISK space (CK021).

Expected values are worked by hand from the geometry (a 4-KiB-formatted 3390 cylinder holds
12 blocks × 15 tracks × 4 KiB = 737,280 B; a 3390-9 has 10,017 cylinders, cylinder 0 reserved).
"""

from __future__ import annotations

import math
import warnings

import pandas as pd
import pytest
import yaml

from colonykit import designs, export, plan
from colonykit.plan.assembly import _application_disk
from colonykit.render.zvm import render_zvm

CYL_BYTES = 12 * 15 * 4096
USABLE_3390_9 = 10_017 - 1


def _build(**changes):
    # these tests work the 3390-9 arithmetic by hand: every data disk on 3390-9s (the 'auto'
    # volume rule is tested in tests/test_volume_models.py)
    changes.setdefault("storage.data_volumes", "3390-9")
    scen = plan.load_scenario("data/examples/scenario.yaml")
    data = scen.model_dump()
    for dotted, value in changes.items():
        node = data
        *parents, leaf = dotted.split(".")
        for k in parents:
            node = node[k]
        node[leaf] = value
    s = plan.parse_scenario(data, "scenario.yaml", "data/examples")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return plan.build_plan(s).plan


def _guests(p):
    return {g.name: g for h in p.hosts for g in h.guests}


def test_application_disk_minidisks_per_guest():
    p = _build()
    g = _guests(p)["file-01"]  # XYZ file server: 72 GiB
    data = [s for s in g.storage if s.role == "appdata"]
    need = math.ceil(72 * 2**30 / CYL_BYTES)  # 104,857.6 -> 104,858 cylinders
    full, rest = divmod(need, USABLE_3390_9)
    assert [s.size_cyl for s in data] == [USABLE_3390_9] * full + [rest] == [10_016] * 10 + [4_698]
    assert [s.vdev for s in data] == [f"{0x300 + j:04X}" for j in range(11)]  # 0300 … 030A
    assert {s.kind for s in data} == {"mdisk"} and {s.access for s in data} == {"rw"}
    assert all(s.volser and s.start_cyl for s in data)
    # every guest's data cylinders add up to the design evidence's figure
    total = sum(s.size_cyl for x in _guests(p).values() for s in x.storage if s.role == "appdata")
    assert total == p.evidence.design.values["application_data_cyl"]
    assert not [
        f for f in p.findings if f.code in ("CK007", "CK010", "CK013")
    ]  # no clash, no overlap


def test_application_disk_minidisks_in_the_directory(tmp_path):
    p = _build()
    files = render_zvm(p)
    text = "\n".join(v for k, v in files.items() if "lpar" in str(k))
    entry = text.split("USER LNX00010 ")[1].split("\n*")[0]  # file-10, the tenth guest
    mdisks = [ln.split() for ln in entry.splitlines() if ln.strip().startswith("MDISK 03")]
    assert len(mdisks) == 11
    assert sum(int(m[4]) for m in mdisks) == math.ceil(72 * 2**30 / CYL_BYTES)


def test_xen_application_disk_is_one_image():
    p = _build(
        **{
            "design.name": "xen-shared-root-image",
            "design.overrides": {},
            "target.memory_gib_per_host": 40,
        }
    )
    g = _guests(p)["file-01"]
    data = [s for s in g.storage if s.role == "appdata"]
    assert len(data) == 1 and data[0].kind == "image"
    assert data[0].size_mib == 72 * 1024
    used = [s.vdev for s in g.storage if s.role != "appdata"]
    assert data[0].vdev not in used and data[0].vdev == "xvde"  # after the seed's xvda … xvdd
    assert data[0].target.endswith("/file-01-appdata.img")


def test_no_application_disk_when_disk_gib_is_missing():
    inv = pd.DataFrame({"server": ["a"], "count": [2], "disk_gib": [float("nan")]})
    scen = plan.load_scenario("data/examples/scenario.yaml")
    app = _application_disk(scen, designs.get_design(scen.design.name), inv)
    assert app["data_cyl"].tolist() == [0, 0] and app["minidisks"].map(len).tolist() == [0, 0]


def test_data_vdev_range_is_checked():
    with pytest.raises(ValueError, match="data_vdev_first"):
        _build(**{"storage.data_vdev_first": "FFFA"})  # 11 devices from FFFA run past FFFF


def test_ro_root_keeps_the_rpm_disk_0186():
    p = _build(**{"design.name": "zvm-ro-root", "design.overrides": {}})
    img = {i.id: i for i in p.images}["zvm-ro-root-rpm"]
    assert img.mount == "/var/lib/rpm" and img.zvm.vdev == "0186" and img.size_cyl == 100
    # 30 MB per GB of /usr × 2.2 GB root = 66 MB -> 66e6 / 737,280 = 89.5 -> 90 cyl, rounded up to 100
    assert math.ceil(30e6 * 2.2 / CYL_BYTES) == 90
    g = next(iter(_guests(p).values()))
    rpm = [s for s in g.storage if s.vdev == "0186"]
    assert rpm and rpm[0].kind == "shared" and rpm[0].access == "ro"
    files = render_zvm(p)
    lpar = "\n".join(v for k, v in files.items() if "lpar" in str(k))
    owners = "\n".join(v for k, v in files.items() if "owner" in str(k))
    assert "LINK LNXGOLD 0186 0186 RR" in lpar
    assert " MDISK 0186 3390 " in owners and owners.count("MDISK 0186") == 1


def test_plan_yaml_quotes_device_numbers():
    # YAML 1.2 readers take a plain 0186 as the integer 186; the plan quotes it
    p = _build(**{"design.name": "zvm-ro-root", "design.overrides": {}})
    text = export.plan_to_yaml(p)
    assert "vdev: '0186'" in text and "vdev: 0186" not in text
    assert yaml.safe_load(text)["images"][2]["zvm"]["vdev"] == "0186"


def test_ck020_vdisks_over_syslim():
    # basevol/guestvol: 26 guests × 200 MiB V-DISK swap = 5,200 MiB = 10,649,600 blocks
    blocks = 26 * 200 * 2048
    assert blocks == 10_649_600
    p = _build(**{"target.vdisk_syslim_blocks": blocks - 1})
    msgs = [f.message for f in p.findings if f.code == "CK020"]
    assert len(msgs) == 1 and "10,649,600 blocks" in msgs[0] and "SYSLIM 10,649,599" in msgs[0]
    assert [f.severity for f in p.findings if f.code == "CK020"] == ["error"]
    assert not [
        f for f in _build(**{"target.vdisk_syslim_blocks": blocks}).findings if f.code == "CK020"
    ]
    assert not [f for f in _build().findings if f.code == "CK020"]  # not given: not checked


def test_ck021_tdisks_over_the_tdisk_space():
    # the dedicated design: 26 guests × a 40-cylinder T-disk swap (seed 000) = 1,040 cylinders
    kw = {"design.name": "dedicated", "design.overrides": {}}
    p = _build(**kw, **{"target.tdisk_space_cyl": 1_000})
    msgs = [f.message for f in p.findings if f.code == "CK021"]
    assert len(msgs) == 1 and "1,040 cylinders" in msgs[0] and "1,000" in msgs[0]
    assert not [
        f for f in _build(**kw, **{"target.tdisk_space_cyl": 1_040}).findings if f.code == "CK021"
    ]
