"""Hints written in the syntax of the page they are about: RST or MyST Markdown.

A warning that says what to write shows ``.. test-case:: ID Title`` in a
reStructuredText page and ```` ```{test-case} ID Title ```` in a Markdown one, and
a role as ``:req:`REQ-1``` or ``{req}`REQ-1```.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from sphinx.environment import BuildEnvironment

#: The filetype MyST-Parser registers its suffixes under.
MARKDOWN = "markdown"


def is_markdown(env: BuildEnvironment, docname: str | None) -> bool:
    """Whether ``docname`` is read by a Markdown parser (by its suffix, as Sphinx does)."""
    if not docname:
        return False
    try:
        path = str(env.doc2path(docname))
    except Exception:  # an unknown docname: show RST, the default
        return False
    suffixes: Any = env.config.source_suffix
    items = suffixes.items() if isinstance(suffixes, dict) else ((s, "") for s in suffixes)
    for suffix, filetype in items:
        if path.endswith(suffix):
            return filetype == MARKDOWN or suffix in (".md", ".markdown")
    return False


def directive_example(markdown: bool, name: str, argument: str = "ID Title") -> str:
    """How to open directive ``name`` on such a page."""
    if markdown:
        return f"```{{{name}}} {argument}".rstrip()
    return f".. {name}:: {argument}".rstrip()


def role_example(markdown: bool, role: str, target: str | None = None) -> str:
    """Role ``role`` (with its ``target``, if given) on such a page."""
    written = f"{{{role}}}" if markdown else f":{role}:"
    return f"{written}`{target}`" if target is not None else written


def docname_of(location: Any) -> str | None:
    """The docname a warning location names: a node's ``refdoc`` or a ``(docname, line)``."""
    if isinstance(location, tuple) and location:
        return str(location[0])
    getter = getattr(location, "get", None)
    if getter is not None:
        return getter("refdoc")
    return None


#: An option line of a MyST directive: ``:name: value``.
_OPTION_LINE = re.compile(r"^:([\w-]+):[ \t]+(\S.*)$")
#: Characters that start YAML syntax rather than plain text when a value begins with them.
_YAML_INDICATORS = tuple(">|*&!%@`{[")


def unquoted_yaml_values(block_text: str, options: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Options of a MyST directive lost because their value reads as YAML syntax.

    MyST reads the ``:name: value`` lines as YAML: ``:version: >=15`` is a folded
    block scalar gone wrong, and MyST drops every option with a cryptic message.
    Returns each such ``(name, value)`` that did not reach the directive.
    """
    lines = block_text.splitlines()[1:]  # after the opening fence
    found = []
    for line in lines:
        match = _OPTION_LINE.match(line.strip())
        if match is None:
            break  # options come first; the content starts here
        name, value = match.groups()
        if name not in options and value.startswith(_YAML_INDICATORS):
            found.append((name, value))
    return found
