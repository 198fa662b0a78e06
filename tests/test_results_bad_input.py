"""Bad reports: a located techspec.* warning or escaped text; no traceback, no entity expanded."""

from __future__ import annotations

import shutil

import pytest
from conftest import ROOTS, techspec_warnings, warnings_of


def bad_warnings(app) -> dict[str, str]:
    """report file name → its bad_test_results warning."""
    found = {}
    for line in techspec_warnings(app, "bad_test_results"):
        path = line.split(": WARNING: ")[0]
        found[path.rsplit("/", 1)[1]] = line
    return found


@pytest.mark.sphinx("html", testroot="results-bad", freshenv=True)
def test_each_bad_report_is_a_located_warning(app):
    app.build()
    found = bad_warnings(app)
    assert sorted(found) == [
        "bomb.xml:2",
        "empty.xml:1",
        "external-dtd.xml:2",
        "malformed.xml:4",
        "not-junit.xml:1",
        "undefined-entity.xml:3",
        "xxe.xml:2",
    ]
    assert "declares a DTD" in found["bomb.xml:2"]
    assert "declares a DTD" in found["xxe.xml:2"]
    assert "declares a DTD" in found["external-dtd.xml:2"]
    assert "is not well-formed XML (mismatched tag); not read" in found["malformed.xml:4"]
    assert "is not well-formed XML (undefined entity)" in found["undefined-entity.xml:3"]
    assert "is not a JUnit XML report (root element <html>" in found["not-junit.xml:1"]
    assert "is not well-formed XML (no element found)" in found["empty.xml:1"]
    assert "Traceback" not in app.status.getvalue() + app.warning.getvalue()


@pytest.mark.sphinx("html", testroot="results-bad", freshenv=True)
def test_no_entity_is_ever_expanded(app):
    app.build()
    outputs = "".join(
        (app.outdir / name).read_text() for name in ("index.html", "techspec.json", "needs.json")
    )
    assert "lollol" not in outputs and "root:" not in outputs
    assert "leak" not in outputs  # that report is not read


@pytest.mark.sphinx("html", testroot="results-bad", freshenv=True)
def test_missing_file_and_empty_glob_warn_at_conf_py(app):
    app.build()
    missing = techspec_warnings(app, "missing_test_results")
    conf = f"{app.srcdir}/conf.py:3: WARNING: techspec_test_results: "
    assert missing == [
        f"{conf}'reports/missing.xml' is not a file (looked in {app.srcdir}) "
        "[techspec.missing_test_results]",
        f"{conf}'nothing/*.xml' matches no file (looked in {app.srcdir}) "
        "[techspec.missing_test_results]",
    ]


@pytest.mark.sphinx("html", testroot="results-bad", freshenv=True)
def test_html_in_failure_messages_is_escaped(app):
    app.build()
    html = (app.outdir / "index.html").read_text()
    assert "<script>alert" not in html and "<img src=x" not in html and "<b>bold" not in html
    assert "&lt;script&gt;alert('x')&lt;/script&gt; &lt;b&gt;bold&lt;/b&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "&lt;/div&gt;&lt;/td&gt;&lt;/table&gt; unbalanced markup" in html
    # The good report of the same project was still read (time="abc" is no time).
    assert "failed · reports/ok.xml:4" in app.builder.env.get_doctree("index").astext() or (
        "reports/ok.xml:4" in html
    )


@pytest.mark.sphinx("html", testroot="results-bad", freshenv=True)
def test_ids_of_the_wrong_kind_warn_at_the_report_line(app):
    app.build()
    location = f"{app.srcdir}/reports/ok.xml:8: WARNING: "
    assert techspec_warnings(app, "unknown_ref") == [
        f"{location}ok::test_names_a_requirement_that_is_not_one: test_case names unknown ID "
        "'TC-404' [techspec.unknown_ref]"
    ]
    assert techspec_warnings(app, "wrong_link_type") == [
        f"{location}ok::test_names_a_requirement_that_is_not_one: verifies names TC-1, a test "
        "case; tests verify requirement only [techspec.wrong_link_type]"
    ]


HUGE = """<?xml version="1.0"?>
<testsuite name="huge"><testcase classname="ok" name="test_html_message">
<failure message="{message}">{text}</failure></testcase></testsuite>
"""


def test_huge_failure_messages_are_shortened(make_app, tmp_path):
    srcdir = tmp_path / "huge"
    shutil.copytree(ROOTS / "test-results-bad", srcdir)
    shutil.rmtree(srcdir / "reports")
    (srcdir / "reports").mkdir()
    line = "&lt;td&gt;" + "x" * 990
    (srcdir / "reports" / "huge.xml").write_text(
        HUGE.format(message=line * 1000, text=(line + "\n") * 2000)
    )
    (srcdir / "conf.py").write_text(
        'extensions = ["sphinx_techspec"]\ntechspec_test_results = ["reports/huge.xml"]\n'
    )
    app = make_app("html", srcdir=srcdir)
    app.build()
    assert not warnings_of(app)
    html = (app.outdir / "index.html").read_text()
    assert len(html) < 100_000  # 3 MB of failure text does not land in the page
    message = html.split('<p class="techspec-result-message">')[1].split("</p>")[0]
    assert message.startswith("&lt;td&gt;xxx") and message.endswith("…")
    assert len(message) < 250
    assert "more characters)" in html  # the full text, capped
    assert "<td>x" not in html


def test_a_report_over_the_size_limit_is_not_read(make_app, tmp_path, monkeypatch):
    from sphinx_techspec.test_results import junit

    monkeypatch.setattr(junit, "FILE_LIMIT", 100)
    srcdir = tmp_path / "big"
    shutil.copytree(ROOTS / "test-results-bad", srcdir)
    (srcdir / "conf.py").write_text(
        'extensions = ["sphinx_techspec"]\ntechspec_test_results = ["reports/ok.xml"]\n'
    )
    app = make_app("html", srcdir=srcdir)
    app.build()
    (warning,) = techspec_warnings(app, "bad_test_results")
    assert warning.startswith(f"{srcdir}/reports/ok.xml:1: WARNING: test results reports/ok.xml")
    assert "larger than" in warning and "not read" in warning


@pytest.mark.sphinx(
    "html",
    testroot="results-bad",
    freshenv=True,
    confoverrides={"techspec_test_results": ["reports/ok.xml", 3]},
)
def test_a_malformed_config_entry_is_bad_config_and_dropped(app):
    app.build()
    (bad,) = techspec_warnings(app, "bad_config")
    assert "techspec_test_results[1] must be a string, not int; the entry is left out" in bad
    assert "reports/ok.xml:4" in (app.outdir / "index.html").read_text()  # the good entry
