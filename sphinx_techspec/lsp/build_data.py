"""What the last build knows and the pages do not say: its ``techspec.json`` and suspect links.

The build writes ``_build/html/techspec.json`` (items a build imports, test results,
fingerprints); with the lock file (:mod:`sphinx_techspec.change_control`) the
fingerprints say which links are suspect, exactly as ``sphinx-techspec suspects
--from`` does. Nothing here may raise: a missing or malformed file leaves the
server with the pages alone.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class BuildItem:
    """An item as the last build exported it (``techspec.json``)."""

    id: str
    type: str
    title: str
    status: str
    docname: str
    lineno: int
    links: dict[str, list[str]]
    result: str = ""


def build_export(root: Path) -> Path | None:
    """``_build/html/techspec.json`` (or another builder's), when a build wrote one."""
    candidates = [
        root / "_build" / "html" / "techspec.json",
        *sorted(root.glob("_build/*/techspec.json")),
    ]
    return next((path for path in candidates if path.is_file()), None)


def read_build(root: Path, config: Any) -> tuple[dict[str, BuildItem], set[tuple[str, str, str]]]:
    """The last build's items and its suspect links (both empty without a build)."""
    path = build_export(root)
    if path is None:
        return {}, set()
    return _build_items(path), read_suspects(path, root, config)


def read_suspects(export: Path, root: Path, config: Any) -> set[tuple[str, str, str]]:
    """Suspect links as ``sphinx-techspec suspects --from EXPORT`` finds them."""
    from ..change_control.build import find_suspects
    from ..change_control.commands import CommandError, read_document
    from ..change_control.lock import LockError, read_lock

    lock_name = getattr(config, "techspec_lock_file", "techspec.lock")
    try:
        records, _label, _text = read_document(export)
        lock = read_lock(root / str(lock_name))
    except (CommandError, LockError, OSError, ValueError) as exc:
        log.warning("no suspect links shown: %s", exc)
        return set()
    if lock is None or any(not record.fingerprint for record in records.values()):
        return set()
    unreviewed = bool(getattr(config, "techspec_unreviewed_links_suspect", False))
    suspects, _stale = find_suspects(records, lock, unreviewed)
    return set(suspects)


def _build_items(path: Path) -> dict[str, BuildItem]:
    try:
        document: Any = json.loads(path.read_text(encoding="utf-8"))
        entries = document["items"]
        return {
            str(key): BuildItem(
                id=str(entry["id"]),
                type=str(entry["type"]),
                title=str(entry.get("title", "")),
                status=str((entry.get("fields") or {}).get("status", "")),
                docname=str(entry.get("docname", "")),
                lineno=int(entry.get("lineno") or 0),
                links={str(k): [str(t) for t in v] for k, v in (entry.get("links") or {}).items()},
                result=str(entry.get("result", "")),
            )
            for key, entry in entries.items()
        }
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        log.warning("%s cannot be read as a techspec.json (%s); using the pages alone", path, exc)
        return {}
