"""``:max-nodes:`` cuts big graphs with an info line; architecture groups in subgraphs."""

from __future__ import annotations

import re

import pytest
from conftest import techspec_warnings, warnings_of
from test_views_diagrams import mermaid_blocks


def info_lines(page: str) -> list[str]:
    return re.findall(r'<p class="techspec-info">(.*?)</p>', page)


@pytest.fixture
def page(app) -> str:
    app.build()
    return (app.outdir / "index.html").read_text()


@pytest.mark.sphinx("html", testroot="diagrams-scale")
def test_graph_past_max_nodes_keeps_the_nearest_and_says_how_many_are_left_out(app, page):
    twenty, cut, unrooted, *_ = mermaid_blocks(page)
    assert len(re.findall(r"^ +n\d+[\[\(\{]", twenty, re.M)) == 20  # under the default cap
    # Depth 2 from UC-1 reaches 25 items; the 5 kept are the root and its nearest, by ID.
    kept = sorted(re.findall(r'^ +n\d+\W+"([A-Z]+#45;\d+|[A-Z]+)#58;', cut, re.M))
    assert kept == ["API", "MAILER", "REQ#45;1", "REQ#45;2", "UC#45;1"]
    lines = info_lines(page)
    assert lines[0] == (
        "Showing 5 of 25 items: 20 left out. To see them, lower :depth:, name fewer :links: "
        "or narrow the filter (:types:, :status:), or raise :max-nodes: (now 5)."
    )
    # Without roots the most linked items stay.
    assert "API#58; Account API" in unrooted and "Showing 3 of 21 items: 18 left out" in lines[1]


@pytest.mark.sphinx("html", testroot="diagrams-scale")
def test_architecture_groups_endpoints_in_their_component_and_labels_edges(app, page):
    architecture, cut = mermaid_blocks(page)[3:5]
    assert (
        '    subgraph gn0 ["Account API"]\n        direction TB\n'
        '        n0[["API#58; Account API"]]\n' in architecture
    )
    assert '        n2[/"GET /resets"/]\n' in architecture
    assert (
        '    subgraph gn1 ["Mailer"]\n        direction TB\n        n1[["MAILER#58; Mailer"]]\n'
        in architecture
    )
    assert '        n4[/"POST /messages"/]\n    end' in architecture
    # Membership is the box; the other edges are labelled with their link type.
    assert 'n0 -->|"depends on"| n1' in architecture
    assert 'n0 -->|"implements"| n5' in architecture
    assert "exposes" not in architecture and "component" not in architecture.split("flowchart")[1]
    assert "a box holds a component with its endpoints and models" in page
    assert "API-SEND" not in cut.replace("#45;", "-")  # components first, then endpoints
    assert info_lines(page)[2].startswith("Showing 3 of 5 items: 2 left out.")


@pytest.mark.sphinx("html", testroot="diagrams-scale")
def test_architecture_counts_endpoints_in_their_component_by_default(app, page):
    default = mermaid_blocks(page)[-1]
    assert "subgraph" not in default and "[/" not in default  # no endpoint nodes
    assert 'n0[["API#58; Account API<br/>2 API endpoints"]]' in default
    assert 'n1[["MAILER#58; Mailer<br/>1 API endpoint"]]' in default
    assert 'n0 -->|"depends on"| n1' in default
    assert "counts in a box are the component's endpoints and models" in page


@pytest.mark.sphinx("html", testroot="diagrams-scale", freshenv=True)
def test_bad_max_nodes_is_a_located_warning(app, page):
    [warning] = techspec_warnings(app, "bad_value")
    assert "index.rst:124:" in warning and "not 'none'" in warning
    assert len(warnings_of(app)) == 1


def test_expanding_an_unknown_component_is_a_located_warning(make_app, tmp_path):
    import shutil

    from conftest import ROOTS

    srcdir = tmp_path / "scale"
    shutil.copytree(ROOTS / "test-diagrams-scale", srcdir)
    index = srcdir / "index.rst"
    text = index.read_text().replace(":max-nodes: none", ":max-nodes: 9")
    index.write_text(text + "\n.. architecture-diagram::\n   :expand: API, NOPE\n")
    lines = index.read_text().count("\n")
    app = make_app("html", srcdir=srcdir)
    app.build()
    [warning] = techspec_warnings(app, "unknown_ref")
    assert f"index.rst:{lines - 1}:" in warning and "'NOPE' in :expand:" in warning
    assert len(warnings_of(app)) == 1
    # API is expanded all the same: its endpoints are drawn in its box.
    assert '[/"GET /resets"/]' in mermaid_blocks((app.outdir / "index.html").read_text())[-1]
