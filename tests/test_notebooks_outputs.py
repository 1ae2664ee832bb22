"""Execute every notebook once, writing outside the tree, and check its key numbers against the library.

Each notebook 00–05 ends with a cell tagged ``key-numbers`` that displays its headline numbers as
JSON (``IPython.display.JSON``).  The test executes the notebook with nbclient in ``notebooks/`` (so
``../data/`` resolves) with ``COLONYKIT_NOTEBOOK_OUT`` pointing at a temporary folder, reads that JSON
from the executed outputs and compares it with the same numbers computed here by the library call
(and, where the source gives a formula, by hand).  A notebook whose numbers drift from the library
fails; a notebook that writes into the repository fails.
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import Any

import nbformat
import numpy as np
import pytest
from nbclient import NotebookClient

from colonykit import (
    channels,
    designs,
    export,
    mdc,
    measured,
    memory,
    packing,
    paging,
    plan,
    sizing,
    staggering,
    whitespace,
)
from colonykit.ingest import read_inventory, read_traces
from colonykit.ingest.join import join_traces
from colonykit.ingest.traces import read_capacity_table

pytestmark = pytest.mark.notebook

ROOT = Path(__file__).resolve().parents[1]
NB_DIR = ROOT / "notebooks"
KEY_TAG = "key-numbers"
#: The numbered notebooks each end with a key-numbers cell; explorer.ipynb is a dashboard (run only).
KEYED = sorted(p.stem for p in NB_DIR.glob("[0-9][0-9]_*.ipynb"))
BOUNDS = ("low", "typical", "high")


def _tree() -> set[str]:
    """Every path under ``notebooks/`` and ``out/`` (where the notebooks used to write)."""
    return {str(p.relative_to(ROOT)) for d in (NB_DIR, ROOT / "out") for p in d.rglob("*")}


def _execute(name: str, out: Path) -> nbformat.NotebookNode:
    """Run ``notebooks/<name>.ipynb`` in ``notebooks/`` with every output folder under ``out``."""
    nb = nbformat.read(NB_DIR / f"{name}.ipynb", as_version=4)
    before = _tree()
    env = {
        **os.environ,
        "COLONYKIT_NOTEBOOK_OUT": str(out),
        "COLONYKIT_EXPORT_DIR": str(out / "export"),
    }
    NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(NB_DIR)}}
    ).execute(env=env)
    created = _tree() - before
    assert not created, f"{name} wrote into the repository: {sorted(created)[:5]}"
    return nb


def _files(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def _key_numbers(nb: nbformat.NotebookNode) -> dict[str, Any]:
    cells = [c for c in nb.cells if c.cell_type == "code" and KEY_TAG in c.metadata.get("tags", [])]
    assert len(cells) == 1, f"exactly one cell tagged {KEY_TAG!r} (got {len(cells)})"
    assert cells[0] is [c for c in nb.cells if c.cell_type == "code"][-1], (
        "the key numbers are the last cell"
    )
    data = [
        o["data"] for o in cells[0].outputs if o.output_type in ("execute_result", "display_data")
    ]
    assert data and "application/json" in data[0], "the key-numbers cell displays JSON"
    return dict(data[0]["application/json"])


def _same(got: Any, want: Any, where: str = "") -> None:
    """Recursive equality; floats to 1e-9 relative (JSON round trip of ``want`` first: int keys → str)."""
    if isinstance(want, dict):
        assert isinstance(got, dict) and set(got) == set(want), (
            f"{where}: keys {sorted(got)} != {sorted(want)}"
        )
        for k in want:
            _same(got[k], want[k], f"{where}.{k}")
    elif isinstance(want, list):
        assert isinstance(got, list) and len(got) == len(want), f"{where}: {got!r} != {want!r}"
        for i, (g, w) in enumerate(zip(got, want, strict=True)):
            _same(g, w, f"{where}[{i}]")
    elif isinstance(want, float):
        assert isinstance(got, int | float) and got == pytest.approx(want, rel=1e-9, abs=1e-12), (
            f"{where}: notebook {got!r} != library {want!r}"
        )
    else:
        assert got == want, f"{where}: notebook {got!r} != library {want!r}"


def _check(got: dict[str, Any], want: dict[str, Any]) -> None:
    _same(
        got,
        json.loads(json.dumps(want, default=lambda o: o.item() if hasattr(o, "item") else str(o))),
    )


@pytest.fixture()
def out(tmp_path: Path) -> Path:
    return tmp_path / "nb-out"


def test_every_numbered_notebook_has_a_key_numbers_check() -> None:
    assert set(KEYED) == set(CHECKS), "add the new notebook's key numbers to CHECKS"


def _quickstart(got: dict[str, Any], out: Path) -> None:
    result = plan.build_plan(plan.load_scenario("data/examples/bitbrains_colony.yaml"))
    _check(
        got,
        {
            "engines": dict(result.sizing.engines),
            "required_mips": result.sizing.target["required_mips"].to_dict(),
            "hosts": len(result.plan.hosts),
            "findings": len(result.plan.findings),
            "measured": result.measured.to_dict(),
            "report": str(out / "quickstart_report.html"),
        },
    )
    assert (out / "quickstart_report.html").is_file()
    # the composite sizes no more engines than the sum of peaks (seed 003 §2.3)
    assert got["measured"]["engines_composite"] <= got["measured"]["engines_peak"]


def _cpu_sizing(got: dict[str, Any], out: Path) -> None:
    inv, _ = read_inventory("data/examples/xyz_inventory.csv")
    want = {}
    for t in ("z990", "z16"):
        r = sizing.size_inventory(inv, t, basis="peak", target_util_pct=90.0, smt=False)
        want[t] = {"engines": dict(r.engines), "mips": dict(r.total)}
    _check(got, want)
    for t in want:  # low ≤ typical ≤ high, MIPS and engines
        assert [got[t]["engines"][b] for b in BOUNDS] == sorted(
            got[t]["engines"][b] for b in BOUNDS
        )


def _white_space(got: dict[str, Any], out: Path) -> None:
    trace, start = "data/traces/bitbrains_rnd_50vm_7d.csv.gz", "2013-09-02T00:00Z"
    raw, _ = read_traces(trace, start=start)
    demand = sizing.convert_unit(raw, "mips")
    result = whitespace.analyze(
        demand,
        headroom_pct=10.0,
        configured=sizing.capacity_mips(
            read_capacity_table("data/traces/bitbrains_rnd_50vm_7d_vms.csv")
        ),
    )
    inv, _ = read_inventory("data/examples/bitbrains_50vm_inventory.csv")
    colony = measured.measured_sizing(
        inv, sizing.size_inventory(inv, "z15"), join_traces(inv, trace, start=start)
    )
    windows = staggering.detect_spikes(demand, "1D")
    staggered = staggering.stagger(demand, windows, method="greedy")
    packed = packing.pack(staggered.shifted, 20_000.0, 90.0)
    _check(
        got,
        {
            "trace": {
                "servers": result.servers,
                "sum_of_peaks_mips": result.sum_of_peaks,
                "composite_peak_mips": result.composite_peak,
                "composite_mean_mips": result.composite_mean,
                "white_space_pct": result.white_space_pct,
                "saving_pct": result.saving_pct,
                "capacity_needed_mips": result.capacity_needed,
            },
            "colony": colony.to_dict(),
            "staggering": {
                "jobs": len(windows),
                "peak_before": staggered.peak_before,
                "peak_after": staggered.peak_after,
            },
            "packing": {
                "hosts_used": packed.hosts_used,
                "lower_bound": packed.lower_bound,
                "ffd_peak_hosts": packed.ffd_peak_hosts,
            },
        },
    )
    # second method: the sum of the per-server maxima and the maximum of the row sums, in numpy
    values = demand.to_numpy(dtype=float)
    assert got["trace"]["sum_of_peaks_mips"] == pytest.approx(values.max(axis=0).sum(), rel=1e-9)
    assert got["trace"]["composite_peak_mips"] == pytest.approx(values.sum(axis=1).max(), rel=1e-9)
    c = got["colony"]
    assert c["non_coincidence_saving_pct"] == pytest.approx(
        100 * (1 - c["composite_peak_mips"] / c["sum_of_peaks_mips"]), rel=1e-9
    )
    assert got["staggering"]["peak_after"] <= got["staggering"]["peak_before"]


def _memory_and_paging(got: dict[str, Any], out: Path) -> None:
    rules = paging.compare_rules(10 * 512, 2048, 0, volume_model="3390-9", page_io_rate_per_s=400)
    vd = dict(working_set_mib=480, vdisk_mib=(64,) * 10, swap_mib=150)
    layouts = {
        "large guest": memory.GuestMemory("large", 1024, count=10),
        "VDISK swap": memory.GuestMemory("vdisk", 512, count=10, **vd),
        "hybrid": memory.GuestMemory(
            "hybrid",
            640,
            count=10,
            working_set_mib=600,
            ramdisk_swap_mib=96,
            vdisk_mib=(64,) * 4,
            swap_mib=150,
        ),
        "VDISK + NSS + DCSS": memory.GuestMemory(
            "shared", 512, count=10, **vd, nss=True, dcss=("usr",), dcss_private_mib=40
        ),
        "... + CMM 64 MiB": memory.GuestMemory(
            "cmm", 512, count=10, **vd, nss=True, dcss=("usr",), cmm_mib=64, dcss_private_mib=40
        ),
    }
    with pytest.warns(
        UserWarning, match="exceeds real storage"
    ):  # the large-guest layout pages, as in the notebook
        results = {
            k: memory.lpar_memory([g], 2048 * 4, shared_segments={"usr": 40})
            for k, g in layouts.items()
        }
    _check(
        got,
        {
            "paging_gib": rules["paging_gib"].to_dict(),
            "volumes": rules["volumes"].to_dict(),
            "resident_total_mib": {k: r.resident_total_mib for k, r in results.items()},
            "overcommit_ratio": {k: r.overcommit_ratio for k, r in results.items()},
        },
    )
    # by hand, seed 003 §9.1.1: 2 × (10 × 512 MB virtual + 2 GB real) = 14 GB
    assert got["paging_gib"]["sg24-6299"] == pytest.approx(2 * (10 * 512 + 2048) / 1024)
    # 10 × 1024 MiB virtual on 8192 MiB real
    assert got["overcommit_ratio"]["large guest"] == pytest.approx(10 * 1024 / 8192)


def _channels_and_mdc(got: dict[str, Any], out: Path) -> None:
    keys = ("busy_pct", "per_path_busy_pct", "paths_needed", "response_ms")
    book = channels.channel_load(54, 14.0, 4, 50.0).to_dict()
    ibm = channels.channel_load(1200, 4.5, 6, 50.0).to_dict()
    chains = channels.chained_io_effect(54, max_busy_pct=50.0)
    _check(
        got,
        {
            "book": {k: book[k] for k in keys},
            "ibm": {k: ibm[k] for k in keys},
            "chained_paths_needed": dict(
                zip(chains["blocks_per_io"].tolist(), chains["paths_needed"].tolist(), strict=True)
            ),
            "calibration": mdc.calibration_summary(mdc.calibrate_table_8_2()),
        },
    )
    # by hand, IBM's formula (seed 003 §8.10.3): busy = connect ms × I/O per s ÷ 10
    assert got["book"]["busy_pct"] == pytest.approx(14.0 * 54 / 10)
    assert got["book"]["per_path_busy_pct"] == pytest.approx(14.0 * 54 / 10 / 4)
    assert got["book"]["paths_needed"] == math.ceil(14.0 * 54 / 10 / 50)
    assert got["ibm"]["busy_pct"] == pytest.approx(4.5 * 1200 / 10)
    assert got["ibm"]["paths_needed"] == math.ceil(4.5 * 1200 / 10 / 50)


def _designs_and_export(got: dict[str, Any], out: Path) -> None:
    scenario = plan.load_scenario("data/examples/scenario.yaml")
    scenario.design = plan.ScenarioDesign(
        name="zvm-basevol-guestvol", overrides={"guestvol_cyl": 300}
    )
    result = plan.build_plan(scenario)
    again = out.parent / "library-export"
    written = export.write_plan(result.plan, again)
    _check(
        got,
        {
            "design": "zvm-basevol-guestvol",
            "total_gib": result.comparison["total_gib"].to_dict(),
            "saving_vs_dedicated_pct": result.comparison["saving_vs_dedicated_pct"].to_dict(),
            "guests": len(result.guests_frame()),
            "files_written": len(written),
            "out_dir": str(out / "05_designs"),
        },
    )
    # the notebook's export went to the temporary folder: the same tree as the library's
    assert _files(out / "05_designs") == _files(again)
    assert (out / "05_designs" / "plan.yaml").is_file()
    # a second method for the totals: designs.compare for the plan's guests and override
    by_design = designs.compare(
        len(result.guests_frame()), overrides={"zvm-basevol-guestvol": {"guestvol_cyl": 300}}
    )
    assert got["total_gib"]["zvm-basevol-guestvol"] == pytest.approx(
        by_design.loc["zvm-basevol-guestvol", "total_gib"]
    )
    assert np.isfinite(list(got["total_gib"].values())).all()


def _business_case(got: dict[str, Any], out: Path) -> None:
    from colonykit.plan import compare

    result = plan.build_plan(plan.load_scenario("data/examples/bitbrains_colony.yaml"))
    bc = result.business_case
    comparison = compare.compare_scenarios(
        ["data/examples/bitbrains_colony.yaml", "data/examples/bitbrains_colony_ro_root.yaml"]
    )
    inv, _meta = read_inventory("data/examples/ibm2021_448core_inventory.csv")
    _check(
        got,
        {
            "first_line": bc.headline,
            "npv": bc.npv,
            "payback_months": bc.payback_months,
            "licence_cores_today": bc.today.licence_cores[0],
            "licence_cores_colony": bc.colony.licence_cores[0],
            "example_prices_used": list(bc.example_prices_used),
            "unpriced": list(bc.unpriced),
            "npv_range": dict(bc.npv_range),
            "compare_npv": [c.npv for c in comparison.columns],
            "ibm2021_engines": dict(sizing.size_inventory(inv, "z15", basis="avg").engines),
        },
    )
    assert got["first_line"].startswith("EXAMPLE PRICES")
    # a second method for the licence cores: the inventory's cores and the plan's engines
    # (year 1: the engines installed plus the capacity plan's upgrades ordered in year 1)
    cap = result.capacity_plan
    year1 = sum(h.capacity.cpus for h in result.plan.hosts)
    if cap is not None:
        year1 += sum(u.add_engines for u in cap.upgrades if (u.order_by - cap.start).days < 365)
    assert got["licence_cores_colony"] == year1


def _capacity_over_time(got: dict[str, Any], out: Path) -> None:
    from colonykit import forecast

    result = plan.build_plan(plan.load_scenario("data/examples/bitbrains_colony.yaml"))
    cap = result.capacity_plan
    faster = forecast.GrowthModel.model_validate(
        {**result.scenario.growth.model_dump(), "annual_pct": got["what_if"]["annual_pct"]}
    )
    fast = forecast.project(result, faster)
    hcap = plan.build_plan(
        plan.load_scenario("data/examples/bitbrains_90d_colony.yaml")
    ).capacity_plan
    _check(
        got,
        {
            "example": {
                "exhaustion": cap.exhaustion.to_dict() if cap.exhaustion else None,
                "machine_max": cap.machine_max.to_dict() if cap.machine_max else None,
                "upgrades": [u.to_dict() for u in cap.upgrades],
                "upgrades_low": len(cap.upgrades_by_bound["low"]),
                "upgrades_high": len(cap.upgrades_by_bound["high"]),
                "engines_needed": [s.engines_needed for s in cap.steps],
            },
            "what_if": {
                "annual_pct": got["what_if"]["annual_pct"],
                "exhaustion": fast.exhaustion.to_dict() if fast.exhaustion else None,
                "upgrades": len(fast.upgrades),
            },
            "history": {
                "error_pct": hcap.backtest.error_pct,
                "naive_error_pct": hcap.backtest.naive_error_pct,
                "exhaustion": hcap.exhaustion.to_dict() if hcap.exhaustion else None,
                "engines_needed": [s.engines_needed for s in hcap.steps],
            },
        },
    )
    # the exhaustion is the first step the installed plan does not hold (by hand from the steps)
    first = next(s for s in cap.steps if s.engines_needed > s.engines_installed)
    assert got["example"]["exhaustion"]["month"] <= first.month
    # faster growth never runs out later
    assert got["what_if"]["exhaustion"]["month"] <= got["example"]["exhaustion"]["month"]


CHECKS = {
    "00_quickstart": _quickstart,
    "01_cpu_sizing": _cpu_sizing,
    "02_white_space": _white_space,
    "03_memory_and_paging": _memory_and_paging,
    "04_channels_and_mdc": _channels_and_mdc,
    "05_designs_and_export": _designs_and_export,
    "07_business_case": _business_case,
    "06_capacity_over_time": _capacity_over_time,
}


@pytest.mark.parametrize("name", KEYED)
def test_notebook_key_numbers_match_the_library(name: str, out: Path) -> None:
    nb = _execute(name, out)
    CHECKS[name](_key_numbers(nb), out)


def test_explorer_notebook_runs_outside_the_tree(out: Path) -> None:
    _execute("explorer", out)
