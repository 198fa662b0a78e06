"""Checks that need every item: duplicate IDs, link targets, link cycles.

Run once per build after all pages are read and merged, so serial and
parallel builds report the same problems in the same order.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from .diagnostics import warn
from .domain import DOMAIN, TechspecDomain
from .model import Item, LinkType, natural_key
from .schema import SpecSchema
from .suggestions import ID_CUTOFF, closest, did_you_mean_id, option_name
from .suggestions import did_you_mean as suggest


def check_items(app: Sphinx, env: BuildEnvironment) -> None:
    domain: TechspecDomain = env.get_domain(DOMAIN)  # type: ignore[assignment]
    for duplicate in sorted(domain.duplicates, key=Item.sort_key):
        first = domain.items[duplicate.id]
        path = first.source or env.doc2path(first.docname)
        where = os.path.relpath(path, env.srcdir)
        warn(
            duplicate_message(duplicate.id, where, first.lineno), "duplicate_id", duplicate.location
        )
    for item in sorted(domain.items.values(), key=Item.sort_key):
        check_links(domain, item)
    for link in domain.schema.link_types.values():
        if link.acyclic:
            check_cycles(domain, link)


def check_links(domain: TechspecDomain, item: Item) -> None:
    schema = domain.schema
    for link_name, targets in item.links.items():
        link = schema.link_types[link_name]
        location = item.link_location(link_name)
        if not link.allows_source(item.type):
            warn(
                wrong_source_message(schema, item.id, item.type, link),
                "wrong_link_type",
                location,
            )
        for target_id in targets:
            if target_id == item.id:
                warn(self_link_message(item.id, link.name), "link_cycle", location)
                continue
            target = domain.get(target_id)
            if target is None:
                warn(
                    unknown_link_message(item.id, link.name, target_id, domain.items.keys()),
                    "unknown_ref",
                    location,
                )
            elif not link.allows_target(target.type):
                warn(
                    wrong_target_message(schema, item.id, link, target_id, target.type, item.type),
                    "wrong_link_type",
                    location,
                )


# -- the messages, shared with the language server (sphinx_techspec.lsp) --------------


def wrong_source_message(schema: SpecSchema, item_id: str, item_type: str, link: LinkType) -> str:
    return (
        f"{item_id}: a {schema.label(item_type).lower()} cannot have :{link.name}: "
        f"(only {type_names(schema, link.sources)} can)"
    )


def wrong_target_message(
    schema: SpecSchema,
    item_id: str,
    link: LinkType,
    target_id: str,
    target_type: str,
    item_type: str | None = None,
) -> str:
    """``item_type`` given: the link types that do join the two items are suggested."""
    message = (
        f"{item_id}: :{link.name}: {target_id} is a {schema.label(target_type).lower()}, "
        f"but {link.name} links to {type_names(schema, link.targets)} only"
    )
    if item_type is None:
        return message
    joining = [t.name for t in schema.link_types.values() if t.allows_source(item_type)]
    fits = [name for name in joining if schema.link_types[name].allows_target(target_type)]
    if fits:
        return message + suggest(link.name, fits, cutoff=0.0, show=option_name)
    back = [
        t.name
        for t in schema.link_types.values()
        if t.allows_source(target_type) and t.allows_target(item_type)
    ]
    if back:
        return message + f"; to link them the other way, give {target_id} :{back[0]}: {item_id}"
    return message


def self_link_message(item_id: str, link_name: str) -> str:
    return f"{item_id}: :{link_name}: names {item_id} itself; name another item, or remove it"


def unknown_link_message(
    item_id: str, link_name: str, target_id: str, known_ids: Iterable[str]
) -> str:
    return f"{item_id}: :{link_name}: names unknown ID {target_id!r}" + did_you_mean(
        target_id, known_ids
    )


def type_names(schema: SpecSchema, types: tuple[str, ...]) -> str:
    return " or ".join(schema.label(t).lower() for t in types) or "any item"


def closest_id(unknown_id: str, known_ids: Iterable[str]) -> str | None:
    """The known ID a misspelt one most likely means (:mod:`.suggestions`)."""
    return closest(unknown_id, known_ids, ID_CUTOFF)


def did_you_mean(unknown_id: str, known_ids: Iterable[str]) -> str:
    return did_you_mean_id(unknown_id, known_ids)


def duplicate_message(item_id: str, first_where: str, first_line: int) -> str:
    return (
        f"duplicate ID {item_id!r}: also defined at {first_where}:{first_line}, "
        "which links resolve to (the first definition by page name, then line); "
        "give one of them another ID"
    )


def _suggestion(domain: TechspecDomain, unknown_id: str) -> str:
    return did_you_mean_id(unknown_id, domain.items)


def check_cycles(domain: TechspecDomain, link: LinkType) -> None:
    """Warn once per cycle of ``link``, at the cycle's first item by ID."""
    graph = {
        item.id: [t for t in item.links.get(link.name, ()) if t in domain.items]
        for item in domain.items.values()
        if link.name in item.links
    }
    for component in strongly_connected(graph):
        start = min(component, key=natural_key)
        if len(component) == 1:  # an item linking to itself is reported by check_links
            continue
        path = cycle_through(graph, start, component)
        warn(
            f"{start}: :{link.name}: links form a cycle: {' -> '.join(path)}",
            "link_cycle",
            domain.items[start].link_location(link.name),
        )


def strongly_connected(graph: dict[str, list[str]]) -> list[set[str]]:
    """Tarjan's algorithm, iterative so that long chains do not hit the recursion limit."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[set[str]] = []
    counter = 0
    for root in sorted(graph, key=natural_key):
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            node, child_pos = work.pop()
            if child_pos == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            children = graph.get(node, [])
            if child_pos < len(children):
                work.append((node, child_pos + 1))
                child = children[child_pos]
                if child not in index:
                    work.append((child, 0))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                components.append(component)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return components


def cycle_through(graph: dict[str, list[str]], start: str, component: set[str]) -> list[str]:
    """The shortest path from ``start`` back to itself inside ``component``."""
    previous: dict[str, str] = {}
    queue = [start]
    for node in queue:
        for child in sorted(graph.get(node, ()), key=natural_key):
            if child == start:
                path = [start]
                while node != start:
                    path.append(node)
                    node = previous[node]
                return [start, *reversed(path[1:]), start]
            if child in component and child not in previous:
                previous[child] = node
                queue.append(child)
    return [start, start]
