"""Scenarios side by side (``colonykit compare``, issue 22): each plan built, its figures in a column.

Above the plan's assembly (it builds plans); the business case itself is
:mod:`colonykit.plan.business`.

Examples
--------
>>> c = compare_scenarios(["data/examples/scenario.yaml", "data/examples/bitbrains_colony.yaml"])
>>> c.frame().loc["lpars"].tolist()
[1, 1]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from colonykit import costs
from colonykit._dicts import DictMixin
from colonykit.errors import InputError
from colonykit.plan.assembly import ColonyPlanResult, _inventory, build_plan
from colonykit.plan.business import plan_business_case, plan_disk_gib, saved_scenarios
from colonykit.plan.scenario import Scenario, load_scenario


def business_case_of(
    result: ColonyPlanResult, capacity_plan: costs.CapacityPlanLike | None = None
) -> costs.CostResult | None:
    """The business case of a built plan, optionally with a capacity plan over time (#21).

    Parameters
    ----------
    result : ColonyPlanResult
        A plan built by :func:`colonykit.plan.build_plan`.
    capacity_plan : CapacityPlanLike, optional
        ``colonykit.forecast.project(result)`` once issue 21 is merged.
    """
    if capacity_plan is None:
        return result.business_case
    return plan_business_case(
        result.scenario, _inventory(result.scenario, None), result.plan, capacity_plan
    )


@dataclass(frozen=True)
class ScenarioColumn:
    """One scenario's figures in ``colonykit compare``.

    Attributes
    ----------
    name, source : str
        Plan name and scenario file.
    engines_peak, engines_composite : int or None
        Engines sized on the sum of the servers' peaks and on the composite peak.
    lpars : int
        LPARs (hosts).
    real_storage_gib, disk_gib : float
        Real storage of all LPARs and DASD of the plan (:func:`plan_disk_gib`) [GiB].
    paging_volumes : int
        Paging volumes.
    exhaustion_date : datetime.date or None
        When the plan as built runs out (needs a capacity plan over time, issue 21).
    licence_cores_today, licence_cores_colony : float or None
        Cores and engines in scope of per-core licences (None without a business case).
    cost_today, cost_colony, npv : float or None
        Cost of each side over the horizon and the NPV of the savings.
    payback_months : int or None
        Payback month.
    energy_kwh_colony, co2e_t_colony : float or None
        The colony's energy [kWh] and CO2e [t] per year.
    currency : str
        Currency of the amounts.
    confidence : str
        ``low: …`` with the reasons, or ``as sized``.
    first_line : str
        The business case's first line (example prices, not priced inputs).
    """

    name: str
    source: str
    engines_peak: int | None
    engines_composite: int | None
    lpars: int
    real_storage_gib: float
    disk_gib: float
    paging_volumes: int
    exhaustion_date: dt.date | None
    licence_cores_today: float | None
    licence_cores_colony: float | None
    cost_today: float | None
    cost_colony: float | None
    npv: float | None
    payback_months: int | None
    energy_kwh_colony: float | None
    co2e_t_colony: float | None
    currency: str
    confidence: str
    first_line: str


#: Row labels of the comparison, in order.
COMPARE_ROWS: tuple[str, ...] = (
    "engines_peak",
    "engines_composite",
    "lpars",
    "real_storage_gib",
    "disk_gib",
    "paging_volumes",
    "exhaustion_date",
    "licence_cores_today",
    "licence_cores_colony",
    "cost_today",
    "cost_colony",
    "npv",
    "payback_months",
    "energy_kwh_colony",
    "co2e_t_colony",
    "currency",
    "confidence",
)


@dataclass(frozen=True)
class ScenarioComparison(DictMixin):
    """Several scenarios side by side (:func:`compare_scenarios`).

    Attributes
    ----------
    columns : tuple of ScenarioColumn
        One per scenario, in the order given.
    """

    columns: tuple[ScenarioColumn, ...]
    _dict_keys = ("first_line", "scenarios")

    def frame(self) -> pd.DataFrame:
        """Rows = :data:`COMPARE_ROWS`, columns = scenario names."""
        data = {c.name: [getattr(c, r) for r in COMPARE_ROWS] for c in self.columns}
        return pd.DataFrame(data, index=list(COMPARE_ROWS))

    def _dict_computed(self) -> dict[str, object]:
        """JSON-ready: the first line, then one mapping per scenario."""
        out = []
        for c in self.columns:
            row: dict[str, object] = {
                "name": c.name,
                "source": c.source,
                "first_line": c.first_line,
            }
            for r in COMPARE_ROWS:
                v = getattr(c, r)
                row[r] = v.isoformat() if isinstance(v, dt.date) else v
            out.append(row)
        return {"first_line": self.first_line, "scenarios": out}

    @property
    def first_line(self) -> str:
        """Says first when any column rests on example prices."""
        ex = [c.name for c in self.columns if c.first_line.startswith("EXAMPLE PRICES")]
        if ex:
            return f"EXAMPLE PRICES: {', '.join(ex)} rest on illustrative example prices"
        return "comparison on the planners' own prices"

    def text(self) -> str:
        """A table for the terminal, the first line first."""
        f = self.frame().astype(object).where(self.frame().notna(), "n/a")
        f = f.map(lambda v: f"{v:,.0f}" if isinstance(v, float) else str(v))
        missing = [c.name for c in self.columns if c.exhaustion_date is None]
        note = (
            f"\nexhaustion_date n/a for {', '.join(missing)}: no growth: section, or the plan "
            "holds to its horizon (colonykit forecast)"
            if missing
            else ""
        )
        return self.first_line + "\n" + f.to_string() + note


def _confidence(result: ColonyPlanResult, res: costs.CostResult | None) -> str:
    parts = []
    low_units = result.sizing.low_confidence if result.sizing is not None else {}
    if low_units:
        parts.append("WLF units " + "/".join(sorted(low_units)))
    if res is not None:
        if res.example_prices_used:
            parts.append("example prices")
        if res.unpriced:
            parts.append(f"{len(res.unpriced)} not priced")
    return ("low: " + ", ".join(parts)) if parts else "as sized"


def scenario_column(
    result: ColonyPlanResult, capacity_plan: costs.CapacityPlanLike | None = None
) -> ScenarioColumn:
    """One column of the comparison from a built plan.

    Parameters
    ----------
    result : ColonyPlanResult
        The plan.
    capacity_plan : CapacityPlanLike, optional
        Its capacity plan over time (issue 21) for the exhaustion date; None: the plan's own
        (its scenario's ``growth:`` section), if any.
    """
    plan = result.plan
    v = plan.evidence.sizing.values
    bound = str(v.get("bound_used", "typical"))
    peak = v.get("engines_peak", v.get(f"engines_{bound}"))
    comp = v.get("engines_composite", v.get(f"engines_{bound}"))
    if capacity_plan is None or capacity_plan is result.capacity_plan:
        capacity_plan = result.capacity_plan  # the scenario's own growth: section (issue 21)
        res = result.business_case
    else:
        res = business_case_of(result, capacity_plan)
    exhaustion = capacity_plan.exhaustion if capacity_plan is not None else None
    return ScenarioColumn(
        name=plan.metadata.name,
        source=plan.metadata.scenario,
        engines_peak=int(peak) if isinstance(peak, int | float) else None,
        engines_composite=int(comp) if isinstance(comp, int | float) else None,
        lpars=len(plan.hosts),
        real_storage_gib=float(sum(h.capacity.memory_gib for h in plan.hosts)),
        disk_gib=round(plan_disk_gib(plan), 1),
        paging_volumes=int(sum(h.capacity.paging_volumes for h in plan.hosts)),
        exhaustion_date=exhaustion.date if exhaustion is not None else None,
        licence_cores_today=None if res is None else res.today.licence_cores[0],
        licence_cores_colony=None if res is None else res.colony.licence_cores[0],
        cost_today=None if res is None else res.total_today,
        cost_colony=None if res is None else res.total_colony,
        npv=None if res is None else res.npv,
        payback_months=None if res is None else res.payback_months,
        energy_kwh_colony=None if res is None else res.energy_kwh_colony,
        co2e_t_colony=None if res is None else res.co2e_t_colony,
        currency="" if res is None else res.currency,
        confidence=_confidence(result, res),
        first_line="no 'costs' section" if res is None else res.headline,
    )


def compare_scenarios(
    scenarios: Sequence[Scenario | str | Path],
    capacity_plans: Sequence[costs.CapacityPlanLike | None] | None = None,
) -> ScenarioComparison:
    """Build each scenario's plan and put their figures column by column.

    Parameters
    ----------
    scenarios : sequence of Scenario or path
        Two or more scenarios.
    capacity_plans : sequence of CapacityPlanLike or None, optional
        One capacity plan over time per scenario (issue 21), for the exhaustion date.

    Examples
    --------
    >>> c = compare_scenarios(["data/examples/scenario.yaml", "data/examples/bitbrains_colony.yaml"])
    >>> c.frame().loc["lpars"].tolist()
    [1, 1]
    """
    plans = list(capacity_plans) if capacity_plans is not None else [None] * len(scenarios)
    if len(plans) != len(scenarios):
        msg = f"compare: {len(scenarios)} scenario(s) but {len(plans)} capacity plan(s)"
        raise InputError(msg)
    cols = [
        scenario_column(build_plan(s, stagger_traces=False), cp)
        for s, cp in zip(scenarios, plans, strict=True)
    ]
    return ScenarioComparison(tuple(cols))


def compare_saved(folder: str | Path, names: Sequence[str] | None = None) -> ScenarioComparison:
    """Compare saved scenarios (all of the folder, or those named).

    Parameters
    ----------
    folder : str or Path
        Where :func:`save_scenario` wrote them.
    names : sequence of str, optional
        Which ones (default all).
    """
    paths = saved_scenarios(folder)
    if names is not None:
        want = set(names)
        paths = [p for p in paths if p.stem in want]
    return compare_scenarios([load_scenario(p) for p in paths])


__all__ = [
    "COMPARE_ROWS",
    "ScenarioColumn",
    "ScenarioComparison",
    "business_case_of",
    "compare_saved",
    "compare_scenarios",
    "scenario_column",
]
