"""The one export writer: every feature's exports, checked, strict, written only on change.

At ``build-finished`` each enabled :class:`~sphinx_techspec.feature.Export` builds
its files from the domain; each is validated, serialised as strict JSON (no
``NaN``/``Infinity``, no lone surrogates), given a safe bounded file name, and
written atomically only when its content changed, so unchanged exports keep
their mtime and a no-op rebuild writes nothing. What was written is remembered
beside the doctrees (:class:`ExportMemory`): when a file still is what an earlier
build wrote for the same content, it is neither serialised nor read again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import marshal
import os
import re
import tempfile
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.util import logging

from .config import config_location
from .diagnostics import warn
from .domain import DOMAIN, TechspecDomain
from .feature import Export, registry

logger = logging.getLogger(__name__)

#: Longest file name segment we write (file systems allow 255 bytes).
MAX_NAME = 120

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_name(name: str) -> str:
    """A file name segment from user text: safe characters, bounded, never ``.``/``..``.

    A name that had to change gets a short hash, so two names never collide.
    """
    stem, dot, suffix = name.rpartition(".")
    if not dot or not stem:
        stem, suffix = name, ""
    suffix = _UNSAFE.sub("", suffix)[:16]
    cleaned = _UNSAFE.sub("_", stem).strip("._")
    budget = MAX_NAME - len(suffix) - 1
    if cleaned != stem or len(cleaned) > budget:
        digest = hashlib.sha1(name.encode("utf-8", "surrogatepass")).hexdigest()[:8]
        cleaned = f"{cleaned[: budget - 9]}-{digest}" if cleaned else f"item-{digest}"
    return f"{cleaned}.{suffix}" if suffix else cleaned


def safe_path(relative: str) -> str:
    """``schemas/User.json`` with every segment made safe (no ``..``, no absolute path)."""
    return "/".join(safe_name(part) for part in relative.split("/") if part not in ("", ".", ".."))


def serialise(content: Any, indent: int | None) -> bytes:
    """Strict JSON for dicts and lists, UTF-8 for text; raises ``ValueError`` if impossible."""
    if isinstance(content, bytes):
        return content
    if isinstance(content, str):
        text = content
    else:
        separators = (",", ": ") if indent is not None else (",", ":")
        text = json.dumps(
            content, indent=indent, ensure_ascii=False, allow_nan=False, separators=separators
        )
        text += "\n"
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError(f"it holds text that is not valid Unicode ({exc.reason})") from None


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write ``data`` atomically unless the file already holds it; whether it wrote."""
    try:
        if path.read_bytes() == data:
            return False
    except OSError:
        pass
    atomic_write(path, data)
    return True


def atomic_write(path: Path, data: bytes, mode: int | None = None, sync: bool = False) -> None:
    """Write through a temporary file and a rename: readers see the old file or the new one.

    The file gets ``mode``, or what the umask gives a new file (``mkstemp`` alone
    would make it 0600, unreadable to a web server); ``sync`` flushes it to disk first.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".techspec-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            if sync:
                stream.flush()
                os.fsync(stream.fileno())
        os.chmod(temporary, mode if mode is not None else 0o666 & ~_umask())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _umask() -> int:
    """The process's umask (reading it means setting it: set it straight back)."""
    current = os.umask(0o022)
    os.umask(current)
    return current


#: Builders whose output directory is packed whole (an EPUB lists every file in it and
#: warns ``epub.unknown_project_files`` on a rebuild): no exports there.
PACKED_BUILDERS = frozenset({"epub"})


def enabled(app: Sphinx, export: Export) -> bool:
    if export.formats and app.builder.format not in export.formats:
        return False
    if app.builder.name in PACKED_BUILDERS:
        return False
    if export.is_enabled is not None:
        return export.is_enabled(app.config)
    return bool(getattr(app.config, export.enabled, False))


def content_key(content: Any, indent: int | None) -> str | None:
    """A hash of an export's content as built, cheaper than serialising it.

    ``marshal`` format 2 writes values without back-references, so equal content
    gives equal bytes whatever objects it shares; content ``marshal`` cannot write
    (``None``) is always serialised.
    """
    try:
        data = marshal.dumps(content, 2)
    except ValueError:
        return None
    return hashlib.sha256(data + f"|indent={indent}".encode()).hexdigest()


class ExportMemory:
    """What the writer left in each export file: the content's key, the file's size and mtime.

    Kept in the doctree folder (``techspec-exports.json``): the environment is pickled
    before the exports are built. A file whose size or mtime differs from what was
    recorded (edited, deleted, written by someone else) is serialised and compared again.
    """

    FILE = "techspec-exports.json"

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self.path = Path(folder) / self.FILE
        self.changed = False
        try:
            stored = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            stored = {}
        self.files: dict[str, list[Any]] = stored if isinstance(stored, dict) else {}

    def holds(self, path: Path, key: str | None) -> bool:
        """Whether ``path`` still holds the content of ``key``, as an earlier build left it."""
        if key is None or self.files.get(str(path), [None])[0] != key:
            return False
        try:
            stat = path.stat()
        except OSError:
            return False
        return self.files[str(path)][1:] == [stat.st_size, stat.st_mtime_ns]

    def remember(self, path: Path, key: str | None) -> None:
        """``path`` now holds the content of ``key`` (``None``: forget it)."""
        try:
            stat = path.stat()
        except OSError:
            key = None
        entry = [key, stat.st_size, stat.st_mtime_ns] if key is not None else None
        if self.files.get(str(path)) != entry:
            self.changed = True
            if entry is None:
                self.files.pop(str(path), None)
            else:
                self.files[str(path)] = entry

    def save(self) -> None:
        if not self.changed:
            return
        data = json.dumps(self.files, sort_keys=True, indent=0).encode("utf-8")
        # A read-only doctree folder: the next build serialises again.
        with contextlib.suppress(OSError):
            atomic_write(self.path, data)
        self.changed = False


def write_exports(app: Sphinx, exception: BaseException | None) -> None:
    if exception is not None or app.builder is None:
        return
    domain: TechspecDomain = app.env.get_domain(DOMAIN)  # type: ignore[assignment]
    memory = ExportMemory(app.doctreedir)
    for export in registry(app).exports:
        if enabled(app, export):
            write_export(app, domain, export, memory)
    memory.save()


def write_export(
    app: Sphinx, domain: TechspecDomain, export: Export, memory: ExportMemory | None = None
) -> None:
    outdir = Path(app.outdir)
    where = config_location(app, export.enabled)
    try:
        files = export.build(app, domain)
    except Exception as exc:  # an export must never stop the build; say which and why
        warn(f"cannot build the {export.name} export: {type(exc).__name__}: {exc}", "export", where)
        return
    for relative, content in files.items():
        if export.validate is not None:
            problems = list(export.validate(app, domain, relative, content))
            for message, location in problems:
                warn(f"{relative}: {message}", "invalid_export", location or where)
            if problems and not export.write_invalid:
                continue
        path = outdir / safe_path(relative)
        key = content_key(content, export.indent) if memory is not None else None
        if memory is not None and memory.holds(path, key):
            continue  # the file is what an earlier build wrote for this very content
        try:
            data = serialise(content, export.indent)
        except (ValueError, TypeError, RecursionError) as exc:
            warn(f"cannot write {relative}: {exc}", "export", where)
            continue
        try:
            if write_if_changed(path, data):
                logger.info("sphinx-techspec: wrote %s", path.relative_to(outdir))
        except OSError as exc:
            warn(f"cannot write {relative}: {exc.strerror or exc}", "export", where)
            key = None
        if memory is not None:
            memory.remember(path, key)
