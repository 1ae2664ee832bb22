"""The plan document: ``apiVersion: colonykit/v1``, ``kind: ColonyPlan``.

Defined once, here, as pydantic v2 models with ``extra="forbid"``;
:mod:`colonykit.export` writes and reads it as YAML and ships its JSON Schema,
:mod:`colonykit.render` turns it into files for the provisioning tools.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from colonykit import patterns as pt
from colonykit.limits import (
    MAX_CORES,
    MAX_CYLINDERS,
    MAX_GUEST_MEMORY_MIB,
    MAX_TABLE_VALUE,
    MAX_VCPUS,
)

API_VERSION = "colonykit/v1"
PLAN_KIND = "ColonyPlan"
SCENARIO_KIND = "ColonyScenario"

Hex4 = Annotated[str, StringConstraints(pattern=r"^[0-9A-F]{4}$")]
Userid = pt.Userid
Volser = pt.Volser
GuestName = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")]
Ident = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$")]
Scalar = bool | int | float | str | None
DasdModel = Literal["3390-1", "3390-2", "3390-3", "3390-9", "3390-27", "3390-54"]
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
    platform: Literal["zvm", "xen"]
    volume_model: DasdModel = Field(
        "3390-9", description="3390 model of the minidisk volumes.")
    scenario: str = Field("", description="Scenario file the plan came from.")
    inputs_sha256: str = Field("", description="SHA-256 of the scenario and its input files.")


class ZvmDisk(_Model):
    """Where a minidisk lives on z/VM."""

    owner: Userid | None = Field(None, description="Userid owning a shared minidisk.")
    vdev: Hex4
    devtype: Literal["3390"] = "3390"
    volser: Volser
    start_cyl: int = Field(ge=1, le=MAX_CYLINDERS, description="First cylinder (cylinder 0 holds the label).")
    count_cyl: int = Field(ge=1, le=MAX_CYLINDERS, description="Size in 3390 cylinders.")


class XenImage(_Model):
    """A file or block device holding a Xen disk image."""

    target: pt.AbsPath = Field(description="Path of the image on the host.")
    format: Literal["raw", "qcow", "qcow2", "vhd", "qed"] = "raw"


class NfsExport(_Model):
    """An NFS export (Xen NFS root)."""

    server: pt.HostName
    export: pt.AbsPath
    options: pt.MountOptions = ""


class Image(_Model):
    """A shared read-only disk: z/VM base minidisk or Xen root image."""

    id: Ident
    role: pt.Word
    mount: pt.MountPoint
    access: Literal["ro"] = "ro"
    fs: pt.FsType = ""
    size_mib: int = Field(ge=0, description="Size [MiB] (rounded up).")
    size_cyl: int | None = Field(None, ge=1, description="Size [3390 cylinders] (z/VM).")
    zvm: ZvmDisk | None = None
    xen: XenImage | None = None


class ZvmNetwork(_Model):
    vswitch: Annotated[str, StringConstraints(pattern=r"^[A-Z0-9$#@]{1,8}$")]
    nic_type: Literal["QDIO", "HIPERS"] = "QDIO"


class XenNetwork(_Model):
    bridge: pt.IfName


class Network(_Model):
    """A virtual switch (z/VM) or bridge (Xen)."""

    id: Ident
    cidr: pt.Cidr | None = None
    zvm: ZvmNetwork | None = None
    xen: XenNetwork | None = None


class Capacity(_Model):
    """Real resources of one host or LPAR."""

    cpus: int = Field(ge=1, le=MAX_CORES, description="Real engines (IFLs for z/VM, cores for Xen).")
    cpu_type: pt.CpuType = "IFL"
    memory_gib: float = Field(gt=0, description="Real storage [GiB].")
    paging_gib: float = Field(0.0, ge=0, description="Paging space on DASD [GiB] (z/VM).")
    paging_volumes: int = Field(0, ge=0, description="Paging volumes.")
    paging_volume_model: DasdModel = "3390-9"
    mips_usable: float | None = Field(
        None, ge=0, description="Guest MIPS the host carries at its target utilization after CP "
        "and idle-guest overhead (z/VM; None when not sized in MIPS).")
    composite_peak_mips: float | None = Field(
        None, ge=0, description="Peak over time of the placed guests' summed MIPS series.")
    composite_p95_mips: float | None = Field(
        None, ge=0, description="95th percentile over time of the placed guests' summed MIPS series.")


class Rules(_Model):
    """Limits a host is checked against."""

    max_memory_overcommit_ratio: float = Field(gt=0, description="Σ guest virtual ÷ real storage.")
    paging_rule: str = "velocity"  # paging.DEFAULT_RULE (docs/io.md: why); "sg24-6824" still loads
    channel_max_busy_pct: float = Field(50.0, gt=0, le=100)
    vdisk_syslim_blocks: int | None = Field(
        None, ge=0, description="SET VDISK SYSLIM of the LPAR [512-byte blocks] (CK020); None: not checked.")
    tdisk_space_cyl: int | None = Field(
        None, ge=0, description="TDISK space of the LPAR [cyl] (CK021); None: not checked.")


class HostIO(_Model):
    """DASD I/O load of a host, for the channel-busy check."""

    io_rate_per_s: float = Field(ge=0)
    connect_ms: float = Field(gt=0)
    paths: int = Field(1, ge=1)


class Link(_Model):
    image: Ident
    vdev: Hex4
    mode: Literal["RR", "R"] = "RR"


class NicRef(_Model):
    network: Ident
    vdev: Hex4


class Profile(_Model):
    """A z/VM directory PROFILE included by every colony member."""

    name: Userid
    links: list[Link] = Field(default_factory=list)
    nics: list[NicRef] = Field(default_factory=list)


class StorageItem(_Model):
    """One disk of a guest.

    ``kind``: ``shared`` (the read-only image ``image``: LINK … RR / xl ``access=ro``),
    ``mdisk`` (private minidisk at ``volser``/``start_cyl``), ``tdisk`` (temporary disk),
    ``vdisk`` (FB-512 V-DISK in storage, ``size_mib`` × 2048 blocks), ``image`` (private Xen
    image at ``target``), ``nfs`` (NFS root at ``target``).
    """

    id: Ident
    role: pt.Word
    kind: Literal["shared", "mdisk", "tdisk", "vdisk", "image", "nfs"]
    access: Literal["ro", "rw"]
    vdev: Annotated[str, StringConstraints(pattern=r"^(?:[0-9A-F]{4}|xvd[a-z]{1,2}|nfs)$")] = Field(
        description="z/VM virtual device (4 hex digits), Xen vdev (xvda…) or 'nfs'.")
    mount: pt.MountPoint = ""
    fs: pt.FsType = ""
    image: Ident | None = None
    size_mib: int | None = Field(None, ge=1, le=int(MAX_TABLE_VALUE))
    size_cyl: int | None = Field(None, ge=1, le=MAX_CYLINDERS)
    volser: Volser | None = None
    start_cyl: int | None = Field(None, ge=1, le=MAX_CYLINDERS)
    pool: pt.DiskPool | None = None
    target: pt.StorageTarget | None = None


class ZvmGuest(_Model):
    """z/VM specifics of a guest (USER entry)."""

    userid: Userid
    password: pt.Password = "XXXXXXXX"
    profile: Userid | None = None
    ipl: pt.IplTarget = Field(description="IPL device (vdev) or NSS name.")
    machine: Literal["ESA", "XA", "XC", "Z"] = "ESA"
    privclass: pt.PrivClass = "G"
    options: list[pt.OptionKeyword] = Field(default_factory=list)
    namesave: list[pt.NssName] = Field(default_factory=list, description="Restricted NSS/DCSS names.")


class XenGuest(_Model):
    """Xen specifics of a domU (xl.cfg)."""

    type: Literal["pv", "pvh", "hvm"] = "pvh"
    kernel: pt.AbsPath | None = None
    ramdisk: pt.AbsPath | None = None
    root: pt.KernelArgs | None = None
    extra: pt.KernelArgs | None = None


class GuestNic(_Model):
    network: Ident
    vdev: pt.Vdev | None = None
    ip: pt.IpAddress | None = None
    mac: pt.MacAddress | None = None


class Guest(_Model):
    """One Linux guest (z/VM virtual machine or Xen domU)."""

    name: GuestName
    source_server: str = ""
    vcpus: int = Field(ge=1, le=MAX_VCPUS)
    max_vcpus: int = Field(ge=1, le=MAX_VCPUS)
    memory_mib: int = Field(ge=1, le=MAX_GUEST_MEMORY_MIB)
    max_memory_mib: int = Field(ge=1, le=MAX_GUEST_MEMORY_MIB)
    share_relative: int = Field(100, ge=1, le=10000)
    mips_sized: float = Field(0.0, ge=0, description="MIPS the sizing gave this guest.")
    peak_mips: float | None = Field(
        None, ge=0, description="Peak of the guest's own measured MIPS series (typical bound).")
    zvm: ZvmGuest | None = None
    xen: XenGuest | None = None
    storage: list[StorageItem] = Field(default_factory=list)
    network: list[GuestNic] = Field(default_factory=list)
    tags: dict[str, str] = Field(default_factory=dict)


class Host(_Model):
    """A z/VM LPAR or Xen host with its guests."""

    id: Ident
    platform: Literal["zvm", "xen"]
    capacity: Capacity
    rules: Rules
    io: HostIO | None = None
    profiles: list[Profile] = Field(default_factory=list)
    guests: list[Guest] = Field(default_factory=list)


class EvidenceItem(_Model):
    """One piece of sizing evidence; ``evaluated: false`` says it was not computed and why."""

    evaluated: bool
    applicable: bool = True
    method: str = ""
    source: str = ""
    note: str = ""
    values: dict[str, Scalar] = Field(default_factory=dict)


class Assumption(_Model):
    name: str
    value: Scalar = None
    unit: str = ""
    source: str = ""


class Evidence(_Model):
    """Why the plan has the size it has."""

    sizing: EvidenceItem
    white_space: EvidenceItem
    paging: EvidenceItem
    channels: EvidenceItem
    design: EvidenceItem
    memory: EvidenceItem = Field(default_factory=lambda: EvidenceItem(evaluated=False, note="not computed"))
    assumptions: list[Assumption] = Field(default_factory=list)


class Finding(_Model):
    """A coded check result (see the module docstring for the codes)."""

    code: Annotated[str, StringConstraints(pattern=r"^CK[0-9]{3}$")]
    severity: Severity
    message: str
    path: str = ""


class ColonyPlan(_Model):
    """The provisioning document: ``apiVersion: colonykit/v1``, ``kind: ColonyPlan``."""

    apiVersion: Literal["colonykit/v1"] = API_VERSION
    kind: Literal["ColonyPlan"] = PLAN_KIND
    metadata: Metadata
    images: list[Image] = Field(default_factory=list)
    networks: list[Network] = Field(default_factory=list)
    hosts: list[Host] = Field(default_factory=list)
    evidence: Evidence
    findings: list[Finding] = Field(default_factory=list)

    def guests(self) -> list[tuple[Host, Guest]]:
        """Every (host, guest) pair in plan order."""
        return [(h, g) for h in self.hosts for g in h.guests]



def plan_guest_count(plan: ColonyPlan) -> int:
    """Number of guests in a plan.

    Examples
    --------
    >>> from colonykit.plan import build_plan
    >>> plan_guest_count(build_plan("data/examples/scenario.yaml").plan)
    26
    """
    return sum(len(h.guests) for h in plan.hosts)
