"""Memory-use columns and monitor blocks: what ``read_traces(..., metric="memory")`` reads.

The trace readers (:mod:`colonykit.ingest.traces`, :mod:`colonykit.ingest.monitors`) keep
their column selection general (``metric``); this module says *which* column is memory use
and how to put it in MiB, so the memory series go through the same grid, fill and join as
the CPU series (:func:`colonykit.ingest.join.join_traces` with ``metric="memory"``).

Memory use is the memory the guest's processes hold, **without** the page cache and
buffers Linux fills the rest with (seed 003 §3.3.2: Linux uses all the storage it is
given as buffer cache; what it *needs* is the rest):

- long/wide CSV and Parquet: a column of :data:`MEMORY_COLUMNS` (``mem_mib``, Bitbrains
  ``mem_mb`` = "Memory usage [KB]" ÷ 1024, the raw Bitbrains ``Memory usage [KB]``,
  ``mem_gib``, ``mem_pct`` = % of the server's memory, converted with the inventory's
  ``memory_mib`` by :func:`colonykit.measured_memory.measured_memory`);
- nmon (Linux ``MEM``): ``memtotal - memfree - cached - buffers`` [MB = MiB, nmon divides
  ``/proc/meminfo`` kB by 1024]; AIX ``MEMNEW``: ``(Process% + System%) × Real total(MB)``;
- sysstat ``sar -r`` / ``sadf -d``: with ``kbavail`` in the header (sysstat 11.x and later,
  whose ``kbmemused`` already excludes buffers and cache) ``kbmemused``; without it (older
  sysstat, ``kbmemfree + kbmemused`` = total) ``kbmemused - kbbuffers - kbcached`` [KiB].

Examples
--------
>>> memory_column(["server", "step", "cpu_mhz", "mem_mb"])
('mem_mb', 'mem_mib', 1.0)
>>> frame, meta = read_nmon_memory("data/monitor_samples/nmon_centos66_oms_63_2015-11-10.nmon")
>>> meta["busy_rule"][:30], round(float(frame.iloc[0, 0]), 1)
('memtotal - memfree - cached - ', 4838.8)
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from colonykit._lazy import lazy_module
from colonykit.errors import InputError, must_be, raise_problems

if TYPE_CHECKING:
    import pandas as pd
else:  # imported on first use: `colonykit whitespace` reads without pandas (issue 25)
    pd = lazy_module("pandas")

#: Units a memory series can carry (``frame.attrs["unit"]``).
MEMORY_UNITS: tuple[str, ...] = ("mem_mib", "mem_pct")

#: Canonical trace column (see :func:`colonykit.frames.canonical_column`) -> (unit, MiB per value).
#: In order of preference when a file has several.
MEMORY_COLUMNS: dict[str, tuple[str, float]] = {
    "mem_mib": ("mem_mib", 1.0),
    "mem_used_mib": ("mem_mib", 1.0),
    "memory_used_mib": ("mem_mib", 1.0),
    "mem_mb": (
        "mem_mib",
        1.0,
    ),  # Bitbrains as prepared in ../shared/data: "Memory usage [KB]" / 1024
    "memory_usage_kb": ("mem_mib", 1.0 / 1024.0),  # raw Bitbrains GWA-T-12 "Memory usage [KB]"
    "mem_kib": ("mem_mib", 1.0 / 1024.0),
    "mem_kb": ("mem_mib", 1.0 / 1024.0),
    "mem_gib": ("mem_mib", 1024.0),
    "mem_pct": ("mem_pct", 1.0),
    "mem_used_pct": ("mem_pct", 1.0),
    "memory_pct": ("mem_pct", 1.0),
    "mem_util_pct": ("mem_pct", 1.0),
    "memory_usage_pct": ("mem_pct", 1.0),
}


def memory_column(columns: list[str], unit: str | None = None) -> tuple[str, str, float]:
    """The memory-use column of a long trace: (column, unit, MiB per value).

    Parameters
    ----------
    columns : list of str
        Canonical column names of the file.
    unit : {'mem_mib', 'mem_pct'}, optional
        Take only a column in this unit.

    Raises
    ------
    InputError
        No memory column.

    Examples
    --------
    >>> memory_column(["vm", "timestamp", "memory_usage_kb"])
    ('memory_usage_kb', 'mem_mib', 0.0009765625)
    """
    for name, (u, factor) in MEMORY_COLUMNS.items():
        if name in columns and (unit is None or u == unit):
            return name, u, factor
    msg = (
        f"no memory-use column (got columns {columns}); a memory series needs one of "
        f"{list(MEMORY_COLUMNS)}"
    )
    raise InputError(msg)


def _memory_frame(
    path: Path, host: str, stamps: pd.DatetimeIndex, used_mib: np.ndarray, fmt: str, rule: str
) -> tuple[pd.DataFrame, dict[str, Any]]:
    problems = [
        must_be("mem_mib", ">= 0", float(used_mib[i]), f"{path} sample {i + 1}")
        for i in np.flatnonzero(~np.isfinite(used_mib) | (used_mib < -0.5))[:50]
    ]
    problems += [
        must_be("timestamp", "a valid time", "NaT", f"{path} sample {i + 1}")
        for i in np.flatnonzero(stamps.isna())[:50]
    ]
    raise_problems(problems, f"invalid {fmt} file {path}")
    frame = pd.DataFrame(
        {host: np.maximum(used_mib, 0.0)}, index=pd.DatetimeIndex(stamps, name="timestamp")
    )
    frame.columns.name = "server"
    frame = frame[~frame.index.duplicated(keep="last")].sort_index()
    diffs = np.diff(pd.DatetimeIndex(frame.index).as_unit("ns").asi8) / 1e9
    interval_s = float(np.median(diffs)) if len(diffs) else float("nan")
    frame.attrs = {"unit": "mem_mib", "interval_s": interval_s}
    return frame, {
        "source": str(path),
        "format": fmt,
        "host": host,
        "samples": len(frame),
        "interval_s": interval_s,
        "busy_rule": rule,
    }


def read_nmon_memory(path: str | Path, *, tz: str = "UTC") -> tuple[pd.DataFrame, dict[str, Any]]:
    """Memory use [MiB] of an nmon file (Linux ``MEM``, AIX ``MEM`` + ``MEMNEW``; module doc rule).

    Parameters
    ----------
    path : str or Path
        The nmon file.
    tz : str, default 'UTC'
        Time zone of the snapshot times (the index is UTC).

    Examples
    --------
    >>> f, m = read_nmon_memory("data/monitor_samples/nmon_aix_aixlpar_2016-02-10.nmon")
    >>> m["busy_rule"]
    '(Process% + System%) / 100 x Real total(MB) (MEMNEW, MEM)'
    """
    from colonykit.ingest import monitors

    # the shared snapshot parser: host (captures of different hosts refused), segments of
    # concatenated captures, ZZZZ times keyed "<segment>/<T-number>"
    p, text, host, segment, times = monitors._nmon_snapshots(path)

    def block(tag: str) -> tuple[list[str], pd.DataFrame, np.ndarray]:
        """The block's header, its data rows and each data row's snapshot key."""
        sel = text.str.startswith(f"{tag},")
        rows = text[sel].str.split(",", expand=True)
        if len(rows) == 0:
            return [], rows, np.zeros(0, dtype=object)
        is_data = rows[1].str.match(r"T\d+$").to_numpy(dtype=bool)
        heads = rows[~is_data]
        head = [str(h).strip() for h in heads.iloc[0].tolist()] if len(heads) else []
        data = rows[is_data]
        keys = (
            segment[sel][is_data].astype(str).to_numpy()
            + "/"
            + data[1].str.strip().to_numpy().astype(str)
        )
        return head, data, keys

    head, mem, mem_keys = block("MEM")
    if not len(mem):
        msg = f"{p}: no MEM lines (nmon memory block)"
        raise InputError(msg)

    def col(h: list[str], d: pd.DataFrame, name: str) -> np.ndarray:
        return pd.to_numeric(d[h.index(name)], errors="coerce").to_numpy(dtype=float)

    if {"memtotal", "memfree", "cached", "buffers"} <= set(head):
        used = (
            col(head, mem, "memtotal")
            - col(head, mem, "memfree")
            - col(head, mem, "cached")
            - col(head, mem, "buffers")
        )
        rule = "memtotal - memfree - cached - buffers (MEM)"
        keys = mem_keys
    else:
        nhead, new, new_keys = block("MEMNEW")
        if "Real total(MB)" not in head or not {"Process%", "System%"} <= set(nhead):
            msg = f"{p}: MEM header has neither memtotal/memfree/cached/buffers nor an AIX MEMNEW block"
            raise InputError(msg)
        total = pd.Series(col(head, mem, "Real total(MB)"), index=mem_keys)
        total = total[~total.index.duplicated(keep="last")]
        keys = new_keys
        share = (col(nhead, new, "Process%") + col(nhead, new, "System%")) / 100.0
        used = share * total.reindex(keys).to_numpy(dtype=float)
        rule = "(Process% + System%) / 100 x Real total(MB) (MEMNEW, MEM)"
    stamps = times.reindex(keys)
    idx = monitors._localize(pd.Series(stamps.to_numpy()), tz)
    return _memory_frame(p, host, idx, used, "nmon", rule)


def _sysstat_used_kib(cols: list[str], values: pd.DataFrame) -> tuple[np.ndarray, str]:
    def num(name: str) -> np.ndarray:
        return pd.to_numeric(values[name], errors="coerce").to_numpy(dtype=float)

    if "kbavail" in cols:
        return num("kbmemused"), "kbmemused (sysstat with kbavail: buffers and cache excluded)"
    return (
        num("kbmemused") - num("kbbuffers") - num("kbcached"),
        "kbmemused - kbbuffers - kbcached (sysstat without kbavail)",
    )


def read_sadf_memory(path: str | Path, *, tz: str = "UTC") -> tuple[pd.DataFrame, dict[str, Any]]:
    """Memory use [MiB] from the ``kbmemfree`` block of ``sadf -d`` output (module doc rule).

    Parameters
    ----------
    path : str or Path
        The ``sadf -d`` output (with ``-- -r`` or ``-- -A``).
    tz : str, default 'UTC'
        Time zone of timestamps without one.

    Examples
    --------
    >>> f, m = read_sadf_memory("data/monitor_samples/sadf-d_profrouter_2020-05-02.csv")
    >>> round(float(f.iloc[0, 0]) * 1024)  # kbmemused of the first row
    146640
    """
    from colonykit.ingest import monitors

    p, lines = monitors._lines(path)
    text = lines.astype(str)
    is_hdr = text.str.startswith("#")
    mem_hdr = is_hdr & text.str.contains(";kbmemfree;", regex=False)
    if not mem_hdr.any():
        msg = f"{p}: no memory block (a '# hostname;…;kbmemfree;…' header) — export with 'sadf -d FILE -- -r'"
        raise InputError(msg)
    block = is_hdr.cumsum()
    cols = [c.strip() for c in text[mem_hdr].iloc[0].lstrip("#").strip().split(";")]
    rows = text[(block == block[mem_hdr].iloc[0]) & ~is_hdr & (text.str.strip() != "")]
    parts = rows.str.split(";", expand=True).iloc[:, : len(cols)]
    parts.columns = cols
    used, rule = _sysstat_used_kib(cols, parts)
    stamp_text = parts["timestamp"].str.strip()
    stamps = pd.to_datetime(stamp_text.str.replace(" UTC", "", regex=False), errors="coerce")
    idx = pd.DatetimeIndex(stamps)
    idx = (
        idx.tz_localize("UTC")
        if bool(stamp_text.str.endswith(" UTC").all())
        else monitors._localize(stamps, tz)
    )
    host = str(parts.iloc[0, 0]).strip()
    return _memory_frame(p, host, idx, used / 1024.0, "sadf", rule)


def read_sar_memory(path: str | Path, *, tz: str = "UTC") -> tuple[pd.DataFrame, dict[str, Any]]:
    """Memory use [MiB] from the ``kbmemfree`` section of ``sar -r`` / ``sar -A`` text (module doc rule).

    Parameters
    ----------
    path : str or Path
        The ``sar`` text output.
    tz : str, default 'UTC'
        Time zone of the times.

    Examples
    --------
    >>> f, m = read_sar_memory("data/monitor_samples/sar-A_rhel5_4cpu_2011-03-24.txt")
    >>> round(float(f.iloc[0, 0]) * 1024)  # 52900284 - 173652 - 49413124 KiB
    3313508
    """
    from colonykit.ingest import monitors

    cpu, meta = monitors.read_sar(path, tz=tz)  # header, date and host as the CPU reader
    p, lines = monitors._lines(path)
    text = lines.astype(str)
    parts = text.str.extract(rf"^{monitors._TIME_RE}\s+(\S+)\s*(.*)$")
    parts.columns = ["time", "ampm", "first", "rest"]
    has_time = parts["time"].notna()
    first = parts["first"].fillna("")
    is_num = first.str.match(r"^[-+]?\d+(\.\d+)?$")
    hdr = has_time & (first == "kbmemfree")
    if not hdr.any():
        msg = f"{p}: no memory section (a header line with kbmemfree …) — run sar -r or sar -A"
        raise InputError(msg)
    section = (has_time & ~is_num).cumsum()
    cols = ["kbmemfree", *parts.loc[hdr[hdr].index[0], "rest"].split()]
    rows = parts[has_time & is_num & section.isin(set(section[hdr].tolist()))]
    vals = pd.concat([rows["first"], rows["rest"].str.split(expand=True)], axis=1)
    vals = vals.iloc[:, : len(cols)]
    vals.columns = cols
    used, rule = _sysstat_used_kib(cols, vals)
    secs = pd.to_timedelta(rows["time"]).dt.total_seconds().to_numpy()
    ampm = rows["ampm"].fillna("").str.upper().to_numpy()
    secs = np.where((ampm == "PM") & (secs < 12 * 3600), secs + 12 * 3600, secs)
    secs = np.where((ampm == "AM") & (secs >= 12 * 3600), secs - 12 * 3600, secs)
    day = np.concatenate([[0], np.cumsum(np.diff(secs) < 0)])
    day0 = pd.DatetimeIndex(cpu.index).tz_convert("UTC")[0]
    first_local = pd.Timestamp(day0).tz_convert(tz).tz_localize(None).normalize()
    stamps = pd.Series(first_local + pd.to_timedelta(secs + day * 86400.0, unit="s"))
    idx = monitors._localize(stamps, tz)
    return _memory_frame(p, str(meta["host"]), idx, used / 1024.0, "sar", rule)


__all__ = [
    "MEMORY_COLUMNS",
    "MEMORY_UNITS",
    "memory_column",
    "read_nmon_memory",
    "read_sadf_memory",
    "read_sar_memory",
]
