"""The ``techspec`` domain: the single source of truth for every spec item.

Items are collected while reading, purged per document, merged from parallel
readers, and only then turned into reverse links and views. Lookups that need
all items (incoming links, items by type) go through :class:`ItemIndex`, built
once after reading rather than per page.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Set
from typing import TYPE_CHECKING, Any

from docutils import nodes
from docutils.nodes import Element
from sphinx.addnodes import pending_xref
from sphinx.builders import Builder
from sphinx.domains import Domain, ObjType
from sphinx.environment import BuildEnvironment
from sphinx.roles import XRefRole

from .diagnostics import warn
from .feature import app_of, registry, stores
from .model import Item, natural_key
from .page_syntax import is_markdown, role_example
from .urls import item_link

if TYPE_CHECKING:
    from .schema import SpecSchema

DOMAIN = "techspec"


def wrong_role_message(
    schema: SpecSchema, role: str, item_id: str, item_type: str, markdown: bool = False
) -> str:
    """A typed role naming an item of another type, with the right role written in the
    page's syntax (shared with the language server)."""
    own = schema.item_types.get(item_type)
    right = own.role if own is not None and own.role else "spec"
    return (
        f"role {role_example(markdown, role)} refers to {item_id}, a "
        f"{schema.label(item_type).lower()}; write {role_example(markdown, right, item_id)} "
        f"(or {role_example(markdown, 'spec', item_id)}, for any item)"
    )


class SpecReferenceRole(XRefRole):
    """``:spec:`REQ-1``` and its typed aliases, always resolved by our domain.

    A global role would otherwise land in the std domain (refdomain ``""``).
    """

    innernodeclass = nodes.inline

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        self.refdomain = DOMAIN
        self.reftype = self.name.rpartition(":")[2]
        self.classes = ["xref", DOMAIN, f"{DOMAIN}-{self.reftype}"]
        if self.disabled:
            return self.create_non_xref_node()
        return self.create_xref_node()

    def process_link(
        self,
        env: BuildEnvironment,
        refnode: Element,
        has_explicit_title: bool,
        title: str,
        target: str,
    ) -> tuple[str, str]:
        target = target.strip()
        env.get_domain(DOMAIN).note_reference(env.docname, target)  # type: ignore[attr-defined]
        return title.strip(), target


class ItemIndex:
    """Derived lookups over all items, rebuilt when the item data changes.

    Sort keys are computed here once per build: ``rank`` is each ID's place in
    natural order (``REQ-2`` before ``REQ-10``), so every list a page shows is
    sorted by an int lookup, not by ``natural_key`` per call.
    """

    def __init__(self, items: dict[str, Item]) -> None:
        ordered = sorted(items, key=natural_key)
        #: ID → its place in natural order.
        self.rank: dict[str, int] = {item_id: place for place, item_id in enumerate(ordered)}
        self.by_type: dict[str, list[Item]] = defaultdict(list)
        #: target ID → [(link type, source ID)], sorted for stable output.
        self.incoming: dict[str, list[tuple[str, str]]] = defaultdict(list)
        #: target ID → link type → source IDs in natural order (the reverse-link rows).
        self.incoming_by_link: dict[str, dict[str, list[str]]] = {}
        for item_id in ordered:
            item = items[item_id]
            self.by_type[item.type].append(item)
            for link_name, targets in item.links.items():
                for target in targets:
                    self.incoming[target].append((link_name, item_id))
        # Sources were added in natural order; a stable sort by link type keeps it.
        for target, sources in self.incoming.items():
            sources.sort(key=lambda pair: pair[0])
            grouped: dict[str, list[str]] = {}
            for link_name, source in sources:
                grouped.setdefault(link_name, []).append(source)
            self.incoming_by_link[target] = grouped

    def sorted_ids(self, item_ids: Iterable[str]) -> list[str]:
        """``item_ids`` in natural order (IDs of no item last, in natural order too)."""
        rank = self.rank
        ids = list(item_ids)
        known = [i for i in ids if i in rank]
        known.sort(key=rank.__getitem__)
        if len(known) < len(ids):
            known += sorted((i for i in ids if i not in rank), key=natural_key)
        return known


class StoreData:
    """One feature store in ``domain.data[name]`` (see :class:`~.feature.Store`).

    ``parts``: docname → that document's part, purged and merged by the domain;
    ``state``: what the feature derived after reading, kept between builds;
    ``digest``: what readers saw in the previous build; ``cache``: this build only,
    never pickled (a parallel reader's copy and the next build start without it).
    """

    def __init__(self) -> None:
        self.parts: dict[str, Any] = {}
        self.state: Any = None
        self.digest: Any = None
        self.cache: Any = None

    def __getstate__(self) -> dict[str, Any]:
        return {"parts": self.parts, "state": self.state, "digest": self.digest}

    def __setstate__(self, stored: dict[str, Any]) -> None:
        self.__init__()  # type: ignore[misc]
        self.__dict__.update(stored)


class TechspecDomain(Domain):
    name = DOMAIN
    label = "Technical specification"
    data_version = 2
    #: Every feature store also has a key: its name → :class:`StoreData`.
    initial_data: dict[str, Any] = {
        "items": {},  # ID → Item (the first definition in (docname, line) order)
        "duplicates": [],  # later definitions of an ID, kept so a purge can promote them
        "documents": {},  # docname → IDs defined there, so a purge is O(items of the page)
        "references": {},  # docname → IDs the page shows (roles and links)
        "views": {},  # docname → item types shown by views on the page ("*": any)
        "reads": {},  # docname → the stores views on the page read
        "snapshot": {},  # ID → Item.digest() as of the previous build
    }

    def __init__(self, env: BuildEnvironment) -> None:
        # Sphinx creates domains before it sets env.config; the app's config is
        # the same object a moment later.
        self.app = app_of(env)
        self.features = registry(self.app)
        self.schema = self.features.schema(self.app.config)
        self.role_types = role_types = self.schema.role_types()
        self.object_types = {
            name: ObjType(item_type.label, *[r for r, ts in role_types.items() if name in ts])
            for name, item_type in self.schema.item_types.items()
        }
        self.roles = {role: SpecReferenceRole(warn_dangling=True) for role in role_types}
        self._index: ItemIndex | None = None
        self._derived: dict[str, Any] = {}
        self._digests: dict[str, tuple[Any, ...]] | None = None
        super().__init__(env)

    # -- stored data ----------------------------------------------------------

    @property
    def items(self) -> dict[str, Item]:
        return self.data["items"]

    @property
    def duplicates(self) -> list[Item]:
        return self.data["duplicates"]

    @property
    def index(self) -> ItemIndex:
        if self._index is None:
            self._index = ItemIndex(self.items)
        return self._index

    def derived(self, name: str) -> Any:
        """A feature's index (``Feature.indexes``), built once after reading, on first use."""
        if name not in self._derived:
            self._derived[name] = self.features.index_builders[name](self)
        return self._derived[name]

    def invalidate(self) -> None:
        """Item data changed: the item index and every derived index are stale."""
        self._index = None
        self._derived.clear()
        self._digests = None

    def store(self, name: str) -> StoreData:
        """A feature store's data (``Feature.stores``), made on first use."""
        data = self.data.get(name)
        if data is None:
            if name not in stores():
                raise KeyError(f"no feature declares the store {name!r}")
            data = self.data[name] = StoreData()
        return data

    def get(self, item_id: str) -> Item | None:
        return self.items.get(item_id)

    def items_of_type(self, *types: str) -> list[Item]:
        found: list[Item] = []
        for item_type in types:
            found.extend(self.index.by_type.get(item_type, ()))
        return found

    def incoming(self, item_id: str) -> list[tuple[str, str]]:
        return self.index.incoming.get(item_id, [])

    def valid_links(
        self, item: Item, link: str | None = None, direction: str = "both"
    ) -> list[str]:
        """IDs linked to ``item`` by links that count: to an existing item, of a declared
        link type, whose source and target types that link type allows. The one
        "links of an item" of every view: a link of the wrong type (warned as
        ``wrong_link_type``) shows on the item's card only, and counts nowhere.

        ``link`` limits to one link type (``None``: any); ``direction`` is ``out``,
        ``in`` or ``both``, seen from ``item``. Coverage rules, the matrix and the
        orphan list all count with this, so they agree.
        """
        link_types = self.schema.link_types
        found: dict[str, None] = {}
        if direction in ("out", "both"):
            for name, targets in item.links.items():
                declared = link_types.get(name)
                if (link is not None and name != link) or declared is None:
                    continue
                if not declared.allows_source(item.type):
                    continue
                for target_id in targets:
                    target = self.items.get(target_id)
                    if target is not None and declared.allows_target(target.type):
                        found[target_id] = None
        if direction in ("in", "both"):
            for name, source_id in self.incoming(item.id):
                declared = link_types.get(name)
                if (link is not None and name != link) or declared is None:
                    continue
                source = self.items.get(source_id)
                if (
                    source is not None
                    and declared.allows_source(source.type)
                    and declared.allows_target(item.type)
                ):
                    found[source_id] = None
        return self.index.sorted_ids(found)

    def add_item(self, item: Item) -> None:
        self.invalidate()
        self._store(item)
        self.data["documents"].setdefault(item.docname, []).append(item.id)

    def _store(self, item: Item) -> None:
        existing = self.items.get(item.id)
        if existing is None:
            self.items[item.id] = item
        elif item.sort_key() < existing.sort_key():
            self.items[item.id] = item
            self.duplicates.append(existing)
        else:
            self.duplicates.append(item)

    def note_reference(self, docname: str, item_id: str) -> None:
        self.data["references"].setdefault(docname, set()).add(item_id)

    def note_view(
        self, docname: str, item_types: Iterable[str] | None, reads: Iterable[str] = ()
    ) -> None:
        """Record that ``docname`` shows items of these types (``None``: any type) and
        data of these stores: a change of either rewrites the page."""
        shown = self.data["views"].setdefault(docname, set())
        shown.update(item_types if item_types is not None else ("*",))
        if reads:
            self.data["reads"].setdefault(docname, set()).update(reads)

    # -- lifecycle -------------------------------------------------------------

    def clear_doc(self, docname: str) -> None:
        self.invalidate()
        for item_id in self.data["documents"].pop(docname, ()):
            item = self.items.get(item_id)
            if item is not None and item.docname == docname:
                del self.items[item_id]
        if self.duplicates:
            kept = [item for item in self.duplicates if item.docname != docname]
            self.duplicates[:] = []
            for item in sorted(kept, key=Item.sort_key):
                self._store(item)
        for key in ("references", "views", "reads"):
            self.data[key].pop(docname, None)
        for name in stores():
            data = self.data.get(name)
            if data is not None:
                data.parts.pop(docname, None)

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        self.invalidate()
        for item in otherdata["items"].values():
            if item.docname in docnames:
                self._store(item)
        for item in otherdata["duplicates"]:
            if item.docname in docnames:
                self._store(item)
        for key in ("references", "views", "reads", "documents"):
            for docname, values in otherdata[key].items():
                if docname in docnames:
                    self.data[key][docname] = values
        for name, store in stores().items():
            theirs = otherdata.get(name)
            if theirs is None or not theirs.parts:
                continue
            ours = self.store(name).parts
            if store.merge is not None:
                store.merge(ours, theirs.parts, docnames)
                continue
            for docname, part in theirs.parts.items():
                if docname in docnames:
                    ours[docname] = part

    # -- what readers see, compared between builds ------------------------------------

    def item_digests(self) -> dict[str, tuple[Any, ...]]:
        """Every item's :meth:`~.model.Item.digest`: what pages showing it depend on.

        Computed once per build, after reading, and dropped with the indexes; the
        rewrite rule and change control's fingerprints share the same tuples (so the
        pickled environment holds each once).
        """
        if self._digests is None:
            self._digests = {item_id: item.digest() for item_id, item in self.items.items()}
        return self._digests

    def store_digests(self, app: Any) -> dict[str, Any]:
        """Each store's digest (``Store.digest``) in this build, by store name."""
        return {
            name: store.digest(app, self)
            for name, store in registry(app).stores.items()
            if store.digest is not None
        }

    # -- Sphinx's object interfaces ---------------------------------------------

    def get_objects(self) -> Iterator[tuple[str, str, str, str, str, int]]:
        for item in sorted(self.items.values(), key=lambda it: natural_key(it.id)):
            if not item.docname:
                continue  # another project's item: its own objects.inv lists it
            display = f"{item.id}: {item.title}" if item.title else item.id
            yield item.id, display, item.type, item.docname, item.anchor, 1

    def get_full_qualified_name(self, node: Element) -> str | None:
        return node.get("reftarget")

    def resolve_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        typ: str,
        target: str,
        node: pending_xref,
        contnode: Element,
    ) -> nodes.Element | None:
        item = self.items.get(target)
        if item is None:
            # Quietly: the warn-missing-reference handler reports it with our type,
            # and intersphinx gets its chance first.
            return None
        allowed = self.role_types.get(typ, ())
        if typ != "spec" and item.type not in allowed:
            markdown = is_markdown(env, fromdocname)
            message = wrong_role_message(self.schema, typ, item.id, item.type, markdown)
            warn(message, "wrong_link_type", node)
        return item_link(self.app, fromdocname, item, contnode)

    def resolve_any_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        target: str,
        node: pending_xref,
        contnode: Element,
    ) -> list[tuple[str, nodes.Element]]:
        item = self.items.get(target)
        if item is None:
            return []
        role = self.role_for_objtype(item.type) or "spec"
        return [(f"{DOMAIN}:{role}", item_link(self.app, fromdocname, item, contnode))]
