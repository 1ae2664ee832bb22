"""The placement's memory dimension by series (issue 23): LPARs and packing cost, in one run.

The bundled Bitbrains colony (50 VMs, one week of 5-minute MIPS and memory-use series) packed on
LPARs of 96 GiB real storage (94 GiB after z/VM's 2 GiB) at the bundled plan's usable MIPS, three
ways on the same demand:

* ``cpu_only``: MIPS series only (memory ignored);
* ``memory_peaks``: each guest's working set as one number (its peak), the rule before;
* ``memory_series``: the working-set series stacked under the MIPS series (every step must fit).

Reported: LPARs of each, the lower bound ``ceil(max_t Σ memory / 94 GiB)``, CPU seconds
(``time.process_time``) of each packing and the series/cpu-only time ratio (the stacked matrix has
twice the steps).
"""

from __future__ import annotations

import math
import time
import warnings
from pathlib import Path

import pandas as pd

from colonykit import measured_memory as mm
from colonykit import plan
from colonykit.ingest import read_inventory
from colonykit.ingest.join import join_traces
from colonykit.plan.placement import pack_cpu_memory

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "data" / "examples" / "bitbrains_colony.yaml"
INVENTORY = REPO / "data" / "examples" / "bitbrains_50vm_inventory.csv"
TRACES = REPO / "data" / "traces" / "bitbrains_rnd_50vm_7d.csv.gz"
REAL_GIB = 96.0
KEPT_MIB = 2048.0


def run() -> dict:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = plan.build_plan(str(EXAMPLE), stagger_traces=False)
    assert res.demand is not None and res.packing is not None
    demand = pd.DataFrame(res.demand.to_numpy(), index=res.demand.index, columns=res.demand.columns)
    capacity = float(res.packing.capacity)
    inv, _ = read_inventory(INVENTORY)
    join = join_traces(inv, TRACES, metric="memory", start="2013-09-02T00:00Z", align="absolute")
    ws = mm.measured_memory(inv, join).working_set_series  # the bundled scenario's join options
    cap_mib = REAL_GIB * 1024 - KEPT_MIB
    series = ws.reindex(demand.index, method="ffill").bfill().to_numpy()
    peaks = pd.Series(series.max(axis=0), index=demand.columns)
    out: dict = {"guests": demand.shape[1], "steps": demand.shape[0], "real_gib": REAL_GIB}
    for name, kwargs in (
        ("cpu_only", {}),
        ("memory_peaks", {"virtual_mib": peaks, "virtual_capacity_mib": cap_mib}),
        ("memory_series", {"memory_series_mib": series, "memory_capacity_mib": cap_mib}),
    ):
        t0 = time.process_time()
        pk = pack_cpu_memory(demand, capacity, **kwargs)
        out[f"{name}_lpars"] = pk.hosts_used
        out[f"{name}_cpu_s"] = round(time.process_time() - t0, 3)
    out["memory_lower_bound_lpars"] = math.ceil(series.sum(axis=1).max() / cap_mib)
    out["series_vs_cpu_only_time_ratio"] = round(
        out["memory_series_cpu_s"] / max(out["cpu_only_cpu_s"], 1e-3), 2
    )
    return out


if __name__ == "__main__":
    import json

    print(json.dumps(run(), indent=2))
