"""The unit suite against the installed wheel (make test-wheel, issue 27 §7).

.ci/wheel_tests.sh installs the built wheel in a fresh venv and runs this suite from a copy
outside the tree; tests/conftest.py skips the tests that read the repository's own files.
"""

from __future__ import annotations

import ast
import importlib.util
import os
import sysconfig
from pathlib import Path

import pytest

import colonykit

TESTS = Path(__file__).resolve().parent

# tests/conftest.py by its path: the bare name ``conftest`` may be tests/browser/conftest.py when the
# whole suite is collected
_spec = importlib.util.spec_from_file_location("_colonykit_tests_conftest", TESTS / "conftest.py")
assert _spec is not None and _spec.loader is not None
conftest = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(conftest)


def test_the_package_under_test_is_the_one_expected() -> None:
    """In the source tree, the tree's colonykit; in make test-wheel, the venv's site-packages."""
    here = Path(colonykit.__file__).resolve().parent
    if os.environ.get("COLONYKIT_TEST_INSTALLED") == "1":
        assert not conftest.SOURCE_TREE
        assert Path(sysconfig.get_paths()["purelib"]).resolve() in here.parents
    else:
        assert conftest.SOURCE_TREE == (here == conftest.REPO_ROOT / "colonykit")


def test_the_skip_lists_name_existing_tests() -> None:
    """A renamed file or test must be renamed in tests/conftest.py too (the lists cannot rot)."""
    for name in conftest.SOURCE_TREE_FILES:
        assert (TESTS / name).is_file(), name
    for entry in conftest.SOURCE_TREE_TESTS:
        name, _, test = entry.partition("::")
        tree = ast.parse((TESTS / name).read_text(encoding="utf-8"))
        defined = {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
        assert test in defined, entry


@pytest.mark.source_tree
def test_make_test_wheel_runs_the_suite_outside_the_tree() -> None:
    root = TESTS.parent
    recipe = (root / "Makefile").read_text().split("\ntest-wheel:", 1)[1].split("\n\n", 1)[0]
    assert ".ci/wheel_smoke.sh $(WHEEL_DIR)" in recipe
    assert ".ci/wheel_tests.sh $(WHEEL_DIR)" in recipe
    script = (root / ".ci" / "wheel_tests.sh").read_text()
    assert "[test-unit]" in script and "COLONYKIT_TEST_INSTALLED=1" in script
    assert 'cd "$tmp/suite"' in script
