"""Reading a sphinx-needs ``needs.json`` (any version since 1.0) into plain records,
and the one naming rule that turns its names into ours.

The file holds ``{"current_version": V, "versions": {V: {"needs": {ID: need}}}}``.
Which keys of a need are links and which are user fields is read from the
version's ``needs_schema`` (sphinx-needs 6 and later: ``field_type`` ``links`` /
``extra``); older files have no schema, so there a key is a link when its
``<key>_back`` list exists, and a field when it is not one of sphinx-needs' own keys.

A link target may carry a condition (``std_req__iso26262__1[version==1]``): the
link goes to the ID and the condition is kept beside it (:attr:`Need.conditions`),
shown on the item as its ``link-conditions`` field, so nothing is silently dropped.

``migrate-needs`` and ``needs-import`` both name types, fields and link types with
:func:`declare`, so each reads what the other writes. A name becomes lower-case
letters, digits and ``-`` (``std_req`` → ``std-req``); a name of ours it would take
(``component``, ``implements``, ``status``) gets the prefix ``need-``. A name from the
file is never written as given: ``x", "label": exec("…")`` becomes ``x-label-exec``.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..foreign_json import ForeignJSONError, load_json
from ..urls import is_safe_url
from .external import SourceError, read_local
from .pages import reserved_directives

#: sphinx-needs' own keys (any version): computed or internal, never user data.
CORE_KEYS = frozenset(
    [
        "id",
        "type",
        "type_name",
        "title",
        "content",
        "status",
        "tags",
        "docname",
        "doctype",
        "lineno",
        "lineno_content",
        "external_url",
        "external_css",
        "is_external",
        "is_import",
        "is_modified",
        "is_need",
        "is_part",
        "parts",
        "arch",
        "constraints",
        "constraints_error",
        "constraints_passed",
        "constraints_results",
        "has_dead_links",
        "has_forbidden_dead_links",
        "jinja_content",
        "layout",
        "modifications",
        "parent_need",
        "parent_needs",
        "parent_needs_back",
        "post_content",
        "post_template",
        "pre_content",
        "pre_template",
        "section_name",
        "sections",
        "signature",
        "style",
        "template",
        "hide",
        "collapse",
        "delete",
        "full_title",
        "id_complete",
        "id_parent",
        "id_prefix",
        "is_modified",
        "max_amount",
        "max_content_lines",
        "content_id",
        "content_node",
        "target_id",
        "target_node",
        "type_color",
        "type_prefix",
        "type_style",
        "type_title",
        "query",
        "ref_name",
        "title_from_content",
        "url",
        "is_external_url",
        "needs_schema",
    ]
)


#: The two fields every declared type gets when its needs use them.
CONDITIONS_FIELD = "link-conditions"
OUTSIDE_FIELD = "outside-links"
#: Names an item option already has on every type (never a field or link type of ours).
ITEM_OPTIONS = frozenset(["id", "title", "status", "priority", "tags"])
_LINK_CONDITION = re.compile(r"^(?P<id>[^\[\]]*?)\s*\[(?P<condition>[^\[\]]*)\]\s*$")
_NOT_NAME = re.compile(r"[^a-z0-9]+")
MAX_NAME = 60
#: Longest title taken from a need's content when it has none.
MAX_TITLE = 80
_SENTENCE_END = re.compile(r"(?<=[.!?])\s")


@dataclass
class Need:
    """One need, reduced to what sphinx-techspec can use."""

    id: str
    type: str
    title: str
    content: str
    docname: str
    lineno: int
    sections: list[str]
    status: str | None
    tags: list[str]
    fields: dict[str, str | list[str]] = field(default_factory=dict)
    #: Link option → target IDs (conditions removed, each ID once).
    links: dict[str, list[str]] = field(default_factory=dict)
    url: str | None = None
    #: sphinx-needs' label of the type (``Standard Requirement``), when the file has one.
    type_label: str = ""
    #: (link option, target ID, condition) of every link that carried a condition.
    conditions: list[tuple[str, str, str]] = field(default_factory=list)
    #: What was changed on reading (an unsafe URL dropped, an ID with spaces joined).
    notes: list[str] = field(default_factory=list)


def version_needs(document: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """The needs of the file's current version (or its only or last one), and its schema."""
    if not isinstance(document, dict) or not isinstance(document.get("versions"), dict):
        raise SourceError("it is not a sphinx-needs needs.json (no 'versions' object)")
    versions = document["versions"]
    if not versions:
        raise SourceError("it holds no version")
    current = document.get("current_version")
    key = current if isinstance(current, str) and current in versions else sorted(versions)[-1]
    data = versions[key]
    if not isinstance(data, dict) or not isinstance(data.get("needs"), dict):
        raise SourceError(f"version {key!r} has no 'needs' object")
    schema = data.get("needs_schema")
    properties = schema.get("properties") if isinstance(schema, dict) else None
    return data["needs"], properties if isinstance(properties, dict) else {}


def _strings(value: Any) -> list[str]:
    if isinstance(value, list):
        return [
            str(v)
            for v in value
            if isinstance(v, str | int | float) and not isinstance(v, bool) and str(v).strip()
        ]
    if isinstance(value, str) and value.strip():
        return [value]
    return []


def safe_id(raw: str) -> str:
    """An ID as one word: white space (a newline, a space) becomes ``_``."""
    return "_".join(str(raw).split())


def split_target(target: str) -> tuple[str, str]:
    """``ID[version==1]`` → (``ID``, ``version==1``); a plain ID → (ID, "")."""
    match = _LINK_CONDITION.match(target)
    if match and match["id"].strip():
        return safe_id(match["id"]), " ".join(match["condition"].split())
    return safe_id(target), ""


def safe_url(url: str) -> bool:
    """A URL that may become a link: :func:`~sphinx_techspec.urls.is_safe_url`, on one line."""
    return bool(url) and not any(ch in url for ch in "\r\n") and is_safe_url(url)


def _link_keys(raw_needs: dict[str, Any], properties: dict[str, Any]) -> tuple[set, set]:
    link_keys: set[str] = set()
    field_keys: set[str] = set()
    if properties:
        for key, spec in properties.items():
            kind = spec.get("field_type") if isinstance(spec, dict) else None
            if kind == "links" and key != "parent_needs":
                link_keys.add(key)
            elif kind == "extra":
                field_keys.add(key)
    else:
        for need in raw_needs.values():
            if isinstance(need, dict):
                for key in need:
                    if key.endswith("_back") and key[: -len("_back")] in need:
                        link_keys.add(key[: -len("_back")])
        link_keys.discard("parent_needs")
    return link_keys, field_keys


def _fields(raw: dict[str, Any], link_keys: set[str], field_keys: set[str], schema: bool):
    fields: dict[str, str | list[str]] = {}
    for name, value in raw.items():
        if (
            name in CORE_KEYS
            or name in link_keys
            or name.endswith("_back")
            or (schema and name not in field_keys)
        ):
            continue
        if isinstance(value, list):
            if _strings(value):
                fields[name] = _strings(value)
        elif (
            isinstance(value, str | int | float)
            and not isinstance(value, bool)
            and str(value).strip()
        ):
            fields[name] = str(value)
    return fields


def _need(key: str, raw: dict[str, Any], link_keys: set[str], field_keys: set[str], schema: bool):
    need_id = safe_id(raw.get("id") or key)
    notes: list[str] = []
    if need_id != str(raw.get("id") or key):
        notes.append("its ID held white space (joined with '_')")
    links: dict[str, list[str]] = {}
    conditions: list[tuple[str, str, str]] = []
    for name in sorted(link_keys):
        targets: list[str] = []
        for target in _strings(raw.get(name)):
            target_id, condition = split_target(target)
            if condition:
                conditions.append((name, target_id, condition))
            if target_id and target_id not in targets:
                targets.append(target_id)
        if targets:
            links[name] = targets
    # Checked where it becomes a link (urls.checked_url warns techspec.bad_url there).
    url = raw.get("external_url") or raw.get("url")
    lineno = raw.get("lineno")
    status = raw.get("status")
    type_label = raw.get("type_name")
    content = str(raw.get("content") or "")
    title = " ".join(str(raw.get("title") or "").split())
    if not title:
        title = title_from_content(content) or str(type_label or raw.get("type") or need_id)
        notes.append(f"it had no title: {title!r} written as its title")
    return Need(
        id=need_id,
        type=str(raw.get("type") or ""),
        title=title,
        content=content,
        docname=str(raw.get("docname") or "index"),
        lineno=lineno if isinstance(lineno, int) and not isinstance(lineno, bool) else 0,
        sections=_strings(raw.get("sections")),
        status=" ".join(status.split()) or None if isinstance(status, str) else None,
        tags=_strings(raw.get("tags")),
        fields=_fields(raw, link_keys, field_keys, schema),
        links=links,
        url=url if isinstance(url, str) and url else None,
        type_label=type_label if isinstance(type_label, str) else "",
        conditions=conditions,
        notes=notes,
    )


def load_needs(path: Path, notes: list[str] | None = None) -> list[Need]:
    """The needs of a needs.json file, read through the one foreign JSON reader
    (:func:`~sphinx_techspec.foreign_json.load_json`); raises :class:`SourceError` only.

    When characters had to be replaced on reading, what was replaced goes to ``notes``
    (the caller warns or reports it).
    """
    try:
        loaded = load_json(read_local(path))
    except ForeignJSONError as exc:
        raise SourceError(f"it is {exc.located()}") from None
    if loaded.replaced and notes is not None:
        notes.append(loaded.note())
    return read_needs(loaded.value)


def title_from_content(content: str) -> str:
    """The first sentence of a need's first paragraph when that paragraph is prose (not a
    directive, field or line block), cut at MAX_TITLE characters: what sphinx-needs'
    ``title_from_content`` shows for a need written without a title. An item needs one."""
    paragraph = " ".join(content.strip().split("\n\n", 1)[0].split())
    if not paragraph or paragraph.startswith(("..", ":", "|")):
        return ""
    sentence = _SENTENCE_END.split(paragraph, 1)[0]
    if len(sentence) <= MAX_TITLE:
        return sentence
    return sentence[: MAX_TITLE - 1].rsplit(" ", 1)[0] + "\u2026"


def read_needs(document: Any) -> list[Need]:
    """Every need of the file, in (document, line) order, as :class:`Need` records."""
    raw_needs, properties = version_needs(document)
    link_keys, field_keys = _link_keys(raw_needs, properties)
    needs: list[Need] = []
    for key, raw in raw_needs.items():
        if not isinstance(raw, dict):
            raise SourceError(f"need {key!r} is not an object")
        needs.append(_need(key, raw, link_keys, field_keys, bool(properties)))
    needs.sort(key=lambda need: (need.docname, need.lineno, need.id))
    return needs


def parse_map(entries: list[str] | str | None) -> tuple[dict[str, str], list[str]]:
    """``req=requirement, test=test-case`` (or a list of ``A=B``) as a dict, and bad entries."""
    if entries is None:
        return {}, []
    if isinstance(entries, str):
        entries = [part for part in entries.split(",") if part.strip()]
    mapping: dict[str, str] = {}
    bad: list[str] = []
    for entry in entries:
        source, sep, target = entry.partition("=")
        if not sep or not source.strip() or not target.strip():
            bad.append(entry.strip())
            continue
        mapping[source.strip()] = target.strip()
    return mapping, bad


def safe_name(name: str) -> str:
    """The naming rule: lower-case letters, digits and ``-``, starting with a letter."""
    cleaned = _NOT_NAME.sub("-", str(name).lower()).strip("-")[:MAX_NAME].strip("-")
    if not cleaned:
        return "need"
    return cleaned if cleaned[0].isalpha() else f"need-{cleaned}"


@dataclass
class NewType:
    """An item type a needs.json brings: its label and its fields (name → kind)."""

    label: str
    fields: dict[str, str] = field(default_factory=dict)


@dataclass
class Declarations:
    """Our names for a needs.json's names, and what a project must declare for them.

    ``types``, ``links`` and ``fields`` map every name of the file to ours;
    ``new_types`` and ``new_links`` are the ones that do not exist yet (to declare);
    ``renamed`` lists (what, original, ours) wherever the two differ.
    """

    types: dict[str, str] = field(default_factory=dict)
    links: dict[str, str] = field(default_factory=dict)
    fields: dict[str, str] = field(default_factory=dict)
    new_types: dict[str, NewType] = field(default_factory=dict)
    new_links: dict[str, str] = field(default_factory=dict)
    statuses: list[str] = field(default_factory=list)
    renamed: list[tuple[str, str, str]] = field(default_factory=list)

    def item_type_entries(self) -> list[dict[str, Any]]:
        """``techspec_item_types`` entries of the new types (plain data)."""
        return [
            {
                "name": name,
                "label": new.label,
                "fields": [{"name": f, "kind": kind} for f, kind in sorted(new.fields.items())],
            }
            for name, new in sorted(self.new_types.items())
        ]

    def link_type_entries(self) -> list[dict[str, Any]]:
        """``techspec_link_types`` entries of the new link types (plain data)."""
        return [
            {"name": name, "reverse": reverse} for name, reverse in sorted(self.new_links.items())
        ]


class _Namer:
    """Unique names of one kind: the rule, then ``need-`` before a reserved name, then ``-2``."""

    def __init__(self, reserved: Collection[str]) -> None:
        self.reserved = set(reserved)
        self.taken: set[str] = set()

    def name(self, original: str) -> str:
        base = safe_name(original)
        if base in self.reserved:
            base = safe_name(f"need-{base}")
        candidate, number = base, 1
        while candidate in self.taken or candidate in self.reserved:
            number += 1
            candidate = f"{base}-{number}"
        self.taken.add(candidate)
        return candidate


def _label(text: str, fallback: str) -> str:
    label = " ".join(str(text).split())[:MAX_NAME]
    return label or fallback.replace("-", " ").capitalize()


def declare(
    needs: Iterable[Need],
    type_map: dict[str, str],
    link_map: dict[str, str],
    builtin_types: Collection[str],
    builtin_links: Collection[str],
    declared_types: Collection[str] = (),
    declared_links: Collection[str] = (),
) -> Declarations:
    """Name every type, link option and field of ``needs`` by the one rule.

    ``type_map`` / ``link_map`` are what the user asked (``req=requirement``);
    ``builtin_*`` the names our features declare (never taken by a need type);
    ``declared_*`` the names the project already declares (used, not declared again).
    """
    needs = list(needs)
    result = Declarations()
    # Link types first: field names must not take an option a link type has.
    link_names = _Namer([*builtin_links, *ITEM_OPTIONS, CONDITIONS_FIELD, OUTSIDE_FIELD])
    for option in sorted({name for need in needs for name in need.links}):
        asked = link_map.get(option)
        ours = asked if asked is not None else link_names.name(option)
        result.links[option] = ours
        if ours not in builtin_links and ours not in declared_links:
            reverse = "linked from" if option == "links" else f"{_label(option, option)} (reverse)"
            result.new_links[ours] = reverse
    field_names = _Namer([*ITEM_OPTIONS, *result.links.values(), CONDITIONS_FIELD, OUTSIDE_FIELD])
    for key in sorted({name for need in needs for name in need.fields}):
        result.fields[key] = field_names.name(key)
    # A type named like a directive of docutils or Sphinx (`role`, `note`) would not be ours.
    type_names = _Namer([*builtin_types, *reserved_directives()])
    for need_type in sorted({need.type for need in needs}):
        asked = type_map.get(need_type)
        result.types[need_type] = asked if asked is not None else type_names.name(need_type)
    ids = {need.id for need in needs}
    for need in needs:
        ours = result.types[need.type]
        if ours in builtin_types or ours in declared_types:
            continue
        new = result.new_types.setdefault(ours, NewType(_label(need.type_label, ours)))
        for key, value in need.fields.items():
            if isinstance(value, list) or new.fields.get(result.fields[key]) == "list":
                new.fields[result.fields[key]] = "list"
            else:
                new.fields.setdefault(result.fields[key], "text")
        if need.conditions:
            new.fields[CONDITIONS_FIELD] = "text"
        if any(t not in ids for targets in need.links.values() for t in targets):
            new.fields[OUTSIDE_FIELD] = "text"
    for need in needs:
        if need.status and need.status not in result.statuses:
            result.statuses.append(need.status)
    for what, names in (("type", result.types), ("link", result.links), ("field", result.fields)):
        result.renamed += [(what, old, new) for old, new in sorted(names.items()) if old != new]
    return result


def conditions_text(need: Need, links: dict[str, str]) -> str:
    """``complies std_req__x [version==1]; ...``: the conditions, shown on the item."""
    return "; ".join(
        f"{links.get(option, option)} {target} [{condition}]"
        for option, target, condition in need.conditions
    )


def outside_text(outside: dict[str, list[str]], links: dict[str, str]) -> str:
    """``complies: A, B; links: C``: links to IDs that are not in the file, kept as text."""
    return "; ".join(
        f"{links.get(option, option)}: {', '.join(targets)}"
        for option, targets in sorted(outside.items())
    )
