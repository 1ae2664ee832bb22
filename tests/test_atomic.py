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
