"""Issue 23 item 4: platform limits from IBM planning material, each just inside and just outside."""

from __future__ import annotations

import warnings

import pytest

from colonykit import machine_limits as lim
from colonykit import plan, reference, sizing
from colonykit.ingest import read_inventory


@pytest.mark.parametrize(
    ("cpus", "smt", "level", "n_problems"),
    [
        (80, False, "7.4", 0),
        (81, False, "7.4", 1),
        (80, False, "7.3", 0),
        (81, False, "7.3", 1),
        (40, True, "7.4", 0),
        (41, True, "7.4", 1),
        (40, True, "7.3", 0),
        (41, True, "7.3", 1),
        (64, False, "7.2", 0),
        (65, False, "7.2", 1),
        (32, True, "7.2", 0),
        (33, True, "7.2", 1),
        (65, False, "7.1", 1),  # a level without a row takes the highest listed level below it
    ],
)
def test_zvm_logical_cores(cpus, smt, level, n_problems) -> None:
    probs = lim.zvm_logical_processor_problems(cpus, smt=smt, zvm_level=level)
    assert len(probs) == n_problems
    if probs:
        assert "ibm.com" in probs[0] or "zvm-bootcamp" in probs[0]  # the source is in the message


@pytest.mark.parametrize(("gib", "n"), [(4096, 0), (4097, 1)])
def test_zvm_real_storage(gib, n) -> None:
    assert len(lim.zvm_real_storage_problems(gib, "7.4")) == n
    assert len(lim.zvm_real_storage_problems(gib, "7.3")) == n


@pytest.mark.parametrize(
    ("machine", "tib"),
    [("9175", 40), ("z16", 40), ("z16 A02", 16), ("3932", 16), ("8561", 40), ("z15 T02", 16)],
)
def test_machine_memory(machine, tib) -> None:
    assert lim.machine_problems(machine, tib * 1024, 1) == []
    assert len(lim.machine_problems(machine, tib * 1024 + 1, 1)) == 1


@pytest.mark.parametrize(
    ("machine", "lpars"), [("9175", 85), ("z17 ME2", 40), ("LinuxONE 5 ML2", 40)]
)
def test_lpars_per_machine(machine, lpars) -> None:
    assert lim.machine_problems(machine, 1, lpars) == []
    assert len(lim.machine_problems(machine, 1, lpars + 1)) == 1


def test_unknown_limit_is_not_invented() -> None:
    # no LPAR maximum was retrieved for a z16: no check rather than a made-up number
    assert lim.platform_limit("machine_lpars", "3931") is None
    assert lim.machine_problems("z16", 1, 500) == []


@pytest.mark.parametrize(
    ("name", "model", "mtype"),
    [
        ("3931", "z16", "3931"),
        ("3932", "z16", "3932"),
        ("9175", "z17", "9175"),
        ("9176", "z17", "9176"),
        ("z17 ME1", "z17", "9175"),
        ("LinuxONE 5 ML1", "z17", "9175"),
        ("z16 A02", "z16", "3932"),
        ("8562", "z15", "8562"),
    ],
)
def test_machine_types_and_model_names_resolve(name, model, mtype) -> None:
    assert reference.resolve_processor(name)[0] == model
    assert reference.machine_type(name) == mtype
    inv, _ = read_inventory("data/examples/xyz_inventory.csv")
    assert sizing.size_inventory(inv, name).processor.model == model


def test_ifls_per_model_falls_back_without_inventing() -> None:
    top, src = lim.max_ifls("9176")  # not retrieved: the z17 row's figure, and it says so
    assert top == lim.max_ifls("z17")[0] and "processors.csv z17" in src
    assert lim.ifl_problems("z16 A02", 68) == [] and len(lim.ifl_problems("z16 A02", 69)) == 1


def test_every_row_is_sourced() -> None:
    t = reference.platform_limits()
    assert t["source"].str.len().min() > 20 and set(t["confidence"]) <= {"IBM", "3rd"}


def _build(**target):
    scen = plan.load_scenario("data/examples/scenario.yaml")
    data = scen.model_dump()
    data["target"].update(target)
    s = plan.parse_scenario(data, "scenario.yaml", "data/examples")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return plan.build_plan(s).plan


def test_plan_findings_for_exceeded_limits() -> None:
    p = _build(cpus_per_host=81, processor="z17")
    msgs = [f.message for f in p.findings if f.code == "CK017" and f.severity == "error"]
    assert any("81 logical processors" in m and "at most 80" in m for m in msgs)
    assert not [f for f in _build(cpus_per_host=80, processor="z17").findings if f.code == "CK017"]
    p = _build(cpus_per_host=41, processor="z17", smt=True)
    assert any("at most 40" in f.message for f in p.findings if f.code == "CK017")
    p = _build(memory_gib_per_host=4097, processor="z17")
    assert any("4,097 GiB" in f.message for f in p.findings if f.code == "CK017")
    p = _build(cpus_per_host=65, zvm_level="7.2")
    assert any("at most 64" in f.message for f in p.findings if f.code == "CK017")
