"""Diagrams as pictures in LaTeX (PDF) and EPUB (SVG) builds, cached by content.

A builder that runs no Mermaid gets, for each diagram, a :class:`DiagramPicture`
holding the Mermaid text, the legend and the readable fallback (a table). After
the page's views are rendered (``doctree-resolved``), :func:`draw_pictures` draws
every diagram of the doctree not yet in the cache in one headless Chromium
launch (:mod:`sphinx_techspec.diagram_render`) and puts in an image of each;
LaTeX assembles one doctree per PDF, so a PDF costs one launch. EPUB resolves
page by page: its pages get their images at once, and :func:`draw_batch` draws
the new pictures of every page in one launch before the images are copied,
writing again any page whose picture did not come (with its table). Pictures are kept
in the doctree directory under a hash of the Mermaid text, the Mermaid version
and the drawing settings: a rebuild launches no browser, and the same sources
give the same files. HTML builds never get here.

Without a browser (none found, ``techspec_diagram_browser = False``, or it
failed) the fallback stays, and one info line says why; a diagram Mermaid
cannot parse is a located ``techspec.diagram_render`` warning and keeps its
fallback. A project's own ``.. mermaid::`` diagrams are drawn the same way when a
browser is there (falling back to their source text if Mermaid rejects them).
"""

from __future__ import annotations

import hashlib
import json
import os
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.util import logging
from sphinxcontrib.mermaid import mermaid

from . import diagram_render
from .diagnostics import warn

logger = logging.getLogger("sphinx_techspec")

#: Builder name → the picture format it shows (``pdf`` for LaTeX, ``svg`` for EPUB).
PICTURE_FORMATS = {"latex": "pdf", "epub": "svg"}

#: The folder of cached pictures inside the doctree directory.
CACHE_FOLDER = "techspec-diagrams"

HOW_TO_ENABLE = (
    "install Chromium (e.g. apt-get install chromium) or set techspec_diagram_browser "
    "to a Chromium executable"
)


class DiagramPicture(nodes.container):
    """A diagram awaiting its picture: ``code``, ``alt``; children: legend, then fallback.

    A container, so that a writer that ever met one would still show its children.
    """


def picture_format(app: Sphinx) -> str | None:
    """``pdf`` or ``svg`` if this builder shows diagrams as pictures, else ``None``."""
    return PICTURE_FORMATS.get(app.builder.name)


def picture_node(
    code: str, alt: str, fallback: Sequence[nodes.Node], legend: Sequence[nodes.Node] = ()
) -> DiagramPicture:
    """A diagram for :func:`draw_pictures`: the picture and ``legend``, or ``fallback``."""
    node = DiagramPicture(code=code, alt=alt)
    node += nodes.container("", *legend, classes=["techspec-picture-legend"])
    node += nodes.container("", *fallback, classes=["techspec-picture-fallback"])
    return node


@dataclass(slots=True)
class _BuildState:
    """The browser of one build, and whether the reason for tables was already said."""

    browser: str | None
    reason: str
    announced: bool = False


_STATES: weakref.WeakKeyDictionary[Builder, _BuildState] = weakref.WeakKeyDictionary()


def _state(app: Sphinx) -> _BuildState:
    state = _STATES.get(app.builder)
    if state is None:
        configured = app.config.techspec_diagram_browser
        if configured is False:
            state = _BuildState(None, "techspec_diagram_browser is False")
        else:
            browser = diagram_render.find_browser(configured or None)
            reason = "" if browser else f"no Chromium found ({configured or 'on PATH'})"
            state = _BuildState(browser, reason)
        _STATES[app.builder] = state
    return state


def _announce(app: Sphinx, state: _BuildState) -> None:
    """One info line per build (not a warning: a machine without Chromium is no error)."""
    if state.announced:
        return
    state.announced = True
    how = "" if state.reason.endswith("is False") else f"; {HOW_TO_ENABLE}"
    logger.info(
        f"techspec: diagrams are tables in this {app.builder.name} build: {state.reason}{how}"
    )


def cache_key(code: str, kind: str) -> str:
    """The hash of everything a picture depends on."""
    parts = {
        "code": code,
        "kind": kind,
        "mermaid": diagram_render.MERMAID_VERSION,
        "config": diagram_render.MERMAID_CONFIG,
        "renderer": diagram_render.RENDERER_VERSION,
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode("utf-8")).hexdigest()


def cached_name(key: str, kind: str) -> str:
    """A cached picture's file name; not ``.svg``, which an EPUB whose doctree directory
    lies in its output directory would list as a file of the book."""
    return f"{key}.{kind}.cached"


def _write(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    partial.write_bytes(content)
    partial.replace(path)


def draw_pictures(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Replace every diagram of ``doctree`` by its picture (``doctree-resolved``).

    LaTeX draws the missing pictures at once (one doctree per PDF). An HTML-family
    builder (EPUB) resolves page by page, so its missing pictures are only noted
    here, the page gets its image, and :func:`draw_batch` draws them all in one
    launch before the images are copied.
    """
    kind = picture_format(app)
    if kind is None:
        return
    state = _state(app)
    pending = _diagrams(doctree, own=bool(state.browser))
    if not pending:
        return
    cache = Path(app.doctreedir) / CACHE_FOLDER
    keys = [cache_key(node["code"], kind) for node in pending]
    later: set[str] = set()
    if state.browser:
        missing = _missing(cache, pending, keys, kind)
        if missing and isinstance(app.builder, StandaloneHTMLBuilder):
            batch = _BATCHES.setdefault(app.builder, _Batch())
            batch.codes.update(missing)
            # Kept as resolved, so a page whose drawing fails is written again with tables.
            batch.pages[docname] = doctree.deepcopy()
            later = set(missing)
        elif missing:
            _draw(app, state, cache, missing, kind)
    else:
        _announce(app, state)
    for node, key in zip(pending, keys, strict=True):
        _place(app, node, cache, key, kind, drawn_later=key in later)


def draw_batch(app: Sphinx) -> list[tuple[str, dict[str, Any], str]]:
    """Draw every picture the pages noted, in one launch (``html-collect-pages``).

    It runs after every page is written and before the images are copied. A page
    with a diagram that got no picture (Mermaid rejected it, or the browser
    failed) is written again exactly as if that had been known before: with the
    table, and the located warning.
    """
    batch = _BATCHES.pop(app.builder, None)
    kind = picture_format(app)
    if batch is None or kind is None or not batch.codes:
        return []
    state = _state(app)
    cache = Path(app.doctreedir) / CACHE_FOLDER
    _draw(app, state, cache, batch.codes, kind)
    failed = {key for key in batch.codes if not (cache / cached_name(key, kind)).is_file()}
    for key in failed:
        app.builder.images.pop(str(cache / cached_name(key, kind)), None)
    if not failed:
        return []
    for docname, doctree in sorted(batch.pages.items()):
        pending = _diagrams(doctree, own=True)
        keys = [cache_key(node["code"], kind) for node in pending]
        if failed.isdisjoint(keys):
            continue
        for node, key in zip(pending, keys, strict=True):
            _place(app, node, cache, key, kind)
        app.builder.write_doc_serialized(docname, doctree)
        app.builder.write_doc(docname, doctree)
    return []


@dataclass(slots=True)
class _Batch:
    """The Mermaid texts still to draw (by cache key) and the pages that show them."""

    codes: dict[str, str] = field(default_factory=dict)
    pages: dict[str, nodes.document] = field(default_factory=dict)


_BATCHES: weakref.WeakKeyDictionary[Builder, _Batch] = weakref.WeakKeyDictionary()


def _diagrams(doctree: nodes.document, own: bool) -> list[nodes.Element]:
    """The diagrams to draw; a project's own Mermaid only with a browser (else it stays)."""
    found: list[nodes.Element] = list(doctree.findall(DiagramPicture))
    if own:
        found += list(doctree.findall(mermaid))
    return found


def _missing(
    cache: Path, pending: list[nodes.Element], keys: list[str], kind: str
) -> dict[str, str]:
    """Cache key → Mermaid text of the diagrams with neither a picture nor an error cached."""
    missing: dict[str, str] = {}
    for node, key in zip(pending, keys, strict=True):
        if (
            not (cache / cached_name(key, kind)).is_file()
            and not (cache / f"{key}.error").is_file()
        ):
            missing.setdefault(key, node["code"])
    return missing


def _draw(app: Sphinx, state: _BuildState, cache: Path, missing: dict[str, str], kind: str) -> None:
    """Draw ``missing`` in one launch and cache each picture, or Mermaid's error."""
    try:
        pictures = diagram_render.render(
            state.browser or "",
            list(missing.values()),
            kind,
            [f"techspec-{key[:16]}" for key in missing],
        )
    except diagram_render.RenderError as error:
        state.browser, state.reason = None, f"drawing failed: {error}"
        _announce(app, state)
        return
    try:
        for key, picture in zip(missing, pictures, strict=True):
            if picture.error:
                _write(cache / f"{key}.error", picture.error.encode("utf-8"))
            else:
                _write(cache / cached_name(key, kind), picture.content)
    except OSError as error:
        state.browser, state.reason = None, f"cannot write the picture cache: {error}"
        _announce(app, state)


def _place(
    app: Sphinx,
    node: nodes.Element,
    cache: Path,
    key: str,
    kind: str,
    drawn_later: bool = False,
) -> None:
    """Put the picture in, or the fallback (with the warning, if Mermaid rejected it).

    ``drawn_later``: the picture is in the batch :func:`draw_batch` draws; the image
    goes in now, and the page is written again if the picture does not come.
    """
    picture = cache / cached_name(key, kind)
    error = cache / f"{key}.error"
    if error.is_file():
        message = error.read_text(encoding="utf-8")[:300]
        warn(f"Mermaid cannot draw this diagram: {message}", "diagram_render", _location(node))
        node.replace_self(_fallback(node))
        return
    if not picture.is_file() and not drawn_later:
        if isinstance(node, DiagramPicture):
            node.replace_self(_fallback(node))
        return
    uri = str(picture)
    app.builder.images[uri] = f"techspec-diagram-{key[:20]}.{kind}"
    image = nodes.image(uri=uri, alt=node.get("alt") or "diagram", candidates={"*": uri})
    if isinstance(node, DiagramPicture):
        image["align"] = "center"
        node.replace_self([image, *node.children[0].children])
    else:
        image["align"] = node.get("align") or "center"
        node.replace_self(image)


def _fallback(node: nodes.Element) -> list[nodes.Node]:
    if isinstance(node, DiagramPicture):
        return list(node.children[1].children)
    return [nodes.literal_block(node["code"], node["code"], language="text")]


def _location(node: nodes.Element) -> str:
    """``source:line`` of the diagram, or of the nearest element before it that has one."""
    current: Any = node
    while current is not None:
        for candidate in (current, *reversed(_earlier_siblings(current))):
            line = getattr(candidate, "line", None)
            source = getattr(candidate, "source", None) or _source_of(candidate)
            if line and source:
                return f"{source}:{line}"
        current = current.parent
    return _source_of(node) or "<unknown>"


def _earlier_siblings(node: nodes.Node) -> list[nodes.Node]:
    parent = node.parent
    if parent is None:
        return []
    return list(parent.children[: parent.index(node)])


def _source_of(node: nodes.Node) -> str:
    while node is not None:
        source = getattr(node, "source", None) or (
            node.get("source") if isinstance(node, nodes.Element) else None
        )
        if source:
            return str(source)
        node = node.parent
    return ""
