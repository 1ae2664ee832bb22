"""One time format per column: the time parser of every trace reader (issue 24 root cause 3).

A time column is parsed as a whole, never cell by cell:

- **numbers** are epoch times; the unit is detected from their size (``s`` below 1e11, ``ms``
  below 1e14, ``us`` below 1e17, else ``ns``) unless ``epoch_unit`` says it, and values below
  ``EXCEL_MAX_DAYS`` with ``epoch_unit="auto"`` are Excel serial days (1899-12-30 origin).
  Fractions (sub-second stamps) are kept.
- **text** gets one format for the whole column: ``date_format`` when given, else the format
  of the first stamp (``pandas.tseries.api.guess_datetime_format``); ``d/m/Y`` versus ``m/d/Y``
  is decided by the column (a first field above 12 means day first, a second one month
  first); a column where both readings are possible is refused unless ``dayfirst`` says which.
  Stamps that do not follow the column's format are refused with their line.
- **time-only** stamps (no date) are refused; a column that mixes stamps with and without a UTC
  offset is refused (naming a line of each).
- **naive** stamps are local times in ``tz``: a repeated hour at the end of summer time is read
  in order (a monotone capture passes it twice: first summer, then standard time); a stamp in
  the skipped hour is refused.

Parsing works on the column's distinct values (a few thousand stamps for millions of samples),
so the cost does not grow with the number of servers.

Examples
--------
>>> import numpy as np
>>> ns, note, _ = parse_times(np.array(["03/01/2024 10:00", "13/01/2024 10:00"]), where="f.csv")
>>> [str(np.datetime64(int(v), "ns")) for v in ns]
['2024-01-03T10:00:00.000000000', '2024-01-13T10:00:00.000000000']
>>> note
'day first (%d/%m/%Y %H:%M)'
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from colonykit._lazy import lazy_module
from colonykit.errors import InputError, must_be

if TYPE_CHECKING:
    import pandas as pd
else:  # an ISO column in UTC is parsed by numpy: `colonykit whitespace` without pandas
    pd = lazy_module("pandas")

#: int64 "not a time" (numpy's NaT).
NAT_NS: int = int(np.iinfo(np.int64).min)
#: Epoch units ``parse_times(epoch_unit=...)`` accepts.
EPOCH_UNITS: tuple[str, ...] = ("auto", "s", "ms", "us", "ns", "excel")
#: Largest Excel serial day read as a date with ``epoch_unit="auto"`` (9999-12-31).
EXCEL_MAX_DAYS: float = 2_958_465.0
#: Excel's day 0 (the 1900 date system, as Excel and LibreOffice write it), in UTC nanoseconds
#: (``EXCEL_EPOCH`` is the same as a ``pandas.Timestamp``, made on first use).
EXCEL_EPOCH_NS: int = int(np.datetime64("1899-12-30", "ns").astype(np.int64))


def __getattr__(name: str) -> Any:
    """``EXCEL_EPOCH`` as a ``pandas.Timestamp`` (made on first use: importing this module
    does not import pandas)."""
    if name == "EXCEL_EPOCH":
        return pd.Timestamp(EXCEL_EPOCH_NS)
    msg = f"module {__name__!r} has no attribute {name!r}"
    raise AttributeError(msg)


_TIME_ONLY = re.compile(r"^\s*\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*[AaPp][Mm])?\s*$")
_OFFSET = re.compile(r"(?:Z|[+-]\d{2}:?\d{2}|\bUTC|\bGMT)\s*$")
_SLASH = re.compile(r"(?:^|\s)(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})\b")


def _epoch_to_ns(values: np.ndarray, unit: str) -> tuple[np.ndarray, str]:
    finite = values[np.isfinite(values)]
    top = float(np.abs(finite).max()) if finite.size else 0.0
    if unit == "auto":
        unit = (
            "excel"
            if 0 < top <= EXCEL_MAX_DAYS and finite.min() > 0
            else "s"
            if top < 1e11
            else "ms"
            if top < 1e14
            else "us"
            if top < 1e17
            else "ns"
        )
    scale = {"s": 1e9, "ms": 1e6, "us": 1e3, "ns": 1.0, "excel": 86400e9}[unit]
    base = EXCEL_EPOCH_NS if unit == "excel" else 0
    with np.errstate(invalid="ignore", over="ignore"):
        ns = np.round(values * scale) + base
    bad = ~np.isfinite(ns) | (np.abs(ns) > 9.2e18)
    out = np.where(bad, np.iinfo(np.int64).min, ns).astype(np.int64)
    return out, f"epoch {unit}" if unit != "excel" else "Excel serial days"


#: The text stamps :func:`_iso_utc` parses with numpy: ``YYYY-MM-DD[T ]hh:mm:ss``, nothing else.
_ISO_SECONDS = re.compile(r"\d{4}-\d\d-\d\d([T ])\d\d:\d\d:\d\d")


def _iso_utc(arr: np.ndarray) -> tuple[np.ndarray, str, np.ndarray] | None:
    """A column of ``YYYY-MM-DDThh:mm:ss`` (or with a space) stamps read in UTC, by numpy.

    None (the general route decides) unless every value is such a text with the same
    separator, a year in 1678..2261 and a valid date and time: for these the general route
    (the first stamp's format, ``pandas.to_datetime``, localised to UTC) gives the same
    nanoseconds and note, without importing pandas (``colonykit whitespace``, issue 25).
    """
    if arr.ndim != 1 or arr.size == 0 or arr.dtype.kind not in "OU":
        return None
    sep = None
    for text in arr.tolist():
        if type(text) is not str:
            return None
        m = _ISO_SECONDS.fullmatch(text)
        if (
            m is None
            or (sep is not None and m.group(1) != sep)
            or not 1678 <= int(text[:4]) <= 2261
        ):
            return None
        sep = m.group(1)
    try:
        ns = arr.astype("datetime64[ns]").astype(np.int64)
    except ValueError:  # a day, hour or second out of range: the general route names it
        return None
    return ns, f"format %Y-%m-%d{sep}%H:%M:%S", np.zeros(len(ns), dtype=np.int64)


def _slash_order(texts: pd.Series, dayfirst: bool | None, where: str) -> bool | None:
    """Day first (True), month first (False) or None (not a d/m/y column) for the column."""
    parts = texts.str.extract(_SLASH)
    if parts[0].isna().all():
        return None
    # as float: a nullable integer column (pandas' string dtype) would make the comparisons NA
    a = pd.to_numeric(parts[0], errors="coerce").astype(float)
    b = pd.to_numeric(parts[1], errors="coerce").astype(float)
    day_first_seen = bool((a > 12).any())
    month_first_seen = bool((b > 12).any())
    if day_first_seen and month_first_seen:
        i = int(np.flatnonzero((a > 12).to_numpy())[0])
        j = int(np.flatnonzero((b > 12).to_numpy())[0])
        msg = (
            f"{where}: the time column mixes day-first ({texts.iloc[i]!r}) and month-first "
            f"({texts.iloc[j]!r}) dates; one format per column (give it with --date-format / "
            "traces.date_format)"
        )
        raise InputError(msg)
    if dayfirst is not None:
        if (dayfirst and month_first_seen) or (not dayfirst and day_first_seen):
            msg = (
                f"{where}: dates such as {texts.iloc[0]!r} contradict "
                f"{'--dayfirst' if dayfirst else '--monthfirst'}"
            )
            raise InputError(msg)
        return dayfirst
    if day_first_seen or month_first_seen:
        return day_first_seen
    msg = (
        f"{where}: the dates are ambiguous (e.g. {texts.iloc[0]!r} reads as day-first or "
        "month-first and no day above 12 decides it); pass --dayfirst or --monthfirst "
        "(traces.dayfirst) or --date-format (traces.date_format)"
    )
    raise InputError(msg)


def parse_times(
    values: npt.ArrayLike,
    *,
    tz: str = "UTC",
    dayfirst: bool | None = None,
    date_format: str | None = None,
    epoch_unit: str = "auto",
    where: str = "traces",
    field: str = "timestamp",
    locate: Callable[[int], str] | None = None,
) -> tuple[np.ndarray, str, np.ndarray]:
    """Parse one time column (the distinct values of it) to UTC nanoseconds, one format for all.

    Parameters
    ----------
    values : array-like
        The column's values (numbers or text), typically its distinct values.
    tz : str, default 'UTC'
        Time zone of naive stamps.
    dayfirst : bool, optional
        ``d/m/Y`` (True) or ``m/d/Y`` (False) for slash dates the column cannot decide.
    date_format : str, optional
        A ``strftime`` format for the whole column (overrides the inference).
    epoch_unit : {'auto', 's', 'ms', 'us', 'ns', 'excel'}, default 'auto'
        Unit of numeric stamps (``auto``: detected from their size).
    where : str
        File name for the messages.
    field : str
        Column name for the messages.
    locate : callable, optional
        ``locate(i)`` names the place (file and line) of value ``i``, for the messages.

    Returns
    -------
    (ndarray, str, ndarray)
        int64 UTC nanoseconds (``NAT_NS`` for missing values and for stamps that do not
        follow the column's format: the caller names their lines), a
        note on the format used, and per value the nanoseconds to add when the stamp is the
        *second* pass through a repeated hour (0 elsewhere; a stamp of a repeated hour is
        read as summer time; :func:`resolve_repeated_hour` decides per series).

    Raises
    ------
    InputError
        Time-only stamps, naive/aware mixtures, ambiguous or mixed day/month order, stamps not in
        the column's format, a local time in a skipped hour, an unknown ``epoch_unit``.

    Examples
    --------
    >>> ns, note, _ = parse_times(np.array([1.7e12, 1.7e12 + 300_000]))
    >>> note, int(ns[1] - ns[0])
    ('epoch ms', 300000000000)
    """
    if epoch_unit not in EPOCH_UNITS:
        raise InputError(must_be("epoch_unit", f"one of {list(EPOCH_UNITS)}", epoch_unit))
    arr = np.asarray(values)
    nat = NAT_NS
    if arr.dtype.kind in "iufb":
        ns, note = _epoch_to_ns(arr.astype(np.float64), epoch_unit)
        return ns, note, np.zeros(len(ns), dtype=np.int64)
    if arr.dtype.kind == "M":
        ns = arr.astype("datetime64[ns]").astype(np.int64)
        return ns, "datetime", np.zeros(len(ns), dtype=np.int64)
    if tz == "UTC" and date_format is None:
        fast = _iso_utc(arr)
        if fast is not None:  # the pandas route below gives the same for these columns
            return fast
    texts = pd.Series(arr, dtype=object).astype("string").str.strip()
    missing = (texts.isna() | (texts == "")).to_numpy()
    texts = texts.fillna("")
    present = texts[~missing]
    if present.empty:
        return np.full(len(arr), nat, dtype=np.int64), "empty", np.zeros(len(arr), dtype=np.int64)
    numeric = pd.to_numeric(present, errors="coerce")
    if numeric.notna().all():
        out = np.full(len(arr), nat, dtype=np.int64)
        out[~missing], note = _epoch_to_ns(numeric.to_numpy(dtype=float), epoch_unit)
        return out, note, np.zeros(len(arr), dtype=np.int64)

    def at(i: int) -> str:  # the i-th present value's place, for a message
        return where if locate is None else locate(int(np.flatnonzero(~missing)[i]))

    only_time = present.str.match(_TIME_ONLY)
    if only_time.any():
        i = int(np.flatnonzero(only_time.to_numpy())[0])
        msg = (
            f"{at(i)}: {field!r} holds time-only stamps such as {present.iloc[i]!r} (no date); "
            "write the date with each stamp, or use a step column with --start"
        )
        raise InputError(msg)
    aware = present.str.contains(_OFFSET).to_numpy()
    order = None if date_format else _slash_order(present, dayfirst, where)

    def guess(texts: pd.Series) -> str:
        """The column's format: given, or that of its first recognisable stamp."""
        if date_format:
            return date_format
        from pandas.tseries.api import guess_datetime_format

        for first in texts.iloc[:50]:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                got = guess_datetime_format(str(first), dayfirst=bool(order))
            if got is not None:
                return str(got)
        return "ISO8601"

    fmt = guess(present)
    note = (
        f"format {date_format}"
        if date_format
        else f"{'day' if order else 'month'} first ({fmt})"
        if order is not None
        else f"format {fmt}"
    )
    parsed_ns = np.full(len(present), NAT_NS, dtype=np.int64)
    shift_present = np.zeros(len(present), dtype=np.int64)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for sel, utc in ((~aware, False), (aware, True)):
            if not sel.any():
                continue
            sub = present[sel]
            sub_fmt = fmt if bool(sel[0]) else guess(sub)  # the first stamp set the format
            try:
                got = pd.to_datetime(sub, format=sub_fmt, errors="coerce", utc=utc)
            except (ValueError, TypeError):
                got = pd.Series(pd.NaT, index=sub.index, dtype="datetime64[ns]")
            if got.isna().any() and "%S" in sub_fmt and "%f" not in sub_fmt:  # fractions
                again = pd.to_datetime(
                    sub, format=sub_fmt.replace("%S", "%S.%f"), errors="coerce", utc=utc
                )
                got = got.fillna(again)
            idx_sub = pd.DatetimeIndex(got)
            years = idx_sub.year
            # outside what nanoseconds hold (1678..2261): not a capture's time
            idx_sub = pd.DatetimeIndex(idx_sub.where((years > 1677) & (years < 2262)))
            idx_sub = idx_sub.as_unit("ns")
            if not utc:
                idx_sub, sh = _localize(idx_sub, tz, present[sel], at, field, np.flatnonzero(sel))
                shift_present[sel] = sh
            vals = np.asarray(idx_sub.tz_convert("UTC").as_unit("ns").asi8, dtype=np.int64)
            vals[np.asarray(idx_sub.isna())] = NAT_NS
            parsed_ns[sel] = vals
    ok = parsed_ns != NAT_NS
    if (ok & aware).any() and (ok & ~aware).any():
        i = int(np.flatnonzero(ok & aware)[0])
        j = int(np.flatnonzero(ok & ~aware)[0])
        msg = (
            f"{at(j)}: {field!r} mixes stamps with a UTC offset ({present.iloc[i]!r}) and "
            f"without one ({present.iloc[j]!r}); one convention per column"
        )
        raise InputError(msg)
    out = np.full(len(arr), NAT_NS, dtype=np.int64)
    out[~missing] = parsed_ns
    shift_all = np.zeros(len(arr), dtype=np.int64)
    shift_all[~missing] = shift_present
    return out, note, shift_all


def _localize(
    idx: pd.DatetimeIndex,
    tz: str,
    texts: pd.Series,
    at: Callable[[int], str],
    field: str,
    pos: np.ndarray,
) -> tuple[pd.DatetimeIndex, np.ndarray]:
    """Naive wall-clock stamps in ``tz`` as aware ones, and the repeated-hour shift per stamp."""
    try:
        local = idx.tz_localize(tz, ambiguous="NaT", nonexistent="NaT")
    except Exception as exc:  # unknown zone name
        raise InputError(
            must_be("tz", "a time zone name such as 'UTC' or 'Europe/Amsterdam'", tz)
        ) from exc
    gap = np.asarray(local.isna()) & ~np.asarray(idx.isna())
    shift = np.zeros(len(idx), dtype=np.int64)
    if not gap.any():
        return local, shift
    summer = idx.tz_localize(tz, ambiguous=np.ones(len(idx), bool), nonexistent="NaT")
    skipped = np.asarray(summer.isna()) & gap
    if skipped.any():
        i = int(np.flatnonzero(skipped)[0])
        msg = must_be(
            field,
            f"a local time that exists in {tz} (it falls in the skipped summer-time hour)",
            texts.iloc[i],
            at(int(pos[i])),
        )
        raise InputError(msg)
    standard = idx.tz_localize(tz, ambiguous=np.zeros(len(idx), bool), nonexistent="NaT")
    shift = np.where(
        gap,
        np.asarray(standard.as_unit("ns").asi8) - np.asarray(summer.as_unit("ns").asi8),
        0,
    )
    return summer, shift


def resolve_repeated_hour(ns: np.ndarray, shift: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """UTC nanoseconds with the second pass through a repeated hour moved to standard time.

    A monotone local capture passes the repeated hour twice, in file order: within each series,
    a repeated-hour stamp at or before an earlier repeated-hour stamp of the same series is the
    second pass.

    Parameters
    ----------
    ns : ndarray
        int64 UTC nanoseconds per row (repeated-hour stamps read as summer time).
    shift : ndarray
        int64 per row: nanoseconds to add on the second pass (0 outside repeated hours).
    codes : ndarray
        Series code per row.

    Returns
    -------
    ndarray
        The corrected int64 nanoseconds (``ns`` itself when no row is in a repeated hour).

    Examples
    --------
    >>> h = 3600 * 10**9
    >>> out = resolve_repeated_hour(np.array([0, h, 0]), np.array([h, h, h]), np.zeros(3, int))
    >>> (out // h).tolist()
    [0, 1, 1]
    """
    rows = np.flatnonzero(shift != 0)
    if rows.size == 0:
        return ns
    sub = pd.DataFrame({"c": codes[rows], "t": ns[rows]})
    prev_max = sub.groupby("c")["t"].cummax().groupby(sub["c"]).shift(1)
    second = (sub["t"] <= prev_max).to_numpy()
    out = ns.copy()
    out[rows[second]] += shift[rows[second]]
    return out


__all__ = [
    "EPOCH_UNITS",
    "EXCEL_EPOCH",  # noqa: F822 - made on first use (module __getattr__)
    "EXCEL_EPOCH_NS",
    "EXCEL_MAX_DAYS",
    "NAT_NS",
    "parse_times",
    "resolve_repeated_hour",
]
