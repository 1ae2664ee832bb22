"""Memory figures pinned by hand (issue 27 §2: every column and total the memory result prints).

One LPAR worked out here line by line from the formulas in colonykit/memory.py's docstrings:
resident = working set − CMM − shared saving (NSS kernel + the DCSS pages a guest would hold
privately, at most the segment) + the VDISK swap footprint; totals × count of logged-on guests;
shared storage once; + MDC + CP.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from colonykit import memory
from colonykit.errors import InputError
from colonykit.memory import GuestMemory

APP = GuestMemory(
    "app",
    1024,
    count=3,
    working_set_mib=800,
    vdisk_mib=(100, 200),
    swap_mib=250,
    ramdisk_swap_mib=50,
    cmm_mib=100,
    nss=True,
    dcss=("usr",),
    dcss_private_mib=300,
)
DB = GuestMemory("db", 2048, count=2)
OFF = GuestMemory("off", 4096, count=5, nss=True, logged_on=False)


def _lpar(**kw: object) -> memory.MemoryResult:
    args: dict[str, object] = {
        "mdc_mib": 512,
        "cp_mib": 128,
        "shared_segments": {"usr": 256},
        "nss_kernel_mib": 2.0,
    }
    args.update(kw)
    real = float(args.pop("real_mib", 8192))  # type: ignore[arg-type]
    return memory.lpar_memory([APP, DB, OFF], real, **args)  # type: ignore[arg-type]


def test_lpar_memory_per_guest_columns_by_hand() -> None:
    g = _lpar().guests.set_index("name")
    # app: saving = min(NSS 2 + min(300 private, 256 segment), 800 − 100) = 258;
    # swap 250: 50 in the RAMdisk, 200 to the VDISKs 100 + 100 of 200 (both touched: 300)
    assert g["shared_saving_mib"].tolist() == [258.0, 0.0, 2.0]
    assert g["ramdisk_swap_used_mib"].tolist() == [50.0, 0.0, 0.0]
    assert g["vdisk_written_mib"].tolist() == [200.0, 0.0, 0.0]
    assert g["vdisk_touched_mib"].tolist() == [300.0, 0.0, 0.0]
    assert g["swap_overflow_mib"].tolist() == [0.0, 0.0, 0.0]
    assert g["vdisk_defined_mib"].tolist() == [300.0, 0.0, 0.0]
    # resident: app 800 − 100 − 258 + 200 written = 642; db 2048 (working set = virtual);
    # off 4096 − 2 = 4094 per guest, but logged off: 0 in the totals
    assert g["resident_mib"].tolist() == [642.0, 2048.0, 4094.0]
    assert g["working_set_mib"].tolist() == [800.0, 2048.0, 4096.0]
    assert g["virtual_total_mib"].tolist() == [3 * 1024.0, 2 * 2048.0, 0.0]
    assert g["resident_total_mib"].tolist() == [3 * 642.0, 2 * 2048.0, 0.0]


def test_lpar_memory_totals_by_hand() -> None:
    r = _lpar()
    assert r.shared_mib == 2.0 + 256.0  # NSS kernel once + the segment once
    assert r.virtual_total_mib == 3 * 1024 + 2 * 2048  # 7,168: logged-off guests not counted
    assert r.vdisk_total_mib == 3 * 300.0
    assert r.resident_total_mib == 3 * 642 + 2 * 2048 + 258 + 512 + 128  # 6,920
    assert r.overcommit_ratio == pytest.approx(7168 / 8192)
    assert r.max_memory_overcommit_ratio == 1.5
    assert r.guest_real_mib == 8192 - 512 - 128
    assert r.shortfall_mib == 0.0 and r.fits
    assert (r.real_mib, r.mdc_mib, r.cp_mib) == (8192.0, 512.0, 128.0)
    assert r.target_overcommit_ratio == 1.5 and r.zvm_kept_mib == 2048.0
    assert r.real_for_target_mib == pytest.approx(7168 / 1.5 + 2048)
    assert r.warnings == [] and r.placement_problems == []
    d = r.to_dict()
    assert d["resident_total_mib"] == 6920.0 and d["fits"] is True
    assert d["real_for_target_mib"] == pytest.approx(7168 / 1.5 + 2048)


def test_lpar_memory_touched_footprint_shortfall_and_overflow() -> None:
    touched = _lpar(vdisk_footprint="touched")
    assert touched.guests["resident_mib"].iloc[0] == 442.0 + 300.0  # every VDISK reached, in full
    assert touched.resident_total_mib == 6920 + 3 * 100
    with pytest.warns(UserWarning) as rec:
        short = _lpar(real_mib=6000)
    assert short.shortfall_mib == 920.0 and not short.fits
    assert short.overcommit_ratio == pytest.approx(7168 / 6000)
    assert any("exceeds real storage 6,000 MiB by 920 MiB" in str(w.message) for w in rec)
    big = GuestMemory("big", 1024, swap_mib=400, ramdisk_swap_mib=50, vdisk_mib=(300,))
    with pytest.warns(
        UserWarning, match="swap in use 400 MiB exceeds its RAMdisk and VDISK swap by 50 MiB"
    ):
        r = memory.lpar_memory([big], 4096)
    assert r.guests["swap_overflow_mib"].tolist() == [50.0]
    assert r.guests["vdisk_written_mib"].tolist() == [300.0]


def test_overcommit_warning_is_above_the_limit_not_at_it() -> None:
    g = [GuestMemory("g", 1024, count=7, working_set_mib=100)]
    at = memory.lpar_memory(g, 7168, max_memory_overcommit_ratio=1.0)
    assert at.overcommit_ratio == 1.0 and at.warnings == []
    with pytest.warns(UserWarning, match=r"memory overcommit 1\.02:1 .* exceeds the limit 1:1"):
        memory.lpar_memory(g, 7000, max_memory_overcommit_ratio=1.0)
    with pytest.raises(InputError, match="overcommit"):
        memory.lpar_memory(g, 7000, max_memory_overcommit_ratio=1.0, strict=True)
    never = memory.lpar_memory(g, 1024, max_memory_overcommit_ratio=math.inf)
    assert never.warnings == [] and never.overcommit_ratio == 7.0
    # an infinite target: real for the target is only what z/VM keeps
    assert never.real_for_target_mib == pytest.approx(2048.0)
    own = memory.lpar_memory(g, 7168, target_overcommit_ratio=2.0, zvm_kept_mib=1000)
    assert own.real_for_target_mib == pytest.approx(7168 / 2 + 1000)


def test_host_memory_by_hand() -> None:
    r = memory.host_memory(
        [1024, 2048],
        4096,
        guest_vdisk_mib=[100, 0],
        guest_swap_mib=[50, 0],
        working_set_frac=0.5,
        mdc_mib=256,
        zvm_kept_mib=1024,
        target_overcommit_ratio=2.0,
        max_memory_overcommit_ratio=3.0,
    )
    # working sets 512, 1024; guest 1 writes 50 MiB to its VDISK; CP = kept 1024 − MDC 256 = 768
    assert r.guests["resident_mib"].tolist() == [562.0, 1024.0]
    assert r.cp_mib == 768.0 and r.mdc_mib == 256.0
    assert r.resident_total_mib == 562 + 1024 + 256 + 768
    assert r.vdisk_total_mib == 100.0
    assert r.overcommit_ratio == pytest.approx(3072 / 4096)
    assert r.real_for_target_mib == pytest.approx(3072 / 2 + 1024)
    assert r.max_memory_overcommit_ratio == 3.0
    # MDC above what z/VM keeps: CP 0; a small LPAR: CP at most real − MDC
    assert memory.host_memory([1024], 4096, mdc_mib=256, zvm_kept_mib=100).cp_mib == 0.0
    small = memory.host_memory([100], 500, mdc_mib=256, zvm_kept_mib=2048)
    assert small.cp_mib == 244.0
    default = memory.host_memory([1024] * 2, 8192)
    assert default.resident_total_mib == 2048 + 2048  # frac 1.0, kept 2048 as CP, no MDC
    assert default.guests["vdisk_written_mib"].tolist() == [0.0, 0.0]
    assert memory.host_memory([], 4096).resident_total_mib == 2048.0


def test_memory_over_by_hand() -> None:
    g = GuestMemory("g", 1024, count=9, working_set_mib=400, nss=True)
    f = memory.memory_over(g, [0, 1, 10], 4096, mdc_mib=100, cp_mib=50, nss_kernel_mib=2.0)
    # per guest 400 − 2 = 398; the NSS kernel (2) once any guest runs; + MDC 100 + CP 50
    assert f["guests"].tolist() == [0, 1, 10]
    assert f["guests"].dtype == np.int64
    assert f["resident_total_mib"].tolist() == [150.0, 398 + 2 + 150.0, 3980 + 2 + 150.0]
    assert f["virtual_total_mib"].tolist() == [0.0, 1024.0, 10240.0]
    assert f["overcommit_ratio"].tolist() == [0.0, 0.25, 2.5]
    assert f["real_mib"].tolist() == [4096.0] * 3
    for bad in ([-1], [[1, 2]], [float("nan")]):
        with pytest.raises(InputError, match="counts"):
            memory.memory_over(g, bad, 4096)


def test_pure_functions_by_hand() -> None:
    assert memory.overcommit_ratio([1024, 2048], 2048) == 1.5
    assert memory.overcommit_ratio(3072, [1024, 2048]).tolist() == [3.0, 1.5]
    for bad in (0, -1, float("nan")):
        with pytest.raises(InputError, match="real_mib"):
            memory.overcommit_ratio(1024, bad)
    assert memory.vdisk_fill_mib([100, 200, 300], 250).tolist() == [100.0, 150.0, 0.0]
    assert memory.vdisk_fill_mib([100, 200], 1000).tolist() == [100.0, 200.0]
    assert memory.dcss_range_mib("F000-FFFF") == (240.0, 256.0)
    assert memory.dcss_range_mib(" 0-0 ") == (0.0, 4096 / 2**20)
    for bad in ("F000", "FFFF-F000", "G-1", "1-2-3"):
        with pytest.raises(InputError, match="DCSS page range"):
            memory.dcss_range_mib(bad)
    assert memory.real_storage_for_overcommit([1024] * 3) == pytest.approx(3072 / 1.5 + 2048)
    assert memory.real_storage_for_overcommit(3000, 3.0, 0.0) == 1000.0
    for kw in ({"target_ratio": 0.0}, {"zvm_kept_mib": -1.0}, {"target_ratio": math.inf}):
        with pytest.raises(InputError):
            memory.real_storage_for_overcommit(1024, **kw)  # type: ignore[arg-type]
    with pytest.raises(InputError, match="virtual_total_mib"):
        memory.real_storage_for_overcommit(-5.0)
    probs = memory.dcss_placement_problems([240, 240.5, 100], 240.0, ["a", "b", "c"], "S")
    assert len(probs) == 1 and probs[0].startswith("guest b: storage 240.5 MiB reaches into DCSS S")
    assert memory.dcss_placement_problems([300], 240.0)[0].startswith("guest #1:")


def test_dcss_by_page_range_is_sized_and_placed() -> None:
    g = [GuestMemory("a", 256, dcss=("tux",), dcss_private_mib=8)]
    with pytest.warns(UserWarning, match="reaches into DCSS tux at 240 MiB"):
        r = memory.lpar_memory(g, 4096, shared_segments={"tux": "F000-FFFF"})
    assert r.shared_mib == 16.0  # 240 .. 256 MiB
    assert r.guests["shared_saving_mib"].tolist() == [8.0]
    assert len(r.placement_problems) == 1
    for bad in ({"tux": 4096.0}, {"tux": -1.0}):
        with pytest.raises(InputError, match="shared_segments"):
            memory.lpar_memory(g, 4096, shared_segments=bad)


def test_edges_of_the_pure_functions() -> None:
    assert memory.overcommit_ratio(1, 0.5) == 2.0  # real storage below 1 MiB is still storage
    assert isinstance(memory.overcommit_ratio([512, 512], 1024), float)
    msg = memory.dcss_placement_problems([300], 240.0)[0]
    assert "reaches into DCSS DCSS at 240 MiB" in msg  # the default segment name
    assert msg.endswith("or move the segment above the guest's storage")
    at_edge = 240.0 + 1e-9  # within the 1e-9 MiB tolerance: not into the segment
    assert memory.dcss_placement_problems([at_edge], 240.0) == []


def test_host_memory_names_defaults_and_an_lpar_all_mdc() -> None:
    r = memory.host_memory([1024, 512], 8192)
    assert r.guests["name"].tolist() == ["guest1", "guest2"]
    assert (r.mdc_mib, r.cp_mib) == (0.0, 2048.0)  # no MDC: all that z/VM keeps is CP
    all_mdc = memory.host_memory([100], 256, mdc_mib=256)
    assert all_mdc.cp_mib == 0.0 and all_mdc.guest_real_mib == 0.0


def test_guest_validation_limits_and_rules() -> None:
    tiny = memory.lpar_memory([GuestMemory("tiny", 0.5)], 1024)  # half a MiB is a size
    assert tiny.virtual_total_mib == 0.5
    edge = GuestMemory("edge", 1024, working_set_mib=1024 + 1e-9)  # within the tolerance
    assert memory.lpar_memory([edge], 4096).guests["working_set_mib"].iloc[0] == 1024 + 1e-9
    with pytest.raises(InputError, match=r"'virtual_mib' must be > 0"):
        memory.lpar_memory([GuestMemory("zero", 0.0)], 1024)
    with pytest.raises(InputError, match=r"'count' must be a whole number >= 0"):
        memory.lpar_memory([GuestMemory("half", 512, count=1.5)], 1024)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("guest", "rule"),
    [
        (
            GuestMemory("g", 1024, working_set_mib=1024.5),
            "'working_set_mib' must be in 0..virtual_mib",
        ),
        (
            GuestMemory("g", 1024, ramdisk_swap_mib=2048),
            "'ramdisk_swap_mib' must be in 0..virtual_mib",
        ),
        (GuestMemory("g", 1024, cmm_mib=-1), "'cmm_mib' must be in 0..virtual_mib"),
        (GuestMemory("g", 1024, swap_mib=-1), "'swap_mib' must be >= 0"),
        (GuestMemory("g", 1024, dcss_private_mib=-1), "'dcss_private_mib' must be >= 0"),
    ],
)
def test_guest_rules_by_name(guest: GuestMemory, rule: str) -> None:
    with pytest.raises(InputError, match=rule):
        memory.lpar_memory([guest], 4096)


def test_guest_limits_are_inclusive() -> None:
    g = GuestMemory("g", 1024, ramdisk_swap_mib=1024, cmm_mib=1024)  # all of it: allowed
    r = memory.lpar_memory([g], 4096)
    assert r.guests["resident_mib"].tolist() == [0.0]  # 1,024 − 1,024 CMM


def test_guests_frame_from_a_table_fills_names_and_defaults() -> None:
    import pandas as pd

    table = pd.DataFrame({"virtual_mib": [512, 1024], "count": [2, 1]}, index=[5, 7])
    f = memory.guests_frame(table)
    assert f["name"].tolist() == ["guest1", "guest2"]
    assert f.index.tolist() == [0, 1] and "index" not in f.columns
    assert f["swap_mib"].tolist() == [0.0, 0.0]
    assert f["dcss_private_mib"].tolist() == [0.0, 0.0]
    assert f["vdisk_defined_mib"].tolist() == [0.0, 0.0]
    assert f["working_set_mib"].tolist() == [512.0, 1024.0]  # working_set_frac 1.0
    named = memory.guests_frame(pd.DataFrame({"name": ["web"], "virtual_mib": [256]}))
    assert named["name"].tolist() == ["web"]
    with pytest.raises(InputError, match="^guests: missing column 'virtual_mib'"):
        memory.guests_frame(pd.DataFrame({"name": ["x"]}))
    with pytest.raises(InputError, match="^invalid guest memory in guests: "):
        memory.guests_frame(pd.DataFrame({"virtual_mib": [-1]}))


def test_guests_frame_reads_table_cells() -> None:
    import pandas as pd

    f = memory.guests_frame(
        pd.DataFrame({"virtual_mib": [512] * 4, "nss": ["1", "yes", "TRUE", "0"]})
    )
    assert f["nss"].tolist() == [True, True, True, False]
    with pytest.raises(InputError, match="'swap_mib' must be >= 0 \\(got nan\\)"):
        memory.guests_frame(pd.DataFrame({"virtual_mib": [512], "swap_mib": ["n/a"]}))


def test_vdisks_of_guests_with_fewer_disks_are_padded_with_nothing() -> None:
    one = GuestMemory("one", 1024, vdisk_mib=(100,), swap_mib=150)
    two = GuestMemory("two", 1024, vdisk_mib=(100, 100), swap_mib=150)
    with pytest.warns(UserWarning, match="guest one: swap in use 150 MiB exceeds"):
        r = memory.lpar_memory([one, two], 8192)
    g = r.guests.set_index("name")
    assert g["vdisk_written_mib"].tolist() == [100.0, 150.0]
    assert g["swap_overflow_mib"].tolist() == [50.0, 0.0]
    assert g["vdisk_touched_mib"].tolist() == [100.0, 200.0]


def test_lpar_input_limits_are_inclusive_where_documented() -> None:
    g = [GuestMemory("g", 0.5)]
    assert memory.lpar_memory(g, 0.75).overcommit_ratio == pytest.approx(0.5 / 0.75)
    with pytest.warns(UserWarning):  # all of real storage as MDC: allowed, with a shortfall
        assert memory.lpar_memory(g, 1024, mdc_mib=1024).guest_real_mib == 0.0
    for name in ("mdc_mib", "cp_mib"):
        with pytest.raises(InputError, match=rf"'{name}' must be in 0..real_mib \(1024\)"):
            memory.lpar_memory(g, 1024, **{name: 2048})  # type: ignore[arg-type]
    with pytest.raises(InputError, match="max_memory_overcommit_ratio"):
        memory.lpar_memory(g, 1024, max_memory_overcommit_ratio=0.0)
    for size in (0.0, 0.5, 2048.0):  # 0 .. dcss_max_mib (2 GiB), both ends included
        r = memory.lpar_memory(
            [GuestMemory("g", 512, dcss=("s",))], 4096, shared_segments={"s": size}
        )
        assert r.shared_mib == size
    from colonykit.errors import UnknownNameError

    with pytest.raises(
        UnknownNameError,
        match=r"unknown shared segment 'zz'; expected one of \['usr'\] \(define its size in shared_segments\)",
    ):
        memory.lpar_memory([GuestMemory("g", 512, dcss=("zz",))], 1024, shared_segments={"usr": 10})


def test_shared_savings_capped_at_what_is_resident() -> None:
    # working set 100, CMM 90: only 10 MiB can be saved though NSS 2 + DCSS 50 would be 52
    g = GuestMemory(
        "g", 512, working_set_mib=100, cmm_mib=90, nss=True, dcss=("s",), dcss_private_mib=50
    )
    r = memory.lpar_memory([g], 4096, shared_segments={"s": 64}, nss_kernel_mib=2.0)
    assert r.guests["shared_saving_mib"].tolist() == [10.0]
    assert r.guests["resident_mib"].tolist() == [0.0]
    all_cmm = GuestMemory("h", 512, working_set_mib=100, cmm_mib=100, nss=True)
    assert memory.lpar_memory([all_cmm], 4096).guests["shared_saving_mib"].tolist() == [0.0]
    # a guest kind with count 0 uses nothing: no NSS kernel counted for it
    assert memory.lpar_memory([GuestMemory("z", 512, count=0, nss=True)], 4096).shared_mib == 0.0
    # half a MiB of swap on a VDISK touches that VDISK
    s = GuestMemory("s", 512, vdisk_mib=(100,), swap_mib=0.5)
    assert memory.lpar_memory([s], 4096).guests["vdisk_touched_mib"].tolist() == [100.0]


def test_small_shortfalls_and_overflows_still_warn() -> None:
    g = GuestMemory("g", 2048, working_set_mib=1024.5)
    with pytest.warns(UserWarning, match="exceeds real storage"):
        r = memory.lpar_memory([g], 1024)
    assert r.shortfall_mib == 0.5 and len(r.warnings) == 2  # + the overcommit 2:1
    s = GuestMemory("s", 512, vdisk_mib=(100,), swap_mib=100.5)
    with pytest.warns(UserWarning, match="exceeds its RAMdisk and VDISK swap by 0.5 MiB"):
        memory.lpar_memory([s], 4096)


def test_placement_problems_of_every_segment() -> None:
    g = GuestMemory("g", 300, dcss=("a", "b"))
    with pytest.warns(UserWarning):
        r = memory.lpar_memory(
            [g], 4096, shared_segments={"a": "F000-FFFF", "b": "E000-EFFF"}
        )  # a at 240 MiB, b at 224 MiB: 300 MiB reaches into both
    assert len(r.placement_problems) == 2
    assert "DCSS a at 240 MiB" in r.placement_problems[0]
    assert "DCSS b at 224 MiB" in r.placement_problems[1]


def test_guests_frame_reads_logged_on_cells_and_names_the_bad_vdisk_row() -> None:
    import pandas as pd

    f = memory.guests_frame(
        pd.DataFrame({"virtual_mib": [512] * 5, "logged_on": ["no", "yes", "0", "false", "NO"]})
    )
    assert f["logged_on"].tolist() == [False, True, False, False, False]
    with pytest.raises(InputError, match=r"'vdisk_mib' must be sizes >= 0 .* row 2"):
        memory.guests_frame(
            pd.DataFrame({"virtual_mib": [512, 512], "vdisk_mib": ["100", "-5;100"]})
        )
