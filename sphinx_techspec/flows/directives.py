"""``.. sequence::`` and ``.. workflow::``: items whose body is a diagram in line syntax.

The body is read into the item's ``flow`` field at read time (syntax problems are
``techspec.flow_syntax`` warnings at their line); the diagram itself is a
placeholder drawn once every page is read, so participants link to their items
and the links derived from the body (:mod:`.links`) are known.
"""

from __future__ import annotations

import functools
import json
from typing import Any

from docutils import nodes

from ..design.common import first_content_line
from ..diagnostics import warn
from ..directives import ItemDirective
from ..foreign_json import ForeignJSONError, load_json
from ..model import Item
from ..nodes import Placeholder
from .syntax import Parsed, parse_sequence, parse_workflow

#: Link types derived from a flow's body; an explicit option adds to them.
DERIVED_LINKS = ("has-participant", "uses-endpoint", "names")


class FlowDiagram(nodes.General, Placeholder):
    """Where a sequence's or workflow's diagram goes (``item_id`` attribute)."""


class FlowDirective(ItemDirective):
    """Shared by sequences and workflows: parse the body, keep explicit derived-type links."""

    def parse_body(self, lines: list[str], first_line: int) -> Parsed:
        raise NotImplementedError

    def extra_fields(self, item_id: str) -> dict[str, Any]:
        parsed = self.parse_body(list(self.content), first_content_line(self))
        docname = self.env.docname
        for message, line in parsed.problems:
            warn(f"{item_id or self.item_type.name}: {message}", "flow_syntax", (docname, line))
        flow = parsed.data
        declared = {
            name: sorted(set(self.options[name].replace(" ", ",").split(",")) - {""})
            for name in DERIVED_LINKS
            if self.options.get(name)
        }
        if declared:
            flow["declared_links"] = declared
        for name in names_in(flow):
            self.domain.note_reference(docname, name)
        # JSON text: every export takes it as it is (fields are strings, lists, numbers).
        return {"flow": json.dumps(flow, ensure_ascii=False)}

    def build_body(self, item: Item) -> list[nodes.Node]:
        if not item.id:
            # No ID, no item to draw (bad_id was reported): keep the body as written.
            text = "\n".join(self.content)
            return [nodes.literal_block(text, text)] if text.strip() else []
        placeholder = FlowDiagram(item_id=item.id, anchor=item.anchor, docname=item.docname)
        self.set_source_info(placeholder)
        return [placeholder]


class SequenceDirective(FlowDirective):
    def parse_body(self, lines: list[str], first_line: int) -> Parsed:
        return parse_sequence(lines, first_line)


class WorkflowDirective(FlowDirective):
    def parse_body(self, lines: list[str], first_line: int) -> Parsed:
        return parse_workflow(lines, first_line)


def flow_of(item: Item) -> dict[str, Any]:
    """The parsed body of a sequence or workflow (read only: the object is shared).

    A flow from another project (a linked techspec.json, a needs.json) is foreign data:
    one that is not a flow of the shape written here counts as empty, never raises.
    """
    value = item.fields.get("flow", "{}")
    if isinstance(value, dict):
        return value if _well_formed(value) else {}
    return _parsed(str(value))


_STRING = {"type": "string"}
FLOW_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "participants": {"type": "array", "items": _STRING},
        "declared_links": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": _STRING},
        },
        "steps": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["kind", "line"],
                "properties": {
                    "line": {"type": "integer"},
                    **{
                        key: _STRING
                        for key in (
                            "kind",
                            "name",
                            "text",
                            "from",
                            "to",
                            "at",
                            "item",
                            "method",
                            "path",
                            "status",
                        )
                    },
                },
                "dependentRequired": {"method": ["to", "path"], "item": ["name"]},
                "allOf": [
                    {
                        "if": {"properties": {"kind": {"enum": ["request", "reply"]}}},
                        "then": {"required": ["from", "to", "text"]},
                    },
                    {
                        "if": {"properties": {"kind": {"const": "reply"}}},
                        "then": {"properties": {"status": {"minLength": 1}}},
                    },
                ],
            },
        },
        "transitions": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["from", "to", "text"],
                "properties": {"from": _STRING, "to": _STRING, "text": _STRING},
            },
        },
    },
}


@functools.cache
def _flow_validator() -> Any:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(FLOW_SCHEMA)


def _well_formed(flow: Any) -> bool:
    return bool(_flow_validator().is_valid(flow))


@functools.lru_cache(maxsize=1024)
def _parsed(text: str) -> dict[str, Any]:
    try:
        flow = load_json(text).value
    except ForeignJSONError:
        return {}
    return flow if _well_formed(flow) else {}


def names_in(flow: dict[str, Any]) -> list[str]:
    """Every name a flow mentions that may be an item ID (participants, step items)."""
    names = list(flow.get("participants", ()))
    names += [step["item"] for step in flow.get("steps", ()) if step.get("item")]
    return names
