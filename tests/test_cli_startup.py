"""Lazy CLI start-up: --help imports no command module; each command imports only what it uses."""

from __future__ import annotations

import argparse
import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from colonykit import cli

HEAVY = ("plotly", "pydantic", "pyarrow")


def _modules_after(argv: list[str]) -> set[str]:
    code = (
        "import json, sys\nfrom colonykit.cli import main\n"
        f"try:\n    main({argv!r})\nexcept SystemExit:\n    pass\n"
        "sys.stderr.write('MODULES=' + json.dumps(sorted(sys.modules)))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(json.loads(proc.stderr.rsplit("MODULES=", 1)[1]))


def test_help_imports_no_heavy_module_and_no_command_module() -> None:
    mods = _modules_after(["--help"])
    assert not [m for m in HEAVY + ("numpy", "pandas") if m in mods]
    assert not [m for m in mods if m.startswith("colonykit.cli._")]


@pytest.mark.parametrize("command", ["size", "paging"])
def test_size_and_paging_skip_plotly_and_pydantic(command: str) -> None:
    mods = _modules_after([command, "--help"])
    assert f"colonykit.cli.{cli.COMMANDS[command][0].rsplit('.', 1)[1]}" in mods
    assert "plotly" not in mods and "pydantic" not in mods
    # pyarrow: pandas >= 3 imports it itself whenever it is installed, so only check without pandas
    if "pandas" not in mods:
        assert "pyarrow" not in mods


#: Real runs (not just ``--help``, which exits before the command body imports anything).
RUNS = {
    "size": ["size", "data/examples/xyz_inventory.csv", "--target", "z15", "--format", "json"],
    "paging": [
        "paging",
        "--guests",
        "100",
        "--guest-mib",
        "512",
        "--real-mib",
        "32768",
        "--format",
        "json",
    ],
}


@pytest.mark.parametrize("command", sorted(RUNS))
def test_size_and_paging_runs_import_no_heavy_module(command: str) -> None:
    """Issue 14: running ``size`` or ``paging`` imports neither plotly nor pydantic (nor pyarrow
    unless pandas, which imports it itself when installed, is loaded)."""
    root = Path(__file__).resolve().parents[1]
    code = (
        "import json, sys\nfrom colonykit.cli import main\n"
        f"rc = main({RUNS[command]!r})\n"
        "sys.stderr.write('RC=%d MODULES=' % rc + json.dumps(sorted(sys.modules)))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root
    )
    head, mods_json = proc.stderr.rsplit("MODULES=", 1)
    assert head.endswith("RC=0 "), proc.stderr[-2000:]
    mods = set(json.loads(mods_json))
    assert "plotly" not in mods and "pydantic" not in mods
    if "pandas" not in mods:
        assert "pyarrow" not in mods
    json.loads(proc.stdout)  # the command really ran and printed its JSON


def test_command_table_matches_the_modules() -> None:
    """COMMANDS (the lazy table) names every command its module registers, with the same help."""
    registered: dict[str, tuple[str, str]] = {}
    for name in cli.COMMAND_MODULES:
        sub = argparse.ArgumentParser().add_subparsers()
        importlib.import_module(name).register(sub)
        for action in sub._choices_actions:
            registered[action.dest] = (name, str(action.help))
    assert registered == cli.COMMANDS


def test_lazy_parser_runs_the_named_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["channels", "--io-rate", "54", "--connect-ms", "14", "--format", "json"]) == 0
    assert "busy" in capsys.readouterr().out
    with pytest.raises(SystemExit) as exc:
        cli.main(["--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert all(command in out for command in cli.COMMANDS)


@pytest.mark.parametrize(
    "argv",
    [
        RUNS["paging"],
        ["channels", "--io-rate", "54", "--connect-ms", "14", "--paths", "2", "--format", "json"],
    ],
    ids=["paging", "channels"],
)
def test_pure_arithmetic_runs_import_no_pandas(argv: list[str]) -> None:
    """Issue 25 item 5: ``paging`` and ``channels`` run without pandas (paging's volume count goes
    through storage's first-fit, whose packing package loads pandas: imported when called)."""
    code = (
        "import json, sys\nfrom colonykit.cli import main\n"
        f"rc = main({argv!r})\n"
        "sys.stderr.write('RC=%d MODULES=' % rc + json.dumps(sorted(sys.modules)))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    head, mods_json = proc.stderr.rsplit("MODULES=", 1)
    assert head.endswith("RC=0 "), proc.stderr[-2000:]
    assert "pandas" not in set(json.loads(mods_json))
    json.loads(proc.stdout)
