"""Traceability views: matrix, item table, coverage report and gates, diagrams.

One module per view; this module declares them (see :mod:`sphinx_techspec.feature`).
"""

from __future__ import annotations

from sphinx.application import Sphinx

from ..config import BOOLEAN
from ..diagrams import setup_mermaid
from ..feature import ConfigValue, Feature
from ..view import View
from . import architecture, coverage, item_table, matrix, trace_graph


def setup_views(app: Sphinx) -> None:
    setup_mermaid(app)
    app.connect("config-inited", coverage.report_rule_problems)


FEATURE = Feature(
    name="views",
    config_values=(
        ConfigValue("techspec_coverage_rules", [], coverage.RULES_SCHEMA),
        ConfigValue("techspec_mermaid_cdn", False, BOOLEAN, rebuild="html"),
        ConfigValue(
            "techspec_diagram_browser",
            None,
            {"anyOf": [{"type": "null"}, {"const": False}, {"type": "string", "minLength": 1}]},
            rebuild="",
            description="Chromium that draws diagrams for LaTeX and EPUB (None: found on "
            "PATH; False: tables instead)",
        ),
    ),
    views=(
        View(matrix.MATRIX, matrix.TraceabilityMatrix, matrix.render_matrix),
        View("item-table", item_table.ItemTable, item_table.render_item_table),
        View(coverage.COVERAGE_REPORT, coverage.CoverageReport, coverage.render_report),
        View("traceability-graph", trace_graph.TraceabilityGraph, trace_graph.render_graph),
        View(
            "architecture-diagram",
            architecture.ArchitectureDiagram,
            architecture.render_architecture,
        ),
    ),
    indexes={
        "coverage_rules": lambda domain: coverage.parse_rules(
            domain.env.config, domain.schema, domain.features.coverage_sources
        )[0]
    },
    # Every build, not only when pages were read: a no-op rebuild with -W still fails.
    gates=(coverage.check_coverage_gates,),
    warnings={
        "uncovered": "an item fails a gating rule of techspec_coverage_rules",
        "diagram_render": "Mermaid cannot draw a diagram for a LaTeX or EPUB build",
    },
    setup=setup_views,
)
