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
from ..foreign_xml import ForeignXMLError, parse_xml
from .needs import parse_map
from .pages import (
    RESERVED_PAGES,
    SAFE_ROLES,
    OutputError,
    PageItem,
    add_output_arguments,
    escape_text,
    heading,
    item_directive,
    neutral_markup,
    one_line,
    option_name,
    plain_text,
    reserved_directives,
    rubric,
    safe_name,
    unique_name,
    write_files,
)
from .project_writer import ProjectDeclarations, project_files
from .reqif_export import (
    BODY_LINES_NAME,
    CHAPTER_NAME,
    CODE_NAME,
    DESCRIPTION_NAME,
    ID_NAME,
    OPTIONS_NAME,
    SECTION_TYPE,
    SIGNATURE_NAME,
    TEXT_NAME,
    TITLE_NAME,
    WRITTEN_TYPES,
)
from .xhtml import XhtmlReader, flat_text

REPORT = "import-report.txt"
#: The link type of relations whose SPEC-RELATION-TYPE the file does not declare.
GENERIC_LINK = "relates-to"
GENERIC_RELATION = "\0undeclared"
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
    try:
        root = parse_xml(data)  # the one reader of foreign XML: no DTD, entity or network
    except ForeignXMLError as exc:
        raise ReqifError(f"{path}:{exc.line}: {exc.message}") from None
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
    long_name: str = ""


@dataclass
class Reading:
    """Everything read from the file, and what could not be mapped."""

    path: Path
    objects: dict[str, SpecObject] = field(default_factory=dict)
    relations: list[tuple[str, str, str]] = field(default_factory=list)  # source, type, target
    #: SPEC-RELATIONs read, and those left out (an end not in the file).
    relation_count: int = 0
    #: Relation types the file does not declare: type reference → relations read with it.
    undeclared_relations: dict[str, int] = field(default_factory=dict)
    specifications: list[tuple[str, list[Any]]] = field(default_factory=list)
    #: The attributes of each SPECIFICATION (in the same order).
    specification_details: list[SpecObject] = field(default_factory=list)
    report: list[str] = field(default_factory=list)
    #: One line for standard output: counts in and out.
    summary: str = ""

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
    for spec_type in kids(spec_types, "SPEC-OBJECT-TYPE", "SPECIFICATION-TYPE"):
        if local(spec_type) == "SPEC-OBJECT-TYPE":
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
            element.get("IDENTIFIER", ""),
            types.get(type_ref or "", ""),
            element.sourceline or 0,
            long_name=element.get("LONG-NAME", ""),
        )
        if not spec_object.type_name:
            reading.note(element, f"its type {type_ref!r} is not declared; the object is left out")
            continue
        for value in kid(element, "VALUES") if kid(element, "VALUES") is not None else []:
            if isinstance(value.tag, str):
                read_value(reading, value, definitions, enums, spec_object)
        reading.objects[spec_object.identifier] = spec_object
    for element in kids(kid(content, "SPEC-RELATIONS"), "SPEC-RELATION"):
        reading.relation_count += 1
        source, target = ref_text(element, "SOURCE"), ref_text(element, "TARGET")
        type_ref = ref_text(element, "TYPE") or ""
        relation_type = relation_types.get(type_ref)
        if relation_type is None:
            # Kept as a generic link: dropping every relation of the type loses the trace.
            reading.undeclared_relations[type_ref] = (
                reading.undeclared_relations.get(type_ref, 0) + 1
            )
            relation_type = GENERIC_RELATION
        if source not in reading.objects or target not in reading.objects:
            missing = source if source not in reading.objects else target
            reading.note(
                element, f"it names the unknown SPEC-OBJECT {missing!r}; the link is left out"
            )
        else:
            reading.relations.append((source, relation_type, target))
    for type_ref, count in reading.undeclared_relations.items():
        reading.report.append(
            f"relation type {type_ref!r} is not declared in the file: its {count} relations "
            f"became {GENERIC_LINK!r} links"
        )
    for element in kids(kid(content, "SPECIFICATIONS"), "SPECIFICATION"):
        name = element.get("LONG-NAME") or element.get("IDENTIFIER", "Specification")
        reading.specifications.append((name, hierarchy(reading, kid(element, "CHILDREN"))))
        # The specification's own attributes (a DOORS module's, a description): its intro.
        details = SpecObject(element.get("IDENTIFIER", ""), "", element.sourceline or 0)
        for value in kid(element, "VALUES") if kid(element, "VALUES") is not None else []:
            if isinstance(value.tag, str):
                read_value(reading, value, definitions, enums, details)
        reading.specification_details.append(details)
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

#: Attribute long names tools use for a title, a heading and an ID (DOORS: ``Object Heading``,
#: Polarion and ReqIF Studio: ``ReqIF.ChapterName``; Jama: ``Name``; Capella: ``IE PUID``).
HEADING_NAMES = (CHAPTER_NAME, "Object Heading", "Heading", "ChapterName")
MORE_TITLE_NAMES = ("Object Heading", "Summary", "Subject", "Requirement Name", "Short Text")
MORE_TEXT_NAMES = ("Object Text", "Statement", "STATEMENT", "Body")
MAX_TITLE = 120
#: Object types that are chapters (Polarion's ``Heading``): a section title, its text below.
HEADING_TYPES = frozenset({"heading", "chapter", "section", "headline"})


def first_line(text: str) -> str:
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    if len(line) > MAX_TITLE:
        line = line[: MAX_TITLE - 1].rsplit(" ", 1)[0] + "…"
    return line


@dataclass
class Declarations:
    """What the written project must declare: item types with fields, link types, values."""

    item_types: dict[str, dict[str, Any]] = field(default_factory=dict)
    link_types: dict[str, dict[str, Any]] = field(default_factory=dict)
    statuses: list[str] = field(default_factory=list)
    priorities: list[str] = field(default_factory=list)


class Converter:
    """Spec objects to item directives, with the mapping the command line gives."""

    def __init__(
        self, reading: Reading, mapping: dict[str, str], fmt: str, package: Path | None = None
    ) -> None:
        from ..feature import all_features
        from ..schema import declared_types

        self.reading = reading
        self.mapping = mapping
        self.fmt = fmt
        self.xhtml = XhtmlReader(fmt, package)
        base_items, base_links = declared_types(all_features())
        self.base_types = {t.name: t for t in base_items}
        self.base_links = {link.name for link in base_links}
        self.reserved = reserved_directives() - set(self.base_types)
        self.roles = SAFE_ROLES | {t.role for t in base_items if t.role}
        self.declared = Declarations()
        self.type_names: dict[str, str] = {}
        self.counts = {"items": 0, "links": 0}
        self.heading_ids: set[str] = set()
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
            link = self.link_type(relation_type)
            self.links.setdefault(source, {}).setdefault(link, []).append(self.ids[target])
            self.counts["links"] += 1

    # -- names ------------------------------------------------------------------------------

    def link_type(self, relation_type: str) -> str:
        if relation_type == GENERIC_RELATION:
            name, label = GENERIC_LINK, "relates to"
        else:
            name = self.mapping.get(relation_type) or safe_name(relation_type, GENERIC_LINK)
            label = relation_type
        if name in self.base_links:
            return name
        if name in ("status", "priority", "tags", "id"):
            name = f"{name}-link"
        if name not in self.declared.link_types:
            reverse = "related from" if name == GENERIC_LINK else f"{label} (from)"
            self.declared.link_types[name] = {"name": name, "reverse": reverse, "label": label}
        return name

    def item_type(self, spec_object: SpecObject) -> str:
        original = spec_object.type_name
        if original in self.type_names:
            return self.type_names[original]
        name = self.mapping.get(original) or safe_name(original, "requirement")
        if name not in self.base_types and name != SECTION_TYPE and name in self.reserved:
            self.reading.report.append(
                f"SPEC-OBJECT-TYPE {original!r}: {name!r} is a directive already; "
                f"written as {name}-item"
            )
            name = f"{name}-item"
        self.type_names[original] = name
        return name

    def declare_type(self, spec_object: SpecObject) -> str:
        """The item type of an object that becomes an item, declared when the import made it."""
        name = self.item_type(spec_object)
        if name not in self.base_types and name != SECTION_TYPE:
            label = one_line(spec_object.type_name)[:80] or name
            self.declared.item_types.setdefault(name, {"name": name, "label": label, "fields": []})
        return name

    def field_option(self, item_type: str, attribute: str, kind: str) -> str | None:
        """The option an attribute becomes on ``item_type``; declared when the type is ours.

        ``None``: a type declared elsewhere (a built-in one) has no such field.
        """
        name = option_name(attribute) or safe_name(attribute, "")
        if not name:
            return None
        if name in self.base_links or name in self.declared.link_types or name == "id":
            name = f"{name}-value"
        if name in ("status", "priority", "tags"):
            return name
        declared = self.declared.item_types.get(item_type)
        if declared is None:
            base = self.base_types.get(item_type)
            known = {spec.name for spec in base.fields} if base is not None else set()
            return name if name in known else None
        if not any(entry["name"] == name for entry in declared["fields"]):
            entry = {"name": name, "label": one_line(attribute)[:80] or name}
            if kind == "flag":
                entry["kind"] = "flag"
            declared["fields"].append(entry)
        return name

    # -- reading values ---------------------------------------------------------------------

    def is_heading(self, spec_object: SpecObject) -> bool:
        """A chapter object: a ``section`` or ``Heading`` type, or a heading name alone."""
        if spec_object.type_name.strip().lower() in HEADING_TYPES and not self.mapping.get(
            spec_object.type_name
        ):
            return True
        if self.item_type(spec_object) == SECTION_TYPE:
            return True
        return bool(self.text(spec_object, HEADING_NAMES)) and not (
            self.text(spec_object, (*TEXT_NAMES, *MORE_TEXT_NAMES, *TITLE_NAMES))
        )

    def text(self, spec_object: SpecObject, names: tuple[str, ...]) -> str:
        for name in names:
            kind, value = spec_object.values.get(name, (None, None))
            if kind == "text" and str(value).strip():
                return str(value)
            if kind == "xhtml" and value is not None:
                text = flat_text(value)
                if text:
                    return text
        return ""

    def title(self, spec_object: SpecObject, item_id: str) -> tuple[str, str | None]:
        """The title, and the attribute it came from (that one is no option)."""
        for names in (TITLE_NAMES, MORE_TITLE_NAMES, HEADING_NAMES):
            for name in names:
                text = self.text(spec_object, (name,))
                if text:
                    return first_line(text), name
        if spec_object.long_name.strip():
            return first_line(spec_object.long_name), None
        body = self.text(spec_object, (*TEXT_NAMES, *MORE_TEXT_NAMES))
        return (first_line(body) or item_id), None

    def page_item(self, identifier: str) -> PageItem:
        spec_object = self.reading.objects[identifier]
        item_type = self.declare_type(spec_object)
        item_id = self.ids[identifier]
        title, title_name = self.title(spec_object, item_id)
        options: dict[str, str | None] = {}
        body_parts: list[str] = []
        extra_parts: list[str] = []
        # In the directive's own syntax, unless --map made it another type.
        written = SIGNATURE_NAME in spec_object.values and item_type in WRITTEN_TYPES
        if written:
            options.update(self.written_options(identifier, spec_object))
        text_name = self.text_attribute(spec_object, title_name)
        for name, (kind, value) in spec_object.values.items():
            if name in ID_NAMES or name == title_name or name in WRITTEN_NAMES:
                continue
            if name == CODE_NAME:
                continue  # derived from code markers: the sources say it, not the spec
            if written and name in TEXT_NAMES:
                continue  # the description and body lines below say it in the directive's syntax
            self.xhtml.where = f"{item_id} {name}"
            if name == text_name:
                body_parts.append(self.value_markup(kind, value))
                continue
            if name in TITLE_NAMES and name != title_name and not self.text(spec_object, (name,)):
                continue
            option = self.field_option(item_type, name, kind)
            flat = self.flat_value(kind, value)
            structured = kind == "xhtml" and not self.is_plain(value)
            multiline = kind == "text" and "\n" in str(value).strip()
            if option is None or structured or multiline:
                if option is None:
                    self.reading.report.append(
                        f"{item_id}: {item_type!r} has no field for attribute {name!r}: "
                        "its value is in the body"
                    )
                if kind == "flag":
                    flat = "true" if value else "false"
                part = (
                    self.value_markup(kind, value)
                    if kind != "flag"
                    else escape_text(flat, self.fmt)
                )
                if part.strip():
                    extra_parts.append(f"{rubric(name, self.fmt)}\n\n{part}")
                continue
            if kind == "flag":
                if value:
                    options[option] = None
            else:
                options[option] = flat
                self.note_vocabulary(option, flat)
        for link, targets in sorted(self.links.get(identifier, {}).items()):
            # In the file's order: an export lists each item's links as they were written.
            options[link] = ", ".join(dict.fromkeys(targets))
        argument = None
        if written:
            argument = self.text(spec_object, (SIGNATURE_NAME,))
            body_parts = [self.written_body(identifier, spec_object)]
        body = "\n\n".join(part.strip("\n") for part in (*body_parts, *extra_parts) if part.strip())
        self.counts["items"] += 1
        return PageItem(item_type, item_id, title, options, body, argument=argument)

    def note_vocabulary(self, option: str, value: str) -> None:
        from ..item_types import DEFAULT_PRIORITIES, DEFAULT_STATUSES

        for name, defaults, found in (
            ("status", DEFAULT_STATUSES, self.declared.statuses),
            ("priority", DEFAULT_PRIORITIES, self.declared.priorities),
        ):
            if option == name and value and value not in defaults and value not in found:
                found.append(value)

    def text_attribute(self, spec_object: SpecObject, title_name: str | None) -> str | None:
        """The body: the text attribute tools agree on, else the first XHTML attribute."""
        for name in (*TEXT_NAMES, *MORE_TEXT_NAMES):
            if self.text(spec_object, (name,)):
                return name
        for name in (*TEXT_NAMES, *MORE_TEXT_NAMES):
            if name in spec_object.values:
                return name  # empty: still the body, never an option
        return next(
            (
                name
                for name, (kind, _value) in spec_object.values.items()
                if kind == "xhtml"
                and name != title_name
                and name not in ID_NAMES
                and self.text(spec_object, (name,))
            ),
            None,
        )

    def flat_value(self, kind: str, value: Any) -> str:
        if kind == "xhtml":
            return flat_text(value)
        if kind == "flag":
            return ""
        return str(value)

    def is_plain(self, value: etree._Element | None) -> bool:
        """XHTML that is one line of text (``<div>Fire</div>``): an option value."""
        if value is None:
            return True
        elements = [e for e in value.iter() if e is not value and isinstance(e.tag, str)]
        return len(elements) <= 1 and all(
            local(e) in ("div", "p", "span") and not len(e) for e in elements
        )

    def value_markup(self, kind: str, value: Any) -> str:
        if kind == "xhtml":
            return self.xhtml.markup(value) if value is not None else ""
        return plain_text(str(value), self.fmt)

    def plain_text_body(self, text: str) -> str:
        """Plain text as text: markup in it (a ``.. raw::`` line, a role) is escaped."""
        return plain_text(text, self.fmt)

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
        """The description (XHTML as RST/MyST), then the body lines, their prose escaped."""
        kind, value = spec_object.values.get(DESCRIPTION_NAME, (None, None))
        if kind != "xhtml":
            kind, value = next(
                (spec_object.values[n] for n in TEXT_NAMES if n in spec_object.values),
                (None, None),
            )
        description = ""
        if kind == "xhtml":
            self.xhtml.where = f"{self.ids[identifier]} {DESCRIPTION_NAME}"
            description = self.xhtml.markup(value)
        elif kind == "text":
            description = plain_text(str(value), self.fmt)
        lines_kind, raw = spec_object.values.get(BODY_LINES_NAME, ("text", ""))
        lines, dropped = spec_lines_only(str(raw) if lines_kind == "text" else "")
        for line in dropped:
            self.reading.report.append(
                f"{identifier}: {BODY_LINES_NAME} line {line.strip()[:60]!r} is not a parameter, "
                "field or example line; left out"
            )
        lines = escaped_body_lines(lines, self.fmt, self.roles)
        return "\n\n".join(part.strip("\n") for part in (description, lines) if part.strip())

    # -- pages ------------------------------------------------------------------------------

    def page(
        self, title: str, tree: list[Any], placed: set[str], details: SpecObject | None = None
    ) -> str:
        parts = [heading(title, 0, self.fmt)]
        if details is not None and details.values:
            parts.append(self.introduction(details))
        self.add_entries(parts, tree, 1, placed)
        return "\n".join(parts)

    def introduction(self, details: SpecObject) -> str:
        """A specification's attributes: its text as paragraphs, the others as a list."""
        text_name = self.text_attribute(details, None)
        blocks: list[str] = []
        lines: list[str] = []
        for name, (kind, value) in details.values.items():
            self.xhtml.where = f"SPECIFICATION {details.identifier} {name}"
            if name == text_name:
                blocks.append(self.value_markup(kind, value))
            elif kind == "flag":
                lines.append(f"- {escape_text(f'{name}: {str(bool(value)).lower()}', self.fmt)}")
            elif self.flat_value(kind, value).strip():
                text = f"{name}: {self.flat_value(kind, value)}"
                lines.append(f"- {escape_text(text, self.fmt)}")
        if lines:
            blocks.append("\n".join(lines))
        return "\n\n".join(block for block in blocks if block.strip()) + "\n"

    def add_entries(self, parts: list[str], tree: list[Any], level: int, placed: set[str]) -> None:
        for identifier, children in tree:
            spec_object = self.reading.objects[identifier]
            if self.is_heading(spec_object):
                # A chapter object is a section title, its text (if any) below it.
                title = (
                    self.text(spec_object, HEADING_NAMES)
                    or self.text(spec_object, TITLE_NAMES)
                    or spec_object.long_name
                )
                parts.append(heading(first_line(title) or "Untitled", level, self.fmt))
                self.heading_ids.add(identifier)
                text_name = self.text_attribute(spec_object, None)
                if text_name is not None:
                    kind, value = spec_object.values[text_name]
                    self.xhtml.where = f"{identifier} {text_name}"
                    parts.append(self.value_markup(kind, value) + "\n")
                self.add_entries(parts, children, level + 1, placed)
                continue
            if identifier not in placed:
                placed.add(identifier)
                parts.append(item_directive(self.page_item(identifier), self.fmt))
            self.add_entries(parts, children, level, placed)


def escaped_body_lines(text: str, fmt: str, roles: frozenset[str] = SAFE_ROLES) -> str:
    """Spec lines with their prose (after `` -- `` and on continuation lines) as text.

    The description of a parameter or field is inline markup when the page is read: a
    foreign file's ``:download:`` role there would publish a local file.
    """
    out: list[str] = []
    in_example = False
    for line in text.splitlines():
        match = _BODY_LINE.match(line)
        if match is not None:
            in_example = match["key"] == "example"
            rest = match["rest"] or ""
            kind, separator, prose = rest.partition(" -- ")
            if separator:
                rest = f"{kind}{separator}{neutral_markup(prose, fmt, roles)}"
            out.append(f"{match['head']}{(' ' + rest) if rest else ''}")
        elif line.strip() and not in_example:
            indent = line[: len(line) - len(line.lstrip())]
            out.append(indent + neutral_markup(line.strip(), fmt, roles))
        else:
            out.append(line)
    return "\n".join(out)


_BODY_LINE = re.compile(r"(?P<head>\s*:(?P<key>[a-z]+)(?:\s+[^:]*?)?\s*:)(?:\s+(?P<rest>.*))?\Z")


def convert(
    reading: Reading, mapping: dict[str, str], fmt: str, package: Path | None = None
) -> dict[str, str | bytes]:
    """Every page, the conf.py that declares what they use, and copied images."""
    converter = Converter(reading, mapping, fmt, package)
    pages: dict[str, str] = {}
    placed: set[str] = set()
    taken: set[str] = set()
    for number, (title, tree) in enumerate(reading.specifications):
        if not tree:
            reading.report.append(f"SPECIFICATION {title!r} holds no objects: no page written")
            continue
        wanted = safe_name(title, "specification")
        stem = unique_name(wanted, taken, RESERVED_PAGES)
        if stem != wanted:
            reading.report.append(
                f"SPECIFICATION {title!r}: the page name {wanted!r} is taken: written as {stem!r}"
            )
        details = reading.specification_details[number]
        pages[stem] = converter.page(title, tree, placed, details)
    left = [(i, []) for i in reading.objects if i in converter.ids and i not in placed]
    if left:
        reading.report.append(f"{len(left)} objects are in no SPECIFICATION: see unplaced page")
        pages["unplaced"] = converter.page("Objects in no specification", left, placed)
    lost = [i for i in reading.objects if i not in converter.ids and i not in converter.heading_ids]
    if lost:
        reading.report.append(
            f"{len(lost)} heading objects are in no SPECIFICATION: they head nothing and are "
            f"left out ({', '.join(lost[:5])}{', ...' if len(lost) > 5 else ''})"
        )
    reading.report.extend(converter.xhtml.notes)
    declared = converter.declared
    declarations = ProjectDeclarations(
        item_types=list(declared.item_types.values()),
        link_types=list(declared.link_types.values()),
        statuses=declared.statuses,
        priorities=declared.priorities,
    )
    files: dict[str, str | bytes] = dict(
        project_files(fmt, reading.path.stem, pages, declarations, "import-reqif")
    )
    files.update(converter.xhtml.files)
    reading.summary = (
        f"{len(reading.objects)} objects: {converter.counts['items']} items, "
        f"{len(converter.heading_ids)} headings; {converter.counts['links']} of "
        f"{reading.relation_count} relations became links"
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
        files = convert(reading, mapping, args.format, args.reqif.parent)
    except ReqifError as exc:
        return fail(str(exc))
    except RecursionError:
        return fail(f"{args.reqif}: its XHTML is nested too deeply to convert; nothing was written")
    report = "\n".join(reading.report) or "Everything mapped."
    files[REPORT] = f"{reading.summary}\n\n{report}\n"
    try:
        write_files(args.out, files)
    except OutputError as exc:
        return fail(str(exc))
    pages = sum(1 for name in files if name.endswith((".rst", ".md")))
    print(f"{reading.summary}.")
    notes = len(reading.report)
    print(
        f"Wrote {pages} pages, conf.py and {REPORT} to {args.out}"
        + (f" ({notes} notes in {REPORT})." if notes else " (everything mapped).")
    )
    return 0
