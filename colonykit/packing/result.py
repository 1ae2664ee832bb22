"""The typed result of :func:`colonykit.packing.pack`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from colonykit._dicts import DictMixin
from colonykit.packing.anneal import AnnealStats
from colonykit.packing.search import SearchStats


# --------------------------------------------------------------------------- result
@dataclass(frozen=True)
class PackingResult(DictMixin):
    """Outcome of :func:`pack`.

    Attributes
    ----------
    hosts_used : int
        Hosts of the time-series packing.
    lower_bound : int
        The best lower bound of :func:`lower_bound` (no packing can use fewer hosts).
    ffd_peak_hosts : int
        Hosts of first-fit-decreasing on individual peaks (same constraints).
    assignment : dict
        Server → host name (``"host0"``, ``"host1"``, …: the ``host_series`` columns and the
        ``hosts`` index).  :attr:`host_index` gives the 0-based host number instead.
    host_series : pandas.DataFrame
        Time × host summed demand.
    method : str
        ``"milp"`` or ``"heuristic"``.
    optimal : bool
        True when the MILP proved optimality or the heuristic met the lower bound.
    capacity : float
        Usable capacity per host (host capacity × max_util_pct / 100).
    host_capacity : float
        Host capacity before the utilization target.
    unit : str
        Demand unit (``demand.attrs["unit"]`` or ``""``).
    hosts : pandas.DataFrame
        Per host: servers, peak, mean, peak_pct_of_capacity.
    bound : str
        Which bound gave ``lower_bound`` (``composite``, ``l2``, ``memory``, ``clique``,
        ``lp``; ``milp`` when HiGHS proved the packing optimal).
    bounds : dict
        Every bound's value.
    gap_hosts : int
        ``hosts_used - lower_bound`` (0 = proved optimal).
    search : SearchStats or None
        What the local search after construction did (None when it did not run).
    anneal : AnnealStats or None
        What the anneal after the local search did (:mod:`colonykit.packing.anneal`; None
        when it did not run).
    """

    hosts_used: int
    lower_bound: int
    ffd_peak_hosts: int
    assignment: dict[str, str]
    host_series: pd.DataFrame
    method: str
    optimal: bool
    capacity: float
    host_capacity: float
    unit: str = ""
    hosts: pd.DataFrame = field(default_factory=pd.DataFrame)
    bound: str = "composite"
    bounds: dict[str, int] = field(default_factory=dict)
    gap_hosts: int = 0
    search: SearchStats | None = None
    anneal: AnnealStats | None = None

    @property
    def host_index(self) -> dict[str, int]:
        """Server → 0-based host number (the position of its host in ``hosts``).

        Returns
        -------
        dict
            Server name → host number.

        Examples
        --------
        >>> from colonykit.packing import pack
        >>> r = pack(pd.DataFrame({"a": [60.0], "b": [60.0]}), 100)
        >>> r.host_index
        {'a': 0, 'b': 1}
        """
        pos = (
            {name: k for k, name in enumerate(self.hosts.index)}
            if len(self.hosts)
            else {name: k for k, name in enumerate(self.host_series.columns)}
        )
        return {s: pos[h] for s, h in self.assignment.items()}

    @property
    def gap_to_lower_bound(self) -> float:
        """hosts_used / lower_bound (1.0 = provably optimal).

        Returns
        -------
        float
            The ratio (1.0 when the bound is 0).

        Examples
        --------
        >>> from colonykit.packing import pack
        >>> pack(pd.DataFrame({"a": [60.0], "b": [60.0]}), 100).gap_to_lower_bound
        1.0
        """
        return self.hosts_used / self.lower_bound if self.lower_bound else 1.0

    #: to_dict() keys (the ``colonykit pack --format json`` object)
    _dict_keys = (
        "hosts_used",
        "lower_bound",
        "bound",
        "bounds",
        "gap_hosts",
        "ffd_peak_hosts",
        "assignment",
        "method",
        "optimal",
        "capacity",
        "host_capacity",
        "unit",
        "host_peak",
        "search_iterations",
    )

    def _dict_computed(self) -> dict[str, Any]:
        return {
            "host_peak": {str(k): float(v) for k, v in self.host_series.max().items()},
            "search_iterations": 0 if self.search is None else self.search.iterations,
        }


__all__ = [
    "PackingResult",
]
