"""README figures that come from bundled data are what the library computes today (issue 20 item 7).

The rows checked: the measured bundled colony (``make run``: Bitbrains 50 VMs) and the bundled
PlanetLab day of the white-space table; each number is recomputed here from the library.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from colonykit import plan, whitespace
from colonykit.ingest import read_traces

README = Path(__file__).resolve().parents[1] / "README.md"


def _row(prefix: str) -> list[str]:
    for line in README.read_text(encoding="utf-8").splitlines():
        if line.startswith(f"| {prefix}"):
            return [c.strip() for c in line.strip("|").split("|")]
    pytest.fail(f"README has no row starting {prefix!r}")


def _num(cell: str) -> float:
    return float(re.sub(r"[^\d.]", "", cell))


def test_bundled_measured_colony_row() -> None:
    cells = _row("Bitbrains 50 VMs (bundled")
    res = plan.build_plan("data/examples/bitbrains_colony.yaml")
    v = res.plan.evidence.sizing.values
    ws = res.plan.evidence.white_space.values
    assert _num(cells[3]) == round(v["sum_of_peaks_mips"])
    assert _num(cells[4]) == round(v["composite_peak_mips"])
    assert _num(cells[5]) == round(ws["non_coincidence_saving_pct"], 1)
    assert _num(cells[6]) == round(ws["white_space_pct"], 1)
    assert (_num(cells[7]), _num(cells[8])) == (v["engines_peak"], v["engines_composite"])
    assert _num(cells[9]) == res.sizing.engines["typical"]


def test_bundled_planetlab_white_space_row() -> None:
    cells = _row("PlanetLab 2011-03-03, 1,052 VMs (cpu %)")
    frame, _ = read_traces("data/traces/planetlab_20110303")
    r = whitespace.analyze(frame)
    assert (_num(cells[1]), _num(cells[2])) == (round(r.sum_of_peaks), round(r.composite_peak))
    assert _num(cells[3]) == round(r.non_coincidence_saving_pct, 1)
