"""The colony's layout from its design: network, shared images, minidisks and each guest's disks.

Pure construction of plan-document parts; placement and sizing live in
:mod:`colonykit.plan.assembly`.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

import numpy as np

from colonykit import reference, storage
from colonykit.errors import InputError, must_be, raise_problems
from colonykit.limits import MAX_CYLINDERS
from colonykit.patterns import USERID, VOLSER
from colonykit.plan.document import (
    MAX_FBA_BLOCKS,
    GuestNic,
    Image,
    Network,
    StorageItem,
    XenGuest,
    XenImage,
    XenNetwork,
    ZvmDisk,
    ZvmGuest,
    ZvmNetwork,
)
from colonykit.plan.scenario import Scenario
from colonykit.units import BYTES_PER_MIB

#: NetBSD's Xen PV domU kernel (NetBSD Xen howto: ``netbsd-XEN3_DOMU``; seed 004 used the older
#: XENU kernel), in the folder of ``storage.xen_kernel``.
NETBSD_DOMU_KERNEL = "netbsd-XEN3_DOMU"

#: Role of an application-disk (data) minidisk or image in the plan.
DATA_ROLE = "appdata"


@dataclass(frozen=True)
class NetworkPlan:
    """The colony network and where guest addresses start.

    Parameters
    ----------
    network : Network
        The plan network.
    first_address : int
        The first guest's address (as an integer).
    prefixlen : int
        Prefix length of the network.
    """

    network: Network
    first_address: int
    prefixlen: int

    def address(self, i: int) -> str:
        """The ``i``-th guest's address with prefix length (``10.1.0.11/16``).

        Parameters
        ----------
        i : int
            0-based guest number.
        """
        return f"{ipaddress.ip_address(self.first_address + i)}/{self.prefixlen}"


@dataclass(frozen=True)
class MinidiskLayout:
    """Private minidisks of all guests on volumes (colony-wide, first-fit decreasing).

    Each guest's block holds the design's private minidisks (``components``, in order),
    then its application-disk (data) minidisks (``data_cyl[guest]``, from the inventory's
    ``disk_gib``, :func:`colonykit.storage.data_minidisk_cyl`).

    Parameters
    ----------
    components : list of Component
        The design's private minidisk components, in order.
    volume : numpy.ndarray
        Volume index of each minidisk, guest by guest.
    start_cyl : numpy.ndarray
        First cylinder of each, guest by guest.
    volsers : list of str
        Volume serial of each volume index.
    offsets : numpy.ndarray
        Index of each guest's first minidisk in ``volume`` and ``start_cyl``.
    data_cyl : list of list of int
        Each guest's application-disk minidisks [cyl, or 512-byte blocks on EDEVs].
    volume_models : tuple of str
        Volume model of each volume index (the design's minidisks on ``storage.volume_model``,
        data minidisks on their guest's model, :func:`colonykit.storage.choose_data_volumes`).
    data_models : tuple of str
        Each guest's data-volume model (empty: all on ``storage.volume_model``).
    """

    components: list[Any]
    volume: np.ndarray
    start_cyl: np.ndarray
    volsers: list[str]
    offsets: np.ndarray
    data_cyl: list[list[int]]
    volume_models: tuple[str, ...] = ()
    data_models: tuple[str, ...] = ()

    def model_of_volser(self) -> dict[str, str]:
        """Volume model of each volser (``3390-9`` … ``3390-A``, ``EDEV``)."""
        return dict(zip(self.volsers, self.volume_models, strict=False))

    def place(self, guest_index: int, component_index: int) -> tuple[str, int]:
        """Volser and first cylinder of one guest's ``component_index``-th private minidisk.

        Indices past the design's components address the guest's data minidisks.

        Parameters
        ----------
        guest_index : int
            0-based guest number.
        component_index : int
            0-based private minidisk of the design.
        """
        k = int(self.offsets[guest_index]) + component_index
        return self.volsers[int(self.volume[k])], int(self.start_cyl[k])


_BASE36 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def volser_capacity(prefix: str) -> int:
    """How many distinct 6-character volume serials :func:`volsers` makes after ``prefix``.

    Parameters
    ----------
    prefix : str
        Volume serial prefix.

    Examples
    --------
    >>> volser_capacity("LX"), volser_capacity("BASE")
    (1679615, 1295)
    """
    return 36 ** (6 - len(prefix)) - 1


def volsers(prefix: str, n: int, where: str = "scenario") -> list[str]:
    """``n`` volume serials of 6 characters: ``prefix`` + a counter.

    The counter is decimal and zero-padded while it fits (``LX0001`` … ``LX9999``), then
    goes on in base 36 through the serials that hold a letter (``LX000A``, ``LX000B`` …),
    so the serials stay unique and 6 characters long up to :func:`volser_capacity`
    (1,679,615 with a 2-character prefix); only past that is the request refused.

    Parameters
    ----------
    prefix : str
        Volume serial prefix.
    n : int
        Number of serials.
    where : str, default 'scenario'
        Source of the prefix, for the message.

    Examples
    --------
    >>> volsers("LX", 2)
    ['LX0001', 'LX0002']
    >>> volsers("LX", 10_001)[-3:]
    ['LX9999', 'LX000A', 'LX000B']
    """
    width = 6 - len(prefix)
    if n > volser_capacity(prefix):
        raise InputError(
            must_be(
                "storage.volser_prefix",
                f"short enough for {n:,} volumes (a {len(prefix)}-character prefix leaves "
                f"{volser_capacity(prefix):,} 6-character serials)",
                prefix,
                where,
            )
        )
    decimal = min(n, 10**width - 1)
    out = [f"{prefix}{i + 1:0{width}d}" for i in range(decimal)]
    i = 0
    while len(out) < n:
        i += 1
        digits, k = [], i
        for _ in range(width):
            k, r = divmod(k, 36)
            digits.append(_BASE36[r])
        text = "".join(reversed(digits))
        if not text.isdigit():  # the all-digit ones are the decimal serials above
            out.append(prefix + text)
    return out


def guest_name(server: str, k: int) -> str:
    """The guest name of instance ``k`` of a server (lower case, ``[a-z0-9-]``).

    Parameters
    ----------
    server : str
        Inventory server name.
    k : int
        1-based instance (of a row with ``count > 1``).
    """
    return re.sub(r"[^a-z0-9-]", "-", f"{server}-{int(k):02d}".lower()).strip("-")


#: Longest guest name (a host-name label, RFC 1123: 63 characters; the plan's GuestName pattern).
MAX_GUEST_NAME = 63


def guest_names(
    servers: list[str], ks: list[int], lines: list[int], where: str = "inventory"
) -> list[str]:
    """The guest name of every guest (:func:`guest_name`), refused when two servers collide.

    Distinct inventory names can normalise to the same guest name (``Web_1`` and ``web-1``
    both give ``web-1-01``); both inventory lines are named and nothing is planned, so every
    guest name in a plan is unique by construction.

    Parameters
    ----------
    servers : list of str
        Inventory server of each guest.
    ks : list of int
        1-based instance of each guest (of a row with ``count > 1``).
    lines : list of int
        Inventory line of each guest's server (for the message).
    where : str, default 'inventory'
        The inventory file, for the message.

    Examples
    --------
    >>> guest_names(["web", "web", "db"], [1, 2, 1], [2, 2, 3])
    ['web-01', 'web-02', 'db-01']
    >>> try:
    ...     guest_names(["Web_1", "web-1"], [1, 1], [2, 5], "inv.csv")
    ... except ValueError as e:
    ...     print(e)
    inv.csv: servers 'Web_1' (line 2) and 'web-1' (line 5) both become guest name 'web-1-01' (guest names are lower case a-z 0-9 -); rename one of them
    """
    names: list[str] = []
    first: dict[str, int] = {}
    problems: list[str] = []
    too_long: set[str] = set()
    for i, (server, k) in enumerate(zip(servers, ks, strict=True)):
        name = guest_name(server, k)
        if len(name) > MAX_GUEST_NAME and server not in too_long:
            too_long.add(server)
            problems.append(
                f"{where}: server {server!r} (line {lines[i]}) gives guest name {name!r} of "
                f"{len(name)} characters; guest names have at most {MAX_GUEST_NAME} (host names): "
                "shorten the server name"
            )
        j = first.setdefault(name, i)
        if j != i and servers[j] != server:
            problems.append(
                f"{where}: servers {servers[j]!r} (line {lines[j]}) and {server!r} (line "
                f"{lines[i]}) both become guest name {name!r} (guest names are lower case "
                "a-z 0-9 -); rename one of them"
            )
        elif j != i:
            problems.append(
                f"{where}: server {server!r} is given on line {lines[j]} and line {lines[i]}; "
                "give each server one line (with its count)"
            )
        names.append(name)
    if len(problems) == 1:
        raise InputError(problems[0])
    raise_problems(problems, f"{where}: inventory names that collide as guest names")
    return names


def network_plan(scen: Scenario, n_guests: int, platform: str) -> NetworkPlan:
    """The scenario's network, checked to hold ``n_guests`` addresses.

    Parameters
    ----------
    scen : Scenario
        The scenario.
    n_guests : int
        Number of guests.
    platform : {'zvm', 'xen'}
        The plan's platform.
    """
    where = scen.source or "scenario"
    net_cfg = scen.network
    try:
        netw = ipaddress.ip_network(net_cfg.cidr, strict=False)
    except ValueError as exc:
        raise InputError(
            must_be("network.cidr", "an IP network like 10.1.0.0/16", net_cfg.cidr, where)
        ) from exc
    first = net_cfg.first_host or int(reference.constant("plan_first_host_offset"))
    if first + n_guests >= netw.num_addresses:
        raise InputError(
            must_be(
                "network.cidr",
                f"large enough for {n_guests} guests from host {first}",
                net_cfg.cidr,
                where,
            )
        )
    network = Network(
        id=net_cfg.id,
        cidr=str(netw),
        zvm=ZvmNetwork(vswitch=net_cfg.vswitch) if platform == "zvm" else None,
        xen=XenNetwork(bridge=net_cfg.bridge) if platform == "xen" else None,
    )
    return NetworkPlan(
        network=network, first_address=int(netw.network_address) + first, prefixlen=netw.prefixlen
    )


def shared_images(design: Any, scen: Scenario) -> tuple[list[Image], dict[str, str]]:
    """The design's shared read-only images, and the image id of each shared component.

    Parameters
    ----------
    design : Design
        The chosen design.
    scen : Scenario
        The scenario.
    """
    st = scen.storage
    owner = (design.owner or "LNXBASE").upper()
    shared = [c for c in design.components if c.shared and c.counted]
    images: list[Image] = []
    if design.platform == "zvm" and shared:
        vol_of, starts = storage.layout_minidisks([c.size_cyl for c in shared], st.volume_model)
        base = volsers(st.base_volser_prefix, int(vol_of.max()) + 1)
        for c, v, s0 in zip(shared, vol_of, starts, strict=True):
            images.append(
                Image(
                    id=f"{design.name}-{c.id}",
                    role=c.role,
                    mount=c.mount,
                    fs=c.fs,
                    size_mib=int(c.size_mib or 0),
                    size_cyl=c.size_cyl,
                    zvm=ZvmDisk(
                        owner=owner,
                        vdev=c.vdev.upper(),
                        volser=base[int(v)],
                        start_cyl=int(s0),
                        count_cyl=int(c.size_cyl or 1),
                    ),
                )
            )
    elif design.platform == "xen":
        for c in shared:
            images.append(
                Image(
                    id=f"{design.name}-{c.id}",
                    role=c.role,
                    mount=c.mount,
                    fs=c.fs,
                    size_mib=int(c.size_mib or 0),
                    xen=XenImage(target=f"{st.image_dir}/{design.name}-{c.id}.img"),
                )
            )
    return images, {c.id: f"{design.name}-{c.id}" for c in shared}


def minidisk_layout(
    design: Any,
    scen: Scenario,
    n_guests: int,
    data_cyl: list[list[int]] | None = None,
    data_model: list[str] | None = None,
) -> MinidiskLayout:
    """Every guest's private minidisks (the design's, then its data minidisks) on volumes.

    ``data_cyl`` gives each guest's application-disk minidisks [cyl] (z/VM only; empty lists
    or None for none), ``data_model`` the model of the volumes they go on (default
    ``storage.volume_model``; sizes in 512-byte blocks for ``EDEV``).  Each model is its own
    pool of volumes (first-fit decreasing); volsers run on across the pools.

    Parameters
    ----------
    design : Design
        The chosen design.
    scen : Scenario
        The scenario (volume model, volser prefix).
    n_guests : int
        Number of guests.
    data_cyl : list of list of int, optional
        Each guest's application-disk minidisks [cyl] (see above).
    data_model : list of str, optional
        Each guest's data-volume model (see above).
    """
    private = [c for c in design.components if not c.shared and c.kind == "mdisk" and c.counted]
    base = np.array([c.size_cyl for c in private], dtype=np.int64)
    data = (
        data_cyl
        if data_cyl is not None and design.platform == "zvm"
        else [[] for _ in range(n_guests)]
    )
    if len(data) != n_guests:
        raise InputError(must_be("data_cyl", f"one list per guest ({n_guests})", len(data)))
    counts = base.size + np.fromiter((len(d) for d in data), dtype=np.int64, count=n_guests)
    offsets = (
        np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
        if n_guests
        else np.zeros(0, np.int64)
    )
    sizes = (
        np.concatenate([np.concatenate([base, np.asarray(d, dtype=np.int64)]) for d in data])
        if n_guests
        else np.zeros(0, np.int64)
    )
    base_model = str(scen.storage.volume_model).upper()
    models = (
        [str(m).upper() for m in data_model]
        if data_model is not None and design.platform == "zvm"
        else [base_model] * n_guests
    )
    if len(models) != n_guests:
        raise InputError(must_be("data_model", f"one model per guest ({n_guests})", len(models)))
    if n_guests and any(m != base_model for m in models):
        pool = np.concatenate(
            [
                np.array([base_model] * base.size + [m] * len(d), dtype=object)
                for d, m in zip(data, models, strict=True)
            ]
        )
    else:
        pool = np.full(sizes.size, base_model, dtype=object)
    vol = np.zeros(sizes.size, np.int64)
    start = np.zeros(sizes.size, np.int64)
    vol_models: list[str] = []
    for key in [base_model, *sorted(set(models) - {base_model})]:
        idx = np.flatnonzero(pool == key)
        if not idx.size:
            continue
        v, s0 = storage.layout_minidisks(sizes[idx], key, lun_gib=scen.storage.lun_gib)
        vol[idx] = v + len(vol_models)
        start[idx] = s0
        vol_models += [key] * (int(v.max()) + 1)
    return MinidiskLayout(
        components=private,
        volume=vol,
        start_cyl=start,
        volsers=volsers(scen.storage.volser_prefix, len(vol_models)),
        offsets=offsets,
        data_cyl=[list(map(int, d)) for d in data],
        volume_models=tuple(vol_models),
        data_models=tuple(models),
    )


#: Virtual devices a QDIO NIC takes from its NICDEF vdev on (NICDEF ``DEVICES``, whose smallest
#: and default value is 3: z/VM CP Planning and Administration, "NICDEF directory statement";
#: the range 3-3072 is what ``render.zvm_check`` accepts).
NIC_DEVICES = 3


def data_vdevs(
    first: str, n: int, where: str = "scenario", taken: Collection[str] = ()
) -> list[str]:
    """``n`` z/VM virtual devices from ``first`` (hex) upwards, skipping ``taken``; refused past ``FFFF``.

    Parameters
    ----------
    first : str
        The first virtual device (4 hex digits).
    n : int
        Number of devices.
    where : str, default 'scenario'
        Source of ``first``, for the message.
    taken : collection of str, optional
        Devices the guest already has (its design's disks, its NIC's devices): skipped, so
        that the many data minidisks of a TB-scale disk never reuse one (CK007).

    Examples
    --------
    >>> data_vdevs("0300", 3)
    ['0300', '0301', '0302']
    >>> data_vdevs("05FE", 4, taken={"0600", "0601", "0602"})
    ['05FE', '05FF', '0603', '0604']
    """
    start = int(first, 16)
    skip = {int(t, 16) for t in taken if re.fullmatch(r"[0-9A-Fa-f]{1,4}", t)}
    out: list[str] = []
    dev = start
    while len(out) < n and dev <= 0xFFFF:
        if dev not in skip:
            out.append(f"{dev:04X}")
        dev += 1
    if len(out) < n:
        raise InputError(
            must_be(
                "storage.data_vdev_first",
                f"low enough for {n} data minidisks (devices past FFFF needed)",
                first,
                where,
            )
        )
    return out


def _next_xen_vdev(used: list[str], j: int) -> str:
    """The ``j``-th free ``xvd`` name after the design's devices (xvde, xvdf, …, xvdaa …)."""
    names = [f"xvd{a}" for a in "abcdefghijklmnopqrstuvwxyz"] + [
        f"xvd{a}{b}" for a in "abcdefghijklmnopqrstuvwxyz" for b in "abcdefghijklmnopqrstuvwxyz"
    ]
    free = [v for v in names if v not in set(used)]
    if j >= len(free):
        raise InputError(
            must_be("application disk", f"at most {len(free)} data images per domU", j + 1)
        )
    return free[j]


def guest_storage(
    design: Any,
    scen: Scenario,
    gi: int,
    name: str,
    image_of: dict[str, str],
    md: MinidiskLayout,
    data_image_mib: int = 0,
) -> list[StorageItem]:
    """The disks of guest number ``gi`` (named ``name``): the design's, then its application disk.

    The application disk (the inventory's ``disk_gib``) is the guest's data minidisks from
    ``md.data_cyl[gi]`` (z/VM, role ``data``, from ``storage.data_vdev_first`` upwards) or one
    data image of ``data_image_mib`` MiB (Xen, the next free ``xvd`` name).

    Parameters
    ----------
    design : Design
        The chosen design.
    scen : Scenario
        The scenario.
    gi : int
        0-based guest number.
    name : str
        The guest's name.
    image_of : dict of str to str
        Image id of each shared component (:func:`shared_images`).
    md : MinidiskLayout
        The colony's private minidisks (:func:`minidisk_layout`).
    data_image_mib : int, default 0
        Size of the Xen data image [MiB] (0: none).
    """
    st = scen.storage
    zvm = design.platform == "zvm"
    out: list[StorageItem] = []
    mi = 0
    for c in design.components:
        if not c.counted:
            continue
        vdev = c.vdev.upper() if zvm else c.vdev
        common = {"id": c.id, "role": c.role, "vdev": vdev, "mount": c.mount}
        if c.shared:
            out.append(
                StorageItem(**common, kind="shared", access="ro", fs=c.fs, image=image_of[c.id])
            )
        elif c.kind == "mdisk":
            volser, start = md.place(gi, mi)
            mi += 1
            out.append(
                StorageItem(
                    **common,
                    kind="mdisk",
                    access="rw",
                    fs=c.fs,
                    size_cyl=c.size_cyl,
                    size_mib=c.size_mib,
                    volser=volser,
                    start_cyl=start,
                    pool=st.disk_pool,
                )
            )
        elif c.kind == "tdisk":
            out.append(
                StorageItem(
                    **common, kind="tdisk", access="rw", size_cyl=c.size_cyl, size_mib=c.size_mib
                )
            )
        elif c.kind == "vdisk":
            out.append(StorageItem(**common, kind="vdisk", access="rw", size_mib=c.size_mib))
        elif c.kind == "image":
            out.append(
                StorageItem(
                    **common,
                    kind="image",
                    access="rw",
                    fs=c.fs,
                    size_mib=c.size_mib,
                    target=f"{st.image_dir}/{name}-{c.id}.img",
                )
            )
        elif c.kind == "nfs":
            out.append(
                StorageItem(
                    **{**common, "vdev": "nfs"},
                    kind="nfs",
                    access="rw",
                    fs="nfs",
                    size_mib=c.size_mib,
                    target=f"{st.nfs_server}:{st.nfs_export_dir}/{name}",
                )
            )
    out += _data_storage(design, scen, gi, name, md, data_image_mib, mi, [s.vdev for s in out])
    return out


def colony_storage(
    design: Any,
    scen: Scenario,
    names: list[str],
    image_of: dict[str, str],
    md: MinidiskLayout,
    image_mib: Any = None,
) -> list[list[StorageItem]]:
    """The disks of every guest (:func:`guest_storage` for each), built once per kind of guest.

    Guests of one shape (z/VM: the same application-disk minidisks and volume model) have
    the same disks but for where their minidisks lie: the first guest of each shape is built
    by :func:`guest_storage` (every field validated), the others are copies of its disks
    with their own volser and first cylinder / block (:meth:`MinidiskLayout.place`).  Those
    values are validated once for the whole layout (every volser, every extent in range);
    should one fail, every guest is built by :func:`guest_storage`, which reports it.  Xen
    designs and designs with per-guest images or NFS roots (a disk's path carries the
    guest's name) are built guest by guest.

    Parameters
    ----------
    design : Design
        The chosen design.
    scen : Scenario
        The scenario.
    names : list of str
        Every guest's name, in order.
    image_of : dict of str to str
        Image id of each shared component (:func:`shared_images`).
    md : MinidiskLayout
        The colony's private minidisks (:func:`minidisk_layout`).
    image_mib : array_like of int, optional
        Each guest's Xen data image [MiB] (default none).

    Examples
    --------
    >>> from colonykit import designs
    >>> from colonykit.plan import load_scenario
    >>> scen = load_scenario("data/examples/scenario.yaml")
    >>> d = designs.get_design("zvm-basevol-guestvol")
    >>> md = minidisk_layout(d, scen, 3, data_cyl=[[10], [10], [20]])
    >>> images, image_of = shared_images(d, scen)
    >>> every = colony_storage(d, scen, ["a-01", "a-02", "b-01"], image_of, md)
    >>> every == [guest_storage(d, scen, i, n, image_of, md) for i, n in enumerate(["a-01", "a-02", "b-01"])]
    True
    """
    n = len(names)
    sizes = [0] * n if image_mib is None else [int(v) for v in image_mib]
    per_guest = any(c.kind in ("image", "nfs") for c in design.components if c.counted)
    if design.platform != "zvm" or per_guest or not _stampable(md):
        return [
            guest_storage(design, scen, gi, name, image_of, md, sizes[gi])
            for gi, name in enumerate(names)
        ]
    base_model = str(scen.storage.volume_model).upper()
    # MinidiskLayout.place as plain lists (numpy scalars cost more to index one at a time)
    volume, start_of, offsets = md.volume.tolist(), md.start_cyl.tolist(), md.offsets.tolist()
    first: dict[tuple[Any, ...], list[StorageItem]] = {}
    out: list[list[StorageItem]] = []
    for gi, name in enumerate(names):
        cyl = md.data_cyl[gi] if gi < len(md.data_cyl) else []
        model = md.data_models[gi] if gi < len(md.data_models) else base_model
        shape = (tuple(cyl), model if cyl else None)
        template = first.get(shape)
        if template is None:
            first[shape] = built = guest_storage(design, scen, gi, name, image_of, md, sizes[gi])
            out.append(built)
            continue
        stamped: list[StorageItem] = []
        k = offsets[gi]  # this guest's first minidisk (MinidiskLayout.place)
        for s in template:
            if s.kind != "mdisk":
                stamped.append(s.model_copy())
                continue
            where = "start_block" if s.start_block is not None else "start_cyl"
            stamped.append(
                s.model_copy(update={"volser": md.volsers[volume[k]], where: start_of[k]})
            )
            k += 1
        out.append(stamped)
    return out


def _stampable(md: MinidiskLayout) -> bool:
    """True when every volser and extent of ``md`` passes the plan's field rules."""
    if not all(_VOLSER.match(v) for v in md.volsers):
        return False
    if not md.start_cyl.size:
        return True
    fba = np.asarray([m == "EDEV" for m in md.volume_models], dtype=bool)
    high = np.where(fba[md.volume], MAX_FBA_BLOCKS, MAX_CYLINDERS) if fba.size else MAX_CYLINDERS
    return bool(((md.start_cyl >= 1) & (md.start_cyl <= high)).all())


_VOLSER = re.compile(VOLSER)


def _taken_vdevs(scen: Scenario, used: list[str]) -> set[str]:
    """Devices a z/VM guest has before its data minidisks: its design's disks and its NIC's."""
    nic = int(scen.network.nic_vdev, 16)
    return {*used, *(f"{nic + k:04X}" for k in range(NIC_DEVICES))}


def _data_storage(
    design: Any,
    scen: Scenario,
    gi: int,
    name: str,
    md: MinidiskLayout,
    data_image_mib: int,
    mi: int,
    used: list[str],
) -> list[StorageItem]:
    """The guest's application disk: data minidisks (z/VM) or one data image (Xen)."""
    st = scen.storage
    if design.platform == "zvm":
        cyl = md.data_cyl[gi] if gi < len(md.data_cyl) else []
        if not cyl:
            return []
        cyl_bytes = int(
            storage.cyl_to_bytes(1, st.volume_model)
        )  # once per guest, not per minidisk
        model = md.data_models[gi] if gi < len(md.data_models) else str(st.volume_model).upper()
        edev = model == "EDEV"
        out = []
        for j, (vdev, c) in enumerate(
            zip(
                data_vdevs(
                    st.data_vdev_first,
                    len(cyl),
                    scen.source or "scenario",
                    taken=_taken_vdevs(scen, used),
                ),
                cyl,
                strict=True,
            )
        ):
            volser, start = md.place(gi, mi + j)
            if edev:  # an FB-512 minidisk on an EDEV: sizes in 512-byte blocks
                out.append(
                    StorageItem(
                        id=f"appdata{j + 1}",
                        role=DATA_ROLE,
                        vdev=vdev,
                        kind="mdisk",
                        access="rw",
                        size_mib=-(-int(c) * storage.FBA_BLOCK_BYTES // BYTES_PER_MIB),
                        volser=volser,
                        volume_model="EDEV",
                        start_block=start,
                        size_blocks=int(c),
                        pool=f"FBA:{st.disk_pool.split(':', 1)[-1]}",  # Feilong's FBA pool type
                    )
                )
                continue
            out.append(
                StorageItem(
                    id=f"appdata{j + 1}",
                    role=DATA_ROLE,
                    vdev=vdev,
                    kind="mdisk",
                    access="rw",
                    size_cyl=int(c),
                    size_mib=-(-int(c) * cyl_bytes // BYTES_PER_MIB),
                    volser=volser,
                    start_cyl=start,
                    pool=st.disk_pool,
                    volume_model=None if model == str(st.volume_model).upper() else model,
                )
            )
        return out
    if data_image_mib <= 0:
        return []
    return [
        StorageItem(
            id="appdata1",
            role=DATA_ROLE,
            vdev=_next_xen_vdev(used, 0),
            kind="image",
            access="rw",
            size_mib=int(data_image_mib),
            target=f"{st.image_dir}/{name}-appdata.img",
        )
    ]


def colony_platform(
    design: Any,
    scen: Scenario,
    storage_of: list[list[StorageItem]],
    net: NetworkPlan,
    userid_width: int,
) -> list[tuple[ZvmGuest | None, XenGuest | None, GuestNic]]:
    """Every guest's z/VM entry and NIC (:func:`guest_platform` for each), validated once per kind.

    On z/VM the entries differ only in the userid and the NICs only in the address: the
    first guest of each IPL device is built by :func:`guest_platform` (every field
    validated), the others are copies with their own userid (checked against the userid
    rule; should one fail, every guest is built by :func:`guest_platform`, which reports it)
    and address (from the checked network, :meth:`NetworkPlan.address`).  Xen guests are
    built guest by guest.

    Parameters
    ----------
    design : Design
        The chosen design.
    scen : Scenario
        The scenario.
    storage_of : list of list of StorageItem
        Every guest's disks (:func:`colony_storage`), in order.
    net : NetworkPlan
        The colony network.
    userid_width : int
        Digits of the z/VM userid numbers.

    Examples
    --------
    >>> from colonykit import designs
    >>> from colonykit.plan import load_scenario
    >>> scen = load_scenario("data/examples/scenario.yaml")
    >>> d = designs.get_design("dedicated")
    >>> md = minidisk_layout(d, scen, 3)
    >>> disks = colony_storage(d, scen, ["a-01", "a-02", "a-03"], {}, md)
    >>> net = network_plan(scen, 3, "zvm")
    >>> every = colony_platform(d, scen, disks, net, 5)
    >>> every == [guest_platform(d, scen, i, s, net, 5) for i, s in enumerate(disks)]
    True
    """
    n = len(storage_of)
    prefix = scen.guests.userid_prefix
    userids = [f"{prefix}{gi + 1:0{userid_width}d}" for gi in range(n)]
    if design.platform != "zvm" or not all(_USERID.match(u) for u in userids):
        return [
            guest_platform(design, scen, gi, stor, net, userid_width)
            for gi, stor in enumerate(storage_of)
        ]
    first: dict[str, tuple[ZvmGuest | None, XenGuest | None, GuestNic]] = {}
    out: list[tuple[ZvmGuest | None, XenGuest | None, GuestNic]] = []
    for gi, stor in enumerate(storage_of):
        root = next((s for s in stor if s.role == "root"), stor[0])
        ipl = scen.guests.ipl_nss or (design.ipl_vdev.upper() if design.ipl_vdev else root.vdev)
        template = first.get(ipl)
        if template is None:
            first[ipl] = built = guest_platform(design, scen, gi, stor, net, userid_width)
            out.append(built)
            continue
        zvm, _xen, nic = template
        assert zvm is not None
        out.append(
            (
                zvm.model_copy(
                    update={
                        "userid": userids[gi],
                        "options": list(zvm.options),
                        "namesave": list(zvm.namesave),
                    }
                ),
                None,
                nic.model_copy(update={"ip": net.address(gi)}),
            )
        )
    return out


_USERID = re.compile(USERID)


def guest_platform(
    design: Any,
    scen: Scenario,
    gi: int,
    stor: list[StorageItem],
    net: NetworkPlan,
    userid_width: int,
) -> tuple[ZvmGuest | None, XenGuest | None, GuestNic]:
    """The z/VM USER entry or Xen domU specifics of guest ``gi``, and its NIC.

    Parameters
    ----------
    design : Design
        The chosen design.
    scen : Scenario
        The scenario.
    gi : int
        0-based guest number.
    stor : list of StorageItem
        The guest's disks (:func:`guest_storage`).
    net : NetworkPlan
        The colony network.
    userid_width : int
        Digits of the z/VM userid numbers.
    """
    st = scen.storage
    ip = net.address(gi)
    if design.platform == "zvm":
        root = next((s for s in stor if s.role == "root"), stor[0])
        ipl = scen.guests.ipl_nss or (design.ipl_vdev.upper() if design.ipl_vdev else root.vdev)
        zvm = ZvmGuest(
            userid=f"{scen.guests.userid_prefix}{gi + 1:0{userid_width}d}",
            password=scen.guests.password,
            profile=scen.guests.profile,
            ipl=ipl,
            options=list(scen.guests.options),
            namesave=list(scen.guests.namesave),
        )
        return zvm, None, GuestNic(network=net.network.id, vdev=scen.network.nic_vdev, ip=ip)
    nfs = next((s for s in stor if s.kind == "nfs"), None)
    if nfs is not None and nfs.target:
        srv, exp = nfs.target.split(":", 1)
        # the planned static address, so the Ansible inventory reaches it (kernel
        # nfsroot.txt: ip=<client-ip>:<server-ip>:<gw-ip>:<netmask>:<hostname>:<device>:<autoconf>;
        # no gateway is planned, so it stays empty)
        itf = ipaddress.ip_interface(ip)
        host = exp.rstrip("/").rsplit("/", 1)[-1]
        xen = XenGuest(
            kernel=st.xen_kernel,
            ramdisk=None,
            root="/dev/nfs",
            extra=f"nfsroot={srv}:{exp},{st.nfs_options} "
            f"ip={itf.ip}:::{itf.netmask}:{host}:eth0:off",
        )
    elif getattr(design, "guest_os", "") == "netbsd":
        # seed 004: NetBSD PV domU, root file system on xbd0 (partition a), disks in the seed's order
        xen = XenGuest(
            type="pv",
            kernel=str(PurePosixPath(st.xen_kernel).parent / NETBSD_DOMU_KERNEL),
            ramdisk=None,
            root="xbd0a",
        )
    else:
        rootdev = next((s.vdev for s in stor if s.role == "root"), "xvda")
        xen = XenGuest(kernel=st.xen_kernel, ramdisk=st.xen_ramdisk, root=f"/dev/{rootdev} ro")
    n_mac = gi + 1
    mac = f"00:16:3e:{(n_mac >> 16) & 0xFF:02x}:{(n_mac >> 8) & 0xFF:02x}:{n_mac & 0xFF:02x}"
    return None, xen, GuestNic(network=net.network.id, ip=ip, mac=mac)


__all__ = [
    "NETBSD_DOMU_KERNEL",
    "DATA_ROLE",
    "NetworkPlan",
    "MinidiskLayout",
    "volsers",
    "guest_name",
    "network_plan",
    "shared_images",
    "minidisk_layout",
    "data_vdevs",
    "guest_storage",
    "colony_storage",
    "colony_platform",
    "guest_platform",
]
