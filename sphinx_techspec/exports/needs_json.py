"""``needs.json`` in sphinx-needs' exchange format, so its projects can import our items.

``{"current_version": V, "project": P, "versions": {V: {"needs": {ID: record}}}}``;
a record has ``id``, ``type``, ``title``, ``status``, ``tags``, ``content``,
``docname``, ``lineno``, ``links`` (empty: our links are typed), one list per link
type in use (its name with ``-`` as ``_``, as sphinx-needs spells link options) with
its ``<link>_back`` list, and the item's other fields under their names. An importing
project declares the types and link types it wants (``needs_types``,
``needs_extra_links``) and the fields (``needs_fields``/``needs_extra_options``).
"""

from __future__ import annotations

import json
from typing import Any

from sphinx.application import Sphinx

from ..domain import TechspecDomain
from ..feature import registry
from ..model import Item, natural_key
from ..version import __version__
from .techspec_json import json_value

#: Keys sphinx-needs computes itself or that we set from the item, never from a field.
_RESERVED = {"id", "type", "title", "status", "tags", "content", "docname", "lineno", "links"}


def needs_name(name: str) -> str:
    """sphinx-needs option names are identifiers: ``depends-on`` → ``depends_on``."""
    return name.replace("-", "_")


def need_record(domain: TechspecDomain, item: Item) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": item.id,
        "type": item.type,
        "title": item.title,
        "status": item.fields.get("status"),
        "tags": list(item.fields.get("tags", [])),
        "content": "",
        "docname": item.docname,
        "lineno": item.lineno,
        "links": [],
    }
    for name, value in sorted(item.fields.items()):
        key = needs_name(name)
        if key not in _RESERVED:
            record[key] = needs_value(json_value(value))
    incoming: dict[str, list[str]] = {}
    for link_name, source in domain.incoming(item.id):
        incoming.setdefault(link_name, []).append(source)
    # Only link types in use: an importer must declare every key it is given.
    for name in domain.schema.link_types:
        if item.links.get(name):
            record[needs_name(name)] = list(item.links[name])
        if incoming.get(name):
            record[f"{needs_name(name)}_back"] = sorted(incoming[name], key=natural_key)
    return record


def needs_value(value: Any) -> Any:
    """A sphinx-needs field value: strings and lists of strings stay, the rest is JSON text."""
    if isinstance(value, str) or (
        isinstance(value, list) and all(isinstance(v, str) for v in value)
    ):
        return value
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def needs_document(app: Sphinx, domain: TechspecDomain) -> dict[str, Any]:
    version = app.config.version or ""
    needs = {}
    hooks = registry(app).item_export
    for item in sorted(domain.items.values(), key=lambda it: natural_key(it.id)):
        record = need_record(domain, item)
        for hook in hooks:
            # Extra data as plain fields, so sphinx-needs filters can use them.
            for key, value in hook(app, domain, item).items():
                record.setdefault(key.replace("-", "_"), needs_value(value))
        needs[item.id] = record
    return {
        "current_version": version,
        "project": app.config.project,
        "versions": {
            version: {
                "creator": {"program": "sphinx-techspec", "version": __version__},
                "needs": needs,
                "needs_amount": len(needs),
            }
        },
    }
