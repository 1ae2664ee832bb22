"""``colonykit whitespace`` without pandas (issue 25): the same output as the frame path.

- the CLI's plain path (:func:`colonykit.cli._traces.complete_grid_json`: grid ->
  ``whitespace.analyze_values`` -> JSON) prints what the frame path (``trace_frame`` ->
  ``align_traces`` -> ``whitespace.analyze``) prints, on the bundled traces and on generated
  long CSV / Parquet files, and refuses bad input with the same message;
- the Parquet row groups read by 2 threads give the matrix one thread gives;
- the numpy parse of ISO stamps equals the general (pandas) route;
- pyarrow arrays become numpy arrays without pyarrow's pandas import, with to_numpy's values;
- with those, the command imports no pandas (checked once ``colonykit.frames`` does not itself
  import pandas at import time).
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import colonykit.cli._traces as cli_traces
from colonykit.cli import main
from colonykit.ingest import timeparse
from colonykit.ingest import traces as T

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = [
    "tests/data/traces/long_small.csv",
    "tests/data/traces/wide_small.csv",
    "tests/data/traces/long_gaps.csv",
    "tests/data/traces/long_tpds.csv",
    "tests/data/traces/mhz_small.csv",
    "tests/data/traces/many_long",
    "tests/data/traces/bitbrains_style",
    "tests/data/traces/planetlab_style",
    "data/traces/planetlab_20110303",
    "data/traces/azure_v1_20vm_7d_cpu.csv.gz",
    "data/traces/bitbrains_rnd_50vm_7d.csv.gz",
    "data/monitor_samples/nmon_fedora21_linux_2015-08-18.nmon",
]


def _run(argv: list[str], *, plain: bool, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of the command; ``plain=False`` forces the frame path."""
    out, err = io.StringIO(), io.StringIO()
    with monkeypatch.context() as m:
        if not plain:
            m.setattr(cli_traces, "complete_grid_json", lambda *a: None)
        with redirect_stdout(out), redirect_stderr(err):
            code = main(argv)
    return code, out.getvalue(), err.getvalue()


def _both(argv: list[str], monkeypatch: pytest.MonkeyPatch) -> tuple[int, str, str]:
    plain = _run(argv, plain=True, monkeypatch=monkeypatch)
    frame = _run(argv, plain=False, monkeypatch=monkeypatch)
    assert plain == frame
    return plain


def _took_plain(path: Path | str, **options: object) -> bool:
    """Whether the plain path answers for ``path`` (None: the frame path)."""
    import argparse

    args = argparse.Namespace(
        format="json",
        capacity=None,
        align="absolute",
        unit=None,
        start=None,
        min_overlap_h=None,
        headroom_pct=None,
    )
    for k, v in options.items():
        setattr(args, k, v)
    grid = T.read_trace_grid(path, fill="none", progress=False)
    return cli_traces.complete_grid_json(grid, args) is not None


@pytest.mark.parametrize("rel", BUNDLED)
def test_bundled_traces_same_output(rel: str, monkeypatch: pytest.MonkeyPatch) -> None:
    argv = ["whitespace", str(ROOT / rel), "--format", "json", "--no-progress"]
    for extra in (
        [],
        ["--min-overlap-h", "0.5", "--headroom-pct", "25"],
        ["--tz", "Europe/Amsterdam", "--min-overlap-h", "1"],
    ):
        code, out, _ = _both(argv + extra, monkeypatch)
        assert code == 0 and json.loads(out)["servers"] > 0


def test_the_plain_path_is_taken_where_it_should(tmp_path: Path) -> None:
    planetlab = ROOT / "data/traces/planetlab_20110303"
    assert _took_plain(planetlab)  # step traces without gaps
    assert not _took_plain(planetlab, start="2011-03-03T00:00Z")  # --start: the frame path
    assert not _took_plain(planetlab, format="table")
    assert not _took_plain(planetlab, align="time-of-day")
    assert not _took_plain(planetlab, unit="mips")
    assert not _took_plain(ROOT / "tests/data/traces/long_gaps.csv")  # gaps are filled there
    assert _took_plain(ROOT / "tests/data/traces/long_small.csv", min_overlap_h=0.1)
    # shorter than --min-overlap-h: the frame path warns
    assert not _took_plain(ROOT / "tests/data/traces/long_small.csv", min_overlap_h=24)


def _write_long(
    folder: Path, values: np.ndarray, names: list[str], start: str, step_s: int, kind: str
) -> Path:
    n_t, n_s = values.shape
    stamps = pd.date_range(start, periods=n_t, freq=f"{step_s}s", tz="UTC")
    frame = pd.DataFrame(
        {
            "server": np.repeat(names, n_t),
            "timestamp": np.tile(stamps, n_s),
            "cpu_pct": values.T.ravel(),
        }
    )
    if kind == "parquet":
        path = folder / "t.parquet"
        frame.to_parquet(path, index=False, row_group_size=max(1, n_t * n_s // 3))
    else:
        path = folder / "t.csv"
        frame["timestamp"] = frame["timestamp"].dt.strftime("%Y-%m-%dT%H:%M:%S")
        frame.to_csv(path, index=False)
    return path


names_st = st.lists(
    st.text(alphabet="abcXYZ019-_", min_size=1, max_size=6), min_size=1, max_size=6, unique=True
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    names=names_st,
    n_t=st.integers(2, 40),
    seed=st.integers(0, 2**16),
    step_s=st.sampled_from([60, 300, 3600]),
    start=st.sampled_from(["2024-01-01 00:00", "2023-10-29 00:30", "2013-09-02 07:15:30"]),
    kind=st.sampled_from(["csv", "parquet"]),
)
def test_generated_long_files_same_output(
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    names: list[str],
    n_t: int,
    seed: int,
    step_s: int,
    start: str,
    kind: str,
) -> None:
    rng = np.random.default_rng(seed)
    values = np.round(rng.uniform(0, 100, (n_t, len(names))), 2)
    values[rng.random(values.shape) < 0.1] = 0.0
    path = _write_long(tmp_path_factory.mktemp("g"), values, names, start, step_s, kind)
    argv = ["whitespace", str(path), "--format", "json", "--no-progress", "--min-overlap-h", "0.01"]
    code, out, _ = _both(argv, monkeypatch)
    assert code == 0
    got = json.loads(out)
    assert got["servers"] == len(names)
    assert got["sum_of_peaks"] == pytest.approx(float(values.max(axis=0).sum()))
    assert got["composite_peak"] == pytest.approx(float(values.sum(axis=1).max()))


def test_bad_input_same_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("server,timestamp,cpu_pct\na,2024-01-01T00:00:00,140\n", encoding="utf-8")
    code, out, err = _both(["whitespace", str(bad), "--format", "json"], monkeypatch)
    assert code == 2 and not out and "'cpu_pct' must be in 0..100" in err.replace("a number ", "")


# ------------------------------------------------------------------ Parquet row groups by threads


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    n_srv=st.integers(1, 9),
    n_t=st.integers(2, 30),
    seed=st.integers(0, 2**16),
    rows_per_group=st.integers(1, 50),
    holes=st.floats(0, 0.3),
    repeat=st.booleans(),
)
def test_threaded_row_groups_give_the_same_matrix(
    n_srv: int, n_t: int, seed: int, rows_per_group: int, holes: float, repeat: bool
) -> None:
    import tempfile

    rng = np.random.default_rng(seed)
    stamps = pd.date_range("2024-03-01", periods=n_t, freq="5min", tz="UTC")
    frame = pd.DataFrame(
        {
            "server": np.repeat([f"s{i}" for i in range(n_srv)], n_t),
            "timestamp": np.tile(stamps, n_srv),
            "cpu_pct": np.round(rng.uniform(0, 100, n_srv * n_t), 1),
        }
    )
    frame = frame[rng.random(len(frame)) >= holes].sample(frac=1, random_state=seed)
    if repeat and len(frame):
        frame = pd.concat([frame, frame.iloc[:1]])  # a repeated sample: the whole-file reader
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "t.parquet"
        frame.to_parquet(path, index=False, row_group_size=rows_per_group)
        got = []
        for threads in (1, 2):
            T.READ_THREADS = threads
            try:
                got.append(T._stream_parquet(path, None, None, "float64", "UTC", "auto"))
            finally:
                T.READ_THREADS = 2
    one, two = got
    assert (one is None) == (two is None)
    if repeat and len(frame):
        assert one is None
    if one is not None and two is not None:
        np.testing.assert_array_equal(one[0], two[0])  # NaN where no sample, in both
        assert one[1:] == two[1:]


# ------------------------------------------------------------------ ISO stamps by numpy


@settings(max_examples=60, deadline=None)
@given(
    stamps=st.lists(
        st.datetimes(
            min_value=pd.Timestamp("1678-01-02").to_pydatetime(),
            max_value=pd.Timestamp("2261-12-30").to_pydatetime(),
        ),
        min_size=1,
        max_size=8,
    ),
    sep=st.sampled_from(["T", " "]),
)
def test_iso_by_numpy_equals_the_general_route(stamps: list, sep: str) -> None:
    texts = np.asarray([s.strftime(f"%Y-%m-%d{sep}%H:%M:%S") for s in stamps], dtype=object)
    fast = timeparse.parse_times(texts)
    assert timeparse._iso_utc(texts) is not None
    slow = timeparse.parse_times(texts, tz="Etc/UTC")  # another zone name: the pandas route
    np.testing.assert_array_equal(fast[0], slow[0])
    assert fast[1] == slow[1] and not fast[2].any()


@pytest.mark.parametrize(
    "texts",
    [
        ["2024-01-01T24:00:00"],  # hour 24: pandas refuses (NaT)
        ["2024-01-01T23:59:60"],  # a leap second: pandas reads the next minute
        ["2024-02-30T00:00:00"],
        ["2024-01-01T00:00:00", "2024-01-01 00:05:00"],  # two separators
        ["1600-01-01T00:00:00"],
        [" 2024-01-01T00:00:00"],
        ["2024-01-01T00:00:00Z"],
    ],
)
def test_other_stamps_take_the_general_route(texts: list[str]) -> None:
    arr = np.asarray(texts, dtype=object)
    assert timeparse._iso_utc(arr) is None
    ns, note, _ = timeparse.parse_times(arr)
    ref, ref_note, _ = timeparse.parse_times(arr, tz="Etc/UTC")
    np.testing.assert_array_equal(ns, ref)
    assert note == ref_note


# ------------------------------------------------------------------ pyarrow -> numpy


@pytest.mark.parametrize(
    "array",
    [
        pa.array([1.5, 2.0, 3.25]),
        pa.array([1.5, None, 3.25]),
        pa.array([1, 2, 3], type=pa.int32()),
        pa.array([7, 8], type=pa.uint16()),
        pa.array([1.0, 2.0], type=pa.float32()),
        pa.array([1, None], type=pa.int64()),
        pa.array([0, 1_700_000_000], type=pa.timestamp("s", tz="UTC")).cast(pa.int64()),
        pa.array([1.0, 2.0, 3.0, 4.0]).slice(1, 2),
        pa.chunked_array([[1.0, 2.0], [3.0]]),
        pa.array([], type=pa.float64()),
    ],
)
def test_arrow_numpy_equals_to_numpy(array: object) -> None:
    got = T._arrow_numpy(array)
    ref = np.asarray(array.to_numpy(zero_copy_only=False))  # type: ignore[attr-defined]
    np.testing.assert_array_equal(got, ref)
    assert got.dtype == ref.dtype


def test_timestamps_as_stored_int64() -> None:
    stamps = pa.array([0, 1_700_000_000], type=pa.timestamp("s", tz="UTC"))
    assert T._arrow_numpy(stamps).tolist() == [0, 1_700_000_000]


# ------------------------------------------------------------------ no pandas


def _frames_imports_pandas() -> bool:
    code = "import sys, colonykit.frames; print('pandas' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return out.stdout.strip() == "True"


@pytest.mark.parametrize("kind", ["csv", "parquet"])
def test_whitespace_json_imports_no_pandas(tmp_path: Path, kind: str) -> None:
    if _frames_imports_pandas():
        pytest.skip("colonykit.frames imports pandas at import time (made lazy by r8-25size)")
    values = np.round(np.random.default_rng(3).uniform(0, 90, (400, 4)), 2)
    path = _write_long(tmp_path, values, ["a", "b", "c", "d"], "2024-01-01", 300, kind)
    code = (
        "import json, sys\nfrom colonykit.cli import main\n"
        f"rc = main(['whitespace', {str(path)!r}, '--format', 'json', '--no-progress'])\n"
        "sys.stderr.write('RC=%d MODULES=' % rc + json.dumps(sorted(sys.modules)))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    head, mods = proc.stderr.rsplit("MODULES=", 1)
    assert head.endswith("RC=0 "), proc.stderr[-2000:]
    assert "pandas" not in set(json.loads(mods))
    assert json.loads(proc.stdout)["servers"] == 4


def test_reading_traces_does_not_import_the_inventory_reader() -> None:
    code = (
        "import sys\nfrom colonykit.ingest import traces\n"
        "print('colonykit.ingest.inventory' in sys.modules, 'colonykit.ingest.monitors' in "
        "sys.modules)\nfrom colonykit.ingest import read_inventory, read_traces\n"
        "print(read_traces is traces.read_traces, callable(read_inventory))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False", "True", "True"]


def test_repeated_sample_warns_on_both_paths(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = ["server,timestamp,cpu_pct"]
    for s, base in (("a", 10.0), ("b", 20.0)):
        rows += [f"{s},2024-01-01T{h:02d}:00:00,{base + h}" for h in range(24)]
    rows.append("a,2024-01-01T05:00:00,30")  # a repeat: the cell holds the mean (15 + 30) / 2
    path = tmp_path / "rep.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    argv = ["whitespace", str(path), "--format", "json", "--min-overlap-h", "1"]
    assert _took_plain(path, min_overlap_h=1)
    code, out, err = _both(argv, monkeypatch)
    assert code == 0 and "repeat a (server, time)" in err
    assert json.loads(out)["sum_of_peaks"] == pytest.approx(33.0 + 43.0)
