"""Sphinx configuration: the API reference from the numpydoc docstrings, and the docs/*.md pages.

Build with ``make docs`` (``sphinx-build -W --keep-going``: any warning fails the build, all of
them are reported). The numpydoc checks are ``[tool.numpydoc_validation]`` in pyproject.toml, the
same set ``tests/test_docstrings.py`` runs over every public object; objects listed in
``docs/docstring_residuals.txt`` are known failures being fixed and are not validated here.
"""

from __future__ import annotations

import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
sys.path.insert(0, str(ROOT))

import colonykit  # noqa: E402

project = "colonykit"
author = "colonykit developers"
copyright = "colonykit developers, Apache-2.0"
version = release = colonykit.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "numpydoc",
    "myst_parser",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "docstring_residuals.txt"]
html_theme = "alabaster"
html_static_path: list[str] = []
html_show_sourcelink = False

# autodoc: members in source order, type hints in the signature only (numpydoc owns the text)
autodoc_default_options = {"members": True, "member-order": "bysource", "show-inheritance": True}
autodoc_typehints = "signature"
autodoc_mock_imports: list[str] = []
autosummary_generate = False

# numpydoc: no autosummary tables of class members (they would need generated stub pages)
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False
numpydoc_attributes_as_param_list = True

numpydoc_validation_checks: set[str] = set()  # validated by docstring_check (below) instead

# MyST: the method notes are plain Markdown; headings get anchors for in-page links
myst_heading_anchors = 3
myst_enable_extensions = ["dollarmath"]

nitpicky = False
suppress_warnings: list[str] = []


# numpydoc validation: docs/docstring_check.py (the same checks tests/test_docstrings.py runs)
sys.path.insert(0, str(DOCS))
import docstring_check  # noqa: E402

_known = docstring_check.residuals()
_public = dict(docstring_check.public_objects())


def _validate(app, what, name, obj, options, lines):
    from sphinx.util import logging

    if name in _seen or name not in _public:  # imported names are checked where they are defined
        return
    _seen.add(name)
    found = docstring_check.problems(name, _public[name])
    for code, message in found:
        if (name, code) not in _known:
            logging.getLogger("colonykit.docs").warning(f"{name}: {code} {message}")


_seen: set[str] = set()

# reStructuredText residuals in files other engineers are rewriting this round: the docstring's
# math uses |x| for a set's size, which reStructuredText reads as a substitution. Escaped for the
# build only; delete an entry once its docstring writes ``|J1|`` (or the build shows no error).
RST_RESIDUALS = {"colonykit.packing.l2_bound"}


def _escape_bars(app, what, name, obj, options, lines):
    if name in RST_RESIDUALS:
        lines[:] = [line.replace("|", "\\|") for line in lines]


def _is_model(obj) -> bool:
    return isinstance(obj, type) and isinstance(getattr(obj, "model_fields", None), dict)


def _model_fields(app, what, name, obj, options, lines):
    """Pydantic models (plan and scenario documents): each field's ``Field(description=...)``
    becomes a Parameters entry, so the page shows what the JSON Schema says."""
    if what != "class" or not _is_model(obj):
        return
    documented = docstring_check.class_documented(obj, from_fields=False)
    entries = []
    for field, info in obj.model_fields.items():
        if field in documented or not info.description:
            continue
        kind = getattr(info.annotation, "__name__", None)
        entries += [
            f"{field} : {kind}" if kind in ("str", "int", "float", "bool") else field,
            f"    {info.description}",
        ]
    if not entries:
        return
    for i, line in enumerate(lines):
        if (
            line.strip() == "Parameters"
            and i + 1 < len(lines)
            and set(lines[i + 1].strip()) == {"-"}
        ):
            end = i + 2
            while end < len(lines) and not (
                end + 1 < len(lines) and lines[end].strip() and set(lines[end + 1].strip()) == {"-"}
            ):
                end += 1
            while end > i + 2 and not lines[end - 1].strip():
                end -= 1
            lines[end:end] = entries
            return
    lines.extend(["", "Parameters", "----------", *entries])


def _model_signature(app, what, name, obj, options, signature, return_annotation):
    """A pydantic model's signature by field name (its annotations are schema constraints)."""
    if what != "class" or not _is_model(obj):
        return None
    parts = [n if f.is_required() else f"{n}=..." for n, f in obj.model_fields.items()]
    return "(*, " + ", ".join(parts) + ")", None


def setup(app):
    app.connect("autodoc-process-signature", _model_signature)
    app.connect("autodoc-process-docstring", _escape_bars, priority=50)
    app.connect("autodoc-process-docstring", _model_fields, priority=60)
    app.connect("autodoc-process-docstring", _validate, priority=100)
