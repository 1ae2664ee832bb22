"""``colonykit size`` on a plain CSV without pandas (issue 25 §5) and the declarative inventory
schema (issue 27 §9): the pandas-free path prints what the library path prints, character for
character, on the bundled examples and on generated inventories (valid or not)."""

from __future__ import annotations

import dataclasses
import io
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from colonykit import inventory_schema as schema
from colonykit import reference, sizing
from colonykit.cli import _size, main
from colonykit.cli._common import plain_table

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "data" / "examples").glob("*.csv"))
HEADER = (
    "server,role,capacity,capacity_unit,cores,util_avg_pct,util_peak_pct,workload_class,"
    "memory_mib,disk_gib,count"
)


def five_servers(folder: Path) -> Path:
    """The first 5 servers of the bundled xyz inventory and of the IBM 448-core one."""
    path = folder / "five.csv"
    path.write_text(
        HEADER + "\n"
        "file,File Server,1400,mhz_per_core,2,10,30,file-print,1024,72,1\n"
        "dns,DNS Server,360,mhz_per_core,1,15,45,infrastructure,256,9,1\n"
        "firewall,Firewall,450,mhz_per_core,4,15,45,infrastructure,1024,18,1\n"
        "web,Web Server,900,mhz_per_core,2,15,45,web,2048,36,1\n"
        "db,Database,12000,tpm,,20,60,database,8192,200,1\n"
    )
    return path


def both_paths(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, argv: list[str]
) -> tuple[tuple[int, str, str], tuple[int, str, str], bool]:
    """(exit code, stdout, stderr) of the pandas-free path and of the library path."""
    used: list[bool] = []
    real = _size.run_plain

    def spy(args):  # type: ignore[no-untyped-def]
        try:
            code = real(args)
        except Exception:  # an input error of the plain path (printed as 'error: ...')
            used.append(True)
            raise
        used.append(code is not None)
        return code

    monkeypatch.setattr(_size, "run_plain", spy)
    plain = (main(argv), *capsys.readouterr())
    monkeypatch.setattr(_size, "run_plain", lambda args: None)
    library = (main(argv), *capsys.readouterr())
    monkeypatch.undo()
    return plain, library, bool(used and used[0])


OPTIONS = [
    [],
    ["--format", "json"],
    ["--basis", "avg", "--target-util-pct", "70"],
    ["--smt", "--format", "json"],
    ["--no-on-demand-timer", "--cp-overhead-pct", "8"],
]


@pytest.mark.parametrize("path", EXAMPLES)
@pytest.mark.parametrize("target", ["z15", "LinuxONE Rockhopper II", "3931"])
def test_bundled_examples_print_the_same(capsys, monkeypatch, path: str, target: str) -> None:
    for opts in OPTIONS:
        argv = ["size", str(ROOT / path), "--target", target, *opts]
        plain, library, used = both_paths(capsys, monkeypatch, argv)
        assert used, f"{path} should be read without pandas"
        assert plain == library, argv


def test_errors_are_the_same(capsys, monkeypatch, tmp_path: Path) -> None:
    for argv in (
        ["size", str(five_servers(tmp_path)), "--target", "zz9"],  # unknown model
        ["size", str(five_servers(tmp_path)), "--target", "z13", "--smt"],  # z13 has SMT
        ["size", str(five_servers(tmp_path)), "--target", "z10", "--smt"],  # z10 has none
    ):
        plain, library, used = both_paths(capsys, monkeypatch, argv)
        assert used and plain == library


def test_five_servers_run_without_pandas(tmp_path: Path) -> None:
    """Issue 25 §5: ``colonykit size`` on 5 servers imports neither pandas nor pydantic."""
    path = five_servers(tmp_path)
    for fmt in ("table", "json"):
        argv = ["size", str(path), "--target", "z15", "--format", fmt]
        code = (
            "import json, sys\nfrom colonykit.cli import main\n"
            f"rc = main({argv!r})\n"
            "sys.stderr.write('RC=%d MODULES=' % rc + json.dumps(sorted(sys.modules)))\n"
        )
        proc = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
        )
        head, mods_json = proc.stderr.rsplit("MODULES=", 1)
        assert head.endswith("RC=0 "), proc.stderr[-2000:]
        mods = set(json.loads(mods_json))
        assert not {"pandas", "pydantic", "pyarrow", "scipy"} & mods
        if fmt == "json":
            assert json.loads(proc.stdout)["target"]["engines_typical"] >= 1
        else:
            assert "z15 engines at 90% target" in proc.stdout


def test_non_plain_files_still_read_by_pandas(capsys, monkeypatch, tmp_path: Path) -> None:
    """Quotes, ragged lines or an Excel-only feature: the pandas reader reads them, same output."""
    p = tmp_path / "q.csv"
    p.write_text(
        HEADER + "\n"
        '"web, front",Web,900,mhz_per_core,2,15,45,web,2048,36,1\n'
        "db,Database,12000,tpm,,20,60,database,8192,200\n"
    )
    assert schema.plain_csv_grid(p) is None
    plain, library, used = both_paths(capsys, monkeypatch, ["size", str(p), "--target", "z15"])
    assert not used and plain == library and plain[0] == 0


# --------------------------------------------------------------------------- generated inventories
NAMES = st.text(alphabet="abcdefxyz0189-_. ", min_size=0, max_size=8)
NUMBER = st.one_of(
    st.integers(-5, 5000).map(str),
    st.floats(-1, 1e5, allow_nan=False).map(lambda v: f"{v:.6g}"),
    st.sampled_from(["", " ", "abc", "1e400", "nan", "0", "100", "101", "1_000", "2.5", "4 GB"]),
)
PCT = st.one_of(
    st.integers(0, 110).map(str),
    st.floats(0, 100).map(lambda v: f"{v:.3g}"),
    st.sampled_from(["", "40%", "12 %", "-1", "x"]),
)
CLASSES = st.sampled_from(["web", "database", "mixed", "infrastructure", "", "WEB", "dbx"])
UNITS = st.sampled_from(["tpm", "mips", "mhz", "ghz", "mhz_per_core", "ghz_per_core", "MHz", "x"])
ROW = st.fixed_dictionaries(
    {
        "server": NAMES,
        "role": NAMES,
        "capacity": st.one_of(NUMBER, st.sampled_from(["2.4 GHz", "3000 MHz", "9 parsecs"])),
        "capacity_unit": UNITS,
        "cores": st.one_of(st.sampled_from(["", "1", "2", "8", "0", "2.5"]), NUMBER),
        "util_avg_pct": PCT,
        "util_peak_pct": PCT,
        "workload_class": CLASSES,
        "memory_mib": st.one_of(NUMBER, st.sampled_from(["32 GB", "512 MiB", "1 TB", "7 XB"])),
        "disk_gib": NUMBER,
        "count": st.sampled_from(["", "1", "3", "0", "1.5", "200000"]),
        "tpm_per_mips": st.sampled_from(["", "", "87", "-1"]),
    }
)
#: Header spellings the schema maps (aliases, sizes in the header), per canonical column.
SPELLINGS = {
    "server": ["server", "Hostname", "Server Name"],
    "memory_mib": ["memory_mib", "Memory (GB)", "RAM_MiB"],
    "util_peak_pct": ["util_peak_pct", "Peak CPU %"],
    "count": ["count", "Qty"],
}


@st.composite
def inventories(draw: st.DrawFn) -> str:
    rows = draw(st.lists(ROW, min_size=1, max_size=6))
    cols = [c for c in rows[0] if c != "tpm_per_mips" or draw(st.booleans())]
    if draw(st.booleans()):
        cols.remove("cores")
    heads = [draw(st.sampled_from(SPELLINGS.get(c, [c]))) for c in cols]
    lines = [",".join(heads)] + [",".join(r[c] for c in cols) for r in rows]
    return "\n".join(lines) + "\n"


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=inventories(), target=st.sampled_from(["z15", "z16", "z10"]), fmt=st.booleans())
def test_generated_inventories_print_the_same(
    capsys, monkeypatch, tmp_path: Path, text: str, target: str, fmt: bool
) -> None:
    p = tmp_path / "gen.csv"
    p.write_text(text)
    argv = ["size", str(p), "--target", target, *(["--format", "json"] if fmt else [])]
    plain, library, used = both_paths(capsys, monkeypatch, argv)
    assert plain == library
    assert used or not all(c.isprintable() for c in text.replace("\n", "")) or '"' in text


# --------------------------------------------------------------------------- the plain reader
CELLS = st.text(alphabet="ab1., \t'\"%#-;é", max_size=5)


@settings(max_examples=300, deadline=None)
@given(
    rows=st.lists(st.lists(CELLS, min_size=1, max_size=4), min_size=1, max_size=5),
    blank=st.sampled_from(["", "\n", "\r\n", "\n  \n", "\n\n"]),
    eol=st.sampled_from(["\n", "\r\n"]),
)
def test_plain_reader_gives_pandas_cells(tmp_path_factory, rows, blank, eol) -> None:
    """Where the csv-module reader accepts a file, its cells are pandas' cells."""
    text = eol.join(",".join(r) for r in rows) + blank
    p = tmp_path_factory.mktemp("g") / "inv.csv"
    p.write_bytes(text.encode())
    got = schema.plain_csv_grid(p)
    if got is None:
        return
    grid = pd.read_csv(
        p,
        dtype=str,
        header=None,
        keep_default_na=False,
        skipinitialspace=True,
        encoding="utf-8-sig",
    )
    assert got == grid.to_numpy(dtype=object).tolist()


# --------------------------------------------------------------------------- the table layout
TEXT = st.text(alphabet="ab z0_-é中", min_size=1, max_size=10)


@settings(max_examples=200, deadline=None)
@given(
    data=st.data(),
    n=st.integers(1, 6),
    kinds=st.lists(st.sampled_from(["f", "i", "b", "s"]), min_size=1, max_size=5),
)
def test_plain_table_is_to_string(data: st.DataObject, n: int, kinds: list[str]) -> None:
    values = {
        "f": st.floats(0, 1e13, allow_nan=False),
        "i": st.integers(0, 10**7),
        "b": st.booleans(),
        "s": TEXT,
    }
    index = data.draw(st.lists(TEXT.map(str.strip).filter(bool), min_size=n, max_size=n))
    cols = [
        (
            f"{k}{j}_{'x' * data.draw(st.integers(0, 12))}",
            data.draw(st.lists(values[k], min_size=n, max_size=n)),
        )
        for j, k in enumerate(kinds)
    ]
    frame = pd.DataFrame(dict(cols), index=pd.Index(index, name="server"))
    assert plain_table("server", index, cols) == frame.to_string(float_format="{:,.1f}".format)


def test_plain_table_long_table_is_not_cut() -> None:
    idx = [f"s{i}" for i in range(600)]
    cols = [("mips_low", [float(i) for i in range(600)])]
    frame = pd.DataFrame(dict(cols), index=pd.Index(idx, name="server"))
    with pd.option_context("display.max_rows", 500, "display.width", 160):
        assert plain_table("server", idx, cols) == frame.to_string(float_format="{:,.1f}".format)


# --------------------------------------------------------------------------- reference tables
def test_bundled_tables_without_pandas_equal_the_frames() -> None:
    plain = sizing.SizingTables.bundled()
    frames = sizing.SizingTables.from_frames(
        reference.workload_classes(), reference.capacity_units(), reference.mp_effect()
    )
    for f in dataclasses.fields(plain):
        a, b = getattr(plain, f.name), getattr(frames, f.name)
        if isinstance(a, np.ndarray):
            np.testing.assert_array_equal(a, b)
        else:
            assert a == b, f.name


def test_processors_without_pandas_equal_the_catalog() -> None:
    names = list(reference.processors().index) + list(reference.processor_aliases().index)
    names += sorted({str(t) for t in reference.processor_aliases()["machine_type"]})
    names += sorted({str(t) for t in reference.processors()["machine_type"]})
    for name in names:
        assert sizing.TargetProcessor.from_bundled(name) == sizing.TargetProcessor.from_catalog(
            name
        )
    for bad in ("zz9", "LinuxONE 99"):
        with pytest.raises(KeyError) as a:
            sizing.TargetProcessor.from_bundled(bad)
        with pytest.raises(KeyError) as b:
            sizing.TargetProcessor.from_catalog(bad)
        assert str(a.value) == str(b.value)


# --------------------------------------------------------------------------- the schema
def test_schema_is_the_one_list_of_columns_and_spellings() -> None:
    aliases = [a for f in schema.INVENTORY_SCHEMA for a in f.aliases]
    assert len(aliases) == len(set(aliases))  # one spelling reads as one field
    assert not set(aliases) & set(schema.FIELDS)
    assert not set(aliases) & set(schema.AMBIGUOUS_HEADERS)
    assert all(schema.header(a) == (schema.COLUMN_MAP[a], None) for a in aliases)
    js = schema.json_schema()
    assert js["required"] == list(schema.INVENTORY_COLUMNS)
    assert list(js["properties"]) == [*schema.INVENTORY_COLUMNS, *schema.OPTIONAL_COLUMNS]
    from colonykit.units import GLOSSARY, UNIT_LABELS

    for f in schema.INVENTORY_SCHEMA:
        # the unit is the glossary's (pct, mib, …) or a label; a name with a unit suffix has it
        assert not f.unit or f"_{f.unit}" in GLOSSARY or f.unit in UNIT_LABELS, f.name
        longest = sorted(GLOSSARY, key=len, reverse=True)  # _per_s before _s
        suffix = next((x for x in longest if f.name.endswith(x)), None)
        if suffix and f.kind != "choice" and f.unit not in UNIT_LABELS:
            assert f.unit == suffix[1:], f.name
        # an optional field says what a blank cell means, and where that comes from
        assert f.required or f.default_source, f.name
        assert js["properties"][f.name]["x-rule"] == f.rule()


@pytest.mark.parametrize(
    ("field", "cell", "message"),
    [
        ("util_peak_pct", "140", "'util_peak_pct' must be in 0..100 (got 140.0) at g.csv line 2"),
        ("capacity", "0", "'capacity' must be > 0 (got 0.0) at g.csv line 2"),
        ("disk_gib", "-1", "'disk_gib' must be >= 0 (got -1.0) at g.csv line 2"),
        (
            "count",
            "1.5",
            "'count' must be a whole number >= 1 and <= 100,000 (limit MAX_COUNT_PER_ROW) "
            "(got 1.5) at g.csv line 2",
        ),
        ("memory_mib", "abc", "'memory_mib' must be a number > 0 (got 'abc') at g.csv line 2"),
        (
            "util_avg_pct",
            "inf",
            "'util_avg_pct' must be a finite number in 0..100 (got 'inf') at g.csv line 2",
        ),
    ],
)
def test_the_rule_declared_is_the_rule_named(field: str, cell: str, message: str) -> None:
    row = {
        "server": "a",
        "role": "web",
        "capacity": "1000",
        "capacity_unit": "tpm",
        "util_avg_pct": "10",
        "util_peak_pct": "40",
        "workload_class": "web",
        "memory_mib": "512",
        "disk_gib": "10",
        "count": "1",
        field: cell,
    }
    with pytest.raises(ValueError) as exc:
        schema.validate_columns(
            {k: [v] for k, v in row.items()},
            source="g.csv",
            class_names=["web"],
            unit_needs_cores={"tpm": False},
        )
    assert exc.value.problems == [message]  # type: ignore[attr-defined]
    assert schema.FIELDS[field].rule() in message


def test_problems_in_row_then_field_order() -> None:
    """Column-wise checks, messages still in file order (row, then the schema's field order)."""
    text = (
        "server,role,capacity,capacity_unit,util_avg_pct,util_peak_pct,workload_class,memory_mib,disk_gib\n"
        "a,r,-1,tpm,50,40,web,0,1\n"
        "a,r,1,tpm,10,20,dbx,1,-2\n"
    )
    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    with pytest.raises(ValueError) as exc:
        from colonykit.frames import validate_inventory

        validate_inventory(frame, source="o.csv")
    assert exc.value.problems == [  # type: ignore[attr-defined]
        "'capacity' must be > 0 (got -1.0) at o.csv line 2",
        "'util_peak_pct' must be >= 'util_avg_pct' (50) (got 40) at o.csv line 2",
        "'memory_mib' must be > 0 (got 0.0) at o.csv line 2",
        "'server' must be unique (got 'a' again) at o.csv line 3; first seen at o.csv line 2",
        "'workload_class' must be one of ['cpu-bound', 'mixed', 'web', 'infrastructure', "
        "'database', 'file-print'] (got 'dbx') at o.csv line 3",
        "'disk_gib' must be >= 0 (got -2.0) at o.csv line 3",
    ]


@st.composite
def valid_inventories(draw: st.DrawFn) -> str:
    n = draw(st.integers(1, 12))
    lines = [HEADER.replace("memory_mib", "Memory (GB)")]
    for i in range(n):
        unit = draw(st.sampled_from(["tpm", "mips", "mhz_per_core", "ghz_per_core", "ghz"]))
        avg = draw(st.floats(0, 100))
        peak = draw(st.floats(avg, 100))
        lines.append(
            ",".join(
                [
                    f"s{i}{draw(st.sampled_from(['', '-web', '.x']))}",
                    draw(st.sampled_from(["", "web", "db server"])),
                    repr(draw(st.floats(0.01, 1e6))),
                    unit,
                    draw(st.sampled_from(["1", "2", "16"])) if "per_core" in unit else "",
                    repr(avg),
                    repr(peak),
                    draw(st.sampled_from(["web", "database", "mixed", "cpu-bound", "file-print"])),
                    str(draw(st.integers(1, 512))),
                    repr(draw(st.floats(0, 1e4))),
                    str(draw(st.integers(1, 40))),
                ]
            )
        )
    return "\n".join(lines) + "\n"


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    text=valid_inventories(),
    target=st.sampled_from(["z15", "z16", "LinuxONE Emperor II", "z990"]),
    opts=st.sampled_from(OPTIONS),
)
def test_generated_valid_inventories_print_the_same(
    capsys, monkeypatch, tmp_path: Path, text: str, target: str, opts: list[str]
) -> None:
    p = tmp_path / "ok.csv"
    p.write_text(text)
    plain, library, used = both_paths(
        capsys, monkeypatch, ["size", str(p), "--target", target, *opts]
    )
    assert used and plain == library
    assert plain[0] == 0 or "SMT" in plain[2] or "engines" in plain[2], plain[2]


# --------------------------------------------------------------------------- catalog
@pytest.mark.parametrize(
    "name", ["processors", "classes", "units", "rules", "costs", "core-factors"]
)
@pytest.mark.parametrize("fmt", ["table", "json"])
def test_catalog_without_pandas_prints_the_frames(capsys, monkeypatch, name: str, fmt: str) -> None:
    from colonykit.cli import _catalog

    argv = ["catalog", name, "--format", fmt]
    assert main(argv) == 0
    plain = capsys.readouterr()
    monkeypatch.setattr(_catalog, "catalog_rows", lambda name: None)
    assert main(argv) == 0
    assert capsys.readouterr() == plain


def test_catalog_runs_without_pandas() -> None:
    """Issue 25 §5: ``colonykit catalog`` (a bundled table) imports no pandas."""
    code = (
        "import json, sys\nfrom colonykit.cli import main\n"
        "rc = main(['catalog', 'processors', '--format', 'json'])\n"
        "sys.stderr.write('RC=%d MODULES=' % rc + json.dumps(sorted(sys.modules)))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    head, mods_json = proc.stderr.rsplit("MODULES=", 1)
    assert head.endswith("RC=0 ") and "pandas" not in set(json.loads(mods_json))
    assert json.loads(proc.stdout)["rows"][0]["model"]


def test_pandas_layout_when_plain_table_declines(capsys, monkeypatch) -> None:
    """If the plain layout ever declines, the tables are laid out by pandas: the same text."""
    argv = ["size", str(ROOT / "data/examples/xyz_inventory.csv"), "--target", "z15"]
    assert main(argv) == 0
    expected = capsys.readouterr()
    monkeypatch.setattr(_size, "plain_table", lambda *a, **k: None)
    assert main(argv) == 0
    assert capsys.readouterr() == expected
