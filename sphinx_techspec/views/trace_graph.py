"""``.. traceability-graph::``: items and their links as a Mermaid flowchart.

Roots are given as IDs (the argument); the graph holds every item reachable
from them within ``:depth:`` links (``:direction:`` out, in or both; ``:links:``
restricts the link types). Without roots, the filter options choose the items.
Nodes link to their items in HTML; other builders get a table of the edges.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx

from ..diagnostics import warn
from ..diagrams import click_line, item_url, label, mermaid_or_fallback, node_name
from ..domain import TechspecDomain
from ..filters import ItemFilter
from ..model import Item, natural_key, split_list
from ..tables import build_table
from ..view import ViewDirective, ViewNode, nothing_matches
from .common import (
    id_list,
    warn_unknown_ids,
)

DIRECTIONS = ("both", "out", "in")

Edge = tuple[str, str, str]  # source ID, link type name, target ID


class TraceabilityGraph(ViewDirective):
    """``.. traceability-graph:: REQ-1, REQ-2`` with ``:depth:``, ``:direction:``, ``:links:``."""

    takes_argument = True
    final_argument_whitespace = True
    own_options: ClassVar[dict[str, Any]] = {
        "depth": directives.unchanged,
        "direction": directives.unchanged,
        "links": directives.unchanged,
        "alt": directives.unchanged,
    }

    def configure(self, node: ViewNode) -> None:
        location = self.get_location()
        node["roots"] = split_list(self.arguments[0].replace(" ", ",") if self.arguments else "")
        raw_depth = (self.options.get("depth") or "2").strip()
        try:
            depth = int(raw_depth)
            if depth < 0:
                raise ValueError
        except ValueError:
            warn(f":depth: must be a whole number >= 0, not {raw_depth!r}", "bad_value", location)
            depth = 2
        node["depth"] = depth
        direction = (self.options.get("direction") or "both").strip()
        if direction not in DIRECTIONS:
            warn(
                f":direction: {direction!r} is not one of: {', '.join(DIRECTIONS)}",
                "bad_value",
                location,
            )
            direction = "both"
        node["direction"] = direction
        links = split_list(self.options.get("links"))
        known = self.domain.schema.link_types
        for name in links:
            if name not in known:
                warn(
                    f"unknown link type {name!r} in :links: (known: {', '.join(sorted(known))})",
                    "unknown_type",
                    location,
                )
        node["links"] = [name for name in links if name in known]
        node["alt"] = self.options.get("alt", "")

    def shown_types(self, node: ViewNode) -> list[str] | None:
        if node["roots"]:
            return None  # reachable items can be of any type
        return super().shown_types(node)


def reachable(
    domain: TechspecDomain, roots: list[Item], depth: int, direction: str, links: list[str]
) -> list[Item]:
    """Breadth-first from ``roots``: O(items + links reached)."""
    seen = {item.id: item for item in roots}
    frontier = list(roots)
    for _level in range(depth):
        if not frontier:
            break
        following = []
        for item in frontier:
            for neighbour in neighbours(domain, item, direction, links):
                if neighbour.id not in seen:
                    seen[neighbour.id] = neighbour
                    following.append(neighbour)
        frontier = following
    return sorted(seen.values(), key=lambda it: natural_key(it.id))


def neighbours(
    domain: TechspecDomain, item: Item, direction: str, links: list[str]
) -> Iterable[Item]:
    if direction in ("out", "both"):
        for name, targets in item.links.items():
            if not links or name in links:
                yield from filter(None, map(domain.get, targets))
    if direction in ("in", "both"):
        for name, source in domain.incoming(item.id):
            if not links or name in links:
                found = domain.get(source)
                if found is not None:
                    yield found


def edges_between(
    domain: TechspecDomain, items: list[Item], links: list[str] | None = None
) -> list[Edge]:
    """Links among ``items``, sorted; O(links of the items)."""
    shown = {item.id for item in items}
    edges = [
        (item.id, name, target)
        for item in items
        for name, targets in item.links.items()
        if not links or name in links
        for target in targets
        if target in shown
    ]
    return sorted(edges, key=lambda e: (natural_key(e[0]), e[1], natural_key(e[2])))


def flowchart(
    app: Sphinx,
    domain: TechspecDomain,
    docname: str,
    items: list[Item],
    edges: list[Edge],
    alt: str,
    shapes: dict[str, str] | None = None,
) -> nodes.Node:
    """A Mermaid flowchart of ``items`` and ``edges``; a table of edges outside HTML.

    ``shapes`` maps item types to Mermaid shape brackets (``"(["`` for a stadium).
    """
    names = {item.id: node_name(position) for position, item in enumerate(items)}
    lines = ["flowchart LR"]
    for item in items:
        text = f"{item.id}: {item.title}" if item.title else item.id
        opening = (shapes or {}).get(item.type, "[")
        closing = _CLOSING[opening]
        lines.append(f"    {names[item.id]}{opening}{label(text)}{closing}")
    for source, link_name, target in edges:
        forward = domain.schema.link_types[link_name].forward
        lines.append(f"    {names[source]} -->|{label(forward)}| {names[target]}")
    for item in items:
        lines.append(click_line(names[item.id], item_url(app, docname, item)))
    return mermaid_or_fallback(
        app, "\n".join(lines), alt, edge_table(app, domain, docname, items, edges, alt)
    )


_CLOSING = {"[": "]", "([": "])", "[[": "]]", "[(": ")]", "((": "))", "{{": "}}", "(": ")"}


def edge_table(
    app: Sphinx,
    domain: TechspecDomain,
    docname: str,
    items: list[Item],
    edges: list[Edge],
    alt: str,
) -> nodes.Node:
    """The diagram as text: one row per edge, then items without edges."""
    rows: list[Any] = []
    for source, link_name, target in edges:
        forward = domain.schema.link_types[link_name].forward
        rows.append(
            [
                id_list(app, domain, docname, [source]),
                forward,
                id_list(app, domain, docname, [target]),
            ]
        )
    linked = {e[0] for e in edges} | {e[2] for e in edges}
    for item in items:
        if item.id not in linked:
            rows.append([id_list(app, domain, docname, [item.id]), "", ""])
    container = nodes.container(classes=["techspec-diagram-fallback"])
    if alt:
        container += nodes.paragraph("", alt)
    container += build_table(["From", "Link", "To"], rows, ["techspec-edge-table"])
    return container


def render_graph(
    app: Sphinx, domain: TechspecDomain, docname: str, node: ViewNode
) -> list[nodes.Node]:
    item_filter: ItemFilter = node["filter"]
    warn_unknown_ids(domain, item_filter, node)
    links = node["links"]
    if node["roots"]:
        for root in node["roots"]:
            if domain.get(root) is None:
                warn(f"unknown ID {root!r} among the graph's roots", "unknown_ref", node)
        roots = [item for item in map(domain.get, node["roots"]) if item is not None]
        items = reachable(domain, roots, node["depth"], node["direction"], links)
        items = [it for it in items if it in roots or item_filter.matches(it)]
    else:
        items = item_filter.select(domain)
    if not items:
        return [nothing_matches(item_filter)]
    alt = node["alt"] or f"Traceability graph of {len(items)} items"
    return [flowchart(app, domain, docname, items, edges_between(domain, items, links), alt)]
