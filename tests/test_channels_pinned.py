"""Channel figures pinned by hand (issue 27 §2: the mutants the channel tests left alive).

Each value is worked out here from the formula in the docstring of the function and its inputs,
at points where a changed operator, constant or argument gives a different number.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from colonykit import channels
from colonykit.errors import InputError


def test_response_curve_has_exactly_the_rows_asked_for() -> None:
    f = channels.response_curve(5.0, paths=[3], busy_pct=[10.0, 60.0])
    assert f["paths"].tolist() == [3, 3]
    assert f["per_path_busy_pct"].tolist() == [10.0, 60.0]
    assert f["io_rate_per_s"].tolist() == pytest.approx([0.1 * 3 * 1000 / 5, 0.6 * 3 * 1000 / 5])
    default = channels.response_curve(5.0, paths=[1])
    assert default["per_path_busy_pct"].tolist() == [float(b) for b in range(96)]  # 0..95 by 1
    assert default["response_ms"].iloc[0] == 5.0  # idle: no wait


@pytest.mark.parametrize("bad", [0.0, -1.0])
def test_response_curve_refuses_a_connect_time_not_above_zero(bad: float) -> None:
    with pytest.raises(InputError, match="connect_ms"):
        channels.response_curve(bad)
    with pytest.raises(InputError, match="busy_pct"):
        channels.response_curve(4.0, busy_pct=[-5.0])


def test_chained_io_effect_by_hand() -> None:
    """connect = overhead + blocks × 4096 B ÷ (rate × 10⁶ B/s) × 1000; busy = connect × rate ÷ 10."""
    f = channels.chained_io_effect(
        50.0, [1, 16], data_rate_mb_per_s=4.096, overhead_ms=0.5, max_busy_pct=40.0
    )
    conn = [0.5 + 1 * 4096 / 4.096e6 * 1000, 0.5 + 16 * 4096 / 4.096e6 * 1000]  # 1.5, 16.5 ms
    assert f["blocks_per_io"].tolist() == [1, 16]
    assert f["kib_per_io"].tolist() == [4.0, 64.0]
    assert f["connect_ms"].tolist() == pytest.approx(conn, rel=1e-12)
    assert f["busy_pct"].tolist() == pytest.approx([c * 50 / 10 for c in conn])  # 7.5, 82.5 %
    assert f["paths_needed"].tolist() == [1, math.ceil(82.5 / 40)]  # 1, 3
    assert f["max_io_rate_per_path_per_s"].tolist() == pytest.approx([40 * 10 / c for c in conn])


def test_chained_io_effect_defaults_are_the_constants() -> None:
    from colonykit import reference

    f = channels.chained_io_effect(10.0)
    top = int(reference.constant("linux_max_chained_blocks"))
    assert f["blocks_per_io"].tolist() == [1, 8, 16, 32, 64, top]
    rate = reference.constant("connect_effective_mb_per_s")
    over = reference.constant("connect_overhead_ms")
    assert f["connect_ms"].iloc[2] == pytest.approx(over + 16 * 4096 / (rate * 1e6) * 1000)
    limit = reference.constant("channel_max_busy_pct")
    assert f["max_io_rate_per_path_per_s"].iloc[0] == pytest.approx(
        limit * 10 / f["connect_ms"].iloc[0]
    )


def test_connect_ms_for_blocks_by_hand() -> None:
    assert channels.connect_ms_for_blocks(8, data_rate_mb_per_s=8.192, overhead_ms=1.0) == (
        pytest.approx(1.0 + 8 * 4096 / 8.192e6 * 1000)  # 5.0 ms
    )
    got = channels.connect_ms_for_blocks([0, 2], 2.048, 0.0, block_bytes=1024)
    assert np.asarray(got).tolist() == pytest.approx([0.0, 2 * 1024 / 2.048e6 * 1000])  # 0, 1 ms
    for kw in ({"data_rate_mb_per_s": 0.0}, {"overhead_ms": -1.0}):
        with pytest.raises(InputError):
            channels.connect_ms_for_blocks(1, **kw)
    assert channels.connect_ms_for_blocks(4, 1.0, overhead_ms=0.0) == pytest.approx(16.384)


def test_channel_bus_busy_by_hand() -> None:
    got = channels.channel_bus_busy_pct([100.0, 0.0], [300.0, 50.0], [800.0, 200.0])
    assert np.asarray(got).tolist() == pytest.approx([50.0, 25.0])  # (100+300)/800, (0+50)/200
    assert channels.channel_bus_busy_pct(10.0, 30.0, 160.0) == pytest.approx(25.0)
    with pytest.raises(InputError, match="max_mb_per_s"):
        channels.channel_bus_busy_pct(1.0, 1.0, 0.0)


def _table(measured: float | None) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "data_rate_mb_per_s": [20.0],
            "io_rate_per_s": [1000.0],
            "source": ["hand"],
            "measured_mb_per_s_at_100pct": [measured if measured is not None else np.nan],
            "measured_source": ["bench"],
        },
        index=pd.Index(["toy"], name="channel_type"),
    )


def test_channel_capacity_reads_the_row() -> None:
    cap = channels.channel_capacity("TOY", _table(5.0))
    assert cap == {
        "data_rate_mb_per_s": 20.0,
        "io_rate_per_s": 1000.0,
        "source": "hand",
        "measured_mb_per_s_at_100pct": 5.0,
        "measured_source": "bench",
    }
    nominal = channels.channel_capacity("toy", _table(None))
    assert math.isnan(nominal["measured_mb_per_s_at_100pct"]) and nominal["measured_source"] == ""


def test_channel_type_load_by_hand_measured_and_nominal() -> None:
    # 400 I/O per s of 8 KiB: I/O count 400 / 1000 = 40 %; data 400 × 8 × 1024 B = 3.2768 MB/s
    m = channels.channel_type_load(400.0, 8.0, "toy", max_busy_pct=30.0, table=_table(5.0))
    assert m["io_util_pct"] == pytest.approx(40.0)
    assert m["data_util_pct"] == pytest.approx(3.2768 / 5.0 * 100)  # 65.5 % of the measured 5 MB/s
    assert m["busy_pct"] == pytest.approx(65.536)
    assert m["channels_needed"] == math.ceil(65.536 / 30)  # 3
    assert m["limited_by"] == "data_rate" and m["data_rate_basis"] == "measured"
    assert m["mb_per_s_at_100pct"] == 5.0 and m["data_rate_source"] == "bench"
    assert m["channel_type"] == "toy" and m["source"] == "hand"
    n = channels.channel_type_load(400.0, 8.0, "toy", max_busy_pct=50.0, table=_table(None))
    assert n["data_util_pct"] == pytest.approx(3.2768 / 20.0 * 100)  # 16.4 % of the nominal 20
    assert n["busy_pct"] == pytest.approx(40.0) and n["limited_by"] == "io_rate"
    assert n["channels_needed"] == 1 and n["data_rate_basis"] == "nominal"
    assert n["data_rate_source"] == "hand"
    tie = channels.channel_type_load(100.0, 2.5, "toy", table=_table(2.56))  # 10 % both ways
    assert (
        tie["io_util_pct"] == pytest.approx(tie["data_util_pct"]) and tie["limited_by"] == "io_rate"
    )


def test_channel_load_by_hand_with_its_inputs_echoed() -> None:
    """200 I/O per s × 3 ms = 60 % of one path; over 2 paths 30 % each; target 25 % -> 3 paths."""
    r = channels.channel_load(200.0, 3.0, paths=2, max_busy_pct=25.0, pend_ms=0.5, disc_ms=1.5)
    assert (r.io_rate_per_s, r.connect_ms, r.paths, r.max_busy_pct) == (200.0, 3.0, 2, 25.0)
    assert (r.pend_ms, r.disc_ms) == (0.5, 1.5)
    assert r.busy_pct == pytest.approx(60.0) and r.per_path_busy_pct == pytest.approx(30.0)
    assert r.paths_needed == 3  # ceil(60 / 25), not ceil(60 / 50) with the default target
    # M/M/2 at a = 0.6 Erlang, ρ = 0.3: Erlang C = (a²/2/(1−ρ)) / (1 + a + a²/2/(1−ρ))
    pc = (0.18 / 0.7) / (1 + 0.6 + 0.18 / 0.7)
    wait = pc * 3.0 / (2 - 0.6)
    assert r.wait_ms == pytest.approx(wait, rel=1e-12)
    assert r.response_ms == pytest.approx(0.5 + 1.5 + 3.0 + wait, rel=1e-12)
    assert not r.saturated
    one = channels.channel_load(200.0, 3.0)  # the default: one path, the constant's 50 % target
    assert one.paths == 1 and one.paths_needed == 2 and one.busy_pct == pytest.approx(60.0)


@pytest.mark.parametrize(
    ("limit", "ok"), [(100.0, True), (0.5, True), (0.0, False), (100.5, False)]
)
def test_channel_load_busy_target_bounds(limit: float, ok: bool) -> None:
    if ok:
        assert channels.channel_load(10.0, 1.0, max_busy_pct=limit).max_busy_pct == limit
    else:
        with pytest.raises(InputError, match="max_busy_pct"):
            channels.channel_load(10.0, 1.0, max_busy_pct=limit)


def test_exactly_saturated_paths_wait_forever() -> None:
    """ρ = 1 exactly (a = c): the queue grows without bound (inf, not a finite number)."""
    assert np.asarray(channels.mmc_wait_ms(10.0, 200.0, 2)).item() == math.inf  # a = 2 = c
    assert np.asarray(channels.erlang_c(2, 2.0)).item() == 1.0
    with pytest.warns(UserWarning, match="need at least 3 paths for 80% busy"):
        r = channels.channel_load(200.0, 10.0, paths=2, max_busy_pct=80.0)
    assert r.saturated and r.response_ms == math.inf


def test_response_curve_is_path_major_with_whole_path_counts() -> None:
    f = channels.response_curve(2.0, paths=[1, 2], busy_pct=[10.0, 20.0])
    assert f["paths"].tolist() == [1, 1, 2, 2] and f["paths"].dtype == np.int64
    assert f["per_path_busy_pct"].tolist() == [10.0, 20.0, 10.0, 20.0]
    assert channels.response_curve(0.5, paths=[1], busy_pct=[0.0])["response_ms"].iloc[0] == 0.5


def test_scalars_in_scalars_out_and_small_positive_capacities() -> None:
    one = channels.channel_bus_busy_pct(10.0, 30.0, 160.0)
    assert isinstance(one, float) and one == 25.0
    assert channels.channel_bus_busy_pct(0.1, 0.1, 0.5) == pytest.approx(40.0)  # 0.5 MB/s is > 0
    f = channels.chained_io_effect(10.0, [2])
    assert f["blocks_per_io"].dtype == np.int64


def test_channel_capacity_without_the_measured_columns() -> None:
    table = _table(5.0).drop(columns=["measured_mb_per_s_at_100pct", "measured_source"])
    cap = channels.channel_capacity("toy", table)
    assert math.isnan(cap["measured_mb_per_s_at_100pct"]) and cap["measured_source"] == ""
    no_source = _table(5.0).drop(columns=["measured_source"])
    assert channels.channel_capacity("toy", no_source)["measured_source"] == ""


def test_calibrate_connect_by_hand_on_points_on_a_line() -> None:
    """Two points on connect = 1 + 0.5 × blocks fit exactly; a third off the line shows its error."""
    over, per_block, f = channels.calibrate_connect([(2, 2.0, "p"), (10, 6.0, "q")])
    assert (over, per_block) == (pytest.approx(1.0), pytest.approx(0.5))
    assert list(f.columns) == [
        "blocks_per_io",
        "measured_connect_ms",
        "predicted_connect_ms",
        "error_pct",
        "source",
    ]
    assert f["blocks_per_io"].tolist() == [2.0, 10.0]
    assert f["measured_connect_ms"].tolist() == [2.0, 6.0]
    assert f["predicted_connect_ms"].tolist() == pytest.approx([2.0, 6.0])
    assert f["source"].tolist() == ["p", "q"]
    _, _, g = channels.calibrate_connect([(1, 1.0, "a"), (3, 3.0, "b"), (5, 4.0, "c")])
    # least squares through (1,1) (3,3) (5,4): x̄ = 3, ȳ = 8/3, slope Sxy/Sxx = 6/8 = 0.75,
    # overhead 8/3 − 0.75 × 3 = 5/12 (both >= 0, so NNLS = ordinary least squares)
    assert g["predicted_connect_ms"].tolist() == pytest.approx([14 / 12, 32 / 12, 50 / 12])
    assert g["error_pct"].tolist() == pytest.approx(
        [(14 / 12 - 1) * 100, (32 / 12 - 3) / 3 * 100, (50 / 12 - 4) / 4 * 100]
    )


@pytest.mark.parametrize(
    "points",
    [
        [(2, 2.0, "only one")],
        [(2, 2.0, "p"), (0, 1.0, "zero blocks")],
        [(2, 2.0, "p"), (3, -1.0, "negative")],
        [(2, 2.0, "p"), (3, math.nan, "nan")],
    ],
)
def test_calibrate_connect_refuses_too_few_or_bad_points(points) -> None:
    with pytest.raises(InputError, match="measurements"):
        channels.calibrate_connect(points)


def test_paths_needed_whole_numbers_in_and_out() -> None:
    one = channels.paths_needed(60.0, 50.0)
    assert isinstance(one, int) and one == 2
    many = np.asarray(channels.paths_needed([10.0, 120.0], 50.0))
    assert many.dtype == np.int64 and many.tolist() == [1, 3]
    assert channels.chained_io_effect(54.0, [1, 16])["paths_needed"].dtype == np.int64


def test_channel_messages_name_the_type_and_the_missing_figures() -> None:
    with pytest.raises(KeyError, match="unknown channel type 'nosuch'"):
        channels.channel_capacity("nosuch", _table(5.0))
    empty = _table(None).assign(data_rate_mb_per_s=np.nan, io_rate_per_s=np.nan)
    with pytest.raises(InputError, match="has no io_rate_per_s or data_rate_mb_per_s figure"):
        channels.channel_type_load(10.0, 4.0, "toy", table=empty)


def test_erlang_c_by_hand() -> None:
    """C(c, a): no traffic never waits; M/M/1 waits with probability ρ; M/M/2 at a = 1: 1/3."""
    assert np.asarray(channels.erlang_c(2, 0.0)).item() == 0.0
    assert np.asarray(channels.erlang_c(1, 0.4)).item() == pytest.approx(0.4)
    # c = 2, a = 1: (a²/2 / (1 − ρ)) / (1 + a + a²/2 / (1 − ρ)) = 1 / (2 + 1) with ρ = 0.5
    assert np.asarray(channels.erlang_c(2, 1.0)).item() == pytest.approx(1 / 3)
