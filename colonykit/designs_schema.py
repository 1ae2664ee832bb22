"""The declarative schema of ``designs.yaml``: pydantic models of a design, its parameters and disks.

:mod:`colonykit.designs` validates each part of a design file with these models and reports
every problem at once, in colonykit's message shape (:func:`colonykit.errors.must_be`): the
field, the valid range declared next to it (``rule``), the value found and where it was::

    'parameters.install_cyl.value' must be a number in 0..1e+09 (got 1e+300) at design 'dedicated'
    'kind' must be one of ['mdisk', 'tdisk', 'vdisk', 'image', 'nfs'] (got 'floppy') at design 'x' component 1

The models check each part on its own (a parameter, a component, the design's own fields);
the references between parts (a size naming a parameter or an earlier component) are checked
by :func:`colonykit.designs.get_design` while it sizes the disks.

Examples
--------
>>> part_problems(ParameterSpec, {"value": -1, "source": "me"}, "parameters.a_cyl", "design 'x'")[1]
["'parameters.a_cyl.value' must be a number in 0..1e+09 (got -1) at design 'x'"]
>>> ParameterSpec.model_validate({"value": 3338, "unit": "cyl", "source": "seed 000"}).value
3338.0
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from colonykit.errors import must_be
from colonykit.limits import MAX_TABLE_VALUE

#: Component kinds: z/VM minidisk, temporary disk, virtual disk in storage, Xen file image, NFS.
KINDS: tuple[str, ...] = ("mdisk", "tdisk", "vdisk", "image", "nfs")


def _text(v: Any) -> Any:
    """A scalar written where text is meant (``vdev: 100``, ``id: 1``) is read as its text."""
    if v is None:
        return ""
    if isinstance(v, bool | int | float):
        return str(v)
    return v


#: Text field: a string, or a scalar read as text (as the loader always did).
Text = Annotated[str, BeforeValidator(_text)]


def _rule(text: str) -> dict[str, Any]:
    return {"rule": text}


class ParameterSpec(BaseModel):
    """One named number of a design: ``{value, unit, source, confidence}``.

    Parameters
    ----------
    value : float
        The number, in ``0..MAX_TABLE_VALUE`` (:data:`colonykit.limits.MAX_TABLE_VALUE`).
    unit : str, optional
        Its unit (``cyl``, ``mib``, ``frac`` …).
    source : str
        Where it comes from (publication and section); required.
    confidence : str, optional
        How sure the source is.
    """

    model_config = ConfigDict(
        extra="ignore", frozen=True, json_schema_extra=_rule("a mapping with value and source")
    )

    value: float = Field(
        strict=True,
        ge=0,
        le=MAX_TABLE_VALUE,
        allow_inf_nan=False,
        description="The number, in 0..MAX_TABLE_VALUE.",
        json_schema_extra=_rule(f"a number in 0..{MAX_TABLE_VALUE:g}"),
    )
    unit: Text = Field("", description="Its unit.")
    source: Text = Field(min_length=1, description="Where the value comes from (required).")
    confidence: Text = Field("", description="How sure the source is.")


class SizeSpec(BaseModel):
    """A component's size: ``{param: NAME}``, ``{param: NAME, times: NAME2}`` or ``{param: NAME, minus: ID}``.

    Parameters
    ----------
    param : str
        The parameter holding the size (cylinders or MiB by the component's kind).
    times : str, optional
        A parameter to multiply by (a fraction).
    minus : str, optional
        An earlier component whose size is subtracted.
    """

    model_config = ConfigDict(extra="ignore", frozen=True)

    param: Text = Field(description="The parameter holding the size.")
    times: Text | None = Field(None, description="A parameter to multiply by.")
    minus: Text | None = Field(None, description="An earlier component whose size is subtracted.")


class ComponentSpec(BaseModel):
    """One disk (or VDISK) of a design, as written in ``designs.yaml``.

    Parameters
    ----------
    id : str
        Unique within the design.
    kind : {'mdisk', 'tdisk', 'vdisk', 'image', 'nfs'}
        What it is.
    role : str, optional
        ``root``, ``usr``, ``boot``, ``data``, ``local``, ``rpm``, ``swap``, ``pkg`` ….
    shared : bool, default False
        One copy for the whole colony.
    access : str, default 'rw'
        ``ro`` or ``rw`` as the guests see it.
    vdev : str, optional
        z/VM virtual device number or Xen vdev.
    mount : str, optional
        Where the guest mounts it.
    fs : str, optional
        File system type.
    size : SizeSpec, optional
        How it is sized; none: listed, not counted.
    counted : bool, default True
        False: listed but not counted in the disk totals.
    """

    model_config = ConfigDict(
        extra="ignore", frozen=True, json_schema_extra=_rule("a mapping with 'id' and 'kind'")
    )

    id: Text = Field(description="Unique within the design.")
    kind: Literal["mdisk", "tdisk", "vdisk", "image", "nfs"] = Field(
        description="Component kind.", json_schema_extra=_rule(f"one of {list(KINDS)}")
    )
    role: Text = Field("", description="What the disk holds.")
    shared: bool = Field(False, description="One copy for the whole colony.")
    access: Text = Field("rw", description="ro or rw as the guests see it.")
    vdev: Text = Field("", description="Virtual device number or Xen vdev.")
    mount: Text = Field("", description="Mount point.")
    fs: Text = Field("", description="File system type.")
    size: SizeSpec | None = Field(
        None, description="How it is sized.", json_schema_extra=_rule("a mapping with 'param'")
    )
    counted: bool = Field(True, description="False: listed, not counted in the totals.")


class DesignSpec(BaseModel):
    """A design's own fields; its ``parameters`` and ``components`` are checked one by one.

    Parameters
    ----------
    platform : str, optional
        ``zvm`` or ``xen``.
    seed, title, source : str, optional
        The seed document, a title and the source.
    parameters : dict, optional
        Name -> :class:`ParameterSpec` (each validated on its own).
    components : list, optional
        :class:`ComponentSpec` each (each validated on its own).
    ro_dirs, rw_dirs : list of str, optional
        Directories the guests see read-only / read-write.
    memory_shared, upgrade_touches : str, optional
        What is shared in memory; what an upgrade touches.
    options : list of str, optional
        Optional techniques (``ipl_nss`` …).
    owner, ipl_vdev, guest_os : str, optional
        z/VM owner of the shared disks, IPL device, guest OS when not Linux.
    """

    model_config = ConfigDict(
        extra="ignore", frozen=True, json_schema_extra=_rule("a mapping of design fields")
    )

    platform: Text = Field("", description="zvm or xen.")
    seed: Text = Field("", description="The seed document.")
    title: Text = Field("", description="Title.")
    source: Text = Field("", description="Source.")
    parameters: dict[str, Any] | None = Field(
        None,
        description="Name -> {value, unit, source, confidence}.",
        json_schema_extra=_rule("a mapping of parameter name to {value, unit, source}"),
    )
    components: list[Any] | None = Field(
        None,
        description="The disks.",
        json_schema_extra=_rule("a list of components"),
    )
    ro_dirs: list[Text] | None = Field(
        None, description="Read-only directories.", json_schema_extra=_rule("a list of text")
    )
    rw_dirs: list[Text] | None = Field(
        None, description="Read-write directories.", json_schema_extra=_rule("a list of text")
    )
    memory_shared: Text = Field("", description="What is shared in memory.")
    upgrade_touches: Text = Field("", description="What an upgrade touches.")
    options: list[Text] | None = Field(
        None, description="Optional techniques.", json_schema_extra=_rule("a list of text")
    )
    owner: Text = Field("", description="z/VM owner of the shared minidisks.")
    ipl_vdev: Text = Field("", description="Device the guests IPL.")
    guest_os: Text = Field("", description="Guest OS when not Linux.")


def node_lines(text: str, depth: int = 4) -> dict[tuple[str | int, ...], int]:
    """The line (1-based) of every mapping key and list item of a YAML text, by path.

    Only the first ``depth`` levels (a design file needs ``designs → name → components → i``).
    Empty when the text is not valid YAML (the loader reports that itself).

    Parameters
    ----------
    text : str
        The YAML document.
    depth : int, default 4
        How many levels to map.

    Examples
    --------
    >>> lines = node_lines("designs:\\n  x:\\n    components:\\n      - {id: r}\\n")
    >>> lines[("designs", "x")], lines[("designs", "x", "components", 0)]
    (2, 4)
    """
    try:
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (yaml.YAMLError, RecursionError):
        return {}
    out: dict[tuple[str | int, ...], int] = {}
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(root, ())] if root is not None else []
    while stack:
        node, path = stack.pop()
        if len(path) >= depth:
            continue
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                out[(*path, str(k.value))] = k.start_mark.line + 1  # the key's line
                stack.append((v, (*path, str(k.value))))
        elif isinstance(node, yaml.SequenceNode):
            for i, v in enumerate(node.value):
                out[(*path, i)] = v.start_mark.line + 1
                stack.append((v, (*path, i)))
    return out


def location(
    name: str, lines: Mapping[tuple[str | int, ...], int], label: str, *path: str | int
) -> str:
    """Where a part of design ``name`` is: ``file line N (design 'x' component 2)``.

    Parameters
    ----------
    name : str
        The design.
    lines : mapping
        :func:`node_lines` of the file (empty: no line known).
    label : str
        The file as the messages name it.
    *path : str or int
        The part inside the design (``"parameters", "a_cyl"`` or ``"components", 1``).

    Examples
    --------
    >>> location("x", {("designs", "x", "components", 1): 9}, "d.yaml", "components", 1)
    "d.yaml line 9 (design 'x' component 2)"
    >>> location("x", {}, "d.yaml")
    "design 'x'"
    """
    what = f"design {name!r}"
    if len(path) > 1 and path[0] == "components" and isinstance(path[1], int):
        what += f" component {path[1] + 1}"
    line = lines.get(("designs", name, *path))
    return f"{label} line {line} ({what})" if line is not None else what


def _declared_rule(model: type[BaseModel], name: str | None) -> str | None:
    """The ``rule`` declared on a field (``name``) or on the model (``None``)."""
    extra = (
        model.model_config.get("json_schema_extra")
        if name is None
        else (model.model_fields[name].json_schema_extra if name in model.model_fields else None)
    )
    return str(extra["rule"]) if isinstance(extra, Mapping) and "rule" in extra else None


def part_problems(
    model: type[BaseModel], raw: Any, prefix: str, where: str | Callable[[str | None], str]
) -> tuple[BaseModel | None, list[str]]:
    """Validate one part of a design file; problems in colonykit's message shape.

    An error on (or inside) a field that declares its ``rule`` is reported at that field (its
    value and range); any other (the part is not a mapping, a required field is missing, a
    field without a rule is wrong) at the part itself, with the part's rule.

    Parameters
    ----------
    model : type of BaseModel
        :class:`ParameterSpec`, :class:`ComponentSpec` or :class:`DesignSpec`.
    raw : object
        The part as read from YAML.
    prefix : str
        The part's name in the messages (``parameters.install_cyl``; empty: fields unprefixed).
    where : str or callable
        Where the part is (``design 'x'``, ``design 'x' component 2``); or a function of the
        field (None: the part itself) giving where that field is (its own line).

    Returns
    -------
    tuple
        The validated model (None when invalid) and the problem lines.

    Examples
    --------
    >>> part_problems(ComponentSpec, {"id": "r", "kind": "floppy"}, "", "design 'x' component 1")[1]
    ["'kind' must be one of ['mdisk', 'tdisk', 'vdisk', 'image', 'nfs'] (got 'floppy') at design 'x' component 1"]
    >>> part_problems(ParameterSpec, {"value": 1}, "parameters.a", "design 'x'")[1]
    ["'parameters.a' must be a mapping with value and source (got {'value': 1}) at design 'x'"]
    """
    try:
        return model.model_validate(raw), []
    except ValidationError as exc:
        errors = exc.errors()
    at = where if callable(where) else (lambda _field: where)
    whole = prefix or model.__name__.removesuffix("Spec").lower()
    problems: list[str] = []
    for err in errors:
        loc = tuple(err["loc"])
        name = str(loc[0]) if loc and isinstance(raw, Mapping) else None
        rule = _declared_rule(model, name) if name is not None else None
        if rule is not None and (err["type"] != "missing" or len(loc) > 1):
            field = f"{prefix}.{name}" if prefix else str(name)
            line = must_be(field, rule, raw.get(name), at(name))
        else:
            line = must_be(whole, _declared_rule(model, None) or "valid", raw, at(None))
        if line not in problems:
            problems.append(line)
    return None, problems


__all__ = [
    "KINDS",
    "ComponentSpec",
    "DesignSpec",
    "ParameterSpec",
    "SizeSpec",
    "Text",
    "location",
    "node_lines",
    "part_problems",
]
