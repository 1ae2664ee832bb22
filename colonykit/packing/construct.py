"""Constructions of the heuristic: screened capacity checks, first fit, balanced fill, improvement."""

from __future__ import annotations

from typing import Literal

import numpy as np
import numpy.typing as npt

from colonykit.errors import InputError, must_be
from colonykit.packing import _kernel
from colonykit.packing.bounds import _ceil_div
from colonykit.packing.fill import min_slack_fill
from colonykit.packing.problem import CAPACITY_RTOL, _renumber

#: Hosts the improvement pass tries to empty (lightest first) before it stops.
IMPROVE_MAX_TRIES = 40
#: The same above ``SMALL_INSTANCE_CELLS`` servers × steps (each try reads long series).
IMPROVE_MAX_TRIES_LARGE = 4
#: Balanced constructions the heuristic tries (``lower_bound``, ``lower_bound + 1``, … open hosts).
BALANCE_TRIES = 4


#: Steps per block of the capacity screen (block minima/maxima of slack and demand decide most
#: checks without looking at single steps; tuning only, decisions are exact).
SCREEN_BLOCK_STEPS = 32
#: Hosts checked step by step at once by first fit (in host order; the search stops early).
SCREEN_BATCH = 8
#: Blocks of least slack tracked per host: slack − demand at their steps is a cheap upper
#: bound of a host's headroom (tuning only, decisions are exact).
SCREEN_TIGHT_BLOCKS = 8
#: Above this share of the blocks to read, whole rows are compared instead of gathered blocks.
SCREEN_GATHER_FRAC = 0.25
#: Balanced fills below the best packing tried without improving before that search stops.
BALANCE_DOWN_MISSES = 2
#: Up to this many servers the minimum-slack fill also runs (on up to ``SMALL_INSTANCE_CELLS``).
FILL_MAX_ITEMS = 5_000
#: Up to this many cells (servers × steps) the balanced fill is also tried in peak order.
SMALL_INSTANCE_CELLS = 2_000_000
#: ``jit=None`` runs the compiled placement loop (numba, the ``fast`` extra) from this many
#: servers × steps on: below it numba's import (about 0.5 s) costs more than it saves.
JIT_MIN_CELLS = 2_000_000


class _Screen:
    """Each item's series as blocks of ``SCREEN_BLOCK_STEPS`` steps, with its block maxima.

    ``blocks(i)`` is item i's series as (blocks, width), zero past the last step (a view
    when the steps fill whole blocks, so the matrix is never copied).
    """

    def __init__(self, matrix: np.ndarray) -> None:
        n_t = matrix.shape[1]
        self.matrix = matrix
        self.width = SCREEN_BLOCK_STEPS
        self.steps = n_t
        self.nb = -(-n_t // self.width)
        starts = np.arange(0, n_t, self.width)
        self.xmax = np.maximum.reduceat(matrix, starts, axis=1)

    def blocks(self, i: int) -> np.ndarray:
        x = self.matrix[i]
        if x.size == self.nb * self.width:
            return x.reshape(self.nb, self.width)
        out = np.zeros(self.nb * self.width, dtype=x.dtype)
        out[: x.size] = x
        return out.reshape(self.nb, self.width)


class _Hosts:
    """Open hosts' slack as (hosts, blocks, width) plus memory slack; grows on demand.

    Capacity checks read only what can change a decision, and compute it exactly:

    * per host and block the least slack and its step are kept, and per host the
      ``SCREEN_TIGHT_BLOCKS`` blocks of least slack: slack − demand at those steps is an
      upper bound of the host's headroom (the ``min`` over time of slack − demand),
      first over the tight blocks (a few numbers per host), then over every block;
    * a block whose least slack minus the item's block maximum is at least a bound already
      known cannot hold a smaller value and is not read; the others are read step by step.

    The decisions are those of checking every step (tested against that).  Steps past
    the last one hold ``+inf`` slack.
    """

    def __init__(
        self, steps: int, capacity: float, host_memory: float, reserve: int, screen: _Screen
    ) -> None:
        self.capacity = capacity
        self.tol = capacity * CAPACITY_RTOL
        self.screen = screen
        self.steps = steps
        nb, width = screen.nb, screen.width
        rows = max(reserve, 1)
        self.slack = np.empty((rows, nb, width), dtype=np.float64)
        self.smin = np.empty((rows, nb), dtype=np.float64)
        self.at = np.empty((rows, nb), dtype=np.intp)  # flat step of each block's least slack
        self.tight_n = min(SCREEN_TIGHT_BLOCKS, nb)
        self.tight_at = np.empty((rows, self.tight_n), dtype=np.intp)
        self.tight_slack = np.empty((rows, self.tight_n), dtype=np.float64)
        self.mem = np.empty(rows)
        self.first_step = np.arange(nb, dtype=np.intp) * width
        self.host_memory = host_memory
        self.memory_binds = bool(np.isfinite(host_memory))
        self.count = 0

    def _arrays(self) -> tuple[str, ...]:
        return ("slack", "smin", "at", "tight_at", "tight_slack", "mem")

    def open(self) -> int:
        if self.count == self.slack.shape[0]:
            extra = max(self.count, 1)
            for name in self._arrays():
                a = getattr(self, name)
                setattr(self, name, np.concatenate([a, np.empty((extra, *a.shape[1:]), a.dtype)]))
        k = self.count
        full = self.capacity + self.tol
        self.slack[k] = full
        self.slack[k].reshape(-1)[self.steps :] = np.inf
        self.smin[k] = full
        self.at[k] = self.first_step
        self.tight_at[k] = self.first_step[: self.tight_n]
        self.tight_slack[k] = full
        self.mem[k] = self.host_memory + self.tol
        self.count += 1
        return k

    def add(self, k: int, x3: np.ndarray, mem: float, sign: float = 1.0) -> None:
        """Place (sign 1) or remove (sign -1) an item's blocked series ``x3`` on host k."""
        _kernel.add(
            k,
            x3 if sign > 0 else -x3,
            sign * mem,
            self.slack,
            self.smin,
            self.at,
            self.tight_at,
            self.tight_slack,
            self.mem,
            self.first_step,
        )

    def loads(self) -> np.ndarray:
        """Summed demand over all steps per open host."""
        c = self.count
        used = self.slack[:c].reshape(c, -1)[:, : self.steps]
        return (self.capacity + self.tol - used).sum(axis=1)

    def restore(self, saved: tuple[np.ndarray, ...]) -> None:
        for name, a in zip(self._arrays(), saved, strict=True):
            setattr(self, name, a)

    def save(self) -> tuple[np.ndarray, ...]:
        return tuple(getattr(self, name).copy() for name in self._arrays())

    def _candidates(self, mem: float, allowed: np.ndarray | None) -> np.ndarray | None:
        """Hosts with the memory and allowed for the item; None when every host is."""
        if not self.memory_binds:
            return allowed
        ok = self.mem[: self.count] >= mem
        if allowed is not None:
            ok &= allowed
        return ok

    def _high_tight(self, x: np.ndarray) -> np.ndarray:
        """Upper bound of every open host's headroom from its tight blocks (cheap)."""
        c = self.count
        return (self.tight_slack[:c] - np.take(x, self.tight_at[:c])).min(axis=1)

    def _high(self, idx: np.ndarray, x: np.ndarray) -> np.ndarray:
        """Upper bound of hosts ``idx``'s headroom from every block's step of least slack."""
        return (self.smin[idx] - np.take(x, self.at[idx])).min(axis=1)

    def first_feasible(self, i: int, x3: np.ndarray, mem: float, allowed: np.ndarray | None) -> int:
        """Lowest open host where item i fits at every step (and in memory), or -1."""
        if self.count == 0:
            return -1
        x = x3.reshape(-1)
        ok = self._high_tight(x) >= 0
        cand = self._candidates(mem, allowed)
        if cand is not None:
            ok &= cand
        check = np.flatnonzero(ok)
        xmax = self.screen.xmax[i]
        for b0 in range(0, check.size, SCREEN_BATCH):  # in host order: stop at the first fit
            idx = check[b0 : b0 + SCREEN_BATCH]
            idx = idx[self._high(idx, x) >= 0]  # else it overflows at a known step
            if not idx.size:
                continue
            rows, blocks = np.nonzero(self.smin[idx] < xmax)  # only these blocks can overflow
            if rows.size > SCREEN_GATHER_FRAC * idx.size * xmax.size:
                fits = (self.slack[idx] >= x3).all(axis=(1, 2))
            else:
                nb = self.smin.shape[1]
                cells = self.slack.reshape(-1, self.screen.width)
                viol = (cells.take(idx[rows] * nb + blocks, axis=0) < x3.take(blocks, axis=0)).any(
                    axis=1
                )
                fits = np.ones(idx.size, dtype=bool)
                fits[rows[viol]] = False
            if fits.any():
                return int(idx[int(np.argmax(fits))])
        return -1


def _construct(
    matrix: np.ndarray,
    order: np.ndarray,
    capacity: float,
    *,
    start_hosts: int,
    rule: Literal["first", "balance"],
    memory: np.ndarray,
    host_memory: float,
    conflicts: list[np.ndarray] | None,
    screen: _Screen | None = None,
    jit: bool = False,
) -> tuple[np.ndarray, _Hosts]:
    """Place items in ``order`` onto ``start_hosts`` open hosts, opening more when nothing fits.

    ``first``: the first feasible host.  ``balance``: the feasible host whose peak after adding the
    item is lowest (min-max over time, so peaks land in other guests' troughs).  An item that
    fits on no open host opens the next one; items not in ``order`` keep host -1.  The placement
    kernel (:mod:`colonykit.packing._kernel`) decides, plainly or, with ``jit``, compiled by
    numba from the same source (:mod:`colonykit.packing._jit`).
    """
    screen = _Screen(matrix) if screen is None else screen
    hosts = _Hosts(
        matrix.shape[1], capacity, host_memory, reserve=max(start_hosts, 8), screen=screen
    )
    for _ in range(start_hosts):
        hosts.open()
    host_of = np.full(matrix.shape[0], -1, dtype=np.int64)
    _construct_kernel(matrix, order, rule, memory, conflicts, screen, hosts, host_of, jit)
    return host_of, hosts


def jit_available() -> bool:
    """Whether the compiled placement loop can run (numba, ``pip install 'colonykit[fast]'``).

    Examples
    --------
    >>> isinstance(jit_available(), bool)
    True
    """
    try:
        import colonykit.packing._jit  # noqa: F401
    except ImportError:
        return False
    return True


def _use_jit(jit: bool | None, cells: int) -> bool:
    """``jit`` resolved: None = numba when installed and the instance has ``JIT_MIN_CELLS``."""
    if jit is None:
        return cells >= JIT_MIN_CELLS and jit_available()
    if jit:
        import colonykit.packing._jit  # noqa: F401  (without numba: the error names the extra)
    return bool(jit)


def _conflict_csr(conflicts: list[np.ndarray] | None, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Anti-affinity partners as CSR (pointer per item, partner indices)."""
    if conflicts is None:
        return np.zeros(n + 1, dtype=np.intp), np.zeros(0, dtype=np.intp)
    ptr = np.zeros(n + 1, dtype=np.intp)
    np.cumsum([c.size for c in conflicts], out=ptr[1:])
    return ptr, np.concatenate([np.zeros(0, dtype=np.intp), *conflicts]).astype(np.intp)


def _construct_kernel(
    matrix: np.ndarray,
    order: np.ndarray,
    rule: Literal["first", "balance"],
    memory: np.ndarray,
    conflicts: list[np.ndarray] | None,
    screen: _Screen,
    hosts: _Hosts,
    host_of: np.ndarray,
    compiled: bool,
) -> None:
    """:func:`_construct`'s loop (the kernel, compiled or not); opens a host whenever none fits."""
    if compiled:
        from colonykit.packing._jit import fill
    else:
        from colonykit.packing._kernel import fill

    def ro(a: np.ndarray, dtype: npt.DTypeLike | None = None) -> np.ndarray:
        # inputs read-only, always: one compiled signature per demand dtype, cached once
        v = np.ascontiguousarray(a, dtype=dtype).view()
        v.flags.writeable = False
        return v

    data = ro(matrix)
    xmax = ro(screen.xmax)
    order = ro(order, np.intp)
    mem = ro(memory, np.float64)
    ptr, idx = (ro(a, np.intp) for a in _conflict_csr(conflicts, matrix.shape[0]))
    pos = 0
    while pos < order.size:
        pos = fill(
            data,
            xmax,
            order,
            pos,
            rule == "balance",
            hosts.slack,
            hosts.smin,
            hosts.at,
            hosts.tight_at,
            hosts.tight_slack,
            hosts.mem,
            hosts.count,
            mem,
            hosts.memory_binds,
            ptr,
            idx,
            host_of,
            hosts.first_step,
            SCREEN_BATCH,
        )
        if pos < order.size:
            i = int(order[pos])
            k = hosts.open()
            hosts.add(k, screen.blocks(i), mem[i])
            host_of[i] = k
            pos += 1


def _improve(
    matrix: np.ndarray,
    host_of: np.ndarray,
    hosts: _Hosts,
    memory: np.ndarray,
    conflicts: list[np.ndarray] | None,
    max_tries: int,
) -> np.ndarray:
    """Try to empty the lightest hosts into the others (first feasible host); keep what works.

    Each try takes the used host of least summed demand (over all steps) among those not failed
    before, moves its items in decreasing order of their peaks (the lower index on ties) each
    to the lowest other used host where it fits (every step, memory, no partner there), and
    undoes the whole try when one item fits nowhere; a host that could not be emptied is not
    tried again.  Stops after ``max_tries`` tries, when one host is left or none is left to
    try.  ``hosts`` ends as the state of the returned packing.
    """
    tries = 0
    failed: set[int] = set()
    while tries < max_tries:
        used = np.bincount(host_of, minlength=hosts.count)
        load = hosts.loads()
        candidates = [int(h) for h in np.argsort(load) if used[h] > 0 and int(h) not in failed]
        if len(candidates) == 0 or int((used > 0).sum()) <= 1:
            break
        h = candidates[0]
        tries += 1
        saved, saved_of = hosts.save(), host_of.copy()
        items = np.flatnonzero(host_of == h)
        items = items[np.argsort(-matrix[items].max(axis=1), kind="stable")]
        moved = True
        for i in items:
            allowed = used > 0
            allowed[h] = False
            if conflicts is not None and conflicts[i].size:
                placed = host_of[conflicts[i]]
                allowed[placed[placed >= 0]] = False
            x3 = hosts.screen.blocks(int(i))
            k = hosts.first_feasible(int(i), x3, memory[i], allowed)
            if k < 0:
                moved = False
                break
            hosts.add(k, x3, memory[i])
            hosts.add(h, x3, memory[i], sign=-1.0)
            host_of[i] = k
        if not moved:
            hosts.restore(saved)
            host_of = saved_of
            failed.add(h)
    return host_of


def _mean_plus_std(matrix: np.ndarray) -> np.ndarray:
    """Mean + standard deviation of each row (float64 sums of values and squares)."""
    n_t = max(matrix.shape[1], 1)
    s1 = np.einsum("ij->i", matrix, dtype=np.float64)  # one pass each, no float64 copy
    s2 = np.einsum("ij,ij->i", matrix, matrix, dtype=np.float64)
    mean = s1 / n_t
    return mean + np.sqrt(np.maximum(s2 / n_t - mean * mean, 0.0))


def pack_heuristic(
    matrix: np.ndarray,
    capacity: float,
    *,
    memory: np.ndarray | None = None,
    host_memory: float | None = None,
    conflicts: list[np.ndarray] | None = None,
    improve: bool = True,
    max_tries: int = IMPROVE_MAX_TRIES,
    balance_tries: int = BALANCE_TRIES,
    lower_bound_hosts: int | None = None,
    jit: bool | None = None,
    min_slack: bool = True,
) -> np.ndarray:
    """Time-series packing heuristic on an item-major matrix; returns the host of each item.

    Parameters
    ----------
    matrix : numpy.ndarray
        Demand, shape (servers, steps); no item may exceed ``capacity`` at any step.
    capacity : float
        Usable capacity per host.
    memory : numpy.ndarray, optional
        Memory per server; needs ``host_memory``.
    host_memory : float, optional
        Memory per host.
    conflicts : list of numpy.ndarray, optional
        Anti-affinity partners per server.
    improve : bool
        Run the host-emptying improvement pass.
    max_tries : int
        Hosts the improvement pass tries to empty.
    balance_tries : int
        Balanced constructions tried, starting with ``lower_bound`` hosts and one
        more each time while the construction still had to open hosts.
    lower_bound_hosts : int, optional
        A known lower bound (e.g. from :func:`lower_bound`), 0 to the number of servers
        (else :class:`~colonykit.errors.InputError`); the balanced fill starts with this
        many hosts.  Default: the composite bound.
    jit : bool, optional
        Run the constructions' placement loop compiled (numba, the ``fast`` extra): the
        same decisions, several times faster on large instances.  Default: compiled when
        numba is installed and the matrix has at least ``JIT_MIN_CELLS`` cells.
    min_slack : bool
        Also run the minimum-slack fill (:func:`colonykit.packing.fill.min_slack_fill`) on
        instances up to ``SMALL_INSTANCE_CELLS`` cells and ``FILL_MAX_ITEMS`` servers; the
        packing with the fewest hosts is kept.

    Returns
    -------
    numpy.ndarray
        Host id per server (0-based, consecutive).

    Examples
    --------
    >>> m = np.array([[60., 10.], [10., 60.], [50., 50.], [30., 30.]])
    >>> pack_heuristic(m, 100).tolist()  # host 0: [60+10+30, 10+60+30]
    [0, 0, 1, 0]
    """
    return _starts(
        matrix,
        capacity,
        memory=memory,
        host_memory=host_memory,
        conflicts=conflicts,
        improve=improve,
        max_tries=max_tries,
        balance_tries=balance_tries,
        lower_bound_hosts=lower_bound_hosts,
        jit=jit,
        min_slack=min_slack,
        all_starts=False,
    )[0]


def _starts(
    matrix: np.ndarray,
    capacity: float,
    *,
    memory: np.ndarray | None,
    host_memory: float | None,
    conflicts: list[np.ndarray] | None,
    improve: bool,
    max_tries: int,
    balance_tries: int,
    lower_bound_hosts: int | None,
    jit: bool | None,
    min_slack: bool,
    all_starts: bool,
) -> list[np.ndarray]:
    """The heuristic's packings: the best classic construction, then the minimum-slack fill.

    Parameters as :func:`pack_heuristic`; ``all_starts``: every packing, else only the one
    with the fewest hosts (the first on ties).

    The constructions, each followed by the improvement pass (``improve``): on instances up to
    ``SMALL_INSTANCE_CELLS`` cells first fit in decreasing order of the peaks (from no open
    host), then the balanced fill in decreasing order of mean + standard deviation and, on
    those instances, in peak order (ties of either order: the lower index first).  For each
    order the balanced fill starts with ``lower_bound`` open hosts and one more each time (at
    most ``balance_tries`` times) while it had to open hosts and stays below the fewest hosts
    found so far (the minimum-slack fill's count included); then from one below the fewest
    found downwards to the bound (host counts not tried yet for that order; none when
    ``balance_tries`` < 1, where a large instance gets one balanced fill from the bound)
    until it misses ``BALANCE_DOWN_MISSES`` times in a row, a success restarting one below
    its count.  The classic packing kept is the first with the fewest
    hosts, renumbered in order of first appearance.  :func:`colonykit.packing.pack` starts the
    local search from each in turn (fewest hosts first) until one reaches the lower bound, so
    its result is never worse than a search from the classic constructions alone.
    """
    n = matrix.shape[0]
    mem = np.zeros(n) if memory is None else np.asarray(memory, dtype=np.float64)
    hmem = np.inf if host_memory is None else float(host_memory)
    peak_order = np.argsort(-matrix.max(axis=1), kind="stable")
    if lower_bound_hosts is None:
        peak = float(matrix.sum(axis=0, dtype=np.float64).max())
        lb = max(int(_ceil_div(peak, capacity)), 1 if peak > 0 else 0)
        if hmem < np.inf:
            lb = max(lb, int(_ceil_div(mem.sum(), hmem)))
    else:
        lb = int(lower_bound_hosts)
        if not 0 <= lb <= n:
            raise InputError(must_be("lower_bound_hosts", f"in 0..{n} (the servers)", lb))
    best: tuple[np.ndarray, _Hosts] | None = None
    screen = _Screen(matrix)
    large = matrix.size > SMALL_INSTANCE_CELLS
    compiled = _use_jit(jit, matrix.size)

    def run(rule: Literal["first", "balance"], order: np.ndarray, start: int) -> int:
        nonlocal best
        host_of, hosts = _construct(
            matrix,
            order,
            capacity,
            start_hosts=start,
            rule=rule,
            memory=mem,
            host_memory=hmem,
            conflicts=conflicts,
            screen=screen,
            jit=compiled,
        )
        if improve:
            tries = min(max_tries, IMPROVE_MAX_TRIES_LARGE) if large else max_tries
            host_of = _improve(matrix, host_of, hosts, mem, conflicts, tries)
        used = int(np.unique(host_of).size)
        if best is None or used < np.unique(best[0]).size:
            best = (host_of, hosts)
        return used

    # time-aware size for the balanced fill: mean + standard deviation of the series
    size = _mean_plus_std(matrix)
    orders = [np.argsort(-size, kind="stable")]
    found = n + 1
    slack_fill: np.ndarray | None = None
    if not large:  # first fit by peak: a cheap start for small instances, never the best on large
        found = run("first", peak_order, 0)
        orders.append(peak_order)
        if min_slack and n <= FILL_MAX_ITEMS:
            slack_fill = min_slack_fill(
                matrix, capacity, memory=mem, host_memory=hmem, conflicts=conflicts
            )
            found = min(found, int(slack_fill.max()) + 1)
    tried: set[tuple[int, int]] = set()

    def balance(o: int, start: int) -> int:
        tried.add((o, start))
        return run("balance", orders[o], start)

    for o in range(len(orders)):
        # upwards from the bound while the fill has to open hosts (cheap when the bound is tight)
        start = lb
        for _ in range(max(balance_tries, 0)):
            if start >= found:
                break
            used = balance(o, start)
            found = min(found, used)
            if used <= start:  # no host had to be opened: more start hosts cannot help
                break
            start += 1
        # downwards from the best packing (a weak bound leaves the fill far below the answer):
        # starting one or two hosts short of it often closes them (PlanetLab: 47 -> 46)
        start, misses = found - 1, 0
        while start >= lb and misses < BALANCE_DOWN_MISSES and balance_tries > 0:
            if (o, start) in tried:
                start -= 1
                continue
            used = balance(o, start)
            if used < found:
                found, misses, start = used, 0, used - 1
            else:
                misses += 1
                start -= 1
    if best is None:  # a large instance with balance_tries < 1: one balanced fill from the bound
        balance(0, lb)
    assert best is not None
    host_of = _renumber(best[0])
    starts = [host_of]
    if slack_fill is not None:
        starts.append(_renumber(slack_fill))
    if not all_starts:
        starts = [min(starts, key=lambda h: int(h.max()))]  # the first on ties
    return starts


__all__ = [
    "IMPROVE_MAX_TRIES",
    "IMPROVE_MAX_TRIES_LARGE",
    "BALANCE_TRIES",
    "SCREEN_BLOCK_STEPS",
    "SCREEN_BATCH",
    "SCREEN_TIGHT_BLOCKS",
    "SCREEN_GATHER_FRAC",
    "BALANCE_DOWN_MISSES",
    "FILL_MAX_ITEMS",
    "SMALL_INSTANCE_CELLS",
    "JIT_MIN_CELLS",
    "jit_available",
    "pack_heuristic",
]
