"""API drift: where the spec's design and an implementation's OpenAPI file differ.

``techspec_openapi_compare`` names the implementation's description (a file,
relative to ``conf.py``). Once per build the spec's own OpenAPI document (the
one the export writes) and that file are summarised the same way and compared
(:mod:`.openapi_compare`). Every difference is a ``techspec.api_drift`` warning
at the endpoint or model to blame, or at the implementation file's line when
the spec has nothing there; the ``api-drift`` view lists them. URLs are not
fetched: a build should not depend on a running service.
"""

from __future__ import annotations

import os
import re
import urllib.parse
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from ..config import config_location
from ..diagnostics import warn
from ..domain import DOMAIN, TechspecDomain
from ..model import Item
from ..rendering import item_reference
from ..tables import build_table
from ..view import ViewDirective, ViewNode, info_line

if TYPE_CHECKING:
    from .openapi_compare import Difference

CONFIG = "techspec_openapi_compare"


@dataclass
class Drift:
    """One difference, with the item to blame (or the implementation file's line)."""

    difference: Difference
    item_id: str | None
    location: Any


@dataclass
class DriftReport:
    """The comparison of one build: what differs, or why nothing could be compared."""

    source: str = ""
    problem: str = ""
    drifts: list[Drift] = field(default_factory=list)
    operations: int = 0
    schemas: int = 0


def _app(env: BuildEnvironment) -> Sphinx:
    return env._app if hasattr(env, "_app") else env.app  # type: ignore[attr-defined]


def compare_path(app: Sphinx) -> Path | None:
    value = app.config[CONFIG]
    if not value:
        return None
    return Path(app.confdir or ".", value)


def drift_report(domain: TechspecDomain) -> DriftReport:
    """The index ``api_drift``: built once per build, read by the check and the view."""
    # Imported only by projects that compare: a build without the setting pays nothing.
    from .openapi import build_openapi
    from .openapi_compare import differences, surface
    from .openapi_source import OpenApiError, read_document

    app = _app(domain.env)
    value = app.config[CONFIG]
    if not value:
        return DriftReport()
    report = DriftReport(source=str(value))
    if urllib.parse.urlsplit(value).scheme:
        report.problem = f"{value[:120]!r} is a URL; name the implementation's OpenAPI file instead"
        return report
    path = compare_path(app)
    assert path is not None
    try:
        document = read_document(path)
    except OpenApiError as exc:
        report.problem = str(exc)
        return report
    spec = surface(build_openapi(app))
    implementation = surface(document)
    report.operations = len(set(spec.operations) | set(implementation.operations))
    report.schemas = len(set(spec.schemas) | set(implementation.schemas))
    lines = _text_lines(path)
    shown = os.path.normpath(path)
    for difference in differences(spec, implementation):
        item = _culprit(domain, difference)
        if item is not None:
            location = _item_location(item, difference)
        else:
            location = f"{shown}:{_line_of(lines, difference)}"
        report.drifts.append(Drift(difference, item.id if item else None, location))
    return report


def _culprit(domain: TechspecDomain, difference: Difference) -> Item | None:
    if difference.side == "implementation" and difference.kind in ("operation", "schema"):
        return None  # the spec has nothing there
    if difference.operation_id:
        return domain.get(difference.operation_id)
    if difference.schema:
        from .openapi import schema_key

        for model in domain.items_of_type("data-model"):
            if schema_key(model.fields.get("name", model.id)) == difference.schema:
                return model
    return None


def _item_location(item: Item, difference: Difference) -> Any:
    """The line of the parameter or field the difference names, else the item's own."""
    if difference.kind == "parameter":
        for entry in item.fields.get("parameters", []):
            name = entry.get("name", "")
            if entry.get("in") == difference.place and difference.name in (name, name.lower()):
                return item.at(entry.get("line", item.lineno))
    if difference.kind == "field":
        for entry in item.fields.get("fields", []):
            if entry.get("name") == difference.name:
                return item.at(entry.get("line", item.lineno))
    return item.location


def _text_lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        return []


def _line_of(lines: list[str], difference: Difference) -> int:
    """The implementation file's line that holds the path or schema name (1 if not found)."""
    word = difference.subject.partition(" ")[2] if difference.operation else difference.subject
    key = re.compile(rf"""^\s*["']?{re.escape(word)}["']?\s*:""")
    return next((number for number, line in enumerate(lines, 1) if key.match(line)), 1)


def check_api_drift(app: Sphinx, env: BuildEnvironment) -> None:
    """Warn once per build: the file's problem at conf.py, each difference where it belongs."""
    if not app.config[CONFIG]:
        return
    domain: TechspecDomain = env.get_domain(DOMAIN)  # type: ignore[assignment]
    report: DriftReport = domain.derived("api_drift")
    if report.problem:
        where = config_location(app, CONFIG)
        warn(f"{CONFIG}: {report.problem}", "api_drift_source", where)
        return
    for drift in sorted(report.drifts, key=_location_key):
        warn(f"{drift.difference.message} ({report.source})", "api_drift", drift.location)


def _location_key(drift: Drift) -> tuple[int, str, int]:
    """Pages in (document, line) order first, then the implementation file's lines."""
    location = drift.location
    if isinstance(location, tuple):
        return (0, location[0], location[1])
    path, _, line = str(location).rpartition(":")
    return (1, path, int(line) if line.isdigit() else 0)


class ApiDriftDirective(ViewDirective):
    """``.. api-drift::``: the differences between the spec and the implementation."""

    filters = False

    def configure(self, node: ViewNode) -> None:
        path = compare_path(_app(self.env))
        if path is not None and path.is_file():
            self.env.note_dependency(str(path))

    def shown_types(self, node: ViewNode) -> Iterable[str] | None:
        return ("api-endpoint", "data-model", "error-code")


_SIDES = {"spec": "spec only", "implementation": "implementation only", "both": "differs"}


def render_api_drift(
    app: Sphinx, domain: TechspecDomain, docname: str, node: nodes.Element
) -> list[nodes.Node]:
    report: DriftReport = domain.derived("api_drift")
    if not report.source:
        return [info_line(f"No implementation to compare with: set {CONFIG} in conf.py.")]
    if report.problem:
        return [info_line(f"The implementation's OpenAPI file cannot be read: {report.problem}")]
    if not report.drifts:
        return [
            info_line(
                f"No drift: the spec and {report.source} agree on {report.operations} "
                f"operations and {report.schemas} schemas."
            )
        ]
    rows = []
    for drift in report.drifts:
        difference = drift.difference
        blame: Any = (
            item_reference(app, domain, docname, drift.item_id)
            if drift.item_id
            else nodes.literal("", str(drift.location).rpartition(os.sep)[2])
        )
        rows.append([difference.kind, blame, _SIDES[difference.side], difference.message])
    return [build_table(["What", "Where", "Found", "Difference"], rows, ["techspec-api-drift"])]
