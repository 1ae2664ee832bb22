"""Hostile-input catalogue, trace readers (issue 24 root causes 3, 4, 5 and trace names in 6).

Each case builds a small file, reads it as a planner would and checks the outcome: ``error`` (a
clear ``InputError`` naming the file and what to do; CLI exit 2) or ``correct`` (the right
result, computed by hand).  Ids: ``rc<N>-<short-name>-<expected>`` (/work/notes/CONTRACTS.md).
"""

from __future__ import annotations

import shutil
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from colonykit.cli import main
from colonykit.errors import ColonykitWarning, InputError
from colonykit.ingest import read_inventory, read_nmon, read_sadf, read_sar, read_traces
from colonykit.ingest.join import join_traces

pytestmark = pytest.mark.catalogue
M = Path("data/monitor_samples")


def _long(path: Path, stamps: list[object], server: str = "a", value: float = 10.0) -> Path:
    rows = "".join(f"{server},{t},{value + i % 7}\n" for i, t in enumerate(stamps))
    path.write_text("server,timestamp,cpu_pct\n" + rows)
    return path


def _stamps(start: str, n: int, freq: str, fmt: str) -> list[str]:
    return [t.strftime(fmt) for t in pd.date_range(start, periods=n, freq=freq)]


# --------------------------------------------------------------------------- rc3: time columns


def rc3_dayfirst_decided_by_column(tmp: Path) -> None:
    # 28 daily samples written day first (01/02/2024 = 1 February): the column decides (day 13+)
    p = _long(tmp / "t.csv", _stamps("2024-02-01", 28, "D", "%d/%m/%Y %H:%M"))
    frame, meta = read_traces(p)
    assert len(frame) == 28 and meta["interval_s"] == 86400.0 and meta["gaps_filled"] == 0
    assert frame.index[0] == pd.Timestamp("2024-02-01T00:00Z")
    assert frame.index[-1] == pd.Timestamp("2024-02-28T00:00Z")


def rc3_ambiguous_dates_refused(tmp: Path) -> None:
    p = _long(tmp / "t.csv", _stamps("2024-02-01", 12, "D", "%d/%m/%Y %H:%M"))
    with pytest.raises(InputError, match="ambiguous.*--dayfirst"):
        read_traces(p)


def rc3_ambiguous_dates_with_dayfirst(tmp: Path) -> None:
    p = _long(tmp / "t.csv", _stamps("2024-02-01", 12, "D", "%d/%m/%Y %H:%M"))
    frame, _ = read_traces(p, dayfirst=True)
    assert frame.index[1] == pd.Timestamp("2024-02-02T00:00Z") and len(frame) == 12


def rc3_ambiguous_dates_monthfirst_cli(tmp: Path) -> None:
    p = _long(tmp / "t.csv", _stamps("2024-02-01", 12, "D", "%m/%d/%Y %H:%M"))
    args = ["whitespace", str(p), "--monthfirst", "--min-overlap-h", "1", "--format", "json"]
    assert main(args) == 0


def rc3_mixed_day_month_order_refused(tmp: Path) -> None:
    p = _long(tmp / "t.csv", ["13/01/2024 00:00", "01/14/2024 00:00"])
    with pytest.raises(InputError, match="mixes day-first"):
        read_traces(p)


def rc3_time_only_refused(tmp: Path) -> None:
    p = _long(tmp / "t.csv", ["10:00", "10:05", "10:10"])
    with pytest.raises(InputError, match="time-only"):
        read_traces(p)


def rc3_naive_aware_mixture_refused(tmp: Path) -> None:
    p = _long(tmp / "t.csv", ["2024-01-01T00:00:00+01:00", "2024-01-01T00:05:00"])
    with pytest.raises(InputError, match=r"line 3: .timestamp. mixes stamps with a UTC offset"):
        read_traces(p, tz="Europe/Amsterdam")


def rc3_naive_local_times_in_tz(tmp: Path) -> None:
    p = _long(tmp / "t.csv", _stamps("2024-01-01", 3, "5min", "%Y-%m-%d %H:%M:%S"))
    frame, _ = read_traces(p, tz="Europe/Amsterdam")
    assert frame.index[0] == pd.Timestamp("2023-12-31T23:00Z")


def rc3_dst_repeated_hour_in_order(tmp: Path) -> None:
    # a monotone local capture through the end of summer time: 02:00-02:45 appears twice
    local = (
        [f"2024-10-27 01:{m:02d}" for m in (0, 15, 30, 45)]
        + [f"2024-10-27 02:{m:02d}" for m in (0, 15, 30, 45)] * 2
        + [f"2024-10-27 03:{m:02d}" for m in (0, 15, 30, 45)]
    )
    p = _long(tmp / "t.csv", local)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ColonykitWarning)  # no "repeated sample" warning
        frame, meta = read_traces(p, tz="Europe/Amsterdam")
    want = pd.date_range("2024-10-26T23:00Z", periods=16, freq="15min")
    assert frame.index.equals(pd.DatetimeIndex(want, name="timestamp"))
    assert meta["gaps_filled"] == 0


def rc3_dst_skipped_hour_refused(tmp: Path) -> None:
    p = _long(tmp / "t.csv", ["2024-03-31 01:30", "2024-03-31 02:30", "2024-03-31 03:30"])
    with pytest.raises(InputError, match="summer-time hour"):
        read_traces(p, tz="Europe/Amsterdam")


def rc3_epoch_milliseconds(tmp: Path) -> None:
    t0 = 1_704_067_200_000  # 2024-01-01T00:00Z in ms
    p = _long(tmp / "t.csv", [t0 + k * 300_000 for k in range(4)])
    frame, meta = read_traces(p)
    assert frame.index[0] == pd.Timestamp("2024-01-01T00:00Z") and meta["interval_s"] == 300.0


def rc3_epoch_seconds(tmp: Path) -> None:
    p = _long(tmp / "t.csv", [1_704_067_200 + k * 300 for k in range(4)])
    frame, _ = read_traces(p)
    assert frame.index[-1] == pd.Timestamp("2024-01-01T00:15Z")


def rc3_subsecond_stamps(tmp: Path) -> None:
    stamps = [
        (pd.Timestamp("2024-01-01") + pd.Timedelta(seconds=1.5 * k)).strftime(
            "%Y-%m-%d %H:%M:%S.%f"
        )[:-3]
        for k in range(6)
    ]
    frame, meta = read_traces(_long(tmp / "t.csv", stamps))
    assert meta["interval_s"] == 1.5 and len(frame) == 6


def rc3_excel_serial_days(tmp: Path) -> None:
    # Excel: 45292 = 2024-01-01; 5 minutes = 1/288 day
    p = _long(tmp / "t.csv", [f"{45292 + k / 288:.8f}" for k in range(4)])
    frame, meta = read_traces(p)
    assert frame.index[0] == pd.Timestamp("2024-01-01T00:00Z") and meta["interval_s"] == 300.0


def rc3_date_format_option(tmp: Path) -> None:
    p = _long(tmp / "t.csv", _stamps("2024-01-31 10:00", 3, "5min", "%d.%m.%Y %H:%M"))
    frame, _ = read_traces(p, date_format="%d.%m.%Y %H:%M")
    assert frame.index[0] == pd.Timestamp("2024-01-31T10:00Z")


def rc3_bad_stamp_named_with_line(tmp: Path) -> None:
    p = _long(tmp / "t.csv", ["2024-01-01 00:00", "2024-01-01 00:05", "soon"])
    with pytest.raises(InputError, match="line 4"):
        read_traces(p)


# --------------------------------------------------------------------------- rc4: gap filling


def _two_series(tmp: Path, b_from: int, n: int = 10) -> Path:
    t = pd.date_range("2024-01-01", periods=n, freq="5min").strftime("%Y-%m-%d %H:%M")
    rows = [f"a,{x},{10 + i}" for i, x in enumerate(t)]
    rows += [f"b,{x},{50 + i}" for i, x in enumerate(t) if i >= b_from]
    p = tmp / "t.csv"
    p.write_text("server,timestamp,cpu_pct\n" + "\n".join(rows) + "\n")
    return p


def rc4_no_back_fill(tmp: Path) -> None:
    frame, meta = read_traces(_two_series(tmp, b_from=5))
    assert frame["b"].iloc[:5].isna().all() and frame["b"].iloc[5] == 55.0
    assert int(meta["gaps"]["b"]) == 5 and meta["gaps_filled"] == 0


def rc4_fill_warning_in_text_output(tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    t = pd.date_range("2024-01-01", periods=20, freq="5min").strftime("%Y-%m-%d %H:%M")
    rows = [f"a,{x},10" for x in t] + [f"b,{x},20" for i, x in enumerate(t) if i < 4 or i == 19]
    p = tmp / "t.csv"
    p.write_text("server,timestamp,cpu_pct\n" + "\n".join(rows) + "\n")
    assert main(["whitespace", str(p), "--min-overlap-h", "1"]) == 0
    err = capsys.readouterr().err
    assert "warning:" in err and "filled samples" in err and "b " in err


def rc4_single_sample_not_spread(tmp: Path) -> None:
    # one sample of b inside a day of a: never copied over the day (no common span: refused)
    t = pd.date_range("2024-01-01", periods=288, freq="5min").strftime("%Y-%m-%d %H:%M")
    rows = [f"a,{x},10" for x in t] + [f"b,{t[100]},90"]
    p = tmp / "t.csv"
    p.write_text("server,timestamp,cpu_pct\n" + "\n".join(rows) + "\n")
    frame, _ = read_traces(p)
    assert frame["b"].iloc[:100].isna().all()  # nothing before its sample
    assert main(["whitespace", str(p)]) == 2  # and the whitespace command refuses it


def rc4_own_interval_fill(tmp: Path) -> None:
    # a complete 10-minute capture next to a 5-minute one: nothing is missing
    t = pd.date_range("2024-01-01", periods=289, freq="5min").strftime("%Y-%m-%d %H:%M")
    rows = [f"a,{x},10" for x in t] + [f"b,{x},20" for i, x in enumerate(t) if i % 2 == 0]
    p = tmp / "t.csv"
    p.write_text("server,timestamp,cpu_pct\n" + "\n".join(rows) + "\n")
    with warnings.catch_warnings():
        warnings.simplefilter("error", ColonykitWarning)
        _, meta = read_traces(p)
    assert float(meta["filled_frac"]["b"]) == 0.0


# --------------------------------------------------------------------------- rc5: monitor readers


def rc5_sadf_every_cpu_block(tmp: Path) -> None:
    src = (M / "sadf-d_sun_2023-08-05.csv").read_text().splitlines()
    block = [ln for ln in src[: src.index(next(x for x in src[1:] if x.startswith("#")))]]
    day2 = [block[0]] + [ln.replace("2023-08-0", "2023-08-1") for ln in block[1:]]
    p = tmp / "two_days.csv"
    p.write_text("\n".join(block + src[len(block) :] + day2) + "\n")
    one, _ = read_sadf(M / "sadf-d_sun_2023-08-05.csv")
    both, meta = read_sadf(p)
    assert meta["samples"] == 2 * len(one)


def _sar(lines: list[str]) -> str:
    head = "Linux 5.14.0 (db1) \t03/24/24 \t_x86_64_\t(4 CPU)\n\n"
    return (
        head
        + "10:00:00        CPU     %user     %nice   %system   %iowait    %steal     %idle\n"
        + ("\n".join(lines) + "\n")
    )


def rc5_sar_ntp_step_same_day(tmp: Path) -> None:
    p = tmp / "sar.txt"
    p.write_text(
        _sar(
            [
                "10:10:00        all      1.00      0.00      1.00      0.00      0.00     98.00",
                "10:20:00        all      2.00      0.00      1.00      0.00      0.00     97.00",
                "10:19:29        all      3.00      0.00      1.00      0.00      0.00     96.00",
                "10:30:00        all      4.00      0.00      1.00      0.00      0.00     95.00",
            ]
        )
    )
    frame, _ = read_sar(p)
    assert frame.index[-1] - frame.index[0] == pd.Timedelta(minutes=20)


def rc5_sar_midnight_rollover(tmp: Path) -> None:
    p = tmp / "sar.txt"
    p.write_text(
        _sar(
            [
                "23:50:00        all      1.00      0.00      1.00      0.00      0.00     98.00",
                "00:00:00        all      2.00      0.00      1.00      0.00      0.00     97.00",
            ]
        )
    )
    frame, _ = read_sar(p)
    assert frame.index[-1] == pd.Timestamp("2024-03-25T00:00Z")


def rc5_sar_decimal_comma(tmp: Path) -> None:
    p = tmp / "sar.txt"
    p.write_text(
        _sar(
            [
                "10:10:00        all      1,00      0,00      1,00      0,00      0,00     97,50",
                "10:20:00        all      2,00      0,00      1,00      0,00      0,00     96,25",
            ]
        )
    )
    frame, _ = read_sar(p)
    assert frame["db1"].tolist() == pytest.approx([2.5, 3.75])


def rc5_cloned_vms_refused(tmp: Path) -> None:
    d = tmp / "caps"
    d.mkdir()
    for name in ("vm1.nmon", "vm2.nmon"):  # cloned VMs: the same host name, the same hours
        shutil.copy(M / "nmon_fedora21_linux_2015-08-18.nmon", d / name)
    with pytest.raises(InputError, match=r"'linux' in vm1.nmon and vm2.nmon"):
        read_traces(d)
    assert main(["whitespace", str(d)]) == 2


def rc5_consecutive_captures_joined(tmp: Path) -> None:
    d = tmp / "caps"
    d.mkdir()
    text = (M / "nmon_fedora21_linux_2015-08-18.nmon").read_text()
    (d / "day1.nmon").write_text(text)
    (d / "day2.nmon").write_text(text.replace("18-AUG-2015", "19-AUG-2015"))
    frame, meta = read_traces(d, fill="none")
    assert list(frame.columns) == ["linux"] and int(frame["linux"].notna().sum()) == 2 * 47


def rc5_concatenated_nmon(tmp: Path) -> None:
    text = (M / "nmon_fedora21_linux_2015-08-18.nmon").read_text()
    p = tmp / "cat.nmon"
    p.write_text(text + text.replace("18-AUG-2015", "19-AUG-2015"))
    frame, meta = read_nmon(p)
    assert meta["samples"] == 2 * 47 and meta["segments"] == 2


def rc5_aix_shared_lpar_entitlement_stated(tmp: Path) -> None:
    _, meta = read_nmon(M / "nmon_aix_aixlpar_2016-02-10.nmon")
    assert meta["lpar"]["entitled_processors"] == 1.3 and meta["lpar"]["capped"] is False
    with pytest.warns(ColonykitWarning, match="entitlement 1.3 processors"):
        read_traces(M / "nmon_aix_aixlpar_2016-02-10.nmon")


# --------------------------------------------------------------------------- rc6: trace names


def _inv(tmp: Path, names: list[str]) -> pd.DataFrame:
    p = tmp / "inv.csv"
    rows = "".join(f"{n},web,2926,mhz_per_core,2,10,50,mixed,8192,10,1\n" for n in names)
    p.write_text(
        "server,role,capacity,capacity_unit,cores,util_avg_pct,util_peak_pct,workload_class,"
        "memory_mib,disk_gib,count\n" + rows
    )
    inv, _ = read_inventory(p)
    return inv


def _wide(tmp: Path, names: list[str]) -> Path:
    t = pd.date_range("2024-01-01", periods=289, freq="5min")
    frame = pd.DataFrame({n: 10.0 + 10 * i for i, n in enumerate(names)}, index=t)
    frame.index.name = "timestamp"
    p = tmp / "wide.csv"
    frame.to_csv(p)
    return p


def rc6_trace_names_exact_first(tmp: Path) -> None:
    j = join_traces(_inv(tmp, ["web", "Web"]), _wide(tmp, ["Web", "web"]))
    got = dict(zip(j.assignment["server"], j.assignment["series"], strict=True))
    assert got == {"web": "web", "Web": "Web"}


def rc6_trace_names_case_collision_refused(tmp: Path) -> None:
    with pytest.raises(InputError, match=r"'WEB' and 'Web'.*differ only by case"):
        join_traces(_inv(tmp, ["web"]), _wide(tmp, ["Web", "WEB"]))


def rc6_trace_names_two_servers_one_series_refused(tmp: Path) -> None:
    with pytest.raises(InputError, match=r"'web' and 'WEB' both match trace series 'web'"):
        join_traces(_inv(tmp, ["web", "WEB"]), _wide(tmp, ["web"]))


CASES: list[tuple[str, Callable[..., None]]] = [
    ("rc3-dayfirst-by-column-correct", rc3_dayfirst_decided_by_column),
    ("rc3-ambiguous-dates-error", rc3_ambiguous_dates_refused),
    ("rc3-ambiguous-dates-dayfirst-correct", rc3_ambiguous_dates_with_dayfirst),
    ("rc3-ambiguous-dates-monthfirst-cli-correct", rc3_ambiguous_dates_monthfirst_cli),
    ("rc3-mixed-day-month-order-error", rc3_mixed_day_month_order_refused),
    ("rc3-time-only-error", rc3_time_only_refused),
    ("rc3-naive-aware-mixture-error", rc3_naive_aware_mixture_refused),
    ("rc3-naive-in-tz-correct", rc3_naive_local_times_in_tz),
    ("rc3-dst-repeated-hour-correct", rc3_dst_repeated_hour_in_order),
    ("rc3-dst-skipped-hour-error", rc3_dst_skipped_hour_refused),
    ("rc3-epoch-ms-correct", rc3_epoch_milliseconds),
    ("rc3-epoch-s-correct", rc3_epoch_seconds),
    ("rc3-subsecond-correct", rc3_subsecond_stamps),
    ("rc3-excel-serial-correct", rc3_excel_serial_days),
    ("rc3-date-format-option-correct", rc3_date_format_option),
    ("rc3-bad-stamp-line-error", rc3_bad_stamp_named_with_line),
    ("rc4-no-back-fill-correct", rc4_no_back_fill),
    ("rc4-single-sample-not-spread-error", rc4_single_sample_not_spread),
    ("rc4-own-interval-fill-correct", rc4_own_interval_fill),
    ("rc5-sadf-every-cpu-block-correct", rc5_sadf_every_cpu_block),
    ("rc5-sar-ntp-step-correct", rc5_sar_ntp_step_same_day),
    ("rc5-sar-midnight-rollover-correct", rc5_sar_midnight_rollover),
    ("rc5-sar-decimal-comma-correct", rc5_sar_decimal_comma),
    ("rc5-cloned-vms-error", rc5_cloned_vms_refused),
    ("rc5-consecutive-captures-correct", rc5_consecutive_captures_joined),
    ("rc5-concatenated-nmon-correct", rc5_concatenated_nmon),
    ("rc5-aix-shared-lpar-entitlement-correct", rc5_aix_shared_lpar_entitlement_stated),
    ("rc6-trace-names-exact-first-correct", rc6_trace_names_exact_first),
    ("rc6-trace-names-case-collision-error", rc6_trace_names_case_collision_refused),
    (
        "rc6-trace-names-two-servers-one-series-error",
        rc6_trace_names_two_servers_one_series_refused,
    ),
]


@pytest.mark.parametrize("case", [c for _, c in CASES], ids=[i for i, _ in CASES])
def test_catalogue(case: Callable[[Path], None], tmp_path: Path) -> None:
    case(tmp_path)


@pytest.mark.parametrize(
    "case", [rc4_fill_warning_in_text_output], ids=["rc4-fill-warning-text-correct"]
)
def test_catalogue_cli_output(
    case: Callable[[Path, pytest.CaptureFixture[str]], None],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    case(tmp_path, capsys)


def test_catalogue_ids_follow_the_convention() -> None:
    ids = [i for i, _ in CASES] + ["rc4-fill-warning-text-correct"]
    assert len(set(ids)) == len(ids)
    for i in ids:
        assert i.split("-")[0] in {"rc3", "rc4", "rc5", "rc6"}
        assert i.rsplit("-", 1)[1] in {"error", "correct"}
    assert np.all([("trace-names" in i) for i in ids if i.startswith("rc6")])
