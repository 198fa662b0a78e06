"""Interchange: ReqIF export and import, sphinx-needs import and migration, linked projects.

- :mod:`.reqif_export`: ``spec.reqif`` (``techspec_export_reqif = True``).
- :mod:`.reqif_import`: ``sphinx-techspec import-reqif FILE.reqif --out DIR``.
- :mod:`.needs_import`: ``.. needs-import::`` and ``techspec_needs_import``.
- :mod:`.migrate`: ``sphinx-techspec migrate-needs needs.json --out DIR``.
- :mod:`.external`: ``techspec_external_projects`` (another project's items, linkable).

Declared with the feature contract (:mod:`sphinx_techspec.feature`).
"""

from __future__ import annotations

from sphinx.application import Sphinx

from ..config import BOOLEAN
from ..feature import Command, ConfigValue, Export, Feature, lazy
from .external import EXTERNAL_PROJECTS_SCHEMA, absolute_url, external_export
from .external_items import external_item_url, load_external_items
from .needs_import import (
    NEEDS_IMPORT_SCHEMA,
    NeedsImportDirective,
    merge_origins,
    origin_rows,
    purge_origins,
)
from .reqif_export import ReqifCollector, reqif_files


def setup_interchange(app: Sphinx) -> None:
    app.add_env_collector(ReqifCollector)
    app.connect("env-before-read-docs", load_external_items)
    app.connect("env-purge-doc", purge_origins)
    app.connect("env-merge-info", merge_origins)


FEATURE = Feature(
    name="interchange",
    config_values=(
        ConfigValue(
            "techspec_export_reqif",
            False,
            BOOLEAN,
            description="write spec.reqif (ReqIF 1.2) into the output directory",
        ),
        ConfigValue(
            "techspec_external_projects",
            {},
            EXTERNAL_PROJECTS_SCHEMA,
            description="name → techspec.json (path or URL) of another spec project",
        ),
        ConfigValue(
            "techspec_external_timeout",
            10,
            {"type": "number", "exclusiveMinimum": 0},
            description="seconds to wait for an external project's techspec.json URL",
        ),
        ConfigValue(
            "techspec_external_cache_limit",
            1,
            {"type": "number"},
            description="days a fetched techspec.json is reused (negative: forever)",
        ),
        ConfigValue(
            "techspec_needs_import",
            [],
            NEEDS_IMPORT_SCHEMA,
            description="sphinx-needs exports whose needs are linkable as project:ID",
        ),
    ),
    directives={"needs-import": NeedsImportDirective},
    exports=(Export("ReqIF", "techspec_export_reqif", reqif_files),),
    card_rows=(origin_rows,),
    item_export=(external_export, absolute_url),
    item_urls=(external_item_url,),
    commands=(
        Command(
            "import-reqif",
            "write spec pages from a ReqIF file (one page per SPECIFICATION)",
            lazy(f"{__name__}.reqif_import", "configure"),
            lazy(f"{__name__}.reqif_import", "run"),
        ),
        Command(
            "migrate-needs",
            "write spec pages from a sphinx-needs needs.json (one page per document)",
            lazy(f"{__name__}.migrate", "configure"),
            lazy(f"{__name__}.migrate", "run"),
        ),
    ),
    warnings={
        "external_unreachable": "an external project's techspec.json cannot be read or fetched",
        "external_bad": "an external project's file is not a techspec.json this project can use",
        "needs_import": "a sphinx-needs export cannot be read, or some of its needs do not map",
        "external_no_url": "imported items have no URL to link to; they are shown without a link",
    },
    setup=setup_interchange,
)
