"""Helpers shared by test modules (not fixtures)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

EXAMPLE_SCENARIO = "data/examples/scenario.yaml"


def write_scenario(tmp_path: Path, **changes: Any) -> Path:
    """The example scenario with dotted keys changed (``None`` removes a key), as ``tmp_path/s.yaml``."""
    data = yaml.safe_load(Path(EXAMPLE_SCENARIO).read_text())
    data["inventory"] = str(Path("data/examples/xyz_inventory.csv").resolve())
    for key, value in changes.items():
        node = data
        parts = key.split(".")
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        if value is None:
            node.pop(parts[-1], None)
        else:
            node[parts[-1]] = value
    p = tmp_path / "s.yaml"
    p.write_text(yaml.safe_dump(data))
    return p


_JSON_TYPE = {str: "string", bool: "boolean", int: "integer", float: "number"}


def normalised_schema(node):
    """A JSON Schema with ``"type"`` added beside each ``"const"`` that lacks one.

    pydantic < 2.7 writes ``{"const": "ro"}``, later versions ``{"const": "ro", "type": "string"}``:
    the same constraint, so the shipped-schema test holds at the declared minimum (pydantic 2.6).
    Likewise a whole-number bound of a float field is ``0`` in one and ``0.0`` in the other (the same
    JSON number): bounds are compared as numbers.
    """
    if isinstance(node, dict):
        out = {k: normalised_schema(v) for k, v in node.items()}
        if "const" in out and "type" not in out and type(out["const"]) in _JSON_TYPE:
            out["type"] = _JSON_TYPE[type(out["const"])]
        return out
    if isinstance(node, list):
        return [normalised_schema(v) for v in node]
    if isinstance(node, float) and node.is_integer():
        return int(node)
    return node


def minima_known(reason: str, *, pandas: str | None = None, pydantic: str | None = None) -> None:
    """``pytest.xfail`` a failure known at the declared minimum version (make test-minima); reason stated.

    Each use names a defect found at the minima and not fixed yet (see CHANGELOG / the closing note).
    """
    import importlib.metadata as md

    import pytest

    if (pandas and md.version("pandas") == pandas) or (
        pydantic and md.version("pydantic") == pydantic
    ):
        pytest.xfail(f"known at the minima: {reason}")
