"""Names say what they hold (issue 15 §5)."""

from __future__ import annotations

import typing

import numpy as np
import pandas as pd

from colonykit import packing


def test_packing_assignment_holds_host_names_and_host_index_numbers():
    rng = np.random.default_rng(3)
    demand = pd.DataFrame(rng.uniform(10, 60, size=(24, 6)), columns=list("abcdef"))
    r = packing.pack(demand, host_capacity=100.0)
    hints = typing.get_type_hints(packing.PackingResult)
    assert hints["assignment"] == dict[str, str]  # was dict[str, int] while holding 'host0'
    assert set(r.assignment.values()) <= set(r.host_series.columns) == set(r.hosts.index)
    assert all(isinstance(v, int) for v in r.host_index.values())
    for server, name in r.assignment.items():
        assert list(r.hosts.index)[r.host_index[server]] == name
    assert sorted(set(r.host_index.values())) == list(range(r.hosts_used))
    assert "host name" in (packing.PackingResult.__doc__ or "")
