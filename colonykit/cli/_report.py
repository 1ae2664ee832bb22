"""``colonykit report SCENARIO --out report.html [--pdf report.pdf] [--xlsx tables.xlsx]``: the handout."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from colonykit.cli._common import path_arg
from colonykit.errors import InputError, log_or_raise


def _file_arg(out: str | None, flag: str) -> Path | None:
    if out is None:
        return None
    p = path_arg(out, flag)
    if p.is_dir():
        msg = f"{flag} must be a file name, but {p} is a folder"
        raise InputError(msg)
    return p


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``report`` command."""
    p = sub.add_parser(
        "report",
        help="build the plan of a scenario and write the customer handout (HTML, PDF, xlsx)",
        description="Scenario YAML -> one offline HTML file (plotly.js inlined): title page, "
        "one-page executive summary, details, references. --pdf prints it with "
        "headless Chromium; --xlsx writes the tables to one workbook.",
    )
    p.add_argument("scenario", help="scenario YAML (see data/examples/scenario.yaml)")
    p.add_argument(
        "--out",
        default="report.html",
        metavar="FILE",
        help="HTML file to write (default: report.html)",
    )
    p.add_argument(
        "--pdf", default=None, metavar="FILE", help="also print the report to this PDF (Chromium)"
    )
    p.add_argument(
        "--xlsx",
        default=None,
        metavar="FILE",
        help="also write the tables (sizing, hosts, guests, storage, findings, assumptions)",
    )
    p.add_argument(
        "--title",
        default=None,
        help="document title (default: 'Linux consolidation plan: <project>')",
    )
    for name in ("customer", "project", "author", "date"):
        p.add_argument(
            f"--{name}",
            default=None,
            help=f"title page {name} (default: the scenario's metadata.{name})",
        )
    p.add_argument(
        "--images",
        default=None,
        metavar="DIR",
        help="also write each figure as a static image into DIR (needs kaleido + Chromium)",
    )
    p.add_argument(
        "--image-format",
        default="png",
        choices=("png", "svg", "pdf"),
        help="format of --images (default: png)",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Handler of ``colonykit report``; exit 0 when written (findings are in the report)."""
    from colonykit import plan, report
    from colonykit._optional import require
    from colonykit.cli._common import (
        load_scenario,
        refuse_overwriting_inputs,
        scenario_inputs,
    )

    out = _file_arg(args.out, "--out")
    pdf = _file_arg(args.pdf, "--pdf")
    xlsx = _file_arg(args.xlsx, "--xlsx")
    if xlsx is not None:  # before any work: name the extra on a core install
        require("openpyxl", extra="excel", purpose="report --xlsx")
    if args.images:  # likewise for the static images (kaleido)
        require("kaleido", extra="browser", purpose="report --images")
    if args.image_format != "png" and not args.images:
        log_or_raise(False, "--image-format applies to --images only; no images are written")
    scenario = load_scenario(args.scenario)
    outs = {"--out": out, "--pdf": pdf, "--xlsx": xlsx}
    given = {flag: p for flag, p in outs.items() if p is not None}
    if args.images:
        given["--images"] = path_arg(args.images, "--images")
    refuse_overwriting_inputs(given, scenario_inputs(scenario, args.scenario))
    result = plan.build_plan(scenario)
    info = report.document_info(
        result, customer=args.customer, project=args.project, author=args.author, date=args.date
    )
    assert out is not None  # --out is required
    path = report.write_report(result, out, title=args.title, info=info)
    if pdf is not None:
        report.write_pdf(path, pdf)
        sys.stdout.write(f"wrote {pdf}\n")
    if xlsx is not None:
        report.write_xlsx(result, xlsx)
        sys.stdout.write(f"wrote {xlsx}\n")
    if args.images:
        images = report.write_images(result, args.images, fmt=args.image_format)
        sys.stdout.write(f"wrote {len(images)} images to {args.images}\n")
    errors = sum(f.severity == "error" for f in result.plan.findings)
    n_warn = len(result.plan.findings) - errors
    sys.stdout.write(
        f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB; findings: {errors} error(s), "
        f"{n_warn} warning(s))\n"
    )
    return 0
