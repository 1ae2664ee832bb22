"""Issue 23 item 1: memory-use series, working sets, right-sizing and LPAR real storage.

Every expected value is recomputed here with numpy/pandas straight from the bundled files
(not through colonykit's readers), or by hand from a line of a monitor file.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from colonykit import measured_memory as mm
from colonykit import plan, reference
from colonykit.errors import InputError
from colonykit.ingest import read_inventory, read_traces
from colonykit.ingest.join import join_traces

BB = "data/traces/bitbrains_rnd_50vm_7d.csv.gz"
INV = "data/examples/bitbrains_50vm_inventory.csv"
MIB_PER_GIB = 1024


@pytest.fixture(scope="module")
def raw() -> pd.DataFrame:
    """The Bitbrains week as a plain step × vm table of mem_mb (pandas only)."""
    return pd.read_csv(BB).pivot(index="step", columns="vm", values="mem_mb").astype(float)


@pytest.fixture(scope="module")
def bb_plan():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return plan.build_plan("data/examples/bitbrains_colony.yaml", stagger_traces=False)


def test_reader_memory_series_equal_the_file(raw) -> None:
    frame, _meta = read_traces(BB, metric="memory")
    assert frame.attrs["unit"] == "mem_mib"
    got = frame.to_numpy()
    want = raw[[int(c) for c in frame.columns]].to_numpy()
    np.testing.assert_array_equal(got, want)
    assert frame.max().sum() / MIB_PER_GIB == pytest.approx(raw.max().sum() / MIB_PER_GIB)
    assert raw.max().sum() / MIB_PER_GIB == pytest.approx(303.18, abs=0.01)  # the 303 GiB


def test_working_sets_and_right_sizing_by_hand(raw) -> None:
    inv, _ = read_inventory(INV)
    res = mm.measured_memory(inv, join_traces(inv, BB, metric="memory"))
    inst = res.instances.set_index("server")
    peak = raw.max()  # per VM, MiB
    prov = inv.set_index("server")["memory_mib"].astype(float)
    peak.index = peak.index.astype(str)
    np.testing.assert_allclose(inst["working_set_mib"], peak.reindex(inst.index))  # margin 0
    suggested = np.maximum(np.ceil(peak), 64.0)
    over = prov.reindex(peak.index) > 2.0 * suggested
    assert inst["over_provisioned"].reindex(peak.index).tolist() == over.tolist()
    assert int(over.sum()) == 33
    # the guest: 511.5 GiB provisioned, never more than 6.1 GiB used
    big = inst.loc[inst["provisioned_mib"].idxmax()]
    assert big["provisioned_mib"] / MIB_PER_GIB == pytest.approx(511.5, abs=0.05)
    assert big["peak_mib"] / MIB_PER_GIB == pytest.approx(6.14, abs=0.01)
    assert bool(big["over_provisioned"]) and big["suggested_mib"] == math.ceil(big["peak_mib"])


def test_p95_statistic_and_margin(raw) -> None:
    inv, _ = read_inventory(INV)
    j = join_traces(inv, BB, metric="memory")
    res = mm.measured_memory(inv, j, statistic="p95", margin_pct=10)
    q = reference.constant("measured_statistic_pct")
    want = np.percentile(raw.to_numpy(), q, axis=0, method="higher") * 1.1
    got = res.instances.set_index("server")["working_set_mib"]
    np.testing.assert_allclose(got.reindex([str(c) for c in raw.columns]), want)


def test_plan_real_storage_and_paging_from_measured_use_by_hand(bb_plan, raw) -> None:
    p = bb_plan.plan
    assert len(p.hosts) == 1
    host = p.hosts[0]
    # the composite: peak over time of the summed series (no margin), + z/VM's 2 GiB
    composite = raw.sum(axis=1).max()
    virt = sum(g.memory_mib for g in host.guests)
    for_use = composite + 2048
    for_oc = virt / 1.5 + 2048
    want_gib = math.ceil(max(for_use, for_oc) / MIB_PER_GIB)
    assert host.capacity.memory_gib == want_gib
    ev = p.evidence.memory_measured
    assert ev.evaluated and ev.values["lpar1.composite_working_set_mib"] == pytest.approx(composite)
    assert composite < raw.max().sum()  # non-coincidence of memory peaks
    # right-sized virtual: min(provisioned, max(ceil(peak), 64)) where provisioned > 2 x that
    inv, _ = read_inventory(INV)
    prov = inv.set_index("server")["memory_mib"].astype(float)
    peak = raw.max()
    peak.index = peak.index.astype(str)
    sugg = np.maximum(np.ceil(peak), 64.0)
    planned = np.where(prov.reindex(peak.index) > 2 * sugg, sugg, prov.reindex(peak.index))
    assert virt == pytest.approx(planned.sum())
    # paging by the chosen rule (velocity): 2 x (virtual + VDISK), never above 75 % allocated
    vdisk = sum(s.size_mib or 0 for g in host.guests for s in g.storage if s.kind == "vdisk")
    assert host.capacity.paging_gib == math.ceil(2 * (virt + vdisk) / MIB_PER_GIB)
    codes = {f.code for f in p.findings}
    assert "CK037" in codes and "CK003" not in codes
    big = max(host.guests, key=lambda g: g.memory_provisioned_mib or 0)
    assert big.memory_provisioned_mib / MIB_PER_GIB == pytest.approx(511.5, abs=0.05)
    assert big.memory_mib == math.ceil(peak[big.source_server])
    assert big.max_memory_mib >= big.memory_provisioned_mib


def test_right_size_off_keeps_provisioned_sizes_and_still_reports() -> None:
    scen = plan.load_scenario("data/examples/bitbrains_colony.yaml")
    data = scen.model_dump()
    data["guests"]["right_size_memory"] = False
    s = plan.parse_scenario(data, "bitbrains_colony.yaml", "data/examples")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        p = plan.build_plan(s, stagger_traces=False).plan
    inv, _ = read_inventory(INV)
    assert sum(g.memory_mib for _h, g in p.guests()) == inv["memory_mib"].sum()
    msg = next(f.message for f in p.findings if f.code == "CK037")
    assert "NOT right-sized" in msg


def test_without_memory_series_todays_behaviour_is_stated(tmp_path) -> None:
    scen = plan.load_scenario("data/examples/bitbrains_colony.yaml")
    data = scen.model_dump()
    data["traces"]["memory"] = False
    s = plan.parse_scenario(data, "bitbrains_colony.yaml", "data/examples")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        p = plan.build_plan(s, stagger_traces=False).plan
    ev = p.evidence.memory_measured
    assert not ev.evaluated and ev.applicable and "provisioned memory" in ev.note
    assert "CK037" not in {f.code for f in p.findings}
    assert any(f.code == "CK012" and "memory_measured" in f.message for f in p.findings)
    inv, _ = read_inventory(INV)
    assert sum(g.memory_mib for _h, g in p.guests()) == inv["memory_mib"].sum()


def test_memory_required_but_absent_is_an_input_error(tmp_path) -> None:
    inv = tmp_path / "inv.csv"
    inv.write_text(
        "server,role,capacity,capacity_unit,util_avg_pct,util_peak_pct,workload_class,memory_mib,disk_gib\n"
        "a,web,1000,mips,10,50,mixed,1024,10\n"
    )
    tr = tmp_path / "t.csv"
    tr.write_text("server,step,cpu_pct\na,0,10\na,1,20\n")
    from colonykit.plan.memory_plan import measure_memory

    base = {
        "name": "x",
        "inventory": str(inv),
        "traces": {"path": str(tr), "min_overlap_h": 0.1},
        "design": {"name": "zvm-basevol-guestvol"},
    }
    s = plan.parse_scenario(base, "s.yaml", str(tmp_path))
    got, why = measure_memory(s, read_inventory(inv)[0])
    assert got is None and "no memory-use series" in why
    base["traces"]["memory"] = True
    s = plan.parse_scenario(base, "s.yaml", str(tmp_path))
    with pytest.raises(InputError, match="traces.memory is true"):
        measure_memory(s, read_inventory(inv)[0])


def test_mem_pct_uses_the_server_memory_as_capacity(tmp_path) -> None:
    inv = tmp_path / "inv.csv"
    inv.write_text(
        "server,role,capacity,capacity_unit,util_avg_pct,util_peak_pct,workload_class,memory_mib,disk_gib\n"
        "a,web,1000,mips,10,50,mixed,2048,10\nb,web,1000,mips,10,50,mixed,1024,10\n"
    )
    tr = tmp_path / "t.csv"
    tr.write_text("server,step,cpu_pct,mem_pct\na,0,10,25\na,1,20,50\nb,0,5,100\nb,1,5,10\n")
    i, _ = read_inventory(inv)
    res = mm.measured_memory(i, join_traces(i, tr, metric="memory", min_overlap_h=0.1))
    assert res.instances["peak_mib"].tolist() == [1024.0, 1024.0]  # 50 % of 2048, 100 % of 1024
    assert res.working_set_series.sum(axis=1).tolist() == [512.0 + 1024.0, 1024.0 + 102.4]


def test_monitor_memory_rules_by_hand() -> None:
    # sar -A (RHEL 5, no kbavail): kbmemused - kbbuffers - kbcached of the 17:01:09 row
    f, m = read_traces("data/monitor_samples/sar-A_rhel5_4cpu_2011-03-24.txt", metric="memory")
    assert f.iloc[0, 0] * 1024 == pytest.approx(52900284 - 173652 - 49413124)
    # sadf -d with kbavail (sysstat 12): kbmemused = 146640 KiB in the first row
    f, m = read_traces("data/monitor_samples/sadf-d_profrouter_2020-05-02.csv", metric="memory")
    assert f.iloc[0, 0] * 1024 == pytest.approx(146640)
    # nmon Linux MEM T0001: memtotal - memfree - cached - buffers
    f, m = read_traces("data/monitor_samples/nmon_centos66_oms_63_2015-11-10.nmon", metric="memory")
    assert f.iloc[0, 0] == pytest.approx(7868.7 - 2813.1 - 187.6 - 29.2)
    assert f.attrs["unit"] == "mem_mib"


def test_unknown_metric_and_unit_are_refused() -> None:
    with pytest.raises(KeyError, match="metric"):
        read_traces(BB, metric="disk")
    with pytest.raises(KeyError, match="unit"):
        read_traces(BB, metric="memory", unit="cpu_pct")


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.lists(st.floats(0, 1e5, allow_nan=False), min_size=3, max_size=3),
        min_size=1,
        max_size=20,
    ),
    st.floats(1.0, 4.0),
)
def test_lpar_real_storage_invariants(rows, ratio) -> None:
    series = np.array(rows)
    virt = series.max(axis=0) * 2 + 64
    r = mm.lpar_real_storage(series, virt, ratio)
    # composite <= sum of the guests' own peaks; real storage holds both rules, whole GiB
    assert r.composite_working_set_mib <= r.sum_working_sets_mib + 1e-6
    assert (
        r.real_mib >= r.real_for_use_mib - 1e-6 and r.real_mib >= r.real_for_overcommit_mib - 1e-6
    )
    assert r.real_mib % MIB_PER_GIB == 0
    assert r.real_for_overcommit_mib == pytest.approx(virt.sum() / ratio + 2048)


def test_bad_parameters() -> None:
    with pytest.raises(InputError, match="margin_pct"):
        mm.working_set_mib(np.ones((2, 1)), "peak", -1)
    with pytest.raises(InputError, match="memory_right_size_ratio"):
        mm.over_provisioned(np.ones(1), np.ones(1), 0.5)
    f = pd.DataFrame({"a": [1.0]})
    f.attrs["unit"] = "cpu_pct"
    with pytest.raises(InputError, match="mem_mib or mem_pct"):
        mm.used_mib_matrix(f, pd.DataFrame({"series": ["a"]}), np.ones(1))


def test_wide_csv_and_long_parquet_memory(tmp_path) -> None:
    wide = tmp_path / "wide.csv"
    wide.write_text("step,a,b\n0,100,200\n1,300,50\n")
    f, _ = read_traces(wide, metric="memory")
    assert f.attrs["unit"] == "mem_mib" and f.max().tolist() == [300.0, 200.0]
    pytest.importorskip("pyarrow")
    long = pd.DataFrame(
        {"vm": ["a", "a", "b", "b"], "step": [0, 1, 0, 1], "cpu_pct": [1.0, 2, 3, 4]}
    )
    long["Memory usage [KB]"] = [1024.0, 2048, 4096, 1024]  # raw Bitbrains spelling, KiB
    p = tmp_path / "long.parquet"
    long.to_parquet(p)
    f, _ = read_traces(p, metric="memory")
    assert f.attrs["unit"] == "mem_mib" and f.max().tolist() == [2.0, 4.0]
    cpu, _ = read_traces(p)  # the CPU default is unchanged
    assert cpu.attrs["unit"] == "cpu_pct"


def test_bad_memory_values_name_the_line(tmp_path) -> None:
    p = tmp_path / "t.csv"
    p.write_text("server,step,cpu_pct,mem_mb\na,0,1,100\na,1,1,-5\n")
    with pytest.raises(
        InputError, match=r"'mem_mb' must be a number >= 0 \(got -5(\.0)?\) at .*line 3"
    ):
        read_traces(p, metric="memory")
    p.write_text("server,step,cpu_pct,mem_pct\na,0,1,100\na,1,1,140\n")
    with pytest.raises(InputError, match=r"'mem_pct' must be a number in 0..100 \(got 140(\.0)?\)"):
        read_traces(p, metric="memory")
