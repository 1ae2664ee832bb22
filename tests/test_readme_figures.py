"""README figures that come from bundled data are what the library computes today (issue 20 item 7).

One implementation: ``benchmarks/readme_figures.py`` (``make readme-figures``) computes every
figure and rewrites README between its ``<!--fig:NAME-->`` markers; this test runs the same
computation and fails on any figure that differs, any marker without a figure and any figure
without a marker.  Two figures are also recomputed here by a second path (the CLI's JSON and
a hand sum) so that the script itself is checked.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "benchmarks" / "readme_figures.py"
README = ROOT / "README.md"


@pytest.fixture(scope="module")
def rf() -> ModuleType:
    spec = importlib.util.spec_from_file_location("readme_figures", SCRIPT)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def figures(rf: ModuleType) -> dict[str, str]:
    return rf.compute()


def test_readme_figures_of_bundled_data_are_current(rf: ModuleType, figures) -> None:
    assert rf.problems(README.read_text(encoding="utf-8"), figures) == []


def test_the_script_rewrites_a_stale_figure_and_refuses_an_unknown_marker(
    rf: ModuleType, figures, tmp_path
) -> None:
    text = README.read_text(encoding="utf-8")
    stale = text.replace(
        f"<!--fig:colony_engines_composite-->{figures['colony_engines_composite']}<!--/fig-->",
        "<!--fig:colony_engines_composite-->999<!--/fig-->",
    )
    assert stale != text
    assert rf.problems(stale, figures) == [
        f"fig:colony_engines_composite: README shows '999', the library computes "
        f"{figures['colony_engines_composite']!r}"
    ]
    assert rf.rewrite(stale, figures) == text
    assert rf.problems(text + "<!--fig:nope-->1<!--/fig-->", figures) == [
        "README marker fig:nope is not a known figure"
    ]
    missing = text.replace("<!--fig:colony_upgrades-->", "").replace(
        f"{figures['colony_upgrades']}<!--/fig--> upgrades",
        f"{figures['colony_upgrades']} upgrades",
    )
    assert rf.problems(missing, figures) == [
        "figure colony_upgrades has no <!--fig:colony_upgrades--> marker in README"
    ]
    # the command line: --check exits 1 on a stale copy, a rewrite makes it current
    copy = tmp_path / "README.md"
    copy.write_text(stale, encoding="utf-8")
    run = [sys.executable, str(SCRIPT)]
    assert subprocess.run([*run, str(copy), "--check"], capture_output=True).returncode == 1
    assert subprocess.run([*run, str(copy)], capture_output=True).returncode == 0
    assert copy.read_text(encoding="utf-8") == text


def test_two_figures_by_a_second_path(figures) -> None:
    """The WLF engines through the CLI's JSON; LPARs / engines by summing the plan's hosts by hand."""
    from colonykit import plan

    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from colonykit.cli import entry; sys.exit(entry())",
            "size",
            "data/examples/bitbrains_50vm_inventory.csv",
            "--target",
            "z15",
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert str(doc["target"]["engines_typical"]) == figures["colony_wlf_engines"]
    res = plan.build_plan("data/examples/bitbrains_colony.yaml")
    cpus = 0
    for h in res.plan.hosts:
        cpus += h.capacity.cpus
    assert figures["colony_lpars_engines"] == f"{len(res.plan.hosts)} / {cpus}"
