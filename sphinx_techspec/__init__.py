"""sphinx-techspec: technical specifications as typed, linked, checked Sphinx items.

``setup()`` only wires the pieces together; each module holds one feature.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

from sphinx.addnodes import pending_xref
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.domains import Domain

from .diagnostics import warn
from .directives import register_item_directives
from .domain import DOMAIN, SpecReferenceRole, TechspecDomain
from .incremental import pages_to_rewrite
from .item_types import DEFAULT_PRIORITIES, DEFAULT_REQUIREMENT_KINDS, DEFAULT_STATUSES
from .nodes import ItemLinks, add_placeholder_node
from .rendering import render_item_links
from .schema import SpecSchema
from .validation import check_items

__version__ = "0.1.0"

#: Bumped whenever the stored item data changes shape, so old environments are re-read.
ENV_VERSION = 1

STATIC_DIR = Path(__file__).parent / "static"

#: Feature modules, each with a ``setup_feature(app)``; adding a feature is one line here.
FEATURE_MODULES: tuple[str, ...] = (
    "sphinx_techspec.views",
    "sphinx_techspec.exports",
    "sphinx_techspec.template",
    "sphinx_techspec.design",
)


def on_config_inited(app: Sphinx, config: Config) -> None:
    """Directives and roles depend on the configured item and link types."""
    schema = SpecSchema.from_config(config)
    for config_name, problem in schema.problems:
        warn(problem, "bad_config", config_location(app, config_name))
    register_item_directives(app, schema)
    for role in schema.role_types():
        app.add_role(role, SpecReferenceRole(warn_dangling=True), override=True)


def config_location(app: Sphinx, name: str) -> str:
    """``conf.py:line`` of the line that sets ``name`` (line 1 when it is not found)."""
    conf_py = Path(app.confdir) / "conf.py"
    try:
        lines = conf_py.read_text(encoding="utf-8").splitlines()
    except OSError:
        lines = []
    lineno = next((n for n, line in enumerate(lines, 1) if line.startswith(name)), 1)
    return f"{conf_py}:{lineno}"


def warn_unknown_reference(app: Sphinx, domain: Domain, node: pending_xref) -> bool | None:
    """Report a role to an unknown ID once, typed, after intersphinx had its chance."""
    if domain is None or domain.name != DOMAIN:
        return None
    target = node["reftarget"]
    warn(f"reference to unknown ID {target!r}", "unknown_ref", node)
    return True


def add_static_path(app: Sphinx) -> None:
    if app.builder.format == "html" and str(STATIC_DIR) not in app.config.html_static_path:
        app.config.html_static_path.append(str(STATIC_DIR))


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("techspec_id_pattern", r"[A-Za-z0-9_.-]+", "env", types=[str])
    app.add_config_value("techspec_statuses", list(DEFAULT_STATUSES), "env", types=[list])
    app.add_config_value("techspec_priorities", list(DEFAULT_PRIORITIES), "env", types=[list])
    app.add_config_value(
        "techspec_requirement_kinds", list(DEFAULT_REQUIREMENT_KINDS), "env", types=[list]
    )
    app.add_config_value("techspec_link_types", [], "env", types=[list])
    app.add_config_value("techspec_item_types", [], "env", types=[list])

    app.add_domain(TechspecDomain)
    add_placeholder_node(app, ItemLinks)
    app.connect("config-inited", on_config_inited)
    app.connect("env-check-consistency", check_items)
    app.connect("env-get-updated", pages_to_rewrite)
    app.connect("doctree-resolved", render_item_links)
    app.connect("warn-missing-reference", warn_unknown_reference)
    app.connect("builder-inited", add_static_path)
    app.add_css_file("techspec.css")
    for module_name in FEATURE_MODULES:
        importlib.import_module(module_name).setup_feature(app)

    return {
        "version": __version__,
        "env_version": ENV_VERSION,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }


__all__ = ["TechspecDomain", "setup"]
