"""``sphinx-techspec trace-code [PATHS]``: every code marker and its item, without a build.

For pre-commit hooks and CI jobs that run before the docs build: lists each marker
with the item it names (text, or ``--format json``) and exits 1 when a marker names
an ID the last build does not have, or an item its link type cannot point at.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from ..model import natural_key
from ..suggestions import did_you_mean_id
from .model import SKIP_REASONS, CodeReference, ScanResult
from .project import fail, load, scan
from .spec import CommandError, Spec, add_spec_arguments


def configure_trace_code(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="files, folders or globs to scan (default: techspec_code_paths in conf.py)",
    )
    add_spec_arguments(parser)
    parser.add_argument(
        "--format", choices=("text", "json"), default="text", help="text (default) or JSON"
    )


def run_trace_code(args: argparse.Namespace) -> int:
    try:
        loaded = load(args)
        if not args.paths and not loaded.settings.code_paths:
            raise CommandError(
                "no source files to scan: set techspec_code_paths in conf.py, or name PATHS"
            )
        result = scan(loaded, args.paths)
    except CommandError as exc:
        return fail(str(exc))
    problems = {ref: problem_of(ref, loaded.spec) for ref in result.references}
    if args.format == "json":
        print(json.dumps(as_json(result, loaded.spec, problems), indent=2, ensure_ascii=False))
    else:
        print(as_text(result, loaded.spec, problems), end="")
    return 1 if any(problems.values()) else 0


def problem_of(reference: CodeReference, spec: Spec) -> str:
    """Why the marker is wrong (an unknown ID, an item of the wrong type), or ``""``."""
    record = spec.records.get(reference.item_id)
    if record is None:
        hint = did_you_mean_id(reference.item_id, spec.records)
        return f"no item has the ID {reference.item_id}{hint}"
    link = spec.link_types.get(reference.link_type)
    if link is not None and link.targets and record.type not in link.targets:
        return (
            f"{reference.item_id} is a {record.type}; {reference.link_type} points at "
            f"{', '.join(link.targets)} items"
        )
    return ""


def as_text(result: ScanResult, spec: Spec, problems: dict[CodeReference, str]) -> str:
    lines = []
    for reference in result.references:
        problem = problems[reference]
        marker = f"{reference.path}:{reference.marker_line}"
        if problem:
            lines.append(f"{marker}: error: {reference.link_type} {reference.item_id}: {problem}")
            continue
        record = spec.records[reference.item_id]
        lines.append(
            f"{reference.label()}  {reference.link_type} {reference.item_id} {record.title}"
        )
    lines.append(summary(result, problems))
    return "\n".join(lines) + "\n"


def summary(result: ScanResult, problems: dict[CodeReference, str]) -> str:
    references = result.references
    files = len({r.path for r in references})
    items = {r.item_id for r in references if not problems[r]}
    wrong = sum(1 for problem in problems.values() if problem)
    text = (
        f"{_count(len(references), 'reference')} in {_count(files, 'file')} "
        f"({_count(result.files_scanned, 'file')} scanned) name {_count(len(items), 'item')}"
    )
    text += f"; {_count(wrong, 'problem')}." if wrong else "."
    skipped = [
        _count(result.skipped_count(reason), SKIPPED[reason])
        for reason in SKIP_REASONS
        if result.skipped_count(reason)
    ]
    if skipped:
        text += f" Skipped: {', '.join(skipped)}."
    return text


#: How the summary names skipped files, by reason: (one, many).
SKIPPED = {
    "binary": ("binary file", "binary files"),
    "too_large": ("file over the size limit", "files over the size limit"),
    "undecodable": ("file not UTF-8", "files not UTF-8"),
    "unreadable": ("unreadable file", "unreadable files"),
}


def _count(number: int, noun: str | tuple[str, str]) -> str:
    one, many = noun if isinstance(noun, tuple) else (noun, f"{noun}s")
    return f"{number} {one if number == 1 else many}"


def as_json(result: ScanResult, spec: Spec, problems: dict[CodeReference, str]) -> dict[str, Any]:
    def entry(reference: CodeReference) -> dict[str, Any]:
        record = spec.records.get(reference.item_id)
        return {
            "path": reference.path,
            "line": reference.line,
            "end_line": reference.end_line,
            "symbol": reference.symbol,
            "link_type": reference.link_type,
            "item_id": reference.item_id,
            "marker_line": reference.marker_line,
            "item": {"type": record.type, "title": record.title} if record else None,
            "problem": problems[reference] or None,
        }

    return {
        "spec": str(spec.path),
        "files_scanned": result.files_scanned,
        "references": [entry(r) for r in result.references],
        "items": sorted({r.item_id for r in result.references}, key=natural_key),
        "problems": sum(1 for p in problems.values() if p),
        "skipped": [
            {"path": s.path, "reason": s.reason, "detail": s.detail} for s in result.skipped
        ],
    }
