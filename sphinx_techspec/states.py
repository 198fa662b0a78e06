"""States you can see: every status, severity and decision state maps to one visual state.

The visual states are :data:`~sphinx_techspec.feature.STATES` (ok, attention,
problem, inactive, neutral); each has one CSS class, ``techspec-state-<state>``,
styled in ``techspec.css`` with a contrast of at least 4.5:1 in light and dark
themes. ``techspec_status_styles`` maps a value (``"open"``) or a typed value
(``"risk:accepted"``, for a word two vocabularies use differently) to a state;
the defaults cover the shipped vocabularies. An item whose status is *inactive*
(rejected, deprecated, superseded, closed) carries that word as a mark wherever
it is referenced, so "Decided by: ADR-001" says ADR-001 was superseded.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from docutils import nodes

from .feature import STATES, ConfigValue, Feature, Mark

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from .domain import TechspecDomain
    from .model import Item

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


def inactive_marks(app: Sphinx, domain: TechspecDomain, item: Item) -> Iterable[Mark]:
    """``superseded`` / ``rejected`` / ``deprecated`` beside every reference to such an item."""
    status = item.fields.get("status")
    if status and state_of(app.config, status, item.type) == "inactive":
        yield Mark(str(status), "inactive", f"{item.id} is {status}")


def add_table_script(app: Sphinx) -> None:
    """Sorting and filtering of view tables: HTML builders only, never in PDF or text."""
    if app.builder.format == "html":
        app.add_js_file("techspec.js", loading_method="defer")


def setup_states(app: Sphinx) -> None:
    app.connect("builder-inited", add_table_script)


FEATURE = Feature(
    name="states",
    config_values=(
        ConfigValue(
            "techspec_status_styles",
            {},
            STYLES_SCHEMA,
            description="status, severity or decision value (or type:value) → visual state",
        ),
    ),
    item_marks=(inactive_marks,),
    setup=setup_states,
)
