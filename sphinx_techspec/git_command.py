"""Running ``git`` to read a project's history or file list: never a prompt, never a lock.

The build and the commands only read from git (which files a glob selects, when a page
last changed, the files at a commit). One helper runs it the same way everywhere: in a
given folder, with no terminal prompt for credentials and no optional lock taken, with
a time limit, and ``None`` when git is missing or cannot start, so callers fall back.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

#: No prompt for credentials, no lock taken: reading only.
GIT_ENVIRONMENT = {"GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0"}


def git(base: Path, *args: str) -> subprocess.CompletedProcess[bytes] | None:
    """``git ARGS`` run in ``base``; ``None`` when git is missing or fails to start."""
    try:
        return subprocess.run(
            ["git", *args],
            cwd=base,
            capture_output=True,
            env={**os.environ, **GIT_ENVIRONMENT},
            timeout=120,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
