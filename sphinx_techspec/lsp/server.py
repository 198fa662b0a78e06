"""The pygls wiring: LSP requests and notifications to the feature modules.

On ``initialized`` the server finds the project (``--project`` or the client's
workspace root), reads ``conf.py`` and every page, and scans the source files of
``techspec_code_paths`` for markers; then each open, change, save or close of a page
parses that page again and publishes the diagnostics of every open page and source
file (a new ID on one page settles an unknown ID on another, or in a marker). A
source file is scanned again only when it changes in the editor or on disk. A change
to ``conf.py`` reloads the project.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from lsprotocol import types
from pygls.exceptions import JsonRpcInvalidParams
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from .. import __version__
from .build_data import read_build
from .code_actions import code_actions
from .completion import complete
from .diagnostics import Problem, code_problems, page_problems
from .hover import hover_text
from .navigation import (
    code_range,
    definition,
    document_symbols,
    references,
    to_range,
    workspace_symbols,
)
from .page_parser import Span
from .positions import from_client, to_client
from .project import Project
from .rename import RenameRefused, rename_edit
from .workspace_index import WorkspaceIndex

log = logging.getLogger(__name__)

SOURCE = "sphinx-techspec"


class TechspecLanguageServer(LanguageServer):
    """A language server that holds one project's index."""

    def __init__(self, project_dir: Path | None = None) -> None:
        super().__init__(SOURCE, __version__)
        self.project_dir = project_dir
        self.index: WorkspaceIndex | None = None

    def load(self) -> WorkspaceIndex:
        root = self.project_dir or Path(self.workspace.root_path or ".")
        started = time.perf_counter()
        project = Project.load(root)
        index = WorkspaceIndex(project)
        encoding = self.workspace.position_encoding
        index.encoding = str(getattr(encoding, "value", encoding) or index.encoding)
        index.scan()
        for document in self.workspace.text_documents.values():
            path = path_of(document.uri)
            if path and index.is_page(path):
                index.update(path, document.source)
            elif path and index.code.is_code_file(path):
                index.code.update(path, document.source)
        self.index = index
        log.info(
            "project %s: %d pages, %d items in %.0f ms",
            project.conf_dir,
            len(index.pages),
            len(index.definitions),
            (time.perf_counter() - started) * 1000,
        )
        for problem in [*project.problems, *index.code.problems]:
            self.window_log_message(
                types.LogMessageParams(types.MessageType.Warning, f"{SOURCE}: {problem}")
            )
        return index

    def watch_files(self) -> None:
        """Ask the client to report pages, conf.py and techspec.json changed outside it
        (a ``git checkout``, a build), when it can."""
        workspace = self.client_capabilities.workspace
        watched = workspace.did_change_watched_files if workspace else None
        if not (watched and watched.dynamic_registration):
            return
        patterns = ["**/*.rst", "**/*.md", "**/*.txt", "**/conf.py", "**/techspec.json"]
        patterns += self.ready_index().code.watch_patterns()
        options = types.DidChangeWatchedFilesRegistrationOptions(
            watchers=[types.FileSystemWatcher(glob_pattern=pattern) for pattern in patterns]
        )
        registration = types.Registration(
            "sphinx-techspec-files", types.WORKSPACE_DID_CHANGE_WATCHED_FILES, options
        )
        self.client_register_capability(types.RegistrationParams([registration]))

    def ready_index(self) -> WorkspaceIndex:
        return self.index if self.index is not None else self.load()

    def reread(self, uri: str, from_disk: bool = False, publish: bool = True) -> None:
        """Read the page or source file at ``uri`` again (the editor's text, or the file),
        then publish."""
        path = path_of(uri)
        if path is None:
            return
        index = self.ready_index()
        if Path(path).name == "conf.py":
            self.load()
        elif Path(path).name == "techspec.json":
            index.build_items, index.suspects = read_build(
                index.project.source_dir, index.project.config
            )
        elif index.is_page(path) and not from_disk:
            index.update(path, self.workspace.get_text_document(uri).source)
        elif index.is_page(path):
            try:
                index.update(path, Path(path).read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError):
                index.remove(path)
        if Path(path).name != "conf.py" and index.code.is_code_file(path):
            # A source file of techspec_code_paths: its markers, from the editor or the disk.
            text = None if from_disk else self.workspace.get_text_document(uri).source
            index.code.update(path, text)
        if publish:
            self.publish_open_pages()

    def id_at(self, uri: str, position: types.Position) -> tuple[str, Span] | None:
        """The ID written at a client position, and where it is written."""
        path = path_of(uri)
        if path is None:
            return None
        index = self.ready_index()
        column = index.server_column(path, position.line, position.character)
        return index.id_at(path, position.line, column)

    def publish_open_pages(self) -> None:
        """The diagnostics of every open page and every open source file with markers."""
        index = self.ready_index()
        for document in list(self.workspace.text_documents.values()):
            path = path_of(document.uri)
            if path is None:
                continue
            if path in index.pages:
                found = [(to_range(index, path, p.span), p) for p in page_problems(index, path)]
            elif index.code.is_code_file(path):
                found = [(code_range(index, m), p) for m, p in code_problems(index, path)]
            else:
                continue
            diagnostics = [diagnostic(where, problem) for where, problem in found]
            self.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(document.uri, diagnostics, document.version)
            )


def diagnostic(where: types.Range, problem: Problem) -> types.Diagnostic:
    return types.Diagnostic(
        range=where,
        message=problem.message,
        severity=types.DiagnosticSeverity.Warning,
        code=f"techspec.{problem.subtype}",
        source=SOURCE,
    )


def path_of(uri: str) -> str | None:
    path = to_fs_path(uri)
    return str(Path(path).resolve()) if path else None


def build_server(project_dir: Path | None = None) -> TechspecLanguageServer:
    server = TechspecLanguageServer(project_dir)
    register_document_sync(server)
    register_navigation(server)
    register_editing(server)
    return server


def register_document_sync(server: TechspecLanguageServer) -> None:
    """Start, and follow every page as the editor and the disk change it."""

    @server.feature(types.INITIALIZED)
    def initialized(ls: TechspecLanguageServer, params: types.InitializedParams) -> None:
        ls.load()
        ls.watch_files()

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: TechspecLanguageServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.reread(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: TechspecLanguageServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.reread(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: TechspecLanguageServer, params: types.DidSaveTextDocumentParams) -> None:
        ls.reread(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: TechspecLanguageServer, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri, []))
        ls.reread(uri, from_disk=True)

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def watched(ls: TechspecLanguageServer, params: types.DidChangeWatchedFilesParams) -> None:
        code = ls.ready_index().code
        if code.patterns and any(c.type != types.FileChangeType.Changed for c in params.changes):
            code.list_files()  # a source file was created or deleted: the globs may name it
        for change in params.changes:
            path = path_of(change.uri)
            if change.type == types.FileChangeType.Deleted and path:
                ls.ready_index().remove(path)
            elif change.uri not in ls.workspace.text_documents:
                ls.reread(change.uri, from_disk=True, publish=False)
        ls.publish_open_pages()  # once for the whole batch


def register_navigation(server: TechspecLanguageServer) -> None:
    """Hover, definition, references and symbols."""

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: TechspecLanguageServer, params: types.HoverParams) -> types.Hover | None:
        found = ls.id_at(params.text_document.uri, params.position)
        if found is None:
            return None
        text = hover_text(ls.ready_index(), found[0])
        content = types.MarkupContent(types.MarkupKind.Markdown, text)
        path = path_of(params.text_document.uri) or ""
        return types.Hover(contents=content, range=to_range(ls.ready_index(), path, found[1]))

    @server.feature(types.TEXT_DOCUMENT_DEFINITION)
    def go_to_definition(
        ls: TechspecLanguageServer, params: types.DefinitionParams
    ) -> list[types.Location]:
        found = ls.id_at(params.text_document.uri, params.position)
        return definition(ls.ready_index(), found[0]) if found else []

    @server.feature(types.TEXT_DOCUMENT_REFERENCES)
    def find_references(
        ls: TechspecLanguageServer, params: types.ReferenceParams
    ) -> list[types.Location]:
        found = ls.id_at(params.text_document.uri, params.position)
        if found is None:
            return []
        return references(ls.ready_index(), found[0], params.context.include_declaration)

    @server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    def page_symbols(
        ls: TechspecLanguageServer, params: types.DocumentSymbolParams
    ) -> list[types.DocumentSymbol]:
        path = path_of(params.text_document.uri)
        return document_symbols(ls.ready_index(), path) if path else []

    @server.feature(types.WORKSPACE_SYMBOL)
    def all_symbols(
        ls: TechspecLanguageServer, params: types.WorkspaceSymbolParams
    ) -> list[types.WorkspaceSymbol]:
        return workspace_symbols(ls.ready_index(), params.query)


def register_editing(server: TechspecLanguageServer) -> None:
    """Completion, rename and code actions."""

    @server.feature(
        types.TEXT_DOCUMENT_COMPLETION,
        types.CompletionOptions(trigger_characters=[":", "`", " ", ",", "{", "<"]),
    )
    def completion(
        ls: TechspecLanguageServer, params: types.CompletionParams
    ) -> types.CompletionList:
        document = ls.workspace.get_text_document(params.text_document.uri)
        lines = [each.rstrip("\r\n") for each in document.lines]
        line = params.position.line
        text = lines[line] if line < len(lines) else ""
        index = ls.ready_index()
        column = from_client(text, params.position.character, index.encoding)
        found = complete(index, path_of(document.uri) or "", lines, line, column)
        for item in found:  # the ranges are in code points of this line
            edit = item.text_edit
            if isinstance(edit, types.TextEdit) and not text.isascii():
                start = to_client(text, edit.range.start.character, index.encoding)
                end = to_client(text, edit.range.end.character, index.encoding)
                edit.range = types.Range(types.Position(line, start), types.Position(line, end))
        return types.CompletionList(is_incomplete=False, items=found)

    @server.feature(types.TEXT_DOCUMENT_PREPARE_RENAME)
    def prepare_rename(
        ls: TechspecLanguageServer, params: types.PrepareRenameParams
    ) -> types.Range | None:
        found = ls.id_at(params.text_document.uri, params.position)
        if found is None or not ls.ready_index().knows(found[0]):
            return None
        return to_range(ls.ready_index(), path_of(params.text_document.uri) or "", found[1])

    @server.feature(types.TEXT_DOCUMENT_RENAME)
    def rename(
        ls: TechspecLanguageServer, params: types.RenameParams
    ) -> types.WorkspaceEdit | None:
        found = ls.id_at(params.text_document.uri, params.position)
        if found is None:
            return None
        try:
            return rename_edit(ls.ready_index(), found[0], params.new_name)
        except RenameRefused as exc:
            raise JsonRpcInvalidParams(str(exc)) from None

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]),
    )
    def actions(
        ls: TechspecLanguageServer, params: types.CodeActionParams
    ) -> list[types.CodeAction]:
        path = path_of(params.text_document.uri)
        return code_actions(ls.ready_index(), path, params.range) if path else []
