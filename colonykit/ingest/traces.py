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
import mmap
import os
import re
import sys
import threading
import warnings
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from colonykit import limits
from colonykit._lazy import lazy_module
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
from colonykit.ingest.io_series import IO_UNITS, io_column
from colonykit.ingest.memory_series import MEMORY_UNITS, memory_column
from colonykit.ingest.timeparse import parse_times, resolve_repeated_hour
from colonykit.units import DEMAND_UNITS

if TYPE_CHECKING:
    import pandas as pd
else:  # imported on first use: `colonykit whitespace` reads without pandas (issue 25)
    pd = lazy_module("pandas")

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
    if tz == "UTC":  # the default: no pandas needed to know it
        return tz
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
    if not path.name.endswith(".gz"):
        try:
            size = path.stat().st_size
            with path.open("rb") as raw, mmap.mmap(raw.fileno(), 0, access=mmap.ACCESS_READ) as mm:
                if (mm.find(b"\x00") if size else -1) < 0:
                    return  # one memchr over the mapped file: no copy, no line count
        except (OSError, ValueError):
            pass  # not mappable (a pipe, an empty file): the block scan below
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


#: Canonical names of the columns a trace reader interprets (time, server, values).
_KNOWN_COLUMNS: frozenset[str] = frozenset(
    {*TRACE_COLUMN_MAP.values(), "timestamp", "step", "server", "sim", *VALUE_PREFERENCE}
)


def _header_name(name: object) -> str:
    """A header as the reader uses it: the canonical name of a column it interprets, else the
    name as written (a wide file's server names keep their case and spelling: ``Web`` and
    ``web`` are two servers, issue 24 root cause 6)."""
    canon = canonical_column(name)
    if canon in _KNOWN_COLUMNS or canon.startswith(("unnamed", "mem")):
        return canon
    return str(name).strip().strip('"').strip()


def _check_header(path: Path) -> None:
    """Duplicate or too many header names, seen before pandas renames duplicates ``x.1``."""
    first = _head_lines(path, 1)[0] if path.stat().st_size else ""
    sep = _sep_of(path) if first else ","
    names = [_header_name(c) for c in first.split(sep)]
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
    frame.columns = [_header_name(c) for c in frame.columns]
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
    return (0.0, 100.0) if unit in ("cpu_pct", "mem_pct") else (0.0, None)


def _pick_value_column(
    columns: list[str], unit: str | None, path: Path, metric: str = "cpu"
) -> str:
    preference = METRIC_COLUMNS.get(metric)
    if preference is None:
        err = unknown_name("trace metric", metric, tuple(METRIC_COLUMNS))
        raise err
    if unit is not None and unit in columns and unit in preference:
        return unit
    for name in preference:
        if name in columns:
            return name
    msg = (
        f"{path}: missing value column (got columns {columns}); a long trace needs one of "
        f"{list(preference)} (or a spelling in COLUMN_MAP such as 'cpu_avg_pct')"
    )
    raise InputError(msg)


@dataclass(frozen=True)
class ReadOptions:
    """How a trace file is read: its time column (issue 24 root cause 3) and which metric.

    Attributes
    ----------
    dayfirst : bool or None
        ``d/m/Y`` (True) or ``m/d/Y`` (False) for a slash-date column that cannot decide.
    date_format : str or None
        One ``strftime`` format for every time column.
    metric : str
        Which value columns are read (a key of :data:`METRIC_COLUMNS`; default ``cpu``).
    """

    dayfirst: bool | None = None
    date_format: str | None = None
    metric: str = "cpu"


#: Value columns a long trace may carry per metric, in order of preference (the memory series
#: of issue 23 add their own key here).
METRIC_COLUMNS: dict[str, tuple[str, ...]] = {"cpu": VALUE_PREFERENCE}

#: What ``read_traces(metric=...)`` reads: CPU demand (by :data:`METRIC_COLUMNS`), memory use
#: (:mod:`.memory_series`) or the disk I/O rate (:mod:`.io_series`).
METRICS: tuple[str, ...] = ("cpu", "memory", "io")


@dataclass(frozen=True)
class Part:
    """One file's samples, columnar: no Python object per sample.

    Attributes
    ----------
    codes : ndarray
        int32/int64 server code per sample (index into ``names``).
    names : list of str
        Server names of this file.
    kind : str
        ``timestamp`` (``time`` = int64 UTC ns) or ``step`` (``time`` = float steps).
    time : ndarray
        Per sample.
    value : ndarray
        float64 per sample (NaN = missing).
    unit, format, file, time_note : str
        Value unit, layout, file name and how its time column was read.
    notes : tuple of str
        What the reader states about the file (e.g. an AIX shared LPAR's entitlement).
    """

    codes: np.ndarray
    names: list[str]
    kind: str
    time: np.ndarray
    value: np.ndarray
    unit: str
    format: str
    file: str
    time_note: str = ""
    notes: tuple[str, ...] = ()


def _time_column(
    frame: pd.DataFrame,
    path: Path,
    problems: list[str],
    tz: str,
    epoch_unit: str,
    opts: ReadOptions,
    line0: int = 2,
) -> tuple[str, np.ndarray | None, np.ndarray | None, str]:
    """``(kind, values, shift, note)``: kind ``timestamp`` (int64 UTC ns), ``step`` or ``row``.

    A time column is parsed once per distinct value with one format for the whole column
    (:func:`colonykit.ingest.timeparse.parse_times`); ``shift`` (or None) moves the second pass
    through a repeated local hour to standard time, per series (``resolve_repeated_hour``).
    """
    if "timestamp" in frame.columns:
        col = frame["timestamp"]
        codes, uniques = pd.factorize(col, use_na_sentinel=True)

        def locate(i: int) -> str:
            return f"{path} line {int(np.argmax(codes == i)) + line0}"

        ns, note, shift = _take_times(
            codes, np.asarray(uniques), tz, epoch_unit, opts, str(path), locate
        )
        bad = np.flatnonzero(ns == NAT)
        for i in bad[:50]:
            problems.append(
                must_be(
                    "timestamp",
                    f"a date/time (naive times are taken as {tz})",
                    col.iloc[i],
                    f"{path} line {i + line0}",
                )
            )
        return "timestamp", ns, shift, note
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
        return "step", steps, None, "integer steps"
    return "row", None, None, ""


#: int64 "not a time" (numpy's NaT).
NAT: int = int(np.iinfo(np.int64).min)


def _take_times(
    codes: np.ndarray,
    uniques: np.ndarray,
    tz: str,
    epoch_unit: str,
    opts: ReadOptions,
    where: str,
    locate: Callable[[int], str] | None = None,
) -> tuple[np.ndarray, str, np.ndarray | None]:
    """Parse the distinct stamps once and spread them over the rows (``codes`` −1 = missing)."""
    ns_u, note, shift_u = parse_times(
        uniques,
        tz=tz,
        dayfirst=opts.dayfirst,
        date_format=opts.date_format,
        epoch_unit=epoch_unit,
        where=where,
        locate=locate,
    )
    if len(ns_u) == 0:
        return np.full(len(codes), NAT, dtype=np.int64), note, None
    if codes.size and int(codes.min()) >= 0:  # no missing stamp: one gather
        return ns_u[codes], note, (shift_u[codes] if shift_u.any() else None)
    safe = np.maximum(codes, 0)
    ns = ns_u[safe]
    ns[codes < 0] = NAT
    shift = shift_u[safe] if shift_u.any() else None
    return ns, note, shift


def _arrow_numpy(arr: Any) -> np.ndarray:
    """A pyarrow (chunked) array of fixed-width numbers or stamps as numpy, without pandas.

    pyarrow's own ``to_numpy`` imports pandas on first use (0.5 s of a 1 s
    ``colonykit whitespace``, issue 25): a column without nulls is wrapped as it is stored
    (``numpy.frombuffer``, no copy, read-only; stamps as their int64 values); a float column's
    nulls become NaN first.  Other columns go through ``to_numpy``.
    """
    pa = require("pyarrow", extra="parquet", purpose="the columnar trace reader")
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    t = arr.type
    if arr.null_count and pa.types.is_floating(t):
        pc = require("pyarrow.compute", extra="parquet", purpose="the columnar trace reader")
        arr = pc.fill_null(arr, pa.scalar(float("nan"), type=t))
    dtype: np.dtype | None = None
    if pa.types.is_floating(t) and t.bit_width in (32, 64):
        dtype = np.dtype(f"float{t.bit_width}")
    elif pa.types.is_integer(t):
        dtype = np.dtype(f"{'u' if pa.types.is_unsigned_integer(t) else ''}int{t.bit_width}")
    elif pa.types.is_timestamp(t):
        dtype = np.dtype(np.int64)
    if dtype is None or arr.null_count:
        return np.asarray(arr.to_numpy(zero_copy_only=False))
    if len(arr) == 0:
        return np.empty(0, dtype=dtype)
    return np.frombuffer(
        arr.buffers()[1], dtype=dtype, count=len(arr), offset=arr.offset * dtype.itemsize
    )


def _arrow_long(
    path: Path, fmt: str, unit: str | None, tz: str, epoch_unit: str, opts: ReadOptions
) -> Part | None:
    """The columnar long reader (pyarrow): None when the file needs the pandas route
    (no pyarrow, a ``sim`` column, no server column, or values arrow cannot convert —
    the pandas route then names every bad line)."""
    purpose = "the columnar trace reader"
    try:
        pa = require("pyarrow", extra="parquet", purpose=purpose)
        pc = require("pyarrow.compute", extra="parquet", purpose=purpose)
        pq = require("pyarrow.parquet", extra="parquet", purpose=purpose)
        pacsv = require("pyarrow.csv", extra="parquet", purpose=purpose)
    except ImportError:  # the core install: the pandas route
        return None
    try:
        if fmt == "parquet":
            raw_names = pq.read_schema(path).names
        else:
            import csv

            sep = _sep_of(path)
            raw_names = next(csv.reader([_head_lines(path, 1)[0]], delimiter=sep))
        canon = [canonical_column(c) for c in raw_names]
        if "server" not in canon or "sim" in canon or len(set(canon)) != len(canon):
            return None
        raw_of = dict(zip(canon, raw_names, strict=True))
        vcol = _pick_value_column(canon, unit, path, opts.metric)
        tcol = "timestamp" if "timestamp" in canon else "step" if "step" in canon else None
        if tcol is None:
            return None
        wanted = [raw_of["server"], raw_of[tcol], raw_of[vcol]]
        if fmt == "parquet":
            table = pq.read_table(path, columns=wanted, read_dictionary=[raw_of["server"]])
        else:
            dict_t = pa.dictionary(pa.int32(), pa.string())
            types = {raw_of["server"]: dict_t, raw_of[vcol]: pa.float64()}
            if tcol == "timestamp":
                types[raw_of[tcol]] = dict_t  # the distinct stamps are parsed once
            table = pacsv.read_csv(
                path,
                parse_options=pacsv.ParseOptions(delimiter=sep),
                convert_options=pacsv.ConvertOptions(
                    column_types=types, include_columns=wanted, strings_can_be_null=True
                ),
            )
    except (
        pa.ArrowInvalid,
        pa.ArrowTypeError,
        pa.ArrowNotImplementedError,
        OSError,
        StopIteration,
    ):
        return None
    if table.num_rows == 0:
        msg = f"trace file {path} has a header but no data rows"
        raise InputError(msg)
    server = table.column(raw_of["server"])
    if not pa.types.is_dictionary(server.type):
        server = pc.dictionary_encode(server)
    server = server.unify_dictionaries() if hasattr(server, "unify_dictionaries") else server
    server = server.combine_chunks()
    if server.null_count:
        return None  # the pandas route names the lines without a server
    names = [str(x).strip() for x in server.dictionary.to_pylist()]
    codes = _arrow_numpy(server.indices)
    if len(set(names)) != len(names):  # " a" and "a": merge the codes of equal stripped names
        remap, uniq = pd.factorize(pd.Index(names))
        codes = remap[codes]
        names = [str(x) for x in uniq]
    value = table.column(raw_of[vcol])
    if not pa.types.is_floating(value.type) and not pa.types.is_integer(value.type):
        return None
    values = _arrow_numpy(value).astype(np.float64, copy=False)
    low, high = _value_range(vcol)
    with np.errstate(invalid="ignore"):
        bad = (values < low) | ((values > high) if high is not None else False)
    if bad.any():
        return None  # the pandas route lists each out-of-range value with its line
    tcolumn = table.column(raw_of[tcol])
    shift = None
    if tcol == "step":
        times = _arrow_numpy(tcolumn).astype(np.float64)
        if np.isnan(times).any() or (times < 0).any() or (times != np.round(times)).any():
            return None
        kind, note = "step", "integer steps"
    elif pa.types.is_timestamp(tcolumn.type) and (tcolumn.type.tz is not None or tz == "UTC"):
        # stamps with a zone (or naive ones taken as UTC): one cast, no per-value parsing
        times = _arrow_numpy(
            pc.cast(tcolumn, pa.timestamp("ns", tz=tcolumn.type.tz)).cast(pa.int64())
        )
        if tcolumn.null_count:
            return None
        kind = "timestamp"
        note = "timestamps with a zone" if tcolumn.type.tz else "naive timestamps taken as UTC"
    else:
        # already dictionary-encoded by the CSV reader (auto_dict_encode): pyarrow < 15 has no
        # dictionary_encode kernel for a dictionary column
        enc = tcolumn if pa.types.is_dictionary(tcolumn.type) else pc.dictionary_encode(tcolumn)
        enc = enc.unify_dictionaries() if hasattr(enc, "unify_dictionaries") else enc
        enc = enc.combine_chunks()
        t_codes = _arrow_numpy(enc.indices)
        t_codes = (
            np.where(np.isnan(t_codes), -1, t_codes).astype(np.int64)
            if t_codes.dtype.kind == "f"
            else t_codes
        )
        uniq = enc.dictionary
        if pa.types.is_timestamp(uniq.type):
            aware = uniq.type.tz is not None
            uniq_np = uniq.cast(pa.timestamp("ns", tz=uniq.type.tz)).to_numpy(zero_copy_only=False)
            if aware:
                uniq_np = np.asarray(pd.DatetimeIndex(uniq_np).tz_localize("UTC").asi8)
                t_ns, note, shift = uniq_np[np.maximum(t_codes, 0)], "timestamps with a zone", None
            else:
                t_ns, note, shift = _take_times(
                    t_codes,
                    np.asarray(pd.DatetimeIndex(uniq_np).strftime("%Y-%m-%d %H:%M:%S.%f")),
                    tz,
                    epoch_unit,
                    ReadOptions(date_format="%Y-%m-%d %H:%M:%S.%f"),
                    str(path),
                )
        else:

            def locate(i: int) -> str:
                return f"{path} line {int(np.argmax(t_codes == i)) + 2}"

            t_ns, note, shift = _take_times(
                t_codes,
                (
                    np.asarray(uniq.to_pylist(), dtype=object)
                    if pa.types.is_string(uniq.type) or pa.types.is_large_string(uniq.type)
                    else np.asarray(uniq.to_numpy(zero_copy_only=False))
                ),
                tz,
                epoch_unit,
                opts,
                str(path),
                locate,
            )
        if (t_ns == NAT).any():
            return None  # missing stamps: the pandas route names the lines
        times, kind = t_ns, "timestamp"
    del table
    if shift is not None:
        times = resolve_repeated_hour(times, shift, codes)
    return Part(codes, names, kind, times, values, vcol, fmt, str(path), note)


def _long_part(
    path: Path,
    fmt: str,
    unit: str | None,
    tz: str,
    epoch_unit: str,
    progress: bool | None = False,
    opts: ReadOptions | None = None,
) -> Part:
    opts = opts or ReadOptions()
    if fmt != "parquet":
        _check_no_nul(path)
    fast = (
        _arrow_long(path, fmt, unit, tz, epoch_unit, opts)
        if not progress and opts.metric == "cpu"
        else None
    )
    if fast is not None:
        return fast
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
    kind, times, shift, note = _time_column(frame, path, problems, tz, epoch_unit, opts)
    if kind == "row":
        msg = (
            f"{path}: missing column 'timestamp' or 'step' (got {cols}); a long trace needs "
            "server, timestamp|step and a value column"
        )
        raise InputError(msg)
    if opts.metric in ("memory", "io"):  # memory use / I/O rate (ingest.memory_series, io_series)
        pick = memory_column if opts.metric == "memory" else io_column
        vcol, mem_unit, factor = pick(cols, unit)
        low, high = _value_range(mem_unit)
        values = _numeric(frame[vcol], vcol, path, problems, low=low, high=high) * factor
        vcol = mem_unit
    else:
        vcol = _pick_value_column(cols, unit, path, opts.metric)
        low, high = _value_range(vcol)
        values = _numeric(frame[vcol], vcol, path, problems, low=low, high=high)
    servers = frame["server"]
    if "sim" in cols:  # TPDS 2013 host sets: a VM id is unique only within its simulation
        servers = frame["sim"].astype(str) + "/" + servers.astype(str)
    no_name = np.flatnonzero(servers.isna().to_numpy())
    for i in no_name[:50]:
        problems.append(must_be("server", "a non-empty name", "", f"{path} line {i + 2}"))
    raise_problems(problems, f"invalid trace file {path}")
    codes, uniq = pd.factorize(servers.astype(str).str.strip())
    assert times is not None
    if shift is not None:
        times = resolve_repeated_hour(times, shift, codes)
    return Part(codes, [str(x) for x in uniq], kind, times, values, vcol, fmt, str(path), note)


def _wide_part(
    path: Path,
    fmt: str,
    unit: str | None,
    tz: str,
    epoch_unit: str,
    progress: bool | None = False,
    opts: ReadOptions | None = None,
) -> Part:
    frame = _read_table(path, fmt, progress)
    problems: list[str] = []
    kind, times, shift, note = _time_column(
        frame, path, problems, tz, epoch_unit, opts or ReadOptions()
    )
    if kind == "row":  # no time column: the row number is the step
        first = str(frame.columns[0])
        if first.startswith("unnamed"):  # a pandas index column written by to_csv()
            frame = frame.drop(columns=[frame.columns[0]])
        times = np.arange(len(frame), dtype=float)
        kind, note = "step", "row number = step"
    server_cols = [c for c in frame.columns if c not in ("timestamp", "step")]
    if not server_cols:
        msg = f"{path}: a wide trace needs at least one server column besides timestamp/step"
        raise InputError(msg)
    the_unit = unit or {"memory": "mem_mib", "io": "io_per_s"}.get(
        (opts or ReadOptions()).metric, "cpu_pct"
    )
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
    n_s = len(server_cols)
    values = matrix.T.ravel()  # column after column, as the long layout
    codes = np.repeat(np.arange(n_s, dtype=np.int64), n)
    assert times is not None
    tiled = np.tile(np.asarray(times), n_s)
    if shift is not None:
        tiled = resolve_repeated_hour(tiled, np.tile(shift, n_s), codes)
    return Part(
        codes, [str(c) for c in server_cols], kind, tiled, values, the_unit, fmt, str(path), note
    )


def _single_part(path: Path, unit: str | None) -> Part:
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
    return Part(
        np.zeros(n, dtype=np.int64),
        [name],
        "step",
        np.arange(n, dtype=float),
        values,
        the_unit,
        "single",
        str(path),
        "line number = step",
    )


def _monitor_part(path: Path, fmt: str, tz: str, metric: str = "cpu") -> Part:
    from colonykit.ingest import monitors

    reader = {"sadf": monitors.read_sadf, "nmon": monitors.read_nmon, "sar": monitors.read_sar}[fmt]
    frame, meta = reader(path, tz=tz, metric=metric)
    host = str(frame.columns[0])
    times = np.asarray(pd.DatetimeIndex(frame.index).as_unit("ns").asi8, dtype=np.int64)
    return Part(
        np.zeros(len(frame), dtype=np.int64),
        [host],
        "timestamp",
        times,
        frame.iloc[:, 0].to_numpy(dtype=float),
        str(frame.attrs.get("unit", "cpu_pct")),
        fmt,
        str(path),
        str(meta.get("tz_assumption", "")),
        tuple(meta.get("notes", ())),
    )


def _read_part(
    path: Path,
    fmt: str,
    unit: str | None,
    tz: str,
    epoch_unit: str,
    progress: bool | None = False,
    opts: ReadOptions | None = None,
) -> Part:
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
        return reader(path, "parquet", unit, tz, epoch_unit, False, opts)
    if kind == "long":
        return _long_part(path, "csv", unit, tz, epoch_unit, progress, opts)
    if kind == "wide":
        return _wide_part(path, "csv", unit, tz, epoch_unit, progress, opts)
    metric = (opts or ReadOptions()).metric
    if kind == "single":
        return _single_part(path, unit or ("mem_mib" if metric == "memory" else None))
    return _monitor_part(path, kind, tz, metric)


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


# --------------------------------------------------------------------------- assembly


def _progress(iterable: Any, total: int, desc: str, progress: bool | None) -> Any:
    if progress is False or total < 2:
        return iterable
    from tqdm.auto import tqdm

    disable = None if progress is None else False
    if progress is None and not sys.stderr.isatty():
        disable = True
    return tqdm(iterable, total=total, desc=desc, unit="file", disable=disable)


#: Samples per chunk of the in-place grid arithmetic (bounded temporaries).  Tuning only.
CHUNK_CELLS: int = 1 << 23

#: Rows from each end of the samples on which the native interval is estimated (tuning only:
#: a median over a million gaps; the whole file costs a pass over every sample).
NATIVE_SAMPLE_ROWS: int = 1_000_000


def _native_interval(codes: np.ndarray, times: np.ndarray) -> float:
    """Median of the positive gaps between consecutive samples of the same server (estimated on
    the first and last ``NATIVE_SAMPLE_ROWS`` rows of a larger input)."""
    if times.size > 2 * NATIVE_SAMPLE_ROWS:  # an estimate from the first and last rows
        times = np.concatenate([times[:NATIVE_SAMPLE_ROWS], times[-NATIVE_SAMPLE_ROWS:]])
        codes = np.concatenate([codes[:NATIVE_SAMPLE_ROWS], codes[-NATIVE_SAMPLE_ROWS:]])
        codes[NATIVE_SAMPLE_ROWS:] += 1 + int(codes.max())  # no pair across the join
    diffs = np.diff(times)
    same = np.diff(codes) == 0
    if (diffs[same] < 0).any():  # not in (server, time) order as written: sort first
        order = np.lexsort((times, codes))
        diffs = np.diff(times[order])
        same = np.diff(codes[order]) == 0
    keep = same & (diffs > 0)
    if not keep.any():
        return float("nan")
    gaps = diffs[keep]
    if gaps.min() == gaps.max():  # a regular capture: the median without sorting a copy
        return float(gaps[0])
    return float(np.median(gaps))


def _fill(wide: np.ndarray, rule: str, gappy: np.ndarray) -> np.ndarray:
    """Fill the gaps of the columns that have some, in place: never before a series' first sample
    (issue 24 root cause 4: no back-filling); ``interpolate`` only between samples."""
    if rule == "none" or not gappy.any():
        return wide
    cols = np.flatnonzero(gappy)
    if rule == "zero":
        sub = wide[:, cols]
        sub[np.isnan(sub)] = 0.0
        wide[:, cols] = sub
        return wide
    part = pd.DataFrame(wide[:, cols])
    part = part.interpolate(axis=0, limit_area="inside") if rule == "interpolate" else part.ffill()
    wide[:, cols] = part.to_numpy(dtype=wide.dtype)
    return wide


def _global_codes(parts: list[Part], root: Path) -> tuple[list[str], np.ndarray]:
    """Server names over all parts and each sample's code into them (names, not samples, hashed).

    Two files naming the same server (e.g. cloned VMs with one host name) are refused for a
    directory of monitor captures, not merged (issue 24 root cause 5).
    """
    if len(parts) == 1:
        return list(parts[0].names), parts[0].codes
    all_names = [n for pt in parts for n in pt.names]
    idx, uniq = pd.factorize(pd.Index(all_names, dtype=object))
    monitors = [pt for pt in parts if pt.format in ("nmon", "sadf", "sar")]
    if monitors and len(uniq) < len(all_names):
        # one host in several captures: consecutive captures (disjoint spans) of one machine
        # are joined; overlapping ones are different machines with one name (cloned VMs)
        owners: dict[str, list[tuple[str, float, float]]] = {}
        for pt in monitors:
            t = pt.time
            owners.setdefault(pt.names[0], []).append(
                (Path(pt.file).name, float(t.min()), float(t.max()))
            )
        clash = []
        for n, caps in owners.items():
            caps.sort(key=lambda c: c[1])
            clash += [(n, a[0], b[0]) for a, b in zip(caps, caps[1:], strict=False) if b[1] <= a[2]]
        if clash:
            text = "; ".join(f"{n!r} in {a} and {b}" for n, a, b in clash[:5])
            msg = (
                f"{root}: the same host name in captures that overlap in time ({text}): "
                "different machines (e.g. cloned VMs) are not merged; give each capture its "
                "own series name with a mapping file (server,trace), or read them one by one"
            )
            raise InputError(msg)
    out = []
    at = 0
    for pt in parts:
        m = len(pt.names)
        out.append(np.asarray(idx[at : at + m], dtype=np.int64)[pt.codes])
        at += m
    return [str(x) for x in uniq], np.concatenate(out)


#: Rows per record batch of the streamed Parquet reader.  Tuning only.
STREAM_BATCH_ROWS: int = 1 << 20

#: Threads reading a Parquet file's row groups into the matrix (at most the CPUs).  Tuning only:
#: the matrix is the same with 1 (tests/test_whitespace_plain_path.py).
READ_THREADS: int = 2


#: Nanoseconds per unit of a Parquet/Arrow timestamp.
_NS_PER_UNIT: dict[str, int] = {"s": 1_000_000_000, "ms": 1_000_000, "us": 1_000, "ns": 1}


def _map_threads(fn: Callable[[int], Any], items: list[int], threads: int) -> list[Any]:
    """``[fn(i) for i in items]``, by ``threads`` threads when more than one (order kept)."""
    if threads <= 1 or len(items) <= 1:
        return [fn(i) for i in items]
    with ThreadPoolExecutor(min(threads, len(items)), thread_name_prefix="colonykit-read") as pool:
        return list(pool.map(fn, items))


def _parquet_time_span(pfile: Any, column: int, ttype: Any) -> tuple[int, int] | None:
    """Earliest and latest stamp (int ns) from the row groups' statistics, or None.

    None when a row group has no min/max statistics, a null stamp, or a physical type other
    than INT64 (the caller then reads the column).  The statistics' integers are the stored
    stamps in the column's unit, as the cast to int64 gives them.
    """
    md = pfile.metadata
    per_ns = _NS_PER_UNIT.get(getattr(ttype, "unit", ""), 0)
    if not per_ns or md.num_row_groups == 0:
        return None
    lo: int | None = None
    hi: int | None = None
    for i in range(md.num_row_groups):
        rg = md.row_group(i)
        if rg.num_rows == 0:
            continue
        col = rg.column(column)
        st = col.statistics
        if (
            col.physical_type != "INT64"
            or st is None
            or not st.has_min_max
            or st.null_count is None
            or st.null_count
        ):
            return None
        a, b = st.min_raw, st.max_raw
        if not isinstance(a, int) or not isinstance(b, int):
            return None
        lo = a if lo is None else min(lo, a)
        hi = b if hi is None else max(hi, b)
    if lo is None or hi is None:
        return None
    return lo * per_ns, hi * per_ns


def _stream_parquet(
    path: Path,
    unit: str | None,
    target_s: float | None,
    dtype: str,
    tz: str,
    fmt: str,
    metric: str = "cpu",
) -> tuple[np.ndarray, list[str], int, int, float, str] | None:
    """A long Parquet file read batch by batch straight into a server-major matrix.

    Memory: the ``(servers, steps)`` matrix plus one record batch (the whole table is never
    in memory).  Pass 1 reads the server and time columns for the names and the time span;
    pass 2 scatters each batch's values into the matrix (server-major: the samples of one
    server are consecutive in a file grouped by server, so the writes are sequential).
    None (the columnar whole-file reader takes over, with its checks and messages) unless:
    pyarrow is installed, the file is a long Parquet file with a timestamp-typed time column
    that has a zone or is taken as UTC, every stamp falls on the grid, no value is out of
    range and no (server, time) repeats.

    Returns
    -------
    tuple or None
        ``(matrix (servers, steps), names, origin_ns, grid_ns, native_s, unit)``.
    """
    if fmt not in ("auto", "parquet", "long") or not _is_parquet(path):
        return None
    try:
        pa = require("pyarrow", extra="parquet", purpose="the columnar trace reader")
        pq = require("pyarrow.parquet", extra="parquet", purpose="the columnar trace reader")
    except ImportError:
        return None
    pc = lazy_module("pyarrow.compute")  # 0.1 s to import; a dictionary-encoded file needs none
    try:
        pfile = pq.ParquetFile(path)
        schema = pfile.schema_arrow
    except Exception:  # pyarrow raises several types; the whole-file reader reports them
        return None
    canon = [canonical_column(c) for c in schema.names]
    if "server" not in canon or "timestamp" not in canon or len(set(canon)) != len(canon):
        return None
    raw = dict(zip(canon, schema.names, strict=True))
    try:
        vcol = _pick_value_column(canon, unit, path, metric)
    except (InputError, KeyError):
        return None
    ttype = schema.field(raw["timestamp"]).type
    if not pa.types.is_timestamp(ttype) or (ttype.tz is None and tz != "UTC"):
        return None
    if not pa.types.is_floating(schema.field(raw[vcol]).type) and not pa.types.is_integer(
        schema.field(raw[vcol]).type
    ):
        return None

    per_ns = _NS_PER_UNIT.get(getattr(ttype, "unit", ""), 1)
    #: stored stamps within this many units of the epoch hold in int64 nanoseconds
    ns_safe = (2**63 - 1) // max(per_ns, 1)

    def stamps(col: Any) -> np.ndarray:
        """The stamps in UTC nanoseconds (the stored int64 scaled; pyarrow's cast beyond
        int64 nanoseconds)."""
        if col.null_count == 0 and per_ns in _NS_PER_UNIT.values():
            stored = _arrow_numpy(col)
            if not stored.size or max(-int(stored.min()), int(stored.max())) <= ns_safe:
                return stored * per_ns if per_ns > 1 else stored
        return _arrow_numpy(pc.cast(pc.cast(col, pa.timestamp("ns", tz=ttype.tz)), pa.int64()))

    def raw_stamps(col: Any) -> np.ndarray:
        """The stamps as stored (int64 in the column's unit, no copy) or in ns."""
        if per_ns > 1:
            return _arrow_numpy(col) if col.null_count == 0 else _arrow_numpy(col.cast(pa.int64()))
        return stamps(col)

    index: dict[str, int] = {}
    luts: dict[tuple[int, int, int], tuple[Any, np.ndarray]] = {}
    # the last dictionary seen and its codes, one tuple (read and replaced whole: pass 2's threads)
    last: list[tuple[Any, np.ndarray] | None] = [None]
    numbering = [True]  # pass 1 numbers the names; in pass 2 every name is known

    def lut_for(dic: Any) -> np.ndarray | None:
        """Global server codes of a dictionary's names (new names numbered in order in pass 1;
        None for a name pass 1 did not see)."""
        buf = dic.buffers()[1]
        key = (buf.address if buf is not None else id(dic), dic.offset, len(dic))
        held = luts.get(key)  # the dictionary is held with its codes: its address stays its own
        if held is not None:
            return held[1]
        # each batch of a file carries its row group's dictionary: usually the same names
        prev = last[0]
        if prev is not None and prev[0].equals(dic):
            lut = prev[1]
        elif numbering[0]:
            lut = np.asarray(
                [index.setdefault(str(n).strip(), len(index)) for n in dic.to_pylist()],
                dtype=np.int64,
            )
        else:
            lut = np.asarray([index.get(str(n).strip(), -1) for n in dic.to_pylist()], np.int64)
            if lut.size and int(lut.min()) < 0:
                return None
        luts[key] = (dic, lut)
        last[0] = (dic, lut)
        return lut

    def codes_of(col: Any) -> np.ndarray | None:
        if not pa.types.is_dictionary(col.type):
            col = pc.dictionary_encode(col)
        if col.null_count:
            return None
        lut = lut_for(col.dictionary)
        return None if lut is None else lut[_arrow_numpy(col.indices)]

    def cell_rows(col: Any) -> np.ndarray | None:
        """Each sample's server code times ``n_bins`` (its row of the server-major matrix)."""
        if not pa.types.is_dictionary(col.type):
            col = pc.dictionary_encode(col)
        if col.null_count:
            return None
        lut = lut_for(col.dictionary)
        if lut is None:
            return None
        indices = _arrow_numpy(col.indices)
        if lut.size and lut[-1] - lut[0] == lut.size - 1 and (np.diff(lut) == 1).all():
            # the dictionary's names are consecutive codes (one row group per block of
            # servers): no gather
            rows = np.multiply(indices, n_bins, dtype=np.int64)
            rows += int(lut[0]) * n_bins
            return rows
        rows = lut[indices]
        rows *= n_bins
        return rows

    local = threading.local()

    def batches(group: int, columns: list[str]) -> Any:
        """One row group's record batches (each thread reads through its own file handle)."""
        reader = getattr(local, "reader", None)
        if reader is None:
            reader = local.reader = pq.ParquetFile(path)
        return reader.iter_batches(
            batch_size=STREAM_BATCH_ROWS, row_groups=[group], columns=columns, use_threads=False
        )

    groups = list(range(pfile.metadata.num_row_groups))
    threads = min(READ_THREADS, os.cpu_count() or 1)

    def dictionaries(group: int) -> list[Any] | None:
        """A row group's server dictionaries, in batch order (None: a server is missing)."""
        out = []
        for batch in batches(group, [raw["server"]]):
            col = batch.column(0)
            if not pa.types.is_dictionary(col.type):
                col = pc.dictionary_encode(col)
            if col.null_count:
                return None
            out.append(col.dictionary)
        return out

    t_min, t_max, native = None, None, float("nan")
    span = _parquet_time_span(pfile, schema.get_field_index(raw["timestamp"]), ttype)
    if span is not None:  # the row groups' statistics: pass 1 reads the server names only
        t_min, t_max = span
        first = next(
            pfile.iter_batches(
                batch_size=STREAM_BATCH_ROWS, columns=[raw["server"], raw["timestamp"]]
            ),
            None,
        )
        if first is not None:
            codes = codes_of(first.column(0))
            if codes is None or first.column(1).null_count:
                return None
            native = _native_interval(codes, stamps(first.column(1))) / 1e9
        # row groups decoded in parallel; their names numbered in file order (as one pass would)
        for dics in _map_threads(dictionaries, groups, threads):
            if dics is None:
                return None
            for dic in dics:
                lut_for(dic)
    else:
        for batch in pfile.iter_batches(
            batch_size=STREAM_BATCH_ROWS, columns=[raw["server"], raw["timestamp"]]
        ):
            codes = codes_of(batch.column(0))
            if codes is None or batch.column(1).null_count:
                return None
            t = stamps(batch.column(1))
            if t.size:
                t_min = int(t.min()) if t_min is None else min(t_min, int(t.min()))
                t_max = int(t.max()) if t_max is None else max(t_max, int(t.max()))
            if not math.isfinite(native):
                native = _native_interval(codes, t) / 1e9
    if t_min is None or t_max is None or not index:
        return None
    numbering[0] = False  # pass 2 (threads) only looks names up
    if target_s is not None or not math.isfinite(native):
        return None  # a coarser grid averages samples per cell: the whole-file reader
    grid_s = float(round(native, 3))
    grid_ns = max(int(round(grid_s * 1e9)), 1)
    origin = (t_min // grid_ns) * grid_ns
    n_bins = (t_max - origin) // grid_ns + 1
    n_srv = len(index)
    if n_srv > limits.MAX_SERVERS or n_bins * n_srv > limits.MAX_GRID_CELLS:
        return None  # the whole-file reader names the limit
    if per_ns > 1 and origin % per_ns == 0 and grid_ns % per_ns == 0:
        origin_u, grid_u = origin // per_ns, grid_ns // per_ns  # pass 2 in the stored unit
    else:
        per_ns = 1
        origin_u, grid_u = origin, grid_ns
    matrix = np.full(n_srv * n_bins, np.nan, dtype=dtype)
    low, high = _value_range(vcol)
    wanted = [raw["server"], raw["timestamp"], raw[vcol]]

    def scatter(batch: Any) -> int | None:
        """Write one batch's samples into the matrix: how many, or None (the whole-file reader)."""
        codes = cell_rows(batch.column(0))
        if codes is None or batch.column(1).null_count:
            return None
        off = raw_stamps(batch.column(1)) - origin_u
        if off.size and (off % grid_u).any():  # % and // by a scalar: 5x faster than divmod
            return None  # off the grid
        off //= grid_u
        if off.size and (off.min() < 0 or off.max() >= n_bins):
            return None  # outside the statistics' span
        values = np.asarray(_arrow_numpy(batch.column(2)), dtype=np.float64)
        if not values.size:
            return 0
        v_min, v_max = values.min(), values.max()  # NaN when a value is missing
        if v_min < low or (high is not None and v_max > high):
            return None
        codes += off
        if not np.isnan(v_min + v_max):
            matrix[codes] = values
            return int(values.size)
        ok = ~np.isnan(values)
        with np.errstate(invalid="ignore"):
            if bool(np.any((values < low) | ((values > high) if high is not None else False))):
                return None
        matrix[codes[ok]] = values[ok]
        return int(ok.sum())

    def fill_group(group: int) -> int | None:
        """One row group into the matrix, batch by batch: its samples, or None."""
        n = 0
        for batch in batches(group, wanted):
            got = scatter(batch)
            if got is None:
                return None
            n += got
        return n

    # pass 2: row groups in parallel (pyarrow decodes and numpy scatters without the GIL); each
    # cell is written by its one sample, so the matrix does not depend on the order (a repeated
    # cell is caught by the count below and sends the file to the whole-file reader)
    counts = _map_threads(fill_group, groups, threads)
    if any(c is None for c in counts):
        return None
    n_ok = sum(c for c in counts if c is not None)

    def filled_cells(at: int) -> int:
        return int(np.count_nonzero(~np.isnan(matrix[at : at + CHUNK_CELLS])))

    filled = sum(_map_threads(filled_cells, list(range(0, matrix.size, CHUNK_CELLS)), threads))
    if filled != n_ok:
        return None  # repeated (server, time): the whole-file reader averages and warns
    names = [""] * n_srv
    for n, k in index.items():
        names[k] = n
    return matrix.reshape(n_srv, n_bins), names, origin, grid_ns, native, vcol


def _scatter(
    flat: np.ndarray,
    value: np.ndarray,
    n_bins: int,
    n_srv: int,
    dtype: str,
    aligned: bool,
    when: np.ndarray,
    codes: np.ndarray,
) -> tuple[np.ndarray, int, int]:
    """The ``(steps, servers)`` matrix from flat cell indexes: ``(wide, repeated samples, a code)``.

    One sample per cell (the usual case at the native interval) is a scatter into the matrix —
    no counts array; repeated samples are detected by counting the cells filled.  Cells with
    several samples (a coarser grid, or repeated stamps) hold their mean (``bincount``).
    """
    ok = ~np.isnan(value)
    n_ok = int(ok.sum())
    all_ok = n_ok == value.size
    wide = np.full(n_bins * n_srv, np.nan, dtype=dtype)
    if all_ok:
        wide[flat] = value
    else:
        wide[flat[ok]] = value[ok]
    if int(np.count_nonzero(~np.isnan(wide))) == n_ok:
        return wide.reshape(n_bins, n_srv), 0, 0
    n_dup, first = 0, 0
    if aligned:  # one grid cell per stamp: a repeated cell is a repeated (server, time)
        key = pd.Series(flat)
        dup_mask = key.duplicated().to_numpy()
    else:
        dup_mask = pd.DataFrame({"t": when, "c": codes}).duplicated().to_numpy()
    n_dup = int(dup_mask.sum())
    if n_dup:
        first = int(codes[int(np.flatnonzero(dup_mask)[0])])
    f_ok = flat if all_ok else flat[ok]
    v_ok = value if all_ok else value[ok]
    sums = np.bincount(f_ok, weights=v_ok, minlength=n_bins * n_srv)
    counts = np.bincount(f_ok, minlength=n_bins * n_srv)
    with np.errstate(invalid="ignore", divide="ignore"):
        np.divide(sums, counts, out=sums)
    return sums.astype(dtype, copy=False).reshape(n_bins, n_srv), n_dup, first


def _warn_filled(
    shares: np.ndarray, names: list[str], source: str, fill: str, warn_frac: float | None
) -> None:
    """One warning naming every series whose filled share (at its own interval) is above the
    threshold (issue 24 root cause 4: stated in every command, not only in JSON)."""
    from colonykit import reference

    limit = float(
        warn_frac if warn_frac is not None else reference.constant("measured_fill_warn_frac")
    )
    high = np.flatnonzero(shares > limit)
    if high.size:
        text = ", ".join(f"{names[j]} {shares[j]:.0%}" for j in high[:10])
        more = f" and {high.size - 10} more" if high.size > 10 else ""
        warnings.warn(
            f"{source}: filled samples ({fill}) above {limit:.0%} (measured_fill_warn_frac) for "
            f"{high.size} series: {text}{more}",
            ColonykitWarning,
            stacklevel=3,
        )


def filled_frac_own_interval(values: np.ndarray, start: np.ndarray | None = None) -> np.ndarray:
    """Share of each series' samples that filling invents, at the series' *own* interval.

    A capture sampled every 10 minutes on a 5-minute grid has every other cell empty but
    nothing missing (issue 20 item 5): each column's own step is the most common gap between
    its samples (in cells; the smallest on ties), and the share is ``1 − samples / (cells / own step)``, clipped at 0.

    Parameters
    ----------
    values : ndarray
        ``(time, series)`` with gaps as NaN.
    start : ndarray, optional
        First row each series is filled from (default 0; the reader never fills before a
        series' first sample).

    Returns
    -------
    ndarray
        One share (0–1) per series.

    Examples
    --------
    >>> v = np.array([[1.0, 1.0], [np.nan, np.nan], [2.0, np.nan], [np.nan, np.nan]])
    >>> filled_frac_own_interval(v).tolist()
    [0.0, 0.75]
    """
    n_t, n_s = values.shape
    out = np.zeros(n_s)
    if n_t == 0:
        return out
    empty = np.isnan(values)
    counts = n_t - empty.sum(axis=0)
    for j in np.flatnonzero(counts < n_t):  # a loop over the series with gaps, not samples
        pos = np.flatnonzero(~empty[:, j])
        if pos.size > 1:  # the most common gap (the smallest on ties): robust to the gaps
            gaps, n = np.unique(np.diff(pos), return_counts=True)
            step = float(gaps[int(np.argmax(n))])
        else:
            step = 1.0
        expected = (n_t - (int(start[j]) if start is not None else 0)) / max(step, 1.0)
        out[j] = max(0.0, 1.0 - pos.size / expected) if expected > 0 else 1.0
    return out


def read_traces(
    path: str | Path,
    *,
    interval: str | float | None = None,
    unit: str | None = None,
    fmt: str = "auto",
    tz: str = "UTC",
    step_s: float | None = None,
    fill: str = "ffill",
    epoch_unit: str = "auto",
    dtype: str = "float64",
    progress: bool | None = None,
    start: str | pd.Timestamp | None = None,
    dayfirst: bool | None = None,
    date_format: str | None = None,
    fill_warn_frac: float | None = None,
    metric: str = "cpu",
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
        does not have is not converted (the frame stays in ``meta["source_unit"]``).
    fmt : str
        One of :data:`FORMATS`; ``auto`` sniffs each file.
    tz : str
        Time zone of naive timestamps (default ``UTC``).  The index is always UTC.
    step_s : float, optional
        Seconds per integer ``step`` (default: constant ``trace_step_s`` = 300 s).
    fill : {'ffill', 'interpolate', 'zero', 'none'}
        How gaps on the grid are filled (``ffill`` = carry the last value forward;
        ``interpolate`` = linear between samples).  Cells before a series' first sample
        are never filled (they stay NaN: no value is invented backwards); ``zero`` fills
        every gap with 0.
    epoch_unit : {'auto', 's', 'ms', 'us', 'ns', 'excel'}
        Unit of numeric timestamps (default: detected from their size; values up to
        2,958,465 are Excel serial days).
    dtype : str
        ``float64`` (default) or ``float32`` for the values.
    progress : bool, optional
        tqdm progress bar over the files of a directory, or over the chunks of one CSV
        larger than ``PROGRESS_MIN_BYTES`` (default: only when stderr is a terminal).
    start : str or Timestamp, optional
        For ``step``-indexed traces: the time of step 0 (naive = ``tz``).  The index
        becomes a UTC ``DatetimeIndex`` (e.g. Bitbrains step 0 = 2013-09-02 00:00 UTC).
    dayfirst : bool, optional
        Read ``a/b/Y`` dates day first (True) or month first (False) when the column itself
        does not decide (no day above 12); such a column is refused without it.
    date_format : str, optional
        One ``strftime`` format for every time column (overrides the inference).
    fill_warn_frac : float, optional
        Filled share of a series (at its own interval) above which a ``ColonykitWarning``
        names it (default constant ``measured_fill_warn_frac``).
    metric : str, default 'cpu'
        ``cpu``: CPU demand (the value columns of :data:`METRIC_COLUMNS`); ``memory``: memory use
        (unit ``mem_mib`` or ``mem_pct``; the columns and monitor blocks of
        :mod:`colonykit.ingest.memory_series`); ``io``: disk I/O rate (``io_per_s``,
        :mod:`colonykit.ingest.io_series`).

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
    grid = read_trace_grid(
        path,
        interval=interval,
        unit=unit,
        fmt=fmt,
        tz=tz,
        step_s=step_s,
        fill=fill,
        epoch_unit=epoch_unit,
        dtype=dtype,
        progress=progress,
        dayfirst=dayfirst,
        date_format=date_format,
        metric=metric,
    )
    return trace_frame(grid, fill=fill, tz=tz, start=start, fill_warn_frac=fill_warn_frac)


@dataclass(frozen=True)
class TraceGrid:
    """Traces on their common grid before filling, numpy only (:func:`read_trace_grid`).

    Attributes
    ----------
    wide : ndarray
        ``(steps, servers)`` values, gaps NaN (may be a transposed view of a server-major
        matrix).
    names : list of str
        Server names, one per column.
    kind : str
        ``timestamp`` (``origin`` and ``grid_ns`` in UTC nanoseconds) or ``step``
        (``origin`` = the first step index).
    origin : int
        Time of row 0 (ns) or its step index.
    grid_s : float
        Seconds per row.
    grid_ns : int
        Nanoseconds per row (0 for ``step``).
    native_s : float
        The native interval of the samples [s].
    unit : str
        The source's unit.
    parts : list of Part
        One per file read (their sample arrays released).
    duplicate_samples : int
        Samples that repeated a (server, time).
    source : str
        The path read.
    """

    wide: np.ndarray
    names: list[str]
    kind: str
    origin: int
    grid_s: float
    grid_ns: int
    native_s: float
    unit: str
    parts: list[Part]
    duplicate_samples: int
    source: str


def read_trace_grid(
    path: str | Path,
    *,
    interval: str | float | None = None,
    unit: str | None = None,
    fmt: str = "auto",
    tz: str = "UTC",
    step_s: float | None = None,
    fill: str = "ffill",
    epoch_unit: str = "auto",
    dtype: str = "float64",
    progress: bool | None = None,
    dayfirst: bool | None = None,
    date_format: str | None = None,
    metric: str = "cpu",
) -> TraceGrid:
    """The first half of :func:`read_traces`: the samples on one grid, gaps NaN, no pandas.

    For a long CSV or Parquet file in UTC (or with zoned stamps) read by the columnar
    reader, no pandas is imported (``colonykit whitespace``, issue 25); other layouts use it.
    :func:`trace_frame` turns the grid into :func:`read_traces`' frame and metadata.

    Parameters
    ----------
    path : str or Path
        As in :func:`read_traces`.
    interval, unit, fmt, tz, step_s, fill, epoch_unit, dtype, progress
        As in :func:`read_traces` (``fill`` is checked here and applied by :func:`trace_frame`).
    dayfirst, date_format, metric
        As in :func:`read_traces`.

    Returns
    -------
    TraceGrid
        The ``(steps, servers)`` matrix with its names and time axis.

    Raises
    ------
    InputError
        As :func:`read_traces`.

    Examples
    --------
    >>> g = read_trace_grid("tests/data/traces/long_small.csv")
    >>> g.wide.shape, g.names, g.kind, g.grid_s
    ((4, 3), ['a', 'b', 'c'], 'timestamp', 300.0)
    """
    if metric not in METRICS:
        err = unknown_name("trace metric", metric, METRICS)
        raise err
    allowed = {"memory": MEMORY_UNITS, "io": IO_UNITS}.get(metric, UNITS)
    if unit is not None and unit not in allowed:
        err = unknown_name("trace unit", unit, allowed)
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

    streamed = (
        _stream_parquet(files[0], unit, target_s, dtype, tz, fmt, metric)
        if len(files) == 1 and fill != "interpolate" and metric == "cpu"
        else None
    )
    if streamed is not None:  # one Parquet file, read batch by batch into the matrix
        wide_t, names, origin, grid_ns, native_s, src_unit = streamed
        wide = wide_t.T  # (steps, servers) view of the server-major matrix
        grid_s = grid_ns / 1e9
        kind = meta_kind = "timestamp"
        n_dup = 0
        parts = [
            Part(
                np.zeros(0, np.int64),
                names,
                kind,
                np.zeros(0, np.int64),
                np.zeros(0),
                src_unit,
                "parquet",
                str(files[0]),
                "timestamps (Parquet, streamed)",
            )
        ]
    else:
        per_file = progress if len(files) == 1 else False  # one bar: over files, or over chunks
        opts = ReadOptions(dayfirst=dayfirst, date_format=date_format, metric=metric)
        parts = [
            _read_part(p, fmt, unit, tz, epoch_unit, per_file, opts)
            for p in _progress(files, len(files), f"reading {root.name}", progress)
        ]
        kinds = {pt.kind for pt in parts}
        if len(kinds) > 1:
            msg = f"{root}: cannot mix files indexed by timestamp and by step ({sorted(kinds)})"
            raise InputError(msg)
        units = {pt.unit for pt in parts}
        if len(units) > 1:
            msg = f"{root}: files carry different units {sorted(units)}; pass unit=… to choose one"
            raise InputError(msg)
        src_unit = units.pop()
        kind = kinds.pop()
        names, codes = _global_codes(parts, root)
        value = parts[0].value if len(parts) == 1 else np.concatenate([pt.value for pt in parts])
        when = parts[0].time if len(parts) == 1 else np.concatenate([pt.time for pt in parts])
        for pt in parts:  # the parts' arrays now live in codes/value/when only
            object.__setattr__(pt, "value", None)
            object.__setattr__(pt, "time", None)
            object.__setattr__(pt, "codes", None)
        if kind == "timestamp":
            t_ns = when.astype(np.int64, copy=False)
            native_s = _native_interval(codes, t_ns) / 1e9
            grid_s = target_s or (native_s if math.isfinite(native_s) else step_len)
            if target_s is None and math.isfinite(native_s):
                grid_s = float(round(native_s, 3))  # ms: sub-second captures keep their step
            grid_ns = max(int(round(grid_s * 1e9)), 1)
            origin = (int(t_ns.min()) // grid_ns) * grid_ns
            bins = np.subtract(t_ns, origin)
            aligned = True
            for at in range(0, bins.size, CHUNK_CELLS):  # chunks: no full-size temporary
                chunk = bins[at : at + CHUNK_CELLS]
                aligned = aligned and not bool(np.any(chunk % grid_ns))
                chunk //= grid_ns
            if aligned:  # exact (server, time) repeats are cell repeats: the stamps are not needed
                del t_ns
                when = np.empty(0, dtype=np.int64)
        else:
            steps = when.astype(float, copy=False)
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
            aligned = k == 1
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
        flat = bins
        flat *= n_srv
        flat += codes
        del bins
        wide, n_dup, first_dup = _scatter(flat, value, n_bins, n_srv, dtype, aligned, when, codes)
        del flat
        if n_dup:
            warnings.warn(
                f"{root}: {n_dup:,} sample(s) repeat a (server, time) already given, e.g. "
                f"server {names[first_dup]!r}; each repeated cell holds the mean of its samples",
                ColonykitWarning,
                stacklevel=2,
            )
        del value, when, codes
    return TraceGrid(
        wide=wide,
        names=names,
        kind=meta_kind,
        origin=int(origin),
        grid_s=float(grid_s),
        grid_ns=int(grid_ns) if meta_kind == "timestamp" else 0,
        native_s=float(native_s),
        unit=src_unit,
        parts=parts,
        duplicate_samples=int(n_dup),
        source=str(root),
    )


def trace_frame(
    grid: TraceGrid,
    *,
    fill: str = "ffill",
    tz: str = "UTC",
    start: str | pd.Timestamp | None = None,
    fill_warn_frac: float | None = None,
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The second half of :func:`read_traces`: fill ``grid``'s gaps, build the frame and metadata.

    Parameters
    ----------
    grid : TraceGrid
        From :func:`read_trace_grid` (its matrix is filled in place).
    fill, tz, start, fill_warn_frac
        As in :func:`read_traces`.

    Returns
    -------
    (pandas.DataFrame, dict)
        As :func:`read_traces`.

    Raises
    ------
    InputError
        A server without numeric samples, a bad ``start``.

    Examples
    --------
    >>> frame, meta = trace_frame(read_trace_grid("tests/data/traces/long_small.csv"))
    >>> frame.shape, meta["gaps_filled"]
    ((4, 3), 0)
    """
    wide, names, parts, n_dup = grid.wide, grid.names, grid.parts, grid.duplicate_samples
    kind = meta_kind = grid.kind
    origin, grid_s, grid_ns, native_s = grid.origin, grid.grid_s, grid.grid_ns, grid.native_s
    src_unit, root = grid.unit, Path(grid.source)
    n_bins, n_srv = wide.shape
    empty_cells = np.isnan(wide)
    gaps = pd.Series(empty_cells.sum(axis=0), index=names, name="gaps")
    never = gaps.index[gaps.to_numpy() == n_bins].tolist()
    if never:
        msg = f"{root}: server(s) {never[:5]} have no numeric samples"
        raise InputError(msg)
    lead = empty_cells.argmin(axis=0)  # cells before each series' first sample
    trail = empty_cells[::-1].argmin(axis=0)  # cells after its last sample
    del empty_cells
    gappy = gaps.to_numpy() > 0
    shares = None
    if fill != "none" and gappy.any():  # what the fill will invent, at each series' own interval
        shares = np.zeros(n_srv)
        shares[gappy] = filled_frac_own_interval(wide[:, gappy], lead[gappy])
    wide = _fill(wide, fill, gappy)
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
    frame = pd.DataFrame(wide, index=index, columns=pd.Index(names, name="server"), copy=False)
    frame.attrs = {"unit": src_unit, "interval_s": float(grid_s)}

    capacity_file = None
    if root.is_file():
        stem = re.sub(r"(\.csv)?(\.gz)?$", "", root.name)
        side = root.with_name(f"{stem}_vms.csv")
        capacity_file = str(side) if side.is_file() else None

    # filled cells per series: inside its span (never before its first sample; ffill and
    # interpolate also after its last one), all gaps for "zero"
    filled = (
        pd.Series(0, index=names, name="filled")
        if fill == "none"
        else gaps
        if fill == "zero"
        else gaps
        - pd.Series(lead, index=names)
        - (pd.Series(trail, index=names) if fill == "interpolate" else 0)
    )
    if shares is not None:
        _warn_filled(shares, names, str(root), fill, fill_warn_frac)
    notes = [n for pt in parts for n in pt.notes]
    for note in dict.fromkeys(notes):
        warnings.warn(f"{Path(root).name}: {note}", ColonykitWarning, stacklevel=2)
    meta: dict[str, Any] = {
        "notes": list(dict.fromkeys(notes)),
        "source": str(root),
        "files": [pt.file for pt in parts],
        "formats": sorted({pt.format for pt in parts}),
        "time_formats": sorted({pt.time_note for pt in parts if pt.time_note}),
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
        "gaps_filled": int(filled.sum()),
        "filled": filled,
        "filled_frac": pd.Series(
            shares if shares is not None else np.zeros(n_srv), index=names, name="filled_frac"
        ),
        "leading_gaps": pd.Series(lead, index=names, name="leading_gaps"),
        "trailing_gaps": pd.Series(trail, index=names, name="trailing_gaps"),
        "conversion": None,  # the reader converts nothing (colonykit.sizing.convert_unit does)
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
    "read_traces",
    "TraceGrid",
    "read_trace_grid",
    "trace_frame",
]
