"""The plan document: ``apiVersion: colonykit/v1``, ``kind: ColonyPlan``.

Defined once, here, as pydantic v2 models with ``extra="forbid"``;
:mod:`colonykit.export` writes and reads it as YAML and ships its JSON Schema,
:mod:`colonykit.render` turns it into files for the provisioning tools.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Final, Literal, TypeAlias

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from colonykit import patterns as pt
from colonykit.limits import (
    MAX_CORES,
    MAX_CYLINDERS,
    MAX_GUEST_MEMORY_MIB,
    MAX_TABLE_VALUE,
    MAX_VCPUS,
)

API_VERSION: Final = "colonykit/v1"
PLAN_KIND: Final = "ColonyPlan"
SCENARIO_KIND: Final = "ColonyScenario"

Hex4 = Annotated[str, StringConstraints(pattern=r"^[0-9A-F]{4}$")]
Userid: TypeAlias = pt.Userid
Volser: TypeAlias = pt.Volser
GuestName = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")]
Ident = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$")]
Scalar = bool | int | float | str | None
DasdModel = Literal["3390-1", "3390-2", "3390-3", "3390-9", "3390-27", "3390-54", "3390-A"]
#: Volume model of a data minidisk: a 3390 model (3390-A: EAV) or an FCP SCSI LUN as a z/VM EDEV.
VolumeModel = Literal[
    "3390-1", "3390-2", "3390-3", "3390-9", "3390-27", "3390-54", "3390-A", "EDEV"
]
#: Largest FB-512 minidisk / EDEV [512-byte blocks] (constant edev_max_blocks, APAR VM65491).
MAX_FBA_BLOCKS: Final = 2_147_483_640
Severity = Literal["error", "warning"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True, allow_inf_nan=False)


# =========================================================================== plan document
class Metadata(_Model):
    """Who made the plan, from what."""

    name: Ident = Field(description="Plan name.")
    revision: int = Field(1, ge=1, description="Bumped by the planner on each edit.")
    generated_by: str = Field(description="colonykit version that produced the plan.")
    design: Ident = Field(description="Colony design (see `colonykit designs`).")
    platform: Literal["zvm", "xen"] = Field(description="Hypervisor platform: z/VM or Xen.")
    volume_model: DasdModel = Field("3390-9", description="3390 model of the minidisk volumes.")
    scenario: str = Field("", description="Scenario file the plan came from.")
    inputs_sha256: str = Field("", description="SHA-256 of the scenario and its input files.")


class ZvmDisk(_Model):
    """Where a minidisk lives on z/VM."""

    owner: Userid | None = Field(None, description="Userid owning a shared minidisk.")
    vdev: Hex4 = Field(description="Virtual device address (4 hex digits).")
    devtype: Literal["3390"] = Field("3390", description="Device type of the minidisk volume.")
    volser: Volser = Field(description="Volume serial of the DASD volume.")
    start_cyl: int = Field(
        ge=1, le=MAX_CYLINDERS, description="First cylinder (cylinder 0 holds the label)."
    )
    count_cyl: int = Field(ge=1, le=MAX_CYLINDERS, description="Size in 3390 cylinders.")


class XenImage(_Model):
    """A file or block device holding a Xen disk image."""

    target: pt.AbsPath = Field(description="Path of the image on the host.")
    format: Literal["raw", "qcow", "qcow2", "vhd", "qed"] = Field(
        "raw", description="Image format (xl disk `format=`)."
    )


class NfsExport(_Model):
    """An NFS export (Xen NFS root)."""

    server: pt.HostName = Field(description="NFS server (host name or address).")
    export: pt.AbsPath = Field(description="Exported directory on the server.")
    options: pt.MountOptions = Field("", description="NFS mount options.")


class Image(_Model):
    """A shared read-only disk: z/VM base minidisk or Xen root image."""

    id: Ident = Field(description="Image id, referenced by guests' storage and profile links.")
    role: pt.Word = Field(description="What the image holds (e.g. root, usr).")
    mount: pt.MountPoint = Field(description="Mount point in the guests.")
    access: Literal["ro"] = Field("ro", description="Shared images are read-only.")
    fs: pt.FsType = Field("", description="File system type.")
    size_mib: int = Field(ge=0, description="Size [MiB] (rounded up).")
    size_cyl: int | None = Field(None, ge=1, description="Size [3390 cylinders] (z/VM).")
    zvm: ZvmDisk | None = Field(None, description="Where the base minidisk lives (z/VM).")
    xen: XenImage | None = Field(None, description="The image file or device (Xen).")


class ZvmNetwork(_Model):
    """z/VM specifics of a network: the VSWITCH and the NIC type."""

    vswitch: Annotated[str, StringConstraints(pattern=r"^[A-Z0-9$#@]{1,8}$")] = Field(
        description="VSWITCH name (1-8 characters A-Z 0-9 $ # @)."
    )
    nic_type: Literal["QDIO", "HIPERS"] = Field(
        "QDIO", description="Type of the guests' NICs (NICDEF TYPE)."
    )


class XenNetwork(_Model):
    """Xen specifics of a network: the host bridge."""

    bridge: pt.IfName = Field(description="Bridge on the host the domUs' vifs attach to.")


class Network(_Model):
    """A virtual switch (z/VM) or bridge (Xen)."""

    id: Ident = Field(description="Network id, referenced by guest NICs and profiles.")
    cidr: pt.Cidr | None = Field(None, description="Address range of the network (addr/prefix).")
    zvm: ZvmNetwork | None = Field(None, description="z/VM specifics (VSWITCH).")
    xen: XenNetwork | None = Field(None, description="Xen specifics (bridge).")


class Capacity(_Model):
    """Real resources of one host or LPAR."""

    cpus: int = Field(
        ge=1, le=MAX_CORES, description="Real engines (IFLs for z/VM, cores for Xen)."
    )
    cpu_type: pt.CpuType = Field("IFL", description="Engine type (IFL on IBM Z).")
    memory_gib: float = Field(gt=0, description="Real storage [GiB].")
    paging_gib: float = Field(0.0, ge=0, description="Paging space on DASD [GiB] (z/VM).")
    paging_volumes: int = Field(0, ge=0, description="Paging volumes.")
    paging_volume_model: DasdModel = Field(
        "3390-9", description="3390 model of the paging volumes."
    )
    mips_usable: float | None = Field(
        None,
        ge=0,
        description="Guest MIPS the host carries at its target utilization after CP "
        "and idle-guest overhead (z/VM; None when not sized in MIPS).",
    )
    composite_peak_mips: float | None = Field(
        None, ge=0, description="Peak over time of the placed guests' summed MIPS series."
    )
    composite_p95_mips: float | None = Field(
        None,
        ge=0,
        description="95th percentile over time of the placed guests' summed MIPS series.",
    )


class Rules(_Model):
    """Limits a host is checked against."""

    max_memory_overcommit_ratio: float = Field(gt=0, description="Σ guest virtual ÷ real storage.")
    paging_rule: str = Field(
        "velocity",
        description="Paging-space rule the host is checked against (a row of paging_rules.csv).",
    )  # paging.DEFAULT_RULE (docs/io.md: why)
    channel_max_busy_pct: float = Field(
        50.0, gt=0, le=100, description="Target maximum busy per channel path [%]."
    )
    vdisk_syslim_blocks: int | None = Field(
        None,
        ge=0,
        description="SET VDISK SYSLIM of the LPAR [512-byte blocks] (CK020); None: not checked.",
    )
    zvm_level: str | None = Field(
        None, description="z/VM level the LPAR's limits are checked against (default 7.4)."
    )
    smt: bool = Field(False, description="SMT enabled on the LPAR's IFLs (halves its core limit).")
    tdisk_space_cyl: int | None = Field(
        None, ge=0, description="TDISK space of the LPAR [cyl] (CK021); None: not checked."
    )


class HostIO(_Model):
    """DASD I/O load of a host, for the channel-busy check."""

    io_rate_per_s: float = Field(
        ge=0, description="DASD I/O rate of the host's guests [per second]."
    )
    connect_ms: float = Field(gt=0, description="Connect time per I/O [ms].")
    paths: int = Field(1, ge=1, description="Channel paths to the DASD.")


class Link(_Model):
    """A read-only ``LINK`` of a profile to a shared image."""

    image: Ident = Field(description="Id of the shared image linked.")
    vdev: Hex4 = Field(description="Virtual device the guests see it at (4 hex digits).")
    mode: Literal["RR", "R"] = Field("RR", description="Link mode (read-only).")


class NicRef(_Model):
    """A ``NICDEF`` of a profile: a NIC on one of the plan's networks."""

    network: Ident = Field(description="Id of the plan network.")
    vdev: Hex4 = Field(description="Virtual device of the NIC (4 hex digits).")


class Profile(_Model):
    """A z/VM directory PROFILE included by every colony member."""

    name: Userid = Field(description="Profile name (directory PROFILE entry).")
    links: list[Link] = Field(default_factory=list, description="Shared images every member links.")
    nics: list[NicRef] = Field(default_factory=list, description="NICs every member gets.")


class StorageItem(_Model):
    """One disk of a guest.

    ``kind``: ``shared`` (the read-only image ``image``: LINK … RR / xl ``access=ro``),
    ``mdisk`` (private minidisk at ``volser``/``start_cyl``), ``tdisk`` (temporary disk),
    ``vdisk`` (FB-512 V-DISK in storage, ``size_mib`` × 2048 blocks), ``image`` (private Xen
    image at ``target``), ``nfs`` (NFS root at ``target``).
    """

    id: Ident = Field(description="Component id of the design.")
    role: pt.Word = Field(description="What the disk holds (e.g. root, swap, data).")
    kind: Literal["shared", "mdisk", "tdisk", "vdisk", "image", "nfs"] = Field(
        description="Kind of disk (see the class description)."
    )
    access: Literal["ro", "rw"] = Field(description="Read-only or read-write.")
    vdev: Annotated[str, StringConstraints(pattern=r"^(?:[0-9A-F]{4}|xvd[a-z]{1,2}|nfs)$")] = Field(
        description="z/VM virtual device (4 hex digits), Xen vdev (xvda…) or 'nfs'."
    )
    mount: pt.MountPoint = Field("", description="Mount point in the guest.")
    fs: pt.FsType = Field("", description="File system type.")
    image: Ident | None = Field(None, description="Id of the shared image (kind shared).")
    size_mib: int | None = Field(
        None, ge=1, le=int(MAX_TABLE_VALUE), description="Size [MiB] (VDISK, Xen image)."
    )
    size_cyl: int | None = Field(
        None, ge=1, le=MAX_CYLINDERS, description="Size [3390 cylinders] (minidisk, T-disk)."
    )
    volser: Volser | None = Field(None, description="Volume serial of a private minidisk.")
    start_cyl: int | None = Field(
        None,
        ge=1,
        le=MAX_CYLINDERS,
        description="First cylinder of a private minidisk (cylinder 0 holds the label).",
    )
    pool: pt.DiskPool | None = Field(
        None, description="Disk pool (Feilong `disk_pool`, e.g. ECKD:POOL1)."
    )
    target: pt.StorageTarget | None = Field(
        None, description="Image path or NFS server:path (Xen)."
    )
    volume_model: VolumeModel | None = Field(
        None,
        description="Model of the volume holding a private minidisk: a 3390 model (3390-A: EAV) "
        "or EDEV (an FCP SCSI LUN as a z/VM emulated FBA device); None: the plan's "
        "metadata.volume_model.",
    )
    start_block: int | None = Field(
        None,
        ge=1,
        le=MAX_FBA_BLOCKS,
        description="First 512-byte block of a minidisk on an EDEV (page 0 holds the label).",
    )
    size_blocks: int | None = Field(
        None,
        ge=1,
        le=MAX_FBA_BLOCKS,
        description="Size of a minidisk on an EDEV [512-byte blocks].",
    )


class ZvmGuest(_Model):
    """z/VM specifics of a guest (USER entry)."""

    userid: Userid = Field(description="z/VM userid (1-8 characters).")
    password: pt.Password = Field(
        "XXXXXXXX",
        description="Directory password (a placeholder by default; files holding it are written 0600).",
    )
    profile: Userid | None = Field(None, description="Directory PROFILE the USER entry includes.")
    ipl: pt.IplTarget = Field(description="IPL device (vdev) or NSS name.")
    machine: Literal["ESA", "XA", "XC", "Z"] = Field(
        "ESA", description="Virtual machine architecture (MACHINE)."
    )
    privclass: pt.PrivClass = Field("G", description="CP privilege classes.")
    options: list[pt.OptionKeyword] = Field(
        default_factory=list, description="Directory OPTION operands."
    )
    namesave: list[pt.NssName] = Field(
        default_factory=list, description="Restricted NSS/DCSS names."
    )


class XenGuest(_Model):
    """Xen specifics of a domU (xl.cfg)."""

    type: Literal["pv", "pvh", "hvm"] = Field("pvh", description="Guest type (xl `type=`).")
    kernel: pt.AbsPath | None = Field(None, description="Kernel on the host (direct kernel boot).")
    ramdisk: pt.AbsPath | None = Field(None, description="Initial ramdisk on the host.")
    root: pt.KernelArgs | None = Field(
        None, description="Root device argument of the kernel (xl `root=`)."
    )
    extra: pt.KernelArgs | None = Field(None, description="Further kernel arguments (xl `extra=`).")


class GuestNic(_Model):
    """A guest's NIC on one of the plan's networks, with its address."""

    network: Ident = Field(description="Id of the plan network.")
    vdev: pt.Vdev | None = Field(None, description="Virtual device of the NIC (z/VM).")
    ip: pt.IpAddress | None = Field(None, description="Address with prefix (addr/prefix).")
    mac: pt.MacAddress | None = Field(None, description="MAC address.")


class Guest(_Model):
    """One Linux guest (z/VM virtual machine or Xen domU)."""

    name: GuestName = Field(description="Guest name (lower case, a-z 0-9 -).")
    source_server: str = Field("", description="Inventory server the guest replaces.")
    vcpus: int = Field(ge=1, le=MAX_VCPUS, description="Virtual CPUs at logon.")
    max_vcpus: int = Field(
        ge=1, le=MAX_VCPUS, description="Most virtual CPUs the guest may define."
    )
    memory_mib: int = Field(
        ge=1, le=MAX_GUEST_MEMORY_MIB, description="Virtual storage at logon [MiB]."
    )
    max_memory_mib: int = Field(
        ge=1,
        le=MAX_GUEST_MEMORY_MIB,
        description="Most virtual storage the guest may define [MiB].",
    )
    share_relative: int = Field(
        100,
        ge=1,
        le=10000,
        description="Relative CPU share (z/VM SHARE RELATIVE; Xen credit weight).",
    )
    mips_sized: float = Field(0.0, ge=0, description="MIPS the sizing gave this guest.")
    peak_mips: float | None = Field(
        None, ge=0, description="Peak of the guest's own measured MIPS series (typical bound)."
    )
    memory_provisioned_mib: int | None = Field(
        None, ge=1, description="Memory of the source server when the guest was right-sized [MiB]."
    )
    memory_working_set_mib: float | None = Field(
        None,
        ge=0,
        description="Working set from the measured memory use [MiB] (None: not measured).",
    )
    zvm: ZvmGuest | None = Field(None, description="z/VM specifics (USER entry).")
    xen: XenGuest | None = Field(None, description="Xen specifics (xl.cfg).")
    storage: list[StorageItem] = Field(
        default_factory=list, description="The guest's disks, in the design's order."
    )
    network: list[GuestNic] = Field(default_factory=list, description="The guest's NICs.")
    tags: dict[str, str] = Field(
        default_factory=dict,
        description="Free labels (role, workload class) for inventories such as Ansible groups.",
    )


class Host(_Model):
    """A z/VM LPAR or Xen host with its guests."""

    id: Ident = Field(description="Host or LPAR id.")
    platform: Literal["zvm", "xen"] = Field(description="Hypervisor platform: z/VM or Xen.")
    capacity: Capacity = Field(description="Real resources of the host.")
    rules: Rules = Field(description="Limits the host is checked against.")
    io: HostIO | None = Field(None, description="DASD I/O load, for the channel-busy check.")
    profiles: list[Profile] = Field(
        default_factory=list, description="Directory profiles the guests include (z/VM)."
    )
    guests: list[Guest] = Field(default_factory=list, description="The guests placed on the host.")


class EvidenceItem(_Model):
    """One piece of sizing evidence; ``evaluated: false`` says it was not computed and why."""

    evaluated: bool = Field(description="Whether the item was computed.")
    applicable: bool = Field(True, description="Whether the item applies to this plan.")
    method: str = Field("", description="How it was computed.")
    source: str = Field("", description="The model's source (publication, section).")
    note: str = Field("", description="What it says, or why it was not computed.")
    values: dict[str, Scalar] = Field(
        default_factory=dict, description="The figures, by name (units in the names)."
    )


class Assumption(_Model):
    """One number the plan assumed, with its unit and source."""

    name: str = Field(description="What was assumed.")
    value: Scalar = Field(None, description="Its value.")
    unit: str = Field("", description="Unit of the value.")
    source: str = Field("", description="Where the value comes from.")


class Evidence(_Model):
    """Why the plan has the size it has."""

    sizing: EvidenceItem = Field(description="WLF CPU sizing.")
    white_space: EvidenceItem = Field(
        description="Composite (white space) analysis of the measured traces."
    )
    paging: EvidenceItem = Field(description="Paging space against the rules.")
    channels: EvidenceItem = Field(description="Channel path load.")
    design: EvidenceItem = Field(description="Disk figures of the chosen design.")
    memory: EvidenceItem = Field(
        default_factory=lambda: EvidenceItem(evaluated=False, note="not computed"),
        description="Memory overcommit per host.",
    )
    memory_measured: EvidenceItem = Field(
        default_factory=lambda: EvidenceItem(
            evaluated=False, applicable=False, note="no memory-use series"
        ),
        description="Working sets and real storage from the measured memory use.",
    )
    confidence: EvidenceItem = Field(
        default_factory=lambda: EvidenceItem(
            evaluated=False, applicable=False, note="not rated (a plan from an older colonykit)"
        ),
        description="The plan's confidence rating and its reasons (colonykit.confidence).",
    )
    assumptions: list[Assumption] = Field(
        default_factory=list, description="Every constant the plan used, with its source."
    )


class Finding(_Model):
    """A coded check result (see the module docstring for the codes)."""

    code: Annotated[str, StringConstraints(pattern=r"^CK[0-9]{3}$")] = Field(
        description="Check code (CK001 ...)."
    )
    severity: Severity = Field(description="error or warning.")
    message: str = Field(description="What was found and what to do.")
    path: str = Field("", description="Plan path the finding is about.")


class BusinessCaseYear(_Model):
    """One year of the business case: cost of each side and savings, by component."""

    year: int = Field(ge=1, description="Year of the study (1 = the first).")
    today: dict[str, float] = Field(description="Today's servers' cost by component.")
    colony: dict[str, float] = Field(description="The colony's cost by component.")
    savings: dict[str, float] = Field(description="Today minus colony, by component.")


class BusinessCase(_Model):
    """The business case (colonykit.costs): cost over the horizon, NPV, payback, licences, CO2e."""

    first_line: str = Field(description="Says first when the result rests on example prices.")
    horizon_years: int = Field(ge=1, description="Years of the study.")
    currency: str = Field(description="Currency of every amount.")
    discount_pct: float = Field(ge=0, description="Yearly discount rate of the NPV [%].")
    years: list[BusinessCaseYear] = Field(description="Cost per year and component.")
    npv: float = Field(description="Net present value of the savings (year y ÷ (1 + d)^y).")
    payback_months: int | None = Field(
        None,
        ge=0,
        description="Months until the cumulative savings are >= 0 (None: not within the horizon).",
    )
    roi_pct: float | None = Field(
        None, description="Savings over the horizon ÷ the colony's one-time cost [%]."
    )
    licence_cores_today: float = Field(
        ge=0, description="Cores in scope of per-core licences today."
    )
    licence_cores_colony: float = Field(
        ge=0, description="Engines in scope of per-core licences in the colony."
    )
    energy_kwh_today: float | None = Field(
        None, ge=0, description="Energy of today's servers in year 1 [kWh] (None: not priced)."
    )
    energy_kwh_colony: float | None = Field(
        None, ge=0, description="Energy of the colony in year 1 [kWh] (None: not priced)."
    )
    co2e_t_today: float | None = Field(
        None, ge=0, description="CO2e of today's servers in year 1 [t] (None: not priced)."
    )
    co2e_t_colony: float | None = Field(
        None, ge=0, description="CO2e of the colony in year 1 [t] (None: not priced)."
    )
    npv_range: dict[str, float] = Field(
        default_factory=dict, description="NPV at the low/typical/high WLF bound."
    )
    example_prices_used: list[str] = Field(
        default_factory=list, description="Inputs taken from the illustrative example values."
    )
    unpriced: list[str] = Field(
        default_factory=list, description="Inputs not priced (counted as 0)."
    )


class CapacityRange(_Model):
    """A low / typical / high triple."""

    low: float = Field(description="Low bound.")
    typical: float = Field(description="Typical (as planned).")
    high: float = Field(description="High bound.")


class CapacityStep(_Model):
    """The colony at one step of the capacity plan (sums over the LPARs)."""

    month: int = Field(ge=0, description="Months after the study start.")
    date: dt.date = Field(description="The step's date.")
    guests: int = Field(ge=0, description="Guests after the events up to this step.")
    composite_peak_mips: CapacityRange = Field(description="Peak of the colony's composite [MIPS].")
    engines_needed: int = Field(ge=0, description="Engines the LPARs need (typical).")
    engines_installed: int = Field(ge=0, description="Engines of the plan as built.")
    engines_scheduled: int = Field(ge=0, description="Engines after the typical upgrades.")
    memory_needed_gib: float = Field(ge=0, description="Real storage needed (typical) [GiB].")
    memory_installed_gib: float = Field(
        ge=0, description="Real storage of the plan as built [GiB]."
    )
    fits: bool = Field(description="The plan as built holds the step.")


class CapacityUpgrade(_Model):
    """Capacity to add, where, when to order it, and why."""

    month: int = Field(ge=0, description="Months after the study start it is needed.")
    need_by: dt.date = Field(description="Date it must be installed.")
    order_by: dt.date = Field(description="need_by minus the lead time.")
    host: str = Field(description="LPAR id, 'new' (a new LPAR) or 'machine' (the next model).")
    add_engines: int = Field(ge=0, description="Engines to add.")
    add_memory_gib: float = Field(ge=0, description="Real storage to add [GiB].")
    reason: str = Field(description="What no longer fits.")


class CapacityExhaustion(_Model):
    """The first step the plan no longer holds, and why."""

    month: int = Field(ge=0, description="Months after the study start.")
    date: dt.date = Field(description="The step's date.")
    reason: str = Field(description="What no longer fits.")


class CapacityBacktest(_Model):
    """Backtest of a fitted forecast: projected vs actual weekly composite peak."""

    holdout_weeks: int = Field(ge=1, description="Weeks held out.")
    error_pct: float = Field(
        ge=0, description="Mean absolute error of the projected weekly peaks [%]."
    )
    naive_error_pct: float = Field(
        ge=0, description="The same for the seasonal-naive forecast [%]."
    )


class CapacityPlan(_Model):
    """The plan over time (``colonykit forecast``): exhaustion, machine maximum, upgrades."""

    growth_model_version: Literal[1] = Field(
        1, description="Version of the growth section's meaning."
    )
    method: Literal["planned", "fitted"] = Field(description="Planned rates or fitted history.")
    model: Literal["compound", "linear"] = Field(description="Growth model of planned rates.")
    annual_pct: CapacityRange = Field(description="Default annual growth [%/year].")
    start: dt.date = Field(description="Study start (month 0).")
    horizon_months: int = Field(ge=1, description="Months projected.")
    step_months: int = Field(ge=1, description="Months per step.")
    lead_time_months: int = Field(ge=0, description="Ordering and installation time [months].")
    increment_engines: int = Field(ge=1, description="Engines per upgrade step.")
    increment_memory_gib: float = Field(gt=0, description="Real storage per upgrade step [GiB].")
    steps: list[CapacityStep] = Field(default_factory=list, description="One per step.")
    exhaustion: CapacityExhaustion | None = Field(
        None, description="First step the plan as built no longer holds (typical)."
    )
    machine_max: CapacityExhaustion | None = Field(
        None, description="First step the machine model's maximum is exceeded (typical)."
    )
    upgrades: list[CapacityUpgrade] = Field(
        default_factory=list, description="Upgrade schedule (typical)."
    )
    upgrades_low: list[CapacityUpgrade] = Field(
        default_factory=list, description="Upgrade schedule at the low bound."
    )
    upgrades_high: list[CapacityUpgrade] = Field(
        default_factory=list, description="Upgrade schedule at the high bound."
    )
    backtest: CapacityBacktest | None = Field(None, description="Backtest (fitted forecasts).")
    notes: list[str] = Field(default_factory=list, description="What the projection assumed.")


class ColonyPlan(_Model):
    """The provisioning document: ``apiVersion: colonykit/v1``, ``kind: ColonyPlan``."""

    apiVersion: Literal["colonykit/v1"] = Field(API_VERSION, description="Document version.")
    kind: Literal["ColonyPlan"] = Field(PLAN_KIND, description="Document kind.")
    metadata: Metadata = Field(description="Who made the plan, from what.")
    images: list[Image] = Field(default_factory=list, description="Shared read-only images.")
    networks: list[Network] = Field(
        default_factory=list, description="Virtual switches or bridges."
    )
    hosts: list[Host] = Field(default_factory=list, description="LPARs or hosts with their guests.")
    evidence: Evidence = Field(description="Why the plan has the size it has.")
    findings: list[Finding] = Field(default_factory=list, description="Coded check results.")
    business_case: BusinessCase | None = Field(
        None, description="The business case, when the scenario has a 'costs' section."
    )
    capacity_plan: CapacityPlan | None = Field(
        None, description="The plan over time (scenario growth: section; colonykit forecast)."
    )

    def guests(self) -> list[tuple[Host, Guest]]:
        """Every (host, guest) pair in plan order."""
        return [(h, g) for h in self.hosts for g in h.guests]


def plan_guest_count(plan: ColonyPlan) -> int:
    """Number of guests in a plan.

    Parameters
    ----------
    plan : ColonyPlan
        The plan.

    Examples
    --------
    >>> from colonykit.plan import build_plan
    >>> plan_guest_count(build_plan("data/examples/scenario.yaml").plan)
    26
    """
    return sum(len(h.guests) for h in plan.hosts)


__all__ = [
    "API_VERSION",
    "PLAN_KIND",
    "SCENARIO_KIND",
    "Hex4",
    "Userid",
    "Volser",
    "GuestName",
    "Ident",
    "Scalar",
    "DasdModel",
    "Severity",
    "Metadata",
    "ZvmDisk",
    "XenImage",
    "NfsExport",
    "Image",
    "ZvmNetwork",
    "XenNetwork",
    "Network",
    "Capacity",
    "Rules",
    "HostIO",
    "Link",
    "NicRef",
    "Profile",
    "StorageItem",
    "ZvmGuest",
    "XenGuest",
    "GuestNic",
    "Guest",
    "Host",
    "EvidenceItem",
    "Assumption",
    "Evidence",
    "Finding",
    "ColonyPlan",
    "plan_guest_count",
]
