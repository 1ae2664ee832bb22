"""The workshop in a real browser (``make test-browser``): Voilà dashboard and the PDF handout.

1. ``colonykit workshop`` serves the explorer notebook with Voilà on 127.0.0.1; the dashboard
   loads without an error, every control has a tooltip, screenshots at 1920 × 1080 and
   1366 × 768 go to ``tests/artifacts/``.
2. Pin a baseline, move the target-utilization slider: the headline's engine count changes as
   the library says and baseline vs current shows both.
3. *Save scenario* writes a YAML that rebuilds the same plan; *Export plan* and *Export report*
   write plan.yaml, report.html, tables.xlsx and report.pdf.
4. ``colonykit report --pdf``: page 1 is the title page, page 2 the executive summary (text read
   back with pypdf).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.ui

REPO_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("COLONYKIT_CHROMIUM", "/usr/bin/chromium")
SCENARIO = REPO_ROOT / "data" / "examples" / "bitbrains_colony.yaml"
TIMEOUT_MS = 240_000
START_TIMEOUT_S = 120.0
VIEWPORTS = {"1920x1080": (1920, 1080), "1366x768": (1366, 768)}


@pytest.fixture(scope="module")
def export_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("workshop") / "out"


@pytest.fixture(scope="module")
def workshop_url(export_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``colonykit workshop SCENARIO --port N --no-browser`` until the module's tests end."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    log_path = tmp_path_factory.mktemp("voila") / "voila.log"
    log = log_path.open("w", encoding="utf-8")
    env = {**os.environ, "PYDEVD_DISABLE_FILE_VALIDATION": "1", "JUPYTER_PLATFORM_DIRS": "1"}
    proc = subprocess.Popen([sys.executable, "-c", "from colonykit.cli import entry; entry()", "workshop", str(SCENARIO), "--port",
                             str(port), "--no-browser", "--export-dir", str(export_dir)],
                            cwd=log_path.parent, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + START_TIMEOUT_S
    try:
        while True:
            if proc.poll() is not None:
                log.flush()
                pytest.fail(f"colonykit workshop exited with {proc.returncode}:\n"
                            f"{log_path.read_text(encoding='utf-8')[-3000:]}")
            try:
                with urllib.request.urlopen(url, timeout=2) as resp:
                    if resp.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"voila did not answer on {url} within {START_TIMEOUT_S:.0f} s")
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


@pytest.fixture(scope="module")
def dash(browser, workshop_url: str):
    """One dashboard page for the module (each page load starts a kernel)."""
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(workshop_url)
    page.wait_for_selector(".ck-explorer .ck-charts .js-plotly-plot .main-svg")
    yield page
    context.close()


@pytest.fixture(scope="module")
def expected():
    from colonykit.widgets import ExplorerModel

    model = ExplorerModel(SCENARIO)
    before = model.state
    after = model.update(target_util_pct=50)
    return model, before, after


def test_dashboard_loads_under_voila(dash, artifacts_dir: Path) -> None:
    assert dash.locator(".ck-explorer .ck-status.ck-error").count() == 0
    assert dash.locator(".jp-OutputArea-output pre").count() == 0  # no traceback, no code cells
    assert dash.locator(".jp-CodeCell .jp-InputArea").count() == 0
    assert dash.locator(".ck-explorer .ck-charts .js-plotly-plot").count() == 4
    # tooltips: the (?) beside each control (the widget's own tooltip is not rendered by every control)
    for name in ("target_util_pct", "processor", "hosts", "max_memory_overcommit_ratio"):
        title = dash.locator(f".ck-tip-{name} .ck-tip").get_attribute("title")
        assert title and "[" in title, (name, title)
    # projector layout: controls left of the charts, both on the first screen at 1920 x 1080
    left = dash.locator(".ck-left").bounding_box()
    charts = dash.locator(".ck-charts").bounding_box()
    assert left["x"] + left["width"] <= charts["x"] + 1
    status = dash.locator(".ck-left .ck-status").bounding_box()  # the last control
    assert status["y"] + status["height"] <= 1080, status
    last_chart = dash.locator(".ck-charts .js-plotly-plot").nth(3).bounding_box()
    assert last_chart["y"] + last_chart["height"] <= 1080, last_chart
    for label, (w, h) in VIEWPORTS.items():
        dash.set_viewport_size({"width": w, "height": h})
        dash.wait_for_timeout(1500)
        dash.screenshot(path=str(artifacts_dir / f"workshop_{label}.png"))
        controls = dash.locator(".ck-left").bounding_box()
        assert controls["width"] < w / 2 and controls["x"] >= 0  # controls still beside the charts
    dash.set_viewport_size({"width": 1920, "height": 1080})


def test_control_change_updates_headline_and_baseline(dash, expected, artifacts_dir: Path) -> None:
    _model, before, after = expected
    want_before = str(before.headline["engines_per_host"][0])
    want_after = str(after.headline["engines_per_host"][0])
    assert want_before != want_after
    engines = dash.locator(".ck-explorer .ck-engines").first
    assert engines.inner_text().strip() == want_before
    dash.locator(".ck-explorer button", has_text="Pin baseline").click()
    dash.wait_for_selector(".ck-compare")
    start = round(before.controls.target_util_pct)
    slider = dash.locator(".ck-explorer .widget-slider", has_text="target util").first
    slider.locator(".noUi-handle").focus()
    for _ in range((start - 50) // 5):
        dash.keyboard.press("ArrowLeft")
    dash.wait_for_function(
        "(want) => document.querySelector('.ck-explorer .ck-engines').innerText.trim() === want", arg=want_after)
    # the engines chart re-rendered in place (its title names the target utilization)
    dash.wait_for_function("() => document.querySelector('.ck-charts .js-plotly-plot .gtitle')"
                           ".textContent.includes('50 %')", timeout=60_000)
    base = dash.locator(".ck-compare .ck-row-baseline td").nth(1).inner_text()
    cur = dash.locator(".ck-compare .ck-row-current td").nth(1).inner_text()
    diff = dash.locator(".ck-compare .ck-row-difference td").nth(1).inner_text()
    assert (base, cur) == (str(sum(before.headline["engines_per_host"])), str(sum(after.headline["engines_per_host"])))
    assert diff.startswith("+")
    dash.wait_for_function("() => document.querySelectorAll('.ck-charts .js-plotly-plot .gtitle').length === 4")
    dash.wait_for_timeout(1000)
    dash.screenshot(path=str(artifacts_dir / "workshop_baseline_1920x1080.png"))


def test_save_and_export(dash, expected, export_dir: Path) -> None:
    from colonykit import export, plan

    _model, _before, after = expected
    dash.locator(".ck-explorer button", has_text="Save scenario").click()
    dash.wait_for_selector(".ck-explorer .ck-status >> text=saved")
    saved = export_dir / "scenario.yaml"
    again = plan.build_plan(plan.load_scenario(saved))
    assert [h.capacity.cpus for h in again.plan.hosts] == after.headline["engines_per_host"]
    assert [g.model_dump() for _h, g in again.plan.guests()] == \
        [g.model_dump() for _h, g in after.result.plan.guests()]
    dash.locator(".ck-explorer button", has_text="Export plan").click()
    dash.wait_for_selector(".ck-explorer .ck-status >> text=exported")
    assert export.load_plan(export_dir / "plan" / "plan.yaml").hosts[0].capacity.cpus == after.headline["engines_per_host"][0]
    dash.locator(".ck-explorer button", has_text="Export report").click()
    dash.wait_for_selector(".ck-explorer .ck-status >> text=reported")
    for name in ("report.html", "tables.xlsx", "report.pdf"):
        assert (export_dir / name).is_file() and (export_dir / name).stat().st_size > 1000, name
    assert dash.locator(".ck-explorer .ck-status.ck-error").count() == 0


def test_pdf_title_page_then_executive_summary(tmp_path: Path) -> None:
    from pypdf import PdfReader

    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} not found")
    from colonykit.cli import main

    pdf = tmp_path / "report.pdf"
    assert main(["report", str(SCENARIO), "--out", str(tmp_path / "report.html"), "--pdf", str(pdf),
                 "--customer", "XYZ Corp", "--author", "A. Planner", "--date", "2026-01-31"]) == 0
    pages = PdfReader(pdf).pages
    assert len(pages) >= 6
    first, second = pages[0].extract_text(), pages[1].extract_text()
    for text in ("Linux consolidation plan", "XYZ Corp", "A. Planner", "2026-01-31", "Plan revision"):
        assert text in first, text
    assert "Executive summary" not in first
    assert second.lstrip().startswith("Executive summary")
    for text in ("Recommended", "Engines by peak", "Consolidation ratio", "White space", "overcommit",
                 "Main risks"):
        assert text in second, text
    assert "Findings" not in second.split("Main risks")[0]  # the summary is one page
