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
from .feature import Mark, card_row_hooks, item_mark_hooks, link_mark_hooks
from .model import Item, natural_key
from .nodes import ItemLinks
from .nodes import mark as mark_node


def marks_of(
    app: Sphinx, domain: TechspecDomain, item: Item, link: tuple[Item, str] | None = None
) -> list[Mark]:
    """Every feature's marks for ``item``, and for the link ``(source, link type)`` → item."""
    marks = [mark for hook in item_mark_hooks() for mark in hook(app, domain, item)]
    if link is not None:
        marks += link_marks_of(app, domain, link[0], link[1], item)
    return marks


def link_marks_of(
    app: Sphinx, domain: TechspecDomain, source: Item, link_name: str, target: Item
) -> list[Mark]:
    """Every feature's marks for the link ``source`` → ``target`` (e.g. suspect)."""
    return [m for hook in link_mark_hooks() for m in hook(app, domain, source, link_name, target)]


def mark_nodes(marks: list[Mark]) -> list[nodes.Node]:
    """`` [failed]`` as inline nodes: a word in every builder, a styled state in HTML."""
    result: list[nodes.Node] = []
    for mark in marks:
        result.append(nodes.Text(" "))
        result.append(
            mark_node(
                "",
                mark.text,
                classes=["techspec-mark", f"techspec-state-{mark.state}"],
                **({"title": mark.title} if mark.title else {}),
            )
        )
    return result


def item_reference(
    domain: TechspecDomain,
    app: Sphinx,
    fromdocname: str,
    item_id: str,
    link: tuple[Item, str] | None = None,
) -> nodes.Node:
    """``ID title`` linking to the item, with its marks, or the bare ID marked unknown.

    ``link`` — (source item, link type) — adds the marks of that link (e.g. suspect).
    """
    target = domain.get(item_id)
    if target is None:
        return nodes.inline("", item_id, classes=["techspec-unknown"])
    content = nodes.inline("", "", classes=["techspec-ref"])
    content += nodes.inline("", target.id, classes=["techspec-ref-id"])
    if target.title:
        content += nodes.Text(" ")
        content += nodes.inline("", target.title, classes=["techspec-ref-title"])
    reference = domain.make_reference(app.builder, fromdocname, target, content)
    marks = marks_of(app, domain, target, link)
    if not marks:
        return reference
    return nodes.inline("", "", reference, *mark_nodes(marks))


def reference_list(
    domain: TechspecDomain,
    app: Sphinx,
    fromdocname: str,
    item_ids: list[str],
    links: list[tuple[Item, str] | None] | None = None,
) -> nodes.Node:
    """One reference in a paragraph, several in a bullet list; ``links`` as for item_reference."""
    links = links or [None] * len(item_ids)
    if len(item_ids) == 1:
        paragraph = nodes.paragraph()
        paragraph += item_reference(domain, app, fromdocname, item_ids[0], links[0])
        return paragraph
    bullets = nodes.bullet_list(classes=["techspec-link-list"])
    for item_id, link in zip(item_ids, links, strict=True):
        paragraph = nodes.paragraph()
        paragraph += item_reference(domain, app, fromdocname, item_id, link)
        bullets += nodes.list_item("", paragraph)
    return bullets


def link_rows(domain: TechspecDomain, app: Sphinx, fromdocname: str, item: Item) -> list:
    """One row per outgoing link type, then one per incoming ("verified by")."""
    rows = []
    for link in domain.schema.link_types.values():
        targets = item.links.get(link.name)
        if targets:
            through = [(item, link.name)] * len(targets)
            content = reference_list(domain, app, fromdocname, list(targets), through)
            rows.append(field_row(link.forward.capitalize(), content))
    incoming: dict[str, list[str]] = {}
    for link_name, source in domain.incoming(item.id):
        incoming.setdefault(link_name, []).append(source)
    for link in domain.schema.link_types.values():
        sources = incoming.get(link.name)
        if sources:
            sources.sort(key=natural_key)
            # Marks of the link belong to it whichever end shows it.
            content = (
                nodes.paragraph()
                if len(sources) == 1
                else nodes.bullet_list(classes=["techspec-link-list"])
            )
            for source_id in sources:
                reference = item_reference(domain, app, fromdocname, source_id)
                source = domain.get(source_id)
                link_marks = link_marks_of(app, domain, source, link.name, item) if source else []
                parts = [reference, *mark_nodes(link_marks)]
                if len(sources) == 1:
                    content += parts
                else:
                    content += nodes.list_item("", nodes.paragraph("", "", *parts))
            rows.append(field_row(link.reverse.capitalize(), content))
    for hook in card_row_hooks():
        rows.extend(hook(app, domain, fromdocname, item))
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
