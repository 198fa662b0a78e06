"""The spec header (one per document) and the index of every spec in the project."""

from __future__ import annotations

import re

from docutils import nodes
from sphinx.application import Sphinx

from ..diagnostics import warn
from ..directives import ItemDirective
from ..domain import TechspecDomain
from ..model import Item
from ..status_styles import state_badge
from ..tables import build_table
from ..urls import item_link
from ..view import ViewNode, info_line
from .views import TemplateViewDirective, field_text


def default_header_id(docname: str) -> str:
    """``SPEC-`` and the document name: stable, unique per page, valid as an anchor."""
    return "SPEC-" + re.sub(r"[^A-Za-z0-9]+", "-", docname).strip("-").upper()


def document_title(document: nodes.document) -> str:
    """The title of the page, as parsed so far (the header sits below it)."""
    for section in document.findall(nodes.section):
        if section.children and isinstance(section[0], nodes.title):
            return section[0].astext()
    return ""


class SpecHeaderDirective(ItemDirective):
    """``.. spec-header:: [ID [Title]]``: status, version, people and date of a spec.

    Without an argument the ID comes from the page name and the title from the
    page title. A second header in one page is reported but still shown.
    """

    def headers_in_page(self) -> list[Item]:
        domain = self.domain
        return [
            item
            for item in (*domain.items.values(), *domain.duplicates)
            if item.type == "spec-header" and item.docname == self.env.docname
        ]

    def parse_signature(self) -> tuple[str, str]:
        item_id, title = super().parse_signature()
        if not item_id:
            item_id = default_header_id(self.env.docname)
            earlier = len(self.headers_in_page())
            if earlier:
                item_id = f"{item_id}-{earlier + 1}"
        return item_id, title or document_title(self.state.document)

    def run(self) -> list[nodes.Node]:
        earlier = self.headers_in_page()
        if earlier:
            warn(
                f"a second spec-header in this document (the first is {earlier[0].id}, "
                f"line {earlier[0].lineno}); a document has one header",
                "duplicate_spec_header",
                self.get_location(),
            )
        return super().run()


class SpecIndexDirective(TemplateViewDirective):
    """``.. spec-index::``: every spec document with its status, version and authors."""

    default_types = ("spec-header",)
    shows = ("spec-header",)


def render_spec_index(
    app: Sphinx, domain: TechspecDomain, docname: str, node: ViewNode
) -> list[nodes.Node]:
    headers = sorted(node["filter"].select(domain), key=Item.sort_key)
    if not headers:
        return [info_line("No document has a spec-header yet.")]
    rows = []
    for header in headers:
        content = nodes.inline("", "", classes=["techspec-ref"])
        content += nodes.inline("", header.title or header.id, classes=["techspec-ref-title"])
        rows.append(
            [
                item_link(app, docname, header, content),
                header.id,
                state_badge(app.config, header.fields.get("status"), header.type),
                field_text(header.fields.get("version")),
                field_text(header.fields.get("authors")),
                field_text(header.fields.get("date")),
            ]
        )
    headings = ["Document", "ID", "Status", "Version", "Authors", "Date"]
    return [build_table(headings, rows, ["techspec-spec-index"])]
