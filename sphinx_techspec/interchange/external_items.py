"""Another project's items in this build: loaded before reading, linked by their URL.

:func:`load_external_items` reads every linked project (:mod:`.external`) and
configured needs import (:mod:`.needs_import`) afresh at ``env-before-read-docs``.
Their URLs come from foreign files, so each passes
:func:`~sphinx_techspec.urls.checked_url` here, once: a ``javascript:`` or ``data:``
URL is dropped with a ``techspec.bad_url`` warning at the item, and items left
without a URL are named in one ``techspec.external_no_url`` warning per source (they
are shown without a link, never as a link to ``#``). :func:`external_item_url` is
this feature's part of the one item-URL builder (``Feature.item_urls``).
"""

from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from ..config import config_location
from ..diagnostics import warn
from ..domain import DOMAIN, TechspecDomain
from ..model import Item, natural_key
from ..urls import checked_url
from .external import ExternalItem, read_project
from .needs_import import configured_needs_items
from .settings import linked_projects


def load_external_items(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """Replace the external items by a fresh read of every configured source.

    Sources are read in a fixed order (project names sorted), before any page is
    read, so every build, serial or parallel, holds the same items.
    """
    domain: TechspecDomain = env.get_domain(DOMAIN)  # type: ignore[assignment]
    config = app.config
    stale = [i for i, item in domain.items.items() if isinstance(item, ExternalItem)]
    projects = linked_projects(env).projects
    if not stale and not projects and not config.techspec_needs_import:
        return
    for item_id in stale:
        del domain.items[item_id]
    loaded: list[ExternalItem] = []
    where = config_location(app, "techspec_external_projects")
    for project in projects:
        loaded.extend(
            read_project(app, env, domain, project.name, project.source, project.base_url, where)
        )
    loaded.extend(configured_needs_items(app, domain))
    check_urls(loaded)
    for item in sorted(loaded, key=lambda it: natural_key(it.id)):
        if item.id not in domain.items:
            domain.items[item.id] = item
    domain.invalidate()


def check_urls(items: list[ExternalItem]) -> None:
    """Drop unsafe URLs (warned at the item); name the items left without one."""
    without: dict[str, list[str]] = {}
    for item in sorted(items, key=lambda it: natural_key(it.id)):
        item.external_url = checked_url(item.external_url, item.location, f"{item.id}: URL")
        if not item.external_url:
            without.setdefault(item.source, []).append(item.id)
    for source, ids in sorted(without.items()):
        shown = ", ".join(ids[:5]) + (f" and {len(ids) - 5} more" if len(ids) > 5 else "")
        warn(
            f"{len(ids)} imported items have no URL and are shown without a link: {shown}",
            "external_no_url",
            f"{source}:1",
        )


def external_item_url(app: Sphinx, item: Item) -> str | None:
    """The URL of another project's item (checked when loaded; ``""``: none)."""
    if isinstance(item, ExternalItem):
        return item.external_url
    return None
