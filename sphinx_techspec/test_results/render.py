"""Results where tests are shown: marks beside test IDs, the card row, the export.

Everything is standard docutils nodes; failure text from a report is only ever a
``Text``/``literal_block`` node, so the writers escape it (no raw HTML). In HTML
the full text of a failure is collapsed: a "full output" link targets the block,
and ``techspec.css`` shows a block only while it is the URL's target.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

from ..directives import field_row
from ..domain import TechspecDomain
from ..feature import Mark
from ..model import Item
from ..rendering import mark_nodes
from .junit import OUTCOMES, TestResult, worst
from .state import MARK_STATES, NOT_RUN, TEST_TYPE, configured, results_of, state_of


def _applies(app: Sphinx, item: Item) -> bool:
    return item.type == TEST_TYPE and configured(app.config)


def counts_text(results: Iterable[TestResult]) -> str:
    """``2 passed, 1 failed``, worst first."""
    outcomes = [r.outcome for r in results]
    return ", ".join(f"{outcomes.count(o)} {o}" for o in OUTCOMES if o in outcomes)


def duration(seconds: float | None) -> str:
    if seconds is None:
        return ""
    if seconds < 0.005:
        return "< 0.01 s"
    return f"{seconds:.2f} s" if seconds < 10 else f"{seconds:.1f} s"


def run_time(timestamp: str) -> str:
    """``2026-12-01T11:39:22.070384+00:00`` → ``2026-12-01 11:39:22`` (as written, shorter)."""
    text = re.sub(r"\.\d+", "", timestamp.strip()).replace("T", " ", 1)
    return re.sub(r"(\+00:00|Z)$", " UTC", text)


def result_marks(app: Sphinx, domain: TechspecDomain, item: Item) -> list[Mark]:
    """``passed`` / ``failed`` / ``not run`` beside a test's ID everywhere it is shown."""
    if not _applies(app, item):
        return []
    results = results_of(domain.env, item.id)
    if not results:
        return [Mark(NOT_RUN, MARK_STATES[NOT_RUN], "no result in the test reports")]
    outcome = worst([r.outcome for r in results])
    title = counts_text(results) if len(results) > 1 else f"{results[0].file}:{results[0].line}"
    return [Mark(outcome, MARK_STATES[outcome], title)]


def badge(outcome: str) -> nodes.inline:
    return mark_nodes([Mark(outcome, MARK_STATES.get(outcome, "neutral"))])[1]  # type: ignore[return-value]


def result_card_rows(
    app: Sphinx, domain: TechspecDomain, docname: str, item: Item
) -> list[nodes.field]:
    """The "Test result" row of a test-case card: badge, run, file, then each result."""
    if not _applies(app, item):
        return []
    results = results_of(domain.env, item.id)
    body = nodes.container(classes=["techspec-result"])
    if not results:
        line = nodes.paragraph("", "", badge(NOT_RUN))
        line += nodes.Text(" no result in the test reports")
        body += line
        return [field_row("Test result", body)]
    runs = {run.path: run for run in state_of(domain.env).active_runs()}
    outcome = worst([r.outcome for r in results])
    line = nodes.paragraph("", "", badge(outcome))
    files = list(dict.fromkeys(r.file for r in results))
    stamps = list(
        dict.fromkeys(run_time(runs[r.report].timestamp) for r in results if r.report in runs)
    )
    if len(results) == 1:
        result = results[0]
        facts = [f"in {duration(result.time)}"] if result.time is not None else []
        facts.append(f"{result.file}:{result.line}")
    else:
        facts = [counts_text(results), ", ".join(files)]
    if len(stamps) == 1 and stamps[0]:
        facts.append(f"run {stamps[0]}")
    line += nodes.Text(" " + " · ".join(facts))
    body += line
    if len(results) == 1:
        body += nodes.paragraph(
            "", "", nodes.literal("", results[0].junit_name), classes=["techspec-result-name"]
        )
        body += failure_nodes(app, results[0], item.id)
        return [field_row("Test result", body)]
    bullets = nodes.bullet_list(classes=["techspec-result-list"])
    # One class (module) for all: say it once, then the names alone.
    classes = {r.classname for r in results}
    if len(classes) == 1 and next(iter(classes)):
        body += nodes.paragraph(
            "", "", nodes.literal("", next(iter(classes))), classes=["techspec-result-name"]
        )
    for result in results:
        entry = nodes.paragraph("", "", badge(result.outcome), nodes.Text(" "))
        entry += nodes.literal("", result.name if len(classes) == 1 else result.junit_name)
        extra = [f"in {duration(result.time)}"] if result.time is not None else []
        if len(files) > 1:
            extra.append(f"{result.file}:{result.line}")
        if extra:
            entry += nodes.Text(" " + " · ".join(extra))
        bullets += nodes.list_item("", entry, *failure_nodes(app, result, item.id))
    body += bullets
    return [field_row("Test result", body)]


def failure_nodes(app: Sphinx, result: TestResult, owner: str) -> list[nodes.Node]:
    """The shortened message, then the full text (collapsed behind a link in HTML)."""
    if not result.message and not result.details:
        return []
    found: list[nodes.Node] = []
    if result.message:
        found.append(nodes.paragraph("", result.message, classes=["techspec-result-message"]))
    if result.details and result.details.strip() != result.message:
        block_id = nodes.make_id(f"techspec-output-{owner}-{result.file}-{result.line}")
        details = nodes.container(classes=["techspec-result-details"])
        if app.builder.format == "html":
            details["ids"] = [block_id]
            link = nodes.reference("", "full output", refid=block_id)
            found.append(
                nodes.paragraph("", "", link, classes=["techspec-result-toggle"]),
            )
        # Plain text: a stack trace is not Python source to highlight.
        details += nodes.literal_block(result.details, result.details, language="text")
        found.append(details)
    return found


def result_export(app: Sphinx, domain: TechspecDomain, item: Item) -> dict[str, Any]:
    """``result`` (the worst, a word sphinx-needs can filter on) and ``results`` (all)."""
    if not _applies(app, item):
        return {}
    results = results_of(domain.env, item.id)
    return {
        "result": worst([r.outcome for r in results]) if results else NOT_RUN,
        "results": [result_record(result) for result in results],
    }


def result_record(result: TestResult) -> dict[str, Any]:
    return {
        "outcome": result.outcome,
        "name": result.name,
        "classname": result.classname,
        "suite": result.suite,
        "file": result.file,
        "line": result.line,
        "time": result.time,
        "message": result.message,
    }
