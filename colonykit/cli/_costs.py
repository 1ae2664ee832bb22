"""``colonykit costs SCENARIO`` and ``colonykit compare A.yaml B.yaml …``: the business case (issue 22)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from colonykit.errors import InputError


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``costs`` and ``compare`` commands."""
    p = sub.add_parser(
        "costs",
        help="the business case of a scenario: cost per year, NPV, payback, licences, CO2e",
        description="Build the plan of a scenario and price today's servers and the colony "
        "year by year from its 'costs:' section (defaults and illustrative example values: "
        "colonykit/_data/cost_inputs.csv). The first line says when the result rests on "
        "example prices and which inputs are not priced.",
    )
    p.add_argument("scenario", help="scenario YAML with a 'costs:' section")
    p.add_argument("--format", choices=("table", "json"), default="table", help="output format")
    p.set_defaults(func=run_costs)
    c = sub.add_parser(
        "compare",
        help="build several scenarios and show their plans and business cases side by side",
        description="One column per scenario: engines (peak vs composite), LPARs, real "
        "storage, paging volumes, exhaustion date (with a capacity plan over time), licence "
        "cores, cost over the horizon, NPV, payback, energy, CO2e, confidence.",
    )
    c.add_argument("scenarios", nargs="+", help="two or more scenario YAML files")
    c.add_argument(
        "--format",
        choices=("table", "json", "xlsx"),
        default="table",
        help="output format (xlsx needs --out)",
    )
    c.add_argument("--out", default=None, metavar="FILE", help="workbook for --format xlsx")
    c.set_defaults(func=run_compare)


def run_costs(args: argparse.Namespace) -> int:
    """Handler of ``colonykit costs``; exit 2 without a 'costs:' section."""
    from colonykit import plan
    from colonykit.cli._common import emit_json, load_scenario
    from colonykit.plan.business import business_case_text

    scen = load_scenario(args.scenario)
    if scen.costs is None:
        msg = f"{args.scenario}: the scenario has no 'costs:' section (see data/examples/bitbrains_colony.yaml)"
        raise InputError(msg)
    result = plan.build_plan(scen, stagger_traces=False)
    res = result.business_case
    if res is None:  # pragma: no cover - build_plan sets it whenever costs is given
        msg = f"{args.scenario}: no business case was computed"
        raise InputError(msg)
    if args.format == "json":
        emit_json(res.to_dict())
    else:
        sys.stdout.write(business_case_text(res) + "\n")
    return 0


def run_compare(args: argparse.Namespace) -> int:
    """Handler of ``colonykit compare``."""
    from colonykit.cli._common import emit_json, load_scenario
    from colonykit.plan.compare import compare_scenarios

    if len(args.scenarios) < 2:
        msg = "compare needs two or more scenario files"
        raise InputError(msg)
    if args.format == "xlsx" and not args.out:
        msg = "--format xlsx needs --out FILE.xlsx"
        raise InputError(msg)
    comparison = compare_scenarios([load_scenario(s) for s in args.scenarios])
    if args.format == "json":
        emit_json(comparison.to_dict())
    elif args.format == "xlsx":
        from colonykit.report import write_comparison_xlsx

        out = write_comparison_xlsx(comparison, Path(args.out))
        sys.stdout.write(f"{comparison.first_line}\nwrote {out}\n")
    else:
        sys.stdout.write(comparison.text() + "\n")
    return 0
