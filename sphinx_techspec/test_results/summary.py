"""Test results seen from a requirement: its tests, and whether they all passed.

Shared by the traceability matrix (``:results:``), the coverage report
("verified and passing") and the ``passing`` gates, so all three agree: an item
is *passing* when it has at least one test and every one of its tests passed;
*failing* when one failed or erred; *not run* when none failed but one has no
result or was skipped.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..domain import TechspecDomain
from ..model import Item
from .state import NOT_RUN, TEST_TYPE, configured, outcome_of

__all__ = ["configured", "passing_items", "tests_of", "tests_state"]

#: Item state → the state of its mark.
STATE_MARKS = {"passing": "ok", "failing": "problem", NOT_RUN: "attention", "no tests": "inactive"}


def tests_of(domain: TechspecDomain, item: Item, link: str | None = "verifies") -> list[str]:
    """The test items of ``item``: itself if it is one, else the tests linked by ``link``."""

    if item.type == TEST_TYPE:
        return [item.id]
    return [
        test_id
        for test_id in domain.valid_links(item, link, "both")
        if domain.items[test_id].type == TEST_TYPE
    ]


def tests_state(domain: TechspecDomain, test_ids: Iterable[str]) -> str:
    """``passing``, ``failing``, ``not run`` or ``no tests`` (see the module docstring)."""
    outcomes = [outcome_of(domain.env, test_id) for test_id in test_ids]
    if not outcomes:
        return "no tests"
    if any(outcome in ("failed", "error") for outcome in outcomes):
        return "failing"
    if all(outcome == "passed" for outcome in outcomes):
        return "passing"
    return NOT_RUN


def passing_items(domain: TechspecDomain, items: Iterable[Item], link: str) -> list[Item]:
    return [
        item for item in items if tests_state(domain, tests_of(domain, item, link)) == "passing"
    ]
