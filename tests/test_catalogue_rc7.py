"""Catalogue, root cause 7: plan checks that catch network and identity conflicts, anti-affinity.

Hand-edited plans go through ``colonykit validate`` (exit 1 with the finding is the correct
result); anti-affinity pairs of a scenario are validated (exit 2 with a clear message) and
honoured in every plan, with or without traces.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from catalogue_helpers import EXAMPLE, cli, scenario

from colonykit import export, plan

Edit = Callable[[dict[str, Any]], None]


@cache
def _example() -> str:
    return yaml.safe_dump(export.plan_to_dict(plan.build_plan(str(EXAMPLE)).plan), sort_keys=False)


def _plan_file(tmp: Path, edit: Edit) -> Path:
    data = yaml.safe_load(_example())
    edit(data)
    p = tmp / "p.yaml"
    p.write_text(yaml.safe_dump(data, sort_keys=False))
    return p


def _nic(d: dict[str, Any], i: int) -> dict[str, Any]:
    return d["hosts"][0]["guests"][i]["network"][0]


def _set(i: int, **kv: Any) -> Edit:
    return lambda d: _nic(d, i).update(kv)


def _both(*edits: Edit) -> Edit:
    def run(d: dict[str, Any]) -> None:
        for e in edits:
            e(d)

    return run


def _second_host(d: dict[str, Any], host_id: str, first_id: str | None = None) -> None:
    h0 = d["hosts"][0]
    h1 = yaml.safe_load(yaml.safe_dump(h0))
    h1["guests"] = [h0["guests"].pop()]
    h1["id"] = host_id
    if first_id is not None:
        h0["id"] = first_id
    d["hosts"].append(h1)


#: (id, edit of the example plan, finding code expected)
FINDINGS: list[tuple[str, Edit, str]] = [
    (
        "rc7-duplicate-mac-correct",
        _both(_set(0, mac="02:00:00:00:00:01"), _set(1, mac="02:00:00:00:00:01")),
        "CK030",
    ),
    (
        "rc7-duplicate-mac-case-correct",
        _both(_set(0, mac="02:00:00:AB:CD:EF"), _set(1, mac="02:00:00:ab:cd:ef")),
        "CK030",
    ),
    ("rc7-duplicate-ip-correct", _set(1, ip="10.1.0.11/16"), "CK031"),
    ("rc7-duplicate-ip-other-prefix-correct", _set(1, ip="10.1.0.11/24"), "CK031"),
    ("rc7-ip-outside-network-correct", _set(0, ip="192.168.7.9/16"), "CK032"),
    ("rc7-ip-network-address-correct", _set(0, ip="10.1.0.0/16"), "CK032"),
    ("rc7-ip-broadcast-address-correct", _set(0, ip="10.1.255.255/16"), "CK032"),
    ("rc7-nic-unknown-network-correct", _set(0, network="vsw9"), "CK033"),
    (
        "rc7-profile-nic-unknown-network-correct",
        lambda d: d["hosts"][0]["profiles"][0]["nics"][0].update(network="nowhere"),
        "CK033",
    ),
    ("rc7-duplicate-image-id-correct", lambda d: d["images"].append(dict(d["images"][0])), "CK034"),
    (
        "rc7-duplicate-network-id-correct",
        lambda d: d["networks"].append({**d["networks"][0], "cidr": "10.2.0.0/16"}),
        "CK034",
    ),
    ("rc7-duplicate-host-id-correct", lambda d: _second_host(d, "lpar1"), "CK035"),
    ("rc7-host-id-case-correct", lambda d: _second_host(d, "LPAR1"), "CK035"),
    ("rc7-host-id-ansible-group-correct", lambda d: _second_host(d, "lpar_a", "lpar-a"), "CK035"),
    ("rc7-host-id-role-group-correct", lambda d: _second_host(d, "role_file"), "CK035"),
]


@pytest.mark.catalogue
@pytest.mark.parametrize(
    ("edit", "code"), [(e, c) for _, e, c in FINDINGS], ids=[i for i, _, _ in FINDINGS]
)
def test_validate_finds_the_conflict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], edit: Edit, code: str
) -> None:
    rc, out, err = cli(["validate", _plan_file(tmp_path, edit)], capsys)
    assert rc == 1, (out, err)
    assert code in out


@pytest.mark.catalogue
@pytest.mark.parametrize("ids", [None], ids=["rc7-example-no-false-finding-correct"])
def test_example_has_none_of_the_new_findings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], ids: None
) -> None:
    _rc, out, _err = cli(["validate", _plan_file(tmp_path, lambda d: None)], capsys)
    assert not any(f"CK03{n}" in out for n in range(7))


def _hosts_of(out_dir: Path) -> dict[str, set[str]]:
    doc = yaml.safe_load((out_dir / "plan.yaml").read_text())
    return {h["id"]: {g["source_server"] for g in h["guests"]} for h in doc["hosts"]}


def _guest_hosts(out_dir: Path, server: str) -> list[str]:
    doc = yaml.safe_load((out_dir / "plan.yaml").read_text())
    return [h["id"] for h in doc["hosts"] for g in h["guests"] if g["source_server"] == server]


HONOURED = [
    ("rc7-anti-affinity-pair-no-traces-correct", 2, [["file", "web"]]),
    ("rc7-anti-affinity-self-pair-no-traces-correct", 2, [["firewall", "firewall"]]),
    ("rc7-anti-affinity-auto-hosts-correct", "auto", [["dns", "dns"]]),
    ("rc7-anti-affinity-two-pairs-correct", 3, [["file", "web"], ["firewall", "firewall"]]),
]


@pytest.mark.catalogue
@pytest.mark.parametrize(
    ("hosts", "pairs"), [(h, p) for _, h, p in HONOURED], ids=[i for i, _, _ in HONOURED]
)
def test_anti_affinity_honoured_without_traces(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], hosts: Any, pairs: list[list[str]]
) -> None:
    scen = scenario(
        tmp_path,
        **{
            "target.hosts": hosts,
            "target.memory_gib_per_host": None,
            "guests.anti_affinity": pairs,
        },
    )
    rc, out, err = cli(["plan", scen, "--out", tmp_path / "o"], capsys)
    assert rc in (0, 1), err
    assert "CK036" not in out
    for a, b in pairs:
        ha, hb = _guest_hosts(tmp_path / "o", a), _guest_hosts(tmp_path / "o", b)
        if a == b:
            assert len(set(ha)) == len(ha)  # every instance on its own host
        else:
            assert not set(ha) & set(hb)


REFUSED = [
    ("rc7-anti-affinity-unknown-server-error", 2, [["file", "mail"]], "names of inventory servers"),
    ("rc7-anti-affinity-one-instance-self-error", 2, [["solo", "solo"]], "count >= 2"),
    ("rc7-anti-affinity-too-few-hosts-error", 1, [["file", "web"]], "cannot be honoured on 1"),
    ("rc7-anti-affinity-self-too-few-hosts-error", 2, [["dns", "dns"]], "cannot be honoured on 2"),
]


@pytest.mark.catalogue
@pytest.mark.parametrize(
    ("hosts", "pairs", "message"),
    [(h, p, m) for _, h, p, m in REFUSED],
    ids=[i for i, _, _, _ in REFUSED],
)
def test_anti_affinity_refused_clearly(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    hosts: Any,
    pairs: list[list[str]],
    message: str,
) -> None:
    inv = Path("data/examples/xyz_inventory.csv").read_text().rstrip("\n")
    extra = tmp_path / "inv.csv"
    extra.write_text(inv + "\nsolo,Solo,1400,mhz_per_core,2,10,30,file-print,1024,10,1\n")
    scen = scenario(
        tmp_path,
        extra,
        **{
            "target.hosts": hosts,
            "target.memory_gib_per_host": None,
            "guests.anti_affinity": pairs,
        },
    )
    rc, _out, err = cli(["plan", scen, "--out", tmp_path / "o"], capsys)
    assert rc == 2
    assert message in err and "anti_affinity" in err
    assert not (tmp_path / "o").exists()
