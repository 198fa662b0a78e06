"""Traceability graph and architecture diagram: Mermaid in HTML, edge tables elsewhere."""

from __future__ import annotations

import html as html_lib
import re
from pathlib import Path

import pytest
from conftest import warnings_of
from test_views_matrix import section, table_rows

import sphinx_techspec
from sphinx_techspec.diagrams import VENDORED_MERMAID_MODULE, VENDORED_MERMAID_VERSION, label

STATIC = Path(sphinx_techspec.__file__).parent / "static" / "mermaid"


def mermaid_blocks(page: str) -> list[str]:
    return [
        html_lib.unescape(b) for b in re.findall(r'<pre\s+class="mermaid">(.*?)</pre>', page, re.S)
    ]


@pytest.mark.sphinx("html", testroot="views", freshenv=True)
def test_graph_is_mermaid_with_labels_edges_and_links(app):
    app.build()
    assert not warnings_of(app)
    graph, architecture = mermaid_blocks((app.outdir / "graphs.html").read_text())
    # Depth 1 from REQ-001: its tests, its component and the requirement refining it.
    assert 'n1["REQ-001: Users can reset their password"]' in graph
    assert "MAIL" not in graph
    assert 'n0 -->|"implements"| n1' in graph
    assert 'n4 -->|"verifies"| n2' in graph
    assert 'click n3 href "tests.html#TC-001"' in graph
    assert graph.strip().startswith("flowchart LR")
    assert 'n0 -->|"depends on"| n1' in architecture
    assert 'n2(["REQ-001: Users can reset their password"])' in architecture
    assert 'click n1 href "components.html#MAIL"' in architecture


@pytest.mark.sphinx("html", testroot="views")
def test_pages_load_the_vendored_mermaid_not_a_cdn(app):
    app.build()
    page = (app.outdir / "graphs.html").read_text()
    assert f'import mermaid from "./_static/{VENDORED_MERMAID_MODULE}"' in page
    assert "cdn.jsdelivr" not in page
    assert (app.outdir / "_static" / VENDORED_MERMAID_MODULE).is_file()
    # Pages without diagrams load no Mermaid at all.
    assert "mermaid" not in (app.outdir / "requirements.html").read_text()


@pytest.mark.sphinx("html", testroot="views", confoverrides={"techspec_mermaid_cdn": True})
def test_cdn_is_an_opt_in_with_the_pinned_version(app):
    app.build()
    page = (app.outdir / "graphs.html").read_text()
    assert (
        f"https://cdn.jsdelivr.net/npm/mermaid@{VENDORED_MERMAID_VERSION}/dist/mermaid.esm.min.mjs"
        in page
    )


@pytest.mark.sphinx("text", testroot="views")
def test_text_builder_gets_edge_tables(app):
    app.build()
    text = (app.outdir / "graphs.txt").read_text()
    graph = table_rows(section(text, "Graph"))
    assert graph[0] == ["From", "Link", "To"]
    assert ["TC-002", "verifies", "REQ-002"] in graph
    assert ["REQ-002", "refines", "REQ-001"] in graph
    assert "[graph" not in text
    architecture = table_rows(section(text, "Architecture"))
    assert architecture[1:] == [
        ["AUTH", "depends on", "MAIL"],
        ["AUTH", "implements", "REQ-001"],
        ["AUTH", "implements", "REQ-002"],
    ]


@pytest.mark.sphinx("latex", testroot="views", freshenv=True)
def test_latex_builder_gets_edge_tables_and_no_mermaid_cli(app):
    app.build()
    assert not warnings_of(app)  # sphinxcontrib-mermaid would warn about a missing mmdc
    tex = (app.outdir / "views.tex").read_text()
    assert "depends on" in tex
    assert "sphinxincludegraphics" not in tex


def test_labels_escape_what_mermaid_would_parse():
    assert label('Say "hi" <b>&</b>') == '"Say #quot;hi#quot; #lt;b#gt;#amp;#lt;/b#gt;"'
    assert label("two\n  lines") == '"two lines"'


def test_vendored_mermaid_is_complete_and_licensed():
    assert (STATIC / "VERSION").read_text().strip() == VENDORED_MERMAID_VERSION
    assert "MIT License" in (STATIC / "LICENSE").read_text()
    modules = [STATIC / "mermaid.esm.min.mjs", *(STATIC / "chunks").rglob("*.mjs")]
    assert len(modules) > 50
    imports = re.compile(r'(?:from|import\()\s*"(\./[\w./-]+\.mjs)"')
    missing = [
        (module.name, target)
        for module in modules
        for target in imports.findall(module.read_text(encoding="utf-8"))
        if not (module.parent / target).resolve().is_file()
    ]
    assert not missing
    assert not list(STATIC.rglob("*.map"))
