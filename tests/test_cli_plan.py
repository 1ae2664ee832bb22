"""CLI: designs / plan / schema / validate / render — contracts, exit codes, no half-written output."""

from __future__ import annotations

import json

import jsonschema
import pytest
import yaml
from helpers import write_scenario

from colonykit import designs, export, plan
from colonykit.cli import main

EXAMPLE = "data/examples/scenario.yaml"


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_designs_json_contract(capsys) -> None:
    code, out, _ = _run(capsys, "designs", "--guests", "26", "--format", "json")
    assert code == 0
    rows = json.loads(out)
    frame = designs.compare(26)
    assert [r["design"] for r in rows] == list(frame.index)
    for r in rows:
        assert {
            "design",
            "shared_gib",
            "per_guest_gib",
            "total_gib",
            "saving_vs_dedicated_pct",
        } <= set(r)
        assert r["total_gib"] == pytest.approx(frame.loc[r["design"], "total_gib"])
    code, out, _ = _run(capsys, "designs", "--guests", "26")
    assert code == 0 and "zvm-basevol-guestvol" in out


def test_designs_bad_input(capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["designs", "--guests", "0"])
    assert exc.value.code == 2
    assert "error: argument --guests" in capsys.readouterr().err
    code, _, err = _run(capsys, "designs", "--guests", "3", "--design", "nope")
    assert code == 2 and err.startswith("error: unknown design 'nope'")


def test_plan_writes_valid_files(tmp_path, capsys) -> None:
    out_dir = tmp_path / "out"
    code, out, err = _run(capsys, "plan", EXAMPLE, "--out", str(out_dir), "--format", "json")
    assert code == 0, err
    doc = json.loads(out)
    assert set(doc) == {"plan", "files", "findings"}
    assert "plan.yaml" in doc["files"] and "render/zvm/lpar1/USER.DIRECT" in doc["files"]
    assert all((out_dir / f).is_file() for f in doc["files"])
    written = yaml.safe_load((out_dir / "plan.yaml").read_text())
    jsonschema.validate(written, export.shipped_schema())
    from colonykit.cli._common import REDACTED, redact_secrets

    assert redact_secrets(written) == doc["plan"]  # the same plan, passwords redacted on stdout
    assert REDACTED in out and "XXXXXXXX" not in out
    assert [f["code"] for f in doc["findings"]] == [
        "CK012",
        "CK019",
        "CK019",
    ]  # CK019: what Feilong and libvirt cannot carry
    code, out, _ = _run(capsys, "plan", EXAMPLE, "--out", str(out_dir))
    assert code == 0 and "26 guests" in out


def test_plan_exit_1_on_error_findings(tmp_path, capsys) -> None:
    s = write_scenario(tmp_path, **{"target.memory_gib_per_host": 8})
    code, out, _ = _run(capsys, "plan", str(s), "--out", str(tmp_path / "o"))
    assert code == 1 and "CK002" in out
    jsonschema.validate(
        yaml.safe_load((tmp_path / "o" / "plan.yaml").read_text()), export.shipped_schema()
    )


@pytest.mark.parametrize(
    "changes",
    [
        {"design.name": "zvm-magic"},
        {"target.memory_gb_per_host": 8},
        {"colour": "blue"},
    ],
)
def test_plan_bad_input_exit_2_nothing_written(tmp_path, capsys, changes) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    (out_dir / "plan.yaml").write_text("old plan\n")
    code, out, err = _run(
        capsys, "plan", str(write_scenario(tmp_path, **changes)), "--out", str(out_dir)
    )
    assert code == 2 and err.startswith("error:") and "Traceback" not in err and out == ""
    assert sorted(p.name for p in out_dir.iterdir()) == ["plan.yaml"]
    assert (out_dir / "plan.yaml").read_text() == "old plan\n"


def test_plan_malformed_yaml(tmp_path, capsys) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: [x\n")
    code, _, err = _run(capsys, "plan", str(bad), "--out", str(tmp_path / "o"))
    assert code == 2 and "not valid YAML" in err
    assert not (tmp_path / "o").exists()


def test_plan_out_is_a_file(tmp_path, capsys) -> None:
    f = tmp_path / "file"
    f.write_text("x")
    code, _, err = _run(capsys, "plan", EXAMPLE, "--out", str(f))
    assert code == 2 and "must be a folder" in err


def test_schema_command(capsys) -> None:
    code, out, _ = _run(capsys, "schema")
    assert code == 0 and json.loads(out) == export.shipped_schema()


def test_validate_and_render_hand_edited(tmp_path, capsys) -> None:
    out_dir = tmp_path / "out"
    assert _run(capsys, "plan", EXAMPLE, "--out", str(out_dir))[0] == 0
    plan_file = out_dir / "plan.yaml"
    code, out, _ = _run(capsys, "validate", str(plan_file))
    assert code == 0 and "valid ColonyPlan" in out
    # a hand edit: more memory for one guest and a new revision -> still valid, re-rendered
    data = yaml.safe_load(plan_file.read_text())
    data["metadata"]["revision"] = 2
    data["hosts"][0]["guests"][0]["memory_mib"] = 1536
    data["hosts"][0]["guests"][0]["max_memory_mib"] = 1536
    edited = tmp_path / "edited.yaml"
    edited.write_text(yaml.safe_dump(data, sort_keys=False))
    # the edit outgrows the paging space: validate gates (exit 1), render refuses without --force
    code, out, _ = _run(capsys, "validate", str(edited))
    assert code == 1 and "ERROR   CK003" in out
    code, _, err = _run(
        capsys, "render", str(edited), "--target", "zvm", "--out", str(tmp_path / "r")
    )
    assert code == 1 and "CK003" in err and "--force" in err and not (tmp_path / "r").exists()
    code, out, _ = _run(
        capsys, "render", str(edited), "--target", "zvm", "--out", str(tmp_path / "r"), "--force"
    )
    assert code == 1
    text = (tmp_path / "r" / "zvm" / "lpar1" / "USER.DIRECT").read_text()
    assert "USER LNX00001 XXXXXXXX 1536M 1536M G" in text and "revision 2" in text


def test_validate_lists_every_problem(tmp_path, capsys) -> None:
    data = export.plan_to_dict(plan.build_plan(EXAMPLE).plan)
    data["hosts"][0]["guests"][0]["zvm"]["userid"] = "way-too-long"
    data["hosts"][0]["guests"][1]["memory_mib"] = -1
    data["images"][0]["zvm"]["vdev"] = "201"
    data["surprise"] = True
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(data))
    code, _, err = _run(capsys, "validate", str(bad))
    assert code == 2
    for path in (
        "hosts.0.guests.0.zvm.userid",
        "hosts.0.guests.1.memory_mib",
        "images.0.zvm.vdev",
        "surprise",
    ):
        assert f"error: '{path}'" in err
    assert "4 problem(s)" in err
    code, _, err = _run(capsys, "render", str(bad), "--target", "zvm", "--out", str(tmp_path / "r"))
    assert code == 2 and not (tmp_path / "r").exists()


def test_validate_missing_and_malformed(tmp_path, capsys) -> None:
    code, _, err = _run(capsys, "validate", str(tmp_path / "none.yaml"))
    assert code == 2 and "not found" in err
    bad = tmp_path / "bad.yaml"
    bad.write_text("apiVersion: [\n")
    code, _, err = _run(capsys, "validate", str(bad))
    assert code == 2 and "not valid YAML" in err


def test_render_wrong_platform(tmp_path, capsys) -> None:
    out_dir = tmp_path / "out"
    _run(capsys, "plan", EXAMPLE, "--out", str(out_dir))
    code, _, err = _run(
        capsys,
        "render",
        str(out_dir / "plan.yaml"),
        "--target",
        "xen",
        "--out",
        str(tmp_path / "r"),
    )
    assert code == 2 and "needs a xen plan" in err


def test_plan_wrong_target_writes_nothing(tmp_path, capsys) -> None:
    out_dir = tmp_path / "out"
    code, _, err = _run(
        capsys, "plan", EXAMPLE, "--out", str(out_dir), "--target", "zvm", "--target", "xen"
    )
    assert code == 2 and "needs a xen plan" in err
    assert not out_dir.exists() or not any(out_dir.rglob("*.*"))
