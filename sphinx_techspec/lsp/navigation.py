"""Go to definition, find references, document symbols and workspace symbols."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types

from ..model import natural_key
from .code_index import CodeMarker
from .page_parser import ItemEntry, Span
from .workspace_index import WorkspaceIndex


def to_range(index: WorkspaceIndex, path: str, span: Span) -> types.Range:
    """``span`` of the page ``path`` as an LSP range, in the client's column units."""
    span = index.client_span(path, span)
    return types.Range(types.Position(span.line, span.start), types.Position(span.line, span.end))


def code_range(index: WorkspaceIndex, marker: CodeMarker) -> types.Range:
    """Where a code marker's ID is written, in the client's column units."""
    return to_range(index, marker.path, marker.span)


def uri_of(path: str) -> str:
    return Path(path).as_uri()


def definition(index: WorkspaceIndex, item_id: str) -> list[types.Location]:
    entry = index.definition(item_id)
    if entry is not None:
        return [types.Location(uri_of(entry.path), to_range(index, entry.path, entry.id_span))]
    built = index.build_items.get(item_id)
    path = index.path_of_docname(built.docname) if built else None
    if built is None or path is None:
        return []
    line = max(built.lineno - 1, 0)
    return [types.Location(uri_of(path), to_range(index, path, Span(line, 0, 0)))]


def references(
    index: WorkspaceIndex, item_id: str, include_declaration: bool
) -> list[types.Location]:
    found = []
    if include_declaration:
        found.extend(
            types.Location(uri_of(entry.path), to_range(index, entry.path, entry.id_span))
            for entry in index.definitions.get(item_id, ())
        )
    uses = sorted(
        index.references.get(item_id, ()), key=lambda u: (u.path, u.span.line, u.span.start)
    )
    found.extend(
        types.Location(uri_of(use.path), to_range(index, use.path, use.span)) for use in uses
    )
    found.extend(
        types.Location(uri_of(marker.path), code_range(index, marker))
        for marker in index.code.by_item.get(item_id, ())
    )
    return found


def document_symbols(index: WorkspaceIndex, path: str) -> list[types.DocumentSymbol]:
    page = index.pages.get(path)
    if page is None:
        return []
    return [_symbol(index, item) for item in page.items]


def _symbol(index: WorkspaceIndex, item: ItemEntry) -> types.DocumentSymbol:
    whole = types.Range(types.Position(item.line, 0), types.Position(item.end_line, 0))
    return types.DocumentSymbol(
        name=item.id,
        detail=f"{index.project.schema.label(item.type)}: {item.title}",
        kind=types.SymbolKind.Object,
        range=whole if item.end_line > item.line else to_range(index, item.path, item.id_span),
        selection_range=to_range(index, item.path, item.id_span),
    )


def workspace_symbols(
    index: WorkspaceIndex, query: str, limit: int = 1000
) -> list[types.WorkspaceSymbol]:
    """Items whose ID or title holds ``query`` (case-insensitive), IDs in natural order."""
    wanted = query.lower()
    found = []
    for item_id in sorted(index.definitions, key=natural_key):
        entry = index.definitions[item_id][0]
        if wanted and wanted not in item_id.lower() and wanted not in entry.title.lower():
            continue
        found.append(
            types.WorkspaceSymbol(
                name=item_id,
                kind=types.SymbolKind.Object,
                location=types.Location(
                    uri_of(entry.path), to_range(index, entry.path, entry.id_span)
                ),
                container_name=f"{index.project.schema.label(entry.type)}: {entry.title}",
            )
        )
        if len(found) >= limit:
            break
    return found
