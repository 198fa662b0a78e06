"""What the traceability views share: link types by name, ID lists, percentages.

The view base itself (directive, placeholder, filter, dispatch) is
:mod:`sphinx_techspec.view`, shared with every other feature.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from docutils import nodes
from sphinx.application import Sphinx

from ..domain import TechspecDomain
from ..model import Item, LinkType
from ..rendering import item_reference

# -- links -----------------------------------------------------------------------


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
        link = None
        other = domain.get(item_id)
        if row is not None and link_name is not None and other is not None:
            source, target = (other, row) if direction == "in" else (row, other)
            if direction in ("in", "out") and target.id in source.links.get(link_name, ()):
                link = (source, link_name, target)
        paragraph += item_reference(app, domain, fromdocname, item_id, link)
    return paragraph


def percent(covered: int, total: int) -> str:
    """Rounded down, so an incomplete coverage never reads 100 %."""
    return f"{covered * 100 // total} %" if total else "n/a"


def plural(domain: TechspecDomain, types: Sequence[str]) -> str:
    if len(types) == 1 and types[0] in domain.schema.item_types:
        return domain.schema.item_types[types[0]].plural_label.lower()
    return "items"
