"""Misspelt directive and role names: one techspec warning naming the one meant.

``.. requirment:: REQ-1 Title`` or ``{reqq}`REQ-1``` would get only docutils' or
MyST's "unknown directive type" / "unknown interpreted text role" error, with no
hint. While a page is parsed, a dispatcher (the mechanism Sphinx's own intersphinx
uses for ``:external:`` roles, installed at ``source-read`` and removed with
Sphinx's) looks every directive and role name up as usual; only when that finds
nothing and the name is closest to one of sphinx-techspec's directives or roles
does it answer with a stand-in that warns ``techspec.unknown_directive`` /
``techspec.unknown_role`` at the same place, with the name written in the page's
syntax. That warning replaces docutils' error, so the mistake is reported once.
Names closest to another extension's (``.. notte::``) keep the usual error.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from types import ModuleType
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives, roles
from docutils.parsers.rst.states import Inliner
from docutils.utils import Reporter
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util.docutils import CustomReSTDispatcher, SphinxDirective

from .diagnostics import warn
from .directive_names import is_ours
from .domain import DOMAIN
from .options import OpenOptionSpec
from .page_syntax import directive_example, is_markdown, role_example
from .suggestions import MARKUP_CUTOFF, closest

PREFIX = f"{DOMAIN}:"


def install_dispatcher(app: Sphinx, docname: str, source: list[str]) -> None:
    """Look names up through :class:`MisspeltNames` while this page is parsed.

    Sphinx restores docutils' lookup when the page is parsed, which removes it again.
    """
    MisspeltNames(app.env).enable()


class MisspeltNames(CustomReSTDispatcher):
    """The usual lookup, then a stand-in for a misspelling of one of our names."""

    def __init__(self, env: BuildEnvironment) -> None:
        super().__init__()
        self.env = env

    def directive(
        self, directive_name: str, language_module: ModuleType, document: nodes.document
    ) -> tuple[type[Any] | None, list[nodes.system_message]]:
        found, messages = super().directive(directive_name, language_module, document)
        if found is None:
            meant = meant_directive(self.env, directive_name)
            if meant is not None:
                return misspelt_directive(meant), messages
        return found, messages

    def role(
        self, role_name: str, language_module: ModuleType, lineno: int, reporter: Reporter
    ) -> tuple[Any, list[nodes.system_message]]:
        found, messages = super().role(role_name, language_module, lineno, reporter)
        if found is None:
            meant = meant_role(self.env, role_name)
            if meant is not None:
                return misspelt_role(meant), messages
        return found, messages


def meant_directive(env: BuildEnvironment, typed: str) -> str | None:
    """The directive of ours ``typed`` misspells, as it is written; ``None`` if none.

    ``techspec:requirment`` is compared with our directives only; a plain name with
    every directive Sphinx knows, so that ``.. notte::`` is not taken for ours.
    """
    ours = env.get_domain(DOMAIN).directives
    if typed.casefold().startswith(PREFIX):
        found = closest(typed[len(PREFIX) :], ours, MARKUP_CUTOFF)
        return PREFIX + found if found is not None else None
    if ":" in typed:
        return None
    known = (directives._directives, directives._directive_registry)
    found = closest(typed, {*ours, *known_names(env, known, "directives")}, MARKUP_CUTOFF)
    if found is None or found not in ours:
        return None
    return found if is_ours(directives._directives.get(found)) else PREFIX + found


def meant_role(env: BuildEnvironment, typed: str) -> str | None:
    """The role of ours ``typed`` misspells (``reqq`` → ``req``); ``None`` if none."""
    ours = env.get_domain(DOMAIN).roles
    if typed.casefold().startswith(PREFIX):
        found = closest(typed[len(PREFIX) :], ours, MARKUP_CUTOFF)
        return PREFIX + found if found is not None else None
    if ":" in typed:
        return None
    known = (roles._roles, roles._role_registry)
    found = closest(typed, {*ours, *known_names(env, known, "roles")}, MARKUP_CUTOFF)
    return found if found is not None and found in ours else None


def known_names(
    env: BuildEnvironment, registries: Iterable[Iterable[str]], kind: str
) -> Iterable[str]:
    """Every directive (or role) name a page may use without a domain prefix: docutils'
    registries, then the std and default domains' ``kind`` (``directives``, ``roles``)."""
    for registry in registries:
        yield from registry
    for domain in (env.domains.standard_domain, env.current_document.default_domain):
        if domain is not None:
            yield from getattr(domain, kind)


class MisspeltDirective(SphinxDirective):
    """Stands in for a misspelt directive: warns with the name meant, renders nothing.

    It takes any argument, option and content, so the misspelling is the one warning.
    """

    meant: ClassVar[str] = ""
    optional_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec = OpenOptionSpec()

    def run(self) -> list[nodes.Node]:
        markdown = is_markdown(self.env, self.env.docname)
        message = (
            f"unknown directive type {self.name!r} "
            f"(did you mean {directive_example(markdown, self.meant, '')!r}?)"
        )
        warn(message, "unknown_directive", self.get_location())
        source, line = self.get_source_info()
        text = self.block_text
        # What docutils returns for an unknown directive; shown only with keep_warnings.
        return [
            nodes.system_message(
                message,
                nodes.literal_block(text, text),
                level=3,
                type="ERROR",
                source=source,
                line=line,
            )
        ]


def misspelt_directive(meant: str) -> type[MisspeltDirective]:
    return type("MisspeltDirective", (MisspeltDirective,), {"meant": meant})


RoleFunction = Callable[..., tuple[list[nodes.Node], list[nodes.system_message]]]


def misspelt_role(meant: str) -> RoleFunction:
    """A role that warns with the role meant and shows the text as written."""

    def role(
        name: str, rawtext: str, text: str, lineno: int, inliner: Inliner, *args: Any, **kwargs: Any
    ) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        env = inliner.document.settings.env
        written = nodes.problematic(rawtext, rawtext)
        written.source, written.line = source_and_line(inliner, env, lineno)
        hint = role_example(is_markdown(env, env.docname), meant, text)
        warn(f"unknown role {name!r} (did you mean {hint}?)", "unknown_role", written)
        return [written], []

    return role


def source_and_line(inliner: Inliner, env: BuildEnvironment, lineno: int) -> tuple[str, int]:
    """Where line ``lineno`` is: docutils knows included files; MyST's pages are their own."""
    locate = getattr(inliner.reporter, "get_source_and_line", None)
    if locate is not None:
        source, line = locate(lineno)
        if source:
            return source, line
    return str(env.doc2path(env.docname)), lineno
