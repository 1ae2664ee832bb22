"""What the explorer's page shows, as HTML and laid-out figures, read from an :class:`ExplorerState`.

The headline (:func:`headline_html`: the engine count, its range and the tiles, the path to the
count, the first findings), the confidence banner, the capacity-over-time and business-case lines,
baseline vs current, the server table, hosts and findings, the export status, and
:func:`dashboard_layout` (a :mod:`colonykit.plots` figure fitted to a dashboard cell).  Each is
a pure function of the state (nothing computed here, nothing written).

Examples
--------
>>> from colonykit.widgets import ExplorerModel
>>> "ck-engines-total" in headline_html(ExplorerModel("data/examples/scenario.yaml").state)
True
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

import plotly.graph_objects as go

from colonykit.plan import story
from colonykit.widgets import specs
from colonykit.widgets.chart import CHART_CONFIG
from colonykit.widgets.model import ExplorerState
from colonykit.widgets.state import EDITABLE_COLUMNS, ExplorerModel, key_figures

if TYPE_CHECKING:
    from colonykit.plan import compare


#: Height [px] of each chart in the dashboard: two rows fit under the headline at 1080 px.
FIGURE_HEIGHT_PX = 270
#: Chart margins [px] in the dashboard (tighter than the report's); the bottom one holds the
#: axis title, the legend sits below it (:data:`FIGURE_LEGEND_Y`).
FIGURE_MARGIN: dict[str, int] = {"l": 60, "r": 10, "t": 36, "b": 64}
#: Top of the legend in plot fractions (negative: below the x axis and its title).
FIGURE_LEGEND_Y = -0.3
#: Longer chart titles are split before their parenthesis (a 1366 px screen gives a chart ~450 px).
TITLE_ONE_LINE_CHARS = 48
#: plotly.js config of the dashboard's charts: ``responsive`` makes each chart follow its grid
#: cell's width (the layout sets no width: a fixed one would overlap the next cell on a smaller screen).
FIGURE_CONFIG: dict[str, Any] = CHART_CONFIG


def waterfall_html(result: Any) -> str:
    """The path to the plan's engine count as a table (class ``ck-waterfall``): the inventory's
    sizing before measurement, the measured peaks, the composite, the per-LPAR packing, the plan.

    Parameters
    ----------
    result : ColonyPlanResult
        The plan result (:func:`colonykit.plan.story.waterfall`).

    Examples
    --------
    >>> html_ = waterfall_html(ExplorerModel("data/examples/scenario.yaml").state.result)
    >>> "sizing before measurement" in html_ and "ck-step-plan" in html_
    True
    """
    esc = html.escape
    rows = "".join(
        f"<tr class='ck-step-{esc(st.key)}'><td>{esc(st.label)}</td>"
        f"<td class='ck-num'>{st.engines}</td>"
        f"<td class='ck-num'>{'' if st.mips is None else f'{st.mips:,.0f}'}</td>"
        f"<td class='ck-note'>{esc(st.note)}</td></tr>"
        for st in story.waterfall(result)
    )
    return (
        "<table class='ck-waterfall'><tr><th>step</th><th>engines</th><th>MIPS</th><th></th></tr>"
        f"{rows}</table>"
    )


def headline_html(state: ExplorerState) -> str:
    """The headline as HTML: the plan's engine count with its range, tiles (MIPS, white space,
    disk, memory, paging, findings), the path to the count (:func:`waterfall_html`) and the
    first findings in the order that matters (:func:`colonykit.plan.story.ordered_findings`).

    CSS classes for tests: ``ck-engines-total``, ``ck-engines`` (per host), ``ck-engine-range``,
    ``ck-errors``.

    Parameters
    ----------
    state : ExplorerState
        The state to summarize.
    """
    h = state.headline
    esc = html.escape
    k = key_figures(state)
    a = story.answer(state.result)
    too_big = [b for b in ("low", "typical", "high") if not h["fits_machine"].get(b, True)]
    fit = (
        f"<p class='ck-error' style='color:#D55E00;margin:2px 0'>The {' / '.join(too_big)} estimate "
        f"needs more engines than the largest {esc(h['processor'])} has ({h['max_engines']}).</p>"
        if too_big
        else ""
    )
    per_host = " + ".join(
        f"<span class='ck-engines'>{cpus}</span>" for cpus in h["engines_per_host"]
    )
    basis = "composite of the traces" if a.basis == "composite" else "inventory"
    tiers = [i.tier for i in story.ordered_findings(state.result)]
    n_warn = sum(t in ("risk", "warning") for t in tiers)
    n_info = tiers.count("appendix")
    tiles = [
        (
            f"<span class='ck-engines-total'>{a.engines}</span>",
            f"engines: {per_host} on {a.hosts} host{'s' if a.hosts > 1 else ''}; range "
            f"<span class='ck-engine-range'>{a.low} / {a.typical} / {a.high}</span> "
            f"({'composite' if a.basis == 'composite' else 'sizing'} at low / typical / high WLF)",
        ),
        (f"{a.mips:,.0f}", f"MIPS sized ({esc(basis)}, {esc(a.bound)} bound)"),
        (_fmt_num(k["white_space_pct"], "%"), "white space (1 − composite utilization)"),
        (
            f"{k['disk_gib']:,.1f} + {k['data_disk_gib']:,.0f}",
            f"GiB disk: design (−{h['disk_saving_vs_dedicated_pct']:.0f} %) + data",
        ),
        (f"{k['memory_gib']:,.0f}", "GiB real storage"),
        (f"{k['paging_gib']:,.0f}", "GiB paging"),
        (
            f"<span class='ck-errors'>{h['errors']}</span> / {n_warn}",
            f"errors / risks and warnings (+{n_info} notes)",
        ),
    ]
    tile_html = "".join(
        f"<div class='ck-tile{' ck-tile-main' if i == 0 else ''}'><b>{v}</b><span>{t}</span></div>"
        for i, (v, t) in enumerate(tiles)
    )
    return (
        "<div class='ck-headline'>"
        f"{confidence_html(state)}"
        f"<div class='ck-tiles'>{tile_html}</div>{over_time_html(state)}"
        f"<p style='margin:2px 0'><b>{esc(h['processor'])}</b> at {h['target_util_pct']:g} % target; "
        f"design <b>{esc(h['design'])}</b> ({esc(h['platform'])}); {h['guests']} guests.</p>{fit}"
        f"{waterfall_html(state.result)}{_findings_list(state, limit=2)}</div>"
    )


#: Banner colour of each confidence rating (Okabe–Ito: vermillion, orange, bluish green).
CONFIDENCE_COLOURS: dict[str, str] = {"low": "#D55E00", "medium": "#E69F00", "high": "#009E73"}


def confidence_html(state: ExplorerState) -> str:
    """The plan's confidence (issue 23) as a banner (class ``ck-confidence ck-confidence-<rating>``):
    the rating, the engine range low / typical / high when the plan says to show it (a weak
    CPU conversion, a wide spread), and the reasons below high (name and level; the reason's
    text is its tooltip), on one line.

    Empty when the plan has no rating.

    Parameters
    ----------
    state : ExplorerState
        The state whose plan's ``evidence.confidence`` is shown.

    Examples
    --------
    >>> html_ = confidence_html(ExplorerModel("data/examples/bitbrains_colony.yaml").state)
    >>> "ck-confidence-low" in html_ and "ck-confidence-range" in html_
    True
    """
    conf = state.result.plan.evidence.confidence
    if not conf.evaluated:
        return ""
    v = conf.values
    rating = str(v.get("rating", ""))
    esc = html.escape
    rng = (
        f" — engines <span class='ck-confidence-range'>{v['engines_low']} / "
        f"{v['engines_typical']} / {v['engines_high']}</span> (low / typical / high)"
        if v.get("show_range") and "engines_typical" in v
        else ""
    )
    reasons = ", ".join(
        f"<span class='ck-reason-{esc(name)}' title='{esc(str(text), quote=True)}' "
        f"style='cursor:help;border-bottom:1px dotted'>{esc(name)} ({esc(str(text).split(':', 1)[0])})</span>"
        for name, text in v.items()
        # reasons are "<level>: <why>" (colonykit.confidence.to_plan_values)
        if isinstance(text, str) and ":" in text and text.split(":", 1)[0] in ("low", "medium")
    )
    colour = CONFIDENCE_COLOURS.get(rating, "#444")
    return (
        f"<div class='ck-confidence ck-confidence-{esc(rating)}' style='border-left:5px solid "
        f"{colour};padding:0 8px;margin:0 0 4px 0'><b style='color:{colour}'>confidence "
        f"{esc(rating.upper())}</b>{rng}"
        f"{f'; <span class=ck-reasons>because of {reasons}</span>' if reasons else ''}</div>"
    )


def over_time_html(state: ExplorerState) -> str:
    """One line under the headline tiles (class ``ck-over-time``) for the capacity plan over time
    (issue 21) and the business case (issue 22), when the plan has them: exhaustion date,
    upgrades, NPV, payback, licence cores today → colony, and the business case's first line
    when it rests on EXAMPLE PRICES or leaves inputs unpriced (short; the whole line in its
    tooltip and in the Business case tab).  Empty without either.

    Parameters
    ----------
    state : ExplorerState
        The state to read them from.

    Examples
    --------
    >>> over_time_html(ExplorerModel("data/examples/scenario.yaml").state)
    ''
    """
    res = state.result
    cap = res.capacity_plan
    bc = res.business_case
    esc = html.escape
    parts: list[str] = []
    if cap is not None:
        ex = cap.exhaustion
        when = (
            f"capacity exhausted <b class='ck-exhaustion'>{ex.date.isoformat()}</b> (month {ex.month})"
            if ex
            else f"capacity <b class='ck-exhaustion'>holds</b> for {cap.horizon_months} months"
        )
        parts.append(
            f"{when}, <b class='ck-upgrades'>{len(cap.upgrades)}</b> upgrade(s) in "
            f"{cap.horizon_months} months"
        )
    if bc is not None:
        pay = "—" if bc.payback_months is None else f"month {bc.payback_months}"
        flag = ""
        if bc.example_prices_used or bc.unpriced:
            short = (
                "EXAMPLE PRICES" if bc.example_prices_used else "NOT PRICED inputs"
            ) + " (see the Business case tab)"
            flag = (
                f" <span class='ck-bc-first-line ck-example-prices' title='{esc(bc.headline, quote=True)}' "
                f"style='color:#D55E00;font-weight:bold'>{short}</span>"
            )
        parts.append(
            f"NPV <b class='ck-npv'>{bc.npv:,.0f}</b> {esc(bc.currency)} ({bc.horizon_years} years), "
            f"payback <b class='ck-payback'>{pay}</b>, licence cores "
            f"<b class='ck-licence-cores'>{bc.today.licence_cores[0]:,.0f} → "
            f"{bc.colony.licence_cores[0]:,.0f}</b>{flag}"
        )
    if not parts:
        return ""
    return f"<p class='ck-over-time' style='margin:2px 0'>{' · '.join(parts)}</p>"


def business_case_html(state: ExplorerState) -> str:
    """The business case's first line (class ``ck-bc-first-line``; bold and in the warning colour
    when it rests on EXAMPLE PRICES) and its notes, or why there is none.

    Parameters
    ----------
    state : ExplorerState
        The state whose ``result.business_case`` is shown.

    Examples
    --------
    >>> "EXAMPLE PRICES" in business_case_html(ExplorerModel("data/examples/bitbrains_colony.yaml").state)
    True
    """
    bc = state.result.business_case
    esc = html.escape
    if bc is None:
        return (
            "<p class='ck-bc-first-line ck-bc-none'>No costs: section in the scenario: no "
            "business case (colonykit costs).</p>"
        )
    example = bool(bc.example_prices_used)
    style = "color:#D55E00;font-weight:bold" if example or bc.unpriced else "font-weight:bold"
    return (
        f"<p class='ck-bc-first-line{' ck-example-prices' if example else ''}' "
        f"style='{style};margin:2px 0'>{esc(bc.headline)}</p>"
        f"<p style='margin:2px 0'>NPV {bc.npv:,.0f} {esc(bc.currency)} over {bc.horizon_years} "
        f"years at {bc.inputs.discount_pct:g} %; {bc.upgrades_used} upgrade(s) of the capacity "
        "plan bought.</p>"
    )


def saved_comparison_html(comparison: compare.ScenarioComparison) -> str:
    """Saved scenarios side by side (class ``ck-saved-compare``), the first line above the table.

    Parameters
    ----------
    comparison : colonykit.plan.compare.ScenarioComparison
        :func:`colonykit.plan.compare.compare_saved`.
    """
    f = comparison.frame().astype(object)
    f = f.where(f.notna(), "n/a").map(lambda v: f"{v:,.0f}" if isinstance(v, float) else str(v))
    first = comparison.first_line
    style = "color:#D55E00;font-weight:bold" if first.startswith("EXAMPLE") else "font-weight:bold"
    return f"<p class='ck-compare-first-line' style='{style}'>{html.escape(first)}</p>" + f.to_html(
        classes="ck-saved-compare ck-hosts", escape=True
    )


def export_status_html(state: ExplorerState, done: str, what: str) -> str:
    """Status line after an export: ``done`` (plain text) or, when the plan has error findings,
    ``"<what> with N error finding(s): CK002 …"`` first, in the error colour (class ``ck-plan-errors``).

    The files are written either way (like ``colonykit plan``, which exits 1 on error findings):
    the status must not read as a plain success then.

    Parameters
    ----------
    state : ExplorerState
        The state that was exported (its findings).
    done : str
        The plain status text (what was written).
    what : str
        What was exported (``Plan exported`` …), the start of the error status.

    Examples
    --------
    >>> m = ExplorerModel("data/examples/scenario.yaml")
    >>> export_status_html(m.state, "exported 3 files to out", "Plan exported")
    "<span class='ck-status'>exported 3 files to out</span>"
    >>> "Plan exported with 1 error finding: CK002 " in export_status_html(
    ...     m.update(max_memory_overcommit_ratio=1.2), "exported 3 files to out", "Plan exported")
    True
    """
    f = state.findings
    err = f[f["severity"] == "error"]
    if err.empty:
        return f"<span class='ck-status'>{html.escape(done)}</span>"
    codes = list(dict.fromkeys(err["code"].astype(str)))
    first = str(err["message"].iloc[0])
    n = len(err)
    return (
        f"<span class='ck-status ck-plan-errors' style='color:#D55E00;font-weight:bold'>"
        f"{html.escape(what)} with {n} error finding{'s' if n != 1 else ''}: {html.escape(' '.join(codes))} "
        f"({html.escape(first)}{'; …' if n > 1 else ''}); fix before provisioning. "
        f"<span style='font-weight:normal'>{html.escape(done)}</span></span>"
    )


def _findings_list(state: ExplorerState, limit: int | None = None) -> str:
    """Findings in the order that matters (errors, risks, warnings); with ``limit``, the
    appendix (information, not risks) is left to the Hosts tab."""
    items = story.ordered_findings(state.result)
    if limit is not None:
        items = tuple(i for i in items if i.tier != "appendix")
    shown = items if limit is None else items[:limit]
    lis = (
        "".join(
            f"<li class='ck-{html.escape(i.tier)}'><b>{html.escape(i.code)}</b> "
            f"{html.escape(i.tier if i.tier != 'appendix' else 'information')}: "
            f"{html.escape(i.message)}</li>"
            for i in shown
        )
        or "<li>no risks found</li>"
    )
    more = (
        f"<li>… {len(items) - len(shown)} more (tab Hosts, findings)</li>"
        if len(items) > len(shown)
        else ""
    )
    return f"<ul class='ck-findings' style='margin:2px 0'>{lis}{more}</ul>"


def hosts_findings_html(state: ExplorerState) -> str:
    """Hosts (engines, guests, real storage, paging) and every finding, as HTML.

    Parameters
    ----------
    state : ExplorerState
        The state whose hosts and findings are listed.
    """
    h = state.headline
    esc = html.escape
    rows = "".join(
        f"<tr><td>{esc(hid)}</td><td>{cpus}</td><td>{g}</td><td>{mem:g}</td>"
        f"<td>{pg:g} ({pv})</td></tr>"
        for hid, cpus, g, mem, pg, pv in zip(
            h["hosts"],
            h["engines_per_host"],
            h["guests_per_host"],
            h["memory_gib_per_host"],
            h["paging_gib_per_host"],
            h["paging_volumes_per_host"],
            strict=True,
        )
    )
    return (
        "<table class='ck-hosts'><tr><th>host</th><th>engines</th><th>guests</th>"
        "<th>real storage [GiB]</th><th>paging [GiB] (volumes)</th></tr>"
        f"{rows}</table><p>Findings: {h['errors']} error(s), {h['warnings']} warning(s)</p>"
        f"{_findings_list(state)}"
    )


def dashboard_layout(source: go.Figure, height_px: int = FIGURE_HEIGHT_PX) -> go.Figure:
    """Fit a :mod:`colonykit.plots` figure to a dashboard cell (in place; returned).

    ``height_px`` high, no fixed width (the cell's), the legend under the axis title, and a
    title longer than :data:`TITLE_ONE_LINE_CHARS` split before its parenthesis.

    Parameters
    ----------
    source : plotly Figure
        A :mod:`colonykit.plots` figure, changed in place.
    height_px : int, optional
        Height of the dashboard cell [px].

    Examples
    --------
    >>> f = dashboard_layout(go.Figure(layout={"title": {"text": "Memory and paging per host "
    ...                                                         "(guest virtual stacked by source server)"}}))
    >>> f.layout.title.text
    'Memory and paging per host<br><sup>(guest virtual stacked by source server)</sup>'
    >>> f.layout.height, f.layout.width
    (270, None)
    >>> dashboard_layout(f).layout.margin.t == f.layout.margin.t  # idempotent
    True
    """
    source.layout.height = height_px  # before the widget exists: its first state has it
    source.layout.width = None
    source.layout.autosize = True
    title = source.layout.title.text or ""
    split = "<br><sup>(" in title  # laid out before: the same layout again (idempotent)
    two_lines = split or (
        len(title) > TITLE_ONE_LINE_CHARS and " (" in title and "<br>" not in title
    )
    if two_lines and not split:
        # a long title would be cut at a 450 px cell: its parenthesis goes to a second line
        head, rest = title.split(" (", 1)
        source.layout.title.text = f"{head}<br><sup>({rest}</sup>"
    source.layout.margin = {**FIGURE_MARGIN, "t": FIGURE_MARGIN["t"] + (16 if two_lines else 0)}
    source.layout.legend.update(yanchor="top", y=FIGURE_LEGEND_Y)  # under the axis title, not on it
    return source


_DASH_CSS = """<style>
.ck-explorer{font-family:Arial,Helvetica,sans-serif}
.ck-left{border-right:1px solid #ddd;padding-right:10px}
.ck-tiles{display:flex;flex-wrap:wrap;gap:6px;margin:0 0 4px 0}
.ck-tile{border:1px solid #cfd8e3;border-radius:4px;padding:3px 10px;background:#f5f8fb;min-width:92px}
.ck-tile b{display:block;font-size:1.45em;color:#0072B2}.ck-tile span{font-size:.8em;color:#444}
.ck-tile-main b{font-size:2.1em}.ck-tile-main{max-width:260px}
.ck-waterfall{border-collapse:collapse;font-size:.85em;margin:2px 0}
.ck-waterfall td,.ck-waterfall th{padding:0 8px;text-align:left}.ck-waterfall .ck-num{text-align:right}
.ck-waterfall .ck-note{color:#666}.ck-step-plan td{font-weight:bold}
.ck-step-inventory td{color:#777;font-style:italic}
.ck-compare td,.ck-compare th{padding:1px 8px;text-align:right;font-size:.9em}
.ck-compare th:first-child,.ck-compare td:first-child{text-align:left}
.ck-hosts td,.ck-hosts th{padding:1px 10px;text-align:right}
.ck-up{color:#D55E00}.ck-down{color:#009E73}
.ck-right{padding-left:6px;box-sizing:border-box;max-width:100%}
.ck-compare-wrap{max-width:100%;overflow-x:auto}
.ck-right .lm-TabBar-tab{flex:0 0 auto !important;max-width:none !important}
.ck-charts>.widget-box{overflow:hidden}
.ck-busy .ck-charts,.ck-busy .ck-headline,.ck-busy .ck-compare-wrap{opacity:.55;transition:opacity .15s}
.ck-busy{cursor:progress}.ck-updating{color:#E69F00;font-weight:bold}
@media (max-width:1180px){.ck-charts{grid-template-columns:minmax(0,1fr) !important}}
</style>"""


def _fmt_num(v: float | None, unit: str = "") -> str:
    if v is None or v != v:
        return "—"
    text = f"{v:,.0f}" if abs(v) >= 100 or float(v).is_integer() else f"{v:,.1f}"
    return f"{text} {unit}".strip()


def comparison_html(model: ExplorerModel) -> str:
    """Baseline vs current as an HTML table (class ``ck-compare``); a hint when nothing is pinned.

    Parameters
    ----------
    model : ExplorerModel
        The explorer model (its pinned baseline and current state).
    """
    if model.baseline is None:
        return (
            "<p class='ck-compare-hint' style='color:#555;margin:2px 0'>Pin a baseline to compare "
            "settings side by side.</p>"
        )
    c = model.comparison()
    head = "".join(
        f"<th>{html.escape(str(label))}{' [' + html.escape(str(unit)) + ']' if unit else ''}</th>"
        for label, unit in zip(c["label"], c["unit"], strict=True)
    )

    def row(name: str, col: str, diff: bool = False) -> str:
        cells = []
        for r in c.itertuples():
            v = getattr(r, col)
            if diff and v is not None and v == v and abs(v) > 1e-9:
                cls = "ck-up" if v > 0 else "ck-down"
                cells.append(f"<td class='{cls}'>{'+' if v > 0 else '−'}{_fmt_num(abs(v))}</td>")
            else:
                cells.append(f"<td>{_fmt_num(v)}</td>")
        return f"<tr class='ck-row-{col}'><td>{name}</td>{''.join(cells)}</tr>"

    return (
        f"<div class='ck-compare-wrap'><table class='ck-compare'><tr><th></th>{head}</tr>"
        f"{row('baseline', 'baseline')}{row('current', 'current')}"
        f"{row('difference', 'difference', diff=True)}</table></div>"
    )


def inventory_html(model: ExplorerModel, highlight: str | None = None) -> str:
    """The inventory lines the server table edits, as HTML (the edited line highlighted).

    Parameters
    ----------
    model : ExplorerModel
        The explorer model (its current inventory).
    highlight : str or None, optional
        Server whose line is highlighted (the last edited).
    """
    cols = ["server", "role", *EDITABLE_COLUMNS, "memory_mib"]
    inv = model.inventory
    head = "".join(f"<th>{html.escape(c)}</th>" for c in cols)
    rows = []
    for d in inv[[c for c in cols if c in inv.columns]].to_dict("records"):
        style = " style='background:#fff3c4'" if str(d["server"]) == highlight else ""
        rows.append(
            f"<tr{style}>"
            + "".join(f"<td>{html.escape(str(d.get(c, '')))}</td>" for c in cols)
            + "</tr>"
        )
    return (
        f"<div style='max-height:520px;overflow:auto'><table class='ck-hosts ck-inventory'><tr>{head}</tr>"
        f"{''.join(rows)}</table></div>"
    )


def placeholder_figure(name: str) -> go.Figure:
    """What a chart shows when the plan cannot have it: its :attr:`ChartSpec.note` (why).

    Parameters
    ----------
    name : str
        The chart (:data:`FIGURES`).

    Examples
    --------
    >>> placeholder_figure("capacity_plan").layout.annotations[0].text[:20]
    'No capacity plan ove'
    """
    note = (
        next((c.note for c in specs.CHARTS if c.name == name), "") or "not available for this plan"
    )
    fig = go.Figure(layout={"title": {"text": name.replace("_", " ")}})
    fig.add_annotation(text=note, showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper")
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return fig


def _figure_of(state: ExplorerState, name: str) -> go.Figure:
    """The state's figure, or its placeholder when the plan has none."""
    fig = state.figures.get(name)
    return placeholder_figure(name) if fig is None else fig


__all__ = [
    "CONFIDENCE_COLOURS",
    "FIGURE_CONFIG",
    "FIGURE_HEIGHT_PX",
    "FIGURE_LEGEND_Y",
    "FIGURE_MARGIN",
    "TITLE_ONE_LINE_CHARS",
    "business_case_html",
    "comparison_html",
    "confidence_html",
    "dashboard_layout",
    "export_status_html",
    "headline_html",
    "hosts_findings_html",
    "inventory_html",
    "over_time_html",
    "placeholder_figure",
    "saved_comparison_html",
    "waterfall_html",
]
