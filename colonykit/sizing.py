"""Workload-factor (WLF) CPU sizing: MIPS needed and target engines (seed 003 Chapter 2).

The method (SG24-6299 §2.4)::

    MIPS needed = %Utilization × Current Capacity × WLF

with the WLF expressed as its inverse, tpm per MIPS (20..200 in §2.4, 30..200 in
§2.5): data-intensive work sits at the high end, CPU-bound work at the low end.
Because the factor is uncertain, every figure is a range: ``mips_low`` uses the
class's *high* tpm/MIPS, ``mips_high`` its *low* tpm/MIPS.

Capacities given in other units (MHz, GHz, SPECint_rate2006, SPECrate 2017 Integer,
MIPS) are converted through ``capacity_units.csv``.  ``mhz``/``ghz`` are the whole
server's clock (all cores added up) and ``mhz_per_core``/``ghz_per_core`` are multiplied
by ``cores``; a whole-server unit with ``cores`` > 1 is ambiguous and refused
(:func:`unit_problems`).  Units whose ``confidence`` starts with "low" (Barton's number,
the SPEC estimates) are flagged in :meth:`SizingResult.summary` and in
``SizingResult.low_confidence``.  Units that "apply the class" are first turned
into MIPS at the *reference class* (``mixed``, typical tpm/MIPS) and the class
range is then applied relative to it; for ``mips`` no class conversion applies.

Target engines come from the processor catalog (1-way MIPS per engine), the MP
effect (per-engine capacity falls with n-way), optional SMT, the tpm/MIPS n-way
uplift (+30 % from 1-way to 16-way, §2.5), z/VM CP overhead, idle-guest overhead
(§8.17.7) and the target maximum utilization.

Examples
--------
>>> import pandas as pd
>>> from colonykit import sizing
>>> float(sizing.mips_needed(20, 10_000, 50))
40.0
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import numpy.typing as npt

from colonykit import reference
from colonykit._arrays import to_float, to_int
from colonykit._dicts import DictMixin
from colonykit._lazy import lazy_module
from colonykit.errors import InputError, must_be, unknown_name
from colonykit.frames import canonical_column, validate_inventory
from colonykit.units import DEMAND_UNITS

if TYPE_CHECKING:
    import pandas as pd
else:  # the arithmetic runs on arrays; frames only at the library boundary (start-up, issue 25)
    pd = lazy_module("pandas")

Basis = Literal["avg", "peak"]
BOUNDS: tuple[str, str, str] = ("low", "typical", "high")
#: Workload class whose typical tpm/MIPS converts non-tpm capacity units (see module docstring).
REFERENCE_CLASS = "mixed"
#: Largest engine count the engine search considers (beyond any single machine; flagged).
MAX_SEARCH_ENGINES = 1024


# --------------------------------------------------------------------------- pure functions
def mips_needed(
    util_pct: npt.ArrayLike, capacity_tpm: npt.ArrayLike, tpm_per_mips: npt.ArrayLike
) -> np.ndarray:
    """MIPS needed = util/100 × capacity [tpm] ÷ tpm_per_mips (seed 003 §2.4).

    Parameters
    ----------
    util_pct : array_like
        Utilization of the source server [%], 0..100.
    capacity_tpm : array_like
        Capacity of the source server [tpm or tpm-equivalent].
    tpm_per_mips : array_like
        Workload factor as tpm per MIPS [tpm/MIPS], > 0.

    Returns
    -------
    numpy.ndarray
        MIPS needed [MIPS].

    Examples
    --------
    >>> float(mips_needed(10, 12_000, 80))
    15.0
    """
    return (
        np.asarray(util_pct, dtype=float)
        / 100.0
        * np.asarray(capacity_tpm, dtype=float)
        / np.asarray(tpm_per_mips, dtype=float)
    )


def mp_per_engine_frac(
    n_engines: npt.ArrayLike, mp_table: pd.DataFrame | None = None
) -> np.ndarray:
    """Per-engine capacity of an n-way relative to a 1-way, interpolated from the MP table.

    Linear interpolation between table points; below the first point 1.0.  Beyond
    the last point the curve ``a + b·ln(n)`` (constants ``mp_extrapolation_a/b``,
    fitted through IBM machine-level calibration points) takes over, never above
    the last table value.

    Parameters
    ----------
    n_engines : array_like
        Engines n.
    mp_table : pandas.DataFrame, optional
        An MP-effect table; default the bundled ``mp_effect.csv``.

    Examples
    --------
    >>> float(mp_per_engine_frac(16))
    0.731
    >>> round(float(mp_per_engine_frac(3)), 3)  # z990 table 3-way
    0.927
    >>> round(float(mp_per_engine_frac(64)), 3)  # 0.8840 - 0.07675 * ln(64)
    0.565
    """
    table = reference.mp_effect() if mp_table is None else mp_table
    return _mp_frac(
        n_engines, table.index.to_numpy(dtype=float), table["per_engine_frac"].to_numpy(dtype=float)
    )


def _mp_frac(n_engines: npt.ArrayLike, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """:func:`mp_per_engine_frac` on the MP table's columns (n, per-engine fraction), sorted by n."""
    n = np.asarray(n_engines, dtype=float)
    inside = np.interp(n, xs, ys, left=1.0, right=ys[-1])
    a = reference.constant("mp_extrapolation_a")
    b = reference.constant("mp_extrapolation_b")
    beyond = np.minimum(a + b * np.log(np.maximum(n, 1.0)), ys[-1])
    return np.where(n > xs[-1], beyond, inside)


def nway_uplift_frac(
    n_engines: npt.ArrayLike, full_uplift_frac: float = 0.30, reference_engines: float = 16.0
) -> np.ndarray:
    """tpm/MIPS uplift of an n-way target: 0 at 1-way, ``full_uplift_frac`` at 16-way and above.

    Interpolated in log2(n) (the seed gives only the two end points, §2.5).

    Parameters
    ----------
    n_engines : array_like
        Engines n of the target.
    full_uplift_frac : float, default 0.30
        Uplift at ``reference_engines`` and above.
    reference_engines : float, default 16
        Engines where the full uplift is reached.

    Examples
    --------
    >>> float(nway_uplift_frac(4))  # log2(4)/log2(16) = 0.5 of 30 %
    0.15
    """
    n = np.maximum(np.asarray(n_engines, dtype=float), 1.0)
    return full_uplift_frac * np.minimum(np.log2(n) / np.log2(reference_engines), 1.0)


def engine_capacity_mips(
    n_engines: npt.ArrayLike,
    engine_mips_1way: float,
    mp_table: pd.DataFrame | None = None,
    smt_uplift_frac: float = 0.0,
) -> np.ndarray:
    """Rated capacity of an n-way [MIPS] = n × 1-way MIPS × MP fraction(n) × (1 + SMT uplift).

    Parameters
    ----------
    n_engines : array_like
        Engines n.
    engine_mips_1way : float
        MIPS of one engine in a 1-way.
    mp_table : pandas.DataFrame, optional
        An MP-effect table; default the bundled ``mp_effect.csv``.
    smt_uplift_frac : float, default 0
        Capacity gained with SMT.

    Examples
    --------
    >>> round(float(engine_capacity_mips(2, 450.0)), 1)  # z990 LSPR 2-way: 855
    855.0
    """
    table = reference.mp_effect() if mp_table is None else mp_table
    xs = table.index.to_numpy(dtype=float)
    return _engine_capacity(
        n_engines,
        engine_mips_1way,
        xs,
        table["per_engine_frac"].to_numpy(dtype=float),
        smt_uplift_frac,
    )


def _engine_capacity(
    n_engines: npt.ArrayLike, engine_mips_1way: float, xs: np.ndarray, ys: np.ndarray, smt: float
) -> np.ndarray:
    """:func:`engine_capacity_mips` on the MP table's columns."""
    n = np.asarray(n_engines, dtype=float)
    return n * engine_mips_1way * _mp_frac(n, xs, ys) * (1.0 + smt)


def required_capacity_mips(
    guest_mips: float, idle_mips: float, cp_overhead_pct: float, target_util_pct: float
) -> float:
    """Rated capacity needed so that guests + idle cost + CP run at ``target_util_pct``.

    CP overhead is a share of the busy time: busy = (guest + idle) ÷ (1 − cp/100).

    Parameters
    ----------
    guest_mips : float
        MIPS the guests need.
    idle_mips : float
        MIPS of the idle guests' cost.
    cp_overhead_pct : float
        CP overhead [% of the busy time].
    target_util_pct : float
        Target utilization of the engines [%].

    Examples
    --------
    >>> required_capacity_mips(855.0, 0.0, 5.0, 90.0)
    1000.0
    """
    busy = (guest_mips + idle_mips) / (1.0 - cp_overhead_pct / 100.0)
    return busy / (target_util_pct / 100.0)


# --------------------------------------------------------------------------- parameter objects
@dataclass(frozen=True)
class SizingOptions:
    """Assumptions of a CPU sizing; every default has a source in ``constants.csv``.

    Attributes
    ----------
    basis : {'avg', 'peak'}
        Which utilization column sizes the load.
    target_util_pct : float
        Target maximum engine utilization at the sized load [%] (headroom = 100 − it).
    smt : bool
        Count SMT-2 throughput uplift on the target IFLs (error if the model has none).
    cp_overhead_pct : float
        z/VM CP overhead as a share of busy time [%].
    on_demand_timer : bool
        Guests run the on-demand timer (tickless kernel); if False each guest costs
        0.2–0.3 % of a G5 engine when idle (seed 003 §8.17.7).
    nway_uplift : bool
        Apply the class's tpm/MIPS uplift with the target's n-way (seed 003 §2.5).
    reference_class : str
        Class whose typical tpm/MIPS converts non-tpm capacity units.
    """

    basis: Basis = "peak"
    target_util_pct: float = field(default_factory=lambda: reference.constant("target_util_pct"))
    smt: bool = False
    cp_overhead_pct: float = field(default_factory=lambda: reference.constant("cp_overhead_pct"))
    on_demand_timer: bool = True
    nway_uplift: bool = True
    reference_class: str = REFERENCE_CLASS

    def __post_init__(self) -> None:
        if self.basis not in ("avg", "peak"):
            raise InputError(must_be("basis", "one of ['avg', 'peak']", self.basis))
        if not 0 < self.target_util_pct <= 100:
            raise InputError(
                must_be("target_util_pct", "in 0..100 (exclusive of 0)", self.target_util_pct)
            )
        if not 0 <= self.cp_overhead_pct < 100:
            raise InputError(
                must_be("cp_overhead_pct", "in 0..100 (exclusive of 100)", self.cp_overhead_pct)
            )


@dataclass(frozen=True)
class TargetProcessor:
    """A target processor generation (one row of ``processors.csv``).

    Parameters
    ----------
    model : str
        Processor generation (a ``processors.csv`` key, e.g. ``'z15'``).
    engine_mips_1way : float
        MIPS of one engine in a 1-way.
    max_engines : int
        Most engines of the generation.
    smt_available : bool
        Whether IFLs can run SMT.
    smt_uplift_frac : float
        Capacity gained with SMT (typical).
    source : str
        Where the figures come from.
    method : str, optional
        How ``engine_mips_1way`` was obtained.
    derivation : str, optional
        The derivation of the figure, when computed.
    max_ifls : int, optional
        Most IFLs of the machine (of the alias when one was given).
    alias : str, optional
        The marketing name the model was looked up by (``processor_aliases.csv``).
    alias_note : str, optional
        The alias row's note.
    """

    model: str
    engine_mips_1way: float
    max_engines: int
    smt_available: bool
    smt_uplift_frac: float
    source: str
    method: str = ""
    derivation: str = ""
    max_ifls: int = 0
    alias: str = ""
    alias_note: str = ""

    @classmethod
    def from_catalog(cls, model: str, table: pd.DataFrame | None = None) -> TargetProcessor:
        """Look a model up in the processor catalog (bundled or a user's).

        Parameters
        ----------
        model : str
            A ``processors.csv`` model or a marketing name (``processor_aliases.csv``).
        table : pandas.DataFrame, optional
            A processor catalog; default the bundled one.

        Examples
        --------
        >>> TargetProcessor.from_catalog("z15").smt_available
        True
        >>> p = TargetProcessor.from_catalog("LinuxONE Rockhopper II")  # a z14 ZR1
        >>> p.model, p.max_ifls
        ('z14', 30)
        """
        tab = reference.processors() if table is None else table
        canonical, alias = reference.resolve_processor(model)
        if str(model).lower() in tab.index:
            canonical, alias = str(model).lower(), None
        row = reference.lookup(tab, canonical, "processor model")
        max_ifls = (
            int(alias["max_ifls"])
            if alias is not None and pd.notna(alias.get("max_ifls"))
            else int(row["max_ifls"])
            if "max_ifls" in row and pd.notna(row["max_ifls"])
            else int(row["max_engines"])
        )
        return cls(
            model=canonical,
            engine_mips_1way=float(row["engine_mips_1way"]),
            max_engines=int(row["max_engines"]),
            smt_available=bool(row["smt_available"]),
            smt_uplift_frac=float(row["smt_uplift_frac_typical"]),
            source=str(row["source"]),
            method=str(row.get("method", "")),
            derivation=str(
                row.get("derivation", "") if pd.notna(row.get("derivation", "")) else ""
            ),
            max_ifls=max_ifls,
            alias=str(alias.name) if alias is not None else "",
            alias_note=str(alias["note"]) if alias is not None else "",
        )

    @classmethod
    def from_bundled(cls, model: str) -> TargetProcessor:
        """:meth:`from_catalog` on the bundled tables, read with the csv module (no pandas).

        The same object as ``from_catalog(model)`` for every model, alias and machine type of
        the bundled tables (tested).

        Parameters
        ----------
        model : str
            A ``processors.csv`` model, a marketing name or a machine type.

        Examples
        --------
        >>> TargetProcessor.from_bundled("LinuxONE Rockhopper II") == TargetProcessor.from_catalog(
        ...     "LinuxONE Rockhopper II")
        True
        """
        rows = reference.bundled_rows("processors", "model")
        key, alias_key = reference.resolve_processor_key(model)
        if str(model).lower() in rows:
            key, alias_key = str(model).lower(), None
        if key not in rows:
            err = unknown_name("processor model", key, list(rows))
            raise err
        row = rows[key]
        alias = (
            reference.bundled_rows("processor_aliases", "alias")[alias_key] if alias_key else None
        )

        def whole(text: str) -> int:
            return int(float(text))

        max_ifls = (
            whole(alias["max_ifls"])
            if alias is not None and alias.get("max_ifls")
            else whole(row["max_ifls"])
            if row.get("max_ifls")
            else whole(row["max_engines"])
        )
        return cls(
            model=key,
            engine_mips_1way=float(row["engine_mips_1way"]),
            max_engines=whole(row["max_engines"]),
            smt_available=row["smt_available"].lower() in ("true", "1", "yes"),
            smt_uplift_frac=float(row["smt_uplift_frac_typical"]),
            source=row["source"],
            method=row.get("method", "") or ("nan" if "method" in row else ""),
            derivation=row.get("derivation", ""),
            max_ifls=max_ifls,
            alias=alias_key or "",
            alias_note=(alias["note"] or "nan") if alias is not None else "",
        )


# --------------------------------------------------------------------------- result
@dataclass(frozen=True)
class SizingResult(DictMixin):
    """Result of :func:`size_inventory`.

    Attributes
    ----------
    servers : DataFrame
        One row per inventory line: the tpm/MIPS used and ``mips_low/typical/high``
        per server [MIPS] and for all ``count`` servers (``*_total``).
    total : dict
        ``mips_low``, ``mips_typical``, ``mips_high`` of the whole inventory [MIPS].
    target : DataFrame
        Indexed by bound (low/typical/high): ``engines``, ``capacity_mips``,
        ``required_mips``, ``util_at_engines_pct``, ``fits_machine``.
    processor : TargetProcessor
        The target processor.
    options : SizingOptions
        The assumptions used.
    assumptions : list of dict
        Every number the sizing used that is not an input: name, value, unit, source.
    """

    servers: pd.DataFrame
    total: dict[str, float]
    target: pd.DataFrame
    processor: TargetProcessor
    options: SizingOptions
    assumptions: list[dict[str, Any]]

    @property
    def low_confidence(self) -> dict[str, str]:
        """Capacity units of this sizing whose conversion is low confidence (unit -> reason)."""
        return low_confidence_units(self.servers["capacity_unit"].astype(str).tolist())

    @property
    def engines(self) -> dict[str, int]:
        """Engines needed per bound, e.g. ``{'low': 2, 'typical': 3, 'high': 6}``."""
        return {b: to_int(self.target.loc[b, "engines"]) for b in BOUNDS}

    #: to_dict(): the CLI JSON contract ``servers``, ``total``, ``target``, every entry computed
    _dict_keys = ()

    def _dict_computed(self) -> dict[str, Any]:
        return sizing_dict(
            [{str(k): v for k, v in r.items()} for r in self.servers.to_dict(orient="records")],
            self.total,
            [{"bound": b, **self.target.loc[b].to_dict()} for b in self.target.index],
            self.processor,
            self.low_confidence,
            self.assumptions,
        )

    def summary(self) -> str:
        """A short human-readable summary."""
        return summary_text(
            int(self.servers["count"].sum()),
            self.options,
            self.total,
            self.engines,
            self.processor.model,
            self.low_confidence,
        )


def sizing_dict(
    servers: Sequence[Mapping[str, Any]],
    total: Mapping[str, float],
    target_rows: Sequence[Mapping[str, Any]],
    processor: TargetProcessor,
    low_confidence: Mapping[str, str],
    assumptions: list[dict[str, Any]],
) -> dict[str, Any]:
    """The JSON contract of a sizing (``servers``, ``total``, ``target``) from plain rows.

    :meth:`SizingResult.to_dict` and ``colonykit size``'s pandas-free path both build it here.

    Parameters
    ----------
    servers : sequence of mapping
        One mapping per inventory row (``server``, ``count``, ``workload_class``, ``mips_*``).
    total : mapping
        ``mips_low``, ``mips_typical``, ``mips_high``.
    target_rows : sequence of mapping
        One mapping per bound (``bound``, ``engines``, ``fits_machine`` …).
    processor : TargetProcessor
        The target.
    low_confidence : mapping
        Low-confidence capacity units and why.
    assumptions : list of dict
        The sizing's assumptions.
    """
    by_bound = {str(r["bound"]): r for r in target_rows}
    rows = [
        {
            "server": r["server"],
            "count": int(r["count"]),
            "workload_class": r["workload_class"],
            "mips_low": float(r["mips_low"]),
            "mips_typical": float(r["mips_typical"]),
            "mips_high": float(r["mips_high"]),
            "mips_low_total": float(r["mips_low_total"]),
            "mips_typical_total": float(r["mips_typical_total"]),
            "mips_high_total": float(r["mips_high_total"]),
        }
        for r in servers
    ]
    target = {
        "model": processor.model,
        "engines_low": to_int(by_bound["low"]["engines"]),
        "engines_typical": to_int(by_bound["typical"]["engines"]),
        "engines_high": to_int(by_bound["high"]["engines"]),
        "max_engines": processor.max_engines,
        "max_ifls": processor.max_ifls or processor.max_engines,
        "low_confidence_units": dict(low_confidence),
        "fits_machine": bool(all(bool(r["fits_machine"]) for r in target_rows)),
        "assumptions": assumptions,
    }
    return {"servers": rows, "total": dict(total), "target": target}


def summary_text(
    servers: int,
    options: SizingOptions,
    total: Mapping[str, float],
    engines: Mapping[str, int],
    model: str,
    low: Mapping[str, str],
) -> str:
    """The one-line summary of a sizing (:meth:`SizingResult.summary`).

    Parameters
    ----------
    servers : int
        Servers sized (the sum of ``count``).
    options : SizingOptions
        The assumptions.
    total : mapping
        ``mips_low``, ``mips_typical``, ``mips_high``.
    engines : mapping
        Engines per bound.
    model : str
        Target processor model.
    low : mapping
        Low-confidence capacity units and why.
    """
    e, t = engines, total
    text = (
        f"{servers} servers, {options.basis} basis: "
        f"{t['mips_low']:,.0f} / {t['mips_typical']:,.0f} / {t['mips_high']:,.0f} MIPS "
        f"(low/typical/high) -> {e['low']} / {e['typical']} / {e['high']} "
        f"{model} engines at {options.target_util_pct:g}% target"
    )
    if low:
        barton = [u for u in low if "barton" in u or u.startswith(("mhz", "ghz"))]
        what = (
            "Barton's number (4 MHz of 2003-era x86 ~ 1 MIPS)"
            if barton
            else "an estimated conversion"
        )
        text += (
            f"; LOW CONFIDENCE: capacities in {', '.join(sorted(low))} are converted with {what}; "
            "calibrate with zPCR or a measured pair"
        )
    return text


# --------------------------------------------------------------------------- orchestration
@dataclass(frozen=True)
class SizingTables:
    """The reference rows the sizing arithmetic reads, as plain arrays (no pandas).

    Built from the DataFrames of :func:`size_inventory` (:meth:`from_frames`) or read from the
    bundled CSV tables with the csv module (:meth:`bundled`); both feed the same functions.

    Parameters
    ----------
    class_names : tuple of str
        Workload classes (table order).
    class_tpm : numpy.ndarray
        Per class: tpm/MIPS low, typical, high and the 16-way uplift (n_classes × 4).
    class_source : tuple of str
        Source of each class row.
    unit_names : tuple of str
        Capacity units (table order).
    unit_mips : numpy.ndarray
        MIPS per unit (NaN where blank).
    unit_needs_cores : numpy.ndarray
        Whether each unit is multiplied by ``cores``.
    unit_applies : numpy.ndarray or None
        Whether each unit applies the workload class (None: no such column, all do).
    unit_per_core : tuple of str or None
        The per-core unit of a whole-server clock unit ('' for none; None: no such column).
    unit_confidence : tuple of str or None
        Confidence of each unit's conversion (None: no such column).
    unit_source : tuple of str
        Source of each unit row.
    mp_n : numpy.ndarray
        MP table: engines n, sorted.
    mp_frac : numpy.ndarray
        MP table: per-engine capacity fraction at n.
    mp_source : str
        Source of the MP table's first row.
    """

    class_names: tuple[str, ...]
    class_tpm: np.ndarray
    class_source: tuple[str, ...]
    unit_names: tuple[str, ...]
    unit_mips: np.ndarray
    unit_needs_cores: np.ndarray
    unit_applies: np.ndarray | None
    unit_per_core: tuple[str, ...] | None
    unit_confidence: tuple[str, ...] | None
    unit_source: tuple[str, ...]
    mp_n: np.ndarray
    mp_frac: np.ndarray
    mp_source: str

    @classmethod
    def from_frames(
        cls,
        classes: pd.DataFrame,
        units: pd.DataFrame,
        mp: pd.DataFrame | None = None,
    ) -> SizingTables:
        """The tables of :func:`size_inventory` (bundled or a planner's own) as arrays.

        Parameters
        ----------
        classes : pandas.DataFrame
            Workload classes (:func:`colonykit.reference.workload_classes`).
        units : pandas.DataFrame
            Capacity units (:func:`colonykit.reference.capacity_units`).
        mp : pandas.DataFrame, optional
            MP effect (:func:`colonykit.reference.mp_effect`); default the bundled one.
        """
        mp = reference.mp_effect() if mp is None else mp
        cols = [f"tpm_per_mips_{b}" for b in BOUNDS] + ["nway16_uplift_frac"]
        return cls(
            class_names=tuple(str(c) for c in classes.index),
            class_tpm=classes[cols].to_numpy(dtype=float).reshape(len(classes), 4),
            class_source=tuple(str(v) for v in classes["source"]),
            unit_names=tuple(str(u) for u in units.index),
            unit_mips=units["mips_per_unit"].to_numpy(dtype=float),
            unit_needs_cores=units["needs_cores"].to_numpy(dtype=bool),
            unit_applies=(
                units["applies_class"].astype(str).str.lower().isin(["true", "1", "yes"]).to_numpy()
                if "applies_class" in units
                else None
            ),
            unit_per_core=(
                tuple(units["per_core_unit"].fillna("").astype(str))
                if "per_core_unit" in units.columns
                else None
            ),
            unit_confidence=(
                tuple(str(v) for v in units["confidence"])
                if "confidence" in units.columns
                else None
            ),
            unit_source=tuple(str(v) for v in units["source"]),
            mp_n=mp.index.to_numpy(dtype=float),
            mp_frac=mp["per_engine_frac"].to_numpy(dtype=float),
            mp_source=str(mp["source"].iloc[0]),
        )

    @classmethod
    def bundled(cls) -> SizingTables:
        """The bundled tables, read with the csv module (cached by :mod:`colonykit.reference`).

        Examples
        --------
        >>> t = SizingTables.bundled()
        >>> "web" in t.class_names, float(t.mp_frac[0])
        (True, 1.0)
        """

        def num(text: str) -> float:
            return float(text) if text else math.nan

        def flag(text: str) -> bool:
            return text.lower() in ("true", "1", "yes")

        classes = reference.bundled_rows("workload_classes", "workload_class")
        units = reference.bundled_rows("capacity_units", "capacity_unit")
        mp_rows = sorted(
            reference.bundled_rows("mp_effect", "n_engines").values(),
            key=lambda r: float(r["n_engines"]),
        )
        cols = [f"tpm_per_mips_{b}" for b in BOUNDS] + ["nway16_uplift_frac"]
        first = next(iter(units.values()), {})
        return cls(
            class_names=tuple(classes),
            class_tpm=np.array(
                [[num(r[c]) for c in cols] for r in classes.values()], dtype=float
            ).reshape(len(classes), 4),
            class_source=tuple(r["source"] for r in classes.values()),
            unit_names=tuple(units),
            unit_mips=np.array([num(r["mips_per_unit"]) for r in units.values()], dtype=float),
            unit_needs_cores=np.array([flag(r["needs_cores"]) for r in units.values()], dtype=bool),
            unit_applies=(
                np.array([flag(r["applies_class"]) for r in units.values()], dtype=bool)
                if "applies_class" in first
                else None
            ),
            unit_per_core=(
                tuple(r["per_core_unit"] for r in units.values())
                if "per_core_unit" in first
                else None
            ),
            unit_confidence=(
                tuple(r["confidence"] or "nan" for r in units.values())
                if "confidence" in first
                else None
            ),
            unit_source=tuple(r["source"] for r in units.values()),
            mp_n=np.array([float(r["n_engines"]) for r in mp_rows]),
            mp_frac=np.array([num(r["per_engine_frac"]) for r in mp_rows]),
            mp_source=mp_rows[0]["source"],
        )

    def low_confidence(self, units_used: Sequence[str]) -> dict[str, str]:
        """Capacity units among ``units_used`` whose conversion is low confidence, with the reason.

        Parameters
        ----------
        units_used : sequence of str
            Capacity units of an inventory.
        """
        if self.unit_confidence is None:
            return {}
        conf = dict(zip(self.unit_names, self.unit_confidence, strict=True))
        return {
            u: conf[u]
            for u in sorted(set(units_used))
            if u in conf and conf[u].lower().startswith("low")
        }


def _unit_problems(
    units_col: Sequence[str], cores: np.ndarray, per_core: Mapping[str, str], where: str
) -> list[str]:
    """:func:`unit_problems` on plain columns (``per_core``: unit -> its per-core unit or '')."""
    out = []
    for i, (u, c) in enumerate(zip(units_col, cores, strict=True)):
        alt = per_core.get(u, "")
        if alt and np.isfinite(c) and c > 1:
            out.append(
                f"'capacity_unit' {u} is the whole server's clock, so 'cores' must be 1 or empty "
                f"(got {c:g}) at {where} line {i + 2}; use {alt} for a per-core clock (× cores)"
            )
    return out


def unit_problems(inv: pd.DataFrame, units: pd.DataFrame | None = None) -> list[str]:
    """Rows whose capacity unit and ``cores`` contradict each other (whole-server clock with cores > 1).

    ``capacity_unit: ghz`` means the server's total clock; with ``cores: 16`` it cannot be told
    apart from a per-core clock (a 16 × error either way), so it is refused and the message
    names the per-core unit.

    Parameters
    ----------
    inv : pandas.DataFrame
        An inventory (``capacity_unit``, ``cores``).
    units : pandas.DataFrame, optional
        A capacity-unit table; default the bundled ``capacity_units.csv``.

    Examples
    --------
    >>> inv = pd.DataFrame({"capacity_unit": ["ghz", "ghz_per_core"], "cores": [16, 16]})
    >>> unit_problems(inv)[0]
    "'capacity_unit' ghz is the whole server's clock, so 'cores' must be 1 or empty (got 16) at inventory line 2; use ghz_per_core for a per-core clock (× cores)"
    """
    tab = reference.capacity_units() if units is None else units
    if "per_core_unit" not in tab.columns or "cores" not in inv.columns:
        return []
    per_core = tab["per_core_unit"].fillna("").astype(str)
    return _unit_problems(
        inv["capacity_unit"].astype(str).str.lower().tolist(),
        pd.to_numeric(inv["cores"], errors="coerce").to_numpy(dtype=float),
        dict(zip((str(u) for u in per_core.index), per_core, strict=True)),
        str(inv.attrs.get("source", "inventory")),
    )


def low_confidence_units(
    units_used: Sequence[str], units: pd.DataFrame | None = None
) -> dict[str, str]:
    """Capacity units among ``units_used`` whose conversion is low confidence, with the reason.

    Parameters
    ----------
    units_used : sequence of str
        Capacity units of an inventory.
    units : pandas.DataFrame, optional
        A capacity-unit table; default the bundled ``capacity_units.csv``.

    Examples
    --------
    >>> sorted(low_confidence_units(["mhz_per_core", "tpm"]))
    ['mhz_per_core']
    """
    tab = reference.capacity_units() if units is None else units
    out = {}
    for u in sorted(set(units_used)):
        if u in tab.index and "confidence" in tab.columns:
            conf = str(tab.loc[u, "confidence"])
            if conf.lower().startswith("low"):
                out[u] = conf
    return out


def _index_of(keys: Sequence[str], wanted: Sequence[str]) -> np.ndarray:
    """Row of each wanted key in a table's keys (a KeyError for a missing one, as ``.loc``)."""
    pos = {k: i for i, k in enumerate(keys)}
    return np.array([pos[w] for w in wanted], dtype=np.intp)


def _wlf_columns(
    inv: Mapping[str, Any], tables: SizingTables, ref_class: str, source: str = "inventory"
) -> tuple[dict[str, Any], float]:
    """tpm/MIPS (low, typical, high) per row and the capacity in tpm-equivalents (plain columns)."""
    units_col = [str(u) for u in inv["capacity_unit"]]
    n = len(units_col)
    cores_in = np.asarray(inv["cores"], dtype=float) if "cores" in inv else np.full(n, np.nan)
    per_core = (
        dict(zip(tables.unit_names, tables.unit_per_core, strict=True))
        if tables.unit_per_core is not None
        else {}
    )
    problems = _unit_problems([u.lower() for u in units_col], cores_in, per_core, source)
    if problems:
        raise InputError("ambiguous capacity units: " + "; ".join(problems[:10]), problems)
    ref_tpm_per_mips = _reference_tpm(tables, ref_class)
    u_idx = _index_of(tables.unit_names, units_col)
    applies = tables.unit_applies[u_idx] if tables.unit_applies is not None else np.ones(n, bool)
    mips_per_unit = tables.unit_mips[u_idx]
    cores = np.where(tables.unit_needs_cores[u_idx], cores_in, 1.0)
    is_tpm = np.array([u == "tpm" for u in units_col], dtype=bool)
    cap = np.asarray(inv["capacity"], dtype=float) * cores
    # tpm-equivalent capacity: tpm as is; other units via MIPS at the reference class
    cap_tpm = np.where(is_tpm, cap, cap * np.nan_to_num(mips_per_unit, nan=1.0) * ref_tpm_per_mips)

    wc = [c if c != "" else ref_class for c in (str(v) for v in inv["workload_class"])]
    crow = tables.class_tpm[_index_of(tables.class_names, wc)]
    out: dict[str, Any] = {}
    for j, b in enumerate(BOUNDS):
        out[f"tpm_per_mips_{b}"] = crow[:, j].copy()
    out["nway16_uplift_frac"] = crow[:, 3].copy()
    # units that do not apply the class: tpm/MIPS is the reference value (-> MIPS = capacity)
    for b in BOUNDS:
        out[f"tpm_per_mips_{b}"][~applies] = ref_tpm_per_mips
    wlf_source = np.where(applies, "workload_class", "capacity_unit (no class conversion)").astype(
        object
    )
    # per-server overrides
    if "tpm_per_mips" in inv:
        typ = np.asarray(inv["tpm_per_mips"], dtype=float)
        has = ~np.isnan(typ)
        lo = (
            np.asarray(inv["tpm_per_mips_low"], dtype=float)
            if "tpm_per_mips_low" in inv
            else np.full(n, np.nan)
        )
        hi = (
            np.asarray(inv["tpm_per_mips_high"], dtype=float)
            if "tpm_per_mips_high" in inv
            else np.full(n, np.nan)
        )
        out["tpm_per_mips_typical"][has] = typ[has]
        out["tpm_per_mips_low"][has] = np.where(np.isnan(lo), typ, lo)[has]
        out["tpm_per_mips_high"][has] = np.where(np.isnan(hi), typ, hi)[has]
        wlf_source[has] = "per-server tpm_per_mips"
    out["wlf_source"] = [str(v) for v in wlf_source]
    out["capacity_tpm_equiv"] = cap_tpm
    return out, ref_tpm_per_mips


def _class_bounds(
    inv: pd.DataFrame, classes: pd.DataFrame, units: pd.DataFrame, ref_class: str
) -> tuple[pd.DataFrame, float]:
    """tpm/MIPS (low, typical, high) per row and the capacity in tpm-equivalents."""
    cols: dict[str, Any] = {c: inv[c].to_numpy() for c in inv.columns}
    if "cores" in inv.columns:
        cols["cores"] = pd.to_numeric(inv["cores"], errors="coerce").to_numpy(dtype=float)
    else:
        cols.pop("cores", None)
    tables = SizingTables.from_frames(classes, units)
    out, ref_tpm = _wlf_columns(cols, tables, ref_class, str(inv.attrs.get("source", "inventory")))
    return pd.DataFrame(out, index=inv.index), ref_tpm


def capacity_to_mips(
    capacity: npt.ArrayLike,
    capacity_unit: str | npt.ArrayLike,
    *,
    workload_class: str | npt.ArrayLike = REFERENCE_CLASS,
    cores: npt.ArrayLike | None = None,
    bound: str = "typical",
    workload_table: pd.DataFrame | None = None,
    units_table: pd.DataFrame | None = None,
    reference_class: str = REFERENCE_CLASS,
) -> np.ndarray:
    """MIPS equivalent of a source server's full capacity (100 % busy), for one bound.

    Used to put utilization traces of heterogeneous servers on a common MIPS scale:
    ``mips(t) = cpu_pct(t) / 100 × capacity_to_mips(...)``.

    Parameters
    ----------
    capacity : array_like
        Source capacity in ``capacity_unit`` (per core for ``*_per_core`` units).
    capacity_unit : str or array_like of str
        A key of ``capacity_units.csv`` (``tpm``, ``mips``, ``mhz``, ``ghz``, ``mhz_per_core`` …).
    workload_class : str or array_like of str
        A key of ``workload_classes.csv``.
    cores : array_like, optional
        Cores per server (required for ``*_per_core`` units).
    bound : {'low', 'typical', 'high'}
        Which end of the WLF range.
    workload_table : pandas.DataFrame, optional
        A workload-class table; default the bundled ``workload_classes.csv``.
    units_table : pandas.DataFrame, optional
        A capacity-unit table; default the bundled ``capacity_units.csv``.
    reference_class : str, default REFERENCE_CLASS
        Class whose typical tpm/MIPS converts non-tpm capacity units.

    Examples
    --------
    >>> float(capacity_to_mips(4000, "mhz"))  # Barton's number: 4 MHz ~ 1 MIPS
    1000.0
    >>> float(capacity_to_mips(12_000, "tpm", workload_class="web"))  # 12,000 / 80
    150.0
    """
    if bound not in BOUNDS:
        raise InputError(must_be("bound", f"one of {list(BOUNDS)}", bound))
    cap = np.atleast_1d(np.asarray(capacity, dtype=float))
    n = len(cap)
    inv = pd.DataFrame(
        {
            "capacity": cap,
            "capacity_unit": np.broadcast_to(np.asarray(capacity_unit, dtype=object), (n,)),
            "workload_class": np.broadcast_to(np.asarray(workload_class, dtype=object), (n,)),
            "cores": (
                np.broadcast_to(np.asarray(cores, dtype=float), (n,))
                if cores is not None
                else np.full(n, np.nan)
            ),
        }
    )
    classes = reference.workload_classes() if workload_table is None else workload_table
    units = reference.capacity_units() if units_table is None else units_table
    bad_units = sorted(set(inv["capacity_unit"]) - {str(u) for u in units.index})
    if bad_units:
        err = unknown_name("capacity unit", bad_units[0], [str(u) for u in units.index])
        raise err
    bad_classes = sorted(set(inv["workload_class"]) - {str(c) for c in classes.index})
    if bad_classes:
        err = unknown_name("workload class", bad_classes[0], [str(c) for c in classes.index])
        raise err
    needs = units.loc[inv["capacity_unit"], "needs_cores"].to_numpy(dtype=bool)
    if np.any(needs & np.isnan(inv["cores"].to_numpy(dtype=float))):
        msg = "'cores' must be given for per-core capacity units"
        raise InputError(msg)
    wlf, _ = _class_bounds(inv, classes, units, reference_class)
    other = {"low": "high", "typical": "typical", "high": "low"}[bound]
    out = mips_needed(100.0, wlf["capacity_tpm_equiv"], wlf[f"tpm_per_mips_{other}"])
    out = np.asarray(out, dtype=float)
    return out if np.ndim(capacity) else out.reshape(())


@dataclass(frozen=True)
class XenHostSizing(DictMixin):
    """x86 cores and hosts a Xen colony needs (:func:`size_xen_hosts`).

    Parameters
    ----------
    target_util_pct : float
        Target utilization of the host cores [%].

    Attributes
    ----------
    host_model : str
        Host model (a row of ``xen_host_cores.csv``).
    demand_mhz : float
        Σ utilization × capacity of the servers, in x86 MHz (like-for-like clock).
    host_core_mhz : float
        Effective MHz of one host core (``core_mhz × relative_speed``).
    cores_needed : int
        ``ceil(demand ÷ (core MHz × target utilization))``.
    cores_per_host : int
        Cores of one host.
    hosts_needed : int
        Hosts by CPU (``ceil(cores_needed ÷ cores_per_host)``).
    memory_gib_per_host : float
        Memory of one host [GiB].
    source : str
        Source of the host figures.
    assumptions : list of str
        What the sizing assumed.
    """

    host_model: str
    demand_mhz: float
    host_core_mhz: float
    target_util_pct: float
    cores_needed: int
    cores_per_host: int
    hosts_needed: int
    memory_gib_per_host: float
    source: str
    assumptions: list[str]

    # to_dict(): every field, in order (colonykit._dicts.DictMixin)


def server_mhz(inventory: pd.DataFrame, units: pd.DataFrame | None = None) -> np.ndarray:
    """Each inventory row's full capacity in x86 MHz (one server, all cores).

    Clock units are taken as they are (``mhz``; ``mhz_per_core`` × cores; GHz × 1000): x86 to x86
    needs no workload factor.  Other units go through MIPS (:func:`capacity_to_mips`, typical)
    and back to MHz with Barton's number (0.25 MIPS per MHz), a low-confidence step.

    Parameters
    ----------
    inventory : pandas.DataFrame
        A validated inventory (``capacity``, ``capacity_unit``, ``cores``, ``workload_class``).
    units : pandas.DataFrame, optional
        A capacity-unit table; default the bundled ``capacity_units.csv``.

    Examples
    --------
    >>> inv = pd.DataFrame({"capacity": [1400, 2.0], "capacity_unit": ["mhz_per_core", "ghz"],
    ...                     "cores": [2, 1], "workload_class": ["web", "web"]})
    >>> server_mhz(inv).tolist()
    [2800.0, 2000.0]
    """
    tab = reference.capacity_units() if units is None else units
    problems = unit_problems(inventory, tab)
    if problems:
        raise InputError("ambiguous capacity units: " + "; ".join(problems[:10]), problems)
    unit = inventory["capacity_unit"].astype(str).str.lower().to_numpy()
    cap = inventory["capacity"].to_numpy(dtype=float)
    cores = (
        pd.to_numeric(inventory["cores"], errors="coerce").to_numpy(dtype=float)
        if "cores" in inventory
        else np.full(len(inventory), np.nan)
    )
    scale = {"mhz": 1.0, "ghz": 1000.0, "mhz_per_core": 1.0, "ghz_per_core": 1000.0}
    per_core = np.isin(unit, ["mhz_per_core", "ghz_per_core"])
    is_clock = np.isin(unit, list(scale))
    clock = (
        cap
        * np.array([scale.get(u, 1.0) for u in unit])
        * np.where(per_core, np.nan_to_num(cores, nan=1.0), 1.0)
    )
    out = clock.copy()
    if (~is_clock).any():
        other = inventory.loc[~is_clock]
        wc = other["workload_class"] if "workload_class" in other else REFERENCE_CLASS
        mips = capacity_to_mips(
            other["capacity"].to_numpy(dtype=float),
            other["capacity_unit"].to_numpy(),
            workload_class=np.asarray(wc),
            units_table=tab,
            cores=cores[~is_clock] if "cores" in inventory else None,
        )
        out[~is_clock] = np.asarray(mips, dtype=float) / to_float(tab.loc["mhz", "mips_per_unit"])
    return out


def size_xen_hosts(
    inventory: pd.DataFrame,
    host_model: str = "generic-per-core",
    *,
    basis: Basis = "peak",
    target_util_pct: float | None = None,
    table: pd.DataFrame | None = None,
) -> XenHostSizing:
    """Size Xen hosts in x86 cores from the inventory's own capacity and a host-core catalog.

    ``cores = ceil(Σ count × util/100 × server MHz ÷ (host core MHz × relative speed × target/100))``
    with the host from ``xen_host_cores.csv`` (or your ``table``).  Unlike z/VM sizing no workload
    factor applies: x86 to x86, clock for clock unless the catalog row's ``relative_speed`` says
    otherwise.

    Parameters
    ----------
    inventory : pandas.DataFrame
        A validated inventory.
    host_model : str, default 'generic-per-core'
        A row of ``xen_host_cores.csv`` (or of ``table``).
    basis : {'peak', 'avg'}, default 'peak'
        Size on the servers' peak or average utilization.
    target_util_pct : float, optional
        Target utilization of the host cores [%]; default constant ``target_util_pct``.
    table : pandas.DataFrame, optional
        A host-core catalog; default the bundled ``xen_host_cores.csv``.

    Examples
    --------
    >>> from colonykit.ingest import read_inventory
    >>> inv, _ = read_inventory("data/examples/xyz_inventory.csv")
    >>> r = size_xen_hosts(inv, "xeon-x5450-2s")
    >>> r.cores_needed, r.hosts_needed  # 18,768 MHz at peak / (3000 MHz × 90 %) = 6.95
    (7, 1)
    """
    hosts = reference.xen_host_cores() if table is None else table
    row = reference.lookup(hosts, host_model, "Xen host model")
    target = (
        reference.constant("target_util_pct") if target_util_pct is None else float(target_util_pct)
    )
    if not 0 < target <= 100:
        raise InputError(must_be("target_util_pct", "in 0..100 (exclusive of 0)", target_util_pct))
    if basis not in ("avg", "peak"):
        raise InputError(must_be("basis", "one of ['avg', 'peak']", basis))
    util = inventory["util_peak_pct" if basis == "peak" else "util_avg_pct"].to_numpy(dtype=float)
    count = (
        inventory["count"].to_numpy(dtype=float)
        if "count" in inventory
        else np.ones(len(inventory))
    )
    demand = float((count * util / 100.0 * server_mhz(inventory)).sum())
    core_mhz = float(row["core_mhz"]) * float(row["relative_speed"])
    cores = max(1, int(np.ceil(round(demand / (core_mhz * target / 100.0), 9))))
    per_host = int(row["cores"])
    notes = [
        f"host core {row['core_mhz']:g} MHz × relative speed {row['relative_speed']:g} "
        f"({row['source']})",
        f"target utilization {target:g}% of the host cores",
    ]
    if (
        ~inventory["capacity_unit"]
        .astype(str)
        .str.lower()
        .isin(["mhz", "ghz", "mhz_per_core", "ghz_per_core"])
    ).any():
        notes.append(
            "non-clock capacity units converted to MHz through MIPS with Barton's number (low confidence)"
        )
    return XenHostSizing(
        host_model=str(host_model).lower(),
        demand_mhz=demand,
        host_core_mhz=core_mhz,
        target_util_pct=target,
        cores_needed=cores,
        cores_per_host=per_host,
        hosts_needed=int(np.ceil(cores / per_host)),
        memory_gib_per_host=float(row["memory_gib"]),
        source=str(row["source"]),
        assumptions=notes,
    )


@dataclass(frozen=True)
class SizingColumns:
    """The arithmetic of a sizing on plain columns (:func:`size_columns`).

    :func:`size_inventory` wraps it into a :class:`SizingResult` (DataFrames); ``colonykit
    size`` prints it without pandas.

    Parameters
    ----------
    servers : dict
        The columns of :attr:`SizingResult.servers`, in its order (text as lists, numbers as arrays).
    total : dict
        ``mips_low``, ``mips_typical``, ``mips_high`` of the whole inventory [MIPS].
    target_rows : list of dict
        One row per bound (the rows of :attr:`SizingResult.target`, with ``bound``).
    assumptions : list of dict
        Every number the sizing used that is not an input.
    """

    servers: dict[str, Any]
    total: dict[str, float]
    target_rows: list[dict[str, Any]]
    assumptions: list[dict[str, Any]]


def smt_check(proc: TargetProcessor, opts: SizingOptions, smt_models: Sequence[str]) -> None:
    """Refuse SMT on a processor without it, naming the models that have it.

    Parameters
    ----------
    proc : TargetProcessor
        The target.
    opts : SizingOptions
        The options (``smt``).
    smt_models : sequence of str
        Models of the processor table with SMT.
    """
    if opts.smt and not proc.smt_available:
        msg = (
            f"processor {proc.model!r} has no SMT for IFLs; use --no-smt or a model with SMT "
            f"({', '.join(sorted(smt_models))})"
        )
        raise InputError(msg)


def _reference_tpm(tables: SizingTables, ref_class: str) -> float:
    """tpm/MIPS (typical) of the reference class, refused when the class table lacks it."""
    if ref_class not in tables.class_names:
        msg = f"reference class {ref_class!r} is not in the workload class table"
        raise InputError(msg)
    return to_float(tables.class_tpm[tables.class_names.index(ref_class), 1])


def _idle_rows(opts: SizingOptions, g5_mips: float | None) -> dict[str, float]:
    """Idle cost of one guest [MIPS] per bound without the on-demand timer (empty with it)."""
    idle_rows: dict[str, float] = {}
    if not opts.on_demand_timer:
        if g5_mips is None:
            msg = "on_demand_timer=False needs a 'g5' row in the processor table (idle cost is in G5 engines)"
            raise InputError(msg)
        for b, col in (("low", "low"), ("typical", "value"), ("high", "high")):
            idle_rows[b] = reference.constant("idle_guest_g5_engine_pct", col) / 100.0 * g5_mips
    return idle_rows


def _engine_rows(
    mips_total: Mapping[str, np.ndarray],
    uplift: np.ndarray,
    guests: float,
    proc: TargetProcessor,
    opts: SizingOptions,
    mp_table: tuple[np.ndarray, np.ndarray],
    idle_rows: Mapping[str, float],
) -> list[dict[str, Any]]:
    """Per bound: the smallest n with capacity(n) >= required(n), and the figures at that n.

    ``mips_total`` holds each row's MIPS times its count per bound, ``uplift`` each row's n-way
    uplift at 16 engines, ``mp_table`` the MP table's (n, per-engine fraction) columns.
    """
    mp_n, mp_frac = mp_table
    n = np.arange(1, MAX_SEARCH_ENGINES + 1, dtype=float)
    smt_uplift = proc.smt_uplift_frac if opts.smt else 0.0
    cap_n = _engine_capacity(n, proc.engine_mips_1way, mp_n, mp_frac, smt_uplift)
    g = (
        nway_uplift_frac(n, 1.0, reference.constant("nway_uplift_reference_engines"))
        if opts.nway_uplift
        else np.zeros_like(n)
    )
    rows = []
    # servers differ only by their class's uplift: sum MIPS per distinct uplift, then divide
    uplift_values, uplift_of = np.unique(uplift, return_inverse=True)
    for b in BOUNDS:
        m = np.bincount(uplift_of, weights=mips_total[b], minlength=len(uplift_values))
        guest_n = (m[:, None] / (1.0 + uplift_values[:, None] * g[None, :])).sum(axis=0)
        idle = idle_rows.get(b, 0.0) * guests
        req_n = np.asarray(
            required_capacity_mips(guest_n, idle, opts.cp_overhead_pct, opts.target_util_pct)
        )
        ok = np.nonzero(cap_n >= req_n)[0]
        if len(ok) == 0:
            msg = (
                f"the {b} estimate needs more than {MAX_SEARCH_ENGINES} {proc.model} engines; "
                "split the inventory over several machines"
            )
            raise InputError(msg)
        k = int(ok[0])
        rows.append(
            {
                "bound": b,
                "engines": k + 1,
                "guest_mips": float(guest_n[k]),
                "idle_guest_mips": float(idle),
                "required_mips": float(req_n[k]),
                "capacity_mips": float(cap_n[k]),
                "util_at_engines_pct": float(req_n[k] / cap_n[k] * opts.target_util_pct),
                "mp_per_engine_frac": float(_mp_frac(k + 1, mp_n, mp_frac)),
                "nway_uplift_frac_class_max": float(uplift.max() * g[k]) if len(uplift) else 0.0,
                "fits_machine": k + 1 <= (proc.max_ifls or proc.max_engines),
            }
        )
    return rows


def size_columns(
    inv: Mapping[str, Any],
    proc: TargetProcessor,
    opts: SizingOptions,
    tables: SizingTables,
    *,
    g5_mips: float | None = None,
    source: str = "inventory",
) -> SizingColumns:
    """MIPS per server (range) and engines of a target: the sizing on validated columns.

    The one implementation of :func:`size_inventory`'s arithmetic, on numpy arrays and plain
    values (no pandas).

    Parameters
    ----------
    inv : mapping of str to list or array
        Validated inventory columns (:func:`colonykit.inventory_schema.validate_columns`).
    proc : TargetProcessor
        The target processor.
    opts : SizingOptions
        The assumptions.
    tables : SizingTables
        Workload classes, capacity units and the MP table.
    g5_mips : float, optional
        1-way MIPS of a G5 engine (idle-guest cost when ``on_demand_timer`` is off).
    source : str, optional
        The inventory's file, for the messages.

    Examples
    --------
    >>> from colonykit import inventory_schema as schema
    >>> from colonykit.frames import reference_names
    >>> classes, units = reference_names()
    >>> cols, n, _ = schema.check_columns(schema.header_first(schema.plain_csv_grid(
    ...     "data/examples/xyz_inventory.csv"), "xyz"), source="xyz", class_names=classes,
    ...     unit_needs_cores=units)
    >>> out = size_columns(cols, TargetProcessor.from_bundled("z15"), SizingOptions(),
    ...                    SizingTables.bundled())
    >>> [r["engines"] for r in out.target_rows]
    [2, 2, 4]
    """
    wlf, ref_tpm = _wlf_columns(inv, tables, opts.reference_class, source)
    util = np.asarray(inv["util_peak_pct" if opts.basis == "peak" else "util_avg_pct"], dtype=float)
    count_int = np.asarray(inv["count"])
    count = count_int.astype(float)
    servers: dict[str, Any] = {
        c: inv[c]
        for c in ("server", "role", "count", "workload_class", "capacity", "capacity_unit")
    }
    servers["util_pct"] = util
    servers.update(wlf)
    # mips_low uses the HIGH tpm/MIPS (more work per MIPS -> fewer MIPS)
    for b, t in (("low", "high"), ("typical", "typical"), ("high", "low")):
        servers[f"mips_{b}"] = mips_needed(
            util, wlf["capacity_tpm_equiv"], wlf[f"tpm_per_mips_{t}"]
        )
        servers[f"mips_{b}_total"] = servers[f"mips_{b}"] * count
    total = {f"mips_{b}": float(np.sum(servers[f"mips_{b}_total"])) for b in BOUNDS}

    # ---- engines: smallest n with capacity(n) >= required(n)
    idle_rows = _idle_rows(opts, g5_mips)
    rows = _engine_rows(
        {b: np.asarray(servers[f"mips_{b}_total"], dtype=float) for b in BOUNDS},
        np.asarray(wlf["nway16_uplift_frac"], dtype=float),
        float(count.sum()),
        proc,
        opts,
        (tables.mp_n, tables.mp_frac),
        idle_rows,
    )
    assumptions = _assumptions(
        [str(u) for u in inv["capacity_unit"]],
        [str(c) for c in inv["workload_class"]],
        tables,
        proc,
        opts,
        ref_tpm,
        idle_rows,
    )
    return SizingColumns(servers=servers, total=total, target_rows=rows, assumptions=assumptions)


def size_inventory(
    inventory: pd.DataFrame,
    target: str | TargetProcessor = "z15",
    options: SizingOptions | None = None,
    *,
    processor_table: pd.DataFrame | None = None,
    workload_table: pd.DataFrame | None = None,
    units_table: pd.DataFrame | None = None,
    mp_table: pd.DataFrame | None = None,
    **overrides: Any,
) -> SizingResult:
    """Size an inventory: MIPS per server (range) and engines of a target processor.

    The arithmetic is :func:`size_columns` (on arrays); this wraps it into DataFrames.

    Parameters
    ----------
    inventory : DataFrame
        Canonical inventory (from :func:`colonykit.ingest.read_inventory`); a raw
        frame is validated first.
    target : str or TargetProcessor
        Processor model key from ``processors.csv`` (e.g. ``'z15'``) or an object.
    options : SizingOptions, optional
        Assumptions; keyword ``overrides`` replace single fields
        (``size_inventory(inv, 'z16', basis='avg')``).
    processor_table, workload_table, units_table, mp_table : DataFrame, optional
        User reference tables instead of the bundled ones (e.g. zPCR results).
    **overrides
        Fields of :class:`SizingOptions` to replace (e.g. ``basis='avg'``).

    Returns
    -------
    SizingResult

    Examples
    --------
    >>> from colonykit.ingest import read_inventory
    >>> inv, _ = read_inventory("data/examples/xyz_inventory.csv")
    >>> res = size_inventory(inv, "z15", basis="avg")
    >>> res.total["mips_low"] <= res.total["mips_typical"] <= res.total["mips_high"]
    True
    """
    opts = options or SizingOptions()
    if overrides:
        opts = replace(opts, **overrides)
    classes = reference.workload_classes() if workload_table is None else workload_table
    units = reference.capacity_units() if units_table is None else units_table
    procs = reference.processors() if processor_table is None else processor_table
    mp = reference.mp_effect() if mp_table is None else mp_table
    inv = _canonical(inventory, classes, units)
    proc = _target_processor(target, procs, opts)
    cols: dict[str, Any] = {c: inv[c].to_numpy() for c in inv.columns}
    for c in ("server", "role", "workload_class", "capacity_unit"):
        cols[c] = [str(v) for v in inv[c].tolist()]
    core = size_columns(
        cols,
        proc,
        opts,
        SizingTables.from_frames(classes, units, mp),
        g5_mips=_g5_mips(opts, procs),
        source=str(inv.attrs.get("source", "inventory")),
    )
    return SizingResult(
        servers=pd.DataFrame(core.servers),
        total=core.total,
        target=pd.DataFrame(core.target_rows).set_index("bound"),
        processor=proc,
        options=opts,
        assumptions=core.assumptions,
    )


def _canonical(inventory: pd.DataFrame, classes: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """The inventory as sized: validated unless it is canonical already (a read inventory)."""
    inv = inventory
    if "count" not in inv or inv["count"].dtype != "int64" or inv.attrs.get("source") is None:
        inv = validate_inventory(
            inventory,
            source=inventory.attrs.get("source", "inventory"),
            workload_table=classes,
            units_table=units,
        )
    return inv


def _target_processor(
    target: str | TargetProcessor, procs: pd.DataFrame, opts: SizingOptions
) -> TargetProcessor:
    """The target processor, refused with SMT asked of a model without SMT for IFLs."""
    proc = (
        target
        if isinstance(target, TargetProcessor)
        else TargetProcessor.from_catalog(target, procs)
    )
    smt_check(proc, opts, [str(m) for m in procs.index[procs["smt_available"].astype(bool)]])
    return proc


def _g5_mips(opts: SizingOptions, procs: pd.DataFrame | None) -> float | None:
    """1-way MIPS of a G5 engine when the idle cost needs it (on-demand timer off), else None."""
    if opts.on_demand_timer or procs is None or "g5" not in procs.index:
        return None
    return TargetProcessor.from_catalog("g5", procs).engine_mips_1way


#: Sizing options that change a server's MIPS; the others change only the engine search.
SERVER_OPTIONS: tuple[str, ...] = ("basis", "reference_class")


def resize(
    res: SizingResult,
    inventory: pd.DataFrame,
    target: str | TargetProcessor = "z15",
    options: SizingOptions | None = None,
    *,
    processor_table: pd.DataFrame | None = None,
    workload_table: pd.DataFrame | None = None,
    units_table: pd.DataFrame | None = None,
    mp_table: pd.DataFrame | None = None,
    **overrides: Any,
) -> SizingResult:
    """:func:`size_inventory` of ``inventory`` for another target or options, from its sizing ``res``.

    A server's MIPS depend on the inventory and on :data:`SERVER_OPTIONS` (the utilization
    column and the reference class) only: another target processor, target utilization, CP
    overhead, SMT, n-way uplift or idle cost reuses ``res.servers`` and runs the engine search
    again.  The result is the one :func:`size_inventory` gives for the same arguments.

    Parameters
    ----------
    res : SizingResult
        :func:`size_inventory` of ``inventory`` with the same basis and reference class.
    inventory : DataFrame
        The inventory ``res`` sized.
    target : str or TargetProcessor
        Processor model key or object (as :func:`size_inventory`).
    options : SizingOptions, optional
        Assumptions; keyword ``overrides`` replace single fields.
    processor_table, workload_table, units_table, mp_table : DataFrame, optional
        User reference tables instead of the bundled ones (those ``res`` was sized with).
    **overrides
        Fields of :class:`SizingOptions` to replace (e.g. ``target_util_pct=70``).

    Raises
    ------
    ValueError
        An option of :data:`SERVER_OPTIONS` differs from ``res``'s (size afresh then).

    Examples
    --------
    >>> from colonykit.ingest import read_inventory
    >>> inv, _ = read_inventory("data/examples/xyz_inventory.csv")
    >>> res = size_inventory(inv, "z15")
    >>> resize(res, inv, "z16", target_util_pct=70).engines == size_inventory(
    ...     inv, "z16", target_util_pct=70
    ... ).engines
    True
    """
    opts = options or SizingOptions()
    if overrides:
        opts = replace(opts, **overrides)
    for name in SERVER_OPTIONS:
        if getattr(opts, name) != getattr(res.options, name):
            msg = (
                f"resize keeps the servers' MIPS: {name!r} must stay "
                f"{getattr(res.options, name)!r} (got {getattr(opts, name)!r}); use size_inventory"
            )
            raise ValueError(msg)
    classes = reference.workload_classes() if workload_table is None else workload_table
    units = reference.capacity_units() if units_table is None else units_table
    procs = reference.processors() if processor_table is None else processor_table
    mp = reference.mp_effect() if mp_table is None else mp_table
    inv = _canonical(inventory, classes, units)
    proc = _target_processor(target, procs, opts)
    tables = SizingTables.from_frames(classes, units, mp)
    servers = res.servers.copy()
    idle_rows = _idle_rows(opts, _g5_mips(opts, procs))
    rows = _engine_rows(
        {b: servers[f"mips_{b}_total"].to_numpy(dtype=float) for b in BOUNDS},
        servers["nway16_uplift_frac"].to_numpy(dtype=float),
        float(servers["count"].to_numpy(dtype=float).sum()),
        proc,
        opts,
        (tables.mp_n, tables.mp_frac),
        idle_rows,
    )
    assumptions = _assumptions(
        [str(u) for u in inv["capacity_unit"]],
        [str(c) for c in inv["workload_class"]],
        tables,
        proc,
        opts,
        _reference_tpm(tables, opts.reference_class),
        idle_rows,
    )
    return SizingResult(
        servers=servers,
        total=dict(res.total),
        target=pd.DataFrame(rows).set_index("bound"),
        processor=proc,
        options=opts,
        assumptions=assumptions,
    )


def engines_for_counts(
    res: SizingResult,
    rows: npt.ArrayLike,
    counts: npt.ArrayLike,
    *,
    processor_table: pd.DataFrame | None = None,
    mp_table: pd.DataFrame | None = None,
) -> dict[str, int]:
    """Engines per bound of a share of a sized inventory: some of its rows, with other counts.

    What :func:`size_inventory` gives for the inventory of rows ``rows`` (positions in
    ``res.servers``), each with ``counts[i]`` servers, under the same options and target: a
    server's MIPS do not depend on the other rows, so only the engine search runs again (the
    LPARs of a plan, each sized on its own guests at its own n).

    Parameters
    ----------
    res : SizingResult
        The sizing of the whole inventory.
    rows : array_like of int
        Positions of the share's rows in ``res.servers``, in the share's order.
    counts : array_like of int
        Servers of each of those rows in the share.
    processor_table, mp_table : DataFrame, optional
        The tables ``res`` was sized with, when not the bundled ones.

    Examples
    --------
    >>> from colonykit.ingest import read_inventory
    >>> inv, _ = read_inventory("data/examples/xyz_inventory.csv")
    >>> res = size_inventory(inv, "z15")
    >>> share = inv.iloc[[3, 0]].assign(count=[4, 1]).reset_index(drop=True)
    >>> engines_for_counts(res, [3, 0], [4, 1]) == size_inventory(share, "z15").engines
    True
    """
    opts = res.options
    procs = (  # read only for the idle cost without the on-demand timer
        processor_table
        if processor_table is not None or opts.on_demand_timer
        else reference.processors()
    )
    mp = reference.mp_effect() if mp_table is None else mp_table
    pos = np.asarray(rows, dtype=np.int64)
    count = np.asarray(counts, dtype=float)
    table = _engine_rows(
        {b: res.servers[f"mips_{b}"].to_numpy(dtype=float)[pos] * count for b in BOUNDS},
        res.servers["nway16_uplift_frac"].to_numpy(dtype=float)[pos],
        float(count.sum()),
        res.processor,
        opts,
        (mp.index.to_numpy(dtype=float), mp["per_engine_frac"].to_numpy(dtype=float)),
        _idle_rows(opts, _g5_mips(opts, procs)),
    )
    return {r["bound"]: int(r["engines"]) for r in table}


def _assumptions(
    units_used: Sequence[str],
    classes_used: Sequence[str],
    tables: SizingTables,
    proc: TargetProcessor,
    opts: SizingOptions,
    ref_tpm: float,
    idle_rows: Mapping[str, float],
) -> list[dict[str, Any]]:
    def src(name: str) -> str:
        text = reference.constant_text(name, "source")
        return "input" if text is None else text

    items: list[dict[str, Any]] = [
        {
            "name": "basis",
            "value": opts.basis,
            "unit": "",
            "source": "input (utilization column used)",
        },
        {
            "name": "target_util_pct",
            "value": opts.target_util_pct,
            "unit": "pct",
            "source": src("target_util_pct")
            if opts.target_util_pct == reference.constant("target_util_pct")
            else "input",
        },
        {
            "name": "cp_overhead_pct",
            "value": opts.cp_overhead_pct,
            "unit": "pct",
            "source": src("cp_overhead_pct")
            if opts.cp_overhead_pct == reference.constant("cp_overhead_pct")
            else "input",
        },
        {
            "name": "engine_mips_1way",
            "value": proc.engine_mips_1way,
            "unit": "MIPS",
            "source": f"processors.csv row {proc.model}: {proc.source}"
            + (f" ({proc.method}: {proc.derivation})" if proc.derivation else ""),
        },
        {
            "name": "max_engines",
            "value": proc.max_engines,
            "unit": "engines",
            "source": f"processors.csv row {proc.model}",
        },
        {"name": "smt", "value": opts.smt, "unit": "", "source": "input"},
        {
            "name": "smt_uplift_frac",
            "value": proc.smt_uplift_frac if opts.smt else 0.0,
            "unit": "frac",
            "source": f"processors.csv row {proc.model}" if opts.smt else "SMT off",
        },
        {
            "name": "mp_effect",
            "value": "per-engine fraction interpolated in the MP table; beyond "
            f"{int(tables.mp_n.max())}-way a + b*ln(n) with a="
            f"{reference.constant('mp_extrapolation_a'):g}, "
            f"b={reference.constant('mp_extrapolation_b'):g}",
            "unit": "frac",
            "source": tables.mp_source + "; extrapolation: " + src("mp_extrapolation_a"),
        },
        {
            "name": "nway_uplift",
            "value": opts.nway_uplift,
            "unit": "",
            "source": src("nway_uplift_reference_engines") + "; interpolated in log2(n)",
        },
        {
            "name": "on_demand_timer",
            "value": opts.on_demand_timer,
            "unit": "",
            "source": "input; idle guests cost nothing extra with the on-demand timer",
        },
    ]
    if idle_rows:
        items.append(
            {
                "name": "idle_guest_mips",
                "value": dict(idle_rows),
                "unit": "MIPS per guest",
                "source": src("idle_guest_g5_engine_pct") + " × G5 1-way MIPS (processors.csv)",
            }
        )
    for unit in sorted(set(units_used)):
        i = tables.unit_names.index(unit)
        items.append(
            {
                "name": f"capacity_unit:{unit}",
                "value": float(tables.unit_mips[i]) if unit != "tpm" else None,
                "unit": "MIPS per unit",
                "source": tables.unit_source[i],
            }
        )
    if any(u != "tpm" for u in units_used):
        items.append(
            {
                "name": "reference_class",
                "value": f"{opts.reference_class} ({ref_tpm:g} tpm/MIPS)",
                "unit": "tpm/MIPS",
                "source": tables.class_source[tables.class_names.index(opts.reference_class)],
            }
        )
    for wc in sorted(c for c in set(classes_used) if c):
        i = tables.class_names.index(wc)
        items.append(
            {
                "name": f"workload_class:{wc}",
                "value": {b: float(tables.class_tpm[i, j]) for j, b in enumerate(BOUNDS)},
                "unit": "tpm/MIPS",
                "source": tables.class_source[i],
            }
        )
    return items


def result_frame(result: SizingResult) -> pd.DataFrame:
    """A tidy frame (bound, engines, MIPS) handy for tables and plots.

    Parameters
    ----------
    result : SizingResult
        A sizing (:func:`size_inventory`).
    """
    t = result.target.copy()
    for b in BOUNDS:
        t.loc[b, "mips"] = result.total[f"mips_{b}"]
    return t.reset_index()


def options_dict(options: SizingOptions) -> dict[str, Any]:
    """The options as a plain dict (for export and reports).

    Parameters
    ----------
    options : SizingOptions
        The options.
    """
    return asdict(options)


# --------------------------------------------------------------------------- demand units
def capacity_mips(
    table: pd.DataFrame | pd.Series | Mapping[str, float],
    *,
    workload_class: str | None = None,
    bound: str = "typical",
) -> pd.Series:
    """MIPS of each server at 100 % busy, from a capacity table.

    Accepts a mapping/Series ``server -> MIPS``; or a table with a ``server`` (or ``vm``)
    column and either ``capacity, capacity_unit`` [``cores``, ``workload_class``] (an
    inventory), ``cpu_capacity_mhz`` (total MHz, the Bitbrains ``_vms.csv``) or ``cpu_mhz``
    (the TPDS 2013 ``_vms.csv``).  MHz is converted with :func:`capacity_to_mips` (Barton's
    number and the workload class).  A file is read first with
    :func:`colonykit.ingest.traces.read_capacity_table`.

    Parameters
    ----------
    table : DataFrame, Series or mapping
        Capacity table or ``server -> MIPS``.
    workload_class : str, optional
        Workload class whose WLF converts MHz to MIPS (default: the table's or the default class).
    bound : {'low', 'typical', 'high'}, optional
        Which end of the workload-factor range.

    Examples
    --------
    >>> float(capacity_mips(pd.DataFrame({"vm": ["a"], "cpu_capacity_mhz": [5852.0]}))["a"])
    1463.0
    """
    if isinstance(table, Mapping) and not isinstance(table, pd.DataFrame):
        return pd.Series({str(k): float(v) for k, v in table.items()}, dtype=float)
    if isinstance(table, pd.Series):
        return table.astype(float).rename(index=str)
    if not isinstance(table, pd.DataFrame):
        msg = (
            f"capacity must be a server->MIPS mapping, a Series or a table (got {type(table).__name__}); "
            "read a file with colonykit.ingest.traces.read_capacity_table"
        )
        raise InputError(msg)
    frame = table.copy()
    frame.columns = [canonical_column(c) for c in frame.columns]
    if "server" not in frame.columns:
        msg = f"capacity table needs a 'server' (or 'vm') column (got {list(frame.columns)})"
        raise InputError(msg)
    wc = workload_class or REFERENCE_CLASS
    if "capacity" in frame.columns and "capacity_unit" in frame.columns:
        mips = capacity_to_mips(
            frame["capacity"].to_numpy(dtype=float),
            frame["capacity_unit"].astype(str).to_numpy(),
            workload_class=(
                frame["workload_class"].astype(str).to_numpy()
                if "workload_class" in frame.columns and workload_class is None
                else wc
            ),
            cores=frame["cores"].to_numpy(dtype=float) if "cores" in frame.columns else None,
            bound=bound,
        )
    elif "cpu_capacity_mhz" in frame.columns or "cpu_mhz" in frame.columns:
        col = "cpu_capacity_mhz" if "cpu_capacity_mhz" in frame.columns else "cpu_mhz"
        mips = capacity_to_mips(
            frame[col].to_numpy(dtype=float), "mhz", workload_class=wc, bound=bound
        )
    else:
        msg = (
            "capacity table needs columns capacity+capacity_unit, cpu_capacity_mhz or cpu_mhz "
            f"(got {list(frame.columns)})"
        )
        raise InputError(msg)
    return pd.Series(np.atleast_1d(mips), index=frame["server"].astype(str).to_numpy(), dtype=float)


def mhz_to_mips_factor(workload_class: str | None = None, bound: str = "typical") -> float:
    """MIPS per MHz of busy x86 clock (Barton's number via :func:`capacity_to_mips`).

    Parameters
    ----------
    workload_class : str, optional
        Workload class whose WLF converts MHz to MIPS (default: the table's or the default class).
    bound : {'low', 'typical', 'high'}, optional
        Which end of the workload-factor range.

    Examples
    --------
    >>> mhz_to_mips_factor()
    0.25
    """
    wc = workload_class or REFERENCE_CLASS
    return float(capacity_to_mips(1000.0, "mhz", workload_class=wc, bound=bound)) / 1000.0


def convert_unit(
    frame: pd.DataFrame,
    unit: str,
    capacity: pd.Series | None = None,
    *,
    workload_class: str | None = None,
    bound: str = "typical",
) -> pd.DataFrame:
    """Convert a demand frame to ``unit`` (``cpu_pct``, ``mips`` or ``cpu_mhz``).

    The readers return the source's own unit (``frame.attrs["unit"]``); converting is
    modelling and lives here.  ``capacity`` is each server's MIPS at 100 % busy (see
    :func:`capacity_mips`); it is needed to go between ``cpu_pct`` and the absolute units.

    Parameters
    ----------
    frame : DataFrame
        Demand frame in its source unit (``frame.attrs['unit']``).
    unit : str
        ``cpu_pct``, ``mips`` or ``cpu_mhz``.
    capacity : Series, optional
        MIPS of each server at 100 % busy (:func:`capacity_mips`).
    workload_class : str, optional
        Workload class whose WLF converts MHz to MIPS (default: the table's or the default class).
    bound : {'low', 'typical', 'high'}, optional
        Which end of the workload-factor range.

    Examples
    --------
    >>> f = pd.DataFrame({"a": [10.0, 50.0]}); f.attrs.update(unit="cpu_pct", interval_s=300.0)
    >>> convert_unit(f, "mips", pd.Series({"a": 200.0}))["a"].tolist()
    [20.0, 100.0]
    """
    if unit not in DEMAND_UNITS:
        err = unknown_name("trace unit", unit, DEMAND_UNITS)
        raise err
    src = frame.attrs.get("unit", "cpu_pct")
    if src == unit:
        return frame
    factor = mhz_to_mips_factor(workload_class, bound)
    if src == "cpu_mhz" and unit == "mips":
        out = frame * factor
    elif src == "mips" and unit == "cpu_mhz":
        out = frame / factor
    else:
        if capacity is None:
            msg = (
                f"cannot convert traces from {src} to {unit} without each server's capacity "
                "(pass capacity=…: a server->MIPS mapping, an inventory or a _vms.csv table)"
            )
            raise InputError(msg)
        cap = capacity.reindex([str(c) for c in frame.columns])
        missing = [
            str(c)
            for c, v in zip(frame.columns, cap.to_numpy(), strict=True)
            if not (np.isfinite(v) and v > 0)
        ]
        if missing:
            msg = (
                f"no positive capacity for {len(missing)} server(s) {missing[:5]} "
                f"— needed to convert {src} to {unit}"
            )
            raise InputError(msg)
        cap_arr = cap.to_numpy(dtype=float)
        mips = frame.to_numpy(dtype=float)
        if src == "cpu_pct":
            mips = mips / 100.0 * cap_arr
        elif src == "cpu_mhz":
            mips = mips * factor
        if unit == "cpu_pct":
            values = mips / cap_arr * 100.0
        elif unit == "cpu_mhz":
            values = mips / factor
        else:
            values = mips
        out = pd.DataFrame(values, index=frame.index, columns=frame.columns)
    out.attrs = {**frame.attrs, "unit": unit}
    return out


__all__ = [
    "Basis",
    "BOUNDS",
    "REFERENCE_CLASS",
    "MAX_SEARCH_ENGINES",
    "mips_needed",
    "mp_per_engine_frac",
    "nway_uplift_frac",
    "engine_capacity_mips",
    "required_capacity_mips",
    "SizingOptions",
    "TargetProcessor",
    "SizingResult",
    "SizingTables",
    "SizingColumns",
    "size_columns",
    "sizing_dict",
    "summary_text",
    "smt_check",
    "unit_problems",
    "low_confidence_units",
    "capacity_to_mips",
    "XenHostSizing",
    "server_mhz",
    "size_xen_hosts",
    "size_inventory",
    "resize",
    "SERVER_OPTIONS",
    "engines_for_counts",
    "result_frame",
    "options_dict",
    "capacity_mips",
    "mhz_to_mips_factor",
    "convert_unit",
]
