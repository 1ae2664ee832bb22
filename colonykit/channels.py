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
data moved, ``connect = overhead + bytes ÷ data rate`` (:func:`connect_ms_for_blocks`).
At ESCON's 17 MB/s, 130 blocks take 31 ms, matching the 30–40 ms connect times the
seed measured for writes of up to 500 KB per I/O (§8.10.4).

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
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from colonykit import reference
from colonykit._arrays import nonneg_array
from colonykit.errors import ColonykitWarning, InputError, must_be
from colonykit.units import PAGE_BYTES

#: Channel type the connect-time model uses by default: the seed's measurements were
#: made on ESCON-attached RVA control units (seed 003 §8.10; facts.md §2.2 "RVA on ESCON").
DEFAULT_CHANNEL_TYPE = "escon"
#: Bytes per MB in channel data rates (channel rates are decimal megabytes per second).
BYTES_PER_MB = 1_000_000
_EPS = 1e-9


def _out(arr: np.ndarray) -> np.ndarray | float:
    return float(arr) if arr.ndim == 0 else arr


# --------------------------------------------------------------------------- path demand
def path_busy_pct(connect_ms: npt.ArrayLike, io_rate_per_s: npt.ArrayLike) -> np.ndarray | float:
    """Total channel path demand [% of one path] = connect_ms × io_rate_per_s ÷ 10.

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

    Examples
    --------
    >>> paths_needed(75.6)
    2
    >>> paths_needed([0, 50, 50.01], 50).tolist()
    [1, 1, 2]
    """
    limit = reference.constant("channel_max_busy_pct") if max_busy_pct is None else float(max_busy_pct)
    if not (math.isfinite(limit) and limit > 0):
        raise InputError(must_be("max_busy_pct", "> 0", max_busy_pct))
    b = nonneg_array("busy_pct", busy_pct)
    n = np.maximum(np.ceil(b / limit - _EPS), 1).astype(np.int64)
    return int(n) if n.ndim == 0 else n


# --------------------------------------------------------------------------- queueing
def erlang_c(servers: npt.ArrayLike, offered_erlangs: npt.ArrayLike) -> np.ndarray:
    """Probability that an arrival waits in an M/M/c queue (Erlang C), vectorized.

    ``offered_erlangs`` a = λ × S.  Computed with the stable Erlang-B recursion
    B(k) = a·B(k−1) ÷ (k + a·B(k−1)), then C = B ÷ (1 − ρ(1 − B)) with ρ = a ÷ c.
    Returns 1 where ρ >= 1 (the queue grows without bound).

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


def mmc_wait_ms(service_ms: npt.ArrayLike, io_rate_per_s: npt.ArrayLike,
                servers: npt.ArrayLike) -> np.ndarray:
    """Mean wait for a free server in M/M/c [ms]: C × S ÷ (c − a); ``inf`` when saturated.

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

    ``connect = overhead + blocks × 4096 B ÷ data rate``.  Defaults: the ESCON rate
    of the channel catalog (17 MB/s) and ``connect_overhead_ms`` (0.76 ms, derived
    from the seed's 1.0 ms record-cache connect for one 4 KiB block).

    Examples
    --------
    >>> round(connect_ms_for_blocks(1), 2)  # one 4 KiB block on ESCON
    1.0
    >>> round(connect_ms_for_blocks(130), 1)  # Linux chain of 130 blocks (seed 003 §8.10.3)
    32.1
    """
    rate = (channel_capacity(DEFAULT_CHANNEL_TYPE)["data_rate_mb_per_s"]
            if data_rate_mb_per_s is None else float(data_rate_mb_per_s))
    over = reference.constant("connect_overhead_ms") if overhead_ms is None else float(overhead_ms)
    if not (math.isfinite(rate) and rate > 0):
        raise InputError(must_be("data_rate_mb_per_s", "> 0", data_rate_mb_per_s))
    if not (math.isfinite(over) and over >= 0):
        raise InputError(must_be("overhead_ms", ">= 0", overhead_ms))
    blocks = nonneg_array("blocks_per_io", blocks_per_io)
    return _out(over + blocks * block_bytes / (rate * BYTES_PER_MB) * 1000.0)


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

    Returns
    -------
    DataFrame
        Columns ``blocks_per_io``, ``kib_per_io``, ``connect_ms``, ``busy_pct``,
        ``paths_needed``, ``max_io_rate_per_path_per_s`` (at ``max_busy_pct``).

    Examples
    --------
    >>> f = chained_io_effect(54, [1, 130])
    >>> f["paths_needed"].tolist()
    [1, 4]
    """
    if blocks_per_io is None:
        top = int(reference.constant("linux_max_chained_blocks"))
        blocks_per_io = [1, 8, 16, 32, 64, top]
    blocks = nonneg_array("blocks_per_io", blocks_per_io)
    limit = reference.constant("channel_max_busy_pct") if max_busy_pct is None else float(max_busy_pct)
    conn = np.asarray(connect_ms_for_blocks(blocks, data_rate_mb_per_s, overhead_ms))
    busy = np.asarray(path_busy_pct(conn, io_rate_per_s))
    return pd.DataFrame({
        "blocks_per_io": blocks.astype(np.int64),
        "kib_per_io": blocks * PAGE_BYTES / 1024,
        "connect_ms": conn,
        "busy_pct": busy,
        "paths_needed": paths_needed(busy, limit),
        "max_io_rate_per_path_per_s": limit * 10.0 / conn,
    })


# --------------------------------------------------------------------------- channel types
def channel_capacity(channel_type: str, table: pd.DataFrame | None = None) -> dict[str, float]:
    """MB/s and I/O/s of one channel of a type from the channel catalog (may be NaN).

    Examples
    --------
    >>> channel_capacity("escon")["io_rate_per_s"]
    2000.0
    """
    tab = reference.channel_types() if table is None else table
    row = reference.lookup(tab, channel_type, "channel type")
    return {"data_rate_mb_per_s": float(row["data_rate_mb_per_s"]),
            "io_rate_per_s": float(row["io_rate_per_s"]), "source": str(row["source"])}


def channel_type_load(
    io_rate_per_s: float,
    kib_per_io: float,
    channel_type: str,
    max_busy_pct: float | None = None,
    table: pd.DataFrame | None = None,
) -> dict[str, Any]:
    """Load on channels of one type by I/O rate and by data rate, and channels needed.

    ``io_util_pct = rate ÷ catalog I/O/s × 100``; ``data_util_pct = rate × KiB ÷
    catalog MB/s``; the channel count keeps the larger of the two at or below
    ``max_busy_pct``.

    Raises
    ------
    InputError
        The catalog has no I/O-rate or no data-rate figure for the type (NaN);
        the message names the type and asks for your own table.

    Examples
    --------
    >>> r = channel_type_load(5000, 4, "escon")
    >>> r["io_util_pct"], r["channels_needed"]  # 5000/2000 = 250 % -> 5 channels at 50 %
    (250.0, 5)
    """
    cap = channel_capacity(channel_type, table)
    missing = [k for k in ("io_rate_per_s", "data_rate_mb_per_s") if not math.isfinite(cap[k])]
    if missing:
        msg = (f"channel type {channel_type!r} has no {' or '.join(missing)} figure in channel_types.csv "
               f"(no source found: {cap['source']}); pass a table with your own figures")
        raise InputError(msg)
    rate = float(nonneg_array("io_rate_per_s", io_rate_per_s))
    kib = float(nonneg_array("kib_per_io", kib_per_io))
    io_util = rate / cap["io_rate_per_s"] * 100.0
    data_util = rate * kib * 1024 / BYTES_PER_MB / cap["data_rate_mb_per_s"] * 100.0
    busy = max(io_util, data_util)
    return {
        "channel_type": str(channel_type).lower(), "io_util_pct": io_util, "data_util_pct": data_util,
        "busy_pct": busy, "channels_needed": int(paths_needed(busy, max_busy_pct)),
        "limited_by": "io_rate" if io_util >= data_util else "data_rate", "source": cap["source"],
    }


# --------------------------------------------------------------------------- orchestration
@dataclass(frozen=True)
class ChannelResult:
    """Channel load of a control unit's I/O over ``paths`` paths.

    Attributes
    ----------
    io_rate_per_s, connect_ms : float
        Inputs.
    paths : int
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

    def to_dict(self) -> dict[str, Any]:
        """The CLI JSON contract plus inputs (``inf`` response becomes ``null`` in JSON)."""
        return {
            "busy_pct": self.busy_pct, "per_path_busy_pct": self.per_path_busy_pct,
            "paths_needed": self.paths_needed, "response_ms": self.response_ms,
            "wait_ms": self.wait_ms, "saturated": self.saturated, "paths": self.paths,
            "max_busy_pct": self.max_busy_pct, "io_rate_per_s": self.io_rate_per_s,
            "connect_ms": self.connect_ms, "pend_ms": self.pend_ms, "disc_ms": self.disc_ms,
        }


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
    limit = reference.constant("channel_max_busy_pct") if max_busy_pct is None else float(max_busy_pct)
    if not (math.isfinite(limit) and 0 < limit <= 100):
        raise InputError(must_be("max_busy_pct", "in 0..100 (exclusive of 0)", max_busy_pct))
    pend = float(nonneg_array("pend_ms", pend_ms))
    disc = float(nonneg_array("disc_ms", disc_ms))
    busy = float(path_busy_pct(conn, rate))
    per_path = busy / paths
    wait = float(mmc_wait_ms(conn, rate, int(paths)))
    if not math.isfinite(wait):
        msg = (f"channel paths saturated: {per_path:.0f}% busy per path over {int(paths)} path(s); "
               f"response time is unbounded (need at least {int(paths_needed(busy, limit))} paths "
               f"for {limit:g}% busy)")
        warnings.warn(msg, ColonykitWarning, stacklevel=2)
    return ChannelResult(
        io_rate_per_s=rate, connect_ms=conn, paths=int(paths), max_busy_pct=limit, busy_pct=busy,
        per_path_busy_pct=per_path, paths_needed=int(paths_needed(busy, limit)), wait_ms=wait,
        response_ms=pend + disc + conn + wait, pend_ms=pend, disc_ms=disc,
        saturated=not math.isfinite(wait),
    )


def response_curve(
    connect_ms: float,
    paths: Sequence[int] = (1, 2, 4),
    busy_pct: Sequence[float] | npt.ArrayLike | None = None,
) -> pd.DataFrame:
    """Response time vs per-path busy for several path counts (long frame for a plot).

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
    return pd.DataFrame({
        "paths": cc.ravel().astype(np.int64), "per_path_busy_pct": bb.ravel(),
        "io_rate_per_s": rate.ravel(), "wait_ms": wait.ravel(), "response_ms": conn + wait.ravel(),
    })


__all__ = [
    "DEFAULT_CHANNEL_TYPE",
    "ChannelResult",
    "chained_io_effect",
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
