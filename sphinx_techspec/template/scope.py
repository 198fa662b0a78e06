"""``.. scope::``: the in-scope and out-of-scope entries of a spec, as two lists.

The entries are items (``in-scope`` / ``out-of-scope``) so that requirements
can point at what they cover (``:scope:``, reverse "covered by").
"""

from __future__ import annotations

from functools import partial
from typing import ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

from ..diagnostics import warn
from ..option_lines import option_location
from ..options import open_spec, report_option_problems, report_unexpected_input

ENTRY_CLASSES = {
    "in-scope": "techspec-type-in-scope",
    "out-of-scope": "techspec-type-out-of-scope",
}


def entry_kind(node: nodes.Node) -> str | None:
    if isinstance(node, nodes.container):
        for kind, css_class in ENTRY_CLASSES.items():
            if css_class in node["classes"]:
                return kind
    return None


class ScopeDirective(SphinxDirective):
    """Groups the nested scope entries under "In scope" and "Out of scope"."""

    has_content = True
    optional_arguments = 1
    final_argument_whitespace = True
    option_spec: ClassVar[dict] = open_spec({"class": directives.class_option})

    def run(self) -> list[nodes.Node]:
        location = self.get_location()
        report_option_problems(
            self.options, self.option_spec, "scope", location, partial(option_location, self)
        )
        report_unexpected_input("scope", location, self.arguments, self.content, False, True)
        body = self.parse_content_to_nodes(allow_section_headings=False)
        grouped: dict[str, list[nodes.Node]] = {"in-scope": [], "out-of-scope": []}
        container = nodes.container(classes=["techspec-scope", *self.options.get("class", [])])
        self.set_source_info(container)
        for node in body:
            kind = entry_kind(node)
            if kind:
                grouped[kind].append(node)
            else:
                container += node
        if not any(grouped.values()):
            warn(
                "scope has no in-scope or out-of-scope entries: nest '.. in-scope:: ID Title' "
                "and '.. out-of-scope:: ID Title' in it",
                "bad_option",
                self.get_location(),
            )
        for kind, label in (("in-scope", "In scope"), ("out-of-scope", "Out of scope")):
            container += nodes.rubric("", label, classes=[f"techspec-scope-{kind}"])
            if not grouped[kind]:
                container += nodes.paragraph("", "", nodes.emphasis("", "Nothing listed."))
                continue
            entries = nodes.bullet_list(classes=["techspec-scope-list", f"techspec-{kind}"])
            for entry in grouped[kind]:
                entries += nodes.list_item("", entry)
            container += entries
        return [container]
