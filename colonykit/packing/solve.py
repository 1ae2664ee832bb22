"""The orchestrator :func:`pack`: validate, bound, construct, search, MILP, result."""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from colonykit.errors import InputError, must_be, unknown_name
from colonykit.packing.anneal import (
    AnnealStats,
    anneal_compiled,
    anneal_search,
    default_anneal_moves,
)
from colonykit.packing.bounds import lower_bound, with_lp_bound
from colonykit.packing.construct import (
    BALANCE_TRIES,
    IMPROVE_MAX_TRIES,
    SMALL_INSTANCE_CELLS,
    _starts,
)
from colonykit.packing.ffd import ffd_peak
from colonykit.packing.milp import MILP_MAX_ITEMS, MILP_TIME_LIMIT_S, pack_milp
from colonykit.packing.pool import POOL_THEN_SEARCH_FRAC, pool_search
from colonykit.packing.problem import DEFAULT_MAX_UTIL_PCT, PackingProblem
from colonykit.packing.result import PackingResult
from colonykit.packing.search import (
    LOCAL_SEARCH_LARGE_S,
    LOCAL_SEARCH_MIN_ITERS,
    LOCAL_SEARCH_SEED,
    LOCAL_SEARCH_TIME_S,
    SearchStats,
    _host_loads,
    default_iterations,
    local_search,
)

Method = Literal["auto", "milp", "heuristic"]
METHODS: tuple[str, ...] = ("auto", "milp", "heuristic")


def pack(
    demand: pd.DataFrame | npt.ArrayLike,
    host_capacity: float,
    max_util_pct: float = DEFAULT_MAX_UTIL_PCT,
    *,
    method: Method = "auto",
    memory_mib: Mapping[str, float] | pd.Series | None = None,
    host_memory_mib: float | None = None,
    anti_affinity: Iterable[Sequence[str]] | None = None,
    milp_max_items: int = MILP_MAX_ITEMS,
    time_limit_s: float = MILP_TIME_LIMIT_S,
    improve: bool = True,
    local_search_s: float | None = None,
    seed: int = LOCAL_SEARCH_SEED,
    local_search_iters: int | None = None,
    jit: bool | None = None,
    lp: bool = True,
    pool_max_iters: int | None = None,
    anneal_moves: int | None = None,
) -> PackingResult:
    """Assign servers to hosts so every host stays within capacity at every time step.

    Parameters
    ----------
    demand : pandas.DataFrame
        Wide demand frame (time × server), in one unit (``attrs["unit"]``).
    host_capacity : float
        Capacity of one host/LPAR in the demand's unit (for ``cpu_pct`` traces,
        percentage points of one source server), > 0.
    max_util_pct : float
        Maximum utilization target of a host [%], 0 < x ≤ 100 (default 100).
    method : {"auto", "milp", "heuristic"}
        See the module docstring.
    memory_mib : mapping or Series, optional
        Memory per server [MiB] (static); needs ``host_memory_mib``.
    host_memory_mib : float, optional
        Memory per host [MiB].
    anti_affinity : iterable of (server, server), optional
        Pairs that must be on different hosts (e.g. redundant nodes).
    milp_max_items : int
        ``"auto"`` runs the MILP up to this many servers.
    time_limit_s : float
        HiGHS time limit [s].
    improve : bool
        Run the heuristic's improvement pass.
    local_search_s : float, optional
        Wall-clock safety net of :func:`local_search` after construction [s] (0 = off); it
        runs only while the packing is above the lower bound.  Default
        ``LOCAL_SEARCH_TIME_S`` (60 s, far above what the default iterations take) up to
        ``SMALL_INSTANCE_CELLS`` servers × steps, ``LOCAL_SEARCH_LARGE_S`` (off) beyond (each
        search step there reads whole long series; the construction is what counts).
    seed : int
        Seed of the local search and the anneal (same seed, same packings).
    local_search_iters : int, optional
        Iterations of the local search at most.  Default :func:`default_iterations` (a
        fixed amount of work for the instance's shape), so the same input gives the same
        packing on every machine; ``result.search.iterations`` reports those used.
    jit : bool, optional
        Compiled construction loop (numba, ``pip install 'colonykit[fast]'``): the same
        packing, faster on large instances.  Default: when numba is installed and the
        instance has at least ``JIT_MIN_CELLS`` servers × steps.  ``True`` without numba
        raises an error naming the extra.  The anneal (``anneal_moves``) runs only compiled:
        ``jit=False`` skips it.
    lp : bool
        Compute the LP bound (:func:`colonykit.packing.bounds.lp_bound`, column generation)
        when the packing is above the other bounds, on instances up to
        ``SMALL_INSTANCE_CELLS`` servers × steps.
    pool_max_iters : int, optional
        Iterations of the pool repair (:func:`colonykit.packing.pool.pool_search`) on
        one-step instances without memory or anti-affinity (classic bin packing), run before
        the local search while the packing is above the bound.  Default
        :func:`colonykit.packing.pool.pool_iterations`.
    anneal_moves : int, optional
        Moves of the anneal at a fixed host count (:func:`colonykit.packing.anneal.anneal_search`)
        after the local search, while the packing is above the bound (0 = off).  It runs on
        time-series instances (more than one step) up to ``SMALL_INSTANCE_CELLS`` servers ×
        steps, without memory or anti-affinity, with the compiled kernel only (numba, unless
        ``jit=False``; plain it would take hours at the default budget) and when the
        searches are on (``improve`` and ``local_search_s > 0``).  Default
        :func:`colonykit.packing.anneal.default_anneal_moves` (a fixed amount of work for
        the instance's shape); ``result.anneal`` reports what it did.

    Returns
    -------
    colonykit.packing.PackingResult
        Hosts used, best lower bound and gap, assignment, per-host series and summary.

    Raises
    ------
    InputError
        Bad demand (NaN, negative, empty), non-positive capacity, bad utilization, bad pairs,
        a negative or non-integer ``anneal_moves``.
    CapacityError
        A server's own peak (or memory) exceeds one host.

    Examples
    --------
    >>> demand = pd.DataFrame({"a": [50, 50], "b": [50, 10], "c": [10, 50], "d": [40, 40]})
    >>> r = pack(demand, host_capacity=100, method="milp")
    >>> r.hosts_used, r.lower_bound, r.ffd_peak_hosts, r.optimal
    (2, 2, 2, True)
    >>> sorted(r.host_series.max().tolist())
    [60.0, 90.0]
    """
    if method not in METHODS:
        err = unknown_name("packing method", method, METHODS)
        raise err
    if anneal_moves is not None and not (
        isinstance(anneal_moves, (int, np.integer))
        and not isinstance(anneal_moves, bool)
        and anneal_moves >= 0
    ):
        raise InputError(must_be("anneal_moves", "an integer >= 0 (0 = off)", anneal_moves))
    problem = PackingProblem.from_demand(
        demand,
        host_capacity,
        max_util_pct,
        memory_mib=memory_mib,
        host_memory_mib=host_memory_mib,
        anti_affinity=anti_affinity,
    )
    matrix, cap, names, index = problem.matrix, problem.capacity, problem.names, problem.index
    mem, hmem, conflicts = problem.memory, problem.host_memory, problem.conflicts
    n = len(names)
    peaks = matrix.max(axis=1).astype(np.float64)
    lb = lower_bound(matrix, cap, memory=mem, host_memory=hmem, conflicts=conflicts)
    ffd_hosts = (
        int(ffd_peak(peaks, cap, memory=mem, host_memory=hmem, conflicts=conflicts).max()) + 1
    )
    starts = _starts(
        matrix,
        cap,
        memory=mem,
        host_memory=hmem,
        conflicts=conflicts,
        improve=improve,
        max_tries=IMPROVE_MAX_TRIES,
        balance_tries=BALANCE_TRIES,
        lower_bound_hosts=int(lb),
        jit=jit,
        min_slack=True,
        all_starts=True,
    )
    starts.sort(key=lambda h: int(h.max()))  # fewest hosts first (stable: classic on ties)
    host_of = starts[0]
    used_method, optimal = "heuristic", False
    search: SearchStats | None = None
    max_iters = (
        default_iterations(*matrix.shape) if local_search_iters is None else int(local_search_iters)
    )
    if local_search_s is None:
        local_search_s = (
            LOCAL_SEARCH_TIME_S if matrix.size <= SMALL_INSTANCE_CELLS else LOCAL_SEARCH_LARGE_S
        )
    if lp and matrix.size <= SMALL_INSTANCE_CELLS and int(host_of.max()) + 1 > lb:
        # the LP bound costs seconds on a thousand sizes: only when the packing is not proved yet
        lb = with_lp_bound(lb, matrix, cap, hosts_used=int(host_of.max()) + 1)
    pool_iters = 0
    if (
        matrix.shape[1] == 1
        and mem is None
        and not conflicts
        and improve
        and local_search_s > 0
        and int(host_of.max()) + 1 > lb
    ):
        # one step, no memory, no anti-affinity: bin packing; drop hosts, repair through a pool,
        # then a share of the local search from its packing only (the best start's)
        t0 = time.perf_counter()
        found, pool_iters = pool_search(
            matrix[:, 0], host_of, cap, lower_bound=int(lb), seed=seed, max_iters=pool_max_iters
        )
        before = int(host_of.max()) + 1
        if int(found.max()) < int(host_of.max()):
            host_of = found
        starts = [host_of]
        if local_search_iters is None:
            max_iters = max(int(max_iters * POOL_THEN_SEARCH_FRAC), LOCAL_SEARCH_MIN_ITERS)
        stopped = "lower bound reached" if int(host_of.max()) + 1 <= lb else "pool iteration limit"
        search = SearchStats(
            before,
            int(host_of.max()) + 1,
            0,
            round(time.perf_counter() - t0, 3),
            stopped,
            pool_iterations=pool_iters,
        )
    for start in starts:  # from each packing in turn until one reaches the bound
        if int(host_of.max()) + 1 <= lb or local_search_s <= 0:
            break
        found, stats = local_search(
            matrix,
            start,
            cap,
            memory=mem,
            host_memory=hmem,
            conflicts=conflicts,
            lower_bound=int(lb),
            time_limit_s=local_search_s,
            seed=seed,
            max_iters=max_iters,
        )
        if search is not None:  # the searches' totals
            stats = replace(
                stats,
                hosts_before=search.hosts_before,
                iterations=search.iterations + stats.iterations,
                seconds=round(search.seconds + stats.seconds, 3),
            )
        stats = replace(stats, pool_iterations=pool_iters)
        search = stats
        if int(found.max()) < int(host_of.max()):
            host_of = found
        search = replace(search, hosts_after=int(host_of.max()) + 1)
    annealed: AnnealStats | None = None
    moves = default_anneal_moves(*matrix.shape) if anneal_moves is None else int(anneal_moves)
    if (
        moves > 0
        and matrix.shape[1] > 1
        and matrix.size <= SMALL_INSTANCE_CELLS
        and mem is None
        and not conflicts
        and improve
        and local_search_s > 0
        and jit is not False
        and int(host_of.max()) + 1 > lb
        and anneal_compiled()
    ):
        found, annealed = anneal_search(
            matrix, host_of, cap, lower_bound=int(lb), seed=seed, max_moves=moves, jit=True
        )
        if int(found.max()) < int(host_of.max()):  # only feasible packings come back
            host_of = found
    heur_hosts = int(host_of.max()) + 1
    if method == "milp" or (method == "auto" and n <= milp_max_items and heur_hosts > lb):
        exact, proved = pack_milp(
            matrix,
            cap,
            memory=mem,
            host_memory=hmem,
            conflicts=conflicts,
            max_hosts=heur_hosts,
            time_limit_s=time_limit_s,
        )
        if exact is not None and int(exact.max()) + 1 <= heur_hosts:
            host_of, used_method, optimal = exact, "milp", proved
    hosts_used = int(host_of.max()) + 1
    bounds = dict(lb.bounds)
    best_bound, bound_name = int(lb), lb.bound
    if used_method == "milp" and optimal and hosts_used > best_bound:
        bounds["milp"] = best_bound = hosts_used  # HiGHS proved no packing uses fewer hosts
        bound_name = "milp"
    optimal = optimal or hosts_used == best_bound
    series = _host_loads(matrix, host_of, hosts_used)
    host_ids = [f"host{k:0{len(str(max(hosts_used - 1, 1)))}d}" for k in range(hosts_used)]
    host_series = pd.DataFrame(series.T, index=index, columns=host_ids)
    hosts = pd.DataFrame(
        {
            "servers": np.bincount(host_of, minlength=hosts_used),
            "peak": series.max(axis=1),
            "mean": series.mean(axis=1),
            "peak_pct_of_capacity": series.max(axis=1) / float(host_capacity) * 100.0,
        },
        index=pd.Index(host_ids, name="host"),
    )
    unit = str(demand.attrs.get("unit", "")) if isinstance(demand, pd.DataFrame) else ""
    return PackingResult(
        hosts_used=hosts_used,
        lower_bound=best_bound,
        ffd_peak_hosts=ffd_hosts,
        assignment={s: host_ids[int(h)] for s, h in zip(names, host_of, strict=True)},
        host_series=host_series,
        method=used_method,
        optimal=bool(optimal),
        capacity=cap,
        host_capacity=float(host_capacity),
        unit=unit,
        hosts=hosts,
        bound=bound_name,
        bounds=bounds,
        gap_hosts=hosts_used - best_bound,
        search=search,
        anneal=annealed,
    )


__all__ = [
    "METHODS",
    "pack",
]
