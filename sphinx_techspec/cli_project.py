"""``--project DIR``: the spec folder the commands read, given and checked one way.

``trace-code``, ``impact``, ``review``, ``suspects`` and ``diff`` all work on the spec
project in the current directory or the one ``--project`` names; they say the same
thing when it holds no ``conf.py``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from .cli_errors import CommandError


def add_project_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--project",
        default=".",
        metavar="DIR",
        help="the spec's folder, holding conf.py (default: the current directory)",
    )


def conf_py_of(project: Path) -> Path:
    """``project/conf.py``; a :class:`CommandError` when there is none."""
    conf_py = project / "conf.py"
    if not conf_py.is_file():
        raise CommandError(
            f"{project} holds no conf.py; run the command in the spec's folder or give "
            f"--project DIR"
        )
    return conf_py
