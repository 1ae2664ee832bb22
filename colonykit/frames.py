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
from typing import Any

import numpy as np
import pandas as pd

from colonykit import limits, reference
from colonykit.errors import InputError, must_be, raise_problems, short_repr

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
    "io_rate_per_s",
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
    "mem_mib": "memory_mib",
    "ram_mib": "memory_mib",
    "avg_cpu_pct": "util_avg_pct",
    "cpu_avg_pct": "util_avg_pct",
    "average_cpu_pct": "util_avg_pct",
    "avg_util": "util_avg_pct",
    "avg_utilization_pct": "util_avg_pct",
    "peak_cpu_pct": "util_peak_pct",
    "cpu_peak_pct": "util_peak_pct",
    "max_cpu_pct": "util_peak_pct",
    "peak_util": "util_peak_pct",
    "peak_utilization_pct": "util_peak_pct",
    "server_name": "server",
    "workload_class_name": "workload_class",
    "cpu_cores": "cores",
    "number_of_cores": "cores",
    "qty": "count",
    "quantity": "count",
    "unit": "capacity_unit",
    "wlf_tpm_per_mips": "tpm_per_mips",
    "servers": "count",
    "n": "count",
}


#: Headers that could mean more than one column: refused with a hint instead of guessed.
AMBIGUOUS_HEADERS: dict[str, str] = {
    "cpu": "util_avg_pct or util_peak_pct",
    "cpu_pct": "util_avg_pct or util_peak_pct",
    "util_pct": "util_avg_pct or util_peak_pct",
    "utilization_pct": "util_avg_pct or util_peak_pct",
    "cpu_util_pct": "util_avg_pct or util_peak_pct",
    "memory": "memory_mib (or 'Memory (GB)' …)",
    "disk": "disk_gib (or 'Disk (GB)' …)",
}
#: Bytes per unit of a size written in a header or a cell (SI: 1 MB = 10^6 B; IEC: 1 MiB = 2^20 B).
SIZE_UNITS: dict[str, int] = {
    "kb": 10**3,
    "mb": 10**6,
    "gb": 10**9,
    "tb": 10**12,
    "kib": 2**10,
    "mib": 2**20,
    "gib": 2**30,
    "tib": 2**40,
}
#: Bytes per unit of a **memory** size: memory is sold and configured in binary units, so "GB"
#: on a memory column means GiB (32 GB of RAM is 32 GiB = 32,768 MiB, not 30,518 MiB); disk sizes
#: keep :data:`SIZE_UNITS` (a "4 TB" disk is decimal).  Issue 20 item 6.
MEMORY_SIZE_UNITS: dict[str, int] = {
    **SIZE_UNITS,
    "kb": 2**10,
    "mb": 2**20,
    "gb": 2**30,
    "tb": 2**40,
}
#: Column stems that carry a size, and the canonical column and its unit.
_SIZE_STEMS: dict[str, tuple[str, str]] = {
    "memory": ("memory_mib", "mib"),
    "mem": ("memory_mib", "mib"),
    "ram": ("memory_mib", "mib"),
    "disk": ("disk_gib", "gib"),
    "storage": ("disk_gib", "gib"),
    "disk_size": ("disk_gib", "gib"),
}
#: Most columns an inventory may have (a guard against hostile files).
MAX_INVENTORY_COLUMNS: int = 1_000
_KNOWN = frozenset(INVENTORY_COLUMNS) | frozenset(OPTIONAL_COLUMNS)


def _key(col: object) -> str:
    text = str(col).strip().lower().replace("%", " pct ")
    return "_".join(t for t in "".join(ch if ch.isalnum() else " " for ch in text).split())


def _header(col: object) -> tuple[str, str | None]:
    """(canonical name, size unit written in the header or None).

    Examples
    --------
    >>> _header("Memory (GB)"), _header("Avg CPU %"), _header("memory_mb")
    (('memory_mib', 'gb'), ('util_avg_pct', None), ('memory_mib', 'mb'))
    """
    key = _key(col)
    if key in COLUMN_MAP:
        return COLUMN_MAP[key], None
    stem, _, unit = key.rpartition("_")
    if stem in _SIZE_STEMS and unit in SIZE_UNITS:
        return _SIZE_STEMS[stem][0], unit
    return key, None


def _canonical(col: object) -> str:
    return _header(col)[0]


_CELL = r"^\s*([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)\s*([A-Za-z%]*)\s*$"


def _convert_sizes(
    raw: pd.Series,
    header_unit: str | None,
    canon: str,
    label: str,
    notes: list[str],
    problems: list[str],
    where: list[str],
) -> pd.Series:
    """Sizes to the canonical unit (MiB or GiB); units in the header or in each cell."""
    target = _SIZE_STEMS["memory" if canon == "memory_mib" else "disk"][1]
    text = raw.astype("string")
    parts = text.str.extract(_CELL)
    cell_unit = parts[1].str.lower().fillna("")
    has_text = text.notna() & (text.str.strip() != "")
    unit = cell_unit.where(cell_unit != "", header_unit or target)
    bad_unit = has_text & parts[0].notna() & ~unit.isin(list(SIZE_UNITS))
    for i in bad_unit.to_numpy().nonzero()[0][:20]:
        rule = (
            f"a size with a unit such as '32 GB' or '512 MiB' (units {sorted(SIZE_UNITS)})"
            if not unit.iloc[i]
            else f"a size in one of {sorted(SIZE_UNITS)}"
        )
        problems.append(must_be(canon, rule, raw.iloc[i], where[i]))
    table = MEMORY_SIZE_UNITS if canon == "memory_mib" else SIZE_UNITS
    factor = unit.map(lambda u: table.get(u, float("nan")) / table[target]).astype(float)
    number = pd.to_numeric(parts[0], errors="coerce")
    converted = (number * factor).where(parts[0].notna(), other=None)
    out = raw.astype(object).mask(parts[0].notna() & unit.isin(list(SIZE_UNITS)), converted)
    changed = parts[0].notna() & unit.isin(list(SIZE_UNITS)) & (unit != target)
    if changed.any():
        used = sorted(set(unit[changed]))
        desc = ", ".join(
            f"1 {u.upper() if len(u) == 2 else u[0].upper() + 'i' + u[2].upper()} = "
            f"{table[u] / table[target]:.6g} {target[0].upper()}i{target[2].upper()}"
            for u in used
        )
        src = f"header {label!r}" if header_unit and header_unit != target else f"column {label!r}"
        rule = (
            "memory: 1 GB read as 1 GiB = 2^30 B, as memory is sold"
            if table is MEMORY_SIZE_UNITS
            else "1 MB = 10^6 B, 1 MiB = 2^20 B"
        )
        notes.append(
            f"{canon}: {int(changed.sum())} value(s) converted from {src} ({desc}; {rule})"
        )
    return out


def _strip_pct(raw: pd.Series, canon: str, notes: list[str]) -> pd.Series:
    text = raw.astype("string")
    has_pct = text.str.strip().str.endswith("%").fillna(False)
    if not has_pct.any():
        return raw
    notes.append(
        f"{canon}: '%' removed from {int(has_pct.sum())} value(s) (e.g. {raw[has_pct].iloc[0]!r})"
    )
    return raw.astype(object).where(~has_pct, text.str.strip().str.rstrip("%").str.strip())


def _capacity_units(
    frame: pd.DataFrame,
    unit_names: list[str],
    notes: list[str],
    problems: list[str],
    where: list[str],
) -> None:
    """'2.4 GHz' in a capacity cell: the number, and the unit into ``capacity_unit``."""
    text = frame["capacity"].astype("string")
    parts = text.str.extract(_CELL)
    cell_unit = parts[1].str.lower().fillna("")
    with_unit = parts[0].notna() & (cell_unit != "")
    if not with_unit.any():
        return
    column = frame["capacity_unit"].astype("string").fillna("").str.strip().str.lower()
    converted = 0
    for i in with_unit.to_numpy().nonzero()[0]:
        u, given = cell_unit.iloc[i], column.iloc[i]
        if u not in unit_names:
            problems.append(
                must_be(
                    "capacity",
                    f"a number, or a number with a unit from {unit_names}",
                    frame["capacity"].iloc[i],
                    where[i],
                )
            )
        elif given and given != u:
            problems.append(
                f"'capacity' has unit {u!r} but 'capacity_unit' says {given!r} "
                f"(got {frame['capacity'].iloc[i]!r}) at {where[i]}; give one unit"
            )
        else:
            frame.iat[i, frame.columns.get_loc("capacity")] = parts[0].iloc[i]
            frame.iat[i, frame.columns.get_loc("capacity_unit")] = u
            converted += 1
    if converted:
        notes.append(
            f"capacity: the unit written in {converted} cell(s) (e.g. "
            f"{text[with_unit].iloc[0]!r}) moved to 'capacity_unit'"
        )


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
    sizes without a unit are errors.

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
    import difflib
    from collections import Counter

    if len(frame.columns) > MAX_INVENTORY_COLUMNS:
        msg = (
            f"{source}: {len(frame.columns):,} columns (limit MAX_INVENTORY_COLUMNS = "
            f"{MAX_INVENTORY_COLUMNS:,}); an inventory has one column per field"
        )
        raise InputError(msg)
    labels = [str(c) for c in frame.columns]
    heads = [_header(c) for c in labels]
    problems: list[str] = []
    notes: list[str] = []
    ignored: list[str] = []
    by_name: dict[str, list[str]] = {}
    for label, (canon, _u) in zip(labels, heads, strict=True):
        by_name.setdefault(canon, []).append(label)
    for canon, group in by_name.items():
        if len(group) > 1:
            problems.append(
                f"{source}: column {canon!r} is given {len(group)} times "
                f"(headers {short_repr(group)}); keep one"
            )
    label_counts = Counter(labels)
    known_spellings = sorted(_KNOWN | set(COLUMN_MAP))
    for label, (canon, _u) in zip(labels, heads, strict=True):
        if canon in _KNOWN:
            continue
        if canon in AMBIGUOUS_HEADERS:
            problems.append(
                f"{source}: column {label!r} is ambiguous; name it {AMBIGUOUS_HEADERS[canon]}"
            )
            continue
        close = difflib.get_close_matches(canon, known_spellings, n=1, cutoff=0.75) if canon else []
        if close and label_counts[label] == 1:
            problems.append(
                f"{source}: unknown column {label!r} (did you mean "
                f"{COLUMN_MAP.get(close[0], close[0])!r}?); rename it, or remove it"
            )
        elif (
            not label.lower().startswith("unnamed")
            or frame[label].astype("string").str.strip().fillna("").ne("").any()
        ):
            ignored.append(label)
    raise_problems(problems, f"invalid inventory {source}")
    out = frame.copy()
    out.columns = [c for c, _u in heads]
    where = [f"{source} {line_word} {i + line_offset}" for i in range(len(out))]
    for label, (canon, unit) in zip(labels, heads, strict=True):
        if canon in ("memory_mib", "disk_gib"):
            out[canon] = _convert_sizes(out[canon], unit, canon, label, notes, problems, where)
        elif canon.endswith("_pct"):
            out[canon] = _strip_pct(out[canon], canon, notes)
    has_unit = "capacity" in out.columns and bool(
        out["capacity"].astype("string").str.contains(r"\d\s*[A-Za-z]", na=False).any()
    )
    if has_unit:
        if "capacity_unit" not in out.columns:
            out["capacity_unit"] = ""
        units = units_table if units_table is not None else reference.capacity_units()
        _capacity_units(out, [str(u) for u in units.index], notes, problems, where)
    raise_problems(problems, f"invalid inventory {source}")
    if ignored:
        out = out.drop(columns=[_header(c)[0] for c in ignored])
        notes.append(f"ignored column(s) {short_repr(ignored)}: not inventory fields")
    return out, {"conversions": notes, "ignored_columns": ignored}


def _num(value: Any) -> float | None:
    """Parse a number; None when blank/NaN; raises ValueError when not numeric."""
    if value is None:
        return None
    if isinstance(value, bool | np.bool_):  # an Excel TRUE/FALSE cell is not 1 or 0 cores
        msg = f"a boolean ({'TRUE' if value else 'FALSE'}), not a number"
        raise ValueError(msg)
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        return float(text)
    f = float(value)
    return None if math.isnan(f) else f


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
    missing = [c for c in INVENTORY_COLUMNS if c not in frame.columns]
    if missing:
        msg = (
            f"{source}: missing required column(s) {missing}; "
            f"required columns are {list(INVENTORY_COLUMNS)}"
        )
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

        def number(
            col: str,
            rule: str,
            ok: Any,
            *,
            required: bool = True,
            _row: dict[str, Any] = row,
            _where: str = where,
        ) -> float | None:
            raw = _row.get(col)
            try:
                val = _num(raw)
            except (TypeError, ValueError):
                problems.append(must_be(col, f"a number {rule}", raw, _where))
                return None
            if val is not None and not math.isfinite(val):
                problems.append(must_be(col, f"a finite number {rule}", raw, _where))
                return None
            if val is None:
                if required:
                    problems.append(
                        must_be(col, f"a number {rule}", "" if raw is None else raw, _where)
                    )
                return None
            if not ok(val):
                problems.append(must_be(col, rule, val, _where))
                return None
            return val

        name = str(row.get("server") or "").strip()
        if not name:
            problems.append(must_be("server", "a non-empty name", row.get("server"), where))
        elif name in seen:
            problems.append(
                f"'server' must be unique (got {name!r} again) at {where}; "
                f"first seen at {source} {line_word} {seen[name]}"
            )
        else:
            seen[name] = line
        rec["server"] = name
        role = row.get("role")
        rec["role"] = (
            ""
            if role is None or (isinstance(role, float) and math.isnan(role))
            else str(role).strip()
        )

        rec["capacity"] = number("capacity", "> 0", lambda v: v > 0 and math.isfinite(v))
        unit = str(row.get("capacity_unit") or "").strip().lower()
        if unit not in unit_names:
            problems.append(
                f"'capacity_unit' must be one of {unit_names} (got {row.get('capacity_unit')!r}) at {where}"
            )
        rec["capacity_unit"] = unit
        avg = number("util_avg_pct", "in 0..100", lambda v: 0 <= v <= 100)
        peak = number("util_peak_pct", "in 0..100", lambda v: 0 <= v <= 100)
        if avg is not None and peak is not None and peak < avg:
            problems.append(
                f"'util_peak_pct' must be >= 'util_avg_pct' ({avg:g}) (got {peak:g}) at {where}"
            )
        rec["util_avg_pct"], rec["util_peak_pct"] = avg, peak

        wc = str(row.get("workload_class") or "").strip().lower()
        has_override = _num_or_none(row.get("tpm_per_mips")) is not None
        if wc and wc not in class_names:
            problems.append(
                f"'workload_class' must be one of {class_names} (got {row.get('workload_class')!r}) at {where}"
            )
        elif not wc and not has_override:
            problems.append(
                f"'workload_class' must be one of {class_names} (got '') at {where} "
                "(or give a per-server 'tpm_per_mips')"
            )
        rec["workload_class"] = wc
        rec["memory_mib"] = number("memory_mib", "> 0", lambda v: v > 0 and math.isfinite(v))
        rec["disk_gib"] = number("disk_gib", ">= 0", lambda v: v >= 0 and math.isfinite(v))

        cores = (
            number(
                "cores",
                f"a whole number >= 1 and <= {limits.MAX_CORES:,} (limit MAX_CORES)",
                lambda v: 1 <= v <= limits.MAX_CORES and v == int(v),
                required=False,
            )
            if "cores" in row
            else None
        )
        rec["cores"] = cores
        if (
            unit in unit_names
            and bool(units.loc[unit, "needs_cores"])
            and cores is None
            and not any(p.startswith("'cores'") and p.endswith(where) for p in problems)
        ):
            problems.append(f"'cores' must be given for capacity_unit {unit!r} (got '') at {where}")
        for col in ("tpm_per_mips", "tpm_per_mips_low", "tpm_per_mips_high"):
            rec[col] = (
                number(col, "> 0", lambda v: v > 0 and math.isfinite(v), required=False)
                if col in row
                else None
            )
        lo, typ, hi = rec["tpm_per_mips_low"], rec["tpm_per_mips"], rec["tpm_per_mips_high"]
        if (lo is not None or hi is not None) and typ is None:
            problems.append(
                f"'tpm_per_mips' must be given when 'tpm_per_mips_low'/'tpm_per_mips_high' are (got '') at {where}"
            )
        if typ is not None and ((lo is not None and lo > typ) or (hi is not None and hi < typ)):
            problems.append(
                f"'tpm_per_mips_low' <= 'tpm_per_mips' <= 'tpm_per_mips_high' must hold "
                f"(got {lo}, {typ}, {hi}) at {where}"
            )
        cnt = (
            number(
                "count",
                f"a whole number >= 1 and <= {limits.MAX_COUNT_PER_ROW:,} (limit MAX_COUNT_PER_ROW)",
                lambda v: 1 <= v <= limits.MAX_COUNT_PER_ROW and v == int(v),
                required=False,
            )
            if "count" in row
            else None
        )
        rec["count"] = int(cnt) if cnt is not None else 1
        rec["io_rate_per_s"] = (  # issue 23: decides each LPAR's share of the colony's I/O
            number("io_rate_per_s", ">= 0", lambda v: v >= 0 and math.isfinite(v), required=False)
            if "io_rate_per_s" in row
            else None
        )
        records.append(rec)

    total = sum(r["count"] for r in records)
    if total > limits.MAX_SERVERS:
        problems.append(
            f"{source}: {total:,} servers in all (the sum of 'count'); the limit is "
            f"MAX_SERVERS = {limits.MAX_SERVERS:,}"
        )
    raise_problems(problems, f"invalid inventory {source}")
    out = pd.DataFrame.from_records(records)
    float_cols = [
        "capacity",
        "util_avg_pct",
        "util_peak_pct",
        "memory_mib",
        "disk_gib",
        "cores",
        "tpm_per_mips",
        "tpm_per_mips_low",
        "tpm_per_mips_high",
        "io_rate_per_s",
    ]
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
                f"{where} server {names[i]!r} step {index[j]!r}",
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
                f"{where} server {names[i]!r} step {index[j]!r}",
            )
        )
    return problems
