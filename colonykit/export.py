"""The versioned provisioning document: YAML out, YAML in, JSON Schema.

A plan is written as ``apiVersion: colonykit/v1`` / ``kind: ColonyPlan`` YAML.  The
document is defined once, by the pydantic models in :mod:`colonykit.plan`
(:class:`~colonykit.plan.ColonyPlan`); its JSON Schema is generated from them and shipped
as ``colonykit/_data/plan.schema.json`` (:func:`plan_schema`).

* **Deterministic** — keys in model order, fixed formatting: the same plan gives
  byte-identical YAML (:func:`plan_to_yaml`).
* **Exact round trip** — ``load_plan(plan_to_yaml(p)) == p``.
* **Safe** — read with ``yaml.safe_load`` only; unknown keys are rejected, every problem is
  listed with its YAML path (:func:`validate_plan_text`).
* **Atomic** — :func:`write_plan` writes the YAML and the rendered files as one unit
  (:func:`colonykit._atomic.atomic_write_tree`); a failure leaves nothing half-written.

Examples
--------
>>> from colonykit import export, plan
>>> p = plan.build_plan("data/examples/scenario.yaml").plan
>>> text = export.plan_to_yaml(p)
>>> text.splitlines()[1]
'apiVersion: colonykit/v1'
>>> export.load_plan_text(text) == p
True
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from colonykit._atomic import atomic_write_text, atomic_write_tree
from colonykit._inputs import refuse_special
from colonykit._yaml import load_yaml, read_text, typed_scalars
from colonykit.errors import InputError, raise_problems
from colonykit.patterns import field_problems
from colonykit.plan import ColonyPlan, validation_problems

#: The shipped JSON Schema of the plan document.
SCHEMA_FILE = resources.files("colonykit") / "_data" / "plan.schema.json"
#: Header comment of every written plan.
HEADER = (
    "# colonykit provisioning plan (validate: colonykit validate FILE; schema: colonykit schema)\n"
)


class _PyDumper(yaml.SafeDumper):
    """SafeDumper that never emits aliases (plans are trees)."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


class _CDumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """libyaml's safe dumper (about 4× faster) that never emits aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


#: The plan emitter: libyaml where available.  Both emitters give the same text: block
#: sequences written flush with their key (libyaml's only style) and no line wrapping
#: (the two wrap long quoted strings differently); tests/test_catalogue_rc7.py checks.
_Dumper: type[yaml.SafeDumper] = _CDumper if hasattr(yaml, "CSafeDumper") else _PyDumper
#: Line width of the plan YAML: never wrap (see :data:`_Dumper`).
_YAML_WIDTH = 2**30


#: Characters YAML treats as line breaks or cannot print raw: such strings are double-quoted
#: (with escapes), which round-trips exactly.
_SPECIAL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff]")


#: Plain scalars a YAML 1.2 reader (Go yaml.v3, ruamel, js-yaml) would read as numbers or
#: booleans although YAML 1.1 (PyYAML) reads them as strings: device numbers like ``0186`` or
#: ``0201`` (YAML 1.2 core: decimal 186), ``1_000``, ``0o17``, ``.5``.  They are quoted so every
#: consumer reads the same string.
_NUMBER_LIKE = re.compile(
    r"^(?:[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?"
    r"|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"
    r"|y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF|true|True|TRUE|false|False|FALSE"
    r"|null|Null|NULL|~)$"
)


def _str_representer(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    style = '"' if _SPECIAL.search(data) else ("'" if _NUMBER_LIKE.match(data) else None)
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_PyDumper.add_representer(str, _str_representer)
_CDumper.add_representer(str, _str_representer)


def plan_to_dict(plan: ColonyPlan) -> dict[str, Any]:
    """The plan as plain JSON-compatible data (``None`` fields left out).

    Parameters
    ----------
    plan : ColonyPlan
        The plan.

    Examples
    --------
    >>> from colonykit import plan
    >>> d = plan_to_dict(plan.build_plan("data/examples/scenario.yaml").plan)
    >>> list(d)[:3]
    ['apiVersion', 'kind', 'metadata']
    """
    return plan.model_dump(mode="json", exclude_none=True)


def plan_to_yaml(plan: ColonyPlan) -> str:
    """Deterministic YAML text of a plan (same plan → byte-identical text).

    Parameters
    ----------
    plan : ColonyPlan
        The plan.

    Examples
    --------
    >>> from colonykit import plan
    >>> p = plan.build_plan("data/examples/scenario.yaml").plan
    >>> plan_to_yaml(p) == plan_to_yaml(p.model_copy(deep=True))
    True
    """
    body = yaml.dump(
        plan_to_dict(plan),
        Dumper=_Dumper,
        sort_keys=False,
        default_flow_style=False,
        allow_unicode=True,
        width=_YAML_WIDTH,
        indent=2,
    )
    return HEADER + body


def _problems_of(
    data: Any, where: str, text: str | None = None
) -> tuple[ColonyPlan | None, list[str]]:
    if not isinstance(data, dict):
        return None, [f"{where}: a plan must be a YAML mapping (got {type(data).__name__})"]
    try:
        doc = ColonyPlan.model_validate(data)
    except ValidationError as exc:  # only now: how YAML 1.1 read the values (0600 -> 384)
        typed = typed_scalars(text) if text is not None else None
        return None, validation_problems(exc, where, ColonyPlan, typed)
    problems = field_problems(doc, where)  # patterns and bounds of every rendered field
    return (None, problems) if problems else (doc, [])


def validate_plan_text(text: str, where: str = "plan") -> list[str]:
    """Every problem of a plan document (empty list: valid).

    Parameters
    ----------
    text : str
        The plan YAML text.
    where : str, default 'plan'
        Its source, for the messages.

    Examples
    --------
    >>> validate_plan_text("apiVersion: colonykit/v1\\nkind: ColonyPlan\\n", "p.yaml")[:1]
    ["'metadata' must be given (required key is missing) at p.yaml"]
    """
    try:
        data = load_yaml(text, where)
    except InputError as exc:
        return [str(exc)]
    return _problems_of(data, where, text)[1]


def load_plan_text(text: str, where: str = "plan") -> ColonyPlan:
    """Parse and validate plan YAML text.

    Parameters
    ----------
    text : str
        The plan YAML text.
    where : str, default 'plan'
        Its source, for the messages.

    Raises
    ------
    InputError
        Not YAML, not a mapping, or invalid; ``.problems`` lists every problem by path.
    """
    data = load_yaml(text, where)
    plan, problems = _problems_of(data, where, text)
    raise_problems(problems, f"invalid plan {where}")
    assert plan is not None
    return plan


def load_plan(path: str | Path) -> ColonyPlan:
    """Read and validate a plan YAML file (``yaml.safe_load`` only).

    Parameters
    ----------
    path : str or Path
        The plan YAML file.

    Raises
    ------
    InputError
        Missing file, bad YAML or an invalid plan (every problem listed by path).
    """
    p = Path(path)
    refuse_special(p, "plan")
    if not p.is_file():
        msg = f"plan file not found: {p}"
        raise InputError(msg)
    return load_plan_text(read_text(p, "plan"), p.name)


_BOUND_KEYS = frozenset({"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"})


def _same_at_every_pydantic(node: Any) -> Any:
    """Write ``{"allOf": [{"$ref": R}], ...}`` as ``{"$ref": R, ...}``, recursively.

    A string or integer ``const`` also gets its ``"type"``, and a whole-number bound
    is written as an integer (``0``, not ``0.0``).

    The two are the same in JSON Schema 2020-12 (``$ref`` may have siblings);
    pydantic before 2.9 writes the first form and later versions the second, so the
    schema is the same at every supported pydantic version.
    """
    if isinstance(node, list):
        return [_same_at_every_pydantic(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _same_at_every_pydantic(value) for key, value in node.items()}
    all_of = out.get("allOf")
    if (
        "$ref" not in out
        and isinstance(all_of, list)
        and len(all_of) == 1
        and isinstance(all_of[0], dict)
        and set(all_of[0]) == {"$ref"}
    ):
        del out["allOf"]
        out["$ref"] = all_of[0]["$ref"]
    const = out.get("const")
    if isinstance(const, str) and "type" not in out:
        out["type"] = "string"  # pydantic >= 2.7 types a string const; 2.6 does not
    elif isinstance(const, int) and not isinstance(const, bool) and "type" not in out:
        out["type"] = "integer"  # likewise an integer const (Literal[1])
    for key in _BOUND_KEYS.intersection(out):
        bound = out[key]
        if isinstance(bound, float) and bound.is_integer():
            out[key] = int(bound)  # pydantic 2.6 writes ge=0 of a float field as 0.0
    return out


def plan_schema() -> dict[str, Any]:
    """The JSON Schema of the plan document, generated from the pydantic models.

    Examples
    --------
    >>> plan_schema()["title"]
    'ColonyPlan'
    """
    schema = _same_at_every_pydantic(ColonyPlan.model_json_schema(mode="validation"))
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://colonykit.invalid/schemas/colonykit-v1-plan.json"
    return schema


def schema_text() -> str:
    """The JSON Schema as deterministic text (what ``plan.schema.json`` holds)."""
    return json.dumps(plan_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def shipped_schema() -> dict[str, Any]:
    """The JSON Schema shipped in the package (``colonykit/_data/plan.schema.json``)."""
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


def write_schema(path: str | Path) -> Path:
    """Write the generated schema (used to refresh the shipped file).

    Parameters
    ----------
    path : str or Path
        Where to write the JSON Schema.
    """
    return atomic_write_text(path, schema_text())


def plan_secrets(plan: ColonyPlan) -> list[str]:
    """The distinct guest passwords in a plan (files holding one are written 0600), sorted.

    Parameters
    ----------
    plan : ColonyPlan
        The plan.

    Examples
    --------
    >>> from colonykit import plan
    >>> plan_secrets(plan.build_plan("data/examples/scenario.yaml").plan)
    ['XXXXXXXX']
    """
    return sorted(
        {
            g.zvm.password
            for h in plan.hosts
            for g in h.guests
            if g.zvm is not None and g.zvm.password
        }
    )


def plan_files(
    plan: ColonyPlan, *, targets: Iterable[str] | None = None, plan_name: str = "plan.yaml"
) -> dict[str, str]:
    """``plan.yaml`` and ``render/<target>/…`` as a mapping relative path -> text (in memory).

    Parameters
    ----------
    plan : ColonyPlan
        The plan.
    targets : iterable of str, optional
        Render targets to include; default every target that applies to the plan's platform.
    plan_name : str, default 'plan.yaml'
        Relative path of the plan file itself.
    """
    from colonykit import render

    raise_problems(
        field_problems(plan, "plan"),
        "refusing to write a plan whose fields could change the structure of the rendered files",
    )
    files = {plan_name: plan_to_yaml(plan)}
    chosen = list(targets) if targets is not None else render.targets_for(plan)
    for target in chosen:
        for rel, text in render.render(plan, target).items():
            files[f"render/{target}/{rel}"] = text
    return files


def write_plan(
    plan: ColonyPlan,
    out_dir: str | Path,
    *,
    targets: Iterable[str] | None = None,
    plan_name: str = "plan.yaml",
    extra: dict[str, str] | None = None,
    replace_changed: bool = False,
) -> list[Path]:
    """Write ``plan.yaml`` and ``render/<target>/…`` under ``out_dir`` as one unit.

    Everything is rendered in memory first (:func:`plan_files`), then the folder is
    replaced as a whole through :func:`colonykit._atomic.atomic_write_tree`: if rendering
    fails nothing is written, files of an earlier plan that this one no longer has are
    gone, and files holding a guest password are mode 0600.

    Parameters
    ----------
    plan : ColonyPlan
        The plan.
    out_dir : path
        The output folder (written as a unit).
    targets : iterable of str, optional
        Renderers to run (default: those that apply to the plan's platform).
    plan_name : str
        File name of the YAML.
    extra : dict, optional
        More files (relative path -> text) written in the same unit (``colonykit run``).
    replace_changed : bool, default False
        Replace files changed since colonykit wrote them (a hand-edited ``plan.yaml``);
        default: refuse (:func:`colonykit._atomic.atomic_write_tree`).

    Returns
    -------
    list of Path
        The written files (plan first).
    """
    files = plan_files(plan, targets=targets, plan_name=plan_name)
    files.update(extra or {})
    return atomic_write_tree(
        out_dir, files, secrets=plan_secrets(plan), replace_changed=replace_changed
    )


__all__ = [
    "SCHEMA_FILE",
    "load_plan",
    "load_plan_text",
    "plan_schema",
    "plan_to_dict",
    "plan_files",
    "plan_secrets",
    "plan_to_yaml",
    "schema_text",
    "shipped_schema",
    "validate_plan_text",
    "write_plan",
    "write_schema",
]
