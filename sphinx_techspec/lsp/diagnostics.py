"""Diagnostics of one page, as the build would warn, at the offending text itself.

Each problem carries the build's subtype (``techspec.unknown_ref``...) as its code
and the build's wording: the messages come from the functions the build's own
checks use (:mod:`sphinx_techspec.validation`, :mod:`sphinx_techspec.options`,
:mod:`sphinx_techspec.directives`, :mod:`sphinx_techspec.code_trace.checks` for the
markers of a source file, :mod:`sphinx_techspec.design.common` for JSON examples), so
the editor and the build log agree.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from .. import unknown_reference_message
from ..code_trace.checks import code_ref_message, marker_problem
from ..directives import malformed_value_message, misplaced_link_message, not_allowed_message
from ..domain import wrong_role_message
from ..options import unknown_option_message
from ..validation import (
    duplicate_message,
    unknown_link_message,
    wrong_source_message,
    wrong_target_message,
)
from .code_index import CodeMarker
from .page_parser import ItemEntry, OptionEntry, Span
from .workspace_index import WorkspaceIndex


@dataclass(frozen=True, slots=True)
class Problem:
    """A build warning found in the editor: where, what, and its ``techspec.`` subtype."""

    span: Span
    message: str
    subtype: str
    #: The ID the problem is about when a code action can fix it (unknown link targets).
    target: str = ""
    #: The item types a new item named ``target`` may have (empty: any).
    target_types: tuple[str, ...] = ()


def page_problems(index: WorkspaceIndex, path: str) -> list[Problem]:
    page = index.pages.get(path)
    if page is None:
        return []
    problems: list[Problem] = []
    for item in page.items:
        problems.extend(item_problems(index, item))
    roles = index.project.role_names()
    for role in page.roles:
        target_type = index.type_of(role.target)
        if target_type is not None:
            if role.role != "spec" and target_type not in roles.get(role.role, ()):
                message = wrong_role_message(
                    index.project.schema, role.role, role.target, target_type, path.endswith(".md")
                )
                problems.append(Problem(role.span, message, "wrong_link_type"))
            continue
        if ":" in role.target:
            continue  # project:ID goes to another project (intersphinx, external projects)
        problems.append(
            Problem(
                role.span,
                unknown_reference_message(role.target, index.known_ids()),
                "unknown_ref",
                role.target,
                index.project.role_names().get(role.role, ()) if role.role != "spec" else (),
            )
        )
    examples = index.bad_examples.get(path, ())
    problems.extend(Problem(span, message, "bad_json") for span, message in examples)
    return sorted(problems, key=lambda p: (p.span.line, p.span.start))


def code_problems(index: WorkspaceIndex, path: str) -> list[tuple[CodeMarker, Problem]]:
    """The ``code_ref`` warnings of a source file's markers, each with its marker."""
    found = []
    for marker in index.code.markers.get(path, ()):
        reference = marker.reference
        problem = marker_problem(
            index.project.schema, reference, index.type_of(reference.item_id), index.known_ids()
        )
        if problem:
            message = code_ref_message(reference, problem)
            found.append((marker, Problem(marker.span, message, "code_ref")))
    return found


def item_problems(index: WorkspaceIndex, item: ItemEntry) -> list[Problem]:
    problems: list[Problem] = []
    first = index.definition(item.id)
    if first is not None and first is not item:
        problems.append(
            Problem(
                item.id_span,
                duplicate_message(item.id, _where(index, first.path), first.line + 1),
                "duplicate_id",
            )
        )
    info = index.project.types.get(item.type)
    if info is None:
        return problems
    known = info.option_names
    for option in item.options:
        if option.name in info.links:
            problems.extend(link_problems(index, item, option))
        elif option.name in info.fields:
            problems.extend(choice_problems(index, item, option))
        elif option.name in index.project.schema.link_types:
            link = index.project.schema.link_types[option.name]
            schema = index.project.schema
            message = misplaced_link_message(item.type, link, schema.link_types.values())
            problems.append(Problem(option.name_span, message, "bad_option"))
        elif option.name not in known:
            message = unknown_option_message(option.name, known, item.type)
            problems.append(Problem(option.name_span, message, "bad_option"))
    return problems


def link_problems(index: WorkspaceIndex, item: ItemEntry, option: OptionEntry) -> list[Problem]:
    schema = index.project.schema
    link = schema.link_types[option.name]
    problems: list[Problem] = []
    if not link.allows_source(item.type):
        message = wrong_source_message(schema, item.id, item.type, link)
        problems.append(Problem(option.name_span, message, "wrong_link_type"))
    for part in option.parts:
        target_type = index.type_of(part.text)
        if target_type is None:
            if ":" in part.text:
                continue  # an external project's item
            message = unknown_link_message(item.id, link.name, part.text, index.known_ids())
            problems.append(Problem(part.span, message, "unknown_ref", part.text, link.targets))
        elif not link.allows_target(target_type):
            message = wrong_target_message(schema, item.id, link, part.text, target_type, item.type)
            problems.append(Problem(part.span, message, "wrong_link_type"))
    return problems


def choice_problems(index: WorkspaceIndex, item: ItemEntry, option: OptionEntry) -> list[Problem]:
    """Values outside a choice field's values; integers and dates that do not read."""
    info = index.project.types[item.type]
    spec = info.fields[option.name]
    if spec.kind in ("integer", "date") and option.parts:
        message = malformed_value_message(spec, option.value)
        span = Span(
            option.parts[0].span.line, option.parts[0].span.start, option.parts[-1].span.end
        )
        return [Problem(span, message, "bad_value")] if message else []
    allowed = index.project.choices(spec)
    if allowed is None:
        return []
    if spec.kind == "choice-list":
        values = option.parts
    else:
        # One value: the whole text, from its first part to its last.
        if not option.parts:
            return []
        first, last = option.parts[0], option.parts[-1]
        span = Span(first.span.line, first.span.start, last.span.end)
        values = [type(first)(option.value, span)] if first.span.line == last.span.line else []
    return [
        Problem(value.span, not_allowed_message(spec.name, value.text, allowed), "bad_value")
        for value in values
        if value.text not in allowed
    ]


def _where(index: WorkspaceIndex, path: str) -> str:
    return os.path.relpath(path, index.project.source_dir)
