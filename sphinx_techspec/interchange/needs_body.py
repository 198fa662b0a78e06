"""A need's content (RST from someone else's project) as RST that is safe to build here.

sphinx-needs content is RST, so it stays RST, but only through an allow-list:

- directives for structure (admonitions, code, tables, math) stay; ``needtable`` and
  ``needlist`` become our ``item-table``; every other directive (``raw``,
  ``include``, ``image``, ``needflow``, an extension's own) is shown as a literal
  block of its source, never run;
- roles for inline structure stay; ``:need:`` becomes ``:spec:`` when the ID is in
  the file, ``:doc:`` stays when its page was migrated; any other role (``:ref:``,
  ``:download:``, an extension's own) becomes its text;
- links go only to ``http``, ``https`` and relative URLs; a bare ``javascript:`` is
  escaped so it is not auto-linked.

Every change is returned as a line for the report.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from .needs import safe_url
from .pages import escape_text

#: Directives kept as written (their options and content are plain RST or literal).
STRUCTURE = frozenset(
    [
        "note",
        "warning",
        "tip",
        "attention",
        "caution",
        "danger",
        "error",
        "hint",
        "important",
        "admonition",
        "seealso",
        "topic",
        "rubric",
        "container",
        "compound",
        "epigraph",
        "highlights",
        "pull-quote",
        "line-block",
        "parsed-literal",
        "table",
        "list-table",
        "hlist",
        "centered",
        "versionadded",
        "versionchanged",
        "deprecated",
    ]
)
#: Directives whose content is literal text (never scanned for markup).
LITERAL = frozenset(["code-block", "code", "sourcecode", "math"])
NEED_VIEWS = frozenset(["needtable", "needlist"])
#: Roles kept as written: inline structure only.
ROLES = frozenset(
    [
        "emphasis",
        "strong",
        "literal",
        "code",
        "math",
        "sub",
        "sup",
        "subscript",
        "superscript",
        "abbr",
        "kbd",
        "guilabel",
        "menuselection",
        "file",
        "samp",
        "command",
        "program",
        "dfn",
        "title-reference",
        "title",
        "t",
        "spec",
    ]
)
NEED_ROLES = frozenset(["need", "needs:need", "need_incoming", "need_outgoing"])
_DIRECTIVE = re.compile(r"^(?P<indent>\s*)\.\.\s+(?P<name>[\w:+.-]+)::(?P<argument>.*)$")
#: ``.. |name| image:: path``: a substitution definition runs a directive too.
_SUBSTITUTION = re.compile(
    r"^(?P<indent>\s*)\.\.\s+\|(?P<name>[^|]+)\|\s+(?P<directive>[\w:+.-]+)::"
)
_TARGET = re.compile(r"^\s*(?:\.\.\s+_[^:]*:|__)\s+(?P<url>\S.*)$")
_INLINE = re.compile(
    r"``.+?``"
    r"|(?<![\w`]):(?P<role>[A-Za-z][\w+.:-]*):`(?P<content>[^`]*)`"
    r"|`(?P<text>[^`]+)`(?P<ref>__?)?(?::(?P<suffix>[A-Za-z][\w+.-]*):)?",
    re.S,
)
_SCHEME = re.compile(r"\b(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*):(?=[^\s:`])")
_EXPLICIT = re.compile(r"^(?P<title>.*?)\s*<(?P<target>[^<>]+)>$", re.S)


@dataclass
class BodyContext:
    """What a body may refer to: the IDs in the file, the migrated pages, our type names."""

    ids: set[str]
    #: Original docname → migrated docname (empty: no page was migrated).
    pages: dict[str, str] = field(default_factory=dict)
    #: sphinx-needs type → our item type (for ``needtable :types:``).
    types: dict[str, str] = field(default_factory=dict)
    docname: str = ""
    #: Where a change is reported (``docname: ID``).
    where: str = ""
    changes: list[str] = field(default_factory=list)
    #: Substitutions whose definition was shown as source: their references become text.
    removed: set[str] = field(default_factory=set)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _block_end(lines: list[str], start: int, indent: int) -> int:
    """The line after the block that starts at ``start`` (more indented lines and blanks)."""
    end = start + 1
    while end < len(lines) and (not lines[end].strip() or _indent(lines[end]) > indent):
        end += 1
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1
    return end


def _as_literal(lines: list[str], indent: str) -> list[str]:
    """Source lines shown as a literal block (never parsed)."""
    width = min((_indent(line) for line in lines if line.strip()), default=0)
    body = [f"{indent}   {line[width:]}" if line.strip() else "" for line in lines]
    return [f"{indent}.. code-block:: rst", "", *body, ""]


def _item_table(block: list[str], indent: str, context: BodyContext) -> list[str]:
    """``needtable``/``needlist`` as ``item-table`` with the filters we have."""
    options: dict[str, str] = {}
    dropped: list[str] = []
    for line in block[1:]:
        match = re.match(r"^\s*:(?P<name>[\w-]+):\s*(?P<value>.*)$", line)
        if not match:
            continue
        name, value = match["name"], match["value"].strip()
        values = [v.strip() for v in re.split(r"[;,|]", value) if v.strip()]
        if name == "types":
            options["types"] = ", ".join(context.types.get(v, v) for v in values)
        elif name in ("status", "tags"):
            options[name] = ", ".join(values)
        else:
            dropped.append(name)
    if "types" not in options and context.types:
        options["types"] = ", ".join(sorted(set(context.types.values())))
    lines = [f"{indent}.. item-table::"]
    lines += [f"{indent}   :{name}: {' '.join(value.split())}" for name, value in options.items()]
    name = block[0].split("..", 1)[1].split("::", 1)[0].strip()
    note = f" (options {', '.join(dropped)} left out)" if dropped else ""
    context.changes.append(f"{context.where}: {name} became an item-table{note}")
    return [*lines, ""]


def _directive(block: list[str], match: re.Match[str], context: BodyContext) -> list[str] | None:
    """The block's replacement, or ``None`` when it stays (its content then scanned)."""
    name = match["name"].lower()
    if name in STRUCTURE:
        return None
    if name in LITERAL:
        return block
    if name in NEED_VIEWS:
        return _item_table(block, match["indent"], context)
    context.changes.append(f"{context.where}: directive {name!r} shown as source, not run")
    return _as_literal(block, match["indent"])


def sanitize(content: str, context: BodyContext) -> str:
    """``content`` with only allowed markup left live (see the module docstring)."""
    lines = content.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    out: list[str] = []
    markup: list[str] = []
    context.removed = {m["name"] for m in map(_SUBSTITUTION.match, lines) if m}

    def flush() -> None:
        if markup:
            out.extend(_inline("\n".join(markup), context).split("\n"))
            markup.clear()

    index = 0
    while index < len(lines):
        line = lines[index]
        directive = _DIRECTIVE.match(line)
        target = _TARGET.match(line)
        substitution = _SUBSTITUTION.match(line)
        if substitution:
            flush()
            end = _block_end(lines, index, _indent(line))
            name = substitution["directive"]
            context.changes.append(f"{context.where}: substitution {name!r} shown as source")
            out.extend(_as_literal(lines[index:end], substitution["indent"]))
            index = end
            continue
        if directive:
            end = _block_end(lines, index, _indent(line))
            replaced = _directive(lines[index:end], directive, context)
            if replaced is not None:
                flush()
                out.extend(replaced)
                index = end
                continue
        elif target and not safe_url(target["url"].strip()) and not target["url"].endswith("_"):
            flush()
            context.changes.append(f"{context.where}: a link target to an unsafe URL removed")
            out.extend(_as_literal([line], " " * _indent(line)))
            index += 1
            continue
        elif line.rstrip().endswith("::") and not line.strip().startswith(".."):
            markup.append(line)
            end = _block_end(lines, index, _indent(line))
            flush()
            out.extend(lines[index + 1 : end])
            index = end
            continue
        markup.append(line)
        index += 1
    flush()
    return "\n".join(out)


def _inline(text: str, context: BodyContext) -> str:
    """Roles, references and bare schemes of a markup region (see the module docstring)."""
    result: list[str] = []
    position = 0
    for match in _INLINE.finditer(text):
        result.append(_plain(text[position : match.start()], context))
        result.append(_markup(match, context))
        position = match.end()
    result.append(_plain(text[position:], context))
    return "".join(result)


def _plain(text: str, context: BodyContext) -> str:
    """Escape the colon of a bare non-web scheme, so ``javascript:x`` is never a link, and
    the bars of a substitution whose definition was not run."""
    keep = ("http", "https", "mailto")
    for name in context.removed:
        text = text.replace(f"|{name}|", f"\\|{name}\\|")
    return _SCHEME.sub(
        lambda m: m.group(0) if m["scheme"].lower() in keep else f"{m['scheme']}\\:", text
    )


def _markup(match: re.Match[str], context: BodyContext) -> str:
    whole = match.group(0)
    if whole.startswith("``"):
        return whole
    role = match["role"] or match["suffix"]
    content = match["content"] if match["role"] else match["text"]
    if role is None:
        explicit = _EXPLICIT.match(content)
        target = explicit["target"].strip() if explicit else ""
        if match["ref"] and target and not target.endswith("_") and not safe_url(target):
            context.changes.append(f"{context.where}: a link to an unsafe URL became text")
            return escape_text(explicit["title"] or target, "rst")
        return whole
    handler = _ROLE_HANDLERS.get(role.lower())
    if handler is not None:
        return handler(content, context)
    if role.lower() in ROLES:
        return whole
    context.changes.append(f"{context.where}: role {role!r} became text")
    return _text_of(content)


def _text_of(content: str) -> str:
    explicit = _EXPLICIT.match(content)
    shown = (explicit["title"] or explicit["target"]) if explicit else content
    return escape_text(shown.replace("\\", ""), "rst")


def _need_role(content: str, context: BodyContext) -> str:
    explicit = _EXPLICIT.match(content)
    title, target = (explicit["title"], explicit["target"]) if explicit else ("", content)
    target_id = target.strip().split(".")[0] if target.strip() not in context.ids else target
    target_id = target_id.strip()
    if target_id in context.ids and re.fullmatch(r"[\w.:-]+", target_id):
        shown = escape_text(title, "rst").replace("<", "\\<") if title else ""
        return f":spec:`{shown} <{target_id}>`" if shown else f":spec:`{target_id}`"
    context.changes.append(f"{context.where}: :need: to {target_id!r} (not in the file): text")
    return escape_text(title or target_id, "rst")


def _doc_role(content: str, context: BodyContext) -> str:
    explicit = _EXPLICIT.match(content)
    title, target = (explicit["title"], explicit["target"]) if explicit else ("", content)
    target = target.strip()
    if target.startswith("/"):
        original = posixpath.normpath(target[1:])
    else:
        original = posixpath.normpath(posixpath.join(posixpath.dirname(context.docname), target))
    migrated = context.pages.get(original)
    if migrated is not None:
        shown = escape_text(title, "rst").replace("<", "\\<") if title else ""
        return f":doc:`{shown} </{migrated}>`" if shown else f":doc:`/{migrated}`"
    context.changes.append(f"{context.where}: :doc: to {original!r} (not migrated) became text")
    return escape_text(title or target, "rst")


_ROLE_HANDLERS: dict[str, Callable[[str, BodyContext], str]] = {
    **dict.fromkeys(NEED_ROLES, _need_role),
    "doc": _doc_role,
}
