"""Fill the design placeholders at ``doctree-resolved``, from domain data only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

from ..diagnostics import warn
from ..diagrams import mermaid_or_fallback
from ..domain import DOMAIN, TechspecDomain
from ..model import Item, natural_key
from ..nodes import Renderer
from ..rendering import item_reference
from ..suggestions import did_you_mean_id
from ..tables import build_table
from ..urls import item_link
from ..view import ViewNode, nothing_matches
from .common import type_nodes
from .endpoints import status_phrase
from .er_diagram import CARDINALITY_WORDS, mermaid_code, model_name, relationships
from .field_syntax import referenced_models
from .nodes import EndpointResponses, ModelRef, ModelUsage


class Resolver:
    """The lookups one page needs, computed once per page."""

    def __init__(self, app: Sphinx, docname: str) -> None:
        self.app = app
        self.docname = docname
        self.domain: TechspecDomain = app.env.get_domain(DOMAIN)  # type: ignore[assignment]
        self.models: dict[str, Item] = self.domain.derived("models_by_name")

    def link(self, item: Item, content: nodes.Node) -> nodes.Node:
        return item_link(self.app, self.docname, item, content)

    def ref(self, item_id: str) -> nodes.Node:
        return item_reference(self.app, self.domain, self.docname, item_id, with_title=True)

    # -- inline model references -------------------------------------------------

    def model_ref(self, node: ModelRef) -> nodes.Node:
        model = self.models.get(node["model"])
        content = node.children[0] if node.children else nodes.literal("", node["model"])
        content = content.deepcopy()
        if model is None:
            content["classes"].append("techspec-unknown")
            return content
        return self.link(model, content)

    # -- endpoint responses --------------------------------------------------------

    def responses(self, node: EndpointResponses) -> list[nodes.Node]:
        endpoint = self.domain.get(node["item_id"])
        if endpoint is None or endpoint.type != "api-endpoint":
            return []
        rows: list[tuple[tuple[Any, ...], list[Any]]] = []
        for response in endpoint.fields.get("responses", []):
            status = response["status"]
            body = type_nodes(response["type"]) if response.get("type") else "—"
            rows.append(((status, 0, ""), [status, body, status_phrase(status)]))
        for error_id in endpoint.links.get("errors", ()):
            error = self.domain.get(error_id)
            status = str(error.fields.get("http-status", "")) if error else ""
            message = error.fields.get("message", "") if error else ""
            rows.append(((status or "~", 1, error_id), [status, self.ref(error_id), message]))
        if not rows:
            return []
        rows.sort(key=lambda row: (row[0][0], row[0][1], natural_key(row[0][2])))
        caption = nodes.paragraph(classes=["techspec-table-caption"])
        caption += nodes.strong("", "Responses:")
        table = build_table(
            ["Status", "Body / error", "Meaning"],
            [cells for _, cells in rows],
            ["techspec-responses"],
        )
        return [caption, table]

    # -- model usage -----------------------------------------------------------------

    def usage(self, node: ModelUsage) -> list[nodes.Node]:
        model = self.domain.get(node["item_id"])
        if model is None or model.type != "data-model":
            return []
        names = {model.id, model_name(model)}
        by_endpoints, by_models = self.domain.derived("model_usage")
        endpoints = {e for name in names for e in by_endpoints.get(name, ())}
        referencing = {m for name in names for m in by_models.get(name, ())} - {model.id}
        field_list = nodes.field_list(classes=["techspec-links"])
        for label, ids in (("Used by endpoints", endpoints), ("Referenced by models", referencing)):
            if ids:
                paragraph = nodes.paragraph()
                for position, item_id in enumerate(sorted(ids, key=natural_key)):
                    if position:
                        paragraph += nodes.Text(", ")
                    paragraph += self.ref(item_id)
                field_list += nodes.field(
                    "", nodes.field_name("", label), nodes.field_body("", paragraph)
                )
        return [field_list] if len(field_list) else []

    # -- views -------------------------------------------------------------------------

    def error_catalog(self, node: ViewNode) -> list[nodes.Node]:
        errors = node["filter"].select(self.domain)
        if not errors:
            return [nothing_matches(node["filter"], "this error catalog")]
        errors.sort(key=lambda e: (str(e.fields.get("http-status", "~")), natural_key(e.id)))
        rows = []
        for error in errors:
            returned_by = [s for link, s in self.domain.incoming(error.id) if link == "errors"]
            endpoints: list[nodes.Node] = []
            for position, endpoint_id in enumerate(sorted(returned_by, key=natural_key)):
                if position:
                    endpoints.append(nodes.Text(", "))
                endpoints.append(self._endpoint_label(endpoint_id))
            rows.append(
                [
                    self.link(error, nodes.literal("", error.id)),
                    str(error.fields.get("http-status", "")),
                    error.fields.get("message", ""),
                    "yes" if error.fields.get("retryable") else "no",
                    endpoints,
                ]
            )
        return [
            build_table(
                ["Code", "HTTP status", "Message", "Retryable", "Returned by"],
                rows,
                ["techspec-error-catalog"],
            )
        ]

    def _endpoint_label(self, endpoint_id: str) -> nodes.Node:
        endpoint = self.domain.get(endpoint_id)
        if endpoint is None:
            return nodes.Text(endpoint_id)
        text = f"{endpoint.fields.get('method', '')} {endpoint.fields.get('path', '')}"
        return self.link(endpoint, nodes.literal("", text))

    def api_index(self, node: ViewNode) -> list[nodes.Node]:
        endpoints = node["filter"].select(self.domain)
        wanted = set(node.get("components") or [])
        for component_id in sorted(wanted, key=natural_key):
            if self.domain.get(component_id) is None:
                hint = did_you_mean_id(component_id, self.domain.items)
                where = node.get("components_location") or node
                warn(f"unknown ID {component_id!r} in :components:{hint}", "unknown_ref", where)
        if wanted:
            by_component = self.domain.derived("endpoints_by_component")
            chosen = {e for c in wanted for e in by_component.get(c, ())}
            endpoints = [e for e in endpoints if e.id in chosen]
        if not endpoints:
            return [nothing_matches(node["filter"], "this API index")]

        def group(endpoint: Item) -> tuple[int, tuple[Any, ...]]:
            components = endpoint.links.get("component", ())
            return (0, natural_key(components[0])) if components else (1, ())

        endpoints.sort(
            key=lambda e: (
                group(e),
                e.fields.get("path", ""),
                e.fields.get("method", ""),
                natural_key(e.id),
            )
        )
        rows = []
        for endpoint in endpoints:
            components = endpoint.links.get("component", ())
            component_cell: list[nodes.Node] = []
            for position, component_id in enumerate(components):
                if position:
                    component_cell.append(nodes.Text(", "))
                component_cell.append(self.ref(component_id))
            auth = endpoint.fields.get("auth")
            rows.append(
                [
                    component_cell or "—",
                    endpoint.fields.get("method", ""),
                    self.link(endpoint, nodes.literal("", endpoint.fields.get("path", ""))),
                    endpoint.fields.get("summary", ""),
                    _auth_summary(auth),
                ]
            )
        return [
            build_table(
                ["Component", "Method", "Path", "Summary", "Auth"], rows, ["techspec-api-index"]
            )
        ]

    def er_diagram(self, node: ViewNode) -> list[nodes.Node]:
        models = node["filter"].select(self.domain)
        wanted = set(node.get("models") or [])
        for name in sorted(wanted, key=natural_key):
            if name not in self.models and self.domain.get(name) is None:
                warn(f"unknown model {name!r} in :models:", "unknown_ref", node)
        if wanted:
            models = [m for m in models if {m.id, model_name(m)} & wanted]
        if not models:
            return [nothing_matches(node["filter"], "this diagram")]
        found = relationships(models, self.models)
        alt = node.get("caption") or "Entity-relationship diagram of " + ", ".join(
            model_name(m) for m in models
        )
        diagram = mermaid_or_fallback(
            self.app, mermaid_code(models, found), alt, self._er_fallback(models, found)
        )
        result: list[nodes.Node] = [diagram]
        if node.get("caption"):
            result.append(nodes.paragraph("", node["caption"], classes=["techspec-caption"]))
        return result

    def _er_fallback(self, models: list[Item], found: list[Any]) -> nodes.Element:
        """A relationship table for builders without Mermaid."""
        by_name = {model_name(m): m for m in models}
        if not found:
            paragraph = nodes.paragraph("", "Data models: ")
            for position, model in enumerate(models):
                if position:
                    paragraph += nodes.Text(", ")
                paragraph += self.link(model, nodes.literal("", model_name(model)))
            return paragraph
        rows = []
        for relation in found:
            rows.append(
                [
                    self.link(by_name[relation.parent], nodes.literal("", relation.parent)),
                    f"{CARDINALITY_WORDS[relation.parent_cardinality]} to "
                    f"{CARDINALITY_WORDS[relation.child_cardinality]}",
                    self.link(by_name[relation.child], nodes.literal("", relation.child)),
                    f"{relation.field} ({relation.kind})",
                ]
            )
        return build_table(["Model", "Relationship", "Model", "Through"], rows, ["techspec-er"])


def _auth_summary(auth: list[dict[str, Any]] | None) -> str:
    if auth is None:
        return ""
    if not auth:
        return "none"
    return " or ".join(requirement["scheme"] for requirement in auth)


def model_usage(domain: TechspecDomain) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Model name → endpoints using it, and → models referring to it; built once per build."""
    endpoints: dict[str, set[str]] = {}
    models: dict[str, set[str]] = {}
    for endpoint in domain.items_of_type("api-endpoint"):
        for name in _endpoint_models(endpoint):
            endpoints.setdefault(name, set()).add(endpoint.id)
    for model in domain.items_of_type("data-model"):
        for name in _model_models(model):
            models.setdefault(name, set()).add(model.id)
    return endpoints, models


def models_used_by_endpoints(domain: TechspecDomain) -> frozenset[str]:
    """IDs of the models an endpoint takes or returns as a body (the ``implicitly_used``
    index): used, though no typed link says so, so never an orphan."""
    endpoints = domain.derived("model_usage")[0]
    return frozenset(
        model.id
        for model in domain.items_of_type("data-model")
        if str(model.fields.get("name", model.id)) in endpoints
    )


def endpoints_by_component(domain: TechspecDomain) -> dict[str, set[str]]:
    """Component ID → IDs of the endpoints linked to it with ``:component:``."""
    found: dict[str, set[str]] = {}
    for endpoint in domain.items_of_type("api-endpoint"):
        for component in endpoint.links.get("component", ()):
            found.setdefault(component, set()).add(endpoint.id)
    return found


def _endpoint_models(endpoint: Item) -> list[str]:
    types = [endpoint.fields.get("request")] + [
        r.get("type") for r in endpoint.fields.get("responses", [])
    ]
    return [name for type_ in types if type_ for name in referenced_models(type_)]


def _model_models(model: Item) -> list[str]:
    names = []
    for field in model.fields.get("fields", []):
        names += referenced_models(field["type"])
        if field.get("references"):
            names.append(field["references"]["model"])
    return names


def _page_resolver(method: Callable[..., list[nodes.Node] | nodes.Node]) -> Renderer:
    """A ``Feature.placeholders`` resolver from a :class:`Resolver` method."""

    def resolve(
        app: Sphinx, domain: TechspecDomain, docname: str, node: nodes.Element
    ) -> list[nodes.Node]:
        result = method(Resolver(app, docname), node)
        return result if isinstance(result, list) else [result]

    return resolve


PLACEHOLDER_RESOLVERS: dict[type, Renderer] = {
    ModelRef: _page_resolver(Resolver.model_ref),
    EndpointResponses: _page_resolver(Resolver.responses),
    ModelUsage: _page_resolver(Resolver.usage),
}

render_error_catalog = _page_resolver(Resolver.error_catalog)
render_api_index = _page_resolver(Resolver.api_index)
render_er_diagram = _page_resolver(Resolver.er_diagram)
