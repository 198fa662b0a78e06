"""The spec template as items: header, scope, risks, environments, dependencies,
metrics, decisions; their views; and the completeness check.

The item and link types are declared in :mod:`.item_types` (listed in
``schema.DECLARATION_MODULES``); this module adds the config values, the view
directives and the checks.
"""

from __future__ import annotations

import copy

from docutils import nodes
from sphinx.application import Sphinx

from ..domain import DOMAIN, TechspecDomain
from ..nodes import add_placeholder_node
from . import item_types
from .completeness import (
    DEFAULT_TEMPLATE,
    SpecCompletenessDirective,
    SpecGuideDirective,
    TemplateCollector,
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
from .risks import (
    RiskRegisterDirective,
    check_risk_gate,
    render_risk_register,
    validate_risk_config,
)
from .scope import ScopeDirective
from .spec_header import SpecIndexDirective, render_spec_index
from .views import Renderer, TemplateView

VOCABULARIES = {
    "techspec_spec_statuses": item_types.DEFAULT_SPEC_STATUSES,
    "techspec_risk_statuses": item_types.DEFAULT_RISK_STATUSES,
    "techspec_risk_categories": item_types.DEFAULT_RISK_CATEGORIES,
    "techspec_risk_levels": item_types.DEFAULT_RISK_LEVELS,
    "techspec_risk_severities": item_types.DEFAULT_RISK_SEVERITIES,
    "techspec_dependency_kinds": item_types.DEFAULT_DEPENDENCY_KINDS,
    "techspec_metric_types": item_types.DEFAULT_METRIC_TYPES,
    "techspec_decision_statuses": item_types.DEFAULT_DECISION_STATUSES,
}

#: The template's stylesheet, in the package data under ``templates/``.

RENDERERS: dict[str, Renderer] = {
    "risk-register": render_risk_register,
    "dependency-table": render_dependency_table,
    "spec-index": render_spec_index,
    "spec-completeness": render_spec_completeness,
}

DIRECTIVES = {
    "scope": ScopeDirective,
    "spec-guide": SpecGuideDirective,
    "risk-register": RiskRegisterDirective,
    "dependency-table": DependencyTableDirective,
    "spec-index": SpecIndexDirective,
    "spec-completeness": SpecCompletenessDirective,
}


def setup_feature(app: Sphinx) -> None:
    for name, default in VOCABULARIES.items():
        app.add_config_value(name, list(default), "env", types=[list, tuple])
    app.add_config_value("techspec_risk_gate", None, "env", types=[str, type(None)])
    app.add_config_value("techspec_check_installed_versions", False, "env", types=[bool])
    app.add_config_value("techspec_template", copy.deepcopy(DEFAULT_TEMPLATE), "env", types=[list])
    app.add_config_value("techspec_check_completeness", False, "env", types=[bool])

    for name, directive in DIRECTIVES.items():
        app.add_directive(name, directive)
        app.add_directive_to_domain(DOMAIN, name, directive)
    add_placeholder_node(app, TemplateView)
    app.add_env_collector(TemplateCollector)

    app.connect("config-inited", validate_risk_config)
    app.connect("config-inited", validate_template_config)
    app.connect("doctree-resolved", render_views)
    for check in (
        check_risk_gate,
        check_measured_requirements,
        check_installed_versions,
        check_completeness,
    ):
        app.connect("env-check-consistency", check)


def render_views(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Replace every view placeholder with tables built from domain data."""
    domain: TechspecDomain = app.env.get_domain(DOMAIN)  # type: ignore[assignment]
    for node in list(doctree.findall(TemplateView)):
        node.replace_self(RENDERERS[node["view"]](app, domain, node, docname))
