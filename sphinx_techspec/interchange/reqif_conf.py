"""The ``conf.py`` of an imported project, written as data: literals only, never code.

An import declares the item types, fields, link types and statuses it created, so
the written project builds with ``-W -n`` as it is. Every value a foreign file
chose (a type name, a label, a status) reaches the file only through
:func:`pprint.pformat` of plain data, and :func:`literal_only` checks the result
the way a reviewer would: each statement assigns a literal to a name.
"""

from __future__ import annotations

import ast
import pprint
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

CONF = "conf.py"


def conf_files(
    *,
    project: str,
    markdown: bool,
    item_types: Sequence[Mapping[str, Any]] = (),
    link_types: Sequence[Mapping[str, Any]] = (),
    statuses: Iterable[str] = (),
    priorities: Iterable[str] = (),
) -> dict[str, str]:
    """``{"conf.py": text}`` declaring what an import created.

    ``item_types`` and ``link_types`` have the shape of ``techspec_item_types`` and
    ``techspec_link_types`` entries; ``statuses`` and ``priorities``, when given,
    are the whole vocabularies (defaults included).
    """
    settings: dict[str, Any] = {
        "project": str(project),
        "extensions": ["sphinx_techspec", *(["myst_parser"] if markdown else [])],
        "root_doc": "index",
        "exclude_patterns": ["_build"],
    }
    if item_types:
        settings["techspec_item_types"] = [dict(entry) for entry in item_types]
    if link_types:
        settings["techspec_link_types"] = [dict(entry) for entry in link_types]
    statuses = list(statuses)
    if statuses:
        settings["techspec_statuses"] = statuses
    priorities = list(priorities)
    if priorities:
        settings["techspec_priorities"] = priorities
    lines = [
        "# Written by sphinx-techspec import-reqif: the types, fields, link types and",
        "# statuses the imported file uses. Plain data; edit it like any conf.py.",
        "",
    ]
    for name, value in settings.items():
        text = pprint.pformat(value, width=96, sort_dicts=False)
        lines.append(f"{name} = {text}")
    text = "\n".join(lines) + "\n"
    literal_only(text)
    return {CONF: text}


def literal_only(text: str) -> None:
    """Raise ``ValueError`` unless ``text`` is assignments of literals to plain names."""
    module = ast.parse(text)
    for statement in module.body:
        if not (
            isinstance(statement, ast.Assign)
            and len(statement.targets) == 1
            and isinstance(statement.targets[0], ast.Name)
        ):
            raise ValueError(f"line {statement.lineno}: not an assignment to a name")
        ast.literal_eval(statement.value)
