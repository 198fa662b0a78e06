"""sphinx-techspec: technical specifications as typed, linked, checked Sphinx items.

``setup()`` only wires together what the feature packages declare
(:data:`~sphinx_techspec.feature.FEATURES`); see ``docs/architecture.md``.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from docutils.parsers.rst.directives import flag
from sphinx.addnodes import pending_xref
from sphinx.application import Sphinx
from sphinx.domains import Domain

from .config import check_config, config_location, register_config_values
from .diagnostics import warn
from .directive_names import add_global_directive, register_global_directives
from .domain import DOMAIN, TechspecDomain
from .export_writer import write_exports
from .feature import Feature, Registry, all_features, enable_features, feature_names
from .feature_off import switched_off
from .lifecycle import setup_lifecycle
from .nodes import (
    add_placeholder_node,
    depart_mark_html,
    mark,
    resolve_placeholders,
    visit_mark_html,
)
from .suggestions import did_you_mean_id
from .version import __version__

#: Bumped whenever the stored item data changes shape, so old environments are re-read.
ENV_VERSION = 6

STATIC_DIR = Path(__file__).parent / "static"


def warn_unknown_reference(app: Sphinx, domain: Domain, node: pending_xref) -> bool | None:
    """Report a role to an unknown ID once, typed, after intersphinx had its chance."""
    if domain is None or domain.name != DOMAIN:
        return None
    target = node["reftarget"]
    known = domain.items.keys() if isinstance(domain, TechspecDomain) else ()
    warn(unknown_reference_message(target, known), "unknown_ref", node)
    return True


def unknown_reference_message(target: str, known_ids: Iterable[str] = ()) -> str:
    """A role naming an ID no item has, with the closest known ID (the language server too)."""
    return f"reference to unknown ID {target!r}" + did_you_mean_id(target, known_ids)


def add_static_path(app: Sphinx) -> None:
    if app.builder.format == "html" and str(STATIC_DIR) not in app.config.html_static_path:
        app.config.html_static_path.append(str(STATIC_DIR))


def chosen_features(app: Sphinx) -> list[str] | None:
    """The features ``techspec_features`` in conf.py names (``None``: all of them).

    Read while extensions are set up, before the config check; a value the check
    will reject (not a list of feature names) means all features, as its default does.
    """
    return features_named(app.config.techspec_features)


def features_named(value: Any) -> list[str] | None:
    """``techspec_features`` as a list of known feature names (``None``: all of them);
    the language server reads conf.py with it too."""
    known = feature_names()
    if isinstance(value, list | tuple) and all(name in known for name in value):
        return list(value)
    return None


def setup_feature(app: Sphinx, feature: Feature, features: Registry) -> None:
    """Register what one feature declares (its config values are registered beforehand)."""
    for view in feature.views:
        attributes: dict[str, Any] = {"view_name": view.name}
        flags = {c.option: flag for c in features.extra_columns(view.name) if c.option}
        if flags:  # options of columns other features add (the matrix's :results:)
            attributes["own_options"] = {**view.directive.own_options, **flags}
        directive = type(view.directive.__name__, (view.directive,), attributes)
        app.add_directive_to_domain(DOMAIN, view.name, directive)
        add_global_directive(app, view.name, directive)
    for name, directive in feature.directives.items():
        app.add_directive_to_domain(DOMAIN, name, directive)
        add_global_directive(app, name, directive)
    for node_class in feature.placeholders:
        add_placeholder_node(app, node_class)
    if feature.setup is not None:
        feature.setup(app)


def add_switched_off(app: Sphinx, feature: Feature) -> None:
    """The directives of a feature left out: each says so (``techspec.feature_off``)."""
    directive = switched_off(feature.name)
    names = [t.name for t in feature.item_types] + [v.name for v in feature.views]
    for name in [*names, *feature.directives]:
        app.add_directive_to_domain(DOMAIN, name, directive)
        add_global_directive(app, name, directive)


def setup(app: Sphinx) -> dict[str, Any]:
    register_config_values(app)
    # Before any other handler reads a techspec_* value.
    app.connect("config-inited", check_config, priority=100)
    app.add_domain(TechspecDomain)
    app.connect("doctree-resolved", resolve_placeholders)
    app.connect("warn-missing-reference", warn_unknown_reference)
    app.connect("builder-inited", add_static_path)
    app.connect("build-finished", write_exports)
    app.add_css_file("techspec.css")
    app.add_node(mark, html=(visit_mark_html, depart_mark_html))
    app.connect("config-inited", register_global_directives, priority=800)
    features = enable_features(app, chosen_features(app))
    setup_lifecycle(app, features)  # the stores and phases (derive, check, gate) of each
    for feature in features.features:
        setup_feature(app, feature, features)
    for feature in all_features():
        if feature.name not in features.names:
            add_switched_off(app, feature)

    return {
        "version": __version__,
        "env_version": ENV_VERSION,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }


__all__ = ["TechspecDomain", "config_location", "setup"]
