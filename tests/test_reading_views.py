"""The reading experience in built output: states, marks, matrices, tables, coverage words."""

from __future__ import annotations

import re

import pytest
from conftest import techspec_warnings, warnings_of

from sphinx_techspec.status_styles import DEFAULT_STATUS_STYLES, state_of
from sphinx_techspec.tables import build_table


def part(text: str, title: str) -> str:
    """One ``----`` section of the text output."""
    start = text.index(f"\n{title}\n")
    following = re.search(r"\n[^\n]+\n-+\n", text[start + len(title) + 2 :])
    end = start + len(title) + 2 + following.start() if following else len(text)
    return text[start:end]


def rows(text: str) -> list[list[str]]:
    return [
        [cell.strip() for cell in line.strip("|").split("|")]
        for line in text.splitlines()
        if line.startswith("|") and set(line) - {"|", "="}
    ]


@pytest.mark.sphinx("text", testroot="reading-states", freshenv=True)
def test_grid_hides_tests_that_link_nothing_unless_asked(app):
    app.build()
    views = (app.outdir / "views.txt").read_text()
    grid = rows(part(views, "Grid"))
    # TC-3 verifies nothing: no column. TC-2 is a draft, inactive here: marked where shown.
    assert grid[1] == ["ID", "TC-1", "TC-2 draft", "Coverage"]
    shown = rows(part(views, "Grid with every test"))
    assert shown[1] == ["ID", "TC-1", "TC-2 draft", "TC-3", "Coverage"]
    assert shown[4] == ["REQ-3", "", "", "", "UNCOVERED: not verified"]


@pytest.mark.sphinx("html", testroot="reading-states", freshenv=True)
def test_bad_empty_columns_value_is_a_located_warning(app):
    app.build()
    bad = techspec_warnings(app, "bad_value")
    assert len(bad) == 1 and "views.rst:" in bad[0] and ":empty-columns: 'sometimes'" in bad[0]


@pytest.mark.sphinx("text", testroot="reading-states", freshenv=True)
def test_uncovered_rows_read_as_english_for_every_link_type(app):
    app.build()
    views = (app.outdir / "views.txt").read_text()
    matrix = part(views, "Configured links")
    assert rows(matrix)[0] == [
        "ID", "Title", "Mitigated by", "Explained in", "Involved in", "Coverage"
    ]  # fmt: skip
    words = " ".join(matrix.replace("|", " ").split())
    assert "UNCOVERED: not mitigated, no use case explains it, no use case involves it" in words
    outgoing = " ".join(part(views, "Outgoing").replace("|", " ").split())
    assert "UNCOVERED: depends on nothing, no linked test cases" in outgoing


@pytest.mark.sphinx("html", testroot="reading-states", freshenv=True)
def test_every_status_gets_a_state_class_and_inactive_items_say_so(app):
    app.build()
    assert [w for w in warnings_of(app) if "empty-columns" not in w] == []
    items = (app.outdir / "items.html").read_text()
    # Configured styles win over the defaults; an unknown value is neutral.
    assert re.search(
        r'class="techspec-status techspec-status-on-hold techspec-state-attention"', items
    )
    assert 'techspec-status-approved techspec-state-ok"' in items
    # The card of PAY says ADR-1 was superseded, in words, next to the link.
    card = items[items.index('id="PAY"') : items.index('id="TC-1"')]
    decided = card[card.index("Decided by") :]
    assert re.search(
        r'ADR-1</span>.*?</a>\s*<span class="techspec-mark techspec-state-inactive"'
        r"[^>]*>superseded</span>",
        decided,
        re.S,
    )
    # A draft test is inactive in this project (techspec_status_styles), marked where linked.
    assert re.search(
        r'TC-2</span>.*?</a>\s*<span class="techspec-mark techspec-state-inactive"',
        card + items,
        re.S,
    )
    views = (app.outdir / "views.html").read_text()
    assert 'techspec-status-rejected techspec-state-inactive"' in views  # item-table status
    assert '<div class="techspec-table-scroll docutils container">' in views
    assert "techspec.js" in views


@pytest.mark.sphinx("text", testroot="reading-states", freshenv=True)
def test_text_output_is_complete_and_marks_are_words(app):
    app.build()
    items = (app.outdir / "items.txt").read_text()
    assert "ADR-1 Pay through a provider superseded" in " ".join(items.split())
    views = (app.outdir / "views.txt").read_text()
    table = rows(part(views, "Table"))
    assert [row[0] for row in table[1:]] == [
        "REQ-1",
        "REQ-2",
        "REQ-3",
        "PAY",
        "TC-1",
        "TC-2",
        "TC-3",
        "ADR-1",
        "ADR-2",
    ] or len(table) > 5


@pytest.mark.sphinx("latex", testroot="reading-states", freshenv=True)
def test_latex_has_no_script_and_the_whole_matrix(app):
    app.build()
    tex = next(app.outdir.glob("*.tex")).read_text()
    assert "techspec.js" not in tex
    assert "UNCOVERED: not verified" in tex


@pytest.mark.sphinx("text", testroot="reading-states", freshenv=True)
def test_coverage_report_without_rules_shows_the_default_coverage(app):
    app.build()
    report = part((app.outdir / "views.txt").read_text(), "Report")
    rules = rows(report[report.index("Coverage rules") : report.index("Orphans")])
    assert rules[1:] == [
        ["Requirement verified by", "2 of 3", "66 %", "default (matrix)"],
        ["Requirement implemented by", "2 of 3", "66 %", "default (matrix)"],
    ]
    assert "No coverage rules apply" not in report


def test_defaults_cover_the_shipped_vocabularies():
    from sphinx_techspec.item_types import DEFAULT_STATUSES
    from sphinx_techspec.template import item_types

    class Config:
        techspec_status_styles: dict = {}

    vocabularies = [
        *DEFAULT_STATUSES,
        *item_types.DEFAULT_SPEC_STATUSES,
        *item_types.DEFAULT_RISK_STATUSES,
        *item_types.DEFAULT_DECISION_STATUSES,
        *item_types.DEFAULT_RISK_SEVERITIES,
    ]
    assert all(value in DEFAULT_STATUS_STYLES for value in vocabularies)
    assert state_of(Config(), "accepted", "decision") == "ok"
    assert state_of(Config(), "accepted", "risk") == "attention"
    assert state_of(Config(), "open", "risk") == "problem"
    assert state_of(Config(), "no-such-status") == "neutral"


@pytest.mark.sphinx(
    "html",
    testroot="reading-states",
    freshenv=True,
    confoverrides={"techspec_status_styles": {"approved": "shiny"}},
)
def test_bad_status_style_is_a_bad_config_warning(app):
    app.build()
    bad = techspec_warnings(app, "bad_config")
    assert len(bad) == 1 and "techspec_status_styles" in bad[0]


def test_table_columns_are_never_narrower_than_their_longest_word():
    container = build_table(["Model"], [["EmailTemplate and more words " * 3]])
    table = container[0]
    assert "techspec-table-scroll" in container["classes"]
    (colspec,) = list(table.findall(lambda n: n.tagname == "colspec"))
    assert colspec["colwidth"] == 40
    long_word = build_table(["Model"], [["A" * 55]])[0]
    assert next(iter(long_word.findall(lambda n: n.tagname == "colspec")))["colwidth"] == 55


def test_a_page_linking_an_item_is_rewritten_when_it_is_superseded(make_app, tmp_path):
    """The mark depends on another page's item: an incremental build must show it."""
    source = tmp_path / "incremental"
    source.mkdir()
    (source / "conf.py").write_text('extensions = ["sphinx_techspec"]\n')
    (source / "index.rst").write_text("Index\n=====\n\n.. toctree::\n\n   service\n   adr\n")
    (source / "service.rst").write_text(
        "Service\n=======\n\n.. component:: PAY Payment service\n\n"
        ".. item-table::\n   :types: decision\n"
    )
    adr = source / "adr.rst"
    text = (
        "ADR\n===\n\n.. decision:: ADR-1 Pay through a provider\n"
        "   :status: {}\n   :concerns: PAY\n"
    )
    adr.write_text(text.format("accepted"))
    make_app("html", srcdir=source).build()
    page = (source / "_build" / "html" / "service.html").read_text()
    assert "techspec-state-inactive" not in page
    adr.write_text(text.format("superseded"))
    make_app("html", srcdir=source).build()
    page = (source / "_build" / "html" / "service.html").read_text()
    card = page[page.index('id="PAY"') : page.index("techspec-item-table")]
    assert re.search(
        r"ADR-1</span>.*?</a>\s*<span class=\"techspec-mark techspec-state-inactive\"", card, re.S
    )


def test_text_builder_decoration_counts_toward_the_width():
    """The text builder writes literals as "x" and emphasis as *x*: names must still fit."""
    from docutils import nodes

    cell = nodes.paragraph("", "", nodes.literal("", "EmailTemplate"))
    table = build_table(["Model"], [[cell]])[0]
    (colspec,) = list(table.findall(nodes.colspec))
    assert colspec["colwidth"] == len('"EmailTemplate"')


@pytest.mark.sphinx("text", testroot="design", freshenv=True)
def test_model_names_never_break_in_text_tables(app):
    app.build()
    text = "\n".join(path.read_text() for path in app.outdir.rglob("*.txt"))
    for line in text.splitlines():
        if line.startswith("|"):
            assert not re.search(r'\| "[A-Za-z]+ +\|', line), line  # an unclosed "Name


def test_a_grid_past_the_column_limit_is_a_list_with_an_info_line(make_app, tmp_path):
    from sphinx_techspec.views.matrix import GRID_COLUMN_LIMIT

    source = tmp_path / "wide"
    source.mkdir()
    (source / "conf.py").write_text('extensions = ["sphinx_techspec"]\n')
    tests = "\n".join(
        f".. test-case:: TC-{n} Test {n}\n   :verifies: REQ-{n % 2}\n"
        for n in range(GRID_COLUMN_LIMIT + 5)
    )
    (source / "index.rst").write_text(
        "Wide\n====\n\n.. requirement:: REQ-0 Even\n\n.. requirement:: REQ-1 Odd\n\n"
        f"{tests}\n.. traceability-matrix::\n   :style: grid\n   :columns: verifies\n"
    )
    app = make_app("text", srcdir=source)
    app.build()
    assert not warnings_of(app)
    text = (app.outdir / "index.txt").read_text()
    words = " ".join(text.split())
    limit = GRID_COLUMN_LIMIT
    assert f"The grid would have {limit + 5} item columns (more than {limit}):" in words
    assert "shown as a list instead." in words
    assert rows(text)[0] == ["ID", "Title", "Verified by", "Coverage"]
