"""Atomic file output: single files by temp file + rename, output trees by folder swap.

Nothing colonykit writes is ever left half-written or mixed:

* :func:`atomic_write_text` / :func:`atomic_write_bytes` write a temporary file next to
  the target and ``os.replace`` it; they refuse to replace anything that is not a regular
  file (a device node, a FIFO, a symbolic link, a folder).
* :func:`atomic_write_tree` writes a whole output folder into a new sibling folder and
  swaps the two (``renameat2(RENAME_EXCHANGE)`` on Linux, two renames elsewhere), under an
  exclusive lock on the parent folder.  The result is exactly the new tree — stale files of
  an earlier run are gone — and leftovers of a killed run are removed by the next one.

Every operating-system failure (disk full, read-only mount, a path below a regular file)
becomes an :class:`~colonykit.errors.InputError` naming the path.
"""

from __future__ import annotations

import ctypes
import errno
import hashlib
import json
import os
import re
import shutil
import stat
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from colonykit.errors import InputError

#: Seconds a writer waits for another colonykit process writing next to the same folder.
LOCK_TIMEOUT_S: float = 120.0
#: Name of the manifest kept in every output tree (the files colonykit wrote there).
MANIFEST = ".colonykit-tree"
#: Mode of files that hold a secret (a guest password): owner read/write only.
SECRET_MODE = 0o600
_STAGE_TAG = ".colonykit-new-"
_OLD_TAG = ".colonykit-old-"
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _umask_mode() -> int:
    """The mode a normally created file gets (0o666 minus the process umask)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def _kind(mode: int) -> str:
    for test, name in (
        (stat.S_ISLNK, "a symbolic link"),
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISFIFO, "a named pipe"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return name
    return "not a regular file"


def _os_error(action: str, path: Path, exc: OSError) -> InputError:
    reason = exc.strerror or str(exc)
    where = f" ({exc.filename})" if exc.filename and str(exc.filename) != str(path) else ""
    return InputError(f"cannot {action} {path}: {reason}{where}")


def _check_replaceable(target: Path) -> None:
    """Refuse a target that exists and is not a regular file (device node, link, folder …)."""
    try:
        st = os.lstat(target)
    except FileNotFoundError:
        return
    except OSError as exc:
        msg = "write"
        raise _os_error(msg, target, exc) from exc
    if not stat.S_ISREG(st.st_mode):
        msg = f"refusing to replace {target}: it is {_kind(st.st_mode)}, not a regular file"
        raise InputError(msg)


def _make_parent(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError as exc:
        msg = f"cannot create folder {folder}: a file of that name is in the way"
        raise InputError(msg) from exc
    except OSError as exc:
        msg_0 = "create folder"
        raise _os_error(msg_0, folder, exc) from exc


def atomic_write_bytes(path: str | Path, data: bytes, *, mode: int | None = None) -> Path:
    """Write ``data`` to ``path`` atomically (temp file + ``os.replace``).

    Parameters
    ----------
    path : path
        Target file; must not exist or be a regular file.
    data : bytes
    mode : int, optional
        File mode (default: 0o666 minus the umask; :data:`SECRET_MODE` for secrets).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> atomic_write_bytes(d / "a.bin", b"x").read_bytes()
    b'x'
    """
    target = Path(path)
    _make_parent(target.parent)
    _check_replaceable(target)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        msg = "write"
        raise _os_error(msg, target, exc) from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, _umask_mode() if mode is None else mode)  # mkstemp creates 0600
        _check_replaceable(target)  # again: the target may have changed meanwhile
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        msg = "write"
        raise _os_error(msg, target, exc) from exc
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def atomic_write_text(
    path: str | Path, text: str, encoding: str = "utf-8", *, mode: int | None = None
) -> Path:
    """Write ``text`` to ``path`` atomically (temp file + ``os.replace``).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> atomic_write_text(d / "a.txt", "hello").read_text()
    'hello'
    """
    if not isinstance(text, str):
        msg = f"text must be str, not {type(text).__name__}"
        raise TypeError(msg)
    return atomic_write_bytes(path, text.encode(encoding), mode=mode)


class _DirLock:
    """Exclusive ``flock`` on a folder (nothing is created, nothing is left behind)."""

    def __init__(self, folder: Path, timeout_s: float) -> None:
        self.folder, self.timeout_s, self.fd = folder, timeout_s, -1

    def __enter__(self) -> _DirLock:
        import fcntl  # POSIX only: imported here so that importing colonykit never needs it

        try:
            self.fd = os.open(self.folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        except OSError as exc:
            msg = "lock"
            raise _os_error(msg, self.folder, exc) from exc
        deadline = time.monotonic() + self.timeout_s
        while True:
            try:
                fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return self
            except BlockingIOError:
                if time.monotonic() > deadline:
                    os.close(self.fd)
                    msg = (
                        f"another colonykit process is writing in {self.folder} "
                        f"(waited {self.timeout_s:g} s); try again when it has finished"
                    )
                    raise InputError(msg) from None
                time.sleep(0.05)

    def __exit__(self, *exc: object) -> None:
        import fcntl

        fcntl.flock(self.fd, fcntl.LOCK_UN)
        os.close(self.fd)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux ``renameat2``); False when not supported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), str(b))


#: Up to this many distinct secrets a file is searched for each in turn (``str.__contains__``).
_FEW_SECRETS = 16


def secret_finder(secrets: Iterable[str]) -> Callable[[str], bool]:
    """A test "does this text hold one of ``secrets``?" that is linear in the text's length.

    Secrets are de-duplicated (10,000 guests with the same placeholder are one secret).  A few
    distinct ones are searched for one by one; many distinct ones are found through the runs
    of the text made only of characters that occur in secrets: every occurrence of a secret
    lies inside such a run, and each distinct run is looked up once per secret length.

    Parameters
    ----------
    secrets : iterable of str
        The secret strings (empty ones are ignored).

    Examples
    --------
    >>> holds = secret_finder(["S3CRET", "S3CRET", "PW" + "1" * 6])
    >>> holds("USER A S3CRET 1G"), holds("nothing here"), holds("xPW111111x")
    (True, False, True)
    >>> many = secret_finder([f"P{i:07d}" for i in range(100)])
    >>> many("USER LNX1 P0000042 512M"), many("USER LNX1 P9999999 512M")
    (True, False)
    """
    values = sorted({s for s in secrets if s})
    if not values:
        return lambda text: False
    if len(values) <= _FEW_SECRETS:
        return lambda text: any(v in text for v in values)
    wanted = frozenset(values)
    lengths = sorted({len(v) for v in values})
    alphabet = "".join(sorted({c for v in values for c in v}))
    runs = re.compile(f"[{re.escape(alphabet)}]{{{lengths[0]},}}")

    def holds(text: str) -> bool:
        for run in set(runs.findall(text)):
            for n in lengths:
                if n > len(run):
                    break
                if any(run[i : i + n] in wanted for i in range(len(run) - n + 1)):
                    return True
        return False

    return holds


def _leftovers(parent: Path, name: str) -> list[Path]:
    import glob

    return [
        p
        for p in parent.glob(f".{glob.escape(name)}.colonykit-*")
        if _STAGE_TAG in p.name or _OLD_TAG in p.name
    ]


def _sha256(path: Path) -> str:
    """SHA-256 of a file's bytes (hex)."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _old_tree(root: Path, new_files: Iterable[str], replace_changed: bool = False) -> list[str]:
    """Check that replacing ``root`` loses nothing colonykit did not write.

    A file colonykit wrote whose SHA-256 (kept in the manifest) has changed since was edited
    by hand: it is refused too, unless ``replace_changed``.

    Returns the nested output trees (sub-folders with their own manifest, written by
    another colonykit run) that no new file lands in: they are carried over.
    """
    new_files = list(new_files)
    try:
        st = os.lstat(root)
    except FileNotFoundError:
        return []
    if not stat.S_ISDIR(st.st_mode):
        what = "a file" if stat.S_ISREG(st.st_mode) else _kind(st.st_mode)
        msg = f"--out must be a folder, but {root} is {what}"
        raise InputError(msg)
    known = set(new_files) | {MANIFEST}
    hashes: dict[str, str] = {}
    try:
        manifest = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
        known |= set(manifest.get("files", []))
        if isinstance(manifest.get("sha256"), dict):
            hashes = {str(k): str(v) for k, v in manifest["sha256"].items()}
    except (OSError, ValueError, AttributeError):
        pass
    foreign: list[str] = []
    changed: list[str] = []
    odd: list[str] = []
    nested: list[str] = []
    new_dirs = {Path(f).parent.as_posix() for f in new_files} | {
        p.as_posix() for f in new_files for p in Path(f).parents
    }
    for dirpath, dirnames, filenames in os.walk(root):
        base = Path(dirpath)
        for d in list(dirnames):
            rel_d = (base / d).relative_to(root).as_posix()
            if (
                (base / d / MANIFEST).is_file()
                and not (base / d).is_symlink()
                and rel_d not in new_dirs
            ):
                nested.append(rel_d)  # another colonykit output tree inside this one
                dirnames.remove(d)
            elif (base / d).is_symlink():
                odd.append(f"{(base / d).relative_to(root)} ({_kind(os.lstat(base / d).st_mode)})")
                dirnames.remove(d)
            elif d.startswith(".colonykit-stage-"):  # left by an older colonykit
                dirnames.remove(d)
        for f in filenames:
            p = base / f
            rel = p.relative_to(root).as_posix()
            mode = os.lstat(p).st_mode
            if not stat.S_ISREG(mode):
                odd.append(f"{rel} ({_kind(mode)})")
            elif rel not in known:
                foreign.append(rel)
            elif rel in hashes and not replace_changed and _sha256(p) != hashes[rel]:
                changed.append(rel)
    if odd:
        msg = (
            f"refusing to replace {root}: it holds {len(odd)} entr(y/ies) that are not regular "
            f"files: {odd[:5]}"
        )
        raise InputError(msg)
    if foreign:
        msg = (
            f"refusing to replace {root}: it holds {len(foreign)} file(s) colonykit did not write "
            f"there, e.g. {sorted(foreign)[:5]}; choose a new or empty folder or move them away"
        )
        raise InputError(msg)
    if changed:
        msg = (
            f"refusing to replace {root}: {len(changed)} file(s) changed since colonykit wrote "
            f"them, e.g. {sorted(changed)[:5]} (hand edits?); copy your edits elsewhere, or "
            "replace them on purpose (colonykit plan/run/render --replace-edited)"
        )
        raise InputError(msg)
    return nested


def atomic_write_tree(
    root: str | Path,
    files: Mapping[str, str],
    *,
    secrets: Iterable[str] = (),
    replace_changed: bool = False,
) -> list[Path]:
    """Make ``root`` hold exactly ``files``, as one unit.

    The tree is written into a new folder next to ``root`` and swapped in, under an
    exclusive lock on the parent folder (concurrent writers wait, up to
    :data:`LOCK_TIMEOUT_S`).  Readers see either the complete old tree or the complete
    new one; files of an earlier run that are not in ``files`` are gone; staging
    folders left by a killed run are removed first.  ``root`` is refused when it is not a
    folder or holds anything colonykit did not write there (other files, device nodes,
    symbolic links), or a file colonykit wrote that has changed since (a hand-edited
    ``plan.yaml``: the manifest keeps the SHA-256 of every file written) unless
    ``replace_changed``.

    Parameters
    ----------
    root : path
        Output folder (created if needed).
    files : mapping of relative path -> text
        Relative paths must stay inside ``root``.
    secrets : iterable of str
        Strings (passwords) whose presence makes a file :data:`SECRET_MODE` (0600).
    replace_changed : bool, default False
        Also replace files changed since colonykit wrote them (default: refuse).

    Returns
    -------
    list of Path
        The written files (under ``root``), in the order given.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp()) / "out"
    >>> [p.name for p in atomic_write_tree(d, {"a.txt": "1", "sub/b.txt": "2"})]
    ['a.txt', 'b.txt']
    >>> [p.name for p in atomic_write_tree(d, {"a.txt": "3"})], (d / "sub").exists()
    (['a.txt'], False)
    """
    root_p = Path(os.path.abspath(root))
    parent, name = root_p.parent, root_p.name
    if not name or root_p == parent:
        msg = f"refusing to replace {root_p}: choose a sub-folder as the output folder"
        raise InputError(msg)
    for rel in files:
        parts = Path(rel).parts
        if not rel or Path(rel).is_absolute() or ".." in parts or rel == MANIFEST:
            msg = f"refusing to write outside the output folder: {rel!r}"
            raise ValueError(msg)
    _make_parent(parent)
    holds_secret = secret_finder(secrets)
    file_mode = _umask_mode()
    dir_mode = file_mode | ((file_mode & 0o444) >> 2)  # x wherever r (0o644 -> 0o755)
    with _DirLock(parent, LOCK_TIMEOUT_S):
        for left in _leftovers(parent, name):
            shutil.rmtree(left, ignore_errors=True)
        nested = _old_tree(root_p, files, replace_changed)
        try:
            stage = Path(tempfile.mkdtemp(prefix=f".{name}{_STAGE_TAG}", dir=parent))
        except OSError as exc:
            msg_0 = "write"
            raise _os_error(msg_0, root_p, exc) from exc
        try:
            os.chmod(stage, dir_mode)
            for rel, text in files.items():
                p = stage / rel
                p.parent.mkdir(parents=True, exist_ok=True)
                secret = holds_secret(text)
                fd = os.open(
                    p, os.O_WRONLY | os.O_CREAT | os.O_EXCL, SECRET_MODE if secret else file_mode
                )
                with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
                    fh.write(text)
            digests = {
                rel: hashlib.sha256(text.encode("utf-8")).hexdigest()
                for rel, text in sorted(files.items())
            }
            manifest = json.dumps(
                {"written_by": "colonykit", "files": sorted(files), "sha256": digests}, indent=1
            )
            (stage / MANIFEST).write_text(manifest + "\n", encoding="utf-8")
            moved: list[str] = []
            try:
                for rel in nested:  # carry nested output trees over into the new tree
                    (stage / rel).parent.mkdir(parents=True, exist_ok=True)
                    os.rename(root_p / rel, stage / rel)
                    moved.append(rel)
            except BaseException:
                for rel in moved:
                    os.rename(stage / rel, root_p / rel)
                raise
            if root_p.exists():
                if not _exchange(stage, root_p):
                    old = parent / f".{name}{_OLD_TAG}{stage.name[-8:]}"
                    os.rename(root_p, old)
                    os.rename(stage, root_p)
                    stage = old
                shutil.rmtree(stage, ignore_errors=True)  # now the old tree
            else:
                os.rename(stage, root_p)
        except OSError as exc:
            shutil.rmtree(stage, ignore_errors=True)
            msg_0 = "write"
            raise _os_error(msg_0, root_p, exc) from exc
        except BaseException:
            shutil.rmtree(stage, ignore_errors=True)
            raise
    return [Path(root) / rel for rel in files]
