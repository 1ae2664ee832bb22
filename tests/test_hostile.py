"""Hostile-input catalogue (issue 11): every case through the CLI, asserting the exit code,
the message, that no traceback is shown, and that nothing was written or left behind.

Each case builds its inputs in ``tmp_path`` and returns the argv; the runner snapshots the
folder tree before and after.  Cases that must refuse (exit 2) may not change anything;
cases that gate (exit 1) or warn (exit 0) are checked for their outputs.  ``kill -9`` and
concurrent runs on the output tree are at the end (subprocesses).
"""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from helpers import EXAMPLE_SCENARIO, write_scenario

import colonykit
from colonykit import export, plan
from colonykit.cli import main

#: The package's own data tables (the source tree's, or the installed wheel's: make test-wheel).
_PKG_DATA = Path(colonykit.__file__).parent / "_data"

INVENTORY = Path("data/examples/xyz_inventory.csv").resolve()
HEADER = INVENTORY.read_text().splitlines()[0]
ROWS = INVENTORY.read_text().splitlines()[1:]


def _tree(root: Path) -> dict[str, bytes | str]:
    out: dict[str, bytes | str] = {}
    for p in sorted(root.rglob("*")):
        rel = str(p.relative_to(root))
        if p.is_symlink():
            out[rel] = "symlink"
        elif p.is_file():
            out[rel] = p.read_bytes()
        elif p.is_dir():
            out[rel] = "dir"
    return out


def _leftovers(root: Path) -> list[str]:
    return [
        str(p)
        for p in root.rglob("*")
        if ".colonykit-new-" in p.name
        or ".colonykit-old-" in p.name
        or ".colonykit-stage-" in p.name
        or p.name.endswith(".tmp")
    ]


def _bytes(tmp: Path, name: str, data: bytes) -> Path:
    (tmp / name).write_bytes(data)
    return tmp / name


def _inventory(tmp: Path, text: str, name: str = "inv.csv") -> Path:
    p = tmp / name
    p.write_text(text)
    return p


def _rows(n: int) -> str:
    """The example inventory's first n rows, each count 1 (n servers)."""
    cols = HEADER.split(",")
    i = cols.index("count")
    lines = []
    for row in ROWS[:n]:
        cells = row.split(",")
        cells[i] = "1"
        lines.append(",".join(cells))
    return HEADER + "\n" + "\n".join(lines) + "\n"


def _size(inv: Path, *extra: str) -> list[str]:
    return ["size", str(inv), "--target", "z15", *extra]


def _trace(tmp: Path, text: str, name: str = "t.csv") -> Path:
    p = tmp / name
    p.write_text(text)
    return p


OK_TRACE = "server,step,cpu_pct\n" + "".join(
    f"{s},{i},{v}\n" for s in "ab" for i, v in enumerate([10, 20, 50, 10, 5, 60])
)


def _plan_file(tmp: Path, edit: Callable[[dict], None] | None = None) -> Path:
    data = export.plan_to_dict(plan.build_plan(EXAMPLE_SCENARIO).plan)
    if edit is not None:
        edit(data)
    p = tmp / "p.yaml"
    p.write_text(yaml.safe_dump(data, sort_keys=False))
    return p


def _dup_userid(d: dict) -> None:
    g = d["hosts"][0]["guests"]
    g[1]["zvm"]["userid"] = g[0]["zvm"]["userid"]


# (id, build(tmp) -> argv, exit code, message regex on stderr)
CASES: list[tuple[str, Callable[[Path], list[str]], int, str]] = [
    # ---- 3: every OS / decode / parse error is a clear error naming the file
    (
        "scenario-not-utf8",
        lambda t: ["plan", str(_bytes(t, "s.yaml", b"name: caf\xe9\n")), "--out", str(t / "o")],
        2,
        r"not (valid )?UTF-8.*byte offset 9",
    ),
    (
        "plan-not-utf8",
        lambda t: ["validate", str(_bytes(t, "p.yaml", b"apiVersion: colonykit/v1\nname: \xff\n"))],
        2,
        r"p\.yaml is not UTF-8 text: byte offset 31",
    ),
    (
        "inventory-not-utf8",
        lambda t: _size(_bytes(t, "i.csv", HEADER.encode() + b"\n\xff\xfe,x\n")),
        2,
        r"i\.csv: not UTF-8 text at byte offset",
    ),
    (
        "out-below-a-file",
        lambda t: ["plan", EXAMPLE_SCENARIO, "--out", str(_inventory(t, "x", "f") / "sub")],
        2,
        r"cannot create folder .*/f: a file of that name is in the way",
    ),
    (
        "out-is-a-file",
        lambda t: ["plan", EXAMPLE_SCENARIO, "--out", str(_inventory(t, "x", "f"))],
        2,
        r"must be a folder",
    ),
    (
        "out-unwritable",
        lambda t: ["plan", EXAMPLE_SCENARIO, "--out", "/proc/colonykit-hostile"],
        2,
        r"cannot write /proc/colonykit-hostile",
    ),
    (
        "corrupt-gz",
        lambda t: ["whitespace", str(_inventory(t, "garbage", "t.csv.gz"))],
        2,
        r"cannot read trace file .*t\.csv\.gz",
    ),
    (
        "xls-workbook",
        lambda t: _size(_inventory(t, "not really", "inv.xls")),
        2,
        r"\.xls\) are not supported",
    ),
    (
        "corrupt-xlsx",
        lambda t: _size(_inventory(t, "not a zip", "inv.xlsx")),
        2,
        r"cannot read the workbook",
    ),
    (
        "unknown-tz",
        lambda t: ["whitespace", str(_trace(t, OK_TRACE)), "--tz", "Mars/Olympus"],
        2,
        r"'tz' must be",
    ),
    (
        "step-overflow",
        lambda t: ["whitespace", str(_trace(t, "server,step,cpu_pct\na,0,1\na,1e30,2\n"))],
        2,
        r"limit MAX_STEP",
    ),
    (
        "interval-1ns",
        lambda t: ["whitespace", str(_trace(t, OK_TRACE)), "--interval", "1ns"],
        2,
        r"'interval' must be between 1 s",
    ),
    (
        "scenario-missing",
        lambda t: ["plan", str(t / "nope.yaml"), "--out", str(t / "o")],
        2,
        r"not found",
    ),
    ("scenario-is-folder", lambda t: ["plan", str(t), "--out", str(t / "o")], 2, r"error: "),
    ("plan-missing", lambda t: ["validate", str(t / "nope.yaml")], 2, r"plan file not found"),
    ("empty-inventory", lambda t: _size(_inventory(t, "")), 2, r"the file is empty"),
    # ---- 4: numbers that pass a range check and break later
    (
        "count-inf",
        lambda t: _size(_inventory(t, _rows(3).replace(",1\n", ",inf\n", 1))),
        2,
        r"'count' must be a finite number",
    ),
    (
        "cores-inf",
        lambda t: _size(_inventory(t, _rows(3).replace(",2,10,30,", ",inf,10,30,", 1))),
        2,
        r"'cores' must be a finite number",
    ),
    (
        "count-1e9",
        lambda t: _size(_inventory(t, _rows(3).replace(",1\n", ",1000000000\n", 1))),
        2,
        r"'count' must be a whole number >= 1 and <= 100,000 \(limit MAX_COUNT_PER_ROW\)",
    ),
    (
        "servers-over-limit",
        lambda t: _size(_inventory(t, _rows(3).replace(",1\n", ",100000\n"))),
        2,
        r"300,000 servers in all .*MAX_SERVERS",
    ),
    (
        "design-override-1e300",
        lambda t: [
            "plan",
            str(write_scenario(t, **{"design.overrides": {"guestvol_cyl": 1e300}})),
            "--out",
            str(t / "o"),
        ],
        2,
        r"design\.overrides\.guestvol_cyl' must be (less than or equal to 1000000000|a number in 0\.\.1e\+09)",
    ),
    (
        "processors-inf",
        lambda t: _size(
            INVENTORY,
            "--processors",
            str(
                _inventory(
                    t,
                    (_PKG_DATA / "processors.csv").read_text().replace(",171.1,", ",inf,"),
                    "p.csv",
                )
            ),
        ),
        2,
        r"'engine_mips_1way' must be a finite number > 0",
    ),
    (
        "workload-classes-unordered",
        lambda t: _size(
            INVENTORY,
            "--workload-classes",
            str(
                _inventory(
                    t,
                    (_PKG_DATA / "workload_classes.csv")
                    .read_text()
                    .replace(",20,30,50,", ",60,30,50,"),
                    "w.csv",
                )
            ),
        ),
        2,
        r"'tpm_per_mips_low' <= 'tpm_per_mips_typical' must hold",
    ),
    (
        "workload-classes-negative",
        lambda t: _size(
            INVENTORY,
            "--workload-classes",
            str(
                _inventory(
                    t,
                    (_PKG_DATA / "workload_classes.csv")
                    .read_text()
                    .replace(",20,30,50,", ",-20,30,50,"),
                    "w.csv",
                )
            ),
        ),
        2,
        r"'tpm_per_mips_low' must be a finite number > 0",
    ),
    (
        "designs-file-bad-value",
        lambda t: [
            "designs",
            "--guests",
            "4",
            "--designs-file",
            str(
                _inventory(
                    t,
                    (_PKG_DATA / "designs.yaml")
                    .read_text()
                    .replace("value: 3338", "value: 1e300", 1),
                    "d.yaml",
                )
            ),
        ],
        2,
        r"parameters\.install_cyl\.value' must be a number in 0\.\.1e\+09",
    ),
    (
        "designs-file-text-value",
        lambda t: [
            "designs",
            "--guests",
            "4",
            "--designs-file",
            str(
                _inventory(
                    t,
                    (_PKG_DATA / "designs.yaml")
                    .read_text()
                    .replace("value: 3338", "value: lots", 1),
                    "d.yaml",
                )
            ),
        ],
        2,
        r"parameters\.install_cyl\.value' must be",
    ),
    (
        "grid-too-large",
        lambda t: [
            "whitespace",
            str(
                _trace(
                    t,
                    "server,timestamp,cpu_pct\na,1970-01-01T00:00:00Z,1\na,2200-01-01T00:00:00Z,2\n",
                )
            ),
            "--interval",
            "1s",
        ],
        2,
        r"limit MAX_GRID_CELLS",
    ),
    # ---- 5: parsers that guess
    (
        "misspelled-column",
        lambda t: _size(_inventory(t, _rows(3).replace(",count", ",cuont", 1))),
        2,
        r"unknown column 'cuont' \(did you mean 'count'\?\)",
    ),
    (
        "duplicate-header",
        lambda t: _size(_inventory(t, _rows(3).replace(",count", ",memory_mib", 1))),
        2,
        r"column 'memory_mib' is given 2 times",
    ),
    (
        "ambiguous-cpu-header",
        lambda t: _size(_inventory(t, _rows(3).replace("util_peak_pct", "CPU %", 1))),
        2,
        r"column 'CPU %' is ambiguous",
    ),
    (
        "size-without-unit",
        lambda t: _size(
            _inventory(
                t,
                _rows(3)
                .replace("memory_mib", "Memory (GB)", 1)
                .replace(",1024,", ",1024 parsecs,", 1),
            )
        ),
        2,
        r"'memory_mib' must be a size in one of",
    ),
    (
        "duplicate-yaml-key",
        lambda t: [
            "plan",
            str(_inventory(t, write_scenario(t).read_text() + "name: again\n", "d.yaml")),
            "--out",
            str(t / "o"),
        ],
        2,
        r"duplicate key 'name' \(first given on line",
    ),
    (
        "billion-laughs",
        lambda t: [
            "validate",
            str(
                _inventory(
                    t,
                    "a: &a [x,x,x,x,x,x,x,x,x,x]\n"
                    + "".join(
                        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n"
                        for i in range(8)
                    ),
                    "b.yaml",
                )
            ),
        ],
        2,
        r"expands to more than 2,000,000 values",
    ),
    (
        "repeated-header-names",
        lambda t: [
            "whitespace",
            str(
                _trace(
                    t, "step," + ",".join(["a"] * 50_000) + "\n0," + ",".join(["1"] * 50_000) + "\n"
                )
            ),
        ],
        2,
        r"column\(s\) \['a'\] appear more than once",
    ),
    (
        "too-many-columns",
        lambda t: [
            "whitespace",
            str(
                _trace(
                    t,
                    "step,"
                    + ",".join(f"s{i}" for i in range(110_000))
                    + "\n0,"
                    + ",".join(["1"] * 110_000)
                    + "\n",
                )
            ),
        ],
        2,
        r"limit MAX_COLUMNS",
    ),
    (
        "huge-value-in-message",
        lambda t: ["plan", str(write_scenario(t, name="x" * 1_000_000)), "--out", str(t / "o")],
        2,
        r"'name' must",
    ),
    # ---- more of our own
    (
        "yaml-nested-too-deep",
        lambda t: [
            "validate",
            str(_inventory(t, "a: " + "[" * 100_000 + "]" * 100_000, "deep.yaml")),
        ],
        2,
        r"not valid YAML",
    ),
    (
        "yaml-python-tag",
        lambda t: [
            "plan",
            str(_inventory(t, 'a: !!python/object/apply:os.system ["id"]\n', "py.yaml")),
            "--out",
            str(t / "o"),
        ],
        2,
        r"could not determine a constructor",
    ),
    (
        "scenario-is-a-list",
        lambda t: ["plan", str(_inventory(t, "- 1\n", "l.yaml")), "--out", str(t / "o")],
        2,
        r"must be a YAML mapping \(got list\)",
    ),
    (
        "out-is-a-symlink",
        lambda t: ["plan", EXAMPLE_SCENARIO, "--out", str(_dirlink(t))],
        2,
        r"is a symbolic link",
    ),
    (
        "report-to-device",
        lambda t: ["report", EXAMPLE_SCENARIO, "--out", "/dev/null"],
        2,
        r"refusing to replace /dev/null",
    ),
    (
        "channels-overflow",
        lambda t: ["channels", "--io-rate", "1e308", "--connect-ms", "1e308"],
        2,
        r"must be >= 0 and finite \(got inf\)",
    ),
    (
        "paging-overflow",
        lambda t: ["paging", "--guests", "100000", "--guest-mib", "1e305", "--real-mib", "1"],
        2,
        r"finite \(got inf\)",
    ),
    (
        "designs-guests-huge",
        lambda t: ["designs", "--guests", "1000000000"],
        2,
        r"limit MAX_SERVERS",
    ),
    (
        "step-s-tiny",
        lambda t: ["whitespace", str(_trace(t, OK_TRACE)), "--step-s", "1e-300"],
        2,
        r"'step_s' must be a number in 1\.\.",
    ),
    (
        "anti-affinity-unknown",
        lambda t: [
            "pack",
            str(_trace(t, OK_TRACE)),
            "--host-capacity",
            "100",
            "--anti-affinity",
            "a,zz",
        ],
        2,
        r"unknown server 'zz'",
    ),
    (
        "start-not-a-date",
        lambda t: ["whitespace", str(_trace(t, OK_TRACE)), "--start", "99999-99-99"],
        2,
        r"'start' must be a date/time",
    ),
    (
        "trace-nul-bytes",
        lambda t: ["whitespace", str(_trace(t, "server,step,cpu_pct\na,0,1\x00\n"))],
        2,
        r"trace file .* line 2 holds a NUL byte \(binary data, not CSV text\)",
    ),
    ("trace-empty-folder", lambda t: ["whitespace", str(_emptydir(t))], 2, r"has no trace files"),
    (
        "trace-pct-140",
        lambda t: ["whitespace", str(_trace(t, OK_TRACE.replace(",60\n", ",140\n")))],
        2,
        r"'cpu_pct' must be a number in 0\.\.100 \(got 140\.0\) at .*t\.csv line 7",
    ),
    (
        "inventory-too-many-columns",
        lambda t: _size(_inventory(t, ",".join(f"c{i}" for i in range(1_200)) + "\n")),
        2,
        r"limit\s+MAX_INVENTORY_COLUMNS",
    ),
    (
        "inventory-util-140",
        lambda t: _size(_inventory(t, _rows(3).replace(",10,30,", ",10,140,", 1))),
        2,
        r"'util_peak_pct' must be in 0\.\.100 \(got 140\.0\) at inv\.csv line 2",
    ),
    (
        "windows-not-utf8",
        lambda t: [
            "stagger",
            str(_trace(t, OK_TRACE)),
            "--period",
            "3",
            "--windows",
            str(_bytes(t, "w.csv", b"server,earliest\n\xff\n")),
        ],
        2,
        r"w\.csv",
    ),
    # ---- 7: checks that gate
    ("validate-error-findings", lambda t: ["validate", str(_plan_file(t, _dup_userid))], 1, r""),
    (
        "render-refuses-errors",
        lambda t: [
            "render",
            str(_plan_file(t, _dup_userid)),
            "--target",
            "zvm",
            "--out",
            str(t / "r"),
        ],
        1,
        r"error finding\(s\); nothing rendered",
    ),
    # ---- 2: refuse to replace what is not a regular file
    (
        "output-device-node",
        lambda t: ["stagger", str(_trace(t, OK_TRACE)), "--period", "3", "--output", "/dev/null"],
        2,
        r"refusing to replace /dev/null: it is a character device",
    ),
    (
        "output-symlink",
        lambda t: [
            "stagger",
            str(_trace(t, OK_TRACE)),
            "--period",
            "3",
            "--output",
            str(_symlink(t)),
        ],
        2,
        r"it is a symbolic link",
    ),
    (
        "out-has-foreign-files",
        lambda t: ["plan", EXAMPLE_SCENARIO, "--out", str(_foreign(t))],
        2,
        r"holds 1 file\(s\) colonykit did not write there, e\.g\. \['notes\.txt'\]",
    ),
    (
        "out-has-device-node",
        lambda t: ["plan", EXAMPLE_SCENARIO, "--out", str(_fifo(t))],
        2,
        r"not regular files: \['pipe \(a named pipe\)'\]",
    ),
]


def _edit_plan(path_value: tuple[str, object]) -> Callable[[Path], list[str]]:
    """A hand edit of one plan field (dotted path, list indexes as numbers), then ``validate``."""
    dotted, value = path_value

    def build(t: Path) -> list[str]:
        def edit(d: dict) -> None:
            node: object = d
            parts = dotted.split(".")
            for part in parts[:-1]:
                node = node[int(part)] if isinstance(node, list) else node[part]  # type: ignore[index]
            last = parts[-1]
            if isinstance(node, list):
                node[int(last)] = value
            else:
                node[last] = value  # type: ignore[index]

        return ["validate", str(_plan_file(t, edit))]

    return build


# ---- 1: free text never reaches a line-oriented file (refused by the schema, exit 2)
INJECTIONS: list[tuple[str, Callable[[Path], list[str]], int, str]] = [
    (
        "scenario-options-newline",
        lambda t: [
            "plan",
            str(write_scenario(t, **{"guests.options": ["APPLMON\nLINK MAINT 0190 0190 MW"]})),
            "--out",
            str(t / "o"),
        ],
        2,
        r"'guests\.options\.0' must be an OPTION operand",
    ),
    (
        "scenario-password-newline",
        lambda t: [
            "plan",
            str(write_scenario(t, **{"guests.password": "PW\nLINK"})),
            "--out",
            str(t / "o"),
        ],
        2,
        r"'guests\.password' must be 1-8 characters",
    ),
    (
        "scenario-image-dir-quote",
        lambda t: [
            "plan",
            str(
                write_scenario(
                    t, **{"storage.image_dir": "/srv/xen/images', access=rw, target=/dev/sda"}
                )
            ),
            "--out",
            str(t / "o"),
        ],
        2,
        r"'storage\.image_dir' must be an absolute path",
    ),
    (
        "scenario-nfs-options",
        lambda t: [
            "plan",
            str(write_scenario(t, **{"storage.nfs_options": "vers=3 ro\nx"})),
            "--out",
            str(t / "o"),
        ],
        2,
        r"'storage\.nfs_options' must be",
    ),
    (
        "scenario-disk-pool",
        lambda t: [
            "plan",
            str(write_scenario(t, **{"storage.disk_pool": "ECKD:POOL1\n"})),
            "--out",
            str(t / "o"),
        ],
        2,
        r"'storage\.disk_pool' must be",
    ),
    (
        "scenario-bridge",
        lambda t: [
            "plan",
            str(write_scenario(t, **{"network.bridge": "xenbr0, script=/tmp/evil"})),
            "--out",
            str(t / "o"),
        ],
        2,
        r"'network\.bridge' must be",
    ),
    (
        "scenario-hosts-1e6",
        lambda t: [
            "plan",
            str(write_scenario(t, **{"target.hosts": 1_000_000})),
            "--out",
            str(t / "o"),
        ],
        2,
        r"'target\.hosts' must be a whole number in 1..1000 or 'auto'",
    ),
    (
        "scenario-vcpus-1e9",
        lambda t: [
            "plan",
            str(write_scenario(t, **{"guests.per_server": {"file-01": {"vcpus": 10**9}}})),
            "--out",
            str(t / "o"),
        ],
        2,
        r"less than or equal to 512",
    ),
    (
        "plan-privclass-newline",
        _edit_plan(("hosts.0.guests.0.zvm.privclass", "G\nMDISK 0201 3390 0001 10016 BASE01 MW")),
        2,
        r"'hosts\.0\.guests\.0\.zvm\.privclass' must be 1-32 privilege classes",
    ),
    (
        "plan-password-newline",
        _edit_plan(("hosts.0.guests.0.zvm.password", "XX\nLINK MAINT 0190 0190 MW")),
        2,
        r"zvm\.password' must be (1-8 characters|have at most 8)",
    ),
    (
        "plan-ipl-newline",
        _edit_plan(("hosts.0.guests.0.zvm.ipl", "0201\nMDISK 0201 3390 0001 10016 BASE01 MW")),
        2,
        r"zvm\.ipl' must be a device number",
    ),
    (
        "plan-options-link",
        _edit_plan(("hosts.0.guests.0.zvm.options", ["APPLMON\nLINK MAINT 0190 0190 MW"])),
        2,
        r"zvm\.options\.0' must be an OPTION operand",
    ),
    (
        "plan-design-newline",
        _edit_plan(("metadata.design", "x\nUSER EVIL PW 1G 1G ABCDEFG")),
        2,
        r"'metadata\.design' must be",
    ),
    (
        "plan-vcpus-huge",
        _edit_plan(("hosts.0.guests.0.vcpus", 10**9)),
        2,
        r"less than or equal to 512",
    ),
    (
        "plan-mac-comma",
        _edit_plan(("hosts.0.guests.0.network.0.mac", "02:00:00:ab:cd:ef,script=x")),
        2,
        r"network\.0\.mac' must be a MAC address",
    ),
]
CASES += INJECTIONS


def _symlink(t: Path) -> Path:
    (t / "real.csv").write_text("keep me\n")
    (t / "link.csv").symlink_to(t / "real.csv")
    return t / "link.csv"


def _dirlink(t: Path) -> Path:
    (t / "real").mkdir()
    (t / "o").symlink_to(t / "real")
    return t / "o"


def _emptydir(t: Path) -> Path:
    (t / "empty").mkdir()
    return t / "empty"


def _foreign(t: Path) -> Path:
    (t / "o").mkdir()
    (t / "o" / "notes.txt").write_text("mine\n")
    return t / "o"


def _fifo(t: Path) -> Path:
    (t / "o").mkdir()
    os.mkfifo(t / "o" / "pipe")
    return t / "o"


@pytest.mark.parametrize(
    ("build", "code", "pattern"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_hostile_case(tmp_path: Path, capsys, request, build, code, pattern) -> None:
    argv = build(tmp_path)
    assert argv, "case builder failed"
    before = _tree(tmp_path)
    try:
        got = main(argv)
    except SystemExit as exc:  # argparse refuses an argument: usage + error, exit 2
        got = exc.code
    out, err = capsys.readouterr()
    assert got == code, (got, err[-2000:])
    assert "Traceback" not in err + out
    if code == 2:
        assert "error: " in err
    import re

    assert re.search(pattern, err), err[-2000:]
    assert len(err) < 30_000  # messages stay short even for huge inputs
    if code == 2 or argv[0] == "render":
        assert _tree(tmp_path) == before  # nothing written
    assert not _leftovers(tmp_path)
    assert "/dev/null" not in argv or stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_catalogue_totals() -> None:
    """The catalogue is what the closing note counts (every case is a clear error or a gate)."""
    assert len(CASES) >= 40
    assert {c[2] for c in CASES} <= {1, 2}


# --------------------------------------------------------------------------- readings that are said
def test_units_in_headers_and_cells_are_converted_and_reported(tmp_path: Path, capsys) -> None:
    from colonykit.ingest import read_inventory

    text = (
        "Server,Role,Capacity,Capacity Unit,Avg CPU %,Peak CPU %,Workload Class,Memory (GB),Disk (GB),"
        "Count\n"
        "a,web,2.4 GHz,,10%,40%,web,32,100 GiB,2\n"
        "b,web,2400,mhz,10,30,web,512 MiB,50,1\n"
    )
    inv, meta = read_inventory(_inventory(tmp_path, text))
    assert inv["capacity"].tolist() == [2.4, 2400.0] and inv["capacity_unit"].tolist() == [
        "ghz",
        "mhz",
    ]
    assert inv["util_peak_pct"].tolist() == [40.0, 30.0]
    assert inv["memory_mib"].tolist() == [32 * 1024.0, 512.0]  # memory: 1 GB read as 1 GiB
    assert inv["disk_gib"].tolist() == [100.0, 50e9 / 2**30]
    said = " ".join(meta["conversions"])
    assert "memory_mib" in said and "1 GB = 1024 MiB" in said and "'%' removed" in said
    assert "capacity" in said and "10^6 B" in said
    assert main(_size(tmp_path / "inv.csv")) == 0
    err = capsys.readouterr().err
    assert (
        "Traceback" not in err
        and "note: memory_mib: 1 value(s) converted from header 'Memory (GB)'" in err
    )


def test_memory_mb_is_converted_not_relabelled(tmp_path: Path) -> None:
    from colonykit.ingest import read_inventory

    text = _rows(2).replace("memory_mib", "memory_mb").replace("disk_gib", "disk_gb")
    inv, meta = read_inventory(_inventory(tmp_path, text))
    assert inv["memory_mib"].iloc[0] == 1024  # memory "MB" read as MiB, as memory is sold
    assert inv["disk_gib"].iloc[0] == pytest.approx(72 * 1e9 / 2**30)  # disk stays decimal
    assert any("1 MB = 1 MiB" in n and "as memory is sold" in n for n in meta["conversions"])


def test_unknown_extra_column_is_ignored_with_a_warning(tmp_path: Path, capsys) -> None:
    text = _rows(2).replace(",count", ",count,location").replace(",1\n", ",1,Amsterdam\n")
    assert main(_size(_inventory(tmp_path, text))) == 0
    assert "warning: inv.csv: ignored column(s) ['location']" in capsys.readouterr().err


def test_duplicate_samples_are_averaged_with_a_warning(tmp_path: Path, capsys) -> None:
    t = _trace(tmp_path, OK_TRACE + "a,2,70\n")
    assert main(["whitespace", str(t)]) == 0
    assert "1 sample(s) repeat a (server, time)" in capsys.readouterr().err


def test_excel_sheet_choice(tmp_path: Path, capsys) -> None:
    pd = pytest.importorskip("pandas")
    pytest.importorskip("openpyxl")
    from colonykit.ingest import read_inventory

    frame = pd.read_csv(INVENTORY)
    two = tmp_path / "two.xlsx"
    with pd.ExcelWriter(two) as w:
        frame.to_excel(w, sheet_name="servers", index=False)
        pd.DataFrame({"column": ["server"], "meaning": ["name"]}).to_excel(
            w, sheet_name="help", index=False
        )
    inv, meta = read_inventory(two)
    assert meta["sheet"] == "servers" and int(inv["count"].sum()) == 26
    assert any("sheet 'servers' read" in n for n in meta["conversions"])
    both = tmp_path / "both.xlsx"
    with pd.ExcelWriter(both) as w:
        frame.to_excel(w, sheet_name="a", index=False)
        frame.to_excel(w, sheet_name="b", index=False)
    assert main(_size(both)) == 2
    assert "choose one with sheet=" in capsys.readouterr().err


# --------------------------------------------------------------------------- secrets
def test_password_files_are_0600_and_json_is_redacted(tmp_path: Path, capsys) -> None:
    out = tmp_path / "o"
    assert main(["plan", EXAMPLE_SCENARIO, "--out", str(out), "--format", "json"]) == 0
    text = capsys.readouterr().out
    assert "XXXXXXXX" not in text and "<redacted>" in text
    mode = {p.name: stat.S_IMODE(p.stat().st_mode) for p in out.rglob("*") if p.is_file()}
    assert mode["plan.yaml"] == 0o600 and mode["USER.DIRECT"] == 0o600
    for p in out.rglob("*"):
        if p.is_file() and "XXXXXXXX" in p.read_text(errors="replace"):
            assert stat.S_IMODE(p.stat().st_mode) == 0o600, p
    assert any(m != 0o600 for m in mode.values())  # files without a password keep the normal mode


# --------------------------------------------------------------------------- output trees
def test_replanning_fewer_guests_leaves_no_stale_files(tmp_path: Path, capsys) -> None:
    out = tmp_path / "o"
    big = write_scenario(tmp_path)
    assert main(["plan", str(big), "--out", str(out)]) == 0
    n_before = len(list((out / "render" / "feilong").rglob("*.json")))
    small_inv = _inventory(tmp_path, _rows(2).replace(",1\n", ",4\n"), "small.csv")  # 2 rows x 4
    small = write_scenario(tmp_path, inventory=str(small_inv), **{"target.memory_gib_per_host": 64})
    code = main(["plan", str(small), "--out", str(out)])
    capsys.readouterr()
    assert code in (0, 1)
    assert n_before == 26 and len(list((out / "render" / "feilong").rglob("*.json"))) == 8
    manifest = json.loads((out / ".colonykit-tree").read_text())["files"]
    assert sorted(manifest) == sorted(
        str(p.relative_to(out))
        for p in out.rglob("*")
        if p.is_file() and p.name != ".colonykit-tree"
    )
    assert not _leftovers(tmp_path)


def test_leftovers_of_a_killed_run_are_removed(tmp_path: Path, capsys) -> None:
    stale = tmp_path / ".o.colonykit-new-abc123"
    stale.mkdir()
    (stale / "plan.yaml").write_text("half\n")
    assert main(["plan", EXAMPLE_SCENARIO, "--out", str(tmp_path / "o")]) == 0
    capsys.readouterr()
    assert not stale.exists() and not _leftovers(tmp_path)


def test_disk_full_while_writing_keeps_the_old_tree(tmp_path: Path, capsys, monkeypatch) -> None:
    import errno

    from colonykit import _atomic

    out = tmp_path / "o"
    assert main(["plan", EXAMPLE_SCENARIO, "--out", str(out)]) == 0
    before = _tree(tmp_path)
    real = _atomic.os.fdopen
    calls = {"n": 0}

    def full(fd, *a, **k):
        calls["n"] += 1
        if calls["n"] > 5:
            os.close(fd)
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(fd, *a, **k)

    monkeypatch.setattr(_atomic.os, "fdopen", full)
    assert main(["plan", EXAMPLE_SCENARIO, "--out", str(out)]) == 2
    assert "No space left on device" in capsys.readouterr().err
    assert _tree(tmp_path) == before and not _leftovers(tmp_path)


def _complete(out: Path) -> bool:
    """The tree is exactly what its manifest lists (a whole old or whole new tree)."""
    files = json.loads((out / ".colonykit-tree").read_text())["files"]
    present = sorted(
        str(p.relative_to(out))
        for p in out.rglob("*")
        if p.is_file() and p.name != ".colonykit-tree"
    )
    return sorted(files) == present and export.load_plan(out / "plan.yaml") is not None


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-c", "from colonykit.cli import entry; entry()", *args]


@pytest.mark.robust
def test_kill_9_never_leaves_a_partial_tree(tmp_path: Path) -> None:
    out = tmp_path / "o"
    scen = write_scenario(tmp_path)
    subprocess.run(_cli("plan", str(scen), "--out", str(out)), check=False, capture_output=True)
    assert _complete(out)
    for delay in (0.5, 1.5, 2.5, 3.5):
        proc = subprocess.Popen(
            _cli("plan", str(scen), "--out", str(out)),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert _complete(out), f"partial tree after kill -9 at {delay} s"
    assert (
        subprocess.run(_cli("plan", str(scen), "--out", str(out)), capture_output=True).returncode
        == 0
    )
    assert _complete(out) and not _leftovers(tmp_path)


@pytest.mark.robust
def test_concurrent_runs_produce_one_whole_tree(tmp_path: Path) -> None:
    out = tmp_path / "o"
    scen = write_scenario(tmp_path)
    procs = [
        subprocess.Popen(
            _cli("plan", str(scen), "--out", str(out)),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    results = [(p.wait(), p.stderr.read()) for p in procs]
    assert all(code == 0 for code, _ in results), results
    assert _complete(out) and not _leftovers(tmp_path)


_KILL_AT = """
import os, signal, sys
import colonykit._atomic as a
where, k = sys.argv[1], int(sys.argv[2])
n = {"i": 0}
def hit():
    n["i"] += 1
    if n["i"] == k:
        os.kill(os.getpid(), signal.SIGKILL)
if where == "write":
    real = a.os.fdopen
    def fdopen(fd, *x, **kw):
        hit()
        return real(fd, *x, **kw)
    a.os.fdopen = fdopen
else:  # after the swap, before the old tree is removed
    real_rm = a.shutil.rmtree
    def rmtree(p, *x, **kw):
        if "colonykit-new-" in str(p):
            hit()
        return real_rm(p, *x, **kw)
    a.shutil.rmtree = rmtree
from colonykit.cli import main
sys.exit(main(sys.argv[3:]))
"""


@pytest.mark.robust
@pytest.mark.parametrize(("where", "k"), [("write", 1), ("write", 7), ("write", 20), ("swap", 1)])
def test_kill_9_at_each_stage_of_the_write(tmp_path: Path, where: str, k: int) -> None:
    """SIGKILL at the first, a middle and a late file of the tree, and between swap and clean-up."""
    out = tmp_path / "o"
    old = write_scenario(tmp_path)
    assert (
        subprocess.run(_cli("plan", str(old), "--out", str(out)), capture_output=True).returncode
        == 0
    )
    old_tree = _tree(out)
    new = write_scenario(tmp_path, **{"metadata": None, "name": "renamed-colony"})
    proc = subprocess.run(
        [sys.executable, "-c", _KILL_AT, where, str(k), "plan", str(new), "--out", str(out)],
        capture_output=True,
    )
    assert proc.returncode == -signal.SIGKILL
    assert _complete(out)
    got = _tree(out)
    assert (
        got == old_tree if where == "write" else "renamed-colony" in (out / "plan.yaml").read_text()
    )
    assert (
        subprocess.run(_cli("plan", str(new), "--out", str(out)), capture_output=True).returncode
        == 0
    )
    assert _complete(out) and not _leftovers(tmp_path)


def _leaves(d: dict, pre: tuple = ()) -> list[tuple]:
    out: list[tuple] = []
    for k, v in d.items():
        out += _leaves(v, (*pre, k)) if isinstance(v, dict) else [(*pre, k)]
    return out


MUTATIONS = [None, "x", -1, 0, 1e308, float("inf"), [], {}, True, "A\nB", 10**12]


@pytest.mark.robust
def test_every_scenario_field_mutated_never_tracebacks(tmp_path: Path, capsys) -> None:
    """Each leaf of the example scenario set to each hostile value: exit 0/1/2, never a traceback;
    exit 2 writes nothing (297 cases)."""
    import copy

    base = yaml.safe_load(Path(EXAMPLE_SCENARIO).read_text())
    base["inventory"] = str(INVENTORY)
    codes: dict[int, int] = {}
    for i, path in enumerate(_leaves(base)):
        for j, value in enumerate(MUTATIONS):
            data = copy.deepcopy(base)
            node = data
            for k in path[:-1]:
                node = node[k]
            node[path[-1]] = value
            case = tmp_path / f"c{i}_{j}"
            case.mkdir()
            (case / "s.yaml").write_text(yaml.safe_dump(data))
            try:
                code = main(["plan", str(case / "s.yaml"), "--out", str(case / "o")])
            except SystemExit as exc:  # pragma: no cover - argparse is not involved here
                code = int(exc.code or 0)
            _out, err = capsys.readouterr()
            assert code in (0, 1, 2) and "Traceback" not in err, (path, value, err[-500:])
            if code == 2:
                assert err.startswith("error: ") and not (case / "o").exists(), (path, value)
            codes[code] = codes.get(code, 0) + 1
    assert sum(codes.values()) == len(_leaves(base)) * len(MUTATIONS) and codes[2] > 200


@pytest.mark.robust
def test_every_plan_field_hand_edited_never_tracebacks(tmp_path: Path, capsys) -> None:
    """Each leaf of a one-guest plan set to None, a line break and 10^12: validate and (when it is
    valid) render --force exit 0/1/2, never a traceback, and exit 2 renders nothing."""
    import copy

    base = export.plan_to_dict(plan.build_plan(EXAMPLE_SCENARIO).plan)
    base["hosts"][0]["guests"] = base["hosts"][0]["guests"][:1]
    base.pop("evidence")

    def leaves(d: object, pre: tuple = ()) -> list[tuple]:
        items = d.items() if isinstance(d, dict) else enumerate(d)  # type: ignore[union-attr]
        out: list[tuple] = []
        for k, v in items:
            out += leaves(v, (*pre, k)) if isinstance(v, dict | list) and v else [(*pre, k)]
        return out

    evidence = export.plan_to_dict(plan.build_plan(EXAMPLE_SCENARIO).plan)["evidence"]
    n = 0
    for i, path in enumerate(leaves(base)):
        for j, value in enumerate((None, "A\nB", 10**12)):
            data = copy.deepcopy(base)
            node = data
            for k in path[:-1]:
                node = node[k]
            node[path[-1]] = value
            data["evidence"] = evidence
            p = tmp_path / f"p{i}_{j}.yaml"
            p.write_text(yaml.safe_dump(data, sort_keys=False))
            code = main(["validate", str(p)])
            err = capsys.readouterr().err
            assert code in (0, 1, 2) and "Traceback" not in err, (path, value, err[-300:])
            if code != 2:
                out = tmp_path / f"r{i}_{j}"
                rcode = main(["render", str(p), "--target", "zvm", "--out", str(out), "--force"])
                rerr = capsys.readouterr().err
                assert rcode in (0, 1, 2) and "Traceback" not in rerr, (path, value, rerr[-300:])
            n += 1
    assert n > 150
