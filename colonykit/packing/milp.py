"""Exact time-series bin packing as a sparse MILP (HiGHS)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeAlias

import numpy as np

from colonykit.packing.problem import CAPACITY_RTOL, _renumber

#: ``method="auto"`` uses the exact MILP up to this many servers (binaries grow as n²).
MILP_MAX_ITEMS = 16
#: Wall-clock limit handed to HiGHS [s]; the best solution found so far is used after it.
MILP_TIME_LIMIT_S = 20.0


#: One block of constraint rows: (sparse matrix, lower bounds, upper bounds).
RowBlock: TypeAlias = tuple[Any, np.ndarray, np.ndarray]


def solve_sparse_milp(
    cost: np.ndarray,
    blocks: Sequence[RowBlock],
    *,
    integrality: np.ndarray,
    lower: float | np.ndarray,
    upper: float | np.ndarray,
    time_limit_s: float,
) -> tuple[np.ndarray | None, bool]:
    """Minimize ``cost · x`` over sparse row blocks with :func:`scipy.optimize.milp` (HiGHS).

    The one MILP call of colonykit: :func:`pack_milp` and the staggering MILP
    (:mod:`colonykit.staggering`) build their rows as sparse blocks and hand them here.

    Parameters
    ----------
    cost : numpy.ndarray
        Objective coefficients, one per variable.
    blocks : sequence of (sparse matrix, numpy.ndarray, numpy.ndarray)
        Constraint rows with their lower and upper bounds (``-inf``/``inf`` for none),
        stacked in order.
    integrality : numpy.ndarray
        1 for an integer variable, 0 for a continuous one.
    lower : float or numpy.ndarray
        Lower bounds of the variables.
    upper : float or numpy.ndarray
        Upper bounds of the variables.
    time_limit_s : float
        HiGHS wall-clock limit [s]; the best solution found by then is returned.

    Returns
    -------
    x : numpy.ndarray or None
        The solution, or None when HiGHS found none within the limit.
    optimal : bool
        HiGHS proved optimality.

    Examples
    --------
    >>> from scipy.sparse import coo_array
    >>> rows = coo_array(np.array([[3.0, 2.0]]))  # 3 a + 2 b <= 4, maximize a + 2 b
    >>> x, optimal = solve_sparse_milp(
    ...     np.array([-1.0, -2.0]), [(rows, np.array([-np.inf]), np.array([4.0]))],
    ...     integrality=np.ones(2), lower=0, upper=1, time_limit_s=5)
    >>> x.round().tolist(), optimal
    ([0.0, 1.0], True)
    """
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import vstack

    cons = LinearConstraint(
        vstack([b[0] for b in blocks]).tocsr(),
        np.concatenate([b[1] for b in blocks]),
        np.concatenate([b[2] for b in blocks]),
    )
    res = milp(
        cost,
        constraints=cons,
        integrality=integrality,
        bounds=Bounds(lower, upper),
        options={"time_limit": float(time_limit_s)},
    )
    if res.x is None:
        return None, False
    return np.asarray(res.x), res.status == 0


def _nondominated_steps(matrix: np.ndarray) -> np.ndarray:
    """Steps whose demand vector is not dominated by another step's (exact for the MILP)."""
    cols = np.unique(matrix, axis=1)  # drop duplicate steps
    n, t = cols.shape
    keep = np.ones(t, dtype=bool)
    block = max(1, int(2e7 // max(n * t, 1)))  # bound the (n, block, t) comparison's memory
    for a0 in range(0, t, block):
        a = np.arange(a0, min(a0 + block, t))
        # ge[j, b]: step b >= step a[j] everywhere (distinct columns, so b > a[j] somewhere)
        ge: np.ndarray = np.all(cols[:, None, :] >= cols[:, a, None], axis=0)
        ge[np.arange(a.size), a] = False
        keep[a] = ~ge.any(axis=1)
    return cols[:, keep]


def pack_milp(
    matrix: np.ndarray,
    capacity: float,
    *,
    memory: np.ndarray | None = None,
    host_memory: float | None = None,
    conflicts: list[np.ndarray] | None = None,
    max_hosts: int | None = None,
    time_limit_s: float = MILP_TIME_LIMIT_S,
) -> tuple[np.ndarray | None, bool]:
    """Exact time-series bin packing with :func:`scipy.optimize.milp` (HiGHS).

    Variables: ``y[i, k]`` (server i on host k, binary), ``u[k]`` (host k used).
    Minimize Σ u[k] subject to Σ_k y[i,k] = 1; Σ_i d_i(t) y[i,k] ≤ C u[k] for every
    host k and every non-dominated step t; y[i,k] = 0 for k > i and u[k] ≥ u[k+1]
    (symmetry breaking); y[i,k] ≤ u[k] for a server of no demand (nor memory);
    optionally Σ_i mem_i y[i,k] ≤ M u[k] and y[a,k] + y[b,k] ≤ 1 for anti-affine pairs.

    Parameters
    ----------
    matrix : numpy.ndarray
        Demand, shape (servers, steps).
    capacity : float
        Usable capacity per host.
    memory : numpy.ndarray, optional
        Memory per server; needs ``host_memory``.
    host_memory : float, optional
        Memory per host.
    conflicts : list of numpy.ndarray, optional
        Anti-affinity partners per server.
    max_hosts : int, optional
        Hosts the model may open (default: one per server); e.g. a heuristic's count.
    time_limit_s : float
        HiGHS wall-clock limit [s].

    Returns
    -------
    host_of : numpy.ndarray or None
        Host per server, or None if HiGHS found no solution within the limit.
    optimal : bool
        HiGHS proved optimality.

    Examples
    --------
    >>> m = np.array([[60., 10.], [10., 60.], [50., 50.], [30., 30.]])
    >>> host_of, optimal = pack_milp(m, 100)
    >>> len(set(host_of.tolist())), optimal
    (2, True)
    """
    from scipy.sparse import coo_array

    n = matrix.shape[0]
    m = n if max_hosts is None else min(max_hosts, n)
    steps = _nondominated_steps(np.asarray(matrix, dtype=np.float64))
    n_t = steps.shape[1]
    ny = n * m
    nvar = ny + m
    yidx = np.arange(ny).reshape(n, m)
    rows: list[Any] = []
    lo: list[np.ndarray] = []
    hi: list[np.ndarray] = []
    # assignment: each server on exactly one host
    r = np.repeat(np.arange(n), m)
    rows.append(coo_array((np.ones(ny), (r, yidx.ravel())), shape=(n, nvar)))
    lo.append(np.ones(n))
    hi.append(np.ones(n))
    # capacity per host and step: sum_i d_i(t) y_ik - C u_k <= 0
    kk, tt, ii = np.meshgrid(np.arange(m), np.arange(n_t), np.arange(n), indexing="ij")
    row = (kk * n_t + tt).ravel()
    data = steps[ii.ravel(), tt.ravel()]
    col = yidx[ii.ravel(), kk.ravel()]
    urow = (np.arange(m)[:, None] * n_t + np.arange(n_t)[None, :]).ravel()
    ucol = ny + np.repeat(np.arange(m), n_t)
    cap_rows = coo_array(
        (
            np.concatenate([data, np.full(m * n_t, -capacity)]),
            (np.concatenate([row, urow]), np.concatenate([col, ucol])),
        ),
        shape=(m * n_t, nvar),
    )
    rows.append(cap_rows)
    lo.append(np.full(m * n_t, -np.inf))
    hi.append(np.full(m * n_t, capacity * CAPACITY_RTOL))
    if memory is not None and host_memory is not None:
        mem = np.asarray(memory, dtype=np.float64)
        mr = np.concatenate([np.tile(np.arange(m), n), np.arange(m)])
        mc = np.concatenate([yidx.ravel(), ny + np.arange(m)])
        md = np.concatenate([np.repeat(mem, m), np.full(m, -float(host_memory))])
        rows.append(coo_array((md, (mr, mc)), shape=(m, nvar)))
        lo.append(np.full(m, -np.inf))
        hi.append(np.full(m, float(host_memory) * CAPACITY_RTOL))
    # no server on an unused host: a server whose demand (and memory) is within the tolerance
    # could sit on a host the objective does not count (the capacity rows allow it there), and
    # the packing would use more hosts than the optimum HiGHS proved: y_ik <= u_k for those
    # servers only (any other server makes its host's capacity row need u_k = 1)
    free = steps.max(axis=1, initial=0.0) <= capacity * CAPACITY_RTOL
    if memory is not None and host_memory is not None:
        free &= np.asarray(memory, dtype=np.float64) <= float(host_memory) * CAPACITY_RTOL
    zi = np.flatnonzero(free)
    if zi.size:
        nz = zi.size * m
        zrow = np.arange(nz)
        rows.append(
            coo_array(
                (
                    np.concatenate([np.ones(nz), -np.ones(nz)]),
                    (
                        np.concatenate([zrow, zrow]),
                        np.concatenate([yidx[zi].ravel(), ny + np.tile(np.arange(m), zi.size)]),
                    ),
                ),
                shape=(nz, nvar),
            )
        )
        lo.append(np.full(nz, -np.inf))
        hi.append(np.zeros(nz))
    if m > 1:  # u_k - u_{k+1} >= 0
        k = np.arange(m - 1)
        rows.append(
            coo_array(
                (
                    np.concatenate([np.ones(m - 1), -np.ones(m - 1)]),
                    (np.concatenate([k, k]), np.concatenate([ny + k, ny + k + 1])),
                ),
                shape=(m - 1, nvar),
            )
        )
        lo.append(np.zeros(m - 1))
        hi.append(np.full(m - 1, np.inf))
    if conflicts is not None:
        pairs = sorted({(a, int(b)) for a, lst in enumerate(conflicts) for b in lst if a < b})
        if pairs:
            pa = np.array(pairs)
            npairs = len(pairs)
            prow = np.repeat(np.arange(npairs * m), 2)
            pcol = np.stack([yidx[pa[:, 0]].ravel(), yidx[pa[:, 1]].ravel()], axis=1).ravel()
            rows.append(coo_array((np.ones(prow.size), (prow, pcol)), shape=(npairs * m, nvar)))
            lo.append(np.full(npairs * m, -np.inf))
            hi.append(np.ones(npairs * m))
    upper = np.ones(nvar)
    upper[:ny] = (np.arange(m)[None, :] <= np.arange(n)[:, None]).ravel()  # y_ik = 0 for k > i
    cost = np.concatenate([np.zeros(ny), np.ones(m)])
    x, proved = solve_sparse_milp(
        cost,
        list(zip(rows, lo, hi, strict=True)),
        integrality=np.ones(nvar),
        lower=0,
        upper=upper,
        time_limit_s=time_limit_s,
    )
    if x is None:
        return None, False
    y = x[:ny].reshape(n, m)
    return _renumber(np.argmax(y, axis=1)), proved


__all__ = [
    "MILP_MAX_ITEMS",
    "MILP_TIME_LIMIT_S",
    "solve_sparse_milp",
    "pack_milp",
]
