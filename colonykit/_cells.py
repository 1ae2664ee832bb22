"""Spreadsheet cells from user text stay text (OWASP "CSV injection" / formula injection).

A server name, role or message that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return is run as a formula by Excel, LibreOffice and Google Sheets when it lands in a cell
(OWASP, "CSV Injection", https://owasp.org/www-community/attacks/CSV_Injection).  colonykit
writes spreadsheets in two ways, and each keeps such text inert:

* ``.xlsx`` (:func:`xlsx_text_cells`): every cell openpyxl would store as a formula is stored as
  a text cell instead, with its value unchanged — the workbook shows ``=HYPERLINK(…)`` as text;
* ``.csv`` (:func:`csv_safe_frame`): a CSV has no types, so the OWASP rule applies — a cell that
  starts with one of the characters above gets a leading ``'``, which spreadsheets hide and
  which makes the rest text.

Only text cells are touched: numbers (``-5.0``) stay numbers.
"""

from __future__ import annotations

from typing import Any

#: First characters that make a spreadsheet cell a formula (OWASP CSV injection).
FORMULA_TRIGGERS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")


def formula_like(value: object) -> bool:
    """True when ``value`` is text a spreadsheet would run as a formula.

    Parameters
    ----------
    value : object
        A cell value.

    Examples
    --------
    >>> formula_like("=1+1"), formula_like("@SUM(A1)"), formula_like("web-01"), formula_like(-5)
    (True, True, False, False)
    """
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def csv_safe(value: Any) -> Any:
    """``value`` with a leading ``'`` when it is formula-like text (OWASP); anything else unchanged.

    Parameters
    ----------
    value : object
        A cell value.

    Examples
    --------
    >>> csv_safe("=cmd|' /C calc'!A0"), csv_safe("lpar1"), csv_safe(-1.5)
    ("'=cmd|' /C calc'!A0", 'lpar1', -1.5)
    """
    return "'" + value if formula_like(value) else value


def csv_safe_frame(frame: Any) -> Any:
    """A copy of ``frame`` whose text cells, column names and index labels are :func:`csv_safe`.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table to write as CSV.

    Examples
    --------
    >>> import pandas as pd
    >>> f = pd.DataFrame({"server": ["=2+3", "web"], "cpu_pct": [-1.0, 2.0]})
    >>> csv_safe_frame(f).to_csv(index=False).splitlines()
    ['server,cpu_pct', "'=2+3,-1.0", 'web,2.0']
    """
    out = frame.copy()
    for col in out.columns:
        s = out[col]
        if str(s.dtype) in ("object", "string", "str"):
            out[col] = s.map(csv_safe)
    out.columns = out.columns.map(csv_safe)
    if str(out.index.dtype) in ("object", "string", "str"):
        out.index = out.index.map(csv_safe)
    return out


def xlsx_text_cells(worksheet: Any) -> int:
    """Store every formula cell of an openpyxl worksheet as text (value unchanged).

    openpyxl turns any string that starts with ``=`` into a formula; colonykit writes no
    formulas, so every such cell came from user text.

    Parameters
    ----------
    worksheet : openpyxl.worksheet.worksheet.Worksheet
        The sheet, before the workbook is saved.

    Returns
    -------
    int
        The number of cells changed.

    Examples
    --------
    >>> import openpyxl
    >>> ws = openpyxl.Workbook().active
    >>> ws.append(["=1+1", "ok", 3])
    >>> xlsx_text_cells(ws), ws["A1"].data_type, ws["A1"].value
    (1, 's', '=1+1')
    """
    changed = 0
    for row in worksheet.iter_rows():
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"
                changed += 1
    return changed


__all__ = ["FORMULA_TRIGGERS", "csv_safe", "csv_safe_frame", "formula_like", "xlsx_text_cells"]
