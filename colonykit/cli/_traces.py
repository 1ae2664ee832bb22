"""``colonykit whitespace TRACES …``: composite / white-space analysis of utilisation traces."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from colonykit import reference, whitespace
from colonykit._inputs import refuse_special
from colonykit._lazy import lazy_module
from colonykit.cli._common import (
    add_format,
    add_trace_time_options,
    demand_in_unit,
    emit_json,
    emit_table,
    nonneg_float,
    positive_float,
)
from colonykit.errors import InputError
from colonykit.ingest.join import ALIGNS, FOLD_STATISTICS, align_traces
from colonykit.ingest.traces import (
    FILL_RULES,
    FORMATS,
    UNITS,
    TraceGrid,
    read_capacity_table,
    read_trace_grid,
    trace_frame,
)

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
else:  # `whitespace FILE --format json` on complete traces runs without pandas (issue 25)
    np = lazy_module("numpy")
    pd = lazy_module("pandas")


def _interval(text: str) -> str:
    try:
        seconds = pd.Timedelta(text).value / 1e9  # ns: total_seconds() rounds to µs at pandas 2.2
    except (ValueError, TypeError):
        seconds = -1.0
    if seconds <= 0:
        msg = f"must be a duration such as 5min, 300s or 1h (got {text!r})"
        raise argparse.ArgumentTypeError(msg)
    return text


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``whitespace`` command."""
    p = sub.add_parser(
        "whitespace",
        help="sum of peaks vs composite peak and white space of utilisation traces",
        description="Composite analysis (SG24-6299 §2.3): servers are sized for their own peaks, "
        "the composite peaks lower. white_space_pct = 100 x (1 - composite_peak / "
        "sum_of_peaks).",
    )
    p.add_argument(
        "traces",
        help="trace file or directory (long/wide CSV, Parquet, .gz, "
        "one file per server, sadf -d, sar -A, nmon)",
    )
    p.add_argument(
        "--interval",
        type=_interval,
        default=None,
        metavar="DUR",
        help="common interval, e.g. 5min (samples are averaged within it; "
        "default: the native interval)",
    )
    p.add_argument(
        "--unit",
        choices=UNITS,
        default=None,
        help="unit to analyse in (default: the file's; mips needs --capacity for cpu_pct traces)",
    )
    p.add_argument(
        "--capacity",
        default=None,
        metavar="CSV",
        help="per-server capacity table (inventory, or a _vms.csv with "
        "cpu_capacity_mhz/cpu_mhz) used for unit conversion and as the "
        "configured capacity",
    )
    p.add_argument(
        "--headroom-pct",
        type=nonneg_float,
        default=None,
        metavar="N",
        help="headroom kept above the composite peak (default 10)",
    )
    p.add_argument("--tz", default="UTC", help="time zone of naive timestamps (default UTC)")
    p.add_argument(
        "--step-s",
        type=positive_float,
        default=None,
        metavar="S",
        help="seconds per integer step (default 300)",
    )
    p.add_argument(
        "--start",
        default=None,
        metavar="TIME",
        help="time of step 0 for step-indexed traces (e.g. 2013-09-02T00:00Z)",
    )
    p.add_argument(
        "--fill",
        choices=FILL_RULES,
        default="ffill",
        help="gap filling rule (never before a series' first sample; ffill: within the common "
        "span after alignment)",
    )
    add_trace_time_options(p)
    p.add_argument(
        "--align",
        choices=ALIGNS,
        default="absolute",
        help="time alignment of the captures, as for 'size' (default absolute: the common span; "
        "refused when shorter than --min-overlap-h)",
    )
    p.add_argument(
        "--fold-statistic",
        choices=FOLD_STATISTICS,
        default="max",
        help="slot statistic when folding onto a typical day/week (default max)",
    )
    p.add_argument(
        "--min-overlap-h",
        type=positive_float,
        default=None,
        metavar="H",
        help="shortest common span accepted for --align absolute (default 24, constant "
        "measured_min_overlap_h)",
    )
    p.add_argument(
        "--trace-format",
        choices=FORMATS,
        default="auto",
        dest="trace_format",
        help="force a trace layout (default: detect)",
    )
    p.add_argument(
        "--no-progress", dest="progress", action="store_false", default=None, help="no progress bar"
    )
    add_format(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Handler of ``colonykit whitespace``."""
    if args.headroom_pct is not None and args.headroom_pct >= 100:
        msg = f"'--headroom-pct' must be in 0..100 (exclusive of 100) (got {args.headroom_pct})"
        raise InputError(msg)
    refuse_special(args.traces, "traces")
    grid = read_trace_grid(
        args.traces,
        interval=args.interval,
        unit=args.unit,
        fmt=args.trace_format,
        tz=args.tz,
        step_s=args.step_s,
        fill="none" if args.fill == "ffill" else args.fill,
        progress=args.progress,
        dayfirst=args.dayfirst,
        date_format=args.date_format,
    )
    plain = complete_grid_json(grid, args)
    if plain is not None:  # complete traces, JSON: the same figures without pandas
        emit_json(plain)
        return 0
    frame, meta = trace_frame(
        grid, fill="none" if args.fill == "ffill" else args.fill, tz=args.tz, start=args.start
    )
    # the same alignment as size/plan: the common span (or a fold), filled within it, the
    # filled share of each series stated (warning) at its own interval
    frame, spans, _overlap, notes = align_traces(
        frame,
        align=args.align,
        statistic=args.fold_statistic,
        min_overlap_h=args.min_overlap_h,
        source=str(args.traces),
        tz=args.tz,
        short="warn",
    )
    notes = [*meta.get("notes", []), *notes]
    frame = demand_in_unit(frame, meta, args.unit, args.capacity)
    configured = None
    if args.capacity is not None:
        from colonykit import sizing

        cap = sizing.capacity_mips(read_capacity_table(args.capacity))
        configured = whitespace_configured(cap, frame)
    result = whitespace.analyze(frame, headroom_pct=args.headroom_pct, configured=configured)
    out = result.to_dict()
    filled_frac = spans["filled_frac"].to_numpy()
    out["gaps_filled"] = int(meta["gaps_filled"]) + int(
        round(float((filled_frac * len(frame)).sum()))
    )
    out["source"] = meta["source"]
    out["servers_traced"] = int(frame.shape[1])
    out["align"] = args.align
    out["trace_notes"] = list(notes)
    out["filled_frac_max"] = float(filled_frac.max()) if filled_frac.size else 0.0
    if args.format == "json":
        emit_json(out)
        return 0
    for note in notes:
        sys.stderr.write(f"note: {note}\n")
    print(result.summary())
    print()
    emit_table(result.sources)
    return 0


def whitespace_configured(cap_mips: pd.Series, frame: pd.DataFrame) -> pd.Series | None:
    """Configured capacity per server in the frame's unit, from MIPS at 100 % busy."""
    unit = frame.attrs.get("unit", "cpu_pct")
    names = [str(c) for c in frame.columns]
    cap = cap_mips.reindex(names)
    if cap.isna().any():
        missing = cap.index[cap.isna()].tolist()[:5]
        msg = f"--capacity has no row for server(s) {missing}"
        raise InputError(msg)
    if unit == "mips":
        return cap
    if unit == "cpu_pct":
        return None
    from colonykit import sizing

    return cap / sizing.mhz_to_mips_factor()


class _UtcStamps:
    """Row labels of a timestamp grid as ``datetime`` (UTC), made one at a time (no pandas).

    Only for grids on whole microseconds: ``str`` and ``isoformat`` of these labels are then
    those of the ``pandas.Timestamp`` the frame path labels the rows with.
    """

    def __init__(self, origin_ns: int, step_ns: int, n: int) -> None:
        self.origin_ns, self.step_ns, self.n = origin_ns, step_ns, n

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, i: int) -> Any:
        import datetime as dt

        if not -self.n <= i < self.n:
            raise IndexError(i)
        us = (self.origin_ns + (i % self.n) * self.step_ns) // 1000
        return dt.datetime(1970, 1, 1, tzinfo=dt.UTC) + dt.timedelta(microseconds=us)


def complete_grid_json(grid: TraceGrid, args: argparse.Namespace) -> dict[str, Any] | None:
    """``whitespace --format json``'s output for traces without a gap, computed without pandas.

    None (the frame path: fill, align, convert, then :func:`whitespace.analyze`) unless the
    output is JSON, no capacity table, unit conversion or fold is asked for, every series has
    a sample at every step of one common span at least ``--min-overlap-h`` long, and the
    reader stated nothing about the files.  Then aligning and filling change nothing and the
    figures are :func:`whitespace.analyze_values` on the grid itself: the same output
    (tests/test_whitespace_plain_path.py compares both paths).

    Parameters
    ----------
    grid : TraceGrid
        The traces read (:func:`colonykit.ingest.traces.read_trace_grid`).
    args : argparse.Namespace
        The command's options.

    Returns
    -------
    dict or None
        The JSON object the command prints, or None.
    """
    if args.format != "json" or args.capacity is not None or args.align != "absolute":
        return None
    if (args.unit is not None and args.unit != grid.unit) or any(pt.notes for pt in grid.parts):
        return None
    if grid.kind == "step" and args.start is not None:
        return None
    wide = grid.wide
    n, m = wide.shape
    if n == 0 or m == 0 or bool(np.isnan(np.min(wide))):  # a gap: filled by the frame path
        return None
    index: Any
    if grid.kind == "timestamp":
        span_ns = (n - 1) * grid.grid_ns
        if grid.origin % 1000 or grid.grid_ns % 1000 or span_ns % 10**9:
            return None  # labels finer than a microsecond: pandas formats them
        index = _UtcStamps(grid.origin, grid.grid_ns, n)
        length_h = float(span_ns // 10**9) / 3600.0
        first, last = index[0], index[n - 1]
    else:
        index = range(grid.origin, grid.origin + n)
        length_h = (n - 1) * grid.grid_s / 3600.0
        first, last = grid.origin, grid.origin + n - 1
    min_h = float(
        args.min_overlap_h
        if args.min_overlap_h is not None
        else reference.constant("measured_min_overlap_h")
    )
    if length_h + grid.grid_s / 3600.0 < min_h:
        return None  # the frame path warns (or refuses)
    figures = whitespace.analyze_values(
        wide,
        grid.names,
        index,
        unit=grid.unit,
        interval_s=grid.grid_s,
        headroom_pct=args.headroom_pct,
    )
    out = figures.to_dict()
    out["gaps_filled"] = 0
    out["source"] = grid.source
    out["servers_traced"] = int(m)
    out["align"] = args.align
    out["trace_notes"] = [
        f"Aligned on absolute time: common span {first} .. {last} ({length_h:.1f} h)."
    ]
    out["filled_frac_max"] = 0.0
    return out
