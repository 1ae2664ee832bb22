"""Field patterns (colonykit.patterns): real values pass, injections never do (issue 11 item 1)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from colonykit import patterns as pt


class _M(BaseModel):
    userid: pt.Userid | None = None
    volser: pt.Volser | None = None
    password: pt.Password | None = None
    privclass: pt.PrivClass | None = None
    ipl: pt.IplTarget | None = None
    options: list[pt.OptionKeyword] = []
    pool: pt.DiskPool | None = None
    mac: pt.MacAddress | None = None
    path: pt.AbsPath | None = None
    host: pt.HostName | None = None
    mount_options: pt.MountOptions | None = None
    bridge: pt.IfName | None = None
    extra: pt.KernelArgs | None = None
    ip: pt.IpAddress | None = None
    cidr: pt.Cidr | None = None
    vdev: pt.Vdev | None = None


GOOD = {
    "userid": ["LNX001", "LNXBASE", "A", "$VM#@1"],
    "volser": ["LX0001", "BASE01"],
    "password": ["XXXXXXXX", "NOLOG", "lbyonly", "pw1"],
    "privclass": ["G", "BG", "ABCDEFG", "G1"],
    "ipl": ["0201", "201", "CMS", "LNXNSS"],
    "options": [["APPLMON"], ["APPLMON", "QUICKDSP"], ["MAXCONN 64"], ["CHPIDV ONE"]],
    "pool": ["ECKD:POOL1", "FBA:fbapool1"],
    "mac": ["02:00:00:ab:cd:ef"],
    "path": ["/srv/xen/images", "/export/roots", "/srv/xen/boot/vmlinuz-5.10"],
    "host": ["10.0.0.5", "nfs.example.org", "fd00::5"],
    "mount_options": ["vers=3", "vers=4.1,ro,noatime", ""],
    "bridge": ["xenbr0", "br-colony.10"],
    "extra": ["console=hvc0 root=/dev/xvda1 ro", ""],
    "ip": ["10.1.0.5", "fd00::1"],
    "cidr": ["10.1.0.0/16"],
    "vdev": ["0201", "0A0F"],
}
#: The issue's injections and their relatives: each changes the structure of a rendered file.
BAD = {
    "userid": ["LNX001\nLINK", "lnx001", "TOOLONGID", "", "LNX 01"],
    "volser": ["LX00001", "LX 01", "LX01\n"],
    "password": ["PW\nLINK MAINT 0190 0190 MW", "PW D", "123456789", "p'w"],
    "privclass": ["G\nMDISK 0201 3390 0001 10016 BASE01 MW", "G G", "GG", "g", "Z9"],
    "ipl": ["0201\nMDISK 0201 3390 0001 10016 BASE01 MW", "0201 PARM x", "0201;X"],
    "options": [
        ["APPLMON\nLINK MAINT 0190 0190 MW"],
        ["LINK"],
        ["APPLMON QUICKDSP"],
        ["MAXCONN"],
        ["MAXCONN 64 65"],
    ],
    "pool": ["POOL1", "ECKD:POOL1\n", "ECKD:PO OL"],
    "mac": ["02:00:00:ab:cd", "02:00:00:ab:cd:ef,script=x", "020000abcdef"],
    "path": [
        "/srv/xen/images', access=rw, target=/dev/sda",
        "relative/dir",
        "/srv/../etc",
        "/srv//x",
        "/srv/xen images",
        "/srv/x\n",
        '/srv/"x"',
        "/srv/a,b",
        "/srv/a=b",
    ],
    "host": ["10.0.0.5:/x", "nfs server", "host\n"],
    "mount_options": ["vers=3 ro", "vers=3,,ro", "vers=3\n", "a='b'"],
    "bridge": ["xenbr0, script=evil", "averyveryverylongbridgename"],
    "extra": ['console=hvc0" evil="1', "a\nb", "a\\b"],
    "ip": ["10.1.0.256", "10.1.0.5\n"],
    "cidr": ["10.1.0.0/33", "x"],
    "vdev": ["201", "0201\n", "0g01"],
}


@pytest.mark.parametrize(("field", "value"), [(f, v) for f, vs in GOOD.items() for v in vs])
def test_real_values_pass(field: str, value: object) -> None:
    assert getattr(_M.model_validate({field: value}), field) == value


@pytest.mark.parametrize(("field", "value"), [(f, v) for f, vs in BAD.items() for v in vs])
def test_injections_are_refused(field: str, value: object) -> None:
    with pytest.raises(ValidationError) as info:
        _M.model_validate({field: value})
    assert field in str(info.value)


def test_option_keywords_list_and_sources() -> None:
    assert pt.option_keywords_ok(["APPLMON"]) and not pt.option_keywords_ok(["LINK MAINT"])
    assert "Sources" in (pt.__doc__ or "") and "provisioning-formats.md" in (pt.__doc__ or "")
    assert "APPLMON" in pt.OPTION_KEYWORDS and "CHPIDV" in pt.OPTION_WITH_VALUE


def test_json_schema_carries_the_patterns() -> None:
    schema = _M.model_json_schema()
    props = schema["properties"]
    userid = props["userid"]["anyOf"][0]
    assert userid["pattern"] == "^[A-Z0-9$#@]{1,8}$"
    # the schema pattern (used by jsonschema validators) refuses a newline too
    assert not re.fullmatch(userid["pattern"].strip("^$"), "LNX001\nX")


#: Fields written where a blank separates tokens (directory statements): no blanks at all.
_TOKEN_FIELDS = (
    "userid",
    "volser",
    "password",
    "privclass",
    "ipl",
    "pool",
    "mac",
    "path",
    "host",
    "mount_options",
    "bridge",
    "vdev",
)


@settings(max_examples=300, deadline=None)
@given(field=st.sampled_from(_TOKEN_FIELDS + ("extra",)), text=st.text(max_size=40))
def test_no_accepted_value_can_change_structure(field: str, text: str) -> None:
    """Property: whatever text a hand edit puts in, an accepted value has no line break, quote,
    comma, '=' (except in key=value fields), bracket or backslash, and token fields no blank."""
    try:
        _M.model_validate({field: text})
    except ValidationError:
        return
    assert not re.search(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\"'\\\[\]]", text)
    if field in _TOKEN_FIELDS:
        assert not re.search(r"\s", text)
    if field not in ("mount_options", "extra"):
        assert "," not in text and "=" not in text


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=20), max_size=4))
def test_options_property(options: list[str]) -> None:
    try:
        _M.model_validate({"options": options})
    except ValidationError:
        return
    for o in options:
        head, *rest = o.split(" ")
        assert head in pt.OPTION_KEYWORDS | pt.OPTION_WITH_VALUE and len(rest) <= 1
        assert "\n" not in o
