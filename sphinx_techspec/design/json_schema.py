"""JSON Schema (draft 2020-12) derived from data-model fields.

One function builds a model's object schema with a caller-chosen way to refer to
other models: ``#/$defs/Name`` in a stand-alone schema file (every referenced
model bundled in ``$defs``), ``#/components/schemas/Name`` in OpenAPI.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from ..model import Item
from .field_syntax import SCALAR_TYPES, description_text, referenced_models

DIALECT = "https://json-schema.org/draft/2020-12/schema"

#: Model name → the ``$ref`` to it, or ``None`` for a model that does not exist.
RefMaker = Callable[[str], str | None]


def type_schema(type_: Mapping[str, Any], ref: RefMaker) -> dict[str, Any]:
    kind = type_.get("kind")
    if kind in SCALAR_TYPES:
        return dict(SCALAR_TYPES[kind])
    if kind == "enum":
        return {"enum": list(type_["values"])}
    if kind == "array":
        return {"type": "array", "items": type_schema(type_["items"], ref)}
    if kind == "model":
        target = ref(type_["model"])
        # An unknown model is reported elsewhere; accept anything rather than fail.
        return {"$ref": target} if target else {}
    return {}


def field_schema(field: Mapping[str, Any], ref: RefMaker) -> dict[str, Any]:
    schema = type_schema(field["type"], ref)
    schema.update(field.get("constraints", {}))
    if field.get("nullable"):
        schema = _nullable(schema)
    if "default" in field:
        schema["default"] = field["default"]
    if field.get("description"):
        schema["description"] = description_text(field["description"])
    return schema


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    if isinstance(schema.get("type"), str) and "$ref" not in schema:
        schema["type"] = [schema["type"], "null"]
        return schema
    if "enum" in schema:
        schema["enum"] = [*schema["enum"], None]
        return schema
    return {"anyOf": [schema, {"type": "null"}]}


def object_schema(model: Item, ref: RefMaker) -> dict[str, Any]:
    """The schema of one model's JSON object (no ``$schema``, no ``$defs``)."""
    fields = model.fields.get("fields", [])
    schema: dict[str, Any] = {"title": model.fields.get("name", model.id), "type": "object"}
    if model.title and model.title != schema["title"]:
        schema["description"] = model.title
    schema["properties"] = {f["name"]: field_schema(f, ref) for f in fields}
    required = [f["name"] for f in fields if f.get("required")]
    if required:
        schema["required"] = required
    if not model.fields.get("open"):
        schema["additionalProperties"] = False
    return schema


def models_by_name(models: Iterable[Item]) -> dict[str, Item]:
    """Model name → item, with IDs as a second way to name a model."""
    by_name: dict[str, Item] = {}
    models = list(models)
    for model in models:
        by_name.setdefault(model.id, model)
    for model in models:
        by_name[model.fields.get("name", model.id)] = model
    return by_name


def _closure(start: Iterable[str], models: Mapping[str, Item]) -> list[str]:
    """Every model reachable from ``start`` through field types, in a stable order."""
    seen: list[str] = []
    queue = [name for name in start if name in models]
    while queue:
        name = queue.pop(0)
        canonical = models[name].fields.get("name", models[name].id)
        if canonical in seen:
            continue
        seen.append(canonical)
        for field in models[name].fields.get("fields", []):
            queue.extend(n for n in referenced_models(field["type"]) if n in models)
    return sorted(seen)


def bundled_schema(type_: Mapping[str, Any], models: Mapping[str, Item]) -> dict[str, Any]:
    """A self-contained schema for ``type_`` with the models it uses in ``$defs``."""

    def ref(name: str) -> str | None:
        if name not in models:
            return None
        return "#/$defs/" + models[name].fields.get("name", models[name].id)

    schema: dict[str, Any] = {"$schema": DIALECT, **type_schema(type_, ref)}
    defs = _closure(referenced_models(type_), models)
    if defs:
        schema["$defs"] = {name: object_schema(models[name], ref) for name in defs}
    return schema


def model_schema(model: Item, models: Mapping[str, Item]) -> dict[str, Any]:
    """The stand-alone schema of a model, as written to ``schemas/<Model>.json``."""
    name = model.fields.get("name", model.id)

    def ref(target: str) -> str | None:
        if target not in models:
            return None
        return "#/$defs/" + models[target].fields.get("name", models[target].id)

    schema: dict[str, Any] = {"$schema": DIALECT, **object_schema(model, ref)}
    start = [n for f in model.fields.get("fields", []) for n in referenced_models(f["type"])]
    defs = _closure(start, models)
    if defs:
        schema["$defs"] = {other: object_schema(models[other], ref) for other in defs}
    if name in defs:
        # A model that contains itself: keep the root and its $defs entry identical.
        schema["$defs"][name] = object_schema(model, ref)
    return schema


def schema_problem(schema: Mapping[str, Any]) -> str | None:
    """What makes ``schema`` invalid as draft 2020-12 (e.g. a bad regex), or ``None``."""
    from jsonschema import Draft202012Validator  # only for projects with data models (50 ms)
    from jsonschema.exceptions import SchemaError

    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as error:
        where = "/".join(str(p) for p in error.absolute_path)
        return f"{error.message} (at {where or 'the root'})"
    return None


def without_invalid_keywords(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` minus the keywords that make it invalid, for exports.

    The build has warned ``bad_schema`` already; the exported files stay usable.
    """
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import SchemaError

    for _ in range(100):
        try:
            Draft202012Validator.check_schema(schema)
        except SchemaError as error:
            path = list(error.absolute_path)
            if not path:
                return {}
            parent: Any = schema
            for step in path[:-1]:
                parent = parent[step]
            del parent[path[-1]]
            continue
        return schema
    return {}


def example_errors(value: Any, schema: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(JSON path, reason) of each way ``value`` fails ``schema``, sorted by path."""
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    errors = [(error.json_path, error.message) for error in validator.iter_errors(value)]
    return sorted(errors)
