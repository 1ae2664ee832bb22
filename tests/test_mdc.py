"""Tests of colonykit.mdc: hit ratio, physical I/O, response, CPU cost, trade-off, calibration."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from colonykit import mdc, reference
from colonykit.errors import InputError


def test_physical_io():
    assert float(mdc.physical_io_per_s(100, 20, 0.9)) == pytest.approx(30.0)
    assert float(mdc.physical_io_per_s(100, 0, 0.0)) == 100.0
    # facts.md §3: a 100 % hit ratio at 1 read/s "means nothing": 1 I/O avoided
    r = mdc.mdc_effect(1, 0, 1.0)
    assert r.io_avoided_per_s == 1.0


def test_track_vs_record_sequential_matches_seed_io_counts():
    # seed 003 §8.10.2: a block copy took 18,000 I/Os with record cache, 1,500 with track cache (ratio 12)
    reads = 18_000
    rec = float(mdc.physical_io_per_s(reads, 0, mdc.lru_hit_frac(16, 70, "record", "sequential")))
    trk = float(mdc.physical_io_per_s(reads, 0, mdc.lru_hit_frac(16, 70, "track", "sequential")))
    assert rec == 18_000
    assert trk == pytest.approx(1_500)
    assert mdc.blocks_per_miss("track") * 4 == 48  # KiB moved per track miss


def test_no_cache_no_hits_and_the_32767_cylinder_limit():
    # issue 10 item 6: before, track caching with a 0 MiB cache scored 11/12 = 91.7 % hits
    assert float(mdc.lru_hit_frac(0, 64, "track", "sequential")) == 0.0
    assert float(mdc.lru_hit_frac(0.04, 64, "track", "sequential")) == 0.0  # < one 48 KiB track
    assert float(mdc.lru_hit_frac(0.05, 64, "track", "sequential")) == pytest.approx(11 / 12)
    # facts.md §3: not minidisks over 32,767 cylinders
    assert float(mdc.lru_hit_frac(256, 64, "record", minidisk_cyl=32_767)) == 1.0
    assert float(mdc.lru_hit_frac(256, 64, "record", minidisk_cyl=32_768)) == 0.0
    r = mdc.mdc_effect(100, 0, 0.9, minidisk_cyl=65_520)
    assert not r.eligible and r.hit_frac == 0.0 and r.physical_io_per_s == 100


def test_cpu_direction_and_magnitude_of_table_8_2():
    # the seed's test: 64 MB written once, read 4 times; ¾ of reads hit -> CPU must fall, not rise
    old = float(mdc.cp_cpu_factor(4, 1, 0.75, method="lxdasd"))
    new = float(mdc.cp_cpu_factor(4, 1, 0.75))
    assert old == pytest.approx((1.11 + 4 * (0.25 * 3.85 + 0.75 * 1.0)) / 5)  # +59 %, the bug
    assert new == pytest.approx(1 - 0.274 * (1 - (1 + 4 * 0.25) / 5))  # by hand: 0.836
    # Table 8-2 by hand: FORMAT 1.90 -> 1.41 s (-26 %), RESERVE 2.37 -> 1.91/1.93 s (-19 %)
    assert new < 1 and abs((1 - new) - 0.19) < 0.05


def test_table_8_2_reproduced_with_per_row_error():
    s, fit = mdc.calibrate_cpu_table_8_2()
    # independent: least squares of 1 - y on d = 1 - x through the origin, from the table by hand
    d = [1 - 2.44 / 3.09, 1 - 1.68 / 3.25, 1 - 2.65 / 11.3, 1 - 2.28 / 11.3]
    y = [1 - 1.96 / 1.87, 1 - 1.41 / 1.90, 1 - 1.91 / 2.37, 1 - 1.93 / 2.37]
    assert s == pytest.approx(sum(a * b for a, b in zip(d, y, strict=True)) / sum(a * a for a in d))
    assert reference.constant("mdc_io_cpu_share_frac") == pytest.approx(s, abs=5e-4)
    f = mdc.reproduce_table_8_2()
    assert len(f) == 4
    # direction: with MDC, elapsed falls in every row (Table 8-1: 30.5 -> 17.0, 30.3 -> 17.1, 36.3 -> 8.8/8.9)
    assert (f["predicted_elapsed_s"] < f["off_elapsed_s"]).all() and (
        f["elapsed_s"] < f["off_elapsed_s"]
    ).all()
    # magnitude: Diagnose rows within 5 %, SSCH rows within 30 % (the seed calls them MDC unfriendly)
    diag = f[f["driver"] == "diag"]
    assert diag["elapsed_error_pct"].abs().max() < 5 and diag["cpu_error_pct"].abs().max() < 5
    assert f["elapsed_error_pct"].abs().max() < 30
    assert f["io_error_pct"].abs().max() < 30


def test_random_track_caching_wastes_storage():
    # scattered 4 KiB re-reads: a track cache needs 12 × the storage for the same hit ratio
    assert float(mdc.lru_hit_frac(100, 100, "record")) == 1.0
    assert float(mdc.lru_hit_frac(1200, 100, "track")) == 1.0
    assert float(mdc.lru_hit_frac(600, 100, "track")) == pytest.approx(0.5)


def test_sequential_rereads_lru():
    # the Table 8-1 script reads a 64 MB file 4 times: with a cache that holds it, 3 of 4 passes hit
    assert float(mdc.lru_hit_frac(64, 64, "record", "sequential", passes=4)) == pytest.approx(0.75)
    # track: first pass 11/12, later passes all hits
    assert float(mdc.lru_hit_frac(64, 64, "track", "sequential", passes=4)) == pytest.approx(
        (11 / 12 + 3) / 4
    )
    # a cache smaller than the file: LRU evicts before the re-read (no re-read hits)
    assert float(mdc.lru_hit_frac(32, 64, "record", "sequential", passes=4)) == 0.0


@given(
    st.floats(0, 1e5),
    st.floats(1, 1e5),
    st.sampled_from(["record", "track"]),
    st.sampled_from(["random", "sequential"]),
    st.integers(1, 8),
)
def test_hit_frac_in_range_and_monotone_in_cache(cache, data, caching, pattern, passes):
    h = float(mdc.lru_hit_frac(cache, data, caching, pattern, passes))
    h2 = float(mdc.lru_hit_frac(cache * 2 + 1, data, caching, pattern, passes))
    assert 0.0 <= h <= h2 <= 1.0


def test_read_response():
    # miss: pend 1 + disc 2 + connect (calibrated 333/401 ms per 4 KiB block, channels.calibrate_connect)
    per_block = 333 / 401
    assert float(mdc.read_response_ms(0.0, "record")) == pytest.approx(1 + 2 + per_block, rel=1e-4)
    assert float(mdc.read_response_ms(1.0, "record")) == 0.0
    trk = float(mdc.read_response_ms(0.0, "track"))
    assert trk == pytest.approx(1 + 2 + 12 * per_block, rel=1e-4)
    assert float(mdc.read_response_ms(0.9, "record", pend_ms=0, disc_ms=0)) == pytest.approx(
        0.1 * per_block, rel=1e-3
    )
    # with a nominal ESCON rate given explicitly
    assert float(mdc.read_response_ms(0.0, "record", data_rate_mb_per_s=17)) == pytest.approx(
        3 + 4096 / 17e6 * 1e3
    )


def test_cpu_cost_from_facts():
    # facts.md §3: +11 % CP CPU on writes, +285 % on a read that inserts into MDC
    lx = {"method": "lxdasd"}
    assert float(mdc.cp_cpu_factor(0, 5, 0.5, **lx)) == pytest.approx(1.11)
    assert float(mdc.cp_cpu_factor(5, 0, 0.0, **lx)) == pytest.approx(3.85)
    # 50/50 reads and writes at 90 % hits, hits cost the same as an uncached read
    expect = (50 * 1.11 + 50 * (0.1 * 3.85 + 0.9 * 1.0)) / 100
    assert float(mdc.cp_cpu_factor(50, 50, 0.9, **lx)) == pytest.approx(expect)
    assert float(mdc.cp_cpu_factor(0, 0, 0.5, **lx)) == 1.0
    # mostly-read with high hit ratio costs far less extra CPU than write-heavy + misses
    assert mdc.cp_cpu_factor(95, 5, 0.95, **lx) < mdc.cp_cpu_factor(50, 50, 0.2, **lx)
    # the calibrated default: writes only or no hits -> no change; more hits -> less CPU
    assert float(mdc.cp_cpu_factor(0, 5, 0.5)) == 1.0 and float(mdc.cp_cpu_factor(5, 0, 0.0)) == 1.0
    assert mdc.cp_cpu_factor(95, 5, 0.95) < mdc.cp_cpu_factor(50, 50, 0.2) < 1


def test_mdc_effect_from_cache_size():
    r = mdc.mdc_effect(200, 20, caching="record", cache_mib=90, data_mib=100)
    assert r.hit_frac == pytest.approx(0.9)
    assert r.physical_io_per_s == pytest.approx(200 * 0.1 + 20)
    assert r.good_hit
    assert r.kib_moved_per_miss == 4.0
    assert r.read_response_ms < r.read_response_no_mdc_ms
    assert set(r.to_dict()) >= {"hit_frac", "physical_io_per_s", "cp_cpu_factor"}


def test_tradeoff_frame():
    f = mdc.mdc_tradeoff(
        500,
        50,
        data_mib=512,
        real_mib=8192,
        guests_working_set_mib=[4000, 3900],
        mdc_mib=np.linspace(0, 1024, 5),
    )
    assert f["hit_frac"].is_monotonic_increasing
    assert f["io_avoided_per_s"].is_monotonic_increasing
    assert f["guest_shortfall_mib"].is_monotonic_increasing
    last = f.iloc[-1]
    assert last.hit_frac == 1.0 and last.io_avoided_per_s == 500
    assert last.guest_shortfall_mib == pytest.approx(7900 - (8192 - 1024))
    default = mdc.mdc_tradeoff(100, 0, 256, 4096, 1000)
    assert len(default) == 33 and default["mdc_mib"].max() == 1024


def test_calibration_on_table_8_2():
    c = mdc.calibrate_table_8_2()
    assert c["fitted"].sum() == 2
    # fitted rows are reproduced exactly
    assert c.loc[c.fitted, "error_pct"].abs().max() < 1e-9
    # t_io by hand: SSCH (30.5 − 1.87) / 3.09; Diagnose (36.3 − 2.37) / 11.3
    t = c.set_index(["format", "mdc"])["t_io_s"]
    assert t[("dasdfmt", "off")] == pytest.approx((30.5 - 1.87) / 3.09)
    assert t[("RESERVE", "off")] == pytest.approx((36.3 - 2.37) / 11.3)
    pred = c.set_index(["format", "mdc"])["predicted_elapsed_s"]
    assert pred[("RESERVE", "record")] == pytest.approx(1.93 + 2.28 * (36.3 - 2.37) / 11.3)
    s = mdc.calibration_summary(c)
    assert s["predicted_rows"] == 5
    assert s["max_abs_error_pct"] == pytest.approx(
        abs(1.96 + 2.44 * (30.5 - 1.87) / 3.09 - 17.0) / 17.0 * 100
    )


def test_single_row_calibration_shows_driver_difference():
    # one t_io for both drivers: the SSCH rows are predicted badly (the DIAG driver's I/O is cheaper)
    c = mdc.calibrate_table_8_2(fit_rows=[("RESERVE", "off")], per_driver=False)
    ssch = c[c.driver == "ssch"]
    assert ssch["error_pct"].abs().min() > 40  # by hand: 45 % to 63 % too low
    with pytest.raises(InputError, match="driver"):
        mdc.calibrate_table_8_2(fit_rows=[("RESERVE", "off")])
    with pytest.raises(InputError, match="fit_rows"):
        mdc.calibrate_table_8_2(fit_rows=[("ext4", "off")])


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: mdc.physical_io_per_s(-1, 0, 0.5), "read_rate_per_s"),
        (lambda: mdc.physical_io_per_s(1, 0, 1.5), "hit_frac"),
        (lambda: mdc.lru_hit_frac(10, 0), "data_mib"),
        (lambda: mdc.lru_hit_frac(10, 10, "block"), "caching"),
        (lambda: mdc.lru_hit_frac(10, 10, "record", "zigzag"), "pattern"),
        (lambda: mdc.lru_hit_frac(10, 10, "record", "sequential", passes=0), "passes"),
        (lambda: mdc.mdc_effect(10), "hit_frac or both"),
        (lambda: mdc.mdc_tradeoff(1, 0, 10, 100, 50, [200]), "mdc_mib"),
    ],
)
def test_bad_input(call, match):
    with pytest.raises(InputError, match=match):
        call()
