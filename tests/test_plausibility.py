"""One warn-or-raise path for plausibility checks, ending in plan findings (issue 27 §9)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from colonykit import channels, plan
from colonykit.errors import ColonykitWarning, InputError, log_or_raise

ROOT = Path(__file__).resolve().parents[1]


def test_log_or_raise_warns_or_raises() -> None:
    with pytest.warns(ColonykitWarning, match="odd value"):
        log_or_raise(False, "odd value")
    with pytest.raises(InputError, match="odd value"):
        log_or_raise(True, "odd value")


def test_saturated_channels_warn_through_the_one_path() -> None:
    with pytest.warns(ColonykitWarning, match="channel paths saturated"):
        r = channels.channel_load(1000.0, 14.0, paths=2)
    assert r.saturated


def test_a_plausibility_warning_while_planning_is_a_plan_finding(tmp_path: Path) -> None:
    text = (ROOT / "data" / "examples" / "scenario.yaml").read_text()
    assert "io_rate_per_s: 54" in text
    (tmp_path / "scenario.yaml").write_text(
        text.replace("io_rate_per_s: 54", "io_rate_per_s: 9000")
    )
    for name in ("xyz_inventory.csv",):
        (tmp_path / name).write_text((ROOT / "data" / "examples" / name).read_text())
    with pytest.warns(ColonykitWarning, match="channel paths saturated"):
        r = plan.build_plan(tmp_path / "scenario.yaml")
    found = [f for f in r.plan.findings if f.code == "CK050"]
    assert len(found) == 1 and found[0].severity == "warning"
    assert found[0].message.startswith("channel paths saturated")


def test_a_plan_without_plausibility_warnings_has_no_ck050() -> None:
    r = plan.build_plan(ROOT / "data" / "examples" / "scenario.yaml")
    assert not [f for f in r.plan.findings if f.code == "CK050"]


#: Files still warning with ColonykitWarning directly, each with the issue that routes it
#: through log_or_raise (the readers #25 is rewriting).
DIRECT_WARNINGS = {
    "colonykit/ingest/traces.py": "#25",
    "colonykit/ingest/inventory.py": "#25",
    # the inventory reader's "ignored column(s)" note, moved with the column checks (#25/#27 §9)
    "colonykit/inventory_schema.py": "#25",
}


def test_colonykit_warnings_go_through_log_or_raise() -> None:
    direct = []
    for path in sorted((ROOT / "colonykit").rglob("*.py")):
        rel = str(path.relative_to(ROOT))
        if rel in DIRECT_WARNINGS or rel in ("colonykit/errors.py", "colonykit/widgets.py"):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "attr", "") == "warn"
                and any(getattr(a, "id", "") == "ColonykitWarning" for a in node.args)
            ):
                direct.append(f"{rel}:{node.lineno}")
    assert direct == []
