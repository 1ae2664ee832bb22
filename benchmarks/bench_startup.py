"""Start-up benchmark (issue 14): ``colonykit --help``, ``size`` and ``paging`` against ``python -c pass``.

Each command is run as a fresh interpreter ``REPEATS`` times and the best wall time is kept (the
console script when it is installed next to the interpreter, else ``python -c`` calling
:func:`colonykit.cli.main`).  ``size`` sizes the example inventory (data/examples) on a z15; ``paging`` computes the paging space
of 100 guests (``PAGING_ARGS``).
Goal: ``colonykit --help`` ≤ 0.25 s.  Issue 25 targets, against ``python -c "import numpy"`` in
the same run: ``size`` on 5 servers ≤ 3×, ``paging`` ≤ 2× (``channels`` and ``catalog`` are
reported beside).  CPU time of each child (user + system, best of the runs) is reported beside
the wall time: on a loaded machine it is the steadier figure.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
INVENTORY = ROOT / "data" / "examples" / "xyz_inventory.csv"
REPEATS = int(os.environ.get("COLONYKIT_BENCH_REPEATS", "7"))
GOAL_HELP_S = 0.25
#: Issue 25: ``size`` on 5 servers ≤ 3× and ``paging`` ≤ 2× ``python -c "import numpy"``.
TARGET_SIZE_OVER_NUMPY = 3.0
TARGET_PAGING_OVER_NUMPY = 2.0
#: ``colonykit channels`` for the seed's example (54 I/O per s at 14 ms on 2 paths).
CHANNELS_ARGS = ["--io-rate", "54", "--connect-ms", "14", "--paths", "2"]
#: ``colonykit paging`` for 100 guests of 512 MiB on a 32 GiB LPAR (the default rule).
PAGING_ARGS = ["--guests", "100", "--guest-mib", "512", "--real-mib", "32768"]


def _cli() -> list[str]:
    script = Path(sys.executable).with_name("colonykit")
    if script.is_file():
        return [str(script)]
    return [
        sys.executable,
        "-c",
        "import sys; from colonykit.cli import main; sys.exit(main(sys.argv[1:]))",
    ]


#: CPU time (user + system) of the best run of each command measured, by command.
CPU_S: dict[str, float] = {}


def _best(cmd: list[str]) -> float:
    best = cpu = float("inf")
    for _ in range(REPEATS):
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        best = min(best, time.perf_counter() - t0)
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = min(cpu, r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime)
    CPU_S[" ".join(cmd)] = cpu
    return best


def _cpu(cmd: list[str]) -> float:
    """CPU seconds of the best run of ``cmd`` (measured by :func:`_best`)."""
    return CPU_S[" ".join(cmd)]


def _five_servers(folder: Path) -> Path:
    """The example inventory's first 5 servers (count 1 each)."""
    lines = INVENTORY.read_text().splitlines()
    head = lines[0].split(",")
    i = head.index("count")
    body = []
    for line in lines[1:6]:
        cells = line.split(",")
        cells[i] = "1"
        body.append(",".join(cells))
    path = folder / "five.csv"
    path.write_text("\n".join([lines[0], *body]) + "\n")
    return path


def run() -> dict:
    import tempfile

    t_pass = _best([sys.executable, "-c", "pass"])
    numpy_cmd = [sys.executable, "-c", "import numpy"]
    t_numpy = _best(numpy_cmd)
    t_help = _best([*_cli(), "--help"])
    t_size = _best([*_cli(), "size", str(INVENTORY), "--target", "z15"])
    with tempfile.TemporaryDirectory() as tmp:
        size5_cmd = [*_cli(), "size", str(_five_servers(Path(tmp))), "--target", "z15"]
        t_size5 = _best(size5_cmd)
    paging_cmd = [*_cli(), "paging", *PAGING_ARGS]
    t_paging = _best(paging_cmd)
    channels_cmd = [*_cli(), "channels", *CHANNELS_ARGS]
    t_channels = _best(channels_cmd)
    catalog_cmd = [*_cli(), "catalog", "classes"]
    t_catalog = _best(catalog_cmd)
    cpu_numpy = _cpu(numpy_cmd)
    return {
        "python_import_numpy_s": round(t_numpy, 3),
        "size_5_servers_s": round(t_size5, 3),
        "channels_s": round(t_channels, 3),
        "catalog_s": round(t_catalog, 3),
        "size_5_over_numpy": round(t_size5 / t_numpy, 2),
        "paging_over_numpy": round(t_paging / t_numpy, 2),
        "channels_over_numpy": round(t_channels / t_numpy, 2),
        "catalog_over_numpy": round(t_catalog / t_numpy, 2),
        "python_import_numpy_cpu_s": round(cpu_numpy, 3),
        "size_5_servers_cpu_s": round(_cpu(size5_cmd), 3),
        "size_5_over_numpy_cpu": round(_cpu(size5_cmd) / cpu_numpy, 2),
        "paging_over_numpy_cpu": round(_cpu(paging_cmd) / cpu_numpy, 2),
        "channels_over_numpy_cpu": round(_cpu(channels_cmd) / cpu_numpy, 2),
        "catalog_over_numpy_cpu": round(_cpu(catalog_cmd) / cpu_numpy, 2),
        "meets_size_target": t_size5 / t_numpy <= TARGET_SIZE_OVER_NUMPY,
        "meets_paging_target": t_paging / t_numpy <= TARGET_PAGING_OVER_NUMPY,
        "python_pass_s": round(t_pass, 3),
        "help_s": round(t_help, 3),
        "size_s": round(t_size, 3),
        "paging_s": round(t_paging, 3),
        "help_over_pass": round(t_help / t_pass, 2),
        "size_over_pass": round(t_size / t_pass, 2),
        "paging_over_pass": round(t_paging / t_pass, 2),
        "goal_help_s": GOAL_HELP_S,
        "meets_help_goal": t_help <= GOAL_HELP_S,
    }


if __name__ == "__main__":
    import json

    print(json.dumps(run(), indent=2))
