"""The template's views: one placeholder node, replaced from domain data.

A view directive (``risk-register``, ``dependency-table``, ``spec-index``,
``spec-completeness``) leaves a :class:`TemplateView` node and records which
item types it shows, so incremental builds rewrite the page when they change.
At ``doctree-resolved`` the node is replaced by the renderer registered for it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from ..domain import DOMAIN, TechspecDomain
from ..rendering import item_reference

#: A renderer gets the app, the domain, the placeholder and the page it is on.
Renderer = Callable[[Sphinx, TechspecDomain, "TemplateView", str], list[nodes.Node]]

RENDERERS: dict[str, Renderer] = {}


class TemplateView(nodes.General, nodes.Element):
    """Where a view goes (``view`` attribute names it; ``options`` its options)."""


class ViewDirective(SphinxDirective):
    """A view of domain data: a placeholder now, a table once every page is read."""

    view: ClassVar[str]
    #: Item types the view shows (``None``: any type).
    shows: ClassVar[tuple[str, ...] | None] = None

    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {}

    def run(self) -> list[nodes.Node]:
        node = TemplateView(view=self.view, options=dict(self.options))
        self.set_source_info(node)
        domain: TechspecDomain = self.env.get_domain(DOMAIN)  # type: ignore[assignment]
        domain.note_view(self.env.docname, self.shown_types())
        return [node]

    def shown_types(self) -> tuple[str, ...] | None:
        return self.shows


def render_views(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    domain: TechspecDomain = app.env.get_domain(DOMAIN)  # type: ignore[assignment]
    for node in list(doctree.findall(TemplateView)):
        renderer = RENDERERS[node["view"]]
        node.replace_self(renderer(app, domain, node, docname))


def empty_note(text: str) -> nodes.paragraph:
    return nodes.paragraph("", "", nodes.emphasis("", text), classes=["techspec-empty"])


def item_cell(domain: TechspecDomain, app: Sphinx, fromdocname: str, item_id: str) -> nodes.Node:
    """The item's ID (linked) and title, for the first column of a view."""
    return item_reference(domain, app, fromdocname, item_id)


def field_text(value: Any) -> str:
    if value in (None, "", []):
        return ""
    return ", ".join(value) if isinstance(value, list) else str(value)
