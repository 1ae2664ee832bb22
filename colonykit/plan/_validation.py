"""Validation errors of the plan and scenario models as colonykit problem lines."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ValidationError

from colonykit.errors import must_be


def _all_keys(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """Field names valid at ``loc`` (for 'did you mean' hints)."""
    current: Any = model
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        fields = getattr(current, "model_fields", None)
        if not fields or part not in fields:
            return []
        ann = fields[part].annotation
        inner = [a for a in getattr(ann, "__args__", (ann,)) if isinstance(a, type)]
        models = [a for a in inner if issubclass(a, BaseModel)]
        if not models:
            args = [
                a
                for a in getattr(ann, "__args__", ())
                if isinstance(a, type) and issubclass(a, BaseModel)
            ]
            models = args
        if not models:
            # dict[str, Model] / list[Model]
            for a in getattr(ann, "__args__", ()):
                for b in getattr(a, "__args__", (a,)):
                    if isinstance(b, type) and issubclass(b, BaseModel):
                        models.append(b)
        if not models:
            return []
        current = models[0]
    return list(getattr(current, "model_fields", {}))


#: Keys whose values are secrets: never shown in a message (a rejected password is not echoed).
SECRET_KEYS = frozenset({"password"})

#: Typed scalars of the YAML text (:func:`colonykit._yaml.typed_scalars`), by path.
Typed = Mapping[tuple[str | int, ...], tuple[str, str]]


def _typed_at(loc: tuple[Any, ...], typed: Typed | None) -> tuple[str, str] | None:
    """How YAML read the value at ``loc`` (or a parent of it: union errors add a type tag)."""
    if not typed:
        return None
    for k in range(len(loc), 0, -1):
        hit = typed.get(tuple(loc[:k]))
        if hit is not None:
            return hit
    return None


def validation_problems(
    exc: ValidationError,
    where: str,
    model: type[BaseModel],
    typed: Typed | None = None,
) -> list[str]:
    """Turn a pydantic error into colonykit problem lines naming the YAML path.

    A secret (a ``password``) is never echoed; a value that YAML 1.1 read as a number,
    boolean, date or null (``typed``, from :func:`colonykit._yaml.typed_scalars`) gets the
    sentence that says so and how to quote it.

    Parameters
    ----------
    exc : pydantic.ValidationError
        The error.
    where : str
        The file, for the messages.
    model : type of BaseModel
        The model validated (for "did you mean" hints).
    typed : mapping, optional
        Unquoted YAML scalars that were not read as text, by path.

    Examples
    --------
    >>> from colonykit.plan.scenario import ScenarioTarget
    >>> try:
    ...     ScenarioTarget.model_validate({"hosts": 0, "memory_gb_per_host": 8})
    ... except ValidationError as e:
    ...     for line in validation_problems(e, "s.yaml", ScenarioTarget):
    ...         print(line)
    'hosts' must be a whole number in 1..1000 or 'auto' (got 0) at s.yaml
    'memory_gb_per_host' must be a known key (unknown key; did you mean 'memory_gib_per_host'?) at s.yaml
    """
    problems = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        path = ".".join(str(p) for p in loc) or "(document)"
        if err["type"] == "extra_forbidden":
            valid = _all_keys(model, loc)
            close = difflib.get_close_matches(str(loc[-1]), valid, n=1, cutoff=0.6)
            hint = f"did you mean {close[0]!r}?" if close else f"valid keys: {sorted(valid)}"
            problems.append(f"'{path}' must be a known key (unknown key; {hint}) at {where}")
            continue
        msg = str(err["msg"])
        msg = re.sub(r"^(Input should be|Value error,|String should)\s*", "", msg)
        if err["type"] == "missing":
            problems.append(f"'{path}' must be given (required key is missing) at {where}")
            continue
        got = err.get("input")
        if any(str(p) in SECRET_KEYS for p in loc):
            got = "<redacted>"
        line = must_be(path, msg, got, where)
        hit = _typed_at(loc, typed)
        if hit is not None and not any(str(p) in SECRET_KEYS for p in loc):
            from colonykit._yaml import quote_hint

            line += f" ({quote_hint(*hit)})"
        elif hit is not None:
            line += " (YAML 1.1 read the unquoted value as a number or boolean; write it in quotes)"
        problems.append(line)
    return problems
