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

import html as _html
import json
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from plotly.offline import get_plotlyjs

from colonykit import channels, designs, plots
from colonykit._atomic import atomic_write_text

#: plotly config for embedded figures (no logo, no network-backed buttons).
PLOTLY_CONFIG: dict[str, Any] = {"displaylogo": False, "responsive": True,
                                 "modeBarButtonsToRemove": ["sendDataToCloud"]}

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
    return [{k: (v.item() if hasattr(v, "item") else v) for k, v in r.items()}
            for r in frame.to_dict(orient="records")]


def headline(result: Any) -> dict[str, Any]:
    """Headline numbers of a plan result, each read from a result field.

    Examples
    --------
    >>> from colonykit import plan
    >>> h = headline(plan.build_plan("data/examples/scenario.yaml"))
    >>> h["engines_per_host"], h["engines"], h["guests"]
    ([2], {'low': 2, 'typical': 2, 'high': 4}, 26)
    """
    from colonykit import plan as _plan

    p = result.plan
    sz = result.sizing
    comp = result.comparison.loc[p.metadata.design]
    return {
        "processor": sz.processor.model if sz is not None else "",
        "target_util_pct": float(sz.options.target_util_pct) if sz is not None else float("nan"),
        "engines": dict(sz.engines) if sz is not None else {},
        "fits_machine": ({b: bool(sz.target.loc[b, "fits_machine"]) for b in sz.engines}
                         if sz is not None else {}),
        "max_engines": int(sz.processor.max_engines) if sz is not None else 0,
        "mips": dict(sz.total) if sz is not None else {},
        "bound": result.scenario.target.sizing_bound,
        "hosts": [h.id for h in p.hosts],
        "engines_per_host": [h.capacity.cpus for h in p.hosts],
        "guests_per_host": [len(h.guests) for h in p.hosts],
        "guests": _plan.plan_guest_count(p),
        "memory_gib_per_host": [h.capacity.memory_gib for h in p.hosts],
        "paging_gib_per_host": [h.capacity.paging_gib for h in p.hosts],
        "paging_volumes_per_host": [h.capacity.paging_volumes for h in p.hosts],
        "design": p.metadata.design,
        "platform": p.metadata.platform,
        "disk_total_gib": float(comp["total_gib"]),
        "disk_saving_vs_dedicated_pct": float(comp["saving_vs_dedicated_pct"]),
        "errors": sum(f.severity == "error" for f in p.findings),
        "warnings": sum(f.severity == "warning" for f in p.findings),
    }


def report_figures(result: Any) -> dict[str, go.Figure]:
    """The report's figures: :func:`colonykit.plots.plan_figures` plus the channel curve.

    The channel curve (first host with an ``io`` section) comes from
    :func:`colonykit.channels.response_curve` and :func:`colonykit.channels.channel_load`.

    Examples
    --------
    >>> from colonykit import plan
    >>> figs = report_figures(plan.build_plan("data/examples/scenario.yaml"))
    >>> "channel_curve" in figs, "sizing_range" in figs
    (True, True)
    """
    figs = plots.plan_figures(result)
    host = next((h for h in result.plan.hosts if h.io is not None), None)
    if host is not None:
        load = channels.channel_load(host.io.io_rate_per_s, host.io.connect_ms, paths=host.io.paths,
                                     max_busy_pct=host.rules.channel_max_busy_pct)
        paths = sorted({1, 2, 4, int(host.io.paths)})
        curve = channels.response_curve(host.io.connect_ms, paths=paths)
        fig = plots.channel_curve(curve, load)
        fig.update_layout(title_text=f"{fig.layout.title.text} — host {host.id}")
        figs["channel_curve"] = fig
    return figs


def _fig_html(name: str, fig: go.Figure) -> str:
    div = pio.to_html(fig, full_html=False, include_plotlyjs=False, div_id=f"fig-{name}",
                      config=PLOTLY_CONFIG)
    return f"<div class='figure' data-figure='{_e(name)}'>{div}</div>"


def _evidence_section(result: Any) -> str:
    ev = result.plan.evidence
    parts = []
    for name in ("sizing", "white_space", "paging", "channels", "design"):
        item = getattr(ev, name)
        state = ("evaluated" if item.evaluated else
                 "not applicable" if not item.applicable else "NOT evaluated")
        values = _table([{"name": k, "value": v} for k, v in item.values.items()]) if item.values else ""
        parts.append(f"<h3>{_e(name.replace('_', ' '))}: {state}</h3>"
                     f"<p>method: {_e(item.method or '—')}; source: {_e(item.source or '—')}"
                     f"{'; note: ' + _e(item.note) if item.note else ''}</p>{values}")
    return "".join(parts)


def build_report(result: Any, *, title: str | None = None) -> str:
    """The workshop report of a plan result as one self-contained HTML document.

    Parameters
    ----------
    result : colonykit.plan.ColonyPlanResult
    title : str, optional
        Page title (default: ``colonykit report: <plan name>``).

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
    title = title or f"colonykit report: {p.metadata.name}"
    figs = report_figures(result)

    def fig(name: str) -> str:
        return _fig_html(name, figs[name]) if name in figs else ""

    e = h["engines"]
    mips = h["mips"]
    head_rows = [
        {"item": "target processor", "value": h["processor"]},
        {"item": "target utilization [%]", "value": h["target_util_pct"]},
        {"item": "engines low / typical / high",
         "value": f"{e.get('low')} / {e.get('typical')} / {e.get('high')} (plan uses {h['bound']})"},
        {"item": "fits one machine (low / typical / high)",
         "value": " / ".join("yes" if h["fits_machine"].get(b) else "NO" for b in ("low", "typical", "high"))
                  + f" (largest {h['processor']}: {h['max_engines']} engines)"},
        {"item": "MIPS low / typical / high",
         "value": f"{mips.get('mips_low', 0):,.0f} / {mips.get('mips_typical', 0):,.0f} / "
                  f"{mips.get('mips_high', 0):,.0f}"},
        {"item": "guests", "value": h["guests"]},
        {"item": "design", "value": f"{h['design']} ({h['platform']})"},
        {"item": "disk of the design [GiB]", "value": h["disk_total_gib"]},
        {"item": "disk saving vs dedicated [%]", "value": h["disk_saving_vs_dedicated_pct"]},
        {"item": "findings", "value": f"{h['errors']} error(s), {h['warnings']} warning(s)"},
    ]
    hosts = [{"host": x.id, "platform": x.platform, "engines": x.capacity.cpus, "cpu_type": x.capacity.cpu_type,
              "guests": len(x.guests), "memory_gib": x.capacity.memory_gib,
              "paging_gib": x.capacity.paging_gib, "paging_volumes": x.capacity.paging_volumes,
              "overcommit_limit_ratio": x.rules.max_memory_overcommit_ratio} for x in p.hosts]
    findings = "".join(
        f"<tr><td class='sev-{_e(f.severity)}'>{_e(f.severity)}</td><td>{_e(f.code)}</td>"
        f"<td>{_e(f.message)}</td><td>{_e(f.path)}</td></tr>" for f in p.findings)
    findings_html = (f"<table class='findings'><tr><th>severity</th><th>code</th><th>message</th>"
                     f"<th>path</th></tr>{findings}</table>" if findings else "<p>No findings.</p>")
    sizing_html = "<p class='note'>No inventory: not sized.</p>"
    if result.sizing is not None:
        cols = ["server", "count", "workload_class", "util_pct", "mips_low", "mips_typical", "mips_high",
                "mips_typical_total"]
        tgt = result.sizing.target.reset_index()
        sizing_html = (fig("sizing_range") + _table(_frame_rows(result.sizing.servers[cols]))
                       + fig("sizing_engines")
                       + _table(_frame_rows(tgt[["bound", "engines", "required_mips", "capacity_mips",
                                                 "util_at_engines_pct", "fits_machine"]])))
    comp = result.comparison
    comp_cols = ["design", "platform", "shared_gib", "per_guest_gib", "total_gib", "saving_vs_dedicated_pct"]
    design = result.design
    comp_rows = [{k: c[k] for k in ("id", "role", "kind", "shared", "access", "vdev", "mount", "size_cyl",
                                    "size_mib", "counted")}
                 for c in designs.design_summary(design)["components"]]
    design_html = (f"<p>Chosen design <b>{_e(design.name)}</b> ({_e(design.platform)}, {_e(design.seed)}): "
                   f"{_e(design.title)}. Source: {_e(design.source)}.</p>"
                   + _table(comp_rows, cls="components")
                   + fig("design_comparison") + _table(_frame_rows(comp[comp_cols])))
    extra_figs = "".join(fig(n) for n in ("white_space", "staggering", "packing"))
    ws_result = (getattr(result, "extras", {}) or {}).get("whitespace")
    if ws_result is not None and hasattr(ws_result, "summary"):
        notes = (getattr(result, "extras", {}) or {}).get("trace_notes") or []
        notes_html = "".join(f"<p class='note trace-note'>{_e(n)}</p>" for n in notes)
        extra_figs = f"<pre class='ws-summary'>{_e(ws_result.summary())}</pre>" + notes_html + extra_figs
    ws_note = "" if extra_figs else (
        f"<p class='note'>White space: {_e(p.evidence.white_space.note or 'see evidence')}</p>")
    chan = fig("channel_curve") or "<p class='note'>No I/O section in the scenario: channels not evaluated.</p>"
    assumptions = [{"name": a.name, "value": a.value, "unit": a.unit, "source": a.source}
                   for a in p.evidence.assumptions]
    body = f"""
<h1>{_e(title)}</h1>
<p class="note">Plan <b>{_e(p.metadata.name)}</b> revision {p.metadata.revision}, {_e(p.metadata.generated_by)};
scenario {_e(p.metadata.scenario or '—')}; inputs SHA-256 <code>{_e(p.metadata.inputs_sha256[:16])}…</code>.
Every number below comes from the colonykit result objects; ranges are low / typical / high.</p>
<h2 id="summary">Summary</h2>{_table(head_rows, cls='headline')}
<h2 id="findings">Findings</h2>{findings_html}
<h2 id="sizing">CPU sizing (workload factor)</h2>{sizing_html}
<h2 id="hosts">Hosts: memory and paging</h2>{fig('plan_hosts')}{_table(hosts)}
<h2 id="design">Design</h2>{design_html}
<h2 id="whitespace">White space, staggering, packing</h2>{extra_figs}{ws_note}
<h2 id="channels">Channels</h2>{chan}
<h2 id="evidence">Evidence</h2>{_evidence_section(result)}
<h2 id="assumptions">Assumptions</h2>{_table(assumptions, ['name', 'value', 'unit', 'source'])}
"""
    return (f"<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
            f"<meta name='generator' content='{_e(p.metadata.generated_by)}'>"
            f"<title>{_e(title)}</title><style>{_CSS}</style>"
            f"<script type='text/javascript'>{get_plotlyjs()}</script></head>"
            f"<body>{body}</body></html>\n")


#: Chromium kaleido uses for static images when ``BROWSER_PATH`` is not set (Debian package).
CHROMIUM_PATH = "/usr/bin/chromium"


def write_images(result: Any, out_dir: str | Path, *, fmt: str = "png", width: int = 1000,
                 scale: float = 1.0, names: list[str] | None = None) -> list[Path]:
    """Optional static images of the report's figures (``<name>.<fmt>``), through kaleido.

    Needs the ``kaleido`` package (``pip install 'colonykit[browser]'``) and a Chromium;
    ``BROWSER_PATH`` defaults to :data:`CHROMIUM_PATH` when that exists.  Each file is
    written atomically.

    Raises
    ------
    InputError
        Unknown format, or kaleido / Chromium not available.
    """
    import os

    from colonykit._atomic import atomic_write_bytes
    from colonykit.errors import InputError, must_be, unknown_name

    if fmt not in ("png", "svg", "pdf", "jpeg", "webp"):
        raise InputError(must_be("fmt", "one of ['png', 'svg', 'pdf', 'jpeg', 'webp']", fmt))
    try:
        import kaleido  # noqa: F401
    except ImportError as exc:
        msg = "static images need kaleido: pip install 'colonykit[browser]' (or pip install kaleido)"
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
            images[name] = fig.to_image(format=fmt, width=width, height=fig.layout.height or 450,
                                        scale=scale)
        except (RuntimeError, ValueError, OSError) as exc:
            msg = f"static image export failed ({exc}); set BROWSER_PATH to a Chromium/Chrome"
            raise InputError(msg) from exc
    return [atomic_write_bytes(Path(out_dir) / f"{name}.{fmt}", data) for name, data in images.items()]


def write_report(result: Any, path: str | Path, *, title: str | None = None) -> Path:
    """Write :func:`build_report` to ``path`` atomically; returns the path.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from colonykit import plan
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "report.html"
    >>> write_report(plan.build_plan("data/examples/scenario.yaml"), out).stat().st_size > 1_000_000
    True
    """
    return atomic_write_text(path, build_report(result, title=title))


__all__ = ["build_report", "headline", "report_figures", "write_images", "write_report"]
