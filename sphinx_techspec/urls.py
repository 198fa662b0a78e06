"""The one place an item's URL is made, and the one check every URL passes.

Every link to an item — cards, reverse links, matrices, tables, ``:spec:`` roles,
Mermaid ``click`` lines, techspec.json — takes its URL from :func:`item_url`. An
item with a page here gets the builder's URI of that page; an item with no page
here (another project's item) gets the URL a feature contributes
(``Feature.item_urls``: absolute, or relative to the output directory), and only
if :func:`checked_url` lets it through: ``http``, ``https``, ``mailto`` and relative
URLs. Anything else (``javascript:``, ``data:``, ``file:``...) is dropped with a
located ``techspec.bad_url`` warning, so a foreign file cannot put a script into a
link.
"""

from __future__ import annotations

import urllib.parse
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.util.osutil import relative_uri

from .diagnostics import warn
from .feature import registry
from .model import Item

#: Schemes a link may use; a URL without a scheme is relative and always allowed.
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})

#: Control characters and spaces browsers strip from a scheme before reading it.
_STRIPPED = "".join(chr(code) for code in range(0x21))


def is_safe_url(url: str) -> bool:
    """Whether ``url`` is relative or uses a scheme of :data:`SAFE_SCHEMES`.

    Browsers ignore leading spaces and control characters, and tabs and newlines
    anywhere, so ``" java\\tscript:"`` is read the way a browser reads it.
    """
    cleaned = "".join(c for c in url.lstrip(_STRIPPED) if c not in "\t\n\r")
    scheme, colon, _rest = cleaned.partition(":")
    if not colon or any(c in scheme for c in "/?#"):
        return True  # no scheme: relative (a colon after /, ? or # is not a scheme)
    return scheme.lower() in SAFE_SCHEMES


def checked_url(url: str, location: Any, what: str = "URL") -> str:
    """``url`` when it is safe; ``""`` after a ``techspec.bad_url`` warning otherwise."""
    if not url or is_safe_url(url):
        return url
    scheme = url.strip(_STRIPPED).partition(":")[0][:20]
    warn(
        f"{what} {urllib.parse.quote(url[:60], safe=':/')!r} uses the scheme {scheme!r}: "
        "left out (only http, https, mailto and relative URLs are linked)",
        "bad_url",
        location,
    )
    return ""


def item_url(app: Sphinx, item: Item, fromdocname: str | None = None) -> str | None:
    """The URL of ``item`` from the page ``fromdocname`` (``None``: from the output root).

    ``None`` when there is nothing to link to: the output root of a builder that is
    not HTML, or an item with no page here and no (safe) URL.
    """
    if not item.docname:  # an item of another project: a feature knows its URL
        for hook in registry(app).item_urls:
            url = hook(app, item)
            if url is not None:
                url = checked_url(url, item.location)
                if url and fromdocname is not None and _is_path(url):
                    # Relative to the output directory: from the page, up to it first.
                    depth = app.builder.get_target_uri(fromdocname).count("/")
                    url = "../" * depth + url
                return url or None
        return None
    builder = app.builder
    if fromdocname is None:
        if builder.format != "html":
            return None
        uri = builder.get_target_uri(item.docname)
    else:
        uri = _relative_uri(app, fromdocname, item.docname)
    return f"{uri}#{item.anchor}" if item.anchor else uri


def _is_path(url: str) -> bool:
    """A relative path (``../other/page.html#X``), not ``/x``, ``//host/x`` or ``#X``."""
    return not url.startswith(("/", "#")) and not urllib.parse.urlsplit(url).scheme


def _relative_uri(app: Sphinx, fromdocname: str, docname: str) -> str:
    """Computed once per (page, target page) and build: a matrix links the same pages often.

    A builder that keeps Sphinx's own ``get_relative_uri`` (HTML, dirhtml) gets the
    same result from each page's target URI, computed once per page, not per pair.
    """
    builder = app.builder
    cache: dict[tuple[str, str], str] | None = getattr(builder, "_techspec_uris", None)
    if cache is None:
        cache = {}
        builder._techspec_uris = cache  # type: ignore[attr-defined]
    key = (fromdocname, docname)
    uri = cache.get(key)
    if uri is None:
        if type(builder).get_relative_uri is Builder.get_relative_uri:
            uri = relative_uri(_target_uri(builder, fromdocname), _target_uri(builder, docname))
        else:
            uri = builder.get_relative_uri(fromdocname, docname)
        cache[key] = uri
    return uri


def _target_uri(builder: Builder, docname: str) -> str:
    """``builder.get_target_uri(docname)``, once per page and build."""
    cache: dict[str, str] | None = getattr(builder, "_techspec_target_uris", None)
    if cache is None:
        cache = {}
        builder._techspec_target_uris = cache  # type: ignore[attr-defined]
    uri = cache.get(docname)
    if uri is None:
        uri = cache[docname] = builder.get_target_uri(docname)
    return uri


def item_link(
    app: Sphinx,
    fromdocname: str,
    item: Item,
    *children: nodes.Node,
    classes: tuple[str, ...] = (),
) -> nodes.Element:
    """A link to ``item`` holding ``children``, its title as the tooltip.

    An item with nothing to link to gives an ``inline`` (class ``techspec-no-url``)
    with the same content, never a link to ``#``.
    """
    tooltip = f"{item.id}: {item.title}" if item.title else item.id
    if item.docname == fromdocname and item.anchor:
        node: nodes.Element = nodes.reference("", "", *children, internal=True)
        node["refid"] = item.anchor
    else:
        url = item_url(app, item, fromdocname)
        if url is None:
            node = nodes.inline("", "", *children, classes=["techspec-no-url"])
            node["classes"].extend(classes)
            return node
        node = nodes.reference("", "", *children, internal=bool(item.docname))
        node["refuri"] = url
    node["classes"].extend(classes)
    node["reftitle"] = tooltip
    return node
