"""The project's schema: declared item and link types plus what ``conf.py`` adds.

Built from the config alone, so every process (main, parallel readers) derives
the same schema without shared state.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sphinx.config import Config

from .core_config import CoreConfig
from .item_types import COMMON_FIELDS
from .model import FieldSpec, ItemType, LinkType

if TYPE_CHECKING:
    from .feature import Feature


def declared_types(features: Iterable[Feature]) -> tuple[list[ItemType], list[LinkType]]:
    """The features' item and link types, with the sources and fields features add
    to other features' types (test results' ``junit`` field of the test case)."""
    features = tuple(features)
    item_types: dict[str, ItemType] = {}
    links: dict[str, LinkType] = {}
    for feature in features:
        item_types.update((item_type.name, item_type) for item_type in feature.item_types)
        links.update((link.name, link) for link in feature.link_types)
    for feature in features:
        for name, sources in feature.link_sources.items():
            link = links.get(name)
            if link is not None and link.sources:
                extra = tuple(s for s in sources if s not in link.sources)
                links[name] = dataclasses.replace(link, sources=(*link.sources, *extra))
        for name, fields in feature.item_fields.items():
            item_type = item_types.get(name)
            if item_type is not None:
                item_types[name] = dataclasses.replace(
                    item_type, fields=(*item_type.fields, *fields)
                )
    return list(item_types.values()), list(links.values())


@dataclass
class SpecSchema:
    """Item and link types in force for one project."""

    item_types: dict[str, ItemType]
    link_types: dict[str, LinkType]
    id_pattern: re.Pattern[str]
    #: (config value name, message) for each malformed entry found in conf.py.
    problems: list[tuple[str, str]] = field(default_factory=list)
    #: The core's checked, typed configuration the schema was built from.
    core_config: CoreConfig = field(default_factory=CoreConfig)
    #: Fields features give every item type (``Feature.item_fields["*"]``).
    every_type_fields: tuple[FieldSpec, ...] = ()

    @classmethod
    def build(cls, config: Config, features: Iterable[Feature]) -> SpecSchema:
        """The schema of ``config`` over ``features``; an application builds it once
        per configuration (``feature.registry(app).schema(config)``)."""
        features = tuple(features)
        core = CoreConfig.from_config(config)
        problems = list(core.problems)
        declared_items, declared_links = declared_types(features)
        item_types = {t.name: t for t in declared_items}
        link_types = {t.name: t for t in declared_links}
        item_types.update((t.name, t) for t in core.item_types)
        link_types.update((t.name, t) for t in core.link_types)
        for link in link_types.values():
            unknown = [t for t in (*link.sources, *link.targets) if t not in item_types]
            if unknown:
                problems.append(
                    (
                        "techspec_link_types",
                        f"link type {link.name!r} names unknown item types: {', '.join(unknown)}",
                    )
                )
            if link.name in {f.name for f in COMMON_FIELDS} or link.name == "id":
                problems.append(
                    ("techspec_link_types", f"link type {link.name!r} clashes with an item option")
                )
        every_type = tuple(spec for f in features for spec in f.item_fields.get("*", ()))
        return cls(item_types, link_types, core.id_pattern, problems, core, every_type)

    def fields_of(self, item_type: ItemType) -> tuple[FieldSpec, ...]:
        """Common fields first and last; a type may redeclare one (its own statuses)."""
        own = {spec.name: spec for spec in item_type.fields}
        status, priority, tags = (own.pop(spec.name, spec) for spec in COMMON_FIELDS)
        every = tuple(spec for spec in self.every_type_fields if spec.name not in own)
        return (status, priority, *own.values(), tags, *every)

    def field_of(self, item_type: str, name: str) -> FieldSpec | None:
        type_ = self.item_types.get(item_type)
        if type_ is None:
            return None
        for spec in self.fields_of(type_):
            if spec.name == name:
                return spec
        return None

    def links_from(self, item_type: str) -> list[LinkType]:
        return [link for link in self.link_types.values() if link.allows_source(item_type)]

    def role_types(self) -> dict[str, tuple[str, ...]]:
        """Role name → item types it may refer to (``spec`` refers to any)."""
        roles: dict[str, list[str]] = {"spec": list(self.item_types)}
        for item_type in self.item_types.values():
            if item_type.role:
                roles.setdefault(item_type.role, []).append(item_type.name)
        return {name: tuple(types) for name, types in roles.items()}

    def label(self, item_type: str) -> str:
        type_ = self.item_types.get(item_type)
        return type_.label if type_ else item_type


def allowed_values(spec: FieldSpec, config: Config) -> list[str] | None:
    """The allowed values of a choice field, or ``None`` when any value goes."""
    if spec.choices:
        return list(spec.choices)
    if spec.choices_config:
        values = getattr(config, spec.choices_config, None)
        if values:
            return [str(v) for v in values]
    return None
