"""A module imported on first use, so that pure-arithmetic commands start without pandas.

``import pandas`` costs about a second on the machines colonykit runs on (it pulls pyarrow);
``colonykit paging`` and ``colonykit channels`` need none of it.  A module that uses pandas in
some functions only writes::

    if TYPE_CHECKING:
        import pandas as pd
    else:
        pd = lazy_module("pandas")

and pandas is imported the first time one of those functions touches ``pd``.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any


class _LazyModule(ModuleType):
    """Stand-in that imports the real module on the first attribute access."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self._lazy_name = name

    def __getattr__(self, attr: str) -> Any:
        module = importlib.import_module(self._lazy_name)
        return getattr(module, attr)


def lazy_module(name: str) -> Any:
    """A stand-in for module ``name`` that imports it on first attribute access.

    Parameters
    ----------
    name : str
        The module's import name (``"pandas"``).

    Examples
    --------
    >>> json = lazy_module("json")
    >>> json.dumps([1])
    '[1]'
    """
    return _LazyModule(name)


__all__ = ["lazy_module"]
