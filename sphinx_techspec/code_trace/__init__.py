"""Code traceability: markers in source files (``@implements REQ-1``) linking code to items.

- :mod:`.scanner` finds the markers in the files ``techspec_code_paths`` names
  (:mod:`.files`), in the comments of any language (:mod:`.other_source`, through
  Pygments) and in Python through ``ast`` (:mod:`.python_source`), each bound to the
  function or class it stands in or above (:mod:`.binding`, :mod:`.definitions`).
- In a build, the ``code_refs`` store (:mod:`.store`) keeps the references, scanned
  again only for changed files; cards show them (:mod:`.render`), the markers are
  checked (:mod:`.checks`), and the ``code-references`` view, the matrix's ``code``
  column and the ``"in": "code"`` coverage rules read them (:mod:`.views`), and the
  ``impact`` view shows what a change reaches (:mod:`.impact_view`, :mod:`.impact_render`); HTML
  builds get a highlighted page per source file (:mod:`.source_pages`).
- ``sphinx-techspec trace-code`` (:mod:`.trace_command`) lists them and checks their IDs
  against the last build; ``sphinx-techspec impact`` (:mod:`.impact_command`) follows
  links from changed items to everything that depends on them, code and tests included.

Declared with the feature contract (:mod:`sphinx_techspec.feature`); the commands are
imported only when run.
"""

from __future__ import annotations

from ..feature import Command, ExtraColumn, Feature, Store, lazy
from ..view import View
from ..views.matrix import MATRIX
from .checks import check_code_refs
from .impact_view import IMPACT, ImpactDirective
from .render import code_card_rows, code_export
from .settings import CONFIG_VALUES
from .source_pages import setup_source_pages
from .store import STORE, changed_code_items, code_refs_digest, has_code_link, update_code_refs
from .views import (
    CODE_REFERENCES,
    CodeReferences,
    matrix_code_cells,
    matrix_code_lines,
    render_code_references,
)

FEATURE = Feature(
    name="code_trace",
    config_values=CONFIG_VALUES,
    # Project-wide: no parts; the state is the scan, cached by file (see .store).
    stores=(Store(STORE, digest=code_refs_digest, changed_items=changed_code_items),),
    derive=(update_code_refs,),
    checks=(check_code_refs,),
    card_rows=(code_card_rows,),
    item_export=(code_export,),
    views=(
        View(CODE_REFERENCES, CodeReferences, render_code_references),
        View(
            IMPACT,
            ImpactDirective,
            lazy("sphinx_techspec.code_trace.impact_render", "render_impact"),
        ),
    ),
    extra_columns=(
        ExtraColumn(MATRIX, "Code", matrix_code_cells, option="code", lines=matrix_code_lines),
    ),
    coverage_sources={"code": has_code_link},
    setup=setup_source_pages,
    warnings={
        "code_ref": "a code marker names an unknown ID, or an item its link type cannot point at",
        "code_file": "a source file named by techspec_code_paths cannot be read or is not UTF-8",
    },
    commands=(
        Command(
            "trace-code",
            "list the code markers (@implements REQ-1) and their items; exit 1 on an unknown ID",
            lazy("sphinx_techspec.code_trace.trace_command", "configure_trace_code"),
            lazy("sphinx_techspec.code_trace.trace_command", "run_trace_code"),
        ),
        Command(
            "impact",
            "list everything a change of the named items reaches: items, code and tests",
            lazy("sphinx_techspec.code_trace.impact_command", "configure_impact"),
            lazy("sphinx_techspec.code_trace.impact_command", "run_impact"),
        ),
    ),
)
