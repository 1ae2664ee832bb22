"""Unit constants and converters; the glossary of unit suffixes used in names.

:data:`GLOSSARY` is the one list: ``_pct`` percent 0..100, ``_frac`` ratio 0..1,
``_mib``/``_gib`` binary bytes (2**20, 2**30), ``_mips`` million instructions per second
(rated capacity), ``_cyl`` 3390 cylinders, ``_per_s`` a rate per second, ``_ms`` milliseconds, …
Every ``unit`` of the constants tables is a suffix of it (``pct`` → ``_pct``), or a display
label of :data:`UNIT_LABELS` (the cost tables: ``currency/kWh``; tests/test_conventions.py).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

BYTES_PER_KIB = 1024
BYTES_PER_MIB = 1024**2
BYTES_PER_GIB = 1024**3
MIB_PER_GIB = 1024
#: A z/VM page and a Linux page on s390x: 4 KiB.
PAGE_BYTES = 4096
PAGES_PER_MIB = BYTES_PER_MIB // PAGE_BYTES  # 256
#: 512-byte FBA blocks per MiB (VDISK sizes are given in 512-byte blocks).
FBA_BLOCKS_PER_MIB = BYTES_PER_MIB // 512  # 2048

#: Units of a CPU demand series (a trace, a demand frame): the one list readers, white space,
#: packing, the plan schema and the CLI accept.
DEMAND_UNITS: tuple[str, ...] = ("cpu_pct", "mips", "cpu_mhz")

GLOSSARY: dict[str, str] = {
    "_pct": "percent, 0..100",
    "_frac": "fraction, 0..1",
    "_mib": "mebibytes (2**20 bytes)",
    "_gib": "gibibytes (2**30 bytes)",
    "_mips": "million instructions per second (rated capacity)",
    "_cyl": "3390 cylinders",
    "_per_s": "per second",
    "_ms": "milliseconds",
    "_mhz": "megahertz",
    "_mb_per_s": "decimal megabytes (10**6 bytes) per second",
    "_h": "hours",
    "_s": "seconds",
    "_ratio": "ratio of two like quantities (e.g. virtual ÷ real storage), >= 0",
    "_engines": "processor engines (IFLs or CPs)",
    "_cores": "processor cores",
    "_cpus": "logical processors",
    "_blocks": "blocks (4-KiB pages, or 512-byte FBA blocks for VDISK sizes; the name says which)",
    "_count": "a whole number of things",
    "_share": "z/VM SHARE RELATIVE value (dimensionless weight)",
    "_flag": "true or false (1 or 0 in a constants table)",
    "_months": "calendar months",
    "_weeks": "weeks (7 days)",
    "_years": "years",
}

#: Display units of the cost and licence tables (``cost_inputs.csv``, ``core_factors.csv``) and
#: of counted things, which are written as labels rather than name suffixes: every ``unit`` of
#: a ``_data`` table is either a suffix of :data:`GLOSSARY` or one of these.  ``currency`` is the
#: business case's currency (``costs.currency``).
UNIT_LABELS: dict[str, str] = {
    "%": "percent, 0..100 (a price share, e.g. maintenance of the purchase price)",
    "%/year": "percent of a price per year",
    "W": "watts (electrical power)",
    "tpm/MIPS": "TPC-C transactions per minute per MIPS: the workload factor (seed 003 §2.4)",
    "kW/frame": "kilowatts per machine frame",
    "kg/kWh": "kilograms of CO2e per kilowatt-hour",
    "currency/kWh": "price per kilowatt-hour",
    "currency/GiB": "price per gibibyte (one-time)",
    "currency/GiB-year": "price per gibibyte and year",
    "currency/admin-year": "cost of one administrator per year",
    "currency/core": "price per core",
    "currency/engine": "price per engine (IFL)",
    "currency/frame-year": "floor-space cost of one frame per year",
    "currency/licence": "price per licence",
    "currency/machine": "price of one machine",
    "currency/port-year": "cost of one network port per year",
    "currency/rack-year": "cost of one rack per year",
    "currency/server": "price per server",
    "PVU/core": "IBM Processor Value Units per x86 core",
    "PVU/engine": "IBM Processor Value Units per engine (IFL)",
    "licences/core": "licences per core (a vendor's core factor)",
    "licences/engine": "licences per engine (a vendor's core factor)",
    "frames": "machine frames (a count)",
    "lpars": "LPARs (a count)",
    "guests/admin": "guests one administrator looks after",
    "servers/admin": "servers one administrator looks after",
    "servers/rack": "servers per rack",
    "ports/server": "network ports per server",
    "release": "a product release, e.g. z/VM 7.4 (a version, not a quantity)",
}


def pct_to_frac(pct: npt.ArrayLike) -> np.ndarray:
    """Percent (0..100) to fraction (0..1).

    Parameters
    ----------
    pct : array_like
        Percent, 0..100.

    Examples
    --------
    >>> float(pct_to_frac(25))
    0.25
    """
    return np.asarray(pct, dtype=float) / 100.0


def frac_to_pct(frac: npt.ArrayLike) -> np.ndarray:
    """Fraction (0..1) to percent (0..100).

    Parameters
    ----------
    frac : array_like
        Fraction, 0..1.

    Examples
    --------
    >>> float(frac_to_pct(0.5))
    50.0
    """
    return np.asarray(frac, dtype=float) * 100.0


def mib_to_gib(mib: npt.ArrayLike) -> np.ndarray:
    """MiB to GiB.

    Parameters
    ----------
    mib : array_like
        Size in MiB.

    Examples
    --------
    >>> float(mib_to_gib(5120))
    5.0
    """
    return np.asarray(mib, dtype=float) / MIB_PER_GIB


def gib_to_mib(gib: npt.ArrayLike) -> np.ndarray:
    """GiB to MiB.

    Parameters
    ----------
    gib : array_like
        Size in GiB.

    Examples
    --------
    >>> float(gib_to_mib(2))
    2048.0
    """
    return np.asarray(gib, dtype=float) * MIB_PER_GIB


__all__ = [
    "BYTES_PER_KIB",
    "BYTES_PER_MIB",
    "BYTES_PER_GIB",
    "MIB_PER_GIB",
    "PAGE_BYTES",
    "PAGES_PER_MIB",
    "FBA_BLOCKS_PER_MIB",
    "DEMAND_UNITS",
    "GLOSSARY",
    "UNIT_LABELS",
    "pct_to_frac",
    "frac_to_pct",
    "mib_to_gib",
    "gib_to_mib",
]
