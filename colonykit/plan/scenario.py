"""The planning scenario (``kind: ColonyScenario``): the YAML file behind ``colonykit plan``."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints, ValidationError

from colonykit._yaml import load_yaml
from colonykit.errors import InputError, raise_problems
from colonykit.plan._validation import validation_problems
from colonykit.plan.document import (
    API_VERSION,
    SCENARIO_KIND,
    DasdModel,
    Hex4,
    Ident,
    Userid,
    _Model,
)


class ScenarioTarget(_Model):
    """Target machine: processor, hosts/LPARs, real storage, paging."""

    processor: str = "z15"
    hosts: int = Field(1, ge=1, description="LPARs (z/VM) or hosts (Xen).")
    cpus_per_host: int | None = Field(None, ge=1, description="Default: sized engines ÷ hosts.")
    sizing_bound: Literal["low", "typical", "high"] = "typical"
    basis: Literal["avg", "peak"] = "peak"
    target_util_pct: float | None = Field(None, gt=0, le=100)
    smt: bool = False
    memory_gib_per_host: float | None = Field(None, gt=0, description="Default: Σ guest memory (1:1).")
    paging_gib_per_host: float | None = Field(None, ge=0, description="Default: the paging rule.")
    paging_volume_model: DasdModel = "3390-9"


class ScenarioRules(_Model):
    max_memory_overcommit_ratio: float | None = Field(None, gt=0)
    paging_rule: str = "sg24-6824"
    channel_max_busy_pct: float | None = Field(None, gt=0, le=100)


class GuestOverride(_Model):
    memory_mib: int | None = Field(None, ge=1)
    max_memory_mib: int | None = Field(None, ge=1)
    vcpus: int | None = Field(None, ge=1)
    max_vcpus: int | None = Field(None, ge=1)
    share_relative: int | None = Field(None, ge=1, le=10000)


class ScenarioGuests(_Model):
    """How guests are derived from the inventory."""

    userid_prefix: Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9$#@]{0,4}$")] = "LNX"
    memory_from_source_frac: float | None = Field(None, gt=0, le=1)
    max_memory_ratio: float | None = Field(None, ge=1)
    extra_vcpus: int = Field(0, ge=0, description="max_vcpus = vcpus + extra_vcpus.")
    share_relative: int | None = Field(None, ge=1, le=10000)
    password: str = Field("XXXXXXXX", min_length=1, max_length=8)
    profile: Userid = "LNXDFLT"
    options: list[str] = Field(default_factory=list)
    ipl_nss: Userid | None = Field(None, description="IPL this NSS instead of the root disk.")
    namesave: list[Userid] = Field(default_factory=list)
    per_server: dict[str, GuestOverride] = Field(default_factory=dict)


class ScenarioNetwork(_Model):
    id: Ident = "vsw1"
    cidr: str = "10.1.0.0/16"
    first_host: int | None = Field(None, ge=1)
    vswitch: Annotated[str, StringConstraints(pattern=r"^[A-Z0-9$#@]{1,8}$")] = "VSW1"
    nic_vdev: Hex4 = "0600"
    bridge: str = "xenbr0"


class ScenarioStorage(_Model):
    volume_model: DasdModel = "3390-9"
    volser_prefix: Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9]?$")] = "LX"
    base_volser_prefix: Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9]{0,3}$")] = "BASE"
    disk_pool: str = "ECKD:POOL1"
    image_dir: str = "/srv/xen/images"
    nfs_server: str = "10.0.0.5"
    nfs_export_dir: str = "/export/roots"
    nfs_options: str = "vers=3"
    xen_kernel: str = "/srv/xen/boot/vmlinuz"
    xen_ramdisk: str | None = None


class ScenarioIO(_Model):
    """Colony-wide DASD I/O (split over hosts by guest count)."""

    io_rate_per_s: float = Field(ge=0)
    connect_ms: float = Field(gt=0)
    paths_per_host: int = Field(1, ge=1)


class ScenarioDesign(_Model):
    name: str
    overrides: dict[str, float] = Field(default_factory=dict)
    file: str | None = None


class ScenarioTraces(_Model):
    path: str
    unit: Literal["cpu_pct", "mips", "cpu_mhz"] | None = None
    headroom_pct: float | None = Field(None, ge=0, lt=100)


class Scenario(_Model):
    """A planning scenario (the YAML file behind ``colonykit plan``)."""

    apiVersion: Literal["colonykit/v1"] = API_VERSION
    kind: Literal["ColonyScenario"] = SCENARIO_KIND
    name: Ident
    inventory: str | None = None
    traces: ScenarioTraces | None = None
    target: ScenarioTarget = Field(default_factory=ScenarioTarget)
    design: ScenarioDesign
    rules: ScenarioRules = Field(default_factory=ScenarioRules)
    guests: ScenarioGuests = Field(default_factory=ScenarioGuests)
    network: ScenarioNetwork = Field(default_factory=ScenarioNetwork)
    storage: ScenarioStorage = Field(default_factory=ScenarioStorage)
    io: ScenarioIO | None = None
    base_dir: str = Field(".", exclude=True, description="Folder relative paths are read from.")
    source: str = Field("", exclude=True)

    def resolve(self, rel: str) -> Path:
        """A path of the scenario, relative to the scenario file's folder."""
        p = Path(rel)
        return p if p.is_absolute() else Path(self.base_dir) / p



def parse_scenario(data: Any, where: str = "scenario", base_dir: str | Path = ".") -> Scenario:
    """Validate a scenario mapping (as loaded from YAML).

    Raises
    ------
    InputError
        Every problem, each naming the YAML path (``target.hosts``) and the valid range.
    """
    if not isinstance(data, Mapping):
        msg = f"{where}: a scenario must be a YAML mapping (got {type(data).__name__})"
        raise InputError(msg)
    try:
        scen = Scenario.model_validate(dict(data))
    except ValidationError as exc:
        raise_problems(validation_problems(exc, where, Scenario), f"invalid scenario {where}")
        raise  # pragma: no cover - raise_problems always raises here
    scen.base_dir = str(base_dir)
    scen.source = where
    return scen


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario YAML file (``yaml.safe_load`` only).

    Relative paths inside the scenario (inventory, traces, design file) are taken
    relative to the scenario file's folder.

    Examples
    --------
    >>> s = load_scenario("data/examples/scenario.yaml")
    >>> s.design.name
    'zvm-basevol-guestvol'
    """
    p = Path(path)
    if not p.is_file():
        msg = f"scenario file not found: {p}"
        raise InputError(msg)
    return parse_scenario(load_yaml(p.read_text(encoding="utf-8"), p.name), p.name, p.parent)

