"""Capacity over time: growth, the date the colony runs out, and the upgrade plan (seed 003 §2.1.1, §2.5).

Seed 003 §2.1.1 defines capacity planning as measured usage *and projected growth rates*,
modelled to show how to handle the growth; §2.5.1 puts **Time** first among the cost
components ("how far into future, how often are upgrades") and §2.5.2 asks for the
*upgrade granularity*.  :func:`project` takes a built plan and its ``growth:`` section
(:class:`~colonykit.plan.scenario.GrowthModel`) and answers:

* each step's demand — every guest's **own series** grown by its factor, summed per LPAR:
  ``C[t, (step, band, lpar)] = S[t, :] @ W[:, (step, band, lpar)]`` is *one* matrix product
  for the whole projection (the guests' series ``S`` are read once; a step is a column of
  weights, not a re-read or a re-plan);
* each LPAR's composite statistic (peak or p95, as the plan) at each bound, and the engines
  it needs on the MP curve with SMT, CP and idle-guest overhead
  (:func:`colonykit.measured.engines_for`, the plan's own rule), its real storage
  (Σ guest virtual ÷ the overcommit limit the plan is checked against) and paging space
  (:func:`colonykit.paging.paging_space`, the plan's rule), and whether the machine fits
  (:func:`colonykit.machine_limits.max_ifls`);
* the **exhaustion** date of the installed plan (first step where an LPAR needs more engines,
  real storage or paging than installed, and why), the date the **machine's maximum** is
  reached, and the **upgrade schedule** (what to add where, in the upgrade increments, the
  order-by date = need-by − lead time) at the low, typical and high bounds.

Bounds: ``typical`` is the plan as sized (its WLF bound, ``target.sizing_bound``) at the
typical growth rate; ``low`` and ``high`` take the low / high WLF bound with the low /
high growth rate (or the fitted forecast's prediction interval), so the band holds both the
sizing's and the growth's uncertainty.

Growth factors: ``compound`` ``(1 + r/100)^(t/12)``, ``linear`` ``1 + r/100 × t/12`` for an
annual rate ``r`` [%/year] and ``t`` months; the most specific rate wins
(``by_server`` > ``by_class`` > ``by_role`` > ``annual_pct``).  Events change the guest
list: ``add`` copies a server's own series (a new server *like* an existing one carries its
series and growth) or adds an inventory file's servers as flat series at their
``util_peak_pct``; new guests go where they fit at every time step, first fit over the LPARs
(the packing's rule), else onto the LPAR they load least; ``retire`` removes servers,
``scale`` multiplies a role's or class's demand.  ``forecast: fitted`` replaces the rates by
each server's own fitted trend (:mod:`colonykit.trend`, backtested).

Examples
--------
>>> from colonykit import plan
>>> r = plan.build_plan("data/examples/bitbrains_colony.yaml")
>>> cap = project(r)
>>> cap.horizon_months, len(cap.steps), cap.steps[0].fits
(36, 13, True)
>>> cap.exhaustion is not None and cap.exhaustion.month > 0
True
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from colonykit import machine_limits, measured, paging, reference, sizing, trend
from colonykit._dicts import DictMixin
from colonykit.errors import InputError, must_be
from colonykit.plan.scenario import GROWTH_MODEL_VERSION, GrowthModel, GrowthRate, Scenario
from colonykit.units import MIB_PER_GIB

if TYPE_CHECKING:
    from colonykit.plan.assembly import ColonyPlanResult

#: The three bounds of every projected figure.
BANDS: tuple[str, str, str] = ("low", "typical", "high")
#: Engines needed beyond the search (``sizing.MAX_SEARCH_ENGINES``): more than any machine.
BEYOND = sizing.MAX_SEARCH_ENGINES + 1


# --------------------------------------------------------------------------- result types
@dataclass(frozen=True)
class Range(DictMixin):
    """A low / typical / high triple.

    Parameters
    ----------
    low, typical, high : float
        The three bounds.
    """

    low: float
    typical: float
    high: float


@dataclass(frozen=True)
class Upgrade(DictMixin):
    """Capacity to add: when it is needed, when to order it, where, and why.

    Parameters
    ----------
    month : int
        Months after the study start at which the capacity is needed.
    need_by : datetime.date
        The date it must be installed.
    order_by : datetime.date
        ``need_by`` minus the lead time.
    host : str
        Plan host id (``lpar1``), ``new`` for a new LPAR, ``machine`` for the next model.
    add_engines : int
        Engines to add.
    add_memory_gib : float
        Real storage to add [GiB].
    reason : str
        Why (what no longer fits).
    add_paging_gib : float, default 0
        Paging space to add [GiB].
    """

    month: int
    need_by: dt.date
    order_by: dt.date
    host: str
    add_engines: int
    add_memory_gib: float
    reason: str
    add_paging_gib: float = 0.0

    _dict_keys = (
        "month",
        "order_by",
        "need_by",
        "host",
        "add_engines",
        "add_memory_gib",
        "add_paging_gib",
        "reason",
    )


@dataclass(frozen=True)
class ForecastStep(DictMixin):
    """The colony at one step (sums over the LPARs; bounds in :class:`Range`).

    Parameters
    ----------
    month : int
        Months after the study start.
    date : datetime.date
        The step's date.
    guests : int
        Guests after the events up to this step.
    composite_peak_mips : Range
        Peak of the colony's composite MIPS series.
    engines_needed : int
        Engines the LPARs need (typical).
    engines_installed : int
        Engines of the plan as built.
    memory_needed_gib : float
        Real storage the LPARs need (typical) [GiB].
    fits : bool
        The plan as built holds the step (engines, real storage, paging; typical).
    engines_scheduled : int
        Engines after the typical upgrade schedule up to this step.
    sized_mips : Range
        Σ over LPARs of the composite statistic the engines are sized on.
    usable_mips_installed : float
        Σ usable MIPS of the plan as built (typical).
    usable_mips_scheduled : float
        Σ usable MIPS after the typical upgrades.
    memory_installed_gib : float
        Real storage of the plan as built [GiB].
    paging_needed_gib : float
        Paging space the rule asks for (typical, z/VM) [GiB].
    events : tuple of str
        Events that happen at this step.
    """

    month: int
    date: dt.date
    guests: int
    composite_peak_mips: Range
    engines_needed: int
    engines_installed: int
    memory_needed_gib: float
    fits: bool
    engines_scheduled: int = 0
    sized_mips: Range = field(default_factory=lambda: Range(0.0, 0.0, 0.0))
    usable_mips_installed: float = 0.0
    usable_mips_scheduled: float = 0.0
    memory_installed_gib: float = 0.0
    paging_needed_gib: float = 0.0
    events: tuple[str, ...] = ()

    #: the fixed keys of ``colonykit forecast --format json``, in order
    _dict_keys = (
        "month",
        "date",
        "guests",
        "composite_peak_mips",
        "engines_needed",
        "engines_installed",
        "engines_scheduled",
        "memory_needed_gib",
        "memory_installed_gib",
        "paging_needed_gib",
        "sized_mips",
        "usable_mips_installed",
        "usable_mips_scheduled",
        "fits",
        "events",
    )


@dataclass(frozen=True)
class Exhaustion(DictMixin):
    """The first step at which the plan no longer holds, and why.

    Parameters
    ----------
    month : int
        Months after the study start.
    date : datetime.date
        The step's date.
    reason : str
        What no longer fits.
    """

    month: int
    date: dt.date
    reason: str


@dataclass(frozen=True)
class BandDetail:
    """Per step × LPAR figures of one bound (arrays of shape steps × LPARs).

    Parameters
    ----------
    sized_mips : numpy.ndarray
        Composite statistic the engines are sized on [MIPS].
    engines_needed, engines_scheduled : numpy.ndarray
        Engines needed, and installed after the schedule's upgrades.
    memory_needed_gib, memory_scheduled_gib : numpy.ndarray
        Real storage needed and installed after the upgrades [GiB].
    usable_mips_scheduled : numpy.ndarray
        Usable MIPS of the scheduled engines.
    guests : numpy.ndarray
        Guests on each LPAR.
    """

    sized_mips: np.ndarray
    engines_needed: np.ndarray
    engines_scheduled: np.ndarray
    memory_needed_gib: np.ndarray
    memory_scheduled_gib: np.ndarray
    usable_mips_scheduled: np.ndarray
    guests: np.ndarray


@dataclass(frozen=True)
class CapacityPlanResult(DictMixin):
    """Result of :func:`project`: the plan over time (contract for issue 22: names fixed).

    Parameters
    ----------
    start : datetime.date
        Study start (month 0).
    horizon_months : int
        Months projected.
    step_months : int
        Months per step.
    steps : tuple of ForecastStep
        One per step, month 0 first.
    exhaustion : Exhaustion or None
        First step the installed plan no longer holds (typical); None inside the horizon.
    upgrades : tuple of Upgrade
        The typical upgrade schedule.
    upgrades_by_bound : mapping of str to tuple of Upgrade
        The schedule at ``low``, ``typical``, ``high``.
    machine_max : Exhaustion or None
        First step the machine model's maximum (IFLs, or ``machine_max_memory_gib``) is
        exceeded (typical).
    hosts : tuple of str
        LPAR ids (columns of the details).
    details : mapping of str to BandDetail
        Per bound, step × LPAR figures.
    method : str
        ``planned`` or ``fitted``.
    lead_time_months, increment_engines : int
        Upgrade lead time and step.
    increment_memory_gib : float
        Memory upgrade step [GiB].
    processor : str
        Target processor model.
    max_ifls : int
        Most IFLs of the model.
    backtest : trend.Backtest or None
        The backtest of the colony's composite (fitted forecasts).
    growth : GrowthModel or None
        The growth model used.
    notes : tuple of str
        What the projection assumed.
    """

    start: dt.date
    horizon_months: int
    step_months: int
    steps: tuple[ForecastStep, ...]
    exhaustion: Exhaustion | None
    upgrades: tuple[Upgrade, ...]
    upgrades_by_bound: Mapping[str, tuple[Upgrade, ...]]
    machine_max: Exhaustion | None = None
    hosts: tuple[str, ...] = ()
    details: Mapping[str, BandDetail] = field(default_factory=dict)
    method: str = "planned"
    lead_time_months: int = 0
    increment_engines: int = 1
    increment_memory_gib: float = 0.0
    processor: str = ""
    max_ifls: int = 0
    backtest: trend.Backtest | None = None
    growth: GrowthModel | None = None
    notes: tuple[str, ...] = ()

    #: the fixed keys of ``colonykit forecast --format json`` (``backtest`` follows when fitted)
    _dict_keys = (
        "start",
        "horizon_months",
        "step_months",
        "method",
        "processor",
        "max_ifls",
        "lead_time_months",
        "increment_engines",
        "increment_memory_gib",
        "steps",
        "exhaustion",
        "machine_max",
        "upgrades",
        "upgrades_by_bound",
        "notes",
    )

    def _dict_computed(self) -> dict[str, Any]:
        """The schedules of every bound in order, and the backtest when fitted."""
        out: dict[str, Any] = {
            "upgrades_by_bound": {b: self.upgrades_by_bound.get(b, ()) for b in BANDS}
        }
        if self.backtest is not None:
            bt = self.backtest
            out["backtest"] = {
                "holdout_weeks": bt.holdout_weeks,
                "error_pct": bt.error_pct,
                "naive_error_pct": bt.naive_error_pct,
                "actual_weekly_peak_mips": [float(x) for x in bt.actual_peaks],
                "projected_weekly_peak_mips": [float(x) for x in bt.projected_peaks],
                "naive_weekly_peak_mips": [float(x) for x in bt.naive_peaks],
            }
        return out

    def steps_frame(self) -> pd.DataFrame:
        """One row per step: month, date, guests, demand (low/typical/high), engines, memory, fits."""
        return pd.DataFrame(
            [
                {
                    "month": s.month,
                    "date": s.date.isoformat(),
                    "guests": s.guests,
                    "peak_mips_low": s.composite_peak_mips.low,
                    "peak_mips_typical": s.composite_peak_mips.typical,
                    "peak_mips_high": s.composite_peak_mips.high,
                    "engines_needed": s.engines_needed,
                    "engines_installed": s.engines_installed,
                    "engines_scheduled": s.engines_scheduled,
                    "memory_needed_gib": s.memory_needed_gib,
                    "memory_installed_gib": s.memory_installed_gib,
                    "fits": s.fits,
                }
                for s in self.steps
            ]
        )

    def upgrades_frame(self, bound: str = "typical") -> pd.DataFrame:
        """The upgrade schedule of one bound as a table.

        Parameters
        ----------
        bound : {'low', 'typical', 'high'}, default 'typical'
            Which schedule.
        """
        cols = ["order_by", "need_by", "month", "host", "add_engines", "add_memory_gib"]
        cols += ["add_paging_gib", "reason"]
        rows = [u.to_dict() for u in self.upgrades_by_bound.get(bound, ())]
        return pd.DataFrame(rows, columns=cols)

    def summary(self) -> str:
        """The answer for the terminal: exhaustion, machine maximum, the upgrade schedule."""
        s0, last = self.steps[0], self.steps[-1]
        lines = [
            f"capacity plan: {self.horizon_months} months from {self.start.isoformat()} in steps of "
            f"{self.step_months} month(s), {self.method} growth; {self.processor} "
            f"(at most {self.max_ifls} IFLs); lead time {self.lead_time_months} month(s), "
            f"upgrades in steps of {self.increment_engines} engine(s) / {self.increment_memory_gib:g} GiB",
            f"  now: {s0.guests} guests, composite peak {s0.composite_peak_mips.typical:,.0f} MIPS "
            f"(low {s0.composite_peak_mips.low:,.0f}, high {s0.composite_peak_mips.high:,.0f}); "
            f"{s0.engines_needed} engines needed of {s0.engines_installed} installed",
            f"  month {last.month}: {last.guests} guests, composite peak "
            f"{last.composite_peak_mips.typical:,.0f} MIPS (low {last.composite_peak_mips.low:,.0f}, "
            f"high {last.composite_peak_mips.high:,.0f}); {last.engines_needed} engines needed",
        ]
        if self.exhaustion is None:
            lines.append(f"exhaustion: none within {self.horizon_months} months (typical)")
        else:
            e = self.exhaustion
            lines.append(f"EXHAUSTION: {e.date.isoformat()} (month {e.month}): {e.reason}")
        if self.machine_max is not None:
            m = self.machine_max
            lines.append(
                f"machine maximum reached: {m.date.isoformat()} (month {m.month}): {m.reason}"
            )
        else:
            lines.append(f"machine maximum: not reached within {self.horizon_months} months")
        if self.backtest is not None:
            bt = self.backtest
            lines.append(
                f"backtest (last {bt.holdout_weeks} weeks held out): weekly composite peak error "
                f"{bt.error_pct:.1f} % (seasonal-naive {bt.naive_error_pct:.1f} %)"
            )
        for b in BANDS:
            ups = self.upgrades_by_bound.get(b, ())
            lines.append(
                f"upgrade schedule ({b}{', as planned' if b == 'typical' else ''}): "
                + (f"{len(ups)} upgrade(s)" if ups else "none")
            )
            if b != "typical" and ups:
                first = ups[0]
                lines.append(
                    f"  first: order by {first.order_by.isoformat()}, {first.host} "
                    f"+{first.add_engines} engines, +{first.add_memory_gib:g} GiB"
                )
        frame = self.upgrades_frame("typical")
        if len(frame):
            lines.append(
                f"  {'order by':10s}  {'need by':10s}  {'month':>5s}  {'host':8s}  "
                f"{'+engines':>8s}  {'+GiB':>6s}  reason"
            )
            for u in self.upgrades:
                lines.append(
                    f"  {u.order_by.isoformat():10s}  {u.need_by.isoformat():10s}  {u.month:5d}  "
                    f"{u.host:8s}  {u.add_engines:8d}  {u.add_memory_gib:6g}  {u.reason}"
                )
        lines.extend(f"note: {n}" for n in self.notes)
        return "\n".join(lines)


# --------------------------------------------------------------------------- pure functions
def growth_factor(annual_pct: Any, months: Any, model: str = "compound") -> np.ndarray:
    """Demand multiplier after ``months`` at an annual rate [%/year].

    ``compound``: (1 + r/100)^(t/12); ``linear``: 1 + r/100 × t/12 (never below 0).

    Parameters
    ----------
    annual_pct : array_like
        Annual growth rate(s) [%/year].
    months : array_like
        Months after the start.
    model : {'compound', 'linear'}, default 'compound'
        The growth model.

    Examples
    --------
    >>> growth_factor(25.0, [0, 12, 24]).tolist()
    [1.0, 1.25, 1.5625]
    >>> growth_factor(25.0, [0, 12, 24], "linear").tolist()
    [1.0, 1.25, 1.5]
    """
    r = np.asarray(annual_pct, dtype=float) / 100.0
    t = np.asarray(months, dtype=float) / 12.0
    if model == "compound":
        return np.asarray(np.power(1.0 + r, t), dtype=float)
    if model == "linear":
        return np.asarray(np.maximum(1.0 + r * t, 0.0), dtype=float)
    msg = f"'growth.model' must be one of ['compound', 'linear'] (got {model!r})"
    raise InputError(msg)


def guest_rates(
    growth: GrowthModel,
    servers: Sequence[str],
    roles: Sequence[str],
    classes: Sequence[str],
) -> dict[str, np.ndarray]:
    """Each guest's annual rate [%/year] per growth bound; the most specific wins.

    ``by_server`` > ``by_class`` > ``by_role`` > ``annual_pct``.

    Parameters
    ----------
    growth : GrowthModel
        The growth section.
    servers, roles, classes : sequence of str
        Each guest's inventory server, role and workload class.

    Examples
    --------
    >>> from colonykit.plan.scenario import GrowthModel
    >>> g = GrowthModel(annual_pct=10, by_role={"web": 30}, by_server={"db1": 5})
    >>> guest_rates(g, ["a", "b", "db1"], ["app", "web", "web"], ["mixed"] * 3)["typical"].tolist()
    [10.0, 30.0, 5.0]
    """
    out = {}
    for b in BANDS:
        rate = np.full(len(servers), float(getattr(growth.annual_pct, b)))
        for mapping, keys in (
            (growth.by_role, roles),
            (growth.by_class, classes),
            (growth.by_server, servers),
        ):
            for i, k in enumerate(keys):
                r = mapping.get(str(k))
                if r is not None:
                    rate[i] = float(getattr(r, b))
        out[b] = rate
    return out


def add_months(start: dt.date, months: int) -> dt.date:
    """``start`` plus whole months (the day clipped to the month's length).

    Parameters
    ----------
    start : datetime.date
        The date.
    months : int
        Months to add (may be negative).

    Examples
    --------
    >>> add_months(dt.date(2024, 1, 31), 1)
    datetime.date(2024, 2, 29)
    """
    y, m = divmod(start.month - 1 + int(months), 12)
    year, month = start.year + y, m + 1
    last = (dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(start.day, last))


def step_months(horizon_months: int, step: int) -> np.ndarray:
    """Months of the steps: 0, step, 2·step … up to the horizon (the horizon always included).

    Parameters
    ----------
    horizon_months : int
        How far the projection goes.
    step : int
        Months per step.

    Examples
    --------
    >>> step_months(12, 5).tolist()
    [0, 5, 10, 12]
    """
    m = list(range(0, int(horizon_months) + 1, int(step)))
    if m[-1] != horizon_months:
        m.append(int(horizon_months))
    return np.asarray(m, dtype=int)


def round_up(value: float, increment: float) -> float:
    """``value`` rounded up to a whole number of increments (0 stays 0).

    Parameters
    ----------
    value : float
        Amount needed.
    increment : float
        Step size.

    Examples
    --------
    >>> round_up(3, 2), round_up(0.5, 64.0), round_up(0, 4)
    (4, 64.0, 0)
    """
    if value <= 0:
        return type(increment)(0)
    return type(increment)(math.ceil(round(value / increment, 9)) * increment)


def _fmt_list(names: Sequence[str]) -> str:
    return ", ".join(names[:4]) + (f" and {len(names) - 4} more" if len(names) > 4 else "")


def upgrade_schedule(
    engines_needed: np.ndarray,
    memory_needed_gib: np.ndarray,
    engines_installed: Sequence[int],
    memory_installed_gib: Sequence[float],
    months: Sequence[int],
    dates: Sequence[dt.date],
    hosts: Sequence[str],
    *,
    increment_engines: int = 1,
    increment_memory_gib: float = 64.0,
    lead_time_months: int = 3,
    lpar_max_engines: int | None = None,
    machine_max_engines: int | None = None,
    start: dt.date | None = None,
) -> tuple[tuple[Upgrade, ...], np.ndarray, np.ndarray]:
    """The upgrades that keep every LPAR at or above its need at every step.

    Steps are walked in order; where an LPAR needs more engines or real storage than it
    has, it gets the shortfall rounded up to the increments.  An LPAR pushed beyond
    ``lpar_max_engines`` is reported as a ``new`` LPAR, and the first step at which the
    installed total passes ``machine_max_engines`` adds a ``machine`` upgrade (the next
    model or a second machine).

    Parameters
    ----------
    engines_needed : numpy.ndarray
        Steps × LPARs engines needed.
    memory_needed_gib : numpy.ndarray
        Steps × LPARs real storage needed [GiB].
    engines_installed : sequence of int
        Engines of each LPAR at the start.
    memory_installed_gib : sequence of float
        Real storage of each LPAR at the start [GiB].
    months : sequence of int
        Month of each step.
    dates : sequence of datetime.date
        Date of each step.
    hosts : sequence of str
        LPAR ids.
    increment_engines : int, default 1
        Engines per upgrade step.
    increment_memory_gib : float, default 64
        Real storage per upgrade step [GiB].
    lead_time_months : int, default 3
        Months between ordering and having the capacity.
    lpar_max_engines : int, optional
        Most engines one LPAR may have.
    machine_max_engines : int, optional
        Most engines (IFLs) of the machine.
    start : datetime.date, optional
        Study start (an order-by date before it reads "order now").

    Returns
    -------
    upgrades : tuple of Upgrade
        In step order.
    engines_scheduled, memory_scheduled_gib : numpy.ndarray
        Steps × LPARs installed after the upgrades.

    Examples
    --------
    >>> ups, e, m = upgrade_schedule(
    ...     np.array([[2], [3], [5]]), np.zeros((3, 1)), [2], [16.0], [0, 12, 24],
    ...     [dt.date(2025, 1, 1), dt.date(2026, 1, 1), dt.date(2027, 1, 1)], ["lpar1"],
    ...     increment_engines=2)
    >>> [(u.month, u.add_engines, u.order_by.isoformat()) for u in ups]
    [(12, 2, '2025-10-01'), (24, 2, '2026-10-01')]
    >>> e[:, 0].tolist()
    [2, 4, 6]
    """
    need_e = np.asarray(engines_needed, dtype=np.int64)
    need_m = np.asarray(memory_needed_gib, dtype=float)
    inst_e = np.asarray(engines_installed, dtype=np.int64).copy()
    inst_m = np.asarray(memory_installed_gib, dtype=float).copy()
    sched_e = np.zeros_like(need_e)
    sched_m = np.zeros_like(need_m)
    ups: list[Upgrade] = []
    machine_flagged = False
    split: dict[int, str] = {}  # LPAR -> id of the new LPAR that takes its overflow
    n_new = 0
    for s, (month, date) in enumerate(zip(months, dates, strict=True)):
        order_by = add_months(date, -int(lead_time_months))
        late = start is not None and order_by < start
        for h, host in enumerate(hosts):
            add_e = int(round_up(int(need_e[s, h] - inst_e[h]), int(increment_engines)))
            add_m = float(round_up(float(need_m[s, h] - inst_m[h]), float(increment_memory_gib)))
            if add_e <= 0 and add_m <= 0:
                continue
            why = []
            if add_e > 0:
                why.append(f"{host} needs {need_e[s, h]} engines ({inst_e[h]} installed)")
            if add_m > 0:
                why.append(
                    f"{host} needs {need_m[s, h]:,.2f} GiB real storage ({inst_m[h]:g} GiB installed)"
                )
            target = host
            if h in split and add_e > 0:
                target = split[h]
                why.append(f"the engines go to {split[h]}, which took over {host}'s overflow")
            elif (
                lpar_max_engines is not None and add_e > 0 and inst_e[h] + add_e > lpar_max_engines
            ):
                n_new += 1
                split[h] = f"new{n_new}"
                target = "new"
                why.append(
                    f"more than the {lpar_max_engines} engines one LPAR may have: a new LPAR "
                    f"({split[h]}) takes over part of {host}'s guests"
                )
            if late:
                why.append("the lead time has already started: order now")
            inst_e[h] += max(add_e, 0)
            inst_m[h] += max(add_m, 0.0)
            ups.append(
                Upgrade(
                    month=int(month),
                    need_by=date,
                    order_by=order_by,
                    host=target,
                    add_engines=max(add_e, 0),
                    add_memory_gib=max(add_m, 0.0),
                    reason="; ".join(why),
                )
            )
        total = int(inst_e.sum())
        if machine_max_engines is not None and total > machine_max_engines and not machine_flagged:
            machine_flagged = True
            ups.append(
                Upgrade(
                    month=int(month),
                    need_by=date,
                    order_by=order_by,
                    host="machine",
                    add_engines=total - int(machine_max_engines),
                    add_memory_gib=0.0,
                    reason=f"{total} engines exceed the machine's {machine_max_engines}: "
                    "the next model or a second machine",
                )
            )
        sched_e[s] = inst_e
        sched_m[s] = inst_m
    return tuple(ups), sched_e, sched_m


# --------------------------------------------------------------------------- the colony
@dataclass
class _Guests:
    """Guests of the projection (parallel arrays; one row per guest, added guests appended)."""

    server: list[str]
    role: list[str]
    wclass: list[str]
    src: list[int]  # column of the series matrix
    base: dict[str, list[float]]  # per WLF bound: multiplier of the series column
    memory_mib: list[float]
    vdisk_mib: list[float]
    host: list[int]
    first: list[int]  # first step the guest exists
    last: list[int]  # first step it no longer exists (n_steps: never retired)

    def append(self, i: int, **over: Any) -> None:
        """Copy guest ``i`` with some fields replaced."""
        for name in ("server", "role", "wclass", "src", "memory_mib", "vdisk_mib", "host"):
            getattr(self, name).append(over.get(name, getattr(self, name)[i]))
        for b in sizing.BOUNDS:
            self.base[b].append(over.get(f"base_{b}", self.base[b][i]))
        self.first.append(over["first"])
        self.last.append(over["last"])

    def __len__(self) -> int:
        return len(self.server)


def _extra(result: Any, name: str) -> Any:
    """A plan result's typed field, or the same item of ``extras`` (before issue 27)."""
    value = getattr(result, name, None)
    if value is None:
        value = (getattr(result, "extras", None) or {}).get(name)
    return value


def _start_date(scen: Scenario, growth: GrowthModel, index: Any) -> tuple[dt.date, str]:
    if growth.start:
        return dt.date.fromisoformat(growth.start), "growth.start"
    if isinstance(index, pd.DatetimeIndex) and len(index):
        end = index[-1]
        return add_months(
            dt.date(end.year, end.month, 1), 1
        ), "the first of the month after the traces end"
    if scen.metadata.date:
        return dt.date.fromisoformat(scen.metadata.date), "metadata.date"
    today = dt.date.today()
    return dt.date(
        today.year, today.month, 1
    ), "this month (set growth.start for a reproducible plan)"


def _sized(result: ColonyPlanResult) -> sizing.SizingResult:
    """The plan's WLF sizing (:func:`project` returns early for a plan without one)."""
    if result.sizing is None:  # pragma: no cover - project() checks first
        msg = "the capacity plan needs a plan sized from an inventory"
        raise InputError(msg)
    return result.sizing


def _colony(result: ColonyPlanResult) -> tuple[np.ndarray, _Guests, Any, float]:
    """Series matrix (time × columns, last column all ones), guests, time index, uplift."""
    sz = _sized(result)
    plan = result.plan
    meas = _extra(result, "measured")
    place = _extra(result, "placement")
    servers = sz.servers.drop_duplicates("server")
    servers.index = pd.Index(servers["server"].astype(str))
    vdisk = {
        g.name: float(sum(s.size_mib or 0 for s in g.storage if s.kind == "vdisk"))
        for _h, g in plan.guests()
    }
    if meas is not None and place is not None:
        series = meas.guest_mips.to_numpy(dtype=np.float64)
        index = meas.guest_mips.index
        queues = {hi: list(h.guests) for hi, h in enumerate(plan.hosts)}
        ordered = [queues[int(h)].pop(0) for h in place.host_of]
        inst = meas.instances
        names = inst["server"].astype(str).tolist()
        per_pct = measured.mips_per_pct(sz)
        per_pct = per_pct[~per_pct.index.duplicated()]
        sb = str(inst.attrs.get("bound", result.scenario.target.sizing_bound))
        ref = per_pct.loc[names, sb].to_numpy(float)
        base = {
            b: list(
                np.where(
                    ref > 0,
                    per_pct.loc[names, b].to_numpy(float) / np.where(ref > 0, ref, 1.0),
                    1.0,
                )
            )
            for b in sizing.BOUNDS
        }
        src = list(range(series.shape[1]))
        hosts = [int(h) for h in place.host_of]
        uplift = float(meas.uplift_frac)
    else:
        index = None
        ordered = [g for _h, g in plan.guests()]
        hosts = [hi for hi, h in enumerate(plan.hosts) for _g in h.guests]
        names = [g.source_server for g in ordered]
        series = np.zeros((1, 0))
        base = {b: [float(servers.loc[n, f"mips_{b}"]) for n in names] for b in sizing.BOUNDS}
        src = [0] * len(ordered)
        uplift = float(sz.servers["nway16_uplift_frac"].min()) if len(sz.servers) else 0.0
    ones = np.ones((max(series.shape[0], 1), 1))
    matrix = np.hstack([series, ones]) if series.shape[1] else ones
    if not series.shape[1]:
        src = [0] * len(ordered)
    guests = _Guests(
        server=names,
        role=[str(servers.loc[n, "role"]) if "role" in servers else "" for n in names],
        wclass=[str(servers.loc[n, "workload_class"]) for n in names],
        src=src,
        base=base,
        memory_mib=[float(g.memory_mib) for g in ordered],
        vdisk_mib=[vdisk.get(g.name, 0.0) for g in ordered],
        host=hosts,
        first=[0] * len(ordered),
        last=[0] * len(ordered),
    )
    return matrix, guests, index, uplift


@dataclass(frozen=True)
class _Setup:
    """What every band shares."""

    scen: Scenario
    growth: GrowthModel
    months: np.ndarray
    dates: list[dt.date]
    hosts: list[str]
    wlf: dict[str, str]  # band -> WLF bound
    statistic: str
    uplift: float
    ratio: list[float]  # overcommit limit per host
    installed_e: list[int]
    installed_m: list[float]
    installed_p: list[float]
    platform: str
    curves: dict[tuple[int, str], np.ndarray] = field(default_factory=dict)  # usable MIPS by n


def _curve(setup: _Setup, sz: Any, guests: int, bound: str) -> np.ndarray:
    """:func:`colonykit.measured.usable_mips` for n = 1 … ``sizing.MAX_SEARCH_ENGINES``, cached.

    The LPAR's guest count changes only at events, so a projection evaluates a handful of
    curves instead of one per step, bound and LPAR (the dashboard's growth control stays live).
    """
    key = (int(guests), bound)
    if key not in setup.curves:
        n = np.arange(1, sizing.MAX_SEARCH_ENGINES + 1)
        setup.curves[key] = measured.usable_mips(n, sz, int(guests), setup.uplift, bound)
    return setup.curves[key]


def _usable(setup: _Setup, sz: Any, n: int, guests: int, bound: str) -> float:
    """Usable MIPS of ``n`` engines (:func:`colonykit.measured.usable_mips`)."""
    top = sizing.MAX_SEARCH_ENGINES
    return float(_curve(setup, sz, guests, bound)[min(max(int(n), 1), top) - 1])


def _engines(setup: _Setup, sz: Any, demand: float, guests: int, bound: str) -> int:
    """:func:`colonykit.measured.engines_for` on the cached curve (the same rule and tolerance);
    BEYOND when no machine holds the demand."""
    ok = np.flatnonzero(_curve(setup, sz, guests, bound) >= demand * (1 - 1e-12))
    return int(ok[0]) + 1 if ok.size else BEYOND


def _step_of(months: np.ndarray, month: int) -> int:
    """First step whose month is >= ``month`` (len(months) when beyond the horizon)."""
    return int(np.searchsorted(months, month, side="left"))


def _events(
    result: ColonyPlanResult,
    setup: _Setup,
    guests: _Guests,
    matrix: np.ndarray,
    factors: dict[str, np.ndarray],
    scale: list[np.ndarray],
) -> tuple[np.ndarray, dict[str, np.ndarray], list[np.ndarray], dict[int, list[str]]]:
    """Apply the events in month order: new guests (placed), retirements, scaling."""
    n_steps = len(setup.months)
    notes: dict[int, list[str]] = {}
    growth = setup.growth
    sz = _sized(result)
    where = result.scenario.source or "scenario"
    known = sorted(set(guests.server))
    for i, ev in sorted(enumerate(growth.events), key=lambda p: (p[1].month, p[0])):
        s = _step_of(setup.months, ev.month)
        if s >= n_steps:
            continue
        notes.setdefault(s, []).append(ev.name)
        if ev.retire is not None:
            for name in ev.retire:
                if name not in known:
                    raise InputError(
                        must_be(
                            f"growth.events[{i}].retire",
                            f"servers of the inventory ({_fmt_list(known)})",
                            name,
                            where,
                        )
                    )
            for g in range(len(guests)):
                if guests.server[g] in ev.retire:
                    guests.last[g] = min(guests.last[g], s)
        elif ev.scale is not None:
            key, col = (
                (ev.role, guests.role)
                if ev.role is not None
                else (ev.workload_class, guests.wclass)
            )
            hit = [g for g in range(len(guests)) if col[g] == key]
            if not hit:
                field_name = "role" if ev.role is not None else "workload_class"
                raise InputError(
                    must_be(
                        f"growth.events[{i}].{field_name}", f"one of {sorted(set(col))}", key, where
                    )
                )
            for g in hit:
                scale[g][s:] *= float(ev.scale)
        else:
            new = _new_guests(result, setup, guests, i, ev, s, n_steps, known, where)
            matrix, factors = _place_new(sz, setup, guests, matrix, factors, scale, new, s)
    return matrix, factors, scale, notes


def _new_guests(
    result: ColonyPlanResult,
    setup: _Setup,
    guests: _Guests,
    i: int,
    ev: Any,
    s: int,
    n_steps: int,
    known: list[str],
    where: str,
) -> list[int]:
    """Append an ``add`` event's guests (host -1: not placed yet); their indices."""
    start = len(guests)
    if ev.like is not None:
        if ev.like not in known:
            raise InputError(
                must_be(
                    f"growth.events[{i}].like",
                    f"a server of the inventory ({_fmt_list(known)})",
                    ev.like,
                    where,
                )
            )
        tmpl = guests.server.index(ev.like)
        for _k in range(int(ev.add)):
            guests.append(tmpl, first=s, last=n_steps, host=-1)
        return list(range(start, len(guests)))
    from colonykit.ingest import read_inventory
    from colonykit.plan.assembly import guest_rows

    scen = result.scenario
    inv, _meta = read_inventory(scen.resolve(ev.inventory))
    opts = _sized(result).options
    # sized on the plan's own assumptions (all of them: the basis and the reference class set
    # each server's MIPS), so a server added by the event is sized like the plan's servers
    sz_new = sizing.size_inventory(inv, scen.target.processor, opts)
    rows = guest_rows(scen, inv, sz_new)
    mips = {
        b: dict(
            zip(
                sz_new.servers["server"].astype(str),
                sz_new.servers[f"mips_{b}"].astype(float),
                strict=True,
            )
        )
        for b in sizing.BOUNDS
    }
    vdisk = guests.vdisk_mib[0] if len(guests) else 0.0
    ones = -1  # the all-ones column (last)
    memory = rows["memory_mib"].to_numpy(dtype=float)
    for i, (server, role, wclass) in enumerate(
        zip(
            rows["server"].astype(str),
            rows["role"].astype(str),
            rows["workload_class"].astype(str),
            strict=True,
        )
    ):
        guests.server.append(server)
        guests.role.append(role)
        guests.wclass.append(wclass)
        guests.src.append(ones)
        for b in sizing.BOUNDS:
            guests.base[b].append(mips[b][server])
        guests.memory_mib.append(float(memory[i]))
        guests.vdisk_mib.append(vdisk)
        guests.host.append(-1)
        guests.first.append(s)
        guests.last.append(n_steps)
    return list(range(start, len(guests)))


def _place_new(
    sz: Any,
    setup: _Setup,
    guests: _Guests,
    matrix: np.ndarray,
    factors: dict[str, np.ndarray],
    scale: list[np.ndarray],
    new: list[int],
    s: int,
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """First fit of the new guests over the LPARs at step ``s`` (typical), every time step."""
    growth = setup.growth
    rates = guest_rates(
        growth,
        [guests.server[g] for g in new],
        [guests.role[g] for g in new],
        [guests.wclass[g] for g in new],
    )
    if setup.growth.forecast == "planned":
        for b in BANDS:
            f = growth_factor(rates[b][:, None], setup.months[None, :], growth.model)
            factors[b] = np.vstack([factors[b], f])
    else:  # fitted: a copy carries its template's fitted factors; a new flat server stays flat
        for b in BANDS:
            rows = [
                factors[b][guests.src.index(guests.src[g])]
                if guests.src[g] >= 0
                else np.ones(len(setup.months))
                for g in new
            ]
            factors[b] = np.vstack([factors[b], *rows])
    for _g in new:
        scale.append(np.ones(len(setup.months)))
    wb = setup.wlf["typical"]
    n_hosts = len(setup.hosts)
    col = np.array([g if g >= 0 else matrix.shape[1] - 1 for g in guests.src], dtype=int)
    active = [
        g
        for g in range(len(guests))
        if guests.host[g] >= 0 and guests.first[g] <= s < guests.last[g]
    ]
    weight = np.zeros((matrix.shape[1], n_hosts))
    mem = np.zeros(n_hosts)
    count = np.zeros(n_hosts, dtype=int)
    for g in active:
        w = factors["typical"][g, s] * scale[g][s] * guests.base[wb][g]
        weight[col[g], guests.host[g]] += w
        mem[guests.host[g]] += guests.memory_mib[g] * (
            factors["typical"][g, s] if growth.grow_memory else 1.0
        )
        count[guests.host[g]] += 1
    comp = matrix @ weight
    for g in new:
        x = matrix[:, col[g]] * factors["typical"][g, s] * scale[g][s] * guests.base[wb][g]
        m = guests.memory_mib[g] * (factors["typical"][g, s] if growth.grow_memory else 1.0)
        usable = np.array(
            [_usable(setup, sz, setup.installed_e[h], count[h] + 1, wb) for h in range(n_hosts)]
        )
        peaks = (comp + x[:, None]).max(axis=0)
        mem_ok = (mem + m) <= np.asarray(setup.installed_m) * MIB_PER_GIB * np.asarray(
            setup.ratio
        ) + 1e-6
        fits = np.flatnonzero((peaks <= usable * (1 + 1e-12)) & mem_ok)
        h = int(fits[0]) if fits.size else int(np.argmin(peaks / np.maximum(usable, 1e-9)))
        guests.host[g] = h
        comp[:, h] += x
        mem[h] += m
        count[h] += 1
    return matrix, factors


def _fitted_factors(
    result: ColonyPlanResult, setup: _Setup, guests: _Guests, index: Any, matrix: np.ndarray
) -> tuple[dict[str, np.ndarray], trend.Backtest, list[str]]:
    """Each guest's fitted growth (per bound) and the backtest of the colony's composite."""
    growth = setup.growth
    if index is None:
        msg = f"{result.scenario.source or 'scenario'}: 'growth.forecast: fitted' needs the servers' traces (a 'traces' section)"
        raise InputError(msg)
    stat = setup.statistic
    composite = pd.Series(matrix[:, :-1].sum(axis=1), index=index, name="the colony's composite")
    comp_fit = trend.fit_history(composite, growth.horizon_months, statistic=stat)
    n_steps = len(setup.months)
    factors = {b: np.ones((len(guests), n_steps)) for b in BANDS}
    fits: dict[bytes, dict[str, np.ndarray]] = {}
    tests: list[trend.Backtest] = []
    flat = 0
    for g in range(len(guests)):
        col = matrix[:, guests.src[g]]
        key = col.tobytes()
        if key not in fits:
            if float(np.ptp(col)) == 0.0:
                fits[key] = {b: np.ones(n_steps) for b in BANDS}
                flat += 1
            else:
                fit = trend.fit_history(
                    pd.Series(col, index=index),
                    growth.horizon_months,
                    statistic=stat,
                    name=guests.server[g],
                )
                fits[key] = fit.growth_factors(setup.months.astype(float))
                tests.append(fit.backtest)
        factors["typical"][g] = fits[key]["typical"]
    # per-server intervals do not add up to the colony's: low / high scale each server's
    # typical path by the relative prediction interval of the colony's own composite fit
    comp = comp_fit.weekly_peak_at(setup.months.astype(float))
    ref = np.where(comp["typical"] > 0, comp["typical"], 1.0)
    for b in ("low", "high"):
        rel = np.where(setup.months > 0, comp[b] / ref, 1.0)
        factors[b] = factors["typical"] * rel[None, :]
    notes = [
        f"fitted growth: ETS (additive error, damped additive trend, weekly season) on each "
        f"server's daily {stat} ({len(fits)} distinct series, {flat} flat), each backtested; "
        f"low / high = each server's path scaled by the "
        f"{reference.constant('forecast_interval_pct'):g} % prediction interval of the colony's "
        "composite fit; memory never shrinks with a fitted trend",
    ]
    if tests:
        err = [t.error_pct for t in tests if np.isfinite(t.error_pct)]
        naive = [t.naive_error_pct for t in tests if np.isfinite(t.naive_error_pct)]
        wins = sum(t.beats_naive for t in tests)
        notes.append(
            f"per-server backtests (last {tests[0].holdout_weeks} weeks held out): the fit beats "
            f"the seasonal-naive forecast for {wins} of {len(tests)} servers; median weekly-peak "
            f"error {np.median(err) if err else float('nan'):.1f} % (seasonal-naive "
            f"{np.median(naive) if naive else float('nan'):.1f} %)"
        )
    return factors, comp_fit.backtest, notes


def project(plan_result: ColonyPlanResult, growth: GrowthModel | None = None) -> CapacityPlanResult:
    """Project the colony over the growth horizon: exhaustion, machine maximum, upgrades.

    Parameters
    ----------
    plan_result : ColonyPlanResult
        A built z/VM plan (:func:`colonykit.plan.build_plan`).
    growth : GrowthModel, optional
        Default: the scenario's ``growth:`` section (no section: 0 %/year, with a note).

    Returns
    -------
    CapacityPlanResult

    Raises
    ------
    InputError
        Unknown servers, roles or classes in the events; a Xen plan; a fitted forecast on
        too short a history.

    Examples
    --------
    >>> from colonykit import plan
    >>> from colonykit.plan.scenario import GrowthModel
    >>> r = plan.build_plan("data/examples/scenario.yaml")
    >>> cap = project(r, GrowthModel(annual_pct=0))
    >>> cap.exhaustion is None, cap.upgrades
    (True, ())
    """
    result = plan_result
    scen = result.scenario
    notes: list[str] = []
    if growth is None:
        growth = scen.growth
    if growth is None:
        growth = GrowthModel()
        notes.append("no growth: section in the scenario: 0 %/year assumed (set growth.annual_pct)")
    plan = result.plan
    if plan.metadata.platform != "zvm" or result.sizing is None:
        msg = f"{scen.source or 'scenario'}: a capacity forecast needs a z/VM plan sized in MIPS (got platform {plan.metadata.platform})"
        raise InputError(msg)
    matrix, guests, index, uplift = _colony(result)
    months = step_months(growth.horizon_months, growth.step_months)
    n_steps = len(months)
    start, start_source = _start_date(scen, growth, index)
    notes.append(f"study start {start.isoformat()} ({start_source})")
    guests.last = [n_steps] * len(guests)
    sb = scen.target.sizing_bound
    setup = _Setup(
        scen=scen,
        growth=growth,
        months=months,
        dates=[add_months(start, int(m)) for m in months],
        hosts=[h.id for h in plan.hosts],
        wlf={"low": "low", "typical": sb, "high": "high"},
        statistic=scen.target.composite_statistic
        if _extra(result, "measured") is not None
        else "peak",
        uplift=uplift,
        ratio=[float(h.rules.max_memory_overcommit_ratio) for h in plan.hosts],
        installed_e=[int(h.capacity.cpus) for h in plan.hosts],
        installed_m=[float(h.capacity.memory_gib) for h in plan.hosts],
        installed_p=[float(h.capacity.paging_gib) for h in plan.hosts],
        platform=plan.metadata.platform,
    )
    backtest = None
    if growth.forecast == "fitted":
        factors, backtest, more = _fitted_factors(result, setup, guests, index, matrix)
        notes += more
    else:
        rates = guest_rates(growth, guests.server, guests.role, guests.wclass)
        factors = {
            b: growth_factor(rates[b][:, None], months[None, :], growth.model) for b in BANDS
        }
    scale = [np.ones(n_steps) for _g in range(len(guests))]
    matrix, factors, scale, event_notes = _events(result, setup, guests, matrix, factors, scale)
    return _answers(
        result, setup, guests, matrix, factors, scale, event_notes, start, backtest, notes
    )


def _answers(
    result: ColonyPlanResult,
    setup: _Setup,
    guests: _Guests,
    matrix: np.ndarray,
    factors: dict[str, np.ndarray],
    scale: list[np.ndarray],
    event_notes: dict[int, list[str]],
    start: dt.date,
    backtest: trend.Backtest | None,
    notes: list[str],
) -> CapacityPlanResult:
    sz = _sized(result)
    growth = setup.growth
    n_steps, n_hosts, n_guests = len(setup.months), len(setup.hosts), len(guests)
    steps_idx = np.arange(n_steps)
    first = np.asarray(guests.first)[:, None]
    last = np.asarray(guests.last)[:, None]
    active = (steps_idx[None, :] >= first) & (steps_idx[None, :] < last)  # guests × steps
    mult = active * np.vstack(scale)
    host = np.asarray(guests.host, dtype=int)
    col = np.array([g if g >= 0 else matrix.shape[1] - 1 for g in guests.src], dtype=int)
    # W[column, step, band, host (+ colony)]: the whole projection is one matrix product
    weights = np.zeros((matrix.shape[1], n_steps, len(BANDS), n_hosts + 1))
    for k, b in enumerate(BANDS):
        base = np.asarray(guests.base[setup.wlf[b]], dtype=float)[:, None]
        w = mult * factors[b] * base  # guests × steps
        for h in range(n_hosts):
            on = host == h
            np.add.at(weights[:, :, k, h], col[on], w[on])
        np.add.at(weights[:, :, k, n_hosts], col, w)
    comp = matrix @ weights.reshape(matrix.shape[1], -1)
    comp = comp.reshape(matrix.shape[0], n_steps, len(BANDS), n_hosts + 1)
    peak = comp.max(axis=0)  # steps × bands × (hosts + 1)
    flat = comp[..., :n_hosts].reshape(matrix.shape[0], -1)
    stat = measured.statistic_of(flat, setup.statistic).reshape(n_steps, len(BANDS), n_hosts)
    onehot = np.zeros((n_guests, n_hosts))
    onehot[np.arange(n_guests), host] = 1.0
    count = np.rint(active.T.astype(float) @ onehot).astype(int)  # steps × hosts
    mem_f = {
        b: (
            (np.maximum(factors[b], 1.0) if growth.forecast == "fitted" else factors[b])
            if growth.grow_memory
            else np.ones_like(factors[b])
        )
        for b in BANDS
    }
    mem = np.asarray(guests.memory_mib)[:, None]
    vdisk_mib = (active * np.asarray(guests.vdisk_mib)[:, None]).T @ onehot
    lead = int(
        growth.lead_time_months
        if growth.lead_time_months is not None
        else reference.constant("forecast_lead_time_months")
    )
    inc_e = int(growth.increment_engines or reference.constant("forecast_increment_engines"))
    inc_m = float(
        growth.increment_memory_gib or reference.constant("forecast_increment_memory_gib")
    )
    max_ifls, _src = machine_limits.max_ifls(result.scenario.target.processor)
    lpar_max = int(
        reference.constant(
            "zvm_max_logical_cores_smt" if sz.options.smt else "zvm_max_logical_processors"
        )
    )
    ratio = np.asarray(setup.ratio)
    details: dict[str, BandDetail] = {}
    schedules: dict[str, tuple[Upgrade, ...]] = {}
    for k, b in enumerate(BANDS):
        wb = setup.wlf[b]
        need_e = np.array(
            [
                [
                    _engines(setup, sz, float(stat[s, k, h]), int(count[s, h]), wb)
                    for h in range(n_hosts)
                ]
                for s in range(n_steps)
            ],
            dtype=np.int64,
        )
        virt = (active * mem_f[b] * mem).T @ onehot  # steps × hosts [MiB]
        need_m = np.round(virt / ratio[None, :] / MIB_PER_GIB, 3)
        ups, sched_e, sched_m = upgrade_schedule(
            need_e,
            need_m,
            setup.installed_e,
            setup.installed_m,
            setup.months.tolist(),
            setup.dates,
            setup.hosts,
            increment_engines=inc_e,
            increment_memory_gib=inc_m,
            lead_time_months=lead,
            lpar_max_engines=lpar_max,
            machine_max_engines=max_ifls,
            start=start,
        )
        usable = np.array(
            [
                [
                    _usable(setup, sz, int(sched_e[s, h]), int(count[s, h]), wb)
                    for h in range(n_hosts)
                ]
                for s in range(n_steps)
            ]
        )
        details[b] = BandDetail(
            sized_mips=stat[:, k, :],
            engines_needed=need_e,
            engines_scheduled=sched_e,
            memory_needed_gib=need_m,
            memory_scheduled_gib=sched_m,
            usable_mips_scheduled=usable,
            guests=count,
        )
        schedules[b] = ups
    typ = details["typical"]
    wt = setup.wlf["typical"]
    paging_need = np.zeros((n_steps, n_hosts))
    rules = paging.paging_rules()  # read once, not per step
    virt_t = (active * mem_f["typical"] * mem).T @ onehot
    for s in range(n_steps):
        for h in range(n_hosts):
            paging_need[s, h] = paging.paging_space(
                float(virt_t[s, h]),
                max(float(typ.memory_scheduled_gib[s, h]), 1e-3) * MIB_PER_GIB,
                vdisk_mib=float(vdisk_mib[s, h]),
                rule=result.scenario.rules.paging_rule,
                rules=rules,
            ).paging_gib
    inst_e = np.asarray(setup.installed_e)
    inst_m = np.asarray(setup.installed_m)
    inst_p = np.asarray(setup.installed_p)
    usable_inst = np.array(
        [
            [_usable(setup, sz, int(inst_e[h]), int(count[s, h]), wt) for h in range(n_hosts)]
            for s in range(n_steps)
        ]
    )
    paging_given = result.scenario.target.paging_gib_per_host is not None
    exhaustion = None
    machine_max = None
    steps = []
    for s in range(n_steps):
        why = []
        for h, hid in enumerate(setup.hosts):
            if typ.engines_needed[s, h] > inst_e[h]:
                why.append(
                    f"{hid} needs {_n(typ.engines_needed[s, h])} engines ({inst_e[h]} installed): "
                    f"composite {setup.statistic} {typ.sized_mips[s, h]:,.0f} MIPS > "
                    f"{usable_inst[s, h]:,.0f} usable"
                )
            if typ.memory_needed_gib[s, h] > inst_m[h] + 1e-9:
                why.append(
                    f"{hid} needs {typ.memory_needed_gib[s, h]:,.2f} GiB real storage "
                    f"({inst_m[h]:g} GiB installed, overcommit limit {ratio[h]:g}:1)"
                )
            if paging_given and paging_need[s, h] > inst_p[h] + 1e-9:
                why.append(f"{hid} needs {paging_need[s, h]:,.1f} GiB paging ({inst_p[h]:g} GiB)")
        if why and exhaustion is None:
            exhaustion = Exhaustion(int(setup.months[s]), setup.dates[s], "; ".join(why))
        total = int(typ.engines_needed[s].sum())
        mem_total = float(typ.memory_needed_gib[s].sum())
        if machine_max is None and (
            total > max_ifls
            or (
                growth.machine_max_memory_gib is not None
                and mem_total > growth.machine_max_memory_gib
            )
        ):
            reason = (
                f"{_n(total)} engines needed; a {sz.processor.model} has at most {max_ifls} IFLs"
                if total > max_ifls
                else f"{mem_total:,.0f} GiB real storage needed; the machine has at most {growth.machine_max_memory_gib:g} GiB"
            )
            machine_max = Exhaustion(
                int(setup.months[s]),
                setup.dates[s],
                reason + ": the next model or a second machine",
            )
        steps.append(
            ForecastStep(
                month=int(setup.months[s]),
                date=setup.dates[s],
                guests=int(count[s].sum()),
                composite_peak_mips=Range(*(float(peak[s, k, n_hosts]) for k in range(3))),
                engines_needed=total,
                engines_installed=int(inst_e.sum()),
                memory_needed_gib=round(mem_total, 3),
                fits=not why,
                engines_scheduled=int(typ.engines_scheduled[s].sum()),
                sized_mips=Range(*(float(details[b].sized_mips[s].sum()) for b in BANDS)),
                usable_mips_installed=float(usable_inst[s].sum()),
                usable_mips_scheduled=float(typ.usable_mips_scheduled[s].sum()),
                memory_installed_gib=float(inst_m.sum()),
                paging_needed_gib=round(float(paging_need[s].sum()), 3),
                events=tuple(event_notes.get(s, ())),
            )
        )
    if growth.forecast == "planned":
        a = growth.annual_pct
        notes.append(
            f"{growth.model} growth, {a.low:g} / {a.typical:g} / {a.high:g} %/year low / typical / high"
            + (
                f"; by role {len(growth.by_role)}, class {len(growth.by_class)}, server {len(growth.by_server)}"
                if growth.by_role or growth.by_class or growth.by_server
                else ""
            )
        )
    spread = "growth rates" if growth.forecast == "planned" else "prediction interval"
    notes.append(
        f"bounds: typical = WLF {setup.wlf['typical']} at the typical growth; low / high = WLF low / high "
        f"with the low / high {spread}; engines by colonykit.measured.engines_for (MP effect, SMT, "
        "CP and idle-guest overhead)"
    )
    return CapacityPlanResult(
        start=start,
        horizon_months=int(growth.horizon_months),
        step_months=int(growth.step_months),
        steps=tuple(steps),
        exhaustion=exhaustion,
        upgrades=schedules["typical"],
        upgrades_by_bound=schedules,
        machine_max=machine_max,
        hosts=tuple(setup.hosts),
        details=details,
        method=growth.forecast,
        lead_time_months=lead,
        increment_engines=inc_e,
        increment_memory_gib=inc_m,
        processor=sz.processor.model,
        max_ifls=int(max_ifls),
        backtest=backtest,
        growth=growth,
        notes=tuple(notes),
    )


# --------------------------------------------------------------------------- the plan document
def _doc_range(r: Range) -> Any:
    from colonykit.plan.document import CapacityRange

    return CapacityRange(low=round(r.low, 3), typical=round(r.typical, 3), high=round(r.high, 3))


def _doc_upgrades(ups: Sequence[Upgrade]) -> list[Any]:
    from colonykit.plan.document import CapacityUpgrade

    return [
        CapacityUpgrade(
            month=u.month,
            need_by=u.need_by,
            order_by=u.order_by,
            host=u.host,
            add_engines=u.add_engines,
            add_memory_gib=round(u.add_memory_gib, 3),
            reason=u.reason,
        )
        for u in ups
    ]


def plan_section(cap: CapacityPlanResult) -> Any:
    """The plan document's ``capacity_plan`` section of a projection (figures rounded to 0.001).

    Parameters
    ----------
    cap : CapacityPlanResult
        The projection.

    Returns
    -------
    colonykit.plan.document.CapacityPlan
    """
    from colonykit.plan.document import (
        CapacityBacktest,
        CapacityExhaustion,
        CapacityPlan,
        CapacityStep,
    )

    growth = cap.growth or GrowthModel()

    def exh(e: Exhaustion | None) -> Any:
        return (
            None if e is None else CapacityExhaustion(month=e.month, date=e.date, reason=e.reason)
        )

    a = growth.annual_pct
    return CapacityPlan(
        growth_model_version=GROWTH_MODEL_VERSION,
        method=cap.method,
        model=growth.model,
        annual_pct=_doc_range(Range(a.low, a.typical, a.high)),
        start=cap.start,
        horizon_months=cap.horizon_months,
        step_months=cap.step_months,
        lead_time_months=cap.lead_time_months,
        increment_engines=cap.increment_engines,
        increment_memory_gib=cap.increment_memory_gib,
        steps=[
            CapacityStep(
                month=s.month,
                date=s.date,
                guests=s.guests,
                composite_peak_mips=_doc_range(s.composite_peak_mips),
                engines_needed=min(s.engines_needed, 10**9),
                engines_installed=s.engines_installed,
                engines_scheduled=s.engines_scheduled,
                memory_needed_gib=round(s.memory_needed_gib, 3),
                memory_installed_gib=round(s.memory_installed_gib, 3),
                fits=s.fits,
            )
            for s in cap.steps
        ],
        exhaustion=exh(cap.exhaustion),
        machine_max=exh(cap.machine_max),
        upgrades=_doc_upgrades(cap.upgrades),
        upgrades_low=_doc_upgrades(cap.upgrades_by_bound.get("low", ())),
        upgrades_high=_doc_upgrades(cap.upgrades_by_bound.get("high", ())),
        backtest=None
        if cap.backtest is None
        else CapacityBacktest(
            holdout_weeks=cap.backtest.holdout_weeks,
            error_pct=round(cap.backtest.error_pct, 3),
            naive_error_pct=round(cap.backtest.naive_error_pct, 3),
        ),
        notes=list(cap.notes),
    )


def attach(plan_result: ColonyPlanResult, cap: CapacityPlanResult) -> ColonyPlanResult:
    """The plan result with the projection: ``capacity_plan`` field and document section.

    Parameters
    ----------
    plan_result : ColonyPlanResult
        The built plan.
    cap : CapacityPlanResult
        Its projection (:func:`project`).
    """
    doc = plan_result.plan.model_copy(update={"capacity_plan": plan_section(cap)})
    return replace(plan_result, plan=doc, capacity_plan=cap)


def _n(engines: int) -> str:
    """An engine count, or 'more than N' for BEYOND."""
    return f"more than {sizing.MAX_SEARCH_ENGINES}" if engines >= BEYOND else str(int(engines))


__all__ = [
    "BANDS",
    "GROWTH_MODEL_VERSION",
    "BandDetail",
    "CapacityPlanResult",
    "Exhaustion",
    "ForecastStep",
    "GrowthModel",
    "GrowthRate",
    "Range",
    "Upgrade",
    "add_months",
    "attach",
    "plan_section",
    "growth_factor",
    "guest_rates",
    "project",
    "round_up",
    "step_months",
    "upgrade_schedule",
]
