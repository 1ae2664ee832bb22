"""Names say what they hold (issue 15 §5)."""

from __future__ import annotations

import re
import typing
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from colonykit import memory, packing, reference, whitespace


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


# --------------------------------------------------------------------------- renames (issue 15 §5)
#: old name -> current name (the CHANGELOG lists them; the old names are refused)
RENAMES = {
    "peak_util_pct": "util_peak_pct",
    "idle_peak_util_pct": "idle_util_peak_pct",
    "overcommit_limit_ratio": "max_memory_overcommit_ratio",
}
ROOT = Path(__file__).resolve().parents[1]


def _old_name_lines() -> list[str]:
    """Lines of the package, its data, docs and notebooks that still use an old name.

    A line naming both the old and the new name is a deprecation alias (allowed).
    """
    out = []
    files = [
        p
        for d in ("colonykit", "docs", "notebooks", "data/examples")
        for p in (ROOT / d).rglob("*")
        if p.is_file() and p.suffix in (".py", ".csv", ".md", ".ipynb", ".yaml", ".json")
    ]
    files += [ROOT / "README.md"]
    for path in files:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for old, new in RENAMES.items():
                if re.search(rf"(?<![a-z_]){old}(?![a-z_])", line) and new not in line:
                    out.append(f"{path.relative_to(ROOT)}:{n}: {old}")
    return out


def test_old_names_are_gone_from_the_tree():
    assert _old_name_lines() == []


def test_the_names_agree_with_the_inventory_and_the_scenario():
    from colonykit import plan
    from colonykit.ingest.inventory import validate_inventory  # noqa: F401 - the column lives there

    assert (
        "max_memory_overcommit_ratio" in plan.Scenario.model_fields["rules"].annotation.model_fields
    )
    r = whitespace.analyze(pd.DataFrame({"a": [10.0, 20.0], "b": [1.0, 2.0]}))
    assert "util_peak_pct" in r.per_server.columns and "peak_util_pct" not in r.per_server.columns
    assert r.parameters["idle_util_peak_pct"] == reference.constant("idle_util_peak_pct") == 5.0
    m = memory.lpar_memory([memory.GuestMemory("g", 1024, count=15)], 16 * 1024)
    assert m.max_memory_overcommit_ratio == reference.constant("max_memory_overcommit_ratio") == 1.5
    assert (
        "max_memory_overcommit_ratio" in m.to_dict() and "overcommit_limit_ratio" not in m.to_dict()
    )


def test_old_names_are_refused_before_the_first_release():
    """No deprecation aliases before a release (issue 27 §3): the renames are in the CHANGELOG."""
    f = pd.DataFrame({"a": [10.0, 20.0], "c": [10.0, 20.0]})
    with pytest.raises(TypeError, match="idle_peak_util_pct"):
        whitespace.analyze(f, idle_peak_util_pct=25)
    g = [memory.GuestMemory("g", 1024, count=15)]
    with pytest.raises(TypeError, match="overcommit_limit_ratio"):
        memory.lpar_memory(g, 16 * 1024, overcommit_limit_ratio=2.0)
    with pytest.raises(TypeError, match="overcommit_limit_ratio"):
        memory.host_memory([1024] * 3, 8192, overcommit_limit_ratio=2.0)
    m = memory.lpar_memory(g, 16 * 1024, max_memory_overcommit_ratio=3.0)
    assert not hasattr(m, "overcommit_limit_ratio")
    for old in ("overcommit_limit_ratio", "idle_peak_util_pct"):
        with pytest.raises(KeyError, match=old):
            reference.constant(old)


def test_old_inventory_column_name_is_read_as_the_new_one(tmp_path):
    from colonykit.ingest import read_inventory

    p = tmp_path / "inv.csv"
    p.write_text(
        "server,role,capacity,capacity_unit,util_avg_pct,peak_util_pct,workload_class,"
        "memory_mib,disk_gib\na,web,1000,tpm,10,20,web,512,10\n"
    )
    inv, _ = read_inventory(p)
    assert inv.loc[0, "util_peak_pct"] == 20
