"""The diagrams of sequences and workflows: Mermaid in a browser, a picture or a table elsewhere."""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

from ..diagrams import (
    FRONT_MATTER,
    Graph,
    GraphNode,
    NodeStyle,
    diagram_or_fallback,
    draws_diagrams,
    escape_text,
    legend,
    mermaid_node,
    node_name,
    node_style,
    safe_url,
)
from ..domain import TechspecDomain
from ..model import Item
from ..rendering import item_reference
from ..tables import build_table
from ..urls import item_url
from .directives import flow_of
from .links import actors_of, normal_name

#: Workflow step kinds → fixed styles (never user text).
STEP_STYLES: dict[str, tuple[str, NodeStyle]] = {
    "start": ("Start", node_style("tsStart", "grey", "#f1f5f9", "#334155", "stadium")),
    "step": ("Step", node_style("tsStep", "sky blue", "#e0f2fe", "#0369a1", "rounded box")),
    "decision": ("Decision", node_style("tsChoice", "amber", "#fef3c7", "#b45309", "diamond")),
    "end": ("End", node_style("tsEnd", "green", "#dcfce7", "#15803d", "stadium")),
    "fail": ("Failure", node_style("tsFail", "red", "#fee2e2", "#b91c1c", "stadium")),
}


SEQUENCE_LEGEND = (
    "solid arrow: a request",
    "dashed arrow: a reply",
    "click a participant for the link to its item",
)


def render_flow(
    app: Sphinx, domain: TechspecDomain, docname: str, node: nodes.Element
) -> list[nodes.Node]:
    item = domain.get(node["item_id"])
    if item is None or item.anchor != node["anchor"] or item.docname != node["docname"]:
        return []  # a duplicate ID: its first definition shows the diagram
    flow = flow_of(item)
    if not flow.get("steps"):
        return []
    alt = f"{domain.schema.label(item.type)} {item.id}: {item.title}"
    if item.type == "sequence":
        if not draws_diagrams(app):
            return [sequence_table(app, domain, docname, flow)]
        code = sequence_code(app, domain, docname, item.id, flow)
        diagram = [mermaid_node(code, alt), legend((), (), SEQUENCE_LEGEND)]
        return diagram_or_fallback(app, diagram, lambda: sequence_table(app, domain, docname, flow))
    if not draws_diagrams(app):
        return [workflow_table(app, domain, docname, flow)]
    graph, kinds = workflow_graph(app, domain, docname, flow)
    extra = ["dashed arrow: a path to a failure"] if "fail" in kinds else []
    styles = [STEP_STYLES[kind] for kind in STEP_STYLES if kind in kinds]
    diagram = [mermaid_node(graph.code(), alt), legend(styles, (), extra)]
    return diagram_or_fallback(app, diagram, lambda: workflow_table(app, domain, docname, flow))


# -- sequences -------------------------------------------------------------------------


def sequence_code(
    app: Sphinx, domain: TechspecDomain, docname: str, item_id: str, flow: dict[str, Any]
) -> str:
    item = domain.items[item_id]
    actors = actors_of(domain, item)
    names = {name: node_name(i, "p") for i, name in enumerate(flow["participants"])}
    lines = ["sequenceDiagram"]
    links = []
    for name, safe in names.items():
        target = domain.get(name)
        if target is None:
            keyword = "actor" if normal_name(name) in actors else "participant"
            lines.append(f"    {keyword} {safe} as {escape_text(name)}")
            continue
        text = f"{target.id}: {target.title}" if target.title else target.id
        lines.append(f"    participant {safe} as {escape_text(text)}")
        # A sequence line ends at '#': the fragment goes as the entity Mermaid decodes late.
        url = item_url(app, target, docname)
        if url:
            url = safe_url(url).replace("#", "#35;")
            links.append(f"    link {safe}: {escape_text(target.id)} @ {url}")
    for step in flow["steps"]:
        kind = step["kind"]
        if kind in ("request", "reply"):
            arrow = "->>" if kind == "request" else "-->>"
            source, target = names[step["from"]], names[step["to"]]
            lines.append(f"    {source}{arrow}{target}: {escape_text(step['text']) or ' '}")
        elif kind == "note":
            lines.append(f"    Note over {names[step['at']]}: {escape_text(step['text'])}")
        else:
            text = escape_text(step["text"])
            lines.append(f"    {kind} {text}".rstrip())
    lines += links
    return FRONT_MATTER + "\n".join(lines) + "\n"


def _who(app: Sphinx, domain: TechspecDomain, docname: str, name: str) -> nodes.Node:
    if domain.get(name) is None:
        return nodes.Text(name)
    paragraph = nodes.paragraph()
    paragraph += item_reference(app, domain, docname, name, with_title=True)
    return paragraph


def sequence_table(
    app: Sphinx, domain: TechspecDomain, docname: str, flow: dict[str, Any]
) -> nodes.Node:
    """One row per message; blocks and notes as rows of their own."""
    rows: list[list[Any]] = []
    number = 0
    depth = 0
    for step in flow["steps"]:
        kind = step["kind"]
        indent = "  " * depth
        if kind in ("request", "reply"):
            number += 1
            message = step["text"] if kind == "request" else f"reply: {step['text']}"
            rows.append(
                [
                    str(number),
                    _who(app, domain, docname, step["from"]),
                    _who(app, domain, docname, step["to"]),
                    indent + message,
                ]
            )
        elif kind == "note":
            rows.append(["", _who(app, domain, docname, step["at"]), "", f"note: {step['text']}"])
        else:
            if kind == "end":
                depth = max(0, depth - 1)
            rows.append(["", "", "", "  " * depth + f"{kind} {step['text']}".strip()])
            if kind in ("alt", "opt", "loop"):
                depth += 1
    return build_table(["#", "From", "To", "Message"], rows, ["techspec-sequence-table"])


# -- workflows --------------------------------------------------------------------------


def workflow_graph(
    app: Sphinx, domain: TechspecDomain, docname: str, flow: dict[str, Any]
) -> tuple[Graph, set[str]]:
    graph = Graph(direction="TD")
    names: dict[str, str] = {}
    kinds: set[str] = set()
    for position, step in enumerate(flow["steps"]):
        kinds.add(step["kind"])
        names[step["name"]] = node_name(position, "s")
        url, note = "", ""
        target = domain.get(step.get("item", ""))
        if target is not None:
            note = reader_name(target)
            url = item_url(app, target, docname) or ""
        style = STEP_STYLES[step["kind"]][1]
        graph.nodes.append(GraphNode(names[step["name"]], step["text"], style, url=url, note=note))
    fails = {s["name"] for s in flow["steps"] if s["kind"] == "fail"}
    for transition in flow["transitions"]:
        graph.add_edge(
            names[transition["from"]],
            names[transition["to"]],
            transition["text"],
            dashed=transition["to"] in fails,
        )
    return graph, kinds


def reader_name(item: Item) -> str:
    """What a step's item is called on its own line: an endpoint by method and path
    (its ID is derived from them), any other item by its ID."""
    method, path = item.fields.get("method"), item.fields.get("path")
    if item.type == "api-endpoint" and method and path:
        return f"{method} {path}"
    return item.id


def workflow_table(
    app: Sphinx, domain: TechspecDomain, docname: str, flow: dict[str, Any]
) -> nodes.Node:
    """One row per step: what it is, the item it names, where it leads."""
    following: dict[str, list[str]] = {}
    labels = {step["name"]: step["text"] for step in flow["steps"]}
    for transition in flow["transitions"]:
        target = labels[transition["to"]]
        text = f"{target} ({transition['text']})" if transition["text"] else target
        following.setdefault(transition["from"], []).append(text)
    rows: list[list[Any]] = []
    for step in flow["steps"]:
        item_cell: Any = ""
        if step.get("item"):
            item_cell = _who(app, domain, docname, step["item"])
        rows.append(
            [
                step["text"],
                STEP_STYLES[step["kind"]][0],
                item_cell,
                "; ".join(following.get(step["name"], [])) or "—",
            ]
        )
    return build_table(["Step", "Kind", "Item", "Next"], rows, ["techspec-workflow-table"])
