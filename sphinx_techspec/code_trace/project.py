"""What both commands load first: the settings in conf.py, the last build, the code scan."""

from __future__ import annotations

import argparse
import glob
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from .files import PathError, source_files
from .markers import DEFAULT_PREFIX
from .model import ScanResult
from .scanner import scan_files
from .spec import CommandError, Settings, Spec, read_settings, read_spec, spec_path

_GLOB_CHARACTERS = frozenset("*?[")


@dataclass(frozen=True, slots=True)
class Loaded:
    settings: Settings
    spec: Spec


def load(args: argparse.Namespace) -> Loaded:
    """Settings and spec; without conf.py, ``--spec`` alone will do (default settings)."""
    project = Path(args.project)
    if args.spec and not (project / "conf.py").is_file():
        settings = Settings(project, [], DEFAULT_PREFIX, "techspec.lock", "")
    else:
        settings = read_settings(project)
    return Loaded(settings, read_spec(spec_path(args), given=bool(args.spec)))


def configured_files(settings: Settings) -> list[str]:
    try:
        return source_files(settings.project, settings.code_paths)
    except PathError as exc:
        raise CommandError(f"techspec_code_paths: {exc}") from None


def named_files(project: Path, names: list[str]) -> list[str]:
    """Files named on the command line (files, folders, globs), relative to ``project``."""
    found: set[str] = set()
    for name in names:
        path = Path(name)
        if path.is_dir():
            inside = source_files(path, ["**/*"])
            found.update(_relative(path / entry, project) for entry in inside)
        elif path.is_file():
            found.add(_relative(path, project))
        elif _GLOB_CHARACTERS & set(name):
            matches = [m for m in glob.glob(name, recursive=True) if Path(m).is_file()]
            if not matches:
                raise CommandError(f"{name!r} matches no file")
            found.update(_relative(Path(m), project) for m in matches)
        else:
            raise CommandError(f"{name} does not exist")
    return sorted(found)


def _relative(path: Path, project: Path) -> str:
    return os.path.relpath(path, project).replace(os.sep, "/")


def scan(loaded: Loaded, names: list[str] | None = None) -> ScanResult:
    """The markers of the named files, or of ``techspec_code_paths`` when none are named."""
    settings = loaded.settings
    files = named_files(settings.project, names) if names else configured_files(settings)
    result = scan_files(
        settings.project, files, loaded.spec.link_types.keys(), settings.marker_prefix
    )
    for skipped in result.skipped:
        if skipped.reason in ("undecodable", "unreadable"):
            detail = f" ({skipped.detail})" if skipped.detail else ""
            what = "not UTF-8 text" if skipped.reason == "undecodable" else "cannot be read"
            print(f"{skipped.path}: warning: {what}{detail}; not scanned", file=sys.stderr)
    return result


def fail(message: str) -> int:
    print(f"sphinx-techspec: error: {message}", file=sys.stderr)
    return 2
