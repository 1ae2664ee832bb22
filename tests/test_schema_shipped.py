"""``colonykit schema`` prints the shipped schema, whatever pydantic is installed (issue 15 §2)."""

from __future__ import annotations

from colonykit import export
from colonykit.cli import main


def test_schema_command_prints_the_shipped_file_byte_for_byte(capsys, monkeypatch):
    # were the command to generate the schema (as before), a different pydantic would change it
    monkeypatch.setattr(export, "plan_schema", lambda: {"generated": "by whatever is installed"})
    assert main(["schema"]) == 0
    assert capsys.readouterr().out == export.SCHEMA_FILE.read_text(encoding="utf-8")
