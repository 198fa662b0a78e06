"""Which items a view shows: the filter options every view directive shares.

The filter is parsed and checked at read time (where the directive can warn at
its own line) and stored, as plain data, in the view's placeholder node; it is
applied at ``doctree-resolved`` to the domain's index.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from docutils.parsers.rst import directives
from sphinx.config import Config

from .diagnostics import warn
from .domain import TechspecDomain
from .item_types import STATUS
from .model import Item, natural_key, split_list
from .schema import SpecSchema, allowed_values
from .suggestions import did_you_mean

#: Options every view takes to choose its items.
FILTER_OPTIONS: dict[str, Callable[[str | None], Any]] = {
    "types": directives.unchanged,
    "status": directives.unchanged,
    "tags": directives.unchanged,
    "kind": directives.unchanged,
    "docs": directives.unchanged,
    "ids": directives.unchanged,
}


@dataclass(frozen=True, slots=True)
class ItemFilter:
    """Item types, statuses, tags (any of), kinds, document globs and explicit IDs."""

    types: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    docs: tuple[str, ...] = ()
    ids: tuple[str, ...] = ()

    def matches(self, item: Item) -> bool:
        if self.types and item.type not in self.types:
            return False
        if self.statuses and item.fields.get("status") not in self.statuses:
            return False
        if self.kinds and item.fields.get("kind") not in self.kinds:
            return False
        if self.tags and not set(self.tags) & set(item.fields.get("tags", ())):
            return False
        return not self.docs or any(fnmatch.fnmatchcase(item.docname, g) for g in self.docs)

    def select(self, domain: TechspecDomain) -> list[Item]:
        """The matching items, by ID; costs the size of the typed index, not all items."""
        if self.ids:
            candidates: Iterable[Item] = (
                item for item in map(domain.get, self.ids) if item is not None
            )
        elif self.types:
            candidates = domain.items_of_type(*self.types)
        else:
            candidates = domain.items.values()
        return sorted(
            (item for item in candidates if self.matches(item)), key=lambda it: natural_key(it.id)
        )

    def describe(self) -> str:
        """The filter in words, for the line shown when nothing matches."""
        parts = [
            f"{name}: {', '.join(values)}"
            for name, values in (
                ("types", self.types),
                ("status", self.statuses),
                ("tags", self.tags),
                ("kind", self.kinds),
                ("docs", self.docs),
                ("ids", self.ids),
            )
            if values
        ]
        return "; ".join(parts) or "no filter"


def parse_filter(
    options: dict[str, Any],
    schema: SpecSchema,
    config: Config,
    location: Any,
    default_types: tuple[str, ...] = (),
    at_option: Callable[[str], Any] | None = None,
) -> ItemFilter:
    """An :class:`ItemFilter` from directive options; unknown values warn and are dropped.

    ``at_option`` gives the location of an option's own line; without it, ``location``.
    """
    located: Callable[[str], Any] = at_option or (lambda _name: location)
    types = tuple(split_list(options.get("types"))) or default_types
    known_types = tuple(t for t in types if t in schema.item_types)
    for unknown in sorted(set(types) - set(known_types)):
        warn(
            f"unknown item type {unknown!r} in :types:"
            f"{did_you_mean(unknown, schema.item_types)} "
            f"(known: {', '.join(sorted(schema.item_types))})",
            "unknown_type",
            located("types"),
        )
    statuses = _checked_values(
        options.get("status"), allowed_values(STATUS, config), "status", located
    )
    kind_spec = schema.field_of("requirement", "kind")
    kinds = _checked_values(
        options.get("kind"),
        allowed_values(kind_spec, config) if kind_spec else None,
        "kind",
        located,
    )
    return ItemFilter(
        # Unknown types stay: they match nothing, rather than widening the filter.
        types=types,
        statuses=statuses,
        tags=tuple(split_list(options.get("tags"))),
        kinds=kinds,
        docs=tuple(split_list(options.get("docs"))),
        ids=tuple(dict.fromkeys(split_list(options.get("ids")))),
    )


def _checked_values(
    raw: str | None, allowed: list[str] | None, option: str, located: Callable[[str], Any]
) -> tuple[str, ...]:
    values = tuple(split_list(raw))
    if allowed is not None:
        for value in values:
            if value not in allowed:
                warn(
                    f":{option}: {value!r} is not one of: {', '.join(allowed)}",
                    "bad_value",
                    located(option),
                )
    return values
