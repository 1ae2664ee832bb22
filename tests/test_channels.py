"""Tests of colonykit.channels: path demand, paths needed, Erlang C, channel types, Linux chains."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from colonykit import channels, reference
from colonykit.errors import ColonykitWarning, InputError, UnknownNameError


def test_seed_example_75_pct():
    # seed 003 §8.10.3: 14 ms × 54 I/O per second -> a channel about 75 % busy
    assert channels.path_busy_pct(14, 54) == pytest.approx(75.6)


def test_ibm_example_540_pct():
    # facts.md §4.2: 4.5 ms × 1,200 I/O/s = 540 % -> at least 6 paths; 11 at IBM's 50 %
    r = channels.channel_load(1200, 4.5, paths=6, max_busy_pct=50)
    assert r.busy_pct == pytest.approx(540.0)
    assert r.per_path_busy_pct == pytest.approx(90.0)
    assert r.paths_needed == 11
    assert channels.paths_needed(540.0, 100) == 6
    assert channels.paths_needed(540.0, 50) == 11
    assert channels.paths_needed(540.0) == 11  # default 50 % (channel_max_busy_pct)


def test_paths_needed_edges():
    assert channels.paths_needed(0) == 1
    assert channels.paths_needed(100, 50) == 2
    assert channels.paths_needed(100.0001, 50) == 3
    assert channels.paths_needed(np.array([25, 75, 150]), 50).tolist() == [1, 2, 3]


@given(st.floats(0, 1e5), st.floats(1, 100))
def test_paths_needed_is_minimal(busy, limit):
    p = channels.paths_needed(busy, limit)
    assert p >= 1
    assert busy / p <= limit * (1 + 1e-9)
    if p > 1:
        assert busy / (p - 1) > limit * (1 - 1e-9)


@given(st.floats(0, 100), st.floats(0, 1e4), st.floats(0.01, 100))
def test_busy_linear_in_rate(connect, rate, k):
    one = channels.path_busy_pct(connect, rate)
    assert channels.path_busy_pct(connect, rate * k) == pytest.approx(one * k, rel=1e-9, abs=1e-9)
    assert channels.path_busy_pct(connect, 0) == 0


def test_erlang_c_known_values():
    # M/M/1: P(wait) = ρ
    assert float(channels.erlang_c(1, 0.3)) == pytest.approx(0.3)
    # c = 2, a = 1: B(2) = 1/5, C = B / (1 − ρ(1 − B)) = 0.2 / (1 − 0.5 × 0.8) = 1/3
    assert float(channels.erlang_c(2, 1.0)) == pytest.approx(1 / 3)
    # c = 3, a = 2 by the closed form: C = (a^c/c!)(c/(c−a)) / (Σ_{k<c} a^k/k! + (a^c/c!)(c/(c−a)))
    a, c = 2.0, 3
    top = a**c / math.factorial(c) * c / (c - a)
    expect = top / (sum(a**k / math.factorial(k) for k in range(c)) + top)
    assert float(channels.erlang_c(3, 2.0)) == pytest.approx(expect)
    assert float(channels.erlang_c(2, 2.5)) == 1.0  # saturated
    assert (
        float(channels.erlang_c(100_000, 5.4)) == 0.0
    )  # many paths: no wait (early exit on underflow)


def test_erlang_c_vectorized_matches_scalar():
    a = np.array([0.1, 0.5, 1.5, 3.0])
    c = np.array([1, 2, 2, 4])
    vec = channels.erlang_c(c, a)
    one_by_one = [float(channels.erlang_c(int(ci), float(ai))) for ci, ai in zip(c, a, strict=True)]
    assert vec.tolist() == pytest.approx(one_by_one)


def test_mm1_response_doubles_at_half_busy():
    # M/M/1 at ρ = 0.5: response = S / (1 − ρ) = 2 S
    r = channels.channel_load(50, 10, paths=1)
    assert r.per_path_busy_pct == pytest.approx(50)
    assert r.response_ms == pytest.approx(20.0)
    assert r.wait_ms == pytest.approx(10.0)


def test_response_adds_pend_and_disc():
    base = channels.channel_load(54, 14, paths=4)
    more = channels.channel_load(54, 14, paths=4, pend_ms=0.6, disc_ms=1.4)
    assert more.response_ms == pytest.approx(base.response_ms + 2.0)


def test_saturated_channel_warns_and_is_infinite():
    with pytest.warns(ColonykitWarning, match="saturated"):
        r = channels.channel_load(1200, 4.5, paths=1)
    assert r.saturated and math.isinf(r.response_ms)
    assert r.to_dict()["paths_needed"] == 11


def test_response_curve_grows_with_busy_and_falls_with_paths():
    f = channels.response_curve(4.0, paths=[1, 2, 4], busy_pct=[10, 50, 80, 95])
    for _, g in f.groupby("paths"):
        assert g["response_ms"].is_monotonic_increasing
    at80 = f[f.per_path_busy_pct == 80].set_index("paths")["response_ms"]
    assert at80[1] > at80[2] > at80[4] > 4.0
    # io rate = busy × paths × 1000 / connect / 100
    row = f[(f.paths == 2) & (f.per_path_busy_pct == 50)].iloc[0]
    assert row.io_rate_per_s == pytest.approx(0.5 * 2 * 1000 / 4.0)


def test_channel_types_from_catalog():
    esc = channels.channel_capacity("escon")
    assert esc["data_rate_mb_per_s"] == 17.0 and esc["io_rate_per_s"] == 2000.0
    r = channels.channel_type_load(1000, 4, "ficon-express8s")
    assert r["io_util_pct"] == pytest.approx(1000 / 92_000 * 100)
    assert r["channels_needed"] == 1
    big = channels.channel_type_load(1000, 64, "escon")  # 65.5 MB/s at the seed's 4 MB/s per 100 %
    assert big["limited_by"] == "data_rate" and big["data_rate_basis"] == "measured"
    assert big["data_util_pct"] == pytest.approx(1000 * 64 * 1024 / 1e6 / 4.0 * 100)
    assert big["channels_needed"] == math.ceil(big["data_util_pct"] / 50)
    nominal = channels.channel_type_load(1000, 64, "ficon-express8s")
    assert nominal["data_rate_basis"] == "nominal"
    assert nominal["data_util_pct"] == pytest.approx(1000 * 64 * 1024 / 1e6 / 1600 * 100)


def test_escon_calibrated_on_the_seeds_measurements():
    # issue 10 item 5, seed 003 §8.10.3: channel busy "approaching 200% (about 8 MB per second)"
    # over 4 paths.  Before: 8 MB/s on ESCON's nominal 17 MB/s = 47 % of one channel.
    r = channels.channel_type_load(8e6 / 65_536, 64, "escon")
    assert r["data_util_pct"] == pytest.approx(8 / 4.0 * 100)  # = 200 %
    assert r["data_util_pct"] > 3 * (8 / 17 * 100)
    # connect time of ~16 blocks (3-4 MB/s / 54 I/O/s = 64 KB): seed measured 14 ms; before 4.6 ms
    assert channels.connect_ms_for_blocks(16) == pytest.approx(14.0, rel=0.06)
    # the same law reproduces the seed's "14 ms × 54 I/O per second ... about 75% busy" within 6 %
    assert channels.path_busy_pct(channels.connect_ms_for_blocks(16), 54) == pytest.approx(
        75, rel=0.06
    )


def test_connect_fit_is_the_bundled_constants_and_reports_errors():
    over, per_block, f = channels.calibrate_connect()
    # by hand: with the intercept at its bound 0, b = Σxy / Σx² = (1 + 108 + 224) / (1 + 144 + 256)
    assert over == pytest.approx(0.0, abs=1e-12)
    assert per_block == pytest.approx(333 / 401)
    assert reference.constant("connect_effective_mb_per_s") == pytest.approx(
        4096 / (333 / 401) / 1000, abs=5e-4
    )
    assert reference.constant("connect_overhead_ms") == pytest.approx(over)
    assert f["error_pct"].abs().max() < 20
    assert len(f) == 3 and f["source"].str.contains("seed 003").all()


def test_channel_type_without_figure_is_a_clear_error():
    with pytest.raises(InputError, match="ficon-express.*no io_rate_per_s"):
        channels.channel_type_load(1000, 4, "ficon-express")
    with pytest.raises(InputError, match="no data_rate_mb_per_s"):
        channels.channel_type_load(1000, 4, "ficon-express8")
    with pytest.raises(UnknownNameError, match="escon"):
        channels.channel_capacity("token-ring")


def test_linux_chains_raise_connect_time():
    # calibrated law: 333/401 ms per 4-KiB block (seed 003 §8.10.2-8.10.3); 130 blocks = 108 ms
    assert channels.connect_ms_for_blocks(130) == pytest.approx(130 * 333 / 401, rel=1e-4)
    # an explicit nominal rate still works: 130 × 4 KiB at 17 MB/s = 31.3 ms + 0.76 ms
    assert channels.connect_ms_for_blocks(130, 17, 0.76) == pytest.approx(
        0.76 + 130 * 4096 / 17e6 * 1000
    )
    # one 4 KiB block: the seed's 1.0 ms record-cache connect (§8.10.2), within the fit's 17 %
    assert channels.connect_ms_for_blocks(1) == pytest.approx(1.0, rel=0.2)
    f = channels.chained_io_effect(54)
    assert f["blocks_per_io"].tolist() == [1, 8, 16, 32, 64, 130]
    assert f["connect_ms"].is_monotonic_increasing
    assert f["paths_needed"].iloc[-1] == math.ceil(130 * 333 / 401 * 54 / 10 / 50)  # 583 % -> 12
    assert f["max_io_rate_per_path_per_s"].iloc[0] == pytest.approx(
        50 * 10 / f["connect_ms"].iloc[0]
    )


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"io_rate_per_s": -1, "connect_ms": 4}, "io_rate_per_s"),
        ({"io_rate_per_s": 10, "connect_ms": float("nan")}, "connect_ms"),
        ({"io_rate_per_s": 10, "connect_ms": 4, "paths": 0}, "paths"),
        ({"io_rate_per_s": 10, "connect_ms": 4, "paths": 1.5}, "paths"),
        ({"io_rate_per_s": 10, "connect_ms": 4, "max_busy_pct": 0}, "max_busy_pct"),
        ({"io_rate_per_s": 10, "connect_ms": 4, "max_busy_pct": 120}, "max_busy_pct"),
    ],
)
def test_bad_input(kwargs, match):
    with pytest.raises(InputError, match=match):
        channels.channel_load(**kwargs)


def test_bad_input_pure_functions():
    with pytest.raises(InputError, match="busy_pct"):
        channels.paths_needed(-5)
    with pytest.raises(InputError, match="max_busy_pct"):
        channels.paths_needed(50, 0)
    with pytest.raises(InputError, match="servers"):
        channels.erlang_c(0, 1.0)
    with pytest.raises(InputError, match="data_rate_mb_per_s"):
        channels.connect_ms_for_blocks(1, data_rate_mb_per_s=0)
