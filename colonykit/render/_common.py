"""What every renderer shares: the header comment, the structural-refusal checks, losses.

Structural refusal is the renderers' own last line of defence (issue 11): whatever the plan
schema accepts, a renderer refuses any value that would change the *structure* of the file it
writes — a line break in a line-oriented file, a blank inside a z/VM directory operand, a quote
inside a quoted xl.cfg string, a ``,`` or ``=`` inside an xl.cfg key=value spec. Each refusal is
an :class:`~colonykit.errors.InputError` naming the plan field, the rule and the value. The
checks live here, in one place, for every target.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from colonykit.errors import InputError, must_be

if TYPE_CHECKING:
    from colonykit.plan import ColonyPlan, Host

#: Characters that break a line or cannot be printed raw in any text target (C0/C1 controls,
#: DEL, Unicode line/paragraph separators, BOM).
_BREAKS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\u0085]")
#: A z/VM directory operand: printable ASCII, no blank (blanks separate operands, seed 000/001
#: directory examples; CP Planning and Administration, "Directory statements").
_DIR_TOKEN = re.compile(r"^[!-~]+$")
#: A value inside an xl.cfg ``'key=value, key=value'`` spec (xl-disk-configuration(5),
#: xl-network-configuration(5)): no separator, quote, backslash or blank.
_SPEC_VALUE = re.compile(r"^[^\s,='\"\\]+$")


def _short(value: object) -> object:
    text = str(value)
    return value if len(text) <= 60 else text[:57] + "..."


def refuse(field: str, rule: str, value: object, where: str) -> InputError:
    """The InputError a renderer raises for a value that would change its file's structure.

    Examples
    --------
    >>> str(refuse("zvm.privclass", "one z/VM token", "G\\nX", "render zvm, guest file-01"))
    "'zvm.privclass' must be one z/VM token (got 'G\\\\nX') at render zvm, guest file-01"
    """
    return InputError(must_be(field, rule, _short(value), where))


def dir_token(value: object, field: str, where: str) -> str:
    """``value`` as one z/VM directory operand, or :class:`InputError`.

    Examples
    --------
    >>> dir_token("LNX00001", "zvm.userid", "render zvm")
    'LNX00001'
    """
    text = str(value)
    if not _DIR_TOKEN.fullmatch(text):
        raise refuse(
            field,
            "one z/VM directory operand (printable ASCII, no blank or line break)",
            text,
            where,
        )
    return text


def line_text(value: object, field: str, where: str, *, forbid: str = "") -> str:
    """``value`` as text on one line (no line break or control character, none of ``forbid``).

    Examples
    --------
    >>> line_text("xyz colony", "metadata.design", "render xen")
    'xyz colony'
    """
    text = str(value)
    if _BREAKS.search(text) or any(c in text for c in forbid):
        extra = f" and none of {forbid!r}" if forbid else ""
        raise refuse(
            field, f"text on one line (no line break or control character{extra})", text, where
        )
    return text


def spec_value(value: object, field: str, where: str) -> str:
    """``value`` as one value of an xl.cfg ``key=value`` spec.

    Examples
    --------
    >>> spec_value("xvda", "storage.vdev", "render xen")
    'xvda'
    """
    text = str(value)
    if not _SPEC_VALUE.fullmatch(text):
        raise refuse(
            field, "one xl.cfg spec value (no blank, ',', '=', quote or backslash)", text, where
        )
    return text


_FILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$")


def file_name(value: object, field: str, where: str) -> str:
    """``value`` as one file-name component (guest names become file and host names).

    Examples
    --------
    >>> file_name("file-01", "name", "render xen")
    'file-01'
    """
    text = str(value)
    if not _FILE_NAME.fullmatch(text):
        raise refuse(
            field,
            "a name of letters, digits, '.', '_' or '-' (it becomes a file name)",
            text,
            where,
        )
    return text


def ip_interface(value: object, field: str, where: str) -> str:
    """``value`` as an address with prefix (``10.1.0.11/16``).

    Examples
    --------
    >>> ip_interface("10.1.0.11/16", "network.ip", "render cloud-init")
    '10.1.0.11/16'
    """
    import ipaddress

    try:
        return str(ipaddress.ip_interface(str(value)))
    except ValueError:
        raise refuse(field, "an address with prefix like 10.1.0.11/16", value, where) from None


def matching(value: object, field: str, pattern: str, rule: str, where: str) -> str:
    """``value`` if it matches ``pattern`` in full, else :class:`InputError` with ``rule``.

    Examples
    --------
    >>> matching("ECKD:POOL1", "storage.pool", r"\\w+:\\w+", "TYPE:NAME", "render feilong")
    'ECKD:POOL1'
    """
    text = str(value)
    if not re.fullmatch(pattern, text):
        raise refuse(field, rule, text, where)
    return text


def header(plan: ColonyPlan, host: Host | None, comment: str, target: str) -> list[str]:
    """The two header comment lines every text file starts with."""
    m = plan.metadata
    where = f"render {target}"
    name = line_text(m.name, "metadata.name", where)
    design = line_text(m.design, "metadata.design", where)
    text = f"{comment} colonykit plan {name} revision {m.revision}, design {design}"
    if host is not None:
        text += f", host {line_text(host.id, 'hosts.id', where)}"
    return [text, f"{comment} generated from a plan: edit the plan and re-render, not this file"]
