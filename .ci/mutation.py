"""Mutation testing of the numeric modules (issue 27 §2): ``make mutation``.

For each module, mutmut (``pip install 'colonykit[mutation]'``) runs in a copy of the tree
under ``build/mutation/<module>/`` with only that module mutated and only its own tests
selected (``TESTS`` below: ``tests/test_<module>.py`` and the hand-worked
``tests/test_pinned_numbers.py`` and ``tests/test_published_examples.py``); the lines of error
and warning texts are not mutated (``DO_NOT_MUTATE``: their wording is the hostile-input
catalogue's business, the numbers are this job's).  The report
(markdown and JSON) lists every surviving mutant; the score of a module is

    killed (incl. timeouts and type-check kills) ÷ (all mutants checked − known equivalents)

where the known equivalent mutants (no input can tell them from the original) are listed, each
with its reason, in the baseline file.  The score may only rise: a module below its baseline
fails the run (exit 1); ``--update-baseline`` raises the baseline to the scores measured.

Usage::

    python .ci/mutation.py --modules channels paging [--max-children 2] [--update-baseline]
    python .ci/mutation.py --modules sizing --survivors-only   # after adding tests
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from fnmatch import fnmatch
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / ".ci" / "mutation-baseline.json"
OUT = ROOT / "build" / "mutation"
#: tests every module's mutants run against, besides its own tests/test_<module>*.py
SHARED_TESTS = ("tests/test_pinned_numbers.py", "tests/test_published_examples.py")
#: modules whose tests are not named after them
TESTS: dict[str, tuple[str, ...]] = {
    # packing: the hand-worked figures only.  Its other tests (tests/test_packing*.py) run
    # hypothesis searches, MILPs and minutes of local search per surviving mutant (about 100 s
    # for the set on a loaded 2-core machine), and numba cannot compile mutmut's trampolines
    # (test_packing_jit.py)
    "packing": ("tests/test_packing_pinned.py", "tests/test_packing_pinned2.py"),
    # packing.solve (the orchestrator pack(): the result table, bound and gap), mutated apart;
    # its anneal stage (run only compiled: numba compiles the unmutated _kernel / _anneal_kernel
    # here) through tests/test_packing_anneal_pinned.py (a stub in place of anneal_search)
    "packing.solve": (
        "tests/test_packing_pinned.py",
        "tests/test_packing_pinned2.py",
        "tests/test_packing_anneal_pinned.py",
    ),
    # packing's minimum-slack fill and MILP, each mutated apart (make mutation's modules
    # packing.fill and packing.milp): checked against brute-force enumeration
    # (tests/test_packing_heuristics_pinned.py) and through pack()
    "packing.fill": (
        "tests/test_packing_heuristics_pinned.py",
        "tests/test_packing_pinned.py",
        "tests/test_packing_pinned2.py",
    ),
    "packing.milp": (
        "tests/test_packing_heuristics_pinned.py",
        "tests/test_packing_pinned.py",
        "tests/test_packing_pinned2.py",
    ),
    # packing's pool repair (pool_search), mutated apart (make mutation's module packing.pool):
    # its documented ties, draws and tenures by hand (tests/test_packing_pool_pinned.py), by
    # hand and by enumeration (tests/test_packing_heuristics_pinned2.py), its own tests
    # (test_packing_pool.py: brute force of the subset-sum, feasibility, never worse) and
    # through pack()
    "packing.pool": (
        "tests/test_packing_pool_pinned.py",
        "tests/test_packing_heuristics_pinned2.py",
        "tests/test_packing_pool.py",
        "tests/test_packing_pinned.py",
        "tests/test_packing_pinned2.py",
        "tests/test_packing_heuristics_pinned.py",
    ),
    # packing's constructions (construct.py: first fit / balanced fill, the capacity screen of
    # the improvement pass, the starts), mutated apart: by hand and against a plain
    # re-implementation that checks every step (tests/test_packing_construct_pinned.py), and
    # through pack() and the kernel's hand-worked tests; not test_packing_bounds.py (minutes of
    # local search) nor test_packing_jit.py (numba cannot compile mutmut's trampolines)
    "packing.construct": (
        "tests/test_packing_construct_pinned.py",
        "tests/test_packing_pinned.py",
        "tests/test_packing_pinned2.py",
        "tests/test_packing_heuristics_pinned.py",
    ),
    # packing's local search (local_search), mutated apart: by hand and against a second method
    # written plainly in the test (exact penalties recomputed for every move and swap, the
    # docstring's tie rules and seeded draws; tests/test_packing_search_pinned.py).  Not
    # test_packing_bounds.py (hypothesis searches, MILPs: about 40 s per surviving mutant)
    "packing.search": ("tests/test_packing_search_pinned.py",),
    # packing's anneal (anneal.py: anneal_search, _spread, default_anneal_moves) and its kernel
    # (_anneal_kernel.py: anneal_hosts, xorshift32), each mutated apart: by hand and against a
    # plain re-implementation of the documented annealing loop, draw by draw
    # (tests/test_packing_anneal_pinned.py), and its own tests (test_packing_anneal.py) on the
    # plain path; the tests that need the compiled kernel are deselected for the kernel
    # (DESELECT: numba cannot compile mutmut's trampolines)
    "packing.anneal": ("tests/test_packing_anneal_pinned.py", "tests/test_packing_anneal.py"),
    "packing._anneal_kernel": (
        "tests/test_packing_anneal_pinned.py",
        "tests/test_packing_anneal.py",
    ),
    # measured: test_measured.py builds whole plans and runs the CLI on the bundled traces
    # (minutes per surviving mutant); its figures are pinned by hand in the pinned file
    "measured": ("tests/test_measured_pinned.py",),
    # forecast and costs: the whole modules, against the hand-worked tests (small typed inputs
    # built in the test: a few guests, a few months); their other tests build whole plans
    # (minutes per surviving mutant)
    "forecast": ("tests/test_forecast_pinned.py", "tests/test_forecast_pinned2.py"),
    "costs": ("tests/test_costs_pinned.py", "tests/test_costs_pinned2.py"),
    # whitespace: its own tests and the percentile kernel's (test_quantile*.py: against
    # numpy.percentile); not test_whitespace_plain_path.py, which compares the CLI's two paths
    # (both call analyze_values, so a mutant changes both alike) on the bundled traces (about
    # 12 s per surviving mutant)
    "whitespace": (
        "tests/test_whitespace.py",
        "tests/test_whitespace_pinned.py",
        "tests/test_whitespace_pinned2.py",
        "tests/test_quantile.py",
        "tests/test_quantile_select.py",
    ),
}
#: Packages: the files of the package that are mutated (one mutmut run; the report has a row
#: for the package and one per file).  packing: the bounds, first-fit-decreasing, the placement
#: kernel, the problem's validation and the result.  Every other file of packing is mutated
#: apart, each against its own tests: the orchestrator (packing.solve: pack() hands the problem
#: to each stage and makes the per-host table; apart because its anneal stage runs only with the
#: compiled kernel, which numba cannot build while _kernel is mutated), the minimum-slack fill
#: and the MILP (packing.fill, packing.milp: brute-force tests), the constructions, the local
#: search and the pool repair (packing.construct, packing.search, packing.pool: plain
#: re-implementations of their docstrings), the anneal and its kernel (packing.anneal,
#: packing._anneal_kernel: a plain re-implementation of the documented loop).  Not mutated: the
#: numba glue (_jit, _anneal_jit: one decorator call each).
PACKAGES: dict[str, tuple[str, ...]] = {
    "packing": ("bounds", "ffd", "result", "_kernel", "problem"),
}
#: Tests left out of a module's run (pytest node ids), each with its reason.
DESELECT: dict[str, tuple[str, ...]] = {
    # packing.pool: this test compares SHA-256 digests of round 7's packings (a regression pin
    # of the implementation's own output, not a value computed independently)
    "packing.pool": (
        "tests/test_packing_pool.py::test_pool_search_gives_the_same_packings_as_before_its_speed_up",
    ),
    # packing.anneal: pack()'s use of the stage (solve.py's business, minutes of local search
    # per mutant); pack()'s anneal down to the composite bound stays selected
    "packing.anneal": (
        "tests/test_packing_anneal.py::test_pack_with_the_anneal_is_feasible_and_never_worse",
        "tests/test_packing_anneal.py::test_pack_skips_the_anneal_above_the_small_instance_size",
    ),
    # packing._anneal_kernel: every test that runs the compiled kernel (numba cannot compile
    # mutmut's trampolines); the plain path is the same source
    "packing._anneal_kernel": (
        "tests/test_packing_anneal.py::test_compiled_and_plain_kernels_make_the_same_moves",
        "tests/test_packing_anneal.py::test_pack_anneals_a_time_series_packing_down_to_the_composite_bound",
        "tests/test_packing_anneal.py::test_pack_with_the_anneal_is_feasible_and_never_worse",
        "tests/test_packing_anneal.py::test_pack_skips_the_anneal_above_the_small_instance_size",
    ),
}
#: Modules mutated only in the functions that make the printed numbers (names as mutmut spells
#: them: ``x_<function>``, ``xǁ<Class>ǁ<method>``; fnmatch patterns).  Empty: every module
#: is mutated whole (sizing and whitespace with its percentile kernel since round 9; forecast and
#: costs with their projection and business case since round 9); messages are skipped by
#: DO_NOT_MUTATE.
ONLY_FUNCTIONS: dict[str, tuple[str, ...]] = {}
#: Hypothesis examples per property test in the mutation copy (the suite's profile has 60): the
#: property tests are the slow part of a surviving mutant's run; fewer examples can only lower
#: the score, never raise it.  No shrinking either: a failing example kills the mutant as it is
#: (shrinking it took longer than mutmut's time limit, which counted as a kill anyway).
MUTATION_EXAMPLES = 10
#: mutmut stops a mutant after (its tests' time + 1 s) × this × 2 CPU seconds (mutmut's default
#: 15 spent minutes of CPU on each mutant that loops; a time-out counts as killed)
TIMEOUT_MULTIPLIER = 4.0
#: what the tests read besides colonykit/ and tests/
ALSO_COPY = ("data", "docs", "README.md", "CHANGELOG.md", "notebooks", "benchmarks", "Makefile")
#: Lines not mutated: error and warning texts (their wording is checked by the hostile-input
#: catalogue, not by the numbers); a statement starting on such a line is skipped whole.
DO_NOT_MUTATE = (
    r"^\s*raise\b",
    r"\bmsg\s*=",
    r"\bmust_be\(",
    r"\bwarnings\.warn\(",
    r"\b(notes|problems|warnings_)\.(append|extend)\(",
    r"\bnonneg_array\(\"",  # the field name a validation message quotes
    r"^__all__",
    # mutmut 3.8 drops the parentheses when it removes a `~` whose operand is a chain split over
    # lines (invalid syntax, the whole module fails); sizing.size_xen_hosts's note test only
    r'^\s*~inventory\["capacity_unit"\]$',
)
KILLED = {1, 3, 36, 37, -24, 24, 152, 255}  # killed, pytest error, timeouts, caught by mypy
TIMEOUTS = {-24, 24, 36}  # re-run by --survivors-only: a slow survivor may have timed out
#: survived: the tests passed (0), or no selected test reaches the mutant (mutmut's "no tests",
#: 5 and 33) — an unreached mutant counts against the score, it is not left out of it
SURVIVED = {0, 5, 33}


def tests_for(module: str) -> list[str]:
    """The test files a module's mutants run against."""
    own = TESTS.get(module) or tuple(
        str(p.relative_to(ROOT)) for p in sorted((ROOT / "tests").glob(f"test_{module}*.py"))
    )
    return [t for t in (*own, *SHARED_TESTS) if (ROOT / t).is_file()]


def source_files(module: str) -> list[str]:
    """The files mutated for ``module`` (relative to the tree)."""
    if module in PACKAGES:
        return [f"colonykit/{module}/{f}.py" for f in PACKAGES[module]]
    return [f"colonykit/{module.replace('.', '/')}.py"]  # "packing.solve": one file of a package


def pytest_args(module: str) -> list[str]:
    """pytest's options for every mutant of ``module``."""
    args = ["-p", "no:xdist", "-p", "no:cacheprovider", "-x", "-q"]
    for node in DESELECT.get(module, ()):
        args += ["--deselect", node]
    return args


def _toml_list(items: list[str]) -> str:
    return "[" + ", ".join(json.dumps(i) for i in items) + "]"


def copy_tests(work: Path) -> None:
    """The tests into ``work`` (replacing what is there), with fewer hypothesis examples."""
    if (work / "tests").exists():
        shutil.rmtree(work / "tests")
    shutil.copytree(ROOT / "tests", work / "tests", ignore=shutil.ignore_patterns("__pycache__"))
    conftest = work / "tests" / "conftest.py"
    conftest.write_text(
        conftest.read_text()
        + "\n\n# .ci/mutation.py: fewer hypothesis examples per mutant\n"
        + "from hypothesis import Phase\n\n"
        + 'settings.register_profile("mutation", settings.get_profile("colonykit"), '
        + f"max_examples={MUTATION_EXAMPLES}, "
        + "phases=[Phase.explicit, Phase.reuse, Phase.generate])\n"
        + 'settings.load_profile("mutation")\n'
    )


def prepare(module: str, work: Path) -> None:
    """A copy of the tree in ``work`` whose pyproject.toml configures mutmut for ``module``."""
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    for name in ("colonykit", *ALSO_COPY):
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, work / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif src.is_file():
            shutil.copy2(src, work / name)
    copy_tests(work)
    text = (ROOT / "pyproject.toml").read_text()
    text += (
        "\n[tool.mutmut]\n"
        'source_paths = ["colonykit"]\n'
        f"only_mutate = {_toml_list(source_files(module))}\n"
        f"also_copy = {_toml_list([n for n in ALSO_COPY if (ROOT / n).exists()])}\n"
        f"pytest_add_cli_args_test_selection = {_toml_list(tests_for(module))}\n"
        f"do_not_mutate_patterns = {_toml_list(list(DO_NOT_MUTATE))}\n"
        f"pytest_add_cli_args = {_toml_list(pytest_args(module))}\n"
        f"timeout_multiplier = {TIMEOUT_MULTIPLIER}\n"
    )
    (work / "pyproject.toml").write_text(text)


def mutant_patterns(module: str) -> list[str]:
    """fnmatch patterns of the mutants of ``module`` to run (empty: all of them)."""
    return [f"colonykit.{module}.{f}__mutmut_*" for f in ONLY_FUNCTIONS.get(module, ())]


def run_mutmut(module: str, work: Path, max_children: int, names: list[str] | None = None) -> float:
    """Run mutmut in ``work`` (on ``names`` only when given); return the wall time [s]."""
    t0 = time.perf_counter()
    cmd = [sys.executable, "-m", "mutmut", "run", "--max-children", str(max_children)]
    cmd += names if names else mutant_patterns(module)
    proc = subprocess.run(cmd, cwd=work, capture_output=True, text=True, check=False)
    (OUT / f"{module}.log").write_text(proc.stdout + proc.stderr)
    if proc.returncode not in (0, 1):
        msg = f"mutmut failed for {module} (exit {proc.returncode}); see {OUT / (module + '.log')}"
        raise SystemExit(msg)
    return time.perf_counter() - t0


def results(module: str, work: Path) -> dict[str, int | None]:
    """Exit code of every mutant of ``module`` (mutmut's ``.meta`` file)."""
    codes: dict[str, int | None] = {}
    for src in source_files(module):
        meta = work / "mutants" / f"{src}.meta"
        if meta.is_file():  # a file without mutants has none
            codes.update(json.loads(meta.read_text())["exit_code_by_key"])
    patterns = mutant_patterns(module)
    if patterns:
        codes = {k: c for k, c in codes.items() if any(fnmatch(k, p) for p in patterns)}
    return codes


def score(codes: dict[str, int | None], equivalent: dict[str, str]) -> dict[str, object]:
    """Killed, survived, equivalents and the score (%) of one module."""
    killed = sorted(k for k, c in codes.items() if c in KILLED)
    survived = sorted(k for k, c in codes.items() if c in SURVIVED and k not in equivalent)
    other = sorted(k for k, c in codes.items() if c not in KILLED | SURVIVED)
    eq = sorted(k for k in codes if k in equivalent and codes[k] in SURVIVED)
    checked = len(killed) + len(survived)
    return {
        "mutants": len(codes),
        "killed": len(killed),
        "survived": len(survived),
        "equivalent": len(eq),
        "not_checked": len(other),
        "score_pct": round(100.0 * len(killed) / checked, 1) if checked else 0.0,
        "survivors": survived,
    }


def report_md(rows: dict[str, dict[str, object]]) -> str:
    """The markdown report: one row per module, then the survivors."""
    lines = [
        "| module | mutants | killed | survived | known equivalent | not checked | score % | time s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for m, r in rows.items():
        lines.append(
            f"| {m} | {r['mutants']} | {r['killed']} | {r['survived']} | {r['equivalent']} "
            f"| {r['not_checked']} | {r['score_pct']} | {r['wall_s']} |"
        )
    for m, r in rows.items():
        survivors = r["survivors"]
        assert isinstance(survivors, list)
        if survivors:
            lines += ["", f"Surviving mutants of {m} (`mutmut show NAME` in build/mutation/{m}):"]
            lines += [f"- `{s}`" for s in survivors]
    return "\n".join(lines) + "\n"


def compare(rows: dict[str, dict[str, object]], baseline: dict[str, object]) -> list[str]:
    """Modules whose score fell below the baseline."""
    scores = baseline.get("score_pct", {})
    assert isinstance(scores, dict)
    return [
        f"{m}: {r['score_pct']} % < baseline {scores[m]} %"
        for m, r in rows.items()
        if m in scores and float(str(r["score_pct"])) < float(scores[m])
    ]


def main(argv: list[str] | None = None) -> int:
    """Entry point (see the module docstring)."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--modules", nargs="+", required=True, help="modules of colonykit to mutate")
    ap.add_argument("--max-children", type=int, default=2, help="parallel mutants (default 2)")
    ap.add_argument("--update-baseline", action="store_true", help="raise the baseline scores")
    ap.add_argument(
        "--survivors-only",
        action="store_true",
        help="re-run only the last run's survivors against the current tests (same source)",
    )
    args = ap.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    baseline = json.loads(BASELINE.read_text()) if BASELINE.exists() else {}
    equivalent_all = baseline.get("equivalent", {})
    rows: dict[str, dict[str, object]] = {}
    for module in args.modules:
        work = OUT / module
        if args.survivors_only and (work / "mutants").is_dir():
            # the source is unchanged and tests were only added: a killed mutant stays killed,
            # so only the survivors of the last run are run again, against the current tests
            selected = f"pytest_add_cli_args_test_selection = {_toml_list(tests_for(module))}"
            if selected not in (work / "pyproject.toml").read_text():
                msg = (
                    f"the test files of {module} changed since its full run (mutmut fixes the"
                    " selection when it starts): run it again without --survivors-only"
                )
                raise SystemExit(msg)
            copy_tests(work)
            # mutmut maps tests to the functions they call once; assertions added to a test
            # since then would not be run against the mutants of the functions they now reach
            (work / "mutants" / "mutmut-stats.json").unlink(missing_ok=True)
            codes = results(module, work)
            eq = equivalent_all.get(module, {})
            again = sorted(k for k, c in codes.items() if c in SURVIVED | TIMEOUTS and k not in eq)
            wall = run_mutmut(module, work, args.max_children, again) if again else 0.0
        else:
            prepare(module, work)
            wall = run_mutmut(module, work, args.max_children)
        codes = results(module, work)
        row = score(codes, equivalent_all.get(module, {}))
        row["wall_s"] = round(wall)
        row["tests"] = tests_for(module)
        rows[module] = row
        for f in PACKAGES.get(module, ()):  # one row per file of a package
            prefix = f"colonykit.{module}.{f}."
            part = {k: c for k, c in codes.items() if k.startswith(prefix)}
            sub = score(part, equivalent_all.get(module, {}))
            sub["wall_s"] = ""
            sub["tests"] = row["tests"]
            rows[f"{module}.{f}"] = sub
        print(
            f"{module}: {row['score_pct']} % ({row['killed']} killed, {row['survived']} survived)"
        )
    (OUT / "report.md").write_text(report_md(rows))
    (OUT / "report.json").write_text(json.dumps(rows, indent=2) + "\n")
    print(f"report: {OUT / 'report.md'}")
    fell = compare(rows, baseline)
    if args.update_baseline and not fell:
        # re-read: the file may have gained equivalents while mutmut ran
        baseline = json.loads(BASELINE.read_text()) if BASELINE.exists() else {}
        scores = dict(baseline.get("score_pct", {}))
        for m, r in rows.items():
            scores[m] = max(float(str(r["score_pct"])), float(scores.get(m, 0.0)))
        baseline["score_pct"] = dict(sorted(scores.items()))
        measured = dict(baseline.get("measured", {}))
        for m, r in rows.items():
            measured[m] = (
                f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}: {r['killed']} killed, "
                f"{r['survived']} survived of {r['mutants']} mutants; tests {r['tests']}"
            )
        baseline["measured"] = dict(sorted(measured.items()))
        BASELINE.write_text(json.dumps(baseline, indent=2, ensure_ascii=False) + "\n")
        print(f"baseline raised: {BASELINE}")
    if fell:
        print("mutation score fell below the baseline:\n  " + "\n  ".join(fell), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
