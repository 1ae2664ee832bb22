"""The rebuild's hot path (issue 20 item 1): collector pause, vectorised extent check, IP check.

Each faster form is compared with the plain form it replaced, computed here independently.
"""

from __future__ import annotations

import gc

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from colonykit import patterns, plan, widgets
from colonykit.plan import checks
from colonykit.plan.stages import CollectionPause


def _extent_findings_one_volume_at_a_time(extents: checks.Extents, model: str) -> list[str]:
    """The overlap part of CK013 as it was: one numpy sort per volume, volumes in order."""
    out = []
    for volser, ext in sorted(extents.items()):
        arr = np.array([(a, b) for a, b, _ in ext], dtype=np.int64)
        order = np.argsort(arr[:, 0], kind="stable")
        s = arr[order]
        overlap = np.flatnonzero(s[1:, 0] <= s[:-1, 1])
        if overlap.size:
            i = int(order[overlap[0] + 1])
            out.append(
                f"volume {volser}: extents overlap ({ext[i][2]} starts at cylinder {ext[i][0]})"
            )
    return out


_extent = st.tuples(st.integers(1, 60), st.integers(0, 20)).map(lambda t: (t[0], t[0] + t[1]))


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["VOL001", "VOL002", "A00003", "ZZ0004"]),
        st.lists(_extent, min_size=1, max_size=8),
        max_size=4,
    )
)
def test_extent_overlaps_found_as_one_volume_at_a_time(
    raw: dict[str, list[tuple[int, int]]],
) -> None:
    # ties in start cylinder included (the stable order decides which extent is named)
    extents: checks.Extents = {
        v: [(a, b, f"hosts[0].guests[{v}{k}].storage[0]") for k, (a, b) in enumerate(ext)]
        for v, ext in raw.items()
    }
    found = [f.message for f in checks._extent_checks(extents, "3390-9") if "overlap" in f.message]
    assert found == _extent_findings_one_volume_at_a_time(extents, "3390-9")


def test_extent_check_names_the_later_of_two_overlapping_minidisks() -> None:
    extents: checks.Extents = {
        "VOL002": [(1, 100, "b1"), (50, 60, "b2")],  # b2 starts inside b1
        "VOL001": [(10, 19, "a1"), (1, 9, "a2"), (20, 30, "a3")],  # touching, no overlap
    }
    msgs = [f.message for f in checks._extent_checks(extents, "3390-9")]
    assert msgs == ["volume VOL002: extents overlap (b2 starts at cylinder 50)"]
    assert checks._extent_checks({}, "3390-9") == []


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("10.1.0.5/24", True),
        ("10.1.0.5", True),
        ("fd00::5/64", True),
        ("10.1.0.256", False),
        ("10.1.0.5/33", False),
        ("", False),
    ],
)
def test_ip_check_is_the_same_when_asked_twice(text: str, ok: bool) -> None:
    for _ in range(2):  # the second answer comes from the cache
        if ok:
            assert patterns._check_ip(text) == text
        else:
            with pytest.raises(ValueError, match="an IPv4 or IPv6 address"):
                patterns._check_ip(text)


def test_collection_pause_turns_the_collector_off_and_back_on() -> None:
    assert gc.isenabled()
    pause = CollectionPause(every=3)
    try:
        for k in range(1, 7):
            with pause:
                assert not gc.isenabled()
                with pause:  # nested: still off, the outer block decides
                    assert not gc.isenabled()
                assert not gc.isenabled()
            assert gc.isenabled()
            assert gc.get_freeze_count() > 0  # the state left behind is frozen
            assert (pause.exits, pause.collections) == (k, k // 3)
        with pytest.raises(RuntimeError), pause:
            raise RuntimeError("a failed rebuild")
        assert gc.isenabled() and pause.exits == 7
        gc.disable()
        with pause:
            pass
        assert not gc.isenabled()  # left off, as it was
    finally:
        gc.enable()
        gc.unfreeze()


def test_a_full_collection_frees_the_cycles_made_while_paused() -> None:
    class Node:
        pass

    pause = CollectionPause(every=2)
    try:
        with pause:
            a, b = Node(), Node()
            a.other, b.other = b, a  # type: ignore[attr-defined]
            del a, b
        gc.unfreeze()
        assert [o for o in gc.get_objects() if type(o) is Node]  # kept while paused
        gc.freeze()
        with pause:
            pass  # the 2nd exit: unfreeze, collect, freeze
        assert pause.collections == 1
        gc.unfreeze()
        assert not [o for o in gc.get_objects() if type(o) is Node]
    finally:
        gc.enable()
        gc.unfreeze()


def test_collection_pause_refuses_a_period_below_one() -> None:
    with pytest.raises(ValueError, match="'every' must be at least 1"):
        CollectionPause(every=0)


def test_explorer_rebuilds_run_paused_and_give_the_plain_plan() -> None:
    from tests.test_plan_stages import _full, _same_as_full_path

    ui = widgets.explorer(plan.load_scenario("data/examples/scenario.yaml"))
    model = ui.model
    try:
        before = model.collection_pause.exits
        for value in ("dedicated", "zvm-ro-root"):
            ui.controls["design"].value = value
            doc = model.state.result.plan
            full = _full(model, model.state.controls)  # every stage recomputed, no cache
            assert doc.model_dump() == full.plan.model_dump()
            # the document still validates at the border
            assert type(doc).model_validate(doc.model_dump()) == doc
        assert model.collection_pause.exits == before + 2
        assert gc.isenabled()
        # the model alone, paused by hand: plan, findings, figures as the full path's
        alone = widgets.ExplorerModel("data/examples/scenario.yaml")
        for value in ("dedicated", "zvm-ro-root", "dedicated"):
            with alone.collection_pause:
                alone.update(design=value)
            _same_as_full_path(alone)
    finally:
        gc.unfreeze()


def _ffd_by_hand(sizes: list[int], cap: int, memory: list[int] | None, host_mem: int) -> list[int]:
    """First-fit decreasing written out: largest first (ties in input order), first bin with room."""
    order = sorted(range(len(sizes)), key=lambda i: -sizes[i])
    free: list[int] = []
    free_mem: list[int] = []
    out = [-1] * len(sizes)
    for i in order:
        m = 0 if memory is None else memory[i]
        k = next(
            (b for b in range(len(free)) if free[b] >= sizes[i] and free_mem[b] >= m), len(free)
        )
        if k == len(free):
            free.append(cap)
            free_mem.append(host_mem)
        free[k] -= sizes[i]
        free_mem[k] -= m
        out[i] = k
    return out


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(1, 50), min_size=0, max_size=40),
    st.integers(50, 120),
    st.booleans(),
    st.randoms(use_true_random=False),
)
def test_first_fit_decreasing_matches_the_hand_written_one(
    sizes: list[int], cap: int, with_memory: bool, rnd: object
) -> None:
    from colonykit.packing.ffd import first_fit_decreasing

    memory = [rnd.randint(1, 30) for _ in sizes] if with_memory else None  # type: ignore[attr-defined]
    got = first_fit_decreasing(
        sizes, float(cap), memory=memory, host_memory=60.0 if with_memory else None, rtol=0.0
    )
    assert got.tolist() == _ffd_by_hand(sizes, cap, memory, 60 if with_memory else 0)
