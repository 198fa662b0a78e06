"""Metrics watch non-functional requirements: a functional one is a wrong target."""

from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from ..diagnostics import warn
from ..domain import DOMAIN, TechspecDomain
from ..model import Item


def check_measured_requirements(app: Sphinx, env: BuildEnvironment) -> None:
    domain: TechspecDomain = env.get_domain(DOMAIN)  # type: ignore[assignment]
    for metric in sorted(domain.items_of_type("metric"), key=Item.sort_key):
        for target_id in metric.links.get("measures", ()):
            target = domain.get(target_id)
            if (
                target
                and target.type == "requirement"
                and target.fields.get("kind") == ("functional")
            ):
                warn(
                    f"{metric.id}: :measures: {target_id}, a functional requirement; "
                    f"metrics measure non-functional requirements (performance, reliability...)",
                    "wrong_link_type",
                    metric.location,
                )
