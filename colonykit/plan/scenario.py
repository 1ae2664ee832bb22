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


def _hosts_value(value: Any) -> int | Literal["auto"]:
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

    processor: str = Field(
        "z15",
        description="Target processor generation or LinuxONE name (processors.csv, processor_aliases.csv).",
    )
    hosts: Annotated[int | Literal["auto"], BeforeValidator(_hosts_value)] = Field(
        1,
        description="LPARs (z/VM) or hosts (Xen), >= 1, or 'auto' (fewest LPARs of at most "
        "max_engines_per_host engines each).",
    )
    max_engines_per_host: int | None = Field(
        None,
        ge=1,
        description="Largest LPAR for hosts: auto [engines] (default constant "
        "measured_max_engines_per_host, capped at the machine's maximum).",
    )
    composite_statistic: Literal["peak", "p95"] = Field(
        "peak",
        description="Statistic of the composite MIPS series that sizes the colony's engines "
        "(placement always holds every time step).",
    )
    cpus_per_host: int | None = Field(
        None, ge=1, le=MAX_CORES, description="Default: sized engines ÷ hosts."
    )
    sizing_bound: Literal["low", "typical", "high"] = Field(
        "typical", description="Bound of the WLF range the plan is sized at."
    )
    basis: Literal["avg", "peak"] = Field(
        "peak", description="Size on the servers' average or peak utilization."
    )
    target_util_pct: float | None = Field(
        None,
        gt=0,
        le=100,
        description="Target utilization of the engines [%]; default constant target_util_pct.",
    )
    smt: bool = Field(False, description="Run the IFLs with SMT.")
    memory_gib_per_host: float | None = Field(
        None, gt=0, le=MAX_TABLE_VALUE, description="Default: Σ guest memory (1:1)."
    )
    paging_gib_per_host: float | None = Field(
        None, ge=0, le=MAX_TABLE_VALUE, description="Default: the paging rule."
    )
    paging_volume_model: DasdModel = Field(
        "3390-9", description="3390 model of the paging volumes."
    )
    vdisk_syslim_blocks: int | None = Field(
        None,
        ge=0,
        le=int(MAX_TABLE_VALUE),
        description="The installation's SET VDISK SYSLIM per LPAR "
        "[512-byte blocks] (QUERY VDISK SYSLIM); the plan's VDISKs must fit it (CK020). Default: not checked.",
    )
    tdisk_space_cyl: int | None = Field(
        None,
        ge=0,
        le=int(MAX_TABLE_VALUE),
        description="Cylinders of TDISK space on the LPAR's CP-owned "
        "volumes; the guests' T-disks must fit it at once (CK021). Default: not checked.",
    )


class ScenarioRules(_Model):
    """Limits the hosts are checked against (defaults from the constants tables)."""

    max_memory_overcommit_ratio: float | None = Field(
        None,
        gt=0,
        le=MAX_TABLE_VALUE,
        description="Σ guest virtual ÷ real storage allowed per host; default constant max_memory_overcommit_ratio.",
    )
    paging_rule: str = Field(
        "velocity", description="Paging-space rule (paging_rules.csv)."
    )  # paging.DEFAULT_RULE; the seed rule is "sg24-6299"
    channel_max_busy_pct: float | None = Field(
        None,
        gt=0,
        le=100,
        description="Target maximum busy per channel path [%]; default constant channel_max_busy_pct.",
    )


class GuestOverride(_Model):
    """Guest sizes set by hand for one inventory server (``guests.per_server``)."""

    memory_mib: int | None = Field(
        None, ge=1, le=MAX_GUEST_MEMORY_MIB, description="Virtual storage at logon [MiB]."
    )
    max_memory_mib: int | None = Field(
        None,
        ge=1,
        le=MAX_GUEST_MEMORY_MIB,
        description="Most virtual storage the guest may define [MiB].",
    )
    vcpus: int | None = Field(None, ge=1, le=MAX_VCPUS, description="Virtual CPUs at logon.")
    max_vcpus: int | None = Field(
        None, ge=1, le=MAX_VCPUS, description="Most virtual CPUs the guest may define."
    )
    share_relative: int | None = Field(None, ge=1, le=10000, description="Relative CPU share.")


class ScenarioGuests(_Model):
    """How guests are derived from the inventory."""

    userid_prefix: Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9$#@]{0,4}$")] = Field(
        "LNX", description="Prefix of the z/VM userids (numbered after it)."
    )
    memory_from_source_frac: float | None = Field(
        None,
        gt=0,
        le=1,
        description="Guest memory as a share of the source server's; default constant plan_memory_from_source_frac.",
    )
    max_memory_ratio: float | None = Field(
        None,
        ge=1,
        le=MAX_TABLE_VALUE,
        description="max_memory_mib ÷ memory_mib; default constant plan_max_memory_ratio.",
    )
    extra_vcpus: int = Field(0, ge=0, le=MAX_VCPUS, description="max_vcpus = vcpus + extra_vcpus.")
    share_relative: int | None = Field(
        None,
        ge=1,
        le=10000,
        description="Relative CPU share of every guest; default constant plan_share_relative.",
    )
    password: pt.Password = Field(
        "XXXXXXXX", description="Directory password of the guests (a placeholder by default)."
    )
    profile: Userid = Field("LNXDFLT", description="Directory PROFILE the guests include.")
    options: list[pt.OptionKeyword] = Field(
        default_factory=list, description="Directory OPTION operands of every guest."
    )
    ipl_nss: Userid | None = Field(None, description="IPL this NSS instead of the root disk.")
    namesave: list[Userid] = Field(
        default_factory=list, description="NSS/DCSS names the guests may use (NAMESAVE)."
    )
    anti_affinity: list[Annotated[list[str], Field(min_length=2, max_length=2)]] = Field(
        default_factory=list,
        description="Pairs of inventory servers (redundant nodes) whose guests "
        "must be on different LPARs.",
    )
    per_server: dict[str, GuestOverride] = Field(
        default_factory=dict, description="Overrides per inventory server."
    )


class ScenarioNetwork(_Model):
    """The colony network: address range, VSWITCH (z/VM) or bridge (Xen)."""

    id: Ident = Field("vsw1", description="Network id.")
    cidr: pt.Cidr = Field("10.1.0.0/16", description="Address range of the guests (addr/prefix).")
    first_host: int | None = Field(
        None,
        ge=1,
        le=2**32,
        description="Offset of the first guest address in the range; default constant plan_first_host_offset.",
    )
    vswitch: Annotated[str, StringConstraints(pattern=r"^[A-Z0-9$#@]{1,8}$")] = Field(
        "VSW1", description="VSWITCH name (z/VM)."
    )
    nic_vdev: Hex4 = Field("0600", description="Virtual device of each guest's NIC (z/VM).")
    bridge: pt.IfName = Field("xenbr0", description="Host bridge (Xen).")


class ScenarioStorage(_Model):
    """Volumes, disk pool and image locations of the colony."""

    volume_model: DasdModel = Field("3390-9", description="3390 model of the minidisk volumes.")
    volser_prefix: Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9]?$")] = Field(
        "LX", description="Volume serial prefix of the guests' volumes."
    )
    base_volser_prefix: Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9]{0,3}$")] = Field(
        "BASE", description="Volume serial prefix of the shared base volumes."
    )
    disk_pool: pt.DiskPool = Field(
        "ECKD:POOL1", description="Feilong disk pool of the guests' own disks."
    )
    image_dir: pt.AbsPath = Field(
        "/srv/xen/images", description="Folder of the Xen disk images on the host."
    )
    nfs_server: pt.HostName = Field(
        "10.0.0.5", description="NFS server of the Xen NFS-root design."
    )
    nfs_export_dir: pt.AbsPath = Field(
        "/export/roots", description="Folder of the exported roots on the NFS server."
    )
    nfs_options: pt.MountOptions = Field("vers=3", description="NFS mount options.")
    xen_kernel: pt.AbsPath = Field(
        "/srv/xen/boot/vmlinuz", description="domU kernel on the Xen host."
    )
    xen_ramdisk: pt.AbsPath | None = Field(
        None, description="domU initial ramdisk on the Xen host."
    )
    data_vdev_first: Hex4 = Field(
        DATA_VDEV_FIRST,
        description="First z/VM virtual device of each guest's "
        "application-disk (data) minidisks (DATA_VDEV_FIRST).",
    )


class ScenarioIO(_Model):
    """Colony-wide DASD I/O (split over hosts by guest count)."""

    io_rate_per_s: float = Field(
        ge=0, le=MAX_TABLE_VALUE, description="DASD I/O rate of the whole colony [per second]."
    )
    connect_ms: float = Field(gt=0, le=MAX_TABLE_VALUE, description="Connect time per I/O [ms].")
    paths_per_host: int = Field(1, ge=1, le=256, description="Channel paths of each host.")


class ScenarioDesign(_Model):
    """The colony design and its parameter overrides."""

    name: str = Field(description="Colony design (see `colonykit designs`).")
    overrides: dict[str, Annotated[float, Field(ge=0, le=MAX_TABLE_VALUE)]] = Field(
        default_factory=dict, description="Design parameters to replace, by name."
    )
    file: str | None = Field(None, description="A designs YAML instead of the bundled one.")


class ScenarioTraces(_Model):
    """The servers' own utilization traces (matched to the inventory, see colonykit.ingest.join)."""

    path: str = Field(description="Trace file or folder, relative to the scenario file.")
    unit: Literal["cpu_pct", "mips", "cpu_mhz"] | None = Field(
        None,
        description="Unit of unit-less (wide, one-number-per-line) files; others say their own.",
    )
    headroom_pct: float | None = Field(
        None,
        ge=0,
        lt=100,
        description="Headroom above the composite peak in the white-space evidence's capacity_needed [%] (default: constant whitespace_headroom_pct).",
    )
    mapping: str | None = Field(None, description="CSV 'server,trace' overriding the name match.")
    align: Literal["absolute", "time-of-day", "time-of-week"] = Field(
        "absolute", description="Time alignment of the captures (see colonykit.ingest.join)."
    )
    fold_statistic: Literal["max", "mean"] = Field(
        "max", description="Slot statistic when folding."
    )
    min_overlap_h: float | None = Field(
        None, gt=0, le=8784, description="Default: measured_min_overlap_h."
    )
    interval: str | None = Field(
        None, description="Common grid step ('5min', '1h'); default native."
    )
    start: str | None = Field(
        None, description="Time of step 0 for step-indexed traces (a real time axis)."
    )
    tz: str = Field("UTC", description="Time zone of naive timestamps.")


class ScenarioMetadata(_Model):
    """Who the study is for and by whom: the report's title page (``colonykit report``)."""

    customer: str = Field("", max_length=200, description="Who the study is for.")
    project: str = Field("", max_length=200, description="The project's name.")
    author: str = Field("", max_length=200, description="Who wrote the study.")
    date: str = Field(
        "", pattern=r"^(\d{4}-\d{2}-\d{2})?$", description="YYYY-MM-DD; default: the day written."
    )


class Scenario(_Model):
    """A planning scenario (the YAML file behind ``colonykit plan``)."""

    apiVersion: Literal["colonykit/v1"] = Field(API_VERSION, description="Document version.")
    kind: Literal["ColonyScenario"] = Field(SCENARIO_KIND, description="Document kind.")
    name: Ident = Field(description="Scenario name (becomes the plan name).")
    inventory: str | None = Field(
        None, description="Inventory file, relative to the scenario file."
    )
    traces: ScenarioTraces | None = Field(None, description="The servers' own utilization traces.")
    metadata: ScenarioMetadata = Field(
        default_factory=ScenarioMetadata, description="The report's title page."
    )
    target: ScenarioTarget = Field(default_factory=ScenarioTarget, description="Target machine.")
    design: ScenarioDesign = Field(description="Colony design.")
    rules: ScenarioRules = Field(
        default_factory=ScenarioRules, description="Limits the hosts are checked against."
    )
    guests: ScenarioGuests = Field(
        default_factory=ScenarioGuests, description="How guests are derived from the inventory."
    )
    network: ScenarioNetwork = Field(
        default_factory=ScenarioNetwork, description="The colony network."
    )
    storage: ScenarioStorage = Field(
        default_factory=ScenarioStorage, description="Volumes, pools and image locations."
    )
    io: ScenarioIO | None = Field(None, description="Colony-wide DASD I/O.")
    base_dir: str = Field(".", exclude=True, description="Folder relative paths are read from.")
    source: str = Field("", exclude=True, description="The scenario file, for messages.")

    def resolve(self, rel: str) -> Path:
        """A path of the scenario, relative to the scenario file's folder.

        Parameters
        ----------
        rel : str
            A path as written in the scenario.
        """
        p = Path(rel)
        return p if p.is_absolute() else Path(self.base_dir) / p


def parse_scenario(data: Any, where: str = "scenario", base_dir: str | Path = ".") -> Scenario:
    """Validate a scenario mapping (as loaded from YAML).

    Parameters
    ----------
    data : object
        The mapping loaded from YAML.
    where : str, default 'scenario'
        Its source, for the messages.
    base_dir : str or Path, default '.'
        Folder relative paths in the scenario are taken from.

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

    Parameters
    ----------
    path : str or Path
        The scenario YAML file.

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


__all__ = [
    "DATA_VDEV_FIRST",
    "ScenarioTarget",
    "ScenarioRules",
    "GuestOverride",
    "ScenarioGuests",
    "ScenarioNetwork",
    "ScenarioStorage",
    "ScenarioIO",
    "ScenarioDesign",
    "ScenarioTraces",
    "ScenarioMetadata",
    "Scenario",
    "parse_scenario",
    "load_scenario",
]
