"""Workshop dashboard update time per control at 100 and 1,000 servers (median and p95, ms).

What ``colonykit workshop`` does on a control change, in the kernel: the control's observer →
:meth:`colonykit.widgets.ExplorerModel.update` (plan rebuilt by :func:`colonykit.plan.build_plan`,
figures by :mod:`colonykit.plots`) → each chart's figure JSON (:mod:`colonykit.widgets.chart`,
sent only when it changed), headline, baseline-vs-current and hosts HTML.  A baseline is
pinned, so the comparison is rendered too.  The browser's redraw is not included: that is
``bench_workshop_browser``.  Also: the bytes of figure JSON one update sends (all charts).

Colonies: the bundled XYZ inventory (4 lines) with counts scaled to 100 and 1,000 servers, on
1 resp. 4 z15 LPARs (real storage 1:1).  Every control of the dashboard is moved (the
workload-class drop-down, SMT and real storage per LPAR too).  The load average of the shared
machine is recorded with the figures: they are upper bounds.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SIZES = {
    100: ({"file": 38, "dns": 16, "firewall": 8, "web": 38}, 1),
    1000: ({"file": 385, "dns": 154, "firewall": 77, "web": 384}, 4),
}
#: Control -> the values it is moved through (each value change is one timed update).
MOVES = {
    "target_util_pct": [60, 70, 80, 90],
    "processor": ["z16", "z14", "z15", "z16"],
    "sizing_bound": ["low", "high", "typical", "low"],
    "basis": ["avg", "peak", "avg", "peak"],
    "hosts": [2, 3, 4, 5],
    "design": ["dedicated", "zvm-ro-root", "zvm-basevol-guestvol", "dedicated"],
    "max_memory_overcommit_ratio": [1.2, 2.0, 1.5, 1.8],
    "workload_class": ["web", "database", "(as inventory)", "cpu-bound"],
    "smt": [True, False, True, False],
    "memory_gib_per_host": [
        2048.0,
        1024.0,
        1536.0,
        0.0,
    ],  # 0 = 1:1 with the guests' virtual storage
}


def _pct(values: list[float], q: float) -> float:
    s = sorted(values)
    k = min(len(s) - 1, max(0, round(q / 100 * (len(s) - 1))))
    return s[k]


def run() -> dict:
    """Time every control of the dashboard at both sizes; JSON-ready dict."""
    import os

    from colonykit import plan, widgets
    from colonykit.ingest import read_inventory

    out: dict = {"loadavg_1min_before": round(os.getloadavg()[0], 2)}
    base_inv, _ = read_inventory(REPO / "data" / "examples" / "xyz_inventory.csv")
    for servers, (counts, hosts) in SIZES.items():
        inv = base_inv.copy()
        inv["count"] = inv["server"].map(counts).astype("int64")
        scen = plan.load_scenario(REPO / "data" / "examples" / "scenario.yaml")
        scen.target.hosts = hosts
        scen.target.memory_gib_per_host = None
        row: dict = {"hosts": hosts}
        ui = widgets.explorer(
            scen,
            inventory=inv,
            export_dir=REPO / "out" / "bench-workshop",
            export_root=REPO / "out" / "bench-workshop",
        )
        ui.pin_button.click()
        per: dict[str, dict[str, float]] = {}
        every: list[float] = []
        sizes: list[int] = []
        for name, values in MOVES.items():
            wid = ui.controls[name]
            start = wid.value
            times = []
            for v in values:
                before = {k: c.figure for k, c in ui.charts.items()}
                t0 = time.perf_counter()
                wid.value = v
                times.append((time.perf_counter() - t0) * 1000.0)
                assert "ck-error" not in ui.status.value, (name, v, ui.status.value)
                sizes.append(
                    sum(len(c.figure) for k, c in ui.charts.items() if c.figure != before[k])
                )
            wid.value = start
            per[name] = {
                "median_ms": round(statistics.median(times), 1),
                "p95_ms": round(_pct(times, 95), 1),
                "updates": len(times),
            }
            every += times
        row["guests"] = ui.model.state.headline["guests"]
        row["all_controls_median_ms"] = round(statistics.median(every), 1)
        row["all_controls_p95_ms"] = round(_pct(every, 95), 1)
        row["figure_json_bytes_median"] = int(statistics.median(sizes))
        row["figure_json_bytes_max"] = max(sizes)
        row["per_control"] = per
        out[f"servers_{servers}"] = row
    out["loadavg_1min_after"] = round(os.getloadavg()[0], 2)
    return out


if __name__ == "__main__":  # pragma: no cover
    import json

    print(json.dumps(run(), indent=2))
