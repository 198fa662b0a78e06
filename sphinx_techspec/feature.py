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
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .model import Item, ItemType, LinkType

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

    from .domain import TechspecDomain
    from .view import View

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
    "sphinx_techspec.lsp",
)

#: A placeholder resolver: (app, domain, docname, node) → the nodes that replace it.
Resolver = Callable[["Sphinx", "TechspecDomain", str, "nodes.Element"], "list[nodes.Node]"]

#: A check run once per build after reading (``env-check-consistency``).
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
    - ``item_marks`` / ``link_marks``: states shown beside an item or a link everywhere
      the shared reference helpers render it; ``card_rows``: extra rows on item cards;
      ``item_export``: extra keys per item in techspec.json and needs.json.
    - ``commands``: ``sphinx-techspec`` subcommands (:class:`Command`).
    - ``warnings``: the ``techspec.<subtype>`` values this feature emits, with meanings.
    - ``setup``: anything else (event handlers, collectors), called last.
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
    exports: tuple[Export, ...] = ()
    item_marks: tuple[ItemMarks, ...] = ()
    link_marks: tuple[LinkMarks, ...] = ()
    card_rows: tuple[CardRows, ...] = ()
    item_export: tuple[ItemExport, ...] = ()
    commands: tuple[Command, ...] = ()
    warnings: Mapping[str, str] = field(default_factory=dict)
    setup: Callable[[Sphinx], None] | None = None


@functools.cache
def all_features() -> tuple[Feature, ...]:
    """Every feature's declaration, imported once per process."""
    return tuple(importlib.import_module(name).FEATURE for name in FEATURES)


@functools.cache
def resolvers() -> dict[type, Resolver]:
    """Placeholder class → resolver, over every feature (one walk of each page uses it)."""
    found: dict[type, Resolver] = {}
    for feature in all_features():
        found.update(feature.placeholders)
    return found


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
def index_builders() -> dict[str, Callable[[TechspecDomain], Any]]:
    return {name: build for feature in all_features() for name, build in feature.indexes.items()}


@functools.cache
def item_mark_hooks() -> tuple[ItemMarks, ...]:
    return tuple(hook for feature in all_features() for hook in feature.item_marks)


@functools.cache
def link_mark_hooks() -> tuple[LinkMarks, ...]:
    return tuple(hook for feature in all_features() for hook in feature.link_marks)


@functools.cache
def card_row_hooks() -> tuple[CardRows, ...]:
    return tuple(hook for feature in all_features() for hook in feature.card_rows)


@functools.cache
def item_export_hooks() -> tuple[ItemExport, ...]:
    return tuple(hook for feature in all_features() for hook in feature.item_export)
