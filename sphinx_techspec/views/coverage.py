"""Coverage: the rules of ``techspec_coverage_rules``, their gates, ``.. coverage-report::``.

A rule says every item of a type needs a link of a link type, in either
direction (a requirement is *verified by* a test; an endpoint *implements* a
requirement)::

    techspec_coverage_rules = [
        {"type": "requirement", "link": "verifies"},
        {"type": "requirement", "link": "implements", "statuses": ["approved"]},
        {"type": "use-case", "link": "refines", "gate": False},  # reported, never warned
    ]

Every failing item of a gating rule gives one ``techspec.uncovered`` warning at
the item, so ``sphinx-build -W`` fails on it. The report shows counts by status,
each rule's coverage and the orphans (items linked to no item of another type).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.environment import BuildEnvironment

from ..config import BOOLEAN, NAMES, strict_object
from ..diagnostics import warn
from ..domain import DOMAIN, TechspecDomain
from ..filters import ItemFilter
from ..model import Item, split_list
from ..schema import SpecSchema
from ..tables import Row, build_table
from ..view import ViewDirective, ViewNode, info_line
from .common import (
    id_list,
    percent,
)


@dataclass(frozen=True, slots=True)
class CoverageRule:
    """Every item of ``item_type`` (with one of ``statuses``, if given) needs ``link``."""

    item_type: str
    link: str
    statuses: tuple[str, ...] = ()
    gate: bool = True

    def applies_to(self, item: Item) -> bool:
        return item.type == self.item_type and (
            not self.statuses or item.fields.get("status") in self.statuses
        )

    def is_met(self, domain: TechspecDomain, item: Item) -> bool:
        """A resolved link of the rule's type, in either direction, between types it allows
        (a link to an unknown ID, or from a type that cannot have it, does not cover)."""
        return bool(domain.valid_links(item, self.link, "both"))

    def describe(self, schema: SpecSchema) -> str:
        link = schema.link_types[self.link]
        target_end = link.targets and self.item_type in link.targets
        source_end = link.sources and self.item_type in link.sources
        verb = link.reverse if target_end and not source_end else link.forward
        scope = f" ({', '.join(self.statuses)})" if self.statuses else ""
        return f"{schema.label(self.item_type)}{scope} {verb}"


RULES_SCHEMA = {
    "type": "array",
    "items": strict_object(
        {
            "type": {"type": "string", "minLength": 1},
            "link": {"type": "string", "minLength": 1},
            "statuses": NAMES,
            "gate": BOOLEAN,
        },
        required=("type", "link"),
    ),
}


def parse_rules(config: Config, schema: SpecSchema) -> tuple[list[CoverageRule], list[str]]:
    """The rules of ``techspec_coverage_rules`` and what is wrong with it."""
    rules: list[CoverageRule] = []
    problems: list[str] = []
    # The shape is checked against RULES_SCHEMA at config-inited; the names are checked here.
    for entry in config.techspec_coverage_rules:
        item_type, link = entry["type"], entry["link"]
        if item_type not in schema.item_types:
            problems.append(f"techspec_coverage_rules: unknown item type {item_type!r}")
            continue
        if link not in schema.link_types:
            problems.append(f"techspec_coverage_rules: unknown link type {link!r}")
            continue
        statuses = entry.get("statuses", ())
        if isinstance(statuses, str):
            statuses = (statuses,)
        rules.append(
            CoverageRule(item_type, link, tuple(map(str, statuses)), bool(entry.get("gate", True)))
        )
    return rules, problems


def configured_rules(domain: TechspecDomain) -> list[CoverageRule]:
    """The configured rules, parsed once per build (``Feature.indexes``)."""
    return domain.derived("coverage_rules")


def report_rule_problems(app: Sphinx, config: Config) -> None:
    from ..config import config_location

    _rules, problems = parse_rules(config, SpecSchema.from_config(config))
    for problem in problems:
        warn(problem, "bad_config", config_location(app, "techspec_coverage_rules"))


def check_coverage_gates(app: Sphinx, env: BuildEnvironment) -> None:
    """One ``techspec.uncovered`` warning per item a gating rule finds uncovered.

    Runs at ``env-updated``, in every build, so that ``-W`` fails a rebuild that
    read nothing as well as a full one.
    """
    domain: TechspecDomain = env.get_domain(DOMAIN)  # type: ignore[assignment]
    for rule in configured_rules(domain):
        if not rule.gate:
            continue
        for item in domain.items_of_type(rule.item_type):
            if rule.applies_to(item) and not rule.is_met(domain, item):
                warn(
                    f"{item.id} ({item.title}) has no {rule.link!r} link: "
                    f"techspec_coverage_rules requires '{rule.describe(domain.schema)}'",
                    "uncovered",
                    item.location,
                )


class CoverageReport(ViewDirective):
    """``.. coverage-report::``: status counts, rule coverage, orphans.

    ``:rules: requirement verifies, api-endpoint implements`` adds rules to show
    beside the configured ones; they only report, they never gate.
    """

    own_options: ClassVar[dict[str, Any]] = {
        "rules": directives.unchanged,
    }

    def configure(self, node: ViewNode) -> None:
        schema = self.domain.schema
        rules = []
        for entry in split_list(self.options.get("rules")):
            item_type, _, link = entry.partition(" ")
            link = link.strip()
            if item_type not in schema.item_types or link not in schema.link_types:
                warn(
                    f":rules: {entry!r} is not 'ITEM-TYPE LINK-TYPE' of declared types "
                    f"(item types: {', '.join(sorted(schema.item_types))}; "
                    f"link types: {', '.join(sorted(schema.link_types))})",
                    "unknown_type",
                    self.get_location(),
                )
                continue
            rules.append(CoverageRule(item_type, link, gate=False))
        node["rules"] = rules

    def shown_types(self, node: ViewNode) -> list[str] | None:
        return None  # orphans depend on links to items of any type


def render_report(
    app: Sphinx, domain: TechspecDomain, docname: str, node: ViewNode
) -> list[nodes.Node]:
    item_filter: ItemFilter = node["filter"]
    items = item_filter.select(domain)
    container = nodes.container(classes=["techspec-coverage-report"])
    if not items:
        container += info_line(f"No items match this report ({item_filter.describe()}).")
        return [container]
    by_type: dict[str, list[Item]] = {}
    for item in items:
        by_type.setdefault(item.type, []).append(item)
    types = [t for t in domain.schema.item_types if t in by_type]
    container += _heading("Items by status")
    container += status_table(app, domain, types, by_type)
    container += _heading("Coverage rules")
    container += rules_table(app, domain, by_type, node["rules"])
    container += _heading("Orphans")
    container += orphan_list(app, domain, docname, types, by_type)
    return [container]


def _heading(text: str) -> nodes.paragraph:
    return nodes.paragraph("", "", nodes.strong("", text), classes=["techspec-report-heading"])


def status_table(
    app: Sphinx, domain: TechspecDomain, types: list[str], by_type: dict[str, list[Item]]
) -> nodes.table:
    counts = {t: Counter(str(i.fields.get("status", "")) for i in by_type[t]) for t in types}
    used = {status for counter in counts.values() for status in counter}
    configured = [str(s) for s in app.config.techspec_statuses]
    statuses = [s for s in configured if s in used]
    statuses += sorted(used - set(configured) - {""})
    columns = [*statuses, ""] if "" in used else statuses
    headers = ["Type", "Total", *(s or "no status" for s in columns)]
    rows = []
    for item_type in types:
        cells = [domain.schema.item_types[item_type].plural_label, str(len(by_type[item_type]))]
        cells += [str(counts[item_type].get(s, 0)) for s in columns]
        rows.append(Row(cells, [f"techspec-type-{item_type}"]))
    return build_table(headers, rows, ["techspec-status-counts"])


def rules_table(
    app: Sphinx,
    domain: TechspecDomain,
    by_type: dict[str, list[Item]],
    extra_rules: list[CoverageRule],
) -> nodes.Node:
    configured = configured_rules(domain)
    rules = [rule for rule in [*configured, *extra_rules] if rule.item_type in by_type]
    if not rules:
        return info_line("No coverage rules apply (set techspec_coverage_rules in conf.py).")
    rows = []
    for rule in rules:
        scope = [item for item in by_type[rule.item_type] if rule.applies_to(item)]
        covered = sum(1 for item in scope if rule.is_met(domain, item))
        cells = [
            rule.describe(domain.schema),
            f"{covered} of {len(scope)}",
            percent(covered, len(scope)),
            "gate" if rule.gate else "report only",
        ]
        done = covered == len(scope)
        rows.append(Row(cells, ["techspec-covered" if done else "techspec-uncovered"]))
    return build_table(["Rule", "Covered", "Percent", "Kind"], rows, ["techspec-rule-coverage"])


def orphan_list(
    app: Sphinx,
    domain: TechspecDomain,
    docname: str,
    types: list[str],
    by_type: dict[str, list[Item]],
) -> nodes.Node:
    """Per type, the items linked to or from no item of another type."""
    bullets = nodes.bullet_list(classes=["techspec-orphans"])
    for item_type in types:
        orphans = [
            item.id
            for item in by_type[item_type]
            if all(
                domain.items[other].type == item.type
                for other in domain.valid_links(item, None, "both")
            )
        ]
        if not orphans:
            continue
        paragraph = nodes.paragraph()
        label = domain.schema.item_types[item_type].plural_label
        paragraph += nodes.Text(f"{label} linked to no other kind of item ({len(orphans)}): ")
        paragraph.extend(id_list(app, domain, docname, orphans).children)
        bullets += nodes.list_item("", paragraph)
    if not len(bullets):
        return info_line("No orphans: every item links to or from another kind of item.")
    return bullets
