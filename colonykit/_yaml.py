"""Safe YAML reading with one error shape: ``<where> line N: not valid YAML: <problem>``."""

from __future__ import annotations

from typing import Any

import yaml

from colonykit.errors import InputError

#: libyaml's C safe loader when available (2-3x faster); it builds only plain YAML types,
#: exactly like ``yaml.SafeLoader``.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


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
    """
    try:
        return yaml.load(text, Loader=_LOADER)  # a safe loader (plain YAML types only)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" line {mark.line + 1}" if mark is not None else ""
        msg = f"{where}{at}: not valid YAML: {getattr(exc, 'problem', None) or exc}"
        raise InputError(msg) from exc
