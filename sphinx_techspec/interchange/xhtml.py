"""An item's body as ReqIF XHTML, and ReqIF XHTML as RST or MyST.

Export: the docutils tree of the body (paragraphs, lists, emphasis, code,
tables, links) becomes ``xhtml:div`` content built with lxml, so every text is
escaped by the serialiser. Import: the XHTML subset ReqIF tools write becomes
markup with every text escaped, so no imported text is read as markup.
"""

from __future__ import annotations

from docutils import nodes
from lxml import etree

from .pages import escape_line_start, escape_text, fence_for

XHTML = "http://www.w3.org/1999/xhtml"
_X = f"{{{XHTML}}}"

#: docutils inline node → XHTML element.
INLINE = {
    nodes.emphasis: "em",
    nodes.strong: "strong",
    nodes.literal: "code",
    nodes.subscript: "sub",
    nodes.superscript: "sup",
}
#: docutils block node → XHTML element (children converted in place).
BLOCK = {
    nodes.bullet_list: "ul",
    nodes.enumerated_list: "ol",
    nodes.list_item: "li",
    nodes.block_quote: "blockquote",
}


def body_to_xhtml(body: list[nodes.Node]) -> str:
    """The body nodes as the serialised content of one ``xhtml:div``."""
    div = etree.Element(_X + "div", nsmap={"xhtml": XHTML})
    for node in body:
        add_block(div, node)
    return etree.tostring(div, encoding="unicode")


def _append_text(parent: etree._Element, text: str) -> None:
    if not text:
        return
    if len(parent):
        last = parent[-1]
        last.tail = (last.tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def add_inline(parent: etree._Element, node: nodes.Node) -> None:
    if isinstance(node, nodes.Text):
        _append_text(parent, node.astext())
        return
    if isinstance(node, nodes.reference) and node.get("refuri"):
        element = etree.SubElement(parent, _X + "a", href=node["refuri"])
        for child in node.children:
            add_inline(element, child)
        return
    for node_class, tag in INLINE.items():
        if isinstance(node, node_class):
            element = etree.SubElement(parent, _X + tag)
            if tag == "code":
                _append_text(element, node.astext())
            else:
                for child in node.children:
                    add_inline(element, child)
            return
    if isinstance(node, nodes.Element):
        for child in node.children:
            add_inline(parent, child)


def add_block(parent: etree._Element, node: nodes.Node) -> None:
    """One block node; an unknown one keeps its text as a paragraph."""
    if isinstance(node, nodes.Invisible | nodes.system_message | nodes.comment):
        return
    if isinstance(node, nodes.paragraph):
        paragraph = etree.SubElement(parent, _X + "p")
        for child in node.children:
            add_inline(paragraph, child)
        return
    if isinstance(node, nodes.literal_block):
        pre = etree.SubElement(parent, _X + "pre")
        pre.text = node.astext()
        return
    if isinstance(node, nodes.title):
        title = etree.SubElement(parent, _X + "p")
        strong = etree.SubElement(title, _X + "strong")
        for child in node.children:
            add_inline(strong, child)
        return
    if isinstance(node, nodes.table):
        add_table(parent, node)
        return
    for node_class, tag in BLOCK.items():
        if isinstance(node, node_class):
            element = etree.SubElement(parent, _X + tag)
            for child in node.children:
                add_block(element, child)
            return
    if isinstance(node, nodes.TextElement):
        paragraph = etree.SubElement(parent, _X + "p")
        for child in node.children:
            add_inline(paragraph, child)
        return
    if isinstance(node, nodes.Element):
        for child in node.children:
            add_block(parent, child)


def add_table(parent: etree._Element, node: nodes.table) -> None:
    table = etree.SubElement(parent, _X + "table")
    for group in node.findall(nodes.tgroup):
        for section in group.children:
            if not isinstance(section, nodes.thead | nodes.tbody):
                continue
            cell_tag = "th" if isinstance(section, nodes.thead) else "td"
            for row in section.findall(nodes.row):
                tr = etree.SubElement(table, _X + "tr")
                for entry in row.children:
                    cell = etree.SubElement(tr, _X + cell_tag)
                    for child in entry.children:
                        add_block(cell, child)


# -- import: XHTML → RST / MyST -----------------------------------------------------------


def local(element: etree._Element) -> str:
    tag = element.tag
    return etree.QName(tag).localname.lower() if isinstance(tag, str) else ""


def inline_markup(element: etree._Element, fmt: str) -> str:
    """The inline content of ``element`` as one line of markup."""
    parts: list[tuple[str, bool]] = [(escape_text(element.text or "", fmt), False)]
    for child in element:
        parts.append(_part(inline_child(child, fmt)))
        parts.append((escape_text(child.tail or "", fmt), False))
    return _join(parts, fmt)


#: What may stand before an RST inline markup start, and after its end.
_RST_BEFORE = frozenset(" -:/'\"<([{")
_RST_AFTER = frozenset(" -.,:;!?\\/'\")]}>")


def _part(text: str) -> tuple[str, bool]:
    """Escaped text never starts with ``*``, a backtick or ``[``: markup does."""
    return text, text[:1] in ("*", "`", "[")


def _join(parts: list[tuple[str, bool]], fmt: str) -> str:
    """Text and markup (``True``) parts on one line.

    RST only sees ``*em*`` next to a word when an escaped space (``\\ ``, shown as
    nothing) separates them; MyST needs no separator.
    """
    text = ""
    after_markup = False
    for part, markup in parts:
        if not part:
            continue
        if (
            fmt != "md"
            and text
            and (
                (markup and text[-1] not in _RST_BEFORE)
                or (after_markup and part[0] not in _RST_AFTER)
            )
        ):
            text += "\\ "
        text += part
        after_markup = markup
    return " ".join(text.split())


def inline_child(element: etree._Element, fmt: str) -> str:
    name = local(element)
    text = " ".join("".join(element.itertext()).split())
    if name in ("em", "i"):
        return f"*{escape_text(text, fmt)}*" if text else ""
    if name in ("strong", "b"):
        return f"**{escape_text(text, fmt)}**" if text else ""
    if name in ("code", "tt", "kbd", "samp"):
        if not text:
            return ""
        if fmt == "md":
            fence = "``" if "`" in text else "`"
            return f"{fence} {text} {fence}" if "`" in text else f"`{text}`"
        return (
            f"``{text}``" if "``" not in text and not text.endswith("`") else escape_text(text, fmt)
        )
    if name == "a":
        href = element.get("href", "")
        if href and text and all(c not in href for c in "<>` \n"):
            if fmt == "md":
                return f"[{escape_text(text, fmt)}](<{href}>)"
            return f"`{escape_text(text, fmt).replace('`', '')} <{href}>`__"
        return escape_text(text, fmt)
    if name == "br":
        return " "
    return inline_markup(element, fmt)


BLOCK_TAGS = {
    "p",
    "div",
    "ul",
    "ol",
    "li",
    "pre",
    "table",
    "blockquote",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "object",
}


def xhtml_to_markup(element: etree._Element, fmt: str) -> str:
    """A ReqIF ``THE-VALUE`` element's XHTML as RST or MyST blocks."""
    blocks = blocks_of(element, fmt)
    return "\n\n".join(block for block in blocks if block.strip())


def blocks_of(element: etree._Element, fmt: str) -> list[str]:
    blocks: list[str] = []
    loose: list[tuple[str, bool]] = (
        [(escape_text(element.text or "", fmt), False)] if (element.text or "").strip() else []
    )
    for child in element:
        name = local(child)
        if name in BLOCK_TAGS:
            if loose:
                blocks.append(escape_line_start(_join(loose, fmt), fmt))
                loose = []
            blocks.extend(block_of(child, fmt))
        else:
            loose.append(_part(inline_child(child, fmt)))
        if (child.tail or "").strip():
            loose.append((escape_text(child.tail or "", fmt), False))
    if loose:
        blocks.append(escape_line_start(_join(loose, fmt), fmt))
    return blocks


def block_of(element: etree._Element, fmt: str) -> list[str]:
    name = local(element)
    if name in ("p", "h1", "h2", "h3", "h4", "h5", "h6"):
        text = inline_markup(element, fmt)
        return [f"**{text}**" if name.startswith("h") and text else escape_line_start(text, fmt)]
    if name == "pre":
        code = "".join(element.itertext()).rstrip("\n")
        if fmt == "md":
            fence = fence_for(code)
            return [f"{fence}\n{code}\n{fence}"]
        return ["::\n\n" + "\n".join(f"   {line}" if line else "" for line in code.splitlines())]
    if name in ("ul", "ol"):
        items = []
        for number, child in enumerate((c for c in element if local(c) == "li"), 1):
            marker = f"{number}." if name == "ol" else "-"
            inner = blocks_of(child, fmt) or [""]
            indent = " " * (len(marker) + 1)
            text = "\n\n".join(inner)
            lines = text.splitlines() or [""]
            items.append(
                "\n".join(
                    [f"{marker} {lines[0]}", *(f"{indent}{ln}" if ln else "" for ln in lines[1:])]
                )
            )
        return ["\n".join(items)] if items else []
    if name == "table":
        return [table_markup(element, fmt)]
    if name == "blockquote":
        inner = "\n\n".join(blocks_of(element, fmt))
        if fmt == "md":
            return ["\n".join(f"> {line}" if line else ">" for line in inner.splitlines())]
        return ["\n".join(f"   {line}" if line else "" for line in inner.splitlines())]
    if name == "object":
        return [escape_text(element.get("name") or element.get("data") or "", fmt)]
    return blocks_of(element, fmt)


def table_markup(element: etree._Element, fmt: str) -> str:
    rows = [
        [_cell_text(cell, fmt) for cell in row if local(cell) in ("td", "th")]
        for row in element.iter(f"{_X}tr", "tr")
    ]
    rows = [row for row in rows if row]
    if not rows:
        return ""
    width = max(len(row) for row in rows)
    rows = [row + [""] * (width - len(row)) for row in rows]
    if fmt == "md":
        lines = ["| " + " | ".join(c.replace("|", "\\|") for c in rows[0]) + " |"]
        lines.append("|" + "---|" * width)
        lines += ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in rows[1:]]
        return "\n".join(lines)
    lines = [".. list-table::", ""]
    for row in rows:
        lines.append(f"   * - {row[0] or '..'}" if row[0] else "   * -")
        lines += [f"     - {cell}" if cell else "     -" for cell in row[1:]]
    return "\n".join(lines)


def _cell_text(cell: etree._Element, fmt: str) -> str:
    return " ".join(" ".join(blocks_of(cell, fmt)).split())
