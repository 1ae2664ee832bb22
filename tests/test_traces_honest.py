"""Traces reported honestly (issue 20 item 5): N of M servers traced, fills at each capture's own
interval, folds labelled as a typical day/week in local time, `whitespace` aligned like `size`."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from colonykit.cli import main
from colonykit.ingest import read_inventory
from colonykit.ingest.join import align_traces, join_traces
from colonykit.ingest.traces import filled_frac_own_interval


def _captures(tmp: Path, second_start: str) -> Path:
    """Two one-day 5-minute captures: ``a`` on 2024-01-01, ``b`` from ``second_start``."""
    rows = []
    for name, start in (("a", "2024-01-01"), ("b", second_start)):
        t = pd.date_range(start, periods=288, freq="5min")
        rows += [f"{name},{x:%Y-%m-%d %H:%M},{10 + (i % 12)}" for i, x in enumerate(t)]
    p = tmp / "caps.csv"
    p.write_text("server,timestamp,cpu_pct\n" + "\n".join(rows) + "\n")
    return p


def test_whitespace_refuses_non_overlapping_captures_like_size(tmp_path, capsys) -> None:
    p = _captures(tmp_path, "2025-06-01")  # a year apart: no common span
    assert main(["whitespace", str(p), "--format", "json"]) == 2
    assert "overlap for 0.0 h" in capsys.readouterr().err
    # folded onto a typical day they are comparable: 288 slots, not 1.4 years of steps
    assert main(["whitespace", str(p), "--align", "time-of-day", "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["steps"] == 288 and out["servers_traced"] == 2 and out["align"] == "time-of-day"
    assert any("typical day" in n for n in out["trace_notes"])


def test_fold_is_labelled_as_a_typical_day_in_local_time() -> None:
    idx = pd.date_range("2024-07-01T00:00Z", periods=48, freq="1h")
    frame = pd.DataFrame({"a": np.arange(48.0)}, index=idx)
    frame.attrs["interval_s"] = 3600.0
    out, _, overlap, notes = align_traces(frame, align="time-of-day", tz="Europe/Amsterdam")
    assert overlap == ("00:00", "23:00")
    assert "Europe/Amsterdam local time" in notes[0] and "2001" not in notes[0]
    # 00:00 local (CEST, UTC+2) is 22:00 UTC: slot 0 holds the 22:00 UTC samples (22 and 46)
    assert out["a"].iloc[0] == 46.0
    assert out.attrs["fold"] == "typical day" and out.attrs["fold_tz"] == "Europe/Amsterdam"


def test_fill_is_computed_at_each_captures_own_interval() -> None:
    v = np.full((12, 3), np.nan)
    v[:, 0] = 1.0  # complete at the grid's interval
    v[::2, 1] = 1.0  # complete 10-minute capture on a 5-minute grid: nothing missing
    v[[0, 1, 2, 11], 2] = 1.0  # 5-minute capture with 8 missing samples
    got = filled_frac_own_interval(v)
    assert got.tolist() == [0.0, 0.0, pytest.approx(8 / 12)]


def test_join_notes_n_of_m_servers_traced(tmp_path: Path) -> None:
    inv_p = tmp_path / "inv.csv"
    inv_p.write_text(
        "server,role,capacity,capacity_unit,cores,util_avg_pct,util_peak_pct,workload_class,"
        "memory_mib,disk_gib,count\n"
        + "".join(f"{n},web,2926,mhz_per_core,2,10,50,mixed,8192,10,1\n" for n in "abc")
    )
    inv, _ = read_inventory(inv_p)
    j = join_traces(inv, _captures(tmp_path, "2024-01-01"))
    assert j.notes[0].startswith("2 of 3 servers traced")
