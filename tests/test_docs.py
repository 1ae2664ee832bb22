"""Run every docstring example in the package (numpydoc Examples are doctests)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
import re
from pathlib import Path

import pytest

import colonykit

MODULES = sorted(
    m.name
    for m in pkgutil.walk_packages(colonykit.__path__, "colonykit.")
    if not m.name.endswith("__main__")
)


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name: str) -> None:
    try:
        module = importlib.import_module(name)
    except ImportError as exc:  # optional extras (e.g. dask, playwright) missing
        pytest.skip(f"{name}: {exc}")
    result = doctest.testmod(
        module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, verbose=False
    )
    assert result.failed == 0, f"{result.failed} doctest(s) failed in {name}"


# --------------------------------------------------------------------- docs/*.md code blocks
DOCS_DIR = Path(__file__).resolve().parents[1] / "docs"
FENCE = re.compile(r"^```python[ \t]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
PAGES = sorted(p.name for p in DOCS_DIR.glob("*.md"))


def python_blocks(text: str) -> list[tuple[int, str]]:
    """``(line, source)`` of every fenced ```python block of a Markdown page, in page order."""
    return [(text.count("\n", 0, m.start()) + 2, m.group(1)) for m in FENCE.finditer(text)]


def test_python_blocks_found() -> None:
    blocks = python_blocks("x\n```python\na = 1\n```\n\n```bash\nls\n```\n```python\nb = a\n```\n")
    assert blocks == [(3, "a = 1\n"), (10, "b = a\n")]


@pytest.mark.parametrize("page", PAGES)
def test_docs_page_code_blocks_run(
    page: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every ```python block of docs/<page> runs, in order, in one namespace per page (as pvlib
    and PyPSA execute their docs). They run in a scratch folder where both ``data/`` and
    ``../data/`` (the notebooks' view) are the repository's data, so nothing is written into the tree."""
    repo = DOCS_DIR.parent
    work = tmp_path / "work"
    work.mkdir()
    (tmp_path / "data").symlink_to(repo / "data")
    (work / "data").symlink_to(repo / "data")
    monkeypatch.chdir(work)
    namespace: dict[str, object] = {"__name__": f"docs_{page[:-3]}"}
    for line, source in python_blocks((DOCS_DIR / page).read_text(encoding="utf-8")):
        code = compile(source, f"docs/{page}:{line}", "exec")
        exec(code, namespace)  # the documentation's own examples


# --------------------------------------------------------------------- API reference pages
def test_every_public_module_has_an_api_page() -> None:
    """docs/api/<module>.rst for every public module (make docs renders it), each in the index."""
    public = {m for m in MODULES if not any(p.startswith("_") for p in m.split("."))} | {
        "colonykit"
    }
    public.discard("colonykit")  # the package itself is the site's front page
    pages = {p.stem for p in (DOCS_DIR / "api").glob("colonykit.*.rst")}
    index = (DOCS_DIR / "api" / "index.rst").read_text(encoding="utf-8")
    assert public - pages == set(), "add docs/api/<module>.rst (and list it in docs/api/index.rst)"
    assert pages - public == set(), "docs/api has a page for a module that no longer exists"
    assert [m for m in sorted(pages) if f"   {m}\n" not in index] == []
    for m in pages:
        assert f".. automodule:: {m}" in (DOCS_DIR / "api" / f"{m}.rst").read_text(encoding="utf-8")


def test_docs_pages_are_in_the_site() -> None:
    """Every docs/*.md method note is in the site's table of contents (docs/index.rst)."""
    index = (DOCS_DIR / "index.rst").read_text(encoding="utf-8")
    assert [p for p in PAGES if f"   {p[:-3]}\n" not in index] == []
