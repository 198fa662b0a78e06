"""Plain docutils tables, sized from their content so the text builder stays readable."""

from __future__ import annotations

from collections.abc import Sequence

from docutils import nodes

Cell = str | nodes.Node | Sequence[nodes.Node]


def _cell_nodes(cell: Cell) -> list[nodes.Node]:
    if isinstance(cell, str):
        return [nodes.Text(cell)] if cell else []
    if isinstance(cell, nodes.Node):
        return [cell]
    return list(cell)


def build_table(
    headers: Sequence[str], rows: Sequence[Sequence[Cell]], classes: Sequence[str] = ()
) -> nodes.table:
    """A table with a header row; each cell is text, an inline node or inline nodes."""
    cell_nodes = [[_cell_nodes(cell) for cell in row] for row in rows]
    widths = [len(header) for header in headers]
    for row in cell_nodes:
        for column, content in enumerate(row):
            text = "".join(node.astext() for node in content)
            widths[column] = max(widths[column], min(len(text) + 2, 60))
    table = nodes.table(classes=["techspec-table", *classes])
    group = nodes.tgroup(cols=len(headers))
    table += group
    for width in widths:
        group += nodes.colspec(colwidth=max(width, 3))
    head = nodes.thead()
    group += head
    head += _row([[nodes.Text(header)] for header in headers])
    body = nodes.tbody()
    group += body
    for row in cell_nodes:
        body += _row(row)
    return table


def _row(cells: list[list[nodes.Node]]) -> nodes.row:
    row = nodes.row()
    for content in cells:
        paragraph = nodes.paragraph()
        paragraph += content
        row += nodes.entry("", paragraph)
    return row
