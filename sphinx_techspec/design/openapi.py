"""OpenAPI 3.1 export: ``openapi.json`` and ``schemas/<Model>.json`` in the HTML output.

Built from domain data when an HTML build finishes: endpoints become paths,
models ``components.schemas``, auth schemes ``securitySchemes``, error codes the
error responses. ``techspec_openapi = False`` turns it off; a dict sets
``title``, ``version``, ``description`` and ``servers``.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from sphinx.application import Sphinx

from ..domain import DOMAIN, TechspecDomain
from ..model import Item, natural_key
from .endpoints import (
    HTTP_METHODS,
    path_parameters,
    path_problems,
    response_type,
    route_key,
    status_phrase,
)
from .field_syntax import description_text
from .json_schema import (
    DIALECT,
    field_schema,
    model_schema,
    object_schema,
    type_schema,
    without_invalid_keywords,
)
from .settings import DesignConfig, design_config

#: The responses of an endpoint that declares none (OpenAPI 3.0 needs at least one).
UNSPECIFIED_RESPONSES = {"default": {"description": "Not specified"}}

_UNSAFE_KEY = re.compile(r"[^A-Za-z0-9_.-]")


def schema_key(name: str) -> str:
    """A ``components.schemas`` key (and file name) for a model name."""
    return _UNSAFE_KEY.sub("_", name)


def build_openapi(app: Sphinx) -> dict[str, Any]:
    domain: TechspecDomain = app.env.get_domain(DOMAIN)  # type: ignore[assignment]
    settings = design_config(app.env)
    models = domain.derived("models_by_name")

    def ref(name: str) -> str | None:
        model = models.get(name)
        if model is None:
            return None
        return "#/components/schemas/" + schema_key(model.fields.get("name", model.id))

    info: dict[str, Any] = {
        "title": settings.title or str(app.config.project or "API"),
        "version": settings.version or str(app.config.version or "0.0.0"),
    }
    if settings.description:
        info["description"] = settings.description
    document: dict[str, Any] = {"openapi": "3.1.0", "info": info}
    if settings.servers:
        document["servers"] = [dict(server) for server in settings.servers]

    endpoints = domain.items_of_type("api-endpoint")
    paths: dict[str, dict[str, Any]] = {}
    used_schemes: set[str] = set()
    tags: set[str] = set()
    declared = settings.auth_schemes
    #: Path shape (``/users/{}``) → the spelling used for it: OpenAPI forbids two
    #: spellings of one path (``/users/{id}`` and ``/users/{uid}``).
    spellings: dict[str, str] = {}
    for endpoint in sorted(endpoints, key=lambda e: (e.fields.get("path", ""), natural_key(e.id))):
        method = endpoint.fields.get("method", "")
        path = endpoint.fields.get("path", "")
        if path_problems(path) or method not in HTTP_METHODS:
            continue  # reported at read time; an invalid path would spoil the document
        key = spellings.setdefault(route_key(method, path)[1], path)
        operation = build_operation(domain, endpoint, ref, declared)
        if key != path:
            _rename_path_parameters(operation, path, key)
        for requirement in operation.get("security", []):
            used_schemes.update(requirement)
        tags.update(operation.get("tags", []))
        paths.setdefault(key, {}).setdefault(method.lower(), operation)
    document["paths"] = paths

    components: dict[str, Any] = {}
    schemas = {
        schema_key(model.fields.get("name", model.id)): without_invalid_keywords(
            {"$schema": DIALECT, **object_schema(model, ref)}
        )
        for model in domain.items_of_type("data-model")
    }
    for schema in schemas.values():
        schema.pop("$schema", None)
    if schemas:
        components["schemas"] = dict(sorted(schemas.items()))
    security = {name: declared[name] for name in sorted(used_schemes) if name in declared}
    if security:
        components["securitySchemes"] = security
    if components:
        document["components"] = components
    if tags:
        document["tags"] = [_tag(domain, name) for name in sorted(tags, key=natural_key)]
    return document


def _rename_path_parameters(operation: dict[str, Any], path: str, key: str) -> None:
    renamed = dict(zip(path_parameters(path), path_parameters(key), strict=True))
    for parameter in operation.get("parameters", []):
        if parameter["in"] == "path":
            parameter["name"] = renamed.get(parameter["name"], parameter["name"])


def _tag(domain: TechspecDomain, component_id: str) -> dict[str, Any]:
    tag: dict[str, Any] = {"name": component_id}
    component = domain.get(component_id)
    if component is not None and component.title:
        tag["description"] = component.title
    return tag


def build_operation(
    domain: TechspecDomain, endpoint: Item, ref: Any, schemes: dict[str, Any]
) -> dict[str, Any]:
    fields = endpoint.fields
    operation: dict[str, Any] = {"operationId": endpoint.id}
    if fields.get("summary"):
        operation["summary"] = fields["summary"]
    components = list(endpoint.links.get("component", ()))
    if components:
        operation["tags"] = components

    parameters = []
    declared = {(p["in"], p["name"]) for p in fields.get("parameters", [])}
    for parameter in fields.get("parameters", []):
        entry: dict[str, Any] = {
            "name": parameter["name"],
            "in": parameter["in"],
            "required": bool(parameter.get("required")) or parameter["in"] == "path",
            "schema": without_invalid_keywords(field_schema({**parameter, "description": ""}, ref)),
        }
        if parameter.get("description"):
            entry["description"] = description_text(parameter["description"])
        if parameter["in"] != "path" or parameter["name"] in path_parameters(fields["path"]):
            parameters.append(entry)
    for name in path_parameters(fields.get("path", "")):
        if ("path", name) not in declared:  # warned as path_param; keep the document valid
            parameters.append(
                {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
            )
    if parameters:
        operation["parameters"] = parameters

    examples = fields.get("examples", [])
    if fields.get("request"):
        operation["requestBody"] = {
            "required": True,
            "content": {
                "application/json": _media(fields["request"], ref, examples, "request", None)
            },
        }

    responses: dict[str, dict[str, Any]] = {}
    for response in fields.get("responses", []):
        status = response["status"]
        entry = {"description": status_phrase(status)}
        if response.get("type") or _examples_for(examples, "response", status):
            entry["content"] = {
                "application/json": _media(response.get("type"), ref, examples, "response", status)
            }
        responses[status] = entry
    for error_id in endpoint.links.get("errors", ()):
        error = domain.get(error_id)
        if error is None or "http-status" not in error.fields:
            continue
        status = str(error.fields["http-status"])
        if status not in responses:
            responses[status] = {"description": status_phrase(status)}
            # The body is the one declared for the status range (``4XX: Error``).
            body = response_type(fields.get("responses", []), status)
            if body or _examples_for(examples, "response", status):
                responses[status]["content"] = {
                    "application/json": _media(body, ref, examples, "response", status)
                }
        entry = responses[status]
        message = error.fields.get("message") or error.title
        line = f"{error.id}: {message}" if message else error.id
        described = entry.get("x-error-codes", [])
        entry["x-error-codes"] = [*described, error.id]
        if not described:
            entry["description"] = line
        else:
            entry["description"] += f"; {line}"
    operation["responses"] = dict(sorted(responses.items())) or copy.deepcopy(UNSPECIFIED_RESPONSES)

    auth = fields.get("auth")
    if auth is not None:
        # An unknown scheme was reported at read time; it cannot be referenced here.
        known = [r for r in auth if r["scheme"] in schemes]
        if known or not auth:
            operation["security"] = [{r["scheme"]: r.get("scopes", [])} for r in known]
    return operation


def _examples_for(examples: list[dict[str, Any]], kind: str, status: str | None) -> list[Any]:
    return [
        e
        for e in examples
        if e.get("kind") == kind and (status is None or e.get("status") == status) and "value" in e
    ]


def _media(
    type_: Any, ref: Any, examples: list[dict[str, Any]], kind: str, status: str | None
) -> dict[str, Any]:
    media: dict[str, Any] = {}
    if type_:
        media["schema"] = type_schema(type_, ref)
    chosen = _examples_for(examples, kind, status)
    if chosen:
        media["examples"] = {
            f"example-{position}": {
                **({"summary": example["title"]} if example.get("title") else {}),
                "value": example["value"],
            }
            for position, example in enumerate(chosen, start=1)
        }
    return media


def openapi_files(app: Sphinx, domain: TechspecDomain) -> dict[str, Any]:
    """``openapi.json`` and one ``schemas/<Model>.json`` per model (nothing without either)."""
    models = domain.items_of_type("data-model")
    if not models and not domain.items_of_type("api-endpoint"):
        return {}
    files: dict[str, Any] = {"openapi.json": build_openapi(app)}
    by_name = domain.derived("models_by_name")
    for model in models:
        name = schema_key(model.fields.get("name", model.id))
        files[f"schemas/{name}.json"] = without_invalid_keywords(model_schema(model, by_name))
    return files


#: At most this many problems are reported per exported file; the first ones say enough.
MAX_EXPORT_PROBLEMS = 5

_STATUS_KEY = re.compile(r"[1-5](?:\d\d|XX)\Z|default\Z")


def validate_openapi(
    app: Sphinx, domain: TechspecDomain, relative: str, content: Any
) -> list[tuple[str, Any]]:
    """Problems of an exported file, each located at the item that caused it.

    ``openapi.json`` is checked with openapi-spec-validator, each schema file
    against the JSON Schema meta-schema; both are imported only now, when an
    export is written.
    """
    if relative == "openapi.json":
        problems = _openapi_problems(domain, content)
    else:
        problems = _schema_file_problems(domain, relative, content)
    return list(dict.fromkeys(problems))[:MAX_EXPORT_PROBLEMS]


def _openapi_problems(domain: TechspecDomain, document: dict[str, Any]) -> list[tuple[str, Any]]:
    from openapi_spec_validator import OpenAPIV31SpecValidator

    problems: list[tuple[str, Any]] = []
    try:
        for error in OpenAPIV31SpecValidator(document).iter_errors():
            path = list(getattr(error, "absolute_path", ()) or ())
            item = _culprit(domain, document, path)
            pointer = "/" + "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in path)
            message = " ".join(str(getattr(error, "message", error)).split())[:300]
            prefix = f"{item.id}: " if item is not None else ""
            problems.append((f"{prefix}not valid OpenAPI 3.1 at {pointer}: {message}", _at(item)))
            if len(problems) >= MAX_EXPORT_PROBLEMS:
                break
    except Exception as exc:  # the validator itself failed on this document
        problems.append((f"cannot be checked as OpenAPI 3.1: {type(exc).__name__}: {exc}", None))
    return problems


def _at(item: Item | None) -> Any:
    return item.location if item is not None else None


def _culprit(domain: TechspecDomain, document: dict[str, Any], path: list[Any]) -> Item | None:
    """The item whose part of the document ``path`` points into."""
    if len(path) >= 3 and path[0] == "components" and path[1] == "schemas":
        for model in domain.items_of_type("data-model"):
            if schema_key(model.fields.get("name", model.id)) == path[2]:
                return model
        return None
    if len(path) < 2 or path[0] != "paths":
        return None
    path_item = document.get("paths", {}).get(path[1], {})
    if len(path) < 3:
        operations = [op for op in path_item.values() if isinstance(op, dict)]
        return domain.get(operations[0].get("operationId", "")) if operations else None
    operation = path_item.get(path[2], {})
    endpoint = domain.get(operation.get("operationId", "")) if isinstance(operation, dict) else None
    if len(path) >= 4 and path[3] == "responses":
        responses = operation.get("responses", {})
        statuses = (
            [path[4]] if len(path) >= 5 else [s for s in responses if not _STATUS_KEY.match(s)]
        )
        for status in statuses:
            for error_id in responses.get(status, {}).get("x-error-codes", []):
                error = domain.get(error_id)
                if error is not None:
                    return error
    return endpoint


def _schema_file_problems(
    domain: TechspecDomain, relative: str, schema: Any
) -> list[tuple[str, Any]]:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import SchemaError

    model = next(
        (
            m
            for m in domain.items_of_type("data-model")
            if f"schemas/{schema_key(m.fields.get('name', m.id))}.json" == relative
        ),
        None,
    )
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as error:
        prefix = f"{model.id}: " if model is not None else ""
        return [(f"{prefix}not a valid JSON Schema: {error.message[:300]}", _at(model))]
    except Exception as exc:
        return [(f"cannot be checked as JSON Schema: {type(exc).__name__}: {exc}", _at(model))]
    return []


def openapi_enabled(config: Any) -> bool:
    return DesignConfig.from_config(config).openapi
