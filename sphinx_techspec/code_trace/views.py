"""Code references in views: the ``code-references`` table, the matrix's code column.

- ``.. code-references::`` lists every reference of the items the shared filter
  selects (item, file:line, symbol, link type), sorted by item, then file and line;
  ``:links:`` keeps only some link types. It reads the ``code_refs`` store, so a code
  change rewrites its page.
- The matrix's ``code`` column (``:columns: verifies, code`` or the ``:code:`` flag,
  through ``Feature.extra_columns``): each row's references, and a coverage line.
"""

from __future__ import annotations

from typing import Any, ClassVar

from docutils import nodes
from sphinx.application import Sphinx

from ..domain import TechspecDomain
from ..feature import app_of
from ..filters import ItemFilter
from ..model import Item
from ..options import text_option
from ..rendering import item_reference
from ..tables import Row, build_table
from ..view import ViewDirective, ViewNode, info_line, nothing_matches
from ..views.common import percent, plural
from .model import CodeReference
from .render import reference_node, row_label
from .store import STORE, references_by_item

#: The view's name.
CODE_REFERENCES = "code-references"


class CodeReferences(ViewDirective):
    """``.. code-references::``: the filter options, and ``:links:`` (link types)."""

    reads: ClassVar[tuple[str, ...]] = (STORE,)
    own_options: ClassVar[dict[str, Any]] = {"links": text_option}

    def configure(self, node: ViewNode) -> None:
        node["links"] = self.link_types_option()


def location_node(
    app: Sphinx, domain: TechspecDomain, docname: str, reference: CodeReference
) -> nodes.Node:
    """``path:line``, linked to the repository or the source page where there is one."""
    node = reference_node(app, domain, reference, docname, reference.location())
    return nodes.paragraph("", "", node)


def render_code_references(
    app: Sphinx, domain: TechspecDomain, docname: str, node: ViewNode
) -> list[nodes.Node]:
    item_filter: ItemFilter = node["filter"]
    items = item_filter.select(domain)
    if not items:
        return [nothing_matches(item_filter, "this list of code references")]
    found = references_by_item(domain)
    links = set(node["links"])
    rows = []
    for item in items:
        for reference in found.get(item.id, ()):
            if links and reference.link_type not in links:
                continue
            rows.append(
                Row(
                    [
                        nodes.paragraph("", "", item_reference(app, domain, docname, item.id)),
                        location_node(app, domain, docname, reference),
                        f"{reference.symbol}()" if reference.symbol else "",
                        reference.link_type,
                    ],
                    [f"techspec-type-{item.type}"],
                )
            )
    if not rows:
        return [info_line(f"No code references ({item_filter.describe()}).")]
    headers = ["Item", "File:line", "Symbol", "Link type"]
    return [build_table(headers, rows, ["techspec-code-references"])]


def matrix_code_cells(
    domain: TechspecDomain, rows: list[Item], cells: list[list[list[str]]]
) -> list[Any]:
    """The matrix's code column: each row's references, by link type."""
    app = app_of(domain.env)
    found = references_by_item(domain)
    column: list[Any] = []
    for item in rows:
        references = found.get(item.id, ())
        if not references:
            column.append("-")
            continue
        cell = nodes.container(classes=["techspec-code-cell"])
        for reference in references:
            line = nodes.paragraph("", f"{row_label(domain.schema, reference.link_type)}: ")
            line += reference_node(app, domain, reference)
            cell += line
        column.append(cell)
    return column


def matrix_code_lines(
    domain: TechspecDomain, item_filter: ItemFilter, rows: list[Item], cells: list[list[list[str]]]
) -> list[nodes.list_item]:
    """``In code: 5 of 7 requirements (71 %)`` under the matrix."""
    found = references_by_item(domain)
    noun = plural(domain, item_filter.types or tuple({item.type for item in rows}))
    claimed = sum(1 for item in rows if found.get(item.id))
    text = f"In code: {claimed} of {len(rows)} {noun} ({percent(claimed, len(rows))})"
    return [nodes.list_item("", nodes.paragraph("", text))]
