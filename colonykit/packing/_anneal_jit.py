"""The annealing kernel compiled (optional: numba): :func:`colonykit.packing._anneal_kernel.anneal_hosts`.

``anneal_hosts = numba.njit(_anneal_kernel.anneal_hosts)`` (so ``anneal_hosts.py_func`` is the
plain function) with :func:`~colonykit.packing._anneal_kernel.xorshift32` registered as
jitable: one source, the same draws and decisions in both paths (tested:
``tests/test_packing_anneal.py``).  numba's cache (``cache=True``) is keyed on
``_anneal_kernel.py``.

Import this module only through :func:`colonykit.packing.anneal.anneal_compiled`; numba is in
the ``fast`` extra (``pip install 'colonykit[fast]'``).
"""

from __future__ import annotations

from colonykit._optional import require
from colonykit.packing import _anneal_kernel

numba = require("numba", extra="fast", purpose="the compiled packing anneal")
_extending = require("numba.extending", extra="fast", purpose="the compiled packing anneal")

__all__ = ["anneal_hosts"]

_extending.register_jitable(cache=True)(_anneal_kernel.xorshift32)

#: The kernel compiled; ``anneal_hosts.py_func is _anneal_kernel.anneal_hosts``.
anneal_hosts = numba.njit(cache=True, nogil=True)(_anneal_kernel.anneal_hosts)
