"""pytest (with our plugin) writes JUnit XML; a Sphinx build shows it everywhere and gates on it."""

from __future__ import annotations

import html as html_lib
import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import ROOTS, techspec_warnings, warnings_of
from test_views_matrix import section, table_rows

pytest_plugins = ("pytester",)

SUITE = ROOTS / "test-results-basic" / "suite" / "test_token.py"


def run_suite(pytester, source: str | None = None) -> Path:
    """Run the test module with pytest and our plugin; the JUnit XML report it wrote."""
    pytester.makepyfile(test_token=source or SUITE.read_text())
    pytester.runpytest("--junitxml=junit.xml")
    return pytester.path / "junit.xml"


@pytest.fixture
def results_project(tmp_path, pytester) -> Path:
    srcdir = tmp_path / "results"
    shutil.copytree(ROOTS / "test-results-basic", srcdir)
    (srcdir / "reports").mkdir(exist_ok=True)
    shutil.copy(run_suite(pytester), srcdir / "reports" / "junit.xml")
    return srcdir


def card(text: str, item_id: str) -> str:
    """The text output of one item card (up to the next card)."""
    start = text.index(f"**{item_id}**")
    following = text.find("Test case **", start + 1)
    return text[start : following if following > 0 else len(text)]


def row_of(rows: list[list[str]], first: str) -> list[str]:
    return next(row for row in rows if row[0] == first)


def report_line(srcdir: Path, needle: str) -> int:
    """The line of the report where a testcase named ``needle`` starts."""
    text = (srcdir / "reports" / "junit.xml").read_text()
    return text[: text.index(f'name="{needle}"')].count("\n") + 1


def test_cards_show_result_time_file_and_failure(make_app, results_project):
    app = make_app("text", srcdir=results_project)
    app.build()
    tests = (app.outdir / "tests.txt").read_text()
    passed = card(tests, "TC-1")
    assert re.search(
        r"Test result:\n\s+passed in (< 0\.01|\d+\.\d\d) s · reports/junit\.xml:1 · run 20", passed
    )
    assert '"test_token::test_fresh_token_is_valid"' in passed  # which test it was
    failed = card(tests, "TC-2")
    # Two parametrised results: the worst wins, all are listed with their messages.
    assert "Test result:\n   failed 1 failed, 1 passed" in failed
    assert '"test_token"' in failed  # the class (module) once, then the names
    assert 'passed "test_expired_token_is_refused[29]"' in failed
    assert 'failed "test_expired_token_is_refused[61]"' in failed
    assert "AssertionError: <b>token</b> accepted after & 60 min" in failed
    assert "test_token.py:13: AssertionError" in failed  # the full text, outside HTML
    assert "not run no result in the test reports" in card(tests, "TC-3")
    skipped = card(tests, "TC-4")  # matched by a :junit: glob
    assert "Test result:\n   skipped" in skipped and "needs a mail server" in skipped
    # Beside the test IDs on the requirement cards too, automatic items included.
    requirements = (app.outdir / "requirements.txt").read_text()
    assert "TC-2 Expired token failed" in requirements
    assert "test_token::test_audit_entry_written Audit entry written passed" in requirements


def test_html_escapes_failure_text_and_collapses_the_full_output(make_app, results_project):
    app = make_app("html", srcdir=results_project)
    app.build()
    html = (app.outdir / "tests.html").read_text()
    assert "<b>token" not in html
    assert "&lt;b&gt;token&lt;/b&gt; accepted after &amp; 60 min" in html
    details = re.search(
        r'<div class="techspec-result-details docutils container" id="([^"]+)"', html
    )
    assert details, "the full output block"
    assert f'href="#{details.group(1)}"' in html  # the "full output" link opens it
    assert '<span class="techspec-mark techspec-state-problem">failed</span>' in html
    assert '<span class="techspec-mark techspec-state-attention">not run</span>' in html
    # The automatic item links to its anchor on the results page, which exists.
    requirements = (app.outdir / "requirements.html").read_text()
    anchor = re.search(r'href="results\.html#(test-[^"]+)"', requirements).group(1)
    assert f'id="{anchor}"' in (app.outdir / "results.html").read_text()


def test_matrix_marks_tests_and_counts_passing(make_app, results_project):
    app = make_app("text", srcdir=results_project)
    app.build()
    text = (app.outdir / "matrix.txt").read_text()
    plain = table_rows(section(text, "Plain"))
    assert plain[0] == ["ID", "Title", "Verified by", "Coverage"]  # no :results:, no column
    assert row_of(plain, "REQ-2")[2] == "TC-2 failed"
    assert row_of(plain, "REQ-4")[2] == "TC-3 not run, TC-4 skipped"
    with_results = section(text, "With results")
    rows = table_rows(with_results)
    assert rows[0] == ["ID", "Title", "Verified by", "Test results", "Coverage"]
    states = [row[3] for row in rows[1:] if row[0]]
    assert states == [
        "passing (1 of 1 passed)",
        "failing (0 of 1 passed)",
        "passing (1 of 1 passed)",
        "not run (0 of 2 passed)",
        "no tests",
    ]
    assert "Test results: 4 of 5 requirements verified, 2 passing (40 %)" in with_results
    grid = section(text, "Grid")
    assert "Test results" in table_rows(grid)[1]
    assert "Test results: 4 of 5 requirements verified, 2 passing (40 %)" in grid


def test_coverage_report_says_verified_and_passing(make_app, results_project):
    app = make_app("text", srcdir=results_project)
    app.build()
    report = section((app.outdir / "matrix.txt").read_text(), "Report")
    rules = table_rows(report[report.index("Coverage rules") :])
    assert rules[0][-1] == "Verified and passing"
    assert rules[1] == ["Requirement verified by", "4 of 5", "80 %", "report only", "2 of 5 (40 %)"]


def test_a_passing_rule_counts_passing_items_as_its_column_does(make_app, results_project):
    """A rule "verified by, passing" covers an item only when its tests passed: its own
    percentage and the "Verified and passing" column give the same number."""
    rules = [{"type": "requirement", "link": "verifies", "passing": True, "gate": False}]
    app = make_app("text", srcdir=results_project, confoverrides={"techspec_coverage_rules": rules})
    app.build()
    report = section((app.outdir / "matrix.txt").read_text(), "Report")
    rows = table_rows(report[report.index("Coverage rules") :])
    passing = row_of(rows, "Requirement verified by, passing")
    assert passing == [
        "Requirement verified by, passing",
        "2 of 5",
        "40 %",
        "report only",
        "2 of 5 (40 %)",
    ]
    # The plain rule beside it still counts links.
    assert row_of(rows, "Requirement verified by")[1:3] == ["4 of 5", "80 %"]


def test_results_view_lists_runs_failures_automatic_and_unmatched(make_app, results_project):
    app = make_app("text", srcdir=results_project)
    app.build()
    text = (app.outdir / "results.txt").read_text()
    runs = table_rows(text[text.index("Runs") : text.index("Failures")])
    assert runs[0] == [
        "File", "Suites", "Tests", "Passed", "Failed", "Errors", "Skipped", "Time", "Run at",
    ]  # fmt: skip
    assert runs[1][:7] == ["reports/junit.xml", "pytest", "7", "5", "1", "0", "1"]
    assert "7 results in 1 file: 1 failed, 1 skipped, 5 passed." in text
    failures = text[text.index("Failures") : text.index("Automatic test items")]
    assert 'failed "test_token::test_expired_token_is_refused[61]" (TC-2 failed)' in failures
    automatic = table_rows(text[text.index("Automatic test items") :])
    assert automatic[1] == ["test_token::test_audit_entry_written", "REQ-3", "passed", "1 passed"]
    assert "Test cases without a result**\n\nTC-3 not run" in text
    unmatched = text[text.index("Results matching no item") :]
    assert '"test_token::test_unmarked"' in unmatched
    assert '"test_token::test_names_an_unknown_requirement"' in unmatched


def test_unknown_id_in_a_report_warns_at_its_line(make_app, results_project):
    app = make_app("text", srcdir=results_project)
    app.build()
    unknown = techspec_warnings(app, "unknown_ref")
    line = report_line(results_project, "test_names_an_unknown_requirement")
    assert unknown == [
        f"{results_project}/reports/junit.xml:{line}: WARNING: "
        "test_token::test_names_an_unknown_requirement: verifies names unknown ID 'REQ-404' "
        "(did you mean 'REQ-4'?) "
        "[techspec.unknown_ref]"
    ]
    assert len(warnings_of(app)) == 1  # no gate asks for passing tests: no other warning


PASSING_RULES = [{"type": "requirement", "link": "verifies", "passing": True}]


def test_passing_gate_warns_at_failing_and_unrun_tests(make_app, results_project):
    app = make_app(
        "text", srcdir=results_project, confoverrides={"techspec_coverage_rules": PASSING_RULES}
    )
    app.build()
    tests_rst = f"{results_project}/tests.rst"
    failed = techspec_warnings(app, "test_failed")
    assert len(failed) == 1
    assert failed[0].startswith(f"{tests_rst}:7: WARNING: TC-2 (Expired token) failed in ")
    assert "AssertionError: <b>token</b> accepted after & 60 min" in failed[0]
    assert "REQ-2 needs it to pass (techspec_coverage_rules)" in failed[0]
    not_run = techspec_warnings(app, "test_not_run")
    assert not_run == [
        f"{tests_rst}:11: WARNING: TC-3 (Hashing) has no result in the test reports; "
        "REQ-4 needs it to pass (techspec_coverage_rules) [techspec.test_not_run]",
        f"{tests_rst}:14: WARNING: TC-4 (Skipped on purpose) was skipped; "
        "REQ-4 needs it to pass (techspec_coverage_rules) [techspec.test_not_run]",
    ]
    # REQ-5 has no test at all: that is the uncovered gate's.
    assert [w for w in techspec_warnings(app, "uncovered") if "REQ-5" in w]
    report = section((app.outdir / "matrix.txt").read_text(), "Report")
    assert "Requirement verified by, passing" in report


def test_gates_are_off_unless_a_rule_asks(make_app, results_project):
    rules = [{"type": "requirement", "link": "verifies"}]
    app = make_app("text", srcdir=results_project, confoverrides={"techspec_coverage_rules": rules})
    app.build()
    assert not techspec_warnings(app, "test_failed")
    assert not techspec_warnings(app, "test_not_run")


def test_passing_on_a_link_without_tests_is_bad_config(make_app, results_project):
    rules = [{"type": "requirement", "link": "implements", "passing": True}]
    app = make_app("text", srcdir=results_project, confoverrides={"techspec_coverage_rules": rules})
    app.build()
    assert any("'passing' needs a link type with test cases" in w for w in warnings_of(app))


def test_exports_carry_results(make_app, results_project):
    import jsonschema

    from sphinx_techspec.exports.techspec_json import export_schema

    app = make_app("html", srcdir=results_project)
    app.build()
    document = json.loads((app.outdir / "techspec.json").read_text())
    jsonschema.validate(document, export_schema())
    items = document["items"]
    assert items["TC-2"]["result"] == "failed"
    assert [r["outcome"] for r in items["TC-2"]["results"]] == ["passed", "failed"]
    assert items["TC-2"]["results"][1]["message"].startswith("AssertionError: <b>token</b>")
    assert items["TC-3"]["result"] == "not run" and items["TC-3"]["results"] == []
    automatic = items["test_token::test_audit_entry_written"]
    assert automatic["links"] == {"verifies": ["REQ-3"]} and automatic["result"] == "passed"
    assert automatic["title"] == "Audit entry written"  # from the test's name
    assert automatic["docname"] == "results"
    assert "result" not in items["REQ-1"]
    needs = json.loads((app.outdir / "needs.json").read_text())["versions"][""]["needs"]
    assert needs["TC-2"]["result"] == "failed"
    assert json.loads(needs["TC-2"]["results"])[1]["outcome"] == "failed"


def test_serial_and_parallel_builds_agree(make_app, tmp_path, pytester):
    report = run_suite(pytester)
    outputs = {}
    for jobs in (1, 2):
        srcdir = tmp_path / f"results-j{jobs}"
        shutil.copytree(ROOTS / "test-results-basic", srcdir)
        (srcdir / "reports").mkdir(exist_ok=True)
        shutil.copy(report, srcdir / "reports" / "junit.xml")
        app = make_app("html", srcdir=srcdir, parallel=jobs)
        app.build()
        outputs[jobs] = [
            (app.outdir / name).read_text().replace(str(srcdir), "SRC")
            for name in ("tests.html", "matrix.html", "results.html", "techspec.json")
        ]
        techspec = [w.replace(str(srcdir), "SRC") for w in warnings_of(app) if "[techspec." in w]
        outputs[jobs].append("\n".join(techspec))
    assert outputs[1] == outputs[2]


@pytest.mark.sphinx("text", testroot="views", freshenv=True)
def test_without_reports_cards_show_nothing_new(app):
    app.build()
    assert "Test result" not in (app.outdir / "tests.txt").read_text()
    assert "not run" not in (app.outdir / "matrix.txt").read_text()


def test_pdf_links_to_automatic_items_have_their_label(make_app, results_project):
    app = make_app("latex", srcdir=results_project)
    app.build()
    (tex,) = app.outdir.glob("*.tex")
    text = tex.read_text()
    target = re.search(r"\\hyperref\[\\detokenize\{(results:test-[^}]+)\}\]", text).group(1)
    assert f"\\label{{\\detokenize{{{target}}}}}" in text
    assert "\\DUrole{techspec-state-problem}{failed}" in text


def test_a_failing_automatic_item_warns_at_its_report_line(make_app, results_project, pytester):
    failing = SUITE.read_text().replace(
        "def test_audit_entry_written():\n    assert True",
        "def test_audit_entry_written():\n    assert False, 'no audit entry'",
    )
    report = results_project / "reports" / "junit.xml"
    shutil.copy(run_suite(pytester, failing), report)
    app = make_app(
        "text", srcdir=results_project, confoverrides={"techspec_coverage_rules": PASSING_RULES}
    )
    app.build()
    line = report_line(results_project, "test_audit_entry_written")
    (warning,) = [w for w in techspec_warnings(app, "test_failed") if "audit" in w]
    assert warning.startswith(
        f"{report}:{line}: WARNING: test_token::test_audit_entry_written (Audit entry written) "
        "failed in "
        f"reports/junit.xml:{line}: AssertionError: no audit entry"
    )
    assert "REQ-3 needs it to pass" in warning


def test_html_ids_stay_unique_with_cards_and_two_views_on_a_page(make_app, results_project):
    tests_rst = results_project / "tests.rst"
    tests_rst.write_text(tests_rst.read_text() + "\n.. test-results::\n\n.. test-results::\n")
    app = make_app("html", srcdir=results_project)
    app.build()
    html = (app.outdir / "tests.html").read_text()
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    # The cards of TC-2 (failed) and TC-4 (skipped, with a reason), and both views.
    assert html.count('class="techspec-result-details') == 4
    # The automatic items' home is still the first results page by name.
    assert 'id="test-test-token-test-audit-entry-written"' not in html


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("test_token_carries_128_bits", "Token carries 128 bits"),
        ("test_expired_token_is_refused[61]", "Expired token is refused"),
        ("TestReset_sends_mail", "Reset sends mail"),
        ("checks__spacing_", "Checks spacing"),
        ("test_", "test_"),
    ],
)
def test_automatic_items_get_a_title_from_the_test_name(name, title):
    from sphinx_techspec.test_results.state import title_from_test_name

    assert title_from_test_name(name) == title


def test_matrix_shows_an_automatic_item_by_its_title_with_its_id_as_tooltip(
    make_app, results_project
):
    """A person reads "Audit entry written", not ``test_token::test_audit_entry_written``."""
    app = make_app("text", srcdir=results_project)
    app.build()
    plain = table_rows(section((app.outdir / "matrix.txt").read_text(), "Plain"))
    cell = row_of(plain, "REQ-3")[2]
    assert cell == "Audit entry written passed"
    # Written IDs stay IDs.
    assert row_of(plain, "REQ-2")[2] == "TC-2 failed"
    with (results_project / "matrix.rst").open("a", encoding="utf-8") as page:
        page.write("\nGraph\n-----\n\n.. traceability-graph:: REQ-3\n")
    html_app = make_app("html", srcdir=results_project)
    html_app.build()
    matrix = (html_app.outdir / "matrix.html").read_text()
    # The graph's node is labelled by the title too (no ``::`` in any label).
    graph = matrix[matrix.index('class="mermaid"') :]
    graph = html_lib.unescape(graph[: graph.index("</pre>")])
    assert '"Audit entry written' in graph and "test_audit_entry_written" not in graph
    link = re.search(
        r'<a class="techspec-ref-generated reference internal" href="results\.html#[^"]+"'
        r' title="([^"]+)"><span class="techspec-ref-title">([^<]+)</span></a>',
        matrix,
    )
    assert link, "the automatic item's link in the matrix"
    assert link.groups() == (
        "test_token::test_audit_entry_written: Audit entry written",
        "Audit entry written",
    )
