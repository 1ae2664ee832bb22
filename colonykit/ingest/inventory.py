"""Read and validate a server inventory (CSV or Excel) into the canonical frame.

Canonical columns (units in the names): ``server, role, capacity, capacity_unit,
util_avg_pct, util_peak_pct, workload_class, memory_mib, disk_gib`` plus optional
``cores, tpm_per_mips, tpm_per_mips_low, tpm_per_mips_high, count``.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pandas as pd

from colonykit import reference
from colonykit._optional import require
from colonykit.errors import InputError, must_be, raise_problems

INVENTORY_COLUMNS: tuple[str, ...] = (
    "server",
    "role",
    "capacity",
    "capacity_unit",
    "util_avg_pct",
    "util_peak_pct",
    "workload_class",
    "memory_mib",
    "disk_gib",
)
OPTIONAL_COLUMNS: tuple[str, ...] = (
    "cores",
    "tpm_per_mips",
    "tpm_per_mips_low",
    "tpm_per_mips_high",
    "count",
)

#: Header spellings accepted and mapped to canonical names (compared lower-case, spaces -> _).
COLUMN_MAP: dict[str, str] = {
    "name": "server",
    "hostname": "server",
    "host": "server",
    "function": "role",
    "util_avg": "util_avg_pct",
    "avg_util_pct": "util_avg_pct",
    "average_utilization_pct": "util_avg_pct",
    "util_peak": "util_peak_pct",
    "peak_util_pct": "util_peak_pct",
    "class": "workload_class",
    "workload": "workload_class",
    "memory_mb": "memory_mib",
    "mem_mib": "memory_mib",
    "disk_gb": "disk_gib",
    "unit": "capacity_unit",
    "wlf_tpm_per_mips": "tpm_per_mips",
    "servers": "count",
    "n": "count",
}


def _canonical(col: object) -> str:
    key = str(col).strip().lower().replace(" ", "_").replace("-", "_")
    return COLUMN_MAP.get(key, key)


def _num(value: Any) -> float | None:
    """Parse a number; None when blank/NaN; raises ValueError when not numeric."""
    if value is None:
        return None
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        return float(text)
    f = float(value)
    return None if math.isnan(f) else f


def read_inventory(
    path: str | Path, *, sheet: str | int = 0, workload_table: pd.DataFrame | None = None,
    units_table: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Read a server inventory from CSV (``.csv``/``.txt``) or Excel (``.xlsx``).

    Parameters
    ----------
    path : str or Path
        The inventory file.
    sheet : str or int
        Excel sheet name or index (ignored for CSV).
    workload_table, units_table : DataFrame, optional
        The planner's own workload-class / capacity-unit tables (validation accepts their names).

    Returns
    -------
    (pandas.DataFrame, dict)
        The validated canonical frame (one row per inventory line, ``count``
        filled with 1 where absent) and metadata (``source``, ``rows``,
        ``servers``, ``format``).

    Raises
    ------
    InputError
        Unreadable or empty file, missing columns, or invalid rows.  Every
        problem of the file is listed, each naming file, line, column and the
        valid range.

    Examples
    --------
    >>> from colonykit.ingest import read_inventory
    >>> inv, meta = read_inventory("data/examples/xyz_inventory.csv")
    >>> int(inv["count"].sum())
    26
    """
    p = Path(path)
    if not p.exists():
        msg = f"inventory file not found: {p}"
        raise InputError(msg)
    if p.is_dir():
        msg = f"inventory must be a file, got a directory: {p}"
        raise InputError(msg)
    suffix = p.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm", ".xls"):
            require("openpyxl", extra="excel", purpose="reading .xlsx inventories")
            frame = pd.read_excel(p, sheet_name=sheet, dtype=object)
            fmt, line_offset, line_word = "excel", 2, "row"
        else:
            frame = pd.read_csv(p, dtype=str, keep_default_na=False, skipinitialspace=True,
                                comment=None)
            fmt, line_offset, line_word = "csv", 2, "line"
    except pd.errors.EmptyDataError:
        msg = f"{p.name}: the file is empty; expected a header line with {list(INVENTORY_COLUMNS)}"
        raise InputError(msg) from None
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
        msg = f"{p.name}: cannot parse the file ({exc})"
        raise InputError(msg) from exc
    frame = validate_inventory(frame, source=p.name, line_offset=line_offset, line_word=line_word,
                               workload_table=workload_table, units_table=units_table)
    meta = {
        "source": str(p),
        "format": fmt,
        "rows": len(frame),
        "servers": int(frame["count"].sum()),
    }
    return frame, meta


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
    the file (2 for a CSV with one header line).

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
    frame = frame.rename(columns={c: _canonical(c) for c in frame.columns})
    dup_cols = frame.columns[frame.columns.duplicated()].tolist()
    if dup_cols:
        msg = f"{source}: duplicate column(s) {dup_cols} (after mapping header aliases)"
        raise InputError(msg)
    missing = [c for c in INVENTORY_COLUMNS if c not in frame.columns]
    if missing:
        msg = (f"{source}: missing required column(s) {missing}; "
               f"required columns are {list(INVENTORY_COLUMNS)}")
        raise InputError(msg)
    if len(frame) == 0:
        msg = f"{source}: no data rows below the header"
        raise InputError(msg)
    classes = workload_table if workload_table is not None else reference.workload_classes()
    units = units_table if units_table is not None else reference.capacity_units()
    class_names = [str(c) for c in classes.index]
    unit_names = [str(u) for u in units.index]

    problems: list[str] = []
    records: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for pos, row in enumerate(frame.to_dict(orient="records")):
        line = pos + line_offset
        where = f"{source} {line_word} {line}"
        rec: dict[str, Any] = {}

        def number(col: str, rule: str, ok: Any, *, required: bool = True,
                   _row: dict[str, Any] = row, _where: str = where) -> float | None:
            raw = _row.get(col)
            try:
                val = _num(raw)
            except (TypeError, ValueError):
                problems.append(must_be(col, f"a number {rule}", raw, _where))
                return None
            if val is None:
                if required:
                    problems.append(must_be(col, f"a number {rule}", "" if raw is None else raw, _where))
                return None
            if not ok(val):
                problems.append(must_be(col, rule, val, _where))
                return None
            return val

        name = str(row.get("server") or "").strip()
        if not name:
            problems.append(must_be("server", "a non-empty name", row.get("server"), where))
        elif name in seen:
            problems.append(f"'server' must be unique (got {name!r} again) at {where}; "
                            f"first seen at {source} {line_word} {seen[name]}")
        else:
            seen[name] = line
        rec["server"] = name
        role = row.get("role")
        rec["role"] = "" if role is None or (isinstance(role, float) and math.isnan(role)) else str(role).strip()

        rec["capacity"] = number("capacity", "> 0", lambda v: v > 0 and math.isfinite(v))
        unit = str(row.get("capacity_unit") or "").strip().lower()
        if unit not in unit_names:
            problems.append(f"'capacity_unit' must be one of {unit_names} (got {row.get('capacity_unit')!r}) at {where}")
        rec["capacity_unit"] = unit
        avg = number("util_avg_pct", "in 0..100", lambda v: 0 <= v <= 100)
        peak = number("util_peak_pct", "in 0..100", lambda v: 0 <= v <= 100)
        if avg is not None and peak is not None and peak < avg:
            problems.append(f"'util_peak_pct' must be >= 'util_avg_pct' ({avg:g}) (got {peak:g}) at {where}")
        rec["util_avg_pct"], rec["util_peak_pct"] = avg, peak

        wc = str(row.get("workload_class") or "").strip().lower()
        has_override = _num_or_none(row.get("tpm_per_mips")) is not None
        if wc and wc not in class_names:
            problems.append(f"'workload_class' must be one of {class_names} (got {row.get('workload_class')!r}) at {where}")
        elif not wc and not has_override:
            problems.append(f"'workload_class' must be one of {class_names} (got '') at {where} "
                            "(or give a per-server 'tpm_per_mips')")
        rec["workload_class"] = wc
        rec["memory_mib"] = number("memory_mib", "> 0", lambda v: v > 0 and math.isfinite(v))
        rec["disk_gib"] = number("disk_gib", ">= 0", lambda v: v >= 0 and math.isfinite(v))

        cores = number("cores", "a whole number >= 1", lambda v: v >= 1 and v == int(v), required=False) \
            if "cores" in row else None
        rec["cores"] = cores
        if unit in unit_names and bool(units.loc[unit, "needs_cores"]) and cores is None \
                and not any(p.startswith("'cores'") and p.endswith(where) for p in problems):
            problems.append(f"'cores' must be given for capacity_unit {unit!r} (got '') at {where}")
        for col in ("tpm_per_mips", "tpm_per_mips_low", "tpm_per_mips_high"):
            rec[col] = number(col, "> 0", lambda v: v > 0 and math.isfinite(v), required=False) \
                if col in row else None
        lo, typ, hi = rec["tpm_per_mips_low"], rec["tpm_per_mips"], rec["tpm_per_mips_high"]
        if (lo is not None or hi is not None) and typ is None:
            problems.append(f"'tpm_per_mips' must be given when 'tpm_per_mips_low'/'tpm_per_mips_high' are (got '') at {where}")
        if typ is not None and ((lo is not None and lo > typ) or (hi is not None and hi < typ)):
            problems.append(f"'tpm_per_mips_low' <= 'tpm_per_mips' <= 'tpm_per_mips_high' must hold "
                            f"(got {lo}, {typ}, {hi}) at {where}")
        cnt = number("count", "a whole number >= 1", lambda v: v >= 1 and v == int(v), required=False) \
            if "count" in row else None
        rec["count"] = int(cnt) if cnt is not None else 1
        records.append(rec)

    raise_problems(problems, f"invalid inventory {source}")
    out = pd.DataFrame.from_records(records)
    float_cols = ["capacity", "util_avg_pct", "util_peak_pct", "memory_mib", "disk_gib", "cores",
                  "tpm_per_mips", "tpm_per_mips_low", "tpm_per_mips_high"]
    for col in float_cols:
        out[col] = pd.to_numeric(out[col], errors="coerce").astype("float64")
    out["count"] = out["count"].astype("int64")
    out.attrs["source"] = source
    return out[[*INVENTORY_COLUMNS, *OPTIONAL_COLUMNS]]


def _num_or_none(value: Any) -> float | None:
    try:
        return _num(value)
    except (TypeError, ValueError):
        return None
