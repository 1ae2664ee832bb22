"""Issue 23 item 6: per-LPAR engines without traces, hosts: auto and memory, I/O split by rate,
the busiest channel path."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest

from colonykit import plan, reference, sizing
from colonykit.ingest import read_inventory


def _build(inv_path=None, **changes):
    scen = plan.load_scenario("data/examples/scenario.yaml")
    data = scen.model_dump()
    if inv_path is not None:
        data["inventory"] = str(inv_path)
    for dotted, value in changes.items():
        node = data
        *parents, leaf = dotted.split(".")
        for k in parents:
            node = node[k]
        node[leaf] = value
    s = plan.parse_scenario(data, "scenario.yaml", "data/examples")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return plan.build_plan(s)


def _big_inventory(tmp_path):
    """The 26-server XYZ inventory 8 times over (208 guests), as one file."""
    inv = pd.read_csv("data/examples/xyz_inventory.csv")
    inv["count"] = inv["count"] * 8
    p = tmp_path / "inv.csv"
    inv.to_csv(p, index=False)
    return p


def test_per_lpar_engines_by_hand(tmp_path) -> None:
    p = _big_inventory(tmp_path)
    r = _build(p, **{"target.hosts": 4, "target.memory_gib_per_host": None})
    inv, _ = read_inventory(p)
    base = inv.drop_duplicates("server").set_index("server")
    for h in r.plan.hosts:
        # the host's own share of the inventory, sized on its own
        counts = pd.Series([g.source_server for g in h.guests]).value_counts()
        sub = base.loc[list(counts.index)].reset_index()  # keeps the name "server" at pandas 2.2
        sub["count"] = counts.to_numpy()
        assert h.capacity.cpus == sizing.size_inventory(sub, "z15", basis="peak").engines["typical"]
    total = sizing.size_inventory(inv, "z15", basis="peak").engines["typical"]
    even = math.ceil(total / 4) * 4
    assert sum(h.capacity.cpus for h in r.plan.hosts) <= even
    cpus = next(a for a in r.plan.evidence.assumptions if a.name == "cpus_per_host")
    assert "own guests" in cpus.source


def test_one_lpar_equals_the_colony_sizing() -> None:
    r = _build()
    assert r.plan.hosts[0].capacity.cpus == r.sizing.engines["typical"]


def test_hosts_auto_honours_memory_at_the_overcommit_limit(tmp_path) -> None:
    # 33 GiB of guests in LPARs of 8 GiB at 1.5:1 (12 GiB of guests each): 3 LPARs for memory
    r = _build(**{"target.hosts": "auto", "target.memory_gib_per_host": 8})
    assert len(r.plan.hosts) == math.ceil(33792 / (8 * 1024 * 1.5)) == 3
    assert not [f for f in r.findings if f.code == "CK002"]
    assert any("for memory" in n for n in r.trace_notes)


def test_io_split_by_rate(tmp_path) -> None:
    inv = pd.read_csv("data/examples/xyz_inventory.csv")
    inv["io_rate_per_s"] = 0.0
    inv.loc[0, "io_rate_per_s"] = 90.0  # the first server does nearly all the I/O
    inv.loc[1:, "io_rate_per_s"] = 1.0
    p = tmp_path / "inv.csv"
    inv.to_csv(p, index=False)
    r = _build(p, **{"target.hosts": 2, "target.memory_gib_per_host": None})
    i, _ = read_inventory(p)
    rate = dict(zip(i["server"], i["io_rate_per_s"], strict=True))
    total = float((i["io_rate_per_s"] * i["count"]).sum())
    for h in r.plan.hosts:
        mine = sum(rate[g.source_server] for g in h.guests)
        assert h.io.io_rate_per_s == pytest.approx(54 * mine / total)
    assert "own I/O rates" in str(r.plan.evidence.channels.values["io_split"])


def test_io_split_by_count_is_stated() -> None:
    r = _build(**{"target.hosts": 2, "target.memory_gib_per_host": None})
    assert "by guest count" in str(r.plan.evidence.channels.values["io_split"])
    n = [len(h.guests) for h in r.plan.hosts]
    assert [h.io.io_rate_per_s for h in r.plan.hosts] == pytest.approx([54 * k / 26 for k in n])


def test_busiest_path_from_the_seed_measurement() -> None:
    # seed 003 Example 8-6: paths at 23.33, 26.67, 26.67, 13.33 % -> busiest / mean = 1.185
    ratio = reference.constant("channel_busiest_path_ratio")
    assert ratio == pytest.approx(26.67 / np.mean([23.33, 26.67, 26.67, 13.33]), abs=1e-3)
    v = _build().plan.evidence.channels.values
    assert v["lpar1.per_path_busy_pct"] == pytest.approx(54 * 14 / 10 / 2)
    assert v["lpar1.busiest_path_busy_pct"] == pytest.approx(54 * 14 / 10 / 2 * ratio)
    # 2 paths at 37.8 % mean: the busiest 44.8 % is over a 40 % target -> CK004 on the busiest path
    r = _build(**{"rules.channel_max_busy_pct": 40, "io.paths_per_host": 2})
    assert [f.code for f in r.findings if f.code == "CK004"] == ["CK004"]
    assert "busiest channel path 44.8%" in next(f.message for f in r.findings if f.code == "CK004")


def test_io_split_by_measured_disk_series(tmp_path) -> None:
    inv = pd.read_csv("data/examples/xyz_inventory.csv")
    servers = inv["server"].astype(str).tolist()
    rows = []
    for i, s in enumerate(servers):
        for step in range(30):
            rows.append(
                {"server": s, "step": step, "cpu_pct": 5.0, "iops": float(i + 1 + step % 2)}
            )
    tr = tmp_path / "t.csv"
    pd.DataFrame(rows).to_csv(tr, index=False)
    r = _build(
        **{
            "target.hosts": 2,
            "target.memory_gib_per_host": None,
            "traces": {"path": str(tr), "min_overlap_h": 1},
        }
    )
    mean = {s: i + 1.5 for i, s in enumerate(servers)}  # the mean of i+1 and i+2
    i, _ = read_inventory("data/examples/xyz_inventory.csv")
    total = sum(mean[s] * c for s, c in zip(i["server"], i["count"], strict=True))
    for h in r.plan.hosts:
        mine = sum(mean[g.source_server] for g in h.guests)
        assert h.io.io_rate_per_s == pytest.approx(54 * mine / total)
    assert "measured disk I/O" in str(r.plan.evidence.channels.values["io_split"])


def test_monitor_io_rates_by_hand() -> None:
    from colonykit.ingest import read_traces

    # sar -A (RHEL 5) -b section: the 17:01:09 row's tps is 180.62
    f, _ = read_traces("data/monitor_samples/sar-A_rhel5_4cpu_2011-03-24.txt", metric="io")
    assert f.attrs["unit"] == "io_per_s" and f.iloc[0, 0] == pytest.approx(180.62)
    f, _ = read_traces("data/monitor_samples/sadf-d_sun_2023-08-05.csv", metric="io")
    assert f.iloc[0, 0] == pytest.approx(3.58)
