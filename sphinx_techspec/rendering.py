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
from .model import Item
from .nodes import ItemLinks
from .nodes import mark as mark_node


def marks_of(
    app: Sphinx, domain: TechspecDomain, item: Item, link: tuple[Item, str] | None = None
) -> list[Mark]:
    """Every feature's marks for ``item``, and for the link ``(source, link type)`` → item."""
    item_hooks = item_mark_hooks()
    link_hooks = link_mark_hooks() if link is not None else ()
    if not item_hooks and not link_hooks:  # no feature declares marks: nothing to call
        return []
    marks = [mark for hook in item_hooks for mark in hook(app, domain, item)]
    if link is not None:
        source, link_name = link
        marks += [m for hook in link_hooks for m in hook(app, domain, source, link_name, item)]
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


def reference_node(
    app: Sphinx, fromdocname: str, item: Item, *children: nodes.Node, classes: tuple[str, ...] = ()
) -> nodes.reference:
    """What ``domain.make_reference`` gives (``make_refnode``), for the many links a page lists.

    The relative URI of a (page, target page) pair is computed once per build
    (cached on the builder): a matrix links the same few hundred pages from
    every row.
    """
    tooltip = f"{item.id}: {item.title}" if item.title else item.id
    external_url = getattr(item, "external_url", None)  # another project's item
    if external_url is not None:
        node = nodes.reference("", "", *children, refuri=external_url, internal=False)
        node["classes"].extend(classes)
        node["reftitle"] = tooltip
        return node
    builder = app.builder
    node = nodes.reference("", "", *children, internal=True)
    if classes:
        node["classes"].extend(classes)
    if fromdocname == item.docname and item.anchor:
        node["refid"] = item.anchor
    else:
        cache: dict[tuple[str, str], str] | None = getattr(builder, "_techspec_uris", None)
        if cache is None:
            cache = {}
            builder._techspec_uris = cache  # type: ignore[attr-defined]
        key = (fromdocname, item.docname)
        uri = cache.get(key)
        if uri is None:
            uri = cache[key] = builder.get_relative_uri(fromdocname, item.docname)
        node["refuri"] = f"{uri}#{item.anchor}" if item.anchor else uri
    node["reftitle"] = tooltip
    return node


def item_reference(
    domain: TechspecDomain,
    app: Sphinx,
    fromdocname: str,
    item_id: str,
    link: tuple[Item, str] | None = None,
) -> nodes.Node:
    """``ID title`` linking to the item, with its marks, or the bare ID marked unknown.

    ``link`` — (source item, link type) — adds the marks of that link (e.g. suspect).
    The reference (class ``techspec-ref``) holds the ID, a space and the title:
    six nodes with their text (seven before the wrapping ``inline`` went).
    """
    target = domain.get(item_id)
    if target is None:
        return nodes.inline("", item_id, classes=["techspec-unknown"])
    identifier = nodes.inline("", target.id, classes=["techspec-ref-id"])
    if target.title:
        title = nodes.inline("", target.title, classes=["techspec-ref-title"])
        reference = reference_node(
            app, fromdocname, target, identifier, nodes.Text(" "), title, classes=REF_CLASSES
        )
    else:
        reference = reference_node(app, fromdocname, target, identifier, classes=REF_CLASSES)
    marks = marks_of(app, domain, target, link)
    if not marks:
        return reference
    return nodes.inline("", "", reference, *mark_nodes(marks))


REF_CLASSES = ("techspec-ref",)


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
        return nodes.paragraph(
            "", "", item_reference(domain, app, fromdocname, item_ids[0], links[0])
        )
    items = [
        nodes.list_item(
            "", nodes.paragraph("", "", item_reference(domain, app, fromdocname, item_id, link))
        )
        for item_id, link in zip(item_ids, links, strict=True)
    ]
    return nodes.bullet_list("", *items, classes=["techspec-link-list"])


def link_rows(domain: TechspecDomain, app: Sphinx, fromdocname: str, item: Item) -> list:
    """One row per outgoing link type, then one per incoming ("verified by")."""
    rows = []
    link_types = domain.schema.link_types.values()
    for link in link_types:
        targets = item.links.get(link.name)
        if targets:
            through = [(item, link.name)] * len(targets)
            content = reference_list(domain, app, fromdocname, list(targets), through)
            rows.append(field_row(link.forward.capitalize(), content))
    # Grouped by link type and in natural order, once per build (ItemIndex).
    incoming = domain.index.incoming_by_link.get(item.id)
    if incoming:
        link_hooks = link_mark_hooks()
        for link in link_types:
            sources = incoming.get(link.name)
            if not sources:
                continue
            parts_of = []
            for source_id in sources:
                reference = item_reference(domain, app, fromdocname, source_id)
                source = domain.get(source_id) if link_hooks else None
                if source is not None:
                    # Marks of the link belong to it whichever end shows it.
                    marks = [
                        m for hook in link_hooks for m in hook(app, domain, source, link.name, item)
                    ]
                    parts_of.append([reference, *mark_nodes(marks)])
                else:
                    parts_of.append([reference])
            if len(parts_of) == 1:
                content: nodes.Element = nodes.paragraph("", "", *parts_of[0])
            else:
                content = nodes.bullet_list(
                    "",
                    *(nodes.list_item("", nodes.paragraph("", "", *parts)) for parts in parts_of),
                    classes=["techspec-link-list"],
                )
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
