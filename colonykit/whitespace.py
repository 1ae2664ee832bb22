"""Composite ("white space") analysis of utilisation traces — seed 003 §2.3.

Distributed servers are each configured for their own peak; the composite of
many workloads peaks far lower than the sum of those peaks because the peaks do
not coincide.  On a wide demand frame (time × server, see
:mod:`colonykit.ingest.traces`) this module computes:

- per server: average, peak, p95, configured capacity, headroom
  (configured − peak), spikes (peak − p95), idle/redundant flag;
- the composite series ``C(t) = Σ_s d_s(t)``, its peak and mean;
- ``sum_of_peaks = Σ_s max_t d_s(t)`` and
  ``white_space_pct = 100 × (1 − composite_peak / sum_of_peaks)`` — the share of
  the capacity that peak-sized servers hold and the composite never uses;
- against the configured capacity ``K = Σ_s k_s``: the seed's white space
  ``1 − utilisation`` (``100 × (1 − composite_mean / K)``), the white space at the
  composite peak (``100 × (1 − composite_peak / K)``), and the headroom share
  ``100 × (K − sum_of_peaks) / K``;
- the capacity needed for a headroom ``h``: ``composite_peak / (1 − h/100)``, and
  the consolidation saving ``100 × (1 − needed / K)``.

The hot path is one blocked pass over the ``(time, server)`` array
(:func:`fused_stats`: per-server sum and max and the composite of each
cache-sized block while it is in cache); the p95 (for spikes) is an extra
partition pass and can be switched off.

Examples
--------
>>> import pandas as pd
>>> demand = pd.DataFrame({"a": [10.0, 20, 30, 40], "b": [30.0, 10, 20, 10],
...                        "c": [0.0, 0, 20, 0]})
>>> demand.attrs = {"unit": "cpu_pct", "interval_s": 300.0}
>>> r = analyze(demand, headroom_pct=10)
>>> r.sum_of_peaks, r.composite_peak, r.composite_mean
(90.0, 70.0, 47.5)
>>> round(r.white_space_pct, 2), round(r.capacity_needed, 2)
(22.22, 77.78)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from colonykit import reference
from colonykit._deprecate import renamed_kwargs
from colonykit._dicts import DictMixin
from colonykit.errors import InputError, must_be, raise_problems
from colonykit.frames import demand_problems
from colonykit.units import DEMAND_UNITS

#: Units a demand frame may carry; ``cpu_pct`` servers are configured at 100 each.
UNITS: tuple[str, ...] = DEMAND_UNITS

#: Configured capacity of one server whose trace is in ``cpu_pct`` (its own 100 %).
FULL_SERVER_PCT: float = 100.0


def white_space_pct(sum_of_peaks: float, composite_peak: float) -> float:
    """White space of peak-sized servers: ``100 × (1 − composite_peak / sum_of_peaks)``.

    Examples
    --------
    >>> round(white_space_pct(49_807, 14_326), 2)  # PlanetLab 2011-03-03
    71.24
    """
    if not sum_of_peaks > 0:
        return 0.0
    return 100.0 * (1.0 - composite_peak / sum_of_peaks)


def capacity_for_headroom(peak: float, headroom_pct: float) -> float:
    """Capacity that runs ``peak`` with ``headroom_pct`` % of it left free.

    ``capacity = peak / (1 − headroom_pct / 100)`` (headroom as a share of the
    capacity, as in seed 003 §2.3: "30% of the distributed configuration is headroom").

    Examples
    --------
    >>> capacity_for_headroom(90.0, 10.0)
    100.0
    """
    if not 0 <= headroom_pct < 100:
        raise InputError(must_be("headroom_pct", "in 0..100 (exclusive of 100)", headroom_pct))
    return float(peak) / (1.0 - headroom_pct / 100.0)


#: Bytes of demand processed per block in :func:`fused_stats` (about half a 2 MiB L2 cache, so
#: the max, the sum and the composite of one block read memory once).  Tuning only.
BLOCK_BYTES: int = 1 << 20


def fused_stats(values: npt.NDArray[np.floating], block_bytes: int = BLOCK_BYTES,
                with_min: bool = False) -> tuple[np.ndarray, ...]:
    """Per-server sum and peak and the composite series in one blocked pass.

    The array is walked in cache-sized blocks along its contiguous axis (servers
    for the F-ordered array a wide frame gives, time steps otherwise); each block
    is read from memory once and reduced three ways while it is in cache.  Sums
    use numpy's pairwise summation within a block and float64 across blocks.

    Returns
    -------
    (sums, peaks, composite[, mins]) : float64 arrays of length S, S, T (and S when
    ``with_min``).

    Examples
    --------
    >>> v = np.array([[1.0, 0.0], [3.0, 2.0]])
    >>> [x.tolist() for x in fused_stats(v)]
    [[4.0, 2.0], [3.0, 2.0], [1.0, 5.0]]
    """
    n_t, n_s = values.shape
    item = values.itemsize
    if values.flags.f_contiguous and not values.flags.c_contiguous:
        b = max(1, block_bytes // max(1, n_t * item))
        rows = values.T  # (S, T) C-ordered view
        sums = np.empty(n_s, dtype=values.dtype)
        peaks = np.empty(n_s, dtype=values.dtype)
        mins = np.empty(n_s, dtype=values.dtype)
        comp = np.zeros(n_t, dtype=np.float64)
        for j in range(0, n_s, b):  # loop over cache blocks of servers, not over samples
            blk = rows[j:j + b]
            blk.sum(axis=1, out=sums[j:j + b])
            blk.max(axis=1, out=peaks[j:j + b])
            if with_min:
                blk.min(axis=1, out=mins[j:j + b])
            comp += blk.sum(axis=0)
        out = (sums.astype(np.float64), peaks.astype(np.float64), comp)
        return (*out, mins.astype(np.float64)) if with_min else out
    b = max(1, block_bytes // max(1, n_s * item))
    sums64 = np.zeros(n_s, dtype=np.float64)
    peaks = np.full(n_s, -np.inf, dtype=values.dtype)
    mins_c = np.full(n_s, np.inf, dtype=values.dtype)
    comp = np.empty(n_t, dtype=np.float64)
    for i in range(0, n_t, b):  # loop over cache blocks of time steps
        blk = values[i:i + b]
        comp[i:i + b] = blk.sum(axis=1)
        sums64 += blk.sum(axis=0)
        np.maximum(peaks, blk.max(axis=0), out=peaks)
        if with_min:
            np.minimum(mins_c, blk.min(axis=0), out=mins_c)
    out_c = (sums64, peaks.astype(np.float64), comp)
    return (*out_c, mins_c.astype(np.float64)) if with_min else out_c


#: Sample size per server from which the approximate :func:`quantile_per_server` picks its two
#: pivots (a fixed, seeded set of steps; tuning only — the stated bound holds whatever the sample).
QUANTILE_SAMPLE = 512
#: Half-width of the pivot bracket in standard deviations of the sample rank (binomial
#: ``sqrt(n p (1 - p))``); rows whose quantile falls outside the bracket are partitioned exactly.
QUANTILE_BRACKET_SD = 4.0
#: Quantile methods of :func:`quantile_per_server`.
QUANTILE_METHODS: tuple[str, ...] = ("exact", "approx")


def _partition_rows(rows: np.ndarray, lo: int, hi: int, frac: float) -> np.ndarray:
    """Linear-interpolated order statistic by partitioning at one rank (min of the upper part)."""
    part = np.partition(rows, lo, axis=1)
    v_lo = part[:, lo].astype(np.float64)
    v_hi = part[:, lo + 1:].min(axis=1).astype(np.float64) if hi > lo else v_lo
    with np.errstate(invalid="ignore"):  # unused all-inf grid rows give NaN (replaced by callers)
        return v_lo + frac * (v_hi - v_lo)


def _count_rows(mask: np.ndarray) -> np.ndarray:
    """True values per row of a boolean matrix (summed as bytes: faster than count_nonzero)."""
    return mask.view(np.uint8).sum(axis=1, dtype=np.int64)


def quantile_per_server(values: npt.NDArray[np.floating], q: float, *, method: str = "exact",
                        block_bytes: int = BLOCK_BYTES) -> tuple[np.ndarray, np.ndarray]:
    """Per-server ``q``-th percentile of a ``(time, server)`` array, exact or bracketed.

    ``"exact"``: per cache-sized block of servers, one ``np.partition`` at the lower rank
    of the linear method and the minimum of the part above it (the next order statistic)
    — the same values as ``numpy.percentile(values, q, axis=0)`` (interpolated in float64),
    without the second partition rank that doubled the cost.

    ``"approx"``: two pivots from a fixed sample of ``QUANTILE_SAMPLE`` steps, at sample
    ranks ``QUANTILE_BRACKET_SD`` binomial standard deviations either side of the
    quantile's rank; one comparison pass counts the values below each pivot.  Where the
    counts show that both neighbouring order statistics lie between the pivots (checked,
    never assumed), the midpoint is returned with the error bound ``(high − low) / 2``:
    the exact percentile lies between the pivots, so ``|approx − exact| ≤ error`` for
    every server (tested).  Other rows are partitioned exactly (error 0).

    Returns
    -------
    (values, error) : float64 arrays of length S; ``error`` is 0 for ``"exact"``.

    Examples
    --------
    >>> v = np.asfortranarray([[10.0, 30.0], [20.0, 10.0], [30.0, 20.0], [40.0, 10.0]])
    >>> quantile_per_server(v, 50)[0].tolist()
    [25.0, 15.0]
    """
    if method not in QUANTILE_METHODS:
        raise InputError(must_be("method", f"one of {list(QUANTILE_METHODS)}", method))
    n_t, n_s = values.shape
    rows_all = values.T if values.flags.f_contiguous else np.ascontiguousarray(values.T)
    pos = q / 100.0 * (n_t - 1)
    lo = int(np.floor(pos))
    hi = min(lo + 1, n_t - 1)
    frac = pos - lo
    out = np.empty(n_s, dtype=np.float64)
    err = np.zeros(n_s, dtype=np.float64)
    b = max(1, block_bytes // max(1, n_t * values.itemsize))
    if method == "exact" or n_t <= 4 * QUANTILE_SAMPLE:
        for j in range(0, n_s, b):  # loop over cache blocks of servers
            out[j:j + b] = _partition_rows(rows_all[j:j + b], lo, hi, frac)
        return out, err
    sample = np.sort(np.random.default_rng(0).choice(n_t, QUANTILE_SAMPLE, replace=False))
    ns = sample.size
    p = q / 100.0
    r = p * (ns - 1)
    margin = QUANTILE_BRACKET_SD * np.sqrt(ns * max(p * (1 - p), 1.0 / ns)) + 1
    i_lo = max(int(np.floor(r - margin)), 0)  # clamped to the sample: a quantile beyond it
    i_hi = min(int(np.ceil(r + margin)), ns - 1)  # fails the count check and is partitioned
    for j in range(0, n_s, b):  # loop over cache blocks of servers, not over samples
        blk = rows_all[j:j + b]
        srt = np.partition(blk[:, sample], [i_lo, i_hi], axis=1)
        p_lo, p_hi = srt[:, i_lo], srt[:, i_hi]
        n_below = _count_rows(blk < p_lo[:, None])
        n_upto = _count_rows(blk <= p_hi[:, None])
        ok = (n_below <= lo) & (hi < n_upto)
        out[j:j + b] = (p_lo.astype(np.float64) + p_hi.astype(np.float64)) / 2
        err[j:j + b] = (p_hi.astype(np.float64) - p_lo.astype(np.float64)) / 2
        bad = np.flatnonzero(~ok)
        if bad.size:
            out[j + bad] = _partition_rows(blk[bad], lo, hi, frac)
            err[j + bad] = 0.0
    return out, err


def percentile_per_server(values: npt.NDArray[np.floating], q: float,
                          block_bytes: int = BLOCK_BYTES) -> np.ndarray:
    """Per-server ``q``-th percentile (numpy's default linear method) of a ``(time, server)`` array.

    The exact values of :func:`quantile_per_server` (equal to
    ``np.percentile(values, q, axis=0)``).

    Examples
    --------
    >>> v = np.asfortranarray([[10.0, 30.0], [20.0, 10.0], [30.0, 20.0], [40.0, 10.0]])
    >>> percentile_per_server(v, 50).tolist()
    [25.0, 15.0]
    """
    return quantile_per_server(values, q, block_bytes=block_bytes)[0]


@dataclass(frozen=True)
class WhiteSpaceResult(DictMixin):
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

    @property
    def peak_ratio(self) -> float:
        """``sum_of_peaks / composite_peak`` (how many times the peaks over-provision)."""
        return self.sum_of_peaks / self.composite_peak if self.composite_peak > 0 else float("inf")

    #: to_dict() keys: the scalars (the CLI's ``--format json`` keys first)
    _dict_keys = ("servers", "sum_of_peaks", "composite_peak", "composite_mean", "white_space_pct",
                  "non_coincidence_saving_pct", "unit", "steps", "interval_s", "composite_peak_at",
                  "peak_ratio", "configured_total", "configured_source", "mean_white_space_pct",
                  "peak_white_space_pct", "configured_headroom_pct", "headroom_pct", "capacity_needed",
                  "saving_pct", "saving_vs_peaks_pct", "idle_servers", "sources")

    def _dict_computed(self) -> dict[str, Any]:
        at = self.composite_peak_at
        return {"non_coincidence_saving_pct": self.white_space_pct,  # the same figure, by its issue-9 name
                "composite_peak_at": at.isoformat() if hasattr(at, "isoformat") else at,
                "idle_servers": len(self.idle_servers),
                "sources": {str(k): float(v) for k, v in self.sources["capacity"].items()}}

    def summary(self) -> str:
        """A few plain sentences with the headline figures."""
        u = self.unit
        return (
            f"{self.servers} servers, {self.steps} steps of {self.interval_s:g} s ({u}).\n"
            f"Sum of individual peaks {self.sum_of_peaks:,.1f}; composite peak "
            f"{self.composite_peak:,.1f} (at {self.composite_peak_at}); composite mean "
            f"{self.composite_mean:,.1f}.\n"
            f"White space of peak-sized servers: {self.white_space_pct:.1f} % "
            f"(peaks over-provision {self.peak_ratio:.2f}x).\n"
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


def _configured(configured: float | pd.Series | Mapping[str, float] | None, unit: str,
                names: list[str], peak: np.ndarray) -> tuple[np.ndarray, str]:
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


@renamed_kwargs(idle_peak_util_pct="idle_util_peak_pct")
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
        (``float32`` is fine; sums are accumulated by BLAS and returned as float64).
    headroom_pct : float, optional
        Headroom kept free above the composite peak when sizing the consolidated
        capacity (default: constant ``whitespace_headroom_pct`` = 10).
    configured : float, Series or mapping, optional
        Configured capacity of each server in the demand unit.  Default: 100 per
        server for ``cpu_pct`` traces, otherwise each server's own peak.
    unit : str, optional
        Unit of ``demand`` (default ``demand.attrs["unit"]``, else ``cpu_pct``).
    spikes : bool
        Compute the per-server percentile and spikes (an extra partition pass).
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
        bound, see :func:`quantile_per_server`; the largest bound is
        ``parameters["percentile_error_max"]``).

    Returns
    -------
    WhiteSpaceResult

    Raises
    ------
    InputError
        Empty demand, NaN (unfilled gaps), negative values, bad parameters.

    Examples
    --------
    >>> from colonykit.ingest import read_traces
    >>> frame, _ = read_traces("data/traces/planetlab_20110303")
    >>> r = analyze(frame)
    >>> r.servers, r.sum_of_peaks, r.composite_peak, round(r.white_space_pct, 1)
    (1052, 49807.0, 14326.0, 71.2)
    """
    headroom_pct, percentile, idle_util_peak_pct = resolve_parameters(
        headroom_pct, percentile, idle_util_peak_pct)
    if isinstance(demand, pd.DataFrame):
        the_unit = unit or demand.attrs.get("unit", "cpu_pct")
        interval_s = float(demand.attrs.get("interval_s", float("nan")))
        names = [str(c) for c in demand.columns]
        index = demand.index
        values = demand.to_numpy()
    else:
        the_unit = unit or "cpu_pct"
        interval_s = float("nan")
        values = np.asarray(demand)
        if values.ndim != 2:
            raise InputError(must_be("demand", "a 2-D (time, server) array", values.shape))
        names = np.char.add("s", np.arange(values.shape[1]).astype(str)).tolist()
        index = pd.RangeIndex(values.shape[0], name="step")
    if the_unit not in UNITS:
        raise InputError(must_be("unit", f"one of {list(UNITS)}", the_unit))
    if values.size == 0:
        raise InputError(must_be("demand", "non-empty (at least one step and one server)",
                                 values.shape))
    if values.dtype not in (np.float32, np.float64):
        try:
            values = values.astype(np.float64)
        except (TypeError, ValueError) as exc:
            msg = must_be("demand", "numeric", values.dtype)
            raise InputError(msg) from exc

    sums, peaks, comp, *mins = fused_stats(values, with_min=validate)
    if not np.isfinite(comp).all() or (validate and float(mins[0].min()) < 0):
        bad = demand_problems(values.T, names, index) or [  # finite values whose sum overflows
            must_be("demand", "small enough for a finite composite", float(np.max(np.abs(values))))]
        raise_problems(bad, "invalid demand")
    stats = {"avg": sums / values.shape[0], "peak": peaks}
    p_err = 0.0
    if spikes:
        stats["p"], err = quantile_per_server(values, percentile, method=percentile_method)
        p_err = float(err.max()) if err.size else 0.0

    result = from_stats(
        names, stats["avg"], stats["peak"], comp, index, p=stats.get("p"), unit=the_unit,
        interval_s=interval_s, steps=int(values.shape[0]), headroom_pct=headroom_pct,
        configured=configured, percentile=percentile, idle_util_peak_pct=idle_util_peak_pct)
    if spikes:
        result.parameters.update(percentile_method=percentile_method, percentile_error_max=p_err)
    return result


@renamed_kwargs(idle_peak_util_pct="idle_util_peak_pct")
def resolve_parameters(headroom_pct: float | None = None, percentile: float | None = None,
                       idle_util_peak_pct: float | None = None) -> tuple[float, float, float]:
    """Fill defaults from ``constants_whitespace.csv`` and validate the three parameters.

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


@renamed_kwargs(idle_peak_util_pct="idle_util_peak_pct")
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

    Examples
    --------
    >>> r = from_stats(["a", "b"], [1.0, 2.0], [3.0, 4.0], [3.0, 5.0], pd.RangeIndex(2),
    ...                unit="mips")
    >>> r.sum_of_peaks, r.composite_peak, r.white_space_pct
    (7.0, 5.0, 28.57142857142857)
    """
    headroom_pct, percentile, idle_util_peak_pct = resolve_parameters(
        headroom_pct, percentile, idle_util_peak_pct)
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
    server_index = pd.Index(np.asarray(names, dtype=object), dtype=object, name="server")
    per = pd.DataFrame(columns, index=server_index)
    idle_names = [names[k] for k in np.flatnonzero(idle)]

    rows = {
        "headroom": float(columns["headroom"].sum()),
        "spikes": float(columns["spikes"].sum()) if spikes else float("nan"),
        "non_coincident_peaks": sum_of_peaks - composite_peak,
        "idle_servers": float(conf[idle].sum()),
        "unused_at_composite_peak": conf_total - composite_peak,
        "unused_on_average": conf_total - composite_mean,
    }
    capacity = np.fromiter(rows.values(), dtype=float, count=len(rows))
    sources = pd.DataFrame({"capacity": capacity,
                            "pct_of_configured": _pct(capacity, conf_total)},
                           index=pd.Index(list(rows), dtype=object, name="source"))

    return WhiteSpaceResult(
        per_server=per,
        composite=pd.Series(comp, index=index, name="composite"),
        sources=sources,
        unit=the_unit,
        interval_s=interval_s,
        servers=len(names),
        steps=steps,
        sum_of_peaks=sum_of_peaks,
        composite_peak=composite_peak,
        composite_peak_at=index[i_peak],
        composite_mean=composite_mean,
        white_space_pct=white_space_pct(sum_of_peaks, composite_peak),
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
        parameters={"headroom_pct": float(headroom_pct), "percentile": float(percentile),
                    "idle_util_peak_pct": float(idle_util_peak_pct), "spikes": spikes},
    )
