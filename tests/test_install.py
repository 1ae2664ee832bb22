"""What a user installs (issue 27 §7): every command on the core install works or names its extra.

``make test-wheel`` checks the same on the built wheel in a fresh venv outside the tree; these
tests run in the development install with the optional packages hidden (tests/test_packaging.py
``_without``).
"""

from __future__ import annotations

import ast
import importlib
import sys
from pathlib import Path

import pytest
from test_packaging import _without

import colonykit

ROOT = Path(__file__).resolve().parents[1]
MAIN = "from colonykit.cli import main\nraise SystemExit(main(sys.argv[1:]))"


def test_init_on_the_core_install_writes_the_csv_and_names_the_extra(tmp_path: Path) -> None:
    proc = _without(["openpyxl"], MAIN, "init", str(tmp_path / "study"))
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "study" / "inventory.csv").is_file()
    assert (tmp_path / "study" / "scenario.yaml").is_file()
    assert not (tmp_path / "study" / "inventory.xlsx").exists()
    assert "pip install 'colonykit[excel]'" in proc.stderr and "Traceback" not in proc.stderr


def test_report_xlsx_on_the_core_install_names_the_extra_before_any_work(tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    proc = _without(
        ["openpyxl"],
        MAIN,
        "report",
        str(ROOT / "data" / "examples" / "scenario.yaml"),
        "--out",
        str(out),
        "--xlsx",
        str(tmp_path / "t.xlsx"),
    )
    assert proc.returncode == 2, proc.stderr
    assert "error: report --xlsx needs the optional package 'openpyxl'" in proc.stderr
    assert "pip install 'colonykit[excel]'" in proc.stderr and "Traceback" not in proc.stderr
    assert not out.exists()


def test_export_and_report_import_without_fcntl() -> None:
    """``fcntl`` (POSIX) is imported where a folder is locked, not when the module loads."""
    proc = _without(["fcntl"], "import colonykit.export, colonykit.report, colonykit._atomic")
    assert proc.returncode == 0, proc.stderr


def test_the_package_exposes_its_public_submodules() -> None:
    public = sorted(
        p.stem if p.is_file() else p.name
        for p in (ROOT / "colonykit").iterdir()
        if not p.name.startswith("_")
        and (p.suffix == ".py" or (p / "__init__.py").is_file())
        and p.name != "py.typed"
    )
    assert sorted(colonykit.SUBMODULES) == public
    assert colonykit.sizing is importlib.import_module("colonykit.sizing")
    assert "widgets" not in colonykit.__all__  # the notebook extra: not in a star import
    with pytest.raises(AttributeError, match="no attribute 'nosuch'"):
        _ = colonykit.nosuch  # type: ignore[attr-defined]


def test_import_colonykit_stays_light() -> None:
    proc = _without([], "import colonykit, sys\nassert 'numpy' not in sys.modules, 'numpy'")
    assert proc.returncode == 0, proc.stderr


def _public_modules() -> list[Path]:
    return sorted(
        p
        for p in (ROOT / "colonykit").rglob("*.py")
        if not any(part.startswith("_") for part in p.relative_to(ROOT).parts[:-1])
        and (not p.name.startswith("_") or p.name == "__init__.py")
    )


@pytest.mark.parametrize("path", _public_modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_public_module_declares_all_and_defines_it(path: Path) -> None:
    tree = ast.parse(path.read_text())
    declared = [
        n
        for n in tree.body
        if isinstance(n, ast.Assign) and any(getattr(t, "id", "") == "__all__" for t in n.targets)
    ]
    assert declared, f"{path.relative_to(ROOT)} has no __all__"
    name = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
    if name in ("colonykit.widgets",) and importlib.util.find_spec("ipywidgets") is None:
        pytest.skip("widgets needs the notebook extra")
    module = importlib.import_module(name)
    missing = [n for n in module.__all__ if not hasattr(module, n)]
    assert missing == [], f"{name}.__all__ names {missing}"


def test_make_test_wheel_is_in_ci() -> None:
    makefile = (ROOT / "Makefile").read_text()
    assert "\ntest-wheel:" in makefile
    assert "make test-wheel" in (ROOT / ".ci" / "run").read_text()
    assert sys.executable  # the recipe itself runs in CI (it builds and installs a wheel)
