"""The annealing kernel at a fixed host count: one source, run plain or compiled by numba.

:func:`anneal_hosts` minimises the total overload ``Σ_k Σ_t max(0, L[k, t] − C)`` of an
assignment of items to ``K`` hosts by simulated annealing over two moves: relocate one item
to another host, or swap two items of different hosts.  A move's change of the objective
is computed over the two hosts' series only (O(steps) per move).  It stops as soon as no
host is overloaded.

The same function objects run in both paths: called plainly (Python loops, slow: for tests
and small instances) or compiled by :mod:`colonykit.packing._anneal_jit`
(``numba.njit(anneal_hosts)``, whose ``py_func`` is this :func:`anneal_hosts`).  Both make
the same draws and decisions: the random numbers come from :func:`xorshift32` on plain
integers (no numpy or numba generator), sums are sequential float64 loops (numba does not
reorder them without ``fastmath``), and ``math.exp`` is the C library's in both.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["MASK32", "anneal_hosts", "xorshift32"]

#: Low 32 bits.
MASK32 = 0xFFFFFFFF
_TWO32 = 4294967296.0


def xorshift32(state: int) -> int:
    """Next state of Marsaglia's xorshift32 generator (13, 17, 5), a nonzero 32-bit integer.

    Parameters
    ----------
    state : int
        Current state, 1 … 2³² − 1.

    Returns
    -------
    int
        Next state (also the random number drawn).

    Examples
    --------
    >>> xorshift32(1)
    270369
    >>> xorshift32(270369)
    67634689
    """
    x = state
    x ^= (x << 13) & MASK32
    x ^= x >> 17
    x ^= (x << 5) & MASK32
    return x


def anneal_hosts(
    matrix: np.ndarray,
    host_of: np.ndarray,
    hosts: int,
    capacity: float,
    moves: int,
    cycle: int,
    t_start: float,
    t_end: float,
    seed: int,
    bias: float,
    swap_frac: float,
) -> tuple[np.ndarray, float, int]:
    """Anneal ``host_of`` (changed in place) towards no overload on ``hosts`` hosts.

    Each move: with probability ``bias`` the item is drawn among those on overloaded hosts
    (uniform item draws, redrawn while the item's host is not overloaded, at most
    ``4 × hosts`` draws), else among all items; with probability ``swap_frac`` it swaps with
    an item of another host (uniform), else it moves to another host (uniform).  A move is
    taken when its change ``Δ`` of the overload is at most ``−temperature · ln(u)`` (``u``
    drawn uniform in (0, 1)): always when ``Δ ≤ 0``, with probability
    ``exp(−Δ / temperature)`` otherwise; the sum over the steps stops as soon as the new
    overloads (which only grow along the steps) pass that threshold.  The temperature falls geometrically from
    ``t_start`` to ``t_end`` over ``cycle`` moves and then starts again at ``t_start``.

    Exactly (each "step" below is one :func:`xorshift32` step of ``state``, started at
    ``seed & MASK32``, 1 if that is 0): the move drawn after ``used`` moves has the
    temperature ``t_start · r ** (used % cycle)`` with ``r = (t_end / t_start) ** (1 / cycle)``
    (``t_start`` multiplied by ``r`` once per move, reset every ``cycle`` moves);
    two steps, item ``i = state % n``; when ``(state >> 8) / 2**24 < bias`` and ``i``'s host is
    not overloaded, one step and ``i = state % n`` again, at most ``4 × hosts`` times; one
    step: a swap when ``state / 2**32 < swap_frac``, then one step and the partner
    ``j = state % n`` (a relocation when ``j`` is on ``i``'s host); for a relocation one step
    and the destination ``state % (hosts − 1)``, plus one when at or above ``i``'s host; one
    step and ``u = (state + 0.5) / 2**32``.  The least total overload is tracked on the
    assignments after each taken move (a strictly smaller one replaces it); moves stop at
    ``moves`` or when no host is overloaded.

    Parameters
    ----------
    matrix : numpy.ndarray
        (items, steps) demand.
    host_of : numpy.ndarray
        int64 host of each item, 0 … ``hosts`` − 1; changed in place (the last state).
    hosts : int
        Host count ``K`` (≥ 2).
    capacity : float
        Usable capacity ``C`` of a host.
    moves : int
        Moves to draw at most.
    cycle : int
        Moves per cooling cycle (≥ 1).
    t_start, t_end : float
        Temperatures at a cycle's start and end (demand unit × steps), > 0.
    seed : int
        Seed of :func:`xorshift32` (its low 32 bits; 0 is taken as 1).
    bias : float
        Probability of drawing the item among those on overloaded hosts.
    swap_frac : float
        Probability of a swap rather than a relocation.

    Returns
    -------
    best : numpy.ndarray
        The assignment of least total overload seen (the first one without overload when
        reached).
    overload : float
        Its total overload (0.0 when feasible).
    used : int
        Moves drawn.

    Examples
    --------
    >>> m = np.array([[6.0, 1.0], [1.0, 6.0], [6.0, 1.0], [1.0, 6.0]])  # peaks at other steps
    >>> start = np.array([0, 1, 0, 1])  # both peaks of a step on one host: 12 > 8
    >>> best, left, used = anneal_hosts(m, start, 2, 8.0, 100, 50, 1.0, 0.1, 7, 0.8, 0.5)
    >>> best.tolist(), float(left)  # each host carries one item of each step's peak
    ([0, 1, 1, 0], 0.0)
    """
    n, steps = matrix.shape
    loads = np.zeros((hosts, steps))
    for i in range(n):
        for t in range(steps):
            loads[host_of[i], t] += matrix[i, t]
    over = np.zeros(hosts)
    n_over = 0
    for k in range(hosts):
        s = 0.0
        for t in range(steps):
            v = loads[k, t] - capacity
            if v > 0.0:
                s += v
        over[k] = s
        if s > 0.0:
            n_over += 1
    total = 0.0
    for k in range(hosts):
        total += over[k]
    best = host_of.copy()
    least = total
    state = seed & MASK32
    if state == 0:
        state = 1
    ratio = (t_end / t_start) ** (1.0 / cycle)
    temp = t_start
    used = 0
    while used < moves and n_over > 0:
        if used % cycle == 0:
            temp = t_start
        else:
            temp *= ratio
        used += 1
        state = xorshift32(state)
        state = xorshift32(state)
        i = state % n
        if (state >> 8) / 16777216.0 < bias:  # an item on an overloaded host, if drawn
            tries = 0
            while over[host_of[i]] == 0.0 and tries < 4 * hosts:
                state = xorshift32(state)
                i = state % n
                tries += 1
        a = host_of[i]
        state = xorshift32(state)
        j = -1
        if state / _TWO32 < swap_frac:
            state = xorshift32(state)
            j = state % n
            if host_of[j] == a:
                j = -1
        if j >= 0:
            b = host_of[j]
        else:
            state = xorshift32(state)
            b = state % (hosts - 1)
            if b >= a:
                b += 1
        state = xorshift32(state)
        # taken when Δ ≤ −temperature · ln(u), u uniform in (0, 1): probability exp(−Δ / T)
        # for Δ > 0, always for Δ ≤ 0; the new overloads only grow along the steps, so the
        # move is rejected as soon as they pass the threshold
        threshold = over[a] + over[b] - temp * math.log((state + 0.5) / _TWO32)
        new_a = 0.0
        new_b = 0.0
        rejected = False
        for t in range(steps):
            d = matrix[i, t]
            if j >= 0:
                d = d - matrix[j, t]
            va = loads[a, t] - d - capacity
            if va > 0.0:
                new_a += va
            vb = loads[b, t] + d - capacity
            if vb > 0.0:
                new_b += vb
            if new_a + new_b > threshold:
                rejected = True
                break
        if rejected:
            continue
        delta = new_a + new_b - over[a] - over[b]
        for t in range(steps):
            d = matrix[i, t]
            if j >= 0:
                d = d - matrix[j, t]
            loads[a, t] = loads[a, t] - d
            loads[b, t] = loads[b, t] + d
        n_over += int(new_a > 0.0) + int(new_b > 0.0) - int(over[a] > 0.0) - int(over[b] > 0.0)
        total += delta
        over[a] = new_a
        over[b] = new_b
        host_of[i] = b
        if j >= 0:
            host_of[j] = a
        if n_over == 0:
            least = 0.0
            best[:] = host_of
        elif total < least:
            total = 0.0  # re-summed: the running total drifts by rounding
            for k in range(hosts):
                total += over[k]
            if total < least:
                least = total
                best[:] = host_of
    return best, least, used
