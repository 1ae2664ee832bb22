"""Plan assembly: scenario (YAML) → sized, placed, checked :class:`ColonyPlan`.

The package has one module per concern:

- :mod:`~colonykit.plan.document` — the plan document (``apiVersion: colonykit/v1``,
  ``kind: ColonyPlan``) as pydantic v2 models with ``extra="forbid"``;
  :mod:`colonykit.export` writes and reads it as YAML and ships its JSON Schema,
  :mod:`colonykit.render` turns it into files for the provisioning tools;
- :mod:`~colonykit.plan.scenario` — the scenario (``kind: ColonyScenario``) and its loader;
- :mod:`~colonykit.plan.layout` — the design's layout: network, shared images, minidisks;
- :mod:`~colonykit.plan.evidence` — why the plan has its size;
- :mod:`~colonykit.plan.checks` — coded findings (CK001 …);
- :mod:`~colonykit.plan.assembly` — the orchestrator :func:`build_plan`.

:func:`build_plan` takes a :class:`Scenario` (inventory and/or traces, target processor,
design, headroom and rules) and

1. sizes the CPU with :func:`colonykit.sizing.size_inventory` (MIPS range, engines);
2. takes the white space from the traces (:mod:`colonykit.whitespace`) when given;
3. lays out the chosen design (:mod:`colonykit.designs`): shared images owned by a base
   userid, per-guest minidisks placed on volumes (:func:`colonykit.storage.layout_minidisks`),
   T-disk / VDISK swap, links, NICs;
4. sizes paging per host (:func:`colonykit.paging.paging_space`) and channel busy
   (:func:`colonykit.channels.channel_load`) when those inputs are present —
   otherwise the evidence says "not evaluated", nothing is guessed;
5. checks the plan (:func:`check_plan`) and returns coded findings (see
   :mod:`colonykit.plan.checks` for the codes).

Examples
--------
>>> from colonykit import plan
>>> scen = plan.load_scenario("data/examples/scenario.yaml")
>>> result = plan.build_plan(scen)
>>> result.plan.kind, result.plan.apiVersion
('ColonyPlan', 'colonykit/v1')
>>> sum(len(h.guests) for h in result.plan.hosts)
26
"""

from colonykit.plan._validation import validation_problems
from colonykit.plan.assembly import ColonyPlanResult, build_plan
from colonykit.plan.checks import check_plan
from colonykit.plan.document import (
    API_VERSION,
    PLAN_KIND,
    SCENARIO_KIND,
    Assumption,
    Capacity,
    ColonyPlan,
    Evidence,
    EvidenceItem,
    Finding,
    Guest,
    GuestNic,
    Host,
    HostIO,
    Image,
    Link,
    Metadata,
    Network,
    NicRef,
    Profile,
    Rules,
    StorageItem,
    XenGuest,
    XenImage,
    XenNetwork,
    ZvmDisk,
    ZvmGuest,
    ZvmNetwork,
    plan_guest_count,
)
from colonykit.plan.scenario import (
    GuestOverride,
    Scenario,
    ScenarioDesign,
    ScenarioGuests,
    ScenarioIO,
    ScenarioMetadata,
    ScenarioNetwork,
    ScenarioRules,
    ScenarioStorage,
    ScenarioTarget,
    ScenarioTraces,
    load_scenario,
    parse_scenario,
)
from colonykit.plan.summary import headline

__all__ = [
    "API_VERSION",
    "PLAN_KIND",
    "SCENARIO_KIND",
    "Assumption",
    "Capacity",
    "ColonyPlan",
    "ColonyPlanResult",
    "Evidence",
    "EvidenceItem",
    "Finding",
    "Guest",
    "GuestNic",
    "Host",
    "HostIO",
    "Image",
    "Link",
    "Metadata",
    "Network",
    "NicRef",
    "Profile",
    "Rules",
    "Scenario",
    "GuestOverride",
    "ScenarioDesign",
    "ScenarioGuests",
    "ScenarioIO",
    "ScenarioNetwork",
    "ScenarioRules",
    "ScenarioStorage",
    "ScenarioTarget",
    "ScenarioMetadata",
    "ScenarioTraces",
    "StorageItem",
    "XenGuest",
    "XenImage",
    "ZvmDisk",
    "ZvmGuest",
    "XenNetwork",
    "ZvmNetwork",
    "build_plan",
    "check_plan",
    "load_scenario",
    "parse_scenario",
    "plan_guest_count",
    "headline",
    "validation_problems",
]
