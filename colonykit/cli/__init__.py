"""Command-line interface: ``colonykit <command> …``.

Each command group lives in its own module with a ``register(subparsers)``
function; handlers return an exit code.  Bad input prints ``error: …`` on stderr
and exits with code 2; tracebacks are never shown for input problems.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import warnings
from collections.abc import Sequence

from colonykit import __version__
from colonykit.errors import ColonykitError, ColonykitWarning

#: Command modules, in help order.  A module missing here is skipped (not yet built).
COMMAND_MODULES = (
    "colonykit.cli._size",
    "colonykit.cli._traces",
    "colonykit.cli._pack",
    "colonykit.cli._io",
    "colonykit.cli._plan",
    "colonykit.cli._report",
    "colonykit.cli._run",
    "colonykit.cli._init",
    "colonykit.cli._catalog",
    "colonykit.cli._workshop",
)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        sys.stderr.write(f"error: {message}\n")
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    """The ``colonykit`` argument parser with every available command."""
    parser = _Parser(prog="colonykit", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"colonykit {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue
            raise
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code (0 ok, 1 plan has errors, 2 bad input)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", ColonykitWarning)
            code = int(args.func(args))
        for w in caught:
            if issubclass(w.category, ColonykitWarning):
                sys.stderr.write(f"warning: {w.message}\n")
        return code
    except (ColonykitError, FileNotFoundError, IsADirectoryError, PermissionError) as exc:
        text = str(exc)
        if isinstance(exc, OSError) and exc.filename:
            text = f"{exc.strerror}: {exc.filename}"
        sys.stderr.write(f"error: {text}\n")
        return 2


def entry() -> None:  # pragma: no cover - console script shim
    """Console-script entry point."""
    raise SystemExit(main())


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
