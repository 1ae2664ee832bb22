"""``colonykit plan`` at 100 / 1,000 / 10,000 guests: CPU per guest, growth exponent, peak memory.

Each size runs in a fresh interpreter (so its peak RSS is its own): the XYZ example inventory
with its counts scaled to the wanted number of guests, ``hosts: auto``, real storage from the
guests (no fixed ``memory_gib_per_host``); timed is what ``colonykit plan`` does — read the
scenario, :func:`colonykit.plan.build_plan`, render every target of the platform, dump the YAML and
write the output tree (:func:`colonykit.export.write_plan`, with the secret scan).

The growth exponent is the least-squares slope of log(CPU seconds) over log(guests); 1.0 is
linear.  Targets (issue 25): exponent ≤ 1.1, ≤ 10 ms CPU per guest at 10,000, ≤ 2 GB peak RSS.
Set ``COLONYKIT_BENCH_PLAN_SIZES=100,1000`` for a quick run.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SIZES: tuple[int, ...] = (100, 1_000, 10_000)
TARGET_EXPONENT = 1.1
TARGET_MS_PER_GUEST = 10.0
TARGET_PEAK_GB = 2.0
#: The example's utilizations ÷ this (10,000 guests of the example need more than a z15).
UTIL_DIVISOR = 4.0


def _inventory(n: int, folder: Path) -> Path:
    """The example inventory with its counts scaled so that they sum to ``n``.

    Utilizations are divided by ``UTIL_DIVISOR`` so that 10,000 guests fit one z15 (1,024 engines
    at most in the sizing).
    """
    import pandas as pd

    inv = pd.read_csv(ROOT / "data/examples/xyz_inventory.csv")
    for col in ("util_avg_pct", "util_peak_pct"):
        inv[col] = inv[col] / UTIL_DIVISOR
    base = inv["count"].to_numpy(float)
    counts = [max(1, int(c)) for c in (base * n / base.sum()).round()]
    counts[int(base.argmax())] += n - sum(counts)
    inv["count"] = counts
    path = folder / "inventory.csv"
    inv.to_csv(path, index=False)
    return path


def child(n: int) -> dict[str, float]:
    """One size, in this process: CPU and wall seconds of the ``plan`` work, and peak RSS."""
    import resource
    import time

    import yaml

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        _inventory(n, folder)
        doc = yaml.safe_load((ROOT / "data/examples/scenario.yaml").read_text())
        doc["inventory"] = "inventory.csv"
        doc["target"]["hosts"] = "auto"
        doc["target"].pop("memory_gib_per_host", None)
        doc["network"]["cidr"] = "10.0.0.0/8"
        prefix = os.environ.get("COLONYKIT_BENCH_VOLSER_PREFIX")  # "L": the old code at 10,000
        if prefix:
            doc["storage"]["volser_prefix"] = prefix
        (folder / "s.yaml").write_text(yaml.safe_dump(doc))
        from colonykit import export, plan

        c0, w0 = time.process_time(), time.perf_counter()
        result = plan.build_plan(plan.load_scenario(folder / "s.yaml"))
        c1 = time.process_time()
        written = export.write_plan(result.plan, folder / "out")
        c2, w2 = time.process_time(), time.perf_counter()
        rss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return {
            "guests": plan.plan_guest_count(result.plan),
            "hosts": len(result.plan.hosts),
            "files": len(written),
            "cpu_s": round(c2 - c0, 3),
            "build_cpu_s": round(c1 - c0, 3),
            "write_cpu_s": round(c2 - c1, 3),
            "wall_s": round(w2 - w0, 3),
            "peak_rss_gb": round(rss_kib * 1024 / 1e9, 3),
        }


def _exponent(points: list[tuple[int, float]]) -> float:
    """Least-squares slope of log(cpu) over log(guests)."""
    xs = [math.log(n) for n, _ in points]
    ys = [math.log(max(c, 1e-9)) for _, c in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    den = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / den if den else 0.0


def run() -> dict:
    env_sizes = os.environ.get("COLONYKIT_BENCH_PLAN_SIZES")
    sizes = tuple(int(s) for s in env_sizes.split(",")) if env_sizes else SIZES
    rows = []
    for n in sizes:
        out = subprocess.run(
            [sys.executable, __file__, "--child", str(n)],
            capture_output=True,
            text=True,
            check=True,
            env={
                **os.environ,
                "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""),
            },
        )
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
    per_guest_ms = {str(r["guests"]): round(1000 * r["cpu_s"] / r["guests"], 2) for r in rows}
    exponent = _exponent([(r["guests"], r["cpu_s"]) for r in rows]) if len(rows) > 1 else None
    last = rows[-1]
    return {
        "runs": rows,
        "cpu_ms_per_guest": per_guest_ms,
        "growth_exponent": None if exponent is None else round(exponent, 3),
        "peak_rss_gb_largest": last["peak_rss_gb"],
        "target_exponent": TARGET_EXPONENT,
        "target_ms_per_guest": TARGET_MS_PER_GUEST,
        "target_peak_gb": TARGET_PEAK_GB,
        "meets_exponent": exponent is not None and exponent <= TARGET_EXPONENT,
        "meets_ms_per_guest": 1000 * last["cpu_s"] / last["guests"] <= TARGET_MS_PER_GUEST,
        "meets_peak": last["peak_rss_gb"] <= TARGET_PEAK_GB,
    }


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        print(json.dumps(child(int(sys.argv[2]))))
    else:
        print(json.dumps(run(), indent=2))
