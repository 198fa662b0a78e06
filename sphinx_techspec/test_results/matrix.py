"""Test results' columns in other views, given through ``Feature.extra_columns``.

- The matrix's ``:results:`` column: each row's tests, and whether they all passed.
  A row's tests are the test items in its cells (and the row itself, if it is one);
  the state follows :mod:`.summary`. The coverage line under the matrix reads
  "Test results: 6 of 7 requirements verified, 5 passing (71 %)".
- The coverage report's "Verified and passing" column, when results are configured.
"""

from __future__ import annotations

from dataclasses import dataclass

from docutils import nodes

from ..domain import TechspecDomain
from ..feature import Mark
from ..filters import ItemFilter
from ..model import Item
from ..rendering import mark_nodes
from ..views.common import percent, plural
from ..views.coverage import CoverageRule, tests_at_an_end
from .state import TEST_TYPE, outcome_of
from .summary import STATE_MARKS, passing_items, tests_state


@dataclass(frozen=True, slots=True)
class RowResult:
    state: str  # passing, failing, not run, no tests
    summary: str  # "2 of 3 passed"

    def node(self) -> nodes.paragraph:
        paragraph = nodes.paragraph()
        paragraph += mark_nodes([Mark(self.state, STATE_MARKS[self.state])])[1]
        if self.summary:
            paragraph += nodes.Text(f" ({self.summary})")
        return paragraph


def result_cells(
    domain: TechspecDomain, rows: list[Item], cells: list[list[list[str]]]
) -> list[RowResult]:
    found = []
    for item, row_cells in zip(rows, cells, strict=True):
        tests = [item.id] if item.type == TEST_TYPE else []
        for ids in row_cells:
            tests += [i for i in ids if domain.items[i].type == TEST_TYPE and i not in tests]
        passed = sum(1 for test_id in tests if outcome_of(domain.env, test_id) == "passed")
        summary = f"{passed} of {len(tests)} passed" if tests else ""
        found.append(RowResult(tests_state(domain, tests), summary))
    return found


def matrix_cells(
    domain: TechspecDomain, rows: list[Item], cells: list[list[list[str]]]
) -> list[nodes.paragraph]:
    """The matrix's results column, one cell per row."""
    return [result.node() for result in result_cells(domain, rows, cells)]


def matrix_lines(
    domain: TechspecDomain, item_filter: ItemFilter, rows: list[Item], cells: list[list[list[str]]]
) -> list[nodes.list_item]:
    """The results line under the matrix."""
    return [results_line(domain, item_filter, rows, result_cells(domain, rows, cells))]


def coverage_cells(
    domain: TechspecDomain, counted: list[tuple[CoverageRule, list[Item], list[Item]]]
) -> list[str]:
    """ "Verified and passing" per rule: covered, and every test of it passed."""
    cells = []
    for rule, covered, scope in counted:
        if tests_at_an_end(domain.schema, rule.item_type, rule.link):
            passing = passing_items(domain, covered, rule.link)
            cells.append(f"{len(passing)} of {len(scope)} ({percent(len(passing), len(scope))})")
        else:
            cells.append("-")
    return cells


def results_line(
    domain: TechspecDomain, item_filter: ItemFilter, rows: list[Item], results: list[RowResult]
) -> nodes.list_item:
    noun = plural(domain, item_filter.types or tuple({item.type for item in rows}))
    total = len(rows)
    verified = sum(1 for result in results if result.state != "no tests")
    passing = sum(1 for result in results if result.state == "passing")
    text = (
        f"Test results: {verified} of {total} {noun} verified, {passing} passing "
        f"({percent(passing, total)})"
    )
    return nodes.list_item("", nodes.paragraph("", text))
