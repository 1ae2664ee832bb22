"""Fewer hosts by annealing at a fixed host count (time-series packings; issue 26).

Starting from a feasible packing on ``m`` hosts, the least-loaded host is emptied onto the
others (each of its items, largest peak first, where it adds the least overload), and the
``m − 1``-host assignment is annealed towards no overload: the objective is the total
overload ``Σ_k Σ_t max(0, load_k(t) − C)``, the moves are relocations of one item and swaps
of two items of different hosts, each evaluated over the two hosts' series only
(:func:`colonykit.packing._anneal_kernel.anneal_hosts`, compiled by numba: about four million
moves per second on 288 steps, where the tabu :func:`~colonykit.packing.search.local_search`
makes some hundred iterations).  When no host is overloaded the packing (checked on exactly
summed loads) is kept and the next host is dropped, until the lower bound or the move
budget (:func:`default_anneal_moves`, a fixed amount of work per instance shape, so the same
input gives the same packing on every machine) is reached.  Only feasible packings are
returned, so the result never uses more hosts than its start.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from colonykit.packing import _anneal_kernel
from colonykit.packing.problem import CAPACITY_RTOL, _renumber
from colonykit.packing.search import LOCAL_SEARCH_SEED, _host_loads, _overload

#: Default moves of the anneal per server (colonykit default, tuning only): 40,000 × 1,052
#: servers = 42 million moves on PlanetLab 2011-03-03, about 10 s of CPU on the loaded
#: 2-core development machine (4 million moves per second), which reached 45 hosts there
#: (46 before) on each seed tried (2011, 1–4); 44 took 400 million moves (cycles of 20 million,
#: 84–90 s of CPU) on seed 2011.
ANNEAL_MOVES_PER_ITEM = 40_000
#: Default work of the anneal in demand cells at most (moves × steps; a move reads at most
#: the two hosts' series): 42 million moves × 288 steps ≈ 1.2·10¹⁰, under this cap (colonykit default,
#: tuning only).
ANNEAL_WORK_CELLS = 12_500_000_000
#: Cooling cycles in the default budget: the temperature falls from its start to its end
#: over ``moves // ANNEAL_CYCLES`` moves, then starts again (reheats: with 4 cycles one of
#: 4 seeds stayed at 25 MIPS·steps of overload on 45 hosts, with 8 it reached 45; tuning).
ANNEAL_CYCLES = 8
#: Temperature at a cycle's start, × capacity (demand unit × steps): a move adding 20 % of
#: a host's capacity of overload at one step is taken with probability 1/e (tuning only).
ANNEAL_T_START_FRAC = 0.2
#: Temperature at a cycle's end, × capacity (tuning only).
ANNEAL_T_END_FRAC = 0.0002
#: Probability that a move's item is drawn among the items on overloaded hosts.
ANNEAL_BIAS = 0.8
#: Probability that a move is a swap (else a relocation).
ANNEAL_SWAP_FRAC = 0.5


@dataclass(frozen=True)
class AnnealStats:
    """What :func:`anneal_search` did.

    Attributes
    ----------
    hosts_before : int
        Hosts of the packing it started from.
    hosts_after : int
        Hosts of the best feasible packing found.
    moves : int
        Moves drawn (taken or not).
    overload_left : float
        The least total overload (demand unit × steps) reached on the last host count tried
        (0 when that attempt succeeded, i.e. the bound or the budget stopped it).
    """

    hosts_before: int
    hosts_after: int
    moves: int
    overload_left: float = 0.0


def anneal_compiled() -> bool:
    """Whether the compiled anneal can run (numba, ``pip install 'colonykit[fast]'``).

    Examples
    --------
    >>> isinstance(anneal_compiled(), bool)
    True
    """
    try:
        import colonykit.packing._anneal_jit  # noqa: F401
    except ImportError:
        return False
    return True


def default_anneal_moves(items: int, steps: int) -> int:
    """Default move budget of :func:`anneal_search`: ``ANNEAL_MOVES_PER_ITEM × items``, at most
    ``ANNEAL_WORK_CELLS // steps`` (it depends on the instance's shape only).

    Parameters
    ----------
    items : int
        Servers.
    steps : int
        Time steps.

    Returns
    -------
    int
        Moves.

    Examples
    --------
    >>> default_anneal_moves(1052, 288)  # PlanetLab 2011-03-03: 40,000 per server
    42080000
    >>> default_anneal_moves(500, 8640)  # 30 days of 5-minute steps: the work cap
    1446759
    """
    return int(
        min(ANNEAL_MOVES_PER_ITEM * max(int(items), 1), ANNEAL_WORK_CELLS // max(int(steps), 1))
    )


def _spread(matrix: np.ndarray, host_of: np.ndarray, capacity: float, m: int) -> np.ndarray:
    """Empty the least-loaded of ``m`` hosts: its items, largest peak first (stable), each onto
    the host (lowest index on ties) where it adds the least overload; hosts 0 … m − 2."""
    loads = _host_loads(matrix, host_of, m)
    drop = int(np.argmin(loads.sum(axis=1)))
    keep = np.flatnonzero(np.arange(m) != drop)
    new_id = np.full(m, -1, dtype=np.int64)
    new_id[keep] = np.arange(m - 1)
    out = new_id[host_of]
    rest = loads[keep]
    items = np.flatnonzero(host_of == drop)
    for i in items[np.argsort(-matrix[items].max(axis=1), kind="stable")]:
        added = _overload(rest + matrix[i], capacity) - _overload(rest, capacity)
        k = int(np.argmin(added))
        out[i] = k
        rest[k] += matrix[i]
    return out


def anneal_search(
    matrix: np.ndarray,
    host_of: np.ndarray,
    capacity: float,
    *,
    lower_bound: int = 1,
    seed: int = LOCAL_SEARCH_SEED,
    max_moves: int | None = None,
    jit: bool | None = None,
) -> tuple[np.ndarray, AnnealStats]:
    """Drop hosts from a feasible packing by annealing at each smaller host count.

    See the module docstring.  Each host count ``K`` is tried once, from the previous
    feasible packing with its least-loaded host spread (:func:`_spread`), annealed with the
    moves left of ``max_moves``; the seed of that attempt is ``seed`` mixed with ``K``, so
    the sequence of packings depends on the inputs and ``seed`` only.

    Exactly: the steps are read in decreasing order of summed demand (stable); the host count
    ``K = m − 1`` is annealed by :func:`~colonykit.packing._anneal_kernel.anneal_hosts` with
    ``moves = max_moves − used``, ``cycle = max(max_moves // ANNEAL_CYCLES, 1)``, temperatures
    ``ANNEAL_T_START_FRAC × capacity`` → ``ANNEAL_T_END_FRAC × capacity``, seed
    ``(seed × 2654435761 + K) & 0xFFFFFFFF``, ``ANNEAL_BIAS`` and ``ANNEAL_SWAP_FRAC`` (one
    host, ``K = 1``, is not annealed: its overload is the spread's); an attempt left with
    overload (or a load above ``capacity × (1 + CAPACITY_RTOL)``) stops the search, as do
    ``lower_bound`` (at least 1) and the budget.

    Parameters
    ----------
    matrix : numpy.ndarray
        Demand, shape (servers, steps).
    host_of : numpy.ndarray
        A feasible packing: host per server (any integer labels).
    capacity : float
        Usable capacity per host (same unit as ``matrix``).
    lower_bound : int
        Stop when the packing reaches this many hosts.
    seed : int
        Seed of the anneal's draws.
    max_moves : int, optional
        Moves at most over all host counts.  Default :func:`default_anneal_moves`.
    jit : bool, optional
        Run the compiled kernel (numba); ``False`` runs the same kernel plainly (the same
        packings, some hundred times slower: for small instances and tests).  Default:
        compiled when numba is installed.

    Returns
    -------
    host_of : numpy.ndarray
        Host per server (0-based, consecutive), feasible at every step.
    stats : AnnealStats
        Hosts before and after, moves drawn, overload left.

    Examples
    --------
    >>> m = np.array([[60., 10.], [10., 60.], [40., 40.], [40., 40.]])
    >>> start = np.array([0, 1, 2, 2])  # 3 hosts; 60+40 / 10+40 and 10+40 / 60+40 fit on 2
    >>> best, stats = anneal_search(m, start, 100, max_moves=1_000, jit=False)
    >>> int(best.max()) + 1, stats.hosts_before, stats.overload_left  # 1 host: 50 over at each step
    (2, 3, 100.0)
    >>> best, stats = anneal_search(m, start, 100, lower_bound=2, max_moves=1_000, jit=False)
    >>> int(best.max()) + 1, stats.overload_left  # stopped at the bound
    (2, 0.0)
    """
    # steps of the highest summed demand first: the objective does not depend on the steps'
    # order, and a move's overload passes the acceptance threshold (and the sum stops) sooner
    order = np.argsort(-matrix.sum(axis=0, dtype=np.float64), kind="stable")
    matrix = np.ascontiguousarray(matrix[:, order])
    current = _renumber(np.asarray(host_of))
    m = int(current.max()) + 1
    before = m
    budget = default_anneal_moves(*matrix.shape) if max_moves is None else int(max_moves)
    cycle = max(budget // ANNEAL_CYCLES, 1)
    if jit is None:
        jit = anneal_compiled()
    if jit:
        from colonykit.packing._anneal_jit import anneal_hosts
    else:
        anneal_hosts = _anneal_kernel.anneal_hosts
    limit = capacity * (1 + CAPACITY_RTOL)
    used, left = 0, 0.0
    while m > max(int(lower_bound), 1) and used < budget:
        start = _spread(matrix, current, capacity, m)
        if m - 1 == 1:  # one host: nothing to move
            best, left = start, float(_overload(_host_loads(matrix, start, 1), capacity)[0])
        else:
            best, over, done = anneal_hosts(
                matrix,
                start.copy(),
                m - 1,
                float(capacity),
                budget - used,
                cycle,
                ANNEAL_T_START_FRAC * capacity,
                ANNEAL_T_END_FRAC * capacity,
                (int(seed) * 2654435761 + m - 1) & _anneal_kernel.MASK32,
                ANNEAL_BIAS,
                ANNEAL_SWAP_FRAC,
            )
            used += int(done)
            left = float(over)
        if left > 0 or _host_loads(matrix, best, m - 1).max() > limit:
            break
        current, m = _renumber(best), m - 1
    return current, AnnealStats(before, m, used, round(left, 6))


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
]
