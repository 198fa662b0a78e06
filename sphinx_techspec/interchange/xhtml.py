"""An item's body as ReqIF XHTML, and ReqIF XHTML as RST or MyST.

Export: the docutils tree of the body (paragraphs, lists, emphasis, code,
tables, links) becomes ``xhtml:div`` content built with lxml, so every text is
escaped by the serialiser, and characters XML cannot hold are dropped.
Import: foreign XHTML becomes structure only through an allow-list
(paragraphs, lists, tables, emphasis, code, headings, images inside the
imported package, links to http, https and mailto); every text is escaped and
anything else (scripts, frames, forms, other URL schemes) keeps at most its
text, so no imported text is ever read as markup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from docutils import nodes
from lxml import etree

from ..foreign_xml import NOT_XML, xml_text
from .pages import (
    WEB_SCHEMES,
    directive_block,
    escape_line_start,
    escape_text,
    fence_for,
    one_line,
    option_value,
    rubric,
)

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
    text = xml_text(text)[0]
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
        element = etree.SubElement(parent, _X + "a", href=xml_text(node["refuri"])[0])
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
        pre.text = xml_text(node.astext())[0]
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


#: Elements whose content is never shown: code, frames, forms, embedded documents.
DROPPED = frozenset(
    {"script", "style", "iframe", "frame", "frameset", "embed", "applet", "form", "input"}
    | {"button", "select", "textarea", "svg", "math", "template", "noscript", "head", "title"}
    | {"link", "meta", "base"}
)
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
BLOCK_TAGS = frozenset(
    {"p", "div", "ul", "ol", "li", "pre", "table", "blockquote", "object", "img", "hr"}
    | {"dl", "dt", "dd", "address", "center", "section", "article", "thead", "tbody", "tr"}
    | set(HEADINGS)
)
#: Images an import copies from the ReqIF package into the project (never SVG: it can script).
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".bmp", ".webp"})
IMAGE_DIRECTORY = "_reqif_files"
#: What may stand before an RST inline markup start, and after its end.
_RST_BEFORE = frozenset(" -:/'\"<([{")
_RST_AFTER = frozenset(" -.,:;!?\\/'\")]}>")


def safe_href(href: str) -> str | None:
    """``href`` when it is http, https, mailto or relative without a scheme; else ``None``."""
    href = href.strip()
    if not href or any(c in href for c in "<>`\\ \n\t\r") or NOT_XML.search(href):
        return None
    try:
        scheme = urlsplit(href).scheme.lower()
    except ValueError:
        return None
    if scheme in WEB_SCHEMES:
        return href
    if scheme or ":" in href.split("/", 1)[0]:
        return None
    return None if href.startswith("//") else href


@dataclass
class XhtmlReader:
    """Foreign XHTML to RST or MyST through an allow-list, noting what it had to leave out.

    ``package`` is the directory of the ReqIF file: an image it names is copied only
    when it is inside that directory; ``files`` collects the copies (name → bytes).
    """

    fmt: str
    package: Path | None = None
    files: dict[str, bytes] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    #: Who the text belongs to, for the notes (``REQ-1 ReqIF.Text``).
    where: str = ""

    def note(self, message: str) -> None:
        self.notes.append(f"{self.where}: {message}" if self.where else message)

    # -- inline ---------------------------------------------------------------------------

    def inline_markup(self, element: etree._Element) -> str:
        """The inline content of ``element`` as one line of markup."""
        parts: list[tuple[str, bool]] = [(escape_text(element.text or "", self.fmt), False)]
        for child in element:
            parts.append(_part(self.inline_child(child)))
            parts.append((escape_text(child.tail or "", self.fmt), False))
        return _join(parts, self.fmt)

    def inline_child(self, element: etree._Element) -> str:
        name = local(element)
        if name in DROPPED or not name:
            if name:
                self.note(f"<{name}> is not text; left out")
            return ""
        text = flat_text(element)
        fmt = self.fmt
        if name in ("em", "i", "cite", "dfn", "var"):
            return f"*{escape_text(text, fmt)}*" if text else ""
        if name in ("strong", "b"):
            return f"**{escape_text(text, fmt)}**" if text else ""
        if name in ("code", "tt", "kbd", "samp"):
            return code_span(text, fmt)
        if name == "a":
            return self.link(element, text)
        if name == "br":
            return " "
        if name in ("img", "object"):
            return escape_text(self.image_text(element), fmt)
        return self.inline_markup(element)

    def link(self, element: etree._Element, text: str) -> str:
        raw = element.get("href", "")
        href = safe_href(raw)
        if raw and href is None:
            self.note(
                f"the link {one_line(raw)[:60]!r} is not http, https, mailto or relative: "
                "kept as text only"
            )
        if not text:
            return ""
        if href is None:
            return escape_text(text, self.fmt)
        if self.fmt == "md":
            return f"[{escape_text(text, self.fmt)}](<{href}>)"
        return f"`{escape_text(text, self.fmt).replace('`', '')} <{href}>`__"

    # -- blocks ---------------------------------------------------------------------------

    def markup(self, element: etree._Element) -> str:
        """A ReqIF ``THE-VALUE`` element's XHTML as RST or MyST blocks."""
        return "\n\n".join(block for block in self.blocks_of(element) if block.strip())

    def blocks_of(self, element: etree._Element) -> list[str]:
        blocks: list[str] = []
        loose: list[tuple[str, bool]] = (
            [(escape_text(element.text or "", self.fmt), False)]
            if (element.text or "").strip()
            else []
        )
        for child in element:
            name = local(child)
            if name in BLOCK_TAGS:
                if loose:
                    blocks.append(escape_line_start(_join(loose, self.fmt), self.fmt))
                    loose = []
                blocks.extend(self.block_of(child))
            else:
                loose.append(_part(self.inline_child(child)))
            if (child.tail or "").strip():
                loose.append((escape_text(child.tail or "", self.fmt), False))
        if loose:
            blocks.append(escape_line_start(_join(loose, self.fmt), self.fmt))
        return [block for block in blocks if block.strip()]

    def block_of(self, element: etree._Element) -> list[str]:
        name = local(element)
        fmt = self.fmt
        if name == "p":
            return [escape_line_start(self.inline_markup(element), fmt)]
        if name == "dt":
            text = " ".join("".join(element.itertext()).split())
            return [f"**{escape_text(text, fmt)}**"] if text else []
        if name in HEADINGS:
            return [rubric(" ".join("".join(element.itertext()).split()), fmt)]
        if name == "pre":
            return [literal_block("".join(element.itertext()), fmt)]
        if name in ("ul", "ol"):
            return self.list_block(element, name == "ol")
        if name == "table":
            return [self.table(element)]
        if name == "blockquote":
            inner = "\n\n".join(self.blocks_of(element))
            if fmt == "md":
                return ["\n".join(f"> {line}" if line else ">" for line in inner.splitlines())]
            return ["\n".join(f"   {line}" if line else "" for line in inner.splitlines())]
        if name in ("object", "img"):
            return [self.image(element)]
        if name == "hr":
            return []
        return self.blocks_of(element)

    def list_block(self, element: etree._Element, ordered: bool) -> list[str]:
        items = []
        entries = [c for c in element if local(c) == "li"]
        for number, child in enumerate(entries, 1):
            marker = f"{number}." if ordered else "-"
            indent = " " * (len(marker) + 1)
            lines = "\n\n".join(self.blocks_of(child) or [""]).splitlines() or [""]
            items.append(
                "\n".join(
                    [
                        f"{marker} {lines[0]}".rstrip(),
                        *(f"{indent}{ln}" if ln else "" for ln in lines[1:]),
                    ]
                )
            )
        return ["\n".join(items)] if items else []

    def table(self, element: etree._Element) -> str:
        """A list-table in both formats: cells keep their blocks (lists, code, emphasis)."""
        rows: list[list[str]] = []
        header = False
        for row in element.iter(f"{_X}tr", "tr"):
            cells = [c for c in row if local(c) in ("td", "th")]
            if not cells:
                continue
            if not rows and all(local(c) == "th" for c in cells):
                header = True
            rows.append(["\n\n".join(self.blocks_of(cell)) for cell in cells])
        if not rows:
            return ""
        width = max(len(row) for row in rows)
        rows = [row + [""] * (width - len(row)) for row in rows]
        lines: list[str] = []
        for row in rows:
            for column, cell in enumerate(row):
                marker = "* - " if column == 0 else "  - "
                cell_lines = cell.splitlines() or [""]
                lines.append(f"{marker}{cell_lines[0]}".rstrip())
                lines += [f"    {ln}" if ln else "" for ln in cell_lines[1:]]
        options = [":header-rows: 1"] if header and len(rows) > 1 else []
        return directive_block("list-table", "", options, "\n".join(lines), self.fmt).rstrip("\n")

    # -- images ---------------------------------------------------------------------------

    def image_source(self, element: etree._Element) -> str:
        return element.get("data") or element.get("src") or ""

    def image_text(self, element: etree._Element) -> str:
        return one_line(
            element.get("alt") or element.get("name") or "".join(element.itertext()) or ""
        )

    def image(self, element: etree._Element) -> str:
        """An image inside the package becomes a figure; anything else keeps its text."""
        source = self.image_source(element)
        alternative = self.image_text(element)
        copied = self.copy_image(source) if source else None
        if copied is None:
            # An object may hold a fallback: its own content (an image, text).
            inner = self.blocks_of(element) if len(element) else []
            return (
                "\n\n".join(inner)
                if inner
                else escape_line_start(
                    escape_text(alternative or source.rsplit("/", 1)[-1], self.fmt), self.fmt
                )
            )
        options = [f":alt: {option_value(alternative, self.fmt)}"] if alternative else []
        return directive_block("image", copied, options, "", self.fmt).rstrip("\n")

    def copy_image(self, source: str) -> str | None:
        if self.package is None or safe_href(source) is None or urlsplit(source).scheme:
            self.note(
                f"the image {one_line(source)[:60]!r} is not a file inside the package: "
                "its text is kept"
            )
            return None
        relative = unquote(urlsplit(source).path)
        path = (self.package / relative).resolve()
        package = self.package.resolve()
        if package not in path.parents or path.suffix.lower() not in IMAGE_SUFFIXES:
            self.note(
                f"the image {relative[:60]!r} is not an image file inside the package: "
                "its text is kept"
            )
            return None
        if not path.is_file():
            self.note(f"the image {relative[:60]!r} is not in the package: its text is kept")
            return None
        name = f"{IMAGE_DIRECTORY}/" + re.sub(
            r"[^A-Za-z0-9_.-]+", "-", path.relative_to(package).as_posix()
        )
        self.files[name] = path.read_bytes()
        return name


def flat_text(value: etree._Element | None) -> str:
    """The text of XHTML on one line, a space where a line or block ended."""
    if value is None:
        return ""
    parts: list[str] = []
    for event, element in etree.iterwalk(value, events=("start", "end")):
        if not isinstance(element.tag, str):
            continue
        if event == "start":
            parts.append(element.text or "")
            if local(element) == "br":
                parts.append(" ")
        else:
            if (
                local(element) in ("p", "div", "li", "td", "th", "tr", "br")
                or local(element)[:1] == "h"
            ):
                parts.append(" ")
            if element is not value:
                parts.append(element.tail or "")
    return " ".join("".join(parts).split())


def code_span(text: str, fmt: str) -> str:
    """Inline code whose delimiters are longer than any backtick run inside."""
    if not text:
        return ""
    if fmt == "md":
        fence = fence_for(text, 1)
        padded = f" {text} " if text.startswith("`") or text.endswith("`") else text
        return f"{fence}{padded}{fence}"
    if "`" in text:
        return escape_text(text, fmt)  # RST inline literals cannot hold a backtick run safely
    return f"``{text}``"


def literal_block(code: str, fmt: str) -> str:
    code = code.strip("\n")
    if fmt == "md":
        fence = fence_for(code)
        return f"{fence}\n{code}\n{fence}"
    return "::\n\n" + "\n".join(f"   {line}" if line.strip() else "" for line in code.splitlines())


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


def xhtml_to_markup(element: etree._Element, fmt: str) -> str:
    """A ReqIF ``THE-VALUE`` element's XHTML as RST or MyST blocks (no package, no notes)."""
    return XhtmlReader(fmt).markup(element)


def inline_markup(element: etree._Element, fmt: str) -> str:
    return XhtmlReader(fmt).inline_markup(element)
