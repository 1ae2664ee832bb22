"""Memory/paging/I/O models: vectorized evaluation vs a scalar reference loop.

- Erlang C (M/M/c wait probability) over 1,000,000 (servers, load) points, vectorized, against a
  pure-Python implementation of the same Erlang-B recursion on 10,000 points (extrapolated).
- Paging rules compared over 10,001 guest counts (one call).
- Volumes needed for 10,000 minidisks (first-fit decreasing), vs the lower bound ceil(Σ cyl / usable cyl).
"""

from __future__ import annotations

import math
import time

import numpy as np

from colonykit import channels, paging, storage


def _erlang_c_scalar(c: int, a: float) -> float:
    b = 1.0
    for k in range(1, c + 1):
        b = a * b / (k + a * b)
    rho = a / c
    if rho >= 1:
        return 1.0
    return b / (1 - rho * (1 - b))


def run() -> dict:
    rng = np.random.default_rng(42)
    n = 1_000_000
    c = rng.integers(1, 9, n)
    a = rng.uniform(0, 1, n) * c
    t0 = time.perf_counter()
    vec = channels.erlang_c(c, a)
    t_vec = time.perf_counter() - t0
    m = 10_000
    t0 = time.perf_counter()
    ref = np.array(
        [_erlang_c_scalar(int(ci), float(ai)) for ci, ai in zip(c[:m], a[:m], strict=True)]
    )
    t_loop = (time.perf_counter() - t0) * n / m
    max_abs_diff = float(np.max(np.abs(vec[:m] - ref)))

    t0 = time.perf_counter()
    frame = paging.compare_rules_over(np.arange(0, 10_001), 512, 2048)
    t_rules = time.perf_counter() - t0

    disks = rng.integers(50, 3339, 10_000)
    t0 = time.perf_counter()
    vols = storage.volumes_needed(disks, "3390-9")
    t_vols = time.perf_counter() - t0
    lower = math.ceil(int(disks.sum()) / (10017 - storage.RESERVED_CYL))
    return {
        "erlang_c_points": n,
        "erlang_c_vectorized_s": round(t_vec, 4),
        "erlang_c_scalar_loop_s_extrapolated": round(t_loop, 2),
        "erlang_c_speedup_ratio": round(t_loop / t_vec, 1),
        "erlang_c_max_abs_diff_vs_scalar": max_abs_diff,
        "paging_rules_guest_counts": 10_001,
        "paging_rules_rows": len(frame),
        "paging_rules_s": round(t_rules, 4),
        "minidisks": 10_000,
        "volumes_needed": vols,
        "volumes_lower_bound": lower,
        "volumes_over_lower_bound_ratio": round(vols / lower, 4),
        "volumes_needed_s": round(t_vols, 4),
    }
