"""``sphinx-techspec serve DIR``: a live preview that rebuilds on save and reloads the browser.

The watching, rebuilding and reloading are sphinx-autobuild's (the ``serve`` extra);
this command only gives it a spec project's defaults: the HTML in ``DIR/_build/html``,
served on 127.0.0.1, warnings shown but not fatal (no ``-W``: a page being written is
often incomplete). Without the extra it says how to install it and exits 2.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ..cli_errors import fail

INSTALL_HINT = (
    "sphinx-techspec serve needs sphinx-autobuild, which comes with the 'serve' extra: "
    "pip install 'sphinx-techspec[serve]'"
)


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "directory", metavar="DIR", type=Path, help="the spec project: the folder of conf.py"
    )
    parser.add_argument(
        "--port",
        type=port_number,
        default=8000,
        help="the port to serve on, on 127.0.0.1 (default: %(default)s; 0: any free port)",
    )
    parser.add_argument(
        "--open-browser", action="store_true", help="open the preview in the web browser"
    )


def port_number(text: str) -> int:
    """A TCP port, 0 to 65535; anything else is a usage error that says so."""
    if not text.isdigit() or not 0 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (0 to 65535)")
    return int(text)


def autobuild_arguments(directory: Path, port: int, open_browser: bool) -> list[str]:
    """The sphinx-autobuild command line for a spec project in ``directory``."""
    arguments = [
        str(directory),
        str(directory / "_build" / "html"),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    return [*arguments, "--open-browser"] if open_browser else arguments


def run(args: argparse.Namespace) -> int:
    try:
        from sphinx_autobuild.__main__ import main as autobuild
    except ImportError:
        return fail(INSTALL_HINT)
    directory: Path = args.directory
    if not (directory / "conf.py").is_file():
        return fail(
            f"{directory} holds no conf.py; give the folder of a spec project "
            f"(sphinx-techspec init writes one)"
        )
    autobuild(autobuild_arguments(directory, args.port, args.open_browser))
    return 0
