"""colonykit: capacity planning for Linux guest colonies on z/VM and Xen."""

__version__ = "0.1.0"
