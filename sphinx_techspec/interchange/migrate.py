"""``sphinx-techspec migrate-needs needs.json --out DIR``: a sphinx-needs project, moved over.

The written folder is a project that builds with ``sphinx-build -W -n`` as it is:
``conf.py`` (data only) declares every type, field, link type and status the
needs use, ``index`` holds a toctree of one page per original document, items in
their original order. Names follow the one rule of :func:`.needs.declare` (the
same ``needs-import`` uses); ``--map req=requirement`` maps a type or a link
option to one of ours instead. Link conditions (``ID[version==1]``) link to the
ID and stay visible as the ``link-conditions`` field; links to needs that are not
in the file stay as the ``outside-links`` field. Bodies go through
:mod:`.needs_body`. Everything changed is listed in ``migration-report.txt``;
standard output gets a summary.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from ..cli_errors import fail
from ..core import DEFAULT_ID_PATTERN
from ..feature import all_features
from ..model import natural_key
from ..schema import declared_types
from .external import SourceError
from .needs import (
    CONDITIONS_FIELD,
    OUTSIDE_FIELD,
    Declarations,
    Need,
    conditions_text,
    declare,
    load_needs,
    outside_text,
    parse_map,
    safe_name,
)
from .needs_body import BodyContext, sanitize
from .pages import OutputError, PageItem, add_output_arguments, heading, item_directive, one_line
from .project_writer import (
    ProjectDeclarations,
    safe_docname,
    write_project,
)

REPORT = "migration-report.txt"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("needs_json", metavar="NEEDS.JSON", type=Path, help="a sphinx-needs export")
    add_output_arguments(
        parser,
        "NAME=TYPE",
        "map a need type to an item type, or a link option to a link type (repeatable)",
    )
    parser.add_argument("--title", default="", help="the project's title (default: the file's)")


@dataclass
class Migration:
    """The written pages and what the report says about them."""

    pages: dict[str, str] = field(default_factory=dict)
    declarations: Declarations = field(default_factory=Declarations)
    links: int = 0
    resolved: int = 0
    #: Target ID → number of links to it from needs of the file.
    outside: Counter[str] = field(default_factory=Counter)
    outside_needs: int = 0
    conditions: int = 0
    left_out: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    changes: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: Maps to a link type of ours that the mapped item types cannot have.
    conflicts: list[str] = field(default_factory=list)


def builtin_fields(item_type: str) -> set[str]:
    """Options a type of ours (``requirement``) already takes as fields."""
    for declared in declared_types(all_features())[0]:
        if declared.name == item_type:
            return {spec.name for spec in declared.fields} | {"status", "priority", "tags"}
    return set()


def item_options(need: Need, item_type: str, ids: set[str], result: Migration) -> dict[str, str]:
    """The directive options of one need: status, tags, fields, links, kept notes."""
    names = result.declarations
    declared = names.new_types.get(item_type)
    allowed = set(declared.fields) if declared else builtin_fields(item_type)
    options: dict[str, str] = {}
    if need.status:
        options["status"] = need.status
    if need.tags:
        options["tags"] = ", ".join(need.tags)
    for key, value in need.fields.items():
        if names.fields[key] in allowed:
            options[names.fields[key]] = ", ".join(value) if isinstance(value, list) else value
        else:
            result.left_out[item_type].add(key)
    outside: dict[str, list[str]] = {}
    for option, targets in need.links.items():
        inside = [t for t in targets if t in ids]
        result.links += len(targets)
        result.resolved += len(inside)
        if len(inside) < len(targets):
            outside[option] = [t for t in targets if t not in ids]
            result.outside.update(outside[option])
        if inside:
            link = names.links[option]
            options[link] = ", ".join([options[link], *inside] if link in options else inside)
    result.outside_needs += bool(outside)
    result.conditions += len(need.conditions)
    for name, text in (
        (CONDITIONS_FIELD, conditions_text(need, names.links)),
        (OUTSIDE_FIELD, outside_text(outside, names.links)),
    ):
        if text and name in allowed:
            options[name] = text
        elif text:
            result.left_out[item_type].add(name)
    return options


def migrate(needs: list[Need], mapping: dict[str, str], fmt: str) -> Migration:
    """The pages (docname → text) and what the report needs."""
    items, links = declared_types(all_features())
    link_options = {name for need in needs for name in need.links}
    result = Migration()
    result.declarations = declare(
        needs,
        {k: v for k, v in mapping.items() if k not in link_options},
        {k: v for k, v in mapping.items() if k in link_options},
        [t.name for t in items],
        [link.name for link in links],
    )
    result.conflicts = link_map_conflicts(needs, result.declarations, links)
    by_doc: dict[str, list[Need]] = defaultdict(list)
    for need in needs:
        by_doc[need.docname].append(need)
    taken: set[str] = set()
    docnames = {doc: safe_docname(doc, taken) for doc in sorted(by_doc, key=natural_key)}
    ids = {need.id for need in needs}
    context = BodyContext(ids, docnames, result.declarations.types, changes=result.changes)
    for original, docname in docnames.items():
        doc_needs = by_doc[original]
        sections = next((n.sections for n in doc_needs if n.sections), [])
        parts = [heading(sections[-1] if sections else original, 0, fmt)]
        for need in doc_needs:
            item_type = result.declarations.types[need.type]
            context.docname, context.where = need.docname, f"{need.docname}: {need.id}"
            body = sanitize(need.content, context)
            result.notes += [f"{need.id}: {note}" for note in need.notes]
            item = PageItem(
                item_type,
                need.id,
                need.title,
                item_options(need, item_type, ids, result),
                body,
                body_is_native=fmt == "rst",
            )
            parts.append(item_directive(item, fmt))
        result.pages[docname] = "\n".join(parts)
        if docname != original:
            result.changes.append(f"page {original!r} written as {docname!r}")
    return result


def link_map_conflicts(needs: list[Need], names: Declarations, links: list) -> list[str]:
    """``--map tests=verifies`` where the needs' item types cannot have ``verifies``."""
    ours = {link.name: link for link in links}
    found: dict[tuple[str, str], set[str]] = defaultdict(set)
    for need in needs:
        for option in need.links:
            link = ours.get(names.links[option])
            item_type = names.types[need.type]
            if link is not None and not link.allows_source(item_type):
                found[(option, link.name)].add(item_type)
    return [
        f"link {option!r} is mapped to {link!r}, which {', '.join(sorted(types))} items cannot "
        f"have (only {', '.join(ours[link].sources)}): map their types too, or the build warns"
        for (option, link), types in sorted(found.items())
    ]


def migration_report(result: Migration, count: int) -> str:
    """The report file: every name changed, every link left as text, every body change."""
    names = result.declarations
    lines = [
        f"Migrated {count} needs into {len(result.pages)} pages.",
        f"Links: {result.resolved} of {result.links} resolve in the file; "
        f"{sum(result.outside.values())} from {result.outside_needs} needs point to "
        f"{len(result.outside)} IDs outside the file (kept as the field {OUTSIDE_FIELD!r}).",
        f"Link conditions: {result.conditions} (the links go to the IDs; the conditions "
        f"are kept as the field {CONDITIONS_FIELD!r}).",
        "",
        "Declared in conf.py:",
        f"  item types: {', '.join(sorted(names.new_types)) or 'none'}",
        f"  link types: {', '.join(sorted(names.new_links)) or 'none'}",
        f"  statuses: {', '.join(names.statuses) or 'none'}",
    ]
    if names.renamed:
        lines += ["", "Names changed (sphinx-needs → here):"]
        lines += [f"  {what} {one_line(repr(old))} → {new}" for what, old, new in names.renamed]
    if result.outside:
        lines += ["", "IDs outside the file (links to each):"]
        ordered = sorted(result.outside.items(), key=lambda e: natural_key(e[0]))
        lines += [f"  {one_line(repr(target))}: {n}" for target, n in ordered]
    if result.conflicts:
        lines += ["", "Maps that do not fit:"]
        lines += [f"  {one_line(conflict)}" for conflict in result.conflicts]
    if result.left_out:
        lines += ["", "Left out (not fields of the item type they were mapped to):"]
        for item_type, keys in sorted(result.left_out.items()):
            lines.append(f"  {item_type}: {', '.join(one_line(repr(k)) for k in sorted(keys))}")
    if result.changes:
        lines += ["", "Changed in bodies and pages:"]
        lines += [f"  {one_line(change)}" for change in result.changes]
    if result.notes:
        lines += ["", "Changed on reading:"]
        lines += [f"  {one_line(note)}" for note in result.notes]
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace) -> int:
    source: Path = args.needs_json
    read_notes: list[str] = []
    try:
        needs = load_needs(source, read_notes)
    except SourceError as exc:
        return fail(f"{source}: {exc}")
    mapping, bad = parse_map(args.map)
    if bad:
        return fail(f"--map {bad[0]!r} is not NAME=TYPE")
    items, links = declared_types(all_features())
    known = {t.name for t in items} | {link.name for link in links}
    for target in mapping.values():
        if target not in known and safe_name(target) != target:
            return fail(f"--map target {target!r}: use lower-case letters, digits and '-'")
    result = migrate(needs, mapping, args.format)
    result.notes[:0] = [f"{source.name}: {note}" for note in read_notes]
    names = result.declarations
    declarations = ProjectDeclarations(
        item_types=names.item_type_entries(),
        link_types=names.link_type_entries(),
        statuses=names.statuses,
    )
    if any(not re.fullmatch(DEFAULT_ID_PATTERN, need.id) for need in needs):
        # sphinx-needs took these IDs; keep them rather than warn about each one.
        declarations.config["techspec_id_pattern"] = r"\S+"
    title = args.title or source.stem
    try:
        write_project(
            args.out,
            args.format,
            title,
            dict(sorted(result.pages.items(), key=lambda page: natural_key(page[0]))),
            declarations,
            extra_files={REPORT: migration_report(result, len(needs))},
            command="migrate-needs",
        )
    except OutputError as exc:
        return fail(str(exc))
    print(
        f"Migrated {len(needs)} needs into {len(result.pages)} pages, conf.py and index in "
        f"{args.out}: {len(names.new_types)} item types, {len(names.new_links)} link types "
        f"declared; {result.resolved} of {result.links} links resolve, "
        f"{sum(result.outside.values())} point outside the file; "
        f"{result.conditions} link conditions kept; {len(result.changes)} changes. "
        f"Details: {args.out / REPORT}"
    )
    return 0
