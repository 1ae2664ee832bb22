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

import gc
import warnings
from collections import OrderedDict
from collections.abc import Callable, Hashable
from types import TracebackType
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


#: Rebuilds between two full collections of the cyclic garbage collector under
#: :class:`CollectionPause` (the objects alive after a rebuild are frozen in between).
FULL_COLLECTION_EVERY = 16


class CollectionPause:
    """No cyclic garbage collection during a plan rebuild; the objects alive after it frozen.

    A 1,000-guest rebuild makes ~10**5 objects (guests' disks, findings); each time the
    collector's counters run over it walks the objects it tracks — the cached stages and
    kept plans of the explorer, ~10**6 objects — and finds little to free (reference
    counting frees a plan's objects; the few cycles, e.g. plotly figures' parent links, can
    wait for the periodic full collection below).  That walk was about a
    third of the kernel's CPU for a new design at 1,000 guests.  Inside ``with pause:`` the
    collector is off; on leaving, everything alive is moved to the permanent generation
    (:func:`gc.freeze`), so later collections walk only newer objects.  Every
    ``every``-th exit unfreezes, collects once in full (cyclic garbage frozen in between is
    freed then) and freezes again.  The collector is turned back on only if it was on.
    Results are untouched: the collector never changes a value, only when memory is freed.

    Parameters
    ----------
    every : int, optional
        Exits between two full collections (``FULL_COLLECTION_EVERY``).

    Attributes
    ----------
    exits, collections : int
        Blocks left; full collections made.

    Examples
    --------
    >>> import gc
    >>> pause = CollectionPause(every=2)
    >>> with pause:
    ...     gc.isenabled()
    False
    >>> gc.isenabled(), pause.collections
    (True, 0)
    >>> with pause:
    ...     pass
    >>> pause.exits, pause.collections
    (2, 1)
    >>> gc.unfreeze()
    """

    def __init__(self, every: int = FULL_COLLECTION_EVERY) -> None:
        if int(every) < 1:
            msg = f"'every' must be at least 1 (got {every})"
            raise ValueError(msg)
        self.every = int(every)
        self.exits = 0
        self.collections = 0
        self._was_enabled: list[bool] = []

    def __enter__(self) -> CollectionPause:
        self._was_enabled.append(gc.isenabled())
        gc.disable()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        was_enabled = self._was_enabled.pop()
        if self._was_enabled:  # nested: the outermost block freezes and turns it back on
            return
        self.exits += 1
        if self.exits % self.every == 0:
            gc.unfreeze()
            gc.collect()
            self.collections += 1
        gc.freeze()
        if was_enabled:
            gc.enable()


__all__ = ["FULL_COLLECTION_EVERY", "STAGE_ENTRIES", "CollectionPause", "StageCache", "frame_key"]
