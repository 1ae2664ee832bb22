"""Helpers shared by test modules (not fixtures)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
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


def naive_construct(
    m: np.ndarray,
    order: np.ndarray,
    cap: float,
    start: int,
    rule: str,
    memory: np.ndarray | None = None,
    host_memory: float = np.inf,
    conflicts: list[np.ndarray] | None = None,
) -> np.ndarray:
    """Reference packing construction: every step of every host checked (no screening), with
    memory and anti-affinity; ``first`` = lowest feasible host, ``balance`` = largest headroom
    (lowest index on ties)."""
    from colonykit.packing import CAPACITY_RTOL

    tol = cap * CAPACITY_RTOL
    memory = np.zeros(m.shape[0]) if memory is None else memory
    slack = [np.full(m.shape[1], cap + tol) for _ in range(start)]
    mem = [host_memory + tol for _ in range(start)]
    host_of = np.full(m.shape[0], -1)
    for i in order:
        banned = set() if conflicts is None else {int(host_of[j]) for j in conflicts[i]}
        head = [
            float((s - m[i]).min()) if k not in banned and mem[k] >= memory[i] else -np.inf
            for k, s in enumerate(slack)
        ]
        fits = [k for k, h in enumerate(head) if h >= 0]
        if not fits:
            slack.append(np.full(m.shape[1], cap + tol))
            mem.append(host_memory + tol)
            k = len(slack) - 1
        elif rule == "first":
            k = fits[0]
        else:
            k = max(fits, key=lambda j: (head[j], -j))
        slack[k] = slack[k] - m[i]
        mem[k] -= memory[i]
        host_of[i] = k
    return host_of


def diurnal_demand(seed: int, n: int, steps: int) -> pd.DataFrame:
    """``n`` seeded sine-shaped day profiles (levels 5–30, ±80 %, random phase) over ``steps``, one column per server."""
    rng = np.random.default_rng(seed)
    t = np.arange(steps) / steps * 2 * np.pi
    level = rng.uniform(5, 30, (n, 1))
    m = np.round(level * (1 + 0.8 * np.sin(t[None, :] - rng.uniform(0, 2 * np.pi, (n, 1)))), 1)
    return pd.DataFrame(m.T, columns=[f"s{i}" for i in range(n)])
