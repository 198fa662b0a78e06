"""The item model: what a spec item is, which fields and links it may have.

Everything here is plain data, picklable, so that it can live in the domain's
``env.domaindata`` and travel between parallel readers.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

FieldKind = Literal["text", "list", "choice", "choice-list", "integer", "flag", "date"]
FIELD_KINDS: frozenset[str] = frozenset(FieldKind.__args__)  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One option of an item directive that is stored as a field of the item.

    ``choices_config`` names the config value that lists the allowed values, so
    projects can change the vocabulary without code.
    """

    name: str
    label: str
    kind: FieldKind = "text"
    choices_config: str | None = None
    choices: tuple[str, ...] = ()
    show: bool = True


@dataclass(frozen=True, slots=True)
class LinkType:
    """A typed link between items, declared once, shown on both ends.

    ``sources``/``targets`` name the item types allowed on each end; an empty
    tuple means any type. ``acyclic`` link types are checked for cycles.
    """

    name: str
    reverse: str
    sources: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()
    label: str = ""
    acyclic: bool = False

    @property
    def forward(self) -> str:
        return self.label or self.name.replace("-", " ")

    def allows_source(self, item_type: str) -> bool:
        return not self.sources or item_type in self.sources

    def allows_target(self, item_type: str) -> bool:
        return not self.targets or item_type in self.targets


#: Ranks of the traceability graph, left to right (``ItemType.layer``).
LAYERS: tuple[str, ...] = ("need", "requirement", "design", "test", "code")


@dataclass(frozen=True, slots=True)
class ItemType:
    """A kind of spec item: one declaration gives a directive, a role and an ObjType.

    ``directive`` is the directive class to use (``None``: the generic
    :class:`~sphinx_techspec.directives.ItemDirective`); feature modules that need
    another signature (an endpoint's ``GET /path``) subclass it. ``layer`` (one of
    :data:`LAYERS`) is the rank of its items in a traceability graph; ``traced=False``
    types (a spec header, an environment) are context, never counted as orphans.
    """

    name: str
    label: str
    role: str | None = None
    fields: tuple[FieldSpec, ...] = ()
    directive: type | None = None
    plural: str = ""
    layer: str = "design"
    traced: bool = True

    @property
    def plural_label(self) -> str:
        return self.plural or f"{self.label}s"


@dataclass(slots=True)
class Item:
    """One spec item as the domain stores it (the single source of truth)."""

    id: str
    type: str
    title: str
    docname: str
    lineno: int
    anchor: str
    fields: dict[str, Any] = field(default_factory=dict)
    links: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: The body as written, whitespace-normalised (change control fingerprints and diffs it).
    text: str = ""
    #: The file the item is written in when it is not the page's own (an included
    #: file), so that warnings after reading point at it; ``lineno`` is its line there.
    source: str = ""
    #: The line of each link option as written (``verifies`` → line), when known, so
    #: that the link checks after reading warn at the option, not the directive.
    link_lines: dict[str, int] = field(default_factory=dict)

    @property
    def location(self) -> tuple[str, int] | str:
        """Where warnings about the item point: the page and line, or the included file."""
        if self.source:
            return f"{self.source}:{self.lineno}"
        return (self.docname, self.lineno)

    def at(self, line: int) -> tuple[str, int] | str:
        """The location of ``line`` of the item's file (a line of its body)."""
        return f"{self.source}:{line}" if self.source else (self.docname, line)

    def link_location(self, link_name: str) -> tuple[str, int] | str:
        """Where warnings about link option ``link_name`` point: its line, or the item's."""
        line = self.link_lines.get(link_name)
        return self.at(line) if line else self.location

    @property
    def where(self) -> str:
        """``file:line`` for a message (relative to the source directory when possible)."""
        if self.source:
            return f"{self.source}:{self.lineno}"
        return f"{self.docname}:{self.lineno}"

    def sort_key(self) -> tuple[str, int]:
        return (self.docname, self.lineno)

    def link_targets(self) -> Iterable[str]:
        for targets in self.links.values():
            yield from targets

    def digest(self) -> tuple[Any, ...]:
        """What other pages may show of this item; compared between builds."""
        return (
            self.type,
            self.title,
            self.docname,
            self.anchor,
            _freeze(self.fields),
            tuple(sorted(self.links.items())),
        )


def _freeze(value: Any) -> Any:
    if isinstance(value, dict):
        return tuple(sorted((k, _freeze(v)) for k, v in value.items()))
    if isinstance(value, list | tuple):
        return tuple(_freeze(v) for v in value)
    return value


_NATURAL = re.compile(r"(\d+)")


@functools.lru_cache(maxsize=1 << 16)
def natural_key(text: str) -> tuple[Any, ...]:
    """Sort ``REQ-2`` before ``REQ-10``: what a reader of a spec expects.

    Cached (bounded): views sort the same IDs on every page that shows them.
    """
    return tuple(int(part) if part.isdigit() else part.lower() for part in _NATURAL.split(text))


def normalised_text(lines: Iterable[str]) -> str:
    """A directive body as written, each run of whitespace one space: rewrapping is no change."""
    return " ".join(" ".join(lines).split())


def split_list(value: str | None) -> list[str]:
    """Split a comma-separated option value, dropping blanks."""
    if not value:
        return []
    return [part.strip() for part in value.split(",") if part.strip()]
