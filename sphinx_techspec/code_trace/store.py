"""The ``code_refs`` store: every code marker of ``techspec_code_paths``, kept between builds.

Project-wide, not per page: derived after reading (phase ``derive``), in the main
process, from the files the globs name (:mod:`.files`) through :func:`.scanner.scan_files`.
The state keeps each file's (size, mtime_ns) with what it held, so an unchanged tree
re-scans nothing and a changed file is scanned alone. The store's digest is the sorted
references (and the commit, when ``techspec_code_url`` uses it): the one rewrite rule
rewrites the cards of the items whose references changed (``changed_items``) and the
views that read the store.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from ..config import config_location
from ..diagnostics import warn
from ..domain import DOMAIN, TechspecDomain
from ..model import Item
from .files import PathError, git, source_files
from .model import CodeReference, SkippedFile, sorted_references
from .scanner import printable, scan_files

#: The store's name (``domain.data["code_refs"]``); views declare ``reads = (STORE,)``.
STORE = "code_refs"

#: A file's stamp: (size, mtime_ns); what it held: its references and why it was skipped.
Stamp = tuple[int, int]


@dataclass(frozen=True, slots=True)
class ScannedFile:
    stamp: Stamp
    references: tuple[CodeReference, ...]
    skipped: SkippedFile | None


@dataclass
class CodeState:
    """The store's state, pickled with the environment."""

    #: What the cached scans depend on besides the file: the prefix and the link types.
    syntax: tuple[Any, ...] = ()
    files: dict[str, ScannedFile] = field(default_factory=dict)
    references: tuple[CodeReference, ...] = ()
    skipped: tuple[SkippedFile, ...] = ()
    commit: str = ""
    #: Files scanned (not taken from the cache) by the last build.
    scanned: int = 0


def state_of(domain: TechspecDomain) -> CodeState:
    data = domain.store(STORE)
    if not isinstance(data.state, CodeState):
        data.state = CodeState()
    return data.state


def base_of(app: Sphinx) -> Path:
    """The folder the globs and the references' paths are relative to (that of conf.py)."""
    return Path(app.confdir or app.srcdir)


def absolute_path(app: Sphinx, path: str) -> str:
    """A reference's file as an absolute path: where editors and CI annotations point."""
    return os.path.normpath(base_of(app) / path)


def _stamp(path: Path) -> Stamp | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_size, stat.st_mtime_ns)


def update_code_refs(app: Sphinx, env: BuildEnvironment) -> None:
    """Phase ``derive``: scan what changed since the last build, keep the rest."""
    domain: TechspecDomain = env.get_domain(DOMAIN)  # type: ignore[assignment]
    state = state_of(domain)
    patterns = list(app.config.techspec_code_paths)
    if not patterns:
        state.files, state.references, state.skipped, state.scanned = {}, (), (), 0
        state.commit = ""
        return
    base = base_of(app)
    try:
        paths = source_files(base, patterns)
    except PathError as problem:
        warn(
            f"techspec_code_paths: {problem}",
            "bad_config",
            config_location(app, "techspec_code_paths"),
        )
        paths = []
    link_types = sorted(domain.schema.link_types)
    prefix = app.config.techspec_code_marker_prefix
    syntax = (prefix, tuple(link_types))
    cached = state.files if state.syntax == syntax else {}
    files: dict[str, ScannedFile] = {}
    stale: dict[str, Stamp | None] = {}
    for path in paths:
        stamp = _stamp(base / path)
        known = cached.get(path)
        if stamp is not None and known is not None and known.stamp == stamp:
            files[path] = known
        else:
            stale[path] = stamp
    files.update(_scanned(base, stale, link_types, prefix))
    state.syntax, state.files, state.scanned = syntax, files, len(stale)
    state.references = sorted_references([r for f in files.values() for r in f.references])
    state.skipped = tuple(f.skipped for _path, f in sorted(files.items()) if f.skipped)
    state.commit = head_commit(base)
    domain.store(STORE).cache = None  # references_by_item reads the new references


def _scanned(
    base: Path, stale: dict[str, Stamp | None], link_types: list[str], prefix: str
) -> dict[str, ScannedFile]:
    """Scan the stale files in one call; each file's result, keyed by its path."""
    if not stale:
        return {}
    result = scan_files(base, stale, link_types, prefix)
    shown = {printable(path): path for path in stale}
    references: dict[str, list[CodeReference]] = {path: [] for path in stale}
    for reference in result.references:
        references[shown[reference.path]].append(reference)
    skipped = {shown[s.path]: s for s in result.skipped}
    found = {}
    for path, stamp in stale.items():
        # A file that could not even be stamped is scanned again next time.
        found[path] = ScannedFile(
            stamp if stamp is not None else (-1, -1),
            tuple(references[path]),
            skipped.get(path),
        )
    return found


def head_commit(base: Path) -> str:
    """``git rev-parse HEAD`` of the spec's folder, once per build; ``""`` outside git."""
    done = git(base, "rev-parse", "--verify", "-q", "HEAD")
    if done is None or done.returncode != 0:
        return ""
    commit = done.stdout.decode("ascii", "replace").strip()
    return commit if len(commit) in (40, 64) and commit.isalnum() else ""


def references_by_item(domain: TechspecDomain) -> dict[str, tuple[CodeReference, ...]]:
    """Item ID → its references that count (a known item its link type may point at),
    in the store's order; built once per build. The others are warned about."""
    data = domain.store(STORE)
    if data.cache is None:
        found: dict[str, list[CodeReference]] = {}
        link_types = domain.schema.link_types
        for reference in state_of(domain).references:
            item = domain.get(reference.item_id)
            link = link_types.get(reference.link_type)
            if item is None or link is None or not link.allows_target(item.type):
                continue
            found.setdefault(reference.item_id, []).append(reference)
        data.cache = {item_id: tuple(refs) for item_id, refs in found.items()}
    return data.cache


def uses_commit(app: Sphinx) -> bool:
    return "{commit}" in (app.config.techspec_code_url or "")


def code_refs_digest(app: Sphinx, domain: TechspecDomain) -> tuple[Any, ...]:
    """What readers see: the references, and the commit when links name it."""
    state = state_of(domain)
    return (state.commit if uses_commit(app) else "", state.references)


def changed_code_items(old: tuple[Any, ...] | None, new: tuple[Any, ...]) -> Iterable[str]:
    """The items whose references (their card rows, matrix cells) differ."""
    old_commit, old_references = old if old else ("", ())
    new_commit, new_references = new
    before = set(old_references)
    after = set(new_references)
    if old_commit != new_commit:  # every link names the commit
        return {r.item_id for r in before | after}
    return {r.item_id for r in before ^ after}


def has_code_link(domain: TechspecDomain, item: Item, link_type: str) -> bool:
    """The coverage source ``code``: a marker gives ``item`` a link of ``link_type``."""
    return any(r.link_type == link_type for r in references_by_item(domain).get(item.id, ()))
