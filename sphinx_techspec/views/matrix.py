"""``.. traceability-matrix::``: which items are verified, implemented, both or neither.

Rows are items (default: requirements); each column is a link type seen from
the row (``verifies`` on a requirement row: "verified by") or an item type (any
link to or from items of that type). A cell lists the linked IDs, or, with
``:style: grid``, the table has one column per linked item and a mark in each
linked cell; a grid drops the items that link nothing (``:empty-columns: hide``,
the default) and falls back to the list style, with an info line, past
:data:`GRID_COLUMN_LIMIT` item columns. Rows with an empty column are marked in a
class and in words ("UNCOVERED: not verified, not implemented"), so the gap shows
in PDF and text too; a coverage line per column follows.
Cost: one pass over the rows and their links (O(rows + links)).
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
from ..schema import SpecSchema
from ..suggestions import did_you_mean
from ..tables import Row, build_table
from ..view import ViewDirective, ViewNode, info_line, nothing_matches, warn_unknown_ids
from .common import (
    find_link,
    id_list,
    percent,
    plural,
)

#: The view's name, which other features' extra columns name (``ExtraColumn.view``).
MATRIX = "traceability-matrix"

STYLES = ("list", "grid")
EMPTY_COLUMNS = ("hide", "show")
#: A grid with more item columns than this is shown in the list style instead.
GRID_COLUMN_LIMIT = 40


@dataclass(frozen=True, slots=True)
class MatrixColumn:
    """One column of the matrix: what links it shows and from which end."""

    label: str
    link: str | None  # a link type name; None: any link
    direction: str  # "in", "out" or "both", seen from the row
    item_type: str | None  # only items of this type
    other_types: tuple[str, ...]  # item types at the other end (empty: any)

    def cell_ids(self, domain: TechspecDomain, item: Item) -> list[str]:
        # The links coverage rules count too, so the matrix and the report agree.
        ids = domain.valid_links(item, self.link, self.direction)
        if self.item_type is not None:
            ids = [i for i in ids if domain.items[i].type == self.item_type]
        return ids


class TraceabilityMatrix(ViewDirective):
    """``.. traceability-matrix::`` with ``:columns:`` and ``:style: list|grid``."""

    default_types: ClassVar[tuple[str, ...]] = ("requirement",)
    own_options: ClassVar[dict[str, Any]] = {
        "columns": directives.unchanged,
        "style": directives.unchanged,
        "empty-columns": directives.unchanged,
    }

    def configure(self, node: ViewNode) -> None:
        style = self.options.get("style", "list").strip() or "list"
        if style not in STYLES:
            warn(
                f":style: {style!r} is not one of: {', '.join(STYLES)}",
                "bad_value",
                self.option_location("style"),
            )
            style = "list"
        node["style"] = style
        empty = self.options.get("empty-columns", "hide").strip() or "hide"
        if empty not in EMPTY_COLUMNS:
            warn(
                f":empty-columns: {empty!r} is not one of: {', '.join(EMPTY_COLUMNS)}",
                "bad_value",
                self.option_location("empty-columns"),
            )
            empty = "hide"
        node["empty_columns"] = empty
        # Columns other features add (``Feature.extra_columns``), each behind its flag
        # or named in ``:columns:`` (``:columns: verifies, code``) by that flag's name.
        tokens = split_list(self.options.get("columns"))
        schema = self.domain.schema
        named = {
            token
            for token in tokens
            if token not in schema.item_types and find_link(self.domain, token) is None
        }
        node["extras"] = [
            column.option
            for column in self.domain.features.extra_columns(MATRIX)
            if column.option and (column.option in self.options or column.option in named)
        ]
        tokens = [token for token in tokens if token not in node["extras"]]
        row_types = node["filter"].types or tuple(self.domain.schema.item_types)
        if tokens:
            at = self.option_location("columns")
            columns = [c for t in tokens if (c := self.parse_column(t, row_types, at))]
        else:
            columns = default_columns(schema, row_types)
        node["columns"] = columns

    def parse_column(
        self, token: str, row_types: tuple[str, ...], location: Any
    ) -> MatrixColumn | None:
        schema = self.domain.schema
        if token in schema.item_types:
            item_type = schema.item_types[token]
            return MatrixColumn(item_type.plural_label, None, "both", token, (token,))
        found = find_link(self.domain, token)
        if found is None:
            warn(
                f"column {token!r} is neither a link type nor an item type"
                f"{did_you_mean(token, [*schema.link_types, *schema.item_types])} "
                f"(link types: {', '.join(sorted(schema.link_types))}; "
                f"item types: {', '.join(sorted(schema.item_types))})",
                "unknown_type",
                location,
            )
            return None
        link, direction = found
        if direction == "out" and token == link.name:
            direction = link_direction(link.name, schema, row_types)
        if direction == "in":
            return MatrixColumn(link.reverse.capitalize(), link.name, "in", None, link.sources)
        if direction == "out":
            return MatrixColumn(link.forward.capitalize(), link.name, "out", None, link.targets)
        return MatrixColumn(link.forward.capitalize(), link.name, "both", None, ())

    def shown_types(self, node: ViewNode) -> list[str] | None:
        row_types = node["filter"].types
        if not row_types:
            return None
        shown = set(row_types)
        for column in node["columns"]:
            if not column.other_types:
                return None
            shown.update(column.other_types)
        return sorted(shown)


def link_direction(link_name: str, schema: SpecSchema, row_types: tuple[str, ...]) -> str:
    """From the row, is ``link_name`` incoming ("verified by"), outgoing, or both?"""
    link = schema.link_types[link_name]
    is_target = bool(link.targets) and any(t in link.targets for t in row_types)
    is_source = bool(link.sources) and any(t in link.sources for t in row_types)
    if is_target and not is_source:
        return "in"
    if is_source and not is_target:
        return "out"
    return "both"


#: The matrix a spec reader expects first: requirements, verified by and implemented by.
REQUIREMENT_COLUMNS = ("verifies", "implements")


def default_columns(schema: SpecSchema, row_types: tuple[str, ...]) -> list[MatrixColumn]:
    """Requirements: verified by, implemented by. Other rows: every link type pointing
    at them from another item type ("involved in" for components)."""
    names: list[str] = list(schema.link_types)
    if row_types == ("requirement",):
        names = [name for name in REQUIREMENT_COLUMNS if name in schema.link_types]
    columns = []
    for name in names:
        link = schema.link_types[name]
        if link_direction(link.name, schema, row_types) == "in":
            columns.append(
                MatrixColumn(link.reverse.capitalize(), link.name, "in", None, link.sources)
            )
    return columns


def render_matrix(
    app: Sphinx, domain: TechspecDomain, docname: str, node: ViewNode
) -> list[nodes.Node]:
    item_filter: ItemFilter = node["filter"]
    columns: list[MatrixColumn] = node["columns"]
    warn_unknown_ids(domain, item_filter, node)
    rows = item_filter.select(domain)
    if not rows:
        return [nothing_matches(item_filter)]
    if not columns:
        return [info_line("This matrix has no columns.")]
    cells = [[column.cell_ids(domain, item) for column in columns] for item in rows]
    # Other features' columns (test results): ``cells(domain, rows, cells)`` gives one
    # cell per row; ``lines(domain, filter, rows, cells)`` the lines under the table.
    extra = [c for c in domain.features.extra_columns(MATRIX) if c.option in node["extras"]]
    extras = [(column.header, column.cells(domain, rows, cells)) for column in extra]
    container = nodes.container(classes=["techspec-matrix"])
    grid_ids = (
        grid_columns(domain, columns, cells, node.get("empty_columns", "hide") == "show")
        if node["style"] == "grid"
        else None
    )
    if grid_ids is not None and sum(len(ids) for ids in grid_ids) > GRID_COLUMN_LIMIT:
        container += info_line(
            f"The grid would have {sum(len(ids) for ids in grid_ids)} item columns (more "
            f"than {GRID_COLUMN_LIMIT}): shown as a list instead."
        )
        grid_ids = None
    if grid_ids is not None:
        table = grid_table(app, domain, docname, rows, columns, cells, grid_ids, extras)
    else:
        table = list_table(app, domain, docname, rows, columns, cells, extras)
    container += table
    lines = coverage_lines(domain, item_filter, rows, columns, cells)
    for column in extra:
        if column.lines is not None:
            lines += column.lines(domain, item_filter, rows, cells)
    container += lines
    return [container]


def missing_phrase(schema: SpecSchema, column: MatrixColumn) -> str:
    """What an empty column means, in English, for any link type (configured ones too).

    "not verified", "not implemented"; "no use case involves it"; "depends on nothing";
    "not mitigated by anything"; "no linked test cases".
    """
    link = schema.link_types.get(column.link) if column.link else None
    if link is None:
        noun = column.label.lower()
        return f"no linked {noun}"
    if column.direction == "in":
        if link.reverse.endswith(" by"):
            return f"not {link.reverse[: -len(' by')]}"
        if link.forward.split()[0].endswith("s"):
            sources = [schema.item_types[t].label.lower() for t in link.sources]
            subject = sources[0] if len(sources) == 1 else "item"
            return f"no {subject} {link.forward} it"
        return _nothing(link.reverse)
    return _nothing(link.forward)


def _nothing(verb: str) -> str:
    """``mitigated by`` → "not mitigated by anything"; ``depends on`` → "depends on nothing"."""
    first = verb.split()[0]
    if first.endswith("ed") or verb.endswith(" by"):
        return f"not {verb} anything"
    if first.endswith("s"):
        return f"{verb} nothing"
    return f"no “{verb}” link"


def row_status(
    schema: SpecSchema, columns: list[MatrixColumn], row_cells: list[list[str]]
) -> tuple[str, list[str]]:
    """The text of the coverage column and the row's classes."""
    missing = [
        missing_phrase(schema, column)
        for column, ids in zip(columns, row_cells, strict=True)
        if not ids
    ]
    if not missing:
        return "covered", ["techspec-covered"]
    text = f"UNCOVERED: {', '.join(missing)}"
    if len(missing) == len(columns):
        return text, ["techspec-uncovered"]
    return text, ["techspec-uncovered", "techspec-partly"]


def status_cell(status: str, classes: list[str]) -> nodes.paragraph:
    """The coverage cell: the words, in the state's colour (ok, attention, problem)."""
    state = "ok" if "techspec-covered" in classes else "problem"
    if "techspec-partly" in classes:
        state = "attention"
    return nodes.paragraph(
        "",
        "",
        nodes.inline("", status, classes=["techspec-coverage-state", f"techspec-state-{state}"]),
    )


def row_header(app: Sphinx, domain: TechspecDomain, docname: str, item: Item) -> nodes.paragraph:
    paragraph = nodes.paragraph()
    paragraph += item_reference(app, domain, docname, item.id)
    return paragraph


def list_table(
    app: Sphinx,
    domain: TechspecDomain,
    docname: str,
    rows: list[Item],
    columns: list[MatrixColumn],
    cells: list[list[list[str]]],
    extras: list[tuple[str, list[Any]]] = (),  # type: ignore[assignment]
) -> nodes.Element:
    headers = ["ID", "Title", *(column.label for column in columns)]
    headers += [header for header, _cells in extras] + ["Coverage"]
    body = []
    for position, (item, row_cells) in enumerate(zip(rows, cells, strict=True)):
        status, classes = row_status(domain.schema, columns, row_cells)
        line = [
            row_header(app, domain, docname, item),
            item.title,
            *(
                id_list(app, domain, docname, ids, (item, column.link, column.direction))
                if ids
                else "-"
                for column, ids in zip(columns, row_cells, strict=True)
            ),
        ]
        line += [extra_cells[position] for _header, extra_cells in extras]
        line.append(status_cell(status, classes))
        body.append(Row(line, classes))
    return build_table(headers, body, classes=["techspec-matrix-list"])


def grid_table(
    app: Sphinx,
    domain: TechspecDomain,
    docname: str,
    rows: list[Item],
    columns: list[MatrixColumn],
    cells: list[list[list[str]]],
    grid_ids: list[list[str]],
    extras: list[tuple[str, list[Any]]] = (),  # type: ignore[assignment]
) -> nodes.Element:
    """One table column per item of ``grid_ids`` (see :func:`grid_columns`)."""
    headers: list[Any] = ["ID"]
    groups = [("", 1)]
    for column, ids in zip(columns, grid_ids, strict=True):
        groups.append((column.label, max(len(ids), 1)))
        headers.extend(id_list(app, domain, docname, [i]) for i in ids)
        if not ids:
            headers.append("-")
    for header, _cells in extras:
        headers.append(header)
        groups.append(("", 1))
    headers.append("Coverage")
    groups.append(("", 1))
    if app.builder.format == "man":  # man pages cannot span cells: name the group in each
        labels = [label for label, span in groups for _ in range(span)]
        headers = [
            _prefixed(text, header) if text else header
            for header, text in zip(headers, labels, strict=True)
        ]
        groups = []
    body = []
    for position, (item, row_cells) in enumerate(zip(rows, cells, strict=True)):
        status, classes = row_status(domain.schema, columns, row_cells)
        line: list[Any] = [row_header(app, domain, docname, item)]
        for ids, linked in zip(grid_ids, row_cells, strict=True):
            linked_set = set(linked)
            line.extend(
                nodes.paragraph("", "x", classes=["techspec-mark"]) if i in linked_set else ""
                for i in ids
            )
            if not ids:
                line.append("")
        line += [extra_cells[position] for _header, extra_cells in extras]
        line.append(status_cell(status, classes))
        body.append(Row(line, classes))
    return build_table(headers, body, classes=["techspec-matrix-grid"], group_headers=groups)


def grid_columns(
    domain: TechspecDomain,
    columns: list[MatrixColumn],
    cells: list[list[list[str]]],
    show_empty: bool,
) -> list[list[str]]:
    """The item IDs of each column's group: those linked from a row, and with
    ``show_empty`` also the items of the other end that link nothing here."""
    grid_ids: list[list[str]] = []
    for position, column in enumerate(columns):
        ids = {i for row_cells in cells for i in row_cells[position]}
        if show_empty:
            for item_type in column.other_types:
                ids.update(item.id for item in domain.items_of_type(item_type))
        grid_ids.append(sorted(ids, key=natural_key))
    return grid_ids


def _prefixed(text: str, header: Any) -> nodes.paragraph:
    children = header.children if isinstance(header, nodes.Element) else [nodes.Text(header)]
    return nodes.paragraph("", f"{text}: ", *children)


def coverage_lines(
    domain: TechspecDomain,
    item_filter: ItemFilter,
    rows: list[Item],
    columns: list[MatrixColumn],
    cells: list[list[list[str]]],
) -> nodes.bullet_list:
    """One line per column ("Verified by: 6 of 7 requirements (85 %)"), then all together."""
    noun = plural(domain, item_filter.types or tuple({item.type for item in rows}))
    total = len(rows)
    lines = nodes.bullet_list(classes=["techspec-coverage"])
    for position, column in enumerate(columns):
        covered = sum(1 for row_cells in cells if row_cells[position])
        lines += _line(f"{column.label}: {covered} of {total} {noun} ({percent(covered, total)})")
    if len(columns) > 1:
        covered = sum(1 for row_cells in cells if all(row_cells))
        lines += _line(f"All columns: {covered} of {total} {noun} ({percent(covered, total)})")
    return lines


def _line(text: str) -> nodes.list_item:
    return nodes.list_item("", nodes.paragraph("", text))
