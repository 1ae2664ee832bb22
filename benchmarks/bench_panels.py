"""The growth controls of the dashboard (issue 21 panel): a growth-only change re-projects the
current plan (:meth:`colonykit.widgets.ExplorerModel.regrow`) instead of rebuilding it.

Timed on ``data/examples/bitbrains_colony.yaml`` (50 servers with traces, growth and costs), in
the kernel, without a browser: the growth-rate slider of :func:`colonykit.widgets.explorer`
against the target-utilization slider (a full rebuild: plan, projection, business case) in the
same run; ``growth_vs_rebuild`` is their ratio of medians.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
GROWTH = (0.0, 10.0, 20.0, 30.0, 40.0)
UTIL = (60, 65, 70, 75, 80)


def run() -> dict:
    """Median update times [ms] of the growth slider and of a full rebuild, and their ratio."""
    from colonykit import widgets

    ui = widgets.explorer(
        REPO / "data" / "examples" / "bitbrains_colony.yaml",
        export_dir=REPO / "out" / "bench-panels",
    )

    def timed(name: str, values: tuple[float, ...]) -> list[float]:
        out = []
        for v in values:
            t0 = time.perf_counter()
            ui.controls[name].value = v
            out.append((time.perf_counter() - t0) * 1000.0)
            assert "updated" in ui.status.value, ui.status.value
        return out

    grow = timed("growth_pct", GROWTH)  # at the scenario's own target utilization
    ui.controls["growth_pct"].value = 25.0  # back to the scenario's rate (a cached state)
    full = timed("target_util_pct", UTIL)
    g, f = statistics.median(grow), statistics.median(full)
    return {
        "growth_update_median_ms": round(g, 1),
        "rebuild_update_median_ms": round(f, 1),
        "growth_vs_rebuild": round(g / f, 3),
        "updates": len(grow) + len(full),
    }


if __name__ == "__main__":
    import json

    print(json.dumps(run(), indent=2))
