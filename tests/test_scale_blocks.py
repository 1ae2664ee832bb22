"""The out-of-core Arrow path (issue 25 item 2): per block of servers, the same figures as in
memory (and as the Dask path) on complete traces."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from colonykit import scale, whitespace
from colonykit.ingest import read_traces

pytest.importorskip("pyarrow")


def _long(
    tmp: Path, n_srv: int = 13, n_t: int = 300, parts: int = 3, category: bool = False
) -> Path:
    rng = np.random.default_rng(3)
    t = pd.date_range("2024-01-01", periods=n_t, freq="5min", tz="UTC")
    frame = pd.DataFrame(
        {
            "server": np.repeat([f"s{i:02d}" for i in range(n_srv)], n_t),
            "timestamp": np.tile(t, n_srv),
            "cpu_pct": np.round(rng.uniform(0, 100, n_srv * n_t), 2),
        }
    )
    if category:  # written as a Parquet dictionary column, one dictionary per file
        frame["server"] = frame["server"].astype("category")
    d = tmp / "parts"
    d.mkdir()
    shuffled = frame.sample(frac=1, random_state=1)
    bounds = np.linspace(0, len(shuffled), parts + 1).astype(int)
    for k in range(parts):
        shuffled.iloc[bounds[k] : bounds[k + 1]].to_parquet(d / f"part{k}.parquet", index=False)
    return d


@pytest.mark.parametrize(("per_block", "category"), [(1, False), (4, True), (100, False)])
def test_blocks_equal_in_memory(tmp_path: Path, per_block: int, category: bool) -> None:
    d = _long(tmp_path, category=category)
    got = scale.analyze_blocks(d, servers_per_block=per_block)
    frame, _ = read_traces(d, progress=False)
    want = whitespace.analyze(frame)
    assert got.servers == want.servers
    for name in ("sum_of_peaks", "composite_peak", "composite_mean", "white_space_pct"):
        assert getattr(got, name) == pytest.approx(getattr(want, name), rel=1e-12)
    np.testing.assert_allclose(got.composite.to_numpy(), want.composite.to_numpy(), rtol=1e-12)
    pd.testing.assert_frame_equal(got.sources, want.sources, rtol=1e-12)


@pytest.mark.parametrize("category", [False, True])
def test_blocks_equal_dask(tmp_path: Path, category: bool) -> None:
    pytest.importorskip("dask")
    d = _long(tmp_path, n_srv=5, n_t=50, category=category)
    got = scale.analyze_blocks(d, servers_per_block=2, spikes=False)
    want = scale.analyze_dask(d)
    assert got.sum_of_peaks == pytest.approx(want.sum_of_peaks, rel=1e-12)
    assert got.composite_peak == pytest.approx(want.composite_peak, rel=1e-12)
    assert sorted(got.per_server.index) == sorted(str(x) for x in want.per_server.index)


def test_blocks_with_gaps_use_the_samples_present(tmp_path: Path) -> None:
    p = tmp_path / "g.csv"
    p.write_text(
        "server,timestamp,cpu_pct\n"
        "a,2024-01-01T00:00:00,10\na,2024-01-01T00:05:00,30\n"
        "b,2024-01-01T00:00:00,5\n"
    )
    r = scale.analyze_blocks(p, servers_per_block=1, spikes=False)
    # by hand: composite 15, 30; peaks 30 + 5
    assert r.composite.tolist() == [15.0, 30.0] and r.sum_of_peaks == 35.0
