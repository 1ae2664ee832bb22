"""The planning scenario (``kind: ColonyScenario``): the YAML file behind ``colonykit plan``."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, StringConstraints, ValidationError, model_validator

from colonykit import patterns as pt
from colonykit._inputs import refuse_special
from colonykit._yaml import load_yaml, quote_hint, read_text, surprising_number, typed_scalars
from colonykit.costs import CostsSection
from colonykit.errors import InputError, log_or_raise, raise_problems
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


def _date_text(value: Any) -> Any:
    """An unquoted YAML date or time (``2026-12-07``) as its ISO text; anything else unchanged."""
    if isinstance(value, _dt.datetime | _dt.date):
        return value.isoformat()
    return value


#: A date or time written in the scenario: quoted or not (YAML reads ``2026-12-07`` as a date).
DateText = Annotated[str, BeforeValidator(_date_text)]


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
    calibration: str | None = Field(
        None,
        description="Measured-pairs CSV recalibrating the CPU conversion per workload class "
        "(colonykit.calibration.fit_pairs), relative to the scenario file.",
    )
    study: str | None = Field(
        None,
        description="zPCR / consolidation study CSV (server, mips or ifl_share[, source]) giving "
        "servers their capacity (colonykit.calibration.read_study), relative to the scenario file.",
    )
    zvm_level: Annotated[str, StringConstraints(pattern=r"^[5-9]\.[0-9]$")] | None = Field(
        None,
        description="z/VM level the per-LPAR limits are checked against (platform_limits.csv); "
        "default constant zvm_level (7.4).",
    )
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
    right_size_memory: bool = Field(
        True,
        description="With measured memory: plan each over-provisioned guest at its working set "
        "(its provisioned size stays its maximum); false keeps the provisioned sizes.",
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
    data_volumes: Literal["auto", "3390-9", "3390-27", "3390-54", "3390-A", "EDEV"] = Field(
        "auto",
        description="Volume model of each guest's application-disk (data) minidisks (z/VM): "
        "'auto' = per guest the smallest ECKD model from volume_model up to 3390-54 that needs at "
        "most max_volumes_per_disk minidisks, else EAVs (3390-A) within that limit, else FCP "
        "SCSI LUNs as EDEVs (colonykit.storage.choose_data_volumes); or one model for every "
        "data disk.",
    )
    max_volumes_per_disk: int | None = Field(
        None,
        ge=1,
        le=1000,
        description="Most minidisks (volumes) per data disk under data_volumes 'auto'; default "
        "constant data_volumes_max_per_disk (8).",
    )
    lun_gib: float | None = Field(
        None,
        gt=0,
        le=1024,
        description="Size of each FCP LUN used as an EDEV for data disks [GiB]; default the "
        "largest EDEV z/VM supports (1 TiB minus one page, constant edev_max_blocks).",
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
    start: DateText | None = Field(
        None, description="Time of step 0 for step-indexed traces (a real time axis)."
    )
    tz: str = Field("UTC", description="Time zone of naive timestamps.")
    memory: bool | None = Field(
        None,
        description="Read the memory-use series of the same traces (colonykit.measured_memory): "
        "true = required, false = ignore them, default = use them when the traces have them.",
    )
    memory_statistic: Literal["peak", "p95"] = Field(
        "peak",
        description="Statistic of each guest's measured memory use taken as its working set.",
    )
    memory_margin_pct: float | None = Field(
        None,
        ge=0,
        le=1000,
        description="Margin on the working set [%]; default constant memory_working_set_margin_pct.",
    )

    dayfirst: bool | None = Field(
        None,
        description="Read d/m/Y dates day first (true) or month first (false) when the time "
        "column does not decide it (no day above 12); such a column is refused without it.",
    )
    date_format: str | None = Field(
        None,
        max_length=100,
        description="One strftime format for the time column (e.g. '%d.%m.%Y %H:%M').",
    )


#: Version of the ``growth:`` section's meaning, written into the plan's ``capacity_plan``.
GROWTH_MODEL_VERSION = 1


def _rate_value(value: Any) -> Any:
    """``annual_pct`` and the ``by_*`` maps: a number is the same low, typical and high rate."""
    if isinstance(value, bool):
        msg = "a number or {low, typical, high}"
        raise ValueError(msg)
    if isinstance(value, int | float):
        return {"low": value, "typical": value, "high": value}
    return value


class GrowthRate(_Model):
    """An annual growth rate [%/year] as a low / typical / high triple (a number sets all three)."""

    low: float = Field(gt=-100, le=1000, description="Lowest annual growth [%/year].")
    typical: float = Field(gt=-100, le=1000, description="Expected annual growth [%/year].")
    high: float = Field(gt=-100, le=1000, description="Highest annual growth [%/year].")

    @model_validator(mode="after")
    def _ordered(self) -> GrowthRate:
        if not self.low <= self.typical <= self.high:
            msg = f"low <= typical <= high (got {self.low:g}, {self.typical:g}, {self.high:g})"
            raise ValueError(msg)
        return self


Rate = Annotated[GrowthRate, BeforeValidator(_rate_value)]


def _name_text(value: Any) -> Any:
    """A server, role or class name written as a YAML number (``like: 4``) is its text."""
    return str(value) if isinstance(value, int | float) and not isinstance(value, bool) else value


def _names_map(value: Any) -> Any:
    """Keys of a ``by_*`` map written as YAML numbers are their text."""
    return {_name_text(k): v for k, v in value.items()} if isinstance(value, Mapping) else value


Name = Annotated[str, BeforeValidator(_name_text)]


class GrowthEvent(_Model):
    """A business event at a month: ``add`` servers, ``retire`` servers or ``scale`` a role/class.

    Exactly one of ``add`` (with ``like`` or ``inventory``), ``retire`` or ``scale`` (with
    ``role`` or ``workload_class``) is given.
    """

    name: Annotated[str, StringConstraints(min_length=1, max_length=120)] = Field(
        description="What the event is (shown in the output)."
    )
    month: int = Field(ge=0, le=600, description="Months after the study start it happens.")
    add: int | None = Field(
        None, ge=1, le=100_000, description="Servers added (like 'like', or from 'inventory')."
    )
    like: Name | None = Field(None, description="Inventory server the added servers are copies of.")
    inventory: str | None = Field(
        None,
        description="Inventory file (relative to the scenario) of the added servers "
        "(their util_peak_pct as a flat series); instead of add/like.",
    )
    retire: list[Name] | None = Field(None, description="Inventory servers retired.")
    scale: float | None = Field(
        None, gt=0, le=1000, description="Factor the demand of a role or class is multiplied by."
    )
    role: Name | None = Field(None, description="Role scaled (inventory 'role').")
    workload_class: str | None = Field(None, description="Workload class scaled.")

    @model_validator(mode="after")
    def _one_action(self) -> GrowthEvent:
        actions = [
            k
            for k, v in (
                ("add", self.add is not None or self.inventory is not None),
                ("retire", self.retire is not None),
                ("scale", self.scale is not None),
            )
            if v
        ]
        if len(actions) != 1:
            msg = f"exactly one of add, retire, scale (got {actions or 'none'})"
            raise ValueError(msg)
        if self.add is not None and (self.like is None) == (self.inventory is None):
            msg = (
                "'add' needs 'like' (a server to copy) and no 'inventory', or use 'inventory' alone"
            )
            raise ValueError(msg)
        if self.inventory is not None and self.add is not None:
            msg = "'inventory' adds the file's servers; leave out 'add'"
            raise ValueError(msg)
        if self.scale is not None and (self.role is None) == (self.workload_class is None):
            msg = "'scale' needs exactly one of 'role' or 'workload_class'"
            raise ValueError(msg)
        return self


#: ``growth.step_months`` by name (defined before the model: pydantic 2.6 evaluates the
#: annotation with the module namespace as it was when the class was created)
_STEP_NAMES: dict[Any, int] = {"month": 1, "quarter": 3, "half-year": 6, "year": 12}


class GrowthModel(_Model):
    """The ``growth:`` section: how the colony grows and what the upgrade plan may add.

    Rates are annual [%/year]; the most specific wins: ``by_server`` > ``by_class`` >
    ``by_role`` > ``annual_pct``.  Each is a number or ``{low, typical, high}``.
    """

    horizon_months: int = Field(
        36, ge=1, le=240, description="How far ahead the projection goes [months]."
    )
    step_months: Annotated[int, BeforeValidator(lambda v: _STEP_NAMES.get(v, v))] = Field(
        1, ge=1, le=12, description="Evaluation step [months]: 1 ('month'), 3 ('quarter') ..."
    )
    model: Literal["compound", "linear"] = Field(
        "compound", description="Compound: (1+r)^(t/12); linear: 1 + r × t/12."
    )
    annual_pct: Rate = Field(
        default_factory=lambda: GrowthRate(low=0, typical=0, high=0),
        description="Default annual growth of every server [%/year].",
    )
    by_role: Annotated[dict[str, Rate], BeforeValidator(_names_map)] = Field(
        default_factory=dict, description="Annual growth by role."
    )
    by_class: Annotated[dict[str, Rate], BeforeValidator(_names_map)] = Field(
        default_factory=dict, description="Annual growth by workload class."
    )
    by_server: Annotated[dict[str, Rate], BeforeValidator(_names_map)] = Field(
        default_factory=dict, description="Annual growth by inventory server."
    )
    grow_memory: bool = Field(
        True, description="Guest memory grows with the same factor as the CPU demand."
    )
    events: list[GrowthEvent] = Field(
        default_factory=list, description="Business events (add, retire, scale)."
    )
    lead_time_months: int | None = Field(
        None,
        ge=0,
        le=60,
        description="Ordering and installation time [months]; default constant forecast_lead_time_months.",
    )
    increment_engines: int | None = Field(
        None,
        ge=1,
        le=256,
        description="Engines added per upgrade step; default constant forecast_increment_engines.",
    )
    increment_memory_gib: float | None = Field(
        None,
        gt=0,
        le=MAX_TABLE_VALUE,
        description="Real storage added per upgrade step [GiB]; default constant "
        "forecast_increment_memory_gib.",
    )
    machine_max_memory_gib: float | None = Field(
        None,
        gt=0,
        le=MAX_TABLE_VALUE,
        description="Most real storage the machine can have [GiB]; default: not checked.",
    )
    forecast: Literal["planned", "fitted"] = Field(
        "planned",
        description="planned: the rates above; fitted: each server's trend fitted on its "
        "history (statsmodels ETS, the 'forecast' extra).",
    )
    start: Annotated[str, BeforeValidator(_date_text)] | None = Field(
        None,
        pattern=r"^\d{4}-\d{2}-\d{2}$",
        description="Study start YYYY-MM-DD; default the first of the month after the traces end.",
    )


class ScenarioMetadata(_Model):
    """Who the study is for and by whom: the report's title page (``colonykit report``)."""

    customer: str = Field("", max_length=200, description="Who the study is for.")
    project: str = Field("", max_length=200, description="The project's name.")
    author: str = Field("", max_length=200, description="Who wrote the study.")
    date: DateText = Field(
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
    costs: CostsSection | None = Field(
        None, description="The business case's cost model (colonykit.costs; issue 22)."
    )
    growth: GrowthModel | None = Field(
        None, description="Growth over time and the upgrade plan (colonykit forecast)."
    )
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


def parse_scenario(
    data: Any,
    where: str = "scenario",
    base_dir: str | Path = ".",
    *,
    yaml_text: str | None = None,
) -> Scenario:
    """Validate a scenario mapping (as loaded from YAML).

    With ``yaml_text`` (the document the mapping came from), a value YAML 1.1 read as a
    number or boolean (``0600`` → 384, ``NO`` → False) is explained in the message with how
    to quote it, and a number that validates but is not what its digits say (``010`` → 8,
    ``1:30`` → 90) is warned about.

    Parameters
    ----------
    data : object
        The mapping loaded from YAML.
    where : str, default 'scenario'
        Its source, for the messages.
    base_dir : str or Path, default '.'
        Folder relative paths in the scenario are taken from.
    yaml_text : str, optional
        The YAML text of ``data`` (for the messages above).

    Raises
    ------
    InputError
        Every problem, each naming the YAML path (``target.hosts``) and the valid range.
    """
    if not isinstance(data, Mapping):
        msg = f"{where}: a scenario must be a YAML mapping (got {type(data).__name__})"
        raise InputError(msg)
    typed = typed_scalars(yaml_text) if yaml_text is not None else None
    try:
        scen = Scenario.model_validate(dict(data))
    except ValidationError as exc:
        raise_problems(
            validation_problems(exc, where, Scenario, typed), f"invalid scenario {where}"
        )
        raise  # pragma: no cover - raise_problems always raises here
    for path, (written, became) in sorted((typed or {}).items(), key=str):
        value = _at(data, path)
        if surprising_number(written, value):
            dotted = ".".join(str(p) for p in path)
            log_or_raise(False, f"{where}: '{dotted}': {quote_hint(written, became)}")
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
    refuse_special(p, "scenario")
    if not p.is_file():
        msg = f"scenario file not found: {p}"
        raise InputError(msg)
    text = read_text(p, "scenario")
    return parse_scenario(load_yaml(text, p.name), p.name, p.parent, yaml_text=text)


def _at(data: Any, path: tuple[str | int, ...]) -> Any:
    """The value at ``path`` of a loaded YAML document (None when absent)."""
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


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
