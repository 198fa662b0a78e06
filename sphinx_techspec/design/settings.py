"""The design feature's configuration as one typed object, built from the checked values.

``techspec_openapi`` (``False``, or the document's title, version, description and
servers) and ``techspec_auth_schemes`` (added to or replacing the built-in schemes)
are read here once; the directives and the OpenAPI export read :class:`DesignConfig`,
not the raw dicts. Total: a value the config check never saw gives defaults.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..feature import app_of, registry

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment

#: Schemes every project has; ``techspec_auth_schemes`` adds to them or replaces one.
DEFAULT_AUTH_SCHEMES: dict[str, dict[str, Any]] = {
    "bearer": {"type": "http", "scheme": "bearer"},
    "basic": {"type": "http", "scheme": "basic"},
    "api-key": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
}


@dataclass(frozen=True, slots=True)
class DesignConfig:
    """What ``openapi.json`` says about the API, and the auth schemes endpoints may name."""

    openapi: bool = True
    title: str = ""
    version: str = ""
    description: str = ""
    servers: tuple[Mapping[str, Any], ...] = ()
    auth_schemes: Mapping[str, Mapping[str, Any]] = field(
        default_factory=lambda: dict(DEFAULT_AUTH_SCHEMES)
    )

    @classmethod
    def from_config(cls, config: Any) -> DesignConfig:
        raw = getattr(config, "techspec_openapi", {})
        settings = raw if isinstance(raw, Mapping) else {}
        servers = settings.get("servers", [])
        configured = getattr(config, "techspec_auth_schemes", None) or {}
        schemes = dict(DEFAULT_AUTH_SCHEMES)
        if isinstance(configured, Mapping):
            schemes.update({str(k): v for k, v in configured.items() if isinstance(v, Mapping)})
        return cls(
            openapi=raw is not False,
            title=str(settings.get("title") or ""),
            version=str(settings.get("version") or ""),
            description=str(settings.get("description") or ""),
            servers=tuple(
                server if isinstance(server, Mapping) else {"url": str(server)}
                for server in (servers if isinstance(servers, list | tuple) else ())
            ),
            auth_schemes=schemes,
        )


def design_config(env: BuildEnvironment) -> DesignConfig:
    """The project's :class:`DesignConfig`, built once per application."""
    app = app_of(env)
    return registry(app).settings(DesignConfig, app.config)
