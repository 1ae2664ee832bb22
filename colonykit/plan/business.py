"""The business case of a plan, scenarios side by side, and saved named scenarios (issue 22).

:func:`plan_business_case` reads today's servers from the inventory and the colony from the
plan, resolves the scenario's ``costs:`` section against ``cost_inputs.csv`` and calls
:func:`colonykit.costs.business_case`.  :func:`~colonykit.plan.compare.compare_scenarios` builds several plans and
puts their figures column by column (``colonykit compare``, :mod:`colonykit.plan.compare`).
:func:`save_scenario` and :func:`saved_scenarios` are what a dashboard calls to keep the current
settings under a name (:func:`colonykit.plan.compare.compare_saved` compares them).

Examples
--------
>>> from colonykit.plan import build_plan
>>> r = build_plan("data/examples/bitbrains_colony.yaml")
>>> r.business_case.headline.startswith("EXAMPLE PRICES")
True
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from pathlib import Path

import pandas as pd
import yaml

from colonykit import costs, storage
from colonykit._atomic import atomic_write_text
from colonykit._yaml import load_yaml, read_text
from colonykit.errors import InputError, must_be
from colonykit.plan.document import BusinessCase, BusinessCaseYear, ColonyPlan
from colonykit.plan.scenario import Scenario


def today_estate(inventory: pd.DataFrame) -> tuple[costs.TodayEstate, list[str]]:
    """Today's servers from a canonical inventory: one entry per server (``count`` expanded).

    Servers without a core count (capacity given in MHz or MIPS) count as one core.

    Parameters
    ----------
    inventory : pandas.DataFrame
        The validated inventory (``server``, ``count``, optional ``cores``).

    Examples
    --------
    >>> est, notes = today_estate(pd.DataFrame({"server": ["a", "b"], "count": [2, 1], "cores": [4, None]}))
    >>> est.servers, est.cores, notes
    (('a', 'a', 'b'), (4.0, 4.0, 1.0), ['1 server(s) without a core count counted as 1 core'])
    """
    counts = inventory["count"].fillna(1).astype(int).to_numpy()
    names = inventory["server"].astype(str).to_numpy().repeat(counts)
    raw = inventory["cores"] if "cores" in inventory else pd.Series([float("nan")] * len(inventory))
    cores = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=float).repeat(counts)
    missing = ~(cores > 0)
    notes = []
    if missing.any():
        notes.append(f"{int(missing.sum())} server(s) without a core count counted as 1 core")
    cores[missing] = 1.0
    disk = 0.0
    if "disk_gib" in inventory:
        d = pd.to_numeric(inventory["disk_gib"], errors="coerce").fillna(0.0).to_numpy(dtype=float)
        disk = float((d * counts).sum())
    estate = costs.TodayEstate(tuple(names.tolist()), tuple(float(c) for c in cores), disk)
    return estate, notes


def colony_estate(plan: ColonyPlan) -> costs.ColonyEstate:
    """The colony as built: each LPAR's engines, real storage and the servers it carries.

    Parameters
    ----------
    plan : ColonyPlan
        The plan document.
    """
    hosts = tuple(
        costs.ColonyHost(
            h.id,
            int(h.capacity.cpus),
            float(h.capacity.memory_gib),
            tuple(sorted({g.source_server for g in h.guests})),
        )
        for h in plan.hosts
    )
    return costs.ColonyEstate(hosts, sum(len(h.guests) for h in plan.hosts), plan_disk_gib(plan))


def plan_disk_gib(plan: ColonyPlan) -> float:
    """DASD of a plan [GiB]: shared images once, every guest's own disks, and paging space.

    VDISKs (in storage) and NFS roots are not DASD and are left out.

    Parameters
    ----------
    plan : ColonyPlan
        The plan document.

    Examples
    --------
    >>> from colonykit.plan import build_plan
    >>> round(plan_disk_gib(build_plan("data/examples/scenario.yaml").plan), 1) > 0
    True
    """
    model = plan.metadata.volume_model
    total = sum(
        float(storage.cyl_to_gib(i.size_cyl, model)) if i.size_cyl else i.size_mib / 1024
        for i in plan.images
    )
    for _h, g in plan.guests():
        for item in g.storage:
            if item.kind in ("mdisk", "tdisk") and item.size_cyl:
                total += float(storage.cyl_to_gib(item.size_cyl, model))
            elif item.kind == "mdisk" and item.size_blocks:  # on an EDEV (FCP LUN)
                total += float(storage.units_to_gib(item.size_blocks, "EDEV"))
            elif item.kind == "image" and item.size_mib:
                total += item.size_mib / 1024
    total += sum(h.capacity.paging_gib for h in plan.hosts)
    return float(total)


def engine_ratios(plan: ColonyPlan) -> dict[str, float]:
    """Engines at the low/high WLF bound ÷ engines at the plan's bound (the sizing evidence).

    The composite engines of measured traces when present, else the WLF engines.

    Parameters
    ----------
    plan : ColonyPlan
        The plan document.

    Examples
    --------
    >>> from colonykit.plan import build_plan
    >>> r = engine_ratios(build_plan("data/examples/scenario.yaml").plan)
    >>> r["typical"]
    1.0
    """
    v = plan.evidence.sizing.values
    bound = str(v.get("bound_used", "typical"))
    key = "engines_composite_{}" if f"engines_composite_{bound}" in v else "engines_{}"
    base = v.get(key.format(bound))
    if not isinstance(base, int | float) or base <= 0:
        return {b: 1.0 for b in costs.BOUNDS}
    out = {}
    for b in costs.BOUNDS:
        e = v.get(key.format(b))
        out[b] = float(e) / float(base) if isinstance(e, int | float) else 1.0
    return out


def costs_section(scen: Scenario) -> costs.CostsSection | None:
    """The scenario's ``costs:`` section, read from ``costs.file`` when it names one.

    Parameters
    ----------
    scen : Scenario
        The scenario.
    """
    sec = scen.costs
    if sec is None or not sec.file:
        return sec
    path = scen.resolve(sec.file)
    if not path.is_file():
        msg = must_be("costs.file", "an existing YAML file", str(path), scen.source)
        raise InputError(msg)
    data = load_yaml(read_text(path, "costs"), path.name)
    if not isinstance(data, Mapping):
        msg = f"{path.name}: a costs file must be a YAML mapping"
        raise InputError(msg)
    merged = _deep_merge(dict(data), sec.model_dump(exclude_unset=True, exclude={"file"}))
    from pydantic import ValidationError

    try:
        return costs.CostsSection.model_validate(merged)
    except ValidationError as exc:
        from colonykit.errors import raise_problems
        from colonykit.plan._validation import validation_problems

        raise_problems(validation_problems(exc, path.name, costs.CostsSection), "invalid costs")
        raise  # pragma: no cover


def _deep_merge(base: dict[str, object], over: Mapping[str, object]) -> dict[str, object]:
    """``over`` on top of ``base``; mappings are merged key by key (the scenario wins)."""
    out = dict(base)
    for k, v in over.items():
        b = out.get(k)
        out[k] = _deep_merge(dict(b), v) if isinstance(b, Mapping) and isinstance(v, Mapping) else v
    return out


def growth_horizon_years(scen: Scenario) -> int | None:
    """The horizon of the scenario's ``growth:`` section in whole years (None without one).

    Reads ``horizon_years`` or ``horizon_months`` (issue 21's growth model) when present.

    Parameters
    ----------
    scen : Scenario
        The scenario.
    """
    growth = getattr(scen, "growth", None)
    if growth is None:
        return None
    years = getattr(growth, "horizon_years", None)
    if isinstance(years, int | float) and years > 0:
        return int(math.ceil(years))
    months = getattr(growth, "horizon_months", None)
    if isinstance(months, int | float) and months > 0:
        return int(math.ceil(months / 12))
    return None


def plan_business_case(
    scen: Scenario,
    inventory: pd.DataFrame,
    plan: ColonyPlan,
    capacity_plan: costs.CapacityPlanLike | None = None,
) -> costs.CostResult | None:
    """The business case of a plan (None when the scenario has no ``costs:`` section).

    Parameters
    ----------
    scen : Scenario
        The scenario (its ``costs:`` section).
    inventory : pandas.DataFrame
        Its validated inventory (today's servers).
    plan : ColonyPlan
        The plan (the colony).
    capacity_plan : CapacityPlanLike, optional
        The plan over time (issue 21); None: the plan as built, no upgrades.
    """
    sec = costs_section(scen)
    if sec is None:
        return None
    inp, products, sources, unc = costs.resolve_inputs(sec, growth_horizon_years(scen))
    today, notes = today_estate(inventory)
    if capacity_plan is None:
        notes.append("no capacity plan: the colony is costed as built, with no upgrades")
    return costs.business_case(
        today,
        colony_estate(plan),
        inp,
        products,
        capacity_plan=capacity_plan,
        engine_ratios=engine_ratios(plan),
        uncertain=unc,
        currency=sec.currency,
        sources=sources,
        notes=notes,
    )


def business_case_document(res: costs.CostResult) -> BusinessCase:
    """The plan document's ``business_case`` section of a result.

    Parameters
    ----------
    res : CostResult
        The business case.
    """
    d = res.to_dict()
    years = [BusinessCaseYear(**y) for y in d["years"]]
    return BusinessCase(
        first_line=res.headline,
        horizon_years=res.horizon_years,
        currency=res.currency,
        discount_pct=float(res.inputs.discount_pct),
        years=years,
        npv=round(res.npv, 2),
        payback_months=res.payback_months,
        roi_pct=None if res.roi_pct is None else round(res.roi_pct, 2),
        licence_cores_today=round(res.today.licence_cores[0], 2),
        licence_cores_colony=round(res.colony.licence_cores[0], 2),
        energy_kwh_today=_round(res.energy_kwh_today, 2),
        energy_kwh_colony=_round(res.energy_kwh_colony, 2),
        co2e_t_today=_round(res.co2e_t_today, 4),
        co2e_t_colony=_round(res.co2e_t_colony, 4),
        npv_range={k: round(v, 2) for k, v in res.npv_range.items()},
        example_prices_used=list(res.example_prices_used),
        unpriced=list(res.unpriced),
    )


def _round(x: float | None, digits: int) -> float | None:
    return None if x is None else round(x, digits)


def _kwh(x: float | None) -> str:
    return "not priced" if x is None else f"{x:,.0f} kWh"


def _t(x: float | None) -> str:
    return "not priced" if x is None else f"{x:,.1f} t"


# =========================================================================== text
def _money(x: float, cur: str) -> str:
    return f"{x:,.0f} {cur}"


def business_case_text(res: costs.CostResult) -> str:
    """The business case as terminal text: the headline first, then one line per figure.

    Parameters
    ----------
    res : CostResult
        The business case.
    """
    cur = res.currency
    lines = [res.headline, ""]
    comps = [
        c
        for c in costs.COMPONENTS
        if any(res.today.by_component[c]) or any(res.colony.by_component[c])
    ]
    head = f"{'year':>4}  {'side':7}" + "".join(f"{c:>14}" for c in comps) + f"{'total':>14}"
    lines.append(head)
    for i in range(res.horizon_years):
        for side, sc in (("today", res.today), ("colony", res.colony)):
            vals = [sc.by_component[c][i] for c in comps]
            lines.append(
                f"{i + 1:>4}  {side:7}"
                + "".join(f"{v:>14,.0f}" for v in vals)
                + f"{sc.per_year[i]:>14,.0f}"
            )
        saved = [res.today.by_component[c][i] - res.colony.by_component[c][i] for c in comps]
        lines.append(
            f"{'':>4}  {'savings':7}"
            + "".join(f"{v:>14,.0f}" for v in saved)
            + f"{res.savings_per_year[i]:>14,.0f}"
        )
    pay = "not within the horizon" if res.payback_months is None else f"month {res.payback_months}"
    lines += [
        "",
        f"cost over {res.horizon_years} years: today {_money(res.total_today, cur)}, "
        f"colony {_money(res.total_colony, cur)}, savings {_money(res.total_today - res.total_colony, cur)}",
        f"NPV at {res.inputs.discount_pct:g} %: {_money(res.npv, cur)} "
        f"(WLF range low {_money(res.npv_range['low'], cur)}, high {_money(res.npv_range['high'], cur)})",
        f"payback: {pay}; ROI: "
        + ("n/a (no one-time cost)" if res.roi_pct is None else f"{res.roi_pct:,.0f} %"),
        f"licence cores: today {res.today.licence_cores[0]:g} -> colony {res.colony.licence_cores[0]:g}",
    ]
    for p in res.products:
        lines.append(
            f"  {p}: {res.today.licence_units[p][0]:g} licence unit(s) today -> "
            f"{res.colony.licence_units[p][0]:g} in the colony"
        )
    lines.append(
        f"energy per year: today {_kwh(res.energy_kwh_today)} -> colony {_kwh(res.energy_kwh_colony)}; "
        f"CO2e {_t(res.co2e_t_today)} -> {_t(res.co2e_t_colony)}"
    )
    if res.sensitivity:
        lines.append("sensitivity (NPV with one input at its low / high):")
        lines += [
            f"  {s.input}: {s.low:g} -> {_money(s.npv_at_low, cur)}, {s.high:g} -> {_money(s.npv_at_high, cur)}"
            for s in res.sensitivity
        ]
    lines.append("inputs (value, origin, source):")
    for s in res.sources:
        val = (
            "not priced"
            if s.value is None
            else f"{s.value:g}"
            if isinstance(s.value, float)
            else s.value
        )
        lines.append(f"  {s.name} = {val} {s.unit} [{s.origin}; {s.confidence}] {s.source}")
    lines += [f"note: {n}" for n in res.notes]
    return "\n".join(lines)


# =========================================================================== saved scenarios
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$")


def save_scenario(scen: Scenario, name: str, folder: str | Path) -> Path:
    """Save the current settings as a named scenario ``<folder>/<name>.yaml`` (atomically).

    Relative paths (inventory, traces, design file, costs file) are written absolute so the
    saved file works from any folder.

    Parameters
    ----------
    scen : Scenario
        The scenario as the dashboard holds it.
    name : str
        The saved scenario's name (letters, digits, ``._-``).
    folder : str or Path
        Where saved scenarios live.
    """
    if not _NAME.match(name):
        msg = must_be("name", "1-63 characters A-Z a-z 0-9 . _ - (starting alphanumeric)", name)
        raise InputError(msg)
    data = scen.model_dump(mode="json", exclude_none=True)
    data["name"] = name
    if scen.inventory:
        data["inventory"] = str(scen.resolve(scen.inventory).resolve())
    if scen.traces is not None:
        data["traces"]["path"] = str(scen.resolve(scen.traces.path).resolve())
        if scen.traces.mapping:
            data["traces"]["mapping"] = str(scen.resolve(scen.traces.mapping).resolve())
    if scen.design.file:
        data["design"]["file"] = str(scen.resolve(scen.design.file).resolve())
    if scen.costs is not None:
        data["costs"] = scen.costs.model_dump(mode="json", exclude_unset=True)
        if scen.costs.file:
            data["costs"]["file"] = str(scen.resolve(scen.costs.file).resolve())
    text = "# colonykit scenario saved by colonykit.plan.business.save_scenario\n" + yaml.safe_dump(
        data, sort_keys=False
    )
    return atomic_write_text(Path(folder) / f"{name}.yaml", text)


def saved_scenarios(folder: str | Path) -> list[Path]:
    """The saved scenarios of a folder, by name.

    Parameters
    ----------
    folder : str or Path
        Where :func:`save_scenario` wrote them.
    """
    p = Path(folder)
    return sorted(p.glob("*.yaml")) if p.is_dir() else []


__all__ = [
    "business_case_document",
    "business_case_text",
    "colony_estate",
    "plan_disk_gib",
    "costs_section",
    "engine_ratios",
    "growth_horizon_years",
    "plan_business_case",
    "save_scenario",
    "saved_scenarios",
    "today_estate",
]
