"""Compiled exact order statistics per row (optional: numba), for :func:`colonykit.whitespace.fused_pass`.

numpy's ``percentile`` finds the two order statistics of its ``linear`` method with
``np.partition`` (introselect); a full sort costs more.  This kernel selects them in about one
read of the row: it sorts a strided sample of ``SAMPLE`` values, takes two pivots either side of
the wanted rank, counts the values below the lower pivot and gathers those between the pivots
(a few hundred of 8,640), and sorts only the gathered ones.  Where the counts show that a wanted
rank is outside the bracket (checked, never assumed) the row is copied and sorted whole.  The
values are the order statistics themselves, so the percentile interpolated from them equals
``numpy.percentile`` (tested with hypothesis).

Import this module only through :func:`colonykit.whitespace.select_jit_available`; numba is in
the ``fast`` extra (``pip install 'colonykit[fast]'``).
"""

from __future__ import annotations

import numpy as np

from colonykit._optional import require

numba = require("numba", extra="fast", purpose="the compiled percentile selection")

__all__ = ["order_stats"]

#: Values sampled per row (strided) to place the two pivots.  Tuning only.
SAMPLE: int = 512
#: Half-width of the pivot bracket in sample ranks.  Tuning only: the result is exact anyway.
MARGIN: int = 16


@numba.njit(cache=True, nogil=True)
def _row(
    x: np.ndarray, ranks: np.ndarray, out: np.ndarray, smp: np.ndarray, buf: np.ndarray
) -> None:  # pragma: no cover - compiled (covered through fused_pass's tests)
    """Order statistics ``ranks`` (sorted ascending, 0-based) of one row into ``out``."""
    n = x.shape[0]
    s = smp.shape[0]
    for i in range(s):
        smp[i] = x[(i * n) // s]
    smp.sort()
    k_lo = ranks[0]
    k_hi = ranks[ranks.shape[0] - 1]
    i_lo = (k_lo * (s - 1)) // max(n - 1, 1) - MARGIN
    i_hi = (k_hi * (s - 1)) // max(n - 1, 1) + MARGIN + 1
    lo = smp[max(i_lo, 0)] if i_lo >= 0 else -np.inf
    hi = smp[min(i_hi, s - 1)] if i_hi <= s - 1 else np.inf
    below = 0
    m = 0
    for i in range(n):  # branch-free: write always, advance when inside the bracket
        v = x[i]
        buf[m] = v
        m += (v >= lo) & (v <= hi)
        below += v < lo
    if below <= k_lo and below + m > k_hi:
        part = buf[:m]
        if ranks.shape[0] == 1 or m < 64:
            part.sort()
        else:
            part[:] = np.partition(part, ranks - below)
        for j in range(ranks.shape[0]):
            out[j] = part[ranks[j] - below]
        return
    whole = x.copy()  # the bracket missed (or NaNs): sort the row whole
    whole.sort()
    for j in range(ranks.shape[0]):
        out[j] = whole[ranks[j]]


@numba.njit(cache=True, nogil=True)
def order_stats(rows: np.ndarray, ranks: np.ndarray, out: np.ndarray) -> None:
    """Order statistics ``ranks`` of every row of ``rows`` (``(b, T)`` C-ordered) into ``out``.

    Parameters
    ----------
    rows : ndarray
        ``(b, T)`` float32 or float64, C-ordered.
    ranks : ndarray
        int64, sorted ascending, each in ``0..T-1``.
    out : ndarray
        ``(b, len(ranks))`` array of ``rows``' dtype, written in place.
    """  # pragma: no cover - compiled
    n = rows.shape[1]
    smp = np.empty(min(SAMPLE, n), dtype=rows.dtype)
    buf = np.empty(n, dtype=rows.dtype)
    for r in range(rows.shape[0]):
        _row(rows[r], ranks, out[r], smp, buf)
