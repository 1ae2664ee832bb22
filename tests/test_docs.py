"""Run every docstring example in the package (numpydoc Examples are doctests)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import colonykit

MODULES = sorted(
    m.name for m in pkgutil.walk_packages(colonykit.__path__, "colonykit.")
    if not m.name.endswith("__main__")
)


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name: str) -> None:
    try:
        module = importlib.import_module(name)
    except ImportError as exc:  # optional extras (e.g. dask, playwright) missing
        pytest.skip(f"{name}: {exc}")
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
                             verbose=False)
    assert result.failed == 0, f"{result.failed} doctest(s) failed in {name}"
