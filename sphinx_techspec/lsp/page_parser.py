"""A fast, line-based reader of the item directives and roles of one RST or MyST page.

The editor needs, on every keystroke, what the build would read from a page: each
item's ID, type, title and options (with where each is written), and every role
naming an ID. Docutils and MyST-Parser would give that only through a whole
build; this reader gives it in a single pass over the lines, with the exact
range of each ID, option name and value, so diagnostics point at the text itself.

RST: ``.. requirement:: ID Title`` (or ``.. techspec:requirement::``), then
``:option: value`` lines (continuation lines indented further). MyST: a fence
(`````, ``~~~`` or ``:::``) opening ``{requirement} ID Title``, then ``:option:``
lines or a ``---`` YAML block. Roles: ``:req:`ID```, ``:spec:`title <ID>```,
``{req}`ID```. Text inside plain code fences is not read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Span:
    """A range on one line: ``line`` (0-based), columns ``start`` to ``end``."""

    line: int
    start: int
    end: int

    def contains(self, line: int, column: int) -> bool:
        return line == self.line and self.start <= column <= self.end


@dataclass(frozen=True, slots=True)
class Value:
    """One comma-separated part of an option value, with where it is written."""

    text: str
    span: Span


@dataclass(slots=True)
class OptionEntry:
    """``:name: value`` of an item (or ``name: value`` of a MyST YAML block)."""

    name: str
    value: str
    name_span: Span
    parts: list[Value] = field(default_factory=list)


@dataclass(slots=True)
class ItemEntry:
    """One item directive as written on a page."""

    id: str
    type: str
    title: str
    path: str
    #: Where the ID is written (the argument's first word, or the ``:id:`` value).
    id_span: Span
    #: The directive's name (``requirement``) on its first line.
    directive_span: Span
    end_line: int
    options: list[OptionEntry] = field(default_factory=list)
    #: The last line of the options (``-1``: none).
    last_option_line: int = -1
    #: False when the ID is derived (an endpoint's ``METHOD-path``): it cannot be renamed.
    id_written: bool = True

    @property
    def line(self) -> int:
        return self.directive_span.line

    def option(self, name: str) -> OptionEntry | None:
        return next((option for option in self.options if option.name == name), None)

    @property
    def status(self) -> str:
        option = self.option("status")
        return option.value if option else ""


@dataclass(frozen=True, slots=True)
class RoleReference:
    """A role naming an ID: ``:req:`REQ-1``` or ``{spec}`the rule <REQ-1>```."""

    role: str
    target: str
    span: Span


@dataclass(slots=True)
class ParsedPage:
    path: str
    line_count: int = 0
    #: Length of the last line: where text appended to the page goes.
    last_line_length: int = 0
    #: The lines that are not ASCII, whose columns the client may count otherwise.
    wide_lines: dict[int, str] = field(default_factory=dict)
    #: The files ``.. include::`` names, as written (relative to the page, or to the
    #: source folder when they start with ``/``).
    includes: list[str] = field(default_factory=list)
    items: list[ItemEntry] = field(default_factory=list)
    roles: list[RoleReference] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Grammar:
    """What the reader must know of the project: its item types, roles, ID options."""

    item_types: frozenset[str]
    roles: frozenset[str]
    #: Item types whose ``:id:`` option gives the ID (data models, endpoints).
    id_option_types: frozenset[str] = frozenset()
    #: Link option names: their values are IDs.
    link_names: frozenset[str] = frozenset()


_RST_DIRECTIVE = re.compile(r"^(\s*)\.\.\s+((?:techspec:)?[A-Za-z][\w-]*)::(?:[ \t]+(.*?))?\s*$")
_RST_OPTION = re.compile(r"^(\s+):([^:\s`][^:`]*?):(?:[ \t]+(.*?))?\s*$")
_MYST_FENCE = re.compile(
    r"^(\s*)(`{3,}|~{3,}|:{3,})[ \t]*(?:\{([^}\s]+)\}[ \t]*(.*?)|([^`\s{][^`]*?))?\s*$"
)
_MYST_OPTION = re.compile(r"^(\s*):([^:\s`][^:`]*?):(?:[ \t]+(.*?))?\s*$")
_YAML_OPTION = re.compile(r"^(\s*)([A-Za-z][\w-]*)\s*:(?:[ \t]+(.*?))?\s*$")
# A role, or a code span (no role name) that is passed over with what it holds.
_RST_ROLE = re.compile(r"(?:(?<![\w`]):((?:techspec:)?[A-Za-z][\w-]*):)?(`+)(.+?)\2(?!`)")
_MYST_ROLE = re.compile(r"(?:\{((?:techspec:)?[A-Za-z][\w-]*)\})?(`+)(.+?)(?<!`)\2(?!`)")
_EXPLICIT_TARGET = re.compile(r"^(.*?)\s*<([^<>]+)>\s*$", re.DOTALL)


#: Directives whose content is code, not pages: the build reads no item or role in them.
LITERAL_DIRECTIVES = frozenset(
    {"code-block", "code", "sourcecode", "parsed-literal", "raw", "math", "literalinclude",
     "doctest", "testcode", "testoutput", "highlight", "productionlist"}
)  # fmt: skip


def is_myst(path: str) -> bool:
    return path.endswith((".md", ".markdown"))


def parse_page(path: str, text: str, grammar: Grammar) -> ParsedPage:
    """Items and role references of one page (RST or MyST, by the file's suffix)."""
    lines = text.splitlines()
    page = ParsedPage(path, len(lines), len(lines[-1]) if lines else 0)
    if not text.isascii():
        page.wide_lines = {n: line for n, line in enumerate(lines) if not line.isascii()}
    if is_myst(path):
        _read_myst(lines, grammar, page)
    else:
        _read_rst(lines, grammar, page)
    return page


def _type_name(name: str, grammar: Grammar) -> str | None:
    bare = name.removeprefix("techspec:")
    return bare if bare in grammar.item_types else None


# -- RST ------------------------------------------------------------------------------


def _read_rst(lines: list[str], grammar: Grammar, page: ParsedPage) -> None:
    number = 0
    while number < len(lines):
        line = lines[number]
        match = _RST_DIRECTIVE.match(line)
        if match and _type_name(match.group(2), grammar):
            number = _read_rst_item(lines, number, match, grammar, page)
            continue
        if match and match.group(2).removeprefix("techspec:") in LITERAL_DIRECTIVES:
            number = _skip_block(lines, number)
            continue
        if match and match.group(2) == "include" and match.group(3):
            page.includes.append(match.group(3).strip())
        _read_roles(line, number, _RST_ROLE, grammar, page)
        if not match and line.rstrip().endswith("::") and not line.lstrip().startswith(".."):
            number = _skip_block(lines, number)  # a literal block follows
            continue
        number += 1


def _skip_block(lines: list[str], start: int) -> int:
    """The first line after the block indented under ``start`` (code, not read)."""
    indent = len(lines[start]) - len(lines[start].lstrip())
    number = start + 1
    while number < len(lines):
        line = lines[number]
        if line.strip() and len(line) - len(line.lstrip()) <= indent:
            break
        number += 1
    return number


def _read_rst_item(
    lines: list[str], start: int, match: re.Match[str], grammar: Grammar, page: ParsedPage
) -> int:
    """Read the directive at ``start``; return the line after its options."""
    indent = len(match.group(1))
    item = _new_item(match, start, grammar, page)
    number = start + 1
    option: OptionEntry | None = None
    while number < len(lines):
        line = lines[number]
        if not line.strip():
            break
        own_indent = len(line) - len(line.lstrip())
        if own_indent <= indent:
            break
        found = _RST_OPTION.match(line)
        if found:
            option = _option(found, number)
            item.options.append(option)
            item.last_option_line = number
        elif option is not None:
            _continue_option(option, line, number)
            item.last_option_line = number
        elif not item.title:
            item.title = " ".join(line.split())
        else:  # the argument goes on: the title is longer
            item.title = f"{item.title} {' '.join(line.split())}"
        number += 1
    end = number
    while end < len(lines):
        line = lines[end]
        if line.strip() and len(line) - len(line.lstrip()) <= indent:
            break
        end += 1
    while end - 1 > start and not lines[end - 1].strip():
        end -= 1
    item.end_line = max(start, end - 1)
    _finish_item(item, grammar, page)
    # The body may hold roles and nested items: read on from the options' end.
    return number


# -- MyST -----------------------------------------------------------------------------


def _read_myst(lines: list[str], grammar: Grammar, page: ParsedPage) -> None:
    #: Open fences: (fence text, item or None, kind: "directive", "code" or "eval-rst", line).
    stack: list[tuple[str, ItemEntry | None, str, int]] = []
    number = 0
    while number < len(lines):
        line = lines[number]
        fence = _MYST_FENCE.match(line)
        if fence and stack and _closes(fence, stack[-1][0]):
            _, item, kind, start = stack.pop()
            if item is not None:
                item.end_line = number
                _finish_item(item, grammar, page)
            if kind == "eval-rst":  # RST inside MyST: read as RST, lines kept
                masked = [""] * len(lines)
                masked[start + 1 : number] = lines[start + 1 : number]
                _read_rst(masked, grammar, page)
            number += 1
            continue
        in_code = bool(stack) and stack[-1][2] != "directive"
        if fence and not in_code:
            opened = number
            name = (fence.group(3) or "").removeprefix("techspec:")
            item = None
            kind = "directive" if name else "code"
            if name in LITERAL_DIRECTIVES:
                kind = "code"
            elif name == "eval-rst":
                kind = "eval-rst"
            elif name == "include" and fence.group(4):
                page.includes.append(fence.group(4).strip())
            if name and _type_name(name, grammar):
                item = _new_item(fence, number, grammar, page, argument_group=4, name_group=3)
                number = _read_myst_options(lines, number + 1, item, grammar)
            else:
                number += 1
            stack.append((fence.group(2), item, kind, opened))
            continue
        if not in_code:
            _read_roles(line, number, _MYST_ROLE, grammar, page)
        number += 1
    for _, item, _, _ in stack:  # unclosed fences end with the page
        if item is not None:
            item.end_line = len(lines) - 1
            _finish_item(item, grammar, page)


def _closes(fence: re.Match[str], opening: str) -> bool:
    text = fence.group(2)
    bare = not fence.group(3) and not fence.group(5)
    return bare and text[0] == opening[0] and len(text) >= len(opening)


def _read_myst_options(lines: list[str], number: int, item: ItemEntry, grammar: Grammar) -> int:
    """Read ``:name: value`` lines or a ``---`` YAML block; return the first body line."""
    if number < len(lines) and lines[number].strip() == "---":
        number += 1
        while number < len(lines) and lines[number].strip() != "---":
            found = _YAML_OPTION.match(lines[number])
            if found:
                option = _option(found, number, yaml=True)
                item.options.append(option)
                item.last_option_line = number
            number += 1
        return number + 1
    while number < len(lines):
        found = _MYST_OPTION.match(lines[number])
        if not found:
            break
        item.options.append(_option(found, number))
        item.last_option_line = number
        number += 1
    return number


# -- shared -----------------------------------------------------------------------------


def _new_item(
    match: re.Match[str],
    number: int,
    grammar: Grammar,
    page: ParsedPage,
    argument_group: int = 3,
    name_group: int = 2,
) -> ItemEntry:
    name = match.group(name_group)
    type_name = _type_name(name, grammar) or name
    argument = match.group(argument_group) or ""
    start = match.start(argument_group) if match.group(argument_group) else match.end(name_group)
    item_id, _, title = argument.partition(" ")
    directive = Span(number, match.start(name_group), match.end(name_group))
    return ItemEntry(
        id=item_id,
        type=type_name,
        title=" ".join(title.split()),
        path=page.path,
        id_span=Span(number, start, start + len(item_id)),
        directive_span=directive,
        end_line=number,
    )


def _finish_item(item: ItemEntry, grammar: Grammar, page: ParsedPage) -> None:
    """Apply ``:id:`` (types whose ID is an option), then keep the item if it has an ID."""
    if item.type in grammar.id_option_types:
        given = item.option("id")
        if given is not None and given.parts:
            item.title = " ".join(f"{item.id} {item.title}".split())
            item.id, item.id_span = given.parts[0].text, given.parts[0].span
        elif item.type == "api-endpoint":
            from ..design.endpoints import derived_id

            method, path = item.id.upper(), item.title.partition(" ")[0]
            item.id = derived_id(method, path) if path else ""
            item.id_written = False
            summary = item.option("summary")
            item.title = summary.value if summary and summary.value else f"{method} {path}"
    if item.id:
        page.items.append(item)
        page.items.sort(key=lambda entry: entry.line)


def _option(match: re.Match[str], number: int, yaml: bool = False) -> OptionEntry:
    name = match.group(2)
    raw = match.group(3) or ""
    value_start = match.start(3) if match.group(3) else match.end(0)
    span = Span(number, match.start(2) - (0 if yaml else 1), match.end(2) + (0 if yaml else 1))
    option = OptionEntry(name, "", span)
    if yaml:
        raw, value_start = _unquoted_yaml(raw, value_start)
    _add_parts(option, raw, number, value_start)
    return option


def _unquoted_yaml(raw: str, start: int) -> tuple[str, int]:
    """A quoted ``"A"`` as YAML reads it; the columns stay those of the text.

    A YAML list (``[A, B]``) is not unpacked: the build reads it as text, too."""
    stripped = raw.strip()
    if len(stripped) >= 2 and stripped[0] + stripped[-1] in ('""', "''"):
        offset = raw.index(stripped[0]) + 1
        return stripped[1:-1], start + offset
    return raw, start


def _continue_option(option: OptionEntry, line: str, number: int) -> None:
    text = line.rstrip()
    start = len(text) - len(text.lstrip())
    _add_parts(option, text.strip(), number, start)


def _add_parts(option: OptionEntry, raw: str, number: int, start: int) -> None:
    option.value = " ".join(f"{option.value} {raw}".split())
    position = 0
    for piece in raw.split(","):
        text = piece.strip()
        if text:
            column = start + position + piece.index(text)
            option.parts.append(Value(text.strip("'\""), Span(number, column, column + len(text))))
        position += len(piece) + 1


def _read_roles(
    line: str, number: int, pattern: re.Pattern[str], grammar: Grammar, page: ParsedPage
) -> None:
    if "`" not in line:
        return
    for match in pattern.finditer(line):
        role = (match.group(1) or "").removeprefix("techspec:")
        if role not in grammar.roles or len(match.group(2)) != 1:
            continue  # code (``literal``, `code`) or another role
        body = match.group(3)
        start = match.start(3)
        explicit = _EXPLICIT_TARGET.match(body)
        if explicit:
            target = explicit.group(2).strip()
            start += (
                body.rindex("<") + 1 + (len(explicit.group(2)) - len(explicit.group(2).lstrip()))
            )
        else:
            target = body.strip()
            start += len(body) - len(body.lstrip())
        bare = target.lstrip("!~")
        start += len(target) - len(bare)
        target = bare
        page.roles.append(RoleReference(role, target, Span(number, start, start + len(target))))


def grammar_of(
    item_types: Iterable[str],
    roles: Iterable[str],
    id_option_types: Iterable[str] = (),
    link_names: Iterable[str] = (),
) -> Grammar:
    return Grammar(
        frozenset(item_types), frozenset(roles), frozenset(id_option_types), frozenset(link_names)
    )


def link_values(
    item: ItemEntry, link_names: Mapping[str, object] | frozenset[str]
) -> dict[str, list[Value]]:
    """The item's link options: link name → the IDs it names, with their spans."""
    return {o.name: o.parts for o in item.options if o.name in link_names and o.parts}
