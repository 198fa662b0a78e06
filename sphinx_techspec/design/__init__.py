"""Detailed design: data models, API endpoints, error codes, their views and exports.

Declared with the feature contract (:mod:`sphinx_techspec.feature`).
"""

from __future__ import annotations

from ..config import strict_object
from ..diagrams import node_style
from ..feature import Command, ConfigValue, Export, Feature, lazy
from ..view import View
from .api_drift import ApiDriftDirective, check_api_drift, drift_report, render_api_drift
from .checks import check_design
from .field_shapes import FIELD_SHAPES
from .item_types import ITEM_TYPES, LINK_TYPES
from .json_schema import models_by_name
from .openapi import openapi_enabled, openapi_files, validate_openapi
from .resolve import (
    PLACEHOLDER_RESOLVERS,
    endpoints_by_component,
    model_usage,
    models_used_by_endpoints,
    render_api_index,
    render_er_diagram,
    render_error_catalog,
)
from .views import ApiIndexDirective, ErDiagramDirective, ErrorCatalogDirective

SERVER = {
    "anyOf": [
        {"type": "string", "minLength": 1},
        {
            "type": "object",
            "properties": {"url": {"type": "string", "minLength": 1}},
            "required": ["url"],
        },
    ]
}

OPENAPI_SCHEMA = {
    "anyOf": [
        {"const": False},
        strict_object(
            {
                "title": {"type": "string"},
                "version": {"type": "string"},
                "description": {"type": "string"},
                "servers": {"type": "array", "items": SERVER},
            }
        ),
    ]
}

AUTH_SCHEMES_SCHEMA = {
    "type": "object",
    "additionalProperties": {
        "type": "object",
        "properties": {
            "type": {"enum": ["apiKey", "http", "mutualTLS", "oauth2", "openIdConnect"]}
        },
        "required": ["type"],
    },
}

FEATURE = Feature(
    name="design",
    item_types=ITEM_TYPES,
    link_types=LINK_TYPES,
    field_shapes=FIELD_SHAPES,
    # Fixed text only: never built from user input.
    diagram_styles={
        "api-endpoint": node_style("tsEndpoint", "orange", "#ffedd5", "#c2410c", "parallelogram"),
        "data-model": node_style("tsModel", "yellow", "#fef9c3", "#a16207", "cylinder"),
        "error-code": node_style("tsErrorCode", "pink", "#fce7f3", "#be185d", "rounded box"),
    },
    link_sources={"implements": ("api-endpoint", "data-model")},
    config_values=(
        ConfigValue("techspec_openapi", {}, OPENAPI_SCHEMA, rebuild="html"),
        ConfigValue("techspec_auth_schemes", {}, AUTH_SCHEMES_SCHEMA),
        ConfigValue(
            "techspec_openapi_compare",
            "",
            {"type": "string"},
            description="an implementation's OpenAPI file (relative to conf.py) to compare with",
        ),
    ),
    views=(
        View("error-catalog", ErrorCatalogDirective, render_error_catalog),
        View("api-index", ApiIndexDirective, render_api_index),
        View("er-diagram", ErDiagramDirective, render_er_diagram),
        View("api-drift", ApiDriftDirective, render_api_drift),
    ),
    placeholders=PLACEHOLDER_RESOLVERS,
    indexes={
        "models_by_name": lambda domain: models_by_name(domain.items_of_type("data-model")),
        "model_usage": model_usage,
        "endpoints_by_component": endpoints_by_component,
        "implicitly_used": models_used_by_endpoints,
        "api_drift": drift_report,
    },
    checks=(check_design, check_api_drift),
    commands=(
        Command(
            "import-openapi",
            "write api-endpoint and data-model pages from an OpenAPI 3.0/3.1 file",
            lazy(f"{__name__}.openapi_import", "configure"),
            lazy(f"{__name__}.openapi_import", "run"),
        ),
    ),
    exports=(
        Export(
            "OpenAPI",
            "techspec_openapi",
            openapi_files,
            validate=validate_openapi,
            indent=2,
            formats=("html",),
            is_enabled=openapi_enabled,
        ),
    ),
    warnings={
        "bad_field": "a data-model field, endpoint parameter, type or example line cannot be read",
        "unknown_model": "a field type, foreign key, request or response names no data model",
        "bad_schema": "the JSON Schema derived from a data model is invalid (e.g. a bad pattern)",
        "example_invalid": "a JSON example does not match its model's JSON Schema",
        "bad_json": "a JSON example is not valid JSON",
        "bad_endpoint": "an endpoint has an unknown HTTP method or a malformed path",
        "path_param": "a path parameter is used but not declared, or declared but not used",
        "duplicate_endpoint": "the same METHOD and path are defined twice",
        "api_drift": "an operation, parameter, status or field differs between the spec and "
        "the implementation's OpenAPI file (techspec_openapi_compare)",
        "api_drift_source": "the implementation's OpenAPI file (techspec_openapi_compare) "
        "cannot be read",
    },
)
