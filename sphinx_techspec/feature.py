"""The feature contract: what a feature package declares, in one value.

Every feature package (``views``, ``design``, ``template``, ``exports`` and the
core itself) has one module-level ``FEATURE = Feature(...)``. The package
``setup()`` and the schema both read :data:`FEATURES`, so adding an item type,
link type, view, check, export, config value or warning subtype is a
declaration in the feature that owns it, and nothing else.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import weakref
from collections.abc import Callable, Iterable, Mapping, Set
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from .model import FieldSpec, Item, ItemType, LinkType
from .schema import SpecSchema

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

    from .diagrams import NodeStyle
    from .domain import TechspecDomain
    from .view import View

#: A feature's typed configuration class (a frozen dataclass with ``from_config``).
Settings = TypeVar("Settings")

#: The feature packages, in setup order; the core comes first.
FEATURES: tuple[str, ...] = (
    "sphinx_techspec.core",
    "sphinx_techspec.views",
    "sphinx_techspec.exports",
    "sphinx_techspec.template",
    "sphinx_techspec.design",
    "sphinx_techspec.change_control",
    "sphinx_techspec.interchange",
    "sphinx_techspec.flows",
    "sphinx_techspec.states",
    "sphinx_techspec.test_results",
    "sphinx_techspec.performance",
    "sphinx_techspec.code_trace",
    "sphinx_techspec.lsp",
)

#: A placeholder resolver: (app, domain, docname, node) → the nodes that replace it.
Resolver = Callable[["Sphinx", "TechspecDomain", str, "nodes.Element"], "list[nodes.Node]"]

#: A check run once per build after reading (the check phase, see :mod:`.lifecycle`).
Check = Callable[["Sphinx", "BuildEnvironment"], None]

#: Semantic check of a config value after its JSON Schema passed: (value, config) →
#: problems, each a message. It may not raise.
ConfigCheck = Callable[[Any, Any], Iterable[str]]


@dataclass(frozen=True, slots=True)
class ConfigValue:
    """A ``techspec_*`` value: declared once with its JSON Schema.

    A value that fails ``schema`` (or ``check``) gives one ``techspec.bad_config``
    warning at its ``conf.py`` line, and the default is used; a bad entry of a
    list is dropped alone, so the good entries stay.
    """

    name: str
    default: Any
    schema: Mapping[str, Any]
    rebuild: str = "env"
    description: str = ""
    check: ConfigCheck | None = None


@dataclass(frozen=True, slots=True)
class Export:
    """A file (or files) written into the output directory at ``build-finished``.

    ``build`` returns relative path → content: a dict or list is written as strict
    JSON (no ``NaN``), ``str`` as UTF-8 text, ``bytes`` as they are. ``validate``
    returns problems as (message, location) before anything is written; a file
    with problems is still written only if ``write_invalid``. ``enabled`` names
    the config value that turns the export on (false-ish: off; ``is_enabled``,
    when given, decides from the config instead), and locates the export's
    warnings at its ``conf.py`` line. ``formats``
    limits it to builders of these formats (``("html",)``; empty: every builder).
    """

    name: str
    enabled: str
    build: Callable[[Sphinx, TechspecDomain], Mapping[str, Any]]
    validate: Callable[[Sphinx, TechspecDomain, str, Any], Iterable[tuple[str, Any]]] | None = None
    indent: int | None = None
    write_invalid: bool = True
    formats: tuple[str, ...] = ()
    is_enabled: Callable[[Any], bool] | None = None


#: States a mark can show, each with one visual class (``techspec-state-<state>``).
STATES = ("ok", "attention", "problem", "inactive", "neutral")


@dataclass(frozen=True, slots=True)
class Mark:
    """A state shown beside an item or a link wherever it is shown (cards, tables, matrices).

    Always a word (``failed``, ``suspect``, ``superseded``), never a colour alone;
    ``state`` is one of :data:`STATES`, ``title`` an optional tooltip.
    """

    text: str
    state: str = "neutral"
    title: str = ""


#: (app, domain, item) → marks of that item (e.g. its test result).
ItemMarks = Callable[["Sphinx", "TechspecDomain", "Item"], "Iterable[Mark]"]
#: (app, domain, source, link type name, target) → marks of that link (e.g. suspect).
LinkMarks = Callable[["Sphinx", "TechspecDomain", "Item", str, "Item"], "Iterable[Mark]"]
#: (app, domain, docname, item) → extra rows (``nodes.field``) for the item's card.
CardRows = Callable[["Sphinx", "TechspecDomain", str, "Item"], "list[nodes.field]"]
#: (app, domain, item) → extra keys of the item's entry in techspec.json (JSON values);
#: needs.json gets them too, as fields (see :mod:`.exports.needs_json`).
ItemExport = Callable[["Sphinx", "TechspecDomain", "Item"], "Mapping[str, Any]"]
#: (domain, item, link type name) → whether something other than items gives ``item`` a
#: link of that type (code markers: "implemented in code"); a coverage rule names it
#: with ``"in"`` (``{"type": "requirement", "link": "implements", "in": "code"}``).
CoverageSource = Callable[["TechspecDomain", "Item", str], bool]
#: (app, item) → the absolute URL of an item that has no page in this project (another
#: project's item); ``None``: not an item of this feature. See :mod:`.urls`.
ItemUrl = Callable[["Sphinx", "Item"], "str | None"]


@dataclass(frozen=True, slots=True)
class ExtraColumn:
    """A column one feature adds to another feature's view (test results in the matrix).

    ``view`` names the view. ``option`` is a flag option of that view turning the
    column on (empty: the column shows when ``enabled(config)`` says so). ``cells``
    and ``lines`` take what that view documents it passes (see the view's module);
    ``lines`` adds summary lines under the table.
    """

    view: str
    header: str
    cells: Callable[..., list[Any]]
    option: str = ""
    enabled: Callable[[Any], bool] | None = None
    lines: Callable[..., list[Any]] | None = None


# -- stores and phases: a feature's state between pages and builds ---------------------

#: A phase hook after reading: derive, check or gate (app, env); see ``docs/architecture.md``.
Phase = Callable[["Sphinx", "BuildEnvironment"], None]
#: A document's part of a store, taken from its doctree once read (``None``: no part).
Collect = Callable[["Sphinx", str, "nodes.document"], Any]
#: Merge a parallel reader's parts into ours: (ours, theirs, the reader's docnames).
MergeParts = Callable[[dict[str, Any], Mapping[str, Any], Set[str]], None]
#: What readers of a store see, compared with the previous build's (any value with ``==``).
Digest = Callable[["Sphinx", "TechspecDomain"], Any]
#: Items whose shown state (marks, card rows) differs between two digests (old, new).
ChangedItems = Callable[[Any, Any], Iterable[str]]
#: Before reading: drop what the previous build derived (app, domain).
Forget = Callable[["Sphinx", "TechspecDomain"], None]


@dataclass(frozen=True, slots=True)
class Store:
    """State a feature keeps, in ``domain.data[name]`` (a :class:`~.domain.StoreData`).

    The domain's one ``clear_doc`` / ``merge_domaindata`` keep it right for incremental
    and ``-j`` builds, and the one rewrite rule (:mod:`.incremental`) compares its digest:

    - ``collect``: a document's part, from its doctree (a directive may also write
      ``domain.store(name).parts[docname]`` itself while its page is read);
    - ``merge``: how a parallel reader's parts join ours (default: theirs replace ours,
      document by document);
    - ``digest``: what the store means for readers; when it differs from the previous
      build's, every page whose views declared reading the store is rewritten;
    - ``changed_items``: the items whose marks or card rows differ between two digests;
      every page showing one of them is rewritten too (as for a changed item);
    - ``forget``: run before reading, to drop what the previous build derived.

    Parts are written while reading (in any process); ``state`` (pickled) and ``cache``
    (this build only) only after reading, in the main process (see ``Feature.derive``).
    """

    name: str
    collect: Collect | None = None
    merge: MergeParts | None = None
    digest: Digest | None = None
    changed_items: ChangedItems | None = None
    forget: Forget | None = None


@dataclass(frozen=True, slots=True)
class Command:
    """A ``sphinx-techspec NAME`` subcommand: ``configure`` adds its arguments, ``run``
    returns the exit status (0 fine, 1 a finding such as suspect links, 2 an error)."""

    name: str
    help: str
    configure: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]


def lazy(module: str, function: str) -> Callable[..., Any]:
    """``module.function``, imported when first called: a command's code stays out of builds."""

    def call(*args: Any, **kwargs: Any) -> Any:
        return getattr(importlib.import_module(module), function)(*args, **kwargs)

    call.__qualname__ = f"{module}.{function}"
    return call


@dataclass(frozen=True, slots=True)
class Feature:
    """Everything one feature package adds to Sphinx.

    - ``item_types`` / ``link_types``: declarations (see :mod:`.model`);
      ``link_sources`` adds source types to a link type another feature declares.
    - ``views``: :class:`~sphinx_techspec.view.View` declarations (name, directive
      class, renderer); registered in and out of the domain, rendered in the one walk.
    - ``directives``: other directives (name → class), registered in and out of the domain.
    - ``placeholders``: node class → resolver, run in the one walk of each page at
      ``doctree-resolved``.
    - ``indexes``: name → builder(domain); built once after reading, on demand,
      dropped with the domain's item index (``domain.derived(name)``).
    - ``checks``: run once per build after reading; ``exports``: see :class:`Export`.
    - ``stores``: the feature's state (:class:`Store`); ``derive`` / ``gates``: the
      phases around ``checks`` after reading: derive → check → gate, every build.
    - ``item_marks`` / ``link_marks``: states shown beside an item or a link everywhere
      the shared reference helpers render it; ``card_rows``: extra rows on item cards;
      ``item_export``: extra keys per item in techspec.json and needs.json.
    - ``commands``: ``sphinx-techspec`` subcommands (:class:`Command`).
    - ``warnings``: the ``techspec.<subtype>`` values this feature emits, with meanings.
    - ``field_shapes``: item type → field → JSON Schema of the structured fields its
      directives store; items from another project must match them (else the field is
      left out with a warning), so no check or view ever reads a field of another shape.
    - ``setup``: anything else, called last (per-page state is a store, not a handler).
    - ``item_urls``: URLs of items with no page here (see :mod:`.urls`);
      ``item_fields``: item type → fields this feature adds to another feature's type
      (``"*"``: to every item type, those of ``conf.py`` too);
      ``diagram_styles``: item type → :class:`~.diagrams.NodeStyle` of this feature's types;
      ``extra_columns``: columns added to another feature's view (:class:`ExtraColumn`);
      ``coverage_sources``: name → :data:`CoverageSource`, what ``"in"`` of a coverage
      rule names (``"in": "code"``: the link must come from code markers).
    """

    name: str
    item_types: tuple[ItemType, ...] = ()
    link_types: tuple[LinkType, ...] = ()
    link_sources: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    config_values: tuple[ConfigValue, ...] = ()
    views: tuple[View, ...] = ()
    directives: Mapping[str, type] = field(default_factory=dict)
    placeholders: Mapping[type, Resolver] = field(default_factory=dict)
    indexes: Mapping[str, Callable[[TechspecDomain], Any]] = field(default_factory=dict)
    checks: tuple[Check, ...] = ()
    stores: tuple[Store, ...] = ()
    derive: tuple[Phase, ...] = ()
    gates: tuple[Phase, ...] = ()
    exports: tuple[Export, ...] = ()
    item_marks: tuple[ItemMarks, ...] = ()
    link_marks: tuple[LinkMarks, ...] = ()
    card_rows: tuple[CardRows, ...] = ()
    item_export: tuple[ItemExport, ...] = ()
    commands: tuple[Command, ...] = ()
    warnings: Mapping[str, str] = field(default_factory=dict)
    field_shapes: Mapping[str, Mapping[str, Mapping[str, Any]]] = field(default_factory=dict)
    setup: Callable[[Sphinx], None] | None = None
    item_urls: tuple[ItemUrl, ...] = ()
    item_fields: Mapping[str, tuple[FieldSpec, ...]] = field(default_factory=dict)
    diagram_styles: Mapping[str, NodeStyle] = field(default_factory=dict)
    extra_columns: tuple[ExtraColumn, ...] = ()
    coverage_sources: Mapping[str, CoverageSource] = field(default_factory=dict)


@functools.cache
def all_features() -> tuple[Feature, ...]:
    """Every feature's declaration, imported once per process."""
    return tuple(importlib.import_module(name).FEATURE for name in FEATURES)


@functools.cache
def views() -> dict[str, View]:
    """View name → its declaration, over every feature."""
    return {view.name: view for feature in all_features() for view in feature.views}


@functools.cache
def config_values() -> dict[str, ConfigValue]:
    return {value.name: value for feature in all_features() for value in feature.config_values}


@functools.cache
def warning_subtypes() -> dict[str, str]:
    """Every ``techspec.<subtype>`` with its meaning (the docs' warning table)."""
    return {key: text for feature in all_features() for key, text in feature.warnings.items()}


@functools.cache
def field_shapes() -> dict[str, dict[str, Mapping[str, Any]]]:
    """Item type → field → JSON Schema, from every feature's ``field_shapes``."""
    found: dict[str, dict[str, Mapping[str, Any]]] = {}
    for feature in all_features():
        for item_type, shapes in feature.field_shapes.items():
            found.setdefault(item_type, {}).update(shapes)
    return found


@functools.cache
def stores() -> dict[str, Store]:
    """Store name → its declaration, over every installed feature: the domain's data layout."""
    return {store.name: store for feature in all_features() for store in feature.stores}


# -- the features of one application ----------------------------------------------------


def feature_names() -> tuple[str, ...]:
    """The name of every installed feature (``techspec_features`` chooses among them)."""
    return tuple(feature.name for feature in all_features())


class Registry:
    """The features one application uses, and every lookup over them, built once.

    A project switches features off with ``techspec_features`` in ``conf.py`` (the
    core always stays); nothing here is shared between applications.
    """

    def __init__(self, features: Iterable[Feature]) -> None:
        self.features = tuple(features)
        self.names = frozenset(feature.name for feature in self.features)
        every = self.features
        self.resolvers: dict[type, Resolver] = {}
        for feature in every:
            self.resolvers.update(feature.placeholders)
        self.views: dict[str, View] = {v.name: v for f in every for v in f.views}
        self.index_builders: dict[str, Callable[[TechspecDomain], Any]] = {
            name: build for f in every for name, build in f.indexes.items()
        }
        self.item_marks: tuple[ItemMarks, ...] = tuple(h for f in every for h in f.item_marks)
        self.link_marks: tuple[LinkMarks, ...] = tuple(h for f in every for h in f.link_marks)
        self.card_rows: tuple[CardRows, ...] = tuple(h for f in every for h in f.card_rows)
        self.item_export: tuple[ItemExport, ...] = tuple(h for f in every for h in f.item_export)
        self.item_urls: tuple[ItemUrl, ...] = tuple(h for f in every for h in f.item_urls)
        self.diagram_styles: dict[str, NodeStyle] = {
            name: style for f in every for name, style in f.diagram_styles.items()
        }
        self.exports: tuple[Export, ...] = tuple(e for f in every for e in f.exports)
        self.coverage_sources: dict[str, CoverageSource] = {
            name: source for f in every for name, source in f.coverage_sources.items()
        }
        #: The stores whose hooks run in this application's builds (``Feature.stores``).
        self.stores: dict[str, Store] = {s.name: s for f in every for s in f.stores}
        self._schema: tuple[str, SpecSchema] | None = None
        self._settings: dict[type, Any] = {}

    def extra_columns(self, view: str) -> tuple[ExtraColumn, ...]:
        return tuple(c for f in self.features for c in f.extra_columns if c.view == view)

    def settings(self, kind: type[Settings], config: Any) -> Settings:
        """A feature's typed configuration, ``kind.from_config(config)``, built once.

        Read it during the build (after ``config-inited``, when every value is checked).
        """
        found = self._settings.get(kind)
        if found is None:
            found = self._settings[kind] = kind.from_config(config)  # type: ignore[attr-defined]
        return found

    def schema(self, config: Any) -> SpecSchema:
        """The project's schema, rebuilt only when the values it reads change."""
        key = repr(
            (config.techspec_item_types, config.techspec_link_types, config.techspec_id_pattern)
        )
        if self._schema is None or self._schema[0] != key:
            self._schema = (key, SpecSchema.build(config, self.features))
        return self._schema[1]


_REGISTRIES: weakref.WeakKeyDictionary[Any, Registry] = weakref.WeakKeyDictionary()


def enable_features(app: Sphinx, names: Iterable[str] | None) -> Registry:
    """Build ``app``'s registry from the named features (``None``: all); the core always."""
    wanted = set(feature_names() if names is None else names) | {"core"}
    found = Registry(f for f in all_features() if f.name in wanted)
    _REGISTRIES[app] = found
    return found


def registry(app: Sphinx) -> Registry:
    """The features ``app`` uses (every feature for an application set up elsewhere)."""
    found = _REGISTRIES.get(app)
    if found is None:
        found = enable_features(app, None)
    return found


def app_of(env: BuildEnvironment) -> Sphinx:
    """The application of ``env`` (``env._app`` in Sphinx 9, ``env.app`` before)."""
    return env._app if hasattr(env, "_app") else env.app  # type: ignore[attr-defined]
