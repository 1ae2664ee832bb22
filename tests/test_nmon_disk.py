"""Issue 23 item 6: nmon disk counters (DISKXFER, DISKREAD, DISKWRITE) as the measured I/O series.

Expected values are recomputed here with the csv module straight from the bundled nmon files
(data/monitor_samples/PROVENANCE.md), the physical whole disks picked by hand from each header.
"""

from __future__ import annotations

import csv

import numpy as np
import pandas as pd
import pytest

from colonykit.errors import InputError
from colonykit.ingest import read_traces
from colonykit.ingest.io_series import physical_disks, read_nmon_disk, read_nmon_io
from colonykit.ingest.monitors import read_nmon

S = "data/monitor_samples/"
#: file -> the physical whole disks of its DISK header, by hand (partitions sdX1, dm-N, mdN out)
FILES = {
    "nmon_centos66_oms_63_2015-11-10.nmon": ["sda"],
    "nmon_fedora21_linux_2015-08-18.nmon": ["sda", "sdb"],
    "nmon_ubuntu1204_the-gibson_2012-12-07.nmon": ["sda", "sdb", "sdc", "sdd", "sde"],
    "nmon_aix_aixlpar_2016-02-10.nmon": [f"hdisk{i}" for i in (6, 2, 1, 5, 4, 3, 8, 7)],
}


def _by_hand(name: str, tag: str) -> dict[str, float]:
    """Snapshot (T0001 …) -> the sum of ``tag`` over the hand-picked disks."""
    head: list[str] = []
    out: dict[str, float] = {}
    with open(S + name, newline="", encoding="utf-8", errors="replace") as fh:
        for row in csv.reader(fh):
            if not row or row[0] != tag:
                continue
            if not row[1].startswith("T"):
                head = [h.strip() for h in row[2:]]
                continue
            cells = dict(zip(head, row[2:], strict=False))
            out[row[1]] = sum(float(cells[d]) for d in FILES[name] if cells.get(d, "") != "")
    return out


@pytest.mark.parametrize("name", sorted(FILES))
def test_transfers_and_kb_per_s_equal_the_file(name) -> None:
    frame, meta = read_nmon_disk(S + name)
    assert meta["disks"] == FILES[name]
    for tag, col in (
        ("DISKXFER", "xfer_per_s"),
        ("DISKREAD", "read_kb_per_s"),
        ("DISKWRITE", "write_kb_per_s"),
    ):
        want = _by_hand(name, tag)
        assert len(frame) == len(want)
        np.testing.assert_allclose(frame[col].to_numpy(), list(want.values()), atol=1e-9)


def test_first_snapshots_by_hand() -> None:
    # CentOS: DISKXFER,T0001,2.0,0.0,0.0,1.9,6.1 -> sda only = 2.0 at ZZZZ,T0001,00:06:57,10-NOV-2015
    f, m = read_nmon_io(S + "nmon_centos66_oms_63_2015-11-10.nmon")
    assert f.attrs["unit"] == "io_per_s" and f.iloc[0, 0] == pytest.approx(2.0)
    assert f.index[0] == pd.Timestamp("2015-11-10 00:06:57", tz="UTC")
    assert m["interval_s"] == 60.0 and m["left_out"] == ["sda1", "sda2", "sda3", "dm-0"]
    assert m["read_kb_per_s_mean"] == pytest.approx(
        np.mean(list(_by_hand("nmon_centos66_oms_63_2015-11-10.nmon", "DISKREAD").values()))
    )
    # Fedora T0001: sda 23.1 + sdb 273.2 (sda2, sdb1, dm-0, dm-2, dm-6 are the same transfers)
    f, _ = read_nmon_io(S + "nmon_fedora21_linux_2015-08-18.nmon")
    assert f.iloc[0, 0] == pytest.approx(23.1 + 273.2)
    # AIX T0001: 0.1 + 0.6 + 2.2 + 4.4 + 1.1 + 1.0 + 45.1 + 43.8 over the 8 hdisks
    f, _ = read_nmon_io(S + "nmon_aix_aixlpar_2016-02-10.nmon")
    assert f.iloc[0, 0] == pytest.approx(98.3)


def test_read_nmon_and_read_traces_io_branch() -> None:
    path = S + "nmon_ubuntu1204_the-gibson_2012-12-07.nmon"
    f, m = read_nmon(path, metric="io")
    assert f.attrs["unit"] == "io_per_s" and m["busy_rule"].startswith("DISKXFER")
    g, _ = read_traces(path, metric="io")
    assert g.attrs["unit"] == "io_per_s"
    want = _by_hand("nmon_ubuntu1204_the-gibson_2012-12-07.nmon", "DISKXFER")
    # on the 1-s grid (6 missing seconds filled by read_traces): the snapshots keep their values
    got = g.iloc[:, 0].reindex(pd.DatetimeIndex(f.index).as_unit("ns")).to_numpy()
    np.testing.assert_allclose(got, list(want.values()), atol=1e-9)
    # the CPU reading is untouched
    cpu, _ = read_nmon(path)
    assert not np.allclose(cpu.to_numpy()[:, 0], f.to_numpy()[: len(cpu), 0])


def test_partitions_and_stacked_devices() -> None:
    names = ["sda", "sda1", "sdb", "dasda", "dasda1", "nvme0n1", "nvme0n1p2", "md0", "loop0"]
    assert physical_disks(names) == [True, False, True, True, False, True, False, False, False]
    # AIX: hdisk10 does not extend hdisk1 (a digit base needs 'p'); a lone sdc5 is a disk
    assert physical_disks(["hdisk1", "hdisk10", "sdc5"]) == [True, True, True]


def test_no_diskxfer_is_an_input_error(tmp_path) -> None:
    lines = open(S + "nmon_centos66_oms_63_2015-11-10.nmon", encoding="utf-8").read().splitlines()
    p = tmp_path / "x.nmon"
    p.write_text("\n".join(x for x in lines if not x.startswith("DISKXFER,")) + "\n")
    with pytest.raises(InputError, match="no DISKXFER block"):
        read_nmon_io(p)


def test_plan_splits_io_by_nmon_disk_transfers(tmp_path) -> None:
    """Two real nmon captures as the colony's traces: each LPAR's I/O share follows DISKXFER."""
    import shutil
    import warnings

    from colonykit import plan
    from colonykit.ingest import read_inventory
    from colonykit.ingest.join import join_traces

    aix, oms = "nmon_aix_aixlpar_2016-02-10.nmon", "nmon_centos66_oms_63_2015-11-10.nmon"
    traces = tmp_path / "nmon"
    traces.mkdir()
    for name in (aix, oms):
        shutil.copy(S + name, traces / name)
    inv = tmp_path / "inv.csv"
    inv.write_text(
        "server,role,capacity,capacity_unit,cores,util_avg_pct,util_peak_pct,workload_class,"
        "memory_mib,disk_gib,count\n"
        "oms_63,app,2600,mhz_per_core,8,40,70,mixed,4096,10,1\n"
        "aixlpar,db,2500,mhz_per_core,4,30,50,mixed,4096,10,1\n"
    )
    data = plan.load_scenario("data/examples/scenario.yaml").model_dump()
    data["inventory"] = str(inv)
    data["target"].update(hosts=2, memory_gib_per_host=None)  # the scenario's io: 54 I/O per s
    data["guests"]["anti_affinity"] = [["oms_63", "aixlpar"]]
    data["traces"] = {"path": str(traces), "align": "time-of-day", "min_overlap_h": 1}
    s = plan.parse_scenario(data, "scenario.yaml", "data/examples")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = plan.build_plan(s)  # 2 fixed LPARs: the first engine counts hold neither server alone
    share = {h.guests[0].source_server: h.io.io_rate_per_s for h in r.plan.hosts}
    assert sum(share.values()) == pytest.approx(54.0)
    assert "measured disk I/O" in str(r.plan.evidence.channels.values["io_split"])
    # the split is the servers' mean joined I/O series (the plan's own join, read again here)
    i, _ = read_inventory(inv)
    mean = join_traces(i, traces, metric="io", align="time-of-day", min_overlap_h=1).frame.mean()
    assert share["aixlpar"] == pytest.approx(54 * mean["aixlpar"] / mean.sum())
    # by hand from the files: DISKXFER means 120.0 (AIX, 8 hdisks) vs 0.985 (CentOS, sda):
    # the AIX LPAR does > 99 % of the I/O
    raw = {n: np.mean(list(_by_hand(n, "DISKXFER").values())) for n in (aix, oms)}
    assert raw[aix] == pytest.approx(119.997, abs=1e-3) and raw[oms] == pytest.approx(0.985)
    assert share["aixlpar"] / 54 > 0.99
