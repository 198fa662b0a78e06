"""``sphinx-techspec import-reqif FILE.reqif --out DIR``: ReqIF to spec pages.

One page per SPECIFICATION (its SPEC-HIERARCHY as sections and items), one
item directive per SPEC-OBJECT, links from SPEC-RELATIONs, XHTML as RST or
MyST. What cannot be mapped (unknown datatypes, dangling relations, IDs that
had to change) goes into ``import-report.txt``. The XML is parsed with lxml
without a DTD, entities or network access, and a file with a DOCTYPE is refused:
ReqIF never needs one, and entity tricks (billion laughs) are the usual attack.
"""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from ..cli_errors import fail
from ..design.written import spec_lines_only
from .needs import parse_map
from .pages import (
    OutputError,
    PageItem,
    add_output_arguments,
    escape_line_start,
    escape_text,
    heading,
    option_name,
    page_file,
    toctree,
    write_files,
)
from .reqif_export import (
    BODY_LINES_NAME,
    CHAPTER_NAME,
    DESCRIPTION_NAME,
    ID_NAME,
    OPTIONS_NAME,
    SECTION_TYPE,
    SIGNATURE_NAME,
    TEXT_NAME,
    TITLE_NAME,
    WRITTEN_TYPES,
)
from .xhtml import xhtml_to_markup

REPORT = "import-report.txt"
MAX_BYTES = 500 * 1024 * 1024
ID_NAMES = (ID_NAME, "ID", "id", "Id", "ReqIF.ID", "UID")
TITLE_NAMES = (TITLE_NAME, "Title", "title", "Name", "name")
TEXT_NAMES = (TEXT_NAME, "Text", "text", "Description", "description", "ReqIF.Description")
VALUE_KINDS = ("STRING", "INTEGER", "REAL", "DATE", "BOOLEAN", "ENUMERATION", "XHTML")
_ID_CHARS = re.compile(r"[^A-Za-z0-9_.-]+")
#: The attributes of a design item's own directive syntax (see ``reqif_export``).
WRITTEN_NAMES = (SIGNATURE_NAME, OPTIONS_NAME, BODY_LINES_NAME, DESCRIPTION_NAME)
_OPTION_LINE = re.compile(r":(?P<name>[A-Za-z][A-Za-z0-9_-]*):(?:\s+(?P<value>.*))?\Z")


class ReqifError(Exception):
    """A file that cannot be read as ReqIF at all (the message names file and element)."""


def parse_reqif(path: Path) -> etree._Element:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ReqifError(f"{path}: {size} bytes is more than the {MAX_BYTES} read")
        data = path.read_bytes()
    except OSError as exc:
        raise ReqifError(f"{path}: {exc.strerror or exc}") from None
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
        tree = etree.fromstring(data, parser).getroottree()
    except etree.XMLSyntaxError as exc:
        raise ReqifError(f"{path}:{exc.lineno or 1}: not well-formed XML ({exc.msg})") from None
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise ReqifError(f"{path}: a DOCTYPE is not allowed in ReqIF (entities are refused)")
    root = tree.getroot()
    if local(root) != "REQ-IF":
        raise ReqifError(
            f"{path}:{root.sourceline}: the root element is <{local(root)}>, not <REQ-IF>"
        )
    return root


def local(element: Any) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def kids(element: etree._Element | None, *names: str) -> list[etree._Element]:
    if element is None:
        return []
    return [child for child in element if local(child) in names]


def kid(element: etree._Element | None, *names: str) -> etree._Element | None:
    found = kids(element, *names)
    return found[0] if found else None


def ref_text(element: etree._Element | None, wrapper: str) -> str | None:
    holder = kid(element, wrapper)
    target = next(iter(holder), None) if holder is not None else None
    return (target.text or "").strip() if target is not None else None


@dataclass
class SpecObject:
    identifier: str
    type_name: str
    line: int
    values: dict[str, Any] = field(default_factory=dict)


@dataclass
class Reading:
    """Everything read from the file, and what could not be mapped."""

    path: Path
    objects: dict[str, SpecObject] = field(default_factory=dict)
    relations: list[tuple[str, str, str]] = field(default_factory=list)  # source, type, target
    specifications: list[tuple[str, list[Any]]] = field(default_factory=list)
    report: list[str] = field(default_factory=list)

    def note(self, element: etree._Element, message: str) -> None:
        self.report.append(f"{self.path}:{element.sourceline}: <{local(element)}>: {message}")


def read_reqif(path: Path) -> Reading:
    root = parse_reqif(path)
    reading = Reading(path)
    content = kid(kid(root, "CORE-CONTENT"), "REQ-IF-CONTENT")
    if content is None:
        raise ReqifError(f"{path}:{root.sourceline}: <REQ-IF> has no CORE-CONTENT/REQ-IF-CONTENT")
    enums: dict[str, str] = {}
    for datatype in kids(
        kid(content, "DATATYPES"), *(f"DATATYPE-DEFINITION-{k}" for k in VALUE_KINDS)
    ):
        for value in datatype.iter():
            if local(value) == "ENUM-VALUE":
                enums[value.get("IDENTIFIER", "")] = value.get("LONG-NAME") or value.get(
                    "IDENTIFIER", ""
                )
    definitions: dict[str, str] = {}
    types: dict[str, str] = {}
    relation_types: dict[str, str] = {}
    spec_types = kid(content, "SPEC-TYPES")
    for spec_type in kids(spec_types, "SPEC-OBJECT-TYPE"):
        types[spec_type.get("IDENTIFIER", "")] = spec_type.get("LONG-NAME") or spec_type.get(
            "IDENTIFIER", ""
        )
        for definition in (
            kid(spec_type, "SPEC-ATTRIBUTES")
            if kid(spec_type, "SPEC-ATTRIBUTES") is not None
            else []
        ):
            if not isinstance(definition.tag, str):
                continue
            definitions[definition.get("IDENTIFIER", "")] = definition.get(
                "LONG-NAME"
            ) or definition.get("IDENTIFIER", "")
    for relation_type in kids(spec_types, "SPEC-RELATION-TYPE"):
        relation_types[relation_type.get("IDENTIFIER", "")] = relation_type.get(
            "LONG-NAME"
        ) or relation_type.get("IDENTIFIER", "")
    for element in kids(kid(content, "SPEC-OBJECTS"), "SPEC-OBJECT"):
        type_ref = ref_text(element, "TYPE")
        spec_object = SpecObject(
            element.get("IDENTIFIER", ""), types.get(type_ref or "", ""), element.sourceline or 0
        )
        if not spec_object.type_name:
            reading.note(element, f"its type {type_ref!r} is not declared; the object is left out")
            continue
        for value in kid(element, "VALUES") if kid(element, "VALUES") is not None else []:
            if isinstance(value.tag, str):
                read_value(reading, value, definitions, enums, spec_object)
        reading.objects[spec_object.identifier] = spec_object
    for element in kids(kid(content, "SPEC-RELATIONS"), "SPEC-RELATION"):
        source, target = ref_text(element, "SOURCE"), ref_text(element, "TARGET")
        relation_type = relation_types.get(ref_text(element, "TYPE") or "")
        if relation_type is None:
            reading.note(element, "its relation type is not declared; the link is left out")
        elif source not in reading.objects or target not in reading.objects:
            missing = source if source not in reading.objects else target
            reading.note(
                element, f"it names the unknown SPEC-OBJECT {missing!r}; the link is left out"
            )
        else:
            reading.relations.append((source, relation_type, target))
    for element in kids(kid(content, "SPECIFICATIONS"), "SPECIFICATION"):
        name = element.get("LONG-NAME") or element.get("IDENTIFIER", "Specification")
        reading.specifications.append((name, hierarchy(reading, kid(element, "CHILDREN"))))
    return reading


def read_value(
    reading: Reading,
    value: etree._Element,
    definitions: dict[str, str],
    enums: dict[str, str],
    spec_object: SpecObject,
) -> None:
    tag = local(value)
    kind = tag.removeprefix("ATTRIBUTE-VALUE-")
    if not tag.startswith("ATTRIBUTE-VALUE-") or kind not in VALUE_KINDS:
        reading.note(value, "unknown datatype; the value is left out")
        return
    definition = ref_text(value, "DEFINITION")
    name = definitions.get(definition or "")
    if name is None:
        reading.note(value, f"its attribute definition {definition!r} is not declared; left out")
        return
    if kind == "XHTML":
        holder = kid(value, "THE-VALUE")
        spec_object.values[name] = ("xhtml", holder)
    elif kind == "ENUMERATION":
        refs = kid(value, "VALUES")
        names = (
            [
                enums.get((r.text or "").strip(), (r.text or "").strip())
                for r in refs
                if isinstance(r.tag, str)
            ]
            if refs is not None
            else []
        )
        spec_object.values[name] = ("text", ", ".join(n for n in names if n))
    elif kind == "BOOLEAN":
        spec_object.values[name] = (
            "flag",
            value.get("THE-VALUE", "").strip().lower() in ("true", "1"),
        )
    else:
        spec_object.values[name] = ("text", value.get("THE-VALUE", ""))


def hierarchy(reading: Reading, children: etree._Element | None, depth: int = 0) -> list[Any]:
    """``[(object identifier, [children])]`` of a CHILDREN element."""
    if depth > 50:
        reading.note(
            children, "the hierarchy is nested more than 50 levels; deeper levels are flattened"
        )
        return []
    found = []
    for node in kids(children, "SPEC-HIERARCHY"):
        target = ref_text(node, "OBJECT")
        if target not in reading.objects:
            reading.note(node, f"it names the unknown SPEC-OBJECT {target!r}; left out")
            continue
        found.append((target, hierarchy(reading, kid(node, "CHILDREN"), depth + 1)))
    return found


# -- pages -----------------------------------------------------------------------------------


class Converter:
    """Spec objects to item directives, with the mapping the command line gives."""

    def __init__(self, reading: Reading, mapping: dict[str, str], fmt: str) -> None:
        self.reading = reading
        self.mapping = mapping
        self.fmt = fmt
        self.ids: dict[str, str] = {}
        taken: set[str] = set()
        for identifier, spec_object in reading.objects.items():
            if self.is_heading(spec_object):
                continue
            raw = self.text(spec_object, ID_NAMES) or identifier
            item_id = _ID_CHARS.sub("-", raw.strip()).strip("-") or "ITEM"
            if item_id in taken:
                item_id = f"{item_id}-{len(taken)}"
            if item_id != raw:
                reading.report.append(f"{identifier}: ID {raw!r} became {item_id!r}")
            taken.add(item_id)
            self.ids[identifier] = item_id
        self.links: dict[str, dict[str, list[str]]] = {}
        for source, relation_type, target in reading.relations:
            if source not in self.ids or target not in self.ids:
                reading.report.append(f"a {relation_type!r} link from or to a heading is left out")
                continue
            link = self.mapping.get(relation_type) or option_name(relation_type) or "links"
            self.links.setdefault(source, {}).setdefault(link, []).append(self.ids[target])

    def item_type(self, spec_object: SpecObject) -> str:
        return (
            self.mapping.get(spec_object.type_name)
            or option_name(spec_object.type_name)
            or "requirement"
        )

    def is_heading(self, spec_object: SpecObject) -> bool:
        if self.item_type(spec_object) == SECTION_TYPE:
            return True
        names = spec_object.values.keys()
        return CHAPTER_NAME in names and not any(n in names for n in (*ID_NAMES, *TITLE_NAMES))

    def text(self, spec_object: SpecObject, names: tuple[str, ...]) -> str:
        for name in names:
            kind, value = spec_object.values.get(name, (None, None))
            if kind == "text":
                return str(value)
            if kind == "xhtml" and value is not None:
                return " ".join("".join(value.itertext()).split())
        return ""

    def page_item(self, identifier: str) -> PageItem:
        spec_object = self.reading.objects[identifier]
        options: dict[str, str | None] = {}
        body = ""
        # In the directive's own syntax, unless --map made it another type.
        written = (
            SIGNATURE_NAME in spec_object.values and self.item_type(spec_object) in WRITTEN_TYPES
        )
        if written:
            options.update(self.written_options(identifier, spec_object))
        for name, (kind, value) in spec_object.values.items():
            if name in ID_NAMES or name in TITLE_NAMES or name in WRITTEN_NAMES:
                continue
            if written and name in TEXT_NAMES:
                continue  # the description and body lines below say it in the directive's syntax
            if name in TEXT_NAMES:
                body = (
                    xhtml_to_markup(value, self.fmt)
                    if kind == "xhtml"
                    else self.plain_text_body(str(value))
                )
                continue
            option = option_name(name)
            if option is None:
                self.reading.report.append(
                    f"{identifier}: attribute {name!r} has no usable name; left out"
                )
                continue
            if kind == "flag":
                if value:
                    options[option] = None
            elif kind == "xhtml":
                options[option] = (
                    " ".join("".join(value.itertext()).split()) if value is not None else ""
                )
            else:
                options[option] = str(value)
        for link, targets in sorted(self.links.get(identifier, {}).items()):
            # In the file's order: an export lists each item's links as they were written.
            options[link] = ", ".join(dict.fromkeys(targets))
        argument = None
        if written:
            argument = self.text(spec_object, (SIGNATURE_NAME,))
            body = self.written_body(identifier, spec_object)
        return PageItem(
            self.item_type(spec_object),
            self.ids[identifier],
            self.text(spec_object, TITLE_NAMES),
            options,
            body,
            argument=argument,
        )

    def plain_text_body(self, text: str) -> str:
        """Plain text as text: markup in it (a ``.. raw::`` line, a role) is escaped."""
        return "\n".join(
            escape_line_start(escape_text(line, self.fmt), self.fmt) if line.strip() else ""
            for line in text.splitlines()
        )

    def written_options(self, identifier: str, spec_object: SpecObject) -> dict[str, str | None]:
        """``techspec.Options``: one ``:name: value`` line per option of the directive."""
        kind, value = spec_object.values.get(OPTIONS_NAME, ("text", ""))
        options: dict[str, str | None] = {}
        for line in str(value if kind == "text" else "").splitlines():
            match = _OPTION_LINE.match(line.strip())
            if match is None:
                if line.strip():
                    self.reading.report.append(
                        f"{identifier}: {OPTIONS_NAME} line {line.strip()[:60]!r} is not "
                        "':name: value'; left out"
                    )
                continue
            options[match["name"]] = match["value"]
        if "id" in options:
            options["id"] = self.ids[identifier]  # the ID as the import may have changed it
        return options

    def written_body(self, identifier: str, spec_object: SpecObject) -> str:
        """The description (XHTML as RST/MyST), then the body lines as they were."""
        kind, value = spec_object.values.get(DESCRIPTION_NAME, (None, None))
        if kind != "xhtml":
            kind, value = next(
                (spec_object.values[n] for n in TEXT_NAMES if n in spec_object.values),
                (None, None),
            )
        description = ""
        if kind == "xhtml":
            description = xhtml_to_markup(value, self.fmt)
        elif kind == "text":
            description = "\n".join(
                escape_line_start(escape_text(line, self.fmt), self.fmt) if line.strip() else ""
                for line in str(value).splitlines()
            )
        lines_kind, raw = spec_object.values.get(BODY_LINES_NAME, ("text", ""))
        lines, dropped = spec_lines_only(str(raw) if lines_kind == "text" else "")
        for line in dropped:
            self.reading.report.append(
                f"{identifier}: {BODY_LINES_NAME} line {line.strip()[:60]!r} is not a parameter, "
                "field or example line; left out"
            )
        return "\n\n".join(part.strip("\n") for part in (description, lines) if part.strip())

    def page(self, title: str, tree: list[Any], placed: set[str]) -> str:
        parts = [heading(title, 0, self.fmt)]
        self.add_entries(parts, tree, 1, placed)
        return "\n".join(parts)

    def add_entries(self, parts: list[str], tree: list[Any], level: int, placed: set[str]) -> None:
        from .pages import item_directive

        for identifier, children in tree:
            spec_object = self.reading.objects[identifier]
            if self.is_heading(spec_object):
                parts.append(
                    heading(self.text(spec_object, (CHAPTER_NAME, *TITLE_NAMES)), level, self.fmt)
                )
                self.add_entries(parts, children, level + 1, placed)
                continue
            if identifier not in placed:
                placed.add(identifier)
                parts.append(item_directive(self.page_item(identifier), self.fmt))
            self.add_entries(parts, children, level, placed)


def convert(reading: Reading, mapping: dict[str, str], fmt: str) -> dict[str, str]:
    converter = Converter(reading, mapping, fmt)
    files: dict[str, str] = {}
    placed: set[str] = set()
    stems: list[str] = []
    for title, tree in reading.specifications:
        if not tree:
            reading.report.append(f"SPECIFICATION {title!r} holds no objects: no page written")
            continue
        stem = option_name(title) or "specification"
        while stem in stems:
            stem = f"{stem}-{len(stems)}"
        stems.append(stem)
        files[page_file(stem, fmt)] = converter.page(title, tree, placed)
    left = [(i, []) for i in reading.objects if i in converter.ids and i not in placed]
    if left:
        reading.report.append(f"{len(left)} objects are in no SPECIFICATION: see unplaced page")
        stems.append("unplaced")
        files[page_file("unplaced", fmt)] = converter.page(
            "Objects in no specification", left, placed
        )
    if "index" not in stems:
        files[page_file("index", fmt)] = (
            heading(reading.path.stem, 0, fmt) + "\n" + toctree(stems, fmt)
        )
    return files


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("reqif", metavar="FILE.reqif", type=Path, help="a ReqIF 1.x file")
    add_output_arguments(
        parser,
        "TYPE=ITEM-TYPE",
        "map a SPEC-OBJECT-TYPE (or SPEC-RELATION-TYPE) long name to an item (link) type",
    )


def run(args: argparse.Namespace) -> int:
    mapping, bad = parse_map(args.map)
    if bad:
        return fail(f"--map {bad[0]!r} is not TYPE=ITEM-TYPE")
    try:
        reading = read_reqif(args.reqif)
        files = convert(reading, mapping, args.format)
    except ReqifError as exc:
        return fail(str(exc))
    except RecursionError:
        return fail(f"{args.reqif}: its XHTML is nested too deeply to convert; nothing was written")
    report = "\n".join(reading.report) or "Everything mapped."
    files[REPORT] = report + "\n"
    try:
        write_files(args.out, files)
    except OutputError as exc:
        return fail(str(exc))
    print(report)
    print(f"Wrote {len(files) - 1} pages and {REPORT} to {args.out}.")
    return 0
