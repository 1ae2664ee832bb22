"""``colonykit init``, ``colonykit catalog`` and the ``workshop`` command line (no browser)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest

from colonykit import plan, reference
from colonykit.cli import main
from colonykit.ingest import read_inventory


def test_init_writes_a_study_that_plans(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    study = tmp_path / "study"
    assert main(["init", str(study)]) == 0
    for name in ("scenario.yaml", "inventory.csv", "inventory.xlsx", "README.md"):
        assert (study / name).is_file(), name
    text = (study / "scenario.yaml").read_text(encoding="utf-8")
    assert text.count("#") > 20  # commented
    # `colonykit plan DIR/scenario.yaml` accepts it as written, exit 0
    capsys.readouterr()
    assert main(["plan", str(study / "scenario.yaml"), "--out", str(tmp_path / "out")]) == 0
    assert (tmp_path / "out" / "plan.yaml").is_file()
    # the Excel template reads like the CSV, and its second sheet explains every column
    csv_inv, _ = read_inventory(study / "inventory.csv")
    xlsx_inv, _ = read_inventory(study / "inventory.xlsx")
    assert csv_inv.equals(xlsx_inv)
    wb = openpyxl.load_workbook(study / "inventory.xlsx", read_only=True)
    assert wb.sheetnames == ["inventory", "columns"]
    explained = [r[0] for r in wb["columns"].iter_rows(min_row=2, values_only=True)]
    assert set(explained) >= set(pd_columns(csv_inv))
    readme = (study / "README.md").read_text(encoding="utf-8")
    assert "colonykit plan scenario.yaml" in readme and "`util_peak_pct` | % (0-100)" in readme
    # the Excel inventory works in the scenario too
    scen = plan.load_scenario(study / "scenario.yaml")
    scen.inventory = "inventory.xlsx"
    assert not plan.build_plan(scen).has_errors


def pd_columns(frame) -> list[str]:
    return [c for c in frame.columns if frame[c].notna().any()]


def test_init_refuses_to_overwrite(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["init", str(tmp_path)]) == 0
    capsys.readouterr()
    assert main(["init", str(tmp_path)]) == 2
    assert "already has" in capsys.readouterr().err
    assert main(["init", str(tmp_path), "--force"]) == 0
    assert main(["init", str(tmp_path / "x"), "--name", "bad name!"]) == 2
    assert "'--name' must be" in capsys.readouterr().err
    (tmp_path / "afile").write_text("x")
    assert main(["init", str(tmp_path / "afile")]) == 2


@pytest.mark.parametrize(
    "name,table,key",
    [
        ("processors", "processors", "z15"),
        ("classes", "workload_classes", "web"),
        ("units", "capacity_units", "mhz_per_core"),
    ],
)
def test_catalog_json_is_the_bundled_table(
    name: str, table: str, key: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["catalog", name, "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    rows = {r[next(iter(r))]: r for r in doc["rows"]}
    bundled = reference.load_table(table)
    assert set(rows) == {str(i).lower() if name == "processors" else str(i) for i in bundled.index}
    assert rows[key]["source"] == bundled.loc[key if name != "processors" else "z15", "source"]
    assert all(r["source"] for r in rows.values())


def test_catalog_designs_and_rules(capsys: pytest.CaptureFixture[str]) -> None:
    from colonykit import designs

    assert main(["catalog", "designs", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [r["design"] for r in doc["rows"]] == designs.design_names()
    assert main(["catalog", "rules"]) == 0
    out = capsys.readouterr().out
    assert "sg24-6299" in out and "seed 003 §9.1.1" in out and "velocity" in out
    with pytest.raises(SystemExit) as exc:
        main(["catalog", "nope"])
    assert exc.value.code == 2
    assert "invalid choice: 'nope'" in capsys.readouterr().err


def test_workshop_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["workshop", str(tmp_path / "missing.yaml"), "--no-browser"]) == 2
    assert "scenario file not found" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["workshop", "data/examples/scenario.yaml", "--port", "80"])
    assert exc.value.code == 2
    assert "must be in 1024..65535 (got 80)" in capsys.readouterr().err


def test_workshop_command_line(tmp_path: Path) -> None:
    from colonykit.cli import _workshop

    nb = _workshop.write_notebook(tmp_path)
    assert nb.name == "explorer.ipynb" and nb.is_file()
    cmd = _workshop.voila_command(nb, 9999, open_browser=False, max_kernels=3)
    assert "--port=9999" in cmd and "--max-kernels=3" in cmd and "--open-browser" not in cmd
    assert not any("token" in part.lower() for part in cmd)  # never on the command line (ps)


@pytest.mark.source_tree
def test_the_packaged_workshop_notebook_is_the_explorer_notebook() -> None:
    """Issue 20: the wheel ships the dashboard notebook; it is notebooks/explorer.ipynb, byte for byte."""
    from colonykit.cli import _workshop

    root = Path(__file__).resolve().parents[1]
    assert _workshop.notebook_bytes() == (root / "notebooks" / "explorer.ipynb").read_bytes()


def test_workshop_serves_the_packaged_notebook_from_a_folder_of_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 20: no checkout needed; the notebook is written to a temporary folder Voilà serves,
    removed when the server stops."""
    from colonykit.cli import _workshop

    monkeypatch.setattr(_workshop, "missing_workshop_modules", lambda: [])
    seen: dict[str, object] = {}

    def fake_serve(cmd: list[str], *, env: dict[str, str], cwd: Path) -> int:
        nb = Path(cmd[3])
        seen.update(cwd=cwd, nb=nb, text=nb.read_bytes(), env=env)
        return 0

    monkeypatch.setattr(_workshop, "serve", fake_serve)
    monkeypatch.chdir(tmp_path)  # not a checkout
    scenario = Path(__file__).resolve().parents[1] / "data" / "examples" / "scenario.yaml"
    assert main(["workshop", str(scenario), "--no-browser", "--port", "18866"]) == 0
    assert seen["nb"] == seen["cwd"] / "explorer.ipynb"  # type: ignore[operator]
    assert seen["text"] == _workshop.notebook_bytes()
    assert not Path(str(seen["cwd"])).exists()  # removed after the server stopped
    env = seen["env"]
    assert isinstance(env, dict) and env["COLONYKIT_SCENARIO"] == str(scenario)
    assert env["COLONYKIT_EXPORT_DIR"] == str(tmp_path / "workshop-out")


def test_workshop_without_its_extra_names_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 20: without voila (the workshop extra) the command says which extra, exit 2, no traceback."""
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "voila" else real(name, *a)
    )
    assert main(["workshop", "data/examples/scenario.yaml", "--no-browser"]) == 2
    err = capsys.readouterr().err
    # voila first; other missing parts of the extra (e.g. ipykernel at the minima) follow it
    assert err.startswith("error: the workshop needs the optional package(s) voila")
    assert "pip install 'colonykit[workshop]'" in err and "Traceback" not in err


def test_workshop_server_config_checks_host_and_token() -> None:
    """Issue 24 root cause 1: token, Host/Origin checking, one port, kernel limit and culling."""
    pytest.importorskip("jupyter_server")  # the workshop extra (not in the unit-suite minima)
    from colonykit.cli import _workshop_server as ws

    c = ws.voila_config(9999, token="t" * 32, open_browser=False, max_kernels=3, cull_idle_s=120)
    assert c.Voila.ip == "127.0.0.1" and c.Voila.port_retries == 0 and c.Voila.token == "t" * 32
    assert c.Voila.tornado_settings["allow_remote_access"] is False
    assert c.MappingKernelManager.cull_idle_timeout == 120
    assert c.VoilaConfiguration.preheat_kernel is True
    assert ws.main(["nb.ipynb", "--port", "9999"]) == 2  # no token in the environment: refused


def test_workshop_page_skips_plotlys_lab_extension_and_preloads_plotly_js() -> None:
    """Issue 20 first paint: the 4.8 MB jupyterlab-plotly bundle is not loaded (the charts are
    colonykit's own widgets) and the page's response preloads plotly.js for them."""
    pytest.importorskip("voila")  # the workshop extra (not in the unit-suite minima)
    from voila.utils import filter_extension

    from colonykit.cli import _workshop_server as ws

    c = ws.voila_config(9999, token="t" * 32, open_browser=False, max_kernels=3, cull_idle_s=120)
    found = [{"name": "jupyterlab-plotly"}, {"name": "anywidget"}, {"name": "x-manager"}]
    kept = filter_extension(found, extension_denylist=c.VoilaConfiguration.extension_denylist)
    assert [e["name"] for e in kept] == ["anywidget", "x-manager"]

    class Page:
        def set_default_headers(self) -> None:
            self.headers: dict[str, str] = {"Server": "x"}

        def set_header(self, name: str, value: str) -> None:
            self.headers[name] = value

    page = ws._preloading(Page, "/colonykit/plotly.min.js")()
    page.set_default_headers()
    assert page.headers == {
        "Server": "x",
        "Link": "</colonykit/plotly.min.js>; rel=preload; as=fetch; crossorigin",
    }
    assert ws.preload_link("/" + ws.PLOTLY_PATH) == (
        "</colonykit/plotly.min.js>; rel=preload; as=fetch; crossorigin"
    )


def test_workshop_refuses_a_taken_port(capsys: pytest.CaptureFixture[str]) -> None:
    import socket

    pytest.importorskip("voila")  # the workshop extra (not in the unit-suite minima)

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        code = main(
            ["workshop", "data/examples/scenario.yaml", "--port", str(port), "--no-browser"]
        )
    assert code == 2
    assert f"port {port} on 127.0.0.1 is in use" in capsys.readouterr().err


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_workshop_stop_stops_the_server(tmp_path: Path) -> None:
    """SIGTERM to ``colonykit workshop`` stops its Voilà too (none is left running after a test)."""
    pid_file = tmp_path / "server.pid"
    server = "import os, sys, time; open(sys.argv[1], 'w').write(str(os.getpid())); time.sleep(120)"
    script = (
        "import os, sys; from pathlib import Path; from colonykit.cli._workshop import serve; "
        f"sys.exit(serve([sys.executable, '-c', {server!r}, {str(pid_file)!r}], env=dict(os.environ), "
        "cwd=Path.cwd()))"
    )
    parent = subprocess.Popen([sys.executable, "-c", script])
    deadline = time.monotonic() + 60
    while not (pid_file.is_file() and pid_file.read_text()):
        assert parent.poll() is None and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.1)
    child = int(pid_file.read_text())
    parent.terminate()
    assert parent.wait(timeout=30) == 0
    with pytest.raises(ProcessLookupError):  # stopped and reaped by serve()
        os.kill(child, 0)
