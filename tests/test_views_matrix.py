"""The traceability matrix: rows, cells, coverage lines, markers, in html, text and latex."""

from __future__ import annotations

import re

import pytest
from conftest import techspec_warnings, warnings_of


def section(text: str, title: str) -> str:
    """The text-builder output of one section (up to the next title)."""
    start = text.index(f"\n{title}\n")
    following = re.search(r"\n[^\n]+\n=+\n", text[start + len(title) + 2 :])
    end = start + len(title) + 2 + following.start() if following else len(text)
    return text[start:end]


def table_rows(text: str) -> list[list[str]]:
    return [
        [cell.strip() for cell in line.strip("|").split("|")]
        for line in text.splitlines()
        if line.startswith("|") and set(line) - {"|", "="}
    ]


@pytest.mark.sphinx("text", testroot="views", freshenv=True)
def test_default_matrix_lists_verified_and_implemented(app):
    app.build()
    assert not warnings_of(app)
    matrix = section((app.outdir / "matrix.txt").read_text(), "Default matrix")
    rows = table_rows(matrix)
    assert rows[0] == ["ID", "Title", "Verified by", "Implemented by", "Coverage"]
    assert rows[1] == [
        "REQ-001",
        "Users can reset their password",
        "TC-001, TC-002",
        "AUTH",
        "covered",
    ]
    assert rows[2][:4] == ["REQ-002", "Reset links expire", "TC-002", "AUTH"]
    assert rows[3] == [
        "REQ-003",
        "Audit log of resets",
        "-",
        "-",
        "UNCOVERED: not verified, not implemented",
    ]
    assert "Verified by: 2 of 3 requirements (66 %)" in matrix
    assert "Implemented by: 2 of 3 requirements (66 %)" in matrix
    assert "All columns: 2 of 3 requirements (66 %)" in matrix


@pytest.mark.sphinx("text", testroot="views")
def test_text_columns_are_sized_from_content(app):
    app.build()
    matrix = section((app.outdir / "matrix.txt").read_text(), "Default matrix")
    border = next(line for line in matrix.splitlines() if line.startswith("+"))
    widths = [len(part) - 2 for part in border.strip("+").split("+")]
    assert widths == [
        len("REQ-001"),
        len("Users can reset their password"),
        len("TC-001, TC-002"),
        len("Implemented by"),
        40,  # "UNCOVERED: not verified, not implemented" fits exactly
    ]


@pytest.mark.sphinx("text", testroot="views")
def test_grid_has_a_column_per_test_and_marks(app):
    app.build()
    grid = table_rows(section((app.outdir / "matrix.txt").read_text(), "Grid"))
    assert grid[0] == ["", "Verified by", ""]
    assert grid[1] == ["ID", "TC-001", "TC-002", "Coverage"]
    assert grid[2] == ["REQ-001", "x", "x", "covered"]
    assert grid[3] == ["REQ-002", "", "x", "covered"]
    assert grid[4] == ["REQ-003", "", "", "UNCOVERED: not verified"]


@pytest.mark.sphinx("text", testroot="views")
def test_filters_and_item_type_columns(app):
    app.build()
    filtered = section((app.outdir / "matrix.txt").read_text(), "Filtered")
    rows = table_rows(filtered)
    assert rows[0] == ["ID", "Title", "Test cases", "Coverage"]
    # REQ-002 is a draft without the auth tag; only REQ-001 has both.
    assert [row[0] for row in rows[1:]] == ["REQ-001"]
    assert "Test cases: 1 of 1 requirements (100 %)" in filtered


@pytest.mark.sphinx("text", testroot="views", freshenv=True)
def test_filter_matching_nothing_is_an_info_line(app):
    app.build()
    nothing = section((app.outdir / "matrix.txt").read_text(), "Nothing")
    assert "No items match this view (status: rejected)." in nothing
    assert not warnings_of(app)


@pytest.mark.sphinx("html", testroot="views")
def test_html_marks_rows_and_links_ids(app):
    app.build()
    html = (app.outdir / "matrix.html").read_text()
    assert re.search(
        r'<tr class="techspec-uncovered row-\w+">\s*<td><p><a class="reference internal"'
        r' href="requirements.html#REQ-003"',
        html,
    )
    assert re.search(
        r'<tr class="techspec-covered row-\w+">\s*<td><p><a class="reference internal"'
        r' href="requirements.html#REQ-001"',
        html,
    )
    assert 'href="tests.html#TC-002"' in html
    assert 'title="TC-002: Expired link is refused"' in html


@pytest.mark.sphinx("latex", testroot="views", freshenv=True)
def test_latex_has_the_matrix_and_the_marker(app):
    app.build()
    tex = (app.outdir / "views.tex").read_text()
    assert "UNCOVERED: not verified, not implemented" in tex
    assert r"\hyperref[\detokenize{tests:TC-002}]" in tex
    assert "Verified by: 2 of 3 requirements (66 \\%)" in tex
    assert not warnings_of(app)


@pytest.mark.sphinx("html", testroot="views-myst", freshenv=True)
def test_views_work_in_myst(app):
    app.build()
    assert not warnings_of(app)
    html = (app.outdir / "index.html").read_text()
    assert "Verified by: 1 of 1 requirements (100 %)" in html
    assert html.count('class="mermaid"') == 2


@pytest.mark.sphinx("html", testroot="views-bad", freshenv=True)
def test_bad_view_options_warn_where_written(app):
    app.build()
    unknown_type = techspec_warnings(app, "unknown_type")
    # Each at the line of the option that holds it; a root ID at the directive's line.
    assert any("index.rst:14:" in w and "'no-such-column'" in w for w in unknown_type)
    assert any("index.rst:18:" in w and "'widget'" in w for w in unknown_type)
    assert any("index.rst:31:" in w and "'teleports'" in w for w in unknown_type)
    assert any("index.rst:34:" in w and "'gadget'" in w for w in unknown_type)
    bad_value = techspec_warnings(app, "bad_value")
    assert any("index.rst:15:" in w and ":style: 'fancy'" in w for w in bad_value)
    assert any("index.rst:22:" in w and ":sort: 'size'" in w for w in bad_value)
    assert any("index.rst:26:" in w and ":status: 'sleeping'" in w for w in bad_value)
    assert any("index.rst:29:" in w and ":depth:" in w for w in bad_value)
    assert any("index.rst:30:" in w and ":direction: 'sideways'" in w for w in bad_value)
    bad_option = techspec_warnings(app, "bad_option")
    assert any("index.rst:21:" in w and "'colour'" in w for w in bad_option)
    unknown_ref = techspec_warnings(app, "unknown_ref")
    assert any("index.rst:25:" in w and "'REQ-404'" in w for w in unknown_ref)
    assert any("index.rst:28:" in w and "'NOPE-1'" in w for w in unknown_ref)
    html = (app.outdir / "index.html").read_text()
    # The matrix still renders with the columns that are known.
    assert "Verified by: 1 of 2 requirements (50 %)" in html
    assert "No items match this view (types: widget)." in html


@pytest.mark.sphinx("man", testroot="views", freshenv=True)
def test_man_pages_name_the_grid_group_in_each_header(app):
    app.build()
    assert not warnings_of(app)  # man cannot span cells; docutils would warn
    page = (app.outdir / "views.1").read_text()
    # docutils < 0.22 italicises the link text (\fI\%...\fP), later versions do not.
    assert re.search(r"Verified by: (\\fI\\%)?TC\\-001", page)
