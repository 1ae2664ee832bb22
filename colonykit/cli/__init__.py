"""Command-line interface: ``colonykit <command> …``.

Each command group lives in its own module with a ``register(subparsers)``
function; handlers return an exit code.  Bad input prints ``error: …`` on stderr
and exits with code 2; tracebacks are never shown for input problems.

Start-up is lazy: :data:`COMMANDS` names each command's module and one-line help, so
``colonykit --help`` imports no command module (nor numpy), and ``colonykit CMD`` imports
only CMD's module (its ``register`` adds the full subparser; the other commands get
help-only stubs).  A module in :data:`COMMAND_MODULES` without rows in :data:`COMMANDS`
is imported and registered on every start (works, but slows every command down).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from colonykit import __version__

#: Command modules, in help order.  A module missing here is skipped (not yet built).
COMMAND_MODULES = (
    "colonykit.cli._size",
    "colonykit.cli._traces",
    "colonykit.cli._pack",
    "colonykit.cli._io",
    "colonykit.cli._plan",
    "colonykit.cli._report",
    "colonykit.cli._run",
    "colonykit.cli._forecast",
    "colonykit.cli._init",
    "colonykit.cli._catalog",
    "colonykit.cli._workshop",
    "colonykit.cli._costs",
)

#: command -> (module, one-line help), in help order; the help must equal the module's own
#: ``add_parser(help=...)`` (tests/test_cli_startup.py checks).  Add a row per new command.
COMMANDS: dict[str, tuple[str, str]] = {
    "size": ("colonykit.cli._size", "MIPS and engines needed for a server inventory (WLF sizing)"),
    "whitespace": (
        "colonykit.cli._traces",
        "sum of peaks vs composite peak and white space of utilisation traces",
    ),
    "pack": (
        "colonykit.cli._pack",
        "hosts/LPARs needed when guests are packed by their time series",
    ),
    "stagger": (
        "colonykit.cli._pack",
        "move movable peaks (backups, batch) to lower the composite peak",
    ),
    "paging": ("colonykit.cli._io", "z/VM paging space and paging volumes for a colony"),
    "channels": ("colonykit.cli._io", "channel path busy, paths needed and response time"),
    "designs": (
        "colonykit.cli._plan",
        "compare the colony designs (shared vs per-guest disk) for N guests",
    ),
    "plan": (
        "colonykit.cli._plan",
        "build and check a colony plan from a scenario, write YAML + rendered files",
    ),
    "schema": ("colonykit.cli._plan", "print the JSON Schema of the plan document"),
    "validate": (
        "colonykit.cli._plan",
        "validate a (hand-edited) plan YAML; exit 2 if invalid, 1 if a finding has severity error",
    ),
    "render": ("colonykit.cli._plan", "render a plan YAML for one provisioning tool"),
    "report": (
        "colonykit.cli._report",
        "build the plan of a scenario and write the customer handout (HTML, PDF, xlsx)",
    ),
    "run": (
        "colonykit.cli._run",
        "the whole job: size, white space, plan, export YAML, render, report",
    ),
    "forecast": (
        "colonykit.cli._forecast",
        "the plan over time: exhaustion date and upgrade schedule (scenario growth:)",
    ),
    "init": (
        "colonykit.cli._init",
        "start a study: commented scenario.yaml, inventory templates, README",
    ),
    "catalog": (
        "colonykit.cli._catalog",
        "list processors, workload classes, units, designs or paging rules (with sources)",
    ),
    "workshop": (
        "colonykit.cli._workshop",
        "serve the explorer dashboard (Voilà) on 127.0.0.1 for a workshop",
    ),
    "costs": (
        "colonykit.cli._costs",
        "the business case of a scenario: cost per year, NPV, payback, licences, CO2e",
    ),
    "compare": (
        "colonykit.cli._costs",
        "build several scenarios and show their plans and business cases side by side",
    ),
}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        sys.stderr.write(f"error: {message}\n")
        raise SystemExit(2)


def _wanted(argv: Sequence[str]) -> str:
    """The command named on the command line ('' for none): the first non-option word."""
    return next((a for a in argv if not a.startswith("-")), "")


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The ``colonykit`` argument parser.

    Without ``argv`` every command is fully registered; with it, only the command it
    names (the others are help-only stubs from :data:`COMMANDS`, their modules not imported).

    Parameters
    ----------
    argv : sequence of str, optional
        The command line (without the program name) to build the parser for; ``None``
        registers every command.
    """
    parser = _Parser(prog="colonykit", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"colonykit {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    wanted = None if argv is None else _wanted(argv)
    for name in COMMAND_MODULES:
        mine = [c for c, (module, _) in COMMANDS.items() if module == name]
        if wanted is not None and mine and wanted not in mine:
            for command in mine:
                sub.add_parser(command, help=COMMANDS[command][1], add_help=False)
            continue
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue
            raise
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code (0 ok, 1 plan has errors, 2 bad input).

    Parameters
    ----------
    argv : sequence of str, optional
        The command line without the program name; ``None`` reads ``sys.argv[1:]``.
    """
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        parser = build_parser(argv)
        args = parser.parse_args(argv)
        if not getattr(args, "func", None):
            parser.print_help(sys.stderr)
            return 2
        from colonykit.cli._common import run_command

        return run_command(args.func, args)
    except KeyboardInterrupt:  # Ctrl-C while starting up: no traceback either
        sys.stderr.write("interrupted (Ctrl-C)\n")
        return 130


def entry() -> None:  # pragma: no cover - console script shim
    """Console-script entry point."""
    raise SystemExit(main())


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())


__all__ = [
    "COMMAND_MODULES",
    "COMMANDS",
    "build_parser",
    "main",
    "entry",
]
