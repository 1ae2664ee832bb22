"""Plan assembly and export at workshop scale: 1,040 guests on 4 LPARs.

The XYZ inventory (26 servers) with every ``count`` × 40 → 1,040 guests; times ``build_plan``
(sizing, placement, memory, paging, channels, checks), all renderers, the YAML dump and the
validated load (round trip equality checked).
"""

from __future__ import annotations

import time
from pathlib import Path

from colonykit import export, plan, render
from colonykit.ingest import read_inventory

ROOT = Path(__file__).resolve().parents[1]


def run() -> dict:
    inv, _ = read_inventory(ROOT / "data/examples/xyz_inventory.csv")
    inv["count"] = inv["count"] * 40
    scen = plan.load_scenario(ROOT / "data/examples/scenario.yaml")
    scen.target.hosts = 4
    scen.target.memory_gib_per_host = None
    t0 = time.perf_counter()
    result = plan.build_plan(scen, inventory=inv)
    t_build = time.perf_counter() - t0
    t0 = time.perf_counter()
    n_files = sum(len(render.render(result.plan, t)) for t in render.targets_for(result.plan))
    t_render = time.perf_counter() - t0
    t0 = time.perf_counter()
    text = export.plan_to_yaml(result.plan)
    t_dump = time.perf_counter() - t0
    t0 = time.perf_counter()
    back = export.load_plan_text(text)
    t_load = time.perf_counter() - t0
    return {
        "guests": plan.plan_guest_count(result.plan),
        "hosts": len(result.plan.hosts),
        "build_plan_s": round(t_build, 3),
        "render_all_targets_s": round(t_render, 3),
        "rendered_files": n_files,
        "yaml_dump_s": round(t_dump, 3),
        "yaml_bytes": len(text),
        "yaml_load_validate_s": round(t_load, 3),
        "round_trip_equal": back == result.plan,
    }
