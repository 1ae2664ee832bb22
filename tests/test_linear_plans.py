"""Issue 25 item 3 (linear plans): volume serials, secret detection, losses grouped once, libyaml."""

from __future__ import annotations

import re

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from colonykit import export, plan
from colonykit._atomic import secret_finder
from colonykit.errors import InputError
from colonykit.plan.carry import Loss, by_subject
from colonykit.plan.layout import volser_capacity, volsers


@pytest.mark.parametrize("prefix", ["LX", "L", "BASE", "ABCDE"])
def test_volsers_unique_six_characters_up_to_capacity(prefix: str) -> None:
    n = min(volser_capacity(prefix), 60_000)
    v = volsers(prefix, n)
    assert len(set(v)) == n
    assert all(len(x) == 6 and x.startswith(prefix) for x in v)
    assert all(re.fullmatch(r"[A-Z0-9]{1,6}", x) for x in v)
    width = 6 - len(prefix)
    decimal = min(n, 10**width - 1)
    assert v[:decimal] == [f"{prefix}{i + 1:0{width}d}" for i in range(decimal)]  # unchanged


def test_volser_capacity_counts_every_serial() -> None:
    # 36^w - 1 serials: every w-character base-36 string but the all-zero one
    assert volser_capacity("ABCDE") == 35
    assert volsers("ABCDE", 35)[-1] == "ABCDEZ"
    with pytest.raises(InputError, match="short enough for 36 volumes"):
        volsers("ABCDE", 36)


def test_ten_thousand_volumes_with_the_bundled_prefix() -> None:
    v = volsers("LX", 60_777)  # what 10,000 guests of the example need (was LX60777, 7 chars)
    assert v[9_998] == "LX9999" and len(v[-1]) == 6 and len(set(v)) == 60_777


@given(
    st.lists(st.from_regex(r"[A-Z0-9@#$]{1,8}", fullmatch=True), min_size=1, max_size=40),
    st.text(alphabet="ABCXYZ019 #\n:'\"", max_size=200),
)
def test_secret_finder_equals_the_naive_scan(secrets: list[str], text: str) -> None:
    holds = secret_finder(secrets)
    assert holds(text) == any(s in text for s in secrets)
    planted = text[: len(text) // 2] + secrets[-1] + text[len(text) // 2 :]
    assert holds(planted)


def test_plan_secrets_de_duplicated() -> None:
    p = plan.build_plan("data/examples/scenario.yaml").plan
    assert export.plan_secrets(p) == ["XXXXXXXX"]


def test_by_subject_keeps_order_and_plan_wide_items() -> None:
    items = [Loss("t", "b", "1"), Loss("t", "*", "2"), Loss("t", "a", "3"), Loss("t", "b", "4")]
    g = by_subject(items)
    for subject in ("a", "b", "c"):
        naive = [ls for ls in items if ls.subject in (subject, "*")]
        assert g.get(subject, g.get("*", [])) == naive


def test_libyaml_and_python_emitters_give_the_same_plan_text() -> None:
    p = plan.build_plan("data/examples/scenario.yaml").plan
    p.findings.append(p.findings[0].model_copy(update={"message": "x " * 200 + "é \u2028 'q'"}))
    data = export.plan_to_dict(p)
    kw = {"sort_keys": False, "default_flow_style": False, "allow_unicode": True, "indent": 2}
    a = yaml.dump(data, Dumper=export._CDumper, width=export._YAML_WIDTH, **kw)
    b = yaml.dump(data, Dumper=export._PyDumper, width=export._YAML_WIDTH, **kw)
    assert a == b
    assert export.load_plan_text(export.plan_to_yaml(p)) == p
