"""Repository conventions in one place (issue 27 §1, §8): configuration the suite relies on."""

from __future__ import annotations

import ast
import json
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())

#: Modules of colonykit still excluded from mypy, each with the issue whose merge removes it.
#: The set must shrink, never grow: a new entry fails this test.
TEMPORARY_MYPY_EXCLUSIONS: dict[str, str] = {}


def test_mypy_checks_every_module_of_colonykit() -> None:
    """No ``ignore_errors`` for colonykit's own modules (only the temporary ones listed above)."""
    mypy = PYPROJECT["tool"]["mypy"]
    assert mypy["check_untyped_defs"] is True
    strict = [o for o in mypy["overrides"] if o.get("disallow_untyped_defs")]
    assert any("colonykit.*" in o["module"] for o in strict)
    ignored: set[str] = set()
    for o in mypy["overrides"]:
        if o.get("ignore_errors"):
            mods = o["module"] if isinstance(o["module"], list) else [o["module"]]
            ignored |= {m for m in mods if m.split(".")[0] == "colonykit"}
    assert ignored <= set(TEMPORARY_MYPY_EXCLUSIONS), sorted(
        ignored - set(TEMPORARY_MYPY_EXCLUSIONS)
    )


def test_pandas_stubs_are_in_the_test_extra() -> None:
    test = PYPROJECT["project"]["optional-dependencies"]["test"]
    assert any(r.startswith("pandas-stubs") for r in test)


# --------------------------------------------------------------------------- deprecations (§3)
#: Deprecations still in the tree without a removal version, each with the issue removing it.
TEMPORARY_DEPRECATIONS = {}
_REMOVAL = re.compile(r"removed in (?:colonykit )?(\d+(?:\.\d+)*)")


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(x) for x in text.split("."))


def deprecations(source: str) -> list[tuple[int, str]]:
    """``(line, message)`` of each ``warnings.warn(..., FutureWarning|DeprecationWarning)``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "warn"):
            continue
        names = {
            getattr(a, "id", getattr(a, "attr", ""))
            for a in [*node.args, *(k.value for k in node.keywords)]
        }
        if names & {"FutureWarning", "DeprecationWarning", "PendingDeprecationWarning"}:
            text = (
                " ".join(
                    n.value
                    for n in ast.walk(node.args[0])
                    if isinstance(n, ast.Constant) and isinstance(n.value, str)
                )
                if node.args
                else ""
            )
            found.append((node.lineno, text))
    return found


def overdue(source: str, version: str) -> list[str]:
    """Deprecations of ``source`` without a removal version, or whose removal version has come."""
    bad = []
    for line, text in deprecations(source):
        m = _REMOVAL.search(text)
        if m is None:
            bad.append(f"line {line}: no 'removed in X.Y' in {text[:60]!r}")
        elif _version(m.group(1)) <= _version(version):
            bad.append(f"line {line}: due for removal in {m.group(1)} (version {version})")
    return bad


def test_every_deprecation_names_a_removal_version_not_yet_reached() -> None:
    from colonykit import __version__

    problems = []
    for path in sorted((ROOT / "colonykit").rglob("*.py")):
        rel = str(path.relative_to(ROOT))
        if rel in TEMPORARY_DEPRECATIONS:
            continue
        problems += [f"{rel} {p}" for p in overdue(path.read_text(), __version__)]
    assert problems == []
    assert not (ROOT / "colonykit" / "_deprecate.py").exists()  # no rename machinery (§3)


def test_the_deprecation_check_can_fail() -> None:
    dated = 'import warnings\nwarnings.warn("x is renamed y; removed in 0.3", FutureWarning)\n'
    undated = 'import warnings\nwarnings.warn("x is renamed y", category=DeprecationWarning)\n'
    assert overdue(dated, "0.2.0") == []
    assert overdue(dated, "0.3.0") == ["line 2: due for removal in 0.3 (version 0.3.0)"]
    assert overdue(undated, "0.1.0")[0].startswith("line 2: no 'removed in X.Y'")
    assert overdue('import warnings\nwarnings.warn("slow", UserWarning)\n', "9.9") == []


# --------------------------------------------------------------------------- the suites (§8)
def _recipe(target: str) -> str:
    return (ROOT / "Makefile").read_text().split(f"\n{target}: ")[1].split("\n\n")[0]


def test_make_test_leaves_the_robustness_tests_to_their_own_target_which_ci_runs() -> None:
    assert '-m "not robust"' in _recipe("test")
    assert "-m robust" in _recipe("test-robust")
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test\n" in ci and "make test-robust" in ci and "make test-wheel" in ci
    markers = " ".join(PYPROJECT["tool"]["pytest"]["ini_options"]["markers"])
    assert "robust:" in markers


def test_make_test_needs_no_root_when_the_validators_are_there() -> None:
    recipe = (ROOT / "Makefile").read_text().split("\n$(STAMP_TEST): ")[1].split("\n\n")[0]
    commands = [ln for ln in recipe.splitlines() if not ln.strip().startswith("@#")]
    assert not [ln for ln in commands if "apt-get" in ln] and ".ci/validators.sh" in recipe
    script = (ROOT / ".ci" / "validators.sh").read_text()
    assert 'id -u)" -eq 0' in script  # apt-get only as root; otherwise the packages are named


def test_make_mutation_has_one_module_list_and_a_baseline_that_only_rises() -> None:
    makefile = (ROOT / "Makefile").read_text()
    assert makefile.count("MUTATION_MODULES ?=") == 1
    assert "--modules $(MUTATION_MODULES)" in _recipe("mutation")
    baseline = json.loads((ROOT / ".ci" / "mutation-baseline.json").read_text())
    assert {"score_pct", "equivalent"} <= set(baseline)
    for module, reasons in baseline["equivalent"].items():
        assert module in baseline["score_pct"]
        assert all(isinstance(r, str) and r for r in reasons.values())  # each with its reason


# --------------------------------------------------------------------------- unit glossary (§9)
def _constants_rows() -> list[dict[str, str]]:
    import csv

    rows = []
    for path in sorted((ROOT / "colonykit" / "_data").glob("*.csv")):
        with path.open(newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                if "unit" in row:
                    rows.append({**row, "_table": path.name})
    return rows


def test_every_unit_of_the_tables_is_in_the_glossary() -> None:
    from colonykit.units import GLOSSARY, UNIT_LABELS

    units = {r["unit"] for r in _constants_rows()}
    assert units, "no unit column found"
    assert sorted(u for u in units if f"_{u}" not in GLOSSARY and u not in UNIT_LABELS) == []
    assert all(meaning.strip() for meaning in [*GLOSSARY.values(), *UNIT_LABELS.values()])
    assert not {u for u in UNIT_LABELS if f"_{u}" in GLOSSARY}  # one meaning per unit


def test_a_constant_named_with_a_unit_suffix_has_that_unit() -> None:
    """``…_pct`` holds a unit ``pct``: the name and the unit column never disagree."""
    from colonykit.units import GLOSSARY

    suffixes = sorted(GLOSSARY, key=len, reverse=True)  # the longest first: _mb_per_s before _s
    bad = []
    for r in _constants_rows():
        name = next(iter(r.values()))  # the key column comes first
        suffix = next((s for s in suffixes if name.endswith(s)), None)
        # '%' is how the cost tables write pct; '%/year' is a percent per year
        unit = r["unit"].replace("%", "pct").split("/")[0]
        if (
            suffix is not None
            and suffix.lstrip("_") != unit
            and not (suffix == "_per_s" and r["unit"].endswith("per_s"))
        ):
            bad.append(f"{r['_table']}: {name} has unit {r['unit']!r}, its name says {suffix}")
    assert bad == []


# --------------------------------------------------------------------------- the explorer (§5)
#: Longest function (or method) in ``colonykit/widgets/``, docstring included [lines]: the
#: explorer is model / state / panel with a callback per method, not one 400-line closure.
WIDGETS_MAX_FUNCTION_LINES = 100


def long_functions(folder: Path, limit: int) -> list[str]:
    """``path:line name (N lines)`` of every function of ``folder``'s modules longer than ``limit``."""
    found = []
    for path in sorted(folder.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                n = (node.end_lineno or node.lineno) - node.lineno + 1
                if n > limit:
                    found.append(
                        f"{path.relative_to(folder.parent)}:{node.lineno} {node.name} ({n} lines)"
                    )
    return found


def test_no_function_in_widgets_is_longer_than_100_lines() -> None:
    assert long_functions(ROOT / "colonykit" / "widgets", WIDGETS_MAX_FUNCTION_LINES) == []


def test_the_function_length_check_can_fail(tmp_path: Path) -> None:
    body = "\n".join(f"    x{i} = {i}" for i in range(WIDGETS_MAX_FUNCTION_LINES))
    (tmp_path / "m.py").write_text(f"def short():\n    return 1\n\n\ndef long():\n{body}\n")
    assert long_functions(tmp_path, WIDGETS_MAX_FUNCTION_LINES) == [
        f"{tmp_path.name}/m.py:5 long ({WIDGETS_MAX_FUNCTION_LINES + 1} lines)"
    ]
