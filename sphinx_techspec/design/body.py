"""Split a design directive's body into spec lines, JSON examples and prose.

Field lines (``:field name: ...``), parameter lines (``:query limit: ...``) and
examples (``:example response 200:`` plus an indented JSON block) are taken out
of the raw body lines, which are the same in reStructuredText and MyST; what
remains is the description, parsed by the page's own parser.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Any

from docutils.statemachine import StringList

_SPEC_LINE = re.compile(
    r"(?P<indent>\s*):(?P<key>[a-z]+)(?:\s+(?P<arg>[^:]*?))?\s*:(?:\s+(?P<rest>.*))?\Z"
)


@dataclass
class SpecLine:
    """``:key arg: rest`` with its continuation lines joined; ``line`` is 1-based."""

    key: str
    arg: str
    text: str
    line: int


@dataclass
class Example:
    """An ``:example ...:`` block: what it shows and its JSON text."""

    what: str
    text: str
    line: int  # of the first JSON line
    marker_line: int


@dataclass
class SplitBody:
    lines: list[SpecLine]
    examples: list[Example]
    description: StringList


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip())


def split_body(content: StringList, keys: frozenset[str], first_line: int) -> SplitBody:
    """Take the lines whose key is in ``keys`` (and ``example``) out of ``content``.

    ``first_line`` is the 1-based source line of ``content[0]``: docutils and MyST
    number content lines differently, so the directive works it out.
    """
    lines: list[SpecLine] = []
    examples: list[Example] = []
    description = StringList()
    index = 0
    total = len(content)
    while index < total:
        text = content[index]
        source, offset = content.info(index)
        match = _SPEC_LINE.match(text)
        key = match["key"] if match else ""
        if match is None or (key not in keys and key != "example"):
            description.append(text, source, offset)
            index += 1
            continue
        indent = len(match["indent"])
        block_end = index + 1
        # Continuation: following lines indented deeper (blank lines too, for examples).
        while block_end < total:
            following = content[block_end]
            deeper = bool(following.strip()) and _indent(following) > indent
            if deeper or (not following.strip() and key == "example"):
                block_end += 1
            else:
                break
        while block_end > index + 1 and not content[block_end - 1].strip():
            block_end -= 1
        continuation = [content[i] for i in range(index + 1, block_end)]
        lineno = first_line + index
        if key == "example":
            first_json = next(
                (i for i in range(index + 1, block_end) if content[i].strip()), index + 1
            )
            json_line = first_line + first_json if first_json < total else lineno
            body = "\n".join(continuation)
            if match["rest"]:
                body = match["rest"] + "\n" + body
                json_line = lineno
            examples.append(
                Example(" ".join((match["arg"] or "").split()), body, json_line, lineno)
            )
        else:
            joined = " ".join([match["rest"] or "", *(c.strip() for c in continuation)])
            lines.append(SpecLine(key, (match["arg"] or "").strip(), joined.strip(), lineno))
        index = block_end
    return SplitBody(lines, examples, description)


#: Limits of a JSON example: what a spec needs, far below what would hurt a build
#: (deep nesting recurses in every later walk; huge integers are slow to print).
MAX_JSON_CHARS = 200_000
MAX_JSON_DEPTH = 64
MAX_INTEGER_DIGITS = 64


class JsonLimitError(ValueError):
    """A JSON text that is well-formed but beyond :data:`MAX_JSON_DEPTH` and friends."""


def _parse_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INTEGER_DIGITS:
        raise JsonLimitError(f"an integer has more than {MAX_INTEGER_DIGITS} digits")
    return int(text)


def _parse_float(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise JsonLimitError(f"the number {text[:40]} is too large for JSON (it would be Infinity)")
    return value


def _parse_constant(name: str) -> Any:
    raise JsonLimitError(f"{name} is not JSON (strict JSON has no NaN or Infinity)")


def _nesting_depth(text: str) -> int:
    """The deepest bracket nesting outside strings, found without recursion."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def _lone_surrogate(value: Any) -> bool:
    """Whether a string anywhere in ``value`` holds a lone surrogate (``"\\ud800"``)."""
    stack = [value]
    while stack:
        current = stack.pop()
        if isinstance(current, str):
            try:
                current.encode("utf-8")
            except UnicodeEncodeError:
                return True
        elif isinstance(current, dict):
            stack.extend(current.keys())
            stack.extend(current.values())
        elif isinstance(current, list):
            stack.extend(current)
    return False


def strict_json(text: str) -> Any:
    """Parse ``text`` as strict, bounded JSON; ``ValueError`` says what is wrong.

    No ``NaN``/``Infinity``, no lone surrogates, at most :data:`MAX_JSON_CHARS`
    characters, :data:`MAX_JSON_DEPTH` levels and :data:`MAX_INTEGER_DIGITS` digits:
    only values every later step (schemas, exports, writers) can handle.
    """
    if len(text) > MAX_JSON_CHARS:
        raise JsonLimitError(f"it is longer than {MAX_JSON_CHARS} characters")
    if _nesting_depth(text) > MAX_JSON_DEPTH:
        raise JsonLimitError(f"it is nested deeper than {MAX_JSON_DEPTH} levels")
    value = json.loads(
        text, parse_int=_parse_int, parse_float=_parse_float, parse_constant=_parse_constant
    )
    if _lone_surrogate(value):
        raise JsonLimitError("it holds a lone surrogate (an unpaired \\uD800-\\uDFFF escape)")
    return value


def load_json(example: Example) -> tuple[Any, str | None, int]:
    """The example's value, or an error message and the 1-based line it points at."""
    try:
        return strict_json(_dedent(example.text)), None, example.line
    except json.JSONDecodeError as error:
        # The dedented text starts at the example's first JSON line.
        return None, error.msg, example.line + error.lineno - 1
    except (ValueError, RecursionError) as error:
        return None, str(error), example.line


def _dedent(text: str) -> str:
    lines = text.split("\n")
    widths = [_indent(line) for line in lines if line.strip()]
    cut = min(widths) if widths else 0
    return "\n".join(line[cut:] for line in lines).strip("\n")
