"""Channel path load, paths needed, channel-type capacity and queueing delay.

Path demand (IBM, facts.md §4.2; seed 003 §8.10.3)::

    busy % = connect time [ms] × I/O rate [per s] ÷ 1000 × 100 = connect_ms × io_rate_per_s ÷ 10

Seed 003 §8.10.3: 14 ms × 54 I/O/s ≈ 75 % of one channel.  IBM's example:
4.5 ms × 1,200 I/O/s = 540 %, so at least 6 paths (11 to stay at IBM's advised
≤ 50 % per channel, constant ``channel_max_busy_pct``).

Queueing: the paths to a control unit are treated as an M/M/c system whose
service time is the connect time (the channel is held while data moves; seek and
rotation happen disconnected).  The wait for a free path comes from Erlang C,
computed for whole arrays at once; response = pend + disconnect + connect + wait.

Linux channel programs: the SSCH DASD driver chains up to 130 4-KiB blocks into
one I/O (seed 003 §8.10.3), so "an I/O is not an I/O": connect time grows with the
data moved, ``connect = overhead + blocks × ms per block`` (:func:`connect_ms_for_blocks`).

**Calibration (the seed's own hardware).**  The measured-connect law above is the primary
method; the connect time per block is fitted on the seed's measurements, not on ESCON's
nominal 17 MB/s, which is 3–4 × too optimistic for that hardware.  Hardware: an IBM 2064
(z900) with RVA control units emulating 3990-3E / 3390-9, on ESCON channels, z/VM 4.1–4.2
(seed 003 §8.10.2–8.10.3, ESAMON screens).  Measured points (:data:`CONNECT_MEASUREMENTS`):
record cache, 1 block per I/O, Conn 1.0 ms; track cache, one 12-block track per I/O, Conn
9.0 ms (§8.10.2); Linux SSCH chains of ~16 blocks (3–4 MB/s at 54 I/O/s ≈ 64 KB per I/O),
Conn 14 ms (§8.10.3).  A non-negative least-squares fit gives 0.830 ms per 4-KiB block and
no fixed overhead (4.93 MB/s while connected); per-point errors −17 %, +11 %, −5 %
(:func:`calibrate_connect`).  The seed's aggregate — channel busy "approaching 200 % (about
8 MB per second)" over 4 paths, i.e. about 4 MB/s per 100 % busy — is the ``escon``
row's measured rate in ``channel_types.csv`` used by :func:`channel_type_load`; the fit
predicts 162 % for 8 MB/s (−19 %).  Not covered: the §8.10.4 writes (30–45 ms for
multitrack writes "of up to 500 KB"; the blocks per write are not given, and with DASD
fast write a write may connect faster per block than a read).  Other channel types have no measured rate and fall back
to their nominal rate, flagged ``data_rate_basis='nominal'``.

Examples
--------
>>> from colonykit import channels
>>> float(channels.path_busy_pct(4.5, 1200))
540.0
>>> channels.paths_needed(540.0, 100), channels.paths_needed(540.0, 50)
(6, 11)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypedDict

import numpy as np
import numpy.typing as npt

from colonykit import reference
from colonykit._arrays import nonneg_array
from colonykit._dicts import DictMixin
from colonykit._lazy import lazy_module
from colonykit.errors import InputError, log_or_raise, must_be
from colonykit.units import PAGE_BYTES

#: Channel type the connect-time model uses by default: the seed's measurements were
#: made on ESCON-attached RVA control units (seed 003 §8.10; facts.md §2.2 "RVA on ESCON").
DEFAULT_CHANNEL_TYPE = "escon"
#: Bytes per MB in channel data rates (channel rates are decimal megabytes per second).
BYTES_PER_MB = 1_000_000
_EPS = 1e-9
#: Connect times the seed measured on its own hardware (2064 + RVA 3990-3E on ESCON):
#: (4-KiB blocks per I/O, connect ms, where).  The third point's block count is derived
#: from "one Linux server ... push about 3 to 4 MB per second" at 54 I/O/s (≈ 64 KB).
CONNECT_MEASUREMENTS: tuple[tuple[float, float, str], ...] = (
    (1.0, 1.0, "seed 003 §8.10.2 ESADSD2 11:07, record cache: 1 block per I/O, Conn 1.0 ms"),
    (
        12.0,
        9.0,
        "seed 003 §8.10.2 ESADSD2 11:00-11:01, track cache: one 12-block track per I/O, "
        "Conn 8.9-9.0 ms (18,000 vs 1,500 I/Os)",
    ),
    (
        16.0,
        14.0,
        "seed 003 §8.10.3 ESADSD2 17:21, Linux SSCH chains: 14 ms x 54 I/O/s; "
        "3-4 MB/s / 54 I/O/s = 64 KB = 16 blocks (derived)",
    ),
)

if TYPE_CHECKING:
    import pandas as pd
else:
    pd = lazy_module("pandas")


def _out(arr: np.ndarray) -> np.ndarray | float:
    return float(arr) if arr.ndim == 0 else arr


# --------------------------------------------------------------------------- path demand
def path_busy_pct(connect_ms: npt.ArrayLike, io_rate_per_s: npt.ArrayLike) -> np.ndarray | float:
    """Total channel path demand [% of one path] = connect_ms × io_rate_per_s ÷ 10.

    Parameters
    ----------
    connect_ms : array_like
        Connect time per I/O [ms].
    io_rate_per_s : array_like
        I/O rate [per second].

    Examples
    --------
    >>> round(path_busy_pct(14, 54), 1)  # seed 003 §8.10.3: "about 75% busy"
    75.6
    """
    c = nonneg_array("connect_ms", connect_ms)
    r = nonneg_array("io_rate_per_s", io_rate_per_s)
    return _out(c * r / 10.0)


def paths_needed(busy_pct: npt.ArrayLike, max_busy_pct: float | None = None) -> np.ndarray | int:
    """Fewest paths that keep each at or below ``max_busy_pct`` (at least 1).

    ``paths = max(1, ceil(busy_pct ÷ max_busy_pct))``; default 50 % (constant
    ``channel_max_busy_pct``, IBM).

    Parameters
    ----------
    busy_pct : array_like
        Total path demand [% of one path].
    max_busy_pct : float, optional
        Target maximum busy per path [%]; default constant ``channel_max_busy_pct`` (50).

    Examples
    --------
    >>> paths_needed(75.6)
    2
    >>> paths_needed([0, 50, 50.01], 50).tolist()
    [1, 1, 2]
    """
    limit = (
        reference.constant("channel_max_busy_pct") if max_busy_pct is None else float(max_busy_pct)
    )
    if not (math.isfinite(limit) and limit > 0):
        raise InputError(must_be("max_busy_pct", "> 0", max_busy_pct))
    b = nonneg_array("busy_pct", busy_pct)
    n = np.maximum(np.ceil(b / limit - _EPS), 1).astype(np.int64)
    return int(n) if n.ndim == 0 else n


def channel_bus_busy_pct(
    read_mb_per_s: npt.ArrayLike, write_mb_per_s: npt.ArrayLike, max_mb_per_s: npt.ArrayLike
) -> np.ndarray | float:
    """FICON channel bus-cycle busy [%] = (read + write) ÷ the channel's data-rate capacity × 100.

    What z/VM's FCX107/FCX215 "channel busy" reports for FICON is the channel card's busy, and
    IBM's worked example for a FICON Express16S+ moving 400 MB/s read + 600 MB/s write against
    3,200 MB/s is (400 + 600) / 3200 = 31.25 % (https://www.vm.ibm.com/perf/tips/chanbusy.html).

    Parameters
    ----------
    read_mb_per_s : array_like
        Data read through the channel [MB/s].
    write_mb_per_s : array_like
        Data written through the channel [MB/s].
    max_mb_per_s : array_like
        The channel's data-rate capacity [MB/s].

    Examples
    --------
    >>> channel_bus_busy_pct(400, 600, 3200)
    31.25
    """
    r = nonneg_array("read_mb_per_s", read_mb_per_s)
    w = nonneg_array("write_mb_per_s", write_mb_per_s)
    m = np.asarray(max_mb_per_s, dtype=float)
    if np.any(~np.isfinite(m) | (m <= 0)):
        raise InputError(must_be("max_mb_per_s", "> 0", m.tolist()))
    return _out((r + w) / m * 100.0)


# --------------------------------------------------------------------------- queueing
def erlang_c(servers: npt.ArrayLike, offered_erlangs: npt.ArrayLike) -> np.ndarray:
    """Probability that an arrival waits in an M/M/c queue (Erlang C), vectorized.

    ``offered_erlangs`` a = λ × S.  Computed with the stable Erlang-B recursion
    B(k) = a·B(k−1) ÷ (k + a·B(k−1)), then C = B ÷ (1 − ρ(1 − B)) with ρ = a ÷ c.
    Returns 1 where ρ >= 1 (the queue grows without bound).

    Parameters
    ----------
    servers : array_like
        Number of servers c (channel paths), >= 1.
    offered_erlangs : array_like
        Offered load a = arrival rate × service time [Erlang].

    Examples
    --------
    >>> round(float(erlang_c(1, 0.5)), 3)  # M/M/1: P(wait) = ρ
    0.5
    >>> round(float(erlang_c(2, 1.0)), 4)  # c=2, a=1: 1/3
    0.3333
    """
    c = np.asarray(servers, dtype=float)
    a = nonneg_array("offered_erlangs", offered_erlangs)
    if np.any((c < 1) | (c != np.round(c))):
        raise InputError(must_be("servers", "a whole number >= 1", c.tolist()))
    c, a = np.broadcast_arrays(c, a)
    b = np.ones(a.shape)
    for k in range(1, int(c.max()) + 1):  # loop over servers (paths), not samples
        step = a * b / (k + a * b)
        b = np.where(k <= c, step, b)
        if not np.any(b):  # underflowed to 0 everywhere: stays 0 for larger k
            break
    rho = a / c
    with np.errstate(divide="ignore", invalid="ignore"):
        p_wait = b / (1.0 - rho * (1.0 - b))
    return np.where(rho >= 1.0, 1.0, p_wait)


def mmc_wait_ms(
    service_ms: npt.ArrayLike, io_rate_per_s: npt.ArrayLike, servers: npt.ArrayLike
) -> np.ndarray:
    """Mean wait for a free server in M/M/c [ms]: C × S ÷ (c − a); ``inf`` when saturated.

    Parameters
    ----------
    service_ms : array_like
        Mean service time S [ms] (the connect time of one I/O).
    io_rate_per_s : array_like
        Arrival rate λ [I/O per second].
    servers : array_like
        Number of servers c (paths).

    Examples
    --------
    >>> round(float(mmc_wait_ms(10, 50, 1)), 2)  # ρ = 0.5: W = ρS/(1−ρ) = 10 ms
    10.0
    """
    s = nonneg_array("service_ms", service_ms)
    lam = nonneg_array("io_rate_per_s", io_rate_per_s)
    c = np.asarray(servers, dtype=float)
    a = lam * s / 1000.0
    pc = erlang_c(c, a)
    with np.errstate(divide="ignore", invalid="ignore"):
        wait = np.where(a < c, pc * s / (c - a), np.inf)
    return np.where(a == 0, 0.0, wait)


# --------------------------------------------------------------------------- Linux chains
def connect_ms_for_blocks(
    blocks_per_io: npt.ArrayLike,
    data_rate_mb_per_s: float | None = None,
    overhead_ms: float | None = None,
    block_bytes: int = PAGE_BYTES,
) -> np.ndarray | float:
    """Connect time of one I/O moving ``blocks_per_io`` 4-KiB blocks [ms].

    ``connect = overhead + blocks × 4096 B ÷ data rate``.  Defaults: the rate and overhead
    fitted on the seed's measured connect times (constants ``connect_effective_mb_per_s``,
    4.93 MB/s, and ``connect_overhead_ms``, 0; see :func:`calibrate_connect`).  Pass
    ``data_rate_mb_per_s`` for other hardware (a nominal link rate is optimistic).

    Parameters
    ----------
    blocks_per_io : array_like
        Blocks chained in one I/O.
    data_rate_mb_per_s : float, optional
        Effective data rate [MB/s]; default constant ``connect_effective_mb_per_s``.
    overhead_ms : float, optional
        Fixed connect time per I/O [ms]; default constant ``connect_overhead_ms``.
    block_bytes : int, default 4096
        Bytes per block.

    Examples
    --------
    >>> round(connect_ms_for_blocks(16), 1)  # seed 003 §8.10.3 measured 14 ms for ~16 blocks
    13.3
    >>> round(connect_ms_for_blocks(12), 1)  # one track (seed: 9.0 ms)
    10.0
    """
    rate = (
        reference.constant("connect_effective_mb_per_s")
        if data_rate_mb_per_s is None
        else float(data_rate_mb_per_s)
    )
    over = reference.constant("connect_overhead_ms") if overhead_ms is None else float(overhead_ms)
    if not (math.isfinite(rate) and rate > 0):
        raise InputError(must_be("data_rate_mb_per_s", "> 0", data_rate_mb_per_s))
    if not (math.isfinite(over) and over >= 0):
        raise InputError(must_be("overhead_ms", ">= 0", overhead_ms))
    blocks = nonneg_array("blocks_per_io", blocks_per_io)
    return _out(over + blocks * block_bytes / (rate * BYTES_PER_MB) * 1000.0)


def calibrate_connect(
    measurements: Sequence[tuple[float, float, str]] = CONNECT_MEASUREMENTS,
) -> tuple[float, float, pd.DataFrame]:
    """Fit ``connect_ms = overhead + blocks × ms_per_block`` on measured connect times (NNLS).

    Non-negative least squares (scipy) over (blocks, connect_ms) points; returns
    ``(overhead_ms, ms_per_block, frame)`` where the frame lists each point with its
    predicted value and ``error_pct``.  The bundled constants are this fit on the seed's
    points (:data:`CONNECT_MEASUREMENTS`).

    Parameters
    ----------
    measurements : sequence of (blocks, connect_ms, source)
        Measured connect times; default the seed's points (:data:`CONNECT_MEASUREMENTS`).

    Examples
    --------
    >>> over, per_block, f = calibrate_connect()
    >>> round(over, 3), round(per_block, 4), f["error_pct"].round(0).tolist()
    (0.0, 0.8304, [-17.0, 11.0, -5.0])
    """
    from scipy.optimize import nnls

    pts = np.asarray([(b, c) for b, c, _ in measurements], dtype=float)
    if pts.ndim != 2 or len(pts) < 2 or np.any(~np.isfinite(pts) | (pts <= 0)):
        raise InputError(
            must_be(
                "measurements",
                "at least two (blocks > 0, connect_ms > 0) points",
                list(measurements),
            )
        )
    design = np.c_[np.ones(len(pts)), pts[:, 0]]
    (over, per_block), _ = nnls(design, pts[:, 1])
    pred = over + per_block * pts[:, 0]
    frame = pd.DataFrame(
        {
            "blocks_per_io": pts[:, 0],
            "measured_connect_ms": pts[:, 1],
            "predicted_connect_ms": pred,
            "error_pct": (pred - pts[:, 1]) / pts[:, 1] * 100.0,
            "source": [m[2] for m in measurements],
        }
    )
    return float(over), float(per_block), frame


def chained_io_effect(
    io_rate_per_s: float,
    blocks_per_io: Sequence[int] | npt.ArrayLike | None = None,
    data_rate_mb_per_s: float | None = None,
    overhead_ms: float | None = None,
    max_busy_pct: float | None = None,
) -> pd.DataFrame:
    """How chaining more 4-KiB blocks per I/O raises connect time, path busy and paths needed.

    Parameters
    ----------
    io_rate_per_s : float
        I/O rate (channel programs per second) of the Linux guests.
    blocks_per_io : sequence of int, optional
        Chain lengths to show (default 1, 8, 16, 32, 64, 130; 130 = constant
        ``linux_max_chained_blocks``).
    data_rate_mb_per_s : float, optional
        Effective data rate [MB/s]; default constant ``connect_effective_mb_per_s``.
    overhead_ms : float, optional
        Fixed connect time per I/O [ms]; default constant ``connect_overhead_ms``.
    max_busy_pct : float, optional
        Target maximum busy per path [%]; default constant ``channel_max_busy_pct``.

    Returns
    -------
    DataFrame
        Columns ``blocks_per_io``, ``kib_per_io``, ``connect_ms``, ``busy_pct``,
        ``paths_needed``, ``max_io_rate_per_path_per_s`` (at ``max_busy_pct``).

    Examples
    --------
    >>> f = chained_io_effect(54, [1, 16])
    >>> f["paths_needed"].tolist()  # 16 blocks: 13.3 ms × 54/s = 72 % (the seed: "about 75 %")
    [1, 2]
    """
    if blocks_per_io is None:
        top = int(reference.constant("linux_max_chained_blocks"))
        blocks_per_io = [1, 8, 16, 32, 64, top]
    blocks = nonneg_array("blocks_per_io", blocks_per_io)
    limit = (
        reference.constant("channel_max_busy_pct") if max_busy_pct is None else float(max_busy_pct)
    )
    conn = np.asarray(connect_ms_for_blocks(blocks, data_rate_mb_per_s, overhead_ms))
    busy = np.asarray(path_busy_pct(conn, io_rate_per_s))
    return pd.DataFrame(
        {
            "blocks_per_io": blocks.astype(np.int64),
            "kib_per_io": blocks * PAGE_BYTES / 1024,
            "connect_ms": conn,
            "busy_pct": busy,
            "paths_needed": paths_needed(busy, limit),
            "max_io_rate_per_path_per_s": limit * 10.0 / conn,
        }
    )


# --------------------------------------------------------------------------- channel types
class ChannelCapacity(TypedDict):
    """One channel type's rated capacity (:func:`channel_capacity`).

    Attributes
    ----------
    data_rate_mb_per_s : float
        Rated data rate [MB/s] (may be NaN).
    io_rate_per_s : float
        Rated I/O rate [1/s] (may be NaN).
    source : str
        Where the rated figures come from.
    measured_mb_per_s_at_100pct : float
        Measured data rate at 100 % busy [MB/s] (NaN when the catalog has none).
    measured_source : str
        Where the measured figure comes from ("" without one).
    """

    data_rate_mb_per_s: float
    io_rate_per_s: float
    source: str
    measured_mb_per_s_at_100pct: float
    measured_source: str


def channel_capacity(channel_type: str, table: pd.DataFrame | None = None) -> ChannelCapacity:
    """MB/s and I/O/s of one channel of a type from the channel catalog (may be NaN).

    Parameters
    ----------
    channel_type : str
        A row of the channel catalog (``channel_types.csv``), e.g. ``"escon"``.
    table : pandas.DataFrame, optional
        A channel catalog with the same columns; default the bundled one.

    Examples
    --------
    >>> channel_capacity("escon")["io_rate_per_s"]
    2000.0
    """
    tab = reference.channel_types() if table is None else table
    row = reference.lookup(tab, channel_type, "channel type")
    measured = (
        float(row["measured_mb_per_s_at_100pct"])
        if "measured_mb_per_s_at_100pct" in row and pd.notna(row["measured_mb_per_s_at_100pct"])
        else math.nan
    )
    return {
        "data_rate_mb_per_s": float(row["data_rate_mb_per_s"]),
        "io_rate_per_s": float(row["io_rate_per_s"]),
        "source": str(row["source"]),
        "measured_mb_per_s_at_100pct": measured,
        "measured_source": str(row.get("measured_source", "")) if math.isfinite(measured) else "",
    }


def channel_type_load(
    io_rate_per_s: float,
    kib_per_io: float,
    channel_type: str,
    max_busy_pct: float | None = None,
    table: pd.DataFrame | None = None,
) -> dict[str, Any]:
    """Load on channels of one type by I/O rate and by data rate, and channels needed.

    ``io_util_pct = rate ÷ catalog I/O/s × 100``; ``data_util_pct = rate × KiB ÷
    MB/s per 100 % busy``, where the MB/s is the *measured* figure when the catalog has
    one (ESCON: about 4 MB/s per 100 %, seed 003 §8.10.3 "approaching 200 % (about 8 MB
    per second)") and the nominal link rate otherwise (``data_rate_basis`` says which).
    The channel count keeps the larger of the two at or below ``max_busy_pct``.

    Parameters
    ----------
    io_rate_per_s : float
        I/O rate [per second].
    kib_per_io : float
        Data moved per I/O [KiB].
    channel_type : str
        A row of the channel catalog, e.g. ``"escon"``, ``"ficon"``.
    max_busy_pct : float, optional
        Target maximum busy per channel [%]; default constant ``channel_max_busy_pct``.
    table : pandas.DataFrame, optional
        A channel catalog; default the bundled ``channel_types.csv``.

    Raises
    ------
    InputError
        The catalog has no I/O-rate or no data-rate figure for the type (NaN);
        the message names the type and asks for your own table.

    Examples
    --------
    >>> r = channel_type_load(5000, 4, "escon")  # 5000/2000 = 250 % by I/O count, but 20.5 MB/s
    >>> r["io_util_pct"], round(r["data_util_pct"]), r["channels_needed"]  # at 4 MB/s per 100 %
    (250.0, 512, 11)
    >>> r = channel_type_load(8e6 / 65_536, 64, "escon")  # 8 MB/s in 64 KiB I/Os
    >>> round(r["data_util_pct"]), r["data_rate_basis"]  # the seed: "approaching 200 %"
    (200, 'measured')
    """
    cap = channel_capacity(channel_type, table)
    missing = [k for k in ("io_rate_per_s", "data_rate_mb_per_s") if not math.isfinite(cap[k])]
    if missing:
        msg = (
            f"channel type {channel_type!r} has no {' or '.join(missing)} figure in channel_types.csv "
            f"(no source found: {cap['source']}); pass a table with your own figures"
        )
        raise InputError(msg)
    rate = float(nonneg_array("io_rate_per_s", io_rate_per_s))
    kib = float(nonneg_array("kib_per_io", kib_per_io))
    io_util = rate / cap["io_rate_per_s"] * 100.0
    measured = cap["measured_mb_per_s_at_100pct"]
    basis = "measured" if math.isfinite(measured) else "nominal"
    per_100 = measured if basis == "measured" else cap["data_rate_mb_per_s"]
    data_util = rate * kib * 1024 / BYTES_PER_MB / per_100 * 100.0
    busy = max(io_util, data_util)
    return {
        "channel_type": str(channel_type).lower(),
        "io_util_pct": io_util,
        "data_util_pct": data_util,
        "busy_pct": busy,
        "channels_needed": int(paths_needed(busy, max_busy_pct)),
        "limited_by": "io_rate" if io_util >= data_util else "data_rate",
        "source": cap["source"],
        "data_rate_basis": basis,
        "mb_per_s_at_100pct": per_100,
        "data_rate_source": cap["measured_source"] if basis == "measured" else cap["source"],
    }


# --------------------------------------------------------------------------- orchestration
@dataclass(frozen=True)
class ChannelResult(DictMixin):
    """Channel load of a control unit's I/O over ``paths`` paths.

    Parameters
    ----------
    pend_ms, disc_ms : float
        Pending and disconnect time per I/O [ms] (inputs).

    Attributes
    ----------
    io_rate_per_s, connect_ms : float
        Inputs.
    paths : int
        Channel paths.
    max_busy_pct : float
        Target maximum busy per path.
    busy_pct : float
        Total path demand [% of one path] (may exceed 100).
    per_path_busy_pct : float
        ``busy_pct ÷ paths``.
    paths_needed : int
        Fewest paths keeping each at or below ``max_busy_pct``.
    wait_ms : float
        Mean wait for a free path (M/M/c, Erlang C); ``inf`` when ``per_path_busy_pct >= 100``.
    response_ms : float
        ``pend_ms + disc_ms + connect_ms + wait_ms``.
    saturated : bool
        ``per_path_busy_pct >= 100``: the queue grows without bound.
    """

    io_rate_per_s: float
    connect_ms: float
    paths: int
    max_busy_pct: float
    busy_pct: float
    per_path_busy_pct: float
    paths_needed: int
    wait_ms: float
    response_ms: float
    pend_ms: float
    disc_ms: float
    saturated: bool

    #: to_dict() keys (the CLI JSON contract first; ``inf`` response becomes ``null`` in JSON)
    _dict_keys = (
        "busy_pct",
        "per_path_busy_pct",
        "paths_needed",
        "response_ms",
        "wait_ms",
        "saturated",
        "paths",
        "max_busy_pct",
        "io_rate_per_s",
        "connect_ms",
        "pend_ms",
        "disc_ms",
    )


def channel_load(
    io_rate_per_s: float,
    connect_ms: float,
    paths: int = 1,
    max_busy_pct: float | None = None,
    *,
    pend_ms: float = 0.0,
    disc_ms: float = 0.0,
) -> ChannelResult:
    """Path demand, per-path busy, paths needed and response time of an I/O load.

    Parameters
    ----------
    io_rate_per_s : float
        I/O (channel programs) per second, >= 0.
    connect_ms : float
        Average connect time per I/O [ms], >= 0.
    paths : int
        Channel paths the load is spread over, >= 1.
    max_busy_pct : float, optional
        Target maximum busy per path (default 50, constant ``channel_max_busy_pct``).
    pend_ms, disc_ms : float
        Pend and disconnect time added to the response (default 0: channel part only;
        ``reference.constant("dasd_pend_ms")`` and ``"dasd_disc_ms"`` give typical values).

    Examples
    --------
    >>> r = channel_load(1200, 4.5, paths=6)
    >>> r.busy_pct, r.per_path_busy_pct, r.paths_needed
    (540.0, 90.0, 11)
    >>> round(channel_load(54, 14, paths=4).response_ms, 2)
    14.03
    """
    rate = float(nonneg_array("io_rate_per_s", io_rate_per_s))
    conn = float(nonneg_array("connect_ms", connect_ms))
    if int(paths) != paths or paths < 1:
        raise InputError(must_be("paths", "a whole number >= 1", paths))
    limit = (
        reference.constant("channel_max_busy_pct") if max_busy_pct is None else float(max_busy_pct)
    )
    if not (math.isfinite(limit) and 0 < limit <= 100):
        raise InputError(must_be("max_busy_pct", "in 0..100 (exclusive of 0)", max_busy_pct))
    pend = float(nonneg_array("pend_ms", pend_ms))
    disc = float(nonneg_array("disc_ms", disc_ms))
    busy = float(path_busy_pct(conn, rate))
    per_path = busy / paths
    wait = float(mmc_wait_ms(conn, rate, int(paths)))
    if not math.isfinite(wait):
        msg = (
            f"channel paths saturated: {per_path:.0f}% busy per path over {int(paths)} path(s); "
            f"response time is unbounded (need at least {int(paths_needed(busy, limit))} paths "
            f"for {limit:g}% busy)"
        )
        log_or_raise(False, msg)
    return ChannelResult(
        io_rate_per_s=rate,
        connect_ms=conn,
        paths=int(paths),
        max_busy_pct=limit,
        busy_pct=busy,
        per_path_busy_pct=per_path,
        paths_needed=int(paths_needed(busy, limit)),
        wait_ms=wait,
        response_ms=pend + disc + conn + wait,
        pend_ms=pend,
        disc_ms=disc,
        saturated=not math.isfinite(wait),
    )


def response_curve(
    connect_ms: float,
    paths: Sequence[int] = (1, 2, 4),
    busy_pct: Sequence[float] | npt.ArrayLike | None = None,
) -> pd.DataFrame:
    """Response time vs per-path busy for several path counts (long frame for a plot).

    Parameters
    ----------
    connect_ms : float
        Connect (service) time per I/O [ms].
    paths : sequence of int, default (1, 2, 4)
        Path counts, one curve each.
    busy_pct : sequence of float, optional
        Per-path busy values to evaluate [%]; default 0 to 95 in steps of 1.

    Returns
    -------
    DataFrame
        Columns ``paths``, ``per_path_busy_pct``, ``io_rate_per_s``, ``wait_ms``,
        ``response_ms`` (connect + wait).

    Examples
    --------
    >>> f = response_curve(4.0, paths=[1], busy_pct=[50])
    >>> float(f["response_ms"].iloc[0])  # M/M/1 at 50 %: 2 × service
    8.0
    """
    conn = float(nonneg_array("connect_ms", connect_ms))
    if not conn > 0:
        raise InputError(must_be("connect_ms", "> 0", connect_ms))
    busy = np.arange(0.0, 96.0, 1.0) if busy_pct is None else nonneg_array("busy_pct", busy_pct)
    c = np.asarray(paths, dtype=float)
    cc, bb = np.meshgrid(c, busy, indexing="ij")
    rate = bb / 100.0 * cc * 1000.0 / conn
    wait = mmc_wait_ms(conn, rate, cc)
    return pd.DataFrame(
        {
            "paths": cc.ravel().astype(np.int64),
            "per_path_busy_pct": bb.ravel(),
            "io_rate_per_s": rate.ravel(),
            "wait_ms": wait.ravel(),
            "response_ms": conn + wait.ravel(),
        }
    )


__all__ = [
    "DEFAULT_CHANNEL_TYPE",
    "CONNECT_MEASUREMENTS",
    "ChannelResult",
    "calibrate_connect",
    "chained_io_effect",
    "channel_bus_busy_pct",
    "ChannelCapacity",
    "channel_capacity",
    "channel_load",
    "channel_type_load",
    "connect_ms_for_blocks",
    "erlang_c",
    "mmc_wait_ms",
    "path_busy_pct",
    "paths_needed",
    "response_curve",
]
