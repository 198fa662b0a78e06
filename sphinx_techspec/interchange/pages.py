"""Writing spec pages (RST or MyST) from imported data, and writing them safely.

The one writer of generated pages: the importers (ReqIF, sphinx-needs, OpenAPI)
build :class:`PageItem` values and turn them into item directives here, so both
formats treat foreign text as *text* the same way: inline markup is escaped (no
role, link or ``javascript:`` URI survives), a title or an option value is one
line, a body is indented (RST) or fenced with a fence longer than any run inside
it (MyST), so it cannot close the directive around it; names of pages, types and
options become safe identifiers, and clashing page names get a suffix. Files are
written only when none of them exists yet, each through a temporary file and a
rename.
"""

from __future__ import annotations

import argparse
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from docutils.utils import column_width, urischemes

from ..export_writer import atomic_write, safe_path

#: Characters with a meaning in RST inline markup (escaped with a backslash).
_RST_INLINE = re.compile(r"([\\*`|_\[\]<>])")
#: CommonMark lets any ASCII punctuation be escaped; these start markup in MyST.
_MD_INLINE = re.compile(r"([\\`*_\[\]<>{}|$~#!])")
_RST_LINE_START = re.compile(r"^([-+=.:#>|])")
_MD_LINE_START = re.compile(r"^([-+=:>|])")
#: ``1. text`` would start a numbered list: escape its delimiter instead.
_ENUMERATOR = re.compile(r"^(\(?[0-9A-Za-z]{1,9})([.)])(\s|$)")
#: A line of ASCII punctuation only: an underline, a transition, a fence.
_PUNCTUATION_LINE = re.compile(r"[!-/:-@\[-`{-~]{2,}\Z")
_OPTION_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
#: ``word:x`` would be a standalone URI for docutils (``javascript:alert(1)``, ``file:...``):
#: its colon is escaped unless the scheme is one a reader may follow.
_RST_SCHEME = re.compile(r"(?<![A-Za-z0-9+.-])([A-Za-z][A-Za-z0-9+.-]*):(?=\S)")
WEB_SCHEMES = frozenset({"http", "https", "mailto"})
#: Page names Sphinx or the writers use themselves.
RESERVED_PAGES = frozenset({"index", "genindex", "search", "py-modindex", "conf", "unplaced"})


def one_line(text: str) -> str:
    return " ".join(str(text).split())


def escape_text(text: str, fmt: str) -> str:
    """Plain text as inline markup that shows exactly that text (within a line).

    No role, link target, substitution, HTML tag or (RST) standalone URI with a
    scheme other than http, https or mailto survives.
    """
    text = re.sub(r"\s+", " ", str(text))
    if fmt == "md":
        return _MD_INLINE.sub(r"\\\1", text)
    text = _RST_INLINE.sub(r"\\\1", text)
    return _RST_SCHEME.sub(_escape_scheme, text)


def _escape_scheme(match: re.Match[str]) -> str:
    """Docutils links only schemes it knows (``urischemes``): ``HH:mm`` stays as written."""
    scheme = match[1].lower()
    if scheme in WEB_SCHEMES or scheme not in urischemes.schemes:
        return match[0]
    return f"{match[1]}\\:"


def plain_text(text: str, fmt: str) -> str:
    """Multi-line plain text as paragraphs of escaped text: no line can start markup.

    Blank lines are kept (runs of them folded to one); a line of punctuation (an
    underline, a transition, a fence), a bullet character (RST) or a closing ``::``
    (an RST literal block) is escaped too.
    """
    lines = []
    for raw in str(text or "").splitlines():
        line = raw.strip()
        if not line:
            lines.append("")
            continue
        line = escape_line_start(escape_text(line, fmt), fmt)
        if _PUNCTUATION_LINE.match(line) or (fmt != "md" and line[:1] in "\u2022\u2023\u2043"):
            line = "\\" + line
        if fmt != "md" and line.endswith("::"):
            line = line[:-1] + "\\:"
        lines.append(line)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")


def escape_line_start(line: str, fmt: str) -> str:
    """A line that would start a list, heading or directive starts with an escape instead."""
    line = _ENUMERATOR.sub(r"\1\\\2\3", line)
    return (_MD_LINE_START if fmt == "md" else _RST_LINE_START).sub(r"\\\1", line)


def option_name(name: str) -> str | None:
    """A directive option name from a field name (``Owner Name`` → ``owner-name``)."""
    cleaned = re.sub(r"[^A-Za-z0-9_-]+", "-", name.strip()).strip("-_").lower()
    return cleaned if _OPTION_NAME.match(cleaned) else None


def safe_name(name: str, fallback: str) -> str:
    """A safe identifier (page, type or option name) for any text; ``fallback`` if none."""
    cleaned = option_name(name)
    if cleaned is None:
        # Letters first: ``1. Scope`` → ``n1-scope``.
        cleaned = option_name(f"n{name}")
    return (cleaned or fallback)[:80].strip("-_") or fallback


def unique_name(
    name: str,
    taken: set[str],
    reserved: frozenset[str] = frozenset(),
    notes: list[str] | None = None,
) -> str:
    """``name``, or ``name-2``, ``name-3``...: never one in ``taken`` or ``reserved``.

    The name chosen is added to ``taken``; a change is noted in ``notes``.
    """
    candidate, number = name, 1
    while candidate.lower() in taken or candidate.lower() in reserved:
        number += 1
        candidate = f"{name}-{number}"
    taken.add(candidate.lower())
    if candidate != name and notes is not None:
        notes.append(f"the name {name!r} is taken: written as {candidate!r}")
    return candidate


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


def fence_for(text: str, minimum: int = 3, char: str = "`") -> str:
    """A fence of ``char`` longer than any run of it in ``text``."""
    longest = max((len(run) for run in re.findall(f"{re.escape(char)}+", text)), default=0)
    return char * max(minimum, longest + 1)


def directive_block(
    name: str, argument: str, options: list[str], body: str, fmt: str, minimum: int = 3
) -> str:
    """A directive with its argument, ``:name: value`` option lines and a body in markup.

    In MyST the fence is longer than any run inside; an argument holding a backtick
    (which CommonMark forbids in a backtick fence's info string) gets a tilde fence.
    """
    argument = one_line(argument)
    head = f"{{{name}}} {argument}" if argument else f"{{{name}}}"
    if fmt == "md":
        char = "~" if "`" in argument else "`"
        fence = fence_for(body, minimum if body else 3, char)
        lines = [f"{fence}{head}", *options]
        if body:
            lines += ["", body]
        lines.append(fence)
        return "\n".join(lines) + "\n"
    lines = [f".. {name}:: {argument}".rstrip(), *(f"   {o}" for o in options)]
    if body:
        lines.append("")
        lines += [f"   {line}" if line.strip() else "" for line in body.splitlines()]
    return "\n".join(lines) + "\n"


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
    if fmt == "md" and body and not item.body_is_native:
        inner = fence_for(body)
        body = f"{inner}{{eval-rst}}\n{body}\n{inner}"
    return directive_block(item.item_type, argument, options, body, fmt, minimum=4)


def rubric(title: str, fmt: str) -> str:
    """A heading inside a directive body (sections cannot be there): escaped text."""
    text = escape_text(one_line(title), fmt)
    return directive_block("rubric", text, [], "", fmt).rstrip("\n") if text else ""


def heading(title: str, level: int, fmt: str) -> str:
    """A section title as text; level 0 is the page title.

    In RST the over- and underline are as wide as docutils measures the text (an
    emoji or a CJK character is two columns), or the build warns.
    """
    text = escape_line_start(escape_text(one_line(title), fmt), fmt) or "Untitled"
    if fmt == "md":
        return f"{'#' * min(level + 1, 6)} {text}\n"
    underline = "=-~^\"'`"[min(level, 6)]
    width = max(column_width(text), 3)
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


def write_files(directory: Path, files: dict[str, str] | dict[str, str | bytes]) -> list[Path]:
    """Write every file, or none: refuse when one exists; each goes through a rename.

    A value is text (written as UTF-8) or bytes (an image copied from an imported package).
    """
    targets = {directory / name: text for name, text in files.items()}
    existing = sorted(str(path) for path in targets if path.exists())
    if existing:
        shown = ", ".join(existing[:5]) + (", ..." if len(existing) > 5 else "")
        raise OutputError(f"{shown} already exist; nothing was written")
    written: list[Path] = []
    try:
        for path, text in targets.items():
            atomic_write(path, text if isinstance(text, bytes) else text.encode("utf-8"))
            written.append(path)
    except OSError as exc:
        for path in written:
            path.unlink(missing_ok=True)
        raise OutputError(
            f"cannot write {exc.filename or directory}: {exc.strerror or exc}"
        ) from None
    return written


_RST_ROLE = re.compile(r"(?<![\\\w]):([A-Za-z][\w.+-]*(?::[\w.+-]+)?):`")
_RST_ROLE_AFTER = re.compile(r"`:([A-Za-z][\w.+-]*(?::[\w.+-]+)?):")
_MD_ROLE = re.compile(r"(?<!\\)\{([A-Za-z][\w.+:-]*)\}`")
#: Roles that only format or refer within the project: they read no file and run nothing.
SAFE_ROLES = frozenset(
    {"doc", "ref", "numref", "any", "term", "spec", "code", "literal", "emphasis", "strong"}
    | {"sub", "sup", "subscript", "superscript", "abbr", "math", "kbd", "file", "samp"}
    | {"guilabel", "menuselection", "command", "program", "option", "envvar", "dfn"}
    | {"title-reference", "title", "t", "pep", "rfc", "keyword", "token", "regexp", "mimetype"}
)
_MD_HTML = re.compile(r"(?<!\\)<(?=[A-Za-z/!?])")
#: An RST link with an embedded target (`` `text <uri>`__ ``): the target is unescaped, so
#: a bad scheme's link is made text as a whole.
_RST_EMBEDDED_LINK = re.compile(r"`([^`]*?)<([^`>]*)>`(__?)")
_MD_LINK_SCHEME = re.compile(r"(?<!\\)\]\(\s*<?(?=([A-Za-z][A-Za-z0-9+.-]*):)")


def neutral_markup(text: str, fmt: str, roles: frozenset[str] = SAFE_ROLES) -> str:
    """Inline markup from a foreign file kept, except what reads files, runs or links out.

    Roles (``:download:`x```, ``{download}`x```) lose their syntax, MyST loses raw HTML,
    and a link or a standalone URI with a scheme other than http, https or mailto
    becomes text. For text that is markup already (a design item's body lines);
    ``roles`` are the roles that stay (:data:`SAFE_ROLES` and the project's item roles).
    """
    text = str(text)

    def role(match: re.Match[str], escaped: str) -> str:
        name = match[1].split(":")[-1].lower()
        return match[0] if name in roles else escaped + match[0][1:]

    if fmt == "md":
        text = _MD_ROLE.sub(lambda m: role(m, "\\{"), text)
        text = _MD_HTML.sub(r"\\<", text)
        return _MD_LINK_SCHEME.sub(
            lambda m: m[0] if m[1].lower() in WEB_SCHEMES else "\\" + m[0], text
        )
    text = _RST_EMBEDDED_LINK.sub(
        lambda m: m[0] if safe_scheme(m[2]) else escape_text(m[0], "rst"), text
    )
    text = _RST_ROLE.sub(lambda m: role(m, "\\:"), text)
    text = _RST_ROLE_AFTER.sub(
        lambda m: m[0] if m[1].split(":")[-1].lower() in roles else "`\\:" + m[0][2:], text
    )
    return _RST_SCHEME.sub(_escape_rst_scheme_outside_roles, text)


def safe_scheme(uri: str) -> bool:
    """``uri`` has no scheme, or one a reader may follow (http, https, mailto)."""
    match = re.match(r"\s*([A-Za-z][A-Za-z0-9+.-]*)\s*:", uri.replace("\\", ""))
    return match is None or match[1].lower() in WEB_SCHEMES


def _escape_rst_scheme_outside_roles(match: re.Match[str]) -> str:
    """A standalone URI's colon, but not a role's (``:doc:`` stays a role)."""
    text = match.string
    if match.start() > 0 and text[match.start() - 1] == ":":
        return match[0]
    if text[match.end() : match.end() + 1] == "`":
        return match[0]
    return _escape_scheme(match)


#: Directive names an imported type must not take (it would replace the directive).
SPHINX_DIRECTIVES = frozenset(
    {"toctree", "code-block", "sourcecode", "literalinclude", "only", "index", "glossary"}
    | {"productionlist", "centered", "hlist", "seealso", "tabularcolumns", "versionadded"}
    | {"versionchanged", "deprecated", "versionremoved", "rubric", "figure", "image", "note"}
    | {"eval-rst", "list-table", "csv-table", "include", "raw", "download", "section", "default"}
)


def reserved_directives() -> frozenset[str]:
    """Directive names a foreign type must not take: docutils', Sphinx's and our views'."""
    from docutils.parsers.rst.directives import _directive_registry

    from ..feature import all_features

    names = set(SPHINX_DIRECTIVES) | set(_directive_registry)
    for feature in all_features():
        names.update(view.name for view in feature.views)
        names.update(feature.directives)
    return frozenset(names)
