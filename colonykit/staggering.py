"""Staggering of movable peaks: move batch windows so the composite peak falls (seed 003 §2.3).

SG24-6299 §2.3 (Figure 2-5): the peaks of 30+ servers "are identified as database
backups that are all scheduled at the same time on the distributed solution, but
can be staggered to reduce the peaks on the consolidated machine".  This module
models such *movable work*:

* a :class:`MovableWindow` per job — the server, where the job starts now, how
  long it runs, the earliest and latest allowed start (e.g. a backup that may
  start anywhere in 00:00–06:00) and, optionally, its recurrence (daily);
* :func:`detect_spikes` finds recurring spikes in the traces (documented
  thresholds in ``constants_packing.csv``);
* :func:`stagger` chooses one shift per job so that the composite peak is as low
  as possible, and never higher than before (shift 0 is always allowed, and the
  original schedule is kept if nothing better is found).

The movable part of a job is the demand above the server's *baseline* (default:
the server's median) during the job's steps; moving the job by ``s`` steps takes
that profile away from its old steps and adds it ``s`` steps later (circularly
over the trace, applied to every occurrence of a recurring job).

Methods: ``"milp"`` — binary ``x[i,s]`` (job i shifted by s), continuous peak
``z``, minimize ``z`` subject to Σ_s x[i,s] = 1 and, at every reachable step t,
rest(t) + Σ_{i,s} p_i(t − s)·x[i,s] ≤ z (:func:`scipy.optimize.milp`, HiGHS);
``"greedy"`` — largest job first into the shift with the lowest resulting peak
(ties: lowest local peak, least overlap, smallest move), then passes of
re-placing each job given all others until nothing changes, repeated for
``GREEDY_RESTARTS`` seeded random job orders up to 200 jobs (best kept); ``"auto"`` — both when the MILP is
small enough (the better result wins), greedy alone beyond.

Examples
--------
>>> import pandas as pd
>>> from colonykit.staggering import MovableWindow, stagger
>>> demand = pd.DataFrame({"db1": [10, 90, 10, 10], "db2": [10, 90, 10, 10]})
>>> w = [MovableWindow(s, earliest=0, latest=3, duration=1, start=1) for s in demand]
>>> r = stagger(demand, w)
>>> r.peak_before, r.peak_after
(180.0, 100.0)
"""

from __future__ import annotations

import math
import re
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, TypeAlias

import numpy as np
import pandas as pd

from colonykit import reference
from colonykit._dicts import DictMixin
from colonykit.errors import InputError, must_be, raise_problems, unknown_name
from colonykit.packing import demand_matrix
from colonykit.packing.milp import solve_sparse_milp

Method = Literal["auto", "milp", "greedy"]
METHODS: tuple[str, ...] = ("auto", "milp", "greedy")
TimeSpec: TypeAlias = int | str | pd.Timestamp | pd.Timedelta | None

#: ``method="auto"`` runs the MILP when it has at most this many binaries (Σ allowed shifts) …
MILP_MAX_BINARIES = 3_000
#: … and at most this many non-zeros in its peak rows (Σ shifts × job steps).
MILP_MAX_NONZEROS = 2_000_000
#: HiGHS wall-clock limit [s]; the best solution found so far is used after it.
MILP_TIME_LIMIT_S = 10.0
#: Improvement passes of the greedy method (each re-places every job once).
GREEDY_PASSES = 20
#: Extra greedy runs in seeded random job orders (the best run is kept).  Measured on ten
#: small random instances (tests): one run ended up to 19.5 % above the MILP optimum (mean
#: 5.6 %), 1 + 16 runs up to 5.0 % (mean 1.1 %).  Cost grows linearly; lower it for 1000s of jobs.
GREEDY_RESTARTS = 16
#: Restarts are skipped above this many jobs (each run re-places every job; with thousands of
#: detected spikes one run already takes seconds).
GREEDY_RESTART_MAX_JOBS = 200
#: Seed of the restart orders (results are reproducible).
GREEDY_SEED = 2003
_TIME_OF_DAY = re.compile(r"^\s*(\d{1,2}):(\d{2})(?::(\d{2}))?\s*$")
_DAY_S = 86_400.0


@dataclass(frozen=True)
class MovableWindow:
    """One movable job (e.g. a backup) on one server.

    Parameters
    ----------
    server : str
        Column of the demand frame.
    earliest, latest : int or str or Timestamp
        Allowed start of the job: a row position (int, 0-based), a time of day
        (``"00:00"``; makes the job daily unless ``every`` says otherwise) or a
        timestamp.  ``latest`` before ``earliest`` in time of day crosses midnight.
    duration : int or str or Timedelta
        Length of the job: steps (int) or a duration (``"90min"``), rounded up to steps.
    start : int or str or Timestamp, optional
        Where the job starts in the trace now.  Default: the start within
        [earliest, latest] with the largest demand over ``duration``.
    every : int or str or Timedelta, optional
        Recurrence (steps or a duration, e.g. ``"1D"``); every occurrence moves by
        the same shift.
    baseline : float, optional
        Demand the server has without the job; only the demand above it moves.
        Default: the server's median over the trace.

    Examples
    --------
    >>> MovableWindow("db1", "00:00", "06:00", "1h").duration
    '1h'
    """

    server: str
    earliest: TimeSpec
    latest: TimeSpec
    duration: int | str | pd.Timedelta
    start: TimeSpec = None
    every: int | str | pd.Timedelta | None = None
    baseline: float | None = None


@dataclass(frozen=True)
class _Job:
    server: str
    column: int
    positions: np.ndarray  # absolute steps of every occurrence (sorted)
    profile: np.ndarray  # movable demand at those steps
    shifts: np.ndarray  # allowed shifts (steps), always containing 0
    start: int
    duration: int
    occurrences: int


# --------------------------------------------------------------------------- time handling
def _interval_s(index: pd.Index, attrs: Mapping[Hashable, Any]) -> float | None:
    if "interval_s" in attrs and attrs["interval_s"]:
        return float(attrs["interval_s"])
    if isinstance(index, pd.DatetimeIndex) and len(index) > 1:
        return float((index[1] - index[0]).total_seconds())
    return None


def _steps_of(
    value: int | str | pd.Timedelta, interval_s: float | None, field_name: str, where: str
) -> int:
    """A duration as a whole number of steps (rounded up)."""
    if isinstance(value, int | np.integer) and not isinstance(value, bool):
        return int(value)
    if interval_s is None:
        msg = must_be(
            field_name, "a whole number of steps (the trace has no interval)", value, where
        )
        raise InputError(msg)
    try:
        td = pd.Timedelta(value)
    except (ValueError, TypeError):
        msg = must_be(field_name, "a number of steps or a duration such as '90min'", value, where)
        raise InputError(msg) from None
    return int(math.ceil(td.total_seconds() / interval_s - 1e-9))


def _position(
    value: TimeSpec, index: pd.Index, interval_s: float | None, field_name: str, where: str
) -> tuple[int, bool]:
    """(position, is_time_of_day) of a start/earliest/latest value.

    Times of day are positions relative to the first midnight at or before the
    first sample (so they may be negative); only their differences and the
    occurrences inside the trace matter.
    """
    if isinstance(value, int | np.integer) and not isinstance(value, bool):
        return int(value), False
    if interval_s is None:
        msg = must_be(
            field_name, "a row position (the trace has no interval or time index)", value, where
        )
        raise InputError(msg)
    if isinstance(value, str) and (m := _TIME_OF_DAY.match(value)):
        h, mi, se = int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)
        if h > 23 or mi > 59 or se > 59:
            msg = must_be(field_name, "a time of day 00:00..23:59", value, where)
            raise InputError(msg)
        if isinstance(index, pd.DatetimeIndex):
            first = index[0]
            anchor = -(first - first.normalize()).total_seconds() / interval_s
        else:
            anchor = 0.0  # integer steps: step 0 is taken as 00:00
        return int(round(anchor + (h * 3600 + mi * 60 + se) / interval_s)), True
    if not isinstance(index, pd.DatetimeIndex):
        msg = must_be(field_name, "a row position or a time of day 'HH:MM'", value, where)
        raise InputError(msg)
    try:
        ts = pd.Timestamp(value)  # type: ignore[arg-type]  # a value that is no time: TypeError
    except (ValueError, TypeError):
        msg = must_be(
            field_name, "a row position, a time of day 'HH:MM' or a timestamp", value, where
        )
        raise InputError(msg) from None
    if ts.tzinfo is None and index.tz is not None:
        ts = ts.tz_localize(index.tz)
    elif ts.tzinfo is not None and index.tz is None:
        ts = ts.tz_convert(None)
    return int(round((ts - index[0]).total_seconds() / interval_s)), False


def _build_jobs(
    matrix: np.ndarray,
    names: list[str],
    index: pd.Index,
    attrs: Mapping[Hashable, Any],
    windows: Sequence[MovableWindow],
) -> list[_Job]:
    n_steps = matrix.shape[1]
    interval_s = _interval_s(index, attrs)
    col = {s: i for i, s in enumerate(names)}
    medians = np.median(matrix, axis=1)
    jobs: list[_Job] = []
    problems: list[str] = []
    for k, w in enumerate(windows):
        where = f"window {k + 1} (server {w.server!r})"
        if not isinstance(w, MovableWindow):
            problems.append(
                must_be("windows", "MovableWindow objects", type(w).__name__, f"item {k + 1}")
            )
            continue
        if str(w.server) not in col:
            problems.append(
                str(
                    unknown_name(
                        "server",
                        w.server,
                        names if len(names) <= 20 else [*names[:20], "…"],
                        hint=where,
                    )
                )
            )
            continue
        try:
            dur = _steps_of(w.duration, interval_s, "duration", where)
            e, e_tod = _position(w.earliest, index, interval_s, "earliest", where)
            lt, l_tod = _position(w.latest, index, interval_s, "latest", where)
            every = _steps_of(w.every, interval_s, "every", where) if w.every is not None else None
            st: int | None = None
            s_tod = False
            if w.start is not None:
                st, s_tod = _position(w.start, index, interval_s, "start", where)
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        tod = e_tod or l_tod or s_tod
        if tod and every is None:
            if interval_s is None:  # pragma: no cover - _position already required it
                continue
            every = int(round(_DAY_S / interval_s))
        if tod and every is not None:
            if lt < e:
                lt += every
            if st is not None and st < e:
                st += every
        if dur < 1:
            problems.append(must_be("duration", ">= 1 step", w.duration, where))
            continue
        if lt < e:
            problems.append(must_be("latest", f">= earliest ({w.earliest!r})", w.latest, where))
            continue
        if every is not None and every < dur:
            problems.append(must_be("every", f">= duration ({dur} steps)", w.every, where))
            continue
        if every is None and (e < 0 or lt + dur > n_steps):
            problems.append(
                must_be(
                    "earliest..latest",
                    f"within the trace (0..{n_steps - dur} for a {dur}-step job)",
                    f"{w.earliest!r}..{w.latest!r}",
                    where,
                )
            )
            continue
        j = col[str(w.server)]
        x = matrix[j].astype(np.float64)
        period = every if every is not None else n_steps

        def occurrences(
            p0: int, period: int = period, every: int | None = every, dur: int = dur
        ) -> np.ndarray:
            if every is None:
                return np.array([p0])
            ks = np.arange(-(p0 // period) - 1, (n_steps - p0) // period + 2)
            occ = p0 + ks * period
            return occ[(occ >= 0) & (occ + dur <= n_steps)]

        if st is None:  # locate the job: the start in [e, lt] with the most demand over dur
            cands = np.arange(e, lt + 1)
            csum = np.concatenate([[0.0], np.cumsum(x)])
            occ_all = [occurrences(int(c)) for c in cands]
            score = np.array(
                [float((csum[o + dur] - csum[o]).sum()) if o.size else -np.inf for o in occ_all]
            )
            st = int(cands[int(np.argmax(score))])
        if every is None and (st < 0 or st + dur > n_steps):
            problems.append(
                must_be("start", f"within the trace (0..{n_steps - dur})", w.start, where)
            )
            continue
        occ = occurrences(st)
        if occ.size == 0:
            problems.append(
                must_be("start", "a job that lies inside the trace at least once", w.start, where)
            )
            continue
        pos = np.sort((occ[:, None] + np.arange(dur)[None, :]).ravel())
        if w.baseline is not None and not (np.isfinite(w.baseline) and w.baseline >= 0):
            problems.append(must_be("baseline", "a finite number >= 0", w.baseline, where))
            continue
        base = float(w.baseline) if w.baseline is not None else float(medians[j])
        profile = np.clip(x[pos] - base, 0.0, None)
        shifts = np.arange(e - st, lt - st + 1)
        if (
            every is not None
        ):  # a recurring job: the same slot one period earlier/later is equivalent
            shifts = (shifts + every // 2) % every - every // 2
        shifts = np.unique(np.concatenate([shifts, [0]]))
        jobs.append(
            _Job(
                str(w.server),
                j,
                pos,
                profile,
                shifts.astype(np.int64),
                int(occ.min()),
                dur,
                int(occ.size),
            )
        )
    raise_problems(problems, "invalid movable windows")
    by_server: dict[int, list[_Job]] = {}
    for job in jobs:
        by_server.setdefault(job.column, []).append(job)
    for group in by_server.values():
        if len(group) > 1:
            allpos = np.concatenate([g.positions for g in group])
            if np.unique(allpos).size < allpos.size:
                msg = (
                    f"invalid movable windows: jobs of server {group[0].server!r} overlap in the "
                    "trace; declare one window per job"
                )
                raise InputError(msg)
    return jobs


# --------------------------------------------------------------------------- solvers
def _candidate_steps(job: _Job, n_steps: int) -> np.ndarray:
    """(shifts, job steps) matrix of the steps each shift puts the profile on."""
    return (job.positions[None, :] + job.shifts[:, None]) % n_steps


def _greedy_once(
    rest: np.ndarray, jobs: list[_Job], cand: list[np.ndarray], order: np.ndarray, passes: int
) -> tuple[float, np.ndarray]:
    """One greedy construction in ``order`` plus re-placement passes; (best peak, choice)."""
    cur = rest.astype(np.float64).copy()
    choice = np.full(len(jobs), -1, dtype=np.int64)

    def best(i: int) -> int:
        c = cur[cand[i]]
        p = jobs[i].profile
        local = (c + p[None, :]).max(axis=1)
        peak = np.maximum(local, cur.max())
        # lowest composite peak; ties: lowest local peak, least overlap (c·p), smallest move
        keys = (np.abs(jobs[i].shifts), c @ p, np.round(local, 9), np.round(peak, 9))
        return int(np.lexsort(keys)[0])

    for i in order:
        choice[i] = best(int(i))
        cur[cand[i][choice[i]]] += jobs[i].profile
    best_peak, best_choice = float(cur.max()), choice.copy()
    for _ in range(passes):
        changed = False
        for i in range(len(jobs)):
            cur[cand[i][choice[i]]] -= jobs[i].profile
            k = best(i)
            changed |= k != choice[i]
            choice[i] = k
            cur[cand[i][k]] += jobs[i].profile
            if cur.max() < best_peak * (1 - 1e-12):
                best_peak, best_choice = float(cur.max()), choice.copy()
        if not changed:
            break
    return best_peak, best_choice


def _greedy(
    rest: np.ndarray, jobs: list[_Job], passes: int = GREEDY_PASSES, restarts: int = GREEDY_RESTARTS
) -> np.ndarray:
    """Largest job first into the lowest-peak shift, re-place until stable; seeded restarts."""
    cand = [_candidate_steps(j, rest.size) for j in jobs]
    rng = np.random.default_rng(GREEDY_SEED)
    orders = [np.argsort([-j.profile.sum() for j in jobs], kind="stable")]
    n_restarts = max(restarts, 0) if len(jobs) <= GREEDY_RESTART_MAX_JOBS else 0
    orders += [rng.permutation(len(jobs)) for _ in range(n_restarts)]
    runs = [_greedy_once(rest, jobs, cand, order, passes) for order in orders]
    _, choice = min(runs, key=lambda r: r[0])
    return np.array([jobs[i].shifts[choice[i]] for i in range(len(jobs))], dtype=np.int64)


def _milp(
    rest: np.ndarray, jobs: list[_Job], time_limit_s: float
) -> tuple[np.ndarray | None, bool]:
    """Exact min-peak shift choice with scipy.optimize.milp (HiGHS)."""
    from scipy.sparse import coo_array

    n_steps = rest.size
    cand = [_candidate_steps(j, n_steps) for j in jobs]
    offsets = np.concatenate([[0], np.cumsum([j.shifts.size for j in jobs])])
    nbin = int(offsets[-1])
    zcol = nbin
    reach = np.unique(np.concatenate([c.ravel() for c in cand]))
    rows = np.concatenate([np.searchsorted(reach, c).ravel() for c in cand])
    cols = np.concatenate(
        [
            np.repeat(offsets[i] + np.arange(j.shifts.size), j.positions.size)
            for i, j in enumerate(jobs)
        ]
    )
    data = np.concatenate([np.tile(j.profile, j.shifts.size) for j in jobs])
    nr = reach.size
    peak_rows = coo_array(
        (
            np.concatenate([data, -np.ones(nr)]),
            (np.concatenate([rows, np.arange(nr)]), np.concatenate([cols, np.full(nr, zcol)])),
        ),
        shape=(nr, nbin + 1),
    )
    one_rows = coo_array(
        (np.ones(nbin), (np.repeat(np.arange(len(jobs)), np.diff(offsets)), np.arange(nbin))),
        shape=(len(jobs), nbin + 1),
    )
    outside = np.ones(n_steps, dtype=bool)
    outside[reach] = False
    z_lo = float(rest[outside].max()) if outside.any() else 0.0
    lower = np.zeros(nbin + 1)
    upper = np.ones(nbin + 1)
    lower[zcol], upper[zcol] = z_lo, np.inf
    integrality = np.ones(nbin + 1)
    integrality[zcol] = 0
    cost = np.zeros(nbin + 1)
    cost[zcol] = 1.0
    x, proved = solve_sparse_milp(
        cost,
        [
            (peak_rows, np.full(nr, -np.inf), -rest[reach]),
            (one_rows, np.ones(len(jobs)), np.ones(len(jobs))),
        ],
        integrality=integrality,
        lower=lower,
        upper=upper,
        time_limit_s=time_limit_s,
    )
    if x is None:
        return None, False
    shifts = np.array(
        [j.shifts[int(np.argmax(x[offsets[i] : offsets[i + 1]]))] for i, j in enumerate(jobs)],
        dtype=np.int64,
    )
    return shifts, proved


def _apply(rest: np.ndarray, jobs: list[_Job], shifts: np.ndarray) -> np.ndarray:
    out = rest.astype(np.float64).copy()
    for job, s in zip(jobs, shifts, strict=True):
        np.add.at(out, (job.positions + s) % rest.size, job.profile)
    return out


# --------------------------------------------------------------------------- detection
def detect_spikes(
    demand: pd.DataFrame,
    period: int | str | pd.Timedelta = "1D",
    *,
    earliest: TimeSpec = None,
    latest: TimeSpec = None,
    rise_frac: float | None = None,
    recurrence_frac: float | None = None,
    max_duration_frac: float | None = None,
) -> list[MovableWindow]:
    """Find recurring spikes (e.g. nightly backups) and return them as movable windows.

    A step is *elevated* when the server's demand exceeds its median by at least
    ``rise_frac × (peak − median)``; a phase of the period is *periodic* when it is
    elevated in at least ``recurrence_frac`` of the full periods of the trace; each
    run of periodic phases no longer than ``max_duration_frac × period`` is one job
    (defaults in ``constants_packing.csv``: 0.5, 0.5, 0.25).  With a single period
    in the trace every spike counts as recurring.

    Parameters
    ----------
    demand : pandas.DataFrame
        Wide demand frame (time × server).
    period : int or str or Timedelta
        Recurrence in steps or as a duration (default one day).
    earliest, latest : optional
        Allowed start range given to every detected job (default: anywhere in
        the period, i.e. phase 0 … period − duration).
    rise_frac, recurrence_frac, max_duration_frac : float, optional
        Override the thresholds (fractions, 0..1).

    Returns
    -------
    list of MovableWindow

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> day = np.full(24, 10.0); day[2:4] = 80.0      # 02:00-04:00 backup, hourly steps
    >>> demand = pd.DataFrame({"db1": np.tile(day, 3)})
    >>> w = detect_spikes(demand, period=24)
    >>> [(x.server, x.start, x.duration, x.every, x.earliest, x.latest) for x in w]
    [('db1', 2, 2, 24, 0, 22)]
    """
    rise = reference.constant("spike_rise_frac") if rise_frac is None else float(rise_frac)
    rec = (
        reference.constant("spike_recurrence_frac")
        if recurrence_frac is None
        else float(recurrence_frac)
    )
    maxd = (
        reference.constant("spike_max_duration_frac")
        if max_duration_frac is None
        else float(max_duration_frac)
    )
    for name, v in (("rise_frac", rise), ("recurrence_frac", rec), ("max_duration_frac", maxd)):
        if not (0 < v <= 1):
            msg = must_be(name, "in 0..1 (exclusive of 0)", v)
            raise InputError(msg)
    matrix, names, index = demand_matrix(demand)
    p = _steps_of(period, _interval_s(index, dict(demand.attrs)), "period", "detect_spikes")
    n, n_steps = matrix.shape
    if not 2 <= p <= n_steps:
        msg = must_be("period", f"2..{n_steps} steps (the trace length)", period)
        raise InputError(msg)
    k = n_steps // p
    folded = matrix[:, : k * p].reshape(n, k, p)
    med = np.median(matrix, axis=1)
    span = matrix.max(axis=1) - med
    elevated = (folded - med[:, None, None]) >= (rise * span)[:, None, None]
    elevated &= (span > 0)[:, None, None]
    periodic = elevated.mean(axis=1) >= rec  # (n, p)
    edges = np.diff(np.pad(periodic.astype(np.int8), ((0, 0), (1, 1))), axis=1)
    rs, cs = np.nonzero(edges == 1)
    _, ce = np.nonzero(edges == -1)
    dur = ce - cs
    keep = dur <= maxd * p
    out = []
    for r, c, d in zip(rs[keep], cs[keep], dur[keep], strict=True):
        out.append(
            MovableWindow(
                server=names[int(r)],
                start=int(c),
                duration=int(d),
                earliest=0 if earliest is None else earliest,
                latest=int(p - d) if latest is None else latest,
                every=int(p) if k > 1 or p < n_steps else None,
            )
        )
    return out


# --------------------------------------------------------------------------- orchestrator
@dataclass(frozen=True)
class StaggerResult(DictMixin):
    """Outcome of :func:`stagger`.

    Attributes
    ----------
    peak_before, peak_after : float
        Composite peak of all servers before and after staggering.
    shifts : pandas.DataFrame
        One row per job: ``server``, ``start`` (row position of its first
        occurrence in the trace), ``new_start`` (= start + shift; may fall outside
        the trace for a recurring job, whose occurrences wrap circularly),
        ``shift_steps``, ``shift`` (a Timedelta when the trace has an interval),
        ``duration_steps``, ``occurrences``, ``movable_peak``.
    shifted : pandas.DataFrame
        The demand frame with the jobs moved (same index, columns and attrs).
    method : str
        ``"milp"`` or ``"greedy"`` (the solution kept).
    optimal : bool
        The MILP proved the peak minimal.
    composite_before, composite_after : pandas.Series
        Composite demand per step.
    unit : str
        ``demand.attrs["unit"]`` or ``""``.
    """

    peak_before: float
    peak_after: float
    shifts: pd.DataFrame
    shifted: pd.DataFrame
    method: str
    optimal: bool
    composite_before: pd.Series = field(repr=False)
    composite_after: pd.Series = field(repr=False)
    unit: str = ""

    @property
    def reduction_pct(self) -> float:
        """Peak reduction in % of the peak before (0 when nothing could be gained)."""
        return (1 - self.peak_after / self.peak_before) * 100.0 if self.peak_before else 0.0

    #: to_dict() keys (``colonykit stagger --format json``)
    _dict_keys = (
        "peak_before",
        "peak_after",
        "reduction_pct",
        "method",
        "optimal",
        "unit",
        "shifts",
    )

    def _dict_computed(self) -> dict[str, Any]:
        cols = ["server", "start", "new_start", "shift_steps", "duration_steps", "occurrences"]
        return {"shifts": self.shifts[cols].to_dict(orient="records")}


def windows_from_frame(frame: pd.DataFrame, where: str = "windows") -> list[MovableWindow]:
    """Movable windows from a table with columns ``server, earliest, latest, duration``.

    Optional columns ``start``, ``every``, ``baseline``.  Whole numbers are row
    positions/steps; other text is a time of day (``"02:00"``), a timestamp or a
    duration (``"90min"``).

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per movable job.
    where : str, default 'windows'
        The table's source, for the messages.

    Examples
    --------
    >>> t = pd.DataFrame({"server": ["db1"], "earliest": ["00:00"], "latest": ["06:00"],
    ...                   "duration": ["1h"]})
    >>> windows_from_frame(t)[0].latest
    '06:00'
    """
    need = ["server", "earliest", "latest", "duration"]
    missing = [c for c in need if c not in frame.columns]
    if missing:
        msg = f"{where}: missing column(s) {missing}; a windows table needs {need} (optional: start, every, baseline)"
        raise InputError(msg)

    def conv(v: Any) -> Any:
        if v is None or (isinstance(v, float) and math.isnan(v)):
            return None
        if isinstance(v, float) and v.is_integer():
            return int(v)
        text = str(v).strip()
        return int(text) if re.fullmatch(r"-?\d+", text) else text

    out = []
    problems: list[str] = []
    for i, row in enumerate(frame.to_dict(orient="records")):
        base = conv(row.get("baseline"))
        try:
            base_f = float(base) if base is not None else None
        except ValueError:
            problems.append(must_be("baseline", "a number", base, f"{where} line {i + 2}"))
            continue
        if conv(row["server"]) is None:
            problems.append(must_be("server", "a server name", None, f"{where} line {i + 2}"))
            continue
        out.append(
            MovableWindow(
                server=str(row["server"]).strip(),
                earliest=conv(row["earliest"]),
                latest=conv(row["latest"]),
                duration=conv(row["duration"]),
                start=conv(row.get("start")),
                every=conv(row.get("every")),
                baseline=base_f,
            )
        )
    raise_problems(problems, f"invalid {where}")
    return out


def stagger(
    demand: pd.DataFrame,
    windows: Iterable[MovableWindow] | pd.DataFrame,
    method: Method = "auto",
    *,
    time_limit_s: float = MILP_TIME_LIMIT_S,
    milp_max_binaries: int = MILP_MAX_BINARIES,
    greedy_restarts: int = GREEDY_RESTARTS,
) -> StaggerResult:
    """Shift movable jobs so that the composite peak is as low as possible.

    Parameters
    ----------
    demand : pandas.DataFrame
        Wide demand frame (time × server).
    windows : iterable of MovableWindow or pandas.DataFrame
        The movable jobs (a frame goes through :func:`windows_from_frame`).
    method : {"auto", "milp", "greedy"}
        Solver (see the module docstring).
    time_limit_s : float
        HiGHS time limit [s].
    milp_max_binaries : int
        ``"auto"`` runs the MILP up to this many binaries.
    greedy_restarts : int
        Extra greedy runs in seeded random job orders (none above
        ``GREEDY_RESTART_MAX_JOBS`` = 200 jobs).

    Returns
    -------
    StaggerResult
        ``peak_after <= peak_before`` always.

    Raises
    ------
    InputError
        Bad demand, unknown server, bad or overlapping windows.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> idx = pd.date_range("2024-01-01", periods=48, freq="30min", tz="UTC")
    >>> base = np.full(48, 5.0); base[4:6] = 50.0          # 02:00-03:00 backup
    >>> demand = pd.DataFrame({f"db{i}": base for i in range(3)}, index=idx)
    >>> w = [MovableWindow(s, "00:00", "06:00", "1h", start="02:00") for s in demand]
    >>> r = stagger(demand, w, method="milp")
    >>> r.peak_before, r.peak_after, r.optimal
    (150.0, 60.0, True)
    """
    if method not in METHODS:
        err = unknown_name("staggering method", method, METHODS)
        raise err
    matrix, names, index = demand_matrix(demand)
    wins = windows_from_frame(windows) if isinstance(windows, pd.DataFrame) else list(windows)
    attrs = dict(demand.attrs)
    jobs = _build_jobs(matrix, names, index, attrs, wins)
    total = matrix.sum(axis=0, dtype=np.float64)
    peak_before = float(total.max())
    rest = total.copy()
    for job in jobs:
        np.subtract.at(rest, job.positions, job.profile)
    zero = np.zeros(len(jobs), dtype=np.int64)
    shifts, used, optimal = zero, "greedy", False
    if jobs:
        nbin = sum(j.shifts.size for j in jobs)
        nnz = sum(j.shifts.size * j.positions.size for j in jobs)
        candidates: list[tuple[float, int, str, np.ndarray, bool]] = []
        if method in ("greedy", "auto"):
            g = _greedy(rest, jobs, restarts=greedy_restarts)
            candidates.append((float(_apply(rest, jobs, g).max()), 1, "greedy", g, False))
        if method == "milp" or (
            method == "auto" and nbin <= milp_max_binaries and nnz <= MILP_MAX_NONZEROS
        ):
            m, proved = _milp(rest, jobs, time_limit_s)
            if m is not None:
                candidates.append((float(_apply(rest, jobs, m).max()), 0, "milp", m, proved))
            elif method == "milp":
                g = _greedy(rest, jobs, restarts=greedy_restarts)
                candidates.append((float(_apply(rest, jobs, g).max()), 1, "greedy", g, False))
        peak, _, used, shifts, optimal = min(candidates, key=lambda c: (round(c[0], 9), c[1]))
        if peak >= peak_before * (1 - 1e-12):  # never raise the peak: keep the schedule
            shifts = zero
    composite_after = _apply(rest, jobs, shifts)
    shifted = matrix.astype(np.float64, copy=True)
    for job, s in zip(jobs, shifts, strict=True):
        np.subtract.at(shifted[job.column], job.positions, job.profile)
        np.add.at(shifted[job.column], (job.positions + s) % matrix.shape[1], job.profile)
    shifted_frame = pd.DataFrame(shifted.T, index=index, columns=list(demand.columns))
    shifted_frame.attrs.update(attrs)
    interval_s = _interval_s(index, attrs)
    table = pd.DataFrame(
        {
            "server": [j.server for j in jobs],
            "start": [j.start for j in jobs],
            "new_start": [j.start + int(s) for j, s in zip(jobs, shifts, strict=True)],
            "shift_steps": [int(s) for s in shifts],
            "shift": [
                pd.Timedelta(seconds=float(s) * interval_s) if interval_s else None for s in shifts
            ],
            "duration_steps": [j.duration for j in jobs],
            "occurrences": [j.occurrences for j in jobs],
            "movable_peak": [float(j.profile.max()) if j.profile.size else 0.0 for j in jobs],
        }
    )
    return StaggerResult(
        peak_before=peak_before,
        peak_after=float(composite_after.max()),
        shifts=table,
        shifted=shifted_frame,
        method=used,
        optimal=bool(optimal),
        composite_before=pd.Series(total, index=index, name="composite"),
        composite_after=pd.Series(composite_after, index=index, name="composite"),
        unit=str(attrs.get("unit", "")),
    )


__all__ = [
    "METHODS",
    "MILP_MAX_BINARIES",
    "MILP_TIME_LIMIT_S",
    "MovableWindow",
    "StaggerResult",
    "detect_spikes",
    "stagger",
    "windows_from_frame",
]
