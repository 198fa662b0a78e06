"""Traceability views: matrix, item table, coverage report and gates, diagrams.

One module per view; this module only registers them. Every view is a
placeholder replaced at ``doctree-resolved`` (see :mod:`.common`).
"""

from __future__ import annotations

from sphinx.application import Sphinx

from ..diagrams import setup_mermaid
from ..nodes import add_placeholder_node
from . import architecture, coverage, item_table, matrix, trace_graph
from .common import render_views

DIRECTIVES = {
    "traceability-matrix": (matrix.TraceabilityMatrix, matrix.TraceabilityMatrixNode),
    "item-table": (item_table.ItemTable, item_table.ItemTableNode),
    "coverage-report": (coverage.CoverageReport, coverage.CoverageReportNode),
    "traceability-graph": (trace_graph.TraceabilityGraph, trace_graph.TraceabilityGraphNode),
    "architecture-diagram": (
        architecture.ArchitectureDiagram,
        architecture.ArchitectureDiagramNode,
    ),
}


def setup_feature(app: Sphinx) -> None:
    setup_mermaid(app)
    app.add_config_value("techspec_coverage_rules", [], "env", types=[list])
    for name, (directive, node_class) in DIRECTIVES.items():
        app.add_directive(name, directive)
        app.add_directive_to_domain("techspec", name, directive)
        add_placeholder_node(app, node_class)
    app.connect("config-inited", coverage.report_rule_problems)
    # Every build, not only when pages were read: a no-op rebuild with -W still fails.
    app.connect("env-updated", coverage.check_coverage_gates)
    app.connect("doctree-resolved", render_views)
