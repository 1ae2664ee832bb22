"""``colonykit catalog processors|classes|units|designs|rules [--format json]``: what can be chosen.

Every row comes from a bundled table (``colonykit/_data``) with its ``source`` column, so a
planner sees the valid values of ``target.processor``, the inventory's ``workload_class`` and
``capacity_unit``, ``design.name`` and ``rules.paging_rule`` and where each number comes from.
"""

from __future__ import annotations

import argparse
from typing import Any

#: Catalog name -> (what it lists, the scenario / inventory key it is for).
CATALOGS: dict[str, tuple[str, str]] = {
    "processors": (
        "target processors (engine MIPS at 1-way, largest n-way, SMT)",
        "target.processor",
    ),
    "classes": (
        "workload classes (tpm per MIPS range of the workload factor)",
        "inventory workload_class",
    ),
    "units": ("capacity units of the inventory's capacity column", "inventory capacity_unit"),
    "designs": ("colony designs (shared and per-guest disk layout)", "design.name"),
    "rules": ("paging-space rules", "rules.paging_rule"),
    "costs": (
        "cost model inputs (default, illustrative example, or planner input; issue 22)",
        "costs.<name> (today_*/colony_* under costs.today/colony)",
    ),
    "core-factors": (
        "licence core factors and PVUs per core (x86 today, IBM Z colony)",
        "costs.software[].vendor",
    ),
}


def catalog_frame(name: str) -> Any:
    """The catalog ``name`` as a DataFrame (index = the value to write in the scenario/inventory).

    Examples
    --------
    >>> f = catalog_frame("processors")
    >>> "z15" in f.index, "source" in f.columns
    (True, True)
    """
    import pandas as pd

    from colonykit import designs, reference
    from colonykit.errors import unknown_name

    if name == "processors":
        t = reference.processors()
        return t[
            [
                "family",
                "ga_year",
                "engine_mips_1way",
                "max_engines",
                "smt_available",
                "source",
                "confidence",
            ]
        ]
    if name == "classes":
        t = reference.workload_classes()
        return t[
            [
                "description",
                "tpm_per_mips_low",
                "tpm_per_mips_typical",
                "tpm_per_mips_high",
                "nway16_uplift_frac",
                "source",
                "confidence",
            ]
        ]
    if name == "units":
        t = reference.capacity_units()
        return t[
            ["description", "mips_per_unit", "needs_cores", "applies_class", "source", "confidence"]
        ]
    if name == "rules":
        t = reference.load_table("paging_rules", index="rule")
        return t[
            ["basis", "multiplier", "max_allocated_pct", "description", "source", "confidence"]
        ]
    if name == "designs":
        rows = []
        for d in designs.design_names():
            des = designs.get_design(d)
            rows.append(
                {
                    "design": d,
                    "platform": des.platform,
                    "title": des.title,
                    "source": f"{des.seed}; {des.source}",
                }
            )
        return pd.DataFrame(rows).set_index("design")
    if name == "costs":
        t = reference.load_table("cost_inputs", index="name", required=("value", "unit", "kind"))
        return t[["value", "low", "high", "unit", "kind", "description", "source", "confidence"]]
    if name == "core-factors":
        t = reference.load_table("core_factors", index="key", required=("value",))
        return t[
            ["vendor", "platform", "metric", "value", "unit", "description", "source", "confidence"]
        ]
    err = unknown_name("catalog", name, list(CATALOGS))
    raise err


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``catalog`` command."""
    p = sub.add_parser(
        "catalog",
        help="list processors, workload classes, units, designs or paging rules (with sources)",
        description="What can be chosen in a scenario or an inventory, from the bundled "
        "tables, each row with its source. "
        + "; ".join(f"{k}: {v[0]} -> {v[1]}" for k, v in CATALOGS.items()),
    )
    p.add_argument("name", choices=list(CATALOGS), help="catalog to list")
    p.add_argument("--format", choices=("table", "json"), default="table", help="output format")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Handler of ``colonykit catalog``."""
    import sys

    from colonykit.cli._common import emit_json

    frame = catalog_frame(args.name)
    what, key = CATALOGS[args.name]
    if args.format == "json":
        rows = frame.reset_index().to_dict(orient="records")
        emit_json({"catalog": args.name, "for": key, "description": what, "rows": rows})
        return 0
    sys.stdout.write(f"# {what}; write the first column as {key}\n")
    for value, row in frame.iterrows():
        sys.stdout.write(f"{value}\n")
        for col, v in row.items():
            if col in ("source", "confidence", "description", "title") or v is None or v != v:
                continue
            sys.stdout.write(f"    {col}: {v}\n")
        for col in ("description", "title", "source", "confidence"):
            if col in row.index and isinstance(row[col], str) and row[col]:
                sys.stdout.write(f"    {col}: {row[col]}\n")
    return 0
