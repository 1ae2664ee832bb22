"""Forecast arithmetic pinned by hand (issue 27 §2): growth, rates, calendar, steps, rounding.

Each value is worked out here from the formula in the function's docstring.
"""

from __future__ import annotations

import datetime as dt
import math

import pytest

from colonykit import forecast
from colonykit.errors import InputError
from colonykit.plan.scenario import GrowthModel


def test_growth_factor_compound_and_linear_by_hand() -> None:
    assert forecast.growth_factor(25.0, [0, 6, 12, 24]).tolist() == pytest.approx(
        [1.0, math.sqrt(1.25), 1.25, 1.5625]
    )
    assert forecast.growth_factor([10.0, 20.0], 12).tolist() == pytest.approx([1.1, 1.2])
    assert forecast.growth_factor(25.0, [6, 24], "linear").tolist() == pytest.approx([1.125, 1.5])
    # a steep decline: linear never below 0, compound (1 − 0.5)^2 = 0.25
    assert forecast.growth_factor(-150.0, 12, "linear").tolist() == 0.0
    assert float(forecast.growth_factor(-50.0, 24)) == pytest.approx(0.25)
    with pytest.raises(InputError, match="growth.model"):
        forecast.growth_factor(10.0, 12, "exponential")


def test_guest_rates_most_specific_wins_per_band() -> None:
    g = GrowthModel(
        annual_pct={"low": 5, "typical": 10, "high": 20},
        by_role={"web": 30},
        by_class={"database": {"low": 1, "typical": 2, "high": 3}},
        by_server={"db1": 50},
    )
    rates = forecast.guest_rates(
        g,
        ["a", "b", "c", "db1"],
        ["app", "web", "web", "web"],
        ["mixed", "mixed", "database", "database"],
    )
    # a: the default; b: its role; c: its class over its role; db1: its server over all
    assert rates["low"].tolist() == [5.0, 30.0, 1.0, 50.0]
    assert rates["typical"].tolist() == [10.0, 30.0, 2.0, 50.0]
    assert rates["high"].tolist() == [20.0, 30.0, 3.0, 50.0]


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (dt.date(2024, 1, 31), 1, dt.date(2024, 2, 29)),  # leap year: clipped to the 29th
        (dt.date(2023, 1, 31), 1, dt.date(2023, 2, 28)),
        (dt.date(2024, 11, 30), 1, dt.date(2024, 12, 30)),  # into December
        (dt.date(2024, 12, 31), 0, dt.date(2024, 12, 31)),
        (dt.date(2024, 12, 15), 1, dt.date(2025, 1, 15)),  # over the year end
        (dt.date(2024, 3, 31), -1, dt.date(2024, 2, 29)),
        (dt.date(2024, 1, 31), 13, dt.date(2025, 2, 28)),
        (dt.date(2024, 1, 31), -12, dt.date(2023, 1, 31)),
        (dt.date(2024, 10, 31), 2, dt.date(2024, 12, 31)),  # December has 31 days
    ],
)
def test_add_months_by_hand(start: dt.date, months: int, expected: dt.date) -> None:
    assert forecast.add_months(start, months) == expected


def test_step_months_always_end_at_the_horizon() -> None:
    assert forecast.step_months(12, 5).tolist() == [0, 5, 10, 12]
    assert forecast.step_months(12, 6).tolist() == [0, 6, 12]
    assert forecast.step_months(0, 3).tolist() == [0]
    assert forecast.step_months(11, 6).tolist() == [0, 6, 11]  # not a step past the horizon
    assert forecast.step_months(36, 12).dtype.kind == "i"


def test_round_up_by_hand() -> None:
    assert forecast.round_up(3, 2) == 4 and isinstance(forecast.round_up(3, 2), int)
    assert forecast.round_up(4, 2) == 4
    assert forecast.round_up(0.5, 64.0) == 64.0
    assert forecast.round_up(0, 4) == 0 and forecast.round_up(-3, 4) == 0
    assert forecast.round_up(65.0, 64.0) == 128.0
    # 1.1 / 0.1 = 11.000000000000002 in floating point: 11 increments, not 12
    assert forecast.round_up(1.1, 0.1) == pytest.approx(1.1)
    # within 1e-9 of a whole number of increments counts as that number
    assert forecast.round_up(2.0000000003, 1.0) == 2.0
