"""Shared test fixtures: paths, the optional ../shared data, hypothesis profile."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

REPO_ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = REPO_ROOT / "data"
TESTS_DATA_DIR = Path(__file__).resolve().parent / "data"
SHARED_DATA_DIR = REPO_ROOT.parent / "shared" / "data"

settings.register_profile(
    "colonykit",
    deadline=None,
    max_examples=60,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "colonykit"))


@pytest.fixture(autouse=True)
def _run_from_repo_root(monkeypatch: pytest.MonkeyPatch) -> None:
    """Doctests and tests use repo-relative paths (``data/examples/…``)."""
    monkeypatch.chdir(REPO_ROOT)


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA_DIR


@pytest.fixture(scope="session")
def tests_data_dir() -> Path:
    return TESTS_DATA_DIR


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """``../shared/data`` when present (developer machines, CI); skip the test otherwise."""
    if not SHARED_DATA_DIR.is_dir():
        pytest.skip("../shared/data is not present (optional large real traces)")
    return SHARED_DATA_DIR


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite golden files from the current output; review them with git diff",
    )


@pytest.fixture
def check_golden(request: pytest.FixtureRequest):
    """``check_golden(path, text)``: compare ``text`` with the golden file, showing a unified diff.

    ``pytest --update-golden`` rewrites the file instead; review the change with ``git diff``.
    """
    import difflib

    def check(path: Path, text: str) -> None:
        if request.config.getoption("--update-golden"):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            return
        if not path.is_file():
            pytest.fail(f"golden file {path} is missing: create it with pytest --update-golden")
        expected = path.read_text(encoding="utf-8")
        if text != expected:
            diff = "".join(
                difflib.unified_diff(
                    expected.splitlines(True),
                    text.splitlines(True),
                    f"{path.name} (golden)",
                    f"{path.name} (now)",
                )
            )
            pytest.fail(
                f"output differs from {path} (pytest --update-golden, then git diff):\n{diff}"
            )

    return check


# --------------------------------------------------------------------- the installed wheel
# ``make test-wheel`` runs this suite against the built wheel installed in a fresh venv: tests/
# and data/ are copied outside the tree, so ``import colonykit`` finds site-packages, never the
# source (.ci/wheel_tests.sh).  Tests that read the repository's own files (the sources under
# colonykit/, docs, notebooks, README, pyproject, Makefile, .ci) skip there, saying why.
import colonykit  # noqa: E402 - after the fixtures above, which need nothing of it

#: Where the colonykit under test lives: the source tree, or an installed wheel's site-packages.
PACKAGE_DIR = Path(colonykit.__file__).resolve().parent
#: True when the suite tests the source tree (``make test``), False against an installed wheel.
SOURCE_TREE = PACKAGE_DIR == REPO_ROOT / "colonykit"
#: The reason the repository-file tests give when they skip against the installed wheel.
SOURCE_TREE_REASON = (
    f"needs the repository's own files (sources, docs, notebooks, README, pyproject); "
    f"this run tests the installed wheel at {PACKAGE_DIR}"
)
#: Test files that read the repository's own files in every test (or while being imported).
SOURCE_TREE_FILES = frozenset(
    {
        "test_conventions.py",
        "test_docs.py",
        "test_docstrings.py",
        "test_import_graph.py",
        "test_names.py",
        "test_notebook_hygiene.py",
        "test_notebooks_outputs.py",
        "test_packaging.py",
        "test_readme_figures.py",
        "test_readme_table.py",
    }
)
#: Single tests that do (``file::test``; a parametrized test with all its cases).  New ones can
#: carry ``@pytest.mark.source_tree`` instead.
SOURCE_TREE_TESTS = frozenset(
    {
        # the dashboard notebook is read from the checkout (not in the wheel)
        "test_cli_workshop.py::test_workshop_command_line",
        "test_install.py::test_the_package_exposes_its_public_submodules",
        "test_install.py::test_import_colonykit_stays_light",
        "test_install.py::test_every_public_module_declares_all_and_defines_it",
        "test_install.py::test_make_test_wheel_is_in_ci",
        "test_one_list.py::test_every_result_class_shares_one_to_dict",
        "test_plausibility.py::test_colonykit_warnings_go_through_log_or_raise",
    }
)


def pytest_configure(config: pytest.Config) -> None:
    """``make test-wheel`` sets COLONYKIT_TEST_INSTALLED=1: then the source tree must not be it."""
    if os.environ.get("COLONYKIT_TEST_INSTALLED") == "1" and SOURCE_TREE:
        raise pytest.UsageError(f"expected the installed wheel, imported {PACKAGE_DIR}")


class _SourceTreeOnly(pytest.File):
    """A test file of :data:`SOURCE_TREE_FILES` against the installed wheel: one skipped item
    (the file is not imported: some read the repository while being imported)."""

    def collect(self) -> Iterator[pytest.Item]:
        yield _SkippedForWheel.from_parent(self, name="source_tree")


class _SkippedForWheel(pytest.Item):
    def runtest(self) -> None:
        pytest.skip(SOURCE_TREE_REASON)

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"{self.path.name}: source tree only"


def pytest_pycollect_makemodule(module_path: Path, parent: pytest.Collector) -> pytest.File | None:
    if not SOURCE_TREE and module_path.name in SOURCE_TREE_FILES:
        return _SourceTreeOnly.from_parent(parent, path=module_path)
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if SOURCE_TREE:
        return
    skip = pytest.mark.skip(reason=SOURCE_TREE_REASON)
    for item in items:
        name = getattr(item, "originalname", item.name)
        if f"{item.path.name}::{name}" in SOURCE_TREE_TESTS or item.get_closest_marker(
            "source_tree"
        ):
            item.add_marker(skip)
