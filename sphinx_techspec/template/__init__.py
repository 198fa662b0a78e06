"""The spec template as items: header, scope, risks, environments, dependencies,
metrics, decisions; their views; and the completeness check.

Declared with the feature contract (:mod:`sphinx_techspec.feature`).
"""

from __future__ import annotations

import copy

from sphinx.application import Sphinx

from ..config import BOOLEAN, NAME_LIST, NAMES, NON_EMPTY_NAME_LIST, strict_object
from ..diagrams import node_style
from ..feature import Command, ConfigValue, Feature, lazy
from ..view import View
from . import item_types
from .completeness import (
    DEFAULT_TEMPLATE,
    STORE,
    SpecCompletenessDirective,
    SpecGuideDirective,
    check_completeness,
    render_spec_completeness,
    validate_template_config,
)
from .dependencies import (
    DependencyTableDirective,
    check_installed_versions,
    render_dependency_table,
)
from .metrics import check_measured_requirements
from .risks import RiskRegisterDirective, check_risk_gate, render_risk_register
from .scope import ScopeDirective
from .spec_header import SpecIndexDirective, render_spec_index

VOCABULARIES = {
    "techspec_spec_statuses": (item_types.DEFAULT_SPEC_STATUSES, NAME_LIST),
    "techspec_risk_statuses": (item_types.DEFAULT_RISK_STATUSES, NAME_LIST),
    "techspec_risk_categories": (item_types.DEFAULT_RISK_CATEGORIES, NAME_LIST),
    # Severities are derived from these scales: they must not be empty.
    "techspec_risk_levels": (item_types.DEFAULT_RISK_LEVELS, NON_EMPTY_NAME_LIST),
    "techspec_risk_severities": (item_types.DEFAULT_RISK_SEVERITIES, NON_EMPTY_NAME_LIST),
    "techspec_dependency_kinds": (item_types.DEFAULT_DEPENDENCY_KINDS, NAME_LIST),
    "techspec_metric_types": (item_types.DEFAULT_METRIC_TYPES, NAME_LIST),
    "techspec_decision_statuses": (item_types.DEFAULT_DECISION_STATUSES, NAME_LIST),
}

TEMPLATE_SCHEMA = {
    "type": "array",
    "items": {
        "anyOf": [
            {"type": "string", "minLength": 1},
            strict_object(
                {
                    "name": {"type": "string", "minLength": 1},
                    "title": {"type": "string"},
                    "headings": NAMES,
                    "types": NAMES,
                },
                required=("name",),
            ),
        ]
    },
}


def setup_template(app: Sphinx) -> None:
    app.connect("config-inited", validate_template_config)


FEATURE = Feature(
    name="template",
    item_types=item_types.ITEM_TYPES,
    link_types=item_types.LINK_TYPES,
    # Fixed text only: never built from user input.
    diagram_styles={
        "risk": node_style("tsRisk", "red", "#fee2e2", "#b91c1c", "hexagon"),
        "decision": node_style("tsDecision", "grey", "#f1f5f9", "#475569", "rounded box"),
    },
    config_values=(
        *(
            ConfigValue(name, list(default), schema)
            for name, (default, schema) in VOCABULARIES.items()
        ),
        ConfigValue("techspec_risk_gate", None, {"type": ["string", "null"]}),
        ConfigValue("techspec_check_installed_versions", False, BOOLEAN),
        ConfigValue("techspec_template", copy.deepcopy(DEFAULT_TEMPLATE), TEMPLATE_SCHEMA),
        ConfigValue("techspec_check_completeness", False, BOOLEAN),
    ),
    views=(
        View("risk-register", RiskRegisterDirective, render_risk_register),
        View("dependency-table", DependencyTableDirective, render_dependency_table),
        View("spec-index", SpecIndexDirective, render_spec_index),
        View("spec-completeness", SpecCompletenessDirective, render_spec_completeness),
    ),
    directives={"scope": ScopeDirective, "spec-guide": SpecGuideDirective},
    stores=(STORE,),
    checks=(
        check_risk_gate,
        check_measured_requirements,
        check_installed_versions,
        check_completeness,
    ),
    warnings={
        "duplicate_spec_header": "a document has more than one spec-header",
        "unmitigated_risk": "a risk at or above techspec_risk_gate has no :mitigated-by:",
        "dependency_version": "a library's :version: does not match the installed distribution",
        "incomplete": "a techspec_template section is missing or still holds its guide",
    },
    commands=(
        Command(
            "serve",
            "preview the spec live: rebuild on save, reload the browser (the 'serve' extra)",
            lazy(f"{__name__}.serve", "configure"),
            lazy(f"{__name__}.serve", "run"),
        ),
    ),
    setup=setup_template,
)
