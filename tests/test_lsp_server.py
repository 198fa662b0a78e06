"""The language server as editors use it: the server ``sphinx-techspec lsp`` serves, on its
stdio transport (in a thread, over pipes: tests/lsp_client.py), driven by a real LSP client
(pygls') on the small project in roots/test-lsp. test_lsp_command.py runs the command."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOTS
from lsp_client import RecordingClient, in_session
from lsprotocol import types

pytestmark = pytest.mark.slow(seconds=3)


def copy_of(tmp_path: Path, root: str = "test-lsp") -> Path:
    project = tmp_path / "project"
    shutil.copytree(ROOTS / root, project)
    return project


def at(uri: str, line: int, character: int) -> dict:
    return {
        "text_document": types.TextDocumentIdentifier(uri),
        "position": types.Position(line, character),
    }


def short(location: types.Location, root: Path) -> tuple[str, int, int]:
    path = Path(location.uri.removeprefix("file://"))
    return (
        path.relative_to(root).as_posix(),
        location.range.start.line,
        location.range.start.character,
    )


def test_a_misspelt_id_is_reported_as_the_build_does(tmp_path: Path) -> None:
    async def scenario(client: RecordingClient, root: Path) -> None:
        uri = await client.open_page(root / "requirements.rst")
        assert list(client.diagnostics[uri]) == []
        text = (root / "requirements.rst").read_text(encoding="utf-8")
        await client.change_page(uri, text.replace(":refines: REQ-001", ":refines: REQ-01"), 2)
        (problem,) = client.diagnostics[uri]
        assert problem.code == "techspec.unknown_ref"
        assert (
            problem.message
            == "REQ-002: :refines: names unknown ID 'REQ-01' (did you mean 'REQ-001'?)"
        )
        assert problem.range == types.Range(types.Position(12, 13), types.Position(12, 19))
        assert problem.severity == types.DiagnosticSeverity.Warning
        # Closed, the page is what the disk says; its problems leave the editor's list.
        client.diagnostics.pop(uri, None)
        client.text_document_did_close(
            types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(uri))
        )
        await client.until(lambda: uri in client.diagnostics)
        assert list(client.diagnostics[uri]) == []

    project = copy_of(tmp_path)
    in_session(project, scenario, None, "--project", str(project))


def test_myst_diagnostics_and_a_fix_on_another_page(tmp_path: Path) -> None:
    async def scenario(client: RecordingClient, root: Path) -> None:
        tests = (root / "tests.md").read_text(encoding="utf-8")
        uri = await client.open_page(
            root / "tests.md", tests.replace("{req}`REQ-001`", "{req}`REQ-0001`")
        )
        (problem,) = client.diagnostics[uri]
        assert (problem.code, problem.message) == (
            "techspec.unknown_ref",
            "reference to unknown ID 'REQ-0001' (did you mean 'REQ-001'?)",
        )
        assert problem.range.start == types.Position(6, 26)
        # Defining REQ-009 on another page settles the role on this one.
        req_uri = await client.open_page(root / "requirements.rst")
        text = (root / "requirements.rst").read_text(encoding="utf-8")
        client.diagnostics.pop(uri, None)
        await client.change_page(req_uri, text + "\n.. requirement:: REQ-0001 Now it exists\n", 2)
        await client.until(lambda: list(client.diagnostics.get(uri, [1])) == [])

    in_session(copy_of(tmp_path), scenario)


def test_completion_after_a_link_option_lists_ids_of_its_target_type(tmp_path: Path) -> None:
    async def scenario(client: RecordingClient, root: Path) -> None:
        text = (root / "tests.md").read_text(encoding="utf-8")
        uri = await client.open_page(
            root / "tests.md", text.replace(":verifies: REQ-001", ":verifies: ")
        )
        result = await client.text_document_completion_async(
            types.CompletionParams(**at(uri, 3, 11))
        )
        assert [(c.label, c.detail) for c in result.items] == [
            ("REQ-001", "Users can reset their password (approved)"),
            ("REQ-002", "Reset links expire (draft)"),
        ]
        rst = (root / "components.rst").read_text(encoding="utf-8")
        uri = await client.open_page(root / "components.rst", rst.replace("REQ-002", "REQ-"))
        result = await client.text_document_completion_async(
            types.CompletionParams(**at(uri, 5, 10))
        )
        assert [c.label for c in result.items] == ["REQ-001", "REQ-002"]
        assert result.items[0].text_edit.range == types.Range(
            types.Position(5, 6), types.Position(5, 10)
        )

    in_session(copy_of(tmp_path), scenario)


def test_completion_of_roles_options_choices_and_directives(tmp_path: Path) -> None:
    async def scenario(client: RecordingClient, root: Path) -> None:
        page = root / "requirements.rst"
        text = page.read_text(encoding="utf-8") + "\nSee :haz:`\n\n.. req\n"
        text = text.replace("   :kind: functional\n", "   :kind: \n   :\n")
        uri = await client.open_page(page, text)
        lines = text.splitlines()
        role_line = next(n for n, line in enumerate(lines) if line.startswith("See :haz:"))
        roles = await client.text_document_completion_async(
            types.CompletionParams(**at(uri, role_line, len(lines[role_line])))
        )
        assert [(c.label, c.detail) for c in roles.items] == [("HAZ-1", "Account takeover")]
        kinds = await client.text_document_completion_async(
            types.CompletionParams(**at(uri, 5, 10))
        )
        assert [c.label for c in kinds.items][:3] == ["functional", "performance", "security"]
        options = await client.text_document_completion_async(
            types.CompletionParams(**at(uri, 6, 4))
        )
        labels = [c.label for c in options.items]
        # The options a requirement takes that it does not have yet, link types included.
        assert labels == [":priority:", ":metric:", ":tags:", ":change:", ":refines:", ":scope:"]
        directive_line = len(lines) - 1
        names = await client.text_document_completion_async(
            types.CompletionParams(**at(uri, directive_line, 6))
        )
        by_label = {c.label: c for c in names.items}
        assert {"requirement", "hazard", "traceability-matrix"} <= set(by_label)
        assert by_label["hazard"].text_edit.new_text == "hazard:: "

    in_session(copy_of(tmp_path), scenario)


def test_completion_in_views_offers_their_options_and_link_types(tmp_path: Path) -> None:
    async def scenario(client: RecordingClient, root: Path) -> None:
        page = root / "index.rst"
        text = page.read_text(encoding="utf-8") + "\n.. traceability-graph::\n   :links: \n   :\n"
        uri = await client.open_page(page, text)
        last = len(text.splitlines()) - 1
        links = await client.text_document_completion_async(
            types.CompletionParams(**at(uri, last - 1, 11))
        )
        labels = [c.label for c in links.items]
        # The core's link types first, in declaration order, then the features' and conf.py's.
        assert labels[:5] == ["verifies", "implements", "refines", "depends-on", "involves"]
        assert "mitigates" in labels
        options = await client.text_document_completion_async(
            types.CompletionParams(**at(uri, last, 4))
        )
        assert {":types:", ":ids:", ":depth:", ":direction:", ":links:"} <= {
            c.label for c in options.items
        }
        myst = root / "tests.md"
        text = myst.read_text(encoding="utf-8") + "\n```{item-table}\n:types: requirement, \n```\n"
        uri = await client.open_page(myst, text)
        line = len(text.splitlines()) - 2
        found = await client.text_document_completion_async(
            types.CompletionParams(**at(uri, line, 21))
        )
        by_label = {c.label: c.detail for c in found.items}
        assert by_label["hazard"] == "Hazard"
        assert by_label["test-case"] == "Test case"

    in_session(copy_of(tmp_path), scenario)


def test_hover_shows_the_item_in_short(tmp_path: Path) -> None:
    async def scenario(client: RecordingClient, root: Path) -> None:
        uri = await client.open_page(root / "index.rst")
        hover = await client.text_document_hover_async(types.HoverParams(**at(uri, 10, 28)))
        assert hover.contents.value.splitlines() == [
            "**Requirement REQ-001**: Users can reset their password",
            "status: approved",
            "",
            "- mitigates → HAZ-1",
            "- implemented by ← AUTH",
            "- refined by ← REQ-002",
            "- verified by ← TC-001, TC-002",
            "",
            "*defined at requirements.rst:4*",
        ]
        assert hover.range == types.Range(types.Position(10, 24), types.Position(10, 31))

    in_session(copy_of(tmp_path), scenario)


def test_definition_and_references_across_rst_and_myst(tmp_path: Path) -> None:
    async def scenario(client: RecordingClient, root: Path) -> None:
        uri = await client.open_page(root / "tests.md")
        found = await client.text_document_definition_async(
            types.DefinitionParams(**at(uri, 12, 12))
        )
        assert [short(location, root) for location in found] == [("requirements.rst", 10, 17)]
        uses = await client.text_document_references_async(
            types.ReferenceParams(**at(uri, 3, 13), context=types.ReferenceContext(True))
        )
        assert sorted(short(location, root) for location in uses) == [
            ("components.rst", 4, 16),
            ("index.rst", 10, 24),
            ("requirements.rst", 3, 17),
            ("requirements.rst", 12, 13),
            ("requirements.rst", 14, 40),
            ("tests.md", 3, 11),
            ("tests.md", 6, 26),
            ("tests.md", 12, 19),
        ]

    in_session(copy_of(tmp_path), scenario)


def test_rename_changes_every_use_in_one_edit(tmp_path: Path) -> None:
    async def scenario(client: RecordingClient, root: Path) -> None:
        uri = await client.open_page(root / "requirements.rst")
        edit = await client.text_document_rename_async(
            types.RenameParams(**at(uri, 3, 19), new_name="REQ-RESET")
        )
        changed = {}
        for page_uri, edits in edit.changes.items():
            path = Path(page_uri.removeprefix("file://"))
            lines = path.read_text(encoding="utf-8").splitlines()
            for text_edit in edits:
                start, end = text_edit.range.start, text_edit.range.end
                assert lines[start.line][start.character : end.character] == "REQ-001"
                assert text_edit.new_text == "REQ-RESET"
            changed[path.name] = len(edits)
        assert changed == {
            "components.rst": 1,
            "index.rst": 1,
            "requirements.rst": 3,
            "tests.md": 3,
        }
        with pytest.raises(Exception, match="exists already"):
            await client.text_document_rename_async(
                types.RenameParams(**at(uri, 3, 19), new_name="REQ-002")
            )

    in_session(copy_of(tmp_path), scenario)


def test_code_actions_fix_or_create_a_missing_item(tmp_path: Path) -> None:
    async def scenario(client: RecordingClient, root: Path) -> None:
        text = (
            (root / "tests.md")
            .read_text(encoding="utf-8")
            .replace(":verifies: REQ-001", ":verifies: REQ-01, REQ-NEW")
        )
        uri = await client.open_page(root / "tests.md", text)
        assert [d.message for d in client.diagnostics[uri]] == [
            "TC-001: :verifies: names unknown ID 'REQ-01' (did you mean 'REQ-001'?)",
            "TC-001: :verifies: names unknown ID 'REQ-NEW'",
        ]
        line = types.Range(types.Position(3, 0), types.Position(3, 30))
        actions = await client.text_document_code_action_async(
            types.CodeActionParams(
                types.TextDocumentIdentifier(uri),
                line,
                types.CodeActionContext(client.diagnostics[uri]),
            )
        )
        assert [a.title for a in actions] == [
            "Replace REQ-01 with REQ-001",
            "Create requirement REQ-01 in requirements",
            "Create requirement REQ-NEW in requirements",
        ]
        (replace,) = actions[0].edit.changes[uri]
        assert (replace.range.start.character, replace.range.end.character, replace.new_text) == (
            11,
            17,
            "REQ-001",
        )
        ((target, (insert,)),) = actions[2].edit.changes.items()
        assert target == (root / "requirements.rst").as_uri()
        assert insert.range.start == types.Position(14, 50)
        assert insert.new_text == "\n\n.. requirement:: REQ-NEW New requirement\n"

    in_session(copy_of(tmp_path), scenario)


def test_document_and_workspace_symbols(tmp_path: Path) -> None:
    async def scenario(client: RecordingClient, root: Path) -> None:
        uri = await client.open_page(root / "tests.md")
        symbols = await client.text_document_document_symbol_async(
            types.DocumentSymbolParams(types.TextDocumentIdentifier(uri))
        )
        assert [(s.name, s.detail, s.range.start.line, s.range.end.line) for s in symbols] == [
            ("TC-001", "Test case: Reset email is sent", 2, 7),
            ("TC-002", "Test case: Expired link is refused", 9, 15),
        ]
        found = await client.workspace_symbol_async(types.WorkspaceSymbolParams(query="reset"))
        assert [s.name for s in found] == ["REQ-001", "REQ-002", "TC-001"]

    in_session(copy_of(tmp_path), scenario)


def test_pages_changed_outside_the_editor_are_read_again(tmp_path: Path) -> None:
    async def scenario(client: RecordingClient, root: Path) -> None:
        text = (root / "tests.md").read_text(encoding="utf-8")
        uri = await client.open_page(
            root / "tests.md", text.replace(":verifies: REQ-001", ":verifies: REQ-NEW")
        )
        assert [d.code for d in client.diagnostics[uri]] == ["techspec.unknown_ref"]
        # Build output is never read as a page; a new page of the project is.
        built = root / "_build" / "html" / "_sources" / "new.rst.txt"
        built.parent.mkdir(parents=True)
        built.write_text(".. requirement:: REQ-NEW In the build output\n", encoding="utf-8")
        new_page = root / "new.rst"
        new_page.write_text(".. requirement:: REQ-NEW Written by git checkout\n", encoding="utf-8")
        client.diagnostics.pop(uri, None)
        client.workspace_did_change_watched_files(
            types.DidChangeWatchedFilesParams(
                [types.FileEvent(built.as_uri(), types.FileChangeType.Created)]
            )
        )
        await client.until(lambda: uri in client.diagnostics)
        assert [d.code for d in client.diagnostics[uri]] == ["techspec.unknown_ref"]
        client.diagnostics.pop(uri, None)
        client.workspace_did_change_watched_files(
            types.DidChangeWatchedFilesParams(
                [types.FileEvent(new_page.as_uri(), types.FileChangeType.Created)]
            )
        )
        await client.until(lambda: uri in client.diagnostics)
        assert list(client.diagnostics[uri]) == []

    in_session(copy_of(tmp_path), scenario)


def test_columns_follow_the_client_position_encoding(tmp_path: Path) -> None:
    line = "Größe 😀 — :req:`REQ-00l` and :req:`REQ-001`"

    async def utf16(client: RecordingClient, root: Path) -> None:
        """The default: UTF-16 code units (the emoji counts two)."""
        uri = await client.open_page(root / "index.rst", line + "\n")
        (problem,) = client.diagnostics[uri]
        role = len(line[: line.index("REQ-00l")].encode("utf-16-le")) // 2
        assert problem.range == types.Range(types.Position(0, role), types.Position(0, role + 7))

    async def utf8(client: RecordingClient, root: Path) -> None:
        """UTF-8 bytes, as Neovim prefers."""
        uri = await client.open_page(root / "index.rst", line + "\n")
        (problem,) = client.diagnostics[uri]
        role, ok = line.encode().index(b"REQ-00l"), line.encode().index(b"REQ-001")
        assert problem.range == types.Range(types.Position(0, role), types.Position(0, role + 7))
        hover = await client.text_document_hover_async(types.HoverParams(**at(uri, 0, ok + 2)))
        assert hover.range == types.Range(types.Position(0, ok), types.Position(0, ok + 7))
        text = line.replace(":req:`REQ-001`", ":req:`REQ-")
        await client.change_page(uri, text + "\n", 2)
        end = len(text.encode())
        result = await client.text_document_completion_async(
            types.CompletionParams(**at(uri, 0, end))
        )
        assert result.items[0].text_edit.range == types.Range(
            types.Position(0, end - 4), types.Position(0, end)
        )

    in_session(copy_of(tmp_path / "utf16"), utf16)
    utf8_client = types.ClientCapabilities(
        general=types.GeneralClientCapabilities(
            position_encodings=[types.PositionEncodingKind.Utf8]
        )
    )
    in_session(copy_of(tmp_path / "utf8"), utf8, utf8_client)


def test_the_done_when_of_the_issue_on_the_example_project(tmp_path: Path) -> None:
    """Issue 25's acceptance, over stdio on a copy of the example project."""
    project = tmp_path / "example"
    shutil.copytree(
        ROOTS.parent.parent / "example_project", project, ignore=shutil.ignore_patterns("_build")
    )

    async def scenario(client: RecordingClient, root: Path) -> None:
        testing = (root / "testing.md").read_text(encoding="utf-8")
        misspelt = testing.replace(":verifies: REQ-FUN-001", ":verifies: REQ-FUN-01")
        uri = await client.open_page(root / "testing.md", misspelt)
        (problem,) = client.diagnostics[uri]
        assert problem.message == (
            "TC-001: :verifies: names unknown ID 'REQ-FUN-01' (did you mean 'REQ-FUN-001'?)"
        )
        await client.change_page(uri, testing.replace(":verifies: REQ-FUN-001", ":verifies: "), 2)
        found = await client.text_document_completion_async(
            types.CompletionParams(**at(uri, 7, 11))
        )
        details = {c.label: c.detail for c in found.items}
        assert details["REQ-FUN-001"] == "Users can request a reset link (approved)"
        assert all(label.startswith("REQ-") for label in details)
        await client.change_page(uri, testing, 3)
        hover = await client.text_document_hover_async(types.HoverParams(**at(uri, 7, 14)))
        assert hover.contents.value.startswith(
            "**Requirement REQ-FUN-001**: Users can request a reset link\nstatus: approved"
        )
        where = await client.text_document_definition_async(
            types.DefinitionParams(**at(uri, 7, 14))
        )
        assert [short(location, root) for location in where] == [("requirements.rst", 6, 17)]
        uses = await client.text_document_references_async(
            types.ReferenceParams(**at(uri, 7, 14), context=types.ReferenceContext(False))
        )
        files = {short(location, root)[0] for location in uses}
        assert {"testing.md", "architecture.rst", "design/account-api.rst"} <= files
        edit = await client.text_document_rename_async(
            types.RenameParams(**at(uri, 7, 14), new_name="REQ-RESET-LINK")
        )
        edits = sum(len(page_edits) for page_edits in edit.changes.values())
        assert edits == len(uses) + 1  # every use and the definition

    in_session(project, scenario)


def test_without_pygls_the_command_says_how_to_install_it(tmp_path: Path) -> None:
    blocker = tmp_path / "blocked"
    blocker.mkdir()
    (blocker / "pygls.py").write_text("raise ImportError('pygls is not installed')\n")
    done = subprocess.run(
        [sys.executable, "-m", "sphinx_techspec.cli", "lsp"],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(blocker), "PATH": ""},
        check=False,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert "pip install 'sphinx-techspec[lsp]'" in done.stderr
    assert "Traceback" not in done.stderr
