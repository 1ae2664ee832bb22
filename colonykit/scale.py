"""Scale-out of the composite analysis with Dask (traces bigger than memory).

The in-memory path (:func:`colonykit.whitespace.analyze`) needs the whole wide
frame in RAM; 10,000 servers × 30 days × 1-minute samples (432 M values) does
not fit on a laptop.  Here the *long* table (``server, timestamp|step, value``,
many Parquet or CSV files) stays a ``dask.dataframe`` and only the reductions
come back:

- per server: ``sum``, ``count``, ``max`` (one ``groupby("server")`` aggregation)
  and optionally the spike percentile (``groupby(...).apply`` = a shuffle);
- the composite: ``groupby(time).sum()`` — one value per step.

On Parquet files without a percentile or an interval (the common case) there is no
``dask.dataframe`` at all: one ``dask.delayed`` task per file reads it with Arrow and reduces it
with numpy (per-server sum, count and max over the dictionary codes; the composite per time
step), and the small partials are combined here (issue 25: no pandas partition per file, no
shuffle; the default scheduler runs as threads without importing ``distributed``).

Both are handed to :func:`colonykit.whitespace.from_stats`, the same function the
in-memory path uses, so the figures are derived identically.  For traces on a
complete common grid (every server has every step; ``read_traces`` fills gaps in
memory, the Dask path does not) the results equal the in-memory ones; with
``interval`` the samples are first averaged within each interval (the same
``mean`` rule as :func:`colonykit.ingest.read_traces`).

Dask is optional: ``pip install colonykit[scale]``.  Any client works — a
``distributed.LocalCluster`` (see :func:`local_client`) or a remote cluster; with
no client the default Dask scheduler runs in this process.

Examples
--------
>>> from colonykit import scale
>>> r = scale.analyze_dask("tests/data/traces/many_long")
>>> r.servers, r.sum_of_peaks, r.composite_peak
(2, 27.0, 27.0)
"""

from __future__ import annotations

import glob
import importlib.util
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from colonykit._optional import require
from colonykit.errors import InputError
from colonykit.frames import (
    VALUE_PREFERENCE,
    canonical_column,
    parse_interval,
    step_seconds_default,
)
from colonykit.units import DEMAND_UNITS as UNITS
from colonykit.whitespace import WhiteSpaceResult, from_stats, resolve_parameters


def _dd() -> Any:
    return require("dask.dataframe", extra="scale", purpose="the Dask path")


def local_client(
    n_workers: int = 1,
    threads_per_worker: int = 2,
    memory_limit: str = "2GiB",
    processes: bool = False,
) -> Any:
    """A ``distributed.Client`` on a fresh ``LocalCluster`` of its own (close the client when
    done: that also stops the cluster).

    ``processes=False`` keeps the workers as threads of this process (cheap to
    start; good for tests and one machine).

    Parameters
    ----------
    n_workers : int, default 1
        Workers of the cluster.
    threads_per_worker : int, default 2
        Threads per worker.
    memory_limit : str, default '2GiB'
        Memory limit per worker (Dask's notation).
    processes : bool, default False
        Workers as processes instead of threads of this process.
    """
    distributed = require("distributed", extra="scale", purpose="the Dask path")
    # the client starts the LocalCluster itself, so closing the client also stops the cluster
    # (a cluster left running kept its threads and hung a later default-scheduler computation)
    return distributed.Client(
        n_workers=n_workers,
        threads_per_worker=threads_per_worker,
        memory_limit=memory_limit,
        processes=processes,
        dashboard_address=None,
    )


def _files(source: str | Path | Sequence[str | Path]) -> list[str]:
    if isinstance(source, str | Path):
        p = Path(source)
        if p.is_dir():
            found = sorted(
                str(q)
                for q in p.iterdir()
                if q.is_file()
                and (
                    q.name.endswith((".parquet", ".pq", ".csv", ".csv.gz"))
                    and not q.name.startswith(("manifest", "."))
                    and not q.name.endswith(("_vms.csv", "_vms.csv.gz"))
                )
            )
        else:
            found = sorted(glob.glob(str(p))) if any(c in str(p) for c in "*?[") else [str(p)]
    else:
        found = [str(x) for x in source]
    if not found:
        msg = f"no Parquet/CSV trace files found at {source}"
        raise InputError(msg)
    missing = [f for f in found if not Path(f).is_file()]
    if missing:
        msg = f"trace file not found: {missing[0]}"
        raise InputError(msg)
    return found


def read_long_dask(
    source: str | Path | Sequence[str | Path] | Any, *, blocksize: str | None = "64MB"
) -> Any:
    """A lazy long ``dask.dataframe`` with canonical column names.

    ``source`` is a directory, a glob, a list of Parquet/CSV files, or an existing
    dask/pandas DataFrame.  Header spellings are mapped with
    :data:`colonykit.ingest.traces.COLUMN_MAP` (``vm`` -> ``server``,
    ``cpu_avg_pct`` -> ``cpu_pct`` …).

    Parameters
    ----------
    source : str, Path, sequence of them, or DataFrame
        A directory, a glob, a list of Parquet/CSV files, or a dask/pandas DataFrame.
    blocksize : str or None, default '64MB'
        Partition size for plain CSV files (``dask.dataframe.read_csv``); ``None``: one per file
        (gzip files are always read whole).
    """
    dd = _dd()
    if isinstance(source, pd.DataFrame):
        ddf = dd.from_pandas(source, npartitions=max(1, min(8, len(source) // 100_000 + 1)))
    elif hasattr(source, "dask") and hasattr(source, "npartitions"):
        ddf = source
    else:
        files = _files(source)
        if all(f.endswith((".parquet", ".pq")) for f in files):
            ddf = dd.read_parquet(files)
        elif all(f.endswith((".csv", ".csv.gz")) for f in files):
            header = pd.read_csv(files[0], nrows=0).columns
            as_text = {c: "object" for c in header if canonical_column(c) == "server"}
            gz = [f for f in files if f.endswith(".gz")]
            plain = [f for f in files if not f.endswith(".gz")]
            parts = []
            if plain:
                parts.append(dd.read_csv(plain, blocksize=blocksize, dtype=as_text))
            if gz:  # gzip cannot be split: one partition per file
                parts.append(dd.read_csv(gz, blocksize=None, compression="gzip", dtype=as_text))
            ddf = parts[0] if len(parts) == 1 else dd.concat(parts)
        else:
            msg = f"mix Parquet and CSV files in one Dask read is not supported: {files[:3]}"
            raise InputError(msg)
    return ddf.rename(columns={c: canonical_column(c) for c in ddf.columns})


def _part_reduce(path: str, unit: str | None) -> tuple[Any, ...] | None:
    """One Parquet file reduced with Arrow: per-server sum, count, max and per-time sum.

    None when the file needs the general path (time stored as text, a missing or NaN value,
    a missing server or time, a column missing).
    """
    pa = require("pyarrow", extra="parquet", purpose="the Dask path on Parquet files")
    pq = require("pyarrow.parquet", extra="parquet", purpose="the Dask path on Parquet files")
    pc = require("pyarrow.compute", extra="parquet", purpose="the Dask path on Parquet files")
    pfile = pq.ParquetFile(path)
    raw = {canonical_column(c): c for c in pfile.schema_arrow.names}
    tcol = "timestamp" if "timestamp" in raw else ("step" if "step" in raw else None)
    vcol = unit if unit in raw else next((c for c in VALUE_PREFERENCE if c in raw), None)
    if "server" not in raw or tcol is None or vcol is None:
        return None
    tab = pfile.read(columns=[raw["server"], raw[tcol], raw[vcol]], use_threads=False)
    srv, t, v = tab.column(0), tab.column(1), tab.column(2)
    t_type = t.type
    if pa.types.is_timestamp(t_type) and t_type.unit in ("s", "ms", "us", "ns"):
        t = t.cast(pa.int64())
    elif not pa.types.is_integer(t_type):
        return None  # stamps as text: parsed by the general path
    if not (pa.types.is_floating(v.type) or pa.types.is_integer(v.type)):
        return None
    v = pc.cast(v, pa.float64())
    if srv.null_count or t.null_count or v.null_count or pc.any(pc.is_nan(v)).as_py():
        return None
    if not pa.types.is_dictionary(srv.type):
        srv = pc.dictionary_encode(srv)
    chunks = srv.chunks
    one_dictionary = bool(chunks) and all(
        c.dictionary.equals(chunks[0].dictionary) for c in chunks[1:]
    )
    if one_dictionary and pc.count_distinct(chunks[0].dictionary).as_py() != len(
        chunks[0].dictionary
    ):
        one_dictionary = False  # names repeated in the dictionary: mapped name by name below
    if one_dictionary:
        # one dictionary (a writer's usual case): the codes are its indices, and only the names
        # of the codes present are turned into text (a file may carry every server's name)
        code = np.concatenate(
            [np.asarray(c.indices.to_numpy(zero_copy_only=False)) for c in chunks]
        )
        per_code = np.bincount(code, minlength=len(chunks[0].dictionary))
        present = np.flatnonzero(per_code)
        n_per_server = per_code[present].astype(np.float64)
        lut = np.full(len(chunks[0].dictionary), -1, dtype=np.int64)
        lut[present] = np.arange(present.size)
        code = lut[code]
        names = {str(n): i for i, n in enumerate(chunks[0].dictionary.take(present).to_pylist())}
    else:  # one code per server name across differing row-group dictionaries
        names = {}
        code_parts = []
        for chunk in chunks:
            lut = np.asarray(
                [names.setdefault(str(n), len(names)) for n in chunk.dictionary.to_pylist()],
                dtype=np.int64,
            )
            code_parts.append(lut[np.asarray(chunk.indices.to_numpy(zero_copy_only=False))])
        code = np.concatenate(code_parts) if code_parts else np.zeros(0, dtype=np.int64)
        n_per_server = np.bincount(code, minlength=len(names)).astype(np.float64)
    val = np.asarray(v.to_numpy(), dtype=np.float64)
    n_srv = len(names)
    counts = n_per_server
    per_ns = 1
    if pa.types.is_timestamp(t_type):  # stamps as stored (int64 in the column's unit, no copy)
        per_ns = {"s": 1_000_000_000, "ms": 1_000_000, "us": 1_000, "ns": 1}[t_type.unit]
    ti = np.asarray(t.to_numpy(), dtype=np.int64)
    peaks = np.full(n_srv, -np.inf)
    grouped = bool(code.size) and bool(np.all(code[1:] >= code[:-1]))
    if grouped:
        starts = np.flatnonzero(np.r_[True, code[1:] != code[:-1]])
        n_t = code.size // starts.size
        if n_t * starts.size == code.size and bool(np.all(np.diff(starts) == n_t)):
            # every server of the file has the same steps in the same order (a block of
            # servers as written by a tool): reduce the (servers, steps) matrix by axis
            m, tt = val.reshape(-1, n_t), ti.reshape(-1, n_t)
            order = np.argsort(tt[0], kind="stable")
            t_row = tt[0][order]
            if bool(np.all(tt == tt[0])) and bool(np.all(np.diff(t_row) > 0)):
                sums = np.zeros(n_srv)
                sums[code[starts]] = m.sum(axis=1)
                peaks[code[starts]] = m.max(axis=1)
                return (
                    list(names),
                    sums,
                    counts,
                    peaks,
                    t_row * per_ns,
                    m.sum(axis=0)[order],
                    vcol,
                    tcol,
                )
        peaks[code[starts]] = np.maximum.reduceat(val, starts)
    else:
        np.maximum.at(peaks, code, val)
    times, comp = _sum_by_time(ti, val)
    sums_any = np.bincount(code, weights=val, minlength=n_srv)
    return list(names), sums_any, counts, peaks, times * per_ns, comp, vcol, tcol


def _sum_by_time(t: np.ndarray, val: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sum of ``val`` per distinct ``t`` (sorted): on a regular grid by one division, else by sorting."""
    if not t.size:
        return t, val
    t0 = int(t.min())
    head = np.unique(t[: 1 << 16])
    step = int(np.diff(head).min()) if head.size > 1 else 1
    off, rest = np.divmod(t - t0, step)
    n_bins = int(off.max()) + 1
    if not rest.any() and n_bins <= 4 * t.size:
        comp = np.bincount(off, weights=val, minlength=n_bins)
        used = np.bincount(off, minlength=n_bins) > 0
        return (t0 + step * np.flatnonzero(used)).astype(np.int64), comp[used]
    times, inv = np.unique(t, return_inverse=True)
    return times, np.bincount(inv, weights=val, minlength=times.size)


def _parquet_parts_dask(
    source: Any, unit: str | None, client: Any
) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, str, bool] | None:
    """The Dask path on Parquet files without a shuffle: one task per file reduces it with Arrow
    (:func:`_part_reduce`), and the few partial sums are combined here.

    No ``dask.dataframe``: no pandas partition per file and no groupby shuffle; the per-server
    and per-time partials of the files are small (servers and steps), so they come back to this
    process.  None when the source is not a list of Parquet files or a file needs the general
    path.
    """
    if not isinstance(source, str | Path | list | tuple):
        return None
    files = _files(source)
    if not all(f.endswith((".parquet", ".pq")) for f in files):
        return None
    if importlib.util.find_spec("pyarrow") is None:
        return None
    dask = require("dask", extra="scale", purpose="the Dask path")
    todo = [dask.delayed(_part_reduce)(f, unit) for f in files]
    if client is not None:
        parts = client.compute(todo, sync=True)
    elif "distributed" in sys.modules:  # an active client, if any, runs it (as dask.compute)
        parts = dask.compute(*todo)
    else:  # no client can exist: the threaded scheduler, without importing distributed (0.5 s)
        parts = dask.compute(*todo, scheduler=require("dask.threaded", extra="scale").get)
    if any(p is None for p in parts) or len({(p[6], p[7]) for p in parts}) != 1:
        return None
    names_all = np.asarray([n for p in parts for n in p[0]], dtype=object)
    if not names_all.size:
        return None
    names, inv = np.unique(names_all.astype(str), return_inverse=True)
    sums = np.bincount(inv, weights=np.concatenate([p[1] for p in parts]), minlength=names.size)
    counts = np.bincount(inv, weights=np.concatenate([p[2] for p in parts]), minlength=names.size)
    peaks = np.full(names.size, -np.inf)
    np.maximum.at(peaks, inv, np.concatenate([p[3] for p in parts]))
    times, t_inv = np.unique(np.concatenate([p[4] for p in parts]), return_inverse=True)
    comp = np.bincount(t_inv, weights=np.concatenate([p[5] for p in parts]), minlength=times.size)
    vcol, tcol = parts[0][6], parts[0][7]
    return [str(n) for n in names], sums, counts, peaks, times, comp, vcol, tcol == "timestamp"


def analyze_dask(
    source: str | Path | Sequence[str | Path] | Any,
    headroom_pct: float | None = None,
    *,
    unit: str | None = None,
    interval: str | float | None = None,
    step_s: float | None = None,
    spikes: bool = False,
    percentile: float | None = None,
    configured: float | pd.Series | Mapping[str, float] | None = None,
    idle_util_peak_pct: float | None = None,
    client: Any = None,
) -> WhiteSpaceResult:
    """Composite / white-space analysis of long traces with Dask.

    Parameters
    ----------
    source : path, glob, list of files, or DataFrame
        Long traces: ``server``, ``timestamp`` or ``step`` and a value column
        (``mips``, ``cpu_mhz`` or ``cpu_pct``; spellings mapped as in ``read_traces``).
    headroom_pct, configured, idle_util_peak_pct, percentile
        As in :func:`colonykit.whitespace.analyze`.
    unit : str, optional
        Value column to use (default: ``mips`` > ``cpu_mhz`` > ``cpu_pct``).
    interval : str or float, optional
        Average samples within this interval first (``"5min"``, seconds).
    step_s : float, optional
        Seconds per ``step`` (only used with ``interval``; default 300).
    spikes : bool
        Also compute the per-server percentile (a shuffle; off by default).  Without it (and
        without ``interval``) Parquet files are reduced one task per file with Arrow and numpy,
        without ``dask.dataframe`` (the general path takes over for text time stamps or missing
        values).
    client : distributed.Client, optional
        Run on this client (default: the active client or the local scheduler).

    Returns
    -------
    WhiteSpaceResult
        Same fields as the in-memory result; ``composite`` is indexed by the time
        values (or interval bins) present in the data.
    """
    headroom_pct, percentile, idle_util_peak_pct = resolve_parameters(
        headroom_pct, percentile, idle_util_peak_pct
    )
    if unit is not None and unit not in UNITS:
        msg = f"unit must be one of {list(UNITS)} (got {unit!r})"
        raise InputError(msg)
    if not spikes and interval is None:
        fast = _parquet_parts_dask(source, unit, client)
        if fast is not None:
            names, sums, counts, peaks, times, comp, value_col, timed = fast
            index = (
                pd.DatetimeIndex(times.astype("datetime64[ns]"), name="timestamp").tz_localize(
                    "UTC"
                )
                if timed
                else pd.Index(times, name="step")
            )
            return from_stats(
                names,
                sums / counts,
                peaks,
                comp,
                index,
                unit=value_col,
                interval_s=(
                    float(np.median(np.diff(times)) / 1e9)
                    if timed and times.size > 1
                    else (float(step_s) if step_s is not None else step_seconds_default())
                ),
                steps=int(times.size),
                headroom_pct=headroom_pct,
                configured=configured,
                percentile=percentile,
                idle_util_peak_pct=idle_util_peak_pct,
            )
    ddf = read_long_dask(source)
    cols = list(ddf.columns)
    if "server" not in cols:
        msg = f"{source}: missing column 'server' (got {cols})"
        raise InputError(msg)
    tcol = "timestamp" if "timestamp" in cols else ("step" if "step" in cols else None)
    if tcol is None:
        msg = f"{source}: missing column 'timestamp' or 'step' (got {cols})"
        raise InputError(msg)
    if unit is not None and unit not in UNITS:
        msg = f"unit must be one of {list(UNITS)} (got {unit!r})"
        raise InputError(msg)
    vcol = unit if unit in cols else next((c for c in VALUE_PREFERENCE if c in cols), None)
    if vcol is None:
        msg = f"{source}: missing value column (got {cols}); need one of {list(VALUE_PREFERENCE)}"
        raise InputError(msg)
    dd = _dd()
    data = ddf[["server", tcol, vcol]].rename(columns={tcol: "t", vcol: "v"})
    if not isinstance(data["server"].dtype, pd.CategoricalDtype):
        # names as text; a Parquet dictionary column stays categorical (codes, no string per row)
        data["server"] = data["server"].astype(str)
    interval_s = float("nan")
    if tcol == "timestamp" and not (
        isinstance(data["t"].dtype, pd.DatetimeTZDtype) and str(data["t"].dtype.tz) == "UTC"
    ):
        data["t"] = dd.to_datetime(data["t"], utc=True)
    else:
        interval_s = float(step_s) if step_s is not None else step_seconds_default()
    grid_s = parse_interval(interval)
    if grid_s is not None:
        if tcol == "timestamp":
            data["t"] = data["t"].dt.floor(pd.Timedelta(seconds=grid_s))
        else:
            k = grid_s / interval_s
            if abs(k - round(k)) > 1e-9 or round(k) < 1:
                msg = f"'interval' must be a whole multiple of the step length {interval_s:g} s"
                raise InputError(msg)
            data["t"] = data["t"] // round(k)
        data = data.groupby(["server", "t"])["v"].mean().reset_index()
        interval_s = grid_s

    t_unit = None
    if tcol == "timestamp":  # group the composite on integer times (hashing datetimes costs more)
        t_unit = str(getattr(data["t"].dtype, "unit", "ns"))
        data["t"] = data["t"].astype("int64")
    per = data.groupby("server", observed=True)["v"].agg(["sum", "count", "max"])
    comp = data.groupby("t")["v"].sum()
    todo = [per, comp]
    if spikes:
        q = percentile / 100.0
        pct = data.groupby("server", observed=True)["v"].apply(
            lambda s: float(np.quantile(s.to_numpy(dtype=float), q)), meta=("v", "f8")
        )
        todo.append(pct)
    if client is not None:
        results = client.compute(todo, sync=True)
    else:
        results = require("dask", extra="scale", purpose="the Dask path").compute(*todo)
    per_df, comp_s = results[0].sort_index(), results[1].sort_index()
    if t_unit is not None:
        stamps = np.asarray(comp_s.index, dtype=np.int64).astype(f"datetime64[{t_unit}]")
        comp_s.index = pd.DatetimeIndex(stamps).tz_localize("UTC")
    if len(per_df) == 0:
        msg = f"{source}: no samples"
        raise InputError(msg)
    if per_df["count"].isna().any() or comp_s.isna().any():  # pragma: no cover - defensive
        msg = f"{source}: missing values after reduction"
        raise InputError(msg)
    names = [str(s) for s in per_df.index]
    p_arr = results[2].reindex(per_df.index).to_numpy(dtype=float) if spikes else None
    if tcol == "timestamp" and grid_s is None and len(comp_s) > 1:
        interval_s = float(
            np.median(np.diff(pd.DatetimeIndex(comp_s.index).as_unit("ns").asi8) / 1e9)
        )
    steps = len(comp_s)
    index = pd.Index(comp_s.index, name="timestamp" if tcol == "timestamp" else "step")
    the_unit = vcol
    return from_stats(
        names,
        per_df["sum"].to_numpy(dtype=float) / per_df["count"].to_numpy(dtype=float),
        per_df["max"].to_numpy(dtype=float),
        comp_s.to_numpy(dtype=float),
        index,
        p=p_arr,
        unit=the_unit,
        interval_s=interval_s,
        steps=steps,
        headroom_pct=headroom_pct,
        configured=configured,
        percentile=percentile,
        idle_util_peak_pct=idle_util_peak_pct,
    )


def series_names(source: str | Path | Sequence[str | Path] | Any) -> list[str]:
    """The distinct server (series) names of long traces, for matching an inventory.

    Parameters
    ----------
    source : str, Path, sequence of them, or DataFrame
        Long traces (see :func:`read_long_dask`).

    Examples
    --------
    >>> series_names("tests/data/traces/many_long")
    ['a', 'b']
    """
    ddf = read_long_dask(source)
    if "server" not in ddf.columns:
        msg = f"{source}: missing column 'server' (got {list(ddf.columns)})"
        raise InputError(msg)
    return sorted(str(s) for s in ddf["server"].astype(str).unique().compute())


def measured_dask(
    source: str | Path | Sequence[str | Path] | Any,
    inventory: pd.DataFrame,
    sizing_res: Any,
    assignment: pd.DataFrame,
    *,
    statistic: str = "peak",
    client: Any = None,
) -> Any:
    """The measured colony's composite (:func:`colonykit.measured.measured_sizing`) with Dask.

    Each series is weighted by the MIPS per percentage point of every inventory
    instance that uses it (``assignment`` from :func:`colonykit.ingest.join.match_series`
    on :func:`series_names`), so only per-series maxima and one composite per time step
    come back.  Unmatched instances add their flat ``util_peak_pct`` series.  Traces must
    be on a complete common grid (absolute alignment, no gaps): the Dask path neither
    fills nor folds, and equals the in-memory path on such data.

    Parameters
    ----------
    source : str, Path, sequence of them, or DataFrame
        Long traces: a directory, a glob, Parquet/CSV files, or a dask/pandas DataFrame
        (see :func:`read_long_dask`).
    inventory : pandas.DataFrame
        The validated inventory.
    sizing_res : SizingResult
        Its sizing (:func:`colonykit.sizing.size_inventory`).
    assignment : pandas.DataFrame
        Which series each inventory instance uses (:func:`colonykit.ingest.join.match_series`).
    statistic : {'peak', 'p95'}, default 'peak'
        The composite statistic the engines are sized on.
    client : distributed.Client, optional
        Run on this client (default: the active client or the local scheduler).

    Returns
    -------
    colonykit.measured.MeasuredSizing
        With an empty ``guest_mips`` (no per-guest series are brought back).
    """
    from colonykit import measured, sizing

    ddf = read_long_dask(source)
    cols = list(ddf.columns)
    tcol = "timestamp" if "timestamp" in cols else ("step" if "step" in cols else None)
    vcol = next((c for c in ("cpu_pct", "cpu_mhz") if c in cols), None)
    if "server" not in cols or tcol is None or vcol is None:
        msg = f"{source}: measured sizing needs columns server, timestamp|step and cpu_pct|cpu_mhz (got {cols})"
        raise InputError(msg)
    inst = assignment.copy()
    factors = measured.mips_per_pct(sizing_res)
    factors = factors[~factors.index.duplicated()]
    f = factors.loc[list(inst["server"].astype(str))].to_numpy(float)  # instances × bounds
    if vcol == "cpu_mhz":
        mhz_s = measured.capacity_mhz(inventory)
        mhz = mhz_s[~mhz_s.index.duplicated()].reindex(inst["server"].astype(str)).to_numpy(float)
        matched = (inst["series"] != "").to_numpy()
        if (matched & ~(np.isfinite(mhz) & (mhz > 0))).any():
            msg = "traces are in cpu_mhz but a matched server has no clock capacity (mhz/ghz units)"
            raise InputError(msg)
        f = np.where(matched[:, None], f * 100.0 / np.where(matched, mhz, 1.0)[:, None], f)
    bounds = list(sizing.BOUNDS)
    weights = pd.DataFrame(f, columns=bounds)
    weights["series"] = inst["series"].astype(str).to_numpy()
    have = weights["series"] != ""
    per_series = weights[have].groupby("series")[bounds].sum()
    inv = inventory.set_index(inventory["server"].astype(str))
    flat_pct = inv.loc[
        list(inst.loc[~have.to_numpy(), "server"].astype(str)), "util_peak_pct"
    ].to_numpy(float)
    flat = (f[~have.to_numpy()] * flat_pct[:, None]).sum(axis=0)
    data = ddf[["server", tcol, vcol]].rename(columns={tcol: "t", vcol: "v"})
    data["server"] = data["server"].astype(str)
    data = data[data["server"].isin(list(per_series.index))]
    w = per_series.reset_index().rename(columns={"series": "server"})
    data = data.merge(w, on="server", how="inner")
    for b in bounds:
        data[b] = data[b] * data["v"]
    peaks = data.groupby("server")["v"].max()
    comp = data.groupby("t")[bounds].sum()
    if client is not None:
        peaks, comp = client.compute([peaks, comp], sync=True)
    else:
        peaks, comp = require("dask", extra="scale", purpose="the Dask path").compute(peaks, comp)
    comp = comp.sort_index()
    series_peak = pd.Series(peaks).reindex(inst["series"].astype(str)).to_numpy(float)
    n_guests = len(inst)
    uplift = float(sizing_res.servers["nway16_uplift_frac"].min())
    matched = have.to_numpy()
    inst_peak = f * np.nan_to_num(series_peak)[:, None]
    inst_peak[~matched] = f[~matched] * flat_pct[:, None]
    out = measured.bound_figures(
        {b: comp[b].to_numpy(float) + flat[j] for j, b in enumerate(bounds)},
        {b: inst_peak[:, j] for j, b in enumerate(bounds)},
        sizing_res,
        n_guests,
        uplift,
        statistic,
    )
    by_server = inst.groupby("server", sort=False)["series"]
    return measured.MeasuredSizing(
        guest_mips=pd.DataFrame(),
        instances=inst.assign(peak_mips=inst_peak[:, 1]),
        statistic=statistic,
        uplift_frac=uplift,
        **out,
        servers_matched=[str(s) for s, g in by_server if (g != "").all()],
        servers_unmatched=[str(s) for s, g in by_server if (g == "").any()],
        notes=["Dask path: absolute time alignment on the traces' own grid (no fill, no fold)."],
    )


#: Bytes of one block's ``(steps, servers)`` float64 matrix in :func:`analyze_blocks` (the
#: out-of-core path's working set is about this plus one block's Arrow columns).  Tuning only.
BLOCK_MATRIX_BYTES: int = 256 << 20


def analyze_blocks(
    source: str | Path | Sequence[str | Path],
    headroom_pct: float | None = None,
    *,
    unit: str | None = None,
    spikes: bool = True,
    percentile: float | None = None,
    configured: float | pd.Series | Mapping[str, float] | None = None,
    idle_util_peak_pct: float | None = None,
    servers_per_block: int | None = None,
) -> WhiteSpaceResult:
    """Composite / white-space analysis of long traces larger than memory, on one machine.

    The long table (``server, timestamp|step, value`` in Parquet or CSV files) is read as an
    Arrow dataset, one block of servers at a time (a filter on the server column, so a file
    sorted by server reads each row group once): the composite is a sum over servers, and the
    peak, mean and exact percentile are per server, so each block adds its part of the
    composite and fills its servers' statistics, and only one block's matrix is in memory.
    The figures are derived by :func:`colonykit.whitespace.from_stats`, as in memory: on traces
    that cover their common time steps completely they equal
    :func:`colonykit.whitespace.analyze` of the wide frame (tested).  Like the Dask path, no
    gap is filled: a server's mean and percentile are over its samples present.

    Parameters
    ----------
    source : str, Path or sequence of them
        A Parquet/CSV file, a directory or glob of them, or a list.
    headroom_pct, configured, idle_util_peak_pct, percentile
        As in :func:`colonykit.whitespace.analyze`.
    unit : str, optional
        Value column to use (default: ``mips`` > ``cpu_mhz`` > ``cpu_pct``).
    spikes : bool, default True
        Also compute the per-server percentile (exact, by selection).
    servers_per_block : int, optional
        Servers per block (default: as many as fit ``BLOCK_MATRIX_BYTES``).

    Returns
    -------
    WhiteSpaceResult
        Same fields as the in-memory result; ``composite`` is indexed by the time values
        present in the data.

    Raises
    ------
    InputError
        Missing columns, no samples, mixed Parquet and CSV files.

    Examples
    --------
    >>> r = analyze_blocks("tests/data/traces/many_long", servers_per_block=1)
    >>> r.servers, r.sum_of_peaks, r.composite_peak
    (2, 27.0, 27.0)
    """
    from colonykit.whitespace import fused_pass

    pa = require("pyarrow", extra="parquet", purpose="the out-of-core Arrow path")
    ds = require("pyarrow.dataset", extra="parquet", purpose="the out-of-core Arrow path")
    pc = require("pyarrow.compute", extra="parquet", purpose="the out-of-core Arrow path")
    headroom_pct, percentile, idle_util_peak_pct = resolve_parameters(
        headroom_pct, percentile, idle_util_peak_pct
    )
    files = _files(source)
    if all(f.endswith((".parquet", ".pq")) for f in files):
        dataset = ds.dataset(files, format="parquet")
    elif all(f.endswith((".csv", ".csv.gz")) for f in files):
        dataset = ds.dataset(files, format="csv")  # .gz decompressed by its extension
    else:
        msg = f"analyze_blocks reads Parquet or CSV files, not a mix: {files[:3]}"
        raise InputError(msg)
    raw = {canonical_column(c): c for c in dataset.schema.names}
    if "server" not in raw:
        msg = f"{source}: missing column 'server' (got {dataset.schema.names})"
        raise InputError(msg)
    tcol = "timestamp" if "timestamp" in raw else ("step" if "step" in raw else None)
    if tcol is None:
        msg = f"{source}: missing column 'timestamp' or 'step' (got {dataset.schema.names})"
        raise InputError(msg)
    if unit is not None and unit not in UNITS:
        msg = f"unit must be one of {list(UNITS)} (got {unit!r})"
        raise InputError(msg)
    vcol = unit if unit in raw else next((c for c in VALUE_PREFERENCE if c in raw), None)
    if vcol is None:
        msg = f"{source}: missing value column (got {dataset.schema.names})"
        raise InputError(msg)
    s_raw, t_raw, v_raw = raw["server"], raw[tcol], raw[vcol]

    def as_int(col: Any) -> np.ndarray:
        if pa.types.is_timestamp(col.type):
            col = pc.cast(pc.cast(col, pa.timestamp("ns", tz=col.type.tz)), pa.int64())
        elif pa.types.is_string(col.type) or pa.types.is_large_string(col.type):
            col = pc.cast(
                pc.cast(
                    pc.strptime(col, format="%Y-%m-%dT%H:%M:%S", unit="ns"), pa.timestamp("ns")
                ),
                pa.int64(),
            )
        return np.asarray(col.to_numpy(zero_copy_only=False))

    # pass 1: the servers and the time steps (two columns only)
    names_tab = dataset.to_table(columns=[s_raw])
    server_col = names_tab.column(s_raw).combine_chunks()
    names_arr = pc.unique(
        server_col.dictionary if pa.types.is_dictionary(server_col.type) else server_col
    )
    names = sorted(str(x) for x in names_arr.to_pylist() if x is not None)
    del names_tab, server_col
    if not names:
        msg = f"{source}: no samples"
        raise InputError(msg)
    t_col = dataset.to_table(columns=[t_raw]).column(t_raw)
    times = np.sort(as_int(pc.unique(t_col.combine_chunks())))  # hashed, then the few sorted
    del t_col
    n_t = times.size
    per_block = servers_per_block or max(1, BLOCK_MATRIX_BYTES // max(1, n_t * 8))
    n_s = len(names)
    sums = np.zeros(n_s)
    counts = np.zeros(n_s)
    peaks = np.full(n_s, np.nan)
    pcts = np.full(n_s, np.nan)
    composite = np.zeros(n_t)
    # pass 2: one block of servers at a time
    for j in range(0, n_s, per_block):
        block = names[j : j + per_block]
        tab = dataset.to_table(
            columns=[s_raw, t_raw, v_raw], filter=pc.field(s_raw).isin(pa.array(block))
        )
        srv = tab.column(s_raw).combine_chunks()
        if pa.types.is_dictionary(srv.type):  # look up the dictionary, not every sample
            lut = pc.fill_null(pc.index_in(srv.dictionary, value_set=pa.array(block)), -1)
            lut = lut.to_numpy(zero_copy_only=False)
            code = np.asarray(lut)[np.asarray(srv.indices.to_numpy(zero_copy_only=False))]
        else:
            code = np.asarray(
                pc.index_in(srv, value_set=pa.array(block)).to_numpy(zero_copy_only=False)
            )
        row = np.searchsorted(times, as_int(tab.column(t_raw).combine_chunks()))
        val = np.asarray(tab.column(v_raw).combine_chunks().to_numpy(zero_copy_only=False), float)
        del tab, srv
        matrix = np.full((n_t, len(block)), np.nan)
        matrix[row, code] = val
        del row, code, val
        present = ~np.isnan(matrix)
        sl = slice(j, j + len(block))
        counts[sl] = present.sum(axis=0)
        complete = bool(present.all())
        if complete:
            st = fused_pass(matrix, (percentile,) if spikes else ())
            sums[sl], peaks[sl] = st.sums, st.peaks
            composite += st.composite
            if spikes:
                pcts[sl] = st.quantiles[float(percentile)]
        else:  # the samples present only (no filling, as the Dask path)
            sums[sl] = np.nansum(matrix, axis=0)
            peaks[sl] = np.nanmax(matrix, axis=0)
            composite += np.nansum(matrix, axis=1)
            if spikes:
                pcts[sl] = np.nanpercentile(matrix, percentile, axis=0)
        del matrix, present
    timed = tcol == "timestamp"
    index = (
        pd.DatetimeIndex(times, tz="UTC", name="timestamp")
        if timed
        else pd.Index(times, name="step")
    )
    interval_s = (
        float(np.median(np.diff(times)) / 1e9) if timed and n_t > 1 else step_seconds_default()
    )
    return from_stats(
        names,
        sums / counts,
        peaks,
        composite,
        index,
        p=pcts if spikes else None,
        unit=vcol,
        interval_s=interval_s,
        steps=n_t,
        headroom_pct=headroom_pct,
        configured=configured,
        percentile=percentile,
        idle_util_peak_pct=idle_util_peak_pct,
    )


__all__ = [
    "local_client",
    "read_long_dask",
    "analyze_dask",
    "analyze_blocks",
    "series_names",
    "measured_dask",
]
