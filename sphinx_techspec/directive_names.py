"""Global directive names: ``.. metric::`` beside ``.. techspec:metric::``, when free.

Every directive is registered in the ``techspec`` domain. Its short global alias
(``environment``, ``dependency``, ``decision``, ``sequence``...) is registered only
after every extension is set up (``config-inited``), and only when no other
extension took the name: then an info line says to use ``techspec:NAME`` instead.
Nothing of another extension is overridden.
"""

from __future__ import annotations

import weakref

from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util import logging

logger = logging.getLogger("sphinx_techspec")

#: Per application: the global aliases waiting for ``config-inited`` (name → class).
_PENDING: weakref.WeakKeyDictionary[Sphinx, dict[str, type]] = weakref.WeakKeyDictionary()


def add_global_directive(app: Sphinx, name: str, directive: type) -> None:
    """Ask for the global alias ``name``; registered at ``config-inited`` if still free."""
    _PENDING.setdefault(app, {})[name] = directive


def is_ours(directive: object) -> bool:
    module = getattr(directive, "__module__", "") or ""
    return module == "sphinx_techspec" or module.startswith("sphinx_techspec.")


def taken_by_another(name: str) -> bool:
    """Whether another extension (or docutils) registered a directive ``name``."""
    existing = directives._directives.get(name)
    if existing is None:  # docutils' own directives are loaded on first use
        return name in directives._directive_registry
    return not is_ours(existing)


def register_global_directives(app: Sphinx, config: Config) -> None:
    """Register every free alias asked for (after all extensions' ``setup()``)."""
    for name, directive in sorted(_PENDING.pop(app, {}).items()):
        register_alias(app, name, directive)


def register_alias(app: Sphinx, name: str, directive: type) -> None:
    """``name`` as a global directive, unless another extension has it (info line then)."""
    if taken_by_another(name):
        logger.info(
            f"sphinx-techspec: the directive name {name!r} belongs to another extension; "
            f"use 'techspec:{name}' for the sphinx-techspec directive"
        )
        return
    app.add_directive(name, directive, override=True)
