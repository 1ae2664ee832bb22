"""Plan-side checks of issue 10: CK003 severity by rule, CK016 memory, CK017 limits, CK018 Xen memory,
Xen hosts in x86 cores, application disk in the design evidence."""

from __future__ import annotations

import warnings

import pytest

from colonykit import plan


def _build(**changes):
    scen = plan.load_scenario("data/examples/scenario.yaml")
    data = scen.model_dump()
    for dotted, value in changes.items():
        node = data
        *parents, leaf = dotted.split(".")
        for k in parents:
            node = node[k]
        node[leaf] = value
    s = plan.parse_scenario(data, "scenario.yaml", "data/examples")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return plan.build_plan(s).plan


def _codes(p):
    return {(f.code, f.severity) for f in p.findings}


def test_ck003_is_an_error_only_when_the_chosen_rule_is_undercut():
    # 33 GiB of guests in 24 GiB: velocity asks 66, the seed rule 2 × (33 + 24) = 114
    p = _build(**{"rules.paging_rule": "velocity", "target.paging_gib_per_host": 80})
    # below the seed rule only: information in the paging evidence, never a finding (issue 23)
    assert not [c for c in _codes(p) if c[0] == "CK003"]
    assert "sg24-6299" in str(p.evidence.paging.values["lpar1.other_rules_gib"])
    p = _build(**{"rules.paging_rule": "sg24-6299", "target.paging_gib_per_host": 80})
    assert ("CK003", "error") in _codes(p)


def test_ck014_real_storage_below_the_overcommit_target():
    # Velocity: Σ virtual / 2 + 2 GiB = 33 / 2 + 2 = 18.5 GiB at a 2:1 target; 18 GiB real is short
    p = _build(**{"target.memory_gib_per_host": 18, "rules.max_memory_overcommit_ratio": 2.0})
    msgs = [f.message for f in p.findings if f.code == "CK016"]
    assert msgs and "18,944 MiB" in msgs[0]  # 33,792 / 2 + 2,048
    assert p.evidence.memory.values["lpar1.real_for_target_mib"] == 33_792 / 2 + 2048


def test_ck015_ifls_over_the_machine_and_logical_processors():
    p = _build(**{"target.processor": "z16", "target.hosts": 2, "target.cpus_per_host": 130})
    msgs = [f.message for f in p.findings if f.code == "CK017"]
    assert any("260 IFLs requested but a z16 has at most 200" in m for m in msgs)
    assert any("at most 80" in m for m in msgs)  # z/VM 7.4 (issue 23; 64 before 7.3)


def test_xen_hosts_in_cores_with_dom0_and_no_overcommit():
    p = _build(
        **{
            "design.name": "xen-shared-root-image",
            "design.overrides": {},
            "target.memory_gib_per_host": None,
        }
    )
    h = p.hosts[0]
    assert (
        h.capacity.cpu_type == "core" and h.capacity.cpus == 7
    )  # 18,768 MHz / (3000 × 0.9), not z15 IFLs
    assert h.capacity.memory_gib == 35  # 33 GiB of domUs + 2 GiB dom0
    assert not [f for f in p.findings if f.code == "CK018"]
    p = _build(**{"design.name": "xen-shared-root-image", "design.overrides": {}})  # 24 GiB host
    assert ("CK018", "error") in _codes(p)


def test_application_disk_in_the_design_evidence():
    p = _build()
    v = p.evidence.design.values
    assert v["application_disk_gib"] == pytest.approx(10 * 72 + 4 * 9 + 2 * 18 + 10 * 36)
    assert v["total_with_application_gib"] > v["total_gib"] + 1100


def test_default_paging_rule_is_velocity():
    scen = plan.load_scenario("data/examples/scenario.yaml")
    data = scen.model_dump()
    del data["rules"]["paging_rule"]
    s = plan.parse_scenario(data, "scenario.yaml", "data/examples")
    p = plan.build_plan(s).plan
    assert p.hosts[0].rules.paging_rule == "velocity"
    # 2 × (Σ virtual + VDISK): 33 GiB of guests and 26 × 200 MiB basevol swap V-DISKs (seed 000)
    assert p.evidence.paging.values["lpar1.rule_paging_gib"] == pytest.approx(
        2 * (33 + 26 * 200 / 1024)
    )
    ck003 = [f for f in p.findings if f.code == "CK003"]
    # below the seed rule's 2 × (33 + 26 × 200 MiB + 24) = 124.16 GiB only: shown beside, no finding
    assert ck003 == []
    assert "sg24-6299 124.2" in str(p.evidence.paging.values["lpar1.other_rules_gib"])
