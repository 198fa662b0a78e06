"""The types a needs.json brings, declared before the directives are registered.

``needs-import`` brings every need in without configuration: each need keeps the
type the file names (by the one rule of :func:`.needs.declare`). An item type is
a directive, and directives are registered from the configuration at
``config-inited``; so, just before that, this module finds the needs.json files
the project imports (``techspec_needs_import`` and every ``needs-import``
directive in the sources, found by one scan of their text) and adds their
types, fields and link types to ``techspec_item_types`` / ``techspec_link_types``,
and their statuses to ``techspec_statuses`` when the project keeps the defaults.
From there on they are declared like any others: every process derives the same
schema from the configuration.

Only what the file needs and the project lacks is added; what the user mapped
(``:types: req=requirement``) is not. A file that cannot be read adds nothing
here: the directive or the config value warns about it when it is read.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util.matching import Matcher

from ..feature import all_features
from ..item_types import DEFAULT_STATUSES
from ..schema import declared_types
from .external import SourceError
from .needs import Declarations, Need, declare, load_needs, parse_map

#: A source bigger than this is not scanned (no page of a spec is this big).
MAX_SCAN_BYTES = 5_000_000
_RST = re.compile(rb"^[ \t]*\.\.[ \t]+(?:techspec:)?needs-import::[ \t]*(?P<path>\S[^\r\n]*)$")
_MYST = re.compile(
    rb"^[ \t]*(?:`{3,}|~{3,}|:{3,})\{(?:techspec:)?needs-import\}[ \t]*(?P<path>\S[^\r\n]*)$"
)
_OPTION = re.compile(rb"^[ \t]*:(?P<name>types|links):[ \t]*(?P<value>[^\r\n]*)$")


@dataclass(frozen=True)
class ImportedFile:
    """One needs.json the project imports, and the maps the user gave for it."""

    path: Path
    types: tuple[tuple[str, str], ...] = ()
    links: tuple[tuple[str, str], ...] = ()


def _source_files(app: Sphinx, config: Config) -> Iterator[Path]:
    srcdir = Path(app.srcdir)
    suffixes = {".rst", ".md", ".txt"}
    suffix_config = config.source_suffix
    if isinstance(suffix_config, str):
        suffixes.add(suffix_config)
    elif isinstance(suffix_config, list | tuple | dict):
        suffixes.update(str(s) for s in suffix_config)
    excluded = Matcher([*config.exclude_patterns, "_build", "**/.*"])
    skip = {Path(app.outdir).resolve(), Path(app.doctreedir).resolve()}
    for root, dirs, files in os.walk(srcdir):
        here = Path(root)
        dirs[:] = sorted(
            d
            for d in dirs
            if not d.startswith(".")
            and (here / d).resolve() not in skip
            and not excluded(str((here / d).relative_to(srcdir)).replace(os.sep, "/"))
        )
        for name in sorted(files):
            path = here / name
            relative = str(path.relative_to(srcdir)).replace(os.sep, "/")
            if path.suffix in suffixes and not excluded(relative):
                yield path


def directives_in(path: Path, srcdir: Path) -> list[ImportedFile]:
    """The ``needs-import`` directives of one source file (RST or MyST)."""
    try:
        if path.stat().st_size > MAX_SCAN_BYTES:
            return []
        data = path.read_bytes()
    except OSError:
        return []
    if b"needs-import" not in data:
        return []
    lines = data.splitlines()
    found: list[ImportedFile] = []
    for index, line in enumerate(lines):
        match = _RST.match(line) or _MYST.match(line)
        if not match:
            continue
        maps: dict[str, str] = {}
        for option_line in lines[index + 1 :]:
            option = _OPTION.match(option_line)
            if option is None:
                if option_line.strip().startswith(b":"):
                    continue
                break
            maps[option["name"].decode()] = option["value"].decode("utf-8", "replace")
        argument = match["path"].decode("utf-8", "replace").strip()
        target = srcdir / argument[1:] if argument.startswith("/") else path.parent / argument
        types, _ = parse_map(maps.get("types"))
        links, _ = parse_map(maps.get("links"))
        found.append(ImportedFile(target, tuple(types.items()), tuple(links.items())))
    return found


def imported_files(app: Sphinx, config: Config) -> list[ImportedFile]:
    """Every needs.json the project imports: configured ones, then the directives' ones."""
    confdir = Path(app.confdir or ".")
    found = [
        ImportedFile(
            confdir / entry["path"],
            tuple(dict(entry.get("types", {})).items()),
            tuple(dict(entry.get("links", {})).items()),
        )
        for entry in config.techspec_needs_import
        if isinstance(entry, dict) and isinstance(entry.get("path"), str)
    ]
    for path in _source_files(app, config):
        found += directives_in(path, Path(app.srcdir))
    return found


def file_declarations(
    needs: list[Need], types: dict[str, str], links: dict[str, str], config: Config
) -> Declarations:
    """The one naming rule, applied as the project stands (read time and config time alike)."""
    items, link_types = declared_types(all_features())
    return declare(
        needs,
        types,
        links,
        [t.name for t in items],
        [link.name for link in link_types],
        _names(config.techspec_item_types),
        _names(config.techspec_link_types),
    )


def _names(entries: Any) -> set[str]:
    if not isinstance(entries, list | tuple):
        return set()
    return {e["name"] for e in entries if isinstance(e, dict) and isinstance(e.get("name"), str)}


def declare_imported_types(app: Sphinx, config: Config) -> None:
    """``config-inited``: add what the imported needs.json files need to the configuration."""
    item_entries: dict[str, dict[str, Any]] = {}
    link_entries: dict[str, dict[str, Any]] = {}
    statuses: list[str] = []
    for imported in dict.fromkeys(imported_files(app, config)):
        try:
            needs = load_needs(imported.path)
        except SourceError:
            continue
        names = file_declarations(needs, dict(imported.types), dict(imported.links), config)
        for entry in names.item_type_entries():
            known = item_entries.setdefault(entry["name"], {**entry, "fields": []})
            for spec in entry["fields"]:
                if spec["name"] not in {f["name"] for f in known["fields"]}:
                    known["fields"].append(spec)
        for entry in names.link_type_entries():
            link_entries.setdefault(entry["name"], entry)
        statuses += [s for s in names.statuses if s not in statuses]
    if item_entries:
        config.techspec_item_types = [*config.techspec_item_types, *item_entries.values()]
    if link_entries:
        config.techspec_link_types = [*config.techspec_link_types, *link_entries.values()]
    if statuses and list(config.techspec_statuses) == DEFAULT_STATUSES:
        config.techspec_statuses = [
            *DEFAULT_STATUSES,
            *(s for s in statuses if s not in DEFAULT_STATUSES),
        ]
