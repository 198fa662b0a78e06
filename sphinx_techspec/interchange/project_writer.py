"""A generated project (``conf.py``, a root page, the pages) that builds with ``-W -n`` as written.

Every importer that writes a project (``migrate-needs``, ``import-reqif``,
``import-openapi``) ends here, so each one's output builds the same way:

- ``conf.py`` holds data only: every value is rendered with :func:`pprint.pformat`
  of plain literals, never by formatting strings into code, and
  :func:`literal_only` checks the text before it is written (each statement
  assigns a literal to a name);
- ``index`` is the root document: the project title, an optional introduction and a
  toctree of every page;
- pages are named by :func:`safe_docname`, so a foreign name (a newline, ``../``, a
  slash) never reaches a file name or a toctree line as written.

Usage::

    pages = {safe_docname(name, taken): text, ...}      # RST or MyST, each with a heading()
    declarations = ProjectDeclarations(
        item_types=[{"name": "std-req", "label": "Standard requirement", "fields": [...]}],
        link_types=[{"name": "complies", "reverse": "complies (reverse)"}],
        statuses=["valid"],
    )
    write_project(out_dir, "rst", "My spec", pages, declarations,
                  extra_files={"migration-report.txt": report})
"""

from __future__ import annotations

import ast
import pprint
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..export_writer import safe_path
from ..item_types import DEFAULT_PRIORITIES, DEFAULT_STATUSES
from .pages import heading, plain_text, toctree, write_files

ROOT = "index"
CONF = "conf.py"


@dataclass
class ProjectDeclarations:
    """What a generated project declares in its ``conf.py``.

    ``item_types`` / ``link_types``: entries of ``techspec_item_types`` /
    ``techspec_link_types`` (plain dicts, strings and lists). ``statuses`` /
    ``priorities``: the values the pages use; the defaults are kept and these added.
    ``config``: any other ``techspec_*`` (or Sphinx) value, as plain literals.
    """

    item_types: list[dict[str, Any]] = field(default_factory=list)
    link_types: list[dict[str, Any]] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    priorities: list[str] = field(default_factory=list)
    config: dict[str, Any] = field(default_factory=dict)


def safe_docname(name: str, taken: set[str]) -> str:
    """A page name from a foreign name: safe segments, never the root, unique in ``taken``.

    Adds the result to ``taken``. ``index`` (the generated root) becomes ``index-page``.
    """
    docname = safe_path(str(name).replace("\\", "/")) or "page"
    base = f"{docname}-page" if docname.lower() == ROOT else docname
    candidate, number = base, 1
    while candidate.lower() in {t.lower() for t in taken}:
        number += 1
        candidate = f"{base}-{number}"
    taken.add(candidate)
    return candidate


def _with_defaults(defaults: list[str], used: list[str]) -> list[str]:
    return [*defaults, *(value for value in dict.fromkeys(used) if value not in defaults)]


def conf_values(title: str, fmt: str, declarations: ProjectDeclarations) -> dict[str, Any]:
    """The values ``conf.py`` assigns, in order (plain data)."""
    values: dict[str, Any] = {
        "project": str(title),
        "extensions": ["sphinx_techspec", *(["myst_parser"] if fmt == "md" else [])],
        "root_doc": ROOT,
        "exclude_patterns": ["_build"],
    }
    if declarations.item_types:
        values["techspec_item_types"] = declarations.item_types
    if declarations.link_types:
        values["techspec_link_types"] = declarations.link_types
    if any(status not in DEFAULT_STATUSES for status in declarations.statuses):
        values["techspec_statuses"] = _with_defaults(DEFAULT_STATUSES, declarations.statuses)
    if any(value not in DEFAULT_PRIORITIES for value in declarations.priorities):
        values["techspec_priorities"] = _with_defaults(DEFAULT_PRIORITIES, declarations.priorities)
    values.update(declarations.config)
    return values


def conf_text(title: str, fmt: str, declarations: ProjectDeclarations, command: str = "") -> str:
    """``conf.py`` as data: ``name = <pprint of a literal>`` lines, checked before returned."""
    by = f" by sphinx-techspec {command}" if command else " by sphinx-techspec"
    lines = [f"# Written{by}: plain data (no code). Edit it like any conf.py.", ""]
    for name, value in conf_values(title, fmt, declarations).items():
        lines.append(f"{name} = {pprint.pformat(value, width=96, sort_dicts=False)}")
    text = "\n".join(lines) + "\n"
    literal_only(text)
    return text


def literal_only(source: str) -> None:
    """Raise ``ValueError`` unless every statement assigns a literal to a plain name."""
    for statement in ast.parse(source).body:
        if not (
            isinstance(statement, ast.Assign)
            and len(statement.targets) == 1
            and isinstance(statement.targets[0], ast.Name)
        ):
            raise ValueError(f"line {statement.lineno} is not an assignment to a name")
        ast.literal_eval(statement.value)


def root_page(title: str, fmt: str, docnames: list[str], intro: str = "") -> str:
    """The root document: the title, ``intro`` (plain text) and a toctree of every page,
    in the order given."""
    parts = [heading(title, 0, fmt)]
    if intro.strip():
        parts.append(plain_text(intro, fmt) + "\n")
    if docnames:
        parts.append(toctree(docnames, fmt))
    return "\n".join(parts)


def project_files(
    fmt: str,
    title: str,
    pages: dict[str, str],
    declarations: ProjectDeclarations,
    command: str = "",
    intro: str = "",
) -> dict[str, str]:
    """File name → text of the whole project (nothing written).

    The root page lists ``pages`` in their order, after ``intro`` (plain text).
    """
    suffix = "md" if fmt == "md" else "rst"
    files = {CONF: conf_text(title, fmt, declarations, command)}
    for docname in pages:
        if docname.lower() == ROOT or safe_path(docname) != docname:
            raise ValueError(f"page name {docname!r} is not from safe_docname()")
    files[f"{ROOT}.{suffix}"] = root_page(title, fmt, list(pages), intro)
    files.update((f"{docname}.{suffix}", text) for docname, text in pages.items())
    return files


def write_project(
    out_dir: Path,
    fmt: str,
    title: str,
    pages: dict[str, str],
    declarations: ProjectDeclarations,
    extra_files: dict[str, str | bytes] | None = None,
    command: str = "",
    intro: str = "",
) -> list[Path]:
    """Write the project (and ``extra_files``: a report, copied images) or nothing.

    Raises :class:`~.pages.OutputError` when a file exists or cannot be written.
    """
    files: dict[str, str | bytes] = dict(
        project_files(fmt, title, pages, declarations, command, intro)
    )
    files.update(extra_files or {})
    return write_files(out_dir, files)
