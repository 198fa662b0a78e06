"""``techspec.json``: every item with its fields, links both ways, page and URL.

The format is versioned (``format_version``) and described by
``sphinx_techspec/schemas/techspec-export-2.schema.json``; a change that breaks
readers bumps the version and adds a new schema file.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from sphinx.application import Sphinx

from ..domain import TechspecDomain
from ..feature import registry
from ..model import natural_key
from ..urls import item_url
from ..version import __version__

FORMAT_VERSION = 2
SCHEMA_FILE = f"techspec-export-{FORMAT_VERSION}.schema.json"
SCHEMA_ID = f"https://sphinx-techspec.readthedocs.io/en/latest/schemas/{SCHEMA_FILE}"


@cache
def export_schema() -> dict[str, Any]:
    """The JSON Schema of ``techspec.json``, as shipped in the package."""
    text = resources.files("sphinx_techspec").joinpath("schemas", SCHEMA_FILE).read_text("utf-8")
    return json.loads(text)


def json_value(value: Any) -> Any:
    """Field values are strings, lists of strings, integers or flags already."""
    if isinstance(value, list | tuple):
        return [json_value(v) for v in value]
    if isinstance(value, dict):  # structured fields (endpoint responses, parameters)
        return {str(key): json_value(v) for key, v in value.items()}
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def techspec_document(app: Sphinx, domain: TechspecDomain) -> dict[str, Any]:
    schema = domain.schema
    items: dict[str, Any] = {}
    for item in sorted(domain.items.values(), key=lambda it: natural_key(it.id)):
        incoming: dict[str, list[str]] = {}
        for link_name, source in domain.incoming(item.id):
            incoming.setdefault(link_name, []).append(source)
        items[item.id] = {
            "id": item.id,
            "type": item.type,
            "title": item.title,
            "fields": {name: json_value(v) for name, v in sorted(item.fields.items())},
            "links": {name: list(targets) for name, targets in sorted(item.links.items())},
            "incoming": {
                name: sorted(sources, key=natural_key) for name, sources in sorted(incoming.items())
            },
            "docname": item.docname,
            "lineno": item.lineno,
            "anchor": item.anchor,
            "url": item_url(app, item),
        }
        for hook in registry(app).item_export:
            items[item.id].update(hook(app, domain, item))
    return {
        "$schema": SCHEMA_ID,
        "format_version": FORMAT_VERSION,
        "generator": {"name": "sphinx-techspec", "version": __version__},
        "project": app.config.project,
        "version": app.config.version or "",
        "item_types": {
            name: {"label": t.label, "plural": t.plural_label, "role": t.role}
            for name, t in schema.item_types.items()
        },
        "link_types": {
            name: {
                "forward": link.forward,
                "reverse": link.reverse,
                "sources": list(link.sources),
                "targets": list(link.targets),
            }
            for name, link in schema.link_types.items()
        },
        "items": items,
    }
