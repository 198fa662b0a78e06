"""The baseline: a techspec.json of an earlier build, from a file or from a git commit.

``techspec_baseline = "baseline/techspec-1.0.json"`` names a file relative to
``conf.py``; ``"git:REF"`` reads ``techspec.json`` next to ``conf.py`` as committed
at ``REF``, ``"git:REF:PATH"`` another committed file. ``git show`` reads the
local repository only: no fetch, no network.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from .records import Document, DocumentError, parse_document

GIT_PREFIX = "git:"
DEFAULT_GIT_PATH = "techspec.json"


class BaselineError(Exception):
    """A baseline that cannot be read. ``in_file``: the problem is in the file's content
    (locate it at ``where:line``), else in the setting (locate it at conf.py)."""

    def __init__(self, message: str, where: str = "", line: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.where = where
        self.line = line


@dataclass(frozen=True, slots=True)
class Baseline:
    """A loaded baseline: its records, a label for readers, and the file to depend on."""

    document: Document
    label: str
    path: Path | None  # None for a git: baseline
    digest: str


def split_git(setting: str) -> tuple[str, str]:
    """``git:REF[:PATH]`` → (REF, PATH)."""
    ref, _, path = setting[len(GIT_PREFIX) :].partition(":")
    return ref.strip(), path.strip() or DEFAULT_GIT_PATH


def load_baseline(setting: str, confdir: Path) -> Baseline:
    """Read and parse the baseline; raises :class:`BaselineError` with a location."""
    if setting.startswith(GIT_PREFIX):
        ref, path = split_git(setting)
        text = git_show(confdir, ref, path)
        label = f"{path} at {ref}"
        where, file_path = f"{GIT_PREFIX}{ref}:{path}", None
    else:
        file_path = (confdir / setting).resolve()
        try:
            text = file_path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise BaselineError(f"techspec_baseline: {file_path} does not exist") from None
        except UnicodeDecodeError:
            raise BaselineError("not UTF-8 text", str(file_path), 0) from None
        except OSError as exc:
            raise BaselineError(
                f"techspec_baseline: cannot read {file_path} ({exc.strerror or exc})"
            ) from None
        label, where = setting, str(file_path)
    try:
        document = parse_document(text)
    except DocumentError as exc:
        raise BaselineError(f"baseline {exc.message}", where, exc.line) from None
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    return Baseline(document, label, file_path, digest)


def git_show(directory: Path, ref: str, path: str) -> str:
    """``git show REF:./PATH`` run in ``directory``; raises :class:`BaselineError`."""
    if not ref:
        raise BaselineError("techspec_baseline: 'git:' needs a commit, tag or branch (git:v1.0)")
    environment = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0"}

    def git(*args: str) -> subprocess.CompletedProcess[bytes]:
        try:
            return subprocess.run(
                ["git", *args],
                cwd=directory,
                capture_output=True,
                env=environment,
                timeout=60,
                check=False,
            )
        except FileNotFoundError:
            raise BaselineError("techspec_baseline: git is not installed") from None
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise BaselineError(f"techspec_baseline: git failed ({exc})") from None

    inside = git("rev-parse", "--is-inside-work-tree")
    if inside.returncode != 0:
        raise BaselineError(
            f"techspec_baseline: {directory} is not in a git repository, so {ref!r} cannot be read"
        )
    if ref.startswith("-"):
        raise BaselineError(f"techspec_baseline: {ref!r} is not a commit, tag or branch")
    commit = git("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    if commit.returncode != 0:
        raise BaselineError(f"techspec_baseline: {ref!r} is not a commit, tag or branch here")
    shown = git("show", f"{ref}:./{path}")
    if shown.returncode != 0:
        raise BaselineError(f"techspec_baseline: {path} does not exist at {ref}")
    try:
        return shown.stdout.decode("utf-8")
    except UnicodeDecodeError:
        raise BaselineError("not UTF-8 text", f"{GIT_PREFIX}{ref}:{path}", 0) from None
