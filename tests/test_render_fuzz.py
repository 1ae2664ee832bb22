"""Fuzz (hypothesis): random text in every rendered field never changes a rendered file's structure.

For each target and each plan field it writes, the field of the first guest (or the plan) is set
to arbitrary text *past* the plan schema (as a hand-edited or hostile plan could hold it); the
renderer must either refuse it with an :class:`~colonykit.errors.InputError` or write files whose
structure — statement count and operand count per z/VM line, keys per xl.cfg line and disk/vif
spec, JSON/YAML key paths and list lengths, XML element tree — equals the structure without the
injected value (issue 11, item 1).
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pandas as pd
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from colonykit import plan, render
from colonykit.errors import InputError
from colonykit.ingest import validate_inventory

EXAMPLE = "data/examples/scenario.yaml"


def _plan(design: str) -> plan.ColonyPlan:
    """A small plan (2 servers × 2 guests): the fuzz renders it hundreds of times."""
    s = plan.load_scenario(EXAMPLE)
    s.design.name, s.design.overrides = design, {}
    s.target.memory_gib_per_host = None
    inv = pd.read_csv("data/examples/xyz_inventory.csv").head(2).assign(count=2)
    return plan.build_plan(s, inventory=validate_inventory(inv, source="fuzz")).plan


PLANS = {"zvm": _plan("zvm-ro-root"), "xen": _plan("xen-shared-root-image")}
PLANS["zvm"].hosts[0].guests[0].zvm.namesave = ["XIPDCSS"]  # so that NAMESAVE is a written field
PLANS["xen"].hosts[0].guests[0].xen.ramdisk = "/srv/xen/boot/initrd"  # so are ramdisk and extra
PLANS["xen"].hosts[0].guests[0].xen.extra = "console=hvc0"


def _set(p: plan.ColonyPlan, path: tuple[str, ...], value: str) -> None:
    """Set a field past validation (``__dict__``), as a hand-edited plan would hold it."""
    g = p.hosts[0].guests[0]
    roots = {
        "plan": p,
        "guest": g,
        "zvm": g.zvm,
        "xen": g.xen,
        "storage": g.storage,
        "nic": g.network[0],
        "image": p.images[0],
        "network": p.networks[0],
        "host": p.hosts[0],
    }
    obj = roots[path[0]]
    if path[0] == "image":  # every image (they share one owner)
        for im in p.images:
            getattr(im, path[1]).__dict__[path[2]] = value
        return
    if path[0] == "storage":  # every storage item of the kind named in path[1]
        for s in obj:
            if s.kind == path[1] or path[1] == "*":
                s.__dict__[path[2]] = value
        return
    for part in path[1:-1]:
        obj = getattr(obj, part)
    if path[-1] in ("options", "namesave"):
        obj.__dict__[path[-1]] = [value]
    elif path[-1] == "role":
        obj.__dict__["tags"] = {**obj.tags, "role": value}
    else:
        obj.__dict__[path[-1]] = value


def _shape(obj: object) -> object:
    if isinstance(obj, dict):
        return ("dict", len(obj), tuple(_shape(v) for v in obj.values()))
    if isinstance(obj, list):
        return ("list", tuple(_shape(v) for v in obj))
    return type(obj).__name__


def _structure(target: str, files: dict[str, str]) -> list[object]:
    out: list[object] = [len(files)]
    for _rel, text in sorted(files.items(), key=lambda kv: kv[0].count("/")):
        lines = text.split("\n")
        if target in ("zvm", "xen"):  # line-oriented files (YAML may fold a long scalar)
            out.append(len(lines))
        if target == "zvm":
            out.append(
                [
                    ("*", 0)
                    if ln.lstrip().startswith(("*", "/*"))
                    else (ln.split()[0], len(ln.split()))
                    for ln in lines
                    if ln.strip()
                ]
            )
        elif target == "xen":
            row = []
            for ln in lines:
                if ln.startswith("#") or not ln.strip():
                    row.append("#")
                    continue
                key = re.match(r"^\s*(\w+) = |^\s+'", ln)
                assert key is not None, ln
                ln = re.sub(r'"[^"]*"', '""', ln)  # a quoted string is one value, whatever it holds
                specs = re.findall(r"'([^']*)'", ln)
                row.append(
                    (
                        key.group(1),
                        ln.count("'"),
                        ln.count('"'),
                        [[kv.split("=", 1)[0] for kv in sp.split(",")] for sp in specs],
                    )
                )
            out.append(row)
        elif target == "feilong":
            out.append(_shape(json.loads(text)))
        elif target in ("ansible", "cloud-init"):
            out.append(sum(ln.startswith("#") for ln in lines))
            out.append(_shape(yaml.safe_load(text)))
        elif target == "libvirt":
            out.append(text.count("<!--"))
            body = text[text.index("<domain") :]
            out.append([(e.tag, tuple(sorted(e.attrib))) for e in ET.fromstring(body).iter()])
    return out


#: Fields each target writes (semantic selectors such as a profile name or a vdev that decides
#: whether a LINK comes from the profile are checked by the catalogue tests, not here).
FIELDS: dict[str, list[tuple[str, ...]]] = {
    "zvm": [
        ("plan", "metadata", "design"),
        ("zvm", "userid"),
        ("zvm", "password"),
        ("zvm", "privclass"),
        ("zvm", "machine"),
        ("zvm", "ipl"),
        ("zvm", "options"),
        ("zvm", "namesave"),
        ("storage", "mdisk", "volser"),
        ("image", "zvm", "owner"),
        ("image", "zvm", "volser"),
        ("network", "zvm", "vswitch"),
        ("network", "zvm", "nic_type"),
    ],
    "feilong": [
        ("plan", "metadata", "design"),
        ("zvm", "userid"),
        ("zvm", "profile"),
        ("zvm", "ipl"),
        ("storage", "mdisk", "pool"),
        ("storage", "mdisk", "fs"),
    ],
    "libvirt": [("plan", "metadata", "design"), ("guest", "name"), ("nic", "network")],
    "cloud-init": [
        ("plan", "metadata", "design"),
        ("guest", "name"),
        ("storage", "mdisk", "fs"),
        ("nic", "ip"),
    ],
    "ansible": [
        ("plan", "metadata", "design"),
        ("plan", "metadata", "name"),
        ("guest", "name"),
        ("zvm", "userid"),
        ("nic", "ip"),
    ],
    "xen": [
        ("plan", "metadata", "design"),
        ("guest", "name"),
        ("xen", "kernel"),
        ("xen", "ramdisk"),
        ("xen", "root"),
        ("xen", "extra"),
        ("xen", "type"),
        ("storage", "image", "target"),
        ("storage", "*", "vdev"),
        ("image", "xen", "target"),
        ("image", "xen", "format"),
        ("nic", "mac"),
        ("network", "xen", "bridge"),
    ],
}
CASES = [(t, f) for t, fs in FIELDS.items() for f in fs]
HOSTILE = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        [
            "G\nLINK MAINT 0190 0190 MW",
            "a b",
            "",
            'x",access=rw',
            "p', 'target=/dev/sda",
            "\u2028",
            "a--b",
            "x\r",
            "ECKD:P OOL",
            "ok\tmore",
            "</name><name>",
            "a: b\nc: d",
            "#",
            "*",
        ]
    ),
)
BASE = {t: _structure(t, render.render(PLANS["xen" if t == "xen" else "zvm"], t)) for t in FIELDS}


@pytest.mark.parametrize(("target", "field"), CASES, ids=[f"{t}-{'.'.join(f)}" for t, f in CASES])
@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(value=HOSTILE)
def test_random_text_never_changes_structure(
    target: str, field: tuple[str, ...], value: str
) -> None:
    p = PLANS["xen" if target == "xen" else "zvm"].model_copy(deep=True)
    _set(p, field, value)
    try:
        files = render.render(p, target)
    except InputError as exc:
        assert field[-1] in str(exc) or "metadata" in str(exc) or "name" in str(exc), str(exc)
        return
    assert _structure(target, files) == BASE[target], (field, value)


def test_known_injections_refused() -> None:
    """The issue's own cases: a LINK in an option, a split USER line, an xl.cfg quote."""
    for path, value, target in [
        (("zvm", "options"), "APPLMON\nLINK MAINT 0190 0190 MW", "zvm"),
        (("zvm", "privclass"), "G\nMDISK 0201 3390 1 3338 BASE01 MW", "zvm"),
        (("zvm", "password"), "PW PW", "zvm"),
        (("zvm", "ipl"), "0201\nLINK X 1 1 MW", "feilong"),
        (("storage", "image", "target"), "/x.img', 'access=rw, target=/dev/sda", "xen"),
        (("image", "xen", "target"), '/x.img", access=rw', "xen"),
        (("plan", "metadata", "design"), "d -->\n<domain>", "libvirt"),
    ]:
        p = PLANS["xen" if target == "xen" else "zvm"].model_copy(deep=True)
        _set(p, path, value)
        with pytest.raises(InputError, match=re.escape(path[-1])):
            render.render(p, target)
