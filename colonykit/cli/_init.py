"""``colonykit init DIR``: a new study — commented scenario, inventory templates, a README.

Writes ``DIR/scenario.yaml`` (every section commented, valid as written), ``DIR/inventory.csv``
and ``DIR/inventory.xlsx`` (three example servers to overwrite; the workbook's second sheet
``columns`` explains each column: unit, valid values, required or not) and ``DIR/README.md``
(the planner's first hour). ``colonykit plan DIR/scenario.yaml --out DIR/out`` accepts the
files as written. Existing files are never overwritten unless ``--force``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from colonykit.errors import InputError

#: Example rows of the inventory template: one per workload class style (the planner overwrites them).
TEMPLATE_ROWS: tuple[dict[str, object], ...] = (
    {
        "server": "web01",
        "role": "web server",
        "capacity": 2400,
        "capacity_unit": "mhz_per_core",
        "cores": 4,
        "util_avg_pct": 12,
        "util_peak_pct": 40,
        "workload_class": "web",
        "memory_mib": 4096,
        "disk_gib": 50,
        "count": 4,
    },
    {
        "server": "db01",
        "role": "database",
        "capacity": 3000,
        "capacity_unit": "mhz_per_core",
        "cores": 8,
        "util_avg_pct": 25,
        "util_peak_pct": 70,
        "workload_class": "mixed",
        "memory_mib": 16384,
        "disk_gib": 200,
        "count": 1,
    },
    {
        "server": "dns01",
        "role": "DNS",
        "capacity": 2000,
        "capacity_unit": "mhz_per_core",
        "cores": 2,
        "util_avg_pct": 5,
        "util_peak_pct": 15,
        "workload_class": "infrastructure",
        "memory_mib": 2048,
        "disk_gib": 20,
        "count": 2,
    },
)

#: Column, unit, valid values, required? — the second sheet of the Excel template and the README table.
COLUMN_HELP: tuple[tuple[str, str, str, str], ...] = (
    ("server", "", "a unique name per line", "required"),
    ("role", "", "free text (what the server does)", "required"),
    ("capacity", "see capacity_unit", "a number > 0", "required"),
    (
        "capacity_unit",
        "",
        "a capacity unit: `colonykit catalog units` (e.g. mhz_per_core, mips, tpm)",
        "required",
    ),
    ("cores", "cores", "a whole number >= 1; needed by the *_per_core units", "optional"),
    ("util_avg_pct", "% (0-100)", "average CPU utilization of the server", "required"),
    ("util_peak_pct", "% (0-100)", "peak CPU utilization, >= util_avg_pct", "required"),
    ("workload_class", "", "a workload class: `colonykit catalog classes`", "required"),
    ("memory_mib", "MiB", "installed memory, a number > 0", "required"),
    ("disk_gib", "GiB", "installed disk, a number >= 0", "required"),
    (
        "count",
        "servers",
        "identical servers on this line, a whole number >= 1 (default 1)",
        "optional",
    ),
)


def scenario_text(name: str, with_metadata: bool) -> str:
    """The commented scenario ``init`` writes (valid for :func:`colonykit.plan.load_scenario`)."""
    meta = (
        (
            "metadata:                           # the report's title page\n"
            "  customer: Example Corp\n"
            "  project: Linux consolidation study\n"
            "  author: Your Name\n"
            "  # date: 2026-01-31               # default: the day the report is written\n\n"
        )
        if with_metadata
        else (
            "# Title page of the report: colonykit report scenario.yaml --customer 'Example Corp' "
            "--author 'Your Name'\n\n"
        )
    )
    return f"""\
# colonykit scenario written by `colonykit init`: edit the values, keep the keys.
# Units are in the key names (_gib, _mib, _pct, _per_s, _ms); unknown keys are rejected with a hint.
# Every omitted value takes its documented default (colonykit/_data/constants*.csv).
# Valid values: `colonykit catalog processors|classes|units|designs|rules`.
apiVersion: colonykit/v1
kind: ColonyScenario
name: {name}
inventory: inventory.csv              # or inventory.xlsx; relative to this file

{meta}target:
  processor: z15                      # colonykit catalog processors
  hosts: 1                            # z/VM LPARs (or Xen hosts)
  sizing_bound: typical               # low | typical | high of the workload-factor range
  basis: peak                         # size on util_peak_pct (or avg)
  target_util_pct: 90                 # engines busy at most this much at the sized load (headroom 10 %)
  smt: false                          # count SMT-2 on the IFLs (z13 and later)
  # memory_gib_per_host: 32           # real storage per LPAR; default 1:1 with the guests' memory
  # vdisk_syslim_blocks: 8388608      # your SET VDISK SYSLIM (QUERY VDISK SYSLIM), checked as CK020
  # tdisk_space_cyl: 10016            # your TDISK cylinders on CP-owned volumes, checked as CK021

design:
  name: zvm-basevol-guestvol          # colonykit catalog designs; `colonykit designs --guests N` compares them

rules:
  paging_rule: velocity              # colonykit catalog rules (the seed's rule: sg24-6299)
  max_memory_overcommit_ratio: 1.5    # Σ guest virtual ÷ real storage allowed

guests:
  userid_prefix: LNX                  # z/VM user IDs LNX00001, …
  memory_from_source_frac: 1.0        # guest memory = this × the server's installed memory

# traces:                             # measured utilization (white space); see docs/io.md
#   path: traces.csv
#   unit: cpu_pct
# io:                                 # DASD I/O for the channel-busy check
#   io_rate_per_s: 100
#   connect_ms: 5
#   paths_per_host: 2
"""


def readme_text() -> str:
    """The planner's README that ``init`` writes."""
    rows = "\n".join(f"| `{c}` | {u or '—'} | {v} | {r} |" for c, u, v, r in COLUMN_HELP)
    return f"""\
# A colonykit study

1. Fill in `inventory.csv` (or `inventory.xlsx`; its sheet `columns` repeats the table below): one line
   per server or group of identical servers. Delete the three example lines.
2. Edit `scenario.yaml`: target processor, LPARs, design, limits (every key is commented).
3. Plan: `colonykit plan scenario.yaml --out out` — writes `out/plan.yaml` and the provisioning files;
   exit 1 when the plan has error findings (they are listed).
4. Handout: `colonykit report scenario.yaml --out report.html --pdf report.pdf --xlsx tables.xlsx`.
5. Workshop: `colonykit workshop scenario.yaml` — the dashboard in the browser (controls, baseline vs
   current, save the changed scenario, export).

What can be chosen: `colonykit catalog processors`, `… classes`, `… units`, `… designs`, `… rules`
(each with its source). To read the inventory from Excel, set `inventory: inventory.xlsx` in the scenario.

## Inventory columns

| column | unit | valid values | |
|---|---|---|---|
{rows}
"""


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``init`` command."""
    p = sub.add_parser(
        "init",
        help="start a study: commented scenario.yaml, inventory templates, README",
        description="Write DIR/scenario.yaml, DIR/inventory.csv, DIR/inventory.xlsx and "
        "DIR/README.md; `colonykit plan DIR/scenario.yaml` accepts them as written.",
    )
    p.add_argument("dir", help="folder to create (or an empty one)")
    p.add_argument("--name", default="my-colony", help="scenario name (default: my-colony)")
    p.add_argument("--force", action="store_true", help="overwrite files that exist")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Handler of ``colonykit init``."""
    import io

    import pandas as pd

    from colonykit import plan
    from colonykit._atomic import atomic_write_bytes, atomic_write_text
    from colonykit._optional import MissingOptionalDependency, require
    from colonykit._yaml import load_yaml
    from colonykit.errors import must_be

    out = Path(args.dir)
    if out.exists() and not out.is_dir():
        msg = f"init needs a folder, but {out} is a file"
        raise InputError(msg)
    names = ("scenario.yaml", "inventory.csv", "inventory.xlsx", "README.md")
    existing = [n for n in names if (out / n).exists()]
    if existing and not args.force:
        msg = f"{out} already has {existing}; use --force to overwrite them"
        raise InputError(msg)
    with_meta = "metadata" in plan.Scenario.model_fields
    text = scenario_text(args.name, with_meta)
    try:  # the scenario written must load (e.g. --name must be an identifier)
        plan.parse_scenario(load_yaml(text, "scenario.yaml"), "scenario.yaml")
    except InputError as exc:
        raise InputError(
            must_be("--name", "a name of letters, digits, '-' and '_'", args.name)
        ) from exc
    inv = pd.DataFrame(list(TEMPLATE_ROWS))
    helpf = pd.DataFrame(list(COLUMN_HELP), columns=["column", "unit", "valid values", "required"])
    buf = io.BytesIO()
    try:  # the core install has no openpyxl: the CSV template then, and the extra named
        require("openpyxl", extra="excel", purpose="writing the inventory.xlsx template")
    except MissingOptionalDependency as exc:
        skipped = f"note: inventory.xlsx not written: {exc}\n"
    else:
        skipped = ""
        with pd.ExcelWriter(buf, engine="openpyxl") as xw:
            inv.to_excel(xw, sheet_name="inventory", index=False)
            helpf.to_excel(xw, sheet_name="columns", index=False)
            for ws in xw.sheets.values():
                ws.freeze_panes = "A2"
                for col in ws.columns:
                    width = max(len(str(c.value)) for c in col if c.value is not None)
                    ws.column_dimensions[col[0].column_letter].width = min(70, width + 2)
    # file by file (each atomic): DIR is the planner's study folder and may hold their own files
    written = [
        atomic_write_text(out / name, body)
        for name, body in (
            ("scenario.yaml", text),
            ("inventory.csv", inv.to_csv(index=False)),
            ("README.md", readme_text()),
        )
    ]
    if not skipped:
        written.append(atomic_write_bytes(out / "inventory.xlsx", buf.getvalue()))
    for pth in written:
        sys.stdout.write(f"wrote {pth}\n")
    sys.stderr.write(skipped)
    sys.stdout.write(f"next: colonykit plan {out / 'scenario.yaml'} --out {out / 'out'}\n")
    return 0
