"""One chart of the explorer: a small ``anywidget`` that draws plotly figure JSON with ``Plotly.react``.

Why not plotly's ``FigureWidget``: every ``FigureWidget`` carries its own 5 MB copy of plotly.js
(its ``_esm``), so the workshop dashboard sent about 20 MB over the websocket on each control
change (four new widgets) and the browser spent 10–16 s parsing it (issue 20).  This widget's
front-end is a few kB; plotly.js (the copy the ``plotly`` package ships,
``plotly/package_data/plotly.min.js``) is sent **once per page**, gzip-compressed (about 1.4 MB),
when the first chart of the page asks for it, and kept in ``window``; under ``colonykit
workshop`` the page fetches it over HTTP from the server instead (:data:`PLOTLY_URL_ENV`), while
the widgets load, and the browser keeps it for the next page.  An update sends the
figure's JSON (only when it changed) and a revision number; the front-end calls
``Plotly.react`` on the same element, so the chart is updated in place, and then sets
``data-ck-rev`` to the revision (tests and the browser benchmark wait for it).  The element
carries ``data-ck-chart="<name>"`` and follows its cell's width (a ``ResizeObserver``).

Examples
--------
>>> import plotly.graph_objects as go
>>> fig = go.Figure(go.Bar(x=["a", "b"], y=[1, 2]))
>>> c = plotly_chart("demo", fig)
>>> c.name, c.rev
('demo', 1)
>>> c.show(fig); c.rev  # same figure: only the revision is sent
2
>>> '"type":"bar"' in c.figure
True
"""

from __future__ import annotations

import gzip
import os
from functools import cache
from pathlib import Path
from typing import Any, Protocol

import plotly.graph_objects as go

from colonykit._optional import require

#: Environment variable with the URL of plotly.js on the page's server (``colonykit workshop``
#: sets it for its kernels): the page fetches it over HTTP; without it, from the kernel.
PLOTLY_URL_ENV = "COLONYKIT_PLOTLY_URL"

#: plotly.js config of every chart: the chart follows its cell's width; no logo.
CHART_CONFIG: dict[str, Any] = {"responsive": True, "displaylogo": False}

#: Front-end (ES module) of the chart widget.
_ESM = r"""
function evalPlotly(src) {  // UMD without AMD: plotly.js as module.exports, not define()
  const mod = { exports: {} };
  (new Function("module", "exports", "define", src))(mod, mod.exports, undefined);
  const P = mod.exports && mod.exports.react ? mod.exports : window.Plotly;
  window.Plotly = P;
  return P;
}

function loadPlotly(model) {
  if (window.Plotly && window.Plotly.react) return Promise.resolve(window.Plotly);
  if (window.__colonykitPlotly) return window.__colonykitPlotly;
  const url = model.get("plotly_url");
  if (url) {  // the workshop server has it over HTTP (gzip, kept by the browser)
    window.__colonykitPlotly = fetch(url, { credentials: "same-origin" })
      .then(r => { if (!r.ok) throw new Error("HTTP " + r.status); return r.text(); })
      .then(evalPlotly)
      .catch(() => { window.__colonykitPlotly = null; return fromKernel(model); });
    return window.__colonykitPlotly;
  }
  return fromKernel(model);
}

function fromKernel(model) {
  window.__colonykitPlotly = new Promise((resolve, reject) => {
    const onMsg = async (msg, buffers) => {
      if (!msg || msg.type !== "plotly.js") return;
      model.off("msg:custom", onMsg);
      try {
        const b = buffers[0];
        const bytes = b instanceof ArrayBuffer ? b : b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
        const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
        resolve(evalPlotly(await new Response(stream).text()));
      } catch (e) { window.__colonykitPlotly = null; reject(e); }
    };
    model.on("msg:custom", onMsg);
    model.send({ type: "plotly.js?" });
  });
  return window.__colonykitPlotly;
}

function whenSized(el) {  // a chart drawn before it has a width gets plotly's default 700 px
  // (the ResizeObserver below fits it once the cell has a width): wait a few frames, not more —
  // a cell without a width for longer (seen at 1,000 guests) held the first paint 5 s
  return new Promise(resolve => {
    const t0 = performance.now();
    const tick = () => (el.isConnected && el.clientWidth > 0) || performance.now() - t0 > 250
      ? resolve() : requestAnimationFrame(tick);
    tick();
  });
}

async function render({ model, el }) {
  el.classList.add("ck-chart");
  el.dataset.ckChart = model.get("name");
  el.style.width = "100%";
  el.style.minWidth = "0";
  el.style.height = model.get("height_px") + "px";
  const gd = document.createElement("div");
  gd.style.width = "100%";
  gd.style.height = "100%";
  el.appendChild(gd);
  let drawnFigure = null;
  let chain = Promise.resolve();
  let alive = true;
  const draw = () => {
    chain = chain.then(async () => {
      if (!alive) return;
      const Plotly = await loadPlotly(model);
      // only the first draw waits for a width (a chart drawn without one gets plotly's default
      // 700 px); a redraw goes at once, the ResizeObserver follows any later width change (a
      // redraw that waited here took 5 s whenever the cell was between layouts, issue 20)
      if (!gd._fullLayout) await whenSized(el);
      const rev = model.get("rev");
      const text = model.get("figure");
      if (text !== drawnFigure) {
        const fig = JSON.parse(text || "{}");
        await Plotly.react(gd, fig.data || [], fig.layout || {}, model.get("config"));
        drawnFigure = text;
      }
      el.dataset.ckRev = String(rev);
    }).catch(e => { el.dataset.ckError = String(e); console.error("colonykit chart", e); });
    return chain;
  };
  model.on("change:rev", draw);
  model.on("change:height_px", () => { el.style.height = model.get("height_px") + "px"; });
  let lastWidth = 0;
  const ro = new ResizeObserver(() => {
    const w = el.clientWidth;
    if (w > 0 && Math.abs(w - lastWidth) > 1 && gd._fullLayout && window.Plotly) {
      lastWidth = w;
      window.Plotly.Plots.resize(gd);
    }
  });
  ro.observe(el);
  draw();
  return () => { alive = false; ro.disconnect(); model.off("change:rev", draw); };
}
export default { render };
"""


class Chart(Protocol):
    """What the explorer reads and calls on a chart widget (see :func:`plotly_chart`).

    A structural type: :func:`plotly_chart` returns the widget (an ``anywidget.AnyWidget``).

    Parameters
    ----------
    *args, **kwargs
        Not used (a protocol is not instantiated).
    """

    name: str
    figure: str
    rev: int
    height_px: int

    def show(self, figure: go.Figure, text: str | None = None) -> None:
        """Send ``figure`` to the page (in place).

        Parameters
        ----------
        figure : plotly Figure
            The figure to draw.
        text : str, optional
            ``figure_json(figure)`` when the caller has it already.
        """


@cache
def plotly_js_gz() -> bytes:
    """plotly.js as shipped by the ``plotly`` package, gzip-compressed (sent once per page).

    Examples
    --------
    >>> len(plotly_js_gz()) < 2_000_000
    True
    """
    import plotly

    src = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    return gzip.compress(src.read_bytes(), compresslevel=6, mtime=0)


def figure_json(figure: go.Figure) -> str:
    """The figure as compact JSON (``data`` and ``layout``; numpy arrays as lists).

    Parameters
    ----------
    figure : plotly Figure
        The figure to send.

    Examples
    --------
    >>> figure_json(go.Figure(go.Bar(x=[1], y=[2])))[:22]
    '{"data":[{"x":[1],"y":'
    """
    import plotly.io as pio

    return pio.to_json(figure, validate=False, pretty=False, engine="json")


@cache
def _chart_class() -> type:
    anywidget = require("anywidget", extra="notebook", purpose="the explorer's charts")
    import traitlets as t

    def _on_msg(self: Any, _widget: Any, content: Any, _buffers: Any) -> None:
        if isinstance(content, dict) and content.get("type") == "plotly.js?":
            self.send({"type": "plotly.js"}, buffers=[plotly_js_gz()])

    def _init(self: Any, **kwargs: Any) -> None:
        anywidget.AnyWidget.__init__(self, **kwargs)
        self.on_msg(self._ck_on_msg)

    def show(self: Any, figure: go.Figure, text: str | None = None) -> None:
        if text is None:
            text = figure_json(figure)
        with self.hold_sync():  # one message: the figure (when changed) and its revision
            if text != self.figure:
                self.figure = text
            self.rev = self.rev + 1

    return type(
        "PlotlyChart",
        (anywidget.AnyWidget,),
        {
            "_esm": _ESM,
            "name": t.Unicode("").tag(sync=True),
            "figure": t.Unicode("{}").tag(sync=True),
            "rev": t.Int(0).tag(sync=True),
            "height_px": t.Int(300).tag(sync=True),
            "config": t.Dict(CHART_CONFIG).tag(sync=True),
            # where the page gets plotly.js over HTTP (the workshop server); else from the kernel
            "plotly_url": t.Unicode("").tag(sync=True),
            "__init__": _init,
            "_ck_on_msg": _on_msg,
            "show": show,
            "__doc__": "A plotly chart drawn with Plotly.react, updated in place (colonykit.widgets.chart).",
        },
    )


def plotly_chart(name: str, figure: go.Figure, *, height_px: int = 300) -> Chart:
    """A chart widget named ``name`` (``data-ck-chart``) showing ``figure``.

    Parameters
    ----------
    name : str
        Name of the chart (``data-ck-chart`` on the page).
    figure : plotly Figure
        The first figure.
    height_px : int, optional
        Height of the chart [px]; its width is its cell's.

    Examples
    --------
    >>> plotly_chart("x", go.Figure(), height_px=200).height_px
    200
    """
    chart: Chart = _chart_class()(
        name=name, height_px=int(height_px), plotly_url=os.environ.get(PLOTLY_URL_ENV, "")
    )
    chart.show(figure)
    return chart


__all__ = ["CHART_CONFIG", "Chart", "figure_json", "plotly_chart", "plotly_js_gz"]
