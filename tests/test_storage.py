"""Tests of colonykit.storage: 3390 geometry, conversions, minidisk allocation."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from colonykit import storage
from colonykit.errors import CapacityError, InputError, UnknownNameError

# Independent figures: Linux 4-KiB formatting puts 12 blocks on a 3390 track (180 page
# slots per cylinder ÷ 15 tracks, facts.md §2.1): 12 × 15 × 4096 = 737,280 B/cyl.
BYTES_PER_CYL = 12 * 15 * 4096
#: raw one-record track (facts.md §4.4, lascon): 56,664 B/track × 15 tracks.
RAW_BYTES_PER_CYL = 56_664 * 15


def test_bytes_per_cylinder_is_4k_formatted():
    assert BYTES_PER_CYL == 737_280
    assert storage.cyl_to_bytes(1) == 737_280
    assert storage.geometry("3390-9").bytes_per_cyl == 737_280
    assert storage.geometry("3390-9").raw_bytes_per_cyl == RAW_BYTES_PER_CYL == 849_960
    assert storage.geometry("3390-9").blocks_4k_per_track == 12


@pytest.mark.parametrize(("cyl", "seed_mb"), [(3200, 2.2e9), (550, 384e6), (60, 41e6)])
def test_seed_001_minidisk_sizes(cyl, seed_mb):
    # seed 001: "3200 cylinder (~2.2 GB)", "550 cylinder (~384 MB)", "60 cylinder (~41 MB)".
    # The seed's MB/GB are binary: 3200 × 737,280 = 2.20 GiB, 550 → 386.7 MiB, 60 → 42.2 MiB
    # (the raw 849,960 B/cyl would give 2.53 GiB, 445.8 MiB, 48.6 MiB: 15 % too much).
    binary = seed_mb / 1e9 * 2**30 if seed_mb >= 1e9 else seed_mb / 1e6 * 2**20
    assert storage.cyl_to_bytes(cyl) == pytest.approx(binary, rel=0.035)
    assert abs(cyl * RAW_BYTES_PER_CYL / binary - 1) > 0.10


@pytest.mark.parametrize(
    ("model", "cylinders", "gb"),
    [
        ("3390-3", 3339, 2.84),
        ("3390-9", 10017, 8.51),
        ("3390-27", 32760, 27.84),
        ("3390-54", 65520, 55.68),
    ],
)
def test_full_volume_capacity_matches_catalog(model, cylinders, gb):
    # facts.md §4.4 table: raw capacity in decimal GB; formatted = raw × 737,280 / 849,960
    assert storage.geometry(model).cylinders == cylinders
    raw = storage.geometry(model).raw_bytes_per_cyl * cylinders
    assert raw / 1e9 == pytest.approx(gb, abs=0.01)
    assert storage.cyl_to_bytes(cylinders, model) == pytest.approx(raw * 737_280 / 849_960)


def test_page_slots_per_volume_from_cylinder_1():
    # facts.md §2.1: z/VM extent 1-10016 on a 3390-9 -> 1,802,880 pages
    assert storage.page_slots_per_volume("3390-9") == 10_016 * 180 == 1_802_880
    # extent 1-3338 on a 3390-3 (3,339 cylinders, cylinder 0 reserved)
    assert storage.page_slots_per_volume("3390-3") == 3338 * 180
    assert storage.page_slots_per_volume("3390-54") == 65_519 * 180
    assert storage.usable_cyl("3390-9") == 10_016


def test_conversions_round_up():
    assert storage.bytes_to_cyl(0) == 0
    assert storage.bytes_to_cyl(1) == 1
    assert storage.bytes_to_cyl(737_280) == 1
    assert storage.bytes_to_cyl(737_281) == 2
    assert storage.gib_to_cyl(1) == math.ceil(2**30 / 737_280) == 1457
    assert storage.cyl_to_gib(1457) == pytest.approx(1457 * 737_280 / 2**30)
    assert storage.pages_to_cyl(180) == 1
    assert storage.pages_to_cyl(181) == 2


def test_vectorized_conversions():
    out = storage.cyl_to_bytes([1, 2, 3])
    assert out.tolist() == [737_280, 2 * 737_280, 3 * 737_280]
    assert storage.gib_to_cyl(np.array([0.0, 1.0])).tolist() == [0, 1457]


@given(st.floats(min_value=0, max_value=1e13, allow_nan=False))
def test_bytes_to_cyl_is_smallest_cover(n_bytes):
    cyl = storage.bytes_to_cyl(n_bytes)
    assert cyl * BYTES_PER_CYL >= n_bytes
    assert cyl == 0 or (cyl - 1) * BYTES_PER_CYL < n_bytes


@given(st.integers(min_value=0, max_value=10**7))
def test_cyl_gib_round_trip(cyl):
    assert storage.gib_to_cyl(storage.cyl_to_gib(cyl)) in (
        cyl,
        cyl + 1,
    )  # float rounding may add one


def test_volumes_needed_examples():
    assert storage.volumes_needed([]) == 0
    assert storage.volumes_needed([10_016]) == 1
    assert storage.volumes_needed([10_016, 1]) == 2
    # FFD: 6000 + 4016 fill one volume exactly; 5000 + 5000 the next
    assert storage.volumes_needed([5000, 4016, 6000, 5000]) == 2
    # 3390-3 offers 3,338 usable cylinders
    assert storage.volumes_needed([3338] * 3, "3390-3") == 3
    assert storage.volumes_needed([1669] * 4, "3390-3") == 2


def test_cylinder_zero_is_reserved():
    # a minidisk of the full 10,017 cylinders does not fit: cylinder 0 holds the label
    with pytest.raises(CapacityError, match="cannot span"):
        storage.volumes_needed([10_017])
    assert storage.volumes_needed([10_017], reserved_cyl=0) == 1


@given(st.lists(st.integers(min_value=1, max_value=10_016), min_size=1, max_size=60))
def test_volumes_needed_bounds_and_feasible(sizes):
    n = storage.volumes_needed(sizes)
    assert n >= math.ceil(sum(sizes) / 10_016)
    assign = storage.allocate_minidisks(sizes)
    used = np.bincount(assign, weights=sizes)
    assert used.max() <= 10_016
    assert n == len(used)
    # first fit never leaves two volumes both at most half full (else the later one's
    # first minidisk would have fitted the earlier volume)
    assert int(np.sum(used <= 10_016 / 2)) <= 1


def test_storage_totals_shared_once():
    t = storage.storage_totals(10, per_guest_minidisk_cyl=[1000, 200], shared_minidisk_cyl=[3000])
    assert t.shared_cyl == 3000
    assert t.per_guest_cyl == 1200
    assert t.total_cyl == 15_000
    assert t.total_gib == pytest.approx(15_000 * 737_280 / 2**30)
    assert t.volumes == 2
    assert t.to_dict()["guests"] == 10
    assert storage.storage_totals(0).volumes == 0


@pytest.mark.parametrize("bad", [[0], [-5], [1.5], [float("nan")]])
def test_bad_minidisk_sizes(bad):
    with pytest.raises(InputError, match="minidisk_cyl"):
        storage.volumes_needed(bad)


def test_bad_inputs():
    with pytest.raises(InputError, match="'cyl' must be >= 0"):
        storage.cyl_to_bytes(-1)
    with pytest.raises(InputError, match="'gib'"):
        storage.gib_to_cyl(float("inf"))
    with pytest.raises(UnknownNameError, match="3390-9"):
        storage.cyl_to_bytes(1, "3390-7")
    with pytest.raises(InputError, match="guests"):
        storage.storage_totals(-1)


def test_application_disk_from_inventory_disk_gib():
    # issue 10 item 2: the XYZ file server's 72 GiB (data/examples/xyz_inventory.csv) becomes
    # 72 × 2**30 / 737,280 = 104,857.6 -> 104,858 cylinders, split into 3390-9 volumes of 10,016
    f = storage.application_disk([72, 9, 0])
    assert f.loc[0, "data_cyl"] == math.ceil(72 * 2**30 / 737_280) == 104_858
    assert f.loc[0, "minidisks"] == [10_016] * 10 + [104_858 - 10 * 10_016]
    assert f.loc[1, "minidisks"] == [10_016, math.ceil(9 * 2**30 / 737_280) - 10_016]
    assert f.loc[2, "minidisks"] == []
    assert (f["capacity_gib"] >= f["disk_gib"]).all()
    x = storage.application_disk([72], "xen")
    assert x.loc[0, "image_mib"] == 72 * 1024


def test_storage_totals_count_data_minidisks():
    data = storage.application_disk([72] * 10)["minidisks"].sum()
    t = storage.storage_totals(10, [300], [3338], data_minidisk_cyl=data)
    assert t.data_cyl == 10 * 104_858
    assert t.total_cyl == 3338 + 10 * 300 + 10 * 104_858
    assert t.volumes >= math.ceil(t.total_cyl / 10_016)


@given(st.floats(min_value=0, max_value=5000, allow_nan=False))
def test_data_minidisks_hold_the_disk_and_fit_volumes(gib):
    disks = storage.data_minidisk_cyl(gib)
    assert sum(disks) * 737_280 >= gib * 2**30 - 1e-3
    assert all(1 <= d <= 10_016 for d in disks)
