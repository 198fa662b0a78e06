"""Hover: the item an ID names, in short, the way its card shows it.

Type, ID, title and status; its links both ways (from the pages, so they are as
current as the editor), each marked when the last build and the lock say it is
suspect; the code markers naming it (a count and the first few, as the card's
"Implemented in code" row); the last build's test result; and where it is defined.
"""

from __future__ import annotations

import os

from ..code_trace.render import reference_text, row_label
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
    lines.extend(code_lines(index, item_id, item_type))
    where = defined_at(index, item_id)
    if where:
        lines.append(f"\n*{where}*")
    return "\n".join(lines if len(lines) < 3 else [lines[0], lines[1], "", *lines[2:]])


#: How many code references a hover names; the count says how many there are in all.
SHOWN_CODE_REFERENCES = 3


def code_lines(index: WorkspaceIndex, item_id: str, item_type: str) -> list[str]:
    """``- Implemented in code (2): src/a.py:4 f(), src/b.js:1``, per link type; only the
    markers the build counts (their link type may point at this item's type)."""
    schema = index.project.schema
    by_link: dict[str, list[str]] = {}
    for marker in index.code.by_item.get(item_id, ()):
        reference = marker.reference
        link = schema.link_types.get(reference.link_type)
        if link is None or not link.allows_target(item_type):
            continue
        by_link.setdefault(reference.link_type, []).append(reference_text(reference))
    found = []
    for name, shown in sorted(by_link.items()):
        more = len(shown) - SHOWN_CODE_REFERENCES
        listed = ", ".join(f"`{text}`" for text in shown[:SHOWN_CODE_REFERENCES])
        tail = f" and {more} more" if more > 0 else ""
        found.append(f"- {row_label(schema, name)} ({len(shown)}): {listed}{tail}")
    return found


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
