"""``colonykit size INVENTORY --target MODEL …``: workload-factor CPU sizing."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from colonykit import reference, sizing
from colonykit.cli._common import (
    add_format,
    add_trace_time_options,
    emit_json,
    emit_table,
    pct_arg,
    plain_table,
)
from colonykit.errors import log_or_raise

#: Columns of the per-server table and of the engines table (both paths print these).
SERVER_COLUMNS = (
    "server",
    "count",
    "workload_class",
    "util_pct",
    "mips_low",
    "mips_typical",
    "mips_high",
    "mips_typical_total",
)
TARGET_COLUMNS = (
    "engines",
    "required_mips",
    "capacity_mips",
    "util_at_engines_pct",
    "fits_machine",
)


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``size`` command."""
    p = sub.add_parser(
        "size",
        help="MIPS and engines needed for a server inventory (WLF sizing)",
        description="Workload-factor sizing (SG24-6299 §2.4): MIPS needed = "
        "utilization × capacity × WLF, as a low/typical/high range.",
    )
    p.add_argument("inventory", help="inventory CSV or Excel file")
    p.add_argument(
        "--sheet",
        default=None,
        metavar="NAME",
        help="Excel sheet of the inventory (default: the one sheet with a 'server' column)",
    )
    p.add_argument(
        "--target",
        required=True,
        metavar="MODEL",
        help="target processor model from the catalog (e.g. z15, z16)",
    )
    p.add_argument(
        "--basis",
        choices=("avg", "peak"),
        default="peak",
        help="utilization column to size on (default: peak)",
    )
    p.add_argument(
        "--target-util-pct",
        type=pct_arg,
        default=None,
        metavar="N",
        help="target maximum engine utilization in %% (default from constants.csv: 90)",
    )
    p.add_argument(
        "--smt",
        action=argparse.BooleanOptionalAction,
        default=False,
        help="count SMT-2 uplift on the target IFLs (default: off)",
    )
    p.add_argument(
        "--cp-overhead-pct",
        type=float,
        default=None,
        metavar="N",
        help="z/VM CP overhead in %% of busy time (default 5)",
    )
    p.add_argument(
        "--no-on-demand-timer",
        dest="on_demand_timer",
        action="store_false",
        help="guests run a 10 ms timer: add 0.2-0.3%% of a G5 engine per guest",
    )
    p.add_argument(
        "--processors",
        default=None,
        metavar="CSV",
        help="your own processor table (e.g. from zPCR) instead of the bundled one",
    )
    p.add_argument(
        "--workload-classes",
        default=None,
        metavar="CSV",
        help="your own workload-class table (tpm/MIPS low/typical/high) instead of the bundled one",
    )
    p.add_argument(
        "--traces",
        default=None,
        metavar="PATH",
        help="the servers' own utilization traces (file or directory): size on their composite",
    )
    p.add_argument(
        "--mapping",
        default=None,
        metavar="CSV",
        help="'server,trace' CSV overriding the match of inventory servers to trace series",
    )
    p.add_argument(
        "--align",
        choices=("absolute", "time-of-day", "time-of-week"),
        default="absolute",
        help="time alignment of the captures (default absolute: refuse too short an overlap)",
    )
    p.add_argument(
        "--fold-statistic",
        choices=("max", "mean"),
        default="max",
        help="slot statistic when folding onto a typical day/week (default max)",
    )
    p.add_argument(
        "--statistic",
        choices=("peak", "p95"),
        default="peak",
        help="statistic of the composite that sizes the engines (default peak)",
    )
    p.add_argument(
        "--start",
        default=None,
        metavar="TIME",
        help="time of step 0 for step-indexed traces (e.g. 2013-09-02T00:00Z)",
    )
    p.add_argument("--tz", default="UTC", help="time zone of naive timestamps (default UTC)")
    add_trace_time_options(p)
    add_format(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Handler of ``colonykit size``."""
    classes = reference.workload_classes(args.workload_classes) if args.workload_classes else None
    if not args.traces:
        ignored = [
            flag
            for flag, value, default in (
                ("--mapping", args.mapping, None),
                ("--align", args.align, "absolute"),
                ("--fold-statistic", args.fold_statistic, "max"),
                ("--statistic", args.statistic, "peak"),
                ("--start", args.start, None),
            )
            if value != default
        ]
        if ignored:
            msg = f"{', '.join(ignored)} appl(y/ies) to --traces only; not given, so ignored"
            log_or_raise(False, msg)
    sheet = args.sheet
    if sheet is not None and not str(args.inventory).lower().endswith((".xlsx", ".xlsm")):
        log_or_raise(
            False, f"--sheet applies to Excel workbooks only; {args.inventory} is read as CSV"
        )
        sheet = None
    elif sheet is not None and sheet.isdigit():
        sheet = int(sheet)
    if not (args.traces or args.processors or args.workload_classes):
        code = run_plain(args)
        if code is not None:
            return code
    from colonykit.ingest import read_inventory

    inv, meta = read_inventory(args.inventory, sheet=sheet, workload_table=classes)
    for note in meta.get("conversions", []):  # what the reader converted (units, spellings)
        sys.stderr.write(f"note: {note}\n")
    procs = reference.processors(args.processors) if args.processors else None
    overrides = {"basis": args.basis, "smt": args.smt, "on_demand_timer": args.on_demand_timer}
    if args.target_util_pct is not None:
        overrides["target_util_pct"] = args.target_util_pct
    if args.cp_overhead_pct is not None:
        overrides["cp_overhead_pct"] = args.cp_overhead_pct
    result = sizing.size_inventory(
        inv, args.target, processor_table=procs, workload_table=classes, **overrides
    )
    composite = None
    if args.traces:
        from colonykit import measured
        from colonykit.ingest.join import join_traces

        join = join_traces(
            inv,
            args.traces,
            mapping=args.mapping,
            align=args.align,
            fold_statistic=args.fold_statistic,
            start=args.start,
            tz=args.tz,
            dayfirst=args.dayfirst,
            date_format=args.date_format,
        )
        composite = measured.measured_sizing(inv, result, join, args.statistic)
    if args.format == "json":
        out = result.to_dict()
        if composite is not None:
            out["composite"] = composite.to_dict()
        emit_json(out)
        return 0
    emit_table(result.servers[list(SERVER_COLUMNS)].set_index("server"))
    print()
    emit_table(result.target[list(TARGET_COLUMNS)])
    print()
    print(result.summary())
    if composite is not None:
        print(composite.summary())
    return 0


def run_plain(args: argparse.Namespace) -> int | None:
    """``colonykit size`` on a plain CSV with the bundled tables, without pandas (issue 25 §5).

    The same functions as the library path (:func:`colonykit.inventory_schema.check_columns`,
    :func:`colonykit.sizing.size_columns`, :func:`colonykit.sizing.sizing_dict`,
    :func:`colonykit.sizing.summary_text`), fed from the csv module instead of DataFrames; the
    output is the library path's, character for character (tests/test_cli_size_plain.py).
    None when the file is not a plain CSV (then the pandas reader reads it).
    """
    from colonykit import inventory_schema as schema
    from colonykit.frames import reference_names

    p = Path(args.inventory)
    schema.check_path(p)
    grid = schema.plain_csv_grid(p)
    if grid is None or not all(c.isprintable() for row in grid for c in row):
        return None  # not plain, or a text pandas prints escaped
    classes, units = reference_names()
    cols, _rows, report = schema.check_columns(
        schema.header_first(grid, p.name),
        source=p.name,
        class_names=classes,
        unit_needs_cores=units,
    )
    for note in report["conversions"]:
        sys.stderr.write(f"note: {note}\n")
    overrides: dict[str, Any] = {
        "basis": args.basis,
        "smt": args.smt,
        "on_demand_timer": args.on_demand_timer,
    }
    if args.target_util_pct is not None:
        overrides["target_util_pct"] = args.target_util_pct
    if args.cp_overhead_pct is not None:
        overrides["cp_overhead_pct"] = args.cp_overhead_pct
    from dataclasses import replace

    opts = replace(sizing.SizingOptions(), **overrides)
    proc = sizing.TargetProcessor.from_bundled(args.target)
    procs = reference.bundled_rows("processors", "model")
    sizing.smt_check(
        proc,
        opts,
        [m for m, r in procs.items() if r["smt_available"].lower() in ("true", "1", "yes")],
    )
    g5 = (
        sizing.TargetProcessor.from_bundled("g5").engine_mips_1way
        if not opts.on_demand_timer and "g5" in procs
        else None
    )
    tables = sizing.SizingTables.bundled()
    core = sizing.size_columns(cols, proc, opts, tables, g5_mips=g5, source=p.name)
    servers = {c: (v if isinstance(v, list) else v.tolist()) for c, v in core.servers.items()}
    n = len(servers["server"])
    low = tables.low_confidence(servers["capacity_unit"])
    if args.format == "json":
        rows = [{c: servers[c][i] for c in servers} for i in range(n)]
        emit_json(
            sizing.sizing_dict(rows, core.total, core.target_rows, proc, low, core.assumptions)
        )
        return 0
    first = plain_table("server", servers["server"], [(c, servers[c]) for c in SERVER_COLUMNS[1:]])
    second = plain_table(
        "bound",
        [str(r["bound"]) for r in core.target_rows],
        [(c, [r[c] for r in core.target_rows]) for c in TARGET_COLUMNS],
    )
    if first is None or second is None:  # not for validated names; pandas lays the tables out
        import pandas as pd

        emit_table(pd.DataFrame({c: servers[c] for c in SERVER_COLUMNS}).set_index("server"))
        print()
        emit_table(pd.DataFrame(core.target_rows).set_index("bound")[list(TARGET_COLUMNS)])
        print()
    else:
        sys.stdout.write(first + "\n\n" + second + "\n\n")
    engines = {str(r["bound"]): int(r["engines"]) for r in core.target_rows}
    print(sizing.summary_text(sum(servers["count"]), opts, core.total, engines, proc.model, low))
    return 0
