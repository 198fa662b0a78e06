"""What changed between two sets of records: items added, removed, changed, word by word.

One comparison for the ``changes-since`` view and for ``sphinx-techspec diff``;
each renders it its own way (docutils nodes here in :mod:`.views`, Markdown or
JSON in :func:`to_markdown` / :func:`to_json`).
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..model import natural_key
from ..terminal_text import printable
from .lock import LinkKey
from .records import Record

#: One piece of a word diff: ("equal" | "insert" | "delete", text).
Piece = tuple[str, str]


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field (or the title or type) with its value before and after; ``None``: absent."""

    name: str
    before: Any
    after: Any


@dataclass(frozen=True, slots=True)
class ItemChange:
    """A changed item: what differs, field by field, word by word, link by link."""

    id: str
    before: Record
    after: Record
    fields: tuple[FieldChange, ...] = ()
    text: tuple[Piece, ...] | None = None  # None: the text is the same (or unknown)
    links_added: tuple[LinkKey, ...] = ()
    links_removed: tuple[LinkKey, ...] = ()

    def content_changed(self, ignored_fields: Iterable[str] = ()) -> bool:
        """Whether more than ignored fields (a status) changed: what a fingerprint sees."""
        ignored = set(ignored_fields)
        return bool(
            self.text
            or self.links_added
            or self.links_removed
            or any(f.name not in ignored and f.name != "type" for f in self.fields)
        )


@dataclass(frozen=True, slots=True)
class Changes:
    added: tuple[Record, ...] = ()
    removed: tuple[Record, ...] = ()
    changed: tuple[ItemChange, ...] = ()
    #: Whether the old side carried item text (a baseline from before change control had none).
    old_has_text: bool = True

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)

    def summary(self) -> str:
        return f"{len(self.added)} added, {len(self.removed)} removed, {len(self.changed)} changed"


def compare(
    old: Mapping[str, Record], new: Mapping[str, Record], old_has_text: bool = True
) -> Changes:
    """Every difference of content; page, line and rendering are not content."""
    added = tuple(new[i] for i in sorted(new.keys() - old.keys(), key=natural_key))
    removed = tuple(old[i] for i in sorted(old.keys() - new.keys(), key=natural_key))
    changed = []
    for item_id in sorted(old.keys() & new.keys(), key=natural_key):
        change = compare_item(old[item_id], new[item_id])
        if change is not None:
            changed.append(change)
    return Changes(added, removed, tuple(changed), old_has_text)


def compare_item(before: Record, after: Record) -> ItemChange | None:
    fields: list[FieldChange] = []
    if before.type != after.type:
        fields.append(FieldChange("type", before.type, after.type))
    if _words(before.title) != _words(after.title):
        fields.append(FieldChange("title", before.title, after.title))
    for name in sorted(before.fields.keys() | after.fields.keys()):
        old_value, new_value = before.fields.get(name), after.fields.get(name)
        if _normal(old_value) != _normal(new_value):
            fields.append(FieldChange(name, old_value, new_value))
    text = None
    if (
        before.text is not None
        and after.text is not None
        and _words(before.text) != _words(after.text)
    ):
        text = tuple(word_diff(before.text, after.text))
    old_links, new_links = set(before.link_keys()), set(after.link_keys())
    links_added = _sorted_links(new_links - old_links)
    links_removed = _sorted_links(old_links - new_links)
    if not (fields or text or links_added or links_removed):
        return None
    return ItemChange(after.id, before, after, tuple(fields), text, links_added, links_removed)


def _words(text: str) -> list[str]:
    return text.split()


def _normal(value: Any) -> Any:
    if value in (None, "", []):
        return None
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return value


def _sorted_links(keys: Iterable[LinkKey]) -> tuple[LinkKey, ...]:
    return tuple(sorted(keys, key=lambda k: (k[1], natural_key(k[2]))))


def word_diff(old: str, new: str) -> list[Piece]:
    """The new text with deleted and inserted runs of words; whitespace is not a change."""
    before, after = old.split(), new.split()
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    pieces: list[Piece] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pieces.append(("equal", " ".join(before[i1:i2])))
            continue
        if tag in ("delete", "replace"):
            pieces.append(("delete", " ".join(before[i1:i2])))
        if tag in ("insert", "replace"):
            pieces.append(("insert", " ".join(after[j1:j2])))
    return pieces


def value_text(value: Any) -> str:
    """A field value as a reader sees it: lists comma-separated, nothing as an empty string."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict):  # a structured field (an endpoint's request, a response)
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, list | tuple):
        return ", ".join(value_text(v) for v in value)
    return str(value)


def link_text(key: LinkKey) -> str:
    return f"{key[1]} {key[2]}"


# -- Markdown and JSON for the CLI -------------------------------------------------

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")
#: An ``@`` GitHub would read as a mention (of a user or a team): it notifies them.
_MENTION = re.compile(r"(?<![A-Za-z0-9_@])@(?=[A-Za-z0-9])")


def md(text: str) -> str:
    """User text made literal in Markdown: no HTML tag, emphasis or control character, and
    no ``@mention`` (a zero-width space after the ``@``, which GitHub shows as plain text)."""
    literal = _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(printable(text).split()))
    return _MENTION.sub("@\u200b", literal)


def markdown_pieces(pieces: Iterable[Piece]) -> str:
    parts = []
    for kind, text in pieces:
        if kind == "equal":
            parts.append(md(text))
        elif kind == "delete":
            parts.append(f"~~{md(text)}~~")
        else:
            parts.append(f"**{md(text)}**")
    return " ".join(parts)


def to_markdown(changes: Changes, old_label: str, new_label: str) -> str:
    """A pull-request comment: a summary line, then added, removed and changed items."""
    lines = [f"## Spec changes: {md(old_label)} → {md(new_label)}", "", changes.summary() + "."]
    if not changes:
        return "\n".join([*lines, "", "No items changed."]) + "\n"
    if changes.added:
        lines += ["", f"### Added ({len(changes.added)})", ""]
        lines += [f"- **{md(r.id)}** {md(r.title)} ({md(r.type)})" for r in changes.added]
    if changes.removed:
        lines += ["", f"### Removed ({len(changes.removed)})", ""]
        lines += [f"- ~~{md(r.id)}~~ {md(r.title)} ({md(r.type)})" for r in changes.removed]
    if changes.changed:
        lines += ["", f"### Changed ({len(changes.changed)})"]
        for change in changes.changed:
            lines += ["", f"#### {md(change.id)} {md(change.after.title)}", ""]
            if change.fields:
                lines += ["| field | before | after |", "| --- | --- | --- |"]
                lines += [
                    f"| {md(f.name)} | {md(value_text(f.before))} | {md(value_text(f.after))} |"
                    for f in change.fields
                ]
                lines.append("")
            if change.text is not None:
                lines += [f"Text: {markdown_pieces(change.text)}", ""]
            if change.links_added:
                added = ", ".join(md(link_text(k)) for k in change.links_added)
                lines += [f"Links added: {added}", ""]
            if change.links_removed:
                removed = ", ".join(md(link_text(k)) for k in change.links_removed)
                lines += [f"Links removed: {removed}", ""]
            while lines[-1] == "":
                lines.pop()
    if not changes.old_has_text:
        lines += [
            "",
            "_The old side has no item text (built before change control), so text "
            "changes are not shown._",
        ]
    return "\n".join(lines) + "\n"


def to_json(changes: Changes) -> dict[str, Any]:
    def brief(record: Record) -> dict[str, Any]:
        return {"id": record.id, "type": record.type, "title": record.title}

    return {
        "summary": {
            "added": len(changes.added),
            "removed": len(changes.removed),
            "changed": len(changes.changed),
        },
        "added": [brief(r) for r in changes.added],
        "removed": [brief(r) for r in changes.removed],
        "changed": [
            {
                **brief(c.after),
                "fields": [
                    {"name": f.name, "before": f.before, "after": f.after} for f in c.fields
                ],
                "text": [{"op": kind, "text": text} for kind, text in c.text]
                if c.text is not None
                else None,
                "links_added": [{"link": k[1], "target": k[2]} for k in c.links_added],
                "links_removed": [{"link": k[1], "target": k[2]} for k in c.links_removed],
            }
            for c in changes.changed
        ],
    }
