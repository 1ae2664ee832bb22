"""Forecast from history (issue 21 item 2): daily statistic, ETS fit, backtest vs seasonal-naive."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from colonykit import trend
from colonykit.errors import InputError

statsmodels = pytest.importorskip("statsmodels")


def _hourly(weeks: int, seed: int = 1, slope_per_day: float = 2.0) -> pd.Series:
    """Hourly series: level + trend + a weekday bump + a daily wave + noise."""
    t = pd.date_range("2024-01-01", periods=24 * 7 * weeks, freq="h", tz="UTC")
    h = np.arange(len(t))
    rng = np.random.default_rng(seed)
    weekday = (t.day_of_week < 5).astype(float) * 40.0
    y = (
        500
        + slope_per_day * h / 24
        + weekday
        + 60 * np.sin(h * 2 * np.pi / 24)
        + rng.normal(0, 10, len(t))
    )
    return pd.Series(y, index=t, name="s")


def _ets(train: np.ndarray, horizon: int) -> np.ndarray:
    """The same model, fitted here with statsmodels directly (the independent computation)."""
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    y = pd.Series(train, index=pd.RangeIndex(len(train)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = ETSModel(
            y,
            error="add",
            trend="add",
            damped_trend=True,
            seasonal="add",
            seasonal_periods=7,
            initialization_method="heuristic" if len(y) >= 28 else "estimated",
        ).fit(disp=False)
        return res.forecast(horizon).to_numpy()


def test_daily_statistic_by_hand() -> None:
    s = _hourly(1)
    d = trend.daily_statistic(s)
    assert len(d) == 7
    assert d.iloc[2] == pytest.approx(s.iloc[48:72].max())
    p = trend.daily_statistic(s, "p95")
    assert p.iloc[0] == pytest.approx(np.quantile(s.iloc[:24].to_numpy(), 0.95))


def test_weekly_peaks_drops_the_leading_partial_week() -> None:
    assert trend.weekly_peaks(np.arange(16.0)).tolist() == [8.0, 15.0]


def test_backtest_recomputed_independently() -> None:
    s = _hourly(6, slope_per_day=10.0)
    daily = trend.daily_statistic(s)
    bt = trend.backtest(daily, holdout_weeks=2)
    d = daily.to_numpy()
    actual = np.array([d[-14:-7].max(), d[-7:].max()])
    naive = np.full(2, d[-21:-14].max())  # the last training week's peak, repeated
    proj = _ets(d[:-14], 14)
    projected = np.array([proj[:7].max(), proj[7:].max()])
    assert bt.actual_peaks == pytest.approx(tuple(actual))
    assert bt.naive_peaks == pytest.approx(tuple(naive))
    assert bt.projected_peaks == pytest.approx(tuple(projected), rel=1e-9)
    assert bt.error_pct == pytest.approx(np.mean(np.abs(projected - actual) / actual) * 100)
    assert bt.naive_error_pct == pytest.approx(np.mean(np.abs(naive - actual) / actual) * 100)
    # a steady trend: the fit beats repeating last week
    assert bt.beats_naive


def test_too_short_a_history_is_refused_clearly() -> None:
    with pytest.raises(
        InputError, match=r"refusing to extrapolate s: .*at least 4 weeks.*21 days \(3\.0 weeks\)"
    ):
        trend.fit_history(_hourly(3), 12)


def test_step_indexed_series_are_refused() -> None:
    with pytest.raises(InputError, match="timestamped traces"):
        trend.daily_statistic(pd.Series([1.0, 2.0]))


def test_fit_history_growth_factors_follow_the_trend() -> None:
    fit = trend.fit_history(_hourly(6, slope_per_day=5.0), 12)
    f = fit.growth_factors(np.array([0.0, 6.0, 12.0]))
    assert f["typical"][0] == 1.0
    assert f["typical"][1] > 1.0  # rising history, rising projection
    assert (f["low"] <= f["typical"] + 1e-9).all() and (f["typical"] <= f["high"] + 1e-9).all()


def test_flat_history_stays_flat() -> None:
    t = pd.date_range("2024-01-01", periods=24 * 7 * 5, freq="h", tz="UTC")
    fit = trend.fit_history(pd.Series(7.0, index=t), 6)
    assert fit.growth_factors(np.array([3.0, 6.0]))["typical"].tolist() == [1.0, 1.0]
    assert fit.backtest.error_pct == 0.0


def test_backtest_of_the_90_day_bitbrains_composite(shared_data) -> None:
    """The reference case: 404 VMs, 90 days hourly; composite weekly peak vs seasonal-naive."""
    df = pd.read_csv(shared_data / "bitbrains_rnd_90d" / "bitbrains_rnd_90d_hourly.csv.gz")
    wide = df.pivot(index="hour", columns="vm", values="cpu_mhz_mean").reindex(range(2160))
    wide = wide.ffill().bfill()
    wide.index = pd.date_range("2013-07-01", periods=2160, freq="h", tz="UTC")
    comp = wide.sum(axis=1)
    daily = trend.daily_statistic(comp)
    bt = trend.backtest(daily, 2)
    d = daily.to_numpy()
    actual = np.array([d[-14:-7].max(), d[-7:].max()])
    naive = d[-21:-14].max()
    proj = _ets(d[:-14], 14)
    projected = np.array([proj[:7].max(), proj[7:].max()])
    assert bt.error_pct == pytest.approx(
        np.mean(np.abs(projected - actual) / actual) * 100, rel=1e-9
    )
    assert bt.naive_error_pct == pytest.approx(np.mean(np.abs(naive - actual) / actual) * 100)
    # the composite swings by a factor of about 2 between weeks with no steady trend (PROVENANCE.md)
    weekly = trend.weekly_peaks(d)
    assert weekly.max() / weekly.min() > 1.8
