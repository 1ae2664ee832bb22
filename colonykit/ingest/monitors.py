"""Readers for the monitoring files planners actually collect: sysstat and nmon.

Each reader returns ``(frame, metadata)``: a one-column wide demand frame (column =
host name, index = UTC ``DatetimeIndex`` named ``timestamp``, values = CPU busy %
of the whole host, ``attrs`` ``unit="cpu_pct"`` and ``interval_s`` = the median
sampling interval) and a dict (``source, format, host, samples, interval_s,
busy_rule, tz_assumption``).

Busy rules (the same ones used to compute the figures in
``data/monitor_samples/PROVENANCE.md``):

- sysstat (``sadf -d`` CSV, ``sar -A`` text): ``busy = 100 - %idle`` on the
  all-CPU rows (``CPU`` = ``-1`` or ``all``).  Works for both column sets
  (``%user … %system … %idle`` and ``%usr %nice %sys … %idle``).
- nmon: ``busy = User% + Sys%`` on ``CPU_ALL`` rows (``Wait%`` is idle time
  waiting for I/O), timestamped by the snapshot's ``ZZZZ`` line.

Times written without a zone (nmon, ``sar`` text, ``sadf`` without ``UTC``) are
taken to be in ``tz`` (default ``UTC``) and converted to UTC.

Examples
--------
>>> frame, meta = read_nmon("data/monitor_samples/nmon_fedora21_linux_2015-08-18.nmon")
>>> frame.shape, meta["host"], meta["interval_s"]
((47, 1), 'linux', 30.0)
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from colonykit.errors import InputError, must_be, raise_problems

_TIME_RE = r"(\d{1,2}:\d\d:\d\d)(?:\s+([AaPp][Mm]))?"


def _lines(path: str | Path) -> tuple[Path, pd.Series]:
    p = Path(path)
    if not p.is_file():
        msg = f"monitor file not found: {p}"
        raise InputError(msg)
    try:
        raw = gzip.open(p, "rb").read() if p.name.endswith(".gz") else p.read_bytes()
    except (OSError, EOFError) as exc:
        msg = f"cannot read monitor file {p}: {exc}"
        raise InputError(msg) from exc
    text = raw.decode("utf-8", errors="replace")
    if not text.strip():
        msg = f"monitor file {p} is empty"
        raise InputError(msg)
    lines = pd.Series(text.splitlines(), dtype=object)
    lines.index = np.arange(1, len(lines) + 1)  # 1-based line numbers
    return p, lines


#: A backward step of sar's clock longer than this starts the next day (midnight roll-over: 23:59
#: → 00:00 is a step of almost −24 h); a shorter one is a clock correction (e.g. an NTP step of
#: seconds), kept on the same day.  Half a day separates the two for any sampling interval.
SAR_ROLLOVER_S: float = 12 * 3600.0


def _number(col: pd.Series) -> pd.Series:
    """Numbers, with a decimal comma read as a point (sar under a locale such as de_DE)."""
    text = col.astype(str).str.strip()
    comma = text.str.fullmatch(r"[-+]?\d+,\d+")
    if comma.any():
        text = text.where(~comma, text.str.replace(",", ".", regex=False))
    return pd.to_numeric(text, errors="coerce")


def _localize(stamps: pd.Series, tz: str) -> pd.DatetimeIndex:
    idx = pd.DatetimeIndex(stamps)
    if idx.tz is None:
        try:
            idx = idx.tz_localize(tz, ambiguous="NaT", nonexistent="NaT")
        except Exception as exc:  # unknown zone name
            msg = must_be("tz", "a time zone name such as 'UTC' or 'Europe/Amsterdam'", tz)
            raise InputError(msg) from exc
    return idx.tz_convert("UTC")


def _finish(
    path: Path,
    host: str,
    stamps: pd.DatetimeIndex,
    busy: np.ndarray,
    fmt: str,
    rule: str,
    tz: str,
    line_no: np.ndarray,
) -> tuple[pd.DataFrame, dict[str, Any]]:
    problems: list[str] = []
    for i in np.flatnonzero(stamps.isna())[:50]:
        problems.append(
            must_be("timestamp", f"a valid local time in {tz}", "NaT", f"{path} line {line_no[i]}")
        )
    bad = np.flatnonzero(~np.isfinite(busy) | (busy < -0.5) | (busy > 100.5))
    for i in bad[:50]:
        problems.append(
            must_be("busy_pct", "a number in 0..100", busy[i], f"{path} line {line_no[i]}")
        )
    raise_problems(problems, f"invalid {fmt} file {path}")
    busy = np.clip(busy, 0.0, 100.0)
    frame = pd.DataFrame({host: busy}, index=pd.DatetimeIndex(stamps, name="timestamp"))
    frame.columns.name = "server"
    frame = frame[~frame.index.duplicated(keep="last")].sort_index()
    # int64 ns, not to_numpy(): a tz-aware index gives Timestamp objects there on pandas 2.2
    diffs = np.diff(pd.DatetimeIndex(frame.index).as_unit("ns").asi8) / 1e9
    interval_s = float(np.median(diffs)) if len(diffs) else float("nan")
    frame.attrs = {"unit": "cpu_pct", "interval_s": interval_s}
    meta = {
        "source": str(path),
        "format": fmt,
        "host": host,
        "samples": len(frame),
        "interval_s": interval_s,
        "busy_rule": rule,
        "tz_assumption": f"times without a zone taken as {tz}; index in UTC",
    }
    return frame, meta


def _need(found: bool, path: Path, what: str) -> None:
    if not found:
        msg = f"{path}: {what}"
        raise InputError(msg)


def read_sadf(
    path: str | Path, *, tz: str = "UTC", metric: str = "cpu"
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """CPU busy % from sysstat ``sadf -d`` output (semicolon CSV, any activity set).

    The CPU blocks are those whose ``# hostname;…`` header has ``CPU`` and ``%idle`` (every
    one of them: a file of several days has one per day); rows with ``CPU`` = ``-1`` (all CPUs)
    give ``busy = 100 - %idle``.

    Parameters
    ----------
    path : str or Path
        The ``sadf -d`` output.
    tz : str, default 'UTC'
        Time zone of timestamps without one (the index is UTC).
    metric : {'cpu', 'memory', 'io'}, default 'cpu'
        ``memory``: memory use [MiB] instead (:mod:`colonykit.ingest.memory_series`); ``io``:
        disk I/O rate (sysstat only, :mod:`colonykit.ingest.io_series`).

    Examples
    --------
    >>> frame, meta = read_sadf("data/monitor_samples/sadf-d_sun_2023-08-05.csv")
    >>> meta["samples"], round(float(frame["sun"].max()), 2)
    (143, 1.25)
    """
    if metric == "memory":
        from colonykit.ingest import memory_series

        return memory_series.read_sadf_memory(path, tz=tz)
    if metric == "io":
        from colonykit.ingest import io_series

        return io_series.read_sadf_io(path, tz=tz)
    p, lines = _lines(path)
    text = lines.astype(str)
    is_hdr = text.str.startswith("#")
    cpu_hdr = (
        is_hdr & text.str.contains(";CPU;", regex=False) & text.str.contains(";%idle", regex=False)
    )
    _need(
        bool(cpu_hdr.any()),
        p,
        "no CPU block (a '# hostname;interval;timestamp;CPU;…;%idle' "
        "header) — export with 'sadf -d FILE -- -u' or '-- -A'",
    )
    block = is_hdr.cumsum()
    header = text[cpu_hdr].iloc[0].lstrip("#").strip().split(";")
    cols = [c.strip() for c in header]
    _need(
        {"CPU", "%idle", "timestamp"} <= set(cols) and len(set(cols)) == len(cols),
        p,
        f"the CPU block header {';'.join(cols)[:80]!r} lacks CPU, timestamp or %idle fields",
    )
    # every CPU block (sadf writes one per file day or per restart), not only the first
    cpu_blocks = set(block[cpu_hdr].tolist())
    heads = {h.lstrip("#").strip() for h in text[cpu_hdr]}
    if len(heads) > 1:
        _need(False, p, f"CPU blocks with different headers ({sorted(heads)[:2]})")
    rows = text[block.isin(cpu_blocks) & ~is_hdr & (text.str.strip() != "")]
    parts = rows.str.split(";", expand=True)
    if parts.shape[1] < len(cols):
        _need(False, p, f"CPU rows have fewer fields than the header {cols}")
    parts = parts.iloc[:, : len(cols)]
    parts.columns = cols
    all_cpu = parts["CPU"].str.strip().isin(["-1", "all"])
    parts = parts[all_cpu]
    _need(len(parts) > 0, p, "no all-CPU rows (CPU = -1) in the CPU block")
    idle = _number(parts["%idle"]).to_numpy(dtype=float)
    stamp_text = parts["timestamp"].str.strip()
    has_utc = stamp_text.str.endswith(" UTC")
    stamps = pd.to_datetime(stamp_text.str.replace(" UTC", "", regex=False), errors="coerce")
    idx = pd.DatetimeIndex(stamps)
    idx = idx.tz_localize("UTC") if bool(has_utc.all()) else _localize(stamps, tz)
    host = str(parts["# hostname"].iloc[0] if "# hostname" in parts else parts.iloc[0, 0]).strip()
    return _finish(
        p, host, idx, 100.0 - idle, "sadf", "100 - %idle (CPU -1)", tz, parts.index.to_numpy()
    )


def _nmon_snapshots(path: str | Path) -> tuple[Path, pd.Series, str, pd.Series, pd.Series]:
    """An nmon file's lines, host, segment per line and snapshot times (shared by the readers).

    Concatenated captures (``cat day1.nmon day2.nmon``): each ``AAA,progname`` starts a segment
    whose snapshot numbers T0001… restart, so a snapshot is keyed ``"<segment>/<T-number>"``;
    ``times`` maps that key to the ``ZZZZ`` line's time (naive).  Captures of different hosts
    are refused.
    """
    p, lines = _lines(path)
    text = lines.astype(str)
    _need(
        bool(text.iloc[0].startswith("AAA,")),
        p,
        "not an nmon file (line 1 does not start with 'AAA,')",
    )
    host_line = text[text.str.startswith("AAA,host,")]
    hosts = {h.split(",", 2)[2].strip() for h in host_line}
    _need(len(hosts) <= 1, p, f"concatenated nmon captures of different hosts {sorted(hosts)[:3]}")
    host = host_line.iloc[0].split(",", 2)[2].strip() if len(host_line) else p.stem
    segment = text.str.startswith("AAA,progname").cumsum()
    is_zz = text.str.startswith("ZZZZ,")
    zz = text[is_zz].str.split(",", expand=True)
    _need(len(zz) > 0 and zz.shape[1] >= 4, p, "no ZZZZ snapshot time lines")
    when = pd.to_datetime(
        zz[2].str.strip() + " " + zz[3].str.strip(), format="%H:%M:%S %d-%b-%Y", errors="coerce"
    )
    zz_key = segment[is_zz].astype(str).to_numpy() + "/" + zz[1].str.strip().to_numpy()
    times = pd.Series(when.to_numpy(), index=zz_key)
    times = times[~times.index.duplicated(keep="last")]
    return p, text, host, segment, times


def read_nmon(
    path: str | Path, *, tz: str = "UTC", metric: str = "cpu"
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """CPU busy % (``User% + Sys%`` of ``CPU_ALL``) from an nmon / topas_nmon file.

    Parameters
    ----------
    path : str or Path
        The nmon file.
    tz : str, default 'UTC'
        Time zone of timestamps without one (the index is UTC).
    metric : {'cpu', 'memory', 'io'}, default 'cpu'
        ``memory``: memory use [MiB] instead (:mod:`colonykit.ingest.memory_series`); ``io``:
        disk I/O rate (``DISKXFER``, :func:`colonykit.ingest.io_series.read_nmon_io`).

    Examples
    --------
    >>> frame, meta = read_nmon("data/monitor_samples/nmon_centos66_oms_63_2015-11-10.nmon")
    >>> meta["host"], meta["samples"], meta["interval_s"]
    ('oms_63', 80, 60.0)
    """
    if metric == "memory":
        from colonykit.ingest import memory_series

        return memory_series.read_nmon_memory(path, tz=tz)
    if metric == "io":
        from colonykit.ingest import io_series

        return io_series.read_nmon_io(path, tz=tz)
    p, text, host, segment, times = _nmon_snapshots(path)
    is_cpu = text.str.startswith("CPU_ALL,")
    cpu = text[is_cpu]
    _need(len(cpu) > 0, p, "no CPU_ALL lines")
    fields = cpu.str.split(",", expand=True)
    is_data = fields[1].str.match(r"T\d+$")
    head = [f.strip() for f in fields[~is_data].iloc[0].tolist()] if (~is_data).any() else []
    _need("User%" in head and "Sys%" in head, p, "CPU_ALL header without User% and Sys%")
    data = fields[is_data]
    _need(len(data) > 0, p, "no CPU_ALL data lines")
    user = pd.to_numeric(data[head.index("User%")], errors="coerce").to_numpy(dtype=float)
    sys_ = pd.to_numeric(data[head.index("Sys%")], errors="coerce").to_numpy(dtype=float)
    cpu_key = segment[is_cpu][is_data.to_numpy()].astype(str).to_numpy() + "/"
    stamps = times.reindex(cpu_key + data[1].str.strip().to_numpy())
    idx = _localize(pd.Series(stamps.to_numpy()), tz)
    frame, meta = _finish(
        p, host, idx, user + sys_, "nmon", "User% + Sys% (CPU_ALL)", tz, data.index.to_numpy()
    )
    meta["segments"] = int(segment.max()) if len(segment) else 1
    lpar = _aix_lpar(text)
    if lpar is not None:
        meta["lpar"] = lpar
        meta["notes"] = [lpar["note"]]
        frame.attrs["notes"] = [lpar["note"]]
    return frame, meta


def _aix_lpar(text: pd.Series) -> dict[str, Any] | None:
    """The AIX LPAR section's entitlement, stated (issue 24 root cause 5), or None."""
    lpar = text[text.str.startswith("LPAR,")]
    if lpar.empty:
        return None
    fields = lpar.str.split(",", expand=True)
    is_data = fields[1].str.match(r"T\d+$")
    if (~is_data).sum() == 0 or is_data.sum() == 0:
        return None
    head = [str(f).strip() for f in fields[~is_data].iloc[0].tolist()]
    data = fields[is_data]

    def col(name: str) -> np.ndarray | None:
        if name not in head:
            return None
        return pd.to_numeric(data[head.index(name)], errors="coerce").to_numpy(dtype=float)

    shared, capped, ent = col("SharedCPU"), col("Capped"), col("entitled")
    phys, vcpu = col("PhysicalCPU"), col("virtualCPUs")
    if shared is None or ent is None or not np.nanmax(shared) >= 1:
        return None
    entitled = float(np.nanmedian(ent))
    peak_phys = float(np.nanmax(phys)) if phys is not None else float("nan")
    vps = float(np.nanmedian(vcpu)) if vcpu is not None else float("nan")
    uncapped = capped is not None and np.nanmax(capped) < 1
    note = (
        f"AIX shared-processor LPAR ({'uncapped' if uncapped else 'capped'}, entitlement "
        f"{entitled:g} processors, {vps:g} virtual processors): CPU_ALL busy % is of the LPAR's "
        f"logical CPUs, not of its entitlement; it used up to {peak_phys:g} physical processors "
        "(LPAR PhysicalCPU). Size it from the physical processors consumed (give its capacity "
        "as the entitlement or the peak physical processors), not from busy % × all cores."
    )
    return {
        "shared": True,
        "capped": not uncapped,
        "entitled_processors": entitled,
        "virtual_processors": vps,
        "physical_processors_peak": peak_phys,
        "note": note,
    }


def read_sar(
    path: str | Path, *, tz: str = "UTC", metric: str = "cpu"
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """CPU busy % (``100 - %idle`` on ``all`` rows) from ``sar`` / ``sar -A`` text output.

    The date comes from the first line (``Linux … (host) MM/DD/YY …``); a time more than
    ``SAR_ROLLOVER_S`` (12 h) earlier than the previous sample starts the next day (a
    shorter backward step is a clock correction).  12-hour times (``AM/PM``) and decimal
    commas (``1,25``, sar under a de_DE locale) are accepted.

    Parameters
    ----------
    path : str or Path
        The ``sar`` text output.
    tz : str, default 'UTC'
        Time zone of timestamps without one (the index is UTC).
    metric : {'cpu', 'memory', 'io'}, default 'cpu'
        ``memory``: memory use [MiB] instead (:mod:`colonykit.ingest.memory_series`); ``io``:
        disk I/O rate (sysstat only, :mod:`colonykit.ingest.io_series`).

    Examples
    --------
    >>> frame, meta = read_sar("data/monitor_samples/sar-A_rhel5_4cpu_2011-03-24.txt")
    >>> meta["host"], meta["samples"], meta["interval_s"]
    ('apst.jp.omron.net', 128, 10.0)
    """
    if metric == "memory":
        from colonykit.ingest import memory_series

        return memory_series.read_sar_memory(path, tz=tz)
    if metric == "io":
        from colonykit.ingest import io_series

        return io_series.read_sar_io(path, tz=tz)
    p, lines = _lines(path)
    text = lines.astype(str)
    first = text.iloc[0]
    m = re.match(r"^\S+\s+\S+\s+\(([^)]*)\)\s+(\S+)", first)
    _need(m is not None, p, "line 1 is not a sar header ('Linux <kernel> (<host>) <date> …')")
    assert m is not None
    host, date_text = m.group(1), m.group(2)
    day0 = None
    for fmt in ("%m/%d/%y", "%m/%d/%Y", "%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y"):
        day0 = pd.to_datetime(date_text, format=fmt, errors="coerce")
        if not pd.isna(day0):
            break
    _need(
        day0 is not None and not pd.isna(day0), p, f"cannot read the date {date_text!r} in line 1"
    )
    parts = text.str.extract(rf"^{_TIME_RE}\s+(\S+)\s*(.*)$")
    parts.columns = ["time", "ampm", "first", "rest"]
    has_time = parts["time"].notna()
    first_tok = parts["first"].fillna("")
    numeric_first = first_tok.str.match(r"^[-+]?\d+([.,]\d+)?$")
    is_hdr = has_time & ~numeric_first & (first_tok != "all")
    section = is_hdr.cumsum()
    cpu_hdr = (
        is_hdr & (first_tok == "CPU") & parts["rest"].fillna("").str.contains("%idle", regex=False)
    )
    _need(bool(cpu_hdr.any()), p, "no CPU section (a header line with CPU … %idle)")
    cpu_sections = set(section[cpu_hdr].tolist())
    cols = ["CPU", *parts.loc[cpu_hdr[cpu_hdr].index[0], "rest"].split()]
    _need("%idle" in cols, p, "the CPU section header has no %idle field")
    rows = parts[has_time & (first_tok == "all") & section.isin(cpu_sections)]
    _need(len(rows) > 0, p, "no 'all' rows in the CPU section")
    values = rows["rest"].str.split(expand=True)
    idle = _number(values[cols.index("%idle") - 1]).to_numpy(dtype=float)
    secs = pd.to_timedelta(rows["time"]).dt.total_seconds().to_numpy()
    ampm = rows["ampm"].fillna("").str.upper().to_numpy()
    secs = np.where((ampm == "PM") & (secs < 12 * 3600), secs + 12 * 3600, secs)
    secs = np.where((ampm == "AM") & (secs >= 12 * 3600), secs - 12 * 3600, secs)
    # a new day only on a large backward step (midnight), not on a clock correction
    day = np.concatenate([[0], np.cumsum(np.diff(secs) < -SAR_ROLLOVER_S)])
    assert isinstance(day0, pd.Timestamp)  # _need refused a missing date
    stamps = pd.Series(day0 + pd.to_timedelta(secs + day * 86400.0, unit="s"))
    idx = _localize(stamps, tz)
    return _finish(
        p, host, idx, 100.0 - idle, "sar", "100 - %idle (CPU all)", tz, rows.index.to_numpy()
    )


__all__ = [
    "read_sadf",
    "read_nmon",
    "read_sar",
]
