"""Start-up benchmark (issue 14): ``colonykit --help``, ``size`` and ``paging`` against ``python -c pass``.

Each command is run as a fresh interpreter ``REPEATS`` times and the best wall time is kept (the
console script when it is installed next to the interpreter, else ``python -c`` calling
:func:`colonykit.cli.main`).  ``size`` sizes the example inventory (data/examples) on a z15; ``paging`` computes the paging space
of 100 guests (``PAGING_ARGS``).
Goal: ``colonykit --help`` ≤ 0.25 s.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
INVENTORY = ROOT / "data" / "examples" / "xyz_inventory.csv"
REPEATS = 7
GOAL_HELP_S = 0.25
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


def _best(cmd: list[str]) -> float:
    best = float("inf")
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        best = min(best, time.perf_counter() - t0)
    return best


def run() -> dict:
    t_pass = _best([sys.executable, "-c", "pass"])
    t_help = _best([*_cli(), "--help"])
    t_size = _best([*_cli(), "size", str(INVENTORY), "--target", "z15"])
    t_paging = _best([*_cli(), "paging", *PAGING_ARGS])
    return {
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
