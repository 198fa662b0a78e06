"""The ``sphinx-techspec`` command: ``init`` writes a new spec project.

``sphinx-techspec init DIR [--format rst|md] [--title TITLE] [--author NAME]
[--requirement REQ]`` writes ``conf.py``, an index with the completeness
checklist, one page per section of the spec template (each with a guide and an
example directive), and what hosting needs: ``requirements.txt`` (naming REQ),
``.readthedocs.yaml`` and ``.gitignore``. It never overwrites: a directory that
is not empty is refused and nothing is written.
"""

from __future__ import annotations

import argparse
import datetime
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from .cli_errors import fail
from .feature import Command, all_features
from .suggestions import did_you_mean
from .template.install_source import installed_requirement
from .template.skeleton import DEFAULT_REQUIREMENT, PAGES, input_problem, project_files
from .version import __version__

EPILOG = """\
example:
  sphinx-techspec init myspec --format md --title "Password reset"
  sphinx-build -W -n myspec myspec/_build/html
"""


class SuggestingParser(argparse.ArgumentParser):
    """argparse, with a "did you mean" for a misspelt option (``--targt``)."""

    def error(self, message: str) -> NoReturn:
        words = message.removeprefix("unrecognized arguments: ").split()
        if message.startswith("unrecognized arguments: ") and words[0].startswith("--"):
            message += did_you_mean(words[0].split("=")[0], self.option_names(), show=str)
        super().error(message)

    def option_names(self) -> list[str]:
        """The long options of this parser and of its subcommands."""
        names = [name for name in self._option_string_actions if name.startswith("--")]
        for action in self._actions:
            if isinstance(action, argparse._SubParsersAction):
                for sub in action.choices.values():
                    names += [n for n in sub._option_string_actions if n.startswith("--")]
        return sorted(set(names))


def build_parser() -> argparse.ArgumentParser:
    parser = SuggestingParser(
        prog="sphinx-techspec",
        description="Tools for technical specifications written with sphinx-techspec.",
    )
    parser.add_argument("--version", action="version", version=f"sphinx-techspec {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    init = commands.add_parser(
        "init",
        help="write a new spec project with one page per template section",
        description=textwrap.fill(
            f"Write a new Sphinx project in DIR: conf.py with sphinx-techspec enabled, an "
            f"index with the completeness checklist, and {len(PAGES)} pages, one per section "
            f"of the spec template, each with a short guide and an example directive, and "
            f"requirements.txt, .readthedocs.yaml and .gitignore for ReadTheDocs and git. "
            f"DIR must not exist or be empty: existing files are never overwritten.",
            width=78,
        ),
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    init.add_argument("directory", metavar="DIR", type=Path, help="where to write the project")
    init.add_argument(
        "--format",
        choices=("rst", "md"),
        default="rst",
        help="write reStructuredText (rst, the default) or MyST Markdown (md) pages",
    )
    init.add_argument(
        "--title",
        default="Technical specification",
        help="title of the spec (default: %(default)s)",
    )
    init.add_argument("--author", default="", help="author named in conf.py and the spec header")
    init.add_argument(
        "--requirement",
        default=None,
        metavar="REQ",
        help="how requirements.txt names sphinx-techspec: a version ('sphinx-techspec==0.1.0'), "
        "a git URL ('sphinx-techspec @ git+https://host/repo.git@v0.1.0') or a path "
        "(default: where this copy was installed from, as pip recorded it: "
        f"{installed_requirement()!r})",
    )
    for command in feature_commands().values():
        sub = commands.add_parser(command.name, help=command.help, description=command.help)
        command.configure(sub)
    return parser


def feature_commands() -> dict[str, Command]:
    """The subcommands the feature packages declare (``Feature.commands``)."""
    return {command.name: command for f in all_features() for command in f.commands}


def init_project(
    directory: Path, fmt: str, title: str, author: str, requirement: str = DEFAULT_REQUIREMENT
) -> int:
    """Write the project; 0 on success, 1 (and a message on stderr) when refused or failed."""
    problem = input_problem(title, author, requirement)
    if problem:
        return fail(f"{problem}; nothing was written", 1)
    if directory.exists() and not directory.is_dir():
        return fail(f"{directory} exists and is not a directory; nothing was written", 1)
    if directory.is_dir():
        existing = sorted(entry.name for entry in directory.iterdir())
        if existing:
            shown = ", ".join(existing[:5]) + (", ..." if len(existing) > 5 else "")
            return fail(
                f"{directory} is not empty (it holds {shown}); choose a new or empty "
                f"directory. Nothing was written.",
                1,
            )
    today = datetime.date.today().isoformat()
    files = project_files(fmt, title, author, today, requirement.strip() or DEFAULT_REQUIREMENT)
    written: list[Path] = []
    try:
        directory.mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            path = directory / name
            # "x": fail rather than overwrite a file that appeared meanwhile.
            with path.open("x", encoding="utf-8") as stream:
                stream.write(text)
            written.append(path)
    except OSError as exc:
        return fail(f"could not write {exc.filename or directory}: {exc.strerror or exc}", 1)
    print(f"Wrote {len(written)} files to {directory}.")
    if "file://" in requirement:
        print(
            "note: requirements.txt installs sphinx-techspec from this machine's copy "
            f"({requirement.strip()}); for ReadTheDocs or another machine, give "
            "--requirement 'sphinx-techspec @ git+URL@REF' (URL: the repository's clone URL)"
        )
    print(f"Install what it needs: pip install -r {directory / 'requirements.txt'}")
    print(f"Build it with: sphinx-build -W -n {directory} {directory / '_build' / 'html'}")
    return 0


def unknown_command(argv: Sequence[str], commands: Sequence[str]) -> str | None:
    """A message for a first argument that is no command, with the closest one."""
    if not argv or argv[0].startswith("-") or argv[0] in commands:
        return None
    return (
        f"unknown command {argv[0]!r}{did_you_mean(argv[0], commands)}; "
        f"commands: {', '.join(commands)} (see sphinx-techspec --help)"
    )


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    problem = unknown_command(argv, ["init", *feature_commands()])
    if problem:
        return fail(problem)
    args = build_parser().parse_args(argv)
    if args.command == "init":
        requirement = installed_requirement() if args.requirement is None else args.requirement
        return init_project(args.directory, args.format, args.title, args.author, requirement)
    return feature_commands()[args.command].run(args)


if __name__ == "__main__":
    sys.exit(main())
