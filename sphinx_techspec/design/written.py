"""A design item written back in its directive's own syntax (for exports that round-trip).

``api-endpoint`` and ``data-model`` take ``METHOD /path`` or a model name, options
of their own (``:id:``, ``:summary:``, ``:auth:``, ``:response:``, ``:indexes:``)
and body lines (``:query limit: ...``, ``:field email: ...``, ``:example ...:``)
that are read into structured fields. A ReqIF file carries those fields as the
text the directive reads, so an importer writes the same directive again and a
build reads back the same fields. The body lines are the same in RST and MyST.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from docutils.statemachine import StringList

from ..model import Item
from .body import split_body
from .field_syntax import type_text

#: Classes of the nodes a design directive adds after its description (tables,
#: examples): what an export leaves out when it wants the description only.
GENERATED_CLASSES = frozenset(
    {"techspec-parameters", "techspec-fields-table", "techspec-example-caption", "techspec-example"}
)

#: The keys of body lines: endpoint parameters and model fields (and ``example``).
BODY_LINE_KEYS = frozenset({"path", "query", "header", "cookie", "field"})

_NUMBER_KEYS = {
    "minimum": "min",
    "maximum": "max",
    "minLength": "min-length",
    "maxLength": "max-length",
    "minItems": "min-items",
    "maxItems": "max-items",
}
_TEXT_KEYS = {"pattern": "pattern", "format": "format"}


@dataclass
class WrittenForm:
    """The directive argument, its own options (``None``: a flag) and its body lines."""

    argument: str
    options: dict[str, str | None] = field(default_factory=dict)
    body_lines: str = ""


def written_form(item: Item) -> WrittenForm | None:
    """How to write ``item`` as its directive, or ``None`` when ``ID Title`` says it all."""
    if item.type == "api-endpoint":
        return endpoint_form(item)
    if item.type == "data-model":
        return model_form(item)
    return None


def spec_lines_only(text: str) -> tuple[str, list[str]]:
    """``text`` keeping only body lines and their continuations, and the lines left out.

    Body lines from another file are put into a page as they are: anything else in
    them (a directive, a heading) would be markup nobody wrote, so it is dropped.
    """
    lines = text.splitlines()
    content = StringList(lines, "body lines")
    split = split_body(content, BODY_LINE_KEYS, 1)
    prose = {offset for _source, offset in split.description.items}
    dropped = [lines[i] for i in sorted(prose) if lines[i].strip()]
    kept = [line for i, line in enumerate(lines) if i not in prose or not line.strip()]
    return "\n".join(kept).strip("\n"), dropped


def json_text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def written_type(type_: dict[str, Any]) -> str:
    """``type_text`` with enum values as JSON, so ``"1"`` stays a string when read again."""
    if type_.get("kind") == "enum":
        return "enum(" + ", ".join(json_text(v) for v in type_.get("values", [])) + ")"
    if type_.get("kind") == "array":
        return "array of " + written_type(type_.get("items", {}))
    return type_text(type_)


def spec_line(key: str, data: dict[str, Any]) -> str:
    """``:KEY NAME: TYPE, flags -- description``: what ``parse_field`` reads into ``data``."""
    parts = [written_type(data.get("type", {"kind": "object"}))]
    if data.get("primary_key"):
        parts.append("pk")
    elif data.get("required") is True:
        parts.append("required")
    if data.get("required") is False:
        parts.append("optional")
    for flag in ("nullable", "unique", "index"):
        if data.get(flag):
            parts.append(flag)
    references = data.get("references")
    if references:
        parts.append(f"references {references['model']}.{references['field']}")
    if "default" in data:
        parts.append(f"default={json_text(data['default'])}")
    constraints = data.get("constraints", {})
    for name, word in _NUMBER_KEYS.items():
        if name in constraints:
            parts.append(f"{word}={json_text(constraints[name])}")
    for name, word in _TEXT_KEYS.items():
        if name in constraints:
            parts.append(f"{word}={json_text(str(constraints[name]))}")
    line = f":{key} {data.get('name', '')}: {', '.join(parts)}"
    description = " ".join(str(data.get("description", "")).split())
    return f"{line} -- {description}" if description else line


def example_block(example: dict[str, Any]) -> str:
    """``:example ...:`` and its JSON (or the text that was not JSON), indented."""
    kind, title = example.get("kind"), example.get("title", "")
    if kind == "request":
        what = f"request {title}"
    elif kind == "response":
        what = f"response {example.get('status', '')} {title}"
    else:
        what = title
    marker = f":example {' '.join(what.split())}:" if what.strip() else ":example:"
    text = (
        json.dumps(example["value"], indent=2, ensure_ascii=False)
        if "value" in example
        else str(example.get("text", ""))
    )
    lines = [f"   {line}" if line.strip() else "" for line in text.splitlines()]
    return "\n".join([marker, "", *lines])


def body_of(lines: list[str], examples: list[dict[str, Any]]) -> str:
    blocks = ["\n".join(lines)] if lines else []
    blocks += [example_block(example) for example in examples]
    return "\n\n".join(blocks)


def endpoint_form(item: Item) -> WrittenForm:
    fields = item.fields
    options: dict[str, str | None] = {"id": item.id}
    if fields.get("summary"):
        options["summary"] = str(fields["summary"])
    if "auth" in fields:
        options["auth"] = (
            ", ".join(
                a["scheme"] + (f"({', '.join(a['scopes'])})" if a.get("scopes") else "")
                for a in fields["auth"]
            )
            or "none"
        )
    if fields.get("request"):
        options["request"] = written_type(fields["request"])
    responses = [
        r["status"] + (f": {written_type(r['type'])}" if r.get("type") else "")
        for r in fields.get("responses", [])
    ]
    if responses:
        options["response"] = ", ".join(responses)
    if fields.get("rate_limit"):
        options["rate-limit"] = str(fields["rate_limit"])
    lines = [spec_line(p["in"], p) for p in fields.get("parameters", [])]
    return WrittenForm(
        f"{fields.get('method', '')} {fields.get('path', '')}".strip(),
        options,
        body_of(lines, fields.get("examples", [])),
    )


def model_form(item: Item) -> WrittenForm:
    fields = item.fields
    name = str(fields.get("name") or item.id)
    options: dict[str, str | None] = {"id": item.id}
    indexes = [
        ("unique " if index.get("unique") else "") + ", ".join(index.get("fields", []))
        for index in fields.get("indexes", [])
    ]
    if indexes:
        options["indexes"] = "; ".join(indexes)
    if fields.get("open"):
        options["open"] = None
    lines = [spec_line("field", f) for f in fields.get("fields", [])]
    argument = name if item.title == name else f"{name} {item.title}"
    return WrittenForm(argument, options, body_of(lines, fields.get("examples", [])))
