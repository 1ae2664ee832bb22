"""The workshop dashboard in a real browser: per control, from the input event to the last chart painted.

Starts ``colonykit workshop SCENARIO --no-browser`` (Voilà) and drives it in headless Debian
Chromium through Playwright (``/usr/bin/chromium``; no browser is downloaded).  For each control
of the dashboard (found by ``[data-ck-control]``, else its ``ck-control-<name>`` class) it makes
a few changes and measures, in the page's own clock:

* **update time**: from the input event (keydown / change / click, captured on ``document``)
  to the frame where every chart shows the new plan (a chart that is a new element, or whose
  ``data-ck-rev`` changed) and the panel is no longer busy (``.ck-busy``), in ms;
* **bytes per update**: websocket frames in both directions between the input and that frame;
* **first paint**: from ``page.goto`` to every chart drawn, after the server answered (a
  pre-started kernel may be waiting: :data:`SETTLE_S` after the port opens).  The updates start
  once Voilà has pre-started the next kernel (it runs the notebook meanwhile, seconds of CPU that
  would otherwise land on the first updates).

Two colonies: the bundled Bitbrains colony (50 measured guests, traces) and the XYZ inventory
scaled to 1,000 servers on 4 z15 LPARs (as ``bench_workshop``).  Targets (issue 20): median
≤ 500 ms and p95 ≤ 1,000 ms per control, ≤ 200 kB per update, first paint ≤ 5 s.  The load
average is recorded: on a shared machine the times are upper bounds.

``COLONYKIT_BENCH_MOVES`` (default 4) changes per control; ``COLONYKIT_BENCH_SIZES`` (default
``50,1000``) the colonies; ``COLONYKIT_BENCH_CONTROLS`` (default all) a comma list of controls.
"""

from __future__ import annotations

import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("COLONYKIT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
#: Seconds to wait after the port opens (a pre-started kernel runs the notebook meanwhile).
SETTLE_S = 20.0
START_TIMEOUT_S = 180.0
UPDATE_TIMEOUT_MS = 90_000
VIEWPORT = {"width": 1920, "height": 1080}
COUNTS_1000 = {"file": 385, "dns": 154, "firewall": 77, "web": 384}
TARGETS = {
    "median_ms": 500.0,
    "p95_ms": 1000.0,
    "bytes_per_update": 200_000,
    "first_paint_ms": 5000.0,
}

#: control -> (kind, values it is moved through); kinds: slider (one arrow key a move),
#: select, toggle, checkbox, number (typed, then Enter).  Every value is new to the page except
#: those in :data:`REVISITS` (the explorer keeps recent plans: a value seen before is not rebuilt).
CONTROLS: dict[str, tuple[str, list[Any]]] = {
    "target_util_pct": ("slider", ["ArrowLeft"] * 4),
    "processor": ("select", ["z16", "z14", "z13", "z17"]),
    "sizing_bound": ("toggle", ["low", "high", "typical", "low"]),
    "design": ("select", ["dedicated", "zvm-ro-root", "zvm-shared-usr", "zvm-basevol-guestvol"]),
    "smt": ("checkbox", [None, None, None, None]),
    "max_memory_overcommit_ratio": ("slider", ["ArrowRight"] * 4),
    "memory_gib_per_host": ("number", ["2048", "1024", "1536", "4096"]),
    # last: on the 50-VM colony one LPAR cannot hold it (an error status), and a control left at a
    # refused value makes every later change refused too
    "hosts": ("slider", ["ArrowRight"] * 4),
}
#: (control, move index) of moves back to a value the page had (served from the explorer's
#: recent plans); reported apart as well as in the totals.
REVISITS = {("sizing_bound", 2), ("sizing_bound", 3), ("smt", 1), ("smt", 2), ("smt", 3)}

#: Page script: timestamp of the first input event after arming; chart revisions.
_INIT_JS = """() => {
  if (window.__ck) return;
  window.__ck = {armed: false, t0: null};
  for (const ev of ['keydown', 'change', 'click', 'input']) {
    document.addEventListener(ev, () => {
      if (window.__ck.armed && window.__ck.t0 === null) window.__ck.t0 = performance.now();
    }, true);
  }
}"""
_CHARTS_JS = """() => {
  const own = Array.from(document.querySelectorAll('.ck-charts [data-ck-chart]'));
  if (own.length) return own;
  return Array.from(document.querySelectorAll('.ck-charts .js-plotly-plot'));
}"""
_ARM_JS = f"""() => {{
  const charts = ({_CHARTS_JS})();
  charts.forEach(el => {{ el.dataset.ckOld = '1'; el.dataset.ckRevBefore = el.dataset.ckRev || ''; }});
  document.querySelectorAll('.ck-status').forEach(el => {{ el.dataset.ckOld = '1'; }});
  window.__ck.n = charts.length; window.__ck.armed = true; window.__ck.t0 = null;
}}"""
_DONE_JS = f"""() => {{
  const charts = ({_CHARTS_JS})();
  if (window.__ck.t0 === null || charts.length < window.__ck.n) return false;
  if (document.querySelector('.ck-busy')) return false;
  if (document.querySelector('.ck-status.ck-error:not([data-ck-old])')) {{  // a refused value: no redraw
    window.__ck.armed = false;
    return {{ms: performance.now() - window.__ck.t0, error: true}};
  }}
  const fresh = charts.every(el => el.dataset.ckOld !== '1'
      ? !!el.querySelector('.main-svg') || !!(el.matches('.js-plotly-plot') && el._fullLayout)
      : (el.dataset.ckRev || '') !== el.dataset.ckRevBefore);
  if (!fresh) return false;
  window.__ck.armed = false;
  return {{ms: performance.now() - window.__ck.t0, error: false}};
}}"""
_PAINTED_JS = f"""() => {{
  const charts = ({_CHARTS_JS})();
  return charts.length >= 4 && charts.every(el => !!el.querySelector('.main-svg'))
    && !document.querySelector('.ck-busy');
}}"""


def _pct(values: list[float], q: float) -> float:
    s = sorted(values)
    k = min(len(s) - 1, max(0, round(q / 100 * (len(s) - 1))))
    return s[k]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _scenario_1000(folder: Path) -> Path:
    """The XYZ scenario with its inventory's counts scaled to 1,000 servers on 4 LPARs."""
    import pandas as pd
    import yaml

    inv = pd.read_csv(REPO / "data" / "examples" / "xyz_inventory.csv", comment="#")
    inv["count"] = inv["server"].map(COUNTS_1000).astype("int64")
    inv.to_csv(folder / "inventory_1000.csv", index=False)
    doc = yaml.safe_load((REPO / "data" / "examples" / "scenario.yaml").read_text(encoding="utf-8"))
    doc["inventory"] = "inventory_1000.csv"
    doc["target"]["hosts"] = 4
    doc["target"].pop("memory_gib_per_host", None)
    path = folder / "scenario_1000.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return path


def _abs_paths(value: str | None) -> list[str]:
    """The entries of a PYTHONPATH value made absolute (relative to this process's folder)."""
    return [str(Path(p).resolve()) for p in (value or "").split(os.pathsep) if p]


def _start(scenario: Path, folder: Path) -> tuple[subprocess.Popen[bytes], str, Path]:
    """``colonykit workshop`` on a free port; returns the process, the URL it printed, its log."""
    port = _free_port()
    log_path = folder / f"workshop-{port}.log"
    log = log_path.open("wb")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from colonykit.cli import entry; entry()",
            "workshop",
            str(scenario),
            "--port",
            str(port),
            "--no-browser",
            "--export-dir",
            str(folder / "out"),
        ],
        cwd=folder,
        env={
            **os.environ,
            # this checkout first: the server runs in a temporary folder, where a relative
            # PYTHONPATH (".") would silently measure another installed colonykit
            "PYTHONPATH": os.pathsep.join([str(REPO), *_abs_paths(os.environ.get("PYTHONPATH"))]),
            "PYDEVD_DISABLE_FILE_VALIDATION": "1",
            "JUPYTER_PLATFORM_DIRS": "1",
        },
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + START_TIMEOUT_S
    url = None
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            msg = (
                f"workshop exited: {log_path.read_text(encoding='utf-8', errors='replace')[-2000:]}"
            )
            raise RuntimeError(msg)
        text = log_path.read_text(encoding="utf-8", errors="replace")
        m = re.search(r"(http://127\.0\.0\.1:\d+/\S*)", text)
        if m and url is None:
            url = m.group(1)
        if url:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    return proc, url, log_path
        time.sleep(0.3)
    proc.terminate()
    msg = f"workshop did not open port {port} in {START_TIMEOUT_S:.0f} s"
    raise RuntimeError(msg)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


def _control(page: Any, name: str) -> Any:
    key = page.locator(f"[data-ck-control='{name}'], [data-ck-control$='.{name}']")
    if key.count():
        return key.first
    return page.locator(f".ck-control-{name}").first


def _move(page: Any, name: str, kind: str, value: Any) -> None:
    el = _control(page, name)
    if kind == "slider":
        el.locator(".noUi-handle").focus()
        page.evaluate(_ARM_JS)
        page.keyboard.press(value)
    elif kind == "select":
        page.evaluate(_ARM_JS)
        el.locator("select").select_option(value)
    elif kind == "toggle":
        page.evaluate(_ARM_JS)
        el.locator("button", has_text=value).first.click()
    elif kind == "checkbox":
        page.evaluate(_ARM_JS)
        el.locator("input[type=checkbox]").click()
    else:
        inp = el.locator("input")
        inp.fill(value)
        page.evaluate(_ARM_JS)
        inp.press("Enter")


def _wait_for_pool(log_path: Path | None, timeout_s: float = 90.0) -> None:
    """After the first page took the pre-started kernel, Voilà starts the next one (it runs the
    notebook, seconds of CPU): wait until it is ready so that it does not slow the first updates."""
    if log_path is None:
        return
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        text = log_path.read_text(encoding="utf-8", errors="replace")
        if text.count("Kernel pool of explorer.ipynb is filled") >= 2:
            return
        time.sleep(0.5)


def _measure(browser: Any, url: str, moves: int, log_path: Path | None = None) -> dict[str, Any]:
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.set_default_timeout(30_000)  # actions; each update waits UPDATE_TIMEOUT_MS
    frames: list[int] = []

    def on_ws(ws: Any) -> None:
        def count(payload: str | bytes) -> None:
            frames.append(len(payload.encode("utf-8") if isinstance(payload, str) else payload))

        ws.on("framereceived", count)
        ws.on("framesent", count)

    page.on("websocket", on_ws)
    t0 = time.perf_counter()
    page.goto(url)
    page.wait_for_function(_PAINTED_JS, timeout=START_TIMEOUT_S * 1000, polling="raf")
    first_paint_ms = (time.perf_counter() - t0) * 1000.0
    first_bytes = sum(frames)
    print(
        f"[bench_workshop_browser] first paint {first_paint_ms:.0f} ms, {first_bytes} B",
        file=sys.stderr,
    )
    page.evaluate(_INIT_JS)
    _wait_for_pool(log_path)
    page.wait_for_timeout(1500)  # the last resize settles
    per: dict[str, Any] = {}
    every: list[float] = []
    every_bytes: list[int] = []
    fresh: list[float] = []
    revisit: list[float] = []
    failures: list[str] = []
    only = [c for c in os.environ.get("COLONYKIT_BENCH_CONTROLS", "").split(",") if c]
    for name, (kind, values) in CONTROLS.items():
        if only and name not in only:
            continue
        if not _control(page, name).count():
            failures.append(f"{name}: not on the page")
            continue
        times: list[float] = []
        sizes: list[int] = []
        for i, v in enumerate(values[:moves]):
            n0 = len(frames)
            try:
                _move(page, name, kind, v)
                got = page.wait_for_function(_DONE_JS, polling="raf", timeout=UPDATE_TIMEOUT_MS)
                res = got.json_value()
                if res["error"]:  # an error status, not a plan: reported, not timed
                    failures.append(f"{name}={v}: error status after {res['ms']:.0f} ms")
                    continue
                times.append(float(res["ms"]))
                (revisit if (name, i) in REVISITS else fresh).append(times[-1])
            except Exception as exc:  # a timeout: recorded, the run goes on
                failures.append(f"{name}={v}: {type(exc).__name__}")
                page.evaluate("() => { window.__ck.armed = false; }")
                page.wait_for_timeout(2000)
                continue
            page.wait_for_timeout(300)  # late frames of this update counted with it
            sizes.append(sum(frames[n0:]))
            print(
                f"[bench_workshop_browser] {name}={v}: {times[-1]:.0f} ms, {sizes[-1]} B",
                file=sys.stderr,
            )
        if times:
            per[name] = {
                "median_ms": round(statistics.median(times), 1),
                "p95_ms": round(_pct(times, 95), 1),
                "median_bytes": int(statistics.median(sizes)) if sizes else None,
                "max_bytes": max(sizes) if sizes else None,
                "updates": len(times),
            }
            every += times
            every_bytes += sizes
    context.close()
    return {
        "first_paint_ms": round(first_paint_ms, 0),
        "first_paint_bytes": first_bytes,
        "all_controls_median_ms": round(statistics.median(every), 1) if every else None,
        "all_controls_p95_ms": round(_pct(every, 95), 1) if every else None,
        "new_values_median_ms": round(statistics.median(fresh), 1) if fresh else None,
        "new_values_p95_ms": round(_pct(fresh, 95), 1) if fresh else None,
        "revisits_median_ms": round(statistics.median(revisit), 1) if revisit else None,
        "median_bytes_per_update": int(statistics.median(every_bytes)) if every_bytes else None,
        "max_bytes_per_update": max(every_bytes) if every_bytes else None,
        "per_control": per,
        "failures": failures,
    }


def run() -> dict[str, Any]:
    """Drive the dashboard at 50 and 1,000 guests; JSON-ready dict (median / p95 / bytes)."""
    from playwright.sync_api import sync_playwright

    moves = int(os.environ.get("COLONYKIT_BENCH_MOVES", "4"))
    sizes = [int(s) for s in os.environ.get("COLONYKIT_BENCH_SIZES", "50,1000").split(",")]
    out: dict[str, Any] = {
        "loadavg_1min_before": round(os.getloadavg()[0], 2),
        "targets": TARGETS,
        "moves_per_control": moves,
    }
    with tempfile.TemporaryDirectory(prefix="ck-bench-browser-") as tmp, sync_playwright() as p:
        folder = Path(tmp)
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            for size in sizes:
                scen = (
                    REPO / "data" / "examples" / "bitbrains_colony.yaml"
                    if size == 50
                    else _scenario_1000(folder)
                )
                proc, url, log = _start(scen, folder)
                try:
                    time.sleep(SETTLE_S)
                    out[f"guests_{size}"] = _measure(browser, url, moves, log)
                finally:
                    _stop(proc)
        finally:
            browser.close()
    out["loadavg_1min_after"] = round(os.getloadavg()[0], 2)
    return out


if __name__ == "__main__":  # pragma: no cover
    import json

    print(json.dumps(run(), indent=2))
