"""Docutils tables for the template's views, readable in every builder.

Column widths follow the content, because the text builder takes them
literally as characters.
"""

from __future__ import annotations

from collections.abc import Sequence

from docutils import nodes

Cell = nodes.Node | str

#: Widest a column is sized for; longer cells wrap.
MAX_COLUMN_WIDTH = 40


def build_table(
    headers: Sequence[str],
    rows: Sequence[Sequence[Cell]],
    classes: Sequence[str] = (),
    row_classes: Sequence[Sequence[str]] = (),
) -> nodes.table:
    """A table with one header row; a cell is text or an inline/block node."""
    widths = [len(header) for header in headers]
    for row in rows:
        for column, cell in enumerate(row):
            text = cell if isinstance(cell, str) else cell.astext()
            widths[column] = max(widths[column], min(len(text), MAX_COLUMN_WIDTH))
    table = nodes.table(classes=["techspec-table", *classes])
    group = nodes.tgroup(cols=len(headers))
    table += group
    for width in widths:
        group += nodes.colspec(colwidth=max(width, 3))
    head = nodes.thead()
    group += head
    head += _row(headers)
    body = nodes.tbody()
    group += body
    for index, row in enumerate(rows):
        classes_of_row = row_classes[index] if index < len(row_classes) else ()
        body += _row(row, classes_of_row)
    return table


def _row(cells: Sequence[Cell], classes: Sequence[str] = ()) -> nodes.row:
    row = nodes.row(classes=list(classes))
    for cell in cells:
        entry = nodes.entry()
        if isinstance(cell, str):
            entry += nodes.paragraph("", cell)
        elif isinstance(cell, nodes.Inline | nodes.Text):
            # A reference is also a docutils Body node: test for inline first.
            entry += nodes.paragraph("", "", cell)
        else:
            entry += cell
        row += entry
    return row


def joined(parts: Sequence[nodes.Node], separator: str = ", ") -> nodes.inline:
    """Inline nodes separated by ``separator`` (links in one table cell)."""
    result = nodes.inline()
    for index, part in enumerate(parts):
        if index:
            result += nodes.Text(separator)
        result += part
    return result
