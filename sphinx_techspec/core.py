"""The core feature: the item and link types, their config, link rendering, checks.

Declared with the same :class:`~sphinx_techspec.feature.Feature` contract as
every other feature package.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config

from .config import BOOLEAN, NAME_LIST, NAMES, config_location, strict_object
from .core_config import DEFAULT_ID_PATTERN
from .diagnostics import warn
from .diagrams import node_style
from .directives import register_item_directives
from .domain import SpecReferenceRole
from .feature import ConfigValue, Feature, feature_names, registry
from .item_types import (
    DEFAULT_PRIORITIES,
    DEFAULT_REQUIREMENT_KINDS,
    DEFAULT_STATUSES,
    ITEM_TYPES,
    LINK_TYPES,
)
from .misspelt_markup import install_dispatcher
from .model import FIELD_KINDS
from .nodes import ItemLinks
from .rendering import render_item_links
from .status_styles import STYLES_SCHEMA
from .validation import check_items
from .view import ViewNode, render_view

TYPE_NAME = {"type": "string", "pattern": r"^[A-Za-z][A-Za-z0-9_-]*$"}

FIELD_SCHEMA = {
    "anyOf": [
        TYPE_NAME,
        strict_object(
            {
                "name": TYPE_NAME,
                "label": {"type": "string"},
                "kind": {"enum": sorted(FIELD_KINDS)},
                "choices": NAMES,
            },
            required=("name",),
        ),
    ]
}

ITEM_TYPE_SCHEMA = strict_object(
    {
        "name": TYPE_NAME,
        "label": {"type": "string", "minLength": 1},
        "plural": {"type": "string", "minLength": 1},
        "role": TYPE_NAME,
        "fields": {"type": "array", "items": FIELD_SCHEMA},
    },
    required=("name",),
)

LINK_TYPE_SCHEMA = strict_object(
    {
        "name": TYPE_NAME,
        "reverse": {"type": "string", "minLength": 1},
        "label": {"type": "string"},
        "sources": NAMES,
        "targets": NAMES,
        "acyclic": BOOLEAN,
    },
    required=("name", "reverse"),
)


def _compiles(value: Any, config: Config) -> Iterable[str]:
    try:
        re.compile(value)
    except re.error as exc:
        yield f"{value!r} is not a valid regular expression ({exc})"


def _known_features(value: Any, config: Config) -> Iterable[str]:
    known = feature_names()
    unknown = [name for name in value or () if name not in known]
    if unknown:
        yield f"unknown features {', '.join(map(repr, unknown))}; known: {', '.join(known)}"


def register_schema(app: Sphinx, config: Config) -> None:
    """Directives and roles depend on the configured item and link types."""
    schema = registry(app).schema(config)
    for config_name, problem in schema.problems:
        warn(problem, "bad_config", config_location(app, config_name))
    register_item_directives(app, schema)
    for role in schema.role_types():
        app.add_role(role, SpecReferenceRole(warn_dangling=True), override=True)


def setup_core(app: Sphinx) -> None:
    app.connect("config-inited", register_schema, priority=300)
    app.connect("source-read", install_dispatcher)  # misspelt directive and role names


FEATURE = Feature(
    name="core",
    item_types=ITEM_TYPES,
    link_types=LINK_TYPES,
    # Fixed text only: never built from user input.
    diagram_styles={
        "requirement": node_style("tsRequirement", "blue", "#dbeafe", "#1d4ed8", "rectangle"),
        "use-case": node_style("tsUseCase", "violet", "#ede9fe", "#6d28d9", "stadium"),
        "component": node_style("tsComponent", "green", "#dcfce7", "#15803d", "box with side bars"),
        "test-case": node_style("tsTestCase", "teal", "#ccfbf1", "#0f766e", "hexagon"),
    },
    config_values=(
        ConfigValue(
            "techspec_features",
            None,
            {"anyOf": [{"type": "null"}, NAME_LIST]},
            check=_known_features,
            description="the features to use (None: all); the core is always on",
        ),
        ConfigValue(
            "techspec_id_pattern",
            DEFAULT_ID_PATTERN,
            {"type": "string", "minLength": 1},
            check=_compiles,
            description="regular expression every item ID must match",
        ),
        ConfigValue("techspec_statuses", list(DEFAULT_STATUSES), NAME_LIST),
        ConfigValue("techspec_priorities", list(DEFAULT_PRIORITIES), NAME_LIST),
        ConfigValue("techspec_requirement_kinds", list(DEFAULT_REQUIREMENT_KINDS), NAME_LIST),
        ConfigValue("techspec_item_types", [], {"type": "array", "items": ITEM_TYPE_SCHEMA}),
        ConfigValue("techspec_link_types", [], {"type": "array", "items": LINK_TYPE_SCHEMA}),
        ConfigValue(
            "techspec_status_styles",
            {},
            STYLES_SCHEMA,
            description="status, severity or decision value (or type:value) → visual state",
        ),
    ),
    placeholders={ItemLinks: render_item_links, ViewNode: render_view},
    checks=(check_items,),
    warnings={
        "feature_off": "a directive of a feature that techspec_features leaves out",
        "duplicate_id": "two items share an ID",
        "unknown_ref": "a link or role names an ID no item has",
        "wrong_link_type": "a link joins item types its link type does not allow",
        "bad_value": "an option value is not one of the allowed values",
        "bad_id": "an item ID does not match techspec_id_pattern",
        "missing_title": "an item has no title",
        "link_cycle": "links of an acyclic link type form a cycle",
        "bad_option": "an option, argument or content is malformed or not known here",
        "bad_config": "a techspec_* configuration value is malformed",
        "unknown_type": "a view names an item type or link type that is not declared",
        "bad_url": "a URL from another project uses a scheme other than http, https or mailto",
        "unknown_directive": "a directive name is a misspelling of a sphinx-techspec directive",
        "unknown_role": "a role name is a misspelling of a sphinx-techspec role",
    },
    setup=setup_core,
)
