"""Tests of colonykit.storage: 3390 geometry, conversions, minidisk allocation."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from colonykit import storage
from colonykit.errors import CapacityError, InputError, UnknownNameError

# Independent figures (facts.md §4.4): 56,664 B/track × 15 tracks = 849,960 B/cyl.
BYTES_PER_CYL = 56_664 * 15


def test_bytes_per_cylinder_matches_lascon():
    assert BYTES_PER_CYL == 849_960
    assert storage.cyl_to_bytes(1) == 849_960
    assert storage.geometry("3390-9").bytes_per_cyl == 849_960


@pytest.mark.parametrize(("model", "cylinders", "gb"), [
    ("3390-3", 3339, 2.84), ("3390-9", 10017, 8.51), ("3390-27", 32760, 27.84), ("3390-54", 65520, 55.68),
])
def test_full_volume_capacity_matches_catalog(model, cylinders, gb):
    # facts.md §4.4 table: capacity in decimal GB
    assert storage.geometry(model).cylinders == cylinders
    assert storage.cyl_to_bytes(cylinders, model) / 1e9 == pytest.approx(gb, abs=0.01)


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
    assert storage.bytes_to_cyl(849_960) == 1
    assert storage.bytes_to_cyl(849_961) == 2
    assert storage.gib_to_cyl(1) == math.ceil(2**30 / 849_960) == 1264
    assert storage.cyl_to_gib(1264) == pytest.approx(1264 * 849_960 / 2**30)
    assert storage.pages_to_cyl(180) == 1
    assert storage.pages_to_cyl(181) == 2


def test_vectorized_conversions():
    out = storage.cyl_to_bytes([1, 2, 3])
    assert out.tolist() == [849_960, 2 * 849_960, 3 * 849_960]
    assert storage.gib_to_cyl(np.array([0.0, 1.0])).tolist() == [0, 1264]


@given(st.floats(min_value=0, max_value=1e13, allow_nan=False))
def test_bytes_to_cyl_is_smallest_cover(n_bytes):
    cyl = storage.bytes_to_cyl(n_bytes)
    assert cyl * BYTES_PER_CYL >= n_bytes
    assert cyl == 0 or (cyl - 1) * BYTES_PER_CYL < n_bytes


@given(st.integers(min_value=0, max_value=10**7))
def test_cyl_gib_round_trip(cyl):
    assert storage.gib_to_cyl(storage.cyl_to_gib(cyl)) in (cyl, cyl + 1)  # float rounding may add one


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
    assert t.total_gib == pytest.approx(15_000 * 849_960 / 2**30)
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
