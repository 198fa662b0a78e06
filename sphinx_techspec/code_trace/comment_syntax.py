"""Comments of the common languages by one regular expression each: the fast path.

Pygments knows every language but lexes a few hundred kilobytes a second; a tree of
10,000 files with markers in many of them would take many seconds. For the
languages below one compiled expression finds comments, string literals (skipped,
so ``"// @implements"`` in a string is not a marker) and braces in one pass, at the
speed of the ``re`` module. Other file types go to Pygments (:mod:`.other_source`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .source_text import LineIndex

_DOUBLE = r'"(?:[^"\\\n]|\\.)*"?'
_SINGLE = r"'(?:[^'\\\n]|\\.)*'?"
_CHAR = r"'(?:\\.|[^'\\\n]){1,8}'"  # a character literal; a Rust lifetime ('a) is not one
_BACKTICK = r"`(?:[^`\\]|\\.)*`?"
_TRIPLE = r'"""[\s\S]*?(?:"""|\Z)'
_C_BLOCK = r"/\*[\s\S]*?(?:\*/|\Z)"
_C_LINE = r"//[^\n]*"
_HASH_LINE = r"#[^\n]*"
_DASH_LINE = r"--[^\n]*"
_SEMICOLON_LINE = r";[^\n]*"
_XML_BLOCK = r"<!--[\s\S]*?(?:-->|\Z)"


def _syntax(comments: list[str], strings: list[str]) -> re.Pattern[str]:
    parts = [f"(?P<comment>{'|'.join(comments)})"]
    if strings:
        parts.append(f"(?P<string>{'|'.join(strings)})")
    parts.append(r"(?P<brace>[{}])")
    return re.compile("|".join(parts))


_C_FAMILY = _syntax([_C_BLOCK, _C_LINE], [_DOUBLE, _CHAR])
_SCRIPT_FAMILY = _syntax([_C_BLOCK, _C_LINE], [_DOUBLE, _SINGLE, _BACKTICK])
_TRIPLE_QUOTED_FAMILY = _syntax([_C_BLOCK, _C_LINE], [_TRIPLE, _DOUBLE, _CHAR])
_HASH_FAMILY = _syntax([_HASH_LINE], [_DOUBLE, _SINGLE])
_SQL = _syntax([_C_BLOCK, _DASH_LINE], [_SINGLE, _DOUBLE])
_DASH_FAMILY = _syntax([_DASH_LINE], [_DOUBLE])
_SEMICOLON_FAMILY = _syntax([_SEMICOLON_LINE], [_DOUBLE])
_XML_FAMILY = _syntax([_XML_BLOCK], [])

#: File suffix → the expression of its language family.
SYNTAX_BY_SUFFIX: dict[str, re.Pattern[str]] = {
    **dict.fromkeys(
        (".c", ".h", ".cc", ".cpp", ".cxx", ".hh", ".hpp", ".hxx", ".java", ".cs", ".rs"),
        _C_FAMILY,
    ),
    **dict.fromkeys(
        (".kt", ".kts", ".swift", ".scala", ".groovy", ".gradle"), _TRIPLE_QUOTED_FAMILY
    ),
    **dict.fromkeys(
        (".js", ".mjs", ".cjs", ".jsx", ".ts", ".mts", ".cts", ".tsx", ".go", ".dart", ".php"),
        _SCRIPT_FAMILY,
    ),
    **dict.fromkeys(
        (".sh", ".bash", ".zsh", ".rb", ".pl", ".pm", ".r", ".yaml", ".yml", ".toml", ".ps1"),
        _HASH_FAMILY,
    ),
    ".sql": _SQL,
    **dict.fromkeys((".lua", ".hs", ".elm", ".ada", ".adb", ".ads"), _DASH_FAMILY),
    **dict.fromkeys(
        (".lisp", ".el", ".clj", ".cljs", ".scm", ".asm", ".s", ".ini"), _SEMICOLON_FAMILY
    ),
    **dict.fromkeys(
        (".html", ".htm", ".xhtml", ".xml", ".svg", ".vue", ".md", ".markdown"), _XML_FAMILY
    ),
}


@dataclass
class Tokens:
    """What the scanner needs from a file: comments, lines with code, brace pairs."""

    comments: list[tuple[int, str]] = field(default_factory=list)  # (offset, text)
    code_lines: set[int] = field(default_factory=set)
    braces: dict[int, int] = field(default_factory=dict)  # line of "{" → line of its "}"


def fast_tokens(text: str, pattern: re.Pattern[str], lines: LineIndex) -> Tokens:
    """Comments, code lines and braces of ``text`` by one pass of ``pattern``."""
    tokens = Tokens()
    code_parts: list[str] = []
    position = 0
    stack: list[int] = []
    for match in pattern.finditer(text):
        kind = match.lastgroup
        if kind == "comment":
            code_parts.append(text[position : match.start()])
            comment = match.group()
            tokens.comments.append((match.start(), comment))
            code_parts.append("\n" * comment.count("\n"))  # keep the line count
            position = match.end()
        elif kind == "brace":
            line = lines.line(match.start())
            if match.group() == "{":
                stack.append(line)
            elif stack:
                opened = stack.pop()
                tokens.braces[opened] = max(tokens.braces.get(opened, 0), line)
    code_parts.append(text[position:])
    last = lines.line(len(text))
    for opened in stack:  # never closed: runs to the end of the file
        tokens.braces[opened] = max(tokens.braces.get(opened, 0), last)
    code = "".join(code_parts)
    tokens.code_lines = {n for n, line in enumerate(code.split("\n"), start=1) if line.strip()}
    return tokens
