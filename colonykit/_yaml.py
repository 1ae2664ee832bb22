"""Safe YAML reading with one error shape: ``<where> line N: not valid YAML: <problem>``.

* plain YAML types only (libyaml's C safe loader when available, else ``yaml.SafeLoader``);
* a key given twice in one mapping is an error (YAML 1.2 requires unique keys; PyYAML would
  silently keep the last one);
* a document whose aliases expand to more than :data:`MAX_NODES` values ("billion laughs")
  is refused before anything walks the expanded tree;
* files that cannot be read or are not UTF-8 are reported with the file and byte offset
  (:func:`read_text`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from colonykit import limits
from colonykit._inputs import refuse_special
from colonykit.errors import InputError, short_repr

#: Most values (after alias expansion) a YAML document may hold.  The largest real
#: documents are plans of a few thousand guests (~100 values each); 2 million leaves
#: ample room and bounds the work of validating an alias bomb.
MAX_NODES: int = limits.MAX_YAML_NODES

_BASE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BASE):  # type: ignore[misc,valid-type]
    """Safe loader that refuses duplicate mapping keys."""

    def construct_mapping(self, node: yaml.Node, deep: bool = False) -> dict[Any, Any]:
        if isinstance(node, yaml.MappingNode):
            seen: dict[Any, yaml.Node] = {}
            for key_node, _value in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    continue
                key = (
                    (key_node.tag, key_node.value)
                    if isinstance(key_node, yaml.ScalarNode)
                    else None
                )
                if key is None:
                    continue
                if key in seen:
                    first = seen[key].start_mark.line + 1
                    raise yaml.constructor.ConstructorError(
                        None,
                        None,
                        f"duplicate key {short_repr(key_node.value)} (first given on line {first})",
                        key_node.start_mark,
                    )
                seen[key] = key_node
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_timestamp(self, node: yaml.Node) -> Any:
        """An unquoted date or time; an impossible one (``2026-13-45``) is a clear error."""
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError as exc:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"{short_repr(node.value)} is not a valid date or time ({exc}); "
                f"write it in quotes if it is not meant as one",
                node.start_mark,
            ) from exc


_Loader.add_constructor("tag:yaml.org,2002:map", _Loader.construct_yaml_map)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)


def _expanded_size(data: Any, limit: int) -> int:
    """Number of values in ``data`` with shared (aliased) parts counted every time."""
    memo: dict[int, int] = {}
    stack: list[tuple[Any, bool]] = [(data, False)]
    while stack:
        obj, done = stack.pop()
        if not isinstance(obj, dict | list):
            continue
        key = id(obj)
        if done:
            children = obj.values() if isinstance(obj, dict) else obj
            total = 1 + sum(memo.get(id(c), 1) for c in children)
            memo[key] = min(total, limit + 1)
            continue
        if key in memo:
            continue
        memo[key] = 1  # provisional: breaks cycles
        stack.append((obj, True))
        children = obj.values() if isinstance(obj, dict) else obj
        stack.extend(
            (c, False) for c in children if isinstance(c, dict | list) and id(c) not in memo
        )
    return memo.get(id(data), 1)


def load_yaml(text: str, where: str) -> Any:
    """Parse YAML text with a safe loader; syntax errors become :class:`InputError`.

    Examples
    --------
    >>> load_yaml("a: 1", "x.yaml")
    {'a': 1}
    >>> try:
    ...     load_yaml("a: [1", "x.yaml")
    ... except ValueError as e:
    ...     print(str(e).split(":")[0:2])
    ['x.yaml line 2', ' not valid YAML']
    >>> try:
    ...     load_yaml("a: 1\\na: 2", "x.yaml")
    ... except ValueError as e:
    ...     print(e)
    x.yaml line 2: not valid YAML: duplicate key 'a' (first given on line 1)
    """
    try:
        data = yaml.load(text, Loader=_Loader)  # a safe loader (plain YAML types only)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or exc
        msg = f"{where}{at}: not valid YAML: {problem}"
        raise InputError(msg) from exc
    except RecursionError as exc:
        msg = f"{where}: not valid YAML: nested too deeply"
        raise InputError(msg) from exc
    if isinstance(data, dict | list) and _expanded_size(data, MAX_NODES) > MAX_NODES:
        msg = (
            f"{where}: refusing a YAML document that expands to more than {MAX_NODES:,} values "
            "through aliases (&anchor / *alias)"
        )
        raise InputError(msg)
    return data


def read_text(path: str | Path, what: str = "file") -> str:
    """Read a UTF-8 text file; unreadable or non-UTF-8 files become :class:`InputError`.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "s.yaml"
    >>> _ = p.write_bytes(b"name: caf\\xe9\\n")
    >>> try:
    ...     read_text(p, "scenario")
    ... except ValueError as e:
    ...     print(str(e).split(" (")[0].replace(str(p.parent), "DIR"))
    scenario DIR/s.yaml is not UTF-8 text: byte offset 9
    """
    p = Path(path)
    refuse_special(p, what)
    try:
        data = p.read_bytes()
    except FileNotFoundError as exc:
        msg = f"{what} file not found: {p}"
        raise InputError(msg) from exc
    except IsADirectoryError as exc:
        msg = f"{what} must be a file, got a folder: {p}"
        raise InputError(msg) from exc
    except OSError as exc:
        msg = f"cannot read {what} {p}: {exc.strerror or exc}"
        raise InputError(msg) from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        msg = (
            f"{what} {p} is not UTF-8 text: byte offset {exc.start} (line {line}, "
            f"byte {data[exc.start : exc.start + 1]!r}); save it as UTF-8"
        )
        raise InputError(msg) from exc


#: Tags of plain scalars YAML 1.1 turns into something other than text.
_TYPED_TAGS = {
    "tag:yaml.org,2002:bool": "the boolean",
    "tag:yaml.org,2002:int": "the number",
    "tag:yaml.org,2002:float": "the number",
    "tag:yaml.org,2002:timestamp": "the date",
    "tag:yaml.org,2002:null": "null (no value):",
}


def typed_scalars(text: str) -> dict[tuple[str | int, ...], tuple[str, str]]:
    """Where YAML 1.1 read an unquoted scalar as something other than text.

    Maps the path of every plain (unquoted) scalar that became a boolean, number, date or
    null to ``(text as written, what it became)`` — ``0600`` → ``"the number 384"``,
    ``NO`` → ``"the boolean False"``.  Used to explain a validation error and to warn about
    values that validate but were surely meant otherwise (``010`` → 8).

    Parameters
    ----------
    text : str
        The YAML document.

    Examples
    --------
    >>> sorted(typed_scalars("a: 0600\\nb: [NO, x]\\nc: '0600'").items())
    [(('a',), ('0600', 'the number 384')), (('b', 0), ('NO', 'the boolean False'))]
    """
    try:
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (yaml.YAMLError, RecursionError):
        return {}
    out: dict[tuple[str | int, ...], tuple[str, str]] = {}
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(root, ())] if root is not None else []
    seen = 0
    while stack and seen <= MAX_NODES:
        node, path = stack.pop()
        seen += 1
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                key = k.value if isinstance(k, yaml.ScalarNode) else str(k)
                stack.append((v, (*path, key)))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((v, (*path, i)) for i, v in enumerate(node.value))
        elif (
            isinstance(node, yaml.ScalarNode)
            and not node.style
            and node.tag in _TYPED_TAGS
            and node.value != ""
        ):
            try:
                value = yaml.safe_load(node.value)
            except (yaml.YAMLError, ValueError):  # an impossible date (2026-13-45)
                continue
            shown = value.isoformat() if hasattr(value, "isoformat") else repr(value)
            out[path] = (node.value, f"{_TYPED_TAGS[node.tag]} {shown}".replace(": None", ""))
    return out


def quote_hint(written: str, became: str) -> str:
    """The sentence that says how YAML read a value and how to keep it as written.

    Parameters
    ----------
    written : str
        The value as written in the file.
    became : str
        What YAML made of it (from :func:`typed_scalars`).

    Examples
    --------
    >>> quote_hint("NO", "the boolean False")
    "YAML 1.1 read the unquoted NO as the boolean False; write it in quotes ('NO') to keep it as written"
    """
    return (
        f"YAML 1.1 read the unquoted {written} as {became}; write it in quotes "
        f"({yaml.safe_dump(written, default_style=chr(39)).strip()}) to keep it as written"
    )


def surprising_number(written: str, value: object) -> bool:
    """True when an unquoted number means something else than its digits say (``010`` → 8, ``1:30`` → 90).

    Parameters
    ----------
    written : str
        The scalar as written.
    value : object
        What YAML made of it.

    Examples
    --------
    >>> surprising_number("010", 8), surprising_number("10", 10), surprising_number("1:30", 90)
    (True, False, True)
    """
    if isinstance(value, bool) or not isinstance(value, int):
        return False
    t = written.strip().lstrip("+-").replace("_", "")
    return ":" in t or (t.isdigit() and int(t) != abs(value)) or t.lower().startswith(("0x", "0b"))
