"""Plan document: deterministic YAML, exact round trip, shipped schema, safe loading, atomic writes."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from colonykit import export, plan, render
from colonykit.errors import InputError

EXAMPLE = "data/examples/scenario.yaml"
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30)
FLOATS = st.floats(allow_nan=False, allow_infinity=False)
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-(2**53), 2**53), FLOATS, TEXT)


@pytest.fixture(scope="module")
def example() -> plan.ColonyPlan:
    return plan.build_plan(EXAMPLE).plan


@st.composite
def plans(draw) -> plan.ColonyPlan:
    """Random but valid z/VM plans (free text and floats included to stress YAML)."""
    n = draw(st.integers(1, 6))
    guests = []
    for i in range(n):
        mem = draw(st.integers(1, 65536))
        vc = draw(st.integers(1, 8))
        storage = [
            plan.StorageItem(
                id="root", role="root", kind="shared", access="ro", vdev="0201", image="base"
            )
        ]
        storage.append(
            plan.StorageItem(
                id="data",
                role="data",
                kind="mdisk",
                access="rw",
                vdev="0202",
                size_cyl=100,
                size_mib=82,
                volser="LX0001",
                start_cyl=1 + 100 * i,
                fs=draw(st.sampled_from(["", "ext3", "ext4", "xfs"])),
            )
        )
        if draw(st.booleans()):
            storage.append(
                plan.StorageItem(
                    id="swap",
                    role="swap",
                    kind="vdisk",
                    access="rw",
                    vdev="0300",
                    size_mib=draw(st.integers(1, 2047)),
                )
            )
        guests.append(
            plan.Guest(
                name=f"g{i}",
                source_server=draw(TEXT),
                vcpus=vc,
                max_vcpus=vc + draw(st.integers(0, 4)),
                memory_mib=mem,
                max_memory_mib=mem,
                share_relative=draw(st.integers(1, 10000)),
                mips_sized=draw(st.floats(0, 1e6, allow_nan=False)),
                zvm=plan.ZvmGuest(
                    userid=f"LNX{i:05d}",
                    profile="LNXDFLT",
                    ipl="0201",
                    options=draw(st.lists(st.sampled_from(["APPLMON", "CHPIDV ONE"]), max_size=2)),
                ),
                storage=storage,
                network=[plan.GuestNic(network="vsw1", vdev="0600", ip=f"10.0.0.{i + 1}/24")],
                tags={"role": draw(TEXT)},
            )
        )
    host = plan.Host(
        id="lpar1",
        platform="zvm",
        capacity=plan.Capacity(
            cpus=draw(st.integers(1, 64)),
            memory_gib=draw(st.floats(0.5, 4096)),
            paging_gib=draw(st.floats(0, 1e5)),
            paging_volumes=draw(st.integers(0, 99)),
        ),
        rules=plan.Rules(max_memory_overcommit_ratio=draw(st.floats(0.1, 10))),
        profiles=[
            plan.Profile(
                name="LNXDFLT",
                links=[plan.Link(image="base", vdev="0201")],
                nics=[plan.NicRef(network="vsw1", vdev="0600")],
            )
        ],
        guests=guests,
    )
    values = draw(
        st.dictionaries(st.text("abcdefgh_", min_size=1, max_size=8), SCALARS, max_size=5)
    )
    ev = plan.EvidenceItem(evaluated=draw(st.booleans()), note=draw(TEXT), values=values)
    return plan.ColonyPlan(
        metadata=plan.Metadata(
            name="p",
            revision=draw(st.integers(1, 1000)),
            generated_by="test",
            design="zvm-basevol-guestvol",
            platform="zvm",
        ),
        images=[
            plan.Image(
                id="base",
                role="root",
                mount="/",
                size_mib=2706,
                size_cyl=3338,
                zvm=plan.ZvmDisk(
                    owner="LINXBASE", vdev="0201", volser="BASE01", start_cyl=1, count_cyl=3338
                ),
            )
        ],
        networks=[plan.Network(id="vsw1", zvm=plan.ZvmNetwork(vswitch="VSW1"))],
        hosts=[host],
        evidence=plan.Evidence(
            sizing=ev,
            white_space=ev,
            paging=ev,
            channels=ev,
            design=ev,
            assumptions=[plan.Assumption(name="a", value=draw(SCALARS))],
        ),
    )


VALIDATOR = jsonschema.Draft202012Validator(export.shipped_schema())


@settings(max_examples=40)
@given(p=plans())
def test_round_trip_generated(p: plan.ColonyPlan) -> None:
    text = export.plan_to_yaml(p)
    back = export.load_plan_text(text)
    assert back == p
    assert export.plan_to_yaml(back) == text  # byte-identical
    VALIDATOR.validate(yaml.safe_load(text))


def test_special_characters_round_trip(example) -> None:
    p = example.model_copy(deep=True)
    p.evidence.design.note = "a\x85b\nc\u2028d: 'e' \"f\" # g\t"
    assert export.load_plan_text(export.plan_to_yaml(p)) == p


def test_example_round_trip_and_determinism(example) -> None:
    text = export.plan_to_yaml(example)
    assert export.load_plan_text(text) == example
    again = plan.build_plan(EXAMPLE).plan
    assert export.plan_to_yaml(again) == text
    assert (
        text.startswith("# colonykit provisioning plan")
        and "\napiVersion: colonykit/v1\nkind: ColonyPlan\n" in text
    )


def test_shipped_schema_is_generated() -> None:
    # byte for byte, at every supported pydantic (make test-minima runs this at pydantic 2.6)
    assert export.schema_text() == export.SCHEMA_FILE.read_text(encoding="utf-8")
    assert export.plan_schema() == export.shipped_schema()


def test_schema_is_the_same_on_every_call() -> None:
    # pydantic 2.6 wrote one field's default into a WithJsonSchema dict shared with another
    # field (patterns.MountPoint: Image.mount has no default, StorageItem.mount has "")
    first = export.plan_schema()
    second = export.plan_schema()
    assert first == second
    assert "default" not in second["$defs"]["Image"]["properties"]["mount"]
    assert second["$defs"]["StorageItem"]["properties"]["mount"]["default"] == ""


def test_schema_written_one_way_at_every_pydantic() -> None:
    def nodes(node):
        if isinstance(node, dict):
            yield node
            for value in node.values():
                yield from nodes(value)
        elif isinstance(node, list):
            for value in node:
                yield from nodes(value)

    every = list(nodes(export.plan_schema()))
    assert not [n for n in every if n.get("allOf") and len(n["allOf"]) == 1]
    assert all(n.get("type") == "string" for n in every if isinstance(n.get("const"), str))
    bounds = [n[k] for n in every for k in ("minimum", "exclusiveMinimum", "maximum") if k in n]
    assert bounds and not [b for b in bounds if isinstance(b, float) and b.is_integer()]
    # the rewrite keeps meaning: same refs, same consts
    assert export._same_at_every_pydantic({"allOf": [{"$ref": "#/x"}], "description": "d"}) == {
        "$ref": "#/x",
        "description": "d",
    }
    assert export._same_at_every_pydantic({"allOf": [{"$ref": "#/x"}, {"$ref": "#/y"}]}) == {
        "allOf": [{"$ref": "#/x"}, {"$ref": "#/y"}]
    }
    assert export._same_at_every_pydantic({"minimum": 0.5, "default": 0.0}) == {
        "minimum": 0.5,
        "default": 0.0,
    }


def test_example_validates_against_schema(example) -> None:
    jsonschema.validate(export.plan_to_dict(example), export.shipped_schema())


def test_schema_rejects_what_pydantic_rejects(example) -> None:
    data = export.plan_to_dict(example)
    data["hosts"][0]["guests"][0]["zvm"]["userid"] = "lnx-toolong"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, export.shipped_schema())
    assert export.validate_plan_text(yaml.safe_dump(data), "p.yaml")


def test_every_problem_listed_by_path(example) -> None:
    data = export.plan_to_dict(example)
    data["hosts"][0]["guests"][0]["vcpus"] = 0
    data["hosts"][0]["guests"][2]["zvm"]["userid"] = "bad id"
    data["hosts"][0]["guests"][3]["storage"][1]["vdev"] = "ZZZZZ"
    data["hosts"][0]["colour"] = "blue"
    problems = export.validate_plan_text(yaml.safe_dump(data), "p.yaml")
    assert any(
        p.startswith("'hosts.0.guests.0.vcpus' must be greater than or equal to 1")
        for p in problems
    )
    assert any(p.startswith("'hosts.0.guests.2.zvm.userid'") for p in problems)
    assert any("'hosts.0.colour' must be a known key" in p for p in problems)
    assert len(problems) == 4
    with pytest.raises(InputError) as exc:
        export.load_plan_text(yaml.safe_dump(data), "p.yaml")
    assert len(exc.value.problems) == 4


def test_safe_loader_only() -> None:
    evil = "!!python/object/apply:os.system ['echo hacked']\n"
    with pytest.raises(InputError, match="not valid YAML"):
        export.load_plan_text(evil)
    assert export.validate_plan_text("[1, 2]")[0].endswith("must be a YAML mapping (got list)")
    with pytest.raises(InputError, match="not found"):
        export.load_plan("no/such/plan.yaml")


def test_wrong_version(example) -> None:
    data = export.plan_to_dict(example)
    data["apiVersion"] = "colonykit/v2"
    problems = export.validate_plan_text(yaml.safe_dump(data))
    assert problems == ["'apiVersion' must be 'colonykit/v1' (got 'colonykit/v2') at plan"]


def test_write_plan_atomic(tmp_path, example, monkeypatch) -> None:
    out = tmp_path / "out"
    files = export.write_plan(example, out)
    rel = sorted(str(p.relative_to(out)) for p in files)
    assert "plan.yaml" in rel and "render/zvm/lpar1/USER.DIRECT" in rel
    assert (
        "render/ansible/inventory.yml" in rel
        and sum(r.startswith("render/feilong/") for r in rel) == 26
    )
    assert export.load_plan(out / "plan.yaml") == example
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}

    def boom(plan_doc, target):
        raise InputError("renderer failed")

    changed = example.model_copy(deep=True)
    changed.metadata.revision = 2
    monkeypatch.setattr(render, "render", boom)
    with pytest.raises(InputError):
        export.write_plan(changed, out)
    after = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before  # nothing half-written
    assert not [p for p in out.iterdir() if p.name.startswith(".colonykit-stage")]


def test_write_schema(tmp_path) -> None:
    p = export.write_schema(tmp_path / "s.json")
    assert json.loads(Path(p).read_text()) == export.plan_schema()
