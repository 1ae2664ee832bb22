"""Tests of colonykit.limits and the sizing limits/CPU-input fixes (issue 10 items 7, 9, 10)."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from colonykit import machine_limits as limits
from colonykit import reference, sizing
from colonykit.errors import InputError


def test_ifls_above_the_machine_maximum():
    # 260 IFLs on a z16 (200 cores for customer use, processors.csv) gave 0 errors before
    p = limits.ifl_problems("z16", 260)
    assert len(p) == 1 and "at most 200" in p[0] and "2 machines" in p[0]
    assert limits.ifl_problems("z16", 200) == []
    assert limits.max_ifls("z900")[0] == 15  # seed 003 §1.3: 1 CP + 15 IFLs


def test_linuxone_names_map_to_z_generations():
    assert reference.resolve_processor("LinuxONE Emperor II")[0] == "z14"
    assert reference.resolve_processor("linuxone-iii")[0] == "z15"
    p = sizing.TargetProcessor.from_catalog("LinuxONE Emperor 4")
    z16 = sizing.TargetProcessor.from_catalog("z16")
    assert (
        p.model == "z16"
        and p.engine_mips_1way == z16.engine_mips_1way
        and p.alias == "linuxone-emperor-4"
    )
    assert limits.max_ifls("LinuxONE Rockhopper II")[0] < limits.max_ifls("LinuxONE Emperor II")[0]


def test_logical_processors_per_zvm_lpar():
    # facts.md §5.1: up to 64 logical processors (32 with SMT)
    # z/VM 7.2 and earlier: 64 / 32 with SMT; 7.3 and 7.4 (the default): 80 / 40 (issue 23)
    assert limits.zvm_logical_processor_problems(64, zvm_level="7.2") == []
    assert "2 LPARs" in limits.zvm_logical_processor_problems(65, zvm_level="7.2")[0]
    assert limits.zvm_logical_processor_problems(32, smt=True, zvm_level="7.2") == []
    assert limits.zvm_logical_processor_problems(33, smt=True, zvm_level="7.2")
    assert limits.zvm_logical_processor_problems(80) == []
    assert "2 LPARs" in limits.zvm_logical_processor_problems(81)[0]


def test_vdisk_and_tdisk_space():
    # one VDISK at most 4,194,296 blocks (2 GiB - 8 blocks): 2048 MiB = 4,194,304 blocks is over
    assert limits.vdisk_problems([2047]) == []
    assert "over the 4,194,296-block maximum" in limits.vdisk_problems([2048])[0]
    assert limits.vdisk_problems([64, 128] * 10, syslim_blocks=10 * 192 * 2048) == []
    assert limits.vdisk_problems([64, 128] * 10, syslim_blocks=10 * 192 * 2048 - 1)
    assert limits.vdisk_problems([64], userlim_blocks=200_000, per_guest_mib=[64, 192])[
        0
    ].startswith("guest 2")
    assert limits.tdisk_volumes(10_016) == 1 and limits.tdisk_volumes(10_017) == 2
    assert limits.tdisk_problems(1040, None) == []


def test_xen_dom0_counts_and_no_overcommit():
    dom0 = reference.constant("xen_dom0_mib")
    assert dom0 == 2048
    p = limits.xen_memory_problems([33 * 1024], 24 * 1024)
    assert "does not overcommit" in p[0]
    assert limits.xen_memory_problems([22 * 1024], 24 * 1024) == []
    assert limits.xen_memory_problems([22 * 1024 + 1], 24 * 1024)  # dom0 pushes it over
    assert limits.xen_memory_problems([33 * 1024], 24 * 1024, overcommit=True) == []


def test_ghz_with_cores_is_refused_and_per_core_is_multiplied():
    # before: capacity_unit ghz with cores 16 silently ignored the cores (16 × undersize)
    with pytest.raises(
        InputError, match="'capacity_unit' ghz is the whole server's clock.*ghz_per_core"
    ):
        sizing.capacity_to_mips(3.0, "ghz", cores=16)
    per_core = float(sizing.capacity_to_mips(3.0, "ghz_per_core", cores=16))
    total = float(sizing.capacity_to_mips(48.0, "ghz"))
    assert per_core == total == pytest.approx(48_000 / 4)  # Barton: 4 MHz ~ 1 MIPS
    assert float(sizing.capacity_to_mips(3.0, "ghz", cores=1)) == pytest.approx(750)


def test_specrate2017_unit_is_flagged_low_confidence():
    units = reference.capacity_units()
    assert "specrate2017_int" in units.index
    assert str(units.loc["specrate2017_int", "confidence"]).startswith("low")
    assert "no public source" in units.loc["specrate2017_int", "source"]
    assert float(
        sizing.capacity_to_mips(100, "specrate2017_int", workload_class="mixed")
    ) == pytest.approx(8000)


def test_barton_flagged_in_the_summary():
    from colonykit.ingest import read_inventory

    inv, _ = read_inventory("data/examples/xyz_inventory.csv")
    res = sizing.size_inventory(inv, "z15")
    assert "mhz_per_core" in res.low_confidence
    assert "LOW CONFIDENCE" in res.summary() and "Barton" in res.summary()
    assert res.to_dict()["target"]["low_confidence_units"]


def test_xen_hosts_sized_in_x86_cores():
    from colonykit.ingest import read_inventory

    inv, _ = read_inventory("data/examples/xyz_inventory.csv")
    r = sizing.size_xen_hosts(inv, "xeon-x5450-2s")
    # by hand from xyz_inventory.csv at peak: 10×30%×2×1400 + 4×45%×360 + 2×45%×4×450 + 10×45%×2×900
    demand = 10 * 0.30 * 2800 + 4 * 0.45 * 360 + 2 * 0.45 * 1800 + 10 * 0.45 * 1800
    assert r.demand_mhz == pytest.approx(demand) == pytest.approx(18_768)
    assert r.cores_needed == math.ceil(demand / (3000 * 0.90)) == 7
    assert r.hosts_needed == 1
    user = pd.DataFrame(
        {
            "host_model": ["mine"],
            "cores": [4],
            "core_mhz": [2000],
            "relative_speed": [2.0],
            "memory_gib": [16],
            "source": ["my benchmark"],
        }
    ).set_index("host_model")
    assert sizing.size_xen_hosts(inv, "mine", table=user).cores_needed == math.ceil(
        demand / (4000 * 0.9)
    )


@given(st.floats(1, 1e5), st.integers(1, 64))
def test_per_core_clock_times_cores_equals_total(mhz, cores):
    a = float(sizing.capacity_to_mips(mhz, "mhz_per_core", cores=cores))
    b = float(sizing.capacity_to_mips(mhz * cores, "mhz"))
    assert a == pytest.approx(b)
