"""The marker scanner: markers in many languages, binding to symbols, hostile files."""

from __future__ import annotations

import json
import os
import pickle
import re
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sphinx_techspec.code_trace.markers import MarkerSyntax
from sphinx_techspec.code_trace.model import CodeReference
from sphinx_techspec.code_trace.scanner import scan_files, scan_text

LINKS = ("implements", "verifies", "depends-on", "refines")
SYNTAX = MarkerSyntax(LINKS)


def found(text: str, name: str, syntax: MarkerSyntax = SYNTAX) -> list[tuple]:
    """(symbol, line, end_line, link type, ID, marker line) of each reference."""
    references = scan_text(textwrap.dedent(text).lstrip("\n"), name, syntax)
    return [
        (r.symbol, r.line, r.end_line, r.link_type, r.item_id, r.marker_line) for r in references
    ]


# -- ten languages, every comment form --------------------------------------------------

LANGUAGES = {
    "reset.c": (
        """
        #include <stdio.h>
        /* @implements REQ-1 */
        int issue_token(const char *account)
        {
            return 0;
        }
        """,
        [("issue_token", 3, 6, "implements", "REQ-1", 2)],
    ),
    "reset.cpp": (
        """
        // @implements REQ-1, REQ-2
        bool TokenStore::redeem(const std::string& token) {
            return true;
        }
        """,
        [
            ("TokenStore::redeem", 2, 4, "implements", "REQ-1", 1),
            ("TokenStore::redeem", 2, 4, "implements", "REQ-2", 1),
        ],
    ),
    "Reset.java": (
        """
        class Reset {
            /** @implements REQ-1 */
            @Override
            public String toString() {
                return "";
            }
        }
        """,
        [("Reset.toString", 4, 6, "implements", "REQ-1", 2)],
    ),
    "reset.ts": (
        """
        export class Store {
          // @implements REQ-1
          redeem(token: string): boolean {
            return true;
          }
        }
        """,
        [("Store.redeem", 3, 5, "implements", "REQ-1", 2)],
    ),
    "reset.go": (
        """
        package reset

        // @implements REQ-1
        func (s *Store) Issue(account string) (string, error) {
        \treturn "", nil
        }
        """,
        [("Issue", 4, 6, "implements", "REQ-1", 3)],
    ),
    "reset.rs": (
        """
        /// @implements REQ-1
        #[must_use]
        pub fn issue(account: &str) -> String {
            String::new()
        }
        """,
        [("issue", 3, 5, "implements", "REQ-1", 1)],
    ),
    "Reset.cs": (
        """
        // @verifies REQ-1
        [Fact]
        public async Task RefusesExpiredTokens()
        {
            await Task.CompletedTask;
        }
        """,
        [("RefusesExpiredTokens", 3, 6, "verifies", "REQ-1", 1)],
    ),
    "Reset.kt": (
        """
        // @implements REQ-1
        fun issue(account: String): String {
            return ""
        }
        """,
        [("issue", 2, 4, "implements", "REQ-1", 1)],
    ),
    "Reset.swift": (
        """
        // @implements REQ-1
        func issue(account: String) -> String {
            return ""
        }
        """,
        [("issue", 2, 4, "implements", "REQ-1", 1)],
    ),
    "reset.sql": (
        """
        -- @implements REQ-1
        CREATE TABLE reset_tokens (token_hash char(64));
        """,
        [("reset_tokens", 2, 2, "implements", "REQ-1", 1)],
    ),
    "reset.lisp": (
        """
        ; @implements REQ-1
        (defun issue () nil)
        """,
        [("", 1, 1, "implements", "REQ-1", 1)],
    ),
    "reset.html": (
        """
        <!-- @implements REQ-1 -->
        <form action="/reset"></form>
        """,
        [("", 1, 1, "implements", "REQ-1", 1)],
    ),
    "reset.erl": (
        """
        %% @implements REQ-1
        issue(Account) -> ok.
        """,
        [("", 1, 1, "implements", "REQ-1", 1)],
    ),
    "lifetimes.rs": (
        """
        /// @implements REQ-1
        pub fn first<'a>(words: &'a [String]) -> &'a str {
            "// @implements REQ-STRING"
        }
        // @implements REQ-2
        """,
        [("first", 2, 4, "implements", "REQ-1", 1), ("", 5, 5, "implements", "REQ-2", 5)],
    ),
    "raw.go": (
        """
        var help = `usage:
        // @implements REQ-STRING
        `

        // @implements REQ-1
        type Store struct {
        \tissued map[string]string
        }
        """,
        [("Store", 6, 8, "implements", "REQ-1", 5)],
    ),
    "Text.kt": (
        """
        val help = \"\"\"
        // @implements REQ-STRING
        \"\"\"
        // @implements REQ-1
        class Text {
        }
        """,
        [("Text", 5, 6, "implements", "REQ-1", 4)],
    ),
    "reset.rb": (
        """
        # @implements REQ-1
        def issue(account)
          ""
        end
        """,
        [("issue", 2, 2, "implements", "REQ-1", 1)],
    ),
}


@pytest.mark.parametrize("name", sorted(LANGUAGES))
def test_markers_in_many_languages_bind_to_the_definition_below(name):
    text, expected = LANGUAGES[name]
    assert found(text, name) == expected


def test_strings_that_look_like_markers_are_not_markers():
    text = """
    const a = "// @implements REQ-STRING";
    const b = '/* @implements REQ-STRING */';
    const c = `@implements REQ-STRING`;
    // @implements REQ-REAL
    """
    assert [r[4] for r in found(text, "x.js")] == ["REQ-REAL"]


def test_id_lists_stop_at_the_first_non_id_and_at_the_line_end():
    text = """
    # @implements REQ-1 (partly), see REQ-9
    # @verifies: REQ-2,REQ-3.
    # @implements REQ-...
    # email@implements REQ-4
    # @implementsREQ-5
    # @depends-on COMP-1
    # @refines
    # REQ-6
    """
    assert [(r[3], r[4]) for r in found(text, "x.sh")] == [
        ("implements", "REQ-1"),
        ("verifies", "REQ-2"),
        ("verifies", "REQ-3"),
        ("depends-on", "COMP-1"),
    ]


def test_undeclared_tags_are_not_markers():
    text = """
    /**
     * @param token the token
     * @implements {Redeemable}
     * @returns the account
     * @Override
     */
    """
    assert found(text, "x.js") == []


def test_markup_in_comments_gives_no_ids():
    text = """
    // @implements <script>alert(1)</script>
    // @implements REQ-1<b>bold</b>
    // @implements "REQ-2"
    """
    assert [r[4] for r in found(text, "x.js")] == ["REQ-1"]


def test_the_prefix_is_configurable():
    syntax = MarkerSyntax(LINKS, "req:")
    text = """
    # req:implements REQ-1
    # @implements REQ-2
    """
    assert [r[4] for r in found(text, "x.py", syntax)] == ["REQ-1"]


def test_a_file_type_pygments_does_not_know_uses_leading_comment_lines():
    text = """
    # @implements REQ-1
    value = 1 # @implements REQ-2
    """
    assert [r[4] for r in found(text, "settings.unknownformat")] == ["REQ-1"]


# -- Python through ast -----------------------------------------------------------------

PYTHON = '''
"""Module docstring.

:implements: REQ-MODULE
"""
import functools


# @implements REQ-DECORATED
@functools.cache
@staticmethod
def decorated():
    return 1


class Store:
    """A store.

    :implements: REQ-CLASS, REQ-CLASS-2
    """

    # @implements REQ-METHOD
    def issue(self):
        # @implements REQ-INSIDE
        value = "# @implements REQ-STRING"
        return value

    def redeem(self):  # @verifies REQ-TRAILING
        pass

    class Inner:
        class Deeper:
            # @depends-on REQ-NESTED
            async def run(self):
                """Run.

                :refines: REQ-DOC
                """


def plain():
    pass
# @implements REQ-MODULE-END
'''


def test_python_markers_bind_through_ast():
    assert found(PYTHON, "shop/store.py") == [
        ("", 3, 3, "implements", "REQ-MODULE", 3),
        ("decorated", 11, 12, "implements", "REQ-DECORATED", 8),
        ("Store", 15, 37, "implements", "REQ-CLASS", 18),
        ("Store", 15, 37, "implements", "REQ-CLASS-2", 18),
        ("Store.issue", 22, 25, "implements", "REQ-METHOD", 21),
        ("Store.issue", 22, 25, "implements", "REQ-INSIDE", 23),
        ("Store.redeem", 27, 28, "verifies", "REQ-TRAILING", 27),
        ("Store.Inner.Deeper.run", 33, 37, "depends-on", "REQ-NESTED", 32),
        ("Store.Inner.Deeper.run", 33, 37, "refines", "REQ-DOC", 36),
        ("", 42, 42, "implements", "REQ-MODULE-END", 42),
    ]


def test_python_that_does_not_parse_is_scanned_as_text():
    text = """
    # @implements REQ-1
    def broken(:
        pass
    """
    assert found(text, "broken.py") == [("broken", 2, 2, "implements", "REQ-1", 1)]


# -- files: hostile input, counts, order ------------------------------------------------


def write(base: Path, name: str, data: bytes | str) -> str:
    path = base / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return name


def test_binary_huge_undecodable_and_missing_files_are_skipped_and_counted(tmp_path):
    names = [
        write(tmp_path, "ok.py", "# @implements REQ-1\nx = 1\n"),
        write(tmp_path, "image.png", b"\x89PNG\r\n\x1a\n\0\0\0# @implements REQ-BIN"),
        write(tmp_path, "huge.js", "// @implements REQ-HUGE\n" + "x();\n" * 300_000),
        write(tmp_path, "latin1.py", "# @implements REQ-LATIN\n# caf\xe9\n".encode("latin-1")),
        write(tmp_path, "bom.py", "\ufeff# @implements REQ-BOM\r\nx = 1\r\n".encode()),
        "gone.py",
    ]
    result = scan_files(tmp_path, names, LINKS)
    assert [r.item_id for r in result.references] == ["REQ-BOM", "REQ-1"]
    assert {(s.path, s.reason) for s in result.skipped} == {
        ("image.png", "binary"),
        ("huge.js", "too_large"),
        ("latin1.py", "undecodable"),
        ("gone.py", "unreadable"),
    }
    assert result.files_scanned == 2
    assert result.skipped_count("binary") == 1


def test_a_file_name_that_is_not_utf8_is_shown_with_a_replacement_character(tmp_path):
    raw = os.fsencode(tmp_path) + b"/bad\xff.py"
    try:
        with open(raw, "wb") as stream:
            stream.write(b"# @implements REQ-1\n")
    except OSError:
        pytest.skip("the file system refuses names that are not UTF-8")
    name = os.fsdecode(b"bad\xff.py")
    result = scan_files(tmp_path, [name], LINKS)
    assert [(r.path, r.item_id) for r in result.references] == [("bad\ufffd.py", "REQ-1")]
    json.dumps([r.path for r in result.references], ensure_ascii=False).encode("utf-8")


def test_a_lower_size_limit_skips_more(tmp_path):
    name = write(tmp_path, "a.py", "# @implements REQ-1\n" + "x = 1\n" * 100)
    assert scan_files(tmp_path, [name], LINKS, max_bytes=50).skipped_count("too_large") == 1


def test_results_are_sorted_deduplicated_and_picklable(tmp_path):
    names = [
        write(tmp_path, "b.py", "# @implements REQ-10, REQ-9, REQ-9\nx = 1\n"),
        write(tmp_path, "a.js", "// @implements REQ-2\nfunction f() {}\n"),
    ]
    first = scan_files(tmp_path, reversed(names), LINKS)
    second = scan_files(tmp_path, names, LINKS)
    assert first == second
    assert [(r.path, r.item_id) for r in first.references] == [
        ("a.js", "REQ-2"),
        ("b.py", "REQ-9"),
        ("b.py", "REQ-10"),
    ]
    assert pickle.loads(pickle.dumps(first)) == first
    assert isinstance(first.references[0], CodeReference)


def test_deeply_nested_python_gives_no_traceback(tmp_path):
    name = write(tmp_path, "deep.py", "# @implements REQ-1\nx = " + "(" * 5000 + ")" * 5000)
    result = scan_files(tmp_path, [name], LINKS)
    assert [r.item_id for r in result.references] == ["REQ-1"]


# -- any text, any language: no exception, sane references ------------------------------

_PIECES = st.sampled_from(
    [
        "@implements REQ-1",
        "@verifies A.b::c, D",
        ":implements: X-1",
        "# ",
        "// ",
        "/* ",
        " */",
        "-- ",
        "; ",
        "<!-- ",
        " -->",
        '"',
        "'",
        "`",
        '"""',
        "{",
        "}",
        "(",
        ")",
        "\n",
        "\r\n",
        "    ",
        "def f():",
        "class C:",
        "@decorator",
        "function g() {",
        "fn h() {",
        "\\",
        "\ud800",
        "é",
    ]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    pieces=st.lists(st.one_of(_PIECES, st.text(max_size=5)), max_size=60),
    name=st.sampled_from(["a.py", "a.js", "a.c", "a.sql", "a.html", "a.erl", "a.zzz", "Makefile"]),
)
def test_any_text_gives_sorted_references_inside_the_file(pieces, name):
    text = "".join(pieces).replace("\r\n", "\n").replace("\r", "\n")
    references = scan_text(text, name, SYNTAX)
    assert list(references) == sorted(references, key=CodeReference.sort_key)
    last_line = text.count("\n") + 1
    for reference in references:
        assert 1 <= reference.line <= reference.end_line <= last_line
        assert 1 <= reference.marker_line <= last_line
        assert reference.link_type in LINKS
        assert re.fullmatch(r"\w(?:[\w.:/-]*\w)?", reference.item_id)
