"""The projection pinned by hand (issue 27 §2): demand, engines, memory, exhaustion, upgrades.

Small typed inputs built here, no plan built from a scenario file: a sizing of three servers
(``a`` web, ``b`` db, ``c`` web; capacities in MIPS so the sized MIPS are capacity × peak %,
500 / 800 / 100, with the low / high WLF bounds set to 0.8 / 1.3 of it and idle-guest MIPS
per bound set by hand), two LPARs (a and b on ``lpar1``, c on ``lpar2``) and two or three
steps.  Demand, memory and dates are worked out from the module's formulas; the engines an
LPAR needs come from :func:`colonykit.measured.engines_for` (the plan's rule, pinned in its
own tests) on the hand-worked demand, paging from :func:`colonykit.paging.paging_space`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd
import pytest

from colonykit import forecast, measured, paging, sizing
from colonykit.errors import InputError
from colonykit.plan.assembly import ColonyPlanResult
from colonykit.plan.scenario import GrowthModel, parse_scenario

INV = pd.DataFrame(
    {
        "server": ["a", "b", "c"],
        "role": ["web", "db", "web"],
        "capacity": [1000.0, 2000.0, 500.0],
        "capacity_unit": ["mips"] * 3,
        "cores": [1, 1, 1],
        "util_avg_pct": [30.0, 25.0, 10.0],
        "util_peak_pct": [50.0, 40.0, 20.0],
        "workload_class": ["web", "database", "web"],
        "memory_mib": [2048.0, 4096.0, 1024.0],
        "disk_gib": [10.0, 10.0, 10.0],
        "count": [1, 1, 1],
    }
)
TYP = {"a": 500.0, "b": 800.0, "c": 100.0}
WLF = {"low": 0.8, "typical": 1.0, "high": 1.3}
#: idle-guest MIPS of the colony per bound: 10 / 20 / 30 per guest (3 guests)
IDLE = {"low": 30.0, "typical": 60.0, "high": 90.0}
UPLIFT = 0.3  # the classes' smallest 16-way uplift (web, database)


def _sizing(inv: pd.DataFrame = INV) -> sizing.SizingResult:
    base = sizing.size_inventory(inv, "z15")
    servers = base.servers.copy()
    for b in ("low", "high"):
        servers[f"mips_{b}"] = servers["mips_typical"] * WLF[b]
    # the measured path reads MIPS per % from the WLF columns (low bound <- high tpm per MIPS)
    servers["tpm_per_mips_high"] = servers["tpm_per_mips_typical"] / WLF["low"]
    servers["tpm_per_mips_low"] = servers["tpm_per_mips_typical"] / WLF["high"]
    target = base.target.copy()
    target["idle_guest_mips"] = [IDLE[b] for b in target.index]
    return dataclasses.replace(base, servers=servers, target=target)


SZ = _sizing()


def _guest(name: str, src: str, mem: float, vdisk: float = 0.0) -> Any:
    return SimpleNamespace(
        name=name,
        source_server=src,
        memory_mib=mem,
        storage=[
            SimpleNamespace(kind="vdisk", size_mib=vdisk),
            SimpleNamespace(kind="vdisk", size_mib=None),
            SimpleNamespace(kind="mdisk", size_mib=999),
        ],
    )


def _host(hid: str, ratio: float, cpus: int, mem: float, guests: list, paging_gib: float = 10.0):
    return SimpleNamespace(
        id=hid,
        rules=SimpleNamespace(max_memory_overcommit_ratio=ratio),
        capacity=SimpleNamespace(cpus=cpus, memory_gib=mem, paging_gib=paging_gib),
        guests=guests,
    )


def _plan(hosts: list, platform: str = "zvm") -> Any:
    return SimpleNamespace(
        hosts=hosts,
        metadata=SimpleNamespace(platform=platform),
        guests=lambda: [(h, g) for h in hosts for g in h.guests],
        model_copy=lambda update: SimpleNamespace(**update),
    )


def _result(
    *,
    mem1: float = 3.0,
    mem2: float = 1.0,
    cpus: tuple[int, int] = (1, 1),
    target: dict | None = None,
    date: str = "2027-01-15",
    growth: dict | None = None,
    base_dir: Path | str = "/nonexistent",
    sz: sizing.SizingResult | None = SZ,
    paging_gib: float | tuple[float, float] = 10.0,
    rules: dict | None = None,
    platform: str = "zvm",
    **extra: Any,
) -> ColonyPlanResult:
    data: dict[str, Any] = {
        "apiVersion": "colonykit/v1",
        "kind": "ColonyScenario",
        "name": "t",
        "design": {"name": "zvm-basevol-guestvol"},
        "target": {"processor": "z15", **(target or {})},
        "metadata": {"date": date},
    }
    if rules is not None:
        data["rules"] = rules
    p1, p2 = paging_gib if isinstance(paging_gib, tuple) else (paging_gib, paging_gib)
    if growth is not None:
        data["growth"] = growth
    scen = parse_scenario(data, "t.yaml", base_dir)
    hosts = [
        _host(
            "lpar1",
            2.0,
            cpus[0],
            mem1,
            [_guest("a-01", "a", 2048.0, 100.0), _guest("b-01", "b", 4096.0)],
            p1,
        ),
        _host("lpar2", 1.0, cpus[1], mem2, [_guest("c-01", "c", 1024.0, 50.0)], p2),
    ]
    return ColonyPlanResult(
        plan=_plan(hosts, platform),
        design=None,  # type: ignore[arg-type]
        comparison=None,  # type: ignore[arg-type]
        sizing=sz,
        scenario=scen,
        **extra,
    )


def _usable(n: int, guests: int, bound: str) -> float:
    return float(measured.usable_mips(n, SZ, guests, UPLIFT, bound)[0])


def _eng(demand: float, guests: int, bound: str) -> int:
    return measured.engines_for(demand, SZ, guests, UPLIFT, bound)


RATES = {"low": 10.0, "typical": 20.0, "high": 50.0}


def _f(b: str, m: int, rate: float | None = None) -> float:
    return (1 + (RATES[b] if rate is None else rate) / 100) ** (m / 12)


# --------------------------------------------------------------------------- planned growth
def test_project_planned_by_hand() -> None:
    g = GrowthModel(
        annual_pct=RATES,
        by_role={"db": 0},
        horizon_months=24,
        step_months=12,
        lead_time_months=2,
        increment_engines=2,
        increment_memory_gib=1.0,
        machine_max_memory_gib=4.5,
        start="2027-03-31",
    )
    cap = forecast.project(_result(), g)
    assert [s.month for s in cap.steps] == [0, 12, 24]
    assert [s.date for s in cap.steps] == [dt.date(2027, 3, 31), dt.date(2028, 3, 31),
                                           dt.date(2029, 3, 31)]  # fmt: skip
    assert cap.start == dt.date(2027, 3, 31) and cap.hosts == ("lpar1", "lpar2")
    assert (cap.horizon_months, cap.step_months, cap.method) == (24, 12, "planned")
    assert (cap.lead_time_months, cap.increment_engines, cap.increment_memory_gib) == (2, 2, 1.0)
    assert cap.processor == "z15" and cap.max_ifls == 190 and cap.growth is g
    assert cap.backtest is None
    for b in forecast.BANDS:
        d = cap.details[b]
        for s, m in enumerate((0, 12, 24)):
            # lpar1: a grows at the band's rate, b (role db) does not; lpar2: c
            l1 = TYP["a"] * WLF[b] * _f(b, m) + TYP["b"] * WLF[b]
            l2 = TYP["c"] * WLF[b] * _f(b, m)
            assert d.sized_mips[s].tolist() == pytest.approx([l1, l2])
            assert d.engines_needed[s].tolist() == [_eng(l1, 2, b), _eng(l2, 1, b)]
            # memory: (2048 × f + 4096) / 2:1 overcommit, 1024 × f / 1:1, in GiB (to 0.001)
            mem = [round((2048 * _f(b, m) + 4096) / 2 / 1024, 3), round(_f(b, m), 3)]
            assert d.memory_needed_gib[s].tolist() == pytest.approx(mem)
            assert d.guests[s].tolist() == [2, 1]
        for step in cap.steps:
            m = step.month
            assert step.composite_peak_mips == pytest.approx(
                forecast.Range(
                    *(
                        sum(TYP[k] * WLF[x] * (_f(x, m) if k != "b" else 1.0) for k in TYP)
                        for x in forecast.BANDS
                    )
                )
            )
    s0, s1, s2 = cap.steps
    assert s0.sized_mips == forecast.Range(1120.0, 1400.0, 1820.0)  # 400 + 640 + 80, …
    assert s0.engines_needed == 2 and s0.engines_installed == 2 and s0.guests == 3
    assert s0.memory_needed_gib == 4.0 and s0.memory_installed_gib == 4.0 and s0.fits
    assert s0.usable_mips_installed == pytest.approx(
        _usable(1, 2, "typical") + _usable(1, 1, "typical")
    )
    # month 12: lpar1 (2048 × 1.2 + 4096) / 2 = 3.2 GiB > 3, lpar2 1.2 > 1: both get 1 GiB
    assert s1.memory_needed_gib == pytest.approx(4.4) and not s1.fits
    assert cap.exhaustion == forecast.Exhaustion(
        12,
        dt.date(2028, 3, 31),
        "lpar1 needs 3.20 GiB real storage (3 GiB installed, overcommit limit 2:1); "
        "lpar2 needs 1.20 GiB real storage (1 GiB installed, overcommit limit 1:1)",
    )
    assert not s2.fits and s2.memory_needed_gib == pytest.approx(3.44 + 1.44)
    # the machine's 4.5 GiB: 4.88 GiB at month 24
    assert cap.machine_max == forecast.Exhaustion(
        24,
        dt.date(2029, 3, 31),
        "5 GiB real storage needed; the machine has at most 4.5 GiB: the next model or a "
        "second machine",
    )
    typ = cap.upgrades_by_bound["typical"]
    assert cap.upgrades == typ
    assert [(u.month, u.host, u.add_engines, u.add_memory_gib) for u in typ] == [
        (12, "lpar1", 0, 1.0),
        (12, "lpar2", 0, 1.0),
    ]
    assert typ[0].need_by == dt.date(2028, 3, 31) and typ[0].order_by == dt.date(2028, 1, 31)
    assert typ[0].reason == "lpar1 needs 3.20 GiB real storage (3 GiB installed)"
    d = cap.details["typical"]
    assert d.memory_scheduled_gib.tolist() == [[3.0, 1.0], [4.0, 2.0], [4.0, 2.0]]
    assert d.engines_scheduled.tolist() == [[1, 1]] * 3
    assert s2.engines_scheduled == 2
    assert s2.usable_mips_scheduled == pytest.approx(
        _usable(1, 2, "typical") + _usable(1, 1, "typical")
    )
    assert d.usable_mips_scheduled[0].tolist() == pytest.approx(
        [_usable(1, 2, "typical"), _usable(1, 1, "typical")]
    )
    # high: lpar1 needs 650 + 1040 = 1690 MIPS at month 0, one engine carries
    # usable(1) − 2 × 30 idle: 2 engines (+2 in steps of 2, ordered before the start)
    assert _eng(1690.0, 2, "high") == 2
    hi = cap.upgrades_by_bound["high"]
    assert (hi[0].month, hi[0].host, hi[0].add_engines) == (0, "lpar1", 2)
    assert hi[0].order_by == dt.date(2027, 1, 31)
    assert hi[0].reason.endswith("the lead time has already started: order now")
    assert cap.details["high"].engines_scheduled[0].tolist() == [3, 1]
    assert cap.details["high"].usable_mips_scheduled[0].tolist() == pytest.approx(
        [_usable(3, 2, "high"), _usable(1, 1, "high")]
    )
    # paging (z/VM, the scenario's rule) on the virtual memory and vdisks of each LPAR
    rules = paging.paging_rules()
    for s, m in enumerate((0, 12, 24)):
        fa = _f("typical", m)
        need = (
            paging.paging_space(
                2048 * fa + 4096, d.memory_scheduled_gib[s, 0] * 1024, vdisk_mib=100.0, rules=rules
            ).paging_gib
            + paging.paging_space(
                1024 * fa, d.memory_scheduled_gib[s, 1] * 1024, vdisk_mib=50.0, rules=rules
            ).paging_gib
        )
        assert cap.steps[s].paging_needed_gib == pytest.approx(round(need, 3))
    text = cap.summary().splitlines()
    # month 24: 720 + 800 + 144; low 484 + 640 + 96.8; high 1462.5 + 1040 + 292.5
    assert text[2] == (
        "  month 24: 3 guests, composite peak 1,664 MIPS (low 1,221, high 2,795); 2 engines needed"
    )
    # the first upgrade is shown for the low and high schedules, not for the typical one
    firsts = [x for x in text if x.startswith("  first: ")]
    assert len(firsts) == sum(1 for b in ("low", "high") if cap.upgrades_by_bound[b])
    assert cap.notes == (
        "study start 2027-03-31 (growth.start)",
        "compound growth, 10 / 20 / 50 %/year low / typical / high; by role 1, class 0, server 0",
        "bounds: typical = WLF typical at the typical growth; low / high = WLF low / high with "
        "the low / high growth rates; engines by colonykit.measured.engines_for (MP effect, "
        "SMT, CP and idle-guest overhead)",
    )


def test_project_defaults_linear_and_no_growth_section() -> None:
    # no growth given and none in the scenario: 0 %/year, the defaults of constants_forecast.csv
    # (36 months in steps of 1, lead time 3 months, 1 engine / 64 GiB increments)
    cap = forecast.project(_result(mem1=2.0))
    assert (
        cap.notes[0]
        == "no growth: section in the scenario: 0 %/year assumed (set growth.annual_pct)"
    )
    assert cap.notes[1] == "study start 2027-01-15 (metadata.date)"
    assert cap.notes[2] == "compound growth, 0 / 0 / 0 %/year low / typical / high"
    assert (cap.horizon_months, cap.step_months) == (36, 1)
    assert (cap.lead_time_months, cap.increment_engines, cap.increment_memory_gib) == (3, 1, 64.0)
    assert len(cap.steps) == 37 and cap.steps[-1].date == dt.date(2030, 1, 15)
    # lpar1 needs 3 GiB with 2 installed from the start: +64 GiB, ordered 3 months before
    assert cap.exhaustion is not None and cap.exhaustion.month == 0
    (u,) = cap.upgrades
    assert (u.month, u.host, u.add_memory_gib, u.order_by) == (
        0,
        "lpar1",
        64.0,
        dt.date(2026, 10, 15),
    )
    assert u.reason == (
        "lpar1 needs 3.00 GiB real storage (2 GiB installed); "
        "the lead time has already started: order now"
    )
    # the scenario's own growth section, linear; memory does not grow
    r = _result(
        growth={"annual_pct": 30, "model": "linear", "horizon_months": 12, "step_months": 12,
                "grow_memory": False, "lead_time_months": 0},
    )  # fmt: skip
    cap = forecast.project(r)
    assert cap.steps[1].composite_peak_mips.typical == pytest.approx(500 * 1.3 + 800 * 1.3 + 130)
    assert cap.steps[1].memory_needed_gib == 4.0  # as at month 0
    assert cap.lead_time_months == 0
    assert cap.notes[0] == "study start 2027-01-15 (metadata.date)"
    assert cap.notes[1] == "linear growth, 30 / 30 / 30 %/year low / typical / high"


def test_project_engine_exhaustion_machine_maximum_and_paging() -> None:
    g = GrowthModel(annual_pct={"low": 0, "typical": 100, "high": 100}, horizon_months=12,
                    step_months=12, lead_time_months=0, increment_memory_gib=128.0)  # fmt: skip
    r = _result(mem1=64.0, mem2=64.0, paging_gib=1.0, target={"paging_gib_per_host": 1.0})
    cap = forecast.project(r, g)
    # month 12: lpar1 1000 + 1600 = 2600 MIPS on 1 engine
    need = _eng(2600.0, 2, "typical")
    assert need == 2 and cap.steps[1].engines_needed == need + 1
    usable = _usable(1, 2, "typical")
    e = cap.exhaustion
    assert e is not None and e.month == 0  # paging: 1 GiB installed, the rule asks for more
    p0 = paging.paging_space(6144.0, 64 * 1024, vdisk_mib=100.0).paging_gib
    assert e.reason.startswith(f"lpar1 needs {p0:,.1f} GiB paging (1 GiB)")
    assert cap.steps[0].fits is False and cap.steps[0].engines_needed == 2
    reason1 = [s for s in cap.summary().splitlines() if s.startswith("EXHAUSTION")]
    assert reason1 == [f"EXHAUSTION: 2027-01-15 (month 0): {e.reason}"]
    # the engines' reason, as it would read at month 12
    typ = cap.upgrades_by_bound["typical"]
    assert [(u.month, u.host, u.add_engines, u.add_memory_gib) for u in typ] == [
        (12, "lpar1", 1, 0.0)
    ]
    assert typ[0].reason == "lpar1 needs 2 engines (1 installed)"
    assert cap.upgrades_by_bound["low"] == ()
    assert usable < 2600.0
    # no paging size given: paging is not checked, the plan holds at month 0
    cap2 = forecast.project(_result(mem1=64.0, mem2=64.0), g)
    assert cap2.exhaustion is not None and cap2.exhaustion.month == 12
    assert cap2.exhaustion.reason == (
        f"lpar1 needs 2 engines (1 installed): composite peak 2,600 MIPS > {usable:,.0f} usable"
    )
    assert cap2.steps[0].fits and cap2.machine_max is None


def _beyond_every_machine() -> GrowthModel:
    """1000 %/year and every role's demand × 1000 twice at month 12 (no lead time)."""
    ev = [
        {"name": f"x{i}", "month": 12, "scale": 1000, "role": r}
        for i in range(2)
        for r in ("web", "db")
    ]
    return GrowthModel(
        annual_pct=1000, horizon_months=12, step_months=12, lead_time_months=0, events=ev
    )


def test_project_beyond_every_machine() -> None:
    # 1000 %/year and every role's demand × 1000 twice at month 12: far beyond the largest
    # LPAR and the machine's 190 IFLs
    g = _beyond_every_machine()
    cap = forecast.project(_result(mem1=1e6, mem2=1e6, growth=None), g)
    s1 = cap.steps[1]
    assert s1.engines_needed == 2 * forecast.BEYOND
    mm = cap.machine_max
    assert mm is not None and mm.month == 12
    top = sizing.MAX_SEARCH_ENGINES
    assert mm.reason == (
        f"more than {top} engines needed; a z15 has at most 190 IFLs: the next model or a "
        "second machine"
    )
    assert cap.exhaustion is not None
    assert cap.exhaustion.reason.startswith(f"lpar1 needs more than {top} engines (1 installed)")
    ups = cap.upgrades
    # each LPAR beyond the z/VM limit per LPAR: a new LPAR takes the engines; then the machine
    lpar_max = 64  # zvm_max_logical_processors (SMT off)
    assert [u.host for u in ups] == ["new", "new", "machine"]
    assert ups[0].add_engines == forecast.BEYOND - 1
    assert f"more than the {lpar_max} engines one LPAR may have: a new LPAR (new1)" in ups[0].reason
    assert "(new2) takes over part of lpar2's guests" in ups[1].reason
    assert ups[2].add_engines == 2 * forecast.BEYOND - 190
    assert ups[2].reason == (
        f"{2 * forecast.BEYOND} engines exceed the machine's 190: the next model or a second machine"
    )
    assert forecast._n(forecast.BEYOND) == f"more than {top}"
    assert forecast._n(forecast.BEYOND - 1) == str(top)


def test_project_rejects_plans_it_cannot_project() -> None:
    with pytest.raises(InputError, match="got platform xen"):
        forecast.project(_result(platform="xen"))
    with pytest.raises(InputError, match="needs a z/VM plan sized in MIPS"):
        forecast.project(_result(sz=None))
    with pytest.raises(InputError, match="needs the servers' traces"):
        forecast.project(_result(), GrowthModel(forecast="fitted"))


def test_start_date_sources() -> None:
    scen = _result().scenario
    g = GrowthModel()
    assert forecast._start_date(scen, GrowthModel(start="2030-02-03"), None) == (
        dt.date(2030, 2, 3),
        "growth.start",
    )
    idx = pd.DatetimeIndex(["2026-10-30", "2026-11-30", "2026-12-31"])
    assert forecast._start_date(scen, g, idx) == (
        dt.date(2027, 1, 1),
        "the first of the month after the traces end",
    )
    assert forecast._start_date(scen, g, pd.DatetimeIndex([])) == (
        dt.date(2027, 1, 15),
        "metadata.date",
    )
    assert forecast._start_date(scen, g, None)[1] == "metadata.date"
    bare = _result(date="").scenario
    today = dt.date.today()
    got = forecast._start_date(bare, g, [1, 2])
    assert got == (dt.date(today.year, today.month, 1),
                   "this month (set growth.start for a reproducible plan)")  # fmt: skip


# --------------------------------------------------------------------------- events
def test_events_add_like_retire_and_scale_by_hand() -> None:
    g = GrowthModel(
        annual_pct=0,
        horizon_months=24,
        step_months=6,
        lead_time_months=0,
        events=[
            {"name": "two more like c", "month": 5, "add": 2, "like": "c"},
            {"name": "db doubles", "month": 12, "scale": 2, "role": "db"},
            {"name": "a goes", "month": 18, "retire": ["a"]},
            {"name": "web halves", "month": 24, "scale": 0.5, "workload_class": "web"},
            {"name": "never", "month": 30, "retire": ["zz"]},  # beyond the horizon: ignored
        ],
    )
    cap = forecast.project(_result(mem1=64.0, mem2=64.0), g)
    assert [s.month for s in cap.steps] == [0, 6, 12, 18, 24]
    # the copies of c arrive at the first step at or after month 5 (month 6) and go to the
    # first LPAR that holds them: lpar1 (1300 + 100 + 100 MIPS on 1 engine)
    assert [s.events for s in cap.steps] == [(), ("two more like c",), ("db doubles",),
                                             ("a goes",), ("web halves",)]  # fmt: skip
    assert [s.guests for s in cap.steps] == [3, 5, 5, 4, 4]
    d = cap.details["typical"]
    assert d.guests.tolist() == [[2, 1], [4, 1], [4, 1], [3, 1], [3, 1]]
    assert d.sized_mips.tolist() == [
        [1300.0, 100.0], [1500.0, 100.0], [2300.0, 100.0], [1800.0, 100.0], [1700.0, 50.0]
    ]  # fmt: skip
    lo = cap.details["low"]
    assert lo.sized_mips[1].tolist() == pytest.approx([1200.0, 80.0])  # 0.8 × (1300 + 200)
    assert cap.steps[3].composite_peak_mips.high == pytest.approx(1.3 * 1900)
    # memory: the copies' 1024 MiB each on lpar1 (2:1), a's 2048 retired at month 18
    assert d.memory_needed_gib[:, 0].tolist() == pytest.approx([3.0, 4.0, 4.0, 3.0, 3.0])
    assert d.engines_needed[:, 0].tolist() == [
        _eng(x, n, "typical") for x, n in ((1300, 2), (1500, 4), (2300, 4), (1800, 3), (1700, 3))
    ]


def test_new_guests_go_where_they_fit_else_where_they_load_least() -> None:
    # lpar1 full of memory (3 GiB needed, 3 installed): the copy of a goes to lpar2
    g = GrowthModel(annual_pct=0, horizon_months=12, step_months=12,
                    events=[{"name": "one more a", "month": 12, "add": 1, "like": "a"}])  # fmt: skip
    cap = forecast.project(_result(mem1=3.0, mem2=64.0), g)
    assert cap.details["typical"].guests[1].tolist() == [2, 2]
    assert cap.details["typical"].sized_mips[1].tolist() == pytest.approx([1300.0, 600.0])
    # it fits nowhere (memory): the LPAR it loads least relative to its usable MIPS, lpar2
    cap = forecast.project(_result(mem1=3.0, mem2=1.0), g)
    assert cap.details["typical"].guests[1].tolist() == [2, 2]
    # lpar2 cannot carry it (one engine) but lpar1 can: first fit
    big = GrowthModel(annual_pct=0, horizon_months=12, step_months=12, events=[
        {"name": "two more b", "month": 12, "add": 2, "like": "b"}])  # fmt: skip
    cap = forecast.project(_result(mem1=64.0, mem2=64.0, cpus=(4, 1)), big)
    assert cap.details["typical"].guests[1].tolist() == [4, 1]
    # a copy counts once where it goes: a + b + the copy of a need (2048 + 4096 + 2048) MiB
    # / 2:1 = 4 GiB on lpar1, which has 4
    one_a = GrowthModel(annual_pct=0, horizon_months=12, step_months=12,
                        events=[{"name": "one more a", "month": 12, "add": 1, "like": "a"}])  # fmt: skip
    cap = forecast.project(_result(mem1=4.0, mem2=64.0, cpus=(4, 1)), one_a)
    assert cap.details["typical"].guests[1].tolist() == [3, 1]
    # memory counts the grown memory of the guests already there (grow_memory)
    grow = GrowthModel(annual_pct=100, horizon_months=12, step_months=12,
                       events=[{"name": "one more c", "month": 12, "add": 1, "like": "c"}])  # fmt: skip
    # lpar1 at month 12: (2 × 2048 + 2 × 4096 + 2 × 1024) MiB = 14 GiB / 2:1 = 7 GiB > 6.9
    cap = forecast.project(_result(mem1=6.9, mem2=64.0, cpus=(4, 1)), grow)
    assert cap.details["typical"].guests[1].tolist() == [2, 2]
    cap = forecast.project(_result(mem1=7.0, mem2=64.0, cpus=(4, 1)), grow)
    assert cap.details["typical"].guests[1].tolist() == [3, 1]


@pytest.mark.parametrize(
    ("event", "match"),
    [
        ({"name": "x", "month": 0, "retire": ["a", "zz"]}, r"growth.events\[0\].retire"),
        ({"name": "x", "month": 0, "add": 1, "like": "zz"}, r"growth.events\[0\].like"),
        ({"name": "x", "month": 0, "scale": 2, "role": "zz"}, r"growth.events\[0\].role"),
        (
            {"name": "x", "month": 0, "scale": 2, "workload_class": "zz"},
            r"events\[0\].workload_class",
        ),
    ],
)
def test_events_naming_unknown_servers_roles_or_classes(event: dict, match: str) -> None:
    g = GrowthModel(horizon_months=12, step_months=12, events=[event])
    with pytest.raises(InputError, match=match):
        forecast.project(_result(), g)


MORE = (
    "server,role,capacity,capacity_unit,cores,util_avg_pct,util_peak_pct,workload_class,"
    "memory_mib,disk_gib,count\nn,web,400,mips,1,10,50,web,2048,10,1\n"
)


def test_event_adding_an_inventory_file(tmp_path: Path) -> None:
    (tmp_path / "more.csv").write_text(MORE)
    g = GrowthModel(annual_pct=50, by_role={"web": 0},
                    horizon_months=12, step_months=12,
                    events=[{"name": "new app", "month": 12, "inventory": "more.csv"}])  # fmt: skip
    cap = forecast.project(_result(mem1=64.0, mem2=64.0, cpus=(4, 1), base_dir=tmp_path), g)
    # n: 50 % of 400 MIPS = 200 MIPS flat (role web: 0 %/year), 2048 MiB, first fit: lpar1
    d = cap.details["typical"]
    assert d.guests[1].tolist() == [3, 1]
    assert d.sized_mips[1].tolist() == pytest.approx([500 + 800 * 1.5 + 200, 100.0])
    assert d.memory_needed_gib[1].tolist() == pytest.approx(
        [(2048 + 4096 * 1.5 + 2048) / 2048, 1.0]
    )


def test_event_inventory_servers_by_class_placed_where_memory_allows(tmp_path: Path) -> None:
    (tmp_path / "more.csv").write_text(MORE)
    g = GrowthModel(annual_pct=50, by_class={"web": 0}, horizon_months=12, step_months=12,
                    events=[{"name": "new app", "month": 12, "inventory": "more.csv"}])  # fmt: skip
    # lpar1 (8 engines, 4.5 GiB at 2:1) holds a + b grown: (2048 + 4096 × 1.5) / 2 = 4 GiB, not
    # n's 1 GiB more; lpar2 (1:1) holds c's 1024 + n's 2048 MiB = exactly its 3 GiB
    cap = forecast.project(_result(mem1=4.5, mem2=3.0, cpus=(8, 1), base_dir=tmp_path), g)
    d = cap.details["typical"]
    assert d.guests[1].tolist() == [2, 2]
    # n is of class web: flat, like a and c; b grows 50 %
    assert d.sized_mips[1].tolist() == pytest.approx([500 + 800 * 1.5, 100 + 200.0])
    assert d.memory_needed_gib[1].tolist() == pytest.approx([4.0, 3.0])
    # paging: n carries the colony's first guest's vdisk (a-01: 100 MiB) onto lpar2
    rules = paging.paging_rules()
    need = (
        paging.paging_space(8192.0, 4.5 * 1024, vdisk_mib=100.0, rules=rules).paging_gib
        + paging.paging_space(3072.0, 3.0 * 1024, vdisk_mib=150.0, rules=rules).paging_gib
    )
    assert cap.steps[1].paging_needed_gib == pytest.approx(round(need, 3))


def test_event_inventory_servers_by_server_on_the_plans_basis(tmp_path: Path) -> None:
    (tmp_path / "more.csv").write_text(MORE)
    g = GrowthModel(annual_pct=0, by_server={"n": 100}, horizon_months=12, step_months=12,
                    events=[{"name": "new app", "month": 12, "inventory": "more.csv"}])  # fmt: skip
    # the plan sized on the average: n is 10 % of 400 = 40 MIPS, doubled by its own rate
    avg = dataclasses.replace(SZ, options=dataclasses.replace(SZ.options, basis="avg"))
    r = _result(mem1=64.0, mem2=64.0, cpus=(4, 1), base_dir=tmp_path, sz=avg)
    cap = forecast.project(r, g)
    assert cap.details["typical"].sized_mips[1].tolist() == pytest.approx([1300.0 + 80.0, 100.0])


@pytest.mark.parametrize(
    ("reference_class", "ref_tpm_per_mips"), [("mixed", 77.0), ("cpu-bound", 30.0)]
)
def test_event_inventory_servers_sized_with_the_plans_reference_class(
    tmp_path: Path, reference_class: str, ref_tpm_per_mips: float
) -> None:
    # n gives its clock (2,000 MHz, one core): Barton's 0.25 MIPS/MHz at the reference class's
    # typical tpm/MIPS (workload_classes.csv: mixed 77, cpu-bound 30), converted back with its
    # own class's (web: 80): 50 % x 2000 x 0.25 x ref / 80 MIPS, flat (by_role web: 0 %/year).
    # Before round 9 the added servers were sized at the default class whatever the plan said.
    (tmp_path / "more.csv").write_text(MORE.replace("400,mips", "2000,mhz"))
    g = GrowthModel(annual_pct=50, by_role={"web": 0},
                    horizon_months=12, step_months=12,
                    events=[{"name": "new app", "month": 12, "inventory": "more.csv"}])  # fmt: skip
    opts = dataclasses.replace(SZ.options, reference_class=reference_class)
    sz = dataclasses.replace(SZ, options=opts)
    r = _result(mem1=64.0, mem2=64.0, cpus=(4, 1), base_dir=tmp_path, sz=sz)
    cap = forecast.project(r, g)
    n_mips = 0.5 * 2000 * 0.25 * ref_tpm_per_mips / 80.0
    assert cap.details["typical"].sized_mips[1].tolist() == pytest.approx(
        [500 + 800 * 1.5 + n_mips, 100.0]
    )


def test_event_copy_counts_once_on_the_lpar_that_takes_it() -> None:
    # a copy of b (800 MIPS): lpar1 (4 engines) has no memory left (3 GiB for a + b), lpar2
    # (one engine) carries c + the copy (900 MIPS), not c + the copy twice (1700 MIPS)
    g = GrowthModel(annual_pct=0, horizon_months=12, step_months=12,
                    events=[{"name": "one more b", "month": 12, "add": 1, "like": "b"}])  # fmt: skip
    cap = forecast.project(_result(mem1=3.0, mem2=64.0, cpus=(4, 1)), g)
    assert cap.details["typical"].guests[1].tolist() == [2, 2]
    assert 1700.0 > _usable(1, 3, "typical") and 900.0 <= _usable(1, 2, "typical")


# --------------------------------------------------------------------------- measured series
def _measured_result(
    growth: dict | None = None,
    statistic: str = "peak",
    series: pd.DataFrame | None = None,
    bound: str | None = "typical",
    sz: sizing.SizingResult = SZ,
    placed: bool = True,
) -> ColonyPlanResult:
    """a, b, c with their own series (MIPS per hour) and a placement on the two LPARs."""
    idx = pd.date_range("2027-01-01", periods=4, freq="h")
    series = series if series is not None else pd.DataFrame(
        {"a-01": [100.0, 500.0, 200.0, 400.0], "b-01": [800.0, 200.0, 600.0, 400.0],
         "c-01": [50.0, 20.0, 80.0, 10.0]}, index=idx,
    )  # fmt: skip
    inst = pd.DataFrame({"server": ["a", "b", "c"]})
    if bound is not None:
        inst.attrs["bound"] = bound
    meas = SimpleNamespace(guest_mips=series, instances=inst, uplift_frac=0.25)
    place = SimpleNamespace(host_of=np.array([0, 0, 1])) if placed else None
    return _result(
        mem1=64.0, mem2=64.0, target={"composite_statistic": statistic}, growth=growth,
        measured=meas, placement=place, sz=sz,
    )  # fmt: skip


def test_project_measured_series_by_hand() -> None:
    g = GrowthModel(annual_pct={"low": 0, "typical": 20, "high": 50}, by_server={"b": 0},
                    horizon_months=12, step_months=12)  # fmt: skip
    cap = forecast.project(_measured_result(), g)
    # the start: the first of the month after the series ends
    assert cap.start == dt.date(2027, 2, 1)
    # month 12: a × 1.2 + b: 920, 800, 840, 880 -> peak 920; low: × 0.8 (WLF) each
    d = cap.details["typical"]
    np.testing.assert_allclose(d.sized_mips, [[900.0, 80.0], [920.0, 96.0]])
    assert cap.details["low"].sized_mips[1].tolist() == pytest.approx([720.0, 64.0])
    # high: a × 1.5 + b = 950, 950, 900, 1000 -> 1000; c 80 × 1.5 = 120; each × 1.3 (WLF)
    assert cap.details["high"].sized_mips[1].tolist() == pytest.approx([1.3 * 1000.0, 1.3 * 120.0])
    # the colony: hour 0 has 120 + 800 + 60 = 980 (lpar2 peaks at hour 2)
    assert cap.steps[1].composite_peak_mips.typical == pytest.approx(980.0)
    # engines on the measured uplift (0.25), not the inventory's
    assert d.engines_needed[1, 0] == measured.engines_for(920.0, SZ, 2, 0.25, "typical")


def test_project_measured_series_p95() -> None:
    # a spikes to 1000 MIPS in one hour of 40: the p95 ("higher", measured.statistic_of) is
    # the 38th of 40 values, 100 + 800 on lpar1; the peak would be 1800
    idx = pd.date_range("2027-01-01", periods=40, freq="h")
    series = pd.DataFrame(
        {"a-01": [100.0] * 39 + [1000.0], "b-01": [800.0] * 40, "c-01": [50.0] * 40}, index=idx
    )
    cap = forecast.project(
        _measured_result(statistic="p95", series=series),
        GrowthModel(horizon_months=12, step_months=12),
    )
    assert cap.details["typical"].sized_mips[0].tolist() == [900.0, 50.0]
    assert cap.steps[0].composite_peak_mips.typical == 1850.0
    assert "composite p95" not in cap.notes[-1]


# --------------------------------------------------------------------------- upgrade schedule
def test_upgrade_schedule_by_hand() -> None:
    dates = [dt.date(2027, 1, 1), dt.date(2027, 7, 1), dt.date(2028, 1, 1)]
    ups, e, m = forecast.upgrade_schedule(
        np.array([[1, 2], [3, 2], [3, 9]]),
        np.array([[10.0, 0.0], [70.0, 0.0], [70.0, 0.0]]),
        [1, 2],
        [16.0, 8.0],
        [0, 6, 12],
        dates,
        ["l1", "l2"],
        increment_engines=2,
        increment_memory_gib=32.0,
        lead_time_months=1,
        lpar_max_engines=4,
        machine_max_engines=10,
        start=dt.date(2027, 1, 1),
    )
    # month 6: l1 3 > 1 engines -> +2, 70 > 16 GiB -> 54 rounded up to 64; month 12: l2 needs
    # 9 of 2 -> +8 > 4 per LPAR: a new LPAR; 3 + 10 = 13 > 10 in the machine
    assert [(u.month, u.host, u.add_engines, u.add_memory_gib) for u in ups] == [
        (6, "l1", 2, 64.0),
        (12, "new", 8, 0.0),
        (12, "machine", 3, 0.0),
    ]
    assert (
        ups[0].reason
        == "l1 needs 3 engines (1 installed); l1 needs 70.00 GiB real storage (16 GiB installed)"
    )
    assert ups[0].order_by == dt.date(2027, 6, 1) and ups[0].need_by == dt.date(2027, 7, 1)
    assert ups[1].reason == (
        "l2 needs 9 engines (2 installed); more than the 4 engines one LPAR may have: a new "
        "LPAR (new1) takes over part of l2's guests"
    )
    assert ups[2].reason == "13 engines exceed the machine's 10: the next model or a second machine"
    assert ups[2].order_by == dt.date(2027, 12, 1)
    assert e.tolist() == [[1, 2], [3, 2], [3, 10]] and m.tolist() == [
        [16.0, 8.0],
        [80.0, 8.0],
        [80.0, 8.0],
    ]
    # later engines of an LPAR that overflowed go to its new LPAR; the machine is flagged once
    ups, e, _m = forecast.upgrade_schedule(
        np.array([[6], [7], [20]]), np.zeros((3, 1)), [2], [1.0], [0, 1, 2], dates, ["l1"],
        lpar_max_engines=4, machine_max_engines=6, start=dt.date(2026, 1, 1),
    )  # fmt: skip
    assert [(u.host, u.add_engines) for u in ups] == [
        ("new", 4),
        ("new1", 1),
        ("machine", 1),
        ("new1", 13),
    ]
    assert (
        ups[1].reason
        == "l1 needs 7 engines (6 installed); the engines go to new1, which took over l1's overflow"
    )
    assert e[:, 0].tolist() == [6, 7, 20]
    # no limits: never a new LPAR nor a machine upgrade; exactly at the limit is no overflow
    ups, _e, _m = forecast.upgrade_schedule(
        np.array([[4]]), np.zeros((1, 1)), [1], [1.0], [0], dates[:1], ["l1"], lpar_max_engines=4,
        machine_max_engines=4,
    )  # fmt: skip
    assert [(u.host, u.add_engines) for u in ups] == [("l1", 3)]
    ups, _e, _m = forecast.upgrade_schedule(
        np.array([[400]]), np.zeros((1, 1)), [1], [1.0], [0], dates[:1], ["l1"]
    )
    assert [(u.host, u.add_engines) for u in ups] == [("l1", 399)]
    assert ups[0].order_by == dt.date(2026, 10, 1)  # the default lead time of 3 months
    assert "order now" not in ups[0].reason  # no start given: never late
    # memory only: the default 64 GiB increment
    ups, _e, m = forecast.upgrade_schedule(
        np.array([[1]]), np.array([[1.5]]), [1], [1.0], [0], dates[:1], ["l1"]
    )
    assert [(u.add_engines, u.add_memory_gib) for u in ups] == [(0, 64.0)] and m.tolist() == [
        [65.0]
    ]


# --------------------------------------------------------------------------- the result's outputs
def _small_cap() -> forecast.CapacityPlanResult:
    g = GrowthModel(annual_pct={"low": 10, "typical": 20, "high": 50}, horizon_months=12,
                    step_months=12, lead_time_months=2, start="2027-03-31")  # fmt: skip
    return forecast.project(_result(), g)


def test_frames_dict_and_summary() -> None:
    cap = _small_cap()
    f = cap.steps_frame()
    assert f.columns.tolist() == [
        "month", "date", "guests", "peak_mips_low", "peak_mips_typical", "peak_mips_high",
        "engines_needed", "engines_installed", "engines_scheduled", "memory_needed_gib",
        "memory_installed_gib", "fits",
    ]  # fmt: skip
    assert f["date"].tolist() == ["2027-03-31", "2028-03-31"]
    # every server grows: month 12 is 1.1 / 1.2 / 1.5 × month 0
    assert f["peak_mips_low"].tolist() == pytest.approx([1120.0, 1232.0])
    assert f["peak_mips_high"].tolist() == pytest.approx([1820.0, 2730.0])
    assert f["peak_mips_typical"].tolist() == pytest.approx([1400.0, 1680.0])
    assert f["memory_needed_gib"].tolist() == pytest.approx([4.0, 3.6 + 1.2])
    assert f["fits"].tolist() == [True, False] and f["guests"].tolist() == [3, 3]
    assert f["engines_installed"].tolist() == [2, 2]
    assert f["memory_installed_gib"].tolist() == [4.0, 4.0]
    u = cap.upgrades_frame()
    assert u.columns.tolist() == ["order_by", "need_by", "month", "host", "add_engines",
                                  "add_memory_gib", "add_paging_gib", "reason"]  # fmt: skip
    assert u["host"].tolist() == ["lpar1", "lpar2"] and u["add_memory_gib"].tolist() == [64.0] * 2
    assert len(cap.upgrades_frame("low")) == len(cap.upgrades_by_bound["low"])
    assert cap.upgrades_frame("nothing").empty
    d = cap.to_dict()
    assert list(d) == list(forecast.CapacityPlanResult._dict_keys)
    assert list(d["upgrades_by_bound"]) == ["low", "typical", "high"]
    assert "backtest" not in d
    text = cap.summary().splitlines()
    assert text[0] == (
        "capacity plan: 12 months from 2027-03-31 in steps of 12 month(s), planned growth; z15 "
        "(at most 190 IFLs); lead time 2 month(s), upgrades in steps of 1 engine(s) / 64 GiB"
    )
    assert text[1] == (
        "  now: 3 guests, composite peak 1,400 MIPS (low 1,120, high 1,820); 2 engines needed "
        "of 2 installed"
    )
    assert text[2] == (
        "  month 12: 3 guests, composite peak 1,680 MIPS (low 1,232, high 2,730); "
        f"{cap.steps[1].engines_needed} engines needed"
    )
    assert text[3].startswith("EXHAUSTION: 2028-03-31 (month 12): lpar1 needs 3.60 GiB")
    assert text[4] == "machine maximum: not reached within 12 months"
    assert text[5].startswith("upgrade schedule (low): ")
    hi = cap.upgrades_by_bound["high"][0]
    assert "upgrade schedule (typical, as planned): 2 upgrade(s)" in text
    assert (
        f"  first: order by {hi.order_by.isoformat()}, {hi.host} +{hi.add_engines} engines, "
        f"+{hi.add_memory_gib:g} GiB"
    ) in text
    assert "  order by    need by     month  host      +engines    +GiB  reason" in text
    assert (
        "  2028-01-31  2028-03-31     12  lpar1            0      64  lpar1 needs 3.60 GiB real "
        "storage (3 GiB installed)"
    ) in text
    assert text[-1] == "note: " + cap.notes[-1]
    none = forecast.project(
        _result(mem1=64.0, mem2=64.0), GrowthModel(horizon_months=12, step_months=12)
    )
    s = none.summary().splitlines()
    assert "exhaustion: none within 12 months (typical)" in s
    assert (
        "upgrade schedule (low): none" in s and "upgrade schedule (typical, as planned): none" in s
    )
    assert not any(x.startswith("  order by") for x in s)
    mm = dataclasses.replace(none, machine_max=forecast.Exhaustion(12, dt.date(2028, 1, 1), "why"))
    assert "machine maximum reached: 2028-01-01 (month 12): why" in mm.summary().splitlines()
    bt = SimpleNamespace(holdout_weeks=2, error_pct=3.14159, naive_error_pct=7.25,
                         actual_peaks=np.array([1, 2]), projected_peaks=[1.5], naive_peaks=[3])  # fmt: skip
    with_bt = dataclasses.replace(none, backtest=bt)
    assert (
        "backtest (last 2 weeks held out): weekly composite peak error 3.1 % (seasonal-naive 7.2 %)"
        in with_bt.summary().splitlines()
    )
    assert with_bt.to_dict()["backtest"] == {
        "holdout_weeks": 2, "error_pct": 3.14159, "naive_error_pct": 7.25,
        "actual_weekly_peak_mips": [1.0, 2.0], "projected_weekly_peak_mips": [1.5],
        "naive_weekly_peak_mips": [3.0],
    }  # fmt: skip


def test_plan_section_and_attach() -> None:
    cap = _small_cap()
    sec = forecast.plan_section(cap)
    assert (sec.method, sec.model, sec.start, sec.horizon_months, sec.step_months) == (
        "planned", "compound", dt.date(2027, 3, 31), 12, 12,
    )  # fmt: skip
    assert (sec.annual_pct.low, sec.annual_pct.typical, sec.annual_pct.high) == (10, 20, 50)
    assert (sec.lead_time_months, sec.increment_engines, sec.increment_memory_gib) == (2, 1, 64.0)
    s1 = sec.steps[1]
    assert s1.composite_peak_mips.typical == 1680.0 and s1.composite_peak_mips.low == 1232.0
    assert s1.composite_peak_mips.high == 2730.0
    assert s1.memory_needed_gib == 4.8 and s1.memory_installed_gib == 4.0 and not s1.fits
    assert (s1.month, s1.date, s1.guests) == (12, dt.date(2028, 3, 31), 3)
    assert (s1.engines_installed, s1.engines_scheduled) == (2, cap.steps[1].engines_scheduled)
    assert s1.engines_needed == cap.steps[1].engines_needed
    assert sec.exhaustion is not None and sec.exhaustion.month == 12
    assert (
        sec.exhaustion.date == dt.date(2028, 3, 31)
        and sec.exhaustion.reason == cap.exhaustion.reason
    )
    assert sec.machine_max is None and sec.backtest is None
    assert [u.host for u in sec.upgrades] == ["lpar1", "lpar2"]
    u0 = sec.upgrades[0]
    assert (u0.month, u0.need_by, u0.order_by, u0.add_engines, u0.add_memory_gib) == (
        12, dt.date(2028, 3, 31), dt.date(2028, 1, 31), 0, 64.0,
    )  # fmt: skip
    assert u0.reason == cap.upgrades[0].reason
    assert len(sec.upgrades_low) == len(cap.upgrades_by_bound["low"])
    assert len(sec.upgrades_high) == len(cap.upgrades_by_bound["high"])
    assert sec.notes == list(cap.notes)
    # figures to 0.001, and an engine count beyond any machine capped at 10^9
    big = dataclasses.replace(
        cap,
        steps=(dataclasses.replace(cap.steps[0], engines_needed=10**12,
                                   memory_needed_gib=1.23456, memory_installed_gib=2.34567,
                                   composite_peak_mips=forecast.Range(1.23456, 2.0006, 3.14159)),),
        upgrades=(dataclasses.replace(cap.upgrades[0], add_memory_gib=1.23456),),
        machine_max=forecast.Exhaustion(1, dt.date(2027, 4, 30), "m"),
        backtest=SimpleNamespace(
            holdout_weeks=2, error_pct=1.23456, naive_error_pct=2.34567, actual_peaks=(),
            projected_peaks=(), naive_peaks=(),
        ),
        growth=None,
        upgrades_by_bound={"typical": cap.upgrades},
    )  # fmt: skip
    sb = forecast.plan_section(big)
    # bounds without a schedule: none, in the document and in the JSON
    assert sb.upgrades_low == [] and sb.upgrades_high == [] and len(sb.upgrades) == 1
    ub = big.to_dict()["upgrades_by_bound"]
    assert list(ub) == ["low", "typical", "high"] and len(ub["typical"]) == 2
    assert ub["low"] is not None and len(ub["low"]) == 0
    assert ub["high"] is not None and len(ub["high"]) == 0
    assert "upgrade schedule (low): none" in big.summary().splitlines()
    st = sb.steps[0]
    assert st.engines_needed == 10**9
    assert (st.memory_needed_gib, st.memory_installed_gib) == (1.235, 2.346)
    assert (st.composite_peak_mips.low, st.composite_peak_mips.typical) == (1.235, 2.001)
    assert st.composite_peak_mips.high == 3.142
    assert sb.upgrades[0].add_memory_gib == 1.235
    assert sb.machine_max is not None and sb.machine_max.reason == "m" and sb.machine_max.month == 1
    assert sb.backtest is not None and sb.backtest.holdout_weeks == 2
    assert (sb.backtest.error_pct, sb.backtest.naive_error_pct) == (1.235, 2.346)
    assert sb.model == "compound" and sb.annual_pct.typical == 0  # no growth model: the default
    r = _result()
    out = forecast.attach(r, cap)
    assert out.capacity_plan is cap and out.plan.capacity_plan == sec
    assert out.sizing is r.sizing


def test_extra_reads_typed_fields_then_extras() -> None:
    assert forecast._extra(SimpleNamespace(measured=1), "measured") == 1
    assert forecast._extra(SimpleNamespace(measured=None, extras={"measured": 2}), "measured") == 2
    assert forecast._extra(SimpleNamespace(extras=None), "measured") is None
    assert forecast._extra(SimpleNamespace(), "measured") is None
    assert forecast._fmt_list(["a", "b"]) == "a, b"
    assert forecast._fmt_list(list("abcdef")) == "a, b, c, d and 2 more"
    assert forecast._fmt_list(list("abcd")) == "a, b, c, d"
    assert forecast._fmt_list(list("abcde")) == "a, b, c, d and 1 more"
    assert forecast._step_of(np.array([0, 6, 12]), 5) == 1
    assert forecast._step_of(np.array([0, 6, 12]), 6) == 1
    assert forecast._step_of(np.array([0, 6, 12]), 13) == 3


# --------------------------------------------------------------------------- fitted growth
class _Fit:
    """A fitted trend by hand (``trend.fit_history``'s result: factors, backtest, interval)."""

    #: growth factor per month of each server's own fit: a +2 %/month, c −1 %/month
    SLOPE = {"a": 0.02, "c": -0.01}
    BACKTEST = {
        "a": SimpleNamespace(holdout_weeks=2, error_pct=2.0, naive_error_pct=4.0, beats_naive=True),
        "c": SimpleNamespace(
            holdout_weeks=2, error_pct=float("nan"), naive_error_pct=5.0, beats_naive=False
        ),  # fmt: skip
        None: SimpleNamespace(holdout_weeks=3, error_pct=1.0, naive_error_pct=9.0),
    }

    def __init__(self, name: str | None) -> None:
        self.name = name
        self.backtest = self.BACKTEST[name]

    def growth_factors(self, months: np.ndarray) -> dict[str, np.ndarray]:
        return {"typical": 1.0 + self.SLOPE[str(self.name)] * months}

    def weekly_peak_at(self, months: np.ndarray) -> dict[str, np.ndarray]:
        # the colony's composite: the interval 0.9 … 1.25 of the typical path
        typ = 1000.0 + 10.0 * months
        return {"low": 0.9 * typ, "typical": typ, "high": 1.25 * typ}


def test_project_fitted_by_hand(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from colonykit import trend

    calls: list[tuple[str | None, int, str]] = []
    seen: list[pd.Series] = []

    def fit_history(series: pd.Series, horizon: int, statistic: str = "peak", name: Any = None):
        calls.append((name, horizon, statistic))
        seen.append(series)
        return _Fit(name)

    monkeypatch.setattr(trend, "fit_history", fit_history)
    (tmp_path / "more.csv").write_text(
        "server,role,capacity,capacity_unit,cores,util_avg_pct,util_peak_pct,workload_class,"
        "memory_mib,disk_gib,count\nn,web,400,mips,1,10,50,web,1024,10,1\n"
    )
    idx = pd.date_range("2027-01-01", periods=4, freq="h")
    series = pd.DataFrame(
        {"a-01": [100.0, 500.0, 200.0, 400.0], "b-01": [800.0] * 4,
         "c-01": [50.0, 20.0, 80.0, 10.0]}, index=idx,
    )  # fmt: skip
    # p95 of 4 hours ("higher") is their peak: the figures below hold for both statistics
    r = _measured_result(series=series, statistic="p95")
    r = dataclasses.replace(r, scenario=r.scenario.model_copy(update={"source": "s.yaml"}))
    g = GrowthModel(
        forecast="fitted", horizon_months=12, step_months=6,
        events=[{"name": "copy a", "month": 6, "add": 1, "like": "a"},
                {"name": "n", "month": 12, "inventory": str(tmp_path / "more.csv")}],
    )  # fmt: skip
    cap = forecast.project(r, g)
    # the colony's composite, then a and c (b is flat: not fitted); 12 months ahead, peak
    assert calls == [(None, 12, "p95"), ("a", 12, "p95"), ("c", 12, "p95")]
    comp, sa, sc = seen
    # the colony's composite: a + b + c each hour (not the all-ones column)
    assert comp.name == "the colony's composite" and comp.index.equals(idx)
    assert comp.tolist() == [950.0, 1320.0, 1080.0, 1210.0]
    assert sa.tolist() == [100.0, 500.0, 200.0, 400.0] and sa.index.equals(idx)
    assert sc.tolist() == [50.0, 20.0, 80.0, 10.0] and sc.index.equals(idx)
    assert cap.method == "fitted" and cap.backtest is _Fit.BACKTEST[None]
    fa = {0: 1.0, 6: 1.12, 12: 1.24}
    fc = {0: 1.0, 6: 0.94, 12: 0.88}
    rel = {"low": {0: 1.0, 6: 0.9, 12: 0.9}, "typical": {0: 1.0, 6: 1.0, 12: 1.0},
           "high": {0: 1.0, 6: 1.25, 12: 1.25}}  # fmt: skip
    for b in forecast.BANDS:
        d = cap.details[b]
        for s, m in enumerate((0, 6, 12)):
            # lpar1: a + b (flat); a's copy from month 6 carries a's own fitted path and does
            # not fit on lpar1 (1,920 MIPS at hour 1 on one engine): lpar2, peak at hour 1 with c
            # the inventory's n from month 12: flat 200 MIPS at every bound (its own sizing, in
            # MIPS), no fit and no interval of its own; it fits on lpar1 (620 + 800 + 200 MIPS
            # on one engine)
            n = 200.0 if m == 12 else 0.0
            l1 = WLF[b] * rel[b][m] * (500.0 * fa[m] + 800.0) + n
            l2 = WLF[b] * rel[b][m] * (20.0 * fc[m] + 500.0 * fa[m] if m >= 6 else 80.0)
            assert d.sized_mips[s].tolist() == pytest.approx([l1, l2]), (b, m)
            # memory never shrinks with a fitted trend: c stays at 1 GiB
            mem_a = 2048.0 * max(fa[m] * rel[b][m], 1.0)
            mem_b = 4096.0 * max(rel[b][m], 1.0)
            mem_c = 1024.0 * max(fc[m] * rel[b][m], 1.0)
            mem_1 = mem_a + mem_b + (1024.0 if m == 12 else 0.0)
            mem_2 = mem_c + (mem_a if m >= 6 else 0.0)
            assert d.memory_needed_gib[s].tolist() == pytest.approx(
                [round(mem_1 / 2 / 1024, 3), round(mem_2 / 1024, 3)]
            ), (b, m)
    assert cap.details["typical"].guests.tolist() == [[2, 1], [2, 2], [3, 2]]
    assert cap.notes[1] == (
        "fitted growth: ETS (additive error, damped additive trend, weekly season) on each "
        "server's daily p95 (3 distinct series, 1 flat), each backtested; low / high = each "
        "server's path scaled by the 90 % prediction interval of the colony's composite fit; "
        "memory never shrinks with a fitted trend"
    )
    # a's backtest only (c's error is not finite); 1 of 2 fits beat the seasonal-naive one
    assert cap.notes[2] == (
        "per-server backtests (last 2 weeks held out): the fit beats the seasonal-naive "
        "forecast for 1 of 2 servers; median weekly-peak error 2.0 % (seasonal-naive 4.5 %)"
    )
    assert cap.notes[3].endswith(
        "with the low / high prediction interval; engines by colonykit.measured.engines_for "
        "(MP effect, SMT, CP and idle-guest overhead)"
    )
    assert len(cap.notes) == 4


def test_project_fitted_all_flat(monkeypatch: pytest.MonkeyPatch) -> None:
    from colonykit import trend

    monkeypatch.setattr(trend, "fit_history", lambda *a, **k: _Fit(None))
    idx = pd.date_range("2027-01-01", periods=4, freq="h")
    flat = pd.DataFrame({"a-01": [1.0] * 4, "b-01": [2.0] * 4, "c-01": [2.0] * 4}, index=idx)
    cap = forecast.project(
        _measured_result(series=flat),
        GrowthModel(forecast="fitted", horizon_months=12, step_months=1),
    )
    # b and c have the same series: one fit for both; no per-server backtest; from month 1
    # on, the colony's interval scales every path (month 1: high 1.25)
    assert "(2 distinct series, 2 flat)" in cap.notes[1] and len(cap.notes) == 3
    assert cap.details["high"].sized_mips[1].tolist() == pytest.approx(
        [1.3 * 1.25 * 3.0, 1.3 * 1.25 * 2.0]
    )


# --------------------------------------------------------------------------- placing new guests
def _pl_setup(
    engines: tuple[int, int] = (1, 2),
    mem_gib: tuple[float, float] = (64.0, 64.0),
    growth: GrowthModel | None = None,
    months: tuple[int, ...] = (0, 12),
) -> Any:
    return forecast._Setup(
        scen=None,  # type: ignore[arg-type]
        growth=growth or GrowthModel(annual_pct=0),
        months=np.array(months),
        dates=[dt.date(2027, 1, 1)] * len(months),
        hosts=["h1", "h2"],
        wlf={"low": "low", "typical": "typical", "high": "high"},
        statistic="peak",
        uplift=UPLIFT,
        ratio=[1.0, 1.0],
        installed_e=list(engines),
        installed_m=list(mem_gib),
        installed_p=[0.0, 0.0],
        platform="zvm",
    )


def _place(
    setup: Any,
    old: list[tuple[float, int, float]],
    new: list[tuple[float, float]],
    s: int,
    *,
    active: list[tuple[int, int]] | None = None,
    scale: float = 1.0,
    factor: float = 1.0,
    sz: sizing.SizingResult = SZ,
) -> tuple[list[int], dict[str, np.ndarray]]:
    """Guests on a flat series (the all-ones column): ``old`` = (MIPS, host, memory MiB) with
    their (first, last) steps in ``active``, ``new`` = (MIPS, memory MiB); the new guests'
    hosts and the factors."""
    n_old, n_new = len(old), len(new)
    n = n_old + n_new
    span = active or [(0, len(setup.months))] * n_old
    guests = forecast._Guests(
        server=[f"s{i}" for i in range(n)],
        role=["web"] * n,
        wclass=["web"] * n,
        src=[-1] * n,
        base={b: [x for x, *_ in old] + [x for x, _m in new] for b in ("low", "typical", "high")},
        memory_mib=[m for *_, m in old] + [m for _x, m in new],
        vdisk_mib=[0.0] * n,
        host=[h for _x, h, _m in old] + [-1] * n_new,
        first=[f for f, _l in span] + [s] * n_new,
        last=[la for _f, la in span] + [len(setup.months)] * n_new,
    )
    steps = len(setup.months)
    factors = {b: np.full((n_old, steps), factor) for b in forecast.BANDS}
    scales = [np.full(steps, scale) for _ in range(n_old)]
    matrix = np.ones((3, 1))
    _m, factors = forecast._place_new(
        sz, setup, guests, matrix, factors, scales, list(range(n_old, n)), s
    )
    return guests.host[n_old:], factors


def test_place_new_first_fit_at_the_exact_limits() -> None:
    u11 = _usable(1, 1, "typical")
    # exactly the usable MIPS of one engine with one guest: fits on h1 (h2 has 2 engines)
    assert _place(_pl_setup(), [], [(u11, 1.0)], 0)[0] == [0]
    # one MIPS more: h2
    assert _place(_pl_setup(), [], [(u11 + 1.0, 1.0)], 0)[0] == [1]
    # the guest count of h1 with the new one (3): its idle MIPS count
    u13 = _usable(1, 3, "typical")
    assert _place(_pl_setup(), [(0.0, 0, 1.0)] * 2, [(u13 + 10.0, 1.0)], 0)[0] == [1]
    assert _place(_pl_setup(), [(0.0, 0, 1.0)] * 2, [(u13, 1.0)], 0)[0] == [0]
    # memory: exactly h1's 1 GiB at 1:1 fits, half a MiB more does not
    setup = _pl_setup(engines=(1, 1), mem_gib=(1.0, 64.0))
    assert _place(setup, [], [(1.0, 1024.0)], 0)[0] == [0]
    assert _place(setup, [], [(1.0, 1024.5)], 0)[0] == [1]


def test_place_new_fits_nowhere_goes_where_it_loads_least() -> None:
    # no memory anywhere: h1 (4 engines, 3000 MIPS there) is loaded less relative to its usable
    # MIPS than h2 (1 engine, 1000 MIPS), though it carries more
    setup = _pl_setup(engines=(4, 1), mem_gib=(0.0, 0.0))
    (h,), _f = _place(setup, [(3000.0, 0, 1.0), (1000.0, 1, 1.0)], [(100.0, 1.0)], 0)
    assert h == 0
    assert 3100.0 / _usable(4, 2, "typical") < 1100.0 / _usable(1, 2, "typical")


def test_place_new_counts_the_guests_there_at_the_step() -> None:
    u12 = _usable(1, 2, "typical")
    # an existing guest from step 0 counts at step 0: h1 is full, h2
    assert _place(_pl_setup(), [(u12 - 50.0, 0, 1.0)], [(100.0, 1.0)], 0)[0] == [1]
    # a guest retired at step 1 no longer counts there: h1
    s = _place(_pl_setup(), [(u12 - 50.0, 0, 1.0)], [(100.0, 1.0)], 1, active=[(0, 1)])
    assert s[0] == [0]
    # weights add up per host and carry each guest's scale: 2 × 300 × 2 = 1200 MIPS on h1
    u13 = _usable(1, 3, "typical")
    old = [(300.0, 0, 1.0), (300.0, 0, 1.0)]
    assert _place(_pl_setup(), old, [(u13 - 1200.0 + 10.0, 1.0)], 0, scale=2.0)[0] == [1]
    assert _place(_pl_setup(), old, [(u13 - 1200.0 - 10.0, 1.0)], 0, scale=2.0)[0] == [0]


def test_place_new_memory_with_and_without_growth() -> None:
    # grow_memory off: 512 MiB there (grown × 3 in MIPS only) + 512 new = h1's 1 GiB
    g = GrowthModel(annual_pct=100, grow_memory=False)
    setup = _pl_setup(engines=(1, 1), mem_gib=(1.0, 64.0), growth=g)
    assert _place(setup, [(1.0, 0, 512.0)], [(1.0, 512.0)], 1, factor=3.0)[0] == [0]
    # grow_memory on: the guest there counts 512 × 3 -> h2
    g = GrowthModel(annual_pct=100, grow_memory=True)
    setup = _pl_setup(engines=(1, 1), mem_gib=(1.0, 64.0), growth=g)
    assert _place(setup, [(1.0, 0, 512.0)], [(1.0, 1.0)], 1, factor=3.0)[0] == [1]
    # … and the new guest's own memory grows by its factor (2 at month 12): 512 + 1024 -> h2
    assert _place(setup, [(1.0, 0, 512.0)], [(1.0, 512.0)], 1, factor=1.0)[0] == [1]


def test_place_new_grows_the_new_guest_by_the_model() -> None:
    # linear 100 %/year at month 6: × 1.5 (compound would be × 1.414)
    g = GrowthModel(annual_pct={"low": 50, "typical": 100, "high": 200}, model="linear")
    setup = _pl_setup(growth=g, months=(0, 6))
    u11 = _usable(1, 1, "typical")
    hosts, f = _place(setup, [], [(u11 / 1.5 + 1.0, 1.0)], 1)
    assert hosts == [1]  # 1.5 × its MIPS is just above one engine's usable MIPS
    assert _place(setup, [], [(u11 / 1.5 - 1.0, 1.0)], 1)[0] == [0]
    assert f["typical"].tolist() == [[1.0, 1.5]]
    assert f["low"].tolist() == [[1.0, 1.25]] and f["high"].tolist() == [[1.0, 2.0]]


def test_place_new_several_new_guests_at_once() -> None:
    # the second new guest sees the first one's memory: 512 there + 512 + 512 > 1 GiB
    setup = _pl_setup(engines=(1, 1), mem_gib=(1.0, 64.0))
    assert _place(setup, [(1.0, 0, 512.0)], [(1.0, 512.0), (1.0, 512.0)], 0)[0] == [0, 1]
    # … and counts it among h1's guests (3 with itself): its idle MIPS
    u13 = _usable(1, 3, "typical")
    old = [(0.0, 0, 1.0)]
    assert _place(_pl_setup(), old, [(0.0, 1.0), (u13, 1.0)], 0)[0] == [0, 0]
    assert _place(_pl_setup(), old, [(0.0, 1.0), (u13 + 10.0, 1.0)], 0)[0] == [0, 1]


def test_engines_on_the_cached_curve_at_the_exact_limit() -> None:
    setup = _pl_setup()
    u = _usable(1, 2, "typical")
    # measured.engines_for's rule and tolerance: exactly one engine's usable MIPS is one engine
    assert forecast._engines(setup, SZ, u, 2, "typical") == 1
    assert forecast._engines(setup, SZ, u * (1 + 5e-13), 2, "typical") == 1
    assert forecast._engines(setup, SZ, u * (1 + 1e-9), 2, "typical") == 2
    assert forecast._engines(setup, SZ, 0.0, 2, "typical") == 1
    assert forecast._engines(setup, SZ, 1e12, 2, "typical") == forecast.BEYOND
    assert forecast._usable(setup, SZ, 0, 2, "typical") == u  # at least one engine
    top = _usable(sizing.MAX_SEARCH_ENGINES, 2, "typical")
    assert forecast._usable(setup, SZ, forecast.BEYOND, 2, "typical") == top
    # the bound's idle-guest MIPS: low 10, high 30 per guest
    assert forecast._usable(setup, SZ, 1, 2, "low") == _usable(1, 2, "low")
    assert _usable(1, 2, "low") - _usable(1, 2, "high") == pytest.approx(40.0)


# --------------------------------------------------------------------------- limits, exactly
FLAT = GrowthModel(annual_pct=0, horizon_months=12, step_months=12)


def test_project_memory_rounding_shrinking_and_integer_counts() -> None:
    cap = forecast.project(
        _result(mem1=64.0, mem2=64.0), GrowthModel(annual_pct=20, horizon_months=6, step_months=6)
    )
    f = 1.2**0.5  # 1.0954…: memory to 0.001 GiB
    d = cap.details["typical"]
    assert d.memory_needed_gib[1].tolist() == [
        round(3 * f, 3),
        round(f, 3),
    ]  # (2048 + 4096) × f / 2
    assert d.guests.dtype.kind == "i" and d.engines_needed.dtype.kind == "i"
    # a planned decline shrinks the memory too (−50 %/year: half)
    cap = forecast.project(
        _result(), GrowthModel(annual_pct=-50, horizon_months=12, step_months=12)
    )
    assert cap.details["typical"].memory_needed_gib[1].tolist() == [1.5, 0.5]


def test_project_paging_rule_of_the_scenario_on_real_storage() -> None:
    # sg24-6299: 2 × (virtual + vdisk + real); lpar2's 1 GiB of real storage counts as 1024 MiB
    r = _result(mem1=64.0, mem2=1.0, rules={"paging_rule": "sg24-6299"})
    cap = forecast.project(r, FLAT)
    rules = paging.paging_rules()
    need = (
        paging.paging_space(
            6144.0, 64 * 1024.0, vdisk_mib=100.0, rule="sg24-6299", rules=rules
        ).paging_gib
        + paging.paging_space(
            1024.0, 1024.0, vdisk_mib=50.0, rule="sg24-6299", rules=rules
        ).paging_gib
    )
    assert cap.steps[0].paging_needed_gib == pytest.approx(round(need, 3))
    velocity = paging.paging_space(1024.0, 1024.0, vdisk_mib=50.0, rules=rules).paging_gib
    assert (
        velocity != paging.paging_space(1024.0, 1024.0, vdisk_mib=50.0, rule="sg24-6299").paging_gib
    )


def test_project_paging_and_memory_at_exactly_what_is_installed() -> None:
    p1 = paging.paging_space(6144.0, 64 * 1024.0, vdisk_mib=100.0).paging_gib
    given = {"paging_gib_per_host": 1.0}
    ok = forecast.project(_result(mem1=64.0, mem2=64.0, paging_gib=(p1, 1e6), target=given), FLAT)
    assert ok.exhaustion is None and ok.steps[0].fits
    low = forecast.project(
        _result(mem1=64.0, mem2=64.0, paging_gib=(p1 - 0.5, 1e6), target=given), FLAT
    )
    assert low.exhaustion is not None and low.exhaustion.month == 0
    # within 1e-9 GiB below the need still holds
    under = p1 - 1e-9
    assert under + 1e-9 == p1
    near = forecast.project(
        _result(mem1=64.0, mem2=64.0, paging_gib=(under, 1e6), target=given), FLAT
    )
    assert near.exhaustion is None
    # real storage: lpar1 needs 3 GiB; 1e-9 GiB less installed still holds
    m = 3.0 - 1e-9
    assert m + 1e-9 == 3.0
    assert forecast.project(_result(mem1=m, mem2=64.0), FLAT).exhaustion is None


def test_machine_maximum_at_exactly_the_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    from colonykit import machine_limits

    # a machine of 2 IFLs: the plan's 1 + 1 engines are at its limit, not beyond
    monkeypatch.setattr(machine_limits, "max_ifls", lambda model: (2, "test"))
    g = GrowthModel(annual_pct=0, horizon_months=12, step_months=12, machine_max_memory_gib=4.0)
    cap = forecast.project(_result(mem1=64.0, mem2=64.0), g)
    assert cap.max_ifls == 2 and cap.steps[0].engines_needed == 2
    assert cap.machine_max is None  # 4 GiB needed of at most 4: at the limit
    g = GrowthModel(annual_pct=0, horizon_months=12, step_months=12, machine_max_memory_gib=3.9)
    cap = forecast.project(_result(mem1=64.0, mem2=64.0), g)
    assert cap.machine_max == forecast.Exhaustion(
        0,
        dt.date(2027, 1, 15),
        "4 GiB real storage needed; the machine has at most 3.9 GiB: the next model or a second "
        "machine",
    )


def test_lpar_limit_with_smt() -> None:
    # with SMT-2 one z/VM LPAR has at most 32 cores (constants_limits.csv)
    smt = dataclasses.replace(SZ, options=dataclasses.replace(SZ.options, smt=True))
    g = _beyond_every_machine()
    cap = forecast.project(_result(mem1=1e6, mem2=1e6, sz=smt), g)
    assert "more than the 32 engines one LPAR may have: a new LPAR (new1)" in cap.upgrades[0].reason


def test_events_apply_in_month_order_and_name_the_scenario() -> None:
    # listed out of order: the copy of c (month 6) exists when web doubles (month 12)
    g = GrowthModel(annual_pct=0, horizon_months=12, step_months=6, events=[
        {"name": "web doubles", "month": 12, "scale": 2, "role": "web"},
        {"name": "one more c", "month": 6, "add": 1, "like": "c"},
    ])  # fmt: skip
    cap = forecast.project(_result(mem1=64.0, mem2=64.0, cpus=(4, 1)), g)
    assert [s.events for s in cap.steps] == [(), ("one more c",), ("web doubles",)]
    # the copy goes to lpar1 (4 engines, first fit); at month 12: (500 + 100) × 2 + 800
    assert cap.details["typical"].sized_mips[2].tolist() == pytest.approx([2000.0, 200.0])
    # an unknown name is reported at the scenario file, or "scenario" without one
    bad = GrowthModel(horizon_months=12, step_months=12,
                      events=[{"name": "x", "month": 0, "retire": ["zz"]}])  # fmt: skip
    with pytest.raises(InputError, match=r"at t\.yaml$"):
        forecast.project(_result(), bad)
    r = _result()
    r = dataclasses.replace(r, scenario=r.scenario.model_copy(update={"source": None}))
    with pytest.raises(InputError, match=r"\(got 'zz'\) at scenario$"):
        forecast.project(r, bad)


def test_upgrade_schedule_edges() -> None:
    dates = [dt.date(2027, 1, 1), dt.date(2027, 7, 1), dt.date(2028, 1, 1)]
    # float needs, int memory: the counts read as whole engines, memory as GiB
    ups, e, m = forecast.upgrade_schedule(
        np.array([[3.0]]), np.array([[70]]), [1.0], [16], [0], dates[:1], ["l1"],
        increment_memory_gib=32.25,
    )  # fmt: skip
    assert (
        ups[0].reason
        == "l1 needs 3 engines (1 installed); l1 needs 70.00 GiB real storage (16 GiB installed)"
    )
    assert m.tolist() == [[80.5]] and e.tolist() == [[3]]  # 16 + 2 × 32.25
    ups, _e, m = forecast.upgrade_schedule(
        np.array([[1]]), np.array([[70]]), [1], [16.5], [0], dates[:1], ["l1"],
        increment_memory_gib=64.0,
    )  # fmt: skip
    assert m.tolist() == [[80.5]]
    # an order date on the study's start is not late
    ups, _e, _m = forecast.upgrade_schedule(
        np.array([[2]]), np.zeros((1, 1)), [1], [1.0], [3], [dt.date(2027, 4, 1)], ["l1"],
        start=dt.date(2027, 1, 1),
    )  # fmt: skip
    assert ups[0].order_by == dt.date(2027, 1, 1) and "order now" not in ups[0].reason
    # one engine over the LPAR limit is a new LPAR; a memory-only upgrade stays on the LPAR,
    # also after its overflow went to a new one, and on an LPAR installed above the limit
    ups, _e, _m = forecast.upgrade_schedule(
        np.array([[5, 5], [5, 5]]), np.array([[0.0, 0.0], [100.0, 100.0]]), [4, 5], [1.0, 1.0],
        [0, 6], dates[:2], ["l1", "l2"], lpar_max_engines=4, machine_max_engines=100,
    )  # fmt: skip
    assert [(u.month, u.host, u.add_engines) for u in ups] == [
        (0, "new", 1),
        (6, "l1", 0),
        (6, "l2", 0),
    ]
    # the machine upgrade has its need-by date
    ups, _e, _m = forecast.upgrade_schedule(
        np.array([[3]]), np.zeros((1, 1)), [1], [1.0], [12], [dt.date(2028, 1, 1)], ["l1"],
        machine_max_engines=2,
    )  # fmt: skip
    assert ups[-1].host == "machine" and ups[-1].need_by == dt.date(2028, 1, 1)
    with pytest.raises(ValueError):
        forecast.upgrade_schedule(
            np.zeros((2, 1)), np.zeros((2, 1)), [1], [1.0], [0, 6], dates[:1], ["l1"]
        )


def test_measured_series_in_the_bound_they_were_measured_in() -> None:
    # the series are MIPS at the WLF high bound (the instances' 'bound'): typical is 1 / 1.3 of
    # them, low 0.8 / 1.3
    cap = forecast.project(_measured_result(bound="high"), FLAT)
    s0 = [900.0, 80.0]  # a + b peak at hour 0 (100 + 800), c's 80
    for b in forecast.BANDS:
        got = cap.details[b].sized_mips[0].tolist()
        assert got == pytest.approx([x * WLF[b] / 1.3 for x in s0]), b
    # no bound recorded: the scenario's sizing bound (typical)
    cap = forecast.project(_measured_result(bound=None), FLAT)
    assert cap.details["low"].sized_mips[0].tolist() == pytest.approx([0.8 * 900.0, 0.8 * 80.0])
    # a measured sizing without a placement: the inventory's flat MIPS
    cap = forecast.project(_measured_result(placed=False), FLAT)
    assert cap.details["typical"].sized_mips[0].tolist() == [1300.0, 100.0]
    # one hour of series
    one = pd.DataFrame({"a-01": [100.0], "b-01": [800.0], "c-01": [50.0]},
                       index=pd.date_range("2027-01-01", periods=1, freq="h"))  # fmt: skip
    cap = forecast.project(_measured_result(series=one), FLAT)
    assert cap.details["typical"].sized_mips[0].tolist() == [900.0, 50.0]


def test_measured_bounds_of_a_small_server() -> None:
    # c of 50 MIPS: half a MIPS per percent; its low bound is still 0.8 of typical
    inv = INV.copy()
    inv.loc[2, "capacity"] = 50.0
    cap = forecast.project(_measured_result(sz=_sizing(inv)), FLAT)
    assert cap.details["low"].sized_mips[0, 1] == pytest.approx(0.8 * 80.0)


def test_events_scale_twice_and_linear_growth_within_the_year() -> None:
    g = GrowthModel(annual_pct=0, horizon_months=12, step_months=12, events=[
        {"name": "web doubles", "month": 12, "scale": 2, "role": "web"},
        {"name": "web × 1.5", "month": 12, "scale": 1.5, "role": "web"},
    ])  # fmt: skip
    cap = forecast.project(_result(mem1=64.0, mem2=64.0, cpus=(4, 1)), g)
    assert cap.steps[1].events == ("web doubles", "web × 1.5")
    assert cap.details["typical"].sized_mips[1].tolist() == pytest.approx([500 * 3 + 800.0, 300.0])
    # linear 30 %/year at month 6: × 1.15 (compound: × 1.140)
    lin = GrowthModel(annual_pct=30, model="linear", horizon_months=6, step_months=6)
    cap = forecast.project(_result(mem1=64.0, mem2=64.0), lin)
    assert cap.steps[1].composite_peak_mips.typical == pytest.approx(1.15 * 1400.0)
    bad = GrowthModel(horizon_months=12, step_months=12,
                      events=[{"name": "x", "month": 0, "add": 1, "like": "zz"}])  # fmt: skip
    with pytest.raises(InputError, match=r"at t\.yaml$"):
        forecast.project(_result(), bad)


def test_place_new_tolerances_exactly() -> None:
    # at exactly usable × (1 + 1e-12) and exactly the memory + 1e-6 MiB: still fits on h1
    u11 = _usable(1, 1, "typical")
    assert _place(_pl_setup(), [], [(u11 * (1 + 1e-12), 1.0)], 0)[0] == [0]
    cap = 1.0 * 1024 * 1.0 + 1e-6
    assert 0.0 + 1024.000001 == cap
    setup = _pl_setup(engines=(1, 1), mem_gib=(1.0, 64.0))
    assert _place(setup, [], [(1.0, 1024.000001)], 0)[0] == [0]
    # the second new guest sees the first one's MIPS on h1 (500 there + 100 + its own)
    u13 = _usable(1, 3, "typical")
    old = [(500.0, 0, 1.0)]
    assert _place(_pl_setup(), old, [(100.0, 1.0), (u13 - 600.0 + 10.0, 1.0)], 0)[0] == [0, 1]


def test_place_new_nowhere_with_almost_no_usable_mips() -> None:
    # idle guests of 1713.091 MIPS each: one engine with one guest keeps 0.5 usable MIPS
    sz = dataclasses.replace(SZ, target=SZ.target.assign(idle_guest_mips=3 * 1713.091))
    ua = float(measured.usable_mips(1, sz, 1, UPLIFT, "typical")[0])
    ub = float(measured.usable_mips(3, sz, 2, UPLIFT, "typical")[0])
    assert 0.4 < ua < 0.6 and ub > 100.0
    setup = _pl_setup(engines=(1, 3), mem_gib=(0.0, 0.0))
    # h1 would carry 1 MIPS on 0.5 (2 ×), h2 1.5 × its usable MIPS: the least loaded is h2
    old = [(1.5 * ub - 1.0, 1, 1.0)]
    (h,), _f = _place(setup, old, [(1.0, 1.0)], 0, sz=sz)
    assert h == 1


def test_engines_at_exactly_the_tolerance() -> None:
    setup = _pl_setup()
    u = _usable(1, 2, "typical")
    d = u / (1 - 1e-12)
    for _ in range(4):  # the demand whose (1 − 1e-12) share is exactly one engine's usable MIPS
        if d * (1 - 1e-12) == u:
            break
        d = np.nextafter(d, np.inf if d * (1 - 1e-12) < u else -np.inf)
    assert d * (1 - 1e-12) == u
    assert forecast._engines(setup, SZ, d, 2, "typical") == 1


def test_project_fitted_interval_of_a_tiny_or_zero_colony(monkeypatch: pytest.MonkeyPatch) -> None:
    from colonykit import trend

    class Tiny(_Fit):
        def weekly_peak_at(self, months: np.ndarray) -> dict[str, np.ndarray]:
            # the colony's typical path 10, 0.5, 0 MIPS at months 0, 6, 12
            return {"low": np.array([9.0, 0.25, 0.2]), "typical": np.array([10.0, 0.5, 0.0]),
                    "high": np.array([12.0, 1.0, 0.4])}  # fmt: skip

    monkeypatch.setattr(trend, "fit_history", lambda *a, **k: Tiny(None))
    idx = pd.date_range("2027-01-01", periods=4, freq="h")
    flat = pd.DataFrame({"a-01": [1.0] * 4, "b-01": [2.0] * 4, "c-01": [2.0] * 4}, index=idx)
    cap = forecast.project(
        _measured_result(series=flat),
        GrowthModel(forecast="fitted", horizon_months=12, step_months=6),
    )
    # relative to the typical path where it is > 0 (month 6: 0.25 / 0.5, 1 / 0.5), else to 1
    # (month 12: 0.2, 0.4); lpar1 carries 3 MIPS, × the WLF bound
    assert cap.details["low"].sized_mips[:, 0].tolist() == pytest.approx(
        [2.4, 2.4 * 0.5, 2.4 * 0.2]
    )
    assert cap.details["high"].sized_mips[:, 0].tolist() == pytest.approx(
        [3.9, 3.9 * 2.0, 3.9 * 0.4]
    )
