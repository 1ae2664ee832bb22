"""Numbers a screen may show, read straight from a plan result (issue 20 item 2 consistency tests)."""

from __future__ import annotations

import html
import math
import re
from typing import Any

NUMBER = re.compile(r"(?<![\w.])[-−+]?\d[\d,]*(?:\.\d+)?")


def forms(v: float) -> set[str]:
    """The ways a number may be printed (rounded to 0, 1 or 2 decimals, with separators)."""
    out = {f"{v:,.0f}", f"{v:.0f}", f"{v:g}"}
    if not float(v).is_integer():
        out |= {f"{v:,.1f}", f"{v:.1f}", f"{v:,.2f}"}
    return {s.lstrip("-") for s in out}


def plan_numbers(res: Any) -> set[str]:
    """Every number a screen may show, straight from the plan result."""
    p = res.plan
    vals: list[float] = [len(p.hosts), sum(len(h.guests) for h in p.hosts)]
    vals += [h.capacity.cpus for h in p.hosts] + [sum(h.capacity.cpus for h in p.hosts)]
    vals += [
        sum(h.capacity.memory_gib for h in p.hosts),
        sum(h.capacity.paging_gib for h in p.hosts),
    ]
    for v in [*p.evidence.sizing.values.values(), *p.evidence.white_space.values.values()]:
        if isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v):
            vals.append(float(v))
    dv = p.evidence.design.values
    vals += [dv["total_gib"], dv["application_disk_gib"], dv["saving_vs_dedicated_pct"]]
    sz = res.sizing
    vals += [sz.engines[b] for b in ("low", "typical", "high")]
    vals += [sz.total[f"mips_{b}"] for b in ("low", "typical", "high")]
    vals += [sz.options.target_util_pct, float(sz.processor.model.lstrip("zgec"))]
    sev = [f.severity for f in p.findings]
    vals += [sev.count("error"), len(sev)]
    vals += list(range(len(p.findings) + 3))  # counts of findings by tier
    out: set[str] = set()
    # the plan over time (issue 21), the business case (issue 22), the confidence (issue 23)
    cap = getattr(res, "capacity_plan", None)
    if cap is not None:
        vals += [cap.horizon_months, len(cap.upgrades)]
        if cap.exhaustion is not None:
            vals.append(cap.exhaustion.month)
            out |= set(cap.exhaustion.date.isoformat().split("-"))
    bc = getattr(res, "business_case", None)
    if bc is not None:
        vals += [bc.npv, bc.horizon_years, bc.inputs.discount_pct, bc.upgrades_used]
        vals += [bc.today.licence_cores[0], bc.colony.licence_cores[0]]
        if bc.payback_months is not None:
            vals.append(bc.payback_months)
    conf = p.evidence.confidence
    if conf.evaluated:  # its values and the numbers of its reasons' text (the plan document's)
        for v in conf.values.values():
            if isinstance(v, str):
                out |= set(numbers_in(v))
            elif isinstance(v, int | float) and not isinstance(v, bool):
                vals.append(float(v))
    for f in p.findings:  # a finding's message is the plan document's own text
        out |= set(numbers_in(f.message))
    vals += _memory_and_disk_numbers(res)
    for h in p.hosts:  # the overcommit ratio as the summary prints it (1.00:1)
        out.add(f"{sum(g.memory_mib for g in h.guests) / 1024 / h.capacity.memory_gib:.2f}")
    for v in vals:
        out |= forms(float(v))
    return out


def numbers_in(text: str) -> list[str]:
    plain = html.unescape(re.sub(r"<[^>]+>", " ", text))
    plain = re.sub(r"seed \d+|§[\d.]+|SG24-\d+", " ", plain)  # citations, not figures
    return [n.lstrip("-−+") for n in NUMBER.findall(plain)]


def _memory_and_disk_numbers(res: Any) -> list[float]:
    """Memory per host (guest virtual, real, overcommit) and the disks by volume model, counted
    here from the plan's storage items (not through colonykit.plan.summary; issue 20 item 6)."""
    p = res.plan
    vals: list[float] = [res.scenario.rules.max_memory_overcommit_ratio]
    for h in p.hosts:
        virt = sum(g.memory_mib for g in h.guests) / 1024
        vals += [virt, h.capacity.memory_gib, h.capacity.paging_gib, h.capacity.paging_volumes]
    data_mib, volsers, per_model = 0, {}, {}
    for h in p.hosts:
        for g in h.guests:
            for s in g.storage:
                if s.kind != "mdisk" or s.volser is None:
                    continue
                model = s.volume_model or p.metadata.volume_model
                volsers[s.volser] = model
                if s.role == "appdata":
                    data_mib += s.size_mib or 0
                    per_model[model] = per_model.get(model, 0) + 1
    vals += [data_mib / 1024, sum(per_model.values()), *per_model.values()]
    for m in set(volsers.values()):
        vals.append(sum(1 for v in volsers.values() if v == m))
        vals += [float(x) for x in re.findall(r"\d+", m)]  # the model's own name: 3390-27
    vals.append(sum(h.capacity.paging_volumes for h in p.hosts))
    for h in p.hosts:
        vals += [float(x) for x in re.findall(r"\d+", h.capacity.paging_volume_model)]
    return vals
