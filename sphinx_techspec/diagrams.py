"""Mermaid diagrams built from domain data, and their non-HTML fallbacks.

Diagrams are sphinxcontrib-mermaid nodes in HTML builders; every other builder
gets a readable fallback (a table of edges), because sphinxcontrib-mermaid's
LaTeX path needs mermaid-cli and would warn untyped.

The HTML loads a Mermaid build vendored in ``static/mermaid/`` (see
``scripts/refresh_mermaid.py``), so pages render with no network and make no
third-party requests; loading Mermaid from the CDN is an opt-in
(``techspec_mermaid_cdn = True``).
"""

from __future__ import annotations

import re

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinxcontrib.mermaid import mermaid

from .model import Item

#: The Mermaid version in ``static/mermaid/`` (written there as VERSION too).
VENDORED_MERMAID_VERSION = "11.17.2"

#: The vendored module, relative to ``_static/`` (the core adds ``static/`` there).
VENDORED_MERMAID_MODULE = "mermaid/mermaid.esm.min.mjs"

#: sphinxcontrib-mermaid's default CDN version, which has CVE-2026-41148.
_FLAWED_DEFAULT_VERSION = "11.12.1"

_UNSAFE = re.compile(r"[^A-Za-z0-9_]")


def setup_mermaid(app: Sphinx) -> None:
    """Load sphinxcontrib-mermaid and point it at the vendored Mermaid by default."""
    app.setup_extension("sphinxcontrib.mermaid")
    # After conf.py and after sphinxcontrib-mermaid's own defaults.
    app.connect("config-inited", use_vendored_mermaid, priority=900)


def use_vendored_mermaid(app: Sphinx, config: Config) -> None:
    """Use the vendored copy unless the project opted into the CDN or set its own copy."""
    if config.techspec_mermaid_cdn:
        if config.mermaid_version == _FLAWED_DEFAULT_VERSION:
            config.mermaid_version = VENDORED_MERMAID_VERSION
        return
    if not config.mermaid_use_local:
        config.mermaid_use_local = VENDORED_MERMAID_MODULE


def html_builder(app: Sphinx) -> bool:
    return app.builder.format == "html"


def mermaid_or_fallback(app: Sphinx, code: str, alt: str, fallback: nodes.Element) -> nodes.Element:
    """A Mermaid node in HTML output, ``fallback`` elsewhere."""
    if not html_builder(app):
        return fallback
    node = mermaid()
    node["code"] = code
    node["options"] = {}
    node["alt"] = alt
    node["classes"] = ["techspec-diagram"]
    return node


def node_name(index: int, prefix: str = "n") -> str:
    """A Mermaid-safe node name; item IDs go into labels, never into names."""
    return f"{prefix}{index}"


def label(text: str) -> str:
    """A quoted Mermaid label: quotes and markup characters become entities."""
    escaped = (
        text.replace("&", "#amp;").replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")
    )
    return f'"{" ".join(escaped.split())}"'


def safe_identifier(text: str) -> str:
    """A Mermaid-safe identifier derived from ``text`` (for ER entity names)."""
    cleaned = _UNSAFE.sub("_", text)
    return cleaned if cleaned[:1].isalpha() else f"e_{cleaned}"


def item_url(app: Sphinx, fromdocname: str, item: Item) -> str:
    """The URL of ``item`` relative to the page ``fromdocname`` (Mermaid needs it per page)."""
    external_url = getattr(item, "external_url", None)  # another project's item
    if external_url is not None:
        return external_url
    uri = app.builder.get_relative_uri(fromdocname, item.docname)
    return f"{uri}#{item.anchor}"


def click_line(name: str, url: str) -> str:
    """Make a Mermaid node a link (kept under the default ``securityLevel: strict``)."""
    quoted = url.replace('"', "%22").replace("\n", "")
    return f'    click {name} href "{quoted}"'
