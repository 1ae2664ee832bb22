"""The placement kernel of the constructions: one source, run plain or compiled by numba.

:func:`fill` places items one by one on the open hosts of ``construct._Hosts`` (slack per
host, block and step; each block's least slack and its step; the tight blocks; memory
slack) and decides, per item, in :func:`decide`: ``first`` takes the lowest host where the
item fits at every step, ``balance`` the host with the largest headroom
``min_t(slack[t] − x[t]) ≥ 0`` (the lowest index on ties); memory slack must hold the item's
memory (when host memory binds) and no anti-affinity partner may be on the host.

The same function objects run in both paths: called plainly, each step is a numpy
expression over a host's blocks (a few dozen array calls per item, like the numpy loop
before it); :mod:`colonykit.packing._jit` compiles :func:`fill` with numba
(``numba.njit(fill)``, whose ``py_func`` is this :func:`fill`) and registers :func:`decide`
and :func:`add` as jitable, so the compiled loop makes the decisions written here.  Only
the five reductions below have a second, loop form for numba (same arithmetic: the float64
differences ``slack − x``, their minimum, the first step of the minimum); a test checks
that both forms agree.

Screens only skip what cannot change a decision: a host's tight blocks give an upper bound
of its headroom (values of ``slack − x`` themselves); a block whose least slack minus the
item's block maximum (a lower bound of every value in it: floating-point subtraction is
monotone) is not below the bound to beat is not read.
"""

from __future__ import annotations

import numpy as np

__all__ = ["add", "block_min", "cell_min", "decide", "fill", "least", "min_at", "min_in_blocks"]


def min_at(values: np.ndarray, x: np.ndarray, at: np.ndarray) -> np.ndarray:
    """Row minima of ``values − x[at]`` (float64), e.g. each host's tight-block bound.

    Parameters
    ----------
    values : numpy.ndarray
        (rows, k) float64 slack values.
    x : numpy.ndarray
        The item's demand per step.
    at : numpy.ndarray
        (rows, k) steps of ``values``.

    Returns
    -------
    numpy.ndarray
        (rows,) minima.

    Examples
    --------
    >>> min_at(np.array([[5.0, 3.0]]), np.array([1.0, 2.0, 4.0]), np.array([[0, 2]])).tolist()
    [-1.0]
    """
    return (values - np.take(x, at)).min(axis=1)


def min_in_blocks(slack: np.ndarray, x3: np.ndarray, blocks: np.ndarray) -> float:
    """Least ``slack − x`` over the steps of ``blocks`` (one host's (blocks, width) slack).

    Parameters
    ----------
    slack : numpy.ndarray
        (blocks, width) slack of one host.
    x3 : numpy.ndarray
        (blocks, width) demand of the item.
    blocks : numpy.ndarray
        Non-empty block indices to read.

    Returns
    -------
    float
        The minimum.

    Examples
    --------
    >>> s = np.array([[4.0, 6.0], [9.0, 3.0]])
    >>> min_in_blocks(s, np.ones((2, 2)), np.array([1]))
    2.0
    """
    return float((slack[blocks] - x3[blocks]).min())


def cell_min(
    slack: np.ndarray, cells: np.ndarray, x3: np.ndarray, blocks: np.ndarray
) -> np.ndarray:
    """Least ``slack − x`` in each of ``cells`` (flat host × block indices of (rows, blocks, width)).

    Parameters
    ----------
    slack : numpy.ndarray
        (rows, blocks, width) slack of the hosts.
    cells : numpy.ndarray
        ``host * blocks + block`` per cell.
    x3 : numpy.ndarray
        (blocks, width) demand of the item.
    blocks : numpy.ndarray
        The block of each cell.

    Returns
    -------
    numpy.ndarray
        One minimum per cell.

    Examples
    --------
    >>> s = np.array([[[4.0, 6.0], [9.0, 3.0]]])
    >>> cell_min(s, np.array([1, 0]), np.ones((2, 2)), np.array([1, 0])).tolist()
    [2.0, 3.0]
    """
    return (slack.reshape(-1, slack.shape[2])[cells] - x3[blocks]).min(axis=1)


def block_min(slack: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Least value of each row of (blocks, width) ``slack`` and its first position.

    Parameters
    ----------
    slack : numpy.ndarray
        (blocks, width) slack of one host.

    Returns
    -------
    tuple of numpy.ndarray
        (minima, positions within the row).

    Examples
    --------
    >>> m, j = block_min(np.array([[4.0, 2.0, 2.0], [1.0, 5.0, 0.5]]))
    >>> m.tolist(), j.tolist()
    ([2.0, 0.5], [1, 2])
    """
    off = slack.argmin(axis=1)
    return np.take_along_axis(slack, off[:, None], axis=1)[:, 0], off


def least(values: np.ndarray, n: int) -> np.ndarray:
    """Positions of the ``n`` least values, in increasing order (earlier first on ties).

    Parameters
    ----------
    values : numpy.ndarray
        1-d values.
    n : int
        How many.

    Returns
    -------
    numpy.ndarray
        Up to ``n`` positions.

    Examples
    --------
    >>> least(np.array([3.0, 1.0, 2.0, 1.0]), 3).tolist()
    [1, 3, 2]
    """
    return np.argsort(values, kind="mergesort")[:n]


def decide(
    x: np.ndarray,
    x3: np.ndarray,
    xmax_i: np.ndarray,
    mem_i: float,
    slack: np.ndarray,
    smin: np.ndarray,
    tight_at: np.ndarray,
    tight_slack: np.ndarray,
    mem: np.ndarray,
    count: int,
    memory_binds: bool,
    banned: np.ndarray,
    balance: bool,
    batch: int,
) -> int:
    """The open host item x goes to (``first`` or ``balance``), or -1 when none holds it.

    Parameters
    ----------
    x, x3 : numpy.ndarray
        The item's demand per step, flat (blocks × width, zero past the last step) and
        as (blocks, width).
    xmax_i : numpy.ndarray
        Its maximum per block.
    mem_i : float
        Its memory.
    slack, smin, tight_at, tight_slack, mem : numpy.ndarray
        The hosts' arrays (``construct._Hosts``).
    count : int
        Open hosts.
    memory_binds : bool
        Whether host memory is finite.
    banned : numpy.ndarray
        True on hosts holding an anti-affinity partner.
    balance : bool
        ``balance`` (largest headroom) instead of ``first`` (lowest feasible host).
    batch : int
        Hosts ``first`` checks at once (``SCREEN_BATCH``).

    Returns
    -------
    int
        The host, or -1.

    Examples
    --------
    >>> slack = np.array([[[3.0, 1.0]], [[5.0, 4.0]]])  # two hosts, one block of 2 steps
    >>> smin, at = np.array([[1.0], [4.0]]), np.array([[1], [1]])
    >>> x = np.array([2.0, 1.0])
    >>> args = (x, x.reshape(1, 2), x.reshape(1, 2).max(axis=1), 0.0, slack, smin, at, smin)
    >>> rest = (np.zeros(2), 2, False, np.zeros(2, dtype=bool))
    >>> decide(*args, *rest, False, 8), decide(*args, *rest, True, 8)
    (0, 1)
    """
    up = min_at(tight_slack[:count], x, tight_at[:count])  # an upper bound of each headroom
    ok = (up >= 0.0) & ~banned[:count]
    if memory_binds:
        ok &= mem[:count] >= mem_i
    cand = np.flatnonzero(ok)
    if balance:  # best bound first: a good headroom found early drops the rest at their bound
        cand = cand[np.argsort(-up[cand], kind="mergesort")]
    if not balance:  # hosts in order, ``batch`` at once: only blocks that can overflow are read
        nb = smin.shape[1]
        for c0 in range(0, cand.size, batch):
            idx = cand[c0 : c0 + batch]
            rows, blocks = np.nonzero(smin[idx] - xmax_i < 0.0)
            over = np.zeros(idx.size, dtype=np.bool_)
            if rows.size:
                over[rows[cell_min(slack, idx[rows] * nb + blocks, x3, blocks) < 0.0]] = True
            fits = np.flatnonzero(~over)
            if fits.size:
                return int(idx[fits[0]])
        return -1
    best_k = -1
    best_h = -np.inf
    for k in cand:
        run = up[k]
        if balance and (run < best_h or (run == best_h and k > best_k)):
            break  # every bound left is at most this one: none can win
        blocks = np.flatnonzero(smin[k] - xmax_i < (run if balance else 0.0))
        if blocks.size:
            run = min(run, min_in_blocks(slack[k], x3, blocks))
        if run < 0.0 or (balance and (run < best_h or (run == best_h and k > best_k))):
            continue
        best_k = int(k)
        best_h = run
        if not balance:
            break  # the first feasible host
    return best_k


def add(
    k: int,
    x3: np.ndarray,
    mem_i: float,
    slack: np.ndarray,
    smin: np.ndarray,
    at: np.ndarray,
    tight_at: np.ndarray,
    tight_slack: np.ndarray,
    mem: np.ndarray,
    first_step: np.ndarray,
) -> None:
    """Place x on host k: slack, memory, block minima and the tight blocks.

    Parameters
    ----------
    k : int
        The host.
    x3 : numpy.ndarray
        The item's demand as (blocks, width).
    mem_i : float
        Its memory.
    slack, smin, at, tight_at, tight_slack, mem : numpy.ndarray
        The hosts' arrays (``construct._Hosts``), updated in place.
    first_step : numpy.ndarray
        First step of each block.

    Examples
    --------
    >>> slack, mem = np.full((1, 2, 2), 5.0), np.zeros(1)
    >>> smin, at = np.empty((1, 2)), np.empty((1, 2), dtype=np.intp)
    >>> t_at, t_slack = np.empty((1, 1), dtype=np.intp), np.empty((1, 1))
    >>> add(0, np.array([[1.0, 2.0], [4.0, 0.0]]), 0.0, slack, smin, at, t_at, t_slack, mem,
    ...     np.array([0, 2]))
    >>> smin.tolist(), at.tolist(), t_at.tolist(), t_slack.tolist()
    ([[3.0, 1.0]], [[1, 2]], [[2]], [[1.0]])
    """
    s = slack[k]
    s -= x3
    mem[k] -= mem_i
    lo, off = block_min(s)
    smin[k] = lo
    at[k] = first_step + off
    sel = least(lo, tight_at.shape[1])  # the least-slack blocks
    tight_at[k] = at[k][sel]
    tight_slack[k] = lo[sel]


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
    first_step: np.ndarray,
    batch: int,
) -> int:
    """Place ``order[pos:]`` on the ``count`` open hosts; return where no host held an item.

    Returns the position in ``order`` of the first item no open host can take (the caller
    opens a host, places it there and calls again from the next position), or ``len(order)``
    when every item is placed.  ``slack`` is ``_Hosts.slack`` (rows, blocks, width); anti-
    affinity partners come as CSR (``conf_ptr``, ``conf_idx``).  Called by
    ``construct._construct`` (examples and tests there).

    Returns
    -------
    int
        The position.
    """
    nb, width = slack.shape[1], slack.shape[2]
    steps = matrix.shape[1]
    banned = np.zeros(slack.shape[0], dtype=np.bool_)
    x = np.zeros(nb * width, dtype=matrix.dtype)  # zero past the last step (slack is +inf)
    x3 = x.reshape(nb, width)
    for p in range(pos, order.shape[0]):
        i = order[p]
        x[:steps] = matrix[i]
        for c in range(conf_ptr[i], conf_ptr[i + 1]):
            h = host_of[conf_idx[c]]
            if h >= 0:
                banned[h] = True
        k = decide(
            x,
            x3,
            xmax[i],
            memory[i],
            slack,
            smin,
            tight_at,
            tight_slack,
            mem,
            count,
            memory_binds,
            banned,
            balance,
            batch,
        )
        for c in range(conf_ptr[i], conf_ptr[i + 1]):
            h = host_of[conf_idx[c]]
            if h >= 0:
                banned[h] = False
        if k < 0:
            return p
        add(k, x3, memory[i], slack, smin, at, tight_at, tight_slack, mem, first_step)
        host_of[i] = k
    return int(order.shape[0])
