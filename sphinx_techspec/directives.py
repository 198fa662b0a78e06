"""The item directive every item type is built from.

``.. requirement:: REQ-001 Users can reset their password`` — the first word of
the argument is the ID, the rest the title; options are the type's fields and
the project's link types. The directive records the item in the domain and
emits standard docutils nodes; links are rendered later, from domain data,
by :mod:`sphinx_techspec.rendering`.
"""

from __future__ import annotations

import datetime
import functools
import os
import re
from collections.abc import Callable, Iterable
from typing import Any, ClassVar

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import make_id

from .diagnostics import warn
from .directive_names import register_alias
from .domain import DOMAIN, TechspecDomain
from .model import FieldSpec, Item, ItemType, LinkType, normalised_text, split_list
from .nodes import ItemLinks
from .option_lines import option_location, option_source_line
from .options import (
    UnknownOption,
    flag_option,
    open_spec,
    report_option_problems,
    scrub_input,
    shown,
    text_option,
)
from .page_syntax import directive_example, is_markdown, unquoted_yaml_values
from .schema import SpecSchema, allowed_values
from .status_styles import state_of
from .suggestions import did_you_mean, did_you_mean_valid_id, option_name

#: An ID used as its own anchor: nothing an HTML attribute or a URL would need escaped.
_PLAIN_ANCHOR = re.compile(r"[^\s\"'<>&`#%?/\\=]+")


class ItemDirective(SphinxDirective):
    """A spec item: registers it in the domain and renders it as a card."""

    item_type: ClassVar[ItemType]
    schema: ClassVar[SpecSchema]

    has_content = True
    required_arguments = 0
    optional_arguments = 1
    final_argument_whitespace = True
    option_spec: ClassVar[dict[str, Any]] = {}

    #: Options handled by a subclass itself, never reported as unknown.
    extra_options: ClassVar[dict[str, Callable[[str | None], Any]]] = {}

    @classmethod
    def for_type(cls, item_type: ItemType, schema: SpecSchema) -> type[ItemDirective]:
        """A directive class for ``item_type`` with the options the schema gives it."""
        options: dict[str, Callable[[str | None], Any]] = {}
        for field in schema.fields_of(item_type):
            options[field.name] = flag_option if field.kind == "flag" else text_option
        # Only the link types this type may be the source of: another is reported
        # at the directive's line (see ``report_unknown_options``), not found late.
        for link in schema.links_from(item_type.name):
            options[link.name] = text_option
        options.update(cls.extra_options)
        spec = open_spec(options)
        name = "".join(part.capitalize() for part in item_type.name.split("-")) + "Directive"
        return type(name, (cls,), {"item_type": item_type, "schema": schema, "option_spec": spec})

    # -- hooks for item types with another signature -----------------------------

    def parse_signature(self) -> tuple[str, str]:
        """ID and title from the argument: the first word, then the rest."""
        argument = self.arguments[0].strip() if self.arguments else ""
        item_id, _, title = argument.partition(" ")
        return item_id, " ".join(title.split())

    def extra_fields(self, item_id: str) -> dict[str, Any]:
        """Fields a subclass derives from its own options or body."""
        return {}

    def build_body(self, item: Item) -> list[nodes.Node]:
        """The item's content, parsed as RST or MyST like the page around it."""
        return self.parse_content_to_nodes(allow_section_headings=True)

    # -- the directive -----------------------------------------------------------

    @property
    def domain(self) -> TechspecDomain:
        return self.env.get_domain(DOMAIN)  # type: ignore[return-value]

    def run(self) -> list[nodes.Node]:
        item_type = self.item_type
        location = self.get_location()
        scrub_input(self.arguments, self.options, self.content, location)
        item_id, title = self.parse_signature()
        valid_id = bool(item_id) and self.schema.id_pattern.fullmatch(item_id) is not None
        if not item_id:
            example = directive_example(is_markdown(self.env, self.env.docname), self.name)
            warn(
                f"{item_type.name} has no ID: write '{example}'",
                "bad_id",
                location,
            )
        elif not valid_id:
            warn(
                f"item ID {shown(item_id)} does not match techspec_id_pattern "
                f"{self.schema.id_pattern.pattern!r}"
                + did_you_mean_valid_id(item_id, self.schema.id_pattern),
                "bad_id",
                location,
            )
        if item_id and not title:
            markdown = is_markdown(self.env, self.env.docname)
            example = directive_example(markdown, self.name, f"{item_id} Title")
            warn(
                f"{item_type.label} {item_id} has no title: write '{example}'",
                "missing_title",
                location,
            )

        self.source_file, self.source_line = self.item_source()
        self.report_unquoted_values(item_id, location)
        self.report_unknown_options(location)
        fields = self.read_fields()
        fields.update(self.extra_fields(item_id))
        links = self.read_links()

        container = nodes.container(classes=["techspec-item", f"techspec-type-{item_type.name}"])
        self.set_source_info(container)
        if not item_id:
            container += self.build_body(
                Item("", item_type.name, title, self.env.docname, self.lineno, "")
            )
            return [container]

        anchor = self.make_anchor(item_id, valid_id)
        target = nodes.target("", "", ids=[anchor])
        self.state.document.note_explicit_target(target)
        item = Item(
            item_id,
            item_type.name,
            title,
            self.env.docname,
            self.source_line,
            anchor,
            fields,
            links,
            text=normalised_text(self.content),
            source=self.source_file,
            link_lines=self.link_lines(links),
        )
        entry = f"{' '.join(item_id.split())} ({item_type.label.lower()})"
        index = addnodes.index(entries=[("single", entry, anchor, "", None)])
        container += [index, target, self.build_header(item)]
        field_list = self.build_fields(item)
        if field_list is not None:
            container += field_list
        placeholder = ItemLinks(item_id=item_id, anchor=anchor, docname=self.env.docname)
        self.set_source_info(placeholder)
        container += placeholder
        container += self.build_body(item)

        domain = self.domain
        domain.add_item(item)
        for target_id in item.link_targets():
            domain.note_reference(self.env.docname, target_id)
        return [container]

    def make_anchor(self, item_id: str, valid: bool = True) -> str:
        """The item's own ID when it is valid, plain and free in the page, so URLs read
        ``#REQ-001``; otherwise a made-up safe ID: an ID as written never reaches an
        ``href`` or ``id`` attribute (Sphinx's index template does not escape it)."""
        document = self.state.document
        if valid and _PLAIN_ANCHOR.fullmatch(item_id) and item_id not in document.ids:
            return item_id
        return make_id(self.env, document, "techspec", item_id)

    def item_source(self) -> tuple[str, int]:
        """The file (when it is not the page's own, e.g. an ``.. include::``) and its line.

        Stored on the item so that checks after reading warn at the real file and line.
        """
        source, lineno = self.get_source_info()
        if not source or source == self.state.document.get("source"):
            return "", self.lineno  # the page's own file, as docutils names it: no path work
        own = str(self.env.doc2path(self.env.docname))
        if os.path.normpath(source) == os.path.normpath(own):
            return "", self.lineno
        return source, lineno or self.lineno

    def line_location(self, line: int) -> tuple[str, int] | str:
        """Where to warn about ``line`` of this directive's file (read with ``item_source``)."""
        source = getattr(self, "source_file", "")
        return f"{source}:{line}" if source else (self.env.docname, line)

    def report_unquoted_values(self, item_id: str, location: str) -> None:
        """Say how to quote a MyST option value that YAML read as syntax (MyST's own
        message, "expected chomping or indentation indicators", does not)."""
        if not is_markdown(self.env, self.env.docname):
            return
        for name, value in unquoted_yaml_values(self.block_text, self.options):
            warn(
                f"{item_id or self.item_type.name}: the value of :{name}: starts with "
                f"{value[0]!r}, which MyST reads as YAML syntax, so the options of this "
                f"directive were dropped; quote it: :{name}: {_quoted(value)}",
                "bad_option",
                self.option_location(name),
            )

    def report_unknown_options(self, location: str) -> None:
        misplaced = [
            name
            for name, value in self.options.items()
            if isinstance(value, UnknownOption) and name in self.schema.link_types
        ]
        for name in misplaced:
            link = self.schema.link_types[name]
            message = misplaced_link_message(
                self.item_type.name, link, self.schema.link_types.values()
            )
            warn(message, "bad_option", self.option_location(name))
            del self.options[name]
        report_option_problems(
            self.options, self.option_spec, self.item_type.name, location, self.option_location
        )

    def read_fields(self) -> dict[str, Any]:
        fields: dict[str, Any] = {}
        for spec in self.schema.fields_of(self.item_type):
            if spec.name not in self.options:
                continue
            value = self.convert_field(spec, self.options[spec.name])
            if value not in (None, "", []):
                fields[spec.name] = value
        return fields

    def convert_field(self, spec: FieldSpec, raw: Any) -> Any:
        if spec.kind == "flag":
            return True
        if spec.kind in ("integer", "date"):
            problem = malformed_value_message(spec, raw)
            if problem:
                warn(problem, "bad_value", self.option_location(spec.name))
                return raw
            return (
                int(raw) if spec.kind == "integer" else datetime.date.fromisoformat(raw).isoformat()
            )
        values = split_list(raw) if spec.kind in ("list", "choice-list") else [raw]
        allowed = allowed_values(spec, self.config) if spec.kind.startswith("choice") else None
        if allowed is not None:
            for value in values:
                if value not in allowed:
                    warn(
                        not_allowed_message(spec.name, value, allowed),
                        "bad_value",
                        self.option_location(spec.name),
                    )
        return values if spec.kind in ("list", "choice-list") else raw

    def read_links(self) -> dict[str, tuple[str, ...]]:
        links: dict[str, tuple[str, ...]] = {}
        for link in self.schema.links_from(self.item_type.name):
            raw = self.options.get(link.name)
            if raw is None:
                continue
            targets = tuple(dict.fromkeys(split_list(raw)))
            if not targets:
                warn(
                    f":{link.name}: names no item ID", "bad_option", self.option_location(link.name)
                )
                continue
            links[link.name] = targets
        return links

    def option_location(self, name: str) -> Any:
        """Where a warning about option ``name`` points: its own line when known."""
        return option_location(self, name)

    def link_lines(self, links: dict[str, tuple[str, ...]]) -> dict[str, int]:
        """The line of each link option in the item's file, for the checks after reading."""
        lines = {}
        for name in links:
            found = option_source_line(self, name)
            if found is not None and found[1] != self.source_line:
                lines[name] = found[1]
        return lines

    # -- rendering -----------------------------------------------------------------

    def build_header(self, item: Item) -> nodes.paragraph:
        """Type badge, ID, title and status; punctuation for text and PDF output."""
        header = nodes.paragraph(classes=["techspec-header"])
        header += nodes.inline(
            "", self.item_type.label, classes=["techspec-badge", f"techspec-badge-{item.type}"]
        )
        header += nodes.Text(" ")
        header += nodes.strong("", item.id, classes=["techspec-id"])
        if item.title:
            header += nodes.inline("", ": ", classes=["techspec-punct"])
            header += nodes.inline("", item.title, classes=["techspec-title"])
        status = item.fields.get("status")
        if status:
            header += nodes.inline("", " (", classes=["techspec-punct"])
            state = f"techspec-state-{state_of(self.config, status, item.type)}"
            header += nodes.inline(
                "", status, classes=["techspec-status", status_class(status), state]
            )
            header += nodes.inline("", ")", classes=["techspec-punct"])
        return header

    def build_fields(self, item: Item) -> nodes.field_list | None:
        rows = []
        for spec in self.schema.fields_of(self.item_type):
            value = item.fields.get(spec.name)
            if value in (None, "", []) or spec.name == "status" or not spec.show:
                continue
            text = ", ".join(value) if isinstance(value, list) else str(value)
            if spec.kind == "flag":
                text = "yes"
            rows.append(field_row(spec.label, nodes.paragraph("", text)))
        if not rows:
            return None
        field_list = nodes.field_list(classes=["techspec-fields"])
        field_list += rows
        return field_list


def misplaced_link_message(
    item_type: str, link: LinkType, link_types: Iterable[LinkType] = ()
) -> str:
    """A link option on a type that may not be its source (shared with the language server);
    suggests a link type of ``link_types`` this type may have to the same targets."""
    allowed = ", ".join(sorted(link.sources)) or "any item type"
    instead = [
        other.name
        for other in link_types
        if other.allows_source(item_type)
        and (not link.targets or any(other.allows_target(t) for t in link.targets))
    ]
    hint = did_you_mean(link.name, instead, cutoff=0.0, show=option_name)
    return (
        f"a {item_type} cannot have :{link.name}: (only {allowed} can){hint}; the link is left out"
    )


def malformed_value_message(spec: FieldSpec, raw: str) -> str | None:
    """Why an integer or date field's value cannot be read (``None``: it can); shared with
    the language server."""
    try:
        if spec.kind == "integer":
            int(raw)
        elif spec.kind == "date":
            datetime.date.fromisoformat(raw)
    except ValueError:
        if spec.kind == "integer":
            return f"{spec.name} must be a whole number, not {shown(raw)}"
        return f"{spec.name} must be an ISO date (YYYY-MM-DD), not {shown(raw)}"
    return None


def not_allowed_message(field: str, value: str, allowed: list[str]) -> str:
    """A value outside a choice field's values (shared with the language server)."""
    return f"{field} {shown(value)} is not one of: {', '.join(allowed)}" + did_you_mean(
        value, allowed
    )


@functools.cache
def status_class(status: str) -> str:
    """``techspec-status-<status>``; cached, since a spec uses a handful of statuses."""
    return f"techspec-status-{nodes.make_id(status)}"


def field_row(label: str, body: nodes.Node) -> nodes.field:
    """One ``label: body`` row of an item's field table; ``body`` is a block node."""
    return nodes.field("", nodes.field_name("", label), nodes.field_body("", body))


def register_item_directives(app: Sphinx, schema: SpecSchema) -> None:
    """Register every item type as ``.. techspec:name::``, and as ``.. name::`` where free."""
    for item_type in schema.item_types.values():
        base = item_type.directive or ItemDirective
        directive = base.for_type(item_type, schema)
        app.add_directive_to_domain(DOMAIN, item_type.name, directive, override=True)
        register_alias(app, item_type.name, directive)


def _quoted(value: str) -> str:
    """``value`` as a YAML single-quoted string."""
    return "'" + value.replace("'", "''") + "'"
