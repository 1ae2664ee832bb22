"""Interactive colony explorer: ipywidgets controls wired to :func:`colonykit.plan.build_plan`.

Four parts, each a module:

* :mod:`colonykit.widgets.model` — the model: :class:`Controls` in, :class:`ExplorerState`
  out (:class:`~colonykit.widgets.model.PlanModel`: the plan built with library calls only, its
  figures from :mod:`colonykit.plots`, the headline read from the result); no widgets, no files.
* :mod:`colonykit.widgets.state` — the state holder :class:`ExplorerModel`: the current state,
  the recent states, the pinned baseline (:func:`key_figures`), server edits, save and export.
* :mod:`colonykit.widgets.panel` — the panel :func:`explorer` (and the workshop's
  :func:`dashboard`) built from the tables of :mod:`colonykit.widgets.specs` (controls, charts,
  buttons, server fields); thin callbacks call the state holder and send the new figures to the
  chart widgets of :mod:`colonykit.widgets.chart` (drawn in place with ``Plotly.react``).
* :mod:`colonykit.widgets.views` — what the page shows (headline, comparison, findings) as HTML.

Examples
--------
>>> from colonykit.widgets import ExplorerModel
>>> m = ExplorerModel("data/examples/scenario.yaml")
>>> s = m.update(target_util_pct=50)
>>> s.headline["target_util_pct"], s.headline["engines_per_host"]
(50.0, [4])
"""

from __future__ import annotations

from colonykit.plan.summary import headline
from colonykit.widgets.model import (
    AS_INVENTORY,
    FIGURES,
    STATIC_FIGURES,
    Controls,
    ExplorerState,
    PlanModel,
    control_help,
    controls_dict,
)
from colonykit.widgets.panel import (
    CONTROL_KEYS,
    SENT_FIGURES,
    dashboard,
    explorer,
    export_folder,
    page_helper,
)
from colonykit.widgets.state import (
    CONFIDENCE_LEVELS,
    EDITABLE_COLUMNS,
    KEY_FIGURES,
    RECENT_STATES,
    ExplorerModel,
    key_figures,
)
from colonykit.widgets.views import (
    CONFIDENCE_COLOURS,
    FIGURE_CONFIG,
    FIGURE_HEIGHT_PX,
    FIGURE_LEGEND_Y,
    FIGURE_MARGIN,
    TITLE_ONE_LINE_CHARS,
    business_case_html,
    comparison_html,
    confidence_html,
    dashboard_layout,
    export_status_html,
    headline_html,
    hosts_findings_html,
    inventory_html,
    over_time_html,
    placeholder_figure,
    saved_comparison_html,
    waterfall_html,
)

__all__ = [
    "AS_INVENTORY",
    "CONFIDENCE_COLOURS",
    "CONFIDENCE_LEVELS",
    "CONTROL_KEYS",
    "EDITABLE_COLUMNS",
    "FIGURES",
    "FIGURE_CONFIG",
    "FIGURE_HEIGHT_PX",
    "FIGURE_LEGEND_Y",
    "FIGURE_MARGIN",
    "KEY_FIGURES",
    "RECENT_STATES",
    "SENT_FIGURES",
    "STATIC_FIGURES",
    "TITLE_ONE_LINE_CHARS",
    "Controls",
    "ExplorerModel",
    "ExplorerState",
    "PlanModel",
    "business_case_html",
    "comparison_html",
    "confidence_html",
    "control_help",
    "controls_dict",
    "dashboard",
    "dashboard_layout",
    "explorer",
    "export_folder",
    "export_status_html",
    "headline",
    "headline_html",
    "hosts_findings_html",
    "inventory_html",
    "key_figures",
    "over_time_html",
    "page_helper",
    "placeholder_figure",
    "saved_comparison_html",
    "waterfall_html",
]
