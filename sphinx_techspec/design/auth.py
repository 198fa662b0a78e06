"""Auth schemes: declared once (``techspec_auth_schemes``, read through
:class:`~.settings.DesignConfig`), referenced by endpoints.

A scheme is an OpenAPI Security Scheme Object, so the export copies it as it is.
``:auth: none`` marks a public endpoint; ``:auth: oauth2(users:read), api-key``
means either an OAuth2 token with that scope or an API key.
"""

from __future__ import annotations

import re
from typing import Any

from ..diagnostics import warn
from .field_syntax import split_top_level

_REQUIREMENT = re.compile(r"(?P<scheme>[A-Za-z0-9_.-]+)\s*(?:\((?P<scopes>[^()]*)\))?\Z")


def parse_auth(raw: str, schemes: dict[str, Any], location: Any) -> list[dict[str, Any]]:
    """``none`` → ``[]``; ``oauth2(a, b), api-key`` → alternatives with scopes."""
    text = " ".join((raw or "").split())
    if text.lower() == "none":
        return []
    requirements: list[dict[str, Any]] = []
    for entry in split_top_level(text):
        match = _REQUIREMENT.match(entry)
        if match is None:
            warn(
                f":auth: cannot read {entry!r} (write 'scheme' or 'scheme(scope, scope)')",
                "bad_value",
                location,
            )
            continue
        scheme = match["scheme"]
        if scheme not in schemes:
            warn(
                f":auth: unknown auth scheme {scheme!r} (known: none, "
                f"{', '.join(sorted(schemes))}; declare others in techspec_auth_schemes)",
                "bad_value",
                location,
            )
        scopes = [s.strip() for s in (match["scopes"] or "").split(",") if s.strip()]
        requirements.append({"scheme": scheme, "scopes": scopes})
    return requirements
