"""JSON examples that do not parse, found on a page as the editor holds it.

A design item's body (``data-model``, ``api-endpoint``) is split as the build splits
it (:func:`..design.body.split_body`, with the directive's own keys) and each
example goes through the build's JSON reader (:func:`..design.body.load_json`), so
the message is the build's ``bad_json`` warning at the line the JSON error points
at. Only syntax is checked here; whether the value matches its model is the build's
job (it needs every model of the project).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from docutils.statemachine import StringList

from ..design.body import load_json, split_body
from ..design.common import BodyLinesDirective, bad_json_message
from .page_parser import ItemEntry, Span
from .project import ItemTypeInfo


def body_keys(info: ItemTypeInfo | None) -> frozenset[str] | None:
    """The spec-line keys of a type whose body holds examples (``None``: no examples)."""
    directive = info.item_type.directive if info else None
    if isinstance(directive, type) and issubclass(directive, BodyLinesDirective):
        return directive.body_keys
    return None


def example_problems(
    lines: list[str], items: Iterable[ItemEntry], types: Mapping[str, ItemTypeInfo]
) -> list[tuple[Span, str]]:
    """Where each example of the page's design items fails to parse, and the build's words."""
    found: list[tuple[Span, str]] = []
    for item in items:
        keys = body_keys(types.get(item.type))
        if keys is None:
            continue
        first = max(item.line, item.last_option_line) + 1  # 0-based: the body's first line
        content = StringList(lines[first : item.end_line + 1], item.path)
        for example in split_body(content, keys, first + 1).examples:
            _value, error, line = load_json(example)
            if error is None:
                continue
            number = min(max(line - 1, 0), len(lines) - 1)
            text = lines[number]
            span = Span(number, len(text) - len(text.lstrip()), len(text.rstrip()))
            found.append((span, bad_json_message(example, item.id, error, line)))
    return found
