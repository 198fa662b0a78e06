"""The core's configuration as one typed object, built once from the checked values.

``config.check_config`` validated every ``techspec_*`` value against its JSON
Schema at ``config-inited`` (a bad entry dropped alone, with a warning); this
module turns the core's values into typed data once — :class:`ItemType` and
:class:`LinkType` declarations, tuples of names, a compiled ID pattern — so no
other module reads an ``entry["name"]`` of ``techspec_item_types``. Like
MyST-Parser's ``MdParserConfig``: read the config through this object, not raw.
The builder is total: a value the check did not see (a test's fake config) gives
problems, never an exception.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .model import FIELD_KINDS, FieldSpec, ItemType, LinkType

#: The ID pattern used when ``techspec_id_pattern`` cannot be compiled.
DEFAULT_ID_PATTERN = r"[A-Za-z0-9_.-]+"


@dataclass(frozen=True, slots=True)
class CoreConfig:
    """``techspec_id_pattern``, the vocabularies and the types ``conf.py`` adds."""

    id_pattern: re.Pattern[str] = re.compile(DEFAULT_ID_PATTERN)
    statuses: tuple[str, ...] = ()
    priorities: tuple[str, ...] = ()
    requirement_kinds: tuple[str, ...] = ()
    #: Item and link types of ``techspec_item_types`` / ``techspec_link_types``.
    item_types: tuple[ItemType, ...] = ()
    link_types: tuple[LinkType, ...] = ()
    #: ``techspec_features``: the features in use (``None``: all).
    features: tuple[str, ...] | None = None
    #: (config value name, message) for what could not be used.
    problems: tuple[tuple[str, str], ...] = field(default=())

    @classmethod
    def from_config(cls, config: Any) -> CoreConfig:
        problems: list[tuple[str, str]] = []
        item_types = tuple(
            _item_type_from_config(entry, problems)
            for entry in _entries(
                getattr(config, "techspec_item_types", []), "techspec_item_types", problems
            )
        )
        link_types = tuple(
            link
            for entry in _entries(
                getattr(config, "techspec_link_types", []), "techspec_link_types", problems
            )
            if (link := _link_type_from_config(entry, problems)) is not None
        )
        pattern = getattr(config, "techspec_id_pattern", DEFAULT_ID_PATTERN)
        try:
            id_pattern = re.compile(pattern)
        except (re.error, TypeError) as exc:
            problems.append(
                (
                    "techspec_id_pattern",
                    f"techspec_id_pattern is not a valid regular expression: {exc}",
                )
            )
            id_pattern = re.compile(DEFAULT_ID_PATTERN)
        features = getattr(config, "techspec_features", None)
        return cls(
            id_pattern=id_pattern,
            statuses=_names(getattr(config, "techspec_statuses", ())),
            priorities=_names(getattr(config, "techspec_priorities", ())),
            requirement_kinds=_names(getattr(config, "techspec_requirement_kinds", ())),
            item_types=item_types,
            link_types=link_types,
            features=_names(features) if features is not None else None,
            problems=tuple(problems),
        )


def _entries(value: Any, name: str, problems: list[tuple[str, str]]) -> Iterable[Mapping[str, Any]]:
    if not isinstance(value, list | tuple):
        problems.append((name, f"{name} must be a list of dicts, not {type(value).__name__}"))
        return []
    good = []
    for entry in value:
        if isinstance(entry, Mapping) and isinstance(entry.get("name"), str) and entry["name"]:
            good.append(entry)
        else:
            problems.append(
                (name, f"{name}: every entry must be a dict with a 'name', not {entry!r}")
            )
    return good


def _names(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list | tuple):
        return tuple(str(v) for v in value)
    return ()


def _item_type_from_config(entry: Mapping[str, Any], problems: list[tuple[str, str]]) -> ItemType:
    name = entry["name"]
    fields: list[FieldSpec] = []
    for spec in entry.get("fields", ()):
        if isinstance(spec, str):
            spec = {"name": spec}
        if not isinstance(spec, Mapping) or not spec.get("name"):
            problems.append(("techspec_item_types", f"item type {name!r}: a field needs a 'name'"))
            continue
        choices = _names(spec.get("choices", ()))
        kind = spec.get("kind", "choice" if choices else "text")
        if kind not in FIELD_KINDS:
            problems.append(
                (
                    "techspec_item_types",
                    f"item type {name!r}: field {spec['name']!r} has unknown kind {kind!r} "
                    f"(one of {', '.join(sorted(FIELD_KINDS))})",
                )
            )
            kind = "text"
        fields.append(
            FieldSpec(
                str(spec["name"]),
                str(spec.get("label", str(spec["name"]).replace("-", " ").capitalize())),
                kind,
                choices=choices,
            )
        )
    return ItemType(
        name,
        str(entry.get("label", name.replace("-", " ").capitalize())),
        role=entry.get("role"),
        fields=tuple(fields),
    )


def _link_type_from_config(
    entry: Mapping[str, Any], problems: list[tuple[str, str]]
) -> LinkType | None:
    name = entry["name"]
    reverse = entry.get("reverse")
    if not isinstance(reverse, str) or not reverse:
        problems.append(
            (
                "techspec_link_types",
                f"link type {name!r} needs a 'reverse' label (e.g. 'verified by')",
            )
        )
        return None
    return LinkType(
        name,
        reverse,
        sources=_names(entry.get("sources", ())),
        targets=_names(entry.get("targets", ())),
        label=str(entry.get("label", "")),
        acyclic=bool(entry.get("acyclic", False)),
    )
