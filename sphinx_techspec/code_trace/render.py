"""Code references where items are shown: card rows, their links, the export.

A reference reads ``path:line symbol()``; it links to the repository when
``techspec_code_url`` is set (``{path}``, ``{line}``, ``{commit}`` filled in, the URL
through the one URL check of :mod:`sphinx_techspec.urls`), else it is plain text.
Everything is standard docutils nodes; text from source files is only ever ``Text``.
"""

from __future__ import annotations

import urllib.parse
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

from ..config import config_location
from ..directives import field_row
from ..domain import TechspecDomain
from ..model import Item
from ..schema import SpecSchema
from ..urls import checked_url
from .model import CodeReference
from .source_pages import makes_source_pages, source_page_url
from .store import references_by_item, state_of


def row_label(schema: SpecSchema, link_type: str) -> str:
    """``implements`` → "Implemented in code", ``verifies`` → "Verified in code"."""
    link = schema.link_types.get(link_type)
    if link is not None and link.reverse.endswith(" by"):
        words = link.reverse[: -len(" by")]
    else:
        words = link.forward if link is not None else link_type.replace("-", " ")
    return f"{words[:1].upper()}{words[1:]} in code"


def reference_text(reference: CodeReference) -> str:
    """``src/reset/tokens.py:42 issue_token()`` (no symbol: the file and line alone)."""
    symbol = f" {reference.symbol}()" if reference.symbol else ""
    return f"{reference.path}:{reference.line}{symbol}"


def code_url(app: Sphinx, domain: TechspecDomain, reference: CodeReference) -> str:
    """The reference's URL from ``techspec_code_url``, checked; ``""``: plain text."""
    template = app.config.techspec_code_url
    if not template:
        return ""
    values = {
        "path": urllib.parse.quote(reference.path, safe="/"),
        "line": str(reference.line),
        "commit": state_of(domain).commit or "HEAD",
    }
    url = template
    for key, value in values.items():
        url = url.replace("{" + key + "}", value)
    return checked_url(url, config_location(app, "techspec_code_url"), "techspec_code_url")


def reference_url(
    app: Sphinx, domain: TechspecDomain, reference: CodeReference, docname: str | None = None
) -> str:
    """The repository (``techspec_code_url``), else the source page seen from ``docname``
    in HTML builds that make them, else ``""``."""
    url = code_url(app, domain, reference)
    if not url and docname is not None and makes_source_pages(app):
        url = source_page_url(app, docname, reference)
    return url


def reference_node(
    app: Sphinx,
    domain: TechspecDomain,
    reference: CodeReference,
    docname: str | None = None,
    text: str = "",
) -> nodes.Node:
    """The reference as a link (repository or source page), or as literal text."""
    literal = nodes.literal("", text or reference_text(reference))
    url = reference_url(app, domain, reference, docname)
    if not url:
        return literal
    return nodes.reference("", "", literal, refuri=url, classes=["techspec-code-ref"])


def code_card_rows(
    app: Sphinx, domain: TechspecDomain, docname: str, item: Item
) -> list[nodes.field]:
    """One row per link type: "Implemented in code", "Verified in code"."""
    references = references_by_item(domain).get(item.id, ())
    by_link: dict[str, list[CodeReference]] = {}
    for reference in references:
        by_link.setdefault(reference.link_type, []).append(reference)
    rows = []
    for link_type in sorted(by_link, key=_link_order):
        bullets = nodes.bullet_list(classes=["techspec-code-refs"])
        for reference in by_link[link_type]:
            bullets += nodes.list_item(
                "", nodes.paragraph("", "", reference_node(app, domain, reference, docname))
            )
        rows.append(field_row(row_label(domain.schema, link_type), bullets))
    return rows


def _link_order(link_type: str) -> tuple[int, str]:
    """Implemented before verified, then the others by name."""
    return ({"implements": 0, "verifies": 1}.get(link_type, 2), link_type)


def code_export(app: Sphinx, domain: TechspecDomain, item: Item) -> dict[str, Any]:
    """``code``: the item's references (file, line range, symbol, link type, commit)."""
    references = references_by_item(domain).get(item.id, ())
    if not references:
        return {}
    commit = state_of(domain).commit
    return {
        "code": [
            {
                "file": reference.path,
                "line": reference.line,
                "end_line": reference.end_line,
                "symbol": reference.symbol,
                "link_type": reference.link_type,
                "marker_line": reference.marker_line,
                "commit": commit,
            }
            for reference in references
        ]
    }
