"""Colony designs: seed numbers, GiB by hand, comparison invariants, overrides, bad input."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from colonykit import designs
from colonykit.errors import InputError, UnknownNameError

BYTES_PER_CYL = (
    12 * 15 * 4096
)  # 3390 4-KiB formatted: 12 blocks/track (180 slots/cyl, facts.md §2.1)
GIB = 2**30

SEEDS = {
    "dedicated": "seed 003",
    "zvm-shared-usr": "seed 003",
    "zvm-basevol-guestvol": "seed 000",
    "zvm-ro-root": "seed 001",
    "xen-nfs-root": "seed 002",
    "xen-shared-root-image": "seed 004",
}


def test_six_designs_each_tied_to_its_seed() -> None:
    assert designs.design_names() == list(SEEDS)
    for name, seed in SEEDS.items():
        d = designs.get_design(name)
        assert d.seed.startswith(seed), name
        assert seed in d.source or name == "dedicated" or name == "zvm-shared-usr"
        for p in d.parameters.values():
            assert p.source and p.confidence, (name, p.name)


def test_seed_numbers() -> None:
    base = designs.get_design("zvm-basevol-guestvol")
    comp = {c.id: c for c in base.components}
    assert (comp["basevol"].size_cyl, comp["basevol"].vdev, comp["basevol"].access) == (
        3338,
        "0201",
        "ro",
    )
    assert (comp["guestvol"].size_cyl, comp["guestvol"].vdev) == (150, "0202")
    assert (comp["swap"].kind, comp["swap"].vdev) == (
        "vdisk",
        "0200",
    )  # seed 000 guest: V-DISK 409600 blocks
    assert (
        "/var/lib/rpm" in base.ro_dirs and "/usr/local" in base.rw_dirs and "/etc" in base.rw_dirs
    )

    ro = designs.get_design("zvm-ro-root")
    comp = {c.id: c for c in ro.components}
    assert comp["root"].size_cyl == 3200 and comp["local"].size_cyl == 1119
    assert (comp["swap1"].size_mib, comp["swap2"].size_mib, comp["swap3"].size_cyl) == (
        64,
        128,
        550,
    )
    assert ro.vdisk_mib_per_guest == 192
    assert {"ipl_nss", "dcss_xip", "cmm"} <= set(ro.options)

    usr = designs.get_design("zvm-shared-usr")
    comp = {c.id: c for c in usr.components}
    assert comp["usr"].size_cyl == math.ceil(0.85 * 3338) == 2838  # seed 003 §10.5
    assert comp["root"].size_cyl == 3338 - 2838

    img = designs.get_design("xen-shared-root-image")
    comp = {c.id: c for c in img.components}
    assert comp["root"].shared and comp["root"].size_mib == 400 and comp["root"].access == "ro"
    assert not comp["pkg"].shared and not comp["local"].shared

    nfs = designs.get_design("xen-nfs-root")
    assert [c.kind for c in nfs.components] == ["nfs"] and nfs.platform == "xen"


def test_gib_by_hand() -> None:
    d = designs.get_design("zvm-basevol-guestvol")
    t = d.totals(10)
    assert t["shared_gib"] == pytest.approx(3338 * BYTES_PER_CYL / GIB)
    # seed 000 guest: swap is a 200 MB V-DISK (z/VM storage, not DASD): per guest only the 202 disk
    assert t["per_guest_gib"] == pytest.approx(150 * BYTES_PER_CYL / GIB)
    assert t["total_gib"] == pytest.approx((3338 + 10 * 150) * BYTES_PER_CYL / GIB)
    img = designs.get_design("xen-shared-root-image").totals(3)
    assert img["total_gib"] == pytest.approx((400 + 3 * (1024 + 256 + 64)) / 1024)


def test_comparison_saving_by_hand() -> None:
    f = designs.compare(100)
    ded = 100 * 3378
    expect = {
        "dedicated": 0.0,
        "zvm-shared-usr": 100 * (1 - (2838 + 100 * 540) / ded),
        "zvm-basevol-guestvol": 100 * (1 - (3338 + 100 * 150) / ded),
        "zvm-ro-root": 100 * (1 - (3360 + 100 * 1669) / ded),  # root + boot + rpm 0186
    }
    for name, pct in expect.items():
        assert f.loc[name, "saving_vs_dedicated_pct"] == pytest.approx(pct), name
    # Xen rows are in MiB: 100 × 2347 MiB vs dedicated bytes
    ded_mib = ded * BYTES_PER_CYL / 2**20
    assert f.loc["xen-nfs-root", "saving_vs_dedicated_pct"] == pytest.approx(
        100 * (1 - 100 * 2347 / ded_mib)
    )


@settings(max_examples=25)
@given(n=st.integers(1, 5000))
def test_comparison_invariants(n: int) -> None:
    f = designs.compare(n)
    assert (f["total_gib"] - (f["shared_gib"] + n * f["per_guest_gib"])).abs().max() < 1e-9
    assert (f["saving_vs_dedicated_pct"] < 100).all()
    assert f.loc["dedicated", "saving_vs_dedicated_pct"] == 0
    f2 = designs.compare(n + 1)
    # sharing pays more with every extra guest for designs whose per-guest disk is smaller
    cheaper = f["per_guest_gib"] < f.loc["dedicated", "per_guest_gib"]
    assert (
        f2.loc[cheaper, "saving_vs_dedicated_pct"]
        >= f.loc[cheaper, "saving_vs_dedicated_pct"] - 1e-9
    ).all()


def test_overrides() -> None:
    d = designs.get_design("zvm-basevol-guestvol", {"guestvol_cyl": 300})
    assert d.per_guest_cyl == 300  # swap is a V-DISK, not cylinders
    assert d.parameters["guestvol_cyl"].source == "input (override)"
    f = designs.compare(
        10, ["zvm-shared-usr"], overrides={"zvm-shared-usr": {"usr_share_frac": 0.5}}
    )
    assert f.loc["zvm-shared-usr", "shared_cyl"] == 1669


@pytest.mark.parametrize(
    "overrides",
    [
        {"nope_cyl": 1},
        {"guestvol_cyl": -5},
        {"guestvol_cyl": "big"},
        {"guestvol_cyl": float("nan")},
    ],
)
def test_bad_overrides(overrides: dict) -> None:
    with pytest.raises(InputError, match="design.overrides"):
        designs.get_design("zvm-basevol-guestvol", overrides)


def test_unknown_design_lists_valid() -> None:
    with pytest.raises(UnknownNameError, match="zvm-ro-root"):
        designs.get_design("zvm-rw-root")


def test_bad_guest_count() -> None:
    for n in (0, -1, 2.5, True):
        with pytest.raises(InputError, match="n_guests"):
            designs.compare(n)  # type: ignore[arg-type]


def test_user_designs_file(tmp_path) -> None:
    p = tmp_path / "mine.yaml"
    p.write_text(
        "designs:\n  tiny:\n    platform: zvm\n    seed: mine\n    parameters:\n"
        "      a_cyl: {value: 10, unit: cyl, source: me}\n    components:\n"
        "      - {id: r, role: root, kind: mdisk, shared: false, access: rw, vdev: '0100', "
        "size: {param: a_cyl}}\n  dedicated:\n    platform: zvm\n    parameters:\n"
        "      a_cyl: {value: 20, unit: cyl, source: me}\n    components:\n"
        "      - {id: r, role: root, kind: mdisk, shared: false, access: rw, vdev: '0100', "
        "size: {param: a_cyl}}\n"
    )
    f = designs.compare(4, path=p)
    assert f.loc["tiny", "saving_vs_dedicated_pct"] == pytest.approx(50.0)


def test_bad_designs_files(tmp_path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("designs: [unclosed\n")
    with pytest.raises(InputError, match="not valid YAML"):
        designs.load_designs_file(bad)
    flat = tmp_path / "flat.yaml"
    flat.write_text("- a\n- b\n")
    with pytest.raises(InputError, match="'designs'"):
        designs.load_designs_file(flat)
    with pytest.raises(InputError, match="not found"):
        designs.load_designs_file(tmp_path / "missing.yaml")
    wrong = tmp_path / "wrong.yaml"
    wrong.write_text(
        "designs:\n  x:\n    parameters: {a_cyl: {value: 1, source: s}}\n    components:\n"
        "      - {id: r, kind: floppy, size: {param: a_cyl}}\n"
        "      - {id: s, kind: mdisk, size: {param: b_cyl}}\n"
    )
    with pytest.raises(InputError) as exc:
        designs.get_design("x", path=wrong)
    assert len(exc.value.problems) == 2


def test_records_contract() -> None:
    recs = designs.comparison_records(designs.compare(26))
    assert [r["design"] for r in recs] == list(SEEDS)
    for r in recs:
        assert {
            "design",
            "shared_gib",
            "per_guest_gib",
            "total_gib",
            "saving_vs_dedicated_pct",
        } <= set(r)
        assert isinstance(r["total_gib"], float)
    assert (
        designs.design_summary(designs.get_design("zvm-ro-root"))["parameters"]["root_cyl"]["value"]
        == 3200
    )
