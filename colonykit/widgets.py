"""Interactive colony explorer: ipywidgets controls wired to :func:`colonykit.plan.build_plan`.

The logic lives in :class:`ExplorerModel` (no widgets): :meth:`ExplorerModel.update`
takes control values, builds the plan with library calls only and returns an
:class:`ExplorerState` (the plan result, its figures from :mod:`colonykit.plots`, the
headline numbers read from the result, the findings).  :func:`explorer` builds the
panel: thin callbacks call the model and copy the new figures into
``plotly.graph_objects.FigureWidget`` objects in place; "Export plan" writes the plan
YAML and the rendered provisioning files through :func:`colonykit.export.write_plan`.

Examples
--------
>>> from colonykit.widgets import ExplorerModel
>>> m = ExplorerModel("data/examples/scenario.yaml")
>>> s = m.update(target_util_pct=50)
>>> s.headline["target_util_pct"], s.headline["engines_per_host"]
(50.0, [4])
"""

from __future__ import annotations

import html
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from colonykit import designs, export, plan, plots, reference
from colonykit._optional import require
from colonykit.errors import ColonykitError, InputError, unknown_name
from colonykit.report import headline

#: ``workload_class`` control value meaning "keep each server's class from the inventory".
AS_INVENTORY = "(as inventory)"
#: Figures the explorer shows, in order.
FIGURES: tuple[str, ...] = ("sizing_engines", "sizing_range", "plan_hosts", "design_comparison")
#: Figures shown once, below the others, when the plan has them: no control changes them
#: (the white space comes from the measured traces).
STATIC_FIGURES: tuple[str, ...] = ("white_space",)


@dataclass(frozen=True)
class Controls:
    """Values of the explorer's controls (each maps to one scenario key or an inventory column).

    Attributes
    ----------
    target_util_pct : float
        Target maximum engine utilization [%] (``target.target_util_pct``; headroom = 100 − it).
    workload_class : str
        One workload class for every server, or :data:`AS_INVENTORY`.
    processor : str
        Target generation (``target.processor``).
    sizing_bound : {'low', 'typical', 'high'}
        WLF bound the plan is built from (``target.sizing_bound``).
    basis : {'avg', 'peak'}
        Utilization column sized (``target.basis``).
    smt : bool
        Count SMT-2 on the IFLs (``target.smt``).
    hosts : int
        z/VM LPARs or Xen hosts (``target.hosts``); guests per LPAR follow from it.
    design : str
        Colony design (``design.name``).
    max_memory_overcommit_ratio : float
        Memory overcommit limit (``rules.max_memory_overcommit_ratio``).
    memory_gib_per_host : float or None
        Real storage per LPAR [GiB] (``target.memory_gib_per_host``; None = 1:1 with guests).
    """

    target_util_pct: float
    workload_class: str
    processor: str
    sizing_bound: str
    basis: str
    smt: bool
    hosts: int
    design: str
    max_memory_overcommit_ratio: float
    memory_gib_per_host: float | None

    @classmethod
    def from_scenario(cls, scen: plan.Scenario) -> Controls:
        """The scenario's own values (documented defaults where it has none).

        Examples
        --------
        >>> Controls.from_scenario(plan.load_scenario("data/examples/scenario.yaml")).processor
        'z15'
        """
        t = scen.target
        return cls(
            target_util_pct=float(t.target_util_pct if t.target_util_pct is not None
                                  else reference.constant("target_util_pct")),
            workload_class=AS_INVENTORY, processor=t.processor, sizing_bound=t.sizing_bound,
            basis=t.basis, smt=bool(t.smt), hosts=int(t.hosts), design=scen.design.name,
            max_memory_overcommit_ratio=float(scen.rules.max_memory_overcommit_ratio
                                              or reference.constant("overcommit_limit_ratio")),
            memory_gib_per_host=t.memory_gib_per_host,
        )


@dataclass(frozen=True)
class ExplorerState:
    """What the explorer shows after one update.

    Attributes
    ----------
    controls : Controls
    result : colonykit.plan.ColonyPlanResult
    figures : dict of str to plotly Figure
        :data:`FIGURES` (and :data:`STATIC_FIGURES` the plan supports), built by
        :mod:`colonykit.plots` from ``result``.
    headline : dict
        Numbers read from ``result`` (engines per host, sizing range, memory, paging, disk).
    findings : DataFrame
        ``result.findings_frame()``.
    """

    controls: Controls
    result: Any
    figures: dict[str, go.Figure]
    headline: dict[str, Any]
    findings: pd.DataFrame = field(repr=False)


class ExplorerModel:
    """The explorer without widgets: control values in, plan result and figures out.

    Parameters
    ----------
    scenario : Scenario or path
        The scenario the explorer starts from (``data/examples/scenario.yaml``).
    inventory : DataFrame, optional
        A canonical inventory instead of the scenario's file (read once, here).

    Examples
    --------
    >>> m = ExplorerModel("data/examples/scenario.yaml")
    >>> m.state.headline["engines"]["typical"]
    2
    >>> m.update(processor="z13").headline["processor"]
    'z13'
    """

    def __init__(self, scenario: plan.Scenario | str | Path, inventory: pd.DataFrame | None = None) -> None:
        self.scenario = plan.load_scenario(scenario) if isinstance(scenario, str | Path) else scenario
        if inventory is None:
            if not self.scenario.inventory:
                msg = "the explorer needs a scenario with an 'inventory'"
                raise InputError(msg)
            from colonykit.ingest import read_inventory

            inventory, _meta = read_inventory(self.scenario.resolve(self.scenario.inventory))
        self.inventory = inventory
        #: The scenario's traces, read once by the first plan (``extras["demand"]``) and reused.
        self.demand: pd.DataFrame | None = None
        #: Staggering of the traces (depends on nothing the controls change): first build only.
        self._staggering: Any = None
        self._static_figures: dict[str, go.Figure] | None = None
        self.defaults = Controls.from_scenario(self.scenario)
        self.state = self.compute(self.defaults)
        self.demand = getattr(self.state.result, "extras", {}).get("demand")

    # -- choices for the widgets
    @staticmethod
    def choices() -> dict[str, list[str]]:
        """Valid values of the drop-down controls (from the bundled catalogs)."""
        return {
            "processor": [str(m) for m in reference.processors().index],
            "workload_class": [AS_INVENTORY, *(str(c) for c in reference.workload_classes().index)],
            "sizing_bound": ["low", "typical", "high"],
            "basis": ["peak", "avg"],
            "design": designs.design_names(),
        }

    @property
    def controls(self) -> Controls:
        """The controls of the current state."""
        return self.state.controls

    def scenario_for(self, controls: Controls) -> plan.Scenario:
        """The scenario with the control values applied (pydantic validates each assignment)."""
        scen = self.scenario.model_copy(deep=True)
        try:
            scen.target.target_util_pct = controls.target_util_pct
            scen.target.processor = controls.processor
            scen.target.sizing_bound = controls.sizing_bound
            scen.target.basis = controls.basis
            scen.target.smt = controls.smt
            scen.target.hosts = controls.hosts
            scen.target.memory_gib_per_host = controls.memory_gib_per_host
            scen.rules.max_memory_overcommit_ratio = controls.max_memory_overcommit_ratio
            if controls.design != scen.design.name:
                scen.design.name = controls.design
                scen.design.overrides = {}
        except ValueError as exc:  # pydantic ValidationError
            problems = plan.validation_problems(exc, "explorer controls", plan.Scenario) \
                if hasattr(exc, "errors") else [str(exc)]
            msg = "; ".join(problems)
            raise InputError(msg, problems) from exc
        return scen

    def inventory_for(self, controls: Controls) -> pd.DataFrame:
        """The inventory with one workload class for every server when the control asks for it."""
        if controls.workload_class == AS_INVENTORY:
            return self.inventory
        valid = self.choices()["workload_class"][1:]
        if controls.workload_class not in valid:
            err = unknown_name("workload class", controls.workload_class, valid)
            raise err
        inv = self.inventory.copy()
        inv["workload_class"] = controls.workload_class
        return inv

    def compute(self, controls: Controls) -> ExplorerState:
        """Build the plan and figures for ``controls`` (no side effects)."""
        # staggering depends on the traces only: computed on the first build, reused afterwards
        first = self._staggering is None
        result = plan.build_plan(self.scenario_for(controls), inventory=self.inventory_for(controls),
                                 demand=self.demand, stagger_traces=first)
        if first:
            self._staggering = result.extras.get("staggering", False)
        elif self._staggering:
            result.extras["staggering"] = self._staggering
        if self._static_figures is None:  # the traces' figures: built on the first build only
            figs = plots.plan_figures(result, FIGURES + STATIC_FIGURES)
            self._static_figures = {k: figs[k] for k in STATIC_FIGURES if k in figs}
        else:
            figs = {**plots.plan_figures(result, FIGURES), **self._static_figures}
        return ExplorerState(controls=controls, result=result, figures=figs,
                             headline=headline(result), findings=result.findings_frame())

    def update(self, **changes: Any) -> ExplorerState:
        """Apply control changes and return (and keep) the new state.

        Raises
        ------
        InputError
            Unknown control name or a value the scenario rejects; the state is unchanged.
        """
        names = [f.name for f in fields(Controls)]
        bad = sorted(set(changes) - set(names))
        if bad:
            err = unknown_name("explorer control", bad[0], names)
            raise err
        new = replace(self.state.controls, **changes)
        self.state = self.compute(new)
        return self.state

    def export(self, out_dir: str | Path) -> list[Path]:
        """Write the current plan (``plan.yaml`` + ``render/…``) through :func:`colonykit.export.write_plan`."""
        return export.write_plan(self.state.result.plan, out_dir)


# --------------------------------------------------------------------------- HTML pieces
def headline_html(state: ExplorerState) -> str:
    """The headline numbers and findings as HTML (CSS classes ``ck-engines`` … for tests)."""
    h = state.headline
    e = h["engines"]
    esc = html.escape
    rows = "".join(
        f"<tr><td>{esc(hid)}</td><td class='ck-engines'>{cpus}</td><td>{g}</td><td>{mem:g}</td>"
        f"<td>{pg:g} ({pv})</td></tr>"
        for hid, cpus, g, mem, pg, pv in zip(h["hosts"], h["engines_per_host"], h["guests_per_host"],
                                             h["memory_gib_per_host"], h["paging_gib_per_host"],
                                             h["paging_volumes_per_host"], strict=True))
    mips = h["mips"]
    too_big = [b for b in ("low", "typical", "high") if not h["fits_machine"].get(b, True)]
    fit = (f"<p class='ck-error' style='color:#D55E00'>The {' / '.join(too_big)} estimate needs more "
           f"engines than the largest {esc(h['processor'])} has ({h['max_engines']}).</p>" if too_big else "")
    finding_items = "".join(
        f"<li class='ck-{esc(r.severity)}'><b>{esc(r.code)}</b> {esc(r.severity)}: {esc(r.message)}</li>"
        for r in state.findings.itertuples(index=False)) or "<li>no findings</li>"
    return (
        "<div class='ck-headline'>"
        f"<p><b>{esc(h['processor'])}</b> at {h['target_util_pct']:g} % target: "
        f"<span class='ck-engine-range'>{e.get('low')} / {e.get('typical')} / {e.get('high')}</span> "
        f"engines (low / typical / high) for {mips.get('mips_low', 0):,.0f} / "
        f"{mips.get('mips_typical', 0):,.0f} / {mips.get('mips_high', 0):,.0f} MIPS; plan uses the "
        f"<i>{esc(h['bound'])}</i> bound. Design <b>{esc(h['design'])}</b> ({esc(h['platform'])}): "
        f"{h['disk_total_gib']:,.1f} GiB disk, {h['disk_saving_vs_dedicated_pct']:.0f} % less than "
        f"dedicated. {h['guests']} guests.</p>{fit}"
        "<style>.ck-hosts td,.ck-hosts th{padding:2px 12px;text-align:right}</style>"
        "<table class='ck-hosts'><tr><th>host</th><th>engines</th><th>guests</th>"
        "<th>real storage [GiB]</th><th>paging [GiB] (volumes)</th></tr>"
        f"{rows}</table>"
        f"<p>Findings: <span class='ck-errors'>{h['errors']}</span> error(s), "
        f"{h['warnings']} warning(s)</p><ul class='ck-findings'>{finding_items}</ul></div>"
    )


def sync_figure(target: go.FigureWidget, source: go.Figure) -> None:
    """Copy ``source``'s traces and layout into ``target`` in place (no new widget)."""
    same = len(target.data) == len(source.data) and all(
        a.type == b.type for a, b in zip(target.data, source.data, strict=True))
    if not same:
        target.data = ()
        target.add_traces(list(source.data))
    with target.batch_update():
        if same:
            for old, new in zip(target.data, source.data, strict=True):
                old.update(new.to_plotly_json(), overwrite=True)
        target.layout.update(source.layout.to_plotly_json(), overwrite=True)


# --------------------------------------------------------------------------- the panel
def explorer(scenario: plan.Scenario | str | Path, *, inventory: pd.DataFrame | None = None,
             export_dir: str | Path = "out/explorer") -> Any:
    """The explorer panel (an ``ipywidgets.VBox``) for a scenario.

    Attributes of the returned panel: ``model`` (:class:`ExplorerModel`), ``controls``
    (dict of control widgets by :class:`Controls` field), ``figures`` (dict of
    ``FigureWidget``), ``headline`` and ``status`` (``HTML``), ``export_button``,
    ``export_dir`` (``Text``) and ``exported`` (paths written by the last export).

    Examples
    --------
    >>> ui = explorer("data/examples/scenario.yaml")
    >>> ui.controls["target_util_pct"].value = 50
    >>> ui.model.state.headline["engines_per_host"]
    [4]
    """
    w = require("ipywidgets", extra="notebook", purpose="the explorer")
    require("anywidget", extra="notebook", purpose="the explorer's FigureWidget")

    model = ExplorerModel(scenario, inventory)
    c = model.defaults
    ch = model.choices()
    style = {"description_width": "150px"}
    lay = w.Layout(width="360px")
    controls: dict[str, Any] = {
        "target_util_pct": w.IntSlider(value=round(c.target_util_pct), min=30, max=100, step=5,
                                       description="target util [%]", continuous_update=False,
                                       style=style, layout=lay),
        "workload_class": w.Dropdown(options=ch["workload_class"], value=c.workload_class,
                                     description="workload class", style=style, layout=lay),
        "processor": w.Dropdown(options=ch["processor"], value=c.processor, description="target generation",
                                style=style, layout=lay),
        "sizing_bound": w.ToggleButtons(options=ch["sizing_bound"], value=c.sizing_bound,
                                        description="sizing bound", style=style),
        "basis": w.ToggleButtons(options=ch["basis"], value=c.basis, description="basis", style=style),
        "smt": w.Checkbox(value=c.smt, description="SMT-2 on IFLs", style=style, layout=lay),
        "hosts": w.IntSlider(value=c.hosts, min=1, max=16, step=1, description="LPARs / hosts",
                             continuous_update=False, style=style, layout=lay),
        "design": w.Dropdown(options=ch["design"], value=c.design, description="design", style=style,
                             layout=lay),
        "max_memory_overcommit_ratio": w.FloatSlider(value=c.max_memory_overcommit_ratio, min=1.0, max=4.0,
                                                     step=0.1, description="overcommit limit",
                                                     continuous_update=False, style=style, layout=lay),
        "memory_gib_per_host": w.BoundedFloatText(value=c.memory_gib_per_host or 0.0, min=0, max=16384,
                                                  step=1, description="real GiB / LPAR (0 = 1:1)",
                                                  style=style, layout=lay),
    }
    figures = {name: go.FigureWidget(model.state.figures[name]) for name in FIGURES
               if name in model.state.figures}
    static = [go.FigureWidget(model.state.figures[name]) for name in STATIC_FIGURES
              if name in model.state.figures]
    head = w.HTML(headline_html(model.state))
    status = w.HTML("<span class='ck-status'>ready</span>")
    export_dir_w = w.Text(value=str(export_dir), description="export to", style=style, layout=lay)
    button = w.Button(description="Export plan", button_style="primary", icon="download")

    def values() -> dict[str, Any]:
        v = {k: wid.value for k, wid in controls.items()}
        v["target_util_pct"] = float(v["target_util_pct"])
        v["memory_gib_per_host"] = float(v["memory_gib_per_host"]) or None
        return v

    def show(state: ExplorerState) -> None:
        for name, fw in figures.items():
            sync_figure(fw, state.figures[name])
        head.value = headline_html(state)

    def on_change(_change: Any = None) -> None:
        try:
            show(model.update(**values()))
            status.value = "<span class='ck-status'>updated</span>"
        except ColonykitError as exc:
            status.value = f"<span class='ck-status ck-error' style='color:#D55E00'>{html.escape(str(exc))}</span>"

    def on_export(_button: Any = None) -> None:
        try:
            panel.exported = model.export(export_dir_w.value)
            status.value = (f"<span class='ck-status'>exported {len(panel.exported)} files to "
                            f"{html.escape(export_dir_w.value)}</span>")
        except (ColonykitError, OSError) as exc:
            status.value = f"<span class='ck-status ck-error' style='color:#D55E00'>{html.escape(str(exc))}</span>"

    for wid in controls.values():
        wid.observe(on_change, names="value")
    button.on_click(on_export)
    names = list(controls)
    half = (len(names) + 1) // 2
    grid = w.HBox([w.VBox([controls[k] for k in names[:half]]), w.VBox([controls[k] for k in names[half:]])])
    panel = w.VBox([grid, w.HBox([export_dir_w, button]), status, head, *figures.values(), *static])
    panel.add_class("ck-explorer")
    panel.model = model
    panel.controls = controls
    panel.figures = figures
    panel.headline = head
    panel.status = status
    panel.export_button = button
    panel.export_dir = export_dir_w
    panel.exported = []
    panel.refresh = on_change
    return panel


def controls_dict(controls: Controls) -> dict[str, Any]:
    """Controls as a plain dict (for reports and exports)."""
    return asdict(controls)


__all__ = [
    "AS_INVENTORY",
    "FIGURES",
    "STATIC_FIGURES",
    "Controls",
    "ExplorerModel",
    "ExplorerState",
    "controls_dict",
    "explorer",
    "headline",
    "headline_html",
    "sync_figure",
]
