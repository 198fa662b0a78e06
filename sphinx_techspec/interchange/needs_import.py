"""Items from a sphinx-needs export: ``.. needs-import::`` and ``techspec_needs_import``.

``.. needs-import:: needs.json`` writes one item directive per need into the
page (parsed like hand-written ones: same checks, same cards), so the needs
appear in matrices, reports and diagrams, and local items link to them. Each
need keeps the type the file names (declared at config time by
:mod:`.needs_declarations`, named by the rule ``migrate-needs`` uses too);
``:types: req=requirement`` and ``:links: links=refines`` map only where asked.
Link conditions and links to needs outside the file stay as fields, reported
once with counts; bodies go through :mod:`.needs_body`. Each card says where the
need came from (its original URL when it is ``http(s)``).

``techspec_needs_import = [{"path": ..., "types": {...}, "links": {...}}]``
makes the needs linkable without a page, as another project's items
(``legacy:R_LOGIN``), see :mod:`.external`.
"""

from __future__ import annotations

import os
import urllib.parse
from functools import partial
from pathlib import Path
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.parsers.rst.states import RSTState
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from ..config import config_location
from ..diagnostics import warn
from ..directives import field_row
from ..domain import DOMAIN, TechspecDomain
from ..feature import Store
from ..model import Item, natural_key
from ..option_lines import option_location
from ..options import open_spec, report_option_problems, report_unexpected_input
from ..schema import SpecSchema
from ..urls import checked_url
from .external import ExternalItem, SourceError
from .needs import (
    CONDITIONS_FIELD,
    OUTSIDE_FIELD,
    Need,
    conditions_text,
    load_needs,
    outside_text,
    parse_map,
)
from .needs_body import BodyContext, sanitize
from .needs_declarations import file_declarations
from .pages import PageItem, item_directive

STORE = "needs_origins"

NEEDS_IMPORT_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "properties": {
            "path": {"type": "string", "minLength": 1},
            "project": {"type": "string", "pattern": r"^[A-Za-z][A-Za-z0-9_-]*$"},
            "types": {"type": "object", "additionalProperties": {"type": "string"}},
            "links": {"type": "object", "additionalProperties": {"type": "string"}},
            "base_url": {"type": "string"},
        },
        "required": ["path"],
        "additionalProperties": False,
    },
}


def need_url(need: Need, base_url: str) -> str | None:
    if need.url:
        return need.url
    if base_url:
        page = urllib.parse.quote(need.docname)
        return f"{base_url.rstrip('/')}/{page}.html#{urllib.parse.quote(need.id)}"
    return None


class Mapping:
    """How needs become items (the one naming rule, and the user's maps); what did not map."""

    def __init__(
        self,
        schema: SpecSchema,
        config: Any,
        needs: list[Need],
        types: dict[str, str],
        links: dict[str, str],
    ) -> None:
        self.schema = schema
        self.names = file_declarations(needs, types, links, config)
        self.ids = {need.id for need in needs}
        self.unmapped_types: dict[str, int] = {}
        self.unmapped_links: set[str] = set()
        self.unmapped_fields: set[str] = set()
        self.outside: dict[str, int] = {}
        self.outside_needs = 0
        self.conditions = 0
        self.changes: list[str] = []
        self.notes: list[str] = []

    def item_type(self, need: Need) -> str | None:
        name = self.names.types.get(need.type, need.type)
        if name not in self.schema.item_types:
            self.unmapped_types[need.type] = self.unmapped_types.get(need.type, 0) + 1
            return None
        return name

    def link_type(self, name: str) -> str | None:
        link = self.names.links.get(name, name)
        if link not in self.schema.link_types:
            self.unmapped_links.add(name)
            return None
        return link

    def fields(self, item_type: str, need: Need) -> dict[str, Any]:
        declared = {spec.name for spec in self.schema.fields_of(self.schema.item_types[item_type])}
        values: dict[str, Any] = {}
        if need.status and "status" in declared:
            values["status"] = need.status
        if need.tags and "tags" in declared:
            values["tags"] = need.tags
        for name, value in need.fields.items():
            option = self.names.fields.get(name, name)
            if option in declared:
                values[option] = value
            else:
                self.unmapped_fields.add(name)
        self.conditions += len(need.conditions)
        outside = {
            option: [t for t in targets if t not in self.ids]
            for option, targets in need.links.items()
            if any(t not in self.ids for t in targets)
        }
        self.outside_needs += bool(outside)
        for targets in outside.values():
            for target in targets:
                self.outside[target] = self.outside.get(target, 0) + 1
        for name, text in (
            (CONDITIONS_FIELD, conditions_text(need, self.names.links)),
            (OUTSIDE_FIELD, outside_text(outside, self.names.links)),
        ):
            if text and name in declared:
                values[name] = text
            elif text:
                self.unmapped_fields.add(name)
        self.notes += [f"{need.id}: {note}" for note in need.notes]
        return values

    def inside(self, targets: list[str]) -> list[str]:
        return [target for target in targets if target in self.ids]

    def problems(self) -> list[str]:
        found = []
        if self.unmapped_types:
            counts = ", ".join(f"{t!r} ({n})" for t, n in sorted(self.unmapped_types.items()))
            found.append(f"needs of types {counts} are left out: map them to item types")
        if self.unmapped_links:
            found.append(
                f"links {', '.join(sorted(self.unmapped_links))} are left out: "
                "map them to link types"
            )
        if self.unmapped_fields:
            found.append(
                f"options {', '.join(sorted(self.unmapped_fields))} are not fields of the "
                "item types and are left out"
            )
        if self.outside:
            found.append(
                f"{self.outside_needs} needs link to {len(self.outside)} IDs outside the file "
                f"({sum(self.outside.values())} links), kept as the field {OUTSIDE_FIELD!r}"
            )
        if self.changes:
            found.append(
                f"{len(self.changes)} changes to bodies (markup that is not allowed here "
                f"became text), the first: {self.changes[0]}"
            )
        if self.notes:
            found.append(f"{len(self.notes)} needs changed on reading, the first: {self.notes[0]}")
        return found


def text_value(value: Any) -> str:
    return ", ".join(value) if isinstance(value, list) else str(value)


class NeedsImportDirective(SphinxDirective):
    """``.. needs-import:: path/to/needs.json``: the needs as items of this page."""

    # Everything is accepted at the docutils level and checked here (options.py).
    optional_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec: ClassVar[dict[str, Any]] = open_spec(
        {"types": directives.unchanged, "links": directives.unchanged, "base-url": directives.uri}
    )

    def run(self) -> list[nodes.Node]:
        location = self.get_location()
        report_option_problems(
            self.options, self.option_spec, "needs-import", location, partial(option_location, self)
        )
        report_unexpected_input("needs-import", location, [], self.content, True, False)
        if not (self.arguments and self.arguments[0].strip()):
            warn("needs-import needs the path of a needs.json", "bad_option", location)
            return []
        relative, path = self.env.relfn2path(self.arguments[0].strip(), self.env.docname)
        self.env.note_dependency(relative)
        types, bad_types = parse_map(self.options.get("types"))
        links, bad_links = parse_map(self.options.get("links"))
        for bad in [*bad_types, *bad_links]:
            warn(f"needs-import: {bad!r} is not NAME=TYPE", "bad_option", location)
        notes: list[str] = []
        try:
            needs = load_needs(Path(path), notes)
        except SourceError as exc:
            warn(f"needs-import: {relative}: {exc}", "needs_import", location)
            return []
        for note in notes:
            warn(f"needs-import: {relative}: {note}", "needs_import", location)
        domain: TechspecDomain = self.env.get_domain("techspec")  # type: ignore[assignment]
        mapping = Mapping(domain.schema, self.config, needs, types, links)
        fmt = "rst" if isinstance(self.state, RSTState) else "md"
        texts: list[str] = []
        origins: dict[str, tuple[str, str | None]] = {}
        base_url = self.options.get("base-url", "")
        for need in needs:
            page_item = page_item_of(need, mapping)
            if page_item is None:
                continue
            if fmt == "md":
                page_item.body_is_native = False
            texts.append(item_directive(page_item, fmt))
            origins[need.id] = (
                f"{need.docname} ({os.path.basename(relative)})",
                checked_url(need_url(need, base_url) or "", location, f"{need.id}: URL") or None,
            )
        for problem in mapping.problems():
            warn(f"needs-import: {relative}: {problem}", "needs_import", location)
        parts = self.env.get_domain(DOMAIN).store(STORE).parts  # type: ignore[attr-defined]
        parts.setdefault(self.env.docname, {}).update(origins)
        # Every generated line is located at this directive: warnings point here.
        lines = "\n".join(texts).splitlines()
        source = self.env.doc2path(self.env.docname)
        content = StringList(lines, items=[(str(source), self.lineno - 1)] * len(lines))
        return self.parse_text_to_nodes(content, allow_section_headings=True)


def page_item_of(need: Need, mapping: Mapping) -> PageItem | None:
    """The item directive of one need (``None``: its type does not map)."""
    item_type = mapping.item_type(need)
    if item_type is None:
        return None
    options = {name: text_value(value) for name, value in mapping.fields(item_type, need).items()}
    for link_name, targets in need.links.items():
        link = mapping.link_type(link_name)
        inside = mapping.inside(targets)
        if link is not None and inside:
            previous = options.get(link)
            options[link] = ", ".join([previous, *inside] if previous else inside)
    context = BodyContext(
        mapping.ids,
        {},
        mapping.names.types,
        docname=need.docname,
        where=f"{need.docname}: {need.id}",
        changes=mapping.changes,
    )
    return PageItem(item_type, need.id, need.title, options, sanitize(need.content, context))


def origin_rows(app: Sphinx, domain: TechspecDomain, docname: str, item: Item) -> list[nodes.field]:
    """``Imported from: index (needs.json)``, linked to the original page when known."""
    origins = domain.store(STORE).parts.get(item.docname, {})
    origin = origins.get(item.id)
    if origin is None:
        return []
    text, url = origin
    paragraph = nodes.paragraph()
    if url:
        paragraph += nodes.reference("", text, refuri=url, internal=False)
    else:
        paragraph += nodes.Text(text)
    return [field_row("Imported from", paragraph)]


#: Per page: imported ID → (where it came from, its URL); only that page's cards show it.
ORIGINS_STORE = Store(STORE)


def configured_needs_items(app: Sphinx, domain: TechspecDomain) -> list[ExternalItem]:
    """``techspec_needs_import`` entries as items of another project (``project:ID``)."""
    where = config_location(app, "techspec_needs_import")
    found: list[ExternalItem] = []
    for entry in app.config.techspec_needs_import:
        path = Path(app.confdir or ".", entry["path"])
        shown = os.path.normpath(path)
        notes: list[str] = []
        try:
            needs = load_needs(path, notes)
        except SourceError as exc:
            warn(f"techspec_needs_import: {shown}: {exc}", "needs_import", where)
            continue
        for note in notes:
            warn(f"techspec_needs_import: {shown}: {note}", "needs_import", where)
        project = entry.get("project") or "needs"
        mapping = Mapping(
            domain.schema,
            app.config,
            needs,
            dict(entry.get("types", {})),
            dict(entry.get("links", {})),
        )
        for need in needs:
            item_type = mapping.item_type(need)
            if item_type is None:
                continue
            links: dict[str, tuple[str, ...]] = {}
            for link_name, targets in need.links.items():
                link = mapping.link_type(link_name)
                if link is not None:
                    qualified = [f"{project}:{t}" for t in mapping.inside(targets)]
                    links[link] = tuple(dict.fromkeys([*links.get(link, ()), *qualified]))
            found.append(
                ExternalItem(
                    f"{project}:{need.id}",
                    item_type,
                    need.title,
                    "",
                    1,  # needs.json is one line
                    need.id,
                    fields=mapping.fields(item_type, need),
                    links={name: targets for name, targets in links.items() if targets},
                    project=project,
                    external_url=need_url(need, entry.get("base_url", "")) or "",
                    source=shown,
                )
            )
        for problem in mapping.problems():
            warn(f"techspec_needs_import: {shown}: {problem}", "needs_import", where)
    return sorted(found, key=lambda item: natural_key(item.id))
