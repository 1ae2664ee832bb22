"""benchmarks/readme_table.py: README's performance table is regenerated from bench JSON."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "benchmarks" / "readme_table.py"


def _module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("readme_table", SCRIPT)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


BENCH: dict[str, Any] = {
    "machine": {
        "python": "3.11.7",
        "cpus": 2,
        "started_utc": "2026-12-02 22:00 UTC",
        "loadavg_start": [3.5, 3.0, 5.0],
    },
    "benchmarks": {
        "whitespace": {
            "synthetic": {
                "shape": [8640, 10000],
                "dtype": "float32",
                "numpy_sum_s": 0.05,
                "analyze_hot_s": 0.081,
                "ratio_hot_to_sum": 1.62,
                "goal_ratio": 3.0,
                "analyze_with_p95_spikes_s": 0.29,
                "ratio_with_p95_to_sum": 5.79,
                "goal_ratio_with_p95": 5.0,
                "meets_exact_goal": False,
                "exact_p95_equals_numpy_percentile": True,
                "analyze_with_approx_p95_s": 0.155,
                "ratio_with_approx_p95_to_sum": 3.1,
                "goal_ratio_with_approx_p95": 3.0,
                "meets_approx_goal": False,
                "approx_p95_stated_bound_median": 5.2,
                "approx_p95_stated_bound_max": 48.9,
                "approx_p95_error_median": 2.4,
                "approx_p95_error_max": 47.0,
                "approx_within_stated_bound": True,
                "approx_fallback_servers": 0,
            },
            "dask": {"skipped": "dask not installed"},
        },
        "startup": {
            "python_pass_s": 0.053,
            "help_s": 0.172,
            "size_s": 1.604,
            "paging_s": 0.828,
            "goal_help_s": 0.25,
            "meets_help_goal": True,
        },
        "packing": {
            "real": [
                {
                    "instance": "bitbrains 50",
                    "hosts": 12,
                    "best_bound": 12,
                    "bound": "l2",
                    "gap_hosts": 0,
                    "ffd_peak_hosts": 13,
                    "pabfd_like_hosts": 12,
                    "wall_s": 1.0,
                    "peak_mb": 5.0,
                    "bound_equals_packing": True,
                },
                {"instance": "bitbrains_rnd 499 VMs", "skipped": "../shared/data not present"},
            ],
            "goals": {"large_s": 5.0, "large_mb": 600.0},
        },
    },
}


def test_table_rows_come_from_the_json() -> None:
    lines = _module().table(BENCH)
    text = "\n".join(lines)
    assert "**5.79 ×** one `numpy.sum`" in text and "≤ 5 ×: not met" in text
    assert "**1.62 ×**" in text and "≤ 3 ×: met" in text
    assert "**3.10 ×**" in text and "median 5.20, max 48.90" in text
    assert "**0.172 s** / **1.604 s** / **0.828 s** / 0.053 s" in text
    assert "**12 hosts**, bound 12 (l2), gap 0 (proved optimal)" in text
    assert "bound = packing: met" in text
    assert "skipped: ../shared/data not present" in text
    assert "| explorer update | not run in this `make bench` | |" in text  # absent: said so
    assert "load average 3.5" in text
    rows = [ln for ln in lines if ln.startswith("| ")]
    assert all(ln.count(" | ") == 2 for ln in rows[2:] if "not run" not in ln)


def test_readme_block_is_replaced_in_place(tmp_path: Path) -> None:
    bench = tmp_path / "bench.json"
    bench.write_text(json.dumps(BENCH), encoding="utf-8")
    readme = tmp_path / "README.md"
    readme.write_text(
        "intro\n<!-- bench-table:start -->\nold row\n<!-- bench-table:end -->\nafter\n",
        encoding="utf-8",
    )
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), str(bench), str(readme)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    out = readme.read_text(encoding="utf-8")
    assert out.startswith("intro\n<!-- bench-table:start -->\nMeasured by `make bench-readme`")
    assert "old row" not in out and out.endswith("<!-- bench-table:end -->\nafter\n")
    readme.write_text("no markers\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), str(bench), str(readme)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2 and proc.stderr.startswith("error: README has no")


def test_the_projects_readme_has_the_markers() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert text.count("<!-- bench-table:start -->") == 1
    assert text.index("<!-- bench-table:start -->") < text.index("<!-- bench-table:end -->")


@pytest.mark.parametrize("name", ["whitespace", "packing", "startup", "explorer", "plan", "io"])
def test_every_section_is_a_benchmark_file(name: str) -> None:
    assert (ROOT / "benchmarks" / f"bench_{name}.py").is_file()
    assert name in _module().SECTIONS


def test_later_runs_replace_earlier_benchmarks() -> None:
    mod = _module()
    later = {
        "machine": {"started_utc": "2026-12-03 08:00 UTC", "loadavg_start": [0.2, 0.1, 0.1]},
        "benchmarks": {"startup": {**BENCH["benchmarks"]["startup"], "help_s": 0.09}},
    }
    merged = mod.merge([BENCH, later])
    text = "\n".join(mod.table(merged))
    assert "**0.090 s**" in text and "**0.172 s**" not in text
    assert "**5.79 ×**" in text  # whitespace still from the first run
    assert "Run 2026-12-03 08:00 UTC (load 0.2): startup." in text


def test_issue_25_rows_come_from_the_json() -> None:
    """Issue 25's benchmark table: the random-matrix p95 with the processor, start-up against
    ``import numpy`` and ``plan`` at three sizes with the growth exponent, each from its JSON."""
    bench = json.loads(json.dumps(BENCH))
    bench["machine"]["processor"] = "AMD EPYC"
    b = bench["benchmarks"]
    b["whitespace"]["random_exact_p95"] = {
        "shape": [10000, 8640],
        "processor": "AMD EPYC",
        "pass_threads": 2,
        "numpy_sum_s": 0.015,
        "ratio_exact_p95_partition_to_sum": 53.1,
        "ratio_exact_p95_selection_jit_to_sum": 7.4,
        "ratio_exact_p95_selection_jit_to_sum_cpu": 11.2,
        "goal_ratio": 10.0,
        "meets_goal": True,
    }
    b["startup"].update(
        python_import_numpy_s=0.12,
        size_5_over_numpy=6.3,
        paging_over_numpy=1.1,
        channels_over_numpy=1.0,
        meets_size_target=False,
        meets_paging_target=True,
    )
    b["plan_scale"] = {
        "runs": [{"guests": 100}, {"guests": 1000}, {"guests": 10000}],
        "cpu_ms_per_guest": [20.0, 9.0, 8.5],
        "growth_exponent": 0.83,
        "peak_rss_gb_largest": 1.2,
        "target_exponent": 1.1,
        "target_ms_per_guest": 10.0,
        "target_peak_gb": 2.0,
        "meets_exponent": True,
        "meets_ms_per_guest": True,
        "meets_peak": True,
    }
    text = "\n".join(_module().table(bench))
    assert "on 2 CPUs (AMD EPYC)" in text
    assert "**7.40 ×** one `a.sum()`" in text and "CPU time 11.20 ×" in text
    assert "`np.partition`: 53.10 ×" in text and "≤ 10 ×: met" in text
    assert "**6.30 ×** / **1.10 ×** / 1.00 ×" in text
    assert "size ≤ 3 ×: not met; paging ≤ 2 ×: met" in text
    assert "CPU time" not in text.split("start-up against")[1].split("\n")[0]
    b["startup"].update(
        size_5_over_numpy_cpu=1.5,
        paging_over_numpy_cpu=1.3,
        channels_over_numpy_cpu=1.4,
        catalog_over_numpy=0.6,
    )
    text = "\n".join(_module().table(bench))
    assert "(CPU time 1.50 × / 1.30 × / 1.40 ×; `catalog` 0.60 ×)" in text
    assert "100 / 1,000 / 10,000 guests" in text and "**0.830**" in text
    assert "exponent ≤ 1.1: met" in text


def test_workshop_browser_rows_per_control_and_size() -> None:
    """Issue 20: the README shows control × 50/1,000 guests (median, p95, bytes) from the JSON."""
    mod = _module()
    targets = {
        "median_ms": 500.0,
        "p95_ms": 1000.0,
        "bytes_per_update": 200_000,
        "first_paint_ms": 5000.0,
    }

    def size(median: float, p95: float, kb: int) -> dict[str, Any]:
        return {
            "first_paint_ms": 4200.0,
            "all_controls_median_ms": median,
            "all_controls_p95_ms": p95,
            "max_bytes_per_update": kb * 1000,
            "per_control": {
                "processor": {"median_ms": median, "p95_ms": p95, "max_bytes": kb * 1000},
            },
        }

    b = {"targets": targets, "guests_50": size(310, 420, 16), "guests_1000": size(640, 900, 35)}
    rows = mod._workshop_browser(b)
    control = [r for r in rows if "`processor`" in r[0]]
    assert len(control) == 1
    assert control[0][1] == (
        "50 guests: median 310 ms, p95 420 ms, 16 kB; 1000 guests: median 640 ms, p95 900 ms, 35 kB"
    )
    assert control[0][2].endswith("not met")  # 640 ms > 500 ms at 1,000 guests
    b["guests_1000"] = size(450, 900, 35)
    assert mod._workshop_browser(b)[-1][2].endswith(": met")
