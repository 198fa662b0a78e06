"""The ``passing`` gates: a rule's items need tests that passed.

``{"type": "requirement", "link": "verifies", "passing": True}`` in
``techspec_coverage_rules``: every test of every requirement the rule covers must
have passed. A failed or erred test gives ``techspec.test_failed``, a test with no
result (or skipped) ``techspec.test_not_run``, once per test, at the test item (an
automatic item: at its result's line in the XML file). A requirement with no test
at all is the ``uncovered`` gate's business. Both are off unless a rule asks.
"""

from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from ..diagnostics import warn
from ..domain import DOMAIN, TechspecDomain
from ..model import natural_key
from ..views.coverage import configured_rules
from .junit import worst
from .state import configured, results_of, state_of
from .summary import tests_of


def check_passing_gates(app: Sphinx, env: BuildEnvironment) -> None:
    if not configured(app.config):
        return
    domain: TechspecDomain = env.get_domain(DOMAIN)  # type: ignore[assignment]
    rules = configured_rules(domain)  # parsed once per build, as the gates of coverage
    needed: dict[str, list[str]] = {}  # test ID → the items that need it to pass
    for rule in rules:
        if not (rule.gate and rule.passing):
            continue
        for item in domain.items_of_type(rule.item_type):
            if rule.applies_to(item):
                for test_id in tests_of(domain, item, rule.link):
                    needed.setdefault(test_id, []).append(item.id)
    automatic = state_of(env).automatic
    for test_id in sorted(needed, key=natural_key):
        test = domain.items[test_id]
        results = results_of(env, test_id)
        outcome = worst([r.outcome for r in results]) if results else ""
        if outcome == "passed":
            continue
        owners = sorted(set(needed[test_id]) - {test_id}, key=natural_key)
        need = (
            f"{', '.join(owners)} {'needs' if len(owners) == 1 else 'need'} it to pass"
            if owners
            else "it must pass"
        )
        name = f"{test_id} ({test.title})" if test.title else test_id
        bad = [r for r in results if r.outcome == outcome]
        location = bad[0].location if test_id in automatic and bad else test.location
        if outcome in ("failed", "error"):
            message = f": {bad[0].message}" if bad and bad[0].message else ""
            where = f" in {bad[0].file}:{bad[0].line}" if bad else ""
            warn(
                f"{name} {outcome}{where}{message}; {need} (techspec_coverage_rules)",
                "test_failed",
                location,
            )
        else:
            state = "was skipped" if outcome == "skipped" else "has no result in the test reports"
            warn(f"{name} {state}; {need} (techspec_coverage_rules)", "test_not_run", location)
