"""The example's committed JUnit report is what running the example's tests writes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sphinx_techspec.test_results.junit import read_run

EXAMPLE = Path(__file__).parent.parent / "example_project"


def outcomes(report: Path) -> list[tuple[str, str, str, tuple[str, ...], tuple[str, ...]]]:
    run = read_run(report, report.name)
    assert not run.problems
    return sorted((r.classname, r.name, r.outcome, r.test_cases, r.verifies) for r in run.results)


def test_committed_report_matches_a_fresh_run(tmp_path):
    fresh = tmp_path / "junit.xml"
    # The command docs/test-results.md and example_project/testing.md give, run from there.
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "tests", f"--junitxml={fresh}", "-q"],
        cwd=EXAMPLE,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1, done.stdout  # one test fails on purpose
    assert "1 failed" in done.stdout
    committed = outcomes(EXAMPLE / "reports" / "junit.xml")
    assert committed == outcomes(fresh)
    assert ("failed", "test_token_works_until_the_last_second") in {
        (outcome, name) for _, name, outcome, _, _ in committed
    }
