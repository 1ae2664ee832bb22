"""Real-browser fixtures: JupyterLab on 127.0.0.1 driven by headless Debian chromium.

These tests run only with ``make test-browser`` (``pytest -m ui tests/browser --browser chromium``).
They are not collected by ``make test`` (no ``-m ui``) nor when playwright is not installed.
No browser is ever downloaded: playwright launches ``/usr/bin/chromium``
(``../shared/reference/tooling.md`` §3).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
#: Screenshots for a person to look at, outside the source tree: ``$COLONYKIT_ARTIFACTS``, else
#: ``<tmp>/colonykit-artifacts-<checkout folder name>`` (one folder per checkout on a shared machine).
ARTIFACTS = Path(
    os.environ.get("COLONYKIT_ARTIFACTS")
    or Path(tempfile.gettempdir()) / f"colonykit-artifacts-{REPO_ROOT.name}"
)
CHROMIUM = os.environ.get("COLONYKIT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LAB_START_TIMEOUT_S = 120.0

# What jupyterlab.galata.configure_jupyter_server sets (test only: no token, no XSRF check),
# written out so that nothing is created outside the pytest temporary folders.
SERVER_CONFIG = """\
import jupyterlab
from pathlib import Path

c.ServerApp.ip = "127.0.0.1"
c.ServerApp.port = {port}
c.ServerApp.port_retries = 0
c.ServerApp.open_browser = False
c.ServerApp.root_dir = {root!r}
c.IdentityProvider.token = ""
c.ServerApp.password = ""
c.ServerApp.disable_check_xsrf = True
c.LabApp.expose_app_in_browser = True
c.LabServerApp.extra_labextensions_path = str(Path(jupyterlab.__file__).parent / "galata")
c.LabApp.workspaces_dir = {workspaces!r}
c.LabApp.user_settings_dir = {settings!r}
c.LabApp.news_url = None
"""
# Render every cell (no windowing): the explorer sits at the end of the notebook.
NOTEBOOK_SETTINGS = '{{"windowingMode": "none"}}'


def _ui_selected(config: pytest.Config) -> bool:
    return "ui" in (config.getoption("markexpr", default="") or "")


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """Skip this folder unless ``-m ui`` is given and playwright is importable."""
    if not _ui_selected(config) or importlib.util.find_spec("playwright") is None:
        return True
    return None


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """Launch the system chromium (no playwright browser download)."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} not found (apt-get install chromium)")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    """On a failed browser test, save a screenshot of the page to :data:`ARTIFACTS`."""
    outcome = yield
    rep = outcome.get_result()
    page = getattr(item, "funcargs", {}).get("page")
    if rep.when == "call" and rep.failed and page is not None:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        try:
            page.screenshot(path=str(ARTIFACTS / f"FAILED-{item.name}.png"), full_page=True)
        except Exception:
            pass


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    """:data:`ARTIFACTS`: screenshots for a person to look at (named in the test summary)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say where the screenshots went."""
    if (
        _ui_selected(terminalreporter.config)
        and ARTIFACTS.is_dir()
        and any(ARTIFACTS.glob("*.png"))
    ):
        terminalreporter.write_line(f"browser screenshots: {ARTIFACTS}")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def lab_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A scratch copy of ``notebooks/`` and ``data/``: the browser never touches the repo's files."""
    root = tmp_path_factory.mktemp("lab")
    shutil.copytree(
        REPO_ROOT / "notebooks",
        root / "notebooks",
        ignore=shutil.ignore_patterns(".ipynb_checkpoints"),
    )
    shutil.copytree(REPO_ROOT / "data", root / "data")
    return root


@pytest.fixture(scope="session")
def lab_url(lab_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Start ``python -m jupyterlab`` on a free 127.0.0.1 port; yield its URL; stop it at the end."""
    port = _free_port()
    cfg_dir = tmp_path_factory.mktemp("labcfg")
    cfg = cfg_dir / "jupyter_server_test_config.py"
    settings = cfg_dir / "user-settings"
    tracker = settings / "@jupyterlab" / "notebook-extension" / "tracker.jupyterlab-settings"
    tracker.parent.mkdir(parents=True)
    tracker.write_text(NOTEBOOK_SETTINGS.format(), encoding="utf-8")
    notify = settings / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
    notify.parent.mkdir(parents=True)
    notify.write_text('{"fetchNews": "false", "checkForUpdates": false}', encoding="utf-8")
    workspaces = cfg_dir / "workspaces"
    workspaces.mkdir()
    cfg.write_text(
        SERVER_CONFIG.format(
            port=port, root=str(lab_root), settings=str(settings), workspaces=str(workspaces)
        ),
        encoding="utf-8",
    )
    log = (cfg_dir / "lab.log").open("w", encoding="utf-8")
    # the notebooks write to $COLONYKIT_NOTEBOOK_OUT (the kernels inherit it): a known folder for the tests
    env = {
        **os.environ,
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        "COLONYKIT_NOTEBOOK_OUT": str(lab_root / "notebook-out"),
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--config", str(cfg), "--allow-root", "--no-browser"],
        cwd=lab_root,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + LAB_START_TIMEOUT_S
    try:
        while True:
            if proc.poll() is not None:
                log.flush()
                text = (cfg_dir / "lab.log").read_text(encoding="utf-8")[-3000:]
                pytest.fail(f"jupyterlab exited with {proc.returncode}:\n{text}")
            try:
                with urllib.request.urlopen(f"{url}/lab", timeout=2) as resp:
                    if resp.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(
                    f"jupyterlab did not answer on {url} within {LAB_START_TIMEOUT_S:.0f} s"
                )
            time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        log.close()
