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
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.environment import BuildEnvironment

from ..config import BOOLEAN, NAMES, config_location, strict_object
from ..diagnostics import warn
from ..domain import DOMAIN, TechspecDomain
from ..feature import registry
from ..filters import ItemFilter
from ..model import Item, split_list
from ..schema import SpecSchema
from ..suggestions import did_you_mean
from ..tables import Row, build_table
from ..view import ViewDirective, ViewNode, info_line
from .common import (
    id_list,
    percent,
)
from .matrix import REQUIREMENT_COLUMNS

#: The view's name, which other features' extra columns name (``ExtraColumn.view``).
COVERAGE_REPORT = "coverage-report"
#: The index (``Feature.indexes``) a feature declares to tell whether an item's tests
#: passed: ``check(item, link) -> bool``, or ``None`` when no results are configured.
PASSING_INDEX = "coverage_passing"


@dataclass(frozen=True, slots=True)
class CoverageRule:
    """Every item of ``item_type`` (with one of ``statuses``, if given) needs ``link``."""

    item_type: str
    link: str
    statuses: tuple[str, ...] = ()
    gate: bool = True
    #: The item's tests must have passed too (see :mod:`sphinx_techspec.test_results`).
    passing: bool = False
    #: Where the link must come from, a feature's ``coverage_sources`` name ("code");
    #: empty: a link between items.
    source: str = ""

    def applies_to(self, item: Item) -> bool:
        return item.type == self.item_type and (
            not self.statuses or item.fields.get("status") in self.statuses
        )

    def is_met(self, domain: TechspecDomain, item: Item) -> bool:
        """A resolved link of the rule's type, in either direction, between types it allows
        (a link to an unknown ID, or from a type that cannot have it, does not cover).
        With a ``source``, the feature declaring it decides (code markers)."""
        if self.source:
            found = domain.features.coverage_sources.get(self.source)
            return found is not None and found(domain, item, self.link)
        return bool(domain.valid_links(item, self.link, "both"))

    def is_counted(self, domain: TechspecDomain, item: Item) -> bool:
        """Whether the coverage report counts ``item`` as covered: linked, and for a
        ``passing`` rule, its tests passed too (when test results are configured), so the
        rule's percentage and the "Verified and passing" column agree."""
        if not self.is_met(domain, item):
            return False
        if not self.passing or PASSING_INDEX not in domain.features.index_builders:
            return True
        check = domain.derived(PASSING_INDEX)
        return check is None or bool(check(item, self.link))

    def describe(self, schema: SpecSchema) -> str:
        link = schema.link_types[self.link]
        target_end = link.targets and self.item_type in link.targets
        source_end = link.sources and self.item_type in link.sources
        verb = link.reverse if target_end and not source_end else link.forward
        if self.source:  # "implemented by" → "implemented in code"
            verb = f"{verb.removesuffix(' by')} in {self.source}"
        scope = f" ({', '.join(self.statuses)})" if self.statuses else ""
        passing = ", passing" if self.passing else ""
        return f"{schema.label(self.item_type)}{scope} {verb}{passing}"


RULES_SCHEMA = {
    "type": "array",
    "items": strict_object(
        {
            "type": {"type": "string", "minLength": 1},
            "link": {"type": "string", "minLength": 1},
            "statuses": NAMES,
            "gate": BOOLEAN,
            "passing": BOOLEAN,
            "in": {"type": "string", "minLength": 1},
        },
        required=("type", "link"),
    ),
}


def parse_rules(
    config: Config, schema: SpecSchema, sources: Collection[str] = ()
) -> tuple[list[CoverageRule], list[str]]:
    """The rules of ``techspec_coverage_rules`` and what is wrong with it; ``sources``
    are the names ``"in"`` may take (the features' ``coverage_sources``)."""
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
        source = str(entry.get("in", ""))
        if source and source not in sources:
            known = ", ".join(sorted(sources)) or "none in this project"
            problems.append(f"techspec_coverage_rules: 'in' names {source!r}, not one of: {known}")
            continue
        statuses = entry.get("statuses", ())
        if isinstance(statuses, str):
            statuses = (statuses,)
        passing = bool(entry.get("passing", False))
        if passing and not tests_at_an_end(schema, item_type, link):
            problems.append(
                f"techspec_coverage_rules: 'passing' needs a link type with test cases at an "
                f"end ({link!r} joins {', '.join(schema.link_types[link].sources) or 'any'} "
                f"to {', '.join(schema.link_types[link].targets) or 'any'})"
            )
            passing = False
        rules.append(
            CoverageRule(
                item_type,
                link,
                tuple(map(str, statuses)),
                bool(entry.get("gate", True)),
                passing,
                source,
            )
        )
    return rules, problems


def tests_at_an_end(schema: SpecSchema, item_type: str, link_name: str) -> bool:
    """Whether a rule on ``link_name`` can be about test results (``passing``)."""
    link = schema.link_types[link_name]
    return item_type == "test-case" or any(
        not types or "test-case" in types for types in (link.sources, link.targets)
    )


def configured_rules(domain: TechspecDomain) -> list[CoverageRule]:
    """The configured rules, parsed once per build (``Feature.indexes``)."""
    return domain.derived("coverage_rules")


def report_rule_problems(app: Sphinx, config: Config) -> None:
    features = registry(app)
    _rules, problems = parse_rules(config, features.schema(config), features.coverage_sources)
    for problem in problems:
        warn(problem, "bad_config", config_location(app, "techspec_coverage_rules"))


def check_coverage_gates(app: Sphinx, env: BuildEnvironment) -> None:
    """One ``techspec.uncovered`` warning per item a gating rule finds uncovered.

    A gate (``Feature.gates``): runs in every build, so that ``-W`` fails a rebuild
    that read nothing as well as a full one.
    """
    domain: TechspecDomain = env.get_domain(DOMAIN)  # type: ignore[assignment]
    for rule in configured_rules(domain):
        if not rule.gate:
            continue
        for item in domain.items_of_type(rule.item_type):
            if rule.applies_to(item) and not rule.is_met(domain, item):
                where = f" in {rule.source}" if rule.source else ""
                warn(
                    f"{item.id} ({item.title}) has no {rule.link!r} link{where}: "
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
                    f":rules: {entry!r} is not 'ITEM-TYPE LINK-TYPE' of declared types"
                    f"{_rule_hint(item_type, link, schema)} "
                    f"(item types: {', '.join(sorted(schema.item_types))}; "
                    f"link types: {', '.join(sorted(schema.link_types))})",
                    "unknown_type",
                    self.option_location("rules"),
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
    configured = list(domain.schema.core_config.statuses)
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
    kinds = ["gate" if rule.gate else "report only" for rule in rules]
    # The default coverage, as the traceability matrix shows it, below the configured rules.
    shown = {(rule.item_type, rule.link) for rule in rules}
    for rule in default_rules(domain.schema):
        if rule.item_type in by_type and (rule.item_type, rule.link) not in shown:
            rules.append(rule)
            kinds.append("default (matrix)")
    if not rules:
        return info_line("No coverage rules apply (set techspec_coverage_rules in conf.py).")
    # Other features' columns (test results): ``cells(domain, [(rule, covered, scope)])``
    # gives one cell per rule.
    extra = [
        column
        for column in domain.features.extra_columns(COVERAGE_REPORT)
        if column.enabled is None or column.enabled(app.config)
    ]
    counted = []
    for rule in rules:
        scope = [item for item in by_type[rule.item_type] if rule.applies_to(item)]
        counted.append((rule, [item for item in scope if rule.is_counted(domain, item)], scope))
    extras = [column.cells(domain, counted) for column in extra]
    rows = []
    for position, ((rule, covered, scope), kind) in enumerate(zip(counted, kinds, strict=True)):
        done = len(covered) == len(scope)
        state = "ok" if done else "problem"
        cells = [
            rule.describe(domain.schema),
            f"{len(covered)} of {len(scope)}",
            nodes.paragraph(
                "",
                "",
                nodes.inline(
                    "", percent(len(covered), len(scope)), classes=[f"techspec-state-{state}"]
                ),
            ),
            kind,
        ]
        cells += [column_cells[position] for column_cells in extras]
        rows.append(Row(cells, ["techspec-covered" if done else "techspec-uncovered"]))
    headers = ["Rule", "Covered", "Percent", "Kind", *(column.header for column in extra)]
    return build_table(headers, rows, ["techspec-rule-coverage"])


def default_rules(schema: SpecSchema) -> list[CoverageRule]:
    """What the default traceability matrix checks: requirements verified and implemented."""
    return [
        CoverageRule("requirement", link, gate=False)
        for link in REQUIREMENT_COLUMNS
        if link in schema.link_types and "requirement" in schema.item_types
    ]


def orphan_list(
    app: Sphinx,
    domain: TechspecDomain,
    docname: str,
    types: list[str],
    by_type: dict[str, list[Item]],
) -> nodes.Node:
    """Per traced type, the items linked to or from no item of another type.

    Types declared ``traced=False`` (a spec header, an environment, scope entries) are
    context, not trace targets: never listed. Items a feature's ``implicitly_used``
    index names (a model an endpoint takes or returns) are used without a typed link.
    """
    bullets = nodes.bullet_list(classes=["techspec-orphans"])
    schema = domain.schema
    used = (
        domain.derived("implicitly_used")
        if "implicitly_used" in domain.features.index_builders
        else frozenset()
    )
    for item_type in types:
        if not schema.item_types[item_type].traced:
            continue
        orphans = [
            item.id
            for item in by_type[item_type]
            if item.id not in used
            and all(
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


def _rule_hint(item_type: str, link: str, schema: SpecSchema) -> str:
    """A "did you mean" for whichever half of a coverage rule is misspelt."""
    if item_type not in schema.item_types:
        return did_you_mean(item_type, schema.item_types)
    return did_you_mean(link, schema.link_types)
