"""Checks that need every design item: model references, schemas, examples, routes.

Run in the check phase after reading, in (document, line) order, so serial and
parallel builds warn alike, and every build re-checks examples against the
current models even when only the model's page changed.
"""

from __future__ import annotations

import json
import os
from typing import Any

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from ..diagnostics import warn
from ..domain import DOMAIN, TechspecDomain
from ..model import Item
from ..suggestions import closest
from .endpoints import HTTP_METHODS, path_parameters, path_problems, response_type, route_key
from .field_syntax import SCALAR_TYPES, referenced_models, type_text
from .json_schema import (
    DIALECT,
    bundled_schema,
    example_errors,
    field_schema,
    model_schema,
    schema_problem,
)

#: At most this many mismatches are reported per example; the first ones say enough.
MAX_EXAMPLE_ERRORS = 3


def check_design(app: Sphinx, env: BuildEnvironment) -> None:
    domain: TechspecDomain = env.get_domain(DOMAIN)  # type: ignore[assignment]
    models = domain.derived("models_by_name")
    for model in sorted(domain.items_of_type("data-model"), key=Item.sort_key):
        check_model(model, models)
    endpoints = sorted(domain.items_of_type("api-endpoint"), key=Item.sort_key)
    check_routes(env, endpoints)
    for endpoint in endpoints:
        check_endpoint(endpoint, models)


def _unknown_model(name: str, models: dict[str, Item]) -> str:
    close = closest(name, models, cutoff=0.75)
    hint = f"did you mean {close!r}? " if close else ""
    return (
        f"unknown type or model {name!r} ({hint}types: {', '.join(SCALAR_TYPES)}, enum(...), "
        "array of TYPE, or a data-model name)"
    )


def check_model(model: Item, models: dict[str, Item]) -> None:
    name = model.fields.get("name", model.id)
    for field in model.fields.get("fields", []):
        where = model.at(field.get("line", model.lineno))
        for target in referenced_models(field["type"]):
            if target not in models:
                warn(
                    f"{name}.{field['name']}: {_unknown_model(target, models)}",
                    "unknown_model",
                    where,
                )
        references = field.get("references")
        if references:
            target = models.get(references["model"])
            if target is None:
                warn(
                    f"{name}.{field['name']}: references "
                    + _unknown_model(references["model"], models),
                    "unknown_model",
                    where,
                )
            elif references["field"] not in {f["name"] for f in target.fields.get("fields", [])}:
                warn(
                    f"{name}.{field['name']}: references {references['model']}."
                    f"{references['field']}, but {references['model']} has no field "
                    f"{references['field']!r}",
                    "unknown_model",
                    where,
                )
        if "default" in field and not referenced_models(field["type"]):
            check_default(name, field, where)
    schema = model_schema(model, models)
    problem = schema_problem(schema)
    if problem:
        warn(
            f"{name}: the JSON Schema derived from its fields is invalid: {problem}",
            "bad_schema",
            model.location,
        )
        return
    for example in model.fields.get("examples", []):
        check_example(model, example, schema, name, f"example of {name}")


def check_default(model_name: str, field: dict[str, Any], where: Any) -> None:
    """A field's default must satisfy the field's own type and constraints."""
    bare = {key: value for key, value in field.items() if key not in ("default", "description")}
    schema = {"$schema": DIALECT, **field_schema(bare, lambda _name: None)}
    if schema_problem(schema):
        return  # reported at the model as bad_schema
    try:
        errors = example_errors(field["default"], schema)
    except Exception:  # a library failure must not stop the build
        return
    for _path, reason in errors[:1]:
        warn(
            f"{model_name}.{field['name']}: default {json.dumps(field['default'])[:60]} "
            f"does not fit the field: {reason}",
            "bad_field",
            where,
        )


def check_endpoint(endpoint: Item, models: dict[str, Item]) -> None:
    fields = endpoint.fields
    types: dict[str, dict[str, Any]] = {}
    if fields.get("request"):
        types["request"] = fields["request"]
    for response in fields.get("responses", []):
        if response.get("type"):
            types[response["status"]] = response["type"]
    for what, type_ in types.items():
        option = ":request:" if what == "request" else f":response: {what}:"
        for target in referenced_models(type_):
            if target not in models:
                warn(
                    f"{endpoint.id}: {option} {_unknown_model(target, models)}",
                    "unknown_model",
                    endpoint.location,
                )
    for parameter in fields.get("parameters", []):
        problem = schema_problem({"$schema": DIALECT, **field_schema(parameter, lambda _: None)})
        if problem:
            warn(
                f"{endpoint.id}: {parameter['in']} parameter {parameter['name']!r} has an "
                f"invalid schema: {problem}",
                "bad_schema",
                endpoint.at(parameter.get("line", endpoint.lineno)),
            )
        for target in referenced_models(parameter["type"]):
            if target not in models:
                warn(
                    f"{endpoint.id}: {parameter['in']} parameter {parameter['name']!r}: "
                    f"{_unknown_model(target, models)}",
                    "unknown_model",
                    endpoint.at(parameter.get("line", endpoint.lineno)),
                )
    for example in fields.get("examples", []):
        key = "request" if example["kind"] == "request" else example.get("status", "")
        if key == "request":
            type_ = types.get(key)
        else:
            type_ = response_type(fields.get("responses", []), key)
        if type_ is None or "value" not in example:
            continue
        schema = bundled_schema(type_, models)
        if schema_problem(schema):
            continue  # reported once, at the model
        what = "request" if key == "request" else f"response {key}"
        check_example(endpoint, example, schema, type_text(type_), f"{endpoint.id}: example {what}")


def check_example(
    item: Item, example: dict[str, Any], schema: dict[str, Any], type_name: str, what: str
) -> None:
    if "value" not in example:
        return  # not JSON: reported as bad_json when it was read
    location = item.at(example.get("line", item.lineno))
    try:
        errors = example_errors(example["value"], schema)
    except Exception as error:  # a library failure must not stop the build
        warn(f"{what}: cannot be checked against {type_name}: {error}", "bad_schema", location)
        return
    for path, reason in errors[:MAX_EXAMPLE_ERRORS]:
        warn(f"{what} does not match {type_name} at {path}: {reason}", "example_invalid", location)


def check_routes(env: BuildEnvironment, endpoints: list[Item]) -> None:
    """The same METHOD + path (parameter names aside) twice; one path spelled two ways."""
    first: dict[tuple[str, str], Item] = {}
    spellings: dict[str, Item] = {}
    for endpoint in endpoints:
        method, path = endpoint.fields.get("method", ""), endpoint.fields.get("path", "")
        if method not in HTTP_METHODS or path_problems(path):
            continue  # reported at read time
        key = route_key(method, path)
        if key in first:
            other = first[key]
            where = os.path.relpath(env.doc2path(other.docname), env.srcdir)
            warn(
                f"{method} {path} is defined twice: also {other.id} at {where}:{other.lineno}",
                "duplicate_endpoint",
                endpoint.location,
            )
            continue
        first[key] = endpoint
        spelled = spellings.setdefault(key[1], endpoint)
        spelled_path = spelled.fields["path"]
        if path_parameters(spelled_path) != path_parameters(path):
            warn(
                f"{method} {path}: the same path as {spelled.fields['method']} {spelled_path} "
                f"({spelled.id}) with other parameter names; OpenAPI treats them as one path, "
                "so use the same names",
                "path_param",
                endpoint.location,
            )
