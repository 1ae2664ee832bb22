"""Cost arithmetic pinned by hand (issue 27 §2): NPV, monthly savings, payback, licences.

Each value is worked out here from the formula in the function's docstring.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from colonykit import costs
from colonykit.errors import UnknownNameError


def test_npv_by_hand() -> None:
    assert costs.npv([110.0, 121.0], 10.0) == pytest.approx(200.0)
    assert costs.npv([100.0, 100.0, 100.0], 5.0) == pytest.approx(
        100 / 1.05 + 100 / 1.05**2 + 100 / 1.05**3
    )
    assert costs.npv([100.0, 50.0], 0.0) == 150.0
    assert costs.npv([], 5.0) == 0.0


def test_monthly_savings_by_hand() -> None:
    m = costs.monthly_savings([120.0, 240.0], [0.0, 24.0], [60.0, 0.0], [60.0, 0.0])
    assert len(m) == 24
    # year 1: (120 − 60) / 12 = 5 a month, month 1 also − 60 one-time; year 2: 240 / 12 = 20,
    # its first month + 24 one-time
    assert m.tolist() == [-55.0] + [5.0] * 11 + [44.0] + [20.0] * 11


@pytest.mark.parametrize(
    ("monthly", "month"),
    [
        ([-50.0] + [10.0] * 11, 6),  # cumulative −50 … −10, 0 at the end of month 6
        ([], 0),
        ([5.0, -3.0], 0),  # never below zero
        ([0.0, 1.0], 0),  # at zero, not below
        ([0.5, 1.0], 0),
        ([-1.0, -1.0], None),  # still negative at the horizon
        ([-1.0, 1.0], 2),
        ([1.0, -2.0, 1.0], 3),
        ([-1.0, 2.0, -2.0, 5.0], 4),  # back below zero in month 3: the last crossing counts
    ],
)
def test_payback_month_by_hand(monthly: list[float], month: int | None) -> None:
    assert costs.payback_month(monthly) == month


def test_licence_units_by_hand() -> None:
    assert costs.licence_units([5, 8, 1], "per_core", 0.5) == 8.0  # 3 + 4 + 1, per server
    assert costs.licence_units([3], "per_capacity_unit", 120) == 360.0
    assert costs.licence_units([1, 2, 3], "per_server", 0.5) == 3.0
    assert costs.licence_units([1, 2, 3], "per_socket", 0.5, sockets_per_server=2) == 3.0
    assert costs.licence_units([1, 2, 3], "per_socket", 0.5, sockets_per_server=3) == 6.0
    # 10 × 0.7 = 7.000000000000001 in floating point: 7 licences, not 8
    assert costs.licence_units([10], "per_core", 0.7) == 7.0
    assert costs.licence_units([1, 1], "per_socket", 0.7, sockets_per_server=10) == 14.0
    assert costs.licence_units([4, 8], "per_socket", 1.0) == 2.0  # one socket per server
    assert costs.licence_units([4], "per_socket", 0.3) == 1.0  # ceil(0.3) per server, not 0
    # within 1e-9 of a whole number counts as that number (a factor as stored in floating point)
    assert costs.licence_units([1], "per_core", 2.0000000003) == 2.0
    assert costs.licence_units([1, 1], "per_socket", 2.0000000003) == 4.0


def test_energy_kwh_by_hand() -> None:
    assert costs.energy_kwh(1.0, 1.5) == pytest.approx(8760 * 1.5)
    assert costs.energy_kwh(2.0, None) == pytest.approx(2 * 8760)


def test_purchase_month_and_upgrades_by_year() -> None:
    u = SimpleNamespace(month=14, order_by=dt.date(2028, 1, 15))
    assert costs.purchase_month(u, dt.date(2027, 1, 1)) == 12
    assert costs.purchase_month(u) == 14
    assert costs.purchase_month(u, dt.date(2027, 3, 20)) == 10  # 12 + (1 − 3)
    assert costs.purchase_month(u, dt.date(2028, 6, 1)) == 0  # ordered before the start
    ups = [SimpleNamespace(month=m, order_by=dt.date(2030, 1, 1)) for m in (0, 11, 12, 35, 36, -1)]
    by_year = costs.upgrades_by_year(ups, 3)
    assert [[x.month for x in y] for y in by_year] == [[0, 11], [12], [35]]
    assert costs.upgrades_by_year([], 2) == [[], []]
    # with the study's start an upgrade is paid when ordered: needed in month 12, ordered in
    # June of the first year -> year 1, not year 2
    late = SimpleNamespace(month=12, order_by=dt.date(2027, 6, 1))
    assert costs.upgrades_by_year([late], 2, dt.date(2027, 1, 1)) == [[late], []]
    assert costs.upgrades_by_year([late], 2) == [[], [late]]


def test_core_factor_from_the_table() -> None:
    assert costs.core_factor("oracle", "x86") == 0.5
    assert costs.core_factor("oracle", "ibm-z") == 1.0
    assert costs.core_factor("ibm-pvu", "x86") == 70.0
    assert costs.core_factor("ibm-pvu", "ibm-z") == 120.0
    with pytest.raises(UnknownNameError, match="core factor 'sap:x86'"):
        costs.core_factor("sap", "x86")
