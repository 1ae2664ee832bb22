"""A checker for z/VM source directory entries and SYSTEM CONFIG ``MODIFY VSWITCH … GRANT`` lines.

No public validator for the z/VM user directory exists outside z/VM (DIRECTXA runs on CP), so
this module checks what IBM's *z/VM CP Planning and Administration* ("Creating and Updating a
User Directory", the directory statements) says of the statements colonykit writes, and what the
seed examples show (seed 000: the LINXBASE and LNXGUEST entries):

* entries start with ``USER`` or ``PROFILE``; ``INCLUDE`` directly follows ``USER``; general
  statements (``CPU``, ``MACHINE``, ``IPL``, ``OPTION``, ``SHARE``, ``NAMESAVE``, ``ACCOUNT``)
  precede the device statements (``CONSOLE``, ``SPOOL``, ``LINK``, ``MDISK``, ``NICDEF``,
  ``DEDICATE``); a PROFILE holds no ``USER``-only statement;
* operand counts and ranges: userid, profile and password 1-8 characters, volser 1-6,
  storage ``n[KMG]`` with storage ≤ maximum, privilege classes ``A-Z1-6``, virtual device
  numbers 1-4 hex digits, CPU addresses 00-3F, ``MACHINE`` type and 1-64 CPUs, ``SHARE RELATIVE``
  1-10000, link and minidisk modes, V-DISK blocks within 1..4,194,296 (2 GiB minus 8 blocks);
* minidisk extents start at cylinder 1 or later (cylinder 0 holds the volume label), end
  inside the volume, and never overlap another extent on the same volume;
* every ``LINK`` target (user, device) is defined by an ``MDISK`` of that user (or named in
  ``external`` for disks defined elsewhere, such as ``MAINT 0190``);
* every ``NICDEF … LAN SYSTEM name`` of a user (directly or through its profile) has a
  ``MODIFY VSWITCH name GRANT userid`` (unless ``grants`` is None);
* no duplicate userids, no virtual device defined twice in one entry.

:func:`check_directory` returns every problem as text (empty: the directory passes).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

_NAME = re.compile(r"^[A-Z0-9$#@]{1,8}$")
_VOLSER = re.compile(r"^[A-Z0-9$#@]{1,6}$")
_VDEV = re.compile(r"^[0-9A-F]{1,4}$")
_STORAGE = re.compile(r"^([0-9]{1,7})([KMGT])$")
_CLASSES = re.compile(r"^[A-Z1-6]{1,32}$")
_LINK_MODES = {"R", "RR", "W", "WR", "M", "MR", "MW"}
_MDISK_MODES = _LINK_MODES | {"RV", "WV", "MV", "RE", "WE", "ME"}
_PASSWORD_WORDS = {"NOLOG", "NOPASS", "AUTOONLY", "LBYONLY"}
_OPTIONS = {
    "APPLMON",
    "MAINTCCW",
    "DEVMAINT",
    "DIAG88",
    "DIAG98",
    "LNKNOPAS",
    "LNKSTABL",
    "LNKEXCLU",
    "LANG",
    "MAXCONN",
    "QUICKDSP",
    "SVMSTAT",
    "STGEXEMPT",
    "TODENABLE",
    "LKFAC",
    "CONCEAL",
    "BMX",
    "ACCT",
    "CPUMEASUREMENT",
    "CHPIDV",
    "COMSRV",
    "CFUSER",
    "CFVM",
}
_GENERAL = {
    "INCLUDE",
    "CPU",
    "MACHINE",
    "IPL",
    "OPTION",
    "SHARE",
    "NAMESAVE",
    "ACCOUNT",
    "IUCV",
    "POSIXINFO",
    "XAUTOLOG",
    "LOGONBY",
    "COMMAND",
    "CLASS",
    "STORAGE",
    "MAXSTORAGE",
    "MDISK_DEFAULTS",
}
_DEVICE = {"CONSOLE", "SPOOL", "LINK", "MDISK", "NICDEF", "DEDICATE", "SPECIAL"}
#: Largest V-DISK: 4,194,296 512-byte blocks (z/VM CP Planning and Administration, "MDISK
#: statement", V-DISK: 2 GB minus 4 KB).
VDISK_MAX_BLOCKS = 4_194_296
_UNIT = {"K": 1 / 1024, "M": 1, "G": 1024, "T": 1024 * 1024}


@dataclass
class _Entry:
    kind: str
    name: str
    line: int
    file: str = ""
    include: str | None = None
    vdevs: dict[str, int] = field(default_factory=dict)
    mdisks: set[str] = field(default_factory=set)
    nics: list[tuple[str, str, int]] = field(default_factory=list)


def _mib(text: str) -> float | None:
    m = _STORAGE.fullmatch(text)
    return int(m.group(1)) * _UNIT[m.group(2)] if m else None


def parse_grants(text: str) -> dict[str, set[str]]:
    """``MODIFY VSWITCH name GRANT userid`` lines of a SYSTEM CONFIG text → vswitch → userids.

    Parameters
    ----------
    text : str
        A ``SYSTEM CONFIG`` file's text.

    Examples
    --------
    >>> parse_grants("/* x */\\nMODIFY VSWITCH VSW1 GRANT LNX00001\\n")
    {'VSW1': {'LNX00001'}}
    """
    out: dict[str, set[str]] = {}
    for raw in text.splitlines():
        w = raw.split()
        if len(w) == 5 and [w[0].upper(), w[1].upper(), w[3].upper()] == [
            "MODIFY",
            "VSWITCH",
            "GRANT",
        ]:
            out.setdefault(w[2].upper(), set()).add(w[4].upper())
    return out


def check_directory(
    texts: Iterable[tuple[str, str]],
    *,
    volume_cyl: Mapping[str, int] | int = 10017,
    grants: Mapping[str, set[str]] | None = None,
    external: Iterable[tuple[str, str]] = (),
) -> list[str]:
    """Every problem of a set of directory files (empty list: the directory passes).

    Parameters
    ----------
    texts : iterable of (name, text)
        Directory files; LINK targets and extents are checked across all of them.
    volume_cyl : int or mapping volser → int
        Cylinders per volume (default 10,017: a 3390-9).
    grants : mapping vswitch → userids, optional
        ``MODIFY VSWITCH … GRANT`` authorizations (:func:`parse_grants`); None skips the check.
    external : iterable of (userid, vdev)
        LINK targets defined outside these files.

    Examples
    --------
    >>> check_directory([("d", "USER A1 PW 64M 64M G\\n LINK B1 0201 0201 RR\\n")])
    ['d line 2: LINK to B1 0201, which no MDISK defines']
    """
    problems: list[str] = []
    entries: dict[str, _Entry] = {}
    extents: list[tuple[str, int, int, str]] = []
    links: list[tuple[str, str, str]] = []
    for fname, text in texts:
        cur: _Entry | None = None
        seen_device = False
        prev_word = ""
        for no, raw in enumerate(text.splitlines(), 1):
            at = f"{fname} line {no}"
            if not raw.strip() or raw.lstrip().startswith("*"):
                continue
            if any(ord(c) < 32 or ord(c) > 126 for c in raw):
                problems.append(f"{at}: a character outside printable ASCII")
                continue
            w = raw.split()
            word = w[0].upper()
            ops = w[1:]

            def bad(msg: str, at: str = at) -> None:
                problems.append(f"{at}: {msg}")

            if word in ("USER", "PROFILE", "IDENTITY"):
                if not ops or not _NAME.fullmatch(ops[0]):
                    bad(f"{word} needs a 1-8 character name (got {ops[:1]})")
                    cur = None
                    continue
                name = ops[0]
                key = (
                    name if word != "PROFILE" else f"{fname}\0{name}"
                )  # profiles: per directory file
                if key in entries:
                    bad(f"{word} {name} defined twice (first at line {entries[key].line})")
                cur = _Entry(word, name, no, file=fname)
                entries[key] = cur
                seen_device = False
                if word == "USER":
                    if len(ops) < 2 or len(ops) > 5:
                        bad(
                            f"USER needs userid password [storage [maxstorage [classes]]] (got {len(ops)} operands)"
                        )
                    elif not (_NAME.fullmatch(ops[1]) or ops[1] in _PASSWORD_WORDS):
                        bad(f"USER password must be 1-8 characters (got {ops[1]!r})")
                    sizes = [_mib(o) for o in ops[2:4]]
                    if any(s is None for s in sizes):
                        bad(f"USER storage must be n followed by K, M, G or T (got {ops[2:4]})")
                    elif len(sizes) == 2 and sizes[0] > sizes[1]:  # type: ignore[operator]
                        bad(f"USER storage {ops[2]} exceeds the maximum {ops[3]}")
                    if len(ops) == 5 and not _CLASSES.fullmatch(ops[4]):
                        bad(f"USER privilege classes must be A-Z or 1-6 (got {ops[4]!r})")
                elif len(ops) != 1:
                    bad(f"PROFILE takes one operand (got {len(ops)})")
                prev_word = word
                continue
            if cur is None:
                bad(f"{word} outside a USER or PROFILE entry")
                continue
            if word == "INCLUDE":
                if prev_word != "USER":
                    bad("INCLUDE must directly follow the USER statement")
                if cur.kind != "USER" or len(ops) != 1 or not _NAME.fullmatch(ops[0]):
                    bad("INCLUDE takes one profile name in a USER entry")
                else:
                    cur.include = ops[0]
            elif word in _GENERAL:
                if seen_device:
                    bad(f"{word} (a general statement) after a device statement")
                if word == "CPU":
                    if (
                        not ops
                        or not re.fullmatch(r"[0-9A-F]{1,2}", ops[0])
                        or int(ops[0], 16) > 0x3F
                    ):
                        bad(f"CPU address must be 00-3F (got {ops[:1]})")
                    elif ops[1:] not in ([], ["BASE"]):
                        bad(f"CPU takes an address and optionally BASE (got {ops})")
                elif word == "MACHINE":
                    if not ops or ops[0] not in ("ESA", "XA", "XC", "Z"):
                        bad(f"MACHINE type must be ESA, XA, XC or Z (got {ops[:1]})")
                    elif len(ops) > 2 or (
                        len(ops) == 2 and not (ops[1].isdigit() and 1 <= int(ops[1]) <= 64)
                    ):
                        bad(f"MACHINE takes a type and 1-64 CPUs (got {ops})")
                elif word == "IPL":
                    if not ops or not _NAME.fullmatch(ops[0]):
                        bad(f"IPL needs a device number or a system name (got {ops[:1]})")
                elif word == "OPTION":
                    unknown = [o for o in ops if o not in _OPTIONS and not o.isdigit()]
                    if not ops or unknown:
                        bad(f"OPTION operands must be directory options (unknown: {unknown})")
                elif word == "SHARE":
                    if len(ops) != 2 or ops[0] not in ("RELATIVE", "ABSOLUTE"):
                        bad(f"SHARE takes RELATIVE n or ABSOLUTE n% (got {ops})")
                    elif ops[0] == "RELATIVE" and not (
                        ops[1].isdigit() and 1 <= int(ops[1]) <= 10000
                    ):
                        bad(f"SHARE RELATIVE must be 1-10000 (got {ops[1]})")
                elif word == "NAMESAVE":
                    if not ops or not all(_NAME.fullmatch(o) for o in ops):
                        bad(f"NAMESAVE takes 1-8 character names (got {ops})")
            elif word in _DEVICE:
                seen_device = True
                vdev = ops[0] if ops else ""
                if not _VDEV.fullmatch(vdev) and not (word == "LINK" and len(ops) > 2):
                    bad(f"{word} needs a 1-4 digit hex device number (got {vdev!r})")
                own = ops[2] if word == "LINK" and len(ops) > 2 else vdev
                key = own.zfill(4)
                if key in cur.vdevs:
                    bad(
                        f"device {own} defined twice in {cur.name} (first at line {cur.vdevs[key]})"
                    )
                cur.vdevs[key] = no
                if word == "MDISK":
                    _check_mdisk(ops, cur, at, volume_cyl, extents, bad)
                elif word == "LINK":
                    if (
                        len(ops) != 4
                        or not _NAME.fullmatch(ops[0])
                        or not all(_VDEV.fullmatch(o) for o in ops[1:3])
                    ):
                        bad(f"LINK takes userid vdev1 vdev2 mode (got {ops})")
                    elif ops[3] not in _LINK_MODES:
                        bad(f"LINK mode must be one of {sorted(_LINK_MODES)} (got {ops[3]})")
                    else:
                        links.append((ops[0], ops[1].zfill(4), at))
                elif word == "NICDEF":
                    _check_nicdef(ops, cur, no, bad)
                elif word == "CONSOLE":
                    if len(ops) < 2 or ops[1] not in ("3215", "3270"):
                        bad(f"CONSOLE takes vdev 3215 [class [userid]] (got {ops})")
                elif word == "SPOOL":
                    if len(ops) < 2 or ops[1] not in (
                        "2540",
                        "1403",
                        "3505",
                        "3525",
                        "3211",
                        "1443",
                        "3203",
                    ):
                        bad(f"SPOOL takes vdev and a unit record device type (got {ops})")
            else:
                bad(f"unknown directory statement {word}")
            prev_word = word
    # across files
    for owner, vdev, at in links:
        ent = entries.get(owner)
        if (owner, vdev) in {(u, d.zfill(4)) for u, d in external}:
            continue
        if ent is None or vdev not in ent.mdisks:
            problems.append(f"{at}: LINK to {owner} {vdev}, which no MDISK defines")
    extents.sort()
    for a, b in zip(extents, extents[1:], strict=False):
        if a[0] == b[0] and b[1] <= a[2]:
            problems.append(
                f"{b[3]}: extent {b[1]}-{b[2]} on {b[0]} overlaps {a[1]}-{a[2]} ({a[3]})"
            )
    for ent in entries.values():
        if ent.kind != "USER":
            continue
        prof = entries.get(f"{ent.file}\0{ent.include}") if ent.include is not None else None
        if ent.include is not None and prof is None:
            problems.append(
                f"USER {ent.name}: INCLUDE {ent.include}, which no PROFILE of {ent.file} defines"
            )
        if grants is None:
            continue
        nics = list(ent.nics) + (prof.nics if prof is not None else [])
        for vdev, vsw, _no in nics:
            if ent.name not in grants.get(vsw, set()):
                problems.append(
                    f"USER {ent.name}: NICDEF {vdev} couples to VSWITCH {vsw}, but no "
                    f"MODIFY VSWITCH {vsw} GRANT {ent.name} authorizes it"
                )
    return problems


def _check_mdisk(
    ops: list[str],
    cur: _Entry,
    at: str,
    volume_cyl: Mapping[str, int] | int,
    extents: list[tuple[str, int, int, str]],
    bad: Callable[[str], None],
) -> None:
    if len(ops) < 4:
        bad(
            f"MDISK takes vdev devtype start count volser mode or vdev devtype T-DISK/V-DISK size mode (got {ops})"
        )
        return
    vdev, devtype = ops[0], ops[1]
    if devtype not in ("3390", "3380", "FB-512", "9336"):
        bad(f"MDISK device type must be 3390, 3380, FB-512 or 9336 (got {devtype})")
    if ops[2] in ("T-DISK", "V-DISK"):
        if len(ops) not in (4, 5):
            bad(f"MDISK {ops[2]} takes vdev devtype {ops[2]} size [mode] (got {len(ops)} operands)")
            return
        size, mode = ops[3], (ops[4] if len(ops) == 5 else "MR")
        if not size.isdigit() or int(size) < 1:
            bad(f"MDISK {ops[2]} size must be a positive number (got {size})")
        elif ops[2] == "V-DISK" and (devtype != "FB-512" or int(size) > VDISK_MAX_BLOCKS):
            bad(
                f"MDISK V-DISK must be FB-512 with at most {VDISK_MAX_BLOCKS} blocks (got {devtype} {size})"
            )
    else:
        if len(ops) != 6:
            bad(f"MDISK takes vdev devtype start count volser mode (got {len(ops)} operands)")
            return
        start, count, volser, mode = ops[2], ops[3], ops[4], ops[5]
        if not (start.isdigit() and count.isdigit()):
            bad(f"MDISK start and count must be numbers (got {start} {count})")
            return
        s0, n = int(start), int(count)
        cyl = volume_cyl if isinstance(volume_cyl, int) else volume_cyl.get(volser, 10017)
        if not _VOLSER.fullmatch(volser):
            bad(f"MDISK volser must be 1-6 characters (got {volser!r})")
        if s0 < 1:
            bad("MDISK start cylinder 0 holds the volume label; start at 1 or later")
        if n < 1 or s0 + n > cyl:
            bad(
                f"MDISK extent {s0}-{s0 + n - 1} is outside the volume ({cyl} cylinders, 0-{cyl - 1})"
            )
        extents.append((volser, s0, s0 + n - 1, f"{at} {cur.name} {vdev}"))
    if mode not in _MDISK_MODES:
        bad(f"MDISK mode must be one of {sorted(_MDISK_MODES)} (got {mode})")
    cur.mdisks.add(vdev.zfill(4))


def _check_nicdef(ops: list[str], cur: _Entry, no: int, bad: Callable[[str], None]) -> None:
    rest = ops[1:]
    kv: dict[str, Any] = {}
    i = 0
    while i < len(rest):
        k = rest[i]
        if k == "TYPE" and i + 1 < len(rest):
            kv["TYPE"] = rest[i + 1]
            i += 2
        elif k == "DEVICES" and i + 1 < len(rest):
            kv["DEVICES"] = rest[i + 1]
            i += 2
        elif k == "LAN" and i + 2 < len(rest):
            kv["LAN"] = (rest[i + 1], rest[i + 2])
            i += 3
        elif k in ("MACID", "CHPID", "VLAN", "PORTTYPE", "PORTNUMBER") and i + 1 < len(rest):
            kv[k] = rest[i + 1]
            i += 2
        else:
            bad(f"NICDEF operand {k!r} not understood")
            return
    if kv.get("TYPE") not in ("QDIO", "HIPERS", "IEDN", "INMN"):
        bad(f"NICDEF TYPE must be QDIO or HIPERS (got {kv.get('TYPE')})")
    if "DEVICES" in kv and not (str(kv["DEVICES"]).isdigit() and 3 <= int(kv["DEVICES"]) <= 3072):
        bad(f"NICDEF DEVICES must be 3-3072 (got {kv['DEVICES']})")
    lan = kv.get("LAN")
    if isinstance(lan, tuple):
        if not _NAME.fullmatch(lan[1]):
            bad(f"NICDEF LAN name must be 1-8 characters (got {lan[1]!r})")
        elif lan[0] == "SYSTEM":
            cur.nics.append((ops[0], lan[1], no))


__all__ = [
    "VDISK_MAX_BLOCKS",
    "parse_grants",
    "check_directory",
]
