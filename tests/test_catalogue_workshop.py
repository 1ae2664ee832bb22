"""Hostile-input catalogue, root cause 1 of issue 24: the workshop server and its export folder.

Cases that need no browser: the export folder typed on the page (kept below ``--export-dir``),
the port, the token's transport, and the real server (Voilà, no browser) answering requests
without the token, with a wrong one, under a foreign ``Host`` and beyond the kernel limit.
The browser-level checks are in ``tests/browser/test_workshop_server.py``.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from colonykit import widgets
from colonykit.cli import main
from colonykit.errors import InputError

pytestmark = pytest.mark.catalogue
SCENARIO = "data/examples/scenario.yaml"


@pytest.fixture(scope="module")
def panel(tmp_path_factory: pytest.TempPathFactory) -> tuple[object, Path]:
    root = tmp_path_factory.mktemp("ws")
    return widgets.dashboard(SCENARIO, export_dir=root / "out"), root


def _outside(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if "out" not in p.relative_to(root).parts[:1]}


@pytest.mark.parametrize(
    "typed",
    [
        pytest.param("..", id="rc1-export-parent-error"),
        pytest.param("../victim", id="rc1-export-dotdot-error"),
        pytest.param("/tmp/colonykit-victim", id="rc1-export-absolute-error"),
        pytest.param("a/../../victim", id="rc1-export-normalised-escape-error"),
        pytest.param("link/victim", id="rc1-export-symlink-out-error"),
    ],
)
def test_export_folder_outside_is_refused(panel, typed: str) -> None:
    ui, root = panel
    out = root / "out"
    out.mkdir(exist_ok=True)
    if not (out / "link").exists():
        (out / "link").symlink_to(root)
    before = _outside(root)
    for button in (ui.save_button, ui.export_button, ui.report_button):
        ui.export_dir.value = typed
        button.click()
        assert "ck-error" in ui.status.value and "must be below" in ui.status.value
        assert "--export-dir" in ui.status.value
    assert _outside(root) == before  # nothing written outside --export-dir
    assert not Path("/tmp/colonykit-victim").exists()


@pytest.mark.parametrize("case", [pytest.param(None, id="rc1-export-subfolder-correct")])
def test_export_subfolder_is_written_below_the_root(panel, case: None) -> None:
    ui, root = panel
    ui.export_dir.value = "day2"
    ui.save_button.click()
    assert (root / "out" / "day2" / "scenario.yaml").is_file(), ui.status.value


@pytest.mark.parametrize("case", [pytest.param(None, id="rc1-export-confined-api-error")])
def test_export_folder_function(tmp_path: Path, case: None) -> None:
    with pytest.raises(InputError, match=r"must be below .*--export-dir"):
        widgets.export_folder(tmp_path, "../x")


@pytest.mark.parametrize("case", [pytest.param(None, id="rc1-port-taken-error")])
def test_taken_port_is_an_error_not_another_port(
    capsys: pytest.CaptureFixture[str], case: None
) -> None:
    pytest.importorskip("voila")  # the workshop extra (not in the unit-suite minima)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        assert main(["workshop", SCENARIO, "--port", str(port), "--no-browser"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and f"port {port} on 127.0.0.1 is in use" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("case", [pytest.param(None, id="rc1-token-not-in-argv-correct")])
def test_token_travels_by_environment(case: None) -> None:
    from colonykit.cli import _workshop, _workshop_server

    cmd = _workshop.voila_command(Path("nb.ipynb"), 9999, open_browser=False)
    assert not any("token" in c.lower() for c in cmd)
    env = {k: v for k, v in os.environ.items() if k != _workshop_server.TOKEN_ENV}
    r = subprocess.run(
        [*cmd[:3], "nb.ipynb", "--port", "9999"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert r.returncode == 2 and "must hold the workshop's token" in r.stderr


# --------------------------------------------------------------------------- the real server
@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    """``colonykit workshop --max-kernels 2`` (Voilà, no browser): (URL with token, port)."""
    pytest.importorskip("voila")
    folder = tmp_path_factory.mktemp("server")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    log_path = folder / "log.txt"
    log = log_path.open("w", encoding="utf-8")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from colonykit.cli import entry; entry()",
            "workshop",
            str(Path(SCENARIO).resolve()),
            "--port",
            str(port),
            "--no-browser",
            "--max-kernels",
            "2",
            "--export-dir",
            str(folder / "out"),
        ],
        cwd=folder,
        env={**os.environ, "JUPYTER_PLATFORM_DIRS": "1"},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 180
    try:
        while True:
            text = log_path.read_text(encoding="utf-8")
            m = re.search(r"http://127\.0\.0\.1:\d+/\?token=[\w-]+", text)
            if m and "Kernel pool of explorer.ipynb is filled" in text:
                break
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"colonykit workshop did not start:\n{text[-3000:]}")
            time.sleep(0.5)
        yield m.group(0), port
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        log.close()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def _get(url: str, headers: dict[str, str] | None = None) -> tuple[int, str, str]:
    opener = urllib.request.build_opener(_NoRedirect)
    req = urllib.request.Request(url, headers=headers or {})
    try:
        with opener.open(req, timeout=180) as r:
            return r.status, r.headers.get("Location", ""), r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Location", ""), e.read().decode("utf-8", "replace")


@pytest.mark.slow
@pytest.mark.parametrize(
    "query",
    [
        pytest.param("", id="rc1-server-no-token-error"),
        pytest.param("?token=wrong", id="rc1-server-wrong-token-error"),
    ],
)
def test_server_refuses_a_request_without_its_token(server, query: str) -> None:
    _url, port = server
    status, location, body = _get(f"http://127.0.0.1:{port}/{query}")
    assert status == 302 and "/login" in location, (status, location)
    assert "ck-explorer" not in body
    status, location, body = _get(f"http://127.0.0.1:{port}/api/kernels")
    assert status in (302, 403, 404) and (status != 302 or "/login" in location), status
    assert '"id"' not in body  # no kernel list


@pytest.mark.slow
@pytest.mark.parametrize(
    "host",
    [
        pytest.param("evil.example", id="rc1-server-foreign-host-error"),
        pytest.param("10.0.0.8", id="rc1-server-lan-address-host-error"),
    ],
)
def test_server_refuses_a_foreign_host(server, host: str) -> None:
    url, port = server
    status, _loc, body = _get(url, headers={"Host": f"{host}:{port}"})
    assert status == 403 and "ck-explorer" not in body


@pytest.mark.slow
@pytest.mark.parametrize("case", [pytest.param(None, id="rc1-server-kernel-limit-error")])
def test_server_kernel_limit(server, case: None) -> None:
    url, _port = server
    codes = [_get(url)[0] for _ in range(3)]
    assert codes[:2] == [200, 200] and codes[2] == 503, codes
