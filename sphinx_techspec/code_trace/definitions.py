"""Definitions in languages other than Python, by a small table of patterns.

A line with code is a definition when it matches one of :data:`PATTERNS` (keyword-led
forms such as ``fn``, ``func``, ``function``, ``def``, ``class``, ``struct``,
``interface``, ``impl``, ``type``; SQL's ``CREATE FUNCTION|PROCEDURE|TABLE|VIEW``;
JavaScript's ``const name = (...) =>``; and the C family's ``Type name(...)`` not ending
in ``;``), unless its first word is a statement keyword (``if``, ``return``, ``new``...).
Annotation lines right above it (``@Test``, ``#[test]``, ``[Fact]``) are part of it.
Its range runs to the brace that closes the ``{`` on its line (or on the next line,
when that line starts with ``{``); without such a brace it is the one line.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

from .binding import Definition

_MODIFIERS = (
    r"(?:(?:export|default|public|private|protected|internal|static|final|abstract|sealed|"
    r"open|override|async|unsafe|extern(?:\s+\"[^\"]*\")?|inline|virtual|const|partial|data|"
    r"suspend|readonly|declare|pub(?:\([\w:\s]+\))?)\s+)*"
)
_NAME = r"[A-Za-z_$][\w$]*"

#: The definition forms, tried in order; group 1 is the name.
PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(r"^\s*" + pattern)
    for pattern in (
        rf"{_MODIFIERS}(?:class|struct|interface|enum|union|trait|protocol|record|object|"
        rf"module|namespace|extension|type|typealias|impl(?:<[^>]*>)?)\s+"
        rf"(?:[\w:<>]+\s+for\s+)?({_NAME})",
        rf"{_MODIFIERS}(?:function\*?|func|fun|fn|def|sub|proc|procedure)\s+"
        rf"(?:\([^)]*\)\s*)?(?:<[^>]*>\s*)?(?:[\w$]+\.)*({_NAME})",
        rf"{_MODIFIERS}(?:const|let|var|val)\s+({_NAME})\s*(?::[^=]+)?=\s*(?:async\s+)?"
        rf"(?:function\b|\([^)]*\)\s*(?::[^=]+)?=>|{_NAME}\s*=>)",
        r"(?i:create\s+(?:or\s+replace\s+)?(?:function|procedure|table|view|trigger|index|type|"
        r"materialized\s+view)\s+(?:if\s+not\s+exists\s+)?([\w.\"`]+))",
        r"(?:[\w:<>,\[\]*&?]+\s+)+[*&]*((?:[A-Za-z_]\w*::)*~?[A-Za-z_]\w*)"
        r"\s*\([^;]*$",
        rf"{_MODIFIERS}(?:get\s+|set\s+|\*\s*)?({_NAME})\s*\([^;]*\)\s*(?::\s*[^{{;]+)?\{{\s*$",
    )
)
#: A line starting with one of these is a statement, not a definition.
STATEMENT_WORDS = frozenset(
    {
        *("if", "else", "elif", "for", "foreach", "while", "do", "switch", "case", "goto"),
        *("return", "new", "throw", "await", "yield", "delete", "catch", "sizeof"),
        *("using", "import", "from", "include", "print", "echo", "select", "insert", "update"),
    }
)
_ANNOTATION = re.compile(r"^\s*(?:@[\w.]+|#\[|\[[A-Za-z])")
_FIRST_WORD = re.compile(r"\s*([A-Za-z_]+)")


#: Longer lines are not definitions (minified or generated code); it bounds the matching.
MAX_DEFINITION_LINE = 500


def definition_name(line: str) -> str | None:
    """The name the line defines, or ``None`` when it is not a definition."""
    if len(line) > MAX_DEFINITION_LINE:
        return None
    first = _FIRST_WORD.match(line)
    if first and first.group(1) in STATEMENT_WORDS:
        return None
    for pattern in PATTERNS:
        match = pattern.match(line)
        if match:
            return match.group(1).strip('"`')
    return None


def find_definitions(
    lines: Sequence[str], code_lines: set[int], braces: dict[int, int]
) -> list[Definition]:
    """Every definition of a file, named with the definitions holding it (``Store.issue``).

    ``lines`` are the file's lines (``lines[0]`` is line 1), ``code_lines`` the lines
    with code, ``braces`` each ``{``'s line → the line of its ``}``.
    """
    opens = sorted(braces)
    found: list[tuple[str, int, int, int]] = []
    for number in sorted(code_lines):
        if number > len(lines) or _ANNOTATION.match(lines[number - 1]):
            continue
        name = definition_name(lines[number - 1])
        if name is None:
            continue
        first = number
        while first - 1 in code_lines and _ANNOTATION.match(lines[first - 2]):
            first -= 1
        found.append((name, first, number, _end_line(number, lines, opens, braces)))
    return _qualified(found)


def _qualified(found: list[tuple[str, int, int, int]]) -> list[Definition]:
    """Each definition named with those holding it, by a stack of the open ones."""
    definitions: list[Definition] = []
    open_ones: list[tuple[str, int, int, int]] = []
    for name, first, number, end in sorted(found, key=lambda d: (d[1], -d[3], d[2])):
        while open_ones and open_ones[-1][3] < first:
            open_ones.pop()
        holders = [h[0] for h in open_ones if h[3] >= end and h[3] > h[2]]
        qualified = ".".join([*holders, name])
        definitions.append(Definition(qualified, first, number, end))
        open_ones.append((name, first, number, end))
    return definitions


def _end_line(number: int, lines: Sequence[str], opens: list[int], braces: dict[int, int]) -> int:
    body_line = number
    if "{" not in lines[number - 1]:
        following = lines[number] if number < len(lines) else ""
        if not following.lstrip().startswith("{"):
            return number
        body_line = number + 1
    index = bisect.bisect_left(opens, body_line)
    if index < len(opens) and opens[index] == body_line:
        return max(braces[body_line], number)
    return number
