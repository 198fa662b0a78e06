"""A warning about one option of a directive points at the option's own line.

In RST (a field list under the directive), in MyST (``:key: value`` lines at the top
of the body, or a ``---`` YAML block), for checks made while reading and for the link
checks made after every page is read (from the line stored with the item), in serial,
parallel and incremental builds; at the directive's line when the option's line is not
known (a directive written by code).
"""

from __future__ import annotations

import pytest
from hardening_projects import build

from sphinx_techspec.option_lines import option_offsets

REQUIREMENT = {
    ".rst": ".. requirement:: REQ-1 Exists\n",
    ".md": "```{requirement} REQ-1 Exists\n```\n",
}

#: A test case with many options; the bad link is in the middle of a two-line value
#: (MyST continues a value only in a YAML block: after ``:key:`` lines, it is body).
MULTI_LINE = {
    ".rst": """
        Title
        =====

        .. requirement:: REQ-1 Exists

        .. test-case:: TC-1 Many options
           :status: draft
           :tags: a, b
           :verifies: REQ-1,
              REQ-X
           :priorty: high

           The body.
        """,
    ".md": """
        # Title

        ```{requirement} REQ-1 Exists
        ```

        ```{test-case} TC-1 Many options
        ---
        status: draft
        tags: a, b
        verifies: REQ-1,
          REQ-X
        priorty: high
        ---
        The body.
        ```
        """,
}


def line_of(built, page: str, text: str) -> int:
    lines = (built.srcdir / page).read_text(encoding="utf-8").splitlines()
    (found,) = [n for n, line in enumerate(lines, start=1) if text in line]
    return found


@pytest.mark.parametrize("suffix", [".rst", ".md"])
def test_an_unknown_id_in_a_multi_line_value_is_at_the_options_line(tmp_path, suffix):
    built = build(tmp_path, {f"index{suffix}": MULTI_LINE[suffix]})
    page = f"index{suffix}"
    (unknown,) = built.typed("unknown_ref")
    assert unknown.startswith(f"{built.srcdir / page}:{line_of(built, page, 'verifies:')}: ")
    assert "TC-1: :verifies: names unknown ID 'REQ-X'" in unknown
    (misspelt,) = built.typed("bad_option")
    assert misspelt.startswith(f"{built.srcdir / page}:{line_of(built, page, 'priorty:')}: ")


def test_a_myst_yaml_option_block_gives_each_option_its_line(tmp_path):
    page = """
        # Title

        ```{requirement} REQ-1 Exists
        ```

        ```{test-case} TC-1 Options as YAML
        ---
        status: aproved
        verifies: REQ-X
        ---
        The body.
        ```
        """
    built = build(tmp_path, {"index.md": page})
    path = built.srcdir / "index.md"
    (status,) = built.typed("bad_value")
    assert status.startswith(f"{path}:{line_of(built, 'index.md', 'status: aproved')}: ")
    (unknown,) = built.typed("unknown_ref")
    assert unknown.startswith(f"{path}:{line_of(built, 'index.md', 'verifies: REQ-X')}: ")


def test_link_lines_survive_parallel_and_incremental_builds(tmp_path):
    """The link checks run on stored items: the pickled line is the one warned at."""
    files = {
        "index.rst": "Title\n=====\n\n.. toctree::\n\n   a\n   b\n   c\n",
        **{
            f"{name}.rst": f"{name}\n=\n\n.. test-case:: TC-{name} T\n   :status: draft\n"
            f"   :verifies: REQ-{name}\n"
            for name in "abc"
        },
    }
    expected = sorted(
        f"{tmp_path / name}.rst:6: WARNING: TC-{name}: :verifies: names unknown ID 'REQ-{name}' "
        "[techspec.unknown_ref]"
        for name in "abc"
    )
    serial = build(tmp_path, files)
    assert sorted(serial.typed("unknown_ref")) == expected
    parallel = build(tmp_path, files, parallel=2)
    assert sorted(parallel.typed("unknown_ref")) == expected
    (tmp_path / "index.rst").write_text(files["index.rst"] + "\nMore text.\n", encoding="utf-8")
    again = build(tmp_path, fresh=False)
    assert "0 added, 1 changed, 0 removed" in again.status  # the test pages are not re-read
    assert sorted(again.typed("unknown_ref")) == expected


GENERATOR = '''
from sphinx.util.docutils import SphinxDirective
from docutils.statemachine import StringList


class Generated(SphinxDirective):
    """Writes an item directive as code does: every line located at this directive."""

    def run(self):
        lines = [".. test-case:: TC-9 Generated", "   :status: aproved", "   :verifies: NOPE-1"]
        items = [self.get_source_info()] * len(lines)
        items = [(source, line - 1) for source, line in items]
        return self.parse_text_to_nodes(StringList(lines, items=items))


def setup(app):
    app.add_directive("generated", Generated)
'''


def test_a_directive_written_by_code_warns_at_the_directive_that_wrote_it(tmp_path):
    """Its option lines are not lines of the page: the warning stays where the text is located."""
    files = {"index.rst": "Title\n=====\n\nText.\n\n.. generated::\n", "generator.py": GENERATOR}
    conf = (
        "import os, sys\n"
        "sys.path.insert(0, os.path.dirname(__file__))\n"
        'extensions.append("generator")\n'
    )
    built = build(tmp_path, files, conf)
    path = tmp_path / "index.rst"
    (status,) = built.typed("bad_value")
    assert status.startswith(f"{path}:6: WARNING: status 'aproved'")
    (unknown,) = built.typed("unknown_ref")
    assert unknown.startswith(f"{path}:6: WARNING: TC-9: :verifies: names unknown ID 'NOPE-1'")


@pytest.mark.parametrize(
    ("block", "expected"),
    [
        # RST: the field list up to the first blank line; a body field is not an option.
        (
            ".. test-case:: TC-1 T\n   :status: draft\n   :verifies: A,\n      B\n"
            "   :Open:\n\n   :field id: integer\n",
            {"status": 1, "verifies": 2, "open": 4},
        ),
        # An argument continued on the next line, then the options.
        (".. requirement:: REQ-1 A long\n   title\n   :status: draft\n", {"status": 2}),
        # MyST ``:key:`` lines, and a name with a space (a body field read as an option).
        ("```{data-model} Thing\n:open:\n:field id: integer\n```\n", {"open": 1, "field id": 2}),
        # MyST YAML block: top-level keys only; a nested or continued line is not a key.
        (
            "```{test-case} TC-1 T\n---\nstatus: draft\nverifies: >\n  A: b\ntags: x\n---\n"
            "status: in the body\n```\n",
            {"status": 2, "verifies": 3, "tags": 5},
        ),
        # A name given twice: the first writing (docutils reports the second).
        (".. requirement:: R T\n   :status: a\n   :status: b\n", {"status": 1}),
        # No options at all, or no block text (a directive made by code).
        ("```{requirement} REQ-1 T\nThe body: no options.\n```\n", {}),
        ("", {}),
    ],
)
def test_option_offsets_are_counted_from_the_directives_line(block, expected):
    assert option_offsets(block) == expected


def test_ids_checked_after_reading_are_at_the_options_line(tmp_path):
    """``:ids:`` and ``:components:`` are checked when every page is read, from the node."""
    page = """
        Title
        =====

        .. item-table::
           :types: requirement
           :ids: REQ-404

        .. api-index::
           :status: draft
           :components: COMP-404
        """
    built = build(tmp_path, {"index.rst": page})
    path = built.srcdir / "index.rst"
    ids, components = line_of(built, "index.rst", ":ids:"), line_of(built, "index.rst", ":comp")
    assert sorted(built.typed("unknown_ref")) == sorted(
        [
            f"{path}:{ids}: WARNING: unknown ID 'REQ-404' in :ids: [techspec.unknown_ref]",
            f"{path}:{components}: WARNING: unknown ID 'COMP-404' in :components: "
            "[techspec.unknown_ref]",
        ]
    )
