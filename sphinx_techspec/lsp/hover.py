"""Hover: the item an ID names, in short, the way its card shows it.

Type, ID, title and status; its links both ways (from the pages, so they are as
current as the editor), each marked when the last build and the lock say it is
suspect; the last build's test result; and where it is defined.
"""

from __future__ import annotations

import os

from ..model import natural_key
from .workspace_index import WorkspaceIndex


def hover_text(index: WorkspaceIndex, item_id: str) -> str:
    """Markdown for the hover of ``item_id`` (a line saying so when no item has it)."""
    schema = index.project.schema
    item_type = index.type_of(item_id)
    if item_type is None:
        return f"`{item_id}`: no item has this ID"
    status = index.status_of(item_id)
    lines = [f"**{schema.label(item_type)} {item_id}**: {index.title_of(item_id)}"]
    facts = [f"status: {status}"] if status else []
    built = index.build_items.get(item_id)
    if built is not None and built.result:
        facts.append(f"test result: {built.result}")
    if facts:
        lines.append(" · ".join(facts))
    for name, targets in sorted(outgoing(index, item_id).items()):
        link = schema.link_types.get(name)
        label = link.forward if link else name
        shown = [_marked(index, (item_id, name, target), target) for target in targets]
        lines.append(f"- {label} → {', '.join(shown)}")
    incoming: dict[str, list[str]] = {}
    for name, source in index.incoming(item_id):
        incoming.setdefault(name, []).append(source)
    for name, sources in sorted(incoming.items()):
        link = schema.link_types.get(name)
        label = link.reverse if link else f"{name} (from)"
        shown = [_marked(index, (source, name, item_id), source) for source in sources]
        lines.append(f"- {label} ← {', '.join(shown)}")
    where = defined_at(index, item_id)
    if where:
        lines.append(f"\n*{where}*")
    return "\n".join(lines if len(lines) < 3 else [lines[0], lines[1], "", *lines[2:]])


def _marked(index: WorkspaceIndex, link: tuple[str, str, str], shown: str) -> str:
    """``TC-1 (suspect)`` when the last build and the lock say the link is suspect."""
    return f"{shown} (suspect)" if link in index.suspects else shown


def outgoing(index: WorkspaceIndex, item_id: str) -> dict[str, list[str]]:
    entry = index.definition(item_id)
    if entry is not None:
        return {
            option.name: [part.text for part in option.parts]
            for option in entry.options
            if option.name in index.project.schema.link_types and option.parts
        }
    built = index.build_items.get(item_id)
    return {k: sorted(v, key=natural_key) for k, v in built.links.items()} if built else {}


def defined_at(index: WorkspaceIndex, item_id: str) -> str:
    entry = index.definition(item_id)
    if entry is not None:
        where = os.path.relpath(entry.path, index.project.source_dir)
        return f"defined at {where}:{entry.line + 1}"
    built = index.build_items.get(item_id)
    if built is not None:
        return f"defined at {built.docname}:{built.lineno} (last build)"
    return ""
