"""The one rewrite rule: which unchanged pages show data that changed since the last build.

Pages show data from other pages: reverse links, the titles in links and roles,
views, marks, feature stores. Each page declared while it was read what it shows
(``domain.note_reference``: IDs; ``domain.note_view``: item types and stores). After
reading, every item's digest and every store's digest are compared with the previous
build's; a page is rewritten when anything it declared changed:

- a changed, new or removed item: its page, the pages of the items it links to
  (their reverse links), the pages that show its ID, the views of its type;
- a store whose digest changed: the pages whose views read it, plus every page
  showing an item whose marks or card rows changed (``Store.changed_items``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from .domain import DOMAIN, TechspecDomain
from .feature import registry


def pages_to_rewrite(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """The pages to write again although none of their sources changed."""
    domain: TechspecDomain = env.get_domain(DOMAIN)  # type: ignore[assignment]
    pages: set[str] = set()
    changed_ids: set[str] = set()
    changed_types: set[str] = set()

    old: dict[str, Any] = domain.data["snapshot"]
    new = domain.item_digests()
    domain.data["snapshot"] = new
    for item_id in old.keys() | new.keys():
        if old.get(item_id) == new.get(item_id):
            continue
        changed_ids.add(item_id)
        for digest in (old.get(item_id), new.get(item_id)):
            if digest is not None:
                item_type, docname, links = digest[0], digest[2], digest[5]
                changed_types.add(item_type)
                pages.add(docname)
                pages.update(_pages_of(domain, (t for _name, ts in links for t in ts)))

    changed_stores: set[str] = set()
    declared = registry(app).stores
    for name, digest in domain.store_digests(app).items():
        data = domain.store(name)
        previous, data.digest = data.digest, digest
        if previous == digest:
            continue
        changed_stores.add(name)
        changed_items = declared[name].changed_items
        for item_id in changed_items(previous, digest) if changed_items else ():
            item = domain.get(item_id)
            if item is None:
                continue
            changed_ids.add(item_id)
            changed_types.add(item.type)
            pages.add(item.docname)
            pages.update(_pages_of(domain, item.link_targets()))  # "verified by TC-1 [failed]"

    if changed_ids:
        for docname, shown_ids in domain.data["references"].items():
            if not changed_ids.isdisjoint(shown_ids):
                pages.add(docname)
    if changed_types:
        for docname, shown_types in domain.data["views"].items():
            if "*" in shown_types or not changed_types.isdisjoint(shown_types):
                pages.add(docname)
    if changed_stores:
        for docname, read in domain.data["reads"].items():
            if not changed_stores.isdisjoint(read):
                pages.add(docname)
    # Sphinx does not filter what we return: a page removed since would crash the build.
    return sorted(pages & env.all_docs.keys())


def _pages_of(domain: TechspecDomain, item_ids: Iterable[str]) -> set[str]:
    """The pages defining these items (those that exist)."""
    found = set()
    for item_id in item_ids:
        item = domain.get(item_id)
        if item is not None:
            found.add(item.docname)
    return found
