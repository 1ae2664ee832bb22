"""Colony designs: which disks are shared read-only, which are private, and what that saves.

Six designs are built in (``colonykit/_data/designs.yaml``), each tied to its seed:

* ``dedicated`` — every guest has its own full install (seed 003 §3.2.2); the baseline.
* ``zvm-shared-usr`` — /usr on a R/O-linked minidisk, 85 % of a default install (seed 003 §10.5).
* ``zvm-basevol-guestvol`` — R/O base volume 201 (3338 cyl), R/W guest volume 202 (≥150 cyl),
  T-disk swap at 200 (seed 000).
* ``zvm-ro-root`` — R/O root 3200 cyl and /boot 60 cyl, R/W /local 1119 cyl, 64 + 128 MiB VDISK
  and 550-cyl minidisk swap (seed 001).
* ``xen-nfs-root`` — per-domU root exported by an NFS server (seed 002).
* ``xen-shared-root-image`` — one R/O root.img (~400 MB) for all domUs, per-domU pkg.img and
  local.img (seed 004).

Every size is a named parameter with a unit, source and confidence, overridable per call
(``overrides={"guestvol_cyl": 300}``) or by a user YAML file with the same layout.

Disk totals count every component on disk (minidisks, T-disks, images, NFS exports);
VDISKs live in z/VM storage and are reported as ``vdisk_mib_per_guest`` instead.
Cylinders convert to bytes with the 4-KiB-formatted 3390 geometry (737,280 B/cyl,
:mod:`colonykit.storage`).

Examples
--------
>>> from colonykit import designs
>>> d = designs.get_design("zvm-basevol-guestvol")
>>> d.shared_cyl, d.per_guest_cyl
(3338, 150)
>>> frame = designs.compare(100)
>>> round(float(frame.loc["zvm-basevol-guestvol", "saving_vs_dedicated_pct"]), 1)
94.6
"""

from __future__ import annotations

import copy
import functools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from colonykit import storage
from colonykit._yaml import load_yaml, read_text
from colonykit.designs_schema import KINDS as _KINDS
from colonykit.designs_schema import (
    ComponentSpec,
    DesignSpec,
    ParameterSpec,
    location,
    node_lines,
    part_problems,
)
from colonykit.errors import InputError, must_be, raise_problems, unknown_name
from colonykit.limits import MAX_TABLE_VALUE
from colonykit.units import BYTES_PER_GIB, BYTES_PER_MIB

#: The bundled designs file.
DESIGNS_FILE = resources.files("colonykit") / "_data" / "designs.yaml"
#: The design every saving is measured against.
BASELINE = "dedicated"
#: 3390 model whose geometry converts cylinders to bytes (all 3390 models share 737,280 B/cyl
#: 4-KiB formatted).
DASD_MODEL = storage.DEFAULT_MODEL

Kind = Literal["mdisk", "tdisk", "vdisk", "image", "nfs"]
#: Component kinds (declared in :mod:`colonykit.designs_schema`).
KINDS: tuple[str, ...] = _KINDS
#: Kinds whose size is in cylinders; the others are in MiB.
CYL_KINDS: tuple[str, ...] = ("mdisk", "tdisk")
#: Kinds that occupy disk (a VDISK occupies z/VM storage instead).
DISK_KINDS: tuple[str, ...] = ("mdisk", "tdisk", "image", "nfs")


# --------------------------------------------------------------------------- data classes
@dataclass(frozen=True)
class Parameter:
    """One design number: value, unit, source and confidence.

    Parameters
    ----------
    name : str
        Parameter name.
    value : float
        Its value.
    unit : str
        Unit of ``value``.
    source : str
        Where the value comes from (publication, section).
    confidence : str, optional
        How sure the source is (as in the design file).
    """

    name: str
    value: float
    unit: str
    source: str
    confidence: str = ""


@dataclass(frozen=True)
class Component:
    """One disk of a design, sized for one guest (or once, if ``shared``).

    Attributes
    ----------
    id, role, kind : str
        Identifier, role (root, usr, data, local, swap …) and kind (mdisk, tdisk, vdisk,
        image, nfs).
    shared : bool
        One copy for the colony (linked/attached read-only) instead of one per guest.
    access : {'ro', 'rw'}
        Read-only or read-write in the guest.
    vdev : str
        z/VM virtual device number or Xen vdev.
    mount, fs : str
        Mount point and file system type.
    size_cyl : int or None
        Size in 3390 cylinders (mdisk, tdisk).
    size_mib : int or None
        Size in MiB (vdisk, image, nfs); for cylinder kinds the MiB equivalent (rounded up).
    counted : bool
        False when the seed gives no size (listed, not counted).
    """

    id: str
    role: str
    kind: str
    shared: bool
    access: str
    vdev: str
    mount: str
    fs: str
    size_cyl: int | None
    size_mib: int | None
    counted: bool = True

    @property
    def size_bytes(self) -> int:
        """Bytes of disk (or storage, for a VDISK) this component holds."""
        if not self.counted:
            return 0
        if self.kind in CYL_KINDS:
            return int(storage.cyl_to_bytes(self.size_cyl or 0, DASD_MODEL))
        return int(self.size_mib or 0) * BYTES_PER_MIB


@dataclass(frozen=True)
class Design:
    """A colony design with its sized components.

    Parameters
    ----------
    overridden : tuple of str
        Names of the parameters set by an override (not the design file's value).

    Attributes
    ----------
    name, platform, seed, title, source : str
        Design name, platform (``zvm``/``xen``), seed document, title and source.
    parameters : dict of str -> Parameter
        The numbers after overrides.
    components : tuple of Component
        The disks and memory components, sized.
    ro_dirs, rw_dirs : tuple of str
        Directories a guest sees read-only / read-write.
    memory_shared : str
        What is shared in memory (NSS, DCSS, MDC, page cache).
    upgrade_touches : str
        What an upgrade of the colony has to touch.
    options : tuple of str
        Optional techniques of the design (``ipl_nss``, ``dcss_xip``, ``cmm`` …).
    owner : str
        z/VM userid owning the shared minidisks (z/VM designs with shared disks).
    ipl_vdev : str
        Device the guests IPL (default: the root disk).
    guest_os : str
        Guest operating system when not Linux (``netbsd``: seed 004's NetBSD domUs).
    """

    name: str
    platform: str
    seed: str
    title: str
    source: str
    parameters: dict[str, Parameter]
    components: tuple[Component, ...]
    ro_dirs: tuple[str, ...] = ()
    rw_dirs: tuple[str, ...] = ()
    memory_shared: str = ""
    upgrade_touches: str = ""
    options: tuple[str, ...] = ()
    owner: str = ""
    ipl_vdev: str = ""
    guest_os: str = ""
    overridden: tuple[str, ...] = field(default=())

    def _disk(self, shared: bool) -> list[Component]:
        return [
            c for c in self.components if c.shared == shared and c.kind in DISK_KINDS and c.counted
        ]

    @property
    def shared_bytes(self) -> int:
        """Disk held once for the colony [bytes]."""
        return sum(c.size_bytes for c in self._disk(True))

    @property
    def per_guest_bytes(self) -> int:
        """Disk held by each guest [bytes] (VDISKs excluded: they are storage)."""
        return sum(c.size_bytes for c in self._disk(False))

    @property
    def shared_cyl(self) -> int:
        """Shared minidisk cylinders (z/VM designs; 0 otherwise)."""
        return sum(int(c.size_cyl or 0) for c in self._disk(True) if c.kind in CYL_KINDS)

    @property
    def per_guest_cyl(self) -> int:
        """Per-guest minidisk and T-disk cylinders (z/VM designs; 0 otherwise)."""
        return sum(int(c.size_cyl or 0) for c in self._disk(False) if c.kind in CYL_KINDS)

    @property
    def vdisk_mib_per_guest(self) -> int:
        """VDISK swap per guest [MiB] (z/VM storage, used only when written)."""
        return sum(int(c.size_mib or 0) for c in self.components if c.kind == "vdisk")

    def totals(self, n_guests: int) -> dict[str, float]:
        """Disk for ``n_guests`` guests: shared, per guest and total [GiB].

        Parameters
        ----------
        n_guests : int
            Number of guests.

        Examples
        --------
        >>> d = get_design("dedicated")
        >>> round(d.totals(10)["total_gib"], 2)  # 10 × 3378 cyl × 737,280 B / 2**30
        23.19
        """
        if n_guests < 0:
            raise InputError(must_be("n_guests", ">= 0", n_guests))
        shared = self.shared_bytes / BYTES_PER_GIB
        per = self.per_guest_bytes / BYTES_PER_GIB
        return {"shared_gib": shared, "per_guest_gib": per, "total_gib": shared + per * n_guests}


# --------------------------------------------------------------------------- loading
@functools.lru_cache(maxsize=1)
def _bundled_doc() -> Any:
    return load_yaml(DESIGNS_FILE.read_text(encoding="utf-8"), "bundled designs.yaml")


@functools.lru_cache(maxsize=1)
def _bundled_lines() -> dict[tuple[str | int, ...], int]:
    return node_lines(DESIGNS_FILE.read_text(encoding="utf-8"))


def _lines(path: str | Path | None) -> tuple[str, dict[tuple[str | int, ...], int]]:
    """The file as messages name it, and the line of each design part (for the messages)."""
    if path is None:
        return "bundled designs.yaml", _bundled_lines()
    return str(path), node_lines(read_text(Path(path), "designs file"))


def _bundled_designs() -> dict[str, Any]:
    """The bundled ``designs`` mapping itself (not a copy): callers copy what they keep."""
    doc = _bundled_doc()
    if not isinstance(doc, dict) or not isinstance(doc.get("designs"), dict):
        return load_designs_file()
    return doc["designs"]


def load_designs_file(path: str | Path | None = None) -> dict[str, dict[str, Any]]:
    """The raw design definitions: the bundled file, or a user's YAML with the same layout.

    Parameters
    ----------
    path : str or Path, optional
        A designs YAML with the bundled layout; default the bundled ``designs.yaml``.

    Raises
    ------
    InputError
        The file is missing, not valid YAML, or has no ``designs`` mapping.
    """
    where = str(path) if path is not None else "bundled designs.yaml"
    if path is None:
        doc = copy.deepcopy(_bundled_doc())
    else:
        p = Path(path)
        if not p.is_file():
            msg = f"designs file not found: {p}"
            raise InputError(msg)
        doc = load_yaml(read_text(p, "designs file"), where)
    if not isinstance(doc, dict) or not isinstance(doc.get("designs"), dict):
        msg = f"{where}: expected a mapping with a 'designs' key"
        raise InputError(msg)
    return doc["designs"]


def design_names(path: str | Path | None = None) -> list[str]:
    """Names of the available designs (bundled, or in a user file).

    Parameters
    ----------
    path : str or Path, optional
        A designs YAML with the bundled layout; default the bundled ``designs.yaml``.

    Examples
    --------
    >>> design_names()[:2]
    ['dedicated', 'zvm-shared-usr']
    """
    return list(load_designs_file(path))


def _size(
    comp: ComponentSpec,
    params: Mapping[str, Parameter],
    sized: Mapping[str, int],
    where: str,
    problems: list[str],
) -> int | None:
    """A component's size from its ``size`` spec: the references between parts checked here."""
    spec = comp.size
    if spec is None:
        return None
    if spec.param not in params:
        problems.append(must_be("size.param", f"one of {sorted(params)}", spec.param, where))
        return None
    value = params[spec.param].value
    if spec.times is not None:
        if spec.times not in params:
            problems.append(must_be("size.times", f"one of {sorted(params)}", spec.times, where))
            return None
        value = value * params[spec.times].value
    if spec.minus is not None:
        if spec.minus not in sized:
            problems.append(must_be("size.minus", "an earlier component id", spec.minus, where))
            return None
        value = value - sized[spec.minus]
    if value < 0:
        problems.append(must_be(f"size of {comp.id}", ">= 0", value, where))
        return None
    return math.ceil(round(value, 9))


def get_design(
    name: str, overrides: Mapping[str, float] | None = None, path: str | Path | None = None
) -> Design:
    """One design, sized, with parameter ``overrides`` applied.

    Parameters
    ----------
    name : str
        Design name (see :func:`design_names`).
    overrides : mapping, optional
        Parameter name -> value (e.g. ``{"guestvol_cyl": 300}``); unknown names are errors.
    path : path, optional
        A user designs YAML instead of the bundled one.

    Raises
    ------
    UnknownNameError
        Unknown design.
    InputError
        Unknown or invalid override, or an invalid design definition.

    Examples
    --------
    >>> get_design("zvm-shared-usr").components[0].size_cyl  # ceil(0.85 × 3338)
    2838
    >>> get_design("zvm-basevol-guestvol", {"guestvol_cyl": 300}).per_guest_cyl
    300
    """
    # the bundled file: a copy of this design only (a copy of all of them cost ~5 ms a call)
    raw_all = load_designs_file(path) if path is not None else _bundled_designs()
    if name not in raw_all:
        err = unknown_name("design", name, raw_all)
        raise err
    raw = raw_all[name] if path is not None else copy.deepcopy(raw_all[name])
    where = f"design {name!r}"
    label, lines = _lines(path)
    spec, problems = part_problems(
        DesignSpec, raw, "", lambda f: location(name, lines, label, *((f,) if f else ()))
    )
    design = spec if isinstance(spec, DesignSpec) else None
    # a problem in the design's own fields does not hide those of its parameters and disks
    given = raw if isinstance(raw, Mapping) else {}
    raw_params = given.get("parameters") if isinstance(given.get("parameters"), Mapping) else None
    raw_comps = given.get("components") if isinstance(given.get("components"), list) else None
    params: dict[str, Parameter] = {}
    for pname, pspec in (raw_params or {}).items():
        at = location(name, lines, label, "parameters", pname)
        checked, found = part_problems(ParameterSpec, pspec, f"parameters.{pname}", at)
        problems += found
        if isinstance(checked, ParameterSpec):
            params[pname] = Parameter(
                pname, checked.value, checked.unit, checked.source, checked.confidence
            )
    overridden: list[str] = []
    for pname, value in (overrides or {}).items():
        if pname not in params:
            problems.append(
                must_be(
                    f"design.overrides.{pname}", f"a parameter of {name} ({sorted(params)})", value
                )
            )
            continue
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
            or not 0 <= value <= MAX_TABLE_VALUE
        ):
            problems.append(
                must_be(
                    f"design.overrides.{pname}",
                    f"a number in 0..{MAX_TABLE_VALUE:g} (limit MAX_TABLE_VALUE)",
                    value,
                )
            )
            continue
        old = params[pname]
        params[pname] = Parameter(pname, float(value), old.unit, "input (override)", "input")
        overridden.append(pname)
    comps: list[Component] = []
    sized: dict[str, int] = {}
    for i, c in enumerate(raw_comps or []):
        cw = location(name, lines, label, "components", i)
        comp, found = part_problems(ComponentSpec, c, "", cw)
        problems += found
        if not isinstance(comp, ComponentSpec):
            continue
        size = _size(comp, params, sized, cw, problems)
        counted = comp.counted and size is not None
        if size is not None:
            sized[comp.id] = size
        is_cyl = comp.kind in CYL_KINDS
        size_mib = None
        if size is not None:
            size_mib = (
                math.ceil(int(storage.cyl_to_bytes(size, DASD_MODEL)) / BYTES_PER_MIB)
                if is_cyl
                else size
            )
        comps.append(
            Component(
                id=comp.id,
                role=comp.role,
                kind=comp.kind,
                shared=comp.shared,
                access=comp.access,
                vdev=comp.vdev,
                mount=comp.mount,
                fs=comp.fs,
                size_cyl=size if is_cyl else None,
                size_mib=size_mib,
                counted=counted,
            )
        )
    raise_problems(problems, f"invalid {where}")
    assert design is not None  # an invalid design raised above
    return Design(
        name=name,
        platform=design.platform,
        seed=design.seed,
        title=design.title,
        source=design.source,
        parameters=params,
        components=tuple(comps),
        ro_dirs=tuple(design.ro_dirs or ()),
        rw_dirs=tuple(design.rw_dirs or ()),
        memory_shared=design.memory_shared,
        upgrade_touches=design.upgrade_touches,
        options=tuple(design.options or ()),
        owner=design.owner,
        ipl_vdev=design.ipl_vdev,
        guest_os=design.guest_os,
        overridden=tuple(overridden),
    )


# --------------------------------------------------------------------------- comparison
COMPARE_COLUMNS: tuple[str, ...] = (
    "design",
    "platform",
    "seed",
    "shared_gib",
    "per_guest_gib",
    "total_gib",
    "saving_vs_dedicated_pct",
    "shared_cyl",
    "per_guest_cyl",
    "vdisk_mib_per_guest",
    "memory_shared",
    "upgrade_touches",
    "ro_dirs",
    "rw_dirs",
)


def compare(
    n_guests: int,
    names: Sequence[str] | None = None,
    overrides: Mapping[str, Mapping[str, float]] | None = None,
    path: str | Path | None = None,
) -> pd.DataFrame:
    """Side-by-side disk of every design for ``n_guests`` guests.

    ``saving_vs_dedicated_pct`` = 100 × (1 − total ÷ total of ``dedicated``) with the same
    overrides; ``dedicated`` itself is always evaluated as the baseline.

    Parameters
    ----------
    n_guests : int
        Guests in the colony, >= 1.
    names : sequence of str, optional
        Designs to compare (default: all).
    overrides : mapping design -> {parameter: value}, optional
    path : path, optional
        A user designs YAML.

    Returns
    -------
    pandas.DataFrame
        Indexed by design; columns :data:`COMPARE_COLUMNS` (``design`` repeated as a column).

    Examples
    --------
    >>> f = compare(10, ["dedicated", "zvm-ro-root"])
    >>> f["per_guest_cyl"].tolist()
    [3378, 1669]
    """
    if isinstance(n_guests, bool) or not isinstance(n_guests, int) or n_guests < 1:
        raise InputError(must_be("n_guests", "a whole number >= 1", n_guests))
    overrides = overrides or {}
    chosen = list(names) if names is not None else design_names(path)
    base = get_design(BASELINE, overrides.get(BASELINE), path).totals(n_guests)["total_gib"]
    rows = []
    for name in chosen:
        d = get_design(name, overrides.get(name), path)
        t = d.totals(n_guests)
        rows.append(
            {
                "design": name,
                "platform": d.platform,
                "seed": d.seed,
                **t,
                "saving_vs_dedicated_pct": 100.0 * (1.0 - t["total_gib"] / base)
                if base > 0
                else 0.0,
                "shared_cyl": d.shared_cyl,
                "per_guest_cyl": d.per_guest_cyl,
                "vdisk_mib_per_guest": d.vdisk_mib_per_guest,
                "memory_shared": d.memory_shared,
                "upgrade_touches": d.upgrade_touches,
                "ro_dirs": ", ".join(d.ro_dirs),
                "rw_dirs": ", ".join(d.rw_dirs),
            }
        )
    frame = pd.DataFrame(rows, columns=list(COMPARE_COLUMNS))
    frame.index = pd.Index(frame["design"].tolist(), name="name")
    return frame


def comparison_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The CLI JSON contract of ``colonykit designs``: one object per design.

    Parameters
    ----------
    frame : pandas.DataFrame
        Output of :func:`compare`.

    Examples
    --------
    >>> list(comparison_records(compare(2, ["dedicated"]))[0])[:5]
    ['design', 'shared_gib', 'per_guest_gib', 'total_gib', 'saving_vs_dedicated_pct']
    """
    keys = (
        "design",
        "shared_gib",
        "per_guest_gib",
        "total_gib",
        "saving_vs_dedicated_pct",
        "platform",
        "seed",
        "shared_cyl",
        "per_guest_cyl",
        "vdisk_mib_per_guest",
    )
    out = []
    for rec in frame.to_dict(orient="records"):
        out.append(
            {
                k: (
                    float(rec[k])
                    if k.endswith(("_gib", "_pct"))
                    else int(rec[k])
                    if k.endswith(("_cyl", "_mib_per_guest"))
                    else rec[k]
                )
                for k in keys
            }
        )
    return out


def design_summary(design: Design) -> dict[str, Any]:
    """A JSON-ready description of one design (parameters with sources, components).

    Parameters
    ----------
    design : Design
        The design.

    Examples
    --------
    >>> design_summary(get_design("xen-nfs-root"))["platform"]
    'xen'
    """
    return {
        "design": design.name,
        "platform": design.platform,
        "seed": design.seed,
        "title": design.title,
        "source": design.source,
        "parameters": {
            p.name: {
                "value": p.value,
                "unit": p.unit,
                "source": p.source,
                "confidence": p.confidence,
            }
            for p in design.parameters.values()
        },
        "components": [
            {
                "id": c.id,
                "role": c.role,
                "kind": c.kind,
                "shared": c.shared,
                "access": c.access,
                "vdev": c.vdev,
                "mount": c.mount,
                "size_cyl": c.size_cyl,
                "size_mib": c.size_mib,
                "counted": c.counted,
            }
            for c in design.components
        ],
        "ro_dirs": list(design.ro_dirs),
        "rw_dirs": list(design.rw_dirs),
        "memory_shared": design.memory_shared,
        "upgrade_touches": design.upgrade_touches,
        "options": list(design.options),
    }


__all__ = [
    "BASELINE",
    "COMPARE_COLUMNS",
    "Component",
    "Design",
    "Parameter",
    "compare",
    "comparison_records",
    "design_names",
    "design_summary",
    "get_design",
    "load_designs_file",
]
