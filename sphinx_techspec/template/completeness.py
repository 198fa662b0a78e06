"""Does the spec have every section of its template? The checklist and its warning.

``techspec_template`` names the sections (default: the fifteen of a tech spec).
A section is present when a page has one of its headings, declares it with
``:section: name`` page metadata (front matter in MyST), or holds items of its
types. A ``.. spec-guide:: name`` box (what ``sphinx-techspec init`` writes)
marks a section as still to write until it is deleted. Per-page findings are
each page's part of the ``template_pages`` store, so they survive incremental
and parallel builds, and a checklist is rewritten when another page's headings change.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any, ClassVar

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.environment import BuildEnvironment
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import make_refnode

from ..config import config_location
from ..diagnostics import warn
from ..domain import DOMAIN, TechspecDomain
from ..feature import Store, registry
from ..model import split_list
from ..nodes import find_instances
from ..option_lines import option_location
from ..options import open_spec, report_option_problems, scrub_input
from ..tables import Row, build_table, joined
from ..view import ViewNode, info_line
from .views import TemplateViewDirective

#: The fifteen sections of a technical specification, in order.
DEFAULT_TEMPLATE: list[dict[str, Any]] = [
    {"name": "overview", "title": "Title and overview",
     "headings": ["overview", "title and overview", "introduction"]},
    {"name": "scope", "title": "Scope", "headings": ["scope"],
     "types": ["in-scope", "out-of-scope"]},
    {"name": "architecture", "title": "Architecture overview",
     "headings": ["architecture", "architecture overview"], "types": ["component"]},
    {"name": "design", "title": "Detailed design",
     "headings": ["detailed design", "design"], "types": ["api-endpoint", "decision"]},
    {"name": "requirements", "title": "Use cases and requirements",
     "headings": ["use cases and requirements", "requirements", "use cases"],
     "types": ["use-case", "requirement"]},
    {"name": "workflows", "title": "Workflows", "headings": ["workflows", "workflow"],
     "types": ["sequence", "workflow"]},
    {"name": "error-handling", "title": "Error handling",
     "headings": ["error handling", "errors"], "types": ["error-code"]},
    {"name": "database", "title": "Database design",
     "headings": ["database design", "database", "data model"], "types": ["data-model"]},
    {"name": "security", "title": "Security",
     "headings": ["security", "security considerations", "threat model"], "types": ["risk"]},
    {"name": "testing", "title": "Testing strategy",
     "headings": ["testing strategy", "testing", "test strategy"], "types": ["test-case"]},
    {"name": "deployment", "title": "Deployment", "headings": ["deployment"],
     "types": ["environment"]},
    {"name": "monitoring", "title": "Monitoring and logging",
     "headings": ["monitoring and logging", "monitoring", "observability"],
     "types": ["metric"]},
    {"name": "dependencies", "title": "Dependencies", "headings": ["dependencies"],
     "types": ["dependency"]},
    {"name": "conclusion", "title": "Conclusion", "headings": ["conclusion", "summary"]},
    {"name": "appendices", "title": "Appendices", "headings": ["appendices", "appendix"]},
]  # fmt: skip

#: The store of per-page findings (``domain.data["template_pages"]``).
STORE_NAME = "template_pages"

_NUMBERING = re.compile(r"^\s*(?:\d+(?:\.\d+)*\.?|[ivxlc]+\.|[a-z]\))\s+")


def normalize_heading(text: str) -> str:
    """``9. Security & Privacy`` → ``security and privacy``: what headings are matched on."""
    text = _NUMBERING.sub("", text.lower()).replace("&", " and ")
    return " ".join(re.sub(r"[^\w\s-]", " ", text).split())


@dataclass(frozen=True)
class TemplateSection:
    name: str
    title: str
    headings: tuple[str, ...]
    types: tuple[str, ...] = ()


@dataclass
class SectionState:
    section: TemplateSection
    number: int
    docs: list[str] = field(default_factory=list)
    guides: list[tuple[str, int]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def state(self) -> str:
        if not self.docs and not any(self.counts.values()):
            return "missing"
        return "to write" if self.guides else "done"


def template_sections(config: Config) -> tuple[list[TemplateSection], list[str]]:
    """The configured sections, and what is wrong with the configuration."""
    problems: list[str] = []
    value = config.techspec_template
    if not isinstance(value, Sequence) or isinstance(value, str):
        return [], [f"techspec_template must be a list, not {type(value).__name__}"]
    sections: list[TemplateSection] = []
    for entry in value:
        if isinstance(entry, str):
            entry = {"name": entry}
        if not isinstance(entry, Mapping) or not isinstance(entry.get("name"), str):
            problems.append(f"techspec_template: an entry must be a name or a dict with a "
                            f"'name', not {entry!r}")  # fmt: skip
            continue
        name = entry["name"]
        title = str(entry.get("title", name.replace("-", " ").capitalize()))
        headings = names_of(entry.get("headings", []), f"section {name!r}: headings", problems)
        types = names_of(entry.get("types", []), f"section {name!r}: types", problems)
        sections.append(
            TemplateSection(
                name,
                title,
                tuple(normalize_heading(h) for h in [*headings, title]),
                tuple(types),
            )
        )
    return sections, problems


def names_of(value: Any, what: str, problems: list[str]) -> list[str]:
    """A name or a list of names; anything else is a config problem."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
        return list(value)
    problems.append(f"techspec_template: {what} must be a name or a list of names")
    return []


def validate_template_config(app: Sphinx, config: Config) -> None:
    """Report a malformed template; the default may name types of features not installed."""
    sections, problems = template_sections(config)
    known_types = registry(app).schema(config).item_types
    user_sections = sections if config.techspec_template != DEFAULT_TEMPLATE else []
    for section in user_sections:
        unknown = [t for t in section.types if t not in known_types]
        if unknown:
            problems.append(
                f"techspec_template: section {section.name!r} counts unknown item types: "
                f"{', '.join(unknown)}"
            )
    for problem in problems:
        warn(problem, "bad_config", config_location(app, "techspec_template"))


def section_names(config: Config) -> list[str]:
    return [section.name for section in template_sections(config)[0]]


# -- the guide box that `sphinx-techspec init` writes ----------------------------------


class SpecGuideDirective(SphinxDirective):
    """``.. spec-guide:: section``: what belongs in a section; delete it once written."""

    # Checked by us (techspec.bad_option), not by docutils, so the box is never lost.
    optional_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec: ClassVar[dict[str, Any]] = open_spec({})

    def run(self) -> list[nodes.Node]:
        location = self.get_location()
        scrub_input(self.arguments, self.options, self.content, location)
        report_option_problems(
            self.options, {}, "spec-guide", location, partial(option_location, self)
        )
        name = " ".join(self.arguments[0].split()) if self.arguments else ""
        if not name:
            warn("spec-guide needs a section name: '.. spec-guide:: NAME'", "bad_option", location)
        sections = {s.name: s for s in template_sections(self.config)[0]}
        section = sections.get(name)
        if section is None and name:
            warn(
                f"spec-guide names unknown template section {name!r} "
                f"(one of: {', '.join(sections)})",
                "bad_value",
                self.get_location(),
            )
        label = section.title if section else name
        guide = nodes.admonition(classes=["techspec-guide", "note"])
        guide["techspec_section"] = name
        self.set_source_info(guide)
        guide += nodes.title("", f"{label} (template guide)")
        guide += self.parse_content_to_nodes()
        guide += nodes.paragraph(
            "", "", nodes.emphasis("", "Delete this box when the section is written.")
        )
        return [guide]


# -- per-page findings -------------------------------------------------------------------


def pages_of(env: BuildEnvironment) -> dict[str, dict[str, Any]]:
    """docname → that page's headings, ``:section:`` markers and guides."""
    return env.get_domain(DOMAIN).store(STORE_NAME).parts  # type: ignore[attr-defined]


def collect_page(app: Sphinx, docname: str, doctree: nodes.document) -> dict[str, Any]:
    """A page's part: its headings, ``:section:`` markers and guides (one walk of it)."""
    headings: set[str] = set()
    guides: list[tuple[str, int]] = []
    for node in find_instances(doctree, (nodes.section, nodes.admonition)):
        if isinstance(node, nodes.section):
            if node.children and isinstance(node[0], nodes.title):
                headings.add(normalize_heading(node[0].astext()))
        elif "techspec_section" in node:
            guides.append((node["techspec_section"], node.line or 0))
    markers = split_list(str(app.env.metadata.get(docname, {}).get("section", "")))
    known = section_names(app.config)
    for marker in markers:
        if marker not in known:
            warn(
                f":section: {marker!r} is not a template section (one of: {', '.join(known)})",
                "bad_value",
                (docname, 1),
            )
    return {"headings": sorted(headings), "markers": markers, "guides": sorted(guides)}


def pages_digest(app: Sphinx, domain: TechspecDomain) -> list[tuple[Any, ...]]:
    """What checklists show of other pages: their headings, markers and guides."""
    parts = domain.store(STORE_NAME).parts
    return sorted(
        (docname, page["headings"], page["markers"], page["guides"])
        for docname, page in parts.items()
    )


#: Checklists read it (``SpecCompletenessDirective.reads``).
STORE = Store(STORE_NAME, collect=collect_page, digest=pages_digest)


def section_states(app: Sphinx, env: BuildEnvironment) -> list[SectionState]:
    domain: TechspecDomain = env.get_domain(DOMAIN)  # type: ignore[assignment]
    pages = pages_of(env)
    states = []
    for number, section in enumerate(template_sections(app.config)[0], start=1):
        state = SectionState(section, number)
        docs = set()
        for docname, page in pages.items():
            if section.name in page["markers"] or not set(section.headings).isdisjoint(
                page["headings"]
            ):
                docs.add(docname)
            guides = [(docname, line) for name, line in page["guides"] if name == section.name]
            if guides:
                docs.add(docname)
                state.guides.extend(guides)
        item_docs = set()
        for item_type in section.types:
            items = domain.items_of_type(item_type)
            state.counts[item_type] = len(items)
            item_docs.update(item.docname for item in items)
        # Pages with the section's heading; pages with its items only when there is none.
        docs = docs or item_docs
        state.docs = sorted(docs & env.all_docs.keys())
        state.guides.sort()
        states.append(state)
    return states


# -- the checklist view and the warning ---------------------------------------------------


class SpecCompletenessDirective(TemplateViewDirective):
    """``.. spec-completeness::``: which template sections are done, to write or missing."""

    filters = False
    reads = (STORE_NAME,)

    def shown_types(self, node: ViewNode) -> tuple[str, ...] | None:
        return tuple(t for s in template_sections(self.config)[0] for t in s.types)


STATE_MARKS = {"done": "✓ done", "to write": "✎ to write", "missing": "✗ missing"}


def lower_first(label: str) -> str:
    """``Risks`` → ``risks`` but ``API endpoints`` stays: acronyms keep their case."""
    if len(label) > 1 and label[1].isupper():
        return label
    return label[:1].lower() + label[1:]


def count_text(domain: TechspecDomain, counts: dict[str, int]) -> str:
    parts = []
    for item_type, count in counts.items():
        declared = domain.schema.item_types.get(item_type)
        if declared is None:
            continue
        label = declared.label if count == 1 else declared.plural_label
        parts.append(f"{count} {lower_first(label)}")
    return ", ".join(parts)


def render_spec_completeness(
    app: Sphinx, domain: TechspecDomain, docname: str, node: ViewNode
) -> list[nodes.Node]:
    env = app.env
    states = section_states(app, env)
    if not states:
        return [info_line("techspec_template names no sections.")]
    rows, row_classes = [], []
    for state in states:
        links = []
        for target in state.docs:
            title = env.titles.get(target)
            text = title.astext() if title else target
            links.append(
                make_refnode(app.builder, docname, target, "", nodes.inline("", text), text)
            )
        rows.append(
            [
                f"{state.number}. {state.section.title}",
                STATE_MARKS[state.state],
                count_text(domain, state.counts),
                joined(links),
            ]
        )
        row_classes.append([f"techspec-section-{state.state.replace(' ', '-')}"])
    body = [Row(cells, classes) for cells, classes in zip(rows, row_classes, strict=True)]
    table = build_table(["Section", "State", "Items", "Where"], body, ["techspec-completeness"])
    done = sum(1 for state in states if state.state == "done")
    summary = f"{done} of {len(states)} sections written."
    missing = [state.section.title for state in states if state.state == "missing"]
    if missing:
        summary += f" Missing: {', '.join(missing)}."
    return [table, nodes.paragraph("", summary, classes=["techspec-view-summary"])]


def check_completeness(app: Sphinx, env: BuildEnvironment) -> None:
    """``techspec.incomplete`` for each missing or unwritten section, when enabled."""
    if not app.config.techspec_check_completeness:
        return
    for state in section_states(app, env):
        section = state.section
        if state.state == "missing":
            warn(
                f"spec section {state.number} {section.title!r} is missing: add a page titled "
                f"{section.title!r} or with ':section: {section.name}' metadata",
                "incomplete",
                # The root page: where a reader starts and a writer adds the missing page.
                (app.config.root_doc, 1),
            )
        for docname, line in state.guides:
            warn(
                f"spec section {state.number} {section.title!r} still holds its template "
                f"guide: write the section, then delete the spec-guide",
                "incomplete",
                (docname, line or 1),
            )
