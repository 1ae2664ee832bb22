"""``colonykit report SCENARIO --out report.html``: the self-contained workshop report."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from colonykit import plan, report
from colonykit.cli._common import load_scenario
from colonykit.errors import InputError


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``report`` command."""
    p = sub.add_parser("report", help="build the plan of a scenario and write a self-contained HTML report",
                       description="Scenario YAML -> one offline HTML file (plotly.js inlined) with the "
                                   "assumptions, sizing ranges, findings, hosts and the chosen design.")
    p.add_argument("scenario", help="scenario YAML (see data/examples/scenario.yaml)")
    p.add_argument("--out", default="report.html", metavar="FILE",
                   help="HTML file to write (default: report.html)")
    p.add_argument("--title", default=None, help="page title (default: 'colonykit report: <plan name>')")
    p.add_argument("--images", default=None, metavar="DIR",
                   help="also write each figure as a static image into DIR (needs kaleido + Chromium)")
    p.add_argument("--image-format", default="png", choices=("png", "svg", "pdf"),
                   help="format of --images (default: png)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Handler of ``colonykit report``; exit 0 when written (findings are in the report)."""
    out = Path(args.out)
    if out.is_dir():
        msg = f"--out must be a file name, but {out} is a folder"
        raise InputError(msg)
    result = plan.build_plan(load_scenario(args.scenario))
    path = report.write_report(result, out, title=args.title)
    if args.images:
        images = report.write_images(result, args.images, fmt=args.image_format)
        sys.stdout.write(f"wrote {len(images)} images to {args.images}\n")
    errors = sum(f.severity == "error" for f in result.plan.findings)
    warnings = len(result.plan.findings) - errors
    sys.stdout.write(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB; findings: {errors} error(s), "
                     f"{warnings} warning(s))\n")
    return 0
