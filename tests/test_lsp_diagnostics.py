"""The language server's diagnostics say what the build says, at the offending text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import warnings_of

from sphinx_techspec.lsp.diagnostics import page_problems
from sphinx_techspec.lsp.project import Project
from sphinx_techspec.lsp.workspace_index import WorkspaceIndex

_WARNING = re.compile(
    r"^(?P<path>.+?):(?P<line>\d+): WARNING: (?P<message>.*) \[techspec\.(?P<sub>\w+)\]$"
)


def server_index(srcdir: Path) -> WorkspaceIndex:
    index = WorkspaceIndex(Project.load(srcdir))
    index.scan()
    return index


@pytest.mark.sphinx("html", testroot="lsp-warnings")
def test_same_subtypes_and_wording_as_the_build(app) -> None:
    app.build()
    built = set()
    for line in warnings_of(app):
        match = _WARNING.match(line)
        if match:
            built.add((Path(match["path"]).name, match["message"], match["sub"]))
    index = server_index(Path(app.srcdir))
    found = {
        (Path(path).name, problem.message, problem.subtype)
        for path in index.pages
        for problem in page_problems(index, path)
    }
    assert len(built) == 14
    assert found == built


@pytest.mark.sphinx("html", testroot="lsp-warnings")
def test_each_problem_points_at_the_offending_text(app) -> None:
    index = server_index(Path(app.srcdir))
    shown = {}
    for path in index.pages:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
        for problem in page_problems(index, path):
            span = problem.span
            shown[problem.message[:40]] = lines[span.line][span.start : span.end]
    assert shown == {
        "status 'aproved' is not one of: draft, p": "aproved",
        "unknown option :colour: for requirement ": ":colour:",
        "REQ-002: :refines: names unknown ID 'REQ": "REQ-01",
        "AUTH: :implements: TC-1 is a test case, ": "TC-1",
        "a test-case cannot have :implements: (on": ":implements:",
        "reference to unknown ID 'REQ-00l' (did y": "REQ-00l",
        "duplicate ID 'REQ-001': also defined at ": "REQ-001",
        "priority 'urgent' is not one of: high, m": "urgent",
        "UC-1: :involves: REQ-002 is a requiremen": "REQ-002",
        "reference to unknown ID 'REQ-0002' (did ": "REQ-0002",
        "role {uc} refers to REQ-002, a requireme": "REQ-002",  # a MyST page: MyST roles
        "REQ-EVAL: :refines: names unknown ID 'RE": "REQ-404",
        "date must be an ISO date (YYYY-MM-DD), n": "2026-13-45",
        "http-status must be a whole number, not ": "four hundred four",
    }


def test_project_types_come_from_conf_py(tmp_path: Path) -> None:
    (tmp_path / "conf.py").write_text(
        'techspec_item_types = [{"name": "hazard", "fields": '
        '[{"name": "severity", "choices": ["minor", "major"]}]}]\n'
        'techspec_statuses = ["open", "closed"]\n',
        encoding="utf-8",
    )
    (tmp_path / "h.rst").write_text(
        ".. hazard:: HAZ-1 Takeover\n   :severity: huge\n   :status: draft\n", encoding="utf-8"
    )
    index = server_index(tmp_path)
    messages = [p.message for p in page_problems(index, str((tmp_path / "h.rst").resolve()))]
    assert messages == [
        "severity 'huge' is not one of: minor, major",
        "status 'draft' is not one of: open, closed",
    ]


def test_a_broken_conf_py_leaves_the_defaults(tmp_path: Path) -> None:
    (tmp_path / "conf.py").write_text("raise RuntimeError('no config today')\n", encoding="utf-8")
    project = Project.load(tmp_path)
    assert "requirement" in project.types
    assert any("no config today" in problem for problem in project.problems)


def test_a_malformed_value_is_replaced_by_its_default(tmp_path: Path) -> None:
    (tmp_path / "conf.py").write_text("techspec_statuses = 'open'\n", encoding="utf-8")
    project = Project.load(tmp_path)
    assert project.problems == ["techspec_statuses must be a list, not str; using the default"]
    assert project.choices(project.types["requirement"].fields["status"])[0] == "draft"


def test_the_index_follows_edits(tmp_path: Path) -> None:
    (tmp_path / "conf.py").write_text("", encoding="utf-8")
    tests = tmp_path / "tests.rst"
    tests.write_text(".. test-case:: TC-1 Sent\n   :verifies: REQ-1\n", encoding="utf-8")
    index = server_index(tmp_path)
    page = str(tests.resolve())
    assert [p.subtype for p in page_problems(index, page)] == ["unknown_ref"]
    requirements = str(tmp_path.resolve() / "requirements.rst")
    index.update(requirements, ".. requirement:: REQ-1 Reset\n")
    assert page_problems(index, page) == []
    assert [(s, i) for s, i in index.incoming("REQ-1")] == [("verifies", "TC-1")]
    # A second definition on another page is a duplicate there, not on the first page.
    index.update(
        page, ".. test-case:: TC-1 Sent\n   :verifies: REQ-1\n\n.. requirement:: REQ-1 Again\n"
    )
    assert [p.subtype for p in page_problems(index, requirements)] == []
    assert [p.message for p in page_problems(index, page)] == [
        "duplicate ID 'REQ-1': also defined at requirements.rst:1, which links resolve to "
        "(the first definition by page name, then line); give one of them another ID"
    ]
    index.remove(requirements)
    assert page_problems(index, page) == []
    assert index.definition("REQ-1").path == page


def test_the_last_build_export_adds_what_pages_do_not_say(tmp_path: Path) -> None:
    (tmp_path / "conf.py").write_text("", encoding="utf-8")
    (tmp_path / "t.rst").write_text(
        ".. test-case:: TC-1 Sent\n   :verifies: EXT-1\n", encoding="utf-8"
    )
    out = tmp_path / "_build" / "html"
    out.mkdir(parents=True)
    (out / "techspec.json").write_text(
        '{"format_version": 2, "items": {"EXT-1": {"id": "EXT-1", "type": "requirement", '
        '"title": "Imported", "fields": {"status": "approved"}, "links": {}, '
        '"docname": "imported", "lineno": 3, "result": "passed"}}}',
        encoding="utf-8",
    )
    index = server_index(tmp_path)
    assert page_problems(index, str((tmp_path / "t.rst").resolve())) == []
    assert (index.title_of("EXT-1"), index.status_of("EXT-1")) == ("Imported", "approved")


def test_an_unreadable_build_export_is_left_out(tmp_path: Path, caplog) -> None:
    (tmp_path / "conf.py").write_text("", encoding="utf-8")
    out = tmp_path / "_build" / "html"
    out.mkdir(parents=True)
    (out / "techspec.json").write_text('{"items": [1, 2', encoding="utf-8")
    index = server_index(tmp_path)
    assert index.build_items == {}
    assert "cannot be read as a techspec.json" in caplog.text


def test_pages_the_build_does_not_read_are_not_indexed(tmp_path: Path) -> None:
    (tmp_path / "conf.py").write_text('exclude_patterns = ["drafts/*"]\n', encoding="utf-8")
    (tmp_path / "index.rst").write_text(".. requirement:: REQ-1 Kept\n", encoding="utf-8")
    for folder in ("drafts", "_build", ".venv"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "old.rst").write_text(
            ".. requirement:: REQ-1 Not read\n", encoding="utf-8"
        )
    index = server_index(tmp_path)
    assert [Path(p).relative_to(tmp_path.resolve()).as_posix() for p in index.pages] == [
        "index.rst"
    ]
    assert page_problems(index, str((tmp_path / "index.rst").resolve())) == []


def test_without_conf_py_opened_pages_are_read_with_the_default_types(tmp_path: Path) -> None:
    (tmp_path / "notes.rst").write_text(".. requirement:: REQ-1 Kept\n", encoding="utf-8")
    project = Project.load(tmp_path)
    assert project.problems == [
        f"no conf.py in or around {tmp_path.resolve()}; using the default item types"
    ]
    index = WorkspaceIndex(project)
    index.scan()
    assert index.pages == {}  # any folder may be the workspace: nothing is read unasked
    page = str(tmp_path.resolve() / "notes.rst")
    assert index.is_page(page)
    index.update(page, ".. requirement:: REQ-1 Kept\n   :refines: REQ-2\n")
    assert [p.message for p in page_problems(index, page)] == [
        "REQ-1: :refines: names unknown ID 'REQ-2' (did you mean 'REQ-1'?)"
    ]


REPOSITORY = Path(__file__).parent.parent


@pytest.mark.parametrize("folder", ["example_project", "docs"])
def test_projects_that_build_without_warnings_read_clean(folder: str) -> None:
    """The example spec and this guide build with -W: the server finds no problem either."""
    index = server_index(REPOSITORY / folder)
    assert len(index.definitions) > 30
    assert sum(len(uses) for uses in index.references.values()) > 30
    found = [
        (Path(path).name, problem.message)
        for path in index.pages
        for problem in page_problems(index, path)
    ]
    assert found == []


def test_included_files_are_read_even_when_excluded_as_pages(tmp_path: Path) -> None:
    (tmp_path / "conf.py").write_text('exclude_patterns = ["parts"]\n', encoding="utf-8")
    (tmp_path / "parts").mkdir()
    (tmp_path / "parts" / "reqs.rst.inc").write_text(
        ".. requirement:: REQ-1 Included\n\n.. include:: more.rst\n", encoding="utf-8"
    )
    (tmp_path / "parts" / "more.rst").write_text(".. requirement:: REQ-2 Nested\n")
    (tmp_path / "parts" / "unused.rst").write_text(".. requirement:: REQ-3 Not read\n")
    (tmp_path / "index.rst").write_text(
        ".. include:: /parts/reqs.rst.inc\n\n"
        ".. test-case:: TC-1 Both\n   :verifies: REQ-1, REQ-2\n",
        encoding="utf-8",
    )
    index = server_index(tmp_path)
    assert sorted(index.definitions) == ["REQ-1", "REQ-2", "TC-1"]
    assert page_problems(index, str((tmp_path / "index.rst").resolve())) == []
    assert index.is_page(str((tmp_path / "parts" / "more.rst").resolve()))
    assert not index.is_page(str((tmp_path / "parts" / "unused.rst").resolve()))
