"""Where each option of a directive is written, so a warning about it points at its line.

Docutils and MyST hand a directive its options as a dict, without lines; the
directive's ``block_text`` still holds the text as written, from the directive's
first line. Options come first: an RST field list (``:name: value``) up to the first
blank line, the same ``:name: value`` lines at the top of a MyST body, or a MyST
YAML block between ``---`` lines. An option not found there (given on the
directive's first line's continuation, or by another extension) has no line here,
and its warning stays at the directive's line.
"""

from __future__ import annotations

import re
from typing import Any

#: ``:name: value`` (RST, MyST) at the start of a line; the name as docutils reads it.
_FIELD = re.compile(r":((?:\\.|[^:\\])+):(?:\s|$)")
#: ``name: value`` at the top level of a MyST YAML option block.
_YAML_KEY = re.compile(r"([^\s:#][^:]*?)\s*:(?:\s|$)")
_FENCE = "---"


def option_offsets(block_text: str) -> dict[str, int]:
    """``{option name: lines after the directive's first line}`` for the options written
    in ``block_text``; the first line of each, and the first writing of a name given twice."""
    lines = block_text.splitlines()[1:]
    offsets: dict[str, int] = {}
    if lines and lines[0].strip() == _FENCE:
        for offset, line in enumerate(lines[1:], start=2):
            if line.strip() == _FENCE:
                break
            match = _YAML_KEY.match(line)
            if match:
                offsets.setdefault(match.group(1).strip().lower(), offset)
        return offsets
    for offset, line in enumerate(lines, start=1):
        text = line.strip()
        if not text:
            break  # the options end at the first blank line; the content follows
        match = _FIELD.match(text)
        if match:
            name = re.sub(r"\\(.)", r"\1", match.group(1)).strip().lower()
            offsets.setdefault(name, offset)
    return offsets


def option_line(directive: Any, name: str) -> int | None:
    """The line of option ``name`` counted from the directive's own line, or ``None``.

    Computed once per directive instance, and only when asked (a warning, or an item
    with links): most directives never pay for it.
    """
    offsets = getattr(directive, "_techspec_option_offsets", None)
    if offsets is None:
        offsets = option_offsets(getattr(directive, "block_text", "") or "")
        directive._techspec_option_offsets = offsets
    return offsets.get(name.lower())


def option_source_line(directive: Any, name: str) -> tuple[str, int] | None:
    """The file and line of option ``name`` of ``directive``, or ``None`` when not known.

    The line is mapped through the parser's own line table, as the directive's line
    is: an option in an included file gets that file's line, and a directive written
    by code (an import's generated text, every line located at its directive) gets
    the line that text is located at.
    """
    offset = option_line(directive, name)
    if offset is None:
        return None
    try:
        source, line = directive.state_machine.get_source_and_line(directive.lineno + offset)
    except Exception:  # a state machine without a line table (a mock): not known
        return None
    if not source or not line:
        return None
    return source, line


def option_location(directive: Any, name: str) -> Any:
    """Where a warning about option ``name`` of ``directive`` points: ``file:line`` of
    the option, or the directive's own location when the option's line is not known."""
    found = option_source_line(directive, name)
    if found is None:
        return directive.get_location()
    return f"{found[0]}:{found[1]}"
