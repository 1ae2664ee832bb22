"""Readers that turn what planners collect into canonical colonykit frames.

``read_*`` functions normalise column names at the border (``COLUMN_MAP``),
validate every row, and return ``(data, metadata)``; they do no modelling.

- :mod:`colonykit.ingest.inventory` — server inventories (CSV, Excel).
"""

from __future__ import annotations

from colonykit.ingest.inventory import (
    INVENTORY_COLUMNS,
    OPTIONAL_COLUMNS,
    read_inventory,
    validate_inventory,
)

__all__ = [
    "INVENTORY_COLUMNS",
    "OPTIONAL_COLUMNS",
    "read_inventory",
    "validate_inventory",
]
