"""Risks: derived severity, the risk register, and the optional mitigation gate.

Severity is derived from likelihood and impact on the configured scales, so a
register sorts the same way in every project that shares the scales.
"""

from __future__ import annotations

import math
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from ..config import config_location
from ..diagnostics import warn
from ..directives import ItemDirective
from ..domain import DOMAIN, TechspecDomain
from ..model import Item, natural_key
from ..rendering import item_reference
from ..status_styles import state_badge
from ..tables import Row, build_table, joined
from ..view import ViewNode, info_line
from .views import TemplateViewDirective, field_text

#: Risk statuses the mitigation gate leaves alone: consciously accepted or gone.
GATE_EXEMPT_STATUSES = ("accepted", "closed")


def derive_severity(
    likelihood: str | None, impact: str | None, levels: list[str], severities: list[str]
) -> str | None:
    """Map likelihood x impact onto the severity scale, both lowest first.

    The product of the two ranks, as a share of the largest product, picks the
    severity: with three levels and four severities, low x high is medium and
    high x high is critical.
    """
    if likelihood not in levels or impact not in levels or not severities:
        return None
    score = (levels.index(likelihood) + 1) * (levels.index(impact) + 1)
    share = score / (len(levels) ** 2)
    index = min(len(severities), max(1, math.ceil(share * len(severities)))) - 1
    return severities[index]


def severity_rank(item: Item, severities: list[str]) -> int:
    """Higher is worse; -1 for a risk without a known severity."""
    severity = item.fields.get("severity")
    return severities.index(severity) if severity in severities else -1


def is_mitigated(domain: TechspecDomain, item: Item) -> bool:
    return any(domain.get(target) for target in item.links.get("mitigated-by", ()))


class RiskDirective(ItemDirective):
    """``.. risk:: RISK-1 Title``: a risk whose severity follows from its scores."""

    def extra_fields(self, item_id: str) -> dict[str, Any]:
        if "severity" in self.options:
            return {}
        severity = derive_severity(
            self.options.get("likelihood"),
            self.options.get("impact"),
            list(self.config.techspec_risk_levels),
            list(self.config.techspec_risk_severities),
        )
        return {"severity": severity} if severity else {}


class RiskRegisterDirective(TemplateViewDirective):
    """``.. risk-register::``: every risk, worst first, unmitigated ones marked."""

    default_types = ("risk",)
    shows = ("risk", "requirement", "component")


def render_risk_register(
    app: Sphinx, domain: TechspecDomain, docname: str, node: ViewNode
) -> list[nodes.Node]:
    severities = list(app.config.techspec_risk_severities)
    risks = sorted(
        node["filter"].select(domain),
        key=lambda risk: (-severity_rank(risk, severities), natural_key(risk.id)),
    )
    if not risks:
        return [info_line("No risks are recorded yet.")]
    rows: list[list[Any]] = []
    row_classes: list[list[str]] = []
    for risk in risks:
        mitigations = [
            item_reference(app, domain, docname, target, with_title=True)
            for target in sorted(risk.links.get("mitigated-by", ()), key=natural_key)
        ]
        mitigated = is_mitigated(domain, risk)
        if not mitigated:
            mitigations.append(
                nodes.strong(
                    "",
                    "unmitigated",
                    classes=["techspec-unmitigated-mark", "techspec-state-problem"],
                )
            )
        rows.append(
            [
                item_reference(app, domain, docname, risk.id, with_title=True),
                field_text(risk.fields.get("category")),
                field_text(risk.fields.get("likelihood")),
                field_text(risk.fields.get("impact")),
                state_badge(app.config, risk.fields.get("severity"), "risk"),
                state_badge(app.config, risk.fields.get("status"), "risk"),
                joined(mitigations),
            ]
        )
        row_classes.append([] if mitigated else ["techspec-unmitigated"])
    headers = ["Risk", "Category", "Likelihood", "Impact", "Severity", "Status", "Mitigated by"]
    body = [Row(cells, classes) for cells, classes in zip(rows, row_classes, strict=True)]
    table = build_table(headers, body, ["techspec-risk-register"])
    unmitigated = sum(1 for classes in row_classes if classes)
    summary = nodes.paragraph(
        "",
        f"{len(risks)} risk{'' if len(risks) == 1 else 's'}, {unmitigated} unmitigated.",
        classes=["techspec-view-summary"],
    )
    return [table, summary]


def check_risk_gate(app: Sphinx, env: BuildEnvironment) -> None:
    """Every risk at or above ``techspec_risk_gate`` must be mitigated (unless accepted)."""
    gate = app.config.techspec_risk_gate
    if not gate:
        return
    severities = list(app.config.techspec_risk_severities)
    if gate not in severities:
        warn(
            f"techspec_risk_gate {gate!r} is not one of techspec_risk_severities: "
            f"{', '.join(severities)}",
            "bad_config",
            config_location(app, "techspec_risk_gate"),
        )
        return
    domain: TechspecDomain = env.get_domain(DOMAIN)  # type: ignore[assignment]
    threshold = severities.index(gate)
    for risk in sorted(domain.items_of_type("risk"), key=Item.sort_key):
        if severity_rank(risk, severities) < threshold:
            continue
        if risk.fields.get("status") in GATE_EXEMPT_STATUSES or is_mitigated(domain, risk):
            continue
        warn(
            f"{risk.id}: {risk.fields['severity']} risk has no :mitigated-by: "
            f"(techspec_risk_gate is {gate!r})",
            "unmitigated_risk",
            risk.location,
        )
