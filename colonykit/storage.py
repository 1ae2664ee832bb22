"""3390 DASD arithmetic: cylinders ↔ bytes, minidisks on volumes, colony storage totals.

Geometry comes from the DASD catalog (``dasd_models.csv``, facts.md §4.4): every
3390 model has 15 tracks per cylinder; the models differ only in cylinder count
(3390-3: 3,339; 3390-9: 10,017; 3390-27: 32,760; 3390-54: 65,520).

**Capacity is the 4-KiB-formatted capacity.**  Linux (dasdfmt, CMS FORMAT/RESERVE
with 4 KiB blocks) and CP paging see 12 blocks of 4 KiB per track: 12 × 15 × 4,096 =
**737,280 bytes per cylinder**, the same 180 slots the paging code uses (facts.md
§2.1).  The raw one-record track (56,664 B, 849,960 B/cyl) is not usable by a Linux
file system; it is kept as :attr:`DasdGeometry.raw_bytes_per_cyl`.  Check against the
seeds: seed 001 quotes 3200 cyl ≈ 2.2 GB (3200 × 737,280 = 2.36 GB = 2.20 GiB),
550 cyl ≈ 384 MB (386 MiB) and 60 cyl ≈ 41 MB (42 MiB).

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
>>> storage.cyl_to_bytes(1)  # 12 blocks × 15 tracks × 4 KiB
737280
>>> storage.gib_to_cyl(1)  # 2**30 / 737,280 = 1456.4 -> 1457
1457
>>> storage.volumes_needed([5000, 5000, 5000])  # two fit a 3390-9 (10,016 usable), the third needs a second
2
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, overload

import numpy as np
import numpy.typing as npt

from colonykit import reference
from colonykit._arrays import nonneg_array
from colonykit._dicts import DictMixin
from colonykit._lazy import lazy_module
from colonykit.errors import CapacityError, InputError, must_be, unknown_name
from colonykit.units import BYTES_PER_GIB, PAGE_BYTES

if TYPE_CHECKING:
    import pandas as pd
else:
    pd = lazy_module("pandas")

#: Default 3390 model for allocations.
DEFAULT_MODEL = "3390-9"
#: Cylinders at the start of each volume not available to minidisks or page extents:
#: cylinder 0 (volume label / allocation map). Source: facts.md §2.1 (z/VM page extent 1–10016
#: on a 10,017-cylinder 3390-9; "real extents usually start at cylinder 1").
RESERVED_CYL = 1
#: Largest minidisk the minidisk cache can cache [cyl] (facts.md §3, IBM prgmdcar.html).
MDC_MAX_MINIDISK_CYL = 32_767
#: The EAV model (extended address volume, 3390 model A; a row of ``dasd_models.csv``).
EAV_MODEL = "3390-a"
#: Cylinders of the largest non-EAV 3390 (3390-54); an EAV has more (IMS APAR PK72530).
NON_EAV_MAX_CYL = 65_520
#: Volume "model" of FCP SCSI LUNs that z/VM presents as emulated FBA devices (SET EDEVICE).
EDEV_MODEL = "edev"
#: Bytes of one FBA block (EDEV, FB-512 minidisks).
FBA_BLOCK_BYTES = 512
#: Data-volume rules of ``storage.data_volumes``: ``auto`` or one volume model for every data disk.
DATA_VOLUME_RULES = ("auto", "3390-9", "3390-27", "3390-54", "3390-A", "EDEV")


@dataclass(frozen=True)
class DasdGeometry:
    """Geometry of one 3390 model (one row of ``dasd_models.csv``).

    Attributes
    ----------
    model : str
        3390 model.
    cylinders : int
        Cylinders on the volume, including cylinder 0.
    tracks_per_cyl : int
        Tracks per cylinder (15).
    bytes_per_track : int
        Raw bytes per track (56,664).
    page_slots_per_cyl : int
        4-KiB page slots per cylinder (180; facts.md §2.1).
    source : str
        Source of the figures.
    """

    model: str
    cylinders: int
    tracks_per_cyl: int
    bytes_per_track: int
    page_slots_per_cyl: int
    source: str

    @property
    def blocks_4k_per_track(self) -> int:
        """4-KiB blocks per track (180 slots ÷ 15 tracks = 12 for a 3390)."""
        return self.page_slots_per_cyl // self.tracks_per_cyl

    @property
    def bytes_per_cyl(self) -> int:
        """Usable bytes per cylinder, 4-KiB formatted (180 × 4,096 = 737,280 for a 3390)."""
        return self.page_slots_per_cyl * PAGE_BYTES

    @property
    def raw_bytes_per_cyl(self) -> int:
        """Raw one-record capacity per cylinder (15 × 56,664 = 849,960), not usable by Linux."""
        return self.tracks_per_cyl * self.bytes_per_track

    def usable_cyl(self, reserved_cyl: int = RESERVED_CYL) -> int:
        """Cylinders available after the reserved ones (cylinder 0).

        Parameters
        ----------
        reserved_cyl : int, default RESERVED_CYL
            Cylinders reserved at the start of each volume (1: cylinder 0 holds the label).
        """
        return self.cylinders - reserved_cyl


def geometry(model: str = DEFAULT_MODEL, table: pd.DataFrame | None = None) -> DasdGeometry:
    """Geometry of a 3390 model from the DASD catalog (or a user ``table``).

    Parameters
    ----------
    model : str, default "3390-9"
        3390 model of the volumes (a row of ``dasd_models.csv``).
    table : pandas.DataFrame, optional
        A DASD catalog with the columns of dasd_models.csv; default the bundled one.

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
    rows = reference.bundled_rows("dasd_models", "model")  # no pandas (start-up)
    row = rows.get(str(model).lower())
    if row is None:
        err = unknown_name("DASD model", model, list(rows))
        raise err
    return DasdGeometry(
        model=str(model).lower(),
        cylinders=int(float(row["cylinders"])),
        tracks_per_cyl=int(float(row["tracks_per_cyl"])),
        bytes_per_track=int(float(row["bytes_per_track"])),
        page_slots_per_cyl=int(float(row["page_slots_per_cyl"])),
        source=row["source"],
    )


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


@overload
def _scalar_or_array(values: np.ndarray, as_int: Literal[True]) -> np.ndarray | int: ...
@overload
def _scalar_or_array(values: np.ndarray, as_int: Literal[False]) -> np.ndarray | float: ...
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
        3390 model (geometry from the catalog; all 3390 models share 737,280 B/cyl formatted).

    Returns
    -------
    int or numpy.ndarray
        Bytes (an ``int`` for scalar input), 4-KiB formatted.

    Examples
    --------
    >>> cyl_to_bytes(10_017)  # a full 3390-9: 7.39 GB formatted (8.51 GB raw, facts.md §4.4)
    7385333760
    >>> cyl_to_bytes(3200)  # seed 001: 3200 cylinders ~ 2.2 GB
    2359296000
    """
    c = np.asarray(cyl, dtype=float)
    nonneg_array("cyl", c)
    g = geometry(model)
    return _scalar_or_array(np.round(c * g.bytes_per_cyl), as_int=True)


def bytes_to_cyl(n_bytes: npt.ArrayLike, model: str = DEFAULT_MODEL) -> np.ndarray | int:
    """Whole cylinders needed to hold ``n_bytes`` (rounded up).

    Parameters
    ----------
    n_bytes : array_like
        Bytes to hold.
    model : str, default "3390-9"
        3390 model of the volumes (a row of ``dasd_models.csv``).

    Examples
    --------
    >>> bytes_to_cyl(737_280), bytes_to_cyl(737_281)
    (1, 2)
    """
    b = np.asarray(n_bytes, dtype=float)
    nonneg_array("n_bytes", b)
    g = geometry(model)
    return _scalar_or_array(np.ceil(np.ceil(b) / g.bytes_per_cyl), as_int=True)  # whole bytes first


def gib_to_cyl(gib: npt.ArrayLike, model: str = DEFAULT_MODEL) -> np.ndarray | int:
    """Whole cylinders needed to hold ``gib`` GiB (rounded up).

    Parameters
    ----------
    gib : array_like
        Size [GiB].
    model : str, default "3390-9"
        3390 model of the volumes (a row of ``dasd_models.csv``).

    Examples
    --------
    >>> gib_to_cyl(2.0)  # 2 × 1,073,741,824 / 737,280 = 2912.7
    2913
    """
    g = np.asarray(gib, dtype=float)
    nonneg_array("gib", g)
    return bytes_to_cyl(g * BYTES_PER_GIB, model)


def cyl_to_gib(cyl: npt.ArrayLike, model: str = DEFAULT_MODEL) -> np.ndarray | float:
    """GiB held by ``cyl`` cylinders.

    Parameters
    ----------
    cyl : array_like
        Cylinders (4-KiB formatted, 737,280 B each).
    model : str, default "3390-9"
        3390 model of the volumes (a row of ``dasd_models.csv``).

    Examples
    --------
    >>> round(cyl_to_gib(10_016), 3)  # usable part of a 3390-9
    6.877
    >>> round(cyl_to_gib(3200), 2)  # seed 001: 3200 cyl ~ 2.2 GB
    2.2
    """
    c = np.asarray(cyl, dtype=float)
    nonneg_array("cyl", c)
    g = geometry(model)
    return _scalar_or_array(c * g.bytes_per_cyl / BYTES_PER_GIB, as_int=False)


def usable_cyl(model: str = DEFAULT_MODEL, reserved_cyl: int = RESERVED_CYL) -> int:
    """Cylinders of one volume available to minidisks or a page extent (cylinder 0 reserved).

    Parameters
    ----------
    model : str, default "3390-9"
        3390 model of the volumes (a row of ``dasd_models.csv``).
    reserved_cyl : int, default RESERVED_CYL
        Cylinders reserved at the start of each volume (1: cylinder 0 holds the label).

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

    Parameters
    ----------
    model : str, default "3390-9"
        3390 model of the volumes (a row of ``dasd_models.csv``).
    reserved_cyl : int, default RESERVED_CYL
        Cylinders reserved at the start of each volume (1: cylinder 0 holds the label).

    Examples
    --------
    >>> page_slots_per_volume("3390-9")  # 10,016 × 180 (facts.md §2.1)
    1802880
    >>> page_slots_per_volume("3390-3")
    600840
    """
    g = geometry(model)
    if g.cylinders > NON_EAV_MAX_CYL:
        msg = (
            f"{model} is an EAV: colonykit does not place z/VM paging on EAVs (no public z/VM "
            "statement found that CP pages above cylinder 65,519); use 3390-3/9/27/54"
        )
        raise InputError(msg)
    return usable_cyl(model, reserved_cyl) * g.page_slots_per_cyl


def pages_to_cyl(pages: npt.ArrayLike, model: str = DEFAULT_MODEL) -> np.ndarray | int:
    """Whole cylinders needed for ``pages`` 4-KiB page slots (180 per cylinder).

    Parameters
    ----------
    pages : array_like
        4-KiB page slots.
    model : str, default "3390-9"
        3390 model of the volumes (a row of ``dasd_models.csv``).

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
    lun_gib: float | None = None,
) -> np.ndarray:
    """Assign minidisks to volumes by first-fit decreasing; returns a volume index per minidisk.

    A minidisk cannot span volumes.  Each volume offers ``cylinders − reserved_cyl``
    cylinders (cylinder 0 holds the label).  Minidisks are taken largest first and
    put on the first volume with room (the free space of all volumes is checked
    at once with numpy, one step per minidisk, not per cylinder).

    Parameters
    ----------
    minidisk_cyl : sequence of int
        Size of each minidisk [cylinders].
    model : str, default "3390-9"
        3390 model of the volumes (a row of ``dasd_models.csv``).
    reserved_cyl : int, default RESERVED_CYL
        Cylinders reserved at the start of each volume (1: cylinder 0 holds the label).
    lun_gib : float, optional
        LUN size when ``model`` is ``EDEV`` (sizes then in 512-byte blocks; default the
        largest EDEV).

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
    cap, _first = volume_capacity(model, reserved_cyl, lun_gib)
    too_big = np.flatnonzero(sizes > cap)
    if too_big.size:
        i = int(too_big[0])
        msg = (
            f"minidisk {i} of {int(sizes[i])} {volume_units(model)} does not fit one {model} volume "
            f"({cap} usable {volume_units(model)}; a minidisk cannot span volumes)"
        )
        raise CapacityError(msg)
    # whole cylinders, compared exactly (sums stay far below 2**53)
    # imported here: the packing package loads pandas, which `colonykit paging` must not pay for
    from colonykit.packing.ffd import first_fit_decreasing

    return first_fit_decreasing(sizes, float(cap), rtol=0.0)


def layout_minidisks(
    minidisk_cyl: Sequence[int] | npt.ArrayLike,
    model: str = DEFAULT_MODEL,
    reserved_cyl: int = RESERVED_CYL,
    lun_gib: float | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Volume index and first cylinder of each minidisk (first-fit decreasing, no spanning).

    The volumes come from :func:`allocate_minidisks`; on each volume the minidisks are
    laid out largest first (ties in input order) from cylinder ``reserved_cyl`` on, with
    no gaps, so no two extents overlap and none runs past the usable cylinders.

    Parameters
    ----------
    minidisk_cyl : sequence of int
        Size of each minidisk [cylinders].
    model : str, default "3390-9"
        3390 model of the volumes (a row of ``dasd_models.csv``).
    reserved_cyl : int, default RESERVED_CYL
        Cylinders reserved at the start of each volume (1: cylinder 0 holds the label).
    lun_gib : float, optional
        LUN size when ``model`` is ``EDEV`` (sizes and starts then in 512-byte blocks, from
        block 8; default the largest EDEV).

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
    vol_of = allocate_minidisks(sizes, model, reserved_cyl, lun_gib)
    _cap, first = volume_capacity(model, reserved_cyl, lun_gib)
    order = np.lexsort((np.arange(sizes.size), -sizes, vol_of))  # volume, then size desc, stable
    s = sizes[order]
    v = vol_of[order]
    csum = np.cumsum(s)
    first_of_vol = np.r_[True, v[1:] != v[:-1]]
    base = np.maximum.accumulate(np.where(first_of_vol, csum - s, 0))
    start = np.empty_like(s)
    start[order] = csum - s - base + first
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


# --------------------------------------------------------------------------- application disk
def data_minidisk_cyl(
    disk_gib: float,
    model: str = DEFAULT_MODEL,
    reserved_cyl: int = RESERVED_CYL,
) -> list[int]:
    """Data minidisks that hold a guest's application disk of ``disk_gib`` GiB on ``model`` volumes.

    The inventory's ``disk_gib`` (the source server's disk) becomes one minidisk when it
    fits one volume (``cylinders − reserved_cyl``), otherwise as many full-volume
    minidisks as needed plus one for the rest (a minidisk cannot span volumes; Linux
    joins them with LVM).  Sizes are 4-KiB-formatted cylinders (737,280 B), rounded up.

    Parameters
    ----------
    disk_gib : float
        The guest's application disk [GiB] (the inventory's disk_gib).
    model : str, default "3390-9"
        3390 model of the volumes (a row of ``dasd_models.csv``).
    reserved_cyl : int, default RESERVED_CYL
        Cylinders reserved at the start of each volume (1: cylinder 0 holds the label).

    Returns
    -------
    list of int
        Cylinders of each data minidisk (empty for 0 GiB).

    Examples
    --------
    >>> data_minidisk_cyl(72)  # the XYZ file server: 72 GiB = 104,858 cyl -> 10 × 10,016 + 4,698
    [10016, 10016, 10016, 10016, 10016, 10016, 10016, 10016, 10016, 10016, 4698]
    >>> data_minidisk_cyl(9, "3390-54")  # fits one 3390-54 (65,519 usable)
    [13108]
    """
    need = int(gib_to_cyl(disk_gib, model))
    cap = usable_cyl(model, reserved_cyl)
    full, rest = divmod(need, cap)
    return [cap] * full + ([rest] if rest else [])


# --------------------------------------------------------------------------- data volume models
def edev_blocks(lun_gib: float | None = None) -> int:
    """512-byte blocks of one EDEV (an FCP SCSI LUN as an emulated FBA device), whole pages.

    Parameters
    ----------
    lun_gib : float, optional
        LUN size [GiB]; default (None) the largest EDEV z/VM supports, 1 TiB minus one page
        (constant ``edev_max_blocks``). Rounded down to whole 4-KiB pages.

    Raises
    ------
    InputError
        The LUN is larger than the largest EDEV, or smaller than two pages.

    Examples
    --------
    >>> edev_blocks()  # 2**31 - 8: 1 TiB minus one page
    2147483640
    >>> edev_blocks(256)
    536870912
    """
    top = int(reference.constant("edev_max_blocks"))
    if lun_gib is None:
        return top
    blocks = int(float(lun_gib) * BYTES_PER_GIB // FBA_BLOCK_BYTES) // 8 * 8
    reserved = int(reference.constant("fba_reserved_blocks"))
    if not np.isfinite(lun_gib) or blocks > top or blocks <= reserved:
        limit = f"at most {top * FBA_BLOCK_BYTES / BYTES_PER_GIB:.4f} GiB (the largest EDEV)"
        raise InputError(must_be("storage.lun_gib", f"above 8 KiB and {limit}", lun_gib))
    return blocks


def _is_edev(model: str) -> bool:
    return str(model).lower() == EDEV_MODEL


def volume_units(model: str) -> str:
    """Unit of minidisk sizes on ``model`` volumes: ``cyl`` (ECKD 3390) or ``blocks`` (EDEV).

    Parameters
    ----------
    model : str
        A 3390 model or ``EDEV``.

    Examples
    --------
    >>> volume_units("3390-A"), volume_units("EDEV")
    ('cyl', 'blocks')
    """
    return "blocks" if _is_edev(model) else "cyl"


def volume_capacity(
    model: str, reserved_cyl: int = RESERVED_CYL, lun_gib: float | None = None
) -> tuple[int, int]:
    """Usable units of one volume and its first usable unit: cylinders (3390) or blocks (EDEV).

    A 3390 offers ``cylinders − reserved_cyl`` from cylinder ``reserved_cyl``; an EDEV offers
    its blocks less page 0 (constant ``fba_reserved_blocks``) from block 8.

    Parameters
    ----------
    model : str
        A 3390 model or ``EDEV``.
    reserved_cyl : int, default RESERVED_CYL
        Cylinders reserved at the start of each 3390 volume.
    lun_gib : float, optional
        LUN size of an EDEV [GiB] (default the largest EDEV).

    Examples
    --------
    >>> volume_capacity("3390-9"), volume_capacity("EDEV")
    ((10016, 1), (2147483632, 8))
    """
    if _is_edev(model):
        first = int(reference.constant("fba_reserved_blocks"))
        return edev_blocks(lun_gib) - first, first
    return usable_cyl(model, reserved_cyl), int(reserved_cyl)


def units_to_gib(units: npt.ArrayLike, model: str) -> np.ndarray | float:
    """GiB held by ``units`` cylinders (3390, 4-KiB formatted) or 512-byte blocks (EDEV).

    Parameters
    ----------
    units : array_like
        Cylinders or blocks (see :func:`volume_units`).
    model : str
        A 3390 model or ``EDEV``.

    Examples
    --------
    >>> units_to_gib(2**21, "EDEV"), round(float(units_to_gib(10_016, "3390-9")), 3)
    (1.0, 6.877)
    """
    if _is_edev(model):
        u = np.asarray(units, dtype=float)
        nonneg_array("blocks", u)
        return _scalar_or_array(u * FBA_BLOCK_BYTES / BYTES_PER_GIB, as_int=False)
    return cyl_to_gib(units, model)


def data_minidisk_units(
    disk_gib: float,
    model: str = DEFAULT_MODEL,
    reserved_cyl: int = RESERVED_CYL,
    lun_gib: float | None = None,
) -> list[int]:
    """Data minidisks holding ``disk_gib`` GiB on ``model`` volumes: cylinders (3390) or blocks (EDEV).

    One minidisk per volume at most (full-volume minidisks plus one for the rest); a 3390 size
    is :func:`data_minidisk_cyl`, an EDEV size whole 4-KiB pages of 512-byte blocks.

    Parameters
    ----------
    disk_gib : float
        The guest's application disk [GiB].
    model : str, default "3390-9"
        A 3390 model or ``EDEV``.
    reserved_cyl : int, default RESERVED_CYL
        Cylinders reserved at the start of each 3390 volume.
    lun_gib : float, optional
        LUN size of an EDEV [GiB] (default the largest EDEV).

    Examples
    --------
    >>> data_minidisk_units(4096, "3390-A")  # 4 TiB on EAVs: 5 full + the rest
    [1182005, 1182005, 1182005, 1182005, 1182005, 55208]
    >>> data_minidisk_units(1.5, "EDEV")  # 1.5 GiB = 3,145,728 blocks on one LUN
    [3145728]
    """
    if not _is_edev(model):
        return data_minidisk_cyl(disk_gib, model, reserved_cyl)
    g = float(nonneg_array("disk_gib", disk_gib))
    need = -(-int(np.ceil(g * BYTES_PER_GIB)) // PAGE_BYTES) * (PAGE_BYTES // FBA_BLOCK_BYTES)
    cap, _first = volume_capacity(model, reserved_cyl, lun_gib)
    cap = cap // 8 * 8
    full, rest = divmod(need, cap)
    return [cap] * full + ([rest] if rest else [])


@dataclass(frozen=True)
class DataVolumeChoice(DictMixin):
    """Where one guest's data disk goes: the volume model and its minidisks.

    Attributes
    ----------
    model : str
        Chosen volume model: a 3390 model (``3390-9`` … ``3390-A``) or ``EDEV``.
    minidisks : tuple of int
        Size of each data minidisk, one per volume at most, in ``unit``.
    unit : {'cyl', 'blocks'}
        Cylinders (3390) or 512-byte blocks (EDEV).
    capacity_gib : float
        What the minidisks hold [GiB] (>= the request).
    reason : str
        Why this model (the rule's step that chose it).
    """

    model: str
    minidisks: tuple[int, ...]
    unit: str
    capacity_gib: float
    reason: str

    # to_dict(): every field, in order (colonykit._dicts.DictMixin)


def _display_model(model: str) -> str:
    return "EDEV" if _is_edev(model) else str(model).upper()


def eckd_candidates(base_model: str = DEFAULT_MODEL) -> list[str]:
    """The rule's ECKD models: non-EAV 3390 models from ``base_model`` up, smallest first.

    Parameters
    ----------
    base_model : str, default "3390-9"
        The colony's volume model (``storage.volume_model``): the smallest model offered.

    Examples
    --------
    >>> eckd_candidates("3390-9")
    ['3390-9', '3390-27', '3390-54']
    """
    base = geometry(base_model).cylinders
    rows = reference.bundled_rows("dasd_models", "model")
    sizes = sorted((int(float(r["cylinders"])), m) for m, r in rows.items())
    return [m.upper() for c, m in sizes if base <= c <= NON_EAV_MAX_CYL]


def choose_data_volumes(
    disk_gib: float,
    rule: str = "auto",
    *,
    base_model: str = DEFAULT_MODEL,
    max_volumes_per_disk: int | None = None,
    lun_gib: float | None = None,
    reserved_cyl: int = RESERVED_CYL,
) -> DataVolumeChoice:
    """The volume model of one guest's data disk, by the stated rule (issue 20 item 6).

    Rule ``auto``: the smallest ECKD model from ``base_model`` up to 3390-54 whose minidisk count
    for the disk is at most ``max_volumes_per_disk`` (default constant
    ``data_volumes_max_per_disk``, 8); else EAVs (3390-A, 1,182,006 cylinders) if their count
    stays within the limit; else FCP SCSI LUNs as z/VM EDEVs of ``lun_gib`` (default the
    largest EDEV, 1 TiB minus one page), however many.  Any other rule names one model for
    every data disk (``3390-9`` … ``3390-A``, ``EDEV``).  A minidisk never spans volumes.

    Parameters
    ----------
    disk_gib : float
        The guest's application disk [GiB].
    rule : str, default "auto"
        ``auto`` or a model of :data:`DATA_VOLUME_RULES`.
    base_model : str, default "3390-9"
        The colony's volume model, the smallest ECKD model ``auto`` offers.
    max_volumes_per_disk : int, optional
        Most minidisks (volumes) per data disk under ``auto``.
    lun_gib : float, optional
        LUN size of an EDEV [GiB].
    reserved_cyl : int, default RESERVED_CYL
        Cylinders reserved at the start of each 3390 volume.

    Examples
    --------
    >>> c = choose_data_volumes(4096)  # a 4 TiB server: 596 3390-9s, 92 3390-54s, 6 EAVs
    >>> c.model, len(c.minidisks)
    ('3390-A', 6)
    >>> choose_data_volumes(72).model  # the XYZ file server: 11 3390-9s or 4 3390-27s
    '3390-27'
    >>> choose_data_volumes(10_240).model, len(choose_data_volumes(10_240).minidisks)
    ('EDEV', 11)
    """
    limit = (
        int(reference.constant("data_volumes_max_per_disk"))
        if max_volumes_per_disk is None
        else int(max_volumes_per_disk)
    )
    if limit < 1:
        raise InputError(must_be("storage.max_volumes_per_disk", ">= 1", max_volumes_per_disk))
    rule_key = str(rule).lower()
    if rule_key not in {r.lower() for r in DATA_VOLUME_RULES}:
        raise InputError(must_be("storage.data_volumes", f"one of {list(DATA_VOLUME_RULES)}", rule))

    def pick(model: str, reason: str) -> DataVolumeChoice:
        disks = data_minidisk_units(disk_gib, model, reserved_cyl, lun_gib)
        return DataVolumeChoice(
            model=_display_model(model),
            minidisks=tuple(int(d) for d in disks),
            unit=volume_units(model),
            capacity_gib=float(units_to_gib(sum(disks), model)),
            reason=reason,
        )

    if rule_key != "auto":
        return pick(rule_key, f"storage.data_volumes: {_display_model(rule_key)}")
    for model in [*eckd_candidates(base_model), EAV_MODEL.upper()]:
        cap = usable_cyl(model, reserved_cyl)
        n = -(-int(gib_to_cyl(disk_gib, model)) // cap)
        if n <= limit:
            return pick(model, f"smallest model with at most {limit} volumes per disk")
    return pick(EDEV_MODEL, f"more than {limit} EAVs: FCP LUNs (EDEV)")


def guest_image_mib(disk_gib: npt.ArrayLike) -> np.ndarray | int:
    """Size of a Xen domU's data image for an application disk of ``disk_gib`` GiB [MiB], rounded up.

    Parameters
    ----------
    disk_gib : array_like
        Application disk [GiB].

    Examples
    --------
    >>> guest_image_mib(72)
    73728
    """
    g = nonneg_array("disk_gib", disk_gib)
    return _scalar_or_array(np.ceil(g * 1024 - 1e-9), as_int=True)


def application_disk(
    disk_gib: Sequence[float] | npt.ArrayLike,
    platform: str = "zvm",
    model: str = DEFAULT_MODEL,
    reserved_cyl: int = RESERVED_CYL,
    *,
    rule: str | None = None,
    max_volumes_per_disk: int | None = None,
    lun_gib: float | None = None,
) -> pd.DataFrame:
    """Per-guest application disk from the inventory's ``disk_gib``: minidisks (z/VM) or images (Xen).

    Parameters
    ----------
    disk_gib : sequence of float
        One value per guest [GiB] (an inventory expanded by ``count``).
    platform : {'zvm', 'xen'}
        Minidisks (z/VM) or image files (Xen).
    model : str
        3390 model of the data volumes (z/VM).
    reserved_cyl : int, default RESERVED_CYL
        Cylinders reserved at the start of each volume (1: cylinder 0 holds the label).
    rule : str, optional
        Data-volume rule (:func:`choose_data_volumes`: ``auto`` or one model); default (None)
        every data disk on ``model``.
    max_volumes_per_disk : int, optional
        Limit of the ``auto`` rule (default constant ``data_volumes_max_per_disk``).
    lun_gib : float, optional
        EDEV LUN size [GiB] (default the largest EDEV).

    Returns
    -------
    DataFrame
        One row per guest: ``disk_gib``, ``minidisks`` (list of sizes in cylinders, or in
        512-byte blocks on EDEVs, z/VM), ``volume_model`` (z/VM; "" for Xen), ``data_cyl`` (sum
        of the 3390 minidisks), ``data_blocks`` (sum of the EDEV minidisks), ``image_mib``
        (Xen), ``capacity_gib`` (what is allocated).

    Examples
    --------
    >>> f = application_disk([72, 9])
    >>> f["data_cyl"].tolist(), f["minidisks"].map(len).tolist()
    ([104858, 13108], [11, 2])
    >>> application_disk([72], "xen")["image_mib"].tolist()
    [73728]
    >>> application_disk([72, 4096], rule="auto")["volume_model"].tolist()
    ['3390-27', '3390-A']
    """
    g = np.atleast_1d(nonneg_array("disk_gib", disk_gib))
    if platform not in ("zvm", "xen"):
        raise InputError(must_be("platform", "one of ['zvm', 'xen']", platform))
    if platform == "zvm":
        if rule is None:
            disks = [data_minidisk_cyl(float(v), model, reserved_cyl) for v in g]
            models = [_display_model(model)] * g.size
        else:
            memo: dict[float, DataVolumeChoice] = {}  # inventories repeat sizes
            for v in {float(x) for x in g}:
                memo[v] = choose_data_volumes(
                    v,
                    rule,
                    base_model=model,
                    max_volumes_per_disk=max_volumes_per_disk,
                    lun_gib=lun_gib,
                    reserved_cyl=reserved_cyl,
                )
            disks = [list(memo[float(v)].minidisks) for v in g]
            models = [memo[float(v)].model for v in g]
        edev = np.array([_is_edev(m) for m in models], dtype=bool)
        units = np.array([sum(d) for d in disks], dtype=np.int64)
        cyl = np.where(edev, 0, units)
        blocks = np.where(edev, units, 0)
        return pd.DataFrame(
            {
                "disk_gib": g,
                "minidisks": disks,
                "volume_model": models,
                "data_cyl": cyl,
                "data_blocks": blocks,
                "image_mib": np.zeros(g.size, np.int64),
                "capacity_gib": np.asarray(cyl_to_gib(cyl, model), dtype=float)
                + blocks * FBA_BLOCK_BYTES / BYTES_PER_GIB,
            }
        )
    img = np.asarray(guest_image_mib(g), dtype=np.int64).reshape(-1)
    return pd.DataFrame(
        {
            "disk_gib": g,
            "minidisks": [[] for _ in g],
            "volume_model": [""] * g.size,
            "data_cyl": np.zeros(g.size, np.int64),
            "data_blocks": np.zeros(g.size, np.int64),
            "image_mib": img,
            "capacity_gib": img / 1024.0,
        }
    )


# --------------------------------------------------------------------------- colony totals
@dataclass(frozen=True)
class StorageTotals(DictMixin):
    """Disk totals of a colony: shared minidisks once, per-guest minidisks × guests.

    Attributes
    ----------
    model : str
        3390 model of the volumes.
    shared_cyl : int
        Cylinders of minidisks shared by all guests (counted once).
    per_guest_cyl : int
        Cylinders of one guest's own minidisks (the design's).
    guests : int
        Number of guests.
    total_cyl : int
        ``shared_cyl + guests × per_guest_cyl + data_cyl``.
    total_gib : float
        ``total_cyl`` in GiB.
    volumes : int
        Volumes needed for all minidisks (first-fit decreasing, no spanning).
    data_cyl : int
        Cylinders of the guests' application-disk (data) minidisks.
    """

    model: str
    shared_cyl: int
    per_guest_cyl: int
    guests: int
    total_cyl: int
    total_gib: float
    volumes: int
    data_cyl: int = 0

    # to_dict(): every field, in order (colonykit._dicts.DictMixin)


def storage_totals(
    guests: int,
    per_guest_minidisk_cyl: Sequence[int] = (),
    shared_minidisk_cyl: Sequence[int] = (),
    model: str = DEFAULT_MODEL,
    reserved_cyl: int = RESERVED_CYL,
    *,
    data_minidisk_cyl: Sequence[int] = (),
) -> StorageTotals:
    """Total cylinders, GiB and volumes for shared plus per-guest minidisks.

    Shared minidisks (e.g. a read-only ``/usr`` linked by every guest, seed 003
    §3.2.3) are counted once; each guest's own minidisks ``guests`` times;
    ``data_minidisk_cyl`` (every guest's application-disk minidisks, which differ per
    guest, from :func:`application_disk`) once each.

    Parameters
    ----------
    guests : int
        Number of guests.
    per_guest_minidisk_cyl : sequence of int
        Each guest's own minidisks [cylinders], counted guests times.
    shared_minidisk_cyl : sequence of int
        Minidisks shared by all guests [cylinders], counted once.
    model : str, default "3390-9"
        3390 model of the volumes (a row of ``dasd_models.csv``).
    reserved_cyl : int, default RESERVED_CYL
        Cylinders reserved at the start of each volume (1: cylinder 0 holds the label).
    data_minidisk_cyl : sequence of int
        Every guest's application-disk minidisks [cylinders], counted once each.

    Examples
    --------
    >>> t = storage_totals(10, per_guest_minidisk_cyl=[1000, 200], shared_minidisk_cyl=[3000])
    >>> t.total_cyl, t.volumes  # 3000 + 10 × 1200 = 15,000 cyl on 3390-9s
    (15000, 2)
    """
    if int(guests) != guests or guests < 0:
        raise InputError(must_be("guests", "a whole number >= 0", guests))
    per = (
        _check_minidisks(per_guest_minidisk_cyl)
        if len(per_guest_minidisk_cyl)
        else np.zeros(0, np.int64)
    )
    shared = (
        _check_minidisks(shared_minidisk_cyl) if len(shared_minidisk_cyl) else np.zeros(0, np.int64)
    )
    data = _check_minidisks(data_minidisk_cyl) if len(data_minidisk_cyl) else np.zeros(0, np.int64)
    all_disks = np.concatenate([shared, np.tile(per, int(guests)), data])
    total = int(all_disks.sum())
    return StorageTotals(
        model=str(model).lower(),
        shared_cyl=int(shared.sum()),
        per_guest_cyl=int(per.sum()),
        data_cyl=int(data.sum()),
        guests=int(guests),
        total_cyl=total,
        total_gib=float(cyl_to_gib(total, model)),
        volumes=volumes_needed(all_disks, model, reserved_cyl),
    )


__all__ = [
    "DATA_VOLUME_RULES",
    "DEFAULT_MODEL",
    "EAV_MODEL",
    "EDEV_MODEL",
    "FBA_BLOCK_BYTES",
    "NON_EAV_MAX_CYL",
    "DataVolumeChoice",
    "choose_data_volumes",
    "data_minidisk_units",
    "eckd_candidates",
    "edev_blocks",
    "units_to_gib",
    "volume_capacity",
    "volume_units",
    "MDC_MAX_MINIDISK_CYL",
    "RESERVED_CYL",
    "DasdGeometry",
    "StorageTotals",
    "allocate_minidisks",
    "application_disk",
    "bytes_to_cyl",
    "cyl_to_bytes",
    "cyl_to_gib",
    "data_minidisk_cyl",
    "geometry",
    "gib_to_cyl",
    "guest_image_mib",
    "page_bytes",
    "page_slots_per_volume",
    "pages_to_cyl",
    "storage_totals",
    "usable_cyl",
    "volumes_needed",
]
