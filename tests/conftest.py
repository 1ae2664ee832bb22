"""Shared test fixtures: paths, the optional ../shared data, hypothesis profile."""

from __future__ import annotations

import os
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
