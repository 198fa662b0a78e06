"""Dependencies: the dependency table and the optional installed-version check.

The check compares a library's ``:version:`` constraint with the distribution
installed where the docs are built (``importlib.metadata``), so a spec that
says ``requests >=2.31`` notices when the project moved on.
"""

from __future__ import annotations

from importlib import metadata

from docutils import nodes
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from ..diagnostics import warn
from ..domain import DOMAIN, TechspecDomain
from ..model import Item, natural_key
from ..rendering import item_reference
from ..tables import build_table, joined
from ..view import ViewNode, info_line
from .views import TemplateViewDirective, field_text


class DependencyTableDirective(TemplateViewDirective):
    """``.. dependency-table::``: every dependency with its version and users."""

    default_types = ("dependency",)
    shows = ("dependency", "component")


def render_dependency_table(
    app: Sphinx, domain: TechspecDomain, docname: str, node: ViewNode
) -> list[nodes.Node]:
    dependencies = node["filter"].select(domain)
    if not dependencies:
        return [info_line("No dependencies are recorded yet.")]
    rows = []
    for dependency in dependencies:
        users = sorted(
            (source for link, source in domain.incoming(dependency.id) if link == "uses"),
            key=natural_key,
        )
        rows.append(
            [
                item_reference(app, domain, docname, dependency.id, with_title=True),
                field_text(dependency.fields.get("kind")),
                field_text(dependency.fields.get("version")),
                field_text(dependency.fields.get("license")),
                field_text(dependency.fields.get("owner")),
                joined(
                    [item_reference(app, domain, docname, user, with_title=True) for user in users]
                ),
            ]
        )
    headers = ["Dependency", "Kind", "Version", "License", "Owner", "Used by"]
    return [build_table(headers, rows, ["techspec-dependency-table"])]


def version_specifier(constraint: str) -> SpecifierSet:
    """A PEP 440 specifier; a bare version (``2.31``) means that release series."""
    constraint = constraint.strip()
    if constraint[:1].isdigit():
        constraint = f"=={constraint}.*"
    return SpecifierSet(constraint)


def check_installed_versions(app: Sphinx, env: BuildEnvironment) -> None:
    """Warn where a library's constraint and the installed distribution disagree."""
    if not app.config.techspec_check_installed_versions:
        return
    domain: TechspecDomain = env.get_domain(DOMAIN)  # type: ignore[assignment]
    for dependency in sorted(domain.items_of_type("dependency"), key=Item.sort_key):
        if dependency.fields.get("kind") == "library":
            check_one(dependency)


def check_one(dependency: Item) -> None:
    constraint = dependency.fields.get("version")
    if not constraint:
        return
    distribution = dependency.fields.get("package") or dependency.title
    try:
        specifier = version_specifier(constraint)
    except InvalidSpecifier:
        warn(
            f"{dependency.id}: version {constraint!r} is not a PEP 440 constraint "
            f"(e.g. '>=2.31,<3' or '2.31')",
            "bad_value",
            dependency.location,
        )
        return
    try:
        installed = metadata.version(distribution)
    except (metadata.PackageNotFoundError, ValueError):
        warn(
            f"{dependency.id}: distribution {distribution!r} is not installed "
            f"(name it with :package: if the title is not the distribution name)",
            "dependency_version",
            dependency.location,
        )
        return
    try:
        matches = specifier.contains(Version(installed), prereleases=True)
    except InvalidVersion:
        matches = False
    if not matches:
        warn(
            f"{dependency.id}: the spec says {distribution} {constraint}, "
            f"but {installed} is installed",
            "dependency_version",
            dependency.location,
        )
