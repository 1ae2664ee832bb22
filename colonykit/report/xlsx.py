"""The report's tables as one workbook (``.xlsx``), one sheet per table.

openpyxl is optional (the ``excel`` extra): the writers import it through
:func:`colonykit._optional.require`, so the core install names the extra.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from colonykit._atomic import atomic_write_bytes
from colonykit._cells import xlsx_text_cells
from colonykit._optional import require
from colonykit.report.citations import References
from colonykit.units import MIB_PER_GIB

if TYPE_CHECKING:
    from colonykit.plan import ColonyPlanResult


def _storage_rows(result: ColonyPlanResult) -> list[dict[str, Any]]:
    """The storage sheet: every shared image, then every disk of every guest."""
    p = result.plan
    storage_rows = [
        {
            "owner": f"image {im.id}",
            "id": im.id,
            "role": im.role,
            "kind": "shared image",
            "access": im.access,
            "vdev": im.zvm.vdev if im.zvm else "",
            "mount": im.mount,
            "size_mib": im.size_mib,
            "size_cyl": im.size_cyl,
            "volser": im.zvm.volser if im.zvm else "",
        }
        for im in p.images
    ]
    storage_rows += [
        {
            "owner": g.name,
            "id": st.id,
            "role": st.role,
            "kind": st.kind,
            "access": st.access,
            "vdev": st.vdev,
            "mount": st.mount,
            "size_mib": st.size_mib,
            "size_cyl": st.size_cyl,
            "volser": st.volser or "",
        }
        for _h, g in p.guests()
        for st in g.storage
    ]
    return storage_rows


def report_tables(result: ColonyPlanResult) -> dict[str, pd.DataFrame]:
    """The report's tables as frames, one per workbook sheet.

    Sheets: ``sizing`` (per server), ``hosts``, ``guests``, ``storage`` (every disk of every
    guest and the shared images), ``findings``, ``assumptions`` (with the reference cited and
    the internal source key).

    Parameters
    ----------
    result : ColonyPlanResult
        The result of :func:`colonykit.plan.build_plan`.

    Examples
    --------
    >>> from colonykit import plan
    >>> t = report_tables(plan.build_plan("data/examples/scenario.yaml"))
    >>> list(t), len(t["guests"])
    (['sizing', 'hosts', 'guests', 'storage', 'findings', 'assumptions'], 26)
    """
    p = result.plan
    refs = References()
    sizing = (
        result.sizing.servers.reset_index(drop=True)
        if result.sizing is not None
        else pd.DataFrame(columns=["server"])
    )
    hosts = pd.DataFrame(
        [
            {
                "host": x.id,
                "platform": x.platform,
                "engines": x.capacity.cpus,
                "cpu_type": x.capacity.cpu_type,
                "guests": len(x.guests),
                "memory_gib": x.capacity.memory_gib,
                "guest_virtual_gib": sum(g.memory_mib for g in x.guests) / MIB_PER_GIB,
                "paging_gib": x.capacity.paging_gib,
                "paging_volumes": x.capacity.paging_volumes,
                "max_memory_overcommit_ratio": x.rules.max_memory_overcommit_ratio,
            }
            for x in p.hosts
        ]
    )
    storage_rows = _storage_rows(result)
    assumptions = pd.DataFrame(
        [
            {
                "name": a.name,
                "value": a.value,
                "unit": a.unit,
                "reference": refs.cite(a.source),
                "source_key": a.source,
            }
            for a in p.evidence.assumptions
        ],
        columns=["name", "value", "unit", "reference", "source_key"],
    )
    tables = {
        "sizing": sizing,
        "hosts": hosts,
        "guests": result.guests_frame(),
        "storage": pd.DataFrame(storage_rows),
        "findings": result.findings_frame(),
        "assumptions": assumptions,
    }
    tables.update(business_case_tables(result))
    cap = result.capacity_plan
    if cap is not None:  # the plan over time (issue 21): each step, and the upgrades by bound
        tables["capacity_steps"] = cap.steps_frame()
        tables["upgrades"] = pd.concat(
            [cap.upgrades_frame(b).assign(bound=b) for b in ("low", "typical", "high")],
            ignore_index=True,
        )
    return tables


def business_case_tables(result: Any) -> dict[str, pd.DataFrame]:
    """The workbook's business-case sheets: cost per year and component, and the inputs.

    Empty without a business case.  The first row of ``business_case`` is the headline
    (says when the figures rest on example prices).

    Parameters
    ----------
    result : ColonyPlanResult
        The result of :func:`colonykit.plan.build_plan`.
    """
    res = getattr(result, "business_case", None)
    if res is None:
        return {}
    rows: list[dict[str, Any]] = [{"year": res.headline}]
    rows += [
        {"year": y["year"], "side": side, **y[side]}
        for y in res.to_dict()["years"]
        for side in ("today", "colony", "savings")
    ]
    inputs = pd.DataFrame(
        [
            {
                "name": s.name,
                "value": s.value,
                "unit": s.unit,
                "origin": s.origin,
                "confidence": s.confidence,
                "source": s.source,
            }
            for s in res.sources
        ]
    )
    return {"business_case": pd.DataFrame(rows), "cost_inputs": inputs}


def write_comparison_xlsx(comparison: Any, path: str | Path) -> Path:
    """Write ``colonykit compare`` to a workbook (first row: the example-prices line), atomically.

    Parameters
    ----------
    comparison : colonykit.plan.compare.ScenarioComparison
        The scenarios side by side.
    path : str or Path
        The workbook to write (``.xlsx``).
    """
    require("openpyxl", extra="excel", purpose="writing .xlsx workbooks")
    frame = comparison.frame().reset_index().rename(columns={"index": "figure"})
    first = pd.DataFrame([{"figure": comparison.first_line}])
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xw:
        pd.concat([first, frame], ignore_index=True).to_excel(xw, sheet_name="compare", index=False)
    return atomic_write_bytes(path, buf.getvalue())


def write_xlsx(result: ColonyPlanResult, path: str | Path) -> Path:
    """Write :func:`report_tables` to one workbook (a sheet each, header frozen), atomically.

    Every cell from user text is stored as text, never as a formula (a server named
    ``=HYPERLINK(…)`` shows as that text; :func:`colonykit._cells.xlsx_text_cells`).

    Parameters
    ----------
    result : ColonyPlanResult
        The result of :func:`colonykit.plan.build_plan`.
    path : str or Path
        The workbook to write (``.xlsx``).

    Examples
    --------
    >>> import tempfile, pathlib, openpyxl
    >>> from colonykit import plan
    >>> out = write_xlsx(plan.build_plan("data/examples/scenario.yaml"),
    ...                  pathlib.Path(tempfile.mkdtemp()) / "tables.xlsx")
    >>> openpyxl.load_workbook(out).sheetnames[:3]
    ['sizing', 'hosts', 'guests']
    """
    require("openpyxl", extra="excel", purpose="writing the .xlsx tables")
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xw:
        for name, frame in report_tables(result).items():
            frame.to_excel(xw, sheet_name=name, index=False)
            ws = xw.sheets[name]
            xlsx_text_cells(ws)  # user text such as "=HYPERLINK(…)" stays text (OWASP)
            ws.freeze_panes = "A2"
            for col in ws.columns:
                width = max((len(str(c.value)) for c in col if c.value is not None), default=8)
                ws.column_dimensions[col[0].column_letter].width = min(60, max(8, width + 2))
    return atomic_write_bytes(path, buf.getvalue())


__all__ = ["business_case_tables", "report_tables", "write_comparison_xlsx", "write_xlsx"]
