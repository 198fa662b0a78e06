"""Reading a sphinx-needs ``needs.json`` (any version since 1.0) into plain records.

The file holds ``{"current_version": V, "versions": {V: {"needs": {ID: need}}}}``.
Which keys of a need are links and which are user fields is read from the
version's ``needs_schema`` (sphinx-needs 6 and later: ``field_type`` ``links`` /
``extra``); older files have no schema, so there a key is a link when its
``<key>_back`` list exists, and a field when it is not one of sphinx-needs' own keys.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .external import SourceError

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
    links: dict[str, list[str]] = field(default_factory=dict)
    url: str | None = None


def version_needs(document: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """The needs of the file's current version (or its only or last one), and its schema."""
    if not isinstance(document, dict) or not isinstance(document.get("versions"), dict):
        raise SourceError("it is not a sphinx-needs needs.json (no 'versions' object)")
    versions = document["versions"]
    if not versions:
        raise SourceError("it holds no version")
    current = document.get("current_version")
    key = current if current in versions else sorted(versions, key=str)[-1]
    data = versions[key]
    if not isinstance(data, dict) or not isinstance(data.get("needs"), dict):
        raise SourceError(f"version {key!r} has no 'needs' object")
    schema = data.get("needs_schema")
    properties = schema.get("properties") if isinstance(schema, dict) else None
    return data["needs"], properties if isinstance(properties, dict) else {}


def _strings(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value if isinstance(v, str | int | float) and str(v).strip()]
    if isinstance(value, str) and value.strip():
        return [value]
    return []


def read_needs(document: Any) -> list[Need]:
    """Every need of the file, in (document, line) order, as :class:`Need` records."""
    raw_needs, properties = version_needs(document)
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
    needs: list[Need] = []
    for key, raw in raw_needs.items():
        if not isinstance(raw, dict):
            raise SourceError(f"need {key!r} is not an object")
        need_id = str(raw.get("id") or key)
        links = {name: _strings(raw.get(name)) for name in sorted(link_keys)}
        fields: dict[str, str | list[str]] = {}
        for name, value in raw.items():
            if (
                name in CORE_KEYS
                or name in link_keys
                or name.endswith("_back")
                or (properties and name not in field_keys)
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
        lineno = raw.get("lineno")
        needs.append(
            Need(
                id=need_id,
                type=str(raw.get("type") or ""),
                title=str(raw.get("title") or ""),
                content=str(raw.get("content") or ""),
                docname=str(raw.get("docname") or "index"),
                lineno=lineno if isinstance(lineno, int) else 0,
                sections=_strings(raw.get("sections")),
                status=str(raw["status"]) if isinstance(raw.get("status"), str) else None,
                tags=_strings(raw.get("tags")),
                fields=fields,
                links={name: targets for name, targets in links.items() if targets},
                url=raw.get("external_url") if isinstance(raw.get("external_url"), str) else None,
            )
        )
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


def default_link_name(name: str) -> str:
    """sphinx-needs spells link options with ``_``; our link types use ``-``."""
    return name.replace("_", "-")
