"""Results of the plan's pure stages, kept by their inputs, for callers that rebuild a plan often.

The workshop dashboard (:mod:`colonykit.widgets`) rebuilds the whole plan on every control
change; most stages do not depend on the control that moved (a guest's disks, directory entry
and NIC do not change with the target utilization; the sizing of an inventory does not change
with the memory overcommit ratio).  :func:`colonykit.plan.build_plan` takes a
:class:`StageCache`: each cached stage is looked up by a key made of **everything it reads**
(values, never object identities), so a hit gives the very result the stage would compute, and a
miss computes it.  Warnings a stage raised when it was computed are raised again on every hit
(the plan turns plausibility warnings into CK050 findings).  Without a cache (``cache=None``, every other caller) nothing is kept.

Objects a cached stage returns are shared between the plans built with the same cache: the
plan documents of one cache must not be changed in place (copy them first,
``model_copy(deep=True)``); the explorer does not change them.

Examples
--------
>>> c = StageCache()
>>> c.get("square", (3,), lambda: 3 * 3), c.get("square", (3,), lambda: -1)
(9, 9)
>>> c.hits, c.misses
(1, 1)
"""

from __future__ import annotations

import warnings
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

import pandas as pd

T = TypeVar("T")

#: Entries kept per stage (the most recently used): the explorer's recent plans and a few more.
STAGE_ENTRIES = 16


class StageCache:
    """Stage results by (stage, key), the least recently used dropped past ``entries`` per stage.

    Parameters
    ----------
    entries : int, optional
        Results kept per stage.

    Attributes
    ----------
    hits, misses : int
        Look-ups answered from the cache / computed.
    """

    def __init__(self, entries: int = STAGE_ENTRIES) -> None:
        self.entries = int(entries)
        self._stages: dict[
            str, OrderedDict[Hashable, tuple[object, list[warnings.WarningMessage]]]
        ] = {}
        self.hits = 0
        self.misses = 0

    def get(self, stage: str, key: Hashable, make: Callable[[], T]) -> T:
        """The result of ``stage`` for ``key``: kept, else ``make()`` (then kept).

        Parameters
        ----------
        stage : str
            Name of the stage.
        key : hashable
            Everything the stage reads, as values.
        make : callable
            Computes the result (no arguments).
        """
        store = self._stages.setdefault(stage, OrderedDict())
        if key in store:
            self.hits += 1
            store.move_to_end(key)
            value, caught = store[key]
        else:
            self.misses += 1
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                value = make()
            store[key] = (value, caught)
            while len(store) > self.entries:
                store.popitem(last=False)
        for w in caught:  # as the stage raised them: the caller's filters decide
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno, source=w.source)
        return value  # type: ignore[return-value]


def frame_key(frame: pd.DataFrame) -> tuple[object, ...]:
    """A value key of a frame: its columns, dtypes and a hash of every row (index included).

    Parameters
    ----------
    frame : pandas.DataFrame
        The frame (an inventory, a share of it).

    Examples
    --------
    >>> a = pd.DataFrame({"x": [1, 2]})
    >>> frame_key(a) == frame_key(a.copy()), frame_key(a) == frame_key(a.assign(x=[1, 3]))
    (True, False)
    """
    rows = pd.util.hash_pandas_object(frame, index=True).to_numpy()
    return (
        tuple(map(str, frame.columns)),
        tuple(map(str, frame.dtypes)),
        rows.tobytes(),
        tuple(sorted((str(k), repr(v)) for k, v in frame.attrs.items())),
    )


__all__ = ["STAGE_ENTRIES", "StageCache", "frame_key"]
