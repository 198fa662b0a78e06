"""What a scan of source files finds: code references and the files it had to skip.

Plain, picklable, ordered data, so a build can keep it in its environment and
two scans of the same files compare equal.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import natural_key

#: Why a file was not scanned; the first two are counted, the others are worth a warning.
SKIP_REASONS = {
    "binary": "binary file",
    "too_large": "larger than the size limit",
    "undecodable": "not UTF-8 text",
    "unreadable": "cannot be read",
}


@dataclass(frozen=True, slots=True)
class CodeReference:
    """One marker naming one item: ``@implements REQ-1`` above ``def issue()`` in a file.

    ``line``..``end_line`` is the symbol's range (the marker's line alone when it binds
    to the file, and then ``symbol`` is empty); ``marker_line`` is where the marker is
    written, so problems point at it. ``path`` is relative to the spec's folder, with
    ``/`` separators.
    """

    path: str
    line: int
    end_line: int
    symbol: str
    link_type: str
    item_id: str
    marker_line: int

    def sort_key(self) -> tuple[object, ...]:
        return (self.path, self.line, self.marker_line, self.link_type, natural_key(self.item_id))

    def location(self) -> str:
        """``path:line`` of the symbol, as a reader opens it."""
        return f"{self.path}:{self.line}"

    def label(self) -> str:
        """``path:line symbol``: how a reader sees the reference."""
        symbol = f" {self.symbol}" if self.symbol else ""
        return f"{self.path}:{self.line}{symbol}"


@dataclass(frozen=True, slots=True)
class SkippedFile:
    path: str
    reason: str  # a key of SKIP_REASONS
    detail: str = ""


@dataclass(frozen=True, slots=True)
class ScanResult:
    """Every reference found, sorted, and every file skipped, sorted by path."""

    references: tuple[CodeReference, ...] = ()
    skipped: tuple[SkippedFile, ...] = ()
    files_scanned: int = 0

    def skipped_count(self, reason: str) -> int:
        return sum(1 for skipped in self.skipped if skipped.reason == reason)


def sorted_references(references: list[CodeReference]) -> tuple[CodeReference, ...]:
    """Sorted and without repeats (one marker naming an ID twice is one reference)."""
    return tuple(sorted(set(references), key=CodeReference.sort_key))


__all__ = ["SKIP_REASONS", "CodeReference", "ScanResult", "SkippedFile"]
