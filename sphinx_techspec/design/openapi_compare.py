"""What two OpenAPI documents have to agree on: operations, parameters, statuses, fields.

One summary of a document (:func:`surface`), made the same way from the spec's
exported ``openapi.json`` and from an implementation's description, and one
comparison (:func:`differences`). The drift check warns with it; the import's
round-trip tests compare a source with its export with it. Only what a client
depends on is compared: an operation (method and path, parameter names in the
path aside), its parameters (place, name, required, JSON type), its response
statuses, and each schema's properties (name, required, JSON type).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .endpoints import HTTP_METHODS, path_parameters, route_key
from .openapi import UNSPECIFIED_RESPONSES
from .openapi_source import RefProblem, deref
from .openapi_types import is_object_schema, primary_type

_ENUM_KINDS = {str: "string", int: "integer", float: "number", bool: "boolean"}


@dataclass(frozen=True)
class Value:
    """A parameter or property: whether it is required and its JSON type (``None``: any)."""

    required: bool
    type: str | None


@dataclass
class Operation:
    method: str
    path: str
    operation_id: str | None
    #: (place, name) → value; header names in lower case (HTTP ignores their case).
    parameters: dict[tuple[str, str], Value] = field(default_factory=dict)
    statuses: set[str] = field(default_factory=set)


@dataclass
class Surface:
    """A document's operations by route and its schemas' properties by schema name."""

    operations: dict[tuple[str, str], Operation] = field(default_factory=dict)
    schemas: dict[str, dict[str, Value]] = field(default_factory=dict)


@dataclass(frozen=True)
class Difference:
    """One way the two documents differ.

    ``kind`` is operation, parameter, status, schema or field; ``side`` says where
    the thing is: ``spec`` (only there), ``implementation`` (only there) or
    ``both`` (there, but not the same); ``operation`` / ``schema`` name it in the
    spec's terms (the route key or schema name), for locating the warning.
    """

    kind: str
    side: str
    subject: str
    message: str
    operation: tuple[str, str] | None = None
    operation_id: str | None = None
    schema: str | None = None
    #: The parameter's place and name, or the field's name (``None`` for the rest).
    place: str | None = None
    name: str | None = None


def _safe(document: dict[str, Any], value: Any) -> Any:
    try:
        return deref(document, value)
    except RefProblem:
        return None


def json_type(document: dict[str, Any], schema: Any) -> str | None:
    """The JSON type a schema asks for (a model reference is ``object``), or ``None``."""
    resolved = _safe(document, schema)
    if not isinstance(resolved, dict):
        return None
    kind = primary_type(resolved)
    if kind is None and isinstance(resolved.get("enum"), list):
        kinds = {_ENUM_KINDS.get(type(v)) for v in resolved["enum"] if v is not None}
        return kinds.pop() if len(kinds) == 1 else None
    if kind is None and is_object_schema(resolved):
        return "object"
    return kind


def surface(document: dict[str, Any]) -> Surface:
    """The operations and schemas of a (plain, JSON-like) OpenAPI document."""
    result = Surface()
    paths = document.get("paths")
    for path, path_item in (paths if isinstance(paths, dict) else {}).items():
        path_item = _safe(document, path_item)
        if not isinstance(path_item, dict) or not isinstance(path, str):
            continue
        shared = path_item.get("parameters")
        for method, raw in path_item.items():
            if method.upper() not in HTTP_METHODS or not isinstance(raw, dict):
                continue
            operation = Operation(method.upper(), path, raw.get("operationId"))
            own = raw.get("parameters")
            for parameter in [
                *(shared if isinstance(shared, list) else []),
                *(own if isinstance(own, list) else []),
            ]:
                parameter = _safe(document, parameter)
                if not isinstance(parameter, dict):
                    continue
                place, name = parameter.get("in"), parameter.get("name")
                if not isinstance(place, str) or not isinstance(name, str):
                    continue
                if place == "header":
                    name = name.lower()
                    if name in ("accept", "content-type", "authorization"):
                        continue  # OpenAPI ignores them
                schema = parameter.get("schema")
                if schema is None and isinstance(parameter.get("content"), dict):
                    media = next(iter(parameter["content"].values()), {})
                    schema = media.get("schema") if isinstance(media, dict) else None
                operation.parameters[(place, name)] = Value(
                    bool(parameter.get("required")) or place == "path",
                    json_type(document, schema),
                )
            responses = raw.get("responses")
            if isinstance(responses, dict) and responses != UNSPECIFIED_RESPONSES:
                operation.statuses = {str(s).upper() if s != "default" else s for s in responses}
            result.operations[route_key(operation.method, path)] = operation
    components = document.get("components")
    schemas = components.get("schemas") if isinstance(components, dict) else None
    for name, schema in (schemas if isinstance(schemas, dict) else {}).items():
        result.schemas[name] = properties(document, schema, set())
    return result


def properties(document: dict[str, Any], schema: Any, seen: set[str]) -> dict[str, Value]:
    """A schema's properties, ``allOf`` parts merged (each local reference once)."""
    if isinstance(schema, dict) and isinstance(schema.get("$ref"), str):
        if schema["$ref"] in seen:
            return {}
        seen.add(schema["$ref"])
    resolved = _safe(document, schema)
    if not isinstance(resolved, dict):
        return {}
    found: dict[str, Value] = {}
    required = resolved.get("required") if isinstance(resolved.get("required"), list) else []
    parts = resolved.get("allOf")
    for part in parts if isinstance(parts, list) else []:
        found.update(properties(document, part, seen))
    props = resolved.get("properties")
    for name, prop in (props if isinstance(props, dict) else {}).items():
        found[name] = Value(name in required, json_type(document, prop))
    for name in required:
        if isinstance(name, str) and name in found and not found[name].required:
            found[name] = Value(True, found[name].type)
    return found


def _value_difference(spec: Value, implementation: Value) -> str:
    problems = []
    if spec.required != implementation.required:
        said = "required" if spec.required else "optional"
        other = "required" if implementation.required else "optional"
        problems.append(f"{said} in the spec, {other} in the implementation")
    if spec.type and implementation.type and spec.type != implementation.type:
        problems.append(f"{spec.type} in the spec, {implementation.type} in the implementation")
    return "; ".join(problems)


def differences(spec: Surface, implementation: Surface) -> list[Difference]:
    """Every operation, parameter, status and field that differs, in a stable order."""
    found: list[Difference] = []
    for key in sorted(set(spec.operations) | set(implementation.operations)):
        ours, theirs = spec.operations.get(key), implementation.operations.get(key)
        if theirs is None:
            assert ours is not None
            found.append(
                Difference(
                    "operation",
                    "spec",
                    f"{ours.method} {ours.path}",
                    f"{ours.method} {ours.path} is in the spec but not in the implementation",
                    key,
                    ours.operation_id,
                )
            )
            continue
        if ours is None:
            found.append(
                Difference(
                    "operation",
                    "implementation",
                    f"{theirs.method} {theirs.path}",
                    f"{theirs.method} {theirs.path} is in the implementation but not in the spec",
                    key,
                )
            )
            continue
        found += _operation_differences(key, ours, theirs)
    for name in sorted(set(spec.schemas) | set(implementation.schemas)):
        found += _schema_differences(name, spec.schemas.get(name), implementation.schemas.get(name))
    return found


def _operation_differences(
    key: tuple[str, str], ours: Operation, theirs: Operation
) -> list[Difference]:
    found: list[Difference] = []
    subject = f"{ours.method} {ours.path}"
    # Path parameters are matched by position: their names do not reach the wire.
    renamed = dict(zip(path_parameters(theirs.path), path_parameters(ours.path), strict=False))
    their_parameters = {
        (place, renamed.get(name, name) if place == "path" else name): value
        for (place, name), value in theirs.parameters.items()
    }

    def add(
        kind: str, side: str, message: str, place: str | None = None, name: str | None = None
    ) -> None:
        found.append(
            Difference(kind, side, subject, message, key, ours.operation_id, None, place, name)
        )

    for place, name in sorted(set(ours.parameters) | set(their_parameters)):
        what = f"{subject}: {place} parameter {name!r}"
        mine, other = ours.parameters.get((place, name)), their_parameters.get((place, name))
        if other is None:
            side, message = "spec", f"{what} is in the spec but not in the implementation"
        elif mine is None:
            side, message = "implementation", f"{what} is in the implementation but not in the spec"
        elif problem := _value_difference(mine, other):
            side, message = "both", f"{what}: {problem}"
        else:
            continue
        add("parameter", side, message, place, name)
    for status in sorted(ours.statuses - theirs.statuses):
        add(
            "status",
            "spec",
            f"{subject}: response {status} is in the spec but not in the implementation",
        )
    for status in sorted(theirs.statuses - ours.statuses):
        add(
            "status",
            "implementation",
            f"{subject}: response {status} is in the implementation but not in the spec",
        )
    return found


def _schema_differences(
    name: str, ours: dict[str, Value] | None, theirs: dict[str, Value] | None
) -> list[Difference]:
    if theirs is None:
        return [
            Difference(
                "schema",
                "spec",
                name,
                f"model {name} is in the spec but not in the implementation",
                schema=name,
            )
        ]
    if ours is None:
        return [
            Difference(
                "schema",
                "implementation",
                name,
                f"schema {name} is in the implementation but not in the spec",
                schema=name,
            )
        ]
    found = []
    for prop in sorted(set(ours) | set(theirs)):
        what = f"{name}.{prop}"
        if prop not in theirs:
            message, side = f"field {what} is in the spec but not in the implementation", "spec"
        elif prop not in ours:
            message, side = (
                f"field {what} is in the implementation but not in the spec",
                "implementation",
            )
        elif problem := _value_difference(ours[prop], theirs[prop]):
            message, side = f"field {what}: {problem}", "both"
        else:
            continue
        found.append(Difference("field", side, name, message, schema=name, name=prop))
    return found
