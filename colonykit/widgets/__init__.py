"""Interactive colony explorer: ipywidgets controls wired to :func:`colonykit.plan.build_plan`.

The logic lives in :class:`ExplorerModel` (no widgets): :meth:`ExplorerModel.update`
takes control values, builds the plan with library calls only and returns an
:class:`ExplorerState` (the plan result, its figures from :mod:`colonykit.plots`, the
headline numbers read from the result, the findings).  :func:`explorer` builds the
panel from the tables of :mod:`colonykit.widgets.specs`: thin callbacks call the model and
send the new figures to the chart widgets of :mod:`colonykit.widgets.chart` (drawn in place
with ``Plotly.react``); "Export plan" writes the plan YAML and the rendered provisioning
files through :func:`colonykit.export.write_plan`.

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
from collections import OrderedDict
from dataclasses import asdict, dataclass, field, fields, replace
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from colonykit import designs, export, forecast, plan, plots, reference, report
from colonykit._optional import require
from colonykit.errors import ColonykitError, InputError, unknown_name
from colonykit.plan import business, compare, story
from colonykit.plan.stages import CollectionPause, StageCache
from colonykit.plan.summary import headline, reusing_headlines
from colonykit.widgets import specs
from colonykit.widgets.chart import CHART_CONFIG, Chart, figure_json, plotly_chart

#: ``workload_class`` control value meaning "keep each server's class from the inventory".
AS_INVENTORY = "(as inventory)"
#: Figures the explorer shows, in order.
FIGURES: tuple[str, ...] = tuple(c.name for c in specs.CHARTS)
#: Figures shown once, below the others, when the plan has them: no control changes them
#: (the white space comes from the measured traces).
STATIC_FIGURES: tuple[str, ...] = ("white_space",)
#: Inventory columns the server table edits.
EDITABLE_COLUMNS: tuple[str, ...] = ("util_avg_pct", "util_peak_pct", "workload_class", "count")
#: Baseline-vs-current figures: name -> (label, unit).
KEY_FIGURES: dict[str, tuple[str, str]] = {
    "engines": ("engines (all hosts)", "IFL"),
    "mips": ("MIPS sized (plan basis and bound)", "MIPS"),
    "white_space_pct": ("white space", "%"),
    "disk_gib": ("disk of the design", "GiB"),
    "data_disk_gib": ("data disks", "GiB"),
    "memory_gib": ("real storage (all hosts)", "GiB"),
    "paging_gib": ("paging space (all hosts)", "GiB"),
    "guests": ("guests", ""),
    # capacity over time (issue 21): the scenario's growth: section
    "exhaustion_month": ("capacity exhausted at month", "month"),
    "upgrades": ("upgrades in the horizon", ""),
    # business case (issue 22): the scenario's costs: section
    "npv": ("NPV of the savings", "currency"),
    "payback_months": ("payback", "months"),
    "licence_cores_today": ("licence cores today", "cores"),
    "licence_cores_colony": ("licence cores colony", "cores"),
    # plan confidence (issue 23): 1 low, 2 medium, 3 high
    "confidence_level": ("confidence (1 low … 3 high)", ""),
}
#: The ``confidence_level`` key figure of each rating of :mod:`colonykit.confidence` (its
#: ``LEVELS`` order; the explorer runs no model, so it does not import it: a test keeps them equal).
CONFIDENCE_LEVELS: dict[str, int] = {"low": 1, "medium": 2, "high": 3}
#: States the explorer keeps for controls moved back to an earlier value (:meth:`ExplorerModel.update`).
RECENT_STATES = 24
#: Figures the page's charts keep laid out and serialised (by identity): those of the recent
#: states, so that showing one again sends its kept JSON.
SENT_FIGURES = len(FIGURES) * RECENT_STATES
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


def key_figures(state: ExplorerState) -> dict[str, float | None]:
    """The :data:`KEY_FIGURES` of a state, each read from the plan result.

    Parameters
    ----------
    state : ExplorerState
        The state to read the figures from.

    Examples
    --------
    >>> key_figures(ExplorerModel("data/examples/scenario.yaml").state)["engines"]
    2.0
    """
    h = state.headline
    ws = state.result.plan.evidence.white_space
    design = state.result.plan.evidence.design.values
    cap = state.result.capacity_plan
    bc = state.result.business_case
    conf = state.result.plan.evidence.confidence
    rating = conf.values.get("rating") if conf.evaluated else None
    return {
        "engines": float(sum(h["engines_per_host"])),
        "mips": float(story.answer(state.result).mips) if h["mips"] else None,
        "white_space_pct": (
            float(ws.values["white_space_pct"])
            if ws.evaluated and ws.values.get("white_space_pct") is not None
            else None
        ),
        "disk_gib": float(h["disk_total_gib"]),
        "data_disk_gib": float(design.get("application_disk_gib") or 0.0),
        "memory_gib": float(sum(h["memory_gib_per_host"])),
        "paging_gib": float(sum(h["paging_gib_per_host"])),
        "guests": float(h["guests"]),
        "exhaustion_month": (
            float(cap.exhaustion.month) if cap is not None and cap.exhaustion is not None else None
        ),
        "upgrades": None if cap is None else float(len(cap.upgrades)),
        "npv": None if bc is None else float(bc.npv),
        "payback_months": (
            None if bc is None or bc.payback_months is None else float(bc.payback_months)
        ),
        "licence_cores_today": None if bc is None else float(bc.today.licence_cores[0]),
        "licence_cores_colony": None if bc is None else float(bc.colony.licence_cores[0]),
        "confidence_level": (
            float(CONFIDENCE_LEVELS[rating]) if rating in CONFIDENCE_LEVELS else None
        ),
    }


def _constant_source(name: str) -> str:
    """The public part of a constant's source (internal file keys dropped) for a tooltip."""
    try:
        src = str(reference.constants().loc[name, "source"])
    except KeyError:
        return ""
    return report.public_source(src)


def control_help() -> dict[str, str]:
    """Tooltip of every control: what it is, its unit, its default and where the default comes from.

    Examples
    --------
    >>> "[%]" in control_help()["target_util_pct"]
    True
    """
    return {
        "target_util_pct": (
            "Target maximum engine utilization at the sized load [%] (headroom = 100 − it). "
            f"Default {reference.constant('target_util_pct'):g} %: "
            f"{_constant_source('target_util_pct')}"
        ),
        "workload_class": (
            "Workload class of every server (workload factor range [tpm/MIPS], "
            "SG24-6299-00 §2.4–2.5); '(as inventory)' keeps each server's class. "
            "List: colonykit catalog classes"
        ),
        "processor": (
            "Target IBM Z generation (engine capacity [MIPS] at 1-way, largest n-way, SMT): "
            "colonykit catalog processors lists each with its source"
        ),
        "sizing_bound": (
            "Which end of the workload-factor range the plan is built from: low / typical / "
            "high [MIPS] (SG24-6299-00 §2.5: 20–200 tpm per MIPS)"
        ),
        "basis": (
            "What sizes the engines: composite = the servers' own traces summed per time step "
            "(SG24-6299-00 §2.3, needs traces); peak / avg = the sum of each server's util_peak_pct / "
            "util_avg_pct [%] (§2.4: MIPS = utilization × capacity × WLF)"
        ),
        "smt": (
            "Count SMT-2 on the IFLs [engines × uplift]; z13 and later have it (processor table, "
            "colonykit catalog processors)"
        ),
        "hosts": "z/VM LPARs or Xen hosts [count]; guests are spread over them by MIPS and memory",
        "design": (
            "Colony disk design: shared read-only and per-guest disks [GiB]; colonykit catalog "
            "designs lists the six with their sources"
        ),
        "max_memory_overcommit_ratio": (
            "Limit of Σ guest virtual ÷ real storage [ratio]; finding CK002 over it. Default "
            f"{reference.constant('max_memory_overcommit_ratio'):g}:1: {_constant_source('max_memory_overcommit_ratio')}"
        ),
        "memory_gib_per_host": (
            "Real storage per LPAR [GiB]; 0 = as much as the guests' virtual storage "
            "(1:1). Paging follows the scenario's paging rule (SG24-6299-00 §9.1.1)"
        ),
    }


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
    basis : {'composite', 'peak', 'avg'}
        ``composite``: size and place on the servers' own traces (the scenario's ``traces``);
        ``peak`` / ``avg``: WLF on the inventory's utilization column (``target.basis``), no traces.
    smt : bool
        Count SMT-2 on the IFLs (``target.smt``).
    hosts : int
        z/VM LPARs or Xen hosts (``target.hosts``); 0 = auto (fewest LPARs); guests per LPAR follow.
    design : str
        Colony design (``design.name``).
    max_memory_overcommit_ratio : float
        Memory overcommit limit (``rules.max_memory_overcommit_ratio``).
    memory_gib_per_host : float or None
        Real storage per LPAR [GiB] (``target.memory_gib_per_host``; None = 1:1 with guests).
    extra : tuple of (str, object)
        Values of the ``extra`` controls (:class:`colonykit.widgets.specs.ControlSpec`) as
        (scenario key, value) pairs, set on the scenario by :meth:`ExplorerModel.scenario_for`.
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
    extra: tuple[tuple[str, Any], ...] = ()

    @classmethod
    def from_scenario(cls, scen: plan.Scenario) -> Controls:
        """The scenario's own values (documented defaults where it has none).

        Parameters
        ----------
        scen : colonykit.plan.Scenario
            The scenario whose values become the controls.

        Examples
        --------
        >>> Controls.from_scenario(plan.load_scenario("data/examples/scenario.yaml")).processor
        'z15'
        """
        t = scen.target
        return cls(
            target_util_pct=float(
                t.target_util_pct
                if t.target_util_pct is not None
                else reference.constant("target_util_pct")
            ),
            workload_class=AS_INVENTORY,
            processor=t.processor,
            sizing_bound=t.sizing_bound,
            basis="composite" if scen.traces is not None else t.basis,
            smt=bool(t.smt),
            hosts=0 if t.hosts == "auto" else int(t.hosts),
            design=scen.design.name,
            max_memory_overcommit_ratio=float(
                scen.rules.max_memory_overcommit_ratio
                or reference.constant("max_memory_overcommit_ratio")
            ),
            memory_gib_per_host=t.memory_gib_per_host,
        )


@dataclass(frozen=True)
class ExplorerState:
    """What the explorer shows after one update.

    Attributes
    ----------
    controls : Controls
        The control values of this update.
    result : colonykit.plan.ColonyPlanResult
        The plan built for them.
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

    def __init__(
        self, scenario: plan.Scenario | str | Path, inventory: pd.DataFrame | None = None
    ) -> None:
        self.scenario = (
            plan.load_scenario(scenario) if isinstance(scenario, str | Path) else scenario
        )
        if inventory is None:
            if not self.scenario.inventory:
                msg = "the explorer needs a scenario with an 'inventory'"
                raise InputError(msg)
            from colonykit.ingest import read_inventory

            inventory, _meta = read_inventory(self.scenario.resolve(self.scenario.inventory))
        self.inventory = inventory
        #: The scenario's traces joined to the inventory, read once by the first plan
        #: (``result.join``) and reused: the composite is recomputed from them on each change.
        self.traces: Any = None
        #: Staggering of the traces (depends on nothing the controls change): first build only.
        self._staggering: Any = None
        self._static_figures: dict[str, go.Figure] | None = None
        #: The last figure of each chart with what it read (``ChartSpec.reads``): reused
        #: while the chart's inputs stay the same.
        self._chart_kept: dict[str, tuple[tuple[Any, ...], go.Figure | None]] = {}
        #: Results of the plan's stages by their inputs (colonykit.plan.stages): a control
        #: change recomputes only the stages that read what it changed.
        self.stages = StageCache()
        #: The dashboard's rebuilds run with the cyclic garbage collector paused, the state
        #: they leave frozen (colonykit.plan.stages.CollectionPause).
        self.collection_pause = CollectionPause()
        self.defaults = Controls.from_scenario(self.scenario)
        #: The pinned state (:meth:`pin`), compared with the current one.
        self.baseline: ExplorerState | None = None
        #: True once a server was edited (:meth:`edit_server`): saving writes the inventory too.
        self.edited = False
        #: The last :data:`RECENT_STATES` states by controls (emptied when a server is edited):
        #: moving a control back to a value it had shows that plan again without rebuilding it
        #: (compute is pure).
        self._recent: dict[Controls, ExplorerState] = {}
        self.state = self.compute(self.defaults)
        self._recent[self.defaults] = self.state
        self.traces = self.state.result.join if self.state.result is not None else None

    # -- choices for the widgets
    @staticmethod
    def choices() -> dict[str, list[str]]:
        """Valid values of the drop-down controls (from the bundled catalogs)."""
        return {
            "processor": [str(m) for m in reference.processors().index],
            "workload_class": [AS_INVENTORY, *(str(c) for c in reference.workload_classes().index)],
            "sizing_bound": ["low", "typical", "high"],
            "basis": ["composite", "peak", "avg"],
            "design": designs.design_names(),
        }

    @property
    def controls(self) -> Controls:
        """The controls of the current state."""
        return self.state.controls

    def scenario_value(self, key: str) -> Any:
        """The scenario's value at a dotted key (``growth.rate_pct_per_year``): an extra control's start.

        Parameters
        ----------
        key : str
            ``section.field`` of the scenario.

        Examples
        --------
        >>> m = ExplorerModel("data/examples/scenario.yaml")
        >>> m.scenario_value("target.processor"), m.scenario_value("growth.annual_pct")
        ('z15', None)
        """
        spec = next((c for c in specs.CONTROLS if c.key == key and c.read is not None), None)
        if spec is not None and spec.read is not None:
            return spec.read(self.scenario)
        obj: Any = self.scenario
        for part in key.split("."):
            if obj is None:  # a section the scenario leaves out (growth:, costs:)
                return None
            obj = getattr(obj, part)
        return obj

    def scenario_for(self, controls: Controls) -> plan.Scenario:
        """The scenario with the control values applied (pydantic validates each assignment).

        Parameters
        ----------
        controls : Controls
            The control values to apply to the scenario.
        """
        scen = self.scenario.model_copy(deep=True)
        try:
            scen.target.target_util_pct = controls.target_util_pct
            scen.target.processor = controls.processor
            # pydantic validates each assignment (validate_assignment): a bad value raises here
            scen.target.sizing_bound = controls.sizing_bound  # type: ignore[assignment]
            if controls.basis == "composite":
                if scen.traces is None:
                    msg = "basis 'composite' needs traces in the scenario (traces.path); choose peak or avg"
                    raise InputError(msg)
                scen.target.basis = "peak"
            else:
                scen.target.basis = controls.basis  # type: ignore[assignment]
                scen.traces = None  # peaks: the WLF sum of the servers' peaks, no measured series
            scen.target.smt = controls.smt
            scen.target.hosts = controls.hosts or "auto"
            scen.target.memory_gib_per_host = controls.memory_gib_per_host
            scen.rules.max_memory_overcommit_ratio = controls.max_memory_overcommit_ratio
            if controls.design != scen.design.name:
                scen.design.name = controls.design
                scen.design.overrides = {}
            appliers = {c.key: c.apply for c in specs.CONTROLS if c.apply is not None}
            for key, value in controls.extra:  # a panel's own controls: validated on assignment
                if key in appliers:
                    appliers[key](scen, value)
                    continue
                *path, last = key.split(".")
                obj: Any = scen
                for part in path:
                    obj = getattr(obj, part)
                setattr(obj, last, value)
            if scen.growth is not None and controls.design != self.scenario.design.name:
                # a capacity plan over time needs a z/VM plan (forecast.project): a Xen design
                # chosen here leaves the growth: section out (the chart says so) instead of failing
                if _design_platform(scen) not in ("zvm", None):
                    scen.growth = None
        except ValueError as exc:  # pydantic ValidationError
            from pydantic import ValidationError

            problems = (
                plan.validation_problems(exc, "explorer controls", plan.Scenario)
                if isinstance(exc, ValidationError)
                else [str(exc)]
            )
            msg = "; ".join(problems)
            raise InputError(msg, problems) from exc
        return scen

    def inventory_for(self, controls: Controls) -> pd.DataFrame:
        """The inventory with one workload class for every server when the control asks for it.

        Parameters
        ----------
        controls : Controls
            The control values (the workload-class control may override every server's class).
        """
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
        """Build the plan and figures for ``controls`` (no side effects).

        Parameters
        ----------
        controls : Controls
            The control values to plan with.
        """
        # staggering depends on the traces only: computed on the first build, reused afterwards
        first = self._staggering is None
        result = plan.build_plan(
            self.scenario_for(controls),
            inventory=self.inventory_for(controls),
            traces=self.traces if controls.basis == "composite" else None,
            stagger_traces=first,
            cache=self.stages,
        )
        if first:
            self._staggering = result.staggering if result.staggering is not None else False
        elif self._staggering:  # the first build's staggering, on a new result (never mutated)
            result = replace(result, staggering=self._staggering)
        figs = {c.name: f for c in specs.CHARTS if (f := self._chart(c, result)) is not None}
        if self._static_figures is None:  # the traces' figures: built on the first build only
            self._static_figures = plots.plan_figures(result, STATIC_FIGURES)
        figs.update(self._static_figures)
        return ExplorerState(
            controls=controls,
            result=result,
            figures=figs,
            headline=headline(result),
            findings=result.findings_frame(),
        )

    def _chart(self, spec: specs.ChartSpec, result: Any) -> go.Figure | None:
        """The chart's figure for ``result``: the last one when it read the same inputs."""
        if spec.reads is None:
            return spec.build(result)
        inputs = spec.reads(result)
        kept = self._chart_kept.get(spec.name)
        if kept is not None and specs.same_inputs(kept[0], inputs):
            return kept[1]
        fig = spec.build(result)
        self._chart_kept[spec.name] = (inputs, fig)
        return fig

    def update(self, **changes: Any) -> ExplorerState:
        """Apply control changes and return (and keep) the new state.

        Parameters
        ----------
        **changes
            Control values by name (the fields of :class:`Controls`).

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
        cached = self._recent.pop(new, None)  # the same controls on the same inventory: same plan
        if cached is None and _growth_only(self.state.controls, new):
            cached = self.regrow(new)  # the plan stays: only the projection is recomputed
        self.state = cached if cached is not None else self.compute(new)
        self._recent[new] = self.state
        while len(self._recent) > RECENT_STATES:
            self._recent.pop(next(iter(self._recent)))
        return self.state

    def regrow(self, controls: Controls) -> ExplorerState | None:
        """The current plan with another ``growth:`` section: only the projection (and the
        business case, which buys its upgrades) is recomputed, as :func:`colonykit.plan.build_plan`
        does after building the plan; the plan, its other figures and its staggering are reused.

        None when the current plan cannot be reused (the new scenario has no ``growth:``
        section, or the plan is not a z/VM plan sized in MIPS): :meth:`compute` builds it then.

        Parameters
        ----------
        controls : Controls
            The control values; they differ from the current ones in growth controls only.

        Examples
        --------
        >>> m = ExplorerModel("data/examples/bitbrains_colony.yaml")
        >>> s = m.regrow(replace(m.controls, extra=(("growth.annual_pct", 0.0),)))
        >>> s.figures["sizing_engines"] is m.state.figures["sizing_engines"]  # reused
        True
        >>> s.result.capacity_plan.growth.annual_pct.typical
        0.0
        """
        scen = self.scenario_for(controls)
        base = self.state
        if (
            scen.growth is None
            or base.result.sizing is None
            or base.result.plan.metadata.platform != "zvm"
        ):
            return None
        result = replace(base.result, scenario=scen)
        cap = forecast.project(result, scen.growth)
        result = forecast.attach(result, cap)
        if result.business_case is not None:  # as build_plan: the business case buys the upgrades
            bcase = compare.business_case_of(result, cap)
            if bcase is not None:
                doc = result.plan.model_copy(
                    update={"business_case": business.business_case_document(bcase)}
                )
                result = replace(result, plan=doc, business_case=bcase)
        figs = dict(base.figures)
        for c in specs.CHARTS:
            if c.growth:
                f = c.build(result)
                if f is None:
                    figs.pop(c.name, None)
                else:
                    figs[c.name] = f
        return ExplorerState(
            controls=controls,
            result=result,
            figures=figs,
            headline=headline(result),
            findings=result.findings_frame(),
        )

    # -- named scenarios (issue 22: save, compare)
    def save_named(self, name: str, folder: str | Path) -> Path:
        """Save the current settings as a named scenario ``<folder>/<name>.yaml``
        (:func:`colonykit.plan.business.save_scenario`).

        Parameters
        ----------
        name : str
            The scenario's name (letters, digits, ``._-``).
        folder : str or Path
            Where the named scenarios live (the dashboard: ``scenarios/`` in its export folder).

        Raises
        ------
        InputError
            A bad name, or an edited inventory (a named scenario points at the scenario's own
            inventory file: use *Save scenario*, which writes the edited inventory beside it).

        Examples
        --------
        >>> import tempfile
        >>> m = ExplorerModel("data/examples/scenario.yaml")
        >>> _ = m.update(target_util_pct=50)
        >>> m.save_named("util50", tempfile.mkdtemp()).name
        'util50.yaml'
        """
        if self.edited or self.inventory_for(self.state.controls) is not self.inventory:
            msg = (
                "a named scenario keeps the scenario's inventory file, but the servers were "
                "changed here (server table or workload class): use 'Save scenario' instead"
            )
            raise InputError(msg)
        return business.save_scenario(self.scenario_for(self.state.controls), name, folder)

    @staticmethod
    def compare_saved(
        folder: str | Path, names: list[str] | None = None
    ) -> compare.ScenarioComparison:
        """The saved scenarios of ``folder`` side by side (:func:`colonykit.plan.compare.compare_saved`).

        Parameters
        ----------
        folder : str or Path
            Where :meth:`save_named` wrote them.
        names : list of str, optional
            Which ones (default all).
        """
        return compare.compare_saved(folder, names)

    def export(self, out_dir: str | Path) -> list[Path]:
        """Write the current plan (``plan.yaml`` + ``render/…``) through :func:`colonykit.export.write_plan`.

        The plan is written even when its findings include errors (``colonykit plan`` exits 1
        then); :meth:`error_findings` lists them and the panel's status names them.

        Parameters
        ----------
        out_dir : str or Path
            Folder the plan tree is written into, as a unit.
        """
        return export.write_plan(self.state.result.plan, out_dir)

    def error_findings(self) -> list[str]:
        """Codes of the current plan's error findings, one per code, in the plan's order.

        Examples
        --------
        >>> m = ExplorerModel("data/examples/scenario.yaml")
        >>> m.error_findings()
        []
        >>> m.update(max_memory_overcommit_ratio=1.2).headline["errors"], m.error_findings()
        (1, ['CK002'])
        """
        f = self.state.findings
        return list(dict.fromkeys(f.loc[f["severity"] == "error", "code"].astype(str)))

    # -- baseline vs current
    def pin(self) -> ExplorerState:
        """Keep the current state as the baseline (:meth:`comparison` compares against it)."""
        self.baseline = self.state
        return self.baseline

    def comparison(self) -> pd.DataFrame:
        """Baseline vs current: one row per :data:`KEY_FIGURES` entry (``baseline``, ``current``, ``difference``).

        Without a pinned baseline the baseline column equals the current one.

        Examples
        --------
        >>> m = ExplorerModel("data/examples/scenario.yaml")
        >>> _ = m.pin()
        >>> _ = m.update(target_util_pct=50)
        >>> m.comparison().loc["engines", ["baseline", "current", "difference"]].tolist()
        [2.0, 4.0, 2.0]
        """
        base = key_figures(self.baseline or self.state)
        cur = key_figures(self.state)

        def diff(k: str) -> float | None:
            b, c = base[k], cur[k]
            return None if b is None or c is None else c - b

        rows = [
            {
                "figure": k,
                "label": KEY_FIGURES[k][0],
                "unit": KEY_FIGURES[k][1],
                "baseline": base[k],
                "current": cur[k],
                "difference": diff(k),
            }
            for k in KEY_FIGURES
        ]
        return pd.DataFrame(rows).set_index("figure")

    # -- server edits
    def edit_server(self, server: str, **changes: Any) -> ExplorerState:
        """Change one inventory line (``util_avg_pct``, ``util_peak_pct``, ``workload_class``, ``count``).

        The edited inventory is validated like a file (:func:`colonykit.ingest.validate_inventory`);
        a bad value raises :class:`InputError` naming the field and its range and the state is
        unchanged.

        Parameters
        ----------
        server : str
            Inventory server name of the line to change.
        **changes
            New values by column (``util_avg_pct``, ``util_peak_pct``, ``workload_class``, ``count``).

        Examples
        --------
        >>> m = ExplorerModel("data/examples/scenario.yaml")
        >>> m.edit_server("web", count=20).headline["guests"]
        36
        """
        from colonykit.ingest import validate_inventory

        bad = sorted(set(changes) - set(EDITABLE_COLUMNS))
        if bad:
            err = unknown_name("server column", bad[0], list(EDITABLE_COLUMNS))
            raise err
        names = self.inventory["server"].astype(str).tolist()
        if server not in names:
            err = unknown_name("server", server, names)
            raise err
        edited = self.inventory.copy()
        row = names.index(server)
        for col, value in changes.items():
            if col not in edited.columns:
                edited[col] = None
            edited[col] = edited[col].astype(object)
            edited.iloc[row, list(edited.columns).index(col)] = value
        canonical = validate_inventory(
            edited, source="server table", line_offset=1, line_word="row"
        )
        old = self.inventory
        self.inventory = canonical
        try:
            self.state = self.compute(self.state.controls)
        except ColonykitError:
            self.inventory = old
            raise
        self.edited = True
        self._recent = {self.state.controls: self.state}
        return self.state

    # -- save / export
    def scenario_document(self, where: str | Path) -> tuple[dict[str, Any], pd.DataFrame | None]:
        """The current scenario as a YAML mapping for a file at ``where`` (paths made relative to it).

        Returns the mapping and the inventory to write next to it (None when the scenario's own
        inventory file still holds).

        Parameters
        ----------
        where : str or Path
            Path of the YAML file the mapping is written to (relative paths are made relative to it).
        """
        import os

        scen = self.scenario_for(self.state.controls)
        doc = scen.model_dump(mode="json", exclude_none=True)
        folder = Path(where).resolve().parent
        inv = self.inventory_for(self.state.controls)
        new_inventory = inv if (self.edited or inv is not self.inventory) else None
        if new_inventory is not None:
            doc["inventory"] = f"{Path(where).stem}_inventory.csv"
        elif scen.inventory:
            doc["inventory"] = os.path.relpath(scen.resolve(scen.inventory).resolve(), folder)
        if scen.traces is not None:
            doc["traces"]["path"] = os.path.relpath(
                scen.resolve(scen.traces.path).resolve(), folder
            )
        if scen.traces is not None and scen.traces.mapping:
            doc["traces"]["mapping"] = os.path.relpath(
                scen.resolve(scen.traces.mapping).resolve(), folder
            )
        if scen.design.file:
            doc["design"]["file"] = os.path.relpath(
                scen.resolve(scen.design.file).resolve(), folder
            )
        if scen.costs is not None and scen.costs.file:  # the cost model's own file (issue 22)
            doc["costs"]["file"] = os.path.relpath(scen.resolve(scen.costs.file).resolve(), folder)
        return doc, new_inventory

    def save_scenario(self, path: str | Path) -> list[Path]:
        """Write the changed scenario as YAML (and the edited inventory as CSV beside it), atomically.

        ``colonykit plan`` on the written file builds the same plan as the explorer shows.

        Parameters
        ----------
        path : str or Path
            The scenario YAML file to write.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> m = ExplorerModel("data/examples/scenario.yaml")
        >>> _ = m.update(target_util_pct=50)
        >>> out = pathlib.Path(tempfile.mkdtemp()) / "changed.yaml"
        >>> [p.name for p in m.save_scenario(out)]
        ['changed.yaml']
        >>> plan.load_scenario(out).target.target_util_pct
        50.0
        """
        import yaml

        from colonykit._atomic import atomic_write_text

        target = Path(path)
        if target.is_dir():
            msg = f"save the scenario to a file name, but {target} is a folder"
            raise InputError(msg)
        doc, inv = self.scenario_document(target)
        text = "# colonykit scenario saved by the explorer (colonykit workshop)\n" + yaml.safe_dump(
            doc, sort_keys=False, allow_unicode=True
        )
        written = []
        if inv is not None:
            written.append(
                atomic_write_text(target.parent / doc["inventory"], inv.to_csv(index=False))
            )
        written.insert(0, atomic_write_text(target, text))
        return written

    def export_report(self, out_dir: str | Path, *, pdf: bool | None = None) -> list[Path]:
        """Write ``report.html`` and ``tables.xlsx`` (and ``report.pdf`` when Chromium is there) for the current plan.

        ``pdf``: None = when :func:`colonykit.report.chromium_path` finds a Chromium.

        Parameters
        ----------
        out_dir : str or Path
            Folder for ``report.html``, ``tables.xlsx`` and ``report.pdf``.
        pdf : bool or None, optional
            Write the PDF; None = when :func:`colonykit.report.chromium_path` finds a Chromium.
        """
        folder = Path(out_dir)
        if folder.exists() and not folder.is_dir():
            msg = f"export to a folder, but {folder} is a file"
            raise InputError(msg)
        res = self.state.result
        html_path = report.write_report(res, folder / "report.html")
        out = [html_path, report.write_xlsx(res, folder / "tables.xlsx")]
        if pdf or (pdf is None and report.chromium_path() is not None):
            out.append(report.write_pdf(html_path, folder / "report.pdf"))
        return out


def _design_platform(scen: plan.Scenario) -> str | None:
    """Platform of the scenario's design (None when the design cannot be read: the plan says why)."""
    try:
        d = designs.get_design(
            scen.design.name,
            scen.design.overrides,
            scen.resolve(scen.design.file) if scen.design.file else None,
        )
    except (KeyError, ColonykitError):
        return None
    return str(d.platform)


def _growth_only(old: Controls, new: Controls) -> bool:
    """True when ``new`` differs from ``old`` in growth controls (``growth.*`` keys) only."""

    def rest(c: Controls) -> Controls:
        return replace(c, extra=tuple(kv for kv in c.extra if not kv[0].startswith("growth.")))

    return old != new and rest(old) == rest(new)


# --------------------------------------------------------------------------- HTML pieces
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


# --------------------------------------------------------------------------- the panel
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


def _extra_start(model: ExplorerModel, spec: specs.ControlSpec) -> Any:
    """Start value of an extra control: the scenario's, else the spec's default."""
    value = model.scenario_value(spec.key)
    return spec.default if value is None else value


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
    c = model.defaults
    ch = model.choices()
    tips = {**control_help(), **{s.name: s.help for s in specs.CONTROLS if s.help}}
    style = {"description_width": "140px"}
    lay = w.Layout(width="350px")
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
        info = w.HTML(
            f"<span class='ck-tip' title='{html.escape(tips[name], quote=True)}' "
            "style='cursor:help;color:#0072B2;font-weight:bold;border:1px solid #0072B2;"
            "border-radius:50%;padding:0 5px;font-size:.8em'>?</span>",
            layout=w.Layout(width="18px"),
        )
        info.add_class(f"ck-tip-{name}")
        rows.append(w.HBox([wid, info]))
    # every chart has its place (data-ck-chart): one the plan lacks shows why (its spec's note)
    charts: dict[str, Chart] = {
        name: plotly_chart(
            name, dashboard_layout(_figure_of(model.state, name)), height_px=FIGURE_HEIGHT_PX
        )
        for name in FIGURES
    }
    static = [
        plotly_chart(
            name,
            dashboard_layout(model.state.figures[name], FIGURE_HEIGHT_PX + 60),
            height_px=FIGURE_HEIGHT_PX + 60,
        )
        for name in STATIC_FIGURES
        if name in model.state.figures
    ]
    head = w.HTML(headline_html(model.state))
    compare = w.HTML(comparison_html(model))
    status = w.HTML("<span class='ck-status'>ready</span>")
    export_dir_w = w.Text(
        value="" if export_root is not None else str(export_dir),
        placeholder=f"below {export_root}" if export_root is not None else "",
        description="export to",
        style=style,
        layout=lay,
        tooltip="Folder the buttons below write to (created when missing)",
    )
    button = w.Button(
        description="Export plan",
        button_style="primary",
        icon="download",
        tooltip="Write plan.yaml and the provisioning files (render/…) of the current plan",
    )
    pin = w.Button(
        description="Pin baseline",
        icon="thumb-tack",
        tooltip="Keep the current setting as the baseline: engines, MIPS, white space, disk, "
        "memory and paging are shown side by side with the difference",
    )
    save = w.Button(
        description="Save scenario",
        icon="save",
        tooltip="Write scenario.yaml with the current controls (and the edited inventory "
        "beside it): colonykit plan on it gives this plan",
    )
    report_b = w.Button(
        description="Export report",
        icon="file",
        tooltip="Write report.html, tables.xlsx and (with Chromium) report.pdf of the current plan",
    )

    # -- server table: pick a line, change utilization, class or count, apply
    names = model.inventory["server"].astype(str).tolist()
    classes = [str(x) for x in reference.workload_classes().index]
    ed: dict[str, Any] = {
        "server": w.Dropdown(
            options=names,
            description="server",
            style=style,
            layout=lay,
            tooltip="Inventory line to change",
        ),
        "util_avg_pct": w.BoundedFloatText(
            min=0,
            max=100,
            step=1,
            description="util avg [%]",
            style=style,
            layout=lay,
            tooltip="Average CPU utilization [%] (0–100)",
        ),
        "util_peak_pct": w.BoundedFloatText(
            min=0,
            max=100,
            step=1,
            description="util peak [%]",
            style=style,
            layout=lay,
            tooltip="Peak CPU utilization [%] (0–100, ≥ avg)",
        ),
        "workload_class": w.Dropdown(
            options=classes,
            description="workload class",
            style=style,
            layout=lay,
            tooltip="Workload class (colonykit catalog classes)",
        ),
        "count": w.BoundedIntText(
            min=1,
            max=100000,
            description="count",
            style=style,
            layout=lay,
            tooltip="Identical servers on this line [servers]",
        ),
    }
    apply_b = w.Button(
        description="Apply to server",
        button_style="warning",
        icon="check",
        tooltip="Rebuild the plan with this server changed",
    )
    inv_html = w.HTML(inventory_html(model))

    def load_server(_change: Any = None) -> None:
        row = model.inventory[model.inventory["server"].astype(str) == ed["server"].value].iloc[0]
        ed["util_avg_pct"].value = float(row["util_avg_pct"])
        ed["util_peak_pct"].value = float(row["util_peak_pct"])
        if str(row["workload_class"]) in classes:
            ed["workload_class"].value = str(row["workload_class"])
        ed["count"].value = int(row.get("count", 1) or 1)

    def values() -> dict[str, Any]:
        v = {s.name: controls[s.name].value for s in specs.CONTROLS if not s.extra}
        v["target_util_pct"] = float(v["target_util_pct"])
        v["memory_gib_per_host"] = float(v["memory_gib_per_host"]) or None
        # an extra control at its start value leaves the scenario as it is (a scenario without
        # growth: keeps none until a growth control moves)
        v["extra"] = tuple(
            (s.key, controls[s.name].value)
            for s in specs.CONTROLS
            if s.extra and controls[s.name].value != extra_start[s.name]
        )
        return v

    # figures laid out and serialised for the page, by identity (a figure the explorer reused
    # or a recent state shown again is not laid out and serialised again; the explorer never
    # changes a figure after this)
    sent: OrderedDict[int, tuple[go.Figure, str]] = OrderedDict()

    def figure_text(fig: go.Figure) -> str:
        kept = sent.get(id(fig))
        if kept is None or kept[0] is not fig:
            kept = (fig, figure_json(dashboard_layout(fig)))
            sent[id(fig)] = kept
            while len(sent) > SENT_FIGURES:
                sent.popitem(last=False)
        sent.move_to_end(id(fig))
        return kept[1]

    def show(state: ExplorerState) -> None:
        for name, chart in charts.items():
            # the same element on the page: Plotly.react redraws it in place (widgets.chart)
            fig = _figure_of(state, name)
            chart.show(fig, figure_text(fig))
        head.value = headline_html(state)
        compare.value = comparison_html(model)
        bc_html.value = business_case_html(state)

    def error(exc: Exception) -> None:
        status.value = (
            f"<span class='ck-status ck-error' style='color:#D55E00'>{html.escape(str(exc))}</span>"
        )

    def on_change(_change: Any = None) -> None:
        panel.add_class(
            "ck-busy"
        )  # sent at once: the page dims the results while the plan is rebuilt
        status.value = "<span class='ck-status ck-updating'>updating…</span>"
        try:
            # tiles, answer, waterfall, findings: one headline; no collector walks meanwhile
            with model.collection_pause, reusing_headlines():
                show(model.update(**values()))
            status.value = "<span class='ck-status'>updated</span>"
        except ColonykitError as exc:
            error(exc)
        finally:
            panel.remove_class("ck-busy")

    def on_export(_button: Any = None) -> None:
        try:
            # the plan tree is written as a unit into its own folder: the export folder also
            # holds the saved scenario and the report, which the tree must not replace
            target = export_folder(export_root, export_dir_w.value) / "plan"
            panel.exported = model.export(target)
            status.value = export_status_html(
                model.state, f"exported {len(panel.exported)} files to {target}", "Plan exported"
            )
        except (ColonykitError, OSError) as exc:
            error(exc)

    def on_pin(_button: Any = None) -> None:
        model.pin()
        compare.value = comparison_html(model)
        status.value = "<span class='ck-status'>baseline pinned</span>"

    def on_save(_button: Any = None) -> None:
        try:
            panel.saved = model.save_scenario(
                export_folder(export_root, export_dir_w.value) / "scenario.yaml"
            )
            status.value = (
                f"<span class='ck-status'>saved {html.escape(str(panel.saved[0]))}"
                f"{' and the inventory' if len(panel.saved) > 1 else ''}</span>"
            )
        except (ColonykitError, OSError) as exc:
            error(exc)

    def on_report(_button: Any = None) -> None:
        status.value = "<span class='ck-status'>writing the report…</span>"
        try:
            folder = export_folder(export_root, export_dir_w.value)
            panel.reported = model.export_report(folder)
            status.value = export_status_html(
                model.state,
                f"reported: {', '.join(p.name for p in panel.reported)} in {folder}",
                "Report written",
            )
        except (ColonykitError, OSError) as exc:
            error(exc)

    def on_apply(_button: Any = None) -> None:
        try:
            show(
                model.edit_server(ed["server"].value, **{k: ed[k].value for k in EDITABLE_COLUMNS})
            )
            inv_html.value = inventory_html(model, highlight=ed["server"].value)
            status.value = (
                f"<span class='ck-status'>server {html.escape(ed['server'].value)} changed</span>"
            )
        except ColonykitError as exc:
            error(exc)

    # -- business case tab (issue 22): first line, save as named scenario, compare saved
    bc_html = w.HTML(business_case_html(model.state))
    named = w.Text(
        value="",
        placeholder="name (A-Z a-z 0-9 . _ -)",
        description="scenario name",
        style=style,
        layout=lay,
        tooltip="Name of the saved scenario (scenarios/<name>.yaml in the export folder)",
    )
    save_named_b = w.Button(
        description="Save as named scenario",
        icon="save",
        tooltip="Write scenarios/<name>.yaml in the export folder with the current controls "
        "(colonykit.plan.business.save_scenario)",
    )
    saved_sel = w.SelectMultiple(
        options=[],
        description="saved",
        style=style,
        layout=w.Layout(width="350px", height="110px"),
        tooltip="Saved scenarios to compare (none selected: all)",
    )
    compare_b = w.Button(
        description="Compare saved",
        icon="columns",
        tooltip="Build each saved scenario's plan and show them side by side "
        "(colonykit.plan.compare.compare_saved; a few seconds per scenario)",
    )
    saved_html = w.HTML("")

    def scenarios_folder() -> Path:
        return export_folder(export_root, export_dir_w.value) / "scenarios"

    def list_saved() -> None:
        try:
            saved_sel.options = [p.stem for p in business.saved_scenarios(scenarios_folder())]
        except ColonykitError:  # a bad export folder is reported by the action that uses it
            saved_sel.options = []

    def on_save_named(_button: Any = None) -> None:
        try:
            panel.saved_named = model.save_named(named.value.strip(), scenarios_folder())
            list_saved()
            status.value = (
                f"<span class='ck-status'>saved {html.escape(str(panel.saved_named))}</span>"
            )
        except (ColonykitError, OSError) as exc:
            error(exc)

    def on_compare(_button: Any = None) -> None:
        status.value = "<span class='ck-status ck-updating'>comparing…</span>"
        try:
            names = list(saved_sel.value) or None
            if not (names or saved_sel.options):
                msg = f"no saved scenarios in {scenarios_folder()}: save one first"
                raise InputError(msg)
            panel.saved_comparison = model.compare_saved(scenarios_folder(), names)
            saved_html.value = saved_comparison_html(panel.saved_comparison)
            status.value = "<span class='ck-status'>compared</span>"
        except (ColonykitError, OSError) as exc:
            error(exc)

    save_named_b.on_click(on_save_named)
    compare_b.on_click(on_compare)
    export_dir_w.observe(lambda _c: list_saved(), names="value")
    list_saved()
    bc_tab = w.VBox(
        [
            bc_html,
            w.HBox([named, save_named_b]),
            w.HBox([saved_sel, compare_b]),
            saved_html,
        ]
    )
    bc_tab.add_class("ck-business-case")

    for wid in controls.values():
        wid.observe(on_change, names="value")
    button.on_click(on_export)
    pin.on_click(on_pin)
    save.on_click(on_save)
    report_b.on_click(on_report)
    apply_b.on_click(on_apply)
    ed["server"].observe(load_server, names="value")
    load_server()
    buttons = w.VBox([w.HBox([pin, save]), w.HBox([button, report_b])])
    left = w.VBox(
        [
            w.HTML(
                f"<b>Scenario {html.escape(str(model.scenario.name))}</b><br><span "
                "style='color:#666'>hover a control for its unit and source</span>"
            ),
            *rows,
            export_dir_w,
            buttons,
            status,
        ],
        layout=w.Layout(width="390px", min_width="390px", flex="0 0 390px"),
    )
    left.add_class("ck-left")
    slots = {name: w.Box([ch], layout=w.Layout(min_width="0")) for name, ch in charts.items()}
    grid = w.GridBox(
        list(slots.values()),
        layout=w.Layout(grid_template_columns="repeat(2, minmax(0, 1fr))", width="100%"),
    )
    grid.add_class("ck-charts")
    servers_tab = w.HBox(
        [w.VBox([*ed.values(), apply_b], layout=w.Layout(min_width="360px")), inv_html]
    )
    servers_tab.add_class("ck-servers")
    hosts_tab = w.VBox([head_hosts := w.HTML(hosts_findings_html(model.state)), *static])
    tabs = w.Tab(children=[grid, servers_tab, hosts_tab, bc_tab])
    for i, t in enumerate(("Charts", "Servers", "Hosts, findings, white space", "Business case")):
        tabs.set_title(i, t)
    # the right column takes the rest of the row; below 390 + 640 px it goes under the controls
    right = w.VBox(
        [head, compare, tabs], layout=w.Layout(flex="1 1 640px", width="auto", min_width="0")
    )
    right.add_class("ck-right")
    panel = w.HBox(
        [w.HTML(_DASH_CSS), page_helper(), left, right],
        layout=w.Layout(width="100%", flex_flow="row wrap"),
    )
    panel.add_class("ck-explorer")

    def refresh_hosts(_change: Any = None) -> None:
        head_hosts.value = hosts_findings_html(model.state)

    head.observe(refresh_hosts, names="value")
    panel.model = model
    panel.controls = controls
    panel.figures = charts
    panel.charts = charts
    panel.headline = head
    panel.compare = compare
    panel.status = status
    panel.export_button = button
    panel.pin_button = pin
    panel.save_button = save
    panel.report_button = report_b
    panel.apply_button = apply_b
    panel.server_editor = ed
    panel.export_dir = export_dir_w
    panel.tabs = tabs
    panel.exported = []
    panel.saved = []
    panel.reported = []
    panel.business_case = bc_html
    panel.scenario_name = named
    panel.save_named_button = save_named_b
    panel.saved_select = saved_sel
    panel.compare_saved_button = compare_b
    panel.saved_compare = saved_html
    panel.saved_named = None
    panel.saved_comparison = None
    panel.refresh = on_change
    return panel


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


def controls_dict(controls: Controls) -> dict[str, Any]:
    """Controls as a plain dict (for reports and exports).

    Parameters
    ----------
    controls : Controls
        The control values.
    """
    return asdict(controls)


__all__ = [
    "AS_INVENTORY",
    "EDITABLE_COLUMNS",
    "CONTROL_KEYS",
    "FIGURE_CONFIG",
    "export_folder",
    "page_helper",
    "KEY_FIGURES",
    "CONFIDENCE_COLOURS",
    "CONFIDENCE_LEVELS",
    "business_case_html",
    "comparison_html",
    "confidence_html",
    "over_time_html",
    "placeholder_figure",
    "saved_comparison_html",
    "control_help",
    "dashboard",
    "dashboard_layout",
    "export_status_html",
    "hosts_findings_html",
    "inventory_html",
    "key_figures",
    "FIGURES",
    "STATIC_FIGURES",
    "Controls",
    "ExplorerModel",
    "ExplorerState",
    "controls_dict",
    "explorer",
    "headline",
    "headline_html",
]
