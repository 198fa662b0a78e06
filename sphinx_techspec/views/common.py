"""What every view shares: its placeholder node, its directive base, tables, links.

A view directive stores its parsed options in a placeholder node and tells the
domain which item types the page shows (``note_view``), so incremental builds
rewrite the page when such an item changes anywhere. At ``doctree-resolved``
the placeholder becomes standard docutils nodes built from the domain's index.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, ClassVar

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from ..diagnostics import warn
from ..domain import DOMAIN, TechspecDomain
from ..model import Item, LinkType, natural_key
from .filters import FILTER_OPTIONS, ItemFilter, parse_filter


class ViewNode(nodes.General, nodes.Element):
    """Placeholder of a view; its attributes hold the parsed options."""


Renderer = Callable[[Sphinx, TechspecDomain, str, ViewNode], list[nodes.Node]]

#: Placeholder class → the function that replaces it (filled by each view module).
RENDERERS: dict[type[ViewNode], Renderer] = {}


class ViewDirective(SphinxDirective):
    """Base of the view directives: filter options, placeholder, ``note_view``."""

    node_class: ClassVar[type[ViewNode]]
    #: Item types a view shows when ``:types:`` is not given (empty: any type).
    default_types: ClassVar[tuple[str, ...]] = ()
    has_content = False
    optional_arguments = 0
    option_spec: ClassVar[dict[str, Any]] = dict(FILTER_OPTIONS)

    @property
    def domain(self) -> TechspecDomain:
        return self.env.get_domain(DOMAIN)  # type: ignore[return-value]

    def run(self) -> list[nodes.Node]:
        node = self.node_class()
        self.set_source_info(node)
        node["filter"] = parse_filter(
            self.options,
            self.domain.schema,
            self.config,
            self.get_location(),
            self.default_types,
        )
        self.configure(node)
        shown = self.shown_types(node)
        self.domain.note_view(self.env.docname, shown)
        return [node]

    def configure(self, node: ViewNode) -> None:
        """Parse the view's own options into ``node`` (warn at ``self.get_location()``)."""

    def shown_types(self, node: ViewNode) -> list[str] | None:
        """Item types whose changes may change this view (``None``: any type)."""
        item_filter: ItemFilter = node["filter"]
        return list(item_filter.types) if item_filter.types else None


def render_views(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Replace every view placeholder of the page (``doctree-resolved``)."""
    domain: TechspecDomain = app.env.get_domain(DOMAIN)  # type: ignore[assignment]
    for node in list(doctree.findall(ViewNode)):
        renderer = RENDERERS[type(node)]
        node.replace_self(renderer(app, domain, docname, node) or [])


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
    return sorted((i for i in found if i in domain.items), key=natural_key)


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


def id_reference(app: Sphinx, domain: TechspecDomain, fromdocname: str, item_id: str) -> nodes.Node:
    """The bare ID linking to its item (the title is the tooltip in HTML)."""
    item = domain.get(item_id)
    if item is None:
        return nodes.inline("", item_id, classes=["techspec-unknown"])
    content = nodes.inline("", item.id, classes=["techspec-ref-id"])
    return domain.make_reference(app.builder, fromdocname, item, content)


def id_list(
    app: Sphinx, domain: TechspecDomain, fromdocname: str, item_ids: Iterable[str]
) -> nodes.paragraph:
    """``TC-1, TC-2``, each linked."""
    paragraph = nodes.paragraph()
    for position, item_id in enumerate(item_ids):
        if position:
            paragraph += nodes.Text(", ")
        paragraph += id_reference(app, domain, fromdocname, item_id)
    return paragraph


def info_line(text: str) -> nodes.paragraph:
    """A line in the output saying why a view is empty (not a warning)."""
    return nodes.paragraph("", text, classes=["techspec-info"])


def nothing_matches(item_filter: ItemFilter) -> nodes.paragraph:
    return info_line(f"No items match this view ({item_filter.describe()}).")


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
    """Explicit IDs are checked once every page is read."""
    for item_id in item_filter.ids:
        if domain.get(item_id) is None:
            warn(f"unknown ID {item_id!r} in :{option}:", "unknown_ref", node)
