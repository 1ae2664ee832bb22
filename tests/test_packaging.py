"""The install: a lean core, extras named in the error, one version, a license (issue 15)."""

from __future__ import annotations

import ast
import importlib.metadata
import subprocess
import sys
import tomllib
from pathlib import Path

import pandas as pd
import pytest

import colonykit
from colonykit._optional import EXTRAS, MissingOptionalDependency, require

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
OPTIONAL = sorted({m for mods in EXTRAS.values() for m in mods})


def _name(req: str) -> str:
    for stop in "<>=[ ;":
        req = req.split(stop)[0]
    return req.lower()


def test_core_dependencies_exclude_the_optional_packages():
    core = {_name(r) for r in PYPROJECT["project"]["dependencies"]}
    assert core == {"numpy", "pandas", "scipy", "plotly", "pyyaml", "pydantic", "tqdm", "jinja2"}
    assert not core & {
        "jupyterlab",
        "ipywidgets",
        "anywidget",
        "openpyxl",
        "pyarrow",
        "jsonschema",
        "dask",
        "distributed",
    }


def test_extras_are_declared_and_match_the_helper():
    extras = PYPROJECT["project"]["optional-dependencies"]
    for extra in ("notebook", "excel", "parquet", "scale", "workshop", "test", "browser"):
        assert extra in extras, extra
    for extra, modules in EXTRAS.items():
        declared = {_name(r) for r in extras[extra]}
        for module in modules:
            assert module in declared, (extra, module)


def test_library_imports_optional_packages_only_through_require():
    """A plain ``import pyarrow`` anywhere in colonykit/ would crash the core install with a
    bare ModuleNotFoundError instead of naming the extra."""
    offenders = []
    for path in (ROOT / "colonykit").rglob("*.py"):
        if path.name == "_optional.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom) and node.level == 0
                else []
            )
            for name in names:
                if name.split(".")[0] in OPTIONAL:
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} imports {name}")
    assert offenders == []


def test_require_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    with pytest.raises(MissingOptionalDependency, match=r"pip install 'colonykit\[excel\]'"):
        require("openpyxl", extra="excel", purpose="reading .xlsx inventories")


def test_require_reraises_a_broken_dependency_of_the_package(monkeypatch, tmp_path):
    (tmp_path / "ck_fake_pkg.py").write_text("import ck_missing_inner_dep\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(ModuleNotFoundError) as info:
        require("ck_fake_pkg", extra="excel")
    assert not isinstance(info.value, MissingOptionalDependency)
    assert info.value.name == "ck_missing_inner_dep"


HIDE = """
import sys


class _NotInstalled:
    # as if {names!r} were not installed: a finder that says so, and nothing put into
    # sys.modules (pandas 2.2.0 trips over sys.modules["pyarrow"] = None; no install has that)
    names = {names!r}

    def find_spec(self, name, path=None, target=None):
        if any(name == n or name.startswith(n + ".") for n in self.names):
            raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
        return None


sys.meta_path.insert(0, _NotInstalled())
"""


def _without(blocked: list[str], code: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a fresh interpreter where ``blocked`` packages look uninstalled.

    A fresh process, because pandas decides at import time whether pyarrow is there."""
    return subprocess.run(
        [sys.executable, "-c", HIDE.format(names=blocked) + code, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )


def test_excel_inventory_without_openpyxl_names_the_extra(tmp_path):
    path = tmp_path / "inv.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    proc = _without(
        ["openpyxl"],
        "from colonykit.cli import main\nraise SystemExit(main(sys.argv[1:]))",
        "size",
        str(path),
        "--target",
        "z15",
    )
    assert proc.returncode == 2, proc.stderr
    assert "error: reading .xlsx inventories needs the optional package 'openpyxl'" in proc.stderr
    assert "pip install 'colonykit[excel]'" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_parquet_traces_without_pyarrow_name_the_extra(tmp_path):
    path = tmp_path / "t.parquet"
    pd.DataFrame({"time": [0, 60], "a": [1.0, 2.0]}).to_parquet(path)
    proc = _without(
        ["pyarrow", "pyarrow.parquet"],
        "from colonykit.ingest import read_traces\n"
        "try:\n    read_traces(sys.argv[1])\n"
        "except ImportError as e:\n    print(type(e).__name__, e)\n",
        str(path),
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("MissingOptionalDependency reading Parquet files needs")
    assert "colonykit[parquet]" in proc.stdout


def test_dask_path_without_dask_names_the_extra(monkeypatch):
    from colonykit import scale

    monkeypatch.setitem(sys.modules, "dask", None)
    monkeypatch.setitem(sys.modules, "dask.dataframe", None)
    with pytest.raises(MissingOptionalDependency, match=r"colonykit\[scale\]"):
        scale._dd()


def test_explorer_without_ipywidgets_names_the_extra(monkeypatch):
    from colonykit import widgets

    monkeypatch.setitem(sys.modules, "ipywidgets", None)
    with pytest.raises(MissingOptionalDependency, match=r"colonykit\[notebook\]"):
        widgets.explorer(ROOT / "data" / "examples" / "scenario.yaml")


@pytest.mark.slow
def test_make_run_works_on_the_core_install_alone(tmp_path):
    """``make run`` installs only the core: the whole run must not touch an optional package."""
    blocked = [*OPTIONAL, "jsonschema", "pyarrow.parquet", "dask.dataframe"]
    proc = _without(
        blocked,
        "from colonykit.cli import main\nraise SystemExit(main(sys.argv[1:]))",
        "run",
        str(ROOT / "data" / "examples" / "bitbrains_colony.yaml"),
        "--out",
        str(tmp_path / "out"),
    )
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "out" / "plan.yaml").is_file()
    assert (tmp_path / "out" / "report.html").is_file()


def test_version_comes_from_one_place():
    assert PYPROJECT["project"]["dynamic"] == ["version"]
    assert "version" not in PYPROJECT["project"]
    assert PYPROJECT["tool"]["setuptools"]["dynamic"]["version"] == {
        "attr": "colonykit.__version__"
    }
    assert importlib.metadata.version("colonykit") == colonykit.__version__


def test_license_file_is_the_apache_2_text():
    text = (ROOT / "LICENSE").read_text()
    assert PYPROJECT["project"]["license"] == "Apache-2.0"
    assert "Apache License" in text and "Version 2.0, January 2004" in text
    assert "END OF TERMS AND CONDITIONS" in text


def test_changelog_names_the_current_version():
    assert f"## {colonykit.__version__}" in (ROOT / "CHANGELOG.md").read_text()


def test_minima_constraints_match_the_declared_minima():
    """``make test-minima`` runs at exactly the lowest versions pyproject.toml allows."""
    pins = {}
    for line in (ROOT / ".ci" / "constraints-min.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, version = line.partition("==")
            pins[name.strip().lower()] = version.strip()
    extras = PYPROJECT["project"]["optional-dependencies"]
    declared = {}
    for req in [
        *PYPROJECT["project"]["dependencies"],
        *extras["excel"],
        *extras["parquet"],
        *extras["scale"],
        *extras["fast"],
    ]:
        declared[_name(req)] = req.split(">=")[1].split(",")[0]
    assert set(pins) == set(declared)
    for name, minimum in declared.items():
        want = [int(x) for x in minimum.split(".")]
        got = [int(x) for x in pins[name].split(".")]
        assert got[: len(want)] == want and not any(got[len(want) :]), (name, minimum, pins[name])


def test_make_test_runs_mypy_and_precommit_has_the_hooks():
    makefile = (ROOT / "Makefile").read_text()
    test_recipe = makefile.split("\ntest: ")[1].split("\n\n")[0]
    assert "-m mypy" in test_recipe
    assert PYPROJECT["tool"]["mypy"]["files"] == ["colonykit"]
    hooks = (ROOT / ".pre-commit-config.yaml").read_text()
    for hook in ("id: ruff\n", "id: ruff-format", "id: mypy"):
        assert hook in hooks
