"""Tests of colonykit.memory: overcommit, VDISK/RAMdisk/hybrid swap, NSS/DCSS, CMM, MDC carve-out."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from colonykit import memory, paging
from colonykit.errors import ColonykitWarning, InputError, UnknownNameError
from colonykit.memory import GuestMemory


def _quiet(*args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ColonykitWarning)
        return memory.lpar_memory(*args, **kwargs)


def test_ibm_overcommit_example():
    # facts.md §5.2: 15 × 1 GB guests on 10 GB of real storage -> 1.5:1
    assert memory.overcommit_ratio([1024] * 15, 10 * 1024) == 1.5
    r = memory.lpar_memory([GuestMemory("g", 1024, count=15, working_set_mib=300)], 10 * 1024)
    assert r.overcommit_ratio == 1.5
    assert r.warnings == []


def test_overcommit_counts_only_logged_on_guests():
    guests = [GuestMemory("on", 1024, count=15), GuestMemory("off", 4096, count=5, logged_on=False)]
    r = _quiet(guests, 10 * 1024)
    assert r.virtual_total_mib == 15 * 1024
    assert r.overcommit_ratio == 1.5


def test_overcommit_warning_and_strict():
    g = [GuestMemory("g", 1024, count=20, working_set_mib=100)]
    with pytest.warns(ColonykitWarning, match=r"overcommit 2\.00:1.*limit 1\.5:1"):
        memory.lpar_memory(g, 10 * 1024)
    with pytest.raises(InputError, match="overcommit"):
        memory.lpar_memory(g, 10 * 1024, strict=True)
    # a configurable limit
    r = memory.lpar_memory(g, 10 * 1024, max_memory_overcommit_ratio=2.0)
    assert r.warnings == []


def test_working_set_defaults_to_virtual():
    # seed 003 §9.1.1: Linux guests use all the storage they are given
    r = _quiet([GuestMemory("g", 512, count=4)], 4096)
    assert r.resident_total_mib == 4 * 512


def test_prioritized_vdisks_only_written_pages_exist():
    # facts.md §5.3: 1 GB of swap need as 10 × 100 MB VDISKs; pages exist only once written
    fill = memory.vdisk_fill_mib([100] * 10, 9)
    assert fill.sum() == 9 and fill[0] == 9 and fill[1:].sum() == 0
    fill = memory.vdisk_fill_mib([100] * 10, 250)
    assert fill.tolist() == [100, 100, 50] + [0] * 7
    fill = memory.vdisk_fill_mib([100] * 10, 5000)
    assert fill.sum() == 1000
    g = GuestMemory("g", 512, working_set_mib=200, vdisk_mib=(100,) * 10, swap_mib=9)
    r = memory.lpar_memory([g], 4096)
    row = r.guests.iloc[0]
    assert row.vdisk_defined_mib == 1000
    assert row.vdisk_written_mib == 9
    assert row.vdisk_touched_mib == 100
    assert row.resident_mib == 209
    t = memory.lpar_memory([g], 4096, vdisk_footprint="touched")
    assert t.guests.iloc[0].resident_mib == 300
    # the paging rules count the defined VDISK size
    assert r.vdisk_total_mib == 1000


@given(st.lists(st.floats(0, 1000), min_size=1, max_size=8), st.floats(0, 10_000))
def test_vdisk_fill_invariants(sizes, swap):
    fill = memory.vdisk_fill_mib(sizes, swap)
    assert fill.sum() == pytest.approx(min(swap, sum(sizes)), abs=1e-6)
    assert np.all(fill <= np.asarray(sizes) + 1e-9)
    # priority order: a lower-priority disk gets data only when every higher one is full
    for i in range(1, len(sizes)):
        if fill[i] > 0:
            assert np.allclose(fill[:i], sizes[:i])


def test_hybrid_swap_ramdisk_first_then_vdisk():
    # seed 003 §3.3.5: RAMdisk swap (higher priority) fills first, then the VDISK
    g = GuestMemory(
        "h", 512, working_set_mib=512, ramdisk_swap_mib=64, vdisk_mib=(256,), swap_mib=100
    )
    row = memory.lpar_memory([g], 4096).guests.iloc[0]
    assert row.ramdisk_swap_used_mib == 64
    assert row.vdisk_written_mib == 36
    assert row.resident_mib == 512 + 36  # RAMdisk is inside virtual storage: no extra
    assert row.swap_overflow_mib == 0


def test_swap_overflow_warns():
    g = GuestMemory("x", 512, working_set_mib=100, vdisk_mib=(50,), swap_mib=80)
    with pytest.warns(ColonykitWarning, match="exceeds its RAMdisk and VDISK swap by 30"):
        r = memory.lpar_memory([g], 4096)
    assert r.guests.iloc[0].swap_overflow_mib == 30


def test_nss_and_dcss_counted_once_per_lpar():
    # facts.md §5.4: NSS shares ~1.5 MB of kernel; a DCSS is counted once
    guests = [
        GuestMemory(
            "web", 256, count=100, working_set_mib=200, nss=True, dcss=("usr",), dcss_private_mib=50
        )
    ]
    r = memory.lpar_memory(guests, 64 * 1024, shared_segments={"usr": 50})
    per_guest = 200 - 1.5 - 50
    assert r.shared_mib == 51.5
    assert r.resident_total_mib == pytest.approx(100 * per_guest + 51.5)
    # without sharing every guest holds its own copy
    plain = memory.lpar_memory([GuestMemory("web", 256, count=100, working_set_mib=200)], 64 * 1024)
    assert plain.resident_total_mib - r.resident_total_mib == pytest.approx(99 * 51.5)


def test_dcss_saves_only_private_pages_not_the_whole_segment():
    # issue 10 item 3: 100 guests × 600 MiB working set, one 1,024 MiB DCSS.  Before the fix every
    # guest was credited with the whole segment: 1,025.5 MiB resident for the LPAR.  A DCSS is resident
    # once; each guest saves only what it would otherwise hold privately.
    g = GuestMemory("web", 1024, count=100, working_set_mib=600, nss=True, dcss=("big",))
    none = memory.lpar_memory([g], 128 * 1024, shared_segments={"big": 1024})
    assert none.resident_total_mib == pytest.approx(
        100 * (600 - 1.5) + 1024 + 1.5
    )  # 0 saved by default
    some = memory.lpar_memory(
        [GuestMemory(**{**g.__dict__, "dcss_private_mib": 150})],
        128 * 1024,
        shared_segments={"big": 1024},
    )
    assert some.resident_total_mib == pytest.approx(100 * (600 - 1.5 - 150) + 1025.5)
    # bounded by the segment: claiming 5,000 MiB private saves at most the 1,024 MiB it maps
    cap = memory.lpar_memory(
        [GuestMemory(**{**g.__dict__, "dcss_private_mib": 5000, "working_set_mib": 1024})],
        256 * 1024,
        shared_segments={"big": 1024},
    )
    assert cap.guests.iloc[0].shared_saving_mib == pytest.approx(
        1024
    )  # NSS 1.5 + DCSS capped by the ws


def test_dcss_page_range_and_placement_outside_guest_storage():
    # seed 001: "CP DEFSEG dcss_name F000-FFFF SR LOADNSHR" is a 16 MB DCSS in the 240MB-256MB range
    assert (
        memory.dcss_range_mib("F000-FFFF")
        == (0xF000 * 4096 / 2**20, 0x10000 * 4096 / 2**20)
        == (240, 256)
    )
    ok = GuestMemory("small", 240, count=2, dcss=("xip",))
    bad = GuestMemory("big", 512, count=1, dcss=("xip",))
    r = memory.lpar_memory([ok], 4096, shared_segments={"xip": "F000-FFFF"})
    assert r.placement_problems == [] and r.shared_mib == 16
    with pytest.warns(ColonykitWarning, match="reaches into DCSS xip at 240 MiB"):
        r2 = memory.lpar_memory([ok, bad], 4096, shared_segments={"xip": "F000-FFFF"})
    assert len(r2.placement_problems) == 1 and "guest big" in r2.placement_problems[0]
    with pytest.raises(InputError, match="DCSS page range"):
        memory.dcss_range_mib("F000")


def test_real_storage_for_overcommit_velocity_example():
    # Velocity tuning guide (STORELVL.html): 20 Linux servers at 1 GB, target over-commit 2 -> 12 GB
    # (# of servers × server size / 2 plus 2 GB for z/VM)
    assert memory.real_storage_for_overcommit(20 * 1024, 2) == (20 * 1024) / 2 + 2048 == 12 * 1024
    # WAS/Domino 1.5 (default), Oracle 3
    assert memory.real_storage_for_overcommit(30 * 1024) == pytest.approx(30 * 1024 / 1.5 + 2048)
    r = memory.lpar_memory(
        [GuestMemory("g", 1024, count=20, working_set_mib=400)],
        12 * 1024,
        target_overcommit_ratio=2,
        max_memory_overcommit_ratio=2,
    )
    assert r.real_for_target_mib == 12 * 1024 and r.zvm_kept_mib == 2048


def test_cmm_and_mdc_and_cp():
    g = [GuestMemory("g", 1024, count=10, working_set_mib=800, cmm_mib=300)]
    r = memory.lpar_memory(g, 8192, mdc_mib=256, cp_mib=100)
    assert r.resident_total_mib == 10 * 500 + 256 + 100
    assert r.guest_real_mib == 8192 - 256 - 100
    assert r.fits and r.shortfall_mib == 0


def test_shortfall_warns():
    g = [GuestMemory("g", 1024, count=10, working_set_mib=1000)]
    with pytest.warns(ColonykitWarning, match="exceeds real storage"):
        r = memory.lpar_memory(g, 8192, max_memory_overcommit_ratio=5)
    assert not r.fits
    assert r.shortfall_mib == 10_000 - 8192


def test_frame_input_and_defaults():
    frame = pd.DataFrame(
        {
            "name": ["a", "b"],
            "virtual_mib": [512, 1024],
            "count": [2, 3],
            "vdisk_mib": ["100;100", None],
            "dcss": ["", "usr"],
            "swap_mib": [150, 0],
            "nss": ["yes", "no"],
            "dcss_private_mib": [0, 40],
        }
    )
    r = memory.lpar_memory(frame, 16 * 1024, shared_segments={"usr": 20})
    a, b = r.guests.iloc[0], r.guests.iloc[1]
    assert a.vdisk_defined_mib == 200 and a.vdisk_written_mib == 150
    assert a.shared_saving_mib == 1.5 and b.shared_saving_mib == 20
    assert r.shared_mib == 21.5
    assert r.to_dict()["virtual_total_mib"] == 2 * 512 + 3 * 1024


def test_memory_over_matches_pointwise():
    g = GuestMemory("g", 1024, working_set_mib=400, nss=True, vdisk_mib=(100, 100), swap_mib=50)
    f = memory.memory_over(g, [0, 1, 15, 40], 10 * 1024, mdc_mib=128)
    for row in f.itertuples():
        one = _quiet([GuestMemory(**{**g.__dict__, "count": row.guests})], 10 * 1024, mdc_mib=128)
        assert row.resident_total_mib == pytest.approx(one.resident_total_mib)
        assert row.overcommit_ratio == pytest.approx(one.overcommit_ratio)


@given(st.integers(1, 200), st.floats(64, 8192), st.floats(0, 1), st.floats(1024, 1e6))
def test_resident_never_above_virtual_plus_vdisk_and_monotone(n, v, ws_frac, real):
    g = GuestMemory("g", v, count=n, working_set_mib=v * ws_frac)
    kw = {"nss_kernel_mib": 1.5, "max_memory_overcommit_ratio": 1.5}
    r = _quiet([g], real, **kw)
    assert r.resident_total_mib <= r.virtual_total_mib + 1e-6
    r2 = _quiet([GuestMemory("g", v, count=n + 1, working_set_mib=v * ws_frac)], real, **kw)
    assert r2.resident_total_mib >= r.resident_total_mib
    assert r2.overcommit_ratio > r.overcommit_ratio


@pytest.mark.parametrize(
    ("guest", "match"),
    [
        (GuestMemory("a", 0), "virtual_mib"),
        (GuestMemory("a", 512, working_set_mib=600), "working_set_mib"),
        (GuestMemory("a", 512, cmm_mib=-1), "cmm_mib"),
        (GuestMemory("a", 512, swap_mib=float("nan")), "swap_mib"),
        (GuestMemory("a", 512, count=-2), "count"),
        (GuestMemory("a", 512, vdisk_mib=(-5,)), "vdisk_mib"),
    ],
)
def test_bad_guest(guest, match):
    with pytest.raises(InputError, match=match) as exc:
        memory.lpar_memory([guest], 4096)
    assert "row 1" in str(exc.value)


def test_bad_lpar_inputs():
    g = [GuestMemory("a", 512)]
    with pytest.raises(InputError, match="real_mib"):
        memory.lpar_memory(g, 0)
    with pytest.raises(InputError, match="mdc_mib"):
        memory.lpar_memory(g, 1024, mdc_mib=2048)
    with pytest.raises(InputError, match="shared_segments"):
        memory.lpar_memory(g, 1024, shared_segments={"big": 4096})
    with pytest.raises(UnknownNameError, match="shared segment 'usr'"):
        memory.lpar_memory([GuestMemory("a", 512, dcss=("usr",))], 1024)
    with pytest.raises(InputError, match="vdisk_footprint"):
        memory.lpar_memory(g, 1024, vdisk_footprint="all")


@pytest.mark.shared_data
def test_bitbrains_real_memory(shared_data):
    """499 Bitbrains business VMs: provisioned memory as virtual, weekly peak use as working set."""
    vms = pd.read_csv(shared_data / "bitbrains_rnd" / "bitbrains_rnd_20130902_7d_vms.csv")
    frame = pd.DataFrame(
        {
            "name": vms["vm"].astype(str),
            "virtual_mib": vms["mem_capacity_mb"].astype(float),
            "working_set_mib": np.minimum(vms["mem_mb_peak"], vms["mem_capacity_mb"]).astype(float),
        }
    )
    frame = frame[frame["virtual_mib"] > 0]
    real = float(frame["working_set_mib"].sum()) * 1.25  # 25 % above the summed peaks
    r = _quiet(frame, real)
    # independent sums straight from the file
    assert r.virtual_total_mib == pytest.approx(frame["virtual_mib"].sum())
    assert r.resident_total_mib == pytest.approx(frame["working_set_mib"].sum())
    assert r.overcommit_ratio == pytest.approx(frame["virtual_mib"].sum() / real)
    assert r.overcommit_ratio > 1.5  # these VMs use far less than they are given
    assert r.fits
    p = paging.paging_space(frame["virtual_mib"].tolist(), real, rule="sg24-6299")
    assert p.paging_gib == pytest.approx(2 * (frame["virtual_mib"].sum() + real) / 1024)


def test_host_memory_for_a_plan_lpar():
    # the bundled XYZ plan: 33 GiB of guests in a 24 GiB LPAR (data/examples/scenario.yaml)
    r = memory.host_memory([1024] * 33, 24 * 1024, mdc_mib=256)
    assert r.cp_mib == 2048 - 256 and r.mdc_mib == 256  # Velocity's 2 GB includes the MDC
    assert r.resident_total_mib == 33 * 1024 + 2048
    assert r.shortfall_mib == 33 * 1024 + 2048 - 24 * 1024
    assert r.real_for_target_mib == pytest.approx(33 * 1024 / 1.5 + 2048)
    half = memory.host_memory([1024] * 33, 24 * 1024, working_set_frac=0.5)
    assert half.fits and half.resident_total_mib == 33 * 512 + 2048
    assert memory.host_memory([], 4096).resident_total_mib == 2048
