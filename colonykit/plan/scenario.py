"""The planning scenario (``kind: ColonyScenario``): the YAML file behind ``colonykit plan``."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, StringConstraints, ValidationError

from colonykit import patterns as pt
from colonykit._yaml import load_yaml, read_text
from colonykit.errors import InputError, raise_problems
from colonykit.limits import (
    MAX_CORES,
    MAX_GUEST_MEMORY_MIB,
    MAX_HOSTS,
    MAX_TABLE_VALUE,
    MAX_VCPUS,
)
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


def _hosts_value(value: Any) -> int | str:
    """``target.hosts``: a whole number 1..MAX_HOSTS or 'auto'."""
    if value == "auto":
        return "auto"
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_HOSTS:
        msg = f"a whole number in 1..{MAX_HOSTS} or 'auto'"
        raise ValueError(msg)
    return value


#: First z/VM virtual device of a guest's application-disk (data) minidisks, numbered upwards
#: (``0300``, ``0301`` …).  colonykit's convention: the first free range above the designs'
#: disks (``01xx``–``02xx``, designs.yaml) and below the NIC (``0600``, provisioning-formats.md
#: §1a examples); override with ``storage.data_vdev_first``.  Checked against the guest's other
#: devices (CK007).
DATA_VDEV_FIRST = "0300"

class ScenarioTarget(_Model):
    """Target machine: processor, hosts/LPARs, real storage, paging."""

    processor: str = "z15"
    hosts: Annotated[int | str, BeforeValidator(_hosts_value)] = Field(
        1, description="LPARs (z/VM) or hosts (Xen), >= 1, or 'auto' (fewest LPARs of at most "
        "max_engines_per_host engines each).")
    max_engines_per_host: int | None = Field(
        None, ge=1, description="Largest LPAR for hosts: auto [engines] (default constant "
        "measured_max_engines_per_host, capped at the machine's maximum).")
    composite_statistic: Literal["peak", "p95"] = Field(
        "peak", description="Statistic of the composite MIPS series that sizes the colony's engines "
        "(placement always holds every time step).")
    cpus_per_host: int | None = Field(None, ge=1, le=MAX_CORES, description="Default: sized engines ÷ hosts.")
    sizing_bound: Literal["low", "typical", "high"] = "typical"
    basis: Literal["avg", "peak"] = "peak"
    target_util_pct: float | None = Field(None, gt=0, le=100)
    smt: bool = False
    memory_gib_per_host: float | None = Field(None, gt=0, le=MAX_TABLE_VALUE,
                                              description="Default: Σ guest memory (1:1).")
    paging_gib_per_host: float | None = Field(None, ge=0, le=MAX_TABLE_VALUE,
                                              description="Default: the paging rule.")
    paging_volume_model: DasdModel = "3390-9"
    vdisk_syslim_blocks: int | None = Field(
        None, ge=0, le=int(MAX_TABLE_VALUE), description="The installation's SET VDISK SYSLIM per LPAR "
        "[512-byte blocks] (QUERY VDISK SYSLIM); the plan's VDISKs must fit it (CK020). Default: not checked.")
    tdisk_space_cyl: int | None = Field(
        None, ge=0, le=int(MAX_TABLE_VALUE), description="Cylinders of TDISK space on the LPAR's CP-owned "
        "volumes; the guests' T-disks must fit it at once (CK021). Default: not checked.")


class ScenarioRules(_Model):
    max_memory_overcommit_ratio: float | None = Field(None, gt=0, le=MAX_TABLE_VALUE)
    paging_rule: str = "velocity"  # paging.DEFAULT_RULE; the seed rule is "sg24-6299"
    channel_max_busy_pct: float | None = Field(None, gt=0, le=100)


class GuestOverride(_Model):
    memory_mib: int | None = Field(None, ge=1, le=MAX_GUEST_MEMORY_MIB)
    max_memory_mib: int | None = Field(None, ge=1, le=MAX_GUEST_MEMORY_MIB)
    vcpus: int | None = Field(None, ge=1, le=MAX_VCPUS)
    max_vcpus: int | None = Field(None, ge=1, le=MAX_VCPUS)
    share_relative: int | None = Field(None, ge=1, le=10000)


class ScenarioGuests(_Model):
    """How guests are derived from the inventory."""

    userid_prefix: Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9$#@]{0,4}$")] = "LNX"
    memory_from_source_frac: float | None = Field(None, gt=0, le=1)
    max_memory_ratio: float | None = Field(None, ge=1, le=MAX_TABLE_VALUE)
    extra_vcpus: int = Field(0, ge=0, le=MAX_VCPUS, description="max_vcpus = vcpus + extra_vcpus.")
    share_relative: int | None = Field(None, ge=1, le=10000)
    password: pt.Password = "XXXXXXXX"
    profile: Userid = "LNXDFLT"
    options: list[pt.OptionKeyword] = Field(default_factory=list)
    ipl_nss: Userid | None = Field(None, description="IPL this NSS instead of the root disk.")
    namesave: list[Userid] = Field(default_factory=list)
    anti_affinity: list[Annotated[list[str], Field(min_length=2, max_length=2)]] = Field(
        default_factory=list, description="Pairs of inventory servers (redundant nodes) whose guests "
        "must be on different LPARs.")
    per_server: dict[str, GuestOverride] = Field(default_factory=dict)


class ScenarioNetwork(_Model):
    id: Ident = "vsw1"
    cidr: pt.Cidr = "10.1.0.0/16"
    first_host: int | None = Field(None, ge=1, le=2**32)
    vswitch: Annotated[str, StringConstraints(pattern=r"^[A-Z0-9$#@]{1,8}$")] = "VSW1"
    nic_vdev: Hex4 = "0600"
    bridge: pt.IfName = "xenbr0"


class ScenarioStorage(_Model):
    volume_model: DasdModel = "3390-9"
    volser_prefix: Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9]?$")] = "LX"
    base_volser_prefix: Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9]{0,3}$")] = "BASE"
    disk_pool: pt.DiskPool = "ECKD:POOL1"
    image_dir: pt.AbsPath = "/srv/xen/images"
    nfs_server: pt.HostName = "10.0.0.5"
    nfs_export_dir: pt.AbsPath = "/export/roots"
    nfs_options: pt.MountOptions = "vers=3"
    xen_kernel: pt.AbsPath = "/srv/xen/boot/vmlinuz"
    xen_ramdisk: pt.AbsPath | None = None
    data_vdev_first: Hex4 = Field(DATA_VDEV_FIRST, description="First z/VM virtual device of each guest's "
                                  "application-disk (data) minidisks (DATA_VDEV_FIRST).")


class ScenarioIO(_Model):
    """Colony-wide DASD I/O (split over hosts by guest count)."""

    io_rate_per_s: float = Field(ge=0, le=MAX_TABLE_VALUE)
    connect_ms: float = Field(gt=0, le=MAX_TABLE_VALUE)
    paths_per_host: int = Field(1, ge=1, le=256)


class ScenarioDesign(_Model):
    name: str
    overrides: dict[str, Annotated[float, Field(ge=0, le=MAX_TABLE_VALUE)]] = Field(default_factory=dict)
    file: str | None = None


class ScenarioTraces(_Model):
    """The servers' own utilization traces (matched to the inventory, see colonykit.ingest.join)."""

    path: str
    unit: Literal["cpu_pct", "mips", "cpu_mhz"] | None = Field(
        None, description="Unit of unit-less (wide, one-number-per-line) files; others say their own.")
    headroom_pct: float | None = Field(None, ge=0, lt=100)
    mapping: str | None = Field(None, description="CSV 'server,trace' overriding the name match.")
    align: Literal["absolute", "time-of-day", "time-of-week"] = "absolute"
    fold_statistic: Literal["max", "mean"] = Field("max", description="Slot statistic when folding.")
    min_overlap_h: float | None = Field(None, gt=0, le=8784, description="Default: measured_min_overlap_h.")
    interval: str | None = Field(None, description="Common grid step ('5min', '1h'); default native.")
    start: str | None = Field(None, description="Time of step 0 for step-indexed traces (a real time axis).")
    tz: str = Field("UTC", description="Time zone of naive timestamps.")


class ScenarioMetadata(_Model):
    """Who the study is for and by whom: the report's title page (``colonykit report``)."""

    customer: str = Field("", max_length=200)
    project: str = Field("", max_length=200)
    author: str = Field("", max_length=200)
    date: str = Field("", pattern=r"^(\d{4}-\d{2}-\d{2})?$", description="YYYY-MM-DD; default: the day written.")


class Scenario(_Model):
    """A planning scenario (the YAML file behind ``colonykit plan``)."""

    apiVersion: Literal["colonykit/v1"] = API_VERSION
    kind: Literal["ColonyScenario"] = SCENARIO_KIND
    name: Ident
    inventory: str | None = None
    traces: ScenarioTraces | None = None
    metadata: ScenarioMetadata = Field(default_factory=ScenarioMetadata)
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
    return parse_scenario(load_yaml(read_text(p, "scenario"), p.name), p.name, p.parent)

