"""The core item types and link types: one declaration each.

Feature packages (detailed design, spec template) declare their own types in the
same way in their ``FEATURE``; a feature that lets its own types use a link type
declared here adds them with ``Feature.link_sources``.
"""

from __future__ import annotations

from .model import FieldSpec, ItemType, LinkType

STATUS = FieldSpec("status", "Status", "choice", choices_config="techspec_statuses")
PRIORITY = FieldSpec("priority", "Priority", "choice", choices_config="techspec_priorities")
TAGS = FieldSpec("tags", "Tags", "list")

#: Fields every item type takes.
COMMON_FIELDS: tuple[FieldSpec, ...] = (STATUS, PRIORITY, TAGS)

ITEM_TYPES: tuple[ItemType, ...] = (
    ItemType(
        "requirement",
        "Requirement",
        role="req",
        fields=(
            FieldSpec("kind", "Kind", "choice", choices_config="techspec_requirement_kinds"),
            FieldSpec("metric", "Metric"),
        ),
        layer="requirement",
    ),
    ItemType(
        "use-case",
        "Use case",
        role="uc",
        fields=(FieldSpec("actors", "Actors", "list"),),
        layer="need",
    ),
    ItemType("component", "Component", role="comp"),
    ItemType(
        "test-case",
        "Test case",
        role="test",
        layer="test",
    ),
)

LINK_TYPES: tuple[LinkType, ...] = (
    LinkType("verifies", "verified by", ("test-case",), ("requirement",)),
    LinkType("implements", "implemented by", ("component",), ("requirement",)),
    LinkType("refines", "refined by", ("requirement",), ("requirement", "use-case"), acyclic=True),
    LinkType("depends-on", "needed by", ("component",), ("component",), acyclic=True),
    LinkType("involves", "involved in", ("use-case",), ("component",)),
)

DEFAULT_STATUSES = [
    "draft",
    "proposed",
    "approved",
    "implemented",
    "verified",
    "rejected",
    "deprecated",
]
DEFAULT_PRIORITIES = ["high", "medium", "low"]
DEFAULT_REQUIREMENT_KINDS = [
    "functional",
    "performance",
    "security",
    "usability",
    "reliability",
    "compliance",
    "availability",
    "scalability",
    "maintainability",
    "interface",
    "data",
    "constraint",
]
