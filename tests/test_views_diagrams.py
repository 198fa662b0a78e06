"""Traceability graph and architecture diagram: Mermaid in HTML, edge tables elsewhere."""

from __future__ import annotations

import html as html_lib
import re
from pathlib import Path

import pytest
from conftest import warnings_of
from test_views_matrix import section, table_rows

import sphinx_techspec
from sphinx_techspec.diagrams import (
    OTHER_STYLE,
    SPACER_CLASS,
    VENDORED_MERMAID_SCRIPT,
    VENDORED_MERMAID_VERSION,
    label,
)
from sphinx_techspec.feature import all_features

#: Every feature's fixed diagram styles (Feature.diagram_styles).
TYPE_STYLES = {name: style for f in all_features() for name, style in f.diagram_styles.items()}

VENDOR = Path(sphinx_techspec.__file__).parent / "vendor" / "mermaid"
CSS = Path(sphinx_techspec.__file__).parent / "static" / "techspec.css"


def mermaid_blocks(page: str) -> list[str]:
    return [
        html_lib.unescape(b) for b in re.findall(r'<pre\s+class="mermaid">(.*?)</pre>', page, re.S)
    ]


def legends(page: str) -> list[str]:
    return [
        re.sub(r"<[^>]+>", "", p)
        for p in re.findall(r'<p class="techspec-legend">(.*?)</p>', page, re.S)
    ]


@pytest.mark.sphinx("html", testroot="views", freshenv=True)
def test_graph_is_mermaid_with_labels_edges_and_links(app):
    app.build()
    assert not warnings_of(app)
    graph, architecture = mermaid_blocks((app.outdir / "graphs.html").read_text())
    # Depth 1 from REQ-001: its tests, its component and the requirement refining it.
    assert 'n1["REQ#45;001#58; Users can reset their password"]' in graph
    assert "MAIL" not in graph
    # Columns by layer, left to right; edges point from the left column to the right one
    # (a backward link gets its arrow at the start), styled by link type, unlabelled.
    assert graph.index('subgraph r1 ["Requirements"]') < graph.index('subgraph r2 ["Components"]')
    assert graph.index('subgraph r2 ["Components"]') < graph.index('subgraph r3 ["Test cases"]')
    assert "    n1 <=== n0\n" in graph  # AUTH implements REQ-001: thick green
    assert "    n2 <-.- n4\n" in graph  # TC-002 verifies REQ-002: dotted teal
    assert "    n2 -.-> n1\n" in graph  # REQ-002 refines REQ-001, in the same column
    assert "    linkStyle 0 stroke:#15803d,stroke-width:3px" in graph
    assert '|"' not in graph  # one link type per pair: the legend names it
    assert 'click n3 href "tests.html#TC-001"' in graph
    # Natural size (the box scrolls), then the flowchart.
    assert graph.strip().startswith("---\nconfig:\n  flowchart:\n    useMaxWidth: false")
    assert "\nflowchart LR\n" in graph
    assert 'n0 -->|"depends on"| n1' in architecture
    assert 'n2["REQ#45;001#58; Users can reset their password"]' in architecture
    assert 'click n1 href "components.html#MAIL"' in architecture


@pytest.mark.sphinx("html", testroot="views")
def test_nodes_are_styled_by_type_from_the_fixed_table_with_a_legend(app):
    app.build()
    page = (app.outdir / "graphs.html").read_text()
    graph = mermaid_blocks(page)[0]
    # Shapes by type: component [[...]], requirement [...], test case {{...}}.
    assert 'n0[["AUTH#58; Authentication service"]]' in graph
    assert 'n3{{"TC#45;001#58; Reset email is sent"}}' in graph
    for name in ("component", "requirement", "test-case"):
        assert TYPE_STYLES[name].class_def() in graph
    assert "    class n0 tsComponent" in graph
    assert "    class n1,n2 tsRequirement" in graph
    assert "    class n3,n4 tsTestCase" in graph
    # Every classDef line is one of the fixed ones: no user text reaches a style.
    fixed = {style.class_def() for style in TYPE_STYLES.values()} | {SPACER_CLASS}
    assert all(line in fixed for line in graph.splitlines() if "classDef" in line)
    assert legends(page)[0] == (
        "Legend: Component: green box with side bars; Requirement: blue rectangle; "
        "Test case: teal hexagon; implements: green thick line; refines: grey dotted line; "
        "verifies: teal dotted line."
    )
    assert 'class="techspec-swatch techspec-swatch-tsComponent"' in page
    assert 'class="techspec-swatch techspec-swatch-tsLine5"' in page


def test_every_fixed_style_has_its_swatch_in_the_stylesheet():
    css = CSS.read_text()
    from sphinx_techspec.flows.render import STEP_STYLES

    styles = [
        *TYPE_STYLES.values(),
        OTHER_STYLE,
        *(style for _label, style in STEP_STYLES.values()),
    ]
    for style in styles:
        rule = re.search(rf"\.techspec-swatch-{style.css_class}\b[^{{]*\{{([^}}]*)\}}", css)
        assert rule, style.css_class
        assert style.fill in rule.group(1) and style.stroke in rule.group(1)


@pytest.mark.sphinx(
    "html",
    testroot="views",
    freshenv=True,
    confoverrides={
        "techspec_coverage_rules": [{"type": "test-case", "link": "refines", "gate": False}]
    },
)
def test_uncovered_items_are_marked_in_the_graph_and_the_legend(app):
    app.build()
    page = (app.outdir / "graphs.html").read_text()
    graph = mermaid_blocks(page)[0]
    assert 'n3{{"TC#45;001#58; Reset email is sent #91;uncovered#93;"}}' in graph
    assert "    class n3,n4 tsAttention" in graph
    assert "n1[" in graph and "class n1 tsAttention" not in graph
    assert "amber dotted border: marked (attention)" in legends(page)[0]


@pytest.mark.sphinx("html", testroot="views")
def test_pages_load_the_vendored_mermaid_classically_not_a_cdn(app):
    app.build()
    page = (app.outdir / "graphs.html").read_text()
    # A classic deferred script (allowed from file://), then sphinxcontrib-mermaid's
    # loader with its import replaced by the global the classic build sets.
    classic = re.search(
        r'<script defer="defer" src="_static/mermaid/mermaid\.min\.js\?v=\w+"', page
    )
    assert classic
    loader = page.index('<script type="module">const mermaid = window.mermaid;')
    assert classic.start() < loader
    assert "import mermaid" not in page
    assert "isDarkTheme" in page and "mermaid-fullscreen-btn" in page  # its features stay
    assert "cdn.jsdelivr" not in page
    assert (app.outdir / "_static" / VENDORED_MERMAID_SCRIPT).is_file()
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


@pytest.mark.sphinx(
    "latex", testroot="views", freshenv=True, confoverrides={"techspec_diagram_browser": False}
)
def test_latex_builder_gets_edge_tables_and_no_mermaid_cli(app):
    """Without pictures (no browser); with one: test_diagram_pictures.py."""
    app.build()
    assert not warnings_of(app)  # sphinxcontrib-mermaid would warn about a missing mmdc
    tex = (app.outdir / "views.tex").read_text()
    assert "depends on" in tex
    assert "sphinxincludegraphics" not in tex


def test_labels_escape_what_mermaid_would_parse():
    assert label('Say "hi" <b>&</b>') == '"Say #34;hi#34; #60;b#62;#38;#60;/b#62;"'
    assert label("two\n  lines") == '"two lines"'


def test_vendored_mermaid_is_the_single_file_build_and_licensed():
    assert (VENDOR / "VERSION").read_text().strip() == VENDORED_MERMAID_VERSION
    major, minor, _patch = map(int, VENDORED_MERMAID_VERSION.split("."))
    assert (major, minor) >= (11, 16)  # CVE-2026-41148 and the 11.16.1 advisories
    assert "MIT License" in (VENDOR / "LICENSE").read_text()
    script = (VENDOR / "mermaid.min.js").read_text(encoding="utf-8")
    assert script.rstrip().endswith(
        'globalThis["mermaid"] = globalThis.__esbuild_esm_mermaid_nm["mermaid"].default;'
    )
    assert "\nimport " not in script[:2000] and "export " not in script[-500:]
    assert sorted(p.name for p in VENDOR.iterdir()) == ["LICENSE", "VERSION", "mermaid.min.js"]


@pytest.mark.sphinx("html", testroot="views")
def test_ranks_follow_the_layer_each_item_type_declares(app):
    from sphinx_techspec.model import LAYERS
    from sphinx_techspec.views.trace_graph import rank_titles, ranks

    app.build()
    domain = app.env.get_domain("techspec")
    items = sorted(domain.items.values(), key=lambda item: item.id)
    rank = ranks(domain, items)
    by_type = {item.type: rank[item.id] for item in items}
    assert by_type["requirement"] == LAYERS.index("requirement")
    assert by_type["component"] == LAYERS.index("design")
    assert by_type["test-case"] == LAYERS.index("test")
    assert by_type["requirement"] < by_type["component"] < by_type["test-case"]
    assert rank_titles(domain, items, rank)[LAYERS.index("test")] == "Test cases"


@pytest.mark.sphinx("html", testroot="views")
def test_columns_are_held_apart_by_invisible_spacers(app):
    app.build()
    graph = mermaid_blocks((app.outdir / "graphs.html").read_text())[0]
    # Requirements (n1, n2) → spacer s1 → component n0 → spacer s2 → tests (n3, n4); REQ-002
    # links to REQ-001 inside its column, so only REQ-001 (its right end) feeds the spacer.
    assert "    n1 ~~~ s1\n" in graph and "    n2 ~~~ s1\n" not in graph
    assert "    s1 ~~~ n0\n" in graph and "    n0 ~~~ s2\n" in graph
    assert "    s2 ~~~ n3\n" in graph and "    s2 ~~~ n4\n" in graph
    assert "    classDef tsSpacer fill:none,stroke:none,color:transparent" in graph


def test_a_box_of_many_nodes_is_laid_out_as_a_grid_not_a_row():
    """Eight endpoints and their component, unlinked to each other, would share one rank
    (one row 3,000 px wide): invisible chains make ceil(sqrt(9)) = 3 columns of 3."""
    from sphinx_techspec.diagrams import Graph, GraphNode
    from sphinx_techspec.views.trace_graph import grid_groups

    style = TYPE_STYLES["api-endpoint"]
    boxed = [GraphNode(f"n{i}", f"Endpoint {i}", style, group="gn0") for i in range(9)]
    small = [GraphNode(f"m{i}", f"Model {i}", style, group="gm0") for i in range(3)]
    graph = Graph(nodes=[*boxed, *small, GraphNode("x", "Alone", style)])
    graph.groups = {"gn0": "Account API", "gm0": "Mailer"}
    grid_groups(graph)
    chains = [("n0", "n3"), ("n3", "n6"), ("n1", "n4"), ("n4", "n7"), ("n2", "n5"), ("n5", "n8")]
    assert graph.hidden == chains
    code = graph.code()
    assert "    n0 ~~~ n3\n" in code and "    n2 ~~~ n5\n" in code
    assert "m0 ~~~" not in code and "x ~~~" not in code  # three nodes need no grid
