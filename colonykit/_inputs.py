"""Input paths that are not regular files or folders are refused before anything opens them.

Opening a named pipe (FIFO) blocks until a writer appears — a run that hangs — and a
character device such as ``/dev/zero`` never ends.  :func:`refuse_special` turns both into a
clear :class:`~colonykit.errors.InputError`.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from colonykit.errors import InputError

_KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def refuse_special(path: str | Path, what: str = "input") -> None:
    """Refuse ``path`` when it exists and is neither a regular file nor a folder.

    Symbolic links are followed (a link to a regular file is fine); a missing path is left to
    the reader (it says "not found").  Folders are not walked here.

    Parameters
    ----------
    path : str or Path
        The input path.
    what : str, default 'input'
        What it is (``scenario``, ``inventory``, ``traces``), for the message.

    Examples
    --------
    >>> import os, tempfile, pathlib
    >>> fifo = pathlib.Path(tempfile.mkdtemp()) / "p"
    >>> os.mkfifo(fifo)
    >>> try:
    ...     refuse_special(fifo, "inventory")
    ... except ValueError as e:
    ...     print(str(e).replace(str(fifo.parent), "D"))
    inventory D/p is a named pipe (FIFO), not a regular file; colonykit reads files (save the data to a file first)
    """
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return
    for test, kind in _KINDS:
        if test(mode):
            msg = (
                f"{what} {path} is {kind}, not a regular file; colonykit reads files "
                "(save the data to a file first)"
            )
            raise InputError(msg)


__all__ = ["refuse_special"]
