"""``.. architecture-diagram::``: components and their ``depends-on`` edges.

By default a component's endpoints and models are counts in its box ("3 endpoints,
1 model"), so the picture is the components and their dependencies. ``:expand:``
names components (or ``all``) whose endpoints and models are drawn inside a box (a
Mermaid subgraph) of the component. ``:include:`` names further item types whose
items linked to a shown component are drawn beside it; every edge is labelled with
its link type. The filter options choose the components (default: every
component); past ``:max-nodes:`` the diagram keeps the components first and says
how many items it left out.
"""

from __future__ import annotations

from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx

from ..diagnostics import warn
from ..domain import TechspecDomain
from ..filters import ItemFilter
from ..model import Item, natural_key, split_list
from ..view import ViewDirective, ViewNode, nothing_matches
from .trace_graph import (
    DEFAULT_MAX_NODES,
    cut_line,
    edges_between,
    flowchart,
    max_nodes_option,
)

#: The link type drawn between components.
DEPENDS_ON = "depends-on"

#: Item types drawn inside the box of the component they belong to.
GROUPED_TYPES = ("api-endpoint", "data-model")


class ArchitectureDiagram(ViewDirective):
    """``.. architecture-diagram::`` with ``:include: api-endpoint, data-model``."""

    default_types: ClassVar[tuple[str, ...]] = ("component",)
    own_options: ClassVar[dict[str, Any]] = {
        "include": directives.unchanged,
        "expand": directives.unchanged,
        "alt": directives.unchanged,
        "max-nodes": directives.unchanged,
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
                    self.option_location("include"),
                )
        node["include"] = [name for name in include if name in schema.item_types]
        node["expand"] = split_list(self.options.get("expand"))
        node["alt"] = self.options.get("alt", "")
        node["max_nodes"] = max_nodes_option(self)

    def shown_types(self, node: ViewNode) -> list[str] | None:
        return [*node["filter"].types, *node["include"]]


def render_architecture(
    app: Sphinx, domain: TechspecDomain, docname: str, node: ViewNode
) -> list[nodes.Node]:
    item_filter: ItemFilter = node["filter"]
    components = item_filter.select(domain)
    maximum = node.get("max_nodes", DEFAULT_MAX_NODES)
    total_components = len(components)
    components = components[:maximum]
    shown = {item.id: item for item in components}
    expand = set(node.get("expand", ()))
    for name in sorted(expand - set(shown) - {"all"}, key=natural_key):
        warn(f"{name!r} in :expand: is not a shown component", "unknown_ref", node)
    if not components:
        return [nothing_matches(item_filter)]
    include = set(node["include"])
    component_ids = set(shown)
    counted: dict[str, list[Item]] = {}
    extra_ids: set[str] = set()
    for component in components:
        for linked in domain.valid_links(component, None, "both"):
            item = domain.items[linked]
            if linked in shown or (item.type not in include and item.type not in GROUPED_TYPES):
                continue
            if item.type not in GROUPED_TYPES or "all" in expand or component.id in expand:
                extra_ids.add(linked)
            elif owning_component(domain, item, component_ids) == component.id:
                counted.setdefault(component.id, []).append(item)
    extras = [domain.items[i] for i in sorted(extra_ids, key=natural_key)]
    total = total_components + len(extras)
    extras = extras[: max(0, maximum - len(components))]
    extra_ids = {item.id for item in extras}
    items = [*components, *extras]
    groups = {
        extra.id: owner
        for extra in extras
        if extra.type in GROUPED_TYPES and (owner := owning_component(domain, extra, component_ids))
    }
    edges = [
        edge
        for edge in edges_between(domain, items)
        if (edge[1] == DEPENDS_ON and edge[0] in component_ids and edge[2] in component_ids)
        or (
            (edge[0] in extra_ids) != (edge[2] in extra_ids)
            and groups.get(edge[0]) != edge[2]
            and groups.get(edge[2]) != edge[0]
        )
    ]
    alt = node["alt"] or f"Architecture: {len(components)} components"
    extra_legend = ["a box holds a component with its endpoints and models"] if groups else []
    notes = {owner: count_words(domain, owned) for owner, owned in counted.items()}
    if notes:
        extra_legend.append(
            "counts in a box are the component's endpoints and models (:expand: draws them)"
        )
    result = flowchart(app, domain, docname, items, edges, alt, groups, extra_legend, notes=notes)
    if total > len(items):
        result.append(cut_line(len(items), total, "narrow the filter (:types:, :tags:, :ids:)"))
    return result


def owning_component(domain: TechspecDomain, item: Item, component_ids: set[str]) -> str | None:
    """The shown component an endpoint or model belongs to: its ``:component:`` first."""
    for target in item.links.get("component", ()):
        if target in component_ids:
            return target
    linked = [i for i in domain.valid_links(item, None, "both") if i in component_ids]
    return linked[0] if len(linked) == 1 else None


def count_words(domain: TechspecDomain, items: list[Item]) -> str:
    """``8 API endpoints, 2 data models``: how many of each type, in declaration order."""
    counts: dict[str, int] = {}
    for item in items:
        counts[item.type] = counts.get(item.type, 0) + 1
    words = []
    for name in GROUPED_TYPES:
        if name in counts:
            item_type = domain.schema.item_types[name]
            text = item_type.label if counts[name] == 1 else item_type.plural_label
            words.append(f"{counts[name]} {text}")
    return ", ".join(words)
