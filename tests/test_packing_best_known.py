"""The best known packing of the PlanetLab day (issue 26), checked from the trace by plain arithmetic.

``tests/data/planetlab_best_known/planetlab_20110303_5320mips.csv`` assigns each of the 1,052 VMs
of PlanetLab 2011-03-03 (CloudSim's set-up: VM types of 2,500 / 2,000 / 1,000 / 500 MIPS in four
blocks of the VMs in name order; hosts of 5,320 MIPS) to a host; how it was found is in the
folder's ``PROVENANCE.md``.  These tests recompute every host's load at every step in whole MIPS
(a cpu-% point of a VM type is 25 / 20 / 10 / 5 MIPS), so the claim "this many hosts fit" and the
lower bound's gap against it need no trust in the packer.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from colonykit.packing import lower_bound

HOST_MIPS = 5_320
#: CloudSim's VM types (PlanetLab example, ``Constants.VM_MIPS``), in whole MIPS per cpu-% point.
MIPS_PER_PCT = (25, 20, 10, 5)
#: Hosts of the packing in the CSV (PROVENANCE.md).
BEST_KNOWN_HOSTS = 43


@pytest.fixture(scope="module")
def trace_and_packing(data_dir: Path, tests_data_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    trace = pd.read_csv(data_dir / "traces" / "planetlab_20110303" / "planetlab_20110303.csv.gz")
    names = sorted(trace["vm"].unique())
    block = -(-len(names) // 4)  # CloudSim: VM i has type i // ceil(n / 4)
    per_pct = {vm: MIPS_PER_PCT[i // block] for i, vm in enumerate(names)}
    assert (trace["cpu_pct"] == trace["cpu_pct"].round()).all()  # whole cpu-% points
    trace["mips"] = trace["cpu_pct"].astype(np.int64) * trace["vm"].map(per_pct)
    assign = pd.read_csv(
        tests_data_dir / "planetlab_best_known" / "planetlab_20110303_5320mips.csv",
        dtype={"vm": str, "host": str},
    )
    return trace, assign


def test_every_vm_is_placed_once(trace_and_packing: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    trace, assign = trace_and_packing
    assert not assign["vm"].duplicated().any()
    assert set(assign["vm"]) == set(trace["vm"])
    assert len(assign) == 1052


def test_every_host_fits_at_every_step(
    trace_and_packing: tuple[pd.DataFrame, pd.DataFrame],
) -> None:
    trace, assign = trace_and_packing
    merged = trace.merge(assign, on="vm", validate="many_to_one")
    per_host = merged.groupby(["host", "step"])["mips"].sum()
    assert per_host.index.get_level_values("step").nunique() == 288
    assert per_host.max() <= HOST_MIPS
    assert assign["host"].nunique() == BEST_KNOWN_HOSTS


def test_the_bound_is_below_the_best_known_packing(
    trace_and_packing: tuple[pd.DataFrame, pd.DataFrame],
) -> None:
    trace, _ = trace_and_packing
    wide = trace.pivot(index="vm", columns="step", values="mips").sort_index()
    summed = int(wide.sum(axis=0).max())  # the composite peak, whole MIPS
    assert summed == 209_200
    composite = -(-summed // HOST_MIPS)  # 40
    bound = lower_bound(wide.to_numpy(dtype=float), HOST_MIPS)
    assert bound == composite
    assert bound <= BEST_KNOWN_HOSTS
    assert BEST_KNOWN_HOSTS - bound == 3  # the gap the issue asks to bring to 2
