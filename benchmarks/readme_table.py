"""Regenerate README.md's performance table from ``make bench`` JSON (stdlib only).

``python benchmarks/readme_table.py BENCH.json [MORE.json …] [README.md]`` replaces the lines between
``<!-- bench-table:start -->`` and ``<!-- bench-table:end -->`` with a table built from the JSON
that ``benchmarks/run.py`` printed (``make bench-readme`` runs both).  Every figure in the table
comes from that one run; a benchmark missing from the JSON gets a "not run" row, a skipped
instance says why.  Nothing is computed here except ratios the JSON's own numbers give.  With
several JSON files a later file's benchmarks replace an earlier one's (e.g. packing re-run alone);
the table then names every run it used.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

START = "<!-- bench-table:start -->"
END = "<!-- bench-table:end -->"
HEADER = ["| benchmark | measured | goal |", "|---|---|---|"]

Row = tuple[str, str, str]


def _num(x: Any, fmt: str = ",.2f") -> str:
    return "n/a" if x is None else format(x, fmt)


def _met(ok: Any) -> str:
    return "met" if ok else "not met"


def _whitespace(b: dict) -> list[Row]:
    s = b.get("synthetic", {})
    rows: list[Row] = []
    shape = s.get("shape", [0, 0])
    what = f"{shape[1]:,} servers × {shape[0]:,} samples {s.get('dtype', '')}"
    rows.append(
        (
            f"white space, {what} (composite, sum of peaks, per-server mean/peak, white space)",
            f"{_num(s.get('analyze_hot_s'), '.3f')} s = **{_num(s.get('ratio_hot_to_sum'))} ×** one "
            f"`numpy.sum` pass ({_num(s.get('numpy_sum_s'), '.3f')} s)",
            f"≤ {_num(s.get('goal_ratio'), 'g')} ×: {_met(s.get('ratio_hot_to_sum', 1e9) <= s.get('goal_ratio', 0))}",
        )
    )
    rows.append(
        (
            "the same with exact per-server p95 and spike sources (selection per cache block, every pass's blocks "
            f"on {s.get('pass_threads', 1)} threads; equal to "
            f"`numpy.percentile`: {'yes' if s.get('exact_p95_equals_numpy_percentile') else 'NO'})",
            f"{_num(s.get('analyze_with_p95_spikes_s'), '.3f')} s = **{_num(s.get('ratio_with_p95_to_sum'))} ×** "
            f"one `numpy.sum` (on one thread: {_num(s.get('ratio_with_p95_one_thread_to_sum'))} ×)",
            f"≤ {_num(s.get('goal_ratio_with_p95'), 'g')} ×: {_met(s.get('meets_exact_goal'))}",
        )
    )
    rows.append(
        (
            'the same with approximate p95 (`percentile_method="approx"`, certified per-server bound: '
            f"median {_num(s.get('approx_p95_stated_bound_median'))}, max "
            f"{_num(s.get('approx_p95_stated_bound_max'))} %-points; actual error median "
            f"{_num(s.get('approx_p95_error_median'))}, max {_num(s.get('approx_p95_error_max'))}; "
            f"within bound: {'yes' if s.get('approx_within_stated_bound') else 'NO'}; "
            f"computed exactly after two bracket misses: {s.get('approx_fallback_servers', 'n/a')} servers)",
            f"{_num(s.get('analyze_with_approx_p95_s'), '.3f')} s = "
            f"**{_num(s.get('ratio_with_approx_p95_to_sum'))} ×** one `numpy.sum`",
            f"≤ {_num(s.get('goal_ratio_with_approx_p95'), 'g')} ×: {_met(s.get('meets_approx_goal'))}",
        )
    )
    r = b.get("random_exact_p95", {})
    if r:
        jit = r.get("ratio_exact_p95_selection_jit_to_sum")
        best = jit if jit is not None else r.get("ratio_exact_p95_partition_to_sum")
        shape = r.get("shape", [0, 0])
        rows.append(
            (
                f"exact p95 by selection, random C-contiguous float32 {shape[0]:,} × {shape[1]:,} "
                f"(`whitespace.analyze`, {r.get('pass_threads', '?')} threads; processor: "
                f"{r.get('processor', 'n/a')})",
                f"**{_num(best)} ×** one `a.sum()` ({_num(r.get('numpy_sum_s'), '.3f')} s)"
                + (
                    f" with the compiled histogram selection (CPU time "
                    f"{_num(r.get('ratio_exact_p95_selection_jit_to_sum_cpu'))} ×); "
                    if jit is not None
                    else "; "
                )
                + f"`np.partition`: {_num(r.get('ratio_exact_p95_partition_to_sum'))} ×",
                f"≤ {_num(r.get('goal_ratio'), 'g')} ×: {_met(r.get('meets_goal'))}",
            )
        )
    d = b.get("dask", {})
    if "skipped" in d:
        rows.append(
            (
                "Dask on PlanetLab as 8 Parquet files (LocalCluster)",
                f"skipped: {d['skipped']}",
                "equality",
            )
        )
    elif d:
        rows.append(
            (
                "Dask on PlanetLab as 8 Parquet files (LocalCluster)",
                f"{_num(d.get('dask_s'), '.2f')} s, "
                f"{'equal to' if d.get('equal_to_in_memory') else 'DIFFERENT FROM'} the in-memory result",
                "equality",
            )
        )
    return rows


def _packing(b: dict) -> list[Row]:
    rows: list[Row] = []
    large = b.get("large_10000x8640")
    goals = b.get("goals", {})
    if large:
        rows.append(
            (
                f"packing {large['servers']:,} servers × {large['steps']:,} samples onto "
                f"{large['host_capacity_pct']:,.0f} %-hosts",
                f"**{_num(large.get('wall_s'))} s**, **{_num(large.get('peak_mb_above_input'), ',.0f')} MB** "
                f"peak above the {_num(large.get('input_mb'), ',.0f')} MB input; {large.get('hosts')} hosts vs "
                f"bound {large.get('best_bound')}, gap {large.get('gap_hosts')}; peak-based FFD "
                f"{large.get('ffd_peak_hosts')}"
                + (
                    f"; compiled loop (numba, `fast` extra); the numpy loop in the same run "
                    f"{_num(large.get('wall_s_numpy_loop'))} s "
                    f"({_num(large.get('numpy_over_compiled'))} ×), same assignment: "
                    f"{'yes' if large.get('same_assignment_both_loops') else 'NO'}"
                    if large.get("compiled_loop")
                    else "; numpy loop (numba not installed)"
                ),
                f"≤ {_num(goals.get('large_s'), 'g')} s: {_met(large.get('meets_time_goal'))}; "
                f"≤ {_num(goals.get('large_mb'), 'g')} MB: {_met(large.get('meets_memory_goal'))}",
            )
        )
    for r in b.get("real", []):
        if "skipped" in r:
            rows.append((r["instance"], f"skipped: {r['skipped']}", "gap printed"))
            continue
        proved = " (proved optimal)" if r.get("hosts") == r.get("best_bound") else ""
        goal = "gap printed"
        if r.get("goal_hosts") is not None:
            goal = f"≤ {r['goal_hosts']}: {_met(r['hosts'] <= r['goal_hosts'])}"
        elif "bound_equals_packing" in r:
            goal = f"bound = packing: {_met(r['bound_equals_packing'])}"
        rows.append(
            (
                r["instance"],
                f"**{r['hosts']} host{'s' if r['hosts'] != 1 else ''}**, bound {r['best_bound']} ({r.get('bound')}), gap "
                f"{r.get('gap_hosts')}{proved}{_without_anneal(r)}; FFD {r.get('ffd_peak_hosts')}; PABFD-like "
                f"{r.get('pabfd_like_hosts')}; {_num(r.get('wall_s'))} s, {_num(r.get('peak_mb'), ',.0f')} MB",
                goal,
            )
        )
    return rows


def _without_anneal(r: dict) -> str:
    """' (N without the anneal)' when the anneal at a fixed host count saved hosts in that run."""
    before = r.get("hosts_without_anneal")
    return f" ({before} without the anneal)" if before is not None and before != r["hosts"] else ""


def _startup(b: dict) -> list[Row]:
    cmds = [
        ("`colonykit --help`", "help_s"),
        ("`colonykit size`", "size_s"),
        ("`colonykit paging`", "paging_s"),
    ]
    present = [(name, key) for name, key in cmds if key in b]
    return [
        (
            "start-up: " + " / ".join(name for name, _ in present) + " / `python -c pass`",
            " / ".join(f"**{b[key]:.3f} s**" for _, key in present)
            + f" / {b.get('python_pass_s', 0):.3f} s",
            f"`--help` ≤ {_num(b.get('goal_help_s'), 'g')} s: {_met(b.get('meets_help_goal'))}",
        )
    ] + (
        [
            (
                'start-up against `python -c "import numpy"` '
                f"({_num(b.get('python_import_numpy_s'), '.3f')} s): `colonykit size` on 5 servers / "
                "`colonykit paging` / `colonykit channels`",
                f"**{_num(b.get('size_5_over_numpy'))} ×** / **{_num(b.get('paging_over_numpy'))} ×**"
                f" / {_num(b.get('channels_over_numpy'))} ×"
                + (
                    f" (CPU time {_num(b.get('size_5_over_numpy_cpu'))} × / "
                    f"{_num(b.get('paging_over_numpy_cpu'))} × / "
                    f"{_num(b.get('channels_over_numpy_cpu'))} ×; `catalog` "
                    f"{_num(b.get('catalog_over_numpy'))} ×)"
                    if "size_5_over_numpy_cpu" in b
                    else ""
                ),
                f"size ≤ 3 ×: {_met(b.get('meets_size_target'))}; "
                f"paging ≤ 2 ×: {_met(b.get('meets_paging_target'))}",
            )
        ]
        if "size_5_over_numpy" in b
        else []
    )


def _explorer(b: dict) -> list[Row]:
    return [
        (
            f"explorer update, {b.get('guests', '?'):,} guests on {b.get('hosts', '?')} LPARs (in the kernel)",
            f"median **{_num(b.get('update_median_ms'), '.0f')} ms**, p95 {_num(b.get('update_p95_ms'), '.0f')} ms",
            f"median ≤ {_num(b.get('goal_median_ms'), 'g')} ms: {_met(b.get('goal_met'))}",
        )
    ]


def _workshop_browser(b: dict) -> list[Row]:
    t = b.get("targets", {})
    rows: list[Row] = []
    for key in sorted((k for k in b if k.startswith("guests_")), key=lambda k: int(k[7:])):
        r = b[key]
        ok = (
            (r.get("all_controls_median_ms") or 1e9) <= t.get("median_ms", 0)
            and (r.get("all_controls_p95_ms") or 1e9) <= t.get("p95_ms", 0)
            and (r.get("max_bytes_per_update") or 1e12) <= t.get("bytes_per_update", 0)
            and (r.get("first_paint_ms") or 1e9) <= t.get("first_paint_ms", 0)
        )
        rows.append(
            (
                f"workshop dashboard in headless Chromium, {key.removeprefix('guests_')} guests "
                "(input event → last chart painted, every control)",
                f"median **{_num(r.get('all_controls_median_ms'), ',.0f')} ms**, p95 "
                f"{_num(r.get('all_controls_p95_ms'), ',.0f')} ms (new values: median "
                f"{_num(r.get('new_values_median_ms'), ',.0f')} ms); "
                f"{_num((r.get('max_bytes_per_update') or 0) / 1000, ',.0f')} kB per update at most; "
                f"first paint {_num((r.get('first_paint_ms') or 0) / 1000, '.1f')} s",
                f"median ≤ {_num(t.get('median_ms'), ',.0f')} ms, p95 ≤ {_num(t.get('p95_ms'), ',.0f')} ms, "
                f"≤ {_num(t.get('bytes_per_update', 0) / 1000, ',.0f')} kB, first paint ≤ "
                f"{_num(t.get('first_paint_ms', 0) / 1000, 'g')} s: {_met(ok)}",
            )
        )
    return rows + _workshop_browser_controls(b)


def _workshop_browser_controls(b: dict) -> list[Row]:
    """One row per control: median / p95 / bytes per update at each colony size (issue 20)."""
    t = b.get("targets", {})
    sizes = sorted((k for k in b if k.startswith("guests_")), key=lambda k: int(k[7:]))
    controls: list[str] = []
    for key in sizes:
        controls += [c for c in b[key].get("per_control", {}) if c not in controls]
    rows: list[Row] = []
    for name in controls:
        cells, ok = [], True
        for key in sizes:
            c = b[key].get("per_control", {}).get(name)
            if c is None:
                cells.append(f"{key[7:]} guests: not measured")
                ok = False
                continue
            ok = ok and (
                (c.get("median_ms") or 1e9) <= t.get("median_ms", 0)
                and (c.get("p95_ms") or 1e9) <= t.get("p95_ms", 0)
                and (c.get("max_bytes") or 1e12) <= t.get("bytes_per_update", 0)
            )
            cells.append(
                f"{key[7:]} guests: median {_num(c.get('median_ms'), ',.0f')} ms, p95 "
                f"{_num(c.get('p95_ms'), ',.0f')} ms, "
                f"{_num((c.get('max_bytes') or 0) / 1000, ',.0f')} kB"
            )
        rows.append(
            (
                f"workshop control `{name}` in the browser (input → last chart painted)",
                "; ".join(cells),
                f"median ≤ {_num(t.get('median_ms'), ',.0f')} ms, p95 ≤ "
                f"{_num(t.get('p95_ms'), ',.0f')} ms, ≤ "
                f"{_num(t.get('bytes_per_update', 0) / 1000, ',.0f')} kB: {_met(ok)}",
            )
        )
    return rows


def _plan(b: dict) -> list[Row]:
    return [
        (
            f"plan for {b.get('guests', '?'):,} guests: build / render all targets / YAML load+validate",
            f"{_num(b.get('build_plan_s'))} s / {_num(b.get('render_all_targets_s'))} s "
            f"({b.get('rendered_files', '?'):,} files) / {_num(b.get('yaml_load_validate_s'))} s; round trip "
            f"{'exact' if b.get('round_trip_equal') else 'NOT exact'}",
            "measured",
        )
    ]


def _plan_scale(b: dict) -> list[Row]:
    runs = b.get("runs", [])
    per = b.get("cpu_ms_per_guest", [])
    if isinstance(per, dict):  # bench_plan_scale keys it by guest count
        per = list(per.values())
    sizes = " / ".join(f"{r.get('guests', 0):,}" for r in runs)
    return [
        (
            f"`colonykit plan` at {sizes} guests (build, render every target, write the tree)",
            f"CPU {' / '.join(_num(x, '.1f') for x in per)} ms per guest; growth exponent "
            f"**{_num(b.get('growth_exponent'), '.3f')}**; peak RSS "
            f"{_num(b.get('peak_rss_gb_largest'), '.2f')} GB at the largest",
            f"exponent ≤ {_num(b.get('target_exponent'), 'g')}: {_met(b.get('meets_exponent'))}; "
            f"≤ {_num(b.get('target_ms_per_guest'), 'g')} ms/guest: {_met(b.get('meets_ms_per_guest'))}; "
            f"≤ {_num(b.get('target_peak_gb'), 'g')} GB: {_met(b.get('meets_peak'))}",
        )
    ]


def _io(b: dict) -> list[Row]:
    return [
        (
            f"Erlang C over {b.get('erlang_c_points', 0):,} points; {b.get('minidisks', 0):,} minidisks onto 3390-9",
            f"{_num(b.get('erlang_c_vectorized_s'))} s ({_num(b.get('erlang_c_speedup_ratio'), ',.0f')} × a "
            f"scalar loop, max difference {b.get('erlang_c_max_abs_diff_vs_scalar', 'n/a'):.2g}); "
            f"{b.get('volumes_needed', '?'):,} volumes vs lower bound {b.get('volumes_lower_bound', '?'):,}",
            "measured",
        )
    ]


def _ingest(b: dict) -> list[Row]:
    rows: list[Row] = []
    goals = b.get("goals", {})
    for key, row in b.items():
        if not isinstance(row, dict) or key == "goals":
            continue
        if key.endswith("_parquet_parts"):
            for name in ("dask", "blocks"):
                got = row.get(f"{name}_over_duckdb_time")
                if got is None:
                    continue
                rows.append(
                    (
                        f"{key.removesuffix('_parquet_parts')} Parquet parts, "
                        f"{'Dask' if name == 'dask' else 'out-of-core Arrow blocks'} vs DuckDB",
                        f"**{_num(got)} ×** DuckDB's time, {_num(row.get(f'{name}_over_duckdb_rss'))} × "
                        "its peak RSS",
                        f"≤ {_num(goals.get('dask_parts_time_vs_duckdb'), 'g')} ×: "
                        f"{_met(got <= goals.get('dask_parts_time_vs_duckdb', 0))}"
                        if name == "dask"
                        else "measured",
                    )
                )
            continue
        t, r = row.get("colonykit_over_duckdb_time"), row.get("colonykit_over_duckdb_rss")
        if t is None:
            continue
        large = key.startswith("10000x")
        label = (
            f"`colonykit whitespace` {key.replace('_', ' ')} (Polars: "
            f"{_num(row.get('colonykit_over_polars_time'))} ×)"
        )
        got = f"**{_num(t)} ×** DuckDB's time, {_num(r)} × its peak RSS"
        if large and not key.endswith("_parquet"):  # the issue sets the large goal for Parquet only
            rows.append((label, got, "measured (no goal)"))
            continue
        goal = goals.get("large_parquet_time_vs_duckdb" if large else "small_time_vs_duckdb", 0)
        ok = t <= goal and (not large or (r or 1e9) <= goals.get("large_parquet_rss_vs_duckdb", 0))
        rows.append(
            (label, got, f"≤ {_num(goal, 'g')} ×{' (time and RSS)' if large else ''}: {_met(ok)}")
        )
    return rows


def _packing_public(b: dict) -> list[Row]:
    rows: list[Row] = []
    pub = b.get("public", {})
    goals = b.get("goals", {})
    if "skipped" in pub:
        rows.append(("packing: BPPLIB one-dimensional sets", f"skipped: {pub['skipped']}", "–"))
    for name, v in pub.get("sets", {}).items():
        n = v["instances"]
        rows.append(
            (
                f"packing: BPPLIB {name} ({pub.get('source')}, {n} instances)",
                f"**{v['solved']}/{n} at the best known value**, {v['extra_bins']} extra bins; "
                f"bound = best known on {v['bound_is_best_known']}/{n}; FFD {v['ffd_solved']}/{n} "
                f"({v['ffd_extra_bins']} extra); CPU {_num(v['cpu_s'])} s, worst {_num(v['max_cpu_s'])} s",
                f"≥ {_num(100 * goals.get('solved_frac', 0.99), 'g')} %: "
                f"{_met(v['solved'] >= goals.get('solved_frac', 0.99) * n)}; ≤ "
                f"{_num(goals.get('max_s'), 'g')} s: {_met(v['max_cpu_s'] <= goals.get('max_s', 10.0))}",
            )
        )
    t = pub.get("total")
    if t and t.get("instances"):
        n, frac = t["instances"], goals.get("solved_frac", 0.99)
        rows.append(
            (
                f"packing: BPPLIB all sets ({pub.get('source')}, {n} instances)",
                f"**{t['solved']}/{n} = {_num(100 * t['solved'] / n, '.1f')} % at the best known "
                f"value**, {t['extra_bins']} extra bins; bound = best known on "
                f"{t['bound_is_best_known']}/{n}; FFD {t['ffd_solved']}/{n} "
                f"({t['ffd_extra_bins']} extra); CPU {_num(t['cpu_s'])} s, worst {_num(t['max_cpu_s'])} s",
                f"≥ {_num(100 * frac, 'g')} %: {_met(t['solved'] >= frac * n)}; ≤ "
                f"{_num(goals.get('max_s'), 'g')} s: {_met(t['max_cpu_s'] <= goals.get('max_s', 10.0))}",
            )
        )
    for r in b.get("real", []):
        if "skipped" in r:
            rows.append((r["instance"], f"skipped: {r['skipped']}", "gap printed"))
            continue
        gap_goal = goals.get("planetlab_gap_hosts")
        goal = (
            f"gap ≤ {gap_goal}: {_met(r['gap_hosts'] <= gap_goal)}"
            if gap_goal is not None and "5,320" in r["instance"]
            else "gap printed"
        )
        rows.append(
            (
                r["instance"],
                f"**{r['hosts']} hosts**, bound {r['best_bound']} ({r.get('bound')}), gap "
                f"{r['gap_hosts']}; FFD {r.get('ffd_peak_hosts')}; CPU {_num(r.get('cpu_s'))} s",
                goal,
            )
        )
    return rows


#: Benchmark name (``bench_<name>.py``) → its rows, in table order.
SECTIONS: dict[str, tuple[str, Callable[[dict], list[Row]]]] = {
    "whitespace": ("white space (10,000 × 8,640)", _whitespace),
    "packing": ("packing", _packing),
    "packing_public": ("packing on public sets", _packing_public),
    "startup": ("start-up", _startup),
    "explorer": ("explorer update", _explorer),
    "workshop_browser": ("workshop dashboard in the browser", _workshop_browser),
    "plan": ("plan build/render", _plan),
    "plan_scale": ("`colonykit plan` at 100 / 1,000 / 10,000 guests", _plan_scale),
    "io": ("Erlang C / minidisks", _io),
    "ingest": ("trace ingest vs DuckDB/Polars", _ingest),
}


def table(bench: dict) -> list[str]:
    """Markdown lines (intro sentence, blank line, table) for the JSON ``benchmarks/run.py`` printed."""
    m = bench.get("machine", {})
    load = m.get("loadavg_start")
    load_txt = f"; 1-min load average {load[0]:.1f} at the start" if load else ""
    proc = f" ({m['processor']})" if m.get("processor") else ""
    lines = [
        f"Measured by `make bench-readme` on {m.get('cpus', '?')} CPUs{proc}, Python {m.get('python', '?')}"
        f"{', ' + m['started_utc'] if m.get('started_utc') else ''}{load_txt}; ratios are "
        "measured in the same run (the baseline and each variant timed in turn)."
    ]
    for started, load1, names in m.get("runs", []):
        lines[0] += (
            f" Run {started} (load {load1 if load1 is None else round(load1, 1)}): {', '.join(names)}."
        )
    lines.append("")
    lines += HEADER
    benches = bench.get("benchmarks", {})
    for name, (title, fn) in SECTIONS.items():
        if name not in benches:
            lines.append(f"| {title} | not run in this `make bench` | |")
            continue
        for cells in fn(benches[name]):
            lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return lines


def replace_between_markers(text: str, lines: list[str]) -> str:
    """``text`` with the lines between the two marker comments replaced by ``lines``."""
    if START not in text or END not in text or text.index(START) > text.index(END):
        msg = f"README has no '{START}' … '{END}' block"
        raise ValueError(msg)
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    return head + START + "\n" + "\n".join(lines) + "\n" + END + tail


def merge(runs: list[dict]) -> dict:
    """One bench object from several runs: later runs' benchmarks replace earlier ones'."""
    out: dict = {"machine": dict(runs[0].get("machine", {})), "benchmarks": {}}
    for run in runs:
        out["benchmarks"].update(run.get("benchmarks", {}))
    if len(runs) > 1:
        out["machine"]["runs"] = [
            (
                r.get("machine", {}).get("started_utc"),
                (r.get("machine", {}).get("loadavg_start") or [None])[0],
                sorted(r.get("benchmarks", {})),
            )
            for r in runs
        ]
    return out


def main(argv: list[str]) -> int:
    jsons = [a for a in argv if a.endswith(".json")]
    rest = [a for a in argv if not a.endswith(".json")]
    if not jsons or len(rest) > 1:
        print("usage: readme_table.py BENCH.json [MORE.json ...] [README.md]", file=sys.stderr)
        return 2
    bench = merge([json.loads(Path(j).read_text(encoding="utf-8")) for j in jsons])
    readme = Path(rest[0]) if rest else Path(__file__).resolve().parents[1] / "README.md"
    try:
        new = replace_between_markers(readme.read_text(encoding="utf-8"), table(bench))
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    readme.write_text(new, encoding="utf-8")
    print(f"{readme}: performance table regenerated from {', '.join(jsons)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
