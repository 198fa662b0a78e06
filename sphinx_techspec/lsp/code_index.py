"""The code markers of ``techspec_code_paths``, as the server keeps them: file by file.

The files are those the build scans (:func:`..code_trace.files.source_files`), each
read and scanned by the build's scanner (:func:`..code_trace.scanner.scan_text`), so
the editor and the build see the same markers. The whole set is scanned when the
project loads; afterwards one file is scanned again when the editor changes or saves
it, or the client reports it changed on disk. Pages never trigger a scan.

Each marker's IDs are located on their line with the marker syntax's own patterns, so
references and renames can point at, and replace, the ID itself.
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path

from ..code_trace.files import PathError, source_files
from ..code_trace.markers import DEFAULT_PREFIX, ID, MarkerSyntax
from ..code_trace.model import CodeReference
from ..code_trace.scanner import scan_text
from ..code_trace.source_text import Unscannable, read_source
from .page_parser import Span
from .project import Project

log = logging.getLogger(__name__)

#: One ID of a marker's list (the list's items, located).
_ID_PATTERN = re.compile(ID)


@dataclass(frozen=True, slots=True)
class CodeMarker:
    """One ID of one marker: the build's reference and where the ID is written."""

    reference: CodeReference
    #: The absolute path of the source file.
    path: str
    #: The ID on the marker's line (0-based line, code-point columns).
    span: Span
    #: The marker's line when it is not ASCII (the client may count its columns otherwise).
    wide_line: str | None = None


class CodeIndex:
    """Markers by file and by item ID for the project's configured source files."""

    def __init__(self, project: Project) -> None:
        config = project.config
        self.base = project.source_dir
        self.patterns = [p for p in getattr(config, "techspec_code_paths", None) or [] if p]
        prefix = getattr(config, "techspec_code_marker_prefix", DEFAULT_PREFIX) or DEFAULT_PREFIX
        self.syntax = MarkerSyntax(project.schema.link_types, prefix)
        #: Absolute path → relative path (``/``-separated), for every configured file.
        self.files: dict[str, str] = {}
        #: Absolute path → its markers.
        self.markers: dict[str, list[CodeMarker]] = {}
        #: Item ID → its markers, in file and line order.
        self.by_item: dict[str, list[CodeMarker]] = {}
        self.problems: list[str] = []

    def scan(self) -> None:
        """List the configured files and scan each (the project loads)."""
        self.list_files()
        for path in self.files:
            self.update(path)

    def list_files(self) -> None:
        """Which files the globs name now (a file was created or deleted)."""
        if not self.patterns or not self.base:
            self.files = {}
            return
        try:
            names = source_files(self.base, self.patterns)
        except PathError as problem:
            self.problems.append(f"techspec_code_paths: {problem}")
            names = []
        self.files = {os.path.normpath(self.base / name): name for name in names}
        for gone in set(self.markers) - set(self.files):
            self.remove(gone)

    def is_code_file(self, path: str) -> bool:
        return path in self.files

    def update(self, path: str, text: str | None = None) -> None:
        """Scan ``path`` again: ``text`` (the editor's) or the file on disk."""
        relative = self.files.get(path)
        if relative is None:
            return
        if text is None:
            try:
                text = read_source(Path(path))
            except Unscannable as problem:
                log.info("not scanned: %s (%s)", relative, problem.reason)
                text = ""
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        self.remove(path)
        markers = located(self.syntax, path, text, scan_text(text, relative, self.syntax))
        if markers:
            self.markers[path] = markers
        for marker in markers:
            self.by_item.setdefault(marker.reference.item_id, []).append(marker)
        for item_id in {marker.reference.item_id for marker in markers}:
            self.by_item[item_id].sort(key=lambda m: (m.path, m.span.line, m.span.start))

    def remove(self, path: str) -> None:
        for marker in self.markers.pop(path, ()):
            kept = [m for m in self.by_item.get(marker.reference.item_id, ()) if m.path != path]
            if kept:
                self.by_item[marker.reference.item_id] = kept
            else:
                self.by_item.pop(marker.reference.item_id, None)

    def marker_at(self, path: str, line: int, column: int) -> CodeMarker | None:
        """The marker ID at a position of a source file (code-point column)."""
        return next((m for m in self.markers.get(path, ()) if m.span.contains(line, column)), None)

    def wide_line(self, path: str, line: int) -> str | None:
        """The text of a marker's line that is not ASCII (its columns need converting)."""
        return next((m.wide_line for m in self.markers.get(path, ()) if m.span.line == line), None)

    def watch_patterns(self) -> list[str]:
        """Absolute globs of the configured files, for the client's file watcher."""
        return [os.path.normpath(self.base / pattern) for pattern in self.patterns]


def located(
    syntax: MarkerSyntax, path: str, text: str, references: tuple[CodeReference, ...]
) -> list[CodeMarker]:
    """Each reference with the span of its ID on the marker's line."""
    lines = text.split("\n")
    found: list[CodeMarker] = []
    for reference in references:
        number = reference.marker_line - 1
        line = lines[number] if 0 <= number < len(lines) else ""
        span = id_span(syntax, line, number, reference)
        wide = None if line.isascii() else line
        found.append(CodeMarker(reference, path, span, wide))
    return found


def id_span(syntax: MarkerSyntax, line: str, number: int, reference: CodeReference) -> Span:
    """Where ``reference``'s ID is written on its marker's line (the line's start if not found)."""
    for pattern in (syntax.comment_pattern, syntax.field_pattern):
        for match in pattern.finditer(line):
            if match["link"] != reference.link_type:
                continue
            start = match.start("ids")
            for part in _ID_PATTERN.finditer(match["ids"]):
                if part.group() == reference.item_id:
                    return Span(number, start + part.start(), start + part.end())
    return Span(number, 0, 0)
