"""Directives of a feature that ``techspec_features`` switches off.

A project that leaves a feature out (``techspec_features = ["core", "views"]``) and
still writes one of its directives gets a located ``techspec.feature_off`` warning
that names the feature, instead of docutils' untyped "Unknown directive type" error
that ``suppress_warnings`` cannot reach. The directive then produces nothing.
"""

from __future__ import annotations

from typing import Any, ClassVar

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from .diagnostics import warn
from .options import open_spec


class SwitchedOffDirective(SphinxDirective):
    """Accepts whatever is written (the feature would have checked it) and says why not."""

    feature_name: ClassVar[str] = ""
    optional_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec: ClassVar[Any] = open_spec({})

    def run(self) -> list[nodes.Node]:
        warn(
            f"{self.name!r} belongs to the feature {self.feature_name!r}, which "
            "techspec_features in conf.py leaves out; add it there to use this directive",
            "feature_off",
            self.get_location(),
        )
        return []


def switched_off(feature_name: str) -> type[SwitchedOffDirective]:
    return type("SwitchedOffDirective", (SwitchedOffDirective,), {"feature_name": feature_name})
