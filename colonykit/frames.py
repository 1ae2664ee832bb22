"""The canonical input frames, shared by the readers and the models (issue 15 §3).

The inventory's canonical columns (units in the names): ``server, role, capacity, capacity_unit,
util_avg_pct, util_peak_pct, workload_class, memory_mib, disk_gib`` plus optional
``cores, tpm_per_mips, tpm_per_mips_low, tpm_per_mips_high, count``; the header spellings and
size units accepted for them (:func:`normalise_columns`) and the validator
(:func:`validate_inventory`).  Readers (:mod:`colonykit.ingest`) and models
(:mod:`colonykit.sizing`) both import from here, never from each other.
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING, Any

import numpy as np

from colonykit import inventory_schema as schema
from colonykit import limits, reference
from colonykit._lazy import lazy_module
from colonykit.errors import InputError, must_be
from colonykit.inventory_schema import (
    AMBIGUOUS_HEADERS,
    COLUMN_MAP,
    INVENTORY_COLUMNS,
    MAX_INVENTORY_COLUMNS,
    MEMORY_SIZE_UNITS,
    OPTIONAL_COLUMNS,
    SIZE_UNITS,
)

if TYPE_CHECKING:
    import pandas as pd
else:  # the inventory rules live in colonykit.inventory_schema and need no pandas (issue 25)
    pd = lazy_module("pandas")

_header = schema.header


def _canonical(col: object) -> str:
    return _header(col)[0]


def _columns_of(frame: pd.DataFrame) -> list[tuple[str, list[Any]]]:
    """A frame as (header, cells) pairs in column order (cells as plain Python values)."""
    return [(str(c), frame.iloc[:, i].tolist()) for i, c in enumerate(frame.columns)]


def normalise_columns(
    frame: pd.DataFrame,
    *,
    source: str = "inventory",
    line_offset: int = 2,
    line_word: str = "line",
    units_table: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Map header spellings and units to the canonical columns; say what was done.

    Returns the frame with canonical column names (sizes converted to MiB/GiB, ``%``
    stripped, capacity units moved to ``capacity_unit``) and a report with
    ``conversions`` (list of sentences) and ``ignored_columns``.  Ambiguous headers
    (``CPU %``), duplicated columns (before any renaming), misspelled column names and
    sizes without a unit are errors.  The rules are :func:`colonykit.inventory_schema.normalise`
    (one implementation, also used without pandas).

    Parameters
    ----------
    frame : DataFrame
        The inventory as read.
    source : str, optional
        File name for the messages.
    line_offset : int, optional
        Line a person sees for row 0 (2 for a CSV with one header line).
    line_word : str, optional
        ``line`` or ``row`` in the messages.
    units_table : DataFrame, optional
        Capacity units (default: the catalog's).

    Examples
    --------
    >>> raw = pd.DataFrame({"Server": ["a"], "Memory (GB)": ["32"], "Peak CPU %": ["40%"]})
    >>> out, rep = normalise_columns(raw)
    >>> list(out.columns), round(float(out["memory_mib"].iloc[0]), 1)
    (['server', 'memory_mib', 'util_peak_pct'], 32768.0)
    >>> print(rep["conversions"][0])
    memory_mib: 1 value(s) converted from header 'Memory (GB)' (1 GB = 1024 MiB; memory: 1 GB read as 1 GiB = 2^30 B, as memory is sold)
    """
    if len(frame.columns) > MAX_INVENTORY_COLUMNS:  # before reading any cell
        msg = (
            f"{source}: {len(frame.columns):,} columns (limit MAX_INVENTORY_COLUMNS = "
            f"{MAX_INVENTORY_COLUMNS:,}); an inventory has one column per field"
        )
        raise InputError(msg)

    def unit_names() -> list[str]:
        units = units_table if units_table is not None else reference.capacity_units()
        return [str(u) for u in units.index]

    cols, report = schema.normalise(
        _columns_of(frame),
        source=source,
        line_offset=line_offset,
        line_word=line_word,
        unit_names=unit_names,
    )
    out = frame.copy()
    out.columns = [_header(c)[0] for c in frame.columns]
    for canon in report.pop("changed"):
        out[canon] = pd.Series(cols[canon], index=out.index, dtype=object)
    if report["ignored_columns"]:
        out = out.drop(columns=[_header(c)[0] for c in report["ignored_columns"]])
    return out, report


def reference_names(
    workload_table: pd.DataFrame | None = None, units_table: pd.DataFrame | None = None
) -> tuple[list[str], dict[str, bool]]:
    """Valid workload classes, and capacity units with whether each needs ``cores``.

    Bundled tables are read with the csv module (no pandas); a planner's own tables are used
    as given.

    Parameters
    ----------
    workload_table : DataFrame, optional
        Workload classes (default: the catalog's).
    units_table : DataFrame, optional
        Capacity units (default: the catalog's).

    Examples
    --------
    >>> classes, units = reference_names()
    >>> "web" in classes, units["mhz_per_core"], units["tpm"]
    (True, True, False)
    """
    if workload_table is None:
        classes = list(reference.bundled_rows("workload_classes", "workload_class"))
    else:
        classes = [str(c) for c in workload_table.index]
    if units_table is None:
        rows = reference.bundled_rows("capacity_units", "capacity_unit")
        units = {u: r["needs_cores"].lower() in ("true", "1", "yes") for u, r in rows.items()}
    else:
        units = {str(u): bool(units_table.loc[u, "needs_cores"]) for u in units_table.index}
    return classes, units


def validate_inventory(
    frame: pd.DataFrame,
    *,
    source: str = "inventory",
    line_offset: int = 2,
    line_word: str = "line",
    workload_table: pd.DataFrame | None = None,
    units_table: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Validate and normalise an inventory frame; return the canonical frame.

    ``line_offset`` maps the 0-based row position to the line a person sees in
    the file (2 for a CSV with one header line).  The rules are the declarative schema
    :data:`colonykit.inventory_schema.INVENTORY_SCHEMA`, checked by
    :func:`colonykit.inventory_schema.validate_columns` (one implementation, also used without
    pandas).

    Parameters
    ----------
    frame : DataFrame
        The inventory as read.
    source : str, optional
        File name for the messages.
    line_offset : int, optional
        Line a person sees for row 0 (2 for a CSV with one header line).
    line_word : str, optional
        ``line`` or ``row`` in the messages.
    workload_table : DataFrame, optional
        Workload classes (default: the catalog's).
    units_table : DataFrame, optional
        Capacity units (default: the catalog's).

    Examples
    --------
    >>> import pandas as pd
    >>> raw = pd.DataFrame([{"server": "a", "role": "web", "capacity": 1000,
    ...     "capacity_unit": "tpm", "util_avg_pct": 10, "util_peak_pct": 140,
    ...     "workload_class": "web", "memory_mib": 512, "disk_gib": 10}])
    >>> try:
    ...     validate_inventory(raw, source="inv.csv")
    ... except ValueError as e:
    ...     print(e.problems[0])
    'util_peak_pct' must be in 0..100 (got 140.0) at inv.csv line 2
    """
    if frame is None or len(frame.columns) == 0:
        msg = f"{source}: the file is empty; expected a header line with {list(INVENTORY_COLUMNS)}"
        raise InputError(msg)
    if any(_header(c) != (str(c), None) for c in frame.columns):
        frame, _report = normalise_columns(
            frame,
            source=source,
            line_offset=line_offset,
            line_word=line_word,
            units_table=units_table,
        )
    if len(frame) > limits.MAX_SERVERS:
        msg = f"{source}: {len(frame):,} rows (limit MAX_SERVERS = {limits.MAX_SERVERS:,})"
        raise InputError(msg)
    classes, units = reference_names(workload_table, units_table)
    columns = dict(_columns_of(frame))  # a repeated header: the last one (as to_dict did)
    cols, _n = schema.validate_columns(
        columns,
        source=source,
        line_offset=line_offset,
        line_word=line_word,
        class_names=classes,
        unit_needs_cores=units,
    )
    return inventory_frame(cols, source)


def inventory_frame(columns: dict[str, Any], source: str) -> pd.DataFrame:
    """The canonical inventory frame of validated columns (:func:`validate_inventory`'s result).

    Parameters
    ----------
    columns : dict
        Validated columns (:func:`colonykit.inventory_schema.validate_columns`).
    source : str
        The file, kept in ``frame.attrs["source"]``.
    """
    out = pd.DataFrame(columns)  # text columns: the default string dtype, as from_records
    out.attrs["source"] = source
    return out


# --------------------------------------------------------------------------- demand traces
#: Trace header spellings (lower-case, spaces/brackets -> ``_``) mapped to canonical names.
TRACE_COLUMN_MAP: dict[str, str] = {
    "vm": "server",
    "vm_id": "server",
    "vmid": "server",
    "host": "server",
    "hostname": "server",
    "server_name": "server",
    "name": "server",
    "machine": "server",
    "guest": "server",
    "time": "timestamp",
    "datetime": "timestamp",
    "date_time": "timestamp",
    "ts": "timestamp",
    "timestamp_s": "timestamp",
    "time_frame": "step",
    "interval_index": "step",
    "cpu_avg_pct": "cpu_pct",
    "cpu_util_pct": "cpu_pct",
    "cpu_busy_pct": "cpu_pct",
    "busy_pct": "cpu_pct",
    "util_pct": "cpu_pct",
    "utilization_pct": "cpu_pct",
    "cpu_usage_pct": "cpu_pct",
    "cpu_percent": "cpu_pct",
    "cpu": "cpu_pct",
    "cpu_usage_mhz": "cpu_mhz",
    "cpu_usage": "cpu_pct",  # Bitbrains GWA-T-12 "CPU usage [%]"
    "timestamp_ms": "timestamp",  # Bitbrains "Timestamp [ms]" (the values are seconds: epoch_unit)
    "cpu_mips": "mips",
    "mips_used": "mips",
}

#: Value columns in order of preference when ``unit`` is not given.
VALUE_PREFERENCE: tuple[str, ...] = ("mips", "cpu_mhz", "cpu_pct")


def canonical_column(name: object) -> str:
    """Canonical column name: lower-case, spaces/brackets -> ``_``, then :data:`TRACE_COLUMN_MAP`.

    Parameters
    ----------
    name : object
        A header as found in a file.

    Examples
    --------
    >>> canonical_column("VM"), canonical_column("CPU avg %"), canonical_column("Time Frame")
    ('server', 'cpu_avg', 'step')
    """
    text = str(name).strip().strip('"').strip().lower()
    text = re.sub(r"[\s\[\]()/%-]+", "_", text).strip("_")
    return TRACE_COLUMN_MAP.get(text, text)


def step_seconds_default() -> float:
    """Default length of one integer ``step`` in seconds (constant ``trace_step_s``).

    Examples
    --------
    >>> step_seconds_default()
    300.0
    """
    return float(reference.constant("trace_step_s"))


def parse_interval(interval: str | float | int | pd.Timedelta | None) -> float | None:
    """Interval in seconds from ``"5min"``, ``"300s"``, ``300`` or a Timedelta.

    Parameters
    ----------
    interval : str, float, int, pandas.Timedelta or None
        The interval; ``None`` gives ``None``.

    Examples
    --------
    >>> parse_interval("5min"), parse_interval(600), parse_interval(None)
    (300.0, 600.0, None)
    """
    if interval is None:
        return None
    try:
        if isinstance(interval, int | float | np.integer | np.floating):
            seconds = float(interval)
        else:
            seconds = (
                pd.Timedelta(interval).value / 1e9
            )  # ns: total_seconds() rounds to µs at pandas 2.2
    except (ValueError, TypeError, OverflowError):
        seconds = float("nan")
    if not (math.isfinite(seconds) and seconds > 0):
        raise InputError(must_be("interval", "a positive duration such as '5min' or 300", interval))
    if not limits.MIN_INTERVAL_S <= seconds <= limits.MAX_INTERVAL_S:
        raise InputError(
            must_be(
                "interval",
                f"between {limits.MIN_INTERVAL_S:g} s and "
                f"{limits.MAX_INTERVAL_S:g} s (limits MIN_INTERVAL_S, MAX_INTERVAL_S)",
                interval,
            )
        )
    return seconds


def _label(value: object) -> object:
    """A step label as a message prints it: numpy scalars as the Python value (``20``, not
    ``np.int64(20)``, which numpy >= 2 repr gives)."""
    return value.item() if isinstance(value, np.generic) else value


def demand_problems(
    matrix: np.ndarray, names: list[str], index: pd.Index, where: str = "demand", limit: int = 50
) -> list[str]:
    """Every NaN/inf and negative value of a demand matrix (servers × steps), naming server and step.

    The one validation message of a demand frame (:func:`colonykit.packing.demand_matrix`,
    :func:`colonykit.whitespace.analyze`); callers detect fast and call this to say where.

    Parameters
    ----------
    matrix : ndarray
        Demand, servers × steps.
    names : list of str
        Server names (rows).
    index : pandas.Index
        Time index (columns).
    where : str, optional
        What the matrix is, for the messages.
    limit : int, optional
        Most problems listed.

    Examples
    --------
    >>> m = np.array([[1.0, np.nan], [2.0, -3.0]])
    >>> for p in demand_problems(m, ["a", "b"], pd.RangeIndex(2)):
    ...     print(p)
    'demand' must be a finite number (got nan) at demand server 'a' step 1 (fill gaps first: read_traces(fill='ffill'))
    'demand' must be >= 0 (got -3.0) at demand server 'b' step 1
    """
    row_min, row_max = matrix.min(axis=1), matrix.max(axis=1)  # NaN propagates: no full-size copy
    problems: list[str] = []
    for i in np.flatnonzero(~(np.isfinite(row_min) & np.isfinite(row_max)))[:limit]:
        j = int(np.argmin(np.isfinite(matrix[i])))
        problems.append(
            must_be(
                "demand",
                "a finite number",
                float(matrix[i, j]),
                f"{where} server {names[i]!r} step {_label(index[j])!r}",
            )
            + " (fill gaps first: read_traces(fill='ffill'))"
        )
    for i in np.flatnonzero(np.isfinite(row_min) & (row_min < 0))[:limit]:
        j = int(np.argmax(matrix[i] < 0))
        problems.append(
            must_be(
                "demand",
                ">= 0",
                float(matrix[i, j]),
                f"{where} server {names[i]!r} step {_label(index[j])!r}",
            )
        )
    return problems


__all__ = [
    "INVENTORY_COLUMNS",
    "OPTIONAL_COLUMNS",
    "COLUMN_MAP",
    "AMBIGUOUS_HEADERS",
    "SIZE_UNITS",
    "MEMORY_SIZE_UNITS",
    "MAX_INVENTORY_COLUMNS",
    "normalise_columns",
    "reference_names",
    "validate_inventory",
    "inventory_frame",
    "TRACE_COLUMN_MAP",
    "VALUE_PREFERENCE",
    "canonical_column",
    "step_seconds_default",
    "parse_interval",
    "demand_problems",
]
