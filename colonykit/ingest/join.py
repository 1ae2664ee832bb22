"""Join an inventory with its servers' own utilization traces.

Each inventory row is matched to its own series (seed 003 §2.3: the composite of the
servers' *own measured* peaks sizes the colony):

1. a mapping file (``server,trace``) overrides everything;
2. a row with ``count > 1`` takes one series per instance when the traces have
   ``<server>-01`` … (or ``<server>01``, ``<server>_01``); otherwise all its
   instances share the one series named ``<server>`` (then they are perfectly
   correlated, and the report says so);
3. otherwise by name: the series name (long/wide CSV, Parquet, PlanetLab/Bitbrains
   file names), the host name inside nmon (``AAA,host``) and sysstat files, or the
   file name stem of a monitor file — the exact name first, then case-insensitively when
   only one series matches that way; names that collide only by case are refused, naming
   both (issue 24 root cause 6).

Rows without a series are reported (``unmatched``) and sized from ``util_peak_pct`` as a
flat series by :mod:`colonykit.measured`; series that no row uses are ``unused``.

Time alignment is stated, never silent (:func:`align_traces`): ``absolute`` keeps the
common overlap of all captures and refuses, listing every capture's span, when it is
shorter than ``measured_min_overlap_h``; ``time-of-day`` / ``time-of-week`` fold each
capture onto a typical day or week (slot statistic ``max`` or ``mean``) for captures
taken at different times.  The filled share of each series is reported, with a warning
above ``measured_fill_warn_frac``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from colonykit import reference
from colonykit._dicts import DictMixin
from colonykit._lazy import lazy_module
from colonykit.errors import InputError, log_or_raise, must_be
from colonykit.ingest.traces import (
    _SIDE_FILE,
    detect_format,
    filled_frac_own_interval,
    parse_interval,
    read_traces,
)

if TYPE_CHECKING:
    import pandas as pd
else:  # imported on first use: `colonykit whitespace` registers its options without pandas
    pd = lazy_module("pandas")

Align = Literal["absolute", "time-of-day", "time-of-week"]
ALIGNS: tuple[str, ...] = ("absolute", "time-of-day", "time-of-week")
FOLD_STATISTICS: tuple[str, ...] = ("max", "mean")
MONITOR_FORMATS = ("nmon", "sadf", "sar")
#: Reference Monday 00:00 that folded series are placed on (a real time axis for plots); it is
#: never shown as a date: labels say "typical day/week" (:func:`fold_label`).  A
#: ``pandas.Timestamp`` made on first use (``FOLD_EPOCH_TEXT``): importing this module does not
#: import pandas.
FOLD_EPOCH_TEXT = "2001-01-01T00:00Z"


def __getattr__(name: str) -> Any:
    """``FOLD_EPOCH`` (a ``pandas.Timestamp``, made on first use)."""
    if name == "FOLD_EPOCH":
        return pd.Timestamp(FOLD_EPOCH_TEXT)
    msg = f"module {__name__!r} has no attribute {name!r}"
    raise AttributeError(msg)


def fold_label(stamp: pd.Timestamp, kind: str) -> str:
    """A folded axis point as a typical-day (``"13:05"``) or typical-week (``"Tue 13:05"``) label.

    Parameters
    ----------
    stamp : Timestamp
        A point of the folded axis (on ``FOLD_EPOCH``'s week).
    kind : {'day', 'week'}
        The fold.

    Examples
    --------
    >>> fold_label(pd.Timestamp(FOLD_EPOCH_TEXT) + pd.Timedelta(hours=25, minutes=5), "week")
    'Tue 01:05'
    """
    return stamp.strftime("%H:%M") if kind == "day" else stamp.strftime("%a %H:%M")


@dataclass(frozen=True)
class TraceJoin(DictMixin):
    """Which series each inventory instance got, and what the alignment did.

    Attributes
    ----------
    frame : DataFrame
        Aligned, filled traces (time × series) in the traces' own unit (``attrs["unit"]``).
    assignment : DataFrame
        One row per inventory instance: ``server, k`` (1-based instance), ``series`` (column
        of ``frame``, ``""`` when unmatched) and ``how`` (``mapping``, ``instance``,
        ``shared``, ``name``, ``stem``, ``unmatched``).
    servers_matched, servers_unmatched : list of str
        Inventory servers with / without a series.
    shared_servers : list of str
        Servers with ``count > 1`` whose instances share one series (perfectly correlated).
    unused_traces : list of str
        Series no inventory row uses.
    spans : DataFrame
        Per series: ``first``, ``last`` sample time and ``filled_frac`` (0–1) after alignment.
    align : str
        Time alignment used (``absolute``, ``time-of-day``, ``time-of-week``).
    overlap : tuple
        (start, end) of the common span for ``absolute``; of the folded period otherwise.
    notes : list of str
        One sentence per decision (alignment, shared series, fills).
    """

    frame: pd.DataFrame
    assignment: pd.DataFrame
    servers_matched: list[str]
    servers_unmatched: list[str]
    shared_servers: list[str]
    unused_traces: list[str]
    spans: pd.DataFrame
    align: str
    overlap: tuple[Any, Any]
    notes: list[str] = field(default_factory=list)

    #: to_dict(): a JSON-ready summary (no series), every entry computed
    _dict_keys = ()

    def _dict_computed(self) -> dict[str, Any]:
        return {
            "servers_matched": len(self.servers_matched),
            "servers_unmatched": len(self.servers_unmatched),
            "unmatched": list(self.servers_unmatched),
            "shared": list(self.shared_servers),
            "unused_traces": list(self.unused_traces),
            "align": self.align,
            "overlap": [str(self.overlap[0]), str(self.overlap[1])],
            "max_filled_frac": float(self.spans["filled_frac"].max()) if len(self.spans) else 0.0,
            "notes": list(self.notes),
        }


def read_mapping(path: str | Path) -> dict[str, str]:
    """Read a ``server,trace`` mapping CSV (one row per server; duplicates refused).

    Parameters
    ----------
    path : str or Path
        The mapping CSV (columns ``server``, ``trace``).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "map.csv"
    >>> _ = p.write_text("server,trace\\nweb,the-gibson\\n")
    >>> read_mapping(p)
    {'web': 'the-gibson'}
    """
    p = Path(path)
    if not p.is_file():
        msg = f"trace mapping file not found: {p}"
        raise InputError(msg)
    try:
        tab = pd.read_csv(p, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        msg = f"{p.name}: not a 'server,trace' CSV ({exc})"
        raise InputError(msg) from exc
    cols = [str(c).strip().lower() for c in tab.columns]
    if cols[:2] != ["server", "trace"]:
        msg = f"{p.name}: the header must be 'server,trace' (got {','.join(cols)[:80]!r})"
        raise InputError(msg)
    tab.columns = cols
    out: dict[str, str] = {}
    for i, (s, t) in enumerate(zip(tab["server"], tab["trace"], strict=True)):
        s, t = s.strip(), t.strip()
        if not s or not t:
            raise InputError(
                must_be("server/trace", "non-empty", f"{s!r},{t!r}", f"{p.name} line {i + 2}")
            )
        if s in out:
            msg = f"'server' {s!r} is mapped twice at {p.name} line {i + 2}"
            raise InputError(msg)
        out[s] = t
    return out


def read_server_traces(
    path: str | Path,
    *,
    unit: str | None = None,
    interval: str | float | None = None,
    tz: str = "UTC",
    step_s: float | None = None,
    start: str | None = None,
    metric: str = "cpu",
    dayfirst: bool | None = None,
    date_format: str | None = None,
) -> tuple[pd.DataFrame, dict[str, str], dict[str, Any]]:
    """Read traces unfilled (gaps as NaN) with the aliases each series can be matched by.

    A directory of monitor captures (nmon, sadf, sar) is read file by file, so each
    series is known by its host name *and* its file name stem.

    Parameters
    ----------
    path : str or Path
        A trace file or a directory of them.
    unit : {'cpu_pct', 'mips', 'cpu_mhz'}, optional
        Unit of the traces that carry none (wide, one number per line).
    interval : str or float, optional
        Common grid step (``"5min"``, seconds); default the native step.
    tz : str, default 'UTC'
        Time zone of naive timestamps.
    step_s : float, optional
        Seconds per integer ``step``; default constant ``trace_step_s``.
    start : str, optional
        Timestamp of step 0 for traces indexed by step.
    metric : {'cpu', 'memory'}, default 'cpu'
        Which series to read (:func:`colonykit.ingest.read_traces`).
    dayfirst : bool, optional
        Day-first (True) or month-first (False) slash dates (see :func:`read_traces`).
    date_format : str, optional
        One ``strftime`` format for the time columns.

    Returns
    -------
    (frame, aliases, meta)
        ``aliases`` maps an alias (series name as written, host name, lower-case file stem)
        to a column of ``frame``.
    """
    root = Path(path)
    kw: dict[str, Any] = {
        "unit": unit,
        "interval": interval,
        "tz": tz,
        "step_s": step_s,
        "start": start,
        "fill": "none",
        "metric": metric,
        "dayfirst": dayfirst,
        "date_format": date_format,
    }
    files = (
        sorted(p for p in root.iterdir() if p.is_file() and not _SIDE_FILE.match(p.name))
        if root.is_dir()
        else [root]
    )
    monitors = [f for f in files if detect_format(f) in MONITOR_FORMATS]
    aliases: dict[str, str] = {}
    if root.is_dir() and monitors and len(monitors) == len(files):
        parts = []
        metas = []
        for f in files:
            fr, m = read_traces(f, **kw)
            parts.append(fr)
            metas.append(m)
            stem = re.sub(r"(\.(csv|txt|nmon|gz))+$", "", f.name, flags=re.I).lower()
            if fr.shape[1] == 1:
                aliases.setdefault(stem, str(fr.columns[0]))
        dup = pd.Index([c for p in parts for c in p.columns])
        if dup.has_duplicates:
            msg = (
                f"{root}: host name(s) {sorted(set(dup[dup.duplicated()]))[:5]} appear in several "
                "captures; give a mapping file (server,trace) naming each file's series"
            )
            raise InputError(msg)
        frame = pd.concat(parts, axis=1, sort=True)
        frame.attrs = dict(parts[0].attrs)
        meta = {**metas[0], "files": [m["files"][0] for m in metas], "servers": frame.shape[1]}
    else:
        frame, meta = read_traces(root, **kw)
        if root.is_file() and frame.shape[1] == 1:
            stem = re.sub(r"(\.(csv|txt|nmon|gz|parquet))+$", "", root.name, flags=re.I).lower()
            aliases.setdefault(stem, str(frame.columns[0]))
    for c in frame.columns:  # exact names (matched first; case-insensitive only when unique)
        aliases[str(c)] = str(c)
    return frame, aliases, meta


def _instance_names(server: str, count: int) -> list[list[str]]:
    """Candidate series names of each instance of a server."""
    return [
        [f"{server}-{k:02d}", f"{server}{k:02d}", f"{server}_{k:02d}", f"{server}-{k}"]
        for k in range(1, count + 1)
    ]


def match_series(
    inventory: pd.DataFrame,
    aliases: dict[str, str],
    mapping: dict[str, str] | None = None,
    source: str = "traces",
) -> pd.DataFrame:
    """One row per inventory instance with the series it is measured by (see module doc).

    Parameters
    ----------
    inventory : pandas.DataFrame
        A validated inventory.
    aliases : dict of str to str
        Lower-case alias -> series name (:func:`read_server_traces`).
    mapping : dict of str to str, optional
        ``server -> trace`` overrides.
    source : str, default 'traces'
        The traces' source, for the messages.
    """
    exact = dict(aliases)
    folded: dict[str, set[str]] = {}
    for k, v in aliases.items():
        folded.setdefault(k.lower(), set()).add(v)

    def find(name: str) -> str:
        """Exact name first; a case-insensitive match only when it is unique (issue 24 rc 6)."""
        if name in exact:
            return exact[name]
        cands = folded.get(name.lower(), set())
        if len(cands) > 1:
            both = sorted(cands)
            msg = (
                f"{source}: server {name!r} matches trace series {both[0]!r} and {both[1]!r}, "
                "which differ only by case; name the series exactly or give a mapping file "
                "(server,trace)"
            )
            raise InputError(msg)
        return next(iter(cands)) if cands else ""

    lower = _Finder(find)
    mapping = mapping or {}
    unknown = sorted(set(mapping) - set(inventory["server"].astype(str)))
    if unknown:
        msg = f"mapping names server(s) {unknown[:5]} that are not in the inventory"
        raise InputError(msg)
    rows = []
    for server, count in zip(
        inventory["server"].astype(str), inventory["count"].astype(int), strict=True
    ):
        if server in mapping:
            target = mapping[server]
            series = lower.get(target) or None
            if series is None:
                msg = f"mapping: trace {target!r} for server {server!r} is not in {source}"
                raise InputError(msg)
            rows += [(server, k, series, "mapping") for k in range(1, count + 1)]
            continue
        inst = (
            [
                next((lower[c] for c in cands if c in lower), "")
                for cands in _instance_names(server, count)
            ]
            if count > 1
            else [""]
        )
        if count > 1 and all(inst):
            rows += [(server, k, s, "instance") for k, s in enumerate(inst, start=1)]
            continue
        own = lower.get(server, "")
        how = "shared" if count > 1 else ("name" if own.lower() == server.lower() else "stem")
        rows += [(server, k, own, how if own else "unmatched") for k in range(1, count + 1)]
    out = pd.DataFrame(rows, columns=["server", "k", "series", "how"])
    taken = out[(out["series"] != "") & (out["how"] != "mapping")]
    owners = taken.groupby("series")["server"].unique()
    clash = owners[owners.map(len) > 1]
    if len(clash):
        series = str(clash.index[0])
        a, b = (str(x) for x in clash.iloc[0][:2])
        msg = (
            f"{source}: inventory servers {a!r} and {b!r} both match trace series {series!r} "
            "(their names differ only by case or spelling); each server needs its own series: "
            "rename one, or give a mapping file (server,trace)"
        )
        raise InputError(msg)
    return out


class _Finder:
    """``finder[name]`` / ``name in finder`` / ``finder.get(name, default)`` over :func:`find`."""

    def __init__(self, find: Callable[[str], str]) -> None:
        self._find = find

    def get(self, name: str, default: str = "") -> str:
        return self._find(name) or default

    def __contains__(self, name: str) -> bool:
        return bool(self._find(name))

    def __getitem__(self, name: str) -> str:
        return str(self._find(name))


def _spans(frame: pd.DataFrame) -> pd.DataFrame:
    valid = frame.notna().to_numpy()
    idx = frame.index
    has = valid.any(axis=0)
    first = np.where(has, valid.argmax(axis=0), 0)
    last = np.where(has, len(idx) - 1 - valid[::-1].argmax(axis=0), 0)
    return pd.DataFrame({"first": idx[first], "last": idx[last]}, index=frame.columns)


def align_traces(
    frame: pd.DataFrame,
    *,
    align: str = "absolute",
    statistic: str = "max",
    min_overlap_h: float | None = None,
    fill_warn_frac: float | None = None,
    source: str = "traces",
    tz: str | None = None,
    short: str = "refuse",
) -> tuple[pd.DataFrame, pd.DataFrame, tuple[Any, Any], list[str]]:
    """Put unfilled traces (gaps NaN) on one time axis, as ``align`` says.

    Parameters
    ----------
    frame : pandas.DataFrame
        Time × series, gaps as NaN (:func:`read_server_traces`).
    align : {'absolute', 'time-of-day', 'time-of-week'}, default 'absolute'
        Keep the common overlap, or fold each capture onto a typical day or week.
    statistic : {'max', 'mean'}, default 'max'
        Slot statistic of a fold.
    min_overlap_h : float, optional
        Shortest common overlap accepted for ``absolute`` [h]; default constant
        ``measured_min_overlap_h``.
    fill_warn_frac : float, optional
        Filled share of a series above which a note warns; default constant
        ``measured_fill_warn_frac``.
    source : str, default 'traces'
        The traces' source, for the messages.
    tz : str, optional
        The captures' local time zone (the one their naive stamps were read in): a fold
        places each sample at its local time of day / day of week, and the folded axis is
        labelled as a typical day or week in that zone (default: UTC).
    short : {'refuse', 'warn'}, default 'refuse'
        ``absolute`` alignment with a common span shorter than ``min_overlap_h``: refused;
        with ``warn``, captures that all cover the same short span are kept with a warning
        saying that the figures hold for that span only (captures that overlap only partly
        are still refused).

    Returns
    -------
    (frame, spans, overlap, notes)
        The filled frame, per-series ``first``/``last``/``filled_frac``, the span used and notes.

    Raises
    ------
    InputError
        ``absolute`` alignment with a common overlap shorter than ``min_overlap_h`` (the
        message lists each capture's span), or an unknown ``align``/``statistic``.

    Examples
    --------
    >>> idx = pd.date_range("2024-01-01", periods=4, freq="6h", tz="UTC")
    >>> f = pd.DataFrame({"a": [1.0, 2, 3, 4], "b": [5.0, None, 7, 8]}, index=idx)
    >>> out, spans, overlap, notes = align_traces(f, min_overlap_h=12)
    >>> out["b"].tolist(), float(spans.loc["b", "filled_frac"])
    ([5.0, 5.0, 7.0, 8.0], 0.25)
    """
    if align not in ALIGNS:
        raise InputError(must_be("traces.align", f"one of {list(ALIGNS)}", align, source))
    if statistic not in FOLD_STATISTICS:
        raise InputError(
            must_be("traces.fold_statistic", f"one of {list(FOLD_STATISTICS)}", statistic, source)
        )
    min_h = float(
        min_overlap_h if min_overlap_h is not None else reference.constant("measured_min_overlap_h")
    )
    warn = float(
        fill_warn_frac
        if fill_warn_frac is not None
        else reference.constant("measured_fill_warn_frac")
    )
    spans = _spans(frame)
    timed = isinstance(frame.index, pd.DatetimeIndex)
    interval_s = float(frame.attrs.get("interval_s", 300.0))
    notes: list[str] = []
    if align == "absolute" or not timed:
        if align != "absolute":
            msg = f"{source}: align {align!r} needs timestamps; these traces have integer steps"
            raise InputError(msg)
        start, end = spans["first"].max(), spans["last"].min()
        length_h = (
            ((end - start).total_seconds() if timed else (end - start) * interval_s) / 3600.0
            if end >= start
            else -1.0
        )
        common = bool(((spans["first"] == start) & (spans["last"] == end)).all() and end >= start)
        if length_h + interval_s / 3600.0 < min_h and short == "warn" and common:
            message = (
                f"{source}: the captures cover {max(length_h, 0):.1f} h, less than the "
                f"{min_h:g} h minimum (measured_min_overlap_h): figures hold for that span only "
                "(a peak outside it is not seen); capture at least one full business cycle"
            )
            log_or_raise(False, message)
            notes.append(message)
        elif length_h + interval_s / 3600.0 < min_h:
            lines = "; ".join(
                f"{c}: {str(spans.loc[c, 'first'])} .. {str(spans.loc[c, 'last'])}"
                for c in frame.columns[:20]
            )
            msg = (
                f"{source}: the captures overlap for {max(length_h, 0):.1f} h, less than the "
                f"{min_h:g} h minimum (measured_min_overlap_h) for absolute-time alignment. "
                f"Capture spans: {lines}. Use traces.align: time-of-day or time-of-week to fold "
                "captures taken at different times, or lower traces.min_overlap_h"
            )
            raise InputError(msg)
        out = frame.loc[start:end]
        notes.append(f"Aligned on absolute time: common span {start} .. {end} ({length_h:.1f} h).")
        overlap: tuple[Any, Any] = (start, end)
    else:
        period_s = 86400 if align == "time-of-day" else 7 * 86400
        zone = tz or "UTC"
        t = pd.DatetimeIndex(frame.index)
        t = t.tz_convert(zone) if t.tz is not None else t
        wall = t.tz_localize(None) if t.tz is not None else t  # local wall-clock time
        offset_s = (
            (wall - wall.normalize()).total_seconds().to_numpy()
            if align == "time-of-day"
            else (
                (wall - wall.normalize()).total_seconds().to_numpy()
                + wall.day_of_week.to_numpy() * 86400
            )
        )
        slot = (offset_s // interval_s).astype(np.int64)
        grouped = frame.groupby(slot)
        out = grouped.max() if statistic == "max" else grouped.mean()
        n_slots = int(round(period_s / interval_s))
        out = out.reindex(np.arange(n_slots))
        out.index = pd.DatetimeIndex(
            pd.Timestamp(FOLD_EPOCH_TEXT) + pd.to_timedelta(out.index * interval_s, unit="s"),
            name="timestamp",
        )
        kind = "day" if align == "time-of-day" else "week"
        first_label = fold_label(out.index[0], kind)
        last_label = fold_label(out.index[-1], kind)
        overlap = (first_label, last_label)
        notes.append(
            f"Folded each capture onto a typical {kind} ({n_slots} slots of {interval_s:g} s, "
            f"slot statistic {statistic}), in {zone} local time: {first_label} .. {last_label} "
            f"{zone}. The folded axis is a typical {kind}, not a date."
        )
    values = out.to_numpy(dtype=float)
    filled = filled_frac_own_interval(values)
    spans = spans.assign(filled_frac=filled)
    high = spans.index[filled > warn].tolist()
    if high:
        text = ", ".join(f"{c} {spans.loc[c, 'filled_frac']:.0%}" for c in high[:10])
        message = (
            f"{source}: filled samples above {warn:.0%} (measured_fill_warn_frac) for "
            f"{len(high)} series: {text}"
        )
        log_or_raise(False, message)
        notes.append(message)
    filled_frame = pd.DataFrame(values, index=out.index, columns=out.columns, copy=False)
    gappy = np.flatnonzero(np.isnan(values).any(axis=0)) if values.size else np.zeros(0, int)
    if gappy.size:  # fill only the series with gaps (within the span every series covers)
        sub = filled_frame.iloc[:, gappy].ffill().bfill()
        values = values.copy()  # never the caller's frame
        values[:, gappy] = sub.to_numpy(dtype=float)
        filled_frame = pd.DataFrame(values, index=out.index, columns=out.columns, copy=False)
    filled_frame.attrs = {**frame.attrs, "align": align}
    if align != "absolute":
        filled_frame.attrs["fold"] = f"typical {'day' if align == 'time-of-day' else 'week'}"
        filled_frame.attrs["fold_tz"] = tz or "UTC"
    return filled_frame, spans, overlap, notes


def join_traces(
    inventory: pd.DataFrame,
    path: str | Path,
    *,
    mapping: str | Path | dict[str, str] | None = None,
    unit: str | None = None,
    interval: str | float | None = None,
    align: str = "absolute",
    fold_statistic: str = "max",
    min_overlap_h: float | None = None,
    fill_warn_frac: float | None = None,
    tz: str = "UTC",
    start: str | None = None,
    metric: str = "cpu",
    dayfirst: bool | None = None,
    date_format: str | None = None,
) -> TraceJoin:
    """Read ``path`` and match each inventory row to its own series (see module doc).

    Parameters
    ----------
    inventory : pandas.DataFrame
        A validated inventory.
    path : str or Path
        A trace file or a directory of them (see :func:`colonykit.ingest.read_traces`).
    mapping : str, Path or dict of str to str, optional
        ``server -> trace`` overrides (a CSV, see :func:`read_mapping`, or a dict).
    unit : {'cpu_pct', 'mips', 'cpu_mhz'}, optional
        Unit of the traces that carry none (wide, one number per line).
    interval : str or float, optional
        Common grid step (``"5min"``, seconds); default the native step.
    align : {'absolute', 'time-of-day', 'time-of-week'}, default 'absolute'
        Time alignment (see :func:`align_traces`).
    fold_statistic : {'max', 'mean'}, default 'max'
        Slot statistic of a fold.
    min_overlap_h : float, optional
        Shortest common overlap accepted for ``absolute`` [h]; default constant
        ``measured_min_overlap_h``.
    fill_warn_frac : float, optional
        Filled share of a series above which a note warns; default constant
        ``measured_fill_warn_frac``.
    tz : str, default 'UTC'
        Time zone of naive timestamps.
    start : str, optional
        Timestamp of step 0 for traces indexed by step.
    metric : {'cpu', 'memory'}, default 'cpu'
        ``memory``: join the memory-use series instead (same matching and alignment).
    dayfirst : bool, optional
        Day-first (True) or month-first (False) slash dates (see :func:`read_traces`).
    date_format : str, optional
        One ``strftime`` format for the time columns.

    Examples
    --------
    >>> from colonykit.ingest import read_inventory
    >>> inv, _ = read_inventory("data/examples/bitbrains_50vm_inventory.csv")
    >>> j = join_traces(inv, "data/traces/bitbrains_rnd_50vm_7d.csv.gz")
    >>> len(j.servers_matched), j.servers_unmatched, j.unused_traces
    (50, [], [])
    """
    where = Path(path).name
    if interval is not None:
        parse_interval(interval)
    frame, aliases, meta = read_server_traces(
        path,
        unit=unit,
        interval=interval,
        tz=tz,
        start=start,
        metric=metric,
        dayfirst=dayfirst,
        date_format=date_format,
    )
    if unit is not None and meta.get("formats") in (["wide"], ["single"]):
        frame.attrs["unit"] = unit
    maps = read_mapping(mapping) if isinstance(mapping, str | Path) else (mapping or {})
    assignment = match_series(inventory, aliases, maps, where)
    series = set(assignment["series"])  # once, not per column
    used = [c for c in frame.columns if c in series]
    if not used:
        msg = (
            f"{where}: no trace matches an inventory server (series e.g. "
            f"{[str(c) for c in frame.columns[:5]]}; servers e.g. "
            f"{inventory['server'].astype(str).head(5).tolist()}); give a mapping file (server,trace)"
        )
        raise InputError(msg)
    aligned, spans, overlap, notes = align_traces(
        frame[used],
        align=align,
        statistic=fold_statistic,
        min_overlap_h=min_overlap_h,
        fill_warn_frac=fill_warn_frac,
        source=where,
        tz=tz,
    )
    by_server = assignment.groupby("server", sort=False)
    matched = [str(s) for s, g in by_server if (g["series"] != "").all()]
    unmatched = [str(s) for s, g in by_server if (g["series"] == "").any()]
    shared = [str(s) for s, g in by_server if len(g) > 1 and (g["how"] == "shared").all()]
    if shared:
        notes.append(
            f"One series for all instances of {', '.join(shared[:10])}: those instances are "
            "treated as perfectly correlated (their peaks coincide)."
        )
    if unmatched:
        notes.append(
            f"No trace for {', '.join(unmatched[:10])}: sized from util_peak_pct as a flat series."
        )
    used_set = set(used)
    unused = [str(c) for c in frame.columns if c not in used_set]
    notes.insert(
        0,
        f"{len(matched)} of {len(matched) + len(unmatched)} servers traced "
        f"({len(used)} series used of {frame.shape[1]} read).",
    )
    return TraceJoin(
        frame=aligned,
        assignment=assignment,
        servers_matched=matched,
        servers_unmatched=unmatched,
        shared_servers=shared,
        unused_traces=unused,
        spans=spans,
        align=align,
        overlap=overlap,
        notes=notes,
    )


__all__ = [
    "Align",
    "ALIGNS",
    "FOLD_STATISTICS",
    "MONITOR_FORMATS",
    "FOLD_EPOCH",  # noqa: F822 - made on first use (module __getattr__)
    "FOLD_EPOCH_TEXT",
    "TraceJoin",
    "read_mapping",
    "read_server_traces",
    "match_series",
    "align_traces",
    "join_traces",
]
