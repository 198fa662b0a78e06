"""Twenty common mistakes, in RST and in MyST: each one located warning with a suggestion.

One project per syntax holds every mistake (``tests/roots/test-mistakes-rst`` and
``test-mistakes-myst``, the same spec written twice); each is built once, and every
case asserts on its warning: at the file and line of the mistake (for an option, a
link or a view setting, the option's own line), of type ``techspec`` with the case's
subtype, and with the suggestion written in the page's syntax.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

from sphinx_techspec.suggestions import did_you_mean_valid_id

ROOTS = Path(__file__).parent / "roots"
SYNTAXES = {"rst": ".rst", "myst": ".md"}
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
#: A line that opens a directive, in RST or MyST.
_OPENER = re.compile(r"^(\.\. [\w:-]+::|```\{[\w:-]+\})")


@dataclass(frozen=True)
class Mistake:
    name: str
    subtype: str
    #: A text on the line of the mistake, in the page (``index``, ``other``) or a file.
    at: str | tuple[str, str]
    #: What the warning says, in the RST project and in the MyST one (``None``: no such case).
    rst: str | None
    myst: str | None
    page: str = "index"
    #: ``True``: the warning is at the directive holding the line (a directive's body).
    in_directive: bool = False

    def expected(self, syntax: str) -> str | None:
        return self.rst if syntax == "rst" else self.myst

    def snippet(self, syntax: str) -> str:
        return self.at if isinstance(self.at, str) else self.at[syntax == "myst"]


def both(text: str) -> tuple[str, str]:
    return text, text


MISTAKES = [
    Mistake(
        "misspelt ID in a link option",
        "unknown_ref",
        ":verifies: REQ-01",
        *both("TC-1: :verifies: names unknown ID 'REQ-01' (did you mean 'REQ-1'?)"),
    ),
    Mistake(
        "misspelt ID in a role",
        "unknown_ref",
        "REQ-01`",
        *both("reference to unknown ID 'REQ-01' (did you mean 'REQ-1'?)"),
    ),
    Mistake(
        "misspelt ID in a pytest marker (JUnit test_case property)",
        "unknown_ref",
        'name="test_reset_works"',
        *both("test_case names unknown ID 'TC-01' (did you mean 'TC-1'?)"),
        page="report.xml",
    ),
    Mistake(
        "misspelt option",
        "bad_option",
        ":priorty: high",
        *both("unknown option :priorty: for requirement (did you mean :priority:?)"),
    ),
    Mistake(
        "misspelt link option",
        "bad_option",
        ":realizes: UC-1",
        *both("unknown option :realizes: for sequence (did you mean :realises:?)"),
    ),
    Mistake(
        "link option the item type cannot have",
        "bad_option",
        ":verifies: REQ-1",
        *both(
            "a component cannot have :verifies: (only test-case can) "
            "(did you mean :implements:?); the link is left out"
        ),
    ),
    Mistake(
        "misspelt directive",
        "unknown_directive",
        "REQ-3 Accounts lock",
        "unknown directive type 'requirment' (did you mean '.. requirement::'?)",
        "unknown directive type 'requirment' (did you mean '```{requirement}'?)",
    ),
    Mistake(
        "misspelt directive with the domain prefix",
        "unknown_directive",
        "techspec:item-tabel",
        "unknown directive type 'techspec:item-tabel' (did you mean '.. techspec:item-table::'?)",
        "unknown directive type 'techspec:item-tabel' (did you mean '```{techspec:item-table}'?)",
    ),
    Mistake(
        "misspelt role",
        "unknown_role",
        "reqq",
        "unknown role 'reqq' (did you mean :req:`REQ-1`?)",
        "unknown role 'reqq' (did you mean {req}`REQ-1`?)",
    ),
    Mistake(
        "link to an item of the wrong type",
        "wrong_link_type",
        ":implements: UC-1",
        *both(
            "COMP-2: :implements: UC-1 is a use case, but implements links to requirement "
            "only; to link them the other way, give UC-1 :involves: COMP-2"
        ),
    ),
    Mistake(
        "role of the wrong type",
        "wrong_link_type",
        ("See :comp:", "See {comp}"),
        "role :comp: refers to REQ-1, a requirement; write :req:`REQ-1` "
        "(or :spec:`REQ-1`, for any item)",
        "role {comp} refers to REQ-1, a requirement; write {req}`REQ-1` "
        "(or {spec}`REQ-1`, for any item)",
    ),
    Mistake(
        "duplicate ID",
        "duplicate_id",
        "REQ-1 The same ID given again",
        "duplicate ID 'REQ-1': also defined at index.rst:8, which links resolve to",
        "duplicate ID 'REQ-1': also defined at index.md:7, which links resolve to",
        page="other",
    ),
    Mistake(
        "invalid JSON example",
        "bad_json",
        ":example response 200:",
        *both("GET-users: example 'response 200' is not valid JSON"),
    ),
    Mistake(
        "unquoted MyST option value",
        "bad_option",
        ":version: >=15",
        None,
        "DEP-1: the value of :version: starts with '>', which MyST reads as YAML syntax, "
        "so the options of this directive were dropped; quote it: :version: '>=15'",
    ),
    Mistake(
        "bad status value",
        "bad_value",
        ":status: aproved",
        *both(
            "status 'aproved' is not one of: draft, proposed, approved, implemented, verified, "
            "rejected, deprecated (did you mean 'approved'?)"
        ),
    ),
    Mistake(
        "unknown item type in a view's :types:",
        "unknown_type",
        ":types: requirment",
        *both("unknown item type 'requirment' in :types: (did you mean 'requirement'?)"),
    ),
    Mistake(
        "unknown link type in a view's :links:",
        "unknown_type",
        ":links: verfies",
        *both("unknown link type 'verfies' in :links: (did you mean 'verifies'?)"),
    ),
    Mistake(
        "unknown matrix column",
        "unknown_type",
        ":columns: verfies",
        *both(
            "column 'verfies' is neither a link type nor an item type (did you mean 'verifies'?)"
        ),
    ),
    Mistake(
        "misspelt ID in a view's :ids:",
        "unknown_ref",
        ":ids: REQ-1, REQ-02",
        *both("unknown ID 'REQ-02' in :ids: (did you mean 'REQ-2'?)"),
    ),
    Mistake(
        "missing ID",
        "bad_id",
        "Nobody gave this requirement an ID.",
        "requirement has no ID: write '.. requirement:: ID Title'",
        "requirement has no ID: write '```{requirement} ID Title'",
        in_directive=True,
    ),
    Mistake(
        "missing title",
        "missing_title",
        "REQ-4",
        "Requirement REQ-4 has no title: write '.. requirement:: REQ-4 Title'",
        "Requirement REQ-4 has no title: write '```{requirement} REQ-4 Title'",
    ),
    Mistake(
        "bad ID format",
        "bad_id",
        "REQ/5",
        *both(
            "item ID 'REQ/5' does not match techspec_id_pattern '[A-Za-z0-9_.-]+' "
            "(did you mean 'REQ-5'?)"
        ),
    ),
    Mistake(
        "link to itself",
        "link_cycle",
        ":refines: REQ-6",
        *both("REQ-6: :refines: names REQ-6 itself; name another item, or remove it"),
    ),
    Mistake(
        "misspelt configuration value in conf.py",
        "bad_config",
        "techspec_statusses",
        *both(
            "unknown configuration value 'techspec_statusses' "
            "(did you mean 'techspec_statuses'?); it is not used"
        ),
        page="conf.py",
    ),
]


@dataclass(frozen=True)
class Build:
    srcdir: Path
    syntax: str
    warnings: list[str]

    def path(self, page: str) -> Path:
        return self.srcdir / (page if "." in page else page + SYNTAXES[self.syntax])


@pytest.fixture(scope="module")
def build(request, tmp_path_factory) -> Build:
    """The syntax's project, copied out of the source tree and built once."""
    syntax = request.param
    srcdir = tmp_path_factory.mktemp(syntax) / "src"
    shutil.copytree(ROOTS / f"test-mistakes-{syntax}", srcdir)
    app = SphinxTestApp("dummy", srcdir=srcdir, builddir=srcdir / "_build", freshenv=True)
    try:
        app.build()
    finally:
        app.cleanup()
    text = _ANSI.sub("", app.warning.getvalue())
    return Build(
        srcdir,
        syntax,
        [line for line in text.splitlines() if ": WARNING: " in line or ": ERROR: " in line],
    )


def line_of(path: Path, snippet: str, in_directive: bool) -> int:
    """The line holding ``snippet`` (the only one), or the directive that holds it."""
    lines = path.read_text(encoding="utf-8").splitlines()
    (found,) = [n for n, line in enumerate(lines) if snippet in line]
    if in_directive:
        while not _OPENER.match(lines[found]):
            found -= 1
    return found + 1


def warning_for(build: Build, mistake: Mistake) -> str:
    expected = mistake.expected(build.syntax)
    (line,) = [line for line in build.warnings if expected in line]
    return line


#: Every (syntax, mistake) pair where the mistake can be made (MyST quoting: MyST only).
CASES = [
    pytest.param(syntax, mistake, id=f"{syntax}-{mistake.name}")
    for syntax in sorted(SYNTAXES)
    for mistake in MISTAKES
    if mistake.expected(syntax) is not None
]


@pytest.mark.parametrize(("build", "mistake"), CASES, indirect=["build"])
def test_each_mistake_is_one_located_warning_with_a_suggestion(build, mistake):
    path = build.path(mistake.page)
    line = line_of(path, mistake.snippet(build.syntax), mistake.in_directive)
    warning = warning_for(build, mistake)
    assert warning.startswith(f"{path}:{line}: WARNING: "), warning
    assert warning.endswith(f" [techspec.{mistake.subtype}]"), warning


def test_the_list_holds_twenty_mistakes_in_each_syntax():
    for syntax in SYNTAXES:
        assert len([m for m in MISTAKES if m.expected(syntax)]) >= 20, syntax


#: The usual error of a name that is not a misspelling of ours, per syntax.
NOT_OURS = {
    "rst": ['ERROR: Unknown directive type "notte".', 'ERROR: Unknown directive type "needtable".'],
    "myst": [
        "WARNING: Unknown directive type: 'notte' [myst.directive_unknown]",
        "WARNING: Unknown directive type: 'needtable' [myst.directive_unknown]",
    ],
}


@pytest.mark.parametrize("build", sorted(SYNTAXES), indirect=True)
def test_every_warning_of_the_build_is_one_of_the_mistakes(build):
    """Each mistake is reported once: no second warning (docutils', MyST's) for any of them.

    MyST's own YAML message about the unquoted value stays; ours says how to quote it.
    """
    known = [m.expected(build.syntax) for m in MISTAKES if m.expected(build.syntax)]
    known += NOT_OURS[build.syntax]
    if build.syntax == "myst":
        known.append("[myst.directive_option]")
    others = [line for line in build.warnings if not any(text in line for text in known)]
    assert others == []


@pytest.mark.parametrize("build", sorted(SYNTAXES), indirect=True)
def test_a_name_closest_to_another_extensions_keeps_the_usual_error(build):
    """``notte`` is closest to docutils' ``note``; sphinx-needs' ``needtable`` (its
    extension left out) is not close enough to ``item-table``: neither is taken for ours."""
    for expected in NOT_OURS[build.syntax]:
        (line,) = [line for line in build.warnings if expected in line]
        assert "techspec" not in line


def test_an_id_the_pattern_rejects_gets_the_valid_id_most_like_it():
    pattern = re.compile(r"[A-Z]+-[0-9]+")
    assert did_you_mean_valid_id("REQ/5", pattern) == " (did you mean 'REQ-5'?)"
    assert did_you_mean_valid_id("req 12", pattern) == " (did you mean 'REQ-12'?)"
    assert did_you_mean_valid_id("Übersicht", pattern) == ""
