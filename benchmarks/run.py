"""Run the benchmarks and print one JSON object: ``python benchmarks/run.py [--out FILE] [name …]``.

Each ``benchmarks/bench_<name>.py`` defines ``run() -> dict``.  The machine block records the
start time and the load average before and after (the machine may be shared: ratios inside one
benchmark are measured in the same run, absolute times are upper bounds under load).
``--out FILE`` also writes the JSON to FILE (``make bench-readme`` then regenerates the README
table from it with ``benchmarks/readme_table.py``).
"""

from __future__ import annotations

import importlib.util
import json
import os
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _processor() -> str:
    """The CPU model from ``/proc/cpuinfo`` (``platform.processor()`` elsewhere)."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def main(argv: list[str]) -> int:
    out_file = None
    if "--out" in argv:
        i = argv.index("--out")
        if i + 1 >= len(argv):
            print("usage: run.py [--out FILE] [name ...]", file=sys.stderr)
            return 2
        out_file = Path(argv[i + 1])
        argv = argv[:i] + argv[i + 2 :]
    files = sorted(HERE.glob("bench_*.py"))
    if argv:
        files = [f for f in files if f.stem.removeprefix("bench_") in argv]
    out: dict[str, object] = {
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "processor": _processor(),
            "platform": platform.platform(),
            "started_utc": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "loadavg_start": list(os.getloadavg()),
        },
        "benchmarks": {},
    }
    for f in files:
        spec = importlib.util.spec_from_file_location(f.stem, f)
        assert spec and spec.loader
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        t0 = time.perf_counter()
        result = mod.run()
        result["bench_wall_s"] = round(time.perf_counter() - t0, 3)
        out["benchmarks"][f.stem.removeprefix("bench_")] = result  # type: ignore[index]
        print(f"[bench] {f.stem} done in {result['bench_wall_s']} s", file=sys.stderr)
    out["machine"]["loadavg_end"] = list(os.getloadavg())  # type: ignore[index]
    text = json.dumps(out, indent=2, default=str)
    if out_file is not None:
        out_file.parent.mkdir(parents=True, exist_ok=True)
        out_file.write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
