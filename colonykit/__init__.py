"""colonykit: capacity planning for Linux guest colonies on z/VM and Xen.

The public submodules load on first use (``import colonykit; colonykit.sizing``), so that
``import colonykit`` and ``colonykit --help`` stay fast.
"""

from __future__ import annotations

import importlib
from types import ModuleType

__version__ = "0.1.0"

#: The public submodules, reachable as attributes of the package (loaded on first use).
SUBMODULES: tuple[str, ...] = (
    "calibration",
    "channels",
    "cli",
    "confidence",
    "costs",
    "designs",
    "designs_schema",
    "errors",
    "export",
    "forecast",
    "frames",
    "ingest",
    "inventory_schema",
    "limits",
    "machine_limits",
    "mdc",
    "measured",
    "measured_memory",
    "memory",
    "packing",
    "paging",
    "patterns",
    "plan",
    "plots",
    "reference",
    "render",
    "report",
    "scale",
    "sizing",
    "staggering",
    "storage",
    "trend",
    "units",
    "whitespace",
    "widgets",
)


def __getattr__(name: str) -> ModuleType:
    """``colonykit.<submodule>`` imported on first use."""
    if name in SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    msg = f"module {__name__!r} has no attribute {name!r}"
    raise AttributeError(msg)


def __dir__() -> list[str]:
    return sorted({*globals(), *SUBMODULES})


#: ``from colonykit import *``: every submodule the core install can import (``widgets`` needs
#: the notebook extra, so it is reached as ``colonykit.widgets`` only)
__all__ = ["SUBMODULES", "__version__", *(m for m in SUBMODULES if m != "widgets")]
