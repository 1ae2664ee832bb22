"""The plan rebuild behind the dashboard's slowest moves, in kernel CPU time (issue 20 item 1).

What :meth:`colonykit.widgets.ExplorerModel.compute` asks of the library on a control move:
:func:`colonykit.plan.build_plan` with the explorer's :class:`~colonykit.plan.stages.StageCache`
(and the cyclic collector paused, :class:`~colonykit.plan.stages.CollectionPause`), for the three
moves that were over the browser target: a new **design** and a new **host count** on the XYZ
inventory scaled to 1,000 servers on 4 LPARs, a new **target utilization** on the bundled
Bitbrains colony (50 measured guests, growth and costs).  Figures are not built here
(``bench_workshop`` times the whole kernel update, ``bench_workshop_browser`` the browser).

Times are CPU seconds of this process (``time.process_time``: the machine may be shared), median
and max over the moves; ``vs_uncached`` is the median divided by the median of the same builds
without a cache (every stage computed), measured in the same run.
"""

from __future__ import annotations

import os
import statistics
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
COUNTS_1000 = {"file": 385, "dns": 154, "firewall": 77, "web": 384}
#: Control -> the values it is moved through (every value new to the cache, as in the browser).
MOVES: dict[str, list[Any]] = {
    "design": ["dedicated", "zvm-ro-root", "zvm-shared-usr"],
    "hosts": [5, 6, 7],
    "target_util_pct": [89.0, 88.0, 87.0, 86.0],
}


def _colony(control: str) -> tuple[Any, Any]:
    from colonykit import plan
    from colonykit.ingest import read_inventory

    if control == "target_util_pct":
        scen = plan.load_scenario(REPO / "data" / "examples" / "bitbrains_colony.yaml")
        inv, _ = read_inventory(scen.resolve(scen.inventory))
        return scen, inv
    inv, _ = read_inventory(REPO / "data" / "examples" / "xyz_inventory.csv")
    inv["count"] = inv["server"].map(COUNTS_1000).astype("int64")
    scen = plan.load_scenario(REPO / "data" / "examples" / "scenario.yaml")
    scen.target.hosts = 4
    scen.target.memory_gib_per_host = None
    return scen, inv


def _moved(scen: Any, control: str, value: Any) -> Any:
    s = scen.model_copy(deep=True)
    if control == "design":
        s.design.name = value
        s.design.overrides = {}
    elif control == "hosts":
        s.target.hosts = value
    else:
        s.target.target_util_pct = value
    return s


def _time(control: str, cached: bool) -> list[float]:
    from colonykit import plan
    from colonykit.plan.stages import CollectionPause, StageCache

    scen, inv = _colony(control)
    cache = StageCache() if cached else None
    pause = CollectionPause()
    with pause:
        first = plan.build_plan(scen, inventory=inv, cache=cache)  # the dashboard's first plan
    times = []
    for value in MOVES[control]:
        s = _moved(scen, control, value)
        t0 = time.process_time()
        with pause:
            plan.build_plan(s, inventory=inv, traces=first.join, stagger_traces=False, cache=cache)
        times.append(time.process_time() - t0)
    return times


def run() -> dict[str, Any]:
    """CPU seconds per move of the three controls, with and without the stage cache."""
    out: dict[str, Any] = {"loadavg_1min_before": round(os.getloadavg()[0], 2)}
    for control in MOVES:
        fast = _time(control, cached=True)
        slow = _time(control, cached=False)
        out[control] = {
            "guests": 50 if control == "target_util_pct" else 1000,
            "moves": len(fast),
            "cpu_median_s": round(statistics.median(fast), 4),
            "cpu_max_s": round(max(fast), 4),
            "uncached_cpu_median_s": round(statistics.median(slow), 4),
            "vs_uncached": round(statistics.median(fast) / statistics.median(slow), 3),
        }
    out["loadavg_1min_after"] = round(os.getloadavg()[0], 2)
    return out


if __name__ == "__main__":  # pragma: no cover
    import json

    print(json.dumps(run(), indent=2))
