"""Compiled placement loop of :func:`colonykit.packing.pack_heuristic` (optional: numba).

The construction places items one by one; in numpy each placement is some forty array calls,
so on 10,000 servers the interpreter, not the data, sets the pace.  This module runs the same
placement rules in one numba-compiled loop over the items, on the very arrays of
``packing._Hosts`` (slack per host and step, each block's least slack and its step, the tight
blocks, memory slack), so the state after it is what the numpy loop would leave.

Same decisions as the numpy loop (tested: ``tests/test_packing_jit.py``):

* headroom of a host is ``min_t(slack[t] − x[t])`` in float64, the same subtraction numpy does;
* ``balance`` takes the largest headroom ≥ 0, the lowest host index on ties; ``first`` the
  lowest host where ``slack ≥ x`` at every step; memory slack must hold the item's memory
  (when host memory binds) and no anti-affinity partner may be on the host;
* the screens only skip what cannot change the decision: a host is dropped once a value
  ``slack[t] − x[t]`` at some step is ≤ the best headroom so far (a lower index wins ties) or
  < 0; a block is skipped when its least slack minus the item's block maximum (a lower bound
  of every value in it: floating-point subtraction is monotone) cannot go below the running
  minimum.

Import this module only through :func:`colonykit.packing.jit_available`; numba is in the
``fast`` extra (``pip install 'colonykit[fast]'``), as pvlib offers numba for its SPA.
"""

from __future__ import annotations

import numpy as np

from colonykit._optional import require

numba = require("numba", extra="fast", purpose="the compiled packing loop")

__all__ = ["fill"]


@numba.njit(cache=True, nogil=True)
def _add(
    k: int,
    x: np.ndarray,
    mem_i: float,
    slack: np.ndarray,
    smin: np.ndarray,
    at: np.ndarray,
    tight_at: np.ndarray,
    tight_slack: np.ndarray,
    mem: np.ndarray,
    steps: int,
    width: int,
) -> None:  # pragma: no cover - compiled (covered through fill's tests)
    """Place x on host k: slack, memory, block minima and tight blocks (``_Hosts.add``)."""
    nb = smin.shape[1]
    mem[k] -= mem_i
    for b in range(nb):  # subtract and find the block's least slack in one pass
        t0 = b * width
        t1 = min(t0 + width, steps)
        best = np.inf
        arg = t0
        for t in range(t0, t1):
            v = slack[k, t] - x[t]
            slack[k, t] = v
            if v < best:
                best = v
                arg = t
        smin[k, b] = best
        at[k, b] = arg
    # the tight_n blocks of least slack (insertion into a sorted short list)
    n_tight = tight_at.shape[1]
    vals = np.empty(n_tight)
    where = np.empty(n_tight, dtype=np.intp)
    filled = 0
    for b in range(nb):
        v = smin[k, b]
        if filled < n_tight:
            j = filled
            filled += 1
        elif v < vals[n_tight - 1]:
            j = n_tight - 1
        else:
            continue
        while j > 0 and vals[j - 1] > v:
            vals[j] = vals[j - 1]
            where[j] = where[j - 1]
            j -= 1
        vals[j] = v
        where[j] = at[k, b]
    for j in range(n_tight):
        tight_at[k, j] = where[j]
        tight_slack[k, j] = vals[j]


@numba.njit(cache=True, nogil=True)
def fill(
    matrix: np.ndarray,
    xmax: np.ndarray,
    order: np.ndarray,
    pos: int,
    balance: bool,
    slack: np.ndarray,
    smin: np.ndarray,
    at: np.ndarray,
    tight_at: np.ndarray,
    tight_slack: np.ndarray,
    mem: np.ndarray,
    count: int,
    memory: np.ndarray,
    memory_binds: bool,
    conf_ptr: np.ndarray,
    conf_idx: np.ndarray,
    host_of: np.ndarray,
    width: int,
) -> int:  # pragma: no cover - compiled (covered through its tests)
    """Place ``order[pos:]`` on the ``count`` open hosts; return where no host held an item.

    Returns the position in ``order`` of the first item no open host can take (the caller
    opens a host, places it there and calls again from the next position), or ``len(order)``
    when every item is placed.  ``slack`` is ``_Hosts.slack`` as (rows, blocks × width).
    """
    steps = matrix.shape[1]
    nb = smin.shape[1]
    n_tight = tight_at.shape[1]
    banned = np.zeros(slack.shape[0], dtype=np.bool_)
    up = np.empty(slack.shape[0])
    for p in range(pos, order.shape[0]):
        i = order[p]
        x = matrix[i]
        mem_i = memory[i]
        for c in range(conf_ptr[i], conf_ptr[i + 1]):
            h = host_of[conf_idx[c]]
            if h >= 0:
                banned[h] = True
        best_k = -1
        best_h = -np.inf
        # an upper bound of each host's headroom from its tight blocks' steps (values of
        # slack − x themselves); -inf where the host cannot take the item
        n_up = 0
        for k in range(count):
            up[k] = -np.inf
            if banned[k] or (memory_binds and mem[k] < mem_i):
                continue
            run = np.inf
            for j in range(n_tight):
                t = tight_at[k, j]
                v = slack[k, t] - x[t]
                if v < run:
                    run = v
            if run >= 0.0:
                up[k] = run
                n_up += 1
        # hosts in order of their bound, best first (``first``: in index order): a good
        # headroom found early drops the rest at their bound
        for _ in range(n_up):
            k = -1
            if balance:
                for j in range(count):
                    if up[j] > -np.inf and (k < 0 or up[j] > up[k]):
                        k = j
            else:
                for j in range(count):
                    if up[j] > -np.inf:
                        k = j
                        break
            run = up[k]
            up[k] = -np.inf
            if balance and (run < best_h or (run == best_h and k > best_k)):
                break  # every bound left is at most this one: none can win
            dropped = False
            for b in range(nb):
                if smin[k, b] - xmax[i, b] >= (run if balance else 0.0):
                    continue  # no value in this block is below the running minimum (or < 0)
                t1 = min(b * width + width, steps)
                for t in range(b * width, t1):
                    v = slack[k, t] - x[t]
                    if v < run:
                        run = v
                if run < 0.0 or (balance and (run < best_h or (run == best_h and k > best_k))):
                    dropped = True
                    break
            if dropped:
                continue
            best_k = k
            best_h = run
            if not balance:
                break  # the first feasible host
        for c in range(conf_ptr[i], conf_ptr[i + 1]):
            h = host_of[conf_idx[c]]
            if h >= 0:
                banned[h] = False
        if best_k < 0:
            return p
        _add(best_k, x, mem_i, slack, smin, at, tight_at, tight_slack, mem, steps, width)
        host_of[i] = best_k
    return order.shape[0]
