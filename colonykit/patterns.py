"""Patterns for every plan/scenario field that reaches a rendered provisioning file.

A plan is handed to tools that act with privilege (DirMaint, Feilong, xl, Ansible), and
their files are line- and separator-oriented: a newline in ``privclass`` starts a new
directory statement, a quote in a path ends an ``xl.cfg`` string.  Every field a renderer
writes therefore has a pattern here that admits only the values its target accepts, and
no value that could change the structure of the file (line breaks, quotes, commas,
``=``, brackets, blanks where the format separates tokens by blanks).

Each constant is a regular expression (anchored with ``\\A`` … ``\\Z``, so a trailing
newline does not slip through as it would with ``$``) with its source; the ``Annotated``
types apply them in pydantic models.

Sources
-------
* z/VM directory statements (USER, IPL, OPTION, NAMESAVE, MDISK): IBM z/VM CP Planning
  and Administration, "Creating and Updating a User Directory", summarised in
  ../shared/reference/provisioning-formats.md §1a; userids and NSS names are 1-8
  characters of A-Z 0-9 @ # $.
* Feilong ``POST /guests``: ``userid`` ``^[a-zA-Z0-9]{1,8}$``, ``disk_pool`` "ECKD:pool" or
  "FBA:pool" (provisioning-formats.md §1b).
* Volume serial: the 6-character VOL1 label field (IBM DFSMS "Using Data Sets", standard
  volume label).
* Xen ``xl.cfg`` / ``xl-disk-configuration``: a disk spec is ``key=value`` pairs
  separated by commas, the target last (provisioning-formats.md §1c).
* MAC address: IEEE 802 EUI-48 in colon-separated hex, as ``xl.cfg`` ``vif mac=`` reads it.
* Linux interface (bridge) names: at most 15 characters (``IFNAMSIZ`` = 16 with the NUL).

Examples
--------
>>> import re
>>> bool(re.match(USERID, "LNX001")), bool(re.match(USERID, "LNX001\\nLINK"))
(True, False)
>>> option_keywords_ok(["APPLMON", "CHPIDV ONE"]), option_keywords_ok(["APPLMON\\nLINK MAINT"])
(True, False)
"""

from __future__ import annotations

import copy
import functools
import ipaddress
import re
from typing import Annotated, Any

from pydantic import AfterValidator, GetJsonSchemaHandler, WithJsonSchema
from pydantic_core import CoreSchema

#: z/VM userid (USER statement, Feilong ``userid``): 1-8 of A-Z 0-9 @ # $.
USERID = r"\A[A-Z0-9$#@]{1,8}\Z"
#: NSS / DCSS name (IPL, NAMESAVE): same alphabet and length as a userid.
NSS_NAME = USERID
#: Volume serial (VOL1 label): 1-6 of A-Z 0-9 @ # $.
VOLSER = r"\A[A-Z0-9$#@]{1,6}\Z"
#: USER statement password: 1-8 of A-Z a-z 0-9 @ # $ (or NOLOG/AUTOONLY/LBYONLY, same alphabet).
PASSWORD = r"\A[A-Za-z0-9$#@]{1,8}\Z"
#: CP privilege classes: letters A-Z and digits 1-6, each at most once, 1-32 of them.
PRIVCLASS = r"\A(?!.*(.).*\1)[A-Z1-6]{1,32}\Z"
#: Virtual device number (4 hex digits, upper case as the directory writes them).
VDEV = r"\A[0-9A-F]{4}\Z"
#: IPL target: a virtual device number (1-4 hex) or an NSS name.
IPL_TARGET = r"\A(?:[0-9A-F]{1,4}|[A-Z0-9$#@]{1,8})\Z"
#: Feilong disk pool: ``ECKD:name`` or ``FBA:name``.
DISK_POOL = r"\A(?:ECKD|FBA):[A-Za-z0-9$#@_-]{1,16}\Z"
#: MAC address (EUI-48, colon form).
MAC = r"\A[0-9a-fA-F]{2}(?::[0-9a-fA-F]{2}){5}\Z"
#: Absolute POSIX path without blanks, quotes, commas, ``=``, brackets, backslashes or
#: control characters (safe inside xl.cfg strings and disk specs, YAML and JSON).
ABS_PATH = r"\A/[A-Za-z0-9._+@%~/-]*\Z"
#: Where a private disk lives: an absolute path, or ``host:/path`` for an NFS root.
STORAGE_TARGET = r"\A(?:[A-Za-z0-9][A-Za-z0-9.:-]{0,252}:)?/[A-Za-z0-9._+@%~/-]*\Z"
#: Host name or IP address (NFS server).
HOST = r"\A[A-Za-z0-9](?:[A-Za-z0-9.:-]{0,252})\Z"
#: Mount options: ``key[=value]`` separated by commas (NFS ``vers=3,ro``).
MOUNT_OPTIONS = (
    r"\A(?:[A-Za-z0-9_]+(?:=[A-Za-z0-9_.:/-]+)?(?:,[A-Za-z0-9_]+(?:=[A-Za-z0-9_.:/-]+)?)*)?\Z"
)
#: Linux network interface / bridge name.
IFNAME = r"\A[A-Za-z0-9_.-]{1,15}\Z"
#: Kernel command line (xl.cfg ``extra``/``root``): printable, blank-separated, no quotes
#: or backslashes (xl.cfg strings are quoted).
KERNEL_ARGS = r"\A[A-Za-z0-9_=.,:/@+ -]{0,1024}\Z"
#: Mount point: an absolute path, ``swap`` or empty.
MOUNT_POINT = r"\A(?:/[A-Za-z0-9._+@%~/-]*|swap|)\Z"
#: File system type (``ext4``, ``xfs``, ``swap``).
FS_TYPE = r"\A[a-z0-9]{0,16}\Z"
#: Short lower-case word (storage/image roles, group names).
WORD = r"\A[a-z][a-z0-9_-]{0,31}\Z"
#: Processor type of a host (IFL, CP, zIIP …; x86 for Xen).
CPU_TYPE = r"\A[A-Za-z0-9]{1,8}\Z"

#: OPTION directory statement operands colonykit may write (IBM z/VM CP Planning and
#: Administration, "OPTION Directory Statement").  ``CPUID``, ``LANG``, ``MAXCONN`` and
#: ``CHPIDV`` take one value token.
OPTION_KEYWORDS: frozenset[str] = frozenset(
    {
        "ACCT",
        "APPLMON",
        "BMX",
        "CFUSER",
        "CFVM",
        "COMSRV",
        "CONCEAL",
        "D84NOPAS",
        "DEVINFO",
        "DEVMAINT",
        "DIAG88",
        "DIAG98",
        "LKFAC",
        "LNKEXCLU",
        "LNKNOPAS",
        "LNKSTABL",
        "MAINTCCW",
        "MIH",
        "NETACCOUNTING",
        "NOMDCFS",
        "QUICKDSP",
        "RMCHINFO",
        "SETORIG",
        "STGEXEMPT",
        "SVC76",
        "SVCACCL",
        "SVCOFF",
        "TODENABLE",
        "VCUNOSHR",
        "XMEM",
    }
)
#: OPTION operands that take one value (``MAXCONN 64``, ``CHPIDV ONE``).
OPTION_WITH_VALUE: frozenset[str] = frozenset(
    {"CPUID", "LANG", "MAXCONN", "CHPIDV", "CHPIDVIRTUALIZATION"}
)
_OPTION_VALUE = re.compile(r"\A[A-Z0-9]{1,8}\Z")


def option_keywords_ok(options: list[str]) -> bool:
    """True when every entry is a known OPTION operand (with its one value where it takes one).

    Parameters
    ----------
    options : list of str
        z/VM directory ``OPTION`` operands.

    Examples
    --------
    >>> option_keywords_ok(["QUICKDSP", "MAXCONN 64"]), option_keywords_ok(["LINK"])
    (True, False)
    """
    return all(_option_problem(o) is None for o in options)


def _option_problem(option: str) -> str | None:
    parts = option.split(" ")
    if len(parts) == 1 and parts[0] in OPTION_KEYWORDS:
        return None
    if len(parts) == 2 and parts[0] in OPTION_WITH_VALUE and _OPTION_VALUE.match(parts[1]):
        return None
    return (
        f"an OPTION operand from {sorted(OPTION_KEYWORDS)} or one of "
        f"{sorted(OPTION_WITH_VALUE)} followed by one value, separated by one blank"
    )


def _check_option(option: str) -> str:
    problem = _option_problem(option)
    if problem is not None:
        msg = problem
        raise ValueError(msg)
    return option


@functools.lru_cache(maxsize=1 << 16)
def _is_ip(text: str) -> bool:
    """Whether ``text`` parses as an interface address (kept per text: a plan rebuilt with a new
    layout validates the same 1,000 addresses again)."""
    try:
        ipaddress.ip_interface(text)
    except ValueError:
        return False
    return True


def _check_ip(text: str) -> str:
    if not _is_ip(text):
        msg = "an IPv4 or IPv6 address (optionally with /prefix)"
        raise ValueError(msg)
    return text


def _check_cidr(text: str) -> str:
    try:
        ipaddress.ip_network(text, strict=False)
    except ValueError:
        msg = "a network in CIDR form such as 10.1.0.0/16"
        raise ValueError(msg) from None
    return text


def _check_path(text: str) -> str:
    if "/../" in f"{text}/" or "/./" in f"{text}/" or "//" in text:
        msg = "a normalised absolute path (no '.', '..' or '//')"
        raise ValueError(msg)
    return text


class _FreshJsonSchema(WithJsonSchema):
    """pydantic's ``WithJsonSchema`` that hands out a copy of its schema on each call.

    pydantic 2.6 returns the annotation's own dict, and the schema generator then
    writes a field's ``default`` and ``description`` into it, so a type shared by two
    fields leaks one field's default into the other on the next call (the declared
    minimum, pydantic 2.6.0, generated two different schemas in one process).
    """

    def __get_pydantic_json_schema__(
        self, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> dict[str, Any]:
        schema = super().__get_pydantic_json_schema__(core_schema, handler)
        return copy.deepcopy(schema)

    def __hash__(self) -> int:
        return super().__hash__()


def _schema(regex: str) -> _FreshJsonSchema:
    # JSON Schema patterns (ECMA 262) have no \A \Z: the same expression with ^ $ (a
    # schema validator refuses a trailing newline because ECMA '$' is end of input).
    return _FreshJsonSchema(
        {"type": "string", "pattern": regex.replace(r"\A", "^").replace(r"\Z", "$")}
    )


def _exact(regex: str, what: str) -> AfterValidator:
    compiled = re.compile(regex)

    def check(text: str) -> str:
        if not compiled.match(text):
            raise ValueError(what)
        return text

    return AfterValidator(check)


def _typed(regex: str, what: str, *more: AfterValidator, schema: str | None = None) -> Any:
    """``Annotated[str, …]``: checked with Python ``re`` (exact message), pattern in the schema."""
    return Annotated[str, _exact(regex, what), *more, _schema(schema or regex)]


Userid = _typed(USERID, "1-8 characters A-Z 0-9 @ # $")
NssName = Userid
Volser = _typed(VOLSER, "1-6 characters A-Z 0-9 @ # $")
Password = _typed(PASSWORD, "1-8 characters A-Z a-z 0-9 @ # $")
PrivClass = _typed(
    PRIVCLASS, "1-32 privilege classes A-Z 1-6, each once", schema=r"\A[A-Z1-6]{1,32}\Z"
)
Vdev = _typed(VDEV, "4 hex digits (0-9 A-F)")
IplTarget = _typed(
    IPL_TARGET, "a device number (1-4 hex digits) or an NSS name (1-8 A-Z 0-9 @ # $)"
)
OptionKeyword = Annotated[
    str,
    AfterValidator(_check_option),
    _FreshJsonSchema({"type": "string", "pattern": "^[A-Z0-9]{1,16}( [A-Z0-9]{1,8})?$"}),
]
DiskPool = _typed(DISK_POOL, "ECKD:<pool> or FBA:<pool>")
MacAddress = _typed(MAC, "a MAC address such as 02:00:00:ab:cd:ef")
AbsPath = _typed(
    ABS_PATH, "an absolute path of letters, digits and . _ + @ % ~ - /", AfterValidator(_check_path)
)
StorageTarget = _typed(
    STORAGE_TARGET, "an absolute path, or host:/path for NFS", AfterValidator(_check_path)
)
HostName = _typed(HOST, "a host name or IP address")
MountOptions = _typed(MOUNT_OPTIONS, "mount options key[=value] separated by commas")
IfName = _typed(IFNAME, "1-15 characters A-Z a-z 0-9 _ . -")
KernelArgs = _typed(KERNEL_ARGS, "kernel arguments without quotes, backslashes or line breaks")
MountPoint = _typed(MOUNT_POINT, "an absolute path, 'swap' or ''")
FsType = _typed(FS_TYPE, "a file system type such as ext4")
Word = _typed(WORD, "a lower-case word (a-z 0-9 _ -)")
CpuType = _typed(CPU_TYPE, "1-8 letters or digits")
IpAddress = Annotated[
    str,
    AfterValidator(_check_ip),
    _FreshJsonSchema({"type": "string", "pattern": "^[0-9A-Fa-f.:/]{2,43}$"}),
]
Cidr = Annotated[
    str,
    AfterValidator(_check_cidr),
    _FreshJsonSchema({"type": "string", "pattern": "^[0-9A-Fa-f.:/]{2,43}$"}),
]

#: Characters that change the structure of a line-, quote- or separator-oriented file.
STRUCTURAL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\"'\\,=\[\]]")

__all__ = [
    "ansible_group",
    "ABS_PATH",
    "CPU_TYPE",
    "DISK_POOL",
    "FS_TYPE",
    "HOST",
    "IFNAME",
    "IPL_TARGET",
    "KERNEL_ARGS",
    "MAC",
    "MOUNT_OPTIONS",
    "MOUNT_POINT",
    "STORAGE_TARGET",
    "NSS_NAME",
    "OPTION_KEYWORDS",
    "OPTION_WITH_VALUE",
    "PASSWORD",
    "PRIVCLASS",
    "STRUCTURAL",
    "USERID",
    "VDEV",
    "VOLSER",
    "WORD",
    "AbsPath",
    "Cidr",
    "CpuType",
    "DiskPool",
    "FsType",
    "HostName",
    "IfName",
    "IpAddress",
    "IplTarget",
    "KernelArgs",
    "MacAddress",
    "MountOptions",
    "MountPoint",
    "NssName",
    "OptionKeyword",
    "Password",
    "PrivClass",
    "StorageTarget",
    "Userid",
    "Vdev",
    "Volser",
    "Word",
    "option_keywords_ok",
]


# --------------------------------------------------------------------------- field rules
def _bounded(kind: type, low: float, high: float) -> Any:
    from pydantic import Field

    return Annotated[kind, Field(ge=low, le=high)]


def _rules() -> dict[tuple[str, str], Any]:
    """(model class name, field) -> the type its value must have (pattern or bound)."""
    from colonykit import limits as lim

    ident = _typed(
        r"\A[A-Za-z0-9][A-Za-z0-9._-]{0,62}\Z", "a name of letters, digits and . _ - (1-63)"
    )
    maxv = lim.MAX_TABLE_VALUE
    return {
        # plan document
        ("Metadata", "design"): ident,
        ("ZvmDisk", "start_cyl"): _bounded(int, 1, lim.MAX_CYLINDERS),
        ("ZvmDisk", "count_cyl"): _bounded(int, 1, lim.MAX_CYLINDERS),
        ("XenImage", "target"): AbsPath,
        ("NfsExport", "server"): HostName,
        ("NfsExport", "export"): AbsPath,
        ("NfsExport", "options"): MountOptions,
        ("Image", "role"): Word,
        ("Image", "mount"): MountPoint,
        ("Image", "fs"): FsType,
        ("XenNetwork", "bridge"): IfName,
        ("Network", "cidr"): Cidr | None,
        ("Capacity", "cpu_type"): CpuType,
        ("Capacity", "cpus"): _bounded(int, 1, lim.MAX_CORES),
        ("StorageItem", "role"): Word,
        ("StorageItem", "mount"): MountPoint,
        ("StorageItem", "fs"): FsType,
        ("StorageItem", "pool"): DiskPool | None,
        ("StorageItem", "target"): StorageTarget | None,
        ("StorageItem", "size_cyl"): _bounded(int, 1, lim.MAX_CYLINDERS) | None,
        ("StorageItem", "start_cyl"): _bounded(int, 1, lim.MAX_CYLINDERS) | None,
        ("StorageItem", "size_mib"): _bounded(int, 1, int(maxv)) | None,
        ("ZvmGuest", "password"): Password,
        ("ZvmGuest", "ipl"): IplTarget,
        ("ZvmGuest", "privclass"): PrivClass,
        ("ZvmGuest", "options"): list[OptionKeyword],
        ("ZvmGuest", "namesave"): list[NssName],  # type: ignore[valid-type]
        ("XenGuest", "kernel"): AbsPath | None,
        ("XenGuest", "ramdisk"): AbsPath | None,
        ("XenGuest", "root"): KernelArgs | None,
        ("XenGuest", "extra"): KernelArgs | None,
        ("GuestNic", "vdev"): Vdev | None,
        ("GuestNic", "ip"): IpAddress | None,
        ("GuestNic", "mac"): MacAddress | None,
        ("Guest", "vcpus"): _bounded(int, 1, lim.MAX_VCPUS),
        ("Guest", "max_vcpus"): _bounded(int, 1, lim.MAX_VCPUS),
        ("Guest", "memory_mib"): _bounded(int, 1, lim.MAX_GUEST_MEMORY_MIB),
        ("Guest", "max_memory_mib"): _bounded(int, 1, lim.MAX_GUEST_MEMORY_MIB),
        # scenario
        ("ScenarioTarget", "cpus_per_host"): _bounded(int, 1, lim.MAX_CORES) | None,
        ("ScenarioTarget", "memory_gib_per_host"): _bounded(float, 0, maxv) | None,
        ("ScenarioTarget", "paging_gib_per_host"): _bounded(float, 0, maxv) | None,
        ("ScenarioRules", "max_memory_overcommit_ratio"): _bounded(float, 0, maxv) | None,
        ("GuestOverride", "vcpus"): _bounded(int, 1, lim.MAX_VCPUS) | None,
        ("GuestOverride", "max_vcpus"): _bounded(int, 1, lim.MAX_VCPUS) | None,
        ("GuestOverride", "memory_mib"): _bounded(int, 1, lim.MAX_GUEST_MEMORY_MIB) | None,
        ("GuestOverride", "max_memory_mib"): _bounded(int, 1, lim.MAX_GUEST_MEMORY_MIB) | None,
        ("ScenarioGuests", "password"): Password,
        ("ScenarioGuests", "options"): list[OptionKeyword],
        ("ScenarioGuests", "extra_vcpus"): _bounded(int, 0, lim.MAX_VCPUS),
        ("ScenarioGuests", "max_memory_ratio"): _bounded(float, 1, maxv) | None,
        ("ScenarioNetwork", "cidr"): Cidr,
        ("ScenarioNetwork", "bridge"): IfName,
        ("ScenarioStorage", "disk_pool"): DiskPool,
        ("ScenarioStorage", "image_dir"): AbsPath,
        ("ScenarioStorage", "nfs_server"): HostName,
        ("ScenarioStorage", "nfs_export_dir"): AbsPath,
        ("ScenarioStorage", "nfs_options"): MountOptions,
        ("ScenarioStorage", "xen_kernel"): AbsPath,
        ("ScenarioStorage", "xen_ramdisk"): AbsPath | None,
        ("ScenarioIO", "io_rate_per_s"): _bounded(float, 0, maxv),
        ("ScenarioIO", "connect_ms"): _bounded(float, 0, maxv),
        ("ScenarioIO", "paths_per_host"): _bounded(int, 1, 256),
    }


_ADAPTERS: dict[tuple[str, str], Any] = {}


def field_problems(obj: Any, where: str = "", path: str = "") -> list[str]:
    """Every value of a plan or scenario (pydantic models) that breaks its field's pattern or bound.

    The same rules the plan schema applies to a document read from YAML, applied to a model
    however it was built (in Python, by :func:`colonykit.plan.build_plan`, by a widget),
    so nothing that could change a rendered file's structure reaches a renderer.

    Parameters
    ----------
    obj : pydantic.BaseModel
        A plan or scenario model (or any part of one).
    where : str, optional
        The document's source, for the messages.
    path : str, optional
        Dotted path of ``obj`` inside the document (for recursion).

    Examples
    --------
    >>> from colonykit import plan
    >>> p = plan.build_plan("data/examples/scenario.yaml").plan
    >>> field_problems(p)
    []
    >>> g = p.hosts[0].guests[0]
    >>> g.zvm.__dict__["options"] = ["APPLMON\\nLINK MAINT 0190 0190 MW"]
    >>> print(field_problems(p, "plan")[0].split(" must be")[0])
    'hosts.0.guests.0.zvm.options.0'
    """
    from pydantic import BaseModel, TypeAdapter, ValidationError

    from colonykit.errors import must_be

    if not _ADAPTERS:
        _ADAPTERS.update({k: TypeAdapter(t) for k, t in _rules().items()})
    problems: list[str] = []
    stack: list[tuple[Any, str]] = [(obj, path)]
    while stack:
        item, at = stack.pop()
        if isinstance(item, BaseModel):
            cls = type(item).__name__
            for name in type(item).model_fields:
                value = getattr(item, name)
                here = f"{at}.{name}" if at else name
                adapter = _ADAPTERS.get((cls, name))
                if adapter is not None:
                    try:
                        adapter.validate_python(value, strict=False)
                    except ValidationError as exc:
                        for err in exc.errors():
                            loc = ".".join(
                                str(p)
                                for p in err["loc"]
                                if not isinstance(p, str) or p not in ("function-after[check()]",)
                            )
                            full = here + (f".{loc}" if loc and loc[0].isdigit() else "")
                            msg = (
                                str(err["msg"])
                                .removeprefix("Value error, ")
                                .removeprefix("Input should be ")
                            )
                            got = "<redacted>" if name == "password" else err.get("input")
                            problems.append(must_be(full, msg, got, where or None))
                            break
                        continue
                if isinstance(value, BaseModel | list | dict):
                    stack.append((value, here))
        elif isinstance(item, list):
            stack.extend(
                (v, f"{at}.{i}")
                for i, v in enumerate(item)
                if isinstance(v, BaseModel | list | dict)
            )
        elif isinstance(item, dict):
            stack.extend(
                (v, f"{at}.{k}") for k, v in item.items() if isinstance(v, BaseModel | list | dict)
            )
    if hasattr(obj, "hosts") and hasattr(obj, "images"):
        problems += reference_problems(obj, where)
    return sorted(problems)


#: Fields each storage kind needs before a renderer can write it.
STORAGE_NEEDS: dict[str, tuple[str, ...]] = {
    "shared": ("image",),
    "mdisk": ("volser", "start_cyl", "size_cyl"),
    "tdisk": ("size_cyl",),
    "vdisk": ("size_mib",),
    "image": ("target",),
    "nfs": ("target",),
}


#: What a minidisk on an EDEV (``volume_model: EDEV``) needs instead of cylinders.
EDEV_MDISK_NEEDS = ("volser", "start_block", "size_blocks")


def reference_problems(doc: Any, where: str = "") -> list[str]:
    """Storage items that lack what their kind needs, or name an image the plan does not have.

    Parameters
    ----------
    doc : ColonyPlan
        The plan document.
    where : str, optional
        Its source, for the messages.

    Examples
    --------
    >>> from colonykit import plan
    >>> p = plan.build_plan("data/examples/scenario.yaml").plan
    >>> p.hosts[0].guests[0].storage[0].__dict__["image"] = "nope"
    >>> print(reference_problems(p, "p.yaml")[0].split(" (got")[0].split(" images")[0])
    'hosts.0.guests.0.storage.0.image' must be one of the plan's
    """
    from colonykit.errors import must_be

    images = [im.id for im in doc.images]
    problems: list[str] = []
    for h, host in enumerate(doc.hosts):
        for g, guest in enumerate(host.guests):
            for k, item in enumerate(guest.storage):
                at = f"hosts.{h}.guests.{g}.storage.{k}"
                needs = STORAGE_NEEDS.get(item.kind, ())
                if item.kind == "mdisk" and getattr(item, "volume_model", None) == "EDEV":
                    needs = EDEV_MDISK_NEEDS  # an FB-512 minidisk on an EDEV: blocks
                for need in needs:
                    if getattr(item, need, None) in (None, ""):
                        problems.append(
                            must_be(
                                f"{at}.{need}",
                                f"given for a {item.kind!r} disk",
                                getattr(item, need, None),
                                where or None,
                            )
                        )
                if item.kind == "shared" and item.image and item.image not in images:
                    problems.append(
                        must_be(
                            f"{at}.image",
                            f"one of the plan's images {images}",
                            item.image,
                            where or None,
                        )
                    )
    return problems


def ansible_group(text: str) -> str:
    """An Ansible group name for a host, LPAR or role: ``[A-Za-z0-9_]`` only, lower case.

    Two ids with the same group name would be merged into one Ansible group (CK035).

    Parameters
    ----------
    text : str
        A host, LPAR or role name.

    Examples
    --------
    >>> ansible_group("LPAR-1")
    'lpar_1'
    """
    return re.sub(r"[^A-Za-z0-9_]", "_", text).lower()
