"""Readers that turn what planners collect into canonical colonykit frames.

``read_*`` functions normalise column names at the border (``COLUMN_MAP``),
validate every row, and return ``(data, metadata)``; they do no modelling.

- :mod:`colonykit.ingest.inventory` — server inventories (CSV, Excel).

The names below are imported on first use (PEP 562): importing one reader module
(``colonykit.ingest.traces``) does not import the others, nor pandas through them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from colonykit.ingest.inventory import (
        INVENTORY_COLUMNS,
        OPTIONAL_COLUMNS,
        read_inventory,
        validate_inventory,
    )
    from colonykit.ingest.monitors import read_nmon, read_sadf, read_sar
    from colonykit.ingest.traces import COLUMN_MAP as TRACE_COLUMN_MAP
    from colonykit.ingest.traces import detect_format, read_traces

#: public name -> (module, name in it)
_LAZY: dict[str, tuple[str, str]] = {
    "INVENTORY_COLUMNS": ("colonykit.ingest.inventory", "INVENTORY_COLUMNS"),
    "OPTIONAL_COLUMNS": ("colonykit.ingest.inventory", "OPTIONAL_COLUMNS"),
    "read_inventory": ("colonykit.ingest.inventory", "read_inventory"),
    "validate_inventory": ("colonykit.ingest.inventory", "validate_inventory"),
    # Utilisation traces and monitor files (issue 3).
    "TRACE_COLUMN_MAP": ("colonykit.ingest.traces", "COLUMN_MAP"),
    "detect_format": ("colonykit.ingest.traces", "detect_format"),
    "read_nmon": ("colonykit.ingest.monitors", "read_nmon"),
    "read_sadf": ("colonykit.ingest.monitors", "read_sadf"),
    "read_sar": ("colonykit.ingest.monitors", "read_sar"),
    "read_traces": ("colonykit.ingest.traces", "read_traces"),
}


def __getattr__(name: str) -> Any:
    """Import a public name's module on first use."""
    if name not in _LAZY:
        msg = f"module {__name__!r} has no attribute {name!r}"
        raise AttributeError(msg)
    module, attr = _LAZY[name]
    value = getattr(importlib.import_module(module), attr)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


__all__ = [
    "INVENTORY_COLUMNS",
    "OPTIONAL_COLUMNS",
    "read_inventory",
    "validate_inventory",
    "TRACE_COLUMN_MAP",
    "detect_format",
    "read_nmon",
    "read_sadf",
    "read_sar",
    "read_traces",
]
