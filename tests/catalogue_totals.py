"""Totals of the hostile-input catalogue (issue 24): cases, clear errors, correct results.

Collects every ``tests/test_catalogue_*.py`` case (ids ``rc<N>-<name>-<expected>``, see
/work/notes/CONTRACTS.md) and prints the totals by root cause and expected result; with
``--run`` it also runs them and counts passes and failures.  Usage, from the repository root::

    python tests/catalogue_totals.py           # collect only (seconds)
    python tests/catalogue_totals.py --run     # also run every case
    python tests/catalogue_totals.py --json    # one JSON object instead of the table
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ID = re.compile(r"\[(rc(\d+)-[^\]]*?-(error|correct))\]")


def _pytest(*args: str) -> str:
    files = sorted(str(p) for p in (ROOT / "tests").glob("test_catalogue_*.py"))
    cmd = [sys.executable, "-m", "pytest", "-p", "no:xdist", "-m", "catalogue", *args, *files]
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False).stdout


def totals(run: bool = False) -> dict[str, object]:
    """Counts over the collected catalogue ids (and, with ``run``, their outcomes).

    Parameters
    ----------
    run : bool, default False
        Also run the cases (``pytest -rA``) and count passed / failed by expected result.
    """
    text = _pytest("--collect-only", "-q")
    ids = [m.group(1) for m in ID.finditer(text)]
    bad = [line for line in text.splitlines() if "::" in line and not ID.search(line)]
    by_expected = Counter(i.rsplit("-", 1)[1] for i in ids)
    by_cause = Counter(f"rc{m.group(2)}" for m in ID.finditer(text))
    out: dict[str, object] = {
        "cases": len(ids),
        "clear_errors": by_expected["error"],
        "correct_results": by_expected["correct"],
        "by_root_cause": dict(sorted(by_cause.items(), key=lambda kv: int(kv[0][2:]))),
        "ids_not_in_the_convention": bad,
    }
    if run:
        report = _pytest("-q", "-rA")
        passed = {
            m.group(1)
            for line in report.splitlines()
            if line.startswith("PASSED")
            for m in ID.finditer(line)
        }
        failed = {
            m.group(1)
            for line in report.splitlines()
            if line.startswith(("FAILED", "ERROR"))
            for m in ID.finditer(line)
        }
        out["passed"] = len(passed)
        out["failed"] = sorted(failed)
        out["tracebacks"] = sum("Traceback" in line for line in report.splitlines())
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--run", action="store_true", help="also run every case")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    t = totals(run=args.run)
    if args.json:
        print(json.dumps(t, indent=2))
        return 0
    print(
        f"catalogue: {t['cases']} cases, {t['clear_errors']} clear errors, "
        f"{t['correct_results']} correct results"
    )
    print("by root cause: " + ", ".join(f"{k} {v}" for k, v in t["by_root_cause"].items()))  # type: ignore[union-attr]
    if t["ids_not_in_the_convention"]:
        print(f"ids not in the convention: {t['ids_not_in_the_convention']}")
    if args.run:
        print(f"passed: {t['passed']}; failed: {len(t['failed'])} {t['failed']}")  # type: ignore[arg-type]
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
