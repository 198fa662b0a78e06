"""The marker syntax: ``@implements REQ-1, REQ-2`` in a comment, ``:implements: REQ-1`` in a
Python docstring.

A marker is the prefix (``@`` unless ``techspec_code_marker_prefix`` says otherwise), a
declared link type and a comma-separated list of IDs on the same line. Only declared
link types count, so ``@param``, ``@Override`` or a decorator in a comment is not a
marker; an ID starts and ends with a letter, digit or ``_`` (``REQ-1.`` at the end of a
sentence is ``REQ-1``), and the list stops at the first word that is not one
(``@implements REQ-1 (partly)`` names REQ-1); ``REQ-...`` is no ID.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass

DEFAULT_PREFIX = "@"
#: An ID: letters, digits, ``_``, and ``.:/-`` inside (``tests.test_x::test_y`` is one).
ID = r"\w(?:[\w.:/-]*\w)?(?![\w-])"
_ID_LIST = rf"(?P<ids>{ID}(?:[ \t]*,[ \t]*{ID})*)"


@dataclass(frozen=True, slots=True)
class Marker:
    """One marker found in a text: where it starts (character offset), its link type, IDs."""

    offset: int
    link_type: str
    ids: tuple[str, ...]


class MarkerSyntax:
    """The compiled marker patterns for one prefix and one set of link types."""

    def __init__(self, link_types: Collection[str], prefix: str = DEFAULT_PREFIX) -> None:
        self.prefix = prefix
        self.link_types = tuple(sorted(link_types, key=lambda name: (-len(name), name)))
        names = "|".join(re.escape(name) for name in self.link_types) or r"(?!x)x"
        self.comment_pattern = re.compile(
            rf"(?<!\w){re.escape(prefix)}(?P<link>{names})(?![\w-])[ \t]*:?[ \t]*{_ID_LIST}"
        )
        self.field_pattern = re.compile(
            rf"^[ \t]*:(?P<link>{names}):[ \t]*{_ID_LIST}", re.MULTILINE
        )
        # Literal-led, so the regex engine can skip ahead: the quick test of a whole file.
        self._comment_candidate = re.compile(rf"{re.escape(prefix)}(?:{names})")
        self._field_candidate = re.compile(rf":(?:{names}):")

    def may_hold_markers(self, text: str, python: bool = False) -> bool:
        """A quick test on a whole file: most files hold no marker and are not parsed."""
        if self._comment_candidate.search(text) and self.comment_pattern.search(text):
            return True
        return (
            python
            and self._field_candidate.search(text) is not None
            and self.field_pattern.search(text) is not None
        )

    def in_comment(self, text: str, base: int = 0) -> Iterator[Marker]:
        """The markers in the text of a comment; offsets are ``base`` + offset in ``text``."""
        yield from _markers(self.comment_pattern, text, base)

    def in_docstring(self, text: str, base: int = 0) -> Iterator[Marker]:
        """Markers and ``:link-type: IDs`` fields in the text of a Python docstring."""
        found = [*_markers(self.comment_pattern, text, base)]
        found += _markers(self.field_pattern, text, base)
        yield from sorted(found, key=lambda marker: marker.offset)


def _markers(pattern: re.Pattern[str], text: str, base: int) -> Iterator[Marker]:
    for match in pattern.finditer(text):
        ids = tuple(part.strip() for part in match["ids"].split(","))
        yield Marker(base + match.start(), match["link"], ids)
