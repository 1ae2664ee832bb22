"""Packing benchmarks (issue 14): four real instances and 10,000 servers × 8,640 steps.

(a) Real instances, each packed by :func:`colonykit.packing.pack` (defaults: construction, local
search ``LOCAL_SEARCH_TIME_S``, MILP only for ≤ 16 servers) beside two baselines run in the same
process on the same demand: peak-based first-fit-decreasing (``ffd_peak_hosts``) and a static
PABFD-like best fit on the summed series (CloudSim's power-aware best-fit-decreasing without power
models: servers by peak, decreasing; each onto the open host whose *smallest* headroom over the
time steps is least after adding it, i.e. the tightest time-series fit):

* PlanetLab 20110303 (1052 VMs × 288 × 300 s) with CloudSim's VM sizes 2500/2000/1000/500 MIPS in
  four consecutive name-ordered blocks of ⌈n/4⌉ VMs, demand = cpu_pct / 100 × VM MIPS, on
  5,320-MIPS hosts (HP ProLiant ML110 G5, 2 × 2,660 MIPS);
* the same VMs in cpu_pct on hosts of 400 percentage points (four source VMs at 100 %);
* Bitbrains Rnd 50 VMs (data/traces, the example scenario's traces in MIPS) on the example plan's
  LPAR (capacity and utilization target as ``plan.build_plan`` chooses them);
* Bitbrains Rnd 499 VMs (../shared/data, cpu_mhz) on hosts of 80,000 MHz (composite peak
  1,085,201 MHz: ⌈1,085,201 / 80,000⌉ = 14), skipped cleanly when ../shared is not present.

Reported: hosts, best lower bound and which bound, gap in hosts, wall time, peak traced memory
(``tracemalloc``, numpy allocations included), and both baselines; and the same packing without
the anneal at a fixed host count (``anneal_moves=0``: hosts, gap and CPU before that stage, in
the same run) beside what the anneal did (``anneal``: hosts before/after, moves, overload left).

(b) 10,000 × 8,640 float32 (30 days of 5-minute samples) synthesised from the real PlanetLab
20110303 day profiles: each server takes one real VM day (chosen at random), circularly shifted by
up to ±3 h, scaled by U(0.5, 1.5), multiplied per day by U(0.8, 1.2), tiled over 30 days and
clipped at 100 %.  Seeded (numpy default_rng(2011)).  Hosts: 2,000 percentage points.  Goal:
≤ 5 s and ≤ 600 MB peak traced memory on top of the input array.
"""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from colonykit import packing

REPO = Path(__file__).resolve().parents[1]
#: ../shared/data next to the checkout (or next to a parent: worktrees sit one level deeper).
SHARED = next(
    (p / "shared" / "data" for p in REPO.parents if (p / "shared" / "data").is_dir()),
    REPO.parent / "shared" / "data",
)
#: The repo's copy (data/traces, with PROVENANCE.md) first, then ../shared/data.
PLANETLAB_CANDIDATES = (
    REPO / "data" / "traces" / "planetlab_20110303" / "planetlab_20110303.csv.gz",
    SHARED / "planetlab" / "20110303" / "planetlab_20110303.csv.gz",
)
BITBRAINS_499 = SHARED / "bitbrains_rnd" / "bitbrains_rnd_20130902_7d.csv.gz"
EXAMPLE = REPO / "data" / "examples" / "bitbrains_colony.yaml"
N_SERVERS = 10_000
DAYS = 30
STEPS_PER_DAY = 288
HOST_CAPACITY_PCT = 2_000.0
CLOUDSIM_VM_MIPS = (2500, 2000, 1000, 500)
CLOUDSIM_HOST_MIPS = 5_320.0
PLANETLAB_PCT_HOST = 400.0
BITBRAINS_499_HOST_MHZ = 80_000.0
GOAL_LARGE_S = 5.0
GOAL_LARGE_MB = 600.0


def planetlab_profiles() -> pd.DataFrame | None:
    """PlanetLab 20110303 as a wide frame (step × vm, cpu %), or None when no copy is present."""
    path = next((p for p in PLANETLAB_CANDIDATES if p.is_file()), None)
    if path is None:
        return None
    long = pd.read_csv(path)
    return long.pivot(index="step", columns="vm", values="cpu_pct").sort_index(axis=1)


def synthesise(
    profiles: np.ndarray, n: int = N_SERVERS, days: int = DAYS, seed: int = 2011
) -> np.ndarray:
    """(n, days × 288) float32 demand in cpu % from real day profiles (see module docstring)."""
    rng = np.random.default_rng(seed)
    steps = profiles.shape[1]
    vm = rng.integers(0, profiles.shape[0], n)
    phase = rng.integers(-steps // 8, steps // 8 + 1, n)
    idx = (np.arange(steps)[None, :] - phase[:, None]) % steps
    base = profiles[vm[:, None], idx].astype(np.float32)
    out = np.empty((n, days * steps), dtype=np.float32)
    view = out.reshape(n, days, steps)
    np.multiply(
        base[:, None, :], rng.uniform(0.8, 1.2, (n, days)).astype(np.float32)[:, :, None], out=view
    )
    view *= rng.uniform(0.5, 1.5, n).astype(np.float32)[:, None, None]
    np.minimum(out, 100.0, out=out)
    return out


def fallback_profiles(seed: int = 7, n: int = 1000, steps: int = STEPS_PER_DAY) -> np.ndarray:
    """Seeded synthetic diurnal profiles (used only when no PlanetLab copy is present)."""
    rng = np.random.default_rng(seed)
    t = np.arange(steps) / steps * 2 * np.pi
    level = rng.uniform(2, 25, n)[:, None]
    wave = 1 + rng.uniform(0, 0.8, n)[:, None] * np.sin(
        t[None, :] - rng.uniform(0, 2 * np.pi, n)[:, None]
    )
    noise = rng.gamma(2.0, 0.5, (n, steps))
    return np.clip(level * wave * noise, 0, 100)


def best_fit_summed(matrix: np.ndarray, capacity: float) -> int:
    """Hosts of the static PABFD-like best fit on the summed series (see module docstring)."""
    limit = capacity * (1 + packing.CAPACITY_RTOL)
    loads = np.zeros((0, matrix.shape[1]))
    for i in np.argsort(-matrix.max(axis=1), kind="stable"):  # loop over servers, steps vectorized
        head = (limit - loads - matrix[i]).min(axis=1) if len(loads) else np.empty(0)
        ok = head >= 0
        if ok.any():
            loads[int(np.argmin(np.where(ok, head, np.inf)))] += matrix[i]
        else:
            loads = np.vstack([loads, matrix[i][None, :].astype(np.float64)])
    return int(len(loads))


def _measured(fn: Callable[[], Any]) -> tuple[Any, float, float, float]:
    """(result, wall s, peak traced MB above the start, process CPU s) of ``fn``.

    Two calls: the first timed, untraced; the second under ``tracemalloc`` for the peak
    (tracing every numpy allocation roughly doubles the packing's time, so a traced run's
    time would measure the tracer).  CPU time is reported beside wall time: on a machine
    shared by several users the wall time of one run can be several times its CPU time.
    """
    c0 = time.process_time()
    t0 = time.perf_counter()
    out = fn()
    wall = time.perf_counter() - t0
    cpu = time.process_time() - c0
    tracemalloc.start()
    tracemalloc.reset_peak()
    fn()  # the figures reported are the timed call's (a time-limited search may differ)
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    return out, wall, peak, cpu


def _instance(
    name: str, demand: pd.DataFrame, host_capacity: float, max_util_pct: float = 100.0, **extra: Any
) -> dict:
    result, wall, peak, cpu = _measured(lambda: packing.pack(demand, host_capacity, max_util_pct))
    c0 = time.process_time()  # the same packing without the anneal (before -> after, same run)
    before = packing.pack(demand, host_capacity, max_util_pct, anneal_moves=0)
    cpu_before = time.process_time() - c0
    matrix, _, _ = packing.demand_matrix(demand)
    t0 = time.perf_counter()
    bf = best_fit_summed(matrix, result.capacity)
    t_bf = time.perf_counter() - t0
    return {
        "instance": name,
        "servers": demand.shape[1],
        "steps": demand.shape[0],
        "host_capacity": round(host_capacity, 3),
        "max_util_pct": max_util_pct,
        "hosts": result.hosts_used,
        "best_bound": result.lower_bound,
        "bound": result.bound,
        "bounds": result.bounds,
        "gap_hosts": result.gap_hosts,
        "method": result.method,
        "optimal": result.optimal,
        "wall_s": round(wall, 3),
        "cpu_s": round(cpu, 3),
        "peak_mb": round(peak, 1),
        "search": None
        if result.search is None
        else {
            "hosts_before": result.search.hosts_before,
            "iterations": result.search.iterations,
            "seconds": result.search.seconds,
            "stopped": result.search.stopped,
        },
        "anneal": None if result.anneal is None else dataclasses.asdict(result.anneal),
        "hosts_without_anneal": before.hosts_used,
        "gap_hosts_without_anneal": before.gap_hosts,
        "cpu_s_without_anneal": round(cpu_before, 3),
        "ffd_peak_hosts": result.ffd_peak_hosts,
        "pabfd_like_hosts": bf,
        "pabfd_like_s": round(t_bf, 3),
        **extra,
    }


def real_instances(wide: pd.DataFrame | None) -> list[dict]:
    out: list[dict] = []
    if wide is None:
        out.append({"instance": "planetlab_20110303", "skipped": "no PlanetLab copy present"})
    else:
        n = wide.shape[1]
        vm_mips = np.repeat(np.asarray(CLOUDSIM_VM_MIPS, dtype=float), -(-n // 4))[:n]
        mips = wide.astype(float) * (vm_mips / 100.0)
        mips.attrs["unit"] = "mips"
        out.append(
            _instance(
                "planetlab_20110303 MIPS / 5,320-MIPS hosts",
                mips,
                CLOUDSIM_HOST_MIPS,
                goal_hosts=46,
            )
        )
        pct = wide.astype(float)
        pct.attrs["unit"] = "cpu_pct"
        out.append(_instance("planetlab_20110303 cpu_pct / 400 % hosts", pct, PLANETLAB_PCT_HOST))
    from colonykit import plan
    from colonykit.ingest import read_traces

    built = plan.build_plan(plan.load_scenario(EXAMPLE))
    pk = built.packing
    if pk is None:
        out.append({"instance": "bitbrains 50 VMs (example)", "skipped": "the plan did not pack"})
    else:
        frame = built.demand  # the 50 guests' own MIPS series (measured colony)
        util = round(pk.capacity / pk.host_capacity * 100.0, 9)
        row = _instance(
            "bitbrains_rnd 50 VMs / example LPAR",
            frame,
            pk.host_capacity,
            util,
            plan_hosts=pk.hosts_used,
        )
        row["bound_equals_packing"] = row["best_bound"] == row["hosts"]
        out.append(row)
    if BITBRAINS_499.is_file():
        frame, _ = read_traces(BITBRAINS_499, unit="cpu_mhz", progress=False)
        out.append(
            _instance("bitbrains_rnd 499 VMs / 80,000-MHz hosts", frame, BITBRAINS_499_HOST_MHZ)
        )
    else:
        out.append({"instance": "bitbrains_rnd 499 VMs", "skipped": "../shared/data not present"})
    return out


def _jit_first_run() -> float:
    """Seconds of a first compiled packing in a fresh interpreter (numba compiles on the first
    run on a machine and caches; later processes load the cache).  Run before the timed call,
    so that one is what every later run of a planner's costs."""
    code = (
        "import numpy as np\n"
        "from colonykit import packing\n"
        "for dt in (np.float32, np.float64):\n"
        "    packing.pack_heuristic(np.ones((4, 40), dt), 10.0, jit=True)\n"
    )
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO)
    return round(time.perf_counter() - t0, 2)


def bench_large(profiles: np.ndarray) -> dict:
    t0 = time.perf_counter()
    matrix = synthesise(profiles)
    t_gen = time.perf_counter() - t0
    frame = pd.DataFrame(
        matrix.T, columns=[f"srv{i:05d}" for i in range(matrix.shape[0])], copy=False
    )
    frame.attrs["unit"] = "cpu_pct"
    jit = packing.jit_available()
    warm = _jit_first_run() if jit else None
    result, wall, peak, cpu = _measured(
        lambda: packing.pack(frame, HOST_CAPACITY_PCT, method="heuristic")
    )
    t0 = time.perf_counter()
    plain = packing.pack(frame, HOST_CAPACITY_PCT, method="heuristic", jit=False)
    wall_numpy = time.perf_counter() - t0
    return {
        # the compiled loop (numba, the fast extra) when installed; wall_s is this process's
        # first call, numba's import and the loading of its compiled code included
        "compiled_loop": jit,
        "jit_first_run_s": warm,
        "wall_s_numpy_loop": round(wall_numpy, 2),
        "numpy_over_compiled": round(wall_numpy / wall, 2),
        "same_assignment_both_loops": plain.assignment == result.assignment,
        "servers": matrix.shape[0],
        "steps": matrix.shape[1],
        "dtype": str(matrix.dtype),
        "input_mb": round(matrix.nbytes / 1e6, 1),
        "host_capacity_pct": HOST_CAPACITY_PCT,
        "synthesis_s": round(t_gen, 2),
        "wall_s": round(wall, 2),
        "cpu_s": round(cpu, 2),
        "peak_mb_above_input": round(peak, 1),
        "hosts": result.hosts_used,
        "best_bound": result.lower_bound,
        "bound": result.bound,
        "gap_hosts": result.gap_hosts,
        "meets_time_goal": wall <= GOAL_LARGE_S,
        "meets_memory_goal": peak <= GOAL_LARGE_MB,
        "ffd_peak_hosts": result.ffd_peak_hosts,
        "hosts_over_bound": round(result.hosts_used / max(result.lower_bound, 1), 4),
        "search_s": None if result.search is None else result.search.seconds,
        "profiles": "PlanetLab 20110303" if profiles.shape[0] == 1052 else "synthetic fallback",
    }


def run() -> dict:
    wide = planetlab_profiles()
    profiles = wide.to_numpy(dtype=np.float32).T if wide is not None else fallback_profiles()
    return {
        "real": real_instances(wide),
        "large_10000x8640": bench_large(profiles),
        "goals": {"planetlab_mips_hosts": 46, "large_s": GOAL_LARGE_S, "large_mb": GOAL_LARGE_MB},
    }


if __name__ == "__main__":
    import json

    print(json.dumps(run(), indent=2, default=str))
