"""Test results in the spec: JUnit XML reports matched to test items, shown and gated.

``techspec_test_results = ["reports/*.xml"]`` names the reports (pytest, JUnit 5 /
Surefire, GoogleTest). Each ``<testcase>`` is matched to a ``test-case`` item by
its ``test_case`` property or the item's ``:junit:`` pattern; one that only names
requirements (``verifies``) becomes an automatic test item. Results show as marks
beside test IDs everywhere, as a row on test cards, in ``.. test-results::``, in
the matrix (``:results:``) and the coverage report, gate with ``"passing": True``
rules, and go into the exports. The pytest markers that write these properties are
the separate ``sphinx_techspec_pytest`` plugin.

Declared with the feature contract (:mod:`sphinx_techspec.feature`); the data
lifecycle is in :mod:`.state`.
"""

from __future__ import annotations

from collections.abc import Callable

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from ..domain import TechspecDomain
from ..feature import ConfigValue, ExtraColumn, Feature, Store
from ..model import FieldSpec, Item
from ..view import View
from ..views.coverage import COVERAGE_REPORT, PASSING_INDEX
from ..views.matrix import MATRIX
from .gates import check_passing_gates
from .matrix import coverage_cells, matrix_cells, matrix_lines
from .render import result_card_rows, result_export, result_marks
from .state import (
    STORE_NAME,
    changed_results,
    configured,
    remove_automatic_items,
    results_digest,
    update_results,
)
from .summary import passing_items
from .view import TestResultsView, render_test_results

RESULTS_SCHEMA = {"type": "array", "items": {"type": "string", "minLength": 1}}


def passing_check(domain: TechspecDomain) -> Callable[[Item, str], bool] | None:
    """For the coverage report's ``passing`` rules: whether an item's tests all passed."""
    if not configured(domain.app.config):
        return None
    return lambda item, link: bool(passing_items(domain, [item], link))


def passing_gates(app: Sphinx, env: BuildEnvironment) -> None:
    """The ``passing`` coverage rules, in projects that name report files."""
    if configured(app.config):
        check_passing_gates(app, env)


FEATURE = Feature(
    name="test_results",
    config_values=(
        ConfigValue(
            "techspec_test_results",
            [],
            RESULTS_SCHEMA,
            description="JUnit XML report files, relative to conf.py; globs allowed",
        ),
    ),
    views=(View("test-results", TestResultsView, render_test_results),),
    # Parts: the pages holding a results view; state: the ResultsState (see .state).
    stores=(
        Store(
            STORE_NAME,
            digest=results_digest,
            changed_items=changed_results,
            forget=remove_automatic_items,
        ),
    ),
    # Before the coverage gates: they count the automatic items' links.
    derive=(update_results,),
    gates=(passing_gates,),
    indexes={PASSING_INDEX: passing_check},
    item_marks=(result_marks,),
    card_rows=(result_card_rows,),
    item_export=(result_export,),
    warnings={
        "test_failed": "a test that a 'passing' coverage rule needs failed or erred",
        "test_not_run": "a test that a 'passing' coverage rule needs has no result or was skipped",
        "bad_test_results": "a test report is malformed, unsafe (DTD, entities) or not JUnit XML",
        "missing_test_results": "a techspec_test_results entry names no file or matches none",
    },
    # Results in techspec_test_results a test case owns (its pattern; see state.py).
    item_fields={"test-case": (FieldSpec("junit", "JUnit", "list"),)},
    extra_columns=(
        ExtraColumn(MATRIX, "Test results", matrix_cells, option="results", lines=matrix_lines),
        ExtraColumn(COVERAGE_REPORT, "Verified and passing", coverage_cells, enabled=configured),
    ),
)
