"""The explorer's panels as tables: one :class:`ControlSpec` per control, one :class:`ChartSpec` per chart.

A new control is one :class:`ControlSpec` entry in :data:`CONTROLS`: its ``key`` is the
scenario key it sets (``target.processor``; for a key that is not one of the
:class:`~colonykit.widgets.Controls` fields, the value travels in ``Controls.extra`` and
:meth:`~colonykit.widgets.ExplorerModel.scenario_for` sets it on the scenario, validated by
pydantic).  A new chart is one :class:`ChartSpec` entry in :data:`CHARTS`: a function from the
plan result to a plotly figure (a :mod:`colonykit.plots` call).  The panel builds the widgets
(:func:`make_control`), marks each control with ``data-ck-control="<key>"`` and each chart with
``data-ck-chart="<name>"``, and wires them to the model; nothing else changes.

Examples
--------
>>> [c.name for c in CONTROLS][:3]
['target_util_pct', 'workload_class', 'processor']
>>> control_keys()["design"]
'design.name'
>>> [c.name for c in CHARTS]
['sizing_engines', 'sizing_range', 'plan_hosts', 'design_comparison', 'capacity_plan', 'cash_flow', 'tornado']
>>> [c.key for c in CONTROLS if c.extra]
['growth.annual_pct', 'growth.horizon_months']
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd
import plotly.graph_objects as go

from colonykit import plots
from colonykit.plan.scenario import GrowthModel, GrowthRate

#: Widget kinds a control may be.
ControlKind = Literal[
    "int_slider", "float_slider", "dropdown", "toggle", "checkbox", "number", "int_number"
]


@dataclass(frozen=True)
class ControlSpec:
    """One control of the explorer.

    Attributes
    ----------
    name : str
        Field of :class:`~colonykit.widgets.Controls` it sets, or (for ``extra`` controls) a
        name of its own.
    key : str
        Scenario key (``section.field``) it sets: ``data-ck-control`` on the page.
    kind : {'int_slider', 'float_slider', 'dropdown', 'toggle', 'checkbox', 'number', 'int_number'}
        The widget (``number``: a bounded float box, ``int_number``: a bounded whole-number box).
    label : str
        Its description on the page (short: it must fit 140 px).
    low, high, step : float, optional
        Range and step (sliders, number boxes).
    choices : str, optional
        Name of the choice list (:meth:`ExplorerModel.choices`) of a drop-down or toggle.
    extra : bool
        True: not a :class:`~colonykit.widgets.Controls` field; the value goes to
        ``Controls.extra`` and is set on the scenario at ``key``.
    default : object, optional
        Start value of an ``extra`` control when the scenario leaves its key unset.
    help : str
        Tooltip: what it is, its unit, its default and source (the built-in controls take
        theirs from :func:`colonykit.widgets.control_help`).
    read : callable, optional
        Scenario → the control's start value (None: the scenario leaves it unset, ``default``
        is used); default: the value at ``key``.
    apply : callable, optional
        (scenario copy, value) → None: sets the value on the scenario (default: assigns it
        at ``key``).  For a value that is not one plain field (the growth rate moves its
        low / typical / high together) or whose section may be missing.
    """

    name: str
    key: str
    kind: ControlKind
    label: str
    low: float | None = None
    high: float | None = None
    step: float | None = None
    choices: str | None = None
    extra: bool = False
    default: Any = None
    help: str = ""
    read: Callable[[Any], Any] | None = None
    apply: Callable[[Any, Any], None] | None = None


@dataclass(frozen=True)
class ChartSpec:
    """One chart of the explorer.

    Attributes
    ----------
    name : str
        Chart name (``data-ck-chart``; the key of ``ExplorerState.figures``).
    build : callable
        Plan result → plotly figure, or None when the plan cannot have this chart.
    growth : bool
        True: the chart depends on the scenario's ``growth:`` section (rebuilt when only a
        growth control moves; the others are reused).
    note : str
        Shown in the chart's place when ``build`` gives None (what the plan lacks).
    reads : callable, optional
        Plan result → everything ``build`` reads from it, as a tuple: when each part is the
        very object of the previous build (a stage the plan kept, :mod:`colonykit.plan.stages`)
        or equal to it (a frame, a string), the previous figure is reused
        (:func:`same_inputs`).  None: built on every plan.
    """

    name: str
    build: Callable[[Any], go.Figure | None]
    growth: bool = False
    note: str = ""
    reads: Callable[[Any], tuple[Any, ...]] | None = None


def same_inputs(old: tuple[Any, ...], new: tuple[Any, ...]) -> bool:
    """True when ``new`` holds what ``old`` held: the same objects, equal frames or equal scalars.

    Parameters
    ----------
    old, new : tuple
        What a chart read from two plan results (:attr:`ChartSpec.reads`).

    Examples
    --------
    >>> import pandas as pd
    >>> a = object()
    >>> same_inputs((a, "x"), (a, "x")), same_inputs((a,), (object(),))
    (True, False)
    >>> f = pd.DataFrame({"v": [1.0]}, index=["d"])
    >>> same_inputs((f,), (f.copy(),)), same_inputs((f,), (f * 2,))
    (True, False)
    """
    if len(old) != len(new):
        return False
    for a, b in zip(old, new, strict=True):
        if a is b:
            continue
        if isinstance(a, pd.DataFrame) and isinstance(b, pd.DataFrame):
            if not (
                a.index.equals(b.index) and a.columns.equals(b.columns) and a.equals(b)
            ) or list(a.dtypes) != list(b.dtypes):
                return False
        elif isinstance(a, str | int | float | bool) and type(a) is type(b):
            if a != b:
                return False
        else:
            return False
    return True


def _sized(build: Callable[[Any], go.Figure]) -> Callable[[Any], go.Figure | None]:
    return lambda res: None if res.sizing is None else build(res.sizing)


def _growth_section(scen: Any) -> GrowthModel:
    """The scenario's ``growth:`` section, created with the defaults when it has none."""
    if scen.growth is None:
        scen.growth = GrowthModel()
    growth: GrowthModel = scen.growth
    return growth


def growth_rate_of(scen: Any) -> float | None:
    """The typical annual growth [%/year] of a scenario (None: no ``growth:`` section).

    Parameters
    ----------
    scen : colonykit.plan.Scenario
        The scenario.
    """
    return None if scen.growth is None else float(scen.growth.annual_pct.typical)


def set_growth_rate(scen: Any, typical_pct: float) -> None:
    """Set the typical annual growth; low and high move with it (their distance to the
    typical rate is kept, low floored at :data:`LOWEST_GROWTH_PCT`).

    A scenario without a ``growth:`` section gets one with :class:`GrowthModel`'s defaults.

    Parameters
    ----------
    scen : colonykit.plan.Scenario
        The scenario copy to change.
    typical_pct : float
        The typical annual growth [%/year].

    Examples
    --------
    >>> from colonykit import plan
    >>> s = plan.load_scenario("data/examples/bitbrains_colony.yaml")
    >>> set_growth_rate(s, 5)
    >>> s.growth.annual_pct
    GrowthRate(low=-10.0, typical=5.0, high=20.0)
    """
    growth = _growth_section(scen)
    r = growth.annual_pct
    v = float(typical_pct)
    growth.annual_pct = GrowthRate(
        low=max(v - (r.typical - r.low), LOWEST_GROWTH_PCT),
        typical=v,
        high=v + (r.high - r.typical),
    )


def horizon_of(scen: Any) -> int | None:
    """The growth horizon [months] of a scenario (None: no ``growth:`` section).

    Parameters
    ----------
    scen : colonykit.plan.Scenario
        The scenario.
    """
    return None if scen.growth is None else int(scen.growth.horizon_months)


def set_horizon(scen: Any, months: int) -> None:
    """Set the growth horizon [months] (a ``growth:`` section is created when missing).

    Parameters
    ----------
    scen : colonykit.plan.Scenario
        The scenario copy to change.
    months : int
        The horizon [months].
    """
    _growth_section(scen).horizon_months = int(months)


#: Lowest growth rate the rate control gives the low bound [%/year] (GrowthRate needs > −100).
LOWEST_GROWTH_PCT = -99.0

#: The controls, in page order.
CONTROLS: tuple[ControlSpec, ...] = (
    ControlSpec(
        "target_util_pct", "target.target_util_pct", "int_slider", "target util [%]", 30, 100, 5
    ),
    ControlSpec(
        "workload_class",
        "inventory.workload_class",
        "dropdown",
        "workload class",
        choices="workload_class",
    ),
    ControlSpec(
        "processor", "target.processor", "dropdown", "target generation", choices="processor"
    ),
    ControlSpec(
        "sizing_bound", "target.sizing_bound", "toggle", "sizing bound", choices="sizing_bound"
    ),
    ControlSpec("basis", "target.basis", "toggle", "basis", choices="basis"),
    ControlSpec("smt", "target.smt", "checkbox", "SMT-2 on IFLs"),
    ControlSpec("hosts", "target.hosts", "int_slider", "LPARs / hosts", 0, 16, 1),
    ControlSpec("design", "design.name", "dropdown", "design", choices="design"),
    ControlSpec(
        "max_memory_overcommit_ratio",
        "rules.max_memory_overcommit_ratio",
        "float_slider",
        "overcommit limit",
        1.0,
        4.0,
        0.1,
    ),
    ControlSpec(
        "memory_gib_per_host",
        "target.memory_gib_per_host",
        "number",
        "real GiB / LPAR",
        0,
        16384,
        1,
    ),
    ControlSpec(
        "growth_pct",
        "growth.annual_pct",
        "float_slider",
        "growth [%/year]",
        -20,
        100,
        1,
        extra=True,
        default=float(GrowthModel().annual_pct.typical),
        help=(
            "Typical annual demand growth [%/year] (scenario growth.annual_pct; low and high "
            "keep their distance to it). Without a growth: section one is created with the "
            "defaults (0 %/year, 36 months) when this control moves (issue 21)"
        ),
        read=growth_rate_of,
        apply=set_growth_rate,
    ),
    ControlSpec(
        "horizon_months",
        "growth.horizon_months",
        "int_slider",
        "horizon [months]",
        6,
        120,
        6,
        extra=True,
        default=GrowthModel().horizon_months,
        help=(
            "How far ahead the capacity plan goes [months] (scenario growth.horizon_months, "
            "default 36; the business case's horizon in years follows it unless costs.horizon_years is set)"
        ),
        read=horizon_of,
        apply=set_horizon,
    ),
)

#: The charts of the Charts tab, in page order (2 per row).
CHARTS: tuple[ChartSpec, ...] = (
    # the sizing is kept by the plan's stage cache: a move that does not change it (design,
    # hosts, memory) reuses these two figures
    ChartSpec("sizing_engines", _sized(plots.sizing_engines), reads=lambda res: (res.sizing,)),
    ChartSpec(
        "sizing_range",
        _sized(lambda s: plots.sizing_range(s, top=plots.TOP_SERVERS)),
        reads=lambda res: (res.sizing,),
    ),
    ChartSpec("plan_hosts", plots.plan_hosts),
    ChartSpec(
        "design_comparison",
        lambda res: plots.design_comparison(res.comparison, res.plan.metadata.design),
        reads=lambda res: (res.comparison, str(res.plan.metadata.design)),
    ),
    ChartSpec(
        "capacity_plan",
        lambda res: None if res.capacity_plan is None else plots.capacity_plan(res.capacity_plan),
        growth=True,
        note="No capacity plan over time: the scenario has no growth: section (move the growth "
        "or horizon control to add one) or the design is not z/VM (issue 21).",
    ),
    ChartSpec(
        "cash_flow",
        lambda res: None if res.business_case is None else plots.cash_flow(res.business_case),
        growth=True,
        note="No costs: section in the scenario: no business case (colonykit costs, issue 22).",
    ),
    ChartSpec(
        "tornado",
        lambda res: None if res.business_case is None else plots.tornado(res.business_case),
        growth=True,
        note="No costs: section in the scenario: no sensitivity of the business case.",
    ),
)


#: The server table's fields, in page order: the inventory line (``server``) and the columns
#: :meth:`colonykit.widgets.ExplorerModel.edit_server` changes (``key``: the inventory column).
SERVER_FIELDS: tuple[ControlSpec, ...] = (
    ControlSpec(
        "server", "inventory.server", "dropdown", "server", choices="server",
        help="Inventory line to change",
    ),
    ControlSpec(
        "util_avg_pct", "inventory.util_avg_pct", "number", "util avg [%]", 0, 100, 1,
        help="Average CPU utilization [%] (0–100)",
    ),
    ControlSpec(
        "util_peak_pct", "inventory.util_peak_pct", "number", "util peak [%]", 0, 100, 1,
        help="Peak CPU utilization [%] (0–100, ≥ avg)",
    ),
    ControlSpec(
        "workload_class", "inventory.workload_class", "dropdown", "workload class",
        choices="server_class", help="Workload class (colonykit catalog classes)",
    ),
    ControlSpec(
        "count", "inventory.count", "int_number", "count", 1, 100000,
        help="Identical servers on this line [servers]",
    ),
)  # fmt: skip


@dataclass(frozen=True)
class ButtonSpec:
    """One button of the explorer.

    Attributes
    ----------
    name : str
        Attribute of the panel that holds it (``export_button`` …).
    description : str
        Its text on the page.
    icon : str
        Font Awesome icon name.
    tooltip : str
        What it does.
    action : str
        Method of the panel it calls when clicked (:mod:`colonykit.widgets.panel`).
    style : str
        ipywidgets ``button_style`` (``primary``, ``warning`` or empty).
    """

    name: str
    description: str
    icon: str
    tooltip: str
    action: str
    style: str = ""


#: The buttons: the left column's four, the server table's and the business case tab's two.
BUTTONS: tuple[ButtonSpec, ...] = (
    ButtonSpec(
        "pin_button", "Pin baseline", "thumb-tack",
        "Keep the current setting as the baseline: engines, MIPS, white space, disk, "
        "memory and paging are shown side by side with the difference",
        "on_pin",
    ),
    ButtonSpec(
        "save_button", "Save scenario", "save",
        "Write scenario.yaml with the current controls (and the edited inventory "
        "beside it): colonykit plan on it gives this plan",
        "on_save",
    ),
    ButtonSpec(
        "export_button", "Export plan", "download",
        "Write plan.yaml and the provisioning files (render/…) of the current plan",
        "on_export", "primary",
    ),
    ButtonSpec(
        "report_button", "Export report", "file",
        "Write report.html, tables.xlsx and (with Chromium) report.pdf of the current plan",
        "on_report",
    ),
    ButtonSpec(
        "apply_button", "Apply to server", "check",
        "Rebuild the plan with this server changed", "on_apply", "warning",
    ),
    ButtonSpec(
        "save_named_button", "Save as named scenario", "save",
        "Write scenarios/<name>.yaml in the export folder with the current controls "
        "(colonykit.plan.business.save_scenario)",
        "on_save_named",
    ),
    ButtonSpec(
        "compare_saved_button", "Compare saved", "columns",
        "Build each saved scenario's plan and show them side by side "
        "(colonykit.plan.compare.compare_saved; a few seconds per scenario)",
        "on_compare",
    ),
)  # fmt: skip


def make_button(w: Any, spec: ButtonSpec) -> Any:
    """The ipywidgets button of one :class:`ButtonSpec` (not wired: the panel wires it).

    Parameters
    ----------
    w : module
        ``ipywidgets``.
    spec : ButtonSpec
        The button.
    """
    return w.Button(
        description=spec.description, button_style=spec.style, icon=spec.icon, tooltip=spec.tooltip
    )


def control_keys(specs: Sequence[ControlSpec] | None = None) -> dict[str, str]:
    """Scenario key of each control by name (``data-ck-control``).

    Parameters
    ----------
    specs : sequence of ControlSpec, optional
        The controls (default :data:`CONTROLS`, read when called).
    """
    return {c.name: c.key for c in (CONTROLS if specs is None else specs)}


def make_control(
    w: Any, spec: ControlSpec, value: Any, options: Sequence[str] | None = None
) -> Any:
    """The ipywidgets widget of one control, at ``value``.

    Parameters
    ----------
    w : module
        ``ipywidgets``.
    spec : ControlSpec
        The control.
    value : object
        Its first value.
    options : sequence of str, optional
        Choices of a drop-down or toggle.
    """
    style = {"description_width": "140px"}
    lay = w.Layout(width="350px")
    common = {"description": spec.label, "style": style}
    if spec.kind == "int_slider":
        return w.IntSlider(
            value=round(value), min=spec.low, max=spec.high, step=spec.step,
            continuous_update=False, layout=lay, **common,
        )  # fmt: skip
    if spec.kind == "float_slider":
        return w.FloatSlider(
            value=value, min=spec.low, max=spec.high, step=spec.step,
            continuous_update=False, layout=lay, **common,
        )  # fmt: skip
    if spec.kind == "dropdown":
        return w.Dropdown(options=list(options or []), value=value, layout=lay, **common)
    if spec.kind == "toggle":
        return w.ToggleButtons(
            options=list(options or []),
            value=value,
            description=spec.label,
            style={**style, "button_width": "84px"},
        )
    if spec.kind == "checkbox":
        return w.Checkbox(value=bool(value), layout=lay, **common)
    if spec.kind == "int_number":
        return w.BoundedIntText(value=value, min=spec.low, max=spec.high, layout=lay, **common)
    return w.BoundedFloatText(
        value=value, min=spec.low, max=spec.high, step=spec.step, layout=lay, **common
    )


__all__ = [
    "BUTTONS",
    "CHARTS",
    "CONTROLS",
    "SERVER_FIELDS",
    "ButtonSpec",
    "ChartSpec",
    "ControlKind",
    "ControlSpec",
    "LOWEST_GROWTH_PCT",
    "control_keys",
    "growth_rate_of",
    "horizon_of",
    "make_button",
    "make_control",
    "set_growth_rate",
    "set_horizon",
]
