"""``techspec.lock``: the fingerprint each link's target had when the link was last reviewed.

One JSON file next to ``conf.py``, committed with the spec, one link per line in
natural ID order so that a review shows as a small, readable diff::

    {
      "format_version": 1,
      "links": [
        ["TC-001", "verifies", "REQ-001", "3f2a9c0d12ab34ef"],
        ["TC-002", "verifies", "REQ-001", "3f2a9c0d12ab34ef"]
      ],
      "editorial": [
        ["REQ-004", "9b1e77c04d5a2f10"]
      ]
    }

``editorial`` (written only when not empty, so older locks read unchanged) records
each item marked ``:change: editorial`` and the fingerprint a build accepted for it:
the links to it were moved to that fingerprint without becoming suspect. A marker
is used once: while the entry is there, a further change of the item is suspect as
usual; a build that finds the marker removed drops the entry.

Writes are atomic (a temporary file renamed over the old one) and serialised
between processes by an exclusive ``flock`` on the directory, so two ``review``
runs at once both land and nobody ever reads half a file.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..export_writer import atomic_write
from ..model import natural_key
from .versioned import UnusableFile, versioned_object

LOCK_FORMAT = 1

#: (source ID, link type, target ID)
LinkKey = tuple[str, str, str]


class LockError(UnusableFile):
    """A lock file that cannot be used; ``line`` is 0 when no line applies."""


@dataclass(slots=True)
class Lock:
    """The reviewed fingerprint of each link, and the line each entry is on."""

    entries: dict[LinkKey, str] = field(default_factory=dict)
    lines: dict[LinkKey, int] = field(default_factory=dict)
    #: Entries that could not be read: (line, problem); the rest of the lock is used.
    problems: list[tuple[int, str]] = field(default_factory=list)
    #: Item ID → the fingerprint an editorial change was accepted at.
    editorial: dict[str, str] = field(default_factory=dict)


def parse_lock(text: str) -> Lock:
    """The lock in ``text``; raises :class:`LockError` when it cannot be used at all."""
    try:
        data = versioned_object(text, "techspec lock", "lock", LOCK_FORMAT)
    except UnusableFile as exc:
        raise LockError(exc.message, exc.line) from None
    links = data.get("links")
    if not isinstance(links, list):
        raise LockError("'links' is missing or not a list", 1)
    lines = _entry_lines(text)
    lock = Lock()
    for position, entry in enumerate(links):
        line = lines[position] if position < len(lines) else 0
        if (
            not isinstance(entry, list)
            or len(entry) != 4
            or not all(isinstance(part, str) and part for part in entry)
        ):
            shown = repr(entry)
            shown = shown if len(shown) <= 80 else shown[:79] + "…"
            lock.problems.append((line, f"entry {shown} is not [source, link, target, hash]"))
            continue
        key: LinkKey = (entry[0], entry[1], entry[2])
        lock.entries[key] = entry[3]
        lock.lines[key] = line
    editorial = data.get("editorial", [])
    if not isinstance(editorial, list):
        raise LockError("'editorial' is not a list", 1)
    for entry in editorial:
        if (
            isinstance(entry, list)
            and len(entry) == 2
            and all(isinstance(part, str) and part for part in entry)
        ):
            lock.editorial[entry[0]] = entry[1]
        else:
            shown = repr(entry)[:80]
            lock.problems.append((0, f"editorial entry {shown} is not [item, hash]"))
    return lock


def _entry_lines(text: str) -> list[int]:
    """The line of each entry of ``links``, in order (one entry per line, as we write it)."""
    found: list[int] = []
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith('"editorial"'):
            break  # written after the links
        if stripped.startswith("[") and not stripped.startswith("[]"):
            found.append(number)
    return found


def read_lock(path: Path) -> Lock | None:
    """The lock at ``path``, ``None`` when there is none; raises :class:`LockError`."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except UnicodeDecodeError:
        raise LockError("not UTF-8 text") from None
    except OSError as exc:
        raise LockError(f"cannot be read ({exc.strerror or exc})") from None
    return parse_lock(text)


def format_lock(entries: Mapping[LinkKey, str], editorial: Mapping[str, str] | None = None) -> str:
    """The file's text: sorted by source, link type, target; one link per line."""
    keys = sorted(entries, key=lambda k: (natural_key(k[0]), k[1], natural_key(k[2])))
    rows = [json.dumps([*key, entries[key]], ensure_ascii=False) for key in keys]
    text = f'{{\n  "format_version": {LOCK_FORMAT},\n  "links": {_rows(rows)}'
    if editorial:
        marked = sorted(editorial, key=natural_key)
        text += ',\n  "editorial": ' + _rows(
            [json.dumps([item_id, editorial[item_id]], ensure_ascii=False) for item_id in marked]
        )
    return text + "\n}\n"


def _rows(rows: list[str]) -> str:
    body = ",\n".join(f"    {row}" for row in rows)
    return f"[\n{body}\n  ]" if rows else "[]"


def write_lock(
    path: Path, entries: Mapping[LinkKey, str], editorial: Mapping[str, str] | None = None
) -> None:
    """Write atomically: readers see the old file or the new one, never a part."""
    text = format_lock(entries, editorial)
    atomic_write(path, text.encode("utf-8"), _mode_for(path), sync=True)


def _mode_for(path: Path) -> int:
    """The existing file's permissions, or what the umask gives a new file."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


@contextlib.contextmanager
def exclusive(directory: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``directory`` (not on the file, which a rename replaces)."""
    try:
        import fcntl
    except ImportError:  # no flock (Windows): the rename still keeps the file whole
        yield
        return
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # closing releases the lock


def update_lock(
    path: Path,
    change: Callable[[dict[LinkKey, str]], dict[LinkKey, str]],
    editorial: Callable[[dict[str, str]], dict[str, str]] | None = None,
) -> dict[LinkKey, str]:
    """Read, change and write the lock as one step between processes; the entries written.

    ``editorial`` changes the editorial records (kept as they are when not given).
    Raises :class:`LockError` when the existing lock cannot be read (it is never
    overwritten then), ``OSError`` when it cannot be written.
    """
    with exclusive(path.parent):
        lock = read_lock(path)
        if lock is not None and lock.problems:
            line, problem = lock.problems[0]
            raise LockError(problem, line)
        entries = change(dict(lock.entries) if lock else {})
        marked = dict(lock.editorial) if lock else {}
        if editorial is not None:
            marked = editorial(marked)
        write_lock(path, entries, marked)
        return entries
