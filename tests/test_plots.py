"""Figure builders draw exactly the numbers of the result objects (checked by hand where possible)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from colonykit import (
    channels,
    designs,
    memory,
    packing,
    paging,
    plan,
    plots,
    reference,
    sizing,
    staggering,
)
from colonykit.errors import InputError
from colonykit.ingest import read_inventory

SCENARIO = "data/examples/scenario.yaml"


@pytest.fixture(scope="module")
def inv() -> pd.DataFrame:
    return read_inventory("data/examples/xyz_inventory.csv")[0]


@pytest.fixture(scope="module")
def sized(inv: pd.DataFrame) -> sizing.SizingResult:
    return sizing.size_inventory(inv, "z15")


@pytest.fixture(scope="module")
def plan_result() -> plan.ColonyPlanResult:
    return plan.build_plan(SCENARIO)


@pytest.fixture()
def demand() -> pd.DataFrame:
    d = pd.DataFrame({"a": [10.0, 10, 80, 10, 10, 10], "b": [10.0, 10, 80, 10, 10, 10]})
    d.attrs.update(unit="mips", interval_s=3600)
    return d


def test_sizing_range_bars_are_the_result_values(sized: sizing.SizingResult) -> None:
    fig = plots.sizing_range(sized)
    assert [t.name for t in fig.data] == ["low", "typical", "high"]
    assert list(fig.data[0].y) == ["all servers", "file", "dns", "firewall", "web"]
    for t, b in zip(fig.data, ("low", "typical", "high"), strict=True):
        assert t.x[0] == pytest.approx(sized.total[f"mips_{b}"])
        assert list(t.x[1:]) == pytest.approx(sized.servers[f"mips_{b}_total"].tolist())
        assert t.marker.color == plots.BOUND_COLOURS[b]
    # by hand (README of the example): 10 web servers, 2 × 900 MHz, 45 % peak; 4 MHz ≈ 1 MIPS;
    # MIPS at the reference class 'mixed' scaled by mixed/web typical tpm per MIPS
    cls = reference.workload_classes()
    web = (
        10
        * 0.45
        * (2 * 900 / 4)
        * cls.loc["mixed", "tpm_per_mips_typical"]
        / cls.loc["web", "tpm_per_mips_typical"]
    )
    assert fig.data[1].x[4] == pytest.approx(web)
    assert fig.layout.xaxis.title.text == "MIPS needed [MIPS]"
    assert "%{x:,.0f} MIPS" in fig.data[0].hovertemplate


def test_sizing_range_top_keeps_the_total(sized: sizing.SizingResult) -> None:
    fig = plots.sizing_range(sized, top=2)
    assert list(fig.data[1].y) == ["all servers", "web", "file", "others (2 lines)"]
    assert fig.data[1].x[0] == pytest.approx(sized.total["mips_typical"])
    # issue 20 item 3: the bars below the total add up to it (the tail is one "others" bar)
    assert sum(fig.data[1].x[1:]) == pytest.approx(sized.total["mips_typical"])


def test_server_axes_stay_categorical_with_numeric_names(sized: sizing.SizingResult) -> None:
    """Servers named 1 … n turned the axis numeric: the total bar vanished (issue 20 item 3)."""
    from dataclasses import replace as dc_replace

    servers = sized.servers.copy()
    servers["server"] = [str(i + 1) for i in range(len(servers))]
    fig = plots.sizing_range(dc_replace(sized, servers=servers))
    assert fig.layout.yaxis.type == "category"
    assert list(fig.data[0].y)[0] == "all servers"


def test_plan_hosts_names_the_largest_servers_and_groups_the_rest() -> None:
    from colonykit import plan

    res = plan.build_plan("data/examples/bitbrains_colony.yaml")
    fig = plots.plan_hosts(res, top=5)
    guests = [t for t in fig.data if t.name.startswith("guests: ")]
    assert len(guests) == 6 and guests[-1].name == "guests: others (45 servers)"
    total = sum(g.memory_mib for _h, g in res.plan.guests()) / 1024
    assert sum(sum(t.y) for t in guests) == pytest.approx(total)  # nothing lost in "others"
    assert fig.layout.xaxis.type == "category"
    pk = plots.plan_figures(res, ["packing"])["packing"]
    assert [a.text for a in pk.layout.annotations] == [h.id for h in res.plan.hosts]


def test_sizing_engines(sized: sizing.SizingResult) -> None:
    fig = plots.sizing_engines(sized)
    assert (
        list(fig.data[0].y) == [sized.engines[b] for b in ("low", "typical", "high")] == [2, 2, 4]
    )
    assert fig.data[0].customdata[2][0] == pytest.approx(sized.target.loc["high", "required_mips"])
    assert fig.layout.yaxis.title.text == "engines [IFL]"
    assert "90 % target" in fig.layout.title.text


def test_white_space_by_hand() -> None:
    from colonykit import whitespace

    d = pd.DataFrame({"a": [10.0, 50, 10], "b": [40.0, 10, 10]})
    d.attrs.update(unit="mips", interval_s=60)
    res = whitespace.analyze(d, headroom_pct=0)
    fig = plots.white_space(res)
    sop, comp, peak, need = fig.data
    assert sop.y.tolist() == [90.0] * 3  # 40 + 50
    assert comp.y.tolist() == [50.0, 60.0, 20.0]
    assert comp.fill == "tonexty"  # white space shaded up to the sum of peaks
    assert peak.y.tolist() == [60.0] * 3
    assert need.y.tolist() == [res.capacity_needed] * 3
    assert "33.3 %" in fig.layout.title.text  # (90 - 60) / 90
    assert fig.layout.yaxis.title.text == "demand [MIPS]"


def test_staggering_before_after(demand: pd.DataFrame) -> None:
    w = [
        staggering.MovableWindow(
            server="b", earliest=0, latest=5, duration=1, start=2, baseline=10.0
        )
    ]
    res = staggering.stagger(demand, w)
    fig = plots.staggering(res)
    assert fig.data[0].y.tolist() == res.composite_before.tolist()
    assert fig.data[1].y.tolist() == res.composite_after.tolist()
    assert max(fig.data[0].y) == 160.0 and res.peak_after == 90.0
    assert fig.data[3].y.tolist() == [90.0] * 6
    assert "160.0 → 90.0 mips" in fig.layout.title.text


def test_packing_hosts_stacks_servers_against_capacity(demand: pd.DataFrame) -> None:
    res = packing.pack(demand, host_capacity=100)
    fig = plots.packing_hosts(res, demand)
    stacked = [t for t in fig.data if t.stackgroup]
    assert sorted(t.name for t in stacked) == ["a", "b"]
    assert {t.stackgroup for t in stacked} == {f"h{h}" for h in res.host_series.columns}
    caps = [t for t in fig.data if t.name == "usable capacity"]
    assert len(caps) == res.hosts_used == 2
    assert caps[0].y.tolist() == [res.capacity] * 6
    totals = plots.packing_hosts(res)
    assert totals.data[0].y.tolist() == res.host_series.iloc[:, 0].tolist()


def test_memory_breakdown() -> None:
    r = memory.lpar_memory([memory.GuestMemory("web", 512, count=2)], 2048, cp_mib=64, mdc_mib=128)
    fig = plots.memory_breakdown(r)
    by = {t.name: t.y[0] for t in fig.data}
    assert by["Σ guest virtual"] == 1024.0  # 2 × 512
    assert by["real storage"] == 2048.0
    assert by["CP"] == 64.0 and by["minidisk cache"] == 128.0
    assert by["guests: web"] == pytest.approx(r.guests["resident_total_mib"].iloc[0])
    assert by["guests: web"] == pytest.approx(r.resident_total_mib - 64 - 128 - r.shared_mib)
    assert fig.layout.barmode == "stack"


def test_paging_rules_marks_the_chosen_rule() -> None:
    f = paging.compare_rules([512] * 10, 2048)
    fig = plots.paging_rules(f, "sg24-6299")
    assert list(fig.data[0].y) == f["paging_gib"].tolist()
    colours = dict(zip(fig.data[0].x, fig.data[0].marker.color, strict=True))
    assert colours["sg24-6299"] == plots.OKABE_ITO["vermillion"]
    assert colours["velocity"] == plots.OKABE_ITO["blue"]


def test_plan_hosts_from_the_plan(plan_result: plan.ColonyPlanResult) -> None:
    fig = plots.plan_hosts(plan_result)
    guests = [t for t in fig.data if t.name.startswith("guests:")]
    # by hand from the inventory: 10 × 1 GiB + 4 × 0.25 + 2 × 1 + 10 × 2 = 33 GiB of guest virtual
    assert sum(sum(t.y) for t in guests) == pytest.approx(33.0)
    assert sum(len(t.y) for t in guests) == 26
    real = next(t for t in fig.data if t.name == "real storage")
    pag = next(t for t in fig.data if t.name == "paging space")
    assert {t.marker.color for t in guests}.isdisjoint({real.marker.color, pag.marker.color})
    assert list(real.y) == [24.0]
    assert list(pag.y) == [plan_result.plan.hosts[0].capacity.paging_gib]


def test_channel_curve_marks_the_load() -> None:
    load = channels.channel_load(54, 14, paths=2)
    fig = plots.channel_curve(channels.response_curve(14.0, paths=[1, 2]), load)
    marker = fig.data[-1]
    # seed 003 §8.10.3: 54 I/O/s × 14 ms = 75.6 % busy, 37.8 % on each of 2 paths
    assert marker.x[0] == pytest.approx(37.8)
    assert marker.y[0] == pytest.approx(load.response_ms)
    assert fig.layout.xaxis.title.text == "busy per path [%]"
    with pytest.raises(InputError, match="response_curve"):
        plots.channel_curve(pd.DataFrame({"x": [1]}))


def test_design_comparison_outlines_the_chosen_design() -> None:
    f = designs.compare(26)
    fig = plots.design_comparison(f, "zvm-ro-root")
    assert list(fig.data[0].y) == pytest.approx(f["total_gib"].tolist())
    assert list(fig.data[1].y) == pytest.approx(f["shared_gib"].tolist())
    widths = dict(zip(fig.data[0].x, fig.data[0].marker.line.width, strict=True))
    assert widths["zvm-ro-root"] == 3 and widths["dedicated"] == 0


def test_plan_figures_labels_and_palette(plan_result: plan.ColonyPlanResult) -> None:
    figs = plots.plan_figures(plan_result)
    assert {"design_comparison", "plan_hosts", "sizing_engines", "sizing_range"} <= set(figs)
    assert ("white_space" in figs) == (plan_result.whitespace is not None)
    for name, fig in figs.items():
        assert "[" in fig.layout.yaxis.title.text or "[" in fig.layout.xaxis.title.text, name
        assert list(fig.layout.colorway) == plots.PALETTE
        assert all(t.hovertemplate for t in fig.data), name
    assert set(plots.PALETTE) <= set(plots.OKABE_ITO.values())
    assert np.all([c.startswith("#") for c in plots.PALETTE])


# ------------------------------------------------------------------ figures the notebooks draw
def test_sizing_generations_engines_per_target(inv: pd.DataFrame) -> None:
    res = {t: sizing.size_inventory(inv, t) for t in ("z990", "z16")}
    fig = plots.sizing_generations(res)
    assert [t.name for t in fig.data] == ["low", "typical", "high"]
    for t, b in zip(fig.data, ("low", "typical", "high"), strict=True):
        assert list(t.x) == ["z990", "z16"]
        assert list(t.y) == [res[g].engines[b] for g in ("z990", "z16")]
        assert t.customdata[1][0] == pytest.approx(res["z16"].target.loc[b, "required_mips"])
    # the same MIPS needs fewer of the faster z16 engines
    assert fig.data[1].y[1] <= fig.data[1].y[0]
    assert fig.layout.yaxis.title.text == "engines [IFL]" and "90 % target" in fig.layout.title.text
    with pytest.raises(InputError, match="at least one"):
        plots.sizing_generations({})


def test_memory_layouts_by_hand() -> None:
    res = {
        "small": memory.lpar_memory(
            [memory.GuestMemory("s", 512, count=4, working_set_mib=300)], 4096
        ),
        "large": memory.lpar_memory([memory.GuestMemory("l", 1024, count=4)], 4096),
    }
    fig = plots.memory_layouts(res)
    virtual, resident = fig.data
    assert list(virtual.x) == ["small", "large"]
    assert list(virtual.y) == [4 * 512.0, 4 * 1024.0]
    assert list(resident.y) == [res["small"].resident_total_mib, res["large"].resident_total_mib]
    assert virtual.customdata[1][0] == pytest.approx(4 * 1024 / 4096)  # overcommit 1:1
    assert fig.layout.shapes[0].y0 == 4096.0  # real storage line
    with pytest.raises(InputError):
        plots.memory_layouts({})


def test_memory_growth_draws_memory_over() -> None:
    f = memory.memory_over(
        memory.GuestMemory("g", 1024, working_set_mib=400), [0, 15, 30], 10 * 1024
    )
    fig = plots.memory_growth(f)
    virtual, resident, real = fig.data
    assert virtual.y.tolist() == [0.0, 15 * 1024.0, 30 * 1024.0]
    assert resident.y.tolist() == f["resident_total_mib"].tolist()
    assert real.y.tolist() == [10 * 1024.0] * 3
    assert virtual.x.tolist() == [0.0, 15.0, 30.0]
    with pytest.raises(InputError, match="memory_over"):
        plots.memory_growth(pd.DataFrame({"guests": [1]}))


def test_paging_growth_one_line_per_rule() -> None:
    f = paging.compare_rules_over([10, 20], 512, 2048)
    fig = plots.paging_growth(f)
    assert sorted(t.name for t in fig.data) == sorted(f["rule"].unique())
    sg = next(t for t in fig.data if t.name == "sg24-6299")
    assert sg.y.tolist() == [
        14.0,
        24.0,
    ]  # 2 × (Σ virtual + real): 2 × (5 + 2) GiB, 2 × (10 + 2) GiB
    vol = plots.paging_growth(f, "volumes")
    assert next(t for t in vol.data if t.name == "sg24-6299").line.shape == "hv"
    assert vol.layout.yaxis.title.text == "paging volumes [count]"
    with pytest.raises(InputError, match="'y' must be"):
        plots.paging_growth(f, "pages_total")


def test_chained_io_bars_and_labels() -> None:
    f = channels.chained_io_effect(54, [1, 16, 130], max_busy_pct=50)
    fig = plots.chained_io(f, 50)
    assert list(fig.data[0].x) == ["1", "16", "130"]
    assert list(fig.data[0].y) == pytest.approx(f["busy_pct"].tolist())
    assert list(fig.data[0].text) == [f"{n} path(s)" for n in f["paths_needed"]]
    assert fig.layout.shapes[0].y0 == 50.0
    with pytest.raises(InputError, match="chained_io_effect"):
        plots.chained_io(pd.DataFrame({"blocks_per_io": [1]}))


def test_mdc_figures() -> None:
    from colonykit import mdc

    trade = {c: mdc.mdc_tradeoff(400, 100, 512, 8192, 7600, caching=c) for c in ("record", "track")}
    fig = plots.mdc_tradeoff(trade)
    assert [t.name for t in fig.data] == ["record", "track"]
    assert fig.data[1].x.tolist() == trade["track"]["guest_shortfall_mib"].tolist()
    assert fig.data[0].customdata[-1][1] == pytest.approx(trade["record"]["hit_frac"].iloc[-1])

    r = pd.Series([0.0, 50.0, 100.0])
    cpu = plots.mdc_cpu_factor(
        {
            "90% hits": pd.DataFrame(
                {"read_pct": r, "cp_cpu_factor": mdc.cp_cpu_factor(r, 100 - r, 0.9)}
            )
        }
    )
    assert cpu.data[0].x.tolist() == [0.0, 50.0, 100.0]
    assert cpu.data[0].y.tolist() == pytest.approx(list(mdc.cp_cpu_factor(r, 100 - r, 0.9)))
    with pytest.raises(InputError, match="nothing to draw"):
        plots.mdc_cpu_factor({})

    cal = mdc.calibrate_table_8_2()
    sc = plots.mdc_calibration(cal)
    points = sc.data[:-1]
    assert sorted(t.name for t in points) == sorted(cal["driver"].unique())
    assert sum(len(t.x) for t in points) == len(cal)
    diag = sc.data[-1]
    assert list(diag.x) == list(diag.y)  # the line predicted = measured
    symbols = [s for t in points for s in t.marker.symbol]
    assert symbols.count("square") == int(cal["fitted"].sum())
