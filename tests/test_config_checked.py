"""The checked configuration itself: every ConfigValue, wrong types, unknown keys, entries."""

from __future__ import annotations

import copy
from types import SimpleNamespace

import pytest
from hardening_projects import build

from sphinx_techspec.config import checked_value
from sphinx_techspec.feature import config_values

CONFIG = SimpleNamespace(
    techspec_item_types=[], techspec_link_types=[], techspec_id_pattern=r"[A-Za-z0-9_.-]+"
)


def _wrong_type(declared) -> object:
    """A value of a type the schema does not allow."""
    schema = declared.schema
    kinds = {schema.get("type")} if isinstance(schema.get("type"), str) else set()
    kinds |= set(schema.get("type") or []) if isinstance(schema.get("type"), list) else set()
    kinds |= {b.get("type") for b in schema.get("anyOf", ())}
    return 3.5 if "number" not in kinds and "integer" not in kinds else object()


@pytest.mark.parametrize("name", sorted(config_values()))
def test_every_config_value_rejects_a_wrong_type_and_keeps_its_default(name):
    declared = config_values()[name]
    value, problems = checked_value(declared, _wrong_type(declared), CONFIG)
    assert problems, name
    assert problems[-1].endswith("using the default")
    assert value == declared.default
    if isinstance(value, list | dict):
        assert value is not declared.default  # a copy: the declaration is never changed


@pytest.mark.parametrize("name", sorted(config_values()))
def test_every_config_value_accepts_its_default(name):
    declared = config_values()[name]
    default = copy.deepcopy(declared.default)
    assert checked_value(declared, default, CONFIG) == (default, [])


@pytest.mark.parametrize(
    ("name", "value", "typo", "meant"),
    [
        ("techspec_item_types", [{"name": "widget", "lable": "Widget"}], "lable", "label"),
        ("techspec_link_types", [{"name": "x", "reverse": "y", "sorces": []}], "sorces", "sources"),
        ("techspec_coverage_rules", [{"type": "requirement", "linc": "verifies"}], "linc", "link"),
        ("techspec_openapi", {"titel": "API"}, "titel", "title"),
    ],
)
def test_unknown_keys_get_a_did_you_mean(name, value, typo, meant):
    _value, problems = checked_value(config_values()[name], value, CONFIG)
    assert any(f"unknown key {typo!r} (did you mean {meant!r}?)" in p for p in problems), problems


def test_a_bad_list_entry_is_dropped_alone():
    declared = config_values()["techspec_statuses"]
    value, problems = checked_value(declared, ["draft", 5, "done", ""], CONFIG)
    assert value == ["draft", "done"]
    assert len(problems) == 2 and all("the entry is left out" in p for p in problems)
    assert "techspec_statuses[1]" in problems[0] and "techspec_statuses[3]" in problems[1]


def test_a_bad_item_type_entry_is_dropped_and_the_good_one_kept():
    declared = config_values()["techspec_item_types"]
    good = {"name": "widget", "label": "Widget"}
    value, problems = checked_value(declared, [good, {"name": 5}], CONFIG)
    assert value == [good]
    assert len(problems) == 1 and "techspec_item_types[1]['name']" in problems[0]


def test_a_huge_bad_list_is_reported_briefly_at_its_line(tmp_path):
    built = build(tmp_path, {"index.rst": "Text.\n"}, "techspec_statuses = [5] * 5000\n")
    lines = built.typed("bad_config")
    assert 1 < len(lines) <= 11
    assert all("conf.py:3:" in line for line in lines)
    assert "and 4990 more problems" in lines[-1]


def test_semantic_check_failure_uses_the_default():
    declared = config_values()["techspec_id_pattern"]
    value, problems = checked_value(declared, "[unclosed", CONFIG)
    assert value == declared.default
    assert "not a valid regular expression" in problems[0]


def test_a_bad_field_of_an_item_type_warns_at_conf_py_and_keeps_the_type(tmp_path):
    conf = (
        "techspec_item_types = [\n"
        "    {'name': 'widget', 'fields': ['size', {'name': 'colour', 'kind': 'weird'}]},\n"
        "]\n"
    )
    built = build(tmp_path, {"index.rst": ".. widget:: W-1 A widget\n   :size: large\n"}, conf)
    (line,) = built.typed("bad_config")
    assert "conf.py:3:" in line
    assert "techspec_item_types[0]['fields'][1]['kind']" in line and "left out" in line
    page = built.page()
    assert 'id="W-1"' in page and "large" in page  # the type and its good field stay
    assert not [w for w in built.warnings if "Unknown directive" in w or "bad_option" in w]


def test_the_core_config_is_read_through_one_typed_object(tmp_path):
    conf = (
        "techspec_item_types = [\n"
        "    {'name': 'widget', 'fields': ['size', {'name': 'colour', 'choices': ['red']}]},\n"
        "]\n"
        "techspec_statuses = ['open', 'done']\n"
    )
    built = build(tmp_path, {"index.rst": ".. widget:: W-1 A widget\n   :status: open\n"}, conf)
    assert built.typed("bad_config") == [] and built.typed("bad_value") == []
    core = built.app.env.get_domain("techspec").schema.core_config
    assert core.statuses == ("open", "done")
    (widget,) = core.item_types
    assert widget.name == "widget" and widget.label == "Widget"
    assert [(f.name, f.kind, f.choices) for f in widget.fields] == [
        ("size", "text", ()),
        ("colour", "choice", ("red",)),
    ]
    assert core.id_pattern.pattern == r"[A-Za-z0-9_.-]+" and core.features is None


def test_the_core_config_builder_is_total_on_values_the_check_never_saw():
    from sphinx_techspec.core_config import CoreConfig

    unchecked = SimpleNamespace(
        techspec_item_types=5,
        techspec_link_types=[{"name": "x"}, "y"],
        techspec_id_pattern="[",
        techspec_statuses=None,
    )
    core = CoreConfig.from_config(unchecked)
    assert core.item_types == () and core.link_types == () and core.statuses == ()
    names = [name for name, _message in core.problems]
    assert names == [
        "techspec_item_types",
        "techspec_link_types",
        "techspec_link_types",
        "techspec_id_pattern",
    ]
