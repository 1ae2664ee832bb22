"""How far a plan can be trusted: a rating with its reasons, carried into every output.

Each **reason** is one measurable fact about the inputs, rated ``high`` / ``medium`` / ``low``
against thresholds in ``constants_confidence.csv`` (colonykit's own policy: no published
threshold exists, so the thresholds are stated and can be overridden); the plan's rating is
the **lowest** of its reasons:

- ``traces_matched`` — share of the inventory's servers sized from a series of their own
  (none: the plan sizes on the inventory's ``util_peak_pct``);
- ``filled`` — the largest share of a matched series that was filled (gaps);
- ``capture_span`` — hours of the common capture against ``confidence_min_capture_span_h``
  (one week: the weekly business cycle); shorter than ``measured_min_overlap_h`` is low;
- ``cpu_conversion`` — the capacity units' conversion: Barton's 2003 MHz rule of thumb is
  low; servers with a measured pair calibration or a study's MIPS are high;
- ``catalog`` — the target processor's catalog row (``processors.csv`` ``confidence``:
  ``estimate`` / ``weak`` rows are low, ``derived`` medium, ``IBM`` / ``3rd`` high);
- ``memory`` — memory sized from measured use (high) or from provisioned sizes (medium);
- ``engine_spread`` — high ÷ typical engines of the workload-factor range; above
  ``confidence_engine_spread_low_ratio`` the engines are shown as low / typical / high.

Examples
--------
>>> c = rate(servers_total=50, servers_matched=50, filled_frac_max=0.0, capture_span_h=168,
...          conversion={"mhz_per_core": "low: rule of thumb"}, catalog_confidence="derived",
...          memory_measured=True, engines_range={"low": 15, "typical": 49, "high": 147})
>>> c.rating, [r.name for r in c.reasons if r.level == "low"]
('low', ['cpu_conversion', 'engine_spread'])
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from colonykit import reference
from colonykit._dicts import DictMixin

#: Rating levels, worst first.
LEVELS: tuple[str, ...] = ("low", "medium", "high")


@dataclass(frozen=True)
class Reason(DictMixin):
    """One reason of a confidence rating.

    Attributes
    ----------
    name : str
        What was rated (``traces_matched``, ``filled``, ``capture_span``, ``cpu_conversion``,
        ``catalog``, ``memory``, ``engine_spread``).
    level : str
        ``high``, ``medium`` or ``low``.
    text : str
        The fact and the threshold, in one sentence.
    """

    name: str
    level: str
    text: str


@dataclass(frozen=True)
class Confidence(DictMixin):
    """A plan's confidence: the lowest level of its reasons.

    Attributes
    ----------
    rating : str
        ``high``, ``medium`` or ``low``.
    reasons : tuple of Reason
        Every reason, in the order of the module doc.
    engines_range : dict of str to int
        Engines at the low / typical / high bound (shown whenever the CPU conversion is weak).
    show_range : bool
        True when the engines must be shown with their range (conversion or spread low).
    """

    rating: str
    reasons: tuple[Reason, ...] = ()
    engines_range: dict[str, int] = field(default_factory=dict)
    show_range: bool = False

    def summary(self) -> str:
        """One line: the rating and the reasons that are not high.

        Examples
        --------
        >>> Confidence("medium", (Reason("memory", "medium", "memory not measured"),)).summary()
        'confidence MEDIUM: memory not measured'
        """
        weak = [r.text for r in self.reasons if r.level != "high"]
        text = f"confidence {self.rating.upper()}"
        if self.show_range and self.engines_range:
            e = self.engines_range
            text += f" (engines {e.get('low')} / {e.get('typical')} / {e.get('high')} low / typical / high)"
        return text + (": " + "; ".join(weak) if weak else "")


def _level(value: float, high_at: float, low_below: float, *, higher_is_better: bool = True) -> str:
    if not higher_is_better:
        value, high_at, low_below = -value, -high_at, -low_below
    if value >= high_at:
        return "high"
    return "medium" if value >= low_below else "low"


def catalog_level(confidence: str) -> str:
    """Level of a catalog row's ``confidence`` label.

    Parameters
    ----------
    confidence : str
        The ``confidence`` column of a table row (``IBM``, ``3rd``, ``derived``, ``weak``, ``estimate``).

    Examples
    --------
    >>> catalog_level("IBM"), catalog_level("derived"), catalog_level("estimate")
    ('high', 'medium', 'low')
    """
    c = str(confidence).strip().lower()
    if c in ("ibm", "3rd", "exact", "measured"):
        return "high"
    if c.startswith("derived"):
        return "medium"
    return "low"


def rate(
    *,
    servers_total: int,
    servers_matched: int | None,
    filled_frac_max: float | None,
    capture_span_h: float | None,
    conversion: Mapping[str, str],
    catalog_confidence: str,
    memory_measured: bool | None,
    engines_range: Mapping[str, int],
    calibrated_servers: int = 0,
) -> Confidence:
    """Rate a plan's inputs (module doc).  ``None`` means "no traces".

    Parameters
    ----------
    servers_total : int
        Inventory servers.
    servers_matched : int or None
        Servers with a trace of their own (None: no traces).
    filled_frac_max : float or None
        Largest filled share (0–1) of a matched series.
    capture_span_h : float or None
        Hours of the common capture.
    conversion : mapping of str to str
        Low-confidence capacity units of the inventory -> reason
        (:func:`colonykit.sizing.low_confidence_units`); empty when none.
    catalog_confidence : str
        ``confidence`` of the target processor's catalog row.
    memory_measured : bool or None
        Memory sized from measured use.
    engines_range : mapping of str to int
        Engines at the low / typical / high bound.
    calibrated_servers : int, default 0
        Servers whose capacity comes from a measured pair or a study (not the rule of thumb).

    Examples
    --------
    >>> rate(servers_total=26, servers_matched=None, filled_frac_max=None, capture_span_h=None,
    ...      conversion={}, catalog_confidence="derived", memory_measured=None,
    ...      engines_range={"low": 1, "typical": 2, "high": 3}).summary()[:60]
    'confidence LOW: no traces: every server is sized from its in'
    """
    c = reference.constant
    reasons: list[Reason] = []
    if servers_matched is None:
        reasons.append(
            Reason(
                "traces_matched",
                "low",
                "no traces: every server is sized from its inventory util_peak_pct "
                "(peaks assumed coincident)",
            )
        )
    else:
        share = servers_matched / servers_total if servers_total else 0.0
        lvl = _level(
            share,
            c("confidence_matched_high_frac"),
            c("confidence_matched_low_frac"),
        )
        reasons.append(
            Reason(
                "traces_matched",
                lvl,
                f"{servers_matched} of {servers_total} servers ({100 * share:.0f} %) have a trace of "
                f"their own (high from {100 * c('confidence_matched_high_frac'):.0f} %)",
            )
        )
    if filled_frac_max is not None:
        lvl = _level(
            filled_frac_max,
            c("measured_fill_warn_frac"),
            c("confidence_filled_low_frac"),
            higher_is_better=False,
        )
        reasons.append(
            Reason(
                "filled",
                lvl,
                f"at most {100 * filled_frac_max:.1f} % of a series was filled "
                f"(high up to {100 * c('measured_fill_warn_frac'):.0f} %)",
            )
        )
    if capture_span_h is not None:
        lvl = _level(
            capture_span_h, c("confidence_min_capture_span_h"), c("measured_min_overlap_h")
        )
        reasons.append(
            Reason(
                "capture_span",
                lvl,
                f"capture span {capture_span_h:,.0f} h (stated minimum "
                f"{c('confidence_min_capture_span_h'):g} h, one weekly cycle)",
            )
        )
    if conversion:
        units = ", ".join(sorted(conversion))
        lvl = "medium" if calibrated_servers >= servers_total > 0 else "low"
        reasons.append(
            Reason(
                "cpu_conversion",
                lvl,
                f"capacities in {units} converted with a low-confidence rule of thumb "
                "(capacity_units.csv; e.g. Barton's 2003 4 MHz = 1 MIPS)"
                + (f"; {calibrated_servers} server(s) calibrated" if calibrated_servers else ""),
            )
        )
    else:
        reasons.append(
            Reason(
                "cpu_conversion",
                "high",
                f"{calibrated_servers} server(s) calibrated by measured pairs or a study; no "
                "rule-of-thumb conversion left"
                if calibrated_servers
                else "no low-confidence capacity unit in the inventory",
            )
        )
    lvl = catalog_level(catalog_confidence)
    reasons.append(
        Reason("catalog", lvl, f"target processor catalog row confidence '{catalog_confidence}'")
    )
    if memory_measured:
        reasons.append(Reason("memory", "high", "memory sized from measured use"))
    else:
        reasons.append(
            Reason(
                "memory",
                "medium",
                "memory not measured: working set taken as the provisioned memory",
            )
        )
    typ = max(int(engines_range.get("typical", 0)), 1)
    spread = float(engines_range.get("high", typ)) / typ
    lvl = _level(
        spread,
        c("confidence_engine_spread_medium_ratio"),
        c("confidence_engine_spread_low_ratio"),
        higher_is_better=False,
    )
    reasons.append(
        Reason(
            "engine_spread",
            lvl,
            f"high / typical engines {spread:.2f} ({engines_range.get('typical')} typical, "
            f"{engines_range.get('high')} high)",
        )
    )
    rating = min((r.level for r in reasons), key=LEVELS.index)
    show = any(r.name in ("cpu_conversion", "engine_spread") and r.level == "low" for r in reasons)
    return Confidence(
        rating=rating,
        reasons=tuple(reasons),
        engines_range={k: int(v) for k, v in engines_range.items()},
        show_range=show,
    )


def to_plan_values(conf: Confidence) -> dict[str, Any]:
    """Flat values for a plan document (``rating``, ``reason.<name>``, ``engines_<bound>``).

    Parameters
    ----------
    conf : Confidence
        The rating.

    Examples
    --------
    >>> to_plan_values(Confidence("high", (Reason("memory", "high", "measured"),)))
    {'rating': 'high', 'show_range': False, 'memory': 'high: measured'}
    """
    out: dict[str, Any] = {"rating": conf.rating, "show_range": conf.show_range}
    out.update({r.name: f"{r.level}: {r.text}" for r in conf.reasons})
    out.update({f"engines_{k}": v for k, v in conf.engines_range.items()})
    return out


__all__ = ["LEVELS", "Confidence", "Reason", "catalog_level", "rate", "to_plan_values"]
