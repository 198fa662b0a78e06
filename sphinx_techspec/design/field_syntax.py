"""The compact line syntax of model fields, endpoint parameters and response types.

One field per line, the same in reStructuredText and MyST because the lines are
read from the directive body before any markup parser sees them::

    :field email: string, required, unique, format=email, max-length=254 -- Login address.
    :field organization_id: uuid, references Organization.id -- Owning organisation.
    :query limit: integer, min=1, max=100, default=20 -- Page size.

Everything parsed here is plain JSON data (dicts, lists, strings, numbers), so it
can be stored in ``Item.fields`` and exported as it is.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from .body import strict_json

#: Scalar types and the JSON Schema each stands for.
SCALAR_TYPES: dict[str, dict[str, Any]] = {
    "string": {"type": "string"},
    "integer": {"type": "integer"},
    "number": {"type": "number"},
    "boolean": {"type": "boolean"},
    "uuid": {"type": "string", "format": "uuid"},
    "date": {"type": "string", "format": "date"},
    "datetime": {"type": "string", "format": "date-time"},
    "object": {"type": "object"},
}

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*\Z")
_MODEL_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*\Z")
_ENUM = re.compile(r"enum\s*\((?P<values>.*)\)\Z", re.DOTALL)
_ARRAY = re.compile(r"array\s+of\s+(?P<item>.+)\Z", re.DOTALL)
_REFERENCES = re.compile(r"references\s+(?P<model>[^\s.]+(?:\.[^\s.]+)*)\.(?P<field>[^\s.]+)\Z")
_DESCRIPTION_SEPARATOR = re.compile(r"\s+(?:--|—)\s+|\s+(?:--|—)\Z")

_NUMBER_CONSTRAINTS = {
    "min": "minimum",
    "max": "maximum",
    "min-length": "minLength",
    "max-length": "maxLength",
    "min-items": "minItems",
    "max-items": "maxItems",
}
_TEXT_CONSTRAINTS = {"pattern": "pattern", "format": "format"}
_FLAGS = {"required", "optional", "nullable", "unique", "index", "pk", "primary key"}


class SyntaxProblem(ValueError):
    """A malformed piece of field syntax; the message says what is wrong."""


@dataclass
class ParsedField:
    """One field or parameter line, with the problems found while reading it."""

    data: dict[str, Any]
    problems: list[str] = field(default_factory=list)


def split_top_level(text: str, separator: str = ",") -> list[str]:
    """Split on ``separator`` outside quotes and brackets: ``enum(a, b), required``."""
    parts: list[str] = []
    depth = 0
    quote = ""
    current: list[str] = []
    for char in text:
        if quote:
            if char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char in "([":
            depth += 1
        elif char in ")]":
            depth = max(depth - 1, 0)
        elif char == separator and depth == 0:
            parts.append("".join(current).strip())
            current = []
            continue
        current.append(char)
    parts.append("".join(current).strip())
    return [part for part in parts if part]


def parse_type(text: str) -> dict[str, Any]:
    """``string``, ``enum(a, b)``, ``array of User``, ``User`` → a JSON-able type dict."""
    text = " ".join(text.split())
    if not text:
        raise SyntaxProblem("the type is missing")
    if text in SCALAR_TYPES:
        return {"kind": text}
    enum = _ENUM.match(text)
    if enum:
        values = [literal_value(v) for v in split_top_level(enum.group("values"))]
        if not values:
            raise SyntaxProblem("enum() lists no values")
        return {"kind": "enum", "values": values}
    array = _ARRAY.match(text)
    if array:
        return {"kind": "array", "items": parse_type(array.group("item"))}
    if text.startswith(("enum", "array")):
        raise SyntaxProblem(f"cannot read type {text!r} (write enum(a, b) or array of TYPE)")
    if not _MODEL_NAME.match(text):
        raise SyntaxProblem(f"{text!r} is not a type or a model name")
    return {"kind": "model", "model": text}


def type_text(type_: dict[str, Any]) -> str:
    """The type as the user writes it, for tables and messages."""
    kind = type_.get("kind")
    if kind == "enum":
        return (
            "enum("
            + ", ".join(json.dumps(v) if not isinstance(v, str) else v for v in type_["values"])
            + ")"
        )
    if kind == "array":
        return "array of " + type_text(type_["items"])
    if kind == "model":
        return type_["model"]
    return str(kind)


def referenced_models(type_: dict[str, Any]) -> list[str]:
    """Model names a type refers to (``array of User`` → ``["User"]``)."""
    kind = type_.get("kind")
    if kind == "model":
        return [type_["model"]]
    if kind == "array":
        return referenced_models(type_["items"])
    return []


def literal_value(text: str) -> Any:
    """A JSON value if the text is one (``20``, ``true``, ``"a b"``), else the text."""
    text = text.strip()
    try:
        return strict_json(text)  # no NaN, Infinity or lone surrogates reach a schema
    except (ValueError, RecursionError):
        return text.strip("'")


def split_description(text: str) -> tuple[str, str]:
    """``spec -- description`` → (spec, description)."""
    match = _DESCRIPTION_SEPARATOR.search(text)
    if match is None:
        return text.strip(), ""
    return text[: match.start()].strip(), text[match.end() :].strip()


#: A backslash escape of ASCII punctuation: the same in reStructuredText and CommonMark.
_ESCAPED_PUNCTUATION = re.compile(r"\\([!-/:-@\[-`{-~])")


def description_text(description: str) -> str:
    """The text a description shows, for exports (``openapi.json``, JSON Schemas).

    A description is kept as the page's inline markup and rendered by the page's
    parser, so text that must stay text (an imported description) is written with
    backslash escapes (``\\`HH:mm\\```). Readers of an export get the text the page
    shows: each escaped punctuation character without its backslash (the inverse of
    the importers' ``escape_text``, in RST and MyST alike).
    """
    return _ESCAPED_PUNCTUATION.sub(r"\1", description)


def parse_field(name: str, spec: str) -> ParsedField:
    """Read ``TYPE[, flag]...[ -- description]`` for the field or parameter ``name``."""
    spec, description = split_description(spec)
    parsed = ParsedField({"name": name, "description": description})
    data = parsed.data
    if not _NAME.match(name):
        parsed.problems.append(f"{name!r} is not a valid field name")
    parts = split_top_level(spec)
    if not parts:
        parsed.problems.append(f"field {name!r} has no type")
        data["type"] = {"kind": "object"}
        return parsed
    try:
        data["type"] = parse_type(parts[0])
    except SyntaxProblem as problem:
        parsed.problems.append(f"field {name!r}: {problem}")
        data["type"] = {"kind": "object"}
    constraints: dict[str, Any] = {}
    for part in parts[1:]:
        try:
            _read_flag(part, data, constraints)
        except SyntaxProblem as problem:
            parsed.problems.append(f"field {name!r}: {problem}")
    if constraints:
        data["constraints"] = constraints
    if data.get("primary_key"):
        data["required"] = True
    return parsed


def _read_flag(part: str, data: dict[str, Any], constraints: dict[str, Any]) -> None:
    words = " ".join(part.split())
    lowered = words.lower()
    if lowered in _FLAGS:
        if lowered in ("pk", "primary key"):
            data["primary_key"] = True
        elif lowered == "optional":
            data["required"] = False
        else:
            data[lowered] = True
        return
    references = _REFERENCES.match(words)
    if references:
        data["references"] = {"model": references["model"], "field": references["field"]}
        return
    key, equals, value = words.partition("=")
    key = key.strip().lower()
    value = value.strip()
    if not equals:
        raise SyntaxProblem(
            f"unknown flag {words!r} (flags: required, optional, nullable, unique, index, pk, "
            "references Model.field, default=, min=, max=, min-length=, max-length=, "
            "min-items=, max-items=, pattern=, format=)"
        )
    if not value:
        raise SyntaxProblem(f"{key}= has no value")
    if key == "default":
        data["default"] = literal_value(value)
    elif key in _NUMBER_CONSTRAINTS:
        number = literal_value(value)
        if isinstance(number, bool) or not isinstance(number, int | float):
            raise SyntaxProblem(f"{key}= must be a number, not {value!r}")
        constraints[_NUMBER_CONSTRAINTS[key]] = number
    elif key in _TEXT_CONSTRAINTS:
        text = literal_value(value) if value[:1] == '"' else value
        constraints[_TEXT_CONSTRAINTS[key]] = str(text)
    else:
        raise SyntaxProblem(f"unknown setting {key}=")


def constraint_texts(data: dict[str, Any]) -> list[str]:
    """Short human-readable constraints of a parsed field, in a fixed order."""
    texts: list[str] = []
    if data.get("primary_key"):
        texts.append("primary key")
    if data.get("unique"):
        texts.append("unique")
    if data.get("index"):
        texts.append("indexed")
    if data.get("nullable"):
        texts.append("nullable")
    if "default" in data:
        texts.append(f"default {json.dumps(data['default'])}")
    labels = {
        "minimum": "min",
        "maximum": "max",
        "minLength": "min length",
        "maxLength": "max length",
        "minItems": "min items",
        "maxItems": "max items",
        "pattern": "pattern",
        "format": "format",
    }
    for key, label in labels.items():
        if key in data.get("constraints", {}):
            texts.append(f"{label} {data['constraints'][key]}")
    return texts
