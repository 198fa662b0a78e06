"""Placeholder nodes, replaced from domain data once all pages are read.

Every feature's placeholders subclass :class:`Placeholder`, so one walk of each
page at ``doctree-resolved`` finds them all and hands each to the resolver its
feature declared (``Feature.placeholders``). They never reach a writer in a
normal build; the visitors that skip them are a fallback so that no builder
can fail on one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

from .domain import DOMAIN, TechspecDomain

#: The one resolver signature: app, domain, the page's docname, the placeholder.
Renderer = Callable[[Sphinx, TechspecDomain, str, nodes.Element], "list[nodes.Node]"]


class Placeholder(nodes.Element):
    """Base of every placeholder of every feature."""


class ItemLinks(nodes.General, Placeholder):
    """Where an item's outgoing and incoming links go (``item_id`` attribute)."""


class mark(nodes.inline):
    """A state word beside an item or link; HTML gets its ``title`` as a tooltip.

    Every other builder writes it as the inline it is (Sphinx's translators look
    visitors up along the class's MRO).
    """


def visit_mark_html(translator: Any, node: mark) -> None:
    attributes = {"title": node["title"]} if node.get("title") else {}
    translator.body.append(translator.starttag(node, "span", "", **attributes))


def depart_mark_html(translator: Any, node: mark) -> None:
    translator.body.append("</span>")


def skip_node(translator: nodes.NodeVisitor, node: nodes.Element) -> None:
    raise nodes.SkipNode


def add_placeholder_node(app: Sphinx, node_class: type[nodes.Element]) -> None:
    """Register a placeholder node with a skipping visitor for every builder."""
    visitors = (skip_node, None)
    app.add_node(
        node_class,
        override=True,
        html=visitors,
        latex=visitors,
        text=visitors,
        man=visitors,
        texinfo=visitors,
    )


def find_instances(doctree: nodes.Node, classes: type | tuple[type, ...]) -> list[Any]:
    """Every node under ``doctree`` (itself too) that is an instance of ``classes``,
    in document order.

    An explicit stack instead of ``findall``'s nested generators (about 40 % less
    CPU): the walks that visit every node of every page use it.
    """
    found: list[Any] = []
    stack = [doctree]
    pop, push = stack.pop, stack.extend
    while stack:
        node = pop()
        if isinstance(node, classes):
            found.append(node)
        children = node.children
        if children:
            push(reversed(children))
    return found


def find_placeholders(doctree: nodes.Node) -> list[Placeholder]:
    """Every placeholder under ``doctree`` (itself too), in document order; this walk
    visits every node of every page, and runs in the parent process under ``-j``."""
    return find_instances(doctree, Placeholder)


def resolve_placeholders(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """One walk of the page for the placeholders of every feature (``doctree-resolved``).

    A replacement may hold placeholders itself (a model name in a response
    table); those are resolved in turn. Resolved last first, as they were found.
    """
    pending = find_placeholders(doctree)
    if not pending:
        return
    domain: TechspecDomain = app.env.get_domain(DOMAIN)  # type: ignore[assignment]
    table = domain.features.resolvers
    while pending:
        node = pending.pop()
        if node.parent is None:
            continue
        resolver = table.get(type(node))
        replacement = resolver(app, domain, docname, node) if resolver else []
        replacement = replacement or []
        for new in replacement:
            if isinstance(new, nodes.Element):
                pending.extend(find_placeholders(new))
        if node.parent is not None:
            node.replace_self(replacement)
