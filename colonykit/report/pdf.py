"""The report as PDF: the HTML report printed by headless Chromium (``--print-to-pdf``).

Chromium is a system program, not a Python package: :func:`chromium_path` finds it
(``BROWSER_PATH``, ``/usr/bin/chromium``, then ``PATH``) and :func:`write_pdf` names what to
install when there is none.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from colonykit._atomic import atomic_write_bytes
from colonykit.errors import InputError

#: Chromium kaleido uses for static images when ``BROWSER_PATH`` is not set (Debian package).
CHROMIUM_PATH = "/usr/bin/chromium"

#: Seconds Chromium may take to print the report (plotly draws ~10 figures first).
PDF_TIMEOUT_S = 120.0
#: Width [CSS px] of the window Chromium lays the report out in before printing: about the
#: printable width of A4 with the report's margins (210 − 2 × 12 mm ≈ 700 px at 96 px/inch).
PDF_WINDOW_WIDTH_PX = 700


def chromium_path() -> str | None:
    """The Chromium that prints PDFs: ``BROWSER_PATH``, then ``/usr/bin/chromium``, then ``PATH``."""
    import os

    for cand in (os.environ.get("BROWSER_PATH"), CHROMIUM_PATH):
        if cand and Path(cand).exists():
            return cand
    return (
        shutil.which("chromium")
        or shutil.which("chromium-browser")
        or shutil.which("google-chrome")
    )


def write_pdf(html_path: str | Path, pdf_path: str | Path, *, chromium: str | None = None) -> Path:
    """Print a report HTML file to PDF with headless Chromium (``--print-to-pdf``), atomically.

    Parameters
    ----------
    html_path : str or Path
        The report HTML file (:func:`write_report`).
    pdf_path : str or Path
        The PDF to write.
    chromium : str, optional
        The Chromium executable; default :func:`chromium_path`.

    Raises
    ------
    InputError
        No Chromium found, or Chromium failed (its last output lines are in the message).
    """
    exe = chromium or chromium_path()
    if exe is None:
        msg = (
            "--pdf needs Chromium: apt-get install chromium (or set BROWSER_PATH to a "
            "Chromium/Chrome executable)"
        )
        raise InputError(msg)
    src = Path(html_path).resolve()
    out = Path(pdf_path)
    with tempfile.TemporaryDirectory(prefix="colonykit-pdf-") as tmp:
        target = Path(tmp) / "report.pdf"
        cmd = [
            exe,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp}/profile",
            "--no-pdf-header-footer",
            f"--window-size={PDF_WINDOW_WIDTH_PX},1000",
            "--virtual-time-budget=20000",
            "--run-all-compositor-stages-before-draw",
            f"--print-to-pdf={target}",
            src.as_uri(),
        ]
        try:
            proc = subprocess.run(
                cmd, capture_output=True, text=True, timeout=PDF_TIMEOUT_S, check=False
            )
        except subprocess.TimeoutExpired as exc:
            msg = f"Chromium did not print {src.name} within {PDF_TIMEOUT_S:.0f} s"
            raise InputError(msg) from exc
        if proc.returncode != 0 or not target.is_file() or target.stat().st_size == 0:
            tail = " | ".join((proc.stderr or proc.stdout or "").strip().splitlines()[-3:])
            msg = f"Chromium could not print {src.name} to PDF (exit {proc.returncode}): {tail}"
            raise InputError(msg)
        return atomic_write_bytes(out, target.read_bytes())


__all__ = ["CHROMIUM_PATH", "PDF_TIMEOUT_S", "PDF_WINDOW_WIDTH_PX", "chromium_path", "write_pdf"]
