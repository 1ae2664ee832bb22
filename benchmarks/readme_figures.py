"""Recompute README.md's figures of bundled data from the library and rewrite them in place.

``python benchmarks/readme_figures.py [README.md] [--check]`` (``make readme-figures``) replaces the
text between every ``<!--fig:NAME-->`` and the next ``<!--/fig-->`` in README.md with the figure
:data:`FIGURES` computes for NAME from the bundled data (``data/``), with the library's own
calls.  ``--check`` changes nothing and exits 1 listing every figure that differs (what
``tests/test_readme_figures.py`` asserts).  A marker whose NAME is not in :data:`FIGURES`, or a
figure with no marker in README, is an error: the README and this table stay one list.

The figures covered (issue 20 item 7): the bundled measured colony (``make run``,
``data/examples/bitbrains_colony.yaml``: sizing, white space, the plan's LPARs, storage, paging,
confidence, capacity plan and business case with ``data/examples/costs_example.yaml``), the bundled
PlanetLab day's white space and the design comparison for the 26 XYZ guests.  Figures of data not bundled (the 498/499-VM Bitbrains week, Azure, Google,
the IBM 2021 study, the 250-VM and 404-VM sets, the fitted forecast's backtest, which needs
statsmodels) are measured elsewhere and are not checked here.
"""

from __future__ import annotations

import functools
import re
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
MARK = re.compile(r"<!--fig:([a-z0-9_]+)-->(.*?)<!--/fig-->", re.S)

MAKE_RUN = "data/examples/bitbrains_colony.yaml"
PLANETLAB = "data/traces/planetlab_20110303"
XYZ_GUESTS = 26


# --------------------------------------------------------------------------- sources (cached)
@functools.cache
def _colony() -> Any:
    """The plan ``make run`` builds (bundled Bitbrains 50 VMs)."""
    from colonykit import plan

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return plan.build_plan(str(ROOT / MAKE_RUN))


@functools.cache
def _planetlab() -> Any:
    from colonykit import whitespace
    from colonykit.ingest import read_traces

    frame, _meta = read_traces(str(ROOT / PLANETLAB))
    return whitespace.analyze(frame)


@functools.cache
def _designs() -> Any:
    from colonykit import designs

    return designs.compare(XYZ_GUESTS)


def _sizing(key: str) -> float:
    return float(_colony().plan.evidence.sizing.values[key])


def _ws(key: str) -> float:
    return float(_colony().plan.evidence.white_space.values[key])


def _host_sum(get: Callable[[Any], float]) -> float:
    return float(sum(get(h) for h in _colony().plan.hosts))


def _exhaustion_step() -> Any:
    cp = _colony().capacity_plan
    return next(s for s in cp.steps if s.month == cp.exhaustion.month)


def _bc() -> Any:
    return _colony().business_case


def _signed(x: float, plus: bool = False) -> str:
    """One decimal with a typographic minus (README's style), ``+`` when asked."""
    text = f"{x:+.1f}" if plus else f"{x:.1f}"
    return text.replace("-", "−")


def _saving(design: str) -> str:
    return f"{float(_designs().loc[design, 'saving_vs_dedicated_pct']):.1f}"


# --------------------------------------------------------------------------- the figures
#: README figure name -> its text, computed from the bundled data.
FIGURES: dict[str, Callable[[], str]] = {
    # measured table, row "Bitbrains 50 VMs (bundled, `make run`)"
    "colony_servers": lambda: f"{sum(len(h.guests) for h in _colony().plan.hosts)}",
    "colony_sum_of_peaks_mips": lambda: f"{_sizing('sum_of_peaks_mips'):,.0f}",
    "colony_composite_peak_mips": lambda: f"{_sizing('composite_peak_mips'):,.0f}",
    "colony_saving_pct": lambda: f"{_ws('non_coincidence_saving_pct'):.1f}",
    "colony_white_space_pct": lambda: f"{_ws('white_space_pct'):.1f}",
    "colony_engines_peak": lambda: f"{_sizing('engines_peak'):.0f}",
    "colony_engines_composite": lambda: f"{_sizing('engines_composite'):.0f}",
    "colony_wlf_engines": lambda: f"{_colony().sizing.engines['typical']}",
    # white-space table, row "PlanetLab 2011-03-03, 1,052 VMs (cpu %)"
    "planetlab_sum_of_peaks": lambda: f"{_planetlab().sum_of_peaks:,.0f}",
    "planetlab_composite_peak": lambda: f"{_planetlab().composite_peak:,.0f}",
    "planetlab_saving_pct": lambda: f"{_planetlab().non_coincidence_saving_pct:.1f}",
    # limits table, "after" column of the bundled colony
    "colony_lpars_engines": lambda: (
        f"{len(_colony().plan.hosts)} / {_host_sum(lambda h: h.capacity.cpus):.0f}"
    ),
    "colony_real_gib": lambda: f"{_host_sum(lambda h: h.capacity.memory_gib):,.0f}",
    "colony_virtual_gib": lambda: (
        f"{_host_sum(lambda h: sum(g.memory_mib for g in h.guests)) / 1024:,.0f}"
    ),
    "colony_right_sized": lambda: (
        f"{int(_colony().plan.evidence.memory_measured.values['guests_right_sized'])}"
    ),
    "colony_paging": lambda: (
        f"{_host_sum(lambda h: h.capacity.paging_gib):,.0f} GiB on "
        f"{_host_sum(lambda h: h.capacity.paging_volumes):,.0f} volumes"
    ),
    "colony_engine_range": lambda: " / ".join(
        str(_colony().plan.evidence.confidence.values[f"engines_{b}"])
        for b in ("low", "typical", "high")
    ),
    # capacity plan of the bundled colony
    "colony_engines_now": lambda: (
        f"{_colony().capacity_plan.steps[0].engines_needed} of "
        f"{_colony().capacity_plan.steps[0].engines_installed}"
    ),
    "colony_exhaustion_month": lambda: f"{_colony().capacity_plan.exhaustion.month}",
    "colony_exhaustion_date": lambda: _colony().capacity_plan.exhaustion.date.isoformat(),
    "colony_exhaustion_engines": lambda: f"{_exhaustion_step().engines_needed}",
    "colony_exhaustion_gib": lambda: f"{_exhaustion_step().memory_needed_gib:,.0f}",
    "colony_upgrades": lambda: f"{len(_colony().capacity_plan.upgrades)}",
    "colony_engines_at_horizon": lambda: f"{_colony().capacity_plan.steps[-1].engines_needed}",
    # business case of the bundled colony with data/examples/costs_example.yaml
    "colony_cost_musd": lambda: f"{_bc().colony_cost_range['typical'] / 1e6:.1f}",
    "today_cost_musd": lambda: (
        f"{sum(sum(v) for v in _bc().today.by_component.values()) / 1e6:.1f}"
    ),
    "colony_npv_musd": lambda: _signed(_bc().npv / 1e6),
    "colony_npv_low_musd": lambda: _signed(_bc().npv_range["low"] / 1e6, plus=True),
    "today_licence_cores": lambda: f"{_bc().today.licence_cores[0]:.0f}",
    "colony_licence_cores": lambda: f"{_bc().colony.licence_cores[0]:.0f}",
    # design comparison, 26 XYZ guests
    "xyz_saving_basevol": lambda: _saving("zvm-basevol-guestvol"),
    "xyz_saving_shared_usr": lambda: _saving("zvm-shared-usr"),
    "xyz_saving_xen_shared_root": lambda: _saving("xen-shared-root-image"),
    "xyz_saving_ro_root": lambda: _saving("zvm-ro-root"),
    "xyz_saving_xen_nfs_root": lambda: _saving("xen-nfs-root"),
}


# --------------------------------------------------------------------------- rewrite / check
def compute(names: list[str] | None = None) -> dict[str, str]:
    """Every figure (or those named), computed from the bundled data."""
    return {k: FIGURES[k]() for k in (names if names is not None else list(FIGURES))}


def markers(text: str) -> dict[str, str]:
    """NAME -> the figure README shows between ``<!--fig:NAME-->`` and ``<!--/fig-->``."""
    out: dict[str, str] = {}
    for m in MARK.finditer(text):
        out.setdefault(m.group(1), m.group(2))
    return out


def problems(text: str, figures: dict[str, str]) -> list[str]:
    """Figures README shows that differ from ``figures``, unknown markers, figures without a marker."""
    shown = markers(text)
    out = [f"README marker fig:{k} is not a known figure" for k in shown if k not in figures]
    out += [f"figure {k} has no <!--fig:{k}--> marker in README" for k in figures if k not in shown]
    out += [
        f"fig:{k}: README shows {shown[k]!r}, the library computes {v!r}"
        for k, v in figures.items()
        if k in shown and shown[k] != v
    ]
    return out


def rewrite(text: str, figures: dict[str, str]) -> str:
    """``text`` with every known marker's figure replaced by ``figures[NAME]``."""
    return MARK.sub(
        lambda m: f"<!--fig:{m.group(1)}-->{figures.get(m.group(1), m.group(2))}<!--/fig-->", text
    )


def main(argv: list[str]) -> int:
    """Rewrite README in place (or ``--check``: report differences, exit 1 if any)."""
    check = "--check" in argv
    paths = [a for a in argv if not a.startswith("--")]
    readme = Path(paths[0]) if paths else README
    text = readme.read_text(encoding="utf-8")
    figures = compute()
    found = problems(text, figures)
    if check:
        print("\n".join(found) or f"{readme}: {len(figures)} figures up to date")
        return 1 if found else 0
    unknown = [p for p in found if "is not a known figure" in p or "has no" in p]
    if unknown:
        print("\n".join(unknown), file=sys.stderr)
        return 1
    new = rewrite(text, figures)
    if new != text:
        readme.write_text(new, encoding="utf-8")
    print(f"{readme}: {len(found)} figure(s) rewritten of {len(figures)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
