"""Workshop report: one self-contained, offline HTML file for a colony plan.

:func:`build_report` turns a :class:`~colonykit.plan.ColonyPlanResult` into one HTML
document: the headline numbers, the findings, the sizing ranges, the chosen design and
the design comparison, memory and paging per host, channel busy, the evidence (what was
evaluated, by which method, and what was not) and every assumption with its source.
Figures come from :mod:`colonykit.plots`; plotly.js is inlined once, so the file works
without a network.  :func:`write_report` writes it atomically.

Examples
--------
>>> from colonykit import plan, report
>>> html = report.build_report(plan.build_plan("data/examples/scenario.yaml"))
>>> html.startswith("<!DOCTYPE html>"), "<script src=" in html
(True, False)
"""

from __future__ import annotations

import datetime as _dt
import html as _html
import json
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from plotly.offline import get_plotlyjs

from colonykit import designs, plots
from colonykit._arrays import to_float
from colonykit._atomic import atomic_write_bytes, atomic_write_text
from colonykit._cells import xlsx_text_cells
from colonykit._optional import require
from colonykit.errors import InputError
from colonykit.plan import evidence as _evidence
from colonykit.plan import story
from colonykit.plan.summary import disk_volumes, headline
from colonykit.reference import row_of
from colonykit.units import MIB_PER_GIB

if TYPE_CHECKING:
    from colonykit.plan import ColonyPlanResult
    from colonykit.whitespace import WhiteSpaceResult

#: plotly config for embedded figures (no logo, no network-backed buttons).
PLOTLY_CONFIG: dict[str, Any] = {
    "displaylogo": False,
    "responsive": True,
    "modeBarButtonsToRemove": ["sendDataToCloud"],
}

_CSS = """
body{font-family:Arial,Helvetica,sans-serif;margin:0 auto;max-width:1100px;padding:1em 2em;color:#222}
h1{border-bottom:3px solid #0072B2}h2{color:#0072B2;margin-top:1.6em}
table{border-collapse:collapse;margin:.5em 0;font-size:.9em}
td,th{border:1px solid #ccc;padding:3px 8px;text-align:left;vertical-align:top}
th{background:#f0f4f8}td.num{text-align:right;font-variant-numeric:tabular-nums}
.sev-error{color:#D55E00;font-weight:bold}.sev-warning{color:#a66f00}
.note{color:#555;font-size:.9em}.figure{margin:1em 0;border:1px solid #eee}
.headline td{font-size:1.05em}
"""


def _e(x: Any) -> str:
    return _html.escape(str(x))


def _fmt(v: Any) -> str:
    if isinstance(v, bool) or v is None:
        return _e(v)
    if isinstance(v, int):
        return f"{v:,}"
    if isinstance(v, float):
        return f"{v:,.2f}" if abs(v) < 1e6 else f"{v:,.0f}"
    if isinstance(v, dict):
        return _e(json.dumps(v, default=str))
    return _e(v)


def _table(rows: list[dict[str, Any]], columns: list[str] | None = None, cls: str = "") -> str:
    if not rows:
        return "<p class='note'>(none)</p>"
    cols = columns or list(rows[0])
    head = "".join(f"<th>{_e(c)}</th>" for c in cols)
    body = []
    for r in rows:
        cells = []
        for c in cols:
            v = r.get(c, "")
            num = isinstance(v, int | float) and not isinstance(v, bool)
            cells.append(f"<td class='{'num' if num else ''}'>{_fmt(v)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table class='{cls}'><tr>{head}</tr>{''.join(body)}</table>"


def _frame_rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [
        {str(k): (v.item() if hasattr(v, "item") else v) for k, v in r.items()}
        for r in frame.to_dict(orient="records")
    ]


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


def _fig_html(name: str, fig: go.Figure) -> str:
    div = pio.to_html(
        fig, full_html=False, include_plotlyjs=False, div_id=f"fig-{name}", config=PLOTLY_CONFIG
    )
    return f"<div class='figure' data-figure='{_e(name)}'>{div}</div>"


def _evidence_section(result: ColonyPlanResult, refs: References) -> str:
    parts = []
    for name, item in _evidence.sections(result.plan.evidence):
        state = (
            "evaluated"
            if item.evaluated
            else "not applicable"
            if not item.applicable
            else "NOT evaluated"
        )
        values = (
            _table([{"name": k, "value": v} for k, v in item.values.items()]) if item.values else ""
        )
        cited = refs.cite(f"{item.method}; {item.source}") if (item.method or item.source) else ""
        method = (
            re.sub(
                r"\s*\(\s*\)", "", _SEED_RE.sub("", _INTERNAL_RE.sub("", item.method or ""))
            ).strip(" ,;")
            or "—"
        )  # keys are cited (and listed in the appendix), not shown
        parts.append(
            f"<h3>{_e(name.replace('_', ' '))}: {state}</h3>"
            f"<p>method: {_e(method)}{' ' + _e(cited) if cited else ''}"
            f"{'; note: ' + _e(item.note) if item.note else ''}</p>{values}"
        )
    return "".join(parts)


# --------------------------------------------------------------------------- document facts
@dataclass(frozen=True)
class DocumentInfo:
    """What the title page says: who the plan is for, by whom, when, which revision.

    Read from the scenario's ``metadata`` section when it has one (``customer``, ``project``,
    ``author``, ``date``), each overridable (``colonykit report --customer …``); the revision
    is the plan's ``metadata.revision``.

    Parameters
    ----------
    customer : str, optional
        Who the plan is for.
    project : str, optional
        The project's name.
    author : str, optional
        Who wrote the plan.
    date : str, optional
        The document's date.
    revision : int, default 1
        The plan's ``metadata.revision``.
    """

    customer: str = ""
    project: str = ""
    author: str = ""
    date: str = ""
    revision: int = 1


def document_info(result: ColonyPlanResult, **overrides: Any) -> DocumentInfo:
    """The :class:`DocumentInfo` of a plan result (scenario metadata, then ``overrides``).

    Parameters
    ----------
    result : ColonyPlanResult
        The result of :func:`colonykit.plan.build_plan`.
    **overrides
        ``customer``, ``project``, ``author``, ``date`` or ``revision``, replacing the scenario's.

    Examples
    --------
    >>> from colonykit import plan
    >>> info = document_info(plan.build_plan("data/examples/scenario.yaml"), customer="XYZ")
    >>> info.customer, info.revision
    ('XYZ', 1)
    """
    meta = getattr(result.scenario, "metadata", None)
    found: dict[str, Any] = {}
    for name in ("customer", "project", "author", "date"):
        value = getattr(meta, name, None) if meta is not None else None
        if value not in (None, ""):
            found[name] = str(value)
    found.setdefault("project", str(result.plan.metadata.name))
    found.setdefault("date", _dt.datetime.now(_dt.UTC).date().isoformat())
    found["revision"] = int(result.plan.metadata.revision)
    found.update({k: v for k, v in overrides.items() if v not in (None, "")})
    return DocumentInfo(**found)


# --------------------------------------------------------------------------- references
_SEED_RE = re.compile(r"\b(seed \d{3}|SG24-6824)\b\s*((?:§|Table|Fig)[^;,()]*)?")
_URL_RE = re.compile(r"https?://\S+")
_INTERNAL_RE = re.compile(
    r"\b(?:facts|provisioning-formats|tooling)\.md\b\s*(?:§\s*[\d.]+[a-z]?)?[:,]?\s*"
)


def public_source(source: str) -> str:
    """A source string without colonykit's internal file keys (``facts.md §1.6``), seeds named by publication.

    Parameters
    ----------
    source : str
        A source string of a reference table or finding.

    Examples
    --------
    >>> public_source("facts.md §1.6 IBM AIX tip http://x.example/a")
    'IBM AIX tip http://x.example/a'
    >>> public_source("seed 003 §2.3")
    'SG24-6299-00 §2.3'
    """
    pubs = publications()

    def seed(m: re.Match[str]) -> str:
        key = m.group(1)
        num: Any = pubs.loc[key, "number"] if key in pubs.index else None
        name = (
            str(num)
            if num is not None and pd.notna(num)
            else str(pubs.loc[key, "title"])
            if key in pubs.index
            else key
        )
        return f"{name} {m.group(2) or ''}".strip()

    return _SEED_RE.sub(seed, _INTERNAL_RE.sub("", str(source))).strip(" ;,")


@lru_cache(maxsize=1)
def publications() -> pd.DataFrame:
    """The publications the source keys name (``colonykit/_data/publications.csv``), by key."""
    from colonykit import reference

    return reference.load_table("publications", index="key")


@dataclass(frozen=True)
class Citation:
    """One numbered reference of the report: a publication (or web page) and the sections cited.

    Parameters
    ----------
    number : int
        The reference's number in the report.
    title : str
        Title of the publication or page.
    publication : str, optional
        Publication number (e.g. ``SG24-6299-00``).
    publisher : str, optional
        Publisher.
    year : str, optional
        Year of publication.
    url : str, optional
        Address of a web source.
    sections : tuple of str, optional
        The sections cited.
    """

    number: int
    title: str
    publication: str = ""
    publisher: str = ""
    year: str = ""
    url: str = ""
    sections: tuple[str, ...] = ()

    def text(self) -> str:
        """``[n] SG24-6299-00, "Title", IBM Redbooks, 2001, §2.3, §9.1.1``."""
        parts = [
            self.publication,
            f"“{self.title}”" if self.title else "",
            self.publisher,
            self.year,
            ", ".join(self.sections),
            self.url,
        ]
        return f"[{self.number}] " + ", ".join(p for p in parts if p)


class References:
    """Numbered references built from internal source keys (``seed 003 §9.1.1``, ``facts.md §2.2 … URL``).

    :meth:`cite` turns one source string into ``[1] §9.1.1; [4]``; :attr:`entries` is the
    numbered list; :attr:`keys` maps every internal key seen to what it was cited as
    (the appendix).
    """

    def __init__(self) -> None:
        self._by_id: dict[str, dict[str, Any]] = {}
        self.keys: dict[str, str] = {}

    def _ref(self, ident: str, **info: Any) -> dict[str, Any]:
        if ident not in self._by_id:
            self._by_id[ident] = {"number": len(self._by_id) + 1, "sections": [], **info}
        return self._by_id[ident]

    def cite(self, source: str) -> str:
        """The citation text for one source string (empty when it names no publication).

        Parameters
        ----------
        source : str
            A source string of a reference table or finding.
        """
        if not source:
            return ""
        out: list[str] = []
        pubs = publications()
        for part in (x.strip() for x in str(source).split(";")):
            if not part:
                continue
            seeds = list(_SEED_RE.finditer(part))
            for m in seeds:
                key, section = m.group(1), (m.group(2) or "").strip()
                row = row_of(pubs, key) if key in pubs.index else None
                ref = self._ref(
                    key,
                    title=str(row["title"]) if row is not None else key,
                    publication=str(row["number"])
                    if row is not None and pd.notna(row["number"])
                    else "",
                    publisher=str(row["publisher"])
                    if row is not None and pd.notna(row["publisher"])
                    else "",
                    year=str(int(row["year"])) if row is not None and pd.notna(row["year"]) else "",
                    url=str(row["url"]) if row is not None and pd.notna(row["url"]) else "",
                )
                if section and section not in ref["sections"]:
                    ref["sections"].append(section)
                out.append(f"[{ref['number']}]" + (f" {section}" if section else ""))
            urls = _URL_RE.findall(part)
            if urls and not seeds:
                title = _URL_RE.sub("", _INTERNAL_RE.sub("", part)).strip(" ,:;()[]")
                ref = self._ref(urls[0], title=title or urls[0], url=urls[0])
                out.append(f"[{ref['number']}]")
            elif not seeds and not urls:
                lowered = part.lower()
                kind = (
                    "colonykit derivation"
                    if lowered.startswith("derived")
                    else "planner assumption"
                    if lowered.startswith("assumption")
                    else "colonykit default"
                    if lowered.startswith("colonykit")
                    else ""
                )
                if kind:
                    out.append(kind)
        text = "; ".join(dict.fromkeys(out))
        self.keys[str(source)] = text
        return text

    @property
    def entries(self) -> list[Citation]:
        """The numbered references, in the order first cited."""
        return [
            Citation(
                number=r["number"],
                title=r.get("title", ""),
                publication=r.get("publication", ""),
                publisher=r.get("publisher", ""),
                year=r.get("year", ""),
                url=r.get("url", ""),
                sections=tuple(r["sections"]),
            )
            for r in self._by_id.values()
        ]


# --------------------------------------------------------------------------- executive summary
def executive_summary(result: ColonyPlanResult) -> dict[str, Any]:
    """The answer on one page, each value read from the result.

    Keys: ``configuration`` (processor, hosts, engines per host, memory and paging per host,
    design), ``engines_peak`` and ``engines_composite`` (None until the plan sizes on the
    composite), ``white_space_pct``, ``servers`` / ``engines_total`` / ``consolidation_ratio``
    (servers per engine), ``overcommit`` (per host: ratio and limit), ``disk_saving_pct``,
    ``answer`` and ``waterfall`` (:mod:`colonykit.plan.story`: the plan's engine count with its
    range, and the path to it), ``risks`` (errors, risks that change the answer, warnings:
    :func:`colonykit.plan.story.main_risks`), ``information`` (the appendix: rules not chosen,
    what a target cannot carry, evidence not evaluated).

    Parameters
    ----------
    result : ColonyPlanResult
        The result of :func:`colonykit.plan.build_plan`.

    Examples
    --------
    >>> from colonykit import plan
    >>> s = executive_summary(plan.build_plan("data/examples/scenario.yaml"))
    >>> s["servers"], s["engines_total"], s["consolidation_ratio"]
    (26, 2, 13.0)
    """
    p = result.plan
    h = headline(result)
    sz = result.sizing
    sizing_values = p.evidence.sizing.values
    engines_peak = sizing_values.get("engines_peak")
    if engines_peak is None and sz is not None:
        engines_peak = h["engines"].get(h["bound"])
    engines_composite = sizing_values.get("engines_composite")
    composite = [
        (x.capacity.composite_peak_mips, x.capacity.mips_usable)
        for x in p.hosts
        if x.capacity.composite_peak_mips is not None and x.capacity.mips_usable is not None
    ]
    composite_peak_mips = sum(c for c, _u in composite) if composite else None
    mips_usable = sum(u for _c, u in composite) if composite else None
    servers = int(sz.servers["count"].sum()) if sz is not None else h["guests"]
    engines_total = int(sum(h["engines_per_host"]))
    ws = p.evidence.white_space
    overcommit = [
        {
            "host": x.id,
            "virtual_gib": sum(g.memory_mib for g in x.guests) / MIB_PER_GIB,
            "real_gib": float(x.capacity.memory_gib),
            "ratio": p.evidence.memory.values.get(f"{x.id}.overcommit_ratio"),
            "limit": float(x.rules.max_memory_overcommit_ratio),
        }
        for x in p.hosts
    ]
    ordered = story.ordered_findings(result)
    risks = [
        f"{i.code} ({'risk' if i.tier == 'risk' else i.tier}): {i.message}"
        for i in ordered
        if i.tier != "appendix"
    ]
    information = [f"{i.code}: {i.message}" for i in ordered if i.tier == "appendix"]
    for name, item in _evidence.sections(p.evidence):
        if item.applicable and not item.evaluated:
            information.append(f"{name.replace('_', ' ')} not evaluated: {item.note or 'no data'}")
    design_values = p.evidence.design.values
    return {
        "configuration": {
            "processor": h["processor"],
            "hosts": len(p.hosts),
            "engines_per_host": h["engines_per_host"],
            "cpu_type": p.hosts[0].capacity.cpu_type if p.hosts else "",
            "memory_gib_per_host": h["memory_gib_per_host"],
            "paging_gib_per_host": h["paging_gib_per_host"],
            "design": h["design"],
            "platform": h["platform"],
            "guests": h["guests"],
            "target_util_pct": h["target_util_pct"],
            "bound": h["bound"],
        },
        "engines_range": h["engines"],
        "engines_peak": engines_peak,
        "engines_composite": engines_composite,
        "composite_peak_mips": composite_peak_mips,
        "mips_usable": mips_usable,
        "white_space_pct": ws.values.get("white_space_pct") if ws.evaluated else None,
        "non_coincidence_saving_pct": ws.values.get(
            "non_coincidence_saving_pct", ws.values.get("white_space_pct")
        )
        if ws.evaluated
        else None,
        "white_space_servers": ws.values.get("servers") if ws.evaluated else None,
        "white_space_note": ws.note,
        "servers": servers,
        "engines_total": engines_total,
        "consolidation_ratio": servers / engines_total if engines_total else float("nan"),
        "overcommit": overcommit,
        "disk_total_gib": h["disk_total_gib"],
        "disk_saving_pct": h["disk_saving_vs_dedicated_pct"],
        "data_disk_gib": float(design_values.get("application_disk_gib") or 0.0),
        "disk_volumes": disk_volumes(p).text() if p.metadata.platform == "zvm" else "",
        "answer": story.answer(result),
        "waterfall": story.waterfall(result),
        "risks": risks,
        "confidence": p.evidence.confidence.note if p.evidence.confidence.evaluated else None,
        "information": information,
    }


def _summary_html(result: ColonyPlanResult, s: dict[str, Any]) -> str:
    c = s["configuration"]
    per_host = ", ".join(f"{n}" for n in c["engines_per_host"])
    mem = ", ".join(f"{m:g}" for m in c["memory_gib_per_host"])
    paging = ", ".join(f"{m:g}" for m in c["paging_gib_per_host"])
    if s["engines_composite"] is not None:
        comp = f"<b>{s['engines_composite']}</b> engines (sized on the servers' composite trace)"
    elif s["composite_peak_mips"] is not None:
        comp = (
            f"the traced servers' composite peak is {s['composite_peak_mips']:,.0f} MIPS of the "
            f"{s['mips_usable']:,.0f} usable MIPS of the planned engines "
            f"({100 * s['composite_peak_mips'] / s['mips_usable']:.0f} %)"
        )
    else:
        comp = "not evaluated (no utilization traces: the plan sizes on the servers' peaks)"
    if s["non_coincidence_saving_pct"] is not None:
        ws = (
            f"non-coincidence saving: {s['non_coincidence_saving_pct']:.1f} % of the sum of the individual "
            f"peaks is never used at the same time ({s['white_space_servers']} traced servers)"
        )
        if "non_coincidence_saving_pct" in (ws_values := result.plan.evidence.white_space.values):
            ws = (
                f"white space (1 − utilization of capacity sized at the composite peak, seed 003 "
                f"§2.3): {to_float(ws_values['white_space_pct']):.1f} %; " + ws
            )
    else:
        ws = f"not measured: {_e(s['white_space_note'] or 'no utilization traces')}"
    oc = "; ".join(
        f"{o['host']}: {o['virtual_gib']:.1f} GiB guest virtual on {o['real_gib']:g} GiB real = "
        + (f"{o['ratio']:.2f}:1" if o["ratio"] is not None else "not evaluated")
        + f" (limit {o['limit']:g}:1)"
        for o in s["overcommit"]
    )
    a = s["answer"]
    steps = "".join(
        f"<tr class='step-{_e(st.key)}'><td>{_e(st.label)}</td><td class='num'>{st.engines}</td>"
        f"<td class='num'>{'' if st.mips is None else f'{st.mips:,.0f}'}</td>"
        f"<td>{_e(st.note)}</td></tr>"
        for st in s["waterfall"]
    )
    rows = [
        (
            "Confidence",  # issue 23: the plan's rating and its reasons, first
            f"<b>{_e(s['confidence'])}</b>" if s.get("confidence") else "not rated",
        ),
        (
            "Recommended configuration",
            f"{c['hosts']} × {_e(c['platform'])} {'LPAR' if c['platform'] == 'zvm' else 'host'}(s) on a "
            f"<b>{_e(c['processor'])}</b>, {per_host} {_e(c['cpu_type'])} engine(s) per host, {mem} GiB real "
            f"storage, {paging} GiB paging; design <b>{_e(c['design'])}</b>; {c['guests']} guests",
        ),
        (
            "Engines",
            f"<b class='answer-engines'>{a.engines}</b> (range <span class='answer-range'>{a.low} / "
            f"{a.typical} / {a.high}</span> low / typical / high of the "
            f"{'composite' if a.basis == 'composite' else 'inventory sizing'}, {a.mips:,.0f} MIPS at "
            f"the {_e(a.bound)} bound, {c['target_util_pct']:g} % target)",
        ),
        (
            "Path to the engine count",
            "<table class='waterfall'><tr><th>step</th><th>engines</th><th>MIPS</th><th></th></tr>"
            f"{steps}</table>",
        ),
        ("Engines by composite", comp),
        (
            "Consolidation ratio",
            f"<b>{s['servers']} servers on {s['engines_total']} engines</b> = "
            f"{s['consolidation_ratio']:.1f} servers per engine",
        ),
        ("White space", ws),
        ("Memory and overcommit", oc),
        (
            "Disk",
            f"{s['disk_total_gib']:,.1f} GiB for the design, <b>{s['disk_saving_pct']:.0f} % less</b> "
            f"than dedicated disks per server; "
            + (
                _e(s["disk_volumes"])
                if s.get("disk_volumes")
                else f"{s['data_disk_gib']:,.0f} GiB of data disks"
            ),
        ),
    ]
    table = "".join(f"<tr><th>{_e(k)}</th><td>{v}</td></tr>" for k, v in rows)
    risks = "".join(f"<li>{_e(r)}</li>" for r in s["risks"][:6]) or "<li>no findings</li>"
    more = (
        f"<p class='note'>{len(s['risks']) - 6} more in the findings section.</p>"
        if len(s["risks"]) > 6
        else ""
    )
    return f"<table class='exec'>{table}</table><h3>Main risks</h3><ul class='risks'>{risks}</ul>{more}"


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
    e = cap.exhaustion
    first = cap.upgrades[0] if cap.upgrades else None
    line = (
        f"<b>the installed plan runs out on {_e(e.date.isoformat())}</b> (month {e.month}): {_e(e.reason)}"
        if e is not None
        else f"the installed plan holds for the {cap.horizon_months} months projected"
    )
    if first is not None:
        line += (
            f"; first upgrade: order by <b>{_e(first.order_by.isoformat())}</b> "
            f"({_e(first.host)} +{first.add_engines} engines, +{first.add_memory_gib:g} GiB)"
        )
    if cap.machine_max is not None:
        line += f"; the machine's maximum is reached on {_e(cap.machine_max.date.isoformat())}"
    summary = f"<p class='capacity-summary'><b>Capacity over time:</b> {line}.</p>"
    rows = _frame_rows(cap.upgrades_frame("typical"))
    counts = ", ".join(
        f"{b} {len(cap.upgrades_by_bound.get(b, ()))}" for b in ("low", "typical", "high")
    )
    bt = cap.backtest
    backtest = (
        f"<p>Backtest (last {bt.holdout_weeks} weeks held out): the projected weekly composite peak "
        f"was {bt.error_pct:.1f} % off, the seasonal-naive forecast {bt.naive_error_pct:.1f} %.</p>"
        if bt is not None
        else ""
    )
    section = (
        f"<h2 id='capacity'>Capacity over time</h2><p>{line}. Growth: {_e(cap.method)}, "
        f"{cap.horizon_months} months in steps of {cap.step_months}; upgrades in steps of "
        f"{cap.increment_engines} engine(s) and {cap.increment_memory_gib:g} GiB, ordered "
        f"{cap.lead_time_months} month(s) ahead; upgrades by bound: {counts}.</p>{backtest}"
        + figure_html
        + (_table(rows) if rows else "<p>No upgrade needed within the horizon.</p>")
        + "".join(f"<p class='note'>{_e(n)}</p>" for n in cap.notes)
    )
    return summary, section


def _ws_table(ws_result: WhiteSpaceResult, refs: References) -> str:
    rows = [
        {
            "figure": "sum of the individual peaks",
            "value": ws_result.sum_of_peaks,
            "unit": ws_result.unit,
        },
        {"figure": "composite peak", "value": ws_result.composite_peak, "unit": ws_result.unit},
        {"figure": "composite mean", "value": ws_result.composite_mean, "unit": ws_result.unit},
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
            "unit": ws_result.unit,
        },
        {"figure": "servers traced", "value": int(ws_result.servers), "unit": ""},
        {
            "figure": "samples",
            "value": int(ws_result.steps),
            "unit": f"{ws_result.interval_s:g} s each",
        },
    ]
    return _table(rows, ["figure", "value", "unit"]) + (
        f"<p class='note'>Method: composite vs individual peaks {_e(refs.cite('seed 003 §2.3'))}.</p>"
    )


_PRINT_CSS = """
.title-page{min-height:92vh;display:flex;flex-direction:column;justify-content:center}
.title-page h1{font-size:2.2em;border:none}.title-page table{font-size:1.1em;margin-top:2em}
.title-page th{background:none;border:none;text-align:left;padding-right:2em}
.title-page td{border:none}
table.exec th{width:13em}table.exec td,table.exec th{font-size:.95em}
.page{break-after:page}
.refs li{margin:.2em 0}
@page{size:A4;margin:14mm 12mm}
@media print{
 body{max-width:none;padding:0;font-size:10.5pt}
 .modebar-container,.modebar{display:none!important}
 .figure{break-inside:avoid;border:none}
 h2,h3{break-after:avoid}
 table{break-inside:auto}tr{break-inside:avoid}
 a{color:inherit;text-decoration:none}
}
"""


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
    lines = [
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
    table = pd.DataFrame(
        [
            {"year": y["year"], "side": side, **y[side]}
            for y in res.to_dict()["years"]
            for side in ("today", "colony", "savings")
        ]
    )
    figs = {"cash_flow": plots.cash_flow(res), "tornado": plots.tornado(res)}
    return (
        f"<p class='first-line'><b>{_e(res.headline)}</b></p>"
        + "".join(f"<p class='bc-line'>{_e(x)}</p>" for x in lines)
        + _fig_html("cash_flow", figs["cash_flow"])
        + (_fig_html("tornado", figs["tornado"]) if res.sensitivity else "")
        + _table(_frame_rows(table))
        + "".join(f"<p class='note'>{_e(n)}</p>" for n in res.notes)
    )


def build_report(
    result: ColonyPlanResult, *, title: str | None = None, info: DocumentInfo | None = None
) -> str:
    """The workshop handout of a plan result as one self-contained HTML document.

    Page 1 is the title page (customer, project, author, date, plan revision), page 2 the
    one-page executive summary (:func:`executive_summary`), then the details, the numbered
    references and an appendix with the internal source keys.  Print CSS (A4) makes
    Chromium's print clean (:func:`write_pdf`).

    Parameters
    ----------
    result : colonykit.plan.ColonyPlanResult
        The result of :func:`colonykit.plan.build_plan`.
    title : str, optional
        Document title (default: ``Linux consolidation plan: <project>``).
    info : DocumentInfo, optional
        Default: :func:`document_info` of the result.

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
    h = headline(result)
    info = info or document_info(result)
    title = title or f"Linux consolidation plan: {info.project}"
    figs = report_figures(result)
    refs = References()

    def fig(name: str) -> str:
        return _fig_html(name, figs[name]) if name in figs else ""

    summary = executive_summary(result)
    title_rows = [
        ("Customer", info.customer or "—"),
        ("Project", info.project),
        ("Author", info.author or "—"),
        ("Date", info.date),
        ("Plan revision", str(info.revision)),
        ("Plan", f"{p.metadata.name} ({p.metadata.generated_by})"),
    ]
    title_html = (
        '<section class="title-page page" id="title">'
        f"<h1>{_e(title)}</h1><p>Consolidating {summary['servers']} servers as Linux guests on "
        f"{_e(h['processor'])} ({_e(h['platform'])})</p><table>"
        + "".join(
            f"<tr><th>{_e(k)}</th><td class='ck-{_e(k.lower().replace(' ', '-'))}'>{_e(v)}</td></tr>"
            for k, v in title_rows
        )
        + "</table></section>"
    )
    hosts = [
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
    findings = "".join(
        f"<tr><td class='sev-{_e(f.severity)}'>{_e(f.severity)}</td><td>{_e(f.code)}</td>"
        f"<td>{_e(f.message)}</td><td>{_e(f.path)}</td></tr>"
        for f in p.findings
    )
    findings_html = (
        f"<table class='findings'><tr><th>severity</th><th>code</th><th>message</th>"
        f"<th>plan field</th></tr>{findings}</table>"
        if findings
        else "<p>No findings.</p>"
    )
    if summary["information"]:  # the appendix: not risks (issue 20 item 4)
        findings_html += (
            "<h3>Information (not risks)</h3><ul class='information'>"
            + "".join(f"<li>{_e(i)}</li>" for i in summary["information"])
            + "</ul>"
        )
    sizing_html = "<p class='note'>No inventory: not sized.</p>"
    if result.sizing is not None:
        cols = [
            "server",
            "count",
            "workload_class",
            "util_pct",
            "mips_low",
            "mips_typical",
            "mips_high",
            "mips_typical_total",
        ]
        tgt = result.sizing.target.reset_index()
        sizing_html = (
            f"<p>MIPS needed = utilization × current capacity × workload factor "
            f"{_e(refs.cite('seed 003 §2.4'))}; the workload factor is a range "
            f"{_e(refs.cite('seed 003 §2.5'))}, so every figure is low / typical / high.</p>"
            + fig("sizing_range")
            + _table(_frame_rows(result.sizing.servers[cols]))
            + fig("sizing_engines")
            + _table(
                _frame_rows(
                    tgt[
                        [
                            "bound",
                            "engines",
                            "required_mips",
                            "capacity_mips",
                            "util_at_engines_pct",
                            "fits_machine",
                        ]
                    ]
                )
            )
        )
    comp = result.comparison
    comp_cols = [
        "design",
        "platform",
        "shared_gib",
        "per_guest_gib",
        "total_gib",
        "saving_vs_dedicated_pct",
    ]
    design = result.design
    comp_rows = [
        {
            k: c[k]
            for k in (
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
        }
        for c in designs.design_summary(design)["components"]
    ]
    design_html = (
        f"<p>Chosen design <b>{_e(design.name)}</b> ({_e(design.platform)}): {_e(design.title)} "
        f"{_e(refs.cite(f'{design.seed}; {design.source}'))}.</p>"
        + _table(comp_rows, cls="components")
        + fig("design_comparison")
        + _table(_frame_rows(comp[comp_cols]))
    )
    extra_figs = "".join(fig(n) for n in ("white_space", "staggering", "packing"))
    ws_result = result.whitespace
    if ws_result is not None:
        notes = result.trace_notes
        notes_html = "".join(f"<p class='note trace-note'>{_e(n)}</p>" for n in notes)
        extra_figs = _ws_table(ws_result, refs) + notes_html + extra_figs
    ws_note = (
        ""
        if extra_figs
        else (
            f"<p class='note'>White space: {_e(p.evidence.white_space.note or 'see evidence')}</p>"
        )
    )
    chan = (
        fig("channel_curve")
        or "<p class='note'>No I/O section in the scenario: channels not evaluated.</p>"
    )
    assumptions = [
        {"name": a.name, "value": a.value, "unit": a.unit, "reference": refs.cite(a.source)}
        for a in p.evidence.assumptions
    ]
    evidence_html = _evidence_section(result, refs)
    capacity_line, capacity_html = capacity_section(result, fig("capacity_plan"))
    ref_items = "".join(f"<li id='ref-{c.number}'>{_e(c.text())}</li>" for c in refs.entries)
    key_rows = [
        {"internal source key": k, "cited as": v or "(no publication)"}
        for k, v in refs.keys.items()
    ]
    body = f"""
{title_html}
<section class="page" id="executive-summary"><h2>Executive summary</h2>{_summary_html(result, summary)}{capacity_line}</section>
{f'<section id="business-case"><h2>Business case</h2>{bc}</section>' if (bc := business_case_section(result)) else ""}
<h2 id="findings">Findings</h2>{findings_html}
<h2 id="sizing">CPU sizing (workload factor)</h2>{sizing_html}
<h2 id="hosts">Hosts: memory and paging</h2>{fig("plan_hosts")}{_table(hosts)}
<h2 id="design">Design</h2>{design_html}
<h2 id="whitespace">White space, staggering, packing</h2>{extra_figs}{ws_note}
<h2 id="channels">Channels</h2>{chan}{capacity_html}
<h2 id="evidence">Evidence</h2>{evidence_html}
<h2 id="assumptions">Assumptions</h2>{_table(assumptions, ["name", "value", "unit", "reference"])}
<h2 id="references">References</h2><ol class="refs" style="list-style:none;padding-left:0">{ref_items}</ol>
<h2 id="appendix">Appendix: internal source keys</h2>
<p class="note">The keys colonykit's data tables use, and the reference each was cited as. Plan
<b>{_e(p.metadata.name)}</b>; scenario {_e(p.metadata.scenario or "—")}; inputs SHA-256
<code>{_e(p.metadata.inputs_sha256[:16])}…</code>.</p>{_table(key_rows, cls="keys")}
"""
    return (
        f"<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        f"<meta name='generator' content='{_e(p.metadata.generated_by)}'>"
        f"<title>{_e(title)}</title><style>{_CSS}{_PRINT_CSS}</style>"
        f"<script type='text/javascript'>{get_plotlyjs()}</script></head>"
        f"<body>{body}</body></html>\n"
    )


#: Chromium kaleido uses for static images when ``BROWSER_PATH`` is not set (Debian package).
CHROMIUM_PATH = "/usr/bin/chromium"


def write_images(
    result: ColonyPlanResult,
    out_dir: str | Path,
    *,
    fmt: str = "png",
    width: int = 1000,
    scale: float = 1.0,
    names: list[str] | None = None,
) -> list[Path]:
    """Optional static images of the report's figures (``<name>.<fmt>``), through kaleido.

    Needs the ``kaleido`` package (``pip install 'colonykit[browser]'``) and a Chromium;
    ``BROWSER_PATH`` defaults to :data:`CHROMIUM_PATH` when that exists.  Each file is
    written atomically.

    Parameters
    ----------
    result : ColonyPlanResult
        The result of :func:`colonykit.plan.build_plan`.
    out_dir : str or Path
        Folder for the images.
    fmt : {'png', 'svg', 'pdf', 'jpeg', 'webp'}, default 'png'
        Image format.
    width : int, default 1000
        Image width [px].
    scale : float, default 1.0
        Scale factor of the image.
    names : list of str, optional
        Figures to write; default all of :func:`report_figures`.

    Raises
    ------
    InputError
        Unknown format, or kaleido / Chromium not available.
    """
    import os

    from colonykit.errors import InputError, must_be, unknown_name

    if fmt not in ("png", "svg", "pdf", "jpeg", "webp"):
        raise InputError(must_be("fmt", "one of ['png', 'svg', 'pdf', 'jpeg', 'webp']", fmt))
    try:
        import kaleido  # noqa: F401
    except ImportError as exc:
        msg = (
            "static images need kaleido: pip install 'colonykit[browser]' (or pip install kaleido)"
        )
        raise InputError(msg) from exc
    if "BROWSER_PATH" not in os.environ and Path(CHROMIUM_PATH).exists():
        os.environ["BROWSER_PATH"] = CHROMIUM_PATH
    figs = report_figures(result)
    if names is not None:
        unknown = sorted(set(names) - set(figs))
        if unknown:
            err = unknown_name("figure", unknown[0], sorted(figs))
            raise err
        figs = {n: figs[n] for n in names}
    images: dict[str, bytes] = {}
    for name, fig in figs.items():
        try:
            images[name] = fig.to_image(
                format=fmt, width=width, height=fig.layout.height or 450, scale=scale
            )
        except (RuntimeError, ValueError, OSError) as exc:
            msg = f"static image export failed ({exc}); set BROWSER_PATH to a Chromium/Chrome"
            raise InputError(msg) from exc
    return [
        atomic_write_bytes(Path(out_dir) / f"{name}.{fmt}", data) for name, data in images.items()
    ]


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
        Default: :func:`document_info` of the result.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from colonykit import plan
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "report.html"
    >>> write_report(plan.build_plan("data/examples/scenario.yaml"), out).stat().st_size > 1_000_000
    True
    """
    return atomic_write_text(path, build_report(result, title=title, info=info))


# --------------------------------------------------------------------------- PDF and workbook
#: Seconds Chromium may take to print the report (plotly draws ~10 figures first).
PDF_TIMEOUT_S = 120.0
#: Width [CSS px] of the window Chromium lays the report out in before printing: about the
#: printable width of A4 with the report's margins (210 − 2 × 12 mm ≈ 700 px at 96 px/inch).
PDF_WINDOW_WIDTH_PX = 700


def chromium_path() -> str | None:
    """The Chromium that prints PDFs: ``BROWSER_PATH``, then ``/usr/bin/chromium``, then ``PATH``."""
    import os

    for cand in (os.environ.get("BROWSER_PATH"), CHROMIUM_PATH):
        if cand and Path(cand).exists():
            return cand
    return (
        shutil.which("chromium")
        or shutil.which("chromium-browser")
        or shutil.which("google-chrome")
    )


def write_pdf(html_path: str | Path, pdf_path: str | Path, *, chromium: str | None = None) -> Path:
    """Print a report HTML file to PDF with headless Chromium (``--print-to-pdf``), atomically.

    Parameters
    ----------
    html_path : str or Path
        The report HTML file (:func:`write_report`).
    pdf_path : str or Path
        The PDF to write.
    chromium : str, optional
        The Chromium executable; default :func:`chromium_path`.

    Raises
    ------
    InputError
        No Chromium found, or Chromium failed (its last output lines are in the message).
    """
    exe = chromium or chromium_path()
    if exe is None:
        msg = (
            "--pdf needs Chromium: apt-get install chromium (or set BROWSER_PATH to a "
            "Chromium/Chrome executable)"
        )
        raise InputError(msg)
    src = Path(html_path).resolve()
    out = Path(pdf_path)
    with tempfile.TemporaryDirectory(prefix="colonykit-pdf-") as tmp:
        target = Path(tmp) / "report.pdf"
        cmd = [
            exe,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp}/profile",
            "--no-pdf-header-footer",
            f"--window-size={PDF_WINDOW_WIDTH_PX},1000",
            "--virtual-time-budget=20000",
            "--run-all-compositor-stages-before-draw",
            f"--print-to-pdf={target}",
            src.as_uri(),
        ]
        try:
            proc = subprocess.run(
                cmd, capture_output=True, text=True, timeout=PDF_TIMEOUT_S, check=False
            )
        except subprocess.TimeoutExpired as exc:
            msg = f"Chromium did not print {src.name} within {PDF_TIMEOUT_S:.0f} s"
            raise InputError(msg) from exc
        if proc.returncode != 0 or not target.is_file() or target.stat().st_size == 0:
            tail = " | ".join((proc.stderr or proc.stdout or "").strip().splitlines()[-3:])
            msg = f"Chromium could not print {src.name} to PDF (exit {proc.returncode}): {tail}"
            raise InputError(msg)
        return atomic_write_bytes(out, target.read_bytes())


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
    import io

    from colonykit._optional import require

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
    import io

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


__all__ = [
    "Citation",
    "DocumentInfo",
    "References",
    "build_report",
    "chromium_path",
    "document_info",
    "capacity_section",
    "executive_summary",
    "headline",
    "public_source",
    "publications",
    "report_figures",
    "report_tables",
    "write_images",
    "write_pdf",
    "write_report",
    "write_xlsx",
    "business_case_section",
    "business_case_tables",
    "write_comparison_xlsx",
]
