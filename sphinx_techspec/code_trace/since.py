"""Where ``impact --since`` starts: items changed since a baseline, code changed since a commit.

``--since`` takes what ``techspec_baseline`` takes (:mod:`..change_control.baseline`):
a techspec.json file, or ``git:REF[:PATH]`` for one committed at REF (when REF holds no
techspec.json beside conf.py and no PATH is named, only code changes start the walk). Items added or
changed since then start the walk; for an item removed since then, today's items that
linked to it start it. With ``git:REF``, code locations whose lines changed since REF
(``git diff -U0 REF``, new untracked files included) start it too; a marker that binds
to the file counts as changed when anything in the file changed.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ..change_control.baseline import GIT_PREFIX, BaselineError, load_baseline, split_git
from ..change_control.diff import Changes, compare
from .files import git
from .impact import Node, removed_dependants
from .model import CodeReference
from .spec import CommandError, Spec

_HUNK = re.compile(rb"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@", re.MULTILINE)


def spec_missing_at(setting: str, project: Path) -> bool:
    """Whether ``git:REF`` (no PATH) names a commit that holds no techspec.json beside
    conf.py: then only the code changed since REF can start the walk."""
    if not setting.startswith(GIT_PREFIX) or ":" in setting[len(GIT_PREFIX) :]:
        return False
    ref, path = split_git(setting)
    if not ref or ref.startswith("-"):
        return False
    commit = git(project, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    if commit is None or commit.returncode != 0:
        return False  # load_baseline says what is wrong with the ref
    committed = git(project, "cat-file", "-e", f"{ref}:./{path}")
    return committed is not None and committed.returncode != 0


def changed_items(setting: str, project: Path, spec: Spec) -> dict[Node, str]:
    """Start → why it starts ("changed", "added", "linked to removed REQ-9")."""
    try:
        baseline = load_baseline(setting, project)
    except BaselineError as exc:
        where = f"{exc.where}:{exc.line}: " if exc.where and exc.line else ""
        where = where or (f"{exc.where}: " if exc.where else "")
        message = exc.message.removeprefix("techspec_baseline: ")
        raise CommandError(f"--since {setting}: {where}{message}") from None
    changes = compare(baseline.document.records, spec.records, baseline.document.has_text)
    return change_starts(changes, baseline.document.records, spec)


def change_starts(changes: Changes, old_records: Mapping[str, Any], spec: Spec) -> dict[Node, str]:
    """Start → why, from a comparison with a baseline (the command's and the view's)."""
    starts: dict[Node, str] = {}
    for record in changes.added:
        starts[record.id] = "added"
    for change in changes.changed:
        starts[change.id] = "changed"
    removed = [record.id for record in changes.removed]
    for gone, dependants in sorted(removed_dependants(removed, old_records, spec).items()):
        for dependant in dependants:
            starts.setdefault(dependant, f"linked to {gone}, removed")
    return starts


def changed_code(
    setting: str, project: Path, references: Iterable[CodeReference]
) -> dict[Node, str]:
    """Code locations whose lines changed since ``git:REF`` (nothing for a baseline file)."""
    if not setting.startswith(GIT_PREFIX):
        return {}
    ref, _path = split_git(setting)
    by_path: dict[str, list[CodeReference]] = {}
    for reference in references:
        by_path.setdefault(reference.path, []).append(reference)
    if not by_path or not ref or ref.startswith("-"):
        return {}
    lines = changed_lines(project, ref, sorted(by_path))
    starts: dict[Node, str] = {}
    for path, found in by_path.items():
        changed = lines.get(path)
        if not changed:
            continue
        for reference in found:
            whole_file = not reference.symbol or changed is ALL_LINES
            span = range(reference.line, reference.end_line + 1)
            if whole_file or any(line in changed for line in span):
                starts[reference] = f"code changed since {ref}"
    return starts


#: Stands for "every line" (a new file, or one git cannot diff by lines).
ALL_LINES: frozenset[int] = frozenset({-1})


def changed_lines(project: Path, ref: str, paths: list[str]) -> dict[str, frozenset[int]]:
    """Path (relative to ``project``) → the lines changed since ``ref`` in it."""
    top = git(project, "rev-parse", "--show-toplevel")
    if top is None or top.returncode != 0:
        return {}
    root = Path(os.fsdecode(top.stdout.strip()))
    diff = git(project, "diff", "-U0", "--no-color", "--no-ext-diff", ref, "--", *paths)
    found: dict[str, set[int]] = {}
    if diff is not None and diff.returncode == 0:
        for chunk in re.split(rb"^diff --git ", diff.stdout, flags=re.MULTILINE)[1:]:
            target = re.search(rb"^\+\+\+ (?:b/)?(.*)$", chunk, re.MULTILINE)
            if target is None or target.group(1) == b"/dev/null":
                continue
            path = _relative(root / os.fsdecode(target.group(1)), project)
            lines = found.setdefault(path, set())
            for hunk in _HUNK.finditer(chunk):
                start, count = int(hunk.group(1)), int(hunk.group(2) or 1)
                lines.update(range(start, start + max(count, 1) + (0 if count else 1)))
    untracked = git(project, "ls-files", "-z", "--others", "--exclude-standard", "--", *paths)
    result = {path: frozenset(lines) for path, lines in found.items()}
    if untracked is not None and untracked.returncode == 0:
        for name in untracked.stdout.split(b"\0"):
            if name:
                result[os.fsdecode(name).replace(os.sep, "/")] = ALL_LINES
    return result


def _relative(path: Path, project: Path) -> str:
    return os.path.relpath(path, project.resolve()).replace(os.sep, "/")
