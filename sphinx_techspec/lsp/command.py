"""``sphinx-techspec lsp``: the language server over stdio, for any editor's LSP client.

stdout carries the protocol and nothing else: the real stdout is kept for the
server, and everything else that writes to it (``conf.py``, a stray print) is sent
to stderr with the log. pygls comes with the ``lsp`` extra; without it the
command says how to install it and exits 2.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

INSTALL_HINT = (
    "sphinx-techspec lsp needs pygls, which comes with the 'lsp' extra: "
    "pip install 'sphinx-techspec[lsp]'"
)


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--project",
        type=Path,
        default=None,
        metavar="DIR",
        help="the folder of conf.py, or a folder above it (default: the editor's workspace)",
    )
    parser.add_argument(
        "--log-file",
        type=Path,
        default=None,
        metavar="FILE",
        help="append the log to FILE instead of stderr",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log each request")


def run(args: argparse.Namespace) -> int:
    try:
        import pygls  # noqa: F401
    except ImportError:
        print(f"sphinx-techspec: error: {INSTALL_HINT}", file=sys.stderr)
        return 2
    project = args.project
    if project is not None and not project.is_dir():
        print(f"sphinx-techspec: error: --project {project} is not a folder", file=sys.stderr)
        return 2
    try:
        setup_logging(args.log_file, args.verbose)
    except OSError as exc:
        print(f"sphinx-techspec: error: cannot write the log file: {exc}", file=sys.stderr)
        return 2
    protocol_out = protocol_stdout()
    from .server import build_server

    server = build_server(project.resolve() if project else None)
    server.start_io(sys.stdin.buffer, protocol_out)
    return 0


def protocol_stdout():  # -> BinaryIO
    """The real stdout for the protocol; file descriptor 1 then points at stderr."""
    out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    sys.stdout.flush()
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    sys.stdout = sys.stderr
    return out


def setup_logging(log_file: Path | None, verbose: bool) -> None:
    handler: logging.Handler
    if log_file is not None:
        handler = logging.FileHandler(log_file, encoding="utf-8")
    else:
        handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    logging.getLogger("pygls").setLevel(logging.DEBUG if verbose else logging.WARNING)
