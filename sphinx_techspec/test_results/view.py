"""``.. test-results::``: the runs, their counts, the failures, and what matches no item.

The first such view of the project (by document name) is the home of the
automatic test items (results that name requirements but no test-case item):
it lists them with their anchors, so links to them land there.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from docutils import nodes
from sphinx.application import Sphinx

from ..domain import TechspecDomain
from ..model import natural_key
from ..rendering import item_reference
from ..tables import Row, build_table
from ..view import ViewDirective, ViewNode, info_line
from ..views.common import id_list
from .junit import TestResult
from .render import badge, counts_text, duration, failure_nodes, run_time
from .state import (
    STORE_NAME,
    TEST_TYPE,
    configured,
    outcome_of,
    results_home,
    results_pages,
    state_of,
)


class TestResultsView(ViewDirective):
    """``.. test-results::`` (no options)."""

    __test__ = False  # not a pytest test class
    filters: ClassVar[bool] = False
    reads = (STORE_NAME,)

    def configure(self, node: ViewNode) -> None:
        pages = results_pages(self.env)
        # The first view on the page holds the automatic items' anchors.
        node["first"] = self.env.docname not in pages
        pages[self.env.docname] = True
        # Views of one page number their output blocks apart (unique HTML ids).
        document = getattr(self.env, "current_document", None)  # Sphinx 9; 8.2: new_serialno
        counter = document.new_serial_number if document is not None else self.env.new_serialno
        node["serial"] = counter("techspec-test-results") + 1

    def shown_types(self, node: ViewNode) -> Iterable[str] | None:
        return [TEST_TYPE]


def _heading(text: str) -> nodes.paragraph:
    return nodes.paragraph("", "", nodes.strong("", text), classes=["techspec-report-heading"])


def render_test_results(
    app: Sphinx, domain: TechspecDomain, docname: str, node: ViewNode
) -> list[nodes.Node]:
    container = nodes.container(classes=["techspec-test-results"])
    if not configured(app.config):
        container += info_line(
            "No test results are configured (set techspec_test_results in conf.py)."
        )
        return [container]
    state = state_of(domain.env)
    runs = state.active_runs()
    results = [result for run in runs for result in run.results]
    container += _heading("Runs")
    container += runs_table(runs)
    total = f"{len(results)} result{'s' * (len(results) != 1)} in {len(runs)} file"
    container += nodes.paragraph(
        "", f"{total}{'s' * (len(runs) != 1)}: {counts_text(results) or 'none'}."
    )
    # Automatic items are named after their result: naming them again says nothing.
    owners = _owners({k: v for k, v in state.by_item.items() if k not in state.automatic})
    container += _heading("Failures")
    container += failures(app, domain, docname, results, owners, node.get("serial", 1))
    # The page that holds the view (a LaTeX or singlehtml build resolves the whole book).
    home = node.get("first") and node.get("docname") == results_home(domain.env)
    container += _heading("Automatic test items")
    container += automatic_table(app, domain, docname, sorted(state.automatic), bool(home))
    tests = [
        item.id
        for item in domain.items_of_type(TEST_TYPE)
        if item.id not in state.automatic and item.id not in state.by_item
    ]
    container += _heading("Test cases without a result")
    if tests:
        container += id_list(app, domain, docname, tests)
    else:
        container += info_line("Every test case has a result.")
    container += _heading("Results matching no item")
    container += unmatched_list(state.unmatched)
    return [container]


def _owners(by_item: dict[str, tuple[TestResult, ...]]) -> dict[TestResult, list[str]]:
    owners: dict[TestResult, list[str]] = {}
    for item_id in sorted(by_item, key=natural_key):
        for result in by_item[item_id]:
            owners.setdefault(result, []).append(item_id)
    return owners


def runs_table(runs: list) -> nodes.Node:
    if not runs:
        return info_line("No report file was read.")
    order = ("passed", "failed", "error", "skipped")
    headers = ["File", "Suites", "Tests", "Passed", "Failed", "Errors", "Skipped", "Time", "Run at"]
    rows = []
    for run in runs:
        suites = ", ".join(s for s in run.suites if s) or "-"
        if run.problems and not run.results:
            suites = f"not read: {run.problems[0][0]}"
        cells = [
            run.file,
            suites,
            str(len(run.results)),
            *(str(run.count(o)) for o in order),
            duration(run.time) or "-",
            run_time(run.timestamp) or "-",
        ]
        bad = run.problems or run.count("failed") or run.count("error")
        rows.append(Row(cells, ["techspec-run-failed" if bad else "techspec-run-passed"]))
    return build_table(headers, rows, ["techspec-test-runs"])


def failures(
    app: Sphinx,
    domain: TechspecDomain,
    docname: str,
    results: list[TestResult],
    owners: dict[TestResult, list[str]],
    serial: int = 1,
) -> nodes.Node:
    failed = [r for r in results if r.outcome in ("failed", "error")]
    if not failed:
        return info_line("No test failed.")
    bullets = nodes.bullet_list(classes=["techspec-result-failures"])
    for result in failed:
        line = nodes.paragraph("", "", badge(result.outcome), nodes.Text(" "))
        line += nodes.literal("", result.junit_name)
        for position, item_id in enumerate(owners.get(result, ())):
            line += nodes.Text(" (" if position == 0 else ", ")
            line += item_reference(app, domain, docname, item_id)
        if owners.get(result):
            line += nodes.Text(")")
        line += nodes.Text(f" · {result.file}:{result.line}")
        # Its own block ID: the failing test's card may be on this page too.
        owner = f"failures{serial}-" + owners.get(result, ["results"])[0]
        bullets += nodes.list_item("", line, *failure_nodes(app, result, owner))
    return bullets


def automatic_table(
    app: Sphinx, domain: TechspecDomain, docname: str, item_ids: list[str], anchors: bool
) -> nodes.Node:
    if not item_ids:
        return info_line("None: every result names a test case, or no requirement.")
    rows = []
    for item_id in sorted(item_ids, key=natural_key):
        item = domain.items[item_id]
        name = nodes.paragraph()
        if anchors:
            name += nodes.target("", "", ids=[item.anchor])
        name += nodes.Text(item_id)
        results = state_of(domain.env).by_item.get(item_id, ())
        rows.append(
            Row(
                [
                    name,
                    id_list(app, domain, docname, item.links.get("verifies", ())),
                    nodes.paragraph("", "", badge(outcome_of(domain.env, item_id))),
                    counts_text(results),
                ]
            )
        )
    return build_table(
        ["Test", "Verifies", "Result", "Results"], rows, ["techspec-automatic-tests"]
    )


def unmatched_list(results: tuple[TestResult, ...]) -> nodes.Node:
    if not results:
        return info_line("Every result matches a test case or names a requirement.")
    bullets = nodes.bullet_list(classes=["techspec-result-unmatched"])
    for result in results:
        line = nodes.paragraph("", "", badge(result.outcome), nodes.Text(" "))
        line += nodes.literal("", result.junit_name)
        line += nodes.Text(f" · {result.file}:{result.line}")
        bullets += nodes.list_item("", line)
    return bullets
