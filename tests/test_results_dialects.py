"""GoogleTest and Maven Surefire (JUnit 5) reports, written from their documented formats."""

from __future__ import annotations

import pytest
from conftest import warnings_of
from test_results_build import card, table_rows


@pytest.fixture
def dialects(app):
    app.build()
    return (app.outdir / "index.txt").read_text()


@pytest.mark.sphinx("text", testroot="results-dialects", freshenv=True)
def test_googletest_report_imports(app, dialects):
    assert not warnings_of(app)
    addition = card(dialects, "TC-G1")  # by :junit: MathTest.Addition (classname.name)
    assert "failed in 0.01 s · reports/gtest.xml:7 · run 2026-11-30 18:52:42" in addition
    assert "Value of: add(1, 1) Actual: 3 Expected: 2" in addition
    # Both failed assertions are in the full text.
    assert "Value of: add(1, -1)" in addition
    assert "passed in 0.01 s · reports/gtest.xml:" in card(dialects, "TC-G2")  # <properties>
    # RecordProperty("verifies", ...) as an attribute: an automatic test item.
    automatic = table_rows(dialects[dialects.index("Automatic test items") :])
    assert automatic[1] == ["MathTest::Subtraction", "REQ-1", "passed", "1 passed"]
    unmatched = dialects[dialects.index("Results matching no item") :]
    assert 'skipped "MathTest::DISABLED_Division"' in unmatched  # status="notrun"
    assert 'skipped "LogicTest::Excluded"' in unmatched  # GTEST_SKIP()


@pytest.mark.sphinx("text", testroot="results-dialects", freshenv=True)
def test_surefire_report_imports(app, dialects):
    report = "reports/TEST-com.acme.reset.TokenTest.xml"
    assert f"passed in 0.01 s · {report}:9" in card(dialects, "TC-S1")
    expired = card(dialects, "TC-S2")  # :junit: com.acme.reset.TokenTest::expired*
    assert f"failed in 0.02 s · {report}:10" in expired
    assert "expected: <false> but was: <true>" in expired
    assert "TokenTest.java:31" in expired
    assert "error in < 0.01 s" in card(dialects, "TC-S3")
    assert "skipped in < 0.01 s" in card(dialects, "TC-S4")
    flaky = card((app.outdir / "myst.txt").read_text(), "TC-S5")  # a MyST page
    assert "passed in 0.01 s" in flaky and "passed after 1 failed attempt(s) (flaky)" in flaky
    runs = table_rows(dialects[dialects.index("Runs") : dialects.index("Failures")])
    assert runs[1][:8] == [
        "reports/gtest.xml",
        "MathTest, LogicTest",
        "5",
        "2",
        "1",
        "0",
        "2",
        "0.04 s",
    ]
    assert runs[2][2:8] == ["5", "2", "1", "1", "1", "0.05 s"]  # a <testsuite> root


@pytest.mark.sphinx("html", testroot="results-dialects", freshenv=True)
def test_views_work_in_myst_and_the_first_results_page_is_the_home(app):
    app.build()
    assert not warnings_of(app)
    myst = (app.outdir / "myst.html").read_text()
    assert "Test results: 1 of 1 requirements verified, 0 passing (0 %)" in myst
    assert '<th class="head"><p>Test results</p></th>' in myst
    # Two results views: the automatic items' anchors are on the first page by name only.
    index = (app.outdir / "index.html").read_text()
    assert 'id="test-mathtest-subtraction"' in index
    assert 'id="test-mathtest-subtraction"' not in myst
    assert 'href="index.html#test-mathtest-subtraction"' in myst
