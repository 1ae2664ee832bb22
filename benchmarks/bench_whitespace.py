"""White-space benchmarks: (a) 10,000 servers × 8,640 samples (float32), (b) the real traces.

(a) Synthetic 30 days of 5-minute samples, built from the real PlanetLab 20110303 day profiles
bundled in ``data/traces/planetlab_20110303`` (1052 VMs × 288 steps): each of the 10,000 servers
takes one VM day chosen at random, circularly shifted by a random phase (0..287 steps), scaled by
U(0.5, 1.5), clipped at 100 %, and tiled over 30 days (numpy ``default_rng(2011)``; ~1 s to build).
The array is server-major ``(10000, 8640)`` float32 (345.6 MB); ``analyze`` gets its transpose
``(8640, 10000)`` — the same memory layout ``DataFrame.to_numpy()`` returns for a wide frame.
Timed (best of ``REPEATS``): one ``numpy.sum`` over the array (the baseline pass) and
``whitespace.analyze`` (hot path: ``spikes=False, validate=False``: per-server mean and peak,
composite series, all the figures); also with the negative-value check, with the exact p95
(checked equal to ``numpy.percentile``) and with the approximate p95 (its certified per-server
bound, the actual error and the share of servers computed exactly after two bracket misses);
the exact p95 also on the caller's thread only (``PASS_THREADS`` = 1).
All six are run in turn ``REPEATS`` times and the best of each kept (ratios from the same run).
Goals: hot path ≤ 3 ×, exact p95 ≤ 5 ×, approximate p95 ≤ 3 × one ``numpy.sum``.

(b) Read + analyse the bundled PlanetLab day, and the Bitbrains week and the Azure 100-VM sample from
``../shared/data`` when present (skipped otherwise): time and white space figures.

(c) The Dask path on the PlanetLab day written as 8 Parquet files, on a ``LocalCluster`` (1 worker,
2 threads, in-process): wall time and equality with the in-memory figures (skipped without dask).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from colonykit import whitespace
from colonykit.ingest import read_traces

ROOT = Path(__file__).resolve().parents[1]
PLANETLAB = ROOT / "data" / "traces" / "planetlab_20110303"
#: ../shared/data next to the checkout (or next to a parent: worktrees sit one level deeper).
SHARED = next(
    (p / "shared" / "data" for p in ROOT.parents if (p / "shared" / "data").is_dir()),
    ROOT.parent / "shared" / "data",
)
N_SERVERS = 10_000
N_DAYS = 30
REPEATS = 9  # best of 9 interleaved runs: single runs on this VM vary by ±40 %
#: Issue 14's goals: analyze with exact p95 / approximate p95 as multiples of one numpy.sum.
GOAL_EXACT = 5.0
GOAL_APPROX = 3.0


def synthetic(n_servers: int = N_SERVERS, n_days: int = N_DAYS, seed: int = 2011) -> np.ndarray:
    """``(n_servers, 288 * n_days)`` float32 from shifted/scaled PlanetLab day profiles."""
    frame, _ = read_traces(PLANETLAB, dtype="float32", progress=False)
    profiles = frame.to_numpy().T.copy()  # (1052, 288)
    rng = np.random.default_rng(seed)
    n_t = profiles.shape[1]
    pick = rng.integers(0, profiles.shape[0], n_servers)
    shift = rng.integers(0, n_t, n_servers)
    cols = (np.arange(n_t)[None, :] + shift[:, None]) % n_t
    day = (
        profiles[pick[:, None], cols] * rng.uniform(0.5, 1.5, n_servers).astype(np.float32)[:, None]
    )
    np.minimum(day, 100.0, out=day)
    return np.tile(day, (1, n_days))


def _real(path: Path, name: str) -> dict:
    t0 = time.perf_counter()
    frame, _ = read_traces(path, progress=False)
    t_read = time.perf_counter() - t0
    t0 = time.perf_counter()
    r = whitespace.analyze(frame)
    t_an = time.perf_counter() - t0
    return {
        "trace": name,
        "servers": r.servers,
        "steps": r.steps,
        "unit": r.unit,
        "read_s": round(t_read, 3),
        "analyze_s": round(t_an, 4),
        "sum_of_peaks": round(r.sum_of_peaks, 2),
        "composite_peak": round(r.composite_peak, 2),
        "composite_mean": round(r.composite_mean, 2),
        "peak_ratio": round(r.peak_ratio, 3),
        "white_space_pct": round(r.white_space_pct, 2),
        "mean_white_space_pct": round(r.mean_white_space_pct, 2),
        "capacity_needed_10pct_headroom": round(r.capacity_needed, 1),
        "idle_servers": len(r.idle_servers),
    }


def _interleaved(fns: dict, repeats: int = REPEATS) -> dict[str, float]:
    """Best wall time of each function, the functions run in turn ``repeats`` times.

    Interleaving keeps the numpy.sum baseline and each analysis under the same load, so the
    ratios are measured in the same run even when the machine is shared.
    """
    best = dict.fromkeys(fns, float("inf"))
    for _ in range(repeats):
        for name, fn in fns.items():
            t0 = time.perf_counter()
            fn()
            best[name] = min(best[name], time.perf_counter() - t0)
    return best


def _one_thread(fn: Callable[[], object]) -> object:
    """``fn()`` with :func:`colonykit.whitespace.fused_pass` on the caller's thread only."""
    saved = whitespace.PASS_THREADS
    whitespace.PASS_THREADS = 1
    try:
        return fn()
    finally:
        whitespace.PASS_THREADS = saved


def _synthetic_part() -> dict:
    t0 = time.perf_counter()
    a = synthetic()
    t_build = time.perf_counter() - t0
    w = a.T  # (time, server) view
    t = _interleaved(
        {
            "sum": lambda: np.sum(a),
            "hot": lambda: whitespace.analyze(w, unit="cpu_pct", spikes=False, validate=False),
            "validated": lambda: whitespace.analyze(w, unit="cpu_pct", spikes=False),
            "exact": lambda: whitespace.analyze(w, unit="cpu_pct", validate=False),
            "exact_one_thread": lambda: _one_thread(
                lambda: whitespace.analyze(w, unit="cpu_pct", validate=False)
            ),
            "approx": lambda: whitespace.analyze(
                w, unit="cpu_pct", validate=False, percentile_method="approx"
            ),
        }
    )
    ex = whitespace.analyze(w, unit="cpu_pct", validate=False)
    exact = ex.per_server["p95"].to_numpy()
    apx = whitespace.analyze(w, unit="cpu_pct", validate=False, percentile_method="approx")
    _, apx_bound = whitespace.quantile_per_server(w, 95, method="approx")
    apx_err = np.abs(apx.per_server["p95"].to_numpy() - exact)
    r = whitespace.analyze(w, unit="cpu_pct", spikes=False, validate=False)
    t_sum = t["sum"]
    return {
        "shape": list(w.shape),
        "dtype": str(a.dtype),
        "bytes": int(a.nbytes),
        "build_s": round(t_build, 3),
        "repeats": REPEATS,
        "numpy_sum_s": round(t_sum, 4),
        "analyze_hot_s": round(t["hot"], 4),
        "ratio_hot_to_sum": round(t["hot"] / t_sum, 2),
        "analyze_validated_s": round(t["validated"], 4),
        "ratio_validated_to_sum": round(t["validated"] / t_sum, 2),
        "analyze_with_p95_spikes_s": round(t["exact"], 3),
        "ratio_with_p95_to_sum": round(t["exact"] / t_sum, 2),
        "goal_ratio_with_p95": GOAL_EXACT,
        "pass_threads": min(whitespace.PASS_THREADS, os.cpu_count() or 1),
        "ratio_with_p95_one_thread_to_sum": round(t["exact_one_thread"] / t_sum, 2),
        "meets_exact_goal": t["exact"] / t_sum <= GOAL_EXACT,
        "exact_p95_equals_numpy_percentile": bool(
            np.array_equal(exact, np.percentile(w, 95, axis=0).astype(np.float64))
        ),
        "analyze_with_approx_p95_s": round(t["approx"], 3),
        "ratio_with_approx_p95_to_sum": round(t["approx"] / t_sum, 2),
        "goal_ratio_with_approx_p95": GOAL_APPROX,
        "meets_approx_goal": t["approx"] / t_sum <= GOAL_APPROX,
        "approx_p95_error_max": round(float(apx_err.max()), 4),
        "approx_p95_error_median": round(float(np.median(apx_err)), 4),
        "approx_p95_stated_bound_max": round(apx.parameters["percentile_error_max"], 4),
        "approx_p95_stated_bound_median": round(float(np.median(apx_bound)), 4),
        "approx_within_stated_bound": bool((apx_err <= apx_bound + 1e-9).all()),
        "approx_fallback_servers": apx.parameters["percentile_fallback_servers"],
        "approx_fallback_rate": round(
            apx.parameters["percentile_fallback_servers"] / w.shape[1], 5
        ),
        "goal_ratio": 3.0,
        "white_space_pct": round(r.white_space_pct, 2),
        "sum_of_peaks": round(r.sum_of_peaks, 1),
        "composite_peak": round(r.composite_peak, 1),
    }


def _dask_part() -> dict:
    import tempfile

    try:
        from colonykit import scale

        client = scale.local_client(n_workers=1, threads_per_worker=2, processes=False)
    except ImportError as exc:
        return {"skipped": str(exc)}
    import pandas as pd

    frame, _ = read_traces(PLANETLAB, progress=False)
    mem = whitespace.analyze(frame)
    long = pd.read_csv(PLANETLAB / "planetlab_20110303.csv.gz")
    try:
        with tempfile.TemporaryDirectory() as d:
            for i, rows in enumerate(np.array_split(np.arange(len(long)), 8)):
                long.iloc[rows].to_parquet(Path(d) / f"part{i}.parquet")
            t0 = time.perf_counter()
            dsk = scale.analyze_dask(d, spikes=True, client=client)
            t_dask = time.perf_counter() - t0
    finally:
        client.close()
        client.cluster.close()
    return {
        "trace": "planetlab_20110303 as 8 Parquet files",
        "rows": len(long),
        "dask_s": round(t_dask, 3),
        "equal_to_in_memory": bool(
            dsk.sum_of_peaks == mem.sum_of_peaks
            and dsk.composite_peak == mem.composite_peak
            and np.allclose(dsk.composite.to_numpy(), mem.composite.to_numpy())
            and np.allclose(dsk.per_server.sort_index()["p95"], mem.per_server.sort_index()["p95"])
        ),
        "white_space_pct": round(dsk.white_space_pct, 2),
    }


#: Issue 25's goal: analyze with the exact p95 within this many numpy.sum passes of the same
#: C-contiguous float32 10,000 × 8,640 random matrix.
GOAL_RANDOM_EXACT = 10.0


def _select(jit: bool | None, fn: Callable[[], object]) -> object:
    """``fn()`` with the percentile selection forced to the compiled kernel or ``np.partition``."""
    saved = whitespace.SELECT_JIT
    whitespace.SELECT_JIT = jit
    try:
        return fn()
    finally:
        whitespace.SELECT_JIT = saved


def _processor() -> str:
    """The CPU model (``/proc/cpuinfo``), else ``platform.processor()``."""
    import platform

    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _random_part() -> dict:
    """Exact p95 by selection on a random matrix (issue 25 item 4): compiled histogram selection
    (numba, already imported in a long-running process) and ``np.partition``, both against one
    ``numpy.sum`` of the same C-contiguous array, best of ``REPEATS`` interleaved runs (wall) and
    of 3 (CPU time of the process, both threads)."""
    a = np.random.default_rng(25).random((N_SERVERS, 288 * N_DAYS), dtype=np.float32)
    w = a.T
    jit = whitespace.select_jit_available()
    fns: dict[str, Callable[[], object]] = {
        "sum": lambda: np.sum(a),
        "partition": lambda: _select(False, lambda: whitespace.analyze(w, validate=False)),
    }
    if jit:
        _select(True, lambda: whitespace.analyze(w[:, :64], validate=False))  # compile / load
        fns["jit"] = lambda: _select(True, lambda: whitespace.analyze(w, validate=False))
    t = _interleaved(fns)
    # CPU time too (both threads of the pass counted): on a shared machine the wall-clock ratio
    # depends on what else runs, the CPU ratio much less
    cpu = dict.fromkeys(fns, float("inf"))
    for _ in range(3):
        for name, fn in fns.items():
            c0 = time.process_time()
            fn()
            cpu[name] = min(cpu[name], time.process_time() - c0)
    out: dict[str, object] = {
        "shape": list(a.shape),
        "processor": _processor(),
        "pass_threads": min(whitespace.PASS_THREADS, os.cpu_count() or 1),
        "numpy_sum_cpu_s": round(cpu["sum"], 4),
        "ratio_exact_p95_partition_to_sum_cpu": round(cpu["partition"] / cpu["sum"], 2),
        "numpy_sum_s": round(t["sum"], 4),
        "analyze_exact_p95_partition_s": round(t["partition"], 3),
        "ratio_exact_p95_partition_to_sum": round(t["partition"] / t["sum"], 2),
        "goal_ratio": GOAL_RANDOM_EXACT,
        "meets_goal": t["partition"] / t["sum"] <= GOAL_RANDOM_EXACT,
    }
    if jit:
        out["analyze_exact_p95_selection_jit_s"] = round(t["jit"], 3)
        out["ratio_exact_p95_selection_jit_to_sum"] = round(t["jit"] / t["sum"], 2)
        out["ratio_exact_p95_selection_jit_to_sum_cpu"] = round(cpu["jit"] / cpu["sum"], 2)
        out["meets_goal"] = t["jit"] / t["sum"] <= GOAL_RANDOM_EXACT
        got = _select(True, lambda: whitespace.analyze(w[:, :500], validate=False))
        out["jit_equals_numpy_percentile"] = bool(
            np.array_equal(
                got.per_server["p95"].to_numpy(),  # type: ignore[attr-defined]
                np.percentile(w[:, :500], 95, axis=0).astype(np.float64),
            )
        )
    return out


def run() -> dict:
    out: dict = {
        "random_exact_p95": _random_part(),
        "synthetic": _synthetic_part(),
        "real": [_real(PLANETLAB, "planetlab_20110303 (bundled)")],
        "dask": _dask_part(),
    }
    for path, name in [
        (
            SHARED / "bitbrains_rnd" / "bitbrains_rnd_20130902_7d.csv.gz",
            "bitbrains_rnd 7d (shared)",
        ),
        (SHARED / "azure_v1_sample" / "azure_v1_100vm_cpu.csv.gz", "azure_v1 100 VMs (shared)"),
        (SHARED / "gcd_vms" / "gcd_vms_1600.csv.gz", "google-derived 1600 VM-days (shared)"),
    ]:
        if path.is_file():
            out["real"].append(_real(path, name))
        else:
            out["real"].append({"trace": name, "skipped": "../shared/data not present"})
    return out


if __name__ == "__main__":
    import json

    print(json.dumps(run(), indent=2))
