"""``colonykit forecast SCENARIO [--format table|json]``: the plan over time (issue 21).

Builds the scenario's plan and projects it over its ``growth:`` section
(:func:`colonykit.forecast.project`): the exhaustion date of the installed plan, the date the
machine model's maximum is reached, and the upgrade schedule (what to add where, order-by
date) at the low / typical / high bounds.  ``--annual-pct``, ``--horizon-months`` and
``--forecast`` override the section for a quick what-if.
"""

from __future__ import annotations

import argparse

from colonykit.cli._common import add_format, emit_json, emit_table


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``forecast`` command."""
    p = sub.add_parser(
        "forecast",
        help="the plan over time: exhaustion date and upgrade schedule (scenario growth:)",
        description="Scenario YAML -> the plan projected over its growth: section: when the "
        "installed engines or storage run out, when the machine's maximum is reached, and "
        "what to add where, with order-by dates (need-by minus lead time), low/typical/high.",
    )
    p.add_argument("scenario", help="scenario YAML with a growth: section")
    p.add_argument(
        "--annual-pct",
        type=float,
        default=None,
        metavar="PCT",
        help="override growth.annual_pct (one rate for low, typical and high)",
    )
    p.add_argument(
        "--horizon-months",
        type=int,
        default=None,
        metavar="N",
        help="override growth.horizon_months",
    )
    p.add_argument(
        "--forecast",
        choices=("planned", "fitted"),
        default=None,
        help="override growth.forecast (fitted: each server's own trend, needs statsmodels)",
    )
    add_format(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Handler of ``colonykit forecast``; exit 0 when projected (exhaustion is an answer, not an error)."""
    from pydantic import ValidationError

    from colonykit import forecast, plan
    from colonykit.cli._common import load_scenario
    from colonykit.errors import raise_problems
    from colonykit.plan import validation_problems
    from colonykit.plan.scenario import GrowthModel

    scen = load_scenario(args.scenario)
    growth = scen.growth.model_dump() if scen.growth is not None else {}
    for key, value in (
        ("annual_pct", args.annual_pct),
        ("horizon_months", args.horizon_months),
        ("forecast", args.forecast),
    ):
        if value is not None:
            growth[key] = value
    try:
        model = GrowthModel.model_validate(growth)
    except ValidationError as exc:
        raise_problems(validation_problems(exc, "command line", GrowthModel), "invalid growth")
        raise  # pragma: no cover - raise_problems always raises here
    scen = scen.model_copy(update={"growth": None})  # project once, below
    result = plan.build_plan(scen)
    cap = forecast.project(result, model if (growth or scen.growth) else None)
    if args.format == "json":
        emit_json(cap.to_dict())
        return 0
    print(cap.summary())
    frame = cap.steps_frame()[
        [
            "month",
            "date",
            "guests",
            "peak_mips_low",
            "peak_mips_typical",
            "peak_mips_high",
            "engines_needed",
            "engines_installed",
            "engines_scheduled",
            "memory_needed_gib",
            "fits",
        ]
    ]
    emit_table(frame.set_index("month"), floatfmt="{:,.0f}")
    return 0
