"""Text from files, made safe to print: no control character reaches a terminal.

A title holding ``ESC[2J`` clears the screen of whoever runs ``sphinx-techspec
suspects``; a carriage return overwrites the line before it; ``U+009B`` is a
terminal's control sequence introducer too. Commands print file data through
:func:`printable`, which drops escape sequences and control characters and makes
line breaks and tabs single spaces, so each record stays on its line.
"""

from __future__ import annotations

import re

#: An escape sequence (CSI with parameters, OSC up to its terminator, or ESC and one
#: character), then any C0, DEL or C1 control character left.
_SEQUENCE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"
    r"|(?:\x1b\]|\x9d)[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b[@-Z\\-_]?"
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_BREAK = re.compile(r"[\t\n\r]+")


def printable(text: object) -> str:
    """``text`` as one line a terminal shows as written: no escape sequence, no control."""
    without_sequences = _SEQUENCE.sub("", str(text))
    return _CONTROL.sub("", _BREAK.sub(" ", without_sequences))


def escape_json_controls(text: str) -> str:
    """JSON text with DEL and the C1 controls escaped too (``json.dumps`` escapes C0 only)."""
    return re.sub("[\x7f-\x9f]", lambda m: f"\\u{ord(m.group()):04x}", text)
