"""numpydoc validation of colonykit's public docstrings: one implementation for the tests and Sphinx.

``tests/test_docstrings.py`` runs :func:`failures` over every public object and compares it with
``docs/docstring_residuals.txt`` (known failures, being fixed); ``docs/conf.py`` runs
:func:`problems` on every object autodoc documents and turns each one into a Sphinx warning, which
``make docs`` (``sphinx-build -W``) makes an error. The checks are
``[tool.numpydoc_validation] checks`` in pyproject.toml (numpydoc codes: GL08 no docstring, PR01
parameter not documented, PR02 documented parameter not in the signature, ...).

Public objects: every module whose dotted name has no part starting with ``_``; in it, every
function and class defined there (``__module__`` is the module) whose name does not start with
``_``; in such a class, every function, class/static method and property defined in its body whose
name does not start with ``_``.

A class's parameters are its constructor's. For the frozen dataclasses and pydantic models (whose
fields are the constructor parameters) a field counts as documented when the class docstring lists
it, with a description, under ``Parameters`` or ``Attributes``, or (pydantic) its ``Field`` has a
``description``.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
import tomllib
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
RESIDUALS = DOCS / "docstring_residuals.txt"
PACKAGE = "colonykit"


def checks() -> set[str]:
    """The numpydoc check codes in force (``[tool.numpydoc_validation] checks``)."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return set(config["tool"]["numpydoc_validation"]["checks"])


def public_modules() -> list[str]:
    """Dotted names of colonykit's public modules (no part starts with ``_``), sorted."""
    package = importlib.import_module(PACKAGE)
    names = [PACKAGE] + [
        m.name
        for m in pkgutil.walk_packages(package.__path__, PACKAGE + ".")
        if not any(part.startswith("_") for part in m.name.split("."))
    ]
    return sorted(names)


def _members(cls: type) -> Iterator[tuple[str, Any]]:
    for name, value in vars(cls).items():
        if name.startswith("_"):
            continue
        if isinstance(value, staticmethod | classmethod):
            value = value.__func__
        if inspect.isfunction(value) or isinstance(value, property):
            yield name, value


def public_objects() -> Iterator[tuple[str, Any]]:
    """``(dotted name, object)`` for every public module, function, class, method and property."""
    for modname in public_modules():
        module = importlib.import_module(modname)
        yield modname, module
        for name, obj in vars(module).items():
            if name.startswith("_") or not (inspect.isfunction(obj) or inspect.isclass(obj)):
                continue
            if getattr(obj, "__module__", None) != modname:
                continue
            yield f"{modname}.{name}", obj
            if inspect.isclass(obj):
                for member, value in _members(obj):
                    yield f"{modname}.{name}.{member}", value


_MISSING = re.compile(r"Parameters \{(.*)\} not documented")


def class_documented(cls: type, *, from_fields: bool = True) -> set[str]:
    """Fields a class docstring documents as Parameters or Attributes, or (``from_fields``)
    a pydantic ``Field`` describes."""
    from numpydoc.docscrape import NumpyDocString

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # unknown sections are numpydoc's own warning
        doc = NumpyDocString(inspect.getdoc(cls) or "")
    names: set[str] = set()
    for section in ("Parameters", "Attributes"):
        for p in doc[section]:  # "a, b : int" documents both; an entry needs a description
            if any(line.strip() for line in p.desc):
                names.update(n.strip().lstrip("*") for n in p.name.split(","))
    fields = getattr(cls, "model_fields", None)
    if from_fields and isinstance(fields, dict):
        names.update(name for name, info in fields.items() if getattr(info, "description", None))
    return names


def problems(name: str, obj: Any) -> list[tuple[str, str]]:
    """``(code, message)`` for each check in force that ``obj`` (dotted ``name``) fails."""
    from numpydoc.validate import validate

    wanted = checks()
    if inspect.ismodule(
        obj
    ):  # numpydoc cannot locate a module's "def" line; a module has no parameters
        return (
            [("GL08", "The object does not have a docstring")]
            if ("GL08" in wanted and not (obj.__doc__ or "").strip())
            else []
        )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        report = validate(name)
    found = []
    for code, message in report["errors"]:
        if code not in wanted:
            continue
        match = _MISSING.search(message) if code == "PR01" else None
        if match:  # numpydoc prints a set: sorted here, so the residuals file is stable
            missing = {p.strip().strip("'") for p in match.group(1).split(",")}
            if inspect.isclass(obj):
                missing -= class_documented(obj)
            if not missing:
                continue
            message = f"Parameters {sorted(missing)} not documented"
        found.append((code, message))
    return found


def failures() -> dict[tuple[str, str], str]:
    """``{(dotted name, code): message}`` for every public object and failed check."""
    out = {}
    for name, obj in public_objects():
        for code, message in problems(name, obj):
            out[(name, code)] = message
    return out


def residuals() -> set[tuple[str, str]]:
    """The known failures listed in ``docs/docstring_residuals.txt`` (``name CODE  message``)."""
    found = set()
    for line in RESIDUALS.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, code = line.split()[:2]
            found.add((name, code))
    return found


def write_residuals(found: dict[tuple[str, str], str]) -> None:
    """Rewrite ``docs/docstring_residuals.txt`` from ``found`` (``python docs/docstring_check.py``)."""
    head = (
        "# Known numpydoc failures (docs/docstring_check.py): fix the docstring, then delete the line.\n"
        "# tests/test_docstrings.py fails on a failure not listed here and on a line that no longer fails.\n"
    )
    body = "".join(f"{name} {code}  {msg}\n" for (name, code), msg in sorted(found.items()))
    RESIDUALS.write_text(head + body, encoding="utf-8")


if __name__ == "__main__":
    import sys

    result = failures()
    for (name, code), message in sorted(result.items()):
        print(f"{name} {code}  {message}")  # noqa: T201 - the command-line listing
    if "--write" in sys.argv[1:]:
        write_residuals(result)
