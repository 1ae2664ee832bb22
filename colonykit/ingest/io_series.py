"""Disk I/O-rate columns and monitor blocks: what ``read_traces(..., metric="io")`` reads.

A server's measured I/O rate (I/O operations per second) decides its LPAR's share of the
colony's DASD I/O (issue 23; the plan's channel evidence).  Sources:

- long/wide CSV and Parquet: a column of :data:`IO_COLUMNS` (``io_rate_per_s``, ``iops``,
  ``disk_tps``);
- sysstat ``sar -b`` / ``sar -A`` text and ``sadf -d``: ``tps`` of the I/O block (transfers per
  second issued to physical devices).

Examples
--------
>>> frame, meta = read_sar_io("data/monitor_samples/sar-A_rhel5_4cpu_2011-03-24.txt")
>>> frame.attrs["unit"], meta["busy_rule"]
('io_per_s', 'tps (sar -b)')
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from colonykit.errors import InputError

#: Units an I/O series carries.
IO_UNITS: tuple[str, ...] = ("io_per_s",)

#: Canonical trace column -> (unit, factor), in order of preference.
IO_COLUMNS: dict[str, tuple[str, float]] = {
    "io_rate_per_s": ("io_per_s", 1.0),
    "io_per_s": ("io_per_s", 1.0),
    "iops": ("io_per_s", 1.0),
    "disk_tps": ("io_per_s", 1.0),
    "disk_io_per_s": ("io_per_s", 1.0),
}


def io_column(columns: list[str], unit: str | None = None) -> tuple[str, str, float]:
    """The I/O-rate column of a long trace: (column, unit, factor).

    Parameters
    ----------
    columns : list of str
        Canonical column names of the file.
    unit : {'io_per_s'}, optional
        Take only a column in this unit.

    Examples
    --------
    >>> io_column(["server", "step", "cpu_pct", "iops"])
    ('iops', 'io_per_s', 1.0)
    """
    for name, (u, factor) in IO_COLUMNS.items():
        if name in columns and (unit is None or u == unit):
            return name, u, factor
    msg = (
        f"no I/O-rate column (got columns {columns}); an I/O series needs one of {list(IO_COLUMNS)}"
    )
    raise InputError(msg)


def _frame(
    path: Path, host: str, stamps: pd.DatetimeIndex, rate: np.ndarray, fmt: str, rule: str
) -> tuple[pd.DataFrame, dict[str, Any]]:
    frame = pd.DataFrame(
        {host: np.maximum(np.nan_to_num(rate), 0.0)},
        index=pd.DatetimeIndex(stamps, name="timestamp"),
    )
    frame.columns.name = "server"
    frame = frame[~frame.index.duplicated(keep="last")].sort_index()
    diffs = np.diff(pd.DatetimeIndex(frame.index).as_unit("ns").asi8) / 1e9
    interval_s = float(np.median(diffs)) if len(diffs) else float("nan")
    frame.attrs = {"unit": "io_per_s", "interval_s": interval_s}
    meta = {"source": str(path), "format": fmt, "host": host, "samples": len(frame)}
    return frame, {**meta, "interval_s": interval_s, "busy_rule": rule}


def read_sar_io(path: str | Path, *, tz: str = "UTC") -> tuple[pd.DataFrame, dict[str, Any]]:
    """I/O rate [I/O per s] from the ``tps`` section of ``sar -b`` / ``sar -A`` text.

    Parameters
    ----------
    path : str or Path
        The ``sar`` text output.
    tz : str, default 'UTC'
        Time zone of the times.

    Examples
    --------
    >>> f, m = read_sar_io("data/monitor_samples/sar-A_rhel5_4cpu_2011-03-24.txt")
    >>> len(f) == m["samples"] > 0
    True
    """
    from colonykit.ingest import monitors

    cpu, meta = monitors.read_sar(path, tz=tz)  # header, date and host as the CPU reader
    p, lines = monitors._lines(path)
    parts = lines.astype(str).str.extract(rf"^{monitors._TIME_RE}\s+(\S+)\s*(.*)$")
    parts.columns = ["time", "ampm", "first", "rest"]
    has_time = parts["time"].notna()
    first = parts["first"].fillna("")
    is_num = first.str.match(r"^[-+]?\d+(\.\d+)?$")
    hdr = has_time & (first == "tps") & parts["rest"].fillna("").str.startswith("rtps")
    if not hdr.any():
        msg = f"{p}: no I/O section (a header line with tps rtps …) — run sar -b or sar -A"
        raise InputError(msg)
    section = (has_time & ~is_num).cumsum()
    rows = parts[has_time & is_num & section.isin(set(section[hdr].tolist()))]
    rate = pd.to_numeric(rows["first"], errors="coerce").to_numpy(dtype=float)
    secs = pd.to_timedelta(rows["time"]).dt.total_seconds().to_numpy()
    ampm = rows["ampm"].fillna("").str.upper().to_numpy()
    secs = np.where((ampm == "PM") & (secs < 12 * 3600), secs + 12 * 3600, secs)
    secs = np.where((ampm == "AM") & (secs >= 12 * 3600), secs - 12 * 3600, secs)
    day = np.concatenate([[0], np.cumsum(np.diff(secs) < 0)])
    day0 = pd.DatetimeIndex(cpu.index).tz_convert("UTC")[0]
    local0 = pd.Timestamp(day0).tz_convert(tz).tz_localize(None).normalize()
    stamps = pd.Series(local0 + pd.to_timedelta(secs + day * 86400.0, unit="s"))
    return _frame(p, str(meta["host"]), monitors._localize(stamps, tz), rate, "sar", "tps (sar -b)")


def read_sadf_io(path: str | Path, *, tz: str = "UTC") -> tuple[pd.DataFrame, dict[str, Any]]:
    """I/O rate [I/O per s] from the ``tps;rtps`` block of ``sadf -d`` output.

    Parameters
    ----------
    path : str or Path
        The ``sadf -d`` output (with ``-- -b`` or ``-- -A``).
    tz : str, default 'UTC'
        Time zone of timestamps without one.

    Examples
    --------
    >>> f, m = read_sadf_io("data/monitor_samples/sadf-d_sun_2023-08-05.csv")
    >>> m["busy_rule"], f.shape[1]
    ('tps (sadf -d, -b block)', 1)
    """
    from colonykit.ingest import monitors

    p, lines = monitors._lines(path)
    text = lines.astype(str)
    is_hdr = text.str.startswith("#")
    hdr = is_hdr & text.str.contains(";tps;rtps;", regex=False)
    if not hdr.any():
        msg = f"{p}: no I/O block (a '# hostname;…;tps;rtps;…' header) — export with 'sadf -d FILE -- -b'"
        raise InputError(msg)
    block = is_hdr.cumsum()
    cols = [c.strip() for c in text[hdr].iloc[0].lstrip("#").strip().split(";")]
    rows = text[(block == block[hdr].iloc[0]) & ~is_hdr & (text.str.strip() != "")]
    parts = rows.str.split(";", expand=True).iloc[:, : len(cols)]
    parts.columns = cols
    rate = pd.to_numeric(parts["tps"], errors="coerce").to_numpy(dtype=float)
    stamp_text = parts["timestamp"].str.strip()
    stamps = pd.to_datetime(stamp_text.str.replace(" UTC", "", regex=False), errors="coerce")
    idx = pd.DatetimeIndex(stamps)
    idx = (
        idx.tz_localize("UTC")
        if bool(stamp_text.str.endswith(" UTC").all())
        else monitors._localize(stamps, tz)
    )
    return _frame(p, str(parts.iloc[0, 0]).strip(), idx, rate, "sadf", "tps (sadf -d, -b block)")


__all__ = ["IO_COLUMNS", "IO_UNITS", "io_column", "read_sadf_io", "read_sar_io"]
