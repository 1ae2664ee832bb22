"""The report as one self-contained, offline HTML file, rendered from Jinja2 templates.

The templates (``colonykit/report/templates/*.html.j2``, package data) hold the markup;
this module gathers what they show from the plan result, in the order the references are
numbered, and renders them with autoescaping on (every value from the plan or the scenario
is escaped; only the figures, plotly.js and sections rendered here arrive as markup).
plotly.js is inlined once, so the file works without a network.

Examples
--------
>>> from colonykit import plan
>>> html = build_report(plan.build_plan("data/examples/scenario.yaml"))
>>> html.startswith("<!DOCTYPE html>"), "<script src=" in html
(True, False)
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from markupsafe import Markup
from plotly.offline import get_plotlyjs

from colonykit import designs, plots
from colonykit._arrays import to_float
from colonykit._atomic import atomic_write_text
from colonykit.plan import evidence as _evidence
from colonykit.plan.summary import headline
from colonykit.report.citations import References, clean_method
from colonykit.report.summary import DocumentInfo, document_info, executive_summary

if TYPE_CHECKING:
    from colonykit.plan import ColonyPlanResult
    from colonykit.whitespace import WhiteSpaceResult

#: plotly config for embedded figures (no logo, no network-backed buttons).
PLOTLY_CONFIG: dict[str, Any] = {
    "displaylogo": False,
    "responsive": True,
    "modeBarButtonsToRemove": ["sendDataToCloud"],
}
#: Columns of the sizing tables (per server, per bound) and of the design comparison.
SIZING_COLUMNS: tuple[str, ...] = (
    "server",
    "count",
    "workload_class",
    "util_pct",
    "mips_low",
    "mips_typical",
    "mips_high",
    "mips_typical_total",
)
TARGET_COLUMNS: tuple[str, ...] = (
    "bound",
    "engines",
    "required_mips",
    "capacity_mips",
    "util_at_engines_pct",
    "fits_machine",
)
COMPARISON_COLUMNS: tuple[str, ...] = (
    "design",
    "platform",
    "shared_gib",
    "per_guest_gib",
    "total_gib",
    "saving_vs_dedicated_pct",
)
COMPONENT_COLUMNS: tuple[str, ...] = (
    "id",
    "role",
    "kind",
    "shared",
    "access",
    "vdev",
    "mount",
    "size_cyl",
    "size_mib",
    "counted",
)


# --------------------------------------------------------------------------- template environment
def fmt(v: Any) -> str:
    """One table cell as text: thousands separators, two decimals below a million, JSON for dicts.

    Parameters
    ----------
    v : object
        The cell's value.

    Examples
    --------
    >>> fmt(1234567), fmt(3.14159), fmt(2.5e6), fmt(None), fmt({"a": 1})
    ('1,234,567', '3.14', '2,500,000', 'None', '{"a": 1}')
    """
    if isinstance(v, bool) or v is None:
        return str(v)
    if isinstance(v, int):
        return f"{v:,}"
    if isinstance(v, float):
        return f"{v:,.2f}" if abs(v) < 1e6 else f"{v:,.0f}"
    if isinstance(v, dict):
        return json.dumps(v, default=str)
    return str(v)


def _numeric(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """The Jinja2 environment of the report templates (package data; autoescape on).

    Filters: ``fmt`` (:func:`fmt`) and ``num`` (``format(value, spec)``); test ``numeric``
    (a number that is not a bool).  Undefined names are errors.

    Examples
    --------
    >>> environment().autoescape
    True
    >>> environment().from_string("{{ x }}").render(x="<b>")
    '&lt;b&gt;'
    """
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("colonykit.report", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["fmt"] = fmt
    env.filters["num"] = format
    env.tests["numeric"] = _numeric
    return env


def render(template: str, **context: Any) -> str:
    """Render one report template (``colonykit/report/templates/<template>``).

    Parameters
    ----------
    template : str
        The template's file name, e.g. ``"report.html.j2"``.
    **context
        The template's variables.

    Examples
    --------
    >>> render("whitespace.html.j2", ws_rows=[], trace_notes=(), figures={}, ws_note="<none>")
    "<p class='note'>White space: &lt;none&gt;</p>"
    """
    return environment().get_template(template).render(**context)


def _macro(template: str, name: str, *args: Any) -> str:
    """Call one macro of a template module (e.g. the capacity section) and return its text."""
    return str(getattr(environment().get_template(template).module, name)(*args))


def _rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [
        {str(k): (v.item() if hasattr(v, "item") else v) for k, v in r.items()}
        for r in frame.to_dict(orient="records")
    ]


# --------------------------------------------------------------------------- figures
def report_figures(result: ColonyPlanResult) -> dict[str, go.Figure]:
    """The report's figures: :func:`colonykit.plots.plan_figures` plus the channel curve.

    The channel curve (first host with an ``io`` section) is the plan result's
    ``channels`` (:func:`colonykit.channels.response_curve` and
    :func:`colonykit.channels.channel_load`, run by the plan).

    Parameters
    ----------
    result : ColonyPlanResult
        The result of :func:`colonykit.plan.build_plan`.

    Examples
    --------
    >>> from colonykit import plan
    >>> figs = report_figures(plan.build_plan("data/examples/scenario.yaml"))
    >>> "channel_curve" in figs, "sizing_range" in figs
    (True, True)
    """
    figs = plots.plan_figures(result)
    chan = result.channels
    if chan is not None:
        fig = plots.channel_curve(chan.curve, chan.load)
        fig.update_layout(title_text=f"{fig.layout.title.text} — host {chan.host}")
        figs["channel_curve"] = fig
    return figs


class FigureDivs(Mapping[str, Markup]):
    """Figures by name as plotly ``<div>`` markup, each drawn when a template first asks for it.

    Parameters
    ----------
    figures : mapping of str to plotly Figure
        The figures (e.g. :func:`report_figures`).
    """

    def __init__(self, figures: Mapping[str, go.Figure]) -> None:
        self._figures = figures  # not copied: a lazy mapping stays lazy
        self._html: dict[str, Markup] = {}

    def __getitem__(self, name: str) -> Markup:
        if name not in self._html:
            div = pio.to_html(
                self._figures[name],
                full_html=False,
                include_plotlyjs=False,
                div_id=f"fig-{name}",
                config=PLOTLY_CONFIG,
            )
            self._html[name] = Markup(div)  # plotly's own markup
        return self._html[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._figures)

    def __len__(self) -> int:
        return len(self._figures)


# --------------------------------------------------------------------------- sections
def capacity_section(result: Any, figure_html: str = "") -> tuple[str, str]:
    """The plan over time (issue 21): an executive-summary line and the report section.

    Reads the plan result's ``capacity_plan`` (:func:`colonykit.forecast.project`, run by
    :func:`colonykit.plan.build_plan` when the scenario has a ``growth:`` section); both parts
    are empty without one.

    Parameters
    ----------
    result : ColonyPlanResult
        The result of :func:`colonykit.plan.build_plan`.
    figure_html : str, optional
        The ``capacity_plan`` figure's HTML.

    Returns
    -------
    tuple of str
        ``(summary line, section)`` as HTML.

    Examples
    --------
    >>> from colonykit import plan
    >>> line, section = capacity_section(plan.build_plan("data/examples/bitbrains_colony.yaml"))
    >>> "2014-01-01" in line, "<th>order_by</th>" in section
    (True, True)
    """
    cap = getattr(result, "capacity_plan", None)
    if cap is None:
        return "", ""
    counts = ", ".join(
        f"{b} {len(cap.upgrades_by_bound.get(b, ()))}" for b in ("low", "typical", "high")
    )
    rows = _rows(cap.upgrades_frame("typical"))
    summary = _macro("capacity.html.j2", "summary", cap)
    section = _macro("capacity.html.j2", "section", cap, rows, counts, Markup(figure_html))
    return summary, section


def business_case_lines(res: Any) -> list[str]:
    """The business case's summary sentences: savings and NPV, payback, licences, energy.

    Parameters
    ----------
    res : colonykit.costs.BusinessCaseResult
        The plan result's ``business_case``.
    """
    cur = res.currency

    def money(x: float) -> str:
        return f"{x:,.0f} {cur}"

    def opt(x: float | None, unit: str) -> str:
        return "not priced" if x is None else f"{x:,.1f} {unit}"

    pay = "not within the horizon" if res.payback_months is None else f"month {res.payback_months}"
    lic = "; ".join(
        f"{p}: {res.today.licence_units[p][0]:g} → {res.colony.licence_units[p][0]:g}"
        for p in res.products
    )
    return [
        f"Savings over {res.horizon_years} years: {money(res.total_today - res.total_colony)} "
        f"(today {money(res.total_today)}, colony {money(res.total_colony)}); NPV at "
        f"{res.inputs.discount_pct:g} %: {money(res.npv)} (WLF range {money(res.npv_range['low'])} "
        f"… {money(res.npv_range['high'])}).",
        f"Payback: {pay}.",
        f"Licence cores: {res.today.licence_cores[0]:g} today → {res.colony.licence_cores[0]:g} "
        f"engines" + (f" (licences {lic})." if lic else "."),
        f"Energy per year: {opt(res.energy_kwh_today, 'kWh')} → {opt(res.energy_kwh_colony, 'kWh')}; "
        f"CO2e {opt(res.co2e_t_today, 't')} → {opt(res.co2e_t_colony, 't')}.",
    ]


def business_case_section(result: Any) -> str:
    """The handout's business-case section (issue 22): summary lines, cash flow, tornado, table.

    Empty when the plan has no business case (no ``costs:`` section in the scenario).  The
    first line says when the figures rest on example prices.

    Parameters
    ----------
    result : ColonyPlanResult
        The result of :func:`colonykit.plan.build_plan`.

    Examples
    --------
    >>> from colonykit import plan
    >>> html = business_case_section(plan.build_plan("data/examples/bitbrains_colony.yaml"))
    >>> "EXAMPLE PRICES" in html.split("</p>")[0]
    True
    """
    res = getattr(result, "business_case", None)
    if res is None:
        return ""
    table = pd.DataFrame(
        [
            {"year": y["year"], "side": side, **y[side]}
            for y in res.to_dict()["years"]
            for side in ("today", "colony", "savings")
        ]
    )
    figures = FigureDivs(
        _LazyFigures({"cash_flow": plots.cash_flow, "tornado": plots.tornado}, res)
    )
    return render(
        "business_case.html.j2",
        res=res,
        lines=business_case_lines(res),
        rows=_rows(table),
        figures=figures,
    )


class _LazyFigures(Mapping[str, go.Figure]):
    """Figures built on first use from ``builder(arg)`` (the tornado only when it is shown)."""

    def __init__(self, builders: Mapping[str, Any], arg: Any) -> None:
        self._builders = dict(builders)
        self._arg = arg

    def __getitem__(self, name: str) -> go.Figure:
        fig: go.Figure = self._builders[name](self._arg)
        return fig

    def __iter__(self) -> Iterator[str]:
        return iter(self._builders)

    def __len__(self) -> int:
        return len(self._builders)


def whitespace_rows(ws_result: WhiteSpaceResult) -> list[dict[str, Any]]:
    """The white-space table: sum of peaks, composite peak and mean, savings, capacity, samples.

    Parameters
    ----------
    ws_result : WhiteSpaceResult
        The plan result's ``whitespace`` (:func:`colonykit.whitespace.analyze`).
    """
    unit = ws_result.unit
    return [
        {"figure": "sum of the individual peaks", "value": ws_result.sum_of_peaks, "unit": unit},
        {"figure": "composite peak", "value": ws_result.composite_peak, "unit": unit},
        {"figure": "composite mean", "value": ws_result.composite_mean, "unit": unit},
        {
            "figure": "non-coincidence saving (1 − composite peak ÷ sum of peaks)",
            "value": ws_result.non_coincidence_saving_pct,
            "unit": "%",
        },
        {
            "figure": "white space (1 − composite mean ÷ composite peak, seed 003 §2.3.1)",
            "value": ws_result.white_space_pct,
            "unit": "%",
        },
        {
            "figure": f"capacity needed ({ws_result.headroom_pct:g} % headroom)",
            "value": ws_result.capacity_needed,
            "unit": unit,
        },
        {"figure": "servers traced", "value": int(ws_result.servers), "unit": ""},
        {
            "figure": "samples",
            "value": int(ws_result.steps),
            "unit": f"{ws_result.interval_s:g} s each",
        },
    ]


def evidence_items(result: ColonyPlanResult, refs: References) -> list[dict[str, Any]]:
    """The evidence section: per item its state, method (keys cited, not shown), note and values.

    Parameters
    ----------
    result : ColonyPlanResult
        The result of :func:`colonykit.plan.build_plan`.
    refs : References
        The report's references (the methods' sources are cited here).
    """
    items = []
    for name, item in _evidence.sections(result.plan.evidence):
        state = (
            "evaluated"
            if item.evaluated
            else "not applicable"
            if not item.applicable
            else "NOT evaluated"
        )
        cited = refs.cite(f"{item.method}; {item.source}") if (item.method or item.source) else ""
        items.append(
            {
                "name": name.replace("_", " "),
                "state": state,
                "method": clean_method(item.method or ""),
                "cited": cited,
                "note": item.note,
                "rows": [{"name": k, "value": v} for k, v in item.values.items()],
            }
        )
    return items


# --------------------------------------------------------------------------- the document
def _detail_context(result: ColonyPlanResult, refs: References) -> dict[str, Any]:
    """The detail sections' values, citing in the order the references are numbered."""
    p = result.plan
    ctx: dict[str, Any] = {"sizing_servers": None, "sizing_target": None, "sizing_cited": ()}
    if result.sizing is not None:
        ctx["sizing_cited"] = (refs.cite("seed 003 §2.4"), refs.cite("seed 003 §2.5"))
        ctx["sizing_servers"] = _rows(result.sizing.servers[list(SIZING_COLUMNS)])
        ctx["sizing_target"] = _rows(result.sizing.target.reset_index()[list(TARGET_COLUMNS)])
    design = result.design
    ctx["design"] = design
    ctx["design_cited"] = refs.cite(f"{design.seed}; {design.source}")
    ctx["design_components"] = [
        {k: c[k] for k in COMPONENT_COLUMNS} for c in designs.design_summary(design)["components"]
    ]
    ctx["design_comparison"] = _rows(result.comparison[list(COMPARISON_COLUMNS)])
    ws_result = result.whitespace
    ctx["ws_rows"] = whitespace_rows(ws_result) if ws_result is not None else []
    ctx["ws_cited"] = refs.cite("seed 003 §2.3") if ws_result is not None else ""
    ctx["trace_notes"] = result.trace_notes if ws_result is not None else ()
    ctx["ws_note"] = p.evidence.white_space.note
    ctx["hosts"] = [
        {
            "host": x.id,
            "platform": x.platform,
            "engines": x.capacity.cpus,
            "cpu_type": x.capacity.cpu_type,
            "guests": len(x.guests),
            "memory_gib": x.capacity.memory_gib,
            "paging_gib": x.capacity.paging_gib,
            "paging_volumes": x.capacity.paging_volumes,
            "max_memory_overcommit_ratio": x.rules.max_memory_overcommit_ratio,
        }
        for x in p.hosts
    ]
    ctx["assumptions"] = [
        {"name": a.name, "value": a.value, "unit": a.unit, "reference": refs.cite(a.source)}
        for a in p.evidence.assumptions
    ]
    ctx["evidence"] = evidence_items(result, refs)
    return ctx


def build_report(
    result: ColonyPlanResult, *, title: str | None = None, info: DocumentInfo | None = None
) -> str:
    """The workshop handout of a plan result as one self-contained HTML document.

    Page 1 is the title page (customer, project, author, date, plan revision), page 2 the
    one-page executive summary (:func:`~colonykit.report.executive_summary`), then the
    details, the numbered references and an appendix with the internal source keys.  Print
    CSS (A4) makes Chromium's print clean (:func:`~colonykit.report.write_pdf`).  The markup
    is ``colonykit/report/templates/report.html.j2`` (Jinja2, autoescaped).

    Parameters
    ----------
    result : colonykit.plan.ColonyPlanResult
        The result of :func:`colonykit.plan.build_plan`.
    title : str, optional
        Document title (default: ``Linux consolidation plan: <project>``).
    info : DocumentInfo, optional
        Default: :func:`~colonykit.report.document_info` of the result.

    Returns
    -------
    str
        HTML with plotly.js inlined once and one ``<div data-figure=NAME>`` per figure.

    Examples
    --------
    >>> from colonykit import plan
    >>> text = build_report(plan.build_plan("data/examples/scenario.yaml"))
    >>> "zvm-basevol-guestvol" in text, text.count("data-figure=") >= 5
    (True, True)
    """
    p = result.plan
    info = info or document_info(result)
    title = title or f"Linux consolidation plan: {info.project}"
    figures = FigureDivs(report_figures(result))
    refs = References()
    summary = executive_summary(result)
    ws_values = p.evidence.white_space.values
    ctx = _detail_context(result, refs)
    capacity_line, capacity_html = capacity_section(
        result, _macro("macros.html.j2", "figure", "capacity_plan", figures)
    )
    text = render(
        "report.html.j2",
        plan=p,
        title=title,
        headline=headline(result),
        summary=summary,
        s=summary,
        ws_evidence_pct=to_float(ws_values["white_space_pct"])
        if "non_coincidence_saving_pct" in ws_values
        else None,
        title_rows=[
            ("Customer", info.customer or "—"),
            ("Project", info.project),
            ("Author", info.author or "—"),
            ("Date", info.date),
            ("Plan revision", str(info.revision)),
            ("Plan", f"{p.metadata.name} ({p.metadata.generated_by})"),
        ],
        figures=figures,
        plotlyjs=Markup(get_plotlyjs()),  # plotly.js itself
        capacity_line=Markup(capacity_line),  # rendered by capacity.html.j2
        capacity_section=Markup(capacity_html),
        business_case=Markup(business_case_section(result)),
        references=refs.entries,
        source_keys=[
            {"internal source key": k, "cited as": v or "(no publication)"}
            for k, v in refs.keys.items()
        ],
        **ctx,
    )
    return text + "\n"


def write_report(
    result: ColonyPlanResult,
    path: str | Path,
    *,
    title: str | None = None,
    info: DocumentInfo | None = None,
) -> Path:
    """Write :func:`build_report` to ``path`` atomically; returns the path.

    Parameters
    ----------
    result : ColonyPlanResult
        The result of :func:`colonykit.plan.build_plan`.
    path : str or Path
        The HTML file to write.
    title : str, optional
        Document title (default: ``Linux consolidation plan: <project>``).
    info : DocumentInfo, optional
        Default: :func:`~colonykit.report.document_info` of the result.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from colonykit import plan
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "report.html"
    >>> write_report(plan.build_plan("data/examples/scenario.yaml"), out).stat().st_size > 1_000_000
    True
    """
    return atomic_write_text(path, build_report(result, title=title, info=info))


__all__ = [
    "PLOTLY_CONFIG",
    "FigureDivs",
    "build_report",
    "business_case_lines",
    "business_case_section",
    "capacity_section",
    "environment",
    "evidence_items",
    "fmt",
    "render",
    "report_figures",
    "whitespace_rows",
    "write_report",
]
