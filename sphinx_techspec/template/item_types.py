"""Item and link types of the spec template's own sections.

Spec header, scope entries, risks, environments, dependencies, metrics and
architecture decisions: one declaration each, so that directives, roles,
link options and reverse links follow from the core machinery.
"""

from __future__ import annotations

from ..model import FieldSpec, ItemType, LinkType
from .environments import EnvironmentDirective
from .risks import RiskDirective
from .spec_header import SpecHeaderDirective

ITEM_TYPES: tuple[ItemType, ...] = (
    ItemType(
        "spec-header",
        "Spec",
        fields=(
            FieldSpec("status", "Status", "choice", choices_config="techspec_spec_statuses"),
            FieldSpec("version", "Version"),
            FieldSpec("authors", "Authors", "list"),
            FieldSpec("reviewers", "Reviewers", "list"),
            FieldSpec("approved-by", "Approved by", "list"),
            FieldSpec("date", "Date", "date"),
        ),
        directive=SpecHeaderDirective,
        plural="Specs",
        traced=False,
    ),
    ItemType(
        "in-scope", "In scope", role="scope", plural="In-scope entries", layer="need", traced=False
    ),
    ItemType(
        "out-of-scope",
        "Out of scope",
        role="scope",
        plural="Out-of-scope entries",
        layer="need",
        traced=False,
    ),
    ItemType(
        "risk",
        "Risk",
        role="risk",
        fields=(
            FieldSpec("status", "Status", "choice", choices_config="techspec_risk_statuses"),
            FieldSpec(
                "category", "Category", "choice-list", choices_config="techspec_risk_categories"
            ),
            FieldSpec("likelihood", "Likelihood", "choice", choices_config="techspec_risk_levels"),
            FieldSpec("impact", "Impact", "choice", choices_config="techspec_risk_levels"),
            FieldSpec("severity", "Severity", "choice", choices_config="techspec_risk_severities"),
        ),
        directive=RiskDirective,
        layer="need",
    ),
    ItemType(
        "environment",
        "Environment",
        role="env",
        fields=(
            FieldSpec("url", "URL"),
            FieldSpec("purpose", "Purpose"),
            FieldSpec("deployment", "Deployed by"),
            FieldSpec("approvals", "Approvals", "list"),
        ),
        directive=EnvironmentDirective,
        traced=False,
    ),
    ItemType(
        "dependency",
        "Dependency",
        role="dep",
        fields=(
            FieldSpec("kind", "Kind", "choice", choices_config="techspec_dependency_kinds"),
            FieldSpec("version", "Version"),
            FieldSpec("package", "Package"),
            FieldSpec("license", "License"),
            FieldSpec("owner", "Owner"),
        ),
        plural="Dependencies",
    ),
    ItemType(
        "metric",
        "Metric",
        role="metric",
        fields=(
            FieldSpec("type", "Type", "choice", choices_config="techspec_metric_types"),
            FieldSpec("unit", "Unit"),
            FieldSpec("threshold", "Threshold"),
            FieldSpec("alert", "Alert"),
        ),
        layer="test",
    ),
    ItemType(
        "decision",
        "Decision",
        role="adr",
        fields=(
            FieldSpec("status", "Status", "choice", choices_config="techspec_decision_statuses"),
            FieldSpec("date", "Date", "date"),
            FieldSpec("deciders", "Deciders", "list"),
        ),
    ),
)

LINK_TYPES: tuple[LinkType, ...] = (
    LinkType("scope", "covered by", ("requirement",), ("in-scope",), label="in scope"),
    LinkType(
        "mitigated-by", "mitigates", ("risk",), ("requirement", "component"), label="mitigated by"
    ),
    LinkType(
        "promotes-to",
        "promoted from",
        ("environment",),
        ("environment",),
        label="promotes to",
        acyclic=True,
    ),
    LinkType("uses", "used by", ("component",), ("dependency",)),
    LinkType("measures", "measured by", ("metric",), ("requirement",)),
    LinkType(
        "supersedes",
        "superseded by",
        ("decision", "spec-header"),
        ("decision", "spec-header"),
        acyclic=True,
    ),
    LinkType("concerns", "decided by", ("decision",)),
)

DEFAULT_SPEC_STATUSES = ["draft", "in-review", "approved", "deprecated"]
DEFAULT_RISK_STATUSES = ["open", "mitigated", "accepted", "closed"]
DEFAULT_RISK_CATEGORIES = [
    "spoofing",
    "tampering",
    "repudiation",
    "information-disclosure",
    "denial-of-service",
    "elevation-of-privilege",
    "technical",
    "operational",
    "project",
    "compliance",
]
DEFAULT_RISK_LEVELS = ["low", "medium", "high"]
DEFAULT_RISK_SEVERITIES = ["low", "medium", "high", "critical"]
DEFAULT_DEPENDENCY_KINDS = ["library", "service", "external-api", "tool", "data"]
DEFAULT_METRIC_TYPES = ["counter", "gauge", "histogram", "summary", "log", "trace"]
DEFAULT_DECISION_STATUSES = ["proposed", "accepted", "rejected", "superseded", "deprecated"]
