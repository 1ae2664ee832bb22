"""Validation errors of the plan and scenario models as colonykit problem lines."""

from __future__ import annotations

import difflib
import re
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


def validation_problems(exc: ValidationError, where: str, model: type[BaseModel]) -> list[str]:
    """Turn a pydantic error into colonykit problem lines naming the YAML path.

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
        problems.append(must_be(path, msg, got, where))
    return problems
