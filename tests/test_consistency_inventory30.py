"""Issue 20 Done-when: the numbers-consistency checks on a 30-server spreadsheet-style inventory with
real nmon / sar captures (tests/data/inventory30/, PROVENANCE.md there).

Every number the dashboard headline and the report's executive summary (engines, white space,
memory, disks) show is one of the plan's, read from the plan result by ``story_numbers`` (the
same check as tests/test_story.py for the bundled examples); the PDF handout is checked in
tests/browser/test_handout_inventory30.py.
"""

from __future__ import annotations

import re
import warnings

import pytest
from story_numbers import numbers_in, plan_numbers

from colonykit import plan, report, widgets
from colonykit.ingest import read_inventory

HERE = "tests/data/inventory30"
SCENARIO = f"{HERE}/scenario.yaml"
TRACED = {
    "aixlpar",
    "oms_63",
    "linux",
    "the-gibson",
    "profrouter",
    "sun",
    "hostname.example.com",
    "apst.jp.omron.net",
}
ROWS = ("Engines", "Path to the engine count", "White space", "Memory and overcommit", "Disk")


@pytest.fixture(scope="module")
def model() -> widgets.ExplorerModel:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return widgets.ExplorerModel(SCENARIO)


def test_the_spreadsheet_reads_the_same_from_csv_and_xlsx() -> None:
    csv, _ = read_inventory(f"{HERE}/inventory.csv")
    xlsx, _ = read_inventory(f"{HERE}/inventory.xlsx")
    cols = ["server", "cores", "util_avg_pct", "util_peak_pct", "workload_class", "memory_mib"]
    assert csv[cols].equals(xlsx[cols])
    assert csv["disk_gib"].round(9).tolist() == xlsx["disk_gib"].round(9).tolist()
    assert len(csv) == 30 and (csv["count"] == 1).all()  # blank Qty = 1
    row = csv.set_index("server").loc["aixlpar"]
    assert row["memory_mib"] == 96 * 1024  # memory "96 GB" is GiB (issue 20 item 6)
    assert row["disk_gib"] == pytest.approx(4e12 / 2**30)  # disk "4 TB" stays decimal
    assert row["workload_class"] == "database"  # typed "Database"
    assert csv.set_index("server").loc["WEB01", "disk_gib"] == pytest.approx(36e9 / 2**30)


def test_eight_of_thirty_servers_are_traced(model: widgets.ExplorerModel) -> None:
    res = model.state.result
    conf = res.plan.evidence.confidence.values
    assert str(conf["traces_matched"]).split(": ", 1)[1].startswith("8 of 30 servers")
    assert {g.source_server for _h, g in res.plan.guests() if g.peak_mips is not None} >= TRACED
    # the report says how many of the servers in the composite are traced (issue 20 item 5)
    text = report.build_report(res)
    assert "8 of 30 servers traced" in text
    assert "30 traced servers" not in text


def test_every_number_of_the_headline_is_the_plans(model: widgets.ExplorerModel) -> None:
    res = model.state.result
    allowed = plan_numbers(res)
    shown = numbers_in(widgets.headline_html(model.state))
    stray = [n for n in shown if n not in allowed and n not in {"1", "2"}]
    assert shown and not stray, stray
    total = sum(h.capacity.cpus for h in res.plan.hosts)
    assert f"<span class='ck-engines-total'>{total}</span>" in widgets.headline_html(model.state)


def test_every_number_of_the_summary_rows_is_the_plans(model: widgets.ExplorerModel) -> None:
    res = model.state.result
    allowed = plan_numbers(res)
    text = report.build_report(res)
    summary = text[text.index('id="executive-summary"') :]
    rows = dict(re.findall(r"<tr><th>([^<]+)</th><td>(.*?)</td></tr>", summary, re.S))
    assert set(ROWS) <= set(rows)
    for name in ROWS:
        stray = [n for n in numbers_in(rows[name]) if n not in allowed and n not in {"1", "2"}]
        assert not stray, (name, stray, rows[name])
    # the disks: every volume model the plan uses is named with its count
    disk = re.sub(r"<[^>]+>", "", rows["Disk"])
    for m in ("3390-9", "3390-27", "3390-54", "3390-A", "EDEV"):
        assert f" × {m}" in disk, (m, disk)


def test_the_plan_of_the_spreadsheet_has_no_errors(model: widgets.ExplorerModel) -> None:
    res = model.state.result
    assert not [f for f in res.plan.findings if f.severity == "error"]
    codes = {f.code for f in plan.check_plan(res.plan)}
    assert "CK013" not in codes  # every extent inside its own volume model
