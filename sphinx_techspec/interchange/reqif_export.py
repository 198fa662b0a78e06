"""``spec.reqif``: every item as ReqIF 1.2, for DOORS, Polarion, Jama, Capella, StrictDoc.

One SPEC-OBJECT-TYPE per item type (``ReqIF.ForeignID``, ``ReqIF.Name``,
``ReqIF.Text`` as XHTML, then every field), one SPEC-RELATION-TYPE per link
type, one SPECIFICATION per document in toctree order whose hierarchy follows
the page's sections (a heading is a ``section`` object with
``ReqIF.ChapterName``). The body of each item is turned into XHTML when its
page is read (:data:`REQIF_STORE`), so the export does not re-read doctrees.
The XML is built with lxml: every value is escaped by the serialiser, and
characters XML cannot hold are replaced by U+FFFD (``techspec.reqif_text`` names the item).

Reproducible: no time comes from the clock. Every ``LAST-CHANGE`` is when the page
(for types: ``conf.py``) last changed, see :mod:`.change_times`: ``SOURCE_DATE_EPOCH``,
else the last commit touching the file, else its modification time; every object of
a page shares the page's time. ``CREATION-TIME`` is ``SOURCE_DATE_EPOCH`` or the
latest ``LAST-CHANGE``. Two builds of the same sources give the same bytes, and
``-j N`` gives what ``-j 1`` gives. The automatic test items made from test results
are exported like written ones, under their page.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from pathlib import Path
from typing import Any

from docutils import nodes
from lxml import etree
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from ..design.written import GENERATED_CLASSES, WrittenForm, written_form
from ..diagnostics import warn
from ..domain import TechspecDomain
from ..feature import Store
from ..foreign_xml import NOT_XML, xml_text
from ..model import Item, natural_key
from ..nodes import ItemLinks, Placeholder
from .change_times import last_changes, source_date_epoch
from .xhtml import XHTML, body_to_xhtml

REQIF = "http://www.omg.org/spec/ReqIF/20110401/reqif.xsd"
_R = f"{{{REQIF}}}"
STORE = "reqif_outlines"
FILE = "spec.reqif"
#: The key of conf.py among the files whose times are asked (no docname can be it).
CONF_KEY = "\0conf.py"

#: Attribute long names other ReqIF tools know (StrictDoc, ProR, DOORS' ReqIF export).
ID_NAME, TITLE_NAME, TEXT_NAME, CHAPTER_NAME = (
    "ReqIF.ForeignID",
    "ReqIF.Name",
    "ReqIF.Text",
    "ReqIF.ChapterName",
)
SECTION_TYPE = "section"
#: A design item's directive as written (see :mod:`..design.written`): its argument,
#: its own options as ``:name: value`` lines, its body lines, its description alone.
SIGNATURE_NAME, OPTIONS_NAME, BODY_LINES_NAME, DESCRIPTION_NAME = (
    "techspec.Signature",
    "techspec.Options",
    "techspec.BodyLines",
    "techspec.Description",
)
#: Item types whose directive is written back from these attributes.
WRITTEN_TYPES = ("api-endpoint", "data-model")
#: The code references of an item (code traceability): ``path:line symbol (link type)``
#: lines, derived from the code markers, so an import leaves them out.
CODE_NAME = "techspec.Code"

# -- collecting bodies and outlines while reading ------------------------------------------

#: An outline entry: ("item", anchor) or ("section", title, [entries]).
Outline = list[tuple[Any, ...]]


def collect_outline(app: Sphinx, docname: str, doctree: nodes.document) -> Any:
    """A page's part of the store: its outline and its items' bodies as XHTML.

    Only when ``techspec_export_reqif`` is on (changing it re-reads every page).
    """
    if not app.config.techspec_export_reqif:
        return None
    bodies: dict[str, str] = {}
    outline = outline_of(doctree, bodies)
    return (outline, bodies)


#: Per page: the section outline with the items in it, and each item's body as XHTML;
#: only the export reads it, so no page is rewritten when it changes.
REQIF_STORE = Store(STORE, collect=collect_outline)


def description_key(anchor: str) -> str:
    """Where ``bodies`` holds a design item's description alone (no anchor has a NUL)."""
    return f"{anchor}\0description"


def outline_of(node: nodes.Element, bodies: dict[str, str]) -> Outline:
    entries: Outline = []
    for child in node.children:
        if isinstance(child, nodes.section):
            title = child.next_node(nodes.title)
            inner = outline_of(child, bodies)
            if inner:  # a section without items says nothing in ReqIF
                entries.append(("section", title.astext() if title else "", inner))
        elif isinstance(child, nodes.container) and "techspec-item" in child["classes"]:
            anchor = item_body(child, bodies)
            if anchor:
                entries.append(("item", anchor))
            entries.extend(outline_of(child, bodies))  # sections inside an item's body
        elif isinstance(child, nodes.Element) and not isinstance(child, nodes.title):
            entries.extend(outline_of(child, bodies))
    return entries


def item_body(container: nodes.container, bodies: dict[str, str]) -> str | None:
    """The item's anchor; its body (what follows the links placeholder) goes in ``bodies``."""
    links = next((c for c in container.children if isinstance(c, ItemLinks)), None)
    if links is None:
        return None
    anchor = links["anchor"]
    body = [
        n
        for n in container.children[container.index(links) + 1 :]
        if not isinstance(n, nodes.section)
    ]
    bodies[anchor] = body_to_xhtml(body)
    description = [n for n in body if not generated(n)]
    if len(description) != len(body):
        bodies[description_key(anchor)] = body_to_xhtml(description)
    return anchor


def generated(node: nodes.Node) -> bool:
    """A table, example or placeholder a design directive adds after its description."""
    if isinstance(node, Placeholder):
        return True
    if not isinstance(node, nodes.Element):
        return False
    if GENERATED_CLASSES.intersection(node["classes"]):
        return True
    return "techspec-table-scroll" in node["classes"] and any(
        GENERATED_CLASSES.intersection(child["classes"])
        for child in node.children
        if isinstance(child, nodes.Element)
    )


# -- building the file -----------------------------------------------------------------------


_X_DIV, _X_P = f"{{{XHTML}}}div", f"{{{XHTML}}}p"
_NOT_NCNAME = re.compile(r"[^A-Za-z0-9._-]")


def identifier(prefix: str, *parts: str) -> str:
    """A stable XML ID (NCName) from names; a hash keeps cleaned names apart."""
    raw = "-".join(parts)
    cleaned = _NOT_NCNAME.sub("_", raw)
    if cleaned != raw or len(cleaned) > 80:
        cleaned = (
            f"{cleaned[:60]}-{hashlib.sha1(raw.encode('utf-8', 'surrogatepass')).hexdigest()[:10]}"
        )
    return f"{prefix}-{cleaned}"


def toctree_order(env: BuildEnvironment) -> list[str]:
    """Documents depth-first from the root document, then the others by name."""
    seen: list[str] = []
    stack = [env.config.root_doc]
    visited: set[str] = set()
    while stack:
        docname = stack.pop()
        if docname in visited or docname not in env.all_docs:
            continue
        visited.add(docname)
        seen.append(docname)
        stack.extend(reversed(env.toctree_includes.get(docname, [])))
    return seen + sorted(set(env.all_docs) - visited, key=natural_key)


def format_time(seconds: int) -> str:
    moment = datetime.datetime.fromtimestamp(seconds, datetime.UTC)
    return moment.isoformat().replace("+00:00", "Z")


def text_of(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def sub(parent: etree._Element, tag: str, text: str | None = None, **attributes: str) -> Any:
    element = etree.SubElement(
        parent, _R + tag, {k.replace("_", "-"): xml_text(v)[0] for k, v in attributes.items()}
    )
    if text is not None:
        element.text = xml_text(text)[0]
    return element


def ref(parent: etree._Element, wrapper: str, tag: str, target: str) -> None:
    sub(sub(parent, wrapper), tag, target)


class ReqifBuilder:
    """Builds the ReqIF tree from the domain and the collected outlines."""

    def __init__(self, app: Sphinx, domain: TechspecDomain) -> None:
        self.app = app
        self.domain = domain
        self.schema = domain.schema
        store = domain.store(STORE).parts
        self.documents = [(d, store[d]) for d in toctree_order(app.env) if d in store]
        self.items = {
            (item.docname, item.anchor): item
            for item in domain.items.values()
            if getattr(item, "external_url", None) is None
        }
        files = {docname: Path(app.env.doc2path(docname)) for docname, _ in self.documents}
        #: Types and datatypes are declared in conf.py: they change when it does.
        files[CONF_KEY] = Path(app.confdir or app.srcdir) / "conf.py"
        times = last_changes(Path(app.srcdir), files)
        self.page_times = {key: format_time(seconds) for key, seconds in times.items()}
        self.now = self.page_times[CONF_KEY]
        self.stamps = {
            item.id: self.page_times.get(item.docname, self.now) for item in self.items.values()
        }
        self.code = code_lines(domain)
        self.code_types = {item.type for i in self.code if (item := domain.get(i)) is not None}
        epoch = source_date_epoch()
        self.created = format_time(epoch if epoch is not None else max(times.values()))

    def build(self) -> bytes:
        root = etree.Element(_R + "REQ-IF", nsmap={None: REQIF, "xhtml": XHTML})
        header = sub(sub(root, "THE-HEADER"), "REQ-IF-HEADER", IDENTIFIER="header")
        sub(header, "CREATION-TIME", self.created)
        sub(header, "REQ-IF-TOOL-ID", "sphinx-techspec")
        sub(header, "REQ-IF-VERSION", "1.0")
        sub(header, "SOURCE-TOOL-ID", "sphinx-techspec")
        sub(header, "TITLE", str(self.app.config.project))
        content = sub(sub(root, "CORE-CONTENT"), "REQ-IF-CONTENT")
        self.datatypes(sub(content, "DATATYPES"))
        self.spec_types(sub(content, "SPEC-TYPES"))
        objects = sub(content, "SPEC-OBJECTS")
        relations = sub(content, "SPEC-RELATIONS")
        specifications = sub(content, "SPECIFICATIONS")
        exported: list[Item] = []
        hierarchies: dict[str, tuple[etree._Element, etree._Element, list[int]]] = {}
        for docname, (outline, bodies) in self.documents:
            specification = sub(
                specifications,
                "SPECIFICATION",
                IDENTIFIER=identifier("SPEC", docname),
                LAST_CHANGE=self.page_times[docname],
                LONG_NAME=self.document_title(docname, outline),
            )
            sub_outline = (
                outline[0][2] if len(outline) == 1 and outline[0][0] == "section" else outline
            )
            children = sub(specification, "CHILDREN")
            counter = [0]
            self.hierarchy(children, objects, docname, sub_outline, bodies, exported, counter)
            ref(specification, "TYPE", "SPECIFICATION-TYPE-REF", "ST-document")
            hierarchies[docname] = (specification, children, counter)
        self.automatic_items(objects, hierarchies, exported)
        for specification, children, _counter in hierarchies.values():
            if not len(children):
                specification.remove(children)
        self.relations(relations, exported)
        for element in (objects, relations, specifications):
            if not len(element):
                content.remove(element)
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)

    def automatic_items(
        self,
        objects: etree._Element,
        hierarchies: dict[str, tuple[etree._Element, etree._Element, list[int]]],
        exported: list[Item],
    ) -> None:
        """Items no page outline holds (test items made from test results), under their page."""
        done = {id(item) for item in exported}
        left = sorted(
            (item for item in self.items.values() if id(item) not in done),
            key=lambda item: natural_key(item.id),
        )
        for item in left:
            if item.docname not in hierarchies:
                continue
            _specification, children, counter = hierarchies[item.docname]
            counter[0] += 1
            body = etree.Element(_X_DIV, nsmap={"xhtml": XHTML})
            if item.text.strip():
                etree.SubElement(body, _X_P).text = xml_text(item.text)[0]
            object_id = self.spec_object(objects, item, etree.tostring(body, encoding="unicode"))
            exported.append(item)
            node = sub(
                children,
                "SPEC-HIERARCHY",
                IDENTIFIER=identifier("SH", item.docname, str(counter[0])),
                LAST_CHANGE=self.stamps[item.id],
            )
            ref(node, "OBJECT", "SPEC-OBJECT-REF", object_id)

    def document_title(self, docname: str, outline: Outline) -> str:
        title = self.app.env.titles.get(docname)
        return title.astext() if title is not None else docname

    def datatypes(self, parent: etree._Element) -> None:
        sub(
            parent,
            "DATATYPE-DEFINITION-STRING",
            IDENTIFIER="DT-string",
            LAST_CHANGE=self.now,
            LONG_NAME="String",
            MAX_LENGTH="1000000",
        )
        sub(
            parent,
            "DATATYPE-DEFINITION-XHTML",
            IDENTIFIER="DT-xhtml",
            LAST_CHANGE=self.now,
            LONG_NAME="XHTML",
        )
        sub(
            parent,
            "DATATYPE-DEFINITION-BOOLEAN",
            IDENTIFIER="DT-boolean",
            LAST_CHANGE=self.now,
            LONG_NAME="Boolean",
        )

    def attribute(self, parent: etree._Element, kind: str, type_name: str, long_name: str) -> None:
        definition = sub(
            parent,
            f"ATTRIBUTE-DEFINITION-{kind}",
            IDENTIFIER=identifier("AD", type_name, long_name),
            LAST_CHANGE=self.now,
            LONG_NAME=long_name,
        )
        ref(definition, "TYPE", f"DATATYPE-DEFINITION-{kind}-REF", f"DT-{kind.lower()}")

    def spec_types(self, parent: etree._Element) -> None:
        for name, item_type in self.schema.item_types.items():
            spec_type = sub(
                parent,
                "SPEC-OBJECT-TYPE",
                IDENTIFIER=identifier("SOT", name),
                LAST_CHANGE=self.now,
                LONG_NAME=name,
            )
            attributes = sub(spec_type, "SPEC-ATTRIBUTES")
            self.attribute(attributes, "STRING", name, ID_NAME)
            self.attribute(attributes, "STRING", name, TITLE_NAME)
            self.attribute(attributes, "XHTML", name, TEXT_NAME)
            for spec in self.schema.fields_of(item_type):
                kind = "BOOLEAN" if spec.kind == "flag" else "STRING"
                self.attribute(attributes, kind, name, spec.name)
            if name in self.code_types:
                self.attribute(attributes, "STRING", name, CODE_NAME)
            if name in WRITTEN_TYPES:
                for long_name in (SIGNATURE_NAME, OPTIONS_NAME, BODY_LINES_NAME):
                    self.attribute(attributes, "STRING", name, long_name)
                self.attribute(attributes, "XHTML", name, DESCRIPTION_NAME)
        section = sub(
            parent,
            "SPEC-OBJECT-TYPE",
            IDENTIFIER=identifier("SOT", SECTION_TYPE),
            LAST_CHANGE=self.now,
            LONG_NAME=SECTION_TYPE,
        )
        self.attribute(sub(section, "SPEC-ATTRIBUTES"), "STRING", SECTION_TYPE, CHAPTER_NAME)
        for name in self.schema.link_types:
            sub(
                parent,
                "SPEC-RELATION-TYPE",
                IDENTIFIER=identifier("SRT", name),
                LAST_CHANGE=self.now,
                LONG_NAME=name,
            )
        sub(
            parent,
            "SPECIFICATION-TYPE",
            IDENTIFIER="ST-document",
            LAST_CHANGE=self.now,
            LONG_NAME="document",
        )

    def value(
        self, values: etree._Element, kind: str, type_name: str, name: str, value: Any
    ) -> None:
        definition = identifier("AD", type_name, name)
        if kind == "XHTML":
            element = sub(values, "ATTRIBUTE-VALUE-XHTML")
            the_value = sub(element, "THE-VALUE")
            the_value.append(etree.fromstring(value))
        else:
            text = ("true" if value else "false") if kind == "BOOLEAN" else text_of(value)
            element = sub(values, f"ATTRIBUTE-VALUE-{kind}", THE_VALUE=text)
        ref(element, "DEFINITION", f"ATTRIBUTE-DEFINITION-{kind}-REF", definition)

    def written(
        self, values: etree._Element, item: Item, form: WrittenForm, description: str
    ) -> None:
        """The attributes an importer writes the design directive from."""
        options = "\n".join(
            f":{name}:" if value is None else f":{name}: {' '.join(value.split())}"
            for name, value in form.options.items()
        )
        for name, text in (
            (SIGNATURE_NAME, form.argument),
            (OPTIONS_NAME, options),
            (BODY_LINES_NAME, form.body_lines),
        ):
            if text:
                self.value(values, "STRING", item.type, name, text)
        self.value(values, "XHTML", item.type, DESCRIPTION_NAME, description)

    def spec_object(
        self, objects: etree._Element, item: Item, xhtml: str, description: str | None = None
    ) -> str:
        self.check_text(item)
        object_id = identifier("SO", item.id)
        spec_object = sub(
            objects,
            "SPEC-OBJECT",
            IDENTIFIER=object_id,
            LAST_CHANGE=self.stamps.get(item.id, self.now),
            LONG_NAME=item.id,
        )
        values = sub(spec_object, "VALUES")
        self.value(values, "STRING", item.type, ID_NAME, item.id)
        self.value(values, "STRING", item.type, TITLE_NAME, item.title)
        self.value(values, "XHTML", item.type, TEXT_NAME, xhtml)
        for spec in self.schema.fields_of(self.schema.item_types[item.type]):
            if spec.name in item.fields and item.fields[spec.name] not in (None, "", []):
                kind = "BOOLEAN" if spec.kind == "flag" else "STRING"
                self.value(values, kind, item.type, spec.name, item.fields[spec.name])
        if item.id in self.code:
            self.value(values, "STRING", item.type, CODE_NAME, self.code[item.id])
        form = written_form(item) if item.type in WRITTEN_TYPES else None
        if form is not None:
            self.written(values, item, form, description or xhtml)
        ref(spec_object, "TYPE", "SPEC-OBJECT-TYPE-REF", identifier("SOT", item.type))
        return object_id

    def check_text(self, item: Item) -> None:
        """Warn, naming the item, when its text holds characters XML cannot (now U+FFFD)."""
        texts = [item.id, item.title, item.text, *(text_of(v) for v in item.fields.values())]
        bad = sorted({f"U+{ord(c):04X}" for text in texts for c in NOT_XML.findall(text)})
        if bad:
            warn(
                f"{item.id}: characters XML cannot hold ({', '.join(bad[:5])}) are replaced "
                "by U+FFFD in spec.reqif",
                "reqif_text",
                item.location,
            )

    def section_object(self, objects: etree._Element, docname: str, number: int, title: str) -> str:
        object_id = identifier("SO-section", docname, str(number))
        spec_object = sub(
            objects,
            "SPEC-OBJECT",
            IDENTIFIER=object_id,
            LAST_CHANGE=self.page_times[docname],
        )
        self.value(sub(spec_object, "VALUES"), "STRING", SECTION_TYPE, CHAPTER_NAME, title)
        ref(spec_object, "TYPE", "SPEC-OBJECT-TYPE-REF", identifier("SOT", SECTION_TYPE))
        return object_id

    def hierarchy(
        self,
        parent: etree._Element,
        objects: etree._Element,
        docname: str,
        outline: Outline,
        bodies: dict[str, str],
        exported: list[Item],
        counter: list[int],
    ) -> None:
        for entry in outline:
            counter[0] += 1
            if entry[0] == "section":
                object_id = self.section_object(objects, docname, counter[0], entry[1])
            else:
                item = self.items.get((docname, entry[1]))
                if item is None:
                    continue  # a duplicate ID's later definition
                object_id = self.spec_object(
                    objects,
                    item,
                    bodies.get(entry[1], "<div/>"),
                    bodies.get(description_key(entry[1])),
                )
                exported.append(item)
            node = sub(
                parent,
                "SPEC-HIERARCHY",
                IDENTIFIER=identifier("SH", docname, str(counter[0])),
                LAST_CHANGE=self.page_times[docname],
            )
            ref(node, "OBJECT", "SPEC-OBJECT-REF", object_id)
            if entry[0] == "section" and entry[2]:
                self.hierarchy(
                    sub(node, "CHILDREN"), objects, docname, entry[2], bodies, exported, counter
                )

    def relations(self, parent: etree._Element, exported: list[Item]) -> None:
        ids = {item.id for item in exported}
        for item in sorted(exported, key=lambda it: natural_key(it.id)):
            for link_name, targets in sorted(item.links.items()):
                for target in targets:
                    if target not in ids:
                        continue  # unknown or another project's item: nothing to point to
                    relation = sub(
                        parent,
                        "SPEC-RELATION",
                        IDENTIFIER=identifier("REL", item.id, link_name, target),
                        LAST_CHANGE=self.stamps.get(item.id, self.now),
                    )
                    ref(relation, "SOURCE", "SPEC-OBJECT-REF", identifier("SO", item.id))
                    ref(relation, "TARGET", "SPEC-OBJECT-REF", identifier("SO", target))
                    ref(relation, "TYPE", "SPEC-RELATION-TYPE-REF", identifier("SRT", link_name))


def code_lines(domain: TechspecDomain) -> dict[str, str]:
    """Item ID → its code references, one ``path:line symbol (link type)`` line each."""
    from ..code_trace.store import references_by_item

    return {
        item_id: "\n".join(f"{ref.label()} ({ref.link_type})" for ref in references)
        for item_id, references in references_by_item(domain).items()
    }


def reqif_files(app: Sphinx, domain: TechspecDomain) -> dict[str, bytes]:
    return {FILE: ReqifBuilder(app, domain).build()}
