"""Placeholders of the detailed design, replaced at ``doctree-resolved`` from domain data."""

from __future__ import annotations

from docutils import nodes


class ModelRef(nodes.Inline, nodes.Element):
    """A model name in a type (``array of User``): a link once all models are known."""


class EndpointResponses(nodes.General, nodes.Element):
    """An endpoint's status-code table: declared responses plus its error codes."""


class ModelUsage(nodes.General, nodes.Element):
    """The endpoints and models that use a model ("used by")."""


class ErrorCatalog(nodes.General, nodes.Element):
    """``.. error-catalog::``: every (or a filtered set of) error code as one table."""


class ApiIndex(nodes.General, nodes.Element):
    """``.. api-index::``: every endpoint as one table, grouped by component."""


class ErDiagram(nodes.General, nodes.Element):
    """``.. er-diagram::``: a Mermaid ``erDiagram`` of the data models."""


PLACEHOLDERS: tuple[type[nodes.Element], ...] = (
    ModelRef,
    EndpointResponses,
    ModelUsage,
    ErrorCatalog,
    ApiIndex,
    ErDiagram,
)
