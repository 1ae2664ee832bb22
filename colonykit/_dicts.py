"""One ``to_dict()`` for every result dataclass (issue 15 §4).

:class:`DictMixin` writes a result as a plain, JSON-ready dict whose keys are the
dataclass's own field names (so the units stay in the names: ``paging_gib``,
``busy_pct``).  A class says only what differs from "every field, in order":

* ``_dict_keys`` — the keys, in order (field or property names); default every field;
* ``_dict_omit`` — fields left out (frames and series, which are not JSON);
* ``_dict_computed()`` — entries computed from the fields (a count, a timestamp as text);
  a computed key listed in ``_dict_keys`` takes that place, others come last.

Values pass through :func:`plain`: numpy scalars become Python numbers, sequences lists,
mappings dicts (recursively), dates ISO text, nested results their ``to_dict()``; everything else
is kept.

Examples
--------
>>> from dataclasses import dataclass
>>> @dataclass(frozen=True)
... class R(DictMixin):
...     busy_pct: float
...     paths: int
...     _dict_keys = ("paths", "busy_pct", "saturated")
...     def _dict_computed(self):
...         return {"saturated": self.busy_pct >= 100}
>>> R(42.0, 2).to_dict()
{'paths': 2, 'busy_pct': 42.0, 'saturated': False}
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
from collections.abc import Mapping
from typing import Any, ClassVar


def plain(value: Any) -> Any:
    """``value`` with numpy scalars as Python numbers, tuples/lists as lists, mappings as dicts.

    Examples
    --------
    >>> import numpy as np
    >>> plain({"a": np.int64(3), "b": (np.float64(1.5), "x")})
    {'a': 3, 'b': [1.5, 'x']}
    """
    if (
        type(value).__module__ == "numpy"
        and hasattr(value, "item")
        and getattr(value, "ndim", 1) == 0
    ):
        return value.item()  # before the float test: numpy.float64 is a float
    if isinstance(value, bool | int | float | str) or value is None:
        return value
    if isinstance(value, _dt.date):  # dates and times as ISO text (JSON has no date)
        return value.isoformat()
    if isinstance(value, DictMixin):  # a nested result
        return value.to_dict()
    if isinstance(value, Mapping):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


class DictMixin:
    """``to_dict()`` over the dataclass fields (see the module docstring)."""

    _dict_keys: ClassVar[tuple[str, ...] | None] = None
    _dict_omit: ClassVar[tuple[str, ...]] = ()

    def _dict_computed(self) -> dict[str, Any]:
        """Entries computed from the fields (none by default)."""
        return {}

    def to_dict(self) -> dict[str, Any]:
        """The result as a plain, JSON-ready dict (keys = field names, units in the names)."""
        computed = self._dict_computed()
        keys = self._dict_keys
        if keys is None:
            keys = tuple(
                f.name
                for f in dataclasses.fields(self)  # type: ignore[arg-type]
                if f.name not in self._dict_omit
            )
        keys = (*keys, *(k for k in computed if k not in keys))
        return {k: plain(computed[k] if k in computed else getattr(self, k)) for k in keys}
