"""Every bad input of the template's items and views gives a located, typed warning."""

from __future__ import annotations

import pytest
from conftest import techspec_warnings, warnings_of

pytestmark = pytest.mark.sphinx("text", testroot="template-warnings", freshenv=True)


def one(app, subtype: str, text: str) -> str:
    """The single warning of ``subtype`` that mentions ``text``."""
    (line,) = [w for w in techspec_warnings(app, subtype) if text in w]
    return line


def test_second_spec_header_in_a_page_warns_and_still_renders(app):
    app.build()
    line = one(app, "duplicate_spec_header", "second spec-header")
    assert "index.rst:8:" in line and "SPEC-INDEX" in line
    assert "Spec **SPEC-OTHER**: Another header (draft)" in (app.outdir / "index.txt").read_text()


def test_bad_dates_and_statuses(app):
    app.build()
    # Each at its option's line.
    assert "index.rst:6:" in one(app, "bad_value", "'2026-13-01'")
    assert "index.rst:5:" in one(app, "bad_value", "status 'final' is not one of: draft, in-review")
    assert "deploy.rst:15:" in one(app, "bad_value", "'yesterday'")
    assert "deploy.rst:16:" in one(app, "bad_value", "status 'maybe'")
    assert "security.rst:21:" in one(app, "bad_value", "category 'gremlins'")


def test_links_of_the_wrong_type(app):
    app.build()
    assert "security.rst:24:" in one(app, "wrong_link_type", "RISK-4: :mitigated-by: ENV-1")
    assert "security.rst:28:" in one(app, "wrong_link_type", "REQ-F: :scope: OUT-1")
    assert "security.rst:34:" in one(app, "wrong_link_type", "MET-1: :measures: REQ-F")


def test_risk_gate_names_unmitigated_risks_at_or_above_the_threshold(app):
    app.build()
    gate = techspec_warnings(app, "unmitigated_risk")
    assert len(gate) == 1  # RISK-2 is accepted, RISK-3 is low, RISK-4 has a mitigation
    assert "security.rst:6:" in gate[0] and "RISK-1: high risk" in gate[0]


def test_installed_version_check(app):
    app.build()
    assert "security.rst:38:" in one(
        app, "dependency_version", "DEP-OLD: the spec says docutils <0.1"
    )
    assert "security.rst:42:" in one(app, "dependency_version", "'no-such-distribution-xyz'")
    assert "security.rst:47:" in one(app, "bad_value", "DEP-BAD: version '~~1'")
    assert not [w for w in warnings_of(app) if "DEP-GOOD" in w]


def test_guides_markers_and_scope_problems(app):
    app.build()
    assert "deploy.rst:8:" in one(app, "bad_value", "unknown template section 'nowhere'")
    assert "security.rst:1:" in one(app, "bad_value", ":section: 'nonsense'")
    assert "security.rst:55:" in one(app, "bad_option", "scope has no in-scope")


def test_template_config_with_unknown_type(app):
    app.build()
    line = one(app, "bad_config", "counts unknown item types: no-such-type")
    assert "conf.py:6:" in line
    line = one(app, "bad_config", "techspec_template[5]['headings'] must be a string or a list")
    assert "conf.py:6:" in line and "the entry is left out" in line


def test_incomplete_names_missing_and_unwritten_sections(app):
    app.build()
    incomplete = techspec_warnings(app, "incomplete")
    # The malformed "rollout" entry is left out (a bad_config warning), the rest stay.
    assert len(incomplete) == 3
    assert "deploy.rst:4:" in one(app, "incomplete", "'Deployment' still holds its template guide")
    assert "index.rst:" in one(app, "incomplete", "section 4 'Glossary' is missing")
    assert "section 5 'Operations' is missing" in incomplete[2]
    # Present by :section: metadata although the page title is "Threats".
    assert not [w for w in incomplete if "'Security'" in w]


@pytest.mark.sphinx(
    "text",
    testroot="template-warnings",
    freshenv=True,
    confoverrides={"techspec_risk_gate": "extreme"},
)
def test_risk_gate_must_name_a_severity(app):
    app.build()
    assert "conf.py:3:" in one(app, "bad_config", "techspec_risk_gate 'extreme'")
    assert techspec_warnings(app, "unmitigated_risk") == []


@pytest.mark.sphinx(
    "text",
    testroot="template-warnings",
    freshenv=True,
    confoverrides={
        "techspec_check_completeness": False,
        "techspec_check_installed_versions": False,
        "techspec_risk_gate": None,
    },
)
def test_optional_checks_are_off_unless_enabled(app):
    app.build()
    for subtype in ("incomplete", "dependency_version", "unmitigated_risk"):
        assert techspec_warnings(app, subtype) == []


@pytest.mark.sphinx(
    "text", testroot="template-warnings", freshenv=True, confoverrides={"techspec_risk_levels": []}
)
def test_empty_risk_scale_is_a_config_problem(app):
    app.build()
    assert one(app, "bad_config", "techspec_risk_levels: [] should be non-empty")
