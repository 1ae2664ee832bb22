"""The packing problem: demand validated item-major, usable capacity, anti-affinity lists."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from colonykit.errors import CapacityError, InputError, must_be, raise_problems, unknown_name
from colonykit.frames import demand_problems

#: Default maximum utilization target of a host [%] (the CLI contract's default: no headroom).
#: Planners usually pass less, e.g. ``reference.constant("target_util_pct")`` = 90.
DEFAULT_MAX_UTIL_PCT = 100.0


#: Relative tolerance of the capacity check (float rounding of summed series).
CAPACITY_RTOL = 1e-9


# --------------------------------------------------------------------------- validation
def demand_matrix(
    demand: pd.DataFrame | npt.ArrayLike, where: str = "demand"
) -> tuple[np.ndarray, list[str], pd.Index]:
    """Validate a wide demand frame and return it item-major.

    Parameters
    ----------
    demand : pandas.DataFrame or array_like
        Time × server demand (index = time or step, columns = servers).  A 2-D
        array is read the same way (rows = steps) with servers named ``s0, s1, …``.
    where : str
        Name of the input used in error messages.

    Returns
    -------
    matrix : numpy.ndarray
        Shape (servers, steps), C-contiguous, float32 or float64 as given.
    names : list of str
        Server names.
    index : pandas.Index
        The time index.

    Raises
    ------
    InputError
        Empty input, duplicate server names, NaN/inf or negative demand (naming
        server and step).

    Examples
    --------
    >>> m, names, _ = demand_matrix(pd.DataFrame({"a": [1.0, 2.0], "b": [3.0, 4.0]}))
    >>> m.tolist(), names
    ([[1.0, 2.0], [3.0, 4.0]], ['a', 'b'])
    """
    if isinstance(demand, pd.DataFrame):
        frame = demand
    else:
        arr = np.asarray(demand)
        if arr.ndim != 2:
            msg = must_be(where, "a 2-D time × server table", f"{arr.ndim}-D array")
            raise InputError(msg)
        frame = pd.DataFrame(arr, columns=[f"s{i}" for i in range(arr.shape[1])], copy=False)
    if frame.shape[0] == 0 or frame.shape[1] == 0:
        msg = must_be(where, "a non-empty time × server table", f"shape {frame.shape}")
        raise InputError(msg)
    names = [str(c) for c in frame.columns]
    if len(set(names)) != len(names):
        dup = sorted({n for n in names if names.count(n) > 1})
        msg = f"{where}: duplicate server column(s) {dup}"
        raise InputError(msg)
    try:
        values = frame.to_numpy()
        if values.dtype not in (np.float32, np.float64):
            values = values.astype(np.float64)
    except (TypeError, ValueError) as exc:
        msg = f"{where}: demand must be numeric ({exc})"
        raise InputError(msg) from exc
    matrix = np.ascontiguousarray(values.T)
    raise_problems(demand_problems(matrix, names, frame.index, where), f"invalid {where}")
    return matrix, names, frame.index


def _positive(value: float, field_name: str) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        v = float("nan")
    if not (math.isfinite(v) and v > 0):
        msg = must_be(field_name, "a number > 0", value)
        raise InputError(msg)
    return v


def effective_capacity(host_capacity: float, max_util_pct: float = DEFAULT_MAX_UTIL_PCT) -> float:
    """Usable capacity of one host: ``host_capacity × max_util_pct / 100``.

    Parameters
    ----------
    host_capacity : float
        Capacity of one host in the demand's unit, > 0.
    max_util_pct : float
        Maximum utilization target of a host [%], 0 < x ≤ 100.

    Returns
    -------
    float
        Usable capacity per host.

    Raises
    ------
    InputError
        Non-positive capacity or a utilization target outside 0..100.

    Examples
    --------
    >>> effective_capacity(5320, 90)
    4788.0
    """
    cap = _positive(host_capacity, "host_capacity")
    try:
        util = float(max_util_pct)
    except (TypeError, ValueError):
        util = float("nan")
    if not (math.isfinite(util) and 0 < util <= 100):
        msg = must_be("max_util_pct", "in 0..100 (exclusive of 0)", max_util_pct)
        raise InputError(msg)
    return cap * util / 100.0


def _conflict_lists(pairs: Iterable[Sequence[str]] | None, names: list[str]) -> list[np.ndarray]:
    pos = {n: i for i, n in enumerate(names)}
    lists: list[list[int]] = [[] for _ in names]
    problems: list[str] = []
    for k, pair in enumerate(pairs or ()):
        if len(pair) != 2:
            problems.append(
                must_be("anti_affinity", "pairs of two server names", pair, f"pair {k + 1}")
            )
            continue
        a, b = (str(p) for p in pair)
        for s in (a, b):
            if s not in pos:
                problems.append(
                    str(
                        unknown_name(
                            "server",
                            s,
                            names[:20] + (["…"] if len(names) > 20 else []),
                            hint=f"anti_affinity pair {k + 1}",
                        )
                    )
                )
        if a in pos and b in pos:
            if a == b:
                problems.append(
                    must_be("anti_affinity", "two different servers", pair, f"pair {k + 1}")
                )
                continue
            lists[pos[a]].append(pos[b])
            lists[pos[b]].append(pos[a])
    raise_problems(problems, "invalid anti_affinity")
    return [np.asarray(sorted(set(x)), dtype=np.int64) for x in lists]


def _renumber(host_of: np.ndarray) -> np.ndarray:
    """Host ids 0..m-1 in order of first appearance."""
    _, first, inverse = np.unique(host_of, return_index=True, return_inverse=True)
    rank = np.argsort(np.argsort(first))
    return rank[inverse].astype(np.int64)


@dataclass(frozen=True)
class PackingProblem:
    """One packing instance, validated: demand, usable capacity, memory, anti-affinity.

    The object every packing step reads (bounds, constructions, search, MILP): built once by
    :meth:`from_demand` from the user's inputs, with every check of :func:`pack`'s inputs.

    Attributes
    ----------
    matrix : numpy.ndarray
        Demand, shape (servers, steps), C-contiguous, float32 or float64.
    capacity : float
        Usable capacity per host (``host_capacity × max_util_pct / 100``).
    names : list of str
        Server names (rows of ``matrix``).
    index : pandas.Index
        The time index (columns of ``matrix``).
    memory : numpy.ndarray or None
        Memory per server [MiB], when memory is packed.
    host_memory : float or None
        Memory per host [MiB], when memory is packed.
    conflicts : list of numpy.ndarray or None
        Anti-affinity partners per server.
    host_capacity : float
        Capacity per host before the utilization target.
    """

    matrix: np.ndarray
    capacity: float
    names: list[str]
    index: pd.Index
    memory: np.ndarray | None = None
    host_memory: float | None = None
    conflicts: list[np.ndarray] | None = None
    host_capacity: float = 0.0

    @classmethod
    def from_demand(
        cls,
        demand: pd.DataFrame | npt.ArrayLike,
        host_capacity: float,
        max_util_pct: float = DEFAULT_MAX_UTIL_PCT,
        *,
        memory_mib: Mapping[str, float] | pd.Series | None = None,
        host_memory_mib: float | None = None,
        anti_affinity: Iterable[Sequence[str]] | None = None,
    ) -> PackingProblem:
        """Validate the inputs of :func:`colonykit.packing.pack` into one problem.

        Parameters
        ----------
        demand : pandas.DataFrame or array_like
            Time × server demand (see :func:`demand_matrix`).
        host_capacity : float
            Capacity of one host in the demand's unit, > 0.
        max_util_pct : float
            Maximum utilization target of a host [%], 0 < x ≤ 100.
        memory_mib : mapping or Series, optional
            Memory per server [MiB]; needs ``host_memory_mib``.
        host_memory_mib : float, optional
            Memory per host [MiB].
        anti_affinity : iterable of (server, server), optional
            Pairs that must be on different hosts.

        Returns
        -------
        PackingProblem
            The validated problem.

        Raises
        ------
        InputError
            Bad demand, capacity, utilization, memory or pairs.
        CapacityError
            A server's own peak (or memory) exceeds one host.

        Examples
        --------
        >>> p = PackingProblem.from_demand(pd.DataFrame({"a": [50.0], "b": [70.0]}), 200, 50)
        >>> p.matrix.tolist(), p.capacity, p.names
        ([[50.0], [70.0]], 100.0, ['a', 'b'])
        """
        cap = effective_capacity(host_capacity, max_util_pct)
        matrix, names, index = demand_matrix(demand)
        conflicts = _conflict_lists(anti_affinity, names) if anti_affinity is not None else None
        mem: np.ndarray | None = None
        hmem: float | None = None
        if memory_mib is not None or host_memory_mib is not None:
            if memory_mib is None or host_memory_mib is None:
                msg = "memory packing needs both memory_mib (per server) and host_memory_mib"
                raise InputError(msg)
            hmem = _positive(host_memory_mib, "host_memory_mib")
            ms = pd.Series(memory_mib, dtype="float64")
            ms.index = ms.index.astype(str)
            missing = [s for s in names if s not in ms.index]
            problems = [f"memory_mib: no value for server {s!r}" for s in missing[:50]]
            mem = ms.reindex(names).to_numpy(dtype=np.float64)
            problems += [
                must_be("memory_mib", "a finite number >= 0", v, f"server {s!r}")
                for s, v in zip(names, mem, strict=True)
                if s not in missing and not (np.isfinite(v) and v >= 0)
            ]
            raise_problems(problems, "invalid memory_mib")
        peaks = matrix.max(axis=1).astype(np.float64)
        too_big = np.flatnonzero(peaks > cap * (1 + CAPACITY_RTOL))
        if too_big.size:
            shown = ", ".join(f"{names[i]!r} peaks at {peaks[i]:g}" for i in too_big[:10])
            msg = (
                f"{too_big.size} server(s) exceed one host's usable capacity {cap:g} "
                f"(host capacity {float(host_capacity):g} × max_util_pct "
                f"{float(max_util_pct):g} %): {shown}; use larger hosts or split these servers"
            )
            raise CapacityError(msg)
        if mem is not None and hmem is not None and (mem > hmem * (1 + CAPACITY_RTOL)).any():
            i = int(np.argmax(mem))
            msg = f"server {names[i]!r} needs {mem[i]:g} MiB, more than one host's {hmem:g} MiB"
            raise CapacityError(msg)
        return cls(matrix, cap, names, index, mem, hmem, conflicts, float(host_capacity))


__all__ = [
    "DEFAULT_MAX_UTIL_PCT",
    "CAPACITY_RTOL",
    "demand_matrix",
    "effective_capacity",
    "PackingProblem",
]
