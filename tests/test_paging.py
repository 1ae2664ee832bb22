"""Tests of colonykit.paging: rules, the seed 003 §9.1.1 example, volumes and devices."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from colonykit import paging, reference
from colonykit.errors import InputError, UnknownNameError

GIB_MIB = 1024


def test_sg24_6299_book_example_is_14_gb():
    # seed 003 §9.1.1: 10 Linux guests of 512 MB in an LPAR with 2 GB -> 14 GB of paging DASD
    r = paging.paging_space([512] * 10, real_mib=2 * GIB_MIB, rule="sg24-6299")
    assert r.rule == "sg24-6299"
    assert r.paging_gib == 14.0
    # by hand: 14 GiB / 4 KiB = 14 × 262,144 pages
    assert r.pages == 14 * 262_144 == 3_670_016
    # a 3390-9 holds 1,802,880 pages: 2 volumes hold 3,605,760 < 3,670,016 -> 3
    assert r.volume_model == "3390-9"
    assert r.volumes == 3
    # the naive reading 2 × Σ virtual would give 10 GB, not the book's 14 GB
    assert 2 * 5 != 14


def test_scalar_total_equals_list():
    a = paging.paging_space(5120, 2048)
    b = paging.paging_space([512] * 10, 2048)
    assert a == b


def test_redbook_2003_rules():
    # facts.md §2.2: (Σ virtual + Σ VDISK) × 4 conservative, × 2 monitored
    r4 = paging.paging_space([512] * 10, 2048, vdisk_mib=[100] * 10, rule="redbook-2003")
    r2 = paging.paging_space([512] * 10, 2048, vdisk_mib=1000, rule="redbook-2003-monitored")
    assert r4.paging_gib == pytest.approx((5120 + 1000) * 4 / 1024)
    assert r2.paging_gib == pytest.approx((5120 + 1000) * 2 / 1024)


def test_velocity_rule_75_pct_allocated():
    # 2 × requirement keeps the requirement 50 % allocated (<= 75 %)
    r = paging.paging_space(4096, 1024, rule="velocity")
    assert r.paging_gib == 8.0
    assert r.basis_mib / (r.paging_gib * 1024) <= 0.75
    # a measured requirement replaces the basis
    m = paging.paging_space(4096, 1024, rule="velocity", requirement_mib=1000)
    assert m.basis == "requirement"
    assert m.paging_gib == pytest.approx(2000 / 1024)


def test_max_allocated_dominates_when_stricter(tmp_path):
    rules = paging.paging_rules().reset_index()
    rules.loc[len(rules)] = [
        "strict",
        "virtual+vdisk",
        1.0,
        40.0,
        "test rule",
        "test",
        "test",
        "true",
    ]
    path = tmp_path / "rules.csv"
    rules.to_csv(path, index=False)
    tab = paging.paging_rules(path)
    r = paging.paging_space(1000, 1000, rule="strict", rules=tab)
    assert r.paging_gib * 1024 == pytest.approx(1000 / 0.40)


def test_compare_rules_side_by_side():
    table = paging.compare_rules([512] * 10, 2048)
    assert set(table.index) == {"sg24-6299", "redbook-2003", "redbook-2003-monitored", "velocity"}
    assert table.loc["sg24-6299", "paging_gib"] == 14.0
    assert table.loc["redbook-2003", "paging_gib"] == 20.0
    assert table["source"].str.len().min() > 5


def test_every_rule_cites_a_source():
    tab = paging.paging_rules()
    assert tab["source"].str.strip().str.len().min() > 5
    assert set(tab["basis"]) <= set(paging.BASES)


def test_3390_9_volume_holds_1802880_pages():
    assert int(paging.volumes_for_pages(1_802_880, "3390-9")) == 1
    assert int(paging.volumes_for_pages(1_802_881, "3390-9")) == 2
    # 3390-3: extent 1-3338 = 600,840 pages
    assert int(paging.volumes_for_pages(600_840, "3390-3")) == 1
    assert int(paging.volumes_for_pages(600_841, "3390-3")) == 2


@pytest.mark.parametrize("model", ["3390-3", "3390-9", "3390-27", "3390-54"])
def test_volume_models_capacity(model):
    r = paging.paging_space([512] * 10, 2048, volume_model=model, rule="sg24-6299")
    cyl = reference.dasd_models().loc[model, "cylinders"]
    per_volume = (cyl - 1) * 180
    assert r.volumes == math.ceil(3_670_016 / per_volume)
    assert r.capacity_gib >= r.paging_gib


def test_devices_for_page_rate_matches_source_figures():
    # facts.md §2.2: at 20 % busy, RVA on ESCON (15-20 ms) ~ 10 I/O/s per device,
    # ESS on FICON (1-2 ms) > 100 I/O/s per device
    assert int(paging.devices_for_page_rate(10, service_ms=20)) == 1
    assert int(paging.devices_for_page_rate(11, service_ms=20)) == 2
    assert int(paging.devices_for_page_rate(100, service_ms=2)) == 1
    assert int(paging.devices_for_page_rate(0)) == 0
    r = paging.paging_space(5120, 2048, rule="velocity", page_io_rate_per_s=900)
    assert r.volumes_for_space == 2 and r.devices_for_io == 9 and r.volumes == 9


def test_compare_rules_over_matches_pointwise():
    f = paging.compare_rules_over(range(0, 101, 25), 512, 2048, vdisk_mib_per_guest=64)
    assert len(f) == 5 * 4
    for row in f.itertuples():
        one = paging.paging_space(row.guests * 512, 2048, row.guests * 64, row.rule)
        assert row.paging_gib == pytest.approx(one.paging_gib)
        assert row.pages == one.pages
        assert row.volumes == one.volumes_for_space


@given(
    n=st.integers(1, 500),
    m=st.floats(64, 65_536),
    real=st.floats(512, 1e6),
    extra=st.integers(1, 50),
)
def test_paging_monotone_in_guests_and_memory(n, m, real, extra):
    f = paging.compare_rules_over([n, n + extra], m, real).pivot(index="rule", columns="guests")
    g = paging.compare_rules_over([n], m + extra, real).set_index("rule").reindex(f.index)
    assert (f[("paging_gib", n + extra)] > f[("paging_gib", n)]).all()
    assert (f[("pages", n + extra)] >= f[("pages", n)]).all()
    assert (f[("volumes", n + extra)] >= f[("volumes", n)]).all()
    assert (g["paging_gib"] > f[("paging_gib", n)]).all()
    one = paging.paging_space((n + extra) * m, real, rule="sg24-6299")
    assert one.paging_gib == pytest.approx(f.loc["sg24-6299", ("paging_gib", n + extra)])


@given(v=st.floats(0, 1e7), real=st.floats(1, 1e7))
def test_sg24_is_twice_virtual_plus_real(v, real):
    r = paging.paging_space(v, real, rule="sg24-6299")
    assert r.paging_gib * 1024 == pytest.approx(2 * (v + real))


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"guests_virtual_mib": [512, -1], "real_mib": 2048}, "guests_virtual_mib"),
        ({"guests_virtual_mib": 512, "real_mib": 0}, "real_mib"),
        ({"guests_virtual_mib": 512, "real_mib": float("nan")}, "real_mib"),
        ({"guests_virtual_mib": 512, "real_mib": 2048, "vdisk_mib": -5}, "vdisk_mib"),
        (
            {"guests_virtual_mib": 512, "real_mib": 2048, "page_io_rate_per_s": -1},
            "page_io_rate_per_s",
        ),
    ],
)
def test_bad_input(kwargs, match):
    with pytest.raises(InputError, match=match):
        paging.paging_space(**kwargs)


def test_unknown_rule_and_model():
    with pytest.raises(UnknownNameError, match="sg24-6299"):
        paging.paging_space(512, 2048, rule="twice")
    with pytest.raises(UnknownNameError, match="3390-9"):
        paging.paging_space(512, 2048, volume_model="3390-7")


def test_bad_rules_table(tmp_path):
    path = tmp_path / "rules.csv"
    pd.DataFrame(
        {
            "rule": ["x"],
            "basis": ["virtual"],
            "multiplier": [0],
            "max_allocated_pct": [150],
            "source": ["me"],
        }
    ).to_csv(path, index=False)
    with pytest.raises(InputError) as exc:
        paging.paging_rules(path)
    assert len(exc.value.problems) == 3
    assert "line 2" in str(exc.value)


def test_default_rule_is_velocity_and_does_not_grow_with_real_storage():
    # issue 10 item 8: 206 guests, 75 GiB of guests in a 96 GiB LPAR
    a = paging.paging_space(75 * GIB_MIB, 96 * GIB_MIB)
    b = paging.paging_space(75 * GIB_MIB, 512 * GIB_MIB)
    assert paging.DEFAULT_RULE == "velocity" and a.rule == "velocity"
    assert a.paging_gib == b.paging_gib == 150.0  # 2 × 75 GiB (Velocity tuning guide)
    seed = paging.paging_space(75 * GIB_MIB, 96 * GIB_MIB, rule="sg24-6299")
    assert seed.paging_gib == 2 * (75 + 96) == 342.0  # the seed reading: 50 × 3390-9
    assert seed.volumes == math.ceil(342 * 262_144 / 1_802_880) == 50


def test_the_old_rule_name_is_refused_naming_the_rules():
    """No deprecation aliases before the first release (issue 27 §3): the old name is unknown."""
    with pytest.raises(KeyError, match="sg24-6299"):
        paging.paging_space([512] * 10, 2048, rule="sg24-6824")
    r = paging.paging_space([512] * 10, 2048, rule="SG24-6299")
    assert r.rule == "sg24-6299" and r.paging_gib == 14.0


def test_check_paging_severity_by_rule():
    # 12 GiB planned for 10 × 512 MiB in 2 GiB: velocity (chosen) asks 10 -> ok;
    # the seed rule asks 14 and redbook-2003 (× 4) 20 -> information only, never a warning
    # (issue 23: only the chosen rule judges); choosing the seed rule -> error
    c = paging.check_paging(12, [512] * 10, 2048)
    assert c.loc["velocity", "severity"] == "ok" and c.loc["sg24-6299", "severity"] == "info"
    assert not (c["severity"] == "warning").any()
    assert c.loc["redbook-2003", "severity"] == "info"
    assert c.loc["sg24-6299", "shortfall_gib"] == pytest.approx(2.0)
    c2 = paging.check_paging(12, [512] * 10, 2048, rule="sg24-6299")
    assert c2.loc["sg24-6299", "severity"] == "error"
    assert set(c2.index) == set(paging.paging_rules().index)
