"""nmon memory through the shared snapshot parser (``monitors._nmon_snapshots``).

Values are checked against a second parse written here with the csv module (the module doc's
rules), concatenated captures of one host are joined in time, and concatenated captures of
different hosts are refused with the CPU reader's message.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import numpy as np
import pytest

from colonykit.errors import InputError
from colonykit.ingest.memory_series import read_nmon_memory
from colonykit.ingest.monitors import read_nmon

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "monitor_samples"
LINUX = sorted(p for p in SAMPLES.glob("*.nmon") if "aix" not in p.name)
AIX = SAMPLES / "nmon_aix_aixlpar_2016-02-10.nmon"


def _by_hand(path: Path) -> tuple[list[dt.datetime], list[float]]:
    """(snapshot times, MiB used) of a single capture, parsed line by line with csv."""
    rows = list(csv.reader(path.read_text(encoding="utf-8", errors="replace").splitlines()))
    when = {
        r[1].strip(): dt.datetime.strptime(f"{r[2].strip()} {r[3].strip()}", "%H:%M:%S %d-%b-%Y")
        for r in rows
        if r and r[0] == "ZZZZ"
    }
    mem_head = next(r for r in rows if r and r[0] == "MEM" and not r[1].startswith("T"))
    mem = {r[1].strip(): r for r in rows if r and r[0] == "MEM" and r[1].startswith("T")}
    if "memtotal" in mem_head:
        col = {name.strip(): i for i, name in enumerate(mem_head)}
        keys = list(mem)
        used = [
            float(mem[k][col["memtotal"]])
            - float(mem[k][col["memfree"]])
            - float(mem[k][col["cached"]])
            - float(mem[k][col["buffers"]])
            for k in keys
        ]
    else:  # AIX: (Process% + System%) / 100 x Real total(MB)
        new_head = next(r for r in rows if r and r[0] == "MEMNEW" and not r[1].startswith("T"))
        ncol = {name.strip(): i for i, name in enumerate(new_head)}
        total = mem_head.index("Real total(MB)")
        new = [r for r in rows if r and r[0] == "MEMNEW" and r[1].startswith("T")]
        keys = [r[1].strip() for r in new]
        used = [
            (float(r[ncol["Process%"]]) + float(r[ncol["System%"]]))
            / 100.0
            * float(mem[r[1].strip()][total])
            for r in new
        ]
    return [when[k] for k in keys], used


@pytest.mark.parametrize("path", [*LINUX, AIX], ids=lambda p: p.name)
def test_memory_equals_a_line_by_line_parse(path: Path) -> None:
    frame, meta = read_nmon_memory(path)
    times, used = _by_hand(path)
    got = frame.iloc[:, 0].to_numpy(dtype=float)
    assert meta["samples"] == len(used) == len(got)
    np.testing.assert_allclose(got, used, rtol=1e-12)
    assert [t.replace(tzinfo=None) for t in frame.index.to_pydatetime()] == times


def _shifted(text: str, days: int) -> str:
    """The capture with every ZZZZ date moved by ``days`` (a later capture of the same host)."""
    out = []
    for line in text.splitlines():
        if line.startswith("ZZZZ,"):
            tag, snap, clock, day = line.split(",")[:4]
            moved = dt.datetime.strptime(day, "%d-%b-%Y") + dt.timedelta(days=days)
            line = f"{tag},{snap},{clock},{moved.strftime('%d-%b-%Y').upper()}"
        out.append(line)
    return "\n".join(out) + "\n"


@pytest.mark.parametrize("path", [*LINUX, AIX], ids=lambda p: p.name)
def test_concatenated_captures_of_one_host_are_joined(path: Path, tmp_path: Path) -> None:
    text = path.read_text(encoding="utf-8", errors="replace")
    both = tmp_path / "two_days.nmon"
    both.write_text(text + _shifted(text, 1), encoding="utf-8")
    one, _ = read_nmon_memory(path)
    two, meta = read_nmon_memory(both)
    n = len(one)
    assert len(two) == 2 * n == meta["samples"]
    np.testing.assert_array_equal(two.iloc[:n, 0].to_numpy(), one.iloc[:, 0].to_numpy())
    np.testing.assert_array_equal(two.iloc[n:, 0].to_numpy(), one.iloc[:, 0].to_numpy())
    assert (two.index[n:] - two.index[:n] == np.timedelta64(1, "D")).all()


def test_concatenated_captures_of_different_hosts_are_refused_as_for_cpu(
    tmp_path: Path,
) -> None:
    a, b = LINUX[0], LINUX[1]
    both = tmp_path / "two_hosts.nmon"
    both.write_text(
        a.read_text(encoding="utf-8", errors="replace")
        + b.read_text(encoding="utf-8", errors="replace"),
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="concatenated nmon captures of different hosts") as mem:
        read_nmon_memory(both)
    with pytest.raises(InputError) as cpu:
        read_nmon(both)
    assert str(mem.value) == str(cpu.value)
