"""Plan assembly: scenario (YAML) → sized, checked :class:`ColonyPlan`.

The plan document (``apiVersion: colonykit/v1``, ``kind: ColonyPlan``) is defined once,
here, as pydantic v2 models with ``extra="forbid"``; :mod:`colonykit.export` writes and
reads it as YAML and ships its JSON Schema, :mod:`colonykit.render` turns it into z/VM
directory entries, Feilong bodies, Xen ``xl.cfg`` files and an Ansible inventory.

The orchestrator :func:`build_plan` takes a :class:`Scenario` (inventory and/or traces,
target processor, design, headroom and rules) and

1. sizes the CPU with :func:`colonykit.sizing.size_inventory` (MIPS range, engines);
2. takes the white space from the traces (:mod:`colonykit.whitespace`) when given;
3. lays out the chosen design (:mod:`colonykit.designs`): shared images owned by a base
   userid, per-guest minidisks placed on volumes (:func:`colonykit.storage.allocate_minidisks`),
   T-disk / VDISK swap, links, NICs;
4. sizes paging per host (:func:`colonykit.paging.paging_space`) and channel busy
   (:func:`colonykit.channels.channel_load`) when those modules and inputs are present —
   otherwise the evidence says "not evaluated", nothing is guessed;
5. checks the plan (:func:`check_plan`) and returns coded findings.

Finding codes
-------------
======  ========  ==========================================================
code    severity  meaning
======  ========  ==========================================================
CK001   error     a guest has more vCPUs than its host has real engines
CK002   error     memory overcommit of a host over the limit
CK003   error     paging space below the paging rule
CK004   warning   channel busy over the target
CK005   error     a guest's memory exceeds its host's real storage
CK006   error     duplicate userid (or guest name) in the plan
CK007   error     duplicate virtual device number within a guest
CK008   error     a VDISK larger than 4,194,296 blocks
CK009   error     a link/shared disk names an image that does not exist
CK010   error     two guests hold the same read-write disk
CK011   error     vcpus > max_vcpus or memory_mib > max_memory_mib
CK012   warning   part of the evidence could not be evaluated
CK013   error     a minidisk extent runs past the end of its volume or overlaps another
======  ========  ==========================================================

Examples
--------
>>> from colonykit import plan
>>> scen = plan.load_scenario("data/examples/scenario.yaml")
>>> result = plan.build_plan(scen)
>>> result.plan.kind, result.plan.apiVersion
('ColonyPlan', 'colonykit/v1')
>>> sum(len(h.guests) for h in result.plan.hosts)
26
"""

from __future__ import annotations

import difflib
import hashlib
import ipaddress
import json
import math
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from colonykit import (
    __version__,
    channels,
    designs,
    memory,
    packing,
    paging,
    reference,
    sizing,
    staggering,
    storage,
    whitespace,
)
from colonykit._yaml import load_yaml
from colonykit.errors import InputError, must_be, raise_problems
from colonykit.units import BYTES_PER_GIB, FBA_BLOCKS_PER_MIB, MIB_PER_GIB

API_VERSION = "colonykit/v1"
PLAN_KIND = "ColonyPlan"
SCENARIO_KIND = "ColonyScenario"

Hex4 = Annotated[str, StringConstraints(pattern=r"^[0-9A-F]{4}$")]
Userid = Annotated[str, StringConstraints(pattern=r"^[A-Z0-9$#@]{1,8}$")]
Volser = Annotated[str, StringConstraints(pattern=r"^[A-Z0-9$#@]{1,6}$")]
GuestName = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")]
Ident = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$")]
Scalar = bool | int | float | str | None
DasdModel = Literal["3390-1", "3390-2", "3390-3", "3390-9", "3390-27", "3390-54"]
Severity = Literal["error", "warning"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


# =========================================================================== plan document
class Metadata(_Model):
    """Who made the plan, from what."""

    name: Ident = Field(description="Plan name.")
    revision: int = Field(1, ge=1, description="Bumped by the planner on each edit.")
    generated_by: str = Field(description="colonykit version that produced the plan.")
    design: str = Field(description="Colony design (see `colonykit designs`).")
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
    start_cyl: int = Field(ge=1, description="First cylinder (cylinder 0 holds the label).")
    count_cyl: int = Field(ge=1, description="Size in 3390 cylinders.")


class XenImage(_Model):
    """A file or block device holding a Xen disk image."""

    target: str = Field(min_length=1, description="Path of the image on the host.")
    format: Literal["raw", "qcow", "qcow2", "vhd", "qed"] = "raw"


class NfsExport(_Model):
    """An NFS export (Xen NFS root)."""

    server: str = Field(min_length=1)
    export: str = Field(min_length=1)
    options: str = ""


class Image(_Model):
    """A shared read-only disk: z/VM base minidisk or Xen root image."""

    id: Ident
    role: str
    mount: str
    access: Literal["ro"] = "ro"
    fs: str = ""
    size_mib: int = Field(ge=0, description="Size [MiB] (rounded up).")
    size_cyl: int | None = Field(None, ge=1, description="Size [3390 cylinders] (z/VM).")
    zvm: ZvmDisk | None = None
    xen: XenImage | None = None


class ZvmNetwork(_Model):
    vswitch: Annotated[str, StringConstraints(pattern=r"^[A-Z0-9$#@]{1,8}$")]
    nic_type: Literal["QDIO", "HIPERS"] = "QDIO"


class XenNetwork(_Model):
    bridge: str = Field(min_length=1)


class Network(_Model):
    """A virtual switch (z/VM) or bridge (Xen)."""

    id: Ident
    cidr: str | None = None
    zvm: ZvmNetwork | None = None
    xen: XenNetwork | None = None


class Capacity(_Model):
    """Real resources of one host or LPAR."""

    cpus: int = Field(ge=1, description="Real engines (IFLs for z/VM, cores for Xen).")
    cpu_type: str = "IFL"
    memory_gib: float = Field(gt=0, description="Real storage [GiB].")
    paging_gib: float = Field(0.0, ge=0, description="Paging space on DASD [GiB] (z/VM).")
    paging_volumes: int = Field(0, ge=0, description="Paging volumes.")
    paging_volume_model: DasdModel = "3390-9"


class Rules(_Model):
    """Limits a host is checked against."""

    max_memory_overcommit_ratio: float = Field(gt=0, description="Σ guest virtual ÷ real storage.")
    paging_rule: str = "sg24-6824"
    channel_max_busy_pct: float = Field(50.0, gt=0, le=100)


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
    role: str
    kind: Literal["shared", "mdisk", "tdisk", "vdisk", "image", "nfs"]
    access: Literal["ro", "rw"]
    vdev: Annotated[str, StringConstraints(pattern=r"^(?:[0-9A-F]{4}|xvd[a-z]{1,2}|nfs)$")] = Field(
        description="z/VM virtual device (4 hex digits), Xen vdev (xvda…) or 'nfs'.")
    mount: str = ""
    fs: str = ""
    image: Ident | None = None
    size_mib: int | None = Field(None, ge=1)
    size_cyl: int | None = Field(None, ge=1)
    volser: Volser | None = None
    start_cyl: int | None = Field(None, ge=1)
    pool: str | None = None
    target: str | None = None


class ZvmGuest(_Model):
    """z/VM specifics of a guest (USER entry)."""

    userid: Userid
    password: str = Field("XXXXXXXX", min_length=1, max_length=8)
    profile: Userid | None = None
    ipl: str = Field(min_length=1, description="IPL device (vdev) or NSS name.")
    machine: Literal["ESA", "XA", "XC", "Z"] = "ESA"
    privclass: str = "G"
    options: list[str] = Field(default_factory=list)
    namesave: list[str] = Field(default_factory=list, description="Restricted NSS/DCSS names.")


class XenGuest(_Model):
    """Xen specifics of a domU (xl.cfg)."""

    type: Literal["pv", "pvh", "hvm"] = "pvh"
    kernel: str | None = None
    ramdisk: str | None = None
    root: str | None = None
    extra: str | None = None


class GuestNic(_Model):
    network: Ident
    vdev: str | None = None
    ip: str | None = None
    mac: str | None = None


class Guest(_Model):
    """One Linux guest (z/VM virtual machine or Xen domU)."""

    name: GuestName
    source_server: str = ""
    vcpus: int = Field(ge=1)
    max_vcpus: int = Field(ge=1)
    memory_mib: int = Field(ge=1)
    max_memory_mib: int = Field(ge=1)
    share_relative: int = Field(100, ge=1, le=10000)
    mips_sized: float = Field(0.0, ge=0, description="MIPS the sizing gave this guest.")
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


# =========================================================================== scenario
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


# =========================================================================== validation errors
def _all_keys(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """Field names valid at ``loc`` (for 'did you mean' hints)."""
    current: Any = model
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        fields = getattr(current, "model_fields", None)
        if not fields or part not in fields:
            return []
        ann = fields[part].annotation
        inner = [a for a in getattr(ann, "__args__", (ann,)) if isinstance(a, type)]
        models = [a for a in inner if issubclass(a, BaseModel)]
        if not models:
            args = [a for a in getattr(ann, "__args__", ()) if isinstance(a, type) and issubclass(a, BaseModel)]
            models = args
        if not models:
            # dict[str, Model] / list[Model]
            for a in getattr(ann, "__args__", ()):
                for b in getattr(a, "__args__", (a,)):
                    if isinstance(b, type) and issubclass(b, BaseModel):
                        models.append(b)
        if not models:
            return []
        current = models[0]
    return list(getattr(current, "model_fields", {}))


def validation_problems(exc: ValidationError, where: str, model: type[BaseModel]) -> list[str]:
    """Turn a pydantic error into colonykit problem lines naming the YAML path.

    Examples
    --------
    >>> try:
    ...     ScenarioTarget.model_validate({"hosts": 0, "memory_gb_per_host": 8})
    ... except ValidationError as e:
    ...     for line in validation_problems(e, "s.yaml", ScenarioTarget):
    ...         print(line)
    'hosts' must be greater than or equal to 1 (got 0) at s.yaml
    'memory_gb_per_host' must be a known key (unknown key; did you mean 'memory_gib_per_host'?) at s.yaml
    """
    problems = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        path = ".".join(str(p) for p in loc) or "(document)"
        if err["type"] == "extra_forbidden":
            valid = _all_keys(model, loc)
            close = difflib.get_close_matches(str(loc[-1]), valid, n=1, cutoff=0.6)
            hint = f"did you mean {close[0]!r}?" if close else f"valid keys: {sorted(valid)}"
            problems.append(f"'{path}' must be a known key (unknown key; {hint}) at {where}")
            continue
        msg = str(err["msg"])
        msg = re.sub(r"^(Input should be|Value error,|String should)\s*", "", msg)
        if err["type"] == "missing":
            problems.append(f"'{path}' must be given (required key is missing) at {where}")
            continue
        got = err.get("input")
        problems.append(must_be(path, msg, got, where))
    return problems


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


# =========================================================================== checks
def _finding(code: str, severity: Severity, message: str, path: str) -> Finding:
    return Finding(code=code, severity=severity, message=message, path=path)


def _paging_required_gib(host: Host, images: Mapping[str, Image]) -> tuple[float, str]:
    virt = [g.memory_mib for g in host.guests]
    vdisk = sum(s.size_mib or 0 for g in host.guests for s in g.storage if s.kind == "vdisk")
    res = paging.paging_space(virt, host.capacity.memory_gib * MIB_PER_GIB, vdisk_mib=vdisk,
                              rule=host.rules.paging_rule)
    return float(res.paging_gib), str(res.rule)


def _channel_busy(io: HostIO, max_busy_pct: float) -> dict[str, float]:
    r = channels.channel_load(io.io_rate_per_s, io.connect_ms, paths=io.paths, max_busy_pct=max_busy_pct)
    return {"busy_pct": float(r.busy_pct), "per_path_busy_pct": float(r.per_path_busy_pct),
            "paths_needed": float(r.paths_needed)}


def check_plan(plan: ColonyPlan, *, vdisk_max_blocks: int | None = None) -> list[Finding]:
    """Check a plan (built or hand-edited) and return coded findings.

    Parameters
    ----------
    plan : ColonyPlan
    vdisk_max_blocks : int, optional
        Largest VDISK [512-byte blocks] (default ``plan_vdisk_max_blocks`` = 4,194,296).

    Returns
    -------
    list of Finding
        Sorted by code, then path.

    Examples
    --------
    >>> res = build_plan(load_scenario("data/examples/scenario.yaml"))
    >>> p = res.plan.model_copy(deep=True)
    >>> p.hosts[0].guests[1].zvm.userid = p.hosts[0].guests[0].zvm.userid
    >>> [f.code for f in check_plan(p) if f.code == "CK006"]
    ['CK006']
    """
    max_blocks = int(vdisk_max_blocks if vdisk_max_blocks is not None
                     else reference.constant("plan_vdisk_max_blocks"))
    out: list[Finding] = []
    images = {im.id: im for im in plan.images}
    userids: Counter[str] = Counter()
    names: Counter[str] = Counter()
    rw_owner: dict[tuple[str, ...], str] = {}
    extents: dict[str, list[tuple[int, int, str]]] = {}
    for im in plan.images:
        if im.zvm is not None:
            extents.setdefault(im.zvm.volser, []).append(
                (im.zvm.start_cyl, im.zvm.start_cyl + im.zvm.count_cyl - 1, f"images[{im.id}]"))
    for hi, host in enumerate(plan.hosts):
        hp = f"hosts[{hi}]"
        cap = host.capacity
        virt_mib = sum(g.memory_mib for g in host.guests)
        real_mib = cap.memory_gib * MIB_PER_GIB
        ratio = virt_mib / real_mib if real_mib > 0 else math.inf
        if ratio > host.rules.max_memory_overcommit_ratio + 1e-12:
            out.append(_finding("CK002", "error",
                                f"host {host.id}: memory overcommit {ratio:.2f}:1 (Σ guest virtual "
                                f"{virt_mib} MiB ÷ real {real_mib:.0f} MiB) is over the limit "
                                f"{host.rules.max_memory_overcommit_ratio:g}:1", f"{hp}.capacity.memory_gib"))
        if host.platform == "zvm" and host.guests:
            need, rule = _paging_required_gib(host, images)
            if cap.paging_gib + 1e-9 < need:
                out.append(_finding("CK003", "error",
                                    f"host {host.id}: paging space {cap.paging_gib:g} GiB is below "
                                    f"the {rule} rule ({need:.2f} GiB)", f"{hp}.capacity.paging_gib"))
        if host.io is not None:
            busy = _channel_busy(host.io, host.rules.channel_max_busy_pct)
            if busy["per_path_busy_pct"] > host.rules.channel_max_busy_pct + 1e-9:
                out.append(_finding("CK004", "warning",
                                    f"host {host.id}: channel busy {busy['per_path_busy_pct']:.1f}% per "
                                    f"path over the {host.rules.channel_max_busy_pct:g}% target "
                                    f"({int(busy['paths_needed'])} paths needed, {host.io.paths} planned)",
                                    f"{hp}.io"))
        for pr_i, pr in enumerate(host.profiles):
            for lk_i, lk in enumerate(pr.links):
                if lk.image not in images:
                    out.append(_finding("CK009", "error", f"profile {pr.name}: LINK to unknown image "
                                        f"{lk.image!r}", f"{hp}.profiles[{pr_i}].links[{lk_i}]"))
        for gi, g in enumerate(host.guests):
            gp = f"{hp}.guests[{gi}]"
            names[g.name] += 1
            if g.zvm is not None:
                userids[g.zvm.userid] += 1
            if g.vcpus > cap.cpus:
                out.append(_finding("CK001", "error", f"guest {g.name}: {g.vcpus} vCPUs > {cap.cpus} "
                                    f"real engines of host {host.id}", f"{gp}.vcpus"))
            if g.vcpus > g.max_vcpus or g.memory_mib > g.max_memory_mib:
                out.append(_finding("CK011", "error", f"guest {g.name}: vcpus/memory above its maximum "
                                    f"({g.vcpus}/{g.max_vcpus} vCPUs, {g.memory_mib}/{g.max_memory_mib} MiB)",
                                    gp))
            if g.memory_mib > real_mib:
                out.append(_finding("CK005", "error", f"guest {g.name}: {g.memory_mib} MiB is more than "
                                    f"the {real_mib:.0f} MiB real storage of host {host.id}",
                                    f"{gp}.memory_mib"))
            vdevs = Counter(s.vdev.upper() for s in g.storage) + Counter(
                (n.vdev or "").upper() for n in g.network if n.vdev)
            dup = sorted(v for v, n in vdevs.items() if n > 1)
            if dup:
                out.append(_finding("CK007", "error", f"guest {g.name}: duplicate virtual device(s) {dup}",
                                    f"{gp}.storage"))
            for si, s in enumerate(g.storage):
                sp = f"{gp}.storage[{si}]"
                if s.kind == "vdisk":
                    blocks = (s.size_mib or 0) * FBA_BLOCKS_PER_MIB
                    if blocks > max_blocks:
                        out.append(_finding("CK008", "error", f"guest {g.name}: VDISK {s.vdev} of "
                                            f"{s.size_mib} MiB = {blocks:,} blocks is over the "
                                            f"{max_blocks:,}-block maximum", sp))
                if s.kind == "shared":
                    if s.image not in images:
                        out.append(_finding("CK009", "error", f"guest {g.name}: disk {s.vdev} names "
                                            f"unknown image {s.image!r}", sp))
                    if s.access == "rw":
                        out.append(_finding("CK010", "error", f"guest {g.name}: shared image "
                                            f"{s.image!r} linked read-write", sp))
                if s.access == "rw" and s.kind in ("mdisk", "image", "nfs"):
                    key = (s.kind, s.volser or "", str(s.start_cyl or ""), s.target or "") \
                        if s.kind == "mdisk" else (s.kind, s.target or f"{g.name}:{s.id}")
                    other = rw_owner.get(key)
                    if other is not None and other != g.name:
                        out.append(_finding("CK010", "error", f"guests {other} and {g.name} both hold "
                                            f"read-write disk {'/'.join(k for k in key if k)}", sp))
                    rw_owner[key] = g.name
                if s.kind == "mdisk" and s.volser and s.start_cyl and s.size_cyl:
                    extents.setdefault(s.volser, []).append(
                        (s.start_cyl, s.start_cyl + s.size_cyl - 1, sp))
    for uid, n in sorted(userids.items()):
        if n > 1:
            out.append(_finding("CK006", "error", f"userid {uid} is used by {n} guests", "hosts"))
    for name, n in sorted(names.items()):
        if n > 1:
            out.append(_finding("CK006", "error", f"guest name {name} is used {n} times", "hosts"))
    # minidisk extents: inside the volume, no overlaps (sorted per volume, vectorised)
    for volser, ext in sorted(extents.items()):
        arr = np.array([(a, b) for a, b, _ in ext], dtype=np.int64)
        order = np.argsort(arr[:, 0], kind="stable")
        s = arr[order]
        overlap = np.flatnonzero(s[1:, 0] <= s[:-1, 1])
        if overlap.size:
            i = int(order[overlap[0] + 1])
            out.append(_finding("CK013", "error", f"volume {volser}: extents overlap "
                                f"({ext[i][2]} starts at cylinder {ext[i][0]})", ext[i][2]))
    model = plan.metadata.volume_model
    last = storage.geometry(model).cylinders - 1
    for volser, ext in sorted(extents.items()):
        too_far = [e for e in ext if e[1] > last]
        for e in too_far[:1]:
            out.append(_finding("CK013", "error", f"volume {volser}: extent {e[0]}-{e[1]} runs past "
                                f"cylinder {last} of a {model}", e[2]))
    for section in ("sizing", "white_space", "paging", "channels", "design", "memory"):
        item: EvidenceItem = getattr(plan.evidence, section)
        if item.applicable and not item.evaluated:
            out.append(_finding("CK012", "warning", f"{section} not evaluated: {item.note}",
                                f"evidence.{section}"))
    return sorted(out, key=lambda f: (f.code, f.path, f.message))


# =========================================================================== orchestration
@dataclass(frozen=True)
class ColonyPlanResult:
    """Result of :func:`build_plan`.

    Attributes
    ----------
    plan : ColonyPlan
        The checked plan (``plan.findings`` holds the findings).
    design : colonykit.designs.Design
    comparison : pandas.DataFrame
        :func:`colonykit.designs.compare` for this colony's guest count.
    sizing : object or None
        The :class:`colonykit.sizing.SizingResult` (None without an inventory).
    scenario : Scenario
    extras : dict
        With traces: ``"whitespace"`` (:class:`colonykit.whitespace.WhiteSpaceResult`),
        ``"demand"`` (the wide demand frame), ``"staggering"`` and ``"packing"`` results when
        they could be evaluated, and ``"trace_notes"`` (one sentence each).
    """

    plan: ColonyPlan
    design: designs.Design
    comparison: pd.DataFrame
    sizing: Any
    scenario: Scenario
    extras: dict[str, Any] = field(default_factory=dict)

    @property
    def findings(self) -> list[Finding]:
        """The plan's findings."""
        return list(self.plan.findings)

    @property
    def has_errors(self) -> bool:
        """True when a finding has severity ``error``."""
        return any(f.severity == "error" for f in self.plan.findings)

    def findings_frame(self) -> pd.DataFrame:
        """Findings as a frame (code, severity, message, path)."""
        return pd.DataFrame([f.model_dump() for f in self.plan.findings],
                            columns=["code", "severity", "message", "path"])

    def guests_frame(self) -> pd.DataFrame:
        """One row per guest: host, name, userid, vCPUs, memory, disks."""
        rows = []
        for h, g in self.plan.guests():
            rows.append({"host": h.id, "guest": g.name, "userid": g.zvm.userid if g.zvm else "",
                         "source_server": g.source_server, "vcpus": g.vcpus, "memory_mib": g.memory_mib,
                         "mips_sized": g.mips_sized,
                         "disks": ", ".join(f"{s.vdev}:{s.kind}" for s in g.storage)})
        return pd.DataFrame(rows)

    def summary(self) -> str:
        """A few lines for the terminal."""
        p = self.plan
        n = sum(len(h.guests) for h in p.hosts)
        lines = [f"plan {p.metadata.name}: design {p.metadata.design} ({p.metadata.platform}), "
                 f"{len(p.hosts)} host(s), {n} guests, {len(p.images)} shared image(s)"]
        for h in p.hosts:
            virt = sum(g.memory_mib for g in h.guests)
            lines.append(f"  {h.id}: {h.capacity.cpus} {h.capacity.cpu_type}, "
                         f"{h.capacity.memory_gib:g} GiB real, {virt / MIB_PER_GIB:.1f} GiB guest virtual, "
                         f"paging {h.capacity.paging_gib:g} GiB on {h.capacity.paging_volumes} volume(s), "
                         f"{len(h.guests)} guests")
        errs = sum(f.severity == "error" for f in p.findings)
        warns = len(p.findings) - errs
        lines.append(f"findings: {errs} error(s), {warns} warning(s)")
        lines.extend(f"  {f.severity.upper():7s} {f.code} {f.message}" for f in p.findings)
        return "\n".join(lines)


def _not_evaluated(note: str, method: str = "") -> EvidenceItem:
    return EvidenceItem(evaluated=False, method=method, note=note)


def _clean(v: Any) -> Scalar:
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float) and not math.isfinite(v):
        return None
    if isinstance(v, bool | int | float | str) or v is None:
        return v
    return json.dumps(v, sort_keys=True, default=str)


def _inputs_sha256(scen: Scenario) -> str:
    h = hashlib.sha256()
    h.update(json.dumps(scen.model_dump(mode="json"), sort_keys=True).encode())
    for rel in [scen.inventory, scen.traces.path if scen.traces else None, scen.design.file]:
        if rel:
            p = scen.resolve(rel)
            if p.is_file():
                h.update(p.read_bytes())
    return h.hexdigest()


def _guest_rows(scen: Scenario, inv: pd.DataFrame, sizing_res: Any) -> pd.DataFrame:
    """One row per guest (inventory rows expanded by ``count``), with memory and vCPUs."""
    problems: list[str] = []
    frac = scen.guests.memory_from_source_frac
    if frac is None:
        frac = reference.constant("plan_memory_from_source_frac")
    max_ratio = scen.guests.max_memory_ratio or reference.constant("plan_max_memory_ratio")
    share = scen.guests.share_relative or int(reference.constant("plan_share_relative"))
    servers = sizing_res.servers.set_index("server") if sizing_res is not None else None
    bound = scen.target.sizing_bound
    engine = sizing_res.processor.engine_mips_1way if sizing_res is not None else math.nan
    unknown = sorted(set(scen.guests.per_server) - set(inv["server"].astype(str)))
    for name in unknown:
        problems.append(must_be(f"guests.per_server.{name}", f"a server of the inventory "
                                f"({sorted(inv['server'].astype(str))})", name, scen.source))
    rep = inv.loc[inv.index.repeat(inv["count"].astype(int))].reset_index(drop=True)
    rep["k"] = rep.groupby("server").cumcount() + 1
    mem = np.ceil(rep["memory_mib"].to_numpy(dtype=float) * frac)
    if servers is not None:
        mips = servers.loc[rep["server"], f"mips_{bound}"].to_numpy(dtype=float)
    else:
        mips = np.zeros(len(rep))
    vcpus = np.maximum(1, np.ceil(np.round(mips / engine, 9))) if servers is not None else np.ones(len(rep))
    if "cores" in rep:
        cores = rep["cores"].to_numpy(dtype=float)
        vcpus = np.where(np.isfinite(cores), np.minimum(vcpus, np.maximum(cores, 1)), vcpus)
    out = pd.DataFrame({
        "server": rep["server"].astype(str), "k": rep["k"], "role": rep["role"].astype(str),
        "workload_class": rep["workload_class"].astype(str), "memory_mib": mem, "vcpus": vcpus,
        "mips": mips,
    })
    out["max_memory_mib"] = np.ceil(out["memory_mib"] * max_ratio)
    out["max_vcpus"] = out["vcpus"] + scen.guests.extra_vcpus
    out["share_relative"] = share
    for name, ov in scen.guests.per_server.items():
        sel = out["server"] == name
        for col in ("memory_mib", "max_memory_mib", "vcpus", "max_vcpus", "share_relative"):
            val = getattr(ov, col)
            if val is not None:
                out.loc[sel, col] = val
        if ov.memory_mib is not None and ov.max_memory_mib is None:
            out.loc[sel, "max_memory_mib"] = np.ceil(ov.memory_mib * max_ratio)
        if ov.vcpus is not None and ov.max_vcpus is None:
            out.loc[sel, "max_vcpus"] = ov.vcpus + scen.guests.extra_vcpus
    missing = out["memory_mib"].isna()
    for server in sorted(set(out.loc[missing, "server"])):
        problems.append(must_be(f"memory_mib of server {server}", "given in the inventory or in "
                                f"guests.per_server.{server}.memory_mib", None, scen.source))
    raise_problems(problems, f"invalid scenario {scen.source}")
    return out


def _place(mips: np.ndarray, memory: np.ndarray, hosts: int) -> np.ndarray:
    """Greedy placement: guests largest-first onto the least-loaded host (by MIPS, then memory)."""
    order = np.lexsort((-memory, -mips))
    load = np.zeros((hosts, 2))
    where = np.empty(len(mips), dtype=np.int64)
    for i in order:  # one step per guest, vector argmin over hosts
        h = int(np.lexsort((load[:, 1], load[:, 0]))[0])
        where[i] = h
        load[h] += (mips[i], memory[i])
    return where


def _volsers(prefix: str, n: int) -> list[str]:
    width = 6 - len(prefix)
    return [f"{prefix}{i + 1:0{width}d}" for i in range(n)]


def build_plan(scenario: Scenario | str | Path, *, inventory: pd.DataFrame | None = None,
               demand: pd.DataFrame | None = None, stagger_traces: bool = True) -> ColonyPlanResult:
    """Assemble, size and check a colony plan.

    Parameters
    ----------
    scenario : Scenario or path
        A validated scenario (:func:`load_scenario`) or the path of its YAML.
    inventory : DataFrame, optional
        A canonical inventory frame instead of reading ``scenario.inventory``.
    demand : DataFrame, optional
        A wide demand frame instead of reading ``scenario.traces``.
    stagger_traces : bool
        With traces, also detect and stagger recurring spikes (``extras["staggering"]``).
        It depends on the traces only, so interactive callers compute it once and pass False.

    Returns
    -------
    ColonyPlanResult

    Raises
    ------
    InputError
        Invalid scenario or inputs (unknown design, design/platform mismatch, …).

    Examples
    --------
    >>> r = build_plan("data/examples/scenario.yaml")
    >>> r.plan.hosts[0].guests[0].zvm.userid
    'LNX00001'
    """
    scen = load_scenario(scenario) if isinstance(scenario, str | Path) else scenario
    try:
        return _build(scen, inventory, demand, stagger_traces)
    except ValidationError as exc:  # a value that passed the scenario but not the plan schema
        where = scen.source or "scenario"
        raise_problems(validation_problems(exc, f"{where} (plan assembly)", ColonyPlan),
                       f"invalid scenario {where}")
        raise  # pragma: no cover - raise_problems always raises here


def _build(scen: Scenario, inventory: pd.DataFrame | None,
           demand: pd.DataFrame | None, stagger_traces: bool = True) -> ColonyPlanResult:
    where = scen.source or "scenario"
    try:
        design = designs.get_design(scen.design.name, scen.design.overrides,
                                    scen.resolve(scen.design.file) if scen.design.file else None)
    except KeyError as exc:
        msg = f"{where}: 'design.name': {exc}"
        raise InputError(msg) from exc
    platform = design.platform
    assumptions: list[Assumption] = []

    # ---- inventory and sizing
    inv = inventory
    if inv is None:
        if not scen.inventory:
            msg = f"{where}: 'inventory' must be given (a server inventory CSV/Excel file)"
            raise InputError(msg)
        from colonykit.ingest import read_inventory

        inv, _meta = read_inventory(scen.resolve(scen.inventory))

    overrides: dict[str, Any] = {"basis": scen.target.basis, "smt": scen.target.smt}
    if scen.target.target_util_pct is not None:
        overrides["target_util_pct"] = scen.target.target_util_pct
    sizing_res = sizing.size_inventory(inv, scen.target.processor, **overrides)
    bound = scen.target.sizing_bound
    engines = sizing_res.engines
    sizing_ev = EvidenceItem(
        evaluated=True, method="workload factor (tpm/MIPS) sizing, seed 003 §2.4",
        source="colonykit.sizing.size_inventory",
        values={**{f"mips_{b}": float(sizing_res.total[f"mips_{b}"]) for b in sizing.BOUNDS},
                **{f"engines_{b}": int(engines[b]) for b in sizing.BOUNDS},
                "bound_used": bound, "processor": sizing_res.processor.model,
                "engine_mips_1way": float(sizing_res.processor.engine_mips_1way),
                "target_util_pct": float(sizing_res.options.target_util_pct),
                "basis": sizing_res.options.basis})
    for a in sizing_res.assumptions:
        assumptions.append(Assumption(name=f"sizing.{a['name']}", value=_clean(a["value"]),
                                      unit=str(a.get("unit", "")), source=str(a.get("source", ""))))

    # ---- white space from traces
    ws_ev = _not_evaluated("no traces in the scenario (inventory-only sizing)")
    ws = None
    if scen.traces is not None or demand is not None:
        if demand is None:
            from colonykit.ingest import read_traces

            demand, _m = read_traces(scen.resolve(scen.traces.path), unit=scen.traces.unit)
        kw = {}
        if scen.traces is not None and scen.traces.headroom_pct is not None:
            kw["headroom_pct"] = scen.traces.headroom_pct
        ws = whitespace.analyze(demand, **kw)
        ws_ev = EvidenceItem(
            evaluated=True, method="composite vs individual peaks, seed 003 §2.3",
            source="colonykit.whitespace.analyze",
            note="evidence only: guests are sized from the inventory (WLF); the traces show "
                 "how much of the sum of peaks the composite never uses",
            values={"white_space_pct": _clean(float(ws.white_space_pct)),
                    "sum_of_peaks": _clean(float(ws.sum_of_peaks)),
                    "composite_peak": _clean(float(ws.composite_peak)),
                    "composite_mean": _clean(float(ws.composite_mean)),
                    "unit": str(ws.unit), "servers": int(demand.shape[1])})

    # ---- guests and hosts
    rows = _guest_rows(scen, inv, sizing_res)
    n_hosts = scen.target.hosts
    n_guests = len(rows)
    place = _place(rows["mips"].to_numpy(float), rows["memory_mib"].to_numpy(float), n_hosts)
    cpus = scen.target.cpus_per_host or max(1, math.ceil(engines[bound] / n_hosts))
    max_ratio = scen.rules.max_memory_overcommit_ratio or reference.constant("overcommit_limit_ratio")
    busy_max = scen.rules.channel_max_busy_pct or reference.constant("channel_max_busy_pct")
    assumptions.extend([
        Assumption(name="max_memory_overcommit_ratio", value=float(max_ratio), unit="ratio",
                   source="input" if scen.rules.max_memory_overcommit_ratio else
                   str(reference.constants().loc["overcommit_limit_ratio", "source"])),
        Assumption(name="channel_max_busy_pct", value=float(busy_max), unit="pct",
                   source="input" if scen.rules.channel_max_busy_pct else
                   str(reference.constants().loc["channel_max_busy_pct", "source"])),
        Assumption(name="cpus_per_host", value=int(cpus), unit="engines",
                   source="input" if scen.target.cpus_per_host else
                   f"sizing: {engines[bound]} engines ({bound}) ÷ {n_hosts} host(s), rounded up"),
    ])
    consts = reference.constants()
    for cname in ("plan_memory_from_source_frac", "plan_max_memory_ratio", "plan_share_relative"):
        assumptions.append(Assumption(name=cname, value=float(consts.loc[cname, "value"]),
                                      unit=str(consts.loc[cname, "unit"]),
                                      source=str(consts.loc[cname, "source"])))

    # network
    net_cfg = scen.network
    try:
        netw = ipaddress.ip_network(net_cfg.cidr, strict=False)
    except ValueError as exc:
        raise InputError(must_be("network.cidr", "an IP network like 10.1.0.0/16", net_cfg.cidr,
                                 where)) from exc
    first = net_cfg.first_host or int(reference.constant("plan_first_host_offset"))
    if first + n_guests >= netw.num_addresses:
        raise InputError(must_be("network.cidr", f"large enough for {n_guests} guests from host "
                                 f"{first}", net_cfg.cidr, where))
    network = Network(id=net_cfg.id, cidr=str(netw),
                      zvm=ZvmNetwork(vswitch=net_cfg.vswitch) if platform == "zvm" else None,
                      xen=XenNetwork(bridge=net_cfg.bridge) if platform == "xen" else None)

    # shared images
    st = scen.storage
    owner = (design.owner or "LNXBASE").upper()
    shared = [c for c in design.components if c.shared and c.counted]
    skipped = [c for c in design.components if not c.counted]
    images: list[Image] = []
    if platform == "zvm" and shared:
        vol_of = storage.allocate_minidisks([c.size_cyl for c in shared], st.volume_model)
        starts = _starts(vol_of, np.array([c.size_cyl for c in shared]))
        base_volsers = _volsers(st.base_volser_prefix, int(vol_of.max()) + 1)
        for c, v, s0 in zip(shared, vol_of, starts, strict=True):
            images.append(Image(id=f"{design.name}-{c.id}", role=c.role, mount=c.mount, fs=c.fs,
                                size_mib=int(c.size_mib or 0), size_cyl=c.size_cyl,
                                zvm=ZvmDisk(owner=owner, vdev=c.vdev.upper(), volser=base_volsers[int(v)],
                                            start_cyl=int(s0), count_cyl=int(c.size_cyl or 1))))
    elif platform == "xen":
        for c in shared:
            images.append(Image(id=f"{design.name}-{c.id}", role=c.role, mount=c.mount, fs=c.fs,
                                size_mib=int(c.size_mib or 0),
                                xen=XenImage(target=f"{st.image_dir}/{design.name}-{c.id}.img")))
    image_of = {c.id: f"{design.name}-{c.id}" for c in shared}

    # per-guest minidisks on volumes (colony-wide, first-fit decreasing)
    private_md = [c for c in design.components if not c.shared and c.kind == "mdisk" and c.counted]
    md_sizes = np.tile(np.array([c.size_cyl for c in private_md], dtype=np.int64), n_guests)
    md_vol = storage.allocate_minidisks(md_sizes, st.volume_model) if md_sizes.size else np.array([])
    md_start = _starts(md_vol, md_sizes) if md_sizes.size else np.array([])
    volsers = _volsers(st.volser_prefix, int(md_vol.max()) + 1 if md_sizes.size else 0)

    width = 8 - len(scen.guests.userid_prefix)
    if platform == "zvm" and n_guests > 10**width - 1:
        raise InputError(must_be("guests.userid_prefix", f"at most {7 - len(str(n_guests))} characters "
                                 f"for {n_guests} guests (userids have 8 characters)",
                                 scen.guests.userid_prefix, where))
    hosts: list[Host] = []
    host_guests: list[list[Guest]] = [[] for _ in range(n_hosts)]
    ip_base = int(netw.network_address) + first
    for gi, r in enumerate(rows.itertuples(index=False)):
        name = re.sub(r"[^a-z0-9-]", "-", f"{r.server}-{int(r.k):02d}".lower()).strip("-")
        stor: list[StorageItem] = []
        mi = 0
        for c in design.components:
            if not c.counted:
                continue
            vdev = c.vdev.upper() if platform == "zvm" else c.vdev
            if c.shared:
                stor.append(StorageItem(id=c.id, role=c.role, kind="shared", access="ro", vdev=vdev,
                                        mount=c.mount, fs=c.fs, image=image_of[c.id]))
            elif c.kind == "mdisk":
                k = gi * len(private_md) + mi
                mi += 1
                stor.append(StorageItem(id=c.id, role=c.role, kind="mdisk", access="rw", vdev=vdev,
                                        mount=c.mount, fs=c.fs, size_cyl=c.size_cyl,
                                        size_mib=c.size_mib, volser=volsers[int(md_vol[k])],
                                        start_cyl=int(md_start[k]), pool=st.disk_pool))
            elif c.kind == "tdisk":
                stor.append(StorageItem(id=c.id, role=c.role, kind="tdisk", access="rw", vdev=vdev,
                                        mount=c.mount, size_cyl=c.size_cyl, size_mib=c.size_mib))
            elif c.kind == "vdisk":
                stor.append(StorageItem(id=c.id, role=c.role, kind="vdisk", access="rw", vdev=vdev,
                                        mount=c.mount, size_mib=c.size_mib))
            elif c.kind == "image":
                stor.append(StorageItem(id=c.id, role=c.role, kind="image", access="rw", vdev=vdev,
                                        mount=c.mount, fs=c.fs, size_mib=c.size_mib,
                                        target=f"{st.image_dir}/{name}-{c.id}.img"))
            elif c.kind == "nfs":
                stor.append(StorageItem(id=c.id, role=c.role, kind="nfs", access="rw", vdev="nfs",
                                        mount=c.mount, fs="nfs", size_mib=c.size_mib,
                                        target=f"{st.nfs_server}:{st.nfs_export_dir}/{name}"))
        ip = f"{ipaddress.ip_address(ip_base + gi)}/{netw.prefixlen}"
        zvm = xen = None
        if platform == "zvm":
            root = next((s for s in stor if s.role == "root"), stor[0])
            ipl = scen.guests.ipl_nss or (design.ipl_vdev.upper() if design.ipl_vdev else root.vdev)
            zvm = ZvmGuest(userid=f"{scen.guests.userid_prefix}{gi + 1:0{width}d}",
                           password=scen.guests.password, profile=scen.guests.profile, ipl=ipl,
                           options=list(scen.guests.options), namesave=list(scen.guests.namesave))
            nic = GuestNic(network=network.id, vdev=net_cfg.nic_vdev, ip=ip)
        else:
            nfs = next((s for s in stor if s.kind == "nfs"), None)
            if nfs is not None:
                srv, exp = nfs.target.split(":", 1)
                xen = XenGuest(kernel=st.xen_kernel, ramdisk=None, root="/dev/nfs",
                               extra=f"nfsroot={srv}:{exp},{st.nfs_options} ip=dhcp")
            else:
                rootdev = next((s.vdev for s in stor if s.role == "root"), "xvda")
                xen = XenGuest(kernel=st.xen_kernel, ramdisk=st.xen_ramdisk, root=f"/dev/{rootdev} ro")
            n_mac = gi + 1
            mac = f"00:16:3e:{(n_mac >> 16) & 0xFF:02x}:{(n_mac >> 8) & 0xFF:02x}:{n_mac & 0xFF:02x}"
            nic = GuestNic(network=network.id, ip=ip, mac=mac)
        g = Guest(name=name, source_server=r.server, vcpus=int(r.vcpus), max_vcpus=int(r.max_vcpus),
                  memory_mib=int(r.memory_mib), max_memory_mib=int(r.max_memory_mib),
                  share_relative=int(r.share_relative), mips_sized=float(round(r.mips, 6)),
                  zvm=zvm, xen=xen, storage=stor, network=[nic],
                  tags={"role": r.server, "workload_class": r.workload_class})
        host_guests[int(place[gi])].append(g)

    # hosts: memory, paging, I/O
    paging_notes: dict[str, Scalar] = {}
    paging_ev = EvidenceItem(evaluated=False, applicable=False,
                             note="not applicable: Xen hosts have no z/VM paging space") \
        if platform == "xen" else None
    chan_values: dict[str, Scalar] = {}
    chan_ev: EvidenceItem | None = None
    for hi in range(n_hosts):
        gs = host_guests[hi]
        virt_mib = sum(g.memory_mib for g in gs)
        mem_gib = scen.target.memory_gib_per_host or max(1.0, math.ceil(virt_mib / MIB_PER_GIB))
        hid = f"lpar{hi + 1}" if platform == "zvm" else f"xen{hi + 1}"
        rules = Rules(max_memory_overcommit_ratio=float(max_ratio), paging_rule=scen.rules.paging_rule,
                      channel_max_busy_pct=float(busy_max))
        io = None
        if scen.io is not None:
            share_frac = len(gs) / n_guests if n_guests else 0.0
            io = HostIO(io_rate_per_s=float(scen.io.io_rate_per_s * share_frac),
                        connect_ms=scen.io.connect_ms, paths=scen.io.paths_per_host)
        paging_gib = 0.0
        paging_vols = 0
        if platform == "zvm":
            vdisk = sum(s.size_mib or 0 for g in gs for s in g.storage if s.kind == "vdisk")
            pres = paging.paging_space([g.memory_mib for g in gs] or [0], mem_gib * MIB_PER_GIB,
                                       vdisk_mib=vdisk, rule=scen.rules.paging_rule)
            rule_gib = float(pres.paging_gib)
            paging_gib = float(scen.target.paging_gib_per_host) \
                if scen.target.paging_gib_per_host is not None else float(math.ceil(rule_gib))
            paging_notes[f"{hid}.rule_paging_gib"] = _clean(rule_gib)
            paging_notes[f"{hid}.vdisk_mib"] = int(vdisk)
            paging_ev = EvidenceItem(evaluated=True, method=f"paging rule {pres.rule}",
                                     source="colonykit.paging.paging_space", values=paging_notes)
            if paging_gib > 0:
                pages_per_vol = storage.page_slots_per_volume(scen.target.paging_volume_model)
                vol_gib = pages_per_vol * storage.page_bytes() / BYTES_PER_GIB
                paging_vols = math.ceil(round(paging_gib / vol_gib, 9))
        if io is not None:
            busy = _channel_busy(io, float(busy_max))
            chan_values.update({f"{hid}.{k}": _clean(v) for k, v in busy.items()})
            chan_values[f"{hid}.io_rate_per_s"] = _clean(io.io_rate_per_s)
            chan_ev = EvidenceItem(evaluated=True, method="channel busy = connect time × I/O rate "
                                   "(seed 003 §8.10.3)", source="colonykit.channels.channel_load",
                                   values=chan_values)
        profiles: list[Profile] = []
        if platform == "zvm":
            profiles.append(Profile(
                name=scen.guests.profile,
                links=[Link(image=image_of[c.id], vdev=c.vdev.upper(), mode="RR") for c in shared],
                nics=[NicRef(network=network.id, vdev=net_cfg.nic_vdev)]))
        hosts.append(Host(
            id=hid, platform=platform,
            capacity=Capacity(cpus=int(cpus), cpu_type="IFL" if platform == "zvm" else "core",
                              memory_gib=float(mem_gib), paging_gib=float(paging_gib),
                              paging_volumes=int(paging_vols),
                              paging_volume_model=scen.target.paging_volume_model),
            rules=rules, io=io, profiles=profiles, guests=gs))
    if chan_ev is None:
        chan_ev = _not_evaluated("no 'io' section in the scenario (I/O rate and connect time)")
    mem_values: dict[str, Scalar] = {}
    for h in hosts:
        virt = sum(g.memory_mib for g in h.guests)
        mem_values[f"{h.id}.guest_virtual_mib"] = int(virt)
        mem_values[f"{h.id}.real_mib"] = _clean(h.capacity.memory_gib * MIB_PER_GIB)
        mem_values[f"{h.id}.overcommit_ratio"] = _clean(float(
            memory.overcommit_ratio(virt, h.capacity.memory_gib * MIB_PER_GIB)))
    mem_values["max_memory_overcommit_ratio"] = float(max_ratio)
    mem_ev = EvidenceItem(evaluated=True, method="overcommit = Σ guest virtual ÷ real storage "
                          "(facts.md §5.2)", source="colonykit.memory.overcommit_ratio",
                          values=mem_values)
    if paging_ev is None:
        paging_ev = _not_evaluated("paging not sized")

    comparison = designs.compare(max(n_guests, 1), overrides={design.name: dict(scen.design.overrides)},
                                 path=scen.resolve(scen.design.file) if scen.design.file else None)
    row = comparison.loc[design.name]
    design_ev = EvidenceItem(
        evaluated=True, method=f"design {design.name} ({design.seed})", source=design.source,
        note="; ".join([f"component {c.id} ({c.mount}) has no size in {design.seed}: not in the plan"
                        for c in skipped]),
        values={"shared_gib": _clean(float(row["shared_gib"])),
                "per_guest_gib": _clean(float(row["per_guest_gib"])),
                "total_gib": _clean(float(row["total_gib"])),
                "saving_vs_dedicated_pct": _clean(float(row["saving_vs_dedicated_pct"])),
                "minidisk_volumes": len(volsers), "volume_model": st.volume_model,
                "vdisk_mib_per_guest": int(design.vdisk_mib_per_guest)})
    for p in design.parameters.values():
        assumptions.append(Assumption(name=f"design.{p.name}", value=p.value, unit=p.unit, source=p.source))

    plan_doc = ColonyPlan(
        metadata=Metadata(name=scen.name, generated_by=f"colonykit {__version__}", design=design.name,
                          platform=platform, volume_model=st.volume_model, scenario=scen.source, inputs_sha256=_inputs_sha256(scen)),
        images=images, networks=[network], hosts=hosts,
        evidence=Evidence(sizing=sizing_ev, white_space=ws_ev, paging=paging_ev, channels=chan_ev,
                          design=design_ev, memory=mem_ev, assumptions=assumptions),
    )
    plan_doc.findings = check_plan(plan_doc)
    extras: dict[str, Any] = {}
    if ws is not None:
        extras["whitespace"] = ws
        extras["demand"] = demand
        extras.update(_trace_extras(demand, ws, sizing_res, cpus, stagger=stagger_traces))
    return ColonyPlanResult(plan=plan_doc, design=design, comparison=comparison, sizing=sizing_res,
                            scenario=scen, extras=extras)


def _trace_extras(demand: pd.DataFrame, ws: Any, sizing_res: Any, cpus_per_host: int, *,
                  stagger: bool = True) -> dict[str, Any]:
    """Staggering and time-series packing of the traced workload (evidence beside the plan).

    - staggering: recurring daily spikes inside 00:00-06:00 detected with
      :func:`colonykit.staggering.detect_spikes` (its documented defaults) and moved by
      :func:`colonykit.staggering.stagger`;
    - packing (MIPS traces only): :func:`colonykit.packing.pack` onto LPARs of this plan's size
      (``cpus_per_host`` engines of the target at the sizing's target utilization).
    """
    out: dict[str, Any] = {"trace_notes": []}
    notes: list[str] = out["trace_notes"]
    if stagger:
        try:
            windows = staggering.detect_spikes(demand, "1D", earliest="00:00", latest="06:00")
            if windows:
                st = staggering.stagger(demand, windows)
                out["staggering"] = st
                notes.append(f"Staggering: {len(windows)} recurring spike(s) detected in 00:00-06:00 and "
                             f"moved; composite peak {st.peak_before:,.1f} -> {st.peak_after:,.1f} "
                             f"{ws.unit} ({st.method}).")
            else:
                notes.append("Staggering: no recurring spikes detected in 00:00-06:00 (nothing to move).")
        except (ValueError, KeyError) as exc:
            notes.append(f"Staggering not evaluated: {exc}")
    if str(ws.unit) == "mips":
        proc = sizing_res.processor
        smt = proc.smt_uplift_frac if sizing_res.options.smt else 0.0
        util = float(sizing_res.options.target_util_pct)
        # LPARs of this plan's size, or the smallest engine count that holds the largest traced server
        n = np.arange(cpus_per_host, max(cpus_per_host, proc.max_engines) + 1)
        cap = sizing.engine_capacity_mips(n, proc.engine_mips_1way, None, smt)
        fits = np.nonzero(cap * util / 100.0 >= float(np.nanmax(demand.to_numpy())))[0]
        engines_per_lpar = int(n[fits[0]]) if len(fits) else int(n[-1])
        host_mips = float(cap[fits[0]] if len(fits) else cap[-1])
        why = ("this plan's LPAR size" if engines_per_lpar == cpus_per_host
               else "the smallest LPAR that holds the largest traced server")
        try:
            pk = packing.pack(demand, host_mips, max_util_pct=util)
            out["packing"] = pk
            notes.append(f"Time-series packing of the {demand.shape[1]} traced servers onto LPARs of "
                         f"{engines_per_lpar} {proc.model} engines ({why}; {host_mips:,.0f} MIPS at "
                         f"{util:g}%): {pk.hosts_used} LPAR(s); lower bound {pk.lower_bound}; "
                         f"peak-based first-fit-decreasing {pk.ffd_peak_hosts}.")
        except (ValueError, KeyError) as exc:
            notes.append(f"Packing not evaluated: {exc}")
    else:
        notes.append(f"Packing not evaluated: traces are in {ws.unit}, not MIPS "
                     "(set traces.unit: mips with capacities to pack onto LPARs).")
    return out


def _starts(vol_of: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """First cylinder of each minidisk: per volume, in first-fit-decreasing order, from cylinder 1."""
    sizes = np.asarray(sizes, dtype=np.int64)
    order = np.lexsort((np.arange(sizes.size), -sizes, vol_of))  # volume, then size desc, stable
    s = sizes[order]
    v = np.asarray(vol_of)[order]
    csum = np.cumsum(s)
    first_of_vol = np.r_[True, v[1:] != v[:-1]]
    base = np.maximum.accumulate(np.where(first_of_vol, csum - s, 0))
    start_sorted = csum - s - base + storage.RESERVED_CYL
    out = np.empty_like(start_sorted)
    out[order] = start_sorted
    return out


def plan_guest_count(plan: ColonyPlan) -> int:
    """Number of guests in a plan.

    Examples
    --------
    >>> plan_guest_count(build_plan("data/examples/scenario.yaml").plan)
    26
    """
    return sum(len(h.guests) for h in plan.hosts)


__all__ = [
    "API_VERSION",
    "ColonyPlan",
    "ColonyPlanResult",
    "Finding",
    "Guest",
    "Host",
    "Image",
    "Scenario",
    "StorageItem",
    "build_plan",
    "check_plan",
    "load_scenario",
    "parse_scenario",
    "plan_guest_count",
    "validation_problems",
]
