"""When each source file last changed: the ``LAST-CHANGE`` of what ``spec.reqif`` exports.

A ReqIF tool (DOORS, Polarion, Jama) shows ``LAST-CHANGE`` to people as the date an
object was last edited, so it has to be a real time, and the same for the same
sources so that two builds write the same bytes. In order of preference:

1. ``SOURCE_DATE_EPOCH`` when it is set (the reproducible-builds.org convention): every
   time is that time;
2. the commit time of the last commit that touched the file, from one ``git log`` over
   the source folder for all files (only when the project is in git and the file was
   committed; an uncommitted edit counts from its commit);
3. the file's modification time.

The unit is a file: every object of one page shares that page's time.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from ..git_command import git

#: 9999-12-31T23:59:59Z, the last time ``xsd:dateTime`` tools (and ``datetime``) can hold.
LATEST_TIME = 253_402_300_799
#: Marks a commit's line in the log (a file name never starts with it in practice).
_COMMIT = "\x01"


def source_date_epoch() -> int | None:
    """``SOURCE_DATE_EPOCH`` (reproducible-builds.org) when it is a whole number of seconds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch.isdigit() or len(epoch) > 12 or int(epoch) > LATEST_TIME:
        return None
    return int(epoch)


def commit_times(folder: Path) -> dict[str, int]:
    """Path below ``folder`` (``/``-separated) → the time of the newest commit touching it.

    One ``git log`` for every file; empty when ``folder`` is not in a git work tree,
    git is missing or fails.
    """
    done = git(
        folder,
        "-c",
        "core.quotePath=false",
        "log",
        f"--format={_COMMIT}%ct",
        "--name-only",
        "--relative",
        "--",
        ".",
    )
    if done is None or done.returncode != 0:
        return {}
    times: dict[str, int] = {}
    current: int | None = None
    for line in done.stdout.decode("utf-8", "surrogateescape").splitlines():
        if line.startswith(_COMMIT):
            stamp = line[len(_COMMIT) :]
            current = int(stamp) if stamp.isdigit() else None
        elif line and current is not None:
            times[line] = max(times.get(line, 0), current)
    return times


def last_changes(folder: Path, files: Mapping[str, Path]) -> dict[str, int]:
    """Key → when the file of that key last changed (seconds since the epoch), see above."""
    epoch = source_date_epoch()
    if epoch is not None:
        return dict.fromkeys(files, epoch)
    committed = commit_times(folder)
    base = folder.resolve()
    times: dict[str, int] = {}
    for key, path in files.items():
        try:
            relative = path.resolve().relative_to(base).as_posix()
        except (OSError, ValueError):
            relative = ""
        if relative in committed:
            times[key] = committed[relative]
            continue
        try:
            modified = int(path.stat().st_mtime)
        except (OSError, OverflowError, ValueError):
            modified = 0
        times[key] = min(max(modified, 0), LATEST_TIME)
    return times
