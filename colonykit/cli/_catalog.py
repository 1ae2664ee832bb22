"""``colonykit catalog processors|classes|units|designs|rules [--format json]``: what can be chosen.

Every row comes from a bundled table (``colonykit/_data``) with its ``source`` column, so a
planner sees the valid values of ``target.processor``, the inventory's ``workload_class`` and
``capacity_unit``, ``design.name`` and ``rules.paging_rule`` and where each number comes from.
"""

from __future__ import annotations

import argparse
import math
import re
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


#: Columns listed per catalog (after the key column), the same for both paths.
COLUMNS: dict[str, tuple[str, ...]] = {
    "processors": (
        "family",
        "ga_year",
        "engine_mips_1way",
        "max_engines",
        "smt_available",
        "source",
        "confidence",
    ),
    "classes": (
        "description",
        "tpm_per_mips_low",
        "tpm_per_mips_typical",
        "tpm_per_mips_high",
        "nway16_uplift_frac",
        "source",
        "confidence",
    ),
    "units": (
        "description",
        "mips_per_unit",
        "needs_cores",
        "applies_class",
        "source",
        "confidence",
    ),
    "rules": ("basis", "multiplier", "max_allocated_pct", "description", "source", "confidence"),
    "costs": ("value", "low", "high", "unit", "kind", "description", "source", "confidence"),
    "core-factors": (
        "vendor",
        "platform",
        "metric",
        "value",
        "unit",
        "description",
        "source",
        "confidence",
    ),
}
#: Catalog -> (bundled table, key column, key lower-cased, columns read as flags) for the
#: catalogs listed without pandas (``designs`` comes from the design files).
PLAIN: dict[str, tuple[str, str, bool, tuple[str, ...]]] = {
    "processors": ("processors", "model", True, ("smt_available",)),
    "classes": ("workload_classes", "workload_class", False, ()),
    "units": ("capacity_units", "capacity_unit", True, ("needs_cores",)),
    "rules": ("paging_rules", "rule", False, ()),
    "costs": ("cost_inputs", "name", False, ()),
    "core-factors": ("core_factors", "key", False, ()),
}
#: Cells ``pandas.read_csv`` reads as missing by default.
_NA = frozenset(
    "#N/A,#N/A N/A,#NA,-1.#IND,-1.#QNAN,-NaN,-nan,1.#IND,1.#QNAN,<NA>,N/A,NA,NULL,NaN,None,"
    "n/a,nan,null".split(",")
) | {""}
_INT = re.compile(r"[+-]?\d+")
_FLOAT = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|[+-]?(?:inf|infinity)", re.I)
_BOOL = {"True": True, "TRUE": True, "true": True, "False": False, "FALSE": False, "false": False}


def _typed(cells: list[str]) -> list[Any]:
    """One CSV column as ``pandas.read_csv`` types it: int, float (NaN for missing), bool or text."""
    given = [c for c in cells if c not in _NA]
    if not given:
        return [math.nan] * len(cells)
    if len(given) == len(cells) and all(_INT.fullmatch(c) for c in given):
        return [int(c) for c in cells]
    if all(_FLOAT.fullmatch(c) for c in given):
        return [math.nan if c in _NA else float(c) for c in cells]
    if all(c in _BOOL for c in given):
        return [math.nan if c in _NA else _BOOL[c] for c in cells]
    return [math.nan if c in _NA else c for c in cells]


def catalog_rows(name: str) -> tuple[str, list[Any], list[dict[str, Any]]] | None:
    """A bundled catalog as (key column, keys, rows) without pandas; None for ``designs``.

    Values are typed as :func:`catalog_frame` has them (tests/test_cli_size_plain.py compares).

    Parameters
    ----------
    name : str
        A catalog of :data:`CATALOGS`.

    Examples
    --------
    >>> key, keys, rows = catalog_rows("classes")
    >>> key, keys[0], rows[0]["tpm_per_mips_low"]
    ('workload_class', 'cpu-bound', 20)
    """
    from colonykit import reference

    if name not in PLAIN:
        return None
    table, key, lower, flags = PLAIN[name]
    records = reference.bundled_records(table)
    heads = list(records[0]) if records else []
    typed = {h: _typed([r[h] for r in records]) for h in heads}
    for col in flags:
        typed[col] = [r[col].lower() in ("true", "1", "yes") for r in records]
    keys = [r[key] for r in records]
    if lower:
        keys = [k.lower() for k in keys]
    rows = [{c: typed[c][i] for c in COLUMNS[name]} for i in range(len(records))]
    return key, keys, rows


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
    loaders: dict[str, Any] = {
        "processors": reference.processors,
        "classes": reference.workload_classes,
        "units": reference.capacity_units,
        "rules": lambda: reference.load_table("paging_rules", index="rule"),
        "costs": lambda: reference.load_table(
            "cost_inputs", index="name", required=("value", "unit", "kind")
        ),
        "core-factors": lambda: reference.load_table(
            "core_factors", index="key", required=("value",)
        ),
    }
    if name in loaders:
        return loaders[name]()[list(COLUMNS[name])]
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

    what, key = CATALOGS[args.name]
    plain = catalog_rows(args.name)  # the bundled tables with the csv module: no pandas
    if plain is not None:
        index, keys, rows = plain
    else:
        frame = catalog_frame(args.name)
        index = str(frame.index.name)
        keys = list(frame.index)
        rows = [{str(c): v for c, v in r.items()} for r in frame.to_dict(orient="records")]
    if args.format == "json":
        records = [{index: k, **r} for k, r in zip(keys, rows, strict=True)]
        emit_json({"catalog": args.name, "for": key, "description": what, "rows": records})
        return 0
    sys.stdout.write(f"# {what}; write the first column as {key}\n")
    for value, row in zip(keys, rows, strict=True):
        sys.stdout.write(f"{value}\n")
        for col, v in row.items():
            if col in ("source", "confidence", "description", "title") or v is None or v != v:
                continue
            sys.stdout.write(f"    {col}: {v}\n")
        for col in ("description", "title", "source", "confidence"):
            if col in row and isinstance(row[col], str) and row[col]:
                sys.stdout.write(f"    {col}: {row[col]}\n")
    return 0
