"""Disk I/O-rate columns and monitor blocks: what ``read_traces(..., metric="io")`` reads.

A server's measured I/O rate (I/O operations per second) decides its LPAR's share of the
colony's DASD I/O (issue 23; the plan's channel evidence).  Sources:

- long/wide CSV and Parquet: a column of :data:`IO_COLUMNS` (``io_rate_per_s``, ``iops``,
  ``disk_tps``);
- sysstat ``sar -b`` / ``sar -A`` text and ``sadf -d``: ``tps`` of the I/O block (transfers per
  second issued to physical devices);
- nmon / topas_nmon: ``DISKXFER`` (transfers per second per disk) summed over the physical
  whole disks (:func:`physical_disks`: Linux partitions such as ``sda1``, ``nvme0n1p1`` and the
  stacked ``dm-``, ``md``, ``loop`` devices are left out, so no transfer is counted twice),
  the nmon counterpart of ``sar -b`` ``tps``; ``DISKREAD`` / ``DISKWRITE`` (KB/s) of the same
  disks come with it (:func:`read_nmon_disk`).

Examples
--------
>>> frame, meta = read_sar_io("data/monitor_samples/sar-A_rhel5_4cpu_2011-03-24.txt")
>>> frame.attrs["unit"], meta["busy_rule"]
('io_per_s', 'tps (sar -b)')
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from colonykit._lazy import lazy_module
from colonykit.errors import InputError

if TYPE_CHECKING:
    import pandas as pd
else:  # imported on first use: `colonykit whitespace` reads without pandas (issue 25)
    pd = lazy_module("pandas")

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


#: Linux block devices stacked on physical disks (their transfers are the disks' too).
STACKED_DEVICE_PREFIXES: tuple[str, ...] = ("dm-", "md", "loop", "ram", "zram", "sr", "fd")


def physical_disks(names: list[str]) -> list[bool]:
    """Which nmon disk columns are physical whole disks (kept), not partitions or stacked devices.

    A partition is a name that is another listed disk's name plus digits when that name ends in
    a letter (``sda`` → ``sda1``, ``dasda`` → ``dasda1``), or plus ``p`` and digits when it ends
    in a digit (``nvme0n1`` → ``nvme0n1p1``, ``mmcblk0`` → ``mmcblk0p2``); AIX ``hdisk1`` and
    ``hdisk10`` are both disks.  Names starting with :data:`STACKED_DEVICE_PREFIXES` are left out.

    Parameters
    ----------
    names : list of str
        The disk names of an nmon ``DISK…`` header.

    Examples
    --------
    >>> physical_disks(["sda", "sda1", "dm-0", "nvme0n1", "nvme0n1p1", "hdisk1", "hdisk10"])
    [True, False, False, True, False, True, True]
    """
    have = set(names)
    out = []
    for n in names:
        stacked = any(
            n.startswith(pre) and n[len(pre) :].isdigit() for pre in STACKED_DEVICE_PREFIXES
        )
        part = any(
            n[:cut] in have
            and (
                (n[cut - 1].isalpha() and n[cut:].isdigit())
                or (n[cut - 1].isdigit() and n[cut] == "p" and n[cut + 1 :].isdigit())
            )
            for cut in range(1, len(n))  # every listed disk the name could extend
        )
        out.append(not (stacked or part))
    return out


def read_nmon_disk(path: str | Path, *, tz: str = "UTC") -> tuple[pd.DataFrame, dict[str, Any]]:
    """Disk transfers [per s] and read / write throughput [KB/s] of an nmon file, per snapshot.

    Sums of ``DISKXFER``, ``DISKREAD`` and ``DISKWRITE`` over the physical whole disks
    (:func:`physical_disks`), on the snapshot times of the ``ZZZZ`` lines.

    Parameters
    ----------
    path : str or Path
        The nmon file.
    tz : str, default 'UTC'
        Time zone of the snapshot times (the index is UTC).

    Returns
    -------
    frame : pandas.DataFrame
        Columns ``xfer_per_s``, ``read_kb_per_s``, ``write_kb_per_s`` (NaN when the block is
        absent), UTC time index.
    meta : dict
        ``source, format, host, samples, interval_s, disks, left_out``.

    Raises
    ------
    InputError
        No ``DISKXFER`` block, or no snapshot times.

    Examples
    --------
    >>> f, m = read_nmon_disk("data/monitor_samples/nmon_centos66_oms_63_2015-11-10.nmon")
    >>> m["disks"], m["left_out"], list(f.columns)
    (['sda'], ['sda1', 'sda2', 'sda3', 'dm-0'], ['xfer_per_s', 'read_kb_per_s', 'write_kb_per_s'])
    """
    from colonykit.ingest import monitors

    p, text, host, segment, times = monitors._nmon_snapshots(path)

    def block(tag: str) -> tuple[pd.Series, list[str], list[str]] | None:
        sel = text.str.startswith(f"{tag},")
        rows = text[sel].str.split(",", expand=True)
        if len(rows) == 0:
            return None
        is_data = rows[1].str.match(r"T\d+$")
        if (~is_data).sum() == 0 or is_data.sum() == 0:
            return None
        head = [str(h).strip() for h in rows[~is_data].iloc[0].tolist()[2:] if h is not None]
        keep = physical_disks(head)
        data = rows[is_data]
        cols = [2 + i for i, k in enumerate(keep) if k and 2 + i < data.shape[1]]
        values = data[cols].apply(pd.to_numeric, errors="coerce").fillna(0.0).sum(axis=1)
        key = segment[sel][is_data.to_numpy()].astype(str).to_numpy() + "/" + data[1].str.strip()
        series = pd.Series(values.to_numpy(dtype=float), index=key.to_numpy())
        series = series[~series.index.duplicated(keep="last")]
        disks = [h for h, k in zip(head, keep, strict=True) if k]
        return series, disks, [h for h, k in zip(head, keep, strict=True) if not k]

    xfer = block("DISKXFER")
    if xfer is None:
        msg = (
            f"{p}: no DISKXFER block (disk transfers per second); KB/s alone cannot give an "
            "I/O rate without the block size"
        )
        raise InputError(msg)
    rd, wr = block("DISKREAD"), block("DISKWRITE")
    stamps = times.reindex(xfer[0].index)
    frame = pd.DataFrame(
        {
            "xfer_per_s": xfer[0].to_numpy(),
            "read_kb_per_s": rd[0].reindex(xfer[0].index).to_numpy() if rd else np.nan,
            "write_kb_per_s": wr[0].reindex(xfer[0].index).to_numpy() if wr else np.nan,
        },
        index=monitors._localize(pd.Series(stamps.to_numpy()), tz),
    )
    frame = frame[frame.index.notna()]
    frame = frame[~frame.index.duplicated(keep="last")].sort_index()
    frame.index.name = "timestamp"
    diffs = np.diff(pd.DatetimeIndex(frame.index).as_unit("ns").asi8) / 1e9
    interval_s = float(np.median(diffs)) if len(diffs) else float("nan")
    meta = {
        "source": str(p),
        "format": "nmon",
        "host": host,
        "samples": len(frame),
        "interval_s": interval_s,
        "disks": xfer[1],
        "left_out": xfer[2],
    }
    return frame, meta


def read_nmon_io(path: str | Path, *, tz: str = "UTC") -> tuple[pd.DataFrame, dict[str, Any]]:
    """I/O rate [I/O per s] of an nmon file: ``DISKXFER`` summed over the physical whole disks.

    Parameters
    ----------
    path : str or Path
        The nmon file.
    tz : str, default 'UTC'
        Time zone of the snapshot times (the index is UTC).

    Examples
    --------
    >>> f, m = read_nmon_io("data/monitor_samples/nmon_aix_aixlpar_2016-02-10.nmon")
    >>> f.attrs["unit"], m["busy_rule"], len(m["disks"])
    ('io_per_s', 'DISKXFER summed over physical whole disks (nmon)', 8)
    """
    disk, meta = read_nmon_disk(path, tz=tz)
    frame, out = _frame(
        Path(meta["source"]),
        str(meta["host"]),
        pd.DatetimeIndex(disk.index),
        disk["xfer_per_s"].to_numpy(dtype=float),
        "nmon",
        "DISKXFER summed over physical whole disks (nmon)",
    )
    out["disks"] = meta["disks"]
    out["left_out"] = meta["left_out"]
    out["read_kb_per_s_mean"] = float(disk["read_kb_per_s"].mean())
    out["write_kb_per_s_mean"] = float(disk["write_kb_per_s"].mean())
    return frame, out


__all__ = [
    "IO_COLUMNS",
    "IO_UNITS",
    "STACKED_DEVICE_PREFIXES",
    "io_column",
    "physical_disks",
    "read_nmon_disk",
    "read_nmon_io",
    "read_sadf_io",
    "read_sar_io",
]
