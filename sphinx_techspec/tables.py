"""The one table builder every view uses: plain docutils tables for every builder.

Column widths follow the content, because the text builder takes them literally
as characters; a very long cell wraps at its spaces instead of widening its
column, and no column is narrower than its longest word, so a name never
breaks inside ("EmailTemplat / e"). Every table comes inside its own scroll
container (``techspec-table-scroll``), so a wide table scrolls there in HTML
instead of overflowing the page; ``static/techspec.js`` adds sorting and
filtering in HTML only, reading the table as it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from docutils import nodes

#: A cell: text, a node (inline or block), inline nodes, or nothing.
Cell = str | nodes.Node | Sequence[nodes.Node] | None

#: Widest a column is sized for, in characters.
MAX_COLUMN_WIDTH = 40


class Row(NamedTuple):
    """A body row with CSS classes (e.g. ``techspec-uncovered``)."""

    cells: Sequence[Cell]
    classes: Sequence[str] = ()


def build_table(
    headers: Sequence[Cell],
    rows: Sequence[Sequence[Cell] | Row],
    classes: Sequence[str] = (),
    group_headers: Sequence[tuple[str, int]] = (),
) -> nodes.container:
    """A table with a header row, in its scroll container (the table is its only child).

    ``group_headers`` is an optional row of (label, span) above the header row.
    """
    body_rows = [row if isinstance(row, Row) else Row(row) for row in rows]
    texts = [_text(cell) for cell in headers]
    widths = [max(len(text), 1) for text in texts]
    words = [_longest_word_of(text) for text in texts]
    for row in body_rows:
        for column, cell in enumerate(row.cells):
            text = _text(cell)  # once per cell: the walk is most of the sizing's cost
            widths[column] = max(widths[column], len(text))
            words[column] = max(words[column], _longest_word_of(text))
    table = nodes.table(classes=["techspec-table", *classes])
    group = nodes.tgroup(cols=len(headers))
    table += group
    for width, word in zip(widths, words, strict=True):
        group += nodes.colspec(colwidth=max(min(max(width, 3), MAX_COLUMN_WIDTH), word))
    head = nodes.thead()
    group += head
    if group_headers:
        group_row = nodes.row()
        for text, span in group_headers:
            entry = nodes.entry("", nodes.paragraph("", text))
            if span > 1:
                entry["morecols"] = span - 1
            group_row += entry
        head += group_row
    head += _row(Row(headers))
    body = nodes.tbody()
    group += body
    for row in body_rows:
        body += _row(row)
    return nodes.container("", table, classes=["techspec-table-scroll"])


def joined(parts: Sequence[nodes.Node], separator: str = ", ") -> nodes.inline:
    """Inline nodes separated by ``separator`` (several links in one cell)."""
    result = nodes.inline()
    for index, part in enumerate(parts):
        if index:
            result += nodes.Text(separator)
        result += part
    return result


def _row(row: Row) -> nodes.row:
    result = nodes.row(classes=list(row.classes))
    for cell in row.cells:
        entry = nodes.entry()
        if cell is None or isinstance(cell, str):
            entry += nodes.paragraph("", cell or "")
        elif isinstance(cell, nodes.Node):
            # A reference is a Body node too: only true blocks go in bare.
            is_block = isinstance(cell, nodes.Body) and not isinstance(cell, nodes.Inline)
            entry += cell if is_block else nodes.paragraph("", "", cell)
        else:
            entry += nodes.paragraph("", "", *cell)
        result += entry
    return result


def _text(cell: Cell) -> str:
    """The cell as the text builder writes it: literals quoted, emphasis starred."""
    if cell is None:
        return ""
    if isinstance(cell, str):
        return cell
    if isinstance(cell, nodes.Node):
        return _rendered(cell).strip()
    return "".join(_rendered(node) for node in cell).strip()


#: What the text builder puts around inline markup ("literal", *emphasis*, **strong**).
_DECORATION = {nodes.literal: ('"', '"'), nodes.emphasis: ("*", "*"), nodes.strong: ("**", "**")}


def _rendered(node: nodes.Node) -> str:
    if isinstance(node, nodes.Text):
        return node.astext()
    inner = "".join(_rendered(child) for child in node.children)
    before, after = _DECORATION.get(type(node), ("", ""))
    separator = " " if isinstance(node, nodes.Body) and not isinstance(node, nodes.Inline) else ""
    return f"{before}{inner}{after}{separator}"


def _longest_word_of(text: str) -> int:
    return max((len(word) for word in text.split()), default=1)
