"""A language client for the tests: pygls' own, over stdio, recording what the server publishes.

Tests drive ``sphinx-techspec lsp`` as an editor does, each in its own event loop
(``asyncio.run``), so the test suite needs no asyncio plugin for pytest.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient

COMMAND = [sys.executable, "-m", "sphinx_techspec.cli", "lsp"]

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


async def _drain(stream: asyncio.StreamReader | None) -> None:
    """Read the server's stderr (its log), so that a full pipe never blocks it."""
    while stream is not None and await stream.read(65536):
        pass


def in_session(
    project: Path,
    scenario: Callable[[RecordingClient, Path], Awaitable[None]],
    capabilities: types.ClientCapabilities | None = None,
    *arguments: str,
) -> None:
    """Start the server for ``project``, initialize, run ``scenario``, shut down."""

    async def session() -> None:
        client = RecordingClient()
        await client.start_io(*COMMAND, *arguments)
        assert client._server is not None
        drain = asyncio.create_task(_drain(client._server.stderr))
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
            client.exit(None)
            await client.stop()
            await drain

    asyncio.run(session())
