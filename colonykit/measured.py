"""The measured colony: each server's own utilization series in MIPS, their composite, and engines.

Seed 003 §2.3: the composite of many workloads peaks far lower than the sum of their
individual peaks.  This module turns the servers' traces into MIPS series at each WLF
bound — ``mips(t) = cpu_pct(t) / 100 × capacity in MIPS`` with the capacity of
:func:`colonykit.sizing.size_inventory` (the same tpm/MIPS range) — and sizes engines on
their composite.

Names (no two quantities share the label "white space"):

- ``sum_of_peaks_mips`` — Σ over servers of each server's own peak;
- ``composite_peak_mips`` / ``composite_p95_mips`` — peak / 95th percentile over time of
  the summed series;
- ``non_coincidence_saving_pct`` = 100 × (1 − composite peak ÷ sum of peaks): the
  consolidation saving (the peak ratio);
- ``white_space_pct`` = 100 × (1 − composite mean ÷ composite peak): the seed's white space,
  1 − utilization, of capacity sized at the composite peak.

Engines: the smallest *n* whose **usable MIPS** holds the composite statistic, where
``usable(n) = (capacity(n) × target/100 × (1 − CP/100) − idle MIPS) × (1 + u_min × g(n))``:
``capacity(n)`` has the MP effect and SMT of :func:`colonykit.sizing.engine_capacity_mips`,
``g(n)`` is the n-way uplift curve (:func:`colonykit.sizing.nway_uplift_frac`) and ``u_min``
the smallest class uplift among the guests (conservative with mixed classes).  The same
rule sized on the sum of the peaks gives ``engines_peak``.

Examples
--------
>>> import pandas as pd
>>> from colonykit import sizing
>>> from colonykit.ingest import read_inventory
>>> from colonykit.ingest.join import join_traces
>>> inv, _ = read_inventory("data/examples/bitbrains_50vm_inventory.csv")
>>> res = sizing.size_inventory(inv, "z15")
>>> j = join_traces(inv, "data/traces/bitbrains_rnd_50vm_7d.csv.gz")
>>> m = measured_sizing(inv, res, j)
>>> m.engines_composite["typical"] <= m.engines_peak["typical"]
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from colonykit import reference, sizing
from colonykit._arrays import to_float
from colonykit._dicts import DictMixin
from colonykit.errors import InputError

Statistic = Literal["peak", "p95"]
STATISTICS: tuple[str, ...] = ("peak", "p95")
#: MHz per unit of capacity for the clock units (total clock = capacity × cores for ``*_per_core``).
CLOCK_MHZ_PER_UNIT: dict[str, float] = {
    "mhz": 1.0,
    "ghz": 1000.0,
    "mhz_per_core": 1.0,
    "ghz_per_core": 1000.0,
}


def mips_per_pct(sizing_res: sizing.SizingResult) -> pd.DataFrame:
    """MIPS of one percentage point of each inventory row's capacity, per bound.

    The same formula as the sizing (:func:`colonykit.sizing.mips_needed` at 1 %).

    Parameters
    ----------
    sizing_res : SizingResult
        The inventory's sizing.
    """
    s = sizing_res.servers
    out = pd.DataFrame(index=s["server"].astype(str))
    for b, t in (("low", "high"), ("typical", "typical"), ("high", "low")):
        out[b] = np.asarray(
            sizing.mips_needed(
                1.0, s["capacity_tpm_equiv"].to_numpy(float), s[f"tpm_per_mips_{t}"].to_numpy(float)
            ),
            dtype=float,
        )
    return out


def capacity_mhz(inventory: pd.DataFrame) -> pd.Series:
    """Total clock [MHz] of each inventory row (NaN where the capacity is not a clock).

    Parameters
    ----------
    inventory : pandas.DataFrame
        A validated inventory (``capacity``, ``capacity_unit``, ``cores``).
    """
    unit = inventory["capacity_unit"].astype(str).to_numpy()
    per = np.array([CLOCK_MHZ_PER_UNIT.get(u, np.nan) for u in unit])
    cores = (
        inventory["cores"].to_numpy(float) if "cores" in inventory else np.full(len(unit), np.nan)
    )
    mult = np.where(np.char.endswith(unit.astype(str), "_per_core"), cores, 1.0)
    return pd.Series(
        inventory["capacity"].to_numpy(float) * per * mult,
        index=inventory["server"].astype(str).to_numpy(),
    )


def util_pct_matrix(
    frame: pd.DataFrame, assignment: pd.DataFrame, inventory: pd.DataFrame
) -> np.ndarray:
    """Utilization [% of the server's capacity] per step and inventory instance (steps × instances).

    Series in ``cpu_pct`` are used as they are, ``cpu_mhz`` divided by the server's clock;
    unmatched instances are a flat series at the row's ``util_peak_pct``.

    Parameters
    ----------
    frame : pandas.DataFrame
        The joined traces, time × series (:attr:`TraceJoin.frame`; unit in ``attrs["unit"]``).
    assignment : pandas.DataFrame
        Which series each inventory instance uses (:attr:`TraceJoin.assignment`).
    inventory : pandas.DataFrame
        The validated inventory.
    """
    unit = str(frame.attrs.get("unit", "cpu_pct"))
    inv = inventory.set_index(inventory["server"].astype(str))
    cols = {str(c): i for i, c in enumerate(frame.columns)}
    values = frame.to_numpy(dtype=np.float64)
    series = assignment["series"].astype(str).to_numpy()
    servers = assignment["server"].astype(str).to_numpy()
    idx = np.array([cols.get(s, -1) for s in series], dtype=np.int64)
    out = np.empty((values.shape[0], len(series)), dtype=np.float64)
    have = idx >= 0
    out[:, have] = values[:, idx[have]]
    if unit == "cpu_mhz":
        mhz = capacity_mhz(inventory).reindex(servers).to_numpy(float)
        bad = have & ~(np.isfinite(mhz) & (mhz > 0))
        if bad.any():
            msg = (
                f"traces are in cpu_mhz but server {servers[bad][0]!r} has no clock capacity "
                "(capacity_unit mhz, ghz, mhz_per_core or ghz_per_core with cores)"
            )
            raise InputError(msg)
        out[:, have] = out[:, have] / mhz[have] * 100.0
    elif unit != "cpu_pct":
        msg = f"measured sizing needs traces in cpu_pct or cpu_mhz (got {unit}); read them in their source unit"
        raise InputError(msg)
    out[:, ~have] = inv.loc[list(servers[~have]), "util_peak_pct"].to_numpy(float)[None, :]
    return out


def usable_mips(
    n_engines: np.ndarray | int,
    sizing_res: sizing.SizingResult,
    guests: int,
    uplift_frac: float,
    bound: str = "typical",
) -> np.ndarray:
    """Guest MIPS an LPAR of ``n_engines`` carries at the target utilization (module doc formula).

    Parameters
    ----------
    n_engines : int or numpy.ndarray
        Engines of the LPAR.
    sizing_res : SizingResult
        The inventory's sizing (target processor, utilization, CP overhead).
    guests : int
        Number of guests on the LPAR (their idle MIPS).
    uplift_frac : float
        ``u_min``: the smallest class uplift among the guests.
    bound : {'low', 'typical', 'high'}, default 'typical'
        Which bound of the sizing.
    """
    proc, opts = sizing_res.processor, sizing_res.options
    n = np.atleast_1d(np.asarray(n_engines, dtype=float))
    smt = proc.smt_uplift_frac if opts.smt else 0.0
    cap = sizing.engine_capacity_mips(n, proc.engine_mips_1way, None, smt)
    g = (
        sizing.nway_uplift_frac(n, 1.0, reference.constant("nway_uplift_reference_engines"))
        if opts.nway_uplift
        else np.zeros_like(n)
    )
    total_guests = max(float(sizing_res.servers["count"].sum()), 1.0)
    idle = to_float(sizing_res.target.loc[bound, "idle_guest_mips"]) / total_guests * guests
    busy = cap * opts.target_util_pct / 100.0 * (1.0 - opts.cp_overhead_pct / 100.0) - idle
    return np.maximum(busy, 0.0) * (1.0 + uplift_frac * g)


def engines_for(
    demand_mips: float,
    sizing_res: sizing.SizingResult,
    guests: int,
    uplift_frac: float,
    bound: str = "typical",
    max_engines: int | None = None,
) -> int:
    """Smallest n whose :func:`usable_mips` holds ``demand_mips`` (0 demand → 1 engine).

    Parameters
    ----------
    demand_mips : float
        MIPS to carry.
    sizing_res : SizingResult
        The inventory's sizing (target processor, utilization, CP overhead).
    guests : int
        Number of guests on the LPAR (their idle MIPS).
    uplift_frac : float
        ``u_min``: the smallest class uplift among the guests.
    bound : {'low', 'typical', 'high'}, default 'typical'
        Which bound of the sizing.
    max_engines : int, optional
        Largest n tried; default ``sizing.MAX_SEARCH_ENGINES``.

    Examples
    --------
    >>> from colonykit.ingest import read_inventory
    >>> inv, _ = read_inventory("data/examples/xyz_inventory.csv")
    >>> res = sizing.size_inventory(inv, "z15")
    >>> engines_for(1000.0, res, guests=1, uplift_frac=0.0) >= 1
    True
    """
    top = int(max_engines or sizing.MAX_SEARCH_ENGINES)
    n = np.arange(1, top + 1)
    ok = np.flatnonzero(
        usable_mips(n, sizing_res, guests, uplift_frac, bound) >= demand_mips * (1 - 1e-12)
    )
    if ok.size == 0:
        msg = (
            f"{demand_mips:,.0f} guest MIPS need more than {top} {sizing_res.processor.model} engines; "
            "split the colony over more LPARs or machines"
        )
        raise InputError(msg)
    return int(n[ok[0]])


def statistic_of(series: np.ndarray, statistic: str) -> np.ndarray:
    """Peak or p95 over time (axis 0).

    Parameters
    ----------
    series : numpy.ndarray
        Time × column values.
    statistic : {'peak', 'p95'}
        Which statistic.
    """
    if statistic not in STATISTICS:
        msg = f"'statistic' must be one of {list(STATISTICS)} (got {statistic!r})"
        raise InputError(msg)
    if statistic == "peak":
        return np.max(series, axis=0)
    return np.percentile(
        series, reference.constant("measured_statistic_pct"), axis=0, method="higher"
    )


@dataclass(frozen=True)
class MeasuredSizing(DictMixin):
    """Result of :func:`measured_sizing` (all MIPS; dicts keyed by bound low/typical/high).

    Parameters
    ----------
    statistic : {'peak', 'p95'}
        The composite statistic the engines are sized on.
    sum_of_peaks_mips, composite_peak_mips, composite_p95_mips, composite_mean_mips : dict of str to float
        Per bound: Σ of each server's peak, and peak / 95th percentile / mean of the composite.
    engines_peak, engines_composite : dict of str to int
        Per bound: engines for the sum of the peaks, and for the composite ``statistic``.
    uplift_frac : float
        ``u_min``: the smallest class uplift among the guests.
    servers_matched, servers_unmatched : list of str
        Inventory servers with and without a trace.
    notes : list of str
        What the join and the sizing assumed.

    Attributes
    ----------
    guest_mips : DataFrame
        Time × instance MIPS series at ``series_bound`` (columns ``server`` or ``server#k``).
    instances : DataFrame
        One row per inventory instance: ``server, k, series, how, column, peak_mips``.
    """

    guest_mips: pd.DataFrame
    instances: pd.DataFrame
    statistic: str
    sum_of_peaks_mips: dict[str, float]
    composite_peak_mips: dict[str, float]
    composite_p95_mips: dict[str, float]
    composite_mean_mips: dict[str, float]
    engines_peak: dict[str, int]
    engines_composite: dict[str, int]
    uplift_frac: float
    servers_matched: list[str] = field(default_factory=list)
    servers_unmatched: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def non_coincidence_saving_pct(self) -> float:
        """100 × (1 − composite peak ÷ sum of peaks), typical bound."""
        s = self.sum_of_peaks_mips["typical"]
        return 100.0 * (1.0 - self.composite_peak_mips["typical"] / s) if s > 0 else 0.0

    @property
    def white_space_pct(self) -> float:
        """100 × (1 − composite mean ÷ composite peak), typical bound (seed: 1 − utilization)."""
        p = self.composite_peak_mips["typical"]
        return 100.0 * (1.0 - self.composite_mean_mips["typical"] / p) if p > 0 else 0.0

    #: to_dict(): the ``composite`` object of ``colonykit size --traces --format json``, every entry computed
    _dict_keys = ()

    def _dict_computed(self) -> dict[str, Any]:
        return {
            "servers_matched": len(self.servers_matched),
            "servers_unmatched": len(self.servers_unmatched),
            "unmatched": list(self.servers_unmatched),
            "statistic": self.statistic,
            "sum_of_peaks_mips": self.sum_of_peaks_mips["typical"],
            "composite_peak_mips": self.composite_peak_mips["typical"],
            "composite_p95_mips": self.composite_p95_mips["typical"],
            "engines_peak": self.engines_peak["typical"],
            "engines_composite": self.engines_composite["typical"],
            "non_coincidence_saving_pct": self.non_coincidence_saving_pct,
            "white_space_pct": self.white_space_pct,
            "range": {
                k: {
                    "sum_of_peaks_mips": self.sum_of_peaks_mips[k],
                    "composite_peak_mips": self.composite_peak_mips[k],
                    "engines_peak": self.engines_peak[k],
                    "engines_composite": self.engines_composite[k],
                }
                for k in sizing.BOUNDS
            },
            "notes": list(self.notes),
        }

    def summary(self) -> str:
        """Two lines for the terminal."""
        return (
            f"measured: {len(self.servers_matched)} servers matched, {len(self.servers_unmatched)} "
            f"unmatched; sum of peaks {self.sum_of_peaks_mips['typical']:,.0f} MIPS, composite "
            f"{self.statistic} {self.composite_peak_mips['typical'] if self.statistic == 'peak' else self.composite_p95_mips['typical']:,.0f} MIPS "
            f"(non-coincidence saving {self.non_coincidence_saving_pct:.1f}%)\n"
            f"engines by sum of peaks {self.engines_peak['typical']} -> by composite "
            f"{self.engines_composite['typical']} {self.engines_saved} saved"
        )

    @property
    def engines_saved(self) -> str:
        """'(N engines)' the composite saves at the typical bound."""
        n = self.engines_peak["typical"] - self.engines_composite["typical"]
        return f"({n} engine{'' if n == 1 else 's'})"


def bound_figures(
    composite: dict[str, np.ndarray],
    instance_peaks: dict[str, np.ndarray],
    sizing_res: sizing.SizingResult,
    guests: int,
    uplift_frac: float,
    statistic: str = "peak",
) -> dict[str, dict[str, Any]]:
    """The :class:`MeasuredSizing` figures per bound from the composite series and each instance's peak.

    One implementation for the in-memory and the Dask path: sum of peaks, composite peak / p95 /
    mean, and engines by the sum of peaks and by the composite ``statistic``.

    Parameters
    ----------
    composite : dict of str to numpy.ndarray
        Per bound, the composite MIPS series.
    instance_peaks : dict of str to numpy.ndarray
        Per bound, each instance's peak MIPS.
    sizing_res : SizingResult
        The inventory's sizing (target processor, utilization, CP overhead).
    guests : int
        Number of guests on the LPAR (their idle MIPS).
    uplift_frac : float
        ``u_min``: the smallest class uplift among the guests.
    statistic : {'peak', 'p95'}, default 'peak'
        The composite statistic the engines are sized on.
    """
    out: dict[str, dict[str, Any]] = {
        k: {}
        for k in (
            "sum_of_peaks_mips",
            "composite_peak_mips",
            "composite_p95_mips",
            "composite_mean_mips",
            "engines_peak",
            "engines_composite",
        )
    }
    for b in sizing.BOUNDS:
        comp = np.asarray(composite[b], dtype=float)
        out["sum_of_peaks_mips"][b] = float(np.sum(instance_peaks[b]))
        out["composite_peak_mips"][b] = float(comp.max())
        out["composite_p95_mips"][b] = float(statistic_of(comp[:, None], "p95")[0])
        out["composite_mean_mips"][b] = float(comp.mean())
        stat = (
            out["composite_peak_mips"][b] if statistic == "peak" else out["composite_p95_mips"][b]
        )
        out["engines_peak"][b] = engines_for(
            out["sum_of_peaks_mips"][b], sizing_res, guests, uplift_frac, b
        )
        out["engines_composite"][b] = engines_for(stat, sizing_res, guests, uplift_frac, b)
    return out


def measured_sizing(
    inventory: pd.DataFrame,
    sizing_res: sizing.SizingResult,
    join: Any,
    statistic: str = "peak",
    series_bound: str = "typical",
) -> MeasuredSizing:
    """MIPS series per instance, composite figures and engines (module doc), for one machine.

    ``join`` is a :class:`colonykit.ingest.join.TraceJoin` (``frame`` and ``assignment``);
    ``guest_mips`` and ``instances.peak_mips`` are at ``series_bound``.

    Parameters
    ----------
    inventory : pandas.DataFrame
        A validated inventory.
    sizing_res : SizingResult
        Its sizing (:func:`colonykit.sizing.size_inventory`).
    join : TraceJoin
        The traces joined to the inventory (:func:`colonykit.ingest.join.join_traces`).
    statistic : {'peak', 'p95'}, default 'peak'
        The composite statistic the engines are sized on.
    series_bound : {'low', 'typical', 'high'}, default 'typical'
        Bound of the ``guest_mips`` series.
    """
    if series_bound not in sizing.BOUNDS:
        msg = f"'series_bound' must be one of {list(sizing.BOUNDS)} (got {series_bound!r})"
        raise InputError(msg)
    inst = join.assignment.copy()
    pct = util_pct_matrix(join.frame, inst, inventory)
    factors = mips_per_pct(sizing_res)
    factors = factors[~factors.index.duplicated()]
    uplift = (
        float(sizing_res.servers["nway16_uplift_frac"].min()) if len(sizing_res.servers) else 0.0
    )
    n_guests = len(inst)
    composite: dict[str, np.ndarray] = {}
    peaks: dict[str, np.ndarray] = {}
    typical = None
    for b in sizing.BOUNDS:
        f = factors.loc[inst["server"].astype(str), b].to_numpy(float)
        mips = pct * f[None, :]
        composite[b], peaks[b] = mips.sum(axis=1), mips.max(axis=0)
        if b == series_bound:
            typical = mips
    out = bound_figures(composite, peaks, sizing_res, n_guests, uplift, statistic)
    inst["peak_mips"] = peaks[series_bound]
    names = [
        f"{s}#{k}" if n > 1 else s
        for s, k, n in zip(
            inst["server"], inst["k"], inst.groupby("server")["k"].transform("size"), strict=True
        )
    ]
    inst["column"] = names
    inst.attrs["bound"] = series_bound
    frame = pd.DataFrame(typical, index=join.frame.index, columns=pd.Index(names, name="guest"))
    frame.attrs = {"unit": "mips", "interval_s": join.frame.attrs.get("interval_s")}
    return MeasuredSizing(
        guest_mips=frame,
        instances=inst,
        statistic=statistic,
        uplift_frac=uplift,
        **out,
        servers_matched=list(join.servers_matched),
        servers_unmatched=list(join.servers_unmatched),
        notes=list(join.notes),
    )


__all__ = [
    "Statistic",
    "STATISTICS",
    "CLOCK_MHZ_PER_UNIT",
    "mips_per_pct",
    "capacity_mhz",
    "util_pct_matrix",
    "usable_mips",
    "engines_for",
    "statistic_of",
    "MeasuredSizing",
    "bound_figures",
    "measured_sizing",
]
