"""The columnar readers (issue 25 item 1) give the frame of the pandas reader: the streamed Parquet
reader, the whole-file pyarrow reader and the pandas fallback, on the same files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from colonykit.errors import ColonykitWarning
from colonykit.ingest import read_traces
from colonykit.ingest import traces as T

pytest.importorskip("pyarrow")


def _long(n_srv: int = 7, n_t: int = 50, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    t = pd.date_range("2024-01-01", periods=n_t, freq="5min", tz="UTC")
    return pd.DataFrame(
        {
            "server": np.repeat([f"Srv{i}" for i in range(n_srv)], n_t),
            "timestamp": np.tile(t, n_srv),
            "cpu_pct": np.round(rng.uniform(0, 100, n_srv * n_t), 2),
        }
    )


def _routes(path: Path, monkeypatch: pytest.MonkeyPatch, **kw: object) -> list[pd.DataFrame]:
    out = [read_traces(path, progress=False, **kw)[0]]
    with monkeypatch.context() as m:
        m.setattr(T, "_stream_parquet", lambda *a: None)
        out.append(read_traces(path, progress=False, **kw)[0])
        m.setattr(T, "_arrow_long", lambda *a: None)
        out.append(read_traces(path, progress=False, **kw)[0])
    return out


@pytest.mark.parametrize("gaps", [False, True])
def test_parquet_routes_agree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, gaps: bool) -> None:
    frame = _long()
    if gaps:  # drop samples (not the first of a series): gaps to fill forward
        frame = frame.drop(index=[3, 4, 60, 149]).sample(frac=1, random_state=2)
    p = tmp_path / "t.parquet"
    frame.to_parquet(p, index=False)
    streamed, _ = read_traces(p, progress=False)
    assert read_traces(p, progress=False)[1]["time_formats"] == ["timestamps (Parquet, streamed)"]
    for other in _routes(p, monkeypatch)[1:]:
        pd.testing.assert_frame_equal(streamed, other)


def test_csv_routes_agree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    frame = _long()
    frame["timestamp"] = frame["timestamp"].dt.strftime("%Y-%m-%d %H:%M:%S")
    p = tmp_path / "t.csv"
    frame.to_csv(p, index=False)
    a, _, c = _routes(p, monkeypatch)
    pd.testing.assert_frame_equal(a, c)
    assert list(a.columns) == [f"Srv{i}" for i in range(7)]  # names as written


def test_streamed_parquet_falls_back_on_repeated_samples(tmp_path: Path) -> None:
    frame = _long(n_srv=2, n_t=5)
    frame = pd.concat([frame, frame.iloc[[0]].assign(cpu_pct=50.0)], ignore_index=True)
    p = tmp_path / "dup.parquet"
    frame.to_parquet(p, index=False)
    with pytest.warns(ColonykitWarning, match="repeat a \\(server, time\\)"):
        out, meta = read_traces(p, progress=False)
    assert meta["time_formats"] != ["timestamps (Parquet, streamed)"]
    assert out["Srv0"].iloc[0] == pytest.approx((frame["cpu_pct"].iloc[0] + 50.0) / 2)


def test_metric_selects_the_value_columns(tmp_path: Path) -> None:
    """The memory-series contract with issue 23: column selection by ``metric`` (default cpu)."""
    p = tmp_path / "t.csv"
    p.write_text(
        "server,timestamp,cpu_pct,mem_mb\na,2024-01-01 00:00,5,100\na,2024-01-01 00:05,6,90\n"
    )
    frame, meta = read_traces(p, metric="cpu")
    assert frame["a"].tolist() == [5.0, 6.0] and meta["unit"] == "cpu_pct"
    with pytest.raises(KeyError, match="trace metric"):
        read_traces(p, metric="disk")
    assert T.METRIC_COLUMNS["cpu"] == T.VALUE_PREFERENCE


@pytest.mark.parametrize(
    ("unit", "statistics", "missing"),
    [("ms", True, False), ("s", True, True), ("us", False, False), ("ns", True, True)],
)
def test_streamed_parquet_time_span_from_statistics(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, unit: str, statistics: bool, missing: bool
) -> None:
    """Pass 1 takes the time span from the row groups' statistics (in the column's unit) and
    pass 2 reads the stamps as stored: the same frame as the other readers, with several row
    groups, without statistics, and with missing values."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    frame = _long(n_srv=5, n_t=40).sample(frac=1, random_state=3).reset_index(drop=True)
    if missing:
        frame.loc[[2, 30], "cpu_pct"] = np.nan
    table = pa.Table.from_pandas(frame, preserve_index=False)
    table = table.set_column(1, "timestamp", table["timestamp"].cast(pa.timestamp(unit, "UTC")))
    p = tmp_path / "t.parquet"
    pq.write_table(table, p, row_group_size=37, write_statistics=statistics)
    assert pq.ParquetFile(p).metadata.num_row_groups > 1
    streamed, meta = read_traces(p, progress=False)
    assert meta["time_formats"] == ["timestamps (Parquet, streamed)"]
    with monkeypatch.context() as m:
        m.setattr(T, "_stream_parquet", lambda *a: None)
        pd.testing.assert_frame_equal(streamed, read_traces(p, progress=False)[0])
