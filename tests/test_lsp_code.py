"""The language server and code: markers in source files (references, hover, rename,
diagnostics) and the JSON examples of design items, on the project in roots/test-lsp-code,
driven by a real LSP client over stdio as the other server tests are."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOTS
from lsp_client import RecordingClient, in_session
from lsprotocol import types


def copy_of(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    shutil.copytree(ROOTS / "test-lsp-code", project)
    return project


def at(uri: str, line: int, character: int) -> dict:
    return {
        "text_document": types.TextDocumentIdentifier(uri),
        "position": types.Position(line, character),
    }


def short(location: types.Location, root: Path) -> tuple[str, int, int, int]:
    path = Path(location.uri.removeprefix("file://"))
    start, end = location.range.start, location.range.end
    return (path.relative_to(root).as_posix(), start.line, start.character, end.character)


def build_warnings(project: Path) -> list[tuple[str, int, str, str]]:
    """(file, line, message, subtype) of each techspec warning of a real build of ``project``."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinx",
            "-q",
            "-N",
            "-b",
            "html",
            str(project),
            str(project / "_build"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    found = re.findall(r"^(.+?):(\d+): WARNING: (.*) \[techspec\.(\w+)\]$", done.stderr, re.M)
    return sorted((Path(f).name, int(line), message, kind) for f, line, message, kind in found)


def test_references_and_hover_include_the_code_markers(tmp_path: Path) -> None:
    async def scenario(client: RecordingClient, root: Path) -> None:
        uri = await client.open_page(root / "index.rst")
        uses = await client.text_document_references_async(
            types.ReferenceParams(**at(uri, 8, 20), context=types.ReferenceContext(False))
        )
        assert [short(location, root) for location in uses] == [
            ("index.rst", 16, 23, 30),  # :req:`REQ-PAY`
            ("src/cart.py", 12, 17, 24),  # :implements: REQ-PAY in a docstring
            ("src/checkout.js", 0, 15, 22),  # // @implements REQ-PAY, REQ-CART
        ]
        hover = await client.text_document_hover_async(types.HoverParams(**at(uri, 3, 20)))
        assert hover is not None
        text = hover.contents.value
        assert (
            "- Implemented in code (2): `src/cart.py:5 Cart()`, `src/checkout.js:2 checkout()`"
            in (text.splitlines())
        )

    in_session(copy_of(tmp_path), scenario)


def test_an_id_in_a_marker_leads_to_its_item(tmp_path: Path) -> None:
    async def scenario(client: RecordingClient, root: Path) -> None:
        uri = await client.open_page(root / "src/checkout.js")
        assert list(client.diagnostics[uri]) == []
        hover = await client.text_document_hover_async(types.HoverParams(**at(uri, 0, 26)))
        assert hover is not None
        assert hover.contents.value.startswith("**Requirement REQ-CART**: Cart keeps items")
        assert hover.range == types.Range(types.Position(0, 24), types.Position(0, 32))
        found = await client.text_document_definition_async(
            types.DefinitionParams(**at(uri, 0, 26))
        )
        assert [short(location, root) for location in found] == [("index.rst", 3, 17, 25)]
        where = await client.text_document_prepare_rename_async(
            types.PrepareRenameParams(**at(uri, 0, 16))
        )
        assert where == types.Range(types.Position(0, 15), types.Position(0, 22))
        # Outside a marker's IDs (the comment's words, the code) there is no ID.
        nothing = await client.text_document_hover_async(types.HoverParams(**at(uri, 1, 3)))
        assert nothing is None

    in_session(copy_of(tmp_path), scenario)


def test_rename_edits_the_markers_and_the_build_stays_clean(tmp_path: Path) -> None:
    edits: dict[str, list[types.TextEdit]] = {}

    async def scenario(client: RecordingClient, root: Path) -> None:
        uri = await client.open_page(root / "index.rst")
        edit = await client.text_document_rename_async(
            types.RenameParams(**at(uri, 8, 20), new_name="REQ-PAYMENT")
        )
        edits.update(edit.changes)

    project = copy_of(tmp_path)
    in_session(project, scenario)
    changed = {}
    for uri, text_edits in edits.items():
        path = Path(uri.removeprefix("file://"))
        lines = path.read_text(encoding="utf-8").split("\n")
        # From the end of the file back, so earlier edits keep their columns.
        for text_edit in sorted(
            text_edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True
        ):
            start, end = text_edit.range.start, text_edit.range.end
            line = lines[start.line]
            assert line[start.character : end.character] == "REQ-PAY"
            lines[start.line] = line[: start.character] + text_edit.new_text + line[end.character :]
        path.write_text("\n".join(lines), encoding="utf-8")
        changed[path.relative_to(project).as_posix()] = len(text_edits)
    assert changed == {"index.rst": 2, "src/cart.py": 1, "src/checkout.js": 1}
    assert "// @implements REQ-PAYMENT, REQ-CART" in (project / "src/checkout.js").read_text()
    assert build_warnings(project) == []


def test_source_file_and_example_diagnostics_say_what_the_build_says(tmp_path: Path) -> None:
    project = copy_of(tmp_path)
    broken = {
        "src/checkout.js": ("REQ-PAY, REQ-CART", "REQ-PAI, SHOP"),
        "index.rst": ('"title": "Dune"}', '"title": "Dune",}'),
        "api.md": ('{"id": 1, "title": "Dune"}', '{"id": 1 "title": "Dune"}'),
    }
    for name, (old, new) in broken.items():
        path = project / name
        path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    warned = build_warnings(project)
    assert [(name, kind) for name, _line, _message, kind in warned] == [
        ("api.md", "bad_json"),
        ("checkout.js", "code_ref"),
        ("checkout.js", "code_ref"),
        ("index.rst", "bad_json"),
    ]
    shutil.rmtree(project / "_build")
    found: list[tuple[str, int, str, str]] = []
    ranges: dict[str, list[tuple[int, int, int]]] = {}

    async def scenario(client: RecordingClient, root: Path) -> None:
        for name in broken:
            uri = await client.open_page(root / name)
            for problem in client.diagnostics[uri]:
                kind = str(problem.code).removeprefix("techspec.")
                found.append((Path(name).name, problem.range.start.line + 1, problem.message, kind))
                start, end = problem.range.start, problem.range.end
                ranges.setdefault(name, []).append((start.line, start.character, end.character))
        # Fixed in the editor, the marker's problems go; the other pages are not re-scanned.
        uri = (root / "src/checkout.js").as_uri()
        fixed = (
            (root / "src/checkout.js")
            .read_text(encoding="utf-8")
            .replace("REQ-PAI, SHOP", "REQ-PAY")
        )
        await client.change_page(uri, fixed, 2)
        assert list(client.diagnostics[uri]) == []

    in_session(project, scenario)
    assert sorted(found) == warned
    # The marker's diagnostics cover the IDs; an example's, its JSON line.
    assert ranges["src/checkout.js"] == [(0, 15, 22), (0, 24, 28)]
    assert ranges["index.rst"] == [(28, 7, 24)]
    assert ranges["api.md"] == [(10, 4, 29)]


def test_source_files_changed_or_created_on_disk_are_scanned_again(tmp_path: Path) -> None:
    async def scenario(client: RecordingClient, root: Path) -> None:
        uri = await client.open_page(root / "index.rst")

        async def code_uses() -> list[tuple[str, int, int, int]]:
            uses = await client.text_document_references_async(
                types.ReferenceParams(**at(uri, 3, 20), context=types.ReferenceContext(False))
            )
            return [short(u, root) for u in uses if not u.uri.endswith("index.rst")]

        assert await code_uses() == [("src/cart.py", 3, 14, 22), ("src/checkout.js", 0, 24, 32)]
        cart = root / "src/cart.py"
        cart.write_text(cart.read_text(encoding="utf-8").replace("# @implements REQ-CART\n", ""))
        basket = root / "src/shop/basket.py"
        basket.parent.mkdir()
        basket.write_text("# @implements REQ-CART\ndef basket():\n    return []\n")
        (root / "src/notes.txt").write_text("@implements REQ-CART\n")  # not a configured file
        events = [
            types.FileEvent(cart.as_uri(), types.FileChangeType.Changed),
            types.FileEvent(basket.as_uri(), types.FileChangeType.Created),
            types.FileEvent((root / "src/notes.txt").as_uri(), types.FileChangeType.Created),
        ]
        client.diagnostics.pop(uri, None)
        client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(events))
        await client.until(lambda: uri in client.diagnostics)
        assert await code_uses() == [
            ("src/checkout.js", 0, 24, 32),
            ("src/shop/basket.py", 0, 14, 22),
        ]
        (root / "src/checkout.js").unlink()
        client.diagnostics.pop(uri, None)
        client.workspace_did_change_watched_files(
            types.DidChangeWatchedFilesParams(
                [types.FileEvent((root / "src/checkout.js").as_uri(), types.FileChangeType.Deleted)]
            )
        )
        await client.until(lambda: uri in client.diagnostics)
        assert await code_uses() == [("src/shop/basket.py", 0, 14, 22)]

    in_session(copy_of(tmp_path), scenario)
