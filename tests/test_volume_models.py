"""Issue 20 item 6: volume models for TB-scale data disks (3390-27/54, EAV 3390-A, FCP/EDEV LUNs).

Counts are worked by hand from the geometry: a 4-KiB-formatted 3390 cylinder holds
12 × 15 × 4,096 = 737,280 B; cylinder 0 is reserved, so a 3390-9 offers 10,016 cylinders, a
3390-27 32,759, a 3390-54 65,519 and the largest EAV (1,182,006 cylinders) 1,182,005.  An EDEV
holds at most 2,147,483,640 blocks of 512 B (1 TiB minus one page); page 0 (8 blocks) holds
the label, so 2,147,483,632 blocks per LUN are left for a minidisk.
"""

from __future__ import annotations

import math
import warnings

import pandas as pd
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from colonykit import export, paging, plan, render, storage
from colonykit.errors import InputError
from colonykit.plan.summary import disk_volumes
from colonykit.render import zvm_check

CYL_BYTES = 12 * 15 * 4096
TIB_GIB = 4096  # a 4 TiB server
USABLE = {"3390-9": 10_016, "3390-27": 32_759, "3390-54": 65_519, "3390-A": 1_182_005}
EDEV_USABLE_BLOCKS = 2_147_483_640 - 8


# --------------------------------------------------------------------------- by hand
def test_4tib_server_volume_count_by_hand_on_each_model() -> None:
    need_cyl = math.ceil(TIB_GIB * 2**30 / CYL_BYTES)
    assert need_cyl == 5_965_233  # 4,398,046,511,104 B / 737,280 B = 5,965,232.4
    by_hand = {"3390-9": 596, "3390-27": 183, "3390-54": 92, "3390-A": 6}
    for model, n in by_hand.items():
        assert math.ceil(need_cyl / USABLE[model]) == n
        c = storage.choose_data_volumes(TIB_GIB, model)
        assert (c.model, len(c.minidisks), c.unit) == (model, n, "cyl")
        assert sum(c.minidisks) == need_cyl
    # EDEV: 4 TiB = 8,589,934,592 blocks; 4 LUNs of 1 TiB minus two pages fall 64 blocks short (16 per LUN)
    c = storage.choose_data_volumes(TIB_GIB, "EDEV")
    assert (c.model, c.unit, len(c.minidisks)) == ("EDEV", "blocks", 5)
    assert c.minidisks[:4] == (EDEV_USABLE_BLOCKS,) * 4 and c.minidisks[4] == 64
    # planner's LUN of 512 GiB: 1,073,741,824 − 8 blocks each -> 9
    c = storage.choose_data_volumes(TIB_GIB, "EDEV", lun_gib=512)
    assert len(c.minidisks) == 9 and sum(c.minidisks) == TIB_GIB * 2**21


def test_auto_rule_on_crafted_cases() -> None:
    auto = storage.choose_data_volumes
    assert auto(0).minidisks == () and auto(0).model == "3390-9"
    assert auto(10).model == "3390-9" and len(auto(10).minidisks) == 2  # 14,564 cyl
    eight = 8 * USABLE["3390-9"] * CYL_BYTES / 2**30  # exactly 8 full 3390-9s
    assert auto(eight).model == "3390-9" and len(auto(eight).minidisks) == 8
    assert auto(eight + 0.001).model == "3390-27"  # one cylinder more: 9 3390-9s > 8
    assert auto(72).model == "3390-27" and len(auto(72).minidisks) == 4  # 104,858 cyl
    assert auto(72, max_volumes_per_disk=11).model == "3390-9"
    assert auto(7, max_volumes_per_disk=1).model == "3390-27"  # 10,196 cyl > 10,016
    assert auto(4096).model == "3390-A"
    assert auto(4096, max_volumes_per_disk=5).model == "EDEV"  # 6 EAVs > 5
    assert (auto(10_240).model, len(auto(10_240).minidisks)) == ("EDEV", 11)
    assert auto(100, base_model="3390-27").model == "3390-27"  # never below the colony's model
    assert auto(1, base_model="3390-54").model == "3390-54"
    assert storage.choose_data_volumes(1, "3390-54").model == "3390-54"  # a forced model
    with pytest.raises(InputError, match="max_volumes_per_disk"):
        auto(1, max_volumes_per_disk=0)
    with pytest.raises(InputError, match="data_volumes"):
        storage.choose_data_volumes(1, "3390-99")
    with pytest.raises(InputError, match="lun_gib"):
        storage.choose_data_volumes(1, "EDEV", lun_gib=2048)


def test_paging_refuses_eav_and_the_edev_paging_limit_is_stated() -> None:
    with pytest.raises(InputError, match="EAV"):
        storage.page_slots_per_volume("3390-A")
    with pytest.raises(InputError, match="EAV"):
        paging.volumes_for_pages(1_000, "3390-A")
    # CP places PAGE/SPOL/DRCT in the first 64 GiB minus one page of an EDEV
    from colonykit import reference

    blocks = reference.constant("edev_cp_owned_max_blocks")
    assert blocks * 512 == 64 * 2**30 - 4096


# --------------------------------------------------------------------------- properties
@settings(max_examples=60, deadline=None)
@given(
    gib=st.floats(0, 12_000, allow_nan=False),
    limit=st.integers(1, 40),
    rule=st.sampled_from(storage.DATA_VOLUME_RULES),
    lun=st.sampled_from([None, 64.0, 500.0]),
)
def test_chosen_volumes_hold_the_request_with_one_partly_used_volume(gib, limit, rule, lun) -> None:
    c = storage.choose_data_volumes(gib, rule, max_volumes_per_disk=limit, lun_gib=lun)
    assert c.capacity_gib >= gib - 1e-9  # capacity of the chosen minidisks >= the request
    cap, _first = storage.volume_capacity(c.model, lun_gib=lun)
    if c.unit == "blocks":
        cap = cap // 8 * 8
    partly = [d for d in c.minidisks if d != cap]
    assert len(partly) <= 1 and all(0 < d <= cap for d in c.minidisks)
    if partly:
        assert c.minidisks[-1] == partly[0]  # full volumes first, the rest last
    if rule == "auto" and c.model != "EDEV":
        assert len(c.minidisks) <= limit
        # the smallest model within the limit: every smaller candidate needs more
        order = [*storage.eckd_candidates(), "3390-A"]
        for smaller in order[: order.index(c.model)]:
            assert len(storage.data_minidisk_units(gib, smaller)) > limit


# --------------------------------------------------------------------------- in a plan
def _big_plan(tmp_path, disks_gib: list[float], **storage_keys) -> plan.ColonyPlan:
    inv = pd.read_csv("data/examples/xyz_inventory.csv").head(len(disks_gib))
    inv["count"] = 1
    inv["disk_gib"] = disks_gib
    inv.to_csv(tmp_path / "inv.csv", index=False)
    data = yaml.safe_load(open("data/examples/scenario.yaml", encoding="utf-8"))
    data["inventory"] = str(tmp_path / "inv.csv")
    data["storage"].pop("data_volumes", None)  # the default rule, 'auto'
    data["storage"].update(storage_keys)
    data["target"].pop("memory_gib_per_host", None)
    (tmp_path / "s.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return plan.build_plan(tmp_path / "s.yaml").plan


def test_plan_places_a_4tib_server_on_eavs_and_10tib_on_edevs(tmp_path) -> None:
    p = _big_plan(tmp_path, [4096, 10_240, 72, 9])
    data = {g.source_server: [s for s in g.storage if s.role == "appdata"] for _h, g in p.guests()}
    file_, dns, fw, web = (data[k] for k in ("file", "dns", "firewall", "web"))
    assert [s.volume_model for s in file_] == ["3390-A"] * 6
    assert [s.volume_model for s in dns] == ["EDEV"] * 11
    assert all(s.size_cyl is None and s.start_block == 8 for s in dns)
    assert sum(s.size_blocks for s in dns) == 10_240 * 2**21
    assert [s.volume_model for s in fw] == ["3390-27"] * 4
    assert [s.volume_model for s in web] == [None, None]  # 9 GiB: 2 × 3390-9, the plan's model
    assert not [f for f in p.findings if f.severity == "error"]
    d = disk_volumes(p)
    assert d.data_minidisks_by_model == {"3390-27": 4, "3390-9": 2, "3390-A": 6, "EDEV": 11}
    assert d.volumes_by_model["3390-A"] == 6 and d.volumes_by_model["EDEV"] == 11
    assert d.volumes_by_model["3390-27"] == 4  # one 72 GiB disk: 3 full + 1 partly used
    # the z/VM directory: MDISK 3390 on the EAVs, FB-512 on the EDEVs; the validator accepts it
    files = render.render_zvm(p)
    direct = "".join(t for k, t in files.items() if k.endswith("USER.DIRECT"))
    assert direct.count(" FB-512 8 ") == 11
    assert f" 3390 0001 {USABLE['3390-A']} " in direct
    texts = [(k, t) for k, t in files.items() if k.endswith("USER.DIRECT")]
    assert (
        zvm_check.check_directory(
            texts,
            volume_cyl=render.zvm.volume_sizes(p),
            external=[("MAINT", "0190"), ("MAINT", "019E"), ("MAINT", "019D")],
        )
        == []
    )
    # the plan document round-trips through YAML; every renderer writes it
    written = export.write_plan(p, tmp_path / "out")
    again = export.load_plan(tmp_path / "out" / "plan.yaml")
    assert again.model_dump() == p.model_dump()
    feilong = "".join(
        q.read_text() for q in written if "feilong" in str(q) and q.suffix in (".json", ".yaml")
    )
    assert '"disk_pool": "FBA:POOL1"' in feilong or "disk_pool: FBA:POOL1" in feilong
    assert f'"size": "{EDEV_USABLE_BLOCKS}"' in feilong  # blocks, exact (not a rounded-up MiB)


def test_the_volume_rule_can_be_overridden(tmp_path) -> None:
    p = _big_plan(tmp_path, [4096, 9], data_volumes="3390-54")
    models = {s.volume_model for _h, g in p.guests() for s in g.storage if s.role == "appdata"}
    assert models == {"3390-54"}
    assert disk_volumes(p).data_minidisks_by_model == {"3390-54": 92 + 1}
    p = _big_plan(tmp_path, [4096, 9], max_volumes_per_disk=100)
    assert disk_volumes(p).data_minidisks_by_model == {"3390-54": 92, "3390-9": 2}
    p = _big_plan(tmp_path, [4096, 9], data_volumes="EDEV", lun_gib=512)
    assert disk_volumes(p).data_minidisks_by_model == {"EDEV": 9 + 1}


def test_a_plan_with_an_extent_past_its_eav_is_an_error(tmp_path) -> None:
    p = _big_plan(tmp_path, [4096])
    g = next(g for _h, g in p.guests())
    s = next(s for s in g.storage if s.volume_model == "3390-A")
    s.size_cyl = USABLE["3390-A"] + 1
    codes = [f.code for f in plan.check_plan(p) if f.severity == "error"]
    assert "CK013" in codes


def test_the_paging_cli_does_not_offer_the_eav() -> None:
    from colonykit.cli._io import _model_names

    assert "3390-a" not in _model_names() and "3390-54" in _model_names()


def test_plan_disk_counts_edev_minidisks(tmp_path) -> None:
    from colonykit.plan.business import plan_disk_gib

    eckd = _big_plan(tmp_path, [2048, 9], data_volumes="3390-A")
    edev = _big_plan(tmp_path, [2048, 9], data_volumes="EDEV")
    # the same 2,057 GiB of data either way (EDEV: whole pages; 3390: whole cylinders, a little more)
    assert plan_disk_gib(eckd) - plan_disk_gib(edev) == pytest.approx(
        sum(
            s.size_cyl * CYL_BYTES / 2**30
            for _h, g in eckd.guests()
            for s in g.storage
            if s.role == "appdata"
        )
        - (2048 + 9),
        abs=1e-6,
    )


def test_many_data_minidisks_skip_the_nics_devices(tmp_path) -> None:
    """A 6 TB disk on 3390-9s (813 minidisks from 0300: 8,138,021 cylinders) used to reach the NIC's 0600 (CK007)."""
    p = _big_plan(tmp_path, [6e12 / 2**30, 9], data_volumes="3390-9")
    g = next(g for _h, g in p.guests() if g.source_server == "file")
    vdevs = [s.vdev for s in g.storage if s.role == "appdata"]
    assert len(vdevs) == math.ceil(math.ceil(6e12 / CYL_BYTES) / USABLE["3390-9"]) == 813
    assert not {"0600", "0601", "0602"} & set(vdevs)  # a QDIO NIC takes 3 devices
    assert vdevs[0x2FF:0x301] == ["05FF", "0603"]  # 0300 + 767 = 05FF, then past the NIC
    assert len(set(vdevs) | {s.vdev for s in g.storage}) == len(g.storage)
    assert "CK007" not in {f.code for f in p.findings}
