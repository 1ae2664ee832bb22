"""Packing on public benchmark sets (issue 26): BPPLIB's classic one-dimensional sets and the real traces.

(a) One-dimensional bin packing is time-series packing with a single step: each BPPLIB
instance (Scholl, Klein & Jürgens data sets 1–3; Schwerin & Wäscher 1–2; Wäscher & Gau) is packed
by :func:`colonykit.packing.pack` with default settings (a 1 × n demand matrix, capacity as
given) and compared with the best known value of BPPLIB's solutions (all these instances are
solved: best lower = best upper bound).  Reported per set: instances, solved to the best known
value, extra bins in total, instances whose best bound (``lower_bound``) equals the best known
value (proved optimal by colonykit's own bound), process CPU time (total and worst instance),
and first-fit-decreasing (``ffd_peak_hosts``, the classic FFD) in the same run.

Data: ``tests/data/bpplib`` (a verbatim sample of 43 instances and the best known values of
all 1,427, with provenance); the full sets when ``COLONYKIT_BPPLIB_DIR`` names a folder with
the extracted archives.  ``COLONYKIT_BPPLIB_EVERY=k`` packs every k-th instance only.

(b) The real instances of ``bench_packing`` (PlanetLab 2011-03-03 at 5,320 MIPS per host and in
cpu-%, Bitbrains 50 and 499 VMs): hosts, best bound and which, gap, FFD on peaks.
"""

from __future__ import annotations

import csv
import importlib.util
import os
import time
from pathlib import Path
from typing import NamedTuple

import numpy as np

from colonykit import packing

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "tests" / "data" / "bpplib"
BEST_KNOWN = SAMPLE / "best_known.csv"
FULL_ENV = "COLONYKIT_BPPLIB_DIR"
EVERY_ENV = "COLONYKIT_BPPLIB_EVERY"
#: Set folders in the archives (``Wäscher`` is ``Waescher`` in the sample).
SETS = ("Scholl_1", "Scholl_2", "Scholl_3", "Schwerin_1", "Schwerin_2", "Waescher")
GOAL_SOLVED_FRAC = 0.99
GOAL_MAX_S = 10.0


class Instance(NamedTuple):
    """One BPPLIB instance: name, set, capacity, item sizes."""

    name: str
    set: str
    capacity: float
    sizes: np.ndarray


def read_instance(path: Path, set_name: str) -> Instance:
    """A BPPLIB ``.txt`` file: item count, capacity, one size per line."""
    values = [int(v) for v in path.read_text().split()]
    n = values[0]
    return Instance(path.stem, set_name, float(values[1]), np.asarray(values[2 : 2 + n], float))


def instances(root: Path) -> list[Instance]:
    """Every instance under ``root`` whose parent folder is one of ``SETS``, in path order."""
    out = []
    for path in sorted(root.rglob("*.txt")):
        set_name = path.parent.name.replace("ä", "ae")
        if set_name in SETS:
            out.append(read_instance(path, set_name))
    return out


def best_known() -> dict[str, int]:
    """Instance name → best known bin count (BPPLIB's best upper bound)."""
    with BEST_KNOWN.open(newline="") as fh:
        return {row["name"]: int(row["best_ub"]) for row in csv.DictReader(fh)}


def solve(inst: Instance) -> dict:
    """Pack one instance with the defaults; hosts, bound, FFD, CPU seconds."""
    c0 = time.process_time()
    r = packing.pack(inst.sizes[None, :], inst.capacity)
    cpu = time.process_time() - c0
    return {
        "name": inst.name,
        "set": inst.set,
        "items": int(inst.sizes.size),
        "hosts": r.hosts_used,
        "bound": r.lower_bound,
        "bound_name": r.bound,
        "ffd": r.ffd_peak_hosts,
        "cpu_s": round(cpu, 3),
        "search_iterations": None if r.search is None else r.search.iterations,
    }


def public_sets() -> dict:
    """Every set's summary (see the module docstring) and the instances not solved."""
    full = os.environ.get(FULL_ENV)
    root = Path(full) if full and Path(full).is_dir() else SAMPLE
    if not root.is_dir() or not BEST_KNOWN.is_file():
        return {"skipped": "no BPPLIB instances present"}
    every = max(int(os.environ.get(EVERY_ENV, "1")), 1)
    known = best_known()
    rows = [solve(inst) for inst in instances(root)[::every]]
    sets: dict[str, dict] = {}
    for s in SETS:
        mine = [r for r in rows if r["set"] == s]
        if not mine:
            continue
        best = [known[r["name"]] for r in mine]
        sets[s] = {
            "instances": len(mine),
            "solved": sum(r["hosts"] == b for r, b in zip(mine, best, strict=True)),
            "extra_bins": sum(r["hosts"] - b for r, b in zip(mine, best, strict=True)),
            "bound_is_best_known": sum(r["bound"] == b for r, b in zip(mine, best, strict=True)),
            "ffd_solved": sum(r["ffd"] == b for r, b in zip(mine, best, strict=True)),
            "ffd_extra_bins": sum(r["ffd"] - b for r, b in zip(mine, best, strict=True)),
            "cpu_s": round(sum(r["cpu_s"] for r in mine), 2),
            "max_cpu_s": max(r["cpu_s"] for r in mine),
        }
    n = len(rows)
    solved = sum(v["solved"] for v in sets.values())
    return {
        "source": "full sets" if root != SAMPLE else "tests/data/bpplib sample",
        "every": every,
        "sets": sets,
        "total": {
            "instances": n,
            "solved": solved,
            "solved_frac": round(solved / n, 4) if n else None,
            "extra_bins": sum(v["extra_bins"] for v in sets.values()),
            "bound_is_best_known": sum(v["bound_is_best_known"] for v in sets.values()),
            "ffd_solved": sum(v["ffd_solved"] for v in sets.values()),
            "ffd_extra_bins": sum(v["ffd_extra_bins"] for v in sets.values()),
            "cpu_s": round(sum(r["cpu_s"] for r in rows), 2),
            "max_cpu_s": max((r["cpu_s"] for r in rows), default=0.0),
            "meets_solved_goal": bool(n) and solved / n >= GOAL_SOLVED_FRAC,
            "meets_time_goal": all(r["cpu_s"] <= GOAL_MAX_S for r in rows),
        },
        "not_solved": [
            {**r, "best_known": known[r["name"]]} for r in rows if r["hosts"] != known[r["name"]]
        ],
    }


def real_instances() -> list[dict]:
    """``bench_packing``'s real instances (PlanetLab, Bitbrains), run here in the same process."""
    spec = importlib.util.spec_from_file_location(
        "bench_packing", Path(__file__).with_name("bench_packing.py")
    )
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    keep = ("instance", "servers", "steps", "hosts", "best_bound", "bound", "gap_hosts")
    return [
        {k: row[k] for k in (*keep, "ffd_peak_hosts", "cpu_s", "skipped") if k in row}
        for row in mod.real_instances(mod.planetlab_profiles())
    ]


def run() -> dict:
    return {
        "public": public_sets(),
        "real": real_instances(),
        "goals": {"solved_frac": GOAL_SOLVED_FRAC, "max_s": GOAL_MAX_S, "planetlab_gap_hosts": 2},
    }


if __name__ == "__main__":
    import json

    print(json.dumps(run(), indent=2, default=str))
