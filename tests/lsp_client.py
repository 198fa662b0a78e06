"""A language client for the tests: pygls' own, recording what the server publishes.

The server is the one ``sphinx-techspec lsp`` serves (``build_server``, on pygls' stdio
transport), run in a thread of the test's process and reached over two pipes, as an editor
reaches the command's stdin and stdout: a new Python process for each test would spend
most of its second importing lsprotocol. tests/test_lsp_command.py runs the command itself.
Each session has its own event loop (``asyncio.run``), so the test suite needs no asyncio
plugin for pytest.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import threading
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import BinaryIO

from lsprotocol import types
from pygls.io_ import StdinAsyncReader, StdoutWriter, run_async
from pygls.lsp.client import LanguageClient

from sphinx_techspec.lsp import command
from sphinx_techspec.lsp.server import build_server

#: Seconds to wait for the server's diagnostics (shared CI machines can be slow).
TIMEOUT = 60


class RecordingClient(LanguageClient):
    """Keeps the last diagnostics the server published for each page."""

    def __init__(self) -> None:
        super().__init__("techspec-tests", "1")
        self.diagnostics: dict[str, list[types.Diagnostic]] = {}
        self.published = asyncio.Event()
        self.log: list[str] = []

        @self.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def on_diagnostics(client: RecordingClient, params: types.PublishDiagnosticsParams) -> None:
            client.diagnostics[params.uri] = list(params.diagnostics)
            client.published.set()

        @self.feature(types.WINDOW_LOG_MESSAGE)
        def on_log(client: RecordingClient, params: types.LogMessageParams) -> None:
            client.log.append(params.message)

    def start_pipes(self, reader: BinaryIO, writer: BinaryIO) -> None:
        """Talk to a server over two pipes, as ``start_io`` does over a process's stdio."""
        self.protocol.set_writer(StdoutWriter(writer))
        connection = run_async(
            stop_event=self._stop_event,
            reader=StdinAsyncReader(reader),
            protocol=self.protocol,
            error_handler=self.report_server_error,
        )
        self._async_tasks.append(asyncio.create_task(connection))

    async def until(self, condition: Callable[[], bool]) -> None:
        """Wait until ``condition`` holds, checking after each publication."""

        async def wait() -> None:
            while not condition():
                self.published.clear()
                await self.published.wait()

        await asyncio.wait_for(wait(), TIMEOUT)

    async def open_page(self, path: Path, text: str | None = None) -> str:
        """Open ``path`` (with ``text`` instead of the file's) and wait for its diagnostics."""
        uri = path.as_uri()
        self.diagnostics.pop(uri, None)
        language = "markdown" if path.suffix == ".md" else "restructuredtext"
        source = text if text is not None else path.read_text(encoding="utf-8")
        self.text_document_did_open(
            types.DidOpenTextDocumentParams(types.TextDocumentItem(uri, language, 1, source))
        )
        await self.until(lambda: uri in self.diagnostics)
        return uri

    async def change_page(self, uri: str, text: str, version: int) -> None:
        self.diagnostics.pop(uri, None)
        self.text_document_did_change(
            types.DidChangeTextDocumentParams(
                types.VersionedTextDocumentIdentifier(version, uri),
                [types.TextDocumentContentChangeWholeDocument(text)],
            )
        )
        await self.until(lambda: uri in self.diagnostics)


def in_session(
    project: Path,
    scenario: Callable[[RecordingClient, Path], Awaitable[None]],
    capabilities: types.ClientCapabilities | None = None,
    *arguments: str,
) -> None:
    """Start the server for ``project`` (with the command's ``arguments``), initialize, run
    ``scenario``, shut down; the server must then have stopped."""
    parser = argparse.ArgumentParser()
    command.configure(parser)
    options = parser.parse_args(arguments)
    server = build_server(options.project.resolve() if options.project else None)
    to_server, from_client = os.pipe()
    to_client, from_server = os.pipe()
    server_stdin, server_stdout = os.fdopen(to_server, "rb"), os.fdopen(from_server, "wb")
    thread = threading.Thread(
        target=server.start_io, args=(server_stdin, server_stdout), daemon=True
    )
    thread.start()

    async def session() -> None:
        client = RecordingClient()
        client_out = os.fdopen(from_client, "wb")
        client.start_pipes(os.fdopen(to_client, "rb"), client_out)
        root = project.resolve()
        try:
            await client.initialize_async(
                types.InitializeParams(
                    capabilities=capabilities or types.ClientCapabilities(),
                    root_uri=root.as_uri(),
                    process_id=None,
                )
            )
            client.initialized(types.InitializedParams())
            await scenario(client, root)
        finally:
            await client.shutdown_async(None)
            client.exit(None)  # the server closes its stdout: the client stops reading
            await asyncio.wait_for(client.stop(), TIMEOUT)
            client_out.close()  # and the server its stdin

    try:
        asyncio.run(session())
    finally:
        thread.join(TIMEOUT)
        for stream in (server_stdin, server_stdout):
            if not stream.closed:
                stream.close()
    assert not thread.is_alive(), "the server did not stop after exit"
