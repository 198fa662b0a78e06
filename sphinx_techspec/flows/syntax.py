"""The line syntax of ``sequence`` and ``workflow`` bodies, read into plain data.

Sequence (one line each; blank lines and lines starting with ``#`` are skipped)::

    User -> ACC-API: POST /password-resets      a request (METHOD /path names an endpoint)
    ACC-API --> User: 202 (no mail sent)        a reply; a leading status is checked
    alt account unknown / else ... / end        alternatives (also opt ... end, loop ... end)
    note ACC-API: text                          a note beside a participant

Workflow::

    start open: The user opens the reset link   a step: KIND NAME: label [ITEM-ID]
    step check: Check the token [API-RESET-CHECK]
    decision valid: Is the token valid?
    end done: Password changed
    fail expired: Link expired
    open -> check                               a transition
    valid -> expired: no                        a transition with a label

Step kinds: ``start``, ``step``, ``decision``, ``end``, ``fail`` (an unhappy end).
The parsers only read; what the names mean is checked once every page is read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..design.endpoints import HTTP_METHODS

BLOCK_OPENERS = ("alt", "opt", "loop")
STEP_KINDS = ("start", "step", "decision", "end", "fail")

_ARROW = re.compile(r"\s*(-->|->)\s*")
_ENDPOINT = re.compile(r"(?P<method>[A-Za-z]+)\s+(?P<path>/\S*)")
_STATUS = re.compile(r"[1-5]\d\d\b")
_STEP = re.compile(
    r"(?P<kind>[a-z]+)\s+(?P<name>[A-Za-z][A-Za-z0-9_-]*)\s*:\s*(?P<text>.*?)"
    r"(?:\s*\[(?P<item>[^\[\]\s]+)\])?\s*\Z"
)
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_-]*\Z")


@dataclass(slots=True)
class Parsed:
    """What a body says (``data``, JSON-ready) and the lines it could not read."""

    data: dict[str, Any] = field(default_factory=dict)
    problems: list[tuple[str, int]] = field(default_factory=list)  # message, source line


def _lines(lines: list[str], first_line: int) -> list[tuple[str, int]]:
    found = []
    for offset, raw in enumerate(lines):
        text = raw.strip()
        if text and not text.startswith("#"):
            found.append((text, first_line + offset))
    return found


def parse_sequence(lines: list[str], first_line: int) -> Parsed:
    """Messages, blocks and notes in order; participants in order of appearance."""
    result = Parsed()
    participants: list[str] = []
    steps: list[dict[str, Any]] = []
    open_blocks: list[tuple[str, int]] = []

    def participant(name: str) -> str:
        name = " ".join(name.split())
        if name not in participants:
            participants.append(name)
        return name

    for text, line in _lines(lines, first_line):
        keyword, _, rest = text.partition(" ")
        if keyword in BLOCK_OPENERS:
            open_blocks.append((keyword, line))
            steps.append({"kind": keyword, "text": rest.strip(), "line": line})
            continue
        if keyword in ("else", "end"):
            if not open_blocks or (keyword == "else" and open_blocks[-1][0] != "alt"):
                what = "an alt block" if keyword == "else" else "an alt, opt or loop block"
                result.problems.append((f"{keyword!r} outside {what}", line))
                continue
            if keyword == "end":
                open_blocks.pop()
            steps.append({"kind": keyword, "text": rest.strip(), "line": line})
            continue
        if keyword == "note":
            who, colon, note = rest.partition(":")
            if not colon or not who.strip():
                result.problems.append((f"note line {text!r} needs 'note PARTICIPANT: text'", line))
                continue
            steps.append(
                {"kind": "note", "at": participant(who), "text": note.strip(), "line": line}
            )
            continue
        step = _message(text, line, result)
        if step is not None:
            step["from"] = participant(step["from"])
            step["to"] = participant(step["to"])
            steps.append(step)
    for keyword, line in open_blocks:
        result.problems.append((f"{keyword!r} block is never closed with 'end'", line))
    result.data = {"participants": participants, "steps": steps}
    return result


def _message(text: str, line: int, result: Parsed) -> dict[str, Any] | None:
    arrow = _ARROW.search(text)
    if arrow is None:
        result.problems.append(
            (f"line {text!r} has no arrow: write 'A -> B: message' or 'B --> A: reply'", line)
        )
        return None
    source = text[: arrow.start()].strip()
    target, colon, message = text[arrow.end() :].partition(":")
    target = target.strip()
    if not colon:
        result.problems.append((f"message {text!r} has no colon: write 'A -> B: message'", line))
        return None
    if not source or not target:
        result.problems.append((f"message {text!r} needs a participant on each side", line))
        return None
    message = message.strip()
    step: dict[str, Any] = {
        "kind": "reply" if arrow.group(1) == "-->" else "request",
        "from": source,
        "to": target,
        "text": message,
        "line": line,
    }
    endpoint = _ENDPOINT.match(message)
    if endpoint and endpoint.group("method").upper() in HTTP_METHODS:
        step["method"] = endpoint.group("method").upper()
        step["path"] = endpoint.group("path")
    status = _STATUS.match(message)
    if status and step["kind"] == "reply":
        step["status"] = status.group(0)
    return step


def parse_workflow(lines: list[str], first_line: int) -> Parsed:
    """Steps (kind, name, label, item) and transitions between their names."""
    result = Parsed()
    steps: list[dict[str, Any]] = []
    transitions: list[dict[str, Any]] = []
    for text, line in _lines(lines, first_line):
        arrow = _ARROW.search(text)
        keyword = text.split(" ", 1)[0]
        colon = text.find(":")
        if keyword in STEP_KINDS and (arrow is None or 0 <= colon < arrow.start()):
            match = _STEP.match(text)
            if match is None or not match.group("text"):
                result.problems.append(
                    (f"step {text!r} needs 'KIND NAME: label', e.g. 'step check: Check it'", line)
                )
                continue
            step = {
                "kind": match.group("kind"),
                "name": match.group("name"),
                "text": match.group("text"),
                "line": line,
            }
            if match.group("item"):
                step["item"] = match.group("item")
            if any(s["name"] == step["name"] for s in steps):
                result.problems.append((f"step {step['name']!r} is declared twice", line))
                continue
            steps.append(step)
            continue
        if arrow is None:
            result.problems.append(
                (
                    f"line {text!r} is neither a step ('KIND NAME: label', KIND one of "
                    f"{', '.join(STEP_KINDS)}) nor a transition ('A -> B' or 'A -> B: label')",
                    line,
                )
            )
            continue
        source = text[: arrow.start()].strip()
        target, _, label_text = text[arrow.end() :].partition(":")
        target = target.strip()
        if not (_NAME.match(source) and _NAME.match(target)):
            result.problems.append(
                (f"transition {text!r} needs step names on both sides: 'A -> B: label'", line)
            )
            continue
        transitions.append({"from": source, "to": target, "text": label_text.strip(), "line": line})
    names = {step["name"] for step in steps}
    for transition in transitions:
        for end in ("from", "to"):
            if transition[end] not in names:
                result.problems.append(
                    (
                        f"transition names unknown step {transition[end]!r} "
                        f"(declared: {', '.join(sorted(names)) or 'none'})",
                        transition["line"],
                    )
                )
    result.data = {
        "steps": steps,
        "transitions": [t for t in transitions if t["from"] in names and t["to"] in names],
    }
    return result
