"""Markers in any language but Python: comments, then the definitions they bind to.

The common languages go through one regular expression each (:mod:`.comment_syntax`);
every other file type through Pygments' lexer for the file name, which knows the
comment forms of some 500 languages and skips string literals, so a ``//`` inside a
string is not a comment. A file type neither knows is read line by line: a line whose
first characters are ``#``, ``//``, ``--``, ``;``, ``/*``, ``*`` or ``<!--`` is a
comment. Definitions come from :mod:`.definitions`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import Any

from .binding import Binder
from .comment_syntax import SYNTAX_BY_SUFFIX, Tokens, fast_tokens
from .definitions import find_definitions
from .markers import MarkerSyntax
from .python_source import Found
from .source_text import LineIndex

_LEADING_COMMENT = re.compile(r"^[ \t]*(?:#|//|--|;|/\*|\*|<!--)[^\n]*", re.MULTILINE)


@functools.cache
def lexer_for(suffix_or_name: str) -> Any:
    """Pygments' lexer for a file name (cached by suffix: 10,000 files, a few lexers)."""
    from pygments.lexers import get_lexer_for_filename
    from pygments.util import ClassNotFound

    try:
        return get_lexer_for_filename(suffix_or_name, stripnl=False, ensurenl=False)
    except ClassNotFound:
        return None


def lexer_key(path: str) -> str:
    """``x.ts`` for ``src/a/b.ts``; the whole name when there is no suffix (``Makefile``)."""
    name = PurePosixPath(path).name
    suffix = PurePosixPath(name).suffix
    return f"x{suffix}" if suffix else name


def _lex(text: str, lexer: Any, lines: LineIndex) -> Tokens:
    from pygments.token import Comment, Operator, Punctuation, String

    tokens = Tokens()
    stack: list[int] = []
    last_end = -1
    for offset, kind, value in lexer.get_tokens_unprocessed(text):
        is_comment = (kind in Comment and kind not in Comment.Preproc) or kind in String.Doc
        if is_comment:
            if tokens.comments and last_end == offset:
                start, previous = tokens.comments[-1]
                tokens.comments[-1] = (start, previous + value)
            else:
                tokens.comments.append((offset, value))
            last_end = offset + len(value)
            continue
        if not value.strip():
            continue
        first = lines.line(offset)
        tokens.code_lines.update(range(first, lines.line(offset + len(value) - 1) + 1))
        if kind in Punctuation or kind in Operator:
            for index, char in enumerate(value):
                if char == "{":
                    stack.append(lines.line(offset + index))
                elif char == "}" and stack:
                    opened = stack.pop()
                    close = lines.line(offset + index)
                    tokens.braces[opened] = max(tokens.braces.get(opened, 0), close)
    end = lines.line(len(text))
    for opened in stack:  # never closed: runs to the end of the file
        tokens.braces[opened] = max(tokens.braces.get(opened, 0), end)
    return tokens


def _line_comments(text: str, lines: LineIndex) -> Tokens:
    tokens = Tokens()
    comment_lines = set()
    for match in _LEADING_COMMENT.finditer(text):
        tokens.comments.append((match.start(), match.group()))
        comment_lines.add(lines.line(match.start()))
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip() and number not in comment_lines:
            tokens.code_lines.add(number)
    return tokens


def _pygments_tokens(text: str, path: str, lines: LineIndex) -> Tokens:
    lexer = lexer_for(lexer_key(path))
    if lexer is not None:
        try:
            return _lex(text, lexer, lines)
        except Exception:  # a third-party lexer on hostile input: read the lines instead
            pass
    return _line_comments(text, lines)


def other_markers(text: str, path: str, syntax: MarkerSyntax) -> Iterator[Found]:
    """Every marker in the comments of a file that is not (parsable) Python."""
    lines = LineIndex(text)
    fast = SYNTAX_BY_SUFFIX.get(PurePosixPath(path).suffix.lower())
    if fast is not None:
        tokens = fast_tokens(text, fast, lines)
    else:
        tokens = _pygments_tokens(text, path, lines)
    definitions = find_definitions(text.split("\n"), tokens.code_lines, tokens.braces)
    binder = Binder(definitions, tokens.code_lines)
    for offset, comment in tokens.comments:
        for marker in syntax.in_comment(comment, offset):
            line = lines.line(marker.offset)
            yield line, marker, binder.bind(line)
