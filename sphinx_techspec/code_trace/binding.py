"""Which definition a marker belongs to: the one just below it, else the one it stands in.

One rule for every language; only how definitions are found differs (Python through
``ast``, other languages through :mod:`.definitions`):

1. A marker on a line without code (a comment line) binds to the definition whose
   first line (decorators and annotations included) is the next line with code.
2. Otherwise it binds to the innermost definition whose lines hold the marker.
3. Otherwise it binds to the file: no symbol, the marker's own line.
"""

from __future__ import annotations

import bisect
from collections.abc import Collection, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Definition:
    """A function, class or the like: its qualified name and lines.

    ``first_line`` is where a marker "just above" it is measured (its first decorator
    or annotation), ``line`` the line that names it, ``end_line`` its last line.
    """

    name: str
    first_line: int
    line: int
    end_line: int


class Binder:
    """Binds marker lines to definitions, for one file."""

    def __init__(self, definitions: Sequence[Definition], code_lines: Collection[int]) -> None:
        self.definitions = sorted(definitions, key=lambda d: (d.first_line, -d.end_line))
        self.code_lines = sorted(set(code_lines))
        self.code_line_set = set(code_lines)

    def bind(self, marker_line: int) -> Definition | None:
        if marker_line not in self.code_line_set:
            below = self._next_code_line(marker_line)
            for definition in self.definitions:
                if definition.first_line == below:
                    return definition  # the outermost one starting there
        holding = [d for d in self.definitions if d.first_line <= marker_line <= d.end_line]
        if holding:
            return max(holding, key=lambda d: (d.first_line, -d.end_line))
        return None

    def _next_code_line(self, line: int) -> int | None:
        index = bisect.bisect_right(self.code_lines, line)
        return self.code_lines[index] if index < len(self.code_lines) else None
