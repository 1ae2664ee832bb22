"""The declarative schema of a server inventory, and its one validator (issue 27 §9, issue 25 §5).

Each inventory field is one row of :data:`INVENTORY_SCHEMA` (a frozen :class:`InventoryField`):
its canonical name (unit in the name), the header spellings read as it (``aliases``), its kind,
unit, valid range, whether it is required and its default with the default's source.  The rule a
message names is the rule declared there::

    'util_peak_pct' must be in 0..100 (got 140.0) at inventory.csv line 7

The validator works on columns of plain values (``name -> list``), checks each column at once
(numbers parsed once per cell, ranges with numpy) and imports no pandas, so ``colonykit size`` on
a small CSV starts without it.  :func:`colonykit.frames.normalise_columns` and
:func:`colonykit.frames.validate_inventory` (the DataFrame API) call the same functions:
there is one implementation of the inventory's rules.  :func:`json_schema` exports the table as
JSON Schema (documentation; what a row may hold).

Why dataclasses and not pydantic or pandera: importing pydantic's ``BaseModel`` costs about
0.1 s (half of ``import numpy``), pandera needs pandas (0.5 s), and a row model validates one
row at a time; a table of frozen dataclasses costs nothing to import and a column is checked
in one numpy expression (see ``benchmarks/bench_startup.py``).

Examples
--------
>>> FIELDS["util_peak_pct"].rule()
'in 0..100'
>>> cols, _ = validate_columns({"server": ["a"], "role": ["web"], "capacity": ["1000"],
...     "capacity_unit": ["tpm"], "util_avg_pct": ["10"], "util_peak_pct": ["40"],
...     "workload_class": ["web"], "memory_mib": ["512"], "disk_gib": ["10"]},
...     class_names=["web"], unit_needs_cores={"tpm": False})
>>> cols["capacity"].tolist(), cols["count"].tolist()
([1000.0], [1])
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np

from colonykit import limits
from colonykit._inputs import refuse_special
from colonykit.errors import InputError, must_be, raise_problems, short_repr

Kind = Literal["text", "number", "whole", "choice"]


@dataclass(frozen=True)
class InventoryField:
    """One field of the inventory: name, spellings, kind, unit, valid range, default.

    Parameters
    ----------
    name : str
        Canonical column name (unit in the name).
    kind : {'text', 'number', 'whole', 'choice'}
        Text, a real number, a whole number, or one of a reference table's keys.
    unit : str
        Unit of the values: a suffix of :data:`colonykit.units.GLOSSARY` without its ``_`` (``pct``,
        ``mib``, ``gib``, ``per_s``, ``cores``, ``count``) or a label of
        :data:`colonykit.units.UNIT_LABELS` (``tpm/MIPS``); ``''`` for none (``capacity`` is in its
        row's ``capacity_unit``).
    required : bool
        The column must be present (and, for numbers, every cell filled).
    description : str
        What the field means.
    low : float, optional
        Lowest valid value.
    low_exclusive : bool
        ``low`` itself is not valid.
    high : float, optional
        Highest valid value (or the value of the named limit ``high_limit``).
    high_limit : str
        A :mod:`colonykit.limits` constant read when the rule is checked (callers may raise it).
    default : object
        Value of a missing optional cell.
    default_source : str
        Where the default comes from.
    aliases : tuple of str
        Header spellings read as this field (compared lower case, spaces as ``_``).
    choices : str
        For ``choice`` fields, the reference table whose keys are valid.
    """

    name: str
    kind: Kind
    unit: str
    required: bool
    description: str
    low: float | None = None
    low_exclusive: bool = False
    high: float | None = None
    high_limit: str = ""
    default: Any = None
    default_source: str = ""
    aliases: tuple[str, ...] = ()
    choices: str = ""

    def upper(self) -> float | None:
        """The highest valid value (the named limit's current value when there is one).

        Examples
        --------
        >>> FIELDS["count"].upper() == limits.MAX_COUNT_PER_ROW
        True
        """
        if self.high_limit:
            return float(getattr(limits, self.high_limit))
        return self.high

    def rule(self) -> str:
        """The valid range as the messages say it.

        Examples
        --------
        >>> FIELDS["capacity"].rule(), FIELDS["disk_gib"].rule(), FIELDS["cores"].rule()
        ('> 0', '>= 0', 'a whole number >= 1 and <= 4,096 (limit MAX_CORES)')
        """
        hi = self.upper()
        if self.kind == "whole":
            return (
                f"a whole number >= {self.low:g} and <= {int(hi or 0):,} (limit {self.high_limit})"
            )
        if self.low is not None and hi is not None:
            return f"in {self.low:g}..{hi:g}"
        if self.low is not None:
            return f"{'>' if self.low_exclusive else '>='} {self.low:g}"
        return ""

    def ok(self, values: np.ndarray) -> np.ndarray:
        """Which (finite) values satisfy the rule.

        Parameters
        ----------
        values : numpy.ndarray
            Parsed values (float).

        Examples
        --------
        >>> FIELDS["cores"].ok(np.array([0.0, 1.0, 2.5, 4096.0])).tolist()
        [False, True, False, True]
        """
        ok = np.isfinite(values)
        if self.low is not None:
            ok &= (values > self.low) if self.low_exclusive else (values >= self.low)
        hi = self.upper()
        if hi is not None:
            ok &= values <= hi
        if self.kind == "whole":
            ok &= values == np.floor(values)
        return ok


_PCT = "pct"
#: The inventory's fields, in the order of the canonical frame's columns.
INVENTORY_SCHEMA: tuple[InventoryField, ...] = (
    InventoryField(
        "server",
        "text",
        "",
        True,
        "Server name, unique in the inventory.",
        aliases=("name", "hostname", "host", "server_name"),
    ),
    InventoryField("role", "text", "", True, "What the server does.", aliases=("function",)),
    InventoryField(
        "capacity",
        "number",
        "",
        True,
        "Capacity of the source server, in its capacity_unit (per core for *_per_core units).",
        low=0.0,
        low_exclusive=True,
    ),
    InventoryField(
        "capacity_unit",
        "choice",
        "",
        True,
        "Unit of capacity (a key of capacity_units.csv: tpm, mips, mhz, ghz_per_core, ...).",
        aliases=("unit",),
        choices="capacity_units",
    ),
    InventoryField(
        "util_avg_pct",
        "number",
        _PCT,
        True,
        "Average CPU utilisation of the source server.",
        low=0.0,
        high=100.0,
        aliases=(
            "util_avg",
            "avg_util_pct",
            "average_utilization_pct",
            "avg_cpu_pct",
            "cpu_avg_pct",
            "average_cpu_pct",
            "avg_util",
            "avg_utilization_pct",
        ),
    ),
    InventoryField(
        "util_peak_pct",
        "number",
        _PCT,
        True,
        "Peak CPU utilisation of the source server (>= util_avg_pct).",
        low=0.0,
        high=100.0,
        aliases=(
            "util_peak",
            "peak_util_pct",  # the old name of util_peak_pct, still read as a header
            "peak_cpu_pct",
            "cpu_peak_pct",
            "max_cpu_pct",
            "peak_util",
            "peak_utilization_pct",
        ),
    ),
    InventoryField(
        "workload_class",
        "choice",
        "",
        True,
        "Workload class (a key of workload_classes.csv); may be blank when tpm_per_mips is given.",
        aliases=("class", "workload", "workload_class_name"),
        choices="workload_classes",
    ),
    InventoryField(
        "memory_mib",
        "number",
        "mib",
        True,
        "Memory of the server (headers/cells with GB, MB, GiB ... are converted; memory GB = GiB).",
        low=0.0,
        low_exclusive=True,
        aliases=("mem_mib", "ram_mib"),
    ),
    InventoryField(
        "disk_gib",
        "number",
        "gib",
        True,
        "Disk of the server (headers/cells with GB, TB, GiB ... are converted; disk GB = 10^9 B).",
        low=0.0,
    ),
    InventoryField(
        "cores",
        "whole",
        "cores",
        False,
        "Cores of the server (required for *_per_core capacity units).",
        low=1.0,
        high_limit="MAX_CORES",
        default=None,
        default_source="none: needed only for per-core units",
        aliases=("cpu_cores", "number_of_cores"),
    ),
    InventoryField(
        "tpm_per_mips",
        "number",
        "tpm/MIPS",
        False,
        "Per-server workload factor (overrides the class's typical value).",
        low=0.0,
        low_exclusive=True,
        default=None,
        default_source="workload_classes.csv (the row's workload_class)",
        aliases=("wlf_tpm_per_mips",),
    ),
    InventoryField(
        "tpm_per_mips_low",
        "number",
        "tpm/MIPS",
        False,
        "Low end of the per-server workload factor.",
        low=0.0,
        low_exclusive=True,
        default=None,
        default_source="tpm_per_mips",
    ),
    InventoryField(
        "tpm_per_mips_high",
        "number",
        "tpm/MIPS",
        False,
        "High end of the per-server workload factor.",
        low=0.0,
        low_exclusive=True,
        default=None,
        default_source="tpm_per_mips",
    ),
    InventoryField(
        "count",
        "whole",
        "count",
        False,
        "Identical servers this row stands for.",
        low=1.0,
        high_limit="MAX_COUNT_PER_ROW",
        default=1,
        default_source="one server per row",
        aliases=("qty", "quantity", "servers", "n"),
    ),
    InventoryField(
        "io_rate_per_s",
        "number",
        "per_s",
        False,
        "I/O rate of the server (decides each LPAR's share of the colony's I/O).",
        low=0.0,
        default=None,
        default_source="none: the colony's I/O rate is used",
    ),
)
#: Field by name.
FIELDS: dict[str, InventoryField] = {f.name: f for f in INVENTORY_SCHEMA}
INVENTORY_COLUMNS: tuple[str, ...] = tuple(f.name for f in INVENTORY_SCHEMA if f.required)
OPTIONAL_COLUMNS: tuple[str, ...] = tuple(f.name for f in INVENTORY_SCHEMA if not f.required)
#: Header spellings accepted and mapped to canonical names (compared lower-case, spaces -> _).
COLUMN_MAP: dict[str, str] = {a: f.name for f in INVENTORY_SCHEMA for a in f.aliases}
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
SIZE_STEMS: dict[str, tuple[str, str]] = {
    "memory": ("memory_mib", "mib"),
    "mem": ("memory_mib", "mib"),
    "ram": ("memory_mib", "mib"),
    "disk": ("disk_gib", "gib"),
    "storage": ("disk_gib", "gib"),
    "disk_size": ("disk_gib", "gib"),
}
#: Most columns an inventory may have (a guard against hostile files).
MAX_INVENTORY_COLUMNS: int = 1_000
KNOWN = frozenset(INVENTORY_COLUMNS) | frozenset(OPTIONAL_COLUMNS)
#: Largest CSV read by the plain reader (:func:`plain_csv_grid`); larger files go to pandas.
MAX_PLAIN_CSV_BYTES: int = 8 << 20

_CELL = re.compile(r"^\s*([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)\s*([A-Za-z%]*)\s*$")
_HAS_UNIT = re.compile(r"\d\s*[A-Za-z]")


def json_schema() -> dict[str, Any]:
    """The inventory row as JSON Schema (draft 2020-12), generated from :data:`INVENTORY_SCHEMA`.

    Examples
    --------
    >>> s = json_schema()
    >>> s["required"][:3], s["properties"]["util_peak_pct"]["maximum"]
    (['server', 'role', 'capacity'], 100.0)
    """
    props: dict[str, Any] = {}
    for f in INVENTORY_SCHEMA:
        p: dict[str, Any] = {"description": f.description}
        if f.kind == "text" or f.kind == "choice":
            p["type"] = "string"
        else:
            p["type"] = "integer" if f.kind == "whole" else "number"
            if f.low is not None:
                p["exclusiveMinimum" if f.low_exclusive else "minimum"] = f.low
            hi = f.upper()
            if hi is not None:
                p["maximum"] = hi
        if f.unit:
            p["x-unit"] = f.unit
        if f.choices:
            p["x-choices"] = f"keys of {f.choices}.csv"
        if f.aliases:
            p["x-aliases"] = list(f.aliases)
        if not f.required:
            p["default"] = f.default
            p["x-default-source"] = f.default_source
        p["x-rule"] = f.rule()
        props[f.name] = p
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "colonykit inventory row",
        "type": "object",
        "properties": props,
        "required": list(INVENTORY_COLUMNS),
    }


# --------------------------------------------------------------------------- cells
def is_missing(value: Any) -> bool:
    """True for an empty cell as a reader gives it: None, NaN, pandas' NA/NaT.

    Parameters
    ----------
    value : object
        A cell.

    Examples
    --------
    >>> is_missing(None), is_missing(float("nan")), is_missing("")
    (True, True, False)
    """
    if value is None:
        return True
    if isinstance(value, float):
        return value != value
    return type(value).__name__ in ("NAType", "NaTType")


def as_text(value: Any) -> str | None:
    """A cell as text (``None`` when missing), as ``Series.astype("string")`` reads it.

    Parameters
    ----------
    value : object
        A cell.

    Examples
    --------
    >>> as_text(32), as_text(" 4 GB "), as_text(None)
    ('32', ' 4 GB ', None)
    """
    return None if is_missing(value) else str(value)


def parse_number(value: Any) -> float | None:
    """Parse a number; None when blank/NaN; raises ValueError when not numeric.

    Parameters
    ----------
    value : object
        A cell.

    Examples
    --------
    >>> parse_number(" 12.5 "), parse_number(""), parse_number(3)
    (12.5, None, 3.0)
    """
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


def _number_or_none(value: Any) -> float | None:
    try:
        return parse_number(value)
    except (TypeError, ValueError):
        return None


# --------------------------------------------------------------------------- headers
def header_key(col: object) -> str:
    """A header compared: lower case, ``%`` as ``pct``, other punctuation as ``_``.

    Parameters
    ----------
    col : object
        A header as written.

    Examples
    --------
    >>> header_key("Avg CPU %")
    'avg_cpu_pct'
    """
    text = str(col).strip().lower().replace("%", " pct ")
    return "_".join(t for t in "".join(ch if ch.isalnum() else " " for ch in text).split())


def header(col: object) -> tuple[str, str | None]:
    """(canonical name, size unit written in the header or None).

    Parameters
    ----------
    col : object
        A header as written.

    Examples
    --------
    >>> header("Memory (GB)"), header("Avg CPU %"), header("memory_mb")
    (('memory_mib', 'gb'), ('util_avg_pct', None), ('memory_mib', 'mb'))
    """
    key = header_key(col)
    if key in COLUMN_MAP:
        return COLUMN_MAP[key], None
    stem, _, unit = key.rpartition("_")
    if stem in SIZE_STEMS and unit in SIZE_UNITS:
        return SIZE_STEMS[stem][0], unit
    return key, None


def _cell_parts(values: Sequence[Any]) -> tuple[list[str | None], list[str | None], list[str]]:
    """Text, the number and the (lower-case) unit written in each cell (``12 GB``)."""
    texts = [as_text(v) for v in values]
    numbers: list[str | None] = []
    units: list[str] = []
    for t in texts:
        m = _CELL.search(t) if t is not None else None
        numbers.append(m.group(1) if m else None)
        units.append(m.group(2).lower() if m else "")
    return texts, numbers, units


def _convert_sizes(
    raw: list[Any],
    header_unit: str | None,
    canon: str,
    label: str,
    notes: list[str],
    problems: list[str],
    where: Callable[[int], str],
) -> list[Any] | None:
    """Sizes to the canonical unit (MiB or GiB); units in the header or in each cell."""
    target = SIZE_STEMS["memory" if canon == "memory_mib" else "disk"][1]
    texts, numbers, cell_units = _cell_parts(raw)
    table = MEMORY_SIZE_UNITS if canon == "memory_mib" else SIZE_UNITS
    out = list(raw)
    changed: list[str] = []
    bad = 0
    for i, (t, num, cu) in enumerate(zip(texts, numbers, cell_units, strict=True)):
        if num is None:
            continue
        unit = cu or header_unit or target
        if unit not in SIZE_UNITS:
            if t is not None and t.strip() != "" and bad < 20:
                rule = (
                    f"a size with a unit such as '32 GB' or '512 MiB' (units {sorted(SIZE_UNITS)})"
                    if not unit
                    else f"a size in one of {sorted(SIZE_UNITS)}"
                )
                problems.append(must_be(canon, rule, raw[i], where(i)))
                bad += 1
            continue
        out[i] = float(num) * (table[unit] / table[target])
        if unit != target:
            changed.append(unit)
    if changed:
        desc = ", ".join(
            f"1 {u.upper() if len(u) == 2 else u[0].upper() + 'i' + u[2].upper()} = "
            f"{table[u] / table[target]:.6g} {target[0].upper()}i{target[2].upper()}"
            for u in sorted(set(changed))
        )
        src = f"header {label!r}" if header_unit and header_unit != target else f"column {label!r}"
        rule = (
            "memory: 1 GB read as 1 GiB = 2^30 B, as memory is sold"
            if table is MEMORY_SIZE_UNITS
            else "1 MB = 10^6 B, 1 MiB = 2^20 B"
        )
        notes.append(f"{canon}: {len(changed)} value(s) converted from {src} ({desc}; {rule})")
    return out


def _strip_pct(raw: list[Any], canon: str, notes: list[str]) -> list[Any] | None:
    """``12%`` -> ``12`` (None when no cell has a ``%``)."""
    texts = [as_text(v) for v in raw]
    has = [t is not None and t.strip().endswith("%") for t in texts]
    if not any(has):
        return None
    first = next(v for v, h in zip(raw, has, strict=True) if h)
    notes.append(f"{canon}: '%' removed from {sum(has)} value(s) (e.g. {first!r})")
    return [
        t.strip().rstrip("%").strip() if h and t is not None else v
        for v, t, h in zip(raw, texts, has, strict=True)
    ]


def _capacity_units(
    columns: dict[str, list[Any]],
    unit_names: list[str],
    notes: list[str],
    problems: list[str],
    where: Callable[[int], str],
) -> None:
    """'2.4 GHz' in a capacity cell: the number, and the unit into ``capacity_unit``."""
    cap = columns["capacity"]
    texts, numbers, cell_units = _cell_parts(cap)
    rows = [i for i, (n, u) in enumerate(zip(numbers, cell_units, strict=True)) if n and u]
    if not rows:
        return
    given_col = columns["capacity_unit"]
    cap_out, unit_out = list(cap), list(given_col)
    converted = 0
    for i in rows:
        u = cell_units[i]
        given = (as_text(given_col[i]) or "").strip().lower()
        if u not in unit_names:
            problems.append(
                must_be(
                    "capacity",
                    f"a number, or a number with a unit from {unit_names}",
                    cap[i],
                    where(i),
                )
            )
        elif given and given != u:
            problems.append(
                f"'capacity' has unit {u!r} but 'capacity_unit' says {given!r} "
                f"(got {cap[i]!r}) at {where(i)}; give one unit"
            )
        else:
            cap_out[i], unit_out[i] = numbers[i], u
            converted += 1
    columns["capacity"], columns["capacity_unit"] = cap_out, unit_out
    if converted:
        notes.append(
            f"capacity: the unit written in {converted} cell(s) (e.g. "
            f"{texts[rows[0]]!r}) moved to 'capacity_unit'"
        )


def normalise(
    columns: Sequence[tuple[str, list[Any]]],
    *,
    source: str = "inventory",
    line_offset: int = 2,
    line_word: str = "line",
    unit_names: Callable[[], list[str]],
) -> tuple[dict[str, list[Any]], dict[str, Any]]:
    """Map header spellings and units to the canonical columns; say what was done.

    The one implementation behind :func:`colonykit.frames.normalise_columns` (which documents
    the rules).

    Parameters
    ----------
    columns : sequence of (str, list)
        Header as written and the column's cells, in file order.
    source : str, optional
        File name for the messages.
    line_offset : int, optional
        Line a person sees for row 0.
    line_word : str, optional
        ``line`` or ``row`` in the messages.
    unit_names : callable
        Returns the valid capacity units (called only when a capacity cell carries a unit).

    Returns
    -------
    (dict, dict)
        Canonical name -> cells (ignored columns dropped), and the report with
        ``conversions``, ``ignored_columns`` and ``changed`` (canonical columns whose cells changed).

    Examples
    --------
    >>> out, rep = normalise([("Server", ["a"]), ("RAM (GB)", ["2"])], unit_names=list)
    >>> out, rep["conversions"][0][:40]
    ({'server': ['a'], 'memory_mib': [2048.0]}, 'memory_mib: 1 value(s) converted from he')
    """
    import difflib
    from collections import Counter

    if len(columns) > MAX_INVENTORY_COLUMNS:
        msg = (
            f"{source}: {len(columns):,} columns (limit MAX_INVENTORY_COLUMNS = "
            f"{MAX_INVENTORY_COLUMNS:,}); an inventory has one column per field"
        )
        raise InputError(msg)
    labels = [str(c) for c, _ in columns]
    heads = [header(c) for c in labels]
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
    known_spellings = sorted(KNOWN | set(COLUMN_MAP))
    for (_, cells), label, (canon, _u) in zip(columns, labels, heads, strict=True):
        if canon in KNOWN:
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
        elif not label.lower().startswith("unnamed") or any(
            (as_text(v) or "").strip() for v in cells
        ):
            ignored.append(label)
    raise_problems(problems, f"invalid inventory {source}")
    out: dict[str, list[Any]] = {
        canon: list(cells) for (canon, _u), (_, cells) in zip(heads, columns, strict=True)
    }
    changed: list[str] = []

    def where(i: int) -> str:
        return f"{source} {line_word} {i + line_offset}"

    for label, (canon, unit) in zip(labels, heads, strict=True):
        new: list[Any] | None = None
        if canon in ("memory_mib", "disk_gib"):
            new = _convert_sizes(out[canon], unit, canon, label, notes, problems, where)
        elif canon.endswith("_pct"):
            new = _strip_pct(out[canon], canon, notes)
        if new is not None:
            out[canon] = new
            changed.append(canon)
    has_unit = "capacity" in out and any(
        t is not None and _HAS_UNIT.search(t) for t in (as_text(v) for v in out["capacity"])
    )
    if has_unit:
        if "capacity_unit" not in out:
            out["capacity_unit"] = [""] * len(out["capacity"])
        _capacity_units(out, unit_names(), notes, problems, where)
        changed += ["capacity", "capacity_unit"]
    raise_problems(problems, f"invalid inventory {source}")
    if ignored:
        for c in ignored:
            out.pop(header(c)[0], None)
        notes.append(f"ignored column(s) {short_repr(ignored)}: not inventory fields")
    return out, {"conversions": notes, "ignored_columns": ignored, "changed": changed}


# --------------------------------------------------------------------------- rows
def _number_column(
    f: InventoryField,
    cells: list[Any] | None,
    n: int,
    emit: Callable[[int, int, str], None],
    seq: int,
    where: Callable[[int], str],
) -> tuple[np.ndarray, np.ndarray]:
    """Parsed values (NaN where missing or bad) and which cells had a problem."""
    values = np.full(n, np.nan)
    bad = np.zeros(n, bool)
    if cells is None:
        if f.required:
            for i in range(n):
                emit(i, seq, must_be(f.name, f"a number {f.rule()}", "", where(i)))
            bad[:] = True
        return values, bad
    rule = f.rule()
    for i, raw in enumerate(cells):
        try:
            val = parse_number(raw)
        except (TypeError, ValueError):
            emit(i, seq, must_be(f.name, f"a number {rule}", raw, where(i)))
            bad[i] = True
            continue
        if val is None:
            if f.required:
                emit(
                    i,
                    seq,
                    must_be(f.name, f"a number {rule}", "" if raw is None else raw, where(i)),
                )
                bad[i] = True
            continue
        if not math.isfinite(val):
            emit(i, seq, must_be(f.name, f"a finite number {rule}", raw, where(i)))
            bad[i] = True
            continue
        values[i] = val
    given = ~np.isnan(values)
    out_of_range = given & ~f.ok(values)
    for i in np.flatnonzero(out_of_range).tolist():
        emit(int(i), seq, must_be(f.name, rule, float(values[i]), where(int(i))))
    bad |= out_of_range
    values[out_of_range] = np.nan
    return values, bad


def _text_column(cells: list[Any] | None, n: int) -> list[str]:
    """``str(cell or "").strip()`` of each cell (the key columns)."""
    if cells is None:
        return [""] * n
    return [str(v or "").strip() for v in cells]


def validate_columns(
    columns: Mapping[str, list[Any]],
    *,
    source: str = "inventory",
    line_offset: int = 2,
    line_word: str = "line",
    class_names: Sequence[str],
    unit_needs_cores: Mapping[str, bool],
) -> tuple[dict[str, Any], int]:
    """Check every row of canonical columns against :data:`INVENTORY_SCHEMA`; return typed columns.

    The one implementation behind :func:`colonykit.frames.validate_inventory` (the DataFrame
    API) and ``colonykit size``'s pandas-free path.  Every problem of the file is collected
    (in row order, fields in schema order) and raised at once.

    Parameters
    ----------
    columns : mapping of str to list
        Canonical column name -> cells (as read; text, numbers or None).
    source : str, optional
        File name for the messages.
    line_offset : int, optional
        Line a person sees for row 0 (2 for a CSV with one header line).
    line_word : str, optional
        ``line`` or ``row`` in the messages.
    class_names : sequence of str
        Valid workload classes (keys of the workload-class table).
    unit_needs_cores : mapping of str to bool
        Valid capacity units, each with whether it needs ``cores``.

    Returns
    -------
    (dict, int)
        Column -> values (text columns as lists of str, numbers as float arrays with NaN where
        an optional cell is empty, ``count`` as int64) in canonical order, and the number of rows.

    Raises
    ------
    InputError
        Every problem, each naming file, line, field and the valid range.

    Examples
    --------
    >>> try:
    ...     validate_columns({"server": ["a"], "role": [""], "capacity": ["-1"],
    ...         "capacity_unit": ["tpm"], "util_avg_pct": ["1"], "util_peak_pct": ["1"],
    ...         "workload_class": ["web"], "memory_mib": ["1"], "disk_gib": ["1"]},
    ...         source="inv.csv", class_names=["web"], unit_needs_cores={"tpm": False})
    ... except ValueError as e:
    ...     print(e.problems)
    ["'capacity' must be > 0 (got -1.0) at inv.csv line 2"]
    """
    n = len(next(iter(columns.values()))) if columns else 0
    if n > limits.MAX_SERVERS:
        msg = f"{source}: {n:,} rows (limit MAX_SERVERS = {limits.MAX_SERVERS:,})"
        raise InputError(msg)
    missing = [c for c in INVENTORY_COLUMNS if c not in columns]
    if missing:
        msg = (
            f"{source}: missing required column(s) {missing}; "
            f"required columns are {list(INVENTORY_COLUMNS)}"
        )
        raise InputError(msg)
    if n == 0:
        msg = f"{source}: no data rows below the header"
        raise InputError(msg)
    class_list = [str(c) for c in class_names]
    unit_list = [str(u) for u in unit_needs_cores]
    found: list[tuple[int, int, str]] = []

    def emit(row: int, seq: int, text: str) -> None:
        found.append((row, seq, text))

    def where(i: int) -> str:
        return f"{source} {line_word} {i + line_offset}"

    out: dict[str, Any] = {}
    # server: non-empty and unique
    names = _text_column(columns.get("server"), n)
    raw_server = columns["server"]
    seen: dict[str, int] = {}
    for i, name in enumerate(names):
        if not name:
            emit(i, 0, must_be("server", "a non-empty name", raw_server[i], where(i)))
        elif name in seen:
            emit(
                i,
                0,
                f"'server' must be unique (got {name!r} again) at {where(i)}; "
                f"first seen at {source} {line_word} {seen[name]}",
            )
        else:
            seen[name] = i + line_offset
    out["server"] = names
    out["role"] = [
        "" if (v is None or (isinstance(v, float) and math.isnan(v))) else str(v).strip()
        for v in columns["role"]
    ]
    nums: dict[str, np.ndarray] = {}
    bads: dict[str, np.ndarray] = {}
    for seq, col in ((1, "capacity"), (3, "util_avg_pct"), (4, "util_peak_pct")):
        nums[col], bads[col] = _number_column(FIELDS[col], columns.get(col), n, emit, seq, where)
    raw_unit = columns["capacity_unit"]
    units = [str(v or "").strip().lower() for v in raw_unit]
    for i, u in enumerate(units):
        if u not in unit_needs_cores:
            emit(
                i,
                2,
                f"'capacity_unit' must be one of {unit_list} (got {raw_unit[i]!r}) at {where(i)}",
            )
    out["capacity_unit"] = units
    avg, peak = nums["util_avg_pct"], nums["util_peak_pct"]
    for i in np.flatnonzero(peak < avg).tolist():  # NaN (missing or bad) compares False
        emit(
            int(i),
            5,
            f"'util_peak_pct' must be >= 'util_avg_pct' ({avg[i]:g}) (got {peak[i]:g}) "
            f"at {where(int(i))}",
        )
    raw_class = columns["workload_class"]
    classes = [str(v or "").strip().lower() for v in raw_class]
    typ_cells = columns.get("tpm_per_mips")
    for i, wc in enumerate(classes):
        if wc and wc not in class_list:
            emit(
                i,
                6,
                f"'workload_class' must be one of {class_list} (got {raw_class[i]!r}) at {where(i)}",
            )
        elif not wc and (typ_cells is None or _number_or_none(typ_cells[i]) is None):
            emit(
                i,
                6,
                f"'workload_class' must be one of {class_list} (got '') at {where(i)} "
                "(or give a per-server 'tpm_per_mips')",
            )
    out["workload_class"] = classes
    for seq, col in ((7, "memory_mib"), (8, "disk_gib")):
        nums[col], bads[col] = _number_column(FIELDS[col], columns.get(col), n, emit, seq, where)
    for seq, col in (
        (9, "cores"),
        (11, "tpm_per_mips"),
        (12, "tpm_per_mips_low"),
        (13, "tpm_per_mips_high"),
        (15, "count"),
        (16, "io_rate_per_s"),
    ):
        nums[col], bads[col] = _number_column(FIELDS[col], columns.get(col), n, emit, seq, where)
    cores = nums["cores"]
    for i, u in enumerate(units):
        if unit_needs_cores.get(u, False) and np.isnan(cores[i]) and not bads["cores"][i]:
            emit(i, 10, f"'cores' must be given for capacity_unit {u!r} (got '') at {where(i)}")
    lo, typ, hi = nums["tpm_per_mips_low"], nums["tpm_per_mips"], nums["tpm_per_mips_high"]
    has_lo, has_typ, has_hi = ~np.isnan(lo), ~np.isnan(typ), ~np.isnan(hi)
    for i in np.flatnonzero((has_lo | has_hi) & ~has_typ).tolist():
        emit(
            int(i),
            14,
            "'tpm_per_mips' must be given when 'tpm_per_mips_low'/'tpm_per_mips_high' are "
            f"(got '') at {where(int(i))}",
        )
    for i in np.flatnonzero(has_typ & ((has_lo & (lo > typ)) | (has_hi & (hi < typ)))).tolist():
        j = int(i)
        shown = [None if np.isnan(x[j]) else float(x[j]) for x in (lo, typ, hi)]
        emit(
            j,
            14,
            f"'tpm_per_mips_low' <= 'tpm_per_mips' <= 'tpm_per_mips_high' must hold "
            f"(got {shown[0]}, {shown[1]}, {shown[2]}) at {where(j)}",
        )
    count = np.where(np.isnan(nums["count"]), 1.0, nums["count"]).astype(np.int64)
    found.sort(key=lambda p: (p[0], p[1]))
    problems = [p for _, _, p in found]
    total = int(count.sum())
    if total > limits.MAX_SERVERS:
        problems.append(
            f"{source}: {total:,} servers in all (the sum of 'count'); the limit is "
            f"MAX_SERVERS = {limits.MAX_SERVERS:,}"
        )
    raise_problems(problems, f"invalid inventory {source}")
    for col in ("capacity", "util_avg_pct", "util_peak_pct", "memory_mib", "disk_gib"):
        out[col] = nums[col]
    for col in ("cores", "tpm_per_mips", "tpm_per_mips_low", "tpm_per_mips_high"):
        out[col] = nums[col]
    out["count"] = count
    out["io_rate_per_s"] = nums["io_rate_per_s"]
    order = [*INVENTORY_COLUMNS, *OPTIONAL_COLUMNS]
    return {c: out[c] for c in order}, n


# --------------------------------------------------------------------------- plain CSV
def header_first(grid: Sequence[Sequence[Any]], where: str) -> list[tuple[str, list[Any]]]:
    """Row 0 of a header-less grid as the header, kept exactly as written; empty columns dropped.

    Parameters
    ----------
    grid : sequence of sequences
        The file's cells, row by row (rectangular).
    where : str
        The file (and sheet), for the messages.

    Examples
    --------
    >>> header_first([["server", ""], ["a", ""]], "x.csv")
    [('server', ['a'])]
    """
    width = len(grid[0]) if grid else 0
    if not grid or width == 0:
        msg = f"{where}: the file is empty; expected a header line with {list(INVENTORY_COLUMNS)}"
        raise InputError(msg)
    if width > MAX_INVENTORY_COLUMNS:
        msg = (
            f"{where}: {width:,} columns (limit MAX_INVENTORY_COLUMNS = "
            f"{MAX_INVENTORY_COLUMNS:,}); an inventory has one column per field"
        )
        raise InputError(msg)
    head = ["" if is_missing(v) else str(v).strip() for v in grid[0]]
    body = grid[1:]
    out = []
    for i, h in enumerate(head):
        cells = [row[i] for row in body]
        if h or any((as_text(v) or "").strip() for v in cells):
            out.append((h or f"unnamed: {i}", cells))
    return out


def check_path(p: Path) -> None:
    """Refuse a special file, a missing file or a folder (before anything opens it).

    Parameters
    ----------
    p : Path
        The inventory file.
    """
    refuse_special(p, "inventory")
    if not p.exists():
        msg = f"inventory file not found: {p}"
        raise InputError(msg)
    if p.is_dir():
        msg = f"inventory must be a file, got a directory: {p}"
        raise InputError(msg)


def plain_csv_grid(path: str | Path) -> list[list[str]] | None:
    """The cells of a plain CSV file read without pandas, or None when pandas must read it.

    Plain: a ``.csv``/``.txt`` file of at most :data:`MAX_PLAIN_CSV_BYTES`, UTF-8 text
    without quotes, tabs, NUL or lone carriage returns, every non-empty line with as many
    fields as the header.  Cells are as ``pandas.read_csv(dtype=str, keep_default_na=False,
    skipinitialspace=True, header=None)`` gives them (tested on generated files); anything
    else (and every error message about a malformed file) is left to the pandas reader.

    Parameters
    ----------
    path : str or Path
        The inventory file.

    Examples
    --------
    >>> plain_csv_grid("data/examples/xyz_inventory.csv")[1][:3]
    ['file', 'File Server (Compaq DL380)', '1400']
    """
    p = Path(path)
    if p.suffix.lower() not in (".csv", ".txt"):
        return None
    try:
        if p.stat().st_size > MAX_PLAIN_CSV_BYTES:
            return None
        text = p.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    if any(ch in text for ch in ('"', "\t", "\x00")):
        return None
    text = text.replace("\r\n", "\n")
    if "\r" in text:
        return None
    grid: list[list[str]] = []
    for line in text.split("\n"):
        if not line:
            continue
        if not line.strip():
            return None
        grid.append([c.lstrip(" ") for c in line.split(",")])
    if not grid or len(grid[0]) > MAX_INVENTORY_COLUMNS:
        return None
    if any(len(r) != len(grid[0]) for r in grid):
        return None
    return grid


__all__ = [
    "AMBIGUOUS_HEADERS",
    "COLUMN_MAP",
    "FIELDS",
    "INVENTORY_COLUMNS",
    "INVENTORY_SCHEMA",
    "InventoryField",
    "MAX_INVENTORY_COLUMNS",
    "MAX_PLAIN_CSV_BYTES",
    "MEMORY_SIZE_UNITS",
    "OPTIONAL_COLUMNS",
    "SIZE_STEMS",
    "SIZE_UNITS",
    "as_text",
    "check_columns",
    "check_path",
    "header",
    "header_first",
    "header_key",
    "is_missing",
    "json_schema",
    "normalise",
    "parse_number",
    "plain_csv_grid",
    "validate_columns",
]


def check_columns(
    columns: Sequence[tuple[str, list[Any]]],
    *,
    source: str,
    line_offset: int = 2,
    line_word: str = "line",
    class_names: Sequence[str],
    unit_needs_cores: Mapping[str, bool],
) -> tuple[dict[str, Any], int, dict[str, Any]]:
    """Columns of a file as read (header, cells) -> validated canonical columns.

    :func:`normalise` (header spellings, units), a :class:`~colonykit.errors.ColonykitWarning`
    for ignored columns, then :func:`validate_columns`: what
    :func:`colonykit.ingest.read_inventory` does with every file, with or without pandas.

    Parameters
    ----------
    columns : sequence of (str, list)
        Header as written and the column's cells (:func:`header_first`).
    source : str
        File name for the messages.
    line_offset : int, optional
        Line a person sees for row 0.
    line_word : str, optional
        ``line`` or ``row`` in the messages.
    class_names : sequence of str
        Valid workload classes.
    unit_needs_cores : mapping of str to bool
        Valid capacity units, each with whether it needs ``cores``.

    Returns
    -------
    (dict, int, dict)
        Validated columns, rows, and the report of :func:`normalise`.

    Examples
    --------
    >>> cols, n, rep = check_columns(header_first(plain_csv_grid(
    ...     "data/examples/xyz_inventory.csv"), "xyz_inventory.csv"), source="xyz_inventory.csv",
    ...     class_names=["file-print", "infrastructure", "web", "database", "mixed",
    ...     "application", "mail"], unit_needs_cores={"mhz_per_core": True})
    >>> n, int(cols["count"].sum())
    (4, 26)
    """
    import warnings

    from colonykit.errors import ColonykitWarning

    canon, report = normalise(
        columns,
        source=source,
        line_offset=line_offset,
        line_word=line_word,
        unit_names=lambda: [str(u) for u in unit_needs_cores],
    )
    report.pop("changed", None)
    if report["ignored_columns"]:
        warnings.warn(
            f"{source}: ignored column(s) {short_repr(report['ignored_columns'])} "
            "(not inventory fields)",
            ColonykitWarning,
            stacklevel=3,
        )
    cols, n = validate_columns(
        canon,
        source=source,
        line_offset=line_offset,
        line_word=line_word,
        class_names=class_names,
        unit_needs_cores=unit_needs_cores,
    )
    return cols, n, report
