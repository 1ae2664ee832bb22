"""``colonykit pack`` and ``colonykit stagger``: time-series packing and staggering of movable peaks."""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from colonykit import packing, staggering
from colonykit._atomic import atomic_write_text
from colonykit._cells import csv_safe_frame
from colonykit._inputs import refuse_special
from colonykit.cli._common import (
    add_format,
    demand_in_unit,
    emit_json,
    emit_table,
    path_arg,
    pct_arg,
    positive_float,
    refuse_overwriting_inputs,
)
from colonykit.errors import InputError, log_or_raise
from colonykit.units import DEMAND_UNITS


def _add_trace_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "traces",
        help="trace file or directory (long/wide CSV, Parquet, sadf -d, nmon, "
        "the ../shared/data layouts)",
    )
    p.add_argument(
        "--interval",
        default=None,
        metavar="DUR",
        help="resample to this interval (e.g. 5min); default: the traces' own",
    )
    p.add_argument(
        "--unit", default=None, choices=DEMAND_UNITS, help="demand unit when the file does not say"
    )


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``pack`` and ``stagger`` commands."""
    p = sub.add_parser(
        "pack",
        help="hosts/LPARs needed when guests are packed by their time series",
        description="Assign servers to hosts so that every host's summed demand stays within "
        "host capacity × max utilization at every time step (SG24-6299 §2.3 white "
        "space); compares with the lower bound and peak-based first-fit-decreasing.",
    )
    _add_trace_options(p)
    p.add_argument(
        "--host-capacity",
        required=True,
        type=positive_float,
        metavar="X",
        help="capacity of one host in the traces' unit (cpu_pct traces: percentage "
        "points of one source server)",
    )
    p.add_argument(
        "--max-util-pct",
        type=pct_arg,
        default=packing.DEFAULT_MAX_UTIL_PCT,
        metavar="N",
        help="maximum utilization of a host in %% (default 100)",
    )
    p.add_argument(
        "--method",
        choices=packing.METHODS,
        default="auto",
        help="auto (exact MILP for small sets, else heuristic), milp or heuristic",
    )
    p.add_argument(
        "--anti-affinity",
        action="append",
        default=[],
        metavar="A,B",
        help="two servers that must be on different hosts (repeatable)",
    )
    add_format(p)
    p.set_defaults(func=run_pack)

    s = sub.add_parser(
        "stagger",
        help="move movable peaks (backups, batch) to lower the composite peak",
        description="Choose shifts for movable jobs within their allowed windows so that the "
        "composite peak is minimal (SG24-6299 §2.3, Figure 2-5); never raises it.",
    )
    _add_trace_options(s)
    s.add_argument(
        "--windows",
        default=None,
        metavar="CSV",
        help="movable jobs: columns server, earliest, latest, duration "
        "[, start, every, baseline]; without it, recurring spikes are detected",
    )
    s.add_argument(
        "--period",
        default="1D",
        metavar="DUR",
        help="recurrence for spike detection (steps or a duration; default 1D)",
    )
    s.add_argument(
        "--earliest",
        default=None,
        metavar="T",
        help="allowed earliest start of detected jobs (e.g. 00:00)",
    )
    s.add_argument(
        "--latest",
        default=None,
        metavar="T",
        help="allowed latest start of detected jobs (e.g. 06:00)",
    )
    s.add_argument(
        "--method", choices=staggering.METHODS, default="auto", help="auto, milp (exact) or greedy"
    )
    s.add_argument(
        "--output",
        default=None,
        metavar="CSV",
        help="write the staggered traces as a wide CSV (atomically)",
    )
    add_format(s)
    s.set_defaults(func=run_stagger)


def _read(args: argparse.Namespace) -> pd.DataFrame:
    from colonykit.ingest import read_traces  # built with the trace readers (issue 3 part 1)

    refuse_special(args.traces, "traces")
    demand, meta = read_traces(args.traces, interval=args.interval, unit=args.unit)
    return demand_in_unit(demand, meta, args.unit)


def _pairs(items: list[str]) -> list[tuple[str, str]]:
    pairs = []
    for text in items:
        parts = [t.strip() for t in text.split(",")]
        if len(parts) != 2 or not all(parts):
            msg = f"'--anti-affinity' must be two server names 'A,B' (got {text!r})"
            raise InputError(msg)
        pairs.append((parts[0], parts[1]))
    return pairs


def _time_arg(text: str | None) -> int | str | None:
    """Row positions arrive as text; times of day and timestamps stay text."""
    if text is None:
        return None
    return int(text) if text.strip().lstrip("-").isdigit() else text


def run_pack(args: argparse.Namespace) -> int:
    """Handler of ``colonykit pack``."""
    demand = _read(args)
    result = packing.pack(
        demand,
        args.host_capacity,
        args.max_util_pct,
        method=args.method,
        anti_affinity=_pairs(args.anti_affinity) or None,
    )
    if args.format == "json":
        emit_json(result.to_dict())
        return 0
    unit = f" {result.unit}" if result.unit else ""
    print(
        f"hosts used: {result.hosts_used} ({result.method}{', optimal' if result.optimal else ''})"
    )
    print(
        f"lower bound: {result.lower_bound} ({result.bound} bound)   gap: {result.gap_hosts} "
        f"host(s)   peak-based FFD: {result.ffd_peak_hosts} hosts"
    )
    print(f"usable capacity per host: {result.capacity:,.1f}{unit}")
    if result.search is not None:
        print(f"local search: {result.search.iterations:,} iterations ({result.search.stopped})")
    print()
    emit_table(result.hosts)
    return 0


def run_stagger(args: argparse.Namespace) -> int:
    """Handler of ``colonykit stagger``."""
    output = path_arg(args.output, "--output") if args.output is not None else None
    if output is not None:
        inputs = {"traces": Path(args.traces)}
        if args.windows:
            inputs["--windows"] = Path(args.windows)
        refuse_overwriting_inputs({"--output": output}, inputs)
    if args.windows and (args.earliest or args.latest or args.period != "1D"):
        log_or_raise(
            False,
            "--period, --earliest and --latest apply to detected spikes only; with --windows "
            "they are ignored",
        )
    demand = _read(args)
    if args.windows:
        try:
            table = pd.read_csv(args.windows, dtype=str, skipinitialspace=True)
        except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
            msg = f"cannot read windows file {args.windows}: {exc}"
            raise InputError(msg) from exc
        windows = staggering.windows_from_frame(table, where=str(args.windows))
    else:
        period: int | str = int(args.period) if args.period.isdigit() else args.period
        windows = staggering.detect_spikes(
            demand, period, earliest=_time_arg(args.earliest), latest=_time_arg(args.latest)
        )
    result = staggering.stagger(demand, windows, method=args.method)
    if output is not None:
        atomic_write_text(output, csv_safe_frame(result.shifted).to_csv())
    if args.format == "json":
        emit_json(result.to_dict())
        return 0
    print(
        f"composite peak: {result.peak_before:,.1f} -> {result.peak_after:,.1f} "
        f"({result.reduction_pct:.1f} % lower; {result.method}{', optimal' if result.optimal else ''})"
    )
    if len(result.shifts):
        print()
        emit_table(result.shifts.drop(columns=["shift"]).set_index("server"))
    else:
        print("no movable jobs found")
    return 0
