"""The explorer's model: control values in, plan result and figures out (no widgets, no files written).

:class:`PlanModel` turns :class:`Controls` into an :class:`ExplorerState` with library calls
only: the scenario with the controls applied (:meth:`PlanModel.scenario_for`), the plan
(:func:`colonykit.plan.build_plan` with the model's :class:`~colonykit.plan.stages.StageCache`,
so a control change recomputes only the stages that read what it changed), the figures of
:data:`colonykit.widgets.specs.CHARTS` (a chart whose inputs did not change keeps its figure,
:attr:`~colonykit.widgets.specs.ChartSpec.reads`) and the headline, computed once.  What the
explorer keeps between updates (the current state, the baseline, server edits) and what it
writes are :class:`colonykit.widgets.state.ExplorerModel`'s.

Examples
--------
>>> from colonykit import plan
>>> scen = plan.load_scenario("data/examples/scenario.yaml")
>>> from colonykit.ingest import read_inventory
>>> inv, _ = read_inventory(scen.resolve(scen.inventory))
>>> pm = PlanModel(scen, inv)
>>> s = pm.compute(Controls.from_scenario(scen))
>>> s.headline["engines_per_host"], s.controls.processor
([2], 'z15')
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from colonykit import designs, forecast, plan, plots, reference, report
from colonykit.errors import ColonykitError, InputError, unknown_name
from colonykit.plan import business, compare
from colonykit.plan.stages import CollectionPause, StageCache
from colonykit.plan.summary import headline
from colonykit.widgets import specs

#: ``workload_class`` control value meaning "keep each server's class from the inventory".
AS_INVENTORY = "(as inventory)"
#: Figures the explorer shows, in order.
FIGURES: tuple[str, ...] = tuple(c.name for c in specs.CHARTS)
#: Figures shown once, below the others, when the plan has them: no control changes them
#: (the white space comes from the measured traces).
STATIC_FIGURES: tuple[str, ...] = ("white_space",)


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


class PlanModel:
    """Controls in, plan state out: the explorer's computation, no widgets and nothing written.

    Parameters
    ----------
    scenario : colonykit.plan.Scenario
        The scenario the controls change (never itself changed: each plan gets a copy).
    inventory : DataFrame
        The canonical inventory (:func:`colonykit.ingest.read_inventory`); the state holder
        replaces it when a server is edited.

    Examples
    --------
    >>> from colonykit.ingest import read_inventory
    >>> scen = plan.load_scenario("data/examples/scenario.yaml")
    >>> pm = PlanModel(scen, read_inventory(scen.resolve(scen.inventory))[0])
    >>> pm.compute(replace(Controls.from_scenario(scen), processor="z13")).headline["processor"]
    'z13'
    """

    def __init__(self, scenario: plan.Scenario, inventory: pd.DataFrame) -> None:
        self.scenario = scenario
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

    def scenario_value(self, key: str) -> Any:
        """The scenario's value at a dotted key (``growth.rate_pct_per_year``): an extra control's start.

        Parameters
        ----------
        key : str
            ``section.field`` of the scenario.

        Examples
        --------
        >>> from colonykit.widgets import ExplorerModel
        >>> m = ExplorerModel("data/examples/scenario.yaml").plans
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
            # the traces the first plan read, joined to the inventory: every later plan reuses them
            self.traces = result.join
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

    def regrow(self, base: ExplorerState, controls: Controls) -> ExplorerState | None:
        """``base``'s plan with another ``growth:`` section: only the projection (and the
        business case, which buys its upgrades) is recomputed, as :func:`colonykit.plan.build_plan`
        does after building the plan; the plan, its other figures and its staggering are reused.

        None when ``base``'s plan cannot be reused (the new scenario has no ``growth:``
        section, or the plan is not a z/VM plan sized in MIPS): :meth:`compute` builds it then.

        Parameters
        ----------
        base : ExplorerState
            The state whose plan is reused.
        controls : Controls
            The control values; they differ from ``base``'s in growth controls only.
        """
        scen = self.scenario_for(controls)
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
    "FIGURES",
    "STATIC_FIGURES",
    "Controls",
    "ExplorerState",
    "PlanModel",
    "control_help",
    "controls_dict",
]
