"""Linked projects' configuration as one typed object, built from the checked values.

``techspec_external_projects`` (name → source, or ``{"source": ..., "base_url": ...}``),
``techspec_external_timeout`` and ``techspec_external_cache_limit`` are read here
once; loading reads :class:`LinkedProjectsConfig`, not the raw dicts. Total: a value
the config check never saw is left out or gives the default.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..feature import app_of, registry

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment


@dataclass(frozen=True, slots=True)
class LinkedProject:
    """One linked project: its name (the ID prefix), where its techspec.json is, its pages."""

    name: str
    source: str
    base_url: str = ""


@dataclass(frozen=True, slots=True)
class LinkedProjectsConfig:
    #: In name order: every build reads them in the same order.
    projects: tuple[LinkedProject, ...] = ()
    timeout: float = 10
    cache_limit_days: float = 1

    @classmethod
    def from_config(cls, config: Any) -> LinkedProjectsConfig:
        raw = getattr(config, "techspec_external_projects", None)
        projects = []
        for name, value in sorted((raw if isinstance(raw, Mapping) else {}).items()):
            if isinstance(value, str):
                projects.append(LinkedProject(str(name), value))
            elif isinstance(value, Mapping) and isinstance(value.get("source"), str):
                base = value.get("base_url")
                projects.append(
                    LinkedProject(str(name), value["source"], base if isinstance(base, str) else "")
                )
        return cls(
            projects=tuple(projects),
            timeout=_number(getattr(config, "techspec_external_timeout", 10), 10),
            cache_limit_days=_number(getattr(config, "techspec_external_cache_limit", 1), 1),
        )


def _number(value: Any, default: float) -> float:
    return (
        float(value) if isinstance(value, int | float) and not isinstance(value, bool) else default
    )


def linked_projects(env: BuildEnvironment) -> LinkedProjectsConfig:
    """The project's :class:`LinkedProjectsConfig`, built once per application."""
    app = app_of(env)
    return registry(app).settings(LinkedProjectsConfig, app.config)
