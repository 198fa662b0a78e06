"""Rename an ID: every definition, link, role and code marker naming it, as one workspace
edit (a marker left with the old ID would break the build: ``techspec.code_ref``)."""

from __future__ import annotations

from lsprotocol import types

from .navigation import code_range, to_range, uri_of
from .workspace_index import WorkspaceIndex


class RenameRefused(ValueError):
    """Why an ID cannot be renamed to what was asked (shown to the user as is)."""


def rename_edit(index: WorkspaceIndex, item_id: str, new_id: str) -> types.WorkspaceEdit:
    new_id = new_id.strip()
    if not index.knows(item_id):
        raise RenameRefused(f"no item has the ID {item_id!r}")
    if not index.project.schema.id_pattern.fullmatch(new_id):
        raise RenameRefused(
            f"{new_id!r} does not match techspec_id_pattern "
            f"{index.project.schema.id_pattern.pattern!r}"
        )
    if new_id != item_id and index.knows(new_id):
        raise RenameRefused(f"an item {new_id!r} exists already")
    entries = index.definitions.get(item_id, [])
    if any(not entry.id_written for entry in entries):
        raise RenameRefused(f"{item_id} is derived from its signature; give it an :id: first")
    changes: dict[str, list[types.TextEdit]] = {}
    for entry in entries:
        changes.setdefault(uri_of(entry.path), []).append(
            types.TextEdit(to_range(index, entry.path, entry.id_span), new_id)
        )
    for use in index.references.get(item_id, ()):
        changes.setdefault(uri_of(use.path), []).append(
            types.TextEdit(to_range(index, use.path, use.span), new_id)
        )
    for marker in index.code.by_item.get(item_id, ()):
        if marker.span.end == marker.span.start:
            continue  # not located on its line (cannot happen with the scanner's own patterns)
        changes.setdefault(uri_of(marker.path), []).append(
            types.TextEdit(code_range(index, marker), new_id)
        )
    for edits in changes.values():
        edits.sort(key=lambda edit: (edit.range.start.line, edit.range.start.character))
    return types.WorkspaceEdit(changes=changes)
