"""Imports flow one way (house style; issue 15 §3), checked on the source with :mod:`ast`.

units/errors → reference → computation → plan → export/render/report/plots/widgets → cli

Every ``import`` counts, including those inside functions (a function-level import hides a
cycle from Python, not from this test).  Two more rules:

* readers (``colonykit.ingest``) and computation are siblings: neither imports the other
  (readers return frames in the source's own units; converting them is computation);
* the base layer (units, errors, …) imports no third-party package except numpy in ``units``
  and ``_arrays`` — ``colonykit.errors`` must be importable with the stdlib alone;
* among the front ends only ``plots``, ``render``, ``export`` and ``report`` are shared: ``report`` and ``widgets``
  read numbers from the plan result and never run a model themselves.
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[1] / "colonykit"

BASE = {
    "colonykit",
    "colonykit.units",
    "colonykit.errors",
    "colonykit._atomic",
    "colonykit._yaml",
    "colonykit._optional",
    "colonykit._arrays",
    "colonykit.limits",
    "colonykit._dicts",
    "colonykit._cells",
    "colonykit._inputs",
    "colonykit._lazy",
}
COMPUTATION = {
    "sizing",
    "storage",
    "memory",
    "channels",
    "mdc",
    "paging",
    "packing",
    "_select_jit",
    "whitespace",
    "staggering",
    "designs",
    "designs_schema",
    "scale",
    "measured",
    "machine_limits",
    "costs",
    "trend",
    "measured_memory",
    "confidence",
    "calibration",
}
#: The order inside the computation layer (issue 27 §9): a module imports only modules of a
#: lower tier, so no two computation modules import each other (no sizing ↔ measured cycle).
COMPUTATION_TIERS: tuple[frozenset[str], ...] = (
    frozenset({"_packing_jit", "_select_jit"}),  # compiled kernels, imported by their users
    frozenset({"packing"}),  # its first-fit-decreasing serves storage too (issue 27 §4)
    frozenset(
        {
            "storage",
            "designs_schema",  # the declarative schema of designs.yaml (issue 27 §9)
            "channels",
            "sizing",
            "memory",
            "whitespace",
            "costs",
            "trend",
            "confidence",
        }
    ),
    frozenset({"designs", "machine_limits", "mdc", "paging", "measured", "calibration"}),
    frozenset({"staggering", "scale", "measured_memory"}),
)
#: The order inside ``colonykit.plan``: the document, the scenario and the evidence below the
#: layout, placement and checks, and the assembly (the orchestrator) on top.
PLAN_TIERS: tuple[frozenset[str], ...] = (
    frozenset({"_validation", "document", "stages"}),
    frozenset({"scenario", "carry", "evidence", "summary"}),
    frozenset({"layout", "placement", "checks", "business", "memory_plan", "story"}),
    frozenset({"assembly"}),
    frozenset({"compare"}),
)
#: The order inside ``colonykit.report`` (issue 27 §6): what the report says and its citations,
#: then one writer per format; the images draw the HTML writer's figures.
REPORT_TIERS: tuple[frozenset[str], ...] = (
    frozenset({"citations", "summary"}),
    frozenset({"html", "pdf", "xlsx"}),
    frozenset({"images"}),
)
#: The order inside ``colonykit.widgets`` (issue 27 §5): the spec tables and the chart widget,
#: the model (controls -> plan), the state holder (baseline, edits, save, export), the views
#: (HTML of a state), and the panel (widgets wired to the state holder) on top.
WIDGETS_TIERS: tuple[frozenset[str], ...] = (
    frozenset({"specs", "chart"}),
    frozenset({"model"}),
    frozenset({"state"}),
    frozenset({"views"}),
    frozenset({"panel"}),
)
#: Subpackages whose modules import only modules of a lower tier of the same subpackage.
SUBPACKAGE_TIERS: dict[str, tuple[frozenset[str], ...]] = {
    "plan": PLAN_TIERS,
    "report": REPORT_TIERS,
    "widgets": WIDGETS_TIERS,
}
FRONT = {"export", "render", "report", "plots", "widgets"}
#: front ends other front ends may use: plots, the provisioning files, the plan export, and the
#: report (the explorer's "Export report" writes it; the report imports no widget)
SHARED_FRONT = {"colonykit.plots", "colonykit.render", "colonykit.export", "colonykit.report"}
#: third-party packages the base layer may import, per module
BASE_THIRD_PARTY = {
    "colonykit.units": {"numpy"},
    "colonykit._arrays": {"numpy"},
    "colonykit._yaml": {"yaml"},
}

#: Violations still in the tree, each named with the owner who removes it.  The test asserts the
#: found set EQUALS this set, so a new violation fails and so does a fixed one left listed here.
KNOWN: set[tuple[str, str]] = set()

#: Names moved down or across, still reachable from their old module for a while: the old module
#: looks the new one up by name (``importlib.import_module``) with a FutureWarning and uses
#: nothing else of it.  Listed here so they are seen, not hidden; remove with the old names.
DEPRECATED_FORWARDS: set[tuple[str, str]] = set()


def layer(module: str) -> int:
    """0 base, 1 reference and the canonical frames, 2 computation and readers, 3 plan, 4 front ends, 5 cli."""
    if module in BASE:
        return 0
    parts = module.split(".")
    head = parts[1] if len(parts) > 1 else ""
    if head in ("reference", "patterns", "frames", "inventory_schema"):
        return 1
    if head in COMPUTATION or head == "ingest":
        return 2
    if head in ("plan", "forecast"):
        return 3
    if head in FRONT:
        return 4
    if head == "cli":
        return 5
    raise AssertionError(f"{module} has no layer: add it to tests/test_import_graph.py")


def module_name(path: Path) -> str:
    rel = path.relative_to(PKG.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@functools.lru_cache(maxsize=512)
def _parse(text: str) -> ast.AST:
    """The syntax tree of a source text (cached: the planted-case copies share all but one file)."""
    return ast.parse(text)


def type_only_lines(tree: ast.AST) -> set[int]:
    """Lines of the imports inside ``if TYPE_CHECKING:`` blocks (types only; never run)."""
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(
            node.test, "id", getattr(node.test, "attr", "")
        ) == ("TYPE_CHECKING"):
            for sub in node.body:
                for inner in ast.walk(sub):
                    if isinstance(inner, ast.Import | ast.ImportFrom):
                        lines.add(inner.lineno)
    return lines


def imports_of(path: Path) -> list[tuple[str, int]]:
    """Every module ``path`` imports (absolute names), with its line, at any depth."""
    me = module_name(path)
    package = me if path.name == "__init__.py" else me.rpartition(".")[0]
    found = []
    for node in ast.walk(_parse(path.read_text())):
        if isinstance(node, ast.Import):
            found += [(a.name, node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                mod = f"{base}.{node.module}" if node.module else base
            else:
                mod = node.module or ""
            found.append((mod, node.lineno))
            # ``from colonykit import sizing`` imports the submodule colonykit.sizing
            if mod.startswith("colonykit"):
                for a in node.names:
                    sub = f"{mod}.{a.name}"
                    if (PKG.parent / Path(*sub.split("."))).with_suffix(".py").exists() or (
                        PKG.parent / Path(*sub.split(".")) / "__init__.py"
                    ).exists():
                        found.append((sub, node.lineno))
    return found


def normalise(target: str) -> str:
    """``colonykit.plan.checks`` → ``colonykit.plan``; ``colonykit.ingest.traces`` stays."""
    parts = target.split(".")
    if len(parts) > 2 and parts[1] not in ("ingest",):
        return ".".join(parts[:2])
    return target


def edges(*, with_type_only: bool = True) -> dict[tuple[str, str], list[str]]:
    out: dict[tuple[str, str], list[str]] = {}
    for path in sorted(PKG.rglob("*.py")):
        me = module_name(path)
        skip = set() if with_type_only else type_only_lines(_parse(path.read_text()))
        for target, line in imports_of(path):
            if line not in skip:
                out.setdefault((me, target), []).append(f"{path.relative_to(PKG.parent)}:{line}")
    return out


def _tier(tiers: tuple[frozenset[str], ...], name: str, where: str) -> int:
    for i, tier in enumerate(tiers):
        if name in tier:
            return i
    raise AssertionError(f"{where}.{name} has no tier: add it to tests/test_import_graph.py")


def order_violations() -> dict[tuple[str, str], list[str]]:
    """Imports inside the computation layer or inside plan/ that do not go to a lower tier."""
    bad: dict[tuple[str, str], list[str]] = {}
    for (src, target), where in edges().items():
        s, t = src.split("."), target.split(".")
        if len(s) < 2 or len(t) < 2 or s[0] != "colonykit" or t[0] != "colonykit":
            continue
        if s[1] in COMPUTATION and t[1] in COMPUTATION and s[1] != t[1]:
            if _tier(COMPUTATION_TIERS, t[1], "colonykit") >= _tier(
                COMPUTATION_TIERS, s[1], "colonykit"
            ):
                bad[(f"colonykit.{s[1]}", f"colonykit.{t[1]}")] = where
        elif s[1] == t[1] in SUBPACKAGE_TIERS and len(s) > 2 and len(t) > 2 and s[2] != t[2]:
            tiers, sub = SUBPACKAGE_TIERS[s[1]], f"colonykit.{s[1]}"
            if _tier(tiers, t[2], sub) >= _tier(tiers, s[2], sub):
                bad[(".".join(s[:3]), ".".join(t[:3]))] = where
    return bad


def test_every_computation_and_plan_module_has_a_tier():
    for path in PKG.glob("*.py"):
        if path.stem in COMPUTATION:
            _tier(COMPUTATION_TIERS, path.stem, "colonykit")
    for sub, tiers in SUBPACKAGE_TIERS.items():
        for path in (PKG / sub).glob("*.py"):
            if path.stem != "__init__":
                _tier(tiers, path.stem, f"colonykit.{sub}")


def violations() -> dict[tuple[str, str], list[str]]:
    bad: dict[tuple[str, str], list[str]] = dict(order_violations())
    runtime = edges(with_type_only=False)
    for (src, target), where in edges().items():
        top = target.split(".")[0]
        if top != "colonykit":
            if src in BASE and top not in BASE_THIRD_PARTY.get(src, set()) and not _stdlib(top):
                bad[(src, top)] = where
            continue
        tgt = normalise(target)
        me = normalise(src) if not src.startswith("colonykit.ingest") else src
        if tgt == "colonykit" or me == tgt or tgt.startswith(me + ".") or me.startswith(tgt + "."):
            continue
        ls, lt = layer(me), layer(tgt)
        if lt > ls:
            bad[(me, tgt)] = where
        elif ls == lt == 2 and (
            me.startswith("colonykit.ingest") != tgt.startswith("colonykit.ingest")
        ):
            bad[(me, tgt)] = where
        elif ls == lt == 4 and tgt not in SHARED_FRONT:
            bad[(me, tgt)] = where
        elif (
            ls == 4
            and me in ("colonykit.report", "colonykit.widgets")
            and lt == 2
            and tgt.split(".")[1] in COMPUTATION - {"designs"}
            and (src, target) in runtime  # a type named under TYPE_CHECKING runs nothing
        ):
            bad[(me, tgt)] = where  # a front end that runs a model
    return bad


def _stdlib(name: str) -> bool:
    import sys

    return name in sys.stdlib_module_names or name == "__future__"


def test_every_module_has_a_layer():
    for path in PKG.rglob("*.py"):
        layer(
            normalise(module_name(path)) if "ingest" not in module_name(path) else module_name(path)
        )


def test_imports_flow_one_way():
    found = violations()
    new = {k: v for k, v in found.items() if k not in KNOWN}
    fixed = KNOWN - set(found)
    assert not new, "imports against the flow:\n" + "\n".join(
        f"  {a} -> {b} ({', '.join(w)})" for (a, b), w in sorted(new.items())
    )
    assert not fixed, f"fixed, now remove from KNOWN: {sorted(fixed)}"


def dynamic_imports() -> set[tuple[str, str]]:
    """``importlib.import_module("colonykit.x")`` calls with a literal name, by module."""
    found = set()
    for path in sorted(PKG.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "attr", getattr(node.func, "id", "")) == "import_module"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and str(node.args[0].value).startswith("colonykit")
            ):
                found.add((module_name(path), normalise(str(node.args[0].value))))
    return found


def test_dynamic_imports_are_only_the_listed_deprecation_forwards():
    assert dynamic_imports() == DEPRECATED_FORWARDS


def test_errors_needs_only_the_stdlib():
    assert [t for t, _ in imports_of(PKG / "errors.py") if not _stdlib(t.split(".")[0])] == []


@pytest.mark.parametrize(
    ("src", "text", "expected"),
    [
        (
            "colonykit/sizing.py",
            "from colonykit.ingest.inventory import x",
            ("colonykit.sizing", "colonykit.ingest.inventory"),
        ),
        (
            "colonykit/channels.py",
            "def f():\n    from colonykit import plan\n",
            ("colonykit.channels", "colonykit.plan"),
        ),
        ("colonykit/errors.py", "import numpy as np", ("colonykit.errors", "numpy")),
        (
            "colonykit/report/html.py",
            "from colonykit import widgets",
            ("colonykit.report", "colonykit.widgets"),
        ),
        (  # measured imports sizing: sizing importing measured back closes a cycle
            "colonykit/sizing.py",
            "def f():\n    from colonykit import measured\n",
            ("colonykit.sizing", "colonykit.measured"),
        ),
        (
            "colonykit/plan/layout.py",
            "from colonykit.plan.assembly import build_plan",
            ("colonykit.plan.layout", "colonykit.plan.assembly"),
        ),
        (  # a citation helper that imports a writer runs back up inside report/
            "colonykit/report/citations.py",
            "from colonykit.report.html import fmt",
            ("colonykit.report.citations", "colonykit.report.html"),
        ),
    ],
    ids=[
        "reader-from-model",
        "function-level",
        "base-third-party",
        "front-sibling",
        "computation-cycle",
        "plan-upwards",
        "report-upwards",
    ],
)
def test_the_checker_catches_each_kind(tmp_path, monkeypatch, src, text, expected):
    """The checker itself can fail: a planted violation of each kind is reported."""
    fake = tmp_path / "colonykit"
    for path in PKG.rglob("*.py"):
        dest = fake / path.relative_to(PKG)
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(path.read_text())
    target = tmp_path / src
    target.write_text(target.read_text() + "\n" + text + "\n")
    globals()["PKG"] = fake
    try:
        assert expected in violations()
    finally:
        globals()["PKG"] = Path(__file__).resolve().parents[1] / "colonykit"
