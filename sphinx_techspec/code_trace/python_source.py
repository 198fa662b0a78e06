"""Markers in Python: comments found by ``tokenize``, definitions and docstrings by ``ast``.

A comment marker binds by the rule of :mod:`.binding` (decorators count as the first
line of what they decorate); a docstring's markers and ``:implements: REQ-1`` fields
bind to the module, class or function the docstring documents. Methods and nested
classes are named with their class (``TokenStore.issue``).
"""

from __future__ import annotations

import ast
import io
import tokenize
from collections.abc import Iterator

from .binding import Binder, Definition
from .markers import Marker, MarkerSyntax
from .source_text import LineIndex

#: Tokens that are not code: a line holding only these is a comment or blank line.
_NOT_CODE = {
    tokenize.COMMENT,
    tokenize.NL,
    tokenize.NEWLINE,
    tokenize.INDENT,
    tokenize.DEDENT,
    tokenize.ENCODING,
    tokenize.ENDMARKER,
}
_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)

#: (marker line, marker, definition or None for the module)
Found = tuple[int, Marker, Definition | None]


class NotPython(Exception):
    """The file does not parse as Python; the caller scans it as text."""


def python_markers(text: str, syntax: MarkerSyntax) -> Iterator[Found]:
    """Every marker of a Python file with what it binds to; raises :class:`NotPython`."""
    try:
        tree = ast.parse(text)
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (SyntaxError, ValueError, RecursionError, MemoryError, tokenize.TokenError):
        raise NotPython from None
    lines = LineIndex(text)
    owners: list[tuple[ast.AST, Definition | None]] = [(tree, None)]
    definitions: list[Definition] = []
    for node, definition in _definitions(tree):
        definitions.append(definition)
        owners.append((node, definition))
    code_lines: set[int] = set()
    comments: list[tokenize.TokenInfo] = []
    for token in tokens:
        if token.type == tokenize.COMMENT:
            comments.append(token)
        elif token.type not in _NOT_CODE:
            code_lines.update(range(token.start[0], token.end[0] + 1))
    binder = Binder(definitions, code_lines)
    for token in comments:
        base = lines.start(token.start[0])
        for marker in syntax.in_comment(token.string, base):
            yield token.start[0], marker, binder.bind(token.start[0])
    for owner, definition in owners:
        docstring = _docstring_node(owner)
        if docstring is None:
            continue
        start = lines.start(docstring.lineno)
        end = lines.start((docstring.end_lineno or docstring.lineno) + 1)
        segment = text[start:end]
        for marker in syntax.in_docstring(segment, start):
            yield lines.line(marker.offset), marker, definition


def _definitions(tree: ast.AST) -> Iterator[tuple[ast.AST, Definition]]:
    """Every function and class with its qualified name; a loop, not recursion, so a deep
    expression the parser accepted cannot exhaust the stack."""
    stack: list[tuple[ast.AST, str]] = [(tree, "")]
    while stack:
        node, qualifier = stack.pop()
        for child in ast.iter_child_nodes(node):
            if isinstance(child, _DEFINITIONS):
                name = f"{qualifier}{child.name}"
                first = min([child.lineno, *(d.lineno for d in child.decorator_list)])
                end = child.end_lineno or child.lineno
                yield child, Definition(name, first, child.lineno, end)
                stack.append((child, f"{name}."))
            elif isinstance(child, ast.stmt | ast.excepthandler | ast.match_case):
                stack.append((child, qualifier))


def _docstring_node(node: ast.AST) -> ast.expr | None:
    body = getattr(node, "body", None)
    if not isinstance(body, list) or not body:
        return None
    first = body[0]
    if (
        isinstance(first, ast.Expr)
        and isinstance(first.value, ast.Constant)
        and isinstance(first.value.value, str)
    ):
        return first.value
    return None
