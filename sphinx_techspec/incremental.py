"""Which unchanged pages must be rewritten because data they show has changed.

Pages show data from other pages: reverse links, the titles in links and
roles, views. After reading, compare every item with the previous build's
snapshot and return the pages that show a changed, new or removed item.
"""

from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from .domain import DOMAIN, TechspecDomain


def pages_to_rewrite(app: Sphinx, env: BuildEnvironment) -> list[str]:
    domain: TechspecDomain = env.get_domain(DOMAIN)  # type: ignore[assignment]
    old: dict = domain.data["snapshot"]
    new = {item_id: item.digest() for item_id, item in domain.items.items()}
    domain.data["snapshot"] = new
    changed = {
        item_id for item_id in old.keys() | new.keys() if old.get(item_id) != new.get(item_id)
    }
    if not changed:
        return []

    pages: set[str] = set()
    changed_types: set[str] = set()
    for item_id in changed:
        for digest in (old.get(item_id), new.get(item_id)):
            if digest is None:
                continue
            item_type, docname, links = digest[0], digest[2], digest[5]
            changed_types.add(item_type)
            pages.add(docname)
            # The targets show this item as a reverse link ("verified by").
            for _link_name, targets in links:
                for target_id in targets:
                    target = domain.get(target_id)
                    if target is not None:
                        pages.add(target.docname)
    for docname, shown_ids in domain.data["references"].items():
        if not changed.isdisjoint(shown_ids):
            pages.add(docname)
    for docname, shown_types in domain.data["views"].items():
        if "*" in shown_types or not changed_types.isdisjoint(shown_types):
            pages.add(docname)
    return sorted(pages & env.all_docs.keys())
