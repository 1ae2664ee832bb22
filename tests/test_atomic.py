"""Atomic output: nothing is ever half-written, and files get their normal mode."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from colonykit._atomic import atomic_write_bytes, atomic_write_text, atomic_write_tree


def _mode(p: Path) -> int:
    return stat.S_IMODE(p.stat().st_mode)


def test_text_and_bytes_are_written_with_umask_mode(tmp_path: Path) -> None:
    mask = os.umask(0o022)
    try:
        a = atomic_write_text(tmp_path / "sub" / "a.txt", "hello")
        b = atomic_write_bytes(tmp_path / "b.bin", b"\x00\x01")
    finally:
        os.umask(mask)
    assert a.read_text() == "hello" and b.read_bytes() == b"\x00\x01"
    assert _mode(a) == 0o644 and _mode(b) == 0o644
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == ["a.txt", "b.bin"]


def test_failed_write_keeps_the_old_file(tmp_path: Path) -> None:
    target = atomic_write_text(tmp_path / "plan.yaml", "old")

    with pytest.raises(TypeError):  # fails inside the write, after the temp file exists
        atomic_write_text(target, 12345)  # type: ignore[arg-type]
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["plan.yaml"]  # no temp file left


def test_tree_is_all_or_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    atomic_write_tree(out, {"plan.yaml": "v1", "render/zvm/USER.DIRECT": "USER A"})
    with pytest.raises(ValueError, match="outside the output folder"):
        atomic_write_tree(out, {"plan.yaml": "v2", "../escape.txt": "x"})
    assert (out / "plan.yaml").read_text() == "v1"
    assert not (tmp_path / "escape.txt").exists()
    assert not [p for p in out.iterdir() if p.name.startswith(".colonykit-stage-")]
    written = atomic_write_tree(out, {"plan.yaml": "v2", "render/zvm/USER.DIRECT": "USER B"})
    assert [p.read_text() for p in written] == ["v2", "USER B"]


def test_tree_replaces_the_whole_folder_and_drops_stale_files(tmp_path: Path) -> None:
    out = tmp_path / "o[1]"  # glob characters in the name
    atomic_write_tree(out, {"a.txt": "1", "sub/b.txt": "2", "sub/c.txt": "3"})
    atomic_write_tree(out, {"a.txt": "4", "sub/b.txt": "5"})
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()) == [
        ".colonykit-tree",
        "a.txt",
        "sub/b.txt",
    ]
    assert [p.name for p in tmp_path.iterdir()] == ["o[1]"]  # no staging folder left


def test_tree_refuses_foreign_and_non_regular_entries(tmp_path: Path) -> None:
    from colonykit.errors import InputError

    out = tmp_path / "o"
    atomic_write_tree(out, {"a.txt": "1"})
    (out / "mine.txt").write_text("keep")
    with pytest.raises(InputError, match=r"colonykit did not write there, e\.g\. \['mine\.txt'\]"):
        atomic_write_tree(out, {"a.txt": "2"})
    (out / "mine.txt").unlink()
    os.mkfifo(out / "fifo")
    with pytest.raises(InputError, match="a named pipe"):
        atomic_write_tree(out, {"a.txt": "2"})
    assert (out / "a.txt").read_text() == "1"
    link = tmp_path / "link"
    link.symlink_to(out)
    with pytest.raises(InputError, match="is a symbolic link"):
        atomic_write_tree(link, {"a.txt": "2"})


def test_single_files_refuse_non_regular_targets(tmp_path: Path) -> None:
    from colonykit.errors import InputError

    os.mkfifo(tmp_path / "fifo")
    (tmp_path / "real").write_text("keep")
    (tmp_path / "link").symlink_to(tmp_path / "real")
    (tmp_path / "dir").mkdir()
    for name, kind in (("fifo", "a named pipe"), ("link", "a symbolic link"), ("dir", "a folder")):
        with pytest.raises(InputError, match=f"refusing to replace .*{name}: it is {kind}"):
            atomic_write_text(tmp_path / name, "x")
    assert (tmp_path / "real").read_text() == "keep"


def test_secret_files_are_0600(tmp_path: Path) -> None:
    mask = os.umask(0o022)
    try:
        written = atomic_write_tree(
            tmp_path / "o", {"USER.DIRECT": "USER A S3CRET 1G", "b.json": "{}"}, secrets=["S3CRET"]
        )
    finally:
        os.umask(mask)
    assert [_mode(p) for p in written] == [0o600, 0o644]


def test_a_held_lock_makes_the_writer_wait_then_give_up(tmp_path: Path, monkeypatch) -> None:
    import fcntl

    from colonykit import _atomic
    from colonykit.errors import InputError

    monkeypatch.setattr(_atomic, "LOCK_TIMEOUT_S", 0.3)
    fd = os.open(tmp_path, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        with pytest.raises(InputError, match="another colonykit process is writing"):
            atomic_write_tree(tmp_path / "o", {"a": "1"})
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
    assert not (tmp_path / "o").exists()
    atomic_write_tree(tmp_path / "o", {"a": "1"})
    assert (tmp_path / "o" / "a").read_text() == "1"


def test_nested_output_trees_are_carried_over(tmp_path: Path) -> None:
    out = tmp_path / "out"
    atomic_write_tree(out, {"plan.yaml": "v1"})
    atomic_write_tree(out / "05_designs", {"plan.yaml": "nested"})  # e.g. a notebook's export
    atomic_write_tree(out, {"plan.yaml": "v2"})
    assert (out / "plan.yaml").read_text() == "v2"
    assert (out / "05_designs" / "plan.yaml").read_text() == "nested"
