"""Worked examples published in IBM and Velocity Software material, beyond seed 003.

Each test names its source and computes the expected value from the source's own numbers,
independently of the code under test (issue 10 item 12).
"""

from __future__ import annotations

import math

import pytest

from colonykit import channels, memory, paging, sizing, storage


def test_barton_20_pct_of_1_ghz_is_about_50_mips():
    # IBM Redbook "IBM Lotus Domino 6.5 for Linux on zSeries Implementation" (2003) §11.3:
    # "4 MHz of Intel ~ 1 MIPS"; 20 % of a 1 GHz Intel processor ~ 50 MIPS.
    full = float(sizing.capacity_to_mips(1000, "mhz"))
    assert 0.20 * full == pytest.approx(0.20 * 1000 / 4) == 50
    assert float(sizing.capacity_to_mips(1.0, "ghz")) == full


def test_ficon_channel_bus_busy_400_plus_600_over_3200():
    # IBM z/VM performance tip "Understanding z/VM channel busy" (chanbusy.html, 2023):
    # FICON Express16S+ moving 400 MB/s read + 600 MB/s write of 3,200 MB/s -> 31.3 % busy
    assert channels.channel_bus_busy_pct(400, 600, 3200) == (400 + 600) / 3200 * 100 == 31.25
    cap = channels.channel_capacity("ficon-express16s-plus")["data_rate_mb_per_s"]
    assert channels.channel_bus_busy_pct(400, 600, cap) == pytest.approx(31.25)


def test_ibm_path_demand_4_5_ms_times_1200_is_540_pct():
    # IBM Redbook "Storage Management with DB2 for OS/390": 4.5 ms × 1,200 I/O/s = 540 %, >= 6 paths
    assert channels.path_busy_pct(4.5, 1200) == 4.5 * 1200 / 1000 * 100
    assert channels.paths_needed(540.0, 100) == math.ceil(540 / 100) == 6


def test_ibm_overcommit_15_guests_of_1_gb_on_10_gb():
    # IBM z/VM performance tip memory.html: 15 × 1 GB guests on 10 GB real -> 1.5:1
    assert memory.overcommit_ratio([1024] * 15, 10 * 1024) == 15 / 10


def test_velocity_20_servers_of_1_gb_at_2_to_1_need_12_gb():
    # Velocity Software tuning guide, Storage Analysis (STORELVL.html):
    # "For 20 Linux servers at 1GB each with a target over-commit ratio of 2, 12GB will be required"
    assert memory.real_storage_for_overcommit(20 * 1024, 2.0) == (20 * 1 / 2 + 2) * 1024


def test_redbook_paging_times_4_and_device_rates():
    # Domino 6.5 Redbook §11.10: page space = (Σ virtual + Σ VDISK) × 4; at 20 % device busy a
    # 15-20 ms RVA/ESCON device supports ~10 I/O/s, a 1-2 ms ESS/FICON device over 100 I/O/s
    r = paging.paging_space([2048] * 50, 64 * 1024, vdisk_mib=[256] * 50, rule="redbook-2003")
    assert r.paging_gib == (50 * 2048 + 50 * 256) * 4 / 1024
    assert int(paging.devices_for_page_rate(10, service_ms=20)) == 1  # 10 × 20 ms = 20 % busy
    assert int(paging.devices_for_page_rate(11, service_ms=20)) == 2
    assert int(paging.devices_for_page_rate(100, service_ms=2)) == 1  # 100 × 2 ms = 20 %


def test_zvm_query_alloc_page_extents():
    # zvm-bootcamp QUERY ALLOC PAGE: extent 1-3337 -> 600,660 pages; 0-2500 -> 450,180 (facts.md §2.1);
    # z/OS: a 65,520-cylinder 3390 holds 11,793,600 slots
    assert 3337 * storage.geometry("3390-3").page_slots_per_cyl == 600_660
    assert int(storage.pages_to_cyl(450_180)) == 2501
    assert storage.geometry("3390-54").cylinders * 180 == 11_793_600


def test_velocity_paging_never_more_than_75_pct_allocated():
    # Velocity tuning guide SYSPAGE.html: 2 × the requirement and at most 75 % allocated
    r = paging.paging_space(0, 1024, rule="velocity", requirement_mib=3000)
    assert r.paging_gib * 1024 == max(2 * 3000, 3000 / 0.75)
    assert 3000 / (r.paging_gib * 1024) <= 0.75


def test_seed_001_minidisk_capacities():
    # seed 001 (Red Hat, RHEL 5 on System z): 3200 cyl ~ 2.2 GB, 550 cyl ~ 384 MB, 60 cyl ~ 41 MB
    assert round(float(storage.cyl_to_gib(3200)), 1) == 2.2
    assert round(storage.cyl_to_bytes(550) / 2**20) == pytest.approx(384, abs=3)
    assert round(storage.cyl_to_bytes(60) / 2**20) == pytest.approx(41, abs=1.5)


def test_rhel5_xen_33_gib_of_domus_on_24_gib_is_refused():
    # facts.md §5.2: RHEL 5 did not support memory overcommit for Xen; dom0 memory counts
    from colonykit import machine_limits as limits

    assert limits.xen_memory_problems([1024] * 33, 24 * 1024)
    assert limits.xen_memory_problems([1024] * 20, 24 * 1024) == []  # 20 GiB + 2 GiB dom0 fits
    assert limits.xen_memory_problems([1024] * 23, 24 * 1024)  # 23 + 2 > 24
