"""The business case on a plan: scenario section, plan document, CLI costs/compare, report, saved scenarios."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from colonykit import export, plots, report
from colonykit.cli import main
from colonykit.plan import build_plan, load_scenario
from colonykit.plan import business as bz
from colonykit.plan import compare as cz

BB = "data/examples/bitbrains_colony.yaml"
RO = "data/examples/bitbrains_colony_ro_root.yaml"
XYZ = "data/examples/scenario.yaml"

#: The JSON keys issue 22 fixes for ``colonykit costs --format json``.
FIXED_KEYS = {
    "horizon_years",
    "currency",
    "discount_pct",
    "years",
    "npv",
    "payback_months",
    "licence_cores_today",
    "licence_cores_colony",
    "energy_kwh_today",
    "energy_kwh_colony",
    "co2e_t_today",
    "co2e_t_colony",
    "range",
    "sensitivity",
    "example_prices_used",
}


@pytest.fixture(scope="module")
def bb():
    # the plan as built: the example's growth: section (issue 21) left out, so year 1 is today
    scen = load_scenario(BB)
    return build_plan(scen.model_copy(update={"growth": None}))


def test_example_business_case_buys_the_capacity_plans_upgrades():
    grown = build_plan(BB)
    cap, res = grown.capacity_plan, grown.business_case
    assert cap is not None and res is not None and cap.upgrades
    # every typical upgrade is bought (policy 'upgrade') at the IFL price, the only priced hardware
    engines = sum(h.capacity.cpus for h in grown.plan.hosts) + sum(
        u.add_engines for u in cap.upgrades
    )
    assert sum(res.colony.by_component["hardware"]) == pytest.approx(engines * 95_000)
    assert grown.plan.business_case is not None
    assert grown.plan.business_case.npv == pytest.approx(round(res.npv, 2))


def test_example_business_case_is_traceable(bb):
    res = bb.business_case
    assert res is not None
    assert res.headline.startswith("EXAMPLE PRICES")
    # today: 50 VMs, 251 cores (4 without a core count counted as 1); Oracle x86 factor 0.5
    # rounded up per server; the colony: the plan's IFLs at factor 1.0
    assert res.today.licence_cores[0] == 251
    ifls = sum(h.capacity.cpus for h in bb.plan.hosts)
    assert ifls == bb.plan.evidence.sizing.values["engines_composite"]  # 1 LPAR: the composite's
    assert res.colony.licence_cores[0] == ifls
    assert res.today.licence_units["oracle-database-ee"][0] == 138
    assert res.colony.licence_units["oracle-database-ee"][0] == ifls
    # year-1 colony hardware = the IFLs x 95000 (the only priced hardware input)
    assert res.colony.by_component["hardware"][0] == ifls * 95_000
    # support: 22 % of 47500 per licence and year
    assert res.today.by_component["software"][0] == pytest.approx(138 * 0.22 * 47_500)
    every = {s.name for s in res.sources}
    assert {"colony_ifl_price", "kwh_price", "colony_machine_price"} <= every
    assert "colony_machine_price" in res.unpriced
    assert res.energy_kwh_colony is None  # frame power is a planner input, not given
    assert res.energy_kwh_today == pytest.approx(50 * 0.251 * 8760 * 1.9)


def test_plan_document_section_round_trips_and_is_deterministic(bb):
    doc = bb.plan.business_case
    assert doc is not None and doc.first_line.startswith("EXAMPLE PRICES")
    text = export.plan_to_yaml(bb.plan)
    back = export.load_plan_text(text)
    assert back.business_case == doc
    again = build_plan(load_scenario(BB).model_copy(update={"growth": None}), stagger_traces=False)
    assert again.plan.business_case == doc
    assert export.plan_to_yaml(again.plan) == text


def test_the_shipped_schema_has_the_section():
    assert "business_case" in export.shipped_schema()["properties"]
    assert export.schema_text() == export.SCHEMA_FILE.read_text(encoding="utf-8")


def test_no_costs_section_no_business_case():
    r = build_plan(XYZ)
    assert r.business_case is None and r.plan.business_case is None
    assert "business_case" not in export.plan_to_dict(r.plan)


def test_cli_costs_json_has_the_fixed_keys(capsys):
    assert main(["costs", BB, "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert FIXED_KEYS <= set(out)
    assert out["example_prices_used"] and out["first_line"].startswith("EXAMPLE PRICES")
    y1 = out["years"][0]
    assert set(y1) == {"year", "today", "colony", "savings"} and y1["year"] == 1
    assert y1["savings"]["hardware"] == y1["today"]["hardware"] - y1["colony"]["hardware"]
    assert set(out["range"]) == {"low", "typical", "high"}
    assert out["range"]["typical"] == out["npv"]
    assert {s["input"] for s in out["sensitivity"]} == {
        "kwh_price",
        "discount_pct",
        "pue",
        "colony_ifl_price",
    }


def test_cli_costs_table_starts_with_the_example_line(capsys):
    assert main(["costs", BB]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("EXAMPLE PRICES")
    grown = build_plan(BB)
    cap = grown.capacity_plan
    # year 1's colony licences: the engines installed plus the upgrades ordered in year 1
    year1 = sum(h.capacity.cpus for h in grown.plan.hosts) + sum(
        u.add_engines for u in cap.upgrades if (u.order_by - cap.start).days < 365
    )
    assert grown.business_case.colony.licence_cores[0] == year1
    today = grown.business_case.today.licence_cores[0]
    assert f"licence cores: today {today:,.4g} -> colony {year1}" in out


def test_cli_costs_without_costs_section_exits_2(capsys):
    assert main(["costs", XYZ]) == 2
    assert "no 'costs:' section" in capsys.readouterr().err


def test_cli_compare_two_designs(capsys, tmp_path):
    assert main(["compare", BB, RO, "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["first_line"].startswith("EXAMPLE PRICES")
    a, b = out["scenarios"]
    assert (a["name"], b["name"]) == ("bitbrains-measured-colony", "bitbrains-ro-root")
    assert a["engines_peak"] >= a["engines_composite"]
    # both share the example's growth: section: the capacity plan's exhaustion date (issue 21)
    assert a["exhaustion_date"] == build_plan(BB).capacity_plan.exhaustion.date.isoformat()
    assert a["disk_gib"] != b["disk_gib"]  # the designs differ in disk
    assert main(["compare", BB, RO, "--format", "xlsx", "--out", str(tmp_path / "c.xlsx")]) == 0
    assert capsys.readouterr().out.splitlines()[1] == f"wrote {tmp_path / 'c.xlsx'}"
    ws = openpyxl.load_workbook(tmp_path / "c.xlsx")["compare"]
    assert str(ws["A2"].value).startswith("EXAMPLE PRICES")
    assert main(["compare", BB, RO]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].startswith("EXAMPLE PRICES")
    assert table[1].split() == ["bitbrains-measured-colony", "bitbrains-ro-root"]
    assert any(line.startswith("licence_cores_colony") for line in table)


def test_cli_compare_needs_two(capsys):
    assert main(["compare", BB]) == 2


def test_compare_reads_the_exhaustion_of_a_capacity_plan():
    import datetime as dt
    from types import SimpleNamespace

    cp = SimpleNamespace(
        start=dt.date(2027, 1, 1),
        horizon_months=36,
        steps=(),
        exhaustion=SimpleNamespace(month=20, date=dt.date(2028, 9, 1), reason="engines"),
        upgrades=(),
        upgrades_by_bound={},
    )
    c = cz.compare_scenarios([XYZ, BB], capacity_plans=[None, cp])
    assert c.columns[1].exhaustion_date == dt.date(2028, 9, 1)
    assert c.columns[0].exhaustion_date is None


def test_costs_file_and_inline_override(tmp_path):
    scen = load_scenario(BB)
    sec = bz.costs_section(scen)
    assert sec is not None and sec.example_prices and sec.software[0].vendor == "oracle"
    data = (
        Path(BB)
        .read_text()
        .replace("  file: costs_example.yaml", "  file: costs_example.yaml\n  discount_pct: 3")
    )
    p = Path("data/examples") / "_tmp_override_test.yaml"
    try:
        p.write_text(data)
        assert bz.costs_section(load_scenario(p)).discount_pct == 3
    finally:
        p.unlink()


def test_report_section_figures_and_workbook(bb, tmp_path):
    html = report.business_case_section(bb)
    assert html.startswith("<p class='first-line'><b>EXAMPLE PRICES")
    assert "Licence cores: 251 today" in html
    assert report.business_case_section(build_plan(XYZ)) == ""
    assert plots.cash_flow(bb.business_case).layout.title.text.startswith("EXAMPLE PRICES")
    tor = plots.tornado(bb.business_case)
    assert list(tor.data[0].y) == [s.input for s in bb.business_case.sensitivity][::-1]
    full = report.build_report(bb)
    assert 'id="business-case"' in full
    out = report.write_xlsx(bb, tmp_path / "t.xlsx")
    wb = openpyxl.load_workbook(out)
    assert {"business_case", "cost_inputs"} <= set(wb.sheetnames)
    assert str(wb["business_case"]["A2"].value).startswith("EXAMPLE PRICES")


def test_save_and_compare_named_scenarios(tmp_path):
    scen = load_scenario(XYZ)
    path = bz.save_scenario(scen, "xyz-one", tmp_path)
    assert path.name == "xyz-one.yaml"
    bz.save_scenario(load_scenario(BB), "bb", tmp_path)
    assert [p.stem for p in bz.saved_scenarios(tmp_path)] == ["bb", "xyz-one"]
    c = cz.compare_saved(tmp_path)
    assert [col.name for col in c.columns] == ["bb", "xyz-one"]
    assert c.columns[0].npv == pytest.approx(build_plan(BB).business_case.npv)
    with pytest.raises(ValueError, match="name"):
        bz.save_scenario(scen, "../evil", tmp_path)


@pytest.mark.parametrize(
    ("costs_text", "message"),
    [
        ("costs:\n  file: nowhere.yaml\n", "costs.file"),
        ("costs:\n  kwh_pryce: 0.1\n", "kwh_pryce"),
        ("costs:\n  uncertain:\n    colony_ifl_price: [9, 1]\n", "colony_ifl_price"),
        ("costs:\n  uncertain:\n    colony_machine_price: null\n", "no low/high"),
        ("costs:\n  colony:\n    purchase_policy: lease\n", "purchase_policy"),
    ],
)
def test_bad_costs_section_exits_2_naming_the_field(tmp_path, capsys, costs_text, message):
    text = (
        Path(XYZ)
        .read_text()
        .replace("xyz_inventory.csv", str(Path(XYZ).parent.resolve() / "xyz_inventory.csv"))
    )
    p = tmp_path / "s.yaml"
    p.write_text(text + costs_text)
    assert main(["costs", str(p)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error:") and message in err


@pytest.mark.parametrize(
    ("name", "key"), [("costs", "colony_ifl_price"), ("core-factors", "oracle:x86")]
)
def test_catalog_lists_the_cost_tables_with_sources(capsys, name, key):
    assert main(["catalog", name, "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)["rows"]
    row = next(r for r in rows if key in r.values())
    assert row["source"] and row["confidence"]
