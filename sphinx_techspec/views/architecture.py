"""``.. architecture-diagram::``: components and their ``depends-on`` edges.

``:include:`` names further item types (the endpoints and models a component
owns, say) whose items linked to a shown component are drawn beside it. The
filter options choose the components (default: every component).
"""

from __future__ import annotations

from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx

from ..diagnostics import warn
from ..domain import TechspecDomain
from ..filters import ItemFilter
from ..model import natural_key, split_list
from ..view import ViewDirective, ViewNode, nothing_matches
from .common import linked_ids
from .trace_graph import edges_between, flowchart

#: The link type drawn between components.
DEPENDS_ON = "depends-on"


class ArchitectureDiagram(ViewDirective):
    """``.. architecture-diagram::`` with ``:include: api-endpoint, data-model``."""

    default_types: ClassVar[tuple[str, ...]] = ("component",)
    own_options: ClassVar[dict[str, Any]] = {
        "include": directives.unchanged,
        "alt": directives.unchanged,
    }

    def configure(self, node: ViewNode) -> None:
        schema = self.domain.schema
        include = split_list(self.options.get("include"))
        for name in include:
            if name not in schema.item_types:
                warn(
                    f"unknown item type {name!r} in :include: "
                    f"(known: {', '.join(sorted(schema.item_types))})",
                    "unknown_type",
                    self.get_location(),
                )
        node["include"] = [name for name in include if name in schema.item_types]
        node["alt"] = self.options.get("alt", "")

    def shown_types(self, node: ViewNode) -> list[str] | None:
        return [*node["filter"].types, *node["include"]]


def render_architecture(
    app: Sphinx, domain: TechspecDomain, docname: str, node: ViewNode
) -> list[nodes.Node]:
    item_filter: ItemFilter = node["filter"]
    components = item_filter.select(domain)
    if not components:
        return [nothing_matches(item_filter)]
    shown = {item.id: item for item in components}
    include = set(node["include"])
    extra_ids: set[str] = set()
    if include:
        for component in components:
            for linked in linked_ids(domain, component, None, "both"):
                if domain.items[linked].type in include and linked not in shown:
                    extra_ids.add(linked)
    extras = [domain.items[i] for i in sorted(extra_ids, key=natural_key)]
    items = [*components, *extras]
    component_ids = {item.id for item in components}
    edges = [
        edge
        for edge in edges_between(domain, items)
        if (edge[1] == DEPENDS_ON and edge[0] in component_ids and edge[2] in component_ids)
        or (edge[0] in extra_ids) != (edge[2] in extra_ids)
    ]
    alt = node["alt"] or f"Architecture: {len(components)} components"
    shapes = {name: "([" for name in include}
    return [flowchart(app, domain, docname, items, edges, alt, shapes)]
