"""The placement kernel compiled (optional: numba): :func:`colonykit.packing._kernel.fill`.

The constructions place items one by one; run plainly each placement is some dozens of
array calls, so on 10,000 servers the interpreter, not the data, sets the pace.  Here the
kernel's own source is compiled: ``fill = numba.njit(_kernel.fill)`` (so ``fill.py_func`` is
the plain :func:`colonykit.packing._kernel.fill`), the kernel's per-item ``decide`` and state
update ``add`` registered as jitable, and its five reductions given a loop form (numba's
``min``/``argmin`` take no ``axis``, and a full sort per placement is slow compiled; same
arithmetic: the float64 ``slack − x``, minima, the first position, the stable order of the
least values).
Same decisions and state in both paths (tested: ``tests/test_packing_jit.py``).

numba's cache (``cache=True``) is keyed on ``_kernel.py``, the compiled function's file, and
misses changes in other files (numba's caching notes): after editing a loop form here, clear
this package's ``__pycache__/*.nbi``/``*.nbc`` files (or touch ``_kernel.py``).

Import this module only through :func:`colonykit.packing.jit_available`; numba is in the
``fast`` extra (``pip install 'colonykit[fast]'``), as pvlib offers numba for its SPA.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from colonykit._optional import require
from colonykit.packing import _kernel

numba = require("numba", extra="fast", purpose="the compiled packing loop")
_extending = require("numba.extending", extra="fast", purpose="the compiled packing loop")

__all__ = ["fill"]


def _min_at_loop(values: Any, x: Any, at: Any) -> Callable[..., np.ndarray]:
    def impl(values: Any, x: Any, at: Any) -> np.ndarray:  # pragma: no cover
        out = np.empty(values.shape[0])
        for r in range(values.shape[0]):
            best = np.inf
            for j in range(values.shape[1]):
                v = values[r, j] - x[at[r, j]]
                if v < best:
                    best = v
            out[r] = best
        return out

    return impl


def _min_in_blocks_loop(slack: Any, x3: Any, blocks: Any) -> Callable[..., float]:
    def impl(slack: Any, x3: Any, blocks: Any) -> float:  # pragma: no cover
        best = np.inf
        for b in blocks:
            for t in range(slack.shape[1]):
                v = slack[b, t] - x3[b, t]
                if v < best:
                    best = v
        return best

    return impl


def _cell_min_loop(slack: Any, cells: Any, x3: Any, blocks: Any) -> Callable[..., np.ndarray]:
    def impl(slack: Any, cells: Any, x3: Any, blocks: Any) -> np.ndarray:  # pragma: no cover
        nb, width = slack.shape[1], slack.shape[2]
        out = np.empty(cells.shape[0])
        for c in range(cells.shape[0]):
            h, b = cells[c] // nb, blocks[c]
            best = np.inf
            for t in range(width):
                v = slack[h, cells[c] - h * nb, t] - x3[b, t]
                if v < best:
                    best = v
            out[c] = best
        return out

    return impl


def _block_min_loop(slack: Any) -> Callable[..., tuple[np.ndarray, np.ndarray]]:
    def impl(slack: Any) -> tuple[np.ndarray, np.ndarray]:  # pragma: no cover
        nb = slack.shape[0]
        least = np.empty(nb)
        off = np.empty(nb, dtype=np.intp)
        for b in range(nb):
            best = slack[b, 0]
            j = 0
            for t in range(1, slack.shape[1]):
                if slack[b, t] < best:
                    best = slack[b, t]
                    j = t
            least[b] = best
            off[b] = j
        return least, off

    return impl


def _least_loop(values: Any, n: Any) -> Callable[..., np.ndarray]:
    def impl(values: Any, n: Any) -> np.ndarray:  # pragma: no cover
        m = min(n, values.shape[0])
        vals = np.empty(m)
        where = np.empty(m, dtype=np.intp)
        filled = 0
        for b in range(values.shape[0]):  # insertion into a sorted short list (stable)
            v = values[b]
            if filled < m:
                j = filled
                filled += 1
            elif v < vals[m - 1]:
                j = m - 1
            else:
                continue
            while j > 0 and vals[j - 1] > v:
                vals[j] = vals[j - 1]
                where[j] = where[j - 1]
                j -= 1
            vals[j] = v
            where[j] = b
        return where

    return impl


_extending.overload(_kernel.cell_min, jit_options={"cache": True})(_cell_min_loop)
_extending.overload(_kernel.least, jit_options={"cache": True})(_least_loop)
_extending.overload(_kernel.min_at, jit_options={"cache": True})(_min_at_loop)
_extending.overload(_kernel.min_in_blocks, jit_options={"cache": True})(_min_in_blocks_loop)
_extending.overload(_kernel.block_min, jit_options={"cache": True})(_block_min_loop)
_extending.register_jitable(cache=True)(_kernel.decide)
_extending.register_jitable(cache=True)(_kernel.add)

#: The kernel compiled; ``fill.py_func is _kernel.fill``.
fill = numba.njit(cache=True, nogil=True)(_kernel.fill)
