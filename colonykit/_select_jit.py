"""Compiled exact order statistics per row (optional: numba), for :func:`colonykit.whitespace.fused_pass`.

numpy's ``percentile`` finds the two order statistics of its ``linear`` method with
``np.partition`` (introselect); a full sort costs more.  This kernel selects them by histogram
(issue 25): one streaming pass counts the row's values in ``BUCKETS`` equal-width buckets between
the row's minimum and maximum, the cumulative counts name the bucket holding each wanted rank,
and a second pass gathers that bucket's values only (a handful of 8,640 on real traces); the
same step runs again on the gathered values until at most ``SMALL`` are left, which are sorted.
When the two ranks of the interpolation fall in neighbouring buckets, one pass takes the largest
value of the first bucket and the smallest of the second.

The bucket of a value is ``floor((v − min) × BUCKETS / (max − min))`` in float64, clamped to
the last bucket: every step is monotone in ``v`` (IEEE rounding is), so a value in a lower
bucket is never larger than one in a higher bucket, and the counts locate the order statistics
exactly — no sample, no assumption.  The minimum and maximum fall in the first and the last
bucket, so each step leaves fewer values.  A row with a NaN, an infinity or a range that float64
cannot scale is sorted whole.  The values are the order statistics themselves, so the percentile
interpolated from them equals ``numpy.percentile`` (tested with hypothesis).  Each row is
computed on its own, so the values do not depend on threads or blocks.

Import this module only through :func:`colonykit.whitespace.select_jit_available`; numba is in
the ``fast`` extra (``pip install 'colonykit[fast]'``).
"""

from __future__ import annotations

import numpy as np

from colonykit._optional import require

numba = require("numba", extra="fast", purpose="the compiled percentile selection")

__all__ = ["order_stats"]

#: Buckets of one histogram step (int32 counters: 4 KiB, in L1 cache).  Tuning only.
BUCKETS: int = 1024
#: Candidates from which the rest is sorted instead of bucketed again.  Tuning only.
SMALL: int = 48
#: Histogram steps before the candidates are sorted whatever their number (each step at least
#: drops the minimum's and the maximum's bucket; about two suffice on real data).  Tuning only.
MAX_STEPS: int = 8


@numba.njit(cache=True, nogil=True, fastmath=True)
def _buckets(
    src: np.ndarray, n: int, lo: np.ndarray, scale: np.ndarray, idx: np.ndarray
) -> None:  # pragma: no cover - compiled
    """Bucket of each of ``src[:n]`` into ``idx`` (SIMD; finite values only, monotone in the value).

    ``lo`` is the values' minimum and ``(max − lo) × scale`` finite: every step is finite."""
    top = src.dtype.type(BUCKETS - 1)
    for i in range(n):
        idx[i] = np.int16(min((src[i] - lo) * scale, top))


@numba.njit(cache=True, nogil=True)
def _gather(
    src: np.ndarray, n: int, idx: np.ndarray, b: int, dst: np.ndarray
) -> int:  # pragma: no cover - compiled
    """Copy the values of bucket ``b`` to ``dst`` (in order, ``dst`` at least ``n`` long); their number."""
    m = 0
    bb = np.int16(b)
    for i in range(n):  # branch-free: write always, advance when in the bucket
        dst[m] = src[i]
        m += idx[i] == bb
    return m


@numba.njit(cache=True, nogil=True)
def _pair(
    x: np.ndarray,
    k: int,
    k2: int,
    lo: float,
    hi: float,
    hist: np.ndarray,
    idx: np.ndarray,
    buf_a: np.ndarray,
    buf_b: np.ndarray,
) -> tuple[float, float]:  # pragma: no cover - compiled (covered through fused_pass's tests)
    """Order statistics ``k`` and ``k2`` (``k ≤ k2 ≤ k + 1``) of ``x``, whose exact min and max are ``lo``, ``hi``."""
    src = x
    n = x.shape[0]
    use_a = True
    one = x.dtype.type(1)
    for _ in range(MAX_STEPS):
        if lo == hi:  # every candidate is the same value
            return lo, lo
        if not lo < hi or n <= SMALL:  # NaN, or few enough to sort
            break
        scale = one * (BUCKETS / (hi - lo))  # in the values' dtype
        if not (0.0 < scale < np.inf and one * hi - one * lo < np.inf):
            break  # a range the dtype cannot scale (or an infinity): sort
        _buckets(src, n, one * lo, scale, idx)
        hist[:] = 0
        for i in range(n):
            hist[idx[i]] += 1
        # the buckets holding ranks k and k2, counted from the nearer end
        b1 = -1
        b2 = -1
        below = 0
        if k < n // 2:
            c = 0
            for b in range(BUCKETS):
                c_next = c + hist[b]
                if b1 < 0 and c_next > k:
                    b1 = b
                    below = c
                if c_next > k2:
                    b2 = b
                    break
                c = c_next
        else:
            c = n  # values in buckets <= b
            for b in range(BUCKETS - 1, -1, -1):
                c_prev = c - hist[b]  # values in buckets < b
                if b2 < 0 and c_prev <= k2:
                    b2 = b
                if c_prev <= k:
                    b1 = b
                    below = c_prev
                    break
                c = c_prev
        if b1 != b2:  # k is the first bucket's largest value, k2 the next bucket's smallest
            m1 = _gather(src, n, idx, b1, buf_a if use_a else buf_b)
            v_k = np.float64((buf_a if use_a else buf_b)[:m1].max())
            m2 = _gather(src, n, idx, b2, buf_b if use_a else buf_a)
            v_k2 = np.float64((buf_b if use_a else buf_a)[:m2].min())
            return v_k, v_k2
        dst = buf_a if use_a else buf_b
        use_a = not use_a
        n = _gather(src, n, idx, b1, dst)
        src = dst
        k -= below
        k2 -= below
        part = src[:n]
        lo = np.float64(part.min())
        hi = np.float64(part.max())
    part = src[:n].copy()
    part.sort()  # NaN last, as numpy's sort
    return np.float64(part[k]), np.float64(part[k2])


@numba.njit(cache=True, nogil=True)
def order_stats(
    rows: np.ndarray, ranks: np.ndarray, lo: np.ndarray, hi: np.ndarray, out: np.ndarray
) -> None:  # pragma: no cover - compiled
    """Order statistics ``ranks`` of every row of ``rows`` (``(b, T)`` C-ordered) into ``out``.

    Parameters
    ----------
    rows : ndarray
        ``(b, T)`` float32 or float64, C-ordered.
    ranks : ndarray
        int64, sorted ascending, each in ``0..T-1``.
    lo, hi : ndarray
        Each row's exact minimum and maximum (length ``b``; NaN for a row with a NaN, as
        numpy's ``min``/``max`` give).
    out : ndarray
        ``(b, len(ranks))`` array of ``rows``' dtype, written in place.
    """
    n = rows.shape[1]
    hist = np.empty(BUCKETS, dtype=np.int32)
    idx = np.empty(n, dtype=np.int16)
    buf_a = np.empty(n, dtype=rows.dtype)
    buf_b = np.empty(n, dtype=rows.dtype)
    for r in range(rows.shape[0]):
        j = 0
        while j < ranks.shape[0]:
            k = ranks[j]
            pair = j + 1 < ranks.shape[0] and ranks[j + 1] == k + 1
            v_k, v_k2 = _pair(
                rows[r],
                k,
                k + 1 if pair else k,
                np.float64(lo[r]),
                np.float64(hi[r]),
                hist,
                idx,
                buf_a,
                buf_b,
            )
            out[r, j] = v_k
            if pair:
                out[r, j + 1] = v_k2
                j += 2
            else:
                j += 1
