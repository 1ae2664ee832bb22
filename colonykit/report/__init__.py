"""Workshop report: the plan as an offline HTML handout, a PDF, a workbook and images.

:func:`build_report` turns a :class:`~colonykit.plan.ColonyPlanResult` into one HTML
document: the headline numbers, the findings, the sizing ranges, the chosen design and
the design comparison, memory and paging per host, channel busy, the evidence (what was
evaluated, by which method, and what was not) and every assumption with its source.
Figures come from :mod:`colonykit.plots`; plotly.js is inlined once, so the file works
without a network.  :func:`write_report` writes it atomically.

One module per concern: :mod:`~colonykit.report.summary` (what the report says, as data),
:mod:`~colonykit.report.citations` (numbered references), and one writer per format:
:mod:`~colonykit.report.html` (Jinja2 templates in ``colonykit/report/templates/``,
autoescaped), :mod:`~colonykit.report.pdf` (headless Chromium),
:mod:`~colonykit.report.xlsx` (openpyxl, the ``excel`` extra) and
:mod:`~colonykit.report.images` (kaleido, the ``browser`` extra).

Examples
--------
>>> from colonykit import plan, report
>>> html = report.build_report(plan.build_plan("data/examples/scenario.yaml"))
>>> html.startswith("<!DOCTYPE html>"), "<script src=" in html
(True, False)
"""

from __future__ import annotations

from colonykit.report.citations import Citation, References, public_source, publications
from colonykit.report.html import (
    PLOTLY_CONFIG,
    build_report,
    business_case_section,
    capacity_section,
    report_figures,
    write_report,
)
from colonykit.report.images import write_images
from colonykit.report.pdf import (
    CHROMIUM_PATH,
    PDF_TIMEOUT_S,
    PDF_WINDOW_WIDTH_PX,
    chromium_path,
    write_pdf,
)
from colonykit.report.summary import DocumentInfo, document_info, executive_summary, headline
from colonykit.report.xlsx import (
    business_case_tables,
    report_tables,
    write_comparison_xlsx,
    write_xlsx,
)

__all__ = [
    "CHROMIUM_PATH",
    "PDF_TIMEOUT_S",
    "PDF_WINDOW_WIDTH_PX",
    "PLOTLY_CONFIG",
    "Citation",
    "DocumentInfo",
    "References",
    "build_report",
    "business_case_section",
    "business_case_tables",
    "capacity_section",
    "chromium_path",
    "document_info",
    "executive_summary",
    "headline",
    "public_source",
    "publications",
    "report_figures",
    "report_tables",
    "write_comparison_xlsx",
    "write_images",
    "write_pdf",
    "write_report",
    "write_xlsx",
]
