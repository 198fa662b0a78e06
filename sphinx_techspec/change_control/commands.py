"""``sphinx-techspec review``, ``suspects`` and ``diff``: change control from the command line.

``review`` and ``suspects`` need today's items: from a techspec.json (``--from``,
e.g. the last build's ``_build/html/techspec.json``) or, by default, a fresh
quiet read of the project (Sphinx's ``dummy`` builder into a temporary
directory, so nothing of the project's own build is touched). Errors are one
line on stderr and exit status 2; ``suspects`` exits 1 when it finds any, and 2
when lock entries cannot be read (it names each one: a check that skips entries
silently would pass a lock nobody can trust). Whatever comes from a file is
printed through :func:`~sphinx_techspec.terminal_text.printable`.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..cli_errors import CommandError, fail
from ..cli_project import add_project_argument, conf_py_of
from ..feature import Command
from ..model import natural_key
from ..suggestions import did_you_mean_id
from ..terminal_text import escape_json_controls, printable
from .build import current_links, find_suspects, link_order
from .diff import compare, to_json, to_markdown
from .lock import LinkKey, Lock, LockError, read_lock, update_lock
from .records import Document, DocumentError, Record, parse_document

DEFAULT_LOCK = "techspec.lock"


@dataclass(frozen=True, slots=True)
class Project:
    records: dict[str, Record]
    lock_path: Path
    unreviewed_suspect: bool
    #: Item ID → where it is written (``path:line``, relative to the project).
    places: dict[str, str] = field(default_factory=dict)

    def place(self, item_id: str) -> str:
        record = self.records.get(item_id)
        fallback = f"{record.docname}:{record.lineno}" if record and record.docname else ""
        return self.places.get(item_id, fallback)


def read_export(path: Path, missing: str = "") -> tuple[Document, str]:
    """A techspec.json a command was given, checked, and its text; CommandError if not.

    ``missing``: what to say when the file does not exist (default: just that).
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CommandError(missing or f"{path} does not exist") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CommandError(f"cannot read {path}: {exc}") from None
    try:
        return parse_document(text), text
    except DocumentError as exc:
        where = f"{path}:{exc.line}" if exc.line else str(path)
        raise CommandError(
            f"{where}: {exc.message}: {path} is not a techspec.json export "
            "(give the techspec.json of a build, e.g. _build/html/techspec.json)"
        ) from None


def read_document(path: Path) -> tuple[dict[str, Record], str, bool]:
    """Records, a label and whether it has text, from a techspec.json; CommandError if not."""
    document, _text = read_export(path)
    label = " ".join(part for part in (document.project, document.version) if part)
    return document.records, f"{path.name} ({label})" if label else path.name, document.has_text


def read_project(project: Path) -> Project:
    """Today's items by reading the project quietly, as a build would (nothing is written)."""
    from sphinx.application import Sphinx
    from sphinx.util.docutils import docutils_namespace, patch_docutils

    from ..domain import DOMAIN
    from .build import change_state

    conf_py_of(project)
    with tempfile.TemporaryDirectory(prefix="techspec-review-") as temporary:
        out = Path(temporary)
        try:
            with patch_docutils(project), docutils_namespace():
                app = Sphinx(
                    str(project),
                    str(project),
                    str(out / "out"),
                    str(out / "doctrees"),
                    "dummy",
                    confoverrides={"techspec_export_json": False, "techspec_export_needs": False},
                    status=None,
                    warning=io.StringIO(),
                    freshenv=True,
                )
                app.build()
                domain = app.env.get_domain(DOMAIN)
                state = change_state(app, domain)  # type: ignore[arg-type]
                places = {
                    item.id: f"{_relative(item.source or app.env.doc2path(item.docname), project)}"
                    f":{item.lineno}"
                    for item in domain.items.values()  # type: ignore[attr-defined]
                    if item.docname
                }
                return Project(
                    state.records,
                    state.lock_path,
                    bool(app.config.techspec_unreviewed_links_suspect),
                    places,
                )
        except CommandError:
            raise
        except Exception as exc:  # a project that does not build: say why, no traceback
            raise CommandError(
                f"cannot read the project in {project}: {type(exc).__name__}: {exc}"
            ) from None


def _relative(path: object, project: Path) -> str:
    """``path`` relative to the project directory when inside it, else as it is."""
    try:
        return os.path.relpath(str(path), project)
    except ValueError:  # another drive (Windows)
        return str(path)


def load_project(args: argparse.Namespace) -> Project:
    project = Path(args.project)
    if args.source is not None:
        records, _label, _text = read_document(Path(args.source))
        missing = sorted(i for i, r in records.items() if not r.fingerprint)
        if missing:
            raise CommandError(
                f"{args.source}: {missing[0]} has no fingerprint; it was built without change "
                f"control (rebuild the project, or leave out --from)"
            )
        data = Project(records, project / DEFAULT_LOCK, False)
    else:
        data = read_project(project)
    lock = Path(args.lock) if args.lock else data.lock_path
    return Project(data.records, lock, data.unreviewed_suspect or args.unreviewed, data.places)


def add_project_arguments(parser: argparse.ArgumentParser) -> None:
    add_project_argument(parser)
    parser.add_argument(
        "--from",
        dest="source",
        metavar="JSON",
        help="read today's items from this techspec.json instead of reading the project",
    )
    parser.add_argument(
        "--lock",
        metavar="FILE",
        help="the lock file (default: techspec_lock_file next to conf.py, techspec.lock)",
    )
    parser.add_argument(
        "--unreviewed",
        action="store_true",
        help="count links that were never reviewed as suspect too",
    )


# -- review ----------------------------------------------------------------------------


REVIEW_WHAT = (
    "say what you reviewed: item IDs (their outgoing links), --target ID (every link to a "
    "changed item), --changed (every link suspect now) or --all (every link)"
)


def configure_review(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("ids", nargs="*", metavar="ID", help="items whose links you reviewed")
    parser.add_argument(
        "--target",
        nargs="+",
        metavar="ID",
        default=[],
        help="review every link to these items (after rewording a requirement, say)",
    )
    parser.add_argument(
        "--changed", action="store_true", help="review every link that is suspect now"
    )
    parser.add_argument("--all", action="store_true", help="review the links of every item")
    add_project_arguments(parser)


def run_review(args: argparse.Namespace) -> int:
    modes = [bool(args.ids), bool(args.target), bool(args.changed), bool(args.all)]
    if sum(modes) != 1:
        return fail(REVIEW_WHAT + ("" if sum(modes) == 0 else ", one of them"))
    try:
        project = load_project(args)
        records = project.records
        existing = read_lock(project.lock_path)
    except (CommandError, LockError) as exc:
        return fail(_message(exc, project_lock(args)))
    if args.target or args.changed:
        return review_links(args, project, existing)
    locked_sources = {key[0] for key in existing.entries} if existing else set()
    unknown = [i for i in args.ids if i not in records and i not in locked_sources]
    if unknown:
        return fail(_unknown_ids(unknown, records))
    named = set(records) if args.all else set(args.ids)
    reviewed: list[LinkKey] = []

    def change(entries: dict[LinkKey, str]) -> dict[LinkKey, str]:
        kept = {
            key: value
            for key, value in entries.items()
            if key[0] not in named and (not args.all or key[0] in records)
        }
        reviewed.clear()
        for item_id in sorted(named & records.keys()):
            for key in records[item_id].link_keys():
                target = records.get(key[2])
                if target is not None and target.fingerprint:
                    kept[key] = target.fingerprint
                    reviewed.append(key)
        return kept

    entries, error = write_lock(project, change)
    if entries is None:
        return error
    what = "every item" if args.all else printable(", ".join(sorted(named)))
    print(
        f"Reviewed {len(reviewed)} link{'s' if len(reviewed) != 1 else ''} of {what}; "
        f"{project.lock_path.name} records {len(entries)}."
    )
    reviewed_sources = {key[0] for key in reviewed}
    for item_id in [] if args.all else sorted(named & records.keys() - reviewed_sources):
        # A target named by mistake: its links are reviewed at their sources.
        print(
            f"note: {printable(item_id)} links to nothing; to review the links to it, name their "
            f"sources (sphinx-techspec suspects lists them)",
            file=sys.stderr,
        )
    return 0


def _unknown_ids(unknown: list[str], records: Mapping[str, Record]) -> str:
    shown = ", ".join(repr(i) + did_you_mean_id(i, records) for i in unknown)
    return f"no item has the ID {shown}; nothing was written"


def review_links(args: argparse.Namespace, project: Project, existing: Lock | None) -> int:
    """``review --target ID...`` or ``review --changed``: chosen links, whatever their source."""
    records = project.records
    if args.target:
        unknown = [i for i in args.target if i not in records]
        if unknown:
            return fail(_unknown_ids(unknown, records))
        targets = set(args.target)
        chosen = {key for key in current_links(records) if key[2] in targets}
        what = f"to {printable(', '.join(sorted(targets, key=natural_key)))}"
    else:
        lock = existing or Lock()
        chosen = set(find_suspects(records, lock, project.unreviewed_suspect)[0])
        what = "suspect until now"

    def change(entries: dict[LinkKey, str]) -> dict[LinkKey, str]:
        for key in chosen:
            entries[key] = records[key[2]].fingerprint or ""
        return entries

    entries, error = write_lock(project, change)
    if entries is None:
        return error
    for key in sorted(chosen, key=link_order):
        print(printable(f"reviewed {key[0]} {key[1].replace('-', ' ')} {key[2]}"))
    print(
        f"Reviewed {len(chosen)} link{'s' if len(chosen) != 1 else ''} {what}; "
        f"{project.lock_path.name} records {len(entries)}."
    )
    return 0


def write_lock(
    project: Project, change: Callable[[dict[LinkKey, str]], dict[LinkKey, str]]
) -> tuple[dict[LinkKey, str] | None, int]:
    """The lock's entries after ``change``, or ``None`` and the status of the error shown."""
    try:
        return update_lock(project.lock_path, change), 0
    except LockError as exc:
        return None, fail(_message(exc, project.lock_path))
    except OSError as exc:
        reason = exc.strerror or exc
        return None, fail(f"cannot write {project.lock_path}: {reason}; it is unchanged")


def project_lock(args: argparse.Namespace) -> Path:
    return Path(args.lock) if args.lock else Path(args.project) / DEFAULT_LOCK


def _message(exc: Exception, lock: Path) -> str:
    if isinstance(exc, LockError):
        where = f"{lock}:{exc.line}" if exc.line else str(lock)
        return f"{where}: {exc.message}; it was not changed"
    return str(exc)


# -- suspects --------------------------------------------------------------------------


def configure_suspects(parser: argparse.ArgumentParser) -> None:
    add_project_arguments(parser)


def run_suspects(args: argparse.Namespace) -> int:
    try:
        project = load_project(args)
        lock = read_lock(project.lock_path)
    except (CommandError, LockError) as exc:
        return fail(_message(exc, project_lock(args)))
    if lock is None:
        if project.unreviewed_suspect and current_links(project.records):
            print(
                f"No lock file ({project.lock_path}): no link was ever reviewed; review them "
                f"(sphinx-techspec review --all, after a look) to start one."
            )
            return 1
        print(f"No lock file ({project.lock_path}): no link was reviewed, none is suspect.")
        return 0
    suspects, stale = find_suspects(project.records, lock, project.unreviewed_suspect)
    for key in stale:
        print(
            f"note: stale lock entry {printable(' '.join(key))} (review --all removes it)",
            file=sys.stderr,
        )
    if suspects:
        for key in sorted(suspects, key=link_order):
            source, link, target = key
            reviewed, now = suspects[key]
            why = (
                f"which changed since the link was reviewed ({reviewed} -> {now})"
                if reviewed
                else "never reviewed"
            )
            place = project.place(source)
            print(
                printable(
                    f"{place + ': ' if place else ''}{source} {link.replace('-', ' ')} "
                    f"{target}, {why}"
                )
            )
            print(printable(f"  clear it: sphinx-techspec review {source}"))
        by_target: dict[str, int] = {}
        for key in suspects:
            by_target[key[2]] = by_target.get(key[2], 0) + 1
        for target, count in sorted(by_target.items(), key=lambda t: natural_key(t[0])):
            if count > 1:
                print(
                    printable(
                        f"{count} links to {target}: sphinx-techspec review --target {target} "
                        "clears them in one go"
                    )
                )
        print(f"{len(suspects)} suspect link{'s' if len(suspects) != 1 else ''}.")
        print("sphinx-techspec review --changed clears them all, after a look.")
    else:
        print("No suspect links.")
    return unreadable_entries(project.lock_path, lock.problems) or (1 if suspects else 0)


def unreadable_entries(path: Path, problems: list[tuple[int, str]]) -> int:
    """Name every lock entry that was skipped; 2 when there is any, else 0."""
    for line, problem in problems:
        where = f"{path}:{line}" if line else str(path)
        print(f"sphinx-techspec: error: {where}: {printable(problem)}", file=sys.stderr)
    if not problems:
        return 0
    return fail(
        f"lock entries that cannot be read, so were not checked: {len(problems)}; fix them, "
        "or delete them and run sphinx-techspec review for their items"
    )


# -- diff ------------------------------------------------------------------------------


def configure_diff(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("old", metavar="OLD.json", help="techspec.json of the earlier build")
    parser.add_argument("new", metavar="NEW.json", help="techspec.json of the later build")
    parser.add_argument(
        "--format",
        choices=("markdown", "json"),
        default="markdown",
        help="Markdown for a pull-request comment (default) or JSON",
    )


def run_diff(args: argparse.Namespace) -> int:
    try:
        old, old_label, old_text = read_document(Path(args.old))
        new, new_label, _new_text = read_document(Path(args.new))
    except CommandError as exc:
        return fail(str(exc))
    changes = compare(old, new, old_text)
    if args.format == "json":
        print(escape_json_controls(json.dumps(to_json(changes), indent=2, ensure_ascii=False)))
    else:
        sys.stdout.write(to_markdown(changes, old_label, new_label))
    return 0


COMMANDS = (
    Command(
        "review",
        "record that the links of the named items were reviewed against today's targets",
        configure_review,
        run_review,
    ),
    Command(
        "suspects",
        "list links whose target changed since they were reviewed; exit 1 if any",
        configure_suspects,
        run_suspects,
    ),
    Command(
        "diff",
        "print what changed between two techspec.json files (Markdown or JSON)",
        configure_diff,
        run_diff,
    ),
)
