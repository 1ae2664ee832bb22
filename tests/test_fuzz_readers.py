"""Fuzz the time parser and the monitor readers (issue 24): never a traceback — a clear
:class:`~colonykit.errors.InputError` or a result."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from colonykit.errors import InputError
from colonykit.ingest import read_nmon, read_sadf, read_sar, read_traces
from colonykit.ingest.timeparse import NAT_NS, parse_times

M = Path("data/monitor_samples")

#: Pieces a stamp is made of: real formats, near misses and junk.
_PIECES = st.sampled_from(
    [
        "2024-01-31",
        "31/01/2024",
        "01/31/2024",
        "12/01/2024",
        "2024-13-01",
        "31.01.2024",
        " ",
        "T",
        "10:00",
        "10:00:00",
        "10:00:00.250",
        "25:00",
        "AM",
        "PM",
        "Z",
        "+01:00",
        "-0530",
        "UTC",
        "45292.5",
        "1704067200",
        "1704067200000",
        "-1",
        "nan",
        "",
        "x",
        "é",
        "\t",
        "2024-02-30",
        "0",
        "1e308",
        "2024-10-27 02:30",
        "2024-03-31 02:30",
    ]
)
_STAMP = st.lists(_PIECES, min_size=1, max_size=4).map("".join)


@settings(max_examples=300, deadline=None)
@given(
    stamps=st.lists(_STAMP, min_size=1, max_size=8),
    tz=st.sampled_from(["UTC", "Europe/Amsterdam", "America/New_York"]),
    dayfirst=st.sampled_from([None, True, False]),
)
def test_parse_times_never_a_traceback(stamps: list[str], tz: str, dayfirst: bool | None) -> None:
    try:
        ns, note, shift = parse_times(np.array(stamps, dtype=object), tz=tz, dayfirst=dayfirst)
    except InputError as exc:
        assert str(exc)
        return
    assert ns.dtype == np.int64 and len(ns) == len(stamps) and len(shift) == len(stamps)
    assert isinstance(note, str)


@settings(max_examples=200, deadline=None)
@given(values=st.lists(st.floats(allow_nan=True, allow_infinity=True), min_size=1, max_size=8))
def test_parse_numeric_times_never_a_traceback(values: list[float]) -> None:
    try:
        ns, _, _ = parse_times(np.array(values, dtype=float))
    except InputError:
        return
    assert len(ns) == len(values)
    assert (ns[~np.isfinite(np.array(values))] == NAT_NS).all()


@settings(max_examples=150, deadline=None)
@given(stamps=st.lists(_STAMP, min_size=1, max_size=6))
def test_read_traces_time_column_never_a_traceback(stamps: list[str]) -> None:
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "t.csv"
        rows = "".join(f"a,{s.replace(',', ' ')},{i}\n" for i, s in enumerate(stamps))
        p.write_text("server,timestamp,cpu_pct\n" + rows, encoding="utf-8")
        try:
            frame, _ = read_traces(p)
        except InputError:
            return
        assert isinstance(frame.index, pd.DatetimeIndex)


_SOURCES = {
    "sar": (M / "sar-A_rhel5_4cpu_2011-03-24.txt", read_sar),
    "sadf": (M / "sadf-d_sun_2023-08-05.csv", read_sadf),
    "nmon": (M / "nmon_fedora21_linux_2015-08-18.nmon", read_nmon),
}


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    which=st.sampled_from(sorted(_SOURCES)),
    data=st.data(),
)
def test_monitor_readers_never_a_traceback(which: str, data: st.DataObject) -> None:
    """Real captures cut, shuffled, duplicated and corrupted line by line."""
    path, reader = _SOURCES[which]
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()[:400]
    n = len(lines)
    keep = data.draw(st.lists(st.integers(0, n - 1), min_size=0, max_size=60))
    mutated = [lines[0], *(lines[i] for i in sorted(keep))] if keep else lines[:1]
    edits = data.draw(
        st.lists(
            st.tuples(
                st.integers(0, max(len(mutated) - 1, 0)),
                st.sampled_from(["drop-field", "junk", "comma", "empty", "dup", "swap-time"]),
            ),
            max_size=6,
        )
    )
    for i, how in edits:
        if i >= len(mutated):
            continue
        line = mutated[i]
        sep = ";" if which == "sadf" else ("," if which == "nmon" else None)
        fields = line.split(sep)
        if how == "drop-field" and len(fields) > 1:
            mutated[i] = (sep or " ").join(fields[:-1])
        elif how == "junk":
            mutated[i] = line + data.draw(st.sampled_from([";x", ",NaN", " 1e999", " -5", "\x00"]))
        elif how == "comma":
            mutated[i] = line.replace(".", ",")
        elif how == "empty":
            mutated[i] = ""
        elif how == "dup":
            mutated.insert(i, line)
        elif how == "swap-time":
            mutated[i] = line.replace("1", "2", 1)
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / path.name
        p.write_text("\n".join(mutated) + "\n", encoding="utf-8")
        try:
            frame, meta = reader(p)
        except InputError as exc:
            assert str(exc)
            return
        assert frame.shape[1] == 1 and meta["samples"] == len(frame)
