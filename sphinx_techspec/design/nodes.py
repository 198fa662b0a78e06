"""Placeholders of the detailed design, replaced at ``doctree-resolved`` from domain data."""

from __future__ import annotations

from docutils import nodes


class DesignPlaceholder(nodes.Element):
    """Base of every design placeholder, so one walk of a page finds them all."""


class ModelRef(nodes.Inline, DesignPlaceholder):
    """A model name in a type (``array of User``): a link once all models are known."""


class EndpointResponses(nodes.General, DesignPlaceholder):
    """An endpoint's status-code table: declared responses plus its error codes."""


class ModelUsage(nodes.General, DesignPlaceholder):
    """The endpoints and models that use a model ("used by")."""


class ErrorCatalog(nodes.General, DesignPlaceholder):
    """``.. error-catalog::``: every (or a filtered set of) error code as one table."""


class ApiIndex(nodes.General, DesignPlaceholder):
    """``.. api-index::``: every endpoint as one table, grouped by component."""


class ErDiagram(nodes.General, DesignPlaceholder):
    """``.. er-diagram::``: a Mermaid ``erDiagram`` of the data models."""


PLACEHOLDERS: tuple[type[nodes.Element], ...] = (
    ModelRef,
    EndpointResponses,
    ModelUsage,
    ErrorCatalog,
    ApiIndex,
    ErDiagram,
)
