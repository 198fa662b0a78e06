"""Detailed design: data models, API endpoints, error codes, their views and exports.

The item types themselves are declared in :mod:`.item_types` (listed in
``schema.DECLARATION_MODULES``); this module wires the rest into Sphinx.
"""

from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.config import Config

from ..diagnostics import warn
from ..nodes import add_placeholder_node
from .checks import check_design
from .nodes import PLACEHOLDERS
from .openapi import write_openapi
from .resolve import resolve_design
from .views import ApiIndexDirective, ErDiagramDirective, ErrorCatalogDirective


def check_config(app: Sphinx, config: Config) -> None:
    from .. import config_location  # the package is fully imported by the time this runs

    if not isinstance(config.techspec_openapi, dict | bool):
        warn(
            "techspec_openapi must be a dict (title, version, description, servers) or False",
            "bad_config",
            config_location(app, "techspec_openapi"),
        )
        config.techspec_openapi = {}
    if not isinstance(config.techspec_auth_schemes, dict):
        warn(
            "techspec_auth_schemes must be a dict of name → OpenAPI security scheme",
            "bad_config",
            config_location(app, "techspec_auth_schemes"),
        )
        config.techspec_auth_schemes = {}


def setup_feature(app: Sphinx) -> None:
    app.setup_extension("sphinxcontrib.mermaid")
    app.add_config_value("techspec_openapi", {}, "html", types=[dict, bool])
    app.add_config_value("techspec_auth_schemes", {}, "env", types=[dict])
    for node_class in PLACEHOLDERS:
        add_placeholder_node(app, node_class)
    for name, directive in (
        ("error-catalog", ErrorCatalogDirective),
        ("api-index", ApiIndexDirective),
        ("er-diagram", ErDiagramDirective),
    ):
        app.add_directive(name, directive)
        app.add_directive_to_domain("techspec", name, directive)
    app.connect("config-inited", check_config)
    app.connect("env-check-consistency", check_design)
    app.connect("doctree-resolved", resolve_design)
    app.connect("build-finished", write_openapi)
