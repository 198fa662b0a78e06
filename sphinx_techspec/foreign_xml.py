"""Reading an XML file someone else wrote (a JUnit report, a ReqIF file): one parser.

lxml with nothing that reaches outside the bytes given: no DTD is loaded, no
entity resolved, no network, no huge-tree mode (libxml2's own size limits hold), and
a document that declares a DOCTYPE at all is refused (billion laughs and external
entities live there). Control characters cannot get in: XML 1.0 forbids them even as
character references, so the parser refuses them. :func:`parse_xml` returns the root
element (with ``sourceline`` on every element) or raises :class:`ForeignXMLError`
with a short message and the line to blame. :func:`xml_text` is the other direction:
text bound for an XML export, with the characters XML cannot hold replaced.
"""

from __future__ import annotations

import re

from lxml import etree

#: libxml2 error code → the short description readers know from other XML tools.
_SHORT = {
    4: "no element found",  # XML_ERR_DOCUMENT_EMPTY
    5: "no element found",  # XML_ERR_DOCUMENT_END
    26: "undefined entity",  # XML_ERR_UNDECLARED_ENTITY
    27: "undefined entity",  # XML_WAR_UNDECLARED_ENTITY
    76: "mismatched tag",  # XML_ERR_TAG_NAME_MISMATCH
    9: "invalid character",  # XML_ERR_INVALID_CHAR
}
_POSITION = re.compile(r",? line \d+, column \d+$|\s*\(line \d+\)")
#: What XML 1.0 cannot hold: C0 controls but tab, line feed and carriage return;
#: lone surrogates; U+FFFE and U+FFFF.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class ForeignXMLError(ValueError):
    """An XML file that cannot be used. ``message`` follows the file name ("is not
    well-formed XML (…)", "declares a DTD …"); ``line`` is 1 when no better line is known."""

    def __init__(self, message: str, line: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def parse_xml(data: bytes) -> etree._Element:
    """The root element of ``data``; raises :class:`ForeignXMLError` only."""
    _refuse_doctype(data)
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        reason = _SHORT.get(exc.code) or _POSITION.sub("", exc.msg or "syntax error")
        raise ForeignXMLError(f"is not well-formed XML ({reason})", exc.lineno or 1) from None
    except Exception as exc:  # whatever else libxml2 or lxml refuse: say so, never raise it
        raise ForeignXMLError(f"cannot be read as XML ({type(exc).__name__})") from None
    if root is None:
        raise ForeignXMLError("is not well-formed XML (no element found)")
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise ForeignXMLError(_DTD)
    return root


_DTD = "declares a DTD (<!DOCTYPE …>), which is never read"
_FIRST_ELEMENT = re.compile(rb"<[A-Za-z_:]")
_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)


def _refuse_doctype(data: bytes) -> None:
    """Refuse a DOCTYPE before parsing, so no entity in it is even declared (the parser's
    own refusal of an entity bomb would name the bomb, not the DOCTYPE, and later)."""
    head = data
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        head = data.decode("utf-16", "replace").encode("utf-8")
    start = _FIRST_ELEMENT.search(head)
    found = _DOCTYPE.search(head, 0, start.start() if start else len(head))
    if found:
        raise ForeignXMLError(_DTD, head.count(b"\n", 0, found.start()) + 1)


def xml_text(text: str) -> tuple[str, bool]:
    """``text`` with every character XML 1.0 cannot hold replaced by U+FFFD, and whether
    any was (so the caller can warn at the item it came from)."""
    cleaned = NOT_XML.sub("\ufffd", text)
    return cleaned, cleaned != text
