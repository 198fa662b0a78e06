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
    "bad_field": "a data-model field, endpoint parameter, type or example line cannot be read",
    "unknown_model": "a field type, foreign key, request or response names no data model",
    "bad_schema": "the JSON Schema derived from a data model is invalid (e.g. a bad pattern)",
    "example_invalid": "a JSON example does not match its model's JSON Schema",
    "bad_json": "a JSON example is not valid JSON",
    "bad_endpoint": "an endpoint has an unknown HTTP method or a malformed path",
    "path_param": "a path parameter is used but not declared, or declared but not used",
    "duplicate_endpoint": "the same METHOD and path are defined twice",
    "uncovered": "an item fails a gating rule of techspec_coverage_rules",
    "unknown_type": "a view names an item type or link type that is not declared",
    "duplicate_spec_header": "a document has more than one spec-header",
    "unmitigated_risk": "a risk at or above techspec_risk_gate has no :mitigated-by:",
    "dependency_version": "a library's :version: does not match the installed distribution",
    "incomplete": "a techspec_template section is missing or still holds its guide",
}


def warn(message: str, subtype: str, location: Any) -> None:
    """Emit a located ``techspec.<subtype>`` warning; messages stay on one line."""
    logger.warning(" ".join(message.split()), location=location, type="techspec", subtype=subtype)
