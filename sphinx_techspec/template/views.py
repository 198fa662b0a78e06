"""The template's views: one placeholder node, replaced from domain data.

A view directive (``risk-register``, ``dependency-table``, ``spec-index``,
``spec-completeness``) leaves a :class:`TemplateView` node and records which
item types it shows, so incremental builds rewrite the page when they change.
At ``doctree-resolved`` the node is replaced by its renderer's nodes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from ..domain import DOMAIN, TechspecDomain

#: A renderer gets the app, the domain, the placeholder and the page it is on.
Renderer = Callable[[Sphinx, TechspecDomain, "TemplateView", str], list[nodes.Node]]


class TemplateView(nodes.General, nodes.Element):
    """Where a view goes; its ``view`` attribute names the renderer."""


class ViewDirective(SphinxDirective):
    """A view of domain data: a placeholder now, a table once every page is read."""

    view: ClassVar[str]
    #: Item types the view shows (``None``: any type).
    shows: ClassVar[tuple[str, ...] | None] = None

    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {}

    def run(self) -> list[nodes.Node]:
        node = TemplateView(view=self.view)
        self.set_source_info(node)
        domain: TechspecDomain = self.env.get_domain(DOMAIN)  # type: ignore[assignment]
        domain.note_view(self.env.docname, self.shown_types())
        return [node]

    def shown_types(self) -> tuple[str, ...] | None:
        return self.shows


def empty_note(text: str) -> nodes.paragraph:
    return nodes.paragraph("", "", nodes.emphasis("", text), classes=["techspec-empty"])


def field_text(value: Any) -> str:
    if value in (None, "", []):
        return ""
    return ", ".join(value) if isinstance(value, list) else str(value)
