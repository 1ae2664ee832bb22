"""The measured colony's memory: each guest's working set, right-sizing, and LPAR real storage.

Memory use series (MiB, or % of the server's memory) come through the same readers and join
as the CPU series (:func:`colonykit.ingest.join.join_traces` with ``metric="memory"``).  Per
guest instance:

- ``working_set_mib`` = a stated **statistic** of measured use (``peak``, or ``p95`` =
  constant ``measured_statistic_pct``) × (1 + ``memory_working_set_margin_pct`` / 100).  The
  margin defaults to 0: IBM's advice for Linux guests on z/VM is "do not pad the total memory
  figure" (facts.md §5.6);
- **right-sizing**: a guest whose provisioned memory is more than
  ``memory_right_size_ratio`` (2, Velocity Software's storage planning plans real storage at
  half the guests' virtual size) times its working set is *over-provisioned*; its suggested
  size is its working set, at least ``memory_right_size_min_mib`` (64 MiB, seed 000: "SLES 9
  will run in 64M").  Velocity's advice is to shrink a Linux guest until it starts to swap.
- guests without a memory series keep today's rule: working set = provisioned ×
  ``working_set_frac`` (1.0, seed 003 §9.1.1: Linux uses all the storage it is given).

Per LPAR (:func:`lpar_real_storage`): the **composite** of its guests' working-set series
(summed per time step, like CPU), at the statistic, plus what z/VM keeps
(``zvm_kept_storage_mib``, 2 GiB), against the overcommit rule: real storage is at least
Σ guest virtual ÷ the overcommit limit + what z/VM keeps (Velocity's storage planning rule,
:func:`colonykit.memory.real_storage_for_overcommit`).

Examples
--------
>>> from colonykit.ingest import read_inventory
>>> from colonykit.ingest.join import join_traces
>>> inv, _ = read_inventory("data/examples/bitbrains_50vm_inventory.csv")
>>> j = join_traces(inv, "data/traces/bitbrains_rnd_50vm_7d.csv.gz", metric="memory")
>>> m = measured_memory(inv, j)
>>> round(m.sum_peak_mib / 1024, 1), int(m.instances["over_provisioned"].sum())
(303.2, 33)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from colonykit import measured, memory, reference
from colonykit._dicts import DictMixin
from colonykit.errors import InputError, must_be
from colonykit.units import MIB_PER_GIB

#: Statistics a working set may be taken at (peak, or the ``measured_statistic_pct`` percentile).
STATISTICS: tuple[str, ...] = measured.STATISTICS


# --------------------------------------------------------------------------- pure functions
def used_mib_matrix(
    frame: pd.DataFrame, assignment: pd.DataFrame, provisioned_mib: np.ndarray
) -> np.ndarray:
    """Memory use [MiB] per step and instance (steps × instances); NaN for unmatched instances.

    Series in ``mem_pct`` are converted with each instance's provisioned memory.

    Parameters
    ----------
    frame : pandas.DataFrame
        The joined memory series, time × series (``attrs["unit"]`` ``mem_mib`` or ``mem_pct``).
    assignment : pandas.DataFrame
        Which series each inventory instance uses (column ``series``, ``""`` when unmatched).
    provisioned_mib : numpy.ndarray
        Provisioned memory of each instance [MiB].

    Examples
    --------
    >>> f = pd.DataFrame({"a": [10.0, 50.0]}); f.attrs["unit"] = "mem_pct"
    >>> used_mib_matrix(f, pd.DataFrame({"series": ["a", ""]}), np.array([1024.0, 512.0])).tolist()
    [[102.4, nan], [512.0, nan]]
    """
    unit = str(frame.attrs.get("unit", "mem_mib"))
    if unit not in ("mem_mib", "mem_pct"):
        msg = f"memory series must be in mem_mib or mem_pct (got {unit})"
        raise InputError(msg)
    cols = {str(c): i for i, c in enumerate(frame.columns)}
    idx = np.array([cols.get(str(s), -1) for s in assignment["series"]], dtype=np.int64)
    values = frame.to_numpy(dtype=np.float64)
    out = np.full((values.shape[0], len(idx)), np.nan)
    have = idx >= 0
    out[:, have] = values[:, idx[have]]
    if unit == "mem_pct":
        out = out / 100.0 * np.asarray(provisioned_mib, dtype=float)[None, :]
    return out


def working_set_mib(
    used_mib: np.ndarray, statistic: str = "peak", margin_pct: float = 0.0
) -> np.ndarray:
    """Working set of each column: the statistic of its use × (1 + margin/100).

    Parameters
    ----------
    used_mib : numpy.ndarray
        Memory use, steps × guests [MiB].
    statistic : {'peak', 'p95'}, default 'peak'
        Statistic over time.
    margin_pct : float, default 0
        Margin added to the statistic [%].

    Examples
    --------
    >>> working_set_mib(np.array([[100.0], [300.0]]), "peak", 10).tolist()
    [330.0]
    """
    if not (math.isfinite(margin_pct) and margin_pct >= 0):
        raise InputError(must_be("memory margin_pct", ">= 0", margin_pct))
    return measured.statistic_of(np.asarray(used_mib, dtype=float), statistic) * (
        1.0 + margin_pct / 100.0
    )


def suggested_size_mib(working_set: np.ndarray, min_mib: float) -> np.ndarray:
    """Suggested guest size [MiB]: the working set rounded up, at least ``min_mib``.

    Parameters
    ----------
    working_set : numpy.ndarray
        Working sets [MiB].
    min_mib : float
        Smallest guest size [MiB].

    Examples
    --------
    >>> suggested_size_mib(np.array([10.2, 6245.1]), 64).tolist()
    [64.0, 6246.0]
    """
    return np.maximum(np.ceil(np.asarray(working_set, dtype=float) - 1e-9), float(min_mib))


def over_provisioned(
    provisioned_mib: np.ndarray, suggested_mib: np.ndarray, ratio: float
) -> np.ndarray:
    """True where provisioned memory is more than ``ratio`` × the suggested size.

    Parameters
    ----------
    provisioned_mib : numpy.ndarray
        Provisioned memory [MiB].
    suggested_mib : numpy.ndarray
        Suggested sizes [MiB] (:func:`suggested_size_mib`).
    ratio : float
        The right-sizing threshold (constant ``memory_right_size_ratio``).

    Examples
    --------
    >>> over_provisioned(np.array([8192.0, 1024.0]), np.array([1163.0, 700.0]), 2.0).tolist()
    [True, False]
    """
    if not (math.isfinite(ratio) and ratio >= 1):
        raise InputError(must_be("memory_right_size_ratio", ">= 1", ratio))
    return np.asarray(provisioned_mib, dtype=float) > ratio * np.asarray(suggested_mib, dtype=float)


# --------------------------------------------------------------------------- results
@dataclass(frozen=True)
class LparMemory(DictMixin):
    """Real storage of one LPAR from its guests' measured working sets.

    Attributes
    ----------
    composite_working_set_mib : float
        Statistic over time of the summed working-set series of the LPAR's guests [MiB].
    sum_working_sets_mib : float
        Σ of each guest's own working set [MiB] (what the sum of peaks would ask).
    virtual_mib : float
        Σ guest virtual storage [MiB].
    zvm_kept_mib : float
        Storage z/VM keeps for itself, MDC and infrastructure [MiB].
    real_for_use_mib : float
        ``composite_working_set_mib + zvm_kept_mib``.
    real_for_overcommit_mib : float
        Σ virtual ÷ the overcommit limit + ``zvm_kept_mib``.
    real_mib : float
        The larger of the two, rounded up to a whole GiB [MiB].
    basis : str
        Which one decided (``measured use`` or ``overcommit limit``).
    """

    composite_working_set_mib: float
    sum_working_sets_mib: float
    virtual_mib: float
    zvm_kept_mib: float
    real_for_use_mib: float
    real_for_overcommit_mib: float
    real_mib: float
    basis: str


def lpar_real_storage(
    working_set_series_mib: np.ndarray,
    virtual_mib: np.ndarray | list[float],
    max_overcommit_ratio: float,
    statistic: str = "peak",
    zvm_kept_mib: float | None = None,
) -> LparMemory:
    """Real storage of an LPAR: composite working set + z/VM's needs, ≥ the overcommit rule.

    Parameters
    ----------
    working_set_series_mib : numpy.ndarray
        Steps × guests working-set series of the LPAR's guests [MiB].
    virtual_mib : array_like
        Virtual storage of each guest [MiB].
    max_overcommit_ratio : float
        The overcommit limit (Σ virtual ÷ real).
    statistic : {'peak', 'p95'}, default 'peak'
        Statistic of the composite over time.
    zvm_kept_mib : float, optional
        What z/VM keeps; default constant ``zvm_kept_storage_mib`` (2048).

    Examples
    --------
    >>> r = lpar_real_storage(np.array([[1000.0, 10.0], [10.0, 1000.0]]), [4096, 4096], 1.5)
    >>> r.composite_working_set_mib, r.real_mib, r.basis
    (1010.0, 8192.0, 'overcommit limit')
    """
    kept = reference.constant("zvm_kept_storage_mib") if zvm_kept_mib is None else zvm_kept_mib
    series = np.asarray(working_set_series_mib, dtype=float)
    comp = series.sum(axis=1) if series.size else np.zeros(1)
    composite = float(measured.statistic_of(comp[:, None], statistic)[0])
    virt = float(np.sum(np.asarray(virtual_mib, dtype=float)))
    for_use = composite + float(kept)
    for_oc = float(memory.real_storage_for_overcommit(virt, max_overcommit_ratio, kept))
    real = math.ceil(max(for_use, for_oc) / MIB_PER_GIB - 1e-9) * MIB_PER_GIB
    return LparMemory(
        composite_working_set_mib=composite,
        sum_working_sets_mib=float(series.max(axis=0).sum()) if series.size else 0.0,
        virtual_mib=virt,
        zvm_kept_mib=float(kept),
        real_for_use_mib=for_use,
        real_for_overcommit_mib=for_oc,
        real_mib=float(max(real, MIB_PER_GIB)),
        basis="measured use" if for_use >= for_oc else "overcommit limit",
    )


@dataclass(frozen=True)
class MeasuredMemory(DictMixin):
    """Result of :func:`measured_memory`.

    Attributes
    ----------
    working_set_series : pandas.DataFrame
        Time × instance working-set series [MiB] (use × (1 + margin); instances without a
        memory series: flat at provisioned × ``working_set_frac``).  Columns in inventory
        instance order.
    instances : pandas.DataFrame
        One row per inventory instance: ``server, k, series, measured, provisioned_mib,
        peak_mib, p95_mib, working_set_mib, suggested_mib, over_provisioned,
        over_provisioned_ratio``.
    statistic : str
        Statistic of the working set.
    margin_pct : float
        Margin on the statistic [%].
    right_size_ratio : float
        Threshold of the right-sizing finding (provisioned ÷ suggested).
    min_mib : float
        Smallest suggested size [MiB].
    servers_matched, servers_unmatched : list of str
        Inventory servers with and without a memory series.
    notes : list of str
        What was assumed.
    """

    working_set_series: pd.DataFrame
    instances: pd.DataFrame
    statistic: str
    margin_pct: float
    right_size_ratio: float
    min_mib: float
    servers_matched: list[str] = field(default_factory=list)
    servers_unmatched: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def sum_provisioned_mib(self) -> float:
        """Σ provisioned memory of all instances [MiB]."""
        return float(self.instances["provisioned_mib"].sum())

    @property
    def sum_peak_mib(self) -> float:
        """Σ of each measured instance's peak use [MiB]."""
        return float(self.instances["peak_mib"].sum())

    @property
    def composite_peak_mib(self) -> float:
        """Peak over time of the summed working-set series of the whole colony [MiB]."""
        return float(self.working_set_series.to_numpy().sum(axis=1).max())

    _dict_keys = ("statistic", "margin_pct", "right_size_ratio", "min_mib", "notes")

    def _dict_computed(self) -> dict[str, Any]:
        inst = self.instances
        return {
            "servers_matched": len(self.servers_matched),
            "servers_unmatched": len(self.servers_unmatched),
            "sum_provisioned_mib": self.sum_provisioned_mib,
            "sum_peak_mib": self.sum_peak_mib,
            "sum_working_set_mib": float(inst["working_set_mib"].sum()),
            "composite_peak_mib": self.composite_peak_mib,
            "over_provisioned": int(inst["over_provisioned"].sum()),
        }


def measured_memory(
    inventory: pd.DataFrame,
    join: Any,
    *,
    statistic: str = "peak",
    margin_pct: float | None = None,
    right_size_ratio: float | None = None,
    min_mib: float | None = None,
    provisioned_mib: np.ndarray | None = None,
) -> MeasuredMemory:
    """Working set, right-sizing and working-set series of each inventory instance (module doc).

    Parameters
    ----------
    inventory : pandas.DataFrame
        A validated inventory (``memory_mib`` = provisioned memory).
    join : TraceJoin
        The memory series joined to the inventory (``join_traces(..., metric="memory")``).
    statistic : {'peak', 'p95'}, default 'peak'
        Statistic of each guest's use.
    margin_pct : float, optional
        Margin on the statistic [%]; default constant ``memory_working_set_margin_pct`` (0).
    right_size_ratio : float, optional
        Default constant ``memory_right_size_ratio`` (2).
    min_mib : float, optional
        Default constant ``memory_right_size_min_mib`` (64).
    provisioned_mib : numpy.ndarray, optional
        Provisioned memory per instance (default: the inventory's ``memory_mib`` repeated by
        ``count``, in the order of ``join.assignment``).

    Returns
    -------
    MeasuredMemory
    """
    margin = (
        reference.constant("memory_working_set_margin_pct") if margin_pct is None else margin_pct
    )
    ratio = (
        reference.constant("memory_right_size_ratio")
        if right_size_ratio is None
        else right_size_ratio
    )
    floor = reference.constant("memory_right_size_min_mib") if min_mib is None else min_mib
    inst = join.assignment[["server", "k", "series"]].copy().reset_index(drop=True)
    if provisioned_mib is None:
        prov_by = inventory.drop_duplicates("server").set_index(
            inventory.drop_duplicates("server")["server"].astype(str)
        )["memory_mib"]
        provisioned_mib = prov_by.reindex(inst["server"].astype(str)).to_numpy(dtype=float)
    prov = np.asarray(provisioned_mib, dtype=float)
    used = used_mib_matrix(join.frame, inst, prov)
    have = inst["series"].astype(str).to_numpy() != ""
    used = np.where(np.isnan(used) & ~have[None, :], np.nan, used)
    peak = np.full(len(inst), np.nan)
    p95 = np.full(len(inst), np.nan)
    if have.any():
        peak[have] = measured.statistic_of(used[:, have], "peak")
        p95[have] = measured.statistic_of(used[:, have], "p95")
    ws = np.where(have, (peak if statistic == "peak" else p95) * (1 + margin / 100.0), np.nan)
    if statistic not in STATISTICS:
        measured.statistic_of(used[:, :1], statistic)  # raises the one error message
    frac = reference.constant("working_set_frac")
    ws = np.where(have, ws, prov * frac)
    series = np.where(have[None, :], used * (1 + margin / 100.0), (prov * frac)[None, :])
    sugg = suggested_size_mib(ws, floor)
    over = over_provisioned(prov, sugg, ratio) & have
    inst["measured"] = have
    inst["provisioned_mib"] = prov
    inst["peak_mib"] = peak
    inst["p95_mib"] = p95
    inst["working_set_mib"] = ws
    inst["suggested_mib"] = np.where(have, sugg, prov)
    inst["over_provisioned"] = over
    inst["over_provisioned_ratio"] = prov / np.maximum(inst["suggested_mib"].to_numpy(float), 1.0)
    names = [
        f"{s}#{k}" if n > 1 else str(s)
        for s, k, n in zip(
            inst["server"], inst["k"], inst.groupby("server")["k"].transform("size"), strict=True
        )
    ]
    frame = pd.DataFrame(series, index=join.frame.index, columns=pd.Index(names, name="guest"))
    frame.attrs = {"unit": "mem_mib", "interval_s": join.frame.attrs.get("interval_s")}
    notes = list(join.notes)
    notes.append(
        f"Working set = {statistic} of measured memory use"
        + (f" + {margin:g} %" if margin else " (no margin: IBM's 'do not pad')")
        + f"; {int(over.sum())} of {int(have.sum())} measured guests are over-provisioned "
        f"(provisioned > {ratio:g} × working set)."
    )
    if (~have).any():
        notes.append(
            f"{int((~have).sum())} guest(s) without a memory series: working set = provisioned "
            f"× {frac:g} (today's rule: Linux fills the storage it is given)."
        )
    return MeasuredMemory(
        working_set_series=frame,
        instances=inst,
        statistic=statistic,
        margin_pct=float(margin),
        right_size_ratio=float(ratio),
        min_mib=float(floor),
        servers_matched=list(join.servers_matched),
        servers_unmatched=list(join.servers_unmatched),
        notes=notes,
    )


__all__ = [
    "STATISTICS",
    "LparMemory",
    "MeasuredMemory",
    "lpar_real_storage",
    "measured_memory",
    "over_provisioned",
    "suggested_size_mib",
    "used_mib_matrix",
    "working_set_mib",
]
