"""Bundled data is part of the product: a test that needs it fails when it is missing (issue 15).

Only ``../shared`` (optional, large, outside the repository) may be skipped, through the
``shared_data`` fixture of tests/conftest.py.
"""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def _skip_calls(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "skip"
            and node.args
            and isinstance(node.args[0], ast.Constant | ast.JoinedStr)
        ):
            text = ast.unparse(node.args[0]).lower()
            if "bundled" in text or "data/" in text or "not present" in text:
                found.append(f"{path.name}:{node.lineno} {text}")
    return found


def test_no_test_skips_when_bundled_data_is_missing():
    offenders = [
        hit
        for p in sorted(TESTS.rglob("*.py"))
        if p.name != "conftest.py"
        for hit in _skip_calls(p)
    ]
    assert offenders == []


def test_the_bundled_example_traces_exist(repo_root: Path):
    assert (repo_root / "data" / "traces" / "bitbrains_rnd_50vm_7d.csv.gz").is_file()
