"""Interchange: ReqIF export and import, sphinx-needs import and migration, linked projects.

- :mod:`.reqif_export`: ``spec.reqif`` (``techspec_export_reqif = True``).
- :mod:`.reqif_import`: ``sphinx-techspec import-reqif FILE.reqif --out DIR``.
- :mod:`.needs_import`: ``.. needs-import::`` and ``techspec_needs_import``; the types
  they bring are declared at ``config-inited`` by :mod:`.needs_declarations`.
- :mod:`.migrate`: ``sphinx-techspec migrate-needs needs.json --out DIR``.
- :mod:`.needs`: reading needs.json, and the one naming rule both share;
  :mod:`.needs_body`: need content through an allow-list.
- :mod:`.project_writer`: a generated project's ``conf.py`` (data only) and root page,
  for every importer that writes one.
- :mod:`.external`: ``techspec_external_projects`` (another project's items, linkable).

Declared with the feature contract (:mod:`sphinx_techspec.feature`).
"""

from __future__ import annotations

from sphinx.application import Sphinx

from ..config import BOOLEAN
from ..feature import Command, ConfigValue, Export, Feature, lazy
from .external import EXTERNAL_PROJECTS_SCHEMA, absolute_url, external_export
from .external_items import external_item_url, load_external_items
from .needs_declarations import declare_imported_types
from .needs_import import NEEDS_IMPORT_SCHEMA, ORIGINS_STORE, NeedsImportDirective, origin_rows
from .reqif_export import REQIF_STORE, reqif_files


def setup_interchange(app: Sphinx) -> None:
    app.connect("env-before-read-docs", load_external_items)
    # After the config is checked (100), before the schema registers directives (300).
    app.connect("config-inited", declare_imported_types, priority=200)


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
            description="seconds an external project's techspec.json URL may take to fetch, in all",
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
    stores=(ORIGINS_STORE, REQIF_STORE),
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
        "needs_import": (
            "a sphinx-needs export cannot be read, some of its needs do not map, "
            "or what changed on import (outside links, bodies) is counted"
        ),
        "reqif_text": "characters XML cannot hold in an item; spec.reqif has U+FFFD for them",
        "external_no_url": "imported items have no URL to link to; they are shown without a link",
    },
    setup=setup_interchange,
)
