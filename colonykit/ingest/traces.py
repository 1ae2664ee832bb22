"""Read per-server utilisation traces into the *wide demand frame* (time × server).

Accepted layouts (``read_traces`` dispatches on content, or on ``fmt``):

- **long** CSV/Parquet: ``server, timestamp|step, cpu_pct|cpu_mhz|mips`` (optional
  ``mem_*`` columns are ignored).  Other spellings are mapped through
  :data:`COLUMN_MAP` (``vm``, ``cpu_avg_pct``, ``Time Frame`` …), so the
  ``../shared/data`` files load as they are.
- **wide** CSV/Parquet: a ``timestamp`` or ``step`` column (or none: the row
  number is the step) and one numeric column per server.
- **single**: a headerless file with one number per line (the CloudSim PlanetLab
  layout, one file per server; the file name is the server name).
- a **directory** of any of these (``manifest*`` and ``*_vms.csv`` side files are
  skipped), and sysstat ``sadf -d``, ``sar -A`` text and nmon files (see
  :mod:`colonykit.ingest.monitors`).  ``.gz`` is read transparently.

Alignment rule: every series is put on one regular grid of ``interval`` seconds
(default: the native interval).  A grid cell holds the **mean** of the samples
that fall in it — utilisation is itself an average over its interval (seed 003
§2.3), so the mean of equal sub-intervals is the utilisation of the longer one.
Empty cells are *gaps*; they are filled by ``fill`` (default forward fill, then
back fill at the start) and counted per server in the metadata.

Time zones: timestamps with an offset are converted to UTC; naive timestamps are
taken to be in ``tz`` (default ``"UTC"``; the assumption is recorded in the
metadata).  Integer ``step`` indexes stay integers with ``interval_s`` = ``step_s``.

Examples
--------
>>> frame, meta = read_traces("tests/data/traces/long_small.csv")
>>> list(frame.columns), frame.attrs["unit"], frame.attrs["interval_s"]
(['a', 'b', 'c'], 'cpu_pct', 300.0)
>>> float(frame.sum(axis=1).max())
70.0
"""

from __future__ import annotations

import gzip
import io
import math
import re
import sys
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from colonykit import limits
from colonykit._optional import require
from colonykit.errors import (
    ColonykitWarning,
    InputError,
    must_be,
    raise_problems,
    short_repr,
    unknown_name,
)
from colonykit.frames import (
    TRACE_COLUMN_MAP,
    VALUE_PREFERENCE,
    canonical_column,
    parse_interval,
    step_seconds_default,
)
from colonykit.units import DEMAND_UNITS

#: Units a demand frame can carry (``frame.attrs["unit"]``).
UNITS: tuple[str, ...] = DEMAND_UNITS

#: Formats ``read_traces(fmt=...)`` accepts.
FORMATS: tuple[str, ...] = ("auto", "long", "wide", "single", "parquet", "sadf", "nmon", "sar")

#: Fill rules for gaps on the common grid.
FILL_RULES: tuple[str, ...] = ("ffill", "interpolate", "zero", "none")

#: Header spellings mapped to canonical names (defined in :mod:`colonykit.frames`).
COLUMN_MAP: dict[str, str] = TRACE_COLUMN_MAP

_SIDE_FILE = re.compile(r"(^manifest.*|.*_vms\.csv(\.gz)?$|^provenance.*|^readme.*|^\..*)", re.I)
_NUMBER_LINE = re.compile(r"^\s*[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*$")


def check_tz(tz: str) -> str:
    """``tz`` if pandas knows the time zone, else :class:`InputError`.

    Parameters
    ----------
    tz : str
        A time zone name (IANA, e.g. ``Europe/Amsterdam``).

    Examples
    --------
    >>> check_tz("Europe/Amsterdam")
    'Europe/Amsterdam'
    """
    try:
        pd.Timestamp("2000-01-01").tz_localize(tz)
    except Exception as exc:  # pytz/zoneinfo/dateutil raise different types
        raise InputError(
            must_be("tz", "a time zone name such as 'UTC' or 'Europe/Amsterdam'", tz)
        ) from exc
    return tz


# --------------------------------------------------------------------------- file reading


def _open_text(path: Path) -> io.TextIOBase:
    if path.name.endswith(".gz"):
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8", errors="replace")
    return path.open("r", encoding="utf-8", errors="replace")


#: Bytes per block of the NUL-byte scan of a CSV trace.
NUL_SCAN_BYTES: int = 16 << 20


def _check_no_nul(path: Path) -> None:
    """Refuse a CSV trace holding a NUL byte, naming its line.

    pandas' C parser (2.2.0, the declared minimum) reads ``1\\x00`` as the number 1,
    a silent guess; text traces never hold NUL, so one means binary data.
    """
    opener = gzip.open if path.name.endswith(".gz") else open
    lines_before = 0
    try:
        with opener(path, "rb") as fh:
            while block := fh.read(NUL_SCAN_BYTES):
                at = block.find(b"\x00")
                if at >= 0:
                    line = lines_before + block.count(b"\n", 0, at) + 1
                    msg = (
                        f"trace file {path} line {line} holds a NUL byte (binary data, not "
                        "CSV text)"
                    )
                    raise InputError(msg)
                lines_before += block.count(b"\n")
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        msg = f"cannot read trace file {path}: {exc}"
        raise InputError(msg) from exc


def _head_lines(path: Path, n: int = 5) -> list[str]:
    try:
        with _open_text(path) as fh:
            lines = []
            for line in fh:
                lines.append(line.rstrip("\r\n"))
                if len(lines) >= n:
                    break
            return lines
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        msg = f"cannot read trace file {path}: {exc}"
        raise InputError(msg) from exc


def _is_parquet(path: Path) -> bool:
    if path.suffix.lower() in (".parquet", ".pq"):
        return True
    try:
        with path.open("rb") as fh:
            return fh.read(4) == b"PAR1"
    except OSError:
        return False


def detect_format(path: str | Path) -> str:
    """Guess the layout of one trace file from its first lines.

    Returns one of ``long``, ``wide``, ``single``, ``parquet``, ``sadf``, ``nmon``, ``sar``.

    Parameters
    ----------
    path : str or Path
        The trace file.

    Examples
    --------
    >>> detect_format("tests/data/traces/long_small.csv")
    'long'
    >>> detect_format("data/monitor_samples/nmon_fedora21_linux_2015-08-18.nmon")
    'nmon'
    """
    p = Path(path)
    if _is_parquet(p):
        return "parquet"
    head = [ln for ln in _head_lines(p, 5) if ln.strip()]
    if not head:
        msg = f"trace file {p} is empty"
        raise InputError(msg)
    first = head[0]
    if first.startswith("AAA,"):
        return "nmon"
    if first.startswith("#") and ";" in first and "hostname" in first.lower():
        return "sadf"
    if first.startswith("Linux ") and "(" in first:
        return "sar"
    if all(_NUMBER_LINE.match(ln) for ln in head):
        return "single"
    if "\x00" in first or not any(sep in first for sep in (",", ";", "\t")):
        msg = (
            f"unknown trace format in {p} line 1 (got {first[:60]!r}); expected a CSV with a "
            "header (long: server,timestamp|step,cpu_pct; or wide), Parquet, one number per line, "
            "sadf -d, sar -A or nmon output"
        )
        raise InputError(msg)
    cols = {canonical_column(c) for c in re.split(r"[,;\t]", first)}
    # a file with a value column is long; without a server column it holds one server
    # (named after the file), e.g. the Bitbrains GWA-T-12 per-VM files
    return "long" if "server" in cols or cols & set(VALUE_PREFERENCE) else "wide"


def _sep_of(path: Path) -> str:
    first = _head_lines(path, 1)[0]
    counts = {sep: first.count(sep) for sep in (",", ";", "\t")}
    return max(counts, key=lambda s: counts[s])


#: Files larger than this (bytes on disk) are read in chunks behind a tqdm progress bar.
PROGRESS_MIN_BYTES: int = 8 << 20
#: Rows per chunk of a progress-bar read.
CHUNK_ROWS: int = 250_000


def _read_csv_chunked(path: Path, sep: str, progress: bool | None) -> pd.DataFrame:
    from tqdm.auto import tqdm

    disable = (not sys.stderr.isatty()) if progress is None else not progress
    reader = pd.read_csv(
        path, sep=sep, skipinitialspace=True, compression="infer", chunksize=CHUNK_ROWS
    )
    with reader:
        chunks = list(tqdm(reader, desc=f"reading {path.name}", unit=" chunks", disable=disable))
    return pd.concat(chunks, ignore_index=True)


def _check_header(path: Path) -> None:
    """Duplicate or too many header names, seen before pandas renames duplicates ``x.1``."""
    first = _head_lines(path, 1)[0] if path.stat().st_size else ""
    sep = _sep_of(path) if first else ","
    names = [canonical_column(c) for c in first.split(sep)]
    if len(names) > limits.MAX_COLUMNS:
        msg = (
            f"{path} line 1: {len(names):,} columns (limit MAX_COLUMNS = {limits.MAX_COLUMNS:,}); "
            "split the servers over several files or use the long layout"
        )
        raise InputError(msg)
    index = pd.Index(names)
    dup = sorted(set(index[index.duplicated()]))
    if dup:
        msg = (
            f"{path} line 1: column(s) {short_repr(dup)} appear more than once (after mapping "
            "header spellings)"
        )
        raise InputError(msg)


def _read_table(path: Path, fmt: str, progress: bool | None = False) -> pd.DataFrame:
    """Read a CSV or Parquet file as strings-or-numbers, header canonicalised."""
    if fmt == "parquet":
        require("pyarrow", extra="parquet", purpose="reading Parquet files")
        try:
            frame = pd.read_parquet(path)
        except Exception as exc:  # pyarrow raises several types
            msg = f"cannot read Parquet file {path}: {exc}"
            raise InputError(msg) from exc
    else:
        try:
            _check_header(path)
            _check_no_nul(path)
            big = progress is not False and path.stat().st_size > PROGRESS_MIN_BYTES
            frame = (
                _read_csv_chunked(path, _sep_of(path), progress)
                if big
                else pd.read_csv(
                    path,
                    sep=_sep_of(path),
                    skipinitialspace=True,
                    low_memory=False,
                    compression="infer",
                )
            )
        except pd.errors.EmptyDataError as exc:
            msg = f"trace file {path} is empty"
            raise InputError(msg) from exc
        except (pd.errors.ParserError, UnicodeDecodeError, OSError, EOFError) as exc:
            msg = f"cannot read trace file {path}: {exc}"
            raise InputError(msg) from exc
    if frame.shape[0] == 0:
        msg = f"trace file {path} has a header but no data rows"
        raise InputError(msg)
    if frame.shape[1] > limits.MAX_COLUMNS:
        msg = (
            f"{path}: {frame.shape[1]:,} columns (limit MAX_COLUMNS = {limits.MAX_COLUMNS:,}); "
            "split the servers over several files or use the long layout"
        )
        raise InputError(msg)
    frame.columns = [canonical_column(c) for c in frame.columns]
    names = pd.Index(frame.columns)
    dup = sorted(set(names[names.duplicated()]))  # linear (a hash), not a count per column
    if dup:
        msg = f"{path}: column(s) {short_repr(dup)} appear more than once after mapping header spellings"
        raise InputError(msg)
    return frame


def _numeric(
    col: pd.Series,
    field: str,
    path: Path,
    problems: list[str],
    *,
    low: float | None = 0.0,
    high: float | None = None,
    line0: int = 2,
) -> np.ndarray:
    """Column as float64; non-numbers and out-of-range values are reported with line numbers."""
    values = pd.to_numeric(col, errors="coerce").to_numpy(dtype=float)
    raw_missing = col.isna().to_numpy()
    bad = np.flatnonzero(np.isnan(values) & ~raw_missing)
    rule = (
        "a number"
        if low is None
        else (f"a number in {low:g}..{high:g}" if high is not None else f"a number >= {low:g}")
    )
    for i in bad[:50]:
        problems.append(must_be(field, rule, col.iloc[i], f"{path} line {i + line0}"))
    if len(bad) > 50:
        problems.append(f"{path}: {len(bad) - 50} more non-numeric '{field}' values")
    with np.errstate(invalid="ignore"):
        out_of_range = np.zeros(len(values), dtype=bool)
        if low is not None:
            out_of_range |= values < low
        if high is not None:
            out_of_range |= values > high
    for i in np.flatnonzero(out_of_range)[:50]:
        problems.append(must_be(field, rule, float(values[i]), f"{path} line {i + line0}"))
    return values


def _value_range(unit: str) -> tuple[float, float | None]:
    return (0.0, 100.0) if unit == "cpu_pct" else (0.0, None)


def _pick_value_column(columns: list[str], unit: str | None, path: Path) -> str:
    if unit is not None and unit in columns:
        return unit
    for name in VALUE_PREFERENCE:
        if name in columns:
            return name
    msg = (
        f"{path}: missing value column (got columns {columns}); a long trace needs one of "
        f"{list(VALUE_PREFERENCE)} (or a spelling in COLUMN_MAP such as 'cpu_avg_pct')"
    )
    raise InputError(msg)


def _time_column(
    frame: pd.DataFrame, path: Path, problems: list[str], tz: str, epoch_unit: str, line0: int = 2
) -> tuple[str, np.ndarray | pd.DatetimeIndex | None]:
    """Return (kind, values): kind is ``timestamp`` (UTC DatetimeIndex), ``step`` or ``row``."""
    if "timestamp" in frame.columns:
        col = frame["timestamp"]
        if pd.api.types.is_numeric_dtype(col):
            stamps = pd.to_datetime(col, unit=epoch_unit, utc=True, errors="coerce")  # type: ignore[call-overload]  # any str unit
        else:
            text = col.astype("string")
            try:
                stamps = pd.to_datetime(text, errors="coerce", format="mixed")
            except (ValueError, TypeError):
                stamps = pd.to_datetime(text, errors="coerce", format="mixed", utc=True)
            if isinstance(stamps.dtype, pd.DatetimeTZDtype):
                stamps = stamps.dt.tz_convert("UTC")
            else:
                try:
                    stamps = stamps.dt.tz_localize(tz, ambiguous="NaT", nonexistent="NaT")
                except Exception as exc:  # unknown time zone name
                    msg = must_be("tz", "a time zone name such as 'UTC' or 'Europe/Amsterdam'", tz)
                    raise InputError(msg) from exc
                stamps = stamps.dt.tz_convert("UTC")
        bad = np.flatnonzero(stamps.isna().to_numpy())
        for i in bad[:50]:
            problems.append(
                must_be(
                    "timestamp",
                    f"a date/time (naive times are taken as {tz})",
                    col.iloc[i],
                    f"{path} line {i + line0}",
                )
            )
        return "timestamp", pd.DatetimeIndex(stamps)
    if "step" in frame.columns:
        steps = _numeric(frame["step"], "step", path, problems, low=0.0, line0=line0)
        frac = np.flatnonzero(np.isfinite(steps) & (steps != np.round(steps)))
        for i in frac[:50]:
            problems.append(
                must_be(
                    "step", "a whole number >= 0", frame["step"].iloc[i], f"{path} line {i + line0}"
                )
            )
        missing = np.flatnonzero(frame["step"].isna().to_numpy())
        for i in missing[:50]:
            problems.append(must_be("step", "a whole number >= 0", "", f"{path} line {i + line0}"))
        return "step", steps
    return "row", None


def _long_part(
    path: Path, fmt: str, unit: str | None, tz: str, epoch_unit: str, progress: bool | None = False
) -> dict[str, Any]:
    frame = _read_table(path, fmt, progress)
    cols = list(frame.columns)
    if "server" not in cols:
        if not set(cols) & set(VALUE_PREFERENCE):
            msg = (
                f"{path}: missing column 'server' (got {cols}); a long trace needs "
                "server, timestamp|step and a value column (cpu_pct, cpu_mhz or mips)"
            )
            raise InputError(msg)
        frame["server"] = re.sub(r"(\.csv|\.txt)?(\.gz)?$", "", path.name)  # one server per file
        cols = list(frame.columns)
    problems: list[str] = []
    kind, times = _time_column(frame, path, problems, tz, epoch_unit)
    if kind == "row":
        msg = (
            f"{path}: missing column 'timestamp' or 'step' (got {cols}); a long trace needs "
            "server, timestamp|step and a value column"
        )
        raise InputError(msg)
    vcol = _pick_value_column(cols, unit, path)
    low, high = _value_range(vcol)
    values = _numeric(frame[vcol], vcol, path, problems, low=low, high=high)
    servers = frame["server"]
    if "sim" in cols:  # TPDS 2013 host sets: a VM id is unique only within its simulation
        servers = frame["sim"].astype(str) + "/" + servers.astype(str)
    no_name = np.flatnonzero(servers.isna().to_numpy())
    for i in no_name[:50]:
        problems.append(must_be("server", "a non-empty name", "", f"{path} line {i + 2}"))
    raise_problems(problems, f"invalid trace file {path}")
    return {
        "server": servers.astype(str).to_numpy(),
        "kind": kind,
        "time": times,
        "value": values,
        "unit": vcol,
        "format": fmt,
        "file": str(path),
    }


def _wide_part(
    path: Path, fmt: str, unit: str | None, tz: str, epoch_unit: str, progress: bool | None = False
) -> dict[str, Any]:
    frame = _read_table(path, fmt, progress)
    problems: list[str] = []
    kind, times = _time_column(frame, path, problems, tz, epoch_unit)
    if kind == "row":  # no time column: the row number is the step
        first = str(frame.columns[0])
        if first.startswith("unnamed"):  # a pandas index column written by to_csv()
            frame = frame.drop(columns=[frame.columns[0]])
        times = np.arange(len(frame), dtype=float)
        kind = "step"
    server_cols = [c for c in frame.columns if c not in ("timestamp", "step")]
    if not server_cols:
        msg = f"{path}: a wide trace needs at least one server column besides timestamp/step"
        raise InputError(msg)
    the_unit = unit or "cpu_pct"
    low, high = _value_range(the_unit)
    n = len(frame)
    matrix = np.empty((n, len(server_cols)), dtype=float)
    dtypes = frame.dtypes
    numeric = np.asarray(
        [pd.api.types.is_numeric_dtype(dtypes[c]) for c in server_cols], dtype=bool
    )
    if numeric.any():  # one vectorised check for the columns pandas already parsed as numbers
        cols = [c for c, ok in zip(server_cols, numeric, strict=True) if ok]
        block = frame[cols].to_numpy(dtype=float)
        matrix[:, numeric] = block
        with np.errstate(invalid="ignore"):
            bad = (block < low) | ((block > high) if high is not None else False)
        rule = f"a number in {low:g}..{high:g}" if high is not None else f"a number >= {low:g}"
        for i, j in np.argwhere(bad)[:50]:
            problems.append(must_be(str(cols[j]), rule, float(block[i, j]), f"{path} line {i + 2}"))
    for j in np.flatnonzero(~numeric):  # text columns: per-column parse with line numbers
        matrix[:, j] = _numeric(
            frame[server_cols[j]], str(server_cols[j]), path, problems, low=low, high=high
        )
    raise_problems(problems, f"invalid trace file {path}")
    values = matrix.T.ravel()  # column after column, as the long layout
    servers = np.repeat(np.asarray([str(c) for c in server_cols], dtype=object), n)
    tiled: pd.DatetimeIndex | np.ndarray
    if kind == "timestamp":
        tiled = pd.DatetimeIndex(np.tile(np.asarray(times), len(server_cols)))
        tiled = tiled.tz_localize("UTC") if tiled.tz is None else tiled
    else:
        tiled = np.tile(np.asarray(times, dtype=float), len(server_cols))
    return {
        "server": servers,
        "kind": kind,
        "time": tiled,
        "value": values,
        "unit": the_unit,
        "format": fmt,
        "file": str(path),
    }


def _single_part(path: Path, unit: str | None) -> dict[str, Any]:
    try:
        raw = pd.read_csv(
            path, header=None, names=["v"], dtype=str, skip_blank_lines=False, compression="infer"
        )
    except pd.errors.EmptyDataError as exc:
        msg = f"trace file {path} is empty"
        raise InputError(msg) from exc
    name = path.name[:-3] if path.name.endswith(".gz") else path.name
    the_unit = unit or "cpu_pct"
    low, high = _value_range(the_unit)
    problems: list[str] = []
    col = raw["v"].str.strip()
    empty = np.flatnonzero(col.isna().to_numpy() | (col == "").to_numpy())
    for i in empty[:50]:
        problems.append(must_be(the_unit, "a number", "", f"{path} line {i + 1}"))
    values = _numeric(col, the_unit, path, problems, low=low, high=high, line0=1)
    raise_problems(problems, f"invalid trace file {path}")
    n = len(values)
    return {
        "server": np.full(n, name, dtype=object),
        "kind": "step",
        "time": np.arange(n, dtype=float),
        "value": values,
        "unit": the_unit,
        "format": "single",
        "file": str(path),
    }


def _monitor_part(path: Path, fmt: str, tz: str) -> dict[str, Any]:
    from colonykit.ingest import monitors

    reader = {"sadf": monitors.read_sadf, "nmon": monitors.read_nmon, "sar": monitors.read_sar}[fmt]
    frame, _meta = reader(path, tz=tz)
    host = str(frame.columns[0])
    times = pd.DatetimeIndex(frame.index)
    return {
        "server": np.full(len(frame), host, dtype=object),
        "kind": "timestamp",
        "time": times,
        "value": frame.iloc[:, 0].to_numpy(dtype=float),
        "unit": "cpu_pct",
        "format": fmt,
        "file": str(path),
    }


def _read_part(
    path: Path, fmt: str, unit: str | None, tz: str, epoch_unit: str, progress: bool | None = False
) -> dict[str, Any]:
    kind = detect_format(path) if fmt == "auto" else fmt
    if kind == "parquet" or (kind in ("long", "wide") and _is_parquet(path)):
        if kind == "parquet":
            pq = require("pyarrow.parquet", extra="parquet", purpose="reading Parquet files")
            try:
                names = pq.read_schema(path).names
            except Exception as exc:  # pyarrow raises several types for broken files
                msg = f"cannot read Parquet file {path}: {exc}"
                raise InputError(msg) from exc
            kind = "long" if "server" in {canonical_column(c) for c in names} else "wide"
        reader = _long_part if kind == "long" else _wide_part
        return reader(path, "parquet", unit, tz, epoch_unit)
    if kind == "long":
        return _long_part(path, "csv", unit, tz, epoch_unit, progress)
    if kind == "wide":
        return _wide_part(path, "csv", unit, tz, epoch_unit, progress)
    if kind == "single":
        return _single_part(path, unit)
    return _monitor_part(path, kind, tz)


# --------------------------------------------------------------------------- capacity / units


def read_capacity_table(path: str | Path) -> pd.DataFrame:
    """Read a capacity table (CSV: ``server``/``vm`` and ``capacity, capacity_unit``, ``cpu_capacity_mhz``
    or ``cpu_mhz``) with canonical column names, in its own units.

    Convert it to MIPS with :func:`colonykit.sizing.capacity_mips`.

    Parameters
    ----------
    path : str or Path
        The CSV file.

    Examples
    --------
    >>> list(read_capacity_table("tests/data/traces/mhz_small_vms.csv").columns)
    ['server', 'cores', 'cpu_capacity_mhz']
    """
    return _read_table(Path(path), "csv")


#: Functions moved to :mod:`colonykit.sizing` (converting units is modelling, issue 15 §3).
MOVED_TO_SIZING: tuple[str, ...] = ("capacity_mips", "mhz_to_mips_factor", "convert_unit")


def _sizing(name: str) -> Any:
    """``colonykit.sizing.<name>`` for a deprecated name of this module (FutureWarning).

    The one place the reader reaches the model, by name and only for old callers, so that it does
    not import it (tests/test_import_graph.py lists this forwarder).
    """
    import importlib

    warnings.warn(
        f"colonykit.ingest.{name} moved to colonykit.sizing.{name} (readers return the "
        "source's own units; converting is modelling); the old name will be removed",
        FutureWarning,
        stacklevel=3,
    )
    return getattr(importlib.import_module("colonykit.sizing"), name)


def capacity_mips(
    table: pd.DataFrame | pd.Series | Mapping[str, float] | str | Path,
    *,
    workload_class: str | None = None,
    bound: str = "typical",
) -> pd.Series:
    """Deprecated: :func:`colonykit.sizing.capacity_mips` (a path is read with :func:`read_capacity_table`).

    Parameters
    ----------
    table : DataFrame, Series, mapping, str or Path
        Capacity table, or its CSV file.
    workload_class : str, optional
        Workload class whose WLF converts MHz to MIPS (default: the table's or the default class).
    bound : {'low', 'typical', 'high'}, optional
        Which end of the workload-factor range.
    """
    fn = _sizing("capacity_mips")
    if isinstance(table, str | Path):
        table = read_capacity_table(table)
    return fn(table, workload_class=workload_class, bound=bound)


def mhz_to_mips_factor(workload_class: str | None = None, bound: str = "typical") -> float:
    """Deprecated: :func:`colonykit.sizing.mhz_to_mips_factor`.

    Parameters
    ----------
    workload_class : str, optional
        Workload class whose WLF converts MHz to MIPS (default: the table's or the default class).
    bound : {'low', 'typical', 'high'}, optional
        Which end of the workload-factor range.
    """
    return float(_sizing("mhz_to_mips_factor")(workload_class, bound))


def convert_unit(
    frame: pd.DataFrame,
    unit: str,
    capacity: pd.Series | None = None,
    *,
    workload_class: str | None = None,
    bound: str = "typical",
) -> pd.DataFrame:
    """Deprecated: :func:`colonykit.sizing.convert_unit`.

    Parameters
    ----------
    frame : DataFrame
        Demand frame in its source unit.
    unit : str
        Target unit.
    capacity : Series, optional
        MIPS of each server at 100 % busy.
    workload_class : str, optional
        Workload class whose WLF converts MHz to MIPS (default: the table's or the default class).
    bound : {'low', 'typical', 'high'}, optional
        Which end of the workload-factor range.
    """
    return _sizing("convert_unit")(
        frame, unit, capacity, workload_class=workload_class, bound=bound
    )


# --------------------------------------------------------------------------- assembly


def _progress(iterable: Any, total: int, desc: str, progress: bool | None) -> Any:
    if progress is False or total < 2:
        return iterable
    from tqdm.auto import tqdm

    disable = None if progress is None else False
    if progress is None and not sys.stderr.isatty():
        disable = True
    return tqdm(iterable, total=total, desc=desc, unit="file", disable=disable)


def _native_interval(codes: np.ndarray, times: np.ndarray) -> float:
    """Median of the positive gaps between consecutive samples of the same server."""
    order = np.lexsort((times, codes))
    t, c = times[order], codes[order]
    diffs = np.diff(t)
    keep = (np.diff(c) == 0) & (diffs > 0)
    if not keep.any():
        return float("nan")
    return float(np.median(diffs[keep]))


def _fill(wide: np.ndarray, rule: str) -> np.ndarray:
    if rule == "none":
        return wide
    if rule == "zero":
        return np.where(np.isnan(wide), 0.0, wide)
    frame = pd.DataFrame(wide)
    if rule == "interpolate":
        frame = frame.interpolate(axis=0, limit_direction="both")
    else:
        frame = frame.ffill().bfill()
    return frame.to_numpy()


def read_traces(
    path: str | Path,
    *,
    interval: str | float | None = None,
    unit: str | None = None,
    fmt: str = "auto",
    tz: str = "UTC",
    step_s: float | None = None,
    fill: str = "ffill",
    capacity: pd.DataFrame | pd.Series | Mapping[str, float] | str | Path | None = None,
    workload_class: str | None = None,
    epoch_unit: str = "s",
    dtype: str = "float64",
    progress: bool | None = None,
    start: str | pd.Timestamp | None = None,
    convert: bool | None = None,
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Read utilisation traces (a file or a directory) into a wide demand frame.

    Parameters
    ----------
    path : str or Path
        A trace file (CSV, ``.csv.gz``, Parquet, one-number-per-line, sadf -d, sar -A,
        nmon) or a directory of them.
    interval : str or float, optional
        Common grid step (``"5min"``, ``"1h"``, seconds).  Default: the native step.
        Samples are averaged within each grid cell.
    unit : {'cpu_pct', 'mips', 'cpu_mhz'}, optional
        Which of the file's value columns to take (default: ``mips`` > ``cpu_mhz`` >
        ``cpu_pct`` when a file has several).  Wide and one-number-per-line files
        carry no unit: their values are taken to be in ``unit`` (default ``cpu_pct``).
        The reader returns the source's own unit; convert with
        :func:`colonykit.sizing.convert_unit` (a ``X_vms.csv`` next to ``X.csv[.gz]``, the
        ``../shared/data`` layout, is named in ``meta["capacity_file"]``).  A unit the file
        does not have is still converted here, with a ``FutureWarning`` (deprecated).
    fmt : str
        One of :data:`FORMATS`; ``auto`` sniffs each file.
    tz : str
        Time zone of naive timestamps (default ``UTC``).  The index is always UTC.
    step_s : float, optional
        Seconds per integer ``step`` (default: constant ``trace_step_s`` = 300 s).
    fill : {'ffill', 'interpolate', 'zero', 'none'}
        How gaps on the grid are filled (``ffill`` = carry the last value forward,
        back-fill at the start).
    capacity : mapping, Series, DataFrame or path, optional
        Deprecated with the conversion: per-server capacity (see
        :func:`colonykit.sizing.capacity_mips`).
    workload_class : str, optional
        Deprecated with the conversion: workload class for MHz -> MIPS.
    epoch_unit : str
        Unit of numeric timestamps (``s`` or ``ms``).
    dtype : str
        ``float64`` (default) or ``float32`` for the values.
    progress : bool, optional
        tqdm progress bar over the files of a directory, or over the chunks of one CSV
        larger than ``PROGRESS_MIN_BYTES`` (default: only when stderr is a terminal).
    start : str or Timestamp, optional
        For ``step``-indexed traces: the time of step 0 (naive = ``tz``).  The index
        becomes a UTC ``DatetimeIndex`` (e.g. Bitbrains step 0 = 2013-09-02 00:00 UTC).
    convert : bool, optional
        ``False``: return the source's own unit even when ``unit`` asks for another (the caller
        converts with :func:`colonykit.sizing.convert_unit`).  Default (None): convert, with a
        ``FutureWarning`` (the reader converting is deprecated).

    Returns
    -------
    (pandas.DataFrame, dict)
        The wide frame (index = UTC ``DatetimeIndex`` named ``timestamp`` or integer
        ``step``; one column per server; ``attrs`` ``unit`` and ``interval_s``) and the
        metadata: ``source, files, formats, servers, steps, unit, source_unit,
        interval_s, native_interval_s, resample_rule, tz, tz_assumption, fill,
        gaps (Series server -> cells filled), gaps_filled, conversion``.

    Raises
    ------
    InputError
        Unreadable/empty file, unknown format, missing columns, non-numeric or
        out-of-range values (with file and line), bad parameters.

    Examples
    --------
    >>> frame, meta = read_traces("tests/data/traces/long_small.csv", interval="10min")
    >>> frame.shape, meta["resample_rule"], meta["gaps_filled"]
    ((2, 3), 'mean', 0)
    """
    if unit is not None and unit not in UNITS:
        err = unknown_name("trace unit", unit, UNITS)
        raise err
    if fmt not in FORMATS:
        err = unknown_name("trace format", fmt, FORMATS)
        raise err
    if fill not in FILL_RULES:
        err = unknown_name("fill rule", fill, FILL_RULES)
        raise err
    if dtype not in ("float64", "float32"):
        raise InputError(must_be("dtype", "'float64' or 'float32'", dtype))
    root = Path(path)
    if not root.exists():
        msg = f"trace path not found: {root}"
        raise InputError(msg)
    if root.is_dir():
        files = sorted(p for p in root.iterdir() if p.is_file() and not _SIDE_FILE.match(p.name))
        if not files:
            msg = f"trace directory {root} has no trace files"
            raise InputError(msg)
    else:
        files = [root]
    check_tz(tz)
    target_s = parse_interval(interval)
    try:
        step_len = float(step_s) if step_s is not None else step_seconds_default()
    except (TypeError, ValueError, OverflowError):
        step_len = float("nan")
    if not (math.isfinite(step_len) and limits.MIN_INTERVAL_S <= step_len <= limits.MAX_INTERVAL_S):
        raise InputError(
            must_be(
                "step_s",
                f"a number in {limits.MIN_INTERVAL_S:g}.."
                f"{limits.MAX_INTERVAL_S:g} (limits MIN_INTERVAL_S, MAX_INTERVAL_S)",
                step_s,
            )
        )

    per_file = progress if len(files) == 1 else False  # one bar: over files, or over chunks
    parts = [
        _read_part(p, fmt, unit, tz, epoch_unit, per_file)
        for p in _progress(files, len(files), f"reading {root.name}", progress)
    ]
    kinds = {pt["kind"] for pt in parts}
    if len(kinds) > 1:
        msg = f"{root}: cannot mix files indexed by timestamp and by step ({sorted(kinds)})"
        raise InputError(msg)
    units = {pt["unit"] for pt in parts}
    if len(units) > 1:
        msg = f"{root}: files carry different units {sorted(units)}; pass unit=… to choose one"
        raise InputError(msg)
    src_unit = units.pop()
    kind = kinds.pop()

    server = np.concatenate([pt["server"] for pt in parts])
    value = np.concatenate([pt["value"] for pt in parts])
    codes, names = pd.factorize(pd.Series(server, dtype=object), sort=False)
    if kind == "timestamp":
        t_ns = np.concatenate(
            [np.asarray(pd.DatetimeIndex(pt["time"]).as_unit("ns").asi8) for pt in parts]
        ).astype(np.int64)
        native_s = _native_interval(codes, t_ns) / 1e9
        grid_s = target_s or (native_s if math.isfinite(native_s) else step_len)
        if target_s is None and math.isfinite(native_s):
            grid_s = float(round(native_s))
        grid_ns = int(round(grid_s * 1e9))
        origin = (int(t_ns.min()) // grid_ns) * grid_ns
        bins = (t_ns - origin) // grid_ns
    else:
        steps = np.concatenate([np.asarray(pt["time"], dtype=float) for pt in parts])
        if steps.size and float(np.nanmax(steps)) > limits.MAX_STEP:
            i = int(np.nanargmax(steps))
            msg = must_be(
                "step",
                f"a whole number in 0..{limits.MAX_STEP:,} (limit MAX_STEP)",
                float(steps[i]),
                str(root),
            )
            raise InputError(msg)
        native_s = step_len
        k = 1 if target_s is None else target_s / step_len
        if abs(k - round(k)) > 1e-9 or round(k) < 1:
            msg = must_be(
                "interval", f"a whole multiple of the step length {step_len:g} s", interval
            )
            raise InputError(msg)
        k = round(k)
        grid_s = step_len * k
        first = int(np.nanmin(steps)) // k
        bins = (steps.astype(np.int64) // k) - first
        origin = first
    meta_kind = kind
    n_bins = int(bins.max()) + 1
    n_srv = len(names)
    if n_srv > limits.MAX_SERVERS:
        msg = f"{root}: {n_srv:,} servers (limit MAX_SERVERS = {limits.MAX_SERVERS:,})"
        raise InputError(msg)
    if n_bins * n_srv > limits.MAX_GRID_CELLS:
        msg = (
            f"{root}: the common grid would be {n_bins:,} steps of {grid_s:g} s x {n_srv:,} servers "
            f"= {n_bins * n_srv:,} cells (limit MAX_GRID_CELLS = {limits.MAX_GRID_CELLS:,}); "
            "choose a coarser interval (--interval) or fewer/shorter traces"
        )
        raise InputError(msg)
    when = t_ns if kind == "timestamp" else steps
    dup_mask = pd.DataFrame({"t": when, "c": codes}).duplicated().to_numpy()  # hashed: linear
    n_dup = int(dup_mask.sum())
    if n_dup:
        first = int(np.flatnonzero(dup_mask)[0])
        warnings.warn(
            f"{root}: {n_dup:,} sample(s) repeat a (server, time) already given, e.g. "
            f"server {str(server[first])!r}; each repeated cell holds the mean of its samples",
            ColonykitWarning,
            stacklevel=2,
        )
    ok = ~np.isnan(value)
    flat = bins[ok] * n_srv + codes[ok]
    sums = np.bincount(flat, weights=value[ok], minlength=n_bins * n_srv)
    counts = np.bincount(flat, minlength=n_bins * n_srv)
    with np.errstate(invalid="ignore", divide="ignore"):
        wide = (sums / counts).reshape(n_bins, n_srv)
    empty_cells = (counts == 0).reshape(n_bins, n_srv)
    gaps = pd.Series(empty_cells.sum(axis=0), index=[str(s) for s in names], name="gaps")
    never = gaps.index[gaps.to_numpy() == n_bins].tolist()
    if never:
        msg = f"{root}: server(s) {never[:5]} have no numeric samples"
        raise InputError(msg)
    wide = _fill(wide, fill)

    index: pd.Index
    if kind == "timestamp":
        index = pd.DatetimeIndex(
            origin + np.arange(n_bins, dtype=np.int64) * grid_ns, tz="UTC", name="timestamp"
        )
    elif start is not None:
        try:
            t0 = pd.Timestamp(start)
            t0 = t0.tz_localize(tz) if t0.tzinfo is None else t0
        except (ValueError, TypeError) as exc:
            msg = must_be("start", "a date/time such as '2013-09-02T00:00Z'", start)
            raise InputError(msg) from exc
        offsets = pd.to_timedelta((origin + np.arange(n_bins)) * grid_s, unit="s")
        index = pd.DatetimeIndex(t0.tz_convert("UTC") + offsets, name="timestamp")
        kind = "timestamp"
    else:
        index = pd.RangeIndex(origin, origin + n_bins, name="step")
    frame = pd.DataFrame(
        wide.astype(dtype, copy=False),
        index=index,
        columns=pd.Index([str(s) for s in names], name="server"),
    )
    frame.attrs = {"unit": src_unit, "interval_s": float(grid_s)}

    conversion = None
    capacity_file = None
    if root.is_file():
        stem = re.sub(r"(\.csv)?(\.gz)?$", "", root.name)
        side = root.with_name(f"{stem}_vms.csv")
        capacity_file = str(side) if side.is_file() else None
    if unit is not None and unit != src_unit and convert is not False:
        # deprecated: the reader converting (use colonykit.sizing.convert_unit on the source's unit)
        to_mips = _sizing("capacity_mips")
        cap = None
        if capacity is not None:
            cap = to_mips(
                read_capacity_table(capacity) if isinstance(capacity, str | Path) else capacity,
                workload_class=workload_class,
            )
        elif capacity_file is not None and "cpu_pct" in (src_unit, unit):
            cap = to_mips(read_capacity_table(capacity_file), workload_class=workload_class)
            conversion = f"capacity from {Path(capacity_file).name}"
        frame = _sizing("convert_unit")(frame, unit, cap, workload_class=workload_class)
        frame = frame.astype(dtype)
        frame.attrs = {"unit": unit, "interval_s": float(grid_s)}
        conversion = f"{src_unit} -> {unit} via sizing.capacity_to_mips" + (
            f" ({conversion})" if conversion else ""
        )

    meta: dict[str, Any] = {
        "source": str(root),
        "files": [pt["file"] for pt in parts],
        "formats": sorted({pt["format"] for pt in parts}),
        "servers": n_srv,
        "steps": n_bins,
        "unit": frame.attrs["unit"],
        "source_unit": src_unit,
        "interval_s": float(grid_s),
        "native_interval_s": float(native_s),
        "resample_rule": "mean",
        "tz": tz if kind == "timestamp" else None,
        "tz_assumption": (
            f"step 0 = {start} (naive times taken as {tz}); index in UTC"
            if start is not None and meta_kind == "step"
            else f"naive timestamps taken as {tz}; index converted to UTC"
            if kind == "timestamp"
            else "integer steps; no time zone"
        ),
        "fill": fill,
        "gaps": gaps,
        "gaps_filled": int(gaps.sum()) if fill != "none" else 0,
        "conversion": conversion,
        "capacity_file": capacity_file,
        "duplicate_samples": n_dup,
    }
    return frame, meta


__all__ = [
    "UNITS",
    "FORMATS",
    "FILL_RULES",
    "COLUMN_MAP",
    "check_tz",
    "NUL_SCAN_BYTES",
    "detect_format",
    "PROGRESS_MIN_BYTES",
    "CHUNK_ROWS",
    "read_capacity_table",
    "MOVED_TO_SIZING",
    "capacity_mips",
    "mhz_to_mips_factor",
    "convert_unit",
    "read_traces",
]
