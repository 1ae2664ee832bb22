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
['sizing_engines', 'sizing_range', 'plan_hosts', 'design_comparison']
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import plotly.graph_objects as go

from colonykit import plots

#: Widget kinds a control may be.
ControlKind = Literal["int_slider", "float_slider", "dropdown", "toggle", "checkbox", "number"]


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
    kind : {'int_slider', 'float_slider', 'dropdown', 'toggle', 'checkbox', 'number'}
        The widget.
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


@dataclass(frozen=True)
class ChartSpec:
    """One chart of the explorer.

    Attributes
    ----------
    name : str
        Chart name (``data-ck-chart``; the key of ``ExplorerState.figures``).
    build : callable
        Plan result → plotly figure, or None when the plan cannot have this chart.
    """

    name: str
    build: Callable[[Any], go.Figure | None]


def _sized(build: Callable[[Any], go.Figure]) -> Callable[[Any], go.Figure | None]:
    return lambda res: None if res.sizing is None else build(res.sizing)


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
)

#: The charts of the Charts tab, in page order (2 per row).
CHARTS: tuple[ChartSpec, ...] = (
    ChartSpec("sizing_engines", _sized(plots.sizing_engines)),
    ChartSpec("sizing_range", _sized(lambda s: plots.sizing_range(s, top=plots.TOP_SERVERS))),
    ChartSpec("plan_hosts", plots.plan_hosts),
    ChartSpec(
        "design_comparison",
        lambda res: plots.design_comparison(res.comparison, res.plan.metadata.design),
    ),
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
    return w.BoundedFloatText(
        value=value, min=spec.low, max=spec.high, step=spec.step, layout=lay, **common
    )


__all__ = [
    "CHARTS",
    "CONTROLS",
    "ChartSpec",
    "ControlKind",
    "ControlSpec",
    "control_keys",
    "make_control",
]
