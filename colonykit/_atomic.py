"""Atomic file output: write to a temporary file in the same folder, then rename.

Nothing colonykit writes is ever left half-written: a crash or an error leaves the
old file (or no file) in place.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path


def _umask_mode() -> int:
    """The mode a normally created file gets (0o666 minus the process umask)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def atomic_write_text(path: str | Path, text: str, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``path`` atomically (temp file + ``os.replace``).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> atomic_write_text(d / "a.txt", "hello").read_text()
    'hello'
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, _umask_mode())  # mkstemp creates 0600; give the file its normal mode
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def atomic_write_bytes(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, _umask_mode())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def atomic_write_tree(root: str | Path, files: Mapping[str, str]) -> list[Path]:
    """Write several files under ``root`` as one unit.

    All files are first written into a staging folder next to ``root``; only when
    every file is written are they moved into place (each move is an atomic
    rename).  If anything fails while staging, nothing under ``root`` changes.

    Parameters
    ----------
    root : path
        Output folder (created if needed).
    files : mapping of relative path -> text
        Relative paths must stay inside ``root``.

    Returns
    -------
    list of Path
        The written files, in the order given.
    """
    root_p = Path(root)
    root_p.mkdir(parents=True, exist_ok=True)
    resolved_root = root_p.resolve()
    for rel in files:
        dest = (resolved_root / rel).resolve()
        if resolved_root not in dest.parents:
            msg = f"refusing to write outside the output folder: {rel!r}"
            raise ValueError(msg)
    stage = Path(tempfile.mkdtemp(prefix=".colonykit-stage-", dir=root_p))
    written: list[Path] = []
    try:
        for rel, text in files.items():
            p = stage / rel
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_text(text, encoding="utf-8", newline="")
        for rel in files:
            dest = root_p / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.replace(stage / rel, dest)
            written.append(dest)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return written
