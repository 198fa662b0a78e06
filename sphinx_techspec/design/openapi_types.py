"""OpenAPI schemas as the design syntax: field lines, types and data-model fields.

A schema becomes a field line (``:field email: string, required, format=email --
...``) that the build reads back. Every line written is parsed again with the
build's own :func:`~.field_syntax.parse_field` and must give exactly the data it
was made from; a piece that would not (a constraint beyond strict JSON, a regex
Python rejects, an enum value the syntax cannot hold) is left out and reported,
so the written project builds without warnings and says no more than the source.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from .body import strict_json
from .field_syntax import SCALAR_TYPES, parse_field, parse_type
from .json_schema import DIALECT, example_errors, field_schema, schema_problem
from .openapi_source import RefProblem, deref, schema_ref_name
from .written import spec_line, written_type

#: ``format`` values the design syntax has a type for.
FORMAT_TYPES = {"uuid": "uuid", "date": "date", "date-time": "datetime"}
_NUMBER_KEYS = ("minimum", "maximum", "minLength", "maxLength", "minItems", "maxItems")
NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*\Z")

#: Reports one thing the import left out or changed.
Note = Callable[[str], None]


def json_safe(value: Any) -> bool:
    """Whether ``value`` survives the build's strict, bounded JSON (digits, depth, size)."""
    try:
        strict_json(json.dumps(value, ensure_ascii=False))
    except (ValueError, TypeError, RecursionError):
        return False
    return True


class SchemaTypes:
    """Turns schemas of one document into design types, naming object schemas as models."""

    def __init__(self, document: dict[str, Any], model_names: dict[str, str], note: Note) -> None:
        self.document = document
        #: Source schema name → written model name, for the object schemas only.
        self.model_names = model_names
        self.note = note

    def type_of(
        self, schema: Any, where: str, seen: frozenset[str] = frozenset()
    ) -> dict[str, Any]:
        """The design type of ``schema`` (``{"kind": ...}``); ``object`` when nothing fits."""
        if isinstance(schema, dict) and isinstance(schema.get("$ref"), str):
            ref = schema["$ref"]
            name = schema_ref_name(ref)
            if name is not None and name in self.model_names:
                return {"kind": "model", "model": self.model_names[name]}
            if ref in seen:
                self.note(f"{where}: reference cycle through {ref[:80]!r}; written as object")
                return {"kind": "object"}
            try:
                target = deref(self.document, {"$ref": ref})
            except RefProblem as problem:
                self.note(f"{where}: {problem}; written as object")
                return {"kind": "object"}
            return self.type_of(target, where, seen | {ref})
        if not isinstance(schema, dict):
            return {"kind": "object"}
        parts = schema.get("allOf")
        if isinstance(parts, list) and len(parts) == 1 and "type" not in schema:
            return self.type_of(parts[0], where, seen)
        kind = primary_type(schema)
        if "enum" in schema and isinstance(schema["enum"], list):
            values = [v for v in schema["enum"] if v is not None]
            if values and all(json_safe(v) for v in values):
                written = {"kind": "enum", "values": values}
                if _reads_back(written):
                    return written
            self.note(
                f"{where}: enum values cannot be written in the field syntax; written as "
                f"{kind or 'object'}"
            )
        if kind == "array":
            items = self.type_of(schema.get("items", {}), f"{where} items", seen)
            return {"kind": "array", "items": items}
        if kind == "string":
            fmt = schema.get("format")
            return {"kind": FORMAT_TYPES.get(fmt, "string")}
        if kind in SCALAR_TYPES:
            return {"kind": kind}
        if kind is None and any(k in schema for k in ("oneOf", "anyOf", "allOf", "not")):
            self.note(
                f"{where}: oneOf/anyOf/allOf/not cannot be written as a field type; "
                "written as object"
            )
        return {"kind": "object"}

    def field_data(
        self, name: str, schema: Any, required: bool, description: str, where: str
    ) -> dict[str, Any]:
        """The data a field or parameter line stands for, reduced until it reads back."""
        resolved = schema
        try:
            resolved = deref(self.document, schema)
        except RefProblem:
            resolved = {}
        type_ = self.type_of(schema, where)
        data: dict[str, Any] = {"name": name, "description": description, "type": type_}
        if required:
            data["required"] = True
        if not isinstance(resolved, dict):
            return data
        if is_nullable(resolved):
            data["nullable"] = True
        is_model = type_["kind"] == "model"
        constraints: dict[str, Any] = {}
        for key in _NUMBER_KEYS if not is_model else ():
            value = resolved.get(key)
            if isinstance(value, int | float) and not isinstance(value, bool):
                if json_safe(value):
                    constraints[key] = value
                else:
                    self.note(f"{where}: {key} {str(value)[:40]} is beyond strict JSON; left out")
        pattern = resolved.get("pattern")
        if isinstance(pattern, str) and not is_model:
            if _pattern_ok(pattern):
                constraints["pattern"] = pattern
            else:
                self.note(f"{where}: pattern {pattern[:60]!r} cannot be written; left out")
        fmt = resolved.get("format")
        if (
            isinstance(fmt, str)
            and not is_model
            and FORMAT_TYPES.get(fmt) != type_["kind"]
            and re.fullmatch(r"[A-Za-z0-9_.-]+", fmt)
        ):
            constraints["format"] = fmt
        if constraints:
            data["constraints"] = constraints
        if "default" in resolved and not is_model:
            default = resolved["default"]
            if default is not None and json_safe(default) and _fits(data, default):
                data["default"] = default
            else:
                self.note(f"{where}: default {json.dumps(default)[:40]} does not fit; left out")
        return reads_back_or_reduced(data, where, self.note)


def primary_type(schema: dict[str, Any]) -> str | None:
    """``type`` of a schema, the non-null one of ``[X, "null"]`` (3.1) or ``None``."""
    kind = schema.get("type")
    if isinstance(kind, list):
        kinds = [k for k in kind if k != "null"]
        return kinds[0] if len(kinds) == 1 and isinstance(kinds[0], str) else None
    if kind is None and "properties" in schema:
        return "object"
    return kind if isinstance(kind, str) else None


def is_nullable(schema: dict[str, Any]) -> bool:
    kind = schema.get("type")
    return schema.get("nullable") is True or (isinstance(kind, list) and "null" in kind)


def is_object_schema(schema: Any) -> bool:
    """Whether a (dereferenced) schema is an object a data-model can describe with fields."""
    if not isinstance(schema, dict):
        return False
    if primary_type(schema) == "object":
        return True
    parts = schema.get("allOf")
    return schema.get("type") is None and isinstance(parts, list) and bool(parts)


def _pattern_ok(pattern: str) -> bool:
    if " -- " in pattern or "—" in pattern or "\n" in pattern:
        return False
    try:
        re.compile(pattern)
    except (re.error, RecursionError, OverflowError):
        return False
    return schema_problem({"$schema": DIALECT, "type": "string", "pattern": pattern}) is None


def _fits(data: dict[str, Any], default: Any) -> bool:
    bare = {k: v for k, v in data.items() if k not in ("default", "description")}
    schema = {"$schema": DIALECT, **field_schema(bare, lambda _name: None)}
    try:
        return schema_problem(schema) is None and not example_errors(default, schema)
    except Exception:  # a library failure: leave the default out
        return False


def _reads_back(type_: dict[str, Any]) -> bool:
    try:
        return parse_type(written_type(type_)) == type_
    except ValueError:
        return False


def _comparable(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k != "required" or v}


def reads_back_or_reduced(data: dict[str, Any], where: str, note: Note) -> dict[str, Any]:
    """``data`` if its line parses back to it; else without constraints, default, then type."""
    for attempt in range(3):
        line = spec_line("field", data)
        _name, _, spec = line[len(":field ") :].partition(": ")
        parsed = parse_field(data["name"], spec)
        if not parsed.problems and _comparable(parsed.data) == _comparable(data):
            return data
        if attempt == 0:
            note(f"{where}: its constraints or default cannot be written; left out")
            data = {k: v for k, v in data.items() if k not in ("constraints", "default")}
        else:
            note(f"{where}: its type cannot be written; written as object")
            data = {**data, "type": {"kind": "object"}}
    return data
