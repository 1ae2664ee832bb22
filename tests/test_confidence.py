"""Issue 23 item 2: the plan's confidence rating and its reasons, on crafted cases."""

from __future__ import annotations

import warnings

import pytest

from colonykit import confidence, plan, reference

BASE = {
    "servers_total": 100,
    "servers_matched": 100,
    "filled_frac_max": 0.0,
    "capture_span_h": 168.0,
    "conversion": {},
    "catalog_confidence": "IBM",
    "memory_measured": True,
    "engines_range": {"low": 8, "typical": 10, "high": 12},
}


def _levels(**changes):
    c = confidence.rate(**{**BASE, **changes})
    return c.rating, {r.name: r.level for r in c.reasons}


def test_all_high() -> None:
    rating, levels = _levels()
    assert rating == "high" and set(levels.values()) == {"high"}


@pytest.mark.parametrize(
    ("changes", "reason", "level"),
    [
        ({"servers_matched": 90}, "traces_matched", "high"),  # 90 % = the high threshold
        ({"servers_matched": 89}, "traces_matched", "medium"),
        ({"servers_matched": 50}, "traces_matched", "medium"),
        ({"servers_matched": 49}, "traces_matched", "low"),
        ({"servers_matched": None}, "traces_matched", "low"),
        ({"filled_frac_max": 0.10}, "filled", "high"),
        ({"filled_frac_max": 0.11}, "filled", "medium"),
        ({"filled_frac_max": 0.51}, "filled", "low"),
        ({"capture_span_h": 167.0}, "capture_span", "medium"),
        ({"capture_span_h": 23.0}, "capture_span", "low"),
        ({"conversion": {"mhz": "low: Barton"}}, "cpu_conversion", "low"),
        ({"catalog_confidence": "derived"}, "catalog", "medium"),
        ({"catalog_confidence": "estimate"}, "catalog", "low"),
        ({"memory_measured": False}, "memory", "medium"),
        ({"engines_range": {"low": 8, "typical": 10, "high": 15}}, "engine_spread", "high"),
        ({"engines_range": {"low": 8, "typical": 10, "high": 16}}, "engine_spread", "medium"),
        ({"engines_range": {"low": 8, "typical": 10, "high": 21}}, "engine_spread", "low"),
    ],
)
def test_each_reason_at_its_thresholds(changes, reason, level) -> None:
    rating, levels = _levels(**changes)
    assert levels[reason] == level
    assert rating == min(levels.values(), key=confidence.LEVELS.index)


def test_thresholds_are_the_constants() -> None:
    assert reference.constant("confidence_matched_high_frac") == 0.9
    assert reference.constant("confidence_min_capture_span_h") == 168


def test_range_shown_where_the_conversion_is_weak() -> None:
    c = confidence.rate(**{**BASE, "conversion": {"mhz": "low"}})
    assert c.show_range and "engines 8 / 10 / 12 low / typical / high" in c.summary()
    assert not confidence.rate(**BASE).show_range


def test_plan_carries_the_rating_in_document_summary_and_report() -> None:
    from colonykit import report

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = plan.build_plan("data/examples/bitbrains_colony.yaml", stagger_traces=False)
    ev = r.plan.evidence.confidence
    assert ev.evaluated and ev.values["rating"] == "low"
    assert str(ev.values["cpu_conversion"]).startswith("low:")
    assert str(ev.values["memory"]).startswith("high:")  # memory measured
    assert str(ev.values["traces_matched"]).startswith("high:")  # 50 of 50
    assert "confidence LOW" in r.summary()
    html = report.build_report(r)
    first = html[: html.index("Recommended configuration")]
    assert "confidence LOW" in first
    xyz = plan.build_plan("data/examples/scenario.yaml").plan.evidence.confidence
    assert str(xyz.values["traces_matched"]).startswith("low:")  # no traces
    assert str(xyz.values["memory"]).startswith("medium:")
