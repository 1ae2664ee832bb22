"""The business case: cost per year of today's servers and of the colony, NPV, payback, licences, CO2e.

Seed 003 §2.5.1 lists the components of Total Cost (time; hardware with maintenance; software
per seat / per CPU / per unit of capacity; occupancy and power; network; people with servers per
administrator and cloned images; migration) and §6.3 the comparison framework (staffing
Table 6-1, hardware, occupancy, other factors).  This module prices both sides year by year:

* **today** — the inventory's servers: refresh purchases (a share ``1/refresh_years`` bought
  each year), maintenance, energy (W × 8760 h × PUE), racks, administrators, network ports,
  software licensed per core (× the vendor's core factor, rounded up per server), per server,
  per socket or per capacity unit;
* **the colony** — the plan: machine, IFLs and memory bought in year 1, then the upgrade
  schedule of a capacity plan (#21 ``colonykit.forecast``; read through the
  :class:`CapacityPlanLike` protocol — without one the plan is costed as built, no upgrades)
  under the seed's §2.5.2 purchase policy (``upgrade`` the machine, ``replace`` it, or ``add``
  one); z/VM per engine; software on the engines of the LPARs that run it; frames' power and
  floor; administrators of cloned guests; migration and months of dual running.

Every price is an input (:class:`CostInputs`); defaults and the bundled illustrative example
values live in ``colonykit/_data/cost_inputs.csv`` and ``core_factors.csv`` with
``value, unit, source, confidence``.  Prices with no public source are planner inputs: when
not given they are listed in :attr:`CostResult.unpriced` and count as zero.  A result resting
on example prices says so first (:attr:`CostResult.headline`).

Three layers: pure functions (:func:`npv`, :func:`payback_month`, :func:`licence_units`,
:func:`today_side`, :func:`colony_side`) → frozen dataclasses → one orchestrator
:func:`business_case` returning a :class:`CostResult`.

Examples
--------
>>> est = TodayEstate(servers=("a", "b"), cores=(8.0, 8.0))
>>> col = ColonyEstate(hosts=(ColonyHost("lpar1", 2, 64.0, ("a", "b")),), guests=2)
>>> inp = CostInputs(horizon_years=3, discount_pct=0.0, colony_ifl_price=100.0,
...                  today_servers_per_admin=2.0, admin_year_cost=50.0)
>>> r = business_case(est, col, inp)
>>> r.total_today, r.total_colony, r.npv
(150.0, 200.0, -50.0)
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from colonykit import reference
from colonykit._dicts import DictMixin
from colonykit.errors import InputError, must_be, raise_problems, unknown_name

#: Components of each side, in display order (seed 003 §2.5.1 items 2-9).
COMPONENTS: tuple[str, ...] = (
    "hardware",
    "maintenance",
    "hypervisor",
    "software",
    "energy",
    "floor_space",
    "storage",
    "staff",
    "network",
    "migration",
    "dual_running",
)
#: Licence metrics (seed 003 §2.5.1 item 3.a: per seat, per CPU, per unit of capacity, per box).
Metric = Literal["per_core", "per_server", "per_socket", "per_capacity_unit"]
#: The seed's §2.5.2 choice as the colony's purchase policy.
PurchasePolicy = Literal["upgrade", "replace", "add"]
HOURS_PER_YEAR = 8760.0
BOUNDS: tuple[str, str, str] = ("low", "typical", "high")


# =========================================================================== protocols (#21)
class UpgradeLike(Protocol):
    """What the business case reads of one ``colonykit.forecast.Upgrade`` (issue 21).

    Parameters
    ----------
    *args : object
        Not used: a protocol is not instantiated.
    **kwargs : object
        Not used: a protocol is not instantiated.
    """

    @property
    def month(self) -> int:
        """Months after the study start at which the capacity is needed."""
        ...

    @property
    def order_by(self) -> dt.date:
        """Date the capacity must be ordered (need-by minus lead time): when it is paid."""
        ...

    @property
    def host(self) -> str:
        """Plan host id, ``"new"`` for a new LPAR or ``"machine"`` for the next model."""
        ...

    @property
    def add_engines(self) -> int:
        """Engines added."""
        ...

    @property
    def add_memory_gib(self) -> float:
        """Real storage added [GiB]."""
        ...


class ForecastStepLike(Protocol):
    """What the business case reads of one ``colonykit.forecast.ForecastStep``.

    Parameters
    ----------
    *args : object
        Not used: a protocol is not instantiated.
    **kwargs : object
        Not used: a protocol is not instantiated.
    """

    @property
    def month(self) -> int:
        """Months after the study start."""
        ...

    @property
    def guests(self) -> int:
        """Guest count after the step's events."""
        ...


class ExhaustionLike(Protocol):
    """What the comparison reads of ``colonykit.forecast.Exhaustion``.

    Parameters
    ----------
    *args : object
        Not used: a protocol is not instantiated.
    **kwargs : object
        Not used: a protocol is not instantiated.
    """

    @property
    def date(self) -> dt.date:
        """Date the plan as built runs out."""
        ...


class CapacityPlanLike(Protocol):
    """What the business case reads of a ``colonykit.forecast.CapacityPlanResult`` (issue 21).

    Parameters
    ----------
    *args : object
        Not used: a protocol is not instantiated.
    **kwargs : object
        Not used: a protocol is not instantiated.
    """

    @property
    def start(self) -> dt.date:
        """First day of the study (month 0)."""
        ...

    @property
    def horizon_months(self) -> int:
        """Months of the projection."""
        ...

    @property
    def steps(self) -> Sequence[ForecastStepLike]:
        """The projection's steps."""
        ...

    @property
    def exhaustion(self) -> ExhaustionLike | None:
        """When the plan as built runs out (None: not within the horizon)."""
        ...

    @property
    def upgrades(self) -> Sequence[UpgradeLike]:
        """The typical upgrade schedule."""
        ...

    @property
    def upgrades_by_bound(self) -> Mapping[str, Sequence[UpgradeLike]]:
        """Upgrade schedules keyed ``low``, ``typical``, ``high``."""
        ...


# =========================================================================== scenario section
class _CostModel(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class CostsToday(_CostModel):
    """Today's servers (``costs.today``); unset values come from ``cost_inputs.csv``."""

    refresh_years: float | None = Field(None, gt=0, le=50, description="Refresh cycle [years].")
    server_price: float | None = Field(None, ge=0, le=1e12, description="Price per server.")
    core_price: float | None = Field(None, ge=0, le=1e12, description="Price per core.")
    maintenance_pct: float | None = Field(
        None, ge=0, le=100, description="Maintenance per year [% of the price]."
    )
    power_w_per_server: float | None = Field(
        None, ge=0, le=1e6, description="Average power per server [W]."
    )
    servers_per_rack: float | None = Field(None, gt=0, le=1e4, description="Servers per rack.")
    rack_year_cost: float | None = Field(None, ge=0, le=1e12, description="Cost per rack-year.")
    servers_per_admin: float | None = Field(
        None, gt=0, le=1e6, description="Servers per administrator."
    )
    ports_per_server: float | None = Field(None, ge=0, le=1e3, description="Ports per server.")
    disk_gib_year_cost: float | None = Field(
        None, ge=0, le=1e9, description="Disk per GiB and year."
    )


class CostsColony(_CostModel):
    """The colony (``costs.colony``); unset values come from ``cost_inputs.csv``."""

    purchase_policy: PurchasePolicy = Field(
        "upgrade",
        description="Seed 003 §2.5.2: upgrade the machine, replace it, or add one, when the "
        "capacity plan asks for more.",
    )
    machine_price: float | None = Field(None, ge=0, le=1e12, description="Base machine price.")
    ifl_price: float | None = Field(None, ge=0, le=1e12, description="Price per IFL engine.")
    memory_gib_price: float | None = Field(
        None, ge=0, le=1e12, description="Price per GiB of memory."
    )
    maintenance_pct: float | None = Field(
        None, ge=0, le=100, description="Maintenance per year [% of the price]."
    )
    zvm_engine_price: float | None = Field(
        None, ge=0, le=1e12, description="One-time z/VM licence per engine."
    )
    zvm_support_pct: float | None = Field(
        None, ge=0, le=100, description="z/VM support per year [% of the licence]."
    )
    frames: int | None = Field(None, ge=1, le=64, description="Frames (machines) as built.")
    frame_power_kw: float | None = Field(
        None, ge=0, le=1e4, description="Average power per frame [kW]."
    )
    frame_floor_year_cost: float | None = Field(
        None, ge=0, le=1e12, description="Floor space per frame and year."
    )
    dasd_gib_year_cost: float | None = Field(
        None, ge=0, le=1e9, description="DASD per GiB and year."
    )
    guests_per_admin: float | None = Field(
        None, gt=0, le=1e6, description="Cloned guests per administrator."
    )
    migration_server_cost: float | None = Field(
        None, ge=0, le=1e12, description="Migration cost per server."
    )
    dual_running_months: float | None = Field(
        None, ge=0, le=120, description="Months of dual running."
    )


class CostsSoftware(_CostModel):
    """One software product licensed on both sides (``costs.software[]``)."""

    name: str = Field(min_length=1, max_length=80, description="Product name.")
    metric: Metric = Field(
        "per_core", description="per_core, per_server, per_socket or per_capacity_unit."
    )
    vendor: str = Field(
        "per-core",
        description="Core-factor table vendor (core_factors.csv: oracle, ibm-pvu, per-core).",
    )
    factor_today: float | None = Field(
        None, gt=0, le=1e4, description="Units per x86 core (default: core_factors.csv)."
    )
    factor_colony: float | None = Field(
        None, gt=0, le=1e4, description="Units per engine (default: core_factors.csv)."
    )
    licence_price: float | None = Field(
        None, ge=0, le=1e12, description="One-time price per licence unit."
    )
    support_pct: float | None = Field(
        None, ge=0, le=100, description="Yearly support [% of the licence price]."
    )
    year_price: float | None = Field(
        None, ge=0, le=1e12, description="Yearly subscription per licence unit."
    )
    sockets_per_server: float = Field(1.0, gt=0, le=64, description="Sockets per server.")
    servers: Literal["all"] | list[str] = Field(
        "all", description="Inventory servers that run it ('all' or their names)."
    )


class CostsSection(_CostModel):
    """The scenario's ``costs:`` section (or the file it names)."""

    file: str | None = Field(None, description="A YAML file holding this section instead.")
    example_prices: bool = Field(
        False,
        description="Fill unset inputs with the illustrative example values of cost_inputs.csv "
        "(every output then says so first).",
    )
    horizon_years: int | None = Field(
        None, ge=1, le=30, description="Years of the study (default: growth horizon, else 5)."
    )
    discount_pct: float | None = Field(None, ge=0, le=100, description="Discount rate [%/year].")
    currency: str = Field("USD", min_length=1, max_length=8, description="Currency of prices.")
    kwh_price: float | None = Field(None, ge=0, le=1e3, description="Electricity [per kWh].")
    co2e_kg_per_kwh: float | None = Field(None, ge=0, le=10, description="Grid factor [kg/kWh].")
    pue: float | None = Field(None, ge=1, le=5, description="Power usage effectiveness.")
    admin_year_cost: float | None = Field(None, ge=0, le=1e9, description="Per admin-year.")
    port_year_cost: float | None = Field(None, ge=0, le=1e9, description="Per port-year.")
    today: CostsToday = Field(default_factory=CostsToday, description="Today's servers.")
    colony: CostsColony = Field(default_factory=CostsColony, description="The colony.")
    software: list[CostsSoftware] = Field(
        default_factory=list, description="Software on both sides."
    )
    uncertain: dict[str, list[float] | None] = Field(
        default_factory=dict,
        description="Inputs (CostInputs field names) for the tornado, each with [low, high] or "
        "null for the table's low/high.",
    )


# =========================================================================== inputs
@dataclass(frozen=True)
class CostInputs(DictMixin):
    """Every number of the cost model (currency units unless the name says otherwise).

    ``None`` means not priced (counts as zero and is listed in :attr:`CostResult.unpriced`).
    Field names are the rows of ``cost_inputs.csv``, whose ``description`` says what each is.

    Attributes
    ----------
    horizon_years : int
        Years of the study.
    discount_pct : float
        Yearly discount rate of the NPV [%].
    kwh_price, co2e_kg_per_kwh, pue : float or None
        Electricity price [per kWh], grid emission factor [kg CO2e/kWh], PUE of the site.
    admin_year_cost, port_year_cost : float or None
        Cost of an administrator-year and of a network port-year.
    today_refresh_years, today_server_price, today_core_price : float or None
        Refresh cycle [years] and price per server and per core of today's servers.
    today_maintenance_pct : float or None
        Their hardware maintenance per year [% of the price].
    today_power_w_per_server : float or None
        Average power per server [W].
    today_servers_per_rack, today_rack_year_cost : float or None
        Servers per rack and the cost of a rack-year.
    today_servers_per_admin, today_ports_per_server : float or None
        Servers per administrator and network ports per server.
    today_disk_gib_year_cost : float or None
        Disk of today's servers per GiB and year.
    colony_machine_price, colony_ifl_price, colony_memory_gib_price : float or None
        Machine base price, price per IFL and per GiB of memory.
    colony_maintenance_pct : float or None
        Hardware maintenance per year [% of the price].
    colony_zvm_engine_price, colony_zvm_support_pct : float or None
        One-time z/VM licence per engine and its yearly support [%].
    colony_frames : int
        Frames (machines) as built.
    colony_frame_power_kw, colony_frame_floor_year_cost : float or None
        Average power per frame [kW] and floor space per frame-year.
    colony_dasd_gib_year_cost : float or None
        DASD per GiB and year.
    colony_guests_per_admin : float or None
        Cloned guests per administrator (seed 003 Table 6-1).
    colony_migration_server_cost : float or None
        Migration cost per server.
    colony_dual_running_months : float
        Months today's servers keep running next to the colony.
    colony_purchase_policy : {'upgrade', 'replace', 'add'}
        Seed 003 §2.5.2: how the capacity plan's upgrades are bought.
    """

    horizon_years: int = 5
    discount_pct: float = 7.0
    kwh_price: float | None = None
    co2e_kg_per_kwh: float | None = None
    pue: float | None = None
    admin_year_cost: float | None = None
    port_year_cost: float | None = None
    today_refresh_years: float | None = None
    today_server_price: float | None = None
    today_core_price: float | None = None
    today_maintenance_pct: float | None = None
    today_power_w_per_server: float | None = None
    today_servers_per_rack: float | None = None
    today_rack_year_cost: float | None = None
    today_servers_per_admin: float | None = None
    today_ports_per_server: float | None = None
    today_disk_gib_year_cost: float | None = None
    colony_machine_price: float | None = None
    colony_ifl_price: float | None = None
    colony_memory_gib_price: float | None = None
    colony_maintenance_pct: float | None = None
    colony_zvm_engine_price: float | None = None
    colony_zvm_support_pct: float | None = None
    colony_frames: int = 1
    colony_frame_power_kw: float | None = None
    colony_frame_floor_year_cost: float | None = None
    colony_dasd_gib_year_cost: float | None = None
    colony_guests_per_admin: float | None = None
    colony_migration_server_cost: float | None = None
    colony_dual_running_months: float = 0.0
    colony_purchase_policy: PurchasePolicy = "upgrade"


#: Inputs that are prices (for "all prices zero" and the unpriced list).
PRICE_FIELDS: tuple[str, ...] = (
    "kwh_price",
    "admin_year_cost",
    "port_year_cost",
    "today_server_price",
    "today_core_price",
    "today_rack_year_cost",
    "today_disk_gib_year_cost",
    "colony_machine_price",
    "colony_ifl_price",
    "colony_memory_gib_price",
    "colony_zvm_engine_price",
    "colony_frame_floor_year_cost",
    "colony_dasd_gib_year_cost",
    "colony_migration_server_cost",
)


@dataclass(frozen=True)
class SoftwareProduct:
    """One product with its metric, core factors and prices (``None``: not priced).

    Attributes
    ----------
    name : str
        Product name.
    metric : {'per_core', 'per_server', 'per_socket', 'per_capacity_unit'}
        Licence metric.
    factor_today, factor_colony : float
        Licence units per x86 core and per engine (the vendor's core factor or PVUs).
    licence_price : float or None
        One-time price per licence unit.
    support_pct : float or None
        Yearly support [% of the licence price].
    year_price : float or None
        Yearly subscription per licence unit.
    sockets_per_server : float
        Sockets per server (``per_socket``).
    servers : tuple of str or None
        Inventory servers that run it (None: all).
    """

    name: str
    metric: Metric = "per_core"
    factor_today: float = 1.0
    factor_colony: float = 1.0
    licence_price: float | None = None
    support_pct: float | None = None
    year_price: float | None = None
    sockets_per_server: float = 1.0
    servers: tuple[str, ...] | None = None  # None: all


@dataclass(frozen=True)
class InputSource:
    """Where one input's value came from (the business case's traceability).

    Attributes
    ----------
    name : str
        The input (a :class:`CostInputs` field or ``software.<product>.<price>``).
    value : float, str or None
        Its value (None: not priced).
    unit : str
        Its unit.
    origin : {'scenario', 'default', 'example', 'unpriced'}
        The scenario, a sourced default, an illustrative example value, or nothing.
    source : str
        The public source (``cost_inputs.csv``) or ``input``.
    confidence : str
        The table's confidence.
    """

    name: str
    value: float | str | None
    unit: str
    origin: Literal["scenario", "default", "example", "unpriced"]
    source: str
    confidence: str


# =========================================================================== estates
@dataclass(frozen=True)
class TodayEstate:
    """Today's servers: names and physical cores (one entry per server, ``count`` expanded).

    Attributes
    ----------
    servers : tuple of str
        Server names (repeated for ``count`` > 1).
    cores : tuple of float
        Physical cores of each.
    disk_gib : float
        Disk of all of them (the inventory's ``disk_gib`` × count) [GiB].
    """

    servers: tuple[str, ...]
    cores: tuple[float, ...]
    disk_gib: float = 0.0

    def __post_init__(self) -> None:
        if len(self.servers) != len(self.cores):
            msg = f"TodayEstate: {len(self.servers)} servers but {len(self.cores)} core counts"
            raise InputError(msg)


@dataclass(frozen=True)
class ColonyHost:
    """One LPAR of the colony: engines, real storage and the inventory servers it carries.

    Attributes
    ----------
    id : str
        Plan host id.
    engines : int
        Engines (IFLs).
    memory_gib : float
        Real storage [GiB].
    servers : tuple of str
        Inventory servers whose guests it carries.
    """

    id: str
    engines: int
    memory_gib: float
    servers: tuple[str, ...]


@dataclass(frozen=True)
class ColonyEstate:
    """The colony as built.

    Attributes
    ----------
    hosts : tuple of ColonyHost
        Its LPARs.
    guests : int
        Guests.
    disk_gib : float
        DASD: shared images, guest disks and paging [GiB].
    """

    hosts: tuple[ColonyHost, ...]
    guests: int
    disk_gib: float = 0.0

    @property
    def engines(self) -> int:
        """Engines of all LPARs."""
        return sum(h.engines for h in self.hosts)

    @property
    def memory_gib(self) -> float:
        """Real storage of all LPARs [GiB]."""
        return float(sum(h.memory_gib for h in self.hosts))


# =========================================================================== results
@dataclass(frozen=True)
class SideCost(DictMixin):
    """Cost of one side per year (index 0 = year 1) and component.

    Attributes
    ----------
    by_component : mapping of str to tuple of float
        Cost per year of each of :data:`COMPONENTS`.
    one_time : tuple of float
        The part of each year's cost paid once, in the year's first month.
    energy_kwh, co2e_t : tuple of float
        Energy [kWh] and CO2e [t] per year.
    licence_units : mapping of str to tuple of float
        Licence units per product and year.
    licence_cores : tuple of float
        Cores (today) or engines (colony) in scope of the licences, per year.
    """

    by_component: Mapping[str, tuple[float, ...]]
    one_time: tuple[float, ...]
    energy_kwh: tuple[float, ...]
    co2e_t: tuple[float, ...]
    licence_units: Mapping[str, tuple[float, ...]]
    licence_cores: tuple[float, ...]

    @property
    def per_year(self) -> tuple[float, ...]:
        """Total per year."""
        n = len(self.one_time)
        return tuple(float(sum(v[i] for v in self.by_component.values())) for i in range(n))

    @property
    def total(self) -> float:
        """Total over the horizon."""
        return float(sum(self.per_year))


@dataclass(frozen=True)
class SensitivityRow(DictMixin):
    """One bar of the tornado: NPV with one input at its low and at its high value.

    Attributes
    ----------
    input : str
        The :class:`CostInputs` field varied.
    low, high : float
        Its low and high value.
    npv_at_low, npv_at_high : float
        The NPV with it there (everything else as given).
    """

    input: str
    low: float
    high: float
    npv_at_low: float
    npv_at_high: float

    @property
    def swing(self) -> float:
        """The NPV swing: ``abs(NPV at high − NPV at low)``."""
        return abs(self.npv_at_high - self.npv_at_low)


@dataclass(frozen=True)
class CostResult(DictMixin):
    """The business case (:func:`business_case`).

    Attributes
    ----------
    inputs : CostInputs
        Every number used.
    currency : str
        Currency of every amount.
    today, colony : SideCost
        Cost of each side per year and component.
    npv : float
        Net present value of the savings (year y ÷ (1 + d)^y, year 1 the first).
    payback_months : int or None
        Months until the cumulative savings are >= 0 (None: not within the horizon).
    roi_pct : float or None
        Savings over the horizon ÷ the colony's one-time cost [%].
    npv_range : mapping of str to float
        NPV at the low/typical/high WLF bound.
    sensitivity : tuple of SensitivityRow
        The tornado, largest swing first.
    colony_cost_range : mapping of str to float
        The colony's cost over the horizon at the low/typical/high WLF bound.
    sources : tuple of InputSource
        Where each input came from.
    unpriced : tuple of str
        Inputs not priced (counted as 0).
    example_prices_used : tuple of str
        Inputs taken from the illustrative example values.
    upgrades_used : int
        Upgrades of the capacity plan bought within the horizon.
    notes : tuple of str
        How the estates were read.
    products : tuple of str
        Software products priced.
    """

    inputs: CostInputs
    currency: str
    today: SideCost
    colony: SideCost
    npv: float
    payback_months: int | None
    roi_pct: float | None
    npv_range: Mapping[str, float]
    sensitivity: tuple[SensitivityRow, ...]
    colony_cost_range: Mapping[str, float] = field(default_factory=dict)
    sources: tuple[InputSource, ...] = ()
    unpriced: tuple[str, ...] = ()
    example_prices_used: tuple[str, ...] = ()
    upgrades_used: int = 0
    notes: tuple[str, ...] = ()
    products: tuple[str, ...] = field(default=())

    #: ``to_dict()``: every key computed (:meth:`_dict_computed`), in this order
    _dict_keys = (
        "first_line",
        "horizon_years",
        "currency",
        "discount_pct",
        "years",
        "npv",
        "payback_months",
        "roi_pct",
        "total_today",
        "total_colony",
        "licence_cores_today",
        "licence_cores_colony",
        "licences_today",
        "licences_colony",
        "energy_kwh_today",
        "energy_kwh_colony",
        "co2e_t_today",
        "co2e_t_colony",
        "range",
        "colony_cost_range",
        "sensitivity",
        "example_prices_used",
        "unpriced",
        "upgrades_used",
        "notes",
        "inputs",
    )

    @property
    def horizon_years(self) -> int:
        """Years of the study."""
        return int(self.inputs.horizon_years)

    @property
    def savings_per_year(self) -> tuple[float, ...]:
        """Today minus colony, per year."""
        return tuple(a - b for a, b in zip(self.today.per_year, self.colony.per_year, strict=True))

    @property
    def total_today(self) -> float:
        """Today's cost over the horizon."""
        return self.today.total

    @property
    def total_colony(self) -> float:
        """The colony's cost over the horizon."""
        return self.colony.total

    @property
    def headline(self) -> str:
        """The first line of every output: says when the result rests on example prices."""
        if self.example_prices_used:
            line = (
                "EXAMPLE PRICES: this business case rests on illustrative example prices "
                f"({', '.join(self.example_prices_used)}); replace them with your own"
            )
        else:
            line = "business case on the planner's own prices"
        if self.unpriced:
            line += f"; NOT PRICED (counted as 0): {', '.join(self.unpriced)}"
        return line

    @property
    def energy_kwh_today(self) -> float | None:
        """Energy of today's servers in year 1 [kWh] (None: their power is not given)."""
        return None if self.inputs.today_power_w_per_server is None else self.today.energy_kwh[0]

    @property
    def energy_kwh_colony(self) -> float | None:
        """Energy of the colony in year 1 [kWh] (None: the frame power is not given)."""
        return None if self.inputs.colony_frame_power_kw is None else self.colony.energy_kwh[0]

    @property
    def co2e_t_today(self) -> float | None:
        """CO2e of today's servers in year 1 [t] (None: energy or grid factor not given)."""
        if self.energy_kwh_today is None or self.inputs.co2e_kg_per_kwh is None:
            return None
        return self.today.co2e_t[0]

    @property
    def co2e_t_colony(self) -> float | None:
        """CO2e of the colony in year 1 [t] (None: energy or grid factor not given)."""
        if self.energy_kwh_colony is None or self.inputs.co2e_kg_per_kwh is None:
            return None
        return self.colony.co2e_t[0]

    def cumulative_savings(self) -> tuple[float, ...]:
        """Cumulative savings at the end of each year (undiscounted)."""
        return tuple(float(x) for x in np.cumsum(self.savings_per_year))

    def _dict_computed(self) -> dict[str, object]:
        """The CLI JSON contract of ``colonykit costs --format json`` (issue 22 §4)."""
        years = []
        for i in range(self.horizon_years):
            t = {c: _r(v[i]) for c, v in self.today.by_component.items()}
            c_ = {c: _r(v[i]) for c, v in self.colony.by_component.items()}
            years.append(
                {
                    "year": i + 1,
                    "today": t,
                    "colony": c_,
                    "savings": {k: _r(t[k] - c_[k]) for k in t},
                }
            )
        return {
            "first_line": self.headline,
            "horizon_years": self.horizon_years,
            "currency": self.currency,
            "discount_pct": self.inputs.discount_pct,
            "years": years,
            "npv": _r(self.npv),
            "payback_months": self.payback_months,
            "roi_pct": None if self.roi_pct is None else _r(self.roi_pct),
            "total_today": _r(self.total_today),
            "total_colony": _r(self.total_colony),
            "licence_cores_today": _r(self.today.licence_cores[0]),
            "licence_cores_colony": _r(self.colony.licence_cores[0]),
            "licences_today": {k: _r(v[0]) for k, v in self.today.licence_units.items()},
            "licences_colony": {k: _r(v[0]) for k, v in self.colony.licence_units.items()},
            "energy_kwh_today": _ro(self.energy_kwh_today),
            "energy_kwh_colony": _ro(self.energy_kwh_colony),
            "co2e_t_today": _ro(self.co2e_t_today, 4),
            "co2e_t_colony": _ro(self.co2e_t_colony, 4),
            "range": {k: _r(v) for k, v in self.npv_range.items()},
            "colony_cost_range": {k: _r(v) for k, v in self.colony_cost_range.items()},
            "sensitivity": [
                {
                    "input": s.input,
                    "low": s.low,
                    "high": s.high,
                    "npv_at_low": _r(s.npv_at_low),
                    "npv_at_high": _r(s.npv_at_high),
                }
                for s in self.sensitivity
            ],
            "example_prices_used": list(self.example_prices_used),
            "unpriced": list(self.unpriced),
            "upgrades_used": self.upgrades_used,
            "notes": list(self.notes),
            "inputs": [dataclasses.asdict(s) for s in self.sources],
        }


def _r(x: float) -> float:
    return round(float(x), 2)


def _ro(x: float | None, digits: int = 2) -> float | None:
    return None if x is None else round(float(x), digits)


# =========================================================================== pure functions
def npv(savings_per_year: Sequence[float], discount_pct: float) -> float:
    """Net present value: year y's savings divided by (1 + d)^y, year 1 the first year.

    Parameters
    ----------
    savings_per_year : sequence of float
        Savings of years 1, 2, … (today minus colony).
    discount_pct : float
        Yearly discount rate [%].

    Examples
    --------
    >>> round(npv([110.0, 121.0], 10.0), 6)
    200.0
    """
    d = discount_pct / 100.0
    return float(sum(s / (1.0 + d) ** (i + 1) for i, s in enumerate(savings_per_year)))


def monthly_savings(
    today_recurring: Sequence[float],
    today_one_time: Sequence[float],
    colony_recurring: Sequence[float],
    colony_one_time: Sequence[float],
) -> np.ndarray:
    """Savings per month: one-time amounts in the first month of their year, the rest /12.

    Parameters
    ----------
    today_recurring, colony_recurring : sequence of float
        Recurring cost per year of each side.
    today_one_time, colony_one_time : sequence of float
        One-time cost per year of each side (paid in the year's first month).

    Examples
    --------
    >>> monthly_savings([120.0], [0.0], [0.0], [60.0])[:3].tolist()
    [-50.0, 10.0, 10.0]
    """
    n = len(today_recurring)
    out = np.zeros(12 * n)
    for y in range(n):
        out[12 * y : 12 * y + 12] = (today_recurring[y] - colony_recurring[y]) / 12.0
        out[12 * y] += today_one_time[y] - colony_one_time[y]
    return out


def payback_month(monthly: Sequence[float]) -> int | None:
    """First month (1-based) at whose end the cumulative savings are back at >= 0.

    0 when they never go below zero; None when they are still negative at the horizon.

    Parameters
    ----------
    monthly : sequence of float
        Savings per month (:func:`monthly_savings`).

    Examples
    --------
    >>> payback_month([-50.0] + [10.0] * 11)
    6
    """
    cum = np.cumsum(np.asarray(monthly, dtype=float))
    if not len(cum) or cum.min() >= 0:
        return 0
    neg = np.nonzero(cum < 0)[0]
    last_neg = int(neg[-1])
    if last_neg == len(cum) - 1:
        return None
    return last_neg + 2


def licence_units(
    cores: Sequence[float], metric: Metric, factor: float, sockets_per_server: float = 1.0
) -> float:
    """Licence units of one side of a product, rounded as the metric requires.

    ``per_core``: Σ ceil(cores × factor) per server (the Oracle rule: round up per server);
    ``per_capacity_unit``: Σ ceil(cores × units per core) (IBM PVU); ``per_server``: the
    number of servers; ``per_socket``: Σ ceil(sockets × factor).

    Parameters
    ----------
    cores : sequence of float
        Physical cores (or engines) of each server (or licensed LPAR set) in scope.
    metric : {'per_core', 'per_server', 'per_socket', 'per_capacity_unit'}
        The licence metric.
    factor : float
        Core factor (licences per core) or capacity units per core.
    sockets_per_server : float, default 1
        Sockets of each server (``per_socket``).

    Examples
    --------
    >>> licence_units([5, 8, 1], "per_core", 0.5)  # 3 + 4 + 1
    8.0
    >>> licence_units([3], "per_capacity_unit", 120)
    360.0
    """
    c = np.asarray(cores, dtype=float)
    if metric == "per_server":
        return float(len(c))
    if metric == "per_socket":
        return float(len(c) * math.ceil(round(sockets_per_server * factor, 9)))
    return float(np.ceil(np.round(c * factor, 9)).sum())


def energy_kwh(power_kw: float, pue: float | None) -> float:
    """Energy of a year at a constant average power, with the facility's PUE.

    Parameters
    ----------
    power_kw : float
        Average IT power [kW].
    pue : float or None
        Power usage effectiveness (None: 1, IT energy only).

    Examples
    --------
    >>> energy_kwh(1.0, 1.5)
    13140.0
    """
    return float(power_kw * HOURS_PER_YEAR * (pue if pue is not None else 1.0))


def _z(x: float | None) -> float:
    return 0.0 if x is None else float(x)


def _ceil_div(n: float, per: float | None) -> float:
    return 0.0 if per is None or per <= 0 else float(math.ceil(round(n / per, 9)))


def _product_servers(p: SoftwareProduct, names: Sequence[str]) -> list[int]:
    if p.servers is None:
        return list(range(len(names)))
    want = set(p.servers)
    return [i for i, n in enumerate(names) if n in want]


def today_growth(
    estate: TodayEstate, guests: int, capacity_plan: CapacityPlanLike | None, years: int
) -> tuple[float, ...]:
    """Servers today's estate would need at the end of each year to carry the forecast guests.

    Without a capacity plan: the inventory's count every year.  With one: each guest above
    the plan's count is one more server (the forecast's growth on today's side too).

    Parameters
    ----------
    estate : TodayEstate
        Today's servers.
    guests : int
        Guests of the colony as built.
    capacity_plan : CapacityPlanLike or None
        The capacity plan (#21) or None.
    years : int
        Years of the study.

    Examples
    --------
    >>> today_growth(TodayEstate(("a",), (2.0,)), 1, None, 2)
    (1.0, 1.0)
    """
    n = float(len(estate.servers))
    if capacity_plan is None or not capacity_plan.steps:
        return (n,) * years
    out = []
    for y in range(1, years + 1):
        steps = [s for s in capacity_plan.steps if s.month <= 12 * y]
        g = steps[-1].guests if steps else guests
        out.append(n + max(0.0, float(g - guests)))
    return tuple(out)


def today_side(
    estate: TodayEstate,
    inp: CostInputs,
    products: Sequence[SoftwareProduct] = (),
    servers_by_year: Sequence[float] | None = None,
) -> SideCost:
    """Cost per year and component of keeping today's servers.

    Parameters
    ----------
    estate : TodayEstate
        The inventory's servers and their cores.
    inp : CostInputs
        The prices and ratios.
    products : sequence of SoftwareProduct
        Software licensed on the servers.
    servers_by_year : sequence of float, optional
        Servers per year with growth (:func:`today_growth`); default the inventory's count.

    Examples
    --------
    >>> s = today_side(TodayEstate(("a", "b"), (4.0, 4.0)),
    ...                CostInputs(horizon_years=1, today_servers_per_admin=1, admin_year_cost=10.0))
    >>> s.by_component["staff"]
    (20.0,)
    """
    years = int(inp.horizon_years)
    n0 = float(len(estate.servers))
    n_by = list(servers_by_year) if servers_by_year is not None else [n0] * years
    avg_cores = float(np.mean(estate.cores)) if estate.cores else 0.0
    unit_price = _z(inp.today_server_price) + _z(inp.today_core_price) * avg_cores
    comp = {c: [0.0] * years for c in COMPONENTS}
    one_time = [0.0] * years
    kwh = [0.0] * years
    units: dict[str, list[float]] = {p.name: [0.0] * years for p in products}
    lic_cores = [0.0] * years
    prev = n0
    for y in range(years):
        n = n_by[y]
        new = max(0.0, n - prev)
        prev = n
        refresh = n / inp.today_refresh_years if inp.today_refresh_years else 0.0
        comp["hardware"][y] = (refresh + new) * unit_price
        comp["maintenance"][y] = _z(inp.today_maintenance_pct) / 100.0 * n * unit_price
        kwh[y] = energy_kwh(n * _z(inp.today_power_w_per_server) / 1000.0, inp.pue)
        comp["energy"][y] = kwh[y] * _z(inp.kwh_price)
        comp["floor_space"][y] = _ceil_div(n, inp.today_servers_per_rack) * _z(
            inp.today_rack_year_cost
        )
        admins = n / inp.today_servers_per_admin if inp.today_servers_per_admin else 0.0
        comp["staff"][y] = admins * _z(inp.admin_year_cost)
        comp["network"][y] = n * _z(inp.today_ports_per_server) * _z(inp.port_year_cost)
        scale = n / n0 if n0 else 0.0
        comp["storage"][y] = estate.disk_gib * scale * _z(inp.today_disk_gib_year_cost)
        in_scope: set[int] = set()
        for p in products:
            idx = _product_servers(p, estate.servers)
            in_scope.update(idx)
            u = licence_units(
                [estate.cores[i] for i in idx], p.metric, p.factor_today, p.sockets_per_server
            )
            u = math.ceil(round(u * scale, 9))
            units[p.name][y] = float(u)
            comp["software"][y] += u * (
                _z(p.year_price) + _z(p.licence_price) * _z(p.support_pct) / 100.0
            )
        scope = in_scope if products else set(range(len(estate.servers)))
        lic_cores[y] = float(sum(estate.cores[i] for i in scope)) * scale
    co2 = [k * _z(inp.co2e_kg_per_kwh) / 1000.0 for k in kwh]
    return SideCost(
        by_component={c: tuple(v) for c, v in comp.items()},
        one_time=tuple(one_time),
        energy_kwh=tuple(kwh),
        co2e_t=tuple(co2),
        licence_units={k: tuple(v) for k, v in units.items()},
        licence_cores=tuple(lic_cores),
    )


def purchase_month(upgrade: UpgradeLike, start: dt.date | None = None) -> int:
    """Month of the study (0 = the first) in which an upgrade is paid: its order date.

    With the study's ``start`` the month of ``upgrade.order_by`` (an order due before the
    start is paid in month 0); without it the month the capacity is needed.

    Parameters
    ----------
    upgrade : UpgradeLike
        One upgrade of the capacity plan.
    start : datetime.date, optional
        The capacity plan's start.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> u = SimpleNamespace(month=14, order_by=dt.date(2028, 1, 15))
    >>> purchase_month(u, dt.date(2027, 1, 1)), purchase_month(u)
    (12, 14)
    """
    if start is None:
        return int(upgrade.month)
    od = upgrade.order_by
    return max(0, (od.year - start.year) * 12 + (od.month - start.month))


def upgrades_by_year(
    upgrades: Sequence[UpgradeLike], years: int, start: dt.date | None = None
) -> list[list[UpgradeLike]]:
    """The upgrades paid in each study year (purchase month 0..11 → year 1).

    Parameters
    ----------
    upgrades : sequence of UpgradeLike
        The capacity plan's schedule.
    years : int
        Years of the study (later upgrades are left out).
    start : datetime.date, optional
        The capacity plan's start: upgrades are paid at their order date
        (:func:`purchase_month`); without it, in the month they are needed.

    Examples
    --------
    >>> upgrades_by_year([], 2)
    [[], []]
    """
    out: list[list[UpgradeLike]] = [[] for _ in range(years)]
    for u in upgrades:
        y = purchase_month(u, start) // 12
        if 0 <= y < years:
            out[y].append(u)
    return out


def colony_side(
    colony: ColonyEstate,
    today_servers: Sequence[str],
    inp: CostInputs,
    products: Sequence[SoftwareProduct] = (),
    upgrades: Sequence[UpgradeLike] = (),
    today_running: Sequence[float] | None = None,
    owned_licences: Mapping[str, float] | None = None,
    start: dt.date | None = None,
) -> SideCost:
    """Cost per year and component of the colony, with its upgrade schedule and purchase policy.

    Year 1 buys the machine as built (``colony_frames`` × machine price, every engine, all
    memory, z/VM per engine) and pays migration and dual running.  Each upgrade of the
    schedule then costs, by policy (seed 003 §2.5.2): ``upgrade`` — the added engines and
    memory; ``add`` — a further machine with the added engines and memory (one more frame);
    ``replace`` — a new machine with all engines and memory (the old one retired; z/VM is
    bought for the added engines only).  An upgrade whose host is ``"machine"`` (issue 21:
    the next model) is bought as ``replace`` under the ``upgrade`` policy.

    Parameters
    ----------
    colony : ColonyEstate
        The plan's LPARs and guests.
    today_servers : sequence of str
        The inventory's server names (for products on some servers and migration).
    inp : CostInputs
        The prices and ratios.
    products : sequence of SoftwareProduct
        Software licensed on the engines of the LPARs that run it.
    upgrades : sequence of UpgradeLike
        The capacity plan's upgrade schedule (empty: the plan as built).
    today_running : sequence of float, optional
        Today's recurring cost per year (for the months of dual running).
    owned_licences : mapping of str to float, optional
        Licence units already owned per product (re-used; only more are bought).
    start : datetime.date, optional
        The capacity plan's start: upgrades are paid in the year of their order date.

    Examples
    --------
    >>> col = ColonyEstate((ColonyHost("lpar1", 2, 64.0, ("a",)),), 1)
    >>> s = colony_side(col, ("a",), CostInputs(horizon_years=2, colony_ifl_price=10.0))
    >>> s.by_component["hardware"]
    (20.0, 0.0)
    """
    years = int(inp.horizon_years)
    comp = {c: [0.0] * years for c in COMPONENTS}
    one_time = [0.0] * years
    kwh = [0.0] * years
    units: dict[str, list[float]] = {p.name: [0.0] * years for p in products}
    lic_cores = [0.0] * years
    ifl, mem_p = _z(inp.colony_ifl_price), _z(inp.colony_memory_gib_price)
    machine, zvm = _z(inp.colony_machine_price), _z(inp.colony_zvm_engine_price)
    frames = float(inp.colony_frames)
    host_engines = {h.id: float(h.engines) for h in colony.hosts}
    memory = colony.memory_gib
    installed_value = frames * machine + colony.engines * ifl + memory * mem_p
    zvm_value = colony.engines * zvm
    owned = dict(owned_licences or {})
    sched = upgrades_by_year(upgrades, years, start)
    names = list(today_servers)
    product_hosts = {
        p.name: {
            h.id for h in colony.hosts if p.servers is None or set(h.servers) & set(_sel(p, names))
        }
        for p in products
    }
    for y in range(years):
        hw = installed_value if y == 0 else 0.0
        hyp = zvm_value if y == 0 else 0.0
        for u in sched[y]:
            add_e, add_m = float(u.add_engines), float(u.add_memory_gib)
            target = u.host if u.host in host_engines else "new"
            engines_now = sum(host_engines.values())
            policy = inp.colony_purchase_policy
            if u.host == "machine" and policy == "upgrade":
                policy = "replace"  # the machine is full: the next model replaces it
            if policy == "replace":
                cost = machine + (engines_now + add_e) * ifl + (memory + add_m) * mem_p
                installed_value = cost + (frames - 1) * machine
            elif policy == "add":
                cost = machine + add_e * ifl + add_m * mem_p
                frames += 1
                installed_value += cost
            else:
                cost = add_e * ifl + add_m * mem_p
                installed_value += cost
            hw += cost
            hyp += add_e * zvm
            zvm_value += add_e * zvm
            host_engines[target] = host_engines.get(target, 0.0) + add_e
            memory += add_m
            if target == "new":
                for hs in product_hosts.values():
                    if len(hs) == len(colony.hosts):  # products on every LPAR follow new LPARs
                        hs.add("new")
        comp["hardware"][y] = hw
        comp["hypervisor"][y] = hyp + zvm_value * _z(inp.colony_zvm_support_pct) / 100.0
        one_time[y] = hw + hyp
        comp["maintenance"][y] = _z(inp.colony_maintenance_pct) / 100.0 * installed_value
        kwh[y] = energy_kwh(frames * _z(inp.colony_frame_power_kw), inp.pue)
        comp["energy"][y] = kwh[y] * _z(inp.kwh_price)
        comp["floor_space"][y] = frames * _z(inp.colony_frame_floor_year_cost)
        comp["storage"][y] = colony.disk_gib * _z(inp.colony_dasd_gib_year_cost)
        admins = colony.guests / inp.colony_guests_per_admin if inp.colony_guests_per_admin else 0.0
        comp["staff"][y] = admins * _z(inp.admin_year_cost)
        in_scope: set[str] = set()
        for p in products:
            hs = product_hosts[p.name]
            in_scope |= hs
            eng = [host_engines[h] for h in sorted(hs)]
            if p.metric == "per_server":
                units_y = float(colony.guests if p.servers is None else len(_sel(p, names)))
            else:
                units_y = licence_units([sum(eng)], p.metric, p.factor_colony, 1.0)
            units[p.name][y] = units_y
            have = owned.get(p.name, 0.0)
            buy = max(0.0, units_y - have) * _z(p.licence_price)
            owned[p.name] = max(have, units_y)
            one_time[y] += buy
            comp["software"][y] += buy + units_y * (
                _z(p.year_price) + _z(p.licence_price) * _z(p.support_pct) / 100.0
            )
        scope = in_scope if products else set(host_engines)
        lic_cores[y] = float(sum(host_engines[h] for h in scope))
    comp["migration"][0] = len(names) * _z(inp.colony_migration_server_cost)
    one_time[0] += comp["migration"][0]
    if today_running is not None and inp.colony_dual_running_months > 0:
        months = float(inp.colony_dual_running_months)
        for y in range(years):
            share = min(12.0, max(0.0, months - 12.0 * y)) / 12.0
            comp["dual_running"][y] = share * today_running[y]
    co2 = [k * _z(inp.co2e_kg_per_kwh) / 1000.0 for k in kwh]
    return SideCost(
        by_component={c: tuple(v) for c, v in comp.items()},
        one_time=tuple(one_time),
        energy_kwh=tuple(kwh),
        co2e_t=tuple(co2),
        licence_units={k: tuple(v) for k, v in units.items()},
        licence_cores=tuple(lic_cores),
    )


def _sel(p: SoftwareProduct, names: Sequence[str]) -> list[str]:
    return list(names) if p.servers is None else [n for n in names if n in set(p.servers)]


def _recurring(side: SideCost) -> tuple[float, ...]:
    return tuple(t - o for t, o in zip(side.per_year, side.one_time, strict=True))


# =========================================================================== orchestration
def _evaluate(
    today: TodayEstate,
    colony: ColonyEstate,
    inp: CostInputs,
    products: Sequence[SoftwareProduct],
    capacity_plan: CapacityPlanLike | None,
    bound: str = "typical",
) -> tuple[SideCost, SideCost, int]:
    years = int(inp.horizon_years)
    servers_by_year = today_growth(today, colony.guests, capacity_plan, years)
    t = today_side(today, inp, products, servers_by_year)
    upgrades: Sequence[UpgradeLike] = ()
    start = capacity_plan.start if capacity_plan is not None else None
    if capacity_plan is not None:
        by_bound = capacity_plan.upgrades_by_bound
        upgrades = by_bound.get(bound, capacity_plan.upgrades) if by_bound else ()
        if not upgrades and bound == "typical":
            upgrades = capacity_plan.upgrades
    owned = {k: v[0] for k, v in t.licence_units.items()}
    c = colony_side(colony, today.servers, inp, products, upgrades, _recurring(t), owned, start)
    return t, c, sum(len(x) for x in upgrades_by_year(upgrades, years, start))


def _npv_of(t: SideCost, c: SideCost, inp: CostInputs) -> float:
    return npv([a - b for a, b in zip(t.per_year, c.per_year, strict=True)], inp.discount_pct)


def scaled_colony(colony: ColonyEstate, ratio: float) -> ColonyEstate:
    """The colony with every LPAR's engines scaled by ``ratio`` (rounded up, at least 1).

    Used to carry the low/typical/high WLF range to a cost range.

    Parameters
    ----------
    colony : ColonyEstate
        The colony as built.
    ratio : float
        Engines at the other bound ÷ engines at the plan's bound.

    Examples
    --------
    >>> scaled_colony(ColonyEstate((ColonyHost("l", 4, 8.0, ()),), 1), 0.3).engines
    2
    """
    return dataclasses.replace(
        colony,
        hosts=tuple(
            dataclasses.replace(h, engines=max(1, math.ceil(round(h.engines * ratio, 9))))
            for h in colony.hosts
        ),
    )


def business_case(
    today: TodayEstate,
    colony: ColonyEstate,
    inputs: CostInputs,
    products: Sequence[SoftwareProduct] = (),
    *,
    capacity_plan: CapacityPlanLike | None = None,
    engine_ratios: Mapping[str, float] | None = None,
    uncertain: Mapping[str, tuple[float, float]] | None = None,
    currency: str = "USD",
    sources: Sequence[InputSource] = (),
    notes: Sequence[str] = (),
) -> CostResult:
    """Price both sides year by year and derive NPV, payback, ROI, licences, energy and CO2e.

    Parameters
    ----------
    today : TodayEstate
        Today's servers.
    colony : ColonyEstate
        The colony as built.
    inputs : CostInputs
        Every price and ratio (``None``: not priced, counts as 0).
    products : sequence of SoftwareProduct
        Software on both sides.
    capacity_plan : CapacityPlanLike, optional
        A capacity plan over time (issue 21); without one the plan is costed as built.
    engine_ratios : mapping of str to float, optional
        Engines at the ``low``/``high`` WLF bound ÷ engines at the plan's bound; gives
        :attr:`CostResult.npv_range` (default: the typical NPV for every bound).
    uncertain : mapping of str to (float, float), optional
        Inputs (CostInputs field names) with their low and high values: the tornado.
    currency : str, default 'USD'
        Currency of every price.
    sources : sequence of InputSource
        Where each input came from (:func:`resolve_inputs`).
    notes : sequence of str
        Sentences to carry (how the estates were read).

    Returns
    -------
    CostResult

    Examples
    --------
    >>> r = business_case(TodayEstate(("a",), (16.0,)), ColonyEstate((ColonyHost("l", 1, 8.0, ("a",)),), 1),
    ...                   CostInputs(horizon_years=2, discount_pct=0.0),
    ...                   [SoftwareProduct("db", factor_today=0.5, licence_price=100.0, support_pct=20.0)])
    >>> r.today.licence_units["db"], r.colony.licence_units["db"], r.npv
    ((8.0, 8.0), (1.0, 1.0), 280.0)
    """
    problems = [
        must_be(f"uncertain.{k}", f"a CostInputs field ({sorted(_NUMERIC_FIELDS)})", k)
        for k in (uncertain or {})
        if k not in _NUMERIC_FIELDS
    ]
    raise_problems(problems, "invalid business case")
    t, c, n_up = _evaluate(today, colony, inputs, products, capacity_plan)
    savings = [a - b for a, b in zip(t.per_year, c.per_year, strict=True)]
    value = npv(savings, inputs.discount_pct)
    monthly = monthly_savings(_recurring(t), t.one_time, _recurring(c), c.one_time).tolist()
    capital = sum(c.one_time) - sum(t.one_time)
    roi = float(sum(savings)) / capital * 100.0 if capital > 0 else None
    rng = {"typical": value}
    colony_rng = {"typical": c.total}
    for b in ("low", "high"):
        ratio = (engine_ratios or {}).get(b, 1.0)
        tb, cb, _ = _evaluate(
            today, scaled_colony(colony, ratio), inputs, products, capacity_plan, b
        )
        rng[b] = _npv_of(tb, cb, inputs)
        colony_rng[b] = cb.total
    rng = {b: rng[b] for b in BOUNDS}
    colony_rng = {b: colony_rng[b] for b in BOUNDS}
    rows = []
    for name, (lo, hi) in (uncertain or {}).items():
        at = []
        for v in (lo, hi):
            vi: float | int = int(v) if name in ("horizon_years", "colony_frames") else float(v)
            inp_v = dataclasses.replace(inputs, **{name: vi})  # type: ignore[arg-type]
            tv, cv, _ = _evaluate(today, colony, inp_v, products, capacity_plan)
            at.append(_npv_of(tv, cv, inp_v))
        rows.append(SensitivityRow(name, float(lo), float(hi), at[0], at[1]))
    rows.sort(key=lambda r: -r.swing)
    unpriced = tuple(s.name for s in sources if s.origin == "unpriced")
    examples = tuple(s.name for s in sources if s.origin == "example")
    return CostResult(
        inputs=inputs,
        currency=currency,
        today=t,
        colony=c,
        npv=value,
        payback_months=payback_month(monthly),
        roi_pct=roi,
        npv_range=rng,
        colony_cost_range=colony_rng,
        sensitivity=tuple(rows),
        sources=tuple(sources),
        unpriced=unpriced,
        example_prices_used=examples,
        upgrades_used=n_up,
        notes=tuple(notes),
        products=tuple(p.name for p in products),
    )


_NUMERIC_FIELDS = frozenset(
    f.name for f in dataclasses.fields(CostInputs) if f.name != "colony_purchase_policy"
)


# =========================================================================== inputs from data
def cost_table() -> dict[str, dict[str, object]]:
    """``cost_inputs.csv``: every cost input with value, low, high, unit, kind, source.

    Examples
    --------
    >>> cost_table()["discount_pct"]["value"]
    7.0
    """
    t = reference.load_table("cost_inputs", index="name", required=("value", "unit", "kind"))
    out: dict[str, dict[str, object]] = {}
    for name, row in t.iterrows():
        out[str(name)] = {
            str(k): (None if isinstance(v, float) and math.isnan(v) else v) for k, v in row.items()
        }
    return out


def core_factor(vendor: str, platform: Literal["x86", "ibm-z"]) -> float:
    """Licence units per core of ``vendor`` on ``platform`` (``core_factors.csv``).

    Parameters
    ----------
    vendor : str
        ``oracle``, ``ibm-pvu`` or ``per-core``.
    platform : {'x86', 'ibm-z'}
        Today's x86 servers or the colony's IFLs.

    Examples
    --------
    >>> core_factor("oracle", "x86"), core_factor("ibm-pvu", "ibm-z")
    (0.5, 120.0)
    """
    t = reference.load_table("core_factors", index="key", required=("value",))
    key = f"{vendor}:{platform}"
    if key not in t.index:
        err = unknown_name("core factor", key, t.index)
        raise err
    return float(str(t.loc[key, "value"]))


#: costs section key → CostInputs field (section, attribute).
_SECTION_KEYS: dict[str, tuple[str, str]] = {
    "kwh_price": ("", "kwh_price"),
    "co2e_kg_per_kwh": ("", "co2e_kg_per_kwh"),
    "pue": ("", "pue"),
    "admin_year_cost": ("", "admin_year_cost"),
    "port_year_cost": ("", "port_year_cost"),
    **{f"today_{k}": ("today", k) for k in CostsToday.model_fields},
    **{f"colony_{k}": ("colony", k) for k in CostsColony.model_fields if k != "purchase_policy"},
}


def resolve_inputs(
    section: CostsSection, growth_horizon_years: int | None = None
) -> tuple[CostInputs, list[SoftwareProduct], list[InputSource], dict[str, tuple[float, float]]]:
    """The scenario's ``costs:`` section with every unset value from ``cost_inputs.csv``.

    A value is taken from the scenario; else, when ``example_prices`` is on, the table's
    illustrative example; else the table's sourced default; else it is not priced (None).

    Parameters
    ----------
    section : CostsSection
        The validated section.
    growth_horizon_years : int, optional
        The growth model's horizon (the default horizon when the section sets none).

    Returns
    -------
    tuple
        (:class:`CostInputs`, products, one :class:`InputSource` per input, tornado ranges).

    Examples
    --------
    >>> inp, prods, src, unc = resolve_inputs(CostsSection(example_prices=True))
    >>> inp.colony_ifl_price, inp.horizon_years
    (95000.0, 5)
    """
    table = cost_table()
    values: dict[str, object] = {}
    sources: list[InputSource] = []

    def pick(name: str, given: object) -> object:
        row = table.get(name)
        unit = str(row["unit"]) if row else ""
        if given is not None:
            sources.append(InputSource(name, _scalar(given), unit, "scenario", "input", "input"))
            return given
        if row is None:
            return None
        kind, val = row["kind"], row["value"]
        if val is not None and (
            kind == "default" or (kind == "example" and section.example_prices)
        ):
            origin: Literal["default", "example"] = "example" if kind == "example" else "default"
            sources.append(
                InputSource(
                    name, _opt(val), unit, origin, str(row["source"]), str(row["confidence"])
                )
            )
            return _opt(val)
        sources.append(
            InputSource(name, None, unit, "unpriced", str(row["source"]), str(row["confidence"]))
        )
        return None

    horizon = section.horizon_years if section.horizon_years is not None else growth_horizon_years
    values["horizon_years"] = int(_opt(pick("horizon_years", horizon)) or 5)
    values["discount_pct"] = _opt(pick("discount_pct", section.discount_pct)) or 0.0
    for name, (sub, attr) in _SECTION_KEYS.items():
        holder = section if not sub else getattr(section, sub)
        got = pick(name, getattr(holder, attr))
        if got is not None or name not in ("colony_frames", "colony_dual_running_months"):
            values[name] = got
    values["colony_frames"] = int(_opt(values.get("colony_frames")) or 1)
    values["colony_dual_running_months"] = _opt(values.get("colony_dual_running_months")) or 0.0
    values["colony_purchase_policy"] = section.colony.purchase_policy
    inp = CostInputs(**values)  # type: ignore[arg-type]  # values typed per field above
    products = []
    for sw in section.software:
        base = f"software.{sw.name}"
        ft = sw.factor_today
        fc = sw.factor_colony
        if ft is None:
            ft = core_factor(sw.vendor, "x86")
        if fc is None:
            fc = core_factor(sw.vendor, "ibm-z")
        products.append(
            SoftwareProduct(
                name=sw.name,
                metric=sw.metric,
                factor_today=float(ft),
                factor_colony=float(fc),
                licence_price=_opt(pick(f"{base}.licence_price", sw.licence_price)),
                support_pct=_opt(pick(f"{base}.support_pct", sw.support_pct)),
                year_price=_opt(pick(f"{base}.year_price", sw.year_price)),
                sockets_per_server=sw.sockets_per_server,
                servers=None if sw.servers == "all" else tuple(sw.servers),
            )
        )
    unc: dict[str, tuple[float, float]] = {}
    problems = []
    for name, rng in section.uncertain.items():
        if name not in _NUMERIC_FIELDS:
            problems.append(
                must_be(f"costs.uncertain.{name}", f"one of {sorted(_NUMERIC_FIELDS)}", name)
            )
            continue
        if rng is not None:
            if len(rng) != 2 or rng[0] > rng[1]:
                problems.append(must_be(f"costs.uncertain.{name}", "[low, high]", rng))
                continue
            unc[name] = (float(rng[0]), float(rng[1]))
            continue
        row = table.get(name)
        if row is None or row.get("low") is None or row.get("high") is None:
            problems.append(
                must_be(
                    f"costs.uncertain.{name}",
                    "[low, high] (cost_inputs.csv has no low/high for it)",
                    None,
                )
            )
            continue
        unc[name] = (_opt(row["low"]) or 0.0, _opt(row["high"]) or 0.0)
    raise_problems(problems, "invalid costs section")
    return inp, products, sources, unc


def _opt(x: object) -> float | None:
    if x is None:
        return None
    if isinstance(x, int | float | np.integer | np.floating):
        return float(x)
    return float(str(x))


def _scalar(x: object) -> float | str | None:
    if x is None or isinstance(x, str):
        return x
    return _opt(x)


__all__ = [
    "BOUNDS",
    "COMPONENTS",
    "CapacityPlanLike",
    "ColonyEstate",
    "ColonyHost",
    "CostInputs",
    "CostResult",
    "CostsColony",
    "CostsSection",
    "CostsSoftware",
    "CostsToday",
    "InputSource",
    "SensitivityRow",
    "SideCost",
    "SoftwareProduct",
    "TodayEstate",
    "business_case",
    "colony_side",
    "core_factor",
    "cost_table",
    "energy_kwh",
    "licence_units",
    "monthly_savings",
    "npv",
    "payback_month",
    "purchase_month",
    "resolve_inputs",
    "scaled_colony",
    "today_growth",
    "today_side",
    "upgrades_by_year",
]
