"""Placeholder nodes, replaced from domain data once all pages are read.

They never reach a writer in a normal build; the visitors that skip them are
a fallback so that no builder can fail on one.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx


class ItemLinks(nodes.General, nodes.Element):
    """Where an item's outgoing and incoming links go (``item_id`` attribute)."""


def skip_node(translator: nodes.NodeVisitor, node: nodes.Element) -> None:
    raise nodes.SkipNode


def add_placeholder_node(app: Sphinx, node_class: type[nodes.Element]) -> None:
    """Register a placeholder node with a skipping visitor for every builder."""
    visitors = (skip_node, None)
    app.add_node(
        node_class,
        html=visitors,
        latex=visitors,
        text=visitors,
        man=visitors,
        texinfo=visitors,
    )
