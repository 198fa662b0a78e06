"""The language server's page reader: items, options and roles of RST and MyST pages,
each with the exact place it is written."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lsprotocol import types

from sphinx_techspec.diagnostics import subtypes
from sphinx_techspec.lsp.code_actions import code_actions
from sphinx_techspec.lsp.completion import complete
from sphinx_techspec.lsp.diagnostics import page_problems
from sphinx_techspec.lsp.hover import hover_text
from sphinx_techspec.lsp.navigation import document_symbols, references
from sphinx_techspec.lsp.page_parser import Span, parse_page
from sphinx_techspec.lsp.project import Project
from sphinx_techspec.lsp.workspace_index import WorkspaceIndex


@pytest.fixture
def grammar(tmp_path: Path):
    (tmp_path / "conf.py").write_text('extensions = ["sphinx_techspec"]\n', encoding="utf-8")
    return WorkspaceIndex(Project.load(tmp_path)).grammar


RST = """\
Title
=====

.. requirement:: REQ-1 Users can reset
   their password
   :status: approved
   :tags: a,
      b

   Body naming :req:`REQ-2` and :spec:`the rule <REQ-3>`.

   .. component:: COMP-1 Nested
      :implements: REQ-1, REQ-2

.. note:: not an item :comp:`COMP-1`
.. techspec:test-case:: TC-1 Prefixed
"""


def test_rst_items_options_and_roles(grammar) -> None:
    page = parse_page("/p/page.rst", RST, grammar)
    assert [(i.id, i.type, i.line) for i in page.items] == [
        ("REQ-1", "requirement", 3),
        ("COMP-1", "component", 11),
        ("TC-1", "test-case", 15),
    ]
    req = page.items[0]
    assert req.title == "Users can reset their password"
    assert req.id_span == Span(3, 17, 22)
    assert req.end_line == 12
    status = req.option("status")
    assert status is not None and status.name_span == Span(5, 3, 11)
    assert [(v.text, v.span) for v in status.parts] == [("approved", Span(5, 12, 20))]
    # A value continued on the next line keeps both parts, each where it is written.
    assert [(v.text, v.span) for v in req.option("tags").parts] == [
        ("a", Span(6, 10, 11)),
        ("b", Span(7, 6, 7)),
    ]
    implements = page.items[1].option("implements")
    assert [(v.text, v.span.start) for v in implements.parts] == [("REQ-1", 19), ("REQ-2", 26)]
    assert [(r.role, r.target, r.span) for r in page.roles] == [
        ("req", "REQ-2", Span(9, 21, 26)),
        ("spec", "REQ-3", Span(9, 49, 54)),
        ("comp", "COMP-1", Span(14, 29, 35)),
    ]


MYST = """\
# Tests

```{test-case} TC-1 Sent
:verifies: REQ-1
:status: implemented

Read {req}`REQ-1` and {spec}`the rule <REQ-2>`.
```

:::{test-case} TC-2 Colon fence
---
status: "draft"
verifies: REQ-2, REQ-1
---
Body.
:::

````{note}
```{requirement} REQ-9 Inside a note
```
````

```python
{req}`NOT-READ` in code
```
"""


def test_myst_fences_yaml_blocks_and_code(grammar) -> None:
    page = parse_page("/p/page.md", MYST, grammar)
    assert [(i.id, i.type, i.line, i.end_line) for i in page.items] == [
        ("TC-1", "test-case", 2, 7),
        ("TC-2", "test-case", 9, 15),
        ("REQ-9", "requirement", 18, 19),
    ]
    tc1, tc2, _ = page.items
    assert tc1.id_span == Span(2, 15, 19)
    assert tc1.option("verifies").name_span == Span(3, 0, 10)
    # YAML block: the name without colons, a quoted value unquoted, columns as written.
    assert tc2.option("status").name_span == Span(11, 0, 6)
    assert [(v.text, v.span) for v in tc2.option("status").parts] == [("draft", Span(11, 9, 14))]
    assert [(v.text, v.span.start) for v in tc2.option("verifies").parts] == [
        ("REQ-2", 10),
        ("REQ-1", 17),
    ]
    assert [(r.role, r.target) for r in page.roles] == [("req", "REQ-1"), ("spec", "REQ-2")]


def test_endpoint_and_model_ids_follow_the_build(grammar) -> None:
    text = (
        ".. api-endpoint:: GET /users/{id}\n"
        "   :summary: Get a user\n\n"
        ".. api-endpoint:: POST /users\n"
        "   :id: API-CREATE\n\n"
        ".. data-model:: Account A user account\n"
    )
    page = parse_page("/p/api.rst", text, grammar)
    assert [(i.id, i.title, i.id_written) for i in page.items] == [
        ("GET-users-id", "Get a user", False),
        ("API-CREATE", "POST /users", True),
        ("Account", "A user account", True),
    ]
    assert page.items[1].id_span == Span(4, 8, 18)


def test_an_item_without_an_id_is_not_indexed(grammar) -> None:
    page = parse_page("/p/x.rst", ".. requirement::\n   :status: draft\n", grammar)
    assert page.items == []


def test_code_spans_are_not_roles(grammar) -> None:
    myst = parse_page("/p/a.md", "Roles (`{req}`, `:req:`) and {req}`REQ-1`.\n", grammar)
    assert [(r.target, r.span.start) for r in myst.roles] == [("REQ-1", 35)]
    rst = parse_page("/p/a.rst", "Write ``:req:`REQ-0``` or :req:`REQ-1`.\n", grammar)
    assert [(r.target, r.span.start) for r in rst.roles] == [("REQ-1", 32)]


# -- whatever is typed, the reader answers: random pages from the pieces of real ones --------

PIECES = [
    ".. requirement:: REQ-1 Title", ".. requirement::", ".. techspec:test-case:: TC-1 T",
    "   :verifies: REQ-1, REQ-2,", "   :status: draft", "   :", "      REQ-3", ":verifies:",
    "```{requirement} REQ-2 T", "```", "````{note}", "````", ":::{component} C-1 x", ":::",
    "---", "status: 'draft'", "verifies: [REQ-1", "```{eval-rst}", ".. code-block:: rst",
    "Example::", "See :req:`REQ-1` and {req}`t <REQ-2>` or ``:req:`x```", "{spec}`", ":req:`",
    ".. api-endpoint:: GET /a/{id}", "   :id:", ".. include:: /x.rst", "Größe 😀 :req:`RÉQ`",
    "", "   ", "\t:tags: a", "   body text",
]  # fmt: skip


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(lines=st.lists(st.sampled_from(PIECES), max_size=30), myst=st.booleans())
def test_any_page_reads_without_error_and_spans_stay_on_their_line(grammar, lines, myst) -> None:
    text = "\n".join(lines)
    page = parse_page("/p/page.md" if myst else "/p/page.rst", text, grammar)
    written = text.splitlines()
    spans = [item.id_span for item in page.items] + [role.span for role in page.roles]
    spans += [o.name_span for item in page.items for o in item.options]
    spans += [v.span for item in page.items for o in item.options for v in o.parts]
    for span in spans:
        assert 0 <= span.start <= span.end <= len(written[span.line])
    for item in page.items:
        assert item.line <= item.end_line < max(len(written), 1)


@pytest.fixture(scope="module")
def shared_index(tmp_path_factory):
    folder = tmp_path_factory.mktemp("typed")
    (folder / "conf.py").write_text('extensions = ["sphinx_techspec"]\n', encoding="utf-8")
    return WorkspaceIndex(Project.load(folder))


@settings(max_examples=100, deadline=None, derandomize=True, database=None)
@given(lines=st.lists(st.sampled_from(PIECES), max_size=20), myst=st.booleans())
def test_every_answer_on_any_page_is_given_without_error(shared_index, lines, myst) -> None:
    index = shared_index
    path = str(index.project.source_dir / ("page.md" if myst else "page.rst"))
    index.update(path, "\n".join(lines))
    for problem in page_problems(index, path):
        assert problem.subtype in subtypes()
    for number, line in enumerate(lines):
        complete(index, path, lines, number, len(line))
        found = index.id_at(path, number, len(line) // 2)
        if found is not None:
            hover_text(index, found[0])
            references(index, found[0], True)
    document_symbols(index, path)
    for action_line in range(len(lines)):
        span = types.Range(types.Position(action_line, 0), types.Position(action_line, 0))
        code_actions(index, path, span)
    index.remove(path)
