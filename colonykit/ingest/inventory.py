"""Read a server inventory (CSV or Excel) into the canonical frame (:mod:`colonykit.frames`).

Canonical columns (units in the names): ``server, role, capacity, capacity_unit,
util_avg_pct, util_peak_pct, workload_class, memory_mib, disk_gib`` plus optional
``cores, tpm_per_mips, tpm_per_mips_low, tpm_per_mips_high, count``.
"""

from __future__ import annotations

import warnings
import zlib
from pathlib import Path
from typing import Any

import pandas as pd

from colonykit import inventory_schema as schema
from colonykit._optional import require
from colonykit.errors import ColonykitWarning, InputError, must_be, short_repr
from colonykit.frames import (  # noqa: F401 - re-exported: the canonical frame is defined there
    AMBIGUOUS_HEADERS,
    COLUMN_MAP,
    INVENTORY_COLUMNS,
    MAX_INVENTORY_COLUMNS,
    OPTIONAL_COLUMNS,
    SIZE_UNITS,
    _canonical,
    inventory_frame,
    normalise_columns,
    reference_names,
    validate_inventory,
)


def read_inventory(
    path: str | Path,
    *,
    sheet: str | int | None = None,
    workload_table: pd.DataFrame | None = None,
    units_table: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Read a server inventory from CSV (``.csv``/``.txt``) or Excel (``.xlsx``).

    Parameters
    ----------
    path : str or Path
        The inventory file.
    sheet : str or int, optional
        Excel sheet name or index (ignored for CSV).  Default: the only sheet whose header
        has a ``server`` column (a workbook with several candidates is an error).
    workload_table, units_table : DataFrame, optional
        The planner's own workload-class / capacity-unit tables (validation accepts their names).

    Returns
    -------
    (pandas.DataFrame, dict)
        The validated canonical frame (one row per inventory line, ``count``
        filled with 1 where absent) and metadata (``source``, ``rows``,
        ``servers``, ``format``, ``conversions`` — sentences saying what was converted:
        header spellings with units such as ``Memory (GB)`` (memory "GB" is read as GiB, as
        memory is sold; disk "GB" stays 10^9 B), ``12%`` cells, ``2.4 GHz`` capacities —, ``ignored_columns`` and for Excel
        ``sheet``).

    Raises
    ------
    InputError
        Unreadable or empty file, missing columns, or invalid rows.  Every
        problem of the file is listed, each naming file, line, column and the
        valid range.

    Examples
    --------
    >>> from colonykit.ingest import read_inventory
    >>> inv, meta = read_inventory("data/examples/xyz_inventory.csv")
    >>> int(inv["count"].sum())
    26
    """
    p = Path(path)
    schema.check_path(p)
    suffix = p.suffix.lower()
    notes: list[str] = []
    classes, units = reference_names(workload_table, units_table)
    if suffix in (".xlsx", ".xlsm", ".xls"):
        columns, sheet_used = _read_excel(p, sheet, notes)
        fmt, line_offset, line_word = "excel", 2, "row"
    else:
        columns, sheet_used = _read_csv(p), None
        fmt, line_offset, line_word = "csv", 2, "line"
    cols, rows, report = schema.check_columns(
        columns,
        source=p.name,
        line_offset=line_offset,
        line_word=line_word,
        class_names=classes,
        unit_needs_cores=units,
    )
    notes += report["conversions"]
    frame = inventory_frame(cols, p.name)
    meta = _inventory_meta(p, fmt, cols, rows, notes, report["ignored_columns"])
    if sheet_used is not None:
        meta["sheet"] = sheet_used
    return frame, meta


def _inventory_meta(
    p: Path, fmt: str, cols: dict[str, Any], rows: int, notes: list[str], ignored: list[str]
) -> dict[str, Any]:
    """The metadata :func:`read_inventory` returns beside the frame.

    Parameters
    ----------
    p : Path
        The inventory file.
    fmt : str
        ``csv`` or ``excel``.
    cols : dict
        The validated columns.
    rows : int
        Rows of the inventory.
    notes : list of str
        What was converted.
    ignored : list of str
        Columns ignored.
    """
    return {
        "source": str(p),
        "format": fmt,
        "rows": rows,
        "servers": int(cols["count"].sum()),
        "conversions": notes,
        "ignored_columns": ignored,
    }


def _read_csv(p: Path) -> list[tuple[str, list[Any]]]:
    """Header and cells of each column: the csv module for a plain file, else pandas."""
    try:
        with p.open("rb") as fh:
            head = fh.read(1 << 16)
        first = head.split(b"\n", 1)[0]
        if first.count(b",") + 1 > MAX_INVENTORY_COLUMNS:
            msg = (
                f"{p.name} line 1: more than {MAX_INVENTORY_COLUMNS:,} columns (limit "
                "MAX_INVENTORY_COLUMNS); an inventory has one column per field"
            )
            raise InputError(msg)
        plain = schema.plain_csv_grid(p)
        if plain is not None:  # no pandas needed (start-up, issue 25); same cells (tested)
            return schema.header_first(plain, p.name)
        grid = pd.read_csv(
            p,
            dtype=str,
            header=None,
            keep_default_na=False,
            skipinitialspace=True,
            encoding="utf-8-sig",
        )
    except pd.errors.EmptyDataError:
        msg = f"{p.name}: the file is empty; expected a header line with {list(INVENTORY_COLUMNS)}"
        raise InputError(msg) from None
    except UnicodeDecodeError as exc:
        msg = f"{p.name}: not UTF-8 text at byte offset {exc.start} ({exc.reason}); save it as UTF-8 CSV"
        raise InputError(msg) from exc
    except pd.errors.ParserError as exc:
        msg = f"{p.name}: cannot parse the file as CSV ({short_repr(str(exc), 300)})"
        raise InputError(msg) from exc
    except OSError as exc:
        msg = f"cannot read inventory {p}: {exc.strerror or exc}"
        raise InputError(msg) from exc
    except (EOFError, zlib.error) as exc:  # a truncated or corrupt .gz/.bz2/.xz
        msg = f"cannot read inventory {p}: the compressed file is corrupt or truncated ({exc})"
        raise InputError(msg) from exc
    return schema.header_first(grid.to_numpy(dtype=object).tolist(), p.name)


def _read_excel(
    p: Path, sheet: str | int | None, notes: list[str]
) -> tuple[list[tuple[str, list[Any]]], str]:
    """The chosen sheet; without ``sheet``, the one sheet whose header has a 'server' column."""
    if p.suffix.lower() == ".xls":
        msg = f"{p.name}: Excel 97-2003 workbooks (.xls) are not supported; save it as .xlsx or CSV"
        raise InputError(msg)
    require("openpyxl", extra="excel", purpose="reading .xlsx inventories")
    try:
        book = pd.ExcelFile(p)
    except ImportError as exc:
        msg = f"{p.name}: reading Excel needs openpyxl (pip install 'colonykit[excel]'): {exc}"
        raise InputError(msg) from exc
    except Exception as exc:  # openpyxl/zipfile raise many types for a corrupt workbook
        msg = f"{p.name}: cannot read the workbook ({type(exc).__name__}: {short_repr(str(exc), 200)})"
        raise InputError(msg) from exc
    with book:
        names = [str(n) for n in book.sheet_names]
        if sheet is None:
            grids = {n: pd.read_excel(book, sheet_name=n, header=None, dtype=object) for n in names}
            fits = [
                n
                for n, g in grids.items()
                if g.shape[0]
                and "server" in {_canonical(v) for v in g.iloc[0].tolist() if isinstance(v, str)}
            ]
            if len(names) > 1 and len(fits) != 1:
                msg = (
                    f"{p.name}: the workbook has sheets {names} and "
                    f"{'none' if not fits else len(fits)} of them has a 'server' column; "
                    "choose one with sheet=…"
                )
                raise InputError(msg)
            chosen = fits[0] if fits else names[0]
            if len(names) > 1:
                notes.append(
                    f"sheet {chosen!r} read (the only one of {names} with a 'server' column)"
                )
            grid = grids[chosen]
        else:
            if (isinstance(sheet, str) and sheet not in names) or (
                isinstance(sheet, int) and not 0 <= sheet < len(names)
            ):
                msg = must_be(
                    "sheet", f"one of {names} or an index 0..{len(names) - 1}", sheet, p.name
                )
                raise InputError(msg)
            chosen = sheet if isinstance(sheet, str) else names[sheet]
            grid = pd.read_excel(book, sheet_name=chosen, header=None, dtype=object)
    hidden = _hidden_parts(p, chosen, names)
    if hidden:
        notes.extend(hidden)
        warnings.warn(f"{p.name}: {'; '.join(hidden)}", ColonykitWarning, stacklevel=3)
    where = f"{p.name} sheet {chosen!r}"
    return schema.header_first(grid.to_numpy(dtype=object).tolist(), where), chosen


def _hidden_parts(p: Path, chosen: str, names: list[str]) -> list[str]:
    """Sentences about hidden sheets, rows and columns of a workbook (they are read all the same)."""
    openpyxl = require("openpyxl", extra="excel", purpose="reading .xlsx inventories")
    try:
        book = openpyxl.load_workbook(p, read_only=False, data_only=True)
    except Exception:
        return []
    out: list[str] = []
    try:
        hidden_sheets = [n for n in names if book[n].sheet_state != "visible"]
        if chosen in hidden_sheets:
            out.append(
                f"sheet {chosen!r} is hidden in Excel but was read (choose another with --sheet)"
            )
        elif hidden_sheets:
            out.append(f"hidden sheet(s) {hidden_sheets} not read")
        ws = book[chosen]
        rows = sorted(i for i, d in ws.row_dimensions.items() if d.hidden and i <= ws.max_row)
        if rows:
            shown = ", ".join(str(r) for r in rows[:10]) + (" …" if len(rows) > 10 else "")
            out.append(
                f"{len(rows)} row(s) of sheet {chosen!r} are hidden in Excel but were read "
                f"(rows {shown}); delete them if they are not servers"
            )
        cols = sorted(k for k, d in ws.column_dimensions.items() if d.hidden)
        if cols:
            out.append(
                f"column(s) {cols[:10]} of sheet {chosen!r} are hidden in Excel but were read"
            )
    finally:
        book.close()
    return out


__all__ = [
    "read_inventory",
]
