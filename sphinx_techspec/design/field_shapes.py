"""The shape of each structured field the design items store, as JSON Schema.

Items written here get these fields from the directives' own parsers; items of
another project (a linked techspec.json) bring them as data, which the importer
checks against these shapes (``Feature.field_shapes``) before any check or view
reads them: a field of another shape is left out with a warning, never a crash.
"""

from __future__ import annotations

from typing import Any

_STRING: dict[str, Any] = {"type": "string"}
_LINE: dict[str, Any] = {"type": "integer"}
#: A field type: ``{"kind": "integer"}``, ``{"kind": "model", "model": "User"}``,
#: ``{"kind": "array", "items": TYPE}``, ``{"kind": "enum", "values": [...]}``.
TYPE: dict[str, Any] = {
    "$id": "techspec-design-type",
    "type": "object",
    "required": ["kind"],
    "properties": {"kind": _STRING, "model": _STRING, "values": {"type": "array"}},
    "allOf": [
        {"if": {"properties": {"kind": {"const": "model"}}}, "then": {"required": ["model"]}},
        {
            "if": {"properties": {"kind": {"const": "array"}}},
            "then": {"required": ["items"], "properties": {"items": {"$ref": "#"}}},
        },
        {"if": {"properties": {"kind": {"const": "enum"}}}, "then": {"required": ["values"]}},
    ],
}


def _list_of(properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    return {
        "type": "array",
        "items": {"type": "object", "required": required, "properties": properties},
    }


_FIELD_ENTRY = {
    "name": _STRING,
    "description": _STRING,
    "type": TYPE,
    "required": {"type": "boolean"},
    "constraints": {"type": "object"},
    "in": _STRING,
    "line": _LINE,
}

_DESCRIBED = {
    "summary": _STRING,
    "examples": _list_of(
        {"kind": _STRING, "title": _STRING, "status": _STRING, "line": _LINE}, ["kind"]
    ),
}

#: Item type → field → JSON Schema of its value.
FIELD_SHAPES: dict[str, dict[str, dict[str, Any]]] = {
    "api-endpoint": {
        **_DESCRIBED,
        "method": _STRING,
        "path": _STRING,
        "request": TYPE,
        "responses": _list_of({"status": _STRING, "type": TYPE}, ["status"]),
        "parameters": _list_of(_FIELD_ENTRY, ["name", "type"]),
        "auth": _list_of(
            {"scheme": _STRING, "scopes": {"type": "array", "items": _STRING}}, ["scheme"]
        ),
    },
    "data-model": {
        **_DESCRIBED,
        "name": _STRING,
        "table": _STRING,
        "open": {"type": "boolean"},
        "fields": _list_of(_FIELD_ENTRY, ["name", "type"]),
        "indexes": _list_of(
            {"fields": {"type": "array", "items": _STRING}, "unique": {"type": "boolean"}},
            ["fields"],
        ),
    },
    "error-code": {
        "message": _STRING,
        "http-status": {"type": "integer"},
        "retryable": {"type": "boolean"},
    },
}
