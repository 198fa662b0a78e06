"""View directives: ``error-catalog``, ``api-index`` and ``er-diagram``.

Each emits a placeholder and records the item types it shows; the placeholder is
filled at ``doctree-resolved`` (see :mod:`.resolve`) from domain data.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable
from typing import Any, ClassVar

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from ..directives import text_option
from ..domain import DOMAIN
from ..model import Item, split_list
from .nodes import ApiIndex, ErDiagram, ErrorCatalog


class ViewDirective(SphinxDirective):
    """A placeholder with filters (``:tags:``, ``:docs:`` and a view's own list option)."""

    has_content = False
    node_class: ClassVar[type[nodes.Element]]
    shows: ClassVar[tuple[str, ...]]
    option_spec: ClassVar[dict[str, Any]] = {"tags": text_option, "docs": text_option}

    def run(self) -> list[nodes.Node]:
        node = self.node_class()
        for name in self.option_spec:
            node[name] = split_list(self.options.get(name))
        node["docname"] = self.env.docname
        self.set_source_info(node)
        self.env.get_domain(DOMAIN).note_view(self.env.docname, self.shows)  # type: ignore[attr-defined]
        return [node]


class ErrorCatalogDirective(ViewDirective):
    node_class = ErrorCatalog
    shows = ("error-code", "api-endpoint")


class ApiIndexDirective(ViewDirective):
    node_class = ApiIndex
    shows = ("api-endpoint", "component")
    option_spec: ClassVar[dict[str, Any]] = {**ViewDirective.option_spec, "components": text_option}


class ErDiagramDirective(ViewDirective):
    node_class = ErDiagram
    shows = ("data-model",)
    option_spec: ClassVar[dict[str, Any]] = {
        **ViewDirective.option_spec,
        "models": text_option,
        "caption": text_option,
    }

    def run(self) -> list[nodes.Node]:
        result = super().run()
        result[0]["caption"] = " ".join((self.options.get("caption") or "").split())
        return result


def selected(items: Iterable[Item], node: nodes.Element) -> list[Item]:
    """The items a view's ``:tags:`` and ``:docs:`` filters let through (any tag, any glob)."""
    tags = set(node.get("tags") or [])
    docs = node.get("docs") or []
    chosen = []
    for item in items:
        if tags and not tags & set(item.fields.get("tags", [])):
            continue
        if docs and not any(fnmatch.fnmatchcase(item.docname, pattern) for pattern in docs):
            continue
        chosen.append(item)
    return chosen
