"""Forecast a utilization series from its own history: ETS fit, backtest, seasonal-naive.

A capacity planner's question is the *peak* a workload will reach, not its hourly
values.  A series (time × value, a ``DatetimeIndex``) is reduced to one value per day —
its peak, or its 95th percentile (:func:`daily_statistic`) — and that daily series is
fitted with an exponential-smoothing state-space model (statsmodels ``ETSModel``:
additive error, damped additive trend, additive weekly season of 7 days; Hyndman and
Athanasopoulos, *Forecasting: Principles and Practice*, 3rd ed., §8).  The projected
**weekly peak** is the largest daily value of each projected week; its prediction
interval (default 90 %, constant ``forecast_interval_pct``) gives the low and high bounds.

Every fit is **backtested** (:func:`backtest`): the last ``forecast_holdout_weeks`` weeks
are held out, the model is fitted on the rest, and the projected weekly peaks are
compared with the actual ones — mean absolute percentage error — next to a
**seasonal-naive** forecast (every held-out week repeats the last training week, so its
weekly peak is the last training week's peak).  A method that does not beat the naive one
says so.  A history shorter than ``forecast_min_history_weeks`` is refused with a clear
message (:func:`check_history`): a weekly season needs two whole weeks to fit, plus the
weeks held out.

statsmodels is optional (``pip install 'colonykit[forecast]'``).

Examples
--------
>>> import numpy as np, pandas as pd
>>> t = pd.date_range("2024-01-01", periods=24 * 7 * 5, freq="h", tz="UTC")
>>> s = pd.Series(100 + 10 * np.sin(np.arange(len(t)) * 2 * np.pi / 24), index=t)
>>> d = daily_statistic(s)
>>> len(d), round(float(d.iloc[0]), 1)
(35, 110.0)
>>> weekly_peaks(np.arange(14.0)).tolist()
[6.0, 13.0]
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from colonykit import reference
from colonykit._optional import require
from colonykit.errors import InputError

#: Days in a season (the week) of the daily series.
SEASON_DAYS = 7
#: Mean days per month (365.25 / 12), to put months on the daily forecast.
DAYS_PER_MONTH = 30.4375
#: Shortest daily series fitted with statsmodels' heuristic initial states (four seasons).
HEURISTIC_MIN_DAYS = 4 * SEASON_DAYS


def daily_statistic(series: pd.Series, statistic: str = "peak") -> pd.Series:
    """One value per UTC day: the day's peak or 95th percentile (constant ``measured_statistic_pct``).

    Parameters
    ----------
    series : pandas.Series
        Values over time (``DatetimeIndex``).
    statistic : {'peak', 'p95'}, default 'peak'
        Which statistic of each day.

    Raises
    ------
    InputError
        The index is not a ``DatetimeIndex`` (step-indexed traces have no calendar).
    """
    if not isinstance(series.index, pd.DatetimeIndex):
        msg = (
            "a forecast from history needs timestamped traces (a DatetimeIndex); these are "
            "step-indexed: give traces.start in the scenario"
        )
        raise InputError(msg)
    days = series.resample("D")
    if statistic == "peak":
        out = days.max()
    elif statistic == "p95":
        out = days.quantile(reference.constant("measured_statistic_pct") / 100.0)
    else:
        msg = f"'statistic' must be one of ['peak', 'p95'] (got {statistic!r})"
        raise InputError(msg)
    return out.dropna()


def weekly_peaks(daily: np.ndarray) -> np.ndarray:
    """Peak of each whole week of a daily series (leading days of a partial week dropped).

    Parameters
    ----------
    daily : numpy.ndarray
        One value per day.
    """
    d = np.asarray(daily, dtype=float)
    weeks = len(d) // SEASON_DAYS
    return d[len(d) - weeks * SEASON_DAYS :].reshape(weeks, SEASON_DAYS).max(axis=1)


def history_weeks(daily: pd.Series) -> float:
    """Length of a daily series in weeks.

    Parameters
    ----------
    daily : pandas.Series
        One value per day.
    """
    return len(daily) / SEASON_DAYS


def check_history(daily: pd.Series, min_weeks: float | None = None, name: str = "") -> None:
    """Refuse to extrapolate a history shorter than ``min_weeks`` (clear message).

    Parameters
    ----------
    daily : pandas.Series
        One value per day.
    min_weeks : float, optional
        Default constant ``forecast_min_history_weeks`` (4).
    name : str, optional
        The series' name, for the message.

    Examples
    --------
    >>> import pandas as pd
    >>> check_history(pd.Series(range(7)), name="web1")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    colonykit.errors.InputError: refusing to extrapolate web1: a fitted forecast needs ...
    """
    need = float(
        reference.constant("forecast_min_history_weeks") if min_weeks is None else min_weeks
    )
    have = history_weeks(daily)
    if have + 1e-9 < need:
        holdout = reference.constant("forecast_holdout_weeks")
        who = f" {name}" if name else ""
        msg = (
            f"refusing to extrapolate{who}: a fitted forecast needs at least {need:g} weeks of "
            f"history (2 whole weeks to fit the weekly season + {holdout:g} held out for the "
            f"backtest; forecast_min_history_weeks) but the traces cover {len(daily)} days "
            f"({have:.1f} weeks); use growth.forecast: planned with annual rates, or give a longer history"
        )
        raise InputError(msg)


def fit_ets(daily: pd.Series, horizon_days: int, interval_pct: float | None = None) -> pd.DataFrame:
    """Fit ETS(A, Ad, A) with a weekly season to a daily series and project it.

    Parameters
    ----------
    daily : pandas.Series
        One value per day (at least two whole weeks).
    horizon_days : int
        Days projected after the last one.
    interval_pct : float, optional
        Coverage of the prediction interval [%]; default constant ``forecast_interval_pct``.

    Returns
    -------
    pandas.DataFrame
        ``horizon_days`` rows: ``mean``, ``low``, ``high`` (day 0 = the day after the history).
    """
    ets = require(
        "statsmodels.tsa.exponential_smoothing.ets",
        extra="forecast",
        purpose="fitting a forecast from history",
    )
    cover = float(
        reference.constant("forecast_interval_pct") if interval_pct is None else interval_pct
    )
    y = pd.Series(np.asarray(daily, dtype=float), index=pd.RangeIndex(len(daily)))
    n = len(y)
    if float(np.ptp(y.to_numpy())) == 0.0:  # a flat history: nothing to fit, it stays flat
        flat = np.full(horizon_days, float(y.iloc[-1]))
        return pd.DataFrame({"mean": flat, "low": flat, "high": flat})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence chatter of the optimizer
        model = ets.ETSModel(
            y,
            error="add",
            trend="add",
            damped_trend=True,
            seasonal="add",
            seasonal_periods=SEASON_DAYS,
            # the heuristic start (Hyndman et al. 2008 §2.6) is 5 times faster than estimating the
            # initial states, and statsmodels accepts it from four whole seasons on
            initialization_method="heuristic" if n >= HEURISTIC_MIN_DAYS else "estimated",
        )
        res = model.fit(disp=False)
        frame = res.get_prediction(start=n, end=n + horizon_days - 1).summary_frame(
            alpha=1.0 - cover / 100.0
        )
    return pd.DataFrame(
        {
            "mean": frame["mean"].to_numpy(float),
            "low": frame["pi_lower"].to_numpy(float),
            "high": frame["pi_upper"].to_numpy(float),
        }
    )


@dataclass(frozen=True)
class Backtest:
    """Projected vs actual weekly peaks of the held-out weeks (:func:`backtest`).

    Parameters
    ----------
    holdout_weeks : int
        Weeks held out at the end of the history.
    actual_peaks, projected_peaks, naive_peaks : tuple of float
        Weekly peaks: actual, projected by the fit, and by the seasonal-naive forecast.
    error_pct : float
        Mean absolute percentage error of the projected weekly peaks [%].
    naive_error_pct : float
        The same for the seasonal-naive forecast [%].
    """

    holdout_weeks: int
    actual_peaks: tuple[float, ...]
    projected_peaks: tuple[float, ...]
    naive_peaks: tuple[float, ...]
    error_pct: float
    naive_error_pct: float

    @property
    def beats_naive(self) -> bool:
        """Whether the fit's error is below the seasonal-naive one."""
        return self.error_pct < self.naive_error_pct


def mape_pct(projected: np.ndarray, actual: np.ndarray) -> float:
    """Mean absolute percentage error [%] (weeks whose actual value is 0 are left out).

    Parameters
    ----------
    projected, actual : numpy.ndarray
        Projected and actual values.

    Examples
    --------
    >>> mape_pct(np.array([110.0, 90.0]), np.array([100.0, 100.0]))
    10.0
    """
    a = np.asarray(actual, dtype=float)
    p = np.asarray(projected, dtype=float)
    ok = a != 0
    return float(np.mean(np.abs(p[ok] - a[ok]) / np.abs(a[ok])) * 100.0) if ok.any() else math.nan


def backtest(
    daily: pd.Series, holdout_weeks: int | None = None, interval_pct: float | None = None
) -> Backtest:
    """Hold out the last weeks, fit on the rest, compare the weekly peaks (module doc).

    Parameters
    ----------
    daily : pandas.Series
        One value per day.
    holdout_weeks : int, optional
        Default constant ``forecast_holdout_weeks`` (2).
    interval_pct : float, optional
        Coverage of the prediction interval [%] (not used by the error).
    """
    h = int(
        reference.constant("forecast_holdout_weeks") if holdout_weeks is None else holdout_weeks
    )
    days = h * SEASON_DAYS
    train, test = daily.iloc[:-days], daily.iloc[-days:]
    proj = fit_ets(train, days, interval_pct)["mean"].to_numpy()
    actual = weekly_peaks(test.to_numpy())
    projected = weekly_peaks(proj)
    naive = np.full(h, float(weekly_peaks(train.to_numpy())[-1]))
    return Backtest(
        holdout_weeks=h,
        actual_peaks=tuple(float(x) for x in actual),
        projected_peaks=tuple(float(x) for x in projected),
        naive_peaks=tuple(float(x) for x in naive),
        error_pct=mape_pct(projected, actual),
        naive_error_pct=mape_pct(naive, actual),
    )


@dataclass(frozen=True)
class HistoryFit:
    """A fitted series (:func:`fit_history`): its projection and its backtest.

    Parameters
    ----------
    name : str
        The series' name.
    daily : pandas.Series
        The daily statistic that was fitted.
    projection : pandas.DataFrame
        Projected days after the history: ``mean``, ``low``, ``high``.
    backtest : Backtest
        The backtest of the same model on the same history.
    """

    name: str
    daily: pd.Series
    projection: pd.DataFrame
    backtest: Backtest

    def weekly_peak_at(self, months: np.ndarray) -> dict[str, np.ndarray]:
        """Projected weekly peak of the week starting ``months`` after the history, per bound.

        Parameters
        ----------
        months : numpy.ndarray
            Months after the end of the history.
        """
        start = np.minimum(
            np.round(np.asarray(months, dtype=float) * DAYS_PER_MONTH).astype(int),
            len(self.projection) - SEASON_DAYS,
        )
        cols = {"low": "low", "typical": "mean", "high": "high"}
        out = {}
        for b, c in cols.items():
            v = self.projection[c].to_numpy(float)
            windows = np.lib.stride_tricks.sliding_window_view(v, SEASON_DAYS).max(axis=1)
            out[b] = np.maximum(windows[start], 0.0)
        return out

    def growth_factors(self, months: np.ndarray) -> dict[str, np.ndarray]:
        """Projected weekly peak ÷ that of the first projected week, per bound (1 at month 0).

        A series whose first projected weekly peak is 0 stays flat (factor 1).

        Parameters
        ----------
        months : numpy.ndarray
            Months after the end of the history.
        """
        m = np.asarray(months, dtype=float)
        peaks = self.weekly_peak_at(m)
        base = float(self.weekly_peak_at(np.zeros(1))["typical"][0])
        out = {}
        for b, v in peaks.items():
            f = v / base if base > 0 else np.ones_like(v)
            out[b] = np.where(m <= 0, 1.0, f)
        return out


def fit_history(
    series: pd.Series,
    horizon_months: int,
    *,
    statistic: str = "peak",
    holdout_weeks: int | None = None,
    min_weeks: float | None = None,
    interval_pct: float | None = None,
    name: str = "",
) -> HistoryFit:
    """Daily statistic → check the length → backtest → fit on the whole history and project.

    Parameters
    ----------
    series : pandas.Series
        Values over time (``DatetimeIndex``).
    horizon_months : int
        Months to project.
    statistic : {'peak', 'p95'}, default 'peak'
        Daily statistic fitted.
    holdout_weeks : int, optional
        Weeks held out by the backtest; default constant ``forecast_holdout_weeks``.
    min_weeks : float, optional
        Shortest history accepted; default constant ``forecast_min_history_weeks``.
    interval_pct : float, optional
        Coverage of the prediction interval [%]; default constant ``forecast_interval_pct``.
    name : str, optional
        The series' name (messages).

    Raises
    ------
    InputError
        A history too short to extrapolate, or no timestamps.
    """
    daily = daily_statistic(series, statistic)
    check_history(daily, min_weeks, name or str(series.name or ""))
    bt = backtest(daily, holdout_weeks, interval_pct)
    days = int(math.ceil(horizon_months * DAYS_PER_MONTH)) + SEASON_DAYS
    return HistoryFit(
        name=name or str(series.name or ""),
        daily=daily,
        projection=fit_ets(daily, days, interval_pct),
        backtest=bt,
    )


__all__ = [
    "DAYS_PER_MONTH",
    "SEASON_DAYS",
    "Backtest",
    "HistoryFit",
    "backtest",
    "check_history",
    "daily_statistic",
    "fit_ets",
    "fit_history",
    "history_weeks",
    "mape_pct",
    "weekly_peaks",
]
