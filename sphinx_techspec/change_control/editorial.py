"""``:change: editorial``: a change that should not make the links to an item suspect.

A typo fixed in a requirement's title changes its fingerprint like any edit. The
author marks the item ``:change: editorial``; the next build moves the lock
entries of the links to it to today's fingerprint and records the item and that
fingerprint under ``editorial`` in ``techspec.lock``, so nothing is suspect and
the lock's diff shows what was accepted without review. The marker is used once:
a further change while it is still there is suspect as usual (and says so), and a
build that finds the marker removed drops the record.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import warn
from ..domain import TechspecDomain
from ..model import FieldSpec, natural_key
from .lock import LinkKey, Lock, LockError, update_lock
from .records import Record

#: The option every item type takes.
CHANGE = FieldSpec("change", "Change", "choice", choices=("editorial",), show=False)
EDITORIAL = "editorial"


@dataclass(slots=True)
class EditorialPlan:
    """What this build does with the markers: links to move, records to add or drop."""

    moved: dict[LinkKey, str] = field(default_factory=dict)
    record: dict[str, str] = field(default_factory=dict)
    drop: list[str] = field(default_factory=list)
    used_again: list[str] = field(default_factory=list)

    def writes(self) -> bool:
        return bool(self.moved or self.record or self.drop)


def plan(domain: TechspecDomain, records: Mapping[str, Record], lock: Lock) -> EditorialPlan:
    """The lock changes the ``:change: editorial`` markers of this build ask for."""
    marked = {
        item.id
        for item in domain.items.values()
        if item.fields.get(CHANGE.name) == EDITORIAL and item.id in records
    }
    result = EditorialPlan()
    for item_id in sorted(marked, key=natural_key):
        now = records[item_id].fingerprint or ""
        accepted = lock.editorial.get(item_id)
        if accepted == now:
            continue  # this change was accepted by an earlier build
        if accepted is not None:
            result.used_again.append(item_id)
            continue
        result.record[item_id] = now
        for key, reviewed in lock.entries.items():
            if key[2] == item_id and reviewed != now:
                result.moved[key] = now
    result.drop = sorted(set(lock.editorial) - marked, key=natural_key)
    return result


def apply_editorial(
    domain: TechspecDomain, records: Mapping[str, Record], lock: Lock, path: Path
) -> None:
    """Carry out :func:`plan` in ``lock`` (what this build uses) and in the file at ``path``."""
    steps = plan(domain, records, lock)
    for item_id in steps.used_again:
        item = domain.get(item_id)
        warn(
            f"{item_id}: :change: editorial was already used for an earlier change (see "
            f"'editorial' in {path.name}); this change makes links to it suspect. Remove "
            "the option; add it again, after one build, for another editorial change",
            "editorial_used",
            item.location if item is not None else str(path),
        )
    if not steps.writes():
        return
    lock.entries.update(steps.moved)
    lock.editorial.update(steps.record)
    for item_id in steps.drop:
        lock.editorial.pop(item_id, None)

    def move(entries: dict[LinkKey, str]) -> dict[LinkKey, str]:
        entries.update((key, now) for key, now in steps.moved.items() if key in entries)
        return entries

    def mark(accepted: dict[str, str]) -> dict[str, str]:
        accepted.update(steps.record)
        for item_id in steps.drop:
            accepted.pop(item_id, None)
        return accepted

    try:
        update_lock(path, move, mark)
    except (LockError, OSError) as exc:
        reason = exc.message if isinstance(exc, LockError) else (exc.strerror or str(exc))
        warn(
            f"cannot record the editorial change of {', '.join(steps.record) or 'items'} in "
            f"the lock file ({reason}); links to them are not suspect in this build only",
            "bad_lock",
            str(path),
        )
