"""The explorer's state holder: the current state, the baseline, server edits, save and export.

:class:`ExplorerModel` keeps what the explorer shows between updates: the current
:class:`~colonykit.widgets.model.ExplorerState`, the recent states by controls (a control moved
back shows its plan again without rebuilding it), the pinned baseline and the key figures
compared with it (:data:`KEY_FIGURES`), the edited inventory; it writes the changed scenario,
the plan, the report and named scenarios.  Plans are built by its
:class:`~colonykit.widgets.model.PlanModel` (``plans``); the panel
(:mod:`colonykit.widgets.panel`) only wires widgets to these methods.

Examples
--------
>>> m = ExplorerModel("data/examples/scenario.yaml")
>>> _ = m.pin()
>>> m.update(target_util_pct=50).headline["engines_per_host"]
[4]
>>> float(m.comparison().loc["engines", "difference"])
2.0
"""

from __future__ import annotations

from dataclasses import fields, replace
from pathlib import Path
from typing import Any

import pandas as pd

from colonykit import export, plan, report
from colonykit.errors import ColonykitError, InputError, unknown_name
from colonykit.plan import business, compare, story
from colonykit.plan.stages import CollectionPause, StageCache
from colonykit.widgets.model import Controls, ExplorerState, PlanModel, _growth_only

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


class ExplorerModel:
    """The explorer without widgets: control values in, plan result and figures out, and what
    it keeps between updates (current state, baseline, edited inventory) and writes.

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
        scen = plan.load_scenario(scenario) if isinstance(scenario, str | Path) else scenario
        if inventory is None:
            if not scen.inventory:
                msg = "the explorer needs a scenario with an 'inventory'"
                raise InputError(msg)
            from colonykit.ingest import read_inventory

            inventory, _meta = read_inventory(scen.resolve(scen.inventory))
        #: Builds the plans (:class:`~colonykit.widgets.model.PlanModel`: controls in, state out).
        self.plans = PlanModel(scen, inventory)
        self.defaults = Controls.from_scenario(scen)
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

    # -- the plan model's parts, by their old names
    @property
    def scenario(self) -> plan.Scenario:
        """The scenario the controls change (:attr:`PlanModel.scenario`)."""
        return self.plans.scenario

    @property
    def inventory(self) -> pd.DataFrame:
        """The current inventory (the edited one after :meth:`edit_server`)."""
        return self.plans.inventory

    @property
    def traces(self) -> Any:
        """The scenario's traces joined to the inventory, read by the first plan (:attr:`PlanModel.traces`)."""
        return self.plans.traces

    @property
    def stages(self) -> StageCache:
        """The plan's stage cache (:attr:`PlanModel.stages`)."""
        return self.plans.stages

    @property
    def collection_pause(self) -> CollectionPause:
        """The garbage-collection pause of the dashboard's rebuilds (:attr:`PlanModel.collection_pause`)."""
        return self.plans.collection_pause

    @property
    def controls(self) -> Controls:
        """The controls of the current state."""
        return self.state.controls

    @staticmethod
    def choices() -> dict[str, list[str]]:
        """Valid values of the drop-down controls (:meth:`PlanModel.choices`)."""
        return PlanModel.choices()

    def scenario_value(self, key: str) -> Any:
        """The scenario's value at a dotted key (:meth:`PlanModel.scenario_value`).

        Parameters
        ----------
        key : str
            ``section.field`` of the scenario.
        """
        return self.plans.scenario_value(key)

    def scenario_for(self, controls: Controls) -> plan.Scenario:
        """The scenario with the control values applied (:meth:`PlanModel.scenario_for`).

        Parameters
        ----------
        controls : Controls
            The control values to apply to the scenario.
        """
        return self.plans.scenario_for(controls)

    def inventory_for(self, controls: Controls) -> pd.DataFrame:
        """The inventory the plan of ``controls`` reads (:meth:`PlanModel.inventory_for`).

        Parameters
        ----------
        controls : Controls
            The control values (the workload-class control may override every server's class).
        """
        return self.plans.inventory_for(controls)

    def compute(self, controls: Controls) -> ExplorerState:
        """Build the plan and figures for ``controls`` (:meth:`PlanModel.compute`; kept nowhere).

        Parameters
        ----------
        controls : Controls
            The control values to plan with.
        """
        return self.plans.compute(controls)

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
        return self.plans.regrow(self.state, controls)

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
        self.plans.inventory = canonical
        try:
            self.state = self.compute(self.state.controls)
        except ColonykitError:
            self.plans.inventory = old
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


__all__ = [
    "CONFIDENCE_LEVELS",
    "EDITABLE_COLUMNS",
    "KEY_FIGURES",
    "RECENT_STATES",
    "ExplorerModel",
    "key_figures",
]
