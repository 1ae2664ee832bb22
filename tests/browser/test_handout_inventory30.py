"""Issue 20 Done-when on a 30-server spreadsheet-style inventory with real nmon / sar captures
(tests/data/inventory30/): every number the PDF handout (``colonykit report --pdf``) shows for
engines, white space, memory and disks is the plan's, and so is every number of the dashboard's
headline in a real browser.

The handout's text comes from pypdf (the ``browser`` extra); the numbers allowed are read from
the plan result by ``tests/story_numbers.py`` (the same set as the bundled examples' checks).
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.ui

REPO_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("COLONYKIT_CHROMIUM", "/usr/bin/chromium")
SCENARIO = REPO_ROOT / "tests" / "data" / "inventory30" / "scenario.yaml"
START_TIMEOUT_S = 120.0
TIMEOUT_MS = 240_000
#: Executive-summary rows of the handout whose numbers are checked, and the label that follows
#: each (the summary is one table; pypdf gives its text row by row).
ROWS = {
    "Engines": "Path to the engine count",
    "White space": "Memory and overcommit",
    "Memory and overcommit": "Disk",
    "Disk": "Main risks",
}


def _result():
    from colonykit import plan

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return plan.build_plan(SCENARIO)


def _allowed(res) -> set[str]:
    sys.path.insert(0, str(REPO_ROOT / "tests"))
    from story_numbers import plan_numbers

    return plan_numbers(res)


def test_every_handout_number_for_engines_white_space_memory_disks_is_the_plans(
    tmp_path: Path,
) -> None:
    from pypdf import PdfReader

    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} not found")
    from colonykit.cli import main

    pdf = tmp_path / "handout.pdf"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        code = main(["report", str(SCENARIO), "--out", str(tmp_path / "r.html"), "--pdf", str(pdf)])
    assert code == 0
    text = PdfReader(pdf).pages[1].extract_text()  # page 2: the executive summary
    assert text.lstrip().startswith("Executive summary")
    sys.path.insert(0, str(REPO_ROOT / "tests"))
    from story_numbers import numbers_in

    res = _result()
    allowed = _allowed(res)
    flat = " ".join(text.split())
    for row, after in ROWS.items():
        m = re.search(rf"{re.escape(row)} (.*?) {re.escape(after)}", flat)
        assert m, (row, flat[:2000])
        body = re.sub(r"\b3390-(9|27|54|A)\b|\bz1[4-7]\b", " ", m.group(1))  # model names
        shown = numbers_in(body)
        stray = [n for n in shown if n not in allowed and n not in {"1", "2"}]
        assert shown and not stray, (row, stray, m.group(1))
    # the figures themselves, each as the plan has it
    total = sum(h.capacity.cpus for h in res.plan.hosts)
    assert re.search(rf"Engines {total} \(range", flat), flat[:1500]
    ws = res.plan.evidence.white_space.values["white_space_pct"]
    assert f"{ws:.1f} %" in flat
    for h in res.plan.hosts:
        virt = sum(g.memory_mib for g in h.guests) / 1024
        assert f"{virt:,.1f} GiB guest virtual on {h.capacity.memory_gib:,.0f} GiB real" in flat
    n_data = sum(1 for _h, g in res.plan.guests() for s in g.storage if s.role == "appdata")
    assert f"in {n_data:,} minidisk(s)" in flat
    for model in ("3390-A", "EDEV"):
        n = len(
            {s.volser for _h, g in res.plan.guests() for s in g.storage if s.volume_model == model}
        )
        assert f"{n:,} × {model}" in flat


@pytest.fixture(scope="module")
def workshop_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``colonykit workshop`` on the 30-server scenario until the module's tests end."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    log_path = tmp_path_factory.mktemp("voila30") / "voila.log"
    log = log_path.open("w", encoding="utf-8")
    env = {**os.environ, "PYDEVD_DISABLE_FILE_VALIDATION": "1", "JUPYTER_PLATFORM_DIRS": "1"}
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
            str(log_path.parent / "out"),
        ],
        cwd=log_path.parent,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + START_TIMEOUT_S
    try:
        while True:
            if proc.poll() is not None:
                log.flush()
                pytest.fail(f"colonykit workshop exited: {log_path.read_text()[-3000:]}")
            log.flush()
            text = log_path.read_text(encoding="utf-8")
            m = re.search(r"http://127\.0\.0\.1:\d+/\?token=[\w-]+", text)
            if m and "Kernel pool of explorer.ipynb is filled" in text:
                break
            if time.monotonic() > deadline:
                pytest.fail(f"voila did not answer on port {port} within {START_TIMEOUT_S:.0f} s")
            time.sleep(0.5)
        yield m.group(0)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        log.close()


def test_every_number_on_the_page_is_the_plans(browser, workshop_url: str) -> None:
    """The dashboard's headline for the 30 servers, as Chromium shows it at 1366×768."""
    sys.path.insert(0, str(REPO_ROOT / "tests"))
    from story_numbers import numbers_in

    res = _result()
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    try:
        page.goto(workshop_url)
        page.wait_for_selector(".ck-explorer .ck-headline .ck-engines-total")
        text = page.locator(".ck-explorer .ck-headline").first.inner_text()
        stray = [n for n in numbers_in(text) if n not in _allowed(res) and n not in {"1", "2"}]
        assert not stray, (stray, text)
        total = sum(h.capacity.cpus for h in res.plan.hosts)
        shown = page.locator(".ck-explorer .ck-engines-total").first.inner_text().strip()
        assert shown == str(total)
    finally:
        context.close()
