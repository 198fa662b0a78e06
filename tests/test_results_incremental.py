"""A changed report rewrites the pages showing results on the next build, and only those."""

from __future__ import annotations

import re
import shutil

from conftest import ROOTS
from test_results_build import SUITE, run_suite
from test_views_incremental import read_docs

pytest_plugins = ("pytester",)

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def written_docs(app) -> list[str]:
    status = ANSI.sub("", app.status.getvalue())
    return re.findall(r"writing output\.\.\. \[\s*\d+%\] (\S+)", status)


def test_a_changed_report_rewrites_result_pages_only(make_app, tmp_path, pytester):
    srcdir = tmp_path / "results"
    shutil.copytree(ROOTS / "test-results-basic", srcdir)
    (srcdir / "reports").mkdir(exist_ok=True)
    report = srcdir / "reports" / "junit.xml"
    shutil.copy(run_suite(pytester), report)
    app = make_app("text", srcdir=srcdir)
    app.build()
    assert "failed 1 failed, 1 passed" in (app.outdir / "tests.txt").read_text()

    # Nothing changed: nothing is read or written.
    app = make_app("text", srcdir=srcdir)
    app.build()
    assert read_docs(app) == [] and written_docs(app) == []

    # The expired-token bug is fixed and the tests run again.
    fixed = SUITE.read_text().replace("assert age < 30", "assert age < 100")
    shutil.copy(run_suite(pytester, fixed), report)
    app = make_app("text", srcdir=srcdir)
    app.build()
    assert read_docs(app) == []  # no page is read again, they are only rewritten
    # index: Sphinx rewrites the page whose toctree lists a rewritten page; "other" stays.
    assert sorted(written_docs(app)) == ["index", "matrix", "requirements", "results", "tests"]
    tests = (app.outdir / "tests.txt").read_text()
    assert "Test result:\n   passed 2 passed" in tests
    assert (
        "Test results: 4 of 5 requirements verified, 3 passing (60 %)"
        in (app.outdir / "matrix.txt").read_text()
    )
    assert "No test failed." in (app.outdir / "results.txt").read_text()


def test_a_removed_report_shows_tests_not_run(make_app, tmp_path, pytester):
    srcdir = tmp_path / "results"
    shutil.copytree(ROOTS / "test-results-basic", srcdir)
    (srcdir / "reports").mkdir(exist_ok=True)
    report = srcdir / "reports" / "junit.xml"
    shutil.copy(run_suite(pytester), report)
    app = make_app("text", srcdir=srcdir)
    app.build()
    report.unlink()
    app = make_app("text", srcdir=srcdir)
    app.build()
    assert "other" not in written_docs(app)
    assert "Test result:\n   not run" in (app.outdir / "tests.txt").read_text()
    # The automatic item went with its result: REQ-3 is unverified again.
    requirements = (app.outdir / "requirements.txt").read_text()
    assert "test_audit_entry_written" not in requirements
    assert "'reports/*.xml' matches no file" in app.warning.getvalue()
