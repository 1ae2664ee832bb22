"""Placing guests on LPARs/hosts: by their measured MIPS series, or balanced without traces.

With traces (:func:`place_measured`), guests are packed with :func:`colonykit.packing.pack`
on their MIPS series (every time step must fit), guest memory against the LPAR's real
storage × overcommit limit as a second dimension when the real storage is given, and
anti-affinity for redundant pairs.  Each LPAR then gets the fewest engines whose usable
MIPS (:func:`colonykit.measured.usable_mips`) hold its own composite peak.

Without traces (:func:`place_balanced`) guests are spread largest first over the LPARs
by WLF MIPS and memory, and each z/VM LPAR gets the engines its own guests need at its own n
(the sizing of its share of the inventory; Xen hosts: ``ceil(cores ÷ hosts)``).
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from colonykit import machine_limits, measured, packing, reference
from colonykit.errors import CapacityError, InputError, must_be, raise_problems
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
    packing : colonykit.packing.PackingResult, optional
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
    """The largest LPAR ``hosts: auto`` builds: the scenario's, or the sourced default (≤ the z/VM
    level's per-LPAR limit), ≤ the machine's.

    Parameters
    ----------
    scen : Scenario
        The scenario.
    sizing_res : SizingResult
        The inventory's sizing (its target processor's limits).
    """
    level = scen.target.zvm_level or machine_limits.zvm_level_default()
    row = machine_limits.platform_limit(
        "zvm_logical_cores", level, "on" if scen.target.smt else "off"
    )  # never above the z/VM level's per-LPAR limit (issue 23: 40 cores with SMT on 7.3/7.4)
    default = int(reference.constant("measured_max_engines_per_host"))
    default = min(default, int(row[0])) if row else default
    return int(min(scen.target.max_engines_per_host or default, sizing_res.processor.max_engines))


def _memory_hosts(scen: Scenario, memory_mib: float, max_ratio: float) -> int:
    """Fewest LPARs whose real storage can hold the guests' virtual storage at the overcommit limit.

    Per LPAR: ``memory_gib_per_host`` when given, else the z/VM level's real-storage limit
    (``platform_limits.csv``) less what z/VM keeps; its guests' virtual storage may be
    ``max_ratio`` times that.
    """
    if scen.target.memory_gib_per_host:
        per = scen.target.memory_gib_per_host * MIB_PER_GIB * max_ratio
    else:
        level = scen.target.zvm_level or machine_limits.zvm_level_default()
        row = machine_limits.platform_limit("zvm_real_storage_gib", level)
        if row is None:
            return 1
        per = (row[0] * MIB_PER_GIB - reference.constant("zvm_kept_storage_mib")) * max_ratio
    return max(1, math.ceil(memory_mib / per - 1e-12))


def place_balanced(
    scen: Scenario,
    rows: pd.DataFrame,
    sizing_res: SizingResult,
    engines: int | None = None,
    *,
    max_ratio: float | None = None,
    size_lpar: Callable[[np.ndarray, int], int] | None = None,
) -> Placement:
    """Largest first onto the least-loaded host (WLF MIPS, then memory); engines per LPAR.

    ``engines``: the colony's engines or cores to share out (default: the WLF sizing's at the
    scenario's bound; Xen passes its x86 cores).  With ``size_lpar`` (a function sizing a
    sub-inventory, z/VM) each LPAR gets the engines its own guests need at its own n (MP
    effect); without it every host gets ``ceil(engines ÷ hosts)``.  ``hosts: auto`` takes the
    fewest LPARs that hold the engines (at most :func:`max_engines_per_host` each) **and** the
    guests' virtual storage at the overcommit limit (:func:`_memory_hosts`).  The scenario's
    ``guests.anti_affinity`` is honoured: a guest goes to the least-loaded host holding none of
    its partners; with ``hosts: auto`` hosts are added until the pairs can be honoured, with a
    fixed number of hosts a pair that cannot be is refused.

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
    max_ratio : float, optional
        The memory overcommit limit (default constant ``max_memory_overcommit_ratio``).
    size_lpar : callable, optional
        ``size_lpar(host_of, h) -> int``: engines of LPAR ``h`` (see above).
    """
    bound = scen.target.sizing_bound
    engines = int(engines if engines is not None else sizing_res.engines[bound])
    ratio = float(max_ratio or reference.constant("max_memory_overcommit_ratio"))
    hosts = scen.target.hosts
    auto = hosts == "auto"
    top = max_engines_per_host(scen, sizing_res)
    notes = [
        "No traces: guests are placed by balancing their WLF MIPS and memory, "
        "and engines come from the sum of the inventory's util_peak_pct."
    ]
    if auto:
        by_mem = _memory_hosts(scen, float(rows["memory_mib"].sum()), ratio)
        hosts = max(1, math.ceil(engines / top), by_mem)
        if by_mem > math.ceil(engines / top):
            notes.append(
                f"hosts: auto takes {by_mem} LPAR(s) for memory: the guests' virtual storage at "
                f"the {ratio:g}:1 overcommit limit needs them (engines alone need "
                f"{max(1, math.ceil(engines / top))})."
            )
    hosts = int(hosts)
    mips = rows["mips"].to_numpy(float)
    memory = rows["memory_mib"].to_numpy(float)
    order = np.lexsort((-memory, -mips))
    partners = _partners(anti_affinity_pairs(scen, rows))
    servers = rows["server"].astype(str).to_numpy()
    codes = pd.factorize(servers)[0]
    while True:
        host_of, stuck = _balance(order, mips, memory, hosts, partners, codes)
        if stuck >= 0:
            if not auto or hosts >= len(mips):
                others = sorted({str(servers[j]) for j in partners.get(stuck, set())})
                msg = (
                    f"{scen.source or 'scenario'}: 'guests.anti_affinity' cannot be honoured on "
                    f"{hosts} host(s): a guest of server {servers[stuck]} has partners "
                    f"(of {others[:5]}) on every host; raise target.hosts or use hosts: auto"
                )
                raise InputError(msg)
            hosts += 1
            continue
        if scen.target.cpus_per_host:
            cpus = [int(scen.target.cpus_per_host)] * hosts
        elif size_lpar is not None:
            cpus = [int(size_lpar(host_of, h)) for h in range(hosts)]
        else:
            cpus = [max(1, math.ceil(engines / hosts))] * hosts
        if not (auto and size_lpar is not None and max(cpus) > top and hosts < len(rows)):
            break
        hosts += 1  # an LPAR's own guests need more than the largest LPAR: one more LPAR
    if partners:
        notes.append(
            f"Anti-affinity: {len(scen.guests.anti_affinity)} pair(s) of servers kept on "
            "different hosts."
        )
    if size_lpar is not None and not scen.target.cpus_per_host:
        notes.append(
            f"Each LPAR has the engines its own guests need at its own n (MP effect): "
            f"{' + '.join(str(c) for c in cpus)} = {sum(cpus)} engines "
            f"(ceil({engines} / {hosts}) each would give {max(1, math.ceil(engines / hosts)) * hosts})."
        )
    unsized: list[float | None] = [None] * hosts
    return Placement(
        host_of=host_of,
        cpus=cpus,
        mips_usable=list(unsized),
        composite_peak_mips=list(unsized),
        composite_p95_mips=list(unsized),
        method="balanced by WLF MIPS and memory (no traces)",
        notes=notes,
    )


def _partners(pairs: list[tuple[int, int]]) -> dict[int, set[int]]:
    """Guest index -> the guests it must not share a host with."""
    out: dict[int, set[int]] = {}
    for a, b in pairs:
        out.setdefault(a, set()).add(b)
        out.setdefault(b, set()).add(a)
    return out


def _balance(
    order: np.ndarray,
    mips: np.ndarray,
    memory: np.ndarray,
    hosts: int,
    partners: dict[int, set[int]],
    server: np.ndarray,
) -> tuple[np.ndarray, int]:
    """Each guest (in ``order``) onto the least-loaded allowed host; also the first guest
    that had no allowed host (-1: none).

    A guest with anti-affinity partners prefers the hosts its server's other instances are
    already on (so that a pair of servers ends up on disjoint hosts, not interleaved).
    """
    load = np.zeros((hosts, 2))
    host_of = np.full(len(mips), -1, dtype=np.int64)
    homes: dict[int, set[int]] = {}
    for i in order:  # one step per guest, vector argmin over hosts
        rank = np.lexsort((load[:, 1], load[:, 0]))
        mine = partners.get(int(i))
        if mine:
            taken = {int(host_of[j]) for j in mine if host_of[j] >= 0}
            rank = rank[~np.isin(rank, list(taken))] if taken else rank
            if rank.size == 0:
                return host_of, int(i)
            home = homes.setdefault(int(server[i]), set())
            pref = rank[np.isin(rank, list(home))] if home else rank[:0]
            rank = pref if pref.size else rank
        h = int(rank[0])
        if mine:
            homes[int(server[i])].add(h)
        host_of[i] = h
        load[h] += (mips[i], memory[i])
    return host_of, -1


def anti_affinity_pairs(scen: Scenario, rows: pd.DataFrame) -> list[tuple[int, int]]:
    """The scenario's ``guests.anti_affinity`` as pairs of guest rows, checked.

    Every instance of ``a`` against every instance of ``b``; a server paired with itself
    spreads its own instances (it must then have ``count`` ≥ 2).

    Parameters
    ----------
    scen : Scenario
        The scenario.
    rows : pandas.DataFrame
        One row per guest (:func:`colonykit.plan.assembly.guest_rows`).

    Raises
    ------
    InputError
        A pair names a server the inventory does not have, or a server with one instance twice.
    """
    servers = rows["server"].astype(str).to_numpy()
    where = scen.source or "scenario"
    index: dict[str, list[int]] = {}
    for i, srv in enumerate(servers):
        index.setdefault(str(srv), []).append(i)
    problems: list[str] = []
    out: list[tuple[int, int]] = []
    for k, (a, b) in enumerate(scen.guests.anti_affinity):
        missing = [s for s in (a, b) if s not in index]
        if missing:
            close = sorted(index)[:10]
            problems.append(
                must_be(
                    f"guests.anti_affinity[{k}]",
                    f"names of inventory servers (e.g. {close})",
                    missing[0],
                    where,
                )
            )
            continue
        if a == b and len(index[a]) < 2:
            problems.append(
                must_be(
                    f"guests.anti_affinity[{k}]",
                    "two different servers, or one server with count >= 2",
                    [a, b],
                    where,
                )
            )
            continue
        out += [(x, y) for x in index[a] for y in index[b] if x < y or (a != b and x != y)]
    raise_problems(problems, f"invalid scenario {where}")
    return out


def _anti_affinity(scen: Scenario, rows: pd.DataFrame, columns: list[str]) -> list[tuple[str, str]]:
    """Guest-column pairs from the scenario's server pairs (every instance of a against every of b)."""
    return [(columns[a], columns[b]) for a, b in anti_affinity_pairs(scen, rows)]


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
    memory: MemoryDimension | None = None,
) -> packing.PackingResult:
    try:
        return pack_cpu_memory(
            demand,
            capacity,
            memory_series_mib=memory.series_mib if memory is not None else None,
            memory_capacity_mib=memory.capacity_mib if memory is not None else None,
            virtual_mib=mem if host_mem else None,
            virtual_capacity_mib=host_mem,
            anti_affinity=pairs or None,
        )
    except CapacityError as exc:
        msg = f"measured placement: {exc}"
        raise InputError(msg) from exc


@dataclass(frozen=True)
class MemoryDimension:
    """The placement's memory dimension from measured memory series (time-aligned with CPU).

    Parameters
    ----------
    series_mib : numpy.ndarray or None
        Steps × guests working-set series [MiB] on the CPU series' time steps (None: memory
        cannot bind any LPAR at any step, so no memory rows are packed).
    capacity_mib : float
        Real storage per LPAR less what z/VM keeps [MiB]: each LPAR's summed series must stay
        within it at every step.
    real_gib : float
        Real storage per LPAR [GiB] (``memory_gib_per_host``, else the z/VM level's limit).
    basis : str
        Where ``real_gib`` comes from.
    note : str
        What the dimension did (stated in the placement notes).
    """

    series_mib: np.ndarray | None
    capacity_mib: float
    real_gib: float
    basis: str
    note: str


def memory_dimension(
    scen: Scenario,
    working_set_series: pd.DataFrame,
    cpu_index: pd.Index,
    n_guests: int,
) -> MemoryDimension | None:
    """The measured memory series as the placement's memory dimension, or None (today's rule).

    Real storage per LPAR is ``target.memory_gib_per_host``, else the z/VM level's real-storage
    limit (``platform_limits.csv``); what z/VM keeps (constant ``zvm_kept_storage_mib``) is taken
    off.  The series are put on the CPU series' time steps (same index, else the last value at
    or before each CPU step).  When the colony's own summed working set never exceeds one LPAR's
    capacity, memory cannot bind any LPAR and no memory rows are packed (``series_mib`` None).

    Parameters
    ----------
    scen : Scenario
        The scenario (``target.memory_gib_per_host``, ``target.zvm_level``).
    working_set_series : pandas.DataFrame
        Time × guest working-set series [MiB] in guest order
        (:attr:`colonykit.measured_memory.MeasuredMemory.working_set_series`).
    cpu_index : pandas.Index
        The time steps of the guests' MIPS series.
    n_guests : int
        Number of guests (columns of the MIPS series).

    Returns
    -------
    MemoryDimension or None
        None when the series cannot be aligned with CPU or no real-storage limit is known.

    Raises
    ------
    InputError
        A guest's own working set exceeds one LPAR's real storage at some step.
    """
    if working_set_series.shape[1] != n_guests or working_set_series.shape[0] == 0:
        return None
    if scen.target.memory_gib_per_host:
        real_gib = float(scen.target.memory_gib_per_host)
        basis = "target.memory_gib_per_host"
    else:
        level = scen.target.zvm_level or machine_limits.zvm_level_default()
        row = machine_limits.platform_limit("zvm_real_storage_gib", level)
        if row is None:
            return None
        real_gib = float(row[0])
        basis = f"z/VM {level} real-storage limit per LPAR"
    kept = float(reference.constant("zvm_kept_storage_mib"))
    cap = real_gib * MIB_PER_GIB - kept
    if cap <= 0:
        return None
    ws = working_set_series
    if not ws.index.equals(cpu_index):
        try:
            ws = ws.reindex(cpu_index, method="ffill").bfill()
        except (TypeError, ValueError):
            return None
    series = ws.to_numpy(dtype=np.float64)
    if not np.isfinite(series).all():
        return None
    own = series.max(axis=0)
    if (own > cap * (1 + packing.CAPACITY_RTOL)).any():
        i = int(np.argmax(own))
        msg = (
            f"{scen.source or 'scenario'}: guest {ws.columns[i]} has a measured working set of "
            f"{own[i] / MIB_PER_GIB:.1f} GiB, more than one LPAR's {real_gib:g} GiB real storage "
            f"less z/VM's {kept / MIB_PER_GIB:g} GiB ({basis}); raise target.memory_gib_per_host"
        )
        raise InputError(msg)
    colony = float(series.sum(axis=1).max())
    binds = colony > cap * (1 + packing.CAPACITY_RTOL)
    note = (
        f"Memory dimension: each guest's measured working-set series, time-aligned with its "
        f"MIPS series, must fit each LPAR's real storage less z/VM's own "
        f"{kept / MIB_PER_GIB:g} GiB ({real_gib:g} GiB, {basis}) at every step"
        + (
            "; packed as a second block of time steps"
            if binds
            else f"; the whole colony's composite working set ({colony / MIB_PER_GIB:.1f} GiB) "
            "fits one LPAR at every step, so memory binds no LPAR"
        )
        + "."
    )
    return MemoryDimension(series if binds else None, cap, real_gib, basis, note)


def pack_cpu_memory(
    demand: pd.DataFrame,
    capacity: float,
    *,
    memory_series_mib: np.ndarray | None = None,
    memory_capacity_mib: float | None = None,
    virtual_mib: pd.Series | None = None,
    virtual_capacity_mib: float | None = None,
    anti_affinity: list[tuple[str, str]] | None = None,
) -> packing.PackingResult:
    """Time-series packing of CPU and, when given, memory series: both must fit at every step.

    The memory series are stacked under the CPU series as more time steps, each scaled by
    ``capacity / memory_capacity_mib`` so that one capacity holds both: a host is feasible when
    at every step its summed MIPS ≤ ``capacity`` **and** its summed memory ≤
    ``memory_capacity_mib`` (:func:`colonykit.packing.pack` unchanged).  The static
    ``virtual_mib`` (one number per guest, e.g. virtual storage against the overcommit rule)
    is packed as :func:`~colonykit.packing.pack`'s memory dimension.  The result's
    ``host_series`` and ``hosts`` are the CPU part (MIPS, on ``demand``'s index).

    Parameters
    ----------
    demand : pandas.DataFrame
        Time × guest MIPS series.
    capacity : float
        Usable MIPS per host.
    memory_series_mib : numpy.ndarray, optional
        Steps × guests memory series [MiB], same steps and guest order as ``demand``.
    memory_capacity_mib : float, optional
        Memory per host for the series [MiB]; needed with ``memory_series_mib``.
    virtual_mib : pandas.Series, optional
        One number per guest [MiB] (index = guest names); needs ``virtual_capacity_mib``.
    virtual_capacity_mib : float, optional
        Host capacity for ``virtual_mib`` [MiB].
    anti_affinity : list of (str, str), optional
        Guests that must be on different hosts.

    Returns
    -------
    colonykit.packing.PackingResult

    Examples
    --------
    >>> cpu = pd.DataFrame({"a": [10.0, 10.0], "b": [10.0, 10.0]})
    >>> mem = np.array([[900.0, 100.0], [100.0, 900.0]])  # anti-correlated memory peaks
    >>> pack_cpu_memory(cpu, 100.0, memory_series_mib=mem, memory_capacity_mib=1000.0).hosts_used
    1
    >>> pack_cpu_memory(
    ...     cpu, 100.0, virtual_mib=pd.Series({"a": 900.0, "b": 900.0}), virtual_capacity_mib=1000.0
    ... ).hosts_used
    2
    """
    frame = demand
    if memory_series_mib is not None:
        if memory_capacity_mib is None or not memory_capacity_mib > 0:
            raise InputError(must_be("memory_capacity_mib", "a number > 0", memory_capacity_mib))
        mem = np.asarray(memory_series_mib, dtype=np.float64)
        if mem.ndim != 2 or mem.shape[1] != demand.shape[1]:
            msg = must_be(
                "memory_series_mib", f"steps × {demand.shape[1]} guests", f"shape {mem.shape}"
            )
            raise InputError(msg)
        stacked = np.vstack(
            [demand.to_numpy(dtype=np.float64), mem * (capacity / memory_capacity_mib)]
        )
        frame = pd.DataFrame(stacked, columns=demand.columns)
        frame.attrs = dict(demand.attrs)
    pk = packing.pack(
        frame,
        capacity,
        100.0,
        memory_mib=virtual_mib if virtual_capacity_mib else None,
        host_memory_mib=virtual_capacity_mib,
        anti_affinity=anti_affinity or None,
    )
    if memory_series_mib is None:
        return pk
    steps = demand.shape[0]
    cpu = pk.host_series.iloc[:steps].set_axis(demand.index, axis=0)
    hosts = pk.hosts.copy()
    if len(hosts):
        hosts["peak"] = cpu.max(axis=0).to_numpy()
        hosts["mean"] = cpu.mean(axis=0).to_numpy()
        hosts["peak_pct_of_capacity"] = hosts["peak"] / float(pk.host_capacity) * 100.0
    return dataclasses.replace(pk, host_series=cpu, hosts=hosts)


def place_measured(
    scen: Scenario,
    rows: pd.DataFrame,
    sizing_res: SizingResult,
    meas: measured.MeasuredSizing,
    max_ratio: float,
    memory_series: pd.DataFrame | None = None,
) -> Placement:
    """Pack guests on their MIPS series and give each LPAR the engines its own composite needs.

    With ``memory_series`` (the guests' measured working-set series) the memory dimension is
    per time step (:func:`memory_dimension`, :func:`pack_cpu_memory`): at every step each
    LPAR's summed working set fits its real storage less z/VM's own needs, and its guests'
    virtual storage fits the overcommit limit on that.  Without it (today's rule), memory is
    one number per guest against ``memory_gib_per_host`` × the overcommit limit, when given.

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
    memory_series : pandas.DataFrame, optional
        Time × guest working-set series [MiB] in guest order
        (:attr:`colonykit.measured_memory.MeasuredMemory.working_set_series`).
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
    dim = (
        memory_dimension(scen, memory_series, demand.index, len(columns))
        if memory_series is not None
        else None
    )
    if dim is not None:  # measured memory series: per step, plus Σ virtual at the overcommit rule
        virt_cap = dim.capacity_mib * max_ratio
        binds = float(mem.sum()) > virt_cap * (1 + packing.CAPACITY_RTOL)
        host_mem = virt_cap if binds else None
        mem_notes = [
            dim.note,
            f"Overcommit rule: each LPAR's guests' virtual storage ≤ {max_ratio:g} × "
            f"{dim.capacity_mib / MIB_PER_GIB:g} GiB"
            + ("." if binds else " (the whole colony's fits one LPAR, so it binds no LPAR)."),
        ]
    elif "working_set_mib" in rows:  # measured working sets as one number per guest
        mem_notes = [
            "Memory dimension: each guest's measured working set as one number (the memory "
            "series could not be put on the CPU series' time steps, or no real-storage limit "
            "is known)"
            + (
                " against target.memory_gib_per_host less z/VM's own needs."
                if host_mem
                else "; no memory_gib_per_host, so memory binds no LPAR."
            )
        ]
        ws = rows["working_set_mib"].to_numpy(float)
        mem = pd.Series(
            np.where(np.isfinite(ws), ws, rows["memory_mib"].to_numpy(float)), index=columns
        )
        if scen.target.memory_gib_per_host:
            host_mem = scen.target.memory_gib_per_host * MIB_PER_GIB - reference.constant(
                "zvm_kept_storage_mib"
            )
    else:
        mem_notes = [
            "Memory dimension without memory series (today's rule): each guest's provisioned "
            "memory as one number"
            + (
                f" against {scen.target.memory_gib_per_host:g} GiB × the {max_ratio:g}:1 "
                "overcommit limit per LPAR."
                if host_mem
                else "; no memory_gib_per_host, so memory binds no LPAR."
            )
        ]
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
            dim,
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
        own_peak = float(demand.to_numpy().max()) if demand.size else 0.0
        for engines in range(start, top + 1):
            usable = float(measured.usable_mips(engines, sizing_res, n_all, uplift, bound)[0])
            if usable < own_peak * (1 - packing.CAPACITY_RTOL) and engines < top:
                continue  # one guest alone needs more: no packing fits LPARs this small
            pk = _pack(
                demand,
                usable,
                mem,
                host_mem,
                pairs,
                dim,
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
    out = _per_host(scen, demand.to_numpy(), host_of, sizing_res, uplift, fixed, top, pk)
    out.notes.extend(mem_notes)
    return out


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
    "MemoryDimension",
    "Placement",
    "memory_dimension",
    "pack_cpu_memory",
    "max_engines_per_host",
    "place_balanced",
    "place_measured",
]
