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
