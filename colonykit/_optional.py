"""Optional dependencies: one helper that imports them or says which extra to install.

The core install (``pip install colonykit``) carries what the library and the CLI need.
Readers and front ends that need more name the extra in their error::

    reading .xlsx files needs the optional package 'openpyxl'; install it with
    pip install 'colonykit[excel]'
"""

from __future__ import annotations

import importlib
from types import ModuleType

from colonykit.errors import ColonykitError

#: Extras of ``pyproject.toml`` and the import names each one provides.
EXTRAS: dict[str, tuple[str, ...]] = {
    "notebook": ("jupyterlab", "ipywidgets", "anywidget"),
    "excel": ("openpyxl",),
    "parquet": ("pyarrow",),
    "scale": ("dask", "distributed"),
    "fast": ("numba",),
    "forecast": ("statsmodels",),
    "browser": ("kaleido",),  # static images of the report's figures (colonykit.report.images)
}


class MissingOptionalDependency(ColonykitError, ImportError):
    """An optional package is not installed; the message names the extra that provides it.

    A :class:`~colonykit.errors.ColonykitError`, so the CLI reports it as ``error: …`` (exit 2).
    """


def require(module: str, extra: str, purpose: str = "") -> ModuleType:
    """Import ``module`` or raise :class:`MissingOptionalDependency` naming ``extra``.

    Parameters
    ----------
    module : str
        Dotted import name, e.g. ``"pyarrow.parquet"``.
    extra : str
        The ``pyproject.toml`` extra that installs it, e.g. ``"parquet"``.
    purpose : str, optional
        What needs it, to start the message (e.g. ``"reading .xlsx files"``).

    Returns
    -------
    types.ModuleType
        The imported module.

    Examples
    --------
    >>> require("json", extra="excel").__name__
    'json'
    >>> try:
    ...     require("no_such_package_xyz", extra="excel", purpose="reading .xlsx files")
    ... except ImportError as e:
    ...     print(e)
    reading .xlsx files needs the optional package 'no_such_package_xyz'; install it with pip install 'colonykit[excel]'
    """
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        top = module.split(".")[0]
        if exc.name is not None and exc.name != top and not exc.name.startswith(top + "."):
            raise  # the package is there but one of *its* imports failed: show that
        lead = f"{purpose} needs" if purpose else "this needs"
        msg = (
            f"{lead} the optional package {top!r}; install it with pip install 'colonykit[{extra}]'"
        )
        raise MissingOptionalDependency(msg, name=top) from exc
