"""3390 DASD arithmetic: cylinders ↔ bytes, minidisks on volumes, colony storage totals.

Geometry comes from the DASD catalog (``dasd_models.csv``, facts.md §4.4): every
3390 model has 15 tracks per cylinder and 56,664 bytes per track (one record, no
key), so one cylinder holds 849,960 bytes; the models differ only in cylinder
count (3390-3: 3,339; 3390-9: 10,017; 3390-27: 32,760; 3390-54: 65,520).

**Cylinder 0 is reserved.**  Cylinder 0 of a CP-formatted volume holds the volume
label and allocation map, so usable space starts at cylinder 1 (z/VM reports a
3390-9 page extent as cylinders 1–10016; facts.md §2.1).  :func:`usable_cyl` and
:func:`volumes_needed` therefore offer ``cylinders − 1`` per volume
(:data:`RESERVED_CYL`, overridable).

Allocations round *up*: :func:`bytes_to_cyl` and :func:`gib_to_cyl` return the
whole cylinders needed to hold the amount.

Examples
--------
>>> from colonykit import storage
>>> storage.cyl_to_bytes(1)
849960
>>> storage.gib_to_cyl(1)  # 2**30 / 849,960 = 1263.3 -> 1264
1264
>>> storage.volumes_needed([5000, 5000, 5000])  # two fit a 3390-9 (10,016 usable), the third needs a second
2
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from colonykit import reference
from colonykit._arrays import nonneg_array
from colonykit.errors import CapacityError, InputError, must_be
from colonykit.units import BYTES_PER_GIB, PAGE_BYTES

#: Default 3390 model for allocations.
DEFAULT_MODEL = "3390-9"
#: Cylinders at the start of each volume not available to minidisks or page extents:
#: cylinder 0 (volume label / allocation map). Source: facts.md §2.1 (z/VM page extent 1–10016
#: on a 10,017-cylinder 3390-9; "real extents usually start at cylinder 1").
RESERVED_CYL = 1
#: Largest minidisk the minidisk cache can cache [cyl] (facts.md §3, IBM prgmdcar.html).
MDC_MAX_MINIDISK_CYL = 32_767


@dataclass(frozen=True)
class DasdGeometry:
    """Geometry of one 3390 model (one row of ``dasd_models.csv``).

    Attributes
    ----------
    model : str
    cylinders : int
        Cylinders on the volume, including cylinder 0.
    tracks_per_cyl : int
    bytes_per_track : int
    page_slots_per_cyl : int
        4-KiB page slots per cylinder (180; facts.md §2.1).
    source : str
    """

    model: str
    cylinders: int
    tracks_per_cyl: int
    bytes_per_track: int
    page_slots_per_cyl: int
    source: str

    @property
    def bytes_per_cyl(self) -> int:
        """Bytes per cylinder (15 × 56,664 = 849,960 for a 3390)."""
        return self.tracks_per_cyl * self.bytes_per_track

    def usable_cyl(self, reserved_cyl: int = RESERVED_CYL) -> int:
        """Cylinders available after the reserved ones (cylinder 0)."""
        return self.cylinders - reserved_cyl


def geometry(model: str = DEFAULT_MODEL, table: pd.DataFrame | None = None) -> DasdGeometry:
    """Geometry of a 3390 model from the DASD catalog (or a user ``table``).

    Raises
    ------
    UnknownNameError
        The model is not in the catalog (the message lists the valid models).

    Examples
    --------
    >>> geometry("3390-3").cylinders
    3339
    """
    if table is None:
        return _bundled_geometry(str(model))
    return _geometry_from(model, table)


@functools.lru_cache(maxsize=32)
def _bundled_geometry(model: str) -> DasdGeometry:
    return _geometry_from(model, reference.dasd_models())


def _geometry_from(model: str, tab: pd.DataFrame) -> DasdGeometry:
    row = reference.lookup(tab, model, "DASD model")
    return DasdGeometry(
        model=str(model).lower(),
        cylinders=int(row["cylinders"]),
        tracks_per_cyl=int(row["tracks_per_cyl"]),
        bytes_per_track=int(row["bytes_per_track"]),
        page_slots_per_cyl=int(row["page_slots_per_cyl"]),
        source=str(row["source"]),
    )


def _scalar_or_array(values: np.ndarray, as_int: bool) -> np.ndarray | int | float:
    if values.ndim == 0:
        return int(values) if as_int else float(values)
    return values.astype(np.int64) if as_int else values


# --------------------------------------------------------------------------- conversions
def cyl_to_bytes(cyl: npt.ArrayLike, model: str = DEFAULT_MODEL) -> np.ndarray | int:
    """Bytes held by ``cyl`` cylinders of a 3390 model.

    Parameters
    ----------
    cyl : int or array_like
        Cylinders, >= 0.
    model : str
        3390 model (geometry from the catalog; all 3390 models share 849,960 B/cyl).

    Returns
    -------
    int or numpy.ndarray
        Bytes (an ``int`` for scalar input).

    Examples
    --------
    >>> cyl_to_bytes(10_017)  # a full 3390-9, 8.51 GB (facts.md §4.4)
    8514049320
    """
    c = np.asarray(cyl, dtype=float)
    nonneg_array("cyl", c)
    g = geometry(model)
    return _scalar_or_array(np.round(c * g.bytes_per_cyl), as_int=True)


def bytes_to_cyl(n_bytes: npt.ArrayLike, model: str = DEFAULT_MODEL) -> np.ndarray | int:
    """Whole cylinders needed to hold ``n_bytes`` (rounded up).

    Examples
    --------
    >>> bytes_to_cyl(849_960), bytes_to_cyl(849_961)
    (1, 2)
    """
    b = np.asarray(n_bytes, dtype=float)
    nonneg_array("n_bytes", b)
    g = geometry(model)
    return _scalar_or_array(np.ceil(np.ceil(b) / g.bytes_per_cyl), as_int=True)  # whole bytes first


def gib_to_cyl(gib: npt.ArrayLike, model: str = DEFAULT_MODEL) -> np.ndarray | int:
    """Whole cylinders needed to hold ``gib`` GiB (rounded up).

    Examples
    --------
    >>> gib_to_cyl(2.0)  # 2 × 1,073,741,824 / 849,960 = 2526.6
    2527
    """
    g = np.asarray(gib, dtype=float)
    nonneg_array("gib", g)
    return bytes_to_cyl(g * BYTES_PER_GIB, model)


def cyl_to_gib(cyl: npt.ArrayLike, model: str = DEFAULT_MODEL) -> np.ndarray | float:
    """GiB held by ``cyl`` cylinders.

    Examples
    --------
    >>> round(cyl_to_gib(10_016), 3)  # usable part of a 3390-9
    7.929
    """
    c = np.asarray(cyl, dtype=float)
    nonneg_array("cyl", c)
    g = geometry(model)
    return _scalar_or_array(c * g.bytes_per_cyl / BYTES_PER_GIB, as_int=False)


def usable_cyl(model: str = DEFAULT_MODEL, reserved_cyl: int = RESERVED_CYL) -> int:
    """Cylinders of one volume available to minidisks or a page extent (cylinder 0 reserved).

    Examples
    --------
    >>> usable_cyl("3390-9")
    10016
    """
    if reserved_cyl < 0:
        raise InputError(must_be("reserved_cyl", ">= 0", reserved_cyl))
    return geometry(model).usable_cyl(reserved_cyl)


def page_slots_per_volume(model: str = DEFAULT_MODEL, reserved_cyl: int = RESERVED_CYL) -> int:
    """4-KiB page slots in one page extent covering a whole volume from cylinder 1.

    One extent per volume (seed 003 §8.17.1): ``(cylinders − 1) × 180``.

    Examples
    --------
    >>> page_slots_per_volume("3390-9")  # 10,016 × 180 (facts.md §2.1)
    1802880
    >>> page_slots_per_volume("3390-3")
    600840
    """
    g = geometry(model)
    return usable_cyl(model, reserved_cyl) * g.page_slots_per_cyl


def pages_to_cyl(pages: npt.ArrayLike, model: str = DEFAULT_MODEL) -> np.ndarray | int:
    """Whole cylinders needed for ``pages`` 4-KiB page slots (180 per cylinder).

    Examples
    --------
    >>> pages_to_cyl(181)
    2
    """
    p = np.asarray(pages, dtype=float)
    nonneg_array("pages", p)
    return _scalar_or_array(np.ceil(p / geometry(model).page_slots_per_cyl), as_int=True)


def page_bytes() -> int:
    """Bytes per z/VM page slot (4 KiB).

    Examples
    --------
    >>> page_bytes()
    4096
    """
    return PAGE_BYTES


# --------------------------------------------------------------------------- allocation
def _check_minidisks(minidisk_cyl: Sequence[int] | npt.ArrayLike) -> np.ndarray:
    sizes = np.atleast_1d(np.asarray(minidisk_cyl, dtype=float))
    if sizes.ndim != 1:
        raise InputError(must_be("minidisk_cyl", "a flat list of cylinder counts", sizes.shape))
    problems = []
    for i in np.flatnonzero(~np.isfinite(sizes) | (sizes < 1) | (sizes != np.round(sizes))):
        problems.append(must_be("minidisk_cyl", "a whole number >= 1", sizes[i], f"item {i}"))
    if problems:
        msg = "; ".join(problems[:10])
        raise InputError(msg, problems)
    return sizes.astype(np.int64)


def allocate_minidisks(
    minidisk_cyl: Sequence[int] | npt.ArrayLike,
    model: str = DEFAULT_MODEL,
    reserved_cyl: int = RESERVED_CYL,
) -> np.ndarray:
    """Assign minidisks to volumes by first-fit decreasing; returns a volume index per minidisk.

    A minidisk cannot span volumes.  Each volume offers ``cylinders − reserved_cyl``
    cylinders (cylinder 0 holds the label).  Minidisks are taken largest first and
    put on the first volume with room (the free space of all volumes is checked
    at once with numpy, one step per minidisk, not per cylinder).

    Raises
    ------
    CapacityError
        A minidisk is larger than the usable part of one volume.

    Examples
    --------
    >>> allocate_minidisks([3000, 8000, 3000], "3390-9").tolist()
    [1, 0, 1]
    """
    sizes = _check_minidisks(minidisk_cyl)
    cap = usable_cyl(model, reserved_cyl)
    too_big = np.flatnonzero(sizes > cap)
    if too_big.size:
        i = int(too_big[0])
        msg = (f"minidisk {i} of {int(sizes[i])} cylinders does not fit one {model} volume "
               f"({cap} usable cylinders; a minidisk cannot span volumes)")
        raise CapacityError(msg)
    order = np.argsort(-sizes, kind="stable")
    free = np.full(sizes.size, cap, dtype=np.int64)  # at most one volume per minidisk
    assignment = np.empty(sizes.size, dtype=np.int64)
    for idx in order:  # one step per minidisk (a few thousand at most), vector search of volumes
        vol = int(np.argmax(free >= sizes[idx]))
        free[vol] -= sizes[idx]
        assignment[idx] = vol
    return assignment


def layout_minidisks(
    minidisk_cyl: Sequence[int] | npt.ArrayLike,
    model: str = DEFAULT_MODEL,
    reserved_cyl: int = RESERVED_CYL,
) -> tuple[np.ndarray, np.ndarray]:
    """Volume index and first cylinder of each minidisk (first-fit decreasing, no spanning).

    The volumes come from :func:`allocate_minidisks`; on each volume the minidisks are
    laid out largest first (ties in input order) from cylinder ``reserved_cyl`` on, with
    no gaps, so no two extents overlap and none runs past the usable cylinders.

    Returns
    -------
    (volume, start_cyl) : tuple of int arrays
        Both with one entry per minidisk; empty arrays for an empty list.

    Examples
    --------
    >>> vol, start = layout_minidisks([3000, 8000, 3000], "3390-9")
    >>> vol.tolist(), start.tolist()
    ([1, 0, 1], [1, 1, 3001])
    """
    sizes = np.asarray(minidisk_cyl, dtype=np.int64).ravel()
    if sizes.size == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    vol_of = allocate_minidisks(sizes, model, reserved_cyl)
    order = np.lexsort((np.arange(sizes.size), -sizes, vol_of))  # volume, then size desc, stable
    s = sizes[order]
    v = vol_of[order]
    csum = np.cumsum(s)
    first_of_vol = np.r_[True, v[1:] != v[:-1]]
    base = np.maximum.accumulate(np.where(first_of_vol, csum - s, 0))
    start = np.empty_like(s)
    start[order] = csum - s - base + reserved_cyl
    return vol_of, start


def volumes_needed(
    minidisk_cyl: Sequence[int] | npt.ArrayLike,
    model: str = DEFAULT_MODEL,
    reserved_cyl: int = RESERVED_CYL,
) -> int:
    """How many volumes of ``model`` a set of minidisks needs (first-fit decreasing).

    Cylinder 0 of every volume is reserved (label), so a 3390-9 offers 10,016
    cylinders.  A minidisk cannot span volumes.  An empty list needs 0 volumes.

    Parameters
    ----------
    minidisk_cyl : list of int
        Size of each minidisk [cyl], whole numbers >= 1.
    model : str
        3390 model of the volumes (3390-3, -9, -27, -54 …).
    reserved_cyl : int
        Cylinders reserved at the start of each volume (default 1).

    Returns
    -------
    int
        Number of volumes; never below ``ceil(Σ cyl ÷ usable)``.

    Raises
    ------
    CapacityError
        One minidisk is larger than a volume's usable cylinders.

    Examples
    --------
    >>> volumes_needed([3338] * 3, "3390-3")  # 3,338 usable: one per volume
    3
    >>> volumes_needed([10_016], "3390-9")
    1
    """
    if np.size(minidisk_cyl) == 0:
        return 0
    return int(allocate_minidisks(minidisk_cyl, model, reserved_cyl).max()) + 1


# --------------------------------------------------------------------------- colony totals
@dataclass(frozen=True)
class StorageTotals:
    """Disk totals of a colony: shared minidisks once, per-guest minidisks × guests.

    Attributes
    ----------
    model : str
    shared_cyl : int
        Cylinders of minidisks shared by all guests (counted once).
    per_guest_cyl : int
        Cylinders of one guest's own minidisks.
    guests : int
    total_cyl : int
        ``shared_cyl + guests × per_guest_cyl``.
    total_gib : float
    volumes : int
        Volumes needed for all minidisks (first-fit decreasing, no spanning).
    """

    model: str
    shared_cyl: int
    per_guest_cyl: int
    guests: int
    total_cyl: int
    total_gib: float
    volumes: int

    def to_dict(self) -> dict[str, object]:
        """Plain dict (JSON-ready)."""
        return {
            "model": self.model, "shared_cyl": self.shared_cyl, "per_guest_cyl": self.per_guest_cyl,
            "guests": self.guests, "total_cyl": self.total_cyl, "total_gib": self.total_gib,
            "volumes": self.volumes,
        }


def storage_totals(
    guests: int,
    per_guest_minidisk_cyl: Sequence[int] = (),
    shared_minidisk_cyl: Sequence[int] = (),
    model: str = DEFAULT_MODEL,
    reserved_cyl: int = RESERVED_CYL,
) -> StorageTotals:
    """Total cylinders, GiB and volumes for shared plus per-guest minidisks.

    Shared minidisks (e.g. a read-only ``/usr`` linked by every guest, seed 003
    §3.2.3) are counted once; each guest's own minidisks ``guests`` times.

    Examples
    --------
    >>> t = storage_totals(10, per_guest_minidisk_cyl=[1000, 200], shared_minidisk_cyl=[3000])
    >>> t.total_cyl, t.volumes  # 3000 + 10 × 1200 = 15,000 cyl on 3390-9s
    (15000, 2)
    """
    if int(guests) != guests or guests < 0:
        raise InputError(must_be("guests", "a whole number >= 0", guests))
    per = _check_minidisks(per_guest_minidisk_cyl) if len(per_guest_minidisk_cyl) else np.zeros(0, np.int64)
    shared = _check_minidisks(shared_minidisk_cyl) if len(shared_minidisk_cyl) else np.zeros(0, np.int64)
    all_disks = np.concatenate([shared, np.tile(per, int(guests))])
    total = int(all_disks.sum())
    return StorageTotals(
        model=str(model).lower(),
        shared_cyl=int(shared.sum()),
        per_guest_cyl=int(per.sum()),
        guests=int(guests),
        total_cyl=total,
        total_gib=float(cyl_to_gib(total, model)),
        volumes=volumes_needed(all_disks, model, reserved_cyl),
    )


__all__ = [
    "DEFAULT_MODEL",
    "MDC_MAX_MINIDISK_CYL",
    "RESERVED_CYL",
    "DasdGeometry",
    "StorageTotals",
    "allocate_minidisks",
    "bytes_to_cyl",
    "cyl_to_bytes",
    "cyl_to_gib",
    "geometry",
    "gib_to_cyl",
    "page_bytes",
    "page_slots_per_volume",
    "pages_to_cyl",
    "storage_totals",
    "usable_cyl",
    "volumes_needed",
]
