"""The template's item types: fields, derived severity, reverse links, roles, MyST."""

from __future__ import annotations

import json

import pytest
from conftest import warnings_of

from sphinx_techspec.template.risks import derive_severity

LEVELS = ["low", "medium", "high"]
SEVERITIES = ["low", "medium", "high", "critical"]


@pytest.mark.parametrize(
    ("likelihood", "impact", "severity"),
    [
        ("low", "low", "low"),
        ("low", "medium", "low"),
        ("low", "high", "medium"),
        ("medium", "medium", "medium"),
        ("medium", "high", "high"),
        ("high", "medium", "high"),
        ("high", "high", "critical"),
        ("high", "unknown", None),
        (None, "high", None),
    ],
)
def test_severity_follows_likelihood_and_impact(likelihood, impact, severity):
    assert derive_severity(likelihood, impact, LEVELS, SEVERITIES) == severity


def test_severity_on_a_five_point_scale_reaches_both_ends():
    levels = ["1", "2", "3", "4", "5"]
    assert derive_severity("1", "1", levels, SEVERITIES) == "low"
    assert derive_severity("5", "5", levels, SEVERITIES) == "critical"


def page(app, name: str) -> str:
    return (app.outdir / f"{name}.txt").read_text()


def block(text: str, start: str, end: str | None = None) -> str:
    """The text of one item card, from its header to the next one."""
    rest = text.split(start, 1)[1]
    return rest.split(end, 1)[0] if end else rest


@pytest.mark.sphinx("text", testroot="template", freshenv=True)
def test_template_items_build_without_warnings(app):
    app.build()
    assert warnings_of(app) == []


@pytest.mark.sphinx("text", testroot="template", freshenv=True)
def test_risk_shows_derived_severity_and_mitigation(app):
    app.build()
    security = page(app, "security")
    risk1 = block(security, "Risk **RISK-1**", "Risk **RISK-2**")
    assert "Severity:\n   high" in risk1
    assert "Mitigated by:\n   REQ-1 Users can request a link" in risk1
    assert "Severity:\n   critical" in block(security, "Risk **RISK-3**", "+---")
    scope = page(app, "scope")
    assert "Mitigates:\n   RISK-1 Token guessing" in block(scope, "**REQ-1**", "**REQ-2**")


@pytest.mark.sphinx("text", testroot="template", freshenv=True)
def test_spec_header_takes_id_from_page_and_title_from_heading(app):
    app.build()
    index = page(app, "index")
    assert "Spec **SPEC-INDEX**: Reset service spec (in-review)" in index
    for field in ("Version:\n   1.2", "Authors:\n   Ada, Grace", "Reviewers:\n   Linus",
                  "Approved by:\n   Barbara", "Date:\n   2026-03-01"):  # fmt: skip
        assert field in index


@pytest.mark.sphinx("text", testroot="template", freshenv=True)
def test_scope_renders_two_lists_and_requirements_point_at_entries(app):
    app.build()
    scope = page(app, "scope")
    inside = block(scope, "-[ In scope ]-", "-[ Out of scope ]-")
    outside = block(scope, "-[ Out of scope ]-", "Requirements")
    assert "* In scope **SC-EMAIL**: Reset by email link" in inside
    assert "Covered by:\n     REQ-1 Users can request a link" in inside
    assert "* Out of scope **SC-SMS**: Reset by SMS" in outside
    assert "SC-EMAIL" not in outside
    assert "In scope:\n   SC-EMAIL Reset by email link" in block(scope, "**REQ-1**", "**REQ-2**")


@pytest.mark.sphinx("text", testroot="template", freshenv=True)
def test_environment_metric_dependency_decision_links_both_ways(app):
    app.build()
    ops = page(app, "ops")
    assert "Promotes to:\n   ENV-PROD Production" in block(ops, "**ENV-STAGE**", "**ENV-PROD**")
    assert "Promoted from:\n   ENV-STAGE Staging" in block(ops, "**ENV-PROD**", "Monitoring")
    assert "Measures:\n   REQ-2 Requests answer fast" in block(ops, "**MET-1**", "Dependencies")
    assert "Used by:\n   API Account API" in block(ops, "**DEP-REQ**", "**DEP-MAIL**")
    scope = page(app, "scope")
    req2 = block(scope, "**REQ-2**", "**API**")
    assert "Measured by:\n   MET-1 Reset latency" in req2
    assert "Decided by:\n   ADR-2 Use the provider's batch API" in req2
    assert "Uses:\n   * DEP-REQ docutils\n\n   * DEP-MAIL Mail provider" in scope
    decisions = page(app, "decisions")
    assert "Superseded by:\n   ADR-2" in block(decisions, "**ADR-1**", "**ADR-2**")
    assert "Decision **ADR-1**: Use a queue for mail (superseded)" in decisions


@pytest.mark.sphinx("text", testroot="template", freshenv=True)
def test_item_fields_are_json_serialisable(app):
    app.build()
    domain = app.env.get_domain("techspec")
    new_types = {"spec-header", "in-scope", "out-of-scope", "risk", "environment",
                 "dependency", "metric", "decision"}  # fmt: skip
    items = [item for item in domain.items.values() if item.type in new_types]
    assert {item.type for item in items} == new_types
    for item in items:
        json.dumps(item.fields)
    assert domain.get("RISK-3").fields["severity"] == "critical"
    assert domain.get("SPEC-INDEX").fields["date"] == "2026-03-01"


@pytest.mark.sphinx("html", testroot="template-myst", freshenv=True)
def test_myst_items_roles_and_views(app):
    app.build()
    assert warnings_of(app) == []
    security = (app.outdir / "security.html").read_text()
    for target in ("#RISK-1", "index.html#MET-1", "index.html#DEP-1", "#ADR-1", "#ENV-1",
                   "index.html#SC-1"):  # fmt: skip
        assert f'href="{target}"' in security
    assert "techspec-risk-register" in security
    index = (app.outdir / "index.html").read_text()
    assert "techspec-type-spec-header" in index
    assert "techspec-dependency-table" in index
    assert "techspec-completeness" in index
    assert 'class="techspec-scope-in-scope rubric"' in index


@pytest.mark.sphinx("html", testroot="template", freshenv=True)
def test_new_items_are_in_objects_inv(app):
    from sphinx.util.inventory import InventoryFile

    app.build()
    inventory = InventoryFile.loads((app.outdir / "objects.inv").read_bytes(), uri="").data
    assert inventory["techspec:risk"]["RISK-1"].uri == "security.html#RISK-1"
    assert "techspec:spec-header" in inventory
    assert "ADR-2" in inventory["techspec:decision"]


@pytest.mark.sphinx("html", testroot="template", freshenv=True)
def test_template_items_are_in_the_json_export(app):
    import jsonschema

    from sphinx_techspec.exports.techspec_json import export_schema

    app.build()
    document = json.loads((app.outdir / "techspec.json").read_text())
    jsonschema.validate(document, export_schema())
    items = document["items"]
    assert items["RISK-3"]["fields"]["severity"] == "critical"
    assert items["REQ-1"]["incoming"]["mitigated-by"] == ["RISK-1"]
    assert items["SPEC-INDEX"]["fields"]["authors"] == ["Ada", "Grace"]
    assert items["DEP-REQ"]["incoming"]["uses"] == ["API"]
    assert document["link_types"]["measures"]["reverse"] == "measured by"


@pytest.mark.sphinx("html", testroot="template", freshenv=True)
def test_environment_url_is_a_link_and_other_text_is_not(app):
    app.build()
    html = (app.outdir / "ops.html").read_text()
    stage = html.split('id="ENV-STAGE"', 1)[1].split('id="ENV-PROD"', 1)[0]
    assert 'href="https://staging.example.com"' in stage
    assert "acceptance tests" in stage
