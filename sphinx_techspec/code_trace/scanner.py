"""The scan: every marker in the named source files, bound to its symbol.

Python files go through ``ast`` (:mod:`.python_source`), others through Pygments
(:mod:`.other_source`). A file with no marker-like text is read but not parsed, so a
large tree costs little more than reading it. Files that cannot be scanned are
listed in the result, never raised.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from pathlib import Path

from .markers import DEFAULT_PREFIX, MarkerSyntax
from .model import CodeReference, ScanResult, SkippedFile, sorted_references
from .other_source import other_markers
from .python_source import Found, NotPython, python_markers
from .source_text import MAX_FILE_BYTES, Unscannable, read_source

PYTHON_SUFFIXES = (".py", ".pyi", ".pyw")


def scan_text(text: str, path: str, syntax: MarkerSyntax) -> tuple[CodeReference, ...]:
    """The references in one file's text, sorted; ``path`` is how references name the file."""
    python = path.endswith(PYTHON_SUFFIXES)
    if not syntax.may_hold_markers(text, python):
        return ()
    found: Iterable[Found]
    try:
        found = list(python_markers(text, syntax)) if python else other_markers(text, path, syntax)
    except NotPython:
        found = other_markers(text, path, syntax)
    references = []
    for marker_line, marker, definition in found:
        if definition is None:
            line, end_line, symbol = marker_line, marker_line, ""
        else:
            line, end_line, symbol = definition.line, definition.end_line, definition.name
        for item_id in marker.ids:
            references.append(
                CodeReference(path, line, end_line, symbol, marker.link_type, item_id, marker_line)
            )
    return sorted_references(references)


def printable(path: str) -> str:
    """A file name as text: bytes that are not UTF-8 (kept by ``os.fsdecode``) become U+FFFD,
    so the name can be printed and written to JSON."""
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def scan_files(
    base: Path,
    paths: Iterable[str],
    link_types: Collection[str],
    prefix: str = DEFAULT_PREFIX,
    max_bytes: int = MAX_FILE_BYTES,
) -> ScanResult:
    """Scan ``paths`` (relative to ``base``, ``/``-separated) for markers of ``link_types``."""
    syntax = MarkerSyntax(link_types, prefix)
    references: list[CodeReference] = []
    skipped: list[SkippedFile] = []
    scanned = 0
    for path in sorted(set(paths)):
        shown = printable(path)
        try:
            text = read_source(base / path, max_bytes)
        except Unscannable as problem:
            skipped.append(SkippedFile(shown, problem.reason, problem.detail))
            continue
        scanned += 1
        references.extend(scan_text(text, shown, syntax))
    return ScanResult(sorted_references(references), tuple(skipped), scanned)
