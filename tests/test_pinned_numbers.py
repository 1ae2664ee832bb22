"""Every printed number pinned (issue 27 §2): one hand-worked value per mutant that survived.

A hand-made mutation run (one change at a time) left these derived columns unpinned; each test
below computes the printed figure by hand from the formula in the source and its inputs, at a
point where the mutant (named in the test) gives a different number.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from colonykit import channels, measured, packing, paging, reference, sizing
from colonykit.ingest import validate_inventory

#: z990: 450 MIPS 1-way; bundled mp_effect.csv: 2-way 0.950 (LSPR 855 MIPS)
Z990_1WAY = 450.0
Z990_2WAY = 2 * 450.0 * 0.950


def _inventory(util_peak_pct: float = 45.0, count: int = 1) -> pd.DataFrame:
    """One server of 1,000 MIPS (capacity unit ``mips``: no workload-class conversion)."""
    return validate_inventory(
        pd.DataFrame(
            [
                {
                    "server": "a",
                    "role": "x",
                    "capacity": 1000.0,
                    "capacity_unit": "mips",
                    "util_avg_pct": 10.0,
                    "util_peak_pct": util_peak_pct,
                    "workload_class": "web",
                    "memory_mib": 512.0,
                    "disk_gib": 10.0,
                    "count": count,
                }
            ]
        ),
        source="test",
    )


def _z990(max_ifls: int = 0) -> sizing.TargetProcessor:
    return sizing.TargetProcessor(
        model="z990",
        engine_mips_1way=Z990_1WAY,
        max_engines=32,
        smt_available=False,
        smt_uplift_frac=0.0,
        source="test",
        max_ifls=max_ifls,
    )


def test_util_at_engines_pct_is_the_busy_share_of_the_sized_engines() -> None:
    """Mutant: ``× 100`` instead of ``× target_util_pct`` (prints 65.0 instead of 58.5)."""
    res = sizing.size_inventory(
        _inventory(45.0), _z990(), target_util_pct=90, cp_overhead_pct=10, nway_uplift=False
    )
    t = res.target.loc["typical"]
    # 45 % of 1,000 MIPS = 450 guest MIPS; busy with 10 % CP = 450 / 0.9 = 500 MIPS;
    # required at 90 % = 500 / 0.9 = 555.6 > 450 (1-way) -> 2 engines of 855 MIPS
    assert t["engines"] == 2
    assert t["required_mips"] == pytest.approx(450 / 0.9 / 0.9, rel=1e-12)
    assert t["capacity_mips"] == pytest.approx(Z990_2WAY, rel=1e-12)
    assert t["util_at_engines_pct"] == pytest.approx(500 / 855 * 100, rel=1e-12)  # 58.48 %


@pytest.mark.parametrize(("max_ifls", "fits"), [(2, True), (1, False), (3, True)])
def test_fits_machine_at_exactly_the_ifl_limit(max_ifls: int, fits: bool) -> None:
    """Mutant: ``<`` instead of ``<=`` (2 engines on a 2-IFL machine printed as not fitting)."""
    res = sizing.size_inventory(
        _inventory(45.0),
        _z990(max_ifls),
        target_util_pct=90,
        cp_overhead_pct=10,
        nway_uplift=False,
    )
    assert res.target.loc["typical", "engines"] == 2
    assert bool(res.target.loc["typical", "fits_machine"]) is fits


def test_usable_mips_subtracts_the_idle_guests_cost_with_the_timer_off() -> None:
    """Mutant: ``+ idle`` instead of ``- idle`` in :func:`colonykit.measured.usable_mips`."""
    res = sizing.size_inventory(
        _inventory(45.0, count=4),
        _z990(),
        target_util_pct=90,
        cp_overhead_pct=10,
        nway_uplift=False,
        on_demand_timer=False,
    )
    g5 = float(reference.processors().loc["g5", "engine_mips_1way"])  # 136.9
    per_guest = 0.25 / 100 * g5  # seed 003 §8.17.7: 0.25 % of a G5 engine (typical)
    assert res.target.loc["typical", "idle_guest_mips"] == pytest.approx(4 * per_guest)
    got = measured.usable_mips(2, res, guests=3, uplift_frac=0.0)[0]
    # 855 MIPS × 90 % × (1 − 10 % CP) − 3 idle guests
    assert got == pytest.approx(855 * 0.9 * 0.9 - 3 * per_guest, rel=1e-12)  # 691.52


def test_composite_p95_is_the_observed_value_at_or_above_the_95th_percentile() -> None:
    """Mutants: another interpolation (``lower``/``linear``/``nearest``) or percentile."""
    rng = np.random.default_rng(7)
    values = rng.permutation(np.arange(1.0, 21.0))  # 1 .. 20 shuffled
    # numpy "higher": rank ceil(0.95 × (20 − 1)) = ceil(18.05) = 19 (0-based) of the sorted
    # values -> 20.0; linear would print 19.05, lower/nearest 19.0
    assert measured.statistic_of(values[:, None], "p95")[0] == 20.0
    hundred = rng.permutation(np.arange(1.0, 101.0))  # rank ceil(94.05) = 95 -> 96.0
    assert measured.statistic_of(hundred[:, None], "p95")[0] == 96.0
    assert measured.statistic_of(hundred[:, None], "peak")[0] == 100.0


def test_paging_capacity_when_the_io_rate_sets_the_volume_count() -> None:
    """Mutant: capacity from the volumes for space (2) instead of all volumes (9)."""
    r = paging.paging_space(
        5120, 2048, rule="velocity", page_io_rate_per_s=900, page_io_service_ms=2
    )
    # 900 page I/O per s × 2 ms = 180 % busy; at most 20 % per device -> 9 devices
    assert r.devices_for_io == 9 and r.volumes == 9
    assert r.volumes_for_space < r.volumes
    # one 3390-9 holds 10,016 × 180 = 1,802,880 page slots of 4 KiB
    assert r.capacity_gib == pytest.approx(9 * 1_802_880 * 4096 / 2**30, rel=1e-12)  # 61.90


def test_paging_basis_of_the_real_storage_rule_includes_real_storage() -> None:
    """Mutant: the basis printed without the LPAR's real storage (seed rule, §9.1.1)."""
    r = paging.paging_space([512] * 10, 2048, vdisk_mib=[50, 50], rule="sg24-6299")
    assert r.basis == "virtual+vdisk+real"
    assert r.basis_mib == 10 * 512 + 100 + 2048  # 7,268 MiB
    assert r.paging_gib == pytest.approx(2 * 7268 / 1024, rel=1e-12)
    v = paging.paging_space([512] * 10, 2048, vdisk_mib=[50, 50], rule="velocity")
    assert v.basis_mib == 10 * 512 + 100


def test_channel_response_curve_away_from_half_busy() -> None:
    """Mutants that agree at 50 % busy (M/M/1: S / (1 − ρ) = 2 S there) differ at 80 %."""
    f = channels.response_curve(4.0, paths=[1, 2], busy_pct=[80.0, 75.0]).set_index(
        ["paths", "per_path_busy_pct"]
    )
    one = f.loc[(1, 80.0)]
    assert one["io_rate_per_s"] == pytest.approx(0.8 * 1000 / 4)  # 200 I/O per s
    assert one["response_ms"] == pytest.approx(4.0 / (1 - 0.8), rel=1e-12)  # 20 ms
    # M/M/2 at ρ = 0.75: a = 1.5, Erlang C = (a²/2 / (1 − ρ)) / (1 + a + a²/2 / (1 − ρ))
    erlang_c = (1.5**2 / 2 / 0.25) / (1 + 1.5 + 1.5**2 / 2 / 0.25)  # 4.5 / 7
    wait = erlang_c * 4.0 / (2 * (1 - 0.75))  # 5.14 ms
    two = f.loc[(2, 75.0)]
    assert two["io_rate_per_s"] == pytest.approx(0.75 * 2 * 1000 / 4)  # 375 I/O per s
    assert two["wait_ms"] == pytest.approx(wait, rel=1e-12)
    assert two["response_ms"] == pytest.approx(4.0 + wait, rel=1e-12)  # 9.14 ms


def test_peak_pct_of_capacity_is_of_the_whole_host_not_the_usable_part() -> None:
    """Mutant: divided by the usable capacity (host × max_util_pct) instead of the host's."""
    demand = pd.DataFrame({"a": [30.0, 60.0, 10.0], "b": [25.0, 5.0, 20.0]})
    r = packing.pack(demand, host_capacity=200.0, max_util_pct=50.0)
    # usable 100 per host: a + b peaks at 65 together (step 1) -> one host
    assert r.hosts_used == 1
    row = r.hosts.iloc[0]
    assert row["peak"] == 65.0
    assert row["peak_pct_of_capacity"] == pytest.approx(65.0 / 200.0 * 100)  # 32.5 %
    assert row["mean"] == pytest.approx((55 + 65 + 30) / 3)
    assert not math.isnan(row["servers"]) and row["servers"] == 2
