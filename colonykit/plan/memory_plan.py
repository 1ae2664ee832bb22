"""The plan's memory from measured use: read the memory series, right-size guests, size LPARs.

Plan steps of :mod:`colonykit.measured_memory` (the computation lives there):

1. :func:`measure_memory` joins the memory-use series of the scenario's traces to the
   inventory (the same files, matching and alignment as CPU; ``traces.memory``);
2. :func:`right_size_rows` plans each over-provisioned guest at its working set
   (``guests.right_size_memory``; a ``guests.per_server.<s>.memory_mib`` override wins), its
   provisioned size staying its maximum (``max_memory_mib``);
3. :func:`lpar_memory` gives each LPAR the real storage of its guests' composite working set
   plus z/VM's own needs, at least the overcommit rule's;
4. :func:`memory_measured_evidence` states all of it, or why it was not done (without memory
   series the plan keeps today's rule: working set = provisioned memory).
"""

from __future__ import annotations

import hashlib
import warnings

import numpy as np
import pandas as pd

from colonykit import measured_memory as mm
from colonykit._arrays import to_float
from colonykit.errors import InputError
from colonykit.plan import evidence as ev
from colonykit.plan.document import EvidenceItem, Scalar
from colonykit.plan.scenario import Scenario
from colonykit.units import MIB_PER_GIB

#: What the plan does without memory series (stated in the evidence).
TODAYS_RULE = (
    "real storage from the guests' provisioned memory (working set = provisioned: Linux fills "
    "the storage it is given), paging by the chosen rule on the provisioned sizes"
)


#: The last memory join read (key: file, mtime, join options, inventory servers and counts).
_JOINS: dict[tuple[object, ...], object] = {}
#: the last measured memory and the warnings it raised, by everything it reads
_MEASURED: dict[tuple[object, ...], tuple[mm.MeasuredMemory, list[warnings.WarningMessage]]] = {}


def measure_memory(scen: Scenario, inv: pd.DataFrame) -> tuple[mm.MeasuredMemory | None, str]:
    """The measured memory of the scenario's traces, or None and why not.

    Parameters
    ----------
    scen : Scenario
        The scenario (``traces`` section: ``memory``, ``memory_statistic``, ``memory_margin_pct``).
    inv : pandas.DataFrame
        Its validated inventory.
    """
    t = scen.traces
    if t is None:
        return None, f"no traces in the scenario: {TODAYS_RULE}"
    if t.memory is False:
        return None, f"traces.memory is false: {TODAYS_RULE}"
    from colonykit.ingest.join import join_traces

    path = scen.resolve(t.path)
    key = (
        str(path),
        path.stat().st_mtime_ns if path.exists() else 0,
        str(t.mapping),
        t.interval,
        t.align,
        t.fold_statistic,
        t.min_overlap_h,
        t.tz,
        t.start,
        int(pd.util.hash_pandas_object(inv[["server", "count"]], index=False).sum()),
    )
    try:
        join = _JOINS.get(key)
        if join is None:  # interactive callers rebuild plans often: read each memory capture once
            join = join_traces(
                inv,
                path,
                mapping=scen.resolve(t.mapping) if t.mapping else None,
                interval=t.interval,
                align=t.align,
                fold_statistic=t.fold_statistic,
                min_overlap_h=t.min_overlap_h,
                tz=t.tz,
                start=t.start,
                metric="memory",
            )
            _JOINS.clear()  # keep one: the last capture read
            _JOINS[key] = join
    except InputError as exc:
        if t.memory:
            msg = f"{scen.source or 'scenario'}: traces.memory is true but {exc}"
            raise InputError(msg) from exc
        first = str(exc).split(";")[0][:160]
        return None, f"the traces carry no memory-use series ({first}): {TODAYS_RULE}"
    # a control that does not change the inventory or the traces (target utilization, hosts,
    # design) keeps the last measured memory (~11 ms at 50 traced guests)
    try:  # every row in its order (a sum of the row hashes would not see a reordering)
        rows_hash = hashlib.blake2b(
            pd.util.hash_pandas_object(inv, index=True).to_numpy().tobytes()
        ).hexdigest()
    except TypeError:  # a column pandas cannot hash: measured afresh
        rows_hash = None
    res_key = (key, t.memory_statistic, t.memory_margin_pct, rows_hash, tuple(inv.columns))
    kept = _MEASURED.get(res_key) if rows_hash is not None else None
    if kept is None:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            res = mm.measured_memory(
                inv, join, statistic=t.memory_statistic, margin_pct=t.memory_margin_pct
            )
        _MEASURED.clear()  # keep one: the last
        kept = _MEASURED[res_key] = (res, list(caught))
    for w in kept[1]:  # as the computation raised them: the caller's filters decide
        warnings.warn_explicit(w.message, w.category, w.filename, w.lineno, source=w.source)
    return kept[0], ""


def right_size_rows(scen: Scenario, rows: pd.DataFrame, mem: mm.MeasuredMemory) -> None:
    """Plan over-provisioned guests at their suggested size, in place (module doc step 2).

    Adds ``working_set_mib`` and ``memory_provisioned_mib`` (NaN where not right-sized).

    Parameters
    ----------
    scen : Scenario
        The scenario (``guests.right_size_memory``, ``guests.per_server``).
    rows : pandas.DataFrame
        One row per guest (:func:`colonykit.plan.assembly.guest_rows`), in inventory order.
    mem : MeasuredMemory
        The measured memory, same instance order.
    """
    inst = mem.instances
    rows["working_set_mib"] = np.where(
        inst["measured"].to_numpy(bool), inst["working_set_mib"].to_numpy(float), np.nan
    )
    fixed = {n for n, ov in scen.guests.per_server.items() if ov.memory_mib is not None}
    sel = (
        inst["over_provisioned"].to_numpy(bool)
        & ~rows["server"].astype(str).isin(fixed).to_numpy()
        & bool(scen.guests.right_size_memory)
    )
    planned = rows["memory_mib"].to_numpy(float)
    new = np.minimum(planned, inst["suggested_mib"].to_numpy(float))
    rows["memory_provisioned_mib"] = np.where(sel, planned, np.nan)
    rows["memory_mib"] = np.where(sel, new, planned)
    rows["max_memory_mib"] = np.maximum(rows["max_memory_mib"].to_numpy(float), planned)


def lpar_memory(
    mem: mm.MeasuredMemory,
    rows: pd.DataFrame,
    host_of: np.ndarray,
    max_ratio: float,
    statistic: str,
) -> list[mm.LparMemory]:
    """Real storage of every LPAR from its guests' working-set series (module doc step 3).

    Parameters
    ----------
    mem : MeasuredMemory
        The measured memory (``working_set_series`` columns in guest order).
    rows : pandas.DataFrame
        The guests (planned ``memory_mib``).
    host_of : numpy.ndarray
        Host index of each guest.
    max_ratio : float
        The overcommit limit.
    statistic : {'peak', 'p95'}
        Statistic of the composite.
    """
    series = mem.working_set_series.to_numpy(dtype=float)
    virt = rows["memory_mib"].to_numpy(float)
    n_hosts = int(host_of.max()) + 1 if host_of.size else 1
    return [
        mm.lpar_real_storage(series[:, host_of == h], virt[host_of == h], max_ratio, statistic)
        for h in range(n_hosts)
    ]


def memory_measured_evidence(
    mem: mm.MeasuredMemory | None,
    why_not: str,
    lpars: list[mm.LparMemory],
    host_ids: list[str],
    rows: pd.DataFrame | None,
    has_traces: bool,
) -> EvidenceItem:
    """The measured-memory evidence: working sets, right-sizing and each LPAR's real storage.

    Parameters
    ----------
    mem : MeasuredMemory or None
        The measured memory (None: not measured).
    why_not : str
        Why it was not measured (when ``mem`` is None).
    lpars : list of LparMemory
        Each LPAR's real storage (empty when not measured).
    host_ids : list of str
        The plan's host ids, in order.
    rows : pandas.DataFrame or None
        The guests (``memory_mib`` planned, ``memory_provisioned_mib``).
    has_traces : bool
        Whether the scenario has traces at all (without: not applicable).
    """
    if mem is None:
        return EvidenceItem(evaluated=False, applicable=has_traces, note=why_not)
    inst = mem.instances
    values: dict[str, Scalar] = {
        "statistic": mem.statistic,
        "margin_pct": mem.margin_pct,
        "right_size_ratio": mem.right_size_ratio,
        "servers_matched": len(mem.servers_matched),
        "servers_unmatched": len(mem.servers_unmatched),
        "sum_provisioned_mib": ev.clean(mem.sum_provisioned_mib),
        "sum_peak_use_mib": ev.clean(mem.sum_peak_mib),
        "sum_working_set_mib": ev.clean(float(inst["working_set_mib"].sum())),
        "composite_working_set_peak_mib": ev.clean(mem.composite_peak_mib),
        "over_provisioned_guests": int(inst["over_provisioned"].sum()),
    }
    if rows is not None:
        values["guests_right_sized"] = int(rows["memory_provisioned_mib"].notna().sum())
        values["planned_virtual_mib"] = ev.clean(float(rows["memory_mib"].sum()))
    over = inst[inst["over_provisioned"]].sort_values("over_provisioned_ratio", ascending=False)
    values["over_provisioned_list"] = "; ".join(
        f"{r.server}: {to_float(r.provisioned_mib) / MIB_PER_GIB:.1f} GiB provisioned, working "
        f"set {to_float(r.working_set_mib) / MIB_PER_GIB:.2f} GiB "
        f"({to_float(r.over_provisioned_ratio):.1f}x)"
        for r in over.head(20).itertuples()
    ) + (f"; and {len(over) - 20} more" if len(over) > 20 else "")
    for hid, lp in zip(host_ids, lpars, strict=False):
        values[f"{hid}.composite_working_set_mib"] = ev.clean(lp.composite_working_set_mib)
        values[f"{hid}.sum_working_sets_mib"] = ev.clean(lp.sum_working_sets_mib)
        values[f"{hid}.real_for_use_mib"] = ev.clean(lp.real_for_use_mib)
        values[f"{hid}.real_for_overcommit_mib"] = ev.clean(lp.real_for_overcommit_mib)
        values[f"{hid}.real_mib"] = ev.clean(lp.real_mib)
        values[f"{hid}.real_basis"] = lp.basis
    return EvidenceItem(
        evaluated=True,
        method=(
            f"working set = {mem.statistic} of each guest's measured memory use + "
            f"{mem.margin_pct:g} %; LPAR real storage = {mem.statistic} of the time-aligned sum "
            "of its guests' working sets + what z/VM keeps, at least Σ virtual ÷ overcommit "
            "limit + what z/VM keeps; right-sized when provisioned > "
            f"{mem.right_size_ratio:g} x working set"
        ),
        source="colonykit.measured_memory (Velocity Software storage planning, "
        "https://velocitysoftware.com/tuneguide/STORELVL.html; facts.md §5.2, §5.6)",
        note=" ".join(mem.notes),
        values=values,
    )


__all__ = [
    "TODAYS_RULE",
    "lpar_memory",
    "measure_memory",
    "memory_measured_evidence",
    "right_size_rows",
]
