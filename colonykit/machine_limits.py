"""Limits a planner expects the tool to know: IFLs per machine, logical processors per z/VM
LPAR, VDISK and T-disk space, Xen dom0 and Xen memory (no overcommit on RHEL 5).

Each check is a pure function returning a list of problem sentences (empty when the limit
holds), with the source in the message, so a plan turns them into findings without
re-deriving any number.  The numbers live in ``processors.csv`` (``max_ifls``),
``processor_aliases.csv`` (LinuxONE models) and ``constants_limits.csv``.

Examples
--------
>>> from colonykit import machine_limits as limits
>>> limits.ifl_problems("z16", 260)[0][:58]
'260 IFLs requested but a z16 has at most 200 (processors.c'
>>> limits.zvm_logical_processor_problems(48, smt=True)[0][:40]
'48 cores for one z/VM LPAR with SMT: at '
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from colonykit import reference, storage
from colonykit._arrays import nonneg_array
from colonykit.errors import InputError, must_be
from colonykit.units import FBA_BLOCKS_PER_MIB


@functools.lru_cache(maxsize=256)
def max_ifls(model: str) -> tuple[int, str]:
    """Most IFLs a processor model (or LinuxONE name) can have, and the source of that figure.

    Read from the bundled tables, which do not change while the process runs: each model's
    answer is kept (a plan rebuilt by the dashboard asks again on every control move).

    Parameters
    ----------
    model : str
        Processor model (``processors.csv``) or LinuxONE name (``processor_aliases.csv``).

    Examples
    --------
    >>> max_ifls("z16")[0], max_ifls("LinuxONE Rockhopper 4")[0]
    (200, 68)
    """
    canonical, alias = reference.resolve_processor(model)
    if alias is not None and not math.isnan(float(alias["max_ifls"])):
        return int(alias["max_ifls"]), f"processor_aliases.csv {alias.name}: {alias['source']}"
    row = reference.lookup(reference.processors(), canonical, "processor model")
    if "max_ifls" in row and not math.isnan(float(row["max_ifls"])):
        return int(row["max_ifls"]), f"processors.csv {canonical}: {row['max_ifls_source']}"
    return int(row["max_engines"]), f"processors.csv {canonical}: max_engines"


def ifl_problems(model: str, ifls: int) -> list[str]:
    """IFLs above the machine's maximum (e.g. 260 IFLs on a z16, which has 200).

    Parameters
    ----------
    model : str
        Processor model or LinuxONE name.
    ifls : int
        IFLs planned on the machine.

    Examples
    --------
    >>> ifl_problems("z16", 200)
    []
    """
    if int(ifls) != ifls or ifls < 0:
        raise InputError(must_be("ifls", "a whole number >= 0", ifls))
    top, src = max_ifls(model)
    if ifls <= top:
        return []
    return [
        f"{int(ifls)} IFLs requested but a {model} has at most {top} ({src}); "
        f"use {math.ceil(ifls / top)} machines or a larger model"
    ]


def zvm_level_default() -> str:
    """The z/VM level limits are checked against when none is given (constant ``zvm_level``).

    Examples
    --------
    >>> zvm_level_default()
    '7.4'
    """
    return f"{reference.constant('zvm_level'):.1f}"


@functools.lru_cache(maxsize=1024)
def platform_limit(limit: str, key: str, smt: str = "") -> tuple[float, str] | None:
    """A row of ``platform_limits.csv``: (value, source), or None when the table has none.

    Read from the bundled table, which does not change while the process runs: each answer
    is kept (the plan's checks and placement ask again on every rebuild).

    z/VM levels without a row of their own take the highest listed level below them
    (7.1 -> the 7.2 row: the limits only grew).

    Parameters
    ----------
    limit : str
        ``zvm_logical_cores``, ``zvm_real_storage_gib``, ``machine_memory_gib``, ``machine_lpars``.
    key : str
        z/VM level (``7.3``) or machine type (``3931``).
    smt : str, default ''
        ``on`` / ``off`` for the per-SMT rows.

    Examples
    --------
    >>> platform_limit("zvm_logical_cores", "7.3", "on")[0], platform_limit("machine_lpars", "3931")
    (40.0, None)
    """
    tab = reference.platform_limits()
    rows = tab[(tab["limit"] == limit) & (tab["smt"] == smt)]
    hit = rows[rows["key"] == str(key)]
    if not len(hit) and limit.startswith("zvm_") and len(rows):
        try:
            level = float(key)
        except ValueError:
            return None
        levels = rows["key"].astype(float)
        below = rows[levels <= level]
        hit = (
            below.loc[[below["key"].astype(float).idxmax()]]
            if len(below)
            else rows.loc[[levels.idxmin()]]
        )
    if not len(hit):
        return None
    return float(hit["value"].iloc[0]), str(hit["source"].iloc[0])


def zvm_logical_processor_problems(
    cpus: int, smt: bool = False, zvm_level: str | None = None
) -> list[str]:
    """Logical cores of one z/VM LPAR above what its z/VM level supports (``platform_limits.csv``).

    z/VM 7.3 and 7.4: 80 cores, 40 with SMT (IBM PR/SM Planning Guide); before 7.3: 64 / 32.

    Parameters
    ----------
    cpus : int
        Logical processors (IFLs) of the LPAR.
    smt : bool, default False
        SMT enabled (two threads per core).
    zvm_level : str, optional
        z/VM level (``7.4``); default :func:`zvm_level_default`.

    Examples
    --------
    >>> zvm_logical_processor_problems(80), len(zvm_logical_processor_problems(81))
    ([], 1)
    >>> len(zvm_logical_processor_problems(65, zvm_level="7.2"))
    1
    """
    if int(cpus) != cpus or cpus < 0:
        raise InputError(must_be("cpus", "a whole number >= 0", cpus))
    level = zvm_level or zvm_level_default()
    row = platform_limit("zvm_logical_cores", level, "on" if smt else "off")
    if row is None:
        return []
    top = int(row[0])
    if cpus <= top:
        return []
    src = f"z/VM {level}: {row[1]}"
    what = "cores for one z/VM LPAR with SMT" if smt else "logical processors for one z/VM LPAR"
    return [
        f"{int(cpus)} {what}: at most {top} ({src}); split the guests over "
        f"{math.ceil(cpus / top)} LPARs"
    ]


def zvm_real_storage_problems(real_gib: float, zvm_level: str | None = None) -> list[str]:
    """Real storage of one z/VM LPAR above what its z/VM level supports (4 TB for 7.3 and 7.4).

    Parameters
    ----------
    real_gib : float
        Real storage of the LPAR [GiB].
    zvm_level : str, optional
        z/VM level; default :func:`zvm_level_default`.

    Examples
    --------
    >>> zvm_real_storage_problems(4096), len(zvm_real_storage_problems(4097))
    ([], 1)
    """
    level = zvm_level or zvm_level_default()
    row = platform_limit("zvm_real_storage_gib", level)
    if row is None or real_gib <= row[0] + 1e-9:
        return []
    return [
        f"{real_gib:,.0f} GiB of real storage for one z/VM {level} LPAR: at most {row[0]:,.0f} GiB "
        f"({row[1]}); split the guests over {math.ceil(real_gib / row[0])} LPARs"
    ]


def machine_problems(machine: str, real_gib_total: float, lpars: int) -> list[str]:
    """Memory and LPAR count of one machine above its model's maximum (``platform_limits.csv``).

    A machine type without a row has no check (its limit was not retrieved; never invented).

    Parameters
    ----------
    machine : str
        Processor model, alias or machine type (``z16 A02``, ``3932``).
    real_gib_total : float
        Σ real storage of the LPARs on the machine [GiB].
    lpars : int
        LPARs planned on the machine.

    Examples
    --------
    >>> machine_problems("3932", 16384, 40), len(machine_problems("z16 A02", 16385, 1))
    ([], 1)
    >>> machine_problems("9176", 10, 41)[0][:44]
    '41 LPARs on one 9176 machine: at most 40 (IB'
    """
    mt = reference.machine_type(machine)
    out: list[str] = []
    mem = platform_limit("machine_memory_gib", mt)
    if mem is not None and real_gib_total > mem[0] + 1e-9:
        out.append(
            f"{real_gib_total:,.0f} GiB of real storage on one {mt} machine: at most "
            f"{mem[0]:,.0f} GiB ({mem[1]}); use a larger model or a second machine"
        )
    lp = platform_limit("machine_lpars", mt)
    if lp is not None and lpars > lp[0]:
        out.append(
            f"{int(lpars)} LPARs on one {mt} machine: at most {int(lp[0])} ({lp[1]}); "
            "use larger LPARs or a second machine"
        )
    return out


def vdisk_problems(
    vdisk_mib: Sequence[float] | npt.ArrayLike,
    *,
    syslim_blocks: float | None = None,
    userlim_blocks: float | None = None,
    per_guest_mib: Sequence[float] | npt.ArrayLike | None = None,
    max_blocks: float | None = None,
) -> list[str]:
    """VDISK sizes and space: each VDISK at most 4,194,296 blocks; totals within SYSLIM/USERLIM.

    ``vdisk_mib`` lists every VDISK of the LPAR; ``per_guest_mib`` each guest's VDISK total
    (checked against ``userlim_blocks``).  z/VM's ``SET VDISK SYSLIM/USERLIM`` values are the
    installation's (``QUERY VDISK SYSLIM``); no default is assumed, so the totals are checked
    only when you give them.  SYSLIM is "the maximum amount of system storage that may be
    allocated for virtual disks in storage on the system", so it holds every VDISK, the
    directory's ``MDISK … V-DISK`` ones included; USERLIM applies only to VDISKs "defined by a
    single user using the DEFINE command" (IBM z/VM 7.2 CP Commands and Utilities Reference,
    QUERY VDISK), so the plan's directory VDISKs are not checked against it (CK020).

    Parameters
    ----------
    vdisk_mib : sequence of float
        Every VDISK of the LPAR [MiB].
    syslim_blocks : float, optional
        The installation's ``SET VDISK SYSLIM`` [512-byte blocks].
    userlim_blocks : float, optional
        The installation's ``SET VDISK USERLIM`` [512-byte blocks].
    per_guest_mib : sequence of float, optional
        Each guest's VDISK total [MiB], checked against ``userlim_blocks``.
    max_blocks : float, optional
        Largest VDISK [blocks]; default constant ``plan_vdisk_max_blocks`` (4,194,296).

    Examples
    --------
    >>> vdisk_problems([64, 128], syslim_blocks=300_000)
    ['VDISKs total 192 MiB = 393,216 blocks, over the system limit SYSLIM 300,000 blocks (SET VDISK SYSLIM)']
    """
    sizes = np.atleast_1d(nonneg_array("vdisk_mib", vdisk_mib))
    top = float(reference.constant("plan_vdisk_max_blocks") if max_blocks is None else max_blocks)
    out = []
    blocks = sizes * FBA_BLOCKS_PER_MIB
    for i in np.flatnonzero(blocks > top):
        out.append(
            f"VDISK {i + 1} of {sizes[i]:g} MiB = {blocks[i]:,.0f} blocks is over the "
            f"{top:,.0f}-block maximum of one VDISK"
        )
    total = float(blocks.sum())
    if syslim_blocks is not None and total > float(syslim_blocks):
        out.append(
            f"VDISKs total {sizes.sum():g} MiB = {total:,.0f} blocks, over the system limit "
            f"SYSLIM {float(syslim_blocks):,.0f} blocks (SET VDISK SYSLIM)"
        )
    if userlim_blocks is not None and per_guest_mib is not None:
        per = np.atleast_1d(nonneg_array("per_guest_mib", per_guest_mib)) * FBA_BLOCKS_PER_MIB
        for i in np.flatnonzero(per > float(userlim_blocks)):
            out.append(
                f"guest {i + 1}: VDISKs of {per[i]:,.0f} blocks over USERLIM "
                f"{float(userlim_blocks):,.0f} blocks (SET VDISK USERLIM)"
            )
    return out


def tdisk_volumes(tdisk_cyl_total: float, model: str = storage.DEFAULT_MODEL) -> int:
    """Volumes of T-disk space (CP-owned, allocated TDISK) the guests' T-disks need at once.

    Parameters
    ----------
    tdisk_cyl_total : float
        T-disk cylinders of all logged-on guests at once.
    model : str, default "3390-9"
        3390 model of the TDISK volumes.

    Examples
    --------
    >>> tdisk_volumes(26 * 40)  # 26 guests with a 40-cylinder T-disk: one 3390-9
    1
    """
    c = float(nonneg_array("tdisk_cyl_total", tdisk_cyl_total))
    return int(math.ceil(c / storage.usable_cyl(model))) if c > 0 else 0


def tdisk_problems(tdisk_cyl_total: float, tdisk_space_cyl: float | None) -> list[str]:
    """T-disks of all logged-on guests above the installation's TDISK space (when given).

    Parameters
    ----------
    tdisk_cyl_total : float
        T-disk cylinders of all logged-on guests at once.
    tdisk_space_cyl : float or None
        The installation's TDISK space [cylinders]; ``None`` checks nothing.

    Examples
    --------
    >>> tdisk_problems(1040, 1000)
    ['T-disks need 1,040 cylinders at once but the TDISK space has 1,000 (allocate more TDISK cylinders on CP-owned volumes)']
    """
    need = float(nonneg_array("tdisk_cyl_total", tdisk_cyl_total))
    if tdisk_space_cyl is None or need <= float(tdisk_space_cyl):
        return []
    return [
        f"T-disks need {need:,.0f} cylinders at once but the TDISK space has {float(tdisk_space_cyl):,.0f} "
        "(allocate more TDISK cylinders on CP-owned volumes)"
    ]


def xen_memory_problems(
    domu_mib: Sequence[float] | npt.ArrayLike,
    host_mib: float,
    *,
    dom0_mib: float | None = None,
    overcommit: bool | None = None,
) -> list[str]:
    """Xen host memory: Σ domU + dom0 must fit the host (RHEL 5 Xen cannot overcommit memory).

    Parameters
    ----------
    domu_mib : sequence of float
        Memory of every domU on the host [MiB].
    host_mib : float
        Host memory [MiB].
    dom0_mib : float, optional
        dom0 memory [MiB]; default constant ``xen_dom0_mib``.
    overcommit : bool, optional
        Whether the Xen version can overcommit memory; default constant ``xen_memory_overcommit``
        (RHEL 5: no).

    Examples
    --------
    >>> xen_memory_problems([1024] * 33, 24 * 1024)[0][:60]
    'domUs need 33,792 MiB + dom0 2,048 MiB = 35,840 MiB but host'
    """
    d = np.atleast_1d(nonneg_array("domu_mib", domu_mib))
    host = float(host_mib)
    if not (math.isfinite(host) and host > 0):
        raise InputError(must_be("host_mib", "> 0", host_mib))
    dom0 = reference.constant("xen_dom0_mib") if dom0_mib is None else float(dom0_mib)
    allowed = (
        bool(reference.constant("xen_memory_overcommit")) if overcommit is None else overcommit
    )
    need = float(d.sum()) + dom0
    if allowed or need <= host:
        return []
    src = str(reference.constants().loc["xen_memory_overcommit", "source"])
    return [
        f"domUs need {d.sum():,.0f} MiB + dom0 {dom0:,.0f} MiB = {need:,.0f} MiB but host has "
        f"{host:,.0f} MiB; RHEL 5 Xen does not overcommit memory ({src})"
    ]


__all__ = [
    "ifl_problems",
    "max_ifls",
    "tdisk_problems",
    "tdisk_volumes",
    "vdisk_problems",
    "xen_memory_problems",
    "zvm_logical_processor_problems",
]
