"""The one way a ``sphinx-techspec`` command reports an error: one clean line, a status.

Every command (``init`` and the features' commands) returns ``fail(message)``: the
message on one line of standard error, through :func:`~.terminal_text.printable` (a
title from a foreign file cannot colour or move the terminal), and the exit status — ``2`` for
an error, as the commands document; ``init`` keeps its ``1``.
"""

from __future__ import annotations

import sys

from .terminal_text import printable

#: The status of a command that could not do its job.
ERROR = 2


class CommandError(Exception):
    """A problem the user must fix: the command reports it with :func:`fail`, status 2."""


def fail(message: object, status: int = ERROR) -> int:
    """Print ``sphinx-techspec: error: MESSAGE`` to standard error; return ``status``."""
    print(f"sphinx-techspec: error: {' '.join(printable(message).split())}", file=sys.stderr)
    return status
