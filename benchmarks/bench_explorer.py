"""Explorer update latency for a 1,000-guest colony (goal: median <= 150 ms).

A control change in the kernel → :meth:`colonykit.widgets.ExplorerModel.update` (the plan is
rebuilt by :func:`colonykit.plan.build_plan`, figures by :mod:`colonykit.plots`) → the
chart widgets (:mod:`colonykit.widgets.chart`: figure JSON, ``Plotly.react`` in the browser)
and the headline HTML updated in place.  Timed by setting the
target-utilization slider of :func:`colonykit.widgets.explorer` (no browser: the
front-end rendering is not included).  Also reported: the plan build alone and the
explorer's own share (figures + in-place sync + HTML).

The colony: the bundled XYZ inventory with counts scaled to 1,000 guests
(385 file, 154 DNS, 77 firewall, 384 web servers) on 4 z15 LPARs.
"""

from __future__ import annotations

import dataclasses
import statistics
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
COUNTS = {"file": 385, "dns": 154, "firewall": 77, "web": 384}
VALUES = (50, 55, 60, 65, 70, 75, 80, 85, 90, 95)
REPEATS = 2
GOAL_MS = 150.0


def _pct(values: list[float], q: float) -> float:
    s = sorted(values)
    k = min(len(s) - 1, max(0, round(q / 100 * (len(s) - 1))))
    return s[k]


def run() -> dict:
    """Time explorer updates; JSON-ready dict with medians and p95 in ms."""
    from colonykit import plan, plots, widgets
    from colonykit.ingest import read_inventory

    inv, _ = read_inventory(REPO / "data" / "examples" / "xyz_inventory.csv")
    inv = inv.copy()
    inv["count"] = inv["server"].map(COUNTS).astype("int64")
    scen = plan.load_scenario(REPO / "data" / "examples" / "scenario.yaml")
    scen.target.hosts = 4
    scen.target.memory_gib_per_host = None
    ui = widgets.explorer(scen, inventory=inv, export_dir=REPO / "out" / "bench-explorer")
    guests = ui.model.state.headline["guests"]
    slider = ui.controls["target_util_pct"]

    total: list[float] = []
    for _ in range(REPEATS):
        for v in VALUES:
            t0 = time.perf_counter()
            slider.value = v
            total.append((time.perf_counter() - t0) * 1000.0)
            assert "updated" in ui.status.value, ui.status.value

    model = ui.model
    build: list[float] = []
    own: list[float] = []
    for v in VALUES:
        c = dataclasses.replace(model.controls, target_util_pct=float(v))
        t0 = time.perf_counter()
        res = plan.build_plan(model.scenario_for(c), inventory=model.inventory_for(c))
        t1 = time.perf_counter()
        figs = plots.plan_figures(res)
        for name, chart in ui.charts.items():  # a chart the plan lacks shows its note
            fig = figs.get(name)
            chart.show(
                widgets.dashboard_layout(widgets.placeholder_figure(name) if fig is None else fig)
            )
        widgets.headline_html(model.state)
        t2 = time.perf_counter()
        build.append((t1 - t0) * 1000.0)
        own.append((t2 - t1) * 1000.0)

    med = statistics.median(total)
    return {
        "guests": guests,
        "hosts": len(ui.model.state.headline["hosts"]),
        "updates": len(total),
        "update_median_ms": round(med, 1),
        "update_p95_ms": round(_pct(total, 95), 1),
        "build_plan_median_ms": round(statistics.median(build), 1),
        "explorer_own_median_ms": round(statistics.median(own), 1),
        "plan_share_of_update_frac": round(statistics.median(build) / med, 3) if med else None,
        "goal_median_ms": GOAL_MS,
        "goal_met": med <= GOAL_MS,
    }


if __name__ == "__main__":  # pragma: no cover
    import json

    print(json.dumps(run(), indent=2))
