"""``colonykit paging …`` and ``colonykit channels …``: paging space and channel load."""

from __future__ import annotations

import argparse

from colonykit import channels, paging, reference, storage
from colonykit.cli._common import (
    add_format,
    count_arg,
    emit_json,
    emit_table,
    emit_values,
    nonneg_float,
    pct_arg,
    positive_float,
    positive_int,
)


def _rule_names() -> list[str]:
    return paging.rule_names()


def _model_names() -> list[str]:
    """3390 models offered for paging: not the EAV (no z/VM source for CP paging on one; docs/io.md)."""
    rows = reference.bundled_rows("dasd_models", "model")
    return [m for m, r in rows.items() if int(float(r["cylinders"])) <= storage.NON_EAV_MAX_CYL]


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``paging`` and ``channels`` commands."""
    p = sub.add_parser(
        "paging",
        help="z/VM paging space and paging volumes for a colony",
        description="Paging space by a named rule (seed 003 §9.1.1 and others), as GiB, 4-KiB "
        "page slots and 3390 volumes (one extent per volume, cylinder 0 not usable).",
    )
    p.add_argument("--guests", type=count_arg, required=True, metavar="N", help="number of guests")
    p.add_argument(
        "--guest-mib",
        type=positive_float,
        required=True,
        metavar="M",
        help="virtual storage of each guest [MiB]",
    )
    p.add_argument(
        "--real-mib",
        type=positive_float,
        required=True,
        metavar="R",
        help="real storage of the z/VM LPAR [MiB]",
    )
    p.add_argument(
        "--vdisk-mib",
        type=nonneg_float,
        default=0.0,
        metavar="V",
        help="VDISK swap of each guest [MiB] (default 0)",
    )
    p.add_argument(
        "--rule",
        default=paging.DEFAULT_RULE,
        metavar="NAME",
        help=f"paging rule: {', '.join(_rule_names())}, or 'all' to compare "
        f"(default {paging.DEFAULT_RULE})",
    )
    p.add_argument(
        "--volume-model",
        default="3390-9",
        metavar="MODEL",
        help=f"3390 model of the paging volumes: {', '.join(_model_names())} (default 3390-9)",
    )
    p.add_argument(
        "--page-io-rate",
        type=nonneg_float,
        default=0.0,
        metavar="R",
        help="page I/O per second: adds devices to stay at <= 20%% busy each (default 0)",
    )
    add_format(p)
    p.set_defaults(func=run_paging)

    c = sub.add_parser(
        "channels",
        help="channel path busy, paths needed and response time",
        description="Path demand %% = connect ms × I/O per s ÷ 10 (IBM; seed 003 §8.10.3), "
        "paths needed to stay at or below a maximum busy, M/M/c response time.",
    )
    c.add_argument(
        "--io-rate", type=nonneg_float, required=True, metavar="R", help="I/O per second"
    )
    c.add_argument(
        "--connect-ms",
        type=nonneg_float,
        required=True,
        metavar="C",
        help="average connect time per I/O [ms]",
    )
    c.add_argument(
        "--paths", type=positive_int, default=1, metavar="P", help="channel paths (default 1)"
    )
    c.add_argument(
        "--max-busy-pct",
        type=pct_arg,
        default=None,
        metavar="B",
        help="target maximum busy per path in %% (default 50, IBM)",
    )
    add_format(c)
    c.set_defaults(func=run_channels)


def run_paging(args: argparse.Namespace) -> int:
    """Handler of ``colonykit paging``."""
    virtual = args.guests * args.guest_mib
    vdisk = args.guests * args.vdisk_mib
    if args.rule == "all":
        table = paging.compare_rules(
            virtual,
            args.real_mib,
            vdisk,
            volume_model=args.volume_model,
            page_io_rate_per_s=args.page_io_rate,
        )
        if args.format == "json":
            emit_json({"rules": table.reset_index().to_dict(orient="records")})
        else:
            emit_table(table.drop(columns=["source"]), floatfmt="{:,.2f}")
        return 0
    result = paging.paging_space(
        virtual,
        args.real_mib,
        vdisk,
        args.rule,
        volume_model=args.volume_model,
        page_io_rate_per_s=args.page_io_rate,
    )
    if args.format == "json":
        emit_json(result.to_dict())
        return 0
    d = result.to_dict()
    rows = {
        k: d[k]
        for k in (
            "rule",
            "paging_gib",
            "pages",
            "volume_model",
            "volumes",
            "volumes_for_space",
            "devices_for_io",
            "basis",
            "basis_mib",
            "multiplier",
            "max_allocated_pct",
            "capacity_gib",
            "source",
        )
    }
    emit_values(rows)
    return 0


def run_channels(args: argparse.Namespace) -> int:
    """Handler of ``colonykit channels``."""
    result = channels.channel_load(args.io_rate, args.connect_ms, args.paths, args.max_busy_pct)
    if args.format == "json":
        emit_json(result.to_dict())
        return 0
    emit_values(result.to_dict())
    return 0
