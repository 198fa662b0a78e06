"""Code actions on unknown IDs: use the ID the build suggests, or create the missing item.

A new item goes at the end of the page that holds most items of its type (the
requirements page for a requirement), in that page's syntax, RST or MyST.
"""

from __future__ import annotations

from collections import Counter

from lsprotocol import types

from ..validation import closest_id
from .diagnostics import Problem, page_problems
from .navigation import to_range, uri_of
from .page_parser import Span, is_myst
from .workspace_index import WorkspaceIndex

#: At most this many "create" actions for a link that may target several types.
MAX_CREATE = 3


def code_actions(index: WorkspaceIndex, path: str, wanted: types.Range) -> list[types.CodeAction]:
    actions: list[types.CodeAction] = []
    for problem in page_problems(index, path):
        if problem.subtype != "unknown_ref" or not problem.target:
            continue
        if not _overlaps(problem, wanted):
            continue
        close = closest_id(problem.target, index.known_ids())
        if close:
            actions.append(
                types.CodeAction(
                    title=f"Replace {problem.target} with {close}",
                    kind=types.CodeActionKind.QuickFix,
                    is_preferred=True,
                    edit=types.WorkspaceEdit(
                        changes={
                            uri_of(path): [
                                types.TextEdit(to_range(index, path, problem.span), close)
                            ]
                        }
                    ),
                )
            )
        for item_type in problem.target_types[:MAX_CREATE]:
            actions.append(create_item_action(index, path, problem.target, item_type))
    return actions


def _overlaps(problem: Problem, wanted: types.Range) -> bool:
    line = problem.span.line
    return wanted.start.line <= line <= wanted.end.line


def home_page(index: WorkspaceIndex, item_type: str, fallback: str) -> str:
    """The page holding most items of ``item_type`` (``fallback`` when none does)."""
    counts = Counter(item.path for item in index.items() if item.type == item_type)
    if not counts:
        return fallback
    return min(counts, key=lambda path: (-counts[path], path))


def create_item_action(
    index: WorkspaceIndex, path: str, item_id: str, item_type: str
) -> types.CodeAction:
    page_path = home_page(index, item_type, path)
    page = index.pages[page_path]
    label = index.project.schema.label(item_type)
    title = f"New {label.lower()}"
    if is_myst(page_path):
        text = f"\n\n```{{{item_type}}} {item_id} {title}\n```\n"
    else:
        text = f"\n\n.. {item_type}:: {item_id} {title}\n"
    last = max(page.line_count - 1, 0)
    end = to_range(index, page_path, Span(last, page.last_line_length, page.last_line_length)).end
    return types.CodeAction(
        title=f"Create {label.lower()} {item_id} in {index.docname_of(page_path)}",
        kind=types.CodeActionKind.QuickFix,
        edit=types.WorkspaceEdit(
            changes={uri_of(page_path): [types.TextEdit(types.Range(end, end), text)]}
        ),
    )
