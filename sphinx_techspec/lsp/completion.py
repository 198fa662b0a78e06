"""Completion: what may be written at the cursor, from the project's schema and the index.

- inside a role (``:req:`REQ-`` or ``{req}`REQ-``): the IDs of the types the role refers to;
- after a link option (``:verifies: ``): the IDs of the types the link may target;
- after a choice option (``:status: ``): its allowed values;
- ``:`` on an item's option line: the options its type takes, link types included;
- ``.. `` or a MyST fence's ``{``: the directive names.

Each ID comes with its title and status as the detail, sorted naturally (REQ-2 before REQ-10).
"""

from __future__ import annotations

import re

from lsprotocol import types

from ..model import natural_key
from .page_parser import ItemEntry, is_myst
from .workspace_index import WorkspaceIndex

_ROLE_OPEN = re.compile(r"(?:[:{])((?:techspec:)?[A-Za-z][\w-]*)[:}]`(?:[^`<]*<)?([^`<>]*)$")
_OPTION_VALUE = re.compile(r"^\s*:?([A-Za-z][\w-]*):[ \t]+(.*)$")
_OPTION_NAME = re.compile(r"^(\s*):([\w-]*)$")
_RST_DIRECTIVE = re.compile(r"^\s*\.\.\s+([\w:-]*)$")
_MYST_DIRECTIVE = re.compile(r"^\s*(?:`{3,}|~{3,}|:{3,})\{([\w:-]*)$")
_RST_OPENER = re.compile(r"^\s*\.\.\s+([\w:-]+)::")
_MYST_OPENER = re.compile(r"^\s*(?:`{3,}|~{3,}|:{3,})\{([\w:-]+)\}")
_TOKEN = re.compile(r"[^\s,\[\]\"']*$")


def complete(
    index: WorkspaceIndex, path: str, lines: list[str], line: int, column: int
) -> list[types.CompletionItem]:
    line_text = lines[line] if line < len(lines) else ""
    before = line_text[:column]
    role = _ROLE_OPEN.search(before)
    if role:
        name = role.group(1).removeprefix("techspec:")
        allowed = index.project.role_names().get(name)
        if allowed is None:
            return []
        return id_items(index, allowed, _replace(line, column, role.group(2)))
    item = index.item_at(path, line)
    if item is not None and line > item.line:
        value = _OPTION_VALUE.match(before)
        if value:
            return value_items(index, item.type, value.group(1), line, column, value.group(2))
        continued = continued_option(item, line)
        if continued is not None and not before.lstrip().startswith(":"):
            return value_items(index, item.type, continued, line, column, before)
        option = _OPTION_NAME.match(before)
        if option:
            used = {o.name for o in item.options}
            return option_items(index, item.type, used, line, column, option.group(2))
    view = enclosing_directive(lines, line, is_myst(path)) if item is None else None
    if view in index.project.directive_options:
        found = view_items(index, view, before, line, column)
        if found is not None:
            return found
    directive = (_MYST_DIRECTIVE if is_myst(path) else _RST_DIRECTIVE).match(before)
    if directive:
        return directive_items(index, is_myst(path), _replace(line, column, directive.group(1)))
    return []


def enclosing_directive(lines: list[str], line: int, myst: bool) -> str | None:
    """The name of the directive whose options ``line`` is among (views, other directives)."""
    for number in range(min(line, len(lines)) - 1, max(line - 60, -1), -1):
        text = lines[number]
        if myst:
            opener = _MYST_OPENER.match(text)
            if opener:
                return opener.group(1).removeprefix("techspec:")
            if not text.strip() or text.lstrip().startswith(("`", "~", ":::")):
                return None
        else:
            opener = _RST_OPENER.match(text)
            if opener:
                return opener.group(1).removeprefix("techspec:")
            if not text.strip() or not text[:1].isspace():
                return None
    return None


def view_items(
    index: WorkspaceIndex, view: str, before: str, line: int, column: int
) -> list[types.CompletionItem] | None:
    """On an option line of a view: its option names, or the values of one."""
    value = _OPTION_VALUE.match(before)
    if value:
        token = _TOKEN.search(value.group(2))
        typed = token.group(0) if token else ""
        return view_value_items(index, value.group(1), _replace(line, column, typed))
    option = _OPTION_NAME.match(before)
    if option is None:
        return None
    replace = _replace(line, column, option.group(2))
    return [
        types.CompletionItem(
            label=f":{name}:",
            kind=types.CompletionItemKind.Property,
            detail=f"{view} option",
            filter_text=name,
            text_edit=types.TextEdit(replace, f"{name}: "),
        )
        for name in index.project.directive_options[view]
    ]


def view_value_items(
    index: WorkspaceIndex, option: str, replace: types.Range
) -> list[types.CompletionItem]:
    """Values of a view's filter options: item types, link types, IDs, statuses, kinds."""
    schema = index.project.schema
    if option == "ids":
        return id_items(index, None, replace)
    names: dict[str, str] = {}
    if option == "types":
        names = {name: t.label for name, t in schema.item_types.items()}
    elif option == "links":
        names = {
            name: f"{link.forward} / {link.reverse}" for name, link in schema.link_types.items()
        }
    elif option in ("status", "kind"):
        field = "status" if option == "status" else "kind"
        spec = index.project.types["requirement"].fields.get(field)
        names = {value: spec.label for value in (index.project.choices(spec) or ())} if spec else {}
    return [
        types.CompletionItem(
            label=name,
            kind=types.CompletionItemKind.EnumMember,
            detail=detail,
            sort_text=f"{place:04d}",
            text_edit=types.TextEdit(replace, name),
        )
        for place, (name, detail) in enumerate(names.items())
    ]


def continued_option(item: ItemEntry, line: int) -> str | None:
    """The option whose value goes on at ``line`` (an RST continuation line), if any."""
    if line > item.last_option_line:
        return None
    before = [option for option in item.options if option.name_span.line < line]
    return before[-1].name if before else None


def _replace(line: int, column: int, typed: str) -> types.Range:
    return types.Range(types.Position(line, column - len(typed)), types.Position(line, column))


def id_items(
    index: WorkspaceIndex, allowed_types: tuple[str, ...] | None, replace: types.Range
) -> list[types.CompletionItem]:
    """Every known ID of ``allowed_types`` (``None`` or empty: any type)."""
    found = []
    for item_id in sorted(index.known_ids(), key=natural_key):
        item_type = index.type_of(item_id) or ""
        if allowed_types and item_type not in allowed_types:
            continue
        status = index.status_of(item_id)
        label = index.project.schema.label(item_type)
        found.append(
            types.CompletionItem(
                label=item_id,
                kind=types.CompletionItemKind.Reference,
                detail=f"{index.title_of(item_id)}" + (f" ({status})" if status else ""),
                label_details=types.CompletionItemLabelDetails(description=label),
                sort_text=f"{len(found):06d}",
                filter_text=item_id,
                text_edit=types.TextEdit(replace, item_id),
            )
        )
    return found


def value_items(
    index: WorkspaceIndex, item_type: str, option: str, line: int, column: int, typed: str
) -> list[types.CompletionItem]:
    info = index.project.types.get(item_type)
    if info is None:
        return []
    token = _TOKEN.search(typed)
    replace = _replace(line, column, token.group(0) if token else "")
    if option in info.links:
        link = index.project.schema.link_types[option]
        return id_items(index, link.targets, replace)
    spec = info.fields.get(option)
    choices = index.project.choices(spec) if spec is not None else None
    return [
        types.CompletionItem(
            label=choice,
            kind=types.CompletionItemKind.EnumMember,
            detail=f"{spec.label}" if spec else None,
            sort_text=f"{place:04d}",
            text_edit=types.TextEdit(replace, choice),
        )
        for place, choice in enumerate(choices or ())
    ]


def option_items(
    index: WorkspaceIndex, item_type: str, used: set[str], line: int, column: int, typed: str
) -> list[types.CompletionItem]:
    info = index.project.types.get(item_type)
    if info is None:
        return []
    replace = _replace(line, column, typed)
    found = []
    for name in info.option_names:
        if name in used:
            continue
        if name in info.links:
            link = index.project.schema.link_types[name]
            detail = (
                f"link to {' or '.join(link.targets) or 'any item'} (shown as {link.reverse!r})"
            )
            kind = types.CompletionItemKind.Reference
        elif name in info.fields:
            spec = info.fields[name]
            detail = f"{spec.label} ({spec.kind})"
            kind = types.CompletionItemKind.Field
        else:
            detail, kind = f"{item_type} option", types.CompletionItemKind.Property
        found.append(
            types.CompletionItem(
                label=f":{name}:",
                kind=kind,
                detail=detail,
                filter_text=name,
                sort_text=f"{len(found):04d}",
                text_edit=types.TextEdit(replace, f"{name}: "),
            )
        )
    return found


def directive_items(
    index: WorkspaceIndex, myst: bool, replace: types.Range
) -> list[types.CompletionItem]:
    found = []
    for name, info in index.project.types.items():
        found.append(
            types.CompletionItem(
                label=name,
                kind=types.CompletionItemKind.Class,
                detail=f"{info.item_type.label} item",
                text_edit=types.TextEdit(replace, f"{name}}} " if myst else f"{name}:: "),
            )
        )
    for name in index.project.other_directives:
        found.append(
            types.CompletionItem(
                label=name,
                kind=types.CompletionItemKind.Module,
                detail="sphinx-techspec directive",
                text_edit=types.TextEdit(replace, f"{name}}}" if myst else f"{name}::"),
            )
        )
    return found
