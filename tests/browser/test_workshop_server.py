"""The workshop server in a real browser (issue 24 root cause 1, issue 20 item 1).

1. A page without the token printed by ``colonykit workshop`` gets the login page, never the
   dashboard; a wrong token likewise.
2. A page reached under a foreign host name (DNS rebinding: Chromium maps ``evil.example`` to
   127.0.0.1) is refused with 403 even with the right token.
3. With the token: every control carries ``data-ck-control`` (its scenario key) and every chart
   ``data-ck-chart``; moving a control redraws the same chart elements in place (their
   ``data-ck-rev`` changes, no new plotly.js is sent), and closing the page ends its kernel.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.ui

REPO_ROOT = Path(__file__).resolve().parents[2]
SCENARIO = REPO_ROOT / "data" / "examples" / "scenario.yaml"
CHROMIUM = os.environ.get("COLONYKIT_CHROMIUM", "/usr/bin/chromium")
START_TIMEOUT_S = 120.0


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int, Path]]:
    """``colonykit workshop`` on a free port: (URL with token, port, log file)."""
    folder = tmp_path_factory.mktemp("workshop-server")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    log_path = folder / "workshop.log"
    log = log_path.open("w", encoding="utf-8")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from colonykit.cli import entry; entry()",
            "workshop",
            str(SCENARIO),
            "--port",
            str(port),
            "--no-browser",
            "--export-dir",
            str(folder / "out"),
        ],
        cwd=folder,
        env={**os.environ, "PYDEVD_DISABLE_FILE_VALIDATION": "1", "JUPYTER_PLATFORM_DIRS": "1"},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + START_TIMEOUT_S
    try:
        while True:
            text = log_path.read_text(encoding="utf-8")
            m = re.search(r"http://127\.0\.0\.1:\d+/\?token=[\w-]+", text)
            with socket.socket() as s:
                up = s.connect_ex(("127.0.0.1", port)) == 0
            if m and up:
                break
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"colonykit workshop did not start:\n{text[-3000:]}")
            time.sleep(0.5)
        yield m.group(0), port, log_path
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        log.close()


def test_token_is_random_and_not_on_the_command_line(server) -> None:
    url, _port, _log = server
    token = url.split("token=")[1]
    assert len(token) >= 24
    ps = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True, check=True).stdout
    assert token not in ps


def test_a_page_without_the_token_gets_no_dashboard(browser, server) -> None:
    url, port, _log = server
    context = browser.new_context()
    page = context.new_page()
    try:
        for bad in (f"http://127.0.0.1:{port}/", f"http://127.0.0.1:{port}/?token=wrong"):
            page.goto(bad)
            page.wait_for_load_state("networkidle")
            assert "/login" in page.url, page.url
            assert page.locator(".ck-explorer").count() == 0
            assert "ck-explorer" not in page.content()
        resp = page.request.get(f"http://127.0.0.1:{port}/api/kernels")
        assert '"execution_state"' not in resp.text()  # no kernel list, whatever the status
    finally:
        context.close()


def test_a_foreign_host_is_refused(browser_type, server) -> None:
    """DNS rebinding: a name the attacker controls resolves to 127.0.0.1; the Host is refused."""
    url, port, _log = server
    rebound = browser_type.launch(
        executable_path=CHROMIUM,
        args=[
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--host-resolver-rules=MAP evil.example 127.0.0.1",
        ],
    )
    try:
        page = rebound.new_page()
        token = url.split("token=")[1]
        resp = page.goto(f"http://evil.example:{port}/?token={token}")
        assert resp is not None and resp.status == 403, resp and resp.status
        assert page.locator(".ck-explorer").count() == 0
    finally:
        rebound.close()


def test_dashboard_with_the_token_updates_in_place_and_ends_its_kernel(browser, server) -> None:
    url, _port, log_path = server
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.set_default_timeout(180_000)
    frames: list[int] = []
    page.on(
        "websocket",
        lambda ws: ws.on(
            "framereceived", lambda p: frames.append(len(p if isinstance(p, bytes) else p.encode()))
        ),
    )
    page.goto(url)
    from colonykit.widgets import FIGURES

    page.wait_for_function(
        "(n) => [...document.querySelectorAll('[data-ck-chart][data-ck-rev]')]"
        ".filter(e => e.querySelector('.main-svg')).length === n",
        arg=len(FIGURES),
    )
    keys = page.eval_on_selector_all(
        "[data-ck-control]", "els => els.map(e => e.dataset.ckControl)"
    )
    assert {"target.target_util_pct", "target.processor", "design.name"} <= set(keys), keys
    charts = page.eval_on_selector_all("[data-ck-chart]", "els => els.map(e => e.dataset.ckChart)")
    # the growth and business-case charts too: this scenario has neither section, so they
    # show why (ChartSpec.note) in their place
    assert charts == list(FIGURES)
    page.evaluate("() => document.querySelectorAll('[data-ck-chart]').forEach(e => e.__ck = 1)")
    revs = page.eval_on_selector_all("[data-ck-chart]", "els => els.map(e => e.dataset.ckRev)")
    n0 = len(frames)
    page.locator("[data-ck-control='target.processor'] select").select_option("z16")
    page.wait_for_function(
        "(revs) => { const els = [...document.querySelectorAll('[data-ck-chart]')];"
        " return !document.querySelector('.ck-busy') &&"
        " els.every((e, i) => e.__ck === 1 && e.dataset.ckRev !== revs[i]); }",
        arg=revs,
    )
    update_bytes = sum(frames[n0:])
    assert update_bytes < 200_000, update_bytes  # figure JSON only: no plotly.js again
    title = page.locator("[data-ck-chart='sizing_engines'] .gtitle").text_content() or ""
    assert "z16" in title, title
    kernels = len(re.findall(r"Kernel started", log_path.read_text(encoding="utf-8")))
    context.close()
    deadline = time.monotonic() + 60
    while "page closed, shutting kernel" not in log_path.read_text(encoding="utf-8"):
        assert time.monotonic() < deadline, "the closed page's kernel is still running"
        time.sleep(1)
    assert kernels >= 2  # the page's and the pre-started next one
