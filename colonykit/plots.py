"""Plotly figure builders for colonykit result objects; they draw, they never compute.

Every number on a chart comes from a field of a library result object
(:class:`~colonykit.sizing.SizingResult`, :class:`~colonykit.whitespace.WhiteSpaceResult`,
:class:`~colonykit.staggering.StaggerResult`, :class:`~colonykit.packing.PackingResult`,
:class:`~colonykit.memory.MemoryResult`, :class:`~colonykit.paging.PagingResult`,
:class:`~colonykit.channels.ChannelResult`, the frames of :func:`colonykit.channels.response_curve`
and :func:`colonykit.designs.compare`, and :class:`~colonykit.plan.ColonyPlanResult`), and the
frames the notebooks tabulate (:func:`colonykit.paging.compare_rules_over`,
:func:`colonykit.memory.memory_over`, :func:`colonykit.channels.chained_io_effect`,
:func:`colonykit.mdc.mdc_tradeoff`, :func:`colonykit.mdc.calibrate_table_8_2`).
The only arithmetic here is unit conversion for display (MiB → GiB), the constant
lines that repeat one result value along an axis, and the extent of the diagonal
``predicted = measured`` of :func:`mdc_calibration`.

Colours are the Okabe–Ito colour-blind-safe palette; axis titles carry units; hover
text shows the numbers.

Examples
--------
>>> from colonykit import plots, sizing
>>> from colonykit.ingest import read_inventory
>>> inv, _ = read_inventory("data/examples/xyz_inventory.csv")
>>> fig = plots.sizing_range(sizing.size_inventory(inv, "z15"))
>>> [t.name for t in fig.data]
['low', 'typical', 'high']
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from colonykit import reference
from colonykit._arrays import to_int
from colonykit.errors import InputError, must_be
from colonykit.units import MIB_PER_GIB

if TYPE_CHECKING:
    from colonykit.plan import ColonyPlan, ColonyPlanResult

#: Okabe & Ito (2008) colour-blind-safe palette.
OKABE_ITO: dict[str, str] = {
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "black": "#000000",
}
PALETTE: list[str] = [
    OKABE_ITO[k]
    for k in (
        "blue",
        "orange",
        "bluish_green",
        "vermillion",
        "sky_blue",
        "reddish_purple",
        "yellow",
        "black",
    )
]
#: Series colours that never clash with the fixed real-storage (black) and paging (orange) bars.
SERIES_COLOURS: list[str] = [
    OKABE_ITO[k]
    for k in ("blue", "sky_blue", "bluish_green", "reddish_purple", "vermillion", "yellow")
]
#: Guest colours of :func:`memory_breakdown` (shared, MDC, CP and real storage have their own).
MEMORY_GUEST_COLOURS: list[str] = [
    OKABE_ITO[k] for k in ("blue", "sky_blue", "vermillion", "yellow")
]
#: Colour of each sizing bound (low / typical / high).
BOUND_COLOURS: dict[str, str] = {
    "low": OKABE_ITO["sky_blue"],
    "typical": OKABE_ITO["blue"],
    "high": OKABE_ITO["vermillion"],
}
BOUNDS: tuple[str, str, str] = ("low", "typical", "high")
UNIT_LABELS: dict[str, str] = {
    "cpu_pct": "CPU [% of one server]",
    "mips": "demand [MIPS]",
    "cpu_mhz": "demand [MHz]",
    "": "demand",
}
#: Largest number of per-host panels :func:`packing_hosts` draws.
MAX_HOST_PANELS = 8


#: A light, white template built once (plotly's named templates cost ~20 ms per figure).
TEMPLATE: dict[str, Any] = {
    "layout": {
        "plot_bgcolor": "white",
        "paper_bgcolor": "white",
        "font": {"family": "Arial, sans-serif", "size": 12},
        "xaxis": {"gridcolor": "#EBEBEB", "linecolor": "#BBBBBB", "zerolinecolor": "#BBBBBB"},
        "yaxis": {"gridcolor": "#EBEBEB", "linecolor": "#BBBBBB", "zerolinecolor": "#BBBBBB"},
    }
}


#: Servers a chart names one by one (the largest); the rest are one "others" entry, so that a
#: 50- or 1,000-server colony keeps a legend and an axis a reader can use.
TOP_SERVERS = 12


def _figure(data: Any = None) -> go.Figure:
    """A new figure with :data:`TEMPLATE` (set at construction: no default template applied)."""
    return go.Figure(data=data, layout={"template": TEMPLATE})


def _layout(fig: go.Figure, title: str, **kw: Any) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0.01},
        colorway=PALETTE,
        hovermode="closest",
        legend={"orientation": "h", "y": -0.18},
        margin={"l": 70, "r": 20, "t": 60, "b": 60},
        **kw,
    )
    return fig


def _unit_label(unit: str) -> str:
    return UNIT_LABELS.get(unit, f"demand [{unit}]")


def _time_axis(index: pd.Index, interval_s: float | None) -> tuple[Any, str]:
    """x values and axis title of a trace index: timestamps as they are, sample numbers as elapsed hours.

    A trace without timestamps (PlanetLab, Bitbrains) is numbered in samples of ``interval_s``
    seconds (``trace_step_s`` in ``constants_whitespace.csv`` when the trace does not say):
    the axis shows the elapsed time since the first sample, in hours, never "step".
    """
    if isinstance(index, pd.DatetimeIndex):
        return index, "time [UTC]"
    step_s = float(interval_s) if interval_s else float(reference.constant("trace_step_s"))
    pos = np.asarray(index, dtype=float)
    hours = (pos - (pos[0] if len(pos) else 0.0)) * step_s / 3600.0
    return hours, f"elapsed time since the first sample [h] ({step_s:g} s per sample)"


def _interval_of(result: Any, series: Any) -> float | None:
    value = getattr(result, "interval_s", None) or getattr(series, "attrs", {}).get("interval_s")
    return float(value) if value else None


def _require_columns(frame: pd.DataFrame, required: set[str], what: str) -> None:
    if not isinstance(frame, pd.DataFrame) or not required <= set(frame.columns):
        msg = f"frame must have the columns {sorted(required)} ({what})"
        raise InputError(msg)


def _curves(
    fig: go.Figure,
    frames: Mapping[str, pd.DataFrame],
    x: str,
    y: str,
    *,
    hover: str,
    what: str,
    mode: str = "lines",
    shape: str = "linear",
) -> go.Figure:
    """One line per entry of ``frames`` (key = legend name), drawn from the columns ``x`` and ``y``."""
    if not frames:
        msg = f"nothing to draw: give at least one frame ({what})"
        raise InputError(msg)
    for j, (name, part) in enumerate(frames.items()):
        _require_columns(part, {x, y}, what)
        fig.add_scatter(
            x=part[x].to_numpy(dtype=float),
            y=part[y].to_numpy(dtype=float),
            mode=mode,
            name=str(name),
            line={"color": PALETTE[j % len(PALETTE)], "shape": shape},
            hovertemplate=f"{name}: {hover}<extra></extra>",
        )
    return fig


# --------------------------------------------------------------------------- sizing
def sizing_range(result: Any, *, top: int | None = None) -> go.Figure:
    """MIPS needed per server (all ``count`` copies) and in total, as low/typical/high bars.

    Parameters
    ----------
    result : colonykit.sizing.SizingResult
        A sizing (:func:`colonykit.sizing.size_inventory`).
    top : int, optional
        Show only the ``top`` servers by typical MIPS and the rest as one "others" bar (the
        total bar is always shown).  The server axis is categorical whatever the names
        (servers named ``1`` … ``50`` stay names, not numbers).

    Returns
    -------
    plotly.graph_objects.Figure
        Three bar traces (``low``, ``typical``, ``high``); the first bar is the total.

    Examples
    --------
    >>> from colonykit import sizing
    >>> from colonykit.ingest import read_inventory
    >>> inv, _ = read_inventory("data/examples/xyz_inventory.csv")
    >>> res = sizing.size_inventory(inv, "z15", basis="avg")
    >>> fig = sizing_range(res)
    >>> fig.data[1].x[0] == res.total["mips_typical"]
    True
    """
    servers = result.servers
    rest = servers.iloc[0:0]
    if top is not None and len(servers) > int(top):
        servers = result.servers.nlargest(int(top), "mips_typical_total")
        rest = result.servers.drop(servers.index)
    names = ["all servers", *servers["server"].astype(str).tolist()]
    counts = [int(result.servers["count"].sum()), *servers["count"].astype(int).tolist()]
    if len(rest):  # the long tail as one bar: the bars above still add up to "all servers"
        names.append(f"others ({len(rest)} lines)")
        counts.append(int(rest["count"].sum()))
    fig = _figure()
    for b in BOUNDS:
        x = [result.total[f"mips_{b}"], *servers[f"mips_{b}_total"].astype(float).tolist()]
        if len(rest):
            x.append(float(rest[f"mips_{b}_total"].sum()))
        fig.add_bar(
            y=names,
            x=x,
            name=b,
            orientation="h",
            marker_color=BOUND_COLOURS[b],
            customdata=np.array(counts)[:, None],
            hovertemplate=f"%{{y}} (×%{{customdata[0]}}): %{{x:,.0f}} MIPS ({b})<extra></extra>",
        )
    _layout(
        fig,
        f"MIPS needed ({result.options.basis} basis, workload-factor range)",
        barmode="group",
        height=max(320, 70 + 60 * len(names)),
    )
    fig.update_xaxes(title_text="MIPS needed [MIPS]", rangemode="tozero")
    fig.update_yaxes(autorange="reversed", title_text="server (× count)", type="category")
    return fig


def sizing_engines(result: Any) -> go.Figure:
    """Target engines per sizing bound, with required and rated capacity in the hover text.

    Parameters
    ----------
    result : SizingResult
        A sizing (:func:`colonykit.sizing.size_inventory`).

    Examples
    --------
    >>> from colonykit import sizing
    >>> from colonykit.ingest import read_inventory
    >>> inv, _ = read_inventory("data/examples/xyz_inventory.csv")
    >>> res = sizing.size_inventory(inv, "z15")
    >>> list(sizing_engines(res).data[0].y) == [res.engines[b] for b in ("low", "typical", "high")]
    True
    """
    t = result.target.loc[list(BOUNDS)]
    fig = _figure(
        go.Bar(
            x=list(BOUNDS),
            y=t["engines"].astype(int).tolist(),
            name="engines",
            marker_color=[BOUND_COLOURS[b] for b in BOUNDS],
            text=t["engines"].astype(int).tolist(),
            textposition="outside",
            customdata=np.column_stack(
                [t["required_mips"], t["capacity_mips"], t["util_at_engines_pct"]]
            ),
            hovertemplate=(
                "%{x}: %{y} engines<br>required %{customdata[0]:,.0f} MIPS<br>"
                "rated %{customdata[1]:,.0f} MIPS<br>utilization %{customdata[2]:.1f} %"
                "<extra></extra>"
            ),
        )
    )
    _layout(
        fig,
        f"{result.processor.model} engines at {result.options.target_util_pct:g} % target "
        "utilization",
        height=360,
        showlegend=False,
    )
    fig.update_yaxes(title_text="engines [IFL]", rangemode="tozero")
    fig.update_xaxes(title_text="sizing bound")
    return fig


def sizing_generations(results: Mapping[str, Any]) -> go.Figure:
    """Target engines per sizing bound for several target generations, side by side.

    Parameters
    ----------
    results : mapping of str to colonykit.sizing.SizingResult
        One sizing per target generation (key = the label on the x axis), e.g.
        ``{t: sizing.size_inventory(inv, t) for t in ("z990", "z16")}``.

    Returns
    -------
    plotly.graph_objects.Figure
        Three bar traces (``low``, ``typical``, ``high``), x = the keys of ``results``,
        y = ``result.engines[bound]``.

    Examples
    --------
    >>> from colonykit import sizing
    >>> from colonykit.ingest import read_inventory
    >>> inv, _ = read_inventory("data/examples/xyz_inventory.csv")
    >>> res = {t: sizing.size_inventory(inv, t) for t in ("z990", "z16")}
    >>> fig = sizing_generations(res)
    >>> list(fig.data[1].x), list(fig.data[1].y) == [res[t].engines["typical"] for t in res]
    (['z990', 'z16'], True)
    """
    if not results:
        msg = "results must name at least one sizing (target -> SizingResult)"
        raise InputError(msg)
    targets = [str(t) for t in results]
    fig = _figure()
    for b in BOUNDS:
        rows = [r.target.loc[b] for r in results.values()]
        fig.add_bar(
            x=targets,
            y=[int(row["engines"]) for row in rows],
            name=b,
            marker_color=BOUND_COLOURS[b],
            text=[int(row["engines"]) for row in rows],
            textposition="outside",
            customdata=np.array(
                [[row["required_mips"], row["capacity_mips"]] for row in rows], dtype=float
            ),
            hovertemplate=(
                f"%{{x}} ({b}): %{{y}} engines, required %{{customdata[0]:,.0f}} MIPS, "
                "rated %{customdata[1]:,.0f} MIPS<extra></extra>"
            ),
        )
    utils = sorted({f"{r.options.target_util_pct:g}" for r in results.values()})
    _layout(
        fig,
        f"Engines per target generation at {' / '.join(utils)} % target utilization",
        barmode="group",
        height=380,
    )
    fig.update_yaxes(title_text="engines [IFL]", rangemode="tozero")
    fig.update_xaxes(title_text="target generation")
    return fig


# --------------------------------------------------------------------------- white space
def white_space(result: Any) -> go.Figure:
    """Composite demand over time with the white space up to the sum of peaks shaded.

    Lines: composite demand, sum of individual peaks (shaded area between them = white
    space), composite peak and the capacity needed with the chosen headroom.

    Parameters
    ----------
    result : colonykit.whitespace.WhiteSpaceResult
        A white-space analysis (:func:`colonykit.whitespace.analyze`).

    Examples
    --------
    >>> import pandas as pd
    >>> from colonykit import whitespace
    >>> d = pd.DataFrame({"a": [10.0, 50, 10], "b": [40.0, 10, 10]})
    >>> d.attrs.update(unit="mips", interval_s=60)
    >>> fig = white_space(whitespace.analyze(d, headroom_pct=0))
    >>> float(fig.data[0].y[0]), fig.data[1].y.tolist()
    (90.0, [50.0, 60.0, 20.0])
    """
    comp = result.composite
    x, x_title = _time_axis(comp.index, result.interval_s)
    n = len(comp)
    unit = result.unit
    fig = _figure()
    fig.add_scatter(
        x=x,
        y=np.full(n, result.sum_of_peaks),
        name="sum of individual peaks",
        mode="lines",
        line={"color": OKABE_ITO["vermillion"], "dash": "dash"},
        hovertemplate=f"sum of peaks %{{y:,.1f}} {unit}<extra></extra>",
    )
    fig.add_scatter(
        x=x,
        y=comp.to_numpy(dtype=float),
        name="composite demand",
        mode="lines",
        line={"color": OKABE_ITO["blue"]},
        fill="tonexty",
        fillcolor="rgba(86,180,233,0.25)",
        hovertemplate=f"%{{x}}: composite %{{y:,.1f}} {unit}<extra></extra>",
    )
    fig.add_scatter(
        x=x,
        y=np.full(n, result.composite_peak),
        name="composite peak",
        mode="lines",
        line={"color": OKABE_ITO["black"], "dash": "dot"},
        hovertemplate=f"composite peak %{{y:,.1f}} {unit}<extra></extra>",
    )
    fig.add_scatter(
        x=x,
        y=np.full(n, result.capacity_needed),
        name=f"capacity needed ({result.headroom_pct:g} % headroom)",
        mode="lines",
        line={"color": OKABE_ITO["bluish_green"]},
        hovertemplate=f"capacity needed %{{y:,.1f}} {unit}<extra></extra>",
    )
    _layout(
        fig,
        f"White space {result.white_space_pct:.1f} %; non-coincidence saving "
        f"{result.non_coincidence_saving_pct:.1f} % of the sum of peaks ({result.servers} servers; shaded)",
        height=420,
    )
    fig.update_yaxes(title_text=_unit_label(unit), rangemode="tozero")
    fig.update_xaxes(title_text=x_title)
    return fig


# --------------------------------------------------------------------------- staggering
def staggering(result: Any) -> go.Figure:
    """Composite demand before and after moving the movable jobs, with both peaks.

    Parameters
    ----------
    result : colonykit.staggering.StaggerResult
        A staggering (:func:`colonykit.staggering.stagger`).
    """
    before, after = result.composite_before, result.composite_after
    unit = result.unit
    n = len(before)
    x, x_title = _time_axis(before.index, _interval_of(result, before))
    x_after, _t = _time_axis(after.index, _interval_of(result, before))
    fig = _figure()
    fig.add_scatter(
        x=x,
        y=before.to_numpy(dtype=float),
        name="before",
        mode="lines",
        line={"color": OKABE_ITO["vermillion"]},
        hovertemplate=f"%{{x}}: before %{{y:,.1f}} {unit}<extra></extra>",
    )
    fig.add_scatter(
        x=x_after,
        y=after.to_numpy(dtype=float),
        name="after staggering",
        mode="lines",
        line={"color": OKABE_ITO["blue"]},
        hovertemplate=f"%{{x}}: after %{{y:,.1f}} {unit}<extra></extra>",
    )
    fig.add_scatter(
        x=x,
        y=np.full(n, result.peak_before),
        name="peak before",
        mode="lines",
        line={"color": OKABE_ITO["vermillion"], "dash": "dot"},
        hovertemplate=f"peak before %{{y:,.1f}} {unit}<extra></extra>",
    )
    fig.add_scatter(
        x=x_after,
        y=np.full(n, result.peak_after),
        name="peak after",
        mode="lines",
        line={"color": OKABE_ITO["blue"], "dash": "dot"},
        hovertemplate=f"peak after %{{y:,.1f}} {unit}<extra></extra>",
    )
    _layout(
        fig,
        f"Staggering: peak {result.peak_before:,.1f} → {result.peak_after:,.1f} {unit} "
        f"(−{result.reduction_pct:.1f} %, {result.method})",
        height=420,
    )
    fig.update_yaxes(title_text=_unit_label(unit), rangemode="tozero")
    fig.update_xaxes(title_text=x_title)
    return fig


# --------------------------------------------------------------------------- packing
def packing_hosts(
    result: Any,
    demand: pd.DataFrame | None = None,
    host_names: Mapping[Any, str] | None = None,
) -> go.Figure:
    """Demand per host over time against the usable and rated host capacity.

    With ``demand`` (the frame that was packed) each host panel stacks its servers'
    series (plotly draws the stack); without it, the host totals of
    ``result.host_series`` are drawn.  At most :data:`MAX_HOST_PANELS` hosts.

    Parameters
    ----------
    result : colonykit.packing.PackingResult
        A packing (:func:`colonykit.packing.pack`).
    demand : DataFrame, optional
        The wide demand frame given to :func:`colonykit.packing.pack`.
    host_names : mapping, optional
        Name to show for each packing host (``host0`` → ``lpar1``: as the plan names it).
    """
    hs = result.host_series
    label = dict(host_names or {})
    hosts = list(hs.columns)[:MAX_HOST_PANELS]
    unit = result.unit
    fig = make_subplots(
        rows=len(hosts),
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.04,
        subplot_titles=[str(label.get(h, f"host {h}")) for h in hosts],
        figure=_figure(),
    )
    n = len(hs)
    x, x_title = _time_axis(hs.index, _interval_of(result, hs))
    for i, h in enumerate(hosts, start=1):
        first = i == 1
        if demand is not None:
            members = [
                s for s, hid in result.assignment.items() if hid == h and s in demand.columns
            ]
            for j, s in enumerate(members):
                fig.add_scatter(
                    x=x,
                    y=demand[s].to_numpy(dtype=float),
                    name=str(s),
                    mode="lines",
                    stackgroup=f"h{h}",
                    line={"width": 0.5},
                    marker_color=PALETTE[j % len(PALETTE)],
                    showlegend=False,
                    hovertemplate=f"{s} on {label.get(h, h)}: %{{y:,.1f}} {unit}<extra></extra>",
                    row=i,
                    col=1,
                )
        else:
            fig.add_scatter(
                x=x,
                y=hs[h].to_numpy(dtype=float),
                name="host demand",
                mode="lines",
                fill="tozeroy",
                line={"color": OKABE_ITO["blue"]},
                showlegend=first,
                hovertemplate=f"{label.get(h, h)}: %{{y:,.1f}} {unit}<extra></extra>",
                row=i,
                col=1,
            )
        fig.add_scatter(
            x=x,
            y=np.full(n, result.capacity),
            name="usable capacity",
            mode="lines",
            line={"color": OKABE_ITO["vermillion"], "dash": "dash"},
            showlegend=first,
            hovertemplate=f"usable capacity %{{y:,.1f}} {unit}<extra></extra>",
            row=i,
            col=1,
        )
        fig.add_scatter(
            x=x,
            y=np.full(n, result.host_capacity),
            name="rated capacity",
            mode="lines",
            line={"color": OKABE_ITO["black"], "dash": "dot"},
            showlegend=first,
            hovertemplate=f"rated capacity %{{y:,.1f}} {unit}<extra></extra>",
            row=i,
            col=1,
        )
        fig.update_yaxes(title_text=unit or "demand", rangemode="tozero", row=i, col=1)
    more = f" (first {MAX_HOST_PANELS} shown)" if len(hs.columns) > MAX_HOST_PANELS else ""
    _layout(
        fig,
        f"Packing: {result.hosts_used} hosts (lower bound {result.lower_bound}, "
        f"peak-based FFD {result.ffd_peak_hosts}; {result.method}){more}",
        height=max(300, 200 * len(hosts)),
    )
    fig.update_xaxes(title_text=x_title, row=len(hosts), col=1)
    return fig


# --------------------------------------------------------------------------- memory and paging
def memory_breakdown(result: Any) -> go.Figure:
    """Real storage of an LPAR against expected resident storage and Σ guest virtual storage.

    Parameters
    ----------
    result : colonykit.memory.MemoryResult
        An LPAR's memory (:func:`colonykit.memory.lpar_memory`).

    Examples
    --------
    >>> from colonykit import memory
    >>> r = memory.lpar_memory([memory.GuestMemory("web", 512, count=2)], 2048, cp_mib=64)
    >>> [t.name for t in memory_breakdown(r).data][:3]
    ['guests: web', 'shared (NSS/DCSS)', 'minidisk cache']
    """
    g = result.guests
    fig = _figure()
    # one segment per guest kind (resident_total_mib = resident × count); plotly stacks them
    for j, row in enumerate(g.itertuples(index=False)):
        fig.add_bar(
            x=["expected resident"],
            y=[float(row.resident_total_mib)],
            name=f"guests: {row.name}",
            marker_color=MEMORY_GUEST_COLOURS[j % len(MEMORY_GUEST_COLOURS)],
            legendgroup="guests",
            hovertemplate=f"{row.name} × {int(row.count)}: %{{y:,.0f}} MiB resident<extra></extra>",
        )
    parts = [
        ("shared (NSS/DCSS)", result.shared_mib, OKABE_ITO["bluish_green"]),
        ("minidisk cache", result.mdc_mib, OKABE_ITO["orange"]),
        ("CP", result.cp_mib, OKABE_ITO["reddish_purple"]),
    ]
    for name, v, colour in parts:
        fig.add_bar(
            x=["expected resident"],
            y=[v],
            name=name,
            marker_color=colour,
            hovertemplate=f"{name}: %{{y:,.0f}} MiB<extra></extra>",
        )
    fig.add_bar(
        x=["real storage"],
        y=[result.real_mib],
        name="real storage",
        marker_color=OKABE_ITO["black"],
        hovertemplate="real storage %{y:,.0f} MiB<extra></extra>",
    )
    fig.add_bar(
        x=["guest virtual"],
        y=[result.virtual_total_mib],
        name="Σ guest virtual",
        marker_color=OKABE_ITO["sky_blue"],
        hovertemplate=(
            f"Σ guest virtual %{{y:,.0f}} MiB (overcommit "
            f"{result.overcommit_ratio:.2f}:1, limit "
            f"{result.max_memory_overcommit_ratio:g}:1)<extra></extra>"
        ),
    )
    _layout(
        fig,
        f"LPAR memory: overcommit {result.overcommit_ratio:.2f}:1, shortfall "
        f"{result.shortfall_mib:,.0f} MiB",
        barmode="stack",
        height=400,
    )
    fig.update_yaxes(title_text="storage [MiB]", rangemode="tozero")
    return fig


def paging_rules(frame: pd.DataFrame, chosen: str | None = None) -> go.Figure:
    """Paging space by rule (the frame of :func:`colonykit.paging.compare_rules`).

    Parameters
    ----------
    frame : pandas.DataFrame
        Output of :func:`colonykit.paging.compare_rules`.
    chosen : str, optional
        The rule to highlight.

    Examples
    --------
    >>> from colonykit import paging
    >>> f = paging.compare_rules([512] * 10, 2048)
    >>> list(paging_rules(f, "sg24-6299").data[0].y) == f["paging_gib"].tolist()
    True
    """
    rules = [str(r) for r in frame.index]
    colours = [OKABE_ITO["vermillion"] if r == chosen else OKABE_ITO["blue"] for r in rules]
    fig = _figure(
        go.Bar(
            x=rules,
            y=frame["paging_gib"].astype(float).tolist(),
            marker_color=colours,
            name="paging space",
            text=[f"{v:,.1f} GiB" for v in frame["paging_gib"]],
            textposition="outside",
            customdata=np.column_stack([frame["volumes"], frame["volume_model"]]),
            hovertemplate="%{x}: %{y:,.1f} GiB on %{customdata[0]} × %{customdata[1]}<extra></extra>",
        )
    )
    _layout(
        fig,
        "Paging space by rule" + (f" (chosen: {chosen})" if chosen else ""),
        height=380,
        showlegend=False,
    )
    fig.update_yaxes(title_text="paging space [GiB]", rangemode="tozero")
    fig.update_xaxes(title_text="paging rule")
    return fig


def memory_layouts(results: Mapping[str, Any]) -> go.Figure:
    """Σ guest virtual against expected resident storage for several layouts of the same guests.

    Parameters
    ----------
    results : mapping of str to colonykit.memory.MemoryResult
        One :func:`colonykit.memory.lpar_memory` result per layout (key = the layout's label).

    Returns
    -------
    plotly.graph_objects.Figure
        Two bar traces, ``Σ guest virtual`` (``virtual_total_mib``) and ``expected resident``
        (``resident_total_mib``), x = the keys of ``results``; the real storage of the first
        result as a dashed line.

    Examples
    --------
    >>> from colonykit import memory
    >>> res = {k: memory.lpar_memory([memory.GuestMemory(k, m, count=4)], 4096)
    ...        for k, m in (("small", 512), ("large", 1024))}
    >>> fig = memory_layouts(res)
    >>> [t.name for t in fig.data], list(fig.data[0].y)
    (['Σ guest virtual', 'expected resident'], [2048.0, 4096.0])
    """
    if not results:
        msg = "results must name at least one layout (label -> MemoryResult)"
        raise InputError(msg)
    names = [str(k) for k in results]
    rs = list(results.values())
    fig = _figure()
    fig.add_bar(
        x=names,
        y=[float(r.virtual_total_mib) for r in rs],
        name="Σ guest virtual",
        marker_color=OKABE_ITO["sky_blue"],
        customdata=np.array([[r.overcommit_ratio] for r in rs], dtype=float),
        hovertemplate="%{x}: Σ guest virtual %{y:,.0f} MiB (overcommit %{customdata[0]:.2f}:1)"
        "<extra></extra>",
    )
    fig.add_bar(
        x=names,
        y=[float(r.resident_total_mib) for r in rs],
        name="expected resident",
        marker_color=OKABE_ITO["blue"],
        customdata=np.array([[r.shared_mib] for r in rs], dtype=float),
        hovertemplate="%{x}: expected resident %{y:,.0f} MiB (shared %{customdata[0]:,.0f} MiB)"
        "<extra></extra>",
    )
    fig.add_hline(
        y=float(rs[0].real_mib),
        line_dash="dash",
        line_color=OKABE_ITO["black"],
        annotation_text=f"real storage {rs[0].real_mib:,.0f} MiB",
    )
    _layout(fig, "Virtual vs expected resident storage by layout", barmode="group", height=400)
    fig.update_yaxes(title_text="storage [MiB]", rangemode="tozero")
    fig.update_xaxes(title_text="layout")
    return fig


def memory_growth(frame: pd.DataFrame) -> go.Figure:
    """Σ guest virtual, expected resident and real storage as guests are added.

    Parameters
    ----------
    frame : DataFrame
        :func:`colonykit.memory.memory_over` output (``guests``, ``virtual_total_mib``,
        ``resident_total_mib``, ``real_mib``, ``overcommit_ratio``).

    Returns
    -------
    plotly.graph_objects.Figure
        Three line traces: ``Σ guest virtual``, ``expected resident``, ``real storage``.

    Examples
    --------
    >>> from colonykit import memory
    >>> f = memory.memory_over(memory.GuestMemory("g", 1024, working_set_mib=400), [0, 15, 30], 10240)
    >>> fig = memory_growth(f)
    >>> [t.name for t in fig.data], fig.data[1].y.tolist()
    (['Σ guest virtual', 'expected resident', 'real storage'], [0.0, 6000.0, 12000.0])
    """
    _require_columns(
        frame,
        {"guests", "virtual_total_mib", "resident_total_mib", "real_mib"},
        "colonykit.memory.memory_over",
    )
    series = {
        name: frame.rename(columns={col: "mib"})
        for name, col in (
            ("Σ guest virtual", "virtual_total_mib"),
            ("expected resident", "resident_total_mib"),
            ("real storage", "real_mib"),
        )
    }
    fig = _curves(
        _figure(),
        series,
        "guests",
        "mib",
        hover="%{x:.0f} guests, %{y:,.0f} MiB",
        what="colonykit.memory.memory_over",
        mode="lines+markers",
    )
    _layout(
        fig, "Virtual and resident storage against real storage as guests are added", height=400
    )
    fig.update_yaxes(title_text="storage [MiB]", rangemode="tozero")
    fig.update_xaxes(title_text="guests [count]", rangemode="tozero")
    return fig


def paging_growth(frame: pd.DataFrame, y: str = "paging_gib") -> go.Figure:
    """Paging space (or paging volumes) of every rule as the number of guests grows.

    Parameters
    ----------
    frame : DataFrame
        :func:`colonykit.paging.compare_rules_over` output (``guests``, ``rule``,
        ``paging_gib``, ``volumes``).
    y : {"paging_gib", "volumes"}
        Paging space in GiB (lines) or whole paging volumes (steps).

    Returns
    -------
    plotly.graph_objects.Figure
        One line trace per rule (name = the rule).

    Examples
    --------
    >>> from colonykit import paging
    >>> f = paging.compare_rules_over([10, 20], 512, 2048)
    >>> fig = paging_growth(f)
    >>> fig.data[0].name, list(fig.data[0].y) == f.loc[f.rule == fig.data[0].name, "paging_gib"].tolist()
    ('redbook-2003', True)
    """
    axes = {
        "paging_gib": ("paging space [GiB]", "linear", "%{y:,.1f} GiB"),
        "volumes": ("paging volumes [count]", "hv", "%{y:.0f} volumes"),
    }
    if y not in axes:
        raise InputError(must_be("y", f"one of {sorted(axes)}", y))
    _require_columns(frame, {"guests", "rule", y}, "colonykit.paging.compare_rules_over")
    title, shape, hover = axes[y]
    fig = _curves(
        _figure(),
        {str(r): part for r, part in frame.groupby("rule", sort=True)},
        "guests",
        y,
        hover=f"%{{x:.0f}} guests, {hover}",
        what="colonykit.paging.compare_rules_over",
        mode="lines+markers",
        shape=shape,
    )
    _layout(
        fig,
        ("Paging space" if y == "paging_gib" else "Paging volumes")
        + " per rule as guests are added",
        height=400,
    )
    fig.update_yaxes(title_text=title, rangemode="tozero")
    fig.update_xaxes(title_text="guests [count]", rangemode="tozero")
    return fig


def plan_hosts(
    result: ColonyPlanResult | ColonyPlan, *, top: int | None = TOP_SERVERS
) -> go.Figure:
    """Per host of a plan: guest virtual storage (stacked by source server), real storage, paging.

    Parameters
    ----------
    result : colonykit.plan.ColonyPlanResult or colonykit.plan.ColonyPlan
        A plan result (:func:`colonykit.plan.build_plan`) or its plan.
    top : int or None, optional
        Source servers with a legend entry of their own (the largest by virtual storage); the
        rest are stacked as one "others" entry.  None: every server.

    Examples
    --------
    >>> from colonykit import plan
    >>> r = plan.build_plan("data/examples/scenario.yaml")
    >>> fig = plan_hosts(r)
    >>> [t.name for t in fig.data][-2:]
    ['real storage', 'paging space']
    """
    from colonykit.plan.document import ColonyPlan

    p = result if isinstance(result, ColonyPlan) else result.plan
    hosts = [h.id for h in p.hosts]
    total: dict[str, float] = {}
    for h in p.hosts:
        for g in h.guests:
            key = g.source_server or g.name
            total[key] = total.get(key, 0.0) + g.memory_mib
    ranked = sorted(total, key=lambda k: (-total[k], k))
    shown = set(ranked[:top]) if top is not None and len(ranked) > top else set(ranked)
    others = f"others ({len(ranked) - len(shown)} servers)"

    def group(g: Any) -> str:
        key = g.source_server or g.name
        return key if key in shown else others

    servers = sorted(shown) + ([others] if len(shown) < len(ranked) else [])
    fig = _figure()
    for j, s in enumerate(servers):
        y = [[g.memory_mib / MIB_PER_GIB for g in h.guests if group(g) == s] for h in p.hosts]
        # one bar segment per guest: plotly stacks them (no sum computed here)
        xs = [hid for hid, ys in zip(hosts, y, strict=True) for _ in ys]
        ys = [v for vs in y for v in vs]
        fig.add_bar(
            x=xs,
            y=ys,
            name=f"guests: {s}",
            offsetgroup="virtual",
            legendgroup=s,
            marker_color=SERIES_COLOURS[j % len(SERIES_COLOURS)],
            marker_line_width=0.3,
            hovertemplate=f"%{{x}}: a {s} guest, %{{y:,.2f}} GiB virtual<extra></extra>",
        )
    fig.add_bar(
        x=hosts,
        y=[h.capacity.memory_gib for h in p.hosts],
        name="real storage",
        offsetgroup="real",
        marker_color=OKABE_ITO["black"],
        customdata=np.array([[h.rules.max_memory_overcommit_ratio] for h in p.hosts]),
        hovertemplate="%{x}: real storage %{y:,.1f} GiB (overcommit limit "
        "%{customdata[0]:g}:1)<extra></extra>",
    )
    fig.add_bar(
        x=hosts,
        y=[h.capacity.paging_gib for h in p.hosts],
        name="paging space",
        offsetgroup="paging",
        marker_color=OKABE_ITO["orange"],
        customdata=np.array(
            [[h.capacity.paging_volumes, h.capacity.paging_volume_model] for h in p.hosts],
            dtype=object,
        ),
        hovertemplate="%{x}: paging %{y:,.1f} GiB on %{customdata[0]} × "
        "%{customdata[1]}<extra></extra>",
    )
    _layout(
        fig,
        "Memory and paging per host (guest virtual stacked by source server)",
        barmode="stack",
        height=420,
    )
    fig.update_yaxes(title_text="storage [GiB]", rangemode="tozero")
    fig.update_xaxes(title_text="host / LPAR", type="category")
    return fig


# --------------------------------------------------------------------------- channels
def channel_curve(curve: pd.DataFrame, load: Any | None = None) -> go.Figure:
    """Response time against per-path busy for several path counts; the planned load marked.

    Parameters
    ----------
    curve : DataFrame
        :func:`colonykit.channels.response_curve` output.
    load : colonykit.channels.ChannelResult, optional
        Marked at (``per_path_busy_pct``, ``response_ms``); ``max_busy_pct`` drawn as a line.

    Examples
    --------
    >>> from colonykit import channels
    >>> fig = channel_curve(channels.response_curve(14.0, paths=[1, 2]),
    ...                     channels.channel_load(54, 14, paths=2))
    >>> [t.name for t in fig.data]
    ['1 path(s)', '2 path(s)', 'planned load']
    """
    required = {"paths", "per_path_busy_pct", "response_ms", "io_rate_per_s"}
    if not required <= set(curve.columns):
        msg = f"curve must have the columns {sorted(required)} (colonykit.channels.response_curve)"
        raise InputError(msg)
    fig = _figure()
    for j, (paths, part) in enumerate(curve.groupby("paths", sort=True)):
        fig.add_scatter(
            x=part["per_path_busy_pct"],
            y=part["response_ms"],
            mode="lines",
            name=f"{to_int(paths)} path(s)",
            line={"color": PALETTE[j % len(PALETTE)]},
            customdata=part[["io_rate_per_s"]].to_numpy(),
            hovertemplate=(
                "%{x:.0f} % busy per path: response %{y:,.2f} ms at "
                "%{customdata[0]:,.0f} I/O/s<extra></extra>"
            ),
        )
    title = "Channel response time vs busy"
    if load is not None:
        fig.add_scatter(
            x=[load.per_path_busy_pct],
            y=[load.response_ms],
            mode="markers",
            name="planned load",
            marker={"size": 12, "color": OKABE_ITO["vermillion"], "symbol": "diamond"},
            hovertemplate=(
                f"planned: {load.io_rate_per_s:,.1f} I/O/s on {load.paths} path(s), "
                "%{x:.1f} % busy per path, %{y:,.2f} ms<extra></extra>"
            ),
        )
        fig.add_vline(
            x=load.max_busy_pct,
            line_dash="dash",
            line_color=OKABE_ITO["black"],
            annotation_text=f"target {load.max_busy_pct:g} %",
        )
        title += f" (planned {load.per_path_busy_pct:.1f} % per path, {load.paths_needed} path(s) needed)"
    _layout(fig, title, height=400)
    fig.update_xaxes(title_text="busy per path [%]", range=[0, 100])
    fig.update_yaxes(title_text="response time [ms]", rangemode="tozero")
    return fig


def chained_io(frame: pd.DataFrame, max_busy_pct: float | None = None) -> go.Figure:
    """Path demand by the number of 4 KiB blocks chained per I/O, labelled with the paths needed.

    Parameters
    ----------
    frame : DataFrame
        :func:`colonykit.channels.chained_io_effect` output (``blocks_per_io``, ``busy_pct``,
        ``paths_needed``, ``connect_ms``).
    max_busy_pct : float, optional
        The busy target the paths were counted at, drawn as a dashed line.

    Returns
    -------
    plotly.graph_objects.Figure
        One bar trace, x = chain length, y = ``busy_pct``, text = ``paths_needed``.

    Examples
    --------
    >>> from colonykit import channels
    >>> f = channels.chained_io_effect(54, [1, 16])
    >>> fig = chained_io(f, 50)
    >>> list(fig.data[0].y) == f["busy_pct"].tolist(), list(fig.data[0].text)
    (True, ['1 path(s)', '2 path(s)'])
    """
    _require_columns(
        frame,
        {"blocks_per_io", "busy_pct", "paths_needed", "connect_ms"},
        "colonykit.channels.chained_io_effect",
    )
    fig = _figure(
        go.Bar(
            x=frame["blocks_per_io"].astype(int).astype(str).tolist(),
            y=frame["busy_pct"].astype(float).tolist(),
            name="path demand",
            marker_color=OKABE_ITO["blue"],
            text=[f"{int(n)} path(s)" for n in frame["paths_needed"]],
            textposition="outside",
            customdata=frame[["connect_ms"]].to_numpy(dtype=float),
            hovertemplate="%{x} blocks per I/O: connect %{customdata[0]:.1f} ms, %{y:,.0f} % of one path"
            "<extra></extra>",
        )
    )
    title = "Path demand by chain length"
    if max_busy_pct is not None:
        fig.add_hline(
            y=float(max_busy_pct),
            line_dash="dash",
            line_color=OKABE_ITO["vermillion"],
            annotation_text=f"target {max_busy_pct:g} % per path",
        )
        title += f" (label: paths needed at {max_busy_pct:g} %)"
    _layout(fig, title, height=400, showlegend=False)
    fig.update_yaxes(title_text="path demand [% of one path]", rangemode="tozero")
    fig.update_xaxes(title_text="4 KiB blocks per I/O [count]", type="category")
    return fig


# --------------------------------------------------------------------------- minidisk cache
def mdc_tradeoff(frames: Mapping[str, pd.DataFrame]) -> go.Figure:
    """Physical I/O avoided against guest working sets displaced, one curve per caching mode.

    Parameters
    ----------
    frames : mapping of str to DataFrame
        :func:`colonykit.mdc.mdc_tradeoff` outputs by label (e.g. ``"record"``, ``"track"``),
        each with ``guest_shortfall_mib``, ``io_avoided_per_s``, ``mdc_mib`` and ``hit_frac``.

    Returns
    -------
    plotly.graph_objects.Figure
        One line trace per key; every point is one MDC size.

    Examples
    --------
    >>> from colonykit import mdc
    >>> f = {c: mdc.mdc_tradeoff(400, 100, 512, 8192, 7600, caching=c) for c in ("record", "track")}
    >>> fig = mdc_tradeoff(f)
    >>> [t.name for t in fig.data], list(fig.data[0].y) == f["record"]["io_avoided_per_s"].tolist()
    (['record', 'track'], True)
    """
    what = "colonykit.mdc.mdc_tradeoff"
    for part in frames.values():
        _require_columns(
            part, {"guest_shortfall_mib", "io_avoided_per_s", "mdc_mib", "hit_frac"}, what
        )
    fig = _curves(
        _figure(),
        frames,
        "guest_shortfall_mib",
        "io_avoided_per_s",
        hover="%{y:,.0f} I/O per s avoided, %{x:,.0f} MiB of working sets displaced "
        "(MDC %{customdata[0]:,.0f} MiB, hits %{customdata[1]:.0%})",
        what=what,
        mode="lines+markers",
    )
    for trace, part in zip(fig.data, frames.values(), strict=True):
        trace.customdata = part[["mdc_mib", "hit_frac"]].to_numpy(dtype=float)
    _layout(fig, "MDC trade-off: every point is one MDC size", height=400)
    fig.update_yaxes(title_text="physical I/O avoided [per s]", rangemode="tozero")
    fig.update_xaxes(title_text="guest working sets not in real storage [MiB]", rangemode="tozero")
    return fig


def mdc_cpu_factor(frames: Mapping[str, pd.DataFrame]) -> go.Figure:
    """CP CPU with MDC ÷ without, against the read share of the I/O, one curve per hit ratio.

    Parameters
    ----------
    frames : mapping of str to DataFrame
        By label (e.g. ``"90% hits"``): frames with ``read_pct`` (0–100) and ``cp_cpu_factor``
        (:func:`colonykit.mdc.cp_cpu_factor` at that read share).

    Returns
    -------
    plotly.graph_objects.Figure
        One line trace per key and a dotted line at 1 (MDC costs nothing).

    Examples
    --------
    >>> import pandas as pd
    >>> from colonykit import mdc
    >>> r = pd.Series([0.0, 50, 100])
    >>> f = {"90% hits": pd.DataFrame({"read_pct": r, "cp_cpu_factor": mdc.cp_cpu_factor(r, 100 - r, 0.9)})}
    >>> list(mdc_cpu_factor(f).data[0].y) == f["90% hits"]["cp_cpu_factor"].tolist()
    True
    """
    fig = _curves(
        _figure(),
        frames,
        "read_pct",
        "cp_cpu_factor",
        hover="%{x:.0f} % reads: CP CPU × %{y:.3f}",
        what="read_pct and colonykit.mdc.cp_cpu_factor",
    )
    fig.add_hline(y=1.0, line_dash="dot", line_color=OKABE_ITO["black"], annotation_text="no MDC")
    _layout(fig, "CP CPU cost of MDC by read share", height=400)
    fig.update_yaxes(title_text="CP CPU with MDC / without [ratio]")
    fig.update_xaxes(title_text="reads [% of I/O]", range=[0, 100])
    return fig


def mdc_calibration(calibration: pd.DataFrame) -> go.Figure:
    """Predicted against measured elapsed time of SG24-6299 Table 8-2, by I/O driver.

    Parameters
    ----------
    calibration : DataFrame
        :func:`colonykit.mdc.calibrate_table_8_2` output (``elapsed_s``,
        ``predicted_elapsed_s``, ``driver``, ``fitted``, ``format``, ``mdc``, ``error_pct``).

    Returns
    -------
    plotly.graph_objects.Figure
        One marker trace per driver (fitted rows as squares), and the line predicted = measured.

    Examples
    --------
    >>> from colonykit import mdc
    >>> c = mdc.calibrate_table_8_2()
    >>> fig = mdc_calibration(c)
    >>> sorted(float(v) for t in fig.data[:-1] for v in t.x) == sorted(c["elapsed_s"].tolist())
    True
    """
    _require_columns(
        calibration,
        {"elapsed_s", "predicted_elapsed_s", "driver", "fitted", "format", "mdc", "error_pct"},
        "colonykit.mdc.calibrate_table_8_2",
    )
    fig = _figure()
    for j, (driver, part) in enumerate(calibration.groupby("driver", sort=True)):
        fig.add_scatter(
            x=part["elapsed_s"].to_numpy(dtype=float),
            y=part["predicted_elapsed_s"].to_numpy(dtype=float),
            mode="markers",
            name=str(driver),
            marker={
                "size": 10,
                "color": PALETTE[j % len(PALETTE)],
                "symbol": ["square" if f else "circle" for f in part["fitted"]],
            },
            customdata=np.column_stack(
                [
                    part["format"].astype(str),
                    part["mdc"].astype(str),
                    part["error_pct"].astype(float),
                    np.where(part["fitted"], "fitted", "predicted"),
                ]
            ),
            hovertemplate=(
                "%{customdata[0]} MDC %{customdata[1]} (%{customdata[3]}): measured "
                "%{x:,.1f} s, predicted %{y:,.1f} s (%{customdata[2]:+.1f} %)"
                "<extra></extra>"
            ),
        )
    top = float(np.nanmax(calibration[["elapsed_s", "predicted_elapsed_s"]].to_numpy(dtype=float)))
    fig.add_scatter(
        x=[0.0, top],
        y=[0.0, top],
        mode="lines",
        name="predicted = measured",
        line={"color": OKABE_ITO["black"], "dash": "dot"},
        hoverinfo="skip",
    )
    _layout(
        fig,
        "SG24-6299 Table 8-2: predicted vs measured elapsed time (squares: fitted rows)",
        height=420,
    )
    fig.update_xaxes(title_text="measured elapsed [s]", rangemode="tozero")
    fig.update_yaxes(title_text="predicted elapsed [s]", rangemode="tozero")
    return fig


# --------------------------------------------------------------------------- designs
def design_comparison(comparison: pd.DataFrame, chosen: str | None = None) -> go.Figure:
    """Total and shared disk of every design (the frame of :func:`colonykit.designs.compare`).

    Parameters
    ----------
    comparison : pandas.DataFrame
        Output of :func:`colonykit.designs.compare`.
    chosen : str, optional
        The design to highlight.

    Examples
    --------
    >>> from colonykit import designs
    >>> f = designs.compare(26)
    >>> fig = design_comparison(f, "zvm-basevol-guestvol")
    >>> list(fig.data[0].y) == f["total_gib"].tolist()
    True
    """
    names = [str(n) for n in comparison.index]
    cd = np.column_stack(
        [
            comparison["per_guest_gib"].astype(float),
            comparison["saving_vs_dedicated_pct"],
            comparison["platform"].astype(str),
        ]
    )
    line = [3 if n == chosen else 0 for n in names]
    fig = _figure()
    fig.add_bar(
        x=names,
        y=comparison["total_gib"].astype(float).tolist(),
        name="total disk",
        marker_color=OKABE_ITO["blue"],
        marker_line_color=OKABE_ITO["vermillion"],
        marker_line_width=line,
        customdata=cd,
        text=[f"−{v:.0f} %" for v in comparison["saving_vs_dedicated_pct"]],
        textposition="outside",
        hovertemplate=(
            "%{x} (%{customdata[2]}): total %{y:,.1f} GiB, %{customdata[0]:,.2f} GiB "
            "per guest, %{customdata[1]:.1f} % less than dedicated<extra></extra>"
        ),
    )
    fig.add_bar(
        x=names,
        y=comparison["shared_gib"].astype(float).tolist(),
        name="shared images",
        marker_color=OKABE_ITO["orange"],
        hovertemplate="%{x}: shared images %{y:,.2f} GiB<extra></extra>",
    )
    _layout(
        fig,
        "Disk by design"
        + (f" (chosen: {chosen}, outlined)" if chosen else "")
        + " — text: saving vs dedicated",
        barmode="group",
        height=420,
    )
    fig.update_yaxes(title_text="disk [GiB]", rangemode="tozero")
    fig.update_xaxes(title_text="design")
    return fig


# --------------------------------------------------------------------------- capacity over time
def capacity_plan(cap: Any) -> go.Figure:
    """Projected demand (fan of low / typical / high) against installed capacity, with upgrades.

    The fan is the composite statistic the engines are sized on, summed over the LPARs
    (:attr:`ForecastStep.sized_mips`); the step lines are the usable MIPS of the plan as
    built and after the typical upgrade schedule; markers sit at each upgrade's need-by date
    (hover: what, where, order-by date, why) and a dotted line at the exhaustion date.

    Parameters
    ----------
    cap : CapacityPlanResult
        A projection (:func:`colonykit.forecast.project`).

    Examples
    --------
    >>> from colonykit import plan
    >>> cap = plan.build_plan("data/examples/bitbrains_colony.yaml").capacity_plan
    >>> [t.name for t in capacity_plan(cap).data][:4]
    ['low', 'high', 'typical', 'installed']
    """
    dates = [s.date.isoformat() for s in cap.steps]
    band = OKABE_ITO["sky_blue"]
    fig = _figure(
        [
            go.Scatter(
                x=dates,
                y=[s.sized_mips.low for s in cap.steps],
                name="low",
                mode="lines",
                line={"color": band, "width": 1},
            ),
            go.Scatter(
                x=dates,
                y=[s.sized_mips.high for s in cap.steps],
                name="high",
                mode="lines",
                line={"color": band, "width": 1},
                fill="tonexty",
                fillcolor="rgba(86,180,233,0.25)",
            ),
            go.Scatter(
                x=dates,
                y=[s.sized_mips.typical for s in cap.steps],
                name="typical",
                mode="lines+markers",
                line={"color": BOUND_COLOURS["typical"], "width": 2},
                customdata=np.column_stack(
                    [[s.engines_needed for s in cap.steps], [s.guests for s in cap.steps]]
                ),
                hovertemplate="%{x}: %{y:,.0f} MIPS<br>%{customdata[0]} engines needed, "
                "%{customdata[1]} guests<extra>typical demand</extra>",
            ),
            go.Scatter(
                x=dates,
                y=[s.usable_mips_installed for s in cap.steps],
                name="installed",
                mode="lines",
                line={"color": OKABE_ITO["black"], "dash": "dash", "shape": "hv"},
                hovertemplate="%{x}: %{y:,.0f} usable MIPS<extra>plan as built</extra>",
            ),
            go.Scatter(
                x=dates,
                y=[s.usable_mips_scheduled for s in cap.steps],
                name="with upgrades",
                mode="lines",
                line={"color": OKABE_ITO["bluish_green"], "shape": "hv", "width": 2},
                customdata=[s.engines_scheduled for s in cap.steps],
                hovertemplate="%{x}: %{y:,.0f} usable MIPS, %{customdata} engines"
                "<extra>with upgrades</extra>",
            ),
        ]
    )
    if cap.upgrades:
        at = {s.date: s.usable_mips_scheduled for s in cap.steps}
        ups = list(cap.upgrades)
        fig.add_trace(
            go.Scatter(
                x=[u.need_by.isoformat() for u in ups],
                y=[at.get(u.need_by, np.nan) for u in ups],
                name="upgrade",
                mode="markers",
                marker={"symbol": "triangle-up", "size": 11, "color": OKABE_ITO["vermillion"]},
                customdata=[
                    [u.host, u.add_engines, u.add_memory_gib, u.order_by.isoformat(), u.reason]
                    for u in ups
                ],
                hovertemplate="need by %{x}, order by %{customdata[3]}<br>%{customdata[0]}: "
                "+%{customdata[1]} engines, +%{customdata[2]} GiB<br>%{customdata[4]}"
                "<extra>upgrade</extra>",
            )
        )
    if cap.exhaustion is not None:
        fig.add_vline(
            x=cap.exhaustion.date.isoformat(),
            line={"color": OKABE_ITO["vermillion"], "dash": "dot"},
        )
    _layout(
        fig,
        f"Projected demand vs capacity ({cap.method} growth, {cap.horizon_months} months)",
        height=420,
    )
    fig.update_yaxes(title_text="MIPS (composite, sized statistic)", rangemode="tozero")
    fig.update_xaxes(title_text="date")
    return fig


# --------------------------------------------------------------------------- plan
def _cost_title(result: Any, title: str) -> str:
    """The figure title, led by the example-prices warning when the result rests on them."""
    return f"EXAMPLE PRICES · {title}" if result.example_prices_used else title


def cash_flow(result: Any) -> go.Figure:
    """The business case per year: each side's cost and the cumulative savings.

    Parameters
    ----------
    result : colonykit.costs.CostResult
        The business case (:func:`colonykit.costs.business_case`).

    Examples
    --------
    >>> from colonykit import plan
    >>> fig = cash_flow(plan.build_plan("data/examples/bitbrains_colony.yaml").business_case)
    >>> [t.name for t in fig.data]
    ['today', 'colony', 'cumulative savings']
    """
    years = [f"year {i + 1}" for i in range(result.horizon_years)]
    cur = result.currency
    fig = _figure(
        [
            go.Bar(x=years, y=list(result.today.per_year), name="today", marker_color=PALETTE[1]),
            go.Bar(x=years, y=list(result.colony.per_year), name="colony", marker_color=PALETTE[0]),
            go.Scatter(
                x=years,
                y=list(result.cumulative_savings()),
                name="cumulative savings",
                mode="lines+markers",
                line={"color": PALETTE[2], "width": 3},
            ),
        ]
    )
    return _layout(
        fig,
        _cost_title(result, f"Cash flow: cost per year and cumulative savings [{cur}]"),
        barmode="group",
        yaxis_title=f"{cur}",
    )


def tornado(result: Any) -> go.Figure:
    """One-at-a-time sensitivity: NPV with each uncertain input at its low and high value.

    Parameters
    ----------
    result : colonykit.costs.CostResult
        The business case with its ``sensitivity`` rows (largest swing first).

    Examples
    --------
    >>> from colonykit import plan
    >>> fig = tornado(plan.build_plan("data/examples/bitbrains_colony.yaml").business_case)
    >>> [t.name for t in fig.data]
    ['input at low', 'input at high']
    """
    rows = list(result.sensitivity)[::-1]
    names = [r.input for r in rows]
    base = result.npv
    fig = _figure(
        [
            go.Bar(
                y=names,
                x=[r.npv_at_low - base for r in rows],
                base=base,
                orientation="h",
                name="input at low",
                marker_color=PALETTE[0],
                customdata=[[r.low, r.npv_at_low] for r in rows],
                hovertemplate="%{y} = %{customdata[0]}<br>NPV %{customdata[1]:,.0f}<extra></extra>",
            ),
            go.Bar(
                y=names,
                x=[r.npv_at_high - base for r in rows],
                base=base,
                orientation="h",
                name="input at high",
                marker_color=PALETTE[1],
                customdata=[[r.high, r.npv_at_high] for r in rows],
                hovertemplate="%{y} = %{customdata[0]}<br>NPV %{customdata[1]:,.0f}<extra></extra>",
            ),
        ]
    )
    return _layout(
        fig,
        _cost_title(result, f"Sensitivity of the NPV [{result.currency}] (one input at a time)"),
        barmode="overlay",
        xaxis_title=f"NPV [{result.currency}]",
        yaxis_automargin=True,
    )


def _plan_host_names(result: Any, packing_result: Any) -> dict[Any, str]:
    """Packing host labels (``host0`` or 0) → the plan's host ids, by position (``lpar1`` …)."""
    ids = [h.id for h in result.plan.hosts]
    out: dict[Any, str] = {}
    for c in packing_result.host_series.columns:
        text = str(c).removeprefix("host")
        if text.isdigit() and int(text) < len(ids):
            out[c] = ids[int(text)]
    return out


def plan_figures(
    result: ColonyPlanResult, names: Iterable[str] | None = None
) -> dict[str, go.Figure]:
    """Every figure a :class:`~colonykit.plan.ColonyPlanResult` supports, by name.

    ``sizing_range`` and ``sizing_engines`` (when the plan was sized), ``plan_hosts``,
    ``design_comparison`` and, when the result holds them, ``white_space``
    (``result.whitespace``), ``staggering`` (``result.staggering``) and ``packing``
    (``result.packing``), and ``capacity_plan`` when the plan has one (scenario
    ``growth:``).  ``names`` limits the figures built (default: all).

    Parameters
    ----------
    result : ColonyPlanResult
        The result of :func:`colonykit.plan.build_plan`.
    names : iterable of str, optional
        Figures to build; default all.

    Examples
    --------
    >>> from colonykit import plan
    >>> figs = plan_figures(plan.build_plan("data/examples/scenario.yaml"))
    >>> {"design_comparison", "plan_hosts", "sizing_engines", "sizing_range"} <= set(figs)
    True
    """
    builders: dict[str, Any] = {}
    if result.sizing is not None:
        builders["sizing_range"] = lambda: sizing_range(result.sizing, top=TOP_SERVERS)
        builders["sizing_engines"] = lambda: sizing_engines(result.sizing)
    builders["plan_hosts"] = lambda: plan_hosts(result)
    builders["design_comparison"] = lambda: design_comparison(
        result.comparison, result.plan.metadata.design
    )
    for name, key, build in (
        ("white_space", "whitespace", white_space),
        ("staggering", "staggering", staggering),
    ):
        if getattr(result, key) is not None:
            builders[name] = lambda build=build, key=key: build(getattr(result, key))
    if result.capacity_plan is not None:
        cap = result.capacity_plan
        builders["capacity_plan"] = lambda: capacity_plan(cap)
    if result.packing is not None:
        pk = result.packing
        builders["packing"] = lambda: packing_hosts(pk, host_names=_plan_host_names(result, pk))
    wanted = builders if names is None else [n for n in names if n in builders]
    return {name: builders[name]() for name in wanted}


__all__ = [
    "BOUND_COLOURS",
    "OKABE_ITO",
    "PALETTE",
    "cash_flow",
    "capacity_plan",
    "TOP_SERVERS",
    "chained_io",
    "channel_curve",
    "design_comparison",
    "mdc_calibration",
    "mdc_cpu_factor",
    "mdc_tradeoff",
    "memory_breakdown",
    "memory_growth",
    "memory_layouts",
    "packing_hosts",
    "paging_growth",
    "paging_rules",
    "plan_figures",
    "plan_hosts",
    "sizing_engines",
    "sizing_generations",
    "sizing_range",
    "staggering",
    "tornado",
    "white_space",
]
