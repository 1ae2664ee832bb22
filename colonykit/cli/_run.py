"""``colonykit run SCENARIO --out DIR``: the whole job (what ``make run`` does).

sizing → white space → plan (designs, memory, paging, channels, checks) → ``plan.yaml``,
rendered provisioning files, the evidence as JSON, and the HTML workshop report.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from colonykit._cells import csv_safe_frame
from colonykit.cli._common import (
    add_format,
    add_replace_edited,
    emit_json,
    load_scenario,
    path_arg,
    refuse_overwriting_inputs,
    scenario_inputs,
    to_jsonable,
)


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``run`` command."""
    p = sub.add_parser(
        "run",
        help="the whole job: size, white space, plan, export YAML, render, report",
        description="Run a scenario end to end and write everything into --out.",
    )
    p.add_argument("scenario", help="scenario YAML (see data/examples/scenario.yaml)")
    p.add_argument("--out", default="out", help="output folder (default: out)")
    p.add_argument("--no-report", action="store_true", help="skip the HTML report")
    add_replace_edited(p)
    add_format(p)
    p.set_defaults(func=run)


def _evidence_files(result: Any) -> dict[str, str]:
    files: dict[str, str] = {}
    if result.sizing is not None:
        doc = result.sizing.to_dict()
        if result.measured is not None:
            doc["composite"] = result.measured.to_dict()
        files["sizing.json"] = json.dumps(to_jsonable(doc), indent=2) + "\n"
    ws = result.whitespace
    if ws is not None:
        files["whitespace.json"] = json.dumps(to_jsonable(ws.to_dict()), indent=2) + "\n"
    findings = result.findings_frame()
    files["findings.csv"] = csv_safe_frame(findings).to_csv(index=False)  # OWASP CSV injection
    return files


def run(args: argparse.Namespace) -> int:
    """Handler of ``colonykit run``."""
    from colonykit import export, plan

    out = path_arg(args.out, "--out")
    scenario = load_scenario(args.scenario)
    refuse_overwriting_inputs({"--out": out}, scenario_inputs(scenario, args.scenario))
    result = plan.build_plan(scenario)
    extra = _evidence_files(result)
    if not args.no_report:
        from colonykit import report

        extra["report.html"] = report.build_report(result)
    written = export.write_plan(
        result.plan, out, extra=extra, replace_changed=args.replace_edited
    )  # one unit: plan, render/, evidence
    files = sorted(str(p) for p in written)
    if args.format == "json":
        emit_json(
            {
                "plan": str(out / "plan.yaml"),
                "files": files,
                "findings": result.findings_frame().to_dict(orient="records"),
            }
        )
    else:
        if result.sizing is not None:
            print(result.sizing.summary())
        if result.measured is not None:
            print(result.measured.summary())
        print(result.summary())
        print(f"wrote {len(files)} files under {out}/ (plan.yaml, render/, report.html)")
    return 1 if result.has_errors else 0
