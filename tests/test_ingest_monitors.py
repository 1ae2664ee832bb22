"""sysstat (sadf -d, sar -A) and nmon readers, checked against the figures in PROVENANCE.md."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from colonykit.errors import InputError
from colonykit.ingest import read_nmon, read_sadf, read_sar

M = Path("data/monitor_samples")

# file, reader, host, samples, interval_s, busy mean %, busy max % — from PROVENANCE.md (computed by
# the data curator: 100 - %idle on all-CPU rows for sysstat, User% + Sys% on CPU_ALL for nmon).
CASES = [
    ("sadf-d_sun_2023-08-05.csv", read_sadf, "sun", 143, 600.0, 0.15, 1.25),
    ("sadf-d_profrouter_2020-05-02.csv", read_sadf, "profrouter", 146, 600.0, 0.34, 1.53),
    ("sar-A_centos7_48cpu_2016-03-28.txt", read_sar, "hostname.example.com", 36, 600.0, 0.03, 0.14),
    ("sar-A_rhel5_4cpu_2011-03-24.txt", read_sar, "apst.jp.omron.net", 128, 10.0, 0.78, 7.14),
    ("nmon_aix_aixlpar_2016-02-10.nmon", read_nmon, "aixlpar", 187, 300.0, 25.7, 79.7),
    ("nmon_centos66_oms_63_2015-11-10.nmon", read_nmon, "oms_63", 80, 60.0, 48.7, 73.8),
    ("nmon_fedora21_linux_2015-08-18.nmon", read_nmon, "linux", 47, 30.0, 29.0, 54.3),
    ("nmon_ubuntu1204_the-gibson_2012-12-07.nmon", read_nmon, "the-gibson", 120, 1.0, 15.0, 79.2),
]


@pytest.mark.parametrize(("name", "reader", "host", "n", "interval", "mean", "peak"), CASES)
def test_provenance_figures(name, reader, host, n, interval, mean, peak) -> None:
    frame, meta = reader(M / name)
    busy = frame[host]
    assert meta["host"] == host and meta["samples"] == n and len(frame) == n
    assert meta["interval_s"] == interval
    assert busy.mean() == pytest.approx(mean, abs=0.051)
    assert busy.max() == pytest.approx(peak, abs=0.0051)
    assert frame.attrs["unit"] == "cpu_pct" and str(frame.index.tz) == "UTC"


def test_sadf_first_row_by_hand() -> None:
    frame, _ = read_sadf(M / "sadf-d_sun_2023-08-05.csv")
    # line 2: sun;600;2023-08-04 22:10:01 UTC;-1;…;%idle 99.76 -> busy 0.24
    assert frame.index[0] == pd.Timestamp("2023-08-04T22:10:01Z")
    assert frame["sun"].iloc[0] == pytest.approx(0.24)


def test_nmon_first_snapshot_by_hand_and_tz() -> None:
    # ZZZZ,T0001,10:24:26,18-AUG-2015 ; CPU_ALL,T0001,14.5,5.5,0.4,79.6,0.0,,4 -> 14.5 + 5.5
    frame, meta = read_nmon(M / "nmon_fedora21_linux_2015-08-18.nmon", tz="Europe/Berlin")
    assert frame["linux"].iloc[0] == pytest.approx(20.0)
    assert frame.index[0] == pd.Timestamp("2015-08-18T08:24:26Z")  # CEST = UTC+2
    assert "Europe/Berlin" in meta["tz_assumption"]


def test_sar_old_column_set_first_row() -> None:
    # 17:01:09 all 0.07 0.00 0.10 0.02 0.00 99.80 -> busy 0.20
    frame, _ = read_sar(M / "sar-A_rhel5_4cpu_2011-03-24.txt")
    assert frame.index[0] == pd.Timestamp("2011-03-24T17:01:09Z")
    assert frame.iloc[0, 0] == pytest.approx(0.20)


def test_sar_12_hour_clock_and_midnight(tmp_path: Path) -> None:
    p = tmp_path / "sar.txt"
    p.write_text(
        "Linux 5.4 (box) \t01/02/2024 \t_x86_64_\t(2 CPU)\n\n"
        "11:50:01 PM  CPU  %user  %nice  %system  %iowait  %steal  %idle\n"
        "11:55:01 PM  all  10.00  0.00  5.00  0.00  0.00  85.00\n"
        "12:00:01 AM  all  1.00  0.00  1.00  0.00  0.00  98.00\n"
        "Average:     all  5.50  0.00  3.00  0.00  0.00  91.50\n"
    )
    frame, _ = read_sar(p)
    assert frame.index.tolist() == [
        pd.Timestamp("2024-01-02T23:55:01Z"),
        pd.Timestamp("2024-01-03T00:00:01Z"),
    ]
    assert frame["box"].tolist() == pytest.approx([15.0, 2.0])


@pytest.mark.parametrize(
    ("reader", "text", "pattern"),
    [
        (read_sadf, "", "empty"),
        (
            read_sadf,
            "# hostname;interval;timestamp;proc/s;cswch/s\nh;600;2024-01-01 00:00:00 UTC;1;2\n",
            "no CPU block",
        ),
        (read_nmon, "AAA,host,x\nZZZZ,T0001,00:00:00,01-JAN-2024\n", "no CPU_ALL"),
        (read_nmon, "not nmon\n", "not an nmon file"),
        (read_sar, "hello\n", "not a sar header"),
    ],
)
def test_bad_monitor_files(tmp_path: Path, reader, text: str, pattern: str) -> None:
    p = tmp_path / "f.txt"
    p.write_text(text)
    with pytest.raises(InputError, match=pattern):
        reader(p)


def test_sadf_bad_value_names_line(tmp_path: Path) -> None:
    p = tmp_path / "s.csv"
    p.write_text(
        "# hostname;interval;timestamp;CPU;%user;%nice;%system;%iowait;%steal;%idle\n"
        "h;600;2024-01-01 00:00:00 UTC;-1;1;0;1;0;0;98\n"
        "h;600;2024-01-01 00:10:00 UTC;-1;1;0;1;0;0;xx\n"
    )
    with pytest.raises(InputError, match=r"s\.csv line 3"):
        read_sadf(p)
    with pytest.raises(InputError, match="not found"):
        read_sadf(tmp_path / "missing.csv")
