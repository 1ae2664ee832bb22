"""The measured colony (issue 9): join, alignment, composite MIPS, engines and placement."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from colonykit import measured, plan, sizing
from colonykit.cli import main
from colonykit.errors import ColonykitWarning, InputError
from colonykit.ingest import read_inventory
from colonykit.ingest.join import align_traces, join_traces, read_mapping

ROOT = Path(__file__).resolve().parents[1]
BB_INV = ROOT / "data" / "examples" / "bitbrains_50vm_inventory.csv"
BB_TRACE = ROOT / "data" / "traces" / "bitbrains_rnd_50vm_7d.csv.gz"
BB_VMS = ROOT / "data" / "traces" / "bitbrains_rnd_50vm_7d_vms.csv"
BB_SCEN = ROOT / "data" / "examples" / "bitbrains_colony.yaml"
MONITORS = ROOT / "data" / "monitor_samples"
SHARED = ROOT.parent / "shared" / "data"

INV_HEADER = (
    "server,role,capacity,capacity_unit,cores,util_avg_pct,util_peak_pct,workload_class,"
    "memory_mib,disk_gib,count\n"
)


@pytest.fixture(scope="module")
def bb():
    inv, _ = read_inventory(BB_INV)
    res = sizing.size_inventory(inv, "z15")
    join = join_traces(inv, BB_TRACE)
    return inv, res, join, measured.measured_sizing(inv, res, join)


def test_bundled_files_exist() -> None:
    for p in (BB_INV, BB_TRACE, BB_VMS, BB_SCEN):
        assert p.is_file(), f"bundled file missing: {p}"


def test_composite_against_numpy_by_hand(bb) -> None:
    """Sum of peaks and composite peak recomputed from the raw CSV with numpy (second method)."""
    inv, res, _join, m = bb
    raw = pd.read_csv(BB_TRACE)
    vms = pd.read_csv(BB_VMS).set_index("vm")
    wide = raw.pivot(index="step", columns="vm", values="cpu_mhz").to_numpy(
        float
    )  # steps × vm (1..50)
    cap_mhz = vms.loc[sorted(raw["vm"].unique()), "cpu_capacity_mhz"].to_numpy(float)
    # MIPS per % at the typical bound, by hand: capacity MHz × Barton 0.25 MIPS/MHz × (77 tpm/MIPS of
    # the reference class 'mixed' ÷ 77 of class 'mixed') ÷ 100
    mips = wide / cap_mhz * 100.0 * (cap_mhz * 0.25 / 100.0)
    assert m.sum_of_peaks_mips["typical"] == pytest.approx(mips.max(axis=0).sum(), rel=1e-9)
    assert m.composite_peak_mips["typical"] == pytest.approx(mips.sum(axis=1).max(), rel=1e-9)
    assert m.composite_mean_mips["typical"] == pytest.approx(mips.sum(axis=1).mean(), rel=1e-9)
    assert m.non_coincidence_saving_pct == pytest.approx(
        100 * (1 - mips.sum(axis=1).max() / mips.max(axis=0).sum())
    )


def test_engines_by_composite_at_most_by_peaks(bb) -> None:
    _inv, _res, _join, m = bb
    for b in sizing.BOUNDS:
        assert m.engines_composite[b] <= m.engines_peak[b]
        assert m.composite_peak_mips[b] <= m.sum_of_peaks_mips[b] + 1e-9
    assert (
        m.engines_composite["low"] <= m.engines_composite["typical"] <= m.engines_composite["high"]
    )


def test_engines_rule_by_hand(bb) -> None:
    """engines_for = smallest n whose usable MIPS hold the demand; n-1 does not."""
    _inv, res, _join, m = bb
    n = m.engines_composite["typical"]
    need = m.composite_peak_mips["typical"]
    usable = measured.usable_mips(np.array([n - 1, n]), res, 50, m.uplift_frac)
    assert usable[0] < need <= usable[1]
    proc, opts = res.processor, res.options
    cap = sizing.engine_capacity_mips(n, proc.engine_mips_1way)
    by_hand = (
        cap * opts.target_util_pct / 100 * (1 - opts.cp_overhead_pct / 100)
        - float(res.target.loc["typical", "idle_guest_mips"])
    ) * (1 + m.uplift_frac * float(sizing.nway_uplift_frac(n, 1.0)))
    assert usable[1] == pytest.approx(by_hand)


def test_plan_places_measured_colony() -> None:
    r = plan.build_plan(BB_SCEN)
    p = r.plan
    assert p.evidence.sizing.values["sizing_basis"] == "composite"
    assert sum(len(h.guests) for h in p.hosts) == 50
    demand = r.demand
    by_name = {g.name: g for _h, g in p.guests()}
    for h in p.hosts:
        cols = [f"{g.source_server}" for g in h.guests]
        per_step = demand[cols].sum(axis=1).to_numpy()
        assert per_step.max() <= h.capacity.mips_usable * (1 + 1e-9)
        assert h.capacity.composite_peak_mips == pytest.approx(per_step.max())
    assert all(g.peak_mips is not None and g.source_server for g in by_name.values())
    assert not r.has_errors
    assert isinstance(demand.index, pd.DatetimeIndex)  # real time axis (traces.start)


def test_plan_json_contract(tmp_path, capsys) -> None:
    code = main(["plan", str(BB_SCEN), "--out", str(tmp_path / "out"), "--format", "json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    hosts = out["plan"]["hosts"]
    assert all(h["capacity"]["mips_usable"] > 0 for h in hosts)
    assert sum(len(h["guests"]) for h in hosts) == 50
    for h in hosts:
        assert h["capacity"]["composite_peak_mips"] <= h["capacity"]["mips_usable"] * (1 + 1e-9)


def test_size_cli_composite_contract(capsys) -> None:
    code = main(
        ["size", str(BB_INV), "--traces", str(BB_TRACE), "--target", "z15", "--format", "json"]
    )
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    c = out["composite"]
    for key in (
        "servers_matched",
        "servers_unmatched",
        "sum_of_peaks_mips",
        "composite_peak_mips",
        "engines_peak",
        "engines_composite",
    ):
        assert key in c
    assert c["servers_matched"] == 50 and c["servers_unmatched"] == 0
    assert c["engines_composite"] <= c["engines_peak"]


def _nmon_inventory(tmp_path: Path, extra: str = "") -> Path:
    p = tmp_path / "inv.csv"
    rows = "".join(
        f"{s},{s},2000,mhz_per_core,2,10,50,mixed,4096,20,1\n"
        for s in ("aixlpar", "oms_63", "linux", "the-gibson")
    )
    p.write_text(INV_HEADER + rows + extra)
    return p


def test_nmon_host_names_resolve_and_dates_refused(tmp_path) -> None:
    inv, _ = read_inventory(_nmon_inventory(tmp_path))
    with pytest.raises(
        InputError, match=r"overlap .* less than the 24 h minimum.*aixlpar: 2016-02-10"
    ):
        join_traces(inv, MONITORS)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ColonykitWarning)
        j = join_traces(inv, MONITORS, align="time-of-week")
    assert sorted(j.servers_matched) == ["aixlpar", "linux", "oms_63", "the-gibson"]
    assert set(j.assignment["how"]) == {"name"}


def test_mapping_file_and_file_stems(tmp_path) -> None:
    inv_path = tmp_path / "inv.csv"
    inv_path.write_text(
        INV_HEADER + "web,web,2000,mhz_per_core,2,10,50,web,4096,20,1\n"
        "db,db,2000,mhz_per_core,2,10,50,database,4096,20,1\n"
        "lonely,x,2000,mhz_per_core,2,10,60,mixed,4096,20,1\n"
    )
    inv, _ = read_inventory(inv_path)
    mapping = tmp_path / "map.csv"
    mapping.write_text("server,trace\nweb,the-gibson\ndb,nmon_fedora21_linux_2015-08-18\n")
    assert read_mapping(mapping) == {"web": "the-gibson", "db": "nmon_fedora21_linux_2015-08-18"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ColonykitWarning)
        j = join_traces(inv, MONITORS, mapping=mapping, align="time-of-day")
    got = dict(zip(j.assignment["server"], j.assignment["series"], strict=True))
    assert got["web"] == "the-gibson" and got["db"] == "linux"  # by host name and by file stem
    assert j.servers_unmatched == ["lonely"]
    assert {"aixlpar", "oms_63"} <= set(j.unused_traces)
    res = sizing.size_inventory(inv, "z15")
    m = measured.measured_sizing(inv, res, j)
    flat = m.guest_mips["lonely"].to_numpy()
    assert np.all(flat == flat[0]) and flat[0] == pytest.approx(
        60 * measured.mips_per_pct(res).loc["lonely", "typical"]
    )


def test_time_of_week_fold_by_hand() -> None:
    """Two weeks of hourly samples folded onto one week: slot max and slot mean by hand."""
    idx = pd.date_range(
        "2024-01-01", periods=24 * 14, freq="1h", tz="UTC"
    )  # 2024-01-01 is a Monday
    a = np.arange(len(idx), dtype=float)
    frame = pd.DataFrame({"a": a}, index=idx)
    frame.attrs = {"unit": "cpu_pct", "interval_s": 3600.0}
    mx, _s, _o, _n = align_traces(frame, align="time-of-week", statistic="max")
    mean, _s, _o, _n = align_traces(frame, align="time-of-week", statistic="mean")
    assert len(mx) == 168
    # slot k holds samples k and k+168
    assert mx["a"].to_numpy().tolist() == (np.arange(168) + 168).tolist()
    assert mean["a"].to_numpy().tolist() == (np.arange(168) + 84.0).tolist()
    assert mx.index[0] == pd.Timestamp("2001-01-01T00:00Z") and mx.index[0].day_of_week == 0


def test_instances_per_series_and_shared(tmp_path) -> None:
    traces = tmp_path / "t.csv"
    traces.write_text(
        "server,step,cpu_pct\n"
        + "".join(
            f"{s},{t},{v}\n"
            for t in range(300)
            for s, v in (("web-01", 10 + t % 7), ("web-02", 20), ("db", 30 + t % 3))
        )
    )
    inv_path = tmp_path / "inv.csv"
    inv_path.write_text(
        INV_HEADER + "web,w,2000,mhz_per_core,2,10,50,web,4096,20,2\n"
        "db,d,2000,mhz_per_core,2,10,50,database,4096,20,3\n"
    )
    inv, _ = read_inventory(inv_path)
    j = join_traces(inv, traces, min_overlap_h=1)
    how = j.assignment.groupby("server")["how"].first().to_dict()
    assert how == {"web": "instance", "db": "shared"}
    assert j.shared_servers == ["db"] and any("perfectly correlated" in n for n in j.notes)


@settings(max_examples=15, deadline=None)
@given(n=st.integers(2, 12), steps=st.integers(4, 40), seed=st.integers(0, 10_000))
def test_placement_feasible_every_step(n, steps, seed) -> None:
    rng = np.random.default_rng(seed)
    util = rng.uniform(0, 100, size=(steps, n))
    idx = pd.date_range("2024-01-01", periods=steps, freq="1h", tz="UTC")
    frame = pd.DataFrame(util, index=idx, columns=[f"s{i}" for i in range(n)])
    frame.attrs = {"unit": "cpu_pct", "interval_s": 3600.0}
    rows = "".join(
        f"s{i},r,{rng.integers(500, 20000)},mhz,,10,50,mixed,{rng.integers(256, 8192)},5,1\n"
        for i in range(n)
    )
    from io import StringIO

    inv = pd.read_csv(StringIO(INV_HEADER + rows))
    inv, _ = read_inventory_frame(inv)
    join = type("J", (), {})()
    join.frame = frame
    join.assignment = pd.DataFrame(
        {"server": frame.columns, "k": 1, "series": frame.columns, "how": "name"}
    )
    join.servers_matched, join.servers_unmatched, join.notes = list(frame.columns), [], []
    scen = plan.parse_scenario(
        {
            "name": "p",
            "inventory": "x.csv",
            "design": {"name": "zvm-basevol-guestvol"},
            "target": {"hosts": "auto", "max_engines_per_host": 8},
        }
    )
    r = plan.build_plan(scen, inventory=inv, traces=join)
    demand = r.demand
    for h in r.plan.hosts:
        cols = [g.source_server for g in h.guests]
        assert demand[cols].sum(axis=1).max() <= h.capacity.mips_usable * (1 + 1e-9)
        assert h.capacity.cpus <= 8
    assert sum(len(h.guests) for h in r.plan.hosts) == n


def read_inventory_frame(frame: pd.DataFrame):
    from colonykit.ingest.inventory import validate_inventory

    return validate_inventory(frame, source="generated"), {}


def test_unmatched_server_is_a_finding(tmp_path) -> None:
    import shutil

    shutil.copy(BB_TRACE, tmp_path / "t.csv.gz")
    shutil.copy(BB_SCEN.parent / "costs_example.yaml", tmp_path)  # the scenario's costs: file
    lines = BB_INV.read_text().splitlines()
    (tmp_path / "inv.csv").write_text(
        "\n".join([*lines, "extra,x,2000,mhz_per_core,2,10,40,mixed,1024,5,1"]) + "\n"
    )
    (tmp_path / "s.yaml").write_text(
        BB_SCEN.read_text()
        .replace("bitbrains_50vm_inventory.csv", "inv.csv")
        .replace("../traces/bitbrains_rnd_50vm_7d.csv.gz", "t.csv.gz")
    )
    r = plan.build_plan(tmp_path / "s.yaml")
    assert [f.code for f in r.plan.findings if f.code == "CK015"] == ["CK015"]
    assert r.plan.evidence.white_space.values["servers_unmatched"] == 1


@pytest.mark.shared_data
@pytest.mark.parametrize("name", ["bitbrains", "planetlab"])
def test_cli_contract_on_shared_traces(name, tmp_path, capsys, shared_data) -> None:
    SHARED = shared_data  # ../shared/data; the fixture skips cleanly when absent
    if name == "bitbrains":
        # the VMs' own provisioned MHz, measured mean/peak and memory; class 'database' (business-critical
        # financial VMs); VMs with 0 MHz provisioned are left out
        vms = pd.read_csv(SHARED / "bitbrains_rnd" / "bitbrains_rnd_20130902_7d_vms.csv")
        vms = vms[vms["cpu_capacity_mhz"] > 0]
        trace = SHARED / "bitbrains_rnd" / "bitbrains_rnd_20130902_7d.csv.gz"
        peak = np.minimum(100, vms["cpu_mhz_peak"] / vms["cpu_capacity_mhz"] * 100)
        avg = np.minimum(peak, vms["cpu_mhz_mean"] / vms["cpu_capacity_mhz"] * 100)
        rows = [
            f"{v},vm,{c:g},mhz,,{a:.4f},{p:.4f},database,{max(int(m), 1)},10,1"
            for v, c, a, p, m in zip(
                vms["vm"], vms["cpu_capacity_mhz"], avg, peak, vms["mem_capacity_mb"], strict=True
            )
        ]
    else:
        from colonykit.ingest import read_traces

        # CloudSim's PlanetLab example gives VM i the MIPS of type i mod 4 (2500, 2000, 1000, 500)
        trace = SHARED / "planetlab" / "20110303"
        names = read_traces(trace)[0].columns
        rows = [
            f"{f},vm,{(2500, 2000, 1000, 500)[i % 4]},mips,,1,50,mixed,1024,10,1"
            for i, f in enumerate(names)
        ]
    inv = tmp_path / "inv.csv"
    inv.write_text(INV_HEADER + "\n".join(rows) + "\n")
    code = main(["size", str(inv), "--traces", str(trace), "--target", "z17", "--format", "json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    c = out["composite"]
    assert c["servers_unmatched"] == 0 and c["servers_matched"] == len(rows)
    assert c["composite_peak_mips"] < c["sum_of_peaks_mips"]
    assert c["engines_composite"] <= c["engines_peak"]


@pytest.mark.slow
def test_dask_path_equals_in_memory(bb, tmp_path) -> None:
    """The same join and composite on Dask (LocalCluster, Parquet parts) as in memory."""
    pytest.importorskip("dask")
    pytest.importorskip("distributed")
    from colonykit import scale
    from colonykit.ingest.join import match_series

    inv, res, _join, mem = bb
    raw = pd.read_csv(BB_TRACE)
    bounds = np.linspace(0, len(raw), 5).astype(int)
    for i in range(4):
        raw.iloc[bounds[i] : bounds[i + 1]].to_parquet(tmp_path / f"part{i}.parquet")
    names = scale.series_names(tmp_path)
    assert len(names) == 50
    assignment = match_series(inv, {n.lower(): n for n in names})
    client = scale.local_client(n_workers=1, threads_per_worker=2)
    try:
        m = scale.measured_dask(tmp_path, inv, res, assignment, client=client)
    finally:
        client.close()
    for b in sizing.BOUNDS:
        assert m.sum_of_peaks_mips[b] == pytest.approx(mem.sum_of_peaks_mips[b], rel=1e-12)
        assert m.composite_peak_mips[b] == pytest.approx(mem.composite_peak_mips[b], rel=1e-12)
        assert m.composite_p95_mips[b] == pytest.approx(mem.composite_p95_mips[b], rel=1e-12)
        assert m.engines_composite[b] == mem.engines_composite[b]
        assert m.engines_peak[b] == mem.engines_peak[b]


def test_scenario_headroom_reaches_the_white_space_evidence() -> None:
    # traces.headroom_pct was accepted and never read (the constant was always used)
    scen = plan.load_scenario(BB_SCEN)
    data = scen.model_dump()
    data["traces"]["headroom_pct"] = 25.0
    s = plan.parse_scenario(data, Path(BB_SCEN).name, str(Path(BB_SCEN).parent))
    r = plan.build_plan(s)
    peak = float(r.demand.sum(axis=1).max())
    got = r.plan.evidence.white_space.values["spikes_headroom_capacity_mips"]
    assert got == pytest.approx(peak / (1 - 0.25))  # capacity = peak ÷ (1 − headroom)
    assert r.whitespace.headroom_pct == 25.0
