"""Items that live in another project: linked spec projects and configured needs imports.

``techspec_external_projects = {"platform": "../platform/_build/html/techspec.json"}``
(or an ``https://`` URL) makes that project's items linkable as ``platform:REQ-7``.
They are stored in the domain as :class:`ExternalItem` (no page here; a URL to
the other project's page), so matrices, coverage and diagrams see them like any
item. They are (re)loaded at ``env-before-read-docs`` of every build, in a
fixed order, so serial, parallel and incremental builds hold the same items.
A URL is fetched with a timeout and cached in the environment like intersphinx
inventories; when it cannot be fetched the last cached copy is used, with a warning.
"""

from __future__ import annotations

import contextlib
import json
import os
import posixpath
import re
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from ..diagnostics import warn
from ..domain import TechspecDomain
from ..exports.techspec_json import export_schema
from ..foreign_json import ForeignJSONError, load_json
from ..model import Item
from .deadline_fetch import FetchError, fetch_within
from .settings import linked_projects

#: Largest file we read (a techspec.json of 100,000 items is about 60 MB).
MAX_BYTES = 200 * 1024 * 1024

PROJECT_NAME = {"type": "string", "pattern": r"^[A-Za-z][A-Za-z0-9_-]*$"}

EXTERNAL_PROJECTS_SCHEMA = {
    "type": "object",
    "propertyNames": PROJECT_NAME,
    "additionalProperties": {
        "anyOf": [
            {"type": "string", "minLength": 1},
            {
                "type": "object",
                "properties": {
                    "source": {"type": "string", "minLength": 1},
                    "base_url": {"type": "string", "minLength": 1},
                },
                "required": ["source"],
                "additionalProperties": False,
            },
        ]
    },
}


_ITEM_LINE = re.compile(r'^    ("(?:[^"\\]|\\.)*"): \{$')


def item_lines(text: str) -> dict[str, int]:
    """Item ID → its line in a techspec.json as the export writer lays it out (indent 2).

    So warnings about another project's item point at it; an ID not found gets line 1.
    """
    lines: dict[str, int] = {}
    inside = False
    for number, line in enumerate(text.splitlines(), 1):
        if not inside:
            inside = line == '  "items": {'
            continue
        match = _ITEM_LINE.match(line)
        if match:
            with contextlib.suppress(ValueError):
                lines.setdefault(json.loads(match.group(1)), number)
    return lines


@dataclass(slots=True)
class ExternalItem(Item):
    """An item of another project: ``external_url`` leads to its page there
    (checked by :func:`~sphinx_techspec.urls.checked_url` when loaded; ``""``: none).

    ``source`` is the file or URL it was read from, ``lineno`` the item's line in
    it: warnings about the item point there.
    """

    project: str = ""
    external_url: str = ""

    @property
    def location(self) -> str:  # type: ignore[override]
        return f"{self.source}:{self.lineno or 1}"


def is_url(source: str) -> bool:
    return urllib.parse.urlsplit(source).scheme in ("http", "https")


# -- reading a source --------------------------------------------------------------------


class SourceError(Exception):
    """A source that cannot be read or understood; the message says why."""


def read_local(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise SourceError(f"it is {size} bytes, more than the {MAX_BYTES} bytes read")
        return path.read_bytes()
    except OSError as exc:
        raise SourceError(exc.strerror or str(exc)) from None


def fetch(url: str, timeout: float) -> bytes:
    """``url``'s body, all of it within ``timeout`` seconds (see :mod:`.deadline_fetch`)."""
    try:
        return fetch_within(url, timeout, MAX_BYTES)
    except FetchError as exc:
        raise SourceError(str(exc)) from None


Cache = dict[str, tuple[float, bytes]]


def url_cache(env: BuildEnvironment) -> Cache:
    """URL → (time fetched, content) of the copies that were usable, kept with the environment."""
    return env.__dict__.setdefault("techspec_external_cache", {})


def cached_fetch(
    env: BuildEnvironment, url: str, limit_days: float, timeout: float, where: str
) -> tuple[bytes | None, bool]:
    """``url``'s content, fetched again when the cached copy is older than ``limit_days``,
    and whether it is fresh from the server (the caller caches it once it proved usable).

    A failed fetch warns and falls back to the cached copy (``None`` without one).
    """
    cached = url_cache(env).get(url)
    if cached is not None and limit_days >= 0 and time.time() - cached[0] < limit_days * 86400:
        return cached[1], False
    try:
        return fetch(url, timeout), True
    except SourceError as exc:
        fallback = " (using the copy cached by an earlier build)" if cached else ""
        warn(f"external project {url}: {exc}{fallback}", "external_unreachable", where)
        return (cached[1] if cached else None), False


# -- techspec.json → external items ------------------------------------------------------


def page_url(record: dict[str, Any], base: str, fallback: str) -> str:
    """The URL of an item's page in the other project.

    ``base`` (the entry's ``base_url``) wins; then the absolute URL the project
    recorded (``external_url``, with its ``html_baseurl``); then the relative
    ``url`` against ``fallback``: the URL the techspec.json was fetched from, or for
    a local file the path from this project's output directory to its folder (a
    relative URL, so pages link to it wherever both builds are published side by
    side; never a ``file://`` URL, which :mod:`~sphinx_techspec.urls` would refuse).
    """
    url = record.get("url")
    if not isinstance(url, str) or not url:
        url = f"{record.get('docname')}.html#{record.get('anchor') or record.get('id')}"
    if base and not urllib.parse.urlsplit(url).scheme:
        return urllib.parse.urljoin(base.rstrip("/") + "/", url)
    absolute = record.get("external_url")
    if isinstance(absolute, str) and absolute:
        return absolute
    if urllib.parse.urlsplit(fallback).scheme or urllib.parse.urlsplit(url).scheme:
        return urllib.parse.urljoin(fallback, url)
    path, hash_, fragment = url.partition("#")
    joined = posixpath.normpath(posixpath.join(fallback, path)) if path else fallback
    return joined + hash_ + fragment


def items_from_techspec_json(
    document: Any,
    project: str,
    source: str,
    base: str,
    fallback: str,
    domain: TechspecDomain,
    lines: dict[str, int] | None = None,
) -> tuple[list[ExternalItem], list[str]]:
    """The items of a techspec.json (format 2) whose types this project declares."""
    from jsonschema import Draft202012Validator  # only when a project is linked

    problems: list[str] = []
    if not isinstance(document, dict) or document.get("format_version") != 2:
        version = document.get("format_version") if isinstance(document, dict) else None
        raise SourceError(
            f"it is not a techspec.json of format 2 (format_version: {version!r}); "
            "build that project with this version of sphinx-techspec"
        )
    error = next(iter(Draft202012Validator(export_schema()).iter_errors(document)), None)
    if error is not None:
        where = "/".join(str(part) for part in error.absolute_path)
        raise SourceError(
            f"it does not match the techspec.json schema at {where!r}: {error.message}"
        )
    schema = domain.schema
    items: list[ExternalItem] = []
    unknown_types: set[str] = set()
    records = document["items"]
    checker = FieldChecker(schema)
    for record in records.values():
        if record.get("is_external"):
            continue  # that project's own external items: read them from their project
        if record["type"] not in schema.item_types:
            unknown_types.add(record["type"])
            continue
        fields, dropped = checker.usable(record["type"], record["fields"])
        if dropped:
            problems.append(
                f"item {record['id']!r}: field{'s' if len(dropped) > 1 else ''} "
                f"{', '.join(sorted(dropped))} left out: not of the shape this project's "
                f"{record['type']} items have"
            )
        links = {
            name: tuple(f"{project}:{target}" for target in targets if target in records)
            for name, targets in record["links"].items()
            if name in schema.link_types
        }
        qualified = f"{project}:{record['id']}"
        items.append(
            ExternalItem(
                qualified,
                record["type"],
                record["title"],
                "",
                (lines or {}).get(record["id"], 1),
                record.get("anchor") or record["id"],
                fields=fields,
                links={name: targets for name, targets in links.items() if targets},
                project=project,
                external_url=page_url(record, base, fallback),
                source=source,
            )
        )
    if unknown_types:
        problems.append(
            f"its items of types {', '.join(sorted(unknown_types))} are left out: "
            "this project does not declare those item types"
        )
    return items, problems


class FieldChecker:
    """Whether another project's field values have the shapes this project's own have.

    A declared field (:class:`~sphinx_techspec.model.FieldSpec`) by its kind; a structured
    field by the JSON Schema its feature declares (``Feature.field_shapes``); any other
    field when it is plain (text, a number, a flag, a list of texts). Checks and views
    read the fields they know without guarding: a value of another shape never gets in.
    """

    _KINDS: ClassVar[dict[str, Callable[[Any], bool]]] = {
        "text": lambda v: isinstance(v, str),
        "choice": lambda v: isinstance(v, str),
        "date": lambda v: isinstance(v, str),
        "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "flag": lambda v: isinstance(v, bool),
        "list": lambda v: _texts(v),
        "choice-list": lambda v: _texts(v),
    }

    def __init__(self, schema: Any) -> None:
        from jsonschema import Draft202012Validator

        from ..feature import field_shapes

        self.schema = schema
        self.validators = {
            item_type: {name: Draft202012Validator(shape) for name, shape in shapes.items()}
            for item_type, shapes in field_shapes().items()
        }

    def usable(self, item_type: str, fields: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
        """The fields of the expected shapes, and the names of the others."""
        specs = {spec.name: spec for spec in self.schema.item_types[item_type].fields}
        validators = self.validators.get(item_type, {})
        kept: dict[str, Any] = {}
        dropped: list[str] = []
        for name, value in fields.items():
            if name in validators:
                fits = validators[name].is_valid(value)
            elif name in specs:
                fits = self._KINDS.get(specs[name].kind, _plain)(value)
            else:
                fits = _plain(value)
            if fits:
                kept[name] = value
            else:
                dropped.append(name)
        return kept, dropped


def _texts(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _plain(value: Any) -> bool:
    return isinstance(value, str | int | bool) or _texts(value)


def read_project(
    app: Sphinx,
    env: BuildEnvironment,
    domain: TechspecDomain,
    project: str,
    source: str,
    base: str,
    where: str,
) -> list[ExternalItem]:
    """The project's items; a source that cannot be used is a warning, never an error.

    A fetched copy that cannot be used falls back to the copy an earlier build cached
    (only usable copies are cached); a local file that cannot be used is left out.
    """
    settings = linked_projects(env)
    fallback = source
    if is_url(source):
        data, fresh = cached_fetch(env, source, settings.cache_limit_days, settings.timeout, where)
        shown = source
    else:
        path = Path(app.confdir or ".", source)
        shown, fresh = os.path.normpath(path), False
        try:
            data = read_local(path)
        except SourceError as exc:
            warn(f"external project {project!r}: {shown}: {exc}", "external_unreachable", where)
            return []
        folder = os.path.relpath(path.resolve().parent, Path(app.outdir).resolve())
        fallback = Path(folder).as_posix().rstrip("/") + "/"
    if data is None:
        return []
    prefix = f"external project {project!r}: {shown}"
    try:
        items, problems = items_of(domain, project, shown, base, fallback, data)
    except SourceError as exc:
        cached = url_cache(env).get(source) if fresh else None
        if cached is None:
            warn(f"{prefix}: {exc}", "external_bad", where)
            return []
        warn(f"{prefix}: {exc} (using the copy cached by an earlier build)", "external_bad", where)
        try:
            items, problems = items_of(domain, project, shown, base, fallback, cached[1])
        except SourceError:  # only usable copies are cached, but the hub's types may differ
            return []
    else:
        if fresh:
            url_cache(env)[source] = (time.time(), data)
    for problem in problems:
        warn(f"{prefix}: {problem}", "external_bad", where)
    return items


def items_of(
    domain: TechspecDomain, project: str, shown: str, base: str, fallback: str, data: bytes
) -> tuple[list[ExternalItem], list[str]]:
    """The items of one copy of a techspec.json and what was odd about it; raises
    :class:`SourceError` only, whatever the copy holds."""
    try:
        loaded = load_json(data)
        lines = item_lines(data.decode("utf-8-sig"))
        items, problems = items_from_techspec_json(
            loaded.value, project, shown, base, fallback, domain, lines
        )
    except ForeignJSONError as exc:
        raise SourceError(f"it is {exc.located()}") from None
    except SourceError:
        raise
    except Exception as exc:  # whatever another project's file holds, this build goes on
        raise SourceError(f"it cannot be read ({type(exc).__name__})") from None
    return items, ([loaded.note()] if loaded.replaced else []) + problems


def external_export(app: Sphinx, domain: TechspecDomain, item: Item) -> dict[str, Any]:
    """In techspec.json (and needs.json), another project's item says so, with its URL."""
    if isinstance(item, ExternalItem):
        # sphinx-needs' own key names, so a needs.json importer needs no declarations.
        return {"is_external": True, "external_url": item.external_url}
    return {}


def absolute_url(app: Sphinx, domain: TechspecDomain, item: Item) -> dict[str, Any]:
    """With ``html_baseurl`` set, techspec.json records each page's absolute URL.

    As ``external_url`` (``url`` stays relative to the output directory), so a
    project that links this one finds the pages wherever it is built; sphinx-needs
    knows the key, so needs.json importers need not declare it.
    """
    baseurl = getattr(app.config, "html_baseurl", "")
    if isinstance(item, ExternalItem) or not baseurl or app.builder.format != "html":
        return {}
    relative = f"{app.builder.get_target_uri(item.docname)}#{item.anchor}"
    return {"external_url": urllib.parse.urljoin(baseurl.rstrip("/") + "/", relative)}
