"""How an item is shown where it is referenced, and the link rows of its card.

:func:`item_reference` is the one way an ID is shown (linked through
:func:`~sphinx_techspec.urls.item_link`, with the marks features declare:
:func:`item_marks`, :func:`link_marks`); every view and card uses it. The link rows
run at ``doctree-resolved``, after every page is read, so a reverse link ("verified
by TC-7") is known whatever the read order; the pages that show links are kept
fresh by :mod:`sphinx_techspec.incremental`.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx

from .directives import field_row
from .domain import TechspecDomain
from .feature import Mark
from .model import Item
from .nodes import ItemLinks
from .nodes import mark as mark_node
from .urls import item_link


def item_marks(app: Sphinx, domain: TechspecDomain, item: Item) -> list[Mark]:
    """Every feature's marks for ``item`` (e.g. its test result, superseded)."""
    return [mark for hook in domain.features.item_marks for mark in hook(app, domain, item)]


def link_marks(
    app: Sphinx, domain: TechspecDomain, source: Item, link_name: str, target: Item
) -> list[Mark]:
    """Every feature's marks for the link ``source`` → ``target`` (e.g. suspect).

    The one path of link marks: they belong to the link, whichever end shows it.
    """
    hooks = domain.features.link_marks
    return [m for hook in hooks for m in hook(app, domain, source, link_name, target)]


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


REF_CLASSES = ("techspec-ref",)


def generated_id(domain: TechspecDomain, item: Item) -> bool:
    """Whether ``item``'s ID was made by a tool, not written by a person.

    Items written in pages must match ``techspec_id_pattern``; one that does not
    (an automatic test item named after its pytest node, ``tests.test_x::test_y``)
    reads better by its title wherever a bare ID would be shown.
    """
    return domain.schema.id_pattern.fullmatch(item.id) is None


#: A link as (source, link type name, target).
Link = tuple[Item, str, Item]


def item_reference(
    app: Sphinx,
    domain: TechspecDomain,
    fromdocname: str,
    item_id: str,
    link: Link | None = None,
    *,
    with_title: bool = False,
) -> nodes.Node:
    """The one way an ID is shown: linked to its item, with the item's marks.

    The bare ID (its title the tooltip in HTML), or with ``with_title`` ``ID title``
    (class ``techspec-ref``); an unknown ID stays text, marked unknown. An ID no person
    wrote (see :func:`generated_id`) shows as its item's title instead, the ID the
    tooltip. ``link`` — (source, link type, target), the item shown at either end —
    adds the marks of that link (e.g. suspect), so a link is marked whichever end
    shows it.
    """
    target = domain.get(item_id)
    if target is None:
        return nodes.inline("", item_id, classes=["techspec-unknown"])
    identifier = nodes.inline("", target.id, classes=["techspec-ref-id"])
    if not with_title and target.title and generated_id(domain, target):
        title = nodes.inline("", target.title, classes=["techspec-ref-title"])
        reference = item_link(app, fromdocname, target, title, classes=("techspec-ref-generated",))
    elif not with_title:
        reference = item_link(app, fromdocname, target, identifier)
    elif target.title:
        title = nodes.inline("", target.title, classes=["techspec-ref-title"])
        reference = item_link(
            app, fromdocname, target, identifier, nodes.Text(" "), title, classes=REF_CLASSES
        )
    else:
        reference = item_link(app, fromdocname, target, identifier, classes=REF_CLASSES)
    marks = item_marks(app, domain, target)
    if link is not None:
        marks += link_marks(app, domain, *link)
    if not marks:
        return reference
    return nodes.inline("", "", reference, *mark_nodes(marks))


def reference_list(
    app: Sphinx,
    domain: TechspecDomain,
    fromdocname: str,
    item_ids: list[str],
    links: list[Link | None] | None = None,
) -> nodes.Node:
    """One titled reference in a paragraph, several in a bullet list; ``links`` as for
    :func:`item_reference`, one per ID."""
    links = links or [None] * len(item_ids)
    parts = [
        item_reference(app, domain, fromdocname, item_id, link, with_title=True)
        for item_id, link in zip(item_ids, links, strict=True)
    ]
    if len(parts) == 1:
        return nodes.paragraph("", "", parts[0])
    items = [nodes.list_item("", nodes.paragraph("", "", part)) for part in parts]
    return nodes.bullet_list("", *items, classes=["techspec-link-list"])


def link_rows(app: Sphinx, domain: TechspecDomain, fromdocname: str, item: Item) -> list:
    """One row per outgoing link type, then one per incoming ("verified by")."""
    rows = []
    link_types = domain.schema.link_types.values()
    for link in link_types:
        targets = item.links.get(link.name)
        if targets:
            through: list[Link | None] = [
                (item, link.name, target) if target is not None else None
                for target in map(domain.get, targets)
            ]
            content = reference_list(app, domain, fromdocname, list(targets), through)
            rows.append(field_row(link.forward.capitalize(), content))
    # Grouped by link type and in natural order, once per build (ItemIndex).
    incoming = domain.index.incoming_by_link.get(item.id)
    if incoming:
        for link in link_types:
            sources = incoming.get(link.name)
            if sources:
                seen: list[Link | None] = [
                    (source, link.name, item) if source is not None else None
                    for source in map(domain.get, sources)
                ]
                content = reference_list(app, domain, fromdocname, sources, seen)
                rows.append(field_row(link.reverse.capitalize(), content))
    for hook in domain.features.card_rows:
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
    rows = link_rows(app, domain, docname, item) if item else []
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
