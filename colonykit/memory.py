"""Guest memory on z/VM: virtual vs resident storage, swap layouts, sharing, overcommit.

What each guest costs the LPAR (seed 003 §3.3, §8.17.6; facts.md §5):

* **Virtual storage** (the guest's defined size) counts toward overcommit, IBM's
  ratio Σ virtual storage of *logged-on* guests ÷ real storage (facts.md §5.2;
  15 × 1 GB on 10 GB is 1.5:1).  A warning is raised above
  ``max_memory_overcommit_ratio`` (constant, default 1.5; no published range exists).
* **Resident** storage is the guest's working set (an input; when unknown, the
  whole virtual storage, because Linux fills unused memory with buffer cache,
  seed 003 §3.3.2 and §9.1.1), minus a **CMM** balloon (pages given back to z/VM,
  facts.md §5.5), minus private copies replaced by shared storage.
* **Swap**: Linux uses the highest-priority swap area first (facts.md §5.3).  In
  the *hybrid* layout (seed 003 §3.3.5) a RAMdisk swap area inside the guest's
  virtual storage comes first, then prioritized **VDISKs**.  VDISK pages exist
  only once written: a VDISK costs what was written, not its size ("10 VDISKs cost
  9 MB"), so the footprint is the swap written, at most the VDISKs reached
  (``vdisk_footprint="touched"`` counts every VDISK reached in full, the bound
  when Linux scatters swap slots over a disk).
* **NSS / DCSS**: a kernel NSS (~1.5 MB shared, facts.md §5.4) and DCSS/XIP
  segments are resident **once** per LPAR.  A guest using the NSS saves its private
  kernel copy (1.5 MiB); a guest using a DCSS saves only the pages of the segment it
  would otherwise hold privately, ``dcss_private_mib`` (bounded by the segments it maps
  and by its working set).  No published per-guest DCSS saving exists (facts.md §9
  item 8), so it defaults to 0: state what your guests would otherwise cache.
* **DCSS placement**: a DCSS sits outside the guest's storage, at an address beyond
  the guest's defined size (seed 003 §17.3.3; seed 001 ``DEFSEG name F000-FFFF`` is a
  16 MB DCSS at 240–256 MB, so ``DEF STOR`` must be at most 240 MB).  Give a segment as
  a page range (``"F000-FFFF"``) and every guest using it is checked
  (:func:`dcss_range_mib`, :func:`dcss_placement_problems`).
* **MDC** is carved out of real storage before guests get any.
* **Real storage for a target overcommit** (Velocity Software tuning guide, "Storage
  Analysis", https://velocitysoftware.com/tuneguide/STORELVL.html): Σ guest virtual ÷
  target ratio + 2 GB "for z/VM, MDC and infrastructure"; 20 × 1 GB servers at a target of
  2 need 12 GB.  Targets: 1.5 for WAS and Domino, 3 for Oracle and other "virtual
  friendly" applications (:func:`real_storage_for_overcommit`).
* **RAMdisk / hybrid swap and CMM** are modelled as what they are: a priority order
  and a fixed subtraction.  RAMdisk swap (seed 003 §3.3.4) lives inside the guest's
  virtual storage, so it adds nothing to virtual or resident storage; it is filled
  first, then the VDISKs in priority order (§3.3.5 hybrid).  The hybrid method's filler
  RAMdisks are paged out by z/VM ("a slight overhead in paging space") and are not
  counted.  A CMM balloon (facts.md §5.5) is ``cmm_mib`` subtracted from the resident
  working set; VMRM's dynamic pool sizing is not modelled.

Examples
--------
>>> from colonykit import memory
>>> memory.overcommit_ratio(15 * 1024, 10 * 1024)  # IBM's example: 15 × 1 GB on 10 GB
1.5
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from colonykit import reference
from colonykit._arrays import nonneg_array
from colonykit._dicts import DictMixin
from colonykit.errors import (
    ColonykitWarning,
    InputError,
    log_or_raise,
    must_be,
    unknown_name,
)
from colonykit.units import BYTES_PER_MIB, PAGE_BYTES

VdiskFootprint = Literal["written", "touched"]


# --------------------------------------------------------------------------- pure functions
def overcommit_ratio(virtual_mib: npt.ArrayLike, real_mib: npt.ArrayLike) -> np.ndarray | float:
    """IBM's overcommit: Σ virtual storage of logged-on guests ÷ real storage.

    Parameters
    ----------
    virtual_mib : array_like
        Virtual storage of the logged-on guests [MiB] (a list is summed).
    real_mib : array_like
        Real storage [MiB].

    Examples
    --------
    >>> overcommit_ratio([1024] * 20, 10 * 1024)  # a list is summed
    2.0
    """
    v = np.asarray(virtual_mib, dtype=float)
    total = v.sum() if v.ndim else v
    r = np.asarray(real_mib, dtype=float)
    if np.any(~np.isfinite(r) | (r <= 0)):
        raise InputError(must_be("real_mib", "> 0", r.tolist()))
    out = total / r
    return float(out) if np.ndim(out) == 0 else out


def vdisk_fill_mib(vdisk_mib: npt.ArrayLike, swap_mib: npt.ArrayLike) -> np.ndarray:
    """Swap written to each prioritized VDISK (highest priority first, each filled before the next).

    Parameters
    ----------
    vdisk_mib : array_like, shape (..., k)
        VDISK sizes in priority order; rows are guests (pad with 0).
    swap_mib : array_like, shape (...)
        Swap in use per guest [MiB].

    Returns
    -------
    numpy.ndarray, shape (..., k)
        MiB written to each VDISK; the sum is ``min(swap, Σ sizes)``.

    Examples
    --------
    >>> vdisk_fill_mib([100] * 10, 9).tolist()[:2]  # 9 MiB of swap touches only the first disk
    [9.0, 0.0]
    >>> vdisk_fill_mib([[100, 100], [50, 200]], [150, 300]).tolist()
    [[100.0, 50.0], [50.0, 200.0]]
    """
    sizes = np.asarray(vdisk_mib, dtype=float)
    swap = np.asarray(swap_mib, dtype=float)[..., None]
    before = np.cumsum(sizes, axis=-1) - sizes
    return np.clip(swap - before, 0.0, sizes)


def dcss_range_mib(page_range: str) -> tuple[float, float]:
    """Start and end [MiB] of a DCSS from its ``DEFSEG`` page range (hex 4-KiB page numbers).

    Seed 001: ``CP DEFSEG dcss_name F000-FFFF SR LOADNSHR`` is "a 16 MB DCSS in the
    240MB-256MB range" (page F000 = 61,440 × 4 KiB = 240 MiB; the end page is inclusive).

    Parameters
    ----------
    page_range : str
        The ``DEFSEG`` page range, e.g. ``"F000-FFFF"``.

    Examples
    --------
    >>> dcss_range_mib("F000-FFFF")
    (240.0, 256.0)
    """
    text = str(page_range).strip()
    parts = text.split("-")
    try:
        if len(parts) != 2:
            raise ValueError(text)
        first, last = (int(p, 16) for p in parts)
    except ValueError as exc:
        raise InputError(
            must_be("DCSS page range", "two hex page numbers like 'F000-FFFF'", page_range)
        ) from exc
    if last < first:
        raise InputError(must_be("DCSS page range", "first page <= last page", page_range))
    return first * PAGE_BYTES / BYTES_PER_MIB, (last + 1) * PAGE_BYTES / BYTES_PER_MIB


def dcss_placement_problems(
    virtual_mib: npt.ArrayLike,
    segment_start_mib: float,
    names: Sequence[str] = (),
    segment: str = "DCSS",
) -> list[str]:
    """Guests whose defined storage reaches into a DCSS (it must lie beyond the guest's size).

    Seed 003 §17.3.3: "The DCSS is normally located outside the virtual storage of the
    virtual machine (i.e., at a virtual address beyond the size of the virtual machine)".

    Parameters
    ----------
    virtual_mib : array_like
        Defined storage of each guest using the segment [MiB].
    segment_start_mib : float
        Start of the segment [MiB] (see :func:`dcss_range_mib`).
    names : sequence of str, optional
        Guest names, for the messages.
    segment : str, default 'DCSS'
        Segment name, for the messages.

    Examples
    --------
    >>> dcss_placement_problems([240, 256], 240.0, ["a", "b"], "TUXTEST")
    ["guest b: storage 256 MiB reaches into DCSS TUXTEST at 240 MiB; define at most 240 MiB (DEF STOR) or move the segment above the guest's storage"]
    """
    v = np.atleast_1d(np.asarray(virtual_mib, dtype=float))
    labels = list(names) if len(names) == v.size else [f"#{i + 1}" for i in range(v.size)]
    return [
        f"guest {labels[i]}: storage {v[i]:g} MiB reaches into DCSS {segment} at "
        f"{segment_start_mib:g} MiB; define at most {segment_start_mib:g} MiB (DEF STOR) or move the "
        "segment above the guest's storage"
        for i in np.flatnonzero(v > segment_start_mib + 1e-9)
    ]


def real_storage_for_overcommit(
    virtual_total_mib: npt.ArrayLike,
    target_ratio: float | None = None,
    zvm_kept_mib: float | None = None,
) -> np.ndarray | float:
    """Real storage an LPAR needs for a target overcommit: Σ virtual ÷ ratio + what z/VM keeps.

    Velocity Software's storage-planning rule ("# of servers x server size / 2 plus 2GB
    for z/VM = storage requirement"; 2 GB "for z/VM, MDC and infrastructure").  Defaults:
    target ``max_memory_overcommit_ratio`` (1.5, Velocity's target for WAS and Domino), kept
    storage ``zvm_kept_storage_mib`` (2048).

    Parameters
    ----------
    virtual_total_mib : array_like
        Σ virtual storage of the guests [MiB].
    target_ratio : float, optional
        Target overcommit; default constant ``max_memory_overcommit_ratio`` (1.5).
    zvm_kept_mib : float, optional
        Storage z/VM keeps; default constant ``zvm_kept_storage_mib`` (2048).

    Examples
    --------
    >>> real_storage_for_overcommit(20 * 1024, 2.0)  # Velocity: 20 × 1 GB at 2:1 -> 12 GB
    12288.0
    """
    ratio = (
        reference.constant("max_memory_overcommit_ratio")
        if target_ratio is None
        else float(target_ratio)
    )
    kept = (
        reference.constant("zvm_kept_storage_mib") if zvm_kept_mib is None else float(zvm_kept_mib)
    )
    if not (math.isfinite(ratio) and ratio > 0):
        raise InputError(must_be("target_ratio", "> 0", target_ratio))
    if not (math.isfinite(kept) and kept >= 0):
        raise InputError(must_be("zvm_kept_mib", ">= 0", zvm_kept_mib))
    v = np.asarray(virtual_total_mib, dtype=float)
    total = v.sum() if v.ndim else v
    if not (np.isfinite(total) and total >= 0):
        raise InputError(must_be("virtual_total_mib", ">= 0 and finite", float(total)))
    return float(total / ratio + kept)


# --------------------------------------------------------------------------- parameters
@dataclass(frozen=True)
class GuestMemory:
    """Memory of one kind of guest (``count`` identical guests).

    Attributes
    ----------
    name : str
        Guest (or guest group) name.
    virtual_mib : float
        Defined virtual storage of each guest [MiB], > 0.
    count : int
        Number of identical guests.
    working_set_mib : float, optional
        Resident working set [MiB] (defaults to ``virtual_mib × working_set_frac``,
        constant 1.0: Linux uses all the storage it is given).
    vdisk_mib : tuple of float
        VDISK swap devices in priority order, highest first [MiB].
    swap_mib : float
        Linux swap in use at the peak [MiB].
    ramdisk_swap_mib : float
        RAMdisk swap area inside the virtual storage (hybrid layout: used before the VDISKs).
    cmm_mib : float
        CMM balloon: pages returned to z/VM [MiB].
    nss : bool
        IPLs the shared kernel NSS.
    dcss : tuple of str
        Names of the shared segments (DCSS/XIP) this guest uses.
    dcss_private_mib : float
        Pages of those segments the guest would otherwise hold privately in its working set
        [MiB]; what the DCSS saves this guest (default 0: no published figure).
    logged_on : bool
        Counted in overcommit and residency only when logged on.
    """

    name: str
    virtual_mib: float
    count: int = 1
    working_set_mib: float | None = None
    vdisk_mib: tuple[float, ...] = ()
    swap_mib: float = 0.0
    ramdisk_swap_mib: float = 0.0
    cmm_mib: float = 0.0
    nss: bool = False
    dcss: tuple[str, ...] = field(default_factory=tuple)
    logged_on: bool = True
    dcss_private_mib: float = 0.0


def _validate_guests(frame: pd.DataFrame, where: str) -> None:
    problems: list[str] = []
    checks = [
        ("virtual_mib", frame["virtual_mib"] > 0, "> 0"),
        (
            "count",
            (frame["count"] >= 0) & (frame["count"] == frame["count"].round()),
            "a whole number >= 0",
        ),
        (
            "working_set_mib",
            (frame["working_set_mib"] >= 0)
            & (frame["working_set_mib"] <= frame["virtual_mib"] + 1e-9),
            "in 0..virtual_mib",
        ),
        ("swap_mib", frame["swap_mib"] >= 0, ">= 0"),
        (
            "ramdisk_swap_mib",
            (frame["ramdisk_swap_mib"] >= 0) & (frame["ramdisk_swap_mib"] <= frame["virtual_mib"]),
            "in 0..virtual_mib",
        ),
        (
            "cmm_mib",
            (frame["cmm_mib"] >= 0) & (frame["cmm_mib"] <= frame["virtual_mib"]),
            "in 0..virtual_mib",
        ),
        ("dcss_private_mib", frame["dcss_private_mib"] >= 0, ">= 0"),
    ]
    for col, ok, rule in checks:
        vals = frame[col].to_numpy(dtype=float)
        bad = ~(ok.to_numpy(dtype=bool) & np.isfinite(vals))
        for i in np.flatnonzero(bad):
            problems.append(
                must_be(col, rule, float(vals[i]), f"{where} row {i + 1} ({frame['name'].iloc[i]})")
            )
    vd = np.stack(list(frame["_vdisk"])) if len(frame) else np.zeros((0, 0))
    for i in np.flatnonzero(np.any(~np.isfinite(vd) | (vd < 0), axis=-1)) if vd.size else []:
        problems.append(must_be("vdisk_mib", "sizes >= 0", list(vd[i]), f"{where} row {i + 1}"))
    if problems:
        msg = f"invalid guest memory in {where}: " + "; ".join(problems[:20])
        raise InputError(msg, problems)


def guests_frame(
    guests: Sequence[GuestMemory] | pd.DataFrame, where: str = "guests"
) -> pd.DataFrame:
    """Guests as a frame with every column filled (defaults applied), validated.

    A DataFrame may carry columns ``name, virtual_mib`` and optionally ``count,
    working_set_mib, vdisk_mib`` (number, list, or ``"100;100"``), ``swap_mib,
    ramdisk_swap_mib, cmm_mib, nss, dcss`` (list or ``"a;b"``), ``logged_on``.

    Parameters
    ----------
    guests : sequence of GuestMemory or pandas.DataFrame
        The guests.
    where : str, default 'guests'
        Their source, for the messages.

    Examples
    --------
    >>> f = guests_frame(pd.DataFrame({"name": ["web"], "virtual_mib": [512], "vdisk_mib": ["100;100"]}))
    >>> float(f.loc[0, "working_set_mib"]), float(f.loc[0, "vdisk_defined_mib"])
    (512.0, 200.0)
    """
    if isinstance(guests, pd.DataFrame):
        frame = guests.copy()
        if "name" not in frame.columns:
            frame["name"] = [f"guest{i + 1}" for i in range(len(frame))]
        if "virtual_mib" not in frame.columns:
            msg = f"{where}: missing column 'virtual_mib'"
            raise InputError(msg)
    else:
        frame = pd.DataFrame([g.__dict__ for g in guests])
        if frame.empty:
            frame = pd.DataFrame(columns=list(GuestMemory.__dataclass_fields__))
    defaults: dict[str, Any] = {
        "count": 1,
        "working_set_mib": np.nan,
        "vdisk_mib": (),
        "swap_mib": 0.0,
        "ramdisk_swap_mib": 0.0,
        "cmm_mib": 0.0,
        "nss": False,
        "dcss": (),
        "logged_on": True,
        "dcss_private_mib": 0.0,
    }
    for col, val in defaults.items():
        if col not in frame.columns:
            frame[col] = [val] * len(frame)
    frame = frame.reset_index(drop=True)
    for col in (
        "virtual_mib",
        "working_set_mib",
        "swap_mib",
        "ramdisk_swap_mib",
        "cmm_mib",
        "count",
        "dcss_private_mib",
    ):
        frame[col] = pd.to_numeric(frame[col], errors="coerce").astype(float)
    if frame["working_set_mib"].isna().any():
        ws_frac = reference.constant("working_set_frac")
        frame["working_set_mib"] = frame["working_set_mib"].fillna(frame["virtual_mib"] * ws_frac)

    def _as_list(v: object) -> list[Any]:
        if v is None or (isinstance(v, float) and math.isnan(v)):
            return []
        if isinstance(v, str):
            return [s.strip() for s in v.split(";") if s.strip()]
        if isinstance(v, list | tuple | np.ndarray):
            return list(v)
        return [v]

    vd_lists = [[float(x) for x in _as_list(v)] for v in frame["vdisk_mib"]]
    width = max((len(v) for v in vd_lists), default=0)
    frame["_vdisk"] = pd.Series(
        [np.array(v + [0.0] * (width - len(v)), dtype=float) for v in vd_lists],
        index=frame.index,
        dtype=object,
    )
    frame["vdisk_defined_mib"] = [float(sum(v)) for v in vd_lists]
    frame["dcss"] = [tuple(str(x) for x in _as_list(v)) for v in frame["dcss"]]
    frame["nss"] = frame["nss"].astype(str).str.lower().isin(["true", "1", "yes"])
    frame["logged_on"] = ~frame["logged_on"].astype(str).str.lower().isin(["false", "0", "no"])
    _validate_guests(frame, where)
    return frame


# --------------------------------------------------------------------------- result
@dataclass(frozen=True)
class MemoryResult(DictMixin):
    """Memory of an LPAR with its guests.

    Attributes
    ----------
    guests : DataFrame
        Per guest kind: ``virtual_mib``, ``working_set_mib``, ``cmm_mib``,
        ``shared_saving_mib``, ``ramdisk_swap_used_mib``, ``vdisk_defined_mib``,
        ``vdisk_written_mib``, ``vdisk_touched_mib``, ``swap_overflow_mib``,
        ``resident_mib`` (one guest, incl. its VDISK footprint) and ``*_total`` × count.
    real_mib, mdc_mib, cp_mib : float
        Inputs: real storage, minidisk cache and CP storage [MiB].
    shared_mib : float
        NSS kernel and DCSS segments in use, counted once.
    virtual_total_mib : float
        Σ virtual storage of logged-on guests.
    vdisk_total_mib : float
        Σ defined VDISK size (what paging rules count).
    overcommit_ratio : float
        ``virtual_total_mib ÷ real_mib`` (IBM).
    max_memory_overcommit_ratio : float
        The overcommit above which a warning is given.
    resident_total_mib : float
        Expected resident storage: guests + VDISK footprint + shared + MDC + CP.
    guest_real_mib : float
        Real storage left for guests after MDC and CP.
    shortfall_mib : float
        ``max(resident_total_mib − real_mib, 0)``: what z/VM must page out.
    warnings : list of str
        What exceeds a limit.
    target_overcommit_ratio : float
        Planning target of :func:`real_storage_for_overcommit`.
    zvm_kept_mib : float
        Storage z/VM itself keeps in that rule (Velocity: 2 GB for z/VM, MDC, infrastructure).
    real_for_target_mib : float
        Real storage needed for the target: ``virtual_total_mib ÷ target + zvm_kept_mib``.
    placement_problems : list of str
        Guests whose storage reaches into a DCSS they use (also in ``warnings``).
    """

    guests: pd.DataFrame
    real_mib: float
    mdc_mib: float
    cp_mib: float
    shared_mib: float
    virtual_total_mib: float
    vdisk_total_mib: float
    overcommit_ratio: float
    max_memory_overcommit_ratio: float
    resident_total_mib: float
    guest_real_mib: float
    shortfall_mib: float
    warnings: list[str]
    target_overcommit_ratio: float = math.nan
    zvm_kept_mib: float = math.nan
    real_for_target_mib: float = math.nan
    placement_problems: list[str] = field(default_factory=list)

    @property
    def fits(self) -> bool:
        """True when the expected resident storage fits in real storage."""
        return self.shortfall_mib <= 0

    #: to_dict() keys: the totals (no per-guest frame)
    _dict_keys = (
        "real_mib",
        "mdc_mib",
        "cp_mib",
        "shared_mib",
        "virtual_total_mib",
        "vdisk_total_mib",
        "overcommit_ratio",
        "max_memory_overcommit_ratio",
        "resident_total_mib",
        "guest_real_mib",
        "shortfall_mib",
        "fits",
        "warnings",
        "target_overcommit_ratio",
        "zvm_kept_mib",
        "real_for_target_mib",
        "placement_problems",
    )


# --------------------------------------------------------------------------- orchestration
def lpar_memory(
    guests: Sequence[GuestMemory] | pd.DataFrame,
    real_mib: float,
    *,
    mdc_mib: float = 0.0,
    cp_mib: float = 0.0,
    shared_segments: Mapping[str, float | str] | None = None,
    nss_kernel_mib: float | None = None,
    max_memory_overcommit_ratio: float | None = None,
    vdisk_footprint: VdiskFootprint = "written",
    strict: bool = False,
    target_overcommit_ratio: float | None = None,
    zvm_kept_mib: float | None = None,
) -> MemoryResult:
    """Virtual, resident and shared storage of an LPAR's guests; overcommit with a warning.

    Parameters
    ----------
    guests : list of GuestMemory or DataFrame
        See :func:`guests_frame` for the frame columns.
    real_mib : float
        Real storage of the LPAR [MiB], > 0.
    mdc_mib : float
        Minidisk cache carved out of real storage [MiB].
    cp_mib : float
        Storage CP keeps for itself [MiB] (no default figure was found; give yours).
    shared_segments : mapping of str to float or str
        DCSS/XIP segments by name: a size [MiB] (each <= ``dcss_max_mib``, 2 GiB) or a
        ``DEFSEG`` page range like ``"F000-FFFF"`` (size and start; guests using it are
        checked to end below its start).
    nss_kernel_mib : float, optional
        Kernel storage shared through the NSS (default constant ``nss_shared_kernel_mib``, 1.5).
    max_memory_overcommit_ratio : float, optional
        Warn above this overcommit (default constant ``max_memory_overcommit_ratio``, 1.5).
    vdisk_footprint : {'written', 'touched'}
        Count VDISK storage as the swap written (pages exist only once written) or
        as every VDISK the swap reached, in full.
    strict : bool
        Raise :class:`~colonykit.errors.InputError` instead of warning.
    target_overcommit_ratio, zvm_kept_mib : float, optional
        For ``real_for_target_mib`` (:func:`real_storage_for_overcommit`; defaults 1.5, 2048).

    Returns
    -------
    MemoryResult

    Examples
    --------
    >>> g = [GuestMemory("web", 1024, count=15, working_set_mib=400)]
    >>> r = lpar_memory(g, 10 * 1024)
    >>> r.overcommit_ratio, r.resident_total_mib
    (1.5, 6000.0)
    >>> g = [GuestMemory("app", 512, count=10, working_set_mib=300, cmm_mib=50, nss=True,
    ...                  vdisk_mib=(100,) * 10, swap_mib=9)]
    >>> r = lpar_memory(g, 4096, mdc_mib=256)
    >>> r.resident_total_mib  # 10 × (300 − 50 − 1.5 + 9) + 1.5 shared + 256 MDC
    2832.5
    >>> g = [GuestMemory("web", 1024, count=100, working_set_mib=600, dcss=("usr",), dcss_private_mib=200)]
    >>> lpar_memory(g, 72 * 1024, shared_segments={"usr": 1024}).resident_total_mib  # 100 × 400 + 1024 once
    41024.0
    """
    frame = guests_frame(guests)
    real = float(real_mib)
    if not (math.isfinite(real) and real > 0):
        raise InputError(must_be("real_mib", "> 0", real_mib))
    for name, val in (("mdc_mib", mdc_mib), ("cp_mib", cp_mib)):
        if not (math.isfinite(val) and 0 <= val <= real):
            raise InputError(must_be(name, f"in 0..real_mib ({real:g})", val))
    if vdisk_footprint not in ("written", "touched"):
        raise InputError(
            must_be("vdisk_footprint", "one of ['written', 'touched']", vdisk_footprint)
        )
    nss_mib = (
        reference.constant("nss_shared_kernel_mib")
        if nss_kernel_mib is None
        else float(nss_kernel_mib)
    )
    limit = (
        reference.constant("max_memory_overcommit_ratio")
        if max_memory_overcommit_ratio is None
        else float(max_memory_overcommit_ratio)
    )
    if not limit > 0:  # inf allowed (never warn); NaN rejected
        raise InputError(must_be("max_memory_overcommit_ratio", "> 0", max_memory_overcommit_ratio))
    segments: dict[str, float] = {}
    seg_start: dict[str, float] = {}
    for seg, spec in dict(shared_segments or {}).items():
        if isinstance(spec, str):
            seg_start[seg], end = dcss_range_mib(spec)
            segments[seg] = end - seg_start[seg]
        else:
            segments[seg] = float(spec)
    dcss_max = reference.constant("dcss_max_mib")
    for seg, size in segments.items():
        if not (math.isfinite(size) and 0 <= size <= dcss_max):
            raise InputError(
                must_be("shared_segments", f"sizes in 0..{dcss_max:g} MiB", size, f"segment {seg}")
            )
    used_segments = sorted({s for names in frame["dcss"] for s in names})
    unknown = [s for s in used_segments if s not in segments]
    if unknown:
        err = unknown_name(
            "shared segment", unknown[0], segments, "define its size in shared_segments"
        )
        raise err

    active = frame["logged_on"].to_numpy(dtype=bool) & (frame["count"].to_numpy() > 0)
    count = np.where(active, frame["count"].to_numpy(dtype=float), 0.0)
    seg_sizes = np.array([sum(segments[s] for s in names) for names in frame["dcss"]], dtype=float)
    # a DCSS saves each guest only the segment pages it would otherwise hold privately,
    # at most what it maps (the segment is resident once, counted in `shared`)
    dcss_saving = np.minimum(frame["dcss_private_mib"].to_numpy(dtype=float), seg_sizes)
    saving = np.where(frame["nss"].to_numpy(dtype=bool), nss_mib, 0.0) + dcss_saving
    ws = frame["working_set_mib"].to_numpy(dtype=float)
    cmm = frame["cmm_mib"].to_numpy(dtype=float)
    saving = np.minimum(saving, np.maximum(ws - cmm, 0.0))  # cannot save more than is resident
    guest_resident = np.maximum(ws - cmm - saving, 0.0)

    swap = frame["swap_mib"].to_numpy(dtype=float)
    ram_used = np.minimum(swap, frame["ramdisk_swap_mib"].to_numpy(dtype=float))
    vd = np.stack(list(frame["_vdisk"])) if len(frame) else np.zeros((0, 0))
    fill = vdisk_fill_mib(vd, swap - ram_used) if vd.size else np.zeros((len(frame), 0))
    written = fill.sum(axis=-1) if fill.size else np.zeros(len(frame))
    touched = (vd * (fill > 0)).sum(axis=-1) if fill.size else np.zeros(len(frame))
    overflow = np.maximum(swap - ram_used - written, 0.0)
    vdisk_res = written if vdisk_footprint == "written" else touched
    resident = guest_resident + vdisk_res

    out = frame.drop(columns=["_vdisk"]).assign(
        shared_saving_mib=saving,
        ramdisk_swap_used_mib=ram_used,
        vdisk_written_mib=written,
        vdisk_touched_mib=touched,
        swap_overflow_mib=overflow,
        resident_mib=resident,
        virtual_total_mib=count * frame["virtual_mib"].to_numpy(dtype=float),
        resident_total_mib=count * resident,
    )
    users = count > 0
    shared = nss_mib if bool(np.any(frame["nss"].to_numpy(dtype=bool) & users)) else 0.0
    shared += float(
        sum(
            segments[s]
            for s in {s for names, u in zip(frame["dcss"], users, strict=True) if u for s in names}
        )
    )
    virtual_total = float(out["virtual_total_mib"].sum())
    vdisk_total = float((count * frame["vdisk_defined_mib"].to_numpy(dtype=float)).sum())
    resident_total = float(out["resident_total_mib"].sum()) + shared + mdc_mib + cp_mib
    ratio = virtual_total / real
    warnings_: list[str] = []
    if ratio > limit:
        warnings_.append(
            f"memory overcommit {ratio:.2f}:1 (sum of logged-on guests' virtual storage "
            f"{virtual_total:,.0f} MiB / real {real:,.0f} MiB) exceeds the limit {limit:g}:1"
        )
    shortfall = max(resident_total - real, 0.0)
    if shortfall > 0:
        warnings_.append(
            f"expected resident storage {resident_total:,.0f} MiB exceeds real storage "
            f"{real:,.0f} MiB by {shortfall:,.0f} MiB: z/VM will page working sets"
        )
    for i in np.flatnonzero(overflow > 0):
        warnings_.append(
            f"guest {frame['name'].iloc[i]}: swap in use {swap[i]:g} MiB exceeds its RAMdisk "
            f"and VDISK swap by {overflow[i]:g} MiB"
        )
    placement: list[str] = []
    for seg, start in sorted(seg_start.items()):
        uses = np.array([seg in names for names in frame["dcss"]], dtype=bool)
        placement += dcss_placement_problems(
            frame["virtual_mib"].to_numpy(dtype=float)[uses],
            start,
            frame["name"].astype(str).to_numpy()[uses].tolist(),
            seg,
        )
    warnings_ += placement
    for w in warnings_:
        log_or_raise(strict, w)
    target = limit if target_overcommit_ratio is None else float(target_overcommit_ratio)
    kept = (
        reference.constant("zvm_kept_storage_mib") if zvm_kept_mib is None else float(zvm_kept_mib)
    )
    return MemoryResult(
        guests=out,
        real_mib=real,
        mdc_mib=float(mdc_mib),
        cp_mib=float(cp_mib),
        shared_mib=shared,
        virtual_total_mib=virtual_total,
        vdisk_total_mib=vdisk_total,
        overcommit_ratio=ratio,
        max_memory_overcommit_ratio=limit,
        resident_total_mib=resident_total,
        guest_real_mib=real - mdc_mib - cp_mib,
        shortfall_mib=shortfall,
        warnings=warnings_,
        target_overcommit_ratio=target,
        zvm_kept_mib=kept,
        real_for_target_mib=float(
            real_storage_for_overcommit(
                virtual_total, target if math.isfinite(target) else 1e300, kept
            )
        ),
        placement_problems=placement,
    )


def host_memory(
    guest_virtual_mib: Sequence[float] | npt.ArrayLike,
    real_mib: float,
    *,
    guest_vdisk_mib: Sequence[float] | npt.ArrayLike | None = None,
    guest_swap_mib: Sequence[float] | npt.ArrayLike | None = None,
    working_set_frac: float | None = None,
    mdc_mib: float = 0.0,
    zvm_kept_mib: float | None = None,
    target_overcommit_ratio: float | None = None,
    max_memory_overcommit_ratio: float | None = None,
) -> MemoryResult:
    """Expected resident storage of one LPAR from a plan's guests (no warnings; the plan makes findings).

    Each guest's working set is ``virtual × working_set_frac`` (constant, 1.0: Linux fills its
    storage with buffer cache); VDISK storage counts what is written (``guest_swap_mib``, default 0);
    z/VM keeps ``zvm_kept_mib`` (Velocity: 2 GB for z/VM, MDC and infrastructure), of which the MDC
    is part, so CP storage = kept − MDC (at least 0).

    Parameters
    ----------
    guest_virtual_mib : sequence of float
        Virtual (defined) storage of each guest [MiB].
    real_mib : float
        Real storage of the LPAR [MiB].
    guest_vdisk_mib : sequence of float, optional
        Defined VDISK of each guest [MiB]; default none.
    guest_swap_mib : sequence of float, optional
        Swap each guest writes to its VDISKs [MiB]; default 0.
    working_set_frac : float, optional
        Resident share of each guest's virtual storage; default constant ``working_set_frac`` (1.0).
    mdc_mib : float, default 0
        Minidisk cache [MiB] (part of what z/VM keeps).
    zvm_kept_mib : float, optional
        Storage z/VM keeps; default constant ``zvm_kept_storage_mib`` (2048).
    target_overcommit_ratio : float, optional
        Target for ``real_for_target_mib``; default constant ``max_memory_overcommit_ratio`` (1.5).
    max_memory_overcommit_ratio : float, optional
        The overcommit limit reported; default constant ``max_memory_overcommit_ratio`` (1.5).

    Examples
    --------
    >>> r = host_memory([1024] * 33, 24 * 1024)
    >>> r.resident_total_mib, r.shortfall_mib, r.real_for_target_mib  # 33 GiB + 2 GiB kept; 33/1.5 + 2
    (35840.0, 11264.0, 24576.0)
    """
    v = np.atleast_1d(nonneg_array("guest_virtual_mib", guest_virtual_mib))
    kept = (
        reference.constant("zvm_kept_storage_mib") if zvm_kept_mib is None else float(zvm_kept_mib)
    )
    frac = (
        reference.constant("working_set_frac")
        if working_set_frac is None
        else float(working_set_frac)
    )
    vd = (
        np.zeros(v.size)
        if guest_vdisk_mib is None
        else np.atleast_1d(nonneg_array("guest_vdisk_mib", guest_vdisk_mib))
    )
    sw = (
        np.zeros(v.size)
        if guest_swap_mib is None
        else np.atleast_1d(nonneg_array("guest_swap_mib", guest_swap_mib))
    )
    frame = pd.DataFrame(
        {
            "name": [f"guest{i + 1}" for i in range(v.size)],
            "virtual_mib": v,
            "working_set_mib": v * frac,
            "vdisk_mib": list(vd.reshape(-1, 1)),
            "swap_mib": sw,
        }
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ColonykitWarning)
        cp = min(max(kept - float(mdc_mib), 0.0), max(float(real_mib) - float(mdc_mib), 0.0))
        return lpar_memory(
            frame if v.size else [],
            real_mib,
            mdc_mib=mdc_mib,
            cp_mib=cp,
            zvm_kept_mib=kept,
            target_overcommit_ratio=target_overcommit_ratio,
            max_memory_overcommit_ratio=max_memory_overcommit_ratio,
        )


def memory_over(
    guest: GuestMemory,
    counts: Sequence[int] | npt.ArrayLike,
    real_mib: float,
    **kwargs: Any,
) -> pd.DataFrame:
    """Virtual and resident storage as the number of identical guests grows (frame for a plot).

    Every total is affine in the guest count, so one evaluation at 1 guest and
    the fixed parts (shared, MDC, CP) give the whole curve.

    Parameters
    ----------
    guest : GuestMemory
        The guest repeated (its ``count`` is ignored).
    counts : sequence of int
        Guest counts to evaluate.
    real_mib : float
        Real storage of the LPAR [MiB].
    **kwargs
        Passed to :func:`lpar_memory` (``mdc_mib``, ``cp_mib``, ``shared_segments`` ...).

    Returns
    -------
    DataFrame
        Columns ``guests``, ``virtual_total_mib``, ``resident_total_mib``,
        ``overcommit_ratio``, ``real_mib``.

    Examples
    --------
    >>> f = memory_over(GuestMemory("g", 1024, working_set_mib=400), [15, 30], 10 * 1024)
    >>> f["overcommit_ratio"].tolist(), f["resident_total_mib"].tolist()
    ([1.5, 3.0], [6000.0, 12000.0])
    """
    n = np.asarray(counts, dtype=float)
    if n.ndim != 1 or np.any(~np.isfinite(n) | (n < 0)):
        raise InputError(must_be("counts", "a list of counts >= 0", list(np.atleast_1d(n))))
    kwargs = {**kwargs, "max_memory_overcommit_ratio": math.inf}
    one = lpar_memory([GuestMemory(**{**guest.__dict__, "count": 1})], real_mib, **kwargs)
    per_guest = float(one.guests["resident_total_mib"].iloc[0])
    virtual = n * one.virtual_total_mib
    shared = np.where(n > 0, one.shared_mib, 0.0)  # shared storage exists once any guest uses it
    return pd.DataFrame(
        {
            "guests": n.astype(np.int64),
            "virtual_total_mib": virtual,
            "resident_total_mib": n * per_guest + shared + one.mdc_mib + one.cp_mib,
            "overcommit_ratio": virtual / one.real_mib,
            "real_mib": one.real_mib,
        }
    )


__all__ = [
    "GuestMemory",
    "MemoryResult",
    "dcss_placement_problems",
    "dcss_range_mib",
    "real_storage_for_overcommit",
    "guests_frame",
    "host_memory",
    "lpar_memory",
    "memory_over",
    "overcommit_ratio",
    "vdisk_fill_mib",
]
