"""Run the benchmarks and print one JSON object: ``python benchmarks/run.py [name …]``.

Each ``benchmarks/bench_<name>.py`` defines ``run() -> dict``.
"""

from __future__ import annotations

import importlib.util
import json
import platform
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    files = sorted(HERE.glob("bench_*.py"))
    if argv:
        files = [f for f in files if f.stem.removeprefix("bench_") in argv]
    out: dict[str, object] = {
        "machine": {"python": platform.python_version(), "cpus": __import__("os").cpu_count(),
                    "platform": platform.platform()},
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
    print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
