"""Item and link types of the detailed design: data models, API endpoints, error codes."""

from __future__ import annotations

from ..model import FieldSpec, ItemType, LinkType
from .endpoints import ApiEndpointDirective
from .error_codes import ErrorCodeDirective
from .models import DataModelDirective

ITEM_TYPES: tuple[ItemType, ...] = (
    ItemType(
        "data-model",
        "Data model",
        role="model",
        fields=(FieldSpec("table", "Table"),),
        directive=DataModelDirective,
    ),
    ItemType("api-endpoint", "API endpoint", role="api", directive=ApiEndpointDirective),
    ItemType(
        "error-code",
        "Error code",
        role="err",
        fields=(
            FieldSpec("http-status", "HTTP status", "integer"),
            FieldSpec("message", "Message"),
            FieldSpec("retryable", "Retryable", "flag"),
        ),
        directive=ErrorCodeDirective,
    ),
)

LINK_TYPES: tuple[LinkType, ...] = (
    LinkType("component", "exposes", ("api-endpoint",), ("component",)),
    LinkType("errors", "returned by", ("api-endpoint",), ("error-code",)),
)
