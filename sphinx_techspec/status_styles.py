"""The visual state of a status, severity or decision value (the core's part of states).

Every value maps to one of :data:`~sphinx_techspec.feature.STATES` (ok, attention,
problem, inactive, neutral), shown as the class ``techspec-state-<state>``.
``techspec_status_styles`` maps a value (``"open"``) or a typed value
(``"risk:accepted"``, for a word two vocabularies use differently) to a state; the
defaults cover the shipped vocabularies. Item headers (core) and views use it;
the ``states`` feature adds the marks of inactive items.
"""

from __future__ import annotations

import functools
from typing import Any

from docutils import nodes

from .feature import STATES

#: The state of every value of the shipped vocabularies: core, risk, decision and spec
#: statuses, and risk severities. A ``type:value`` key wins over the plain value.
DEFAULT_STATUS_STYLES: dict[str, str] = {
    # core statuses
    "draft": "neutral",
    "proposed": "attention",
    "approved": "ok",
    "implemented": "ok",
    "verified": "ok",
    "rejected": "inactive",
    "deprecated": "inactive",
    # spec statuses
    "in-review": "attention",
    # risk statuses
    "open": "problem",
    "mitigated": "ok",
    "closed": "inactive",
    "risk:accepted": "attention",
    # decision statuses
    "accepted": "ok",
    "superseded": "inactive",
    # risk severities (also the likelihood and impact scales)
    "low": "neutral",
    "medium": "attention",
    "high": "problem",
    "critical": "problem",
}

STYLES_SCHEMA = {
    "type": "object",
    "propertyNames": {"minLength": 1},
    "additionalProperties": {"enum": list(STATES)},
}


@functools.cache
def _merged(configured: tuple[tuple[str, str], ...]) -> dict[str, str]:
    return {**DEFAULT_STATUS_STYLES, **dict(configured)}


def status_styles(config: Any) -> dict[str, str]:
    """Defaults and ``techspec_status_styles`` together (computed once per distinct config)."""
    configured = getattr(config, "techspec_status_styles", None) or {}
    return _merged(tuple(sorted(configured.items())))


def state_of(config: Any, value: Any, item_type: str | None = None) -> str:
    """The visual state of ``value`` (an item of ``item_type``); ``neutral`` if unknown."""
    if value in (None, "", []):
        return "neutral"
    styles = status_styles(config)
    text = str(value)
    if item_type is not None and f"{item_type}:{text}" in styles:
        return styles[f"{item_type}:{text}"]
    return styles.get(text, "neutral")


def state_badge(config: Any, value: Any, item_type: str | None = None) -> nodes.Node | str:
    """A status or severity word with its state class; the bare word in every other builder."""
    if value in (None, "", []):
        return ""
    text = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    state = state_of(config, value if not isinstance(value, list) else value[0], item_type)
    return nodes.inline(
        "",
        text,
        classes=[
            "techspec-status",
            f"techspec-status-{nodes.make_id(text)}",
            f"techspec-state-{state}",
        ],
    )
