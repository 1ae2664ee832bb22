"""Placing guests on LPARs/hosts: by their measured MIPS series, or balanced without traces.

With traces (:func:`place_measured`), guests are packed with :func:`colonykit.packing.pack`
on their MIPS series (every time step must fit), guest memory against the LPAR's real
storage × overcommit limit as a second dimension when the real storage is given, and
anti-affinity for redundant pairs.  Each LPAR then gets the fewest engines whose usable
MIPS (:func:`colonykit.measured.usable_mips`) hold its own composite peak.

Without traces (:func:`place_balanced`) guests are spread largest first over the LPARs
by WLF MIPS and memory (the behaviour before measured sizing), and every LPAR gets
``ceil(engines ÷ hosts)`` engines.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from colonykit import measured, packing, reference
from colonykit.errors import CapacityError, InputError, must_be
from colonykit.plan.scenario import Scenario
from colonykit.sizing import SizingResult
from colonykit.units import MIB_PER_GIB


@dataclass(frozen=True)
class Placement:
    """Where each guest row goes and what each LPAR/host gets.

    Parameters
    ----------
    host_of : numpy.ndarray
        Host index of each guest row.
    cpus : list of int
        Engines (z/VM) or cores (Xen) of each host.
    mips_usable : list of float or None
        Guest MIPS each host carries at the target utilization (None when not sized in MIPS).
    composite_peak_mips, composite_p95_mips : list of float or None
        Peak and 95th percentile of each host's placed guests' summed MIPS series (measured).
    method : str
        How the guests were placed.
    packing : PackingResult, optional
        The time-series packing (measured placement).
    notes : list of str, optional
        What the placement assumed or changed.
    """

    host_of: np.ndarray
    cpus: list[int]
    mips_usable: list[float | None]
    composite_peak_mips: list[float | None]
    composite_p95_mips: list[float | None]
    method: str
    packing: packing.PackingResult | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def hosts(self) -> int:
        """Number of LPARs/hosts."""
        return len(self.cpus)


def max_engines_per_host(scen: Scenario, sizing_res: SizingResult) -> int:
    """The largest LPAR ``hosts: auto`` builds: the scenario's, or the sourced default, ≤ the machine's.

    Parameters
    ----------
    scen : Scenario
        The scenario.
    sizing_res : SizingResult
        The inventory's sizing (its target processor's limits).
    """
    default = int(reference.constant("measured_max_engines_per_host"))
    return int(min(scen.target.max_engines_per_host or default, sizing_res.processor.max_engines))


def place_balanced(
    scen: Scenario, rows: pd.DataFrame, sizing_res: SizingResult, engines: int | None = None
) -> Placement:
    """Largest first onto the least-loaded host (WLF MIPS, then memory); equal engines per host.

    ``engines``: the colony's engines or cores to share out (default: the WLF sizing's at the
    scenario's bound; Xen passes its x86 cores).

    Parameters
    ----------
    scen : Scenario
        The scenario.
    rows : pandas.DataFrame
        One row per guest (:func:`colonykit.plan.assembly.guest_rows`).
    sizing_res : SizingResult
        The inventory's sizing.
    engines : int, optional
        Engines or cores to share out (see above).
    """
    bound = scen.target.sizing_bound
    engines = int(engines if engines is not None else sizing_res.engines[bound])
    hosts = (
        max(1, math.ceil(engines / max_engines_per_host(scen, sizing_res)))
        if scen.target.hosts == "auto"
        else scen.target.hosts
    )
    mips = rows["mips"].to_numpy(float)
    memory = rows["memory_mib"].to_numpy(float)
    order = np.lexsort((-memory, -mips))
    load = np.zeros((hosts, 2))
    host_of = np.empty(len(mips), dtype=np.int64)
    for i in order:  # one step per guest, vector argmin over hosts
        h = int(np.lexsort((load[:, 1], load[:, 0]))[0])
        host_of[i] = h
        load[h] += (mips[i], memory[i])
    cpus = scen.target.cpus_per_host or max(1, math.ceil(engines / hosts))
    unsized: list[float | None] = [None] * hosts
    return Placement(
        host_of=host_of,
        cpus=[int(cpus)] * hosts,
        mips_usable=list(unsized),
        composite_peak_mips=list(unsized),
        composite_p95_mips=list(unsized),
        method="balanced by WLF MIPS and memory (no traces)",
        notes=[
            "No traces: guests are placed by balancing their WLF MIPS and memory, "
            "and engines come from the sum of the inventory's util_peak_pct."
        ],
    )


def _anti_affinity(scen: Scenario, rows: pd.DataFrame, columns: list[str]) -> list[tuple[str, str]]:
    """Guest-column pairs from the scenario's server pairs (every instance of a against every of b)."""
    servers = rows["server"].astype(str).to_numpy()
    known = set(servers)
    pairs: list[tuple[str, str]] = []
    for i, (a, b) in enumerate(scen.guests.anti_affinity):
        for s in (a, b):
            if s not in known:
                raise InputError(
                    must_be(
                        f"guests.anti_affinity[{i}]",
                        "names of inventory servers",
                        s,
                        scen.source or "scenario",
                    )
                )
        ca = [c for c, s in zip(columns, servers, strict=True) if s == a]
        cb = [c for c, s in zip(columns, servers, strict=True) if s == b]
        pairs += [(x, y) for x in ca for y in cb if x != y]
    return pairs


def _host_index(value: Any) -> int:
    """A packing host id (0-based int, or a label such as 'host3') as an int."""
    if isinstance(value, int | np.integer):
        return int(value)
    m = re.search(r"(\d+)$", str(value))
    if m is None:
        msg = f"unexpected host id {value!r} from colonykit.packing"
        raise ValueError(msg)
    return int(m.group(1))


def _pack(
    demand: pd.DataFrame,
    capacity: float,
    mem: pd.Series | None,
    host_mem: float | None,
    pairs: list[tuple[str, str]],
) -> packing.PackingResult:
    try:
        return packing.pack(
            demand,
            capacity,
            100.0,
            memory_mib=mem if host_mem else None,
            host_memory_mib=host_mem,
            anti_affinity=pairs or None,
        )
    except CapacityError as exc:
        msg = f"measured placement: {exc}"
        raise InputError(msg) from exc


def place_measured(
    scen: Scenario,
    rows: pd.DataFrame,
    sizing_res: SizingResult,
    meas: measured.MeasuredSizing,
    max_ratio: float,
) -> Placement:
    """Pack guests on their MIPS series and give each LPAR the engines its own composite needs.

    Parameters
    ----------
    scen : Scenario
        The scenario.
    rows : pandas.DataFrame
        One row per guest (:func:`colonykit.plan.assembly.guest_rows`).
    sizing_res : SizingResult
        The inventory's sizing.
    meas : MeasuredSizing
        The measured colony (:func:`colonykit.measured.measured_sizing`).
    max_ratio : float
        The memory overcommit limit per host.
    """
    bound = scen.target.sizing_bound
    columns = [str(c) for c in meas.guest_mips.columns]  # server (or server#k): unique per guest
    demand = pd.DataFrame(meas.guest_mips.to_numpy(), index=meas.guest_mips.index, columns=columns)
    demand.attrs = {"unit": "mips"}
    mem = pd.Series(rows["memory_mib"].to_numpy(float), index=columns)
    host_mem = (
        scen.target.memory_gib_per_host * MIB_PER_GIB * max_ratio
        if scen.target.memory_gib_per_host
        else None
    )
    pairs = _anti_affinity(scen, rows, columns)
    n_all = len(rows)
    uplift = meas.uplift_frac
    top = max_engines_per_host(scen, sizing_res)
    fixed = scen.target.cpus_per_host
    if scen.target.hosts == "auto" or fixed:
        engines = int(fixed or top)
        pk = _pack(
            demand,
            float(measured.usable_mips(engines, sizing_res, n_all, uplift, bound)[0]),
            mem,
            host_mem,
            pairs,
        )
        if scen.target.hosts != "auto" and pk.hosts_used > scen.target.hosts:
            msg = (
                f"{scen.source or 'scenario'}: 'target.hosts' {scen.target.hosts} LPARs of "
                f"{engines} engines cannot hold the guests' measured demand (packing needs "
                f"{pk.hosts_used}); raise target.hosts or cpus_per_host, or use hosts: auto"
            )
            raise InputError(msg)
    else:
        pk = None
        start = max(1, math.ceil(meas.engines_composite[bound] / scen.target.hosts))
        for engines in range(start, top + 1):
            pk = _pack(
                demand,
                float(measured.usable_mips(engines, sizing_res, n_all, uplift, bound)[0]),
                mem,
                host_mem,
                pairs,
            )
            if pk.hosts_used <= scen.target.hosts:
                break
        if pk is None or pk.hosts_used > scen.target.hosts:
            msg = (
                f"{scen.source or 'scenario'}: 'target.hosts' {scen.target.hosts} LPARs of at most "
                f"{top} engines cannot hold the guests' measured demand; raise target.hosts, "
                "target.max_engines_per_host, or use hosts: auto"
            )
            raise InputError(msg)
    assert pk is not None  # each branch raises when no packing fits
    host_of = np.array([_host_index(pk.assignment[c]) for c in columns], dtype=np.int64)
    return _per_host(scen, demand.to_numpy(), host_of, sizing_res, uplift, fixed, top, pk)


def _per_host(
    scen: Scenario,
    series: np.ndarray,
    host_of: np.ndarray,
    sizing_res: SizingResult,
    uplift: float,
    fixed: int | None,
    top: int,
    pk: packing.PackingResult,
) -> Placement:
    bound = scen.target.sizing_bound
    n_hosts = int(host_of.max()) + 1 if host_of.size else 1
    cpus: list[int] = []
    usable: list[float | None] = []
    peak: list[float | None] = []
    p95: list[float | None] = []
    for h in range(n_hosts):
        members = host_of == h
        comp = series[:, members].sum(axis=1)
        g = int(members.sum())
        peak_h = float(comp.max()) if comp.size else 0.0
        n = int(fixed) if fixed else measured.engines_for(peak_h, sizing_res, g, uplift, bound, top)
        cpus.append(n)
        usable.append(float(measured.usable_mips(n, sizing_res, g, uplift, bound)[0]))
        peak.append(peak_h)
        p95.append(float(measured.statistic_of(comp[:, None], "p95")[0]) if comp.size else 0.0)
    gap = getattr(pk, "gap_hosts", pk.hosts_used - pk.lower_bound)
    lb_kind = getattr(pk, "bound", "composite")
    notes = [
        f"Time-series packing of the guests' measured MIPS ({pk.method}): "
        f"{n_hosts} LPAR(s); lower bound {pk.lower_bound} ({lb_kind} bound; gap {gap} LPAR(s)"
        f"{', proved optimal' if gap == 0 else ''}); peak-based FFD {pk.ffd_peak_hosts}; "
        "each LPAR has the fewest engines whose usable MIPS hold its own composite peak."
    ]
    return Placement(
        host_of=host_of,
        cpus=cpus,
        mips_usable=usable,
        composite_peak_mips=peak,
        composite_p95_mips=p95,
        method="time-series packing of measured MIPS",
        packing=pk,
        notes=notes,
    )


__all__ = [
    "Placement",
    "max_engines_per_host",
    "place_balanced",
    "place_measured",
]
