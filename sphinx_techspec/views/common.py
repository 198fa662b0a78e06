"""What the traceability views share: links seen from an item, ID lists, percentages.

The view base itself (directive, placeholder, filter, dispatch) is
:mod:`sphinx_techspec.view`, shared with every other feature.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from docutils import nodes
from sphinx.application import Sphinx

from ..diagnostics import warn
from ..domain import TechspecDomain
from ..filters import ItemFilter
from ..model import Item, LinkType
from ..rendering import link_marks_of, mark_nodes, marks_of, reference_node
from ..view import ViewNode

# -- links -----------------------------------------------------------------------


def linked_ids(domain: TechspecDomain, item: Item, link: str | None, direction: str) -> list[str]:
    """IDs linked to ``item`` by ``link`` (any link: ``None``), ``in``/``out``/``both``."""
    found: dict[str, None] = {}
    if direction in ("out", "both"):
        for name, targets in item.links.items():
            if link is None or name == link:
                found.update(dict.fromkeys(targets))
    if direction in ("in", "both"):
        for name, source in domain.incoming(item.id):
            if link is None or name == link:
                found[source] = None
    return domain.index.sorted_ids(i for i in found if i in domain.items)


def find_link(domain: TechspecDomain, token: str) -> tuple[LinkType, str] | None:
    """A link type named by its name (``verifies``) or reverse (``verified by``)."""
    normal = " ".join(token.replace("-", " ").replace("_", " ").lower().split())
    for link in domain.schema.link_types.values():
        if token == link.name or normal == link.name.replace("-", " "):
            return link, "out"
    for link in domain.schema.link_types.values():
        if normal == link.reverse.lower():
            return link, "in"
    return None


# -- nodes -------------------------------------------------------------------------


def id_reference(
    app: Sphinx,
    domain: TechspecDomain,
    fromdocname: str,
    item_id: str,
    link: tuple[Item, str] | None = None,
) -> nodes.Node:
    """The bare ID linking to its item (the title is the tooltip in HTML), with its marks.

    ``link`` — (source item, link type) — adds the marks of that link (e.g. suspect).
    """
    item = domain.get(item_id)
    if item is None:
        return nodes.inline("", item_id, classes=["techspec-unknown"])
    content = nodes.inline("", item.id, classes=["techspec-ref-id"])
    reference = reference_node(app, fromdocname, item, content)
    marks = marks_of(app, domain, item, link)
    if not marks:
        return reference
    return nodes.inline("", "", reference, *mark_nodes(marks))


def id_list(
    app: Sphinx,
    domain: TechspecDomain,
    fromdocname: str,
    item_ids: Iterable[str],
    seen_from: tuple[Item, str | None, str] | None = None,
) -> nodes.paragraph:
    """``TC-1, TC-2``, each linked, with their marks.

    ``seen_from`` — (row item, link type, direction ``in``/``out``) — adds the marks of
    the link between the row and each ID (a suspect link shows in the matrix too).
    """
    paragraph = nodes.paragraph()
    row, link_name, direction = seen_from or (None, None, "")
    for position, item_id in enumerate(item_ids):
        if position:
            paragraph += nodes.Text(", ")
        paragraph += id_reference(app, domain, fromdocname, item_id)
        other = domain.get(item_id)
        if row is None or link_name is None or other is None or direction not in ("in", "out"):
            continue
        source, target = (other, row) if direction == "in" else (row, other)
        if link_name in source.links and target.id in source.links[link_name]:
            paragraph += mark_nodes(link_marks_of(app, domain, source, link_name, target))
    return paragraph


def percent(covered: int, total: int) -> str:
    """Rounded down, so an incomplete coverage never reads 100 %."""
    return f"{covered * 100 // total} %" if total else "n/a"


def plural(domain: TechspecDomain, types: Sequence[str]) -> str:
    if len(types) == 1 and types[0] in domain.schema.item_types:
        return domain.schema.item_types[types[0]].plural_label.lower()
    return "items"


def warn_unknown_ids(
    domain: TechspecDomain, item_filter: ItemFilter, node: ViewNode, option: str = "ids"
) -> None:
    """Explicit IDs are checked once every page is read (once per view node)."""
    if node.get("ids_checked"):
        return
    node["ids_checked"] = True
    for item_id in item_filter.ids:
        if domain.get(item_id) is None:
            warn(f"unknown ID {item_id!r} in :{option}:", "unknown_ref", node)
