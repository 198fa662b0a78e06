"""Reading a JSON file someone else wrote (needs.json, a linked project, the lock, a baseline).

Python's ``json.loads`` raises more than ``JSONDecodeError`` on hostile input: an
integer of more than 4,300 digits is a ``ValueError``, deep nesting a
``RecursionError``; and what it accepts can still break us later: ``NaN`` and
``1e999`` (no strict JSON writer takes them back), lone surrogates (no UTF-8 writer
encodes them) and control characters such as ESC (ANSI colour codes in a terminal,
text no XML export can hold). :func:`load_json` is the one reader of such files: it
either returns plain JSON data with those characters replaced by U+FFFD, or raises
:class:`ForeignJSONError` with a message and the line to blame.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Any

#: Longest integer read, in digits (Python's own limit for ``int(str)`` is 4,300).
MAX_DIGITS = 1000
#: Deepest nesting of arrays and objects read (the exports are at most 6 deep).
MAX_DEPTH = 100
#: Characters replaced in every string: C0 controls but tab, line feed and carriage
#: return; DEL and the C1 controls (U+009B is a terminal's CSI); lone surrogates.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
REPLACEMENT = "\ufffd"
_TOO_DEEP = f"nested too deeply to read (more than {MAX_DEPTH} levels)"
#: How such a character can appear in JSON text at all: as an escape (raw control
#: characters are a syntax error). Text without one needs no walk over its strings.
_ESCAPED_CONTROL = re.compile(
    r"\\u(?:00[01][0-9a-fA-F]|007[fF]|00[89][0-9a-fA-F]|[dD][89a-fA-F][0-9a-fA-F]{2})|\\[bf]"
)
#: Lone surrogates only: what no UTF-8 writer can encode, replaced even in our own files.
SURROGATE = re.compile("[\ud800-\udfff]")
_ESCAPED_SURROGATE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_LONG_NUMBER = re.compile(rf"[-\d]\d{{{MAX_DIGITS}}}")


class ForeignJSONError(ValueError):
    """A JSON file that cannot be used; ``line`` is 0 when no line applies."""

    def __init__(self, message: str, line: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.line = line

    def located(self) -> str:
        """The message with its line, for a warning located elsewhere (at conf.py)."""
        if not self.line:
            return self.message
        head, parenthesis, rest = self.message.partition(" (")
        if parenthesis:
            return f"{head} (line {self.line}: {rest}"
        return f"{self.message} (line {self.line})"


@dataclass(frozen=True, slots=True)
class ForeignJSON:
    """Parsed data, and how many strings had characters replaced (first at ``line``)."""

    value: Any
    replaced: int = 0
    line: int = 0

    def note(self) -> str:
        """What was replaced, for a warning; empty when nothing was."""
        if not self.replaced:
            return ""
        strings = "string holds" if self.replaced == 1 else f"{self.replaced} strings hold"
        return (
            f"{strings} control characters or lone surrogates (first on line {self.line}); "
            "they are read as U+FFFD"
        )


class _Refused(Exception):
    def __init__(self, message: str, needle: str = "") -> None:
        self.message = message
        self.needle = needle


def _integer(text: str) -> int:
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise _Refused(
            f"a number of {len(text.lstrip('-'))} digits; at most {MAX_DIGITS} are read", text
        )
    return int(text)


def _float(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise _Refused(f"the number {text[:40]!r} is too large", text)
    return value


def _constant(name: str) -> Any:
    raise _Refused(f"{name} is not a JSON value", name)


def load_json(data: bytes | str, keep_controls: bool = False) -> ForeignJSON:
    """``data`` (UTF-8 bytes, a BOM allowed, or text) as plain JSON data; never raises but
    :class:`ForeignJSONError`.

    ``keep_controls``: replace lone surrogates only, for files of ours (the lock, a
    baseline) that must read back exactly what a build wrote; their text is printed
    through :func:`sphinx_techspec.terminal_text.printable`.
    """
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            raise ForeignJSONError(f"not UTF-8 text ({exc.reason})", line) from None
    else:
        text = data.removeprefix("\ufeff")
    try:
        value = json.loads(text, parse_int=_integer, parse_float=_float, parse_constant=_constant)
    except json.JSONDecodeError as exc:
        raise ForeignJSONError(f"not valid JSON ({exc.msg})", exc.lineno) from None
    except _Refused as exc:
        raise ForeignJSONError(f"not usable JSON ({exc.message})", _line_of(text, exc)) from None
    except (RecursionError, MemoryError):
        raise ForeignJSONError(
            f"nested too deeply to read (more than {MAX_DEPTH} levels)"
        ) from None
    except ValueError as exc:  # any other limit of the parser: say so, never raise it
        raise ForeignJSONError(f"not usable JSON ({exc})") from None
    pattern = SURROGATE if keep_controls else CONTROL
    needs_cleaning = (_ESCAPED_SURROGATE if keep_controls else _ESCAPED_CONTROL).search(text)
    deep = text.count("[") + text.count("{") > MAX_DEPTH
    replaced = _check(value, pattern if needs_cleaning else None, deep)
    line = text.count("\n", 0, needs_cleaning.start()) + 1 if needs_cleaning and replaced else 0
    return ForeignJSON(replaced[0] if replaced else value, replaced[1] if replaced else 0, line)


def _line_of(text: str, refused: _Refused) -> int:
    if refused.needle and len(refused.needle) > MAX_DIGITS:
        found = _LONG_NUMBER.search(text)
        position = found.start() if found else -1
    else:
        position = text.find(refused.needle) if refused.needle else -1
    return text.count("\n", 0, position) + 1 if position >= 0 else 0


def _check(value: Any, pattern: re.Pattern[str] | None, deep: bool) -> tuple[Any, int] | None:
    """The value with ``pattern``'s characters replaced (and how many strings had some),
    ``None`` when nothing was to do; refuses nesting deeper than :data:`MAX_DEPTH`.

    Iterative, so no depth exhausts Python's stack; skipped when the text shows it has
    nothing to do (no escaped control character, too few brackets to be deep).
    """
    if not (pattern or deep):
        return None
    clean = pattern is not None
    count = 0

    def fix(text: str) -> str:
        nonlocal count
        cleaned = pattern.sub(REPLACEMENT, text) if pattern else text
        count += cleaned != text
        return cleaned

    root: list[Any] = [value]
    stack: list[tuple[Any, int]] = [(root, 0)]
    while stack:
        container, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ForeignJSONError(_TOO_DEEP)
        if isinstance(container, dict):
            entries = list(container.items())
            if clean:
                fixed = [(fix(k), fix(v) if isinstance(v, str) else v) for k, v in entries]
                if fixed != entries:
                    container.clear()
                    container.update(fixed)
                entries = fixed
            children = [v for _k, v in entries if isinstance(v, dict | list)]
        else:
            if clean:
                for index, entry in enumerate(container):
                    if isinstance(entry, str):
                        container[index] = fix(entry)
            children = [v for v in container if isinstance(v, dict | list)]
        stack.extend((child, depth + 1) for child in children)
    return root[0], count
