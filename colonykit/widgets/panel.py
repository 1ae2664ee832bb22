"""The explorer's panel: ipywidgets built from the tables of :mod:`colonykit.widgets.specs`, wired to the model.

:func:`explorer` builds the page: the controls (:data:`~colonykit.widgets.specs.CONTROLS`, each
marked ``data-ck-control="<scenario key>"`` by :func:`page_helper`), the buttons
(:data:`~colonykit.widgets.specs.BUTTONS`), the server table
(:data:`~colonykit.widgets.specs.SERVER_FIELDS`), and one chart widget per
:data:`~colonykit.widgets.specs.CHARTS` entry (``data-ck-chart``, drawn in place by
:mod:`colonykit.widgets.chart`).  Each callback is one method of the panel that calls the state
holder (:class:`~colonykit.widgets.state.ExplorerModel`) and shows what it returns with the
views of :mod:`colonykit.widgets.views`; a control change sends only the figures whose JSON
changed, once per figure.

Examples
--------
>>> ui = explorer("data/examples/scenario.yaml")
>>> sorted(ui.controls)[:2], ui.export_button.description
(['basis', 'design'], 'Export plan')
"""

from __future__ import annotations

import html
from collections import OrderedDict
from dataclasses import asdict
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from colonykit import plan, reference
from colonykit._optional import require
from colonykit.errors import ColonykitError, InputError
from colonykit.plan import business
from colonykit.plan.summary import reusing_headlines
from colonykit.widgets import specs
from colonykit.widgets.chart import Chart, figure_json, plotly_chart
from colonykit.widgets.model import STATIC_FIGURES, ExplorerState, control_help
from colonykit.widgets.state import EDITABLE_COLUMNS, RECENT_STATES, ExplorerModel
from colonykit.widgets.views import (
    _DASH_CSS,
    FIGURE_HEIGHT_PX,
    _figure_of,
    business_case_html,
    comparison_html,
    dashboard_layout,
    export_status_html,
    headline_html,
    hosts_findings_html,
    inventory_html,
    saved_comparison_html,
)

#: Figures the page's charts keep laid out and serialised (by identity): those of the recent
#: states, so that showing one again sends its kept JSON.
SENT_FIGURES = len(specs.CHARTS) * RECENT_STATES
#: Scenario key of each control (``data-ck-control`` on the page; the inventory column for the
#: workload class, which the control sets on every server).
CONTROL_KEYS: dict[str, str] = specs.control_keys()

#: Front-end of :func:`page_helper`: every element with a ``ck-control-<name>`` class gets
#: ``data-ck-control="<scenario key>"`` (ipywidgets sets classes, not attributes), on the first
#: render and whenever the page changes.
_HELPER_ESM = """
function mark(keys) {
  for (const el of document.querySelectorAll("[class*='ck-control-']")) {
    for (const c of el.classList) {
      if (c.startsWith("ck-control-") && !el.dataset.ckControl) {
        const name = c.slice("ck-control-".length);
        el.dataset.ckControl = keys[name] || name;
      }
    }
  }
}
function render({ model, el }) {
  el.style.display = "none";
  const keys = model.get("control_keys");
  let timer = null;
  const mo = new MutationObserver(() => {
    if (timer === null) timer = setTimeout(() => { timer = null; mark(keys); }, 50);
  });
  mo.observe(document.body, { childList: true, subtree: true });
  mark(keys);
  requestAnimationFrame(() => mark(keys));
  return () => { mo.disconnect(); if (timer !== null) clearTimeout(timer); };
}
export default { render };
"""


@cache
def _helper_class() -> type:
    anywidget = require("anywidget", extra="notebook", purpose="the explorer's page helper")
    import traitlets

    return type(
        "PageHelper",
        (anywidget.AnyWidget,),
        {"_esm": _HELPER_ESM, "control_keys": traitlets.Dict().tag(sync=True)},
    )


def page_helper() -> Any:
    """An invisible widget that marks each control with ``data-ck-control="<scenario key>"``.

    Tests and the browser benchmark find the controls by it whatever the widget library renders
    (:data:`CONTROL_KEYS`).  Nothing is computed in the kernel.

    Examples
    --------
    >>> page_helper().control_keys["processor"]
    'target.processor'
    """
    return _helper_class()(control_keys=specs.control_keys())


def export_folder(root: str | Path | None, text: str) -> Path:
    """The folder the export buttons write to: ``text``, kept below ``root`` when there is one.

    The workshop server passes ``root`` (``--export-dir``): a folder typed on the page is read
    relative to it and refused when it leads outside it (``..``, an absolute path elsewhere, a
    symbolic link out), so a page cannot make the server write anywhere its user can.

    Parameters
    ----------
    root : str, Path or None
        The folder exports are confined to; None = no confinement (a notebook's own kernel).
    text : str
        What the page's *export to* box holds.

    Raises
    ------
    InputError
        ``text`` leads outside ``root``.

    Examples
    --------
    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> export_folder(root, "day2") == (root / "day2").resolve()
    True
    >>> export_folder(root, "../elsewhere")
    Traceback (most recent call last):
    ...
    colonykit.errors.InputError: the export folder must be below ...
    """
    if root is None:
        return Path(text)
    base = Path(root).resolve()
    target = (base / text).resolve() if text.strip() else base
    if target != base and base not in target.parents:
        msg = f"the export folder must be below {base} (the workshop's --export-dir); got {text!r}"
        raise InputError(msg)
    return target


def _extra_start(model: ExplorerModel, spec: specs.ControlSpec) -> Any:
    """Start value of an extra control: the scenario's, else the spec's default."""
    value = model.scenario_value(spec.key)
    return spec.default if value is None else value


def _tip_html(w: Any, name: str, tip: str) -> Any:
    """The ``?`` beside a control: its tooltip (unit, default, source) on hover."""
    info = w.HTML(
        f"<span class='ck-tip' title='{html.escape(tip, quote=True)}' "
        "style='cursor:help;color:#0072B2;font-weight:bold;border:1px solid #0072B2;"
        "border-radius:50%;padding:0 5px;font-size:.8em'>?</span>",
        layout=w.Layout(width="18px"),
    )
    info.add_class(f"ck-tip-{name}")
    return info


class _Panel:
    """The widgets of one explorer page and its callbacks (one method per button or control).

    Built from the spec tables; :attr:`box` is the page (the ``HBox`` :func:`explorer` returns).
    """

    def __init__(
        self, w: Any, model: ExplorerModel, export_dir: str | Path, export_root: str | Path | None
    ) -> None:
        self.w = w
        self.model = model
        self.export_root = export_root
        self.style = {"description_width": "140px"}
        self.lay = w.Layout(width="350px")
        self.controls, self.extra_start, rows = self._make_controls()
        # every chart has its place (data-ck-chart): one the plan lacks shows why (its spec's note)
        self.charts: dict[str, Chart] = {
            c.name: plotly_chart(
                c.name,
                dashboard_layout(_figure_of(model.state, c.name)),
                height_px=FIGURE_HEIGHT_PX,
            )
            for c in specs.CHARTS
        }
        self.static = [
            plotly_chart(
                name,
                dashboard_layout(model.state.figures[name], FIGURE_HEIGHT_PX + 60),
                height_px=FIGURE_HEIGHT_PX + 60,
            )
            for name in STATIC_FIGURES
            if name in model.state.figures
        ]
        self.head = w.HTML(headline_html(model.state))
        self.compare = w.HTML(comparison_html(model))
        self.status = w.HTML("<span class='ck-status'>ready</span>")
        self.export_dir = w.Text(
            value="" if export_root is not None else str(export_dir),
            placeholder=f"below {export_root}" if export_root is not None else "",
            description="export to",
            style=self.style,
            layout=self.lay,
            tooltip="Folder the buttons below write to (created when missing)",
        )
        self.buttons = {s.name: specs.make_button(w, s) for s in specs.BUTTONS}
        self.editor = self._make_editor()
        self.inv_html = w.HTML(inventory_html(model))
        self.bc_html = w.HTML(business_case_html(model.state))
        self.named = w.Text(
            value="",
            placeholder="name (A-Z a-z 0-9 . _ -)",
            description="scenario name",
            style=self.style,
            layout=self.lay,
            tooltip="Name of the saved scenario (scenarios/<name>.yaml in the export folder)",
        )
        self.saved_sel = w.SelectMultiple(
            options=[],
            description="saved",
            style=self.style,
            layout=w.Layout(width="350px", height="110px"),
            tooltip="Saved scenarios to compare (none selected: all)",
        )
        self.saved_html = w.HTML("")
        self.head_hosts = w.HTML(hosts_findings_html(model.state))
        # figures laid out and serialised for the page, by identity (a figure the explorer reused
        # or a recent state shown again is not laid out and serialised again; the explorer never
        # changes a figure after this)
        self.sent: OrderedDict[int, tuple[go.Figure, str]] = OrderedDict()
        self.box = self._layout(rows)
        self._wire()

    # -- building
    def _make_controls(self) -> tuple[dict[str, Any], dict[str, Any], list[Any]]:
        """The controls of :data:`~colonykit.widgets.specs.CONTROLS` at the model's defaults, the
        start values of the extra ones, and one row (control and its ``?``) per control."""
        w, model = self.w, self.model
        c = model.defaults
        ch = model.choices()
        tips = {**control_help(), **{s.name: s.help for s in specs.CONTROLS if s.help}}
        options = {
            **ch,
            "basis": ch["basis"] if model.scenario.traces is not None else ["peak", "avg"],
        }
        first = {
            **asdict(c),
            "target_util_pct": round(c.target_util_pct),
            "memory_gib_per_host": c.memory_gib_per_host or 0.0,
        }
        extra_start = {s.name: _extra_start(model, s) for s in specs.CONTROLS if s.extra}
        controls: dict[str, Any] = {
            spec.name: specs.make_control(
                w,
                spec,
                first.get(spec.name) if not spec.extra else extra_start[spec.name],
                options.get(spec.choices or "", None),
            )
            for spec in specs.CONTROLS
        }
        rows = []
        for name, wid in controls.items():
            wid.tooltip = tips[name]
            wid.add_class(f"ck-control-{name}")
            rows.append(w.HBox([wid, _tip_html(w, name, tips[name])]))
        return controls, extra_start, rows

    def _make_editor(self) -> dict[str, Any]:
        """The server table's fields (:data:`~colonykit.widgets.specs.SERVER_FIELDS`)."""
        options = {
            "server": self.model.inventory["server"].astype(str).tolist(),
            "server_class": [str(x) for x in reference.workload_classes().index],
        }
        start: dict[str, Any] = {"number": 0.0, "int_number": 1}
        editor = {}
        for spec in specs.SERVER_FIELDS:
            opts = options.get(spec.choices or "")
            value = opts[0] if opts else start[spec.kind]
            wid = specs.make_control(self.w, spec, value, opts)
            wid.tooltip = spec.help
            editor[spec.name] = wid
        return editor

    def _layout(self, rows: list[Any]) -> Any:
        """The page: controls, buttons and status left; headline, comparison and tabs right."""
        w, b = self.w, self.buttons
        buttons = w.VBox(
            [
                w.HBox([b["pin_button"], b["save_button"]]),
                w.HBox([b["export_button"], b["report_button"]]),
            ]
        )
        title = (
            f"<b>Scenario {html.escape(str(self.model.scenario.name))}</b><br><span "
            "style='color:#666'>hover a control for its unit and source</span>"
        )
        left = w.VBox(
            [w.HTML(title), *rows, self.export_dir, buttons, self.status],
            layout=w.Layout(width="390px", min_width="390px", flex="0 0 390px"),
        )
        left.add_class("ck-left")
        slots = [w.Box([ch], layout=w.Layout(min_width="0")) for ch in self.charts.values()]
        grid = w.GridBox(
            slots, layout=w.Layout(grid_template_columns="repeat(2, minmax(0, 1fr))", width="100%")
        )
        grid.add_class("ck-charts")
        servers_tab = w.HBox(
            [
                w.VBox(
                    [*self.editor.values(), b["apply_button"]], layout=w.Layout(min_width="360px")
                ),
                self.inv_html,
            ]
        )
        servers_tab.add_class("ck-servers")
        hosts_tab = w.VBox([self.head_hosts, *self.static])
        bc_tab = w.VBox(
            [
                self.bc_html,
                w.HBox([self.named, b["save_named_button"]]),
                w.HBox([self.saved_sel, b["compare_saved_button"]]),
                self.saved_html,
            ]
        )
        bc_tab.add_class("ck-business-case")
        self.tabs = w.Tab(children=[grid, servers_tab, hosts_tab, bc_tab])
        for i, t in enumerate(
            ("Charts", "Servers", "Hosts, findings, white space", "Business case")
        ):
            self.tabs.set_title(i, t)
        # the right column takes the rest of the row; below 390 + 640 px it goes under the controls
        right = w.VBox(
            [self.head, self.compare, self.tabs],
            layout=w.Layout(flex="1 1 640px", width="auto", min_width="0"),
        )
        right.add_class("ck-right")
        box = w.HBox(
            [w.HTML(_DASH_CSS), page_helper(), left, right],
            layout=w.Layout(width="100%", flex_flow="row wrap"),
        )
        box.add_class("ck-explorer")
        return box

    def _wire(self) -> None:
        """Connect the callbacks, fill the saved-scenario list and the server fields."""
        for spec in specs.BUTTONS:
            self.buttons[spec.name].on_click(getattr(self, spec.action))
        self.export_dir.observe(lambda _c: self.list_saved(), names="value")
        self.list_saved()
        for wid in self.controls.values():
            wid.observe(self.on_change, names="value")
        self.editor["server"].observe(self.load_server, names="value")
        self.load_server()
        self.head.observe(self.refresh_hosts, names="value")

    # -- showing a state
    def figure_text(self, fig: go.Figure) -> str:
        """The figure laid out for the page, as JSON: kept by identity, serialised once."""
        kept = self.sent.get(id(fig))
        if kept is None or kept[0] is not fig:
            kept = (fig, figure_json(dashboard_layout(fig)))
            self.sent[id(fig)] = kept
            while len(self.sent) > SENT_FIGURES:
                self.sent.popitem(last=False)
        self.sent.move_to_end(id(fig))
        return kept[1]

    def show(self, state: ExplorerState) -> None:
        """Send the state's figures (only those whose JSON changed), headline and comparison."""
        for name, chart in self.charts.items():
            # the same element on the page: Plotly.react redraws it in place (widgets.chart)
            fig = _figure_of(state, name)
            chart.show(fig, self.figure_text(fig))
        self.head.value = headline_html(state)
        self.compare.value = comparison_html(self.model)
        self.bc_html.value = business_case_html(state)

    def say(self, text: str) -> None:
        """Set the status line to ``text`` (plain text, escaped)."""
        self.status.value = f"<span class='ck-status'>{html.escape(text)}</span>"

    def error(self, exc: Exception) -> None:
        """Show an error in the status line (the state stays as it was)."""
        self.status.value = (
            f"<span class='ck-status ck-error' style='color:#D55E00'>{html.escape(str(exc))}</span>"
        )

    def folder(self) -> Path:
        """The folder the buttons write to (:func:`export_folder`)."""
        return export_folder(self.export_root, self.export_dir.value)

    def values(self) -> dict[str, Any]:
        """The controls' values as :meth:`ExplorerModel.update` takes them."""
        controls = self.controls
        v = {s.name: controls[s.name].value for s in specs.CONTROLS if not s.extra}
        v["target_util_pct"] = float(v["target_util_pct"])
        v["memory_gib_per_host"] = float(v["memory_gib_per_host"]) or None
        # an extra control at its start value leaves the scenario as it is (a scenario without
        # growth: keeps none until a growth control moves)
        v["extra"] = tuple(
            (s.key, controls[s.name].value)
            for s in specs.CONTROLS
            if s.extra and controls[s.name].value != self.extra_start[s.name]
        )
        return v

    # -- callbacks
    def on_change(self, _change: Any = None) -> None:
        """A control moved: rebuild the plan (busy meanwhile) and show it."""
        box = self.box
        box.add_class(
            "ck-busy"
        )  # sent at once: the page dims the results while the plan is rebuilt
        self.status.value = "<span class='ck-status ck-updating'>updating…</span>"
        try:
            # tiles, answer, waterfall, findings: one headline; no collector walks meanwhile
            with self.model.collection_pause, reusing_headlines():
                self.show(self.model.update(**self.values()))
            self.status.value = "<span class='ck-status'>updated</span>"
        except ColonykitError as exc:
            self.error(exc)
        finally:
            box.remove_class("ck-busy")

    def on_export(self, _button: Any = None) -> None:
        """*Export plan*: the plan tree into ``<folder>/plan``."""
        try:
            # the plan tree is written as a unit into its own folder: the export folder also
            # holds the saved scenario and the report, which the tree must not replace
            target = self.folder() / "plan"
            self.box.exported = self.model.export(target)
            self.status.value = export_status_html(
                self.model.state,
                f"exported {len(self.box.exported)} files to {target}",
                "Plan exported",
            )
        except (ColonykitError, OSError) as exc:
            self.error(exc)

    def on_pin(self, _button: Any = None) -> None:
        """*Pin baseline*."""
        self.model.pin()
        self.compare.value = comparison_html(self.model)
        self.say("baseline pinned")

    def on_save(self, _button: Any = None) -> None:
        """*Save scenario*: ``<folder>/scenario.yaml`` (and the edited inventory)."""
        try:
            saved = self.box.saved = self.model.save_scenario(self.folder() / "scenario.yaml")
            self.say(f"saved {saved[0]}{' and the inventory' if len(saved) > 1 else ''}")
        except (ColonykitError, OSError) as exc:
            self.error(exc)

    def on_report(self, _button: Any = None) -> None:
        """*Export report*: report.html, tables.xlsx (and report.pdf) in the folder."""
        self.say("writing the report…")
        try:
            folder = self.folder()
            self.box.reported = self.model.export_report(folder)
            self.status.value = export_status_html(
                self.model.state,
                f"reported: {', '.join(p.name for p in self.box.reported)} in {folder}",
                "Report written",
            )
        except (ColonykitError, OSError) as exc:
            self.error(exc)

    def load_server(self, _change: Any = None) -> None:
        """Fill the server table's fields from the chosen inventory line."""
        ed, inv = self.editor, self.model.inventory
        row = inv[inv["server"].astype(str) == ed["server"].value].iloc[0]
        ed["util_avg_pct"].value = float(row["util_avg_pct"])
        ed["util_peak_pct"].value = float(row["util_peak_pct"])
        if str(row["workload_class"]) in ed["workload_class"].options:
            ed["workload_class"].value = str(row["workload_class"])
        ed["count"].value = int(row.get("count", 1) or 1)

    def on_apply(self, _button: Any = None) -> None:
        """*Apply to server*: rebuild the plan with the edited inventory line."""
        ed = self.editor
        try:
            self.show(
                self.model.edit_server(
                    ed["server"].value, **{k: ed[k].value for k in EDITABLE_COLUMNS}
                )
            )
            self.inv_html.value = inventory_html(self.model, highlight=ed["server"].value)
            self.say(f"server {ed['server'].value} changed")
        except ColonykitError as exc:
            self.error(exc)

    def scenarios_folder(self) -> Path:
        """Where the named scenarios live: ``scenarios/`` in the export folder."""
        return self.folder() / "scenarios"

    def list_saved(self) -> None:
        """Refresh the list of saved scenarios."""
        try:
            self.saved_sel.options = [
                p.stem for p in business.saved_scenarios(self.scenarios_folder())
            ]
        except ColonykitError:  # a bad export folder is reported by the action that uses it
            self.saved_sel.options = []

    def on_save_named(self, _button: Any = None) -> None:
        """*Save as named scenario*."""
        try:
            self.box.saved_named = self.model.save_named(
                self.named.value.strip(), self.scenarios_folder()
            )
            self.list_saved()
            self.say(f"saved {self.box.saved_named}")
        except (ColonykitError, OSError) as exc:
            self.error(exc)

    def on_compare(self, _button: Any = None) -> None:
        """*Compare saved*: the chosen saved scenarios (all when none is chosen) side by side."""
        self.status.value = "<span class='ck-status ck-updating'>comparing…</span>"
        try:
            names = list(self.saved_sel.value) or None
            if not (names or self.saved_sel.options):
                msg = f"no saved scenarios in {self.scenarios_folder()}: save one first"
                raise InputError(msg)
            comparison = self.model.compare_saved(self.scenarios_folder(), names)
            self.box.saved_comparison = comparison
            self.saved_html.value = saved_comparison_html(comparison)
            self.say("compared")
        except (ColonykitError, OSError) as exc:
            self.error(exc)

    def refresh_hosts(self, _change: Any = None) -> None:
        """The Hosts tab follows the headline."""
        self.head_hosts.value = hosts_findings_html(self.model.state)

    def attach(self) -> Any:
        """The page, with the widgets and results tests and notebooks reach as attributes."""
        box, b = self.box, self.buttons
        box.model = self.model
        box.controls = self.controls
        box.figures = box.charts = self.charts
        box.headline = self.head
        box.compare = self.compare
        box.status = self.status
        box.export_button = b["export_button"]
        box.pin_button = b["pin_button"]
        box.save_button = b["save_button"]
        box.report_button = b["report_button"]
        box.apply_button = b["apply_button"]
        box.server_editor = self.editor
        box.export_dir = self.export_dir
        box.tabs = self.tabs
        box.exported, box.saved, box.reported = [], [], []
        box.business_case = self.bc_html
        box.scenario_name = self.named
        box.save_named_button = b["save_named_button"]
        box.saved_select = self.saved_sel
        box.compare_saved_button = b["compare_saved_button"]
        box.saved_compare = self.saved_html
        box.saved_named = None
        box.saved_comparison = None
        box.refresh = self.on_change
        return box


def explorer(
    scenario: plan.Scenario | str | Path,
    *,
    inventory: pd.DataFrame | None = None,
    export_dir: str | Path = "out/explorer",
    export_root: str | Path | None = None,
) -> Any:
    """The explorer panel (an ``ipywidgets.HBox``) for a scenario: controls left, results right.

    Left column: the controls (each with a tooltip naming its unit and source), *Pin
    baseline*, the export folder, *Save scenario*, *Export plan*, *Export report*.  Right:
    the headline, baseline vs current, and tabs with the charts (2 × 2), the server table
    (change a server's utilization, class or count) and the hosts and findings.

    Each chart is a :func:`colonykit.widgets.chart.plotly_chart`: plotly.js reaches the page
    once, an update sends the changed figures' JSON and ``Plotly.react`` redraws them in place;
    while the plan is rebuilt the panel has the class ``ck-busy`` (results dimmed) and the
    status says "updating…".

    Attributes of the returned panel: ``model`` (:class:`ExplorerModel`), ``controls``
    (dict of control widgets by :class:`Controls` field), ``charts`` / ``figures`` (dict of
    chart widgets, :mod:`colonykit.widgets.chart`), ``headline``, ``compare`` and ``status`` (``HTML``), ``export_button``,
    ``pin_button``, ``save_button``, ``report_button``, ``export_dir`` (``Text``),
    ``server_editor`` (dict of widgets), ``exported`` / ``saved`` / ``reported`` (paths
    written by the last action).

    Parameters
    ----------
    scenario : colonykit.plan.Scenario, str or Path
        The scenario (or its YAML file) the explorer starts from.
    inventory : DataFrame, optional
        An inventory to use instead of the scenario's file.
    export_dir : str or Path, optional
        Default folder of the export buttons.
    export_root : str, Path or None, optional
        Confine the export buttons below this folder (the workshop server's ``--export-dir``):
        the *export to* box is then relative to it (:func:`export_folder`).

    Examples
    --------
    >>> ui = explorer("data/examples/scenario.yaml")
    >>> ui.controls["target_util_pct"].value = 50
    >>> ui.model.state.headline["engines_per_host"]
    [4]
    """
    w = require("ipywidgets", extra="notebook", purpose="the explorer")
    require("anywidget", extra="notebook", purpose="the explorer's charts")
    model = ExplorerModel(scenario, inventory)
    return _Panel(w, model, export_dir, export_root).attach()


def dashboard(
    scenario: plan.Scenario | str | Path,
    *,
    export_dir: str | Path = "out/workshop",
    confine: bool = True,
) -> Any:
    """The workshop dashboard (what ``colonykit workshop`` serves with Voilà): :func:`explorer` full
    width, its exports confined below ``export_dir``.

    Parameters
    ----------
    scenario : colonykit.plan.Scenario, str or Path
        The scenario (or its YAML file) the dashboard starts from.
    export_dir : str or Path, optional
        Folder of the export buttons.
    confine : bool, optional
        Keep every export below ``export_dir`` (a folder typed on the page is relative to it).

    Examples
    --------
    >>> ui = dashboard("data/examples/scenario.yaml")
    >>> sorted(ui.figures)[:3]
    ['capacity_plan', 'cash_flow', 'design_comparison']
    """
    return explorer(scenario, export_dir=export_dir, export_root=export_dir if confine else None)


__all__ = [
    "CONTROL_KEYS",
    "SENT_FIGURES",
    "dashboard",
    "explorer",
    "export_folder",
    "page_helper",
]
