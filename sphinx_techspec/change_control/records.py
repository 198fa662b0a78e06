"""What change control compares: one record per item, from a build or a techspec.json.

A :class:`Record` holds what a reviewer calls the item's content (type, title,
text as written, fields, outgoing links) and its fingerprint. Records come from
the domain of the running build or from a ``techspec.json`` file (a baseline, the
last build's export, the two sides of ``sphinx-techspec diff``), so the same
comparison code serves the build and the CLI.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..domain import TechspecDomain
from ..exports.techspec_json import FORMAT_VERSION, json_value
from ..model import Item, natural_key
from .versioned import UnusableFile, versioned_object

#: Fields left out of the fingerprint unless configured otherwise: a status records the
#: outcome of a review, so approving a requirement must not make its tests suspect.
DEFAULT_IGNORED_FIELDS = ("status",)


@dataclass(frozen=True, slots=True)
class Record:
    """One item as change control sees it; ``text`` is ``None`` when the source had none."""

    id: str
    type: str
    title: str
    text: str | None
    fields: Mapping[str, Any]
    links: Mapping[str, tuple[str, ...]]
    fingerprint: str | None
    docname: str = ""
    lineno: int = 0

    def link_keys(self) -> Iterable[tuple[str, str, str]]:
        """(source, link type, target) of every outgoing link, sorted."""
        for link_name in sorted(self.links):
            for target in sorted(self.links[link_name], key=natural_key):
                yield (self.id, link_name, target)

    def as_item(self) -> Item:
        """A stand-in :class:`Item`, so the shared view filters can test a removed item."""
        return Item(
            self.id,
            self.type,
            self.title,
            self.docname,
            self.lineno,
            "",
            dict(self.fields),
            dict(self.links),
        )


def fingerprint(
    title: str,
    text: str,
    fields: Mapping[str, Any],
    links: Mapping[str, Iterable[str]],
    ignored_fields: Iterable[str] = DEFAULT_IGNORED_FIELDS,
) -> str:
    """A stable hash of the content: no page, line, anchor or rendering goes in.

    Whitespace runs are one space and link targets are sorted, so moving an item
    or rewrapping its paragraphs keeps the fingerprint; a word, a field value or a
    link changes it.
    """
    ignored = set(ignored_fields)
    payload = {
        "title": " ".join(title.split()),
        "text": " ".join(text.split()),
        "fields": {
            name: json_value(value)
            for name, value in sorted(fields.items())
            if name not in ignored and value not in (None, "", [])
        },
        "links": {
            name: sorted(set(targets), key=natural_key)
            for name, targets in sorted(links.items())
            if targets
        },
    }
    data = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(data.encode("utf-8", "surrogatepass")).hexdigest()[:16]


#: Fields that instruct the build rather than describe the item (``:change: editorial``).
INSTRUCTION_FIELDS = ("change",)


def item_fingerprint(item: Item, ignored_fields: Iterable[str]) -> str:
    ignored = (*ignored_fields, *INSTRUCTION_FIELDS)
    return fingerprint(item.title, item.text, item.fields, item.links, ignored)


#: Fingerprints of the previous build: the ignored fields, and per item ID its
#: ``(digest, text, fingerprint)``; an item whose digest and text are unchanged keeps it.
KnownFingerprints = tuple[tuple[str, ...], dict[str, tuple[Any, str, str]]]


def records_from_domain(
    domain: TechspecDomain,
    ignored_fields: Iterable[str],
    known: KnownFingerprints | None = None,
) -> tuple[dict[str, Record], KnownFingerprints]:
    """Every item's record, and the fingerprints to pass as ``known`` to the next build.

    A fingerprint is a hash of the item's content (:func:`fingerprint`); an item whose
    digest (title, fields, links...) and text equal the previous build's keeps the
    previous fingerprint, so a rebuild that re-read nothing hashes nothing.
    """
    ignored = tuple(ignored_fields)
    usable = isinstance(known, tuple) and len(known) == 2 and known[0] == ignored
    previous = known[1] if usable else {}  # type: ignore[index]
    digests = domain.item_digests()
    fingerprints: dict[str, tuple[Any, str, str]] = {}
    records = {}
    for item in domain.items.values():
        digest = digests[item.id]
        entry = previous.get(item.id)
        if entry is None or entry[0] != digest or entry[1] != item.text:
            entry = (digest, item.text, item_fingerprint(item, ignored))
        fingerprints[item.id] = entry
        records[item.id] = Record(
            item.id,
            item.type,
            item.title,
            item.text,
            {
                name: json_value(value)
                for name, value in item.fields.items()
                if name not in INSTRUCTION_FIELDS
            },
            dict(item.links),
            entry[2],
            item.docname,
            item.lineno,
        )
    return records, (ignored, fingerprints)


class DocumentError(UnusableFile):
    """A techspec.json that cannot be used; ``line`` is 0 when no line applies."""


@dataclass(frozen=True, slots=True)
class Document:
    """A techspec.json read for comparison: its records and what it says about itself."""

    records: dict[str, Record]
    project: str = ""
    version: str = ""
    has_text: bool = True


def parse_document(data: str) -> Document:
    """Records from the text of a techspec.json; raises :class:`DocumentError` if unusable."""
    try:
        document = versioned_object(data, "techspec.json export", "techspec.json", FORMAT_VERSION)
    except UnusableFile as exc:
        raise DocumentError(exc.message, exc.line) from None
    items = document.get("items")
    if not isinstance(items, dict):
        raise DocumentError("'items' is missing or not an object", 1)
    records: dict[str, Record] = {}
    has_text = True
    for key, entry in items.items():
        record = _record(key, entry, data)
        records[record.id] = record
        has_text = has_text and record.text is not None
    return Document(
        records,
        str(document.get("project") or ""),
        str(document.get("version") or ""),
        has_text,
    )


def _record(key: str, entry: Any, data: str) -> Record:
    line = _line_of(data, key)
    if not isinstance(entry, dict):
        raise DocumentError(f"item {key!r} is not an object", line)
    problems = []
    for name, kind in (("type", str), ("title", str), ("fields", dict), ("links", dict)):
        if not isinstance(entry.get(name), kind):
            problems.append(
                f"'{name}' is missing or not {'a string' if kind is str else 'an object'}"
            )
    links = entry.get("links") if isinstance(entry.get("links"), dict) else {}
    for name, targets in links.items():
        if not isinstance(targets, list) or not all(isinstance(t, str) for t in targets):
            problems.append(f"links {name!r} is not a list of IDs")
    text = entry.get("text")
    if text is not None and not isinstance(text, str):
        problems.append("'text' is not a string")
    fingerprint_value = entry.get("fingerprint")
    if fingerprint_value is not None and not isinstance(fingerprint_value, str):
        problems.append("'fingerprint' is not a string")
    if problems:
        raise DocumentError(f"item {key!r}: {'; '.join(problems)}", line)
    lineno = entry.get("lineno")
    return Record(
        str(entry.get("id") or key),
        entry["type"],
        entry["title"],
        text,
        entry["fields"],
        {name: tuple(targets) for name, targets in links.items()},
        fingerprint_value,
        str(entry.get("docname") or ""),
        lineno if isinstance(lineno, int) and not isinstance(lineno, bool) else 0,
    )


def _line_of(data: str, key: str) -> int:
    """The line where ``"key": {`` starts, for a located message (0: not found)."""
    needle = json.dumps(key, ensure_ascii=False) + ":"
    position = data.find(needle)
    if position < 0:
        needle = json.dumps(key) + ":"
        position = data.find(needle)
    return data.count("\n", 0, position) + 1 if position >= 0 else 0
