"""The one way sphinx-techspec reports a problem in a spec.

Every warning is located and typed (``techspec.<subtype>``) so that
``suppress_warnings`` and ``sphinx-build -W`` work on it. Each feature lists the
subtypes it emits in its ``Feature.warnings``; :func:`subtypes` gathers them.
"""

from __future__ import annotations

from typing import Any

from sphinx.util import logging

from .feature import warning_subtypes

logger = logging.getLogger("sphinx_techspec")


def subtypes() -> dict[str, str]:
    """Every subtype any feature emits, with what it means; the docs list these."""
    return warning_subtypes()


def warn(message: str, subtype: str, location: Any) -> None:
    """Emit a located ``techspec.<subtype>`` warning; messages stay on one line."""
    logger.warning(" ".join(message.split()), location=location, type="techspec", subtype=subtype)
