"""The one view base: directive, placeholder, filter, renderer, empty state.

A view directive checks its input through :mod:`.options`, parses the shared
filter (:mod:`.filters`) and its own options into a :class:`ViewNode`, and tells
the domain which item types and feature stores the page shows (``note_view``), so
incremental builds rewrite the page when such an item or store changes anywhere. At
``doctree-resolved`` the one walk of the page (:func:`~.nodes.resolve_placeholders`)
hands the node to the view's renderer, which returns standard docutils nodes built
from domain data.

A feature declares a view as ``View(name, directive, render)``; see
``docs/architecture.md`` for a worked example.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, ClassVar

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from .diagnostics import warn
from .domain import DOMAIN, TechspecDomain
from .filters import FILTER_OPTIONS, ItemFilter, parse_filter
from .model import split_list
from .nodes import Placeholder, Renderer
from .option_lines import option_line, option_location
from .options import OpenOptionSpec, open_spec, report_option_problems, report_unexpected_input
from .suggestions import did_you_mean, did_you_mean_id


class ViewNode(nodes.General, Placeholder):
    """Placeholder of a view: ``view`` names it, the other attributes are its parsed options."""


@dataclass(frozen=True, slots=True)
class View:
    """A view as a feature declares it: the directive name, its class and its renderer."""

    name: str
    directive: type[ViewDirective]
    render: Renderer


class ViewDirective(SphinxDirective):
    """Base of every view directive of every feature.

    Subclasses set ``own_options`` (beside the shared filter options),
    ``default_types``, and override ``configure`` to store their own options in
    the node. ``takes_argument`` / ``takes_content`` say whether the view reads
    them; either given when not read is a ``techspec.bad_option`` warning.
    """

    #: The view's name (its directive name), set from its :class:`View` declaration.
    view_name: ClassVar[str] = ""
    #: Item types a view shows when ``:types:`` is not given (empty: any type).
    default_types: ClassVar[tuple[str, ...]] = ()
    #: Whether the shared filter options (``:types:``, ``:status:`` …) apply.
    filters: ClassVar[bool] = True
    #: Feature stores the view shows data of (``Feature.stores``): a change rewrites the page.
    reads: ClassVar[tuple[str, ...]] = ()
    own_options: ClassVar[dict[str, Any]] = {}
    takes_argument: ClassVar[bool] = False
    takes_content: ClassVar[bool] = False

    # Accept everything at the docutils level; we report what does not fit.
    has_content = True
    optional_arguments = 1
    final_argument_whitespace = True
    option_spec: ClassVar[dict[str, Any]] = OpenOptionSpec()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.option_spec = open_spec({**(FILTER_OPTIONS if cls.filters else {}), **cls.own_options})

    @property
    def domain(self) -> TechspecDomain:
        return self.env.get_domain(DOMAIN)  # type: ignore[return-value]

    def run(self) -> list[nodes.Node]:
        location = self.get_location()
        what = self.view_name or self.name
        report_option_problems(self.options, self.option_spec, what, location, self.option_location)
        report_unexpected_input(
            what, location, self.arguments, self.content, self.takes_argument, self.takes_content
        )
        node = ViewNode(view=self.view_name or self.name.rpartition(":")[2])
        self.set_source_info(node)
        node["docname"] = self.env.docname
        node["filter"] = (
            parse_filter(
                self.options,
                self.domain.schema,
                self.config,
                location,
                self.default_types,
                self.option_location,
            )
            if self.filters
            else ItemFilter(types=self.default_types)
        )
        self.note_option_location(node, "ids")
        self.configure(node)
        self.domain.note_view(self.env.docname, self.shown_types(node), self.read_stores(node))
        return [node]

    def configure(self, node: ViewNode) -> None:
        """Parse the view's own options into ``node`` (warn at ``self.option_location``)."""

    def option_location(self, name: str) -> Any:
        """Where a warning about option ``name`` points: its own line when known."""
        return option_location(self, name)

    def note_option_location(self, node: ViewNode, name: str) -> None:
        """Keep option ``name``'s location in ``node`` as ``<name>_location``, for a check
        made once every page is read (an unknown ID); only when its line is known."""
        if self.options.get(name) and option_line(self, name) is not None:
            node[f"{name}_location"] = self.option_location(name)

    def shown_types(self, node: ViewNode) -> Iterable[str] | None:
        """Item types whose changes may change this view (``None``: any type)."""
        item_filter: ItemFilter = node["filter"]
        return list(item_filter.types) if item_filter.types else None

    def read_stores(self, node: ViewNode) -> Iterable[str]:
        """Feature stores whose changes may change this view (default: ``reads``)."""
        return self.reads

    def link_types_option(self, option: str = "links") -> list[str]:
        """The declared link types a ``:links:``-like option names; each other name is a
        located ``techspec.unknown_type`` warning with the closest link type."""
        known = self.domain.schema.link_types
        names = split_list(self.options.get(option))
        for name in names:
            if name not in known:
                hint = did_you_mean(name, known)
                warn(
                    f"unknown link type {name!r} in :{option}:{hint} "
                    f"(known: {', '.join(sorted(known))})",
                    "unknown_type",
                    self.option_location(option),
                )
        return [name for name in names if name in known]


def render_view(
    app: Sphinx, domain: TechspecDomain, docname: str, node: nodes.Element
) -> list[nodes.Node]:
    """The resolver of every :class:`ViewNode`: dispatch to the view's renderer."""
    view = domain.features.views.get(node["view"])
    if view is None:
        return []
    if isinstance(node.get("filter"), ItemFilter):  # for every view, once all pages are read
        warn_unknown_ids(domain, node["filter"], node)
    return view.render(app, domain, docname, node)


def warn_unknown_ids(
    domain: TechspecDomain, item_filter: ItemFilter, node: ViewNode, option: str = "ids"
) -> None:
    """Explicit IDs are checked once every page is read (once per view node)."""
    if node.get("ids_checked"):
        return
    node["ids_checked"] = True
    for item_id in item_filter.ids:
        if domain.get(item_id) is None:
            hint = did_you_mean_id(item_id, domain.items)
            warn(
                f"unknown ID {item_id!r} in :{option}:{hint}",
                "unknown_ref",
                node.get(f"{option}_location") or node,
            )


# -- the empty state every view shares ---------------------------------------------


def info_line(text: str) -> nodes.paragraph:
    """A line in the output saying why a view is empty or cut (not a warning)."""
    return nodes.paragraph("", text, classes=["techspec-info"])


def nothing_matches(item_filter: ItemFilter, what: str = "this view") -> nodes.paragraph:
    return info_line(f"No items match {what} ({item_filter.describe()}).")
