"""The declarative schema of designs.yaml (issue 27 §9): one test per kind of message.

Every message has colonykit's shape: the field, the valid range declared in the schema, the
value found, and where (the file and line of the design part, then the design and component).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from colonykit import designs
from colonykit.designs_schema import (
    ComponentSpec,
    DesignSpec,
    ParameterSpec,
    location,
    node_lines,
    part_problems,
)
from colonykit.errors import InputError

GOOD_PARAMS = "    parameters:\n      a_cyl: {value: 10, unit: cyl, source: me}\n"
GOOD_COMP = "      - {id: r, kind: mdisk, size: {param: a_cyl}}\n"


def _problems(tmp_path: Path, body: str, name: str = "x") -> list[str]:
    p = tmp_path / "d.yaml"
    p.write_text(f"designs:\n  {name}:\n{body}")
    with pytest.raises(InputError) as exc:
        designs.get_design(name, path=p)
    assert str(exc.value).startswith(f"invalid design {name!r}: ")
    return list(exc.value.problems)


@pytest.mark.parametrize(
    ("spec", "line", "expected"),
    [  # (parameter as written, its line, the message)
        (
            "{value: -1, source: s}",
            5,
            "'parameters.b_cyl.value' must be a number in 0..1e+09 (got -1)",
        ),
        (
            "{value: 1.0e+300, source: s}",
            5,
            "'parameters.b_cyl.value' must be a number in 0..1e+09 (got 1e+300)",
        ),
        (
            "{value: .nan, source: s}",
            5,
            "'parameters.b_cyl.value' must be a number in 0..1e+09 (got nan)",
        ),
        (
            "{value: true, source: s}",
            5,
            "'parameters.b_cyl.value' must be a number in 0..1e+09 (got True)",
        ),
        (
            "{value: lots, source: s}",
            5,
            "'parameters.b_cyl.value' must be a number in 0..1e+09 (got 'lots')",
        ),
        (
            "{value: 1}",
            5,
            "'parameters.b_cyl' must be a mapping with value and source (got {'value': 1})",
        ),
        (
            "{value: 1, source: ''}",
            5,
            "'parameters.b_cyl' must be a mapping with value and source (got {'source': '', 'value': 1})",
        ),
        ("7", 5, "'parameters.b_cyl' must be a mapping with value and source (got 7)"),
    ],
)
def test_parameter_messages(tmp_path: Path, spec: str, line: int, expected: str) -> None:
    body = (
        "    parameters:\n      a_cyl: {value: 10, source: me}\n"
        f"      b_cyl: {spec}\n    components:\n" + GOOD_COMP
    )
    assert _problems(tmp_path, body) == [
        f"{expected} at {tmp_path / 'd.yaml'} line {line} (design 'x')"
    ]


@pytest.mark.parametrize(
    ("component", "expected"),
    [
        (
            "{id: s, kind: floppy}",
            "'kind' must be one of ['mdisk', 'tdisk', 'vdisk', 'image', 'nfs'] (got 'floppy')",
        ),
        ("{id: s, kind: mdisk, size: 5}", "'size' must be a mapping with 'param' (got 5)"),
        (
            "{id: s, kind: mdisk, size: {times: a_cyl}}",
            "'size' must be a mapping with 'param' (got {'times': 'a_cyl'})",
        ),
        (
            "{kind: mdisk}",
            "'component' must be a mapping with 'id' and 'kind' (got {'kind': 'mdisk'})",
        ),
        ("just-text", "'component' must be a mapping with 'id' and 'kind' (got 'just-text')"),
        (
            "{id: s, kind: mdisk, size: {param: b_cyl}}",
            "'size.param' must be one of ['a_cyl'] (got 'b_cyl')",
        ),
        (
            "{id: s, kind: mdisk, size: {param: a_cyl, times: c}}",
            "'size.times' must be one of ['a_cyl'] (got 'c')",
        ),
        (
            "{id: s, kind: mdisk, size: {param: a_cyl, minus: zz}}",
            "'size.minus' must be an earlier component id (got 'zz')",
        ),
        (
            "{id: s, kind: mdisk, size: {param: a_cyl, minus: s}}",
            "'size.minus' must be an earlier component id (got 's')",
        ),
    ],
)
def test_component_messages(tmp_path: Path, component: str, expected: str) -> None:
    body = GOOD_PARAMS + "    components:\n" + GOOD_COMP + f"      - {component}\n"
    where = f"{tmp_path / 'd.yaml'} line 7 (design 'x' component 2)"
    assert _problems(tmp_path, body) == [f"{expected} at {where}"]


def test_negative_size_names_the_component(tmp_path: Path) -> None:
    body = (
        "    parameters:\n      a_cyl: {value: 10, source: me}\n      b_cyl: {value: 30, source: me}\n"
        "    components:\n      - {id: big, kind: mdisk, size: {param: b_cyl}}\n"
        "      - {id: rest, kind: mdisk, size: {param: a_cyl, minus: big}}\n"
    )
    (problem,) = _problems(tmp_path, body)
    assert problem == (
        f"'size of rest' must be >= 0 (got -20.0) at {tmp_path / 'd.yaml'} line 8 (design 'x' component 2)"
    )


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("ro_dirs: /usr", "'ro_dirs' must be a list of text (got '/usr')"),
        ("options: {a: 1}", "'options' must be a list of text (got {'a': 1})"),
        (
            "parameters: [a, b]",
            "'parameters' must be a mapping of parameter name to {value, unit, source} (got ['a', 'b'])",
        ),
        ("components: {a: 1}", "'components' must be a list of components (got {'a': 1})"),
    ],
)
def test_design_field_messages(tmp_path: Path, field: str, expected: str) -> None:
    (problem,) = _problems(tmp_path, f"    title: t\n    {field}\n")
    assert problem == f"{expected} at {tmp_path / 'd.yaml'} line 4 (design 'x')"  # the field's line


def test_design_not_a_mapping(tmp_path: Path) -> None:
    p = tmp_path / "d.yaml"
    p.write_text("designs:\n  x: 5\n")
    with pytest.raises(
        InputError, match=r"'design' must be a mapping of design fields \(got 5\) at .*line 2 "
    ):
        designs.get_design("x", path=p)


def test_every_problem_of_a_design_at_once(tmp_path: Path) -> None:
    """A bad field of the design does not hide the problems of its parameters and disks."""
    body = (
        "    ro_dirs: abc\n    parameters:\n      a_cyl: {value: -1, source: s}\n"
        "    components:\n      - {id: r, kind: floppy}\n      - {id: s, kind: mdisk, size: {param: a_cyl}}\n"
    )
    problems = _problems(tmp_path, body)
    assert [re.match(r"'([^']+)'", p).group(1) for p in problems] == [  # type: ignore[union-attr]
        "ro_dirs",
        "parameters.a_cyl.value",
        "kind",
        "size.param",  # a_cyl was refused, so the disk cannot name it
    ]


def test_bundled_file_messages_name_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """An override problem keeps today's message (no file: the value comes from the scenario)."""
    with pytest.raises(InputError) as exc:
        designs.get_design("zvm-basevol-guestvol", {"guestvol_cyl": -5})
    assert exc.value.problems == [
        "'design.overrides.guestvol_cyl' must be a number in 0..1e+09 (limit MAX_TABLE_VALUE) (got -5)"
    ]
    assert location(
        "dedicated", designs._bundled_lines(), "bundled designs.yaml", "parameters", "install_cyl"
    ).startswith("bundled designs.yaml line ")


def test_bundled_file_validates() -> None:
    for name in designs.design_names():
        raw = designs.load_designs_file()[name]
        assert part_problems(DesignSpec, raw, "", name)[1] == []
        for pname, spec in raw["parameters"].items():
            assert part_problems(ParameterSpec, spec, pname, name)[1] == []
        for comp in raw["components"]:
            assert part_problems(ComponentSpec, comp, "", name)[1] == []


def test_scalars_written_for_text_are_read_as_text() -> None:
    comp = ComponentSpec.model_validate({"id": 1, "kind": "mdisk", "vdev": 100, "role": None})
    assert (comp.id, comp.vdev, comp.role, comp.access, comp.counted) == (
        "1",
        "100",
        "",
        "rw",
        True,
    )


def test_node_lines_by_hand() -> None:
    text = "designs:\n  a:\n    parameters:\n      p: {value: 1}\n    components:\n      - x\n      - y\n"
    lines = node_lines(text)
    assert lines[("designs",)] == 1
    assert lines[("designs", "a")] == 2
    assert lines[("designs", "a", "parameters", "p")] == 4
    assert lines[("designs", "a", "components", 1)] == 7
    assert node_lines("a: [1") == {}


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_parameter_value_range(value: float) -> None:
    """A value is accepted exactly when it is a finite number in 0..MAX_TABLE_VALUE."""
    model, problems = part_problems(ParameterSpec, {"value": value, "source": "s"}, "p", "here")
    ok = value == value and 0 <= value <= 1e9
    assert (model is not None) == ok
    assert (problems == []) == ok
