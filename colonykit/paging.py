"""z/VM paging space: named sizing rules, paging volumes and paging devices.

The sources disagree (facts.md §2.2), so each rule is a row of
``colonykit/_data/paging_rules.csv`` with its source, and all of them can be
compared side by side (:func:`compare_rules`, :func:`compare_rules_over`).

A rule is ``paging = max(multiplier × basis, basis ÷ max_allocated)`` where the
*basis* is one of

``virtual+vdisk``
    Σ guest virtual storage + Σ VDISK size (``redbook-2003``: × 4 conservative,
    ``redbook-2003-monitored``: × 2; ``velocity``: × 2 and at most 75 % allocated).
``virtual+vdisk+real``
    the same plus the LPAR's real storage.  This is how ``sg24-6299`` (seed 003, IBM
    Redbook SG24-6299-00 "Linux on IBM eServer zSeries and S/390: ISP/ASP Solutions") is read:
    seed 003 §9.1.1 asks for "twice as much paging space on DASD than the sum of
    your total virtual storage" and gives 10 guests × 512 MB in a 2 GB LPAR →
    14 GB.  2 × 5 GB = 10 GB does not match; 2 × (5 GB virtual + 2 GB real) = 14 GB
    does (facts.md §2.2), so CP's "total virtual storage" is taken to include the
    real storage it pages from.

**Default rule: ``velocity``** (2 × (Σ guest virtual + Σ VDISK), never more than 75 %
allocated; Velocity Software's current tuning guide, the same × 2 as IBM's 2003 Redbook
"monitored" rule).  The seed's own rule grows with the LPAR's real storage, which no other
source does (a 206-guest LPAR with 75 GiB of guests in 96 GiB would need 343 GiB), so it is
kept under its right name for comparison but is not the default; ``docs/io.md`` says why.

A measured requirement (e.g. page slots in use from ``QUERY ALLOC PAGE``) can
replace the basis (``requirement_mib``), which is how the Velocity rule is meant.

Space is converted into page slots (4 KiB) and volumes: one page extent per
volume (seed 003 §8.17.1) from cylinder 1 to the last cylinder (cylinder 0 holds
the label), 180 slots per 3390 cylinder (facts.md §2.1).  Separately, enough
paging *devices* are needed for the page I/O rate at ≤ 20 % busy each (facts.md
§2.2); the result's ``volumes`` is the larger of the two counts.

Examples
--------
>>> from colonykit import paging
>>> r = paging.paging_space([512] * 10, real_mib=2048, rule="sg24-6299")
>>> r.rule, r.paging_gib, r.pages, r.volumes  # 14 GiB = 3,670,016 pages > 2 × 1,802,880
('sg24-6299', 14.0, 3670016, 3)
>>> paging.paging_space([512] * 10, real_mib=2048).paging_gib  # default rule velocity: 2 × 5 GiB
10.0
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from colonykit import channels, reference, storage
from colonykit._dicts import DictMixin
from colonykit._lazy import lazy_module
from colonykit.errors import InputError, must_be, unknown_name
from colonykit.units import MIB_PER_GIB, PAGES_PER_MIB

if TYPE_CHECKING:
    import pandas as pd
else:
    pd = lazy_module("pandas")

#: Default rule: the one a planner defends today (Velocity tuning guide, 2 × and <= 75 %
#: allocated; see the module docstring and docs/io.md).
DEFAULT_RULE = "velocity"
#: The seed's own rule (seed 003 §9.1.1), kept by its right name.
SEED_RULE = "sg24-6299"
#: Volume models offered for paging (any model of ``dasd_models.csv`` is accepted).
PAGING_MODELS = ("3390-3", "3390-9", "3390-27", "3390-54")
#: Bases a rule may use (see the module docstring).
BASES = ("virtual+vdisk", "virtual+vdisk+real")


# --------------------------------------------------------------------------- rules table
def paging_rules(path: str | Path | None = None) -> pd.DataFrame:
    """The paging-space rules (bundled ``paging_rules.csv`` or a user table), indexed by rule.

    Columns: ``basis``, ``multiplier``, ``max_allocated_pct``, ``description``,
    ``source``, ``confidence``.

    Parameters
    ----------
    path : str or Path, optional
        A CSV with the columns of ``paging_rules.csv``; default the bundled table.

    Raises
    ------
    InputError
        A rule has an unknown basis, a multiplier <= 0 or ``max_allocated_pct``
        outside 0..100.

    Examples
    --------
    >>> float(paging_rules().loc["redbook-2003", "multiplier"])
    4.0
    """
    if path is None:
        return _bundled_rules().copy()
    return _validated_rules(path)


@functools.lru_cache(maxsize=1)
def _bundled_rules() -> pd.DataFrame:
    return _validated_rules(None)


def _validated_rules(path: str | Path | None) -> pd.DataFrame:
    tab = reference.load_table(
        "paging_rules", path, index="rule", required=("basis", "multiplier", "max_allocated_pct")
    )
    tab.index = tab.index.astype(str).str.lower()
    tab["multiplier"] = pd.to_numeric(tab["multiplier"], errors="coerce").astype(float)
    tab["max_allocated_pct"] = pd.to_numeric(tab["max_allocated_pct"], errors="coerce").astype(
        float
    )
    where = str(path) if path is not None else "bundled table paging_rules.csv"
    problems = []
    for line, (rule, row) in enumerate(tab.iterrows(), start=2):
        at = f"{where} line {line} (rule {rule})"
        problems += _rule_problems(row["basis"], row["multiplier"], row["max_allocated_pct"], at)
    if problems:
        msg = f"invalid paging rules {where}: " + "; ".join(problems)
        raise InputError(msg, problems)
    return tab


def _rule_problems(
    basis: object, multiplier: float, max_allocated_pct: float, at: str
) -> list[str]:
    """What is wrong with one rule's basis, multiplier and maximum allocation."""
    problems = []
    if basis not in BASES:
        problems.append(must_be("basis", f"one of {list(BASES)}", basis, at))
    if not multiplier > 0:
        problems.append(must_be("multiplier", "> 0", multiplier, at))
    if not 0 < max_allocated_pct <= 100:
        problems.append(
            must_be("max_allocated_pct", "in 0..100 (exclusive of 0)", max_allocated_pct, at)
        )
    return problems


def rule_names() -> list[str]:
    """Names of the bundled paging rules (read without pandas).

    Examples
    --------
    >>> "velocity" in rule_names()
    True
    """
    return list(reference.bundled_rows("paging_rules", "rule"))


@functools.lru_cache(maxsize=16)
def _bundled_rule(key: str) -> dict[str, str | float]:
    """One bundled rule, checked, read with the csv module (no pandas: start-up)."""
    rows = reference.bundled_rows("paging_rules", "rule")
    if key not in rows:
        err = unknown_name("paging rule", key, list(rows))
        raise err
    row = rows[key]
    mult = float(row["multiplier"] or "nan")
    alloc = float(row["max_allocated_pct"] or "nan")
    at = f"bundled table paging_rules.csv (rule {key})"
    problems = _rule_problems(row["basis"], mult, alloc, at)
    if problems:
        msg = "invalid paging rules: " + "; ".join(problems)
        raise InputError(msg, problems)
    return {**row, "multiplier": mult, "max_allocated_pct": alloc}


def canonical_rule(rule: str) -> str:
    """The table key of a paging rule name (rule names are case-insensitive).

    Parameters
    ----------
    rule : str
        A paging rule name.

    Examples
    --------
    >>> canonical_rule("SG24-6299")
    'sg24-6299'
    """
    return str(rule).lower()


def _rule_row(rule: str, rules: pd.DataFrame) -> pd.Series:
    key = canonical_rule(rule)
    if key not in rules.index:
        err = unknown_name("paging rule", rule, rules.index)
        raise err
    return reference.row_of(rules, key)


# --------------------------------------------------------------------------- pure functions
def rule_paging_mib(
    virtual_mib: npt.ArrayLike,
    vdisk_mib: npt.ArrayLike,
    real_mib: npt.ArrayLike,
    basis: str,
    multiplier: float,
    max_allocated_pct: float = 100.0,
) -> np.ndarray:
    """Paging space [MiB] = max(multiplier × basis, basis ÷ max_allocated) (vectorized).

    Parameters
    ----------
    virtual_mib : array_like
        The guests' virtual storage [MiB].
    vdisk_mib : array_like
        The guests' VDISKs [MiB].
    real_mib : array_like
        LPAR real storage [MiB].
    basis : {'virtual+vdisk', 'virtual+vdisk+real'}
        What the multiplier applies to (:data:`BASES`).
    multiplier : float
        Paging space per MiB of the basis.
    max_allocated_pct : float, default 100
        Highest share of the paging space that may be allocated [%].

    Examples
    --------
    >>> float(rule_paging_mib(5120, 0, 2048, "virtual+vdisk+real", 2))  # seed 003 §9.1.1
    14336.0
    >>> float(rule_paging_mib(1000, 0, 0, "virtual+vdisk", 1, 50))  # at most 50 % allocated
    2000.0
    """
    if basis not in BASES:
        raise InputError(must_be("basis", f"one of {list(BASES)}", basis))
    base = np.asarray(virtual_mib, dtype=float) + np.asarray(vdisk_mib, dtype=float)
    if basis == "virtual+vdisk+real":
        base = base + np.asarray(real_mib, dtype=float)
    return np.maximum(multiplier * base, base / (max_allocated_pct / 100.0))


def pages_for_mib(mib: npt.ArrayLike) -> np.ndarray:
    """4-KiB page slots for ``mib`` MiB (rounded up).

    Parameters
    ----------
    mib : array_like
        Storage [MiB].

    Examples
    --------
    >>> int(pages_for_mib(14 * 1024))  # 14 GiB
    3670016
    """
    pages = np.ceil(np.asarray(mib, dtype=float) * PAGES_PER_MIB - 1e-9)
    if np.any(~np.isfinite(pages) | (pages >= 2.0**62) | (pages < 0)):
        raise InputError(must_be("paging space", "a finite size >= 0 below 2**62 pages", mib))
    return pages.astype(np.int64)


def volumes_for_pages(
    pages: npt.ArrayLike,
    model: str = storage.DEFAULT_MODEL,
    reserved_cyl: int = storage.RESERVED_CYL,
) -> np.ndarray:
    """Paging volumes for ``pages`` slots: one extent per volume, cylinder 0 not usable.

    Parameters
    ----------
    pages : array_like
        4-KiB page slots.
    model : str, default "3390-9"
        3390 model of the paging volumes.
    reserved_cyl : int, default RESERVED_CYL
        Cylinders reserved at the start of each volume (cylinder 0).

    Examples
    --------
    >>> int(volumes_for_pages(1_802_880, "3390-9")), int(volumes_for_pages(1_802_881, "3390-9"))
    (1, 2)
    """
    per_volume = storage.page_slots_per_volume(model, reserved_cyl)
    return np.ceil(np.asarray(pages, dtype=float) / per_volume).astype(np.int64)


def devices_for_page_rate(
    page_io_rate_per_s: npt.ArrayLike,
    service_ms: float | None = None,
    max_busy_pct: float | None = None,
) -> np.ndarray:
    """Paging devices so that each is at most ``max_busy_pct`` busy.

    busy % of one device = rate × service [ms] ÷ 10, so
    devices = ceil(rate × service ÷ (10 × max_busy_pct)).  Defaults: 2 ms per page
    I/O (ESS on FICON) and 20 % busy (constants ``paging_io_service_ms``,
    ``paging_device_max_busy_pct``; facts.md §2.2).

    Parameters
    ----------
    page_io_rate_per_s : array_like
        Paging I/O rate [per second].
    service_ms : float, optional
        Service time of one page I/O [ms]; default constant ``paging_io_service_ms``.
    max_busy_pct : float, optional
        Target maximum busy per device [%]; default constant ``paging_device_max_busy_pct``.

    Examples
    --------
    >>> int(devices_for_page_rate(100, service_ms=2))  # ESS/FICON: 100 I/O/s per device
    1
    >>> int(devices_for_page_rate(100, service_ms=20))  # RVA/ESCON: 10 I/O/s per device
    10
    """
    rate = np.asarray(page_io_rate_per_s, dtype=float)
    if np.any(~np.isfinite(rate) | (rate < 0)):
        raise InputError(must_be("page_io_rate_per_s", ">= 0 and finite", rate.tolist()))
    svc = reference.constant("paging_io_service_ms") if service_ms is None else float(service_ms)
    busy = (
        reference.constant("paging_device_max_busy_pct")
        if max_busy_pct is None
        else float(max_busy_pct)
    )
    if not svc > 0:
        raise InputError(must_be("service_ms", "> 0", svc))
    if not 0 < busy <= 100:
        raise InputError(must_be("max_busy_pct", "in 0..100 (exclusive of 0)", busy))
    return np.ceil(np.asarray(channels.path_busy_pct(svc, rate)) / busy - 1e-9).astype(np.int64)


# --------------------------------------------------------------------------- result
@dataclass(frozen=True)
class PagingResult(DictMixin):
    """Paging space by one rule, in GiB, page slots and volumes.

    Attributes
    ----------
    rule : str
        The rule applied (a row of ``paging_rules.csv``).
    paging_gib : float
        Paging space the rule asks for [GiB].
    pages : int
        4-KiB page slots (``paging_gib`` rounded up to whole pages).
    volume_model : str
        3390 model of the paging volumes.
    volumes : int
        Volumes needed: the larger of ``volumes_for_space`` and ``devices_for_io``.
    volumes_for_space : int
        Volumes to hold ``pages`` (one extent per volume from cylinder 1).
    devices_for_io : int
        Devices needed for ``page_io_rate_per_s`` at ``device_max_busy_pct`` (0 without a rate).
    basis : str
        What the multiplier applies to (:data:`BASES`).
    basis_mib : float
        The quantity the multiplier applies to [MiB].
    multiplier : float
        Paging space per MiB of the basis.
    max_allocated_pct : float
        Highest share of the paging space that may be allocated [%].
    virtual_mib, vdisk_mib, real_mib : float
        Inputs (Σ guest virtual, Σ VDISK, LPAR real storage) [MiB].
    page_io_rate_per_s : float
        Paging I/O rate the devices are sized for.
    capacity_gib : float
        Page space the volumes provide [GiB].
    source : str
        The rule's source.
    """

    rule: str
    paging_gib: float
    pages: int
    volume_model: str
    volumes: int
    volumes_for_space: int
    devices_for_io: int
    basis: str
    basis_mib: float
    multiplier: float
    max_allocated_pct: float
    virtual_mib: float
    vdisk_mib: float
    real_mib: float
    page_io_rate_per_s: float
    capacity_gib: float
    source: str

    # to_dict(): every field, in order (colonykit._dicts.DictMixin)


def _total_mib(field: str, value: float | Sequence[float] | npt.ArrayLike) -> float:
    arr = np.atleast_1d(np.asarray(value, dtype=float))
    bad = np.flatnonzero(~np.isfinite(arr) | (arr < 0))
    if bad.size:
        where = f"item {int(bad[0])}" if arr.size > 1 else None
        raise InputError(must_be(field, ">= 0 and finite", float(arr[bad[0]]), where))
    return float(arr.sum())


# --------------------------------------------------------------------------- orchestration
def paging_space(
    guests_virtual_mib: float | Sequence[float],
    real_mib: float,
    vdisk_mib: float | Sequence[float] = 0,
    rule: str = DEFAULT_RULE,
    *,
    volume_model: str = storage.DEFAULT_MODEL,
    page_io_rate_per_s: float = 0.0,
    page_io_service_ms: float | None = None,
    device_max_busy_pct: float | None = None,
    requirement_mib: float | None = None,
    rules: pd.DataFrame | None = None,
) -> PagingResult:
    """Paging space, page slots and paging volumes for a colony by one named rule.

    Parameters
    ----------
    guests_virtual_mib : float or list of float
        Virtual storage of each logged-on guest [MiB], or their sum as one number.
    real_mib : float
        Real (main) storage of the z/VM LPAR [MiB], > 0.
    vdisk_mib : float or list of float
        VDISK sizes [MiB]: one total, or one value per guest/VDISK (summed).
    rule : str
        A rule of :func:`paging_rules` (``velocity`` default, ``sg24-6299``, ``redbook-2003``,
        ``redbook-2003-monitored``).
    volume_model : str
        3390 model of the paging volumes (3390-3/9/27/54).
    page_io_rate_per_s : float
        Expected page I/O rate; adds enough devices for ≤ ``device_max_busy_pct``.
    page_io_service_ms, device_max_busy_pct : float, optional
        Override the constants ``paging_io_service_ms`` (2) and ``paging_device_max_busy_pct`` (20).
    requirement_mib : float, optional
        A measured requirement that replaces the rule's basis.
    rules : DataFrame, optional
        Your own rules table (same columns as ``paging_rules.csv``).

    Returns
    -------
    PagingResult

    Raises
    ------
    InputError
        Negative or non-finite sizes, ``real_mib`` <= 0.
    UnknownNameError
        Unknown rule or volume model.

    Examples
    --------
    >>> r = paging_space([512] * 10, real_mib=2048, rule="redbook-2003")
    >>> r.paging_gib, r.pages, r.volumes  # (5 GiB) × 4 = 20 GiB on 3390-9s
    (20.0, 5242880, 3)
    >>> paging_space(5120, 2048, rule="velocity", page_io_rate_per_s=900).volumes  # 10 GiB fits 2; 900/s needs 9
    9
    """
    virtual = _total_mib("guests_virtual_mib", guests_virtual_mib)
    vdisk = _total_mib("vdisk_mib", vdisk_mib)
    real = float(real_mib)
    if not (math.isfinite(real) and real > 0):
        raise InputError(must_be("real_mib", "> 0", real_mib))
    rate = float(page_io_rate_per_s)
    rule = canonical_rule(rule)
    row = _bundled_rule(rule) if rules is None else _rule_row(rule, rules)
    storage.geometry(volume_model)  # validate the model early (UnknownNameError)
    basis = str(row["basis"])
    mult = float(row["multiplier"])
    max_alloc = float(row["max_allocated_pct"])
    if requirement_mib is not None:
        req = _total_mib("requirement_mib", requirement_mib)
        mib = float(rule_paging_mib(req, 0.0, 0.0, "virtual+vdisk", mult, max_alloc))
        basis, basis_mib = "requirement", req
    else:
        mib = float(rule_paging_mib(virtual, vdisk, real, basis, mult, max_alloc))
        basis_mib = virtual + vdisk + (real if basis == "virtual+vdisk+real" else 0.0)
    pages = int(pages_for_mib(mib))
    for_space = int(volumes_for_pages(pages, volume_model))
    for_io = int(devices_for_page_rate(rate, page_io_service_ms, device_max_busy_pct))
    volumes = max(for_space, for_io)
    capacity = volumes * storage.page_slots_per_volume(volume_model) / PAGES_PER_MIB / MIB_PER_GIB
    return PagingResult(
        rule=str(rule).lower(),
        paging_gib=mib / MIB_PER_GIB,
        pages=pages,
        volume_model=str(volume_model).lower(),
        volumes=volumes,
        volumes_for_space=for_space,
        devices_for_io=for_io,
        basis=basis,
        basis_mib=basis_mib,
        multiplier=mult,
        max_allocated_pct=max_alloc,
        virtual_mib=virtual,
        vdisk_mib=vdisk,
        real_mib=real,
        page_io_rate_per_s=rate,
        capacity_gib=float(capacity),
        source=str(row["source"]),
    )


def compare_rules(
    guests_virtual_mib: float | Sequence[float],
    real_mib: float,
    vdisk_mib: float | Sequence[float] = 0,
    *,
    volume_model: str = storage.DEFAULT_MODEL,
    page_io_rate_per_s: float = 0.0,
    rules: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Every rule side by side for one colony: one row per rule.

    Columns: ``paging_gib``, ``pages``, ``volumes``, ``volumes_for_space``,
    ``devices_for_io``, ``basis``, ``multiplier``, ``max_allocated_pct``, ``source``.

    Parameters
    ----------
    guests_virtual_mib : float or sequence of float
        Σ (or list of) the guests' virtual storage [MiB].
    real_mib : float
        LPAR real storage [MiB].
    vdisk_mib : float or sequence of float, default 0
        Σ (or list of) the guests' VDISKs [MiB].
    volume_model : str, default "3390-9"
        3390 model of the paging volumes.
    page_io_rate_per_s : float, default 0
        Paging I/O rate, for ``devices_for_io`` (see :func:`devices_for_page_rate`).
    rules : pandas.DataFrame, optional
        A rules table (see :func:`paging_rules`); default the bundled one.

    Examples
    --------
    >>> compare_rules([512] * 10, 2048)["paging_gib"].to_dict()
    {'sg24-6299': 14.0, 'redbook-2003': 20.0, 'redbook-2003-monitored': 10.0, 'velocity': 10.0}
    """
    tab = paging_rules() if rules is None else rules
    rows = [
        paging_space(
            guests_virtual_mib,
            real_mib,
            vdisk_mib,
            rule,
            volume_model=volume_model,
            page_io_rate_per_s=page_io_rate_per_s,
            rules=tab,
        ).to_dict()
        for rule in tab.index
    ]
    cols = [
        "rule",
        "paging_gib",
        "pages",
        "volume_model",
        "volumes",
        "volumes_for_space",
        "devices_for_io",
        "basis",
        "multiplier",
        "max_allocated_pct",
        "source",
    ]
    return pd.DataFrame(rows)[cols].set_index("rule")


def check_paging(
    paging_gib: float,
    guests_virtual_mib: float | Sequence[float],
    real_mib: float,
    vdisk_mib: float | Sequence[float] = 0,
    rule: str = DEFAULT_RULE,
    *,
    rules: pd.DataFrame | None = None,
    compared: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Planned paging space against every rule: what each asks and how severe a shortfall is.

    A shortfall against the *chosen* rule is an ``error``; against any other rule it is
    ``info`` only (the sources disagree, facts.md §2.2: the scenario's rule is the one the plan
    is judged by, the others are shown side by side); no shortfall is ``ok``.  This is what a
    plan's CK003 finding reports.

    Parameters
    ----------
    paging_gib : float
        Planned paging space [GiB].
    guests_virtual_mib : float or sequence of float
        Σ (or list of) the guests' virtual storage [MiB].
    real_mib : float
        LPAR real storage [MiB].
    vdisk_mib : float or sequence of float, default 0
        Σ (or list of) the guests' VDISKs [MiB].
    rule : str, default DEFAULT_RULE
        The chosen rule (a row of ``paging_rules.csv``).
    rules : pandas.DataFrame, optional
        A rules table (see :func:`paging_rules`); default the bundled one.
    compared : pandas.DataFrame, optional
        :func:`compare_rules` of the same guests, real storage, VDISKs and rules, when the
        caller has it already (a plan compares the rules for its evidence); default computed.

    Returns
    -------
    DataFrame
        Indexed by rule: ``required_gib``, ``planned_gib``, ``shortfall_gib``, ``chosen``,
        ``severity`` (ok / info / error), ``basis``, ``multiplier``, ``source``.

    Examples
    --------
    >>> c = check_paging(12, [512] * 10, 2048)  # 12 GiB planned; velocity asks 10, the seed rule 14
    >>> c["severity"].to_dict()
    {'sg24-6299': 'info', 'redbook-2003': 'info', 'redbook-2003-monitored': 'ok', 'velocity': 'ok'}
    """
    planned = float(paging_gib)
    if not (math.isfinite(planned) and planned >= 0):
        raise InputError(must_be("paging_gib", ">= 0 and finite", paging_gib))
    chosen = canonical_rule(rule)
    tab = paging_rules() if rules is None else rules
    _rule_row(chosen, tab)
    frame = (
        compare_rules(guests_virtual_mib, real_mib, vdisk_mib, rules=tab)
        if compared is None
        else compared
    )
    short = np.maximum(frame["paging_gib"].to_numpy(dtype=float) - planned, 0.0)
    is_chosen = frame.index.to_numpy() == chosen
    # issue 23: only the chosen rule judges; every other rule is information, never a warning
    # (``warn_if_undercut`` stays in the table for old callers; it no longer raises a warning)
    severity = np.where(short <= 1e-9, "ok", np.where(is_chosen, "error", "info"))
    return pd.DataFrame(
        {
            "required_gib": frame["paging_gib"].to_numpy(dtype=float),
            "planned_gib": planned,
            "shortfall_gib": short,
            "chosen": is_chosen,
            "severity": severity,
            "basis": frame["basis"],
            "multiplier": frame["multiplier"],
            "source": frame["source"],
        },
        index=frame.index,
    )


def compare_rules_over(
    guests: Sequence[int] | npt.ArrayLike,
    guest_mib: float,
    real_mib: float,
    vdisk_mib_per_guest: float = 0.0,
    *,
    volume_model: str = storage.DEFAULT_MODEL,
    rules: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Paging space of every rule as the number of identical guests grows (long frame for a plot).

    Parameters
    ----------
    guests : sequence of int
        Guest counts, e.g. ``range(0, 201, 10)``.
    guest_mib : float
        Virtual storage of each guest [MiB].
    real_mib : float
        LPAR real storage [MiB].
    vdisk_mib_per_guest : float
        VDISK per guest [MiB].
    volume_model : str, default "3390-9"
        3390 model of the paging volumes.
    rules : pandas.DataFrame, optional
        A rules table (see :func:`paging_rules`); default the bundled one.

    Returns
    -------
    DataFrame
        Columns ``guests``, ``rule``, ``paging_gib``, ``pages``, ``volumes``
        (one row per guest count and rule; computed vectorized per rule).

    Examples
    --------
    >>> f = compare_rules_over([10, 20], 512, 2048)
    >>> f.loc[f.rule == "sg24-6299", "paging_gib"].tolist()
    [14.0, 24.0]
    """
    n = np.asarray(guests, dtype=float)
    if n.ndim != 1 or np.any(~np.isfinite(n) | (n < 0)):
        raise InputError(must_be("guests", "a list of counts >= 0", list(np.atleast_1d(n))))
    for field, val in (("guest_mib", guest_mib), ("vdisk_mib_per_guest", vdisk_mib_per_guest)):
        if not (math.isfinite(val) and val >= 0):
            raise InputError(must_be(field, ">= 0", val))
    if not (math.isfinite(real_mib) and real_mib > 0):
        raise InputError(must_be("real_mib", "> 0", real_mib))
    tab = paging_rules() if rules is None else rules
    frames = []
    for rule, row in tab.iterrows():  # one vectorized computation per rule
        mib = rule_paging_mib(
            n * guest_mib,
            n * vdisk_mib_per_guest,
            real_mib,
            str(row["basis"]),
            float(row["multiplier"]),
            float(row["max_allocated_pct"]),
        )
        pages = pages_for_mib(mib)
        frames.append(
            pd.DataFrame(
                {
                    "guests": n.astype(np.int64),
                    "rule": rule,
                    "paging_gib": mib / MIB_PER_GIB,
                    "pages": pages,
                    "volumes": volumes_for_pages(pages, volume_model),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


__all__ = [
    "BASES",
    "DEFAULT_RULE",
    "PAGING_MODELS",
    "SEED_RULE",
    "PagingResult",
    "canonical_rule",
    "check_paging",
    "compare_rules",
    "compare_rules_over",
    "devices_for_page_rate",
    "pages_for_mib",
    "paging_rules",
    "paging_space",
    "rule_paging_mib",
    "volumes_for_pages",
]
