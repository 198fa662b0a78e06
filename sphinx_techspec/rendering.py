"""Outgoing and incoming links of each item, rendered from domain data.

Runs at ``doctree-resolved``, after every page is read, so a reverse link
("verified by TC-7") is known whatever the read order; the pages that show
links are kept fresh by :mod:`sphinx_techspec.incremental`.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx

from .directives import field_row
from .domain import TechspecDomain
from .model import Item, natural_key
from .nodes import ItemLinks


def item_reference(
    domain: TechspecDomain, app: Sphinx, fromdocname: str, item_id: str
) -> nodes.Node:
    """``ID title`` linking to the item, or the bare ID marked unknown."""
    target = domain.get(item_id)
    if target is None:
        return nodes.inline("", item_id, classes=["techspec-unknown"])
    content = nodes.inline("", "", classes=["techspec-ref"])
    content += nodes.inline("", target.id, classes=["techspec-ref-id"])
    if target.title:
        content += nodes.Text(" ")
        content += nodes.inline("", target.title, classes=["techspec-ref-title"])
    return domain.make_reference(app.builder, fromdocname, target, content)


def reference_list(
    domain: TechspecDomain, app: Sphinx, fromdocname: str, item_ids: list[str]
) -> nodes.Node:
    if len(item_ids) == 1:
        paragraph = nodes.paragraph()
        paragraph += item_reference(domain, app, fromdocname, item_ids[0])
        return paragraph
    bullets = nodes.bullet_list(classes=["techspec-link-list"])
    for item_id in item_ids:
        paragraph = nodes.paragraph()
        paragraph += item_reference(domain, app, fromdocname, item_id)
        bullets += nodes.list_item("", paragraph)
    return bullets


def link_rows(domain: TechspecDomain, app: Sphinx, fromdocname: str, item: Item) -> list:
    """One row per outgoing link type, then one per incoming ("verified by")."""
    rows = []
    for link in domain.schema.link_types.values():
        targets = item.links.get(link.name)
        if targets:
            content = reference_list(domain, app, fromdocname, list(targets))
            rows.append(field_row(link.forward.capitalize(), content))
    incoming: dict[str, list[str]] = {}
    for link_name, source in domain.incoming(item.id):
        incoming.setdefault(link_name, []).append(source)
    for link in domain.schema.link_types.values():
        sources = incoming.get(link.name)
        if sources:
            sources.sort(key=natural_key)
            content = reference_list(domain, app, fromdocname, sources)
            rows.append(field_row(link.reverse.capitalize(), content))
    return rows


def find_definition(domain: TechspecDomain, node: ItemLinks) -> Item | None:
    """The item this placeholder belongs to (a duplicate ID's own definition too)."""
    item = domain.get(node["item_id"])
    if item is not None and item.anchor == node["anchor"] and item.docname == node["docname"]:
        return item
    for duplicate in domain.duplicates:
        if duplicate.anchor == node["anchor"] and duplicate.docname == node["docname"]:
            return duplicate
    return None


def render_item_links(
    app: Sphinx, domain: TechspecDomain, docname: str, node: nodes.Element
) -> list[nodes.Node]:
    """An item's link rows; they continue its field table when it has one."""
    item = find_definition(domain, node)
    rows = link_rows(domain, app, docname, item) if item else []
    if not rows:
        return []
    # Continue the item's field table when it has one, so the columns align.
    index = node.parent.index(node)
    previous = node.parent[index - 1] if index else None
    if isinstance(previous, nodes.field_list) and "techspec-fields" in previous["classes"]:
        previous += rows
        return []
    field_list = nodes.field_list(classes=["techspec-fields", "techspec-links"])
    field_list += rows
    return [field_list]
