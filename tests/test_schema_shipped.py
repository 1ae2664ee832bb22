"""``colonykit schema`` prints the shipped schema, whatever pydantic is installed (issue 15 §2)."""

from __future__ import annotations

import json

from helpers import normalised_schema

from colonykit import export
from colonykit.cli import main


def test_schema_command_prints_the_shipped_file_byte_for_byte(capsys, monkeypatch):
    # were the command to generate the schema (as before), a different pydantic would change it
    monkeypatch.setattr(export, "plan_schema", lambda: {"generated": "by whatever is installed"})
    assert main(["schema"]) == 0
    assert capsys.readouterr().out == export.SCHEMA_FILE.read_text(encoding="utf-8")


def test_normalised_schema_only_adds_the_implied_type():
    old = {"properties": {"kind": {"const": "ColonyPlan"}, "n": {"type": "integer"}}}
    new = {
        "properties": {"kind": {"const": "ColonyPlan", "type": "string"}, "n": {"type": "integer"}}
    }
    assert normalised_schema(old) == normalised_schema(new)
    assert normalised_schema({"const": "x"}) != normalised_schema({"const": "y", "type": "string"})
    assert normalised_schema(json.loads('{"const": 3}')) == {"const": 3, "type": "integer"}
