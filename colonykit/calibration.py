"""Calibrating the CPU conversion: measured pairs per class, and per-server study results.

The workload-factor conversion (seed 003 §2.4; for clock units Barton's 2003 rule, 4 MHz ≈
1 MIPS, facts.md §1.6) is a rule of thumb.  Two ways replace it with the planner's evidence:

- **Measured pairs** (:func:`fit_pairs`): rows of (workload class, a source server's
  capacity and unit, its utilization, the MIPS it was measured to use on Z — or its share of
  an IFL times the engine's MIPS).  Per class the factor ``measured ÷ rule-of-thumb MIPS`` is
  fitted as the geometric mean of the pairs' ratios; its spread is the geometric standard
  deviation, and the calibrated range is ``factor ×/÷ gsd²`` (about 95 % of the pairs when the
  log-ratios are normal).  The fit, n, spread and the range are reported
  (:class:`ClassFit`).
- **Study import** (:func:`read_study`): per-server full-capacity MIPS (or a share of the
  target's engines) from a zPCR or consolidation study, used as that server's capacity with
  its source.

Both are applied the same way (:func:`apply`): a per-server ``tpm_per_mips`` (with
``tpm_per_mips_low/high``) such that :func:`colonykit.sizing.size_inventory` gives the server
exactly the calibrated MIPS, so every later step (measured series in MIPS, composite, engines)
uses it; ``conversion`` names what each server got.

Examples
--------
>>> import pandas as pd
>>> pairs = pd.DataFrame({"workload_class": ["mixed"] * 2, "capacity": [2000.0, 2000.0],
...     "capacity_unit": ["mhz_per_core"] * 2, "cores": [4, 4], "util_pct": [50.0, 25.0],
...     "measured_mips": [500.0, 250.0]})
>>> fits = fit_pairs(pairs)
>>> round(fits["mixed"].factor, 3), fits["mixed"].n
(0.5, 2)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from colonykit import reference, sizing
from colonykit._dicts import DictMixin
from colonykit.errors import InputError, must_be, raise_problems

#: Columns a measured-pairs table needs (``measured_mips`` or ``measured_ifl_share`` + ``engine_mips``).
PAIR_COLUMNS: tuple[str, ...] = ("workload_class", "capacity", "capacity_unit", "util_pct")
#: Columns a study table needs (``mips`` or ``ifl_share``).
STUDY_COLUMNS: tuple[str, ...] = ("server",)


@dataclass(frozen=True)
class ClassFit(DictMixin):
    """The calibration of one workload class from measured pairs.

    Attributes
    ----------
    workload_class : str
        The class.
    n : int
        Pairs used.
    factor : float
        Geometric mean of measured ÷ rule-of-thumb MIPS (multiplies the rule's typical MIPS).
    gsd : float
        Geometric standard deviation of the ratios (1 = no spread).
    factor_low, factor_high : float
        ``factor ÷ gsd²`` and ``factor × gsd²`` (equal to ``factor`` for one pair).
    ratio_min, ratio_max : float
        Smallest and largest ratio of a pair.
    source : str
        Where the pairs came from.
    """

    workload_class: str
    n: int
    factor: float
    gsd: float
    factor_low: float
    factor_high: float
    ratio_min: float
    ratio_max: float
    source: str = ""

    @property
    def spread_pct(self) -> float:
        """100 × (gsd − 1): the typical deviation of one pair from the fit [%]."""
        return 100.0 * (self.gsd - 1.0)


def _num(frame: pd.DataFrame, col: str, where: str, problems: list[str], low: float) -> np.ndarray:
    vals = pd.to_numeric(frame[col], errors="coerce").to_numpy(dtype=float)
    for i in np.flatnonzero(~np.isfinite(vals) | (vals < low)):
        problems.append(
            must_be(col, f"a number >= {low:g}", frame[col].iloc[i], f"{where} line {i + 2}")
        )
    return vals


def fit_pairs(pairs: pd.DataFrame, source: str = "measured pairs") -> dict[str, ClassFit]:
    """Fit one factor per workload class from measured pairs (module doc).

    Parameters
    ----------
    pairs : pandas.DataFrame
        Columns ``workload_class, capacity, capacity_unit, util_pct`` (0–100), optional
        ``cores`` (per-core units), and ``measured_mips`` or ``measured_ifl_share`` with
        ``engine_mips`` (MIPS of one engine of the measuring machine).
    source : str, default 'measured pairs'
        The table's name, for messages and the fit's source.

    Returns
    -------
    dict of str to ClassFit

    Raises
    ------
    InputError
        Missing columns, non-numbers, utilization outside 0 < u <= 100, zero MIPS.
    """
    missing = [c for c in PAIR_COLUMNS if c not in pairs.columns]
    if "measured_mips" not in pairs.columns and not {"measured_ifl_share", "engine_mips"} <= set(
        pairs.columns
    ):
        missing.append("measured_mips (or measured_ifl_share and engine_mips)")
    if missing:
        msg = f"{source}: missing column(s) {missing}"
        raise InputError(msg)
    problems: list[str] = []
    cap = _num(pairs, "capacity", source, problems, 0.0)
    util = _num(pairs, "util_pct", source, problems, 0.0)
    for i in np.flatnonzero(np.isfinite(util) & ((util <= 0) | (util > 100))):
        problems.append(
            must_be("util_pct", "in 0..100 (exclusive of 0)", util[i], f"{source} line {i + 2}")
        )
    if "measured_mips" in pairs.columns:
        meas = _num(pairs, "measured_mips", source, problems, 0.0)
    else:
        meas = _num(pairs, "measured_ifl_share", source, problems, 0.0) * _num(
            pairs, "engine_mips", source, problems, 0.0
        )
    for i in np.flatnonzero(np.isfinite(meas) & (meas <= 0)):
        problems.append(must_be("measured MIPS", "> 0", meas[i], f"{source} line {i + 2}"))
    raise_problems(problems, f"invalid measured pairs {source}")
    classes = pairs["workload_class"].astype(str).to_numpy()
    cores = pairs["cores"].to_numpy(dtype=float) if "cores" in pairs.columns else None
    rule = np.asarray(
        sizing.capacity_to_mips(
            cap, pairs["capacity_unit"].astype(str).to_numpy(), workload_class=classes, cores=cores
        ),
        dtype=float,
    ) * (util / 100.0)
    if np.any(rule <= 0):
        k = int(np.flatnonzero(rule <= 0)[0])
        msg = must_be("capacity", "> 0 (the rule gives 0 MIPS)", cap[k], f"{source} line {k + 2}")
        raise InputError(msg)
    logr = np.log(meas / rule)
    out: dict[str, ClassFit] = {}
    for cls in sorted(set(classes)):
        lr = logr[classes == cls]
        mean = float(lr.mean())
        sd = float(lr.std(ddof=1)) if lr.size > 1 else 0.0
        gsd = math.exp(sd)
        out[cls] = ClassFit(
            workload_class=cls,
            n=int(lr.size),
            factor=math.exp(mean),
            gsd=gsd,
            factor_low=math.exp(mean - 2 * sd),
            factor_high=math.exp(mean + 2 * sd),
            ratio_min=float(np.exp(lr.min())),
            ratio_max=float(np.exp(lr.max())),
            source=source,
        )
    return out


def read_pairs(path: str | Path) -> dict[str, ClassFit]:
    """Read a measured-pairs CSV and fit it (:func:`fit_pairs`).

    Parameters
    ----------
    path : str or Path
        The CSV (columns as :func:`fit_pairs`).
    """
    p = Path(path)
    if not p.is_file():
        msg = f"measured pairs file not found: {p}"
        raise InputError(msg)
    return fit_pairs(pd.read_csv(p), source=p.name)


def read_study(path: str | Path, engine_mips: float | None = None) -> pd.DataFrame:
    """Per-server capacity from a zPCR / consolidation study CSV: ``server, mips | ifl_share[, source]``.

    ``mips`` is the server's full capacity (100 % busy) in MIPS; ``ifl_share`` the same as a
    share of the target's engines (× ``engine_mips``).

    Parameters
    ----------
    path : str or Path
        The study CSV.
    engine_mips : float, optional
        MIPS of one target engine (needed for ``ifl_share``).

    Returns
    -------
    pandas.DataFrame
        Indexed by server: ``mips``, ``source``.
    """
    p = Path(path)
    if not p.is_file():
        msg = f"study file not found: {p}"
        raise InputError(msg)
    tab = pd.read_csv(p, dtype={"server": str})
    if "server" not in tab.columns or not ({"mips", "ifl_share"} & set(tab.columns)):
        msg = f"{p.name}: a study needs columns server and mips (or ifl_share) (got {list(tab.columns)})"
        raise InputError(msg)
    problems: list[str] = []
    if "mips" in tab.columns:
        mips = _num(tab, "mips", p.name, problems, 0.0)
    else:
        if engine_mips is None:
            msg = f"{p.name}: ifl_share needs the target engine's MIPS"
            raise InputError(msg)
        mips = _num(tab, "ifl_share", p.name, problems, 0.0) * float(engine_mips)
    for i in np.flatnonzero(np.isfinite(mips) & (mips <= 0)):
        problems.append(must_be("mips", "> 0", mips[i], f"{p.name} line {i + 2}"))
    dup = tab["server"].duplicated()
    for i in np.flatnonzero(dup.to_numpy()):
        problems.append(
            f"'server' {tab['server'].iloc[i]!r} appears twice at {p.name} line {i + 2}"
        )
    raise_problems(problems, f"invalid study {p.name}")
    src = (
        tab["source"].fillna(p.name).astype(str)
        if "source" in tab.columns
        else pd.Series(p.name, index=tab.index)
    )
    return pd.DataFrame({"mips": mips, "source": src.to_numpy()}, index=tab["server"].astype(str))


def apply(
    inventory: pd.DataFrame,
    fits: dict[str, ClassFit] | None = None,
    study: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The inventory with per-server ``tpm_per_mips`` from the calibration, and ``conversion``.

    A study's MIPS win over a class fit; rows with neither keep the rule of thumb (and a row
    that already has its own ``tpm_per_mips`` keeps it).

    Parameters
    ----------
    inventory : pandas.DataFrame
        A validated inventory.
    fits : dict of str to ClassFit, optional
        Class fits (:func:`fit_pairs`).
    study : pandas.DataFrame, optional
        Study capacities (:func:`read_study`).

    Examples
    --------
    >>> from colonykit.ingest import read_inventory
    >>> inv, _ = read_inventory("data/examples/xyz_inventory.csv")
    >>> fit = ClassFit("web", 3, 0.5, 1.1, 0.41, 0.6, 0.45, 0.55, "pairs.csv")
    >>> out = apply(inv, {"web": fit})
    >>> before = sizing.size_inventory(inv, "z15").servers.set_index("server")["mips_typical"]
    >>> after = sizing.size_inventory(out, "z15").servers.set_index("server")["mips_typical"]
    >>> web = inv.loc[inv.workload_class == "web", "server"].iloc[0]
    >>> round(float(after[web] / before[web]), 6)
    0.5
    """
    out = inventory.copy()
    cls = out["workload_class"].astype(str).to_numpy()
    rule_typ = np.asarray(
        sizing.capacity_to_mips(
            out["capacity"].to_numpy(float),
            out["capacity_unit"].astype(str).to_numpy(),
            workload_class=cls,
            cores=out["cores"].to_numpy(float) if "cores" in out else None,
        ),
        dtype=float,
    )
    classes = reference.workload_classes()["tpm_per_mips_typical"].astype(float)
    tpm = classes.reindex(pd.Index(cls)).to_numpy(dtype=float)
    applies_by_unit = (
        reference.capacity_units()["applies_class"]
        .astype(str)
        .str.lower()
        .isin(["true", "1", "yes"])
    )
    applies = applies_by_unit.reindex(pd.Index(out["capacity_unit"].astype(str))).to_numpy(bool)
    ref_tpm = float(classes[sizing.REFERENCE_CLASS])
    tpm = np.where(applies, tpm, ref_tpm)  # units that do not apply the class use the reference
    for col in ("tpm_per_mips", "tpm_per_mips_low", "tpm_per_mips_high"):
        if col not in out:
            out[col] = np.nan
    own = np.isfinite(out["tpm_per_mips"].to_numpy(dtype=float))
    conv = np.where(own, "per-server tpm_per_mips (inventory)", "rule of thumb").astype(object)
    lo, typ, hi = (
        out[c].to_numpy(dtype=float).copy()
        for c in ("tpm_per_mips_low", "tpm_per_mips", "tpm_per_mips_high")
    )
    for name, fit in (fits or {}).items():
        sel = (cls == name) & ~own & applies
        # MIPS = cap_tpm / tpm_per_mips: dividing tpm/MIPS by the factor multiplies the MIPS
        typ[sel] = tpm[sel] / fit.factor
        lo[sel] = tpm[sel] / fit.factor_high  # the low tpm/MIPS gives the high MIPS bound
        hi[sel] = tpm[sel] / fit.factor_low
        conv[sel] = (
            f"measured pairs ({fit.source}): class {name} x{fit.factor:.3g} "
            f"(n={fit.n}, spread {fit.spread_pct:.0f} %)"
        )
    if study is not None and len(study):
        servers = out["server"].astype(str).to_numpy()
        unknown = sorted(set(study.index) - set(servers))
        if unknown:
            msg = f"study names server(s) not in the inventory: {unknown[:10]}"
            raise InputError(msg)
        m = study["mips"].reindex(servers).to_numpy(dtype=float)
        sel = np.isfinite(m)
        f = np.where(sel, m / np.where(rule_typ > 0, rule_typ, np.nan), np.nan)
        ok = sel & np.isfinite(f) & (f > 0)
        if np.any(sel & ~ok):
            bad = servers[sel & ~ok][0]
            msg = f"study: server {bad!r} has no capacity the rule converts (0 MIPS); cannot apply its MIPS"
            raise InputError(msg)
        typ[ok] = lo[ok] = hi[ok] = tpm[ok] / f[ok]
        src = study["source"].reindex(servers).astype(str).to_numpy()
        conv[ok] = np.array([f"study {s}" for s in src[ok]], dtype=object)
    out["tpm_per_mips"], out["tpm_per_mips_low"], out["tpm_per_mips_high"] = typ, lo, hi
    out["conversion"] = conv
    return out


def conversion_summary(inventory: pd.DataFrame) -> dict[str, int]:
    """Servers per conversion (``conversion`` column of :func:`apply`; rule of thumb without it).

    Parameters
    ----------
    inventory : pandas.DataFrame
        An inventory, calibrated or not.

    Examples
    --------
    >>> conversion_summary(pd.DataFrame({"server": ["a", "b"]}))
    {'rule of thumb': 2}
    """
    if "conversion" not in inventory:
        return {"rule of thumb": len(inventory)}
    return {str(k): int(v) for k, v in inventory["conversion"].value_counts(sort=False).items()}


__all__ = [
    "PAIR_COLUMNS",
    "STUDY_COLUMNS",
    "ClassFit",
    "apply",
    "conversion_summary",
    "fit_pairs",
    "read_pairs",
    "read_study",
]
