"""Named bounds on counts and grids: a clear error instead of hours of work or a crash.

Every bound here is an engineering limit, not a fact about hardware: it is set far above
any real consolidation study and low enough that the work it allows finishes in seconds
to minutes on a laptop.  Each is a named constant so a caller can raise it deliberately
(``colonykit.limits.MAX_SERVERS = …``).

Examples
--------
>>> from colonykit import limits
>>> limits.MAX_SERVERS >= 10_000
True
"""

from __future__ import annotations

#: Servers in one inventory (the sum of ``count``).  Published colonies are tens to a few
#: thousand guests (seed 003 §1: "hundreds of Linux guests"); 100,000 is 30x the largest.
MAX_SERVERS: int = 100_000
#: ``count`` of one inventory row (a group of identical servers).
MAX_COUNT_PER_ROW: int = MAX_SERVERS
#: Cores of one source server (the largest x86 servers have a few hundred).
MAX_CORES: int = 4_096
#: Hosts / LPARs in one scenario (``target.hosts``): an IBM Z CPC runs at most 85 LPARs
#: (z15 Technical Guide SG24-8851 §3.7); 1,000 allows a dozen CPCs or a large Xen pool.
MAX_HOSTS: int = 1_000
#: Virtual CPUs of one guest: above z/VM's 64 per virtual machine (MACHINE ESA n, Feilong
#: ``max_cpu`` 1-64, provisioning-formats.md §1b) and any Xen domU.
MAX_VCPUS: int = 512
#: Memory of one guest [MiB]: 16 TiB, above any z/VM virtual machine or Xen domU.
MAX_GUEST_MEMORY_MIB: int = 16 * 2**20
#: 3390 cylinders of one disk: the largest EAV 3390 volume has 1,182,006 cylinders.
MAX_CYLINDERS: int = 1_182_006
#: Columns of one table read from a file (inventory, wide trace).
MAX_COLUMNS: int = MAX_SERVERS + 16
#: Cells (steps x servers) of a common trace grid: 10^8 float64 cells = 800 MB.
MAX_GRID_CELLS: int = 100_000_000
#: Largest integer ``step`` in a trace (10^12 steps of 5 min = 9.5 million years).
MAX_STEP: int = 10**12
#: Shortest and longest grid interval of a trace [s].
MIN_INTERVAL_S: float = 1.0
MAX_INTERVAL_S: float = 366 * 86_400.0
#: Largest value of a reference-table number or a design parameter (MIPS, cylinders, MiB,
#: tpm/MIPS …): 10^9 is 1 PB in MiB and 10^5 x the fastest IBM Z engine in MIPS.
MAX_TABLE_VALUE: float = 1e9
#: Values (after YAML alias expansion) in one YAML document (see colonykit._yaml).
MAX_YAML_NODES: int = 2_000_000

__all__ = [
    "MAX_COLUMNS",
    "MAX_CORES",
    "MAX_CYLINDERS",
    "MAX_GUEST_MEMORY_MIB",
    "MAX_VCPUS",
    "MAX_COUNT_PER_ROW",
    "MAX_GRID_CELLS",
    "MAX_HOSTS",
    "MAX_INTERVAL_S",
    "MAX_SERVERS",
    "MAX_STEP",
    "MAX_TABLE_VALUE",
    "MAX_YAML_NODES",
    "MIN_INTERVAL_S",
]
