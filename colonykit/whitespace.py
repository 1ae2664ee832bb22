"""Composite ("white space") analysis of utilisation traces — seed 003 §2.3.

Distributed servers are each configured for their own peak; the composite of
many workloads peaks far lower than the sum of those peaks because the peaks do
not coincide.  On a wide demand frame (time × server, see
:mod:`colonykit.ingest.traces`) this module computes:

- per server: average, peak, p95, configured capacity, headroom
  (configured − peak), spikes (peak − p95), idle/redundant flag;
- the composite series ``C(t) = Σ_s d_s(t)``, its peak and mean;
- ``sum_of_peaks = Σ_s max_t d_s(t)`` and the consolidation (non-coincidence) saving
  ``non_coincidence_saving_pct = 100 × (1 − composite_peak / sum_of_peaks)`` — the share of
  the capacity that peak-sized servers hold and the composite never uses;
- the white space, the seed's ``1 − utilisation`` of the composite on capacity sized at its
  peak: ``white_space_pct = 100 × (1 − composite_mean / composite_peak)`` (the one definition
  the plan, ``colonykit size``, ``whitespace.json``, the report and the dashboard use);
- against the configured capacity ``K = Σ_s k_s``: the seed's white space
  ``1 − utilisation`` (``100 × (1 − composite_mean / K)``), the white space at the
  composite peak (``100 × (1 − composite_peak / K)``), and the headroom share
  ``100 × (K − sum_of_peaks) / K``;
- the capacity needed for a headroom ``h``: ``composite_peak / (1 − h/100)``, and
  the consolidation saving ``100 × (1 − needed / K)``.

The hot path is one blocked pass over the ``(time, server)`` array
(:func:`fused_pass`: per-server sum, max, the composite and the percentiles of
each cache-sized block of servers while it is in cache).  The exact p95 (for
spikes) is selected (a histogram per server, then only the bucket holding the rank; or
``np.partition`` without numba) and equals ``numpy.percentile``; the approximate one
counts a sampled bracket and states its error bound.

Examples
--------
>>> import pandas as pd
>>> demand = pd.DataFrame({"a": [10.0, 20, 30, 40], "b": [30.0, 10, 20, 10],
...                        "c": [0.0, 0, 20, 0]})
>>> demand.attrs = {"unit": "cpu_pct", "interval_s": 300.0}
>>> r = analyze(demand, headroom_pct=10)
>>> r.sum_of_peaks, r.composite_peak, r.composite_mean
(90.0, 70.0, 47.5)
>>> round(r.non_coincidence_saving_pct, 2), round(r.white_space_pct, 2), round(r.capacity_needed, 2)
(22.22, 32.14, 77.78)
"""

from __future__ import annotations

import os
import sys
import threading
from collections import deque
from collections.abc import Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from colonykit import reference
from colonykit._dicts import DictMixin
from colonykit._lazy import lazy_module
from colonykit.errors import InputError, must_be, raise_problems
from colonykit.units import DEMAND_UNITS

if TYPE_CHECKING:
    import pandas as pd
else:  # imported on first use: `colonykit whitespace` reads without pandas (issue 25)
    pd = lazy_module("pandas")

#: Units a demand frame may carry; ``cpu_pct`` servers are configured at 100 each.
UNITS: tuple[str, ...] = DEMAND_UNITS

#: Configured capacity of one server whose trace is in ``cpu_pct`` (its own 100 %).
FULL_SERVER_PCT: float = 100.0


def non_coincidence_saving_pct(sum_of_peaks: float, composite_peak: float) -> float:
    """Consolidation saving of peak-sized servers: ``100 × (1 − composite_peak / sum_of_peaks)``.

    Parameters
    ----------
    sum_of_peaks : float
        Sum of the servers' individual peaks (demand unit).
    composite_peak : float
        Peak of the summed series (same unit).

    Returns
    -------
    float
        The saving in % (0 when ``sum_of_peaks`` is not positive).

    Examples
    --------
    >>> round(non_coincidence_saving_pct(49_807, 14_326), 2)  # PlanetLab 2011-03-03
    71.24
    """
    if not sum_of_peaks > 0:
        return 0.0
    return 100.0 * (1.0 - composite_peak / sum_of_peaks)


def white_space_pct(*, composite_mean: float, composite_peak: float) -> float:
    """White space (seed 003 §2.3.1: 1 − utilization) of the composite on capacity sized at its peak.

    ``100 × (1 − composite_mean / composite_peak)``; keyword-only, so that a call written for
    the saving above (sum of peaks, composite peak) fails instead of giving the other figure.

    Parameters
    ----------
    composite_mean : float
        Mean of the summed series (demand unit).
    composite_peak : float
        Peak of the summed series (same unit).

    Returns
    -------
    float
        White space in % (0 when ``composite_peak`` is not positive).

    Examples
    --------
    >>> white_space_pct(composite_mean=47.5, composite_peak=70.0)  # doctest: +ELLIPSIS
    32.14...
    """
    if not composite_peak > 0:
        return 0.0
    return 100.0 * (1.0 - composite_mean / composite_peak)


def capacity_for_headroom(peak: float, headroom_pct: float) -> float:
    """Capacity that runs ``peak`` with ``headroom_pct`` % of it left free.

    ``capacity = peak / (1 − headroom_pct / 100)`` (headroom as a share of the
    capacity, as in seed 003 §2.3: "30% of the distributed configuration is headroom").

    Parameters
    ----------
    peak : float
        Peak demand to run (demand unit).
    headroom_pct : float
        Share of the capacity kept free, 0 ≤ h < 100.

    Returns
    -------
    float
        Capacity in the demand unit.

    Raises
    ------
    InputError
        ``headroom_pct`` outside 0..100 (exclusive of 100).

    Examples
    --------
    >>> capacity_for_headroom(90.0, 10.0)
    100.0
    """
    if not 0 <= headroom_pct < 100:
        raise InputError(must_be("headroom_pct", "in 0..100 (exclusive of 100)", headroom_pct))
    return float(peak) / (1.0 - headroom_pct / 100.0)


#: Bytes of demand processed per block of servers in :func:`fused_pass` (within one L2 cache,
#: so the sums, the peak, the composite and the quantiles of one block read memory once and the
#: numpy calls per block are few; 1 MiB measured faster than 2 MiB on the CI machine in the same
#: run: exact p95 5.2 vs 5.7, approximate 3.4 vs 3.7 numpy.sum passes).  Tuning only.
BLOCK_BYTES: int = 1 << 20

#: Steps sampled per server (a fixed, seeded set of time steps) from which the approximate
#: quantile takes its two pivots.  Tuning only: the stated bound holds whatever the sample.
QUANTILE_SAMPLE: int = 256
#: Half-width of the approximate quantile's pivot bracket in binomial standard deviations of
#: the sample rank (``sqrt(n p (1 - p))``).  Tuning only.
QUANTILE_BRACKET_SD: float = 3.0
#: Half-width of the second, wide bracket tried on the rows whose first bracket missed, before
#: they are computed exactly.  Tuning only.
QUANTILE_RETRY_SD: float = 8.0
#: Quantile methods of :func:`quantile_per_server` and :func:`fused_pass`.
QUANTILE_METHODS: tuple[str, ...] = ("exact", "approx")
#: Threads of :func:`fused_pass` (capped at the CPUs; 1 = no pool).  numpy's sort, reductions
#: and comparisons release the GIL, so blocks of servers run on both cores of the CI machine:
#: 10,000 × 8,640 float32, best of 9 interleaved runs, in numpy.sum passes — no percentile
#: 1.42 → 1.05, approximate p95 2.59 → 2.16, exact p95 5.12 → 3.01.  Inputs of fewer than four
#: blocks per thread run in the caller's thread.  Tuning only: the results are identical with
#: any number (tested).
PASS_THREADS: int = 2


@dataclass(frozen=True)
class PassStats:
    """Per-server statistics of one :func:`fused_pass` (float64 arrays).

    Attributes
    ----------
    sums, peaks : ndarray
        Per-server sum and maximum (length S).
    composite : ndarray
        Summed demand at each step (length T).
    mins : ndarray or None
        Per-server minimum (when asked for).
    quantiles : dict
        Percentile (0..100) → per-server value (numpy's ``linear`` method).
    errors : dict
        Percentile → per-server bound on ``|value − exact|`` (all 0 for ``"exact"``).
    fallback_rows : dict
        Percentile → servers whose approximate bracket missed twice and that were computed
        exactly (always 0 for ``"exact"``).

    Examples
    --------
    >>> st = fused_pass(np.array([[1.0, 4.0], [3.0, 2.0]]), (100.0,))
    >>> st.quantiles[100.0].tolist(), st.fallback_rows
    ([3.0, 4.0], {100.0: 0})
    """

    sums: np.ndarray
    peaks: np.ndarray
    composite: np.ndarray
    mins: np.ndarray | None
    quantiles: dict[float, np.ndarray]
    errors: dict[float, np.ndarray]
    fallback_rows: dict[float, int]


def _popcount_rows(mask: np.ndarray) -> np.ndarray:
    """True values per row of a boolean matrix (packed to 64-bit words, counted by ``bitwise_count``)."""
    if not hasattr(np, "bitwise_count"):  # numpy < 2.0 (the declared minimum is 1.26)
        return mask.sum(axis=1, dtype=np.int64)
    bits = np.packbits(mask, axis=1)
    pad = -bits.shape[1] % 8
    if pad:
        bits = np.pad(bits, ((0, 0), (0, pad)))
    return np.bitwise_count(bits.view(np.uint64)).sum(axis=1, dtype=np.int64)


def _lerp(a: np.ndarray, b: np.ndarray, gamma: float) -> np.ndarray:
    """numpy's own linear interpolation (``numpy.lib._function_base_impl._lerp``), in the input dtype."""
    diff = b - a
    with np.errstate(invalid="ignore"):
        out = a + diff * gamma if gamma < 0.5 else b - diff * (1.0 - gamma)
    return np.asarray(out, dtype=np.float64)


def _ranks(n: int, q: float) -> tuple[int, int, float]:
    """Lower and upper order-statistic ranks and the weight of numpy's ``linear`` percentile."""
    pos = float((n - 1) * np.true_divide(q, 100))
    k = int(np.floor(pos))
    return k, min(k + 1, n - 1), pos - k


def _pivot_ranks(q: float, s: int, sd: float) -> tuple[int, int]:
    """Sample ranks (clamped to ``0..s-1``) of two pivots ``sd`` deviations either side of ``q``."""
    p = q / 100.0
    half = sd * np.sqrt(s * max(p * (1 - p), 1.0 / s)) + 1
    return max(int(np.floor(p * (s - 1) - half)), 0), min(int(np.ceil(p * (s - 1) + half)), s - 1)


def _exact_rows(rows: np.ndarray, qs: tuple[float, ...]) -> list[np.ndarray]:
    """Exact per-row percentiles of one block: one SIMD sort serves every percentile."""
    srt = np.sort(rows, axis=1)
    out = []
    for q in qs:
        k, k2, gamma = _ranks(rows.shape[1], q)
        out.append(_lerp(srt[:, k], srt[:, k2], gamma))
    return out


def _approx_rows(
    rows: np.ndarray,
    smp: np.ndarray,
    mins: np.ndarray | None,
    peaks: np.ndarray,
    q: float,
    sd: float = QUANTILE_BRACKET_SD,
) -> tuple[np.ndarray, np.ndarray, int]:
    """One block's approximate ``q``-th percentile per row: a sampled bracket, counted.

    Returns the values (float64), their error bounds and the number of rows computed exactly.
    """
    k, k2, gamma = _ranks(rows.shape[1], q)
    s = smp.shape[1]
    i_lo, i_hi = _pivot_ranks(q, s, sd)
    # at the ends of the sample a pivot is the row's own minimum or maximum: never a miss there
    lo = mins if i_lo == 0 and mins is not None else smp[:, i_lo]
    hi = peaks if i_hi == s - 1 else smp[:, i_hi]
    c_lt = _popcount_rows(rows < lo[:, None])
    c_le = _popcount_rows(rows <= hi[:, None])
    ok = (c_lt <= k) & (c_le > k2)  # both order statistics lie in [lo, hi]: counted, not assumed
    lo64, hi64 = lo.astype(np.float64), hi.astype(np.float64)
    out = (lo64 + hi64) / 2
    err = (hi64 - lo64) / 2
    tie = ok & (lo == hi)  # both order statistics equal the pivot: exact
    out[tie], err[tie] = lo64[tie], 0.0
    miss = np.flatnonzero(~ok)
    n_exact = 0
    if miss.size and sd < QUANTILE_RETRY_SD:  # once more with a wide bracket, on these rows only
        out[miss], err[miss], n_exact = _approx_rows(
            rows[miss],
            smp[miss],
            None if mins is None else mins[miss],
            peaks[miss],
            q,
            QUANTILE_RETRY_SD,
        )
    elif miss.size:
        out[miss], err[miss], n_exact = _exact_rows(rows[miss], (q,))[0], 0.0, int(miss.size)
    return out, err, n_exact


def select_jit_available() -> bool:
    """Whether the compiled order-statistic selection can run (numba, ``colonykit[fast]``).

    Examples
    --------
    >>> isinstance(select_jit_available(), bool)
    True
    """
    try:
        import colonykit._select_jit  # noqa: F401
    except ImportError:
        return False
    return True


#: Use the compiled selection: True = always (numba needed), False = never (``np.partition``),
#: None = when numba is installed and either already imported or the matrix has at least
#: ``SELECT_JIT_MIN_CELLS`` values (importing numba costs 2-3 s on the 2-core VM, more than the
#: selection saves on smaller matrices: about 0.7 s of CPU per 86 M float32 values with the
#: histogram selection against np.partition).  Tuning only: the
#: values are the same either way (tested).
SELECT_JIT: bool | None = None
#: Values from which ``SELECT_JIT = None`` imports numba for the selection.  Tuning only.
SELECT_JIT_MIN_CELLS: int = 500_000_000


def _use_select_jit(cells: int) -> bool:
    """``SELECT_JIT`` resolved for a matrix of ``cells`` values."""
    if SELECT_JIT is not None:
        return bool(SELECT_JIT) and select_jit_available()
    if "numba" in sys.modules or cells >= SELECT_JIT_MIN_CELLS:
        return select_jit_available()
    return False


def _select_rows(
    rows: np.ndarray,
    ranks: np.ndarray,
    local: threading.local,
    use_jit: bool,
    bounds: tuple[np.ndarray, np.ndarray | None],
) -> np.ndarray:
    """Order statistics ``ranks`` of each row of one ``(b, T)`` block: ``(b, len(ranks))``.

    Selection, not a sort: the compiled histogram selection when numba is installed (``bounds``
    = the rows' maximum and, when already computed, minimum), otherwise ``np.partition``
    (introselect, numpy's own route to ``percentile``) in the thread's buffer.  Both return the
    order statistics themselves.
    """
    if use_jit:
        from colonykit._select_jit import order_stats

        peaks, mins = bounds
        out = np.empty((rows.shape[0], ranks.size), dtype=rows.dtype)
        order_stats(
            np.ascontiguousarray(rows),
            ranks,
            rows.min(axis=1) if mins is None else mins,
            peaks,
            out,
        )
        return out
    buf = getattr(local, "buf", None)
    if buf is None or buf.shape[0] < rows.shape[0] or buf.dtype != rows.dtype:
        buf = local.buf = np.empty_like(rows, order="C")
    part = buf[: rows.shape[0]]
    np.copyto(part, rows)
    part.partition(ranks, axis=1)  # in place, in the thread's buffer (no allocation per block)
    return part[:, ranks]


def _servers_per_block(values: np.ndarray, block_bytes: int) -> int:
    """Servers per block of :func:`_server_blocks` (at least one)."""
    return max(1, block_bytes // max(1, values.shape[0] * values.itemsize))


def _server_blocks(values: np.ndarray, block_bytes: int) -> Iterator[tuple[int, np.ndarray]]:
    """``(first server, rows)`` blocks of a ``(time, server)`` array, rows ``(b, T)`` C-ordered."""
    n_s = values.shape[1]
    b = _servers_per_block(values, block_bytes)
    if values.flags.f_contiguous:
        rows_all = values.T  # (S, T) C-ordered view: a wide frame's layout
        for j in range(0, n_s, b):  # loop over cache blocks of servers, not over samples
            yield j, rows_all[j : j + b]
    else:
        for j in range(0, n_s, b):  # a C-ordered array: copy one block of columns at a time
            yield j, np.ascontiguousarray(values[:, j : j + b].T)


def fused_pass(
    values: npt.NDArray[np.floating],
    quantiles: tuple[float, ...] = (),
    *,
    method: str = "exact",
    with_min: bool = False,
    block_bytes: int = BLOCK_BYTES,
    threads: int | None = None,
) -> PassStats:
    """Per-server sum, peak, minimum and quantiles and the composite series in one blocked pass.

    The servers are walked in cache-sized blocks; each block is read from memory once and, while
    it is in cache, reduced to its sums (``einsum``) and peaks, added to the composite, and:

    - ``"exact"``: selected, not sorted (issue 25): the two order statistics of numpy's
      ``linear`` method are found by the compiled histogram selection of
      :mod:`colonykit._select_jit` when numba is installed (a histogram of each row between
      its minimum and maximum, then only the bucket holding the rank, again until a few
      values are left, which are sorted), otherwise
      by ``np.partition`` — and interpolated by numpy's own formula in the input dtype, so the
      values equal ``numpy.percentile(values, q, axis=0)``;
    - ``"approx"``: bracketed.  The block's values at ``QUANTILE_SAMPLE`` fixed, seeded steps
      are sorted and two pivots ``lo ≤ hi`` taken ``QUANTILE_BRACKET_SD`` binomial standard
      deviations either side of the quantile's sample rank (the row's own minimum or maximum
      at the ends); two comparisons count, per row, the values below ``lo`` and up to ``hi``.
      Where the counts prove that both order statistics of the linear method lie in
      ``[lo, hi]`` (checked, never assumed), the midpoint is returned with the certified
      bound ``(hi − lo) / 2``.  A row whose bracket misses is bracketed once more at
      ``QUANTILE_RETRY_SD``, then computed exactly (``fallback_rows``).

    Series shorter than ``4 × QUANTILE_SAMPLE`` steps are always computed exactly.

    Parameters
    ----------
    values : ndarray
        ``(time, server)`` array, float32 or float64, either memory order (F-ordered, the
        layout of a wide frame's ``to_numpy()``, is read in place).
    quantiles : tuple of float
        Percentiles (0..100) to compute per server.
    method : {"exact", "approx"}
        How to compute them (see above).
    with_min : bool
        Also return the per-server minimum.
    block_bytes : int
        Bytes of demand per block (tuning only).
    threads : int, optional
        Threads the blocks are spread over (default ``PASS_THREADS``, at most the CPUs); the
        results are the same with any number (each block writes its own rows, and the
        composite is summed in block order).

    Returns
    -------
    PassStats
        Float64 sums, peaks, composite, minimums (or None), and per percentile the values,
        their error bounds and the number of fallback rows.

    Raises
    ------
    InputError
        An unknown ``method``, a percentile outside 0..100, or an array that is not 2-D.

    Examples
    --------
    >>> v = np.asfortranarray([[1.0, 0.0], [3.0, 2.0], [2.0, 4.0]])
    >>> st = fused_pass(v, (50.0,))
    >>> st.sums.tolist(), st.peaks.tolist(), st.composite.tolist()
    ([6.0, 6.0], [3.0, 4.0], [1.0, 5.0, 6.0])
    >>> st.quantiles[50.0].tolist()
    [2.0, 2.0]
    """
    if method not in QUANTILE_METHODS:
        raise InputError(must_be("method", f"one of {list(QUANTILE_METHODS)}", method))
    for q in quantiles:
        if not 0 <= q <= 100:
            raise InputError(must_be("percentile", "in 0..100", q))
    values = np.asarray(values)
    if values.ndim != 2:
        raise InputError(must_be("values", "a 2-D (time, server) array", values.shape))
    n_t, n_s = values.shape
    dtype = values.dtype
    qs = tuple(float(q) for q in quantiles)
    approx = method == "approx" and bool(qs) and n_t >= 4 * QUANTILE_SAMPLE
    sums = np.empty(n_s, dtype=np.float64)
    peaks = np.empty(n_s, dtype=dtype)
    # the approximate bracket needs the minimum only where a pivot would fall below the sample
    need_min = with_min or (
        approx and any(_pivot_ranks(q, QUANTILE_SAMPLE, QUANTILE_RETRY_SD)[0] == 0 for q in qs)
    )
    mins = np.empty(n_s, dtype=dtype) if need_min else None
    comp = np.zeros(n_t, dtype=np.float64)
    q_out = {q: np.empty(n_s, dtype=np.float64) for q in qs}
    q_err = {q: np.zeros(n_s, dtype=np.float64) for q in qs}
    fallback = dict.fromkeys(qs, 0)
    cols = (
        np.sort(np.random.default_rng(0).choice(n_t, QUANTILE_SAMPLE, replace=False))
        if approx
        else None
    )
    local = threading.local()  # one selection buffer per thread, reused block after block
    ranks = np.unique(np.asarray([r for q in qs for r in _ranks(n_t, q)[:2]], dtype=np.int64))
    rank_at = {int(r): i for i, r in enumerate(ranks)}
    use_jit = bool(qs) and not approx and _use_select_jit(n_t * n_s)

    def block(j: int, rows: np.ndarray) -> tuple[np.ndarray, list[int]]:
        """One block's statistics into its rows of the outputs; its composite part."""
        sl = slice(j, j + rows.shape[0])
        sums[sl] = np.einsum("ij->i", rows)  # SIMD row sums, no BLAS threads
        part = rows.sum(axis=0)
        if qs and not approx:  # selection of the order statistics, not a sort
            rows.max(axis=1, out=peaks[sl])
            if mins is not None:
                rows.min(axis=1, out=mins[sl])
            picked = _select_rows(
                rows, ranks, local, use_jit, (peaks[sl], None if mins is None else mins[sl])
            )
            for q in qs:
                k, k2, gamma = _ranks(n_t, q)
                q_out[q][sl] = _lerp(picked[:, rank_at[k]], picked[:, rank_at[k2]], gamma)
            return part, []
        rows.max(axis=1, out=peaks[sl])
        if mins is not None:
            rows.min(axis=1, out=mins[sl])
        if not qs:
            return part, []
        assert cols is not None
        smp = np.sort(rows[:, cols], axis=1)
        n_exact = []
        for q in qs:
            q_out[q][sl], q_err[q][sl], n = _approx_rows(
                rows, smp, None if mins is None else mins[sl], peaks[sl], q
            )
            n_exact.append(n)
        return part, n_exact

    def add(done: tuple[np.ndarray, list[int]]) -> None:
        np.add(comp, done[0], out=comp)  # in block order whatever the threads: same sums
        for q, n in zip(qs, done[1], strict=False):
            fallback[q] += n

    n_blocks = -(-n_s // _servers_per_block(values, block_bytes))
    workers = min(PASS_THREADS if threads is None else int(threads), os.cpu_count() or 1)
    if workers <= 1 or n_blocks < 4 * workers:
        for j, rows in _server_blocks(values, block_bytes):
            add(block(j, rows))
    else:  # numpy's sort, reductions and comparisons release the GIL: blocks on every core
        with ThreadPoolExecutor(workers) as pool:
            window: deque[Future[tuple[np.ndarray, list[int]]]] = deque()
            for j, rows in _server_blocks(values, block_bytes):
                window.append(pool.submit(block, j, rows))
                if len(window) >= 2 * workers:  # a bounded window: C-ordered input is copied
                    add(window.popleft().result())
            while window:
                add(window.popleft().result())
    nan_rows = np.isnan(sums)
    if nan_rows.any():  # numpy's percentile is NaN for a series with a missing value
        for q in qs:
            q_out[q][nan_rows] = np.nan
            q_err[q][nan_rows] = 0.0
        peaks[nan_rows] = np.nan
        if mins is not None:
            mins[nan_rows] = np.nan
    return PassStats(
        sums=sums,
        peaks=peaks.astype(np.float64),
        composite=comp,
        mins=None if mins is None else mins.astype(np.float64),
        quantiles=q_out,
        errors=q_err,
        fallback_rows=fallback,
    )


def fused_stats(
    values: npt.NDArray[np.floating], block_bytes: int = BLOCK_BYTES, with_min: bool = False
) -> tuple[np.ndarray, ...]:
    """Per-server sum and peak and the composite series in one blocked pass.

    The statistics of :func:`fused_pass` without quantiles, as a tuple.

    Parameters
    ----------
    values : ndarray
        ``(time, server)`` array, float32 or float64, either memory order.
    block_bytes : int
        Bytes of demand per block (tuning only).
    with_min : bool
        Also return the per-server minimum.

    Returns
    -------
    tuple of ndarray
        ``(sums, peaks, composite)`` and, when ``with_min``, ``mins``: float64 arrays of
        length S, S, T (and S).

    Examples
    --------
    >>> v = np.array([[1.0, 0.0], [3.0, 2.0]])
    >>> [x.tolist() for x in fused_stats(v)]
    [[4.0, 2.0], [3.0, 2.0], [1.0, 5.0]]
    """
    st = fused_pass(values, with_min=with_min, block_bytes=block_bytes)
    out = (st.sums, st.peaks, st.composite)
    return (*out, st.mins) if with_min and st.mins is not None else out


def quantile_per_server(
    values: npt.NDArray[np.floating],
    q: float,
    *,
    method: str = "exact",
    block_bytes: int = BLOCK_BYTES,
) -> tuple[np.ndarray, np.ndarray]:
    """Per-server ``q``-th percentile of a ``(time, server)`` array, exact or within a bound.

    ``"exact"`` equals ``numpy.percentile(values, q, axis=0)`` (numpy's ``linear`` method,
    interpolated by numpy's own formula in the input dtype); ``"approx"`` is within its
    per-server ``error`` of it (``|approx − exact| ≤ error``, tested).  Both come from the
    bracketed pass of :func:`fused_pass`.

    Parameters
    ----------
    values : ndarray
        ``(time, server)`` array, float32 or float64, either memory order.
    q : float
        Percentile, 0..100.
    method : {"exact", "approx"}
        Exact order statistics, or the midpoint of a counted bracket with its half-width.
    block_bytes : int
        Bytes of demand per block (tuning only).

    Returns
    -------
    values : ndarray
        Float64, one value per server.
    error : ndarray
        Float64 bound on ``|value − exact|`` per server (0 for ``"exact"``).

    Raises
    ------
    InputError
        An unknown ``method`` or ``q`` outside 0..100.

    Examples
    --------
    >>> v = np.asfortranarray([[10.0, 30.0], [20.0, 10.0], [30.0, 20.0], [40.0, 10.0]])
    >>> quantile_per_server(v, 50)[0].tolist()
    [25.0, 15.0]
    """
    st = fused_pass(values, (q,), method=method, block_bytes=block_bytes)
    return st.quantiles[float(q)], st.errors[float(q)]


def percentile_per_server(
    values: npt.NDArray[np.floating], q: float, block_bytes: int = BLOCK_BYTES
) -> np.ndarray:
    """Per-server ``q``-th percentile (numpy's default linear method) of a ``(time, server)`` array.

    The exact values of :func:`quantile_per_server` (equal to
    ``np.percentile(values, q, axis=0)``).

    Parameters
    ----------
    values : ndarray
        ``(time, server)`` array, float32 or float64, either memory order.
    q : float
        Percentile, 0..100.
    block_bytes : int
        Bytes of demand per block (tuning only).

    Returns
    -------
    ndarray
        Float64, one value per server.

    Examples
    --------
    >>> v = np.asfortranarray([[10.0, 30.0], [20.0, 10.0], [30.0, 20.0], [40.0, 10.0]])
    >>> percentile_per_server(v, 50).tolist()
    [25.0, 15.0]
    """
    return quantile_per_server(values, q, block_bytes=block_bytes)[0]


class _PeakRatio:
    """``peak_ratio`` of :class:`WhiteSpaceResult` and :class:`WhiteSpaceFigures` (one formula)."""

    sum_of_peaks: float
    composite_peak: float

    @property
    def peak_ratio(self) -> float:
        """Return ``sum_of_peaks / composite_peak`` (how many times the peaks over-provision).

        Returns
        -------
        float
            The ratio (``inf`` when the composite peak is 0).

        Examples
        --------
        >>> r = analyze(np.array([[10.0, 0.0], [0.0, 10.0]]), unit="mips")
        >>> r.peak_ratio
        2.0
        """
        return self.sum_of_peaks / self.composite_peak if self.composite_peak > 0 else float("inf")


@dataclass(frozen=True)
class WhiteSpaceResult(_PeakRatio, DictMixin):
    """Result of :func:`analyze` (all capacities in ``unit``).

    Attributes
    ----------
    per_server : DataFrame
        Index server; ``avg, peak, p95, configured, headroom, spikes, util_peak_pct,
        idle`` (``p95``/``spikes`` absent when spikes were not computed).
    composite : Series
        Summed demand at each step (index = the demand frame's index).
    sources : DataFrame
        Measurable sources of white space (seed 003 §2.3): ``capacity`` and
        ``pct_of_configured`` for ``headroom``, ``spikes``, ``non_coincident_peaks``,
        ``idle_servers``, ``unused_at_composite_peak``, ``unused_on_average``.  They
        overlap; they are not meant to add up.
    unit : str
        Unit of every capacity (``mips``, ``mhz``, ``pct`` …).
    interval_s : float
        Seconds between samples.
    servers : int
        Number of servers (columns).
    steps : int
        Number of time steps (rows).
    sum_of_peaks : float
        Σ of the servers' own peaks (what peak-based sizing buys).
    composite_peak : float
        Peak of the summed demand (what the colony needs at once).
    composite_peak_at : object
        Index label (time) of the composite peak.
    composite_mean : float
        Mean of the summed demand.
    white_space_pct : float
        White space (seed: 1 − utilization) of the composite on capacity sized at its peak,
        100 × (1 − composite_mean ÷ composite_peak) [%].
    non_coincidence_saving_pct : float
        Consolidation saving of peak-sized servers, 100 × (1 − composite_peak ÷ sum_of_peaks) [%].
    configured_total : float
        Configured capacity of the source servers (``configured_source`` says where it came from).
    configured_source : str
        Where ``configured_total`` came from (the input, or the sum of peaks).
    mean_white_space_pct : float
        Share of the configured capacity unused on average [%].
    peak_white_space_pct : float
        Share of the configured capacity unused at the composite peak [%].
    configured_headroom_pct : float
        Share of the configured capacity above the sum of peaks [%].
    headroom_pct : float
        Headroom kept above the composite peak in ``capacity_needed`` [%].
    capacity_needed : float
        composite_peak ÷ (1 − headroom_pct ÷ 100).
    saving_pct : float
        Share of the configured capacity that ``capacity_needed`` saves [%].
    saving_vs_peaks_pct : float
        100 × (1 − capacity_needed ÷ sum_of_peaks) [%].
    idle_servers : list of str
        Servers whose peak stays below ``idle_util_peak_pct``.
    parameters : dict
        The parameters used (headroom, percentile, idle threshold, spikes).

    Examples
    --------
    >>> r = analyze(np.array([[10.0, 0.0], [0.0, 10.0]]), unit="mips")
    >>> r.per_server["peak"].tolist(), r.composite.tolist()
    ([10.0, 10.0], [10.0, 10.0])
    """

    per_server: pd.DataFrame
    composite: pd.Series
    sources: pd.DataFrame
    unit: str
    interval_s: float
    servers: int
    steps: int
    sum_of_peaks: float
    composite_peak: float
    composite_peak_at: Any
    composite_mean: float
    white_space_pct: float
    non_coincidence_saving_pct: float
    configured_total: float
    configured_source: str
    mean_white_space_pct: float
    peak_white_space_pct: float
    configured_headroom_pct: float
    headroom_pct: float
    capacity_needed: float
    saving_pct: float
    saving_vs_peaks_pct: float
    idle_servers: list[str]
    parameters: dict[str, Any] = field(default_factory=dict)

    #: to_dict() keys: the scalars (the CLI's ``--format json`` keys first)
    _dict_keys = (
        "servers",
        "sum_of_peaks",
        "composite_peak",
        "composite_mean",
        "white_space_pct",
        "non_coincidence_saving_pct",
        "unit",
        "steps",
        "interval_s",
        "composite_peak_at",
        "peak_ratio",
        "configured_total",
        "configured_source",
        "mean_white_space_pct",
        "peak_white_space_pct",
        "configured_headroom_pct",
        "headroom_pct",
        "capacity_needed",
        "saving_pct",
        "saving_vs_peaks_pct",
        "idle_servers",
        "sources",
    )

    def _dict_computed(self) -> dict[str, Any]:
        at = self.composite_peak_at
        return {
            "composite_peak_at": at.isoformat() if hasattr(at, "isoformat") else at,
            "idle_servers": len(self.idle_servers),
            "sources": {str(k): float(v) for k, v in self.sources["capacity"].items()},
        }

    def summary(self) -> str:
        """A few plain sentences with the headline figures.

        Returns
        -------
        str
            Five lines: shape, peaks, white space, configured capacity, capacity needed.

        Examples
        --------
        >>> print(analyze(np.array([[10.0, 0.0], [0.0, 10.0]]), unit="mips").summary())
        ... # doctest: +ELLIPSIS
        2 servers, 2 steps of nan s (mips).
        Sum of individual peaks 20.0; composite peak 10.0 (at 0); composite mean 10.0.
        ...
        """
        u = self.unit
        return (
            f"{self.servers} servers, {self.steps} steps of {self.interval_s:g} s ({u}).\n"
            f"Sum of individual peaks {self.sum_of_peaks:,.1f}; composite peak "
            f"{self.composite_peak:,.1f} (at {self.composite_peak_at}); composite mean "
            f"{self.composite_mean:,.1f}.\n"
            f"Non-coincidence saving of peak-sized servers: {self.non_coincidence_saving_pct:.1f} % "
            f"(peaks over-provision {self.peak_ratio:.2f}x). White space of the composite "
            f"(1 − mean ÷ peak): {self.white_space_pct:.1f} %.\n"
            f"Configured {self.configured_total:,.1f} ({self.configured_source}): "
            f"{self.mean_white_space_pct:.1f} % white space on average, "
            f"{self.configured_headroom_pct:.1f} % headroom.\n"
            f"Capacity needed with {self.headroom_pct:g} % headroom: {self.capacity_needed:,.1f} "
            f"({self.saving_pct:.1f} % less than configured); {len(self.idle_servers)} idle server(s)."
        )


def _pct(part: Any, whole: float) -> Any:
    """``100 × part / whole`` (NaN when ``whole`` is 0)."""
    if whole > 0:
        return 100.0 * np.asarray(part, dtype=float) / whole
    return np.full(np.shape(part), np.nan) if np.ndim(part) else float("nan")


def _configured(
    configured: float | pd.Series | Mapping[str, float] | None,
    unit: str,
    names: list[str],
    peak: np.ndarray,
) -> tuple[np.ndarray, str]:
    """Per-server configured capacity and where it came from (checked: one per server, >= 0)."""
    if configured is None:
        if unit == "cpu_pct":
            return np.full(len(names), FULL_SERVER_PCT), "100 % per server (cpu_pct traces)"
        return peak.copy(), "each server's own peak (no capacity given)"
    if isinstance(configured, int | float | np.integer | np.floating):
        arr = np.full(len(names), float(configured))
        where = "configured"
    else:
        ser = pd.Series(configured, dtype=float) if isinstance(configured, Mapping) else configured
        arr = ser.reindex(names).to_numpy(dtype=float)
        missing = [n for n, v in zip(names, arr, strict=True) if not np.isfinite(v)]
        if missing:
            msg = f"'configured' has no capacity for {len(missing)} server(s): {missing[:5]}"
            raise InputError(msg)
        where = "given per server"
    if np.any(arr < 0):
        raise InputError(must_be("configured", ">= 0 for every server", float(arr.min())))
    return arr, where


def analyze(
    demand: pd.DataFrame | npt.NDArray[np.floating],
    headroom_pct: float | None = None,
    *,
    configured: float | pd.Series | Mapping[str, float] | None = None,
    unit: str | None = None,
    spikes: bool = True,
    percentile: float | None = None,
    idle_util_peak_pct: float | None = None,
    validate: bool = True,
    percentile_method: str = "exact",
) -> WhiteSpaceResult:
    """Composite / white-space analysis of a wide demand frame.

    Parameters
    ----------
    demand : DataFrame or ndarray
        Wide demand frame (time × server) or a ``(time, server)`` array
        (``float32`` is fine; sums are accumulated per block and returned as float64).
    headroom_pct : float, optional
        Headroom kept free above the composite peak when sizing the consolidated
        capacity (default: constant ``whitespace_headroom_pct`` = 10).
    configured : float, Series or mapping, optional
        Configured capacity of each server in the demand unit.  Default: 100 per
        server for ``cpu_pct`` traces, otherwise each server's own peak.
    unit : str, optional
        Unit of ``demand`` (default ``demand.attrs["unit"]``, else ``cpu_pct``).
    spikes : bool
        Compute the per-server percentile and spikes (in the same pass; one sort per block).
    percentile : float, optional
        Percentile for spikes (default: constant ``spike_percentile`` = 95).
    idle_util_peak_pct : float, optional
        Servers whose peak is at most this % of their configured capacity are idle
        (default: constant ``idle_util_peak_pct`` = 5).  Without a configured
        capacity (absolute units) only servers with a zero peak are idle.
    validate : bool
        Check for negative values (one extra pass).  NaN is always detected.
    percentile_method : {"exact", "approx"}
        ``"exact"`` (equal to ``numpy.percentile``) or ``"approx"`` (within a per-server
        bound, see :func:`fused_pass`; the largest bound is
        ``parameters["percentile_error_max"]`` and the servers computed exactly after two
        bracket misses ``parameters["percentile_fallback_servers"]``).

    Returns
    -------
    WhiteSpaceResult
        Per-server table, composite series, white-space sources and headline figures.

    Raises
    ------
    InputError
        Empty demand, NaN (unfilled gaps), negative values, bad parameters.

    Examples
    --------
    >>> from colonykit.ingest import read_traces
    >>> frame, _ = read_traces("data/traces/planetlab_20110303")
    >>> r = analyze(frame)
    >>> r.servers, r.sum_of_peaks, r.composite_peak, round(r.non_coincidence_saving_pct, 1)
    (1052, 49807.0, 14326.0, 71.2)
    """
    resolve_parameters(headroom_pct, percentile, idle_util_peak_pct)  # refused before the data
    if _is_frame(demand):
        frame: pd.DataFrame = demand  # type: ignore[assignment]
        the_unit = unit or frame.attrs.get("unit", "cpu_pct")
        interval_s = float(frame.attrs.get("interval_s", float("nan")))
        names = [str(c) for c in frame.columns]
        index = frame.index
        values = frame.to_numpy()
    else:
        the_unit = unit or "cpu_pct"
        interval_s = float("nan")
        values = np.asarray(demand)
        if values.ndim != 2:
            raise InputError(must_be("demand", "a 2-D (time, server) array", values.shape))
        names = np.char.add("s", np.arange(values.shape[1]).astype(str)).tolist()
        index = pd.RangeIndex(values.shape[0], name="step")
    figures = analyze_values(
        values,
        names,
        index,
        unit=the_unit,
        interval_s=interval_s,
        headroom_pct=headroom_pct,
        configured=configured,
        spikes=spikes,
        percentile=percentile,
        idle_util_peak_pct=idle_util_peak_pct,
        validate=validate,
        percentile_method=percentile_method,
    )
    return _result(figures, index)


def _is_frame(obj: object) -> bool:
    """``obj`` is a pandas DataFrame (without importing pandas: none exists before it is loaded)."""
    return "pandas" in sys.modules and isinstance(obj, sys.modules["pandas"].DataFrame)


def analyze_values(
    values: npt.NDArray[np.floating],
    names: list[str],
    index: Any,
    *,
    unit: str = "cpu_pct",
    interval_s: float = float("nan"),
    headroom_pct: float | None = None,
    configured: float | pd.Series | Mapping[str, float] | None = None,
    spikes: bool = True,
    percentile: float | None = None,
    idle_util_peak_pct: float | None = None,
    validate: bool = True,
    percentile_method: str = "exact",
) -> WhiteSpaceFigures:
    """:func:`analyze` on a ``(time, server)`` array, without pandas: the figures only.

    The same pass and the same figures as :func:`analyze` (which calls it and adds the
    per-server table, the composite series and the sources as pandas objects).

    Parameters
    ----------
    values : ndarray
        ``(time, server)`` demand (``float32`` or ``float64``).
    names : list of str
        Server names (one per column).
    index : sequence
        Time label of each row (``index[i]`` is reported for the composite peak; a pandas
        ``Index``, or any sequence of labels).
    unit : str
        Demand unit, one of :data:`UNITS`.
    interval_s : float
        Step length in seconds (NaN when unknown).
    headroom_pct, configured, spikes, percentile, idle_util_peak_pct, validate, percentile_method
        As in :func:`analyze`.

    Returns
    -------
    WhiteSpaceFigures
        Every figure of :class:`WhiteSpaceResult` as numpy arrays and Python scalars
        (``to_dict()`` equal to the result's).

    Raises
    ------
    InputError
        Empty demand, NaN (unfilled gaps), negative values, bad parameters.

    Examples
    --------
    >>> f = analyze_values(np.array([[10.0, 0.0], [0.0, 10.0]]), ["a", "b"], [0, 1], unit="mips")
    >>> f.sum_of_peaks, f.composite_peak, f.composite.tolist()
    (20.0, 10.0, [10.0, 10.0])
    """
    headroom_pct, percentile, idle_util_peak_pct = resolve_parameters(
        headroom_pct, percentile, idle_util_peak_pct
    )
    the_unit = unit
    if the_unit not in UNITS:
        raise InputError(must_be("unit", f"one of {list(UNITS)}", the_unit))
    if values.size == 0:
        raise InputError(
            must_be("demand", "non-empty (at least one step and one server)", values.shape)
        )
    if values.dtype not in (np.float32, np.float64):
        try:
            values = values.astype(np.float64)
        except (TypeError, ValueError) as exc:
            msg = must_be("demand", "numeric", values.dtype)
            raise InputError(msg) from exc

    st = fused_pass(
        values, (percentile,) if spikes else (), method=percentile_method, with_min=validate
    )
    comp = st.composite
    if not np.isfinite(comp).all() or (
        validate and st.mins is not None and float(st.mins.min()) < 0
    ):
        from colonykit.frames import demand_problems

        idx = index if isinstance(index, pd.Index) else pd.Index(list(index))
        bad = demand_problems(values.T, names, idx) or [  # finite values whose sum overflows
            must_be("demand", "small enough for a finite composite", float(np.max(np.abs(values))))
        ]
        raise_problems(bad, "invalid demand")
    stats = {"avg": st.sums / values.shape[0], "peak": st.peaks}
    p_err = 0.0
    fallback = 0
    if spikes:
        stats["p"], err = st.quantiles[percentile], st.errors[percentile]
        p_err = float(err.max()) if err.size else 0.0
        fallback = st.fallback_rows[percentile]

    figures = _figures(
        names,
        stats["avg"],
        stats["peak"],
        comp,
        index,
        p=stats.get("p"),
        unit=the_unit,
        interval_s=interval_s,
        steps=int(values.shape[0]),
        headroom_pct=headroom_pct,
        configured=configured,
        percentile=percentile,
        idle_util_peak_pct=idle_util_peak_pct,
    )
    if spikes:
        figures.parameters.update(
            percentile_method=percentile_method,
            percentile_error_max=p_err,
            percentile_fallback_servers=fallback,
        )
    return figures


def resolve_parameters(
    headroom_pct: float | None = None,
    percentile: float | None = None,
    idle_util_peak_pct: float | None = None,
) -> tuple[float, float, float]:
    """Fill defaults from ``constants_whitespace.csv`` and validate the three parameters.

    Parameters
    ----------
    headroom_pct : float, optional
        Headroom above the composite peak (default constant ``whitespace_headroom_pct``).
    percentile : float, optional
        Percentile for spikes (default constant ``spike_percentile``).
    idle_util_peak_pct : float, optional
        Idle threshold (default constant ``idle_util_peak_pct``).

    Returns
    -------
    tuple of float
        ``(headroom_pct, percentile, idle_util_peak_pct)``.

    Raises
    ------
    InputError
        A value outside its range.

    Examples
    --------
    >>> resolve_parameters()
    (10.0, 95.0, 5.0)
    """
    if headroom_pct is None:
        headroom_pct = reference.constant("whitespace_headroom_pct")
    if percentile is None:
        percentile = reference.constant("spike_percentile")
    if idle_util_peak_pct is None:
        idle_util_peak_pct = reference.constant("idle_util_peak_pct")
    if not 0 <= headroom_pct < 100:
        raise InputError(must_be("headroom_pct", "in 0..100 (exclusive of 100)", headroom_pct))
    if not 0 < percentile <= 100:
        raise InputError(must_be("percentile", "in 0..100", percentile))
    if not 0 <= idle_util_peak_pct <= 100:
        raise InputError(must_be("idle_util_peak_pct", "in 0..100", idle_util_peak_pct))
    return float(headroom_pct), float(percentile), float(idle_util_peak_pct)


def from_stats(
    names: list[str],
    avg: npt.ArrayLike,
    peak: npt.ArrayLike,
    composite: npt.ArrayLike,
    index: pd.Index,
    *,
    p: npt.ArrayLike | None = None,
    unit: str = "cpu_pct",
    interval_s: float = float("nan"),
    steps: int | None = None,
    headroom_pct: float | None = None,
    configured: float | pd.Series | Mapping[str, float] | None = None,
    percentile: float | None = None,
    idle_util_peak_pct: float | None = None,
) -> WhiteSpaceResult:
    """Build a :class:`WhiteSpaceResult` from per-server statistics and the composite series.

    Shared by :func:`analyze` (in memory) and :mod:`colonykit.scale` (Dask), so both
    paths derive every figure the same way.

    Parameters
    ----------
    names : list of str
        Server names, in the order of the per-server arrays.
    avg, peak : array_like
        Per-server mean and peak demand.
    composite : array_like
        Summed demand at each step.
    index : Index
        Time index of the composite (its label at the peak is reported).
    p : array_like, optional
        Per-server percentile (for spikes); without it no spike figures are made.
    unit : str
        Demand unit, one of :data:`UNITS`.
    interval_s : float
        Step length in seconds (NaN when unknown).
    steps : int, optional
        Number of steps (default ``len(composite)``).
    headroom_pct : float, optional
        As in :func:`analyze`.
    configured : float, Series or mapping, optional
        As in :func:`analyze`.
    percentile, idle_util_peak_pct : float, optional
        As in :func:`analyze`.

    Returns
    -------
    WhiteSpaceResult
        The same result :func:`analyze` builds from these statistics.

    Raises
    ------
    InputError
        Bad unit or parameter, or a configured capacity missing for a server.

    Examples
    --------
    >>> r = from_stats(["a", "b"], [1.0, 2.0], [3.0, 4.0], [3.0, 5.0], pd.RangeIndex(2),
    ...                unit="mips")
    >>> r.sum_of_peaks, r.composite_peak, r.non_coincidence_saving_pct
    (7.0, 5.0, 28.57142857142857)
    """
    return _result(
        _figures(
            names,
            avg,
            peak,
            composite,
            index,
            p=p,
            unit=unit,
            interval_s=interval_s,
            steps=steps,
            headroom_pct=headroom_pct,
            configured=configured,
            percentile=percentile,
            idle_util_peak_pct=idle_util_peak_pct,
        ),
        index,
    )


#: The scalar figures :class:`WhiteSpaceFigures` and :class:`WhiteSpaceResult` share.
_SCALARS: tuple[str, ...] = (
    "unit",
    "interval_s",
    "servers",
    "steps",
    "sum_of_peaks",
    "composite_peak",
    "composite_peak_at",
    "composite_mean",
    "white_space_pct",
    "non_coincidence_saving_pct",
    "configured_total",
    "configured_source",
    "mean_white_space_pct",
    "peak_white_space_pct",
    "configured_headroom_pct",
    "headroom_pct",
    "capacity_needed",
    "saving_pct",
    "saving_vs_peaks_pct",
    "idle_servers",
    "parameters",
)


@dataclass(frozen=True)
class WhiteSpaceFigures(_PeakRatio, DictMixin):
    """The figures of :class:`WhiteSpaceResult` as numpy arrays and Python scalars (no pandas).

    What :func:`analyze_values` returns; :func:`analyze` and :func:`from_stats` wrap it into a
    :class:`WhiteSpaceResult` (``to_dict()`` is the same).  The scalar attributes are those of
    :class:`WhiteSpaceResult`.

    Attributes
    ----------
    names : list of str
        Server names.
    columns : dict of str to ndarray
        The per-server table's columns (``avg, peak, p95, configured, headroom, spikes,
        util_peak_pct, idle``), one value per server.
    composite : ndarray
        Summed demand at each step.
    sources : dict of str to float
        Capacity of each white-space source (as ``WhiteSpaceResult.sources["capacity"]``).
    peak_step : int
        Row of the composite peak.
    unit, interval_s, servers, steps, sum_of_peaks, composite_peak, composite_peak_at
        As in :class:`WhiteSpaceResult`.
    composite_mean, white_space_pct, non_coincidence_saving_pct, configured_total
        As in :class:`WhiteSpaceResult`.
    configured_source, mean_white_space_pct, peak_white_space_pct, configured_headroom_pct
        As in :class:`WhiteSpaceResult`.
    headroom_pct, capacity_needed, saving_pct, saving_vs_peaks_pct, idle_servers, parameters
        As in :class:`WhiteSpaceResult`.

    Examples
    --------
    >>> f = analyze_values(np.array([[10.0, 0.0], [0.0, 10.0]]), ["a", "b"], [0, 1], unit="mips")
    >>> r = analyze(np.array([[10.0, 0.0], [0.0, 10.0]]), unit="mips")
    >>> repr(f.to_dict()) == repr(r.to_dict())  # repr: NaN (the unknown interval) == NaN
    True
    """

    names: list[str]
    columns: dict[str, np.ndarray]
    composite: np.ndarray
    sources: dict[str, float]
    peak_step: int
    unit: str
    interval_s: float
    servers: int
    steps: int
    sum_of_peaks: float
    composite_peak: float
    composite_peak_at: Any
    composite_mean: float
    white_space_pct: float
    non_coincidence_saving_pct: float
    configured_total: float
    configured_source: str
    mean_white_space_pct: float
    peak_white_space_pct: float
    configured_headroom_pct: float
    headroom_pct: float
    capacity_needed: float
    saving_pct: float
    saving_vs_peaks_pct: float
    idle_servers: list[str]
    parameters: dict[str, Any] = field(default_factory=dict)

    _dict_keys = WhiteSpaceResult._dict_keys

    def _dict_computed(self) -> dict[str, Any]:
        at = self.composite_peak_at
        return {
            "composite_peak_at": at.isoformat() if hasattr(at, "isoformat") else at,
            "idle_servers": len(self.idle_servers),
            "sources": {str(k): float(v) for k, v in self.sources.items()},
        }


def _result(fig: WhiteSpaceFigures, index: pd.Index) -> WhiteSpaceResult:
    """The :class:`WhiteSpaceResult` (pandas tables) of ``fig`` on the time ``index``."""
    server_index = pd.Index(np.asarray(fig.names, dtype=object), dtype=object, name="server")
    per = pd.DataFrame(fig.columns, index=server_index)
    capacity = np.fromiter(fig.sources.values(), dtype=float, count=len(fig.sources))
    sources = pd.DataFrame(
        {"capacity": capacity, "pct_of_configured": _pct(capacity, fig.configured_total)},
        index=pd.Index(list(fig.sources), dtype=object, name="source"),
    )
    scalars = {k: getattr(fig, k) for k in _SCALARS}
    scalars["composite_peak_at"] = index[fig.peak_step]
    return WhiteSpaceResult(
        per_server=per,
        composite=pd.Series(fig.composite, index=index, name="composite"),
        sources=sources,
        **scalars,
    )


def _figures(
    names: list[str],
    avg: npt.ArrayLike,
    peak: npt.ArrayLike,
    composite: npt.ArrayLike,
    index: Any,
    *,
    p: npt.ArrayLike | None = None,
    unit: str = "cpu_pct",
    interval_s: float = float("nan"),
    steps: int | None = None,
    headroom_pct: float | None = None,
    configured: float | pd.Series | Mapping[str, float] | None = None,
    percentile: float | None = None,
    idle_util_peak_pct: float | None = None,
) -> WhiteSpaceFigures:
    """Every figure of :func:`from_stats`, numpy only (``index[i]`` labels the peak)."""
    headroom_pct, percentile, idle_util_peak_pct = resolve_parameters(
        headroom_pct, percentile, idle_util_peak_pct
    )
    if unit not in UNITS:
        raise InputError(must_be("unit", f"one of {list(UNITS)}", unit))
    the_unit = unit
    peak = np.asarray(peak, dtype=np.float64)
    comp = np.asarray(composite, dtype=np.float64)
    stats = {"avg": np.asarray(avg, dtype=np.float64)}
    spikes = p is not None
    if spikes:
        stats["p"] = np.asarray(p, dtype=np.float64)
    steps = len(comp) if steps is None else steps
    conf, conf_source = _configured(configured, the_unit, names, peak)
    sum_of_peaks = float(peak.sum())
    i_peak = int(np.argmax(comp))
    composite_peak = float(comp[i_peak])
    composite_mean = float(comp.mean())
    conf_total = float(conf.sum())
    needed = capacity_for_headroom(composite_peak, headroom_pct)

    with np.errstate(invalid="ignore", divide="ignore"):
        peak_util = np.where(conf > 0, 100.0 * peak / np.where(conf > 0, conf, 1.0), np.nan)
    explicit = configured is not None or the_unit == "cpu_pct"
    idle = (peak_util <= idle_util_peak_pct) if explicit else (peak <= 0)
    columns: dict[str, np.ndarray] = {"avg": stats["avg"], "peak": peak}
    if spikes:
        columns["p95" if percentile == 95 else f"p{percentile:g}"] = stats["p"]
    columns["configured"] = conf
    columns["headroom"] = conf - peak
    if spikes:
        columns["spikes"] = peak - stats["p"]
    columns["util_peak_pct"] = peak_util
    columns["idle"] = idle
    idle_names = [names[k] for k in np.flatnonzero(idle)]

    rows = {
        "headroom": float(columns["headroom"].sum()),
        "spikes": float(columns["spikes"].sum()) if spikes else float("nan"),
        "non_coincident_peaks": sum_of_peaks - composite_peak,
        "idle_servers": float(conf[idle].sum()),
        "unused_at_composite_peak": conf_total - composite_peak,
        "unused_on_average": conf_total - composite_mean,
    }

    return WhiteSpaceFigures(
        names=list(names),
        columns=columns,
        composite=comp,
        sources=rows,
        peak_step=i_peak,
        unit=the_unit,
        interval_s=interval_s,
        servers=len(names),
        steps=steps,
        sum_of_peaks=sum_of_peaks,
        composite_peak=composite_peak,
        composite_peak_at=index[i_peak],
        composite_mean=composite_mean,
        white_space_pct=white_space_pct(
            composite_mean=composite_mean, composite_peak=composite_peak
        ),
        non_coincidence_saving_pct=non_coincidence_saving_pct(sum_of_peaks, composite_peak),
        configured_total=conf_total,
        configured_source=conf_source,
        mean_white_space_pct=float(_pct(conf_total - composite_mean, conf_total)),
        peak_white_space_pct=float(_pct(conf_total - composite_peak, conf_total)),
        configured_headroom_pct=float(_pct(conf_total - sum_of_peaks, conf_total)),
        headroom_pct=float(headroom_pct),
        capacity_needed=needed,
        saving_pct=float(_pct(conf_total - needed, conf_total)),
        saving_vs_peaks_pct=100.0 * (1.0 - needed / sum_of_peaks) if sum_of_peaks > 0 else 0.0,
        idle_servers=idle_names,
        parameters={
            "headroom_pct": float(headroom_pct),
            "percentile": float(percentile),
            "idle_util_peak_pct": float(idle_util_peak_pct),
            "spikes": spikes,
        },
    )


__all__ = [
    "UNITS",
    "FULL_SERVER_PCT",
    "white_space_pct",
    "capacity_for_headroom",
    "BLOCK_BYTES",
    "QUANTILE_SAMPLE",
    "QUANTILE_BRACKET_SD",
    "QUANTILE_RETRY_SD",
    "QUANTILE_METHODS",
    "PASS_THREADS",
    "PassStats",
    "fused_pass",
    "fused_stats",
    "quantile_per_server",
    "percentile_per_server",
    "WhiteSpaceResult",
    "WhiteSpaceFigures",
    "analyze",
    "analyze_values",
    "resolve_parameters",
    "from_stats",
]
