"""Minidisk cache (MDC): hit ratio → physical I/O, response time, CP CPU and storage cost.

MDC is a CP read cache in real storage for minidisk I/O (seed 003 §3.2.5, §8.10;
facts.md §3).  The model:

* **Physical I/O** = reads × (1 − hit) + writes (writes always reach the DASD).
* **Data moved per miss**: record caching reads one 4-KiB block; track caching a
  whole track, 12 blocks (constant ``blocks_per_track_4k``).  Sequentially,
  track caching turns 11 of 12 reads into hits: the seed's block copy needed
  18,000 I/Os with record cache and 1,500 with track cache (§8.10.2), ratio 12.
  For scattered random 4-KiB reads a cached track holds one useful block, so
  track caching needs 12 × the storage for the same hit ratio (§8.10.2: "reading
  in a track of cache wastes transfer time and cache space").
* **Response** of a read = (1 − hit) × (pend + disconnect + connect of the data
  moved); a hit costs no device time (its CPU is counted below).
* **No cache, no hits**: a 0 MiB cache (or one smaller than a track for track
  caching) scores 0 hits, and a minidisk over 32,767 cylinders is not eligible for
  MDC at all (facts.md §3, IBM prgmdcar.html; ``minidisk_cyl`` argument).
* **CPU** with MDC ÷ without, default method ``"table-8-2"``: the CPU that scales with
  physical I/O falls as MDC avoids I/O, ``factor = 1 − s × (1 − physical I/O ratio)``,
  with ``s = mdc_io_cpu_share_frac`` = 0.274 fitted (least squares through the MDC-off
  point) on the four MDC rows of seed 003 Table 8-2 (:func:`calibrate_cpu_table_8_2`).
  The seed's test (64 MB written once, read 4 times, ¾ of reads hitting) gives
  1 − 0.274 × 0.6 = 0.84, i.e. CPU −16 %, where Table 8-2 shows −19 % to −26 % for the
  MDC-friendly rows; the old CP-cost method (``method="lxdasd"``: writes +11 %, inserting
  reads +285 %, hits assumed to cost a full read) predicted **+59 %**, the wrong
  direction.  The lxdasd costs are IBM's measurement for reads that *miss and insert*
  (a file larger than the cache, z/VM 4.2, facts.md §3); keep that method for workloads
  MDC cannot help, where IBM advises MDC off for Linux disks that are not mostly read.
* **Storage**: the cache is carved out of real storage; :func:`mdc_tradeoff`
  sets I/O avoided against guest storage displaced.

Calibration (:func:`reproduce_table_8_2`): each MDC row of Tables 8-1/8-2 is predicted
from its MDC-off row.  Physical I/O of the script = writes + reads × (1 − hit), 1 write and
4 reads of each block: with Diagnose I/O (RESERVE) the written file stays in MDC and every
read hits (I/O ratio 1/5; measured 0.23 and 0.20); the SSCH channel programs of dasdfmt/
FORMAT are "MDC unfriendly" (§8.10.1), hit ``mdc_ssch_hit_frac`` = 0.43 (mean of the two
SSCH rows, in-sample).  CPU follows the factor above; elapsed = CPU + I/O × ``t_io`` with one
``t_io`` per I/O driver fitted on the MDC-off row (:func:`calibrate_table_8_2`).  Errors per
row are in the frame and ``docs/io.md``.

Examples
--------
>>> from colonykit import mdc
>>> float(mdc.physical_io_per_s(100, 20, 0.9))  # 100 reads at 90 % hits + 20 writes
30.0
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from colonykit import channels, reference
from colonykit._arrays import nonneg_array
from colonykit._dicts import DictMixin
from colonykit.errors import InputError, must_be
from colonykit.storage import MDC_MAX_MINIDISK_CYL

Caching = Literal["record", "track"]
Pattern = Literal["random", "sequential"]

#: seed 003 §8.10.1 Table 8-2 ("Comparison showing the benefits of MDC"), with the
#: Table 8-1 elapsed times.  ``driver``: the DASD driver's I/O method per format
#: (§8.10.1: only CMS RESERVE disks can use Diagnose I/O; the others use SSCH).
#: The unit of the I/O column is not stated in the book; the model only needs it
#: to be proportional to physical I/O.
TABLE_8_2: tuple[tuple[str, str, str, float, float, float, float], ...] = (
    # format, mdc, driver, cpu_s, io, elapsed_s (Table 8-2), elapsed_s (Table 8-1)
    ("dasdfmt", "off", "ssch", 1.87, 3.09, 30.5, 30.5),
    ("dasdfmt", "track", "ssch", 1.96, 2.44, 17.0, 17.0),
    ("FORMAT", "off", "ssch", 1.90, 3.25, 30.3, 30.3),
    ("FORMAT", "track", "ssch", 1.41, 1.68, 17.1, 17.1),
    ("RESERVE", "off", "diag", 2.37, 11.3, 36.3, 36.3),
    ("RESERVE", "track", "diag", 1.91, 2.65, 8.9, 8.8),
    ("RESERVE", "record", "diag", 1.93, 2.28, 8.9, 8.9),
)
TABLE_8_2_SOURCE = (
    "seed 003 §8.10.1 Tables 8-1 and 8-2 (IBM Redbook SG24-6299-00, 'Linux on IBM "
    "eServer zSeries and S/390: ISP/ASP Solutions')"
)
#: The seed's test script (Example 8-3): each block written once, then read 4 times.
SCRIPT_WRITES, SCRIPT_READS = 1, 4


def _frac(field: str, value: npt.ArrayLike) -> np.ndarray:
    arr = np.asarray(value, dtype=float)
    if np.any(~np.isfinite(arr) | (arr < 0) | (arr > 1)):
        bad = arr[~np.isfinite(arr) | (arr < 0) | (arr > 1)].ravel()[0] if arr.ndim else float(arr)
        raise InputError(must_be(field, "in 0..1", float(bad)))
    return arr


def _check_caching(caching: str) -> None:
    if caching not in ("record", "track"):
        raise InputError(must_be("caching", "one of ['record', 'track']", caching))


# --------------------------------------------------------------------------- pure functions
def physical_io_per_s(
    read_rate_per_s: npt.ArrayLike, write_rate_per_s: npt.ArrayLike, hit_frac: npt.ArrayLike
) -> np.ndarray:
    """Physical I/O per second: read misses plus all writes.

    Parameters
    ----------
    read_rate_per_s : array_like
        Reads per second.
    write_rate_per_s : array_like
        Writes per second.
    hit_frac : array_like
        Read hit ratio, 0..1.

    Examples
    --------
    >>> float(physical_io_per_s(1.0, 0.0, 1.0))  # 100 % hits at 1 read/s: nothing to gain
    0.0
    """
    r = nonneg_array("read_rate_per_s", read_rate_per_s)
    w = nonneg_array("write_rate_per_s", write_rate_per_s)
    return r * (1.0 - _frac("hit_frac", hit_frac)) + w


def physical_io_ratio(
    read_rate_per_s: npt.ArrayLike, write_rate_per_s: npt.ArrayLike, hit_frac: npt.ArrayLike
) -> np.ndarray:
    """Physical I/O with MDC ÷ without: ``(w + r (1 − h)) ÷ (w + r)`` (1 where there is no I/O).

    Parameters
    ----------
    read_rate_per_s : array_like
        Reads per second.
    write_rate_per_s : array_like
        Writes per second.
    hit_frac : array_like
        Read hit ratio, 0..1.

    Examples
    --------
    >>> float(physical_io_ratio(4, 1, 1.0))  # the seed's script with every read hitting
    0.2
    """
    r = nonneg_array("read_rate_per_s", read_rate_per_s)
    w = nonneg_array("write_rate_per_s", write_rate_per_s)
    total = r + w
    phys = physical_io_per_s(r, w, hit_frac)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(total > 0, phys / np.where(total > 0, total, 1.0), 1.0)


def blocks_per_miss(caching: Caching) -> int:
    """4-KiB blocks moved by one MDC miss: 1 (record) or a track, 12 (track).

    Parameters
    ----------
    caching : {'record', 'track'}
        MDC caching mode.

    Examples
    --------
    >>> blocks_per_miss("record"), blocks_per_miss("track")
    (1, 12)
    """
    _check_caching(caching)
    return 1 if caching == "record" else int(reference.constant("blocks_per_track_4k"))


def lru_hit_frac(
    cache_mib: npt.ArrayLike,
    data_mib: float,
    caching: Caching = "record",
    pattern: Pattern = "random",
    passes: int = 1,
    minidisk_cyl: float | None = None,
) -> np.ndarray:
    """Read hit ratio of an LRU minidisk cache (vectorized over ``cache_mib``).

    Parameters
    ----------
    cache_mib : array_like
        MDC size [MiB].
    data_mib : float
        Data read: for ``random``, the re-read working set of 4-KiB blocks
        (scattered, one per track); for ``sequential``, the file read ``passes`` times.
    caching : {'record', 'track'}
    pattern : {'random', 'sequential'}
    passes : int
        Sequential reads of the same data.
    minidisk_cyl : float, optional
        Size of the minidisk: above 32,767 cylinders MDC does not cache it (0 hits).

    Notes
    -----
    random: ``min(cache ÷ (data × blocks_per_miss), 1)``.  sequential: the first
    pass hits ``(b − 1) ÷ b`` of reads with track caching (b = 12) and none with
    record caching; later passes hit only if the whole file fits (LRU evicts a
    longer scan before it is re-read).  A cache that cannot hold one miss's data
    (0 MiB, or less than a 48-KiB track for track caching) hits nothing.

    Examples
    --------
    >>> float(lru_hit_frac(100, 100, "record")), float(lru_hit_frac(100, 100, "track"))
    (1.0, 0.08333333333333333)
    >>> round(float(lru_hit_frac(64, 64, "record", "sequential", passes=4)), 2)  # 3 of 4 passes hit
    0.75
    >>> float(lru_hit_frac(0, 64, "track", "sequential"))  # no cache, no hits
    0.0
    >>> float(lru_hit_frac(256, 64, "record", minidisk_cyl=65_520))  # a 3390-54 minidisk: not eligible
    0.0
    """
    _check_caching(caching)
    if pattern not in ("random", "sequential"):
        raise InputError(must_be("pattern", "one of ['random', 'sequential']", pattern))
    cache = nonneg_array("cache_mib", cache_mib)
    data = float(nonneg_array("data_mib", data_mib))
    if not data > 0:
        raise InputError(must_be("data_mib", "> 0", data_mib))
    if int(passes) != passes or passes < 1:
        raise InputError(must_be("passes", "a whole number >= 1", passes))
    b = blocks_per_miss(caching)
    eligible = minidisk_cyl is None or float(minidisk_cyl) <= MDC_MAX_MINIDISK_CYL
    holds_a_miss = cache >= b * 4.0 / 1024.0  # one miss's data: a block or a 12-block track
    if pattern == "random":
        hit = np.minimum(cache / (data * b), 1.0)
    else:
        first = (b - 1) / b
        later = np.where(cache >= data, 1.0, first)
        hit = (first + (passes - 1) * later) / passes
    return np.where(holds_a_miss & eligible, hit, 0.0)


def read_response_ms(
    hit_frac: npt.ArrayLike,
    caching: Caching = "record",
    pend_ms: float | None = None,
    disc_ms: float | None = None,
    data_rate_mb_per_s: float | None = None,
) -> np.ndarray:
    """Mean device response of a read [ms] = (1 − hit) × (pend + disc + connect of the data moved).

    Defaults: pend 1 ms, disconnect 2 ms (seed 003 §8.10.2), connect from
    :func:`colonykit.channels.connect_ms_for_blocks` (calibrated on the seed's hardware).

    Parameters
    ----------
    hit_frac : array_like
        Read hit ratio, 0..1.
    caching : {'record', 'track'}, default 'record'
        What one miss moves: a record (one block) or a track (12 blocks).
    pend_ms : float, optional
        Pending time per physical read [ms]; default constant ``dasd_pend_ms`` (1).
    disc_ms : float, optional
        Disconnect time per physical read [ms]; default constant ``dasd_disc_ms`` (2).
    data_rate_mb_per_s : float, optional
        Effective data rate for the connect time [MB/s]; default the calibrated one.

    Examples
    --------
    >>> round(float(read_response_ms(0.0, "record")), 2)  # 1 + 2 + 0.83 ms (calibrated connect)
    3.83
    >>> round(float(read_response_ms(0.5, "track")), 2)  # half of 1 + 2 + 12 × 0.83
    6.48
    """
    h = _frac("hit_frac", hit_frac)
    pend = reference.constant("dasd_pend_ms") if pend_ms is None else float(pend_ms)
    disc = reference.constant("dasd_disc_ms") if disc_ms is None else float(disc_ms)
    conn = channels.connect_ms_for_blocks(blocks_per_miss(caching), data_rate_mb_per_s)
    return (1.0 - h) * (pend + disc + conn)


def cp_cpu_factor(
    read_rate_per_s: npt.ArrayLike,
    write_rate_per_s: npt.ArrayLike,
    hit_frac: npt.ArrayLike,
    write_extra_pct: float | None = None,
    insert_read_extra_pct: float | None = None,
    hit_cpu_frac: float | None = None,
    *,
    method: str = "table-8-2",
    io_cpu_share_frac: float | None = None,
) -> np.ndarray:
    """CPU for the I/O with MDC on ÷ with MDC off (1 = no change).

    ``method="table-8-2"`` (default): ``1 − s × (1 − physical I/O ratio)`` with the physical
    I/O ratio ``(w + r (1 − h)) ÷ (w + r)`` and ``s`` = ``mdc_io_cpu_share_frac`` (0.274,
    fitted on seed 003 Table 8-2).  ``method="lxdasd"``: IBM's CP costs for reads that miss
    and insert, ``[w (1 + 0.11) + r ((1 − h)(1 + 2.85) + h·c_hit)] ÷ (w + r)`` (facts.md §3).

    Parameters
    ----------
    read_rate_per_s : array_like
        Reads per second.
    write_rate_per_s : array_like
        Writes per second.
    hit_frac : array_like
        Read hit ratio, 0..1.
    write_extra_pct : float, optional
        ``lxdasd``: extra CP CPU of a write with MDC on [%]; default constant
        ``mdc_write_cp_cpu_extra_pct``.
    insert_read_extra_pct : float, optional
        ``lxdasd``: extra CP CPU of a read that misses and is inserted [%]; default constant
        ``mdc_insert_read_cp_cpu_extra_pct``.
    hit_cpu_frac : float, optional
        ``lxdasd``: CPU of a read hit relative to a physical read; default constant
        ``mdc_hit_cp_cpu_frac``.
    method : {'table-8-2', 'lxdasd'}, default 'table-8-2'
        Which model (see above).
    io_cpu_share_frac : float, optional
        ``table-8-2``: share ``s`` of the CPU spent on I/O; default constant
        ``mdc_io_cpu_share_frac``.

    Examples
    --------
    >>> round(float(cp_cpu_factor(4, 1, 0.75)), 3)  # the seed's test: CPU falls 16 %
    0.836
    >>> round(float(cp_cpu_factor(4, 1, 0.75, method="lxdasd")), 2)  # the old model: +59 %
    1.59
    >>> round(float(cp_cpu_factor(10, 0, 0, method="lxdasd")), 2)  # all reads miss and insert: +285 %
    3.85
    """
    if method not in ("table-8-2", "lxdasd"):
        raise InputError(must_be("method", "one of ['table-8-2', 'lxdasd']", method))
    if method == "table-8-2":
        share = (
            reference.constant("mdc_io_cpu_share_frac")
            if io_cpu_share_frac is None
            else float(io_cpu_share_frac)
        )
        ratio = physical_io_ratio(read_rate_per_s, write_rate_per_s, hit_frac)
        return 1.0 - share * (1.0 - ratio)
    w_x = (
        reference.constant("mdc_write_cp_cpu_extra_pct")
        if write_extra_pct is None
        else write_extra_pct
    )
    r_x = (
        reference.constant("mdc_insert_read_cp_cpu_extra_pct")
        if insert_read_extra_pct is None
        else insert_read_extra_pct
    )
    c_hit = reference.constant("mdc_hit_cp_cpu_frac") if hit_cpu_frac is None else hit_cpu_frac
    r = nonneg_array("read_rate_per_s", read_rate_per_s)
    w = nonneg_array("write_rate_per_s", write_rate_per_s)
    h = _frac("hit_frac", hit_frac)
    total = r + w
    cost = w * (1 + w_x / 100.0) + r * ((1 - h) * (1 + r_x / 100.0) + h * c_hit)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(total > 0, cost / total, 1.0)


# --------------------------------------------------------------------------- result
@dataclass(frozen=True)
class MdcResult(DictMixin):
    """Effect of a minidisk cache on one disk workload.

    Parameters
    ----------
    read_rate_per_s, write_rate_per_s : float
        Minidisk reads and writes per second (inputs).

    Attributes
    ----------
    caching : str
        MDC caching mode (``record`` or ``track``).
    hit_frac : float
        Read hit ratio (0..1).
    physical_io_per_s, io_avoided_per_s : float
        Physical I/O per second with MDC, and the I/O it saves.
    read_response_ms, read_response_no_mdc_ms : float
        Mean device response of a read with and without MDC.
    kib_moved_per_miss : float
        Data moved by one miss [KiB].
    cp_cpu_factor : float
        CPU with MDC ÷ without (Table 8-2 calibrated method).
    good_hit : bool
        ``hit_frac`` reaches ``mdc_good_hit_pct`` (90 %).
    cp_cpu_factor_lxdasd : float
        The same by IBM's CP costs for inserting reads (a bound for data MDC cannot hold).
    eligible : bool
        False for a minidisk over 32,767 cylinders (not cached by MDC).
    """

    caching: str
    hit_frac: float
    read_rate_per_s: float
    write_rate_per_s: float
    physical_io_per_s: float
    io_avoided_per_s: float
    read_response_ms: float
    read_response_no_mdc_ms: float
    kib_moved_per_miss: float
    cp_cpu_factor: float
    good_hit: bool
    cp_cpu_factor_lxdasd: float = math.nan
    eligible: bool = True

    # to_dict(): every field, in order (colonykit._dicts.DictMixin)


def mdc_effect(
    read_rate_per_s: float,
    write_rate_per_s: float = 0.0,
    hit_frac: float | None = None,
    *,
    caching: Caching = "record",
    cache_mib: float | None = None,
    data_mib: float | None = None,
    pattern: Pattern = "random",
    passes: int = 1,
    minidisk_cyl: float | None = None,
) -> MdcResult:
    """Physical I/O, response and CP CPU of a workload with MDC, from a hit ratio or a cache size.

    Give either ``hit_frac`` (measured) or ``cache_mib`` and ``data_mib`` (modelled
    with :func:`lru_hit_frac`).

    Parameters
    ----------
    read_rate_per_s : float
        Minidisk reads per second.
    write_rate_per_s : float, default 0
        Minidisk writes per second.
    hit_frac : float, optional
        Measured read hit ratio, 0..1.
    caching : {'record', 'track'}, default 'record'
        MDC caching mode.
    cache_mib : float, optional
        MDC size [MiB] (with ``data_mib``, instead of ``hit_frac``).
    data_mib : float, optional
        Data re-read [MiB] (see :func:`lru_hit_frac`).
    pattern : {'random', 'sequential'}, default 'random'
        Access pattern for the modelled hit ratio.
    passes : int, default 1
        Times a sequential file is read.
    minidisk_cyl : float, optional
        Size of the minidisk [cylinders]; over 32,767 it is not eligible for MDC.

    Examples
    --------
    >>> r = mdc_effect(200, 20, 0.9)
    >>> r.physical_io_per_s, r.io_avoided_per_s, r.good_hit
    (40.0, 180.0, True)
    """
    _check_caching(caching)
    if hit_frac is None:
        if cache_mib is None or data_mib is None:
            msg = "mdc_effect needs hit_frac or both cache_mib and data_mib"
            raise InputError(msg)
        h = float(lru_hit_frac(cache_mib, data_mib, caching, pattern, passes, minidisk_cyl))
    else:
        h = float(_frac("hit_frac", hit_frac))
    eligible = minidisk_cyl is None or float(minidisk_cyl) <= MDC_MAX_MINIDISK_CYL
    if not eligible:
        h = 0.0  # MDC does not cache minidisks over 32,767 cylinders
    r = float(nonneg_array("read_rate_per_s", read_rate_per_s))
    w = float(nonneg_array("write_rate_per_s", write_rate_per_s))
    phys = float(physical_io_per_s(r, w, h))
    return MdcResult(
        caching=caching,
        hit_frac=h,
        read_rate_per_s=r,
        write_rate_per_s=w,
        physical_io_per_s=phys,
        io_avoided_per_s=r + w - phys,
        read_response_ms=float(read_response_ms(h, caching)),
        read_response_no_mdc_ms=float(read_response_ms(0.0, "record")),
        kib_moved_per_miss=blocks_per_miss(caching) * 4.0,
        cp_cpu_factor=float(cp_cpu_factor(r, w, h)),
        cp_cpu_factor_lxdasd=float(cp_cpu_factor(r, w, h, method="lxdasd")),
        eligible=eligible,
        good_hit=h * 100 >= reference.constant("mdc_good_hit_pct"),
    )


def mdc_tradeoff(
    read_rate_per_s: float,
    write_rate_per_s: float,
    data_mib: float,
    real_mib: float,
    guests_working_set_mib: float | Sequence[float],
    mdc_mib: Sequence[float] | npt.ArrayLike | None = None,
    *,
    caching: Caching = "record",
    pattern: Pattern = "random",
    passes: int = 1,
) -> pd.DataFrame:
    """I/O avoided vs guest storage displaced as the MDC grows (frame for a plot).

    Parameters
    ----------
    read_rate_per_s, write_rate_per_s : float
        Minidisk reads and writes of the colony.
    data_mib : float
        Data re-read (see :func:`lru_hit_frac`).
    real_mib : float
        Real storage of the LPAR.
    guests_working_set_mib : float or list
        Σ (or list of) guests' resident working sets [MiB].
    mdc_mib : array_like, optional
        MDC sizes to evaluate (default 0..``mdc_storage_max_mib`` × 4 in 33 steps).
    caching : {'record', 'track'}, default 'record'
        MDC caching mode.
    pattern : {'random', 'sequential'}, default 'random'
        Access pattern (see :func:`lru_hit_frac`).
    passes : int, default 1
        Times a sequential file is read.

    Returns
    -------
    DataFrame
        ``mdc_mib``, ``hit_frac``, ``physical_io_per_s``, ``io_avoided_per_s``,
        ``read_response_ms``, ``cp_cpu_factor``, ``guest_real_mib`` (real − MDC),
        ``guest_shortfall_mib`` (working sets not fitting, to be paged by z/VM).

    Examples
    --------
    >>> f = mdc_tradeoff(100, 0, 256, 4096, 3900, [0, 256])
    >>> f[["hit_frac", "io_avoided_per_s", "guest_shortfall_mib"]].values.tolist()
    [[0.0, 0.0, 0.0], [1.0, 100.0, 60.0]]
    """
    sizes = (
        np.linspace(0, 4 * reference.constant("mdc_storage_max_mib"), 33)
        if mdc_mib is None
        else nonneg_array("mdc_mib", mdc_mib)
    )
    real = float(nonneg_array("real_mib", real_mib))
    if not real > 0:
        raise InputError(must_be("real_mib", "> 0", real_mib))
    if np.any(sizes > real):
        raise InputError(must_be("mdc_mib", f"at most real_mib ({real:g})", float(sizes.max())))
    ws = float(nonneg_array("guests_working_set_mib", guests_working_set_mib).sum())
    h = lru_hit_frac(sizes, data_mib, caching, pattern, passes)
    phys = physical_io_per_s(read_rate_per_s, write_rate_per_s, h)
    return pd.DataFrame(
        {
            "mdc_mib": sizes,
            "hit_frac": h,
            "physical_io_per_s": phys,
            "io_avoided_per_s": read_rate_per_s + write_rate_per_s - phys,
            "read_response_ms": read_response_ms(h, caching),
            "cp_cpu_factor": cp_cpu_factor(read_rate_per_s, write_rate_per_s, h),
            "guest_real_mib": real - sizes,
            "guest_shortfall_mib": np.maximum(ws - (real - sizes), 0.0),
        }
    )


# --------------------------------------------------------------------------- calibration
def table_8_2() -> pd.DataFrame:
    """Seed 003 Table 8-2 (with Table 8-1 elapsed) as a frame.

    Examples
    --------
    >>> table_8_2().shape
    (7, 8)
    """
    cols = ["format", "mdc", "driver", "cpu_s", "io", "elapsed_s", "elapsed_table_8_1_s"]
    frame = pd.DataFrame(list(TABLE_8_2), columns=cols)
    frame["source"] = TABLE_8_2_SOURCE
    return frame


def predict_elapsed_s(cpu_s: npt.ArrayLike, io: npt.ArrayLike, t_io_s: npt.ArrayLike) -> np.ndarray:
    """Model of the Table 8-2 script: elapsed = CPU + I/O × t_io.

    Parameters
    ----------
    cpu_s : array_like
        CPU time of the run [s].
    io : array_like
        Physical I/O count.
    t_io_s : array_like
        Elapsed time per physical I/O [s].

    Examples
    --------
    >>> float(predict_elapsed_s(2.0, 3.0, 1.5))
    6.5
    """
    return np.asarray(cpu_s, dtype=float) + np.asarray(io, dtype=float) * np.asarray(
        t_io_s, dtype=float
    )


def calibrate_table_8_2(
    fit_rows: Sequence[tuple[str, str]] = (("dasdfmt", "off"), ("RESERVE", "off")),
    per_driver: bool = True,
) -> pd.DataFrame:
    """Fit ``t_io`` on one row (per I/O driver), predict every other row, report the error.

    Parameters
    ----------
    fit_rows : sequence of (format, mdc)
        Rows to fit on.  With ``per_driver`` each driver (ssch, diag) needs one.
    per_driver : bool
        One ``t_io`` per driver (default) or a single ``t_io`` from the first fit row.

    Returns
    -------
    DataFrame
        Table 8-2 plus ``t_io_s``, ``predicted_elapsed_s``, ``error_pct``
        ((predicted − actual) ÷ actual × 100) and ``fitted`` (the row used to fit).

    Examples
    --------
    >>> c = calibrate_table_8_2()
    >>> c.loc[~c.fitted, "error_pct"].abs().round(1).tolist()
    [44.5, 5.7, 0.7, 10.9, 1.4]
    """
    frame = table_8_2()
    keys = list(zip(frame["format"].str.lower(), frame["mdc"].str.lower(), strict=True))
    wanted = [(f.lower(), m.lower()) for f, m in fit_rows]
    missing = [w for w in wanted if w not in keys]
    if missing or not wanted:
        msg = (
            f"fit_rows must name rows of Table 8-2 (format, mdc) from {keys} (got {list(fit_rows)})"
        )
        raise InputError(msg)
    fitted = np.array([k in wanted for k in keys])
    fit = frame[fitted]
    t_fit = (fit["elapsed_s"] - fit["cpu_s"]) / fit["io"]
    if per_driver:
        by_driver = dict(zip(fit["driver"], t_fit, strict=True))
        lacking = sorted(set(frame["driver"]) - set(by_driver))
        if lacking:
            msg = f"per-driver calibration needs one fit row for driver(s) {lacking}"
            raise InputError(msg)
        t_io = frame["driver"].map(by_driver).to_numpy(dtype=float)
    else:
        t_io = np.full(len(frame), float(t_fit.iloc[0]))
    pred = predict_elapsed_s(frame["cpu_s"], frame["io"], t_io)
    return frame.assign(
        t_io_s=t_io,
        predicted_elapsed_s=pred,
        error_pct=(pred - frame["elapsed_s"]) / frame["elapsed_s"] * 100.0,
        fitted=fitted,
    )


def calibrate_cpu_table_8_2() -> tuple[float, pd.DataFrame]:
    """Fit the I/O-proportional CPU share ``s`` on seed 003 Table 8-2 (least squares through the off point).

    For each MDC row: measured CPU ratio ``y`` and physical I/O ratio ``x`` against the row's
    MDC-off row; model ``y = 1 − s (1 − x)``; ``s = Σ d·(1 − y) ÷ Σ d²`` with ``d = 1 − x``.

    Examples
    --------
    >>> s, f = calibrate_cpu_table_8_2()
    >>> round(s, 3), f["error_pct"].round(1).tolist()
    (0.274, [-10.1, 16.9, -1.9, -4.1])
    """
    t = table_8_2()
    off = t[t["mdc"] == "off"].set_index("format")
    on = t[t["mdc"] != "off"].reset_index(drop=True)
    io_ratio = on["io"].to_numpy() / off.loc[on["format"], "io"].to_numpy()
    cpu_ratio = on["cpu_s"].to_numpy() / off.loc[on["format"], "cpu_s"].to_numpy()
    d = 1.0 - io_ratio
    share = float((d * (1.0 - cpu_ratio)).sum() / (d * d).sum())
    pred = 1.0 - share * d
    frame = on[["format", "mdc", "driver"]].assign(
        io_ratio=io_ratio,
        cpu_ratio=cpu_ratio,
        predicted_cpu_ratio=pred,
        error_pct=(pred - cpu_ratio) / cpu_ratio * 100.0,
    )
    return share, frame


def reproduce_table_8_2(
    io_cpu_share_frac: float | None = None,
    ssch_hit_frac: float | None = None,
) -> pd.DataFrame:
    """Predict every MDC row of Tables 8-1/8-2 from its MDC-off row; report the error per row.

    Physical I/O ratio of the script (1 write, 4 reads per block): Diagnose I/O hit 1.0
    (the written file stays in MDC), SSCH ``mdc_ssch_hit_frac``.  CPU by
    :func:`cp_cpu_factor`; elapsed = CPU + I/O × ``t_io`` (``t_io`` per driver from the off
    row, :func:`calibrate_table_8_2`).

    Parameters
    ----------
    io_cpu_share_frac : float, optional
        Share of the CPU spent on I/O; default constant ``mdc_io_cpu_share_frac``.
    ssch_hit_frac : float, optional
        Hit ratio of the SSCH driver's reads; default constant ``mdc_ssch_hit_frac``.

    Returns
    -------
    DataFrame
        One row per MDC row: ``format, mdc, driver``, measured and predicted ``cpu_s``, ``io``,
        ``elapsed_s`` and their ``*_error_pct``, and ``elapsed_table_8_1_s``.

    Examples
    --------
    >>> f = reproduce_table_8_2()
    >>> bool((f["predicted_cpu_s"] < f["off_cpu_s"]).all()), bool((f["predicted_elapsed_s"] < f["off_elapsed_s"]).all())
    (True, True)
    >>> f["elapsed_error_pct"].round(0).tolist()  # dasdfmt, FORMAT, RESERVE track, RESERVE record
    [20.0, 25.0, -3.0, -3.0]
    """
    hit_ssch = (
        reference.constant("mdc_ssch_hit_frac") if ssch_hit_frac is None else float(ssch_hit_frac)
    )
    t = calibrate_table_8_2()
    off = t[t["mdc"] == "off"].set_index("format")
    on = t[t["mdc"] != "off"].reset_index(drop=True)
    hit = np.where(on["driver"] == "diag", 1.0, hit_ssch)
    ratio = physical_io_ratio(float(SCRIPT_READS), float(SCRIPT_WRITES), hit)
    factor = cp_cpu_factor(
        float(SCRIPT_READS), float(SCRIPT_WRITES), hit, io_cpu_share_frac=io_cpu_share_frac
    )
    off_cpu = off.loc[on["format"], "cpu_s"].to_numpy()
    off_io = off.loc[on["format"], "io"].to_numpy()
    cpu = off_cpu * factor
    io = off_io * ratio
    elapsed = predict_elapsed_s(cpu, io, on["t_io_s"].to_numpy())

    def err(pred: np.ndarray, meas: pd.Series) -> np.ndarray:
        return (pred - meas.to_numpy()) / meas.to_numpy() * 100.0

    return pd.DataFrame(
        {
            "format": on["format"],
            "mdc": on["mdc"],
            "driver": on["driver"],
            "hit_frac": hit,
            "off_cpu_s": off_cpu,
            "cpu_s": on["cpu_s"],
            "predicted_cpu_s": cpu,
            "cpu_error_pct": err(cpu, on["cpu_s"]),
            "off_io": off_io,
            "io": on["io"],
            "predicted_io": io,
            "io_error_pct": err(io, on["io"]),
            "off_elapsed_s": off.loc[on["format"], "elapsed_s"].to_numpy(),
            "elapsed_s": on["elapsed_s"],
            "predicted_elapsed_s": elapsed,
            "elapsed_error_pct": err(elapsed, on["elapsed_s"]),
            "elapsed_table_8_1_s": on["elapsed_table_8_1_s"],
            "source": TABLE_8_2_SOURCE,
        }
    )


def calibration_summary(calibration: pd.DataFrame | None = None) -> dict[str, float]:
    """Mean and max absolute error [%] of the predicted (not fitted) rows.

    Parameters
    ----------
    calibration : pandas.DataFrame, optional
        Output of :func:`calibrate_table_8_2`; default computed with the bundled constants.

    Examples
    --------
    >>> s = calibration_summary()
    >>> round(s["mean_abs_error_pct"], 1), round(s["max_abs_error_pct"], 1)
    (12.6, 44.5)
    """
    c = calibrate_table_8_2() if calibration is None else calibration
    err = c.loc[~c["fitted"], "error_pct"].abs()
    if err.empty or not math.isfinite(float(err.mean())):
        msg = "calibration has no predicted rows"
        raise InputError(msg)
    return {
        "mean_abs_error_pct": float(err.mean()),
        "max_abs_error_pct": float(err.max()),
        "predicted_rows": int(err.size),
    }


__all__ = [
    "TABLE_8_2",
    "MdcResult",
    "blocks_per_miss",
    "calibrate_cpu_table_8_2",
    "calibrate_table_8_2",
    "calibration_summary",
    "cp_cpu_factor",
    "lru_hit_frac",
    "mdc_effect",
    "mdc_tradeoff",
    "physical_io_per_s",
    "physical_io_ratio",
    "predict_elapsed_s",
    "read_response_ms",
    "reproduce_table_8_2",
    "table_8_2",
]
