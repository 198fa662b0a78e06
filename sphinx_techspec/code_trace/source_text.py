"""A source file as text with line numbers, or the reason it cannot be one.

Binary files (a NUL byte in the first 8,000 bytes, git's own test), files larger
than the size limit and files that are not UTF-8 are skipped, never guessed at.
"""

from __future__ import annotations

import bisect
import re
from pathlib import Path

#: Files larger than this are skipped (and counted): generated or vendored, not written by hand.
MAX_FILE_BYTES = 1_000_000
_BINARY_PROBE = 8000


class Unscannable(Exception):
    """A file that is not scanned; ``reason`` is a key of :data:`.model.SKIP_REASONS`."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.detail = detail


def read_source(path: Path, max_bytes: int = MAX_FILE_BYTES) -> str:
    """The file's text, newlines made ``\\n``; raises :class:`Unscannable`."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise Unscannable("too_large", f"{size} bytes")
        data = path.read_bytes()
    except OSError as exc:
        raise Unscannable("unreadable", exc.strerror or str(exc)) from None
    if len(data) > max_bytes:  # grew since stat
        raise Unscannable("too_large", f"{len(data)} bytes")
    if b"\0" in data[:_BINARY_PROBE]:
        raise Unscannable("binary")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Unscannable("undecodable", f"byte {exc.start}: {exc.reason}") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


class LineIndex:
    """Character offset → line number (1-based), by bisecting the newline offsets."""

    def __init__(self, text: str) -> None:
        self.newlines = [match.start() for match in re.finditer("\n", text)]
        self.length = len(text)

    def line(self, offset: int) -> int:
        return bisect.bisect_left(self.newlines, offset) + 1

    def start(self, line: int) -> int:
        """Offset of the first character of ``line``."""
        if line <= 1:
            return 0
        if line - 2 >= len(self.newlines):
            return self.length
        return self.newlines[line - 2] + 1
