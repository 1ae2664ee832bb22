"""Shared CLI helpers: JSON output, tables, argument validators."""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd


def to_jsonable(obj: Any) -> Any:
    """Convert numpy/pandas scalars and containers into plain JSON types (NaN -> None)."""
    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, pd.DataFrame):
        return [to_jsonable(r) for r in obj.to_dict(orient="records")]
    if isinstance(obj, pd.Series):
        return to_jsonable(obj.to_dict())
    if isinstance(obj, np.ndarray):
        return [to_jsonable(v) for v in obj.tolist()]
    if isinstance(obj, np.bool_):
        return bool(obj)
    if isinstance(obj, np.integer):
        return int(obj)
    if isinstance(obj, np.floating | float):
        f = float(obj)
        return None if math.isnan(f) or math.isinf(f) else f
    return obj


def emit_json(obj: Any) -> None:
    """Print one JSON object on stdout."""
    sys.stdout.write(json.dumps(to_jsonable(obj), indent=2, sort_keys=False) + "\n")


def emit_table(frame: pd.DataFrame, floatfmt: str = "{:,.1f}") -> None:
    """Print a DataFrame as a plain text table."""
    with pd.option_context("display.max_rows", 500, "display.width", 160):
        sys.stdout.write(frame.to_string(float_format=floatfmt.format) + "\n")


def _number_arg(parse: Callable[[str], Any], ok: Callable[[Any], bool], noun: str, rule: str,
                name: str) -> Callable[[str], Any]:
    """An argparse type: parse with ``parse``, then require ``ok`` (messages name the rule)."""

    def convert(text: str) -> Any:
        try:
            value = parse(text)
        except ValueError:
            msg = f"must be {noun} {rule} (got {text!r})"
            raise argparse.ArgumentTypeError(msg) from None
        if not ok(value):
            msg = f"must be {rule} (got {text})"
            raise argparse.ArgumentTypeError(msg)
        return value

    convert.__name__ = name
    return convert


#: argparse type: a percentage in 0..100 (exclusive of 0).
pct_arg = _number_arg(float, lambda v: 0 < v <= 100, "a number", "in 0..100", "pct_arg")
#: argparse type: a finite number > 0.
positive_float = _number_arg(float, lambda v: v > 0 and math.isfinite(v), "a number", "> 0",
                             "positive_float")
#: argparse type: a finite number >= 0.
nonneg_float = _number_arg(float, lambda v: v >= 0 and math.isfinite(v), "a number", ">= 0",
                           "nonneg_float")
#: argparse type: a whole number >= 1.
positive_int = _number_arg(int, lambda v: v >= 1, "a whole number", ">= 1", "positive_int")


def add_format(parser: argparse.ArgumentParser) -> None:
    """Add ``--format table|json``."""
    parser.add_argument("--format", choices=("table", "json"), default="table", help="output format")
