"""Exports written into the output directory on every build.

``techspec.json`` (our own format, described by the JSON Schema in
``sphinx_techspec/schemas/``) and ``needs.json`` (sphinx-needs' exchange format,
for ``needimport`` and ``needs_external_needs``). Both are built from the
domain once the build has finished, so they hold every item whatever was
re-read.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.util import logging

from ..domain import DOMAIN, TechspecDomain
from .needs_json import needs_document
from .techspec_json import techspec_document

logger = logging.getLogger(__name__)

TECHSPEC_JSON = "techspec.json"
NEEDS_JSON = "needs.json"


def setup_feature(app: Sphinx) -> None:
    app.add_config_value("techspec_export_json", True, "", types=[bool])
    app.add_config_value("techspec_export_needs", True, "", types=[bool])
    app.connect("build-finished", write_exports)


def write_exports(app: Sphinx, exception: BaseException | None) -> None:
    if exception is not None or app.builder is None:
        return
    domain: TechspecDomain = app.env.get_domain(DOMAIN)  # type: ignore[assignment]
    outdir = Path(app.outdir)
    if app.config.techspec_export_json:
        write_json(outdir / TECHSPEC_JSON, techspec_document(app, domain))
    if app.config.techspec_export_needs:
        write_json(outdir / NEEDS_JSON, needs_document(app, domain))


def write_json(path: Path, document: dict[str, Any]) -> None:
    """Write only when the content changed, so unchanged exports keep their mtime."""
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    try:
        if path.read_text(encoding="utf-8") == text:
            return
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    logger.info("sphinx-techspec: wrote %s", path.name)
