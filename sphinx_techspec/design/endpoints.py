"""``.. api-endpoint:: GET /users/{id}``: an endpoint card with parameters and examples."""

from __future__ import annotations

import re
from http import HTTPStatus
from typing import Any, ClassVar

from docutils import nodes

from ..diagnostics import warn
from ..directives import field_row
from ..model import Item
from ..options import text_option
from ..tables import build_table
from .auth import parse_auth
from .body import SplitBody, split_body
from .common import (
    BodyLinesDirective,
    InlineParser,
    example_nodes,
    first_content_line,
    load_example,
    parse_description,
    type_nodes,
)
from .field_syntax import (
    SyntaxProblem,
    constraint_texts,
    parse_field,
    parse_type,
    split_top_level,
)
from .nodes import EndpointResponses
from .settings import design_config

HTTP_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE")
PARAMETER_PLACES = ("path", "query", "header", "cookie")

_PATH_PARAMETER = re.compile(r"\{([^{}]*)\}")
_PARAMETER_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*\Z")
_STATUS = re.compile(r"[1-5](?:\d\d|XX)\Z|default\Z")


_RANGE_PHRASES = {
    "1XX": "Informational",
    "2XX": "Success",
    "3XX": "Redirection",
    "4XX": "Client error",
    "5XX": "Server error",
    "default": "Any other status",
}


def status_phrase(status: str) -> str:
    """``404`` → ``Not Found``; ``4XX`` → ``Client error``."""
    if status in _RANGE_PHRASES:
        return _RANGE_PHRASES[status]
    try:
        return HTTPStatus(int(status)).phrase
    except ValueError:
        return "Response"


def response_type(responses: list[dict[str, Any]], status: str) -> dict[str, Any] | None:
    """The body type for ``status``: its own response, else its range (``4XX``), else default."""
    by_status = {response["status"]: response for response in responses}
    for key in (status, f"{status[:1]}XX", "default"):
        if key in by_status:
            return by_status[key].get("type")
    return None


def path_parameters(path: str) -> list[str]:
    return _PATH_PARAMETER.findall(path)


def path_problems(path: str) -> list[str]:
    """What makes ``path`` unusable as an OpenAPI path template (empty: nothing)."""
    problems = []
    if not path.startswith("/") or " " in path:
        problems.append(f"endpoint path {path!r} must start with '/' and hold no spaces")
    if "{" in _PATH_PARAMETER.sub("", path) or "}" in _PATH_PARAMETER.sub("", path):
        problems.append(f"endpoint path {path!r} has unbalanced braces")
    names = path_parameters(path)
    for name in names:
        if not _PARAMETER_NAME.match(name):
            problems.append(f"path parameter {{{name}}} is not a valid name")
    for name in sorted({n for n in names if names.count(n) > 1}):
        problems.append(f"path parameter {{{name}}} appears twice in {path}")
    return problems


def derived_id(method: str, path: str) -> str:
    """``GET /users/{id}`` → ``GET-users-id``: the ID when ``:id:`` is not given."""
    words = re.sub(r"[^A-Za-z0-9_.]+", "-", path).strip("-")
    return f"{method}-{words or 'root'}"


def route_key(method: str, path: str) -> tuple[str, str]:
    """Method and path with parameter names blanked: ``/users/{id}`` = ``/users/{uid}``."""
    return method, _PATH_PARAMETER.sub("{}", path.rstrip("/") or "/")


class ApiEndpointDirective(BodyLinesDirective):
    """An HTTP endpoint; options for its contract, body lines for parameters and examples."""

    body_keys = frozenset(PARAMETER_PLACES)

    extra_options: ClassVar[dict[str, Any]] = {
        "id": text_option,
        "summary": text_option,
        "auth": text_option,
        "request": text_option,
        "response": text_option,
        "rate-limit": text_option,
    }

    method: str = ""
    path: str = ""
    body: SplitBody | None = None

    def run(self) -> list[nodes.Node]:
        if not (self.arguments and self.arguments[0].strip()):
            # No method and path: nothing to register; say so once, in our words.
            warn(
                "api-endpoint needs 'METHOD /path', e.g. 'GET /users/{id}'",
                "bad_endpoint",
                self.get_location(),
            )
            body = split_body(self.content, self.body_keys, first_content_line(self))
            return parse_description(self, body.description)
        return super().run()

    def parse_signature(self) -> tuple[str, str]:
        argument = " ".join((self.arguments[0] if self.arguments else "").split())
        method, _, path = argument.partition(" ")
        self.method, self.path = method.upper(), path.strip()
        location = self.get_location()
        if self.method not in HTTP_METHODS:
            warn(
                f"unknown HTTP method {method!r} (one of {', '.join(HTTP_METHODS)})",
                "bad_endpoint",
                location,
            )
        self.check_path(location)
        item_id = (self.options.get("id") or "").strip() or derived_id(self.method, self.path)
        summary = (self.options.get("summary") or "").strip()
        return item_id, summary or f"{self.method} {self.path}"

    def check_path(self, location: Any) -> None:
        for problem in path_problems(self.path):
            warn(problem, "bad_endpoint", location)

    def extra_fields(self, item_id: str) -> dict[str, Any]:
        docname = self.env.docname
        location = self.get_location()
        self.body = split_body(self.content, self.body_keys, first_content_line(self))
        data: dict[str, Any] = {"method": self.method, "path": self.path}
        if self.options.get("summary"):
            data["summary"] = self.options["summary"]
        if self.options.get("rate-limit"):
            data["rate_limit"] = self.options["rate-limit"]
        if "auth" in self.options:
            data["auth"] = parse_auth(
                self.options["auth"], design_config(self.env).auth_schemes, location
            )
        request = self.read_type(self.options.get("request"), ":request:", location)
        if request:
            data["request"] = request
        data["responses"] = self.read_responses(location)
        data["parameters"] = self.read_parameters(docname, location)
        data["examples"] = self.read_examples(docname, item_id)
        return data

    def read_type(self, raw: str | None, option: str, location: Any) -> dict[str, Any] | None:
        if not raw or not raw.strip():
            return None
        try:
            return parse_type(raw)
        except SyntaxProblem as problem:
            warn(f"{option} {problem}", "bad_field", location)
            return None

    def read_responses(self, location: Any) -> list[dict[str, Any]]:
        """``:response: 200: User, 201: User, 204`` → status and body type."""
        responses: list[dict[str, Any]] = []
        raw = (self.options.get("response") or "").replace("\n", ",")
        for entry in split_top_level(raw):
            status, _, type_text = entry.partition(":")
            status = status.strip()
            if not _STATUS.match(status):
                warn(
                    f":response: {entry!r} must be 'STATUS: Type' or 'STATUS' "
                    "(a status like 200, 4XX or default)",
                    "bad_field",
                    location,
                )
                continue
            response: dict[str, Any] = {"status": status}
            type_ = self.read_type(type_text, f":response: {status}:", location)
            if type_:
                response["type"] = type_
            responses.append(response)
        return responses

    def read_parameters(self, docname: str, location: Any) -> list[dict[str, Any]]:
        assert self.body is not None
        parameters: list[dict[str, Any]] = []
        seen: set[tuple[str, str]] = set()
        for line in self.body.lines:
            parsed = parse_field(line.arg, line.text)
            for problem in parsed.problems:
                warn(
                    problem.replace("field ", f"{line.key} parameter ", 1),
                    "bad_field",
                    self.line_location(line.line),
                )
            key = (line.key, line.arg)
            if key in seen:
                warn(
                    f"{line.key} parameter {line.arg!r} is declared twice",
                    "bad_field",
                    self.line_location(line.line),
                )
                continue
            seen.add(key)
            parameter = {**parsed.data, "in": line.key, "line": line.line}
            if line.key == "path":
                parameter["required"] = True
            parameters.append(parameter)
        in_path = path_parameters(self.path)
        declared = [p["name"] for p in parameters if p["in"] == "path"]
        for name in in_path:
            if name not in declared:
                warn(
                    f"{self.method} {self.path}: path parameter {{{name}}} is not declared "
                    f"(add ':path {name}: TYPE -- description' to the body)",
                    "path_param",
                    location,
                )
        for parameter in parameters:
            if parameter["in"] == "path" and parameter["name"] not in in_path:
                warn(
                    f"{self.method} {self.path}: path parameter {parameter['name']!r} "
                    "is declared but not in the path",
                    "path_param",
                    self.line_location(parameter["line"]),
                )
        return parameters

    def read_examples(self, docname: str, item_id: str = "") -> list[dict[str, Any]]:
        assert self.body is not None
        examples = []
        for example in self.body.examples:
            words = example.what.split()
            data: dict[str, Any]
            if words and words[0] == "request":
                data = {"kind": "request", "title": " ".join(words[1:])}
            elif len(words) >= 2 and words[0] == "response" and _STATUS.match(words[1]):
                data = {"kind": "response", "status": words[1], "title": " ".join(words[2:])}
            elif words and _STATUS.match(words[0]):
                data = {"kind": "response", "status": words[0], "title": " ".join(words[1:])}
            else:
                warn(
                    f"example {example.what!r} must say what it shows: ':example request:' or "
                    "':example response 200:'",
                    "bad_field",
                    self.line_location(example.marker_line),
                )
                data = {"kind": "other", "title": example.what}
            examples.append(load_example(example, self.line_location, data, item_id))
        return examples

    # -- rendering ---------------------------------------------------------------

    def build_header(self, item: Item) -> nodes.paragraph:
        header = nodes.paragraph(classes=["techspec-header"])
        method = item.fields.get("method", "")
        header += nodes.inline(
            "", method, classes=["techspec-badge", f"techspec-method-{method.lower()}"]
        )
        header += nodes.Text(" ")
        header += path_nodes(item.fields.get("path", ""))
        summary = item.fields.get("summary")
        if summary:
            header += nodes.inline("", " — ", classes=["techspec-summary-sep"])
            header += nodes.inline("", summary, classes=["techspec-title"])
        header += nodes.inline("", f" [{item.id}]", classes=["techspec-endpoint-id"])
        status = item.fields.get("status")
        if status:
            header += nodes.inline("", f" ({status})", classes=["techspec-status"])
        return header

    def build_fields(self, item: Item) -> nodes.field_list | None:
        field_list = super().build_fields(item) or nodes.field_list(classes=["techspec-fields"])
        if "auth" in item.fields:
            field_list += field_row("Auth", nodes.paragraph("", auth_text(item.fields["auth"])))
        if item.fields.get("rate_limit"):
            field_list += field_row("Rate limit", nodes.paragraph("", item.fields["rate_limit"]))
        if item.fields.get("request"):
            paragraph = nodes.paragraph()
            paragraph += type_nodes(item.fields["request"])
            field_list += field_row("Request body", paragraph)
        return field_list if len(field_list) else None

    def build_body(self, item: Item) -> list[nodes.Node]:
        body = self.body or split_body(self.content, self.body_keys, first_content_line(self))
        result = parse_description(self, body.description)
        parameters = item.fields.get("parameters", [])
        if parameters:
            result.append(parameter_table(parameters, self.inline))
        if item.id:
            self.domain.note_view(self.env.docname, ["data-model", "error-code"])
            result.append(EndpointResponses(item_id=item.id))
        result += example_nodes(item.fields.get("examples", []))
        return result


def path_nodes(path: str) -> nodes.literal:
    """The path with its ``{parameters}`` marked, for highlighting."""
    literal = nodes.literal(classes=["techspec-path"])
    position = 0
    for match in _PATH_PARAMETER.finditer(path):
        literal += nodes.Text(path[position : match.start()])
        literal += nodes.inline("", match.group(0), classes=["techspec-path-param"])
        position = match.end()
    literal += nodes.Text(path[position:])
    return literal


def auth_text(auth: list[dict[str, Any]]) -> str:
    if not auth:
        return "none (public)"
    texts = []
    for requirement in auth:
        scopes = requirement.get("scopes", [])
        texts.append(requirement["scheme"] + (f" ({', '.join(scopes)})" if scopes else ""))
    return " or ".join(texts)


def parameter_table(parameters: list[dict[str, Any]], inline: InlineParser) -> nodes.table:
    rows = []
    for parameter in parameters:
        description = inline(parameter.get("description", ""), parameter.get("line", 0))
        constraints = "; ".join(constraint_texts(parameter))
        if constraints:
            description.append(nodes.Text(f" ({constraints})" if description else constraints))
        rows.append(
            [
                nodes.literal("", parameter["name"]),
                parameter["in"],
                type_nodes(parameter["type"]),
                "yes" if parameter.get("required") else "no",
                description,
            ]
        )
    return build_table(
        ["Parameter", "In", "Type", "Required", "Description"], rows, ["techspec-parameters"]
    )
