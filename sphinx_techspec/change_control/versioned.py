"""Reading a versioned JSON file of ours (the lock, a techspec.json baseline) or saying why not.

Both formats are an object with an integer ``format_version``; a newer version than this
sphinx-techspec reads is refused with a clear message, never guessed at.
"""

from __future__ import annotations

from typing import Any

from ..foreign_json import ForeignJSONError, load_json


class UnusableFile(Exception):
    """A file that cannot be used; ``line`` is 0 when no line applies."""

    def __init__(self, message: str, line: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def versioned_object(text: str, what: str, format_name: str, newest: int) -> dict[str, Any]:
    """The top-level object of ``text``, whose ``format_version`` is at most ``newest``.

    ``what`` names the kind of file in messages ("techspec lock"), ``format_name`` its
    format ("lock"). Raises :class:`UnusableFile` (or the caller's subclass of it).
    """
    try:
        data = load_json(text, keep_controls=True).value
    except ForeignJSONError as exc:
        raise UnusableFile(exc.message, exc.line) from None
    if not isinstance(data, dict):
        raise UnusableFile(f"not a {what} (the top level is not an object)", 1)
    version = data.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise UnusableFile(f"not a {what} (no integer 'format_version')", 1)
    if version > newest:
        raise UnusableFile(
            f"{format_name} format {version} is newer than this sphinx-techspec reads "
            f"(format {newest}); upgrade sphinx-techspec",
            1,
        )
    return data
