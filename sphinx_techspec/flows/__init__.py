"""Sequences and workflows: section 6 of the tech-spec template as checked items.

``.. sequence:: SEQ-RESET Password reset`` and ``.. workflow:: WF-CONFIRM ...`` hold a
diagram in a small line syntax (:mod:`.syntax`). Their participants and steps link
to items (derived links, :mod:`.links`), messages naming ``METHOD /path`` are checked
against the receiving component's endpoints, and the diagram is drawn from domain
data (:mod:`.render`). Declared with the feature contract (:mod:`sphinx_techspec.feature`).
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

from ..diagrams import node_style
from ..domain import TechspecDomain
from ..feature import Feature
from ..model import Item, ItemType, LinkType
from .directives import FlowDiagram, SequenceDirective, WorkflowDirective, flow_of
from .links import FLOW_TYPES, check_flows, derive_links
from .render import render_flow


def flow_export(app: Sphinx, domain: TechspecDomain, item: Item) -> dict[str, Any]:
    """The parsed body as a JSON object (the ``flow`` field holds it as JSON text)."""
    if item.type not in FLOW_TYPES:
        return {}
    return {"flow": flow_of(item)}


FEATURE = Feature(
    name="flows",
    # Fixed text only: never built from user input.
    diagram_styles={
        "sequence": node_style("tsSequence", "sky blue", "#e0f2fe", "#0369a1", "rounded box"),
        "workflow": node_style("tsWorkflow", "sky blue", "#e0f2fe", "#0369a1", "stadium"),
    },
    item_types=(
        ItemType("sequence", "Sequence", role="seq", directive=SequenceDirective),
        ItemType("workflow", "Workflow", role="flow", directive=WorkflowDirective),
    ),
    link_types=(
        LinkType("realises", "realised by", FLOW_TYPES, ("use-case",)),
        LinkType("has-participant", "takes part in", FLOW_TYPES, (), label="participants"),
        LinkType("uses-endpoint", "used in", FLOW_TYPES, ("api-endpoint",), label="calls"),
        # A workflow step that names an item (an error code, a component): not a participant.
        LinkType("names", "named in", ("workflow",), ()),
    ),
    placeholders={FlowDiagram: render_flow},
    # Derived links are item data: the rewrite rule and every check see them.
    derive=(derive_links,),
    checks=(check_flows,),
    item_export=(flow_export,),
    warnings={
        "flow_syntax": "a line of a sequence or workflow body cannot be read (no arrow, no "
        "colon, an unbalanced alt/else/end, a transition to an unknown step)",
        "flow_participant": "a sequence participant is neither an item ID nor an actor of a "
        "use case the sequence realises",
        "flow_endpoint": "a sequence message names METHOD /path, but no api-endpoint of the "
        "receiving component declares it",
        "flow_status": "a sequence reply has a status its endpoint does not answer",
    },
)
