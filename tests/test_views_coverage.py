"""Coverage gates (techspec.uncovered) and the coverage report."""

from __future__ import annotations

import shutil

import pytest
from conftest import ROOTS, techspec_warnings, warnings_of
from test_views_incremental import read_docs
from test_views_matrix import section, table_rows


@pytest.mark.sphinx("text", testroot="views-gates", freshenv=True)
def test_gate_warns_once_per_uncovered_item_at_the_item(app):
    app.build()
    uncovered = techspec_warnings(app, "uncovered")
    assert len(uncovered) == 3, uncovered
    assert (
        "index.rst:7: WARNING: REQ-2 (Neither verified nor implemented) has no 'verifies'"
        in uncovered[0]
    )
    assert "'Requirement verified by'" in uncovered[0]
    assert (
        "index.rst:10: WARNING: REQ-3 (A draft nobody verifies) has no 'verifies'" in uncovered[1]
    )
    # The implements rule only covers approved requirements; REQ-3 is a draft.
    assert "index.rst:7: WARNING: REQ-2" in uncovered[2]
    assert "'implements'" in uncovered[2]
    # A rule with "gate": False reports, never warns (TC-2 verifies nothing).
    assert not any("TC-2" in w for w in warnings_of(app))


@pytest.mark.sphinx("html", testroot="views-gates", warningiserror=True, freshenv=True)
def test_gate_fails_a_warnings_as_errors_build(app):
    app.build()
    assert app.statuscode == 1


@pytest.mark.sphinx("html", testroot="views", warningiserror=True)
def test_no_rules_no_gate(app):
    app.build()
    assert app.statuscode == 0


@pytest.mark.sphinx("text", testroot="views-gates", freshenv=True)
def test_report_counts_rules_and_orphans(app):
    app.build()
    text = (app.outdir / "index.txt").read_text()
    status_rows = table_rows(text[text.index("Items by status") : text.index("Coverage rules")])
    assert status_rows[0] == ["Type", "Total", "draft", "approved", "no status"]
    assert status_rows[1] == ["Requirements", "3", "1", "2", "0"]
    assert status_rows[2] == ["Components", "1", "0", "0", "1"]
    assert status_rows[3] == ["Test cases", "2", "0", "0", "2"]
    rule_rows = table_rows(text[text.index("Coverage rules") : text.index("Orphans")])
    assert rule_rows[1:] == [
        ["Requirement verified by", "1 of 3", "33 %", "gate"],
        ["Requirement (approved) implemented by", "1 of 2", "50 %", "gate"],
        ["Test case verifies", "1 of 2", "50 %", "report only"],
    ]
    orphans = text[text.index("Orphans") :]
    assert "Requirements linked to no other kind of item (2): REQ-2, REQ-3" in orphans
    assert "Test cases linked to no other kind of item (1): TC-2" in orphans
    assert "Components linked" not in orphans


@pytest.mark.sphinx("html", testroot="views-gates")
def test_report_links_orphans(app):
    app.build()
    html = (app.outdir / "index.html").read_text()
    orphans = html[html.index("Orphans") :]
    assert 'href="#TC-2"' in orphans


@pytest.mark.sphinx("html", testroot="views-bad", freshenv=True)
def test_malformed_rules_warn_at_conf_py(app):
    app.build()
    bad_config = techspec_warnings(app, "bad_config")
    assert any("conf.py:3:" in w and "unknown item type 'no-such-type'" in w for w in bad_config)
    assert any("conf.py:3:" in w and "unknown link type 'no-such-link'" in w for w in bad_config)
    assert any("techspec_coverage_rules[3] must be a dict, not str" in w for w in bad_config)
    # The well-formed rule still gates.
    assert any("REQ-2 (Not verified)" in w for w in techspec_warnings(app, "uncovered"))


@pytest.mark.sphinx("text", testroot="views")
def test_item_table_columns_and_sort(app):
    app.build()
    rows = table_rows(section((app.outdir / "matrix.txt").read_text(), "Table"))
    assert rows[0] == ["ID", "Title", "Status", "Kind", "Verified by", "Verifies"]
    # :sort: -status: descending by status, ties in ID order.
    assert [(r[0], r[2]) for r in rows[1:]] == [
        ("REQ-003", "proposed"),
        ("TC-001", "implemented"),
        ("REQ-002", "draft"),
        ("REQ-001", "approved"),
        ("TC-002", ""),
    ]
    assert rows[4][4] == "TC-001, TC-002"
    assert rows[5][5] == "REQ-001, REQ-002"


def test_gate_also_fails_a_rebuild_that_reads_nothing(make_app, tmp_path):
    srcdir = tmp_path / "gates"
    shutil.copytree(ROOTS / "test-views-gates", srcdir)
    make_app("html", srcdir=srcdir).build()
    again = make_app("html", srcdir=srcdir, warningiserror=True)
    again.build()
    assert read_docs(again) == []
    assert len(techspec_warnings(again, "uncovered")) == 3
    assert again.statuscode == 1


@pytest.mark.sphinx("text", testroot="views")
def test_report_rules_option_adds_report_only_rules(app):
    app.build()
    report = section((app.outdir / "matrix.txt").read_text(), "Report")
    rule_rows = table_rows(report[report.index("Coverage rules") : report.index("Orphans")])
    assert rule_rows[1:] == [
        ["Requirement verified by", "2 of 3", "66 %", "report only"],
        ["Test case verifies", "2 of 2", "100 %", "report only"],
        # The default coverage of the matrix follows the rules it does not repeat.
        ["Requirement implemented by", "2 of 3", "66 %", "default (matrix)"],
    ]
    assert not techspec_warnings(app, "uncovered")


@pytest.mark.sphinx("html", testroot="views-bad", freshenv=True)
def test_report_rules_option_warns_on_unknown_types(app):
    app.build()
    unknown = [w for w in techspec_warnings(app, "unknown_type") if "index.rst:37:" in w]
    assert len(unknown) == 2
    assert ":rules: 'requirement'" in unknown[0]
    assert ":rules: 'widget verifies'" in unknown[1]


def test_orphans_count_body_models_as_used_and_skip_untraced_types(make_app, tmp_path):
    """A model an endpoint takes or returns is used; spec headers and environments are context."""
    srcdir = tmp_path / "design"
    shutil.copytree(ROOTS / "test-design", srcdir)
    index = srcdir / "index.rst"
    index.write_text(
        index.read_text().replace("   api\n", "   api\n   report\n", 1), encoding="utf-8"
    )
    (srcdir / "report.rst").write_text(
        "Report\n======\n\n"
        ".. spec-header:: SPEC-1 Accounts\n\n"
        ".. environment:: ENV-1 Staging\n\n"
        ".. coverage-report::\n",
        encoding="utf-8",
    )
    app = make_app("text", srcdir=srcdir)
    app.build()
    assert not warnings_of(app)
    text = (app.outdir / "report.txt").read_text(encoding="utf-8")
    orphans = " ".join(text[text.index("Orphans") :].split())
    assert "Data models linked to no other kind of item (2): Address, Organization" in orphans
    assert "User" not in orphans  # GET /users/{id} returns it, POST /users takes it
    assert "SPEC-1" not in orphans and "ENV-1" not in orphans
    assert "Spec" not in orphans and "Environment" not in orphans
