"""``.. traceability-graph::``: items and their links as a Mermaid flowchart.

Roots are given as IDs (the argument); the graph holds every item reachable
from them within ``:depth:`` links (``:direction:`` out, in or both; ``:links:``
restricts the link types). Without roots, the filter options choose the items.
Past ``:max-nodes:`` the graph keeps the items nearest the roots (without roots:
the most linked) and says under it how many it left out. Nodes are styled by
item type, marked when uncovered or failing, and link to their items in HTML;
other builders get a table of the edges.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from itertools import pairwise
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx

from ..diagnostics import warn
from ..diagrams import (
    Graph,
    GraphNode,
    LineStyle,
    NodeStyle,
    diagram_or_fallback,
    draws_diagrams,
    legend,
    line_style,
    mermaid_node,
    node_name,
    style_of,
)
from ..domain import TechspecDomain
from ..filters import ItemFilter
from ..model import LAYERS, Item, natural_key, split_list
from ..rendering import generated_id, item_marks
from ..suggestions import did_you_mean_id
from ..tables import build_table
from ..urls import item_url
from ..view import ViewDirective, ViewNode, info_line, nothing_matches, warn_unknown_ids
from .common import (
    id_list,
)
from .coverage import parse_rules

DIRECTIONS = ("both", "out", "in")

#: Nodes a graph shows before it is cut (``:max-nodes:``): about what stays legible.
DEFAULT_MAX_NODES = 60

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
        "max-nodes": directives.unchanged,
    }

    def configure(self, node: ViewNode) -> None:
        node["roots"] = split_list(self.arguments[0].replace(" ", ",") if self.arguments else "")
        raw_depth = (self.options.get("depth") or "2").strip()
        try:
            depth = int(raw_depth)
            if depth < 0:
                raise ValueError
        except ValueError:
            warn(
                f":depth: must be a whole number >= 0, not {raw_depth!r}",
                "bad_value",
                self.option_location("depth"),
            )
            depth = 2
        node["depth"] = depth
        direction = (self.options.get("direction") or "both").strip()
        if direction not in DIRECTIONS:
            warn(
                f":direction: {direction!r} is not one of: {', '.join(DIRECTIONS)}",
                "bad_value",
                self.option_location("direction"),
            )
            direction = "both"
        node["direction"] = direction
        node["links"] = self.link_types_option()
        node["alt"] = self.options.get("alt", "")
        node["max_nodes"] = max_nodes_option(self)

    def shown_types(self, node: ViewNode) -> list[str] | None:
        if node["roots"]:
            return None  # reachable items can be of any type
        return super().shown_types(node)


def reachable(
    domain: TechspecDomain, roots: list[Item], depth: int, direction: str, links: list[str]
) -> list[Item]:
    """Breadth-first from ``roots``, nearest first (by ID within a level): O(items + links)."""
    order = sorted(roots, key=lambda it: natural_key(it.id))
    seen = {item.id for item in order}
    frontier = order
    for _level in range(depth):
        if not frontier:
            break
        following: dict[str, Item] = {}
        for item in frontier:
            for neighbour in neighbours(domain, item, direction, links):
                if neighbour.id not in seen:
                    following[neighbour.id] = neighbour
        frontier = [following[key] for key in sorted(following, key=natural_key)]
        seen.update(following)
        order.extend(frontier)
    return order


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


def max_nodes_option(directive: ViewDirective) -> int:
    """``:max-nodes:``: a whole number >= 1 (default :data:`DEFAULT_MAX_NODES`)."""
    raw = (directive.options.get("max-nodes") or "").strip()
    if not raw:
        return DEFAULT_MAX_NODES
    try:
        value = int(raw)
        if value < 1:
            raise ValueError
    except ValueError:
        warn(
            f":max-nodes: must be a whole number >= 1, not {raw!r}",
            "bad_value",
            directive.get_location(),
        )
        return DEFAULT_MAX_NODES
    return value


def graph_marks(app: Sphinx, domain: TechspecDomain) -> Callable[[Item], tuple[str, list[str]]]:
    """Item → (worst state, words) of its problem/attention marks, uncovered included.

    An item a coverage rule finds uncovered gets the word ``uncovered``; other
    features' marks (a failed test, say) come through :func:`rendering.item_marks`.
    """
    rules = parse_rules(app.config, domain.schema, domain.features.coverage_sources)[0]

    def marks(item: Item) -> tuple[str, list[str]]:
        found = [m for m in item_marks(app, domain, item) if m.state in ("problem", "attention")]
        words = [m.text for m in found]
        states = {m.state for m in found}
        if any(rule.applies_to(item) and not rule.is_met(domain, item) for rule in rules):
            words.append("uncovered")
            states.add("attention")
        state = "problem" if "problem" in states else ("attention" if states else "")
        return state, words

    return marks


def node_text(domain: TechspecDomain, item: Item) -> str:
    """``ID: title``; an endpoint by its method and path (its ID is often derived from
    them); an item whose ID a tool made (:func:`generated_id`) by its title alone."""
    method, path = item.fields.get("method"), item.fields.get("path")
    if item.type == "api-endpoint" and method and path:
        summary = item.fields.get("summary")
        return f"{method} {path}: {summary}" if summary else f"{method} {path}"
    if item.title and generated_id(domain, item):
        return item.title
    return f"{item.id}: {item.title}" if item.title else item.id


def item_nodes(
    app: Sphinx, domain: TechspecDomain, docname: str, items: list[Item]
) -> tuple[dict[str, GraphNode], set[str]]:
    """One styled, linked, marked node per item (names in the order of ``items``)."""
    marks = graph_marks(app, domain)
    graph_nodes: dict[str, GraphNode] = {}
    states: set[str] = set()
    for position, item in enumerate(items):
        text = node_text(domain, item)
        state, words = marks(item)
        if words:
            text += " " + " ".join(f"[{word}]" for word in words)
        if state:
            states.add(state)
        graph_nodes[item.id] = GraphNode(
            node_name(position),
            text,
            style_of(domain, item.type),
            url=item_url(app, item, docname) or "",
            state=state,
            type_label=domain.schema.label(item.type),
        )
    return graph_nodes, states


def graph_legend(
    graph_nodes: Iterable[GraphNode],
    states: set[str],
    extra: Iterable[str] = (),
    lines: Iterable[tuple[str, LineStyle]] = (),
) -> nodes.Node:
    seen: dict[str, tuple[str, NodeStyle]] = {}
    for node in graph_nodes:
        seen.setdefault(node.type_label, (node.type_label, node.style))
    ordered = [seen[key] for key in sorted(seen)]
    marked = [s for s in ("problem", "attention") if s in states]
    return legend(ordered, marked, extra, lines)


def flowchart(
    app: Sphinx,
    domain: TechspecDomain,
    docname: str,
    items: list[Item],
    edges: list[Edge],
    alt: str,
    groups: dict[str, str] | None = None,
    extra_legend: Iterable[str] = (),
    ranked: bool = False,
    notes: dict[str, str] | None = None,
) -> list[nodes.Node]:
    """A Mermaid flowchart of ``items`` and ``edges`` with its legend; a table elsewhere.

    ``groups`` maps item IDs to the ID of the item whose subgraph holds them.
    ``notes`` add words to the labels of some items (an architecture's counts).
    ``ranked`` lays items out in columns by their type's layer (:func:`ranks`), left
    to right, and tells link types apart by line style and colour in the legend.
    """

    def fallback() -> nodes.Node:
        return edge_table(app, domain, docname, items, edges, alt)

    if not draws_diagrams(app):
        return [fallback()]
    graph_nodes, states = item_nodes(app, domain, docname, items)
    for item_id, note in (notes or {}).items():
        graph_nodes[item_id].note = note
    graph = Graph(nodes=list(graph_nodes.values()))
    if ranked:
        diagram = ranked_flowchart(domain, items, edges, alt, graph, graph_nodes, states)
        return diagram_or_fallback(app, diagram, fallback)
    if groups:
        graph.group_direction = "TB"  # a component's endpoints in a column, not a long row
    for owner in sorted({o for o in (groups or {}).values()}, key=natural_key):
        owner_node = graph_nodes[owner]
        group = f"g{owner_node.name}"
        graph.groups[group] = domain.get(owner).title or owner  # type: ignore[union-attr]
        owner_node.group = group
    for member, owner in (groups or {}).items():
        graph_nodes[member].group = graph_nodes[owner].group
    grid_groups(graph)
    for source, link_name, target in edges:
        forward = domain.schema.link_types[link_name].forward
        graph.add_edge(graph_nodes[source].name, graph_nodes[target].name, forward)
    diagram = [mermaid_node(graph.code(), alt), graph_legend(graph.nodes, states, extra_legend)]
    return diagram_or_fallback(app, diagram, fallback)


def grid_groups(graph: Graph) -> None:
    """Lay each group's nodes out as a near-square grid, not one long row or column.

    Nodes with no links between them all share one rank, so the layout puts a
    component's eight endpoints in a row 3,000 px wide (or a column as tall). Invisible
    links chain every ``columns``-th node (``ceil(sqrt(n))`` chains), which makes the
    chains the grid's columns: O(nodes) links.
    """
    members: dict[str, list[str]] = {}
    for node in graph.nodes:
        if node.group:
            members.setdefault(node.group, []).append(node.name)
    for names in members.values():
        columns = math.ceil(math.sqrt(len(names)))
        if len(names) < 4:
            continue
        for start in range(columns):
            graph.hidden.extend(pairwise(names[start::columns]))


def ranks(domain: TechspecDomain, items: Iterable[Item]) -> dict[str, int]:
    """Item ID → its column: the position of its type's layer in :data:`LAYERS`."""
    schema = domain.schema
    result = {}
    for item in items:
        item_type = schema.item_types.get(item.type)
        layer = item_type.layer if item_type is not None else "design"
        result[item.id] = LAYERS.index(layer) if layer in LAYERS else LAYERS.index("design")
    return result


def rank_titles(domain: TechspecDomain, items: Iterable[Item], rank: dict[str, int]) -> dict:
    """Column → its title: the plural labels of the types it holds, in order of first use."""
    titles: dict[int, list[str]] = {}
    for item in items:
        item_type = domain.schema.item_types.get(item.type)
        text = item_type.plural_label if item_type is not None else item.type
        names = titles.setdefault(rank[item.id], [])
        if text not in names:
            names.append(text)
    return {column: ", ".join(names) for column, names in sorted(titles.items())}


def ranked_flowchart(
    domain: TechspecDomain,
    items: list[Item],
    edges: list[Edge],
    alt: str,
    graph: Graph,
    graph_nodes: dict[str, GraphNode],
    states: set[str],
) -> list[nodes.Node]:
    """Columns by layer, left to right; edges styled by link type, labelled only if mixed."""
    rank = ranks(domain, items)
    graph.spacing = (45, 18)  # spacers double the ranks between columns
    for column, title in rank_titles(domain, items, rank).items():
        graph.groups[f"r{column}"] = title
    for item in items:
        graph_nodes[item.id].group = f"r{rank[item.id]}"
    link_names = list(domain.schema.link_types)
    used: dict[str, tuple[str, LineStyle]] = {}
    for source, link_name, target in edges:
        link_type = domain.schema.link_types[link_name]
        line = line_style(link_names, link_name)
        used.setdefault(link_name, (link_type.forward, line))
        graph.add_edge(
            graph_nodes[source].name,
            graph_nodes[target].name,
            link_type.forward,
            line=line,
            backward=rank[source] > rank[target],
        )
    separate_columns(graph, {graph_nodes[i].name: column for i, column in rank.items()})
    lines = [used[name] for name in sorted(used)]
    return [
        mermaid_node(graph.code(), alt),
        graph_legend(graph.nodes, states, lines=lines),
    ]


def separate_columns(graph: Graph, column: dict[str, int]) -> None:
    """Keep each column right of the one before, whatever links run inside a column.

    The layout ranks nodes by their links alone, so a requirement that only tests
    point at would sit in the first column. Between two neighbouring columns an
    invisible spacer takes a link from every node of the left one that has no link
    to the right inside its column, and gives one to every node of the right one that
    has none from the left inside its column: O(nodes) links, not one per pair.
    """
    inner_out = {s for s, t in graph.edges if column[s] == column[t]}
    inner_in = {t for s, t in graph.edges if column[s] == column[t]}
    used = sorted(set(column.values()))
    for left, right in pairwise(used):
        spacer = f"s{left}"
        graph.spacers.append(spacer)
        for node in graph.nodes:
            if column.get(node.name) == left and node.name not in inner_out:
                graph.hidden.append((node.name, spacer))
            elif column.get(node.name) == right and node.name not in inner_in:
                graph.hidden.append((spacer, node.name))


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


def most_linked_first(domain: TechspecDomain, items: list[Item]) -> list[Item]:
    """Without roots there is no "nearest": keep the items with most links among them."""
    shown = {item.id for item in items}
    degree = dict.fromkeys(shown, 0)
    for item in items:
        for target in item.link_targets():
            if target in shown and target != item.id:
                degree[item.id] += 1
                degree[target] += 1
    return sorted(items, key=lambda it: (-degree[it.id], natural_key(it.id)))


def cut_line(shown: int, total: int, how: str) -> nodes.paragraph:
    """The info line under a cut diagram: how many were left out and how to see them."""
    return info_line(
        f"Showing {shown} of {total} items: {total - shown} left out. To see them, "
        f"{how}, or raise :max-nodes: (now {shown})."
    )


def render_graph(
    app: Sphinx, domain: TechspecDomain, docname: str, node: ViewNode
) -> list[nodes.Node]:
    item_filter: ItemFilter = node["filter"]
    warn_unknown_ids(domain, item_filter, node)
    links = node["links"]
    if node["roots"]:
        for root in node["roots"]:
            if domain.get(root) is None:
                hint = did_you_mean_id(root, domain.items)
                warn(f"unknown ID {root!r} among the graph's roots{hint}", "unknown_ref", node)
        roots = [item for item in map(domain.get, node["roots"]) if item is not None]
        items = reachable(domain, roots, node["depth"], node["direction"], links)
        items = [it for it in items if it in roots or item_filter.matches(it)]
        how = "lower :depth:, name fewer :links: or narrow the filter (:types:, :status:)"
    else:
        items = most_linked_first(domain, item_filter.select(domain))
        how = "narrow the filter (:types:, :status:, :tags:)"
    if not items:
        return [nothing_matches(item_filter)]
    total = len(items)
    maximum = node.get("max_nodes", DEFAULT_MAX_NODES)
    items = sorted(items[:maximum], key=lambda it: natural_key(it.id))
    alt = node["alt"] or f"Traceability graph of {len(items)} items"
    edges = edges_between(domain, items, links)
    result = flowchart(app, domain, docname, items, edges, alt, ranked=True)
    if total > len(items):
        result.append(cut_line(len(items), total, how))
    return result
