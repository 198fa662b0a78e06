"""The ``impact`` view's page: the ``impact`` command's walk over this build's items.

The walk (:mod:`.impact`) runs over this build's items (:mod:`.build_spec`) and code
references; each reached item or code location is shown with the path that reaches
it, its test result, and a suspect mark where the last link is suspect, under a
summary line ("These 3 changed requirements reach 5 components, …").
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx

from ..change_control.baseline import BaselineError, load_baseline
from ..change_control.build import change_state, confdir_of
from ..change_control.diff import compare
from ..diagnostics import warn
from ..domain import TechspecDomain
from ..filters import ItemFilter
from ..rendering import item_reference
from ..tables import Row, build_table
from ..view import ViewNode, info_line
from .build_spec import spec_from_domain
from .impact import ImpactGraph, Node, Reached, is_test, node_key
from .impact_output import Report
from .model import CodeReference
from .render import reference_node
from .since import change_starts
from .spec import Spec
from .store import references_by_item


def _starts(
    app: Sphinx, domain: TechspecDomain, node: ViewNode, spec: Spec
) -> tuple[dict[Node, str], str] | str:
    """(start → why, what they are) or, when there are none to take, why not."""
    item_filter: ItemFilter = node["filter"]
    if item_filter.ids:
        known = [item_id for item_id in item_filter.ids if item_id in spec.records]
        if not known:
            return "No item of :ids: exists (see the build's warnings)."
        return dict.fromkeys(known, "named"), ", ".join(known)
    since = node["since"]
    if since and since != app.config.techspec_baseline:
        try:
            baseline = load_baseline(since, confdir_of(app))
        except BaselineError as exc:
            warn(f":since: cannot use the baseline: {exc.message}", "bad_baseline", node)
            return "The baseline of :since: cannot be read (see the build's warnings)."
        old = baseline.document.records
        changes = compare(old, spec.records, baseline.document.has_text)
    else:
        if not app.config.techspec_baseline:
            return "No baseline is configured: set techspec_baseline in conf.py or give :since:."
        state = change_state(app, domain)
        if state.baseline is None or state.changes is None:
            return "The baseline cannot be read (see the build's warnings)."
        baseline, changes = state.baseline, state.changes
        old = baseline.document.records
    starts = {
        start: why
        for start, why in change_starts(changes, old, spec).items()
        if isinstance(start, str) and _selected(domain, item_filter, start)
    }
    return starts, f"the baseline {baseline.label}"


def _selected(domain: TechspecDomain, item_filter: ItemFilter, item_id: str) -> bool:
    item = domain.get(item_id)
    return item is not None and item_filter.matches(item)


def _suspects(app: Sphinx, domain: TechspecDomain) -> set[tuple[str, str, str]]:
    return set(change_state(app, domain).suspects)


def render_impact(
    app: Sphinx, domain: TechspecDomain, docname: str, node: ViewNode
) -> list[nodes.Node]:
    spec = spec_from_domain(app, domain)
    found = _starts(app, domain, node, spec)
    if isinstance(found, str):
        return [info_line(found)]
    starts, source = found
    if not starts:
        return [info_line(f"Nothing changed since {source}: no change to follow.")]
    references = [ref for refs in references_by_item(domain).values() for ref in refs]
    graph = ImpactGraph(spec, references, _suspects(app, domain))
    report = Report(spec, starts, graph.reach(starts), source)
    result: list[nodes.Node] = [info_line(summary(domain, report))]
    result.append(_starts_list(app, domain, docname, report))
    rows = [
        Row(
            [
                _node_cell(app, domain, docname, reached.node),
                heading,
                _path_cell(app, domain, docname, reached),
                ", ".join(report.marks(reached)),
            ],
            ["techspec-impact-suspect"] if "suspect link" in report.marks(reached) else [],
        )
        for heading, members in report.groups()
        for reached in members
    ]
    if rows:
        headers = ["Reached", "Kind", "Through", "Result / mark"]
        result.append(build_table(headers, rows, ["techspec-impact"]))
    return [nodes.container("", *result, classes=["techspec-impact-view"])]


def summary(domain: TechspecDomain, report: Report) -> str:
    """``These 3 changed requirements reach 5 components, 9 code locations and 12 tests;
    4 of those tests failed or did not run.``"""
    counts = report.counts()
    spec = report.spec
    kinds = {spec.records[s].type for s in report.starts if isinstance(s, str)}
    named = all(why == "named" for why in report.starts.values())
    noun = _noun(spec, kinds.pop() if len(kinds) == 1 else "", len(report.starts))
    noun = noun if named else f"changed {noun}"
    start = f"This {noun}" if len(report.starts) == 1 else f"These {len(report.starts)} {noun}"
    by_type: dict[str, int] = {}
    for reached in report.reached:
        if isinstance(reached.node, str) and not is_test(reached.node, spec):
            kind = spec.records[reached.node].type
            by_type[kind] = by_type.get(kind, 0) + 1
    parts = [_count(number, _noun(spec, kind, number)) for kind, number in by_type.items()]
    parts.append(
        _count(counts["code"], "code location" if counts["code"] == 1 else "code locations")
    )
    parts.append(_count(counts["tests"], "test" if counts["tests"] == 1 else "tests"))
    text = f"{start} {'reaches' if len(report.starts) == 1 else 'reach'} "
    text += f"{', '.join(parts[:-1])} and {parts[-1]}"
    if counts["tests_not_passing"]:
        text += f"; {counts['tests_not_passing']} of those tests failed or did not run"
    return text + "."


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}"


def _noun(spec: Spec, kind: str, number: int) -> str:
    if kind not in spec.type_labels:
        return "item" if number == 1 else "items"
    label, plural = spec.type_labels[kind]
    word = label if number == 1 else plural
    # "API endpoints" keeps its capitals; "Components" becomes "components".
    return word if word[1:2].isupper() else word[:1].lower() + word[1:]


def _starts_list(
    app: Sphinx, domain: TechspecDomain, docname: str, report: Report
) -> nodes.bullet_list:
    bullets = nodes.bullet_list(classes=["techspec-impact-starts"])
    for start, why in sorted(report.starts.items(), key=lambda s: node_key(s[0])):
        paragraph = nodes.paragraph()
        paragraph += _node_cell(app, domain, docname, start)
        paragraph += nodes.Text(f" ({why})")
        bullets += nodes.list_item("", paragraph)
    return bullets


def _node_cell(app: Sphinx, domain: TechspecDomain, docname: str, node: Node) -> nodes.Node:
    if isinstance(node, CodeReference):
        return reference_node(app, domain, node, docname)  # as cards show it: "f()"
    return item_reference(app, domain, docname, node, with_title=True)


def _path_cell(
    app: Sphinx, domain: TechspecDomain, docname: str, reached: Reached
) -> nodes.paragraph:
    """``REQ-1 → implemented by → COMP-1 → implemented in code → src/x.py:4 f()``."""
    paragraph = nodes.paragraph(classes=["techspec-impact-path"])
    paragraph += _short(app, domain, docname, reached.start)
    for step in reached.path:
        link = f"{step.link} (suspect)" if step.suspect else step.link
        paragraph += nodes.Text(f" → {link} → ")
        paragraph += _short(app, domain, docname, step.node)
    return paragraph


def _short(app: Sphinx, domain: TechspecDomain, docname: str, node: Node) -> nodes.Node:
    if isinstance(node, CodeReference):
        return nodes.inline("", node.label(), classes=["techspec-code-location"])
    return item_reference(app, domain, docname, node)
