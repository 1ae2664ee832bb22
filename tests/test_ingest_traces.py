"""Trace ingest: layouts, alignment, gaps, time zones, unit conversion, bad input."""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from colonykit import ingest, sizing
from colonykit.errors import InputError, UnknownNameError
from colonykit.ingest import detect_format, read_traces, traces
from colonykit.ingest.traces import parse_interval, read_capacity_table

T = Path("tests/data/traces")
# The three hand-made servers of long_small.csv / wide_small.csv / planetlab_style/.
A, B, C = [10.0, 20, 30, 40], [30.0, 10, 20, 10], [0.0, 0, 20, 0]


def test_long_csv_exact() -> None:
    frame, meta = read_traces(T / "long_small.csv")
    assert list(frame.columns) == ["a", "b", "c"]
    assert frame["a"].tolist() == A and frame["b"].tolist() == B and frame["c"].tolist() == C
    assert isinstance(frame.index, pd.DatetimeIndex) and str(frame.index.tz) == "UTC"
    assert frame.index[0] == pd.Timestamp("2024-01-01T00:00:00Z")
    assert frame.attrs == {"unit": "cpu_pct", "interval_s": 300.0}
    assert meta["servers"] == 3 and meta["steps"] == 4 and meta["gaps_filled"] == 0
    assert meta["resample_rule"] == "mean" and meta["formats"] == ["csv"]


def test_resample_mean_by_hand() -> None:
    frame, meta = read_traces(T / "long_small.csv", interval="10min")
    # a: (10+20)/2, (30+40)/2 ; b: (30+10)/2, (20+10)/2 ; c: 0, 10
    assert frame["a"].tolist() == [15.0, 35.0]
    assert frame["b"].tolist() == [20.0, 15.0]
    assert frame["c"].tolist() == [0.0, 10.0]
    assert frame.attrs["interval_s"] == 600.0 and meta["native_interval_s"] == 300.0


def test_wide_csv_naive_times_with_tz() -> None:
    # 01:00 in Amsterdam in January (CET, UTC+1) is 00:00 UTC: same frame as long_small.csv
    frame, meta = read_traces(T / "wide_small.csv", tz="Europe/Amsterdam")
    ref, _ = read_traces(T / "long_small.csv")
    pd.testing.assert_frame_equal(frame, ref, check_names=False)
    assert "Europe/Amsterdam" in meta["tz_assumption"]
    naive_utc, _ = read_traces(T / "wide_small.csv")
    assert naive_utc.index[0] == pd.Timestamp("2024-01-01T01:00:00Z")


def test_wide_without_time_column(tmp_path: Path) -> None:
    p = tmp_path / "w.csv"
    pd.DataFrame({"x": [1.0, 2.0, 3.0], "y": [4.0, 5.0, 6.0]}).to_csv(p)  # with index column
    frame, _ = read_traces(p)
    assert frame.to_dict(orient="list") == {"x": [1.0, 2.0, 3.0], "y": [4.0, 5.0, 6.0]}
    assert frame.index.name == "step" and frame.attrs["interval_s"] == 300.0
    q = tmp_path / "bad.csv"
    q.write_text("x,y\n1,2\n3,oops\n")
    with pytest.raises(
        InputError, match=r"'y' must be a number in 0..100 \(got 'oops'\) at .*bad.csv line 3"
    ):
        read_traces(q)


def test_gaps_fill_rules_and_offsets() -> None:
    # +01:00 offsets -> UTC 23:00 on the previous day; b has 30 and 50 in the first 5-min cell
    # (mean 40); a misses the 00:10 sample.
    frame, meta = read_traces(T / "long_gaps.csv")
    assert frame.index[0] == pd.Timestamp("2023-12-31T23:00:00Z")
    assert frame.attrs["interval_s"] == 300.0  # median per-server gap, not the 2-min outlier
    assert frame["b"].tolist() == [40.0, 10.0, 20.0, 10.0]
    assert frame["a"].tolist() == [10.0, 20.0, 20.0, 40.0]  # forward fill
    assert meta["gaps"].to_dict() == {"a": 1, "b": 0} and meta["gaps_filled"] == 1
    assert read_traces(T / "long_gaps.csv", fill="interpolate")[0]["a"].tolist()[2] == 30.0
    assert read_traces(T / "long_gaps.csv", fill="zero")[0]["a"].tolist()[2] == 0.0
    none, meta_none = read_traces(T / "long_gaps.csv", fill="none")
    assert np.isnan(none["a"].iloc[2]) and meta_none["gaps_filled"] == 0


def test_planetlab_directory_layout() -> None:
    frame, meta = read_traces(T / "planetlab_style")
    assert list(frame.columns) == ["vm_a", "vm_b", "vm_c"]  # manifest_x.csv skipped
    assert frame["vm_a"].tolist() == A and frame.index.name == "step"
    assert meta["formats"] == ["single"] and len(meta["files"]) == 3
    assert detect_format(T / "planetlab_style" / "vm_a") == "single"


def test_bitbrains_raw_per_vm_files() -> None:
    """GWA-T-12 layout: one ';'+tab file per VM, 'Timestamp [ms]' holding epoch seconds."""
    frame, meta = read_traces(T / "bitbrains_style")
    assert frame.attrs["unit"] == "cpu_mhz" and list(frame.columns) == ["1", "2"]
    assert frame.index[0] == pd.Timestamp("2013-09-02T00:00:00Z")  # 1378080000 s
    assert frame["1"].tolist() == [585.2, 1170.4] and frame["2"].tolist() == [0.0, 1463.0]
    pct, _ = read_traces(T / "bitbrains_style", unit="cpu_pct")  # the file's own 'CPU usage [%]'
    assert pct["2"].tolist() == [0.0, 50.0]


def test_directory_of_long_files_with_gzip() -> None:
    frame, _ = read_traces(T / "many_long")
    assert frame.to_dict(orient="list") == {"a": [10.0, 20.0], "b": [5.0, 7.0]}


def test_steps_resample_and_step_s() -> None:
    frame, meta = read_traces(T / "planetlab_style", interval="10min")
    assert frame["vm_a"].tolist() == [15.0, 35.0] and frame.attrs["interval_s"] == 600.0
    frame2, _ = read_traces(T / "planetlab_style", step_s=60, interval=120)
    assert frame2["vm_b"].tolist() == [20.0, 15.0]
    with pytest.raises(InputError, match="whole multiple"):
        read_traces(T / "planetlab_style", interval="7min")


def test_start_turns_steps_into_times() -> None:
    frame, _ = read_traces(
        T / "planetlab_style", start="2011-03-03 01:00", tz="Europe/Paris", interval="10min"
    )
    # 01:00 in Paris (CET) = 00:00 UTC; step 2 (of 10 min) = 00:10 UTC
    assert frame.index.tolist() == [
        pd.Timestamp("2011-03-03T00:00Z"),
        pd.Timestamp("2011-03-03T00:10Z"),
    ]
    assert frame["vm_a"].tolist() == [15.0, 35.0]
    with pytest.raises(InputError, match="start"):
        read_traces(T / "planetlab_style", start="not a date")


def test_sim_column_makes_unique_servers() -> None:
    frame, _ = read_traces(T / "long_tpds.csv")
    assert frame.to_dict(orient="list") == {"0/0": [10.0, 20.0], "1/0": [30.0, 40.0]}


def test_mhz_to_mips_and_pct_by_hand() -> None:
    # the reader keeps the source's unit; converting is sizing's (issue 15 §3)
    mhz, meta = read_traces(T / "mhz_small.csv")
    assert mhz.attrs["unit"] == "cpu_mhz" and meta["conversion"] is None
    assert meta["capacity_file"] == str(T / "mhz_small_vms.csv")
    # Barton's number: 4 MHz = 1 MIPS (facts.md §1.6) -> 1000 MHz busy = 250 MIPS
    mips = sizing.convert_unit(mhz, "mips")
    assert mips.to_dict(orient="list") == {"1": [250.0, 500.0], "2": [125.0, 0.0]}
    assert mips.attrs["unit"] == "mips"
    # capacity from the _vms.csv side file: VM 1 = 4000 MHz, VM 2 = 2000 MHz
    cap = sizing.capacity_mips(read_capacity_table(meta["capacity_file"]))
    pct = sizing.convert_unit(mhz, "cpu_pct", cap)
    assert pct.to_dict(orient="list") == {"1": [25.0, 50.0], "2": [25.0, 0.0]}


def test_the_reader_does_not_convert_and_the_moved_names_are_gone() -> None:
    """The converters moved to colonykit.sizing (issue 15) and the old names are removed (issue
    25, no release in between): a unit the file does not have leaves the source's own unit."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no FutureWarning any more
        mhz, meta = read_traces(T / "mhz_small.csv", unit="mips")
    assert mhz.to_dict(orient="list") == {"1": [1000.0, 2000.0], "2": [500.0, 0.0]}
    assert mhz.attrs["unit"] == "cpu_mhz" == meta["source_unit"] and meta["conversion"] is None
    for name in ("capacity_mips", "convert_unit", "mhz_to_mips_factor", "MOVED_TO_SIZING"):
        assert not hasattr(traces, name), name
    for name in ("capacity_mips", "convert_unit"):
        assert not hasattr(ingest, name), name
    with pytest.raises(TypeError, match="capacity"):
        read_traces(T / "mhz_small.csv", unit="mips", capacity={"1": 1.0})  # type: ignore[call-arg]


def test_pct_to_mips_needs_capacity() -> None:
    frame, _ = read_traces(T / "long_small.csv")
    with pytest.raises(InputError, match="capacity"):
        sizing.convert_unit(frame, "mips")
    cap = {"a": 1000.0, "b": 500.0, "c": 200.0}
    mips = sizing.convert_unit(frame, "mips", sizing.capacity_mips(cap))
    assert mips["a"].tolist() == [100.0, 200.0, 300.0, 400.0]
    assert mips["c"].tolist() == [0.0, 0.0, 40.0, 0.0]
    back = sizing.convert_unit(mips, "cpu_pct", pd.Series(cap))
    np.testing.assert_allclose(back["b"], B)


def test_capacity_from_inventory_columns() -> None:
    inv = pd.DataFrame(
        {"server": ["x", "y"], "capacity": [8000.0, 2.0], "capacity_unit": ["mhz", "ghz"]}
    )
    cap = sizing.capacity_mips(inv)
    assert cap.to_dict() == {"x": 2000.0, "y": 500.0}  # 8000/4 and 2 GHz x 250


def test_float32_option() -> None:
    frame, _ = read_traces(T / "long_small.csv", dtype="float32")
    assert (frame.dtypes == np.float32).all()


def test_parquet_long_and_wide(tmp_path: Path) -> None:
    src = pd.read_csv(T / "long_small.csv")
    src.to_parquet(tmp_path / "t.parquet")
    frame, meta = read_traces(tmp_path / "t.parquet")
    assert frame["a"].tolist() == A and meta["formats"] == ["parquet"]
    wide = pd.DataFrame({"step": [0, 1], "s1": [1.0, 2.0], "s2": [3.0, 4.0]})
    wide.to_parquet(tmp_path / "w.parquet")
    frame2, _ = read_traces(tmp_path / "w.parquet")
    assert frame2.to_dict(orient="list") == {"s1": [1.0, 2.0], "s2": [3.0, 4.0]}


def test_monitor_files_through_read_traces() -> None:
    frame, meta = read_traces("data/monitor_samples/nmon_centos66_oms_63_2015-11-10.nmon")
    assert list(frame.columns) == ["oms_63"] and meta["formats"] == ["nmon"]
    # 80 snapshots at 00:06:57 + ~60 s with clock jitter: on the floored 1-min grid one cell
    # may get two samples and one none (filled and counted)
    assert frame.attrs["interval_s"] == 60.0 and len(frame) in (80, 81)
    assert meta["gaps_filled"] <= 2


def test_chunked_read_with_progress_bar(monkeypatch: pytest.MonkeyPatch, data_dir: Path) -> None:
    from colonykit.ingest import traces

    monkeypatch.setattr(traces, "PROGRESS_MIN_BYTES", 0)
    monkeypatch.setattr(traces, "CHUNK_ROWS", 7_000)
    path = data_dir / "traces" / "azure_v1_20vm_7d_cpu.csv.gz"
    chunked, _ = read_traces(path, progress=True)
    plain, _ = read_traces(path, progress=False)
    pd.testing.assert_frame_equal(chunked, plain)


def test_parse_interval() -> None:
    assert parse_interval("1h") == 3600.0 and parse_interval(30) == 30.0
    with pytest.raises(InputError, match="interval"):
        parse_interval("soon")
    with pytest.raises(InputError, match="interval"):
        parse_interval(-5)


# ------------------------------------------------------------------ bad input


def test_bad_values_name_file_line_and_range() -> None:
    with pytest.raises(InputError) as info:
        read_traces(T / "long_bad.csv")
    text = str(info.value)
    assert (
        "'cpu_pct' must be a number in 0..100 (got 'abc') at tests/data/traces/long_bad.csv line 3"
        in text
    )
    assert "(got 140.0) at tests/data/traces/long_bad.csv line 5" in text
    assert "(got -5.0) at tests/data/traces/long_bad.csv line 6" in text
    assert len(info.value.problems) == 3


@pytest.mark.parametrize(
    ("name", "pattern"),
    [
        ("long_missing_col.csv", "missing value column"),
        ("empty.csv", "is empty"),
        ("header_only.csv", "no data rows"),
        ("unknown.txt", "unknown trace format .* line 1"),
    ],
)
def test_bad_files(name: str, pattern: str) -> None:
    with pytest.raises(InputError, match=pattern):
        read_traces(T / name)


def test_missing_server_and_time_columns(tmp_path: Path) -> None:
    p = tmp_path / "no_time.csv"
    p.write_text("server,cpu_pct\na,1\n")
    with pytest.raises(InputError, match="missing column 'timestamp' or 'step'"):
        read_traces(p)
    q = tmp_path / "bad_time.csv"
    q.write_text("server,timestamp,cpu_pct\na,2024-01-01T00:00Z,1\na,yesterday,2\n")
    with pytest.raises(InputError, match="bad_time.csv line 3"):
        read_traces(q)


def test_bad_gzip_and_paths(tmp_path: Path) -> None:
    p = tmp_path / "broken.csv.gz"
    p.write_bytes(b"not gzip at all")
    with pytest.raises(InputError, match="broken.csv.gz"):
        read_traces(p)
    bad_pq = tmp_path / "broken.parquet"
    bad_pq.write_bytes(b"PAR1 but not really")
    with pytest.raises(InputError, match="broken.parquet"):
        read_traces(bad_pq)
    with pytest.raises(InputError, match="not found"):
        read_traces(tmp_path / "nope.csv")
    (tmp_path / "emptydir").mkdir()
    with pytest.raises(InputError, match="no trace files"):
        read_traces(tmp_path / "emptydir")


def test_bad_parameters() -> None:
    with pytest.raises(UnknownNameError):
        read_traces(T / "long_small.csv", unit="watts")
    with pytest.raises(UnknownNameError):
        read_traces(T / "long_small.csv", fmt="xml")
    with pytest.raises(UnknownNameError):
        read_traces(T / "long_small.csv", fill="guess")
    with pytest.raises(InputError, match="tz"):
        read_traces(T / "wide_small.csv", tz="Mars/Olympus")


def test_single_file_with_blank_line(tmp_path: Path) -> None:
    p = tmp_path / "vm1"
    p.write_text("10\n20\n\n30\n")
    with pytest.raises(InputError, match="vm1 line 3"):
        read_traces(p)


# ------------------------------------------------------------------ properties


@settings(max_examples=25)
@given(st.integers(1, 5), st.integers(1, 12), st.integers(1, 4), st.data())
def test_roundtrip_long_and_block_means(
    n_srv: int, n_blocks: int, k: int, data: st.DataObject
) -> None:
    """Any long file reads back exactly; resampling by k equals a reshape-mean (second method)."""
    import tempfile

    n_t = n_blocks * k
    vals = np.array(
        data.draw(st.lists(st.integers(0, 100), min_size=n_t * n_srv, max_size=n_t * n_srv)),
        dtype=float,
    ).reshape(n_t, n_srv)
    long = pd.DataFrame(
        {
            "vm": np.repeat([f"s{i}" for i in range(n_srv)], n_t),
            "step": np.tile(np.arange(n_t), n_srv),
            "cpu_pct": vals.T.ravel(),
        }
    )
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "t.csv.gz"
        with gzip.open(p, "wt") as fh:
            long.to_csv(fh, index=False)
        frame, _ = read_traces(p)
        np.testing.assert_array_equal(frame.to_numpy(), vals)
        coarse, _ = read_traces(p, interval=300 * k)
    np.testing.assert_allclose(coarse.to_numpy(), vals.reshape(n_blocks, k, n_srv).mean(axis=1))


# ------------------------------------------------------------------ real traces


def test_planetlab_copy_figures(data_dir: Path) -> None:
    frame, meta = read_traces(data_dir / "traces" / "planetlab_20110303")
    assert frame.shape == (288, 1052) and meta["gaps_filled"] == 0
    assert frame.max().sum() == 49_807 and frame.sum(axis=1).max() == 14_326
    assert int(frame.sum(axis=1).idxmax()) == 162


@pytest.mark.shared_data
def test_shared_layouts_load_as_is(shared_data: Path) -> None:
    pl, _ = read_traces(shared_data / "planetlab" / "20110303")
    assert pl.shape == (288, 1052)
    bb, meta = read_traces(shared_data / "bitbrains_rnd" / "bitbrains_rnd_20130902_7d.csv.gz")
    assert bb.attrs["unit"] == "cpu_mhz" and bb.shape == (2016, 499)
    assert bb.max().sum() == 1_620_864 and bb.sum(axis=1).max() == 1_085_201
    az, _ = read_traces(shared_data / "azure_v1_sample" / "azure_v1_100vm_cpu.csv.gz")
    assert az.shape == (8004, 100)  # cpu_avg_pct mapped to cpu_pct
    assert round(az.max().sum()) == 7_257 and round(az.sum(axis=1).max()) == 1_555
    mips = sizing.convert_unit(bb, "mips")
    assert mips.max().sum() == pytest.approx(1_620_864 / 4)  # Barton's number, 4 MHz per MIPS


@settings(max_examples=25)
@given(st.integers(2, 4), st.integers(3, 20), st.data())
def test_gaps_are_counted_and_filled(n_srv: int, n_t: int, data: st.DataObject) -> None:
    """Rows removed from a complete trace come back as counted gaps; ffill fills all but the cells
    before a series' first sample (never back-filled)."""
    import tempfile

    long = pd.DataFrame(
        {
            "server": np.repeat([f"s{i}" for i in range(n_srv)], n_t),
            "step": np.tile(np.arange(n_t), n_srv),
            "cpu_pct": np.arange(n_srv * n_t, dtype=float) % 97,
        }
    )
    # keep server s0 complete so the grid spans all steps; each other server keeps >= 1 row
    drop = set()
    for i in range(1, n_srv):
        rows = list(range(i * n_t, (i + 1) * n_t))
        k = data.draw(st.integers(0, n_t - 1))
        drop |= set(data.draw(st.permutations(rows))[:k])
    kept = long.drop(index=sorted(drop))
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "g.csv"
        kept.to_csv(p, index=False)
        raw, meta = read_traces(p, fill="none")
        filled, meta_f = read_traces(p)
    assert int(raw.isna().to_numpy().sum()) == len(drop) == int(meta["gaps"].sum())
    # issue 24 root cause 4: nothing is filled before a series' first sample
    raw_nan = raw.isna().to_numpy()
    leading = np.cumprod(raw_nan, axis=0).astype(bool)
    assert meta_f["gaps_filled"] == len(drop) - int(leading.sum())
    np.testing.assert_array_equal(filled.isna().to_numpy(), leading)
    present = ~raw.isna().to_numpy()
    np.testing.assert_array_equal(filled.to_numpy()[present], raw.to_numpy()[present])


@pytest.mark.parametrize("gz", [False, True])
def test_nul_byte_refused_with_its_line_across_scan_blocks(tmp_path, monkeypatch, gz) -> None:
    # a NUL in the third block of the scan: the line is counted over the earlier blocks
    from colonykit.ingest import traces as tr

    monkeypatch.setattr(tr, "NUL_SCAN_BYTES", 7)
    rows = ["server,step,cpu_pct"] + [f"a,{i},{i % 90}" for i in range(40)]
    rows[23] = "a,22,2\x003"
    text = "\n".join(rows) + "\n"
    path = tmp_path / ("t.csv.gz" if gz else "t.csv")
    if gz:
        path.write_bytes(gzip.compress(text.encode()))
    else:
        path.write_text(text)
    with pytest.raises(InputError, match=r"t\.csv(\.gz)? line 24 holds a NUL byte"):
        tr.read_traces(path)
    clean = text.replace("\x00", "").encode()
    path.write_bytes(gzip.compress(clean) if gz else clean)
    frame, _ = tr.read_traces(path)
    assert frame["a"].iloc[22] == 23.0  # "2" + "3" once the NUL is gone
