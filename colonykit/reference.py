"""The one place that loads bundled reference tables (CSV package data with a ``source`` column).

Every loader takes an optional ``path`` so a planner can use their own table (for
example per-engine capacities from their zPCR study) instead of the bundled one.
Bundled tables are cached; user tables are validated the same way.

Examples
--------
>>> from colonykit import reference
>>> "z15" in reference.processors().index
True
>>> reference.constant("cp_overhead_pct")
5.0
"""

from __future__ import annotations

import csv
import functools
import io
import math
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from colonykit._lazy import lazy_module
from colonykit.errors import InputError, UnknownNameError, must_be, raise_problems, unknown_name

if TYPE_CHECKING:
    import pandas as pd
else:
    pd = lazy_module("pandas")

DATA_DIR = resources.files("colonykit") / "_data"

#: Required columns of each bundled table (beyond ``source``), and its index column.
SCHEMAS: dict[str, tuple[str, tuple[str, ...]]] = {
    "processors": (
        "model",
        ("engine_mips_1way", "max_engines", "smt_available", "smt_uplift_frac_typical"),
    ),
    "mp_effect": ("n_engines", ("per_engine_frac",)),
    "workload_classes": (
        "workload_class",
        ("tpm_per_mips_low", "tpm_per_mips_typical", "tpm_per_mips_high", "nway16_uplift_frac"),
    ),
    "capacity_units": ("capacity_unit", ("mips_per_unit", "needs_cores")),
    "dasd_models": (
        "model",
        ("cylinders", "tracks_per_cyl", "bytes_per_track", "page_slots_per_cyl"),
    ),
    "channel_types": ("channel_type", ("data_rate_mb_per_s", "io_rate_per_s")),
    "processor_aliases": ("alias", ("model",)),
    "xen_host_cores": ("host_model", ("cores", "core_mhz", "relative_speed", "memory_gib")),
}


def bundled_tables() -> list[str]:
    """Names of the bundled reference tables.

    Examples
    --------
    >>> "dasd_models" in bundled_tables()
    True
    """
    return sorted(p.name[:-4] for p in DATA_DIR.iterdir() if p.name.endswith(".csv"))


@functools.lru_cache(maxsize=64)
def _read_bundled(name: str) -> pd.DataFrame:
    target = DATA_DIR / f"{name}.csv"
    if not target.is_file():
        err = unknown_name("reference table", name, bundled_tables())
        raise err
    with target.open("r", encoding="utf-8") as fh:
        return pd.read_csv(fh, skipinitialspace=True)


def _read_user(path: str | Path) -> pd.DataFrame:
    p = Path(path)
    if not p.is_file():
        msg = f"reference table file not found: {p}"
        raise InputError(msg)
    try:
        return pd.read_csv(p, skipinitialspace=True)
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
        msg = f"cannot read reference table {p}: {exc}"
        raise InputError(msg) from exc


def load_table(
    name: str,
    path: str | Path | None = None,
    *,
    index: str | None = None,
    required: Sequence[str] = (),
) -> pd.DataFrame:
    """Load a reference table: the bundled ``name`` or a user CSV at ``path``.

    Parameters
    ----------
    name : str
        Bundled table name (file ``colonykit/_data/<name>.csv``).
    path : str or Path, optional
        A user table with the same columns, used instead of the bundled one.
    index : str, optional
        Column to use as the index (defaults to the schema's index column).
    required : sequence of str
        Extra required columns (the schema's are always required).

    Returns
    -------
    pandas.DataFrame
        A copy; callers may modify it.

    Raises
    ------
    InputError
        Missing columns, an empty ``source``, duplicate keys, or an unreadable file.
    UnknownNameError
        ``name`` is not a bundled table.
    """
    if path is None:
        return _load_bundled(name, index, tuple(required)).copy()
    return _validated(_read_user(path).copy(), name, str(path), index, required)


@functools.lru_cache(maxsize=64)
def _load_bundled(name: str, index: str | None, required: tuple[str, ...]) -> pd.DataFrame:
    return _validated(
        _read_bundled(name).copy(), name, f"bundled table {name}.csv", index, required
    )


def _validated(
    frame: pd.DataFrame, name: str, where: str, index: str | None, required: Sequence[str]
) -> pd.DataFrame:
    idx_col, schema_cols = SCHEMAS.get(name, (index, ()))
    idx_col = index or idx_col
    needed = [c for c in (idx_col, *schema_cols, *required, "source") if c]
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        msg = f"{where}: missing column(s) {missing}; a {name} table needs {needed}"
        raise InputError(msg)
    problems: list[str] = []
    for i, src in enumerate(frame["source"].tolist()):
        if not isinstance(src, str) or not src.strip():
            problems.append(must_be("source", "a non-empty citation", src, f"{where} line {i + 2}"))
    if idx_col:
        dup = frame[idx_col][frame[idx_col].duplicated()].tolist()
        if dup:
            problems.append(f"{where}: duplicate {idx_col} value(s) {dup}")
    problems += value_problems(frame, name, where)
    raise_problems(problems, f"invalid reference table {where}")
    if idx_col:
        frame = frame.set_index(idx_col)
    return frame


#: Numeric rules of each table's value columns: (columns, lowest allowed, low is exclusive).
#: Every value must also be finite and <= ``limits.MAX_TABLE_VALUE``; triples named
#: ``*_low``/``*_typical``/``*_high`` must be ordered.
VALUE_RULES: dict[str, tuple[tuple[tuple[str, ...], float, bool], ...]] = {
    "processors": (
        (("engine_mips_1way", "max_engines"), 0.0, True),
        (("smt_uplift_frac_low", "smt_uplift_frac_typical", "smt_uplift_frac_high"), 0.0, False),
    ),
    "workload_classes": (
        (("tpm_per_mips_low", "tpm_per_mips_typical", "tpm_per_mips_high"), 0.0, True),
        (("nway16_uplift_frac",), 0.0, False),
    ),
    "mp_effect": ((("per_engine_frac",), 0.0, True),),
    "capacity_units": ((("mips_per_unit",), 0.0, True),),
    "dasd_models": (
        (("cylinders", "tracks_per_cyl", "bytes_per_track", "page_slots_per_cyl"), 0.0, True),
    ),
    "channel_types": ((("data_rate_mb_per_s", "io_rate_per_s"), 0.0, True),),
}


def value_problems(frame: pd.DataFrame, name: str, where: str) -> list[str]:
    """Problems of a table's values: not a number, not finite, out of range, low > typical > high.

    Blank cells are allowed (a column may be optional for some rows, e.g. ``mips_per_unit``
    of ``tpm``).

    Parameters
    ----------
    frame : pandas.DataFrame
        The table as read (one row per CSV data line).
    name : str
        Which reference table it is (the rules per column depend on it).
    where : str
        The file, for the messages.

    Examples
    --------
    >>> t = pd.DataFrame({"workload_class": ["x"], "tpm_per_mips_low": [50], "tpm_per_mips_typical": [30],
    ...                   "tpm_per_mips_high": [float("inf")], "nway16_uplift_frac": [0.3], "source": ["me"]})
    >>> for p in value_problems(t, "workload_classes", "w.csv"):
    ...     print(p)
    'tpm_per_mips_high' must be a finite number > 0 and <= 1e+09 (got inf) at w.csv line 2
    'tpm_per_mips_low' <= 'tpm_per_mips_typical' must hold (got 50 > 30) at w.csv line 2
    """
    from colonykit.limits import MAX_TABLE_VALUE

    problems: list[str] = []
    for cols, low, exclusive in VALUE_RULES.get(name, ()):
        present = [c for c in cols if c in frame.columns]
        values = {}
        for col in present:
            raw = frame[col]
            num = pd.to_numeric(raw, errors="coerce")
            values[col] = num
            rule = (
                f"a finite number {'>' if exclusive else '>='} {low:g} and <= {MAX_TABLE_VALUE:g}"
            )
            bad = (raw.notna() & num.isna()) | (
                num.notna() & ~((num > low) if exclusive else (num >= low))
            )
            bad |= num.notna() & ~(num.abs() <= MAX_TABLE_VALUE)
            for i in list(bad.to_numpy().nonzero()[0])[:20]:
                got = float(num.iloc[i]) if pd.notna(num.iloc[i]) else raw.iloc[i]
                problems.append(must_be(col, rule, got, f"{where} line {i + 2}"))
        ordered = [c for c in present if c.endswith(("_low", "_typical", "_high"))]
        for a, b in zip(ordered, ordered[1:], strict=False):
            worse = (values[a] > values[b]).to_numpy()
            for i in list(worse.nonzero()[0])[:20]:
                problems.append(
                    f"'{a}' <= '{b}' must hold (got {values[a].iloc[i]} > {values[b].iloc[i]}) "
                    f"at {where} line {i + 2}"
                )
    return problems


def processors(path: str | Path | None = None) -> pd.DataFrame:
    """Processor generations: per-engine 1-way MIPS, max engines, SMT (``processors.csv``).

    Parameters
    ----------
    path : str or Path, optional
        A CSV with the same columns; default the bundled table.
    """
    frame = load_table("processors", path)
    frame.index = frame.index.astype(str).str.lower()
    frame["smt_available"] = (
        frame["smt_available"].astype(str).str.lower().isin(["true", "1", "yes"])
    )
    return frame


def processor_aliases(path: str | Path | None = None) -> pd.DataFrame:
    """Marketing names mapped to processor generations (LinuxONE Emperor/Rockhopper → z13 … z17).

    Parameters
    ----------
    path : str or Path, optional
        A CSV with the same columns; default the bundled table.

    Examples
    --------
    >>> processor_aliases().loc["linuxone-emperor-ii", "model"]
    'z14'
    """
    frame = load_table("processor_aliases", path)
    frame.index = frame.index.astype(str).str.lower()
    frame["model"] = frame["model"].astype(str).str.lower()
    return frame


def resolve_processor(
    name: str, aliases: pd.DataFrame | None = None
) -> tuple[str, pd.Series | None]:
    """The ``processors.csv`` model for a name or alias, and the alias row (None for a model).

    Names are compared case-insensitively with spaces as hyphens ("LinuxONE Emperor II").

    Parameters
    ----------
    name : str
        A processors.csv model or a marketing name from processor_aliases.csv.
    aliases : pandas.DataFrame, optional
        An alias table; default the bundled one.

    Examples
    --------
    >>> resolve_processor("LinuxONE Emperor II")[0], resolve_processor("z15")[0]
    ('z14', 'z15')
    """
    key = "-".join(str(name).lower().split())
    tab = processor_aliases() if aliases is None else aliases
    if key in tab.index:
        row = row_of(tab, key)
        return str(row["model"]), row
    if key.isdigit() and "machine_type" in tab.columns:  # a machine type such as 3931 or 9176
        by_type = tab[tab["machine_type"].astype(str) == key]
        if len(by_type):
            return str(by_type.iloc[0]["model"]), by_type.iloc[0]
        procs = processors()
        hit = procs.index[procs["machine_type"].astype(str) == key]
        if len(hit):
            return str(hit[0]), None
    return key, None


def resolve_processor_key(name: str) -> tuple[str, str | None]:
    """:func:`resolve_processor` on the bundled tables without pandas: (model, alias key or None).

    Parameters
    ----------
    name : str
        A processors.csv model, a marketing name from processor_aliases.csv, or a machine type.

    Examples
    --------
    >>> resolve_processor_key("LinuxONE Emperor II"), resolve_processor_key("z15")
    (('z14', 'linuxone-emperor-ii'), ('z15', None))
    """
    key = "-".join(str(name).lower().split())
    aliases = bundled_rows("processor_aliases", "alias")
    if key in aliases:
        return aliases[key]["model"].lower(), key
    if key.isdigit():  # a machine type such as 3931 or 9176
        for alias, row in aliases.items():
            if row.get("machine_type") == key:
                return row["model"].lower(), alias
        for model, row in bundled_rows("processors", "model").items():
            if row.get("machine_type") == key:
                return model, None
    return key, None


def constant_text(name: str, column: str) -> str | None:
    """A bundled constant's text column (``source``, ``unit`` …), or None when there is no such constant.

    Parameters
    ----------
    name : str
        The constant's name.
    column : str
        The column.

    Examples
    --------
    >>> constant_text("cp_overhead_pct", "unit"), constant_text("no_such_constant", "unit")
    ('pct', None)
    """
    rows = _constant_rows()
    return rows[name].get(column, "") if name in rows else None


def machine_type(name: str) -> str:
    """The 4-digit machine type of a processor model, alias or machine type ('' when unknown).

    Parameters
    ----------
    name : str
        A processors.csv model, an alias of processor_aliases.csv, or a machine type.

    Examples
    --------
    >>> machine_type("z16"), machine_type("z16 A02"), machine_type("9176"), machine_type("LinuxONE 5 ML1")
    ('3931', '3932', '9176', '9175')
    """
    canonical, alias = resolve_processor(name)
    if alias is not None:
        return str(alias["machine_type"])
    procs = processors()
    if canonical in procs.index:
        return str(procs.loc[canonical, "machine_type"])
    return ""


def platform_limits(path: str | Path | None = None) -> pd.DataFrame:
    """Platform limits from IBM planning material (``platform_limits.csv``): one row per limit.

    Columns ``limit, key, smt, value, unit, description, source, confidence``; ``key`` is a
    z/VM level (``7.4``) or a machine type (``3931``).

    Parameters
    ----------
    path : str or Path, optional
        A CSV with the same columns; default the bundled table.

    Examples
    --------
    >>> t = platform_limits()
    >>> int(t[(t.limit == "zvm_logical_cores") & (t.key == "7.4") & (t.smt == "off")].value.iloc[0])
    80
    """
    frame = load_table(
        "platform_limits", path, required=("limit", "key", "value", "unit", "source", "confidence")
    )
    frame = frame.reset_index(drop="limit" in frame.columns)
    keys = frame["key"].astype(str)
    machine = frame["limit"].astype(str).str.startswith("machine_")
    frame["key"] = keys.where(~machine, keys.str.replace(r"\.0$", "", regex=True))
    frame["smt"] = frame["smt"].fillna("").astype(str)
    return frame


def xen_host_cores(path: str | Path | None = None) -> pd.DataFrame:
    """x86 Xen host models: cores, core MHz, relative speed, memory (``xen_host_cores.csv``).

    Parameters
    ----------
    path : str or Path, optional
        A CSV with the same columns; default the bundled table.
    """
    frame = load_table("xen_host_cores", path)
    frame.index = frame.index.astype(str).str.lower()
    return frame


def mp_effect(path: str | Path | None = None) -> pd.DataFrame:
    """Per-engine capacity fraction vs n-way (``mp_effect.csv``), sorted by n.

    Parameters
    ----------
    path : str or Path, optional
        A CSV with the same columns; default the bundled table.
    """
    return load_table("mp_effect", path).sort_index()


def workload_classes(path: str | Path | None = None) -> pd.DataFrame:
    """Workload classes with tpm/MIPS low/typical/high (``workload_classes.csv``).

    Parameters
    ----------
    path : str or Path, optional
        A CSV with the same columns; default the bundled table.
    """
    return load_table("workload_classes", path)


def capacity_units(path: str | Path | None = None) -> pd.DataFrame:
    """Source capacity units and their MIPS conversion (``capacity_units.csv``).

    Parameters
    ----------
    path : str or Path, optional
        A CSV with the same columns; default the bundled table.
    """
    frame = load_table("capacity_units", path)
    frame.index = frame.index.astype(str).str.lower()
    frame["needs_cores"] = frame["needs_cores"].astype(str).str.lower().isin(["true", "1", "yes"])
    return frame


def dasd_models(path: str | Path | None = None) -> pd.DataFrame:
    """3390 DASD models and their geometry (``dasd_models.csv``).

    Parameters
    ----------
    path : str or Path, optional
        A CSV with the same columns; default the bundled table.
    """
    return load_table("dasd_models", path)


def channel_types(path: str | Path | None = None) -> pd.DataFrame:
    """Channel types ESCON … FICON Express16S+ with MB/s and I/O/s (``channel_types.csv``).

    Parameters
    ----------
    path : str or Path, optional
        A CSV with the same columns; default the bundled table.
    """
    return load_table("channel_types", path)


def constants(path: str | Path | None = None) -> pd.DataFrame:
    """Named default constants with value, low, high, unit and source.

    The bundled set is the union of every ``constants*.csv`` in the package data
    (one file per concern), indexed by ``name``.

    Parameters
    ----------
    path : str or Path, optional
        A CSV with the same columns; default the union of the bundled constants*.csv.
    """
    if path is not None:
        return load_table("constants", path, index="name", required=("value",))
    return _bundled_constants().copy()


@functools.lru_cache(maxsize=1)
def _bundled_constants() -> pd.DataFrame:
    frames = [
        load_table(p.name[:-4], index="name", required=("value",))
        for p in sorted(DATA_DIR.iterdir(), key=lambda q: q.name)
        if p.name.startswith("constants") and p.name.endswith(".csv")
    ]
    frame = pd.concat(frames)
    dup = frame.index[frame.index.duplicated()].tolist()
    if dup:
        msg = f"constant(s) defined twice in the bundled tables: {dup}"
        raise InputError(msg)
    return frame


@functools.lru_cache(maxsize=32)
def bundled_records(name: str) -> tuple[dict[str, str], ...]:
    """A bundled table's rows as text, as written (leading spaces skipped), read with :mod:`csv`.

    Parameters
    ----------
    name : str
        Bundled table name (``colonykit/_data/<name>.csv``).

    Examples
    --------
    >>> bundled_records("workload_classes")[0]["workload_class"]
    'cpu-bound'
    """
    target = DATA_DIR / f"{name}.csv"
    if not target.is_file():
        err = unknown_name("reference table", name, bundled_tables())
        raise err
    text = target.read_text(encoding="utf-8")
    reader = csv.DictReader(io.StringIO(text, newline=""), skipinitialspace=True)
    return tuple({str(k): v or "" for k, v in r.items()} for r in reader)


@functools.lru_cache(maxsize=32)
def bundled_rows(name: str, key: str) -> dict[str, dict[str, str]]:
    """A bundled table as ``key value (lower case) -> row (column -> text)``, without pandas.

    Read with the :mod:`csv` module and cached: what the pure-arithmetic commands
    (``colonykit paging``, ``channels``) need, without paying for ``import pandas``.  The
    validated frames (:func:`load_table`) stay the reference for everything else; the bundled
    tables themselves are checked by the tests.

    Parameters
    ----------
    name : str
        Bundled table name (``colonykit/_data/<name>.csv``).
    key : str
        The column whose values become the keys.

    Examples
    --------
    >>> bundled_rows("dasd_models", "model")["3390-9"]["cylinders"]
    '10017'
    """
    target = DATA_DIR / f"{name}.csv"
    if not target.is_file():
        err = unknown_name("reference table", name, bundled_tables())
        raise err
    text = target.read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text, newline=""), skipinitialspace=True))
    return {
        str(r[key]).strip().lower(): {str(k): (v or "").strip() for k, v in r.items()} for r in rows
    }


@functools.lru_cache(maxsize=1)
def _constant_rows() -> dict[str, dict[str, str]]:
    """Every bundled constant (the union of constants*.csv) by name, without pandas."""
    out: dict[str, dict[str, str]] = {}
    dup: list[str] = []
    for p in sorted(DATA_DIR.iterdir(), key=lambda q: q.name):
        if p.name.startswith("constants") and p.name.endswith(".csv"):
            for k, row in bundled_rows(p.name[:-4], "name").items():
                if k in out:
                    dup.append(k)
                out[k] = row
    if dup:
        msg = f"constant(s) defined twice in the bundled tables: {dup}"
        raise InputError(msg)
    return out


def constant(name: str, column: str = "value") -> float:
    """One named default constant (``value``, ``low`` or ``high``).

    Parameters
    ----------
    name : str
        The constant's name (a row of a constants*.csv).
    column : {'value', 'low', 'high'}, default 'value'
        Which figure.

    Examples
    --------
    >>> constant("idle_guest_g5_engine_pct", "high")
    0.3
    """
    rows = _constant_rows()  # the csv module: no pandas for a number (start-up, issue 25)
    if name not in rows:
        err = unknown_name("constant", name, list(rows))
        raise err
    text = rows[name][column]
    return float(text) if text else math.nan


def lookup(table: pd.DataFrame, key: str, kind: str) -> pd.Series:
    """Row ``key`` of a reference table, or an :class:`UnknownNameError` listing valid keys.

    Parameters
    ----------
    table : pandas.DataFrame
        A reference table indexed by its key column.
    key : str
        The row wanted.
    kind : str
        What a row is, for the error message (e.g. "processor").
    """
    k = str(key).lower() if pd.api.types.is_string_dtype(table.index) else key
    if k not in table.index:
        err = unknown_name(kind, key, [str(i) for i in table.index])
        raise err
    return row_of(table, k)


def row_of(table: pd.DataFrame, key: str) -> pd.Series:
    """The one row ``key`` of ``table`` (its index is the table's key column).

    Parameters
    ----------
    table : pandas.DataFrame
        A table indexed by its key column.
    key : str
        A key present in the index.

    Raises
    ------
    InputError
        The key names more than one row.

    Examples
    --------
    >>> int(row_of(pd.DataFrame({"v": [1, 2]}, index=["a", "b"]), "b")["v"])
    2
    """
    row = table.loc[key]
    if not isinstance(row, pd.Series):
        msg = f"{key!r} names {len(row)} rows of the table; keys must be unique"
        raise InputError(msg)
    return row


__all__ = [
    "DATA_DIR",
    "UnknownNameError",
    "bundled_records",
    "bundled_rows",
    "bundled_tables",
    "capacity_units",
    "channel_types",
    "constant",
    "constant_text",
    "constants",
    "dasd_models",
    "load_table",
    "lookup",
    "machine_type",
    "mp_effect",
    "platform_limits",
    "processor_aliases",
    "processors",
    "resolve_processor",
    "resolve_processor_key",
    "row_of",
    "value_problems",
    "workload_classes",
    "xen_host_cores",
]
