"""Shared CLI helpers: JSON output, tables, argument validators."""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from colonykit._lazy import lazy_module

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
else:  # paging/channels print without importing pandas (start-up, issue 25)
    np = lazy_module("numpy")
    pd = lazy_module("pandas")


def to_jsonable(obj: Any) -> Any:
    """Convert numpy/pandas scalars and containers into plain JSON types (NaN -> None)."""
    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, str | bool | int | None):
        return obj
    if isinstance(obj, float):
        return None if math.isnan(obj) or math.isinf(obj) else obj
    if "pandas" in sys.modules:  # a frame can only exist when pandas is loaded (never import it)
        if isinstance(obj, pd.DataFrame):
            return [to_jsonable(r) for r in obj.to_dict(orient="records")]
        if isinstance(obj, pd.Series):
            return to_jsonable(obj.to_dict())
    if "numpy" in sys.modules:
        if isinstance(obj, np.ndarray):
            return [to_jsonable(v) for v in obj.tolist()]
        if isinstance(obj, np.bool_):
            return bool(obj)
        if isinstance(obj, np.integer):
            return int(obj)
        if isinstance(obj, np.floating):
            f = float(obj)
            return None if math.isnan(f) or math.isinf(f) else f
    return obj


def emit_json(obj: Any) -> None:
    """Print one JSON object on stdout."""
    sys.stdout.write(json.dumps(to_jsonable(obj), indent=2, sort_keys=False) + "\n")


def emit_values(values: dict[str, Any], floatfmt: str = "{:,.2f}") -> None:
    """Print ``name  value`` lines (a one-column table) without pandas.

    Parameters
    ----------
    values : dict
        Name -> value.
    floatfmt : str
        Format of floats.

    Examples
    --------
    >>> emit_values({"paging_gib": 20.0, "rule": "velocity"})
                  value
    paging_gib    20.00
    rule       velocity
    """
    shown = {
        str(k): (floatfmt.format(v) if isinstance(v, float) else str(v)) for k, v in values.items()
    }
    kw = max((len(k) for k in shown), default=0)
    vw = max([len("value"), *(len(v) for v in shown.values())])
    lines = [" " * kw + " " + "value".rjust(vw)]
    lines += [f"{k.ljust(kw)} {v.rjust(vw)}" for k, v in shown.items()]
    sys.stdout.write("\n".join(lines) + "\n")


def emit_table(frame: pd.DataFrame, floatfmt: str = "{:,.1f}") -> None:
    """Print a DataFrame as a plain text table."""
    with pd.option_context("display.max_rows", 500, "display.width", 160):
        sys.stdout.write(frame.to_string(float_format=floatfmt.format) + "\n")


def _number_arg(
    parse: Callable[[str], Any], ok: Callable[[Any], bool], noun: str, rule: str, name: str
) -> Callable[[str], Any]:
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
positive_float = _number_arg(
    float, lambda v: v > 0 and math.isfinite(v), "a number", "> 0", "positive_float"
)
#: argparse type: a finite number >= 0.
nonneg_float = _number_arg(
    float, lambda v: v >= 0 and math.isfinite(v), "a number", ">= 0", "nonneg_float"
)
#: argparse type: a whole number >= 1.
positive_int = _number_arg(int, lambda v: v >= 1, "a whole number", ">= 1", "positive_int")
#: argparse type: a number of servers/guests, 1 .. ``limits.MAX_SERVERS``.
count_arg = _number_arg(
    int,
    lambda v: 1 <= v <= 100_000,
    "a whole number",
    "in 1..100000 (limit MAX_SERVERS)",
    "count_arg",
)


def add_format(parser: argparse.ArgumentParser) -> None:
    """Add ``--format table|json``."""
    parser.add_argument(
        "--format", choices=("table", "json"), default="table", help="output format"
    )


#: Shown instead of a secret (a guest password) in JSON and table output.
REDACTED = "<redacted>"
#: Keys whose values are secrets.
SECRET_KEYS: frozenset[str] = frozenset({"password"})


def redact_secrets(obj: Any) -> Any:
    """A copy of ``obj`` with the value of every ``password`` key replaced by :data:`REDACTED`.

    Examples
    --------
    >>> redact_secrets({"zvm": {"userid": "A", "password": "S3CRET"}, "n": [1]})
    {'zvm': {'userid': 'A', 'password': '<redacted>'}, 'n': [1]}
    """
    if isinstance(obj, dict):
        return {
            k: (REDACTED if k in SECRET_KEYS and v is not None else redact_secrets(v))
            for k, v in obj.items()
        }
    if isinstance(obj, list | tuple):
        return [redact_secrets(v) for v in obj]
    return obj


#: Exit code after Ctrl-C (128 + SIGINT, the shell's convention).
INTERRUPTED_EXIT = 130

#: Longest error message printed (a hostile input must not flood the terminal).
MAX_MESSAGE_CHARS: int = 20_000


def error_text(exc: BaseException) -> str | None:
    """The ``error: …`` text for an exception the CLI reports without a traceback (else None).

    Every colonykit error, every operating-system error (with the file it names), text that
    is not UTF-8 (with the byte offset) and numbers too large to compute with.

    Examples
    --------
    >>> error_text(FileNotFoundError(2, "No such file or directory", "x.csv"))
    'No such file or directory: x.csv'
    >>> error_text(KeyError("bug")) is None
    True
    """
    from colonykit.errors import ColonykitError

    if isinstance(exc, ColonykitError):
        text = str(exc)
    elif isinstance(exc, UnicodeDecodeError):
        text = (
            f"input is not valid {exc.encoding.upper()} text at byte offset {exc.start} "
            f"({exc.reason}); save it as UTF-8"
        )
    elif isinstance(exc, OSError):
        text = f"{exc.strerror}: {exc.filename}" if exc.filename else (exc.strerror or str(exc))
    elif (
        isinstance(exc, EOFError)
        or type(exc).__name__ in ("error", "BadGzipFile")
        and (type(exc).__module__ in ("zlib", "gzip", "bz2", "lzma", "_lzma", "zipfile"))
    ):
        text = (
            f"a compressed input is corrupt or truncated ({type(exc).__module__}."
            f"{type(exc).__name__}: {exc}); check the file or unpack it first"
        )
    elif isinstance(exc, OverflowError | RecursionError | MemoryError):
        text = f"input too large or too deeply nested to process ({type(exc).__name__}: {exc})"
    else:
        return None
    if len(text) > MAX_MESSAGE_CHARS:
        text = text[:MAX_MESSAGE_CHARS] + f" … ({len(text) - MAX_MESSAGE_CHARS} more characters)"
    return text


def run_command(func: Callable[[argparse.Namespace], Any], args: argparse.Namespace) -> int:
    """Run a command handler: warnings as ``warning: …``, known errors as ``error: …`` + exit 2."""
    from colonykit.errors import ColonykitWarning

    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", ColonykitWarning)
            try:
                code = int(func(args))
            finally:
                for w in caught:
                    if issubclass(w.category, ColonykitWarning):
                        sys.stderr.write(f"warning: {w.message}\n")
        return code
    except KeyboardInterrupt:
        sys.stderr.write("interrupted (Ctrl-C); nothing was left half-written\n")
        return INTERRUPTED_EXIT
    except Exception as exc:
        text = error_text(exc)
        if text is None:
            raise
        sys.stderr.write(f"error: {text}\n")
        return 2


def load_scenario(path: str) -> Any:
    """``plan.load_scenario`` plus the field patterns and bounds (refused before any work)."""
    from colonykit import plan
    from colonykit.errors import raise_problems
    from colonykit.patterns import field_problems

    scenario = plan.load_scenario(path)
    raise_problems(
        field_problems(scenario, getattr(scenario, "source", "") or str(path)),
        f"invalid scenario {path}",
    )
    return scenario


def demand_in_unit(
    frame: pd.DataFrame, meta: dict[str, Any], unit: str | None, capacity: str | None = None
) -> pd.DataFrame:
    """A demand frame read in its source's unit, converted to ``unit`` by :mod:`colonykit.sizing`.

    ``capacity`` (a capacity CSV) or, for ``cpu_pct``, the ``X_vms.csv`` the reader found
    (``meta["capacity_file"]``) gives each server's MIPS; ``meta["conversion"]`` says what was done.
    """
    src = str(frame.attrs.get("unit", "cpu_pct"))
    if unit is None or unit == src:
        return frame
    from colonykit import sizing
    from colonykit.ingest.traces import read_capacity_table

    side = meta.get("capacity_file") if capacity is None and "cpu_pct" in (src, unit) else None
    path = capacity if capacity is not None else side
    cap = sizing.capacity_mips(read_capacity_table(path)) if path is not None else None
    out = sizing.convert_unit(frame, unit, cap)
    meta["conversion"] = f"{src} -> {unit} via sizing.capacity_to_mips" + (
        f" (capacity from {Path(side).name})" if side else ""
    )
    meta["unit"] = unit
    return out


def add_replace_edited(parser: argparse.ArgumentParser) -> None:
    """Add ``--replace-edited`` (replace output files changed since colonykit wrote them)."""
    parser.add_argument(
        "--replace-edited",
        action="store_true",
        help="replace files of the output folder that were changed since colonykit wrote them "
        "(a hand-edited plan.yaml); default: refuse, exit 2",
    )


def path_arg(text: str, flag: str) -> Path:
    """An output path given on the command line; the empty string is refused (not the cwd).

    Parameters
    ----------
    text : str
        The option's value.
    flag : str
        The option, for the message.

    Examples
    --------
    >>> path_arg("out", "--out")
    PosixPath('out')
    """
    from colonykit.errors import InputError

    if not text.strip():
        msg = f"{flag} must name a file or folder (got an empty string)"
        raise InputError(msg)
    return Path(text)


def _same_place(a: Path, b: Path) -> bool:
    """True when ``a`` and ``b`` are the same file (hard links, symbolic links, ``./x``)."""
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def refuse_overwriting_inputs(outputs: dict[str, Path], inputs: dict[str, Path]) -> None:
    """Refuse an output that is one of the inputs, or lies inside an input folder.

    Parameters
    ----------
    outputs : dict of str to Path
        Output option -> path (a file or an output folder).
    inputs : dict of str to Path
        What each input is -> its path (scenario, inventory, traces, …).

    Raises
    ------
    InputError
        Naming the option and the input it would replace.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp()); _ = (d / "s.yaml").write_text("x")
    >>> try:
    ...     refuse_overwriting_inputs({"--out": d / "s.yaml"}, {"scenario": d / "s.yaml"})
    ... except ValueError as e:
    ...     print(str(e).replace(str(d), "D"))
    --out D/s.yaml is the scenario D/s.yaml: refusing to overwrite an input; choose another name
    """
    from colonykit.errors import InputError

    for flag, out in outputs.items():
        out_abs = Path(os.path.abspath(out))
        for what, src in inputs.items():
            src_abs = Path(os.path.abspath(src))
            if out_abs == src_abs or _same_place(out_abs, src_abs):
                msg = (
                    f"{flag} {out} is the {what} {src}: refusing to overwrite an input; "
                    "choose another name"
                )
                raise InputError(msg)
            if src_abs in out_abs.parents or (src_abs.is_dir() and _inside(out_abs, src_abs)):
                msg = (
                    f"{flag} {out} is inside the {what} folder {src}: refusing to write into an "
                    "input folder; choose another place"
                )
                raise InputError(msg)


def _inside(path: Path, folder: Path) -> bool:
    """True when ``path`` (resolved) lies below ``folder`` (resolved)."""
    try:
        path.resolve().relative_to(folder.resolve())
    except (ValueError, OSError):
        return False
    return True


def scenario_inputs(scenario: Any, path: str | Path) -> dict[str, Path]:
    """The input files of a scenario: the scenario itself and the files it names.

    Parameters
    ----------
    scenario : Scenario
        The loaded scenario.
    path : str or Path
        The scenario file.
    """
    out: dict[str, Path] = {"scenario": Path(path)}
    if scenario.inventory:
        out["inventory"] = scenario.resolve(scenario.inventory)
    if scenario.traces is not None:
        out["traces"] = scenario.resolve(scenario.traces.path)
        if scenario.traces.mapping:
            out["trace mapping"] = scenario.resolve(scenario.traces.mapping)
    if scenario.design.file:
        out["designs file"] = scenario.resolve(scenario.design.file)
    return out


def add_trace_time_options(p: argparse.ArgumentParser) -> None:
    """``--dayfirst`` / ``--monthfirst`` and ``--date-format``: how time columns are read."""
    order = p.add_mutually_exclusive_group()
    order.add_argument(
        "--dayfirst",
        dest="dayfirst",
        action="store_true",
        default=None,
        help="read d/m/Y dates day first when the column does not decide (no day above 12)",
    )
    order.add_argument(
        "--monthfirst",
        dest="dayfirst",
        action="store_false",
        help="read m/d/Y dates month first when the column does not decide",
    )
    p.add_argument(
        "--date-format",
        default=None,
        metavar="FMT",
        help="one strftime format for the time column, e.g. '%%d.%%m.%%Y %%H:%%M'",
    )


def plain_table(
    index_name: str,
    index: list[str],
    columns: list[tuple[str, list[Any]]],
    floatfmt: str = "{:,.1f}",
) -> str | None:
    """A table laid out as :func:`emit_table` prints it (``DataFrame.to_string``), without pandas.

    Columns of ``int``, ``float``, ``bool`` or ``str`` values; floats through ``floatfmt``.  None
    when a text needs pandas' escaping (a control character), a row label has surrounding
    spaces or a value is of another type:
    then print through pandas.

    Parameters
    ----------
    index_name : str
        Name of the index (printed on its own line, as pandas does).
    index : list of str
        Row labels.
    columns : list of (str, list)
        Column name and values.
    floatfmt : str
        Format of floats.

    Examples
    --------
    >>> table = plain_table("bound", ["low", "high"], [("engines", [2, 4]), ("fits", [True, False])])
    >>> print(table.replace(" ", "_"))
    _______engines___fits
    bound________________
    low__________2___True
    high_________4__False
    """
    texts = [index_name, *index] + [c for c, _ in columns]
    texts += [v for _, vals in columns for v in vals if isinstance(v, str)]
    if not all(t.isprintable() for t in texts) or any(i != i.strip() for i in index):
        return None  # pandas escapes control characters and trims row labels
    width = max(len(index_name), *(len(i) for i in index))
    out_cols: list[list[str]] = [
        [" " * width, index_name.ljust(width)] + [i.ljust(width) for i in index]
    ]
    for name, vals in columns:
        kinds = {type(v) for v in vals}
        if kinds <= {float}:
            head, cells = " " + name, [floatfmt.format(v) if v == v else "NaN" for v in vals]
        elif kinds <= {bool}:
            head, cells = " " + name, [f" {v}" for v in vals]
        elif kinds <= {int}:
            head, cells = " " + name, [f"{v: d}" for v in vals]
        elif kinds <= {str}:
            head, cells = name, [f" {v}" for v in vals]
        else:
            return None
        w = max(len(head), *(len(c) for c in cells))
        out_cols.append([head.rjust(w), " " * w] + [c.rjust(w) for c in cells])
    return "\n".join(" ".join(col[r] for col in out_cols) for r in range(len(index) + 2))
