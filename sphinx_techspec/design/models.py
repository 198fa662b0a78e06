"""``.. data-model:: User``: a model's fields, indexes, examples and field table."""

from __future__ import annotations

import dataclasses
import re
from typing import Any, ClassVar

from docutils import nodes

from ..diagnostics import warn
from ..directives import field_row
from ..model import Item, split_list
from ..options import flag_option, text_option
from ..tables import build_table
from .body import SplitBody, split_body
from .common import (
    BodyLinesDirective,
    InlineParser,
    example_nodes,
    first_content_line,
    load_example,
    parse_description,
    type_nodes,
)
from .field_syntax import constraint_texts, parse_field
from .nodes import ModelRef, ModelUsage

_MODEL_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*\Z")


class DataModelDirective(BodyLinesDirective):
    """A data model; its ID is the model name unless ``:id:`` is given."""

    body_keys = frozenset({"field"})

    extra_options: ClassVar[dict[str, Any]] = {
        "id": text_option,
        "indexes": text_option,
        "open": flag_option,
    }

    model_name: str = ""
    body: SplitBody | None = None

    def parse_signature(self) -> tuple[str, str]:
        argument = self.arguments[0].strip() if self.arguments else ""
        name, _, title = argument.partition(" ")
        self.model_name = name
        if name and not _MODEL_NAME.match(name):
            warn(
                f"model name {name!r} must start with a letter and hold only letters, digits, "
                "'_', '.' and '-'",
                "bad_id",
                self.get_location(),
            )
        item_id = (self.options.get("id") or "").strip() or name
        return item_id, " ".join(title.split()) or name

    def extra_fields(self, item_id: str) -> dict[str, Any]:
        self.body = split_body(self.content, self.body_keys, first_content_line(self))
        fields: list[dict[str, Any]] = []
        seen: set[str] = set()
        for line in self.body.lines:
            parsed = parse_field(line.arg, line.text)
            for problem in parsed.problems:
                warn(f"{self.model_name}: {problem}", "bad_field", self.line_location(line.line))
            if line.arg in seen:
                warn(
                    f"{self.model_name}: field {line.arg!r} is defined twice",
                    "bad_field",
                    self.line_location(line.line),
                )
                continue
            seen.add(line.arg)
            fields.append({**parsed.data, "line": line.line})
        examples = [
            load_example(
                example, self.line_location, {"kind": "model", "title": example.what}, item_id
            )
            for example in self.body.examples
        ]
        data: dict[str, Any] = {"name": self.model_name, "fields": fields}
        indexes = self.read_indexes(seen)
        if indexes:
            data["indexes"] = indexes
        if "open" in self.options:
            data["open"] = True
        if examples:
            data["examples"] = examples
        return data

    def read_indexes(self, field_names: set[str]) -> list[dict[str, Any]]:
        """``:indexes: organization_id, created_at; unique email`` → index dicts."""
        raw = self.options.get("indexes") or ""
        indexes: list[dict[str, Any]] = []
        for group in raw.replace("\n", ";").split(";"):
            group = group.strip()
            if not group:
                continue
            unique = group.lower().startswith("unique ")
            names = split_list(group[7:] if unique else group)
            unknown = [name for name in names if name not in field_names]
            if unknown:
                warn(
                    f"{self.model_name}: :indexes: names unknown field(s) {', '.join(unknown)}",
                    "bad_field",
                    self.get_location(),
                )
            indexes.append({"fields": names, "unique": unique})
        return indexes

    # -- rendering ---------------------------------------------------------------

    def build_header(self, item: Item) -> nodes.paragraph:
        name = item.fields.get("name", item.id)
        shown_title = "" if item.title == name else item.title
        header = super().build_header(dataclasses.replace(item, title=shown_title))
        if item.id != name:
            header.insert(3, nodes.inline("", f" {name}", classes=["techspec-model-name"]))
        return header

    def build_fields(self, item: Item) -> nodes.field_list | None:
        field_list = super().build_fields(item)
        rows = []
        for index in item.fields.get("indexes", []):
            text = ("unique: " if index["unique"] else "") + ", ".join(index["fields"])
            rows.append(nodes.paragraph("", text))
        if rows:
            field_list = field_list or nodes.field_list(classes=["techspec-fields"])
            body = (
                rows[0]
                if len(rows) == 1
                else nodes.bullet_list("", *(nodes.list_item("", row) for row in rows))
            )
            field_list += field_row("Indexes", body)
        return field_list

    def build_body(self, item: Item) -> list[nodes.Node]:
        body = self.body or split_body(self.content, self.body_keys, first_content_line(self))
        result = parse_description(self, body.description)
        fields = item.fields.get("fields", [])
        if fields:
            result.append(field_table(fields, self.inline))
        if item.id:
            self.domain.note_view(self.env.docname, ["data-model", "api-endpoint"])
            result.append(ModelUsage(item_id=item.id))
        result += example_nodes(item.fields.get("examples", []))
        return result


def field_table(fields: list[dict[str, Any]], inline: InlineParser) -> nodes.table:
    """Name, type (models linked), required, constraints, description."""
    rows = []
    for field in fields:
        constraints: list[nodes.Node] = [nodes.Text("; ".join(constraint_texts(field)))]
        references = field.get("references")
        if references:
            if constraints[0].astext():
                constraints.append(nodes.Text("; "))
            ref = ModelRef(model=references["model"])
            ref += nodes.literal("", references["model"])
            constraints += [nodes.Text("references "), ref, nodes.Text(f".{references['field']}")]
        rows.append(
            [
                nodes.literal("", field["name"]),
                type_nodes(field["type"]),
                "yes" if field.get("required") else "no",
                constraints,
                inline(field.get("description", ""), field.get("line", 0)),
            ]
        )
    return build_table(
        ["Field", "Type", "Required", "Constraints", "Description"], rows, ["techspec-fields-table"]
    )
