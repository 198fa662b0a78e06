"""``sphinx-techspec migrate-needs needs.json --out DIR``: a sphinx-needs project, moved over.

One page per original document, items in their original order; sphinx-needs
types and links mapped with ``--map`` (``req=requirement``, ``links=refines``),
the other options kept as fields; a report says what did not map and the
``conf.py`` lines the new project needs for the kept fields and types.
"""

from __future__ import annotations

import argparse
from collections import defaultdict
from pathlib import Path

from ..cli_errors import fail
from ..item_types import ITEM_TYPES, LINK_TYPES
from ..model import natural_key
from .external import SourceError
from .needs import Need, default_link_name, parse_map
from .needs_import import load_needs
from .pages import (
    OutputError,
    PageItem,
    add_output_arguments,
    heading,
    item_directive,
    page_file,
    toctree,
    write_files,
)

REPORT = "migration-report.txt"
BUILTIN_TYPES = {t.name for t in ITEM_TYPES}
BUILTIN_LINKS = {link.name for link in LINK_TYPES}
BUILTIN_FIELDS = {"status", "priority", "tags", "kind", "metric", "actors"}


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("needs_json", metavar="NEEDS.JSON", type=Path, help="a sphinx-needs export")
    add_output_arguments(
        parser,
        "NAME=TYPE",
        "map a need type to an item type, or a link option to a link type (repeatable)",
    )


def migrate(needs: list[Need], mapping: dict[str, str], fmt: str) -> tuple[dict[str, str], str]:
    """The pages (file name → text) and the report."""
    by_doc: dict[str, list[Need]] = defaultdict(list)
    for need in needs:
        by_doc[need.docname].append(need)
    types_used: dict[str, set[str]] = defaultdict(set)
    links_used: set[str] = set()
    unmapped_links: dict[str, int] = defaultdict(int)
    ids = {need.id for need in needs}
    dangling: list[str] = []
    files: dict[str, str] = {}
    docnames = sorted(by_doc, key=lambda d: (d != "index", natural_key(d)))
    for docname in docnames:
        doc_needs = by_doc[docname]
        title = next((n.sections[0] for n in doc_needs if n.sections), docname)
        parts = [heading(title, 0, fmt)]
        if docname == "index" and len(docnames) > 1:
            parts.append(toctree([d for d in docnames if d != "index"], fmt))
        for need in doc_needs:
            item_type = mapping.get(need.type, need.type.replace("_", "-"))
            options: dict[str, str] = {}
            if need.status:
                options["status"] = need.status
            if need.tags:
                options["tags"] = ", ".join(need.tags)
            for name, value in need.fields.items():
                option = name.replace("_", "-")
                options[option] = ", ".join(value) if isinstance(value, list) else value
                types_used[item_type].add(option)
            for link_name, targets in need.links.items():
                link = mapping.get(link_name, default_link_name(link_name))
                if link_name == "links" and "links" not in mapping:
                    unmapped_links[link_name] += len(targets)
                    options.setdefault("links", ", ".join(targets))
                    types_used[item_type].add("links")
                    continue
                links_used.add(link)
                dangling += [f"{need.id} -> {t} ({link_name})" for t in targets if t not in ids]
                options[link] = ", ".join([options[link], *targets] if link in options else targets)
            types_used.setdefault(item_type, set())
            body = need.content.replace(":need:`", ":spec:`")
            item = PageItem(
                item_type, need.id, need.title, options, body, body_is_native=fmt == "rst"
            )
            parts.append(item_directive(item, fmt))
        files[page_file(docname, fmt)] = "\n".join(parts)
    report = migration_report(needs, types_used, links_used, unmapped_links, dangling, fmt)
    return files, report


def migration_report(
    needs: list[Need],
    types_used: dict[str, set[str]],
    links_used: set[str],
    unmapped_links: dict[str, int],
    dangling: list[str],
    fmt: str,
) -> str:
    lines = [f"Migrated {len(needs)} needs from sphinx-needs.", ""]
    new_types = sorted(t for t in types_used if t not in BUILTIN_TYPES)
    extra_fields = {
        t: sorted(f for f in fields if f not in BUILTIN_FIELDS) for t, fields in types_used.items()
    }
    new_links = sorted(link for link in links_used if link not in BUILTIN_LINKS)
    if unmapped_links:
        lines.append(
            "Not mapped: the generic 'links' option (kept as a field 'links'); "
            "map it with --map links=LINK-TYPE."
        )
    if dangling:
        lines.append(f"Links to needs that are not in the file ({len(dangling)}):")
        lines += [f"  {entry}" for entry in dangling]
    if new_types or any(extra_fields.values()) or new_links:
        lines += ["", "Add to conf.py so the pages build without warnings:", ""]
        entries = []
        for name in sorted(types_used):
            fields = extra_fields[name]
            if name in new_types or fields:
                entries.append(
                    f'    {{"name": "{name}", "label": "{name.replace("-", " ").capitalize()}", '
                    f'"fields": {fields!r}}},'.replace("'", '"')
                )
        if entries:
            lines += ["techspec_item_types = [", *entries, "]"]
        if new_links:
            lines += [
                "techspec_link_types = [",
                *(f'    {{"name": "{n}", "reverse": "{n} (reverse)"}},' for n in new_links),
                "]",
            ]
    if len(lines) == 2:
        lines.append("Everything mapped.")
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace) -> int:
    source: Path = args.needs_json
    try:
        needs = load_needs(source)
    except SourceError as exc:
        return fail(f"{source}: {exc}")
    mapping, bad = parse_map(args.map)
    if bad:
        return fail(f"--map {bad[0]!r} is not NAME=TYPE")
    files, report = migrate(needs, mapping, args.format)
    files[REPORT] = report
    try:
        write_files(args.out, files)
    except OutputError as exc:
        return fail(str(exc))
    print(report, end="")
    print(f"Wrote {len(files) - 1} pages and {REPORT} to {args.out}.")
    return 0
