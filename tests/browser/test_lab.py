"""Real JupyterLab in headless chromium (``make test-browser``; tooling.md §3).

1. A tiny widget notebook round-trips (separates "the lab/browser set-up is broken" from
   "the quickstart is broken").
2. The quickstart notebook runs all cells without an error output; moving the explorer's
   target-utilization slider re-renders the engines figure and changes the engine count
   on screen; "Export plan" writes ``plan.yaml``.
3. The workshop report opens with every network request blocked and all figures render.

Screenshots go to ``conftest.ARTIFACTS`` (outside the source tree).
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

pytestmark = pytest.mark.ui

KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
# Await the session before running (running as soon as the page is idle flaked: tooling.md §3).
RUN_ALL = """async () => { const app = window.jupyterapp; let w = app.shell.currentWidget;
  while (!w || !w.sessionContext) { await new Promise(r => setTimeout(r, 100)); w = app.shell.currentWidget; }
  await w.context.ready; await w.sessionContext.ready;
  await app.commands.execute('notebook:run-all-cells'); }"""
# Error outputs of every code cell, read from the notebook model.
ERRORS = """() => { const nb = window.jupyterapp.shell.currentWidget.content.model; const out = [];
  for (let i = 0; i < nb.cells.length; i++) { const c = nb.cells.get(i);
    if (c.type !== 'code') continue;
    for (const o of c.outputs.toJSON()) if (o.output_type === 'error') out.push(`cell ${i}: ${o.ename}: ${o.evalue}`); }
  return out; }"""
# Number of code cells that have run (execution count set).
EXECUTED = """() => { const nb = window.jupyterapp.shell.currentWidget.content.model; let n = 0, total = 0;
  for (let i = 0; i < nb.cells.length; i++) { const c = nb.cells.get(i);
    if (c.type !== 'code') continue; total++; if (c.executionCount) n++; }
  return [n, total]; }"""
TIMEOUT_MS = 120_000


def _open_and_run(page, url: str) -> None:
    """Open one notebook in a fresh workspace (``?reset``), run all cells, wait until all ran."""
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(url)
    page.wait_for_function("window.jupyterapp !== undefined")
    page.evaluate(RUN_ALL)
    page.wait_for_function(f"({EXECUTED})().every((v, _, a) => a[0] === a[1])")


def test_lab_runs_a_widget(page, lab_url: str, lab_root: Path) -> None:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = KERNELSPEC
    nb.cells = [
        nbformat.v4.new_code_cell(
            "import ipywidgets as w\ns = w.IntSlider(value=3, description='n')\n"
            "lab = w.Label('doubled=6')\n"
            "s.observe(lambda ch: setattr(lab, 'value', f'doubled={2 * ch.new}'), 'value')\n"
            "w.VBox([s, lab])"
        )
    ]
    nbformat.write(nb, lab_root / "smoke.ipynb")
    _open_and_run(page, f"{lab_url}/lab/tree/smoke.ipynb?reset")
    page.wait_for_selector("text=doubled=6")
    page.focus(".widget-slider .noUi-handle")
    page.keyboard.press("ArrowRight")
    page.wait_for_selector("text=doubled=8")


def test_quickstart_explorer(page, lab_url: str, lab_root: Path, artifacts_dir: Path) -> None:
    from colonykit.widgets import ExplorerModel

    # what the screen must show, from the library (the notebook reads the same scenario)
    model = ExplorerModel(lab_root / "data" / "examples" / "bitbrains_colony.yaml")
    start = round(model.controls.target_util_pct)
    want_before = str(model.state.headline["engines_per_host"][0])
    want_after = str(model.update(target_util_pct=50).headline["engines_per_host"][0])
    assert want_before != want_after

    _open_and_run(page, f"{lab_url}/lab/tree/notebooks/00_quickstart.ipynb?reset")
    assert page.evaluate(ERRORS) == []
    explorer = page.wait_for_selector(".ck-explorer")
    explorer.scroll_into_view_if_needed()
    engines = page.locator(".ck-explorer .ck-engines").first
    engines.wait_for()
    title = page.locator(".ck-explorer .js-plotly-plot .gtitle").first
    title.wait_for()
    assert f"{start} % target" in title.text_content()
    assert engines.inner_text() == want_before
    # issue 20 item 3: every explorer chart fits its notebook cell (they stayed 700 px in 366 px cells)
    page.wait_for_function(
        "() => { const els = [...document.querySelectorAll('.ck-explorer [data-ck-chart]')];"
        " return els.length >= 4 && els.every(el => { const s = el.querySelector('.main-svg');"
        " return s && s.getBoundingClientRect().width <= el.getBoundingClientRect().width + 1; }); }",
        timeout=60_000,
    )

    slider = page.locator(".ck-explorer .widget-slider", has_text="target util").first
    slider.locator(".noUi-handle").focus()
    for _ in range((start - 50) // 5):  # slider step 5 % -> 50 %
        page.keyboard.press("ArrowLeft")
    page.wait_for_function(
        "(want) => document.querySelector('.ck-explorer .ck-engines').innerText.trim() === want",
        arg=want_after,
    )
    page.wait_for_function(
        "() => document.querySelector('.ck-explorer .js-plotly-plot .gtitle').textContent.includes('50 %')"
    )
    assert engines.inner_text() == want_after
    assert "50 % target" in title.text_content()
    assert page.locator(".ck-explorer .ck-status.ck-error").count() == 0

    page.locator(".ck-explorer button", has_text="Export plan").click()
    page.wait_for_selector(".ck-explorer .ck-status >> text=exported")
    plan_yaml = lab_root / "notebook-out" / "explorer" / "plan" / "plan.yaml"
    assert plan_yaml.is_file()
    assert "target_util_pct: 50" in plan_yaml.read_text(encoding="utf-8")
    assert page.evaluate(ERRORS) == []
    page.screenshot(path=str(artifacts_dir / "quickstart_explorer.png"), full_page=True)


def test_report_renders_offline(page, tmp_path: Path, artifacts_dir: Path, repo_root: Path) -> None:
    from colonykit import plan, report

    result = plan.build_plan(repo_root / "data" / "examples" / "scenario.yaml")
    expected = list(report.report_figures(result))
    out = report.write_report(result, tmp_path / "report.html")
    blocked: list[str] = []

    def block(route) -> None:  # the report must not need the network
        blocked.append(route.request.url)
        route.abort()

    page.route("http://**/*", block)
    page.route("https://**/*", block)
    page.goto(out.as_uri())
    n = page.locator("div[data-figure]").count()
    assert n == len(expected) >= 5
    page.wait_for_function(f"document.querySelectorAll('div[data-figure] .main-svg').length >= {n}")
    for name in expected:
        fig = page.locator(f"div[data-figure='{name}'] .js-plotly-plot")
        assert fig.count() == 1, name
        assert fig.locator(".main-svg").count() >= 1, name
    assert (
        page.locator("div[data-figure='sizing_engines'] .gtitle")
        .text_content()
        .startswith("z15 engines")
    )
    assert blocked == []
    page.screenshot(path=str(artifacts_dir / "report.png"), full_page=True)
