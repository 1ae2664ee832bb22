"""``colonykit workshop SCENARIO [--port N] [--no-browser]``: the explorer as a web app (Voilà).

Serves the workshop notebook — the same explorer a notebook shows, without code cells — on
``http://127.0.0.1:N/?token=…`` until stopped (Ctrl-C).  The notebook ships in the package
(``colonykit/_data/workshop.ipynb``, identical to ``notebooks/explorer.ipynb``, checked by a
test), so an installed wheel serves it as a checkout does: it is written to a new temporary
folder, which Voilà serves and which is removed when the server stops.  The scenario reaches the notebook's
kernel through the ``COLONYKIT_SCENARIO`` environment variable (Voilà's kernels inherit the
server's environment); exports go below ``--export-dir`` (``COLONYKIT_EXPORT_DIR``; a folder
typed on the page is kept below it).  The server (:mod:`colonykit.cli._workshop_server`) asks
for a random token printed in the URL, refuses a foreign ``Host`` or ``Origin``, does not move
to another port, ends a kernel when its page closes and runs at most ``--max-kernels``.  Needs
the ``workshop`` extra (``pip install 'colonykit[workshop]'``: voila, ipywidgets, anywidget,
ipykernel); without it the command ends with ``error: …`` naming the extra (exit 2).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from colonykit.cli._common import _number_arg
from colonykit.errors import InputError

#: The dashboard notebook in the package (package data; ``notebooks/explorer.ipynb`` in a checkout).
NOTEBOOK_RESOURCE = "_data/workshop.ipynb"
#: Its file name where Voilà serves it (Voilà's log and page name it: ``explorer``).
NOTEBOOK_NAME = "explorer.ipynb"
#: Modules the dashboard's server and kernel import, all from the ``workshop`` extra.
WORKSHOP_MODULES: tuple[str, ...] = ("voila", "ipywidgets", "anywidget", "ipykernel")


def notebook_bytes() -> bytes:
    """The workshop notebook as shipped in the package (``colonykit/_data/workshop.ipynb``).

    Examples
    --------
    >>> import json
    >>> json.loads(notebook_bytes())["cells"][0]["source"]
    ['### colonykit workshop']
    """
    from importlib.resources import files

    return files("colonykit").joinpath(NOTEBOOK_RESOURCE).read_bytes()


def write_notebook(folder: Path) -> Path:
    """Write the workshop notebook into ``folder`` (:data:`NOTEBOOK_NAME`) for Voilà to serve.

    Parameters
    ----------
    folder : Path
        An existing folder (the workshop's temporary one).

    Examples
    --------
    >>> import tempfile
    >>> write_notebook(Path(tempfile.mkdtemp())).name
    'explorer.ipynb'
    """
    from colonykit._atomic import atomic_write_bytes

    return atomic_write_bytes(folder / NOTEBOOK_NAME, notebook_bytes())


def missing_workshop_modules() -> list[str]:
    """The :data:`WORKSHOP_MODULES` not installed (found without importing them).

    Examples
    --------
    >>> isinstance(missing_workshop_modules(), list)
    True
    """
    import importlib.util

    return [m for m in WORKSHOP_MODULES if importlib.util.find_spec(m) is None]


def voila_command(
    notebook: Path,
    port: int,
    *,
    open_browser: bool,
    max_kernels: int = 4,
    cull_idle_s: int = 120,
) -> list[str]:
    """The server's command line (:mod:`colonykit.cli._workshop_server`; the token goes by environment).

    Parameters
    ----------
    notebook : Path
        The dashboard notebook.
    port : int
        TCP port on 127.0.0.1.
    open_browser : bool
        Open the user's browser on the URL.
    max_kernels : int, optional
        Kernels running at once, at most.
    cull_idle_s : int, optional
        Idle seconds after which a kernel without a page is shut down.

    Examples
    --------
    >>> voila_command(Path("explorer.ipynb"), 8866, open_browser=False)[1:4]
    ['-m', 'colonykit.cli._workshop_server', 'explorer.ipynb']
    """
    cmd = [
        sys.executable,
        "-m",
        "colonykit.cli._workshop_server",
        str(notebook),
        f"--port={port}",
        f"--max-kernels={max_kernels}",
        f"--cull-idle-s={cull_idle_s}",
    ]
    if open_browser:
        cmd.append("--open-browser")
    return cmd


def port_free(port: int) -> bool:
    """True when nothing listens on 127.0.0.1:``port`` (the server does not move to another port).

    Parameters
    ----------
    port : int
        TCP port on 127.0.0.1.
    """
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


#: argparse type: an unprivileged TCP port.
_port = _number_arg(int, lambda v: 1024 <= v <= 65535, "a whole number", "in 1024..65535", "port")
#: argparse type: the kernel limit.
_kernels = _number_arg(int, lambda v: 2 <= v <= 64, "a whole number", "in 2..64", "max-kernels")


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``workshop`` command."""
    p = sub.add_parser(
        "workshop",
        help="serve the explorer dashboard (Voilà) on 127.0.0.1 for a workshop",
        description="The explorer notebook as a web app: controls left, headline, baseline "
        "vs current and charts beside them; save the changed scenario, export "
        "the plan and the report. Runs until stopped (Ctrl-C).",
    )
    p.add_argument("scenario", help="scenario YAML (see data/examples/bitbrains_colony.yaml)")
    p.add_argument("--port", type=_port, default=8866, help="port on 127.0.0.1 (default: 8866)")
    p.add_argument("--no-browser", action="store_true", help="do not open a browser")
    p.add_argument(
        "--export-dir",
        default="workshop-out",
        metavar="DIR",
        help="the dashboard's buttons write below this folder only (default: ./workshop-out)",
    )
    p.add_argument(
        "--max-kernels",
        type=_kernels,
        default=4,
        metavar="N",
        help="pages (kernels) served at once, at most (default: 4; one is pre-started)",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Handler of ``colonykit workshop``: check the scenario, then run Voilà until it stops."""
    import os
    import secrets
    import shutil
    import tempfile

    from colonykit import plan

    scen_path = Path(args.scenario).resolve()
    plan.load_scenario(scen_path)  # a bad scenario is an error here, not in the browser
    missing = missing_workshop_modules()
    if missing:
        msg = (
            f"the workshop needs the optional package(s) {', '.join(missing)}; install them with "
            "pip install 'colonykit[workshop]'"
        )
        raise InputError(msg)
    from colonykit.cli._workshop_server import TOKEN_ENV

    if not port_free(args.port):
        msg = f"port {args.port} on 127.0.0.1 is in use; choose another with --port"
        raise InputError(msg)
    token = secrets.token_urlsafe(24)
    env = {
        **os.environ,
        "COLONYKIT_SCENARIO": str(scen_path),
        "COLONYKIT_EXPORT_DIR": str(Path(args.export_dir).resolve()),
        TOKEN_ENV: token,
    }
    sys.stdout.write(
        f"colonykit workshop: http://127.0.0.1:{args.port}/?token={token}\n"
        f"  scenario {scen_path}; exports below {env['COLONYKIT_EXPORT_DIR']}; Ctrl-C stops\n"
    )
    sys.stdout.flush()
    # the notebook from the package, in a folder of its own: Voilà serves that folder only
    served = Path(tempfile.mkdtemp(prefix="colonykit-workshop-"))
    try:
        nb = write_notebook(served)
        cmd = voila_command(
            nb, args.port, open_browser=not args.no_browser, max_kernels=args.max_kernels
        )
        return serve(cmd, env=env, cwd=served)
    finally:
        shutil.rmtree(served, ignore_errors=True)


def serve(cmd: list[str], *, env: dict[str, str], cwd: Path) -> int:
    """Run the server ``cmd`` until it stops; stopping this process stops it too.

    SIGTERM (``kill``, a test fixture's ``terminate()``) is passed on to the server, so no Voilà
    (and no kernel of it) is left running; Ctrl-C reaches both through the terminal.  Returns the
    server's exit code, 0 when it was stopped by either.
    """
    import signal
    import subprocess

    stopped = False
    proc: subprocess.Popen[bytes] | None = None

    def stop(_signum: int, _frame: object) -> None:
        nonlocal stopped
        stopped = True
        if proc is not None:
            proc.terminate()

    previous = signal.signal(signal.SIGTERM, stop)  # before the server starts: no window without it
    try:
        proc = subprocess.Popen(cmd, env=env, cwd=cwd)
        if stopped:
            proc.terminate()
        while True:
            try:
                code = proc.wait()
                break
            except KeyboardInterrupt:  # Ctrl-C: the server got it too; wait until it is down
                stopped = True
                proc.terminate()
    finally:
        signal.signal(signal.SIGTERM, previous)
    return 0 if stopped else code
