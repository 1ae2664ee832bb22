"""House rules for notebooks: no outputs, no def/class, standard first cell, parameters cell, data/ only,
figures only from ``colonykit.plots``, no output folder inside the repository."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

NB_DIR = Path(__file__).resolve().parents[1] / "notebooks"
NOTEBOOKS = sorted(NB_DIR.glob("*.ipynb"))
FIRST_CELL_MARKER = "# colonykit standard first cell"


def _code(nb: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    return [c for c in nb.cells if c.cell_type == "code"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_house_rules(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    code = _code(nb)
    assert code, "notebook has no code cells"
    assert code[0].source.startswith(FIRST_CELL_MARKER), "first code cell must be the standard cell"
    assert any("parameters" in c.metadata.get("tags", []) for c in code), (
        "needs a cell tagged 'parameters'"
    )
    for c in code:
        assert not c.get("outputs"), f"outputs committed in cell: {c.source[:60]!r}"
        assert c.get("execution_count") is None, "execution counts committed"
        assert not re.search(r"^\s*(def|class|async def)\s", c.source, re.M), (
            f"def/class in notebook cell: {c.source[:60]!r}"
        )
        for m in re.finditer(
            r"""["']([^"']+\.(?:csv|gz|parquet|yaml|yml|nmon|xlsx))["']""", c.source
        ):
            ref = m.group(1)
            assert ref.startswith("../data/"), f"notebooks read only from ../data/ (got {ref!r})"
        assert "/shared/" not in c.source, "notebooks must not read ../shared"


#: A figure drawn by plotly directly in a notebook redraws (or replaces) a ``colonykit.plots`` figure.
PLOTLY_IMPORT = re.compile(r"^\s*(?:import\s+plotly\b|from\s+plotly\b)", re.M)
#: A string literal naming a folder relative to the notebook's own directory (``out/…``, ``../out/…``).
OUT_IN_TREE = re.compile(r"""["'](?:\./|\.\./)*out(?:/[^"']*)?["']""")
#: explorer.ipynb is the workshop dashboard (its export folder comes from the workshop command).
NUMBERED = [p for p in NOTEBOOKS if re.match(r"\d\d_", p.name)]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_figures_come_from_colonykit_plots(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    for c in _code(nb):
        assert not PLOTLY_IMPORT.search(c.source), (
            f"notebooks draw with colonykit.plots, not plotly directly: {c.source[:80]!r}"
        )


@pytest.mark.parametrize("path", NUMBERED, ids=lambda p: p.name)
def test_notebook_writes_outside_the_repository(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    for c in _code(nb):
        m = OUT_IN_TREE.search(c.source)
        assert not m, (
            f"output folder inside the repository ({m.group(0) if m else ''}); use "
            "$COLONYKIT_NOTEBOOK_OUT or a temporary folder"
        )
