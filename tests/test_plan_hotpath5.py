"""Hot-path cuts of round 8 (r8-20speed): the same answers as the plain computation.

* the guests' disks built once per kind of guest (:func:`colonykit.plan.layout.colony_storage`)
  are the disks :func:`~colonykit.plan.layout.guest_storage` builds guest by guest;
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from colonykit import designs, plan
from colonykit.ingest import read_inventory
from colonykit.plan import layout
from colonykit.plan.document import StorageItem


def _xyz(counts: dict[str, int]) -> pd.DataFrame:
    inv, _ = read_inventory("data/examples/xyz_inventory.csv")
    inv["count"] = inv["server"].map(counts).astype("int64")
    return inv


def _one_by_one(design, scen, names, image_of, md, image_mib) -> list[list[StorageItem]]:
    """Second method: every guest's disks built (and validated) guest by guest."""
    return [
        layout.guest_storage(design, scen, gi, name, image_of, md, int(image_mib[gi]))
        for gi, name in enumerate(names)
    ]


def _layout(design_name: str, data_cyl: list[list[int]], models: list[str] | None = None):
    scen = plan.load_scenario("data/examples/scenario.yaml")
    d = designs.get_design(design_name)
    n = len(data_cyl)
    md = layout.minidisk_layout(d, scen, n, data_cyl=data_cyl, data_model=models)
    _images, image_of = layout.shared_images(d, scen)
    names = [f"g-{i + 1:02d}" for i in range(n)]
    return scen, d, md, image_of, names


def _same(a: list[list[StorageItem]], b: list[list[StorageItem]]) -> None:
    assert [[s.model_dump() for s in g] for g in a] == [[s.model_dump() for s in g] for g in b]
    assert [[s.model_fields_set for s in g] for g in a] == [
        [s.model_fields_set for s in g] for g in b
    ]
    # every guest has disks of its own (a change to one guest's disk changes no other guest)
    ids = [id(s) for g in a for s in g]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("name", designs.design_names())
def test_every_design_stamps_the_disks_guest_storage_builds(name: str) -> None:
    data = [[10016, 300], [10016, 300], [], [500], [10016, 300], [], [500]]
    scen, d, md, image_of, names = _layout(name, data)
    sizes = np.array([0, 0, 0, 700, 0, 0, 700])
    _same(
        layout.colony_storage(d, scen, names, image_of, md, sizes),
        _one_by_one(d, scen, names, image_of, md, sizes),
    )


def test_data_disks_on_other_models_and_edevs_are_stamped_with_their_blocks() -> None:
    data = [[10016, 10016], [65520], [10016, 10016], [2_000_000], [65520], [2_000_000]]
    models = ["3390-9", "3390-A", "3390-9", "EDEV", "3390-A", "EDEV"]
    scen, d, md, image_of, names = _layout("zvm-basevol-guestvol", data, models)
    stamped = layout.colony_storage(d, scen, names, image_of, md)
    _same(stamped, _one_by_one(d, scen, names, image_of, md, np.zeros(len(data), int)))
    edev = [s for s in stamped[5] if s.volume_model == "EDEV"]
    assert edev and edev[0].start_block is not None and edev[0].start_cyl is None


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.lists(st.integers(min_value=1, max_value=10_016), max_size=3), min_size=1, max_size=12
    ),
    st.sampled_from(["dedicated", "zvm-ro-root", "zvm-shared-usr", "zvm-basevol-guestvol"]),
)
def test_any_colony_of_disks_is_stamped_as_built_one_by_one(
    data: list[list[int]], name: str
) -> None:
    scen, d, md, image_of, names = _layout(name, data)
    _same(
        layout.colony_storage(d, scen, names, image_of, md),
        _one_by_one(d, scen, names, image_of, md, np.zeros(len(data), int)),
    )


def test_a_layout_past_the_field_rules_is_built_one_by_one_and_refused() -> None:
    from pydantic import ValidationError

    scen, d, md, image_of, names = _layout("dedicated", [[], [], []])
    bad = layout.MinidiskLayout(
        components=md.components,
        volume=md.volume,
        start_cyl=md.start_cyl.copy(),
        volsers=md.volsers,
        offsets=md.offsets,
        data_cyl=md.data_cyl,
        volume_models=md.volume_models,
        data_models=md.data_models,
    )
    bad.start_cyl[-1] = 0  # cylinder 0 holds the label: the third guest's root is invalid
    assert not layout._stampable(bad)
    with pytest.raises(ValidationError):
        layout.colony_storage(d, scen, names, image_of, bad)
    lower = layout.MinidiskLayout(
        components=md.components,
        volume=md.volume,
        start_cyl=md.start_cyl,
        volsers=[v.lower() for v in md.volsers],
        offsets=md.offsets,
        data_cyl=md.data_cyl,
        volume_models=md.volume_models,
        data_models=md.data_models,
    )
    assert not layout._stampable(lower)
    with pytest.raises(ValidationError):
        layout.colony_storage(d, scen, names, image_of, lower)


@pytest.mark.parametrize("name", designs.design_names())
def test_a_hundred_guest_plan_has_the_disks_built_one_by_one(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    scen = plan.load_scenario("data/examples/scenario.yaml")
    scen.target.hosts = 2
    scen.target.memory_gib_per_host = None
    scen.design.name = name
    scen.design.overrides = {}
    if designs.get_design(name).platform == "xen":
        scen.storage.volume_model = "3390-9"
    inv = _xyz({"file": 38, "dns": 16, "firewall": 8, "web": 38})
    fast = plan.build_plan(scen, inventory=inv)
    monkeypatch.setattr(layout, "colony_storage", _one_by_one_all)
    slow = plan.build_plan(scen, inventory=inv)
    assert fast.plan.model_dump() == slow.plan.model_dump()


def _one_by_one_all(design, scen, names, image_of, md, image_mib=None):
    sizes = np.zeros(len(names), int) if image_mib is None else image_mib
    return _one_by_one(design, scen, names, image_of, md, sizes)


# --------------------------------------------------------------------------- LPAR sizing
@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.integers(min_value=0, max_value=3), min_size=1, max_size=4, unique=True),
    st.lists(st.integers(min_value=1, max_value=400), min_size=4, max_size=4),
    st.sampled_from(["z15", "z16", "z13"]),
    st.sampled_from([None, 60.0, 90.0]),
    st.booleans(),
    st.sampled_from(["peak", "avg"]),
)
def test_engines_for_counts_is_the_sizing_of_the_share(
    rows: list[int], counts: list[int], target: str, util, smt: bool, basis: str
) -> None:
    from colonykit import sizing

    inv, _ = read_inventory("data/examples/xyz_inventory.csv")
    extra = {} if util is None else {"target_util_pct": util}
    if smt and target == "z13":
        smt = False
    res = sizing.size_inventory(inv, target, basis=basis, smt=smt, **extra)
    share = inv.iloc[rows].reset_index(drop=True)
    share["count"] = np.asarray(counts[: len(rows)], dtype="int64")
    full = sizing.size_inventory(share, target, basis=basis, smt=smt, **extra)  # second method
    assert sizing.engines_for_counts(res, rows, counts[: len(rows)]) == full.engines


def test_engines_for_counts_without_the_on_demand_timer_counts_the_idle_guests() -> None:
    from colonykit import sizing

    inv, _ = read_inventory("data/examples/xyz_inventory.csv")
    res = sizing.size_inventory(inv, "z15", on_demand_timer=False)
    share = inv.iloc[[1, 2]].reset_index(drop=True)
    share["count"] = np.asarray([300, 200], dtype="int64")
    expected = sizing.size_inventory(share, "z15", on_demand_timer=False).engines
    assert sizing.engines_for_counts(res, [1, 2], [300, 200]) == expected
    # the idle guests cost engines: never fewer than with the timer
    timer = sizing.engines_for_counts(sizing.size_inventory(inv, "z15"), [1, 2], [300, 200])
    assert all(expected[b] >= timer[b] for b in sizing.BOUNDS)


@pytest.mark.parametrize("hosts", [2, 3, 5, 7])
def test_each_lpar_gets_the_engines_of_its_own_sizing(
    hosts: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from colonykit.plan import assembly

    scen = plan.load_scenario("data/examples/scenario.yaml")
    scen.target.hosts = hosts
    scen.target.memory_gib_per_host = None
    inv = _xyz({"file": 385, "dns": 154, "firewall": 77, "web": 384})
    fast = plan.build_plan(scen, inventory=inv)
    plain = assembly._lpar_sizer

    def full_sizing(scen, inv, rows, cache=None, sizing_res=None):  # every share sized in full
        return plain(scen, inv, rows, cache, None)

    monkeypatch.setattr(assembly, "_lpar_sizer", full_sizing)
    slow = plan.build_plan(scen, inventory=inv)
    assert fast.placement.cpus == slow.placement.cpus
    assert fast.plan.model_dump() == slow.plan.model_dump()


# --------------------------------------------------------------------------- layout checks
def _moved(p, hi: int, gi: int):
    """The plan with guest ``gi`` of host ``hi`` moved to the end of the next host."""
    q = p.model_copy(deep=True)
    g = q.hosts[hi].guests.pop(gi)
    q.hosts[(hi + 1) % len(q.hosts)].guests.append(g)
    return q


def _edited(p, edit: str):
    q = p.model_copy(deep=True)
    g = q.hosts[0].guests[1]
    other = q.hosts[1].guests[0]
    if edit == "vdev":  # CK007, one guest
        g.storage[-1].vdev = g.storage[0].vdev
    elif edit == "vdisk":  # CK008, one guest
        next(s for s in g.storage if s.kind == "vdisk").size_mib = 100_000
    elif edit == "shared-rw":  # CK010, one guest
        next(s for s in g.storage if s.kind == "shared").access = "rw"
    elif edit == "userid":  # CK006, two guests
        g.zvm.userid = other.zvm.userid
    elif edit == "same-disk":  # CK010 and CK013, two guests
        mine = next(s for s in g.storage if s.kind == "mdisk")
        theirs = next(s for s in other.storage if s.kind == "mdisk")
        mine.volser, mine.start_cyl = theirs.volser, theirs.start_cyl
    elif edit == "ip":  # CK031, two guests
        g.network[0].ip = other.network[0].ip
    return q


@pytest.mark.parametrize(
    ("edit", "code"),
    [
        ("none", None),
        ("vdev", "CK007"),
        ("vdisk", "CK008"),
        ("shared-rw", "CK010"),
        ("userid", "CK006"),
        ("same-disk", "CK013"),
        ("ip", "CK031"),
    ],
)
def test_layout_findings_kept_by_guest_follow_each_guest_to_its_place(edit: str, code) -> None:
    from colonykit.plan import checks
    from colonykit.plan.stages import StageCache

    scen = plan.load_scenario("data/examples/scenario.yaml")
    scen.target.hosts = 2
    scen.target.memory_gib_per_host = None
    inv = _xyz({"file": 10, "dns": 4, "firewall": 2, "web": 10})
    p = _edited(plan.build_plan(scen, inventory=inv).plan, edit)
    cache = StageCache()
    placements = [p, _moved(p, 0, 0), _moved(_moved(p, 0, 0), 1, 3), _moved(p, 1, 0)]
    for i, q in enumerate(placements):
        got = checks.check_plan(q, cache=cache, layout_key=(("guests", edit), ("placed", i)))
        assert got == checks.check_plan(q)  # second method: every check run on the plan
        if code is not None:
            assert code in {f.code for f in got}
    kept = cache._stages["guest_layout_checks"]
    assert len(kept) == 1  # one look-up of the guests' findings, answered on every move
    (value, _warnings) = next(iter(kept.values()))
    assert (value is None) == (edit in ("userid", "same-disk", "ip"))


# --------------------------------------------------------------------------- machine limits
@pytest.mark.parametrize(
    "args",
    [
        ("zvm_logical_cores", "7.3", "on"),
        ("zvm_logical_cores", "7.1", "off"),
        ("zvm_real_storage_gib", "7.4", ""),
        ("machine_lpars", "3931", ""),
        ("machine_memory_gib", "3931", ""),
        ("zvm_logical_cores", "not-a-level", "on"),
    ],
)
def test_a_kept_platform_limit_is_the_one_read_from_the_table(args) -> None:
    from colonykit import machine_limits

    first = machine_limits.platform_limit(*args)
    assert machine_limits.platform_limit(*args) == first
    assert machine_limits.platform_limit.__wrapped__(*args) == first  # read afresh


@pytest.mark.parametrize("model", ["z15", "z16", "LinuxONE Rockhopper 4", "linuxone-emperor-ii"])
def test_a_kept_ifl_maximum_is_the_one_read_from_the_tables(model: str) -> None:
    from colonykit import machine_limits

    assert machine_limits.max_ifls(model) == machine_limits.max_ifls.__wrapped__(model)


# --------------------------------------------------------------------------- sizing again
def _same_sizing(a, b) -> None:
    pd.testing.assert_frame_equal(a.servers, b.servers)
    pd.testing.assert_frame_equal(a.target, b.target)
    assert a.total == b.total
    assert a.processor == b.processor and a.options == b.options
    assert a.assumptions == b.assumptions
    assert a.to_dict() == b.to_dict()


@settings(max_examples=30, deadline=None)
@given(
    st.sampled_from(["z15", "z16", "z13", "z17"]),
    st.sampled_from(["z15", "z16", "z13", "LinuxONE Rockhopper 4"]),
    st.sampled_from([None, 50.0, 75.0, 95.0]),
    st.booleans(),
    st.sampled_from([None, 5.0]),
    st.booleans(),
    st.booleans(),
    st.sampled_from(["peak", "avg"]),
)
def test_resize_is_the_sizing_of_the_new_target(
    first: str, target: str, util, smt: bool, cp, nway: bool, timer: bool, basis: str
) -> None:
    from colonykit import sizing
    from colonykit.errors import InputError

    inv = _xyz({"file": 40, "dns": 7, "firewall": 3, "web": 12})
    res = sizing.size_inventory(inv, first, basis=basis)
    opts = {"smt": smt, "nway_uplift": nway, "on_demand_timer": timer, "basis": basis}
    if util is not None:
        opts["target_util_pct"] = util
    if cp is not None:
        opts["cp_overhead_pct"] = cp
    try:
        expected = sizing.size_inventory(inv, target, **opts)  # second method: afresh
    except InputError as exc:
        with pytest.raises(InputError, match=str(exc)[:40]):
            sizing.resize(res, inv, target, **opts)
        return
    _same_sizing(sizing.resize(res, inv, target, **opts), expected)


def test_resize_refuses_another_basis() -> None:
    from colonykit import sizing

    inv = _xyz({"file": 4, "dns": 1, "firewall": 1, "web": 2})
    res = sizing.size_inventory(inv, "z15", basis="peak")
    with pytest.raises(ValueError, match="'basis' must stay 'peak'"):
        sizing.resize(res, inv, "z15", basis="avg")


@pytest.mark.parametrize(
    ("name", "values"),
    [
        ("target_util_pct", [60.0, 80.0, 60.0]),
        ("processor", ["z16", "z14", "z15"]),
        ("smt", [True, False]),
        ("basis", ["avg", "peak"]),
    ],
)
def test_the_explorers_sizing_is_the_sizing_afresh(name: str, values: list) -> None:
    from colonykit.plan import assembly
    from colonykit.plan.stages import StageCache

    scen = plan.load_scenario("data/examples/scenario.yaml")
    inv = _xyz({"file": 40, "dns": 7, "firewall": 3, "web": 12})
    cache = StageCache()
    assembly._size(scen, inv, cache)
    for v in values:
        s = scen.model_copy(deep=True)
        if name == "processor":
            s.target.processor = v
        else:
            setattr(s.target, name, v)
        _same_sizing(assembly._size(s, inv, cache), assembly._size(s, inv, None))
    assert "size_servers" in cache._stages


# --------------------------------------------------------------------------- CK019 kinds
@settings(max_examples=200, deadline=None)
@given(st.sets(st.text(alphabet="0123456789ABCFXYZabc :-_\n\r\t.", max_size=30), max_size=12))
def test_numbers_of_all_stems_at_once_are_the_numbers_of_each(stems: set[str]) -> None:
    from colonykit.plan import checks

    expected = {checks._NUMBERED.sub("n", s) for s in stems}  # second method: one at a time
    assert checks._numbered_to_n(stems) == expected


# --------------------------------------------------------------------------- z/VM entries, NICs
def _platform_one_by_one(design, scen, disks, net, width):
    return [layout.guest_platform(design, scen, gi, s, net, width) for gi, s in enumerate(disks)]


def _dumps(parts) -> list:
    return [
        tuple(None if p is None else (p.model_dump(), p.model_fields_set) for p in t) for t in parts
    ]


@pytest.mark.parametrize("name", designs.design_names())
@pytest.mark.parametrize("nss", [None, "LNXNSS"])
def test_every_guests_entry_and_nic_are_built_as_one_by_one(name: str, nss) -> None:
    scen = plan.load_scenario("data/examples/scenario.yaml")
    scen.guests.ipl_nss = nss
    scen.guests.namesave = ["LNXNSS"]
    d = designs.get_design(name)
    n = 12
    data = [[500] if i % 3 else [] for i in range(n)]
    md = layout.minidisk_layout(d, scen, n, data_cyl=data)
    _images, image_of = layout.shared_images(d, scen)
    names = [f"g-{i + 1:02d}" for i in range(n)]
    disks = layout.colony_storage(d, scen, names, image_of, md, np.full(n, 100))
    net = layout.network_plan(scen, n, d.platform)
    fast = layout.colony_platform(d, scen, disks, net, 5)
    assert _dumps(fast) == _dumps(_platform_one_by_one(d, scen, disks, net, 5))
    if d.platform == "zvm":  # each entry has lists of its own
        assert len({id(z.options) for z, _x, _n in fast}) == n
        assert len({id(z.namesave) for z, _x, _n in fast}) == n


def test_a_userid_past_the_rule_is_built_one_by_one_and_refused() -> None:
    from pydantic import ValidationError

    scen = plan.load_scenario("data/examples/scenario.yaml")
    d = designs.get_design("dedicated")
    md = layout.minidisk_layout(d, scen, 3)
    disks = layout.colony_storage(d, scen, ["a-01", "a-02", "a-03"], {}, md)
    net = layout.network_plan(scen, 3, "zvm")
    # a prefix the scenario would refuse, put in past it: 9-character userids
    scen.guests = scen.guests.model_copy(update={"userid_prefix": "LNXABCD"})
    with pytest.raises(ValidationError):
        layout.colony_platform(d, scen, disks, net, 2)


# --------------------------------------------------------------------------- guest rows
def test_kept_guest_rows_are_the_rows_afresh_and_a_copy() -> None:
    from colonykit.plan import assembly
    from colonykit.plan.stages import StageCache

    scen = plan.load_scenario("data/examples/scenario.yaml")
    inv = _xyz({"file": 40, "dns": 7, "firewall": 3, "web": 12})
    cache = StageCache()
    variants = []
    for bound in ("typical", "high"):
        for frac in (1.0, 0.5):
            s = scen.model_copy(deep=True)
            s.target.sizing_bound = bound
            s.guests.memory_from_source_frac = frac
            variants.append(s)
    for s in variants + variants:  # the second round from the cache
        res = assembly._size(s, inv)
        got = assembly._guest_rows(s, inv, res, cache)
        pd.testing.assert_frame_equal(got, assembly.guest_rows(s, inv, res))
        got["memory_mib"] = 0.0  # the caller's copy
    assert cache.hits == len(variants)
    other = inv.copy()
    other.loc[0, "memory_mib"] = 4096  # an edited server: rows afresh
    res = assembly._size(variants[0], other)
    pd.testing.assert_frame_equal(
        assembly._guest_rows(variants[0], other, res, cache),
        assembly.guest_rows(variants[0], other, res),
    )


# --------------------------------------------------------------------------- paging rules once
@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.integers(min_value=1, max_value=65_536), min_size=1, max_size=40),
    st.integers(min_value=1, max_value=512),
    st.integers(min_value=0, max_value=20_000),
    st.floats(min_value=0, max_value=400),
    st.sampled_from(["velocity", "sg24-6299", "redbook-2003"]),
)
def test_paging_checked_on_rules_compared_before_is_the_check_afresh(
    virt: list[int], real_gib: int, vdisk: int, planned: float, rule: str
) -> None:
    from colonykit import paging

    compared = paging.compare_rules(virt, real_gib * 1024.0, vdisk_mib=vdisk)
    pd.testing.assert_frame_equal(
        paging.check_paging(planned, virt, real_gib * 1024.0, vdisk, rule, compared=compared),
        paging.check_paging(planned, virt, real_gib * 1024.0, vdisk, rule),
    )


def test_a_plan_compares_the_paging_rules_once_per_host() -> None:
    from colonykit import paging
    from colonykit.plan.stages import StageCache

    scen = plan.load_scenario("data/examples/scenario.yaml")
    scen.target.hosts = 3
    scen.target.memory_gib_per_host = None
    inv = _xyz({"file": 40, "dns": 7, "firewall": 3, "web": 12})
    calls: list[int] = []
    plain = paging.compare_rules

    def counted(*a, **k):
        calls.append(1)
        return plain(*a, **k)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(paging, "compare_rules", counted)
        fast = plan.build_plan(scen, inventory=inv, cache=StageCache())
        once = len(calls)
        slow = plan.build_plan(scen, inventory=inv)
        assert 1 <= once <= 3 and len(calls) - once == 2 * 3  # without a cache: twice per host
    assert fast.plan.model_dump() == slow.plan.model_dump()


# --------------------------------------------------------------------------- guests kept
def test_guests_are_kept_across_a_hosts_move_and_made_anew_when_their_rows_change() -> None:
    from colonykit.plan.stages import StageCache

    scen = plan.load_scenario("data/examples/scenario.yaml")
    scen.target.memory_gib_per_host = None
    inv = _xyz({"file": 40, "dns": 7, "firewall": 3, "web": 12})
    cache = StageCache()
    seen: dict[str, int] = {}
    for hosts, bound in ((2, "typical"), (3, "typical"), (3, "high"), (2, "typical")):
        s = scen.model_copy(deep=True)
        s.target.hosts = hosts
        s.target.sizing_bound = bound
        fast = plan.build_plan(s, inventory=inv, cache=cache)
        assert fast.plan.model_dump() == plan.build_plan(s, inventory=inv).plan.model_dump()
        ids = {g.name: id(g) for _h, g in fast.plan.guests()}
        if bound == "typical" and seen:
            assert ids == seen  # the same guests, placed anew
        elif seen:
            assert not set(ids.values()) & set(seen.values())  # new MIPS: new guests
        if bound == "typical":
            seen = ids
