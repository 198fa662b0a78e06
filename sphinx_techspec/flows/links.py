"""Links derived from flow bodies, and the checks that need every item.

Which names of a body are items, which are actors of a use case, and which
endpoint a message calls can only be known once every page is read. So in the
derive phase (every build, before checks and before the rewrite rule compares
items) each flow's ``has-participant`` and ``uses-endpoint`` links are recomputed
from its body; the core then shows them both ways ("takes part in SEQ-RESET", "used in
SEQ-RESET") like any other link. The checks run once per build after that.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from ..design.endpoints import route_key
from ..diagnostics import warn
from ..domain import DOMAIN, TechspecDomain
from ..model import Item, natural_key
from ..suggestions import did_you_mean_id
from .directives import DERIVED_LINKS, flow_of

FLOW_TYPES = ("sequence", "workflow")


def endpoint_routes(domain: TechspecDomain) -> dict[str, dict[tuple[str, str], Item]]:
    """Component ID → (method, path with blank parameters) → its endpoint."""
    routes: dict[str, dict[tuple[str, str], Item]] = {}
    for endpoint in domain.items_of_type("api-endpoint"):
        method, path = endpoint.fields.get("method", ""), endpoint.fields.get("path", "")
        for component in endpoint.links.get("component", ()):
            routes.setdefault(component, {}).setdefault(route_key(method, path), endpoint)
    return routes


def called_endpoint(
    routes: dict[str, dict[tuple[str, str], Item]], step: dict[str, Any]
) -> Item | None:
    if "method" not in step:
        return None
    return routes.get(step["to"], {}).get(route_key(step["method"], step["path"]))


def derive_links(app: Sphinx, env: BuildEnvironment) -> None:
    """Recompute every flow's derived links from its body (phase derive)."""
    domain: TechspecDomain = env.get_domain(DOMAIN)  # type: ignore[assignment]
    flows = domain.items_of_type(*FLOW_TYPES)
    if not flows:
        return
    routes = endpoint_routes(domain)
    changed = False
    for item in flows:
        flow = flow_of(item)
        derived: dict[str, list[str]] = {
            name: list(flow.get("declared_links", {}).get(name, ())) for name in DERIVED_LINKS
        }
        for name in flow.get("participants", ()):
            if name in domain.items:
                derived["has-participant"].append(name)
        for step in flow.get("steps", ()):
            endpoint = called_endpoint(routes, step)
            if endpoint is not None:
                derived["uses-endpoint"].append(endpoint.id)
            target = domain.get(step.get("item", ""))
            if target is not None:
                if target.type == "api-endpoint":
                    kind = "uses-endpoint"
                else:
                    kind = "names" if item.type == "workflow" else "has-participant"
                derived[kind].append(target.id)
        links = {name: targets for name, targets in item.links.items() if name not in derived}
        for name, targets in derived.items():
            if targets:
                links[name] = tuple(sorted(dict.fromkeys(targets), key=natural_key))
        if links != item.links:
            item.links = links
            changed = True
    if changed:
        domain.invalidate()


def actors_of(domain: TechspecDomain, item: Item) -> dict[str, str]:
    """Normalised actor name → use case ID, over the use cases ``item`` realises."""
    actors: dict[str, str] = {}
    for use_case_id in item.links.get("realises", ()):
        use_case = domain.get(use_case_id)
        if use_case is None:
            continue
        for actor in use_case.fields.get("actors", ()):
            actors.setdefault(normal_name(actor), use_case.id)
    return actors


def normal_name(name: str) -> str:
    return " ".join(name.replace("-", " ").replace("_", " ").lower().split())


def check_flows(app: Sphinx, env: BuildEnvironment) -> None:
    """Participants, endpoints and reply statuses of sequences; step items of workflows."""
    domain: TechspecDomain = env.get_domain(DOMAIN)  # type: ignore[assignment]
    flows = domain.items_of_type(*FLOW_TYPES)
    if not flows:
        return
    routes = endpoint_routes(domain)
    for item in sorted(flows, key=Item.sort_key):
        if item.type == "sequence":
            check_sequence(domain, routes, item)
        else:
            check_workflow(domain, item)


def check_sequence(
    domain: TechspecDomain, routes: dict[str, dict[tuple[str, str], Item]], item: Item
) -> None:
    flow = flow_of(item)
    steps = flow.get("steps", [])
    actors = actors_of(domain, item)
    first_line: dict[str, int] = {}
    for step in steps:
        for end in ("from", "to", "at"):
            if end in step:
                first_line.setdefault(step[end], step["line"])
    for name in flow.get("participants", ()):
        if name in domain.items or normal_name(name) in actors:
            continue
        realised = ", ".join(item.links.get("realises", ())) or "none: add :realises: UC-..."
        known = ", ".join(sorted(actors)) or "none"
        warn(
            f"{item.id}: participant {name!r} is neither an item ID nor an actor of a use case "
            f"it realises (use cases: {realised}; actors: {known})",
            "flow_participant",
            (item.docname, first_line.get(name, item.lineno)),
        )
    calls: list[tuple[dict[str, Any], Item | None]] = []
    for step in steps:
        if step["kind"] == "request":
            endpoint = called_endpoint(routes, step)
            calls.append((step, endpoint))
            receiver = domain.get(step["to"])
            if "method" in step and receiver is not None and endpoint is None:
                declared = sorted(
                    f"{e.fields.get('method')} {e.fields.get('path')}"
                    for e in routes.get(receiver.id, {}).values()
                )
                warn(
                    f"{item.id}: no api-endpoint of {receiver.id} declares "
                    f"{step['method']} {step['path']} (it declares: "
                    f"{', '.join(declared) or 'none'})",
                    "flow_endpoint",
                    (item.docname, step["line"]),
                )
        elif step["kind"] == "reply" and "status" in step:
            answered = _answered_request(calls, step)
            if answered is None:
                continue
            responses = [r["status"] for r in answered.fields.get("responses", ())]
            status = step["status"]
            if responses and not {status, f"{status[0]}XX", "default"} & set(responses):
                warn(
                    f"{item.id}: reply {status} to {answered.fields.get('method')} "
                    f"{answered.fields.get('path')}, which {answered.id} does not answer "
                    f"(it answers: {', '.join(responses)})",
                    "flow_status",
                    (item.docname, step["line"]),
                )


def _answered_request(
    calls: list[tuple[dict[str, Any], Item | None]], reply: dict[str, Any]
) -> Item | None:
    """The endpoint of the latest request from the reply's receiver to its sender."""
    for request, endpoint in reversed(calls):
        if request["from"] == reply["to"] and request["to"] == reply["from"]:
            return endpoint
    return None


def check_workflow(domain: TechspecDomain, item: Item) -> None:
    for step in flow_of(item).get("steps", ()):
        if step.get("item") and domain.get(step["item"]) is None:
            warn(
                f"{item.id}: step {step['name']!r} names unknown ID {step['item']!r}"
                + did_you_mean_id(step["item"], domain.items),
                "unknown_ref",
                (item.docname, step["line"]),
            )
