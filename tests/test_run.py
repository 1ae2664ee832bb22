"""`colonykit run` (the `make run` job) and the trace evidence the plan carries."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import yaml

from colonykit import export, plan
from colonykit.cli import main

SCEN = "data/examples/bitbrains_colony.yaml"


@pytest.fixture(scope="module")
def traced():
    return plan.build_plan(SCEN)


def test_trace_evidence_in_typed_fields(traced) -> None:
    ws, pk, st, demand = traced.whitespace, traced.packing, traced.staggering, traced.demand
    assert demand.shape == (2016, 50)
    # non-coincidence saving = 1 - composite peak / sum of peaks; white space = 1 - mean / peak
    arr = demand.to_numpy()
    assert ws.sum_of_peaks == pytest.approx(arr.max(axis=0).sum())
    assert ws.composite_peak == pytest.approx(arr.sum(axis=1).max())
    assert ws.non_coincidence_saving_pct == pytest.approx(
        100 * (1 - arr.sum(axis=1).max() / arr.max(axis=0).sum())
    )
    assert ws.white_space_pct == pytest.approx(
        100 * (1 - arr.sum(axis=1).mean() / arr.sum(axis=1).max())
    )
    # packing: never over capacity at any step, at least the lower bound, every server placed once
    usable = pk.capacity
    assert (pk.host_series.to_numpy() <= usable * (1 + 1e-9)).all()
    assert pk.bounds["composite"] == int(np.ceil(arr.sum(axis=1).max() / usable - 1e-9))
    assert pk.hosts_used >= pk.lower_bound >= pk.bounds["composite"]  # best bound (L2 here: 12)
    assert sorted(pk.assignment) == sorted(str(c) for c in demand.columns)
    # the LPAR size used holds the largest traced server
    assert usable >= arr.max()
    # staggering never raises the peak
    assert st.peak_after <= st.peak_before + 1e-9
    notes = " ".join(traced.trace_notes)
    assert (
        "Aligned on absolute time" in notes
        and "Time-series packing" in notes
        and "Staggering" in notes
    )


def test_each_lpar_has_the_fewest_engines_for_its_own_composite(traced) -> None:
    from colonykit import measured

    meas = traced.measured
    demand = traced.demand
    for h in traced.plan.hosts:
        peak = demand[[g.source_server for g in h.guests]].sum(axis=1).max()
        n = h.capacity.cpus
        usable = measured.usable_mips(
            np.array([n - 1, n]), traced.sizing, len(h.guests), meas.uplift_frac
        )
        assert usable[1] >= peak and (n == 1 or usable[0] < peak)
        assert h.capacity.mips_usable == pytest.approx(usable[1])


def test_run_writes_everything(tmp_path: Path, capsys) -> None:
    out = tmp_path / "out"
    code = main(["run", SCEN, "--out", str(out), "--format", "json"])
    doc = json.loads(capsys.readouterr().out)
    assert code == 0
    for rel in (
        "plan.yaml",
        "sizing.json",
        "whitespace.json",
        "findings.csv",
        "report.html",
        "render/zvm/lpar1/USER.DIRECT",
        "render/ansible/inventory.yml",
    ):
        assert (out / rel).is_file(), rel
    assert str(out / "plan.yaml") in doc["files"]
    loaded = export.load_plan(out / "plan.yaml")
    assert plan.plan_guest_count(loaded) == 50
    sized = json.loads((out / "sizing.json").read_text())
    assert sized["composite"]["engines_composite"] <= sized["composite"]["engines_peak"]
    assert sized["composite"]["servers_matched"] == 50
    ws = json.loads((out / "whitespace.json").read_text())
    assert ws["sum_of_peaks"] > ws["composite_peak"] > 0
    html = (out / "report.html").read_text()
    assert "data-figure='packing'" in html and "Time-series packing" in html
    assert '<script src="http' not in html  # plotly inlined: works offline
    assert yaml.safe_load((out / "plan.yaml").read_text())["apiVersion"] == "colonykit/v1"


def test_run_bad_scenario_exit_2_nothing_written(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "s.yaml"
    bad.write_text(
        "apiVersion: colonykit/v1\nkind: ColonyScenario\nname: x\ndesign: {name: nope}\n"
    )
    out = tmp_path / "out"
    assert main(["run", str(bad), "--out", str(out)]) == 2
    assert "error:" in capsys.readouterr().err
    assert not out.exists() or not any(out.rglob("*"))


def test_explorer_staggers_once_and_keeps_it() -> None:
    from colonykit import widgets

    model = widgets.ExplorerModel(SCEN)
    st = model.state.result.staggering
    assert st.peak_after <= st.peak_before
    new = model.update(target_util_pct=60)
    assert new.result.staggering is st  # reused, not recomputed
    assert new.result.packing is not None  # packing depends on the LPAR size: recomputed
    assert new.result.sizing.options.target_util_pct == 60


def test_build_plan_can_skip_staggering(traced) -> None:
    r = plan.build_plan(SCEN, traces=traced.join, stagger_traces=False)
    assert r.staggering is None and r.packing is not None
    assert r.plan == traced.plan
