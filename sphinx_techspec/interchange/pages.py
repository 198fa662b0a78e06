"""Writing spec pages (RST or MyST) from imported data, and writing them safely.

The importers (ReqIF, sphinx-needs) build :class:`PageItem` values and turn them
into item directives here, so both formats escape text the same way: a title or
an option value is one line, a body is indented (RST) or fenced (MyST) so it
cannot close the directive around it. Files are written only when none of them
exists yet, each through a temporary file and a rename.
"""

from __future__ import annotations

import argparse
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..export_writer import atomic_write, safe_path

#: Characters with a meaning in RST inline markup (escaped with a backslash).
_RST_INLINE = re.compile(r"([\\*`|_\[\]<>])")
#: CommonMark lets any ASCII punctuation be escaped; these start markup in MyST.
_MD_INLINE = re.compile(r"([\\`*_\[\]<>{}|$~#!])")
_RST_LINE_START = re.compile(r"^([-+=.:#>|])")
_MD_LINE_START = re.compile(r"^([-+=:>|])")
#: ``1. text`` would start a numbered list: escape its delimiter instead.
_ENUMERATOR = re.compile(r"^(\(?[0-9A-Za-z]{1,9})([.)])(\s|$)")
_OPTION_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")


def one_line(text: str) -> str:
    return " ".join(str(text).split())


def escape_text(text: str, fmt: str) -> str:
    """Plain text as inline markup that shows exactly that text (within a line)."""
    text = re.sub(r"\s+", " ", str(text))
    return (_MD_INLINE if fmt == "md" else _RST_INLINE).sub(r"\\\1", text)


def escape_line_start(line: str, fmt: str) -> str:
    """A line that would start a list, heading or directive starts with an escape instead."""
    line = _ENUMERATOR.sub(r"\1\\\2\3", line)
    return (_MD_LINE_START if fmt == "md" else _RST_LINE_START).sub(r"\\\1", line)


def option_name(name: str) -> str | None:
    """A directive option name from a field name (``Owner Name`` → ``owner-name``)."""
    cleaned = re.sub(r"[^A-Za-z0-9_-]+", "-", name.strip()).strip("-_").lower()
    return cleaned if _OPTION_NAME.match(cleaned) else None


@dataclass
class PageItem:
    """One item directive: type, ID, title, options (name → one-line text), body."""

    item_type: str
    item_id: str
    title: str
    #: ``None`` as a value: a flag (``:name:`` without a value).
    options: dict[str, str | None] = field(default_factory=dict)
    body: str = ""
    #: True when ``body`` is already markup in the page's format (else RST to embed).
    body_is_native: bool = True
    #: The directive argument when it is not ``ID Title`` (``GET /users/{id}``).
    argument: str | None = None


def option_value(value: str, fmt: str) -> str:
    """One line; in MyST quoted when YAML would read it as something else."""
    text = one_line(value)
    if fmt == "md" and (text[:1] in "\"'[{&*!|>%@`#" or ": " in text or " #" in text):
        return json.dumps(text, ensure_ascii=False)
    return text


def fence_for(text: str, minimum: int = 3) -> str:
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    return "`" * max(minimum, longest + 1)


def item_directive(item: PageItem, fmt: str) -> str:
    """The directive text of one item, in RST or MyST."""
    argument = one_line(
        item.argument if item.argument is not None else f"{item.item_id} {one_line(item.title)}"
    )
    options = [
        f":{name}:" if value is None else f":{name}: {option_value(value, fmt)}"
        for name, value in item.options.items()
        if value is None or one_line(value)
    ]
    body = item.body.strip("\n")
    if fmt == "md":
        if body and not item.body_is_native:
            inner = fence_for(body)
            body = f"{inner}{{eval-rst}}\n{body}\n{inner}"
        fence = fence_for(body, 4 if body else 3)
        lines = [f"{fence}{{{item.item_type}}} {argument}", *options]
        if body:
            lines += ["", body]
        lines.append(fence)
        return "\n".join(lines) + "\n"
    lines = [f".. {item.item_type}:: {argument}", *(f"   {o}" for o in options)]
    if body:
        lines.append("")
        lines += [f"   {line}" if line.strip() else "" for line in body.splitlines()]
    return "\n".join(lines) + "\n"


def heading(title: str, level: int, fmt: str) -> str:
    text = escape_line_start(escape_text(one_line(title), fmt), fmt) or "Untitled"
    if fmt == "md":
        return f"{'#' * min(level + 1, 6)} {text}\n"
    underline = "=-~^\"'`"[min(level, 6)]
    width = max(len(text), 3)
    if level == 0:
        return f"{'=' * width}\n{text}\n{'=' * width}\n"
    return f"{text}\n{underline * width}\n"


def toctree(entries: list[str], fmt: str) -> str:
    if fmt == "md":
        return "```{toctree}\n" + "\n".join(entries) + "\n```\n"
    return ".. toctree::\n\n" + "".join(f"   {entry}\n" for entry in entries)


def page_file(stem: str, fmt: str) -> str:
    return safe_path(f"{stem}.{'md' if fmt == 'md' else 'rst'}")


def add_output_arguments(parser: argparse.ArgumentParser, map_metavar: str, map_help: str) -> None:
    """``--out``, ``--format`` and ``--map``: what every page-writing command takes."""
    parser.add_argument("--out", required=True, type=Path, metavar="DIR", help="where to write")
    parser.add_argument("--format", choices=("rst", "md"), default="rst", help="page format")
    parser.add_argument("--map", action="append", default=[], metavar=map_metavar, help=map_help)


class OutputError(Exception):
    """Output that cannot be written; nothing was written."""


def write_files(directory: Path, files: dict[str, str]) -> list[Path]:
    """Write every file, or none: refuse when one exists; each goes through a rename."""
    targets = {directory / name: text for name, text in files.items()}
    existing = sorted(str(path) for path in targets if path.exists())
    if existing:
        shown = ", ".join(existing[:5]) + (", ..." if len(existing) > 5 else "")
        raise OutputError(f"{shown} already exist; nothing was written")
    written: list[Path] = []
    try:
        for path, text in targets.items():
            atomic_write(path, text.encode("utf-8"))
            written.append(path)
    except OSError as exc:
        for path in written:
            path.unlink(missing_ok=True)
        raise OutputError(
            f"cannot write {exc.filename or directory}: {exc.strerror or exc}"
        ) from None
    return written
