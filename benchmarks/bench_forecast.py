"""Capacity over time: a 36-month monthly projection vs one plan build of the same colony (issue 21).

The colony: 1,000 guests, each with its own week of 5-minute CPU samples (2,016 steps), built from
the 50 bundled Bitbrains Rnd VMs (``data/traces/bitbrains_rnd_50vm_7d.csv.gz``): guest *i* takes VM
``i mod 50``'s series circularly shifted by a random phase (numpy ``default_rng(21)``) and scaled by
``SCALE`` = 1/20 (so the colony fits one machine), with that VM's inventory row (utilization × SCALE).  The traces are written once to a temporary long CSV; the inventory to a CSV.

Timed in the same run (best of ``REPEATS``, interleaved):

* ``build_plan`` of the scenario without a ``growth:`` section (read + join the traces, WLF sizing,
  measured sizing, time-series packing, layout, checks) — the denominator;
* ``forecast.project`` of that plan result over 36 months at monthly steps (37 steps × 3 bounds ×
  every LPAR: one matrix product), with a business event (50 servers added in month 12, placed by
  first fit) — the numerator.

Goal (issue 21 item 7): ``project_to_build_ratio`` ≤ 1.  ``FORECAST_BENCH_GUESTS`` (environment)
shrinks the colony while developing.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from colonykit import forecast, plan
from colonykit.ingest import read_inventory, read_traces

ROOT = Path(__file__).resolve().parents[1]
GUESTS = int(os.environ.get("FORECAST_BENCH_GUESTS", "1000"))
REPEATS = int(os.environ.get("FORECAST_BENCH_REPEATS", "3"))
#: Each guest's demand is its Bitbrains VM's × SCALE, so 1,000 guests fit one machine (the 50 VMs
#: need 50 z15 engines at the typical bound; 1,000 at 1/20 of their demand need about as many).
SCALE = 50 / 1000


def _colony(folder: Path) -> Path:
    """Write the 1,000-guest inventory, traces and scenario; return the scenario path."""
    raw, _meta = read_traces(ROOT / "data/traces/bitbrains_rnd_50vm_7d.csv.gz")
    inv, _ = read_inventory(ROOT / "data/examples/bitbrains_50vm_inventory.csv")
    rng = np.random.default_rng(21)
    src = [str(c) for c in raw.columns]
    values = raw.to_numpy(dtype=float)
    steps = values.shape[0]
    names = [f"g{i:04d}" for i in range(GUESTS)]
    cols = np.empty((steps, GUESTS))
    rows = []
    inv = inv.set_index(inv["server"].astype(str))
    for i, name in enumerate(names):
        j = i % len(src)
        cols[:, i] = np.roll(values[:, j], int(rng.integers(0, steps))) * SCALE
        row = inv.loc[src[j]].copy()
        row["server"] = name
        row["util_avg_pct"] *= SCALE
        row["util_peak_pct"] *= SCALE
        row["role"] = f"role{i % 7}"
        rows.append(row)
    pd.DataFrame(rows).to_csv(folder / "inv.csv", index=False)
    start = pd.Timestamp("2013-09-02T00:00Z")
    stamps = (start + pd.to_timedelta(np.arange(steps) * 300, unit="s")).strftime("%Y-%m-%dT%H:%MZ")
    long = pd.DataFrame(
        {
            "vm": np.repeat(names, steps),
            "timestamp": np.tile(stamps, GUESTS),
            "cpu_mhz": cols.T.reshape(-1),
        }
    )
    long.to_csv(folder / "traces.csv", index=False)
    text = (ROOT / "data/examples/bitbrains_colony.yaml").read_text()
    text = text.split("\ngrowth:")[0]  # the plan build alone: no projection inside it
    text = text.replace("bitbrains_50vm_inventory.csv", "inv.csv").replace(
        "../traces/bitbrains_rnd_50vm_7d.csv.gz", "traces.csv"
    )
    text = text.replace('  start: "2013-09-02T00:00Z"', "")
    # the cost model stays next to the bundled example (the scenario names it relatively)
    text = text.replace(
        "file: costs_example.yaml",
        f"file: {(ROOT / 'data/examples/costs_example.yaml').as_posix()}",
    )
    text = text.replace("memory_gib_per_host: 512", "memory_gib_per_host: 4096")
    (folder / "scenario.yaml").write_text(text)
    return folder / "scenario.yaml"


def run() -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        scen_path = _colony(Path(tmp))
        growth = forecast.GrowthModel(
            horizon_months=36,
            step_months=1,
            annual_pct={"low": 10, "typical": 25, "high": 40},
            by_role={"role3": 50},
            events=[{"name": "new app", "month": 12, "add": 50, "like": "g0012"}],
        )
        build_s, project_s = [], []
        result = cap = None
        for _ in range(REPEATS):
            scen = plan.load_scenario(scen_path)
            t0 = time.perf_counter()
            result = plan.build_plan(scen)
            build_s.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            cap = forecast.project(result, growth)
            project_s.append(time.perf_counter() - t0)
    assert result is not None and cap is not None
    b, p = min(build_s), min(project_s)
    return {
        "guests": plan.plan_guest_count(result.plan),
        "steps_per_series": int(result.measured.guest_mips.shape[0]),
        "lpars": len(result.plan.hosts),
        "projection_steps": len(cap.steps),
        "build_plan_s": round(b, 3),
        "project_s": round(p, 3),
        "project_to_build_ratio": round(p / b, 3),
        "goal_ratio_max": 1.0,
        "goal_met": p <= b,
        "exhaustion_month": cap.exhaustion.month if cap.exhaustion else None,
        "upgrades": len(cap.upgrades),
        "repeats": REPEATS,
    }


if __name__ == "__main__":  # pragma: no cover
    import json

    print(json.dumps(run(), indent=2))
