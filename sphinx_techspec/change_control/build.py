"""Change control in the build: fingerprints, suspect links, the baseline comparison.

All of it is computed once per build, after reading (:func:`change_state`), from
the domain, the lock file and the baseline; marks, exports, checks and views read
that one state. Its digest (the :data:`STORE`) is compared with the previous build's,
so the pages that show a suspect mark or a change-control view are rewritten when
the lock, the baseline or an item's text changes, without re-reading anything.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from ..config import config_location
from ..diagnostics import warn
from ..domain import DOMAIN, TechspecDomain
from ..feature import Mark, Store
from ..model import Item, natural_key
from .baseline import GIT_PREFIX, Baseline, BaselineError, load_baseline
from .diff import Changes, ItemChange, compare
from .editorial import apply_editorial
from .lock import LinkKey, Lock, LockError, read_lock
from .records import Record, records_from_domain

#: The store's name (``domain.data["change_control"]``); views that show it read it.
STORE_NAME = "change_control"


@dataclass(slots=True)
class ChangeState:
    """What change control knows in this build; ``lock is None``: no usable lock file."""

    records: dict[str, Record]
    lock_path: Path
    lock: Lock | None = None
    lock_unreadable: bool = False
    #: Suspect link → (fingerprint when reviewed or None when never reviewed, fingerprint now).
    suspects: dict[LinkKey, tuple[str | None, str]] = field(default_factory=dict)
    stale: list[LinkKey] = field(default_factory=list)
    baseline: Baseline | None = None
    baseline_unreadable: bool = False
    changes: Changes | None = None

    def fingerprint(self, item_id: str) -> str | None:
        record = self.records.get(item_id)
        return record.fingerprint if record else None


def confdir_of(app: Sphinx) -> Path:
    return Path(app.confdir or app.srcdir)


def lock_path(app: Sphinx) -> Path:
    return confdir_of(app) / app.config.techspec_lock_file


def baseline_file(app: Sphinx) -> Path | None:
    setting = app.config.techspec_baseline
    if not setting or setting.startswith(GIT_PREFIX):
        return None
    return (confdir_of(app) / setting).resolve()


def change_state(app: Sphinx, domain: TechspecDomain) -> ChangeState:
    """This build's state, computed on first use after reading (warnings come once).

    Kept in the store's cache: never pickled, emptied when a build's reading ends.
    """
    data = domain.store(STORE_NAME)
    if data.cache is None:
        data.cache = compute_state(app, domain)
    return data.cache


def compute_state(app: Sphinx, domain: TechspecDomain) -> ChangeState:
    config = app.config
    data = domain.store(STORE_NAME)  # its state: the fingerprints, kept between builds
    records, data.state = records_from_domain(
        domain, config.techspec_fingerprint_ignore, data.state
    )
    state = ChangeState(records, lock_path(app))
    load_lock_into(app, state)
    setting = config.techspec_baseline
    if setting:
        try:
            state.baseline = load_baseline(setting, confdir_of(app))
        except BaselineError as exc:
            state.baseline_unreadable = True
            where = (
                f"{exc.where}:{exc.line}"
                if exc.where and exc.line
                else exc.where or config_location(app, "techspec_baseline")
            )
            warn(f"cannot use the baseline: {exc.message}", "bad_baseline", where)
        else:
            document = state.baseline.document
            state.changes = compare(document.records, records, document.has_text)
    return state


def load_lock_into(app: Sphinx, state: ChangeState) -> None:
    path = state.lock_path
    try:
        lock = read_lock(path)
    except LockError as exc:
        state.lock_unreadable = True
        where = _at(path, exc.line)
        warn(
            f"cannot use the lock file: {exc.message}; no link is marked suspect until it is "
            f"fixed (or deleted and re-made with sphinx-techspec review --all)",
            "bad_lock",
            where,
        )
        return
    if lock is None:
        return
    state.lock = lock
    for line, problem in lock.problems:
        warn(f"lock file entry left out: {problem}", "bad_lock", _at(path, line))
    if not lock.problems:  # a lock with unreadable entries is never rewritten
        apply_editorial(app.env.get_domain(DOMAIN), state.records, lock, path)  # type: ignore[arg-type]
    state.suspects, state.stale = find_suspects(
        state.records, lock, app.config.techspec_unreviewed_links_suspect
    )
    for key in state.stale:
        source, link, target = key
        if source not in state.records:
            why = f"{source} no longer exists"
        elif target not in state.records:
            why = f"{target} no longer exists"
        else:
            why = f"{source} no longer {link.replace('-', ' ')} {target}"
        warn(
            f"lock entry {source} {link} {target} is stale: {why}; "
            f"sphinx-techspec review --all (or review {source}) removes it",
            "stale_lock",
            _at(path, lock.lines.get(key, 0)),
        )


def _at(path: Path, line: int) -> str:
    """``path:line`` as a warning location; the path alone when no line is known."""
    return f"{path}:{line}" if line else str(path)


def find_suspects(
    records: Mapping[str, Record], lock: Lock, unreviewed_suspect: bool
) -> tuple[dict[LinkKey, tuple[str | None, str]], list[LinkKey]]:
    """Suspect links (reviewed fingerprint or None, fingerprint now) and stale lock entries."""
    current = current_links(records)
    suspects: dict[LinkKey, tuple[str | None, str]] = {}
    for key in sorted(current, key=link_order):
        now = records[key[2]].fingerprint or ""
        reviewed = lock.entries.get(key)
        if reviewed is None:
            if unreviewed_suspect:
                suspects[key] = (None, now)
        elif reviewed != now:
            suspects[key] = (reviewed, now)
    return suspects, sorted(set(lock.entries) - current, key=link_order)


def current_links(records: Mapping[str, Record]) -> set[LinkKey]:
    """Every link of the build whose target exists (unknown targets are the core's warning)."""
    return {key for record in records.values() for key in record.link_keys() if key[2] in records}


def link_order(key: LinkKey) -> tuple[Any, ...]:
    return (natural_key(key[0]), key[1], natural_key(key[2]))


# -- contract hooks -------------------------------------------------------------------


def suspect_marks(
    app: Sphinx, domain: TechspecDomain, source: Item, link_name: str, target: Item
) -> Iterable[Mark]:
    """``suspect`` beside a link whose target changed since the link was reviewed."""
    state = change_state(app, domain)
    if not state.suspects:
        return ()
    found = state.suspects.get((source.id, link_name, target.id))
    if found is None:
        return ()
    reviewed, _now = found
    why = "changed since this link was reviewed" if reviewed else "link not reviewed yet"
    return (Mark("suspect", "attention", f"{target.id} {why}"),)


def export_keys(app: Sphinx, domain: TechspecDomain, item: Item) -> Mapping[str, Any]:
    """``fingerprint`` and ``text`` in techspec.json: what a later build compares against."""
    return {"fingerprint": change_state(app, domain).fingerprint(item.id), "text": item.text}


def check_changes(app: Sphinx, env: BuildEnvironment) -> None:
    """One warning per suspect link, at its source item; one per changed approved item."""
    domain: TechspecDomain = env.get_domain(DOMAIN)  # type: ignore[assignment]
    state = change_state(app, domain)
    for (source_id, link_name, target_id), (reviewed, _now) in state.suspects.items():
        source = domain.get(source_id)
        if source is None:
            continue
        link = domain.schema.link_types.get(link_name)
        verb = link.forward if link else link_name
        why = (
            "which changed since the link was reviewed"
            if reviewed
            else "and the link was never reviewed"
        )
        warn(
            f"{source_id} {verb} {target_id}, {why}; check it, then run "
            f"sphinx-techspec review {source_id} (review --target {target_id}: every link "
            f"to it at once)",
            "suspect",
            source.location,
        )
    if state.changes is None:
        return
    for change in needs_reapproval(app, state.changes):
        item = domain.get(change.id)
        if item is not None:
            warn(
                f"{item.id} is {item.fields['status']} but changed since the baseline "
                f"({state.baseline.label if state.baseline else ''}); it needs re-approval",
                "changed_approved",
                item.location,
            )


def needs_reapproval(app: Sphinx, changes: Changes) -> list[ItemChange]:
    """Changed items approved (or later) in the baseline and still now.

    Only content counts (not a status or other ignored field), and an item whose
    status moved since the baseline was evidently reviewed again.
    """
    approved = set(app.config.techspec_approved_statuses)
    ignored = set(app.config.techspec_fingerprint_ignore)
    return [
        change
        for change in changes.changed
        if change.after.fields.get("status") in approved
        and change.before.fields.get("status") == change.after.fields.get("status")
        and change.content_changed(ignored)
    ]


# -- the store: what change control means for readers -------------------------------------


def change_digest(app: Sphinx, domain: TechspecDomain) -> dict[str, Any]:
    """Suspect links, the baseline comparison and the lock's health, as readers see them."""
    state = change_state(app, domain)
    changes = state.changes
    return {
        "suspects": frozenset(state.suspects),
        "changes": (
            (state.baseline.digest, state.baseline.label) if state.baseline else None,
            state.baseline_unreadable,
            frozenset(
                (c.id, c.after.fingerprint, c.after.fields.get("status")) for c in changes.changed
            )
            if changes
            else None,
            tuple((r.id, r.fingerprint) for r in changes.added) if changes else None,
            tuple(r.id for r in changes.removed) if changes else None,
        ),
        "lock": (state.lock is not None, state.lock_unreadable, tuple(state.stale)),
    }


def flipped_suspects(old: dict[str, Any] | None, new: dict[str, Any]) -> set[str]:
    """Both ends of every link that became, or stopped being, suspect: their cards mark it."""
    flipped = new["suspects"] ^ (old["suspects"] if old else frozenset())
    return {item_id for source, _link, target in flipped for item_id in (source, target)}


#: No per-document parts: the views declare that they read it; the state is this build's.
STORE = Store(STORE_NAME, digest=change_digest, changed_items=flipped_suspects)
