"""Which files to scan: the globs of ``techspec_code_paths``, relative to the spec's folder.

Where that folder is in a git work tree (and git is installed), the files are what
``git ls-files --cached --others --exclude-standard`` lists for the globs: tracked files
and new files that ``.gitignore`` does not exclude. Elsewhere, the globs are expanded
on disk (Python's ``pathlib`` globbing: ``*`` within a folder, ``**`` across folders)
and every match that is a file is scanned, hidden folders included; so are globs git
refuses (a folder outside the repository). Either way the result is sorted and each
file appears once.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from ..git_command import git


class PathError(Exception):
    """A glob that cannot be used (absolute, empty); the message says which."""


def in_git_work_tree(base: Path) -> bool:
    done = git(base, "rev-parse", "--is-inside-work-tree")
    return done is not None and done.returncode == 0 and done.stdout.strip() == b"true"


def source_files(base: Path, patterns: Iterable[str]) -> list[str]:
    """The files the globs name, relative to ``base`` with ``/`` (``../src/x.py`` allowed)."""
    globs = [pattern.strip() for pattern in patterns]
    for pattern in globs:
        if not pattern:
            raise PathError("an empty pattern names no files")
        if Path(pattern).is_absolute() or pattern.startswith(("/", "\\")):
            raise PathError(f"{pattern!r} is absolute; write it relative to the spec's folder")
    if not globs:
        return []
    if in_git_work_tree(base):
        listed = _git_files(base, globs)
        if listed is not None:
            return listed
    return _globbed_files(base, globs)


def _git_files(base: Path, globs: list[str]) -> list[str] | None:
    specs = [f":(glob){pattern}" for pattern in globs]
    done = git(base, "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", *specs)
    if done is None or done.returncode != 0:
        return None
    names = {os.fsdecode(name) for name in done.stdout.split(b"\0") if name}
    return sorted(name for name in names if (base / name).is_file())


def _globbed_files(base: Path, globs: list[str]) -> list[str]:
    found: set[str] = set()
    for pattern in globs:
        try:
            matches = list(base.glob(pattern))
        except (ValueError, OSError) as exc:
            raise PathError(f"{pattern!r} cannot be expanded: {exc}") from None
        for path in matches:
            if path.is_file():
                found.add(os.path.relpath(path, base).replace(os.sep, "/"))
    return sorted(found)
