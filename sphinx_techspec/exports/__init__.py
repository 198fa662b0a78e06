"""Exports written into the output directory on every build.

``techspec.json`` (our own format, described by the JSON Schema in
``sphinx_techspec/schemas/``) and ``needs.json`` (sphinx-needs' exchange format,
for ``needimport`` and ``needs_external_needs``). Both are built from the
domain once the build has finished, so they hold every item whatever was
re-read; :mod:`sphinx_techspec.export_writer` writes them.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

from ..config import BOOLEAN
from ..domain import TechspecDomain
from ..feature import ConfigValue, Export, Feature
from .needs_json import needs_document
from .techspec_json import techspec_document

TECHSPEC_JSON = "techspec.json"
NEEDS_JSON = "needs.json"


def techspec_files(app: Sphinx, domain: TechspecDomain) -> dict[str, Any]:
    return {TECHSPEC_JSON: techspec_document(app, domain)}


def needs_files(app: Sphinx, domain: TechspecDomain) -> dict[str, Any]:
    return {NEEDS_JSON: needs_document(app, domain)}


FEATURE = Feature(
    name="exports",
    config_values=(
        ConfigValue("techspec_export_json", True, BOOLEAN, rebuild=""),
        ConfigValue("techspec_export_needs", True, BOOLEAN, rebuild=""),
    ),
    exports=(
        Export("techspec.json", "techspec_export_json", techspec_files, indent=2),
        Export("needs.json", "techspec_export_needs", needs_files),
    ),
    warnings={
        "export": "an export cannot be built or written (the message says why)",
        "invalid_export": "an export does not validate against its format (e.g. OpenAPI)",
    },
)
