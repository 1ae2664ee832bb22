"""Packing benchmarks: (a) 10,000 servers × 8,640 steps (float32), (b) PlanetLab 20110303 on CloudSim hosts.

(a) The 10,000 × 8,640 array (30 days of 5-minute samples) is synthesised from the real PlanetLab
20110303 day profiles (data/traces or ../shared/data; if neither is present a seeded random
diurnal profile set is used and reported): each server takes one real VM day (chosen at random), circularly shifted by a random phase of up to ±3 h, scaled by a
random factor U(0.5, 1.5), multiplied per day by U(0.8, 1.2), tiled over 30 days and clipped at
100 %.  Seeded (numpy default_rng(2011)).  Hosts: 2,000 percentage points (20 source servers at
100 %).  Goal: ≤ 60 s on 2 cores; hosts ≤ ⌈1.03 × lower bound⌉.

(b) PlanetLab 20110303 (1052 VMs × 288 × 300 s) with CloudSim's VM sizes 2500/2000/1000/500 MIPS
in four consecutive name-ordered blocks of ⌈n/4⌉ VMs, demand = cpu_pct / 100 × VM MIPS, on
5,320-MIPS hosts (HP ProLiant ML110 G5, 2 × 2,660 MIPS): hosts vs the lower bound of 40 and
vs peak-based first-fit-decreasing, and with the optional min-conflicts repair (5,000 moves).
Skipped cleanly when neither data/traces nor ../shared/data has the file.
"""

from __future__ import annotations

import math
import time
from pathlib import Path

import numpy as np
import pandas as pd

from colonykit import packing

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "data"
#: The repo's copy (data/traces, with PROVENANCE.md) first, then ../shared/data.
PLANETLAB_CANDIDATES = (
    REPO / "data" / "traces" / "planetlab_20110303" / "planetlab_20110303.csv.gz",
    SHARED / "planetlab" / "20110303" / "planetlab_20110303.csv.gz",
)
N_SERVERS = 10_000
DAYS = 30
STEPS_PER_DAY = 288
HOST_CAPACITY_PCT = 2_000.0
CLOUDSIM_VM_MIPS = (2500, 2000, 1000, 500)
CLOUDSIM_HOST_MIPS = 5_320.0
REPAIR_MOVES = 5_000


def planetlab_profiles() -> pd.DataFrame | None:
    """PlanetLab 20110303 as a wide frame (step × vm, cpu %), or None when no copy is present."""
    path = next((p for p in PLANETLAB_CANDIDATES if p.is_file()), None)
    if path is None:
        return None
    long = pd.read_csv(path)
    return long.pivot(index="step", columns="vm", values="cpu_pct").sort_index(axis=1)


def synthesise(profiles: np.ndarray, n: int = N_SERVERS, days: int = DAYS, seed: int = 2011) -> np.ndarray:
    """(n, days × 288) float32 demand in cpu % from real day profiles (see module docstring)."""
    rng = np.random.default_rng(seed)
    steps = profiles.shape[1]
    vm = rng.integers(0, profiles.shape[0], n)
    phase = rng.integers(-steps // 8, steps // 8 + 1, n)
    idx = (np.arange(steps)[None, :] - phase[:, None]) % steps
    base = profiles[vm[:, None], idx].astype(np.float32)
    out = np.empty((n, days * steps), dtype=np.float32)
    view = out.reshape(n, days, steps)
    np.multiply(base[:, None, :], rng.uniform(0.8, 1.2, (n, days)).astype(np.float32)[:, :, None], out=view)
    view *= rng.uniform(0.5, 1.5, n).astype(np.float32)[:, None, None]
    np.minimum(out, 100.0, out=out)
    return out


def fallback_profiles(seed: int = 7, n: int = 1000, steps: int = STEPS_PER_DAY) -> np.ndarray:
    """Seeded synthetic diurnal profiles (used only when no PlanetLab copy is present)."""
    rng = np.random.default_rng(seed)
    t = np.arange(steps) / steps * 2 * np.pi
    level = rng.uniform(2, 25, n)[:, None]
    wave = 1 + rng.uniform(0, 0.8, n)[:, None] * np.sin(t[None, :] - rng.uniform(0, 2 * np.pi, n)[:, None])
    noise = rng.gamma(2.0, 0.5, (n, steps))
    return np.clip(level * wave * noise, 0, 100)


def bench_large(profiles: np.ndarray) -> dict:
    t0 = time.perf_counter()
    matrix = synthesise(profiles)
    t_gen = time.perf_counter() - t0
    frame = pd.DataFrame(matrix.T, columns=[f"srv{i:05d}" for i in range(matrix.shape[0])], copy=False)
    frame.attrs["unit"] = "cpu_pct"
    t0 = time.perf_counter()
    result = packing.pack(frame, HOST_CAPACITY_PCT, method="heuristic")
    wall = time.perf_counter() - t0
    goal_hosts = math.ceil(1.03 * result.lower_bound)
    return {
        "servers": matrix.shape[0], "steps": matrix.shape[1], "dtype": str(matrix.dtype),
        "host_capacity_pct": HOST_CAPACITY_PCT, "synthesis_s": round(t_gen, 2),
        "wall_s": round(wall, 2), "hosts_used": result.hosts_used, "lower_bound": result.lower_bound,
        "hosts_over_lower_bound": round(result.hosts_used / result.lower_bound, 4),
        "goal_hosts": goal_hosts, "meets_host_goal": result.hosts_used <= goal_hosts,
        "meets_time_goal": wall <= 60.0, "ffd_peak_hosts": result.ffd_peak_hosts,
        "ffd_peak_over_hosts": round(result.ffd_peak_hosts / result.hosts_used, 3),
        "profiles": "PlanetLab 20110303" if profiles.shape[0] == 1052 else "synthetic fallback",
    }


def bench_planetlab(wide: pd.DataFrame) -> dict:
    n = wide.shape[1]
    block = -(-n // 4)
    vm_mips = np.repeat(np.asarray(CLOUDSIM_VM_MIPS, dtype=float), block)[:n]
    demand = wide.astype(float) * (vm_mips / 100.0)
    demand.attrs["unit"] = "mips"
    t0 = time.perf_counter()
    result = packing.pack(demand, CLOUDSIM_HOST_MIPS, method="heuristic")
    wall = time.perf_counter() - t0
    t0 = time.perf_counter()
    repaired = packing.pack(demand, CLOUDSIM_HOST_MIPS, method="heuristic", repair_moves=REPAIR_MOVES)
    wall_repair = time.perf_counter() - t0
    return {
        "repair_moves": REPAIR_MOVES, "hosts_with_repair": repaired.hosts_used,
        "wall_with_repair_s": round(wall_repair, 2),
        "vms": n, "steps": wide.shape[0], "composite_peak_mips": float(demand.sum(axis=1).max()),
        "host_mips": CLOUDSIM_HOST_MIPS, "wall_s": round(wall, 3), "hosts_used": result.hosts_used,
        "lower_bound": result.lower_bound,
        "hosts_over_lower_bound": round(result.hosts_used / result.lower_bound, 4),
        "ffd_peak_hosts": result.ffd_peak_hosts,
        "ffd_peak_over_hosts": round(result.ffd_peak_hosts / result.hosts_used, 3),
    }


def run() -> dict:
    wide = planetlab_profiles()
    profiles = wide.to_numpy(dtype=np.float32).T if wide is not None else fallback_profiles()
    out: dict = {"large_10000x8640": bench_large(profiles)}
    out["planetlab_20110303"] = bench_planetlab(wide) if wide is not None else {
        "skipped": "PlanetLab 20110303 is not present (data/traces or ../shared/data)"}
    return out


if __name__ == "__main__":
    import json

    print(json.dumps(run(), indent=2))
