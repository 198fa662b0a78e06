"""``sphinx-techspec import-openapi FILE --out DIR``: an OpenAPI description as a spec.

Each operation becomes an ``api-endpoint`` and each schema of
``components.schemas`` a ``data-model``, written in the design syntax (options,
parameter and field lines, examples), with a ``conf.py`` and a root page, so the
folder builds with ``-W -n`` as written and exports an ``openapi.json`` with the
same operations. Text from the file is data: it is escaped for the page format,
never markup. What cannot be said in the design syntax (callbacks, links,
webhooks, composed schemas, examples that do not match) is left out and listed
in ``import-report.txt``.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..interchange.pages import (
    OutputError,
    PageItem,
    escape_text,
    heading,
    item_directive,
    one_line,
    plain_text,
    write_files,
)
from ..interchange.project_writer import ProjectDeclarations, project_files
from ..model import Item
from .endpoints import HTTP_METHODS, derived_id, path_parameters, path_problems, response_type
from .json_schema import bundled_schema, example_errors, model_schema, models_by_name
from .openapi_source import OpenApiError, OpenApiSource, RefProblem, deref, load_openapi
from .openapi_types import NAME, SchemaTypes, is_object_schema, json_safe
from .settings import DEFAULT_AUTH_SCHEMES
from .written import body_of, spec_line, written_type

REPORT = "import-report.txt"
#: Report lines from openapi-spec-validator (``openapi_source.validation_problems``).
VALIDATION_PREFIXES = ("not valid OpenAPI", "cannot be checked as OpenAPI")
PARAMETER_PLACES = ("path", "query", "header", "cookie")
#: Header parameters OpenAPI says to ignore: the protocol sets them.
IGNORED_HEADERS = {"accept", "content-type", "authorization"}
_STATUS = re.compile(r"[1-5](?:\d\d|XX)\Z|default\Z")
_ID = re.compile(r"[A-Za-z0-9_.-]+\Z")
_SCHEME = re.compile(r"[A-Za-z0-9_.-]+\Z")
_SCOPE = re.compile(r"[^(),\s]+\Z")
_SCHEME_TYPES = {"apiKey", "http", "mutualTLS", "oauth2", "openIdConnect"}


@dataclass
class Imported:
    """What the import wrote: files, report lines and counts."""

    files: dict[str, str] = field(default_factory=dict)
    report: list[str] = field(default_factory=list)
    endpoints: int = 0
    models: int = 0


def _media(content: Any) -> tuple[str, dict[str, Any]] | None:
    """The media type to describe: JSON first, else the first with a schema, else the first."""
    if not isinstance(content, dict) or not content:
        return None
    media = [(k, v) for k, v in content.items() if isinstance(v, dict)]
    for chosen in (
        [m for m in media if m[0].split(";")[0].strip() == "application/json"],
        [m for m in media if "json" in m[0]],
        [m for m in media if "schema" in m[1]],
        media,
    ):
        if chosen:
            return chosen[0]
    return None


class OpenApiImport:
    """One description converted to pages; ``note`` collects the report."""

    def __init__(self, source: OpenApiSource, fmt: str) -> None:
        self.source = source
        self.document = source.document
        self.fmt = fmt
        self.report: list[str] = list(source.problems)
        self.used_ids: set[str] = set()
        components = self.document.get("components")
        self.components = components if isinstance(components, dict) else {}
        schemas = self.components.get("schemas")
        self.schemas: dict[str, Any] = schemas if isinstance(schemas, dict) else {}
        self.model_names = self.name_models()
        self.object_models = {
            name
            for name in self.model_names
            if is_object_schema(self.safe_deref(self.schemas[name]))
        }
        self.types = SchemaTypes(
            self.document, {n: self.model_names[n] for n in self.object_models}, self.note
        )
        self.model_items: dict[str, Item] = {}
        self.schemes = self.security_schemes()

    def note(self, message: str) -> None:
        self.report.append(one_line(message))

    def safe_deref(self, value: Any) -> Any:
        try:
            return deref(self.document, value)
        except RefProblem:
            return None

    def unique_id(self, wanted: str) -> str:
        candidate, number = wanted, 2
        while candidate.lower() in self.used_ids:
            candidate = f"{wanted}-{number}"
            number += 1
        self.used_ids.add(candidate.lower())
        return candidate

    # -- models ------------------------------------------------------------------

    def name_models(self) -> dict[str, str]:
        names: dict[str, str] = {}
        for name in self.schemas:
            written = name if NAME.match(name) and re.fullmatch(r"[A-Za-z0-9_.-]+", name) else ""
            if not written:
                written = re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_.-") or "Model"
                if not NAME.match(written):
                    written = f"M_{written}"
                self.note(
                    f"schema {name[:60]!r} is named {written!r} (model names start with a "
                    "letter and hold letters, digits, '_', '.', '-')"
                )
            names[name] = self.unique_id(written)
        return names

    def properties_of(self, name: str, schema: Any, seen: set[str]) -> tuple[dict, list, bool]:
        """Properties, required names and openness of an object schema, ``allOf`` merged."""
        properties: dict[str, Any] = {}
        required: list[str] = []
        open_ = True
        schema = self.safe_deref(schema)
        if not isinstance(schema, dict):
            return properties, required, open_
        parts = schema.get("allOf") if isinstance(schema.get("allOf"), list) else []
        for part in parts:
            ref = part.get("$ref") if isinstance(part, dict) else None
            if isinstance(ref, str):
                if ref in seen:
                    continue
                seen.add(ref)
            more, needed, _open = self.properties_of(name, part, seen)
            properties.update(more)
            required += needed
        if parts:
            self.note(f"schema {name!r}: allOf written as one model with every part's fields")
        if isinstance(schema.get("properties"), dict):
            properties.update(schema["properties"])
        if isinstance(schema.get("required"), list):
            required += [r for r in schema["required"] if isinstance(r, str)]
        if schema.get("additionalProperties") is False and not schema.get("allOf"):
            open_ = False
        return properties, required, open_

    def model_item(self, name: str) -> tuple[PageItem, list[str]]:
        """The model's directive (its examples come later) and its field lines."""
        schema = self.safe_deref(self.schemas[name])
        written = self.model_names[name]
        options: dict[str, str | None] = {}
        lines: list[str] = []
        fields: list[dict[str, Any]] = []
        open_ = True
        description = ""
        if name not in self.object_models:
            shown = written_type(self.types.type_of(self.schemas[name], f"schema {name!r}"))
            self.note(
                f"schema {name!r} is not an object ({shown}): a data-model without fields; "
                f"where it is used, its type is written out"
            )
            description = plain_text(f"In the OpenAPI description, {written} is {shown}.", self.fmt)
        else:
            properties, required, open_ = self.properties_of(name, schema, {f"#{name}"})
            for prop, prop_schema in properties.items():
                where = f"schema {name!r} property {prop[:40]!r}"
                if not NAME.match(prop):
                    self.note(f"{where}: not a field name the syntax can hold; left out")
                    open_ = True
                    continue
                text = self.field_description(prop_schema)
                data = self.types.field_data(prop, prop_schema, prop in required, text, where)
                fields.append(data)
                lines.append(spec_line("field", data))
        if open_:
            options["open"] = None
        if isinstance(schema, dict) and schema.get("description"):
            description = plain_text(schema["description"], self.fmt) + (
                f"\n\n{description}" if description else ""
            )
        # The model as the build will read it, to check examples against before writing them.
        self.model_items[written] = Item(
            id=written,
            type="data-model",
            title=written,
            docname="",
            lineno=0,
            anchor="",
            fields={"name": written, "fields": fields, **({"open": True} if open_ else {})},
        )
        title = one_line(schema.get("title", "")) if isinstance(schema, dict) else ""
        argument = f"{written} {title}" if title else written
        return PageItem(
            "data-model", written, title, options, description, argument=argument
        ), lines

    def field_description(self, schema: Any) -> str:
        text = schema.get("description", "") if isinstance(schema, dict) else ""
        return escape_text(one_line(text), self.fmt) if text else ""

    def model_examples(self, name: str) -> list[dict[str, Any]]:
        schema = self.safe_deref(self.schemas[name])
        if not isinstance(schema, dict) or name not in self.object_models:
            return []
        values = []
        if "example" in schema:
            values.append(schema["example"])
        if isinstance(schema.get("examples"), list):
            values += schema["examples"]
        written = self.model_names[name]
        model = self.model_items[written]
        target = model_schema(model, models_by_name(self.model_items.values()))
        kept = []
        for value in values:
            if self.example_fits(value, target, f"schema {name!r} example"):
                kept.append({"kind": "model", "title": "", "value": value})
        return kept

    def example_fits(self, value: Any, schema: dict[str, Any], what: str) -> bool:
        if not json_safe(value):
            self.note(f"{what}: not strict, bounded JSON; left out")
            return False
        try:
            errors = example_errors(value, schema)
        except Exception as exc:  # a library failure: leave the example out
            self.note(f"{what}: cannot be checked ({type(exc).__name__}); left out")
            return False
        if errors:
            path, reason = errors[0]
            self.note(f"{what}: does not match at {path}: {one_line(reason)[:100]}; left out")
            return False
        return True

    # -- security ----------------------------------------------------------------

    def security_schemes(self) -> dict[str, Any]:
        declared = self.components.get("securitySchemes")
        schemes: dict[str, Any] = {}
        for name, scheme in (declared if isinstance(declared, dict) else {}).items():
            scheme = self.safe_deref(scheme)
            if not _SCHEME.match(name):
                self.note(f"security scheme {name[:40]!r}: the name cannot be written; left out")
            elif not isinstance(scheme, dict) or str(scheme.get("type")) not in _SCHEME_TYPES:
                self.note(f"security scheme {name!r}: no valid type; left out")
            else:
                schemes[name] = scheme
        return schemes

    def auth_option(self, security: Any, where: str) -> str | None:
        if not isinstance(security, list):
            return None
        alternatives: list[str] = []
        for requirement in security:
            if not isinstance(requirement, dict):
                continue
            if not requirement:
                self.note(f"{where}: optional auth ({{}}) cannot be written; left out")
                continue
            if len(requirement) > 1:
                self.note(
                    f"{where}: schemes required together ({', '.join(requirement)}) are "
                    "written as alternatives"
                )
            for scheme, scopes in requirement.items():
                if scheme not in self.schemes:
                    self.note(f"{where}: security scheme {scheme[:40]!r} is not declared; left out")
                    continue
                scopes = scopes if isinstance(scopes, list) else []
                kept = [s for s in scopes if isinstance(s, str) and _SCOPE.match(s)]
                if len(kept) != len(scopes):
                    self.note(f"{where}: scopes that cannot be written were left out")
                alternatives.append(scheme + (f"({', '.join(kept)})" if kept else ""))
        if not alternatives:
            return "none" if not any(isinstance(r, dict) and r for r in security) else None
        return ", ".join(dict.fromkeys(alternatives))

    # -- endpoints ---------------------------------------------------------------

    def operations(self) -> list[tuple[str, str, dict[str, Any], list[Any]]]:
        paths = self.document.get("paths")
        found = []
        for path, path_item in (paths if isinstance(paths, dict) else {}).items():
            path_item = self.safe_deref(path_item)
            if not isinstance(path_item, dict):
                self.note(f"path {path[:80]!r}: cannot be read; left out")
                continue
            shared = (
                path_item.get("parameters") if isinstance(path_item.get("parameters"), list) else []
            )
            for method, operation in path_item.items():
                if method.upper() not in HTTP_METHODS or not isinstance(operation, dict):
                    continue
                found.append((method.upper(), path, operation, shared))
        return found

    def endpoint_item(
        self, method: str, path: str, operation: dict[str, Any], shared: list[Any]
    ) -> PageItem | None:
        where = f"{method} {path}"
        problems = path_problems(path)
        if problems:
            self.note(f"{where}: {problems[0]}; left out")
            return None
        wanted = operation.get("operationId")
        if isinstance(wanted, str) and _ID.match(wanted) and wanted.lower() not in self.used_ids:
            item_id = self.unique_id(wanted)
        else:
            if isinstance(wanted, str):
                self.note(
                    f"{where}: operationId {wanted[:60]!r} cannot be the item ID; "
                    "the ID is derived from method and path"
                )
            item_id = self.unique_id(derived_id(method, path))
        options: dict[str, str | None] = {"id": item_id}
        if operation.get("summary"):
            options["summary"] = one_line(operation["summary"])
        security = operation.get("security", self.document.get("security"))
        auth = self.auth_option(security, where)
        if auth:
            options["auth"] = auth
        examples: list[dict[str, Any]] = []
        request = self.request_type(operation, where, examples)
        if request:
            options["request"] = written_type(request)
        responses = self.responses(operation, where, examples)
        if responses:
            options["response"] = ", ".join(
                r["status"] + (f": {written_type(r['type'])}" if r.get("type") else "")
                for r in responses
            )
        lines = self.parameter_lines(path, operation, shared, where)
        self.check_examples(examples, request, responses, where)
        for what in ("callbacks",):
            if operation.get(what):
                self.note(f"{where}: {what} are not imported")
        if operation.get("deprecated"):
            self.note(f"{where}: deprecated (not shown by the design syntax)")
        description = plain_text(operation.get("description", ""), self.fmt)
        body = "\n\n".join(p for p in (description, body_of(lines, examples)) if p)
        return PageItem("api-endpoint", item_id, "", options, body, argument=f"{method} {path}")

    def parameter_lines(
        self, path: str, operation: dict[str, Any], shared: list[Any], where: str
    ) -> list[str]:
        merged: dict[tuple[str, str], dict[str, Any]] = {}
        own = operation.get("parameters") if isinstance(operation.get("parameters"), list) else []
        for raw in [*shared, *own]:
            try:
                parameter = deref(self.document, raw)
            except RefProblem as problem:
                self.note(f"{where}: parameter {problem}; left out")
                continue
            if not isinstance(parameter, dict):
                continue
            name, place = parameter.get("name"), parameter.get("in")
            if not isinstance(name, str) or place not in PARAMETER_PLACES:
                self.note(f"{where}: a parameter without name or 'in'; left out")
                continue
            merged[(place, name)] = parameter
        lines = []
        in_path = path_parameters(path)
        for (place, name), parameter in merged.items():
            what = f"{where}: {place} parameter {name[:40]!r}"
            if place == "header" and name.lower() in IGNORED_HEADERS:
                self.note(f"{what}: ignored (OpenAPI ignores {name} parameters)")
                continue
            if not NAME.match(name):
                self.note(f"{what}: not a name the syntax can hold; left out")
                continue
            if place == "path" and name not in in_path:
                self.note(f"{what}: not in the path; left out")
                continue
            schema = parameter.get("schema")
            if schema is None:
                media = _media(parameter.get("content"))
                schema = media[1].get("schema", {}) if media else {}
            text = escape_text(one_line(parameter.get("description", "")), self.fmt)
            required = bool(parameter.get("required")) or place == "path"
            data = self.types.field_data(name, schema, required, text, what)
            data["in"] = place
            lines.append(spec_line(place, data))
        declared = {name for place, name in merged if place == "path"}
        for name in in_path:
            if name not in declared:
                self.note(f"{where}: path parameter {{{name}}} is not declared; written as string")
                lines.append(
                    spec_line("path", {"name": name, "type": {"kind": "string"}, "required": True})
                )
        return lines

    def request_type(
        self, operation: dict[str, Any], where: str, examples: list[dict[str, Any]]
    ) -> dict[str, Any] | None:
        body = self.safe_deref(operation.get("requestBody"))
        if not isinstance(body, dict):
            return None
        media = _media(body.get("content"))
        if media is None:
            self.note(f"{where}: request body without content; left out")
            return None
        type_ = self.types.type_of(media[1].get("schema", {}), f"{where} request body")
        self.collect_examples(media[1], {"kind": "request"}, examples, f"{where} request")
        return type_

    def responses(
        self, operation: dict[str, Any], where: str, examples: list[dict[str, Any]]
    ) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        declared = operation.get("responses")
        for status, response in (declared if isinstance(declared, dict) else {}).items():
            code = status.upper() if status != "default" else status
            if not _STATUS.match(code):
                self.note(f"{where}: response status {status[:20]!r} is not a status; left out")
                continue
            response = self.safe_deref(response)
            entry: dict[str, Any] = {"status": code}
            if isinstance(response, dict):
                media = _media(response.get("content"))
                if media is not None and "schema" in media[1]:
                    entry["type"] = self.types.type_of(
                        media[1]["schema"], f"{where} response {code}"
                    )
                if media is not None:
                    self.collect_examples(
                        media[1],
                        {"kind": "response", "status": code},
                        examples,
                        f"{where} response {code}",
                    )
                for what in ("headers", "links"):
                    if response.get(what):
                        self.note(f"{where} response {code}: {what} are not imported")
            found.append(entry)
        return found

    def collect_examples(
        self,
        media: dict[str, Any],
        data: dict[str, Any],
        examples: list[dict[str, Any]],
        what: str,
    ) -> None:
        if "example" in media:
            examples.append({**data, "title": "", "value": media["example"], "what": what})
        named = media.get("examples")
        for name, example in (named if isinstance(named, dict) else {}).items():
            example = self.safe_deref(example)
            if not isinstance(example, dict) or "value" not in example:
                self.note(
                    f"{what} example {name[:40]!r}: no value (externalValue is not read); left out"
                )
                continue
            title = re.sub(r"[^A-Za-z0-9_. -]+", " ", str(name)).strip()
            examples.append(
                {**data, "title": " ".join(title.split()), "value": example["value"], "what": what}
            )

    def check_examples(
        self,
        examples: list[dict[str, Any]],
        request: dict[str, Any] | None,
        responses: list[dict[str, Any]],
        where: str,
    ) -> None:
        """Keep the examples the build will accept: strict JSON matching their type."""
        models = models_by_name(self.model_items.values())
        kept = []
        for example in examples:
            what = example.pop("what")
            if example["kind"] == "request":
                type_ = request
            else:
                type_ = response_type(responses, example["status"])
            schema = bundled_schema(type_, models) if type_ is not None else {}
            if self.example_fits(example["value"], schema, f"{what} example"):
                kept.append(example)
        examples[:] = kept

    # -- pages -------------------------------------------------------------------

    def convert(self) -> Imported:
        result = Imported(report=self.report)
        fmt = self.fmt
        written = [self.model_item(name) for name in self.schemas]
        models = [item for item, _lines in written]
        for (item, lines), name in zip(written, self.schemas, strict=True):
            # Examples are checked once every model is known.
            body = body_of(lines, self.model_examples(name))
            item.body = "\n\n".join(p for p in (item.body, body) if p)
        endpoints: dict[str, list[PageItem]] = {}
        tags = self.tag_descriptions()
        for method, path, operation, shared in self.operations():
            item = self.endpoint_item(method, path, operation, shared)
            if item is None:
                continue
            named = operation.get("tags") if isinstance(operation.get("tags"), list) else []
            first = next((t for t in named if isinstance(t, str)), "")
            endpoints.setdefault(first, []).append(item)
        webhooks = self.document.get("webhooks")
        if isinstance(webhooks, dict) and webhooks:
            self.note(f"{len(webhooks)} webhooks are not imported (an api-endpoint needs a path)")
        result.models = len(models)
        result.endpoints = sum(len(items) for items in endpoints.values())
        info = self.document.get("info") if isinstance(self.document.get("info"), dict) else {}
        title = one_line(info.get("title") or self.source.path.stem)
        pages: dict[str, str] = {}
        if endpoints:
            pages["endpoints"] = self.endpoint_page(endpoints, tags)
        if models:
            parts = [heading("Data models", 0, fmt)]
            parts += [item_directive(item, fmt) for item in models]
            pages["models"] = "\n".join(parts)
        declarations = ProjectDeclarations(
            config={
                "techspec_openapi": self.openapi_settings(info),
                "techspec_auth_schemes": self.schemes,
            }
        )
        intro = str(info.get("description") or "")
        if not pages:
            intro += "\n\nNothing to import."
        result.files.update(
            project_files(fmt, title, pages, declarations, "import-openapi", intro=intro)
        )
        return result

    def tag_descriptions(self) -> dict[str, str]:
        tags = self.document.get("tags")
        return {
            tag["name"]: str(tag.get("description") or "")
            for tag in (tags if isinstance(tags, list) else [])
            if isinstance(tag, dict) and isinstance(tag.get("name"), str)
        }

    def endpoint_page(self, endpoints: dict[str, list[PageItem]], tags: dict[str, str]) -> str:
        fmt = self.fmt
        parts = [heading("Endpoints", 0, fmt)]
        order = [t for t in tags if t in endpoints] + [t for t in endpoints if t not in tags]
        grouped = any(order)
        for tag in sorted(order, key=lambda t: t == ""):
            if grouped:
                parts.append(heading(tag or "Other endpoints", 1, fmt))
                if tags.get(tag):
                    parts.append(plain_text(tags[tag], fmt) + "\n")
            parts += [item_directive(item, fmt) for item in endpoints[tag]]
        return "\n".join(parts)

    def openapi_settings(self, info: dict[str, Any]) -> dict[str, Any]:
        settings: dict[str, Any] = {}
        for key in ("title", "version", "description"):
            if isinstance(info.get(key), str | int | float) and str(info[key]):
                settings[key] = str(info[key])
        servers = self.document.get("servers")
        kept = [
            {k: v for k, v in server.items() if k in ("url", "description", "variables")}
            for server in (servers if isinstance(servers, list) else [])
            if isinstance(server, dict) and isinstance(server.get("url"), str) and server["url"]
        ]
        if kept:
            settings["servers"] = kept
        return settings


def import_openapi(path: Path, fmt: str) -> Imported:
    """Read, validate and convert one description (:class:`OpenApiError` if unreadable)."""
    converter = OpenApiImport(load_openapi(path), fmt)
    result = converter.convert()
    for name in sorted(set(DEFAULT_AUTH_SCHEMES) & set(converter.schemes)):
        result.report.append(f"security scheme {name!r} replaces the built-in scheme of that name")
    return result


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("openapi", metavar="FILE", type=Path, help="an OpenAPI 3.0/3.1 file")
    parser.add_argument("--out", required=True, type=Path, metavar="DIR", help="where to write")
    parser.add_argument("--format", choices=("rst", "md"), default="rst", help="page format")


def run(args: argparse.Namespace) -> int:
    try:
        result = import_openapi(args.openapi, args.format)
    except OpenApiError as exc:
        return fail(str(exc))
    except RecursionError:
        return fail(f"{args.openapi}: it is nested too deeply to convert; nothing was written")
    report = "\n".join(result.report) or "Everything was imported."
    result.files[REPORT] = report + "\n"
    try:
        write_files(args.out, result.files)
    except OutputError as exc:
        return fail(str(exc))
    invalid = [line for line in result.report if line.startswith(VALIDATION_PREFIXES)]
    if invalid:
        more = f" (and {len(invalid) - 1} more)" if len(invalid) > 1 else ""
        print(
            f"sphinx-techspec: warning: {args.openapi}: {invalid[0]}{more}; imported what "
            f"could be imported, see {REPORT}",
            file=sys.stderr,
        )
    problems = len(result.report)
    print(
        f"Wrote {counted(result.endpoints, 'endpoint')} and "
        f"{counted(result.models, 'data model')} to {args.out}"
        + (f"; {counted(problems, 'note')} in {args.out / REPORT}." if problems else ".")
    )
    return 0


def counted(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def fail(message: str) -> int:
    print(f"sphinx-techspec: error: {one_line(message)}", file=sys.stderr)
    return 2
