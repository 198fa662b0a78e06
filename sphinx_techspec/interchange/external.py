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
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from ..diagnostics import warn
from ..domain import TechspecDomain
from ..exports.techspec_json import export_schema
from ..model import Item
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
    request = urllib.request.Request(url, headers={"User-Agent": "sphinx-techspec"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data = response.read(MAX_BYTES + 1)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", None) or exc
        raise SourceError(f"cannot be fetched ({reason})") from None
    if len(data) > MAX_BYTES:
        raise SourceError(f"it is more than the {MAX_BYTES} bytes read")
    return data


def parse_json(data: bytes) -> Any:
    try:
        return json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise SourceError(f"it is not UTF-8 text ({exc.reason})") from None
    except json.JSONDecodeError as exc:
        raise SourceError(f"it is not valid JSON (line {exc.lineno}: {exc.msg})") from None
    except RecursionError:
        raise SourceError("it is nested too deeply to read") from None


def cached_fetch(
    env: BuildEnvironment, url: str, limit_days: float, timeout: float, where: str
) -> bytes | None:
    """``url``'s content, fetched again when the cached copy is older than ``limit_days``.

    A failed fetch warns and falls back to the cached copy (``None`` without one).
    """
    cache: dict[str, tuple[float, bytes]] = env.__dict__.setdefault("techspec_external_cache", {})
    cached = cache.get(url)
    now = time.time()
    if cached is not None and limit_days >= 0 and now - cached[0] < limit_days * 86400:
        return cached[1]
    try:
        data = fetch(url, timeout)
    except SourceError as exc:
        fallback = " (using the copy cached by an earlier build)" if cached else ""
        warn(f"external project {url}: {exc}{fallback}", "external_unreachable", where)
        return cached[1] if cached else None
    cache[url] = (now, data)
    return data


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
    for record in records.values():
        if record.get("is_external"):
            continue  # that project's own external items: read them from their project
        if record["type"] not in schema.item_types:
            unknown_types.add(record["type"])
            continue
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
                fields=dict(record["fields"]),
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


def read_project(
    app: Sphinx,
    env: BuildEnvironment,
    domain: TechspecDomain,
    project: str,
    source: str,
    base: str,
    where: str,
) -> list[ExternalItem]:
    settings = linked_projects(env)
    if is_url(source):
        data = cached_fetch(env, source, settings.cache_limit_days, settings.timeout, where)
        if data is None:
            return []
        fallback = source
        shown = source
    else:
        path = Path(app.confdir or ".", source)
        shown = os.path.normpath(path)
        try:
            data = read_local(path)
        except SourceError as exc:
            warn(f"external project {project!r}: {shown}: {exc}", "external_unreachable", where)
            return []
        folder = os.path.relpath(path.resolve().parent, Path(app.outdir).resolve())
        fallback = Path(folder).as_posix().rstrip("/") + "/"
    try:
        document = parse_json(data)
        lines = item_lines(data.decode("utf-8"))
        items, problems = items_from_techspec_json(
            document, project, shown, base, fallback, domain, lines
        )
    except SourceError as exc:
        warn(f"external project {project!r}: {shown}: {exc}", "external_bad", where)
        return []
    for problem in problems:
        warn(f"external project {project!r}: {shown}: {problem}", "external_bad", where)
    return items


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
