"""``.. item-table::``: a filtered table of items with chosen columns, sorted.

Columns are ``id``, ``title``, ``type``, ``status``, ``doc``, any field name,
any link type (the item's outgoing links) or a reverse name (``verified by``,
its incoming links). ``:sort:`` names a column; ``-column`` sorts descending.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx

from ..diagnostics import warn
from ..domain import TechspecDomain
from ..filters import ItemFilter
from ..model import Item, natural_key, split_list
from ..rendering import item_reference
from ..status_styles import state_badge
from ..tables import Row, build_table
from ..view import ViewDirective, ViewNode, nothing_matches, warn_unknown_ids
from .common import (
    find_link,
    id_list,
)

BUILT_IN_COLUMNS = {
    "id": "ID",
    "title": "Title",
    "type": "Type",
    "status": "Status",
    "doc": "Document",
}


@dataclass(frozen=True, slots=True)
class TableColumn:
    """``kind`` is ``builtin``, ``field`` or ``link``; ``name`` the column or link name."""

    kind: str
    name: str
    label: str
    direction: str = "out"


class ItemTable(ViewDirective):
    """``.. item-table::`` with ``:columns:`` and ``:sort:``."""

    own_options: ClassVar[dict[str, Any]] = {
        "columns": directives.unchanged,
        "sort": directives.unchanged,
    }

    def configure(self, node: ViewNode) -> None:
        location = self.get_location()
        tokens = split_list(self.options.get("columns")) or ["id", "title", "type", "status"]
        at = self.option_location("columns") if "columns" in self.options else location
        columns = [c for t in tokens if (c := self.parse_column(t, node, at))]
        if not columns:  # every column was unknown (warned): a table needs one
            columns = [
                TableColumn("builtin", name, BUILT_IN_COLUMNS[name]) for name in ("id", "title")
            ]
        node["columns"] = columns
        sort = (self.options.get("sort") or "id").strip()
        descending = sort.startswith("-")
        sort = sort.lstrip("-")
        names = [column.name for column in columns]
        if sort not in names:
            warn(
                f":sort: {sort!r} is not one of the table's columns ({', '.join(names)})",
                "bad_value",
                self.option_location("sort"),
            )
            sort, descending = "", False
        node["sort"] = sort
        node["descending"] = descending

    def parse_column(self, token: str, node: ViewNode, location: Any) -> TableColumn | None:
        schema = self.domain.schema
        if token in BUILT_IN_COLUMNS:
            return TableColumn("builtin", token, BUILT_IN_COLUMNS[token])
        row_types = node["filter"].types or tuple(schema.item_types)
        for item_type in row_types:
            spec = schema.field_of(item_type, token)
            if spec is not None:
                return TableColumn("field", token, spec.label)
        found = find_link(self.domain, token)
        if found is not None:
            link, direction = found
            text = link.reverse if direction == "in" else link.forward
            return TableColumn("link", link.name, text.capitalize(), direction)
        warn(
            f"unknown column {token!r}: not id, title, type, status, doc, a field of "
            f"the shown item types, or a link type",
            "bad_option",
            location,
        )
        return None

    def shown_types(self, node: ViewNode) -> list[str] | None:
        if any(column.kind == "link" for column in node["columns"]):
            return None  # linked items of any type show their IDs here
        return super().shown_types(node)


def cell_text(domain: TechspecDomain, item: Item, column: TableColumn) -> str:
    if column.kind == "builtin":
        if column.name == "type":
            return domain.schema.label(item.type)
        if column.name == "doc":
            return item.docname
        if column.name == "status":
            return str(item.fields.get("status", ""))
        return getattr(item, column.name)
    if column.kind == "field":
        value = item.fields.get(column.name, "")
        return ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    return ", ".join(domain.valid_links(item, column.name, column.direction))


def render_item_table(
    app: Sphinx, domain: TechspecDomain, docname: str, node: ViewNode
) -> list[nodes.Node]:
    item_filter: ItemFilter = node["filter"]
    columns: list[TableColumn] = node["columns"]
    warn_unknown_ids(domain, item_filter, node)
    items = item_filter.select(domain)
    if not items:
        return [nothing_matches(item_filter)]
    sort_column = next((c for c in columns if c.name == node["sort"]), None)
    if sort_column is not None:
        texts = {it.id: cell_text(domain, it, sort_column) for it in items}
        items.sort(key=lambda it: natural_key(texts[it.id]), reverse=node["descending"])
        # Items without a value go last in either direction (as the table's sort buttons do).
        items.sort(key=lambda it: texts[it.id].strip() in ("", "-"))
    rows = []
    for item in items:
        cells: list[Any] = []
        for column in columns:
            if column.kind == "builtin" and column.name == "id":
                cells.append(nodes.paragraph("", "", item_reference(app, domain, docname, item.id)))
            elif column.kind == "builtin" and column.name == "status":
                cells.append(state_badge(app.config, item.fields.get("status"), item.type))
            elif column.kind == "link":
                ids = domain.valid_links(item, column.name, column.direction)
                seen_from = (item, column.name, column.direction)
                cells.append(id_list(app, domain, docname, ids, seen_from) if ids else "")
            else:
                cells.append(cell_text(domain, item, column))
        rows.append(Row(cells, [f"techspec-type-{item.type}"]))
    return [build_table([column.label for column in columns], rows, ["techspec-item-table"])]
