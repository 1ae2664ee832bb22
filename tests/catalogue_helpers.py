"""Shared pieces of the hostile-input catalogue (tests/test_catalogue_*.py, issue 24).

Each case is a pytest test marked ``catalogue`` whose id is ``rc<N>-<short-name>-<expected>``
(``expected``: ``error`` = a clear error, exit 2; ``correct`` = the right result).
:func:`cli` runs the command line in-process and returns (exit code, stdout, stderr); a
traceback would propagate and fail the case.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from colonykit.cli import main

EXAMPLE = Path("data/examples/scenario.yaml")
INVENTORY = Path("data/examples/xyz_inventory.csv")
HEADER = (
    "server,role,capacity,capacity_unit,cores,util_avg_pct,util_peak_pct,"
    "workload_class,memory_mib,disk_gib,count"
)


def cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run ``colonykit argv`` in-process: (exit code, stdout, stderr)."""
    capsys.readouterr()
    try:
        code = main([str(a) for a in argv])
    except SystemExit as exc:  # argparse errors
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def row(server: str, role: str = "web", count: int = 1, cores: str = "2") -> str:
    """One inventory line (a small web server)."""
    return f"{server},{role},1400,mhz_per_core,{cores},10,30,file-print,1024,10,{count}"


def inventory(folder: Path, *rows: str, name: str = "inventory.csv") -> Path:
    """An inventory CSV of ``rows`` under ``folder``."""
    p = folder / name
    p.write_text(HEADER + "\n" + "\n".join(rows) + "\n")
    return p


def scenario(folder: Path, inventory_path: Path | None = None, **changes: Any) -> Path:
    """The example scenario (dotted keys changed; ``None`` removes) in ``folder/s.yaml``."""
    data = yaml.safe_load(EXAMPLE.read_text())
    data["inventory"] = str((inventory_path or INVENTORY).resolve())
    for key, value in changes.items():
        node = data
        parts = key.split(".")
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        if value is None:
            node.pop(parts[-1], None)
        else:
            node[parts[-1]] = value
    p = folder / "s.yaml"
    p.write_text(yaml.safe_dump(data, sort_keys=False))
    return p


def tree(root: Path) -> dict[str, bytes]:
    """Every regular file under ``root`` with its bytes."""
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }
