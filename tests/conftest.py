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
    "colonykit", deadline=None, max_examples=60,
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
