"""One story per screen: the plan's answer, the path to it, and what matters to the customer first.

Shared by the report, the handout and the dashboard so that every screen tells the same story
(issue 20 items 2 and 4):

* :func:`answer` — the headline: the plan's engine count (Σ engines of its hosts) with the low /
  typical / high range of the sizing that produced it;
* :func:`waterfall` — the path to that count: the inventory's WLF sizing (labelled as the sizing
  *before measurement*), the sum of the measured peaks, the composite, the per-LPAR packing with
  the MP effect, the plan.  Without traces: the inventory sizing, the per-LPAR split, the plan;
* :func:`ordered_findings` — errors, then risks that change the answer (the high end of the
  range above the plan, an estimate the machine cannot hold, servers without their own trace,
  memory or channels short of their target), then warnings; information that is not a risk
  (rules not chosen, what a target file cannot carry, evidence not evaluated) goes to an
  appendix (tier ``appendix``), never to "Main risks".

Every number is read from the plan result; nothing is recomputed here.

Examples
--------
>>> from colonykit.plan import build_plan
>>> res = build_plan("data/examples/scenario.yaml")
>>> a = answer(res)
>>> a.engines, (a.low, a.typical, a.high), a.basis
(2, (2, 2, 4), 'inventory')
>>> [s.key for s in waterfall(res)]
['inventory', 'lpars', 'plan']
>>> [i.tier for i in ordered_findings(res)][:1]
['risk']
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from colonykit.plan.summary import headline

#: Tiers of :func:`ordered_findings`, in the order a customer reads them.
Tier = Literal["error", "risk", "warning", "appendix"]
TIERS: tuple[Tier, ...] = ("error", "risk", "warning", "appendix")

#: Warning codes that change the answer (the plan needs more of something): risks.
RISK_CODES: frozenset[str] = frozenset({"CK004", "CK015", "CK016"})
#: Codes that are information, not risks: CK003 as a warning (a rule not chosen asks for more
#: paging), CK012 (evidence not evaluated: an optional input), CK019 (what a target file cannot
#: carry, written as comments).
APPENDIX_CODES: frozenset[str] = frozenset({"CK003", "CK012", "CK019"})


@dataclass(frozen=True)
class Answer:
    """The headline: the plan's engine count with its range.

    Attributes
    ----------
    engines : int
        Engines of the plan (Σ over its hosts).
    low, typical, high : int
        Engines of the sizing basis at the low / typical / high end of the WLF range.
    basis : {'composite', 'inventory'}
        ``composite``: the servers' own traces summed per step; ``inventory``: the WLF sizing
        of the inventory's utilization.
    bound : str
        The WLF bound the plan is built from.
    mips : float
        MIPS that sized the plan (the composite's, or the inventory's at the bound).
    hosts : int
        Hosts (LPARs) of the plan.
    processor : str
        Target generation.
    """

    engines: int
    low: int
    typical: int
    high: int
    basis: str
    bound: str
    mips: float
    hosts: int
    processor: str


@dataclass(frozen=True)
class Step:
    """One step of :func:`waterfall`.

    Attributes
    ----------
    key : str
        ``inventory``, ``sum_of_peaks``, ``composite``, ``lpars`` or ``plan``.
    label : str
        What the step is, for a reader.
    engines : int
        Engines at this step.
    mips : float or None
        MIPS at this step (None where the step is a packing, not a demand).
    note : str
        Why the step differs from the one before.
    """

    key: str
    label: str
    engines: int
    mips: float | None
    note: str


@dataclass(frozen=True)
class StoryItem:
    """One line of the customer's findings list.

    Attributes
    ----------
    tier : {'error', 'risk', 'warning', 'appendix'}
        Where it goes (see :data:`TIERS`).
    code : str
        Finding code (``CK…``), or ``RANGE`` / ``MACHINE`` for the sizing's own risks.
    message : str
        What was found and what to do.
    """

    tier: Tier
    code: str
    message: str


def _values(result: Any) -> dict[str, Any]:
    return dict(result.plan.evidence.sizing.values)


def answer(result: Any) -> Answer:
    """The plan's engine count with the low / typical / high range of its sizing basis.

    Parameters
    ----------
    result : ColonyPlanResult
        The result of :func:`colonykit.plan.build_plan`.
    """
    h = headline(result)
    v = _values(result)
    composite = v.get("sizing_basis") == "composite"
    if composite:
        rng = [int(v[f"engines_composite_{b}"]) for b in ("low", "typical", "high")]
        mips = float(v.get("composite_peak_mips") or 0.0)
    else:
        rng = [int(h["engines"].get(b, 0)) for b in ("low", "typical", "high")]
        mips = float(h["mips"].get(f"mips_{h['bound']}", 0.0)) if h["mips"] else 0.0
    return Answer(
        engines=int(sum(h["engines_per_host"])),
        low=rng[0],
        typical=rng[1],
        high=rng[2],
        basis="composite" if composite else "inventory",
        bound=str(h["bound"]),
        mips=mips,
        hosts=len(h["hosts"]),
        processor=str(h["processor"]),
    )


def waterfall(result: Any) -> tuple[Step, ...]:
    """The path from the inventory's sizing to the plan's engine count.

    Parameters
    ----------
    result : ColonyPlanResult
        The result of :func:`colonykit.plan.build_plan`.
    """
    h = headline(result)
    v = _values(result)
    b = str(h["bound"])
    plan_engines = int(sum(h["engines_per_host"]))
    steps = [
        Step(
            "inventory",
            "sizing before measurement (inventory utilization × capacity × WLF)",
            int(h["engines"].get(b, 0)),
            float(h["mips"].get(f"mips_{b}", 0.0)) if h["mips"] else None,
            f"{b} bound of the workload-factor range, {h['target_util_pct']:g} % target",
        )
    ]
    if v.get("sizing_basis") == "composite":
        steps += [
            Step(
                "sum_of_peaks",
                "sum of the measured peaks",
                int(v["engines_peak"]),
                float(v["sum_of_peaks_mips"]),
                "each server's own trace, at its own peak",
            ),
            Step(
                "composite",
                "composite (the traces summed per time step)",
                int(v["engines_composite"]),
                float(v["composite_peak_mips"]),
                "peaks that do not coincide are not bought twice",
            ),
            Step(
                "lpars",
                "per-LPAR packing with the MP effect",
                int(v.get("engines_lpars", plan_engines)),
                None,
                f"{len(h['hosts'])} LPAR(s), each sized on its own guests' composite",
            ),
        ]
    else:
        steps.append(
            Step(
                "lpars",
                "per-LPAR split with the MP effect",
                plan_engines,
                None,
                f"{len(h['hosts'])} host(s), whole engines each",
            )
        )
    steps.append(
        Step("plan", "the plan", plan_engines, None, " + ".join(map(str, h["engines_per_host"])))
    )
    return tuple(steps)


def ordered_findings(result: Any) -> tuple[StoryItem, ...]:
    """The plan's findings and the sizing's own risks, in the order that matters to a customer.

    Errors, then risks that change the answer, then warnings, then the appendix (information,
    not risks); inside a tier, the plan's order.

    Parameters
    ----------
    result : ColonyPlanResult
        The result of :func:`colonykit.plan.build_plan`.
    """
    p = result.plan
    a = answer(result)
    h = headline(result)
    items: list[StoryItem] = []
    too_big = [b for b in ("low", "typical", "high") if not h["fits_machine"].get(b, True)]
    if too_big:
        items.append(
            StoryItem(
                "risk",
                "MACHINE",
                f"the {' / '.join(too_big)} CPU estimate needs more engines than the largest "
                f"{h['processor']} has ({h['max_engines']})",
            )
        )
    if a.high > a.engines:
        items.append(
            StoryItem(
                "risk",
                "RANGE",
                f"the high end of the workload-factor range needs {a.high} engines (the plan has "
                f"{a.engines}): size for it or measure the workload",
            )
        )
    for f in p.findings:
        tier: Tier
        if f.severity == "error":
            tier = "error"
        elif f.code in APPENDIX_CODES:
            tier = "appendix"
        elif f.code in RISK_CODES:
            tier = "risk"
        else:
            tier = "warning"
        items.append(StoryItem(tier, f.code, f.message))
    return tuple(sorted(items, key=lambda i: TIERS.index(i.tier)))


def main_risks(result: Any) -> tuple[StoryItem, ...]:
    """:func:`ordered_findings` without the appendix ("Main risks").

    Parameters
    ----------
    result : ColonyPlanResult
        The result of :func:`colonykit.plan.build_plan`.
    """
    return tuple(i for i in ordered_findings(result) if i.tier != "appendix")


__all__ = [
    "APPENDIX_CODES",
    "RISK_CODES",
    "TIERS",
    "Answer",
    "Step",
    "StoryItem",
    "Tier",
    "answer",
    "main_risks",
    "ordered_findings",
    "waterfall",
]
