"""Columns as the client counts them: UTF-8 bytes, UTF-16 code units or code points.

The reader counts columns in code points (Python's ``str`` indexes); the client
counts in the position encoding agreed at ``initialize`` (UTF-16 unless it offers
another: Neovim prefers UTF-8). They differ only on lines that are not ASCII, so
only those lines are converted.
"""

from __future__ import annotations

UTF8, UTF16, UTF32 = "utf-8", "utf-16", "utf-32"


def units(text: str, encoding: str) -> int:
    """The length of ``text`` in the client's units."""
    if encoding == UTF8:
        return len(text.encode("utf-8"))
    if encoding == UTF16:
        return len(text.encode("utf-16-le")) // 2
    return len(text)


def to_client(line: str, column: int, encoding: str) -> int:
    """A code-point column of ``line`` in the client's units."""
    if encoding == UTF32 or line.isascii():
        return column
    return units(line[:column], encoding)


def from_client(line: str, column: int, encoding: str) -> int:
    """A client column of ``line`` as a code-point column (inside a character: after it)."""
    if encoding == UTF32 or line.isascii():
        return column
    counted = 0
    for position, character in enumerate(line):
        if counted >= column:
            return position
        counted += units(character, encoding)
    return len(line)
