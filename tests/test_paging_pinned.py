"""Paging figures pinned by hand (issue 27 §2: the mutants the paging tests left alive)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from colonykit import paging
from colonykit.errors import InputError


def _rules(warn: bool = True) -> pd.DataFrame:
    t = pd.DataFrame(
        {
            "basis": [
                "virtual+vdisk",
                "virtual+vdisk",
                "virtual+vdisk+real",
                "virtual+vdisk",
                "virtual+vdisk",
            ],
            "multiplier": [1.25, 3.0, 1.0, 2.0, 1.0],
            "max_allocated_pct": [100.0] * 5,
            "source": ["hand"] * 5,
            "warn_if_undercut": ["1", "yes", "no", "true", "TRUE"],
        },
        index=pd.Index(["a", "b", "c", "d", "e"], name="rule"),
    )
    return t if warn else t.drop(columns=["warn_if_undercut"])


def test_check_paging_by_hand_against_a_rules_table() -> None:
    # 2 × 2,048 MiB guests + 512 MiB VDISK = 4.5 GiB; + 1,024 MiB real = 5.5 GiB; 5 GiB planned
    c = paging.check_paging(5.0, [2048, 2048], 1024, [512], rule="d", rules=_rules())
    assert c["required_gib"].to_dict() == pytest.approx(
        {"a": 1.25 * 4.5, "b": 3 * 4.5, "c": 5.5, "d": 2 * 4.5, "e": 4.5}
    )
    assert c["shortfall_gib"].to_dict() == pytest.approx(
        {"a": 0.625, "b": 8.5, "c": 0.5, "d": 4.0, "e": 0.0}
    )
    assert c["severity"].to_dict() == {
        # issue 23 §4: a rule the scenario did not choose is information, never a warning
        # (whatever its warn_if_undercut); only the chosen rule is judged
        "a": "info",
        "b": "info",
        "c": "info",
        "d": "error",  # the chosen rule
        "e": "ok",
    }
    assert c["chosen"].to_dict() == {"a": False, "b": False, "c": False, "d": True, "e": False}
    assert (c["planned_gib"] == 5.0).all()
    plain = paging.check_paging(5.0, [2048, 2048], 1024, [512], rule="d", rules=_rules(warn=False))
    assert plain.loc["c", "severity"] == "info"  # without the column: the same


@pytest.mark.parametrize("planned", [0.0, 0.5])
def test_check_paging_accepts_any_planned_size_from_zero(planned: float) -> None:
    c = paging.check_paging(planned, [1024], 1024, rule="e", rules=_rules())
    assert c.loc["e", "shortfall_gib"] == pytest.approx(1.0 - planned)


@pytest.mark.parametrize("planned", [-1.0, math.nan, math.inf])
def test_check_paging_refuses_a_planned_size_below_zero_or_not_finite(planned: float) -> None:
    with pytest.raises(InputError, match="paging_gib"):
        paging.check_paging(planned, [1024], 1024)


def test_compare_rules_passes_the_volume_model_the_io_rate_and_the_table_on() -> None:
    # 10 GiB guests: velocity 2 × 10 = 20 GiB, i.e. 20 × 262,144 = 5,242,880 pages
    slots = {"3390-9": 10_016 * 180, "3390-3": 3_338 * 180}
    for model, per_volume in slots.items():
        f = paging.compare_rules(10 * 1024, 2048, volume_model=model)
        assert f.loc["velocity", "volumes"] == math.ceil(5_242_880 / per_volume)  # 3 or 9
        assert f.loc["velocity", "volume_model"] == model
    busy = paging.compare_rules(10 * 1024, 2048, page_io_rate_per_s=900)
    assert (busy["devices_for_io"] == 9).all()  # 900/s × 2 ms ÷ 20 % per device
    idle = paging.compare_rules(0, 2048)  # no guests, no I/O rate: velocity pages nothing
    assert idle.loc["velocity", "volumes"] == 0 and (idle["devices_for_io"] == 0).all()
    assert idle.loc["sg24-6299", "volumes"] == 1  # 2 × 2 GiB real: one 3390-9
    own = paging.compare_rules([2048, 2048], 1024, [512], rules=_rules())
    assert list(own.index) == ["a", "b", "c", "d", "e"]
    assert own.loc["c", "paging_gib"] == pytest.approx(5.5)


HEADER = "rule,basis,multiplier,max_allocated_pct,source\n"


def test_a_users_rules_file_is_read_and_normalised(tmp_path) -> None:
    p = tmp_path / "rules.csv"
    p.write_text(HEADER + "Mine,virtual+vdisk,0.5,100,hand\nTIGHT,virtual+vdisk,1,0.5,hand\n")
    t = paging.paging_rules(p)
    assert list(t.index) == ["mine", "tight"]
    assert t.loc["mine", "multiplier"] == 0.5 and t.loc["tight", "max_allocated_pct"] == 0.5
    # at most 0.5 % allocated: 1 GiB of guests needs 200 GiB of paging space
    assert paging.paging_space(1024, 2048, rule="tight", rules=t).paging_gib == pytest.approx(200.0)


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ("x,virtual,2,100,h", "basis"),
        ("x,virtual+vdisk,0,100,h", "multiplier"),
        ("x,virtual+vdisk,-1,100,h", "multiplier"),
        ("x,virtual+vdisk,two,100,h", "multiplier"),
        ("x,virtual+vdisk,2,0,h", "max_allocated_pct"),
        ("x,virtual+vdisk,2,100.5,h", "max_allocated_pct"),
    ],
)
def test_a_bad_rules_row_is_refused_naming_its_line(tmp_path, row: str, field: str) -> None:
    p = tmp_path / "rules.csv"
    p.write_text(HEADER + "ok,virtual+vdisk,2,100,h\n" + row + "\n")
    with pytest.raises(InputError, match=rf"'{field}' .* at .*rules.csv line 3 \(rule x\)"):
        paging.paging_rules(p)


def test_check_paging_columns_carry_each_rules_basis_multiplier_and_source() -> None:
    c = paging.check_paging(5.0, [2048, 2048], 1024, [512], rule="d", rules=_rules())
    assert list(c.columns) == [
        "required_gib",
        "planned_gib",
        "shortfall_gib",
        "chosen",
        "severity",
        "basis",
        "multiplier",
        "source",
    ]
    assert c.loc["c", "basis"] == "virtual+vdisk+real" and c.loc["b", "multiplier"] == 3.0
    assert (c["source"] == "hand").all()


def test_a_rules_file_without_a_required_column_is_refused(tmp_path) -> None:
    p = tmp_path / "rules.csv"
    p.write_text("rule,basis,multiplier,source\nx,virtual+vdisk,2,h\n")
    with pytest.raises(InputError, match="max_allocated_pct.* a paging_rules table needs"):
        paging.paging_rules(p)
    p.write_text("rule,basis,multiplier,max_allocated_pct\nx,virtual+vdisk,2,100\n")
    with pytest.raises(InputError, match="source"):
        paging.paging_rules(p)


def test_compare_rules_over_by_hand() -> None:
    f = paging.compare_rules_over([0, 4], 1024, 2048, 256, volume_model="3390-3", rules=_rules())
    assert list(f.columns) == ["guests", "rule", "paging_gib", "pages", "volumes"]
    assert f["guests"].dtype == np.int64 and f["guests"].tolist() == [0, 4] * 5
    a4 = f[(f.rule == "a") & (f.guests == 4)].iloc[0]
    # 4 × (1,024 + 256) MiB = 5,120 MiB × 1.25 = 6,400 MiB = 6.25 GiB = 1,638,400 pages
    assert a4["paging_gib"] == pytest.approx(6.25) and a4["pages"] == 1_638_400
    assert a4["volumes"] == math.ceil(1_638_400 / (3_338 * 180))  # 3 × 3390-3
    c = f[f.rule == "c"]
    assert c["paging_gib"].tolist() == pytest.approx([2.0, 7.0])  # + 2 GiB real storage


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (([-1], 512, 2048), "guests"),
        (([[1, 2]], 512, 2048), "guests"),
        (([1], -512, 2048), "guest_mib"),
        (([1], 512, 2048, math.nan), "vdisk_mib_per_guest"),
        (([1], 512, 0), "real_mib"),
    ],
)
def test_compare_rules_over_refuses_bad_input(args, field: str) -> None:
    with pytest.raises(InputError, match=field):
        paging.compare_rules_over(*args)


def test_rule_and_page_arithmetic_by_hand() -> None:
    # a multiplier below 1 with the default 100 % allocated: the basis itself is the floor
    assert float(paging.rule_paging_mib(1000, 0, 0, "virtual+vdisk", 0.5)) == 1000.0
    assert float(paging.rule_paging_mib([1000], [24], [4], "virtual+vdisk+real", 1.0)[0]) == 1028
    # 4 pages per ... 256 pages per MiB; 2**62 pages is the refused limit
    assert paging.pages_for_mib([0.5, 2]).tolist() == [128, 512]
    assert paging.pages_for_mib([1]).dtype == np.int64
    assert int(paging.pages_for_mib(2**54 - 4)) == 2**62 - 1024
    for bad in (2**54, -1, math.nan):
        with pytest.raises(InputError, match="paging space"):
            paging.pages_for_mib(bad)
    # devices: rate × service ÷ 10 = busy %; at most 50 % busy per device
    assert int(paging.devices_for_page_rate(500, service_ms=2, max_busy_pct=50)) == 2  # 100 %
    assert int(paging.devices_for_page_rate(500, service_ms=2)) == 5  # the 20 % constant


def test_a_bad_rules_file_names_itself_and_refuses_text_numbers(tmp_path) -> None:
    p = tmp_path / "mine.csv"
    p.write_text(HEADER + "x,virtual+vdisk,2,half,h\n")
    with pytest.raises(InputError, match=rf"{p} line 2 \(rule x\)"):
        paging.paging_rules(p)


def test_paging_inputs_are_named_in_their_errors() -> None:
    for kwargs, name in (
        ({"guests_virtual_mib": -1}, "'guests_virtual_mib'"),
        ({"guests_virtual_mib": [512, -1]}, r"'guests_virtual_mib' .* item 1"),
        ({"vdisk_mib": -1}, "'vdisk_mib'"),
        ({"requirement_mib": -1}, "'requirement_mib'"),
    ):
        args = {"guests_virtual_mib": 512, "real_mib": 2048, **kwargs}
        with pytest.raises(InputError, match=name) as info:
            paging.paging_space(**args)
        assert ("item" in str(info.value)) == ("item" in name)
    with pytest.raises(KeyError, match="unknown paging rule 'nosuch'"):
        paging.paging_space(512, 2048, rule="nosuch")
    for field in ("guest_mib", "vdisk_mib_per_guest"):
        args = {"guest_mib": 512.0, "real_mib": 2048.0, field: -1.0}
        with pytest.raises(InputError, match=f"'{field}'"):
            paging.compare_rules_over([1], **args)


def test_requirement_and_defaults_by_hand() -> None:
    half = pd.DataFrame(
        {
            "basis": ["virtual+vdisk"],
            "multiplier": [1.0],
            "max_allocated_pct": [50.0],
            "source": ["h"],
        },
        index=pd.Index(["half"], name="rule"),
    )
    # a measured requirement of 1,000 MiB at most 50 % allocated: 2,000 MiB
    r = paging.paging_space(0, 2048, rule="half", rules=half, requirement_mib=1000)
    assert r.paging_gib == pytest.approx(2000 / 1024) and r.basis == "requirement"
    f = paging.compare_rules_over([2], 500, 0.5, rules=half)  # 0.5 MiB of real storage is > 0
    assert f["paging_gib"].tolist() == pytest.approx([2 * 1000 / 1024])
    assert paging.paging_space(0, 2048, rule="velocity").volumes == 0  # no guests, no I/O rate
    g = paging.compare_rules_over([0, 1], 512, 2048)
    assert g.index.tolist() == list(range(len(g)))


@pytest.mark.parametrize(
    ("kwargs", "ok"),
    [
        ({"service_ms": 0.5}, True),
        ({"service_ms": 0.0}, False),
        ({"max_busy_pct": 0.5}, True),
        ({"max_busy_pct": 100.0}, True),
        ({"max_busy_pct": 0.0}, False),
        ({"max_busy_pct": 100.5}, False),
    ],
)
def test_devices_for_page_rate_bounds(kwargs: dict, ok: bool) -> None:
    if ok:
        got = np.asarray(paging.devices_for_page_rate([100.0], **kwargs))
        assert got.dtype == np.int64 and got[0] >= 1
    else:
        with pytest.raises(InputError):
            paging.devices_for_page_rate(100.0, **kwargs)


def test_paging_space_echoes_its_inputs_and_passes_the_device_figures_on() -> None:
    r = paging.paging_space(
        [1024, 1024],
        4096,
        vdisk_mib=256,
        rule="velocity",
        volume_model="3390-3",
        page_io_rate_per_s=300,
        page_io_service_ms=4,
        device_max_busy_pct=30,
    )
    assert (r.virtual_mib, r.vdisk_mib, r.real_mib) == (2048.0, 256.0, 4096.0)
    assert (r.page_io_rate_per_s, r.max_allocated_pct, r.volume_model) == (300.0, 75.0, "3390-3")
    assert r.devices_for_io == math.ceil(300 * 4 / 10 / 30)  # 120 % busy ÷ 30 % per device = 4
    assert paging.paging_space(512, 2048, volume_model="3390-9").volume_model == "3390-9"


def test_volumes_for_pages_by_hand() -> None:
    got = paging.volumes_for_pages([1, 600_840, 600_841], "3390-3")
    assert got.dtype == np.int64 and got.tolist() == [1, 1, 2]  # 3,338 cylinders × 180 slots
    # two reserved cylinders leave 3,337 × 180 = 600,660 slots on a 3390-3
    assert paging.volumes_for_pages([600_661], "3390-3", reserved_cyl=2).tolist() == [2]
