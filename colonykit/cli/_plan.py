"""Commands ``designs``, ``plan``, ``schema``, ``validate`` and ``render``.

* ``colonykit designs --guests N [--format json]`` — disk of the six colony designs side by side.
* ``colonykit plan SCENARIO --out DIR`` — build, check and write ``DIR/plan.yaml`` and
  ``DIR/render/<target>/…``; exit 2 on bad input, 1 when a finding has severity error, else 0.
* ``colonykit schema`` — the JSON Schema of the plan document.
* ``colonykit validate PLAN.yaml`` — exit 0 when valid, 2 with every problem listed by path.
* ``colonykit render PLAN.yaml --target T --out DIR`` — re-render an (edited) plan into ``DIR/T/…``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from colonykit import designs, export, plan, render
from colonykit._atomic import atomic_write_tree
from colonykit._inputs import refuse_special
from colonykit._yaml import read_text
from colonykit.cli._common import (
    add_format,
    add_replace_edited,
    count_arg,
    emit_json,
    emit_table,
    load_scenario,
    path_arg,
    redact_secrets,
    refuse_overwriting_inputs,
    scenario_inputs,
)
from colonykit.errors import InputError


def _out_dir(text: str) -> Path:
    p = path_arg(text, "--out")
    if p.exists() and not p.is_dir():
        msg = f"--out must be a folder, but {p} is a file"
        raise InputError(msg)
    return p


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``designs``, ``plan``, ``schema``, ``validate`` and ``render``."""
    d = sub.add_parser(
        "designs",
        help="compare the colony designs (shared vs per-guest disk) for N guests",
        description="Disk of each colony design for N guests: shared, per guest, total "
        "and saving vs dedicated disks (seeds 000-004, SG24-6299 §3.2, §10.5).",
    )
    d.add_argument(
        "--guests", type=count_arg, required=True, metavar="N", help="guests in the colony"
    )
    d.add_argument(
        "--design",
        action="append",
        default=None,
        metavar="NAME",
        help="limit to these designs (repeatable; default: all)",
    )
    d.add_argument(
        "--designs-file",
        default=None,
        metavar="YAML",
        help="your own designs file instead of the bundled one",
    )
    add_format(d)
    d.set_defaults(func=run_designs)

    p = sub.add_parser(
        "plan",
        help="build and check a colony plan from a scenario, write YAML + rendered files",
        description="Scenario YAML -> checked ColonyPlan (apiVersion colonykit/v1) in "
        "DIR/plan.yaml plus DIR/render/<target>/... . Exit 1 when a finding "
        "has severity error.",
    )
    p.add_argument("scenario", help="scenario YAML (see data/examples/scenario.yaml)")
    p.add_argument("--out", required=True, metavar="DIR", help="output folder")
    p.add_argument(
        "--target",
        action="append",
        choices=sorted(render.RENDERERS),
        default=None,
        help="renderers to run (repeatable; default: all that apply to the platform)",
    )
    add_replace_edited(p)
    add_format(p)
    p.set_defaults(func=run_plan)

    s = sub.add_parser("schema", help="print the JSON Schema of the plan document")
    s.set_defaults(func=run_schema)

    v = sub.add_parser(
        "validate",
        help="validate a (hand-edited) plan YAML; exit 2 if invalid, "
        "1 if a finding has severity error",
    )
    v.add_argument("plan", help="plan YAML")
    v.set_defaults(func=run_validate)

    r = sub.add_parser("render", help="render a plan YAML for one provisioning tool")
    r.add_argument("plan", help="plan YAML")
    r.add_argument("--target", required=True, choices=sorted(render.RENDERERS))
    r.add_argument(
        "--out", required=True, metavar="DIR", help="output folder (files go to DIR/TARGET/…)"
    )
    r.add_argument(
        "--force",
        action="store_true",
        help="render even when the plan has error findings (default: refuse, exit 1)",
    )
    add_replace_edited(r)
    r.set_defaults(func=run_render)


def run_designs(args: argparse.Namespace) -> int:
    """Handler of ``colonykit designs``."""
    frame = designs.compare(args.guests, args.design, path=args.designs_file)
    if args.format == "json":
        emit_json(designs.comparison_records(frame))
        return 0
    cols = [
        "platform",
        "seed",
        "shared_gib",
        "per_guest_gib",
        "total_gib",
        "saving_vs_dedicated_pct",
        "shared_cyl",
        "per_guest_cyl",
        "vdisk_mib_per_guest",
    ]
    emit_table(frame[cols], floatfmt="{:,.2f}")
    return 0


def run_plan(args: argparse.Namespace) -> int:
    """Handler of ``colonykit plan``."""
    out = _out_dir(args.out)
    scenario = load_scenario(args.scenario)
    refuse_overwriting_inputs({"--out": out}, scenario_inputs(scenario, args.scenario))
    result = plan.build_plan(scenario)
    written = export.write_plan(
        result.plan, out, targets=args.target, replace_changed=args.replace_edited
    )
    rel = [str(pth.relative_to(out)) for pth in written]
    if args.format == "json":
        emit_json(
            {
                "plan": redact_secrets(export.plan_to_dict(result.plan)),
                "files": rel,
                "findings": [f.model_dump() for f in result.plan.findings],
            }
        )
    else:
        print(result.summary())
        print(f"wrote {len(rel)} file(s) under {out}/ (plan.yaml, render/…)")
    return 1 if result.has_errors else 0


def run_schema(args: argparse.Namespace) -> int:
    """Handler of ``colonykit schema``: the shipped schema, not one generated by the pydantic installed."""
    sys.stdout.write(export.SCHEMA_FILE.read_text(encoding="utf-8"))
    return 0


def run_validate(args: argparse.Namespace) -> int:
    """Handler of ``colonykit validate``: every problem by path, exit 2 if invalid."""
    path = Path(args.plan)
    refuse_special(path, "plan")
    if not path.is_file():
        msg = f"plan file not found: {path}"
        raise InputError(msg)
    try:
        doc = export.load_plan_text(read_text(path, "plan"), path.name)
    except InputError as exc:
        for line in exc.problems:
            sys.stderr.write(f"error: {line}\n")
        sys.stderr.write(
            f"error: {path.name} is not a valid ColonyPlan ({len(exc.problems)} problem(s))\n"
        )
        return 2
    findings = plan.check_plan(doc)
    print(
        f"{path.name}: valid ColonyPlan {doc.metadata.name} revision {doc.metadata.revision} "
        f"({plan.plan_guest_count(doc)} guests)"
    )
    for f in findings:
        print(f"  {f.severity.upper():7s} {f.code} {f.message} [{f.path}]")
    return 1 if any(f.severity == "error" for f in findings) else 0


def run_render(args: argparse.Namespace) -> int:
    """Handler of ``colonykit render``."""
    out = _out_dir(args.out)
    doc = export.load_plan(args.plan)
    errors = [f for f in plan.check_plan(doc) if f.severity == "error"]
    if errors and not args.force:
        for f in errors:
            sys.stderr.write(f"error: {f.code} {f.message} [{f.path}]\n")
        sys.stderr.write(
            f"error: {Path(args.plan).name} has {len(errors)} error finding(s); nothing "
            "rendered (fix the plan, or pass --force to render it anyway)\n"
        )
        return 1
    files = render.render(doc, args.target)
    refuse_overwriting_inputs({"--out": out}, {"plan": Path(args.plan)})
    written = atomic_write_tree(
        out / args.target,
        files,
        secrets=export.plan_secrets(doc),
        replace_changed=args.replace_edited,
    )
    print(json.dumps([str(p.relative_to(out)) for p in written], indent=2))
    return 1 if errors else 0
