"""``sphinx-techspec impact ID [ID ...]`` / ``impact --since REF``: what a change reaches.

Reads the last build's techspec.json, the code markers of ``techspec_code_paths`` and
the lock file of reviewed links (for suspect links); prints everything the named or
changed items reach (:mod:`.impact`), as text, Markdown or JSON. Exit 0; 2 on an error.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..model import natural_key
from .impact import ImpactGraph, Node
from .impact_output import Report, to_json, to_markdown, to_text
from .model import CodeReference
from .project import Loaded, fail, load, scan
from .since import changed_code, changed_items, spec_missing_at
from .spec import CommandError, add_spec_arguments


def configure_impact(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("ids", nargs="*", metavar="ID", help="the items whose change you ask about")
    parser.add_argument(
        "--since",
        metavar="BASELINE",
        help="start from every item changed since a baseline: a techspec.json file, or "
        "git:REF[:PATH] (techspec.json committed at REF; code changed since REF counts too)",
    )
    add_spec_arguments(parser)
    parser.add_argument(
        "--format",
        choices=("text", "markdown", "json"),
        default="text",
        help="text (default), Markdown for a pull-request comment, or JSON",
    )
    parser.add_argument(
        "--depth", type=int, metavar="N", help="follow at most N links from each start"
    )
    parser.add_argument(
        "--no-code", action="store_true", help="leave code markers out (no scan of the sources)"
    )


def run_impact(args: argparse.Namespace) -> int:
    if not args.ids and not args.since:
        return fail("name the items whose change you ask about (IDs), or give --since BASELINE")
    if args.depth is not None and args.depth < 1:
        return fail("--depth must be 1 or more")
    try:
        loaded = load(args)
        references = [] if args.no_code else _references(loaded)
        starts = _starts(args, loaded, references)
        suspects = _suspects(loaded)
    except CommandError as exc:
        return fail(str(exc))
    graph = ImpactGraph(loaded.spec, references, suspects)
    report = Report(loaded.spec, starts, graph.reach(starts, args.depth), _title(args, starts))
    if args.format == "json":
        print(json.dumps(to_json(report), indent=2, ensure_ascii=False))
    elif args.format == "markdown":
        sys.stdout.write(to_markdown(report))
    else:
        sys.stdout.write(to_text(report))
    return 0


def _references(loaded: Loaded) -> list[CodeReference]:
    if not loaded.settings.code_paths:
        return []
    return list(scan(loaded).references)


def _starts(
    args: argparse.Namespace, loaded: Loaded, references: list[CodeReference]
) -> dict[Node, str]:
    spec = loaded.spec
    unknown = [item_id for item_id in args.ids if item_id not in spec.records]
    if unknown:
        raise CommandError(
            f"no item has the ID {', '.join(sorted(set(unknown), key=natural_key))} "
            f"(in {spec.path})"
        )
    starts: dict[Node, str] = dict.fromkeys(args.ids, "named")
    if args.since:
        project = loaded.settings.project
        if spec_missing_at(args.since, project):
            print(
                f"note: {args.since} holds no techspec.json beside conf.py; starting from the "
                f"code changed since then (name a committed file with git:REF:PATH)",
                file=sys.stderr,
            )
        else:
            for start, why in changed_items(args.since, project, spec).items():
                starts.setdefault(start, why)
        for start, why in changed_code(args.since, project, references).items():
            starts.setdefault(start, why)
    return starts


def _suspects(loaded: Loaded) -> set[tuple[str, str, str]]:
    """Suspect links from the lock file beside conf.py; none when there is no lock file."""
    from ..change_control.build import find_suspects
    from ..change_control.lock import LockError, read_lock

    records = loaded.spec.records
    if any(not record.fingerprint for record in records.values()):
        return set()  # built without change control: nothing to compare
    path = Path(loaded.settings.project) / loaded.settings.lock_file
    try:
        lock = read_lock(path)
    except LockError as exc:
        print(f"{path}: warning: {exc.message}; suspect links not shown", file=sys.stderr)
        return set()
    if lock is None:
        return set()
    suspects, _stale = find_suspects(records, lock, False)
    return set(suspects)


def _title(args: argparse.Namespace, starts: dict[Node, str]) -> str:
    if args.since and not args.ids:
        if not starts:
            return f"Nothing changed since {args.since}"
        return f"Impact of the changes since {args.since}"
    return f"Impact of {', '.join(args.ids)}" + (
        f" and the changes since {args.since}" if args.since else ""
    )
