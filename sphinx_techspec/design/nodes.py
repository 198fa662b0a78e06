"""Placeholders of the detailed design, replaced at ``doctree-resolved`` from domain data."""

from __future__ import annotations

from docutils import nodes

from ..nodes import Placeholder


class DesignPlaceholder(Placeholder):
    """Base of the design's placeholders inside item cards."""


class ModelRef(nodes.Inline, DesignPlaceholder):
    """A model name in a type (``array of User``): a link once all models are known."""


class EndpointResponses(nodes.General, DesignPlaceholder):
    """An endpoint's status-code table: declared responses plus its error codes."""


class ModelUsage(nodes.General, DesignPlaceholder):
    """The endpoints and models that use a model ("used by")."""
