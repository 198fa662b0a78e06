"""The one way sphinx-techspec reports a problem in a spec.

Every warning is located and typed (``techspec.<subtype>``) so that
``suppress_warnings`` and ``sphinx-build -W`` work on it.
"""

from __future__ import annotations

from typing import Any

from sphinx.util import logging

logger = logging.getLogger("sphinx_techspec")

#: Every subtype we emit, with what it means; the docs list these.
SUBTYPES: dict[str, str] = {
    "duplicate_id": "two items share an ID",
    "unknown_ref": "a link or role names an ID no item has",
    "wrong_link_type": "a link joins item types its link type does not allow",
    "bad_value": "an option value is not one of the allowed values",
    "bad_id": "an item ID does not match techspec_id_pattern",
    "missing_title": "an item has no title",
    "link_cycle": "links of an acyclic link type form a cycle",
    "bad_option": "an option is malformed or not known for this item type",
    "bad_config": "a techspec_* configuration value is malformed",
}


def warn(message: str, subtype: str, location: Any) -> None:
    """Emit a located ``techspec.<subtype>`` warning; messages stay on one line."""
    logger.warning(" ".join(message.split()), location=location, type="techspec", subtype=subtype)
