"""The server's index: every page's items and references, kept current page by page.

A page that changes is parsed again alone (:func:`.page_parser.parse_page`) and
its old entries are swapped for the new ones, so an edit costs the time to read
one page, whatever the size of the spec. The last build's ``techspec.json`` adds
what the pages alone do not say (items a build imports, test results); an item
defined on a page that is indexed always wins over the build's copy.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sphinx.util.matching import Matcher

from ..model import natural_key
from .build_data import BuildItem, read_build
from .code_index import CodeIndex
from .json_examples import body_keys, example_problems
from .page_parser import Grammar, ItemEntry, ParsedPage, Span, grammar_of, parse_page
from .positions import UTF16, from_client, to_client
from .project import SKIPPED_DIRS, Project

log = logging.getLogger(__name__)

#: Page suffixes the index reads.
PAGE_SUFFIXES = (".rst", ".md", ".txt")


@dataclass(frozen=True, slots=True)
class Reference:
    """One use of an ID: a link option value or a role, with where it is written."""

    path: str
    span: Span
    #: ``link`` (an option of item ``source``) or ``role``.
    kind: str
    #: The link type or role name.
    name: str
    source: str = ""


class WorkspaceIndex:
    """Items by ID and references by target, over every page of the project."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.grammar: Grammar = grammar_of(
            project.types,
            project.role_names(),
            (name for name, info in project.types.items() if info.id_option),
            project.schema.link_types,
        )
        self.pages: dict[str, ParsedPage] = {}
        #: ID → every definition, in (path, line) order: the first one counts.
        self.definitions: dict[str, list[ItemEntry]] = {}
        #: ID → every use.
        self.references: dict[str, list[Reference]] = {}
        self.build_items: dict[str, BuildItem] = {}
        #: (source, link type, target) of each suspect link, by the last build and the lock.
        self.suspects: set[tuple[str, str, str]] = set()
        #: The client's position encoding (``positions``), agreed at initialize.
        self.encoding = UTF16
        #: Files read because a page includes them (not pages of their own).
        self.included: set[str] = set()
        #: conf.py's exclude_patterns: pages the build does not read.
        self.excluded = Matcher(_patterns(project.config))
        #: The code markers of techspec_code_paths (scanned with the pages, then file by file).
        self.code = CodeIndex(project)
        #: Item types whose body holds JSON examples, and each page's examples that do not parse.
        self.example_types = frozenset(
            name for name, info in project.types.items() if body_keys(info) is not None
        )
        self.bad_examples: dict[str, list[tuple[Span, str]]] = {}

    # -- filling ---------------------------------------------------------------------

    def scan(self) -> None:
        """Read every page under the source directory and the last build's export.

        Without a conf.py only the pages the editor opens are read: the workspace may
        be any folder (a home directory), not a spec.
        """
        if self.project.conf_dir is None:
            return
        root = self.project.source_dir
        for path in page_files(root):
            if not self.is_page(str(path)):
                continue
            self.read_file(str(path))
        self.read_included()
        self.build_items, self.suspects = read_build(root, self.project.config)
        self.code.scan()

    def read_file(self, path: str) -> None:
        try:
            self.update(path, Path(path).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            log.warning("cannot read %s: %s", path, exc)

    def read_included(self) -> None:
        """Read the files pages include that are no pages of their own (``exclude_patterns``
        often leaves them out): the build reads their items through the include."""
        root = self.project.source_dir
        waiting = [(path, name) for path, page in self.pages.items() for name in page.includes]
        while waiting:
            page_path, name = waiting.pop()
            target = (
                root / name.lstrip("/") if name.startswith("/") else Path(page_path).parent / name
            )
            path = str(target.resolve())
            if path in self.pages or path in self.included or not target.is_file():
                continue
            self.included.add(path)
            if path.endswith((*PAGE_SUFFIXES, ".inc")):
                self.read_file(path)
                page = self.pages.get(path)
                waiting.extend((path, name) for name in (page.includes if page else ()))

    def update(self, path: str, text: str) -> ParsedPage:
        """Parse ``path`` again from ``text`` and replace what it said before."""
        self.remove(path)
        page = parse_page(path, text, self.grammar)
        self.pages[path] = page
        if any(item.type in self.example_types for item in page.items):
            types = self.project.types
            self.bad_examples[path] = example_problems(text.splitlines(), page.items, types)
        for item in page.items:
            entries = self.definitions.setdefault(item.id, [])
            entries.append(item)
            if len(entries) > 1:
                entries.sort(key=lambda entry: (entry.path, entry.line))
            for option in item.options:
                if option.name in self.project.schema.link_types:
                    for part in option.parts:
                        self._add_reference(
                            part.text, Reference(path, part.span, "link", option.name, item.id)
                        )
        for role in page.roles:
            self._add_reference(role.target, Reference(path, role.span, "role", role.role))
        return page

    def remove(self, path: str) -> None:
        old = self.pages.pop(path, None)
        self.bad_examples.pop(path, None)
        if old is None:
            return
        for item in old.items:
            entries = self.definitions.get(item.id, [])
            entries[:] = [entry for entry in entries if entry is not item]
            if not entries:
                self.definitions.pop(item.id, None)
        targets = {role.target for role in old.roles}
        for item in old.items:
            targets.update(part.text for option in item.options for part in option.parts)
        for target in targets:
            uses = self.references.get(target)
            if uses:
                uses[:] = [use for use in uses if use.path != path]
                if not uses:
                    del self.references[target]

    def _add_reference(self, target: str, reference: Reference) -> None:
        self.references.setdefault(target, []).append(reference)

    # -- questions -------------------------------------------------------------------

    def definition(self, item_id: str) -> ItemEntry | None:
        entries = self.definitions.get(item_id)
        return entries[0] if entries else None

    def knows(self, item_id: str) -> bool:
        return item_id in self.definitions or item_id in self.build_items

    def known_ids(self) -> Iterator[str]:
        yield from self.definitions
        yield from (i for i in self.build_items if i not in self.definitions)

    def type_of(self, item_id: str) -> str | None:
        entry = self.definition(item_id)
        if entry is not None:
            return entry.type
        built = self.build_items.get(item_id)
        return built.type if built else None

    def title_of(self, item_id: str) -> str:
        entry = self.definition(item_id)
        if entry is not None:
            return entry.title
        built = self.build_items.get(item_id)
        return built.title if built else ""

    def status_of(self, item_id: str) -> str:
        entry = self.definition(item_id)
        if entry is not None:
            return entry.status
        built = self.build_items.get(item_id)
        return built.status if built else ""

    def incoming(self, item_id: str) -> list[tuple[str, str]]:
        """(link type, source ID) of every link to ``item_id``, sorted."""
        found = {
            (use.name, use.source)
            for use in self.references.get(item_id, ())
            if use.kind == "link" and use.source
        }
        return sorted(found, key=lambda pair: (pair[0], natural_key(pair[1])))

    def item_at(self, path: str, line: int) -> ItemEntry | None:
        """The item whose directive holds ``line`` (the innermost one)."""
        page = self.pages.get(path)
        if page is None:
            return None
        found = None
        for item in page.items:
            if item.line <= line <= item.end_line:
                found = item
        return found

    def id_at(self, path: str, line: int, column: int) -> tuple[str, Span] | None:
        """The ID written at a position: an item's own ID, a link value, a role target, or
        an ID of a code marker in a source file."""
        page = self.pages.get(path)
        if page is None:
            marker = self.code.marker_at(path, line, column)
            return (marker.reference.item_id, marker.span) if marker else None
        for item in page.items:
            if item.id_span.contains(line, column):
                return item.id, item.id_span
            for option in item.options:
                if option.name in self.project.schema.link_types:
                    for part in option.parts:
                        if part.span.contains(line, column):
                            return part.text, part.span
        for role in page.roles:
            if role.span.contains(line, column):
                return role.target, role.span
        return None

    def is_page(self, path: str) -> bool:
        """Whether ``path`` is a page of the project (not build output, not outside it)."""
        root = self.project.source_dir
        if path in self.included:
            return True
        if not path.endswith(PAGE_SUFFIXES):
            return False
        try:
            relative = Path(path).relative_to(root)
        except ValueError:
            return False
        if any(part in SKIPPED_DIRS or part.startswith(".") for part in relative.parts[:-1]):
            return False
        # Sphinx leaves out a folder a pattern names with everything in it.
        prefixes = [Path(*relative.parts[: n + 1]).as_posix() for n in range(len(relative.parts))]
        return not any(self.excluded(prefix) for prefix in prefixes)

    def client_span(self, path: str, span: Span) -> Span:
        """``span`` in the client's column units (differs on lines that are not ASCII)."""
        page = self.pages.get(path)
        line = page.wide_lines.get(span.line) if page else self.code.wide_line(path, span.line)
        if line is None:
            return span
        start = to_client(line, span.start, self.encoding)
        return Span(span.line, start, to_client(line, span.end, self.encoding))

    def server_column(self, path: str, line: int, column: int) -> int:
        """A client column as a code-point column of the indexed page."""
        page = self.pages.get(path)
        text = page.wide_lines.get(line) if page else self.code.wide_line(path, line)
        return column if text is None else from_client(text, column, self.encoding)

    def docname_of(self, path: str) -> str:
        relative = os.path.relpath(path, self.project.source_dir)
        return os.path.splitext(relative)[0].replace(os.sep, "/")

    def path_of_docname(self, docname: str) -> str | None:
        root = self.project.source_dir
        for suffix in PAGE_SUFFIXES:
            candidate = str(root / f"{docname}{suffix}")
            if candidate in self.pages:
                return candidate
        return None

    def items(self) -> Iterable[ItemEntry]:
        for page in self.pages.values():
            yield from page.items


def _patterns(config: Any) -> list[str]:
    patterns = getattr(config, "exclude_patterns", None)
    if not isinstance(patterns, list | tuple):
        return []
    return [pattern for pattern in patterns if isinstance(pattern, str)]


def page_files(root: Path) -> list[Path]:
    """The pages under ``root``, without build output, virtual environments and VCS data."""
    found: list[Path] = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS and not d.startswith("."))
        found.extend(Path(folder) / name for name in sorted(files) if name.endswith(PAGE_SUFFIXES))
    return found
