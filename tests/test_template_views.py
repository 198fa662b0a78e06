"""Risk register, dependency table, spec index and completeness checklist."""

from __future__ import annotations

import re
import shutil

import pytest
from conftest import ROOTS, warnings_of


def table_rows(text: str) -> list[list[str]]:
    """The rows of the text builder's grid tables, first line of each cell."""
    rows = []
    for line in text.splitlines():
        if line.startswith("| ") and not line.startswith("|  "):
            rows.append([cell.strip() for cell in line.strip("|").split(" | ")])
    return rows


@pytest.mark.sphinx("text", testroot="template", freshenv=True)
def test_risk_register_sorts_by_severity_and_marks_unmitigated(app):
    app.build()
    security = (app.outdir / "security.txt").read_text()
    register = security.split("+---", 1)[1]
    rows = [row for row in table_rows(register) if row[0].startswith("RISK")]
    assert [row[0].split()[0] for row in rows] == ["RISK-3", "RISK-1", "RISK-2"]
    assert [row[4] for row in rows] == ["critical", "high", "low"]
    assert rows[0][6] == "**unmitigated**"
    assert rows[1][6] == "REQ-1 Users can request a link"
    assert "3 risks, 2 unmitigated." in register


@pytest.mark.sphinx("html", testroot="template", freshenv=True)
def test_risk_register_html_marks_rows_and_links_items(app):
    app.build()
    html = (app.outdir / "security.html").read_text()
    register = html.split("techspec-risk-register", 1)[1]
    assert len(re.findall(r'<tr class="techspec-unmitigated', register)) == 2
    assert 'href="scope.html#REQ-1"' in register
    assert 'href="#RISK-3"' in register


@pytest.mark.sphinx("text", testroot="template", freshenv=True)
def test_dependency_table_lists_users(app):
    app.build()
    ops = (app.outdir / "ops.txt").read_text()
    rows = table_rows(ops.split("+---", 1)[1])
    assert rows[0] == ["Dependency", "Kind", "Version", "License", "Owner", "Used by"]
    assert rows[1] == ["DEP-MAIL Mail provider", "external-api", "", "", "vendor",
                       "API Account API"]  # fmt: skip
    assert rows[2][:3] == ["DEP-REQ docutils", "library", ">=0.20"]


@pytest.mark.sphinx("text", testroot="template", freshenv=True)
def test_spec_index_and_completeness_checklist(app):
    app.build()
    index = (app.outdir / "index.txt").read_text()
    checklist, spec_index = index.split("Checklist", 1)[1].split("All specs", 1)
    states = {row[0]: row[1] for row in table_rows(checklist) if row[0][:1].isdigit()}
    assert states["1. Title and overview"] == "✗ missing"
    assert states["2. Scope"] == "✓ done"
    assert states["9. Security"] == "✓ done"
    assert states["10. Testing strategy"] == "✗ missing"
    assert len(states) == 15
    assert "8 of 15 sections written. Missing: Title and overview, Workflows," in checklist
    rows = table_rows(spec_index)
    assert rows[1] == ["Reset service spec", "SPEC-INDEX", "in-review", "1.2", "Ada, Grace",
                       "2026-03-01"]  # fmt: skip


@pytest.mark.sphinx("text", testroot="template-myst", freshenv=True)
def test_section_marker_and_guide_count_in_the_checklist(app):
    app.build()
    index = (app.outdir / "index.txt").read_text()
    states = {row[0]: row[1] for row in table_rows(index) if row[0][:1].isdigit()}
    # Page metadata "section: overview" marks the page titled "Reset spec".
    assert states["1. Title and overview"] == "✓ done"
    # security.md still holds its spec-guide box.
    assert states["9. Security"] == "✎ to write"
    # A guide alone places its section on the page, whatever the page is titled.
    (workflows,) = [row for row in table_rows(index) if row[0] == "6. Workflows"]
    assert workflows[1:] == ["✎ to write", "0 sequences, 0 workflows", "Notes"]


@pytest.mark.sphinx("latex", testroot="template", freshenv=True)
def test_views_build_in_latex(app):
    app.build()
    assert warnings_of(app) == []
    tex = (app.outdir / "template.tex").read_text()
    assert "unmitigated" in tex
    assert "Mail provider" in tex
    assert r"\sphinxhref" not in tex.split("Checklist", 1)[1].split("All specs", 1)[0]


def test_serial_and_parallel_builds_write_the_same_views(make_app, tmp_path):
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-template", src)
    outputs = []
    for parallel in (1, 2):
        app = make_app("html", srcdir=src, builddir=tmp_path / f"build{parallel}",
                       parallel=parallel)  # fmt: skip
        app.build()
        # A second app in one process re-registers Sphinx's own nodes: not ours to judge.
        assert [line for line in warnings_of(app) if "[techspec." in line] == []
        outputs.append(
            {
                name: (app.outdir / f"{name}.html").read_text()
                for name in ("index", "security", "ops", "scope", "decisions")
            }
        )
    assert outputs[0] == outputs[1]


@pytest.mark.sphinx("html", testroot="template", freshenv=True)
def test_html_pages_load_the_stylesheet_with_template_styles(app):
    app.build()
    css = (app.outdir / "_static" / "techspec.css").read_text()
    assert ".techspec-type-risk" in css and "techspec-section-missing" in css
    assert "_static/techspec.css" in (app.outdir / "security.html").read_text()


@pytest.mark.sphinx("text", testroot="template-empty", freshenv=True)
def test_views_without_items_say_so(app):
    app.build()
    assert warnings_of(app) == []
    text = (app.outdir / "index.txt").read_text()
    assert "No risks are recorded yet." in text
    assert "No dependencies are recorded yet." in text
    assert "No document has a spec-header yet." in text


@pytest.mark.sphinx(
    "text", testroot="template", freshenv=True, confoverrides={"techspec_template": []}
)
def test_empty_template_gives_an_empty_checklist(app):
    app.build()
    assert warnings_of(app) == []
    assert "techspec_template names no sections." in (app.outdir / "index.txt").read_text()
