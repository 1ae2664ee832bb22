"""Time-series-aware packing of guests onto hosts/LPARs (seed 003 §2.3, white space).

Distributed servers are sized for their individual peaks, but a host only has to
carry the *composite* of the guests placed on it (SG24-6299 §2.3: "distributed
servers are designed for the individual peaks … an overdesign for the composite
peak").  :func:`pack` therefore assigns servers to hosts of a given capacity so
that, **at every time step**, each host's summed demand stays within
``host_capacity × max_util_pct / 100``.  It reports

* ``hosts_used`` — hosts the time-series packing needs,
* ``lower_bound`` — the best of the composite, Martello–Toth L2 (per step), memory and
  clique bounds (no placement can do better; ``bound`` names it, ``gap_hosts`` the gap),
* ``ffd_peak_hosts`` — classic first-fit-decreasing on individual peaks, for comparison,
* ``assignment`` and ``host_series`` (time × host demand).

Methods (see ``docs/packing.md``):

``"heuristic"``
    Vectorized over time: every item is checked against all open hosts with one
    matrix operation.  Two constructions are run — time-series first-fit-decreasing
    (by peak) and a *balanced* fill in order of a time-aware size (mean + standard
    deviation of the series; also in peak order for small instances) that starts with ``lower_bound`` hosts and puts each item
    on the feasible host whose peak after adding it is lowest (min-max over time,
    so peaks land in other guests' troughs), opening a host only when an item fits
    nowhere (retried with one more starting host while that happens, then with
    fewer hosts than the best packing found) — the best is kept, after an
    improvement pass that tries to empty the lightest hosts into the others; then
    :func:`local_search` (moves, 1-1 and 2-1 swaps; time- and iteration-limited), then on
    time-series instances :func:`anneal_search` (simulated annealing of the total overload
    at one host fewer, compiled with numba; a fixed move budget).  On
    one-step instances without memory or anti-affinity (classic bin packing),
    :func:`pool_search` runs first: it drops the two least-loaded hosts into a pool and
    exchanges servers between the pool and the hosts until the pool fits one host.
    First fit and the peak order run only up to ``SMALL_INSTANCE_CELLS``.
``"milp"``
    Exact bin packing with one knapsack row per (host, non-dominated time step),
    solved by :func:`scipy.optimize.milp` (HiGHS).  Only for small instances.
``"auto"``
    ``"milp"`` up to ``milp_max_items`` servers (and never worse than the
    heuristic), ``"heuristic"`` beyond.

Examples
--------
>>> import pandas as pd
>>> from colonykit.packing import pack
>>> demand = pd.DataFrame({"web": [60, 10, 10], "batch": [10, 60, 10], "db": [10, 10, 60]})
>>> r = pack(demand, host_capacity=100)
>>> r.hosts_used, r.lower_bound, r.ffd_peak_hosts
(1, 1, 3)
"""

from __future__ import annotations

from colonykit.packing.anneal import (
    ANNEAL_BIAS,
    ANNEAL_CYCLES,
    ANNEAL_MOVES_PER_ITEM,
    ANNEAL_SWAP_FRAC,
    ANNEAL_T_END_FRAC,
    ANNEAL_T_START_FRAC,
    ANNEAL_WORK_CELLS,
    AnnealStats,
    anneal_compiled,
    anneal_search,
    default_anneal_moves,
)
from colonykit.packing.bounds import (
    BOUND_NAMES,
    CLIQUE_MAX_ITEMS,
    L2_MAX_STEPS,
    LowerBound,
    clique_bound,
    l2_bound,
    lower_bound,
)
from colonykit.packing.construct import (
    BALANCE_DOWN_MISSES,
    BALANCE_TRIES,
    IMPROVE_MAX_TRIES,
    IMPROVE_MAX_TRIES_LARGE,
    JIT_MIN_CELLS,
    SCREEN_BATCH,
    SCREEN_BLOCK_STEPS,
    SCREEN_GATHER_FRAC,
    SCREEN_TIGHT_BLOCKS,
    SMALL_INSTANCE_CELLS,
    jit_available,
    pack_heuristic,
)
from colonykit.packing.ffd import ffd_peak
from colonykit.packing.milp import MILP_MAX_ITEMS, MILP_TIME_LIMIT_S, pack_milp
from colonykit.packing.pool import (
    POOL_ITERS_PER_ITEM,
    POOL_MAX_ITERS,
    POOL_MIN_ITERS,
    POOL_PACK_SET_HOSTS,
    POOL_PACK_SET_MAX_CAPACITY,
    POOL_PAIR_ITEMS,
    POOL_STALL,
    POOL_TABU_MAX,
    POOL_TABU_MIN,
    POOL_THEN_SEARCH_FRAC,
    pool_iterations,
    pool_search,
)
from colonykit.packing.problem import (
    CAPACITY_RTOL,
    DEFAULT_MAX_UTIL_PCT,
    PackingProblem,
    demand_matrix,
    effective_capacity,
)
from colonykit.packing.result import PackingResult
from colonykit.packing.search import (
    LOCAL_SEARCH_ITEMS,
    LOCAL_SEARCH_ITER_CELLS,
    LOCAL_SEARCH_LARGE_S,
    LOCAL_SEARCH_MAX_ITERS,
    LOCAL_SEARCH_MIN_ITERS,
    LOCAL_SEARCH_SEED,
    LOCAL_SEARCH_STALL,
    LOCAL_SEARCH_TABU,
    LOCAL_SEARCH_TIME_S,
    LOCAL_SEARCH_WORK_CELLS,
    SWAP_MAX_CELLS,
    SearchStats,
    default_iterations,
    local_search,
)
from colonykit.packing.solve import METHODS, Method, pack

__all__ = [
    "ANNEAL_BIAS",
    "ANNEAL_CYCLES",
    "ANNEAL_MOVES_PER_ITEM",
    "ANNEAL_SWAP_FRAC",
    "ANNEAL_T_END_FRAC",
    "ANNEAL_T_START_FRAC",
    "ANNEAL_WORK_CELLS",
    "AnnealStats",
    "anneal_compiled",
    "anneal_search",
    "default_anneal_moves",
    "BALANCE_DOWN_MISSES",
    "BALANCE_TRIES",
    "BOUND_NAMES",
    "CAPACITY_RTOL",
    "CLIQUE_MAX_ITEMS",
    "DEFAULT_MAX_UTIL_PCT",
    "IMPROVE_MAX_TRIES",
    "IMPROVE_MAX_TRIES_LARGE",
    "JIT_MIN_CELLS",
    "L2_MAX_STEPS",
    "LOCAL_SEARCH_ITEMS",
    "LOCAL_SEARCH_ITER_CELLS",
    "LOCAL_SEARCH_LARGE_S",
    "LOCAL_SEARCH_MAX_ITERS",
    "LOCAL_SEARCH_MIN_ITERS",
    "LOCAL_SEARCH_SEED",
    "LOCAL_SEARCH_STALL",
    "LOCAL_SEARCH_TABU",
    "LOCAL_SEARCH_TIME_S",
    "LOCAL_SEARCH_WORK_CELLS",
    "METHODS",
    "MILP_MAX_ITEMS",
    "MILP_TIME_LIMIT_S",
    "POOL_ITERS_PER_ITEM",
    "POOL_MAX_ITERS",
    "POOL_MIN_ITERS",
    "POOL_PACK_SET_HOSTS",
    "POOL_PACK_SET_MAX_CAPACITY",
    "POOL_PAIR_ITEMS",
    "POOL_STALL",
    "POOL_TABU_MAX",
    "POOL_TABU_MIN",
    "POOL_THEN_SEARCH_FRAC",
    "SCREEN_BATCH",
    "SCREEN_BLOCK_STEPS",
    "SCREEN_GATHER_FRAC",
    "SCREEN_TIGHT_BLOCKS",
    "SMALL_INSTANCE_CELLS",
    "SWAP_MAX_CELLS",
    "LowerBound",
    "PackingProblem",
    "Method",
    "PackingResult",
    "SearchStats",
    "clique_bound",
    "default_iterations",
    "demand_matrix",
    "effective_capacity",
    "ffd_peak",
    "jit_available",
    "l2_bound",
    "local_search",
    "lower_bound",
    "pack",
    "pack_heuristic",
    "pack_milp",
    "pool_iterations",
    "pool_search",
]
